/* SPDX-License-Identifier: MIT */
#include "platform.h"

#include <epoxy/gl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "egl_display.h"

struct vrend_platform {
	struct vrend_egl_display disp;
	struct vrend_logger logger;
	bool gles;
	EGLConfig config;            /* EGL_NO_CONFIG_KHR when the display is configless */
	EGLint ctx_major, ctx_minor; /* what the root context was created with */
	/* Contexts are created with robust buffer access (out-of-bounds buffer
	 * reads by guest shaders return zeros or in-bounds data, never other
	 * memory); shared contexts must match the root, so it is decided once. */
	bool robust;
	struct vrend_gl_context *root;
	struct vrend_gl_info info;
};

struct vrend_gl_context {
	struct vrend_platform *p;
	EGLContext ctx;
};

/* Versions to ask for, best first (major * 10 + minor). GL 4.5 is what the caps
 * aim at; 3.3 core is the floor the virgl client needs for GL 3.3 guests. */
static const EGLint gl_versions[] = {45, 44, 43, 42, 41, 40, 33};
static const EGLint gles_versions[] = {32, 31, 30};

static int fail(char *err, size_t err_size, int ret, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t err_size, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && err_size) {
		va_start(ap, fmt);
		vsnprintf(err, err_size, fmt, ap);
		va_end(ap);
	}
	return ret;
}

const char *vrend_platform_kind_name(enum vgn_gl_platform kind)
{
	switch (kind) {
	case VGN_GL_PLATFORM_AUTO:
		return "auto";
	case VGN_GL_PLATFORM_SURFACELESS:
		return "surfaceless";
	case VGN_GL_PLATFORM_GBM:
		return "gbm";
	case VGN_GL_PLATFORM_DEVICE:
		return "device";
	}
	return "invalid";
}

static EGLenum api_of(const struct vrend_platform *p)
{
	return p->gles ? EGL_OPENGL_ES_API : EGL_OPENGL_API;
}

static EGLContext create_egl_context(struct vrend_platform *p, EGLContext share, EGLint major,
                                     EGLint minor)
{
	EGLint attribs[9] = {EGL_CONTEXT_MAJOR_VERSION, major, EGL_CONTEXT_MINOR_VERSION, minor};
	int n = 4;

	if (!p->gles) {
		attribs[n++] = EGL_CONTEXT_OPENGL_PROFILE_MASK;
		attribs[n++] = EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT;
	}
	if (p->robust) {
		attribs[n++] = EGL_CONTEXT_OPENGL_ROBUST_ACCESS;
		attribs[n++] = EGL_TRUE;
	}
	attribs[n] = EGL_NONE;

	/* The API is per-thread EGL state: bind ours right before creating. */
	if (!eglBindAPI(api_of(p)))
		return EGL_NO_CONTEXT;
	return eglCreateContext(p->disp.dpy, p->config, share, attribs);
}

static int choose_config(struct vrend_platform *p, char *err, size_t err_size)
{
	const EGLint attribs[] = {
	    EGL_RENDERABLE_TYPE,
	    p->gles ? EGL_OPENGL_ES3_BIT_KHR : EGL_OPENGL_BIT,
	    EGL_SURFACE_TYPE,
	    0, /* surfaceless: no surface type needed */
	    EGL_NONE,
	};
	EGLint n = 0;

	if (vrend_strset_contains(&p->disp.extensions, "EGL_KHR_no_config_context") ||
	    vrend_strset_contains(&p->disp.extensions, "EGL_MESA_configless_context")) {
		p->config = EGL_NO_CONFIG_KHR;
		return 0;
	}
	if (!eglChooseConfig(p->disp.dpy, attribs, &p->config, 1, &n) || n < 1)
		return fail(err, err_size, -ENOTSUP,
		            "no EGL config for %s and no configless contexts",
		            p->gles ? "GLES 3" : "desktop GL");
	return 0;
}

static int check_display(struct vrend_platform *p, char *err, size_t err_size)
{
	const struct vrend_strset *ext = &p->disp.extensions;
	bool egl15 = p->disp.egl_major > 1 || (p->disp.egl_major == 1 && p->disp.egl_minor >= 5);

	if (!vrend_strset_contains(ext, "EGL_KHR_surfaceless_context"))
		return fail(err, err_size, -ENOTSUP,
		            "EGL display lacks EGL_KHR_surfaceless_context");
	/* Minor versions and profiles need EGL 1.5 or EGL_KHR_create_context. */
	if (!egl15 && !vrend_strset_contains(ext, "EGL_KHR_create_context"))
		return fail(err, err_size, -ENOTSUP, "EGL %d.%d without EGL_KHR_create_context",
		            p->disp.egl_major, p->disp.egl_minor);
	return 0;
}

static int create_root(struct vrend_platform *p, char *err, size_t err_size)
{
	const EGLint *versions = p->gles ? gles_versions : gl_versions;
	size_t n = p->gles ? sizeof(gles_versions) / sizeof(gles_versions[0])
	                   : sizeof(gl_versions) / sizeof(gl_versions[0]);
	EGLint last_error = EGL_SUCCESS;

	p->root = calloc(1, sizeof(*p->root));
	if (!p->root)
		return -ENOMEM;
	p->root->p = p;
	/* Robust first (EGL 1.5 attribute); a driver refusing it gets plain contexts,
	 * and the caps then do not claim robust buffer access. */
	for (int robust = 1; robust >= 0; robust--) {
		p->robust = robust;
		for (size_t i = 0; i < n; i++) {
			p->root->ctx = create_egl_context(p, EGL_NO_CONTEXT, versions[i] / 10,
			                                  versions[i] % 10);
			if (p->root->ctx != EGL_NO_CONTEXT) {
				p->ctx_major = versions[i] / 10;
				p->ctx_minor = versions[i] % 10;
				return 0;
			}
			last_error = eglGetError();
		}
	}
	return fail(err, err_size, last_error == EGL_BAD_ALLOC ? -ENOMEM : -ENOTSUP,
	            "no %s context >= %s (%s)", p->gles ? "GLES" : "GL core",
	            p->gles ? "3.0" : "3.3", vrend_egl_error_name(last_error));
}

static int query_host(struct vrend_platform *p, char *err, size_t err_size)
{
	struct vrend_current_state saved;
	uint32_t floor = p->gles ? 30 : 33;
	int ret;

	ret = vrend_gl_context_push_current(p->root, &saved);
	if (ret)
		return fail(err, err_size, ret, "eglMakeCurrent of the root context failed (%s)",
		            vrend_egl_error_name(eglGetError()));
	ret = vrend_gl_info_query(&p->info);
	vrend_gl_context_pop_current(p->root, &saved);
	if (ret)
		return fail(err, err_size, ret, "cannot query the host GL context");
	if (p->info.version < floor || (!p->gles && !p->info.core_profile))
		return fail(err, err_size, -ENOTSUP, "host context is %s, need %s",
		            p->info.version_string, p->gles ? "GLES >= 3.0" : "GL >= 3.3 core");
	return 0;
}

static void teardown(struct vrend_platform *p)
{
	if (p->root) {
		vrend_gl_context_destroy(p->root);
		p->root = NULL;
	}
	vrend_gl_info_fini(&p->info);
	vrend_egl_display_close(&p->disp);
}

/* Brings up one platform completely (display, root context, GL info), or leaves
 * p torn down. */
static int try_platform(struct vrend_platform *p, enum vgn_gl_platform kind, const char *node,
                        char *err, size_t err_size)
{
	int ret;

	ret = vrend_egl_display_open(&p->disp, kind, node, &p->logger, err, err_size);
	if (ret)
		return ret;
	ret = check_display(p, err, err_size);
	if (!ret)
		ret = choose_config(p, err, err_size);
	if (!ret)
		ret = create_root(p, err, err_size);
	if (!ret)
		ret = query_host(p, err, err_size);
	if (ret)
		teardown(p);
	return ret;
}

static int try_node(struct vrend_platform *p, const char *node, char *err, size_t err_size)
{
	int ret = try_platform(p, VGN_GL_PLATFORM_GBM, node, err, err_size);

	if (!ret)
		return 0;
	vrend_log(&p->logger, VGN_LOG_WARN, "GBM on %s: %s; trying the EGL device platform", node,
	          err);
	return try_platform(p, VGN_GL_PLATFORM_DEVICE, node, err, err_size);
}

static int open_auto(struct vrend_platform *p, const char *render_node, char *err, size_t err_size)
{
	char nodes[16][128];
	int n, ret;

	if (render_node) /* the VMM named a GPU: never end up on another one */
		return try_node(p, render_node, err, err_size);
	n = vrend_list_render_nodes(nodes, 16);
	for (int i = 0; i < n; i++) {
		ret = try_node(p, nodes[i], err, err_size);
		if (!ret)
			return 0;
		vrend_log(&p->logger, VGN_LOG_WARN, "%s unusable: %s", nodes[i], err);
	}
	if (n > 0)
		vrend_log(&p->logger, VGN_LOG_WARN,
		          "no render node usable through GBM or EGL device; using surfaceless");
	return try_platform(p, VGN_GL_PLATFORM_SURFACELESS, NULL, err, err_size);
}

int vrend_platform_create(const struct vrend_platform_params *params, struct vrend_platform **out,
                          char *err, size_t err_size)
{
	struct vrend_platform *p;
	int ret;

	if (err && err_size)
		err[0] = '\0';
	*out = NULL;
	if (params->platform < VGN_GL_PLATFORM_AUTO || params->platform > VGN_GL_PLATFORM_DEVICE)
		return fail(err, err_size, -EINVAL, "unknown GL platform %d",
		            (int)params->platform);
	p = calloc(1, sizeof(*p));
	if (!p)
		return fail(err, err_size, -ENOMEM, "out of memory");
	p->disp.drm_fd = -1;
	p->gles = params->gles;
	if (params->logger)
		p->logger = *params->logger;

	if (params->platform == VGN_GL_PLATFORM_AUTO)
		ret = open_auto(p, params->render_node, err, err_size);
	else
		ret = try_platform(p, params->platform, params->render_node, err, err_size);
	if (ret) {
		free(p);
		return ret;
	}
	vrend_log(&p->logger, VGN_LOG_INFO, "vrend: %s%s%s, EGL %d.%d, %s, %s",
	          vrend_platform_kind_name(p->disp.kind), p->disp.node[0] ? " on " : "",
	          p->disp.node, p->disp.egl_major, p->disp.egl_minor, p->info.version_string,
	          p->info.renderer);
	*out = p;
	return 0;
}

void vrend_platform_destroy(struct vrend_platform *p)
{
	if (!p)
		return;
	teardown(p);
	free(p);
}

bool vrend_platform_robust(const struct vrend_platform *p)
{
	return p->robust;
}

enum vgn_gl_platform vrend_platform_kind(const struct vrend_platform *p)
{
	return p->disp.kind;
}

const char *vrend_platform_render_node(const struct vrend_platform *p)
{
	return p->disp.node;
}

struct gbm_device *vrend_platform_gbm(const struct vrend_platform *p)
{
	return p->disp.gbm;
}

const struct vrend_gl_info *vrend_platform_gl_info(const struct vrend_platform *p)
{
	return &p->info;
}

struct vrend_gl_context *vrend_platform_root_context(struct vrend_platform *p)
{
	return p->root;
}

bool vrend_platform_has_egl_ext(const struct vrend_platform *p, const char *ext)
{
	return vrend_strset_contains(&p->disp.extensions, ext);
}

int vrend_gl_context_create(struct vrend_platform *p, struct vrend_gl_context **out)
{
	struct vrend_gl_context *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return -ENOMEM;
	c->p = p;
	c->ctx = create_egl_context(p, p->root->ctx, p->ctx_major, p->ctx_minor);
	if (c->ctx == EGL_NO_CONTEXT) {
		EGLint e = eglGetError();
		vrend_log(&p->logger, VGN_LOG_ERROR, "shared context creation failed (%s)",
		          vrend_egl_error_name(e));
		free(c);
		return e == EGL_BAD_ALLOC ? -ENOMEM : -EIO;
	}
	*out = c;
	return 0;
}

void vrend_gl_context_destroy(struct vrend_gl_context *c)
{
	EGLenum api;

	if (!c)
		return;
	if (c->ctx != EGL_NO_CONTEXT) {
		api = eglQueryAPI();
		eglBindAPI(api_of(c->p));
		if (eglGetCurrentContext() == c->ctx)
			eglMakeCurrent(c->p->disp.dpy, EGL_NO_SURFACE, EGL_NO_SURFACE,
			               EGL_NO_CONTEXT);
		eglDestroyContext(c->p->disp.dpy, c->ctx);
		eglBindAPI(api);
	}
	free(c);
}

int vrend_gl_context_make_current(struct vrend_gl_context *c)
{
	if (!eglBindAPI(api_of(c->p)))
		return -EIO;
	if (!eglMakeCurrent(c->p->disp.dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, c->ctx))
		return eglGetError() == EGL_BAD_ACCESS ? -EBUSY : -EIO;
	return 0;
}

/* Push and pop run around every GL section (several per guest frame), and
 * libglvnd makes every EGL entry point check for a fork with getpid(): only the
 * calls that matter are made (the API is bound only when it differs, the
 * surfaces are asked for only when a context was current). */
int vrend_gl_context_push_current(struct vrend_gl_context *c, struct vrend_current_state *saved)
{
	EGLenum api = api_of(c->p);

	saved->api = eglQueryAPI();
	if (saved->api != api && !eglBindAPI(api))
		return -EIO;
	saved->context = eglGetCurrentContext();
	saved->display = EGL_NO_DISPLAY;
	saved->draw = saved->read = EGL_NO_SURFACE;
	if (saved->context != EGL_NO_CONTEXT) {
		saved->display = eglGetCurrentDisplay();
		saved->draw = eglGetCurrentSurface(EGL_DRAW);
		saved->read = eglGetCurrentSurface(EGL_READ);
	}
	if (!eglMakeCurrent(c->p->disp.dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, c->ctx)) {
		int ret = eglGetError() == EGL_BAD_ACCESS ? -EBUSY : -EIO;
		if (saved->api != api)
			eglBindAPI(saved->api);
		return ret;
	}
	return 0;
}

void vrend_gl_context_pop_current(struct vrend_gl_context *c,
                                  const struct vrend_current_state *saved)
{
	EGLenum api = api_of(c->p);

	/* Sections never bind another API, so ours is still bound here: the
	 * release below applies to our context. */
	if (saved->context != EGL_NO_CONTEXT)
		eglMakeCurrent(saved->display, saved->draw, saved->read, saved->context);
	else
		eglMakeCurrent(c->p->disp.dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
	if (saved->api != api)
		eglBindAPI(saved->api);
}
