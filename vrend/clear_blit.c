/* SPDX-License-Identifier: MIT */
/*
 * CLEAR, CLEAR_TEXTURE, CLEAR_SURFACE and BLIT (virgl-protocol.md §3.4, §3.5).
 *
 * Gallium clears and blits ignore the scissor (unless the blit asks for one),
 * write masks and rasterizer discard, which GL applies to them: the GL state
 * that would interfere is read, neutralised and put back exactly, so the state
 * area's view of the context stays true without any coordination.
 *
 * Blits use two scratch framebuffers, one layer at a time, and
 * glBlitFramebuffer: scaling, mirroring (negative source sizes), multisample
 * resolves, depth/stencil and sRGB encode/decode by format. What it cannot do
 * (integer <-> float, scaled resolves, channel-emulated formats that differ,
 * alpha blending) is logged and left to a later shader blit.
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fb_internal.h"
#include "res_pack.h"
#include "resource.h"
#include "transfer.h" /* vgn_level_extent */

/* GL state that clears and blits must not see, saved for restoring. */
struct saved_state {
	GLboolean scissor, discard, depth_mask;
	GLint scissor_box[4];
	GLint stencil_front, stencil_back;
	GLboolean color[VREND_FB_MAX_CBUFS][4];
	uint32_t color_saved; /* mask of saved colour buffers */
	GLint read_fbo, draw_fbo;
	bool desktop; /* else GLES: no indexed scissor */
};

static void save_scissor(struct saved_state *s)
{
	if (s->desktop) {
		s->scissor = glIsEnabledi(GL_SCISSOR_TEST, 0);
		glGetIntegeri_v(GL_SCISSOR_BOX, 0, s->scissor_box);
	} else {
		s->scissor = glIsEnabled(GL_SCISSOR_TEST);
		glGetIntegerv(GL_SCISSOR_BOX, s->scissor_box);
	}
}

static void set_scissor(bool desktop, bool on, const GLint *box)
{
	if (on && desktop)
		glEnablei(GL_SCISSOR_TEST, 0);
	else if (on)
		glEnable(GL_SCISSOR_TEST);
	else if (desktop)
		glDisablei(GL_SCISSOR_TEST, 0);
	else
		glDisable(GL_SCISSOR_TEST);
	if (box && desktop)
		glScissorIndexed(0, box[0], box[1], box[2], box[3]);
	else if (box)
		glScissor(box[0], box[1], box[2], box[3]);
}

/* Saves and neutralises: scissor 0 (or sets `box`), rasterizer discard and the
 * masks of the colour buffers in color_mask / depth / stencil. */
static void neutralise(struct vrend_sub *sub, struct saved_state *s, uint32_t color_mask,
                       bool depth, bool stencil, const GLint *box)
{
	memset(s, 0, sizeof(*s));
	s->desktop = !vrend_sub_gles(sub);
	save_scissor(s);
	set_scissor(s->desktop, box != NULL, box);
	s->discard = glIsEnabled(GL_RASTERIZER_DISCARD);
	if (s->discard)
		glDisable(GL_RASTERIZER_DISCARD);
	s->color_saved = color_mask;
	for (uint32_t i = 0; i < VREND_FB_MAX_CBUFS; i++) {
		if (color_mask & (1u << i)) {
			glGetBooleani_v(GL_COLOR_WRITEMASK, i, s->color[i]);
			glColorMaski(i, GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
		}
	}
	glGetBooleanv(GL_DEPTH_WRITEMASK, &s->depth_mask);
	if (depth)
		glDepthMask(GL_TRUE);
	glGetIntegerv(GL_STENCIL_WRITEMASK, &s->stencil_front);
	glGetIntegerv(GL_STENCIL_BACK_WRITEMASK, &s->stencil_back);
	if (stencil)
		glStencilMask(0xff);
	glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &s->read_fbo);
	glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &s->draw_fbo);
}

static void restore(const struct saved_state *s)
{
	set_scissor(s->desktop, s->scissor, s->scissor_box);
	if (s->discard)
		glEnable(GL_RASTERIZER_DISCARD);
	for (uint32_t i = 0; i < VREND_FB_MAX_CBUFS; i++) {
		if (s->color_saved & (1u << i))
			glColorMaski(i, s->color[i][0], s->color[i][1], s->color[i][2],
			             s->color[i][3]);
	}
	glDepthMask(s->depth_mask);
	glStencilMaskSeparate(GL_FRONT, (GLuint)s->stencil_front);
	glStencilMaskSeparate(GL_BACK, (GLuint)s->stencil_back);
	glBindFramebuffer(GL_READ_FRAMEBUFFER, (GLuint)s->read_fbo);
	glBindFramebuffer(GL_DRAW_FRAMEBUFFER, (GLuint)s->draw_fbo);
}

/* Clears GL colour buffer `drawbuf` with the guest's 4 dwords: float, int or
 * uint by the surface format; channels the format keeps elsewhere in GL
 * (L/A/I emulation) are moved where GL stores them. */
static void clear_color(const struct vrend_format *fmt, GLint drawbuf, const uint32_t in[4])
{
	uint32_t c[4];

	memcpy(c, in, sizeof(c));
	for (int i = 3; i >= 0; i--) { /* lowest virgl channel wins a shared GL channel */
		if (fmt->swizzle[i] <= VREND_SWZ_A)
			c[fmt->swizzle[i]] = in[i];
	}
	switch (vrend_fb_int_kind(fmt)) {
	case 1:
		glClearBufferiv(GL_COLOR, drawbuf, (const GLint *)c);
		break;
	case 2:
		glClearBufferuiv(GL_COLOR, drawbuf, c);
		break;
	default: {
		float f[4];
		memcpy(f, c, sizeof(f));
		glClearBufferfv(GL_COLOR, drawbuf, f);
		break;
	}
	}
}

static void clear_depth_stencil(const struct vrend_format *fmt, bool depth, bool stencil,
                                double dval, uint32_t sval)
{
	depth = depth && (fmt->flags & VREND_FMT_DEPTH);
	stencil = stencil && (fmt->flags & VREND_FMT_STENCIL);
	GLfloat d = (GLfloat)dval;
	GLint s = (GLint)(sval & 0xff);

	if (depth && stencil)
		glClearBufferfi(GL_DEPTH_STENCIL, 0, d, s);
	else if (depth)
		glClearBufferfv(GL_DEPTH, 0, &d);
	else if (stencil)
		glClearBufferiv(GL_STENCIL, 0, &s);
}

static double wire_double(uint64_t bits)
{
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

VREND_HANDLER(vrend_cmd_clear)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t buffers = vrend_cmd_get(cmd, 1), color[4], stencil = vrend_cmd_get(cmd, 8);
	double depth = wire_double(vrend_cmd_get_u64(cmd, 6));

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	for (int i = 0; i < 4; i++)
		color[i] = vrend_cmd_get(cmd, 2 + i);
	if (vrend_fb_bind(sub))
		return 0; /* incomplete framebuffer: logged, skipped like draws */

	struct vrend_fb *fb = sub->fb;
	uint32_t cmask = 0;
	for (uint32_t i = 0; i < fb->nr_cbufs; i++) {
		if ((buffers & (4u << i)) && fb->cbufs[i])
			cmask |= 1u << i;
	}
	bool z = (buffers & 1) && fb->zsurf, s = (buffers & 2) && fb->zsurf;
	struct saved_state saved;
	neutralise(sub, &saved, cmask, z, s, NULL);
	for (uint32_t i = 0; i < fb->nr_cbufs; i++) {
		if (cmask & (1u << i))
			clear_color(((struct vrend_surface *)fb->cbufs[i])->fmt, (GLint)i, color);
	}
	if (z || s)
		clear_depth_stencil(((struct vrend_surface *)fb->zsurf)->fmt, z, s, depth, stencil);
	restore(&saved);
	vrend_fb_gl_failed(sub, "clear");
	return 0;
}

VREND_HANDLER(vrend_cmd_clear_texture)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1), level = vrend_cmd_get(cmd, 2), b[6];
	uint8_t data[16];
	struct vgn_resource *res;
	struct vrend_resource *vr;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	for (int i = 0; i < 6; i++)
		b[i] = vrend_cmd_get(cmd, 3 + i);
	for (int i = 0; i < 4; i++) {
		uint32_t dw = vrend_cmd_get(cmd, 9 + i);
		memcpy(data + 4 * i, &dw, 4);
	}
	int err = vrend_fb_get_resource(sub, handle, &res, &vr);
	if (err == -ENOTSUP)
		return 0; /* no GL storage to clear */
	if (err)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "clear texture: no resource %u",
		                          handle);
	int ret = 0;
	if (vr->is_buffer || level >= vr->levels ||
	    !vrend_fb_box_inside(res, level, b[0], b[1], b[2], b[3], b[4], b[5])) {
		ret =
		    vrend_decoder_fail(dec, cmd, -EINVAL,
		                       "clear texture: resource %u level %u box %u,%u,%u %ux%ux%u "
		                       "outside",
		                       handle, level, b[0], b[1], b[2], b[3], b[4], b[5]);
	} else if ((vr->fmt->flags & VREND_FMT_COMPRESSED) ||
	           !(vrend_draw_gl_ge(sub, 44, 0) ||
	             vrend_draw_gl_has_ext(sub, "GL_ARB_clear_texture"))) {
		vrend_fb_log(sub, VGN_LOG_WARN, "vrend: clear texture of %s not supported here",
		             vrend_vfmt_name(vr->vfmt));
	} else if (b[3] && b[4] && b[5]) {
		struct vrend_gl_box g;
		vrend_fb_gl_box(vr->gl_target, b[0], b[1], b[2], b[3], b[4], b[5], &g);
		/* The value is in the guest's byte layout of the format. */
		if (vr->conv != VREND_CONV_NONE && vr->fmt->block_bytes % 4 == 0)
			vrend_res_conv_to_gl(vr->conv, data, vr->fmt->block_bytes);
		glClearTexSubImage(vr->gl_name, (GLint)level, g.x, g.y, g.z, g.w, g.h, g.d,
		                   vr->fmt->format, vr->fmt->type, data);
		vrend_fb_gl_failed(sub, "clear texture");
	}
	vgn_resource_put(res);
	return ret;
}

static uint32_t scratch_fbo(struct vrend_sub *sub, int i)
{
	if (!sub->fb->blit_fbo[i]) {
		GLuint name = 0;
		glGenFramebuffers(1, &name);
		sub->fb->blit_fbo[i] = name;
	}
	return sub->fb->blit_fbo[i];
}

VREND_HANDLER(vrend_cmd_clear_surface)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t s0 = vrend_cmd_get(cmd, 1), handle = vrend_cmd_get(cmd, 2), color[4];
	uint32_t x = vrend_cmd_get(cmd, 7), y = vrend_cmd_get(cmd, 8);
	uint32_t w = vrend_cmd_get(cmd, 9), h = vrend_cmd_get(cmd, 10);
	struct vrend_surface *surf;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	for (int i = 0; i < 4; i++)
		color[i] = vrend_cmd_get(cmd, 3 + i);
	surf = (struct vrend_surface *)vrend_obj_lookup(sub, handle, VREND_OBJ_SURFACE);
	if (!surf)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "no surface %u", handle);
	/* Clipped to the surface like any rendering (64-bit: no wrap). */
	if (x >= surf->width || y >= surf->height)
		return 0;
	if ((uint64_t)x + w > surf->width)
		w = surf->width - x;
	if ((uint64_t)y + h > surf->height)
		h = surf->height - y;
	if (!w || !h)
		return 0;
	bool is_zs = surf->fmt->flags & (VREND_FMT_DEPTH | VREND_FMT_STENCIL);
	bool z = (s0 & 2) && is_zs, s = (s0 & 4) && is_zs, c = (s0 & 8) && !is_zs;
	if (!z && !s && !c)
		return 0;

	GLint box[4] = {(GLint)x, (GLint)y, (GLint)w, (GLint)h};
	struct saved_state saved;
	uint32_t att = vrend_fb_attachment(surf->fmt, 0);
	neutralise(sub, &saved, c ? 1u : 0u, z, s, box);
	if (!(s0 & 1))
		vrend_query_cond_pause(sub);
	vrend_fb_srgb(sub);
	glBindFramebuffer(GL_DRAW_FRAMEBUFFER, scratch_fbo(sub, 1));
	GLenum buf = c ? GL_COLOR_ATTACHMENT0 : GL_NONE;
	glDrawBuffers(1, &buf);
	/* Gallium clears every layer of the surface. */
	for (uint32_t l = 0; l <= surf->last_layer - surf->first_layer; l++) {
		vrend_fb_attach(GL_DRAW_FRAMEBUFFER, att, &surf->img, (int32_t)l);
		if (glCheckFramebufferStatus(GL_DRAW_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
			continue;
		if (c)
			clear_color(surf->fmt, 0, color);
		else
			clear_depth_stencil(surf->fmt, z, s,
			                    wire_double(color[0] | (uint64_t)color[1] << 32),
			                    color[3]);
	}
	vrend_fb_attach(GL_DRAW_FRAMEBUFFER, att, NULL, -1);
	if (!(s0 & 1))
		vrend_query_cond_resume(sub);
	restore(&saved);
	vrend_fb_gl_failed(sub, "clear surface");
	return 0;
}

/* One side of a blit, parsed and checked. */
struct blit_side {
	uint32_t handle, level, vfmt;
	int32_t x, y, z, w, h, d;
	struct vgn_resource *res;
	struct vrend_resource *vr;
	const struct vrend_format *fmt;
	struct vrend_fb_image img;
	bool owned;
};

static int blit_side_get(struct vrend_sub *sub, struct vrend_cmd *cmd, uint32_t first,
                         struct blit_side *bs)
{
	bs->handle = vrend_cmd_get(cmd, first);
	bs->level = vrend_cmd_get(cmd, first + 1);
	bs->vfmt = vrend_cmd_get(cmd, first + 2);
	int32_t *v[6] = {&bs->x, &bs->y, &bs->z, &bs->w, &bs->h, &bs->d};
	for (int i = 0; i < 6; i++)
		*v[i] = (int32_t)vrend_cmd_get(cmd, first + 3 + i);
	bs->fmt = vrend_format_get(bs->vfmt);
	if (!bs->fmt)
		return -EINVAL;
	int err = vrend_fb_get_resource(sub, bs->handle, &bs->res, &bs->vr);
	if (err)
		return err;
	if (bs->vr->is_buffer || bs->level >= bs->vr->levels)
		return -EINVAL;
	/* Mesa leaves x/y clipping to the driver (boxes may stick out of the
	 * level: glBlitFramebuffer clips them); the rectangle's ends must still
	 * be GLints. Slices are attached one by one: they must exist. */
	int64_t x1 = (int64_t)bs->x + bs->w, y1 = (int64_t)bs->y + bs->h;
	if (x1 < INT32_MIN || x1 > INT32_MAX || y1 < INT32_MIN || y1 > INT32_MAX)
		return -EINVAL;
	if (bs->z < 0 || bs->d < 0 ||
	    (int64_t)bs->z + bs->d > vrend_fb_res_layers(bs->res, bs->level))
		return -EINVAL;
	return 0;
}

static void blit_side_put(struct blit_side *bs)
{
	if (bs->owned) {
		GLuint name = bs->img.gl_name;
		glDeleteTextures(1, &name);
	}
	if (bs->res)
		vgn_resource_put(bs->res);
}

static GLbitfield blit_bits(uint32_t mask, const struct vrend_format *s,
                            const struct vrend_format *d)
{
	GLbitfield bits = 0;
	uint32_t zs = VREND_FMT_DEPTH | VREND_FMT_STENCIL;

	if ((mask & 0xf) && !(s->flags & zs) && !(d->flags & zs))
		bits |= GL_COLOR_BUFFER_BIT;
	if ((mask & 0x10) && (s->flags & d->flags & VREND_FMT_DEPTH))
		bits |= GL_DEPTH_BUFFER_BIT;
	if ((mask & 0x20) && (s->flags & d->flags & VREND_FMT_STENCIL))
		bits |= GL_STENCIL_BUFFER_BIT;
	return bits;
}

static uint32_t blit_attachment(GLbitfield bits)
{
	if (bits & GL_COLOR_BUFFER_BIT)
		return GL_COLOR_ATTACHMENT0;
	if ((bits & GL_DEPTH_BUFFER_BIT) && (bits & GL_STENCIL_BUFFER_BIT))
		return GL_DEPTH_STENCIL_ATTACHMENT;
	return bits & GL_DEPTH_BUFFER_BIT ? GL_DEPTH_ATTACHMENT : GL_STENCIL_ATTACHMENT;
}

/* GL resolves multisampled images only 1:1: a scaled or mirrored resolve
 * goes through a single-sampled copy of the source box. */
static bool needs_two_step(const struct blit_side *src, const struct blit_side *dst)
{
	return src->vr->samples > 1 && dst->vr->samples <= 1 &&
	       (src->w != dst->w || src->h != dst->h);
}

/* Second half of a two-step resolve: tmp (|w| x |h|, resolved) -> dst, with
 * the source box's mirroring. Leaves dst attached to the draw framebuffer. */
static void blit_from_tmp(const struct blit_side *src, const struct blit_side *dst, GLenum src_att,
                          GLenum dst_att, GLuint tmp, int32_t dst_layer, GLbitfield bits,
                          GLenum filter)
{
	const struct vrend_fb_image timg = {tmp, GL_TEXTURE_2D, 0, 0, 1, false};
	int32_t w = src->w < 0 ? -src->w : src->w, h = src->h < 0 ? -src->h : src->h;
	int32_t x0 = src->w < 0 ? src->x + src->w : src->x;
	int32_t y0 = src->h < 0 ? src->y + src->h : src->y;

	vrend_fb_attach(GL_DRAW_FRAMEBUFFER, dst_att, NULL, -1);
	vrend_fb_attach(GL_DRAW_FRAMEBUFFER, src_att, &timg, 0);
	glBlitFramebuffer(x0, y0, x0 + w, y0 + h, 0, 0, w, h, bits, GL_NEAREST);
	vrend_fb_attach(GL_DRAW_FRAMEBUFFER, src_att, NULL, -1);
	vrend_fb_attach(GL_DRAW_FRAMEBUFFER, dst_att, &dst->img, dst_layer);
	vrend_fb_attach(GL_READ_FRAMEBUFFER, src_att, &timg, 0);
	glBlitFramebuffer(src->w < 0 ? w : 0, src->h < 0 ? h : 0, src->w < 0 ? 0 : w,
	                  src->h < 0 ? 0 : h, dst->x, dst->y, dst->x + dst->w, dst->y + dst->h,
	                  bits, filter);
}

static void run_blit(struct vrend_sub *sub, struct blit_side *src, struct blit_side *dst,
                     GLbitfield bits, GLenum filter)
{
	GLuint tmp = 0;
	if (needs_two_step(src, dst)) {
		if (!vrend_draw_gl_ge(sub, 45, 0)) {
			vrend_fb_log(sub, VGN_LOG_WARN,
			             "vrend: scaled multisample resolve skipped");
			return;
		}
		glCreateTextures(GL_TEXTURE_2D, 1, &tmp);
		glTextureStorage2D(tmp, 1, src->fmt->internal_format, src->w < 0 ? -src->w : src->w,
		                   src->h < 0 ? -src->h : src->h);
	}
	uint32_t att = blit_attachment(bits);
	/* A depth+stencil blit attaches the packed image to both points. */
	GLenum src_att = att, dst_att = att;
	if (att == GL_DEPTH_ATTACHMENT && src->fmt->format == GL_DEPTH_STENCIL)
		src_att = GL_DEPTH_STENCIL_ATTACHMENT;
	if (att == GL_DEPTH_ATTACHMENT && dst->fmt->format == GL_DEPTH_STENCIL)
		dst_att = GL_DEPTH_STENCIL_ATTACHMENT;
	if (att == GL_STENCIL_ATTACHMENT && src->fmt->format == GL_DEPTH_STENCIL)
		src_att = GL_DEPTH_STENCIL_ATTACHMENT;
	if (att == GL_STENCIL_ATTACHMENT && dst->fmt->format == GL_DEPTH_STENCIL)
		dst_att = GL_DEPTH_STENCIL_ATTACHMENT;

	glBindFramebuffer(GL_READ_FRAMEBUFFER, scratch_fbo(sub, 0));
	glBindFramebuffer(GL_DRAW_FRAMEBUFFER, scratch_fbo(sub, 1));
	GLenum cbuf = att == GL_COLOR_ATTACHMENT0 ? GL_COLOR_ATTACHMENT0 : GL_NONE;
	glReadBuffer(cbuf);
	glDrawBuffers(1, &cbuf);
	for (int32_t k = 0; k < dst->d; k++) {
		/* Nearest source slice for each destination slice (3D scaling). */
		int64_t sz = src->d == dst->d ? (int64_t)src->z + k
		                              : (int64_t)src->z + ((2 * (int64_t)k + 1) * src->d) /
		                                                      (2 * (int64_t)dst->d);
		vrend_fb_attach(GL_READ_FRAMEBUFFER, src_att, &src->img, (int32_t)sz);
		vrend_fb_attach(GL_DRAW_FRAMEBUFFER, dst_att, &dst->img, dst->z + k);
		GLenum rs = glCheckFramebufferStatus(GL_READ_FRAMEBUFFER);
		GLenum ds = glCheckFramebufferStatus(GL_DRAW_FRAMEBUFFER);
		if (rs != GL_FRAMEBUFFER_COMPLETE || ds != GL_FRAMEBUFFER_COMPLETE) {
			vrend_fb_log(
			    sub, VGN_LOG_WARN, "vrend: blit %s -> %s: framebuffer 0x%x/0x%x",
			    vrend_vfmt_name(src->vfmt), vrend_vfmt_name(dst->vfmt), rs, ds);
			break;
		}
		if (tmp)
			blit_from_tmp(src, dst, src_att, dst_att, tmp, dst->z + k, bits, filter);
		else
			glBlitFramebuffer(src->x, src->y, src->x + src->w, src->y + src->h, dst->x,
			                  dst->y, dst->x + dst->w, dst->y + dst->h, bits, filter);
	}
	vrend_fb_attach(GL_READ_FRAMEBUFFER, src_att, NULL, -1);
	vrend_fb_attach(GL_DRAW_FRAMEBUFFER, dst_att, NULL, -1);
	if (tmp)
		glDeleteTextures(1, &tmp);
}

/* The source has no alpha (an X channel GL stores anyway): Gallium reads it
 * as 1, glBlitFramebuffer copies whatever was stored. Sets the destination
 * box's alpha to 1 with an alpha-only clear, inside the blit's scissor. */
static void blit_fix_alpha(struct vrend_sub *sub, struct blit_side *dst, const GLint *scissor)
{
	static const uint32_t one_f = 0x3f800000u, one_i = 1;
	int32_t x0 = dst->x, y0 = dst->y, x1 = dst->x + dst->w, y1 = dst->y + dst->h;

	if (scissor) {
		x0 = x0 > scissor[0] ? x0 : scissor[0];
		y0 = y0 > scissor[1] ? y0 : scissor[1];
		x1 = x1 < scissor[0] + scissor[2] ? x1 : scissor[0] + scissor[2];
		y1 = y1 < scissor[1] + scissor[3] ? y1 : scissor[1] + scissor[3];
	}
	if (x0 >= x1 || y0 >= y1)
		return;
	GLint box[4] = {x0, y0, x1 - x0, y1 - y0};
	uint32_t c[4] = {0, 0, 0, vrend_fb_int_kind(dst->fmt) ? one_i : one_f};
	GLboolean m[4];
	glGetBooleani_v(GL_COLOR_WRITEMASK, 0, m);
	glColorMaski(0, GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
	set_scissor(!vrend_sub_gles(sub), true, box);
	glBindFramebuffer(GL_DRAW_FRAMEBUFFER, scratch_fbo(sub, 1));
	for (int32_t k = 0; k < dst->d; k++) {
		vrend_fb_attach(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, &dst->img, dst->z + k);
		clear_color(dst->fmt, 0, c);
	}
	vrend_fb_attach(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, NULL, -1);
	glColorMaski(0, m[0], m[1], m[2], m[3]);
}

/* Depth/stencil between different GL formats, which glBlitFramebuffer
 * refuses: 1:1 boxes only, read back as floats (or packed depth+stencil) and
 * uploaded. Desktop GL 4.5 (DSA uploads into views). False: not possible. */
static bool blit_depth_convert(struct vrend_sub *sub, struct blit_side *src, struct blit_side *dst,
                               GLbitfield bits)
{
	bool dst_ds = dst->fmt->format == GL_DEPTH_STENCIL;
	GLenum fmt = GL_DEPTH_COMPONENT, type = GL_FLOAT;
	size_t bpp = 4;

	if (!vrend_draw_gl_ge(sub, 45, 0) || src->w != dst->w || src->h != dst->h ||
	    src->d != dst->d || src->w <= 0 || src->h <= 0 || src->vr->samples > 1 ||
	    dst->vr->samples > 1)
		return false;
	if (dst_ds || (bits & GL_STENCIL_BUFFER_BIT)) {
		/* Uploads into packed depth/stencil replace both. */
		if (bits != (GL_DEPTH_BUFFER_BIT | GL_STENCIL_BUFFER_BIT) || !dst_ds)
			return false;
		fmt = GL_DEPTH_STENCIL;
		bool f32 = dst->fmt->internal_format == GL_DEPTH32F_STENCIL8;
		type = f32 ? GL_FLOAT_32_UNSIGNED_INT_24_8_REV : GL_UNSIGNED_INT_24_8;
		bpp = f32 ? 8 : 4;
	}
	uint8_t *buf = malloc((size_t)src->w * (size_t)src->h * bpp);
	if (!buf)
		return false;
	GLenum att = fmt == GL_DEPTH_STENCIL || src->fmt->format == GL_DEPTH_STENCIL
	                 ? GL_DEPTH_STENCIL_ATTACHMENT
	                 : GL_DEPTH_ATTACHMENT;
	glBindFramebuffer(GL_READ_FRAMEBUFFER, scratch_fbo(sub, 0));
	glReadBuffer(GL_NONE);
	glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
	glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
	glPixelStorei(GL_PACK_ALIGNMENT, 1);
	glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
	for (int32_t k = 0; k < dst->d; k++) {
		vrend_fb_attach(GL_READ_FRAMEBUFFER, att, &src->img, src->z + k);
		if (glCheckFramebufferStatus(GL_READ_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
			break;
		glReadPixels(src->x, src->y, src->w, src->h, fmt, type, buf);
		const struct vrend_fb_image *d = &dst->img;
		GLint z = (GLint)d->first_layer + dst->z + k;
		switch (d->gl_target) {
		case GL_TEXTURE_1D:
			glTextureSubImage1D(d->gl_name, (GLint)d->level, dst->x, dst->w, fmt, type,
			                    buf);
			break;
		case GL_TEXTURE_2D:
		case GL_TEXTURE_RECTANGLE:
			glTextureSubImage2D(d->gl_name, (GLint)d->level, dst->x, dst->y, dst->w,
			                    dst->h, fmt, type, buf);
			break;
		case GL_TEXTURE_1D_ARRAY:
			glTextureSubImage2D(d->gl_name, (GLint)d->level, dst->x, z, dst->w, 1, fmt,
			                    type, buf);
			break;
		default:
			glTextureSubImage3D(d->gl_name, (GLint)d->level, dst->x, dst->y, z, dst->w,
			                    dst->h, 1, fmt, type, buf);
			break;
		}
	}
	vrend_fb_attach(GL_READ_FRAMEBUFFER, att, NULL, -1);
	free(buf);
	return true;
}

/* Whether a blit side covers its whole level (every layer or slice). */
static bool whole_level(const struct blit_side *bs)
{
	uint32_t w, h, d;

	vgn_level_extent(&bs->res->create, bs->level, &w, &h, &d);
	return bs->x == 0 && bs->y == 0 && bs->z == 0 && bs->w == (int32_t)w &&
	       bs->h == (int32_t)h && bs->d == (int32_t)vrend_fb_res_layers(bs->res, bs->level);
}

/* Mesa generates mipmaps with one whole-level linear blit per level.
 * glBlitFramebuffer cannot average the slices of a 3D texture nor filter
 * depth; such a step (level L to L + 1 of one texture, in its own format) is
 * the texture's glGenerateMipmap over those two levels. */
static bool is_mipmap_step(const struct blit_side *src, const struct blit_side *dst,
                           GLbitfield bits, uint32_t s0)
{
	const struct vrend_resource *vr = src->vr;
	bool depth = bits == GL_DEPTH_BUFFER_BIT && !(vr->fmt->flags & VREND_FMT_STENCIL);
	bool volume =
	    vr->gl_target == GL_TEXTURE_3D && bits == GL_COLOR_BUFFER_BIT && (s0 & 0xf) == 0xf;

	if (src->res != dst->res || dst->level != src->level + 1 || ((s0 >> 8) & 3) != 1 ||
	    (s0 & (1u << 10)) || vr->samples > 1 || vr->gl_target == GL_TEXTURE_RECTANGLE ||
	    src->vfmt != vr->vfmt || dst->vfmt != vr->vfmt)
		return false;
	return (depth || volume) && whole_level(src) && whole_level(dst);
}

static void generate_level(struct vrend_sub *sub, const struct blit_side *src)
{
	GLuint tex = src->vr->gl_name;
	GLint base = 0, max = 1000;

	glGetTextureParameteriv(tex, GL_TEXTURE_BASE_LEVEL, &base);
	glGetTextureParameteriv(tex, GL_TEXTURE_MAX_LEVEL, &max);
	glTextureParameteri(tex, GL_TEXTURE_BASE_LEVEL, (GLint)src->level);
	glTextureParameteri(tex, GL_TEXTURE_MAX_LEVEL, (GLint)src->level + 1);
	glGenerateTextureMipmap(tex);
	glTextureParameteri(tex, GL_TEXTURE_BASE_LEVEL, base);
	glTextureParameteri(tex, GL_TEXTURE_MAX_LEVEL, max);
	vrend_fb_gl_failed(sub, "mipmap level generation");
}

#define DECOMPRESS_MAX_BYTES (64u << 20)

/* A compressed texture cannot be a framebuffer attachment, yet Mesa reads
 * compressed textures back by blitting them 1:1 into a float or plain
 * texture. GL decompresses them on a texture read (RGBA floats), which is
 * uploaded into the destination. Plain, linear formats only; false if this
 * blit is not such a copy. */
static bool blit_decompress(struct vrend_sub *sub, const struct blit_side *src,
                            const struct blit_side *dst)
{
	const uint32_t odd = VREND_FMT_EMULATED | VREND_FMT_SRGB | VREND_FMT_INTEGER |
	                     VREND_FMT_DEPTH | VREND_FMT_STENCIL | VREND_FMT_COMPRESSED;
	uint32_t sw, sh, sd, dw, dh, dd;

	if (!vrend_draw_gl_ge(sub, 45, 0) || src->w != dst->w || src->h != dst->h ||
	    src->d != dst->d || src->w <= 0 || src->h <= 0 || src->d <= 0 ||
	    (src->fmt->flags & (odd & ~VREND_FMT_COMPRESSED)) || (dst->fmt->flags & odd) ||
	    src->fmt->internal_format != src->vr->fmt->internal_format ||
	    dst->fmt->internal_format != dst->vr->fmt->internal_format ||
	    src->vr->gl_target == GL_TEXTURE_1D_ARRAY ||
	    dst->vr->gl_target == GL_TEXTURE_1D_ARRAY || dst->vr->samples > 1)
		return false;
	vgn_level_extent(&src->res->create, src->level, &sw, &sh, &sd);
	vgn_level_extent(&dst->res->create, dst->level, &dw, &dh, &dd);
	if (src->x < 0 || src->y < 0 || dst->x < 0 || dst->y < 0 || (int64_t)src->x + src->w > sw ||
	    (int64_t)src->y + src->h > sh || (int64_t)dst->x + dst->w > dw ||
	    (int64_t)dst->y + dst->h > dh)
		return false;
	uint64_t bytes = (uint64_t)src->w * (uint64_t)src->h * (uint64_t)src->d * 16u;
	if (bytes > DECOMPRESS_MAX_BYTES)
		return false;
	float *buf = malloc((size_t)bytes);
	if (!buf)
		return false;
	glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
	glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
	glPixelStorei(GL_PACK_ALIGNMENT, 4);
	glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
	glGetTextureSubImage(src->vr->gl_name, (GLint)src->level, src->x, src->y, src->z, src->w,
	                     src->h, src->d, GL_RGBA, GL_FLOAT, (GLsizei)bytes, buf);
	GLuint t = dst->vr->gl_name;
	GLint l = (GLint)dst->level;
	switch (dst->vr->gl_target) {
	case GL_TEXTURE_1D:
		glTextureSubImage1D(t, l, dst->x, dst->w, GL_RGBA, GL_FLOAT, buf);
		break;
	case GL_TEXTURE_2D:
	case GL_TEXTURE_RECTANGLE:
		glTextureSubImage2D(t, l, dst->x, dst->y, dst->w, dst->h, GL_RGBA, GL_FLOAT, buf);
		break;
	default: /* 3D, arrays, cube maps (faces are layers) */
		glTextureSubImage3D(t, l, dst->x, dst->y, dst->z, dst->w, dst->h, dst->d, GL_RGBA,
		                    GL_FLOAT, buf);
		break;
	}
	free(buf);
	return !vrend_fb_gl_failed(sub, "compressed blit");
}

/* Why glBlitFramebuffer cannot do this blit, or NULL. */
static const char *blit_unsupported(const struct blit_side *src, const struct blit_side *dst,
                                    GLbitfield bits, uint32_t s0)
{
	if (s0 & (1u << 12))
		return "alpha blending";
	if ((bits & GL_COLOR_BUFFER_BIT) &&
	    (vrend_fb_int_kind(src->fmt) != 0) != (vrend_fb_int_kind(dst->fmt) != 0))
		return "integer <-> non-integer conversion";
	if (dst->vr->samples > 1 && (src->w != dst->w || src->h != dst->h))
		return "scaled blit into multisampled storage";
	/* A virgl channel GL keeps in different places on the two sides would
	 * land in the wrong one (L/A/I emulation). Constant channels (X) are
	 * fine: the destination ignores them or blit_fix_alpha sets them. */
	if (bits & GL_COLOR_BUFFER_BIT) {
		for (int i = 0; i < 4; i++) {
			uint8_t a = src->fmt->swizzle[i], b = dst->fmt->swizzle[i];
			if (a <= VREND_SWZ_A && b <= VREND_SWZ_A && a != b)
				return "channel-emulated formats";
		}
	}
	return NULL;
}

VREND_HANDLER(vrend_cmd_blit)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t s0 = vrend_cmd_get(cmd, 1), smin = vrend_cmd_get(cmd, 2);
	uint32_t smax = vrend_cmd_get(cmd, 3);
	struct blit_side src = {0}, dst = {0};
	int ret = 0;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	int err = blit_side_get(sub, cmd, 4, &dst);
	if (!err)
		err = blit_side_get(sub, cmd, 13, &src);
	if (err == -ENOTSUP) {
		vrend_fb_log(sub, VGN_LOG_WARN,
		             "vrend: blit with a resource without GL storage skipped");
		goto out;
	}
	if (err || dst.w < 0 || dst.h < 0) {
		ret = vrend_decoder_fail(
		    dec, cmd, -EINVAL,
		    "blit res %u level %u (%d,%d,%d %dx%dx%d) -> res %u level %u "
		    "(%d,%d,%d %dx%dx%d): invalid",
		    src.handle, src.level, src.x, src.y, src.z, src.w, src.h, src.d, dst.handle,
		    dst.level, dst.x, dst.y, dst.z, dst.w, dst.h, dst.d);
		goto out;
	}
	GLbitfield bits = blit_bits(s0 & 0xff, src.fmt, dst.fmt);
	if (!bits || !dst.w || !dst.h || !dst.d || !src.w || !src.h || !src.d)
		goto out;
	const char *why = blit_unsupported(&src, &dst, bits, s0);
	if (why) {
		vrend_fb_log(sub, VGN_LOG_WARN, "vrend: blit %s -> %s skipped: %s",
		             vrend_vfmt_name(src.vfmt), vrend_vfmt_name(dst.vfmt), why);
		goto out;
	}
	if (vrend_fb_make_image(sub, src.res, src.vr, src.vfmt, src.level, 0,
	                        vrend_fb_res_layers(src.res, src.level) - 1, &src.img,
	                        &src.owned) ||
	    vrend_fb_make_image(sub, dst.res, dst.vr, dst.vfmt, dst.level, 0,
	                        vrend_fb_res_layers(dst.res, dst.level) - 1, &dst.img,
	                        &dst.owned)) {
		vrend_fb_log(sub, VGN_LOG_WARN,
		             "vrend: blit %s -> %s skipped: formats not viewable",
		             vrend_vfmt_name(src.vfmt), vrend_vfmt_name(dst.vfmt));
		goto out;
	}
	bool linear =
	    ((s0 >> 8) & 3) == 1 && bits == GL_COLOR_BUFFER_BIT && !vrend_fb_int_kind(src.fmt);
	GLint box[4] = {(GLint)(smin & 0xffff), (GLint)(smin >> 16),
	                (GLint)(smax & 0xffff) - (GLint)(smin & 0xffff),
	                (GLint)(smax >> 16) - (GLint)(smin >> 16)};
	bool scissor = s0 & (1u << 10);
	if (box[2] < 0 || box[3] < 0)
		box[2] = box[3] = 0;
	struct saved_state saved;
	neutralise(sub, &saved, 0, false, false, scissor ? box : NULL);
	if (!(s0 & (1u << 11)))
		vrend_query_cond_pause(sub);
	vrend_fb_srgb(sub);
	vrend_fb_gl_drain();
	if (is_mipmap_step(&src, &dst, bits, s0)) {
		generate_level(sub, &src);
	} else if (src.fmt->flags & VREND_FMT_COMPRESSED) {
		if (!blit_decompress(sub, &src, &dst))
			vrend_fb_log(sub, VGN_LOG_WARN,
			             "vrend: blit %s -> %s skipped: compressed source, not a 1:1 "
			             "copy into a plain format",
			             vrend_vfmt_name(src.vfmt), vrend_vfmt_name(dst.vfmt));
	} else if (!(bits & GL_COLOR_BUFFER_BIT) &&
	           src.fmt->internal_format != dst.fmt->internal_format) {
		if (!blit_depth_convert(sub, &src, &dst, bits))
			vrend_fb_log(sub, VGN_LOG_WARN,
			             "vrend: blit %s -> %s skipped: depth conversion",
			             vrend_vfmt_name(src.vfmt), vrend_vfmt_name(dst.vfmt));
	} else {
		run_blit(sub, &src, &dst, bits, linear ? GL_LINEAR : GL_NEAREST);
	}
	if ((bits & GL_COLOR_BUFFER_BIT) && src.fmt->swizzle[3] == VREND_SWZ_1 &&
	    dst.fmt->swizzle[3] == VREND_SWZ_A)
		blit_fix_alpha(sub, &dst, scissor ? box : NULL);
	if (!(s0 & (1u << 11)))
		vrend_query_cond_resume(sub);
	restore(&saved);
	GLenum glerr = glGetError();
	if (glerr != GL_NO_ERROR) {
		vrend_fb_gl_drain();
		vrend_fb_log(
		    sub, VGN_LOG_WARN,
		    "vrend: blit %s (%u samples) -> %s (%u samples) bits 0x%x filter %u: GL "
		    "error 0x%x",
		    vrend_vfmt_name(src.vfmt), src.vr->samples, vrend_vfmt_name(dst.vfmt),
		    dst.vr->samples, bits, (s0 >> 8) & 3, glerr);
	}
out:
	blit_side_put(&src);
	blit_side_put(&dst);
	return ret;
}
