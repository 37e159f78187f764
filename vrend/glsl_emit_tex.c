/* SPDX-License-Identifier: MIT */
/*
 * Texture instructions of the GLSL emitter: one sampler uniform per SAMP
 * index, typed by the instruction target (shadow included) and the SVIEW
 * return type; sampling, fetches, size queries, gathers, offsets.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "glsl_emit_internal.h"

struct tex_target {
	const char *suffix; /* sampler<suffix> */
	uint8_t coords;     /* components of the texture() coordinate (shadow ref included) */
	uint8_t grad;       /* components of gradients and offsets (no layer) */
	uint8_t size;       /* components textureSize() returns */
	bool shadow, mips, fetch_only;
	uint16_t glsl;
};

static const struct tex_target targets[TGSI_TEXTURE_COUNT] = {
    [TGSI_TEXTURE_BUFFER] = {"Buffer", 1, 1, 1, false, false, true, 330},
    [TGSI_TEXTURE_1D] = {"1D", 1, 1, 1, false, true, false, 330},
    [TGSI_TEXTURE_2D] = {"2D", 2, 2, 2, false, true, false, 330},
    [TGSI_TEXTURE_3D] = {"3D", 3, 3, 3, false, true, false, 330},
    [TGSI_TEXTURE_CUBE] = {"Cube", 3, 3, 2, false, true, false, 330},
    [TGSI_TEXTURE_RECT] = {"2DRect", 2, 2, 2, false, false, false, 330},
    [TGSI_TEXTURE_SHADOW1D] = {"1DShadow", 3, 1, 1, true, true, false, 330},
    [TGSI_TEXTURE_SHADOW2D] = {"2DShadow", 3, 2, 2, true, true, false, 330},
    [TGSI_TEXTURE_SHADOWRECT] = {"2DRectShadow", 3, 2, 2, true, false, false, 330},
    [TGSI_TEXTURE_1D_ARRAY] = {"1DArray", 2, 1, 2, false, true, false, 330},
    [TGSI_TEXTURE_2D_ARRAY] = {"2DArray", 3, 2, 3, false, true, false, 330},
    [TGSI_TEXTURE_SHADOW1D_ARRAY] = {"1DArrayShadow", 3, 1, 2, true, true, false, 330},
    [TGSI_TEXTURE_SHADOW2D_ARRAY] = {"2DArrayShadow", 4, 2, 3, true, true, false, 330},
    [TGSI_TEXTURE_SHADOWCUBE] = {"CubeShadow", 4, 3, 2, true, true, false, 330},
    [TGSI_TEXTURE_2D_MSAA] = {"2DMS", 2, 2, 2, false, false, true, 330},
    [TGSI_TEXTURE_2D_ARRAY_MSAA] = {"2DMSArray", 3, 2, 3, false, false, true, 330},
    [TGSI_TEXTURE_CUBE_ARRAY] = {"CubeArray", 4, 3, 3, false, true, false, 400},
    [TGSI_TEXTURE_SHADOWCUBE_ARRAY] = {"CubeArrayShadow", 4, 3, 3, true, true, false, 400},
};

static const char *const comps[5] = {"", ".x", ".xy", ".xyz", ""};

static bool valid_target(uint8_t t)
{
	return t < TGSI_TEXTURE_UNKNOWN;
}

bool glsl_scan_sampler(struct glsl_ctx *c, const struct tgsi_instr *in)
{
	const struct tgsi_reg *r = &in->src[in->num_src - 1].reg;
	struct glsl_sampler_use *s;

	if (r->indirect)
		return glsl_fail(c, -ENOTSUP, "indirect sampler index");
	if (!in->has_target || !valid_target(in->target))
		return glsl_fail(c, -EINVAL, "texture instruction without a target");
	if ((uint32_t)r->index >= c->num_samplers)
		return glsl_fail(c, -EINVAL, "sampler %d out of range", r->index);
	s = &c->samplers[r->index];
	if (s->used && s->target != in->target)
		return glsl_fail(c, -ENOTSUP, "sampler %d used as %s and %s", r->index,
		                 tgsi_texture_names[s->target], tgsi_texture_names[in->target]);
	s->used = true;
	s->target = in->target;
	return true;
}

bool glsl_declare_samplers(struct glsl_ctx *c)
{
	for (uint32_t i = 0; i < c->num_samplers; i++) {
		const struct glsl_sampler_use *s = &c->samplers[i];
		const struct tex_target *t;
		const char *prefix = "";

		if (!s->used)
			continue;
		t = &targets[s->target];
		if (t->glsl > c->version)
			return glsl_fail(c, -ENOTSUP, "%s textures need GLSL %u",
			                 tgsi_texture_names[s->target], t->glsl);
		if (!t->shadow && s->rtype == TGSI_RETURN_SINT)
			prefix = "i";
		else if (!t->shadow && s->rtype == TGSI_RETURN_UINT)
			prefix = "u";
		if (c->version >= 420)
			glsl_buf_printf(&c->head, "layout(binding = %u) ",
			                c->opt.sampler_binding_base + i);
		glsl_buf_printf(&c->head, "uniform %ssampler%s %ssamp%u;\n", prefix, t->suffix,
		                c->p, i);
		if (t->shadow)
			glsl_buf_printf(&c->head, "uniform vec4 %sshadswz%u;\n", c->p, i);
	}
	return !c->error;
}

/* "ivec2(1, -1)" from an immediate texel offset. */
static bool offset_expr(struct glsl_ctx *c, const struct tgsi_instr *in, unsigned n, char *out)
{
	const struct tgsi_tex_offset *o = &in->offsets[0];
	const struct tgsi_immediate *imm;
	int32_t v[3];

	if (in->num_offsets != 1 || o->file != TGSI_FILE_IMMEDIATE || o->index >= c->sh->num_imms)
		return glsl_fail(c, -ENOTSUP, "non-constant texel offset");
	imm = &c->sh->imms[o->index];
	for (unsigned i = 0; i < 3; i++) {
		unsigned ch = o->swizzle[i] & 3;

		v[i] = ch < imm->num_dwords ? (int32_t)imm->dw[ch] : 0;
	}
	if (n == 1)
		return glsl_fmt(c, out, "%d", v[0]);
	if (n == 2)
		return glsl_fmt(c, out, "ivec2(%d, %d)", v[0], v[1]);
	return glsl_fmt(c, out, "ivec3(%d, %d, %d)", v[0], v[1], v[2]);
}

/* Which coordinates (bit k: s, t, r) of this lookup GL_CLAMP emulation
 * clamps: not cube maps (no wrap) nor rectangles (unnormalised). */
static unsigned gl_clamp_mask(const struct glsl_ctx *c, const struct tgsi_instr *in,
                              const struct tex_target *t)
{
	uint32_t i = (uint32_t)in->src[in->num_src - 1].reg.index;
	unsigned m = 0;

	if (i >= 32 || strstr(t->suffix, "Cube") || strstr(t->suffix, "Rect"))
		return 0;
	for (unsigned k = 0; k < t->grad; k++)
		if (c->opt.gl_clamp[k] >> i & 1)
			m |= 1u << k;
	return m;
}

/* coord (a vec4) with the GL_CLAMP coordinates clamped to [0, 1], after the
 * projective divide for TXP (whose w is then 1). */
static bool clamp_coord(struct glsl_ctx *c, const struct tgsi_instr *in, const struct tex_target *t,
                        char *coord)
{
	static const char ch[4] = {'x', 'y', 'z', 'w'};
	unsigned m = gl_clamp_mask(c, in, t);
	char base[GLSL_EXPR_MAX], part[4][GLSL_EXPR_MAX];

	if (in->opcode == TGSI_OP_TXP) {
		if (!glsl_fmt(c, base, "(%s / %s.w)", coord, coord))
			return false;
	} else if (!glsl_fmt(c, base, "%s", coord)) {
		return false;
	}
	for (unsigned k = 0; k < 4; k++) {
		bool ok = m >> k & 1 ? glsl_fmt(c, part[k], "clamp(%s.%c, 0.0, 1.0)", base, ch[k])
		                     : glsl_fmt(c, part[k], "%s.%c", base, ch[k]);
		if (!ok)
			return false;
	}
	return glsl_fmt(c, coord, "vec4(%s, %s, %s, %s)", part[0], part[1], part[2], part[3]);
}

/* The texture() family: TEX TEX_LZ TXP TXB TXB2 TXL TXL2 TXD TEX2. */
static bool sample_expr(struct glsl_ctx *c, const struct tgsi_instr *in, const struct tex_target *t,
                        const char *samp, char *out)
{
	char coord[GLSL_EXPR_MAX], s1[GLSL_EXPR_MAX] = "", s2[GLSL_EXPR_MAX] = "";
	char off[GLSL_EXPR_MAX] = "", extra[GLSL_EXPR_MAX * 2] = "";
	const char *fn = "texture", *cc = comps[t->coords];
	bool has_off = in->num_offsets > 0;
	unsigned op = in->opcode;

	if (t->fetch_only)
		return glsl_fail(c, -EINVAL, "sampling a %s texture", t->suffix);
	if (!glsl_src(c, &in->src[0], 'F', coord))
		return false;
	if (has_off && !offset_expr(c, in, t->grad, off))
		return false;
	if (gl_clamp_mask(c, in, t) && !clamp_coord(c, in, t, coord))
		return false;
	if (gl_clamp_mask(c, in, t) && op == TGSI_OP_TXP)
		op = TGSI_OP_TEX; /* clamp_coord divided already */
	if ((op == TGSI_OP_TXB || op == TGSI_OP_TXL) && t->coords == 4)
		return glsl_fail(c, -EINVAL, "%s on a 4-component target",
		                 tgsi_opcode_infos[op].name);
	switch (op) {
	case TGSI_OP_TEX:
		break;
	case TGSI_OP_TEX_LZ:
		fn = "textureLod";
		snprintf(extra, sizeof(extra), ", 0.0");
		break;
	case TGSI_OP_TXP:
		if (t->coords == 4 || strstr(t->suffix, "Cube") || strstr(t->suffix, "Array"))
			return glsl_fail(c, -EINVAL, "projective sampling of %s", t->suffix);
		fn = "textureProj";
		cc = "";
		break;
	case TGSI_OP_TXB:
		snprintf(extra, sizeof(extra), ", %s.w", coord);
		break;
	case TGSI_OP_TXL:
		fn = "textureLod";
		snprintf(extra, sizeof(extra), ", %s.w", coord);
		break;
	case TGSI_OP_TXB2:
	case TGSI_OP_TXL2:
	case TGSI_OP_TEX2:
		if (!glsl_src(c, &in->src[1], 'F', s1))
			return false;
		fn = op == TGSI_OP_TXL2 ? "textureLod" : "texture";
		snprintf(extra, sizeof(extra), ", %s.x", s1);
		break;
	case TGSI_OP_TXD:
		if (!glsl_src(c, &in->src[1], 'F', s1) || !glsl_src(c, &in->src[2], 'F', s2))
			return false;
		fn = "textureGrad";
		snprintf(extra, sizeof(extra), ", %s%s, %s%s", s1, comps[t->grad], s2,
		         comps[t->grad]);
		break;
	default:
		return glsl_fail(c, -ENOTSUP, "texture opcode");
	}
	/* offsets go before a bias (textureOffset) but after lod and gradients */
	if (has_off) {
		if (op == TGSI_OP_TXB || op == TGSI_OP_TXB2)
			return glsl_fmt(c, out, "%sOffset(%s, %s%s, %s%s)", fn, samp, coord, cc,
			                off, extra);
		return glsl_fmt(c, out, "%sOffset(%s, %s%s%s, %s)", fn, samp, coord, cc, extra,
		                off);
	}
	return glsl_fmt(c, out, "%s(%s, %s%s%s)", fn, samp, coord, cc, extra);
}

static bool fetch_expr(struct glsl_ctx *c, const struct tgsi_instr *in, const struct tex_target *t,
                       const char *samp, char *out)
{
	static const char *const ivec[] = {"", "int", "ivec2", "ivec3"};
	char coord[GLSL_EXPR_MAX], off[GLSL_EXPR_MAX], lod[GLSL_EXPR_MAX];
	bool ms = in->target == TGSI_TEXTURE_2D_MSAA || in->target == TGSI_TEXTURE_2D_ARRAY_MSAA;
	unsigned n = t->coords > 3 ? 3 : t->coords;

	if (t->shadow || strstr(t->suffix, "Cube"))
		return glsl_fail(c, -EINVAL, "texel fetch from %s", t->suffix);
	if (!glsl_src(c, &in->src[0], 'I', coord))
		return false;
	lod[0] = '\0';
	if (ms || (t->mips && in->opcode != TGSI_OP_TXF_LZ)) {
		/* the lod, or the sample index of a multisample fetch */
		if (!glsl_fmt(c, lod, ", %s.w", coord))
			return false;
	} else if (t->mips) {
		snprintf(lod, sizeof(lod), ", 0");
	}
	if (in->num_offsets) {
		if (ms || in->target == TGSI_TEXTURE_BUFFER)
			return glsl_fail(c, -EINVAL, "texel offset on %s", t->suffix);
		if (!offset_expr(c, in, t->grad, off))
			return false;
		return glsl_fmt(c, out, "texelFetchOffset(%s, %s(%s%s)%s, %s)", samp, ivec[n],
		                coord, comps[n], lod, off);
	}
	return glsl_fmt(c, out, "texelFetch(%s, %s(%s%s)%s)", samp, ivec[n], coord, comps[n], lod);
}

static bool query_expr(struct glsl_ctx *c, const struct tgsi_instr *in, const struct tex_target *t,
                       const char *samp, char *out)
{
	char lod[GLSL_EXPR_MAX] = "", levels[GLSL_EXPR_MAX] = "0";
	char size[GLSL_EXPR_MAX];

	if (in->opcode == TGSI_OP_TXQS)
		return glsl_fmt(c, out, "ivec4(textureSamples(%s), 0, 0, 0)", samp);
	if (t->mips) {
		char l[GLSL_EXPR_MAX];

		if (!glsl_src(c, &in->src[0], 'I', l) || !glsl_fmt(c, lod, ", %s.x", l))
			return false;
		if (c->version >= 430 && !glsl_fmt(c, levels, "textureQueryLevels(%s)", samp))
			return false;
	} else {
		snprintf(levels, sizeof(levels), "1");
	}
	if (!glsl_fmt(c, size, "textureSize(%s%s)", samp, lod))
		return false;
	switch (t->size) {
	case 1:
		return glsl_fmt(c, out, "ivec4(%s, 0, 0, %s)", size, levels);
	case 2:
		return glsl_fmt(c, out, "ivec4(%s, 0, %s)", size, levels);
	default:
		return glsl_fmt(c, out, "ivec4(%s, %s)", size, levels);
	}
}

bool glsl_emit_tex(struct glsl_ctx *c, const struct tgsi_instr *in)
{
	const struct tgsi_reg *r = &in->src[in->num_src - 1].reg;
	const struct glsl_sampler_use *s;
	const struct tex_target *t;
	char samp[64], e[GLSL_EXPR_MAX], v[GLSL_EXPR_MAX];
	char rt;

	if (r->indirect || (uint32_t)r->index >= c->num_samplers || !valid_target(in->target))
		return glsl_fail(c, -EINVAL, "bad sampler");
	s = &c->samplers[r->index];
	t = &targets[in->target];
	snprintf(samp, sizeof(samp), "%ssamp%d", c->p, r->index);
	rt = t->shadow                      ? 'F'
	     : s->rtype == TGSI_RETURN_SINT ? 'I'
	     : s->rtype == TGSI_RETURN_UINT ? 'U'
	                                    : 'F';
	switch (in->opcode) {
	case TGSI_OP_TXF:
	case TGSI_OP_TXF_LZ:
		if (!fetch_expr(c, in, t, samp, e))
			return false;
		return glsl_assign(c, in, e, rt);
	case TGSI_OP_TXQ:
	case TGSI_OP_TXQS:
		if (!query_expr(c, in, t, samp, e))
			return false;
		return glsl_assign(c, in, e, 'I');
	case TGSI_OP_LODQ:
		if (!glsl_src(c, &in->src[0], 'F', v) ||
		    !glsl_fmt(c, e, "vec4(textureQueryLod(%s, %s%s), 0.0, 0.0)", samp, v,
		              comps[t->grad]))
			return false;
		return glsl_assign(c, in, e, 'F');
	case TGSI_OP_TG4: {
		uint32_t comp;

		if (t->shadow)
			return glsl_fail(c, -ENOTSUP, "shadow gather");
		if (!glsl_src(c, &in->src[0], 'F', v) || !glsl_imm_value(c, &in->src[1], 0, &comp))
			return false;
		if (comp > 3)
			return glsl_fail(c, -EINVAL, "gather component %u", comp);
		if (in->num_offsets) {
			char off[GLSL_EXPR_MAX];

			if (!offset_expr(c, in, t->grad, off) ||
			    !glsl_fmt(c, e, "textureGatherOffset(%s, %s%s, %s, %u)", samp, v,
			              comps[t->coords], off, comp))
				return false;
		} else if (!glsl_fmt(c, e, "textureGather(%s, %s%s, %u)", samp, v, comps[t->coords],
		                     comp)) {
			return false;
		}
		return glsl_assign(c, in, e, rt);
	}
	default:
		if (!sample_expr(c, in, t, samp, v))
			return false;
		/* Gallium swizzles the comparison result by the view; GL returns
		 * one float. shadswz per channel: 0 the result, 1 zero, 2 one
		 * (the host sets it from the bound view; unset, all results). */
		if (t->shadow)
			return glsl_fmt(c, e,
			                "mix(vec4(%s), %sshadswz%u - 1.0, "
			                "greaterThan(%sshadswz%u, vec4(0.5)))",
			                v, c->p, r->index, c->p, r->index) &&
			       glsl_assign(c, in, e, 'F');
		return glsl_assign(c, in, v, rt);
	}
}
