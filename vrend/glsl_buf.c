/* SPDX-License-Identifier: MIT */
#include "glsl_buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GLSL_BUF_DEFAULT_MAX (16u << 20)

void glsl_buf_init(struct glsl_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max ? max : GLSL_BUF_DEFAULT_MAX;
}

void glsl_buf_fini(struct glsl_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* Room for n more bytes plus the NUL. */
static bool reserve(struct glsl_buf *b, size_t n)
{
	size_t need, cap;
	char *d;

	if (b->error)
		return false;
	if (n > b->max || b->len > b->max - n) {
		b->error = -ENOSPC;
		return false;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 4096;
	while (cap < need)
		cap *= 2;
	d = realloc(b->data, cap);
	if (!d) {
		b->error = -ENOMEM;
		return false;
	}
	b->data = d;
	b->cap = cap;
	return true;
}

void glsl_buf_append_n(struct glsl_buf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void glsl_buf_append(struct glsl_buf *b, const char *s)
{
	glsl_buf_append_n(b, s, strlen(s));
}

void glsl_buf_printf(struct glsl_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	if (b->error)
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->error = -ENOMEM;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		glsl_buf_append_n(b, small, (size_t)n);
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void glsl_buf_indent(struct glsl_buf *b, unsigned level)
{
	static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";

	while (level > 0) {
		unsigned n = level < sizeof(tabs) - 1 ? level : (unsigned)sizeof(tabs) - 1;

		glsl_buf_append_n(b, tabs, n);
		level -= n;
	}
}

char *glsl_buf_take(struct glsl_buf *b, size_t *len)
{
	char *d;

	if (!reserve(b, 0)) /* also allocates an empty buffer */
		return NULL;
	b->data[b->len] = '\0';
	d = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}
