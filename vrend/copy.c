/* SPDX-License-Identifier: MIT */
/*
 * RESOURCE_COPY_REGION (virgl-protocol.md §3.5): bytes between buffers
 * (glCopyBufferSubData), texels between textures (glCopyImageSubData, which
 * also covers compressed <-> uncompressed copies of equal block size).
 */
#include <epoxy/gl.h>
#include <errno.h>

#include "fb_internal.h"
#include "format.h"
#include "resource.h"
#include "transfer.h"

static int copy_buffers(struct vrend_sub *sub, struct vgn_resource *dres,
                        const struct vrend_resource *dvr, uint32_t dx, struct vgn_resource *sres,
                        const struct vrend_resource *svr, uint32_t sx, uint32_t w)
{
	if ((uint64_t)sx + w > sres->create.width || (uint64_t)dx + w > dres->create.width)
		return -EINVAL;
	if (!w)
		return 0;
	if (dvr == svr && (uint64_t)sx < (uint64_t)dx + w && (uint64_t)dx < (uint64_t)sx + w) {
		/* GL refuses overlapping ranges; Gallium leaves them undefined. */
		vrend_fb_log(sub, VGN_LOG_WARN, "vrend: overlapping buffer copy skipped");
		return 0;
	}
	glBindBuffer(GL_COPY_READ_BUFFER, svr->gl_name);
	glBindBuffer(GL_COPY_WRITE_BUFFER, dvr->gl_name);
	glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, sx, dx, w);
	glBindBuffer(GL_COPY_READ_BUFFER, 0);
	glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
	vrend_fb_gl_failed(sub, "buffer copy");
	return 0;
}

static uint32_t round_up(uint32_t v, uint32_t b)
{
	return vgn_nblocks(v, b) * b;
}

/* b: src x, y, z, w, h, d; d: dst x, y, z. */
static int copy_textures(struct vrend_sub *sub, struct vgn_resource *dres,
                         const struct vrend_resource *dvr, uint32_t dlevel, const uint32_t *d,
                         struct vgn_resource *sres, const struct vrend_resource *svr,
                         uint32_t slevel, const uint32_t *b)
{
	const struct vrend_format *sf = svr->fmt, *df = dvr->fmt;
	uint32_t lw, lh, ls;

	if (slevel >= svr->levels || dlevel >= dvr->levels)
		return -EINVAL;
	if (!vrend_fb_box_inside(sres, slevel, b[0], b[1], b[2], b[3], b[4], b[5]))
		return -EINVAL;
	if (sf->block_bytes != df->block_bytes || (svr->samples > 1) != (dvr->samples > 1) ||
	    (svr->samples > 1 && svr->samples != dvr->samples))
		return -EINVAL; /* not copy-compatible */
	if (b[0] % sf->block_w || b[1] % sf->block_h || d[0] % df->block_w || d[1] % df->block_h)
		return -EINVAL;
	/* The destination region in its own texels, whole blocks. */
	uint64_t dw = (uint64_t)vgn_nblocks(b[3], sf->block_w) * df->block_w;
	uint64_t dh = (uint64_t)vgn_nblocks(b[4], sf->block_h) * df->block_h;
	vgn_level_extent(&dres->create, dlevel, &lw, &lh, &ls);
	if (d[0] + dw > round_up(lw, df->block_w) || d[1] + dh > round_up(lh, df->block_h) ||
	    (uint64_t)d[2] + b[5] > ls)
		return -EINVAL;
	if (!b[3] || !b[4] || !b[5])
		return 0;
	if ((sf->flags | df->flags) & (VREND_FMT_DEPTH | VREND_FMT_STENCIL) &&
	    sf->internal_format != df->internal_format) {
		vrend_fb_log(sub, VGN_LOG_WARN,
		             "vrend: copy %s -> %s skipped: depth formats differ",
		             vrend_vfmt_name(svr->vfmt), vrend_vfmt_name(dvr->vfmt));
		return 0;
	}
	if (!(vrend_draw_gl_ge(sub, 43, 0) || vrend_draw_gl_has_ext(sub, "GL_ARB_copy_image"))) {
		vrend_fb_log(sub, VGN_LOG_WARN, "vrend: no glCopyImageSubData: copy skipped");
		return 0;
	}
	/* glCopyImageSubData takes Gallium's box as is: it selects the layers of
	 * every array target, 1D arrays included, with z (not y as other GL
	 * calls do for 1D arrays). */
	vrend_fb_gl_drain();
	glCopyImageSubData(svr->gl_name, svr->gl_target, (GLint)slevel, (GLint)b[0], (GLint)b[1],
	                   (GLint)b[2], dvr->gl_name, dvr->gl_target, (GLint)dlevel, (GLint)d[0],
	                   (GLint)d[1], (GLint)d[2], (GLsizei)b[3], (GLsizei)b[4], (GLsizei)b[5]);
	vrend_fb_gl_failed(sub, "texture copy");
	return 0;
}

VREND_HANDLER(vrend_cmd_resource_copy_region)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t dh = vrend_cmd_get(cmd, 1), dlevel = vrend_cmd_get(cmd, 2), d[3], b[6];
	uint32_t sh = vrend_cmd_get(cmd, 6), slevel = vrend_cmd_get(cmd, 7);
	struct vgn_resource *dres = NULL, *sres = NULL;
	struct vrend_resource *dvr = NULL, *svr = NULL;
	int ret;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	for (int i = 0; i < 3; i++)
		d[i] = vrend_cmd_get(cmd, 3 + i);
	for (int i = 0; i < 6; i++)
		b[i] = vrend_cmd_get(cmd, 8 + i);
	ret = vrend_fb_get_resource(sub, dh, &dres, &dvr);
	if (!ret)
		ret = vrend_fb_get_resource(sub, sh, &sres, &svr);
	if (ret == -ENOTSUP) {
		vrend_fb_log(sub, VGN_LOG_WARN,
		             "vrend: copy with a resource without GL storage skipped");
		ret = 0;
	} else if (ret) {
		ret = -EINVAL;
	} else if (dvr->is_buffer != svr->is_buffer) {
		ret = -EINVAL;
	} else if (dvr->is_buffer) {
		ret = b[1] || b[2] || b[4] != 1 || b[5] != 1 || d[1] || d[2]
		          ? -EINVAL
		          : copy_buffers(sub, dres, dvr, d[0], sres, svr, b[0], b[3]);
	} else {
		ret = copy_textures(sub, dres, dvr, dlevel, d, sres, svr, slevel, b);
	}
	if (dres)
		vgn_resource_put(dres);
	if (sres)
		vgn_resource_put(sres);
	if (ret)
		return vrend_decoder_fail(
		    dec, cmd, ret,
		    "copy res %u level %u box %u,%u,%u %ux%ux%u -> res %u level "
		    "%u at %u,%u,%u: invalid",
		    sh, slevel, b[0], b[1], b[2], b[3], b[4], b[5], dh, dlevel, d[0], d[1], d[2]);
	return 0;
}
