/* SPDX-License-Identifier: MIT */
/* The format table's internal consistency, the string set, version parsing (no GL). */
#include <check.h>
#include <epoxy/gl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "formats.h"
#include "gl_info.h"
#include "strset.h"
#include "virgl_formats.h"

static unsigned components(GLenum format)
{
	switch (format) {
	case GL_RED:
	case GL_RED_INTEGER:
	case GL_DEPTH_COMPONENT:
	case GL_STENCIL_INDEX:
		return 1;
	case GL_RG:
	case GL_RG_INTEGER:
		return 2;
	case GL_RGB:
	case GL_BGR:
	case GL_RGB_INTEGER:
	case GL_BGR_INTEGER:
		return 3;
	case GL_RGBA:
	case GL_BGRA:
	case GL_RGBA_INTEGER:
	case GL_BGRA_INTEGER:
		return 4;
	default:
		return 0;
	}
}

/* Bytes per pixel of a packed type (0: not packed). */
static unsigned packed_size(GLenum type)
{
	switch (type) {
	case GL_UNSIGNED_BYTE_3_3_2:
	case GL_UNSIGNED_BYTE_2_3_3_REV:
		return 1;
	case GL_UNSIGNED_SHORT_5_6_5:
	case GL_UNSIGNED_SHORT_5_6_5_REV:
	case GL_UNSIGNED_SHORT_4_4_4_4:
	case GL_UNSIGNED_SHORT_4_4_4_4_REV:
	case GL_UNSIGNED_SHORT_5_5_5_1:
	case GL_UNSIGNED_SHORT_1_5_5_5_REV:
		return 2;
	case GL_UNSIGNED_INT_8_8_8_8:
	case GL_UNSIGNED_INT_8_8_8_8_REV:
	case GL_UNSIGNED_INT_10_10_10_2:
	case GL_UNSIGNED_INT_2_10_10_10_REV:
	case GL_UNSIGNED_INT_10F_11F_11F_REV:
	case GL_UNSIGNED_INT_5_9_9_9_REV:
	case GL_UNSIGNED_INT_24_8:
		return 4;
	case GL_FLOAT_32_UNSIGNED_INT_24_8_REV:
		return 8;
	default:
		return 0;
	}
}

static unsigned type_size(GLenum type)
{
	switch (type) {
	case GL_UNSIGNED_BYTE:
	case GL_BYTE:
		return 1;
	case GL_UNSIGNED_SHORT:
	case GL_SHORT:
	case GL_HALF_FLOAT:
		return 2;
	case GL_UNSIGNED_INT:
	case GL_INT:
	case GL_FLOAT:
		return 4;
	default:
		return 0;
	}
}

START_TEST(table_consistency)
{
	unsigned entries = 0;
	uint32_t fourccs[VFMT_COUNT];
	unsigned nfourcc = 0;

	for (uint32_t v = 0; v < VFMT_COUNT; v++) {
		const struct vrend_format *f = vrend_format_get(v);
		const char *name = vrend_vfmt_name(v);
		bool identity;

		if (!f)
			continue;
		entries++;
		ck_assert_msg(name != NULL, "format %u is a gap in the numbering", v);
		ck_assert_msg(f->block_w >= 1 && f->block_h >= 1 && f->block_bytes >= 1, "%s",
		              name);
		identity = f->swizzle[0] == 0 && f->swizzle[1] == 1 && f->swizzle[2] == 2 &&
		           f->swizzle[3] == 3;
		ck_assert_msg(identity == !(f->flags & VREND_FMT_EMULATED), "%s swizzle flag",
		              name);
		for (int c = 0; c < 4; c++)
			ck_assert_msg(f->swizzle[c] <= VREND_SWZ_1, "%s swizzle", name);
		if (f->flags & VREND_FMT_COMPRESSED) {
			ck_assert_msg(f->format == 0 && f->type == 0, "%s", name);
			ck_assert_msg(f->block_w >= 4 && f->block_h >= 4, "%s block", name);
			ck_assert_msg(f->block_bytes == 8 || f->block_bytes == 16, "%s bytes",
			              name);
			ck_assert_msg(!(f->flags & VREND_FMT_RENDER), "%s renders", name);
		} else {
			unsigned bytes = packed_size(f->type);

			ck_assert_msg(f->block_w == 1 && f->block_h == 1, "%s block", name);
			if (!bytes) /* array layout: channels x channel size */
				bytes = components(f->format) * type_size(f->type);
			ck_assert_msg(bytes == f->block_bytes,
			              "%s: %u bytes by format/type, %u in table", name, bytes,
			              f->block_bytes);
		}
		if (f->flags & VREND_FMT_CONVERT)
			ck_assert_msg(f->flags & (VREND_FMT_DEPTH | VREND_FMT_STENCIL), "%s", name);
		if (f->flags & (VREND_FMT_DEPTH | VREND_FMT_STENCIL))
			ck_assert_msg(!(f->flags & VREND_FMT_RENDER), "%s colour + depth", name);
		if (f->format == GL_RED_INTEGER || f->format == GL_RG_INTEGER ||
		    f->format == GL_RGB_INTEGER || f->format == GL_RGBA_INTEGER ||
		    f->format == GL_BGR_INTEGER || f->format == GL_BGRA_INTEGER)
			ck_assert_msg(f->flags & VREND_FMT_INTEGER, "%s integer flag", name);
		/* DRM fourccs live in the core's table; no two formats share one. */
		const struct vgn_format *cf = vgn_format_get(v);
		if (cf && cf->drm_fourcc) {
			for (unsigned i = 0; i < nfourcc; i++)
				ck_assert_msg(fourccs[i] != cf->drm_fourcc, "%s: fourcc used twice",
				              name);
			fourccs[nfourcc++] = cf->drm_fourcc;
		}
	}
	ck_assert_uint_ge(entries, 250);
	printf("format table: %u of %u virgl formats mapped, %u with a DRM fourcc\n", entries,
	       VFMT_COUNT, nfourcc);
}
END_TEST

START_TEST(lookups)
{
	const struct vrend_format *f;

	ck_assert_ptr_null(vrend_format_get(VFMT_NONE));
	ck_assert_ptr_null(vrend_format_get(73)); /* gap */
	ck_assert_ptr_null(vrend_format_get(VFMT_COUNT));
	ck_assert_ptr_null(vrend_format_get(0xffffffffu));
	ck_assert_ptr_null(vrend_format_get(VFMT_UYVY)); /* YUV: not a GL texture */

	f = vrend_format_get(VFMT_B8G8R8A8_UNORM);
	ck_assert_uint_eq(f->internal_format, GL_RGBA8);
	ck_assert_uint_eq(f->format, GL_BGRA);
	ck_assert_uint_eq(f->type, GL_UNSIGNED_BYTE);
	f = vrend_format_get(VFMT_B8G8R8X8_UNORM);
	ck_assert(f->flags & VREND_FMT_EMULATED);
	ck_assert(f->flags & VREND_FMT_RENDER);
	ck_assert_uint_eq(f->swizzle[3], VREND_SWZ_1);
	f = vrend_format_get(VFMT_L8A8_UNORM);
	ck_assert_uint_eq(f->internal_format, GL_RG8);
	ck_assert_uint_eq(f->swizzle[0], VREND_SWZ_R);
	ck_assert_uint_eq(f->swizzle[3], VREND_SWZ_G);
	ck_assert(!(f->flags & VREND_FMT_RENDER));
	f = vrend_format_get(VFMT_A8_UNORM);
	ck_assert_uint_eq(f->swizzle[0], VREND_SWZ_0);
	ck_assert_uint_eq(f->swizzle[3], VREND_SWZ_R);
	f = vrend_format_get(VFMT_S8_UINT_Z24_UNORM);
	ck_assert_uint_eq(f->type, GL_UNSIGNED_INT_24_8);
	ck_assert(!(f->flags & VREND_FMT_CONVERT));
	ck_assert(vrend_format_get(VFMT_Z24_UNORM_S8_UINT)->flags & VREND_FMT_CONVERT);
	f = vrend_format_get(VFMT_ASTC_12x10_SRGB);
	ck_assert_uint_eq(f->block_w, 12);
	ck_assert_uint_eq(f->block_h, 10);
	ck_assert_uint_eq(f->internal_format, GL_COMPRESSED_SRGB8_ALPHA8_ASTC_12x10_KHR);

	ck_assert_str_eq(vrend_vfmt_name(VFMT_R8G8B8A8_UNORM), "R8G8B8A8_UNORM");
	ck_assert_str_eq(vrend_vfmt_name(454), "R8_G8B8_422_UNORM");
	ck_assert_ptr_null(vrend_vfmt_name(307));
	ck_assert_ptr_null(vrend_vfmt_name(455));
}
END_TEST

START_TEST(name_count)
{
	unsigned n = 0;

	for (unsigned v = 0; v < VFMT_COUNT; v++)
		n += vrend_vfmt_name(v) != NULL;
	ck_assert_uint_eq(n, 442); /* section 13 */
}
END_TEST

START_TEST(strset)
{
	struct vrend_strset s = {0};
	char name[32];

	ck_assert(!vrend_strset_contains(&s, "GL_ARB_foo"));
	ck_assert(!vrend_strset_contains(&s, NULL));
	ck_assert_int_eq(vrend_strset_add(&s, "GL_ARB_foo"), 0);
	ck_assert_int_eq(vrend_strset_add(&s, "GL_ARB_foo"), 0);
	ck_assert_uint_eq(s.count, 1);
	ck_assert(vrend_strset_contains(&s, "GL_ARB_foo"));
	ck_assert(!vrend_strset_contains(&s, "GL_ARB_fo"));
	ck_assert(!vrend_strset_contains(&s, "GL_ARB_foob"));
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "GL_EXT_%d", i);
		ck_assert_int_eq(vrend_strset_add(&s, name), 0);
	}
	ck_assert_uint_eq(s.count, 1001);
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "GL_EXT_%d", i);
		ck_assert(vrend_strset_contains(&s, name));
	}
	vrend_strset_fini(&s);
	ck_assert_uint_eq(s.count, 0);

	ck_assert_int_eq(vrend_strset_add_list(&s, "  EGL_KHR_a EGL_KHR_b  EGL_KHR_a EGL_KHR_c "),
	                 0);
	ck_assert_uint_eq(s.count, 3);
	ck_assert(vrend_strset_contains(&s, "EGL_KHR_b"));
	ck_assert(vrend_strset_contains(&s, "EGL_KHR_c"));
	ck_assert(!vrend_strset_contains(&s, ""));
	ck_assert_int_eq(vrend_strset_add_list(&s, NULL), 0);
	vrend_strset_fini(&s);
}
END_TEST

START_TEST(glsl_version_strings)
{
	ck_assert_uint_eq(vrend_parse_glsl_version("4.50"), 450);
	ck_assert_uint_eq(vrend_parse_glsl_version("4.60 NVIDIA via Cg compiler"), 460);
	ck_assert_uint_eq(vrend_parse_glsl_version("OpenGL ES GLSL ES 3.20"), 320);
	ck_assert_uint_eq(vrend_parse_glsl_version("1.1"), 110);
	ck_assert_uint_eq(vrend_parse_glsl_version("3.305"), 330);
	ck_assert_uint_eq(vrend_parse_glsl_version(""), 0);
	ck_assert_uint_eq(vrend_parse_glsl_version(NULL), 0);
	ck_assert_uint_eq(vrend_parse_glsl_version("abc"), 0);
	ck_assert_uint_eq(vrend_parse_glsl_version("4"), 0);
	ck_assert_uint_eq(vrend_parse_glsl_version("4."), 0);
	ck_assert_uint_eq(vrend_parse_glsl_version("12345.1"), 0);
}
END_TEST

static Suite *formats_suite(void)
{
	Suite *s = suite_create("vrend_formats");
	TCase *tc = tcase_create("formats");

	tcase_add_test(tc, table_consistency);
	tcase_add_test(tc, lookups);
	tcase_add_test(tc, name_count);
	tcase_add_test(tc, strset);
	tcase_add_test(tc, glsl_version_strings);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(formats_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
