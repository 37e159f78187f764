/* SPDX-License-Identifier: MIT */
/*
 * vrend/res_pack.c without GL: depth/stencil byte conversions, guest rows <->
 * tight copies over scattered iovecs for plans made by the core's validator, and
 * the contiguity test that picks the direct path.
 */
#include <check.h>
#include <epoxy/gl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "formats.h"
#include "res_pack.h"
#include "resource.h"
#include "transfer.h"

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

START_TEST(conv_selection)
{
	enum vrend_res_conv c = 99;

	ck_assert_int_eq(vrend_res_conv_for(VFMT_Z24_UNORM_S8_UINT,
	                                    vrend_format_get(VFMT_Z24_UNORM_S8_UINT), &c),
	                 0);
	ck_assert_int_eq(c, VREND_CONV_ROTATE_24_8);
	ck_assert_int_eq(vrend_res_conv_for(VFMT_X24S8_UINT, vrend_format_get(VFMT_X24S8_UINT), &c),
	                 0);
	ck_assert_int_eq(c, VREND_CONV_ROTATE_24_8);
	ck_assert_int_eq(
	    vrend_res_conv_for(VFMT_Z24X8_UNORM, vrend_format_get(VFMT_Z24X8_UNORM), &c), 0);
	ck_assert_int_eq(c, VREND_CONV_Z24X8);
	ck_assert_int_eq(vrend_res_conv_for(VFMT_S8_UINT_Z24_UNORM,
	                                    vrend_format_get(VFMT_S8_UINT_Z24_UNORM), &c),
	                 0);
	ck_assert_int_eq(c, VREND_CONV_NONE);
	ck_assert_int_eq(
	    vrend_res_conv_for(VFMT_R8G8B8A8_UNORM, vrend_format_get(VFMT_R8G8B8A8_UNORM), &c), 0);
	ck_assert_int_eq(c, VREND_CONV_NONE);

	/* Every table entry marked CONVERT has a conversion here. */
	for (uint32_t v = 0; v < VFMT_COUNT; v++) {
		const struct vrend_format *f = vrend_format_get(v);
		if (f && (f->flags & VREND_FMT_CONVERT))
			ck_assert_msg(vrend_res_conv_for(v, f, &c) == 0 && c != VREND_CONV_NONE,
			              "%s", vrend_vfmt_name(v));
	}

	/* Table and converter disagreeing is refused, not guessed. */
	struct vrend_format f = *vrend_format_get(VFMT_R8G8B8A8_UNORM);
	f.flags |= VREND_FMT_CONVERT;
	ck_assert_int_eq(vrend_res_conv_for(VFMT_R8G8B8A8_UNORM, &f, &c), -ENOTSUP);
	f = *vrend_format_get(VFMT_Z24_UNORM_S8_UINT);
	f.flags &= (uint16_t)~VREND_FMT_CONVERT;
	ck_assert_int_eq(vrend_res_conv_for(VFMT_Z24_UNORM_S8_UINT, &f, &c), -ENOTSUP);
	f = *vrend_format_get(VFMT_Z24X8_UNORM);
	f.type = GL_UNSIGNED_INT_24_8;
	ck_assert_int_eq(vrend_res_conv_for(VFMT_Z24X8_UNORM, &f, &c), -ENOTSUP);
}
END_TEST

START_TEST(conv_values)
{
	/* Z24_UNORM_S8_UINT: depth 0x123456, stencil 0xab -> GL 24_8 0x123456ab. */
	uint8_t b[12];
	uint32_t v[3] = {0xab123456u, 0x00ffffffu, 0xff000000u};
	memcpy(b, v, sizeof(v));
	vrend_res_conv_to_gl(VREND_CONV_ROTATE_24_8, b, sizeof(b));
	ck_assert_uint_eq(rd32(b), 0x123456abu);
	ck_assert_uint_eq(rd32(b + 4), 0xffffff00u);
	ck_assert_uint_eq(rd32(b + 8), 0x000000ffu);
	vrend_res_conv_from_gl(VREND_CONV_ROTATE_24_8, b, sizeof(b));
	ck_assert_mem_eq(b, v, sizeof(v));

	/* Z24X8 upload: the smallest 32-bit value at or above z / 0xffffff, so
	 * that a GL truncating to 24 bits keeps z; X dropped. */
	uint32_t z[4] = {0x00ffffffu, 0x00000000u, 0x00800000u, 0x77000001u};
	memcpy(b, z, 12);
	uint8_t odd[13]; /* any alignment */
	memcpy(odd + 1, z, 12);
	vrend_res_conv_to_gl(VREND_CONV_Z24X8, b, 12);
	vrend_res_conv_to_gl(VREND_CONV_Z24X8, odd + 1, 12);
	ck_assert_mem_eq(b, odd + 1, 12);
	ck_assert_uint_eq(rd32(b), 0xffffffffu);
	ck_assert_uint_eq(rd32(b + 4), 1);
	ck_assert_uint_eq(rd32(b + 8), 0x80000081u);
	uint32_t x = z[3];
	vrend_res_conv_to_gl(VREND_CONV_Z24X8, &x, 4);
	ck_assert_uint_eq(x, 0x00000101u);
	/* Every 24-bit z: the sent value u satisfies z <= u * 0xffffff / 0xffffffff
	 * < z + 1/2 (stored as z truncating or rounding), and the value GL returns
	 * for z, truncated or rounded, comes back as z. */
	for (uint64_t zv = 0; zv <= 0xffffffu; zv++) {
		uint32_t u = (uint32_t)zv;
		vrend_res_conv_to_gl(VREND_CONV_Z24X8, &u, 4);
		unsigned __int128 num = (unsigned __int128)u * 0xffffffu;
		if (num < (unsigned __int128)zv * 0xffffffffu ||
		    num * 2 >= (unsigned __int128)(2 * zv + 1) * 0xffffffffu)
			ck_abort_msg("z24 0x%06llx sent as 0x%08x", (unsigned long long)zv, u);
		uint64_t back_num = zv * 0xffffffffull;
		uint32_t trunc = (uint32_t)(back_num / 0xffffffu);
		uint32_t round = (uint32_t)((back_num + 0x7fffffu) / 0xffffffu);
		vrend_res_conv_from_gl(VREND_CONV_Z24X8, &trunc, 4);
		vrend_res_conv_from_gl(VREND_CONV_Z24X8, &round, 4);
		if (trunc != zv || round != zv)
			ck_abort_msg("z24 0x%06llx read back as 0x%06x / 0x%06x",
			             (unsigned long long)zv, trunc, round);
	}

	/* NONE and partial words change nothing. */
	memcpy(b, v, sizeof(v));
	vrend_res_conv_to_gl(VREND_CONV_NONE, b, sizeof(b));
	vrend_res_conv_to_gl(VREND_CONV_ROTATE_24_8, b, 3);
	ck_assert_mem_eq(b, v, sizeof(v));
}
END_TEST

/* A resource the validator can plan for (no renderer needed). */
static struct vgn_resource make_res(uint32_t target, uint32_t fmt, uint32_t w, uint32_t h,
                                    uint32_t layers)
{
	struct vgn_resource res;
	memset(&res, 0, sizeof(res));
	res.create.size = sizeof(res.create);
	res.create.target = target;
	res.create.format = fmt;
	res.create.width = w;
	res.create.height = h;
	res.create.depth = 1;
	res.create.array_size = layers;
	res.format = vgn_format_get(fmt);
	return res;
}

/* `n` iovecs of `chunk` bytes (last one shorter) over separate allocations. */
struct guest {
	struct iovec iov[64];
	uint32_t n;
	uint64_t total;
};

static void guest_init(struct guest *g, size_t total, size_t chunk, uint8_t fill)
{
	memset(g, 0, sizeof(*g));
	for (size_t off = 0; off < total; off += chunk) {
		size_t len = total - off < chunk ? total - off : chunk;
		ck_assert_uint_lt(g->n, 64);
		g->iov[g->n].iov_base = malloc(len);
		memset(g->iov[g->n].iov_base, fill, len);
		g->iov[g->n].iov_len = len;
		g->n++;
	}
	g->total = total;
}

static void guest_fini(struct guest *g)
{
	for (uint32_t i = 0; i < g->n; i++)
		free(g->iov[i].iov_base);
}

static uint8_t guest_byte(const struct guest *g, uint64_t off)
{
	for (uint32_t i = 0; i < g->n; i++) {
		if (off < g->iov[i].iov_len)
			return ((uint8_t *)g->iov[i].iov_base)[off];
		off -= g->iov[i].iov_len;
	}
	ck_abort_msg("offset outside the guest memory");
	return 0;
}

static void guest_set(struct guest *g, uint64_t off, uint8_t v)
{
	for (uint32_t i = 0; i < g->n; i++) {
		if (off < g->iov[i].iov_len) {
			((uint8_t *)g->iov[i].iov_base)[off] = v;
			return;
		}
		off -= g->iov[i].iov_len;
	}
	ck_abort_msg("offset outside the guest memory");
}

START_TEST(gather_scatter_array)
{
	/* 2D_ARRAY RGBA8 16x8, 4 layers; box 3,2 layers 1..2, 5x3x2, explicit
	 * strides with gaps, odd offset, 7-byte iovecs. */
	struct vgn_resource res = make_res(VGN_TARGET_2D_ARRAY, VFMT_R8G8B8A8_UNORM, 16, 8, 4);
	struct vgn_transfer t = {.size = sizeof(t),
	                         .box = {3, 2, 1, 5, 3, 2},
	                         .stride = 23,
	                         .layer_stride = 80,
	                         .offset = 5};
	struct guest g;
	struct vgn_transfer_plan plan;
	size_t size;

	guest_init(&g, 300, 7, 0xee);
	for (uint64_t i = 0; i < g.total; i++)
		guest_set(&g, i, (uint8_t)(i * 7 + 1));
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, g.iov, g.n, g.total, &plan), 0);
	ck_assert_int_eq(vrend_res_tight_size(&plan, &size), 0);
	ck_assert_uint_eq(size, 20 * 3 * 2);
	uint8_t *tight = malloc(size);
	ck_assert_int_eq(vrend_res_gather(&plan, tight), 0);
	for (uint32_t s = 0; s < 2; s++)
		for (uint32_t r = 0; r < 3; r++)
			for (uint32_t i = 0; i < 20; i++)
				ck_assert_uint_eq(tight[(s * 3 + r) * 20 + i],
				                  guest_byte(&g, 5 + s * 80 + r * 23 + i));

	/* Back into a fresh guest: rows land, gaps keep their sentinel. */
	struct guest out;
	guest_init(&out, 300, 11, 0xee);
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, false, out.iov, out.n, out.total, &plan),
	                 0);
	ck_assert_int_eq(vrend_res_scatter(&plan, tight), 0);
	for (uint64_t off = 0; off < out.total; off++) {
		bool in = false;
		if (off >= 5) {
			uint64_t rel = off - 5, s = rel / 80, in_s = rel % 80;
			in = s < 2 && in_s / 23 < 3 && in_s % 23 < 20;
		}
		ck_assert_uint_eq(guest_byte(&out, off), in ? guest_byte(&g, off) : 0xee);
	}
	free(tight);
	guest_fini(&g);
	guest_fini(&out);
}
END_TEST

START_TEST(gather_compressed_edge)
{
	/* DXT1 10x10 (3x3 blocks of 8 bytes), box at block 1,1 to the edge. */
	struct vgn_resource res = make_res(VGN_TARGET_2D, VFMT_DXT1_RGBA, 10, 10, 1);
	struct vgn_transfer t = {.size = sizeof(t), .box = {4, 4, 0, 6, 6, 1}, .offset = 24 + 8};
	struct guest g;
	struct vgn_transfer_plan plan;
	size_t size;

	guest_init(&g, 72, 13, 0);
	for (uint64_t i = 0; i < g.total; i++)
		guest_set(&g, i, (uint8_t)i);
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, g.iov, g.n, g.total, &plan), 0);
	ck_assert_uint_eq(plan.rows, 2);
	ck_assert_uint_eq(plan.row_bytes, 16);
	ck_assert_int_eq(vrend_res_tight_size(&plan, &size), 0);
	ck_assert_uint_eq(size, 32);
	uint8_t tight[32];
	ck_assert_int_eq(vrend_res_gather(&plan, tight), 0);
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < 16; i++)
			ck_assert_uint_eq(tight[r * 16 + i], 32 + r * 24 + i);
	guest_fini(&g);
}
END_TEST

START_TEST(contiguous)
{
	uint8_t a[64], b[64];
	struct iovec iov[2] = {{a, sizeof(a)}, {b, sizeof(b)}};
	struct vgn_transfer_plan plan = {.iov = iov, .num_iovs = 2, .offset = 10, .span = 40};

	ck_assert_ptr_eq(vrend_res_contiguous(&plan), a + 10);
	plan.span = 54;
	ck_assert_ptr_eq(vrend_res_contiguous(&plan), a + 10);
	plan.span = 55; /* one byte into b */
	ck_assert_ptr_null(vrend_res_contiguous(&plan));
	plan.offset = 64;
	plan.span = 64;
	ck_assert_ptr_eq(vrend_res_contiguous(&plan), b);
	plan.offset = 100;
	plan.span = 29;
	ck_assert_ptr_null(vrend_res_contiguous(&plan));
	plan.offset = UINT64_MAX;
	plan.span = 2;
	ck_assert_ptr_null(vrend_res_contiguous(&plan));
}
END_TEST

START_TEST(tight_size_overflow)
{
	struct vgn_transfer_plan plan = {.row_bytes = UINT64_MAX / 2, .rows = 3, .box = {.d = 1}};
	size_t size = 7;

	ck_assert_int_eq(vrend_res_tight_size(&plan, &size), -EINVAL);
	plan.row_bytes = 1ull << 40;
	plan.rows = 1u << 20;
	plan.box.d = 1u << 10;
	ck_assert_int_eq(vrend_res_tight_size(&plan, &size), -EINVAL);
	ck_assert_uint_eq(size, 7);
	uint8_t dummy[4];
	ck_assert_int_eq(vrend_res_gather(&plan, dummy), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vrend_res_pack");
	TCase *tc = tcase_create("pack");
	tcase_add_test(tc, conv_selection);
	tcase_add_test(tc, conv_values);
	tcase_add_test(tc, gather_scatter_array);
	tcase_add_test(tc, gather_compressed_edge);
	tcase_add_test(tc, contiguous);
	tcase_add_test(tc, tight_size_overflow);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
