/* SPDX-License-Identifier: MIT */
/*
 * Writes the IR back as TGSI text, in the spelling of Mesa's dumper with
 * TGSI_DUMP_FLOAT_AS_HEX (so that parse -> dump reproduces a captured shader
 * byte for byte). Used by tests and debug logs.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "glsl_buf.h"
#include "tgsi_ir.h"

static const char channel_names[4] = {'x', 'y', 'z', 'w'};

static void dump_mask(struct glsl_buf *b, uint8_t mask)
{
	if (mask == TGSI_MASK_XYZW)
		return;
	glsl_buf_append(b, ".");
	for (int c = 0; c < 4; c++) {
		if (mask & (1u << c))
			glsl_buf_append_n(b, &channel_names[c], 1);
	}
}

static void dump_index(struct glsl_buf *b, bool indirect, const struct tgsi_indirect *ind,
                       int32_t value, uint32_t array_id)
{
	if (!indirect) {
		glsl_buf_printf(b, "[%d]", value);
		return;
	}
	glsl_buf_printf(b, "[%s[%u].%c", tgsi_file_names[ind->file], ind->index,
	                channel_names[ind->swizzle & 3]);
	if (value)
		glsl_buf_printf(b, "%s%d", value > 0 ? "+" : "", value);
	glsl_buf_append(b, "]");
	if (array_id)
		glsl_buf_printf(b, "(%u)", array_id);
}

static void dump_reg(struct glsl_buf *b, const struct tgsi_reg *r)
{
	glsl_buf_append(b, tgsi_file_names[r->file]);
	if (r->has_dim)
		dump_index(b, r->dim_indirect, &r->dim_ind, r->dim, r->dim_array_id);
	dump_index(b, r->indirect, &r->ind, r->index, r->array_id);
}

static void dump_decl(struct glsl_buf *b, const struct tgsi_shader *sh, const struct tgsi_decl *d)
{
	glsl_buf_printf(b, "DCL %s", tgsi_file_names[d->file]);
	if (d->per_vertex)
		glsl_buf_append(b, "[]");
	if (d->has_dim)
		glsl_buf_printf(b, "[%u]", d->dim);
	if (d->first == d->last)
		glsl_buf_printf(b, "[%u]", d->first);
	else
		glsl_buf_printf(b, "[%u..%u]", d->first, d->last);
	dump_mask(b, d->usage_mask);
	if (d->array_id)
		glsl_buf_printf(b, ", ARRAY(%u)", d->array_id);
	if (d->local)
		glsl_buf_append(b, ", LOCAL");
	if (d->has_semantic) {
		glsl_buf_printf(b, ", %s", tgsi_semantic_names[d->semantic]);
		if (d->semantic_index || d->semantic == TGSI_SEMANTIC_GENERIC ||
		    d->semantic == TGSI_SEMANTIC_TEXCOORD)
			glsl_buf_printf(b, "[%u]", d->semantic_index);
		if (d->stream[0] || d->stream[1] || d->stream[2] || d->stream[3])
			glsl_buf_printf(b, ", STREAM(%u, %u, %u, %u)", d->stream[0], d->stream[1],
			                d->stream[2], d->stream[3]);
	}
	if (d->file == TGSI_FILE_IMAGE) {
		const char *f = tgsi_shader_format_name(sh, d->format);

		glsl_buf_printf(b, ", %s, %s", tgsi_texture_names[d->target], f ? f : "");
		if (d->writable)
			glsl_buf_append(b, ", WR");
		if (d->raw)
			glsl_buf_append(b, ", RAW");
	}
	if (d->file == TGSI_FILE_BUFFER && d->atomic)
		glsl_buf_append(b, ", ATOMIC");
	if (d->file == TGSI_FILE_MEMORY)
		glsl_buf_printf(b, ", %s", tgsi_memory_type_names[d->mem_type]);
	if (d->file == TGSI_FILE_SAMPLER_VIEW) {
		const uint8_t *rt = d->return_type;

		glsl_buf_printf(b, ", %s, %s", tgsi_texture_names[d->target],
		                tgsi_return_type_names[rt[0]]);
		if (rt[1] != rt[0] || rt[2] != rt[0] || rt[3] != rt[0])
			glsl_buf_printf(b, ", %s, %s, %s", tgsi_return_type_names[rt[1]],
			                tgsi_return_type_names[rt[2]],
			                tgsi_return_type_names[rt[3]]);
	}
	if (d->has_interp)
		glsl_buf_printf(b, ", %s", tgsi_interpolate_names[d->interp]);
	if (d->location != TGSI_LOC_CENTER)
		glsl_buf_printf(b, ", %s", tgsi_location_names[d->location]);
	if (d->invariant)
		glsl_buf_append(b, ", INVARIANT");
	glsl_buf_append(b, "\n");
}

static void dump_imm(struct glsl_buf *b, uint32_t n, const struct tgsi_immediate *imm)
{
	unsigned step = imm->type >= TGSI_IMM_FLOAT64 ? 2 : 1;

	glsl_buf_printf(b, "IMM[%u] %s {", n, tgsi_imm_type_names[imm->type]);
	for (unsigned i = 0; i < imm->num_dwords; i += step) {
		uint64_t v = imm->dw[i];

		if (i)
			glsl_buf_append(b, ", ");
		if (step == 2)
			v |= (uint64_t)imm->dw[i + 1] << 32;
		switch (imm->type) {
		case TGSI_IMM_FLOAT32:
			glsl_buf_printf(b, "0x%08x", imm->dw[i]);
			break;
		case TGSI_IMM_UINT32:
			glsl_buf_printf(b, "%u", imm->dw[i]);
			break;
		case TGSI_IMM_INT32:
			glsl_buf_printf(b, "%d", (int32_t)imm->dw[i]);
			break;
		case TGSI_IMM_FLOAT64: {
			double d;

			memcpy(&d, &v, sizeof(d));
			glsl_buf_printf(b, "%10.8f", d);
			break;
		}
		case TGSI_IMM_UINT64:
			glsl_buf_printf(b, "%" PRIu64, v);
			break;
		default:
			glsl_buf_printf(b, "%" PRId64, (int64_t)v);
			break;
		}
	}
	glsl_buf_append(b, "}\n");
}

static void dump_instr(struct glsl_buf *b, const struct tgsi_shader *sh,
                       const struct tgsi_instr *in, uint32_t n, int *indent)
{
	const struct tgsi_opcode_info *info = &tgsi_opcode_infos[in->opcode];
	bool first = true;

	if (info->flags & (TGSI_OPF_ELSE | TGSI_OPF_ENDIF | TGSI_OPF_ENDLOOP | TGSI_OPF_ENDSUB))
		(*indent)--;
	glsl_buf_printf(b, "%3u: ", n);
	for (int i = 0; i < *indent; i++)
		glsl_buf_append(b, "  ");
	if (info->flags & (TGSI_OPF_IF | TGSI_OPF_ELSE | TGSI_OPF_LOOP | TGSI_OPF_SUB))
		(*indent)++;
	glsl_buf_printf(b, "%s%s%s", info->name, in->saturate ? "_SAT" : "",
	                in->precise ? "_PRECISE" : "");
	for (unsigned i = 0; i < in->num_dst; i++) {
		glsl_buf_append(b, first ? " " : ", ");
		dump_reg(b, &in->dst[i].reg);
		dump_mask(b, in->dst[i].mask);
		first = false;
	}
	for (unsigned i = 0; i < in->num_src; i++) {
		const struct tgsi_src *s = &in->src[i];
		const uint8_t *w = s->swizzle;

		glsl_buf_append(b, first ? " " : ", ");
		glsl_buf_printf(b, "%s%s", s->negate ? "-" : "", s->absolute ? "|" : "");
		dump_reg(b, &s->reg);
		if (w[0] != 0 || w[1] != 1 || w[2] != 2 || w[3] != 3)
			glsl_buf_printf(b, ".%c%c%c%c", channel_names[w[0]], channel_names[w[1]],
			                channel_names[w[2]], channel_names[w[3]]);
		if (s->absolute)
			glsl_buf_append(b, "|");
		first = false;
	}
	if (in->has_target)
		glsl_buf_printf(b, ", %s", tgsi_texture_names[in->target]);
	for (unsigned i = 0; i < in->num_offsets; i++) {
		const struct tgsi_tex_offset *o = &in->offsets[i];

		glsl_buf_printf(b, ", %s[%u].%c%c%c", tgsi_file_names[o->file], o->index,
		                channel_names[o->swizzle[0]], channel_names[o->swizzle[1]],
		                channel_names[o->swizzle[2]]);
	}
	for (unsigned q = 0; q < TGSI_MEM_QUALIFIER_COUNT; q++) {
		if (in->mem_qualifiers & (1u << q))
			glsl_buf_printf(b, ", %s", tgsi_memory_qualifier_names[q]);
	}
	if (in->has_mem_target)
		glsl_buf_printf(b, ", %s", tgsi_texture_names[in->mem_target]);
	if (in->mem_format)
		glsl_buf_printf(b, ", %s", tgsi_shader_format_name(sh, in->mem_format));
	if (in->has_label)
		glsl_buf_printf(b, " :%u", in->label);
	glsl_buf_append(b, "\n");
}

static void dump_prop(struct glsl_buf *b, const struct tgsi_property *p)
{
	glsl_buf_printf(b, "PROPERTY %s", tgsi_property_names[p->id]);
	for (unsigned i = 0; i < p->num_values; i++) {
		uint32_t v = p->values[i];

		glsl_buf_append(b, i ? ", " : " ");
		switch (p->id) {
		case TGSI_PROPERTY_GS_INPUT_PRIM:
		case TGSI_PROPERTY_GS_OUTPUT_PRIM:
			glsl_buf_append(b, tgsi_prim_names[v]);
			break;
		case TGSI_PROPERTY_FS_COORD_ORIGIN:
			glsl_buf_append(b, tgsi_fs_origin_names[v]);
			break;
		case TGSI_PROPERTY_FS_COORD_PIXEL_CENTER:
			glsl_buf_append(b, tgsi_fs_center_names[v]);
			break;
		case TGSI_PROPERTY_NEXT_SHADER:
			glsl_buf_append(b, tgsi_processor_names[v]);
			break;
		default:
			glsl_buf_printf(b, "%d", (int32_t)v);
			break;
		}
	}
	glsl_buf_append(b, "\n");
}

int tgsi_shader_dump(const struct tgsi_shader *sh, char **out_text)
{
	struct glsl_buf b;
	uint32_t imm = 0;
	int indent = 0;
	size_t len;

	*out_text = NULL;
	glsl_buf_init(&b, 0);
	glsl_buf_printf(&b, "%s\n", tgsi_processor_names[sh->processor]);
	for (uint32_t i = 0; i < sh->num_props; i++)
		dump_prop(&b, &sh->props[i]);
	for (uint32_t i = 0; i < sh->num_decls; i++) {
		for (; imm < sh->decls[i].imms_before && imm < sh->num_imms; imm++)
			dump_imm(&b, imm, &sh->imms[imm]);
		dump_decl(&b, sh, &sh->decls[i]);
	}
	for (; imm < sh->num_imms; imm++)
		dump_imm(&b, imm, &sh->imms[imm]);
	for (uint32_t i = 0; i < sh->num_instrs; i++)
		dump_instr(&b, sh, &sh->instrs[i], i, &indent);
	if (glsl_buf_error(&b)) {
		int e = glsl_buf_error(&b);

		glsl_buf_fini(&b);
		return e;
	}
	*out_text = glsl_buf_take(&b, &len);
	if (!*out_text)
		return -ENOMEM;
	return len > INT32_MAX ? -ENOSPC : (int)len;
}
