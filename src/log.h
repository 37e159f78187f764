/* SPDX-License-Identifier: MIT */
/* Per-instance logging through the VMM's log callback. No process globals. */
#ifndef VGN_LOG_H
#define VGN_LOG_H

#include "virgl-next/virgl_next.h"

struct vgn_log {
	enum vgn_log_level level; /* messages above this level are dropped */
	void (*fn)(void *user_data, enum vgn_log_level level, const char *message);
	void *user_data;
};

/* Formats and hands one message to the renderer's log callback, if any and if
 * level passes the filter. Never call it with the renderer lock or the event lock
 * held: the callback may call vgn_renderer_* queries that take them. */
void vgn_log(vgn_renderer *r, enum vgn_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define vgn_err(r, ...) vgn_log((r), VGN_LOG_ERROR, __VA_ARGS__)
#define vgn_warn(r, ...) vgn_log((r), VGN_LOG_WARN, __VA_ARGS__)
#define vgn_info(r, ...) vgn_log((r), VGN_LOG_INFO, __VA_ARGS__)
#define vgn_dbg(r, ...) vgn_log((r), VGN_LOG_DEBUG, __VA_ARGS__)

#endif
