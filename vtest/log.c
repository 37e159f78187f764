/* SPDX-License-Identifier: MIT */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static const char *level_name(enum vgn_log_level level)
{
	switch (level) {
	case VGN_LOG_ERROR:
		return "error";
	case VGN_LOG_WARN:
		return "warn";
	case VGN_LOG_INFO:
		return "info";
	case VGN_LOG_DEBUG:
		return "debug";
	}
	return "?";
}

void vtest_log(const struct vtest_logger *lg, enum vgn_log_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!vtest_log_enabled(lg, level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One fprintf per line: stdio locks the stream, lines of threads do not mix. */
	if (lg->conn_id)
		fprintf(stderr, "virgl-next-vtest[%u] %s: %s\n", lg->conn_id, level_name(level),
		        msg);
	else
		fprintf(stderr, "virgl-next-vtest %s: %s\n", level_name(level), msg);
}
