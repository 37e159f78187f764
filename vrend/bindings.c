/* SPDX-License-Identifier: MIT */
/*
 * Constant, uniform and shader buffers, images, atomic buffers and
 * tessellation levels of a sub-context (virgl-protocol.md 3.3): the SET_*
 * commands store them (holding a resource reference per bound slot); the
 * program binder applies them to GL at draw time with the binding points of
 * the program in use.
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gl_info.h"
#include "resource.h"
#include "shader_internal.h"

static void res_put(struct vgn_resource *res)
{
	if (res)
		vgn_resource_put(res);
}

static void buffer_unbind(struct vrend_buffer_binding *b)
{
	res_put(b->res);
	memset(b, 0, sizeof(*b));
}

static void image_unbind(struct vrend_image_binding *im)
{
	res_put(im->res);
	im->res = NULL;
	if (im->buf_tex)
		glDeleteTextures(1, &im->buf_tex);
	memset(im, 0, sizeof(*im));
}

void vrend_bindings_fini(struct vrend_sub *sub)
{
	struct vrend_shaders *ss = sub->shaders;

	for (uint32_t s = 0; s < VREND_STAGE_COUNT; s++) {
		struct vrend_stage_bindings *st = &ss->stage[s];

		free(st->const0);
		st->const0 = NULL;
		for (uint32_t i = 0; i < VREND_MAX_UBO; i++)
			buffer_unbind(&st->ubo[i]);
		for (uint32_t i = 0; i < VREND_MAX_SSBO; i++)
			buffer_unbind(&st->ssbo[i]);
		for (uint32_t i = 0; i < VREND_MAX_IMAGES; i++)
			image_unbind(&st->image[i]);
	}
	for (uint32_t i = 0; i < VREND_MAX_ATOMIC; i++)
		buffer_unbind(&ss->atomic[i]);
}

/* Size in bytes of a buffer resource. */
static uint64_t buffer_bytes(const struct vgn_resource *res)
{
	return res->blob ? res->size_bytes : res->create.width;
}

/* Binds (offset, size, handle) into b: handle 0 unbinds. The range must lie in
 * a buffer resource. Returns 0 or -EINVAL with *why. */
static int buffer_bind(struct vrend_decoder *dec, struct vrend_buffer_binding *b, uint32_t offset,
                       uint32_t size, uint32_t handle, const char **why)
{
	struct vgn_resource *res = NULL;
	struct vrend_resource *vr = NULL;

	if (handle == 0) {
		buffer_unbind(b);
		return 0;
	}
	if (vrend_ctx_get_resource(vrend_ctx_of(dec), handle, &res, &vr) || !vr) {
		res_put(res);
		*why = "resource not attached";
		return -EINVAL;
	}
	if (!vr->is_buffer || (uint64_t)offset + size > buffer_bytes(res)) {
		res_put(res);
		*why = "not a buffer, or range past its end";
		return -EINVAL;
	}
	buffer_unbind(b);
	b->res = res;
	b->gl_name = vr->gl_name;
	b->offset = offset;
	b->size = size;
	return 0;
}

static int get_stage(struct vrend_decoder *dec, struct vrend_cmd *cmd, uint32_t i,
                     struct vrend_sub **sub, uint32_t *stage)
{
	*stage = 0; /* defined on every path (-O3 cannot see that failures return non-zero) */
	*sub = vrend_sub_current(dec);
	if (!*sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	*stage = vrend_cmd_get(cmd, i);
	if (*stage >= VREND_STAGE_COUNT)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "shader stage %u", *stage);
	return 0;
}

VREND_HANDLER(vrend_cmd_set_constant_buffer)
{
	struct vrend_sub *sub;
	uint32_t stage, index = vrend_cmd_get(cmd, 2), n = cmd->len - 2;
	struct vrend_stage_bindings *st;
	const uint32_t *data;
	int ret = get_stage(dec, cmd, 1, &sub, &stage);

	if (ret)
		return ret;
	st = &sub->shaders->stage[stage];
	if (index >= VREND_MAX_UBO)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "constant buffer %u", index);
	if (n == 0) {
		/* No data: unbind the slot (the default block or a UBO). */
		if (index == 0) {
			st->const0_dwords = 0;
			st->const0_gen++;
		} else {
			buffer_unbind(&st->ubo[index]);
		}
		return 0;
	}
	if (index != 0)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "inline data for constant buffer %u",
		                          index);
	if (n > VREND_CONST0_MAX_DWORDS)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "%u constant dwords over %u", n,
		                          VREND_CONST0_MAX_DWORDS);
	data = vrend_cmd_span(cmd, 3, n);
	if (!data)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "constants truncated");
	if (!st->const0) {
		/* Sized once for the maximum: uniform data changes on nearly every draw. */
		st->const0 = malloc(VREND_CONST0_MAX_DWORDS * sizeof(uint32_t));
		if (!st->const0)
			return vrend_decoder_fail(dec, cmd, -ENOMEM, "out of memory");
	}
	memcpy(st->const0, data, n * sizeof(uint32_t));
	/* Zero-pad to a whole vec4 (the buffer's size is a multiple of 4). */
	for (uint32_t i = n; i % 4; i++)
		st->const0[i] = 0;
	st->const0_dwords = n;
	st->const0_gen++;
	return 0;
}

VREND_HANDLER(vrend_cmd_set_uniform_buffer)
{
	struct vrend_sub *sub;
	uint32_t stage, index = vrend_cmd_get(cmd, 2);
	const char *why = "";
	int ret = get_stage(dec, cmd, 1, &sub, &stage);

	if (ret)
		return ret;
	if (index >= VREND_MAX_UBO)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "uniform buffer %u", index);
	if (buffer_bind(dec, &sub->shaders->stage[stage].ubo[index], vrend_cmd_get(cmd, 3),
	                vrend_cmd_get(cmd, 4), vrend_cmd_get(cmd, 5), &why))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "uniform buffer %u: %s", index, why);
	return 0;
}

VREND_HANDLER(vrend_cmd_set_shader_buffers)
{
	struct vrend_sub *sub;
	uint32_t stage, start = vrend_cmd_get(cmd, 2), n = (cmd->len - 2) / 3;
	const char *why = "";
	int ret = get_stage(dec, cmd, 1, &sub, &stage);

	if (ret)
		return ret;
	if (start > VREND_MAX_SSBO || n > VREND_MAX_SSBO - start)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "shader buffers %u + %u", start, n);
	for (uint32_t i = 0; i < n; i++) {
		struct vrend_buffer_binding *b = &sub->shaders->stage[stage].ssbo[start + i];

		if (buffer_bind(dec, b, vrend_cmd_get(cmd, 3 + 3 * i),
		                vrend_cmd_get(cmd, 4 + 3 * i), vrend_cmd_get(cmd, 5 + 3 * i), &why))
			return vrend_decoder_fail(dec, cmd, -EINVAL, "shader buffer %u: %s",
			                          start + i, why);
	}
	return 0;
}

VREND_HANDLER(vrend_cmd_set_atomic_buffers)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t start = vrend_cmd_get(cmd, 1), n = (cmd->len - 1) / 3;
	const char *why = "";

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (start > VREND_MAX_ATOMIC || n > VREND_MAX_ATOMIC - start)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "atomic buffers %u + %u", start, n);
	for (uint32_t i = 0; i < n; i++) {
		if (buffer_bind(dec, &sub->shaders->atomic[start + i],
		                vrend_cmd_get(cmd, 2 + 3 * i), vrend_cmd_get(cmd, 3 + 3 * i),
		                vrend_cmd_get(cmd, 4 + 3 * i), &why))
			return vrend_decoder_fail(dec, cmd, -EINVAL, "atomic buffer %u: %s",
			                          start + i, why);
	}
	return 0;
}

static bool target_is_layered(uint32_t gl_target)
{
	return gl_target == GL_TEXTURE_1D_ARRAY || gl_target == GL_TEXTURE_2D_ARRAY ||
	       gl_target == GL_TEXTURE_3D || gl_target == GL_TEXTURE_CUBE_MAP ||
	       gl_target == GL_TEXTURE_CUBE_MAP_ARRAY ||
	       gl_target == GL_TEXTURE_2D_MULTISAMPLE_ARRAY;
}

static int image_bind(struct vrend_decoder *dec, struct vrend_cmd *cmd, uint32_t first,
                      struct vrend_image_binding *im, const char **why)
{
	uint32_t vfmt = vrend_cmd_get(cmd, first), access = vrend_cmd_get(cmd, first + 1);
	uint32_t w0 = vrend_cmd_get(cmd, first + 2), w1 = vrend_cmd_get(cmd, first + 3);
	uint32_t handle = vrend_cmd_get(cmd, first + 4);
	const struct vrend_format *f;
	struct vgn_resource *res = NULL;
	struct vrend_resource *vr = NULL;

	if (handle == 0) {
		image_unbind(im);
		return 0;
	}
	f = vrend_format_get(vfmt);
	if (!f || !f->internal_format || (f->flags & VREND_FMT_COMPRESSED)) {
		*why = "format without an image mapping";
		return -EINVAL;
	}
	if (vrend_ctx_get_resource(vrend_ctx_of(dec), handle, &res, &vr) || !vr) {
		res_put(res);
		*why = "resource not attached";
		return -EINVAL;
	}
	if (vr->is_buffer) {
		if ((uint64_t)w0 + w1 > buffer_bytes(res) || w1 == 0) {
			res_put(res);
			*why = "buffer image range past the end";
			return -EINVAL;
		}
	} else if ((w1 & 0xff) >= vr->levels || (w0 & 0xffff) > (w0 >> 16)) {
		res_put(res);
		*why = "image level or layers out of range";
		return -EINVAL;
	}
	image_unbind(im);
	im->res = res;
	im->gl_name = vr->gl_name;
	im->gl_target = vr->gl_target;
	im->is_buffer = vr->is_buffer;
	im->vfmt = vfmt;
	im->access = access & 3;
	if (vr->is_buffer) {
		im->offset = w0;
		im->size = w1;
	} else {
		im->first_layer = w0 & 0xffff;
		im->last_layer = w0 >> 16;
		/* Bits above 7 are Mesa's view flags, not part of the level. */
		im->level = w1 & 0xff;
	}
	return 0;
}

VREND_HANDLER(vrend_cmd_set_shader_images)
{
	struct vrend_sub *sub;
	uint32_t stage, start = vrend_cmd_get(cmd, 2), n = (cmd->len - 2) / 5;
	const char *why = "";
	int ret = get_stage(dec, cmd, 1, &sub, &stage);

	if (ret)
		return ret;
	if (start > VREND_MAX_IMAGES || n > VREND_MAX_IMAGES - start)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "shader images %u + %u", start, n);
	for (uint32_t i = 0; i < n; i++) {
		if (image_bind(dec, cmd, 3 + 5 * i, &sub->shaders->stage[stage].image[start + i],
		               &why))
			return vrend_decoder_fail(dec, cmd, -EINVAL, "shader image %u: %s",
			                          start + i, why);
	}
	return 0;
}

VREND_HANDLER(vrend_cmd_set_tess_state)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	const struct vrend_gl_info *info;
	struct vrend_shaders *ss;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	ss = sub->shaders;
	for (uint32_t i = 0; i < 4; i++)
		ss->tess_outer[i] = vrend_cmd_get_f32(cmd, 1 + i);
	for (uint32_t i = 0; i < 2; i++)
		ss->tess_inner[i] = vrend_cmd_get_f32(cmd, 5 + i);
	/* Context state: applied now (desktop GL 4.0; GLES has no default levels). */
	info = vrend_ctx_gl_info(sub->ctx);
	if (info && vrend_gl_version_ge(info, 40, 0)) {
		glPatchParameterfv(GL_PATCH_DEFAULT_OUTER_LEVEL, ss->tess_outer);
		glPatchParameterfv(GL_PATCH_DEFAULT_INNER_LEVEL, ss->tess_inner);
	}
	return 0;
}

/* ---- applying the bindings of one stage for the program in use ---- */

static void apply_ubos(struct vrend_sub *sub, struct vrend_stage_bindings *st,
                       const struct vrend_prog_stage *ps)
{
	struct vrend_shaders *ss = sub->shaders;

	for (uint32_t slot = 1; slot <= ps->num_ubos; slot++) {
		const struct vrend_buffer_binding *b = &st->ubo[slot];
		uint32_t binding = ps->ubo_base + slot - 1;
		uint64_t need = ps->ubo_bytes[slot], size;

		if (!need)
			continue;
		size = b->size > need ? b->size : need;
		/* The block must lie inside the buffer whatever range the guest gave:
		 * reads beyond a bound range are undefined in GL. */
		if (b->res && (uint64_t)b->offset + size <= buffer_bytes(b->res) &&
		    (ss->ubo_align <= 0 || b->offset % (uint32_t)ss->ubo_align == 0))
			glBindBufferRange(GL_UNIFORM_BUFFER, binding, b->gl_name, b->offset,
			                  (GLsizeiptr)size);
		else
			glBindBufferBase(GL_UNIFORM_BUFFER, binding, 0);
	}
}

static void apply_ssbos(struct vrend_sub *sub, struct vrend_stage_bindings *st,
                        const struct vrend_prog_stage *ps)
{
	struct vrend_shaders *ss = sub->shaders;

	for (uint32_t i = 0; i < ps->num_ssbos; i++) {
		const struct vrend_buffer_binding *b = &st->ssbo[i];

		if (b->res && b->size &&
		    (ss->ssbo_align <= 0 || b->offset % (uint32_t)ss->ssbo_align == 0))
			glBindBufferRange(GL_SHADER_STORAGE_BUFFER, ps->ssbo_base + i, b->gl_name,
			                  b->offset, b->size);
		else
			glBindBufferBase(GL_SHADER_STORAGE_BUFFER, ps->ssbo_base + i, 0);
	}
}

static const GLenum image_access[4] = {GL_READ_WRITE, GL_READ_ONLY, GL_WRITE_ONLY, GL_READ_WRITE};

static void apply_images(struct vrend_stage_bindings *st, const struct vrend_prog_stage *ps)
{
	for (uint32_t i = 0; i < ps->num_images; i++) {
		struct vrend_image_binding *im = &st->image[i];
		const struct vrend_format *f = im->res ? vrend_format_get(im->vfmt) : NULL;
		GLuint unit = ps->image_base + i;

		if (!f) {
			glBindImageTexture(unit, 0, 0, GL_FALSE, 0, GL_READ_ONLY, GL_R32UI);
			continue;
		}
		if (im->is_buffer) {
			if (!im->buf_tex_valid) {
				if (!im->buf_tex)
					glGenTextures(1, &im->buf_tex);
				glBindTexture(GL_TEXTURE_BUFFER, im->buf_tex);
				glTexBufferRange(GL_TEXTURE_BUFFER, f->internal_format, im->gl_name,
				                 im->offset, im->size);
				glBindTexture(GL_TEXTURE_BUFFER, 0);
				im->buf_tex_valid = true;
			}
			glBindImageTexture(unit, im->buf_tex, 0, GL_FALSE, 0,
			                   image_access[im->access], f->internal_format);
			continue;
		}
		if (target_is_layered(im->gl_target) && im->first_layer == im->last_layer)
			glBindImageTexture(unit, im->gl_name, (GLint)im->level, GL_FALSE,
			                   (GLint)im->first_layer, image_access[im->access],
			                   f->internal_format);
		else
			glBindImageTexture(unit, im->gl_name, (GLint)im->level,
			                   target_is_layered(im->gl_target), 0,
			                   image_access[im->access], f->internal_format);
	}
}

void vrend_bindings_apply(struct vrend_sub *sub, uint32_t stage, const struct vrend_prog_stage *ps)
{
	struct vrend_stage_bindings *st = &sub->shaders->stage[stage];

	apply_ubos(sub, st, ps);
	apply_ssbos(sub, st, ps);
	apply_images(st, ps);
}

void vrend_bindings_apply_atomics(struct vrend_sub *sub)
{
	struct vrend_shaders *ss = sub->shaders;
	uint32_t n = ss->max_atomic_bindings > 0 ? (uint32_t)ss->max_atomic_bindings : 0;

	if (n > VREND_MAX_ATOMIC)
		n = VREND_MAX_ATOMIC;
	for (uint32_t i = 0; i < n; i++) {
		const struct vrend_buffer_binding *b = &ss->atomic[i];

		if (b->res && b->size && b->offset % 4 == 0)
			glBindBufferRange(GL_ATOMIC_COUNTER_BUFFER, i, b->gl_name, b->offset,
			                  b->size);
	}
}
