/* SPDX-License-Identifier: MIT */
/* PROPERTY, DCL and IMM lines of the TGSI text parser, and declaration lookups. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tgsi_parse_internal.h"

/* ---- PROPERTY ---- */

static bool property_value(struct tgsi_parser *p, uint8_t id, uint32_t *v)
{
	int e;

	switch (id) {
	case TGSI_PROPERTY_GS_INPUT_PRIM:
	case TGSI_PROPERTY_GS_OUTPUT_PRIM:
		if (!tgsi_lex_name(p, tgsi_prim_names, TGSI_PRIM_COUNT, &e, "primitive"))
			return false;
		break;
	case TGSI_PROPERTY_FS_COORD_ORIGIN:
		if (!tgsi_lex_name(p, tgsi_fs_origin_names, TGSI_FS_ORIGIN_COUNT, &e, "origin"))
			return false;
		break;
	case TGSI_PROPERTY_FS_COORD_PIXEL_CENTER:
		if (!tgsi_lex_name(p, tgsi_fs_center_names, TGSI_FS_CENTER_COUNT, &e,
		                   "pixel center"))
			return false;
		break;
	case TGSI_PROPERTY_NEXT_SHADER:
		if (!tgsi_lex_name(p, tgsi_processor_names, TGSI_PROC_COUNT, &e, "processor"))
			return false;
		break;
	default: {
		int32_t i;

		if (!tgsi_lex_int(p, &i, "property value"))
			return false;
		*v = (uint32_t)i;
		return true;
	}
	}
	*v = (uint32_t)e;
	return true;
}

bool tgsi_parse_property(struct tgsi_parser *p)
{
	struct tgsi_shader *sh = p->sh;
	struct tgsi_property *prop;
	int id;

	if (!tgsi_lex_name(p, tgsi_property_names, TGSI_PROPERTY_COUNT, &id, "property"))
		return false;
	for (uint32_t i = 0; i < sh->num_props; i++) {
		if (sh->props[i].id == id)
			return tgsi_fail(p, -EINVAL, "duplicate property %s",
			                 tgsi_property_names[id]);
	}
	if (!tgsi_grow(p, (void **)&sh->props, &p->cap_props, sh->num_props + 1, sizeof(*sh->props),
	               p->lim.max_properties, "properties"))
		return false;
	prop = &sh->props[sh->num_props];
	prop->id = (uint8_t)id;
	if (tgsi_lex_peek(p) != '\n' && !tgsi_lex_at_end(p)) {
		do {
			if (prop->num_values == 4)
				return tgsi_fail(p, -EINVAL, "too many property values");
			if (!property_value(p, prop->id, &prop->values[prop->num_values]))
				return false;
			prop->num_values++;
		} while (tgsi_lex_accept(p, ','));
	}
	sh->num_props++;
	return tgsi_lex_eol(p, "property");
}

/* ---- IMM ---- */

bool tgsi_parse_immediate(struct tgsi_parser *p)
{
	struct tgsi_shader *sh = p->sh;
	struct tgsi_immediate *imm;
	uint32_t n;
	int type;
	unsigned max_values, per_value;

	if (p->decls_frozen)
		return tgsi_fail(p, -EINVAL, "immediate after the first instruction");
	if (!tgsi_lex_expect(p, '[', "after IMM") || !tgsi_lex_uint(p, &n, "immediate index") ||
	    !tgsi_lex_expect(p, ']', "after the immediate index"))
		return false;
	if (n != sh->num_imms)
		return tgsi_fail(p, -EINVAL, "immediate %u out of order (expected %u)", n,
		                 sh->num_imms);
	if (!tgsi_grow(p, (void **)&sh->imms, &p->cap_imms, sh->num_imms + 1, sizeof(*sh->imms),
	               p->lim.max_immediates, "immediates"))
		return false;
	imm = &sh->imms[sh->num_imms];
	if (!tgsi_lex_name(p, tgsi_imm_type_names, TGSI_IMM_TYPE_COUNT, &type, "immediate type"))
		return false;
	imm->type = (uint8_t)type;
	per_value = type >= TGSI_IMM_FLOAT64 ? 2 : 1;
	max_values = 4 / per_value;
	if (!tgsi_lex_expect(p, '{', "before immediate values"))
		return false;
	for (unsigned i = 0;; i++) {
		uint64_t v64 = 0;

		if (i == max_values)
			return tgsi_fail(p, -EINVAL, "too many immediate values");
		switch (type) {
		case TGSI_IMM_FLOAT32: {
			uint32_t bits;

			if (!tgsi_lex_f32(p, &bits))
				return false;
			v64 = bits;
			break;
		}
		case TGSI_IMM_UINT32: {
			uint32_t u;

			if (!tgsi_lex_uint(p, &u, "immediate"))
				return false;
			v64 = u;
			break;
		}
		case TGSI_IMM_INT32: {
			int32_t s;

			if (!tgsi_lex_int(p, &s, "immediate"))
				return false;
			v64 = (uint32_t)s;
			break;
		}
		case TGSI_IMM_FLOAT64:
			if (!tgsi_lex_f64(p, &v64))
				return false;
			break;
		case TGSI_IMM_UINT64:
			if (!tgsi_lex_u64(p, &v64, "immediate"))
				return false;
			break;
		default: {
			int64_t s;

			if (!tgsi_lex_i64(p, &s, "immediate"))
				return false;
			v64 = (uint64_t)s;
			break;
		}
		}
		imm->dw[i * per_value] = (uint32_t)v64;
		if (per_value == 2)
			imm->dw[i * per_value + 1] = (uint32_t)(v64 >> 32);
		imm->num_dwords = (uint8_t)((i + 1) * per_value);
		if (tgsi_lex_accept(p, '}'))
			break;
		if (!tgsi_lex_expect(p, ',', "between immediate values"))
			return false;
	}
	sh->num_imms++;
	return tgsi_lex_eol(p, "immediate");
}

/* ---- DCL ---- */

/* "[a]" or "[a..b]" (the '[' already consumed). */
static bool decl_range(struct tgsi_parser *p, uint32_t *first, uint32_t *last)
{
	if (!tgsi_lex_uint(p, first, "declaration index"))
		return false;
	*last = *first;
	if (tgsi_lex_accept_str(p, "..") && !tgsi_lex_uint(p, last, "declaration range end"))
		return false;
	if (*last < *first)
		return tgsi_fail(p, -EINVAL, "empty declaration range %u..%u", *first, *last);
	if (*last >= p->lim.max_register_index)
		return tgsi_fail(p, -E2BIG, "register index %u too large (limit %u)", *last,
		                 p->lim.max_register_index);
	return tgsi_lex_expect(p, ']', "after the declaration range");
}

static bool parse_mask(struct tgsi_parser *p, uint8_t *mask)
{
	uint8_t m = 0;
	int last = -1;

	tgsi_lex_blanks(p);
	while (p->cur < p->end) {
		int c = tgsi_lex_channel(*p->cur);

		if (c < 0)
			break;
		if (c <= last)
			return tgsi_fail(p, -EINVAL, "bad write mask");
		last = c;
		m |= (uint8_t)(1u << c);
		p->cur++;
	}
	if (!m)
		return tgsi_fail(p, -EINVAL, "expected a write mask");
	*mask = m;
	return true;
}

static bool per_vertex_allowed(uint8_t proc, uint8_t file)
{
	if (file == TGSI_FILE_INPUT)
		return proc == TGSI_PROC_GEOMETRY || proc == TGSI_PROC_TESS_CTRL ||
		       proc == TGSI_PROC_TESS_EVAL;
	return file == TGSI_FILE_OUTPUT && proc == TGSI_PROC_TESS_CTRL;
}

static bool dim_allowed(uint8_t file)
{
	return file == TGSI_FILE_CONSTANT || file == TGSI_FILE_HW_ATOMIC ||
	       file == TGSI_FILE_CONSTBUF;
}

bool tgsi_intern_format(struct tgsi_parser *p, const char *s, size_t len, uint8_t *out)
{
	struct tgsi_shader *sh = p->sh;
	void *n;

	if (len < 12 || len >= TGSI_FORMAT_NAME_MAX || strncmp(s, "PIPE_FORMAT_", 12) != 0)
		return tgsi_fail(p, -EINVAL, "bad format '%.*s'", (int)len, s);
	for (uint32_t i = 0; i < sh->num_formats; i++) {
		if (strncmp(sh->formats[i], s, len) == 0 && sh->formats[i][len] == '\0') {
			*out = (uint8_t)(i + 1);
			return true;
		}
	}
	if (sh->num_formats >= p->lim.max_formats || sh->num_formats >= 255)
		return tgsi_fail(p, -E2BIG, "too many formats");
	n = realloc(sh->formats, (sh->num_formats + 1) * sizeof(*sh->formats));
	if (!n)
		return tgsi_fail(p, -ENOMEM, "out of memory (formats)");
	sh->formats = n;
	memcpy(sh->formats[sh->num_formats], s, len);
	sh->formats[sh->num_formats][len] = '\0';
	*out = (uint8_t)++sh->num_formats;
	return true;
}

static bool decl_stream(struct tgsi_parser *p, struct tgsi_decl *d)
{
	if (!tgsi_lex_expect(p, '(', "after STREAM"))
		return false;
	for (int i = 0; i < 4; i++) {
		uint32_t s;

		if (i && !tgsi_lex_expect(p, ',', "between streams"))
			return false;
		if (!tgsi_lex_uint(p, &s, "stream"))
			return false;
		if (s > 3)
			return tgsi_fail(p, -EINVAL, "stream %u out of range", s);
		d->stream[i] = (uint8_t)s;
	}
	return tgsi_lex_expect(p, ')', "after the streams");
}

/* The attributes of a resource declaration: SVIEW target and return types,
 * IMAGE target and format. */
static bool decl_resource(struct tgsi_parser *p, struct tgsi_decl *d)
{
	int e;

	if (!tgsi_lex_expect(p, ',', "before the target") ||
	    !tgsi_lex_name(p, tgsi_texture_names, TGSI_TEXTURE_COUNT, &e, "texture target"))
		return false;
	d->target = (uint8_t)e;
	if (!tgsi_lex_expect(p, ',', "after the target"))
		return false;
	if (d->file == TGSI_FILE_SAMPLER_VIEW) {
		if (!tgsi_lex_name(p, tgsi_return_type_names, TGSI_RETURN_COUNT, &e, "return type"))
			return false;
		for (int i = 0; i < 4; i++)
			d->return_type[i] = (uint8_t)e;
		/* Four return types when they differ: "FLOAT, FLOAT, UINT, UINT". */
		if (tgsi_lex_peek(p) == ',') {
			for (int i = 1; i < 4; i++) {
				if (!tgsi_lex_expect(p, ',', "between return types") ||
				    !tgsi_lex_name(p, tgsi_return_type_names, TGSI_RETURN_COUNT, &e,
				                   "return type"))
					return false;
				d->return_type[i] = (uint8_t)e;
			}
		}
		return true;
	}
	{
		const char *s;
		size_t len;

		if (!tgsi_lex_ident(p, &s, &len, "image format"))
			return false;
		return tgsi_intern_format(p, s, len, &d->format);
	}
}

/* One ", ATTRIBUTE" of a declaration. seen: bit per attribute kind. */
static bool decl_attribute(struct tgsi_parser *p, struct tgsi_decl *d, uint32_t *seen)
{
	const char *s;
	size_t len;
	int e;
	uint32_t bit;

	if (!tgsi_lex_ident(p, &s, &len, "declaration attribute"))
		return false;
#define ONCE(b)                                                                                    \
	do {                                                                                       \
		bit = (b);                                                                         \
		if (*seen & bit)                                                                   \
			return tgsi_fail(p, -EINVAL, "repeated attribute '%.*s'", (int)len, s);    \
		*seen |= bit;                                                                      \
	} while (0)
	if (len == 5 && strncasecmp(s, "ARRAY", 5) == 0) {
		ONCE(1u << 0);
		if (!tgsi_lex_expect(p, '(', "after ARRAY") ||
		    !tgsi_lex_uint(p, &d->array_id, "array id") ||
		    !tgsi_lex_expect(p, ')', "after the array id"))
			return false;
		if (d->array_id == 0 || d->array_id > p->lim.max_array_id)
			return tgsi_fail(p, -EINVAL, "array id %u out of range", d->array_id);
		return true;
	}
	if (len == 5 && strncasecmp(s, "LOCAL", 5) == 0) {
		ONCE(1u << 1);
		d->local = true;
		return true;
	}
	if (len == 6 && strncasecmp(s, "STREAM", 6) == 0) {
		ONCE(1u << 2);
		return decl_stream(p, d);
	}
	if (len == 9 && strncasecmp(s, "INVARIANT", 9) == 0) {
		ONCE(1u << 3);
		d->invariant = true;
		return true;
	}
	if (d->file == TGSI_FILE_IMAGE && len == 2 && strncasecmp(s, "WR", 2) == 0) {
		ONCE(1u << 4);
		d->writable = true;
		return true;
	}
	if (d->file == TGSI_FILE_IMAGE && len == 3 && strncasecmp(s, "RAW", 3) == 0) {
		ONCE(1u << 5);
		d->raw = true;
		return true;
	}
	if (d->file == TGSI_FILE_BUFFER && len == 6 && strncasecmp(s, "ATOMIC", 6) == 0) {
		ONCE(1u << 6);
		d->atomic = true;
		return true;
	}
	if (d->file == TGSI_FILE_MEMORY &&
	    (e = tgsi_lookup_name(tgsi_memory_type_names, TGSI_MEMORY_TYPE_COUNT, s, len)) >= 0) {
		ONCE(1u << 7);
		d->mem_type = (uint8_t)e;
		return true;
	}
	if (!d->has_semantic &&
	    (d->file == TGSI_FILE_INPUT || d->file == TGSI_FILE_OUTPUT ||
	     d->file == TGSI_FILE_SYSTEM_VALUE) &&
	    (e = tgsi_lookup_name(tgsi_semantic_names, TGSI_SEMANTIC_COUNT, s, len)) >= 0) {
		d->has_semantic = true;
		d->semantic = (uint8_t)e;
		if (tgsi_lex_accept(p, '[')) {
			if (!tgsi_lex_uint(p, &d->semantic_index, "semantic index") ||
			    !tgsi_lex_expect(p, ']', "after the semantic index"))
				return false;
			if (d->semantic_index >= p->lim.max_register_index)
				return tgsi_fail(p, -EINVAL, "semantic index %u too large",
				                 d->semantic_index);
		}
		return true;
	}
	if (d->file == TGSI_FILE_INPUT && p->sh->processor == TGSI_PROC_FRAGMENT &&
	    (e = tgsi_lookup_name(tgsi_interpolate_names, TGSI_INTERP_COUNT, s, len)) >= 0) {
		ONCE(1u << 8);
		d->has_interp = true;
		d->interp = (uint8_t)e;
		return true;
	}
	if ((d->file == TGSI_FILE_INPUT || d->file == TGSI_FILE_OUTPUT) &&
	    (e = tgsi_lookup_name(tgsi_location_names, TGSI_LOC_COUNT, s, len)) >= 0) {
		ONCE(1u << 9);
		d->location = (uint8_t)e;
		return true;
	}
#undef ONCE
	return tgsi_fail(p, -EINVAL, "unexpected declaration attribute '%.*s'", (int)len, s);
}

bool tgsi_parse_declaration(struct tgsi_parser *p)
{
	struct tgsi_shader *sh = p->sh;
	struct tgsi_decl *d;
	uint32_t a, b, seen = 0;
	int file;

	if (p->decls_frozen)
		return tgsi_fail(p, -EINVAL, "declaration after the first instruction");
	if (!tgsi_grow(p, (void **)&sh->decls, &p->cap_decls, sh->num_decls + 1, sizeof(*sh->decls),
	               p->lim.max_declarations, "declarations"))
		return false;
	d = &sh->decls[sh->num_decls];
	memset(d, 0, sizeof(*d));
	d->line = p->line;
	d->imms_before = sh->num_imms;
	d->usage_mask = TGSI_MASK_XYZW;
	if (!tgsi_lex_name(p, tgsi_file_names, TGSI_FILE_COUNT, &file, "register file"))
		return false;
	if (file == TGSI_FILE_NULL || file == TGSI_FILE_IMMEDIATE)
		return tgsi_fail(p, -EINVAL, "cannot declare %s", tgsi_file_names[file]);
	d->file = (uint8_t)file;
	if (tgsi_lex_accept_str(p, "[]")) {
		if (!per_vertex_allowed(sh->processor, d->file))
			return tgsi_fail(p, -EINVAL, "per-vertex %s not allowed here",
			                 tgsi_file_names[file]);
		d->per_vertex = true;
	}
	if (!tgsi_lex_expect(p, '[', "after the register file") || !decl_range(p, &a, &b))
		return false;
	if (tgsi_lex_accept(p, '[')) {
		if (d->per_vertex || a != b || !dim_allowed(d->file))
			return tgsi_fail(p, -EINVAL, "bad two-dimensional declaration");
		if (a >= p->lim.max_dimension)
			return tgsi_fail(p, -E2BIG, "dimension %u too large", a);
		d->has_dim = true;
		d->dim = a;
		if (!decl_range(p, &a, &b))
			return false;
	}
	d->first = a;
	d->last = b;
	if (tgsi_lex_peek(p) == '.') {
		p->cur++;
		if (!parse_mask(p, &d->usage_mask))
			return false;
	}
	if (d->file == TGSI_FILE_SAMPLER_VIEW || d->file == TGSI_FILE_IMAGE) {
		if (!decl_resource(p, d))
			return false;
	}
	while (tgsi_lex_accept(p, ',')) {
		if (!decl_attribute(p, d, &seen))
			return false;
	}
	if (d->file == TGSI_FILE_SYSTEM_VALUE && !d->has_semantic)
		return tgsi_fail(p, -EINVAL, "system value without a semantic");
	if (d->array_id && d->file != TGSI_FILE_TEMPORARY && d->file != TGSI_FILE_INPUT &&
	    d->file != TGSI_FILE_OUTPUT && d->file != TGSI_FILE_CONSTANT &&
	    d->file != TGSI_FILE_HW_ATOMIC)
		return tgsi_fail(p, -EINVAL, "ARRAY on %s", tgsi_file_names[file]);
	sh->num_decls++;
	if (b + 1 > sh->file_size[d->file])
		sh->file_size[d->file] = b + 1;
	return tgsi_lex_eol(p, "declaration");
}

/* ---- lookups ---- */

static uint32_t decl_key(const struct tgsi_decl *d)
{
	if (d->per_vertex)
		return TGSI_DIM_PER_VERTEX;
	return d->has_dim ? d->dim : TGSI_DIM_NONE;
}

/* Orders a before b by (file, key, first): <0, 0, >0. */
static int cmp_range(const struct tgsi_decl *a, const struct tgsi_decl *b)
{
	uint32_t ka = decl_key(a), kb = decl_key(b);

	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return 0;
}

static int cmp_array(const struct tgsi_decl *a, const struct tgsi_decl *b)
{
	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	if (a->array_id != b->array_id)
		return a->array_id < b->array_id ? -1 : 1;
	return 0;
}

typedef int (*decl_cmp_fn)(const struct tgsi_decl *, const struct tgsi_decl *);

static void sift_down(const struct tgsi_decl *decls, uint32_t *idx, uint32_t root, uint32_t end,
                      decl_cmp_fn cmp)
{
	for (;;) {
		uint32_t c = 2 * root + 1, t;

		if (c >= end)
			return;
		if (c + 1 < end && cmp(&decls[idx[c]], &decls[idx[c + 1]]) < 0)
			c++;
		if (cmp(&decls[idx[root]], &decls[idx[c]]) >= 0)
			return;
		t = idx[root];
		idx[root] = idx[c];
		idx[c] = t;
		root = c;
	}
}

/* Heap sort of declaration indices: no recursion, O(n log n) on any input. */
static void sort_indices(const struct tgsi_decl *decls, uint32_t *idx, uint32_t n, decl_cmp_fn cmp)
{
	for (uint32_t s = n / 2; s-- > 0;)
		sift_down(decls, idx, s, n, cmp);
	for (uint32_t end = n; end > 1;) {
		uint32_t t = idx[0];

		end--;
		idx[0] = idx[end];
		idx[end] = t;
		sift_down(decls, idx, 0, end, cmp);
	}
}

/* Whether b may share the registers of the group that starts with g: component-
 * qualified I/O (same range and semantic, components not yet declared). g's
 * io_mask holds the group's components so far. */
static bool shares_components(const struct tgsi_decl *g, const struct tgsi_decl *b)
{
	if (b->file != TGSI_FILE_INPUT && b->file != TGSI_FILE_OUTPUT)
		return false;
	return b->first == g->first && b->last == g->last && g->has_semantic && b->has_semantic &&
	       b->semantic == g->semantic && b->semantic_index == g->semantic_index &&
	       !(b->usage_mask & g->io_mask);
}

/* Ends a group of declarations sharing registers (idx: n declaration indices,
 * the first one's io_mask the union): the lowest index owns, the others alias. */
static void close_group(struct tgsi_shader *sh, const uint32_t *idx, uint32_t n)
{
	uint32_t owner = idx[0];
	uint8_t mask = sh->decls[idx[0]].io_mask;

	for (uint32_t k = 1; k < n; k++)
		owner = idx[k] < owner ? idx[k] : owner;
	for (uint32_t k = 0; k < n; k++) {
		struct tgsi_decl *d = &sh->decls[idx[k]];

		d->io_mask = mask;
		d->alias = idx[k] != owner;
		d->alias_of = d->alias ? owner : 0;
	}
}

bool tgsi_freeze_declarations(struct tgsi_parser *p)
{
	struct tgsi_shader *sh = p->sh;
	uint32_t n = sh->num_decls;

	p->decls_frozen = true;
	p->by_range = calloc(n ? n : 1, sizeof(*p->by_range));
	p->by_array = calloc(n ? n : 1, sizeof(*p->by_array));
	if (!p->by_range || !p->by_array)
		return tgsi_fail(p, -ENOMEM, "out of memory (declaration index)");
	for (uint32_t i = 0; i < n; i++) {
		p->by_range[i] = i;
		sh->decls[i].io_mask = sh->decls[i].usage_mask;
		if (sh->decls[i].array_id)
			p->by_array[p->num_arrays++] = i;
	}
	sort_indices(sh->decls, p->by_range, n, cmp_range);
	sort_indices(sh->decls, p->by_array, p->num_arrays, cmp_array);
	for (uint32_t g = 0, i = 1; i <= n; i++) {
		const struct tgsi_decl *a = i < n ? &sh->decls[p->by_range[i - 1]] : NULL;
		const struct tgsi_decl *b = i < n ? &sh->decls[p->by_range[i]] : NULL;

		if (b && a->file == b->file && decl_key(a) == decl_key(b) && b->first <= a->last) {
			if (!shares_components(&sh->decls[p->by_range[g]], b)) {
				p->line = b->line;
				return tgsi_fail(p, -EINVAL, "%s[%u] declared twice",
				                 tgsi_file_names[b->file], b->first);
			}
			sh->decls[p->by_range[g]].io_mask |= b->usage_mask;
			continue;
		}
		close_group(sh, p->by_range + g, i - g);
		g = i;
	}
	for (uint32_t i = 1; i < p->num_arrays; i++) {
		const struct tgsi_decl *a = &sh->decls[p->by_array[i - 1]];
		const struct tgsi_decl *b = &sh->decls[p->by_array[i]];

		if (cmp_array(a, b) == 0) {
			p->line = b->line;
			return tgsi_fail(p, -EINVAL, "array id %u declared twice", b->array_id);
		}
	}
	return true;
}

uint32_t tgsi_lookup_range(const struct tgsi_parser *p, uint8_t file, uint32_t key, uint32_t index)
{
	const struct tgsi_decl *decls = p->sh->decls;
	uint32_t lo = 0, hi = p->sh->num_decls;

	/* last declaration ordered <= (file, key, index) */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct tgsi_decl *d = &decls[p->by_range[mid]];
		uint32_t k = decl_key(d);
		bool le = d->file < file ||
		          (d->file == file && (k < key || (k == key && d->first <= index)));

		if (le)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return TGSI_NO_DECL;
	{
		uint32_t i = p->by_range[lo - 1];
		const struct tgsi_decl *d = &decls[i];

		if (d->file == file && decl_key(d) == key && d->first <= index && index <= d->last)
			return d->alias ? d->alias_of : i;
	}
	return TGSI_NO_DECL;
}

uint32_t tgsi_lookup_array(const struct tgsi_parser *p, uint8_t file, uint32_t id)
{
	const struct tgsi_decl *decls = p->sh->decls;
	uint32_t lo = 0, hi = p->num_arrays;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct tgsi_decl *d = &decls[p->by_array[mid]];

		if (d->file == file && d->array_id == id)
			return p->by_array[mid];
		if (d->file < file || (d->file == file && d->array_id < id))
			lo = mid + 1;
		else
			hi = mid;
	}
	return TGSI_NO_DECL;
}
