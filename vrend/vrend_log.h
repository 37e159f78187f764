/* SPDX-License-Identifier: MIT */
/*
 * Logging sink for vrend. No process-global logger: every vrend object that logs
 * holds a copy of the sink its creator handed in (the core forwards it to the
 * VMM's vgn_callbacks.log).
 */
#ifndef VREND_LOG_H
#define VREND_LOG_H

#include "virgl-next/virgl_next.h"

struct vrend_logger {
	void (*log)(void *user_data, enum vgn_log_level level, const char *message);
	void *user_data;
	enum vgn_log_level max_level; /* messages above this level are dropped */
};

/* Formats and forwards one message; a NULL logger or callback drops it. */
void vrend_log(const struct vrend_logger *logger, enum vgn_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* VREND_LOG_H */
