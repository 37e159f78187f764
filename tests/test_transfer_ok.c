/* SPDX-License-Identifier: MIT */
/* Transfers that must work, byte-exact: scattered and odd-sized guest pages,
 * linear shared mappings, explicit strides and offsets, partial boxes, mip levels,
 * 3D and array slices, buffers, and the copy-out path. The expected host content
 * is modelled in the test and compared with what the library holds. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#define W 64u
#define H 32u
#define PITCH (W * 4u)

static const enum vms_layout layouts[] = {VMS_SCATTER, VMS_SCATTER_ODD, VMS_LINEAR};

START_TEST(roundtrip_layouts)
{
	struct timg img;
	timg_create(&tv, &img, 1, VGN_FORMAT_B8G8R8A8_UNORM, W, H, layouts[_i], VMS_PAGE_SIZE,
	            40 + _i);
	uint8_t *guest = tback_copy(&tv, &img.backing);
	timg_expect_host(&tv, &img, guest);
	/* Read it back into cleared guest pages: the image, and not a byte more. A
	 * LINEAR backing may be used directly as the host copy (shared mapping), in
	 * which case clearing the pages cleared the image too. */
	vms_backing_fill(&tv.guest, &img.backing, 0);
	uint8_t *host = timg_host_copy(&tv, &img);
	if (layouts[_i] != VMS_LINEAR)
		tmem_expect_eq(host, guest, timg_size(&img), "host copy after guest clear");
	struct vgn_box box = {0, 0, 0, W, H, 1};
	ck_assert_ok(vms_transfer(&tv, false, 1, 0, 0, &box, 0, 0, 0));
	uint8_t *back = tback_copy(&tv, &img.backing);
	tmem_expect_eq(back, host, timg_size(&img), "read back");
	for (size_t i = timg_size(&img); i < img.backing.len; i++)
		ck_assert_uint_eq(back[i], 0);
	free(host);
	free(back);
	free(guest);
	timg_destroy(&tv, &img);
}
END_TEST

START_TEST(partial_box_virtio_2d)
{
	/* TRANSFER_TO_HOST_2D of a dirty rectangle: offset = y * pitch + x * bpp. */
	struct timg img;
	timg_create(&tv, &img, 1, VGN_FORMAT_B8G8R8A8_UNORM, W, H, layouts[_i], 0, 1);
	uint8_t *ref = tback_copy(&tv, &img.backing);
	uint8_t *fresh = malloc(img.backing.len);
	ck_assert_ptr_nonnull(fresh);
	vms_pattern_fill(fresh, img.backing.len, 2);
	vms_backing_write(&tv.guest, &img.backing, 0, fresh, img.backing.len);
	const uint32_t x = 5, y = 3, w = 10, h = 4;
	ck_assert_ok(vms_transfer_to_host_2d(&tv, 1, x, y, w, h, y * PITCH + x * 4));
	for (uint32_t r = y; r < y + h; r++)
		memcpy(ref + r * PITCH + x * 4, fresh + r * PITCH + x * 4, w * 4);
	timg_expect_host(&tv, &img, ref);
	free(ref);
	free(fresh);
	timg_destroy(&tv, &img);
}
END_TEST

START_TEST(explicit_stride_offset_iov)
{
	/* Upload from a second, separate iov list with rows 300 bytes apart starting
	 * 4100 bytes in (across a page boundary); the attached backing is not used. */
	struct timg img;
	struct vms_backing b2;
	timg_create(&tv, &img, 1, VGN_FORMAT_B8G8R8A8_UNORM, W, H, VMS_SCATTER, 0, 1);
	uint8_t *ref = timg_host_copy(&tv, &img);
	uint8_t *att = tback_copy(&tv, &img.backing);
	ck_assert_ok(vms_backing_alloc(&tv.guest, 3 * VMS_PAGE_SIZE, VMS_SCATTER_ODD, &b2));
	uint8_t *src = malloc(b2.len);
	ck_assert_ptr_nonnull(src);
	vms_pattern_fill(src, b2.len, 3);
	vms_backing_write(&tv.guest, &b2, 0, src, b2.len);

	const struct vgn_box box = {7, 9, 0, 20, 10, 1};
	struct vgn_transfer t;
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.box = box;
	t.stride = 300;
	t.offset = 4100;
	t.iov = b2.iov;
	t.num_iovs = b2.num_iovs;
	ck_assert_ok(vgn_resource_transfer_to_host(tv.r, 1, &t));
	for (uint32_t r = 0; r < box.h; r++)
		memcpy(ref + (box.y + r) * PITCH + box.x * 4, src + 4100 + r * 300, box.w * 4);
	timg_expect_host(&tv, &img, ref);
	tback_expect(&tv, &img.backing, att);

	/* And back out through the same layout into cleared pages. */
	vms_backing_fill(&tv.guest, &b2, 0xcd);
	ck_assert_ok(vgn_resource_transfer_from_host(tv.r, 1, &t));
	uint8_t *back = tback_copy(&tv, &b2);
	for (size_t i = 0; i < b2.len; i++) {
		size_t rel = i - 4100;
		bool in_box = i >= 4100 && rel / 300 < box.h && rel % 300 < box.w * 4;
		uint8_t want = in_box ? src[i] : 0xcd;
		if (back[i] != want)
			ck_abort_msg("guest byte %zu: 0x%02x, want 0x%02x", i, back[i], want);
	}
	free(back);
	free(src);
	free(att);
	free(ref);
	vms_backing_free(&tv.guest, &b2);
	timg_destroy(&tv, &img);
}
END_TEST

START_TEST(from_host_touches_only_box_rows)
{
	struct timg img;
	timg_create(&tv, &img, 1, VGN_FORMAT_B8G8R8A8_UNORM, W, H, VMS_SCATTER_ODD, 0, 4);
	uint8_t *host = timg_host_copy(&tv, &img);
	vms_backing_fill(&tv.guest, &img.backing, 0xcd);
	const struct vgn_box box = {3, 2, 0, 9, 5, 1};
	ck_assert_ok(vms_transfer(&tv, false, 1, 0, 0, &box, 100, 0, 50));
	uint8_t *g = tback_copy(&tv, &img.backing);
	uint8_t *want = malloc(img.backing.len);
	ck_assert_ptr_nonnull(want);
	memset(want, 0xcd, img.backing.len);
	for (uint32_t r = 0; r < box.h; r++)
		memcpy(want + 50 + r * 100, host + (box.y + r) * PITCH + box.x * 4, box.w * 4);
	tmem_expect_eq(g, want, img.backing.len, "guest after from_host");

	/* stride 0 = the level's own pitch, even for a partial box. */
	vms_backing_fill(&tv.guest, &img.backing, 0xcd);
	const struct vgn_box box2 = {4, 4, 0, 8, 2, 1};
	ck_assert_ok(vms_transfer(&tv, false, 1, 0, 0, &box2, 0, 0, 4 * PITCH + 16));
	memset(want, 0xcd, img.backing.len);
	for (uint32_t r = 0; r < box2.h; r++)
		memcpy(want + (4 + r) * PITCH + 16, host + (4 + r) * PITCH + 16, 8 * 4);
	free(g);
	g = tback_copy(&tv, &img.backing);
	tmem_expect_eq(g, want, img.backing.len, "guest after stride-0 from_host");
	/* The host copy is untouched by reads. */
	timg_expect_host(&tv, &img, host);
	free(g);
	free(want);
	free(host);
	timg_destroy(&tv, &img);
}
END_TEST

START_TEST(linear_shared_mapping)
{
	/* One contiguous view of scrambled guest pages: writes through the page list
	 * are what the linear view shows, and the library sees the same bytes. */
	struct timg img;
	timg_create(&tv, &img, 1, VGN_FORMAT_B8G8R8A8_UNORM, W, H, VMS_LINEAR, 0, 5);
	ck_assert_uint_eq(img.backing.num_iovs, 1);
	uint8_t *lin = img.backing.linear;
	for (size_t i = 0; i < img.backing.len; i += 997)
		ck_assert_uint_eq(lin[i], vms_pattern(5, i));
	timg_expect_host(&tv, &img, lin);
	/* Change a rectangle through the page list, upload it, compare. */
	uint8_t px[4] = {1, 2, 3, 4};
	for (uint32_t r = 10; r < 20; r++)
		for (uint32_t c = 30; c < 40; c++)
			vms_backing_write(&tv.guest, &img.backing, r * PITCH + c * 4, px, 4);
	ck_assert_ok(vms_transfer_to_host_2d(&tv, 1, 30, 10, 10, 10, 10 * PITCH + 30 * 4));
	timg_expect_host(&tv, &img, lin);
	/* A read back into a separate buffer gives the same bytes. */
	struct vgn_box box = {0, 0, 0, W, H, 1};
	uint8_t *rb = tres_read(&tv, 1, 0, box, 4);
	tmem_expect_eq(rb, lin, timg_size(&img), "from_host of a linear resource");
	free(rb);
	/* Detach, then the VMM unmaps and reuses the pages: the host copy keeps the
	 * content it had at detach time and never touches the old mapping. */
	uint8_t *host = timg_host_copy(&tv, &img);
	ck_assert_ok(vgn_resource_detach_backing(tv.r, 1));
	vms_backing_fill(&tv.guest, &img.backing, 0x77);
	vms_backing_free(&tv.guest, &img.backing); /* munmaps the linear view */
	timg_expect_host(&tv, &img, host);
	free(host);
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
}
END_TEST

static uint32_t mip(uint32_t v, uint32_t l)
{
	v >>= l;
	return v ? v : 1;
}

START_TEST(mip_levels)
{
	struct vgn_resource_create_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.target = VGN_TARGET_2D;
	p.format = VGN_FORMAT_R8G8B8A8_UNORM;
	p.bind = VGN_BIND_SAMPLER_VIEW;
	p.width = 32;
	p.height = 16;
	p.depth = 1;
	p.array_size = 1;
	p.last_level = 5; /* 32x16, 16x8, 8x4, 4x2, 2x1, 1x1 */
	ck_assert_ok(vgn_resource_create(tv.r, 2, &p));
	uint8_t *pats[6];
	for (uint32_t l = 0; l <= 5; l++) {
		struct vgn_box b = {0, 0, 0, mip(32, l), mip(16, l), 1};
		size_t len = (size_t)b.w * b.h * 4;
		pats[l] = malloc(len);
		ck_assert_ptr_nonnull(pats[l]);
		vms_pattern_fill(pats[l], len, 100 + l);
		tres_write(&tv, 2, l, b, 4, pats[l]);
	}
	/* A partial box on level 2 (8x4). */
	uint8_t patch[3 * 2 * 4];
	vms_pattern_fill(patch, sizeof(patch), 7);
	tres_write(&tv, 2, 2, (struct vgn_box){1, 1, 0, 3, 2, 1}, 4, patch);
	for (uint32_t r = 0; r < 2; r++)
		memcpy(pats[2] + ((1 + r) * 8 + 1) * 4, patch + r * 12, 12);
	for (uint32_t l = 0; l <= 5; l++) {
		struct vgn_box b = {0, 0, 0, mip(32, l), mip(16, l), 1};
		uint8_t *got = tres_read(&tv, 2, l, b, 4);
		tmem_expect_eq(got, pats[l], (size_t)b.w * b.h * 4, "mip level");
		free(got);
	}
	/* Copy-out reads level 0. */
	uint8_t *l0 = malloc(32 * 16 * 4);
	ck_assert_ptr_nonnull(l0);
	ck_assert_ok(vms_copy_out(&tv, 2, 0, 0, 32, 16, l0, 32 * 16 * 4, 32 * 4));
	tmem_expect_eq(l0, pats[0], 32 * 16 * 4, "copy-out of level 0");
	free(l0);
	for (uint32_t l = 0; l <= 5; l++)
		free(pats[l]);
	ck_assert_ok(vgn_resource_unref(tv.r, 2));
}
END_TEST

START_TEST(texture_3d_slices)
{
	struct vgn_resource_create_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.target = VGN_TARGET_3D;
	p.format = VGN_FORMAT_R8G8B8A8_UNORM;
	p.bind = VGN_BIND_SAMPLER_VIEW;
	p.width = 8;
	p.height = 8;
	p.depth = 4;
	p.array_size = 1;
	ck_assert_ok(vgn_resource_create(tv.r, 3, &p));
	struct vms_backing b;
	ck_assert_ok(vms_backing_alloc(&tv.guest, 2 * VMS_PAGE_SIZE, VMS_SCATTER_ODD, &b));
	ck_assert_ok(vms_attach_backing(&tv, 3, &b));
	uint8_t *src = malloc(b.len);
	ck_assert_ptr_nonnull(src);
	vms_pattern_fill(src, b.len, 8);
	vms_backing_write(&tv.guest, &b, 0, src, b.len);
	/* Rows 40 bytes apart (32 used), slices 344 bytes apart, 12 bytes in. */
	const struct vgn_box all = {0, 0, 0, 8, 8, 4};
	ck_assert_ok(vms_transfer(&tv, true, 3, 0, 0, &all, 40, 344, 12));
	uint8_t want[8 * 8 * 4 * 4];
	for (uint32_t z = 0; z < 4; z++)
		for (uint32_t y = 0; y < 8; y++)
			memcpy(want + (z * 8 + y) * 32, src + 12 + z * 344 + y * 40, 32);
	uint8_t *got = tres_read(&tv, 3, 0, all, 4);
	tmem_expect_eq(got, want, sizeof(want), "3D host copy");
	free(got);
	/* Slices 1..2, rows 2..4, columns 1..6 back out with tight strides (0). */
	vms_backing_fill(&tv.guest, &b, 0xcd);
	const struct vgn_box sub = {1, 2, 1, 6, 3, 2};
	ck_assert_ok(vms_transfer(&tv, false, 3, 0, 0, &sub, 0, 0, 0));
	uint8_t *g = tback_copy(&tv, &b);
	/* Tight layout of the level: pitch 32, slice 256. */
	for (size_t i = 0; i < b.len; i++) {
		size_t z = i / 256, y = i % 256 / 32, xb = i % 32;
		bool in = z < 2 && y < 3 && xb < 24;
		uint8_t w = in ? want[((sub.z + z) * 8 + sub.y + y) * 32 + sub.x * 4 + xb] : 0xcd;
		if (g[i] != w)
			ck_abort_msg("3D read-back byte %zu: 0x%02x want 0x%02x", i, g[i], w);
	}
	free(g);
	free(src);
	ck_assert_ok(vgn_resource_unref(tv.r, 3));
	vms_backing_free(&tv.guest, &b);
}
END_TEST

START_TEST(array_layers)
{
	struct vgn_resource_create_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.target = VGN_TARGET_2D_ARRAY;
	p.format = VGN_FORMAT_B8G8R8A8_UNORM;
	p.bind = VGN_BIND_SAMPLER_VIEW;
	p.width = 8;
	p.height = 8;
	p.depth = 1;
	p.array_size = 5;
	ck_assert_ok(vgn_resource_create(tv.r, 4, &p));
	const struct vgn_box all = {0, 0, 0, 8, 8, 5};
	uint8_t a[8 * 8 * 4 * 5], b[8 * 8 * 4];
	vms_pattern_fill(a, sizeof(a), 9);
	vms_pattern_fill(b, sizeof(b), 10);
	tres_write(&tv, 4, 0, all, 4, a);
	tres_write(&tv, 4, 0, (struct vgn_box){0, 0, 2, 8, 8, 1}, 4, b);
	memcpy(a + 2 * sizeof(b), b, sizeof(b));
	uint8_t *got = tres_read(&tv, 4, 0, all, 4);
	tmem_expect_eq(got, a, sizeof(a), "array layers");
	free(got);
	/* Layer 5 does not exist. */
	struct iovec iov = {b, sizeof(b)};
	struct vgn_transfer t;
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.box = (struct vgn_box){0, 0, 5, 8, 8, 1};
	t.iov = &iov;
	t.num_iovs = 1;
	ck_assert_rc(vgn_resource_transfer_to_host(tv.r, 4, &t), -EINVAL);
	t.box = (struct vgn_box){0, 0, 4, 8, 8, 2};
	ck_assert_rc(vgn_resource_transfer_to_host(tv.r, 4, &t), -EINVAL);
	got = tres_read(&tv, 4, 0, all, 4);
	tmem_expect_eq(got, a, sizeof(a), "array layers after refusals");
	free(got);
	ck_assert_ok(vgn_resource_unref(tv.r, 4));
}
END_TEST

START_TEST(buffer_target)
{
	struct vgn_resource_create_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.target = VGN_TARGET_BUFFER;
	p.format = VGN_FORMAT_R8_UNORM;
	p.bind = VGN_BIND_VERTEX_BUFFER;
	p.width = 10000;
	p.height = 1;
	p.depth = 1;
	p.array_size = 1;
	ck_assert_ok(vgn_resource_create(tv.r, 5, &p));
	const struct vgn_box all = {0, 0, 0, 10000, 1, 1};
	uint8_t *a = malloc(10000);
	ck_assert_ptr_nonnull(a);
	vms_pattern_fill(a, 10000, 11);
	tres_write(&tv, 5, 0, all, 1, a);
	struct vms_backing b;
	ck_assert_ok(vms_backing_alloc(&tv.guest, 3 * VMS_PAGE_SIZE, VMS_SCATTER_ODD, &b));
	ck_assert_ok(vms_attach_backing(&tv, 5, &b));
	uint8_t *src = malloc(b.len);
	ck_assert_ptr_nonnull(src);
	vms_pattern_fill(src, b.len, 12);
	vms_backing_write(&tv.guest, &b, 0, src, b.len);
	const struct vgn_box part = {1000, 0, 0, 3000, 1, 1};
	ck_assert_ok(vms_transfer(&tv, true, 5, 0, 0, &part, 0, 0, 17));
	memcpy(a + 1000, src + 17, 3000);
	uint8_t *got = tres_read(&tv, 5, 0, all, 1);
	tmem_expect_eq(got, a, 10000, "buffer");
	free(got);
	/* One byte past the end of the buffer. */
	const struct vgn_box past = {9000, 0, 0, 1001, 1, 1};
	ck_assert_rc(vms_transfer(&tv, true, 5, 0, 0, &past, 0, 0, 0), -EINVAL);
	got = tres_read(&tv, 5, 0, all, 1);
	tmem_expect_eq(got, a, 10000, "buffer after refusal");
	free(got);
	free(src);
	free(a);
	ck_assert_ok(vgn_resource_unref(tv.r, 5));
	vms_backing_free(&tv.guest, &b);
}
END_TEST

static const struct {
	uint32_t format, w, h;
	struct vgn_box box;
} odd[] = {
    {VGN_FORMAT_R8_UNORM, 13, 7, {3, 2, 0, 5, 3, 1}},
    {VGN_FORMAT_B5G6R5_UNORM, 33, 9, {31, 0, 0, 2, 9, 1}},
    {VGN_FORMAT_R8G8B8X8_UNORM, 17, 5, {0, 4, 0, 17, 1, 1}},
};

START_TEST(odd_sizes_partial)
{
	/* Tight pitches that are not multiples of 4 (13, 66, 68 bytes). */
	struct timg img;
	timg_create(&tv, &img, 1, odd[_i].format, odd[_i].w, odd[_i].h, VMS_SCATTER_ODD, 0,
	            20 + _i);
	uint8_t *ref = tback_copy(&tv, &img.backing);
	timg_expect_host(&tv, &img, ref);
	uint8_t *fresh = malloc(img.backing.len);
	ck_assert_ptr_nonnull(fresh);
	vms_pattern_fill(fresh, img.backing.len, 30 + _i);
	vms_backing_write(&tv.guest, &img.backing, 0, fresh, img.backing.len);
	const struct vgn_box *b = &odd[_i].box;
	uint32_t pitch = img.width * img.bpp;
	ck_assert_ok(
	    vms_transfer_to_host_2d(&tv, 1, b->x, b->y, b->w, b->h, b->y * pitch + b->x * img.bpp));
	for (uint32_t r = b->y; r < b->y + b->h; r++)
		memcpy(ref + r * pitch + b->x * img.bpp, fresh + r * pitch + b->x * img.bpp,
		       b->w * img.bpp);
	timg_expect_host(&tv, &img, ref);
	free(ref);
	free(fresh);
	timg_destroy(&tv, &img);
}
END_TEST

START_TEST(large_image_many_pages)
{
	struct timg img;
	timg_create(&tv, &img, 1, VGN_FORMAT_B8G8R8A8_UNORM, 300, 200, VMS_SCATTER_ODD, 0, 13);
	ck_assert_uint_ge(img.backing.num_iovs, 118);
	uint8_t *guest = tback_copy(&tv, &img.backing);
	timg_expect_host(&tv, &img, guest);
	vms_backing_fill(&tv.guest, &img.backing, 0);
	struct vgn_box box = {0, 0, 0, 300, 200, 1};
	ck_assert_ok(vms_transfer(&tv, false, 1, 0, 0, &box, 0, 0, 0));
	uint8_t *back = tback_copy(&tv, &img.backing);
	tmem_expect_eq(back, guest, timg_size(&img), "read back");
	for (size_t i = timg_size(&img); i < img.backing.len; i++)
		ck_assert_uint_eq(back[i], 0);
	free(back);
	free(guest);
	timg_destroy(&tv, &img);
}
END_TEST

START_TEST(short_backing)
{
	/* A backing of one page covers rows 0..15 of a 64x32 image. */
	struct vms_backing b;
	ck_assert_ok(vms_resource_create_2d(&tv, 1, VGN_FORMAT_B8G8R8A8_UNORM, W, H));
	ck_assert_ok(vms_backing_alloc(&tv.guest, VMS_PAGE_SIZE, VMS_SCATTER, &b));
	ck_assert_ok(vms_attach_backing(&tv, 1, &b));
	uint8_t pat[VMS_PAGE_SIZE];
	vms_pattern_fill(pat, sizeof(pat), 14);
	vms_backing_write(&tv.guest, &b, 0, pat, sizeof(pat));
	ck_assert_ok(vms_transfer_to_host_2d(&tv, 1, 0, 0, W, 16, 0));
	uint8_t host[16 * PITCH];
	ck_assert_ok(vms_copy_out(&tv, 1, 0, 0, W, 16, host, sizeof(host), PITCH));
	tmem_expect_eq(host, pat, sizeof(host), "16 rows");
	vms_backing_fill(&tv.guest, &b, 0x11);
	ck_assert_rc(vms_transfer_to_host_2d(&tv, 1, 0, 0, W, 17, 0), -EINVAL);
	ck_assert_rc(vms_transfer_to_host_2d(&tv, 1, 0, 1, W, 16, PITCH), -EINVAL);
	ck_assert_ok(vms_copy_out(&tv, 1, 0, 0, W, 16, host, sizeof(host), PITCH));
	tmem_expect_eq(host, pat, sizeof(host), "16 rows after refusals");
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	vms_backing_free(&tv.guest, &b);
}
END_TEST

START_TEST(transfer_future_size)
{
	struct timg img;
	timg_create(&tv, &img, 1, VGN_FORMAT_B8G8R8A8_UNORM, 16, 16, VMS_SCATTER, 0, 15);
	struct {
		struct vgn_transfer t;
		uint8_t tail[32];
	} big;
	memset(&big, 0, sizeof(big));
	big.t.size = sizeof(big);
	big.t.box = (struct vgn_box){0, 0, 0, 16, 16, 1};
	vms_backing_fill(&tv.guest, &img.backing, 0);
	ck_assert_ok(vgn_resource_transfer_from_host(tv.r, 1, &big.t));
	uint8_t *g = tback_copy(&tv, &img.backing);
	for (size_t i = 0; i < 16 * 16 * 4; i++)
		ck_assert_uint_eq(g[i], vms_pattern(15, i));
	free(g);
	timg_destroy(&tv, &img);
}
END_TEST

START_TEST(compressed_blocks)
{
	/* DXT1 10x6: 3x2 blocks of 8 bytes; tight pitch 24. Boxes must be whole blocks
	 * unless they reach the edge of the level. */
	struct vgn_resource_create_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.target = VGN_TARGET_2D;
	p.format = 106; /* DXT1_RGBA */
	p.bind = VGN_BIND_SAMPLER_VIEW;
	p.width = 10;
	p.height = 6;
	p.depth = 1;
	p.array_size = 1;
	ck_assert_ok(vgn_resource_create(tv.r, 6, &p));
	struct vms_backing b;
	ck_assert_ok(vms_backing_alloc(&tv.guest, VMS_PAGE_SIZE, VMS_SCATTER_ODD, &b));
	ck_assert_ok(vms_attach_backing(&tv, 6, &b));
	uint8_t src[48];
	vms_pattern_fill(src, sizeof(src), 60);
	vms_backing_write(&tv.guest, &b, 0, src, sizeof(src));
	const struct vgn_box all = {0, 0, 0, 10, 6, 1};
	ck_assert_ok(vms_transfer(&tv, true, 6, 0, 0, &all, 0, 0, 0));
	uint8_t *got = tres_read(&tv, 6, 0, (struct vgn_box){0, 0, 0, 4, 4, 1}, 8);
	tmem_expect_eq(got, src, 8, "first block");
	free(got);
	/* The partial edge block column: box (8,0) 2x6 = one block column, 2 rows. */
	vms_backing_fill(&tv.guest, &b, 0xcd);
	const struct vgn_box edge = {8, 0, 0, 2, 6, 1};
	ck_assert_ok(vms_transfer(&tv, false, 6, 0, 0, &edge, 0, 0, 0));
	uint8_t g[48];
	vms_backing_read(&tv.guest, &b, 0, g, sizeof(g));
	tmem_expect_eq(g, src + 16, 8, "edge block row 0");
	tmem_expect_eq(g + 24, src + 40, 8, "edge block row 1");
	for (unsigned i = 8; i < 24; i++)
		ck_assert_uint_eq(g[i], 0xcd);
	static const struct vgn_box bad[] = {
	    {1, 0, 0, 4, 4, 1}, {0, 1, 0, 4, 4, 1}, {0, 0, 0, 5, 4, 1}, {0, 0, 0, 4, 3, 1}};
	for (unsigned i = 0; i < 4; i++)
		ck_assert_rc(vms_transfer(&tv, true, 6, 0, 0, &bad[i], 0, 0, 0), -EINVAL);
	ck_assert_ok(vgn_resource_unref(tv.r, 6));
	vms_backing_free(&tv.guest, &b);
}
END_TEST

START_TEST(cube_faces)
{
	struct vgn_resource_create_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.target = VGN_TARGET_CUBE;
	p.format = VGN_FORMAT_R8G8B8A8_UNORM;
	p.bind = VGN_BIND_SAMPLER_VIEW;
	p.width = 8;
	p.height = 8;
	p.depth = 1;
	p.array_size = 6;
	p.last_level = 1;
	ck_assert_ok(vgn_resource_create(tv.r, 7, &p));
	const struct vgn_box l0 = {0, 0, 0, 8, 8, 6}, l1 = {0, 0, 0, 4, 4, 6};
	uint8_t a[8 * 8 * 4 * 6], b1[4 * 4 * 4 * 6], face[8 * 8 * 4];
	vms_pattern_fill(a, sizeof(a), 61);
	vms_pattern_fill(b1, sizeof(b1), 62);
	vms_pattern_fill(face, sizeof(face), 63);
	tres_write(&tv, 7, 0, l0, 4, a);
	tres_write(&tv, 7, 1, l1, 4, b1);
	tres_write(&tv, 7, 0, (struct vgn_box){0, 0, 5, 8, 8, 1}, 4, face);
	memcpy(a + 5 * sizeof(face), face, sizeof(face));
	uint8_t *got = tres_read(&tv, 7, 0, l0, 4);
	tmem_expect_eq(got, a, sizeof(a), "cube level 0");
	free(got);
	got = tres_read(&tv, 7, 1, l1, 4);
	tmem_expect_eq(got, b1, sizeof(b1), "cube level 1");
	free(got);
	struct iovec iov = {face, sizeof(face)};
	struct vgn_transfer t;
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.box = (struct vgn_box){0, 0, 6, 8, 8, 1}; /* there is no face 6 */
	t.iov = &iov;
	t.num_iovs = 1;
	ck_assert_rc(vgn_resource_transfer_to_host(tv.r, 7, &t), -EINVAL);
	ck_assert_ok(vgn_resource_unref(tv.r, 7));
}
END_TEST

START_TEST(iov_with_empty_and_tiny_elements)
{
	/* A guest list with zero-length and one-byte elements between real pieces. */
	enum { W2 = 7, H2 = 5, N = W2 * H2 * 4 };
	uint8_t mem[N + 64], want[N];
	struct iovec iov[64];
	uint32_t n = 0;
	size_t off = 0;
	for (uint32_t i = 0; off < N; i++) {
		size_t piece = i % 3 == 0 ? 0 : i % 3 == 1 ? 1 : 9;
		if (piece > N - off)
			piece = N - off;
		iov[n].iov_base = mem + off + 32 * (i % 2); /* base must be non-NULL */
		iov[n].iov_len = piece;
		if (piece)
			iov[n].iov_base = mem + off;
		off += piece;
		n++;
	}
	ck_assert_uint_lt(n, 64);
	vms_pattern_fill(mem, sizeof(mem), 64);
	memcpy(want, mem, N);
	ck_assert_ok(vms_resource_create_2d(&tv, 8, VGN_FORMAT_B8G8R8A8_UNORM, W2, H2));
	struct vgn_backing bk;
	memset(&bk, 0, sizeof(bk));
	bk.size = sizeof(bk);
	bk.iov = iov;
	bk.num_iovs = n;
	bk.dmabuf_fd = -1;
	ck_assert_ok(vgn_resource_attach_backing(tv.r, 8, &bk));
	ck_assert_ok(vms_transfer_to_host_2d(&tv, 8, 0, 0, W2, H2, 0));
	uint8_t out[N];
	ck_assert_ok(vms_copy_out(&tv, 8, 0, 0, W2, H2, out, N, W2 * 4));
	tmem_expect_eq(out, want, N, "host copy");
	memset(mem, 0, sizeof(mem));
	const struct vgn_box box = {1, 1, 0, 5, 3, 1};
	ck_assert_ok(vms_transfer(&tv, false, 8, 0, 0, &box, 0, 0, W2 * 4 + 4));
	for (uint32_t i = 0; i < N; i++) {
		uint32_t r = i / (W2 * 4), c = i % (W2 * 4);
		bool in = r >= 1 && r < 4 && c >= 4 && c < 24;
		ck_assert_uint_eq(mem[i], in ? want[i] : 0);
	}
	ck_assert_ok(vgn_resource_unref(tv.r, 8));
}
END_TEST

static int race_stop; /* accessed with __atomic builtins */

static void *race_transfers(void *arg)
{
	int *bad = arg;
	uint8_t out[16 * 16 * 4];
	while (!__atomic_load_n(&race_stop, __ATOMIC_SEQ_CST)) {
		int rc = vms_transfer_to_host_2d(&tv, 9, 0, 0, 16, 16, 0);
		if (rc != 0 && rc != -ENOENT && rc != -EINVAL)
			(*bad)++;
		rc = vms_copy_out(&tv, 9, 0, 0, 16, 16, out, sizeof(out), 64);
		if (rc != 0 && rc != -ENOENT)
			(*bad)++;
	}
	return NULL;
}

START_TEST(unref_races_transfer)
{
	/* The VMM tears a resource down and recreates it while another thread keeps
	 * transferring: every call either works or fails cleanly. */
	struct vms_backing b;
	ck_assert_ok(vms_backing_alloc(&tv.guest, 16 * 16 * 4, VMS_SCATTER_ODD, &b));
	ck_assert_ok(vms_resource_create_2d(&tv, 9, VGN_FORMAT_B8G8R8A8_UNORM, 16, 16));
	ck_assert_ok(vms_attach_backing(&tv, 9, &b));
	int bad = 0;
	pthread_t th;
	__atomic_store_n(&race_stop, 0, __ATOMIC_SEQ_CST);
	ck_assert_int_eq(pthread_create(&th, NULL, race_transfers, &bad), 0);
	for (int i = 0; i < 2000; i++) {
		ck_assert_ok(vgn_resource_unref(tv.r, 9));
		ck_assert_ok(vms_resource_create_2d(&tv, 9, VGN_FORMAT_B8G8R8A8_UNORM, 16, 16));
		ck_assert_ok(vms_attach_backing(&tv, 9, &b));
		if (i % 3 == 0)
			ck_assert_ok(vgn_resource_detach_backing(tv.r, 9));
		if (i % 3 == 0)
			ck_assert_ok(vms_attach_backing(&tv, 9, &b));
	}
	__atomic_store_n(&race_stop, 1, __ATOMIC_SEQ_CST);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_int_eq(bad, 0);
	ck_assert_ok(vgn_resource_unref(tv.r, 9));
	vms_backing_free(&tv.guest, &b);
}
END_TEST

struct worker {
	struct timg img;
	uint32_t seed;
	int failures;
};

static void *transfer_worker(void *arg)
{
	struct worker *wk = arg;
	size_t len = timg_size(&wk->img);
	uint8_t *pat = malloc(len), *out = malloc(len);
	for (uint32_t it = 0; it < 100 && pat && out; it++) {
		vms_pattern_fill(pat, len, wk->seed + it);
		vms_backing_write(&tv.guest, &wk->img.backing, 0, pat, len);
		if (vms_transfer_to_host_2d(&tv, wk->img.res_id, 0, 0, wk->img.width,
		                            wk->img.height, 0) ||
		    vms_copy_out(&tv, wk->img.res_id, 0, 0, wk->img.width, wk->img.height, out, len,
		                 wk->img.width * 4) ||
		    memcmp(pat, out, len))
			wk->failures++;
	}
	free(pat);
	free(out);
	return NULL;
}

START_TEST(parallel_transfers)
{
	struct worker wk[2];
	pthread_t th[2];
	for (int i = 0; i < 2; i++) {
		timg_create(&tv, &wk[i].img, 10 + i, VGN_FORMAT_B8G8R8A8_UNORM, 48, 40,
		            i ? VMS_LINEAR : VMS_SCATTER_ODD, 0, 50 + i);
		wk[i].seed = 1000 * (i + 1);
		wk[i].failures = 0;
	}
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, transfer_worker, &wk[i]), 0);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(wk[i].failures, 0);
		timg_destroy(&tv, &wk[i].img);
	}
}
END_TEST

static Suite *transfer_ok_suite(void)
{
	Suite *s = suite_create("transfer-ok");
	TCase *tc = tcase_create("ok");
	tcase_add_checked_fixture(tc, tv_setup, tv_teardown);
	tcase_add_loop_test(tc, roundtrip_layouts, 0, 3);
	tcase_add_loop_test(tc, partial_box_virtio_2d, 0, 2); /* not LINEAR */
	tcase_add_test(tc, explicit_stride_offset_iov);
	tcase_add_test(tc, from_host_touches_only_box_rows);
	tcase_add_test(tc, linear_shared_mapping);
	tcase_add_test(tc, mip_levels);
	tcase_add_test(tc, texture_3d_slices);
	tcase_add_test(tc, array_layers);
	tcase_add_test(tc, buffer_target);
	tcase_add_loop_test(tc, odd_sizes_partial, 0, 3);
	tcase_add_test(tc, large_image_many_pages);
	tcase_add_test(tc, short_backing);
	tcase_add_test(tc, transfer_future_size);
	tcase_add_test(tc, parallel_transfers);
	tcase_add_test(tc, compressed_blocks);
	tcase_add_test(tc, cube_faces);
	tcase_add_test(tc, iov_with_empty_and_tiny_elements);
	tcase_add_test(tc, unref_races_transfer);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(transfer_ok_suite());
}
