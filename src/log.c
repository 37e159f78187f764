/* SPDX-License-Identifier: MIT */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

#include "renderer.h"

void vgn_log(vgn_renderer *r, enum vgn_log_level level, const char *fmt, ...)
{
	if (!r || !r->log.fn || level > r->log.level)
		return;
	/* Bounded stack buffer: long messages are truncated, never allocated. */
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	r->log.fn(r->log.user_data, level, buf);
}
