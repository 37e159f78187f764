/* SPDX-License-Identifier: MIT */
/*
 * Vertex element objects (virgl-protocol.md 4.5): virgl formats to GL vertex
 * attribute formats (glVertexAttrib{,I,L}Format arguments). A format the host
 * cannot fetch is a guest error at creation.
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <stdlib.h>

#include "state_internal.h"

enum ve_kind {
	VE_FLOAT,  /* converted to float, not normalized (FLOAT, SCALED, HALF) */
	VE_NORM,   /* normalized fixed point */
	VE_UINT,   /* pure integer, unsigned */
	VE_SINT,   /* pure integer, signed */
	VE_DOUBLE, /* 64-bit float, converted to float like virglrenderer does:
	            * Mesa sends R64 formats for glVertexAttribPointer(GL_DOUBLE) */
};

/* Host features a format needs. */
enum ve_need {
	NEED_NONE,
	NEED_HALF,
	NEED_DOUBLE,
	NEED_BGRA,
	NEED_PACKED,
	NEED_10F11F11F,
};

struct ve_format {
	uint16_t first; /* virgl format of the 1-component member */
	uint8_t count;  /* run of count formats with 1..count components; 0: single */
	uint8_t size;   /* single formats: components or GL_BGRA marker 5 */
	uint16_t gl_type;
	uint8_t kind, need;
};

#define SIZE_BGRA 5
#define RUN(f, type, k, n)                                                                         \
	{                                                                                          \
		f, 4, 0, type, k, n                                                                \
	}
#define ONE(f, sz, type, k, n)                                                                     \
	{                                                                                          \
		f, 0, sz, type, k, n                                                               \
	}

static const struct ve_format ve_formats[] = {
    RUN(VFMT_R64_FLOAT, GL_DOUBLE, VE_DOUBLE, NEED_DOUBLE),
    RUN(VFMT_R32_FLOAT, GL_FLOAT, VE_FLOAT, NEED_NONE),
    RUN(VFMT_R32_UNORM, GL_UNSIGNED_INT, VE_NORM, NEED_NONE),
    RUN(VFMT_R32_USCALED, GL_UNSIGNED_INT, VE_FLOAT, NEED_NONE),
    RUN(VFMT_R32_SNORM, GL_INT, VE_NORM, NEED_NONE),
    RUN(VFMT_R32_SSCALED, GL_INT, VE_FLOAT, NEED_NONE),
    RUN(VFMT_R16_UNORM, GL_UNSIGNED_SHORT, VE_NORM, NEED_NONE),
    RUN(VFMT_R16_USCALED, GL_UNSIGNED_SHORT, VE_FLOAT, NEED_NONE),
    RUN(VFMT_R16_SNORM, GL_SHORT, VE_NORM, NEED_NONE),
    RUN(VFMT_R16_SSCALED, GL_SHORT, VE_FLOAT, NEED_NONE),
    RUN(VFMT_R8_UNORM, GL_UNSIGNED_BYTE, VE_NORM, NEED_NONE),
    RUN(VFMT_R8_USCALED, GL_UNSIGNED_BYTE, VE_FLOAT, NEED_NONE),
    RUN(VFMT_R8_SNORM, GL_BYTE, VE_NORM, NEED_NONE),
    RUN(VFMT_R8_SSCALED, GL_BYTE, VE_FLOAT, NEED_NONE),
    RUN(VFMT_R16_FLOAT, GL_HALF_FLOAT, VE_FLOAT, NEED_HALF),
    RUN(VFMT_R8_UINT, GL_UNSIGNED_BYTE, VE_UINT, NEED_NONE),
    RUN(VFMT_R8_SINT, GL_BYTE, VE_SINT, NEED_NONE),
    RUN(VFMT_R16_UINT, GL_UNSIGNED_SHORT, VE_UINT, NEED_NONE),
    RUN(VFMT_R16_SINT, GL_SHORT, VE_SINT, NEED_NONE),
    RUN(VFMT_R32_UINT, GL_UNSIGNED_INT, VE_UINT, NEED_NONE),
    RUN(VFMT_R32_SINT, GL_INT, VE_SINT, NEED_NONE),
    ONE(VFMT_B8G8R8A8_UNORM, SIZE_BGRA, GL_UNSIGNED_BYTE, VE_NORM, NEED_BGRA),
    ONE(VFMT_R10G10B10A2_UNORM, 4, GL_UNSIGNED_INT_2_10_10_10_REV, VE_NORM, NEED_PACKED),
    ONE(VFMT_R10G10B10A2_USCALED, 4, GL_UNSIGNED_INT_2_10_10_10_REV, VE_FLOAT, NEED_PACKED),
    ONE(VFMT_R10G10B10A2_SNORM, 4, GL_INT_2_10_10_10_REV, VE_NORM, NEED_PACKED),
    ONE(VFMT_R10G10B10A2_SSCALED, 4, GL_INT_2_10_10_10_REV, VE_FLOAT, NEED_PACKED),
    /* GL accepts GL_BGRA only normalized. */
    ONE(VFMT_B10G10R10A2_UNORM, SIZE_BGRA, GL_UNSIGNED_INT_2_10_10_10_REV, VE_NORM, NEED_BGRA),
    ONE(VFMT_B10G10R10A2_SNORM, SIZE_BGRA, GL_INT_2_10_10_10_REV, VE_NORM, NEED_BGRA),
    ONE(VFMT_R11G11B10_FLOAT, 3, GL_UNSIGNED_INT_10F_11F_11F_REV, VE_FLOAT, NEED_10F11F11F),
};

static bool host_has(const struct vrend_state_host *h, uint8_t need)
{
	switch (need) {
	case NEED_HALF:
		return h->vertex_half;
	case NEED_DOUBLE:
		return h->vertex_double;
	case NEED_BGRA:
		return h->vertex_bgra && h->vertex_packed;
	case NEED_PACKED:
		return h->vertex_packed;
	case NEED_10F11F11F:
		return h->vertex_10f_11f_11f;
	default:
		return true;
	}
}

/* Fills the GL side of el from el->vfmt; false when unknown or unsupported. */
static bool translate(const struct vrend_state_host *h, struct vrend_vertex_element *el)
{
	for (size_t i = 0; i < sizeof(ve_formats) / sizeof(ve_formats[0]); i++) {
		const struct ve_format *f = &ve_formats[i];
		uint32_t size;

		if (f->count ? el->vfmt - f->first >= f->count : el->vfmt != f->first)
			continue;
		if (!host_has(h, f->need))
			return false;
		size = f->count ? el->vfmt - f->first + 1 : f->size;
		el->size = size == SIZE_BGRA ? GL_BGRA : size;
		el->gl_type = f->gl_type;
		el->normalized = f->kind == VE_NORM;
		el->pure_integer = f->kind == VE_UINT || f->kind == VE_SINT;
		el->is_double = false; /* no dvec inputs until the caps allow fp64 attribs */
		return true;
	}
	return false;
}

static void ve_free(struct vrend_sub *sub, struct vrend_object *obj)
{
	(void)sub;
	free(obj);
}

VREND_HANDLER(vrend_create_vertex_elements)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	struct vrend_ve_obj *o;
	uint32_t n = (cmd->len - 1) / 4;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if ((cmd->len - 1) % 4 || n > VREND_MAX_VERTEX_ELEMENTS)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "bad vertex element count");
	if (n > sub->state->host.max_vertex_attribs)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "%u vertex elements, host has %u", n,
		                          sub->state->host.max_vertex_attribs);
	o = calloc(1, sizeof(*o));
	if (!o)
		return vrend_decoder_fail(dec, cmd, -ENOMEM, "out of memory");
	o->base = (struct vrend_object){.refs = 1,
	                                .type = VREND_OBJ_VERTEX_ELEMENTS,
	                                .handle = vrend_cmd_get(cmd, 1),
	                                .destroy = ve_free};
	o->count = n;
	for (uint32_t i = 0; i < n; i++) {
		struct vrend_vertex_element *el = &o->el[i];

		el->src_offset = vrend_cmd_get(cmd, 2 + 4 * i);
		el->instance_divisor = vrend_cmd_get(cmd, 3 + 4 * i);
		el->vb_index = vrend_cmd_get(cmd, 4 + 4 * i);
		el->vfmt = vrend_cmd_get(cmd, 5 + 4 * i);
		if (el->vb_index >= VREND_MAX_VERTEX_BUFFERS || !translate(&sub->state->host, el)) {
			uint32_t vb = el->vb_index, fmt = el->vfmt;

			free(o);
			return vrend_decoder_fail(
			    dec, cmd, -EINVAL, "vertex element %u: buffer %u / format %u unusable",
			    i, vb, fmt);
		}
		if (el->pure_integer) {
			bool is_signed = el->gl_type == GL_BYTE || el->gl_type == GL_SHORT ||
			                 el->gl_type == GL_INT;

			if (is_signed)
				o->int_mask |= 1u << i;
			else
				o->uint_mask |= 1u << i;
		}
	}
	if (vrend_obj_insert(sub, &o->base)) {
		uint32_t handle = o->base.handle;

		free(o);
		return vrend_decoder_fail(dec, cmd, -EINVAL,
		                          "object handle %u in use or table full", handle);
	}
	return 0;
}

VREND_HANDLER(vrend_bind_vertex_elements)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1);
	struct vrend_object *obj = NULL;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (handle) {
		obj = vrend_obj_lookup(sub, handle, VREND_OBJ_VERTEX_ELEMENTS);
		if (!obj)
			return vrend_decoder_fail(dec, cmd, -EINVAL, "no vertex elements %u",
			                          handle);
	}
	vrend_obj_assign(sub, &sub->state->ve, obj);
	return 0;
}

const struct vrend_vertex_element *vrend_state_vertex_elements(struct vrend_sub *sub,
                                                               uint32_t *count)
{
	const struct vrend_ve_obj *o =
	    sub->state ? (const struct vrend_ve_obj *)sub->state->ve : NULL;

	*count = o ? o->count : 0;
	return o ? o->el : NULL;
}
