/* SPDX-License-Identifier: MIT */
/*
 * Metadata queries VGN_QUERY_FORMAT_SUPPORT and VGN_QUERY_IMAGE_REQUIREMENTS
 * through the public API: hostile sizes and parameters, and cpu2d answers checked
 * against a real classic resource of the same image (its info, a transfer at the
 * answered size, a copy-out at the answered stride).
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "virgl-next/virgl_next.h"

#define FMT_DXT1_RGB 105u
#define FMT_R32G32B32A32_FLOAT 31u
#define FMT_UYVY 14u  /* packed 4:2:2, 2x1 blocks of 4 bytes */
#define FMT_NV12 166u /* multi-planar: no block layout */
#define MOD_LINEAR 0ull

#define ck_assert_rc(call, expected)                                                               \
	do {                                                                                       \
		int rc_ = (call);                                                                  \
		ck_assert_msg(rc_ == (expected), "%s returned %d, expected %d", #call, rc_,        \
		              (int)(expected));                                                    \
	} while (0)

static vgn_renderer *renderer(uint32_t backends)
{
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.backends = backends;
	p.log_level = VGN_LOG_WARN;
	vgn_renderer *r = NULL;
	ck_assert_int_eq(vgn_renderer_create(&p, &r), 0);
	return r;
}

static struct vgn_query_image_requirements image_q(uint32_t format, uint32_t w, uint32_t h)
{
	struct vgn_query_image_requirements q;
	memset(&q, 0, sizeof(q));
	q.hdr.size = sizeof(q);
	q.hdr.type = VGN_QUERY_IMAGE_REQUIREMENTS;
	q.format = format;
	q.width = w;
	q.height = h;
	q.bind = VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW;
	return q;
}

static struct vgn_query_format_support format_q(uint32_t format)
{
	struct vgn_query_format_support q;
	memset(&q, 0, sizeof(q));
	q.hdr.size = sizeof(q);
	q.hdr.type = VGN_QUERY_FORMAT_SUPPORT;
	q.format = format;
	return q;
}

/* Every byte of buf from `from` on still holds `fill`. */
static void expect_untouched(const void *buf, size_t from, size_t size, uint8_t fill)
{
	const uint8_t *b = buf;
	for (size_t i = from; i < size; i++)
		ck_assert_msg(b[i] == fill, "byte %zu written (0x%02x)", i, b[i]);
}

START_TEST(sizes_too_small)
{
	vgn_renderer *r = renderer(VGN_BACKEND_CPU2D);
	struct vgn_query_image_requirements in = image_q(VGN_FORMAT_B8G8R8A8_UNORM, 16, 16), out;
	/* Output one byte short of the v3 struct: refused, nothing written. */
	memset(&out, 0x5a, sizeof(out));
	out.hdr.size = sizeof(out) - 1;
	ck_assert_rc(vgn_query(r, 0, &in.hdr, &out.hdr), -EINVAL);
	expect_untouched(&out, 4, sizeof(out), 0x5a);
	out.hdr.size = sizeof(struct vgn_query_header);
	ck_assert_rc(vgn_query(r, 0, &in.hdr, &out.hdr), -EINVAL);
	expect_untouched(&out, 4, sizeof(out), 0x5a);
	/* Input too small (a caller that only knows the header). */
	out.hdr.size = sizeof(out);
	in.hdr.size = sizeof(in) - 8;
	ck_assert_rc(vgn_query(r, 0, &in.hdr, &out.hdr), -EINVAL);
	expect_untouched(&out, 4, sizeof(out), 0x5a);
	/* The same for FORMAT_SUPPORT. */
	struct vgn_query_format_support fin = format_q(VGN_FORMAT_R8_UNORM), fout;
	memset(&fout, 0x5a, sizeof(fout));
	fout.hdr.size = sizeof(fout) - 8;
	ck_assert_rc(vgn_query(r, 0, &fin.hdr, &fout.hdr), -EINVAL);
	expect_untouched(&fout, 4, sizeof(fout), 0x5a);
	fout.hdr.size = sizeof(fout);
	fin.hdr.size = 8;
	ck_assert_rc(vgn_query(r, 0, &fin.hdr, &fout.hdr), -EINVAL);
	expect_untouched(&fout, 4, sizeof(fout), 0x5a);
	vgn_renderer_destroy(r);
}
END_TEST

START_TEST(larger_caller_gets_v3_only)
{
	/* A newer caller's bigger struct: the v3 answer, its size field kept, and not
	 * one byte written past the v3 struct. */
	vgn_renderer *r = renderer(VGN_BACKEND_CPU2D);
	struct {
		struct vgn_query_image_requirements q;
		uint8_t tail[64];
	} big;
	memset(&big, 0xc3, sizeof(big));
	struct vgn_query_image_requirements in = image_q(VGN_FORMAT_B8G8R8A8_UNORM, 10, 3);
	memcpy(&big.q, &in, sizeof(in));
	big.q.hdr.size = sizeof(big);
	ck_assert_rc(vgn_query(r, 0, &big.q.hdr, &big.q.hdr), 0);
	ck_assert_uint_eq(big.q.hdr.size, sizeof(big));
	ck_assert_uint_eq(big.q.hdr.type, VGN_QUERY_IMAGE_REQUIREMENTS);
	ck_assert_uint_eq(big.q.strides[0], 40);
	ck_assert_uint_eq(big.q.size, 120);
	expect_untouched(&big, sizeof(big.q), sizeof(big), 0xc3);
	vgn_renderer_destroy(r);
}
END_TEST

START_TEST(aliasing_in_out)
{
	vgn_renderer *r = renderer(VGN_BACKEND_CPU2D);
	struct vgn_query_image_requirements q = image_q(VGN_FORMAT_R8_UNORM, 13, 7), sep;
	struct vgn_query_image_requirements in = q;
	memset(&sep, 0, sizeof(sep));
	sep.hdr.size = sizeof(sep);
	ck_assert_rc(vgn_query(r, 0, &in.hdr, &sep.hdr), 0);
	ck_assert_rc(vgn_query(r, 0, &q.hdr, &q.hdr), 0);
	ck_assert_int_eq(memcmp(&q, &sep, sizeof(q)), 0);
	ck_assert_uint_eq(q.width, 13); /* the inputs are echoed */
	ck_assert_uint_eq(q.strides[0], 13);
	ck_assert_uint_eq(q.size, 13 * 7);
	struct vgn_query_format_support f = format_q(VGN_FORMAT_R8_UNORM);
	ck_assert_rc(vgn_query(r, 0, &f.hdr, &f.hdr), 0);
	ck_assert_uint_eq(f.answered_by, VGN_BACKEND_CPU2D);
	ck_assert_uint_eq(f.num_modifiers, 1);
	ck_assert_uint_eq(f.modifiers[0], MOD_LINEAR);
	ck_assert_uint_eq(f.drm_fourcc, 0x20203852); /* 'R8  ' */
	vgn_renderer_destroy(r);
}
END_TEST

static void expect_image_rc(vgn_renderer *r, struct vgn_query_image_requirements in, int rc)
{
	struct vgn_query_image_requirements out;
	memset(&out, 0x77, sizeof(out));
	out.hdr.size = sizeof(out);
	ck_assert_rc(vgn_query(r, 0, &in.hdr, &out.hdr), rc);
	if (rc)
		expect_untouched(&out, 4, sizeof(out), 0x77);
}

START_TEST(hostile_parameters)
{
	vgn_renderer *r = renderer(VGN_BACKEND_CPU2D);
	struct vgn_query_image_requirements q;
	const uint32_t bad_formats[] = {0, 73, 100000, UINT32_MAX};
	for (unsigned i = 0; i < sizeof(bad_formats) / sizeof(bad_formats[0]); i++) {
		q = image_q(bad_formats[i], 4, 4);
		expect_image_rc(r, q, -EINVAL);
		struct vgn_query_format_support f = format_q(bad_formats[i]);
		ck_assert_rc(vgn_query(r, 0, &f.hdr, &f.hdr), -EINVAL);
	}
	const uint32_t dims[][2] = {
	    {0, 4}, {4, 0}, {16385, 4}, {4, 16385}, {UINT32_MAX, UINT32_MAX}};
	for (unsigned i = 0; i < sizeof(dims) / sizeof(dims[0]); i++)
		expect_image_rc(r, image_q(VGN_FORMAT_B8G8R8A8_UNORM, dims[i][0], dims[i][1]),
		                -EINVAL);
	q = image_q(VGN_FORMAT_B8G8R8A8_UNORM, 4, 4);
	q.num_modifiers = VGN_QUERY_MAX_MODIFIERS + 1;
	expect_image_rc(r, q, -EINVAL);
	q.num_modifiers = UINT32_MAX;
	expect_image_rc(r, q, -EINVAL);
	/* Backend selector: two bits, an unknown bit, a backend that is not running. */
	q = image_q(VGN_FORMAT_B8G8R8A8_UNORM, 4, 4);
	q.backend = VGN_BACKEND_CPU2D | VGN_BACKEND_GL;
	expect_image_rc(r, q, -EINVAL);
	q.backend = 1u << 7;
	expect_image_rc(r, q, -EINVAL);
	q.backend = VGN_BACKEND_VULKAN;
	expect_image_rc(r, q, -ENODEV);
	/* Allowed modifiers without LINEAR: nobody here can make it. */
	q = image_q(VGN_FORMAT_B8G8R8A8_UNORM, 4, 4);
	q.num_modifiers = 2;
	q.modifiers[0] = 0x0100000000000001ull; /* I915_FORMAT_MOD_X_TILED */
	q.modifiers[1] = 0x0100000000000002ull;
	expect_image_rc(r, q, -EOPNOTSUPP);
	/* Formats cpu2d cannot hold (no block layout). */
	expect_image_rc(r, image_q(FMT_NV12, 4, 4), -EOPNOTSUPP);
	struct vgn_query_format_support f = format_q(FMT_NV12);
	ck_assert_rc(vgn_query(r, 0, &f.hdr, &f.hdr), -EOPNOTSUPP);
	/* The largest image is answered, and is refused like resource creation
	 * refuses it (over the per-resource byte cap). */
	expect_image_rc(r, image_q(VGN_FORMAT_R8_UNORM, 16384, 16384), 0);
	expect_image_rc(r, image_q(FMT_R32G32B32A32_FLOAT, 16384, 16384), -ENOSPC);
	/* Unknown query types: nobody answers. A context that does not exist. */
	q = image_q(VGN_FORMAT_B8G8R8A8_UNORM, 4, 4);
	q.hdr.type = 999;
	ck_assert_rc(vgn_query(r, 0, &q.hdr, &q.hdr), -EOPNOTSUPP);
	q.hdr.type = VGN_QUERY_IMAGE_REQUIREMENTS;
	ck_assert_rc(vgn_query(r, 42, &q.hdr, &q.hdr), -ENOENT);
	vgn_renderer_destroy(r);
}
END_TEST

/* The answer for (format, w, h) against a real cpu2d resource of that image. */
static void check_against_resource(uint32_t format, uint32_t w, uint32_t h, uint32_t bw,
                                   uint32_t bh, uint32_t bb)
{
	vgn_renderer *r = renderer(VGN_BACKEND_CPU2D);
	struct vgn_query_image_requirements q = image_q(format, w, h);
	ck_assert_rc(vgn_query(r, 0, &q.hdr, &q.hdr), 0);
	ck_assert_uint_eq(q.answered_by, VGN_BACKEND_CPU2D);
	ck_assert_uint_eq(q.num_planes, 1);
	ck_assert_uint_eq(q.modifier, MOD_LINEAR);
	ck_assert_uint_eq(q.memory_flags, VGN_MEMORY_HOST_VISIBLE | VGN_MEMORY_HOST_COHERENT |
	                                      VGN_MEMORY_HOST_CACHED);
	ck_assert_uint_eq(q.map_cache_type, VGN_MAP_CACHE_CACHED);
	/* Independent arithmetic: whole blocks, tight rows. */
	const uint32_t stride = (w + bw - 1) / bw * bb, rows = (h + bh - 1) / bh;
	ck_assert_uint_eq(q.strides[0], stride);
	ck_assert_uint_eq(q.size, (uint64_t)stride * rows);

	/* The real allocation. */
	struct vgn_resource_create_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.target = VGN_TARGET_2D;
	p.format = format;
	p.bind = q.bind;
	p.width = w;
	p.height = h;
	p.depth = 1;
	p.array_size = 1;
	ck_assert_rc(vgn_resource_create(r, 1, &p), 0);
	struct vgn_resource_info info;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ck_assert_rc(vgn_resource_get_info(r, 1, &info), 0);
	ck_assert_uint_eq(info.num_planes, q.num_planes);
	ck_assert_uint_eq(info.strides[0], q.strides[0]);
	ck_assert_uint_eq(info.offsets[0], q.offsets[0]);
	ck_assert_uint_eq(info.modifier, q.modifier);

	/* A backing of exactly the answered size holds the whole image at the answered
	 * stride; one byte less does not. */
	uint8_t *guest = malloc(q.size);
	ck_assert_ptr_nonnull(guest);
	for (uint64_t i = 0; i < q.size; i++)
		guest[i] = (uint8_t)(i * 7 + 3);
	struct iovec iov = {guest, (size_t)q.size};
	struct vgn_backing bk = {sizeof(bk), 0, &iov, 1, -1};
	struct vgn_transfer t;
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.stride = q.strides[0];
	t.box = (struct vgn_box){0, 0, 0, w, h, 1};
	iov.iov_len = (size_t)q.size - 1;
	ck_assert_rc(vgn_resource_attach_backing(r, 1, &bk), 0);
	ck_assert_rc(vgn_resource_transfer_to_host(r, 1, &t), -EINVAL);
	ck_assert_rc(vgn_resource_detach_backing(r, 1), 0);
	iov.iov_len = (size_t)q.size;
	ck_assert_rc(vgn_resource_attach_backing(r, 1, &bk), 0);
	ck_assert_rc(vgn_resource_transfer_to_host(r, 1, &t), 0);

	/* copy_out at the answered stride gives the bytes back (uncompressed only:
	 * copy-out boxes are in texels of block-aligned images). */
	if (bw == 1 && bh == 1) {
		uint8_t *dst = calloc(1, q.size);
		ck_assert_ptr_nonnull(dst);
		struct vgn_box box = {0, 0, 0, w, h, 1};
		ck_assert_rc(vgn_resource_copy_out(r, 1, &box, dst, q.size, q.strides[0]), 0);
		ck_assert_int_eq(memcmp(dst, guest, q.size), 0);
		free(dst);
	}
	ck_assert_rc(vgn_resource_detach_backing(r, 1), 0);
	ck_assert_rc(vgn_resource_unref(r, 1), 0);
	free(guest);
	vgn_renderer_destroy(r);
}

START_TEST(cpu2d_matches_resource)
{
	check_against_resource(VGN_FORMAT_B8G8R8A8_UNORM, 33, 17, 1, 1, 4);
	check_against_resource(VGN_FORMAT_R8_UNORM, 13, 5, 1, 1, 1);
	check_against_resource(VGN_FORMAT_B5G6R5_UNORM, 7, 9, 1, 1, 2);
	check_against_resource(FMT_R32G32B32A32_FLOAT, 3, 2, 1, 1, 16);
	check_against_resource(FMT_DXT1_RGB, 10, 10, 4, 4, 8);
	check_against_resource(FMT_UYVY, 9, 4, 2, 1, 4);
}
END_TEST

START_TEST(caps_report_blob_memory)
{
	/* Every renderer offers the core's memfd blobs; what RENDERER_CAPS says must
	 * be what the features struct says (one computation). */
	vgn_renderer *r = renderer(0);
	struct vgn_query_renderer_caps c;
	memset(&c, 0, sizeof(c));
	c.hdr.size = sizeof(c);
	c.hdr.type = VGN_QUERY_RENDERER_CAPS;
	ck_assert_rc(vgn_query(r, 0, &c.hdr, &c.hdr), 0);
	ck_assert(c.blob_mem_types & (1u << VGN_BLOB_MEM_HOST3D));
	ck_assert(c.export_handle_types & (1u << VGN_HANDLE_TYPE_SHM));
	ck_assert(c.map_cache_types & (1u << VGN_MAP_CACHE_CACHED));
	struct vgn_features f;
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	ck_assert_rc(vgn_renderer_get_features(r, &f), 0);
	ck_assert_uint_eq(c.blob_mem_types, f.blob_mem_types);
	ck_assert_uint_eq(c.export_handle_types, f.export_handle_types);
	ck_assert_uint_eq(c.map_cache_types, f.map_cache_types);
	vgn_renderer_destroy(r);
}
END_TEST

/* vrend's format answers against classic resource creation on vrend: a format it
 * calls renderable takes a RENDER_TARGET resource, one it calls sample-only
 * refuses it (vrend refuses rather than hand it to cpu2d), and it never answers
 * image requirements without GBM. Skipped when the GL backend cannot start. */
START_TEST(vrend_matches_resource_creation)
{
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.backends = VGN_BACKEND_GL | VGN_BACKEND_CPU2D;
	p.log_level = VGN_LOG_ERROR;
	vgn_renderer *r = NULL;
	if (vgn_renderer_create(&p, &r)) {
		printf("vrend_matches_resource_creation: no GL backend, skipped\n");
		return;
	}
	unsigned answered = 0, renderable = 0, sample_only = 0;
	for (uint32_t fmt = 1; fmt < 512; fmt++) {
		struct vgn_query_format_support q = format_q(fmt);
		q.backend = VGN_BACKEND_GL;
		int rc = vgn_query(r, 0, &q.hdr, &q.hdr);
		if (rc == -EINVAL)
			continue; /* not a virgl format at all */
		if (rc == -EOPNOTSUPP)
			continue;
		ck_assert_int_eq(rc, 0);
		ck_assert_uint_eq(q.answered_by, VGN_BACKEND_GL);
		ck_assert_uint_eq(q.num_modifiers, 0);
		ck_assert(q.bind & VGN_BIND_SAMPLER_VIEW);
		answered++;
		struct vgn_resource_create_params cp;
		memset(&cp, 0, sizeof(cp));
		cp.size = sizeof(cp);
		cp.target = VGN_TARGET_2D;
		cp.format = fmt;
		cp.width = 16;
		cp.height = 16;
		cp.depth = 1;
		cp.array_size = 1;
		if (q.bind & VGN_BIND_DEPTH_STENCIL)
			continue; /* depth formats: covered by SAMPLER_VIEW below */
		cp.bind = VGN_BIND_SAMPLER_VIEW | VGN_BIND_RENDER_TARGET;
		rc = vgn_resource_create(r, 1000 + fmt, &cp);
		if (q.bind & VGN_BIND_RENDER_TARGET) {
			ck_assert_msg(rc == 0, "format %u: renderable per query, create %d", fmt,
			              rc);
			renderable++;
		} else {
			ck_assert_msg(rc == -EINVAL, "format %u: sample-only per query, create %d",
			              fmt, rc);
			sample_only++;
		}
		if (!rc)
			ck_assert_int_eq(vgn_resource_unref(r, 1000 + fmt), 0);
	}
	ck_assert_uint_gt(answered, 20);
	ck_assert_uint_gt(renderable, 10);
	printf("vrend: %u formats answered, %u renderable, %u sample-only\n", answered, renderable,
	       sample_only);
	struct vgn_query_image_requirements ir = image_q(VGN_FORMAT_B8G8R8A8_UNORM, 8, 8);
	ir.backend = VGN_BACKEND_GL;
	ck_assert_rc(vgn_query(r, 0, &ir.hdr, &ir.hdr), -EOPNOTSUPP);
	ir.backend = 0; /* vrend passes, cpu2d answers */
	ck_assert_rc(vgn_query(r, 0, &ir.hdr, &ir.hdr), 0);
	ck_assert_uint_eq(ir.answered_by, VGN_BACKEND_CPU2D);
	vgn_renderer_destroy(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("query_meta");
	TCase *tc = tcase_create("query_meta");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sizes_too_small);
	tcase_add_test(tc, larger_caller_gets_v3_only);
	tcase_add_test(tc, aliasing_in_out);
	tcase_add_test(tc, hostile_parameters);
	tcase_add_test(tc, cpu2d_matches_resource);
	tcase_add_test(tc, caps_report_blob_memory);
	tcase_add_test(tc, vrend_matches_resource_creation);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
