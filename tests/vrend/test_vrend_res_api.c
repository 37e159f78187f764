/* SPDX-License-Identifier: MIT */
/*
 * The seam: vrend's resource ops plugged into a renderer as a table of pointers
 * (vgn_renderer_add_backend) and driven through the public API only
 * (vgn_resource_create, attach_backing, transfer_to_host/from_host, get_info,
 * copy_out, unref), on the live host GL. Also: falling back to CPU2D for what
 * vrend does not take, the emulation swizzle seen by a shader, and many threads
 * at once while the caller keeps its own GL context current.
 */
#include <check.h>
#include <epoxy/egl.h>
#include <epoxy/gl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "platform.h"
#include "renderer.h"
#include "res_gl.h"
#include "resource.h"
#include "transfer.h"

#define MOD_INVALID 0x00ffffffffffffffull
#define MOD_LINEAR 0ull

/* ---- a backend made of vrend's resource ops ------------------------------------ */

struct test_backend {
	struct vrend_res_backend rb;
	struct vrend_platform *plat;
};

static void tb_destroy(struct vgn_backend *b)
{
	struct test_backend *tb = (struct test_backend *)b;
	vrend_res_state_destroy(tb->rb.state);
	vrend_platform_destroy(tb->plat);
	free(tb);
}

static const struct vgn_backend_ops test_ops = {
    .name = "vrend-res",
    .backend_bit = VGN_BACKEND_GL,
    .destroy = tb_destroy,
    .resource_create = vrend_resource_create,
    .resource_destroy = vrend_resource_destroy,
    .resource_transfer = vrend_resource_transfer,
    .resource_get_info = vrend_resource_get_info,
};

static vgn_renderer *r;
static struct test_backend *tb;
static char log_text[16384];
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void sink(void *user_data, enum vgn_log_level level, const char *msg)
{
	(void)user_data;
	(void)level;
	pthread_mutex_lock(&log_lock);
	size_t used = strlen(log_text);
	snprintf(log_text + used, sizeof(log_text) - used, "%s\n", msg);
	pthread_mutex_unlock(&log_lock);
}

static void setup(void)
{
	struct vgn_renderer_params rp = {
	    .size = sizeof(rp),
	    .backends = VGN_BACKEND_CPU2D,
	    .log_level = VGN_LOG_DEBUG,
	    .callbacks = {.size = sizeof(struct vgn_callbacks), .log = sink},
	};
	struct vrend_logger logger = {.log = sink, .max_level = VGN_LOG_DEBUG};
	struct vrend_platform_params pp = {.platform = VGN_GL_PLATFORM_SURFACELESS};
	char err[256] = "";

	log_text[0] = 0;
	ck_assert_int_eq(vgn_renderer_create(&rp, &r), 0);
	tb = calloc(1, sizeof(*tb));
	ck_assert_msg(vrend_platform_create(&pp, &tb->plat, err, sizeof(err)) == 0, "%s", err);
	struct vrend_res_params p = {.platform = tb->plat, .logger = &logger};
	ck_assert_int_eq(vrend_res_state_create(&p, &tb->rb.state), 0);
	tb->rb.base.ops = &test_ops;
	tb->rb.base.renderer = r;
	ck_assert_int_eq(vgn_renderer_add_backend(r, &tb->rb.base), 0);
}

static struct vrend_res_stats stats(void)
{
	struct vrend_res_stats s;
	vrend_res_get_stats(tb->rb.state, &s);
	return s;
}

static void teardown(void)
{
	ck_assert_uint_eq(stats().textures_live, 0);
	ck_assert_uint_eq(stats().buffers_live, 0);
	vgn_renderer_destroy(r); /* destroys the backend, its state and platform */
}

static int create(uint32_t id, uint32_t target, uint32_t fmt, uint32_t w, uint32_t h,
                  uint32_t layers, uint32_t last_level, uint32_t samples, uint32_t bind)
{
	struct vgn_resource_create_params p = {
	    .size = sizeof(p),
	    .target = target,
	    .format = fmt,
	    .bind = bind,
	    .width = w,
	    .height = h,
	    .depth = 1,
	    .array_size = layers,
	    .last_level = last_level,
	    .nr_samples = samples,
	};
	return vgn_resource_create(r, id, &p);
}

/* Guest pages: `total` bytes over separate `chunk`-byte allocations. */
struct pages {
	struct iovec *iov;
	uint32_t n;
	size_t total;
};

static void pages_init(struct pages *g, size_t total, size_t chunk)
{
	g->n = (uint32_t)((total + chunk - 1) / chunk);
	g->iov = calloc(g->n, sizeof(*g->iov));
	g->total = total;
	for (uint32_t i = 0; i < g->n; i++) {
		g->iov[i].iov_len = total - i * chunk < chunk ? total - i * chunk : chunk;
		g->iov[i].iov_base = malloc(g->iov[i].iov_len);
	}
}

static void pages_fini(struct pages *g)
{
	for (uint32_t i = 0; i < g->n; i++)
		free(g->iov[i].iov_base);
	free(g->iov);
}

static uint8_t *page_byte(const struct pages *g, size_t off)
{
	for (uint32_t i = 0; i < g->n; i++) {
		if (off < g->iov[i].iov_len)
			return (uint8_t *)g->iov[i].iov_base + off;
		off -= g->iov[i].iov_len;
	}
	ck_abort_msg("outside the pages");
	return NULL;
}

static void attach(uint32_t id, const struct pages *g)
{
	struct vgn_backing bk = {
	    .size = sizeof(bk), .iov = g->iov, .num_iovs = g->n, .dmabuf_fd = -1};
	ck_assert_int_eq(vgn_resource_attach_backing(r, id, &bk), 0);
}

static int transfer(uint32_t id, bool to_host, uint32_t level, struct vgn_box box, uint64_t offset,
                    const struct pages *explicit_iov)
{
	struct vgn_transfer t = {.size = sizeof(t), .level = level, .box = box, .offset = offset};
	if (explicit_iov) {
		t.iov = explicit_iov->iov;
		t.num_iovs = explicit_iov->n;
	}
	return to_host ? vgn_resource_transfer_to_host(r, id, &t)
	               : vgn_resource_transfer_from_host(r, id, &t);
}

static uint8_t pattern(size_t i, uint32_t seed)
{
	uint32_t x = (uint32_t)i * 2654435761u + seed;
	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	return (uint8_t)(x ^ (x >> 12));
}

/* ---- textures through the API ------------------------------------------------------ */

START_TEST(seam_texture_levels)
{
	/* 2D_ARRAY RGBA8 32x16, 3 layers, 3 levels, guest layout of vtest.md 8.2. */
	const uint32_t id = 7;
	ck_assert_int_eq(create(id, VGN_TARGET_2D_ARRAY, VFMT_R8G8B8A8_UNORM, 32, 16, 3, 2, 0,
	                        VGN_BIND_SAMPLER_VIEW | VGN_BIND_RENDER_TARGET),
	                 0);
	ck_assert_uint_eq(stats().textures_live, 1);
	const size_t lsize[3] = {32 * 16 * 4, 16 * 8 * 4, 8 * 4 * 4};
	const size_t loff[3] = {0, lsize[0] * 3, lsize[0] * 3 + lsize[1] * 3};
	const size_t total = loff[2] + lsize[2] * 3;
	struct pages g;
	pages_init(&g, total, 1000);
	attach(id, &g);

	/* Fresh storage reads back as zeros. */
	for (size_t i = 0; i < total; i++)
		*page_byte(&g, i) = 0xa5;
	ck_assert_int_eq(transfer(id, false, 0, (struct vgn_box){0, 0, 0, 32, 16, 3}, 0, NULL), 0);
	for (size_t i = 0; i < loff[1]; i++)
		ck_assert_uint_eq(*page_byte(&g, i), 0);

	for (size_t i = 0; i < total; i++)
		*page_byte(&g, i) = pattern(i, 1);
	for (uint32_t l = 0; l < 3; l++)
		ck_assert_int_eq(transfer(id, true, l,
		                          (struct vgn_box){0, 0, 0, 32u >> l, 16u >> l, 3}, loff[l],
		                          NULL),
		                 0);

	/* A box of level 1, layers 1..2, at Mesa's offset; only its bytes come back. */
	for (size_t i = 0; i < total; i++)
		*page_byte(&g, i) = 0xa5;
	struct vgn_box box = {3, 2, 1, 9, 5, 2};
	size_t stride = 16 * 4, layer = stride * 8;
	ck_assert_int_eq(
	    transfer(id, false, 1, box, loff[1] + box.z * layer + box.y * stride + box.x * 4, NULL),
	    0);
	for (size_t i = 0; i < total; i++) {
		bool in = false;
		if (i >= loff[1] && i < loff[2]) {
			size_t rel = i - loff[1], z = rel / layer, y = rel % layer / stride,
			       x = rel % stride / 4;
			in = z >= 1 && z < 3 && y >= 2 && y < 7 && x >= 3 && x < 12;
		}
		ck_assert_uint_eq(*page_byte(&g, i), in ? pattern(i, 1) : 0xa5);
	}
	/* Everything back. */
	for (uint32_t l = 0; l < 3; l++)
		ck_assert_int_eq(transfer(id, false, l,
		                          (struct vgn_box){0, 0, 0, 32u >> l, 16u >> l, 3}, loff[l],
		                          NULL),
		                 0);
	for (size_t i = 0; i < total; i++)
		ck_assert_uint_eq(*page_byte(&g, i), pattern(i, 1));

	/* Scanout helpers: info and copy_out (level 0, layer 0) through vrend. */
	struct vgn_resource_info info = {.size = sizeof(info)};
	ck_assert_int_eq(vgn_resource_get_info(r, id, &info), 0);
	ck_assert_uint_eq(info.format, VFMT_R8G8B8A8_UNORM);
	ck_assert_uint_eq(info.drm_fourcc, 0x34324241u); /* AB24 */
	ck_assert_uint_eq(info.strides[0], 128);
	ck_assert_uint_eq(info.modifier, MOD_INVALID); /* a GL object, not CPU2D memory */
	uint8_t out[10 * 4 * 4];
	ck_assert_int_eq(vgn_resource_copy_out(r, id, &(struct vgn_box){5, 6, 0, 10, 4, 1}, out,
	                                       sizeof(out), 40),
	                 0);
	for (size_t y = 0; y < 4; y++)
		for (size_t x = 0; x < 40; x++)
			ck_assert_uint_eq(out[y * 40 + x], pattern((6 + y) * 128 + 20 + x, 1));

	ck_assert_int_eq(vgn_resource_unref(r, id), 0);
	ck_assert_uint_eq(stats().textures_live, 0);
	pages_fini(&g);
}
END_TEST

/* ---- buffers through the API -------------------------------------------------------- */

/* A CUSTOM buffer (Mesa's vtest fence, a query result) gets no GL object until
 * its first GL use: create and unref of an unused one leave no GL buffer, and
 * the first transfer makes a zeroed one that holds what is written. */
START_TEST(custom_buffer_is_lazy)
{
	enum { SIZE = 64 };
	ck_assert_int_eq(
	    create(20, VGN_TARGET_BUFFER, VFMT_R8_UNORM, 8, 1, 1, 0, 0, VGN_BIND_CUSTOM), 0);
	ck_assert_uint_eq(stats().buffers_live, 0);
	ck_assert_int_eq(vgn_resource_unref(r, 20), 0);
	ck_assert_uint_eq(stats().buffers_live, 0);

	ck_assert_int_eq(
	    create(21, VGN_TARGET_BUFFER, VFMT_R8_UNORM, SIZE, 1, 1, 0, 0, VGN_BIND_CUSTOM), 0);
	ck_assert_uint_eq(stats().buffers_live, 0);
	struct pages g;
	pages_init(&g, SIZE, 77);
	attach(21, &g);
	for (size_t i = 0; i < SIZE; i++)
		*page_byte(&g, i) = 0xee;
	ck_assert_int_eq(transfer(21, false, 0, (struct vgn_box){0, 0, 0, SIZE, 1, 1}, 0, NULL), 0);
	ck_assert_uint_eq(stats().buffers_live, 1);
	for (size_t i = 0; i < SIZE; i++)
		ck_assert_uint_eq(*page_byte(&g, i), 0); /* zeroed when made */
	for (size_t i = 0; i < SIZE; i++)
		*page_byte(&g, i) = pattern(i, 7);
	ck_assert_int_eq(transfer(21, true, 0, (struct vgn_box){8, 0, 0, 40, 1, 1}, 8, NULL), 0);
	for (size_t i = 0; i < SIZE; i++)
		*page_byte(&g, i) = 0x11;
	ck_assert_int_eq(transfer(21, false, 0, (struct vgn_box){0, 0, 0, SIZE, 1, 1}, 0, NULL), 0);
	for (size_t i = 0; i < SIZE; i++)
		ck_assert_uint_eq(*page_byte(&g, i), i >= 8 && i < 48 ? pattern(i, 7) : 0);
	ck_assert_int_eq(vgn_resource_unref(r, 21), 0);
	ck_assert_uint_eq(stats().buffers_live, 0);
	pages_fini(&g);
}
END_TEST

START_TEST(seam_buffer)
{
	enum { SIZE = 4096 };
	const uint32_t id = 9;
	ck_assert_int_eq(create(id, VGN_TARGET_BUFFER, VFMT_R8_UNORM, SIZE, 1, 1, 0, 0,
	                        VGN_BIND_VERTEX_BUFFER | VGN_BIND_INDEX_BUFFER |
	                            VGN_BIND_CONSTANT_BUFFER | (1u << 14) /* SSBO */),
	                 0);
	ck_assert_uint_eq(stats().buffers_live, 1);
	struct pages g;
	pages_init(&g, SIZE, 333);
	attach(id, &g);
	for (size_t i = 0; i < SIZE; i++)
		*page_byte(&g, i) = 0xa5;
	ck_assert_int_eq(transfer(id, false, 0, (struct vgn_box){0, 0, 0, SIZE, 1, 1}, 0, NULL), 0);
	for (size_t i = 0; i < SIZE; i++)
		ck_assert_uint_eq(*page_byte(&g, i), 0); /* zeroed at creation */

	for (size_t i = 0; i < SIZE; i++)
		*page_byte(&g, i) = pattern(i, 2);
	ck_assert_int_eq(transfer(id, true, 0, (struct vgn_box){0, 0, 0, SIZE, 1, 1}, 0, NULL), 0);
	/* A range from explicit guest memory (one run: glBufferSubData straight). */
	struct pages e;
	pages_init(&e, 600, 600);
	for (size_t i = 0; i < 600; i++)
		*page_byte(&e, i) = pattern(i, 3);
	ck_assert_int_eq(transfer(id, true, 0, (struct vgn_box){1000, 0, 0, 500, 1, 1}, 50, &e), 0);
	/* Read everything back into the attached pages. */
	ck_assert_int_eq(transfer(id, false, 0, (struct vgn_box){0, 0, 0, SIZE, 1, 1}, 0, NULL), 0);
	for (size_t i = 0; i < SIZE; i++)
		ck_assert_uint_eq(*page_byte(&g, i), i >= 1000 && i < 1500
		                                         ? pattern(i - 1000 + 50, 3)
		                                         : pattern(i, 2));
	/* Past the end, or a y/h on a buffer: the core's validator refuses. */
	ck_assert_int_eq(transfer(id, true, 0, (struct vgn_box){4000, 0, 0, 97, 1, 1}, 0, NULL),
	                 -EINVAL);
	ck_assert_int_eq(transfer(id, true, 0, (struct vgn_box){0, 1, 0, 4, 1, 1}, 0, NULL),
	                 -EINVAL);
	struct vgn_resource_info info = {.size = sizeof(info)};
	ck_assert_int_eq(vgn_resource_get_info(r, id, &info), 0);
	ck_assert_uint_eq(info.strides[0], SIZE);
	ck_assert_int_eq(vgn_resource_unref(r, id), 0);
	ck_assert_uint_eq(stats().buffers_live, 0);
	pages_fini(&g);
	pages_fini(&e);
}
END_TEST

/* ---- who takes what ------------------------------------------------------------------ */

START_TEST(seam_fallback)
{
	struct vgn_resource_info info = {.size = sizeof(info)};

	/* No GL mapping: vrend says "not mine", CPU2D takes it. */
	ck_assert_int_eq(create(1, VGN_TARGET_2D, VFMT_R64_FLOAT, 8, 8, 1, 0, 0, 0), 0);
	ck_assert_int_eq(vgn_resource_get_info(r, 1, &info), 0);
	ck_assert_uint_eq(info.modifier, MOD_LINEAR);
	ck_assert_uint_eq(stats().textures_live, 0);
	/* Multisampled: only vrend can. */
	ck_assert_int_eq(
	    create(2, VGN_TARGET_2D, VFMT_B8G8R8A8_UNORM, 64, 64, 1, 0, 4, VGN_BIND_RENDER_TARGET),
	    0);
	ck_assert_uint_eq(stats().textures_live, 1);
	/* A bind the format cannot back: a hard error, no fallback. */
	ck_assert_int_eq(
	    create(3, VGN_TARGET_2D, VFMT_DXT1_RGB, 8, 8, 1, 0, 0, VGN_BIND_RENDER_TARGET),
	    -EINVAL);
	ck_assert_int_eq(vgn_resource_get_info(r, 3, &info), -ENOENT);
	ck_assert_ptr_nonnull(strstr(log_text, "cannot be a render target"));
	ck_assert_int_eq(vgn_resource_unref(r, 1), 0);
	ck_assert_int_eq(vgn_resource_unref(r, 2), 0);
}
END_TEST

/* ---- the emulation swizzle seen by a shader --------------------------------------- */

static GLuint compile(GLenum type, const char *src)
{
	GLuint sh = glCreateShader(type);
	GLint ok = 0;
	glShaderSource(sh, 1, &src, NULL);
	glCompileShader(sh);
	glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
	ck_assert_int_eq(ok, GL_TRUE);
	return sh;
}

/* texelFetch of texel (1, 2) of GL texture `tex` drawn into RGBA8: R, G, B, A bytes. */
static uint32_t sample_texel(GLuint tex)
{
	static const char *vs = "#version 330 core\n"
	                        "void main() {\n"
	                        "  vec2 p = vec2(float(gl_VertexID & 1) * 4.0 - 1.0,\n"
	                        "                float(gl_VertexID & 2) * 2.0 - 1.0);\n"
	                        "  gl_Position = vec4(p, 0.0, 1.0);\n"
	                        "}\n";
	static const char *fs = "#version 330 core\n"
	                        "uniform sampler2D t;\n"
	                        "out vec4 o;\n"
	                        "void main() { o = texelFetch(t, ivec2(gl_FragCoord.xy), 0); }\n";
	struct vrend_current_state saved;
	struct vrend_gl_context *root = vrend_platform_root_context(tb->plat);
	GLuint prog, vao, fbo, rt;
	uint8_t px[4] = {0};

	ck_assert_int_eq(vrend_gl_context_push_current(root, &saved), 0);
	prog = glCreateProgram();
	GLuint v = compile(GL_VERTEX_SHADER, vs), f = compile(GL_FRAGMENT_SHADER, fs);
	glAttachShader(prog, v);
	glAttachShader(prog, f);
	glLinkProgram(prog);
	glDeleteShader(v);
	glDeleteShader(f);
	glGenVertexArrays(1, &vao);
	glGenTextures(1, &rt);
	glBindTexture(GL_TEXTURE_2D, rt);
	glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, 4, 4);
	glGenFramebuffers(1, &fbo);
	glBindFramebuffer(GL_FRAMEBUFFER, fbo);
	glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, rt, 0);
	ck_assert_uint_eq(glCheckFramebufferStatus(GL_FRAMEBUFFER), GL_FRAMEBUFFER_COMPLETE);
	glViewport(0, 0, 4, 4);
	glUseProgram(prog);
	glBindVertexArray(vao);
	glActiveTexture(GL_TEXTURE0);
	glBindTexture(GL_TEXTURE_2D, tex);
	glUniform1i(glGetUniformLocation(prog, "t"), 0);
	glDrawArrays(GL_TRIANGLES, 0, 3);
	glPixelStorei(GL_PACK_ALIGNMENT, 1);
	glReadPixels(1, 2, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, px);
	ck_assert_uint_eq(glGetError(), GL_NO_ERROR);
	glBindTexture(GL_TEXTURE_2D, 0);
	glBindFramebuffer(GL_FRAMEBUFFER, 0);
	glDeleteFramebuffers(1, &fbo);
	glDeleteTextures(1, &rt);
	glDeleteVertexArrays(1, &vao);
	glDeleteProgram(prog);
	vrend_gl_context_pop_current(root, &saved);
	return (uint32_t)px[0] | (uint32_t)px[1] << 8 | (uint32_t)px[2] << 16 |
	       (uint32_t)px[3] << 24;
}

/* Uploads 4x4 copies of `texel` (guest bytes) through the API, samples (1, 2). */
static uint32_t upload_and_sample(uint32_t fmt, const uint8_t *texel, uint32_t bytes)
{
	const uint32_t id = 20 + fmt;
	struct pages g;

	ck_assert_int_eq(create(id, VGN_TARGET_2D, fmt, 4, 4, 1, 0, 0, VGN_BIND_SAMPLER_VIEW), 0);
	pages_init(&g, 16 * bytes, 16 * bytes);
	for (uint32_t i = 0; i < 16 * bytes; i++)
		*page_byte(&g, i) = texel[i % bytes];
	attach(id, &g);
	ck_assert_int_eq(transfer(id, true, 0, (struct vgn_box){0, 0, 0, 4, 4, 1}, 0, NULL), 0);
	/* The core keeps backend_data opaque; find the name through the resource. */
	struct vgn_resource *res = vgn_resource_get(r, id);
	ck_assert_ptr_nonnull(res);
	GLuint name = ((const struct vrend_resource *)res->backend_data)->gl_name;
	vgn_resource_put(res);
	uint32_t rgba = sample_texel(name);
	ck_assert_int_eq(vgn_resource_unref(r, id), 0);
	pages_fini(&g);
	return rgba;
}

START_TEST(swizzle_in_shader)
{
	const uint8_t bgrx[4] = {0x10, 0x20, 0x30, 0x00}; /* B, G, R, X */
	const uint8_t l8a8[2] = {0x40, 0x80};
	const uint8_t a8[1] = {0x99};

	/* B8G8R8X8: the X byte is whatever the guest wrote; sampling reads alpha 1. */
	ck_assert_uint_eq(upload_and_sample(VFMT_B8G8R8X8_UNORM, bgrx, 4), 0xff102030u);
	ck_assert_uint_eq(upload_and_sample(VFMT_B8G8R8A8_UNORM, bgrx, 4), 0x00102030u);
	ck_assert_uint_eq(upload_and_sample(VFMT_L8A8_UNORM, l8a8, 2), 0x80404040u);
	ck_assert_uint_eq(upload_and_sample(VFMT_A8_UNORM, a8, 1), 0x99000000u);
}
END_TEST

/* ---- threads ------------------------------------------------------------------------- */

#define THREADS 4
#define ROUNDS 12

struct worker_arg {
	uintptr_t t;
	EGLContext expect; /* what must be current (desktop GL API) after each call */
};

static void *worker(void *p)
{
	const struct worker_arg *arg = p;
	uintptr_t t = arg->t;
	if (!eglBindAPI(EGL_OPENGL_API))
		return (void *)"eglBindAPI";
	for (uint32_t round = 0; round < ROUNDS; round++) {
		uint32_t id = 1000 + (uint32_t)t * 100 + round, w = 24 + round, h = 9;
		size_t size = (size_t)w * h * 4;
		struct pages g;
		if (create(id, VGN_TARGET_2D, VFMT_B8G8R8A8_UNORM, w, h, 1, 0, 0,
		           VGN_BIND_RENDER_TARGET))
			return (void *)"create";
		pages_init(&g, size, 64 + t);
		attach(id, &g);
		for (size_t i = 0; i < size; i++)
			*page_byte(&g, i) = pattern(i, id);
		if (transfer(id, true, 0, (struct vgn_box){0, 0, 0, w, h, 1}, 0, NULL))
			return (void *)"upload";
		for (size_t i = 0; i < size; i++)
			*page_byte(&g, i) = 0;
		if (transfer(id, false, 0, (struct vgn_box){0, 0, 0, w, h, 1}, 0, NULL))
			return (void *)"readback";
		for (size_t i = 0; i < size; i++)
			if (*page_byte(&g, i) != pattern(i, id))
				return (void *)"bytes differ";
		if (eglGetCurrentContext() != arg->expect || eglQueryAPI() != EGL_OPENGL_API)
			return (void *)"the thread's current context or API changed";
		vgn_resource_unref(r, id);
		pages_fini(&g);
	}
	return NULL;
}

START_TEST(threads_and_current_context)
{
	/* The "VMM" has its own context current on this thread throughout. */
	struct vrend_gl_context *vmm = NULL;
	ck_assert_int_eq(vrend_gl_context_create(tb->plat, &vmm), 0);
	ck_assert(eglBindAPI(EGL_OPENGL_API));
	ck_assert_int_eq(vrend_gl_context_make_current(vmm), 0);
	EGLContext mine = eglGetCurrentContext();
	ck_assert_ptr_ne(mine, EGL_NO_CONTEXT);

	pthread_t th[THREADS];
	struct worker_arg args[THREADS + 1];
	for (uintptr_t i = 0; i <= THREADS; i++)
		args[i] =
		    (struct worker_arg){.t = i, .expect = i < THREADS ? EGL_NO_CONTEXT : mine};
	for (int i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, worker, &args[i]), 0);
	void *res = worker(&args[THREADS]);
	ck_assert_msg(res == NULL, "main thread: %s", (const char *)res);
	for (int i = 0; i < THREADS; i++) {
		void *ret = NULL;
		pthread_join(th[i], &ret);
		ck_assert_msg(ret == NULL, "thread %d: %s\n%s", i, (const char *)ret, log_text);
	}
	ck_assert_ptr_eq(eglGetCurrentContext(), mine);
	ck_assert_uint_eq(stats().textures_live, 0);
	vrend_gl_context_destroy(vmm);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vrend_res_api");
	TCase *tc = tcase_create("seam");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, seam_texture_levels);
	tcase_add_test(tc, seam_buffer);
	tcase_add_test(tc, custom_buffer_is_lazy);
	tcase_add_test(tc, seam_fallback);
	tcase_add_test(tc, swizzle_in_shader);
	tcase_add_test(tc, threads_and_current_context);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
