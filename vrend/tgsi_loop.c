/* SPDX-License-Identifier: MIT */
/*
 * Counted loops: a bound on a TGSI loop's trip count, proven from the IR.
 *
 * The emitter gives every loop an iteration budget so that a hostile shader
 * cannot hang the host rasterizer. That budget is an extra exit, and with two
 * exits the host compiler no longer unrolls a plain `for (i = 0; i < 5; i++)`
 * (on llvmpipe the glmark2 loop scene ran about 30 % slower). A loop that this
 * file proves finite needs no budget.
 *
 * Only one form is recognised, the one Mesa emits for counted loops:
 *
 *     MOV  TEMP[n].c, IMM[..]            straight-line before BGNLOOP
 *     BGNLOOP
 *       ...
 *       UADD TEMP[n].c, TEMP[n].c, IMM   positive step, at the loop's top level
 *       ...
 *       ISGE TEMP[m].d, TEMP[n].c, IMM   (or USGE), at the top level
 *       UIF  TEMP[m].d                    \
 *         BRK                              } exactly these three in a row
 *       ENDIF                             /
 *       ...
 *     ENDLOOP
 *
 * and only when the body holds no nested loop, no CONT (which could skip the
 * step), no other write to TEMP[n].c and no indirect temporary write. The
 * counter then moves towards the limit by a constant each iteration, and the
 * limit check (made in 64 bits) rules out a wrap that would step over it.
 */
#include <stdint.h>

#include "tgsi_ir.h"

static uint16_t op_flags(const struct tgsi_instr *in)
{
	return tgsi_opcode_infos[in->opcode].flags;
}

static bool opens(const struct tgsi_instr *in)
{
	return op_flags(in) & (TGSI_OPF_IF | TGSI_OPF_LOOP | TGSI_OPF_SUB | TGSI_OPF_SWITCH);
}

static bool closes(const struct tgsi_instr *in)
{
	return op_flags(in) &
	       (TGSI_OPF_ENDIF | TGSI_OPF_ENDLOOP | TGSI_OPF_ENDSUB | TGSI_OPF_ENDSWITCH);
}

static bool plain_src(const struct tgsi_src *s, uint8_t file)
{
	return s->reg.file == file && !s->reg.indirect && !s->reg.has_dim && !s->negate &&
	       !s->absolute;
}

static bool is_temp(const struct tgsi_reg *r, int32_t index)
{
	return r->file == TGSI_FILE_TEMPORARY && !r->indirect && r->index == index;
}

/* Whether `in` writes component c of TEMP[n]. */
static bool writes(const struct tgsi_instr *in, int32_t n, unsigned c)
{
	for (unsigned i = 0; i < in->num_dst && i < TGSI_MAX_DST; i++) {
		if (is_temp(&in->dst[i].reg, n) && (in->dst[i].mask & (1u << c)))
			return true;
	}
	return false;
}

static bool writes_indirect_temp(const struct tgsi_instr *in)
{
	for (unsigned i = 0; i < in->num_dst && i < TGSI_MAX_DST; i++) {
		if (in->dst[i].reg.file == TGSI_FILE_TEMPORARY && in->dst[i].reg.indirect)
			return true;
	}
	return false;
}

/* The 32-bit immediate a source reads in channel c, if it is a plain IMM. */
static bool imm_value(const struct tgsi_shader *sh, const struct tgsi_src *s, unsigned c,
                      uint32_t *v)
{
	if (!plain_src(s, TGSI_FILE_IMMEDIATE) || s->reg.index < 0 ||
	    (uint32_t)s->reg.index >= sh->num_imms)
		return false;
	*v = sh->imms[s->reg.index].dw[s->swizzle[c] & 3];
	return true;
}

struct counted {
	int32_t counter; /* TEMP index */
	unsigned comp;   /* its component */
	bool is_signed;  /* ISGE, else USGE */
	uint32_t limit;
};

/* in[0..3] = cmp, UIF, BRK, ENDIF as in the header; fills the counter. */
static bool match_exit(const struct tgsi_shader *sh, const struct tgsi_instr *in, struct counted *k)
{
	const struct tgsi_instr *cmp = &in[0], *uif = &in[1];

	if ((cmp->opcode != TGSI_OP_ISGE && cmp->opcode != TGSI_OP_USGE) ||
	    uif->opcode != TGSI_OP_UIF || in[2].opcode != TGSI_OP_BRK ||
	    in[3].opcode != TGSI_OP_ENDIF || cmp->saturate)
		return false;
	const struct tgsi_reg *flag = &cmp->dst[0].reg;
	if (flag->file != TGSI_FILE_TEMPORARY || flag->indirect ||
	    !plain_src(&uif->src[0], TGSI_FILE_TEMPORARY) || uif->src[0].reg.index != flag->index)
		return false;
	unsigned d = uif->src[0].swizzle[0] & 3; /* the channel UIF tests */
	if (!(cmp->dst[0].mask & (1u << d)) || !plain_src(&cmp->src[0], TGSI_FILE_TEMPORARY) ||
	    !imm_value(sh, &cmp->src[1], d, &k->limit))
		return false;
	k->counter = cmp->src[0].reg.index;
	k->comp = cmp->src[0].swizzle[d] & 3;
	k->is_signed = cmp->opcode == TGSI_OP_ISGE;
	return true;
}

/* `in` is UADD TEMP[n].c, TEMP[n].c, IMM (either order): the step. */
static bool match_step(const struct tgsi_shader *sh, const struct tgsi_instr *in,
                       const struct counted *k, uint32_t *step)
{
	if (in->opcode != TGSI_OP_UADD || in->saturate || in->num_dst != 1)
		return false;
	for (unsigned a = 0; a < 2; a++) {
		const struct tgsi_src *cnt = &in->src[a], *imm = &in->src[1 - a];

		if (plain_src(cnt, TGSI_FILE_TEMPORARY) && cnt->reg.index == k->counter &&
		    (cnt->swizzle[k->comp] & 3) == k->comp && imm_value(sh, imm, k->comp, step))
			return true;
	}
	return false;
}

/* The counter's value on entry: the nearest write before BGNLOOP must be a
 * MOV from an immediate, with no control flow in between; reaching the start
 * of the shader means the register's initial zero. */
static bool initial_value(const struct tgsi_shader *sh, uint32_t bgn, const struct counted *k,
                          uint32_t *init)
{
	for (uint32_t i = bgn; i-- > 0;) {
		const struct tgsi_instr *in = &sh->instrs[i];

		if (tgsi_opcode_infos[in->opcode].kind == TGSI_KIND_FLOW ||
		    tgsi_opcode_infos[in->opcode].kind == TGSI_KIND_NONE ||
		    writes_indirect_temp(in))
			return false;
		if (!writes(in, k->counter, k->comp))
			continue;
		return in->opcode == TGSI_OP_MOV && !in->saturate && in->num_dst == 1 &&
		       imm_value(sh, &in->src[0], k->comp, init);
	}
	*init = 0;
	return true;
}

/* Iterations (limit checks) until counter >= limit, or 0 if a wrap could
 * step over the limit. 64-bit arithmetic throughout. */
static uint64_t trip_count(const struct counted *k, uint32_t init, uint32_t step)
{
	int64_t i0, s, lim, max;

	if (k->is_signed) {
		i0 = (int32_t)init, s = (int32_t)step, lim = (int32_t)k->limit, max = INT32_MAX;
	} else {
		i0 = init, s = step, lim = k->limit, max = UINT32_MAX;
	}
	if (s <= 0)
		return 0;
	/* Largest value ever computed: one step past the last value below the
	 * limit, or past the initial value. */
	if ((i0 > lim - 1 ? i0 : lim - 1) + s > max)
		return 0;
	return (uint64_t)(lim > i0 ? (lim - i0 + s - 1) / s : 0) + 1;
}

uint32_t tgsi_loop_trip_bound(const struct tgsi_shader *sh, uint32_t bgn, uint32_t cap)
{
	if (bgn >= sh->num_instrs || sh->instrs[bgn].opcode != TGSI_OP_BGNLOOP)
		return 0;
	/* The body (bgn, end) and its top-level instructions (depth 1). */
	uint32_t end = 0, depth = 1;
	for (uint32_t i = bgn + 1; i < sh->num_instrs && !end; i++) {
		const struct tgsi_instr *in = &sh->instrs[i];

		if (in->opcode == TGSI_OP_BGNLOOP || in->opcode == TGSI_OP_CONT ||
		    writes_indirect_temp(in))
			return 0;
		if (closes(in) && --depth == 0)
			end = i;
		else if (opens(in))
			depth++;
	}
	if (!end)
		return 0;

	depth = 1;
	for (uint32_t i = bgn + 1; i + 3 < end; i++) {
		struct counted k;
		uint32_t step = 0, init, writers = 0;
		bool stepped = false;

		if (depth == 1 && match_exit(sh, &sh->instrs[i], &k)) {
			uint32_t d = 1;
			for (uint32_t j = bgn + 1; j < end; j++) {
				const struct tgsi_instr *in = &sh->instrs[j];

				if (writes(in, k.counter, k.comp)) {
					writers++;
					stepped = d == 1 && match_step(sh, in, &k, &step);
				}
				if (closes(in))
					d--;
				else if (opens(in))
					d++;
			}
			if (writers == 1 && stepped && initial_value(sh, bgn, &k, &init)) {
				uint64_t n = trip_count(&k, init, step);
				if (n && n <= cap)
					return (uint32_t)n;
			}
		}
		if (closes(&sh->instrs[i]))
			depth--;
		else if (opens(&sh->instrs[i]))
			depth++;
	}
	return 0;
}
