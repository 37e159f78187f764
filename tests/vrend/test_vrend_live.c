/* SPDX-License-Identifier: MIT */
/*
 * vrend on the real host GL (llvmpipe here): platforms, contexts, a clear read
 * back through an FBO, two platforms in one process, the format probe and caps.
 */
#include <check.h>
#include <epoxy/egl.h>
#include <epoxy/gl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "caps_bits.h"
#include "egl_display.h"
#include "formats.h"
#include "platform.h"

struct log_sink {
	int count;
	char text[4096];
};

static void sink_log(void *user_data, enum vgn_log_level level, const char *message)
{
	struct log_sink *s = user_data;
	size_t used = strlen(s->text);

	(void)level;
	s->count++;
	snprintf(s->text + used, sizeof(s->text) - used, "%s\n", message);
}

static int make_platform(enum vgn_gl_platform kind, const char *node, bool gles,
                         struct log_sink *sink, struct vrend_platform **out, char *err,
                         size_t err_size)
{
	struct vrend_logger logger = {
	    .log = sink_log, .user_data = sink, .max_level = VGN_LOG_DEBUG};
	struct vrend_platform_params params = {
	    .platform = kind, .render_node = node, .gles = gles, .logger = sink ? &logger : NULL};

	return vrend_platform_create(&params, out, err, err_size);
}

static struct vrend_platform *surfaceless(bool gles)
{
	struct vrend_platform *p = NULL;
	char err[256] = "";
	int ret =
	    make_platform(VGN_GL_PLATFORM_SURFACELESS, NULL, gles, NULL, &p, err, sizeof(err));

	ck_assert_msg(ret == 0, "surfaceless platform: %d %s", ret, err);
	return p;
}

/* Clears an RGBA8 texture through an FBO on the current context, reads it back. */
static uint32_t clear_and_read(float r, float g, float b, float a)
{
	GLuint tex = 0, fbo = 0;
	uint8_t px[4] = {0};

	glGenTextures(1, &tex);
	glBindTexture(GL_TEXTURE_2D, tex);
	glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, 16, 16);
	glGenFramebuffers(1, &fbo);
	glBindFramebuffer(GL_FRAMEBUFFER, fbo);
	glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, tex, 0);
	ck_assert_uint_eq(glCheckFramebufferStatus(GL_FRAMEBUFFER), GL_FRAMEBUFFER_COMPLETE);
	glViewport(0, 0, 16, 16);
	glClearColor(r, g, b, a);
	glClear(GL_COLOR_BUFFER_BIT);
	glPixelStorei(GL_PACK_ALIGNMENT, 1);
	glReadPixels(7, 9, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, px);
	ck_assert_uint_eq(glGetError(), GL_NO_ERROR);
	glBindFramebuffer(GL_FRAMEBUFFER, 0);
	glDeleteFramebuffers(1, &fbo);
	glDeleteTextures(1, &tex);
	return (uint32_t)px[0] | (uint32_t)px[1] << 8 | (uint32_t)px[2] << 16 |
	       (uint32_t)px[3] << 24;
}

START_TEST(surfaceless_clear)
{
	struct vrend_platform *p = surfaceless(false);
	const struct vrend_gl_info *info = vrend_platform_gl_info(p);
	struct vrend_gl_context *ctx = NULL;

	ck_assert_int_eq(vrend_platform_kind(p), VGN_GL_PLATFORM_SURFACELESS);
	ck_assert(!info->gles);
	ck_assert(info->core_profile);
	ck_assert_uint_ge(info->version, 33);
	ck_assert_uint_ge(info->glsl_version, 330);
	ck_assert(vrend_gl_has_ext(info, "GL_ARB_texture_storage"));
	ck_assert(vrend_platform_has_egl_ext(p, "EGL_KHR_surfaceless_context"));
	printf("host GL: %s | %s | %s | GLSL %u | %u extensions | platform %s\n",
	       info->version_string, info->renderer, info->vendor, info->glsl_version,
	       info->extensions.count, vrend_platform_kind_name(vrend_platform_kind(p)));

	ck_assert_int_eq(vrend_gl_context_create(p, &ctx), 0);
	ck_assert_int_eq(vrend_gl_context_make_current(ctx), 0);
	ck_assert_uint_eq(clear_and_read(1.0f, 0.0f, 0.0f, 1.0f), 0xff0000ffu);
	ck_assert_uint_eq(clear_and_read(0.0f, 1.0f, 0.0f, 0.0f), 0x0000ff00u);
	vrend_gl_context_destroy(ctx);
	ck_assert_ptr_eq(eglGetCurrentContext(), EGL_NO_CONTEXT);
	vrend_platform_destroy(p);
}
END_TEST

START_TEST(shared_contexts_share)
{
	struct vrend_platform *p = surfaceless(false);
	struct vrend_gl_context *a = NULL, *b = NULL;
	GLuint tex = 0, fbo = 0;
	uint8_t px[4] = {0};

	ck_assert_int_eq(vrend_gl_context_create(p, &a), 0);
	ck_assert_int_eq(vrend_gl_context_create(p, &b), 0);
	/* A texture made and cleared in one context is visible in the other. */
	ck_assert_int_eq(vrend_gl_context_make_current(a), 0);
	glGenTextures(1, &tex);
	glBindTexture(GL_TEXTURE_2D, tex);
	glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, 4, 4);
	glGenFramebuffers(1, &fbo);
	glBindFramebuffer(GL_FRAMEBUFFER, fbo);
	glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, tex, 0);
	glClearColor(0.0f, 0.0f, 1.0f, 1.0f);
	glClear(GL_COLOR_BUFFER_BIT);
	glDeleteFramebuffers(1, &fbo);
	glFinish();

	ck_assert_int_eq(vrend_gl_context_make_current(b), 0);
	ck_assert(glIsTexture(tex));
	glGenFramebuffers(1, &fbo); /* FBOs are not shared: a new one here */
	glBindFramebuffer(GL_FRAMEBUFFER, fbo);
	glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, tex, 0);
	glReadPixels(0, 0, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, px);
	ck_assert_uint_eq(px[2], 255);
	ck_assert_uint_eq(px[0], 0);
	glDeleteFramebuffers(1, &fbo);
	glDeleteTextures(1, &tex);

	vrend_gl_context_destroy(b);
	vrend_gl_context_destroy(a);
	vrend_platform_destroy(p);
}
END_TEST

START_TEST(two_platforms)
{
	struct vrend_platform *p1 = surfaceless(false), *p2 = surfaceless(false);
	struct vrend_gl_context *c1 = NULL, *c2 = NULL;

	ck_assert_ptr_ne(p1, p2);
	ck_assert_int_eq(vrend_gl_context_create(p1, &c1), 0);
	ck_assert_int_eq(vrend_gl_context_create(p2, &c2), 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(vrend_gl_context_make_current(c1), 0);
		ck_assert_uint_eq(clear_and_read(1.0f, 0.0f, 0.0f, 1.0f), 0xff0000ffu);
		ck_assert_int_eq(vrend_gl_context_make_current(c2), 0);
		ck_assert_uint_eq(clear_and_read(0.0f, 0.0f, 1.0f, 1.0f), 0xffff0000u);
	}
	/* Tearing one down must not take the other's contexts with it (both use the
	 * same EGLDisplay: EGL hands out one per platform + native display). */
	vrend_gl_context_destroy(c1);
	vrend_platform_destroy(p1);
	ck_assert_int_eq(vrend_gl_context_make_current(c2), 0);
	ck_assert_uint_eq(clear_and_read(0.0f, 1.0f, 1.0f, 1.0f), 0xffffff00u);
	/* A third platform after the first is gone still comes up. */
	p1 = surfaceless(false);
	ck_assert_int_eq(vrend_gl_context_create(p1, &c1), 0);
	ck_assert_int_eq(vrend_gl_context_make_current(c1), 0);
	ck_assert_uint_eq(clear_and_read(1.0f, 1.0f, 1.0f, 1.0f), 0xffffffffu);
	vrend_gl_context_destroy(c1);
	vrend_gl_context_destroy(c2);
	vrend_platform_destroy(p1);
	vrend_platform_destroy(p2);
}
END_TEST

START_TEST(gles_platform)
{
	struct vrend_platform *p = surfaceless(true);
	const struct vrend_gl_info *info = vrend_platform_gl_info(p);
	struct vrend_gl_context *ctx = NULL;

	ck_assert(info->gles);
	ck_assert_uint_ge(info->version, 30);
	printf("host GLES: %s | GLSL ES %u\n", info->version_string, info->glsl_version);
	ck_assert_int_eq(vrend_gl_context_create(p, &ctx), 0);
	ck_assert_int_eq(vrend_gl_context_make_current(ctx), 0);
	ck_assert_uint_eq(clear_and_read(0.0f, 1.0f, 0.0f, 1.0f), 0xff00ff00u);
	vrend_gl_context_destroy(ctx);
	vrend_platform_destroy(p);
}
END_TEST

START_TEST(push_pop_current)
{
	struct vrend_platform *p = surfaceless(false);
	struct vrend_gl_context *a = NULL;
	struct vrend_current_state saved;

	ck_assert_int_eq(vrend_gl_context_create(p, &a), 0);
	/* Nothing current before: nothing current after. */
	ck_assert_int_eq(eglBindAPI(EGL_OPENGL_API), EGL_TRUE);
	ck_assert_ptr_eq(eglGetCurrentContext(), EGL_NO_CONTEXT);
	ck_assert_int_eq(vrend_gl_context_push_current(vrend_platform_root_context(p), &saved), 0);
	ck_assert_ptr_ne(eglGetCurrentContext(), EGL_NO_CONTEXT);
	vrend_gl_context_pop_current(vrend_platform_root_context(p), &saved);
	ck_assert_ptr_eq(eglGetCurrentContext(), EGL_NO_CONTEXT);
	/* Someone else's context current before: it is current again after. */
	ck_assert_int_eq(vrend_gl_context_make_current(a), 0);
	{
		EGLContext before = eglGetCurrentContext();
		ck_assert_int_eq(
		    vrend_gl_context_push_current(vrend_platform_root_context(p), &saved), 0);
		ck_assert_ptr_ne(eglGetCurrentContext(), before);
		vrend_gl_context_pop_current(vrend_platform_root_context(p), &saved);
		ck_assert_ptr_eq(eglGetCurrentContext(), before);
	}
	vrend_gl_context_destroy(a);
	vrend_platform_destroy(p);
}
END_TEST

START_TEST(platform_selection)
{
	char nodes[4][128];
	int n = vrend_list_render_nodes(nodes, 4);
	struct vrend_platform *p = NULL;
	struct log_sink sink = {0};
	char err[256] = "";
	int ret;

	ck_assert_int_ge(n, 0);
	ret = make_platform(VGN_GL_PLATFORM_AUTO, NULL, false, &sink, &p, err, sizeof(err));
	ck_assert_msg(ret == 0, "auto: %d %s", ret, err);
	printf("auto picked %s%s%s (%d render nodes)\n",
	       vrend_platform_kind_name(vrend_platform_kind(p)),
	       vrend_platform_render_node(p)[0] ? " on " : "", vrend_platform_render_node(p), n);
	if (n == 0) /* no GPU: auto must land on surfaceless, quietly */
		ck_assert_int_eq(vrend_platform_kind(p), VGN_GL_PLATFORM_SURFACELESS);
	ck_assert_ptr_nonnull(strstr(sink.text, "vrend: "));
	vrend_platform_destroy(p);
	p = NULL;

	/* Forced platforms fail with a reason instead of falling back. */
	ret = make_platform(VGN_GL_PLATFORM_GBM, "/nonexistent/renderD999", false, NULL, &p, err,
	                    sizeof(err));
	ck_assert_int_eq(ret, -ENOENT);
	ck_assert_ptr_null(p);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/renderD999"));
	if (n == 0) {
		ret = make_platform(VGN_GL_PLATFORM_GBM, NULL, false, NULL, &p, err, sizeof(err));
		ck_assert_int_eq(ret, -ENODEV);
		ck_assert_ptr_nonnull(strstr(err, "render node"));
	}
	ret = make_platform(VGN_GL_PLATFORM_AUTO, "/nonexistent/renderD999", false, NULL, &p, err,
	                    sizeof(err));
	ck_assert_int_lt(ret, 0); /* a named GPU that fails is an error, not surfaceless */
	ck_assert_ptr_null(p);
	ret = make_platform(VGN_GL_PLATFORM_SURFACELESS, "/nonexistent/renderD999", false, NULL, &p,
	                    err, sizeof(err));
	ck_assert_int_lt(ret, 0);
	ck_assert(err[0] != '\0');
	ret = make_platform((enum vgn_gl_platform)99, NULL, false, NULL, &p, err, sizeof(err));
	ck_assert_int_eq(ret, -EINVAL);
	vrend_platform_destroy(NULL);
}
END_TEST

START_TEST(device_platform)
{
	struct vrend_platform *p = NULL;
	struct vrend_gl_context *ctx = NULL;
	struct log_sink sink = {0};
	char err[256] = "";
	int ret = make_platform(VGN_GL_PLATFORM_DEVICE, NULL, false, &sink, &p, err, sizeof(err));

	ck_assert_msg(ret == 0, "device platform: %d %s", ret, err);
	ck_assert_int_eq(vrend_platform_kind(p), VGN_GL_PLATFORM_DEVICE);
	if (!vrend_platform_render_node(p)[0]) /* software device: said so loudly */
		ck_assert_ptr_nonnull(strstr(sink.text, "software device"));
	printf("device platform: %s on '%s'\n", vrend_platform_gl_info(p)->renderer,
	       vrend_platform_render_node(p));
	ck_assert_int_eq(vrend_gl_context_create(p, &ctx), 0);
	ck_assert_int_eq(vrend_gl_context_make_current(ctx), 0);
	ck_assert_uint_eq(clear_and_read(1.0f, 0.0f, 1.0f, 1.0f), 0xffff00ffu);
	vrend_gl_context_destroy(ctx);
	vrend_platform_destroy(p);
}
END_TEST

START_TEST(format_probe_and_caps)
{
	struct vrend_platform *p = surfaceless(false);
	const struct vrend_gl_info *info = vrend_platform_gl_info(p);
	struct vrend_format_caps fc;
	struct vrend_current_state saved;
	struct vrend_features none = {0};
	struct vrend_caps_v2 caps;
	unsigned tex = 0, rt = 0, ds = 0, msaa = 0;
	char why[256] = "";

	ck_assert_int_eq(vrend_gl_context_push_current(vrend_platform_root_context(p), &saved), 0);
	ck_assert_int_eq(vrend_formats_probe(info, &fc), 0);
	vrend_gl_context_pop_current(vrend_platform_root_context(p), &saved);

	for (uint32_t v = 0; v < VFMT_COUNT; v++) {
		tex += vrend_format_caps_has(&fc, v, VREND_PROBE_TEXTURE);
		rt += vrend_format_caps_has(&fc, v, VREND_PROBE_RENDER);
		ds += vrend_format_caps_has(&fc, v, VREND_PROBE_DEPTH);
		msaa += vrend_format_caps_has(&fc, v, VREND_PROBE_MSAA);
	}
	printf("format probe: %u entries, %u texturable, %u colour-renderable, %u depth/stencil, "
	       "%u multisample\n",
	       fc.probed, tex, rt, ds, msaa);
	for (uint32_t v = 0; v < VFMT_COUNT; v++) {
		if (vrend_format_get(v) && !vrend_format_caps_has(&fc, v, VREND_PROBE_TEXTURE))
			printf("  not texturable here: %s\n", vrend_vfmt_name(v));
	}
	/* What any GL 3.3 core host must do. */
	ck_assert(
	    vrend_format_caps_has(&fc, VFMT_R8G8B8A8_UNORM,
	                          VREND_PROBE_TEXTURE | VREND_PROBE_RENDER | VREND_PROBE_READBACK));
	ck_assert(vrend_format_caps_has(&fc, VFMT_B8G8R8A8_UNORM,
	                                VREND_PROBE_TEXTURE | VREND_PROBE_RENDER));
	ck_assert(vrend_format_caps_has(&fc, VFMT_B8G8R8X8_UNORM, VREND_PROBE_RENDER));
	ck_assert(vrend_format_caps_has(&fc, VFMT_R16G16B16A16_FLOAT, VREND_PROBE_RENDER));
	ck_assert(vrend_format_caps_has(&fc, VFMT_R32G32B32A32_UINT, VREND_PROBE_RENDER));
	ck_assert(vrend_format_caps_has(&fc, VFMT_S8_UINT_Z24_UNORM,
	                                VREND_PROBE_TEXTURE | VREND_PROBE_DEPTH));
	ck_assert(vrend_format_caps_has(&fc, VFMT_Z32_FLOAT_S8X24_UINT, VREND_PROBE_DEPTH));
	ck_assert(vrend_format_caps_has(&fc, VFMT_Z16_UNORM, VREND_PROBE_DEPTH));
	ck_assert(vrend_format_caps_has(&fc, VFMT_RGTC1_UNORM, VREND_PROBE_TEXTURE));
	ck_assert(vrend_format_caps_has(&fc, VFMT_L8_UNORM, VREND_PROBE_TEXTURE));
	ck_assert(!vrend_format_caps_has(&fc, VFMT_RGTC1_UNORM, VREND_PROBE_RENDER));
	ck_assert(!vrend_format_caps_has(&fc, VFMT_L8_UNORM, VREND_PROBE_RENDER));
	ck_assert_uint_ge(tex, 200);

	ck_assert_int_eq(vrend_caps_fill(info, &fc, &none, &caps, why, sizeof(why)), 0);
	ck_assert_uint_eq(caps.v1.bset | caps.capability_bits | caps.capability_bits_v2, 0);
	ck_assert_uint_eq(caps.host_feature_check_version, 23);
	ck_assert_uint_ge(caps.max_texture_2d_size, 8192);
	printf("host limits: 2D %u, 3D %u, cube %u, layers %d, RTs %d, samples %d, "
	       "sample positions 2x 0x%04x 4x 0x%08x\n",
	       caps.max_texture_2d_size, caps.max_texture_3d_size, caps.max_texture_cube_size,
	       info->limits.array_texture_layers, info->limits.draw_buffers, info->limits.samples,
	       info->limits.sample_locations[0], info->limits.sample_locations[1]);
	{
		struct vrend_host_bits hb;
		vrend_caps_host_bits(info, &hb);
		printf("host could back: bset 0x%08x caps 0x%08x caps2 0x%05x prims 0x%04x\n",
		       hb.bset, hb.caps, hb.caps2, hb.prim_mask);
	}
	vrend_platform_destroy(p);
}
END_TEST

START_TEST(create_keeps_current)
{
	struct vrend_platform *p1 = surfaceless(false), *p2;
	struct vrend_gl_context *c1 = NULL;

	ck_assert_int_eq(vrend_gl_context_create(p1, &c1), 0);
	ck_assert_int_eq(vrend_gl_context_make_current(c1), 0);
	{
		EGLContext mine = eglGetCurrentContext();
		p2 = surfaceless(true); /* makes its own root current to query, then puts c1 back */
		ck_assert_int_eq(eglBindAPI(EGL_OPENGL_API), EGL_TRUE);
		ck_assert_ptr_eq(eglGetCurrentContext(), mine);
	}
	ck_assert_uint_eq(clear_and_read(0.0f, 0.0f, 0.0f, 1.0f), 0xff000000u);
	vrend_gl_context_destroy(c1);
	vrend_platform_destroy(p2);
	vrend_platform_destroy(p1);
}
END_TEST

struct thread_job {
	struct vrend_platform *p;
	float red;
	int failures;
};

static void *render_thread(void *arg)
{
	struct thread_job *job = arg;
	struct vrend_gl_context *ctx = NULL;
	uint32_t want = (uint32_t)(job->red * 255.0f + 0.5f) | 0xff000000u;

	if (vrend_gl_context_create(job->p, &ctx) || vrend_gl_context_make_current(ctx)) {
		job->failures = 1000;
		return NULL;
	}
	for (int i = 0; i < 40; i++)
		job->failures += clear_and_read(job->red, 0.0f, 0.0f, 1.0f) != want;
	vrend_gl_context_destroy(ctx);
	return NULL;
}

/* Contexts of one platform used from two threads at once (the core runs
 * different guest contexts in parallel). */
START_TEST(parallel_threads)
{
	struct vrend_platform *p = surfaceless(false);
	struct thread_job jobs[2] = {{.p = p, .red = 1.0f}, {.p = p, .red = 0.0f}};
	pthread_t threads[2];

	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&threads[i], NULL, render_thread, &jobs[i]), 0);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
		ck_assert_int_eq(jobs[i].failures, 0);
	}
	vrend_platform_destroy(p);
}
END_TEST

START_TEST(gles_probe_and_caps)
{
	struct vrend_platform *p = surfaceless(true);
	const struct vrend_gl_info *info = vrend_platform_gl_info(p);
	struct vrend_format_caps fc;
	struct vrend_current_state saved;
	struct vrend_features none = {0};
	struct vrend_caps_v2 caps;
	unsigned tex = 0, rt = 0;

	ck_assert_int_eq(vrend_gl_context_push_current(vrend_platform_root_context(p), &saved), 0);
	ck_assert_int_eq(vrend_formats_probe(info, &fc), 0);
	ck_assert_uint_eq(glGetError(), GL_NO_ERROR);
	vrend_gl_context_pop_current(vrend_platform_root_context(p), &saved);
	for (uint32_t v = 0; v < VFMT_COUNT; v++) {
		tex += vrend_format_caps_has(&fc, v, VREND_PROBE_TEXTURE);
		rt += vrend_format_caps_has(&fc, v, VREND_PROBE_RENDER);
	}
	printf("GLES format probe: %u texturable, %u colour-renderable\n", tex, rt);
	ck_assert(
	    vrend_format_caps_has(&fc, VFMT_R8G8B8A8_UNORM,
	                          VREND_PROBE_TEXTURE | VREND_PROBE_RENDER | VREND_PROBE_READBACK));
	ck_assert_int_eq(vrend_caps_fill(info, &fc, &none, &caps, NULL, 0), 0);
	ck_assert_uint_eq(caps.capability_bits, VREND_CAP_HOST_IS_GLES);
	vrend_platform_destroy(p);
}
END_TEST

static Suite *live_suite(void)
{
	Suite *s = suite_create("vrend_live");
	TCase *tc = tcase_create("live");

	tcase_add_test(tc, surfaceless_clear);
	tcase_add_test(tc, shared_contexts_share);
	tcase_add_test(tc, two_platforms);
	tcase_add_test(tc, gles_platform);
	tcase_add_test(tc, push_pop_current);
	tcase_add_test(tc, platform_selection);
	tcase_add_test(tc, device_platform);
	tcase_add_test(tc, format_probe_and_caps);
	tcase_add_test(tc, create_keeps_current);
	tcase_add_test(tc, parallel_threads);
	tcase_add_test(tc, gles_probe_and_caps);
	tcase_set_timeout(tc, 120);
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
