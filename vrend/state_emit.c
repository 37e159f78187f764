/* SPDX-License-Identifier: MIT */
/*
 * vrend_state_emit(): applies the dirty state groups to the sub-context's own
 * GL context before a draw.
 *
 * Coordinates (vctx.h, glsl_emit.h): Gallium window coordinates equal GL's.
 * A Gallium viewport maps ndc to window as scale * ndc + translate; a negative
 * y scale (window-system framebuffers) is done by the last vertex stage
 * multiplying gl_Position.y by winsys_adjust_y = -1 and a GL viewport with
 * the absolute scale, which yields the very same window coordinates.
 *
 * Facing: Mesa's state tracker defines front_ccw in Gallium's y-down window
 * space (it flips GL's winding for FBOs, whose Gallium and GL y agree, and not
 * for window-system buffers). Since our window coordinates are Gallium's
 * numbers evaluated by GL's y-up rule, Gallium CCW is always GL CW, whatever
 * the viewport sign.
 */
#include <epoxy/gl.h>

#include "state_internal.h"

static void set_cap(GLenum cap, bool on)
{
	if (on)
		glEnable(cap);
	else
		glDisable(cap);
}

static float clampf(float v, float lo, float hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* ---- blend ---- */

static const struct vrend_blend_obj default_blend = {
    .dither = true,
    .rt = {{.colormask = 0xf},
           {.colormask = 0xf},
           {.colormask = 0xf},
           {.colormask = 0xf},
           {.colormask = 0xf},
           {.colormask = 0xf},
           {.colormask = 0xf},
           {.colormask = 0xf}},
};

static void color_mask_i(uint32_t i, uint8_t m)
{
	glColorMaski(i, m & 1, m >> 1 & 1, m >> 2 & 1, m >> 3 & 1);
}

static bool rt_blend_usable(struct vrend_sub *sub, const struct vrend_blend_rt *rt)
{
	if (!rt->enable)
		return false;
	if (rt->dual_source && !sub->state->host.dual_source_blend) {
		vrend_state_warn_once(
		    sub, VREND_WARN_DUAL_SRC,
		    "dual-source blending not supported by the host: blending off");
		return false;
	}
	return true;
}

static void emit_blend(struct vrend_sub *sub)
{
	const struct vrend_state_host *h = &sub->state->host;
	const struct vrend_blend_obj *b =
	    sub->state->blend ? (const struct vrend_blend_obj *)sub->state->blend : &default_blend;

	if (h->logic_op) {
		set_cap(GL_COLOR_LOGIC_OP, b->logicop_enable);
		if (b->logicop_enable)
			glLogicOp(b->logicop);
	} else if (b->logicop_enable) {
		vrend_state_warn_once(sub, VREND_WARN_LOGICOP,
		                      "logic ops not supported by the host");
	}
	set_cap(GL_DITHER, b->dither);
	set_cap(GL_SAMPLE_ALPHA_TO_COVERAGE, b->alpha_to_coverage);
	if (!h->gles)
		set_cap(GL_SAMPLE_ALPHA_TO_ONE, b->alpha_to_one);

	if (b->advanced_eq && h->blend_advanced && !b->logicop_enable) {
		/* One equation for every buffer; the fragment shader declares the
		 * blend_support layouts (glsl_emit.c). */
		glBlendEquation(b->advanced_eq);
		glEnable(GL_BLEND);
		glColorMask(b->rt[0].colormask & 1, b->rt[0].colormask >> 1 & 1,
		            b->rt[0].colormask >> 2 & 1, b->rt[0].colormask >> 3 & 1);
		return;
	}
	if (b->advanced_eq)
		vrend_state_warn_once(sub, VREND_WARN_BLEND_ADVANCED,
		                      "advanced blending not supported by the host: blending off");

	if (b->independent && h->indexed_blend) {
		bool funcs_set = false;

		for (uint32_t i = 0; i < h->max_draw_buffers; i++) {
			const struct vrend_blend_rt *rt = &b->rt[i];

			if (rt_blend_usable(sub, rt)) {
				if (h->indexed_blend_func) {
					glBlendFuncSeparatei(i, rt->src_rgb, rt->dst_rgb,
					                     rt->src_alpha, rt->dst_alpha);
					glBlendEquationSeparatei(i, rt->eq_rgb, rt->eq_alpha);
				} else if (!funcs_set) {
					/* Only per-RT enables: the first enabled RT's functions. */
					glBlendFuncSeparate(rt->src_rgb, rt->dst_rgb, rt->src_alpha,
					                    rt->dst_alpha);
					glBlendEquationSeparate(rt->eq_rgb, rt->eq_alpha);
					funcs_set = true;
				}
				glEnablei(GL_BLEND, i);
			} else {
				glDisablei(GL_BLEND, i);
			}
			color_mask_i(i, rt->colormask);
		}
		return;
	}
	/* RT 0 applies to every colour buffer. */
	if (rt_blend_usable(sub, &b->rt[0])) {
		const struct vrend_blend_rt *rt = &b->rt[0];

		glBlendFuncSeparate(rt->src_rgb, rt->dst_rgb, rt->src_alpha, rt->dst_alpha);
		glBlendEquationSeparate(rt->eq_rgb, rt->eq_alpha);
		glEnable(GL_BLEND);
	} else {
		glDisable(GL_BLEND);
	}
	glColorMask(b->rt[0].colormask & 1, b->rt[0].colormask >> 1 & 1,
	            b->rt[0].colormask >> 2 & 1, b->rt[0].colormask >> 3 & 1);
}

/* ---- depth, stencil, alpha ---- */

static void stencil_face(GLenum face, const struct vrend_stencil_face *f, uint8_t ref)
{
	glStencilFuncSeparate(face, f->func, ref, f->valuemask);
	glStencilOpSeparate(face, f->fail_op, f->zfail_op, f->zpass_op);
	glStencilMaskSeparate(face, f->writemask);
}

static void emit_dsa(struct vrend_sub *sub)
{
	const struct vrend_state *s = sub->state;
	const struct vrend_dsa_obj *d = (const struct vrend_dsa_obj *)s->dsa;

	if (!d) {
		glDisable(GL_DEPTH_TEST);
		glDisable(GL_STENCIL_TEST);
		return;
	}
	set_cap(GL_DEPTH_TEST, d->depth_enable);
	glDepthFunc(d->depth_func);
	glDepthMask(d->depth_write);
	set_cap(GL_STENCIL_TEST, d->stencil[0].enabled);
	if (d->stencil[0].enabled) {
		/* Back faces use the front state unless two-sided stencil is on. */
		bool two_sided = d->stencil[1].enabled;

		stencil_face(GL_FRONT, &d->stencil[0], s->stencil_ref[0]);
		stencil_face(GL_BACK, two_sided ? &d->stencil[1] : &d->stencil[0],
		             s->stencil_ref[two_sided ? 1 : 0]);
	}
	if (d->alpha_enable && d->alpha_func != 7)
		vrend_state_warn_once(sub, VREND_WARN_ALPHA_TEST,
		                      "alpha test requested: core GL has none (not applied)");
}

/* ---- rasterizer ---- */

static GLenum polygon_mode_gl(uint8_t mode)
{
	static const GLenum modes[4] = {GL_FILL, GL_LINE, GL_POINT, GL_FILL};

	return modes[mode & 3];
}

static void emit_rast(struct vrend_sub *sub)
{
	const struct vrend_state_host *h = &sub->state->host;
	const struct vrend_rast *r = vrend_state_rast(sub);
	static const GLenum cull[4] = {GL_BACK, GL_FRONT, GL_BACK, GL_FRONT_AND_BACK};

	set_cap(GL_RASTERIZER_DISCARD, r->rasterizer_discard);
	set_cap(GL_CULL_FACE, r->cull_face != 0);
	if (r->cull_face)
		glCullFace(cull[r->cull_face]);
	glFrontFace(r->front_ccw ? GL_CW : GL_CCW);

	if (h->polygon_mode) {
		/* Core GL has one mode for both faces: take the visible face's. */
		uint8_t mode = r->cull_face == 1 ? r->fill_back : r->fill_front;

		glPolygonMode(GL_FRONT_AND_BACK, polygon_mode_gl(mode));
		set_cap(GL_POLYGON_OFFSET_LINE, r->offset_line);
		set_cap(GL_POLYGON_OFFSET_POINT, r->offset_point);
	}
	set_cap(GL_POLYGON_OFFSET_FILL, r->offset_tri);
	if (r->offset_tri || r->offset_line || r->offset_point) {
		if (r->offset_clamp != 0.0f && h->polygon_offset_clamp)
			glPolygonOffsetClamp(r->offset_scale, r->offset_units, r->offset_clamp);
		else
			glPolygonOffset(r->offset_scale, r->offset_units);
	}
	set_cap(GL_SCISSOR_TEST, r->scissor);
	glLineWidth(clampf(r->line_width, h->line_width[0], h->line_width[1]));

	if (!h->gles) {
		set_cap(GL_PROGRAM_POINT_SIZE, r->point_size_per_vertex);
		glPointSize(clampf(r->point_size, h->point_size[0], h->point_size[1]));
		/* Gallium's origin is in its y-down window space: mirrored in GL's. */
		glPointParameteri(GL_POINT_SPRITE_COORD_ORIGIN,
		                  r->sprite_coord_lower_left ? GL_UPPER_LEFT : GL_LOWER_LEFT);
		set_cap(GL_LINE_SMOOTH, r->line_smooth);
		set_cap(GL_POLYGON_SMOOTH, r->poly_smooth);
		set_cap(GL_MULTISAMPLE, r->multisample);
	}
	if (h->depth_clamp)
		set_cap(GL_DEPTH_CLAMP, !r->depth_clip);
	if (h->clip_control)
		glClipControl(GL_LOWER_LEFT,
		              r->clip_halfz ? GL_ZERO_TO_ONE : GL_NEGATIVE_ONE_TO_ONE);
	if (h->provoking_vertex)
		glProvokingVertex(r->flatshade_first ? GL_FIRST_VERTEX_CONVENTION
		                                     : GL_LAST_VERTEX_CONVENTION);
	for (uint32_t i = 0; i < h->max_clip_distances; i++)
		set_cap(GL_CLIP_DISTANCE0 + i, r->clip_plane_enable >> i & 1);

	if (r->poly_stipple_enable)
		vrend_state_warn_once(sub, VREND_WARN_STIPPLE,
		                      "polygon stipple requested: not applied (core GL)");
	if (r->line_stipple_enable)
		vrend_state_warn_once(sub, VREND_WARN_LINE_STIPPLE,
		                      "line stipple requested: not applied (core GL)");
	if (r->clamp_fragment_color)
		vrend_state_warn_once(sub, VREND_WARN_CLAMP_COLOR,
		                      "fragment colour clamping requested: not applied (core GL)");
}

/* ---- viewports and scissors ---- */

/* Float to GL int without undefined conversions (huge or NaN guest floats). */
static GLint to_int(float v)
{
	return (GLint)clampf(v == v ? v : 0.0f, -16777216.0f, 16777216.0f);
}

static void emit_viewport(struct vrend_sub *sub, uint32_t i, bool halfz)
{
	const struct vrend_state_host *h = &sub->state->host;
	const struct vrend_viewport *vp = &sub->state->vp[i];
	float sx = vp->scale[0] < 0 ? -vp->scale[0] : vp->scale[0];
	float sy = vp->scale[1] < 0 ? -vp->scale[1] : vp->scale[1];
	float x = vp->translate[0] - sx, y = vp->translate[1] - sy;
	float n, f;

	if (halfz) {
		n = vp->translate[2];
		f = vp->translate[2] + vp->scale[2];
	} else {
		n = vp->translate[2] - vp->scale[2];
		f = vp->translate[2] + vp->scale[2];
	}
	if (h->viewport_array) {
		glViewportIndexedf(i, x, y, 2.0f * sx, 2.0f * sy);
		glDepthRangeIndexed(i, n, f);
	} else if (i == 0) {
		glViewport(to_int(x), to_int(y), to_int(2.0f * sx), to_int(2.0f * sy));
		if (h->gles)
			glDepthRangef(n, f);
		else
			glDepthRange(n, f);
	}
}

static void emit_viewports(struct vrend_sub *sub)
{
	struct vrend_state *s = sub->state;
	bool halfz = vrend_state_rast(sub)->clip_halfz;
	uint32_t mask;

	if (halfz != s->emitted_halfz) {
		s->vp_dirty |= s->vp_set_mask;
		s->emitted_halfz = halfz;
	}
	mask = s->vp_dirty & s->vp_set_mask;
	for (uint32_t i = 0; mask && i < s->host.max_viewports; i++) {
		if (mask >> i & 1)
			emit_viewport(sub, i, halfz);
	}
	s->vp_dirty = 0;
}

static void emit_scissors(struct vrend_sub *sub)
{
	struct vrend_state *s = sub->state;
	uint32_t mask = s->sc_dirty & s->sc_set_mask;

	for (uint32_t i = 0; mask && i < s->host.max_viewports; i++) {
		const struct vrend_scissor *sc = &s->sc[i];
		GLsizei w = sc->maxx > sc->minx ? sc->maxx - sc->minx : 0;
		GLsizei hgt = sc->maxy > sc->miny ? sc->maxy - sc->miny : 0;

		if (!(mask >> i & 1))
			continue;
		if (s->host.viewport_array)
			glScissorIndexed(i, sc->minx, sc->miny, w, hgt);
		else if (i == 0)
			glScissor(sc->minx, sc->miny, w, hgt);
	}
	s->sc_dirty = 0;
}

/* ---- the rest ---- */

static void emit_samples(struct vrend_sub *sub, uint32_t dirty)
{
	const struct vrend_state *s = sub->state;

	if ((dirty & VREND_DIRTY_SAMPLE_MASK) && s->host.sample_mask) {
		set_cap(GL_SAMPLE_MASK, s->sample_mask != ~0u);
		if (s->sample_mask != ~0u)
			glSampleMaski(0, s->sample_mask);
	}
	/* The fraction would need the framebuffer's sample count: shading every
	 * sample is always at least what the guest asked for. */
	if ((dirty & (VREND_DIRTY_MIN_SAMPLES | VREND_DIRTY_RAST)) && s->host.sample_shading) {
		bool on = s->min_samples > 1 || vrend_state_rast(sub)->force_persample_interp;

		set_cap(GL_SAMPLE_SHADING, on);
		if (on)
			glMinSampleShading(1.0f);
	}
}

int vrend_state_emit(struct vrend_sub *sub)
{
	struct vrend_state *s = sub->state;
	uint32_t dirty = s->dirty;

	if (!dirty)
		return 0;
	s->dirty = 0;
	if (dirty & VREND_DIRTY_BLEND)
		emit_blend(sub);
	if (dirty & VREND_DIRTY_BLEND_COLOR)
		glBlendColor(s->blend_color[0], s->blend_color[1], s->blend_color[2],
		             s->blend_color[3]);
	if (dirty & VREND_DIRTY_DSA)
		emit_dsa(sub);
	if (dirty & VREND_DIRTY_RAST)
		emit_rast(sub);
	if (dirty & (VREND_DIRTY_VIEWPORT | VREND_DIRTY_RAST))
		emit_viewports(sub);
	if (dirty & VREND_DIRTY_SCISSOR)
		emit_scissors(sub);
	emit_samples(sub, dirty);
	if ((dirty & VREND_DIRTY_SAMPLERS) && s->host.seamless_cube_map)
		set_cap(GL_TEXTURE_CUBE_MAP_SEAMLESS, vrend_state_samplers_seamless(sub));
	return 0;
}
