/* SPDX-License-Identifier: MIT */
/*
 * The TGSI text parser on the shaders captured from Mesa 25.0.7 (§5.6) and on
 * hand-written texts in Mesa's format: exact IR expectations, parse -> dump
 * round trips, and the continuation accumulator of §5.2. No GL needed.
 */
#include <check.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_tgsi_samples.h"
#include "tgsi_ir.h"

/* Parses from an exactly-sized heap copy (ASan sees any read past the end). */
static int parse_exact(const char *text, size_t len, const struct tgsi_limits *lim,
                       struct tgsi_shader **sh, char *err, size_t err_size)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	ret = tgsi_parse_text(copy, len, lim, sh, err, err_size);
	free(copy);
	return ret;
}

static struct tgsi_shader *parse_ok(const char *text)
{
	struct tgsi_shader *sh = NULL;
	char err[256];
	int ret = parse_exact(text, strlen(text), NULL, &sh, err, sizeof(err));

	ck_assert_msg(ret == 0, "parse failed (%d): %s\n%s", ret, err, text);
	ck_assert_ptr_nonnull(sh);
	return sh;
}

static void assert_swz(const struct tgsi_src *s, const char *swz)
{
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(s->swizzle[i], (int)(strchr("xyzw", swz[i]) - "xyzw"));
}

static void assert_reg(const struct tgsi_reg *r, enum tgsi_file file, int index)
{
	ck_assert_int_eq(r->file, file);
	ck_assert_int_eq(r->index, index);
	ck_assert(!r->indirect);
	ck_assert(!r->has_dim);
}

START_TEST(captured_vs_pass)
{
	struct tgsi_shader *sh = parse_ok(tgsi_vs_pass);
	const struct tgsi_instr *in = sh->instrs;

	ck_assert_int_eq(sh->processor, TGSI_PROC_VERTEX);
	ck_assert_uint_eq(sh->num_props, 0);
	ck_assert_uint_eq(sh->num_decls, 5);
	ck_assert_uint_eq(sh->num_imms, 1);
	ck_assert_uint_eq(sh->num_instrs, 5);
	ck_assert_uint_eq(sh->end_instr, 4);
	ck_assert_int_eq(sh->decls[0].file, TGSI_FILE_INPUT);
	ck_assert(!sh->decls[0].has_semantic);
	ck_assert_int_eq(sh->decls[2].file, TGSI_FILE_OUTPUT);
	ck_assert_int_eq(sh->decls[2].semantic, TGSI_SEMANTIC_POSITION);
	ck_assert_int_eq(sh->decls[3].semantic, TGSI_SEMANTIC_GENERIC);
	ck_assert_uint_eq(sh->decls[3].semantic_index, 0);
	ck_assert_uint_eq(sh->decls[3].usage_mask, TGSI_MASK_X | TGSI_MASK_Y);
	ck_assert_uint_eq(sh->decls[2].usage_mask, TGSI_MASK_XYZW);
	ck_assert_int_eq(sh->decls[4].file, TGSI_FILE_TEMPORARY);
	ck_assert_uint_eq(sh->decls[4].first, 0);
	ck_assert_uint_eq(sh->decls[4].last, 3);
	ck_assert_uint_eq(sh->decls[4].imms_before, 1);
	ck_assert_int_eq(sh->imms[0].type, TGSI_IMM_UINT32);
	ck_assert_uint_eq(sh->imms[0].num_dwords, 4);
	ck_assert_uint_eq(sh->imms[0].dw[1], 0x3f800000u);
	ck_assert_uint_eq(sh->file_size[TGSI_FILE_INPUT], 2);
	ck_assert_uint_eq(sh->file_size[TGSI_FILE_OUTPUT], 2);
	ck_assert_uint_eq(sh->file_size[TGSI_FILE_TEMPORARY], 4);

	ck_assert_int_eq(in[0].opcode, TGSI_OP_MOV);
	ck_assert_uint_eq(in[0].num_dst, 1);
	ck_assert_uint_eq(in[0].num_src, 1);
	assert_reg(&in[0].dst[0].reg, TGSI_FILE_OUTPUT, 1);
	ck_assert_uint_eq(in[0].dst[0].mask, TGSI_MASK_X | TGSI_MASK_Y);
	ck_assert_uint_eq(in[0].dst[0].reg.decl, 3);
	assert_reg(&in[0].src[0].reg, TGSI_FILE_INPUT, 1);
	ck_assert_uint_eq(in[0].src[0].reg.decl, 1);
	assert_swz(&in[0].src[0], "xyxx");
	ck_assert(!in[0].src[0].negate && !in[0].src[0].absolute && !in[0].saturate);
	ck_assert_uint_eq(in[2].dst[0].mask, TGSI_MASK_Z);
	assert_reg(&in[2].src[0].reg, TGSI_FILE_IMMEDIATE, 0);
	ck_assert_uint_eq(in[2].src[0].reg.decl, TGSI_NO_DECL);
	assert_swz(&in[3].src[0], "yyyy");
	ck_assert_int_eq(in[4].opcode, TGSI_OP_END);
	ck_assert_uint_eq(in[4].line, 12);
	tgsi_shader_destroy(sh);
}
END_TEST

START_TEST(captured_fs_tex_tint)
{
	struct tgsi_shader *sh = parse_ok(tgsi_fs_tex_tint);
	const struct tgsi_instr *in = sh->instrs;

	ck_assert_int_eq(sh->processor, TGSI_PROC_FRAGMENT);
	ck_assert_uint_eq(sh->num_decls, 7);
	ck_assert_uint_eq(sh->num_instrs, 3);
	ck_assert(sh->decls[0].has_interp);
	ck_assert_int_eq(sh->decls[0].interp, TGSI_INTERP_PERSPECTIVE);
	ck_assert_int_eq(sh->decls[0].location, TGSI_LOC_CENTER);
	ck_assert_int_eq(sh->decls[1].semantic, TGSI_SEMANTIC_COLOR);
	ck_assert_int_eq(sh->decls[2].file, TGSI_FILE_SAMPLER);
	ck_assert_int_eq(sh->decls[3].file, TGSI_FILE_SAMPLER_VIEW);
	ck_assert_int_eq(sh->decls[3].target, TGSI_TEXTURE_2D);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(sh->decls[3].return_type[i], TGSI_RETURN_FLOAT);
	ck_assert_int_eq(sh->decls[4].file, TGSI_FILE_CONSTANT);
	ck_assert(!sh->decls[4].has_dim);
	ck_assert_uint_eq(sh->file_size[TGSI_FILE_TEMPORARY], 5);

	ck_assert_int_eq(in[0].opcode, TGSI_OP_TEX);
	ck_assert_uint_eq(in[0].num_src, 2);
	ck_assert(in[0].has_target);
	ck_assert_int_eq(in[0].target, TGSI_TEXTURE_2D);
	ck_assert_uint_eq(in[0].num_offsets, 0);
	assert_reg(&in[0].src[0].reg, TGSI_FILE_INPUT, 0);
	assert_swz(&in[0].src[0], "xyyy");
	assert_reg(&in[0].src[1].reg, TGSI_FILE_SAMPLER, 0);
	ck_assert_uint_eq(in[0].src[1].reg.decl, 2);
	ck_assert_int_eq(in[1].opcode, TGSI_OP_MUL);
	assert_reg(&in[1].src[1].reg, TGSI_FILE_CONSTANT, 0);
	ck_assert_uint_eq(in[1].src[1].reg.decl, 4);
	assert_swz(&in[1].src[1], "xyzw");
	tgsi_shader_destroy(sh);
}
END_TEST

START_TEST(captured_fs_fixed)
{
	struct tgsi_shader *sh = parse_ok(tgsi_fs_fixed);
	uint32_t v = 0;

	ck_assert_uint_eq(sh->num_props, 1);
	ck_assert(tgsi_shader_property(sh, TGSI_PROPERTY_FS_COLOR0_WRITES_ALL_CBUFS, &v));
	ck_assert_uint_eq(v, 1);
	ck_assert(!tgsi_shader_property(sh, TGSI_PROPERTY_FS_COORD_ORIGIN, NULL));
	/* "COLOR, COLOR": the semantic, then the interpolation mode */
	ck_assert(sh->decls[0].has_semantic);
	ck_assert_int_eq(sh->decls[0].semantic, TGSI_SEMANTIC_COLOR);
	ck_assert(sh->decls[0].has_interp);
	ck_assert_int_eq(sh->decls[0].interp, TGSI_INTERP_COLOR);
	ck_assert_uint_eq(sh->num_instrs, 2);
	tgsi_shader_destroy(sh);
}
END_TEST

START_TEST(captured_fs_abs_ivec2)
{
	struct tgsi_shader *sh = parse_ok(tgsi_fs_abs_ivec2);
	const struct tgsi_instr *in = sh->instrs;

	ck_assert_uint_eq(sh->num_decls, 4);
	ck_assert_uint_eq(sh->decls[1].first, 0);
	ck_assert_uint_eq(sh->decls[1].last, 1);
	ck_assert_uint_eq(sh->decls[3].imms_before, 1);
	ck_assert_uint_eq(sh->num_instrs, 6);
	ck_assert_int_eq(in[0].opcode, TGSI_OP_IABS);
	ck_assert_int_eq(in[1].opcode, TGSI_OP_USEQ);
	assert_reg(&in[1].src[1].reg, TGSI_FILE_CONSTANT, 1);
	ck_assert_int_eq(in[2].opcode, TGSI_OP_AND);
	assert_swz(&in[2].src[1], "yyxx");
	ck_assert_int_eq(in[3].opcode, TGSI_OP_UCMP);
	ck_assert_uint_eq(in[3].num_src, 3);
	ck_assert_uint_eq(in[3].dst[0].mask, TGSI_MASK_XYZW);
	assert_reg(&in[3].dst[0].reg, TGSI_FILE_TEMPORARY, 3);
	ck_assert_uint_eq(in[3].dst[0].reg.decl, 3);
	assert_swz(&in[3].src[1], "xyxy");
	assert_swz(&in[3].src[2], "yxxy");
	tgsi_shader_destroy(sh);
}
END_TEST

START_TEST(captured_cs_atomic_image)
{
	struct tgsi_shader *sh = parse_ok(tgsi_cs_atomic_image);
	const struct tgsi_instr *in = sh->instrs;
	uint32_t v;

	ck_assert_int_eq(sh->processor, TGSI_PROC_COMPUTE);
	ck_assert_uint_eq(sh->num_props, 3);
	ck_assert(tgsi_shader_property(sh, TGSI_PROPERTY_CS_FIXED_BLOCK_WIDTH, &v));
	ck_assert_uint_eq(v, 64);
	ck_assert_uint_eq(sh->num_decls, 8);
	ck_assert_int_eq(sh->decls[0].semantic, TGSI_SEMANTIC_BLOCK_ID);
	ck_assert_int_eq(sh->decls[1].semantic, TGSI_SEMANTIC_THREAD_ID);
	ck_assert_int_eq(sh->decls[2].file, TGSI_FILE_IMAGE);
	ck_assert_int_eq(sh->decls[2].target, TGSI_TEXTURE_2D);
	ck_assert(sh->decls[2].writable && !sh->decls[2].raw);
	ck_assert_str_eq(tgsi_shader_format_name(sh, sh->decls[2].format),
	                 "PIPE_FORMAT_R8G8B8A8_UNORM");
	ck_assert_int_eq(sh->decls[3].file, TGSI_FILE_BUFFER);
	ck_assert(!sh->decls[3].atomic);
	ck_assert_uint_eq(sh->num_imms, 2);
	ck_assert_uint_eq(sh->imms[1].dw[2], 1065353216u);
	ck_assert_uint_eq(sh->decls[6].imms_before, 2);
	ck_assert_uint_eq(sh->num_instrs, 12);
	ck_assert_uint_eq(sh->end_instr, 11);

	ck_assert_int_eq(in[3].opcode, TGSI_OP_ATOMUADD);
	ck_assert_uint_eq(in[3].num_src, 3);
	assert_reg(&in[3].src[0].reg, TGSI_FILE_BUFFER, 0);
	ck_assert_uint_eq(in[3].dst[0].mask, TGSI_MASK_X);
	ck_assert_int_eq(in[7].opcode, TGSI_OP_STORE);
	assert_reg(&in[7].dst[0].reg, TGSI_FILE_BUFFER, 0);
	ck_assert_uint_eq(in[7].dst[0].mask, TGSI_MASK_X);
	ck_assert_int_eq(in[10].opcode, TGSI_OP_STORE);
	assert_reg(&in[10].dst[0].reg, TGSI_FILE_IMAGE, 0);
	ck_assert(in[10].has_mem_target);
	ck_assert_int_eq(in[10].mem_target, TGSI_TEXTURE_2D);
	ck_assert_uint_eq(in[10].mem_format, sh->decls[2].format);
	assert_swz(&in[10].src[1], "zwwz");
	assert_reg(&in[0].src[0].reg, TGSI_FILE_SYSTEM_VALUE, 0);
	assert_swz(&in[0].src[0], "xyzz");
	tgsi_shader_destroy(sh);
}
END_TEST

START_TEST(glmark_constructs)
{
	struct tgsi_shader *sh = parse_ok(tgsi_fs_glmark_like);
	const struct tgsi_instr *in = sh->instrs;
	const struct tgsi_reg *r;
	uint32_t v;

	ck_assert(tgsi_shader_property(sh, TGSI_PROPERTY_FS_COORD_ORIGIN, &v));
	ck_assert_uint_eq(v, TGSI_FS_ORIGIN_LOWER_LEFT);
	ck_assert(tgsi_shader_property(sh, TGSI_PROPERTY_FS_COORD_PIXEL_CENTER, &v));
	ck_assert_uint_eq(v, TGSI_FS_CENTER_HALF_INTEGER);
	ck_assert_int_eq(sh->decls[0].semantic, TGSI_SEMANTIC_POSITION);
	ck_assert_int_eq(sh->decls[0].interp, TGSI_INTERP_LINEAR);
	ck_assert_uint_eq(sh->decls[4].array_id, 1);
	ck_assert(sh->decls[4].local);
	ck_assert(sh->decls[5].local && !sh->decls[5].array_id);
	ck_assert_int_eq(sh->imms[0].type, TGSI_IMM_FLOAT32);
	ck_assert_uint_eq(sh->imms[0].dw[0], 0x3f800000u);
	ck_assert_uint_eq(sh->imms[0].dw[3], 0xbf800000u);
	ck_assert_int_eq(sh->imms[2].type, TGSI_IMM_INT32);
	ck_assert_uint_eq(sh->imms[2].dw[0], 0xffffffffu);

	ck_assert_int_eq(in[4].opcode, TGSI_OP_BGNLOOP);
	ck_assert(in[4].has_label);
	ck_assert_uint_eq(in[4].label, 0);
	ck_assert_int_eq(in[6].opcode, TGSI_OP_UIF);
	ck_assert_uint_eq(in[6].label, 8);
	ck_assert_int_eq(in[7].opcode, TGSI_OP_BRK);
	ck_assert_int_eq(in[9].opcode, TGSI_OP_UARL);
	assert_reg(&in[9].dst[0].reg, TGSI_FILE_ADDRESS, 0);
	r = &in[10].src[1].reg;
	ck_assert(r->indirect);
	ck_assert_int_eq(r->ind.file, TGSI_FILE_ADDRESS);
	ck_assert_uint_eq(r->ind.index, 0);
	ck_assert_uint_eq(r->ind.swizzle, 0);
	ck_assert_int_eq(r->index, 0);
	ck_assert_uint_eq(r->array_id, 1);
	ck_assert_uint_eq(r->decl, 4);
	ck_assert_int_eq(in[12].opcode, TGSI_OP_ENDLOOP);
	ck_assert_int_eq(in[17].opcode, TGSI_OP_KILL_IF);
	ck_assert(in[17].src[0].negate && !in[17].src[0].absolute);
	ck_assert_int_eq(in[18].opcode, TGSI_OP_MAD);
	ck_assert(in[18].saturate);
	ck_assert(in[18].src[2].negate && in[18].src[2].absolute);
	tgsi_shader_destroy(sh);
}
END_TEST

/* More forms Mesa's dumper writes, each parsed and dumped back identically. */
static const char *const other_forms[] = {
    /* UBO (2-D constants), indirect constants, DP4, ARL */
    "VERT\n"
    "DCL IN[0]\n"
    "DCL OUT[0], POSITION\n"
    "DCL OUT[1], CLIPDIST\n"
    "DCL OUT[2], CLIPDIST[1]\n"
    "DCL OUT[3].x, PSIZE\n"
    "DCL CONST[0..7]\n"
    "DCL CONST[1][0..3]\n"
    "DCL CONST[2][0]\n"
    "DCL ADDR[0..1]\n"
    "DCL TEMP[0..3]\n"
    "  0: ARL ADDR[0].x, IN[0].xxxx\n"
    "  1: DP4 TEMP[0].x, CONST[1][2], IN[0]\n"
    "  2: MOV TEMP[1], CONST[ADDR[0].x+2]\n"
    "  3: MOV TEMP[2], CONST[ADDR[1].y][ADDR[0].x+1]\n"
    "  4: MOV OUT[0], TEMP[ADDR[0].z+1]\n"
    "  5: MOV_SAT_PRECISE OUT[3].x, -|CONST[2][0].wwww|\n"
    "  6: END\n",
    /* geometry shader: per-vertex inputs, properties, EMIT */
    "GEOM\n"
    "PROPERTY GS_INPUT_PRIMITIVE TRIANGLES\n"
    "PROPERTY GS_OUTPUT_PRIMITIVE TRIANGLE_STRIP\n"
    "PROPERTY GS_MAX_OUTPUT_VERTICES 3\n"
    "PROPERTY GS_INVOCATIONS 1\n"
    "DCL IN[][0], POSITION\n"
    "DCL IN[][1], GENERIC[3]\n"
    "DCL OUT[0], POSITION\n"
    "DCL OUT[1], GENERIC[3], STREAM(1, 1, 1, 1)\n"
    "DCL SV[0], PRIM_ID\n"
    "DCL TEMP[0]\n"
    "DCL ADDR[0]\n"
    "IMM[0] INT32 {0, -2147483648, 2147483647, 3}\n"
    "  0: MOV OUT[0], IN[2][0]\n"
    "  1: MOV OUT[1], IN[ADDR[0].x][1]\n"
    "  2: EMIT IMM[0].xxxx\n"
    "  3: ENDPRIM IMM[0].xxxx\n"
    "  4: END\n",
    /* textures: targets, offsets, every return-type form, shadow, TXF/TXQ */
    "FRAG\n"
    "DCL IN[0], GENERIC[1], CONSTANT, CENTROID\n"
    "DCL IN[1], TEXCOORD[0], PERSPECTIVE, SAMPLE\n"
    "DCL IN[2], FACE, CONSTANT\n"
    "DCL OUT[0], COLOR\n"
    "DCL OUT[1], COLOR[1]\n"
    "DCL OUT[2], POSITION\n"
    "DCL SAMP[0..2]\n"
    "DCL SVIEW[0], 2D_ARRAY, SINT\n"
    "DCL SVIEW[1], SHADOW2D, FLOAT\n"
    "DCL SVIEW[2], 3D, UNORM, SNORM, UINT, FLOAT\n"
    "DCL TEMP[0..1]\n"
    "DCL ADDR[0]\n"
    "IMM[0] INT32 {1, -1, 0, 0}\n"
    "IMM[1] FLT64 {1.00000000, -0.50000000}\n"
    "IMM[2] UINT64 {18446744073709551615}\n"
    "  0: TEX TEMP[0], IN[0], SAMP[0], 2D_ARRAY, IMM[0].xyz\n"
    "  1: TXL TEMP[1], IN[1], SAMP[2], 3D\n"
    "  2: TEX TEMP[1].x, IN[1], SAMP[1], SHADOW2D\n"
    "  3: TXF TEMP[0], IN[0], SAMP[2], 3D, IMM[0].yxz\n"
    "  4: TXQ TEMP[1], IMM[0].zzzz, SAMP[ADDR[0].x+1], 2D_ARRAY\n"
    "  5: TXD TEMP[0], IN[0], IN[1], IN[1], SAMP[0], 2D_ARRAY\n"
    "  6: IF IN[2].xxxx :8\n"
    "  7:   KILL\n"
    "  8: ELSE :9\n"
    "  9:   MOV OUT[1], TEMP[0]\n"
    " 10: ENDIF\n"
    " 11: MOV OUT[0], TEMP[1]\n"
    " 12: MOV OUT[2].z, IN[0].xxxx\n"
    " 13: END\n",
    /* compute: shared memory, memory qualifiers, atomics, barriers */
    "COMP\n"
    "PROPERTY CS_FIXED_BLOCK_WIDTH 8\n"
    "DCL SV[0], THREAD_ID\n"
    "DCL BUFFER[0]\n"
    "DCL BUFFER[1], ATOMIC\n"
    "DCL MEMORY[0], SHARED\n"
    "DCL MEMORY[1], GLOBAL\n"
    "DCL IMAGE[0], 2D_ARRAY, PIPE_FORMAT_R32_UINT, WR, RAW\n"
    "DCL HWATOMIC[0][0..1], ARRAY(1)\n"
    "DCL TEMP[0..1]\n"
    "IMM[0] UINT32 {0, 4, 1, 7}\n"
    "  0: LOAD TEMP[0].xy, BUFFER[0], IMM[0].xxxx, COHERENT, VOLATILE\n"
    "  1: STORE MEMORY[0].x, SV[0].xxxx, TEMP[0].xxxx\n"
    "  2: BARRIER\n"
    "  3: MEMBAR IMM[0].wwww\n"
    "  4: ATOMCAS TEMP[1].x, BUFFER[1], IMM[0].yyyy, IMM[0].xxxx, IMM[0].zzzz\n"
    "  5: LOAD TEMP[1], IMAGE[0], TEMP[0], 2D_ARRAY, PIPE_FORMAT_R32_UINT\n"
    "  6: RESQ TEMP[1], BUFFER[0]\n"
    "  7: ATOMUADD TEMP[1].x, HWATOMIC[0][1], IMM[0].xxxx, IMM[0].zzzz\n"
    "  8: END\n",
    /* subroutine after END, nested loops, CONT */
    "VERT\n"
    "DCL OUT[0], POSITION\n"
    "DCL TEMP[0]\n"
    "  0: BGNLOOP :5\n"
    "  1:   BGNLOOP :4\n"
    "  2:     CONT\n"
    "  3:   ENDLOOP :1\n"
    "  4:   BRK\n"
    "  5: ENDLOOP :0\n"
    "  6: CAL :8\n"
    "  7: END\n"
    "  8: BGNSUB :10\n"
    "  9:   RET\n"
    " 10: ENDSUB\n",
};

START_TEST(round_trip)
{
	const char *texts[] = {tgsi_vs_pass,      tgsi_fs_tex_tint,     tgsi_fs_fixed,
	                       tgsi_fs_abs_ivec2, tgsi_cs_atomic_image, tgsi_fs_glmark_like,
	                       other_forms[0],    other_forms[1],       other_forms[2],
	                       other_forms[3],    other_forms[4],       tgsi_tcs_pass,
	                       tgsi_tes_pass};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct tgsi_shader *sh = parse_ok(texts[i]);
		char *out = NULL;
		int len = tgsi_shader_dump(sh, &out);

		ck_assert_int_gt(len, 0);
		ck_assert_msg(strcmp(out, texts[i]) == 0, "round trip %zu:\n%s\n---\n%s", i,
		              texts[i], out);
		ck_assert_int_eq(len, (int)strlen(texts[i]));
		free(out);
		tgsi_shader_destroy(sh);
	}
}
END_TEST

START_TEST(other_forms_ir)
{
	struct tgsi_shader *sh = parse_ok(other_forms[0]);
	const struct tgsi_reg *r;

	/* CONST[1][2] resolves to the UBO declaration, not to CONST[0..7] */
	r = &sh->instrs[1].src[0].reg;
	ck_assert(r->has_dim);
	ck_assert_int_eq(r->dim, 1);
	ck_assert_int_eq(r->index, 2);
	ck_assert_uint_eq(r->decl, 6);
	r = &sh->instrs[3].src[0].reg;
	ck_assert(r->dim_indirect && r->indirect);
	ck_assert_uint_eq(r->dim_ind.index, 1);
	ck_assert_uint_eq(r->dim_ind.swizzle, 1);
	ck_assert_int_eq(r->index, 1);
	ck_assert_int_eq(r->dim, 0);
	ck_assert_uint_eq(r->decl, 5); /* CONST[0..7] */
	/* TEMP[ADDR[0].z+1]: not an array, the offset names the declaration */
	ck_assert_uint_eq(sh->instrs[4].src[0].reg.decl, 9);
	ck_assert(sh->instrs[5].saturate && sh->instrs[5].precise);
	tgsi_shader_destroy(sh);
}
END_TEST

START_TEST(other_forms_geometry_and_textures)
{
	struct tgsi_shader *sh = parse_ok(other_forms[1]);
	const struct tgsi_reg *r = &sh->instrs[0].src[0].reg;
	uint32_t v;

	ck_assert(sh->decls[0].per_vertex);
	ck_assert(r->has_dim && !r->dim_indirect);
	ck_assert_int_eq(r->dim, 2);
	ck_assert_uint_eq(r->decl, 0);
	ck_assert(tgsi_shader_property(sh, TGSI_PROPERTY_GS_INPUT_PRIM, &v));
	ck_assert_uint_eq(v, TGSI_PRIM_TRIANGLES);
	ck_assert_uint_eq(sh->decls[3].stream[2], 1);
	ck_assert_uint_eq(sh->imms[0].dw[1], 0x80000000u);
	tgsi_shader_destroy(sh);

	sh = parse_ok(other_forms[2]);
	ck_assert_int_eq(sh->decls[0].location, TGSI_LOC_CENTROID);
	ck_assert_int_eq(sh->decls[0].interp, TGSI_INTERP_CONSTANT);
	ck_assert_int_eq(sh->decls[9].return_type[1], TGSI_RETURN_SNORM);
	ck_assert_int_eq(sh->decls[9].return_type[3], TGSI_RETURN_FLOAT);
	ck_assert_uint_eq(sh->instrs[0].num_offsets, 1);
	ck_assert_int_eq(sh->instrs[0].offsets[0].file, TGSI_FILE_IMMEDIATE);
	ck_assert_uint_eq(sh->instrs[0].offsets[0].swizzle[2], 2);
	ck_assert_int_eq(sh->imms[1].type, TGSI_IMM_FLOAT64);
	ck_assert_uint_eq(sh->imms[1].num_dwords, 4);
	ck_assert_uint_eq(sh->imms[1].dw[1], 0x3ff00000u); /* 1.0 high dword */
	ck_assert_uint_eq(sh->imms[2].dw[0], 0xffffffffu);
	ck_assert_uint_eq(sh->imms[2].dw[1], 0xffffffffu);
	tgsi_shader_destroy(sh);
}
END_TEST

START_TEST(not_nul_terminated_and_nul_inside)
{
	struct tgsi_shader *sh = NULL;
	size_t n = strlen(tgsi_fs_fixed);
	char *text = malloc(n + 8);
	char err[128];

	/* as on the wire: the text, its NUL, then dword padding */
	memcpy(text, tgsi_fs_fixed, n + 1);
	memset(text + n + 1, 0, 7);
	ck_assert_int_eq(tgsi_parse_text(text, n + 8, NULL, &sh, err, sizeof(err)), 0);
	tgsi_shader_destroy(sh);
	/* exactly the text, no NUL */
	ck_assert_int_eq(parse_exact(tgsi_fs_fixed, n, NULL, &sh, err, sizeof(err)), 0);
	tgsi_shader_destroy(sh);
	/* a NUL before END ends the text: END missing */
	text[n - strlen("  1: END\n")] = '\0';
	ck_assert_int_eq(tgsi_parse_text(text, n + 8, NULL, &sh, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_null(sh);
	ck_assert_ptr_nonnull(strstr(err, "missing END"));
	free(text);
}
END_TEST

/* Decimal floats (hand-written texts, FLT64) read the same whatever the
 * process's LC_NUMERIC (a comma-decimal locale when the host has one). */
START_TEST(decimal_floats_any_locale)
{
	static const char text[] = "VERT\n"
	                           "IMM[0] FLT32 {1.5, -2.25e1, 0.1, 3}\n"
	                           "IMM[1] FLT64 {0.10000000, -2.50000000}\n"
	                           "  0: END\n";
	const char *locales[] = {"de_DE.UTF-8", "fr_FR.UTF-8", "C"};
	struct tgsi_shader *sh;

	for (size_t i = 0; i < sizeof(locales) / sizeof(locales[0]); i++) {
		if (!setlocale(LC_NUMERIC, locales[i]))
			continue;
		sh = parse_ok(text);
		ck_assert_uint_eq(sh->imms[0].dw[0], 0x3fc00000u);
		ck_assert_uint_eq(sh->imms[0].dw[1], 0xc1b40000u);
		ck_assert_uint_eq(sh->imms[0].dw[2], 0x3dcccccdu);
		ck_assert_uint_eq(sh->imms[0].dw[3], 0x40400000u);
		ck_assert_uint_eq(sh->imms[1].dw[0], 0x9999999au);
		ck_assert_uint_eq(sh->imms[1].dw[1], 0x3fb99999u);
		ck_assert_uint_eq(sh->imms[1].dw[2], 0x00000000u);
		ck_assert_uint_eq(sh->imms[1].dw[3], 0xc0040000u);
		tgsi_shader_destroy(sh);
	}
	setlocale(LC_NUMERIC, "C");
}
END_TEST

/* ---- continuation accumulator ---- */

/* Sends text (with its NUL) in packets of chunk bytes (a multiple of 4). */
/* ARB_enhanced_layouts: I/O declarations sharing registers with other
 * components. The lowest declaration owns the registers, the others are
 * aliases of it; every reference resolves to the owner; io_mask is the union. */
START_TEST(component_declarations)
{
	struct tgsi_shader *sh = parse_ok("FRAG\n"
	                                  "DCL IN[0].zw, GENERIC[0], PERSPECTIVE\n"
	                                  "DCL IN[1].x, GENERIC[1], PERSPECTIVE\n"
	                                  "DCL IN[0].x, GENERIC[0], PERSPECTIVE\n"
	                                  "DCL IN[1].yzw, GENERIC[1], PERSPECTIVE\n"
	                                  "DCL OUT[0], COLOR\n"
	                                  "  0: MOV OUT[0].xy, IN[0].xwxx\n"
	                                  "  1: MOV OUT[0].zw, IN[1].xxxy\n"
	                                  "  2: END\n");
	char *text = NULL;

	ck_assert_uint_eq(sh->num_decls, 5);
	ck_assert(!sh->decls[0].alias);
	ck_assert(!sh->decls[1].alias);
	ck_assert(sh->decls[2].alias);
	ck_assert_uint_eq(sh->decls[2].alias_of, 0);
	ck_assert(sh->decls[3].alias);
	ck_assert_uint_eq(sh->decls[3].alias_of, 1);
	ck_assert(!sh->decls[4].alias);
	ck_assert_uint_eq(sh->decls[0].io_mask, TGSI_MASK_X | TGSI_MASK_Z | TGSI_MASK_W);
	ck_assert_uint_eq(sh->decls[2].io_mask, TGSI_MASK_X | TGSI_MASK_Z | TGSI_MASK_W);
	ck_assert_uint_eq(sh->decls[1].io_mask, TGSI_MASK_XYZW);
	ck_assert_uint_eq(sh->decls[4].io_mask, TGSI_MASK_XYZW);
	ck_assert_uint_eq(sh->instrs[0].src[0].reg.decl, 0);
	ck_assert_uint_eq(sh->instrs[1].src[0].reg.decl, 1);
	ck_assert_uint_eq(sh->file_size[TGSI_FILE_INPUT], 2);
	/* the dump keeps every declaration with its own mask */
	ck_assert_int_gt(tgsi_shader_dump(sh, &text), 0);
	ck_assert_ptr_nonnull(strstr(text, "DCL IN[0].zw, GENERIC[0], PERSPECTIVE\n"));
	ck_assert_ptr_nonnull(strstr(text, "DCL IN[0].x, GENERIC[0], PERSPECTIVE\n"));
	free(text);
	tgsi_shader_destroy(sh);
}
END_TEST

static char *send_in_chunks(const char *text, size_t chunk)
{
	struct tgsi_text_accum acc = {0};
	uint32_t total = (uint32_t)strlen(text) + 1, len;
	size_t padded = (total + 3) & ~3u;
	char *wire = calloc(1, padded);
	char *out;
	int ret = 0;

	memcpy(wire, text, total);
	for (size_t off = 0; off < padded; off += chunk) {
		size_t n = padded - off < chunk ? padded - off : chunk;
		uint32_t offlen = off ? (TGSI_OFFLEN_CONT | (uint32_t)off) : total;

		ret = tgsi_text_accumulate(&acc, 1u << 20, 9, 1, offlen, wire + off, n);
		ck_assert_int_eq(ret, off + n >= padded ? 1 : 0);
	}
	free(wire);
	out = tgsi_text_accum_take(&acc, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(len, total);
	ck_assert(!acc.active && !acc.buf);
	return out;
}

START_TEST(accumulate_chunks)
{
	for (size_t chunk = 4; chunk <= 512; chunk += 4) {
		char *t = send_in_chunks(tgsi_cs_atomic_image, chunk);
		struct tgsi_shader *sh = NULL;

		ck_assert_str_eq(t, tgsi_cs_atomic_image);
		ck_assert_int_eq(tgsi_parse_text(t, strlen(t) + 1, NULL, &sh, NULL, 0), 0);
		tgsi_shader_destroy(sh);
		free(t);
	}
}
END_TEST

START_TEST(accumulate_errors)
{
	struct tgsi_text_accum acc = {0};
	char data[16] = "VERT\nDCL IN[0]\n";

	/* continuation without a first packet */
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, TGSI_OFFLEN_CONT | 0, data, 8),
	                 -EINVAL);
	/* zero and oversized totals */
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, 0, data, 8), -EINVAL);
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, 65, data, 8), -E2BIG);
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, 0x7fffffff, data, 8), -E2BIG);
	/* wrong offset, handle, stage */
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, 40, data, 8), 0);
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, TGSI_OFFLEN_CONT | 12, data, 8),
	                 -EINVAL);
	ck_assert(!acc.active);
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, 40, data, 8), 0);
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 2, 0, TGSI_OFFLEN_CONT | 8, data, 8),
	                 -EINVAL);
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, 40, data, 8), 0);
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 3, TGSI_OFFLEN_CONT | 8, data, 8),
	                 -EINVAL);
	/* a new first packet while one is in progress */
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, 40, data, 8), 0);
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, 40, data, 8), -EINVAL);
	/* more than total + padding; padding only on the last packet */
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, 5, data, 12), -EINVAL);
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, 5, data, 8), 1);
	tgsi_text_accum_reset(&acc);
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, 6, data, 0), -EINVAL);
	/* a packet with no bytes cannot complete a shader */
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, 6, data, 4), 0);
	ck_assert_int_eq(tgsi_text_accumulate(&acc, 64, 1, 0, TGSI_OFFLEN_CONT | 4, data, 0),
	                 -EINVAL);
	ck_assert_ptr_null(tgsi_text_accum_take(&acc, NULL));
	tgsi_text_accum_reset(&acc);
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("tgsi_parse");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, captured_vs_pass);
	tcase_add_test(tc, captured_fs_tex_tint);
	tcase_add_test(tc, captured_fs_fixed);
	tcase_add_test(tc, captured_fs_abs_ivec2);
	tcase_add_test(tc, captured_cs_atomic_image);
	tcase_add_test(tc, glmark_constructs);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, component_declarations);
	tcase_add_test(tc, other_forms_ir);
	tcase_add_test(tc, other_forms_geometry_and_textures);
	tcase_add_test(tc, not_nul_terminated_and_nul_inside);
	tcase_add_test(tc, decimal_floats_any_locale);
	tcase_add_test(tc, accumulate_chunks);
	tcase_add_test(tc, accumulate_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
