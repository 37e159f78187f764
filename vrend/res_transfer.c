/* SPDX-License-Identifier: MIT */
/*
 * Transfers between the guest backing and the GL objects, for a plan the core
 * validated (virgl-protocol.md section 8). No flipping: guest memory row 0 is
 * texel row y = 0 of the GL image, the convention section 12.1 asks for.
 *
 * The box's bytes reach GL either straight from/to guest memory (one iovec
 * element holds the whole span, no conversion, rows a whole number of texels:
 * GL_*_ROW_LENGTH = stride / block size), or through a tight staging copy
 * (scattered iovecs, compressed formats, depth/stencil conversions). Either way
 * GL is called once per slice (3D depth slice, array layer, cube face; 1D_ARRAY
 * layers are GL rows), split further by rows only when a slice's span does not
 * fit in a GLsizei.
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "format.h"
#include "iov.h"
#include "res_gl.h"
#include "res_internal.h"
#include "res_pack.h"
#include "res_transfer.h"
#include "resource.h"
#include "stats.h"
#include "transfer.h"

struct xfer {
	struct vrend_res_state *st;
	const struct vrend_resource *vr;
	const struct vgn_transfer_plan *plan;
	uint8_t *base;        /* host address of the box origin */
	uint64_t row_pitch;   /* bytes between block rows at base */
	uint64_t image_pitch; /* bytes between slices at base */
	GLenum attachment;    /* FBO readback */
	uint32_t *fbo;        /* readback framebuffer of the current context */
	struct vrend_res_stats *stats;
	enum vgn_xfer_kind kind; /* out: how the bytes moved (the core's counters) */
	bool in_stream;          /* on a rendering context: keep its bindings, no flush */
};

/* One GL call: part of one slice. */
struct chunk {
	uint32_t slice; /* box.z + s: depth slice, layer, cube face, 1D_ARRAY layer */
	uint32_t y, h;  /* texel rows */
	uint8_t *ptr;
	size_t bytes; /* span of the rows at ptr */
};

typedef int (*chunk_fn)(struct xfer *x, const struct chunk *c);

static int for_each_chunk(struct xfer *x, chunk_fn fn)
{
	const struct vgn_transfer_plan *plan = x->plan;
	const struct vgn_box *b = &plan->box;
	uint64_t max_rows = 1;

	if (plan->row_bytes > INT32_MAX || !plan->rows)
		return -EINVAL;
	if (x->row_pitch)
		max_rows += (INT32_MAX - plan->row_bytes) / x->row_pitch;
	for (uint32_t s = 0; s < b->d; s++) {
		uint64_t slice_off;
		if (__builtin_mul_overflow((uint64_t)s, x->image_pitch, &slice_off))
			return -EINVAL;
		for (uint32_t r0 = 0; r0 < plan->rows;) {
			uint64_t n = plan->rows - r0 < max_rows ? plan->rows - r0 : max_rows;
			uint64_t y0 = (uint64_t)r0 * plan->block_h, rows_off, span;
			if (__builtin_mul_overflow((uint64_t)r0, x->row_pitch, &rows_off) ||
			    __builtin_mul_overflow(n - 1, x->row_pitch, &span) ||
			    __builtin_add_overflow(span, plan->row_bytes, &span) ||
			    __builtin_add_overflow(rows_off, slice_off, &rows_off))
				return -EINVAL;
			uint64_t h = n * plan->block_h;
			struct chunk c = {
			    .slice = b->z + s,
			    .y = (uint32_t)(b->y + y0),
			    .h = (uint32_t)(b->h - y0 < h ? b->h - y0 : h),
			    .ptr = x->base + rows_off,
			    .bytes = (size_t)span,
			};
			int ret = fn(x, &c);
			if (ret)
				return ret;
			r0 += (uint32_t)n;
		}
	}
	return 0;
}

/* GL y, z and height of a chunk for the image-addressed calls (glGet*SubImage,
 * glTexSubImage3D): 1D_ARRAY layers are rows, cube faces and layers are z. */
static void gl_yzh(GLenum t, const struct chunk *c, GLint *y, GLint *z, GLsizei *h)
{
	*y = (GLint)c->y;
	*z = (GLint)c->slice;
	*h = (GLsizei)c->h;
	switch (t) {
	case GL_TEXTURE_1D:
		*y = *z = 0;
		*h = 1;
		break;
	case GL_TEXTURE_1D_ARRAY:
		*y = (GLint)c->slice;
		*z = 0;
		*h = 1;
		break;
	case GL_TEXTURE_2D:
	case GL_TEXTURE_RECTANGLE:
		*z = 0;
		break;
	default:
		break;
	}
}

static int upload_chunk(struct xfer *x, const struct chunk *c)
{
	const struct vrend_format *f = x->vr->fmt;
	const struct vgn_box *b = &x->plan->box;
	GLenum t = x->vr->gl_target;
	GLint lvl = (GLint)x->plan->level, bx = (GLint)b->x, y, z;
	GLsizei w = (GLsizei)b->w, h;
	bool compressed = f->flags & VREND_FMT_COMPRESSED;

	gl_yzh(t, c, &y, &z, &h);
	switch (t) {
	case GL_TEXTURE_1D:
		glTexSubImage1D(t, lvl, bx, w, f->format, f->type, c->ptr);
		break;
	case GL_TEXTURE_1D_ARRAY:
	case GL_TEXTURE_2D:
	case GL_TEXTURE_RECTANGLE:
	case GL_TEXTURE_CUBE_MAP: {
		GLenum target =
		    t == GL_TEXTURE_CUBE_MAP ? GL_TEXTURE_CUBE_MAP_POSITIVE_X + c->slice : t;
		if (compressed)
			glCompressedTexSubImage2D(target, lvl, bx, y, w, h, f->internal_format,
			                          (GLsizei)c->bytes, c->ptr);
		else
			glTexSubImage2D(target, lvl, bx, y, w, h, f->format, f->type, c->ptr);
		break;
	}
	default: /* 3D, 2D_ARRAY, CUBE_ARRAY */
		if (compressed)
			glCompressedTexSubImage3D(t, lvl, bx, y, z, w, h, 1, f->internal_format,
			                          (GLsizei)c->bytes, c->ptr);
		else
			glTexSubImage3D(t, lvl, bx, y, z, w, h, 1, f->format, f->type, c->ptr);
		break;
	}
	return 0;
}

static int read_chunk_dsa(struct xfer *x, const struct chunk *c)
{
	const struct vrend_format *f = x->vr->fmt;
	const struct vgn_box *b = &x->plan->box;
	GLint y, z;
	GLsizei h;

	gl_yzh(x->vr->gl_target, c, &y, &z, &h);
	if (f->flags & VREND_FMT_COMPRESSED)
		glGetCompressedTextureSubImage(x->vr->gl_name, (GLint)x->plan->level, (GLint)b->x,
		                               y, z, (GLsizei)b->w, h, 1, (GLsizei)c->bytes,
		                               c->ptr);
	else
		glGetTextureSubImage(x->vr->gl_name, (GLint)x->plan->level, (GLint)b->x, y, z,
		                     (GLsizei)b->w, h, 1, f->format, f->type, (GLsizei)c->bytes,
		                     c->ptr);
	return 0;
}

static void fbo_attach(struct xfer *x, uint32_t slice, GLuint name)
{
	GLenum t = x->vr->gl_target, a = x->attachment;
	GLint lvl = (GLint)x->plan->level;

	switch (t) {
	case GL_TEXTURE_1D:
		glFramebufferTexture1D(GL_READ_FRAMEBUFFER, a, t, name, lvl);
		break;
	case GL_TEXTURE_2D:
	case GL_TEXTURE_RECTANGLE:
		glFramebufferTexture2D(GL_READ_FRAMEBUFFER, a, t, name, lvl);
		break;
	case GL_TEXTURE_CUBE_MAP:
		glFramebufferTexture2D(GL_READ_FRAMEBUFFER, a,
		                       GL_TEXTURE_CUBE_MAP_POSITIVE_X + slice, name, lvl);
		break;
	default: /* 3D, arrays, 1D_ARRAY: one layer */
		glFramebufferTextureLayer(GL_READ_FRAMEBUFFER, a, name, lvl, (GLint)slice);
		break;
	}
}

static int read_chunk_fbo(struct xfer *x, const struct chunk *c)
{
	const struct vrend_format *f = x->vr->fmt;
	const struct vgn_box *b = &x->plan->box;
	GLint y = (GLint)c->y;
	GLsizei h = (GLsizei)c->h;

	if (x->vr->gl_target == GL_TEXTURE_1D || x->vr->gl_target == GL_TEXTURE_1D_ARRAY) {
		y = 0; /* one layer attached: a one-row image */
		h = 1;
	}
	fbo_attach(x, c->slice, x->vr->gl_name);
	GLenum status = glCheckFramebufferStatus(GL_READ_FRAMEBUFFER);
	if (status == GL_FRAMEBUFFER_COMPLETE)
		glReadPixels((GLint)b->x, y, (GLsizei)b->w, h, f->format, f->type, c->ptr);
	fbo_attach(x, c->slice, 0);
	if (status != GL_FRAMEBUFFER_COMPLETE) {
		vrend_res_log(x->st, VGN_LOG_WARN,
		              "vrend resource: %s level %u cannot be read through a framebuffer "
		              "(status 0x%x)",
		              vrend_vfmt_name(x->vr->vfmt), x->plan->level, status);
		return -ENOTSUP;
	}
	return 0;
}

static GLenum attachment_of(const struct vrend_format *f)
{
	switch (f->format) {
	case GL_DEPTH_STENCIL:
		return GL_DEPTH_STENCIL_ATTACHMENT;
	case GL_DEPTH_COMPONENT:
		return GL_DEPTH_ATTACHMENT;
	case GL_STENCIL_INDEX:
		return GL_STENCIL_ATTACHMENT;
	default:
		return GL_COLOR_ATTACHMENT0;
	}
}

static int readback_fbo(struct xfer *x)
{
	struct vrend_res_state *st = x->st;

	x->attachment = attachment_of(x->vr->fmt);
	if (x->vr->fmt->flags & VREND_FMT_COMPRESSED)
		return -ENOTSUP; /* compressed data needs glGetCompressedTextureSubImage */
	if (st->gles && x->attachment != GL_COLOR_ATTACHMENT0)
		return -ENOTSUP; /* GLES reads only colour buffers */
	GLint old_fbo = 0;
	if (!*x->fbo) {
		GLuint fbo = 0;
		glGenFramebuffers(1, &fbo);
		*x->fbo = fbo;
	}
	if (x->in_stream)
		glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &old_fbo);
	glBindFramebuffer(GL_READ_FRAMEBUFFER, *x->fbo);
	glReadBuffer(x->attachment == GL_COLOR_ATTACHMENT0 ? GL_COLOR_ATTACHMENT0 : GL_NONE);
	int ret = for_each_chunk(x, read_chunk_fbo);
	glBindFramebuffer(GL_READ_FRAMEBUFFER, (GLuint)old_fbo);
	x->stats->fbo_readbacks++;
	return ret;
}

/* Guest memory GL may use as is, or NULL (then a tight staging copy is used). */
static uint8_t *direct_ptr(const struct vrend_res_state *st, const struct vrend_resource *vr,
                           const struct vgn_transfer_plan *plan)
{
	uint64_t bb = plan->block_bytes;
	uint64_t align = bb & (~bb + 1); /* lowest set bit: the GL type's size, at most */

	if ((st->debug_flags & VREND_RES_DEBUG_NO_DIRECT) || vr->conv != VREND_CONV_NONE ||
	    (vr->fmt->flags & VREND_FMT_COMPRESSED) || !bb)
		return NULL;
	if (align > 4)
		align = 4;
	if (plan->stride % bb || plan->stride / bb > INT32_MAX)
		return NULL;
	uint8_t *p = vrend_res_contiguous(plan);
	if (!p ||
	    ((uintptr_t)p | plan->stride | (plan->box.d > 1 ? plan->layer_stride : 0)) % align)
		return NULL;
	return p;
}

/* The texture binding query of a target, for restoring a rendering context's
 * binding after an in-stream upload. */
static GLenum binding_of(GLenum target)
{
	static const struct {
		GLenum target, binding;
	} map[] = {
	    {GL_TEXTURE_1D, GL_TEXTURE_BINDING_1D},
	    {GL_TEXTURE_1D_ARRAY, GL_TEXTURE_BINDING_1D_ARRAY},
	    {GL_TEXTURE_2D, GL_TEXTURE_BINDING_2D},
	    {GL_TEXTURE_2D_ARRAY, GL_TEXTURE_BINDING_2D_ARRAY},
	    {GL_TEXTURE_RECTANGLE, GL_TEXTURE_BINDING_RECTANGLE},
	    {GL_TEXTURE_3D, GL_TEXTURE_BINDING_3D},
	    {GL_TEXTURE_CUBE_MAP, GL_TEXTURE_BINDING_CUBE_MAP},
	    {GL_TEXTURE_CUBE_MAP_ARRAY, GL_TEXTURE_BINDING_CUBE_MAP_ARRAY},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].target == target)
			return map[i].binding;
	}
	return 0;
}

static int tex_transfer(struct xfer *xp)
{
	struct xfer x = *xp;
	struct vrend_res_state *st = x.st;
	const struct vrend_resource *vr = x.vr;
	const struct vgn_transfer_plan *plan = x.plan;
	bool fbo = !plan->to_host &&
	           (!st->dsa_readback || (st->debug_flags & VREND_RES_DEBUG_FBO_READBACK));
	uint8_t *staging = NULL;
	int ret;

	x.base = direct_ptr(st, vr, plan);
	if (x.base) {
		x.row_pitch = plan->stride;
		x.image_pitch = plan->layer_stride;
		x.stats->direct_copies++;
		xp->kind = VGN_XFER_DIRECT;
	} else {
		size_t size;
		ret = vrend_res_tight_size(plan, &size);
		if (ret)
			return ret;
		/* Zeroed for readbacks: bits GL leaves undefined (the X24 of
		 * Z32_FLOAT_S8X24) must not carry old host memory to the guest. */
		staging = plan->to_host ? malloc(size) : calloc(1, size);
		if (!staging)
			return -ENOMEM;
		if (plan->to_host) {
			ret = vrend_res_gather(plan, staging);
			if (ret)
				goto out;
			vrend_res_conv_to_gl(vr->conv, staging, size);
		}
		x.base = staging;
		x.row_pitch = plan->row_bytes;
		x.image_pitch = plan->row_bytes * plan->rows; /* <= size */
		x.stats->staged_copies++;
	}

	/* Whole texels per row on the direct path; tight rows otherwise. */
	GLint row_length = x.base == staging ? 0 : (GLint)(plan->stride / plan->block_bytes);
	if (plan->to_host) {
		GLint old_tex = 0;
		GLenum binding = binding_of(vr->gl_target);
		if (x.in_stream && binding)
			glGetIntegerv(binding, &old_tex);
		glPixelStorei(GL_UNPACK_ROW_LENGTH, row_length);
		glBindTexture(vr->gl_target, vr->gl_name);
		ret = for_each_chunk(&x, upload_chunk);
		glBindTexture(vr->gl_target, (GLuint)old_tex);
		glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
		/* Other contexts of the platform see the data once they rebind. */
		if (!x.in_stream)
			glFlush();
	} else {
		glPixelStorei(GL_PACK_ROW_LENGTH, row_length);
		if (fbo) {
			ret = readback_fbo(&x);
		} else {
			ret = for_each_chunk(&x, read_chunk_dsa);
			x.stats->dsa_readbacks++;
		}
		glPixelStorei(GL_PACK_ROW_LENGTH, 0);
	}
	int gl_ret = vrend_res_gl_check(st, plan->to_host ? "texture upload" : "texture readback",
	                                fbo ? -ENOTSUP : -EIO);
	if (!ret)
		ret = gl_ret;
	if (!ret && staging && !plan->to_host) {
		vrend_res_conv_from_gl(vr->conv, staging, (size_t)(x.image_pitch * plan->box.d));
		ret = vrend_res_scatter(plan, staging);
	}
out:
	free(staging);
	return ret;
}

static int buffer_transfer(struct xfer *xp)
{
	struct xfer x = *xp;
	struct vrend_res_state *st = x.st;
	const struct vrend_resource *vr = x.vr;
	const struct vgn_transfer_plan *plan = x.plan;
	const GLenum t = GL_COPY_WRITE_BUFFER;
	GLintptr at = (GLintptr)plan->box.x;
	GLsizeiptr len = (GLsizeiptr)plan->row_bytes; /* = box.w bytes */
	uint8_t *direct = NULL;
	int ret = 0;

	if (plan->to_host && !(st->debug_flags & VREND_RES_DEBUG_NO_DIRECT))
		direct = vrend_res_contiguous(plan);
	glBindBuffer(t, vr->gl_name);
	if (direct) {
		glBufferSubData(t, at, len, direct);
		x.stats->direct_copies++;
		xp->kind = VGN_XFER_DIRECT;
	} else {
		GLbitfield access = plan->to_host ? GL_MAP_WRITE_BIT | GL_MAP_INVALIDATE_RANGE_BIT
		                                  : GL_MAP_READ_BIT;
		void *map = glMapBufferRange(t, at, len, access);
		if (!map) {
			ret = -EIO;
		} else {
			if (plan->to_host)
				ret = vgn_iov_to_buf(plan->iov, plan->num_iovs, plan->offset, map,
				                     (size_t)len);
			else
				ret = vgn_iov_from_buf(plan->iov, plan->num_iovs, plan->offset, map,
				                       (size_t)len);
			if (!glUnmapBuffer(t) && !ret)
				ret = -EIO; /* contents lost (video memory reset) */
		}
		x.stats->staged_copies++;
	}
	glBindBuffer(t, 0);
	if (plan->to_host && !x.in_stream)
		glFlush();
	int gl_ret =
	    vrend_res_gl_check(st, plan->to_host ? "buffer upload" : "buffer readback", -EIO);
	return ret ? ret : gl_ret;
}

int vrend_res_zero_texture(struct vrend_res_state *st, const struct vrend_resource *vr,
                           const struct vgn_resource_create_params *p)
{
	const struct vrend_format *f = vr->fmt;
	bool compressed = f->flags & VREND_FMT_COMPRESSED;

	if (st->clear_texture && !compressed) {
		for (uint32_t level = 0; level < vr->levels; level++)
			glClearTexImage(vr->gl_name, (GLint)level, f->format, f->type, NULL);
		return 0;
	}
	if (vr->samples > 1)
		return 0; /* no uploads into multisampled storage; rendered before use */

	/* Upload zeros level by level, one zeroed slice reused for every slice. */
	uint8_t *zeros = NULL;
	int ret = 0;
	glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
	glBindTexture(vr->gl_target, vr->gl_name);
	for (uint32_t level = 0; level < vr->levels && !ret; level++) {
		uint32_t w, h, slices;
		vgn_level_extent(p, level, &w, &h, &slices);
		struct vgn_transfer_plan plan = {
		    .to_host = true,
		    .level = level,
		    .box = {0, 0, 0, w, h, slices},
		    .block_w = f->block_w,
		    .block_h = f->block_h,
		    .block_bytes = f->block_bytes,
		    .row_bytes = (uint64_t)vgn_nblocks(w, f->block_w) * f->block_bytes,
		    .rows = vgn_nblocks(h, f->block_h),
		};
		if (level == 0) { /* the largest slice */
			uint64_t bytes;
			if (__builtin_mul_overflow(plan.row_bytes, (uint64_t)plan.rows, &bytes) ||
			    bytes > SIZE_MAX || !(zeros = calloc(1, (size_t)bytes))) {
				ret = -ENOMEM;
				break;
			}
		}
		struct xfer x = {.st = st,
		                 .vr = vr,
		                 .plan = &plan,
		                 .base = zeros,
		                 .row_pitch = plan.row_bytes,
		                 .image_pitch = 0};
		ret = for_each_chunk(&x, upload_chunk);
	}
	glBindTexture(vr->gl_target, 0);
	free(zeros);
	return ret;
}

int vrend_resource_transfer(struct vgn_backend *b, struct vgn_resource *res,
                            const struct vgn_transfer_plan *plan)
{
	struct vrend_res_state *st = vrend_res_state_of(b);
	struct vrend_resource *vr = res->backend_data;

	if (!vr || !plan || vr->samples > 1 || plan->level >= vr->levels)
		return -EINVAL; /* the core's validator rules these out already */
	int ret = vrend_res_enter(st);
	if (ret)
		return ret;
	ret = vrend_resource_materialize(st, vr);
	if (ret) {
		vrend_res_leave(st);
		return ret;
	}
	struct xfer x = {.st = st, .vr = vr, .plan = plan, .fbo = &st->fbo, .stats = &st->stats};
	ret = vr->is_buffer ? buffer_transfer(&x) : tex_transfer(&x);
	vrend_res_leave(st);
	res->xfer_kind = x.kind; /* res->lock held: the core counts it */
	if (ret)
		vrend_res_log(st, VGN_LOG_DEBUG,
		              "vrend resource: transfer %s %s level %u box %u,%u,%u %ux%ux%u: %d",
		              plan->to_host ? "to host" : "from host", vrend_vfmt_name(vr->vfmt),
		              plan->level, plan->box.x, plan->box.y, plan->box.z, plan->box.w,
		              plan->box.h, plan->box.d, ret);
	return ret;
}

int vrend_res_transfer_here(struct vrend_res_state *st, const struct vrend_resource *vr,
                            const struct vgn_transfer_plan *plan, uint32_t *fbo)
{
	if (!st || !vr || !plan || !fbo || vr->samples > 1 || plan->level >= vr->levels)
		return -EINVAL;
	/* The sub-context may have its own pixel-store state: transfers need tight
	 * byte rows and no pixel buffer objects. */
	glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
	glPixelStorei(GL_PACK_ALIGNMENT, 1);
	glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
	glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
	/* Counted in the instance's stats like resource transfers (the caller holds
	 * the instance lock that guards them): xfer.c reads direct_copies to tell the
	 * core's counters how the bytes moved. */
	struct xfer x = {
	    .st = st, .vr = vr, .plan = plan, .fbo = fbo, .stats = &st->stats, .in_stream = true};
	return vr->is_buffer ? buffer_transfer(&x) : tex_transfer(&x);
}
