/* SPDX-License-Identifier: MIT */
/*
 * Operands of the GLSL emitter: register storage, typed and swizzled sources,
 * masked and converted destinations. Indirect indices are clamped to the
 * declaration they address, so a hostile index never leaves the array.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "glsl_emit_internal.h"

static const char swz_chars[4] = {'x', 'y', 'z', 'w'};

const char *glsl_vec_type(char t, unsigned n)
{
	static const char *const f[] = {"float", "vec2", "vec3", "vec4"};
	static const char *const u[] = {"uint", "uvec2", "uvec3", "uvec4"};
	static const char *const i[] = {"int", "ivec2", "ivec3", "ivec4"};

	if (n < 1 || n > 4)
		n = 4;
	return t == 'F' ? f[n - 1] : t == 'I' ? i[n - 1] : u[n - 1];
}

/* "vn_addr[k].c + (offset)" clamped to [lo, hi]. */
static bool clamped_index(struct glsl_ctx *c, const struct tgsi_indirect *ind, int64_t offset,
                          int64_t lo, int64_t hi, char *out)
{
	if (ind->file != TGSI_FILE_ADDRESS)
		return glsl_fail(c, -EINVAL, "indirect through a non-address register");
	return glsl_fmt(c, out, "clamp(vn_addr[%u].%c + (%lld), %lld, %lld)", ind->index,
	                swz_chars[ind->swizzle & 3], (long long)offset, (long long)lo,
	                (long long)hi);
}

/* Index expression of r into an array covering [lo, hi] whose element 0 is
 * index base. */
static bool array_index(struct glsl_ctx *c, const struct tgsi_reg *r, int64_t base, int64_t lo,
                        int64_t hi, char *out)
{
	if (r->indirect)
		return clamped_index(c, &r->ind, (int64_t)r->index - base, lo - base, hi - base,
		                     out);
	return glsl_fmt(c, out, "%lld", (long long)(r->index - base));
}

static bool const_base(struct glsl_ctx *c, const struct tgsi_reg *r, char *out)
{
	uint32_t slot = r->has_dim ? (uint32_t)r->dim : 0;
	uint32_t size;
	char idx[GLSL_EXPR_MAX];

	if (r->dim_indirect)
		return glsl_fail(c, -ENOTSUP, "indirect constant buffer index");
	if (slot >= GLSL_MAX_CONST_SLOTS || c->const_size[slot] == 0)
		return glsl_fail(c, -EINVAL, "constant buffer %u not declared", slot);
	size = c->const_size[slot];
	if (!array_index(c, r, 0, 0, (int64_t)size - 1, idx))
		return false;
	if (slot == 0)
		return glsl_fmt(c, out, "%sconst0[%s]", c->p, idx);
	return glsl_fmt(c, out, "%subo%u.d[%s]", c->p, slot, idx);
}

/* FILE[v][i] of a geometry or tessellation stage. */
static bool per_vertex_base(struct glsl_ctx *c, const struct tgsi_reg *r, const struct tgsi_decl *d,
                            char *out)
{
	uint8_t proc = c->sh->processor;
	uint32_t count = r->file == TGSI_FILE_INPUT ? c->pv_inputs : c->pv_outputs;
	char v[GLSL_EXPR_MAX];

	if (!d->per_vertex || r->indirect || count == 0 ||
	    (r->file == TGSI_FILE_OUTPUT && proc != TGSI_PROC_TESS_CTRL))
		return glsl_fail(c, -ENOTSUP, "per-vertex register here");
	if (r->dim_indirect) {
		if (!clamped_index(c, &r->dim_ind, r->dim, 0, (int64_t)count - 1, v))
			return false;
	} else {
		if ((uint32_t)r->dim >= count)
			return glsl_fail(c, -EINVAL, "vertex %d of %u", r->dim, count);
		if (!glsl_fmt(c, v, "%d", r->dim))
			return false;
	}
	return glsl_per_vertex_value(c, d, (uint32_t)r->index, v, out);
}

/* The uvec4 value of a 1-D tessellation control output (patch, tess levels). */
static bool tcs_patch_value(struct glsl_ctx *c, const struct tgsi_reg *r, const struct tgsi_decl *d,
                            char *out)
{
	enum glsl_tcs_kind kind;
	char name[GLSL_EXPR_MAX];

	if (r->indirect)
		return glsl_fail(c, -ENOTSUP, "indirect patch output");
	if (!glsl_tcs_output(c, d, (uint32_t)r->index, name, &kind))
		return false;
	if (kind == GLSL_TCS_LEVEL4)
		return glsl_fmt(c, out, "floatBitsToUint(vec4(%s[0], %s[1], %s[2], %s[3]))", name,
		                name, name, name);
	if (kind == GLSL_TCS_LEVEL2)
		return glsl_fmt(c, out, "floatBitsToUint(vec4(%s[0], %s[1], 0.0, 0.0))", name,
		                name);
	return glsl_fmt(c, out, "floatBitsToUint(%s)", name);
}

bool glsl_reg_base(struct glsl_ctx *c, const struct tgsi_reg *r, char *out)
{
	const struct tgsi_shader *sh = c->sh;
	const struct tgsi_decl *d = r->decl < sh->num_decls ? &sh->decls[r->decl] : NULL;
	char idx[GLSL_EXPR_MAX];

	switch (r->file) {
	case TGSI_FILE_TEMPORARY:
		if (!d)
			return glsl_fail(c, -EINVAL, "unresolved temporary");
		if (c->decl_array[r->decl]) {
			if (!array_index(c, r, d->first, d->first, d->last, idx))
				return false;
			return glsl_fmt(c, out, "tr%u[%s]", r->decl, idx);
		}
		if (r->indirect)
			return glsl_fail(c, -EINVAL, "indirect temporary outside an array");
		return glsl_fmt(c, out, "t%d", r->index);
	case TGSI_FILE_INPUT:
	case TGSI_FILE_OUTPUT:
		if (!d)
			return glsl_fail(c, -EINVAL, "unresolved register");
		if (d->per_vertex && d->has_semantic && d->semantic == TGSI_SEMANTIC_PRIMID &&
		    r->file == TGSI_FILE_INPUT)
			return glsl_fmt(c, out, "uvec4(uint(%s), 0u, 0u, 0u)",
			                sh->processor == TGSI_PROC_GEOMETRY ? "gl_PrimitiveIDIn"
			                                                    : "gl_PrimitiveID");
		if (r->has_dim)
			return per_vertex_base(c, r, d, out);
		if (r->file == TGSI_FILE_OUTPUT && sh->processor == TGSI_PROC_TESS_CTRL)
			return tcs_patch_value(c, r, d, out);
		if (!array_index(c, r, 0, d->first, d->last, idx))
			return false;
		return glsl_fmt(c, out, "%s[%s]", r->file == TGSI_FILE_INPUT ? "vn_in" : "vn_out",
		                idx);
	case TGSI_FILE_SYSTEM_VALUE:
		if (!d || !array_index(c, r, 0, d->first, d->last, idx))
			return false;
		return glsl_fmt(c, out, "vn_sv[%s]", idx);
	case TGSI_FILE_IMMEDIATE:
		if (!array_index(c, r, 0, 0, (int64_t)sh->num_imms - 1, idx))
			return false;
		return glsl_fmt(c, out, "vn_imm[%s]", idx);
	case TGSI_FILE_CONSTANT:
		return const_base(c, r, out);
	case TGSI_FILE_ADDRESS:
		if (r->indirect)
			return glsl_fail(c, -EINVAL, "indirect address register");
		return glsl_fmt(c, out, "vn_addr[%d]", r->index);
	default:
		return glsl_fail(c, -ENOTSUP, "%s operand", tgsi_file_names[r->file]);
	}
}

bool glsl_src(struct glsl_ctx *c, const struct tgsi_src *s, char t, char *out)
{
	char base[GLSL_EXPR_MAX], v[GLSL_EXPR_MAX];
	const uint8_t *w = s->swizzle;
	char swz[6] = "";
	char st = s->reg.file == TGSI_FILE_ADDRESS ? 'I' : 'U';

	if (!glsl_reg_base(c, &s->reg, base))
		return false;
	if (w[0] != 0 || w[1] != 1 || w[2] != 2 || w[3] != 3)
		snprintf(swz, sizeof(swz), ".%c%c%c%c", swz_chars[w[0] & 3], swz_chars[w[1] & 3],
		         swz_chars[w[2] & 3], swz_chars[w[3] & 3]);
	if (t == st) {
		if (!glsl_fmt(c, v, "%s%s", base, swz))
			return false;
	} else if (t == 'F') {
		if (!glsl_fmt(c, v, "%s(%s%s)", st == 'U' ? "uintBitsToFloat" : "intBitsToFloat",
		              base, swz))
			return false;
	} else {
		if (!glsl_fmt(c, v, "%s(%s%s)", glsl_vec_type(t, 4), base, swz))
			return false;
	}
	if (s->absolute) {
		char a[GLSL_EXPR_MAX];

		if (t == 'U') {
			if (!glsl_fmt(c, a, "uvec4(abs(ivec4(%s)))", v))
				return false;
		} else if (!glsl_fmt(c, a, "abs(%s)", v)) {
			return false;
		}
		memcpy(v, a, sizeof(v));
	}
	if (s->negate)
		return glsl_fmt(c, out, "(-%s)", v);
	memcpy(out, v, GLSL_EXPR_MAX);
	return true;
}

/* Writes a tessellation control output directly: vec4 varyings (per-vertex
 * ones at gl_InvocationID, as GLSL requires), or tess levels per component. */
static bool tcs_assign(struct glsl_ctx *c, const struct tgsi_instr *in, const char *expr, char t)
{
	const struct tgsi_dst *d = &in->dst[0];
	enum glsl_tcs_kind kind;
	char name[GLSL_EXPR_MAX];
	const char *conv = t == 'U' ? "uintBitsToFloat" : t == 'I' ? "intBitsToFloat" : "";
	unsigned comps;

	if (d->reg.indirect || d->reg.decl >= c->sh->num_decls)
		return glsl_fail(c, -ENOTSUP, "indirect tessellation control output");
	if (!glsl_tcs_output(c, &c->sh->decls[d->reg.decl], (uint32_t)d->reg.index, name, &kind))
		return false;
	if (kind == GLSL_TCS_VEC4) {
		char mask[6] = ".";
		unsigned n = 1;

		for (int ch = 0; ch < 4; ch++) {
			if (d->mask & (1u << ch))
				mask[n++] = swz_chars[ch];
		}
		mask[n] = '\0';
		if (d->mask == TGSI_MASK_XYZW)
			mask[0] = '\0';
		glsl_line(c, "%s%s = %s(%s%s%s)%s;", name, mask, conv, in->saturate ? "clamp(" : "",
		          expr, in->saturate ? ", 0.0, 1.0)" : "", mask);
		return !c->error;
	}
	comps = kind == GLSL_TCS_LEVEL4 ? 4 : 2;
	glsl_line(c, "{");
	c->indent++;
	glsl_line(c, "vec4 vn_t = %s(%s%s%s);", conv, in->saturate ? "clamp(" : "", expr,
	          in->saturate ? ", 0.0, 1.0)" : "");
	for (unsigned ch = 0; ch < comps; ch++) {
		if (d->mask & (1u << ch))
			glsl_line(c, "%s[%u] = vn_t.%c;", name, ch, swz_chars[ch]);
	}
	c->indent--;
	glsl_line(c, "}");
	return !c->error;
}

bool glsl_assign(struct glsl_ctx *c, const struct tgsi_instr *in, const char *expr, char t)
{
	const struct tgsi_dst *d = &in->dst[0];
	char lv[GLSL_EXPR_MAX], mask[6] = "";
	char st;
	const char *conv_open = "", *conv_close = "";
	bool sat = in->saturate;
	unsigned n = 0;

	if (d->reg.file != TGSI_FILE_TEMPORARY && d->reg.file != TGSI_FILE_OUTPUT &&
	    d->reg.file != TGSI_FILE_ADDRESS)
		return glsl_fail(c, -EINVAL, "cannot write %s", tgsi_file_names[d->reg.file]);
	if (sat && t != 'F')
		return glsl_fail(c, -EINVAL, "_SAT on a non-float result");
	if (d->reg.file == TGSI_FILE_OUTPUT && c->sh->processor == TGSI_PROC_TESS_CTRL)
		return tcs_assign(c, in, expr, t);
	if (!glsl_reg_base(c, &d->reg, lv))
		return false;
	st = d->reg.file == TGSI_FILE_ADDRESS ? 'I' : 'U';
	if (t != st) {
		if (t == 'F')
			conv_open = st == 'U' ? "floatBitsToUint(" : "ivec4(";
		else
			conv_open = st == 'U' ? "uvec4(" : "ivec4(";
		conv_close = ")";
	}
	if (d->mask != TGSI_MASK_XYZW) {
		mask[n++] = '.';
		for (int ch = 0; ch < 4; ch++) {
			if (d->mask & (1u << ch))
				mask[n++] = swz_chars[ch];
		}
		mask[n] = '\0';
	}
	if (mask[0])
		glsl_line(c, "%s%s = (%s%s%s%s%s)%s;", lv, mask, conv_open, sat ? "clamp(" : "",
		          expr, sat ? ", 0.0, 1.0)" : "", conv_close, mask);
	else
		glsl_line(c, "%s = %s%s%s%s%s;", lv, conv_open, sat ? "clamp(" : "", expr,
		          sat ? ", 0.0, 1.0)" : "", conv_close);
	return !c->error;
}

bool glsl_imm_value(struct glsl_ctx *c, const struct tgsi_src *s, unsigned ch, uint32_t *v)
{
	const struct tgsi_immediate *imm;
	unsigned comp = s->swizzle[ch & 3] & 3;

	if (s->reg.file != TGSI_FILE_IMMEDIATE || s->reg.indirect || s->negate || s->absolute)
		return glsl_fail(c, -ENOTSUP, "operand must be an immediate");
	imm = &c->sh->imms[s->reg.index];
	*v = comp < imm->num_dwords ? imm->dw[comp] : 0;
	return true;
}
