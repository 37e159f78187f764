/* SPDX-License-Identifier: MIT */
/*
 * Counted loops (vrend/tgsi_loop.c): which loops the IR proves finite, the
 * bound it proves, every way a loop falls out of the proof, and what the
 * emitter does with it (no budget for counted loops, the budget for the rest).
 * Running such loops on the host GL is test_tgsi_live (pixels_counted_loops).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glsl_emit.h"
#include "tgsi_ir.h"

#define NO_CAP UINT32_MAX

/* A fragment shader around one loop: `pre` runs before BGNLOOP, `body`
 * inside it. IMM[0] = {0, 1, 5, 1.0f}; IMM[1] is the caller's. */
static char *fs_loop(const char *imm1, const char *pre, const char *body)
{
	char *text = NULL;

	ck_assert_int_gt(asprintf(&text,
	                          "FRAG\n"
	                          "DCL OUT[0], COLOR\n"
	                          "DCL CONST[0]\n"
	                          "DCL TEMP[0..4]\n"
	                          "DCL TEMP[5..7], ARRAY(1)\n"
	                          "DCL ADDR[0]\n"
	                          "IMM[0] UINT32 {0, 1, 5, 1065353216}\n"
	                          "IMM[1] %s\n"
	                          "%s"
	                          "BGNLOOP :0\n"
	                          "%s"
	                          "ENDLOOP :0\n"
	                          "MOV OUT[0], TEMP[1]\n"
	                          "END\n",
	                          imm1, pre, body),
	                 0);
	return text;
}

static struct tgsi_shader *parse(const char *text)
{
	struct tgsi_shader *sh = NULL;
	char err[256];

	ck_assert_msg(tgsi_parse_text(text, strlen(text), NULL, &sh, err, sizeof(err)) == 0,
	              "%s\n%s", err, text);
	return sh;
}

static uint32_t first_loop(const struct tgsi_shader *sh)
{
	for (uint32_t i = 0; i < sh->num_instrs; i++)
		if (sh->instrs[i].opcode == TGSI_OP_BGNLOOP)
			return i;
	ck_abort_msg("no loop");
	return 0;
}

/* The bound tgsi_loop_trip_bound proves for the (first) loop. */
static uint32_t bound(const char *imm1, const char *pre, const char *body, uint32_t cap)
{
	char *text = fs_loop(imm1, pre, body);
	struct tgsi_shader *sh = parse(text);
	uint32_t n = tgsi_loop_trip_bound(sh, first_loop(sh), cap);

	tgsi_shader_destroy(sh);
	free(text);
	return n;
}

/* The exit Mesa emits: counter TEMP[0].x against IMM[1].x. */
#define EXIT_GE(op)                                                                                \
	op " TEMP[2].x, TEMP[0].xxxx, IMM[1].xxxx\n"                                               \
	   "UIF TEMP[2].xxxx :0\n"                                                                 \
	   "BRK\n"                                                                                 \
	   "ENDIF\n"
#define STEP_BY(imm) "UADD TEMP[0].x, TEMP[0].xxxx, " imm "\n"
#define WORK "ADD TEMP[1], TEMP[1], IMM[0].wwww\n"
#define INIT(imm) "MOV TEMP[0].x, " imm "\n"

START_TEST(counted_forms)
{
	/* glmark2's loop scene: step first, then the exit; 0..5 by 1. */
	ck_assert_uint_eq(bound("UINT32 {5, 0, 0, 0}", INIT("IMM[0].xxxx"),
	                        WORK STEP_BY("IMM[0].yyyy") EXIT_GE("ISGE"), NO_CAP),
	                  6);
	/* Exit first (a for loop), the step last. */
	ck_assert_uint_eq(bound("UINT32 {3, 0, 0, 0}", INIT("IMM[0].xxxx"),
	                        EXIT_GE("ISGE") WORK STEP_BY("IMM[0].yyyy"), NO_CAP),
	                  4);
	/* The immediate first in the UADD. */
	ck_assert_uint_eq(bound("UINT32 {3, 0, 0, 0}", INIT("IMM[0].xxxx"),
	                        EXIT_GE("ISGE") "UADD TEMP[0].x, IMM[0].yyyy, TEMP[0].xxxx\n",
	                        NO_CAP),
	                  4);
	/* Unsigned: 10 to 20 by 3 (10, 13, 16, 19, 22). */
	ck_assert_uint_eq(bound("UINT32 {20, 10, 3, 0}", INIT("IMM[1].yyyy"),
	                        EXIT_GE("USGE") STEP_BY("IMM[1].zzzz"), NO_CAP),
	                  5);
	/* Signed from -5 to 5 by 5. */
	ck_assert_uint_eq(bound("INT32 {5, -5, 5, 0}", INIT("IMM[1].yyyy"),
	                        EXIT_GE("ISGE") STEP_BY("IMM[1].zzzz"), NO_CAP),
	                  3);
	/* No MOV before the loop: the register starts at zero. */
	ck_assert_uint_eq(
	    bound("UINT32 {7, 0, 0, 0}", "", EXIT_GE("ISGE") STEP_BY("IMM[0].yyyy"), NO_CAP), 8);
	/* Straight-line code between the MOV and the loop is fine. */
	ck_assert_uint_eq(bound("UINT32 {7, 0, 0, 0}", INIT("IMM[0].yyyy") WORK WORK,
	                        EXIT_GE("ISGE") STEP_BY("IMM[0].yyyy"), NO_CAP),
	                  7);
	/* Already past the limit: one check. */
	ck_assert_uint_eq(bound("UINT32 {2, 0, 0, 0}", INIT("IMM[0].zzzz"),
	                        EXIT_GE("ISGE") STEP_BY("IMM[0].yyyy"), NO_CAP),
	                  1);
	/* Right up to INT32_MAX without wrapping. */
	ck_assert_uint_eq(bound("INT32 {2147483647, 2147483632, 0, 0}", INIT("IMM[1].yyyy"),
	                        EXIT_GE("ISGE") STEP_BY("IMM[0].yyyy"), NO_CAP),
	                  16);
	/* Other work in ifs of the body (with their own BRK) is fine. */
	ck_assert_uint_eq(bound("UINT32 {5, 0, 0, 0}", INIT("IMM[0].xxxx"),
	                        "UIF TEMP[1].xxxx :0\nBRK\nELSE :0\n" WORK "ENDIF\n" EXIT_GE("ISGE")
	                            STEP_BY("IMM[0].yyyy"),
	                        NO_CAP),
	                  6);
	/* The cap. */
	ck_assert_uint_eq(bound("UINT32 {5000, 0, 0, 0}", INIT("IMM[0].xxxx"),
	                        EXIT_GE("ISGE") STEP_BY("IMM[0].yyyy"), 5001),
	                  5001);
	ck_assert_uint_eq(bound("UINT32 {5000, 0, 0, 0}", INIT("IMM[0].xxxx"),
	                        EXIT_GE("ISGE") STEP_BY("IMM[0].yyyy"), 5000),
	                  0);
}
END_TEST

START_TEST(not_counted)
{
	const char *ok_init = INIT("IMM[0].xxxx");
	const char *imm = "UINT32 {5, 0, 0, 0}";

	/* The limit is a uniform. */
	ck_assert_uint_eq(bound(imm, ok_init,
	                        "ISGE TEMP[2].x, TEMP[0].xxxx, CONST[0].xxxx\n"
	                        "UIF TEMP[2].xxxx :0\nBRK\nENDIF\n" STEP_BY("IMM[0].yyyy"),
	                        NO_CAP),
	                  0);
	/* CONT can skip the step. */
	ck_assert_uint_eq(
	    bound(imm, ok_init,
	          EXIT_GE("ISGE") "UIF TEMP[1].xxxx :0\nCONT\nENDIF\n" STEP_BY("IMM[0].yyyy"),
	          NO_CAP),
	    0);
	/* A second write of the counter, or a step only on some iterations. */
	ck_assert_uint_eq(bound(imm, ok_init,
	                        EXIT_GE("ISGE") STEP_BY("IMM[0].yyyy") "MOV TEMP[0].xy, TEMP[1]\n",
	                        NO_CAP),
	                  0);
	ck_assert_uint_eq(
	    bound(imm, ok_init,
	          EXIT_GE("ISGE") "UIF TEMP[1].xxxx :0\n" STEP_BY("IMM[0].yyyy") "ENDIF\n", NO_CAP),
	    0);
	/* No step at all, a zero step, a negative one, a step from a register. */
	ck_assert_uint_eq(bound(imm, ok_init, EXIT_GE("ISGE") WORK, NO_CAP), 0);
	ck_assert_uint_eq(bound(imm, ok_init, EXIT_GE("ISGE") STEP_BY("IMM[0].xxxx"), NO_CAP), 0);
	ck_assert_uint_eq(
	    bound("INT32 {5, -1, 0, 0}", ok_init, EXIT_GE("ISGE") STEP_BY("IMM[1].yyyy"), NO_CAP),
	    0);
	ck_assert_uint_eq(bound(imm, ok_init, EXIT_GE("ISGE") STEP_BY("TEMP[1].xxxx"), NO_CAP), 0);
	/* A step that would wrap past the limit (signed and unsigned). */
	ck_assert_uint_eq(bound("INT32 {2147483647, 2, 0, 0}", ok_init,
	                        EXIT_GE("ISGE") STEP_BY("IMM[1].yyyy"), NO_CAP),
	                  0);
	ck_assert_uint_eq(bound("UINT32 {4294967295, 2, 0, 0}", ok_init,
	                        EXIT_GE("USGE") STEP_BY("IMM[1].yyyy"), NO_CAP),
	                  0);
	/* An initial value that wraps on its first step. */
	ck_assert_uint_eq(bound("INT32 {0, 2147483647, 0, 0}", INIT("IMM[1].yyyy"),
	                        STEP_BY("IMM[0].yyyy") EXIT_GE("ISGE"), NO_CAP),
	                  0);
	/* The initial value comes from a uniform, or past control flow. */
	ck_assert_uint_eq(bound(imm, "MOV TEMP[0].x, CONST[0].xxxx\n",
	                        EXIT_GE("ISGE") STEP_BY("IMM[0].yyyy"), NO_CAP),
	                  0);
	ck_assert_uint_eq(bound(imm, INIT("IMM[0].xxxx") "UIF TEMP[1].xxxx :0\nENDIF\n",
	                        EXIT_GE("ISGE") STEP_BY("IMM[0].yyyy"), NO_CAP),
	                  0);
	/* An indirect write in the body could reach any temporary array. */
	ck_assert_uint_eq(bound(imm, ok_init,
	                        EXIT_GE("ISGE")
	                            STEP_BY("IMM[0].yyyy") "UARL ADDR[0].x, TEMP[1].xxxx\n"
	                                                   "MOV TEMP[ADDR[0].x+5](1), "
	                                                   "TEMP[1]\n",
	                        NO_CAP),
	                  0);
	/* The exit is not exactly UIF, BRK, ENDIF; or UIF tests another channel;
	 * or the counter is negated; or the comparison is another one. */
	ck_assert_uint_eq(bound(imm, ok_init,
	                        "ISGE TEMP[2].x, TEMP[0].xxxx, IMM[1].xxxx\n"
	                        "UIF TEMP[2].xxxx :0\n" WORK "BRK\nENDIF\n" STEP_BY("IMM[0].yyyy"),
	                        NO_CAP),
	                  0);
	ck_assert_uint_eq(bound(imm, ok_init,
	                        "ISGE TEMP[2].x, TEMP[0].xxxx, IMM[1].xxxx\n"
	                        "UIF TEMP[2].yyyy :0\nBRK\nENDIF\n" STEP_BY("IMM[0].yyyy"),
	                        NO_CAP),
	                  0);
	ck_assert_uint_eq(bound(imm, ok_init,
	                        "ISGE TEMP[2].x, -TEMP[0].xxxx, IMM[1].xxxx\n"
	                        "UIF TEMP[2].xxxx :0\nBRK\nENDIF\n" STEP_BY("IMM[0].yyyy"),
	                        NO_CAP),
	                  0);
	ck_assert_uint_eq(bound(imm, ok_init, EXIT_GE("USNE") STEP_BY("IMM[0].yyyy"), NO_CAP), 0);
}
END_TEST

/* An outer loop around another is never counted; the inner one can be. */
START_TEST(nested)
{
	char *text = fs_loop("UINT32 {5, 0, 0, 0}", INIT("IMM[0].xxxx"),
	                     EXIT_GE("ISGE") STEP_BY("IMM[0].yyyy") "MOV TEMP[3].x, IMM[0].xxxx\n"
	                                                            "BGNLOOP :0\n"
	                                                            "ISGE TEMP[4].x, TEMP[3].xxxx, "
	                                                            "IMM[0].zzzz\n"
	                                                            "UIF TEMP[4].xxxx :0\nBRK\n"
	                                                            "ENDIF\n"
	                                                            "UADD TEMP[3].x, TEMP[3].xxxx, "
	                                                            "IMM[0].yyyy\n"
	                                                            "ENDLOOP :0\n");
	struct tgsi_shader *sh = parse(text);
	uint32_t outer = first_loop(sh), inner = outer + 1;

	while (sh->instrs[inner].opcode != TGSI_OP_BGNLOOP)
		inner++;
	ck_assert_uint_eq(tgsi_loop_trip_bound(sh, outer, NO_CAP), 0);
	ck_assert_uint_eq(tgsi_loop_trip_bound(sh, inner, NO_CAP), 6);
	/* Not a loop, out of range. */
	ck_assert_uint_eq(tgsi_loop_trip_bound(sh, 0, NO_CAP), 0);
	ck_assert_uint_eq(tgsi_loop_trip_bound(sh, sh->num_instrs, NO_CAP), 0);
	tgsi_shader_destroy(sh);
	free(text);
}
END_TEST

/* With a budget: counted loops go without it, the others keep it, and the
 * counter is declared only when some loop uses it. */
START_TEST(emitted_budget)
{
	struct glsl_emit_options o;
	char *counted = fs_loop("UINT32 {5, 0, 0, 0}", INIT("IMM[0].xxxx"),
	                        EXIT_GE("ISGE") STEP_BY("IMM[0].yyyy"));
	char *open = fs_loop("UINT32 {5, 0, 0, 0}", INIT("IMM[0].xxxx"),
	                     EXIT_GE("ISGE") STEP_BY("IMM[0].xxxx"));
	char *glsl = NULL, err[256];
	struct tgsi_shader *sh;

	glsl_emit_options_default(&o);
	o.loop_budget = 777;
	sh = parse(counted);
	ck_assert_int_eq(glsl_emit(sh, &o, &glsl, NULL, err, sizeof(err)), 0);
	ck_assert_msg(!strstr(glsl, "vn_loop_budget"), "%s", glsl);
	ck_assert_msg(strstr(glsl, "while (true) {"), "%s", glsl);
	free(glsl);
	tgsi_shader_destroy(sh);

	sh = parse(open);
	ck_assert_int_eq(glsl_emit(sh, &o, &glsl, NULL, err, sizeof(err)), 0);
	ck_assert_msg(strstr(glsl, "uint vn_loop_budget = 777u;"), "%s", glsl);
	ck_assert_msg(strstr(glsl, "if (vn_loop_budget == 0u) break;"), "%s", glsl);
	free(glsl);
	tgsi_shader_destroy(sh);
	free(counted);
	free(open);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tgsi_loop");
	TCase *tc = tcase_create("loop");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, counted_forms);
	tcase_add_test(tc, not_counted);
	tcase_add_test(tc, nested);
	tcase_add_test(tc, emitted_budget);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
