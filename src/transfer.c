/* SPDX-License-Identifier: MIT */
#include "transfer.h"

#include <errno.h>

#include "context.h"
#include "format.h"
#include "iov.h"
#include "log.h"
#include "renderer.h"
#include "resource.h"
#include "stats.h"

static uint32_t max1(uint32_t v)
{
	return v ? v : 1;
}

void vgn_level_extent(const struct vgn_resource_create_params *p, uint32_t level, uint32_t *w,
                      uint32_t *h, uint32_t *slices)
{
	*w = max1(p->width >> level);
	switch (p->target) {
	case VGN_TARGET_BUFFER:
	case VGN_TARGET_1D:
	case VGN_TARGET_1D_ARRAY:
		*h = 1;
		break;
	default:
		*h = max1(p->height >> level);
		break;
	}
	switch (p->target) {
	case VGN_TARGET_3D:
		*slices = max1(p->depth >> level);
		break;
	case VGN_TARGET_CUBE:
		*slices = 6;
		break;
	case VGN_TARGET_1D_ARRAY:
	case VGN_TARGET_2D_ARRAY:
	case VGN_TARGET_CUBE_ARRAY:
		*slices = p->array_size;
		break;
	default:
		*slices = 1;
		break;
	}
}

int vgn_transfer_block(const struct vgn_resource_create_params *p, const struct vgn_format *f,
                       uint32_t *bw, uint32_t *bh, uint32_t *bb)
{
	if (p->target == VGN_TARGET_BUFFER) {
		/* Buffers are bytes whatever their format (x/w are byte offsets). */
		*bw = *bh = *bb = 1;
		return 0;
	}
	if (!f || (f->flags & VGN_FMT_UNSUPPORTED) || !f->block_bytes)
		return -ENOTSUP;
	*bw = f->block_w;
	*bh = f->block_h;
	*bb = f->block_bytes;
	return 0;
}

int vgn_layout_size(const struct vgn_resource_create_params *p, const struct vgn_format *f,
                    uint64_t *size)
{
	uint32_t bw, bh, bb;
	int ret = vgn_transfer_block(p, f, &bw, &bh, &bb);
	if (ret)
		return ret;
	uint64_t total = 0;
	for (uint32_t level = 0; level <= p->last_level; level++) {
		uint32_t w, h, slices;
		vgn_level_extent(p, level, &w, &h, &slices);
		uint64_t stride, layer, bytes;
		if (__builtin_mul_overflow((uint64_t)vgn_nblocks(w, bw), bb, &stride) ||
		    __builtin_mul_overflow(stride, (uint64_t)vgn_nblocks(h, bh), &layer) ||
		    __builtin_mul_overflow(layer, (uint64_t)slices, &bytes) ||
		    __builtin_add_overflow(total, bytes, &total))
			return -EINVAL;
	}
	if (p->nr_samples > 1 && __builtin_mul_overflow(total, (uint64_t)p->nr_samples, &total))
		return -EINVAL;
	*size = total;
	return 0;
}

int vgn_transfer_validate(const struct vgn_resource *res, const struct vgn_transfer *t,
                          bool to_host, const struct iovec *iov, uint32_t num_iovs,
                          uint64_t iov_total, struct vgn_transfer_plan *plan)
{
	const struct vgn_resource_create_params *p = &res->create;
	const struct vgn_box *b = &t->box;

	if (!iov || !num_iovs)
		return -EINVAL; /* no guest memory to transfer from/to */
	if (p->nr_samples > 1)
		return -EINVAL; /* multisampled resources have no guest layout */
	if (t->level > p->last_level)
		return -EINVAL;
	if (!b->w || !b->h || !b->d)
		return -EINVAL;

	uint32_t bw, bh, bb;
	int ret = vgn_transfer_block(p, res->format, &bw, &bh, &bb);
	if (ret)
		return ret;

	uint32_t lw, lh, ls;
	vgn_level_extent(p, t->level, &lw, &lh, &ls);
	/* 64-bit sums of 32-bit values cannot wrap. */
	if ((uint64_t)b->x + b->w > lw || (uint64_t)b->y + b->h > lh || (uint64_t)b->z + b->d > ls)
		return -EINVAL;
	/* Block formats: whole blocks, except a box that ends at the level edge. */
	if (b->x % bw || b->y % bh)
		return -EINVAL;
	if ((b->w % bw && (uint64_t)b->x + b->w != lw) ||
	    (b->h % bh && (uint64_t)b->y + b->h != lh))
		return -EINVAL;

	uint64_t row_bytes = (uint64_t)vgn_nblocks(b->w, bw) * bb;
	uint32_t rows = vgn_nblocks(b->h, bh);
	uint64_t stride = t->stride;
	if (!stride)
		stride = (uint64_t)vgn_nblocks(lw, bw) * bb;
	else if (stride < row_bytes)
		return -EINVAL;
	uint64_t layer_stride = t->layer_stride;
	uint64_t min_layer;
	if (__builtin_mul_overflow(stride, (uint64_t)rows, &min_layer))
		return -EINVAL;
	if (!layer_stride) {
		if (__builtin_mul_overflow(stride, (uint64_t)vgn_nblocks(lh, bh), &layer_stride))
			return -EINVAL;
	} else if (b->d > 1 && layer_stride < min_layer) {
		return -EINVAL;
	}

	uint64_t span, tmp;
	if (__builtin_mul_overflow((uint64_t)(b->d - 1), layer_stride, &span) ||
	    __builtin_mul_overflow((uint64_t)(rows - 1), stride, &tmp) ||
	    __builtin_add_overflow(span, tmp, &span) ||
	    __builtin_add_overflow(span, row_bytes, &span))
		return -EINVAL;
	uint64_t end;
	if (__builtin_add_overflow(t->offset, span, &end) || end > iov_total)
		return -EINVAL;

	*plan = (struct vgn_transfer_plan){
	    .to_host = to_host,
	    .ctx_id = t->ctx_id,
	    .level = t->level,
	    .box = *b,
	    .block_w = bw,
	    .block_h = bh,
	    .block_bytes = bb,
	    .row_bytes = row_bytes,
	    .rows = rows,
	    .stride = stride,
	    .layer_stride = layer_stride,
	    .offset = t->offset,
	    .iov = iov,
	    .num_iovs = num_iovs,
	    .span = span,
	};
	return 0;
}

/* Transfer on a looked-up resource; res->lock is taken here. copy_out: the
 * transfer serves vgn_resource_copy_out and is counted as one. */
static int transfer_locked(vgn_renderer *r, struct vgn_resource *res, const struct vgn_transfer *t,
                           bool to_host, bool copy_out)
{
	int ret;
	pthread_mutex_lock(&res->lock);
	if (!res->format) {
		ret = -EINVAL; /* blobs are just bytes (but HOST3D_GUEST): no box layout */
		goto out;
	}
	if (!res->backend || !res->backend->ops->resource_transfer) {
		ret = -ENOTSUP;
		goto out;
	}
	const struct iovec *iov = res->iov;
	uint32_t num = res->num_iovs;
	uint64_t total = res->iov_total;
	if (t->iov || t->num_iovs) {
		ret = vgn_iov_validate(t->iov, t->num_iovs, &total);
		if (ret)
			goto out;
		iov = t->iov;
		num = t->num_iovs;
	}
	struct vgn_transfer_plan plan;
	ret = vgn_transfer_validate(res, t, to_host, iov, num, total, &plan);
	if (ret)
		goto out;
	res->xfer_kind = VGN_XFER_STAGED;
	ret = res->backend->ops->resource_transfer(res->backend, res, &plan);
	if (!ret && copy_out)
		vgn_stats_copy_out(r, res->xfer_kind);
	else if (!ret)
		vgn_stats_transfer(r, vgn_stats_plan_bytes(&plan), res->xfer_kind);
out:
	pthread_mutex_unlock(&res->lock);
	if (ret)
		vgn_dbg(r, "transfer %s res %u level %u box %u,%u,%u %ux%ux%u: %s",
		        to_host ? "to host" : "from host", res->res_id, t->level, t->box.x,
		        t->box.y, t->box.z, t->box.w, t->box.h, t->box.d, vgn_strerror(ret));
	return ret;
}

static int transfer_run(vgn_renderer *r, uint32_t res_id, const struct vgn_transfer *t,
                        bool to_host, bool copy_out)
{
	if (t->ctx_id == 0) {
		struct vgn_resource *res = vgn_resource_get(r, res_id);
		if (!res)
			return -ENOENT;
		int ret = transfer_locked(r, res, t, to_host, copy_out);
		vgn_resource_put(res);
		return ret;
	}
	/* Through a context: the resource must be attached to it; the context lock
	 * orders the transfer against that context's submissions. */
	struct vgn_context *ctx;
	int ret = vgn_context_acquire(r, t->ctx_id, false, &ctx);
	if (ret)
		return ret;
	struct vgn_resource *res = vgn_context_lookup_resource(ctx, res_id);
	ret = res ? transfer_locked(r, res, t, to_host, copy_out) : -ENOENT;
	vgn_context_release(ctx);
	return ret;
}

int vgn_transfer_run(vgn_renderer *r, uint32_t res_id, const struct vgn_transfer *t, bool to_host)
{
	return transfer_run(r, res_id, t, to_host, false);
}

int vgn_transfer_copy_out(vgn_renderer *r, uint32_t res_id, const struct vgn_transfer *t)
{
	return transfer_run(r, res_id, t, false, true);
}

static int transfer_entry(vgn_renderer *r, uint32_t res_id, const struct vgn_transfer *tin,
                          bool to_host)
{
	struct vgn_transfer t;
	if (!r)
		return -EINVAL;
	int ret = vgn_copy_in(&t, sizeof(t), tin, VGN_TRANSFER_SIZE_V1);
	if (ret)
		return ret;
	return vgn_transfer_run(r, res_id, &t, to_host);
}

VGN_EXPORT int vgn_resource_transfer_to_host(vgn_renderer *r, uint32_t res_id,
                                             const struct vgn_transfer *t)
{
	return transfer_entry(r, res_id, t, true);
}

VGN_EXPORT int vgn_resource_transfer_from_host(vgn_renderer *r, uint32_t res_id,
                                               const struct vgn_transfer *t)
{
	return transfer_entry(r, res_id, t, false);
}
