/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the live TGSI/GLSL tests (test_tgsi_live.c, test_tgsi_calc.c): a
 * surfaceless context per test, parse/emit/compile/link with messages, and a
 * small render target with a full-screen triangle.
 */
#ifndef TEST_TGSI_GL_H
#define TEST_TGSI_GL_H

#include <check.h>
#include <epoxy/egl.h>
#include <epoxy/gl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glsl_emit.h"
#include "platform.h"
#include "test_tgsi_samples.h"
#include "tgsi_ir.h"

#define W 16
#define H 16

static struct vrend_platform *plat;
static struct vrend_gl_context *ctx;

static inline void setup(void)
{
	struct vrend_platform_params params = {.platform = VGN_GL_PLATFORM_SURFACELESS};
	char err[256] = "";

	ck_assert_msg(vrend_platform_create(&params, &plat, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(vrend_gl_context_create(plat, &ctx), 0);
	ck_assert_int_eq(vrend_gl_context_make_current(ctx), 0);
}

static inline void teardown(void)
{
	vrend_gl_context_destroy(ctx);
	vrend_platform_destroy(plat);
}

static struct tgsi_shader *parse(const char *text)
{
	struct tgsi_shader *sh = NULL;
	char err[256];

	ck_assert_msg(tgsi_parse_text(text, strlen(text) + 1, NULL, &sh, err, sizeof(err)) == 0,
	              "%s", err);
	return sh;
}

static char *emit(const struct tgsi_shader *sh, const struct glsl_emit_options *opts)
{
	char *glsl = NULL, err[256];
	size_t len;
	int ret = glsl_emit(sh, opts, &glsl, &len, err, sizeof(err));

	ck_assert_msg(ret == 0, "emit failed (%d): %s", ret, err);
	ck_assert_uint_eq(strlen(glsl), len);
	return glsl;
}

static inline GLuint compile(GLenum type, const char *src)
{
	GLuint s = glCreateShader(type);
	GLint ok = 0;
	char log[4096] = "";

	glShaderSource(s, 1, &src, NULL);
	glCompileShader(s);
	glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
	if (!ok)
		glGetShaderInfoLog(s, sizeof(log), NULL, log);
	ck_assert_msg(ok, "compile failed: %s\n%s", log, src);
	return s;
}

static inline GLuint link(GLuint a, GLuint b)
{
	GLuint p = glCreateProgram();
	GLint ok = 0;
	char log[4096] = "";

	glAttachShader(p, a);
	if (b)
		glAttachShader(p, b);
	glLinkProgram(p);
	glGetProgramiv(p, GL_LINK_STATUS, &ok);
	if (!ok)
		glGetProgramInfoLog(p, sizeof(log), NULL, log);
	ck_assert_msg(ok, "link failed: %s", log);
	glDeleteShader(a);
	if (b)
		glDeleteShader(b);
	return p;
}

/* Parses, emits at version and links a VS/FS pair (the VS knows its FS). */
static inline GLuint build_pair(const char *vs_text, const char *fs_text, uint32_t version,
                                bool flip)
{
	struct tgsi_shader *vs = parse(vs_text), *fs = parse(fs_text);
	struct glsl_emit_options o;
	char *vs_glsl, *fs_glsl;
	GLuint prog;

	glsl_emit_options_default(&o);
	o.glsl_version = version;
	o.next = fs;
	o.winsys_adjust_y = flip;
	vs_glsl = emit(vs, &o);
	glsl_emit_options_default(&o);
	o.glsl_version = version;
	fs_glsl = emit(fs, &o);
	prog = link(compile(GL_VERTEX_SHADER, vs_glsl), compile(GL_FRAGMENT_SHADER, fs_glsl));
	free(vs_glsl);
	free(fs_glsl);
	tgsi_shader_destroy(vs);
	tgsi_shader_destroy(fs);
	ck_assert_uint_eq(glGetError(), GL_NO_ERROR);
	return prog;
}

/* ---- drawing ---- */

struct target {
	GLuint tex, fbo, vao, vbo;
};

/* An RGBA8 W x H render target cleared to clear, and a full-screen triangle:
 * attribute 0 = position (xy), attribute 1 = uv (0.5, 0.5). */
static inline void target_init_fmt(struct target *t, GLenum format, const float clear[4],
                                   const float pos[6])
{
	float verts[3][4];

	for (int i = 0; i < 3; i++) {
		verts[i][0] = pos[2 * i];
		verts[i][1] = pos[2 * i + 1];
		verts[i][2] = 0.5f;
		verts[i][3] = 0.5f;
	}
	glGenTextures(1, &t->tex);
	glBindTexture(GL_TEXTURE_2D, t->tex);
	glTexStorage2D(GL_TEXTURE_2D, 1, format, W, H);
	glGenFramebuffers(1, &t->fbo);
	glBindFramebuffer(GL_FRAMEBUFFER, t->fbo);
	glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, t->tex, 0);
	ck_assert_uint_eq(glCheckFramebufferStatus(GL_FRAMEBUFFER), GL_FRAMEBUFFER_COMPLETE);
	glViewport(0, 0, W, H);
	if (format == GL_RGBA8) {
		glClearColor(clear[0], clear[1], clear[2], clear[3]);
		glClear(GL_COLOR_BUFFER_BIT);
	}
	glGenVertexArrays(1, &t->vao);
	glBindVertexArray(t->vao);
	glGenBuffers(1, &t->vbo);
	glBindBuffer(GL_ARRAY_BUFFER, t->vbo);
	glBufferData(GL_ARRAY_BUFFER, sizeof(verts), verts, GL_STATIC_DRAW);
	glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 16, (void *)0);
	glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 16, (void *)8);
	glEnableVertexAttribArray(0);
	glEnableVertexAttribArray(1);
}

static inline void target_init(struct target *t, const float clear[4], const float pos[6])
{
	target_init_fmt(t, GL_RGBA8, clear, pos);
}

static inline void target_fini(struct target *t)
{
	glDeleteBuffers(1, &t->vbo);
	glDeleteVertexArrays(1, &t->vao);
	glDeleteFramebuffers(1, &t->fbo);
	glDeleteTextures(1, &t->tex);
}

static inline uint32_t pixel(int x, int y)
{
	uint8_t px[4] = {0};

	glPixelStorei(GL_PACK_ALIGNMENT, 1);
	glReadPixels(x, y, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, px);
	ck_assert_uint_eq(glGetError(), GL_NO_ERROR);
	return (uint32_t)px[0] | (uint32_t)px[1] << 8 | (uint32_t)px[2] << 16 |
	       (uint32_t)px[3] << 24;
}

static inline void assert_rgba(uint32_t got, int r, int g, int b, int a, int x, int y)
{
	int c[4] = {(int)(got & 0xff), (int)(got >> 8 & 0xff), (int)(got >> 16 & 0xff),
	            (int)(got >> 24)};
	int want[4] = {r, g, b, a};

	for (int i = 0; i < 4; i++)
		ck_assert_msg(abs(c[i] - want[i]) <= 1,
		              "pixel (%d,%d) = %02x%02x%02x%02x, want %02x%02x%02x%02x", x, y, c[0],
		              c[1], c[2], c[3], r, g, b, a);
}

static const float fullscreen[6] = {-1, -1, 3, -1, -1, 3};
static const float black[4] = {0, 0, 0, 0};

/* Constant buffer slot 0 as the guest uploads it: raw dwords. */
static inline void set_consts(GLuint prog, const char *name, const void *data, int vec4s)
{
	GLint loc = glGetUniformLocation(prog, name);

	ck_assert_int_ge(loc, 0);
	glUniform4uiv(loc, vec4s, data);
}

#endif /* TEST_TGSI_GL_H */
