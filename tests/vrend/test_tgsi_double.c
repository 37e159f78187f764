/* SPDX-License-Identifier: MIT */
/*
 * TGSI double opcodes on the live host GL: one instruction per fragment
 * shader, constants in (doubles as two dwords, low first: xy and zw), an
 * RGBA32UI target out, compared bit for bit with the same operation computed
 * here in C doubles. Each opcode runs over inputs chosen for its edge cases
 * (signs, zero, huge and tiny magnitudes, fractions, halfway rounding, values
 * that fused and separate multiply-add round differently); both doubles of a
 * register are checked with different values. Swizzles, write masks, source
 * modifiers, _SAT, _PRECISE, immediates and DFRACEXP's two destinations have
 * their own cases.
 */
#include <check.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_tgsi_gl.h"

/* ---- bit helpers ---- */

static uint64_t dbits(double d)
{
	uint64_t u;

	memcpy(&u, &d, 8);
	return u;
}

static uint32_t fbits(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

/* reg = (lo(a), hi(a), lo(b), hi(b)) */
static void put2(uint32_t reg[4], double a, double b)
{
	reg[0] = (uint32_t)dbits(a);
	reg[1] = (uint32_t)(dbits(a) >> 32);
	reg[2] = (uint32_t)dbits(b);
	reg[3] = (uint32_t)(dbits(b) >> 32);
}

/* ---- the GL side: one program, many constant sets ---- */

struct runner {
	struct target t;
	char *vs_glsl;
	struct tgsi_shader *vs;
	struct glsl_emit_options o;
};

static void runner_init(struct runner *r)
{
	target_init_fmt(&r->t, GL_RGBA32UI, black, fullscreen);
	glsl_emit_options_default(&r->o);
	r->o.cbuf_uint_mask = 1;
	r->vs = parse(tgsi_vs_pass);
	r->vs_glsl = emit(r->vs, &r->o);
}

static void runner_fini(struct runner *r)
{
	free(r->vs_glsl);
	tgsi_shader_destroy(r->vs);
	target_fini(&r->t);
}

/* The fragment shader: the instructions (writing TEMP[0]; TEMP[0..3] start
 * at zero), then OUT[0] = TEMP[0]. */
static GLuint program(struct runner *r, const char *imms, const char *instrs)
{
	char text[2048], *fs_glsl;
	struct tgsi_shader *fs;
	GLuint prog;
	int n;

	n = snprintf(text, sizeof(text),
	             "FRAG\nDCL OUT[0], COLOR\nDCL CONST[0..3]\nDCL TEMP[0..3]\n%s"
	             "%s\nMOV OUT[0], TEMP[0]\nEND\n",
	             imms, instrs);
	ck_assert(n > 0 && (size_t)n < sizeof(text));
	fs = parse(text);
	fs_glsl = emit(fs, &r->o);
	prog = link(compile(GL_VERTEX_SHADER, r->vs_glsl), compile(GL_FRAGMENT_SHADER, fs_glsl));
	free(fs_glsl);
	tgsi_shader_destroy(fs);
	return prog;
}

static void run(GLuint prog, const uint32_t consts[4][4], uint32_t got[4])
{
	const GLuint zero[4] = {0};

	glUseProgram(prog);
	set_consts(prog, "fsconst0", consts, 4);
	glClearBufferuiv(GL_COLOR, 0, zero);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	memset(got, 0, 16);
	glReadPixels(2, 2, 1, 1, GL_RGBA_INTEGER, GL_UNSIGNED_INT, got);
	ck_assert_uint_eq(glGetError(), GL_NO_ERROR);
}

static void check4(const char *what, int set, const uint32_t got[4], const uint32_t want[4])
{
	for (int k = 0; k < 4; k++)
		ck_assert_msg(got[k] == want[k],
		              "%s (input set %d): component %d = 0x%08x, want 0x%08x "
		              "(got %08x %08x %08x %08x)",
		              what, set, k, got[k], want[k], got[0], got[1], got[2], got[3]);
}

/* ---- reference operations (C doubles) ---- */

static double r_add(double a, double b)
{
	return a + b;
}
static double r_mul(double a, double b)
{
	return a * b;
}
static double r_div(double a, double b)
{
	return a / b;
}
static double r_min(double a, double b)
{
	return b < a ? b : a;
}
static double r_max(double a, double b)
{
	return a < b ? b : a;
}
static double r_fma(double a, double b, double c)
{
	return fma(a, b, c);
}
/* GLSL lets fma() round like a*b + c (llvmpipe does): the other valid result */
static double r_mul_add(double a, double b, double c)
{
	volatile double p = a * b;

	return p + c;
}
static double r_abs(double a)
{
	return fabs(a);
}
static double r_neg(double a)
{
	return -a;
}
static double r_rcp(double a)
{
	return 1.0 / a;
}
static double r_sqrt(double a)
{
	return sqrt(a);
}
static double r_rsq(double a)
{
	return 1.0 / sqrt(a);
}
static double r_frac(double a)
{
	return a - floor(a);
}
static double r_trunc(double a)
{
	return trunc(a);
}
static double r_ceil(double a)
{
	return ceil(a);
}
static double r_floor(double a)
{
	return floor(a);
}
static double r_round(double a)
{
	return nearbyint(a);
} /* default mode: to even */
static double r_sign(double a)
{
	return a > 0 ? 1.0 : a < 0 ? -1.0 : 0.0;
}
static bool c_lt(double a, double b)
{
	return a < b;
}
static bool c_ge(double a, double b)
{
	return a >= b;
}
static bool c_eq(double a, double b)
{
	return a == b;
}
static bool c_ne(double a, double b)
{
	return a != b;
}
static uint32_t t_d2f(double a)
{
	return fbits((float)a);
}
static uint32_t t_d2i(double a)
{
	return (uint32_t)(int32_t)a;
}
static uint32_t t_d2u(double a)
{
	return (uint32_t)a;
}

/* ---- inputs ---- */

#define TWO_M30 (1.0 / 1073741824.0)

static const double gen_vals[] = {
    -2.5,
    0.0,
    -0.0,
    3.75,
    -1e-3,
    1e300,
    -123456789.987654321,
    0.1,
    1.0 / 3.0,
    2.5,
    -0.5,
    3.5,
    1e15 + 0.5,
    -7.0,
    4503599627370496.0,
    -1.5,
    0.49999999999999994,
    1e-300,
};
static const double pos_vals[] = {4.0, 2.0, 0.25, 1e300, 1e-300, 3.0, 123456.789, 0.1};
static const double bin_a[] = {-2.5, 0.0,       3.75, -1e-3, 1e300,  -123456789.987654321,
                               0.1,  1.0 / 3.0, 7.0,  -0.5,  1e-300, 1e300};
static const double bin_b[] = {1.25, -4.0,       3.75, 0.2,  1e10,   3.0,
                               0.7,  -1.0 / 3.0, -7.0, 1e-3, 1e-300, -1e300};
static const double ter_a[] = {1.0 + TWO_M30, 2.5, -3.0, 0.1, 1e200, 1.0 / 3.0};
static const double ter_b[] = {1.0 - TWO_M30, -4.0, 0.5, 10.0, 1e100, 3.0};
static const double ter_c[] = {-1.0, 1.0, 0.25, -1.0, -1e300, -1.0};
static const double cmp_a[] = {1.0, 2.0, 0.0, -1.0, 3.75, -1e300, 0.1, NAN, 1.0, -0.0};
static const double cmp_b[] = {2.0, 1.0, -0.0, -0.5, 3.75, 1e300, 0.1, 1.0, NAN, 0.0};
static const double d2f_vals[] = {-2.5,       0.1,
                                  1.0 / 3.0,  1e30,
                                  -1e-30,     123456789.987654321,
                                  0.0,        -0.0,
                                  16777217.0, -3.4028234663852886e38};
static const double d2i_vals[] = {-2.5,          0.0,           3.75,  -1e-3,        2147483647.0,
                                  -2147483648.0, 123456789.987, -0.99, 2147483647.9, -2147483648.9};
static const double d2u_vals[] = {0.0,           3.75, 4294967295.0, 2147483648.5, 0.999,
                                  123456789.987, 1e9,  7.0,          4294967295.9, -0.0};

enum shape { UN, BIN, TER, CMP, TO32, F2D_, I2D_, U2D_, LDEXP_, FRACEXP_ };

struct dop {
	const char *text; /* the instruction */
	enum shape shape;
	double (*f1)(double);
	double (*f2)(double, double);
	double (*f3)(double, double, double);
	double (*f3_alt)(double, double, double); /* another valid rounding */
	bool (*fc)(double, double);
	uint32_t (*ft)(double);
	const double *vals; /* UN, TO32: inputs */
	size_t nvals;
};

#define VALS(v) .vals = v, .nvals = sizeof(v) / sizeof(v[0])

static const struct dop dops[] = {
    {"DADD TEMP[0], CONST[0], CONST[1]", BIN, .f2 = r_add},
    {"DMUL TEMP[0], CONST[0], CONST[1]", BIN, .f2 = r_mul},
    {"DDIV TEMP[0], CONST[0], CONST[1]", BIN, .f2 = r_div},
    {"DMIN TEMP[0], CONST[0], CONST[1]", BIN, .f2 = r_min},
    {"DMAX TEMP[0], CONST[0], CONST[1]", BIN, .f2 = r_max},
    {"DMAD TEMP[0], CONST[0], CONST[1], CONST[2]", TER, .f3 = r_fma, .f3_alt = r_mul_add},
    {"DFMA TEMP[0], CONST[0], CONST[1], CONST[2]", TER, .f3 = r_fma, .f3_alt = r_mul_add},
    {"DABS TEMP[0], CONST[0]", UN, .f1 = r_abs, VALS(gen_vals)},
    {"DNEG TEMP[0], CONST[0]", UN, .f1 = r_neg, VALS(gen_vals)},
    {"DRCP TEMP[0], CONST[0]", UN, .f1 = r_rcp, VALS(bin_b)},
    {"DSQRT TEMP[0], CONST[0]", UN, .f1 = r_sqrt, VALS(pos_vals)},
    {"DRSQ TEMP[0], CONST[0]", UN, .f1 = r_rsq, VALS(pos_vals)},
    {"DFRAC TEMP[0], CONST[0]", UN, .f1 = r_frac, VALS(gen_vals)},
    {"DTRUNC TEMP[0], CONST[0]", UN, .f1 = r_trunc, VALS(gen_vals)},
    {"DCEIL TEMP[0], CONST[0]", UN, .f1 = r_ceil, VALS(gen_vals)},
    {"DFLR TEMP[0], CONST[0]", UN, .f1 = r_floor, VALS(gen_vals)},
    {"DROUND TEMP[0], CONST[0]", UN, .f1 = r_round, VALS(gen_vals)},
    {"DSSG TEMP[0], CONST[0]", UN, .f1 = r_sign, VALS(bin_a)},
    /* Mesa writes 64-bit comparisons to .x and .z */
    {"DSLT TEMP[0].xz, CONST[0], CONST[1]", CMP, .fc = c_lt},
    {"DSGE TEMP[0].xz, CONST[0], CONST[1]", CMP, .fc = c_ge},
    {"DSEQ TEMP[0].xz, CONST[0], CONST[1]", CMP, .fc = c_eq},
    {"DSNE TEMP[0].xz, CONST[0], CONST[1]", CMP, .fc = c_ne},
    /* ... and conversions to 32 bits to .x and .y */
    {"D2F TEMP[0].xy, CONST[0]", TO32, .ft = t_d2f, VALS(d2f_vals)},
    {"D2I TEMP[0].xy, CONST[0]", TO32, .ft = t_d2i, VALS(d2i_vals)},
    {"D2U TEMP[0].xy, CONST[0]", TO32, .ft = t_d2u, VALS(d2u_vals)},
    {"F2D TEMP[0], CONST[0]", F2D_},
    {"I2D TEMP[0], CONST[0]", I2D_},
    {"U2D TEMP[0], CONST[0]", U2D_},
    {"DLDEXP TEMP[0], CONST[0], CONST[1]", LDEXP_},
};

static const float f2d_vals[] = {-2.5f,         0.1f,    1e30f,      -0.0f,
                                 3.4028235e38f, FLT_MIN, 123456.79f, 1.0f / 3.0f};
static const int32_t i2d_vals[] = {INT32_MIN, -1, 0, INT32_MAX, 12345, -7};
static const uint32_t u2d_vals[] = {0, 1, 0xffffffffu, 0x80000000u, 12345, 0x7fffffffu};
static const struct {
	double d;
	int32_t e;
} ldexp_vals[] = {{1.5, 2}, {-3.0, -4},  {0.1, 100}, {1e300, -1000},
                  {7.0, 0}, {1.0, 1023}, {-0.0, 5},  {0.75, -1021}};

/* One input set of row op: consts and the expected result (alt: another valid
 * one, per double). Returns false past the last set. */
static bool make_set(const struct dop *op, size_t i, uint32_t c[4][4], uint32_t want[4],
                     uint32_t alt[4])
{
	memset(c, 0, 64);
	memset(want, 0, 16);
	memset(alt, 0, 16);
	switch (op->shape) {
	case UN: {
		double a, b;

		if (i >= op->nvals)
			return false;
		a = op->vals[i];
		b = op->vals[(i + 1) % op->nvals];
		put2(c[0], a, b);
		put2(want, op->f1(a), op->f1(b));
		return true;
	}
	case BIN: {
		size_t n = sizeof(bin_a) / sizeof(bin_a[0]), j = (i + 3) % n;

		if (i >= n)
			return false;
		put2(c[0], bin_a[i], bin_a[j]);
		put2(c[1], bin_b[i], bin_b[j]);
		put2(want, op->f2(bin_a[i], bin_b[i]), op->f2(bin_a[j], bin_b[j]));
		return true;
	}
	case TER: {
		size_t n = sizeof(ter_a) / sizeof(ter_a[0]), j = (i + 1) % n;

		if (i >= n)
			return false;
		put2(c[0], ter_a[i], ter_a[j]);
		put2(c[1], ter_b[i], ter_b[j]);
		put2(c[2], ter_c[i], ter_c[j]);
		put2(want, op->f3(ter_a[i], ter_b[i], ter_c[i]),
		     op->f3(ter_a[j], ter_b[j], ter_c[j]));
		put2(alt, op->f3_alt(ter_a[i], ter_b[i], ter_c[i]),
		     op->f3_alt(ter_a[j], ter_b[j], ter_c[j]));
		return true;
	}
	case CMP: {
		size_t n = sizeof(cmp_a) / sizeof(cmp_a[0]), j = (i + 5) % n;

		if (i >= n)
			return false;
		put2(c[0], cmp_a[i], cmp_a[j]);
		put2(c[1], cmp_b[i], cmp_b[j]);
		want[0] = op->fc(cmp_a[i], cmp_b[i]) ? 0xffffffffu : 0;
		want[2] = op->fc(cmp_a[j], cmp_b[j]) ? 0xffffffffu : 0;
		return true;
	}
	case TO32: {
		double a, b;

		if (i >= op->nvals)
			return false;
		a = op->vals[i];
		b = op->vals[(i + 1) % op->nvals];
		put2(c[0], a, b);
		want[0] = op->ft(a);
		want[1] = op->ft(b);
		return true;
	}
	case F2D_: {
		size_t n = sizeof(f2d_vals) / sizeof(f2d_vals[0]);
		float a, b;

		if (i >= n)
			return false;
		a = f2d_vals[i];
		b = f2d_vals[(i + 1) % n];
		c[0][0] = fbits(a);
		c[0][1] = fbits(b);
		c[0][2] = c[0][3] = 0xdeadbeefu; /* not read */
		put2(want, (double)a, (double)b);
		return true;
	}
	case I2D_: {
		size_t n = sizeof(i2d_vals) / sizeof(i2d_vals[0]);
		int32_t a, b;

		if (i >= n)
			return false;
		a = i2d_vals[i];
		b = i2d_vals[(i + 1) % n];
		c[0][0] = (uint32_t)a;
		c[0][1] = (uint32_t)b;
		c[0][2] = c[0][3] = 0xdeadbeefu;
		put2(want, (double)a, (double)b);
		return true;
	}
	case U2D_: {
		size_t n = sizeof(u2d_vals) / sizeof(u2d_vals[0]);
		uint32_t a, b;

		if (i >= n)
			return false;
		a = u2d_vals[i];
		b = u2d_vals[(i + 1) % n];
		c[0][0] = a;
		c[0][1] = b;
		c[0][2] = c[0][3] = 0xdeadbeefu;
		put2(want, (double)a, (double)b);
		return true;
	}
	case LDEXP_: {
		size_t n = sizeof(ldexp_vals) / sizeof(ldexp_vals[0]), j = (i + 1) % n;

		if (i >= n)
			return false;
		put2(c[0], ldexp_vals[i].d, ldexp_vals[j].d);
		/* exponents in x and z; y and w are not read */
		c[1][0] = (uint32_t)ldexp_vals[i].e;
		c[1][1] = 77;
		c[1][2] = (uint32_t)ldexp_vals[j].e;
		c[1][3] = 77;
		put2(want, ldexp(ldexp_vals[i].d, ldexp_vals[i].e),
		     ldexp(ldexp_vals[j].d, ldexp_vals[j].e));
		return true;
	}
	default:
		return false;
	}
}

START_TEST(double_opcodes_exact)
{
	struct runner r;
	unsigned ran = 0;

	runner_init(&r);
	for (size_t k = 0; k < sizeof(dops) / sizeof(dops[0]); k++) {
		GLuint prog = program(&r, "", dops[k].text);
		uint32_t consts[4][4], want[4], alt[4], got[4];
		size_t i;

		for (i = 0; make_set(&dops[k], i, consts, want, alt); i++) {
			run(prog, consts, got);
			if (dops[k].shape == TER) {
				/* per double: the fused or the separately rounded result */
				for (int p = 0; p < 4; p += 2) {
					if (got[p] == alt[p] && got[p + 1] == alt[p + 1]) {
						want[p] = alt[p];
						want[p + 1] = alt[p + 1];
					}
				}
			}
			check4(dops[k].text, (int)i, got, want);
			ran++;
		}
		ck_assert_uint_ge(i, 6);
		glDeleteProgram(prog);
	}
	ck_assert_uint_gt(ran, 250);
	runner_fini(&r);
}
END_TEST

/* Swizzles pick channel pairs; masks pick doubles; modifiers act on doubles. */
START_TEST(double_operands)
{
	static const struct {
		const char *text;
		int kind;
	} cases[] = {
	    {"DADD TEMP[0].zw, -CONST[0].zwxy, |CONST[1].xyxy|", 0},
	    {"DMUL TEMP[0].xy, CONST[0].zwzw, CONST[1].zwxy", 1},
	    {"DNEG TEMP[0], -|CONST[0]|", 2},
	    {"DSLT TEMP[0].yw, CONST[1], CONST[0].zwxy", 3},
	    {"D2F TEMP[0].x, CONST[0].zwzw", 4},
	    {"F2D TEMP[0].zw, CONST[0].wzyx", 5},
	    {"DADD_SAT TEMP[0], CONST[0], CONST[1]", 6},
	    {"MOV TEMP[1], CONST[0]\nDMUL TEMP[1].zw, TEMP[1], TEMP[1].zwzw\nMOV TEMP[0], TEMP[1]",
	     7},
	};
	const double a0 = -2.75, a1 = 1e-5, b0 = -0.125, b1 = 1e10;
	struct runner r;

	runner_init(&r);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		GLuint prog = program(&r, "", cases[k].text);
		uint32_t consts[4][4] = {{0}}, want[4] = {0}, got[4];

		put2(consts[0], a0, a1);
		put2(consts[1], b0, b1);
		switch (cases[k].kind) {
		case 0: /* zw = pair zw of the swizzled sources: -a0 + |b0| */
			put2(want, 0.0, -a0 + fabs(b0));
			want[0] = want[1] = 0;
			break;
		case 1: /* xy = a1 * b1 */
			put2(want, a1 * b1, 0.0);
			break;
		case 2: /* DNEG(-|a|) = |a| */
			put2(want, fabs(a0), fabs(a1));
			break;
		case 3: /* y = b0 < a1, w = b1 < a0 */
			want[1] = b0 < a1 ? 0xffffffffu : 0;
			want[3] = b1 < a0 ? 0xffffffffu : 0;
			ck_assert(want[1] && !want[3]);
			break;
		case 4: /* x = float(a1) */
			want[0] = fbits((float)a1);
			break;
		case 5: { /* zw = double(swizzled channel y = z) */
			float f;

			consts[0][2] = fbits(-6.5f);
			memcpy(&f, &consts[0][2], 4);
			put2(want, 0.0, (double)f);
			break;
		}
		case 6: { /* clamp(a + b, 0, 1) per double */
			double s0 = a0 + b0, s1 = a1 + b1;

			put2(want,
			     s0 < 0   ? 0.0
			     : s0 > 1 ? 1.0
			              : s0,
			     s1 < 0   ? 0.0
			     : s1 > 1 ? 1.0
			              : s1);
			break;
		}
		case 7: /* xy kept, zw = a1 * a1 */
			put2(want, a0, a1 * a1);
			break;
		}
		run(prog, consts, got);
		check4(cases[k].text, 0, got, want);
		glDeleteProgram(prog);
	}
	runner_fini(&r);
}
END_TEST

/* DFRACEXP: significand to dst0 (both doubles), exponent to dst1; FLT64
 * immediates; _PRECISE keeps the multiply and add apart. */
START_TEST(double_fracexp_imm_precise)
{
	static const double vals[] = {1.5, -3.0, 0.1, 1e300, 7.0, 0.0, -1e-300, 0.75};
	struct runner r;
	GLuint prog;

	runner_init(&r);
	prog = program(&r, "",
	               "DFRACEXP TEMP[1], TEMP[2].x, CONST[0]\n"
	               "MOV TEMP[0].xy, TEMP[1].zwzw\n"
	               "MOV TEMP[0].z, TEMP[2].xxxx\n"
	               "MOV TEMP[0].w, TEMP[1].yyyy");
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		uint32_t consts[4][4] = {{0}}, want[4], got[4];
		int e = 0;
		double m = frexp(vals[i], &e);

		put2(consts[0], vals[i], 12345.0); /* the second double is not read */
		put2(want, m, 0.0);
		want[2] = (uint32_t)e;
		want[3] = want[1];
		run(prog, consts, got);
		check4("DFRACEXP", (int)i, got, want);
	}
	glDeleteProgram(prog);

	/* immediates: 0.1 + 0.2 and -1.5 * 4 */
	prog = program(&r, "IMM[0] FLT64 {0.1, -1.5}\nIMM[1] FLT64 {0.2, 4.0}\n",
	               "DADD TEMP[0].xy, IMM[0], IMM[1]\nDMUL TEMP[0].zw, IMM[0], CONST[0]");
	{
		uint32_t consts[4][4] = {{0}}, want[4], got[4];
		volatile double x = 0.1, y = 0.2;

		put2(consts[0], 0.0, -3.0);
		put2(want, x + y, -1.5 * -3.0);
		run(prog, consts, got);
		check4("FLT64 immediates", 0, got, want);
	}
	glDeleteProgram(prog);

	/* a*b + c rounds twice under _PRECISE DMUL/DADD, once under DFMA */
	prog = program(&r, "",
	               "DMUL_PRECISE TEMP[1], CONST[0], CONST[1]\n"
	               "DADD_PRECISE TEMP[0].xy, TEMP[1], CONST[2]\n"
	               "DFMA TEMP[0].zw, CONST[0], CONST[1], CONST[2]");
	{
		uint32_t consts[4][4] = {{0}}, want[4], got[4];
		volatile double a = 1.0 + TWO_M30, b = 1.0 - TWO_M30, c = -1.0;
		volatile double p = a * b;

		put2(consts[0], a, a);
		put2(consts[1], b, b);
		put2(consts[2], c, c);
		put2(want, p + c, fma(a, b, c));
		ck_assert(dbits(p + c) != dbits(fma(a, b, c)));
		run(prog, consts, got);
		if (got[2] == want[0] && got[3] == want[1]) /* fma() rounded twice: allowed */
			want[2] = want[0], want[3] = want[1];
		check4("precise vs fused", 0, got, want);
	}
	glDeleteProgram(prog);
	runner_fini(&r);
}
END_TEST

/* Every double opcode compiles at 4.00 with masks, swizzles and modifiers,
 * and is refused below 4.00. */
START_TEST(double_table_compiles)
{
	const size_t cap = 65536;
	char *text = malloc(cap), *glsl = NULL, err[256];
	struct glsl_emit_options o;
	struct tgsi_shader *fs;
	size_t len = 0;
	unsigned n = 0;
	size_t glsl_len;

	len += (size_t)snprintf(text + len, cap - len,
	                        "FRAG\nDCL OUT[0], COLOR\nDCL CONST[0..3]\nDCL TEMP[0..3]\n");
	for (unsigned op = 0; op < TGSI_OP_COUNT; op++) {
		const struct tgsi_opcode_info *info = &tgsi_opcode_infos[op];

		if (info->kind != TGSI_KIND_DBL)
			continue;
		len += (size_t)snprintf(text + len, cap - len, "%s TEMP[1]%s", info->name,
		                        info->num_dst == 2 ? ", TEMP[2]" : "");
		for (unsigned s = 0; s < info->num_src; s++)
			len += (size_t)snprintf(text + len, cap - len, ", CONST[%u]", s);
		len += (size_t)snprintf(text + len, cap - len, "\n%s TEMP[2].zw%s", info->name,
		                        info->num_dst == 2 ? ", TEMP[3].y" : "");
		for (unsigned s = 0; s < info->num_src; s++)
			len += (size_t)snprintf(text + len, cap - len,
			                        s ? ", |TEMP[%u].zwxy|" : ", -TEMP[%u].wzyx", s);
		len += (size_t)snprintf(text + len, cap - len, "\n");
		ck_assert(len < cap);
		n++;
	}
	len += (size_t)snprintf(text + len, cap - len, "MOV OUT[0], TEMP[1]\nEND\n");
	ck_assert_uint_eq(n, 30);
	fs = parse(text);
	glsl_emit_options_default(&o);
	o.glsl_version = 400;
	glsl = emit(fs, &o);
	glDeleteShader(compile(GL_FRAGMENT_SHADER, glsl));
	free(glsl);
	glsl = NULL;
	o.glsl_version = 330;
	ck_assert_int_eq(glsl_emit(fs, &o, &glsl, &glsl_len, err, sizeof(err)), -ENOTSUP);
	ck_assert_ptr_null(glsl);
	ck_assert_msg(strstr(err, "needs GLSL 400") != NULL, "%s", err);
	tgsi_shader_destroy(fs);
	free(text);
}
END_TEST

static Suite *double_suite(void)
{
	Suite *s = suite_create("tgsi_double");
	TCase *tc = tcase_create("double");

	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, double_opcodes_exact);
	tcase_add_test(tc, double_operands);
	tcase_add_test(tc, double_fracexp_imm_precise);
	tcase_add_test(tc, double_table_compiles);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(double_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
