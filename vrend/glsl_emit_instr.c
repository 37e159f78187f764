/* SPDX-License-Identifier: MIT */
/*
 * Instructions of the GLSL emitter: ALU opcodes expand their template from the
 * opcode table; control flow maps onto structured GLSL (the parser already
 * checked the nesting); the few fragment/geometry/compute specials follow.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "glsl_emit_internal.h"

/* 'A' (untyped) resolves to float when a modifier or _SAT asks for arithmetic,
 * else to uint (an exact bit copy). */
static char resolve_any(const struct tgsi_instr *in, const struct tgsi_opcode_info *info)
{
	if (in->saturate)
		return 'F';
	for (unsigned i = 0; i < in->num_src && info->src_types[i]; i++) {
		if (info->src_types[i] == 'A' && (in->src[i].negate || in->src[i].absolute))
			return 'F';
	}
	return 'U';
}

static bool emit_alu(struct glsl_ctx *c, const struct tgsi_instr *in)
{
	const struct tgsi_opcode_info *info = &tgsi_opcode_infos[in->opcode];
	char srcs[4][GLSL_EXPR_MAX];
	char any = resolve_any(in, info);
	char dt = info->dst_type == 'A' ? any : info->dst_type;
	struct glsl_buf e;
	bool ok;

	if (in->num_src > 4 || strlen(info->src_types) != in->num_src || in->num_dst != 1)
		return glsl_fail(c, -EINVAL, "bad ALU opcode row %s", info->name);
	if ((in->opcode == TGSI_OP_DDX || in->opcode == TGSI_OP_DDY ||
	     in->opcode == TGSI_OP_DDX_FINE || in->opcode == TGSI_OP_DDY_FINE) &&
	    c->sh->processor != TGSI_PROC_FRAGMENT)
		return glsl_fail(c, -EINVAL, "derivatives outside a fragment shader");
	for (unsigned i = 0; i < in->num_src; i++) {
		char t = info->src_types[i] == 'A' ? any : info->src_types[i];

		if (!glsl_src(c, &in->src[i], t, srcs[i]))
			return false;
	}
	glsl_buf_init(&e, 1u << 16);
	for (const char *t = info->tmpl; *t; t++) {
		if (t[0] == '%' && t[1] >= '0' && t[1] <= '3' &&
		    (unsigned)(t[1] - '0') < in->num_src) {
			glsl_buf_append(&e, srcs[t[1] - '0']);
			t++;
		} else {
			glsl_buf_append_n(&e, t, 1);
		}
	}
	if (glsl_buf_error(&e)) {
		glsl_buf_fini(&e);
		return glsl_fail(c, -ENOSPC, "expression too long");
	}
	ok = glsl_assign(c, in, e.data, dt);
	glsl_buf_fini(&e);
	return ok;
}

static bool open_block(struct glsl_ctx *c)
{
	c->indent++;
	return true;
}

static bool close_block(struct glsl_ctx *c)
{
	if (c->indent <= 1)
		return glsl_fail(c, -EINVAL, "unbalanced block");
	c->indent--;
	return true;
}

static bool emit_flow(struct glsl_ctx *c, const struct tgsi_instr *in)
{
	char v[GLSL_EXPR_MAX];

	switch (in->opcode) {
	case TGSI_OP_IF:
	case TGSI_OP_UIF: {
		bool f = in->opcode == TGSI_OP_IF;

		if (!glsl_src(c, &in->src[0], f ? 'F' : 'U', v))
			return false;
		glsl_line(c, "if (%s.x != %s) {", v, f ? "0.0" : "0u");
		return open_block(c);
	}
	case TGSI_OP_ELSE:
		if (!close_block(c))
			return false;
		glsl_line(c, "} else {");
		return open_block(c);
	case TGSI_OP_ENDIF:
	case TGSI_OP_ENDLOOP:
		if (!close_block(c))
			return false;
		glsl_line(c, "}");
		return true;
	case TGSI_OP_BGNLOOP:
		if (c->opt.max_loop_iterations) {
			uint32_t n = c->num_loops++;

			glsl_line(c, "for (uint vn_loop%u = 0u; vn_loop%u < %uu; vn_loop%u++) {", n,
			          n, c->opt.max_loop_iterations, n);
		} else if (c->opt.loop_budget &&
		           !tgsi_loop_trip_bound(c->sh, c->instr, GLSL_COUNTED_LOOP_MAX)) {
			/* One budget for all loops of the invocation: nesting cannot
			 * multiply it. A counted loop (proven finite) goes without, so
			 * that the host compiler can still unroll it. */
			c->num_loops++; /* the counter is declared by translate() */
			glsl_line(c, "while (true) {");
			if (!open_block(c))
				return false;
			glsl_line(c, "if (vn_loop_budget == 0u) break;");
			glsl_line(c, "vn_loop_budget--;");
			return true;
		} else {
			glsl_line(c, "while (true) {");
		}
		return open_block(c);
	case TGSI_OP_BRK:
		glsl_line(c, "break;");
		return true;
	case TGSI_OP_CONT:
		glsl_line(c, "continue;");
		return true;
	case TGSI_OP_RET:
		glsl_line(c, "return;");
		return true;
	case TGSI_OP_NOP:
	case TGSI_OP_END:
		return true;
	default:
		return glsl_fail(c, -ENOTSUP, "flow opcode %s", tgsi_opcode_infos[in->opcode].name);
	}
}

static bool emit_interp(struct glsl_ctx *c, const struct tgsi_instr *in)
{
	const struct tgsi_src *s = &in->src[0];
	const struct tgsi_decl *d;
	char var[GLSL_EXPR_MAX], arg[GLSL_EXPR_MAX], call[GLSL_EXPR_MAX], e[GLSL_EXPR_MAX + 16];
	static const char swz[4] = {'x', 'y', 'z', 'w'};
	const char *fn;

	if (s->reg.file != TGSI_FILE_INPUT || s->reg.indirect || s->reg.has_dim ||
	    s->reg.decl >= c->sh->num_decls)
		return glsl_fail(c, -ENOTSUP, "interpolation of a non-input");
	d = &c->sh->decls[s->reg.decl];
	if (!glsl_input_variable(c, d, (uint32_t)s->reg.index, var))
		return false;
	arg[0] = '\0';
	if (in->opcode == TGSI_OP_INTERP_CENTROID) {
		fn = "interpolateAtCentroid";
	} else if (in->opcode == TGSI_OP_INTERP_SAMPLE) {
		char smp[GLSL_EXPR_MAX];

		fn = "interpolateAtSample";
		if (!glsl_src(c, &in->src[1], 'I', smp) || !glsl_fmt(c, arg, ", %s.x", smp))
			return false;
	} else {
		char off[GLSL_EXPR_MAX];

		fn = "interpolateAtOffset";
		if (!glsl_src(c, &in->src[1], 'F', off) || !glsl_fmt(c, arg, ", %s.xy", off))
			return false;
	}
	if (!glsl_fmt(c, call, "%s(%s%s).%c%c%c%c", fn, var, arg, swz[s->swizzle[0] & 3],
	              swz[s->swizzle[1] & 3], swz[s->swizzle[2] & 3], swz[s->swizzle[3] & 3]))
		return false;
	snprintf(e, sizeof(e), "%s%s%s%s%s", s->negate ? "(-" : "", s->absolute ? "abs(" : "", call,
	         s->absolute ? ")" : "", s->negate ? ")" : "");
	return glsl_assign(c, in, e, 'F');
}

static bool emit_misc(struct glsl_ctx *c, const struct tgsi_instr *in)
{
	uint8_t proc = c->sh->processor;
	char v[GLSL_EXPR_MAX];

	switch (in->opcode) {
	case TGSI_OP_KILL:
	case TGSI_OP_DEMOTE:
		if (proc != TGSI_PROC_FRAGMENT)
			return glsl_fail(c, -EINVAL, "KILL outside a fragment shader");
		glsl_line(c, "discard;");
		return true;
	case TGSI_OP_KILL_IF:
		if (proc != TGSI_PROC_FRAGMENT)
			return glsl_fail(c, -EINVAL, "KILL_IF outside a fragment shader");
		if (!glsl_src(c, &in->src[0], 'F', v))
			return false;
		glsl_line(c, "if (any(lessThan(%s, vec4(0.0)))) discard;", v);
		return true;
	case TGSI_OP_EMIT:
	case TGSI_OP_ENDPRIM: {
		uint32_t stream;

		if (proc != TGSI_PROC_GEOMETRY)
			return glsl_fail(c, -EINVAL, "EMIT outside a geometry shader");
		if (!glsl_imm_value(c, &in->src[0], 0, &stream))
			return false;
		if (stream > 3 || (stream && c->version < 400))
			return glsl_fail(c, -ENOTSUP, "vertex stream %u", stream);
		if (in->opcode == TGSI_OP_EMIT) {
			glsl_line(c, "vn_store_outputs();");
			if (stream)
				glsl_line(c, "EmitStreamVertex(%u);", stream);
			else
				glsl_line(c, "EmitVertex();");
		} else if (stream) {
			glsl_line(c, "EndStreamPrimitive(%u);", stream);
		} else {
			glsl_line(c, "EndPrimitive();");
		}
		return true;
	}
	case TGSI_OP_INTERP_CENTROID:
	case TGSI_OP_INTERP_SAMPLE:
	case TGSI_OP_INTERP_OFFSET:
		return emit_interp(c, in);
	case TGSI_OP_BARRIER:
		if (proc != TGSI_PROC_COMPUTE && proc != TGSI_PROC_TESS_CTRL)
			return glsl_fail(c, -EINVAL, "BARRIER here");
		glsl_line(c, "barrier();");
		return true;
	case TGSI_OP_MEMBAR:
		glsl_line(c, "memoryBarrier();");
		if (proc == TGSI_PROC_COMPUTE)
			glsl_line(c, "memoryBarrierShared();");
		return true;
	default:
		return glsl_fail(c, -ENOTSUP, "opcode %s", tgsi_opcode_infos[in->opcode].name);
	}
}

bool glsl_emit_instructions(struct glsl_ctx *c)
{
	const struct tgsi_shader *sh = c->sh;

	if (sh->num_instrs != sh->end_instr + 1)
		return glsl_fail(c, -ENOTSUP, "subroutines after END");
	c->indent = 1;
	for (uint32_t i = 0; i < sh->end_instr && !c->error; i++) {
		const struct tgsi_instr *in = &sh->instrs[i];
		const struct tgsi_opcode_info *info = &tgsi_opcode_infos[in->opcode];

		c->instr = i;
		if (info->glsl_version > c->version) {
			glsl_fail(c, -ENOTSUP, "%s needs GLSL %u", info->name, info->glsl_version);
			break;
		}
		switch (info->kind) {
		case TGSI_KIND_ALU:
			emit_alu(c, in);
			break;
		case TGSI_KIND_FLOW:
			emit_flow(c, in);
			break;
		case TGSI_KIND_TEX:
			glsl_emit_tex(c, in);
			break;
		case TGSI_KIND_MEM:
			glsl_emit_mem(c, in);
			break;
		case TGSI_KIND_MISC:
			emit_misc(c, in);
			break;
		case TGSI_KIND_DBL:
			glsl_emit_double(c, in);
			break;
		default:
			glsl_fail(c, -ENOTSUP, "opcode %s not translated", info->name);
			break;
		}
	}
	c->instr = UINT32_MAX;
	return !c->error;
}
