/* SPDX-License-Identifier: MIT */
/*
 * Opening an initialised EGLDisplay on one host platform: surfaceless
 * (EGL_MESA_platform_surfaceless), GBM on a DRM render node, or an EGL device
 * (EGL_EXT_platform_device). Picking among them is platform.c's job.
 */
#ifndef VREND_EGL_DISPLAY_H
#define VREND_EGL_DISPLAY_H

#include <epoxy/egl.h>
#include <stdbool.h>
#include <stddef.h>

#include "strset.h"
#include "vrend_log.h"

struct gbm_device;

struct vrend_egl_display {
	EGLDisplay dpy;
	enum vgn_gl_platform kind; /* never AUTO once opened */
	int drm_fd;                /* GBM: the render node we opened; else -1 */
	struct gbm_device *gbm;
	char node[128]; /* render node in use; "" when none (software) */
	/* EGL returns the same EGLDisplay to every caller asking for the same
	 * platform + native display, so eglTerminate would kill contexts of other
	 * users in the process. Terminate only displays nobody else can have (our own
	 * gbm_device) or reference-counted ones (EGL_KHR_display_reference). */
	bool may_terminate;
	EGLint egl_major, egl_minor;
	struct vrend_strset extensions; /* display extensions */
};

/* Opens kind (not AUTO) on render_node (NULL: the platform's own choice). Returns
 * 0 or -errno with a message in err. */
int vrend_egl_display_open(struct vrend_egl_display *d, enum vgn_gl_platform kind,
                           const char *render_node, const struct vrend_logger *logger, char *err,
                           size_t err_size);
void vrend_egl_display_close(struct vrend_egl_display *d);

/* DRM render nodes present on the host, sorted by path. Returns the count (at
 * most max) or -errno. */
int vrend_list_render_nodes(char (*paths)[128], int max);

/* Symbolic name of an EGL error code, for messages. */
const char *vrend_egl_error_name(EGLint err);

#endif /* VREND_EGL_DISPLAY_H */
