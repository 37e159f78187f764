/* SPDX-License-Identifier: MIT */
/*
 * Sampler state objects (virgl-protocol.md 4.7) as GL sampler objects, and
 * BIND_SAMPLER_STATES. program.c binds the GL names to texture units.
 *
 * The wire border colour is four raw dwords, floats or integers depending on
 * the view's format, which the sampler does not know. GL keeps one border
 * colour per sampler, interprets it by how it was set and swizzles it like
 * texels, so a sampler whose border colour can matter gets GL twins per kind
 * of view (made when first needed, at draw time).
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "state_internal.h"

enum {
	WRAP_REPEAT,
	WRAP_CLAMP,
	WRAP_EDGE,
	WRAP_BORDER,
	WRAP_MIRROR,
	WRAP_MIRROR_CLAMP,
	WRAP_MIRROR_EDGE,
	WRAP_MIRROR_BORDER
};

static GLenum wrap_gl(const struct vrend_state_host *h, uint32_t w)
{
	GLenum border = h->border_clamp ? GL_CLAMP_TO_BORDER : GL_CLAMP_TO_EDGE;
	GLenum mirror_edge = h->mirror_clamp_to_edge ? GL_MIRROR_CLAMP_TO_EDGE : GL_CLAMP_TO_EDGE;

	switch (w) {
	case WRAP_REPEAT:
		return GL_REPEAT;
	case WRAP_CLAMP: /* GL_CLAMP is not in core GL: its nearest-filter equivalent */
	case WRAP_EDGE:
		return GL_CLAMP_TO_EDGE;
	case WRAP_BORDER:
		return border;
	case WRAP_MIRROR:
		return GL_MIRRORED_REPEAT;
	case WRAP_MIRROR_CLAMP:
		return h->mirror_clamp ? GL_MIRROR_CLAMP_EXT : mirror_edge;
	case WRAP_MIRROR_EDGE:
		return mirror_edge;
	default:
		return h->mirror_clamp ? GL_MIRROR_CLAMP_TO_BORDER_EXT : border;
	}
}

static bool wrap_uses_border(uint32_t w)
{
	return w == WRAP_BORDER || w == WRAP_MIRROR_BORDER;
}

/* [mip filter][img filter]; mip filter 2 is NONE (base level only). */
static const GLenum min_filter_gl[3][2] = {
    {GL_NEAREST_MIPMAP_NEAREST, GL_LINEAR_MIPMAP_NEAREST},
    {GL_NEAREST_MIPMAP_LINEAR, GL_LINEAR_MIPMAP_LINEAR},
    {GL_NEAREST, GL_LINEAR},
};

static void sampler_delete(struct vrend_sub *sub, struct vrend_object *obj)
{
	struct vrend_sampler_obj *o = (struct vrend_sampler_obj *)obj;

	(void)sub;
	for (uint32_t i = 0; i < o->num_variants; i++)
		glDeleteSamplers(1, &o->variants[i].gl);
	if (o->gl_float)
		glDeleteSamplers(1, &o->gl_float);
	free(o);
}

static GLuint make_sampler(const struct vrend_state_host *h, const struct vrend_sampler_desc *d,
                           const uint32_t border[4], bool int_border)
{
	static const GLenum wrap_pname[3] = {GL_TEXTURE_WRAP_S, GL_TEXTURE_WRAP_T,
	                                     GL_TEXTURE_WRAP_R};
	GLuint s = 0;

	glGenSamplers(1, &s);
	if (!s)
		return 0;
	for (uint32_t i = 0; i < 3; i++)
		glSamplerParameteri(s, wrap_pname[i], (GLint)d->wrap[i]);
	glSamplerParameteri(s, GL_TEXTURE_MIN_FILTER, (GLint)d->min_filter);
	glSamplerParameteri(s, GL_TEXTURE_MAG_FILTER, (GLint)d->mag_filter);
	glSamplerParameterf(s, GL_TEXTURE_MIN_LOD, d->min_lod);
	glSamplerParameterf(s, GL_TEXTURE_MAX_LOD, d->max_lod);
	if (h->lod_bias)
		glSamplerParameterf(s, GL_TEXTURE_LOD_BIAS, d->lod_bias);
	glSamplerParameteri(s, GL_TEXTURE_COMPARE_MODE,
	                    d->compare ? GL_COMPARE_REF_TO_TEXTURE : GL_NONE);
	glSamplerParameteri(s, GL_TEXTURE_COMPARE_FUNC, (GLint)d->compare_func);
	if (h->anisotropy && d->anisotropy > 1.0f)
		glSamplerParameterf(s, GL_TEXTURE_MAX_ANISOTROPY, d->anisotropy);
	if (h->border_clamp) {
		if (int_border) {
			glSamplerParameterIuiv(s, GL_TEXTURE_BORDER_COLOR, border);
		} else {
			float f[4];

			memcpy(f, border, sizeof(f));
			glSamplerParameterfv(s, GL_TEXTURE_BORDER_COLOR, f);
		}
	}
	return s;
}

static float finite_or(float v, float dflt)
{
	return v == v && v - v == 0.0f ? v : dflt;
}

VREND_HANDLER(vrend_create_sampler_state)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	const struct vrend_state_host *h;
	struct vrend_sampler_obj *o;
	struct vrend_sampler_desc *d;
	uint32_t s0 = vrend_cmd_get(cmd, 2), wrap[3], mip = s0 >> 11 & 3, aniso = s0 >> 20 & 31;
	bool border_used = false, border_zero = true;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (mip > 2)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "bad mip filter %u", mip);
	h = &sub->state->host;
	o = calloc(1, sizeof(*o));
	if (!o)
		return vrend_decoder_fail(dec, cmd, -ENOMEM, "out of memory");
	o->base = (struct vrend_object){.refs = 1,
	                                .type = VREND_OBJ_SAMPLER_STATE,
	                                .handle = vrend_cmd_get(cmd, 1),
	                                .destroy = sampler_delete};
	d = &o->desc;
	bool linear = (s0 >> 9 & 1) || (s0 >> 13 & 1);
	for (uint32_t i = 0; i < 3; i++) {
		wrap[i] = s0 >> (3 * i) & 7;
		d->wrap[i] = wrap_gl(h, wrap[i]);
		border_used |= wrap_uses_border(wrap[i]);
		/* GL_CLAMP is not in core GL. Linear filtering mixes in the border
		 * past the edge: the shader clamps the coordinate to [0, 1] and the
		 * sampler clamps to the border (as Mesa's own emulation does). */
		if (wrap[i] == WRAP_CLAMP && linear && h->border_clamp) {
			d->wrap[i] = GL_CLAMP_TO_BORDER;
			o->gl_clamp_axes |= (uint8_t)(1u << i);
			border_used = true;
		}
	}
	d->min_filter = min_filter_gl[mip][s0 >> 9 & 1];
	d->mag_filter = s0 >> 13 & 1 ? GL_LINEAR : GL_NEAREST;
	d->compare = s0 >> 15 & 1;
	d->compare_func = GL_NEVER + (s0 >> 16 & 7);
	o->seamless_cube_map = s0 >> 19 & 1;
	d->anisotropy = aniso > h->max_anisotropy ? h->max_anisotropy : (float)aniso;
	d->lod_bias = finite_or(vrend_cmd_get_f32(cmd, 3), 0.0f);
	d->min_lod = finite_or(vrend_cmd_get_f32(cmd, 4), -1000.0f);
	d->max_lod = finite_or(vrend_cmd_get_f32(cmd, 5), 1000.0f);
	for (uint32_t i = 0; i < 4; i++) {
		o->border[i] = vrend_cmd_get(cmd, 6 + i);
		border_zero &= o->border[i] == 0;
	}

	o->border_matters = border_used && !border_zero && h->border_clamp;
	o->gl_float = make_sampler(h, d, o->border, false);
	if (!o->gl_float) {
		o->base.destroy(sub, &o->base);
		return vrend_decoder_fail(dec, cmd, -ENOMEM, "glGenSamplers failed");
	}
	if (vrend_obj_insert(sub, &o->base)) {
		uint32_t handle = o->base.handle;

		o->base.destroy(sub, &o->base);
		return vrend_decoder_fail(dec, cmd, -EINVAL,
		                          "object handle %u in use or table full", handle);
	}
	return 0;
}

static struct vrend_object *bound(struct vrend_sub *sub, uint32_t stage, uint32_t slot)
{
	if (!sub->state || stage >= VREND_STAGE_COUNT || slot >= VREND_MAX_SAMPLERS)
		return NULL;
	return sub->state->samplers[stage][slot];
}

/* Sampler objects never change, so the key bits change only here. */
static void update_gl_clamp(struct vrend_sub *sub, uint32_t stage)
{
	uint32_t *out = sub->state->gl_clamp[stage];

	out[0] = out[1] = out[2] = 0;
	for (uint32_t i = 0; i < 32 && i < VREND_MAX_SAMPLERS; i++) {
		const struct vrend_sampler_obj *o =
		    (const struct vrend_sampler_obj *)bound(sub, stage, i);

		for (uint32_t k = 0; o && k < 3; k++)
			if (o->gl_clamp_axes >> k & 1)
				out[k] |= 1u << i;
	}
}

void vrend_state_gl_clamp(struct vrend_sub *sub, uint32_t stage, uint32_t out[3])
{
	if (!sub->state || stage >= VREND_STAGE_COUNT) {
		out[0] = out[1] = out[2] = 0;
		return;
	}
	memcpy(out, sub->state->gl_clamp[stage], 3 * sizeof(*out));
}

VREND_HANDLER(vrend_cmd_bind_sampler_states)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t stage = vrend_cmd_get(cmd, 1), start = vrend_cmd_get(cmd, 2);
	uint32_t n = cmd->len >= 2 ? cmd->len - 2 : 0;
	struct vrend_object *objs[VREND_MAX_SAMPLERS];

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (stage >= VREND_STAGE_COUNT)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "bad shader stage %u", stage);
	if (start > VREND_MAX_SAMPLERS || n > VREND_MAX_SAMPLERS - start)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "samplers %u + %u out of range", start,
		                          n);
	/* All handles first, so a bad one changes nothing. */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t handle = vrend_cmd_get(cmd, 3 + i);

		objs[i] = handle ? vrend_obj_lookup(sub, handle, VREND_OBJ_SAMPLER_STATE) : NULL;
		if (handle && !objs[i])
			return vrend_decoder_fail(dec, cmd, -EINVAL, "no sampler state %u", handle);
	}
	for (uint32_t i = 0; i < n; i++)
		vrend_obj_assign(sub, &sub->state->samplers[stage][start + i], objs[i]);
	update_gl_clamp(sub, stage);
	sub->state->dirty |= VREND_DIRTY_SAMPLERS;
	return 0;
}

uint32_t vrend_state_sampler(struct vrend_sub *sub, uint32_t stage, uint32_t slot)
{
	const struct vrend_sampler_obj *o =
	    (const struct vrend_sampler_obj *)bound(sub, stage, slot);

	return o ? o->gl_float : 0;
}

/* The border colour a view of format f needs so that GL's swizzle of it
 * gives the wire colour: GL channel k gets the wire channel that the first
 * output sampling k shows (luminance and intensity read R for all). */
static void view_border(const struct vrend_format *f, const uint32_t in[4], uint32_t out[4])
{
	bool emulated = f && (f->flags & VREND_FMT_EMULATED);

	if (!emulated) {
		memcpy(out, in, 4 * sizeof(*out));
		return;
	}
	memset(out, 0, 4 * sizeof(*out));
	for (int c = 3; c >= 0; c--) {
		if (f->swizzle[c] <= VREND_SWZ_A)
			out[f->swizzle[c]] = in[c];
	}
}

uint32_t vrend_state_sampler_for_view(struct vrend_sub *sub, uint32_t stage, uint32_t slot,
                                      uint32_t vfmt)
{
	struct vrend_sampler_obj *o = (struct vrend_sampler_obj *)bound(sub, stage, slot);
	const struct vrend_format *f = vrend_format_get(vfmt);
	struct vrend_sampler_variant *v;
	uint32_t border[4];
	bool integer;

	if (!o || !o->border_matters)
		return o ? o->gl_float : 0;
	integer = f && (f->flags & VREND_FMT_INTEGER);
	view_border(f, o->border, border);
	if (!integer && !memcmp(border, o->border, sizeof(border)))
		return o->gl_float;
	for (uint32_t i = 0; i < o->num_variants; i++) {
		v = &o->variants[i];
		if (v->integer == integer && !memcmp(v->border, border, sizeof(border)))
			return v->gl;
	}
	if (o->num_variants == VREND_SAMPLER_VARIANTS)
		return o->gl_float; /* pathological mix of views: border colour may be off */
	v = &o->variants[o->num_variants];
	v->gl = make_sampler(&sub->state->host, &o->desc, border, integer);
	if (!v->gl)
		return o->gl_float;
	v->integer = integer;
	memcpy(v->border, border, sizeof(border));
	o->num_variants++;
	return v->gl;
}

bool vrend_state_samplers_seamless(struct vrend_sub *sub)
{
	for (uint32_t st = 0; st < VREND_STAGE_COUNT; st++) {
		for (uint32_t i = 0; i < VREND_MAX_SAMPLERS; i++) {
			const struct vrend_sampler_obj *o =
			    (const struct vrend_sampler_obj *)bound(sub, st, i);

			if (o && o->seamless_cube_map)
				return true;
		}
	}
	return false;
}

void vrend_state_samplers_fini(struct vrend_sub *sub)
{
	for (uint32_t st = 0; st < VREND_STAGE_COUNT; st++) {
		for (uint32_t i = 0; i < VREND_MAX_SAMPLERS; i++)
			vrend_obj_assign(sub, &sub->state->samplers[st][i], NULL);
	}
}
