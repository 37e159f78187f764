/* SPDX-License-Identifier: MIT */
/*
 * Lexer of the TGSI text parser. The cursor never reads at or past p->end; the
 * text is not NUL-terminated. Numbers are parsed digit by digit with overflow
 * checks; floats go through strtof/strtod on a bounded, NUL-terminated copy.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tgsi_parse_internal.h"

#define NUMBER_MAX 64 /* longest float literal accepted */

bool tgsi_fail(struct tgsi_parser *p, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->error)
		return false;
	p->error = code;
	if (!p->err || p->err_size == 0)
		return false;
	n = snprintf(p->err, p->err_size, "line %u: ", p->line);
	if (n < 0 || (size_t)n >= p->err_size)
		return false;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->err_size - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_ident_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

void tgsi_lex_blanks(struct tgsi_parser *p)
{
	while (p->cur < p->end && is_blank(*p->cur))
		p->cur++;
}

void tgsi_lex_empty_lines(struct tgsi_parser *p)
{
	while (p->cur < p->end && (is_blank(*p->cur) || *p->cur == '\n')) {
		if (*p->cur == '\n')
			p->line++;
		p->cur++;
	}
}

bool tgsi_lex_at_end(struct tgsi_parser *p)
{
	tgsi_lex_blanks(p);
	return p->cur >= p->end;
}

bool tgsi_lex_eol(struct tgsi_parser *p, const char *what)
{
	tgsi_lex_blanks(p);
	if (p->cur >= p->end)
		return true;
	if (*p->cur == '\n') {
		p->cur++;
		p->line++;
		return true;
	}
	return tgsi_fail(p, -EINVAL, "unexpected '%c' after %s", *p->cur, what);
}

char tgsi_lex_peek(struct tgsi_parser *p)
{
	tgsi_lex_blanks(p);
	return p->cur < p->end ? *p->cur : '\0';
}

bool tgsi_lex_accept(struct tgsi_parser *p, char c)
{
	if (tgsi_lex_peek(p) != c || c == '\0')
		return false;
	p->cur++;
	return true;
}

bool tgsi_lex_expect(struct tgsi_parser *p, char c, const char *what)
{
	if (tgsi_lex_accept(p, c))
		return true;
	return tgsi_fail(p, -EINVAL, "expected '%c' %s", c, what);
}

bool tgsi_lex_accept_str(struct tgsi_parser *p, const char *s)
{
	size_t n = strlen(s);

	tgsi_lex_blanks(p);
	if ((size_t)(p->end - p->cur) < n || memcmp(p->cur, s, n) != 0)
		return false;
	p->cur += n;
	return true;
}

bool tgsi_lex_ident(struct tgsi_parser *p, const char **s, size_t *len, const char *what)
{
	const char *start;

	tgsi_lex_blanks(p);
	start = p->cur;
	while (p->cur < p->end && is_ident_char(*p->cur)) {
		p->cur++;
		if ((size_t)(p->cur - start) > TGSI_IDENT_MAX)
			return tgsi_fail(p, -EINVAL, "identifier too long (%s)", what);
	}
	if (p->cur == start)
		return tgsi_fail(p, -EINVAL, "expected %s", what);
	*s = start;
	*len = (size_t)(p->cur - start);
	return true;
}

bool tgsi_lex_name(struct tgsi_parser *p, const char *const *names, size_t count, int *out,
                   const char *what)
{
	const char *s = NULL;
	size_t len = 0;

	if (!tgsi_lex_ident(p, &s, &len, what))
		return false;
	*out = tgsi_lookup_name(names, count, s, len);
	if (*out < 0)
		return tgsi_fail(p, -EINVAL, "unknown %s '%.*s'", what, (int)len, s);
	return true;
}

bool tgsi_lex_accept_word(struct tgsi_parser *p, const char *word)
{
	size_t n = strlen(word);

	tgsi_lex_blanks(p);
	if ((size_t)(p->end - p->cur) < n || strncasecmp(p->cur, word, n) != 0)
		return false;
	if ((size_t)(p->end - p->cur) > n && is_ident_char(p->cur[n]))
		return false;
	p->cur += n;
	return true;
}

bool tgsi_lex_u64(struct tgsi_parser *p, uint64_t *v, const char *what)
{
	uint64_t val = 0;

	tgsi_lex_blanks(p);
	if (p->cur >= p->end || !is_digit(*p->cur))
		return tgsi_fail(p, -EINVAL, "expected a number (%s)", what);
	while (p->cur < p->end && is_digit(*p->cur)) {
		uint64_t d = (uint64_t)(*p->cur - '0');

		if (val > (UINT64_MAX - d) / 10)
			return tgsi_fail(p, -EINVAL, "number too large (%s)", what);
		val = val * 10 + d;
		p->cur++;
	}
	if (p->cur < p->end && is_ident_char(*p->cur))
		return tgsi_fail(p, -EINVAL, "bad number (%s)", what);
	*v = val;
	return true;
}

bool tgsi_lex_uint(struct tgsi_parser *p, uint32_t *v, const char *what)
{
	uint64_t val = 0;

	if (!tgsi_lex_u64(p, &val, what))
		return false;
	if (val > UINT32_MAX)
		return tgsi_fail(p, -EINVAL, "number too large (%s)", what);
	*v = (uint32_t)val;
	return true;
}

bool tgsi_lex_i64(struct tgsi_parser *p, int64_t *v, const char *what)
{
	bool neg = false;
	uint64_t mag = 0;

	tgsi_lex_blanks(p);
	if (p->cur < p->end && (*p->cur == '-' || *p->cur == '+')) {
		neg = *p->cur == '-';
		p->cur++;
	}
	if (!tgsi_lex_u64(p, &mag, what))
		return false;
	if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return tgsi_fail(p, -EINVAL, "number too small (%s)", what);
		*v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	} else {
		if (mag > (uint64_t)INT64_MAX)
			return tgsi_fail(p, -EINVAL, "number too large (%s)", what);
		*v = (int64_t)mag;
	}
	return true;
}

bool tgsi_lex_int(struct tgsi_parser *p, int32_t *v, const char *what)
{
	int64_t val = 0;

	if (!tgsi_lex_i64(p, &val, what))
		return false;
	if (val < INT32_MIN || val > INT32_MAX)
		return tgsi_fail(p, -EINVAL, "number out of range (%s)", what);
	*v = (int32_t)val;
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "0x" then 1..max_digits hex digits: 1 if parsed, 0 if the text is not
 * hexadecimal (nothing consumed), -1 on error. */
static int lex_hex(struct tgsi_parser *p, uint64_t *v, unsigned max_digits)
{
	uint64_t val = 0;
	unsigned n = 0;

	tgsi_lex_blanks(p);
	if (p->end - p->cur < 2 || p->cur[0] != '0' || (p->cur[1] != 'x' && p->cur[1] != 'X'))
		return 0;
	p->cur += 2;
	while (p->cur < p->end && hex_digit(*p->cur) >= 0) {
		if (++n > max_digits) {
			tgsi_fail(p, -EINVAL, "hex value too long");
			return -1;
		}
		val = val << 4 | (uint64_t)hex_digit(*p->cur);
		p->cur++;
	}
	if (n == 0 || (p->cur < p->end && is_ident_char(*p->cur))) {
		tgsi_fail(p, -EINVAL, "bad hex value");
		return -1;
	}
	*v = val;
	return 1;
}

static bool c_locale(struct tgsi_parser *p)
{
	if (!p->c_locale)
		p->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (!p->c_locale)
		return tgsi_fail(p, -ENOMEM, "no C locale");
	return true;
}

/* Copies a decimal float literal into buf (NUL-terminated). */
static bool copy_float(struct tgsi_parser *p, char *buf, size_t size)
{
	size_t n = 0;

	tgsi_lex_blanks(p);
	while (p->cur + n < p->end) {
		char c = p->cur[n];

		if (!(is_digit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
			break;
		if (n + 1 >= size)
			return tgsi_fail(p, -EINVAL, "float literal too long");
		buf[n] = c;
		n++;
	}
	if (n == 0)
		return tgsi_fail(p, -EINVAL, "expected a float");
	buf[n] = '\0';
	return true;
}

bool tgsi_lex_f32(struct tgsi_parser *p, uint32_t *bits)
{
	char buf[NUMBER_MAX];
	uint64_t hex = 0;
	char *endp;
	float f;
	int h = lex_hex(p, &hex, 8);

	if (h) {
		*bits = (uint32_t)hex;
		return h > 0;
	}
	if (!copy_float(p, buf, sizeof(buf)) || !c_locale(p))
		return false;
	f = strtof_l(buf, &endp, p->c_locale);
	if (*endp != '\0')
		return tgsi_fail(p, -EINVAL, "bad float '%s'", buf);
	p->cur += endp - buf;
	memcpy(bits, &f, sizeof(f));
	return true;
}

bool tgsi_lex_f64(struct tgsi_parser *p, uint64_t *bits)
{
	char buf[NUMBER_MAX];
	uint64_t hex = 0;
	char *endp;
	double d;
	int h = lex_hex(p, &hex, 16);

	if (h) {
		*bits = hex;
		return h > 0;
	}
	if (!copy_float(p, buf, sizeof(buf)) || !c_locale(p))
		return false;
	d = strtod_l(buf, &endp, p->c_locale);
	if (*endp != '\0')
		return tgsi_fail(p, -EINVAL, "bad double '%s'", buf);
	p->cur += endp - buf;
	memcpy(bits, &d, sizeof(d));
	return true;
}

int tgsi_lex_channel(char c)
{
	switch (c) {
	case 'x':
	case 'X':
	case 'r':
	case 'R':
		return 0;
	case 'y':
	case 'Y':
	case 'g':
	case 'G':
		return 1;
	case 'z':
	case 'Z':
	case 'b':
	case 'B':
		return 2;
	case 'w':
	case 'W':
	case 'a':
	case 'A':
		return 3;
	default:
		return -1;
	}
}

bool tgsi_grow(struct tgsi_parser *p, void **arr, uint32_t *cap, uint32_t need, size_t elem,
               uint32_t max, const char *what)
{
	uint32_t new_cap;
	void *n;

	if (need > max)
		return tgsi_fail(p, -E2BIG, "too many %s (limit %u)", what, max);
	if (need <= *cap)
		return true;
	new_cap = *cap ? *cap : 16;
	while (new_cap < need)
		new_cap = new_cap > UINT32_MAX / 2 ? UINT32_MAX : new_cap * 2;
	if (new_cap > max)
		new_cap = max;
	n = realloc(*arr, (size_t)new_cap * elem);
	if (!n)
		return tgsi_fail(p, -ENOMEM, "out of memory (%s)", what);
	memset((char *)n + (size_t)*cap * elem, 0, (size_t)(new_cap - *cap) * elem);
	*arr = n;
	*cap = new_cap;
	return true;
}
