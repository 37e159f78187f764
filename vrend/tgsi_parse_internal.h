/* SPDX-License-Identifier: MIT */
/* Internals of the TGSI text parser: the cursor, the lexer and the parser state. */
#ifndef VREND_TGSI_PARSE_INTERNAL_H
#define VREND_TGSI_PARSE_INTERNAL_H

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tgsi_ir.h"

#define TGSI_IDENT_MAX 64               /* longest identifier accepted */
#define TGSI_DIM_PER_VERTEX 0xffffffffu /* lookup key of "FILE[][a..b]" declarations */

struct tgsi_parser {
	const char *cur, *end; /* never read at or past end */
	uint32_t line;
	struct tgsi_limits lim;
	struct tgsi_shader *sh;
	uint32_t cap_decls, cap_imms, cap_instrs, cap_props;
	int error; /* first error (negative errno), 0 while fine */
	char *err;
	size_t err_size;

	/* Built when the first instruction arrives: declarations sorted by
	 * (file, key, first) and arrays by (file, id), for O(log n) lookups. */
	bool decls_frozen;
	uint32_t *by_range;
	uint32_t *by_array;
	uint32_t num_arrays;

	locale_t c_locale; /* for decimal floats, made on first use (the host's
	                    * LC_NUMERIC must not change how "1.5" reads) */

	uint8_t *stack; /* open blocks, enum tgsi_block */
	uint32_t depth;
	bool seen_end;
};

enum tgsi_block {
	TGSI_BLOCK_IF,
	TGSI_BLOCK_ELSE,
	TGSI_BLOCK_LOOP,
	TGSI_BLOCK_SUB,
	TGSI_BLOCK_SWITCH
};

/* ---- errors (tgsi_lex.c) ---- */

/* Records the first error as "line N: message"; always returns false. */
bool tgsi_fail(struct tgsi_parser *p, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- lexer (tgsi_lex.c): every function skips blanks (space, tab, CR) first
 * where a token may start, and never crosses a newline unless it says so ---- */

void tgsi_lex_blanks(struct tgsi_parser *p);
/* Skips blanks and newlines (empty lines). */
void tgsi_lex_empty_lines(struct tgsi_parser *p);
/* True at the end of the text (after blanks). */
bool tgsi_lex_at_end(struct tgsi_parser *p);
/* Consumes the end of the line (blanks, then '\n' or the end of the text). */
bool tgsi_lex_eol(struct tgsi_parser *p, const char *what);
/* The next character after blanks, or 0 at the end of the text. Not consumed. */
char tgsi_lex_peek(struct tgsi_parser *p);
/* Consumes c if it comes next. */
bool tgsi_lex_accept(struct tgsi_parser *p, char c);
/* Consumes c or fails with "expected 'c' <what>". */
bool tgsi_lex_expect(struct tgsi_parser *p, char c, const char *what);
/* Consumes "s" (exact characters, no blanks inside) if it comes next. */
bool tgsi_lex_accept_str(struct tgsi_parser *p, const char *s);
/* An identifier [A-Za-z0-9_]+ (at most TGSI_IDENT_MAX). Fails if none. */
bool tgsi_lex_ident(struct tgsi_parser *p, const char **s, size_t *len, const char *what);
/* Looks up an identifier in a name table; fails with what if unknown. */
bool tgsi_lex_name(struct tgsi_parser *p, const char *const *names, size_t count, int *out,
                   const char *what);
/* Whether the next identifier is word (case-insensitive); consumes it if so. */
bool tgsi_lex_accept_word(struct tgsi_parser *p, const char *word);
/* Decimal numbers with overflow checks. */
bool tgsi_lex_uint(struct tgsi_parser *p, uint32_t *v, const char *what);
bool tgsi_lex_int(struct tgsi_parser *p, int32_t *v, const char *what);
bool tgsi_lex_u64(struct tgsi_parser *p, uint64_t *v, const char *what);
bool tgsi_lex_i64(struct tgsi_parser *p, int64_t *v, const char *what);
/* A FLT32 value: 0x hex bit pattern (Mesa's dumper) or a decimal float. */
bool tgsi_lex_f32(struct tgsi_parser *p, uint32_t *bits);
/* A FLT64 value (decimal, or 0x 64-bit pattern). */
bool tgsi_lex_f64(struct tgsi_parser *p, uint64_t *bits);
/* A swizzle/mask letter x y z w (also r g b a), or -1. */
int tgsi_lex_channel(char c);

/* ---- parser pieces ---- */

/* tgsi_parse_decl.c: PROPERTY, DCL, IMM lines (the keyword already consumed). */
bool tgsi_parse_property(struct tgsi_parser *p);
bool tgsi_parse_declaration(struct tgsi_parser *p);
bool tgsi_parse_immediate(struct tgsi_parser *p);
/* Sorts and checks the declarations (no overlaps, unique array ids). */
bool tgsi_freeze_declarations(struct tgsi_parser *p);
/* Declaration index covering (file, key, index), or TGSI_NO_DECL. */
uint32_t tgsi_lookup_range(const struct tgsi_parser *p, uint8_t file, uint32_t key, uint32_t index);
/* Declaration index of array (file, id), or TGSI_NO_DECL. */
uint32_t tgsi_lookup_array(const struct tgsi_parser *p, uint8_t file, uint32_t id);

/* Interns a PIPE_FORMAT_ name; its 1-based index goes to *out. */
bool tgsi_intern_format(struct tgsi_parser *p, const char *s, size_t len, uint8_t *out);

/* tgsi_parse_instr.c: one instruction line (after an optional "N:"). */
bool tgsi_parse_instruction(struct tgsi_parser *p);

/* Grows *arr (elements of size elem) to hold need elements; max caps it. */
bool tgsi_grow(struct tgsi_parser *p, void **arr, uint32_t *cap, uint32_t need, size_t elem,
               uint32_t max, const char *what);

#endif /* VREND_TGSI_PARSE_INTERNAL_H */
