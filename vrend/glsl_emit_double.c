/* SPDX-License-Identifier: MIT */
/*
 * Double-precision opcodes of the GLSL emitter (GLSL >= 4.00).
 *
 * A double lives in two 32-bit channels of a uvec4 register, low dword first:
 * xy holds one double and zw a second. A double source is read through its
 * swizzle as a uvec4 and packed pairwise (packDouble2x32) into a dvec2; its
 * negate/absolute modifiers act on the doubles, not on the dwords. Results are
 * computed as a dvec2 and unpacked back into (lo, hi, lo, hi) before the
 * destination write mask applies, so .xy writes the first double and .zw the
 * second. The 32-bit sides follow TGSI: F2D/I2D/U2D read channels x and y
 * (after the swizzle) into the doubles xy and zw; D2F/D2I/D2U write the
 * results of xy and zw to x and y; comparisons write ~0u/0 of xy to x and y
 * and of zw to z and w (Mesa writes .x and .z); DLDEXP takes its exponents
 * from x and z; DFRACEXP splits the double in xy into its significand (dst0,
 * both doubles) and exponent (dst1, every channel).
 */
#include <errno.h>
#include <string.h>

#include "glsl_emit_internal.h"

enum dbl_shape {
	DBL_ARITH,   /* doubles in, doubles out */
	DBL_CMP,     /* doubles in, 32-bit booleans out */
	DBL_TO_32,   /* doubles in, float/int/uint out */
	DBL_FROM_32, /* float/int/uint in, doubles out */
	DBL_LDEXP,   /* double and int in, doubles out */
	DBL_FRACEXP, /* double in, significand and exponent out */
};

struct dbl_op {
	uint16_t opcode;
	uint8_t shape;
	char type; /* the 32-bit side's type (F, I, U) */
	/* GLSL over vn_d0..vn_d2 (dvec2 sources), vn_i1 (ivec2) or vn_f0 (the
	 * 32-bit source): a dvec2 (ARITH, FROM_32, LDEXP), bvec2 (CMP), or a 2-vector
	 * of type (TO_32). */
	const char *expr;
};

/* clang-format off */
static const struct dbl_op dbl_ops[] = {
	{TGSI_OP_DADD,   DBL_ARITH, 0, "vn_d0 + vn_d1"},
	{TGSI_OP_DMUL,   DBL_ARITH, 0, "vn_d0 * vn_d1"},
	{TGSI_OP_DDIV,   DBL_ARITH, 0, "vn_d0 / vn_d1"},
	/* Mesa emits DMAD for NIR's (fused) ffma, i.e. GLSL fma() */
	{TGSI_OP_DMAD,   DBL_ARITH, 0, "fma(vn_d0, vn_d1, vn_d2)"},
	{TGSI_OP_DFMA,   DBL_ARITH, 0, "fma(vn_d0, vn_d1, vn_d2)"},
	{TGSI_OP_DMIN,   DBL_ARITH, 0, "min(vn_d0, vn_d1)"},
	{TGSI_OP_DMAX,   DBL_ARITH, 0, "max(vn_d0, vn_d1)"},
	{TGSI_OP_DABS,   DBL_ARITH, 0, "abs(vn_d0)"},
	{TGSI_OP_DNEG,   DBL_ARITH, 0, "-vn_d0"},
	{TGSI_OP_DRCP,   DBL_ARITH, 0, "1.0LF / vn_d0"},
	{TGSI_OP_DSQRT,  DBL_ARITH, 0, "sqrt(vn_d0)"},
	{TGSI_OP_DRSQ,   DBL_ARITH, 0, "inversesqrt(vn_d0)"},
	{TGSI_OP_DFRAC,  DBL_ARITH, 0, "fract(vn_d0)"},
	{TGSI_OP_DTRUNC, DBL_ARITH, 0, "trunc(vn_d0)"},
	{TGSI_OP_DCEIL,  DBL_ARITH, 0, "ceil(vn_d0)"},
	{TGSI_OP_DFLR,   DBL_ARITH, 0, "floor(vn_d0)"},
	{TGSI_OP_DROUND, DBL_ARITH, 0, "roundEven(vn_d0)"},
	{TGSI_OP_DSSG,   DBL_ARITH, 0, "sign(vn_d0)"},
	{TGSI_OP_DSLT,   DBL_CMP,   0, "lessThan(vn_d0, vn_d1)"},
	{TGSI_OP_DSGE,   DBL_CMP,   0, "greaterThanEqual(vn_d0, vn_d1)"},
	{TGSI_OP_DSEQ,   DBL_CMP,   0, "equal(vn_d0, vn_d1)"},
	{TGSI_OP_DSNE,   DBL_CMP,   0, "notEqual(vn_d0, vn_d1)"},
	{TGSI_OP_D2F,    DBL_TO_32, 'F', "vec2(vn_d0)"},
	{TGSI_OP_D2I,    DBL_TO_32, 'I', "ivec2(vn_d0)"},
	{TGSI_OP_D2U,    DBL_TO_32, 'U', "uvec2(vn_d0)"},
	{TGSI_OP_F2D,    DBL_FROM_32, 'F', "dvec2(vn_f0.xy)"},
	{TGSI_OP_I2D,    DBL_FROM_32, 'I', "dvec2(vn_f0.xy)"},
	{TGSI_OP_U2D,    DBL_FROM_32, 'U', "dvec2(vn_f0.xy)"},
	{TGSI_OP_DLDEXP, DBL_LDEXP, 'I', "ldexp(vn_d0, vn_i1)"},
	{TGSI_OP_DFRACEXP, DBL_FRACEXP, 0, NULL},
};
/* clang-format on */

static const struct dbl_op *find_op(uint16_t opcode)
{
	for (size_t i = 0; i < sizeof(dbl_ops) / sizeof(dbl_ops[0]); i++) {
		if (dbl_ops[i].opcode == opcode)
			return &dbl_ops[i];
	}
	return NULL;
}

/* dvec2 vn_d<i> = the two doubles of source s (modifiers on the doubles). */
static bool load_double(struct glsl_ctx *c, const struct tgsi_src *s, unsigned i)
{
	struct tgsi_src raw = *s;
	char v[GLSL_EXPR_MAX];

	raw.negate = false;
	raw.absolute = false;
	if (!glsl_src(c, &raw, 'U', v))
		return false;
	glsl_line(c, "uvec4 vn_s%u = %s;", i, v);
	glsl_line(
	    c, "dvec2 vn_d%u = %s%sdvec2(packDouble2x32(vn_s%u.xy), packDouble2x32(vn_s%u.zw))%s;",
	    i, s->negate ? "-" : "", s->absolute ? "abs(" : "", i, i, s->absolute ? ")" : "");
	return !c->error;
}

/* Writes the dvec2 vn_r as (lo, hi, lo, hi) under the write mask; _SAT clamps
 * the doubles. */
static bool store_doubles(struct glsl_ctx *c, const struct tgsi_instr *in)
{
	struct tgsi_instr plain = *in;

	if (in->saturate)
		glsl_line(c, "vn_r = clamp(vn_r, 0.0LF, 1.0LF);");
	plain.saturate = false;
	return glsl_assign(c, &plain, "uvec4(unpackDouble2x32(vn_r.x), unpackDouble2x32(vn_r.y))",
	                   'U');
}

static bool emit_fracexp(struct glsl_ctx *c, const struct tgsi_instr *in)
{
	struct tgsi_instr second = *in;

	if (in->saturate)
		return glsl_fail(c, -EINVAL, "_SAT on DFRACEXP");
	if (!load_double(c, &in->src[0], 0))
		return false;
	glsl_line(c, "int vn_e;");
	glsl_line(c, "%sdouble vn_m = frexp(vn_d0.x, vn_e);", in->precise ? "precise " : "");
	glsl_line(c, "dvec2 vn_r = dvec2(vn_m);");
	if (!store_doubles(c, in))
		return false;
	second.dst[0] = in->dst[1];
	return glsl_assign(c, &second, "ivec4(vn_e)", 'I');
}

static bool emit_body(struct glsl_ctx *c, const struct tgsi_instr *in, const struct dbl_op *op)
{
	const struct tgsi_opcode_info *info = &tgsi_opcode_infos[in->opcode];
	const char *prec = in->precise ? "precise " : "";
	char v[GLSL_EXPR_MAX], e[GLSL_EXPR_MAX];

	if (op->shape == DBL_FRACEXP)
		return emit_fracexp(c, in);
	if (op->shape == DBL_FROM_32) {
		if (!glsl_src(c, &in->src[0], op->type, v))
			return false;
		glsl_line(c, "%s vn_f0 = %s;", glsl_vec_type(op->type, 4), v);
	} else {
		unsigned nd = op->shape == DBL_LDEXP ? 1 : info->num_src;

		for (unsigned i = 0; i < nd; i++) {
			if (!load_double(c, &in->src[i], i))
				return false;
		}
		if (op->shape == DBL_LDEXP) {
			if (!glsl_src(c, &in->src[1], 'I', v))
				return false;
			glsl_line(c, "ivec2 vn_i1 = (%s).xz;", v);
		}
	}
	switch (op->shape) {
	case DBL_CMP:
		glsl_line(c, "uvec2 vn_r = uvec2(%s) * 0xffffffffu;", op->expr);
		if (in->saturate)
			return glsl_fail(c, -EINVAL, "_SAT on a non-float result");
		return glsl_assign(c, in, "vn_r.xxyy", 'U');
	case DBL_TO_32:
		glsl_line(c, "%s%s vn_r = %s;", prec, glsl_vec_type(op->type, 2), op->expr);
		return glsl_assign(c, in, "vn_r.xyxy", op->type);
	default:
		if (!glsl_fmt(c, e, "%sdvec2 vn_r = %s;", prec, op->expr))
			return false;
		glsl_line(c, "%s", e);
		return store_doubles(c, in);
	}
}

bool glsl_emit_double(struct glsl_ctx *c, const struct tgsi_instr *in)
{
	const struct tgsi_opcode_info *info = &tgsi_opcode_infos[in->opcode];
	const struct dbl_op *op = find_op(in->opcode);
	bool ok;

	if (!op)
		return glsl_fail(c, -ENOTSUP, "opcode %s not translated", info->name);
	if (c->version < 400)
		return glsl_fail(c, -ENOTSUP, "%s needs GLSL 400", info->name);
	if (in->num_dst != info->num_dst || in->num_src != info->num_src)
		return glsl_fail(c, -EINVAL, "bad operand count for %s", info->name);
	/* a block: the sources are all read before any destination is written */
	glsl_line(c, "{");
	c->indent++;
	ok = emit_body(c, in, op);
	c->indent--;
	glsl_line(c, "}");
	return ok && !c->error;
}
