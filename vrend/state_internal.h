/* SPDX-License-Identifier: MIT */
/*
 * Private to state*.c, sampler.c and vertex_elements.c: the decoded pipe
 * state objects, the per-sub-context struct vrend_state, and dirty bits.
 *
 * Objects are translated and validated once at CREATE_OBJECT (GL enums stored
 * ready to use); binds and SET_* commands only store and mark dirty;
 * vrend_state_emit() re-applies each dirty group to the sub-context's own GL
 * context before a draw.
 */
#ifndef VREND_STATE_INTERNAL_H
#define VREND_STATE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "vctx.h"

#define VREND_MAX_RTS 8
#define VREND_MAX_VIEWPORTS 16
#define VREND_MAX_SAMPLERS 32
#define VREND_MAX_VERTEX_ELEMENTS 32
#define VREND_MAX_VERTEX_BUFFERS 32
#define VREND_MAX_CLIP_PLANES 8

/* ---- objects ---- */

struct vrend_blend_rt {
	bool enable;
	uint8_t colormask;                               /* bit0 R .. bit3 A */
	uint32_t src_rgb, dst_rgb, src_alpha, dst_alpha; /* GL factors */
	uint32_t eq_rgb, eq_alpha;                       /* GL equations */
	bool dual_source;
};

struct vrend_blend_obj {
	struct vrend_object base;
	bool independent, logicop_enable, dither, alpha_to_coverage, alpha_to_one;
	uint32_t logicop; /* GL logic op */
	struct vrend_blend_rt rt[VREND_MAX_RTS];
	/* KHR_blend_equation_advanced: the GL equation (GL_MULTIPLY_KHR ...) when
	 * RT 0 carries an advanced mode (virgl-protocol.md 4.1), else 0. */
	uint32_t advanced_eq;
};

/* Gallium pipe_rasterizer_state, unpacked (virgl-protocol.md 4.2). */
struct vrend_rast {
	bool flatshade, depth_clip, clip_halfz, rasterizer_discard, flatshade_first;
	bool light_twoside, sprite_coord_lower_left, point_quad_rasterization;
	bool scissor, front_ccw, clamp_vertex_color, clamp_fragment_color;
	bool offset_line, offset_point, offset_tri, poly_smooth, poly_stipple_enable;
	bool point_smooth, point_size_per_vertex, multisample, line_smooth;
	bool line_stipple_enable, line_last_pixel, half_pixel_center, bottom_edge_rule;
	bool force_persample_interp;
	uint8_t cull_face;             /* PIPE_FACE_*: 0 none, 1 front, 2 back, 3 both */
	uint8_t fill_front, fill_back; /* PIPE_POLYGON_MODE_* */
	uint8_t clip_plane_enable;
	uint8_t line_stipple_factor;
	uint16_t line_stipple_pattern;
	uint32_t sprite_coord_enable;
	float point_size, line_width, offset_units, offset_scale, offset_clamp;
};

struct vrend_rast_obj {
	struct vrend_object base;
	struct vrend_rast r;
};

struct vrend_stencil_face {
	bool enabled;
	uint32_t func, fail_op, zpass_op, zfail_op; /* GL enums */
	uint8_t valuemask, writemask;
};

struct vrend_dsa_obj {
	struct vrend_object base;
	bool depth_enable, depth_write, alpha_enable;
	uint32_t depth_func; /* GL */
	uint8_t alpha_func;  /* PIPE_FUNC_* (no fixed-function alpha test in core GL) */
	float alpha_ref;
	struct vrend_stencil_face stencil[2]; /* front, back */
};

struct vrend_ve_obj {
	struct vrend_object base;
	uint32_t count;
	uint32_t int_mask, uint_mask; /* pure integer attributes */
	struct vrend_vertex_element el[VREND_MAX_VERTEX_ELEMENTS];
};

/* What a GL sampler object is made of (sampler.c). */
struct vrend_sampler_desc {
	uint32_t wrap[3], min_filter, mag_filter, compare_func; /* GL enums */
	bool compare;
	float lod_bias, min_lod, max_lod, anisotropy;
};

/* A GL twin of a sampler whose border colour is set for one kind of view:
 * as integers, and/or moved to the GL channels an emulated format samples. */
struct vrend_sampler_variant {
	uint32_t gl;
	bool integer;
	uint32_t border[4];
};

#define VREND_SAMPLER_VARIANTS 4

struct vrend_sampler_obj {
	struct vrend_object base;
	uint32_t gl_float;   /* border colour set as floats, unswizzled */
	bool border_matters; /* a border wrap mode with a non-zero colour */
	bool seamless_cube_map;
	uint8_t gl_clamp_axes; /* GL_CLAMP with linear filtering: bit k = coordinate k */
	uint32_t border[4];    /* raw wire bits */
	struct vrend_sampler_desc desc;
	uint32_t num_variants;
	struct vrend_sampler_variant variants[VREND_SAMPLER_VARIANTS];
};

/* ---- per-sub-context state ---- */

enum vrend_state_dirty {
	VREND_DIRTY_BLEND = 1u << 0,       /* blend object */
	VREND_DIRTY_BLEND_COLOR = 1u << 1, /* SET_BLEND_COLOR */
	VREND_DIRTY_DSA = 1u << 2,         /* DSA object + stencil ref */
	VREND_DIRTY_RAST = 1u << 3,        /* rasterizer object */
	VREND_DIRTY_VIEWPORT = 1u << 4,    /* see vp_dirty; also clip_halfz */
	VREND_DIRTY_SCISSOR = 1u << 5,     /* see sc_dirty */
	VREND_DIRTY_SAMPLE_MASK = 1u << 6,
	VREND_DIRTY_MIN_SAMPLES = 1u << 7,
	VREND_DIRTY_SAMPLERS = 1u << 8, /* seamless cube map (a GL-global switch) */
	VREND_DIRTY_ALL = (1u << 9) - 1,
};

struct vrend_viewport {
	float scale[3], translate[3];
};

struct vrend_scissor {
	uint16_t minx, miny, maxx, maxy; /* max exclusive */
};

/* What the host GL can do (from gl_info at init). */
struct vrend_state_host {
	bool gles;
	bool viewport_array, clip_control, indexed_blend, indexed_blend_func;
	bool logic_op, polygon_mode, depth_clamp, polygon_offset_clamp;
	bool sample_shading, sample_mask, provoking_vertex, program_point_size;
	bool anisotropy, seamless_cube_map, lod_bias, border_clamp;
	bool mirror_clamp, mirror_clamp_to_edge, dual_source_blend, blend_advanced;
	bool vertex_double, vertex_bgra, vertex_packed, vertex_10f_11f_11f, vertex_half;
	uint32_t max_viewports, max_clip_distances, max_draw_buffers, max_vertex_attribs;
	float line_width[2], point_size[2], max_anisotropy;
};

struct vrend_state {
	struct vrend_state_host host;

	/* bindings (each holds a reference) */
	struct vrend_object *blend, *rast, *dsa, *ve;
	struct vrend_object *samplers[VREND_STAGE_COUNT][VREND_MAX_SAMPLERS];
	/* The shader key's GL_CLAMP bits of the samplers above (vrend_state_gl_clamp),
	 * kept up to date by BIND_SAMPLER_STATES: every draw reads them. */
	uint32_t gl_clamp[VREND_STAGE_COUNT][3];

	/* SET_* values */
	struct vrend_viewport vp[VREND_MAX_VIEWPORTS];
	uint32_t vp_set_mask; /* viewports the guest has set */
	struct vrend_scissor sc[VREND_MAX_VIEWPORTS];
	uint32_t sc_set_mask;
	uint8_t stencil_ref[2];
	float blend_color[4];
	uint32_t stipple[32];
	float clip_planes[VREND_MAX_CLIP_PLANES * 4];
	uint32_t sample_mask;
	uint32_t min_samples;

	/* emit tracking */
	uint32_t dirty;              /* enum vrend_state_dirty */
	uint32_t vp_dirty, sc_dirty; /* per index */
	bool emitted_halfz;          /* clip_halfz the viewports were last emitted with */
	uint32_t warned;             /* log-once bits (enum vrend_state_warn) */
};

enum vrend_state_warn {
	VREND_WARN_STIPPLE = 1u << 0,
	VREND_WARN_ALPHA_TEST = 1u << 1,
	VREND_WARN_LINE_STIPPLE = 1u << 2,
	VREND_WARN_LOGICOP = 1u << 3,
	VREND_WARN_VP_MIXED = 1u << 4,
	VREND_WARN_DUAL_SRC = 1u << 5,
	VREND_WARN_CLAMP_COLOR = 1u << 6,
	VREND_WARN_BLEND_ADVANCED = 1u << 7,
};

/* state.c */
void vrend_state_warn_once(struct vrend_sub *sub, uint32_t bit, const char *what);
/* The bound rasterizer, or defaults (GL's) when none is bound. */
const struct vrend_rast *vrend_state_rast(struct vrend_sub *sub);

/* sampler.c: drops every sampler binding (fini). */
void vrend_state_samplers_fini(struct vrend_sub *sub);
/* sampler.c: whether any bound sampler asks for seamless cube maps. */
bool vrend_state_samplers_seamless(struct vrend_sub *sub);

#endif /* VREND_STATE_INTERNAL_H */
