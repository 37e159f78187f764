/* SPDX-License-Identifier: MIT */
/*
 * DRAW_VBO (virgl-protocol.md §3.4): decode and validate, then program,
 * framebuffer, state and vertex setup, and the GL draw call. Also the draw
 * area's lifecycle and the barrier commands.
 *
 * Every range GL reads from a guest-chosen place that we can know up front is
 * checked against the buffer size with 64-bit math: the index range of direct
 * indexed draws, the indirect command records and the draw-count word. Vertex
 * fetches (and index fetches of indirect draws) are bounded by GL itself.
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "draw_internal.h"
#include "gl_info.h"

enum draw_restart { RESTART_OFF, RESTART_FIXED, RESTART_INDEX };

#define PRIM_PATCHES 14u
#define PRIM_COUNT 15u

/* Gallium primitive -> GL, and what the host needs to draw it natively.
 * Quads, quad strips and polygons do not exist on core/GLES hosts: the
 * client converts them when caps.prim_mask lacks them. */
enum prim_need { NEED_NONE, NEED_COMPAT, NEED_ADJACENCY, NEED_TESS };

static const struct {
	uint32_t gl;
	uint8_t need; /* enum prim_need */
} prims[PRIM_COUNT] = {
    {GL_POINTS, NEED_NONE},
    {GL_LINES, NEED_NONE},
    {GL_LINE_LOOP, NEED_NONE},
    {GL_LINE_STRIP, NEED_NONE},
    {GL_TRIANGLES, NEED_NONE},
    {GL_TRIANGLE_STRIP, NEED_NONE},
    {GL_TRIANGLE_FAN, NEED_NONE},
    {0x0007 /* GL_QUADS */, NEED_COMPAT},
    {0x0008 /* GL_QUAD_STRIP */, NEED_COMPAT},
    {0x0009 /* GL_POLYGON */, NEED_COMPAT},
    {GL_LINES_ADJACENCY, NEED_ADJACENCY},
    {GL_LINE_STRIP_ADJACENCY, NEED_ADJACENCY},
    {GL_TRIANGLES_ADJACENCY, NEED_ADJACENCY},
    {GL_TRIANGLE_STRIP_ADJACENCY, NEED_ADJACENCY},
    {GL_PATCHES, NEED_TESS},
};

/* The fields of one DRAW_VBO. */
struct draw_info {
	uint32_t start, count, mode, instance_count, start_instance;
	int32_t index_bias;
	bool indexed, primitive_restart;
	uint32_t restart_index, count_from_so, vertices_per_patch, drawid;
	uint32_t ind_handle, ind_offset, ind_stride, ind_draw_count, ind_count_offset,
	    ind_count_handle;
};

static void decode_info(struct vrend_cmd *cmd, struct draw_info *in)
{
	*in = (struct draw_info){
	    .start = vrend_cmd_get(cmd, 1),
	    .count = vrend_cmd_get(cmd, 2),
	    .mode = vrend_cmd_get(cmd, 3),
	    .indexed = vrend_cmd_get(cmd, 4) != 0,
	    .instance_count = vrend_cmd_get(cmd, 5),
	    .index_bias = (int32_t)vrend_cmd_get(cmd, 6),
	    .start_instance = vrend_cmd_get(cmd, 7),
	    .primitive_restart = vrend_cmd_get(cmd, 8) != 0,
	    .restart_index = vrend_cmd_get(cmd, 9),
	    /* p10/p11 min/max index are hints only. */
	    .count_from_so = vrend_cmd_get(cmd, 12),
	};
	if (cmd->len >= 14) {
		in->vertices_per_patch = vrend_cmd_get(cmd, 13);
		in->drawid = vrend_cmd_get(cmd, 14);
	}
	if (cmd->len >= 20) {
		in->ind_handle = vrend_cmd_get(cmd, 15);
		in->ind_offset = vrend_cmd_get(cmd, 16);
		in->ind_stride = vrend_cmd_get(cmd, 17);
		in->ind_draw_count = vrend_cmd_get(cmd, 18);
		in->ind_count_offset = vrend_cmd_get(cmd, 19);
		in->ind_count_handle = vrend_cmd_get(cmd, 20);
	}
	/* Gallium always sends >= 1; virglrenderer draws 0 as one instance. */
	if (in->instance_count == 0)
		in->instance_count = 1;
}

bool vrend_draw_gl_ge(struct vrend_sub *sub, uint32_t gl, uint32_t gles)
{
	const struct vrend_gl_info *info = vrend_ctx_gl_info(sub->ctx);
	int v;

	if (info)
		return vrend_gl_version_ge(info, gl, gles);
	v = epoxy_gl_version();
	return epoxy_is_desktop_gl() ? gl && (uint32_t)v >= gl : gles && (uint32_t)v >= gles;
}

bool vrend_draw_gl_has_ext(struct vrend_sub *sub, const char *ext)
{
	const struct vrend_gl_info *info = vrend_ctx_gl_info(sub->ctx);

	return info ? vrend_gl_has_ext(info, ext) : epoxy_has_gl_extension(ext);
}

bool vrend_sub_gles(struct vrend_sub *sub)
{
	const struct vrend_gl_info *info = vrend_ctx_gl_info(sub->ctx);

	return info ? info->gles : !epoxy_is_desktop_gl();
}

void vrend_draw_warn(struct vrend_sub *sub, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vrend_log(vrend_ctx_logger(sub->ctx), VGN_LOG_WARN, "vrend ctx %u: %s", sub->ctx->ctx_id,
	          msg);
}

static bool prim_supported(struct vrend_sub *sub, uint32_t mode)
{
	switch (prims[mode].need) {
	case NEED_NONE:
		return true;
	case NEED_COMPAT: {
		const struct vrend_gl_info *info = vrend_ctx_gl_info(sub->ctx);

		return info && !info->gles && !info->core_profile;
	}
	case NEED_ADJACENCY:
		return vrend_draw_gl_ge(sub, 32, 32) ||
		       vrend_draw_gl_has_ext(sub, "GL_EXT_geometry_shader");
	default:
		return vrend_draw_gl_ge(sub, 40, 32);
	}
}

/* The resources an indirect draw reads, referenced for the draw. */
struct indirect_refs {
	struct vrend_buf_ref cmd, count;
};

static void indirect_put(struct indirect_refs *r)
{
	vrend_buf_ref_put(&r->cmd);
	vrend_buf_ref_put(&r->count);
}

/* Validates an indirect draw: the command records [offset, offset +
 * (n - 1) * stride + record) and the draw-count dword lie inside their
 * buffers. */
static int check_indirect(struct vrend_sub *sub, struct vrend_decoder *dec,
                          const struct draw_info *in, struct indirect_refs *r, const char **why)
{
	uint64_t rec = in->indexed ? 20 : 16;
	uint64_t stride = in->ind_stride ? in->ind_stride : rec;

	if (!vrend_draw_gl_ge(sub, 40, 31) && !vrend_draw_gl_has_ext(sub, "GL_ARB_draw_indirect"))
		return *why = "indirect draws are not supported", -EINVAL;
	if (in->ind_offset % 4 || in->ind_stride % 4)
		return *why = "indirect offset/stride not a multiple of 4", -EINVAL;
	if (in->ind_draw_count > INT32_MAX)
		return *why = "indirect draw count too large", -EINVAL;
	if (vrend_buf_ref_get(vrend_ctx_of(dec), in->ind_handle, &r->cmd))
		return *why = "indirect resource is not a buffer of this context", -EINVAL;
	if (in->ind_draw_count &&
	    !vrend_buf_range_ok(&r->cmd, in->ind_offset, (in->ind_draw_count - 1) * stride + rec))
		return *why = "indirect records past the end of the buffer", -EINVAL;
	if (in->ind_count_handle) {
		if (!vrend_draw_gl_ge(sub, 46, 0) &&
		    !vrend_draw_gl_has_ext(sub, "GL_ARB_indirect_parameters"))
			return *why = "indirect draw counts are not supported", -EINVAL;
		if (in->ind_count_offset % 4)
			return *why = "draw-count offset not a multiple of 4", -EINVAL;
		if (vrend_buf_ref_get(vrend_ctx_of(dec), in->ind_count_handle, &r->count))
			return *why = "draw-count resource is not a buffer of this context",
			       -EINVAL;
		if (!vrend_buf_range_ok(&r->count, in->ind_count_offset, 4))
			return *why = "draw count past the end of its buffer", -EINVAL;
	}
	return 0;
}

static int check_info(struct vrend_sub *sub, const struct draw_info *in, const char **why)
{
	struct vrend_draw *d = sub->draw;

	if (in->mode >= PRIM_COUNT)
		return *why = "primitive mode out of range", -EINVAL;
	if (!prim_supported(sub, in->mode))
		return *why = "primitive mode not supported by the host (caps prim_mask)", -EINVAL;
	if (in->count > INT32_MAX || in->start > INT32_MAX || in->instance_count > INT32_MAX ||
	    in->count_from_so > INT32_MAX)
		return *why = "count, start or instance count above INT32_MAX", -EINVAL;
	if (in->start_instance && !vrend_draw_gl_ge(sub, 42, 0) &&
	    !vrend_draw_gl_has_ext(sub, "GL_ARB_base_instance") &&
	    !vrend_draw_gl_has_ext(sub, "GL_EXT_base_instance"))
		return *why = "base instance is not supported", -EINVAL;
	if (in->mode == PRIM_PATCHES &&
	    (in->vertices_per_patch == 0 || in->vertices_per_patch > 32))
		return *why = "patch vertex count must be 1..32", -EINVAL;
	if (in->indexed) {
		if (!d->ib.res)
			return *why = "indexed draw without an index buffer", -EINVAL;
		/* The start is already folded into the index buffer offset (§3.4). */
		if (!in->ind_handle &&
		    !vrend_buf_range_ok(&d->ib, d->ib_offset, (uint64_t)in->count * d->ib_size))
			return *why = "index range past the end of the index buffer", -EINVAL;
	}
	return 0;
}

static void set_restart(struct vrend_sub *sub, const struct draw_info *in)
{
	struct vrend_draw *d = sub->draw;
	uint8_t mode = RESTART_OFF;

	if (in->indexed && in->primitive_restart) {
		uint32_t fixed = d->ib_size == 4 ? 0xffffffffu : (1u << (8 * d->ib_size)) - 1;

		mode = in->restart_index == fixed || vrend_sub_gles(sub) ? RESTART_FIXED
		                                                         : RESTART_INDEX;
	}
	if (mode == d->restart_mode &&
	    (mode != RESTART_INDEX || d->restart_index == in->restart_index))
		return;
	if (d->restart_mode == RESTART_FIXED && mode != RESTART_FIXED)
		glDisable(GL_PRIMITIVE_RESTART_FIXED_INDEX);
	if (d->restart_mode == RESTART_INDEX && mode != RESTART_INDEX)
		glDisable(GL_PRIMITIVE_RESTART);
	if (mode == RESTART_FIXED && d->restart_mode != RESTART_FIXED)
		glEnable(GL_PRIMITIVE_RESTART_FIXED_INDEX);
	if (mode == RESTART_INDEX) {
		if (d->restart_mode != RESTART_INDEX)
			glEnable(GL_PRIMITIVE_RESTART);
		glPrimitiveRestartIndex(in->restart_index);
		d->restart_index = in->restart_index;
	}
	d->restart_mode = mode;
}

static GLenum index_type(uint32_t size)
{
	return size == 1 ? GL_UNSIGNED_BYTE : size == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT;
}

static bool has_multi_draw_indirect(struct vrend_sub *sub)
{
	return vrend_draw_gl_ge(sub, 43, 0) ||
	       vrend_draw_gl_has_ext(sub, "GL_ARB_multi_draw_indirect") ||
	       vrend_draw_gl_has_ext(sub, "GL_EXT_multi_draw_indirect");
}

/* glDrawTransformFeedback(Instanced): desktop GL 4.0 (4.2) only. */
static bool has_draw_auto(struct vrend_sub *sub, uint32_t instances)
{
	if (!vrend_draw_gl_ge(sub, 40, 0) &&
	    !vrend_draw_gl_has_ext(sub, "GL_ARB_transform_feedback2"))
		return false;
	return instances <= 1 || vrend_draw_gl_ge(sub, 42, 0) ||
	       vrend_draw_gl_has_ext(sub, "GL_ARB_transform_feedback_instanced");
}

static void draw_indirect(struct vrend_sub *sub, const struct draw_info *in, GLenum mode,
                          const struct indirect_refs *r)
{
	struct vrend_draw *d = sub->draw;
	GLenum type = index_type(d->ib_size);
	GLsizei n = (GLsizei)in->ind_draw_count, stride = (GLsizei)in->ind_stride;
	uintptr_t off = in->ind_offset;

	if (!n)
		return;
	glBindBuffer(GL_DRAW_INDIRECT_BUFFER, r->cmd.vr->gl_name);
	if (r->count.res) {
		glBindBuffer(GL_PARAMETER_BUFFER_ARB, r->count.vr->gl_name);
		if (in->indexed)
			glMultiDrawElementsIndirectCountARB(mode, type, (const void *)off,
			                                    (GLintptr)in->ind_count_offset, n,
			                                    stride);
		else
			glMultiDrawArraysIndirectCountARB(
			    mode, (const void *)off, (GLintptr)in->ind_count_offset, n, stride);
		glBindBuffer(GL_PARAMETER_BUFFER_ARB, 0);
	} else if (n > 1 && has_multi_draw_indirect(sub)) {
		if (in->indexed)
			glMultiDrawElementsIndirect(mode, type, (const void *)off, n, stride);
		else
			glMultiDrawArraysIndirect(mode, (const void *)off, n, stride);
	} else {
		uintptr_t step = stride ? (uintptr_t)stride : in->indexed ? 20 : 16;

		for (GLsizei i = 0; i < n; i++, off += step) {
			if (in->indexed)
				glDrawElementsIndirect(mode, type, (const void *)off);
			else
				glDrawArraysIndirect(mode, (const void *)off);
		}
	}
	glBindBuffer(GL_DRAW_INDIRECT_BUFFER, 0);
}

static void draw_direct(struct vrend_sub *sub, const struct draw_info *in, GLenum mode,
                        uint32_t auto_xfb)
{
	struct vrend_draw *d = sub->draw;
	GLsizei inst = (GLsizei)in->instance_count;

	if (in->indexed) {
		const void *ptr = (const void *)(uintptr_t)d->ib_offset;
		GLenum type = index_type(d->ib_size);

		if (in->start_instance)
			glDrawElementsInstancedBaseVertexBaseInstance(
			    mode, (GLsizei)in->count, type, ptr, inst, in->index_bias,
			    in->start_instance);
		else if (in->index_bias)
			glDrawElementsInstancedBaseVertex(mode, (GLsizei)in->count, type, ptr, inst,
			                                  in->index_bias);
		else
			glDrawElementsInstanced(mode, (GLsizei)in->count, type, ptr, inst);
	} else if (auto_xfb) {
		if (inst > 1)
			glDrawTransformFeedbackInstanced(mode, auto_xfb, inst);
		else
			glDrawTransformFeedback(mode, auto_xfb);
	} else {
		/* Draw-auto without a known source: like virglrenderer, draw
		 * count_from_so (the target's byte size) vertices from 0. */
		GLint first = in->count_from_so ? 0 : (GLint)in->start;
		GLsizei count = (GLsizei)(in->count_from_so ? in->count_from_so : in->count);

		if (in->start_instance)
			glDrawArraysInstancedBaseInstance(mode, first, count, inst,
			                                  in->start_instance);
		else
			glDrawArraysInstanced(mode, first, count, inst);
	}
}

VREND_HANDLER(vrend_cmd_draw_vbo)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	struct vrend_shader_key key = {0};
	struct indirect_refs ind = {0};
	struct draw_info in;
	const char *why = NULL;
	struct vrend_draw *d;
	uint32_t auto_xfb;
	GLenum mode;
	int err;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	d = sub->draw;
	decode_info(cmd, &in);
	err = check_info(sub, &in, &why);
	if (!err && in.ind_handle)
		err = check_indirect(sub, dec, &in, &ind, &why);
	if (err) {
		indirect_put(&ind);
		return vrend_decoder_fail(dec, cmd, err, "%s", why);
	}
	mode = prims[in.mode].gl;

	vrend_state_fill_key(sub, &key);
	vrend_fb_fill_key(sub, &key);
	if (vrend_program_use(sub, &key, false)) {
		if (!d->logged_no_program)
			vrend_draw_warn(sub, "draw skipped: no usable program");
		d->logged_no_program = true;
		goto out;
	}
	if (vrend_fb_bind(sub)) {
		if (!d->logged_no_fb)
			vrend_draw_warn(sub, "draw skipped: framebuffer not usable");
		d->logged_no_fb = true;
		goto out;
	}
	err = vrend_state_emit(sub);
	if (err)
		why = "state emit failed";
	else
		err = vrend_vertex_setup(sub, &why);
	if (err) {
		indirect_put(&ind);
		return vrend_decoder_fail(dec, cmd, err, "%s", why);
	}
	glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, in.indexed ? d->ib.vr->gl_name : 0);
	set_restart(sub, &in);
	if (in.mode == PRIM_PATCHES)
		glPatchParameteri(GL_PATCH_VERTICES, (GLint)in.vertices_per_patch);

	/* Conditional rendering is GL state kept by query.c. */
	/* Before stream output begins: finding the source may rebind objects. */
	auto_xfb = !in.indexed && in.count_from_so && has_draw_auto(sub, in.instance_count)
	               ? vrend_streamout_auto_source(sub, in.count_from_so)
	               : 0;
	err = vrend_streamout_begin_draw(sub, mode);
	if (in.ind_handle)
		draw_indirect(sub, &in, mode, &ind);
	else
		draw_direct(sub, &in, mode, auto_xfb);
	if (!err)
		vrend_streamout_end_draw(sub);
	err = 0;
out:
	indirect_put(&ind);
	return err;
}

/* PIPE_BARRIER_* bit i -> GL barrier bits. */
static const GLbitfield barrier_bits[] = {
    GL_CLIENT_MAPPED_BUFFER_BARRIER_BIT,
    GL_SHADER_STORAGE_BARRIER_BIT | GL_ATOMIC_COUNTER_BARRIER_BIT,
    GL_QUERY_BUFFER_BARRIER_BIT,
    GL_VERTEX_ATTRIB_ARRAY_BARRIER_BIT,
    GL_ELEMENT_ARRAY_BARRIER_BIT,
    GL_UNIFORM_BARRIER_BIT,
    GL_COMMAND_BARRIER_BIT,
    GL_TEXTURE_FETCH_BARRIER_BIT,
    GL_SHADER_IMAGE_ACCESS_BARRIER_BIT,
    GL_FRAMEBUFFER_BARRIER_BIT,
    GL_TRANSFORM_FEEDBACK_BARRIER_BIT,
    GL_SHADER_STORAGE_BARRIER_BIT,
    GL_BUFFER_UPDATE_BARRIER_BIT,
    GL_TEXTURE_UPDATE_BARRIER_BIT | GL_PIXEL_BUFFER_BARRIER_BIT,
};

/* Unknown bits are ignored (newer Gallium barriers have no GL meaning here). */
VREND_HANDLER(vrend_cmd_memory_barrier)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t flags = vrend_cmd_get(cmd, 1);
	GLbitfield gl = 0;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	for (uint32_t i = 0; i < sizeof(barrier_bits) / sizeof(barrier_bits[0]); i++) {
		if (flags & (1u << i))
			gl |= barrier_bits[i];
	}
	if (!vrend_draw_gl_ge(sub, 42, 31) &&
	    !vrend_draw_gl_has_ext(sub, "GL_ARB_shader_image_load_store"))
		return 0;
	/* The 4.4 bits do not exist on older or GLES hosts. */
	if (!vrend_draw_gl_ge(sub, 44, 0))
		gl &= ~(GLbitfield)(GL_CLIENT_MAPPED_BUFFER_BARRIER_BIT |
		                    GL_QUERY_BUFFER_BARRIER_BIT);
	if (gl)
		glMemoryBarrier(gl);
	return 0;
}

VREND_HANDLER(vrend_cmd_texture_barrier)
{
	struct vrend_sub *sub = vrend_sub_current(dec);

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (vrend_draw_gl_ge(sub, 45, 0) || vrend_draw_gl_has_ext(sub, "GL_ARB_texture_barrier"))
		glTextureBarrier();
	else if (vrend_draw_gl_has_ext(sub, "GL_NV_texture_barrier"))
		glTextureBarrierNV();
	/* PIPE_TEXTURE_BARRIER_FRAMEBUFFER: glBlendBarrier for advanced blending */
	if ((vrend_cmd_get(cmd, 1) & 2u) &&
	    (vrend_draw_gl_ge(sub, 0, 32) ||
	     vrend_draw_gl_has_ext(sub, "GL_KHR_blend_equation_advanced")))
		glBlendBarrierKHR();
	return 0;
}

int vrend_draw_init(struct vrend_sub *sub)
{
	sub->draw = calloc(1, sizeof(*sub->draw));
	return sub->draw ? 0 : -ENOMEM;
}

void vrend_draw_fini(struct vrend_sub *sub)
{
	if (!sub->draw)
		return;
	vrend_streamout_fini(sub);
	vrend_vertex_fini(sub);
	if (sub->draw->restart_mode == RESTART_FIXED)
		glDisable(GL_PRIMITIVE_RESTART_FIXED_INDEX);
	else if (sub->draw->restart_mode == RESTART_INDEX)
		glDisable(GL_PRIMITIVE_RESTART);
	free(sub->draw);
	sub->draw = NULL;
}
