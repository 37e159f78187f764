/* SPDX-License-Identifier: MIT */
/*
 * Transfers inside the command stream (virgl-protocol.md §3.6, §8):
 * RESOURCE_INLINE_WRITE (data in the command), TRANSFER3D (the resource's own
 * guest backing) and COPY_TRANSFER3D (a staging buffer's guest backing).
 *
 * Every box and stride goes through the core's validator
 * (vgn_transfer_validate) against the memory that holds the data; the GL part
 * of res_transfer.c then runs on the sub-context's GL context, in order with
 * the commands around it. The guest memory is read or written under the
 * backing lock of the resource that owns it (a core leaf lock: handlers run
 * under the instance lock, so res->lock itself would invert the lock order).
 */
#include <errno.h>

#include "fb_internal.h"
#include "res_transfer.h"
#include "resource.h"
#include "stats.h"
#include "transfer.h"

#define DIR_TO_HOST 1
#define DIR_FROM_HOST 2
#define COPY_FLAG_READ_FROM_HOST 2u

/* Payload dwords 1..11 of TRANSFER3D / COPY_TRANSFER3D / INLINE_WRITE:
 * resource, level, usage, stride, layer_stride, box. */
static void parse_transfer(struct vrend_cmd *cmd, uint32_t *handle, struct vgn_transfer *t)
{
	*handle = vrend_cmd_get(cmd, 1);
	*t = (struct vgn_transfer){
	    .size = sizeof(*t),
	    .level = vrend_cmd_get(cmd, 2),
	    .stride = vrend_cmd_get(cmd, 4),
	    .layer_stride = vrend_cmd_get(cmd, 5),
	    .box = {vrend_cmd_get(cmd, 6), vrend_cmd_get(cmd, 7), vrend_cmd_get(cmd, 8),
	            vrend_cmd_get(cmd, 9), vrend_cmd_get(cmd, 10), vrend_cmd_get(cmd, 11)},
	};
}

/* Validates t for res against the memory (iov, num, total) and runs it here. */
static int run(struct vrend_sub *sub, struct vgn_resource *res, const struct vrend_resource *vr,
               const struct vgn_transfer *t, bool to_host, const struct iovec *iov, uint32_t num,
               uint64_t total)
{
	struct vgn_transfer_plan plan;

	if (!res->format)
		return -ENOTSUP; /* blobs have no box layout (but HOST3D_GUEST ones) */
	int ret = vgn_transfer_validate(res, t, to_host, iov, num, total, &plan);
	if (ret)
		return ret;
	vrend_fb_gl_drain();
	/* The instance counts a direct (in place) transfer in direct_copies: its
	 * growth says how this one moved its bytes, for the renderer's counters. */
	struct vrend_res_state *st = vrend_ctx_res_state(sub->ctx);
	struct vrend_res_stats before, after;
	vrend_res_get_stats(st, &before);
	ret = vrend_res_transfer_here(st, vr, &plan, &sub->fb->xfer_fbo);
	vrend_res_get_stats(st, &after);
	if (!ret)
		vgn_stats_transfer(res->renderer, vgn_stats_plan_bytes(&plan),
		                   after.direct_copies != before.direct_copies ? VGN_XFER_DIRECT
		                                                               : VGN_XFER_STAGED);
	return ret;
}

static int fail_transfer(struct vrend_decoder *dec, struct vrend_cmd *cmd, int ret, uint32_t handle,
                         const struct vgn_transfer *t)
{
	if (ret != -EINVAL) {
		/* Host trouble (-ENOTSUP, -EIO, -ENOMEM), not the guest's fault: the
		 * data is lost, the context goes on. */
		vrend_log(vrend_ctx_logger(vrend_ctx_of(dec)), VGN_LOG_WARN,
		          "vrend: transfer res %u level %u failed on the host: %d", handle,
		          t->level, ret);
		return 0;
	}
	return vrend_decoder_fail(dec, cmd, ret,
	                          "transfer res %u level %u box %u,%u,%u %ux%ux%u stride %u/%u: "
	                          "invalid",
	                          handle, t->level, t->box.x, t->box.y, t->box.z, t->box.w,
	                          t->box.h, t->box.d, t->stride, t->layer_stride);
}

VREND_HANDLER(vrend_cmd_resource_inline_write)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	struct vgn_transfer t;
	struct vgn_resource *res;
	struct vrend_resource *vr;
	uint32_t handle;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	parse_transfer(cmd, &handle, &t);
	uint32_t ndw = cmd->len - 11; /* the table guarantees len >= 12 */
	const uint32_t *data = vrend_cmd_span(cmd, 12, ndw);
	if (!data)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "inline write: no data");
	int err = vrend_fb_get_resource(sub, handle, &res, &vr);
	if (err)
		return fail_transfer(dec, cmd, err, handle, &t);
	/* The command's own bytes are the guest memory: the validator checks the
	 * box, strides and span against their count. GL only reads them. */
	struct iovec iov = {.iov_base = (void *)(uintptr_t)data, .iov_len = (size_t)ndw * 4};
	int ret = run(sub, res, vr, &t, true, &iov, 1, (uint64_t)ndw * 4);
	vgn_resource_put(res);
	return ret ? fail_transfer(dec, cmd, ret, handle, &t) : 0;
}

VREND_HANDLER(vrend_cmd_transfer3d)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t dir = vrend_cmd_get(cmd, 13);
	struct vgn_transfer t;
	struct vgn_resource *res;
	struct vrend_resource *vr;
	uint32_t handle;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	parse_transfer(cmd, &handle, &t);
	t.offset = vrend_cmd_get(cmd, 12);
	if (dir != DIR_TO_HOST && dir != DIR_FROM_HOST)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "transfer direction %u", dir);
	int err = vrend_fb_get_resource(sub, handle, &res, &vr);
	if (err)
		return fail_transfer(dec, cmd, err, handle, &t);
	vgn_resource_backing_lock(res);
	int ret =
	    run(sub, res, vr, &t, dir == DIR_TO_HOST, res->iov, res->num_iovs, res->iov_total);
	vgn_resource_backing_unlock(res);
	vgn_resource_put(res);
	return ret ? fail_transfer(dec, cmd, ret, handle, &t) : 0;
}

VREND_HANDLER(vrend_cmd_copy_transfer3d)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t src_handle = vrend_cmd_get(cmd, 12), flags = vrend_cmd_get(cmd, 14);
	struct vgn_transfer t;
	struct vgn_resource *res, *src;
	struct vrend_resource *vr, *src_vr;
	uint32_t handle;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	parse_transfer(cmd, &handle, &t);
	t.offset = vrend_cmd_get(cmd, 13);
	int err = vrend_fb_get_resource(sub, handle, &res, &vr);
	if (err)
		return fail_transfer(dec, cmd, err, handle, &t);
	err = vrend_fb_get_resource(sub, src_handle, &src, &src_vr);
	if (!err && !src_vr->is_buffer) {
		vgn_resource_put(src);
		err = -EINVAL;
	}
	if (err) {
		vgn_resource_put(res);
		return fail_transfer(dec, cmd, err, src_handle, &t);
	}
	/* Only the staging buffer's memory is touched: its backing lock alone.
	 * The destination's creation parameters the validator reads are immutable. */
	vgn_resource_backing_lock(src);
	int ret = run(sub, res, vr, &t, !(flags & COPY_FLAG_READ_FROM_HOST), src->iov,
	              src->num_iovs, src->iov_total);
	vgn_resource_backing_unlock(src);
	vgn_resource_put(src);
	vgn_resource_put(res);
	return ret ? fail_transfer(dec, cmd, ret, handle, &t) : 0;
}
