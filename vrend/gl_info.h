/* SPDX-License-Identifier: MIT */
/*
 * What the host GL context is: API, version, extensions, and the limits the caps
 * are computed from. Filled once from a live context (vrend_gl_info_query), then
 * plain data: caps and tests may build one by hand.
 */
#ifndef VREND_GL_INFO_H
#define VREND_GL_INFO_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol.h"
#include "strset.h"

struct vrend_gl_limits {
	/* Per wire stage (VS, FS, GS, TCS, TES, CS); 0 where the stage is missing. */
	int32_t uniform_blocks[VREND_STAGE_COUNT];
	int32_t uniform_components[VREND_STAGE_COUNT];
	int32_t texture_image_units[VREND_STAGE_COUNT];
	int32_t shader_storage_blocks[VREND_STAGE_COUNT];
	int32_t image_uniforms[VREND_STAGE_COUNT];
	int32_t atomic_counters[VREND_STAGE_COUNT];
	int32_t atomic_counter_buffers[VREND_STAGE_COUNT];

	int32_t texture_size, texture_3d_size, cube_map_texture_size, array_texture_layers;
	int32_t draw_buffers, dual_source_draw_buffers, samples, texture_buffer_size;
	int32_t viewports, transform_feedback_buffers, vertex_streams;
	int32_t texture_gather_components;
	int32_t geometry_output_vertices, geometry_total_output_components;
	int32_t vertex_output_components, vertex_attribs, tess_patch_components;
	int32_t tess_control_output_components, tess_evaluation_output_components;
	int32_t min_texel_offset, max_texel_offset;
	int32_t min_texture_gather_offset, max_texture_gather_offset;
	int32_t texture_buffer_offset_alignment, uniform_buffer_offset_alignment;
	int32_t shader_storage_buffer_offset_alignment;
	int32_t vertex_attrib_stride, image_samples;
	int32_t compute_work_group_invocations, compute_shared_memory_size;
	int32_t compute_work_group_count[3], compute_work_group_size[3];
	int32_t combined_shader_storage_blocks, combined_atomic_counters;
	int32_t combined_atomic_counter_buffers, combined_texture_image_units;
	int32_t uniform_block_size, clip_distances, cull_distances;

	/* Caps encoding (4-bit x/y per sample): word 0 = 2x, 1 = 4x, 2..3 = 8x, 4..7 = 16x. */
	uint32_t sample_locations[8];

	float aliased_point_size[2], smooth_point_size[2];
	float aliased_line_width[2], smooth_line_width[2];
	float texture_lod_bias, texture_max_anisotropy;
};

struct vrend_gl_info {
	bool gles;             /* OpenGL ES context (else desktop GL) */
	bool core_profile;     /* desktop core profile */
	uint32_t version;      /* major * 10 + minor, e.g. 45 */
	uint32_t glsl_version; /* major * 100 + minor, e.g. 450 (GLES: 320) */
	char vendor[128];
	char renderer[256];
	char version_string[256];
	struct vrend_strset extensions;
	struct vrend_gl_limits limits;
};

/* Fills info from the current context. Needs a GL >= 3.0 / GLES >= 3.0 context
 * (indexed extension strings). Returns 0 or -errno. */
int vrend_gl_info_query(struct vrend_gl_info *info);
void vrend_gl_info_fini(struct vrend_gl_info *info);

bool vrend_gl_has_ext(const struct vrend_gl_info *info, const char *ext);
/* True when the context is desktop GL >= gl or GLES >= gles (major * 10 + minor;
 * 0 = never on that API). */
bool vrend_gl_version_ge(const struct vrend_gl_info *info, uint32_t gl, uint32_t gles);

/* "4.50 ...", "OpenGL ES GLSL ES 3.20" -> 450 / 320; 0 when there is no version. */
uint32_t vrend_parse_glsl_version(const char *str);

#endif /* VREND_GL_INFO_H */
