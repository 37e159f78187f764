/* SPDX-License-Identifier: MIT */
/*
 * TGSI opcodes on the live host GL: one instruction per fragment shader with
 * constants in and an RGBA32UI target out, compared bit for bit with results
 * computed independently (TGSI rules where GLSL leaves things undefined); and
 * every ALU opcode of the table and every texture form compile at GLSL 4.50,
 * 4.00 and 3.30.
 */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "test_tgsi_gl.h"

/* ---- exact results: one instruction, constants in, RGBA32UI out ---- */

struct calc_case {
	const char *instr; /* writes TEMP[0] from CONST[0..3] */
	int tolerant;      /* approximate transcendental: compare as floats */
	uint32_t src[4][4];
	uint32_t want[4];
};

/* Expected values computed independently (tests/vrend: Python struct/IEEE);
 * integer division by zero, INT_MIN / -1, shifts past 31, bitfields of width
 * 0 or past bit 31 follow TGSI (D3D10) rules. */
/* clang-format off */
static const struct calc_case calc_cases[] = {
	{"UDIV TEMP[0], CONST[0], CONST[1]", 0, {{0x00000007u, 0x00000007u, 0xffffffffu, 0x00000005u}, {0x00000002u, 0x00000000u, 0x00000001u, 0x00000007u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000003u, 0xffffffffu, 0xffffffffu, 0x00000000u}},
	{"UMOD TEMP[0], CONST[0], CONST[1]", 0, {{0x00000007u, 0x00000007u, 0x00000009u, 0x00000005u}, {0x00000002u, 0x00000000u, 0x00000004u, 0x00000007u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000001u, 0xffffffffu, 0x00000001u, 0x00000005u}},
	{"IDIV TEMP[0], CONST[0], CONST[1]", 0, {{0x00000007u, 0xfffffff9u, 0x80000000u, 0x00000005u}, {0x00000002u, 0x00000002u, 0xffffffffu, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000003u, 0xfffffffdu, 0x80000000u, 0xffffffffu}},
	{"MOD TEMP[0], CONST[0], CONST[1]", 0, {{0x00000007u, 0xfffffff9u, 0x00000007u, 0x00000005u}, {0x00000003u, 0x00000003u, 0xfffffffdu, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000001u, 0xffffffffu, 0x00000001u, 0xffffffffu}},
	{"SHL TEMP[0], CONST[0], CONST[1]", 0, {{0x00000001u, 0x00000001u, 0x00000001u, 0x00000003u}, {0x00000004u, 0x0000001fu, 0x00000020u, 0x00000021u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000010u, 0x80000000u, 0x00000001u, 0x00000006u}},
	{"USHR TEMP[0], CONST[0], CONST[1]", 0, {{0x80000000u, 0x80000000u, 0x80000000u, 0x80000000u}, {0x0000001fu, 0x00000020u, 0x00000001u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000001u, 0x80000000u, 0x40000000u, 0x80000000u}},
	{"ISHR TEMP[0], CONST[0], CONST[1]", 0, {{0x80000000u, 0x80000000u, 0x00000010u, 0xfffffff0u}, {0x0000001fu, 0x00000001u, 0x00000002u, 0x00000002u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0xc0000000u, 0x00000004u, 0xfffffffcu}},
	{"IMUL_HI TEMP[0], CONST[0], CONST[1]", 0, {{0x7fffffffu, 0xfffffffeu, 0x00000003u, 0x00010000u}, {0x00000002u, 0x00000003u, 0x00000004u, 0x00010000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0xffffffffu, 0x00000000u, 0x00000001u}},
	{"UMUL_HI TEMP[0], CONST[0], CONST[1]", 0, {{0xffffffffu, 0x00010000u, 0x00000002u, 0x80000000u}, {0xffffffffu, 0x00010000u, 0x00000003u, 0x00000002u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xfffffffeu, 0x00000001u, 0x00000000u, 0x00000001u}},
	{"IBFE TEMP[0], CONST[0], CONST[1], CONST[2]", 0, {{0x000000f0u, 0x000000f0u, 0x000000f0u, 0x80000000u}, {0x00000004u, 0x00000004u, 0x00000004u, 0x0000001cu}, {0x00000004u, 0x00000005u, 0x00000000u, 0x00000008u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0x0000000fu, 0x00000000u, 0xfffffff8u}},
	{"UBFE TEMP[0], CONST[0], CONST[1], CONST[2]", 0, {{0x000000f0u, 0x000000f0u, 0x000000f0u, 0x80000000u}, {0x00000004u, 0x00000004u, 0x00000004u, 0x0000001cu}, {0x00000004u, 0x00000005u, 0x00000000u, 0x00000008u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x0000000fu, 0x0000000fu, 0x00000000u, 0x00000008u}},
	{"BFI TEMP[0], CONST[0], CONST[1], CONST[2], CONST[3]", 0, {{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000004u, 0x00000004u, 0x0000001cu, 0x00000000u}, {0x00000004u, 0x00000000u, 0x00000008u, 0x0000001fu}}, {0xffffff0fu, 0xffffffffu, 0x0fffffffu, 0x80000000u}},
	{"UADD TEMP[0], CONST[0], CONST[1]", 0, {{0xffffffffu, 0x00000005u, 0x00000001u, 0x00000002u}, {0x00000001u, 0xfffffffdu, 0x00000002u, 0x00000003u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0x00000002u, 0x00000003u, 0x00000005u}},
	{"UMUL TEMP[0], CONST[0], CONST[1]", 0, {{0x00010000u, 0x00000003u, 0xffffffffu, 0x00000007u}, {0x00010000u, 0x00000005u, 0xffffffffu, 0x00000006u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0x0000000fu, 0x00000001u, 0x0000002au}},
	{"UMAD TEMP[0], CONST[0], CONST[1], CONST[2]", 0, {{0x00000002u, 0x00000003u, 0x00000004u, 0x00000005u}, {0x00000003u, 0x00000003u, 0x00000003u, 0x00000003u}, {0x00000001u, 0x00000001u, 0x00000001u, 0xfffffff1u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000007u, 0x0000000au, 0x0000000du, 0x00000000u}},
	{"AND TEMP[0], CONST[0], CONST[1]", 0, {{0xff00ff00u, 0x0000000fu, 0x00000000u, 0xffffffffu}, {0x0ff00ff0u, 0x00000003u, 0xffffffffu, 0x12345678u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x0f000f00u, 0x00000003u, 0x00000000u, 0x12345678u}},
	{"OR TEMP[0], CONST[0], CONST[1]", 0, {{0xff00ff00u, 0x0000000fu, 0x00000000u, 0x00000001u}, {0x0ff00ff0u, 0x00000030u, 0x00000000u, 0x00000002u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xfff0fff0u, 0x0000003fu, 0x00000000u, 0x00000003u}},
	{"XOR TEMP[0], CONST[0], CONST[1]", 0, {{0xff00ff00u, 0x0000000fu, 0x00000005u, 0x00000001u}, {0x0ff00ff0u, 0x0000000fu, 0x00000003u, 0x00000001u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xf0f0f0f0u, 0x00000000u, 0x00000006u, 0x00000000u}},
	{"NOT TEMP[0], CONST[0]", 0, {{0x00000000u, 0xffffffffu, 0x0f0f0f0fu, 0x00000001u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0x00000000u, 0xf0f0f0f0u, 0xfffffffeu}},
	{"INEG TEMP[0], CONST[0]", 0, {{0x00000001u, 0xfffffffbu, 0x80000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0x00000005u, 0x80000000u, 0x00000000u}},
	{"IABS TEMP[0], CONST[0]", 0, {{0xffffffffu, 0x00000005u, 0x80000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000001u, 0x00000005u, 0x80000000u, 0x00000000u}},
	{"ISSG TEMP[0], CONST[0]", 0, {{0xfffffff9u, 0x00000005u, 0x00000000u, 0x80000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0x00000001u, 0x00000000u, 0xffffffffu}},
	{"IMIN TEMP[0], CONST[0], CONST[1]", 0, {{0xffffffffu, 0x00000005u, 0x80000000u, 0x00000000u}, {0x00000001u, 0xfffffffbu, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0xfffffffbu, 0x80000000u, 0x00000000u}},
	{"IMAX TEMP[0], CONST[0], CONST[1]", 0, {{0xffffffffu, 0x00000005u, 0x80000000u, 0x00000000u}, {0x00000001u, 0xfffffffbu, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000001u, 0x00000005u, 0x00000000u, 0x00000000u}},
	{"UMIN TEMP[0], CONST[0], CONST[1]", 0, {{0xffffffffu, 0x00000005u, 0x80000000u, 0x00000000u}, {0x00000001u, 0x00000007u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000001u, 0x00000005u, 0x00000000u, 0x00000000u}},
	{"UMAX TEMP[0], CONST[0], CONST[1]", 0, {{0xffffffffu, 0x00000005u, 0x80000000u, 0x00000000u}, {0x00000001u, 0x00000007u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0x00000007u, 0x80000000u, 0x00000000u}},
	{"USEQ TEMP[0], CONST[0], CONST[1]", 0, {{0x00000001u, 0x00000002u, 0x00000003u, 0x00000004u}, {0x00000001u, 0x00000003u, 0x00000003u, 0x00000005u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0x00000000u, 0xffffffffu, 0x00000000u}},
	{"USNE TEMP[0], CONST[0], CONST[1]", 0, {{0x00000001u, 0x00000002u, 0x00000003u, 0x00000004u}, {0x00000001u, 0x00000003u, 0x00000003u, 0x00000005u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0xffffffffu, 0x00000000u, 0xffffffffu}},
	{"USGE TEMP[0], CONST[0], CONST[1]", 0, {{0x00000001u, 0x00000002u, 0xffffffffu, 0x00000004u}, {0x00000001u, 0x00000003u, 0x00000003u, 0x00000005u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0x00000000u, 0xffffffffu, 0x00000000u}},
	{"USLT TEMP[0], CONST[0], CONST[1]", 0, {{0x00000001u, 0x00000002u, 0xffffffffu, 0x00000004u}, {0x00000001u, 0x00000003u, 0x00000003u, 0x00000005u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0xffffffffu, 0x00000000u, 0xffffffffu}},
	{"ISGE TEMP[0], CONST[0], CONST[1]", 0, {{0x00000001u, 0x00000002u, 0xffffffffu, 0x00000004u}, {0x00000001u, 0x00000003u, 0x00000003u, 0x00000005u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0x00000000u, 0x00000000u, 0x00000000u}},
	{"ISLT TEMP[0], CONST[0], CONST[1]", 0, {{0x00000001u, 0x00000002u, 0xffffffffu, 0x00000004u}, {0x00000001u, 0x00000003u, 0x00000003u, 0x00000005u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0xffffffffu, 0xffffffffu, 0xffffffffu}},
	{"UCMP TEMP[0], CONST[0], CONST[1], CONST[2]", 0, {{0x00000000u, 0x00000001u, 0xffffffffu, 0x00000000u}, {0x7f800001u, 0x00000002u, 0x00000003u, 0x00000004u}, {0x00000005u, 0x00000006u, 0x00000007u, 0xffc00000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000005u, 0x00000002u, 0x00000003u, 0xffc00000u}},
	{"MOV TEMP[0], CONST[0]", 0, {{0x7f800001u, 0xffffffffu, 0x80000000u, 0x7fc00000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x7f800001u, 0xffffffffu, 0x80000000u, 0x7fc00000u}},
	{"MOV TEMP[0].yw, CONST[0].wzyx", 0, {{0x00000001u, 0x00000002u, 0x00000003u, 0x00000004u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0x00000003u, 0x00000000u, 0x00000001u}},
	{"MOV TEMP[0], -|CONST[0]|", 0, {{0x3fc00000u, 0xc0000000u, 0x00000000u, 0xbf000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xbfc00000u, 0xc0000000u, 0x80000000u, 0xbf000000u}},
	{"MOV_SAT TEMP[0], -CONST[0]", 0, {{0x3fc00000u, 0xc0000000u, 0xbe800000u, 0x3f000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0x3f800000u, 0x3e800000u, 0x00000000u}},
	{"UADD TEMP[0], CONST[0], -CONST[1]", 0, {{0x0000000au, 0x00000000u, 0x00000005u, 0x00000007u}, {0x00000003u, 0x00000001u, 0x00000005u, 0xffffffffu}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000007u, 0xffffffffu, 0x00000000u, 0x00000008u}},
	{"POPC TEMP[0], CONST[0]", 0, {{0x00000000u, 0xffffffffu, 0x000000f0u, 0x00000001u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0x00000020u, 0x00000004u, 0x00000001u}},
	{"LSB TEMP[0], CONST[0]", 0, {{0x00000000u, 0x80000000u, 0x000000f0u, 0x00000001u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0x0000001fu, 0x00000004u, 0x00000000u}},
	{"UMSB TEMP[0], CONST[0]", 0, {{0x00000000u, 0x80000000u, 0x000000f0u, 0x00000001u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0x0000001fu, 0x00000007u, 0x00000000u}},
	{"IMSB TEMP[0], CONST[0]", 0, {{0x00000000u, 0xffffffffu, 0x000000f0u, 0xfffffffeu}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0xffffffffu, 0x00000007u, 0x00000000u}},
	{"BREV TEMP[0], CONST[0]", 0, {{0x00000001u, 0x80000000u, 0x000000f0u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x80000000u, 0x00000001u, 0x0f000000u, 0x00000000u}},
	{"F2I TEMP[0], CONST[0]", 0, {{0xbfc00000u, 0x402ccccdu, 0x42c80000u, 0x80000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0x00000002u, 0x00000064u, 0x00000000u}},
	{"F2U TEMP[0], CONST[0]", 0, {{0x3fc00000u, 0x4079999au, 0x00000000u, 0x42c80000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000001u, 0x00000003u, 0x00000000u, 0x00000064u}},
	{"U2F TEMP[0], CONST[0]", 0, {{0x00000000u, 0x00000001u, 0x80000000u, 0x00000003u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0x3f800000u, 0x4f000000u, 0x40400000u}},
	{"I2F TEMP[0], CONST[0]", 0, {{0xffffffffu, 0x00000002u, 0x80000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xbf800000u, 0x40000000u, 0xcf000000u, 0x00000000u}},
	{"FSLT TEMP[0], CONST[0], CONST[1]", 0, {{0x3f800000u, 0x40000000u, 0x80000000u, 0xbf800000u}, {0x40000000u, 0x3f800000u, 0x00000000u, 0xbf000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0x00000000u, 0x00000000u, 0xffffffffu}},
	{"FSGE TEMP[0], CONST[0], CONST[1]", 0, {{0x3f800000u, 0x40000000u, 0x80000000u, 0xbf800000u}, {0x40000000u, 0x3f800000u, 0x00000000u, 0xbf000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0xffffffffu, 0xffffffffu, 0x00000000u}},
	{"FSEQ TEMP[0], CONST[0], CONST[1]", 0, {{0x3f800000u, 0x40000000u, 0x80000000u, 0xbf800000u}, {0x40000000u, 0x3f800000u, 0x00000000u, 0xbf000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0x00000000u, 0xffffffffu, 0x00000000u}},
	{"FSNE TEMP[0], CONST[0], CONST[1]", 0, {{0x3f800000u, 0x40000000u, 0x80000000u, 0xbf800000u}, {0x40000000u, 0x3f800000u, 0x00000000u, 0xbf000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xffffffffu, 0xffffffffu, 0x00000000u, 0xffffffffu}},
	{"SLT TEMP[0], CONST[0], CONST[1]", 0, {{0x3f800000u, 0x40000000u, 0x80000000u, 0xbf800000u}, {0x40000000u, 0x3f800000u, 0x00000000u, 0xbf000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x3f800000u, 0x00000000u, 0x00000000u, 0x3f800000u}},
	{"SGE TEMP[0], CONST[0], CONST[1]", 0, {{0x3f800000u, 0x40000000u, 0x80000000u, 0xbf800000u}, {0x40000000u, 0x3f800000u, 0x00000000u, 0xbf000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0x3f800000u, 0x3f800000u, 0x00000000u}},
	{"SEQ TEMP[0], CONST[0], CONST[1]", 0, {{0x3f800000u, 0x40000000u, 0x80000000u, 0xbf800000u}, {0x40000000u, 0x3f800000u, 0x00000000u, 0xbf000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0x00000000u, 0x3f800000u, 0x00000000u}},
	{"SNE TEMP[0], CONST[0], CONST[1]", 0, {{0x3f800000u, 0x40000000u, 0x80000000u, 0xbf800000u}, {0x40000000u, 0x3f800000u, 0x00000000u, 0xbf000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x3f800000u, 0x3f800000u, 0x00000000u, 0x3f800000u}},
	{"ADD TEMP[0], CONST[0], CONST[1]", 0, {{0x3fc00000u, 0x40100000u, 0xbf800000u, 0x3f000000u}, {0x40100000u, 0x3fc00000u, 0x3f800000u, 0x3e800000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x40700000u, 0x40700000u, 0x00000000u, 0x3f400000u}},
	{"MUL TEMP[0], CONST[0], CONST[1]", 0, {{0x3fc00000u, 0x40100000u, 0xbf800000u, 0x3f000000u}, {0x40000000u, 0x40800000u, 0x40400000u, 0x3f000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x40400000u, 0x41100000u, 0xc0400000u, 0x3e800000u}},
	{"MAD TEMP[0], CONST[0], CONST[1], CONST[2]", 0, {{0x3fc00000u, 0x40000000u, 0xbf800000u, 0x3f000000u}, {0x40000000u, 0x40800000u, 0x40400000u, 0x3f000000u}, {0x3f800000u, 0x3f800000u, 0x3f800000u, 0x3f800000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x40800000u, 0x41100000u, 0xc0000000u, 0x3fa00000u}},
	{"DP2 TEMP[0], CONST[0], CONST[1]", 0, {{0x3f800000u, 0x40000000u, 0x40400000u, 0x40800000u}, {0x40a00000u, 0x40c00000u, 0x40e00000u, 0x41000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x41880000u, 0x41880000u, 0x41880000u, 0x41880000u}},
	{"DP3 TEMP[0], CONST[0], CONST[1]", 0, {{0x3f800000u, 0x40000000u, 0x40400000u, 0x40800000u}, {0x40a00000u, 0x40c00000u, 0x40e00000u, 0x41000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x42180000u, 0x42180000u, 0x42180000u, 0x42180000u}},
	{"DP4 TEMP[0], CONST[0], CONST[1]", 0, {{0x3f800000u, 0x40000000u, 0x40400000u, 0x40800000u}, {0x40a00000u, 0x40c00000u, 0x40e00000u, 0x41000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x428c0000u, 0x428c0000u, 0x428c0000u, 0x428c0000u}},
	{"DIV TEMP[0], CONST[0], CONST[1]", 0, {{0x3f800000u, 0x40400000u, 0xbf800000u, 0x00000000u}, {0x40800000u, 0x40000000u, 0x41000000u, 0x3f800000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x3e800000u, 0x3fc00000u, 0xbe000000u, 0x00000000u}},
	{"MIN TEMP[0], CONST[0], CONST[1]", 0, {{0x3f800000u, 0x40400000u, 0xbf800000u, 0x00000000u}, {0x40800000u, 0x40000000u, 0x41000000u, 0xbf000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x3f800000u, 0x40000000u, 0xbf800000u, 0xbf000000u}},
	{"MAX TEMP[0], CONST[0], CONST[1]", 0, {{0x3f800000u, 0x40400000u, 0xbf800000u, 0x00000000u}, {0x40800000u, 0x40000000u, 0x41000000u, 0xbf000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x40800000u, 0x40400000u, 0x41000000u, 0x00000000u}},
	{"CMP TEMP[0], CONST[0], CONST[1], CONST[2]", 0, {{0xbf800000u, 0x00000000u, 0x3f800000u, 0xbf000000u}, {0x3f800000u, 0x40000000u, 0x40400000u, 0x40800000u}, {0x40a00000u, 0x40c00000u, 0x40e00000u, 0x41000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x3f800000u, 0x40c00000u, 0x40e00000u, 0x40800000u}},
	{"LRP TEMP[0], CONST[0], CONST[1], CONST[2]", 0, {{0x00000000u, 0x3f800000u, 0x3f000000u, 0x3e800000u}, {0x40800000u, 0x40800000u, 0x40800000u, 0x40800000u}, {0x41000000u, 0x41000000u, 0x41000000u, 0x41000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x41000000u, 0x40800000u, 0x40c00000u, 0x40e00000u}},
	{"FRC TEMP[0], CONST[0]", 0, {{0x3fa00000u, 0xbfa00000u, 0x40400000u, 0x3f000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x3e800000u, 0x3f400000u, 0x00000000u, 0x3f000000u}},
	{"FLR TEMP[0], CONST[0]", 0, {{0x3fa00000u, 0xbfa00000u, 0x40400000u, 0x3f000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x3f800000u, 0xc0000000u, 0x40400000u, 0x00000000u}},
	{"CEIL TEMP[0], CONST[0]", 0, {{0x3fa00000u, 0xbfa00000u, 0x40400000u, 0x3f000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x40000000u, 0xbf800000u, 0x40400000u, 0x3f800000u}},
	{"ROUND TEMP[0], CONST[0]", 0, {{0x40200000u, 0xbfc00000u, 0x40600000u, 0x3e800000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x40000000u, 0xc0000000u, 0x40800000u, 0x00000000u}},
	{"TRUNC TEMP[0], CONST[0]", 0, {{0x3fe00000u, 0xbfe00000u, 0x40400000u, 0x3f000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x3f800000u, 0xbf800000u, 0x40400000u, 0x00000000u}},
	{"SSG TEMP[0], CONST[0]", 0, {{0xc0400000u, 0x00000000u, 0x40000000u, 0x40a00000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0xbf800000u, 0x00000000u, 0x3f800000u, 0x3f800000u}},
	{"RCP TEMP[0], CONST[0].yxxx", 1, {{0x40800000u, 0x40000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x3f000000u, 0x3f000000u, 0x3f000000u, 0x3f000000u}},
	{"RSQ TEMP[0], CONST[0].xxxx", 1, {{0x40800000u, 0x40000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x3f000000u, 0x3f000000u, 0x3f000000u, 0x3f000000u}},
	{"SQRT TEMP[0].xy, CONST[0].wwww", 1, {{0x40800000u, 0x40000000u, 0x00000000u, 0x41800000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x40800000u, 0x40800000u, 0x00000000u, 0x00000000u}},
	{"EX2 TEMP[0], CONST[0].zzzz", 1, {{0x40800000u, 0x40000000u, 0x40400000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x41000000u, 0x41000000u, 0x41000000u, 0x41000000u}},
	{"LG2 TEMP[0], CONST[0].xxxx", 1, {{0x41000000u, 0x40000000u, 0x40400000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x40400000u, 0x40400000u, 0x40400000u, 0x40400000u}},
	{"POW TEMP[0], CONST[0].xxxx, CONST[1].yyyy", 1, {{0x40000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x41200000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x44800000u, 0x44800000u, 0x44800000u, 0x44800000u}},
	{"SIN TEMP[0], CONST[0].xxxx", 1, {{0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}},
	{"COS TEMP[0], CONST[0].xxxx", 1, {{0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x3f800000u, 0x3f800000u, 0x3f800000u, 0x3f800000u}},
	{"PK2H TEMP[0], CONST[0]", 0, {{0x3f800000u, 0x40000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x40003c00u, 0x40003c00u, 0x40003c00u, 0x40003c00u}},
	{"UP2H TEMP[0], CONST[0]", 0, {{0x40003c00u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x3f800000u, 0x40000000u, 0x3f800000u, 0x40000000u}},
	{"FMA TEMP[0], CONST[0], CONST[1], CONST[2]", 0, {{0x3fc00000u, 0x40000000u, 0xbf800000u, 0x3f000000u}, {0x40000000u, 0x40800000u, 0x40400000u, 0x3f000000u}, {0x3f800000u, 0x3f800000u, 0x3f800000u, 0x3f800000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x40800000u, 0x41100000u, 0xc0000000u, 0x3fa00000u}},
	{"LDEXP TEMP[0], CONST[0], CONST[1]", 0, {{0x3fc00000u, 0x3f800000u, 0xbf800000u, 0x40400000u}, {0x00000002u, 0xffffffffu, 0x00000003u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}, {0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {0x40c00000u, 0x3f000000u, 0xc1000000u, 0x40400000u}},
};
/* clang-format on */

static bool close_enough(uint32_t got, uint32_t want)
{
	float g, w;

	memcpy(&g, &got, 4);
	memcpy(&w, &want, 4);
	return fabsf(g - w) <= 1e-5f * fabsf(w) + 1e-6f;
}

START_TEST(calculator_exact)
{
	static const uint32_t versions[] = {450, 330};
	struct glsl_emit_options o;
	struct target t;
	unsigned ran = 0;

	target_init_fmt(&t, GL_RGBA32UI, black, fullscreen);
	glsl_emit_options_default(&o);
	o.cbuf_uint_mask = 1;
	for (size_t v = 0; v < 2; v++) {
		struct tgsi_shader *vs = parse(tgsi_vs_pass);
		char *vs_glsl;

		o.glsl_version = versions[v];
		vs_glsl = emit(vs, &o);
		for (size_t i = 0; i < sizeof(calc_cases) / sizeof(calc_cases[0]); i++) {
			const struct calc_case *cc = &calc_cases[i];
			struct tgsi_shader *fs;
			char text[512], *fs_glsl;
			uint32_t got[4] = {0};
			const GLuint zero[4] = {0};
			GLuint prog;

			snprintf(text, sizeof(text),
			         "FRAG\nDCL OUT[0], COLOR\nDCL CONST[0..3]\nDCL TEMP[0]\n"
			         "  0: %s\n  1: MOV OUT[0], TEMP[0]\n  2: END\n",
			         cc->instr);
			fs = parse(text);
			if (tgsi_opcode_infos[fs->instrs[0].opcode].glsl_version > versions[v]) {
				tgsi_shader_destroy(fs);
				continue;
			}
			fs_glsl = emit(fs, &o);
			prog = link(compile(GL_VERTEX_SHADER, vs_glsl),
			            compile(GL_FRAGMENT_SHADER, fs_glsl));
			glUseProgram(prog);
			set_consts(prog, "fsconst0", cc->src, 4);
			glClearBufferuiv(GL_COLOR, 0, zero);
			glDrawArrays(GL_TRIANGLES, 0, 3);
			glReadPixels(2, 2, 1, 1, GL_RGBA_INTEGER, GL_UNSIGNED_INT, got);
			ck_assert_uint_eq(glGetError(), GL_NO_ERROR);
			for (int k = 0; k < 4; k++)
				ck_assert_msg(
				    got[k] == cc->want[k] ||
				        (cc->tolerant && close_enough(got[k], cc->want[k])),
				    "GLSL %u: %s: component %d = 0x%08x, want 0x%08x", versions[v],
				    cc->instr, k, got[k], cc->want[k]);
			glDeleteProgram(prog);
			free(fs_glsl);
			tgsi_shader_destroy(fs);
			ran++;
		}
		free(vs_glsl);
		tgsi_shader_destroy(vs);
	}
	ck_assert_uint_gt(ran, 140);
	target_fini(&t);
}
END_TEST

/* ---- every texture form compiles ---- */

struct tex_line {
	uint32_t glsl;
	const char *text;
};

static const struct tex_line tex_lines[] = {
    {330, "DCL SVIEW[0], 2D, FLOAT"},
    {330, "DCL SVIEW[1], SHADOW2D, FLOAT"},
    {330, "DCL SVIEW[2], 2D_ARRAY, FLOAT"},
    {330, "DCL SVIEW[3], CUBE, FLOAT"},
    {330, "DCL SVIEW[4], 3D, FLOAT"},
    {330, "DCL SVIEW[5], RECT, FLOAT"},
    {330, "DCL SVIEW[6], BUFFER, FLOAT"},
    {330, "DCL SVIEW[7], 2D_MSAA, FLOAT"},
    {330, "DCL SVIEW[8], SHADOWCUBE, FLOAT"},
    {400, "DCL SVIEW[9], CUBEARRAY, FLOAT"},
    {400, "DCL SVIEW[10], SHADOWCUBEARRAY, FLOAT"},
    {330, "DCL SVIEW[11], 1D_ARRAY, FLOAT"},
    {330, "DCL SVIEW[12], SHADOW2D_ARRAY, FLOAT"},
    {330, "DCL SVIEW[13], 2D, SINT"},
    {330, "DCL SVIEW[14], 2D, UINT"},
    {330, "DCL SVIEW[15], SHADOW1D, FLOAT"},
    {330, "DCL TEMP[0..2]"},
    {330, "IMM[0] INT32 {1, -1, 0, 2}"},
    {330, "TEX TEMP[0], IN[0], SAMP[0], 2D"},
    {330, "TXB TEMP[0], IN[0], SAMP[0], 2D"},
    {330, "TXL TEMP[0], IN[0], SAMP[0], 2D"},
    {330, "TXP TEMP[0], IN[0], SAMP[0], 2D"},
    {330, "TXD TEMP[0], IN[0], IN[0], IN[0], SAMP[0], 2D"},
    {330, "TXF TEMP[0], TEMP[1], SAMP[0], 2D"},
    {330, "TXQ TEMP[0], IMM[0].zzzz, SAMP[0], 2D"},
    {400, "TG4 TEMP[0], IN[0], IMM[0].wwww, SAMP[0], 2D"},
    {400, "LODQ TEMP[0], IN[0], SAMP[0], 2D"},
    {330, "TEX TEMP[0], IN[0], SAMP[0], 2D, IMM[0].xyz"},
    {330, "TXF TEMP[0], TEMP[1], SAMP[0], 2D, IMM[0].xyz"},
    {330, "TXB TEMP[0], IN[0], SAMP[0], 2D, IMM[0].xyz"},
    {330, "TXL TEMP[0], IN[0], SAMP[0], 2D, IMM[0].xyz"},
    {330, "TXD TEMP[0], IN[0], IN[0], IN[0], SAMP[0], 2D, IMM[0].xyz"},
    {400, "TG4 TEMP[0], IN[0], IMM[0].wwww, SAMP[0], 2D, IMM[0].xyz"},
    {330, "TEX_LZ TEMP[0], IN[0], SAMP[0], 2D"},
    {330, "TXF_LZ TEMP[0], TEMP[1], SAMP[0], 2D"},
    {330, "TEX TEMP[0].x, IN[0], SAMP[1], SHADOW2D"},
    {330, "TXL TEMP[0], IN[0], SAMP[1], SHADOW2D"},
    {330, "TXP TEMP[0], IN[0], SAMP[1], SHADOW2D"},
    {330, "TEX TEMP[0], IN[0], SAMP[2], 2D_ARRAY"},
    {330, "TXL TEMP[0], IN[0], SAMP[2], 2D_ARRAY"},
    {330, "TXF TEMP[0], TEMP[1], SAMP[2], 2D_ARRAY"},
    {330, "TXQ TEMP[0], IMM[0].zzzz, SAMP[2], 2D_ARRAY"},
    {330, "TEX TEMP[0], IN[0], SAMP[3], CUBE"},
    {330, "TXB TEMP[0], IN[0], SAMP[3], CUBE"},
    {330, "TXL TEMP[0], IN[0], SAMP[3], CUBE"},
    {330, "TXQ TEMP[0], IMM[0].zzzz, SAMP[3], CUBE"},
    {330, "TEX TEMP[0], IN[0], SAMP[4], 3D"},
    {330, "TXF TEMP[0], TEMP[1], SAMP[4], 3D"},
    {330, "TEX TEMP[0], IN[0], SAMP[5], RECT"},
    {330, "TXF TEMP[0], TEMP[1], SAMP[5], RECT"},
    {330, "TXQ TEMP[0], IMM[0].zzzz, SAMP[5], RECT"},
    {330, "TXF TEMP[0], TEMP[1], SAMP[6], BUFFER"},
    {330, "TXQ TEMP[0], IMM[0].zzzz, SAMP[6], BUFFER"},
    {330, "TXF TEMP[0], TEMP[1], SAMP[7], 2D_MSAA"},
    {330, "TXQ TEMP[0], IMM[0].zzzz, SAMP[7], 2D_MSAA"},
    {450, "TXQS TEMP[0], SAMP[7], 2D_MSAA"},
    {330, "TEX TEMP[0], IN[0], SAMP[8], SHADOWCUBE"},
    {400, "TEX TEMP[0], IN[0], SAMP[9], CUBEARRAY"},
    {400, "TXB2 TEMP[0], IN[0], IN[0], SAMP[9], CUBEARRAY"},
    {400, "TXL2 TEMP[0], IN[0], IN[0], SAMP[9], CUBEARRAY"},
    {400, "TEX2 TEMP[0], IN[0], IN[0], SAMP[10], SHADOWCUBEARRAY"},
    {330, "TEX TEMP[0], IN[0], SAMP[11], 1D_ARRAY"},
    {330, "TXF TEMP[0], TEMP[1], SAMP[11], 1D_ARRAY"},
    {330, "TEX TEMP[0], IN[0], SAMP[12], SHADOW2D_ARRAY"},
    {330, "TEX TEMP[0], IN[0], SAMP[13], 2D"},
    {330, "TXF TEMP[0], TEMP[1], SAMP[13], 2D"},
    {330, "TEX TEMP[0], IN[0], SAMP[14], 2D"},
    {330, "TEX TEMP[0], IN[0], SAMP[15], SHADOW1D"},
    {330, "MOV OUT[0], TEMP[0]"},
    {330, "END"},
};

START_TEST(texture_forms_compile)
{
	static const uint32_t versions[] = {450, 400, 330};

	for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
		struct glsl_emit_options o;
		struct tgsi_shader *fs;
		char *text = malloc(16384), *glsl;
		size_t len;

		len = (size_t)snprintf(text, 16384,
		                       "FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\n"
		                       "DCL OUT[0], COLOR\nDCL SAMP[0..15]\n");
		for (size_t i = 0; i < sizeof(tex_lines) / sizeof(tex_lines[0]); i++) {
			if (tex_lines[i].glsl <= versions[v])
				len += (size_t)snprintf(text + len, 16384 - len, "%s\n",
				                        tex_lines[i].text);
		}
		fs = parse(text);
		glsl_emit_options_default(&o);
		o.glsl_version = versions[v];
		glsl = emit(fs, &o);
		glDeleteShader(compile(GL_FRAGMENT_SHADER, glsl));
		free(glsl);
		free(text);
		tgsi_shader_destroy(fs);
	}
}
END_TEST

/* ---- every ALU opcode of the table compiles (all forms at once) ---- */

static void appendf(char *buf, size_t *len, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void appendf(char *buf, size_t *len, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	ck_assert(n >= 0 && (size_t)n < cap - *len);
	*len += (size_t)n;
}

START_TEST(alu_table_compiles)
{
	static const uint32_t versions[] = {450, 330};
	const size_t cap = 65536;

	for (size_t v = 0; v < 2; v++) {
		char *text = malloc(cap), *glsl;
		struct glsl_emit_options o;
		struct tgsi_shader *fs;
		size_t len = 0;
		unsigned n = 0;

		appendf(text, &len, cap,
		        "FRAG\nDCL OUT[0], COLOR\nDCL CONST[0..3]\nDCL TEMP[0..3]\nDCL ADDR[0]\n");
		for (unsigned op = 0; op < TGSI_OP_COUNT; op++) {
			const struct tgsi_opcode_info *info = &tgsi_opcode_infos[op];
			bool addr = op == TGSI_OP_ARL || op == TGSI_OP_UARL;

			if (info->kind != TGSI_KIND_ALU || info->glsl_version > versions[v])
				continue;
			/* plain */
			appendf(text, &len, cap, "%s %s", info->name,
			        addr ? "ADDR[0].x" : "TEMP[1]");
			for (unsigned s = 0; s < info->num_src; s++)
				appendf(text, &len, cap, ", CONST[%u]", s);
			/* masked, swizzled, negated and absolute sources, _SAT on floats */
			appendf(text, &len, cap, "\n%s%s %s", info->name,
			        info->dst_type == 'F' ? "_SAT" : "",
			        addr ? "ADDR[0].y" : "TEMP[2].yz");
			for (unsigned s = 0; s < info->num_src; s++)
				appendf(text, &len, cap,
				        s ? ", |TEMP[%u].wzyx|" : ", -TEMP[%u].wzyx", s);
			appendf(text, &len, cap, "\n");
			n++;
		}
		appendf(text, &len, cap, "MOV OUT[0], TEMP[ADDR[0].x+1]\nEND\n");
		fs = parse(text);
		glsl_emit_options_default(&o);
		o.glsl_version = versions[v];
		glsl = emit(fs, &o);
		glDeleteShader(compile(GL_FRAGMENT_SHADER, glsl));
		ck_assert_uint_gt(n, v ? 70 : 85);
		free(glsl);
		free(text);
		tgsi_shader_destroy(fs);
	}
}
END_TEST

static Suite *calc_suite(void)
{
	Suite *s = suite_create("tgsi_calc");
	TCase *tc = tcase_create("calc");

	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, calculator_exact);
	tcase_add_test(tc, texture_forms_compile);
	tcase_add_test(tc, alu_table_compiles);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(calc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
