/* SPDX-License-Identifier: MIT */
/*
 * Framebuffer state: the draw FBO of a sub-context (SET_FRAMEBUFFER_STATE,
 * SET_FRAMEBUFFER_STATE_NO_ATTACH), what draws need from it (bind, shader key,
 * height), and the helpers the area shares for attaching texture images.
 *
 * The FBO is rebuilt lazily: the commands only record surfaces, vrend_fb_bind
 * attaches them before the next draw and checks completeness once per change.
 * An incomplete framebuffer is logged and its draws are skipped.
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <stdlib.h>

#include "context.h"
#include "fb_internal.h"
#include "resource.h"
#include "transfer.h"

int vrend_fb_get_resource(struct vrend_sub *sub, uint32_t handle, struct vgn_resource **res,
                          struct vrend_resource **vr)
{
	if (!vrend_ctx_get_resource(sub->ctx, handle, res, vr) && *vr)
		return 0;
	if (*res)
		vgn_resource_put(*res);
	*res = NULL;
	*vr = NULL;
	if (handle && sub->ctx->core && vgn_context_lookup_resource(sub->ctx->core, handle))
		return -ENOTSUP;
	return -EINVAL;
}

uint32_t vrend_fb_res_layers(const struct vgn_resource *res, uint32_t level)
{
	uint32_t w, h, slices;

	if (level > res->create.last_level)
		return 0;
	vgn_level_extent(&res->create, level, &w, &h, &slices);
	return slices;
}

bool vrend_fb_box_inside(const struct vgn_resource *res, uint32_t level, uint64_t x, uint64_t y,
                         uint64_t z, uint64_t w, uint64_t h, uint64_t d)
{
	uint32_t lw, lh, ls;

	if (level > res->create.last_level)
		return false;
	vgn_level_extent(&res->create, level, &lw, &lh, &ls);
	/* Sums of values below 2^33 cannot wrap. */
	return x + w <= lw && y + h <= lh && z + d <= ls;
}

void vrend_fb_gl_box(uint32_t gl_target, uint32_t x, uint32_t y, uint32_t z, uint32_t w, uint32_t h,
                     uint32_t d, struct vrend_gl_box *out)
{
	if (gl_target == GL_TEXTURE_1D_ARRAY)
		*out = (struct vrend_gl_box){(int32_t)x, (int32_t)z, 0, (int32_t)w, (int32_t)d, 1};
	else
		*out = (struct vrend_gl_box){(int32_t)x, (int32_t)y, (int32_t)z,
		                             (int32_t)w, (int32_t)h, (int32_t)d};
}

int vrend_fb_int_kind(const struct vrend_format *fmt)
{
	if (!fmt || !(fmt->flags & VREND_FMT_INTEGER))
		return 0;
	switch (fmt->type) {
	case GL_BYTE:
	case GL_SHORT:
	case GL_INT:
		return 1;
	default:
		return 2;
	}
}

uint32_t vrend_fb_attachment(const struct vrend_format *fmt, uint32_t color_index)
{
	bool z = fmt->flags & VREND_FMT_DEPTH, s = fmt->flags & VREND_FMT_STENCIL;

	if (fmt->format == GL_DEPTH_STENCIL)
		return z && !s ? GL_DEPTH_ATTACHMENT : GL_DEPTH_STENCIL_ATTACHMENT;
	if (fmt->format == GL_DEPTH_COMPONENT)
		return GL_DEPTH_ATTACHMENT;
	if (fmt->format == GL_STENCIL_INDEX)
		return GL_STENCIL_ATTACHMENT;
	return GL_COLOR_ATTACHMENT0 + color_index;
}

void vrend_fb_attach(uint32_t fb_target, uint32_t attachment, const struct vrend_fb_image *img,
                     int32_t layer)
{
	if (!img || !img->gl_name) {
		glFramebufferTexture(fb_target, attachment, 0, 0);
		return;
	}
	GLint lvl = (GLint)img->level;
	if (layer < 0 && img->layered) {
		glFramebufferTexture(fb_target, attachment, img->gl_name, lvl);
		return;
	}
	GLint l = (GLint)img->first_layer + (layer < 0 ? 0 : layer);
	switch (img->gl_target) {
	case GL_TEXTURE_1D:
	case GL_TEXTURE_2D:
	case GL_TEXTURE_RECTANGLE:
	case GL_TEXTURE_2D_MULTISAMPLE:
		glFramebufferTexture(fb_target, attachment, img->gl_name, lvl);
		break;
	case GL_TEXTURE_CUBE_MAP:
		glFramebufferTexture2D(fb_target, attachment,
		                       GL_TEXTURE_CUBE_MAP_POSITIVE_X + (GLenum)l, img->gl_name,
		                       lvl);
		break;
	default: /* 3D, arrays, cube arrays */
		glFramebufferTextureLayer(fb_target, attachment, img->gl_name, lvl, l);
		break;
	}
}

bool vrend_fb_has_views(struct vrend_sub *sub)
{
	return !vrend_sub_gles(sub) &&
	       (vrend_draw_gl_ge(sub, 43, 0) || vrend_draw_gl_has_ext(sub, "GL_ARB_texture_view"));
}

void vrend_fb_srgb(struct vrend_sub *sub)
{
	if (sub->fb->srgb_enabled)
		return;
	if (!vrend_sub_gles(sub))
		glEnable(GL_FRAMEBUFFER_SRGB);
	sub->fb->srgb_enabled = true;
}

void vrend_fb_gl_drain(void)
{
	for (int i = 0; i < 16 && glGetError() != GL_NO_ERROR; i++)
		;
}

bool vrend_fb_gl_failed(struct vrend_sub *sub, const char *what)
{
	GLenum err = glGetError();

	if (err == GL_NO_ERROR)
		return false;
	vrend_fb_gl_drain();
	vrend_fb_log(sub, VGN_LOG_WARN, "vrend: %s: GL error 0x%x", what, err);
	return true;
}

/* The target of a view of `layers` layers of a resource's texture. */
static GLenum view_target(const struct vrend_resource *vr, uint32_t layers)
{
	switch (vr->gl_target) {
	case GL_TEXTURE_1D_ARRAY:
		return layers == 1 ? GL_TEXTURE_1D : GL_TEXTURE_1D_ARRAY;
	case GL_TEXTURE_2D_ARRAY:
		return layers == 1 ? GL_TEXTURE_2D : GL_TEXTURE_2D_ARRAY;
	case GL_TEXTURE_2D_MULTISAMPLE_ARRAY:
		return layers == 1 ? GL_TEXTURE_2D_MULTISAMPLE : GL_TEXTURE_2D_MULTISAMPLE_ARRAY;
	case GL_TEXTURE_CUBE_MAP:
	case GL_TEXTURE_CUBE_MAP_ARRAY:
		return layers == 1 ? GL_TEXTURE_2D : GL_TEXTURE_2D_ARRAY;
	default:
		return vr->gl_target;
	}
}

/* The internal format of a render view of `fmt` over storage `stored`. A
 * linear surface over sRGB storage whose GL format is wider than the guest's
 * (L8_SRGB is kept as GL_SRGB8 with the value in red) cannot take the
 * surface's own GL format, but the storage's linear twin is in its view class:
 * writes then land in the same channels, unencoded, as the guest asked. */
static GLenum render_view_format(const struct vrend_format *fmt, const struct vrend_format *stored)
{
	static const GLenum twins[][2] = {{GL_SRGB8, GL_RGB8}, {GL_SRGB8_ALPHA8, GL_RGBA8}};

	if (!(fmt->flags & VREND_FMT_SRGB) && (stored->flags & VREND_FMT_SRGB) &&
	    fmt->block_bytes == stored->block_bytes && fmt->format == stored->format) {
		for (size_t i = 0; i < sizeof(twins) / sizeof(twins[0]); i++)
			if (stored->internal_format == twins[i][0] &&
			    fmt->internal_format != twins[i][1])
				return twins[i][1];
	}
	return fmt->internal_format;
}

int vrend_fb_make_image(struct vrend_sub *sub, const struct vgn_resource *res,
                        const struct vrend_resource *vr, uint32_t vfmt, uint32_t level,
                        uint32_t first_layer, uint32_t last_layer, struct vrend_fb_image *img,
                        bool *owned)
{
	const struct vrend_format *fmt = vrend_format_get(vfmt);
	uint32_t layers = vrend_fb_res_layers(res, level);

	*owned = false;
	if (!fmt || vr->is_buffer || level >= vr->levels || !layers || first_layer > last_layer ||
	    last_layer >= layers)
		return -EINVAL;
	uint32_t n = last_layer - first_layer + 1;
	bool whole = first_layer == 0 && n == layers;
	bool is_3d = vr->gl_target == GL_TEXTURE_3D;

	if (fmt->internal_format == vr->fmt->internal_format && (n == 1 || whole)) {
		*img = (struct vrend_fb_image){vr->gl_name, vr->gl_target, level, first_layer,
		                               n,           n > 1};
		return 0;
	}
	if (!vrend_fb_has_views(sub))
		return -EINVAL;

	/* 3D views keep every slice; the others start at the first layer. Every
	 * level is in the view, attached at `level`: llvmpipe (Mesa 25.0) blits
	 * zeros out of a view whose first level is not the texture's first. */
	GLenum target = is_3d ? GL_TEXTURE_3D : view_target(vr, n);
	GLuint view = 0;
	vrend_fb_gl_drain();
	glGenTextures(1, &view);
	glTextureView(view, target, vr->gl_name, render_view_format(fmt, vr->fmt), 0, vr->levels,
	              is_3d ? 0 : first_layer, is_3d ? 1 : n);
	if (vrend_fb_gl_failed(sub, "texture view")) {
		glDeleteTextures(1, &view);
		return -ENOTSUP;
	}
	*img = (struct vrend_fb_image){
	    view, target, level, is_3d ? first_layer : 0, n, n > 1 && (!is_3d || whole)};
	*owned = true;
	return 0;
}

VREND_HANDLER(vrend_cmd_set_framebuffer_state)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t nr = vrend_cmd_get(cmd, 1), zh = vrend_cmd_get(cmd, 2);
	struct vrend_object *surf[VREND_FB_MAX_CBUFS] = {0}, *z = NULL;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (nr > VREND_FB_MAX_CBUFS || cmd->len != 2 + nr)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "bad nr_cbufs %u", nr);
	if (zh && !(z = vrend_obj_lookup(sub, zh, VREND_OBJ_SURFACE)))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "no surface %u", zh);
	if (z && !(((struct vrend_surface *)z)->fmt->flags & (VREND_FMT_DEPTH | VREND_FMT_STENCIL)))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "zsurf %u is not depth/stencil", zh);
	for (uint32_t i = 0; i < nr; i++) {
		uint32_t h = vrend_cmd_get(cmd, 3 + i);
		if (h && !(surf[i] = vrend_obj_lookup(sub, h, VREND_OBJ_SURFACE)))
			return vrend_decoder_fail(dec, cmd, -EINVAL, "no surface %u", h);
	}

	struct vrend_fb *fb = sub->fb;
	for (uint32_t i = 0; i < VREND_FB_MAX_CBUFS; i++)
		vrend_obj_assign(sub, &fb->cbufs[i], surf[i]);
	vrend_obj_assign(sub, &fb->zsurf, z);
	fb->nr_cbufs = nr;
	fb->fbo_dirty = true;
	return 0;
}

VREND_HANDLER(vrend_cmd_set_framebuffer_state_no_attach)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t wh = vrend_cmd_get(cmd, 1), ls = vrend_cmd_get(cmd, 2);

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	sub->fb->na_width = wh & 0xffff;
	sub->fb->na_height = wh >> 16;
	sub->fb->na_layers = ls & 0xffff;
	sub->fb->na_samples = (ls >> 16) & 0xff;
	sub->fb->fbo_dirty = true;
	return 0;
}

int vrend_fb_init(struct vrend_sub *sub)
{
	sub->fb = calloc(1, sizeof(*sub->fb));
	return sub->fb ? 0 : -ENOMEM;
}

void vrend_fb_fini(struct vrend_sub *sub)
{
	struct vrend_fb *fb = sub->fb;

	if (!fb)
		return;
	vrend_fb_views_fini(sub);
	vrend_query_fini(sub);
	for (uint32_t i = 0; i < VREND_FB_MAX_CBUFS; i++)
		vrend_obj_assign(sub, &fb->cbufs[i], NULL);
	vrend_obj_assign(sub, &fb->zsurf, NULL);
	GLuint names[4] = {fb->fbo, fb->blit_fbo[0], fb->blit_fbo[1], fb->xfer_fbo};
	for (int i = 0; i < 4; i++) {
		if (names[i])
			glDeleteFramebuffers(1, &names[i]);
	}
	free(fb);
	sub->fb = NULL;
}

static struct vrend_surface *surface_of(struct vrend_object *obj)
{
	return (struct vrend_surface *)obj;
}

void vrend_fb_fill_key(struct vrend_sub *sub, struct vrend_shader_key *key)
{
	struct vrend_fb *fb = sub->fb;

	key->nr_cbufs = (uint8_t)fb->nr_cbufs;
	key->cbuf_int_mask = key->cbuf_uint_mask = 0;
	for (uint32_t i = 0; i < fb->nr_cbufs; i++) {
		if (!fb->cbufs[i])
			continue;
		int kind = vrend_fb_int_kind(surface_of(fb->cbufs[i])->fmt);
		if (kind == 1)
			key->cbuf_int_mask |= (uint8_t)(1u << i);
		else if (kind == 2)
			key->cbuf_uint_mask |= (uint8_t)(1u << i);
	}
}

static void rebuild(struct vrend_sub *sub)
{
	struct vrend_fb *fb = sub->fb;
	GLenum bufs[VREND_FB_MAX_CBUFS];
	bool any = false;

	for (uint32_t i = 0; i < VREND_FB_MAX_CBUFS; i++) {
		struct vrend_surface *s = i < fb->nr_cbufs ? surface_of(fb->cbufs[i]) : NULL;
		vrend_fb_attach(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0 + i, s ? &s->img : NULL,
		                -1);
		bufs[i] = s ? GL_COLOR_ATTACHMENT0 + i : GL_NONE;
		any |= s != NULL;
	}
	/* Detaching DEPTH_STENCIL clears both points. */
	vrend_fb_attach(GL_DRAW_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, NULL, -1);
	if (fb->zsurf) {
		struct vrend_surface *z = surface_of(fb->zsurf);
		vrend_fb_attach(GL_DRAW_FRAMEBUFFER, vrend_fb_attachment(z->fmt, 0), &z->img, -1);
		any = true;
	}
	glDrawBuffers(fb->nr_cbufs ? (GLsizei)fb->nr_cbufs : 1, bufs);
	if (!any) {
		glFramebufferParameteri(GL_DRAW_FRAMEBUFFER, GL_FRAMEBUFFER_DEFAULT_WIDTH,
		                        (GLint)fb->na_width);
		glFramebufferParameteri(GL_DRAW_FRAMEBUFFER, GL_FRAMEBUFFER_DEFAULT_HEIGHT,
		                        (GLint)fb->na_height);
		if (!vrend_sub_gles(sub) || fb->na_layers > 1)
			glFramebufferParameteri(GL_DRAW_FRAMEBUFFER, GL_FRAMEBUFFER_DEFAULT_LAYERS,
			                        (GLint)fb->na_layers);
		glFramebufferParameteri(GL_DRAW_FRAMEBUFFER, GL_FRAMEBUFFER_DEFAULT_SAMPLES,
		                        (GLint)fb->na_samples);
	}
	GLenum status = glCheckFramebufferStatus(GL_DRAW_FRAMEBUFFER);
	fb->fbo_complete = status == GL_FRAMEBUFFER_COMPLETE;
	if (!fb->fbo_complete)
		vrend_fb_log(
		    sub, VGN_LOG_WARN,
		    "vrend: framebuffer incomplete (0x%x, %u cbufs, zsurf %u): draws skipped",
		    status, fb->nr_cbufs, fb->zsurf ? fb->zsurf->handle : 0);
	vrend_fb_gl_failed(sub, "framebuffer setup");
	fb->fbo_dirty = false;
}

int vrend_fb_bind(struct vrend_sub *sub)
{
	struct vrend_fb *fb = sub->fb;

	if (!fb->fbo) {
		GLuint name = 0;
		glGenFramebuffers(1, &name);
		fb->fbo = name;
		fb->fbo_dirty = true;
	}
	vrend_fb_srgb(sub);
	glBindFramebuffer(GL_DRAW_FRAMEBUFFER, fb->fbo);
	if (fb->fbo_dirty)
		rebuild(sub);
	return fb->fbo_complete ? 0 : -EINVAL;
}

uint32_t vrend_fb_height(struct vrend_sub *sub)
{
	struct vrend_fb *fb = sub->fb;

	for (uint32_t i = 0; i < fb->nr_cbufs; i++) {
		if (fb->cbufs[i])
			return surface_of(fb->cbufs[i])->height;
	}
	if (fb->zsurf)
		return surface_of(fb->zsurf)->height;
	return fb->na_height;
}
