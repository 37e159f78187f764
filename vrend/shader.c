/* SPDX-License-Identifier: MIT */
/*
 * Shader objects (virgl-protocol.md 5.2): TGSI text, possibly split over
 * several CREATE_OBJECT(SHADER) packets and command buffers, accumulated per
 * (sub-context, stage), parsed into IR when complete; BIND_SHADER.
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "renderer.h"
#include "shader.h"
#include "shader_internal.h"

#define SHADER_HDR 5u /* handle, stage, offlen, num_tokens, nso / shared memory */
#define SHADER_SO_HDR 4u

/* Wire stage -> TGSI processor. */
static const uint8_t wire_to_proc[VREND_STAGE_COUNT] = {
    [VREND_STAGE_VERTEX] = TGSI_PROC_VERTEX,       [VREND_STAGE_FRAGMENT] = TGSI_PROC_FRAGMENT,
    [VREND_STAGE_GEOMETRY] = TGSI_PROC_GEOMETRY,   [VREND_STAGE_TESS_CTRL] = TGSI_PROC_TESS_CTRL,
    [VREND_STAGE_TESS_EVAL] = TGSI_PROC_TESS_EVAL, [VREND_STAGE_COMPUTE] = TGSI_PROC_COMPUTE,
};

static void shader_destroy(struct vrend_sub *sub, struct vrend_object *obj)
{
	struct vrend_shader *s = (struct vrend_shader *)obj;

	if (sub->shaders)
		vrend_programs_forget_shader(sub, s->serial);
	tgsi_shader_destroy(s->ir);
	free(s);
}

/* Decodes the stream-output block of a first packet; returns the dword index
 * where the text starts, or 0 on a bad entry. */
static uint32_t decode_first_header(struct vrend_cmd *cmd, uint32_t stage,
                                    struct vrend_shader_pending *p, const char **why)
{
	uint32_t nso = vrend_cmd_get(cmd, 5);

	memset(p, 0, sizeof(*p));
	if (stage == VREND_STAGE_COMPUTE) {
		if (nso > VREND_SHADER_MAX_SHARED_MEM) {
			*why = "compute shared memory too large";
			return 0;
		}
		p->shared_mem = nso;
		return SHADER_HDR + 1;
	}
	if (nso == 0)
		return SHADER_HDR + 1;
	/* decode_table.c checked nso <= 64 and the block's length. */
	if (nso > VREND_SHADER_MAX_SO) {
		*why = "too many stream outputs";
		return 0;
	}
	for (uint32_t b = 0; b < 4; b++)
		p->so_stride[b] = vrend_cmd_get(cmd, 6 + b);
	for (uint32_t j = 0; j < nso; j++) {
		struct glsl_so_output *so = &p->so[j];

		glsl_so_output_decode(vrend_cmd_get(cmd, 10 + 2 * j),
		                      vrend_cmd_get(cmd, 11 + 2 * j), so);
		if (so->num_components < 1 || so->start_component + so->num_components > 4 ||
		    so->output_buffer >= 4 || so->stream >= 4) {
			*why = "bad stream-output entry";
			return 0;
		}
		if (p->so_stride[so->output_buffer] > 1024 ||
		    so->dst_offset + (uint32_t)so->num_components > 1024) {
			*why = "stream-output offset or stride too large";
			return 0;
		}
	}
	p->num_so = nso;
	return SHADER_HDR + SHADER_SO_HDR + 2 * nso + 1;
}

static bool writes_clipdist(const struct tgsi_shader *ir)
{
	for (uint32_t i = 0; i < ir->num_decls; i++) {
		const struct tgsi_decl *d = &ir->decls[i];

		if (d->file == TGSI_FILE_OUTPUT && d->has_semantic &&
		    d->semantic == TGSI_SEMANTIC_CLIPDIST)
			return true;
	}
	return false;
}

/* The text is complete: parse it and publish the object. */
static int finish_shader(struct vrend_decoder *dec, struct vrend_cmd *cmd, struct vrend_sub *sub,
                         uint32_t handle, uint32_t stage)
{
	struct vrend_shaders *ss = sub->shaders;
	struct vrend_shader_pending *p = &ss->pending[stage];
	struct tgsi_limits limits;
	struct vrend_shader *s;
	uint32_t len = 0, v = 0;
	char err[192] = "";
	char *text = tgsi_text_accum_take(&ss->accum[stage], &len);
	int ret;

	if (!text)
		return vrend_decoder_fail(dec, cmd, -ENOMEM, "shader text lost");
	s = calloc(1, sizeof(*s));
	if (!s) {
		free(text);
		return vrend_decoder_fail(dec, cmd, -ENOMEM, "out of memory");
	}
	tgsi_limits_default(&limits);
	limits.max_text_len = ss->max_text;
	ret = tgsi_parse_text(text, len, &limits, &s->ir, err, sizeof(err));
	free(text);
	if (ret) {
		free(s);
		return vrend_decoder_fail(dec, cmd, ret == -ENOMEM ? -ENOMEM : -EINVAL,
		                          "shader %u: bad TGSI: %s", handle, err);
	}
	if (s->ir->processor != wire_to_proc[stage]) {
		uint8_t proc = s->ir->processor;

		tgsi_shader_destroy(s->ir);
		free(s);
		return vrend_decoder_fail(dec, cmd, -EINVAL, "shader %u: TGSI %s for stage %u",
		                          handle, tgsi_processor_names[proc], stage);
	}
	for (uint32_t j = 0; j < p->num_so; j++) {
		if (p->so[j].register_index >= s->ir->file_size[TGSI_FILE_OUTPUT]) {
			tgsi_shader_destroy(s->ir);
			free(s);
			return vrend_decoder_fail(
			    dec, cmd, -EINVAL, "shader %u: stream output of OUT[%u] not declared",
			    handle, p->so[j].register_index);
		}
	}
	s->base.refs = 1;
	s->base.type = VREND_OBJ_SHADER;
	s->base.handle = handle;
	s->base.destroy = shader_destroy;
	s->stage = stage;
	s->serial = ++ss->next_serial;
	memcpy(s->so, p->so, sizeof(s->so));
	s->num_so = p->num_so;
	memcpy(s->so_stride, p->so_stride, sizeof(s->so_stride));
	s->shared_mem = p->shared_mem;
	s->fs_writes_all_cbufs =
	    tgsi_shader_property(s->ir, TGSI_PROPERTY_FS_COLOR0_WRITES_ALL_CBUFS, &v) && v;
	s->has_clipdist = writes_clipdist(s->ir);
	memset(p, 0, sizeof(*p));
	if (vrend_obj_insert(sub, &s->base)) {
		shader_destroy(sub, &s->base);
		return vrend_decoder_fail(dec, cmd, -EINVAL, "shader handle %u in use", handle);
	}
	return 0;
}

VREND_HANDLER(vrend_create_shader)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1);
	uint32_t stage = vrend_cmd_get(cmd, 2);
	uint32_t offlen = vrend_cmd_get(cmd, 3);
	struct vrend_shaders *ss;
	const char *why = "bad shader header";
	uint32_t first;
	const uint32_t *text;
	int ret;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	ss = sub->shaders;
	if (stage >= VREND_STAGE_COUNT)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "shader stage %u", stage);
	if (offlen & TGSI_OFFLEN_CONT) {
		first = SHADER_HDR + 1;
	} else {
		if (vrend_obj_lookup(sub, handle, VREND_OBJ_SHADER))
			return vrend_decoder_fail(dec, cmd, -EINVAL, "shader handle %u in use",
			                          handle);
		first = decode_first_header(cmd, stage, &ss->pending[stage], &why);
		if (!first)
			return vrend_decoder_fail(dec, cmd, -EINVAL, "shader %u: %s", handle, why);
	}
	if (first > cmd->len + 1)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "shader %u: header truncated", handle);
	text = vrend_cmd_span(cmd, first, cmd->len + 1 - first);
	if (!text)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "shader %u: truncated", handle);
	ret = tgsi_text_accumulate(&ss->accum[stage], ss->max_text, handle, stage, offlen, text,
	                           (size_t)(cmd->len + 1 - first) * 4);
	if (ret < 0) {
		memset(&ss->pending[stage], 0, sizeof(ss->pending[stage]));
		if (ret == -E2BIG)
			return vrend_decoder_fail(dec, cmd, -EINVAL,
			                          "shader %u: text of %u bytes over the %u limit",
			                          handle, offlen, VREND_SHADER_MAX_TEXT);
		if (ret == -ENOMEM)
			return vrend_decoder_fail(dec, cmd, -ENOMEM, "out of memory");
		return vrend_decoder_fail(dec, cmd, -EINVAL,
		                          "shader %u: bad offlen 0x%x or continuation", handle,
		                          offlen);
	}
	if (ret == 0)
		return 0; /* more packets follow */
	return finish_shader(dec, cmd, sub, handle, stage);
}

VREND_HANDLER(vrend_cmd_bind_shader)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1);
	uint32_t stage = vrend_cmd_get(cmd, 2);
	struct vrend_shader *s = NULL;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (stage >= VREND_STAGE_COUNT)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "shader stage %u", stage);
	if (handle) {
		s = (struct vrend_shader *)vrend_obj_lookup(sub, handle, VREND_OBJ_SHADER);
		if (!s)
			return vrend_decoder_fail(dec, cmd, -EINVAL, "no shader %u", handle);
		if (s->stage != stage)
			return vrend_decoder_fail(dec, cmd, -EINVAL,
			                          "shader %u is of stage %u, bound as %u", handle,
			                          s->stage, stage);
	}
	vrend_obj_assign(sub, &sub->shaders->bound[stage], s ? &s->base : NULL);
	return 0;
}

/* A hint (the handles of a separable pipeline); programs are linked at draw time. */
VREND_HANDLER(vrend_cmd_link_shader)
{
	(void)dec;
	(void)cmd;
	return 0;
}

int vrend_shaders_init(struct vrend_sub *sub)
{
	sub->shaders = calloc(1, sizeof(*sub->shaders));
	if (!sub->shaders)
		return -ENOMEM;
	sub->shaders->max_text = sub->ctx && sub->ctx->core
	                             ? sub->ctx->core->renderer->max_shader_bytes
	                             : VREND_SHADER_MAX_TEXT;
	return 0;
}

/* Runs after the object table is gone; bindings may still hold shaders. */
void vrend_shaders_fini(struct vrend_sub *sub)
{
	struct vrend_shaders *ss = sub->shaders;

	if (!ss)
		return;
	for (uint32_t i = 0; i < VREND_STAGE_COUNT; i++) {
		vrend_obj_assign(sub, &ss->bound[i], NULL);
		tgsi_text_accum_reset(&ss->accum[i]);
	}
	vrend_programs_fini(sub);
	vrend_bindings_fini(sub);
	free(ss);
	sub->shaders = NULL;
}

bool vrend_shader_bound(struct vrend_sub *sub, uint32_t stage)
{
	return sub->shaders && stage < VREND_STAGE_COUNT && sub->shaders->bound[stage];
}

static uint32_t prim_class(uint32_t tgsi_prim)
{
	switch (tgsi_prim) {
	case TGSI_PRIM_POINTS:
		return GL_POINTS;
	case TGSI_PRIM_LINES:
	case TGSI_PRIM_LINE_STRIP:
	case TGSI_PRIM_LINE_LOOP:
		return GL_LINES;
	default:
		return GL_TRIANGLES;
	}
}

uint32_t vrend_shader_output_prim_class(struct vrend_sub *sub)
{
	struct vrend_shader *gs, *tes;
	uint32_t v = 0;

	if (!sub->shaders)
		return 0;
	gs = vrend_shader_bound_at(sub->shaders, VREND_STAGE_GEOMETRY);
	tes = vrend_shader_bound_at(sub->shaders, VREND_STAGE_TESS_EVAL);
	if (gs) {
		if (!tgsi_shader_property(gs->ir, TGSI_PROPERTY_GS_OUTPUT_PRIM, &v))
			v = TGSI_PRIM_TRIANGLE_STRIP;
		return prim_class(v);
	}
	if (tes) {
		if (tgsi_shader_property(tes->ir, TGSI_PROPERTY_TES_POINT_MODE, &v) && v)
			return GL_POINTS;
		if (!tgsi_shader_property(tes->ir, TGSI_PROPERTY_TES_PRIM_MODE, &v))
			v = TGSI_PRIM_TRIANGLES;
		return v == TGSI_PRIM_LINES ? GL_LINES : GL_TRIANGLES;
	}
	return 0;
}
