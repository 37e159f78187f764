/* SPDX-License-Identifier: MIT */
/* Caps from a hand-made host description (no GL needed). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_internal.h" /* vrend_backend_features */
#include "caps.h"
#include "caps_bits.h"
#include "decode.h"
#include "formats.h"
#include "gl_info.h"
#include "virgl-next/virgl_next.h"

/* A GL 4.5 core host with llvmpipe-like limits. */
static void fake_host(struct vrend_gl_info *info, bool gles)
{
	struct vrend_gl_limits *l = &info->limits;
	static const char *const exts[] = {"GL_ARB_shader_stencil_export", "GL_ARB_shader_clock",
	                                   "GL_KHR_blend_equation_advanced"};

	memset(info, 0, sizeof(*info));
	info->gles = gles;
	info->core_profile = !gles;
	info->version = gles ? 32 : 45;
	info->glsl_version = gles ? 320 : 450;
	snprintf(info->renderer, sizeof(info->renderer), "%s",
	         "llvmpipe (LLVM 15.0.6, 256 bits) with a renderer string longer than 64 bytes");
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		ck_assert_int_eq(vrend_strset_add(&info->extensions, exts[i]), 0);
	for (int s = 0; s < VREND_STAGE_COUNT; s++) {
		l->uniform_blocks[s] = 14;
		l->uniform_components[s] = 4096;
		l->texture_image_units[s] = 32;
		l->shader_storage_blocks[s] = 16;
		l->image_uniforms[s] = 16;
		l->atomic_counters[s] = 1024;
		l->atomic_counter_buffers[s] = 8;
	}
	l->texture_size = 16384;
	l->texture_3d_size = 2048;
	l->cube_map_texture_size = 16384;
	l->array_texture_layers = 2048;
	l->draw_buffers = 8;
	l->dual_source_draw_buffers = 1;
	l->samples = 8;
	l->texture_buffer_size = 134217728;
	l->viewports = 16;
	l->transform_feedback_buffers = 4;
	l->texture_gather_components = 4;
	l->vertex_output_components = 128;
	l->vertex_attribs = 16;
	l->min_texel_offset = -8;
	l->max_texel_offset = 7;
	l->uniform_buffer_offset_alignment = 16;
	l->shader_storage_buffer_offset_alignment = 16;
	l->texture_buffer_offset_alignment = 16;
	l->vertex_attrib_stride = 2048;
	l->uniform_block_size = 65536;
	l->aliased_point_size[0] = 1;
	l->aliased_point_size[1] = 255;
	l->sample_locations[0] = 0x44cc;
}

/* Every table entry works on the fake host. */
static void fake_formats(struct vrend_format_caps *fc)
{
	memset(fc, 0, sizeof(*fc));
	for (uint32_t v = 0; v < VFMT_COUNT; v++) {
		const struct vrend_format *f = vrend_format_get(v);
		if (!f)
			continue;
		fc->flags[v] = VREND_PROBE_TEXTURE | VREND_PROBE_READBACK | VREND_PROBE_MSAA;
		if (f->flags & (VREND_FMT_DEPTH | VREND_FMT_STENCIL))
			fc->flags[v] |= VREND_PROBE_DEPTH;
		else if (f->flags & VREND_FMT_RENDER)
			fc->flags[v] |= VREND_PROBE_RENDER;
	}
}

static bool bit_set(const uint32_t *mask, uint32_t n)
{
	return (mask[n / 32] >> (n % 32)) & 1;
}

static bool mask_is(const uint32_t *mask, uint32_t only_bit_or_none)
{
	for (uint32_t n = 0; n < 512; n++) {
		if (bit_set(mask, n) != (n == only_bit_or_none))
			return false;
	}
	return true;
}

#define NO_BIT 0xffffffffu

START_TEST(all_false_claims_nothing)
{
	struct vrend_gl_info info;
	struct vrend_format_caps fc;
	struct vrend_features ft = {0};
	struct vrend_caps_v2 caps;
	char why[256] = "";

	fake_host(&info, false);
	fake_formats(&fc);
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, why, sizeof(why)), 0);

	ck_assert_uint_eq(caps.v1.bset, 0);
	ck_assert_uint_eq(caps.capability_bits, 0);
	ck_assert_uint_eq(caps.capability_bits_v2, 0);
	ck_assert_uint_eq(caps.v1.glsl_level, 0);
	ck_assert_uint_eq(caps.v1.prim_mask, 0);
	ck_assert(mask_is(caps.v1.sampler, NO_BIT));
	ck_assert(mask_is(caps.v1.render, NO_BIT));
	ck_assert(mask_is(caps.v1.depthstencil, NO_BIT));
	ck_assert(mask_is(caps.v1.vertexbuffer, NO_BIT));
	ck_assert(mask_is(caps.supported_readback_formats, NO_BIT));
	ck_assert(mask_is(caps.scanout, NO_BIT));
	ck_assert(mask_is(caps.supported_multisample_formats, NO_BIT));
	ck_assert_uint_eq(caps.v1.max_texture_array_layers, 0);
	ck_assert_uint_eq(caps.v1.max_streamout_buffers, 0);
	ck_assert_uint_eq(caps.v1.max_dual_source_render_targets, 0);
	ck_assert_uint_eq(caps.v1.max_render_targets, 0);
	ck_assert_uint_eq(caps.v1.max_samples, 0);
	ck_assert_uint_eq(caps.v1.max_tbo_size, 0);
	ck_assert_uint_eq(caps.v1.max_uniform_blocks, 0);
	ck_assert_uint_eq(caps.v1.max_viewports, 0);
	ck_assert_uint_eq(caps.v1.max_texture_gather_components, 0);
	ck_assert_uint_eq(caps.max_vertex_attribs, 0);
	ck_assert_uint_eq(caps.max_vertex_outputs, 0);
	ck_assert_uint_eq(caps.max_texture_samplers, 0);
	ck_assert_uint_eq(caps.shader_buffer_offset_alignment, 0);
	ck_assert_uint_eq(caps.texture_buffer_offset_alignment, 0);
	ck_assert_uint_eq(caps.max_compute_work_group_invocations, 0);
	ck_assert_uint_eq(caps.max_uniform_block_size, 0);
	ck_assert_uint_eq(caps.num_video_caps, 0);
	ck_assert(caps.max_anisotropy == 0.0f);
	for (int s = 0; s < 6; s++) {
		ck_assert_uint_eq(caps.max_const_buffer_size[s], 0);
		ck_assert_uint_eq(caps.max_shader_storage_blocks[s], 0);
		ck_assert_uint_eq(caps.max_atomic_counters[s], 0);
	}
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(caps.sample_locations[i], 0);
	/* Host facts stay: zero texture sizes would make the client assume defaults. */
	ck_assert_uint_eq(caps.max_texture_2d_size, 16384);
	ck_assert_uint_eq(caps.max_texture_3d_size, 2048);
	ck_assert_uint_eq(caps.max_texture_cube_size, 16384);
	ck_assert_uint_eq(caps.uniform_buffer_offset_alignment, 16);
	ck_assert_int_eq(strncmp(caps.renderer, info.renderer, 63), 0);
	ck_assert_uint_eq(strlen(caps.renderer), 63); /* truncated, NUL-terminated */
	/* No promise blocks the newest version: timer queries are not assumed at 23. */
	ck_assert_uint_eq(caps.host_feature_check_version, VREND_HFCV_MAX);
	ck_assert_uint_eq(caps.v1.max_version, 2);
	vrend_gl_info_fini(&info);
}
END_TEST

START_TEST(gles_host_is_stated)
{
	struct vrend_gl_info info;
	struct vrend_format_caps fc;
	struct vrend_features ft = {0};
	struct vrend_caps_v2 caps;

	fake_host(&info, true);
	fake_formats(&fc);
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, NULL, 0), 0);
	ck_assert_uint_eq(caps.capability_bits, VREND_CAP_HOST_IS_GLES);
	vrend_gl_info_fini(&info);
}
END_TEST

START_TEST(capsets_prefix_and_sizes)
{
	struct vrend_gl_info info;
	struct vrend_format_caps fc;
	struct vrend_features ft = {.sampling = true,
	                            .rendering = true,
	                            .glsl_level = 330,
	                            .tgsi_texcoord_semantics = true};
	struct vrend_caps_v2 caps;
	uint8_t v1[400], v2[1500], small[10];
	uint32_t max_version, max_size;
	size_t written = 0;

	ck_assert_uint_eq(sizeof(struct vrend_caps_v1), 308);
	ck_assert_uint_eq(sizeof(struct vrend_caps_v2), 1408);
	ck_assert_int_eq(vrend_caps_capset_info(VGN_CAPSET_VIRGL, &max_version, &max_size), 0);
	ck_assert_uint_eq(max_version, 1);
	ck_assert_uint_eq(max_size, 308);
	ck_assert_int_eq(vrend_caps_capset_info(VGN_CAPSET_VIRGL2, &max_version, &max_size), 0);
	ck_assert_uint_eq(max_version, 2);
	ck_assert_uint_eq(max_size, 1408);
	ck_assert_int_eq(vrend_caps_capset_info(VGN_CAPSET_VENUS, &max_version, &max_size),
	                 -EINVAL);

	fake_host(&info, false);
	fake_formats(&fc);
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, NULL, 0), 0);
	memset(v1, 0xee, sizeof(v1));
	memset(v2, 0xee, sizeof(v2));
	ck_assert_int_eq(
	    vrend_caps_capset_write(&caps, VGN_CAPSET_VIRGL, 1, v1, sizeof(v1), &written), 0);
	ck_assert_uint_eq(written, 308);
	ck_assert_uint_eq(v1[308], 0xee);
	ck_assert_int_eq(
	    vrend_caps_capset_write(&caps, VGN_CAPSET_VIRGL2, 2, v2, sizeof(v2), &written), 0);
	ck_assert_uint_eq(written, 1408);
	ck_assert_uint_eq(v2[1408], 0xee);
	ck_assert_int_eq(memcmp(v1, v2, 308), 0);
	ck_assert_int_eq(memcmp(v2, &caps, 1408), 0);
	/* Wire offsets of a few fields, read from the bytes. */
	ck_assert_int_eq(memcmp(v2 + 264, &caps.v1.glsl_level, 4), 0);
	ck_assert_int_eq(memcmp(v2 + 556, &caps.host_feature_check_version, 4), 0);
	ck_assert_int_eq(memcmp(v2 + 696, caps.renderer, 64), 0);

	ck_assert_int_eq(
	    vrend_caps_capset_write(&caps, VGN_CAPSET_VIRGL2, 2, small, sizeof(small), &written),
	    0);
	ck_assert_uint_eq(written, sizeof(small));
	ck_assert_int_eq(vrend_caps_capset_write(&caps, VGN_CAPSET_VIRGL, 2, v1, sizeof(v1), NULL),
	                 -EINVAL);
	ck_assert_int_eq(vrend_caps_capset_write(&caps, 3, 1, v1, sizeof(v1), NULL), -EINVAL);
	ck_assert_int_eq(vrend_caps_capset_write(&caps, VGN_CAPSET_VIRGL, 1, NULL, 10, NULL),
	                 -EINVAL);
	ck_assert_int_eq(vrend_caps_capset_write(&caps, VGN_CAPSET_VIRGL, 1, NULL, 0, &written), 0);
	ck_assert_uint_eq(written, 0);
	vrend_gl_info_fini(&info);
}
END_TEST

START_TEST(bits_need_handlers)
{
	/* Commands without any handler in the table. Whether a handler is more
	 * than a stub (VREND_CMD_UNIMPLEMENTED) is checked live for the backend's
	 * claimed features (test_vrend_ctx: claimed_commands_execute). */
	static const struct vrend_features claims[] = {
	    {.caps_bits = VREND_CAP_GUEST_MAY_INIT_LOG},
	    {.caps_bits_v2 = VREND_CAP2_UNTYPED_RESOURCE},
	    {.caps_bits_v2 = VREND_CAP2_RESOURCE_LAYOUT},
	};
	struct vrend_gl_info info;
	struct vrend_format_caps fc;
	struct vrend_caps_v2 caps;
	char why[256];

	fake_host(&info, false);
	fake_formats(&fc);
	for (size_t i = 0; i < sizeof(claims) / sizeof(claims[0]); i++) {
		why[0] = '\0';
		ck_assert_int_eq(vrend_caps_fill(&info, &fc, &claims[i], &caps, why, sizeof(why)),
		                 -EINVAL);
		ck_assert_ptr_nonnull(strstr(why, "has no handler"));
		ck_assert_uint_eq(caps.v1.bset | caps.capability_bits, 0); /* nothing half-filled */
	}
	vrend_gl_info_fini(&info);
}
END_TEST

/* With surfaces, hfcv >= 21 makes the client send CLEAR_SURFACE: 23 once that
 * command has a real handler, else 20. */
static int hfcv_with_surfaces(void)
{
	return vrend_decode_cmd_implemented(VREND_CCMD_CLEAR_SURFACE) ? 23 : 20;
}

START_TEST(hfcv_gates)
{
	struct vrend_features ft = {0};
	struct vrend_caps_v2 caps = {0};
	char why[256] = "";

	ck_assert_int_eq(vrend_caps_hfcv(&ft, &caps, NULL, 0), 23);
	/* Shaders without TEXCOORD semantics need hfcv < 10, but below 15 the
	 * client assumes timer queries nobody implements: no version fits. */
	ft.glsl_level = 330;
	ck_assert_int_eq(vrend_caps_hfcv(&ft, &caps, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "timer"));
	ft.tgsi_texcoord_semantics = true;
	ck_assert_int_eq(vrend_caps_hfcv(&ft, &caps, NULL, 0), 23);
	/* Surfaces without CLEAR_SURFACE: hfcv 21+ would send it. */
	ft.rendering = true;
	ck_assert_int_eq(vrend_caps_hfcv(&ft, &caps, NULL, 0), hfcv_with_surfaces());
	/* Exposed SSBOs without lowered bindings: below 16, and timer blocks < 15. */
	caps.shader_buffer_offset_alignment = 16;
	ck_assert_int_eq(vrend_caps_hfcv(&ft, &caps, NULL, 0), 15);
	ft.ssbo_lowered_bindings = true;
	ck_assert_int_eq(vrend_caps_hfcv(&ft, &caps, NULL, 0), hfcv_with_surfaces());
}
END_TEST

START_TEST(limits_are_minimum_of_host_and_features)
{
	struct vrend_gl_info info;
	struct vrend_format_caps fc;
	struct vrend_features ft = {
	    .glsl_level = 460,
	    .tgsi_texcoord_semantics = true,
	    .max_render_targets = 16,
	    .max_samples = 4,
	    .max_uniform_blocks = 64,
	    .max_texture_samplers = 16,
	    .max_vertex_attribs = 32,
	    .max_viewports = 1,
	    .max_const_buffer_size = 65536,
	    .prim_mask = 0xffffffffu,
	    .bset = VREND_BSET_SHADER_STENCIL_EXPORT | VREND_BSET_CUBE_MAP_ARRAY |
	            VREND_BSET_TRANSFORM_FEEDBACK_OVERFLOW_QUERY,
	    .caps_bits = VREND_CAP_SHADER_CLOCK | VREND_CAP_TGSI_FBFETCH,
	    .caps_bits_v2 = VREND_CAP2_BLEND_EQUATION | VREND_CAP2_GROUP_VOTE,
	};
	struct vrend_caps_v2 caps;

	fake_host(&info, false);
	fake_formats(&fc);
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, NULL, 0), 0);
	ck_assert_uint_eq(caps.v1.glsl_level, 450);        /* host */
	ck_assert_uint_eq(caps.v1.max_render_targets, 8);  /* host */
	ck_assert_uint_eq(caps.v1.max_samples, 4);         /* features */
	ck_assert_uint_eq(caps.v1.max_uniform_blocks, 15); /* host 14 + default block */
	ck_assert_uint_eq(caps.max_texture_samplers, 16);
	ck_assert_uint_eq(caps.max_vertex_attribs, 16);
	ck_assert_uint_eq(caps.v1.max_viewports, 1);
	ck_assert_uint_eq(caps.max_const_buffer_size[VREND_STAGE_FRAGMENT], 16384);
	ck_assert_uint_eq(caps.max_uniform_block_size, 65536);
	ck_assert_uint_eq(caps.sample_locations[0], 0x44cc); /* MSAA exposed */
	/* Bits: features AND host. GL 4.5 has cube arrays, no 4.6 overflow query. */
	ck_assert_uint_eq(caps.v1.bset,
	                  VREND_BSET_SHADER_STENCIL_EXPORT | VREND_BSET_CUBE_MAP_ARRAY);
	ck_assert_uint_eq(caps.capability_bits, VREND_CAP_SHADER_CLOCK); /* no fbfetch ext */
	ck_assert_uint_eq(caps.capability_bits_v2, VREND_CAP2_BLEND_EQUATION);
	/* Core host: no quads/polygons, adjacency yes, no patches without tessellation. */
	ck_assert_uint_eq(caps.v1.prim_mask, 0x3c7f);
	vrend_gl_info_fini(&info);
}
END_TEST

START_TEST(format_masks_follow_features)
{
	struct vrend_gl_info info;
	struct vrend_format_caps fc;
	struct vrend_features ft = {.sampling = true,
	                            .rendering = true,
	                            .glsl_level = 330,
	                            .tgsi_texcoord_semantics = true};
	struct vrend_caps_v2 caps;

	fake_host(&info, false);
	fake_formats(&fc);
	fc.flags[VFMT_R32G32B32_FLOAT] &= (uint8_t)~VREND_PROBE_RENDER; /* the host says no */
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, NULL, 0), 0);
	ck_assert(bit_set(caps.v1.sampler, VFMT_R8G8B8A8_UNORM));
	ck_assert(bit_set(caps.v1.render, VFMT_R8G8B8A8_UNORM));
	ck_assert(bit_set(caps.v1.render, VFMT_B8G8R8A8_UNORM));
	ck_assert(!bit_set(caps.v1.render, VFMT_R32G32B32_FLOAT));
	ck_assert(bit_set(caps.v1.sampler, VFMT_R32G32B32_FLOAT));
	/* Classes not implemented stay out. */
	ck_assert(!bit_set(caps.v1.sampler, VFMT_B8G8R8X8_UNORM)); /* emulated */
	ck_assert(!bit_set(caps.v1.sampler, VFMT_L8_UNORM));
	ck_assert(!bit_set(caps.v1.sampler, VFMT_DXT1_RGB));          /* compressed */
	ck_assert(!bit_set(caps.v1.sampler, VFMT_S8_UINT_Z24_UNORM)); /* depth */
	ck_assert(mask_is(caps.v1.depthstencil, NO_BIT));
	/* No readback, no scanout: the NONE bit keeps the client from copying sampler. */
	ck_assert(mask_is(caps.supported_readback_formats, VFMT_NONE));
	ck_assert(mask_is(caps.scanout, VFMT_NONE));
	/* Surfaces: 21+ would send CLEAR_SURFACE, so it depends on that handler. */
	ck_assert_uint_eq(caps.host_feature_check_version, hfcv_with_surfaces());

	ft.emulated_formats = ft.compressed_formats = ft.depth_stencil = true;
	ft.readback = ft.scanout = true;
	ft.max_samples = 4;
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, NULL, 0), 0);
	ck_assert(bit_set(caps.v1.sampler, VFMT_B8G8R8X8_UNORM));
	ck_assert(bit_set(caps.v1.render, VFMT_B8G8R8X8_UNORM));
	ck_assert(!bit_set(caps.v1.render, VFMT_L8_UNORM)); /* emulated, not renderable */
	ck_assert(bit_set(caps.v1.sampler, VFMT_DXT1_RGB));
	ck_assert(bit_set(caps.v1.sampler, VFMT_S8_UINT_Z24_UNORM));
	ck_assert(bit_set(caps.v1.depthstencil, VFMT_S8_UINT_Z24_UNORM));
	/* Depth layouts GL lacks need conversions. */
	ck_assert(!bit_set(caps.v1.depthstencil, VFMT_Z24_UNORM_S8_UINT));
	ck_assert(!bit_set(caps.v1.depthstencil, VFMT_Z24X8_UNORM));
	ck_assert(bit_set(caps.supported_readback_formats, VFMT_R8G8B8A8_UNORM));
	ck_assert(!bit_set(caps.supported_readback_formats, VFMT_NONE));
	ck_assert(bit_set(caps.scanout, VFMT_B8G8R8X8_UNORM));
	ck_assert(!bit_set(caps.scanout, VFMT_R32G32B32A32_FLOAT)); /* no fourcc */
	ck_assert(bit_set(caps.supported_multisample_formats, VFMT_R8G8B8A8_UNORM));
	ft.format_conversions = true;
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, NULL, 0), 0);
	ck_assert(bit_set(caps.v1.depthstencil, VFMT_Z24X8_UNORM));
	vrend_gl_info_fini(&info);
}
END_TEST

START_TEST(host_bits)
{
	struct vrend_gl_info info;
	struct vrend_host_bits hb;

	fake_host(&info, false);
	info.version = 33;
	vrend_strset_fini(&info.extensions);
	vrend_caps_host_bits(&info, &hb);
	ck_assert(hb.bset & VREND_BSET_PRIMITIVE_RESTART);
	ck_assert(hb.bset & VREND_BSET_TIMER_QUERY);
	ck_assert(!(hb.bset & VREND_BSET_CUBE_MAP_ARRAY));
	ck_assert(!(hb.caps & VREND_CAP_COMPUTE_SHADER));
	ck_assert(hb.caps & VREND_CAP_TRANSFER); /* protocol features need no GL */
	ck_assert(!(hb.caps & VREND_CAP_HOST_IS_GLES));
	ck_assert(!(hb.prim_mask & (1u << 7))); /* no quads on core */
	ck_assert(!(hb.prim_mask & (1u << 14)));
	ck_assert_int_eq(vrend_strset_add(&info.extensions, "GL_ARB_compute_shader"), 0);
	ck_assert_int_eq(vrend_strset_add(&info.extensions, "GL_ARB_tessellation_shader"), 0);
	vrend_caps_host_bits(&info, &hb);
	ck_assert(hb.caps & VREND_CAP_COMPUTE_SHADER);
	ck_assert(hb.prim_mask & (1u << 14));
	info.core_profile = false; /* a compatibility host draws quads itself */
	vrend_caps_host_bits(&info, &hb);
	ck_assert(hb.prim_mask & (1u << 7));
	vrend_gl_info_fini(&info);
}
END_TEST

/* The GL 4.4/4.5 bits vrend implements (cull distances, component-qualified
 * I/O) reach the caps exactly when the host has them too. */
START_TEST(gl45_bits_follow_host)
{
	struct vrend_gl_info info;
	struct vrend_format_caps fc;
	struct vrend_features ft;
	struct vrend_caps_v2 caps;
	char why[256];

	vrend_backend_features(&ft);
	fake_formats(&fc);
	fake_host(&info, false);
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, why, sizeof(why)), 0);
	ck_assert(caps.v1.bset & VREND_BSET_HAS_CULL);
	ck_assert(caps.capability_bits & VREND_CAP_TGSI_COMPONENTS);
	ck_assert_uint_eq(caps.v1.glsl_level, 450);
	info.version = 43;
	info.glsl_version = 430;
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, why, sizeof(why)), 0);
	ck_assert(!(caps.v1.bset & VREND_BSET_HAS_CULL));
	ck_assert(!(caps.capability_bits & VREND_CAP_TGSI_COMPONENTS));
	ck_assert_uint_eq(caps.v1.glsl_level, 430);
	ck_assert_int_eq(vrend_strset_add(&info.extensions, "GL_ARB_cull_distance"), 0);
	ck_assert_int_eq(vrend_strset_add(&info.extensions, "GL_ARB_enhanced_layouts"), 0);
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, why, sizeof(why)), 0);
	ck_assert(caps.v1.bset & VREND_BSET_HAS_CULL);
	ck_assert(caps.capability_bits & VREND_CAP_TGSI_COMPONENTS);
	ft.bset &= ~VREND_BSET_HAS_CULL; /* not implemented: not claimed */
	ft.caps_bits &= ~VREND_CAP_TGSI_COMPONENTS;
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, why, sizeof(why)), 0);
	ck_assert(!(caps.v1.bset & VREND_BSET_HAS_CULL));
	ck_assert(!(caps.capability_bits & VREND_CAP_TGSI_COMPONENTS));
	vrend_gl_info_fini(&info);
}
END_TEST

/* Mesa's virgl hands a draw whose mode is missing from prim_mask to
 * primconvert, which cannot convert patches and calls draw_vbo again forever:
 * advertising tessellation without the patch primitive crashes the guest. */
START_TEST(tessellation_advertises_patches)
{
	struct vrend_gl_info info;
	struct vrend_format_caps fc;
	struct vrend_features ft;
	struct vrend_caps_v2 caps;
	char why[256];

	vrend_backend_features(&ft);
	fake_formats(&fc);
	fake_host(&info, false);
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, why, sizeof(why)), 0);
	ck_assert(caps.v1.bset & VREND_BSET_HAS_TESSELLATION_SHADERS);
	ck_assert_uint_eq(caps.v1.prim_mask, 0x7c7f); /* core: no quads; adjacency, patches */
	info.version = 33;
	info.glsl_version = 330;
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, why, sizeof(why)), 0);
	ck_assert(!(caps.v1.bset & VREND_BSET_HAS_TESSELLATION_SHADERS));
	ck_assert_uint_eq(caps.v1.prim_mask, 0x3c7f);
	vrend_gl_info_fini(&info);
}
END_TEST

/* query.c counts pipeline statistics with the host's own GL queries: the cap
 * is claimed exactly when the host has them (4.6 or the extension). */
START_TEST(pipeline_statistics_follow_host)
{
	struct vrend_gl_info info;
	struct vrend_format_caps fc;
	struct vrend_features ft;
	struct vrend_caps_v2 caps;
	char why[256];

	vrend_backend_features(&ft);
	ck_assert(ft.caps_bits_v2 & VREND_CAP2_PIPELINE_STATISTICS_QUERY);
	fake_formats(&fc);
	fake_host(&info, false);
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, why, sizeof(why)), 0);
	ck_assert(!(caps.capability_bits_v2 & VREND_CAP2_PIPELINE_STATISTICS_QUERY));
	ck_assert_int_eq(vrend_strset_add(&info.extensions, "GL_ARB_pipeline_statistics_query"), 0);
	ck_assert_int_eq(vrend_caps_fill(&info, &fc, &ft, &caps, why, sizeof(why)), 0);
	ck_assert(caps.capability_bits_v2 & VREND_CAP2_PIPELINE_STATISTICS_QUERY);
	vrend_gl_info_fini(&info);
}
END_TEST

static Suite *caps_suite(void)
{
	Suite *s = suite_create("vrend_caps");
	TCase *tc = tcase_create("caps");

	tcase_add_test(tc, all_false_claims_nothing);
	tcase_add_test(tc, gles_host_is_stated);
	tcase_add_test(tc, capsets_prefix_and_sizes);
	tcase_add_test(tc, bits_need_handlers);
	tcase_add_test(tc, hfcv_gates);
	tcase_add_test(tc, limits_are_minimum_of_host_and_features);
	tcase_add_test(tc, format_masks_follow_features);
	tcase_add_test(tc, host_bits);
	tcase_add_test(tc, gl45_bits_follow_host);
	tcase_add_test(tc, tessellation_advertises_patches);
	tcase_add_test(tc, pipeline_statistics_follow_host);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(caps_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
