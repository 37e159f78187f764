/* SPDX-License-Identifier: MIT */
/*
 * virgl caps (capsets 1 and 2) computed from two inputs: what the host GL can do
 * (gl_info + format probe) and what vrend implements (struct vrend_features).
 * The caps never promise more than both allow. A zeroed vrend_features is "vrend
 * implements nothing"; it grows with the decoder.
 */
#ifndef VREND_CAPS_H
#define VREND_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "caps_layout.h"

struct vrend_gl_info;
struct vrend_format_caps;

struct vrend_features {
	uint32_t glsl_level; /* highest level the TGSI->GLSL emitter handles; 0 = none */
	/* Bits whose commands and semantics vrend implements (caps_bits.h). */
	uint32_t bset, caps_bits, caps_bits_v2;
	uint32_t prim_mask; /* primitives DRAW_VBO draws without client conversion */

	/* Implemented limits; 0 = feature absent. Caps report min(host, this). */
	uint32_t max_render_targets;
	uint32_t max_samples; /* > 1 needs MSAA resources, resolves and sample positions */
	uint32_t max_streamout_buffers;
	uint32_t max_dual_source_render_targets;
	uint32_t max_viewports;
	uint32_t max_uniform_blocks; /* counts the default block (SET_CONSTANT_BUFFER slot 0) */
	uint32_t max_texture_samplers;
	uint32_t max_vertex_attribs;
	uint32_t max_texture_gather_components;
	uint32_t max_const_buffer_size; /* bytes of constant buffer 0 per stage */

	bool texture_arrays;
	bool texture_buffers;
	bool geometry_shaders;
	bool shader_buffers; /* SSBOs */
	bool shader_images;
	bool atomic_counters;
	bool anisotropic_filtering;

	/* Format classes (formats.h flags) the implementation handles end to end. */
	bool sampling;           /* sampler views of plain colour formats */
	bool rendering;          /* colour surfaces */
	bool depth_stencil;      /* depth/stencil surfaces and depth sampling */
	bool emulated_formats;   /* table swizzles in views; X channels in blending */
	bool compressed_formats; /* compressed uploads */
	bool format_conversions; /* CONVERT formats (depth layouts) in transfers */
	bool readback;           /* transfers from host */
	bool scanout;            /* resources with a DRM fourcc exported for display */
	bool vertex_r11g11b10;   /* R11G11B10_FLOAT vertex attributes */

	/* Obligations host_feature_check_version carries (virgl-protocol.md 7.5). */
	bool tgsi_texcoord_semantics; /* >= 10: TEXCOORD/PCOORD semantics */
	bool ssbo_lowered_bindings;   /* >= 16: NTT-lowered SSBO bindings */
};

/* Caps bits the host GL could back (caps_host.c). */
struct vrend_host_bits {
	uint32_t bset, caps, caps2, prim_mask;
};
void vrend_caps_host_bits(const struct vrend_gl_info *info, struct vrend_host_bits *out);

/*
 * Fills caps from the host and the features. Fails with -EINVAL and a reason
 * when the features claim something the decoder table does not implement, or
 * when no host_feature_check_version keeps every implicit promise (7.5).
 */
int vrend_caps_fill(const struct vrend_gl_info *info, const struct vrend_format_caps *formats,
                    const struct vrend_features *features, struct vrend_caps_v2 *caps, char *why,
                    size_t why_size);

/*
 * The highest host_feature_check_version <= VREND_HFCV_MAX whose gates hold for
 * these features and (otherwise complete) caps, or -EINVAL with a reason.
 */
int vrend_caps_hfcv(const struct vrend_features *features, const struct vrend_caps_v2 *caps,
                    char *why, size_t why_size);

/* Checks every claimed bit against the decoder table: 0, or -EINVAL and a reason. */
int vrend_features_check(const struct vrend_features *features, char *why, size_t why_size);

/* Capset plumbing for the backend ops: capset 1 = v1 (version 1, 308 bytes),
 * capset 2 = v2 (version 2, 1408 bytes). Unknown id: -EINVAL. */
int vrend_caps_capset_info(uint32_t capset_id, uint32_t *max_version, uint32_t *max_size);
/* Copies at most buf_size bytes of the capset; *written (may be NULL) gets the count. */
int vrend_caps_capset_write(const struct vrend_caps_v2 *caps, uint32_t capset_id, uint32_t version,
                            void *buf, size_t buf_size, size_t *written);

#endif /* VREND_CAPS_H */
