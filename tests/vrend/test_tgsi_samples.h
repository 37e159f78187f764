/* SPDX-License-Identifier: MIT */
/*
 * TGSI texts for the tgsi/glsl tests. The first five are the shaders captured
 * from Mesa 25.0.7 in virgl-protocol.md §5.6, byte for byte (Mesa's dumper
 * format). The others are written by hand in the same format for the
 * constructs §5.6 lists from glmark2 and piglit (indexed temporary arrays, loops,
 * KILL_IF, derivatives, LOWER_LEFT fragment coordinates, ...).
 */
#ifndef TEST_TGSI_SAMPLES_H
#define TEST_TGSI_SAMPLES_H

/* GLSL: gl_Position = vec4(pos, 0, 1); v_uv = uv; (GL 3.3 core) */
static const char tgsi_vs_pass[] = "VERT\n"
                                   "DCL IN[0]\n"
                                   "DCL IN[1]\n"
                                   "DCL OUT[0], POSITION\n"
                                   "DCL OUT[1].xy, GENERIC[0]\n"
                                   "IMM[0] UINT32 {0, 1065353216, 0, 0}\n"
                                   "DCL TEMP[0..3]\n"
                                   "  0: MOV OUT[1].xy, IN[1].xyxx\n"
                                   "  1: MOV OUT[0].xy, IN[0].xyxx\n"
                                   "  2: MOV OUT[0].z, IMM[0].xxxx\n"
                                   "  3: MOV OUT[0].w, IMM[0].yyyy\n"
                                   "  4: END\n";

/* GLSL: color = texture(tex, v_uv) * tint; */
static const char tgsi_fs_tex_tint[] = "FRAG\n"
                                       "DCL IN[0].xy, GENERIC[0], PERSPECTIVE\n"
                                       "DCL OUT[0], COLOR\n"
                                       "DCL SAMP[0]\n"
                                       "DCL SVIEW[0], 2D, FLOAT\n"
                                       "DCL CONST[0]\n"
                                       "DCL TEMP[0]\n"
                                       "DCL TEMP[1..4]\n"
                                       "  0: TEX TEMP[0], IN[0].xyyy, SAMP[0], 2D\n"
                                       "  1: MUL OUT[0], TEMP[0], CONST[0]\n"
                                       "  2: END\n";

/* glxgears fixed-function pass-through fragment shader (compatibility profile) */
static const char tgsi_fs_fixed[] = "FRAG\n"
                                    "PROPERTY FS_COLOR0_WRITES_ALL_CBUFS 1\n"
                                    "DCL IN[0], COLOR, COLOR\n"
                                    "DCL OUT[0], COLOR\n"
                                    "DCL TEMP[0..3]\n"
                                    "  0: MOV OUT[0], IN[0]\n"
                                    "  1: END\n";

/* piglit glsl-1.30 fs-abs-ivec2 */
static const char tgsi_fs_abs_ivec2[] =
    "FRAG\n"
    "PROPERTY FS_COLOR0_WRITES_ALL_CBUFS 1\n"
    "DCL OUT[0], COLOR\n"
    "DCL CONST[0..1]\n"
    "DCL TEMP[0..2]\n"
    "IMM[0] UINT32 {0, 1065353216, 0, 0}\n"
    "DCL TEMP[3..6]\n"
    "  0: IABS TEMP[0].xy, CONST[0].xyyy\n"
    "  1: USEQ TEMP[1].xy, TEMP[0].xyxx, CONST[1].xyyy\n"
    "  2: AND TEMP[2].x, TEMP[1].xyxx, TEMP[1].yyxx\n"
    "  3: UCMP TEMP[3], TEMP[2].xxxx, IMM[0].xyxy, IMM[0].yxxy\n"
    "  4: MOV OUT[0], TEMP[3]\n"
    "  5: END\n";

/* GL 4.3 compute shader with an SSBO atomic and an image store */
static const char tgsi_cs_atomic_image[] =
    "COMP\n"
    "PROPERTY CS_FIXED_BLOCK_WIDTH 64\n"
    "PROPERTY CS_FIXED_BLOCK_HEIGHT 1\n"
    "PROPERTY CS_FIXED_BLOCK_DEPTH 1\n"
    "DCL SV[0], BLOCK_ID\n"
    "DCL SV[1], THREAD_ID\n"
    "DCL IMAGE[0], 2D, PIPE_FORMAT_R8G8B8A8_UNORM, WR\n"
    "DCL BUFFER[0]\n"
    "DCL CONST[0]\n"
    "DCL TEMP[0..7]\n"
    "IMM[0] UINT32 {6, 0, 1, 2}\n"
    "IMM[1] UINT32 {7, 3, 1065353216, 0}\n"
    "DCL TEMP[8..11]\n"
    "DCL TEMP[12]\n"
    "  0: MOV TEMP[12].xyz, SV[0].xyzz\n"
    "  1: SHL TEMP[1].x, TEMP[12].xyzx, IMM[0].xxxx\n"
    "  2: UADD TEMP[2].x, TEMP[1].xxxx, SV[1].xxxx\n"
    "  3: ATOMUADD TEMP[3].x, BUFFER[0], IMM[0].yyyy, IMM[0].zzzz\n"
    "  4: SHL TEMP[4].x, TEMP[2].xxxx, IMM[0].wwww\n"
    "  5: UMUL TEMP[5].x, TEMP[2].xxxx, CONST[0].xxxx\n"
    "  6: UADD TEMP[6].x, TEMP[5].xxxx, TEMP[3].xxxx\n"
    "  7: STORE BUFFER[0].x, TEMP[4].xxxx, TEMP[6].xxxx\n"
    "  8: AND TEMP[0].x, TEMP[2].xxxx, IMM[1].xxxx\n"
    "  9: USHR TEMP[0].y, TEMP[2].xxxx, IMM[1].yyyy\n"
    " 10: STORE IMAGE[0], TEMP[0], IMM[1].zwwz, 2D, PIPE_FORMAT_R8G8B8A8_UNORM\n"
    " 11: END\n";

/* Hand-written in Mesa's format: the glmark2 constructs of §5.6 (indexed
 * temporary array, UARL, a loop with UIF/BRK, KILL_IF, DDX/DDY, gl_FragCoord
 * with LOWER_LEFT, FLT32 hex immediates, _SAT). */
static const char tgsi_fs_glmark_like[] =
    "FRAG\n"
    "PROPERTY FS_COORD_ORIGIN LOWER_LEFT\n"
    "PROPERTY FS_COORD_PIXEL_CENTER HALF_INTEGER\n"
    "DCL IN[0], POSITION, LINEAR\n"
    "DCL IN[1].xy, GENERIC[0], PERSPECTIVE\n"
    "DCL OUT[0], COLOR\n"
    "DCL CONST[0..3]\n"
    "DCL TEMP[0..2], ARRAY(1), LOCAL\n"
    "DCL TEMP[3..7], LOCAL\n"
    "DCL ADDR[0]\n"
    "IMM[0] FLT32 {0x3f800000, 0x00000000, 0x3f000000, 0xbf800000}\n"
    "IMM[1] UINT32 {0, 1, 3, 1065353216}\n"
    "IMM[2] INT32 {-1, 2, 0, 7}\n"
    "DCL TEMP[8..11]\n"
    "  0: MOV TEMP[0], CONST[0]\n"
    "  1: MOV TEMP[1], CONST[1]\n"
    "  2: MOV TEMP[2], CONST[2]\n"
    "  3: MOV TEMP[3].x, IMM[1].xxxx\n"
    "  4: BGNLOOP :0\n"
    "  5:   ISGE TEMP[4].x, TEMP[3].xxxx, IMM[1].zzzz\n"
    "  6:   UIF TEMP[4].xxxx :8\n"
    "  7:     BRK\n"
    "  8:   ENDIF\n"
    "  9:   UARL ADDR[0].x, TEMP[3].xxxx\n"
    " 10:   ADD TEMP[5], TEMP[5], TEMP[ADDR[0].x](1)\n"
    " 11:   UADD TEMP[3].x, TEMP[3].xxxx, IMM[1].yyyy\n"
    " 12: ENDLOOP :4\n"
    " 13: DDX TEMP[6].xy, IN[1].xyyy\n"
    " 14: DDY TEMP[6].zw, IN[1].xxxy\n"
    " 15: FSLT TEMP[7].x, IN[0].yyyy, CONST[3].xxxx\n"
    " 16: AND TEMP[7].x, TEMP[7].xxxx, IMM[1].wwww\n"
    " 17: KILL_IF -TEMP[7].xxxx\n"
    " 18: MAD_SAT OUT[0], TEMP[5], IMM[0].zzzz, -|TEMP[6]|\n"
    " 19: END\n";

/* Hand-written in Mesa's format: a pass-through tessellation pair. The TCS
 * copies positions and GENERIC[0] per vertex (vertex index from the
 * invocation id through ADDR, as NTT does), and invocation 0 writes a patch
 * color and tess levels of 1; the TES interpolates the positions with the
 * tessellation coordinate and forwards the patch color. */
static const char tgsi_tcs_pass[] =
    "TESS_CTRL\n"
    "PROPERTY TCS_VERTICES_OUT 3\n"
    "DCL IN[][0], POSITION\n"
    "DCL IN[][1], GENERIC[0]\n"
    "DCL OUT[][0], POSITION\n"
    "DCL OUT[][1], GENERIC[0]\n"
    "DCL OUT[2], PATCH\n"
    "DCL OUT[3], TESSOUTER\n"
    "DCL OUT[4], TESSINNER\n"
    "DCL SV[0], INVOCATIONID\n"
    "DCL TEMP[0..1]\n"
    "DCL ADDR[0]\n"
    "IMM[0] FLT32 {0x3f800000, 0x3e800000, 0x00000000, 0x3f800000}\n"
    "IMM[1] UINT32 {0, 0, 0, 0}\n"
    "  0: UARL ADDR[0].x, SV[0].xxxx\n"
    "  1: MOV TEMP[0], IN[ADDR[0].x][0]\n"
    "  2: MOV OUT[ADDR[0].x][0], TEMP[0]\n"
    "  3: MOV OUT[ADDR[0].x][1], IN[ADDR[0].x][1]\n"
    "  4: USEQ TEMP[1].x, SV[0].xxxx, IMM[1].xxxx\n"
    "  5: UIF TEMP[1].xxxx :9\n"
    "  6:   MOV OUT[2], IMM[0]\n"
    "  7:   MOV OUT[3], IMM[0].xxxx\n"
    "  8:   MOV OUT[4].xy, IMM[0].xxxx\n"
    "  9: ENDIF\n"
    " 10: END\n";

static const char tgsi_tes_pass[] = "TESS_EVAL\n"
                                    "PROPERTY TES_PRIM_MODE 4\n"
                                    "PROPERTY TES_SPACING 2\n"
                                    "PROPERTY TES_VERTEX_ORDER_CW 0\n"
                                    "PROPERTY TES_POINT_MODE 0\n"
                                    "DCL IN[][0], POSITION\n"
                                    "DCL IN[][1], GENERIC[0]\n"
                                    "DCL IN[2], PATCH\n"
                                    "DCL OUT[0], POSITION\n"
                                    "DCL OUT[1], GENERIC[0]\n"
                                    "DCL SV[0], TESSCOORD\n"
                                    "DCL TEMP[0]\n"
                                    "  0: MUL TEMP[0], IN[0][0], SV[0].xxxx\n"
                                    "  1: MAD TEMP[0], IN[1][0], SV[0].yyyy, TEMP[0]\n"
                                    "  2: MAD OUT[0], IN[2][0], SV[0].zzzz, TEMP[0]\n"
                                    "  3: MOV OUT[1], IN[2]\n"
                                    "  4: END\n";

#define TGSI_NUM_CAPTURED 5

#endif /* TEST_TGSI_SAMPLES_H */
