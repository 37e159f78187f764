/* SPDX-License-Identifier: MIT */
/*
 * TGSI text parser, top level: the processor header, the statement loop, the
 * final checks, and the IR accessors. See tgsi_ir.h for the rules.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tgsi_parse_internal.h"

void tgsi_limits_default(struct tgsi_limits *l)
{
	l->max_text_len = 1u << 20;
	l->max_instructions = 16384;
	l->max_declarations = 4096;
	l->max_immediates = 4096;
	l->max_properties = 64;
	l->max_nesting = 64;
	l->max_register_index = 16384;
	l->max_dimension = 64;
	l->max_array_id = 4096;
	l->max_formats = 64;
}

void tgsi_shader_destroy(struct tgsi_shader *sh)
{
	if (!sh)
		return;
	free(sh->props);
	free(sh->decls);
	free(sh->imms);
	free(sh->instrs);
	free(sh->formats);
	free(sh);
}

static bool parse_header(struct tgsi_parser *p)
{
	int proc;

	tgsi_lex_empty_lines(p);
	if (!tgsi_lex_name(p, tgsi_processor_names, TGSI_PROC_COUNT, &proc, "processor"))
		return false;
	p->sh->processor = (uint8_t)proc;
	return tgsi_lex_eol(p, "the processor");
}

static bool parse_statement(struct tgsi_parser *p)
{
	char c = tgsi_lex_peek(p);

	if (c >= '0' && c <= '9') {
		uint32_t number; /* informational: "  7: MOV ..." */

		if (!tgsi_lex_uint(p, &number, "instruction number") ||
		    !tgsi_lex_expect(p, ':', "after the instruction number"))
			return false;
		return tgsi_parse_instruction(p);
	}
	if (tgsi_lex_accept_word(p, "DCL"))
		return tgsi_parse_declaration(p);
	if (tgsi_lex_accept_word(p, "IMM"))
		return tgsi_parse_immediate(p);
	if (tgsi_lex_accept_word(p, "PROPERTY")) {
		if (p->decls_frozen)
			return tgsi_fail(p, -EINVAL, "property after the first instruction");
		return tgsi_parse_property(p);
	}
	return tgsi_parse_instruction(p);
}

static bool parse_all(struct tgsi_parser *p)
{
	if (!parse_header(p))
		return false;
	for (;;) {
		tgsi_lex_empty_lines(p);
		if (p->cur >= p->end)
			break;
		if (!parse_statement(p))
			return false;
	}
	if (p->depth)
		return tgsi_fail(p, -EINVAL, "unterminated block at the end of the text");
	if (!p->seen_end)
		return tgsi_fail(p, -EINVAL, "missing END");
	return true;
}

int tgsi_parse_text(const char *text, size_t len, const struct tgsi_limits *limits,
                    struct tgsi_shader **out, char *err, size_t err_size)
{
	struct tgsi_parser p;
	const char *nul;
	size_t n = len;
	int ret;

	memset(&p, 0, sizeof(p));
	*out = NULL;
	if (err && err_size)
		err[0] = '\0';
	p.err = err;
	p.err_size = err ? err_size : 0;
	p.line = 1;
	if (limits)
		p.lim = *limits;
	else
		tgsi_limits_default(&p.lim);
	if (!text) {
		tgsi_fail(&p, -EINVAL, "no text");
		return p.error;
	}
	nul = len ? memchr(text, '\0', len) : NULL;
	if (nul)
		n = (size_t)(nul - text);
	if (n > p.lim.max_text_len) {
		tgsi_fail(&p, -E2BIG, "text of %zu bytes (limit %u)", n, p.lim.max_text_len);
		return p.error;
	}
	p.cur = text;
	p.end = text + n;
	p.sh = calloc(1, sizeof(*p.sh));
	p.stack = malloc(p.lim.max_nesting ? p.lim.max_nesting : 1);
	if (!p.sh || !p.stack) {
		tgsi_fail(&p, -ENOMEM, "out of memory");
	} else if (parse_all(&p)) {
		*out = p.sh;
		p.sh = NULL;
	}
	ret = p.error;
	tgsi_shader_destroy(p.sh);
	free(p.stack);
	free(p.by_range);
	free(p.by_array);
	if (p.c_locale)
		freelocale(p.c_locale);
	return ret;
}

bool tgsi_shader_property(const struct tgsi_shader *sh, enum tgsi_property_id id, uint32_t *value)
{
	for (uint32_t i = 0; i < sh->num_props; i++) {
		if (sh->props[i].id == id) {
			if (value)
				*value = sh->props[i].num_values ? sh->props[i].values[0] : 0;
			return true;
		}
	}
	return false;
}

const struct tgsi_decl *tgsi_shader_find_decl(const struct tgsi_shader *sh, enum tgsi_file file,
                                              uint32_t dim, uint32_t index)
{
	for (uint32_t i = 0; i < sh->num_decls; i++) {
		const struct tgsi_decl *d = &sh->decls[i];
		uint32_t k = d->has_dim ? d->dim : TGSI_DIM_NONE;

		if (d->file == file && k == dim && d->first <= index && index <= d->last)
			return d;
	}
	return NULL;
}

const char *tgsi_shader_format_name(const struct tgsi_shader *sh, uint8_t format)
{
	if (format == 0 || format > sh->num_formats)
		return NULL;
	return sh->formats[format - 1];
}
