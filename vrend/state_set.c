/* SPDX-License-Identifier: MIT */
/*
 * The SET_* state commands (virgl-protocol.md 3.3): viewports, scissors,
 * stencil ref, blend colour, polygon stipple, clip planes, sample mask, min
 * samples. They only store and mark dirty; state_emit.c applies. Lengths were
 * checked by decode_table.c; slots are checked here.
 */
#include <errno.h>

#include "state_internal.h"

/* Non-finite guest floats become 0 so GL never sees NaN or infinities. */
static float finite_f32(struct vrend_cmd *cmd, uint32_t i)
{
	float v = vrend_cmd_get_f32(cmd, i);

	return v == v && v - v == 0.0f ? v : 0.0f;
}

static struct vrend_sub *sub_or_fail(struct vrend_decoder *dec, struct vrend_cmd *cmd, int *ret)
{
	struct vrend_sub *sub = vrend_sub_current(dec);

	*ret = sub ? 0 : vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	return sub;
}

VREND_HANDLER(vrend_cmd_set_viewport_state)
{
	int ret;
	struct vrend_sub *sub = sub_or_fail(dec, cmd, &ret);
	uint32_t start = vrend_cmd_get(cmd, 1), n = (cmd->len - 1) / 6;
	struct vrend_state *s;

	if (!sub)
		return ret;
	if ((cmd->len - 1) % 6 || start >= VREND_MAX_VIEWPORTS || n > VREND_MAX_VIEWPORTS - start)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "viewports %u + %u out of range",
		                          start, n);
	s = sub->state;
	for (uint32_t i = 0; i < n; i++) {
		struct vrend_viewport *vp = &s->vp[start + i];

		for (uint32_t c = 0; c < 3; c++) {
			vp->scale[c] = finite_f32(cmd, 2 + 6 * i + c);
			vp->translate[c] = finite_f32(cmd, 5 + 6 * i + c);
		}
		s->vp_set_mask |= 1u << (start + i);
		s->vp_dirty |= 1u << (start + i);
	}
	if (n && (s->vp_set_mask & 1) && s->vp_set_mask > 1) {
		/* One shader-side y flip serves every viewport (that of viewport 0). */
		bool neg0 = s->vp[0].scale[1] < 0.0f;

		for (uint32_t i = 1; i < VREND_MAX_VIEWPORTS; i++) {
			if ((s->vp_set_mask >> i & 1) && (s->vp[i].scale[1] < 0.0f) != neg0 &&
			    s->vp[i].scale[1] != 0.0f) {
				vrend_state_warn_once(
				    sub, VREND_WARN_VP_MIXED,
				    "viewports with mixed y directions: viewport 0's used");
				break;
			}
		}
	}
	s->dirty |= VREND_DIRTY_VIEWPORT;
	return 0;
}

VREND_HANDLER(vrend_cmd_set_scissor_state)
{
	int ret;
	struct vrend_sub *sub = sub_or_fail(dec, cmd, &ret);
	uint32_t start = vrend_cmd_get(cmd, 1), n = (cmd->len - 1) / 2;
	struct vrend_state *s;

	if (!sub)
		return ret;
	if ((cmd->len - 1) % 2 || start >= VREND_MAX_VIEWPORTS || n > VREND_MAX_VIEWPORTS - start)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "scissors %u + %u out of range", start,
		                          n);
	s = sub->state;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t lo = vrend_cmd_get(cmd, 2 + 2 * i), hi = vrend_cmd_get(cmd, 3 + 2 * i);
		struct vrend_scissor *sc = &s->sc[start + i];

		sc->minx = lo & 0xffff;
		sc->miny = lo >> 16;
		sc->maxx = hi & 0xffff;
		sc->maxy = hi >> 16;
		s->sc_set_mask |= 1u << (start + i);
		s->sc_dirty |= 1u << (start + i);
	}
	s->dirty |= VREND_DIRTY_SCISSOR;
	return 0;
}

VREND_HANDLER(vrend_cmd_set_stencil_ref)
{
	int ret;
	struct vrend_sub *sub = sub_or_fail(dec, cmd, &ret);
	uint32_t v = vrend_cmd_get(cmd, 1);

	if (!sub)
		return ret;
	sub->state->stencil_ref[0] = v & 0xff;
	sub->state->stencil_ref[1] = v >> 8 & 0xff;
	sub->state->dirty |= VREND_DIRTY_DSA;
	return 0;
}

VREND_HANDLER(vrend_cmd_set_blend_color)
{
	int ret;
	struct vrend_sub *sub = sub_or_fail(dec, cmd, &ret);

	if (!sub)
		return ret;
	for (uint32_t i = 0; i < 4; i++)
		sub->state->blend_color[i] = finite_f32(cmd, 1 + i);
	sub->state->dirty |= VREND_DIRTY_BLEND_COLOR;
	return 0;
}

/* Stored only: core GL has no polygon stipple (a rasterizer asking for it is
 * logged at emit). Mesa sends the all-ones pattern on every context start. */
VREND_HANDLER(vrend_cmd_set_polygon_stipple)
{
	int ret;
	struct vrend_sub *sub = sub_or_fail(dec, cmd, &ret);

	if (!sub)
		return ret;
	for (uint32_t i = 0; i < 32; i++)
		sub->state->stipple[i] = vrend_cmd_get(cmd, 1 + i);
	return 0;
}

/* The planes reach GL as the vn_clip_plane uniform (program.c reads
 * vrend_state_clip_planes() at every program use). */
VREND_HANDLER(vrend_cmd_set_clip_state)
{
	int ret;
	struct vrend_sub *sub = sub_or_fail(dec, cmd, &ret);

	if (!sub)
		return ret;
	for (uint32_t i = 0; i < VREND_MAX_CLIP_PLANES * 4; i++)
		sub->state->clip_planes[i] = finite_f32(cmd, 1 + i);
	return 0;
}

VREND_HANDLER(vrend_cmd_set_sample_mask)
{
	int ret;
	struct vrend_sub *sub = sub_or_fail(dec, cmd, &ret);

	if (!sub)
		return ret;
	sub->state->sample_mask = vrend_cmd_get(cmd, 1);
	sub->state->dirty |= VREND_DIRTY_SAMPLE_MASK;
	return 0;
}

VREND_HANDLER(vrend_cmd_set_min_samples)
{
	int ret;
	struct vrend_sub *sub = sub_or_fail(dec, cmd, &ret);

	if (!sub)
		return ret;
	sub->state->min_samples = vrend_cmd_get(cmd, 1);
	sub->state->dirty |= VREND_DIRTY_MIN_SAMPLES;
	return 0;
}
