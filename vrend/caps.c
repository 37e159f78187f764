/* SPDX-License-Identifier: MIT */
#include "caps.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "backend_internal.h"
#include "blob_internal.h"
#include "caps_bits.h"
#include "decode.h"
#include "format.h" /* the core table: DRM fourccs */
#include "formats.h"
#include "gl_info.h"
#include "protocol.h"
#include "virgl-next/virgl_next.h"

static int fail(char *why, size_t why_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t why_size, const char *fmt, ...)
{
	va_list ap;

	if (why && why_size) {
		va_start(ap, fmt);
		vsnprintf(why, why_size, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static uint32_t min_u(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* GL limits are GLint; negative would be a driver bug, read it as 0. */
static uint32_t lim(int32_t v)
{
	return v > 0 ? (uint32_t)v : 0;
}

/* ---- features vs decoder ------------------------------------------------ */

enum { W_BSET, W_CAPS, W_CAPS2 };

/* A claimed bit makes the client send these commands: the decoder must run them. */
static const struct {
	uint8_t word;
	uint32_t bit;
	uint8_t cmds[3]; /* 0 = end (NOP never needs a handler) */
} bit_cmds[] = {
    {W_BSET, VREND_BSET_CONDITIONAL_RENDER, {VREND_CCMD_SET_RENDER_CONDITION}},
    {W_BSET,
     VREND_BSET_OCCLUSION_QUERY,
     {VREND_CCMD_BEGIN_QUERY, VREND_CCMD_END_QUERY, VREND_CCMD_GET_QUERY_RESULT}},
    {W_BSET,
     VREND_BSET_TIMER_QUERY,
     {VREND_CCMD_BEGIN_QUERY, VREND_CCMD_END_QUERY, VREND_CCMD_GET_QUERY_RESULT}},
    {W_BSET, VREND_BSET_HAS_TESSELLATION_SHADERS, {VREND_CCMD_SET_TESS_STATE}},
    {W_CAPS, VREND_CAP_SET_MIN_SAMPLES, {VREND_CCMD_SET_MIN_SAMPLES}},
    {W_CAPS, VREND_CAP_MEMORY_BARRIER, {VREND_CCMD_MEMORY_BARRIER}},
    {W_CAPS, VREND_CAP_COMPUTE_SHADER, {VREND_CCMD_LAUNCH_GRID}},
    {W_CAPS, VREND_CAP_FB_NO_ATTACH, {VREND_CCMD_SET_FRAMEBUFFER_STATE_NO_ATTACH}},
    {W_CAPS, VREND_CAP_TEXTURE_BARRIER, {VREND_CCMD_TEXTURE_BARRIER}},
    {W_CAPS, VREND_CAP_GUEST_MAY_INIT_LOG, {VREND_CCMD_SET_DEBUG_FLAGS}},
    {W_CAPS, VREND_CAP_QBO, {VREND_CCMD_GET_QUERY_RESULT_QBO}},
    {W_CAPS, VREND_CAP_TRANSFER, {VREND_CCMD_TRANSFER3D, VREND_CCMD_END_TRANSFERS}},
    {W_CAPS, VREND_CAP_COPY_TRANSFER, {VREND_CCMD_COPY_TRANSFER3D}},
    {W_CAPS, VREND_CAP_APP_TWEAK_SUPPORT, {VREND_CCMD_SET_TWEAKS}},
    {W_CAPS, VREND_CAP_CLEAR_TEXTURE, {VREND_CCMD_CLEAR_TEXTURE}},
    {W_CAPS, VREND_CAP_ARB_BUFFER_STORAGE, {VREND_CCMD_PIPE_RESOURCE_CREATE}},
    {W_CAPS2, VREND_CAP2_BLEND_EQUATION, {VREND_CCMD_TEXTURE_BARRIER}},
    {W_CAPS2, VREND_CAP2_UNTYPED_RESOURCE, {VREND_CCMD_PIPE_RESOURCE_SET_TYPE}},
    {W_CAPS2, VREND_CAP2_MEMINFO, {VREND_CCMD_GET_MEMORY_INFO}},
    {W_CAPS2, VREND_CAP2_STRING_MARKER, {VREND_CCMD_EMIT_STRING_MARKER}},
    {W_CAPS2, VREND_CAP2_COPY_TRANSFER_BOTH_DIRECTIONS, {VREND_CCMD_COPY_TRANSFER3D}},
    {W_CAPS2, VREND_CAP2_RESOURCE_LAYOUT, {VREND_CCMD_GET_PIPE_RESOURCE_LAYOUT}},
};

uint64_t vrend_features_commands(const struct vrend_features *ft)
{
	const uint32_t words[3] = {ft->bset, ft->caps_bits, ft->caps_bits_v2};
	uint64_t mask = 0;

	for (size_t i = 0; i < sizeof(bit_cmds) / sizeof(bit_cmds[0]); i++) {
		if (!(words[bit_cmds[i].word] & bit_cmds[i].bit))
			continue;
		for (int c = 0; c < 3 && bit_cmds[i].cmds[c]; c++)
			mask |= 1ull << bit_cmds[i].cmds[c];
	}
	return mask;
}

int vrend_features_check(const struct vrend_features *ft, char *why, size_t why_size)
{
	const uint32_t words[3] = {ft->bset, ft->caps_bits, ft->caps_bits_v2};
	static const char *const word_names[3] = {"bset", "capability_bits", "capability_bits_v2"};

	for (size_t i = 0; i < sizeof(bit_cmds) / sizeof(bit_cmds[0]); i++) {
		if (!(words[bit_cmds[i].word] & bit_cmds[i].bit))
			continue;
		for (int c = 0; c < 3 && bit_cmds[i].cmds[c]; c++) {
			if (!vrend_decode_cmd_implemented(bit_cmds[i].cmds[c]))
				return fail(why, why_size,
				            "%s bit 0x%x claimed but command %s has no handler",
				            word_names[bit_cmds[i].word], bit_cmds[i].bit,
				            vrend_decode_cmd_name(bit_cmds[i].cmds[c]));
		}
	}
	return 0;
}

/* ---- host_feature_check_version ----------------------------------------- */

struct hfcv_gate {
	uint32_t version;
	bool at_least; /* gate applies to hfcv >= version, else to hfcv < version */
	const char *what;
	bool (*ok)(const struct vrend_features *ft, const struct vrend_caps_v2 *caps);
};

static bool ok_mixed_srgb(const struct vrend_features *ft, const struct vrend_caps_v2 *caps)
{
	(void)caps;
	return (ft->caps_bits & VREND_CAP_FBO_MIXED_COLOR_FORMATS) &&
	       (ft->caps_bits & VREND_CAP_SRGB_WRITE_CONTROL);
}

static bool ok_four_streams(const struct vrend_features *ft, const struct vrend_caps_v2 *caps)
{
	return !caps->v1.max_streamout_buffers || (ft->caps_bits & VREND_CAP_TRANSFORM_FEEDBACK3);
}

static bool ok_texcoord(const struct vrend_features *ft, const struct vrend_caps_v2 *caps)
{
	(void)caps;
	return !ft->glsl_level || ft->tgsi_texcoord_semantics;
}

static bool ok_timer_assumed(const struct vrend_features *ft, const struct vrend_caps_v2 *caps)
{
	(void)caps;
	return (ft->bset & VREND_BSET_TIMER_QUERY) != 0;
}

static bool ok_ssbo_lowering(const struct vrend_features *ft, const struct vrend_caps_v2 *caps)
{
	return !caps->shader_buffer_offset_alignment || ft->ssbo_lowered_bindings;
}

static bool ok_clear_surface(const struct vrend_features *ft, const struct vrend_caps_v2 *caps)
{
	(void)caps;
	return !(ft->rendering || ft->depth_stencil) ||
	       vrend_decode_cmd_implemented(VREND_CCMD_CLEAR_SURFACE);
}

static bool ok_link_hint(const struct vrend_features *ft, const struct vrend_caps_v2 *caps)
{
	(void)ft;
	(void)caps;
	return true; /* LINK_SHADER is a hint: skipping it is correct */
}

static const struct hfcv_gate gates[] = {
    {1, false, "mixed colour formats and sRGB write control assumed", ok_mixed_srgb},
    {2, false, "4 vertex streams assumed", ok_four_streams},
    {7, true, "LINK_SHADER sent", ok_link_hint},
    {10, true, "TEXCOORD/PCOORD semantics in shaders", ok_texcoord},
    {15, false, "timer queries assumed", ok_timer_assumed},
    {16, true, "NTT-lowered SSBO bindings", ok_ssbo_lowering},
    {21, true, "CLEAR_SURFACE sent for surface clears", ok_clear_surface},
    /* Gates that only read caps fields vrend fills honestly (5, 9, 12, 13, 19, 20,
     * 22), video (14, none advertised) and SET_TYPE (18, behind a v2 bit checked by
     * vrend_features_check) need no predicate. 23 = vtest protocol 3. */
};

int vrend_caps_hfcv(const struct vrend_features *ft, const struct vrend_caps_v2 *caps, char *why,
                    size_t why_size)
{
	uint32_t lo = 0, hi = VREND_HFCV_MAX;
	const char *lo_what = "", *hi_what = "";

	/* A broken "< v" assumption forces hfcv >= v; a broken ">= v" obligation
	 * forces hfcv < v. Report the highest version in between. */
	for (size_t i = 0; i < sizeof(gates) / sizeof(gates[0]); i++) {
		const struct hfcv_gate *g = &gates[i];

		if (g->ok(ft, caps))
			continue;
		if (g->at_least && g->version - 1 < hi) {
			hi = g->version - 1;
			hi_what = g->what;
		} else if (!g->at_least && g->version > lo) {
			lo = g->version;
			lo_what = g->what;
		}
	}
	if (lo <= hi)
		return (int)hi;
	return fail(why, why_size,
	            "no host_feature_check_version fits: below %u the client relies on \"%s\", "
	            "from %u on \"%s\"",
	            lo, lo_what, hi + 1, hi_what);
}

/* ---- format masks ------------------------------------------------------- */

static bool class_ok(const struct vrend_format *f, const struct vrend_features *ft)
{
	if ((f->flags & VREND_FMT_EMULATED) && !ft->emulated_formats)
		return false;
	if ((f->flags & VREND_FMT_COMPRESSED) && !ft->compressed_formats)
		return false;
	if ((f->flags & VREND_FMT_CONVERT) && !ft->format_conversions)
		return false;
	return true;
}

static void set_bit(uint32_t *mask, uint32_t n)
{
	mask[n / 32] |= 1u << (n % 32);
}

static bool mask_empty(const uint32_t *mask)
{
	for (int i = 0; i < VREND_CAPS_MASK_DWORDS; i++) {
		if (mask[i])
			return false;
	}
	return true;
}

static void fill_format_masks(const struct vrend_gl_info *info, const struct vrend_format_caps *fc,
                              const struct vrend_features *ft, struct vrend_caps_v2 *caps)
{
	struct vrend_caps_v1 *v1 = &caps->v1;

	for (uint32_t n = 0; n < VFMT_COUNT; n++) {
		const struct vrend_format *f = vrend_format_get(n);
		bool ds = f && (f->flags & (VREND_FMT_DEPTH | VREND_FMT_STENCIL));
		bool exposed = false;

		if (!f || !class_ok(f, ft))
			continue;
		if (vrend_format_caps_has(fc, n, VREND_PROBE_TEXTURE) &&
		    (ds ? ft->depth_stencil : ft->sampling)) {
			set_bit(v1->sampler, n);
			exposed = true;
		}
		if (!ds && ft->rendering && vrend_format_caps_has(fc, n, VREND_PROBE_RENDER)) {
			set_bit(v1->render, n);
			exposed = true;
			if (ft->scanout && vgn_format_get(n) && vgn_format_get(n)->drm_fourcc)
				set_bit(caps->scanout, n);
		}
		if (ds && ft->depth_stencil && vrend_format_caps_has(fc, n, VREND_PROBE_DEPTH)) {
			set_bit(v1->depthstencil, n);
			exposed = true;
		}
		if (exposed && ft->readback && vrend_format_caps_has(fc, n, VREND_PROBE_READBACK))
			set_bit(caps->supported_readback_formats, n);
		if (exposed && ft->max_samples > 1 &&
		    vrend_format_caps_has(fc, n, VREND_PROBE_MSAA))
			set_bit(caps->supported_multisample_formats, n);
	}
	if (ft->vertex_r11g11b10 && (vrend_gl_version_ge(info, 44, 0) ||
	                             vrend_gl_has_ext(info, "GL_ARB_vertex_type_10f_11f_11f_rev")))
		set_bit(v1->vertexbuffer, VFMT_R11G11B10_FLOAT);
	/* An all-zero readback or scanout mask makes the client copy the sampler mask;
	 * the NONE bit keeps "nothing" meaning nothing. */
	if (!mask_empty(v1->sampler)) {
		if (mask_empty(caps->supported_readback_formats))
			set_bit(caps->supported_readback_formats, VFMT_NONE);
		if (mask_empty(caps->scanout))
			set_bit(caps->scanout, VFMT_NONE);
	}
}

/* ---- numbers ------------------------------------------------------------ */

/* GLSL level in desktop terms (the client compares against 130/140/150/330...).
 * GLES hosts map conservatively until the emitter targets GLSL ES. */
static uint32_t host_glsl_level(const struct vrend_gl_info *info)
{
	if (!info->gles)
		return info->glsl_version;
	if (info->glsl_version >= 320)
		return 150;
	if (info->glsl_version >= 310)
		return 140;
	return info->glsl_version >= 300 ? 130 : 0;
}

static void fill_v1(const struct vrend_gl_info *info, const struct vrend_features *ft,
                    const struct vrend_host_bits *hb, struct vrend_caps_v1 *v1)
{
	const struct vrend_gl_limits *l = &info->limits;

	v1->max_version = 2; /* not read by Mesa; the same in both capsets keeps v1 a prefix */
	v1->bset = hb->bset & ft->bset;
	v1->glsl_level = min_u(host_glsl_level(info), ft->glsl_level);
	v1->max_texture_array_layers = ft->texture_arrays ? lim(l->array_texture_layers) : 0;
	v1->max_streamout_buffers =
	    min_u(lim(l->transform_feedback_buffers), ft->max_streamout_buffers);
	v1->max_dual_source_render_targets =
	    min_u(lim(l->dual_source_draw_buffers), ft->max_dual_source_render_targets);
	v1->max_render_targets = min_u(lim(l->draw_buffers), ft->max_render_targets);
	v1->max_samples = min_u(lim(l->samples), ft->max_samples);
	v1->prim_mask = hb->prim_mask & ft->prim_mask;
	if (!(v1->bset & VREND_BSET_HAS_TESSELLATION_SHADERS))
		v1->prim_mask &= ~(1u << 14); /* PATCHES */
	v1->max_tbo_size = ft->texture_buffers ? lim(l->texture_buffer_size) : 0;
	/* + 1: the client counts the default block, GL_MAX_*_UNIFORM_BLOCKS does not. */
	v1->max_uniform_blocks =
	    min_u(lim(l->uniform_blocks[VREND_STAGE_VERTEX]) + 1, ft->max_uniform_blocks);
	v1->max_viewports = min_u(lim(l->viewports), ft->max_viewports);
	v1->max_texture_gather_components =
	    min_u(lim(l->texture_gather_components), ft->max_texture_gather_components);
}

static void fill_v2_limits(const struct vrend_gl_info *info, const struct vrend_features *ft,
                           struct vrend_caps_v2 *c)
{
	const struct vrend_gl_limits *l = &info->limits;
	bool tess = (c->v1.bset & VREND_BSET_HAS_TESSELLATION_SHADERS) != 0;
	bool compute = (c->capability_bits & VREND_CAP_COMPUTE_SHADER) != 0;

	/* Host facts, not feature claims. */
	c->min_aliased_point_size = l->aliased_point_size[0];
	c->max_aliased_point_size = l->aliased_point_size[1];
	c->min_smooth_point_size = l->smooth_point_size[0];
	c->max_smooth_point_size = l->smooth_point_size[1];
	c->min_aliased_line_width = l->aliased_line_width[0];
	c->max_aliased_line_width = l->aliased_line_width[1];
	c->min_smooth_line_width = l->smooth_line_width[0];
	c->max_smooth_line_width = l->smooth_line_width[1];
	c->max_texture_lod_bias = l->texture_lod_bias;
	c->min_texel_offset = l->min_texel_offset;
	c->max_texel_offset = l->max_texel_offset;
	c->uniform_buffer_offset_alignment = lim(l->uniform_buffer_offset_alignment);
	/* 0 would make the client assume 16384 / 256 / 4096. */
	c->max_texture_2d_size = lim(l->texture_size);
	c->max_texture_3d_size = lim(l->texture_3d_size);
	c->max_texture_cube_size = lim(l->cube_map_texture_size);

	if (ft->geometry_shaders) {
		c->max_geom_output_vertices = lim(l->geometry_output_vertices);
		c->max_geom_total_output_components = lim(l->geometry_total_output_components);
	}
	if (ft->glsl_level)
		c->max_vertex_outputs = lim(l->vertex_output_components) / 4;
	c->max_vertex_attribs = min_u(lim(l->vertex_attribs), ft->max_vertex_attribs);
	if (c->max_vertex_attribs)
		c->max_vertex_attrib_stride = lim(l->vertex_attrib_stride);
	if (tess) {
		c->max_shader_patch_varyings = lim(l->tess_patch_components) / 4;
		c->max_tcs_outputs = lim(l->tess_control_output_components) / 4;
		c->max_tes_outputs = lim(l->tess_evaluation_output_components) / 4;
	}
	if (c->v1.max_texture_gather_components) {
		c->min_texture_gather_offset = l->min_texture_gather_offset;
		c->max_texture_gather_offset = l->max_texture_gather_offset;
	}
	if (ft->texture_buffers)
		c->texture_buffer_offset_alignment = lim(l->texture_buffer_offset_alignment);
	if (ft->shader_buffers) {
		c->shader_buffer_offset_alignment = lim(l->shader_storage_buffer_offset_alignment);
		c->max_shader_buffer_frag_compute =
		    lim(l->shader_storage_blocks[VREND_STAGE_FRAGMENT]);
		c->max_shader_buffer_other_stages =
		    lim(l->shader_storage_blocks[VREND_STAGE_VERTEX]);
		c->max_combined_shader_buffers = lim(l->combined_shader_storage_blocks);
		for (int s = 0; s < VREND_STAGE_COUNT; s++)
			c->max_shader_storage_blocks[s] = lim(l->shader_storage_blocks[s]);
	}
	if (ft->shader_images) {
		c->max_shader_image_frag_compute = lim(l->image_uniforms[VREND_STAGE_FRAGMENT]);
		c->max_shader_image_other_stages = lim(l->image_uniforms[VREND_STAGE_VERTEX]);
		if (c->v1.max_samples > 1)
			c->max_image_samples = lim(l->image_samples);
	}
	if (ft->atomic_counters) {
		for (int s = 0; s < VREND_STAGE_COUNT; s++) {
			c->max_atomic_counters[s] = lim(l->atomic_counters[s]);
			c->max_atomic_counter_buffers[s] = lim(l->atomic_counter_buffers[s]);
		}
		c->max_combined_atomic_counters = lim(l->combined_atomic_counters);
		c->max_combined_atomic_counter_buffers = lim(l->combined_atomic_counter_buffers);
	}
	if (compute) {
		c->max_compute_work_group_invocations = lim(l->compute_work_group_invocations);
		c->max_compute_shared_memory_size = lim(l->compute_shared_memory_size);
		for (int i = 0; i < 3; i++) {
			c->max_compute_grid_size[i] = lim(l->compute_work_group_count[i]);
			c->max_compute_block_size[i] = lim(l->compute_work_group_size[i]);
		}
	}
	if (c->v1.max_samples > 1)
		memcpy(c->sample_locations, l->sample_locations, sizeof(c->sample_locations));
	if (ft->anisotropic_filtering)
		c->max_anisotropy = l->texture_max_anisotropy;
	c->max_texture_samplers =
	    min_u(lim(l->texture_image_units[VREND_STAGE_FRAGMENT]), ft->max_texture_samplers);
	for (int s = 0; s < VREND_STAGE_COUNT; s++) {
		uint64_t bytes = (uint64_t)lim(l->uniform_components[s]) * 4u;
		c->max_const_buffer_size[s] =
		    (uint32_t)(bytes < ft->max_const_buffer_size ? bytes
		                                                 : ft->max_const_buffer_size);
	}
	if (c->v1.max_uniform_blocks > 1)
		c->max_uniform_block_size = lim(l->uniform_block_size);
}

int vrend_caps_fill(const struct vrend_gl_info *info, const struct vrend_format_caps *formats,
                    const struct vrend_features *ft, struct vrend_caps_v2 *caps, char *why,
                    size_t why_size)
{
	struct vrend_host_bits hb;
	int ret, hfcv;

	memset(caps, 0, sizeof(*caps));
	ret = vrend_features_check(ft, why, why_size);
	if (ret)
		return ret;
	vrend_caps_host_bits(info, &hb);
	fill_v1(info, ft, &hb, &caps->v1);
	caps->capability_bits = hb.caps & ft->caps_bits;
	/* Coherent persistent buffers need storage shared with the guest mapping
	 * (blob.c), not just host ARB_buffer_storage. */
	if (!vrend_blob_host_supported(info))
		caps->capability_bits &= ~VREND_CAP_ARB_BUFFER_STORAGE;
	/* A statement about the host, not a feature: the client must know. */
	if (info->gles)
		caps->capability_bits |= VREND_CAP_HOST_IS_GLES;
	caps->capability_bits_v2 =
	    (hb.caps2 & ft->caps_bits_v2) | (ft->caps_bits_v2 & VREND_CAP2_SCANOUT_USES_GBM);
	fill_v2_limits(info, ft, caps);
	fill_format_masks(info, formats, ft, caps);
	/* Truncated to 63 characters + NUL, as the client reads it. */
	memcpy(caps->renderer, info->renderer, strnlen(info->renderer, sizeof(caps->renderer) - 1));

	hfcv = vrend_caps_hfcv(ft, caps, why, why_size);
	if (hfcv < 0) {
		memset(caps, 0, sizeof(*caps));
		return hfcv;
	}
	caps->host_feature_check_version = (uint32_t)hfcv;
	return 0;
}

int vrend_caps_capset_info(uint32_t capset_id, uint32_t *max_version, uint32_t *max_size)
{
	switch (capset_id) {
	case VGN_CAPSET_VIRGL:
		*max_version = 1;
		*max_size = VREND_CAPS_V1_SIZE;
		return 0;
	case VGN_CAPSET_VIRGL2:
		*max_version = 2;
		*max_size = VREND_CAPS_V2_SIZE;
		return 0;
	default:
		return -EINVAL;
	}
}

int vrend_caps_capset_write(const struct vrend_caps_v2 *caps, uint32_t capset_id, uint32_t version,
                            void *buf, size_t buf_size, size_t *written)
{
	uint32_t max_version, size;
	size_t n;
	int ret;

	ret = vrend_caps_capset_info(capset_id, &max_version, &size);
	if (ret)
		return ret;
	if (version > max_version)
		return -EINVAL;
	n = buf_size < size ? buf_size : size;
	if (n && !buf)
		return -EINVAL;
	if (n)
		memcpy(buf, caps, n); /* v1 is the first 308 bytes of v2 */
	if (written)
		*written = n;
	return 0;
}
