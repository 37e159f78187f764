/* SPDX-License-Identifier: MIT */
/*
 * Which caps bits the host GL itself could back: one rule per bit, a desktop GL
 * version, a GLES version or an extension. Whether vrend implements the feature
 * is a separate question (struct vrend_features); caps.c takes the intersection.
 */
#include "caps.h"

#include "caps_bits.h"
#include "gl_info.h"

enum { W_BSET, W_CAPS, W_CAPS2 };

#define ANY 1 /* every context vrend accepts (GL >= 3.3 core, GLES >= 3.0) qualifies */

struct host_rule {
	uint8_t word, bit;
	uint8_t gl, gles; /* major * 10 + minor; 0 = not by version on that API */
	const char *ext[3];
};

/* One rule per line reads better than wrapped initialisers. */
/* clang-format off */
/* R: by version or extension; V: by version only. */
#define R(word_, bit_, gl_, gles_, ...) \
	{.word = (word_), .bit = (bit_), .gl = (gl_), .gles = (gles_), .ext = {__VA_ARGS__}}
#define V(word_, bit_, gl_, gles_) {.word = (word_), .bit = (bit_), .gl = (gl_), .gles = (gles_)}

static const struct host_rule rules[] = {
	R(W_BSET, 0, 30, 32, "GL_EXT_draw_buffers2", "GL_OES_draw_buffers_indexed",
	  "GL_EXT_draw_buffers_indexed"),
	R(W_BSET, 1, 40, 32, "GL_ARB_draw_buffers_blend", "GL_OES_draw_buffers_indexed",
	  "GL_EXT_draw_buffers_indexed"),
	R(W_BSET, 2, 40, 32, "GL_ARB_texture_cube_map_array", "GL_EXT_texture_cube_map_array",
	  "GL_OES_texture_cube_map_array"),
	R(W_BSET, 3, 0, 0, "GL_ARB_shader_stencil_export"),
	R(W_BSET, 4, 30, 0, "GL_NV_conditional_render"),
	R(W_BSET, 5, 42, 0, "GL_ARB_base_instance", "GL_EXT_base_instance"),
	V(W_BSET, 6, 31, 30),
	V(W_BSET, 7, ANY, ANY),
	V(W_BSET, 8, ANY, ANY),
	V(W_BSET, 9, ANY, ANY),
	R(W_BSET, 10, 32, 30, "GL_ARB_seamless_cube_map"),
	V(W_BSET, 11, ANY, ANY),
	R(W_BSET, 12, 33, 0, "GL_ARB_timer_query", "GL_EXT_disjoint_timer_query"),
	R(W_BSET, 13, 40, 30, "GL_ARB_transform_feedback2"),
	R(W_BSET, 14, 32, 31, "GL_ARB_texture_multisample"),
	R(W_BSET, 15, 32, 0, "GL_ARB_fragment_coord_conventions"),
	R(W_BSET, 16, 32, 0, "GL_ARB_depth_clamp", "GL_EXT_depth_clamp"),
	R(W_BSET, 17, 0, 0, "GL_AMD_seamless_cubemap_per_texture",
	  "GL_ARB_seamless_cubemap_per_texture"),
	V(W_BSET, 18, 31, 30),
	R(W_BSET, 19, 30, 0, "GL_ARB_color_buffer_float"),
	/* Core and GLES hosts have no stipple: vrend emulates it in the fragment shader. */
	V(W_BSET, 20, ANY, ANY),
	R(W_BSET, 21, 0, 0, "GL_EXT_texture_mirror_clamp", "GL_ARB_texture_mirror_clamp_to_edge",
	  "GL_ATI_texture_mirror_once"),
	R(W_BSET, 22, 40, 0, "GL_ARB_texture_query_lod"),
	R(W_BSET, 23, 40, 0, "GL_ARB_gpu_shader_fp64"),
	R(W_BSET, 24, 40, 32, "GL_ARB_tessellation_shader", "GL_EXT_tessellation_shader",
	  "GL_OES_tessellation_shader"),
	R(W_BSET, 25, 40, 31, "GL_ARB_draw_indirect"),
	R(W_BSET, 26, 40, 32, "GL_ARB_sample_shading", "GL_OES_sample_shading"),
	R(W_BSET, 27, 45, 0, "GL_ARB_cull_distance", "GL_EXT_clip_cull_distance"),
	R(W_BSET, 28, 45, 0, "GL_ARB_conditional_render_inverted"),
	R(W_BSET, 29, 45, 0, "GL_ARB_derivative_control"),
	R(W_BSET, 30, 46, 0, "GL_ARB_polygon_offset_clamp", "GL_EXT_polygon_offset_clamp"),
	R(W_BSET, 31, 46, 0, "GL_ARB_transform_feedback_overflow_query"),
	V(W_CAPS, 0, ANY, ANY),
	R(W_CAPS, 1, 43, 0, "GL_ARB_texture_view", "GL_OES_texture_view", "GL_EXT_texture_view"),
	R(W_CAPS, 2, 40, 32, "GL_ARB_sample_shading", "GL_OES_sample_shading"),
	R(W_CAPS, 3, 43, 32, "GL_ARB_copy_image", "GL_EXT_copy_image", "GL_OES_copy_image"),
	V(W_CAPS, 4, ANY, ANY),
	R(W_CAPS, 5, 45, 0, "GL_ARB_shader_texture_image_samples"),
	R(W_CAPS, 6, 42, 31, "GL_ARB_shader_image_load_store"),
	R(W_CAPS, 7, 43, 31, "GL_ARB_compute_shader"),
	R(W_CAPS, 8, 43, 31, "GL_ARB_framebuffer_no_attachments"),
	R(W_CAPS, 9, 43, 32, "GL_ARB_robust_buffer_access_behavior",
	  "GL_KHR_robust_buffer_access_behavior"),
	R(W_CAPS, 10, 0, 0, "GL_EXT_shader_framebuffer_fetch"),
	R(W_CAPS, 11, 0, 0, "GL_ARB_shader_clock"),
	R(W_CAPS, 12, 45, 0, "GL_ARB_texture_barrier", "GL_NV_texture_barrier"),
	R(W_CAPS, 13, 44, 0, "GL_ARB_enhanced_layouts"),
	V(W_CAPS, 14, ANY, ANY),
	R(W_CAPS, 15, 30, 0, "GL_ARB_framebuffer_sRGB", "GL_EXT_sRGB_write_control"),
	R(W_CAPS, 16, 44, 0, "GL_ARB_query_buffer_object"),
	V(W_CAPS, 17, ANY, ANY),
	R(W_CAPS, 18, 30, 30, "GL_ARB_framebuffer_object"),
	/* 19 HOST_IS_GLES is a statement about the host, set in caps.c. */
	R(W_CAPS, 20, 40, 31, "GL_ARB_draw_indirect"),
	R(W_CAPS, 21, 43, 0, "GL_ARB_multi_draw_indirect", "GL_EXT_multi_draw_indirect"),
	R(W_CAPS, 22, 46, 0, "GL_ARB_indirect_parameters"),
	R(W_CAPS, 23, 40, 0, "GL_ARB_transform_feedback3"),
	R(W_CAPS, 24, 0, 0, "GL_KHR_texture_compression_astc_hdr",
	  "GL_KHR_texture_compression_astc_sliced_3d"),
	R(W_CAPS, 25, 40, 32, "GL_ARB_gpu_shader5", "GL_EXT_gpu_shader5", "GL_OES_gpu_shader5"),
	V(W_CAPS, 26, ANY, ANY),
	R(W_CAPS, 27, 45, 0, "GL_ARB_clip_control", "GL_EXT_clip_control"),
	V(W_CAPS, 28, ANY, ANY),
	/* 29 BGRA_SRGB_IS_EMULATED: a GLES-host statement, never on desktop GL. */
	R(W_CAPS, 30, 44, 0, "GL_ARB_clear_texture", "GL_EXT_clear_texture"),
	R(W_CAPS, 31, 44, 0, "GL_ARB_buffer_storage", "GL_EXT_buffer_storage"),
	R(W_CAPS2, 0, 0, 0, "GL_KHR_blend_equation_advanced"),
	V(W_CAPS2, 1, ANY, ANY),
	/* 2 VIDEO_MEMORY needs max_video_memory filled: not queried yet. */
	R(W_CAPS2, 3, 0, 0, "GL_NVX_gpu_memory_info", "GL_ATI_meminfo"),
	R(W_CAPS2, 4, 43, 32, "GL_KHR_debug", "GL_GREMEDY_string_marker"),
	/* 5 DIFFERENT_GPU: a statement about the guest/host pair, never set. */
	R(W_CAPS2, 6, 0, 0, "GL_EXT_multisampled_render_to_texture"),
	V(W_CAPS2, 7, ANY, ANY),
	/* 8 SCANOUT_USES_GBM depends on the platform, not on GL: set by the caller's features. */
	R(W_CAPS2, 9, 41, 31, "GL_ARB_separate_shader_objects", "GL_EXT_separate_shader_objects"),
	R(W_CAPS2, 10, 0, 0, "GL_EXT_texture_shadow_lod"),
	R(W_CAPS2, 11, 0, 0, "GL_ARB_shader_viewport_layer_array", "GL_AMD_vertex_shader_layer"),
	R(W_CAPS2, 12, 0, 0, "GL_ARB_shader_viewport_layer_array",
	  "GL_AMD_vertex_shader_viewport_index"),
	R(W_CAPS2, 13, 46, 0, "GL_ARB_pipeline_statistics_query"),
	R(W_CAPS2, 14, 46, 0, "GL_ARB_shader_draw_parameters"),
	R(W_CAPS2, 15, 46, 0, "GL_ARB_shader_group_vote"),
	R(W_CAPS2, 16, 44, 0, "GL_ARB_texture_mirror_clamp_to_edge",
	  "GL_EXT_texture_mirror_clamp_to_edge"),
	R(W_CAPS2, 17, 0, 0, "GL_EXT_texture_mirror_clamp"),
	V(W_CAPS2, 18, ANY, ANY),
};
/* clang-format on */

static bool rule_holds(const struct vrend_gl_info *info, const struct host_rule *r)
{
	if (vrend_gl_version_ge(info, r->gl, r->gles))
		return true;
	for (int i = 0; i < 3 && r->ext[i]; i++) {
		if (vrend_gl_has_ext(info, r->ext[i]))
			return true;
	}
	return false;
}

/* Primitives GL draws natively: no quads/polygons on core or GLES, adjacency with
 * geometry shaders, patches with tessellation. */
static uint32_t host_prims(const struct vrend_gl_info *info, uint32_t bset)
{
	uint32_t mask = (1u << 7) - 1; /* POINTS .. TRIANGLE_FAN */

	if (!info->gles && !info->core_profile)
		mask |= (1u << 7) | (1u << 8) | (1u << 9);
	if (vrend_gl_version_ge(info, 32, 32) || vrend_gl_has_ext(info, "GL_EXT_geometry_shader"))
		mask |= 0xfu << 10;
	if (bset & VREND_BSET_HAS_TESSELLATION_SHADERS)
		mask |= 1u << 14;
	return mask;
}

void vrend_caps_host_bits(const struct vrend_gl_info *info, struct vrend_host_bits *out)
{
	uint32_t words[3] = {0, 0, 0};

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (rule_holds(info, &rules[i]))
			words[rules[i].word] |= 1u << rules[i].bit;
	}
	out->bset = words[W_BSET];
	out->caps = words[W_CAPS];
	out->caps2 = words[W_CAPS2];
	out->prim_mask = host_prims(info, out->bset);
}
