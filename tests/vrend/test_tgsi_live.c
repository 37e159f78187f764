/* SPDX-License-Identifier: MIT */
/*
 * TGSI -> GLSL on the live host GL (surfaceless llvmpipe here): every captured
 * shader of §5.6 compiles, every vertex/fragment pair links (GLSL 4.50 down to
 * 3.30), and draws and dispatches produce the values computed by hand: the
 * textured and tinted triangle, piglit's integer select, the glmark-like loop
 * over an indexed array with KILL_IF on a LOWER_LEFT gl_FragCoord, the y flip,
 * the compute shader's atomics and image store, geometry and tessellation
 * pipelines, and transform feedback. Exact per-opcode results are in
 * test_tgsi_calc.c.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "test_tgsi_gl.h"

/* A fixed-function vertex shader as Mesa writes it (position through a
 * matrix in CONST[0..3], color through a scratch temp, §5.5 rule 7). */
static const char tgsi_vs_ff[] = "VERT\n"
                                 "DCL IN[0]\n"
                                 "DCL IN[1]\n"
                                 "DCL OUT[0], POSITION\n"
                                 "DCL OUT[1], COLOR\n"
                                 "DCL CONST[0..3]\n"
                                 "DCL TEMP[0..1]\n"
                                 "DCL TEMP[2..5]\n"
                                 "  0: MUL TEMP[0], CONST[0], IN[0].xxxx\n"
                                 "  1: MAD TEMP[0], CONST[1], IN[0].yyyy, TEMP[0]\n"
                                 "  2: MAD TEMP[0], CONST[2], IN[0].zzzz, TEMP[0]\n"
                                 "  3: MAD OUT[0], CONST[3], IN[0].wwww, TEMP[0]\n"
                                 "  4: MOV TEMP[1], IN[1]\n"
                                 "  5: MOV OUT[1], TEMP[1]\n"
                                 "  6: END\n";

START_TEST(captured_pairs_link)
{
	static const char *const pairs[][2] = {
	    {tgsi_vs_pass, tgsi_fs_tex_tint},  {tgsi_vs_ff, tgsi_fs_fixed},
	    {tgsi_vs_pass, tgsi_fs_abs_ivec2}, {tgsi_vs_pass, tgsi_fs_glmark_like},
	    {tgsi_vs_ff, tgsi_fs_abs_ivec2},   {tgsi_vs_pass, tgsi_fs_fixed}, /* COLOR made up */
	};
	static const uint32_t versions[] = {450, 330, 400, 430};

	for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]); v++) {
		for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
			GLuint p = build_pair(pairs[i][0], pairs[i][1], versions[v], v & 1);

			glDeleteProgram(p);
		}
	}
}
END_TEST

START_TEST(captured_compute_compiles)
{
	struct tgsi_shader *cs = parse(tgsi_cs_atomic_image);
	char *glsl = emit(cs, NULL);
	GLuint p = link(compile(GL_COMPUTE_SHADER, glsl), 0);

	glDeleteProgram(p);
	free(glsl);
	tgsi_shader_destroy(cs);
}
END_TEST

START_TEST(pixels_texture_tint)
{
	GLuint prog = build_pair(tgsi_vs_pass, tgsi_fs_tex_tint, 450, false);
	const uint8_t texel[4] = {200, 100, 50, 255};
	const float tint[4] = {0.5f, 1.0f, 2.0f, 1.0f};
	struct target t;
	GLuint tex;

	target_init(&t, black, fullscreen);
	glGenTextures(1, &tex);
	glActiveTexture(GL_TEXTURE0);
	glBindTexture(GL_TEXTURE_2D, tex);
	glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, 1, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, texel);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
	glUseProgram(prog);
	set_consts(prog, "fsconst0", tint, 1);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	/* texel * tint, clamped by the UNORM target: 100, 100, 100, 255 */
	for (int y = 0; y < H; y += 5)
		for (int x = 0; x < W; x += 5)
			assert_rgba(pixel(x, y), 100, 100, 100, 255, x, y);
	glDeleteTextures(1, &tex);
	glDeleteProgram(prog);
	target_fini(&t);
}
END_TEST

START_TEST(pixels_integer_select)
{
	/* piglit fs-abs-ivec2: green iff abs(CONST[0].xy) == CONST[1].xy */
	static const int32_t match[2][4] = {{-3, 4, 0, 0}, {3, 4, 0, 0}};
	static const int32_t differ[2][4] = {{-3, 5, 0, 0}, {3, 4, 0, 0}};

	for (int v = 0; v < 2; v++) {
		GLuint prog = build_pair(tgsi_vs_pass, tgsi_fs_abs_ivec2, v ? 330 : 450, false);
		struct target t;

		target_init(&t, black, fullscreen);
		glUseProgram(prog);
		set_consts(prog, "fsconst0", match, 2);
		glDrawArrays(GL_TRIANGLES, 0, 3);
		assert_rgba(pixel(3, 3), 0, 255, 0, 255, 3, 3);
		set_consts(prog, "fsconst0", differ, 2);
		glDrawArrays(GL_TRIANGLES, 0, 3);
		assert_rgba(pixel(3, 3), 255, 0, 0, 255, 3, 3);
		glDeleteProgram(prog);
		target_fini(&t);
	}
}
END_TEST

START_TEST(pixels_loop_array_kill_lower_left)
{
	/* TEMP[0..2] = CONST[0..2]; a loop sums them through ADDR indexing;
	 * OUT = sat(sum * 0.5 - |ddx/ddy of a constant|); fragments whose
	 * LOWER_LEFT y is below CONST[3].x are killed. */
	static const float consts[4][4] = {{0.1f, 0.2f, 0.3f, 0.4f},
	                                   {0.2f, 0.2f, 0.2f, 0.2f},
	                                   {0.3f, 0.0f, 0.1f, 0.9f},
	                                   {8, 0, 0, 0}};
	const float clear[4] = {0, 0, 1, 1};
	GLuint prog = build_pair(tgsi_vs_pass, tgsi_fs_glmark_like, 450, false);
	struct target t;

	target_init(&t, clear, fullscreen);
	glUseProgram(prog);
	set_consts(prog, "fsconst0", consts, 4);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	/* sum = (0.6, 0.4, 0.6, 1.5) * 0.5 = (0.3, 0.2, 0.3, 0.75) */
	for (int y = 0; y < H; y++) {
		uint32_t p = pixel(7, y);

		/* LOWER_LEFT y of GL row y is H - (y + 0.5): kept when >= 8 */
		if (H - (y + 0.5) >= 8.0)
			assert_rgba(p, 77, 51, 77, 191, 7, y);
		else
			assert_rgba(p, 0, 0, 255, 255, 7, y);
	}
	glDeleteProgram(prog);
	target_fini(&t);
}
END_TEST

START_TEST(pixels_winsys_y_flip)
{
	/* a triangle covering the upper half of clip space (y > 0) */
	static const float upper[6] = {-1, 0, 3, 0, -1, 2};
	static const float ident[4][4] = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
	GLuint prog = build_pair(tgsi_vs_ff, tgsi_fs_fixed, 450, true);
	struct target t;
	GLint loc;

	target_init(&t, black, upper);
	glUseProgram(prog);
	set_consts(prog, "vsconst0", ident, 4);
	loc = glGetUniformLocation(prog, "winsys_adjust_y");
	ck_assert_int_ge(loc, 0);
	/* attribute 1 is the color: uv (0.5, 0.5) and the rest default (0, 1) */
	glUniform1f(loc, 1.0f);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	assert_rgba(pixel(5, 12), 128, 128, 0, 255, 5, 12);
	assert_rgba(pixel(5, 3), 0, 0, 0, 0, 5, 3);
	glClear(GL_COLOR_BUFFER_BIT);
	glUniform1f(loc, -1.0f);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	assert_rgba(pixel(5, 12), 0, 0, 0, 0, 5, 12);
	assert_rgba(pixel(5, 3), 128, 128, 0, 255, 5, 3);
	glDeleteProgram(prog);
	target_fini(&t);
}
END_TEST

START_TEST(compute_atomics_and_image)
{
	struct tgsi_shader *cs = parse(tgsi_cs_atomic_image);
	char *glsl = emit(cs, NULL);
	GLuint prog = link(compile(GL_COMPUTE_SHADER, glsl), 0);
	const uint32_t scale[4] = {1000, 0, 0, 0};
	GLuint ssbo, img;
	uint32_t *words;
	uint8_t *pixels;

	glGenBuffers(1, &ssbo);
	glBindBuffer(GL_SHADER_STORAGE_BUFFER, ssbo);
	glBufferData(GL_SHADER_STORAGE_BUFFER, 1024, NULL, GL_DYNAMIC_READ);
	glClearBufferData(GL_SHADER_STORAGE_BUFFER, GL_R32UI, GL_RED_INTEGER, GL_UNSIGNED_INT,
	                  NULL);
	glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, ssbo);
	glGenTextures(1, &img);
	glBindTexture(GL_TEXTURE_2D, img);
	glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, 8, 32);
	glBindImageTexture(0, img, 0, GL_FALSE, 0, GL_WRITE_ONLY, GL_RGBA8);
	glUseProgram(prog);
	set_consts(prog, "csconst0", scale, 1);
	glDispatchCompute(4, 1, 1);
	glMemoryBarrier(GL_ALL_BARRIER_BITS);
	ck_assert_uint_eq(glGetError(), GL_NO_ERROR);

	/* word g (g >= 1) = g * scale + the counter value thread g saw; word 0 is
	 * both the counter and thread 0's slot (the captured shader races on it),
	 * so counter values may repeat but stay below the number of threads */
	words = glMapBufferRange(GL_SHADER_STORAGE_BUFFER, 0, 1024, GL_MAP_READ_BIT);
	ck_assert_ptr_nonnull(words);
	for (uint32_t g = 1; g < 256; g++) {
		uint32_t old = words[g] - g * 1000;

		ck_assert_msg(old < 256, "word %u = %u", g, words[g]);
	}
	glUnmapBuffer(GL_SHADER_STORAGE_BUFFER);
	/* every texel (g & 7, g >> 3) written with (1, 0, 0, 1) */
	pixels = calloc(8 * 32, 4);
	glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
	for (int i = 0; i < 8 * 32; i++)
		ck_assert_msg(pixels[4 * i] == 255 && pixels[4 * i + 1] == 0 &&
		                  pixels[4 * i + 2] == 0 && pixels[4 * i + 3] == 255,
		              "texel %d", i);
	free(pixels);
	glDeleteTextures(1, &img);
	glDeleteBuffers(1, &ssbo);
	glDeleteProgram(prog);
	free(glsl);
	tgsi_shader_destroy(cs);
}
END_TEST

/* ---- geometry: VS -> GS (loop, indexed vertex, EMIT) -> FS ---- */

static const char tgsi_gs_loop[] = "GEOM\n"
                                   "PROPERTY GS_INPUT_PRIMITIVE TRIANGLES\n"
                                   "PROPERTY GS_OUTPUT_PRIMITIVE TRIANGLE_STRIP\n"
                                   "PROPERTY GS_MAX_OUTPUT_VERTICES 3\n"
                                   "PROPERTY GS_INVOCATIONS 1\n"
                                   "DCL IN[][0], POSITION\n"
                                   "DCL IN[][1], GENERIC[0]\n"
                                   "DCL OUT[0], POSITION\n"
                                   "DCL OUT[1], GENERIC[0]\n"
                                   "DCL TEMP[0]\n"
                                   "DCL ADDR[0]\n"
                                   "IMM[0] UINT32 {0, 1, 3, 1065353216}\n"
                                   "IMM[1] FLT32 {0x3f800000, 0x3e800000, 0x00000000, 0x3f800000}\n"
                                   "  0: MOV TEMP[0].x, IMM[0].xxxx\n"
                                   "  1: BGNLOOP :11\n"
                                   "  2:   USGE TEMP[0].y, TEMP[0].xxxx, IMM[0].zzzz\n"
                                   "  3:   UIF TEMP[0].yyyy :5\n"
                                   "  4:     BRK\n"
                                   "  5:   ENDIF\n"
                                   "  6:   UARL ADDR[0].x, TEMP[0].xxxx\n"
                                   "  7:   MOV OUT[0], IN[ADDR[0].x][0]\n"
                                   "  8:   MOV OUT[1], IMM[1]\n"
                                   "  9:   EMIT IMM[0].xxxx\n"
                                   " 10:   UADD TEMP[0].x, TEMP[0].xxxx, IMM[0].yyyy\n"
                                   " 11: ENDLOOP :1\n"
                                   " 12: ENDPRIM IMM[0].xxxx\n"
                                   " 13: END\n";

static const char tgsi_fs_generic[] = "FRAG\n"
                                      "DCL IN[0], GENERIC[0], PERSPECTIVE\n"
                                      "DCL OUT[0], COLOR\n"
                                      "  0: MOV OUT[0], IN[0]\n"
                                      "  1: END\n";

START_TEST(pixels_geometry)
{
	static const float upper[6] = {-1, 0, 3, 0, -1, 2};
	struct tgsi_shader *vs = parse(tgsi_vs_pass), *gs = parse(tgsi_gs_loop),
	                   *fs = parse(tgsi_fs_generic);
	struct glsl_emit_options o;
	char *vs_glsl, *gs_glsl, *fs_glsl;
	GLuint prog, shaders[3];
	struct target t;
	GLint ok = 0;

	glsl_emit_options_default(&o);
	vs_glsl = emit(vs, &o);
	o.next = fs;
	o.winsys_adjust_y = true;
	gs_glsl = emit(gs, &o);
	glsl_emit_options_default(&o);
	o.prev_stage = TGSI_PROC_GEOMETRY;
	fs_glsl = emit(fs, &o);
	shaders[0] = compile(GL_VERTEX_SHADER, vs_glsl);
	shaders[1] = compile(GL_GEOMETRY_SHADER, gs_glsl);
	shaders[2] = compile(GL_FRAGMENT_SHADER, fs_glsl);
	prog = glCreateProgram();
	for (int i = 0; i < 3; i++) {
		glAttachShader(prog, shaders[i]);
		glDeleteShader(shaders[i]);
	}
	glLinkProgram(prog);
	glGetProgramiv(prog, GL_LINK_STATUS, &ok);
	ck_assert(ok);

	target_init(&t, black, upper);
	glUseProgram(prog);
	glUniform1f(glGetUniformLocation(prog, "winsys_adjust_y"), -1.0f);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	/* flipped by the last vertex stage: rows 0..7 get (1, 0.25, 0, 1) */
	assert_rgba(pixel(5, 3), 255, 64, 0, 255, 5, 3);
	assert_rgba(pixel(5, 12), 0, 0, 0, 0, 5, 12);
	target_fini(&t);
	glDeleteProgram(prog);
	free(vs_glsl);
	free(gs_glsl);
	free(fs_glsl);
	tgsi_shader_destroy(vs);
	tgsi_shader_destroy(gs);
	tgsi_shader_destroy(fs);
}
END_TEST

/* ---- stream output: captured by xfb qualifiers (4.50) or by name (4.10) ---- */

START_TEST(transform_feedback)
{
	static const uint32_t versions[] = {450, 410};
	struct glsl_so_output so[2] = {
	    {.register_index = 1, .start_component = 0, .num_components = 2, .dst_offset = 0},
	    {.register_index = 0, .start_component = 0, .num_components = 4, .dst_offset = 2}};

	for (size_t v = 0; v < 2; v++) {
		struct tgsi_shader *vs = parse(tgsi_vs_pass);
		struct glsl_emit_options o;
		struct target t;
		char *glsl;
		GLuint prog, buf, sh;
		GLint ok = 0;
		float *out;

		glsl_emit_options_default(&o);
		o.glsl_version = versions[v];
		o.so_outputs = so;
		o.num_so_outputs = 2;
		o.so_stride[0] = 6;
		glsl = emit(vs, &o);
		sh = compile(GL_VERTEX_SHADER, glsl);
		prog = glCreateProgram();
		glAttachShader(prog, sh);
		if (versions[v] < 440) {
			const char *names[] = {"vn_so0", "vn_so1"};

			glTransformFeedbackVaryings(prog, 2, names, GL_INTERLEAVED_ATTRIBS);
		}
		glLinkProgram(prog);
		glGetProgramiv(prog, GL_LINK_STATUS, &ok);
		ck_assert(ok);
		glDeleteShader(sh);

		target_init(&t, black, fullscreen);
		glGenBuffers(1, &buf);
		glBindBuffer(GL_TRANSFORM_FEEDBACK_BUFFER, buf);
		glBufferData(GL_TRANSFORM_FEEDBACK_BUFFER, 3 * 6 * 4, NULL, GL_STATIC_READ);
		glBindBufferBase(GL_TRANSFORM_FEEDBACK_BUFFER, 0, buf);
		glUseProgram(prog);
		glEnable(GL_RASTERIZER_DISCARD);
		glBeginTransformFeedback(GL_TRIANGLES);
		glDrawArrays(GL_TRIANGLES, 0, 3);
		glEndTransformFeedback();
		glDisable(GL_RASTERIZER_DISCARD);
		ck_assert_uint_eq(glGetError(), GL_NO_ERROR);
		out = glMapBufferRange(GL_TRANSFORM_FEEDBACK_BUFFER, 0, 3 * 6 * 4, GL_MAP_READ_BIT);
		ck_assert_ptr_nonnull(out);
		for (int i = 0; i < 3; i++) {
			const float want[6] = {0.5f, 0.5f, fullscreen[2 * i], fullscreen[2 * i + 1],
			                       0.0f, 1.0f};

			for (int k = 0; k < 6; k++)
				ck_assert_msg(out[6 * i + k] == want[k],
				              "GLSL %u vertex %d [%d] = %f", versions[v], i, k,
				              out[6 * i + k]);
		}
		glUnmapBuffer(GL_TRANSFORM_FEEDBACK_BUFFER);
		glDeleteBuffers(1, &buf);
		glDeleteProgram(prog);
		target_fini(&t);
		free(glsl);
		tgsi_shader_destroy(vs);
	}
}
END_TEST

/* ---- tessellation: VS -> TCS -> TES -> FS on one patch ---- */

START_TEST(pixels_tessellation)
{
	static const float upper[6] = {-1, 0, 3, 0, -1, 2};
	const char *texts[4] = {tgsi_vs_pass, tgsi_tcs_pass, tgsi_tes_pass, tgsi_fs_generic};
	const GLenum types[4] = {GL_VERTEX_SHADER, GL_TESS_CONTROL_SHADER,
	                         GL_TESS_EVALUATION_SHADER, GL_FRAGMENT_SHADER};
	struct tgsi_shader *sh[4];
	GLuint prog = glCreateProgram();
	struct target t;
	GLint ok = 0;

	for (int i = 0; i < 4; i++)
		sh[i] = parse(texts[i]);
	for (int i = 0; i < 4; i++) {
		struct glsl_emit_options o;
		char *glsl;
		GLuint s;

		glsl_emit_options_default(&o);
		o.next = i < 3 ? sh[i + 1] : NULL;
		o.winsys_adjust_y = i == 2;
		if (i == 3)
			o.prev_stage = TGSI_PROC_TESS_EVAL;
		glsl = emit(sh[i], &o);
		s = compile(types[i], glsl);
		glAttachShader(prog, s);
		glDeleteShader(s);
		free(glsl);
	}
	glLinkProgram(prog);
	glGetProgramiv(prog, GL_LINK_STATUS, &ok);
	ck_assert(ok);

	target_init(&t, black, upper);
	glUseProgram(prog);
	glUniform1f(glGetUniformLocation(prog, "winsys_adjust_y"), -1.0f);
	glPatchParameteri(GL_PATCH_VERTICES, 3);
	glDrawArrays(GL_PATCHES, 0, 3);
	ck_assert_uint_eq(glGetError(), GL_NO_ERROR);
	/* the patch color from the TCS, on the flipped (lower) half */
	assert_rgba(pixel(5, 3), 255, 64, 0, 255, 5, 3);
	assert_rgba(pixel(5, 12), 0, 0, 0, 0, 5, 12);
	target_fini(&t);
	glDeleteProgram(prog);
	for (int i = 0; i < 4; i++)
		tgsi_shader_destroy(sh[i]);
}
END_TEST

/* ---- two-sided color and user clip planes ---- */

static const char tgsi_vs_two_colors[] =
    "VERT\n"
    "DCL IN[0]\n"
    "DCL OUT[0], POSITION\n"
    "DCL OUT[1], COLOR\n"
    "DCL OUT[2], BCOLOR\n"
    "IMM[0] FLT32 {0x3f800000, 0x00000000, 0x00000000, 0x3f800000}\n"
    "IMM[1] FLT32 {0x00000000, 0x3f800000, 0x00000000, 0x3f800000}\n"
    "DCL TEMP[0..3]\n"
    "  0: MOV OUT[0], IN[0]\n"
    "  1: MOV OUT[1], IMM[0]\n"
    "  2: MOV OUT[2], IMM[1]\n"
    "  3: END\n";

static GLuint build_two_sided(uint8_t clip_mask)
{
	struct tgsi_shader *vs = parse(tgsi_vs_two_colors), *fs = parse(tgsi_fs_fixed);
	struct glsl_emit_options o;
	char *vs_glsl, *fs_glsl;
	GLuint prog;

	glsl_emit_options_default(&o);
	o.two_sided_color = true;
	o.next = fs;
	o.clip_plane_mask = clip_mask;
	vs_glsl = emit(vs, &o);
	glsl_emit_options_default(&o);
	o.two_sided_color = true;
	fs_glsl = emit(fs, &o);
	prog = link(compile(GL_VERTEX_SHADER, vs_glsl), compile(GL_FRAGMENT_SHADER, fs_glsl));
	free(vs_glsl);
	free(fs_glsl);
	tgsi_shader_destroy(vs);
	tgsi_shader_destroy(fs);
	return prog;
}

START_TEST(pixels_two_sided_color)
{
	static const float back[6] = {-1, -1, -1, 3, 3, -1}; /* clockwise */
	GLuint prog = build_two_sided(0);
	struct target t;

	target_init(&t, black, fullscreen);
	glUseProgram(prog);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	assert_rgba(pixel(4, 4), 255, 0, 0, 255, 4, 4); /* front: COLOR */
	target_fini(&t);
	target_init(&t, black, back);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	assert_rgba(pixel(4, 4), 0, 255, 0, 255, 4, 4); /* back: BCOLOR */
	target_fini(&t);
	glDeleteProgram(prog);
}
END_TEST

START_TEST(pixels_user_clip_plane)
{
	static const float keep_upper[4] = {0, 1, 0, 0}; /* y >= 0 */
	GLuint prog = build_two_sided(1u << 3);
	struct target t;

	target_init(&t, black, fullscreen);
	glUseProgram(prog);
	glUniform4fv(glGetUniformLocation(prog, "vn_clip_plane[3]"), 1, keep_upper);
	glEnable(GL_CLIP_DISTANCE3);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	glDisable(GL_CLIP_DISTANCE3);
	assert_rgba(pixel(4, 12), 255, 0, 0, 255, 4, 12);
	assert_rgba(pixel(4, 3), 0, 0, 0, 0, 4, 3);
	target_fini(&t);
	glDeleteProgram(prog);
}
END_TEST

/* ARB_cull_distance as Mesa sends it: one CLIPDIST register, clip distances
 * first (.x, NUM_CLIPDIST_ENABLED 1), then cull distances (.y,
 * NUM_CULLDIST_ENABLED 1). The clip distance is the vertex's y (clips the lower
 * half with GL_CLIP_DISTANCE0 on), the cull distance CONST[0].x. */
static const char tgsi_vs_clip_cull[] = "VERT\n"
                                        "PROPERTY NUM_CLIPDIST_ENABLED 1\n"
                                        "PROPERTY NUM_CULLDIST_ENABLED 1\n"
                                        "DCL IN[0]\n"
                                        "DCL OUT[0], POSITION\n"
                                        "DCL OUT[1].xy, CLIPDIST[0]\n"
                                        "DCL CONST[0]\n"
                                        "IMM[0] FLT32 {0.0, 1.0, 0.0, 0.0}\n"
                                        "  0: MOV OUT[0].xy, IN[0].xyxx\n"
                                        "  1: MOV OUT[0].zw, IMM[0].xxxy\n"
                                        "  2: MOV OUT[1].x, IN[0].yyyy\n"
                                        "  3: MOV OUT[1].y, CONST[0].xxxx\n"
                                        "  4: END\n";

static const char tgsi_fs_red[] = "FRAG\n"
                                  "DCL OUT[0], COLOR\n"
                                  "IMM[0] FLT32 {1.0, 0.0, 0.0, 1.0}\n"
                                  "  0: MOV OUT[0], IMM[0]\n"
                                  "  1: END\n";

START_TEST(pixels_cull_distance)
{
	static const float plus_one[4] = {1.0f, 0, 0, 0}, minus_one[4] = {-1.0f, 0, 0, 0};
	GLuint prog = build_pair(tgsi_vs_clip_cull, tgsi_fs_red, 450, false);
	struct target t;

	target_init(&t, black, fullscreen);
	glUseProgram(prog);
	glEnable(GL_CLIP_DISTANCE0);
	set_consts(prog, "vsconst0", plus_one, 1);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	assert_rgba(pixel(4, 12), 255, 0, 0, 255, 4, 12); /* y > 0: kept */
	assert_rgba(pixel(4, 3), 0, 0, 0, 0, 4, 3);       /* y < 0: clipped by .x */
	glClear(GL_COLOR_BUFFER_BIT);
	set_consts(prog, "vsconst0", minus_one, 1);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	/* every vertex's cull distance is negative: the whole triangle is culled
	 * (were .y a clip distance, its plane would be off and the top half drawn) */
	assert_rgba(pixel(4, 12), 0, 0, 0, 0, 4, 12);
	glDisable(GL_CLIP_DISTANCE0);
	target_fini(&t);
	glDeleteProgram(prog);
}
END_TEST

/* ARB_enhanced_layouts component qualifiers as Mesa sends them: the VS
 * writes one GENERIC[0] register from two variables (.xy and .zw), the FS
 * declares the same input register twice, once per component pair. */
static const char tgsi_vs_two_halves[] = "VERT\n"
                                         "DCL IN[0]\n"
                                         "DCL OUT[0], POSITION\n"
                                         "DCL OUT[1], GENERIC[0]\n"
                                         "IMM[0] FLT32 {0.0, 1.0, 0.25, 0.75}\n"
                                         "  0: MOV OUT[0].xy, IN[0].xyxx\n"
                                         "  1: MOV OUT[0].zw, IMM[0].xxxy\n"
                                         "  2: MOV OUT[1].xy, IMM[0].zwxx\n"
                                         "  3: MOV OUT[1].zw, IMM[0].xxyx\n"
                                         "  4: END\n";

static const char tgsi_fs_two_halves[] = "FRAG\n"
                                         "DCL IN[0].xy, GENERIC[0], PERSPECTIVE\n"
                                         "DCL IN[0].zw, GENERIC[0], PERSPECTIVE\n"
                                         "DCL OUT[0], COLOR\n"
                                         "  0: MOV OUT[0].xy, IN[0].xyxx\n"
                                         "  1: MOV OUT[0].zw, IN[0].xxzw\n"
                                         "  2: END\n";

START_TEST(pixels_component_varyings)
{
	GLuint prog = build_pair(tgsi_vs_two_halves, tgsi_fs_two_halves, 450, false);
	struct target t;

	target_init(&t, black, fullscreen);
	glUseProgram(prog);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	/* (0.25, 0.75) from the first pair, (1.0, 0.0) from the second */
	assert_rgba(pixel(8, 8), 64, 191, 255, 0, 8, 8);
	target_fini(&t);
	glDeleteProgram(prog);
}
END_TEST

/* Draws a full-screen triangle with fs_text under a loop budget of 1000 and
 * expects green; expect_budget: the GLSL keeps the budget. */
static void draw_with_budget(const char *fs_text, bool expect_budget)
{
	struct tgsi_shader *vs = parse(tgsi_vs_pass), *fs = parse(fs_text);
	struct glsl_emit_options o;
	char *vs_glsl, *fs_glsl;
	struct target t;
	GLuint prog;

	glsl_emit_options_default(&o);
	o.next = fs;
	vs_glsl = emit(vs, &o);
	glsl_emit_options_default(&o);
	o.loop_budget = 1000;
	fs_glsl = emit(fs, &o);
	ck_assert_msg(!strstr(fs_glsl, "vn_loop_budget") == !expect_budget, "%s", fs_glsl);
	prog = link(compile(GL_VERTEX_SHADER, vs_glsl), compile(GL_FRAGMENT_SHADER, fs_glsl));
	target_init(&t, black, fullscreen);
	glUseProgram(prog);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	assert_rgba(pixel(5, 5), 0, 255, 0, 255, 5, 5);
	target_fini(&t);
	glDeleteProgram(prog);
	free(vs_glsl);
	free(fs_glsl);
	tgsi_shader_destroy(vs);
	tgsi_shader_destroy(fs);
}

/* Two nested loops without any BRK: the shared loop budget ends both, and
 * the inner one ran budget - 1 times (the outer took one). */
static const char tgsi_fs_endless[] = "FRAG\n"
                                      "DCL OUT[0], COLOR\n"
                                      "DCL TEMP[0..1]\n"
                                      "IMM[0] UINT32 {0, 1, 999, 1065353216}\n"
                                      "  0: MOV TEMP[0].x, IMM[0].xxxx\n"
                                      "  1: BGNLOOP :5\n"
                                      "  2:   BGNLOOP :4\n"
                                      "  3:     UADD TEMP[0].x, TEMP[0].xxxx, IMM[0].yyyy\n"
                                      "  4:   ENDLOOP :2\n"
                                      "  5: ENDLOOP :1\n"
                                      "  6: USEQ TEMP[1].x, TEMP[0].xxxx, IMM[0].zzzz\n"
                                      "  7: UCMP OUT[0], TEMP[1].xxxx, IMM[0].xwxw, IMM[0].wxxw\n"
                                      "  8: END\n";

START_TEST(pixels_loop_budget)
{
	draw_with_budget(tgsi_fs_endless, true);
}
END_TEST

/* Counted loops under a budget (test_tgsi_loop): a loop proven to run 5 times
 * runs without the budget and gives 5; one that only looks counted (its step
 * would wrap past INT32_MAX, so it never exits) still stops on the budget,
 * after 1000 iterations of step 2. Green when the count is right. */
static const char tgsi_fs_counted[] = "FRAG\n"
                                      "DCL OUT[0], COLOR\n"
                                      "DCL TEMP[0..2]\n"
                                      "IMM[0] UINT32 {0, 1, 5, 1065353216}\n"
                                      "  0: MOV TEMP[0].x, IMM[0].xxxx\n"
                                      "  1: MOV TEMP[1].x, IMM[0].xxxx\n"
                                      "  2: BGNLOOP :9\n"
                                      "  3:   ISGE TEMP[2].x, TEMP[0].xxxx, IMM[0].zzzz\n"
                                      "  4:   UIF TEMP[2].xxxx :6\n"
                                      "  5:     BRK\n"
                                      "  6:   ENDIF\n"
                                      "  7:   UADD TEMP[1].x, TEMP[1].xxxx, IMM[0].yyyy\n"
                                      "  8:   UADD TEMP[0].x, TEMP[0].xxxx, IMM[0].yyyy\n"
                                      "  9: ENDLOOP :2\n"
                                      " 10: USEQ TEMP[2].x, TEMP[1].xxxx, IMM[0].zzzz\n"
                                      " 11: UCMP OUT[0], TEMP[2].xxxx, IMM[0].xwxw, IMM[0].wxxw\n"
                                      " 12: END\n";

static const char tgsi_fs_wrapping[] = "FRAG\n"
                                       "DCL OUT[0], COLOR\n"
                                       "DCL TEMP[0..1]\n"
                                       "IMM[0] UINT32 {0, 2, 2147483647, 1065353216}\n"
                                       "IMM[1] UINT32 {2000, 0, 0, 0}\n"
                                       "  0: MOV TEMP[0].x, IMM[0].xxxx\n"
                                       "  1: BGNLOOP :7\n"
                                       "  2:   UADD TEMP[0].x, TEMP[0].xxxx, IMM[0].yyyy\n"
                                       "  3:   ISGE TEMP[1].x, TEMP[0].xxxx, IMM[0].zzzz\n"
                                       "  4:   UIF TEMP[1].xxxx :6\n"
                                       "  5:     BRK\n"
                                       "  6:   ENDIF\n"
                                       "  7: ENDLOOP :1\n"
                                       "  8: USEQ TEMP[1].x, TEMP[0].xxxx, IMM[1].xxxx\n"
                                       "  9: UCMP OUT[0], TEMP[1].xxxx, IMM[0].xwxw, IMM[0].wxxw\n"
                                       " 10: END\n";

START_TEST(pixels_counted_loops)
{
	draw_with_budget(tgsi_fs_counted, false);
	draw_with_budget(tgsi_fs_wrapping, true);
}
END_TEST

static Suite *live_suite(void)
{
	Suite *s = suite_create("tgsi_live");
	TCase *tc = tcase_create("live");

	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, captured_pairs_link);
	tcase_add_test(tc, captured_compute_compiles);
	tcase_add_test(tc, pixels_texture_tint);
	tcase_add_test(tc, pixels_integer_select);
	tcase_add_test(tc, pixels_loop_array_kill_lower_left);
	tcase_add_test(tc, pixels_winsys_y_flip);
	tcase_add_test(tc, compute_atomics_and_image);
	tcase_add_test(tc, pixels_geometry);
	tcase_add_test(tc, transform_feedback);
	tcase_add_test(tc, pixels_tessellation);
	tcase_add_test(tc, pixels_two_sided_color);
	tcase_add_test(tc, pixels_user_clip_plane);
	tcase_add_test(tc, pixels_cull_distance);
	tcase_add_test(tc, pixels_component_varyings);
	tcase_add_test(tc, pixels_loop_budget);
	tcase_add_test(tc, pixels_counted_loops);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(live_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
