/* SPDX-License-Identifier: MIT */
/*
 * The TGSI text parser on hostile input: every truncation of every sample, byte
 * mutations, undeclared and out-of-range registers, huge numbers, deep
 * nesting, megabytes of garbage, broken structure, and every limit. Each text
 * is parsed from an exactly-sized heap copy, so under ASan a read past the end
 * is fatal. No GL needed.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_tgsi_samples.h"
#include "tgsi_ir.h"

static const char *const samples[] = {tgsi_vs_pass,      tgsi_fs_tex_tint,     tgsi_fs_fixed,
                                      tgsi_fs_abs_ivec2, tgsi_cs_atomic_image, tgsi_fs_glmark_like,
                                      tgsi_tcs_pass,     tgsi_tes_pass};
#define NUM_SAMPLES (sizeof(samples) / sizeof(samples[0]))

static int parse_n(const char *text, size_t len, const struct tgsi_limits *lim, char *err,
                   size_t err_size)
{
	struct tgsi_shader *sh = NULL;
	char *copy = malloc(len ? len : 1);
	int ret;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	ret = tgsi_parse_text(copy, len, lim, &sh, err, err_size);
	free(copy);
	if (ret == 0)
		ck_assert_ptr_nonnull(sh);
	else
		ck_assert_ptr_null(sh);
	tgsi_shader_destroy(sh);
	return ret;
}

/* Parses text, expects failure with code and a message containing what. */
static void expect_fail(const char *text, int code, const char *what)
{
	char err[256] = "";
	int ret = parse_n(text, strlen(text), NULL, err, sizeof(err));

	ck_assert_msg(ret == code, "expected %d, got %d (%s) for:\n%s", code, ret, err, text);
	ck_assert_msg(strstr(err, what) != NULL, "message '%s' lacks '%s'", err, what);
}

static void expect_ok(const char *text)
{
	char err[256] = "";
	int ret = parse_n(text, strlen(text), NULL, err, sizeof(err));

	ck_assert_msg(ret == 0, "expected success, got %d (%s) for:\n%s", ret, err, text);
}

/* Every prefix either fails cleanly or is the whole shader (up to the END line). */
START_TEST(truncated_everywhere)
{
	for (size_t s = 0; s < NUM_SAMPLES; s++) {
		const char *t = samples[s];
		size_t n = strlen(t);
		const char *end = strstr(t, ": END\n");
		size_t min_ok;

		ck_assert_ptr_nonnull(end);
		min_ok = (size_t)(end - t) + 5;
		for (size_t k = 0; k <= n; k++) {
			char err[256];
			int ret = parse_n(t, k, NULL, err, sizeof(err));

			if (k >= min_ok)
				ck_assert_msg(ret == 0, "prefix %zu of sample %zu: %s", k, s, err);
			else
				ck_assert_msg(ret == -EINVAL, "prefix %zu of sample %zu: %d", k, s,
				              ret);
		}
	}
}
END_TEST

/* Replaces each byte with troublesome characters; nothing may crash or leak. */
START_TEST(mutated_everywhere)
{
	static const char subst[] = {'\0', ' ', '\n', '[', ']', '.', ',', '-',  '|',
	                             '9',  'x', 'X',  ':', '(', ')', '+', '\t', (char)0xff};

	for (size_t s = 0; s < NUM_SAMPLES; s++) {
		size_t n = strlen(samples[s]);
		char *t = malloc(n);

		for (size_t k = 0; k < n; k++) {
			for (size_t c = 0; c < sizeof(subst); c++) {
				int ret;

				memcpy(t, samples[s], n);
				t[k] = subst[c];
				ret = parse_n(t, n, NULL, NULL, 0);
				ck_assert(ret == 0 || ret == -EINVAL || ret == -E2BIG);
			}
		}
		free(t);
	}
}
END_TEST

static uint32_t rng_next(uint64_t *state)
{
	*state = *state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*state >> 33);
}

/* Splices random lines of the samples together, and random tokens. */
START_TEST(random_splices)
{
	static const char *const tokens[] = {
	    "DCL ",    "IMM[0] ", "TEMP",        "IN",         "OUT",     "CONST",    "[",
	    "]",       "..",      "ADDR[0].x+",  "(1)",        ", ",      ".xyzw",    "-|",
	    "|",       "MOV ",    "UIF ",        "ENDIF",      "BGNLOOP", "ENDLOOP",  "\n",
	    "  3: ",   "END",     "99999999999", "0x3f800000", "{",       "}",        "FLT32 ",
	    "UINT32 ", "SAMP[0]", ", 2D",        "SVIEW[0]",   "ARRAY(",  "GENERIC[", "PROPERTY ",
	    "FRAG\n",  "_SAT"};
	uint64_t st = 12345;
	char buf[2048];

	for (int iter = 0; iter < 20000; iter++) {
		size_t len = 0;
		int parts = 1 + (int)(rng_next(&st) % 40);

		len +=
		    (size_t)snprintf(buf, sizeof(buf), "%s", (rng_next(&st) & 1) ? "FRAG\n" : "");
		for (int i = 0; i < parts && len < sizeof(buf) - 128; i++) {
			if (rng_next(&st) % 3) {
				const char *t =
				    tokens[rng_next(&st) % (sizeof(tokens) / sizeof(*tokens))];
				size_t tl = strlen(t);

				memcpy(buf + len, t, tl);
				len += tl;
			} else {
				const char *smp = samples[rng_next(&st) % NUM_SAMPLES];
				size_t sl = strlen(smp), a = rng_next(&st) % sl,
				       b = a + rng_next(&st) % 60;

				if (b > sl)
					b = sl;
				memcpy(buf + len, smp + a, b - a);
				len += b - a;
			}
		}
		int ret = parse_n(buf, len, NULL, NULL, 0);

		ck_assert(ret == 0 || ret == -EINVAL || ret == -E2BIG);
	}
}
END_TEST

START_TEST(undeclared_registers)
{
	expect_fail("VERT\nDCL TEMP[0..3]\n  0: MOV TEMP[4], TEMP[0]\n  1: END\n", -EINVAL,
	            "undeclared TEMP[4]");
	expect_fail("VERT\nDCL IN[0]\nDCL OUT[0], POSITION\n  0: MOV OUT[0], IN[1]\n  1: END\n",
	            -EINVAL, "undeclared IN[1]");
	expect_fail("VERT\nDCL OUT[0], POSITION\n  0: MOV OUT[1], IMM[0]\n  1: END\n", -EINVAL,
	            "undeclared OUT[1]");
	expect_fail("VERT\nDCL OUT[0], POSITION\nIMM[0] UINT32 {0}\n  0: MOV OUT[0], IMM[1]\n"
	            "  1: END\n",
	            -EINVAL, "undefined IMM[1]");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL CONST[0..3]\n  0: MOV OUT[0], CONST[1][0]\n"
	            "  1: END\n",
	            -EINVAL, "undeclared CONST[1][0]");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL CONST[0..3]\n"
	            "  0: MOV OUT[0], CONST[ADDR[0].x]\n  1: END\n",
	            -EINVAL, "undeclared ADDR[0]");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0..2], ARRAY(1)\nDCL ADDR[0]\n"
	            "  0: MOV OUT[0], TEMP[ADDR[0].x](2)\n  1: END\n",
	            -EINVAL, "undeclared TEMP array 2");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0..2], ARRAY(1)\nDCL TEMP[3..9]\n"
	            "DCL ADDR[0]\n  0: MOV OUT[0], TEMP[ADDR[0].x+3](1)\n  1: END\n",
	            -EINVAL, "outside array 1");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0]\n"
	            "  0: MOV OUT[0], TEMP[TEMP[0].x]\n  1: END\n",
	            -EINVAL, "indirect addressing through TEMP");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0]\n"
	            "  0: TEX OUT[0], TEMP[0], SAMP[0], 2D\n  1: END\n",
	            -EINVAL, "undeclared SAMP[0]");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0]\n  0: MOV OUT[0], SV[0]\n  1: END\n",
	            -EINVAL, "undeclared SV[0]");
	/* per-vertex inputs need a vertex index; 1-D files take none */
	expect_fail("GEOM\nDCL IN[][0], POSITION\nDCL OUT[0], POSITION\n"
	            "  0: MOV OUT[0], IN[0]\n  1: END\n",
	            -EINVAL, "undeclared IN[0]");
	expect_fail("VERT\nDCL TEMP[0..1]\n  0: MOV TEMP[0], TEMP[0][1]\n  1: END\n", -EINVAL,
	            "TEMP has no dimension");
	expect_fail("VERT\nDCL IN[][0]\n  0: END\n", -EINVAL, "per-vertex IN not allowed");
}
END_TEST

START_TEST(bad_operands)
{
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL IN[0]\n  0: MOV IN[0], OUT[0]\n  1: END\n",
	            -EINVAL, "MOV cannot write IN");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL SAMP[0]\n  0: MOV OUT[0], SAMP[0]\n  1: END\n",
	            -EINVAL, "cannot read SAMP");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0]\n"
	            "  0: TEX OUT[0], TEMP[0], TEMP[0], 2D\n  1: END\n",
	            -EINVAL, "needs a sampler last");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL SAMP[0]\nDCL TEMP[0]\n"
	            "  0: TEX OUT[0], TEMP[0], SAMP[0]\n  1: END\n",
	            -EINVAL, "expected ','");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0]\n  0: MOV OUT[0], TEMP[0], TEMP[0]\n"
	            "  1: END\n",
	            -EINVAL, "unexpected ','");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0]\n  0: ADD OUT[0], TEMP[0]\n  1: END\n",
	            -EINVAL, "expected ','");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0]\n  0: MOV OUT[0].yx, TEMP[0]\n"
	            "  1: END\n",
	            -EINVAL, "bad write mask");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0]\n  0: MOV OUT[0], TEMP[0].xy\n"
	            "  1: END\n",
	            -EINVAL, "bad swizzle");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0]\n  0: FOO OUT[0], TEMP[0]\n  1: END\n",
	            -EINVAL, "unknown opcode 'FOO'");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0]\n  0: MOV OUT[0], TEMP[0] :3\n"
	            "  1: END\n",
	            -EINVAL, "label on MOV");
	expect_fail("FRAG\nDCL TEMP[0]\n  0: KILL_SAT\n  1: END\n", -EINVAL, "_SAT on KILL");
	expect_fail("FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0]\n  0: MOV OUT[0], -|TEMP[0]\n"
	            "  1: END\n",
	            -EINVAL, "expected '|'");
}
END_TEST

START_TEST(huge_numbers)
{
	expect_fail("VERT\nDCL TEMP[0..99999999999999999999]\n  0: END\n", -EINVAL,
	            "number too large");
	expect_fail("VERT\nDCL TEMP[0..4294967295]\n  0: END\n", -E2BIG, "too large");
	expect_fail("VERT\nDCL TEMP[16384]\n  0: END\n", -E2BIG, "register index 16384");
	expect_ok("VERT\nDCL TEMP[16383]\n  0: END\n");
	expect_fail("VERT\nDCL TEMP[0]\n  0: MOV TEMP[0], TEMP[4294967296]\n  1: END\n", -EINVAL,
	            "out of range");
	expect_fail("VERT\nDCL TEMP[0]\n  0: MOV TEMP[0], TEMP[-1]\n  1: END\n", -EINVAL,
	            "out of range");
	expect_fail("VERT\nIMM[0] UINT32 {4294967296}\n  0: END\n", -EINVAL, "too large");
	expect_fail("VERT\nIMM[0] INT32 {-2147483649}\n  0: END\n", -EINVAL, "out of range");
	expect_fail("VERT\nIMM[0] FLT32 {0x123456789}\n  0: END\n", -EINVAL, "hex value too long");
	expect_fail("VERT\nIMM[0] FLT32 {1.0e, 2}\n  0: END\n", -EINVAL, "bad float");
	expect_fail("VERT\nIMM[0] UINT64 {18446744073709551616}\n  0: END\n", -EINVAL, "too large");
	expect_fail("VERT\nIMM[0] INT64 {-9223372036854775809}\n  0: END\n", -EINVAL, "too small");
	expect_ok("VERT\nIMM[0] INT64 {-9223372036854775808, 9223372036854775807}\n  0: END\n");
	expect_fail("VERT\nIMM[0] FLT32 {0, 0, 0, 0, 0}\n  0: END\n", -EINVAL,
	            "too many immediate values");
	expect_fail("VERT\nIMM[0] FLT64 {0, 0, 0}\n  0: END\n", -EINVAL,
	            "too many immediate values");
	expect_fail("VERT\nIMM[1] FLT32 {0}\n  0: END\n", -EINVAL, "out of order");
	expect_fail("VERT\nDCL TEMP[0], ARRAY(0)\n  0: END\n", -EINVAL, "array id 0");
	expect_fail("VERT\nDCL TEMP[0], ARRAY(4097)\n  0: END\n", -EINVAL, "array id 4097");
	expect_fail("VERT\nDCL CONST[64][0]\n  0: END\n", -E2BIG, "dimension 64");
	expect_fail("VERT\nDCL TEMP[0]\n 99999999999: END\n", -EINVAL, "too large");
	expect_fail("GEOM\nDCL IN[][0], POSITION\nDCL OUT[0], POSITION\n"
	            "  0: MOV OUT[0], IN[64][0]\n  1: END\n",
	            -EINVAL, "dimension 64 out of range");
	{
		char name[200];

		memset(name, 'A', sizeof(name));
		name[sizeof(name) - 1] = '\0';
		char text[400];
		snprintf(text, sizeof(text), "VERT\n  0: %s\n  1: END\n", name);
		expect_fail(text, -EINVAL, "identifier too long");
	}
}
END_TEST

START_TEST(structure)
{
	expect_fail("VERT\nDCL TEMP[0]\n", -EINVAL, "missing END");
	expect_fail("", -EINVAL, "expected processor");
	expect_fail("PIXEL\n  0: END\n", -EINVAL, "unknown processor 'PIXEL'");
	expect_fail("VERT DCL TEMP[0]\n  0: END\n", -EINVAL, "after the processor");
	expect_fail("VERT\nDCL TEMP[0]\n  0: IF TEMP[0].xxxx\n  1: END\n", -EINVAL,
	            "END inside a block");
	expect_fail("VERT\nDCL TEMP[0]\n  0: IF TEMP[0].xxxx\n", -EINVAL, "unterminated block");
	expect_fail("VERT\n  0: ELSE\n  1: END\n", -EINVAL, "ELSE without IF");
	expect_fail("VERT\nDCL TEMP[0]\n  0: IF TEMP[0].xxxx\n  1: ELSE\n  2: ELSE\n"
	            "  3: ENDIF\n  4: END\n",
	            -EINVAL, "ELSE without IF");
	expect_fail("VERT\n  0: ENDIF\n  1: END\n", -EINVAL, "ENDIF without IF");
	expect_fail("VERT\n  0: ENDLOOP\n  1: END\n", -EINVAL, "ENDLOOP without BGNLOOP");
	expect_fail("VERT\nDCL TEMP[0]\n  0: IF TEMP[0].xxxx\n  1: ENDLOOP\n  2: END\n", -EINVAL,
	            "ENDLOOP without BGNLOOP");
	expect_fail("VERT\n  0: BGNLOOP\n  1: ENDIF\n  2: END\n", -EINVAL, "ENDIF without IF");
	expect_fail("VERT\n  0: BRK\n  1: END\n", -EINVAL, "BRK outside a loop");
	expect_fail("VERT\n  0: CONT\n  1: END\n", -EINVAL, "CONT outside a loop");
	expect_fail("VERT\n  0: END\n  1: END\n", -EINVAL, "after END");
	expect_fail("VERT\n  0: END\n  1: BGNSUB\n  2: END\n  3: ENDSUB\n", -EINVAL,
	            "END inside a block");
	expect_fail("VERT\nDCL TEMP[0]\n  0: MOV TEMP[0], TEMP[0]\nDCL TEMP[1]\n  1: END\n",
	            -EINVAL, "declaration after the first instruction");
	expect_fail("VERT\n  0: NOP\nIMM[0] UINT32 {0}\n  1: END\n", -EINVAL,
	            "immediate after the first instruction");
	expect_fail("VERT\n  0: NOP\nPROPERTY NEXT_SHADER FRAG\n  1: END\n", -EINVAL,
	            "property after the first instruction");
	expect_fail("VERT\nDCL TEMP[0..3]\nDCL TEMP[3]\n  0: END\n", -EINVAL,
	            "TEMP[3] declared twice");
	expect_fail("VERT\nDCL TEMP[0], ARRAY(1)\nDCL TEMP[1], ARRAY(1)\n  0: END\n", -EINVAL,
	            "array id 1 declared twice");
	/* component-qualified I/O shares registers only with the same range and
	 * semantic and with components not declared yet */
	expect_fail("FRAG\nDCL IN[0].xy, GENERIC[0]\nDCL IN[0].yz, GENERIC[0]\n  0: END\n", -EINVAL,
	            "IN[0] declared twice");
	expect_fail("FRAG\nDCL IN[0].x, GENERIC[0]\nDCL IN[0].y, GENERIC[0]\n"
	            "DCL IN[0].xw, GENERIC[0]\n  0: END\n",
	            -EINVAL, "IN[0] declared twice");
	expect_fail("FRAG\nDCL IN[0].x, GENERIC[0]\nDCL IN[0].y, GENERIC[1]\n  0: END\n", -EINVAL,
	            "IN[0] declared twice");
	expect_fail("FRAG\nDCL IN[0].x, GENERIC[0]\nDCL IN[0].y, COLOR[0]\n  0: END\n", -EINVAL,
	            "IN[0] declared twice");
	expect_fail("FRAG\nDCL IN[0..1].x, GENERIC[0]\nDCL IN[1].y, GENERIC[1]\n  0: END\n",
	            -EINVAL, "IN[1] declared twice");
	expect_fail("FRAG\nDCL IN[0].x\nDCL IN[0].y\n  0: END\n", -EINVAL, "IN[0] declared twice");
	expect_fail("VERT\nDCL TEMP[0].x\nDCL TEMP[0].y\n  0: END\n", -EINVAL,
	            "TEMP[0] declared twice");
	expect_fail("FRAG\nPROPERTY FS_COORD_ORIGIN LOWER_LEFT\n"
	            "PROPERTY FS_COORD_ORIGIN UPPER_LEFT\n  0: END\n",
	            -EINVAL, "duplicate property");
	expect_fail("FRAG\nPROPERTY FS_COORD_ORIGIN SIDEWAYS\n  0: END\n", -EINVAL,
	            "unknown origin");
	expect_fail("VERT\nDCL SV[0]\n  0: END\n", -EINVAL, "system value without a semantic");
	expect_fail("VERT\nDCL TEMP[3..1]\n  0: END\n", -EINVAL, "empty declaration range");
	expect_fail("VERT\nDCL IMM[0]\n  0: END\n", -EINVAL, "cannot declare IMM");
	expect_fail("FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE, PERSPECTIVE\n  0: END\n", -EINVAL,
	            "repeated attribute");
	expect_fail("VERT\nDCL TEMP[0], GENERIC[0]\n  0: END\n", -EINVAL,
	            "unexpected declaration attribute");
	expect_fail("VERT\nDCL SVIEW[0], 2D\n  0: END\n", -EINVAL, "expected ','");
	expect_fail("VERT\nDCL IMAGE[0], 2D, R8G8B8A8\n  0: END\n", -EINVAL, "bad format");
	expect_fail("VERT\nDCL OUT[0], GENERIC[0], STREAM(0, 1, 2, 4)\n  0: END\n", -EINVAL,
	            "stream 4");
	/* garbage after a valid END line */
	expect_fail("VERT\n  0: END\n%%%\n", -EINVAL, "");
	/* blank lines and CRLF are fine */
	expect_ok("\n\nVERT\r\n\r\nDCL TEMP[0]\r\n\n  0: END\r\n\n");
}
END_TEST

static char *repeat_lines(const char *head, const char *line, unsigned n, const char *mid,
                          const char *line2, unsigned n2, const char *tail, size_t *len)
{
	size_t hl = strlen(head), l1 = strlen(line), ml = strlen(mid), l2 = strlen(line2),
	       tl = strlen(tail);
	size_t total = hl + l1 * n + ml + l2 * n2 + tl;
	char *t = malloc(total + 1), *p = t;

	memcpy(p, head, hl);
	p += hl;
	for (unsigned i = 0; i < n; i++, p += l1)
		memcpy(p, line, l1);
	memcpy(p, mid, ml);
	p += ml;
	for (unsigned i = 0; i < n2; i++, p += l2)
		memcpy(p, line2, l2);
	memcpy(p, tail, tl);
	p += tl;
	*p = '\0';
	*len = total;
	return t;
}

START_TEST(deep_nesting)
{
	char err[256];
	size_t len;
	char *t;

	/* 64 levels: the default limit */
	t = repeat_lines("VERT\nDCL TEMP[0]\n", "UIF TEMP[0].xxxx\n", 64, "", "ENDIF\n", 64,
	                 "END\n", &len);
	ck_assert_int_eq(parse_n(t, len, NULL, err, sizeof(err)), 0);
	free(t);
	t = repeat_lines("VERT\nDCL TEMP[0]\n", "UIF TEMP[0].xxxx\n", 65, "", "ENDIF\n", 65,
	                 "END\n", &len);
	ck_assert_int_eq(parse_n(t, len, NULL, err, sizeof(err)), -E2BIG);
	ck_assert_ptr_nonnull(strstr(err, "nested too deeply"));
	free(t);
	/* fifty thousand: fails at the limit, no recursion */
	t = repeat_lines("VERT\nDCL TEMP[0]\n", "BGNLOOP\n", 50000, "", "ENDLOOP\n", 50000, "END\n",
	                 &len);
	ck_assert_int_eq(parse_n(t, len, NULL, err, sizeof(err)), -E2BIG);
	free(t);
}
END_TEST

START_TEST(megabytes_of_garbage)
{
	size_t n = 1u << 20;
	char *t = malloc(n);
	uint64_t st = 99;
	char err[256];

	for (size_t i = 0; i < n; i++)
		t[i] = (char)(rng_next(&st) & 0xff);
	ck_assert_int_eq(parse_n(t, n, NULL, err, sizeof(err)), -EINVAL);
	/* printable garbage after a valid header */
	memcpy(t, "FRAG\n", 5);
	for (size_t i = 5; i < n; i++)
		t[i] = (char)(' ' + rng_next(&st) % 95);
	ck_assert_int_eq(parse_n(t, n, NULL, err, sizeof(err)), -EINVAL);
	/* a megabyte of valid lines fails on the instruction limit */
	free(t);
	t = repeat_lines("FRAG\nDCL TEMP[0]\n", "NOP\n", 250000, "", "", 0, "END\n", &n);
	ck_assert_int_eq(parse_n(t, n, NULL, err, sizeof(err)), -E2BIG);
	ck_assert_ptr_nonnull(strstr(err, "too many instructions"));
	free(t);
	/* over the text limit: refused before parsing */
	t = repeat_lines("FRAG\n", "\n", (1u << 20), "", "", 0, "END\n", &n);
	ck_assert_int_eq(parse_n(t, n, NULL, err, sizeof(err)), -E2BIG);
	ck_assert_ptr_nonnull(strstr(err, "limit"));
	free(t);
}
END_TEST

START_TEST(limits)
{
	struct tgsi_limits lim;
	char err[256];
	const char *t = tgsi_cs_atomic_image;
	size_t n = strlen(t);

	tgsi_limits_default(&lim);
	ck_assert_int_eq(parse_n(t, n, &lim, err, sizeof(err)), 0);
	lim.max_instructions = 11;
	ck_assert_int_eq(parse_n(t, n, &lim, err, sizeof(err)), -E2BIG);
	tgsi_limits_default(&lim);
	lim.max_declarations = 7;
	ck_assert_int_eq(parse_n(t, n, &lim, err, sizeof(err)), -E2BIG);
	tgsi_limits_default(&lim);
	lim.max_immediates = 1;
	ck_assert_int_eq(parse_n(t, n, &lim, err, sizeof(err)), -E2BIG);
	tgsi_limits_default(&lim);
	lim.max_properties = 2;
	ck_assert_int_eq(parse_n(t, n, &lim, err, sizeof(err)), -E2BIG);
	tgsi_limits_default(&lim);
	lim.max_register_index = 12;
	ck_assert_int_eq(parse_n(t, n, &lim, err, sizeof(err)), -E2BIG);
	tgsi_limits_default(&lim);
	lim.max_text_len = (uint32_t)n - 1;
	ck_assert_int_eq(parse_n(t, n, &lim, err, sizeof(err)), -E2BIG);
	tgsi_limits_default(&lim);
	lim.max_formats = 0;
	ck_assert_int_eq(parse_n(t, n, &lim, err, sizeof(err)), -E2BIG);
	tgsi_limits_default(&lim);
	lim.max_nesting = 0;
	ck_assert_int_eq(
	    parse_n(tgsi_fs_glmark_like, strlen(tgsi_fs_glmark_like), &lim, err, sizeof(err)),
	    -E2BIG);
	/* error buffers of any size, including none */
	ck_assert_int_eq(parse_n("VERT\n", 5, NULL, NULL, 0), -EINVAL);
	ck_assert_int_eq(parse_n("VERT\n", 5, NULL, err, 1), -EINVAL);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(parse_n("VERT\n", 5, NULL, err, 12), -EINVAL);
	ck_assert_str_eq(err, "line 2: mis");
	{
		struct tgsi_shader *sh = (struct tgsi_shader *)1;

		ck_assert_int_eq(tgsi_parse_text(NULL, 4, NULL, &sh, NULL, 0), -EINVAL);
		ck_assert_ptr_null(sh);
		ck_assert_int_eq(tgsi_parse_text(NULL, 0, NULL, &sh, NULL, 0), -EINVAL);
	}
}
END_TEST

static Suite *hostile_suite(void)
{
	Suite *s = suite_create("tgsi_hostile");
	TCase *tc = tcase_create("hostile");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, truncated_everywhere);
	tcase_add_test(tc, mutated_everywhere);
	tcase_add_test(tc, random_splices);
	tcase_add_test(tc, undeclared_registers);
	tcase_add_test(tc, bad_operands);
	tcase_add_test(tc, huge_numbers);
	tcase_add_test(tc, structure);
	tcase_add_test(tc, deep_nesting);
	tcase_add_test(tc, megabytes_of_garbage);
	tcase_add_test(tc, limits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hostile_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
