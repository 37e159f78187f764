/* SPDX-License-Identifier: MIT */
/* Server logging to stderr, one line per message, prefixed with the connection. */
#ifndef VTEST_LOG_H
#define VTEST_LOG_H

#include "virgl-next/virgl_next.h"

/* Carried by value: there is no global log level. conn_id 0 = the server itself. */
struct vtest_logger {
	enum vgn_log_level max_level; /* messages above this are dropped */
	unsigned conn_id;
};

void vtest_log(const struct vtest_logger *lg, enum vgn_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define vtest_err(lg, ...) vtest_log((lg), VGN_LOG_ERROR, __VA_ARGS__)
#define vtest_warn(lg, ...) vtest_log((lg), VGN_LOG_WARN, __VA_ARGS__)
#define vtest_info(lg, ...) vtest_log((lg), VGN_LOG_INFO, __VA_ARGS__)
#define vtest_dbg(lg, ...) vtest_log((lg), VGN_LOG_DEBUG, __VA_ARGS__)

static inline int vtest_log_enabled(const struct vtest_logger *lg, enum vgn_log_level level)
{
	return level <= lg->max_level;
}

#endif /* VTEST_LOG_H */
