/* SPDX-License-Identifier: MIT */
/*
 * The host GL platform of one vrend instance: an EGL display (surfaceless, GBM or
 * EGL device), a root GL context, and shared contexts made from it (one per guest
 * sub-context later). All state lives in struct vrend_platform; several platforms
 * may live in one process.
 *
 * Threading: a platform is immutable after creation; contexts may be created,
 * destroyed and made current from any thread, but one context is current on at
 * most one thread at a time (EGL rule), which the caller guarantees.
 */
#ifndef VREND_PLATFORM_H
#define VREND_PLATFORM_H

#include <epoxy/egl.h>
#include <stdbool.h>
#include <stddef.h>

#include "gl_info.h"
#include "virgl-next/virgl_next.h"
#include "vrend_log.h"

struct vrend_platform;
struct vrend_gl_context;
struct gbm_device;

struct vrend_platform_params {
	/* AUTO: with an explicit render_node, GBM then EGL device on that node only;
	 * without one, GBM then EGL device on the first render node that works, else
	 * surfaceless (with a warning if render nodes existed). A forced platform is
	 * used or creation fails; there is no fallback to another platform. */
	enum vgn_gl_platform platform;
	const char *render_node;           /* NULL: automatic */
	bool gles;                         /* GLES 3.x host contexts instead of desktop GL core */
	const struct vrend_logger *logger; /* copied; may be NULL */
};

/* Creates the platform and its root context, and queries the host GL. On failure
 * returns -errno and writes a message into err (if err_size > 0). The calling
 * thread's current EGL context is left as it was. */
int vrend_platform_create(const struct vrend_platform_params *params, struct vrend_platform **out,
                          char *err, size_t err_size);
/* Destroys the root context. Every context made from the platform must be
 * destroyed first. NULL is allowed. */
void vrend_platform_destroy(struct vrend_platform *p);

enum vgn_gl_platform vrend_platform_kind(const struct vrend_platform *p);
/* Whether the contexts have robust buffer access (EGL_CONTEXT_OPENGL_ROBUST_ACCESS). */
bool vrend_platform_robust(const struct vrend_platform *p);
const char *vrend_platform_kind_name(enum vgn_gl_platform kind);
/* Render node in use, or "" (surfaceless without a pinned device, software). */
const char *vrend_platform_render_node(const struct vrend_platform *p);
/* The GBM device (GBM platform only), else NULL. */
struct gbm_device *vrend_platform_gbm(const struct vrend_platform *p);
/* What the root context turned out to be: API, version, extensions, limits. */
const struct vrend_gl_info *vrend_platform_gl_info(const struct vrend_platform *p);
struct vrend_gl_context *vrend_platform_root_context(struct vrend_platform *p);
/* Whether the display has an extension (e.g. "EGL_KHR_fence_sync"). */
bool vrend_platform_has_egl_ext(const struct vrend_platform *p, const char *ext);

/* A new context of the root's API and version that shares objects with it. */
int vrend_gl_context_create(struct vrend_platform *p, struct vrend_gl_context **out);
/* Releases it first if it is current on this thread. NULL is allowed. */
void vrend_gl_context_destroy(struct vrend_gl_context *ctx);
/* Makes ctx current on this thread (surfaceless). Returns 0 or -errno. */
int vrend_gl_context_make_current(struct vrend_gl_context *ctx);

/* What was current on this thread for ctx's API, so that vrend can borrow the
 * thread and give it back (VMMs have their own GL contexts). */
struct vrend_current_state {
	EGLenum api;
	EGLDisplay display;
	EGLContext context;
	EGLSurface draw, read;
};
/* Saves the thread's current state, then makes ctx current. */
int vrend_gl_context_push_current(struct vrend_gl_context *ctx, struct vrend_current_state *saved);
/* Restores what push saved (or releases ctx if nothing was current). */
void vrend_gl_context_pop_current(struct vrend_gl_context *ctx,
                                  const struct vrend_current_state *saved);

#endif /* VREND_PLATFORM_H */
