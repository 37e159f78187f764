/* SPDX-License-Identifier: MIT */
/*
 * The GLSL emitter without GL: what the text says (names, qualifiers, layouts,
 * conversions, clamped indices), which options change it, every error path,
 * and the emitter on every parseable mutation of the samples (nothing may
 * crash or leak). Compiling and running the output is test_tgsi_live.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glsl_emit.h"
#include "test_tgsi_samples.h"
#include "tgsi_ir.h"

static struct tgsi_shader *parse(const char *text)
{
	struct tgsi_shader *sh = NULL;
	char err[256];

	ck_assert_msg(tgsi_parse_text(text, strlen(text), NULL, &sh, err, sizeof(err)) == 0, "%s",
	              err);
	return sh;
}

/* Emits text with opts (NULL: defaults); returns the GLSL or fails. */
static char *emit_ok(const char *text, const struct glsl_emit_options *opts)
{
	struct tgsi_shader *sh = parse(text);
	char *glsl = NULL, err[256];
	size_t len = 0;
	int ret = glsl_emit(sh, opts, &glsl, &len, err, sizeof(err));

	ck_assert_msg(ret == 0, "emit failed (%d): %s", ret, err);
	ck_assert_uint_eq(strlen(glsl), len);
	tgsi_shader_destroy(sh);
	return glsl;
}

static void emit_fails(const char *text, const struct glsl_emit_options *opts, int code,
                       const char *what)
{
	struct tgsi_shader *sh = parse(text);
	char *glsl = (char *)1, err[256];
	int ret = glsl_emit(sh, opts, &glsl, NULL, err, sizeof(err));

	ck_assert_msg(ret == code, "expected %d, got %d (%s)", code, ret, err);
	ck_assert_ptr_null(glsl);
	ck_assert_msg(strstr(err, what), "message '%s' lacks '%s'", err, what);
	tgsi_shader_destroy(sh);
}

#define HAS(glsl, s) ck_assert_msg(strstr(glsl, s) != NULL, "missing '%s' in:\n%s", s, glsl)
#define LACKS(glsl, s) ck_assert_msg(strstr(glsl, s) == NULL, "unexpected '%s' in:\n%s", s, glsl)

/* Component-qualified inputs: one varying and one load per register, however
 * many declarations share it; CLIPDIST components split into clip and cull
 * distances by the properties. */
START_TEST(component_inputs_and_cull_distances)
{
	char *g = emit_ok("FRAG\n"
	                  "PROPERTY NUM_CLIPDIST_ENABLED 3\n"
	                  "PROPERTY NUM_CULLDIST_ENABLED 2\n"
	                  "DCL IN[0].xy, GENERIC[0], PERSPECTIVE\n"
	                  "DCL IN[0].zw, GENERIC[0], PERSPECTIVE\n"
	                  "DCL IN[1], CLIPDIST[0], PERSPECTIVE\n"
	                  "DCL IN[2].x, CLIPDIST[1], PERSPECTIVE\n"
	                  "DCL OUT[0], COLOR\n"
	                  "  0: ADD OUT[0], IN[0], IN[1]\n"
	                  "  1: MOV OUT[0].x, IN[2].xxxx\n"
	                  "  2: END\n",
	                  NULL);
	const char *first = strstr(g, "in vec4 vso_g0;");

	ck_assert_ptr_nonnull(first);
	LACKS(first + 1, "in vec4 vso_g0;");
	first = strstr(g, "vn_in[0] = ");
	ck_assert_ptr_nonnull(first);
	LACKS(first + 1, "vn_in[0] = ");
	HAS(g, "vn_in[1] = floatBitsToUint(vec4(gl_ClipDistance[0], gl_ClipDistance[1], "
	       "gl_ClipDistance[2], gl_CullDistance[0]));");
	HAS(g, "vn_in[2] = floatBitsToUint(vec4(gl_CullDistance[1], 0.0, 0.0, 0.0));");
	free(g);

	{
		/* a vertex shader not writing the shared varying zeroes it once */
		struct tgsi_shader *fs = parse("FRAG\n"
		                               "DCL IN[0].x, GENERIC[3], PERSPECTIVE\n"
		                               "DCL IN[0].yzw, GENERIC[3], PERSPECTIVE\n"
		                               "DCL OUT[0], COLOR\n"
		                               "  0: MOV OUT[0], IN[0]\n"
		                               "  1: END\n");
		struct glsl_emit_options o;

		glsl_emit_options_default(&o);
		o.next = fs;
		g = emit_ok(tgsi_vs_pass, &o);
		first = strstr(g, "out vec4 vso_g3;");
		ck_assert_ptr_nonnull(first);
		LACKS(first + 1, "out vec4 vso_g3;");
		first = strstr(g, "vso_g3 = vec4(0.0);");
		ck_assert_ptr_nonnull(first);
		LACKS(first + 1, "vso_g3 = vec4(0.0);");
		free(g);
		tgsi_shader_destroy(fs);
	}

	g = emit_ok("VERT\n"
	            "PROPERTY NUM_CULLDIST_ENABLED 1\n"
	            "DCL OUT[0], POSITION\n"
	            "DCL OUT[1].xy, CLIPDIST[0]\n"
	            "IMM[0] FLT32 {1.0, 0.0, 0.0, 0.0}\n"
	            "  0: MOV OUT[0], IMM[0]\n"
	            "  1: MOV OUT[1].xy, IMM[0]\n"
	            "  2: END\n",
	            NULL);
	HAS(g, "gl_CullDistance[0] = uintBitsToFloat(vn_out[1].x);");
	LACKS(g, "gl_ClipDistance"); /* .y is neither: 0 clip + 1 cull */
	LACKS(g, "gl_CullDistance[1]");
	free(g);

	emit_fails("VERT\n"
	           "PROPERTY NUM_CLIPDIST_ENABLED 6\n"
	           "PROPERTY NUM_CULLDIST_ENABLED 3\n"
	           "DCL OUT[0], POSITION\n"
	           "DCL OUT[1], CLIPDIST[0]\n"
	           "  0: END\n",
	           NULL, -EINVAL, "6 clip + 3 cull distances");
}
END_TEST

/* FS_BLEND_EQUATION_ADVANCED: the extension and one blend_support layout per
 * mode bit (1 MULTIPLY .. 15 HSL_LUMINOSITY); bit 0 and bits >= 16 are no mode. */
START_TEST(blend_support_layouts)
{
	char *g = emit_ok("FRAG\n"
	                  "PROPERTY FS_BLEND_EQUATION_ADVANCED 32770\n"
	                  "DCL OUT[0], COLOR\n"
	                  "  0: END\n",
	                  NULL);

	HAS(g, "#extension GL_KHR_blend_equation_advanced : require\n");
	HAS(g, "layout(blend_support_multiply) out;");
	HAS(g, "layout(blend_support_hsl_luminosity) out;");
	LACKS(g, "blend_support_screen");
	free(g);
	g = emit_ok("FRAG\nDCL OUT[0], COLOR\n  0: END\n", NULL);
	LACKS(g, "blend_equation_advanced");
	free(g);
	emit_fails("FRAG\nPROPERTY FS_BLEND_EQUATION_ADVANCED 1\nDCL OUT[0], COLOR\n  0: END\n",
	           NULL, -EINVAL, "advanced blend modes 0x1");
	emit_fails("FRAG\nPROPERTY FS_BLEND_EQUATION_ADVANCED 65538\nDCL OUT[0], COLOR\n  0: END\n",
	           NULL, -EINVAL, "advanced blend modes 0x10002");
}
END_TEST

START_TEST(vertex_pass)
{
	char *g = emit_ok(tgsi_vs_pass, NULL);

	HAS(g, "#version 450 core\n");
	HAS(g, "layout(location = 0) in vec4 vs_in0;");
	HAS(g, "layout(location = 1) in vec4 vs_in1;");
	HAS(g, "out vec4 vso_g0;");
	HAS(g, "vn_in[1] = floatBitsToUint(vs_in1);");
	HAS(g, "gl_Position = uintBitsToFloat(vn_out[0]);");
	HAS(g, "vso_g0 = uintBitsToFloat(vn_out[1]);");
	/* MOV is a bit copy; immediates keep their exact bits */
	HAS(g, "vn_out[1].xy = (vn_in[1].xyxx).xy;");
	HAS(g, "vn_out[0].w = (vn_imm[0].yyyy).w;");
	HAS(g, "uvec4(0x00000000u, 0x3f800000u, 0x00000000u, 0x00000000u)");
	LACKS(g, "winsys_adjust_y");
	LACKS(g, "vn_b2u"); /* unused helpers are left out */
	free(g);
}
END_TEST

START_TEST(fragment_tex_tint)
{
	struct glsl_emit_options o;
	char *g = emit_ok(tgsi_fs_tex_tint, NULL);

	HAS(g, "layout(binding = 0) uniform sampler2D fssamp0;");
	HAS(g, "uniform uvec4 fsconst0[1];");
	HAS(g, "in vec4 vso_g0;");
	LACKS(g, "flat in");
	HAS(g, "t0 = floatBitsToUint(texture(fssamp0, uintBitsToFloat(vn_in[0].xyyy).xy));");
	HAS(g, "vn_out[0] = floatBitsToUint(uintBitsToFloat(t0) * uintBitsToFloat(fsconst0[0]));");
	HAS(g, "layout(location = 0) out vec4 fs_out0;");
	free(g);
	/* 3.30: no binding qualifiers (the host binds by name) */
	glsl_emit_options_default(&o);
	o.glsl_version = 330;
	o.sampler_binding_base = 4;
	g = emit_ok(tgsi_fs_tex_tint, &o);
	HAS(g, "#version 330 core\n");
	HAS(g, "\nuniform sampler2D fssamp0;");
	LACKS(g, "vn_zero");
	HAS(g, "fs_out0 = uintBitsToFloat(vn_out[0]);");
	free(g);
	o.glsl_version = 450;
	g = emit_ok(tgsi_fs_tex_tint, &o);
	HAS(g, "layout(binding = 4) uniform sampler2D fssamp0;");
	free(g);
	/* inputs named after the stage that feeds them */
	o.prev_stage = TGSI_PROC_GEOMETRY;
	g = emit_ok(tgsi_fs_tex_tint, &o);
	HAS(g, "in vec4 gso_g0;");
	free(g);
	/* llvmpipe workaround: colours of a shader reading constants go through
	 * an opaque xor with a zero uniform. */
	glsl_emit_options_default(&o);
	o.no_linear_fs = true;
	g = emit_ok(tgsi_fs_tex_tint, &o);
	HAS(g, "uniform uint vn_zero;");
	HAS(g, "fs_out0 = uintBitsToFloat(vn_out[0] ^ uvec4(vn_zero));");
	free(g);
}
END_TEST

START_TEST(fragment_fixed_all_cbufs_and_flat)
{
	struct glsl_emit_options o;
	char *g;

	glsl_emit_options_default(&o);
	o.nr_cbufs = 3;
	o.flatshade = true;
	o.cbuf_uint_mask = 1u << 2;
	g = emit_ok(tgsi_fs_fixed, &o);
	HAS(g, "flat in vec4 vso_c0;");
	HAS(g, "layout(location = 0) out vec4 fs_out0;");
	HAS(g, "layout(location = 1) out vec4 fs_out1;");
	HAS(g, "layout(location = 2) out uvec4 fs_out2;");
	HAS(g, "fs_out1 = uintBitsToFloat(vn_out[0]);");
	HAS(g, "fs_out2 = (vn_out[0]);");
	free(g);
}
END_TEST

START_TEST(integer_ops_and_select)
{
	char *g = emit_ok(tgsi_fs_abs_ivec2, NULL);

	HAS(g, "t0.xy = (uvec4(abs(ivec4(fsconst0[0].xyyy)))).xy;");
	HAS(g, "t1.xy = (vn_b2u(equal(t0.xyxx, fsconst0[1].xyyy))).xy;");
	HAS(g, "t3 = vn_sel(notEqual(t2.xxxx, uvec4(0u)), vn_imm[0].xyxy, vn_imm[0].yxxy);");
	HAS(g, "uvec4 vn_b2u(bvec4 b)");
	LACKS(g, "vn_idiv");
	free(g);
}
END_TEST

START_TEST(glmark_constructs)
{
	struct glsl_emit_options o;
	char *g = emit_ok(tgsi_fs_glmark_like, NULL);

	HAS(g, "layout(origin_upper_left) in vec4 gl_FragCoord;");
	HAS(g, "vn_in[0] = floatBitsToUint(gl_FragCoord);");
	HAS(g, "uvec4 tr4[3];");
	HAS(g, "tr4[clamp(vn_addr[0].x + (0), 0, 2)]");
	HAS(g, "vn_addr[0].x = (ivec4(t3.xxxx)).x;");
	HAS(g, "while (true) {");
	HAS(g, "if (t4.xxxx.x != 0u) {");
	HAS(g, "break;");
	HAS(g, "dFdx(");
	HAS(g, "if (any(lessThan((-uintBitsToFloat(t7.xxxx)), vec4(0.0)))) discard;");
	HAS(g, "clamp(uintBitsToFloat(t5) * uintBitsToFloat(vn_imm[0].zzzz) + "
	       "(-abs(uintBitsToFloat(t6))), 0.0, 1.0)");
	free(g);
	glsl_emit_options_default(&o);
	o.max_loop_iterations = 1000;
	g = emit_ok(tgsi_fs_glmark_like, &o);
	HAS(g, "for (uint vn_loop0 = 0u; vn_loop0 < 1000u; vn_loop0++) {");
	LACKS(g, "vn_loop_budget");
	free(g);
	/* A budget is asked for, but the loop counts 0..3 by 1 (a counted loop,
	 * test_tgsi_loop): it needs none, and the host compiler may unroll it. */
	glsl_emit_options_default(&o);
	o.loop_budget = 4096;
	g = emit_ok(tgsi_fs_glmark_like, &o);
	HAS(g, "while (true) {");
	LACKS(g, "vn_loop_budget");
	LACKS(g, "vn_loop0");
	free(g);
}
END_TEST

START_TEST(compute)
{
	struct glsl_emit_options o;
	char *g = emit_ok(tgsi_cs_atomic_image, NULL);

	HAS(g, "layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;");
	HAS(g, "layout(std430, binding = 0) buffer cs_ssbo0 { uint d[]; } csssbo0;");
	HAS(g, "layout(rgba8, binding = 0) uniform image2D csimg0;");
	HAS(g, "vn_sv[0] = uvec4(gl_WorkGroupID, 0u);");
	HAS(g, "atomicAdd(csssbo0.d[vn_a], ");
	HAS(g, "if (vn_a + 0u < vn_n) csssbo0.d[vn_a + 0u] = ");
	HAS(g, "imageStore(csimg0, ivec2(ivec4(t0).xy), uintBitsToFloat(vn_imm[1].zwwz));");
	LACKS(g, "vn_store_outputs();\n}");
	free(g);
	glsl_emit_options_default(&o);
	o.glsl_version = 420;
	emit_fails(tgsi_cs_atomic_image, &o, -ENOTSUP, "compute shaders need GLSL 4.30");
	/* Mesa 25 declares shared memory as MEMORY[1] and accesses MEMORY[0]
	 * (piglit glsl-1.50 out-of-ssa-DFS-pre-order). */
	g = emit_ok("COMP\n"
	            "PROPERTY CS_FIXED_BLOCK_WIDTH 1\n"
	            "PROPERTY CS_FIXED_BLOCK_HEIGHT 1\n"
	            "PROPERTY CS_FIXED_BLOCK_DEPTH 1\n"
	            "DCL BUFFER[0]\n"
	            "DCL MEMORY[1], SHARED\n"
	            "DCL TEMP[0]\n"
	            "IMM[0] UINT32 {0, 7, 0, 0}\n"
	            "  0: STORE MEMORY[0].x, IMM[0].xxxx, IMM[0].yyyy\n"
	            "  1: LOAD TEMP[0].x, MEMORY[0], IMM[0].xxxx\n"
	            "  2: STORE BUFFER[0].x, IMM[0].xxxx, TEMP[0].xxxx\n"
	            "  3: END\n",
	            NULL);
	HAS(g, "shared uint vn_shared[");
	HAS(g, "vn_shared[vn_a");
	free(g);
}
END_TEST

START_TEST(winsys_flip_and_interpolation_match)
{
	static const char fs[] = "FRAG\n"
	                         "DCL IN[0], GENERIC[0], CONSTANT\n"
	                         "DCL IN[1], GENERIC[1], LINEAR, CENTROID\n"
	                         "DCL OUT[0], COLOR\n"
	                         "  0: ADD OUT[0], IN[0], IN[1]\n"
	                         "  1: END\n";
	static const char vs[] = "VERT\n"
	                         "DCL IN[0]\n"
	                         "DCL OUT[0], POSITION\n"
	                         "DCL OUT[1], GENERIC[0]\n"
	                         "DCL OUT[2], GENERIC[1]\n"
	                         "  0: MOV OUT[0], IN[0]\n"
	                         "  1: MOV OUT[1], IN[0]\n"
	                         "  2: MOV OUT[2], IN[0]\n"
	                         "  3: END\n";
	struct tgsi_shader *next = parse(fs);
	struct glsl_emit_options o;
	char *g;

	glsl_emit_options_default(&o);
	o.winsys_adjust_y = true;
	o.next = next;
	o.attrib_int_mask = 1;
	g = emit_ok(vs, &o);
	HAS(g, "uniform float winsys_adjust_y;");
	HAS(g, "gl_Position.y *= winsys_adjust_y;");
	HAS(g, "flat out vec4 vso_g0;");
	HAS(g, "noperspective centroid out vec4 vso_g1;");
	HAS(g, "layout(location = 0) in ivec4 vs_in0;");
	HAS(g, "vn_in[0] = uvec4(vs_in0);");
	free(g);
	g = emit_ok(fs, NULL);
	HAS(g, "flat in vec4 vso_g0;");
	HAS(g, "noperspective centroid in vec4 vso_g1;");
	free(g);
	tgsi_shader_destroy(next);
}
END_TEST

START_TEST(geometry)
{
	static const char gs[] = "GEOM\n"
	                         "PROPERTY GS_INPUT_PRIMITIVE TRIANGLES\n"
	                         "PROPERTY GS_OUTPUT_PRIMITIVE TRIANGLE_STRIP\n"
	                         "PROPERTY GS_MAX_OUTPUT_VERTICES 3\n"
	                         "PROPERTY GS_INVOCATIONS 1\n"
	                         "DCL IN[][0], POSITION\n"
	                         "DCL IN[][1], GENERIC[0]\n"
	                         "DCL OUT[0], POSITION\n"
	                         "DCL OUT[1], GENERIC[0]\n"
	                         "DCL SV[0], PRIM_ID\n"
	                         "DCL TEMP[0]\n"
	                         "DCL ADDR[0]\n"
	                         "IMM[0] INT32 {0, 1, 2, 3}\n"
	                         "  0: MOV OUT[0], IN[0][0]\n"
	                         "  1: UARL ADDR[0].x, IMM[0].zzzz\n"
	                         "  2: MOV OUT[1], IN[ADDR[0].x][1]\n"
	                         "  3: EMIT IMM[0].xxxx\n"
	                         "  4: ENDPRIM IMM[0].xxxx\n"
	                         "  5: END\n";
	char *g = emit_ok(gs, NULL);

	HAS(g, "layout(triangles) in;");
	HAS(g, "layout(triangle_strip, max_vertices = 3) out;");
	HAS(g, "in vec4 vso_g0[];");
	HAS(g, "out vec4 gso_g0;");
	HAS(g, "vn_out[0] = floatBitsToUint(gl_in[0].gl_Position);");
	HAS(g, "floatBitsToUint(vso_g0[clamp(vn_addr[0].x + (0), 0, 2)])");
	HAS(g, "vn_sv[0] = uvec4(uint(gl_PrimitiveIDIn), 0u, 0u, 0u);");
	HAS(g, "vn_store_outputs();\n\tEmitVertex();");
	HAS(g, "EndPrimitive();");
	LACKS(g, "\tvn_store_outputs();\n}");
	free(g);
	/* Mesa 25 declares gl_PrimitiveIDIn with the per-vertex inputs and reads
	 * it without a vertex index (piglit glsl-1.50 primitive-id-in). */
	g = emit_ok("GEOM\n"
	            "PROPERTY GS_INPUT_PRIMITIVE TRIANGLES\n"
	            "PROPERTY GS_OUTPUT_PRIMITIVE TRIANGLE_STRIP\n"
	            "PROPERTY GS_MAX_OUTPUT_VERTICES 3\n"
	            "DCL IN[][0], POSITION\n"
	            "DCL IN[][1], PRIM_ID\n"
	            "DCL OUT[0], POSITION\n"
	            "DCL OUT[1], GENERIC[0]\n"
	            "IMM[0] INT32 {0, 1, 2, 3}\n"
	            "  0: MOV OUT[0], IN[0][0]\n"
	            "  1: MOV OUT[1], IN[1].xxxx\n"
	            "  2: EMIT IMM[0].xxxx\n"
	            "  3: END\n",
	            NULL);
	HAS(g, "vn_out[1] = uvec4(uint(gl_PrimitiveIDIn), 0u, 0u, 0u).xxxx;");
	free(g);
}
END_TEST

START_TEST(errors)
{
	struct glsl_emit_options o;

	/* parsed but not translated */
	emit_fails(
	    "FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0]\n  0: U64ADD TEMP[0].xy, TEMP[0], TEMP[0]\n"
	    "  1: END\n",
	    NULL, -ENOTSUP, "instruction 0 (line 4): opcode U64ADD not translated");
	emit_fails("VERT\nDCL OUT[0], POSITION\n  0: CAL :2\n  1: END\n  2: BGNSUB\n  3: RET\n"
	           "  4: ENDSUB\n",
	           NULL, -ENOTSUP, "subroutines");
	emit_fails("TESS_EVAL\nDCL TEMP[0]\n  0: END\n", NULL, -EINVAL, "tessellation mode 0");
	emit_fails("TESS_CTRL\nPROPERTY TCS_VERTICES_OUT 33\n  0: END\n", NULL, -EINVAL,
	           "with 33 vertices");
	/* version gates */
	glsl_emit_options_default(&o);
	o.glsl_version = 330;
	emit_fails(
	    "FRAG\nDCL OUT[0], COLOR\nDCL TEMP[0]\n  0: FMA OUT[0], TEMP[0], TEMP[0], TEMP[0]\n"
	    "  1: END\n",
	    &o, -ENOTSUP, "FMA needs GLSL 400");
	emit_fails(
	    "FRAG\nDCL SV[0], SAMPLEID\nDCL OUT[0], COLOR\n  0: MOV OUT[0], SV[0]\n  1: END\n", &o,
	    -ENOTSUP, "SAMPLEID needs GLSL 400");
	emit_fails("TESS_EVAL\nPROPERTY TES_PRIM_MODE 4\n  0: END\n", &o, -ENOTSUP,
	           "tessellation shaders need GLSL 4.00");
	o.glsl_version = 300;
	emit_fails(tgsi_vs_pass, &o, -EINVAL, "GLSL version 300");
	/* stage rules */
	emit_fails("VERT\nDCL OUT[0], POSITION\nDCL TEMP[0]\n  0: DDX TEMP[0], TEMP[0]\n  1: END\n",
	           NULL, -EINVAL, "derivatives outside a fragment shader");
	emit_fails("VERT\nDCL OUT[0], POSITION\n  0: KILL\n  1: END\n", NULL, -EINVAL,
	           "KILL outside a fragment shader");
	emit_fails("FRAG\nDCL OUT[0], COLOR\nDCL SAMP[0]\nDCL TEMP[0]\n"
	           "  0: TEX TEMP[0], TEMP[0], SAMP[0], 2D\n"
	           "  1: TEX TEMP[0], TEMP[0], SAMP[0], 3D\n  2: END\n",
	           NULL, -ENOTSUP, "sampler 0 used as 2D and 3D");
	emit_fails("FRAG\nDCL OUT[0], COLOR\nDCL SAMP[0]\nDCL TEMP[0]\nDCL ADDR[0]\n"
	           "  0: TEX TEMP[0], TEMP[0], SAMP[ADDR[0].x], 2D\n  1: END\n",
	           NULL, -ENOTSUP, "indirect sampler index");
	emit_fails("FRAG\nDCL OUT[0], COLOR\nDCL SAMP[0]\nDCL TEMP[0]\n"
	           "  0: TEX TEMP[0], TEMP[0], SAMP[0], 2D, TEMP[0].xyz\n  1: END\n",
	           NULL, -ENOTSUP, "non-constant texel offset");
	emit_fails("FRAG\nDCL OUT[0], PSIZE\n  0: END\n", NULL, -ENOTSUP, "fragment output PSIZE");
	emit_fails("FRAG\nDCL IN[0], EDGEFLAG\nDCL OUT[0], COLOR\n  0: END\n", NULL, -ENOTSUP,
	           "fragment input EDGEFLAG");
	emit_fails("VERT\nDCL OUT[0], LAYER\n  0: END\n", NULL, -ENOTSUP,
	           "LAYER output outside a geometry shader");
	emit_fails("GEOM\nDCL OUT[0], POSITION\n  0: END\n", NULL, -EINVAL,
	           "without primitive properties");
	/* size cap */
	glsl_emit_options_default(&o);
	o.max_text_len = 200;
	emit_fails(tgsi_fs_glmark_like, &o, -ENOSPC, "GLSL text over 200 bytes");
	/* no error buffer */
	{
		struct tgsi_shader *sh = parse("TESS_CTRL\n  0: END\n");
		char *g = NULL;

		ck_assert_int_eq(glsl_emit(sh, NULL, &g, NULL, NULL, 0), -EINVAL);
		tgsi_shader_destroy(sh);
	}
}
END_TEST

/* The emitter on every parseable single-byte mutation of the samples. */
START_TEST(emit_mutations)
{
	static const char subst[] = {' ', '0', '1', '9', 'x', 'y', 'w', '-', '|', '.', '\n'};
	const char *samples[] = {tgsi_vs_pass,      tgsi_fs_tex_tint,     tgsi_fs_fixed,
	                         tgsi_fs_abs_ivec2, tgsi_cs_atomic_image, tgsi_fs_glmark_like,
	                         tgsi_tcs_pass,     tgsi_tes_pass};
	unsigned parsed = 0, emitted = 0;

	for (size_t s = 0; s < sizeof(samples) / sizeof(samples[0]); s++) {
		size_t n = strlen(samples[s]);
		char *t = malloc(n);

		for (size_t k = 0; k < n; k++) {
			for (size_t c = 0; c < sizeof(subst); c++) {
				struct tgsi_shader *sh = NULL;
				struct glsl_emit_options o;

				memcpy(t, samples[s], n);
				t[k] = subst[c];
				if (tgsi_parse_text(t, n, NULL, &sh, NULL, 0))
					continue;
				parsed++;
				glsl_emit_options_default(&o);
				for (int v = 0; v < 2; v++) {
					char *g = NULL;
					int ret;

					o.glsl_version = v ? 330 : 450;
					ret = glsl_emit(sh, &o, &g, NULL, NULL, 0);
					ck_assert(ret == 0 || ret == -ENOTSUP || ret == -EINVAL);
					ck_assert(ret ? g == NULL : g != NULL);
					emitted += ret == 0;
					free(g);
				}
				tgsi_shader_destroy(sh);
			}
		}
		free(t);
	}
	ck_assert_uint_gt(parsed, 100);
	ck_assert_uint_gt(emitted, 100);
}
END_TEST

START_TEST(stream_output)
{
	struct glsl_so_output so[2];
	struct glsl_emit_options o;
	char *g;

	/* OUT[1].xy -> buffer 0 at dword 0; OUT[0].yzw -> buffer 1 at dword 2 */
	glsl_so_output_decode(1u | 0u << 8 | 2u << 10 | 0u << 13 | 0u << 16, 0, &so[0]);
	glsl_so_output_decode(0u | 1u << 8 | 3u << 10 | 1u << 13 | 2u << 16, 0, &so[1]);
	ck_assert_uint_eq(so[0].register_index, 1);
	ck_assert_uint_eq(so[0].num_components, 2);
	ck_assert_uint_eq(so[1].start_component, 1);
	ck_assert_uint_eq(so[1].num_components, 3);
	ck_assert_uint_eq(so[1].output_buffer, 1);
	ck_assert_uint_eq(so[1].dst_offset, 2);
	glsl_emit_options_default(&o);
	o.so_outputs = so;
	o.num_so_outputs = 2;
	o.so_stride[0] = 2;
	o.so_stride[1] = 5;
	g = emit_ok(tgsi_vs_pass, &o);
	HAS(g, "layout(xfb_buffer = 0, xfb_stride = 8) out;");
	HAS(g, "layout(xfb_buffer = 0, xfb_offset = 0) out vec2 vn_so0;");
	HAS(g, "layout(xfb_buffer = 1, xfb_stride = 20) out;");
	HAS(g, "layout(xfb_buffer = 1, xfb_offset = 8) out vec3 vn_so1;");
	HAS(g, "vn_so0 = uintBitsToFloat(vn_out[1]).xy;");
	HAS(g, "vn_so1 = uintBitsToFloat(vn_out[0]).yzw;");
	free(g);
	o.glsl_version = 410;
	g = emit_ok(tgsi_vs_pass, &o);
	HAS(g, "\nout vec2 vn_so0;");
	LACKS(g, "xfb_");
	free(g);
	/* bad captures */
	so[1].start_component = 2;
	emit_fails(tgsi_vs_pass, &o, -EINVAL, "bad stream output 1");
	so[1].start_component = 1;
	so[1].register_index = 2;
	emit_fails(tgsi_vs_pass, &o, -EINVAL, "bad stream output 1");
	so[1].register_index = 0;
	so[1].stream = 1;
	emit_fails(tgsi_vs_pass, &o, -ENOTSUP, "vertex stream 1");
	so[1].stream = 0;
	o.num_so_outputs = 65;
	emit_fails(tgsi_vs_pass, &o, -EINVAL, "65 stream outputs");
	o.num_so_outputs = 1;
	emit_fails(tgsi_fs_fixed, &o, -EINVAL, "stream output from this stage");
}
END_TEST

START_TEST(tessellation)
{
	char *g = emit_ok(tgsi_tcs_pass, NULL);

	HAS(g, "layout(vertices = 3) out;");
	HAS(g, "patch out vec4 tco_p0;");
	HAS(g, "out vec4 tco_g0[];");
	HAS(g, "in vec4 vso_g0[];");
	HAS(g, "vn_sv[0] = uvec4(uint(gl_InvocationID), 0u, 0u, 0u);");
	HAS(g, "floatBitsToUint(gl_in[clamp(vn_addr[0].x + (0), 0, 31)].gl_Position)");
	HAS(g, "gl_out[gl_InvocationID].gl_Position = uintBitsToFloat(t0);");
	HAS(g, "tco_g0[gl_InvocationID] = uintBitsToFloat(floatBitsToUint(vso_g0[");
	HAS(g, "tco_p0 = uintBitsToFloat(vn_imm[0]);");
	HAS(g, "gl_TessLevelOuter[3] = vn_t.w;");
	HAS(g, "gl_TessLevelInner[1] = vn_t.y;");
	LACKS(g, "gl_TessLevelInner[2]");
	LACKS(g, "vn_out");
	free(g);
	g = emit_ok(tgsi_tes_pass, NULL);
	HAS(g, "layout(triangles, equal_spacing, ccw) in;");
	HAS(g, "patch in vec4 tco_p0;");
	HAS(g, "in vec4 tco_g0[];");
	HAS(g, "out vec4 teo_g0;");
	HAS(g, "vn_in[2] = floatBitsToUint(tco_p0);");
	HAS(g, "vn_sv[0] = floatBitsToUint(vec4(gl_TessCoord, 0.0));");
	HAS(g, "floatBitsToUint(gl_in[2].gl_Position)");
	HAS(g, "teo_g0 = uintBitsToFloat(vn_out[1]);");
	free(g);
}
END_TEST

START_TEST(two_sided_color_and_clip_planes)
{
	struct glsl_emit_options o;
	char *g;

	glsl_emit_options_default(&o);
	o.two_sided_color = true;
	o.flatshade = true;
	g = emit_ok(tgsi_fs_fixed, &o);
	HAS(g, "flat in vec4 vso_c0;");
	HAS(g, "flat in vec4 vso_bc0;");
	HAS(g, "vn_in[0] = floatBitsToUint(gl_FrontFacing ? vso_c0 : vso_bc0);");
	free(g);
	glsl_emit_options_default(&o);
	o.clip_plane_mask = 0x5;
	g = emit_ok(tgsi_vs_pass, &o);
	HAS(g, "uniform vec4 vn_clip_plane[8];");
	HAS(g, "vec4 vn_cv = uintBitsToFloat(vn_out[0]);");
	HAS(g, "gl_ClipDistance[0] = dot(vn_cv, vn_clip_plane[0]);");
	HAS(g, "gl_ClipDistance[2] = dot(vn_cv, vn_clip_plane[2]);");
	LACKS(g, "gl_ClipDistance[1]");
	free(g);
	emit_fails(tgsi_fs_fixed, &o, -EINVAL, "clip planes in this stage");
	/* varyings the fragment shader reads and the vertex shader lacks */
	{
		struct tgsi_shader *fs = parse(tgsi_fs_fixed);

		glsl_emit_options_default(&o);
		o.next = fs;
		o.flatshade = true;
		o.two_sided_color = true;
		g = emit_ok(tgsi_vs_pass, &o);
		HAS(g, "flat out vec4 vso_c0;");
		HAS(g, "vso_c0 = vec4(0.0);");
		HAS(g, "flat out vec4 vso_bc0;");
		HAS(g, "vso_bc0 = vec4(0.0);");
		free(g);
		g = emit_ok("VERT\nDCL IN[0]\nDCL OUT[0], POSITION\nDCL OUT[1], COLOR\n"
		            "  0: MOV OUT[0], IN[0]\n  1: MOV OUT[1], IN[0]\n  2: END\n",
		            &o);
		LACKS(g, "vso_c0 = vec4(0.0);");
		HAS(g, "vso_bc0 = uintBitsToFloat(vn_out[1]);");
		free(g);
		tgsi_shader_destroy(fs);
	}
}
END_TEST

static Suite *glsl_suite(void)
{
	Suite *s = suite_create("tgsi_glsl");
	TCase *tc = tcase_create("glsl");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, vertex_pass);
	tcase_add_test(tc, component_inputs_and_cull_distances);
	tcase_add_test(tc, blend_support_layouts);
	tcase_add_test(tc, fragment_tex_tint);
	tcase_add_test(tc, fragment_fixed_all_cbufs_and_flat);
	tcase_add_test(tc, integer_ops_and_select);
	tcase_add_test(tc, glmark_constructs);
	tcase_add_test(tc, compute);
	tcase_add_test(tc, winsys_flip_and_interpolation_match);
	tcase_add_test(tc, geometry);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, stream_output);
	tcase_add_test(tc, tessellation);
	tcase_add_test(tc, two_sided_color_and_clip_planes);
	tcase_add_test(tc, emit_mutations);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(glsl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
