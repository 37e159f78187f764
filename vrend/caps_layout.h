/* SPDX-License-Identifier: MIT */
/*
 * The virgl caps structs exactly as they go on the wire (virgl-protocol.md 7.2):
 * v1 is 308 bytes, v2 1408 bytes and starts with v1. Little-endian, every field
 * 4 bytes wide, so natural alignment leaves no padding; the asserts below pin
 * every offset the spec lists.
 */
#ifndef VREND_CAPS_LAYOUT_H
#define VREND_CAPS_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "caps are copied out as host memory");

#define VREND_CAPS_MASK_DWORDS 16 /* 512-bit format masks */

struct vrend_caps_v1 {
	uint32_t max_version;
	uint32_t sampler[VREND_CAPS_MASK_DWORDS];
	uint32_t render[VREND_CAPS_MASK_DWORDS];
	uint32_t depthstencil[VREND_CAPS_MASK_DWORDS];
	uint32_t vertexbuffer[VREND_CAPS_MASK_DWORDS];
	uint32_t bset;
	uint32_t glsl_level;
	uint32_t max_texture_array_layers;
	uint32_t max_streamout_buffers;
	uint32_t max_dual_source_render_targets;
	uint32_t max_render_targets;
	uint32_t max_samples;
	uint32_t prim_mask;
	uint32_t max_tbo_size;
	uint32_t max_uniform_blocks;
	uint32_t max_viewports;
	uint32_t max_texture_gather_components;
};

struct vrend_caps_v2 {
	struct vrend_caps_v1 v1;
	float min_aliased_point_size;
	float max_aliased_point_size;
	float min_smooth_point_size;
	float max_smooth_point_size;
	float min_aliased_line_width;
	float max_aliased_line_width;
	float min_smooth_line_width;
	float max_smooth_line_width;
	float max_texture_lod_bias;
	uint32_t max_geom_output_vertices;
	uint32_t max_geom_total_output_components;
	uint32_t max_vertex_outputs;
	uint32_t max_vertex_attribs;
	uint32_t max_shader_patch_varyings;
	int32_t min_texel_offset;
	int32_t max_texel_offset;
	int32_t min_texture_gather_offset;
	int32_t max_texture_gather_offset;
	uint32_t texture_buffer_offset_alignment;
	uint32_t uniform_buffer_offset_alignment;
	uint32_t shader_buffer_offset_alignment;
	uint32_t capability_bits;
	uint32_t sample_locations[8];
	uint32_t max_vertex_attrib_stride;
	uint32_t max_shader_buffer_frag_compute;
	uint32_t max_shader_buffer_other_stages;
	uint32_t max_shader_image_frag_compute;
	uint32_t max_shader_image_other_stages;
	uint32_t max_image_samples;
	uint32_t max_compute_work_group_invocations;
	uint32_t max_compute_shared_memory_size;
	uint32_t max_compute_grid_size[3];
	uint32_t max_compute_block_size[3];
	uint32_t max_texture_2d_size;
	uint32_t max_texture_3d_size;
	uint32_t max_texture_cube_size;
	uint32_t max_combined_shader_buffers;
	uint32_t max_atomic_counters[6];        /* wire stage order */
	uint32_t max_atomic_counter_buffers[6]; /* wire stage order */
	uint32_t max_combined_atomic_counters;
	uint32_t max_combined_atomic_counter_buffers;
	uint32_t host_feature_check_version;
	uint32_t supported_readback_formats[VREND_CAPS_MASK_DWORDS];
	uint32_t scanout[VREND_CAPS_MASK_DWORDS];
	uint32_t capability_bits_v2;
	uint32_t max_video_memory;
	char renderer[64];
	float max_anisotropy;
	uint32_t max_texture_samplers;
	uint32_t supported_multisample_formats[VREND_CAPS_MASK_DWORDS];
	uint32_t max_const_buffer_size[6]; /* wire stage order */
	uint32_t num_video_caps;
	uint32_t video_caps[32][4]; /* 16 bytes of bitfields each */
	uint32_t max_uniform_block_size;
	uint32_t max_tcs_outputs;
	uint32_t max_tes_outputs;
	uint32_t max_shader_storage_blocks[6]; /* wire stage order */
};

#define VREND_CAPS_V1_SIZE 308u
#define VREND_CAPS_V2_SIZE 1408u

#define VREND_CAPS_AT(type, field, off)                                                            \
	_Static_assert(offsetof(struct type, field) == (off), #field " offset")

_Static_assert(sizeof(struct vrend_caps_v1) == VREND_CAPS_V1_SIZE, "caps v1 size");
_Static_assert(sizeof(struct vrend_caps_v2) == VREND_CAPS_V2_SIZE, "caps v2 size");
VREND_CAPS_AT(vrend_caps_v1, max_version, 0);
VREND_CAPS_AT(vrend_caps_v1, sampler, 4);
VREND_CAPS_AT(vrend_caps_v1, render, 68);
VREND_CAPS_AT(vrend_caps_v1, depthstencil, 132);
VREND_CAPS_AT(vrend_caps_v1, vertexbuffer, 196);
VREND_CAPS_AT(vrend_caps_v1, bset, 260);
VREND_CAPS_AT(vrend_caps_v1, glsl_level, 264);
VREND_CAPS_AT(vrend_caps_v1, max_texture_array_layers, 268);
VREND_CAPS_AT(vrend_caps_v1, max_streamout_buffers, 272);
VREND_CAPS_AT(vrend_caps_v1, max_dual_source_render_targets, 276);
VREND_CAPS_AT(vrend_caps_v1, max_render_targets, 280);
VREND_CAPS_AT(vrend_caps_v1, max_samples, 284);
VREND_CAPS_AT(vrend_caps_v1, prim_mask, 288);
VREND_CAPS_AT(vrend_caps_v1, max_tbo_size, 292);
VREND_CAPS_AT(vrend_caps_v1, max_uniform_blocks, 296);
VREND_CAPS_AT(vrend_caps_v1, max_viewports, 300);
VREND_CAPS_AT(vrend_caps_v1, max_texture_gather_components, 304);
VREND_CAPS_AT(vrend_caps_v2, min_aliased_point_size, 308);
VREND_CAPS_AT(vrend_caps_v2, max_aliased_point_size, 312);
VREND_CAPS_AT(vrend_caps_v2, min_smooth_point_size, 316);
VREND_CAPS_AT(vrend_caps_v2, max_smooth_point_size, 320);
VREND_CAPS_AT(vrend_caps_v2, min_aliased_line_width, 324);
VREND_CAPS_AT(vrend_caps_v2, max_aliased_line_width, 328);
VREND_CAPS_AT(vrend_caps_v2, min_smooth_line_width, 332);
VREND_CAPS_AT(vrend_caps_v2, max_smooth_line_width, 336);
VREND_CAPS_AT(vrend_caps_v2, max_texture_lod_bias, 340);
VREND_CAPS_AT(vrend_caps_v2, max_geom_output_vertices, 344);
VREND_CAPS_AT(vrend_caps_v2, max_geom_total_output_components, 348);
VREND_CAPS_AT(vrend_caps_v2, max_vertex_outputs, 352);
VREND_CAPS_AT(vrend_caps_v2, max_vertex_attribs, 356);
VREND_CAPS_AT(vrend_caps_v2, max_shader_patch_varyings, 360);
VREND_CAPS_AT(vrend_caps_v2, min_texel_offset, 364);
VREND_CAPS_AT(vrend_caps_v2, max_texel_offset, 368);
VREND_CAPS_AT(vrend_caps_v2, min_texture_gather_offset, 372);
VREND_CAPS_AT(vrend_caps_v2, max_texture_gather_offset, 376);
VREND_CAPS_AT(vrend_caps_v2, texture_buffer_offset_alignment, 380);
VREND_CAPS_AT(vrend_caps_v2, uniform_buffer_offset_alignment, 384);
VREND_CAPS_AT(vrend_caps_v2, shader_buffer_offset_alignment, 388);
VREND_CAPS_AT(vrend_caps_v2, capability_bits, 392);
VREND_CAPS_AT(vrend_caps_v2, sample_locations, 396);
VREND_CAPS_AT(vrend_caps_v2, max_vertex_attrib_stride, 428);
VREND_CAPS_AT(vrend_caps_v2, max_shader_buffer_frag_compute, 432);
VREND_CAPS_AT(vrend_caps_v2, max_shader_buffer_other_stages, 436);
VREND_CAPS_AT(vrend_caps_v2, max_shader_image_frag_compute, 440);
VREND_CAPS_AT(vrend_caps_v2, max_shader_image_other_stages, 444);
VREND_CAPS_AT(vrend_caps_v2, max_image_samples, 448);
VREND_CAPS_AT(vrend_caps_v2, max_compute_work_group_invocations, 452);
VREND_CAPS_AT(vrend_caps_v2, max_compute_shared_memory_size, 456);
VREND_CAPS_AT(vrend_caps_v2, max_compute_grid_size, 460);
VREND_CAPS_AT(vrend_caps_v2, max_compute_block_size, 472);
VREND_CAPS_AT(vrend_caps_v2, max_texture_2d_size, 484);
VREND_CAPS_AT(vrend_caps_v2, max_texture_3d_size, 488);
VREND_CAPS_AT(vrend_caps_v2, max_texture_cube_size, 492);
VREND_CAPS_AT(vrend_caps_v2, max_combined_shader_buffers, 496);
VREND_CAPS_AT(vrend_caps_v2, max_atomic_counters, 500);
VREND_CAPS_AT(vrend_caps_v2, max_atomic_counter_buffers, 524);
VREND_CAPS_AT(vrend_caps_v2, max_combined_atomic_counters, 548);
VREND_CAPS_AT(vrend_caps_v2, max_combined_atomic_counter_buffers, 552);
VREND_CAPS_AT(vrend_caps_v2, host_feature_check_version, 556);
VREND_CAPS_AT(vrend_caps_v2, supported_readback_formats, 560);
VREND_CAPS_AT(vrend_caps_v2, scanout, 624);
VREND_CAPS_AT(vrend_caps_v2, capability_bits_v2, 688);
VREND_CAPS_AT(vrend_caps_v2, max_video_memory, 692);
VREND_CAPS_AT(vrend_caps_v2, renderer, 696);
VREND_CAPS_AT(vrend_caps_v2, max_anisotropy, 760);
VREND_CAPS_AT(vrend_caps_v2, max_texture_samplers, 764);
VREND_CAPS_AT(vrend_caps_v2, supported_multisample_formats, 768);
VREND_CAPS_AT(vrend_caps_v2, max_const_buffer_size, 832);
VREND_CAPS_AT(vrend_caps_v2, num_video_caps, 856);
VREND_CAPS_AT(vrend_caps_v2, video_caps, 860);
VREND_CAPS_AT(vrend_caps_v2, max_uniform_block_size, 1372);
VREND_CAPS_AT(vrend_caps_v2, max_tcs_outputs, 1376);
VREND_CAPS_AT(vrend_caps_v2, max_tes_outputs, 1380);
VREND_CAPS_AT(vrend_caps_v2, max_shader_storage_blocks, 1384);

#endif /* VREND_CAPS_LAYOUT_H */
