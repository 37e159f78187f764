/* SPDX-License-Identifier: MIT */
#include "vrend_log.h"

#include <stdarg.h>
#include <stdio.h>

void vrend_log(const struct vrend_logger *logger, enum vgn_log_level level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!logger || !logger->log || level > logger->max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	logger->log(logger->user_data, level, msg);
}
