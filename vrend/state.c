/* SPDX-License-Identifier: MIT */
/*
 * Blend, depth-stencil-alpha and rasterizer objects (virgl-protocol.md 4.1-4.3),
 * their binds, and the per-sub-context struct vrend_state. Every enum is
 * validated and translated to GL at creation; state_emit.c applies them.
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gl_info.h"
#include "state_internal.h"

static inline uint32_t bits(uint32_t v, unsigned lo, unsigned n)
{
	return (v >> lo) & ((1u << n) - 1);
}

/* ---- enum tables (virgl-protocol.md 2.4) ---- */

/* PIPE_BLENDFACTOR_* -> GL; GL_ZERO is 0, so validity is a separate mask. */
#define BLEND_FACTOR_VALID 0x07be07feu /* 1..10, 0x11..0x15, 0x17..0x1a */
static const uint32_t blend_factor_gl[32] = {
    [0x01] = GL_ONE,
    [0x02] = GL_SRC_COLOR,
    [0x03] = GL_SRC_ALPHA,
    [0x04] = GL_DST_ALPHA,
    [0x05] = GL_DST_COLOR,
    [0x06] = GL_SRC_ALPHA_SATURATE,
    [0x07] = GL_CONSTANT_COLOR,
    [0x08] = GL_CONSTANT_ALPHA,
    [0x09] = GL_SRC1_COLOR,
    [0x0a] = GL_SRC1_ALPHA,
    [0x11] = GL_ZERO,
    [0x12] = GL_ONE_MINUS_SRC_COLOR,
    [0x13] = GL_ONE_MINUS_SRC_ALPHA,
    [0x14] = GL_ONE_MINUS_DST_ALPHA,
    [0x15] = GL_ONE_MINUS_DST_COLOR,
    [0x17] = GL_ONE_MINUS_CONSTANT_COLOR,
    [0x18] = GL_ONE_MINUS_CONSTANT_ALPHA,
    [0x19] = GL_ONE_MINUS_SRC1_COLOR,
    [0x1a] = GL_ONE_MINUS_SRC1_ALPHA,
};

static bool factor_is_src1(uint32_t f)
{
	return (f & 0xf) == 0x09 || (f & 0xf) == 0x0a;
}

static const uint32_t blend_func_gl[] = {GL_FUNC_ADD, GL_FUNC_SUBTRACT, GL_FUNC_REVERSE_SUBTRACT,
                                         GL_MIN, GL_MAX};

static const uint32_t logicop_gl[16] = {
    GL_CLEAR, GL_NOR,        GL_AND_INVERTED, GL_COPY_INVERTED, GL_AND_REVERSE, GL_INVERT,
    GL_XOR,   GL_NAND,       GL_AND,          GL_EQUIV,         GL_NOOP,        GL_OR_INVERTED,
    GL_COPY,  GL_OR_REVERSE, GL_OR,           GL_SET,
};

static const uint32_t stencil_op_gl[8] = {GL_KEEP, GL_ZERO,      GL_REPLACE,   GL_INCR,
                                          GL_DECR, GL_INCR_WRAP, GL_DECR_WRAP, GL_INVERT};

/* PIPE_FUNC_* are GL_NEVER.. in the same order. */
static uint32_t compare_func_gl(uint32_t f)
{
	return GL_NEVER + (f & 7);
}

/* ---- shared helpers ---- */

void vrend_state_warn_once(struct vrend_sub *sub, uint32_t bit, const char *what)
{
	if (sub->state->warned & bit)
		return;
	sub->state->warned |= bit;
	vrend_log(vrend_ctx_logger(sub->ctx), VGN_LOG_WARN, "ctx %u: %s", sub->ctx->ctx_id, what);
}

static const struct vrend_rast default_rast = {
    .depth_clip = true,
    .half_pixel_center = true,
    .multisample = true,
    .point_size = 1.0f,
    .line_width = 1.0f,
};

const struct vrend_rast *vrend_state_rast(struct vrend_sub *sub)
{
	struct vrend_rast_obj *o = (struct vrend_rast_obj *)sub->state->rast;

	return o ? &o->r : &default_rast;
}

static void obj_free(struct vrend_sub *sub, struct vrend_object *obj)
{
	(void)sub;
	free(obj);
}

/* Inserts a freshly built object; a duplicate handle is a guest error. */
static int insert_obj(struct vrend_decoder *dec, struct vrend_cmd *cmd, struct vrend_sub *sub,
                      struct vrend_object *obj)
{
	if (vrend_obj_insert(sub, obj)) {
		uint32_t handle = obj->handle;

		obj->destroy(sub, obj);
		return vrend_decoder_fail(dec, cmd, -EINVAL,
		                          "object handle %u in use or table full", handle);
	}
	return 0;
}

/* ---- BLEND ---- */

static int decode_blend_rt(uint32_t s2, struct vrend_blend_rt *rt)
{
	uint32_t rgb_func = bits(s2, 1, 3), rgb_src = bits(s2, 4, 5), rgb_dst = bits(s2, 9, 5);
	uint32_t a_func = bits(s2, 14, 3), a_src = bits(s2, 17, 5), a_dst = bits(s2, 22, 5);

	rt->enable = s2 & 1;
	rt->colormask = bits(s2, 27, 4);
	if (!rt->enable)
		return 0; /* Mesa leaves the factors of unblended targets zero (invalid) */
	if (rgb_func >= 5 || a_func >= 5)
		return -EINVAL;
	if (!(BLEND_FACTOR_VALID >> rgb_src & 1) || !(BLEND_FACTOR_VALID >> rgb_dst & 1) ||
	    !(BLEND_FACTOR_VALID >> a_src & 1) || !(BLEND_FACTOR_VALID >> a_dst & 1))
		return -EINVAL;
	rt->eq_rgb = blend_func_gl[rgb_func];
	rt->eq_alpha = blend_func_gl[a_func];
	rt->src_rgb = blend_factor_gl[rgb_src];
	rt->dst_rgb = blend_factor_gl[rgb_dst];
	rt->src_alpha = blend_factor_gl[a_src];
	rt->dst_alpha = blend_factor_gl[a_dst];
	rt->dual_source = factor_is_src1(rgb_src) || factor_is_src1(rgb_dst) ||
	                  factor_is_src1(a_src) || factor_is_src1(a_dst);
	return 0;
}

/* KHR_blend_equation_advanced: Mesa passes the advanced mode (1 MULTIPLY ..
 * 15 HSL_LUMINOSITY) in RT 0's alpha_src_factor with every other field of RT 0
 * but the colour mask zero (virgl-protocol.md 4.1). The GL equation, or 0. */
static uint32_t advanced_equation(uint32_t rt0)
{
	static const uint32_t eqs[16] = {
	    0,
	    GL_MULTIPLY_KHR,
	    GL_SCREEN_KHR,
	    GL_OVERLAY_KHR,
	    GL_DARKEN_KHR,
	    GL_LIGHTEN_KHR,
	    GL_COLORDODGE_KHR,
	    GL_COLORBURN_KHR,
	    GL_HARDLIGHT_KHR,
	    GL_SOFTLIGHT_KHR,
	    GL_DIFFERENCE_KHR,
	    GL_EXCLUSION_KHR,
	    GL_HSL_HUE_KHR,
	    GL_HSL_SATURATION_KHR,
	    GL_HSL_COLOR_KHR,
	    GL_HSL_LUMINOSITY_KHR,
	};
	uint32_t mode = bits(rt0, 17, 5);

	if ((rt0 & ~(0x1fu << 17) & ~(0xfu << 27)) || mode >= 16)
		return 0;
	return eqs[mode];
}

VREND_HANDLER(vrend_create_blend)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	struct vrend_blend_obj *o;
	uint32_t s0 = vrend_cmd_get(cmd, 2), s1 = vrend_cmd_get(cmd, 3);

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	o = calloc(1, sizeof(*o));
	if (!o)
		return vrend_decoder_fail(dec, cmd, -ENOMEM, "out of memory");
	o->base = (struct vrend_object){.refs = 1,
	                                .type = VREND_OBJ_BLEND,
	                                .handle = vrend_cmd_get(cmd, 1),
	                                .destroy = obj_free};
	o->independent = s0 & 1;
	o->logicop_enable = s0 >> 1 & 1;
	o->dither = s0 >> 2 & 1;
	o->alpha_to_coverage = s0 >> 3 & 1;
	o->alpha_to_one = s0 >> 4 & 1;
	o->logicop = logicop_gl[bits(s1, 0, 4)];
	o->advanced_eq = advanced_equation(vrend_cmd_get(cmd, 4));
	for (uint32_t i = 0; i < VREND_MAX_RTS; i++) {
		/* Without independent blend only RT 0 means anything. */
		if (!o->independent && i > 0) {
			o->rt[i] = o->rt[0];
			continue;
		}
		if (decode_blend_rt(vrend_cmd_get(cmd, 4 + i), &o->rt[i])) {
			free(o);
			return vrend_decoder_fail(dec, cmd, -EINVAL,
			                          "blend RT %u: bad factor or function", i);
		}
	}
	return insert_obj(dec, cmd, sub, &o->base);
}

/* ---- RASTERIZER ---- */

static float finite_or(float v, float dflt)
{
	return v == v && v - v == 0.0f ? v : dflt; /* NaN and infinities -> dflt */
}

VREND_HANDLER(vrend_create_rasterizer)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	struct vrend_rast_obj *o;
	struct vrend_rast *r;
	uint32_t s0 = vrend_cmd_get(cmd, 2), s3 = vrend_cmd_get(cmd, 5);

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	o = calloc(1, sizeof(*o));
	if (!o)
		return vrend_decoder_fail(dec, cmd, -ENOMEM, "out of memory");
	o->base = (struct vrend_object){.refs = 1,
	                                .type = VREND_OBJ_RASTERIZER,
	                                .handle = vrend_cmd_get(cmd, 1),
	                                .destroy = obj_free};
	r = &o->r;
	r->flatshade = s0 & 1;
	r->depth_clip = s0 >> 1 & 1;
	r->clip_halfz = s0 >> 2 & 1;
	r->rasterizer_discard = s0 >> 3 & 1;
	r->flatshade_first = s0 >> 4 & 1;
	r->light_twoside = s0 >> 5 & 1;
	r->sprite_coord_lower_left = s0 >> 6 & 1;
	r->point_quad_rasterization = s0 >> 7 & 1;
	r->cull_face = bits(s0, 8, 2);
	r->fill_front = bits(s0, 10, 2);
	r->fill_back = bits(s0, 12, 2);
	r->scissor = s0 >> 14 & 1;
	r->front_ccw = s0 >> 15 & 1;
	r->clamp_vertex_color = s0 >> 16 & 1;
	r->clamp_fragment_color = s0 >> 17 & 1;
	r->offset_line = s0 >> 18 & 1;
	r->offset_point = s0 >> 19 & 1;
	r->offset_tri = s0 >> 20 & 1;
	r->poly_smooth = s0 >> 21 & 1;
	r->poly_stipple_enable = s0 >> 22 & 1;
	r->point_smooth = s0 >> 23 & 1;
	r->point_size_per_vertex = s0 >> 24 & 1;
	r->multisample = s0 >> 25 & 1;
	r->line_smooth = s0 >> 26 & 1;
	r->line_stipple_enable = s0 >> 27 & 1;
	r->line_last_pixel = s0 >> 28 & 1;
	r->half_pixel_center = s0 >> 29 & 1;
	r->bottom_edge_rule = s0 >> 30 & 1;
	r->force_persample_interp = s0 >> 31 & 1;
	r->point_size = finite_or(vrend_cmd_get_f32(cmd, 3), 1.0f);
	r->sprite_coord_enable = vrend_cmd_get(cmd, 4);
	r->line_stipple_pattern = bits(s3, 0, 16);
	r->line_stipple_factor = bits(s3, 16, 8);
	r->clip_plane_enable = bits(s3, 24, 8);
	r->line_width = finite_or(vrend_cmd_get_f32(cmd, 6), 1.0f);
	r->offset_units = finite_or(vrend_cmd_get_f32(cmd, 7), 0.0f);
	r->offset_scale = finite_or(vrend_cmd_get_f32(cmd, 8), 0.0f);
	r->offset_clamp = finite_or(vrend_cmd_get_f32(cmd, 9), 0.0f);
	return insert_obj(dec, cmd, sub, &o->base);
}

/* ---- DSA ---- */

static void decode_stencil(uint32_t s, struct vrend_stencil_face *f)
{
	f->enabled = s & 1;
	f->func = compare_func_gl(bits(s, 1, 3));
	f->fail_op = stencil_op_gl[bits(s, 4, 3)];
	f->zpass_op = stencil_op_gl[bits(s, 7, 3)];
	f->zfail_op = stencil_op_gl[bits(s, 10, 3)];
	f->valuemask = bits(s, 13, 8);
	f->writemask = bits(s, 21, 8);
}

VREND_HANDLER(vrend_create_dsa)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	struct vrend_dsa_obj *o;
	uint32_t s0 = vrend_cmd_get(cmd, 2);

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	o = calloc(1, sizeof(*o));
	if (!o)
		return vrend_decoder_fail(dec, cmd, -ENOMEM, "out of memory");
	o->base = (struct vrend_object){
	    .refs = 1, .type = VREND_OBJ_DSA, .handle = vrend_cmd_get(cmd, 1), .destroy = obj_free};
	/* Every field is a full-range bitfield (3-bit funcs and ops): nothing to
	 * reject. */
	o->depth_enable = s0 & 1;
	o->depth_write = s0 >> 1 & 1;
	o->depth_func = compare_func_gl(bits(s0, 2, 3));
	o->alpha_enable = s0 >> 8 & 1;
	o->alpha_func = bits(s0, 9, 3);
	decode_stencil(vrend_cmd_get(cmd, 3), &o->stencil[0]);
	decode_stencil(vrend_cmd_get(cmd, 4), &o->stencil[1]);
	o->alpha_ref = finite_or(vrend_cmd_get_f32(cmd, 5), 0.0f);
	return insert_obj(dec, cmd, sub, &o->base);
}

/* ---- binds ---- */

static int bind_one(struct vrend_decoder *dec, struct vrend_cmd *cmd, uint8_t type, uint32_t dirty,
                    struct vrend_object **(*slot_of)(struct vrend_state *))
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1);
	struct vrend_object *obj = NULL, **slot;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (handle) {
		obj = vrend_obj_lookup(sub, handle, type);
		if (!obj)
			return vrend_decoder_fail(dec, cmd, -EINVAL, "no object %u of type %u",
			                          handle, type);
	}
	slot = slot_of(sub->state);
	if (*slot != obj) {
		vrend_obj_assign(sub, slot, obj);
		sub->state->dirty |= dirty;
	}
	return 0;
}

static struct vrend_object **blend_slot(struct vrend_state *s)
{
	return &s->blend;
}

static struct vrend_object **rast_slot(struct vrend_state *s)
{
	return &s->rast;
}

static struct vrend_object **dsa_slot(struct vrend_state *s)
{
	return &s->dsa;
}

VREND_HANDLER(vrend_bind_blend)
{
	return bind_one(dec, cmd, VREND_OBJ_BLEND, VREND_DIRTY_BLEND, blend_slot);
}

/* clip_halfz changes the depth range of every viewport. */
VREND_HANDLER(vrend_bind_rasterizer)
{
	return bind_one(dec, cmd, VREND_OBJ_RASTERIZER, VREND_DIRTY_RAST | VREND_DIRTY_VIEWPORT,
	                rast_slot);
}

VREND_HANDLER(vrend_bind_dsa)
{
	return bind_one(dec, cmd, VREND_OBJ_DSA, VREND_DIRTY_DSA, dsa_slot);
}

/* ---- lifecycle ---- */

static int32_t limit_or(int32_t v, int32_t dflt)
{
	return v > 0 ? v : dflt;
}

static void query_host(const struct vrend_gl_info *gi, struct vrend_state_host *h)
{
	const struct vrend_gl_limits *l = &gi->limits;
#define EXT(name) vrend_gl_has_ext(gi, name)
#define VER(gl, es) vrend_gl_version_ge(gi, gl, es)

	h->gles = gi->gles;
	h->viewport_array = !gi->gles && (VER(41, 0) || EXT("GL_ARB_viewport_array"));
	h->clip_control = !gi->gles && (VER(45, 0) || EXT("GL_ARB_clip_control"));
	h->indexed_blend = VER(30, 32);
	h->indexed_blend_func = VER(40, 32) || (!gi->gles && EXT("GL_ARB_draw_buffers_blend"));
	h->logic_op = !gi->gles;
	h->polygon_mode = !gi->gles;
	h->depth_clamp = !gi->gles && (VER(32, 0) || EXT("GL_ARB_depth_clamp"));
	h->polygon_offset_clamp = !gi->gles && (VER(46, 0) || EXT("GL_ARB_polygon_offset_clamp"));
	h->sample_shading = VER(40, 32) || (!gi->gles && EXT("GL_ARB_sample_shading"));
	h->sample_mask = VER(32, 31);
	h->provoking_vertex = !gi->gles && VER(32, 0);
	h->program_point_size = !gi->gles;
	h->anisotropy = VER(46, 0) || EXT("GL_ARB_texture_filter_anisotropic") ||
	                EXT("GL_EXT_texture_filter_anisotropic");
	h->seamless_cube_map = !gi->gles && VER(32, 0);
	h->lod_bias = !gi->gles;
	h->border_clamp = VER(13, 32);
	h->mirror_clamp = !gi->gles && EXT("GL_EXT_texture_mirror_clamp");
	h->mirror_clamp_to_edge =
	    !gi->gles && (VER(44, 0) || EXT("GL_ARB_texture_mirror_clamp_to_edge") ||
	                  EXT("GL_EXT_texture_mirror_clamp"));
	h->dual_source_blend = !gi->gles && VER(33, 0);
	h->blend_advanced = VER(0, 32) || EXT("GL_KHR_blend_equation_advanced");
	h->vertex_double = !gi->gles; /* GL_DOUBLE converted to float: any desktop GL */
	h->vertex_bgra = !gi->gles && (VER(32, 0) || EXT("GL_ARB_vertex_array_bgra"));
	h->vertex_packed = VER(33, 30);
	h->vertex_10f_11f_11f =
	    !gi->gles && (VER(44, 0) || EXT("GL_ARB_vertex_type_10f_11f_11f_rev"));
	h->vertex_half = VER(30, 30);
	h->max_viewports = h->viewport_array ? (uint32_t)limit_or(l->viewports, 1) : 1;
	if (h->max_viewports > VREND_MAX_VIEWPORTS)
		h->max_viewports = VREND_MAX_VIEWPORTS;
	h->max_clip_distances = (uint32_t)limit_or(l->clip_distances, 0);
	if (h->max_clip_distances > VREND_MAX_CLIP_PLANES)
		h->max_clip_distances = VREND_MAX_CLIP_PLANES;
	h->max_draw_buffers = (uint32_t)limit_or(l->draw_buffers, 1);
	if (h->max_draw_buffers > VREND_MAX_RTS)
		h->max_draw_buffers = VREND_MAX_RTS;
	h->max_vertex_attribs = (uint32_t)limit_or(l->vertex_attribs, 16);
	h->line_width[0] = l->aliased_line_width[0] > 0 ? l->aliased_line_width[0] : 1.0f;
	h->line_width[1] = l->aliased_line_width[1] > h->line_width[0] ? l->aliased_line_width[1]
	                                                               : h->line_width[0];
	h->point_size[0] = l->aliased_point_size[0] > 0 ? l->aliased_point_size[0] : 1.0f;
	h->point_size[1] = l->aliased_point_size[1] > h->point_size[0] ? l->aliased_point_size[1]
	                                                               : h->point_size[0];
	h->max_anisotropy = l->texture_max_anisotropy >= 1.0f ? l->texture_max_anisotropy : 1.0f;
#undef EXT
#undef VER
}

int vrend_state_init(struct vrend_sub *sub)
{
	struct vrend_state *s = calloc(1, sizeof(*s));
	const struct vrend_gl_info *gi = vrend_ctx_gl_info(sub->ctx);

	if (!s)
		return -ENOMEM;
	if (gi)
		query_host(gi, &s->host);
	else
		s->host.max_viewports = s->host.max_draw_buffers = 1;
	s->sample_mask = ~0u;
	s->dirty = VREND_DIRTY_ALL;
	sub->state = s;
	return 0;
}

/* Runs after the object table is gone: the bindings hold the last references. */
void vrend_state_fini(struct vrend_sub *sub)
{
	struct vrend_state *s = sub->state;

	if (!s)
		return;
	vrend_obj_assign(sub, &s->blend, NULL);
	vrend_obj_assign(sub, &s->rast, NULL);
	vrend_obj_assign(sub, &s->dsa, NULL);
	vrend_obj_assign(sub, &s->ve, NULL);
	vrend_state_samplers_fini(sub);
	free(s);
	sub->state = NULL;
}

void vrend_state_invalidate(struct vrend_sub *sub)
{
	sub->state->dirty = VREND_DIRTY_ALL;
	sub->state->vp_dirty = sub->state->vp_set_mask;
	sub->state->sc_dirty = sub->state->sc_set_mask;
}

/* ---- queries for other areas ---- */

void vrend_state_fill_key(struct vrend_sub *sub, struct vrend_shader_key *key)
{
	const struct vrend_rast *r = vrend_state_rast(sub);
	const struct vrend_ve_obj *ve = (const struct vrend_ve_obj *)sub->state->ve;

	key->flatshade = r->flatshade;
	key->light_twoside = r->light_twoside;
	key->clip_plane_mask = r->clip_plane_enable;
	key->attrib_int_mask = ve ? ve->int_mask : 0;
	key->attrib_uint_mask = ve ? ve->uint_mask : 0;
	for (uint32_t s = 0; s < VREND_STAGE_COUNT; s++)
		vrend_state_gl_clamp(sub, s, key->gl_clamp[s]);
}

/* The guest flips y with a negative viewport 0 y scale (window-system
 * framebuffers, virgl-protocol.md 12.1). */
float vrend_state_winsys_adjust_y(struct vrend_sub *sub)
{
	const struct vrend_state *s = sub->state;

	return (s->vp_set_mask & 1) && s->vp[0].scale[1] < 0.0f ? -1.0f : 1.0f;
}

const float *vrend_state_clip_planes(struct vrend_sub *sub)
{
	return sub->state->clip_planes;
}

bool vrend_state_alpha_test(struct vrend_sub *sub, uint32_t *func, float *ref)
{
	const struct vrend_dsa_obj *d = (const struct vrend_dsa_obj *)sub->state->dsa;

	if (!d || !d->alpha_enable || d->alpha_func == 7 /* ALWAYS */)
		return false;
	*func = d->alpha_func;
	*ref = d->alpha_ref;
	return true;
}
