/* SPDX-License-Identifier: MIT */
#include "egl_display.h"

#include <errno.h>
#include <fcntl.h>
#include <gbm.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xf86drm.h>

#ifndef EGL_DRM_RENDER_NODE_FILE_EXT
#define EGL_DRM_RENDER_NODE_FILE_EXT 0x3377 /* EGL_EXT_device_drm_render_node */
#endif

#define MAX_EGL_DEVICES 32

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

const char *vrend_egl_error_name(EGLint err)
{
	switch (err) {
	case EGL_SUCCESS:
		return "EGL_SUCCESS";
	case EGL_NOT_INITIALIZED:
		return "EGL_NOT_INITIALIZED";
	case EGL_BAD_ACCESS:
		return "EGL_BAD_ACCESS";
	case EGL_BAD_ALLOC:
		return "EGL_BAD_ALLOC";
	case EGL_BAD_ATTRIBUTE:
		return "EGL_BAD_ATTRIBUTE";
	case EGL_BAD_CONFIG:
		return "EGL_BAD_CONFIG";
	case EGL_BAD_CONTEXT:
		return "EGL_BAD_CONTEXT";
	case EGL_BAD_CURRENT_SURFACE:
		return "EGL_BAD_CURRENT_SURFACE";
	case EGL_BAD_DISPLAY:
		return "EGL_BAD_DISPLAY";
	case EGL_BAD_MATCH:
		return "EGL_BAD_MATCH";
	case EGL_BAD_NATIVE_PIXMAP:
		return "EGL_BAD_NATIVE_PIXMAP";
	case EGL_BAD_NATIVE_WINDOW:
		return "EGL_BAD_NATIVE_WINDOW";
	case EGL_BAD_PARAMETER:
		return "EGL_BAD_PARAMETER";
	case EGL_BAD_SURFACE:
		return "EGL_BAD_SURFACE";
	case EGL_CONTEXT_LOST:
		return "EGL_CONTEXT_LOST";
	default:
		return "unknown EGL error";
	}
}

static bool has_client_ext(const char *name)
{
	/* NULL without EGL_EXT_client_extensions: then there is no platform API at all. */
	const char *list = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
	size_t len = strlen(name);

	for (const char *p = list; p && (p = strstr(p, name)); p += len) {
		if ((p == list || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0'))
			return true;
	}
	return false;
}

static int cmp_paths(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

int vrend_list_render_nodes(char (*paths)[128], int max)
{
	drmDevicePtr devs[64];
	int n, count = 0;

	n = drmGetDevices2(0, devs, 64);
	if (n < 0)
		return n == -ENOENT ? 0 : n; /* no /dev/dri at all */
	if (n > 64)                          /* the count of all devices; only 64 were filled in */
		n = 64;
	for (int i = 0; i < n; i++) {
		if (count < max && (devs[i]->available_nodes & (1 << DRM_NODE_RENDER))) {
			snprintf(paths[count], sizeof(paths[count]), "%s",
			         devs[i]->nodes[DRM_NODE_RENDER]);
			count++;
		}
	}
	drmFreeDevices(devs, n);
	qsort(paths, (size_t)count, sizeof(paths[0]), cmp_paths);
	return count;
}

/* Whether two DRM node paths (card or render node) name the same GPU. */
static bool same_drm_device(const char *a, const char *b)
{
	struct stat sa, sb;
	drmDevicePtr da = NULL, db = NULL;
	bool same;

	if (strcmp(a, b) == 0)
		return true;
	if (stat(a, &sa) || stat(b, &sb) || !S_ISCHR(sa.st_mode) || !S_ISCHR(sb.st_mode))
		return false;
	if (sa.st_rdev == sb.st_rdev)
		return true;
	if (drmGetDeviceFromDevId(sa.st_rdev, 0, &da) ||
	    drmGetDeviceFromDevId(sb.st_rdev, 0, &db)) {
		drmFreeDevice(&da);
		return false;
	}
	same = drmDevicesEqual(da, db);
	drmFreeDevice(&da);
	drmFreeDevice(&db);
	return same;
}

/* The DRM node an EGL device stands for, or NULL (software devices). */
static const char *egl_device_node(EGLDeviceEXT dev)
{
	const char *exts = eglQueryDeviceStringEXT(dev, EGL_EXTENSIONS);
	const char *node = NULL;

	if (exts && strstr(exts, "EGL_EXT_device_drm_render_node"))
		node = eglQueryDeviceStringEXT(dev, EGL_DRM_RENDER_NODE_FILE_EXT);
	if (!node && exts && strstr(exts, "EGL_EXT_device_drm"))
		node = eglQueryDeviceStringEXT(dev, EGL_DRM_DEVICE_FILE_EXT);
	return node;
}

/* Picks the EGL device for render_node, or without one the first device with a
 * DRM node, or else a software device (logged: the caller asked for a device
 * and this host has no GPU). */
static int find_egl_device(const char *render_node, const struct vrend_logger *logger,
                           EGLDeviceEXT *out, char *node_out, size_t node_size, char *err,
                           size_t err_size)
{
	EGLDeviceEXT devs[MAX_EGL_DEVICES];
	EGLint n = 0;
	int software = -1;

	if (!has_client_ext("EGL_EXT_device_base") &&
	    (!has_client_ext("EGL_EXT_device_enumeration") ||
	     !has_client_ext("EGL_EXT_device_query")))
		return fail(err, err_size, -ENOTSUP, "EGL has no EGL_EXT_device_enumeration/query");
	if (!eglQueryDevicesEXT(MAX_EGL_DEVICES, devs, &n) || n <= 0)
		return fail(err, err_size, -ENODEV, "eglQueryDevicesEXT found no EGL device");
	for (EGLint i = 0; i < n; i++) {
		const char *node = egl_device_node(devs[i]);
		const char *exts = eglQueryDeviceStringEXT(devs[i], EGL_EXTENSIONS);

		if (!node) {
			if (software < 0 && exts && strstr(exts, "EGL_MESA_device_software"))
				software = (int)i;
			continue;
		}
		if (render_node && !same_drm_device(node, render_node))
			continue;
		*out = devs[i];
		snprintf(node_out, node_size, "%s", render_node ? render_node : node);
		return 0;
	}
	if (render_node)
		return fail(err, err_size, -ENODEV, "no EGL device matches %s", render_node);
	if (software < 0)
		return fail(err, err_size, -ENODEV, "no usable EGL device");
	vrend_log(logger, VGN_LOG_WARN,
	          "EGL device platform: no DRM device on this host, using the software device");
	*out = devs[software];
	node_out[0] = '\0';
	return 0;
}

static EGLDisplay get_platform_display(EGLenum platform, void *native, const EGLint *attribs)
{
	return eglGetPlatformDisplayEXT(platform, native, attribs);
}

/* Attribute list for eglGetPlatformDisplay: reference tracking where EGL offers
 * it, so that eglTerminate only drops our reference. */
static void display_attribs(EGLint attribs[3], bool *tracked)
{
	*tracked = has_client_ext("EGL_KHR_display_reference");
	attribs[0] = *tracked ? EGL_TRACK_REFERENCES_KHR : EGL_NONE;
	attribs[1] = EGL_TRUE;
	attribs[2] = EGL_NONE;
}

static int open_surfaceless(struct vrend_egl_display *d, const char *render_node,
                            const struct vrend_logger *logger, char *err, size_t err_size)
{
	EGLDeviceEXT dev = NULL;
	EGLint attribs[3];
	bool tracked;
	int ret;

	if (!has_client_ext("EGL_MESA_platform_surfaceless"))
		return fail(err, err_size, -ENOTSUP, "EGL has no EGL_MESA_platform_surfaceless");
	if (render_node) {
		/* Surfaceless picks its own GPU; pin it only through EGL_EXT_explicit_device. */
		if (!has_client_ext("EGL_EXT_explicit_device") ||
		    epoxy_egl_version(EGL_NO_DISPLAY) < 15)
			return fail(err, err_size, -ENOTSUP,
			            "surfaceless on %s needs EGL 1.5 and EGL_EXT_explicit_device",
			            render_node);
		ret = find_egl_device(render_node, logger, &dev, d->node, sizeof(d->node), err,
		                      err_size);
		if (ret)
			return ret;
	}
	display_attribs(attribs, &tracked);
	if (dev) {
		/* EGL_DEVICE_EXT takes a pointer: only the EGL 1.5 EGLAttrib entry point
		 * can carry it. */
		EGLAttrib a[5] = {EGL_DEVICE_EXT, (EGLAttrib)dev, EGL_NONE, EGL_NONE, EGL_NONE};
		if (tracked) {
			a[2] = EGL_TRACK_REFERENCES_KHR;
			a[3] = EGL_TRUE;
		}
		d->dpy =
		    eglGetPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, a);
	} else {
		d->dpy = get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY,
		                              attribs);
	}
	d->may_terminate = tracked;
	return 0;
}

static int open_gbm(struct vrend_egl_display *d, const char *render_node, char *err,
                    size_t err_size)
{
	char nodes[8][128];
	EGLint attribs[3];
	bool tracked;
	int n;

	if (!has_client_ext("EGL_KHR_platform_gbm") && !has_client_ext("EGL_MESA_platform_gbm"))
		return fail(err, err_size, -ENOTSUP, "EGL has no EGL_KHR_platform_gbm");
	if (!render_node) {
		n = vrend_list_render_nodes(nodes, 8);
		if (n <= 0)
			return fail(err, err_size, -ENODEV, "GBM: no DRM render node on this host");
		render_node = nodes[0];
	}
	snprintf(d->node, sizeof(d->node), "%s", render_node);
	d->drm_fd = open(render_node, O_RDWR | O_CLOEXEC);
	if (d->drm_fd < 0)
		return fail(err, err_size, -errno, "GBM: open %s: %s", render_node,
		            strerror(errno));
	d->gbm = gbm_create_device(d->drm_fd);
	if (!d->gbm)
		return fail(err, err_size, -ENODEV, "GBM: gbm_create_device(%s) failed",
		            render_node);
	display_attribs(attribs, &tracked);
	d->dpy = get_platform_display(EGL_PLATFORM_GBM_KHR, d->gbm, attribs);
	d->may_terminate = true; /* the native display is our own gbm_device */
	return 0;
}

static int open_device(struct vrend_egl_display *d, const char *render_node,
                       const struct vrend_logger *logger, char *err, size_t err_size)
{
	EGLDeviceEXT dev = NULL;
	EGLint attribs[3];
	bool tracked;
	int ret;

	if (!has_client_ext("EGL_EXT_platform_device"))
		return fail(err, err_size, -ENOTSUP, "EGL has no EGL_EXT_platform_device");
	ret = find_egl_device(render_node, logger, &dev, d->node, sizeof(d->node), err, err_size);
	if (ret)
		return ret;
	display_attribs(attribs, &tracked);
	d->dpy = get_platform_display(EGL_PLATFORM_DEVICE_EXT, dev, attribs);
	d->may_terminate = tracked;
	return 0;
}

static const char *kind_name(enum vgn_gl_platform kind)
{
	switch (kind) {
	case VGN_GL_PLATFORM_SURFACELESS:
		return "surfaceless";
	case VGN_GL_PLATFORM_GBM:
		return "GBM";
	case VGN_GL_PLATFORM_DEVICE:
		return "EGL device";
	default:
		return "auto";
	}
}

int vrend_egl_display_open(struct vrend_egl_display *d, enum vgn_gl_platform kind,
                           const char *render_node, const struct vrend_logger *logger, char *err,
                           size_t err_size)
{
	int ret;

	memset(d, 0, sizeof(*d));
	d->drm_fd = -1;
	d->kind = kind;
	if (!has_client_ext("EGL_EXT_platform_base"))
		return fail(err, err_size, -ENOTSUP, "EGL has no EGL_EXT_platform_base");
	switch (kind) {
	case VGN_GL_PLATFORM_SURFACELESS:
		ret = open_surfaceless(d, render_node, logger, err, err_size);
		break;
	case VGN_GL_PLATFORM_GBM:
		ret = open_gbm(d, render_node, err, err_size);
		break;
	case VGN_GL_PLATFORM_DEVICE:
		ret = open_device(d, render_node, logger, err, err_size);
		break;
	default:
		return fail(err, err_size, -EINVAL, "unknown GL platform %d", (int)kind);
	}
	if (!ret && d->dpy == EGL_NO_DISPLAY)
		ret = fail(err, err_size, -ENODEV, "%s: eglGetPlatformDisplay failed (%s)",
		           kind_name(kind), vrend_egl_error_name(eglGetError()));
	if (!ret && !eglInitialize(d->dpy, &d->egl_major, &d->egl_minor)) {
		ret = fail(err, err_size, -ENODEV, "%s: eglInitialize failed (%s)", kind_name(kind),
		           vrend_egl_error_name(eglGetError()));
		d->may_terminate = false; /* nothing to terminate */
	}
	if (!ret)
		ret = vrend_strset_add_list(&d->extensions, eglQueryString(d->dpy, EGL_EXTENSIONS));
	if (ret) {
		vrend_egl_display_close(d);
		return ret;
	}
	return 0;
}

void vrend_egl_display_close(struct vrend_egl_display *d)
{
	if (d->dpy != EGL_NO_DISPLAY && d->may_terminate)
		eglTerminate(d->dpy);
	d->dpy = EGL_NO_DISPLAY;
	if (d->gbm)
		gbm_device_destroy(d->gbm);
	d->gbm = NULL;
	if (d->drm_fd >= 0)
		close(d->drm_fd);
	d->drm_fd = -1;
	vrend_strset_fini(&d->extensions);
}
