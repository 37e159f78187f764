/* SPDX-License-Identifier: MIT */
/*
 * Vertex and index buffer bindings (SET_VERTEX_BUFFERS, SET_INDEX_BUFFER) and
 * the vertex array object a draw uses.
 *
 * The VAO uses separate attribute format and binding state (GL 4.3 / GLES
 * 3.1; glVertexAttrib*Pointer on older hosts): vertex element i is attribute location i (the
 * emitter's vs_in<i>) and reads through binding point i, whose buffer offset is the vertex buffer's
 * offset plus the element's src_offset. One binding per element keeps Gallium's
 * per-element instance divisors and has no relative-offset limit.
 *
 * GL itself reads the vertex data; nothing here touches guest buffer contents
 * on the CPU. Index ranges are checked by draw.c.
 */
#include <epoxy/gl.h>
#include <errno.h>

#include "draw_internal.h"
#include "resource.h"

int vrend_buf_ref_get(struct vrend_ctx *ctx, uint32_t handle, struct vrend_buf_ref *out)
{
	struct vgn_resource *res;
	struct vrend_resource *vr;

	*out = (struct vrend_buf_ref){0};
	if (vrend_ctx_get_resource(ctx, handle, &res, &vr))
		return -EINVAL;
	if (!vr || !vr->is_buffer) {
		vgn_resource_put(res);
		return -EINVAL;
	}
	out->res = res;
	out->vr = vr;
	out->size = res->create.width;
	return 0;
}

void vrend_buf_ref_put(struct vrend_buf_ref *ref)
{
	if (ref->res)
		vgn_resource_put(ref->res);
	*ref = (struct vrend_buf_ref){0};
}

bool vrend_buf_range_ok(const struct vrend_buf_ref *ref, uint64_t offset, uint64_t len)
{
	return ref->res && offset <= ref->size && len <= ref->size - offset;
}

/* p[1+3i] stride, p[2+3i] offset, p[3+3i] resource; slots >= n are unbound.
 * All new references are taken before any old one is dropped, so a bad
 * handle leaves the previous bindings intact. */
VREND_HANDLER(vrend_cmd_set_vertex_buffers)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	struct vrend_vertex_buffer nb[VREND_MAX_VERTEX_BUFFERS] = {0};
	uint32_t n = cmd->len / 3;
	struct vrend_draw *d;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	d = sub->draw;
	if (cmd->len % 3 || n > VREND_MAX_VERTEX_BUFFERS)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "bad vertex buffer count");
	for (uint32_t i = 0; i < n; i++) {
		uint32_t handle = vrend_cmd_get(cmd, 3 + 3 * i);

		nb[i].stride = vrend_cmd_get(cmd, 1 + 3 * i);
		nb[i].offset = vrend_cmd_get(cmd, 2 + 3 * i);
		if (handle && vrend_buf_ref_get(vrend_ctx_of(dec), handle, &nb[i].buf)) {
			for (uint32_t j = 0; j < i; j++)
				vrend_buf_ref_put(&nb[j].buf);
			return vrend_decoder_fail(
			    dec, cmd, -EINVAL,
			    "vertex buffer %u: resource %u is not a buffer of "
			    "this context",
			    i, handle);
		}
	}
	for (uint32_t i = 0; i < VREND_MAX_VERTEX_BUFFERS; i++) {
		vrend_buf_ref_put(&d->vbufs[i].buf);
		d->vbufs[i] = nb[i];
	}
	d->num_vbufs = n;
	return 0;
}

/* len 1: p1 must be 0 (unbind); len 3: resource, index size, offset. */
VREND_HANDLER(vrend_cmd_set_index_buffer)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1);
	uint32_t isize = cmd->len >= 3 ? vrend_cmd_get(cmd, 2) : 0;
	uint32_t offset = cmd->len >= 3 ? vrend_cmd_get(cmd, 3) : 0;
	struct vrend_buf_ref ref = {0};
	struct vrend_draw *d;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	d = sub->draw;
	if (handle) {
		if (cmd->len < 3)
			return vrend_decoder_fail(dec, cmd, -EINVAL, "index buffer without size");
		if (isize != 1 && isize != 2 && isize != 4)
			return vrend_decoder_fail(dec, cmd, -EINVAL, "index size %u", isize);
		if (vrend_buf_ref_get(vrend_ctx_of(dec), handle, &ref))
			return vrend_decoder_fail(
			    dec, cmd, -EINVAL,
			    "index buffer: resource %u is not a buffer of this "
			    "context",
			    handle);
	}
	vrend_buf_ref_put(&d->ib);
	d->ib = ref;
	d->ib_size = handle ? isize : 0;
	d->ib_offset = handle ? offset : 0;
	return 0;
}

static void vertex_limits(struct vrend_sub *sub)
{
	struct vrend_draw *d = sub->draw;
	GLint attribs = 16, bindings = 16, stride = 2048;

	d->attrib_binding = vrend_draw_gl_ge(sub, 43, 31) ||
	                    vrend_draw_gl_has_ext(sub, "GL_ARB_vertex_attrib_binding");
	glGetIntegerv(GL_MAX_VERTEX_ATTRIBS, &attribs);
	if (d->attrib_binding)
		glGetIntegerv(GL_MAX_VERTEX_ATTRIB_BINDINGS, &bindings);
	if (vrend_draw_gl_ge(sub, 44, 31))
		glGetIntegerv(GL_MAX_VERTEX_ATTRIB_STRIDE, &stride);
	if (bindings < attribs)
		attribs = bindings;
	d->max_attribs = attribs < 0 ? 0 : attribs > 32 ? 32 : (uint32_t)attribs;
	d->max_stride = stride < 0 ? 0 : (uint32_t)stride;
}

/* An attribute without a buffer reads a constant (0, 0, 0, 1). */
static void attrib_constant(uint32_t i, const struct vrend_vertex_element *e)
{
	if (e->pure_integer)
		glVertexAttribI4i(i, 0, 0, 0, 1);
	else
		glVertexAttrib4f(i, 0.0f, 0.0f, 0.0f, 1.0f);
}

/* GL 4.3 / GLES 3.1: format, binding and buffer separately. */
static void attrib_binding(uint32_t i, const struct vrend_vertex_element *e,
                           const struct vrend_vertex_buffer *vb)
{
	if (e->is_double)
		glVertexAttribLFormat(i, (GLint)e->size, e->gl_type, 0);
	else if (e->pure_integer)
		glVertexAttribIFormat(i, (GLint)e->size, e->gl_type, 0);
	else
		glVertexAttribFormat(i, (GLint)e->size, e->gl_type, e->normalized, 0);
	glVertexAttribBinding(i, i);
	glBindVertexBuffer(i, vb->buf.vr->gl_name, (GLintptr)((uint64_t)vb->offset + e->src_offset),
	                   (GLsizei)vb->stride);
	glVertexBindingDivisor(i, e->instance_divisor);
}

/* Older hosts: glVertexAttrib*Pointer. Its stride 0 means "tightly packed",
 * so Gallium's stride 0 (every vertex reads the same element) becomes a
 * divisor no draw reaches. */
static void attrib_pointer(uint32_t i, const struct vrend_vertex_element *e,
                           const struct vrend_vertex_buffer *vb)
{
	const void *ptr = (const void *)(uintptr_t)((uint64_t)vb->offset + e->src_offset);
	GLsizei stride = (GLsizei)(vb->stride ? vb->stride : 1);

	glBindBuffer(GL_ARRAY_BUFFER, vb->buf.vr->gl_name);
	if (e->is_double)
		glVertexAttribLPointer(i, (GLint)e->size, e->gl_type, stride, ptr);
	else if (e->pure_integer)
		glVertexAttribIPointer(i, (GLint)e->size, e->gl_type, stride, ptr);
	else
		glVertexAttribPointer(i, (GLint)e->size, e->gl_type, e->normalized, stride, ptr);
	glVertexAttribDivisor(i, vb->stride ? e->instance_divisor : 0xffffffffu);
	glBindBuffer(GL_ARRAY_BUFFER, 0);
}

int vrend_vertex_setup(struct vrend_sub *sub, const char **why)
{
	struct vrend_draw *d = sub->draw;
	const struct vrend_vertex_element *ve;
	uint32_t n, mask = 0;

	if (!d->vao) {
		glGenVertexArrays(1, &d->vao);
		vertex_limits(sub);
		d->enabled_mask = 0;
	}
	glBindVertexArray(d->vao);
	ve = vrend_state_vertex_elements(sub, &n);
	if (n > d->max_attribs) {
		*why = "more vertex elements than the host has attributes";
		return -EINVAL;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct vrend_vertex_element *e = &ve[i];
		const struct vrend_vertex_buffer *vb;

		if (e->vb_index >= VREND_MAX_VERTEX_BUFFERS) {
			*why = "vertex element buffer index >= 32";
			return -EINVAL;
		}
		vb = &d->vbufs[e->vb_index];
		if (!vb->buf.res) {
			attrib_constant(i, e);
			continue;
		}
		if (vb->stride > d->max_stride) {
			*why = "vertex buffer stride above the host limit";
			return -EINVAL;
		}
		if (d->attrib_binding)
			attrib_binding(i, e, vb);
		else
			attrib_pointer(i, e, vb);
		mask |= 1u << i;
	}
	for (uint32_t i = 0; i < 32; i++) {
		uint32_t bit = 1u << i;

		if ((mask & bit) && !(d->enabled_mask & bit))
			glEnableVertexAttribArray(i);
		else if (!(mask & bit) && (d->enabled_mask & bit))
			glDisableVertexAttribArray(i);
	}
	d->enabled_mask = mask;
	return 0;
}

void vrend_vertex_fini(struct vrend_sub *sub)
{
	struct vrend_draw *d = sub->draw;

	for (uint32_t i = 0; i < VREND_MAX_VERTEX_BUFFERS; i++)
		vrend_buf_ref_put(&d->vbufs[i].buf);
	vrend_buf_ref_put(&d->ib);
	if (d->vao)
		glDeleteVertexArrays(1, &d->vao);
	d->vao = 0;
}
