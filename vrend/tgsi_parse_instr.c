/* SPDX-License-Identifier: MIT */
/*
 * Instruction lines of the TGSI text parser: opcode and modifiers, operands,
 * texture and memory attributes, labels; every register resolved against the
 * declarations; structured control flow checked with a bounded stack.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "tgsi_parse_internal.h"

/* The contents of one "[...]" of a register (the '[' already consumed). */
struct bracket {
	bool indirect;
	int32_t value; /* index, or the offset of an indirect index */
	struct tgsi_indirect ind;
	uint32_t array_id;
};

static bool parse_bracket(struct tgsi_parser *p, struct bracket *b)
{
	char c = tgsi_lex_peek(p);

	memset(b, 0, sizeof(*b));
	if ((c >= '0' && c <= '9') || c == '-' || c == '+') {
		if (!tgsi_lex_int(p, &b->value, "register index"))
			return false;
	} else {
		int file, ch;
		uint32_t idx;

		if (!tgsi_lex_name(p, tgsi_file_names, TGSI_FILE_COUNT, &file, "register file") ||
		    !tgsi_lex_expect(p, '[', "after the address register file") ||
		    !tgsi_lex_uint(p, &idx, "address register index") ||
		    !tgsi_lex_expect(p, ']', "after the address register index") ||
		    !tgsi_lex_expect(p, '.', "before the address component"))
			return false;
		ch = p->cur < p->end ? tgsi_lex_channel(*p->cur) : -1;
		if (ch < 0)
			return tgsi_fail(p, -EINVAL, "expected an address component");
		p->cur++;
		b->indirect = true;
		b->ind.file = (uint8_t)file;
		b->ind.index = idx;
		b->ind.swizzle = (uint8_t)ch;
		c = tgsi_lex_peek(p);
		if ((c == '+' || c == '-') && !tgsi_lex_int(p, &b->value, "register offset"))
			return false;
	}
	if (!tgsi_lex_expect(p, ']', "after the register index"))
		return false;
	if (b->indirect && tgsi_lex_peek(p) == '(') {
		p->cur++;
		if (!tgsi_lex_uint(p, &b->array_id, "array id") ||
		    !tgsi_lex_expect(p, ')', "after the array id"))
			return false;
		if (b->array_id == 0 || b->array_id > p->lim.max_array_id)
			return tgsi_fail(p, -EINVAL, "array id %u out of range", b->array_id);
	}
	return true;
}

static bool parse_reg(struct tgsi_parser *p, struct tgsi_reg *r)
{
	struct bracket b1, b2;
	int file;

	memset(r, 0, sizeof(*r));
	r->decl = TGSI_NO_DECL;
	if (!tgsi_lex_name(p, tgsi_file_names, TGSI_FILE_COUNT, &file, "register file") ||
	    !tgsi_lex_expect(p, '[', "after the register file") || !parse_bracket(p, &b1))
		return false;
	r->file = (uint8_t)file;
	if (tgsi_lex_peek(p) == '[') {
		p->cur++;
		if (!parse_bracket(p, &b2))
			return false;
		r->has_dim = true;
		r->dim = b1.value;
		r->dim_indirect = b1.indirect;
		r->dim_ind = b1.ind;
		r->dim_array_id = b1.array_id;
		b1 = b2;
	}
	r->index = b1.value;
	r->indirect = b1.indirect;
	r->ind = b1.ind;
	r->array_id = b1.array_id;
	return true;
}

static bool resolve_indirect(struct tgsi_parser *p, const struct tgsi_indirect *ind)
{
	if (ind->file != TGSI_FILE_ADDRESS)
		return tgsi_fail(p, -EINVAL, "indirect addressing through %s",
		                 tgsi_file_names[ind->file]);
	if (tgsi_lookup_range(p, TGSI_FILE_ADDRESS, TGSI_DIM_NONE, ind->index) == TGSI_NO_DECL)
		return tgsi_fail(p, -EINVAL, "undeclared ADDR[%u]", ind->index);
	return true;
}

static bool dim_allowed(uint8_t file)
{
	return file == TGSI_FILE_CONSTANT || file == TGSI_FILE_HW_ATOMIC ||
	       file == TGSI_FILE_CONSTBUF;
}

/* Checks a register against the declarations and records its declaration. */
static bool resolve_reg(struct tgsi_parser *p, struct tgsi_reg *r)
{
	const char *fname = tgsi_file_names[r->file];
	uint32_t key = TGSI_DIM_NONE, decl;

	if (r->file == TGSI_FILE_NULL)
		return tgsi_fail(p, -EINVAL, "NULL register");
	if (r->indirect && !resolve_indirect(p, &r->ind))
		return false;
	if (r->file == TGSI_FILE_IMMEDIATE) {
		if (r->has_dim || r->array_id)
			return tgsi_fail(p, -EINVAL, "bad immediate reference");
		if (r->index < 0 || (uint32_t)r->index >= p->sh->num_imms)
			return tgsi_fail(p, -EINVAL, "undefined IMM[%d]", r->index);
		return true;
	}
	if (r->has_dim) {
		if (r->dim_indirect && !resolve_indirect(p, &r->dim_ind))
			return false;
		if (r->dim < 0 || (uint32_t)r->dim >= p->lim.max_dimension)
			return tgsi_fail(p, -EINVAL, "%s dimension %d out of range", fname, r->dim);
		if (r->file == TGSI_FILE_INPUT || r->file == TGSI_FILE_OUTPUT)
			key = TGSI_DIM_PER_VERTEX;
		else if (dim_allowed(r->file))
			key = (uint32_t)r->dim;
		else
			return tgsi_fail(p, -EINVAL, "%s has no dimension", fname);
	}
	if (r->index < 0)
		return tgsi_fail(p, -EINVAL, "%s index %d out of range", fname, r->index);
	if (r->array_id) {
		decl = tgsi_lookup_array(p, r->file, r->array_id);
		if (decl == TGSI_NO_DECL)
			return tgsi_fail(p, -EINVAL, "undeclared %s array %u", fname, r->array_id);
		{
			const struct tgsi_decl *d = &p->sh->decls[decl];
			uint32_t dk = d->per_vertex ? TGSI_DIM_PER_VERTEX
			                            : (d->has_dim ? d->dim : TGSI_DIM_NONE);

			if (dk != key || (uint32_t)r->index < d->first ||
			    (uint32_t)r->index > d->last)
				return tgsi_fail(p, -EINVAL, "%s[%d] outside array %u", fname,
				                 r->index, r->array_id);
		}
	} else {
		decl = tgsi_lookup_range(p, r->file, key, (uint32_t)r->index);
		/* Mesa reads a geometry shader's PRIM_ID input, declared with the
		 * per-vertex inputs, without a vertex index. */
		if (decl == TGSI_NO_DECL && r->file == TGSI_FILE_INPUT && !r->has_dim) {
			decl =
			    tgsi_lookup_range(p, r->file, TGSI_DIM_PER_VERTEX, (uint32_t)r->index);
			if (decl != TGSI_NO_DECL &&
			    (!p->sh->decls[decl].has_semantic ||
			     p->sh->decls[decl].semantic != TGSI_SEMANTIC_PRIMID))
				decl = TGSI_NO_DECL;
		}
		/* Mesa 25 declares compute shared memory as MEMORY[1] and accesses
		 * MEMORY[0]: any index names the shared block. */
		if (decl == TGSI_NO_DECL && r->file == TGSI_FILE_MEMORY && !r->has_dim) {
			for (uint32_t i = 0; i < p->sh->num_decls; i++)
				if (p->sh->decls[i].file == TGSI_FILE_MEMORY &&
				    p->sh->decls[i].mem_type == TGSI_MEMORY_SHARED)
					decl = i;
		}
		if (decl == TGSI_NO_DECL) {
			if (r->has_dim)
				return tgsi_fail(p, -EINVAL, "undeclared %s[%d][%d]", fname, r->dim,
				                 r->index);
			return tgsi_fail(p, -EINVAL, "undeclared %s[%d]", fname, r->index);
		}
	}
	r->decl = decl;
	return true;
}

/* ".xyzw"-style swizzle: 4 letters, or 1 letter replicated. */
static bool parse_swizzle(struct tgsi_parser *p, uint8_t swz[4], unsigned want)
{
	unsigned n = 0;

	for (unsigned i = 0; i < want; i++)
		swz[i] = (uint8_t)i;
	if (tgsi_lex_peek(p) != '.')
		return true;
	p->cur++;
	while (p->cur < p->end && n < 4) {
		int c = tgsi_lex_channel(*p->cur);

		if (c < 0)
			break;
		swz[n++] = (uint8_t)c;
		p->cur++;
	}
	if (n == 1 && want > 1) {
		for (unsigned i = 1; i < want; i++)
			swz[i] = swz[0];
		return true;
	}
	if (n != want)
		return tgsi_fail(p, -EINVAL, "bad swizzle");
	return true;
}

static bool parse_dst(struct tgsi_parser *p, struct tgsi_dst *d)
{
	uint8_t m = 0;
	int last = -1;

	if (!parse_reg(p, &d->reg))
		return false;
	d->mask = TGSI_MASK_XYZW;
	if (tgsi_lex_peek(p) != '.')
		return true;
	p->cur++;
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
	d->mask = m;
	return true;
}

static bool parse_src(struct tgsi_parser *p, struct tgsi_src *s)
{
	memset(s, 0, sizeof(*s));
	if (tgsi_lex_accept(p, '-'))
		s->negate = true;
	if (tgsi_lex_accept(p, '|'))
		s->absolute = true;
	if (!parse_reg(p, &s->reg) || !parse_swizzle(p, s->swizzle, 4))
		return false;
	if (s->absolute && !tgsi_lex_expect(p, '|', "after an absolute value"))
		return false;
	return true;
}

static bool is_resource_file(uint8_t f)
{
	return f == TGSI_FILE_SAMPLER || f == TGSI_FILE_SAMPLER_VIEW || f == TGSI_FILE_IMAGE ||
	       f == TGSI_FILE_BUFFER || f == TGSI_FILE_MEMORY || f == TGSI_FILE_HW_ATOMIC;
}

static bool is_memory_file(uint8_t f)
{
	return f == TGSI_FILE_IMAGE || f == TGSI_FILE_BUFFER || f == TGSI_FILE_MEMORY ||
	       f == TGSI_FILE_HW_ATOMIC;
}

/* Which operand files each operand position accepts. */
static bool check_operands(struct tgsi_parser *p, const struct tgsi_instr *in)
{
	const struct tgsi_opcode_info *info = &tgsi_opcode_infos[in->opcode];
	bool tex = info->flags & TGSI_OPF_TEX;
	bool mem = info->flags & TGSI_OPF_MEM;
	bool store = in->opcode == TGSI_OP_STORE;

	for (unsigned i = 0; i < in->num_dst; i++) {
		uint8_t f = in->dst[i].reg.file;

		if (store ? !is_memory_file(f) || f == TGSI_FILE_HW_ATOMIC
		          : f != TGSI_FILE_TEMPORARY && f != TGSI_FILE_OUTPUT &&
		                f != TGSI_FILE_ADDRESS)
			return tgsi_fail(p, -EINVAL, "%s cannot write %s", info->name,
			                 tgsi_file_names[f]);
	}
	for (unsigned i = 0; i < in->num_src; i++) {
		const struct tgsi_src *s = &in->src[i];
		uint8_t f = s->reg.file;
		bool sampler = tex && i + 1 == in->num_src;
		bool resource = mem && !store && i == 0;

		if (sampler) {
			if (f != TGSI_FILE_SAMPLER && f != TGSI_FILE_SAMPLER_VIEW)
				return tgsi_fail(p, -EINVAL, "%s needs a sampler last", info->name);
			if (s->negate || s->absolute)
				return tgsi_fail(p, -EINVAL, "modifier on a sampler");
		} else if (resource) {
			if (!is_memory_file(f))
				return tgsi_fail(p, -EINVAL, "%s needs a memory resource",
				                 info->name);
		} else if (is_resource_file(f)) {
			return tgsi_fail(p, -EINVAL, "%s cannot read %s as a value", info->name,
			                 tgsi_file_names[f]);
		}
	}
	return true;
}

static bool parse_tex_offset(struct tgsi_parser *p, struct tgsi_instr *in)
{
	struct tgsi_tex_offset *o;
	struct tgsi_reg r;
	uint8_t swz[4];

	if (in->num_offsets == TGSI_MAX_TEX_OFFSETS)
		return tgsi_fail(p, -EINVAL, "too many texel offsets");
	o = &in->offsets[in->num_offsets];
	if (!parse_reg(p, &r) || !parse_swizzle(p, swz, 3))
		return false;
	if (r.indirect || r.has_dim ||
	    (r.file != TGSI_FILE_IMMEDIATE && r.file != TGSI_FILE_TEMPORARY))
		return tgsi_fail(p, -EINVAL, "bad texel offset");
	if (!resolve_reg(p, &r))
		return false;
	o->file = r.file;
	o->index = (uint32_t)r.index;
	o->decl = r.decl;
	memcpy(o->swizzle, swz, 3);
	in->num_offsets++;
	return true;
}

/* ", X" items after the operands: texture target and offsets, or memory
 * qualifiers, target and format. */
static bool parse_suffixes(struct tgsi_parser *p, struct tgsi_instr *in)
{
	uint16_t flags = tgsi_opcode_infos[in->opcode].flags;

	if (flags & TGSI_OPF_TEX) {
		int t;

		if (!tgsi_lex_expect(p, ',', "before the texture target") ||
		    !tgsi_lex_name(p, tgsi_texture_names, TGSI_TEXTURE_COUNT, &t, "texture target"))
			return false;
		in->has_target = true;
		in->target = (uint8_t)t;
		while (tgsi_lex_accept(p, ',')) {
			if (!parse_tex_offset(p, in))
				return false;
		}
		return true;
	}
	if (!(flags & TGSI_OPF_MEM))
		return true;
	while (tgsi_lex_accept(p, ',')) {
		const char *s;
		size_t len;
		int e;

		if (!tgsi_lex_ident(p, &s, &len, "memory attribute"))
			return false;
		e = tgsi_lookup_name(tgsi_memory_qualifier_names, TGSI_MEM_QUALIFIER_COUNT, s, len);
		if (e >= 0) {
			if (in->mem_qualifiers & (1u << e) || in->has_mem_target || in->mem_format)
				return tgsi_fail(p, -EINVAL, "misplaced memory qualifier");
			in->mem_qualifiers |= (uint8_t)(1u << e);
			continue;
		}
		e = tgsi_lookup_name(tgsi_texture_names, TGSI_TEXTURE_COUNT, s, len);
		if (e >= 0) {
			if (in->has_mem_target || in->mem_format)
				return tgsi_fail(p, -EINVAL, "misplaced memory target");
			in->has_mem_target = true;
			in->mem_target = (uint8_t)e;
			continue;
		}
		if (len > 12 && strncmp(s, "PIPE_FORMAT_", 12) == 0 && !in->mem_format) {
			if (!tgsi_intern_format(p, s, len, &in->mem_format))
				return false;
			continue;
		}
		return tgsi_fail(p, -EINVAL, "unexpected memory attribute '%.*s'", (int)len, s);
	}
	return true;
}

static bool push_block(struct tgsi_parser *p, enum tgsi_block b)
{
	if (p->depth >= p->lim.max_nesting)
		return tgsi_fail(p, -E2BIG, "blocks nested too deeply (limit %u)",
		                 p->lim.max_nesting);
	p->stack[p->depth++] = (uint8_t)b;
	return true;
}

static bool top_is(const struct tgsi_parser *p, enum tgsi_block b)
{
	return p->depth > 0 && p->stack[p->depth - 1] == b;
}

/* Innermost enclosing block of kind a or b (stops at a subroutine). */
static bool inside(const struct tgsi_parser *p, enum tgsi_block a, enum tgsi_block b)
{
	for (uint32_t i = p->depth; i-- > 0;) {
		if (p->stack[i] == a || p->stack[i] == b)
			return true;
		if (p->stack[i] == TGSI_BLOCK_SUB)
			return false;
	}
	return false;
}

static bool nest(struct tgsi_parser *p, const struct tgsi_instr *in)
{
	const struct tgsi_opcode_info *info = &tgsi_opcode_infos[in->opcode];
	uint16_t f = info->flags;

	if (p->seen_end && p->depth == 0 && !(f & TGSI_OPF_SUB))
		return tgsi_fail(p, -EINVAL, "%s after END outside a subroutine", info->name);
	if (f & TGSI_OPF_IF)
		return push_block(p, TGSI_BLOCK_IF);
	if (f & TGSI_OPF_LOOP)
		return push_block(p, TGSI_BLOCK_LOOP);
	if (f & TGSI_OPF_SWITCH)
		return push_block(p, TGSI_BLOCK_SWITCH);
	if (f & TGSI_OPF_SUB) {
		if (p->depth)
			return tgsi_fail(p, -EINVAL, "BGNSUB inside a block");
		return push_block(p, TGSI_BLOCK_SUB);
	}
	if (f & TGSI_OPF_ELSE) {
		if (!top_is(p, TGSI_BLOCK_IF))
			return tgsi_fail(p, -EINVAL, "ELSE without IF");
		p->stack[p->depth - 1] = TGSI_BLOCK_ELSE;
		return true;
	}
	if (f & TGSI_OPF_ENDIF) {
		if (!top_is(p, TGSI_BLOCK_IF) && !top_is(p, TGSI_BLOCK_ELSE))
			return tgsi_fail(p, -EINVAL, "ENDIF without IF");
		p->depth--;
		return true;
	}
	if (f & TGSI_OPF_ENDLOOP) {
		if (!top_is(p, TGSI_BLOCK_LOOP))
			return tgsi_fail(p, -EINVAL, "ENDLOOP without BGNLOOP");
		p->depth--;
		return true;
	}
	if (f & TGSI_OPF_ENDSWITCH) {
		if (!top_is(p, TGSI_BLOCK_SWITCH))
			return tgsi_fail(p, -EINVAL, "ENDSWITCH without SWITCH");
		p->depth--;
		return true;
	}
	if (f & TGSI_OPF_ENDSUB) {
		if (!top_is(p, TGSI_BLOCK_SUB))
			return tgsi_fail(p, -EINVAL, "ENDSUB without BGNSUB");
		p->depth--;
		return true;
	}
	if ((f & TGSI_OPF_CASE) && !top_is(p, TGSI_BLOCK_SWITCH))
		return tgsi_fail(p, -EINVAL, "%s outside SWITCH", info->name);
	if ((f & TGSI_OPF_BREAK) && !inside(p, TGSI_BLOCK_LOOP, TGSI_BLOCK_SWITCH))
		return tgsi_fail(p, -EINVAL, "BRK outside a loop");
	if ((f & TGSI_OPF_CONT) && !inside(p, TGSI_BLOCK_LOOP, TGSI_BLOCK_LOOP))
		return tgsi_fail(p, -EINVAL, "CONT outside a loop");
	if (f & TGSI_OPF_END) {
		if (p->depth)
			return tgsi_fail(p, -EINVAL, "END inside a block");
		if (p->seen_end)
			return tgsi_fail(p, -EINVAL, "second END");
		p->seen_end = true;
		p->sh->end_instr = p->sh->num_instrs;
	}
	return true;
}

/* Opcode identifier with optional _SAT and _PRECISE suffixes. */
static bool parse_opcode(struct tgsi_parser *p, struct tgsi_instr *in)
{
	const char *s;
	size_t len;
	int op;

	if (!tgsi_lex_ident(p, &s, &len, "opcode"))
		return false;
	if (len > 8 && strncasecmp(s + len - 8, "_PRECISE", 8) == 0) {
		in->precise = true;
		len -= 8;
	}
	if (len > 4 && strncasecmp(s + len - 4, "_SAT", 4) == 0) {
		in->saturate = true;
		len -= 4;
	}
	op = tgsi_lookup_opcode(s, len);
	if (op < 0)
		return tgsi_fail(p, -EINVAL, "unknown opcode '%.*s'", (int)len, s);
	in->opcode = (uint16_t)op;
	return true;
}

bool tgsi_parse_instruction(struct tgsi_parser *p)
{
	struct tgsi_shader *sh = p->sh;
	const struct tgsi_opcode_info *info;
	struct tgsi_instr *in;

	if (!p->decls_frozen && !tgsi_freeze_declarations(p))
		return false;
	if (!tgsi_grow(p, (void **)&sh->instrs, &p->cap_instrs, sh->num_instrs + 1,
	               sizeof(*sh->instrs), p->lim.max_instructions, "instructions"))
		return false;
	in = &sh->instrs[sh->num_instrs];
	memset(in, 0, sizeof(*in));
	in->line = p->line;
	if (!parse_opcode(p, in))
		return false;
	info = &tgsi_opcode_infos[in->opcode];
	in->num_dst = info->num_dst;
	in->num_src = info->num_src;
	for (unsigned i = 0; i < in->num_dst; i++) {
		if (i && !tgsi_lex_expect(p, ',', "between operands"))
			return false;
		if (!parse_dst(p, &in->dst[i]) || !resolve_reg(p, &in->dst[i].reg))
			return false;
	}
	for (unsigned i = 0; i < in->num_src; i++) {
		if ((i || in->num_dst) && !tgsi_lex_expect(p, ',', "between operands"))
			return false;
		if (!parse_src(p, &in->src[i]) || !resolve_reg(p, &in->src[i].reg))
			return false;
	}
	if (!check_operands(p, in) || !parse_suffixes(p, in))
		return false;
	if (tgsi_lex_accept(p, ':')) {
		if (!(info->flags & TGSI_OPF_LABEL))
			return tgsi_fail(p, -EINVAL, "label on %s", info->name);
		if (!tgsi_lex_uint(p, &in->label, "label"))
			return false;
		in->has_label = true;
	}
	if (in->saturate && info->num_dst == 0)
		return tgsi_fail(p, -EINVAL, "_SAT on %s", info->name);
	if (!tgsi_lex_eol(p, "instruction") || !nest(p, in))
		return false;
	sh->num_instrs++;
	return true;
}
