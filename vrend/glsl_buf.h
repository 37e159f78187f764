/* SPDX-License-Identifier: MIT */
/*
 * A growable text buffer with a size cap, used by the GLSL emitter and the TGSI
 * dumper. Errors are sticky: after the first failure (cap or allocation) every
 * append is ignored and glsl_buf_error() reports it, so callers check once.
 */
#ifndef VREND_GLSL_BUF_H
#define VREND_GLSL_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct glsl_buf {
	char *data; /* NUL-terminated while no error */
	size_t len, cap;
	size_t max; /* 0: 16 MiB */
	int error;  /* 0, -ENOSPC or -ENOMEM */
};

void glsl_buf_init(struct glsl_buf *b, size_t max);
void glsl_buf_fini(struct glsl_buf *b);
void glsl_buf_append(struct glsl_buf *b, const char *s);
void glsl_buf_append_n(struct glsl_buf *b, const char *s, size_t n);
void glsl_buf_printf(struct glsl_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void glsl_buf_indent(struct glsl_buf *b, unsigned level);
static inline int glsl_buf_error(const struct glsl_buf *b)
{
	return b->error;
}
/* Gives the text to the caller (free() it); the buffer is left empty. */
char *glsl_buf_take(struct glsl_buf *b, size_t *len);

#endif /* VREND_GLSL_BUF_H */
