/* SPDX-License-Identifier: MIT */
/* Transfers the validator must refuse. Every case checks the errno and that
 * nothing changed: the host copy (read back by copy-out) and the guest pages. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#define W 64u
#define H 32u
#define BPP 4u
#define PITCH (W * BPP)

static struct timg img; /* 64x32 BGRA on odd-sized scattered pages, one spare page */

static void fx_setup(void)
{
	tv_setup();
	timg_create(&tv, &img, 1, VGN_FORMAT_B8G8R8A8_UNORM, W, H, VMS_SCATTER_ODD, VMS_PAGE_SIZE,
	            1);
}

static void fx_teardown(void)
{
	timg_destroy(&tv, &img);
	tv_teardown();
}

static struct vgn_transfer mk(uint32_t level, struct vgn_box box, uint32_t stride,
                              uint32_t layer_stride, uint64_t offset)
{
	struct vgn_transfer t;
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.level = level;
	t.box = box;
	t.stride = stride;
	t.layer_stride = layer_stride;
	t.offset = offset;
	return t;
}

/* Tries t in both directions on resource res (whose level-0 host copy is read back
 * through `check`), expects `err` and verifies nothing moved either way. */
static void expect_refused_on(struct timg *check, uint32_t res, const struct vgn_transfer *t,
                              int err)
{
	/* Give the guest different bytes than the host has, so a to_host that wrote
	 * anything would show up in the host copy. */
	uint8_t *fresh = malloc(check->backing.len);
	ck_assert_ptr_nonnull(fresh);
	vms_pattern_fill(fresh, check->backing.len, 0xabcdu);
	vms_backing_write(&tv.guest, &check->backing, 0, fresh, check->backing.len);
	uint8_t *host = timg_host_copy(&tv, check);

	ck_assert_rc(vgn_resource_transfer_to_host(tv.r, res, t), err);
	timg_expect_host(&tv, check, host);
	tback_expect(&tv, &check->backing, fresh);

	ck_assert_rc(vgn_resource_transfer_from_host(tv.r, res, t), err);
	tback_expect(&tv, &check->backing, fresh);
	timg_expect_host(&tv, check, host);
	free(fresh);
	free(host);
}

static void expect_refused(const struct vgn_transfer *t, int err)
{
	expect_refused_on(&img, img.res_id, t, err);
}

static void expect_box_refused(struct vgn_box box)
{
	struct vgn_transfer t = mk(0, box, 0, 0, 0);
	expect_refused(&t, -EINVAL);
}

START_TEST(x_wraps_32bit)
{
	expect_box_refused((struct vgn_box){0xffffffffu, 0, 0, 2, 1, 1});
	expect_box_refused((struct vgn_box){0xfffffffeu, 0, 0, 4, 1, 1});
	expect_box_refused((struct vgn_box){0x80000000u, 0, 0, 0x80000000u, 1, 1});
}
END_TEST

START_TEST(y_wraps_32bit)
{
	expect_box_refused((struct vgn_box){0, 0xffffffffu, 0, 1, 2, 1});
	expect_box_refused((struct vgn_box){0, 1, 0, 1, 0xffffffffu, 1});
}
END_TEST

START_TEST(z_wraps_32bit)
{
	expect_box_refused((struct vgn_box){0, 0, 0xffffffffu, 1, 1, 2});
	expect_box_refused((struct vgn_box){0, 0, 1, 1, 1, 0xffffffffu});
}
END_TEST

START_TEST(huge_extent)
{
	expect_box_refused((struct vgn_box){0, 0, 0, 0xffffffffu, 1, 1});
	expect_box_refused((struct vgn_box){0, 0, 0, 1, 0xffffffffu, 1});
	expect_box_refused((struct vgn_box){0, 0, 0, 0xffffffffu, 0xffffffffu, 0xffffffffu});
}
END_TEST

START_TEST(x_past_extent)
{
	expect_box_refused((struct vgn_box){60, 0, 0, 8, 1, 1});
	expect_box_refused((struct vgn_box){W, 0, 0, 1, 1, 1});
	expect_box_refused((struct vgn_box){0, 0, 0, W + 1, 1, 1});
}
END_TEST

START_TEST(y_past_extent)
{
	expect_box_refused((struct vgn_box){0, 30, 0, W, 3, 1});
	expect_box_refused((struct vgn_box){0, H, 0, 1, 1, 1});
	expect_box_refused((struct vgn_box){0, 0, 0, 1, H + 1, 1});
}
END_TEST

START_TEST(z_past_depth_of_2d)
{
	expect_box_refused((struct vgn_box){0, 0, 1, 1, 1, 1});
	expect_box_refused((struct vgn_box){0, 0, 0, 1, 1, 2});
}
END_TEST

START_TEST(zero_size_box)
{
	expect_box_refused((struct vgn_box){0, 0, 0, 0, 1, 1});
	expect_box_refused((struct vgn_box){0, 0, 0, 1, 0, 1});
	expect_box_refused((struct vgn_box){0, 0, 0, 1, 1, 0});
	expect_box_refused((struct vgn_box){0, 0, 0, 0, 0, 0});
}
END_TEST

START_TEST(level_past_last)
{
	struct vgn_transfer t = mk(1, (struct vgn_box){0, 0, 0, 1, 1, 1}, 0, 0, 0);
	expect_refused(&t, -EINVAL);
	t.level = 0xffffffffu;
	expect_refused(&t, -EINVAL);
	t.level = 32;
	expect_refused(&t, -EINVAL);
}
END_TEST

START_TEST(level_past_last_mipmapped)
{
	/* 16x16 with last_level 2: level 2 is 4x4; level 3 does not exist, and a box
	 * that fits level 0 does not fit level 2. */
	struct vgn_resource_create_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.target = VGN_TARGET_2D;
	p.format = VGN_FORMAT_B8G8R8A8_UNORM;
	p.bind = VGN_BIND_SAMPLER_VIEW;
	p.width = 16;
	p.height = 16;
	p.depth = 1;
	p.array_size = 1;
	p.last_level = 2;
	ck_assert_ok(vgn_resource_create(tv.r, 2, &p));
	ck_assert_ok(vms_attach_backing(&tv, 2, &img.backing));
	struct vgn_transfer t = mk(3, (struct vgn_box){0, 0, 0, 1, 1, 1}, 0, 0, 0);
	ck_assert_rc(vgn_resource_transfer_to_host(tv.r, 2, &t), -EINVAL);
	t = mk(2, (struct vgn_box){0, 0, 0, 5, 1, 1}, 0, 0, 0);
	ck_assert_rc(vgn_resource_transfer_to_host(tv.r, 2, &t), -EINVAL);
	t = mk(2, (struct vgn_box){3, 3, 0, 2, 1, 1}, 0, 0, 0);
	ck_assert_rc(vgn_resource_transfer_from_host(tv.r, 2, &t), -EINVAL);
	t = mk(2, (struct vgn_box){0, 0, 0, 4, 4, 1}, 0, 0, 0);
	ck_assert_ok(vgn_resource_transfer_to_host(tv.r, 2, &t));
	ck_assert_ok(vgn_resource_detach_backing(tv.r, 2));
	ck_assert_ok(vgn_resource_unref(tv.r, 2));
}
END_TEST

START_TEST(stride_below_row_bytes)
{
	struct vgn_transfer t = mk(0, (struct vgn_box){0, 0, 0, 16, 2, 1}, 60, 0, 0);
	expect_refused(&t, -EINVAL);
	t.stride = 4;
	t.box.w = W;
	expect_refused(&t, -EINVAL);
	t.stride = PITCH - 1;
	expect_refused(&t, -EINVAL);
}
END_TEST

START_TEST(stride_huge_span_past_backing)
{
	/* 31 rows 4 GiB apart: far past the backing, and the arithmetic must be 64-bit. */
	struct vgn_transfer t = mk(0, (struct vgn_box){0, 0, 0, W, H, 1}, 0xffffffffu, 0, 0);
	expect_refused(&t, -EINVAL);
	t.stride = 0x80000000u;
	t.box.h = 3;
	expect_refused(&t, -EINVAL);
}
END_TEST

START_TEST(offset_plus_span_past_backing)
{
	/* The whole image needs W*H*4 bytes; one byte too far is refused. */
	uint64_t span = (uint64_t)PITCH * H;
	struct vgn_transfer t =
	    mk(0, (struct vgn_box){0, 0, 0, W, H, 1}, 0, 0, img.backing.len - span + 1);
	expect_refused(&t, -EINVAL);
	t.offset = img.backing.len;
	t.box = (struct vgn_box){0, 0, 0, 1, 1, 1};
	expect_refused(&t, -EINVAL);
	t.offset = img.backing.len - 3; /* a 4-byte texel straddling the end */
	expect_refused(&t, -EINVAL);
}
END_TEST

START_TEST(offset_near_2_64)
{
	struct vgn_transfer t = mk(0, (struct vgn_box){0, 0, 0, 1, 1, 1}, 0, 0, UINT64_MAX);
	expect_refused(&t, -EINVAL);
	t.offset = UINT64_MAX - 2;
	expect_refused(&t, -EINVAL);
	t.offset = 1ull << 63;
	expect_refused(&t, -EINVAL);
	t.offset = 1ull << 32;
	expect_refused(&t, -EINVAL);
}
END_TEST

START_TEST(offset_plus_span_wraps_64bit)
{
	/* offset + span wraps around 2^64 to a small number that a naive
	 * `offset + span <= len` check would accept. */
	struct vgn_transfer t = mk(0, (struct vgn_box){0, 0, 0, W, H, 1}, 0xffffffffu, 0, 0);
	uint64_t span = (uint64_t)(H - 1) * 0xffffffffu + PITCH;
	t.offset = (uint64_t)0 - span + 16;
	expect_refused(&t, -EINVAL);
	t = mk(0, (struct vgn_box){0, 0, 0, W, 1, 1}, 0, 0, (uint64_t)0 - PITCH + 8);
	expect_refused(&t, -EINVAL);
}
END_TEST

START_TEST(layer_stride_too_small)
{
	/* A 3D texture 16x16x4: two slices with a layer stride shorter than one
	 * slice of rows would make slices overlap. */
	struct vgn_resource_create_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.target = VGN_TARGET_3D;
	p.format = VGN_FORMAT_B8G8R8A8_UNORM;
	p.bind = VGN_BIND_SAMPLER_VIEW;
	p.width = 16;
	p.height = 16;
	p.depth = 4;
	p.array_size = 1;
	ck_assert_ok(vgn_resource_create(tv.r, 3, &p));
	ck_assert_ok(vms_attach_backing(&tv, 3, &img.backing));
	const struct vgn_box all = {0, 0, 0, 16, 16, 4};
	uint8_t *pat = malloc(16 * 16 * 4 * 4);
	ck_assert_ptr_nonnull(pat);
	vms_pattern_fill(pat, 16 * 16 * 4 * 4, 33);
	tres_write(&tv, 3, 0, all, 4, pat);
	struct vgn_transfer t = mk(0, (struct vgn_box){0, 0, 0, 16, 16, 2}, 64, 64 * 16 - 1, 0);
	expect_refused_on(&img, 3, &t, -EINVAL);
	t.layer_stride = 64;
	expect_refused_on(&img, 3, &t, -EINVAL);
	/* Slices 4 GiB apart: past the backing. */
	t.layer_stride = 0xffffffffu;
	expect_refused_on(&img, 3, &t, -EINVAL);
	/* 4 tight slices are 4096 bytes: starting 4 bytes too late is refused. */
	t = mk(0, (struct vgn_box){0, 0, 0, 16, 16, 4}, 0, 0, img.backing.len - 4096 + 4);
	expect_refused_on(&img, 3, &t, -EINVAL);
	uint8_t *now = tres_read(&tv, 3, 0, all, 4);
	tmem_expect_eq(now, pat, 16 * 16 * 4 * 4, "3D host copy after refusals");
	free(now);
	free(pat);
	/* The exact fit is accepted (checks the boundary is inclusive). */
	t = mk(0, (struct vgn_box){0, 0, 0, 16, 16, 2}, 64, 64 * 16, img.backing.len - 2048);
	ck_assert_ok(vgn_resource_transfer_to_host(tv.r, 3, &t));
	ck_assert_ok(vgn_resource_unref(tv.r, 3));
}
END_TEST

START_TEST(transfer_struct_bad)
{
	struct vgn_transfer t = mk(0, (struct vgn_box){0, 0, 0, 1, 1, 1}, 0, 0, 0);
	ck_assert_rc(vgn_resource_transfer_to_host(tv.r, 1, NULL), -EINVAL);
	ck_assert_rc(vgn_resource_transfer_from_host(tv.r, 1, NULL), -EINVAL);
	t.size = 4;
	expect_refused(&t, -EINVAL);
	t.size = VGN_TRANSFER_SIZE_V1 - 1;
	expect_refused(&t, -EINVAL);
	t.size = 0;
	expect_refused(&t, -EINVAL);
}
END_TEST

START_TEST(explicit_iov_bad)
{
	struct iovec iov[2];
	uint8_t buf[64];
	struct vgn_transfer t = mk(0, (struct vgn_box){0, 0, 0, 4, 1, 1}, 0, 0, 0);
	/* Count without array. */
	t.iov = NULL;
	t.num_iovs = 2;
	expect_refused(&t, -EINVAL);
	/* A NULL base. */
	iov[0].iov_base = NULL;
	iov[0].iov_len = 64;
	t.iov = iov;
	t.num_iovs = 1;
	expect_refused(&t, -EINVAL);
	/* Lengths whose sum overflows 64 bits. */
	iov[0].iov_base = buf;
	iov[0].iov_len = SIZE_MAX;
	iov[1].iov_base = buf;
	iov[1].iov_len = 2;
	t.num_iovs = 2;
	expect_refused(&t, -EINVAL);
	/* Too short for the box: 4 texels need 16 bytes. */
	iov[0].iov_len = 15;
	t.num_iovs = 1;
	expect_refused(&t, -EINVAL);
	/* A count far beyond the array. */
	iov[0].iov_len = 64;
	t.num_iovs = 0xffffffffu;
	expect_refused(&t, -EINVAL);
	/* Array without count. */
	iov[0].iov_len = 64;
	t.num_iovs = 0;
	expect_refused(&t, -EINVAL);
}
END_TEST

START_TEST(unknown_resource)
{
	struct vgn_transfer t = mk(0, (struct vgn_box){0, 0, 0, 1, 1, 1}, 0, 0, 0);
	ck_assert_rc(vgn_resource_transfer_to_host(tv.r, 77, &t), -ENOENT);
	ck_assert_rc(vgn_resource_transfer_from_host(tv.r, 77, &t), -ENOENT);
	ck_assert_rc(vgn_resource_transfer_to_host(tv.r, 0, &t), -ENOENT);
	ck_assert_rc(vgn_resource_transfer_from_host(tv.r, 0xffffffffu, &t), -ENOENT);
}
END_TEST

START_TEST(unknown_context)
{
	struct vgn_transfer t = mk(0, (struct vgn_box){0, 0, 0, W, H, 1}, 0, 0, 0);
	t.ctx_id = 5;
	expect_refused(&t, -ENOENT);
	t.ctx_id = 0xffffffffu;
	expect_refused(&t, -ENOENT);
}
END_TEST

START_TEST(no_backing)
{
	/* Without an attached backing (and no iov in the call) there is nothing to copy. */
	ck_assert_ok(vms_resource_create_2d(&tv, 4, VGN_FORMAT_B8G8R8A8_UNORM, 8, 8));
	struct vgn_transfer t = mk(0, (struct vgn_box){0, 0, 0, 8, 8, 1}, 0, 0, 0);
	ck_assert_rc(vgn_resource_transfer_to_host(tv.r, 4, &t), -EINVAL);
	ck_assert_rc(vgn_resource_transfer_from_host(tv.r, 4, &t), -EINVAL);
	/* After detach the same holds, and the host copy survives. */
	uint8_t *host = timg_host_copy(&tv, &img);
	ck_assert_ok(vgn_resource_detach_backing(tv.r, img.res_id));
	t.box = (struct vgn_box){0, 0, 0, W, H, 1};
	ck_assert_rc(vgn_resource_transfer_to_host(tv.r, img.res_id, &t), -EINVAL);
	ck_assert_rc(vgn_resource_transfer_from_host(tv.r, img.res_id, &t), -EINVAL);
	timg_expect_host(&tv, &img, host);
	free(host);
	ck_assert_ok(vgn_resource_unref(tv.r, 4));
}
END_TEST

START_TEST(unreffed_resource)
{
	ck_assert_ok(vms_resource_create_2d(&tv, 6, VGN_FORMAT_B8G8R8A8_UNORM, 8, 8));
	ck_assert_ok(vms_attach_backing(&tv, 6, &img.backing));
	ck_assert_ok(vgn_resource_unref(tv.r, 6));
	struct vgn_transfer t = mk(0, (struct vgn_box){0, 0, 0, 8, 8, 1}, 0, 0, 0);
	ck_assert_rc(vgn_resource_transfer_to_host(tv.r, 6, &t), -ENOENT);
	ck_assert_rc(vgn_resource_transfer_from_host(tv.r, 6, &t), -ENOENT);
}
END_TEST

START_TEST(boundaries_inclusive)
{
	/* The largest legal transfers succeed: box to the last texel, span to the last
	 * backing byte. Guards against off-by-one in the validator. */
	struct vgn_transfer t =
	    mk(0, (struct vgn_box){W - 1, H - 1, 0, 1, 1, 1}, 0, 0, img.backing.len - BPP);
	ck_assert_ok(vgn_resource_transfer_to_host(tv.r, 1, &t));
	uint8_t px[4], guest[4];
	vms_backing_read(&tv.guest, &img.backing, img.backing.len - BPP, guest, 4);
	ck_assert_ok(vms_copy_out(&tv, 1, W - 1, H - 1, 1, 1, px, sizeof(px), 4));
	tmem_expect_eq(px, guest, 4, "last texel");
	t = mk(0, (struct vgn_box){0, 0, 0, W, H, 1}, 0, 0, img.backing.len - PITCH * H);
	ck_assert_ok(vgn_resource_transfer_from_host(tv.r, 1, &t));
}
END_TEST

static Suite *transfer_suite(void)
{
	Suite *s = suite_create("transfer-refused");
	TCase *tc = tcase_create("refused");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, x_wraps_32bit);
	tcase_add_test(tc, y_wraps_32bit);
	tcase_add_test(tc, z_wraps_32bit);
	tcase_add_test(tc, huge_extent);
	tcase_add_test(tc, x_past_extent);
	tcase_add_test(tc, y_past_extent);
	tcase_add_test(tc, z_past_depth_of_2d);
	tcase_add_test(tc, zero_size_box);
	tcase_add_test(tc, level_past_last);
	tcase_add_test(tc, level_past_last_mipmapped);
	tcase_add_test(tc, stride_below_row_bytes);
	tcase_add_test(tc, stride_huge_span_past_backing);
	tcase_add_test(tc, offset_plus_span_past_backing);
	tcase_add_test(tc, offset_near_2_64);
	tcase_add_test(tc, offset_plus_span_wraps_64bit);
	tcase_add_test(tc, layer_stride_too_small);
	tcase_add_test(tc, transfer_struct_bad);
	tcase_add_test(tc, explicit_iov_bad);
	tcase_add_test(tc, unknown_resource);
	tcase_add_test(tc, unknown_context);
	tcase_add_test(tc, no_backing);
	tcase_add_test(tc, unreffed_resource);
	tcase_add_test(tc, boundaries_inclusive);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(transfer_suite());
}
