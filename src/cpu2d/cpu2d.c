/* SPDX-License-Identifier: MIT */
/*
 * The built-in CPU backend: classic resources held in zeroed host memory laid out
 * exactly like the guest backing (vtest.md §8.2: levels packed one after the other,
 * tight rows, slices of each level one after the other). Every target except
 * multisampled ones, every format with a block layout (the bytes are copied, never
 * interpreted). It serves no capset, so it has no contexts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "format.h"
#include "iov.h"
#include "resource.h"
#include "transfer.h"

#define DRM_FORMAT_MOD_LINEAR 0ull
#define CPU2D_MAX_LEVELS 32

struct cpu2d_resource {
	uint8_t *data;
	uint64_t size;
	uint32_t bw, bh, bb;
	uint64_t level_offset[CPU2D_MAX_LEVELS];
	uint64_t stride[CPU2D_MAX_LEVELS];       /* bytes per block row */
	uint64_t layer_stride[CPU2D_MAX_LEVELS]; /* bytes per slice */
};

static void cpu2d_destroy(struct vgn_backend *b)
{
	free(b);
}

static int cpu2d_resource_create(struct vgn_backend *b, struct vgn_resource *res)
{
	const struct vgn_resource_create_params *p = &res->create;
	if (p->nr_samples > 1 || p->last_level >= CPU2D_MAX_LEVELS)
		return -ENOTSUP;
	struct cpu2d_resource *cr = calloc(1, sizeof(*cr));
	if (!cr)
		return -ENOMEM;
	if (vgn_transfer_block(p, res->format, &cr->bw, &cr->bh, &cr->bb)) {
		free(cr);
		return -ENOTSUP;
	}
	/* The core validated the parameters and bounded the total layout size
	 * (VGN_MAX_RESOURCE_BYTES), so none of these sums can wrap. */
	uint64_t off = 0;
	for (uint32_t level = 0; level <= p->last_level; level++) {
		uint32_t w, h, slices;
		vgn_level_extent(p, level, &w, &h, &slices);
		cr->level_offset[level] = off;
		cr->stride[level] = (uint64_t)vgn_nblocks(w, cr->bw) * cr->bb;
		cr->layer_stride[level] = cr->stride[level] * vgn_nblocks(h, cr->bh);
		off += cr->layer_stride[level] * slices;
	}
	if (off > SIZE_MAX || off == 0) {
		free(cr);
		return -ENOMEM;
	}
	cr->size = off;
	cr->data = calloc(1, (size_t)off); /* zeroed: the guest never sees old host memory */
	if (!cr->data) {
		free(cr);
		return -ENOMEM;
	}
	res->backend_data = cr;
	return 0;
}

static void cpu2d_resource_destroy(struct vgn_backend *b, struct vgn_resource *res)
{
	struct cpu2d_resource *cr = res->backend_data;
	if (!cr)
		return;
	free(cr->data);
	free(cr);
	res->backend_data = NULL;
}

/* The plan is validated: the box lies inside the level and [offset, offset + span)
 * inside the guest memory. The host offsets are still bounds-checked per row so that
 * a validator bug can never turn into an overrun here. */
static int cpu2d_resource_transfer(struct vgn_backend *b, struct vgn_resource *res,
                                   const struct vgn_transfer_plan *plan)
{
	struct cpu2d_resource *cr = res->backend_data;
	const struct vgn_box *box = &plan->box;
	if (plan->level > res->create.last_level || plan->block_bytes != cr->bb)
		return -EINVAL;
	uint64_t hstride = cr->stride[plan->level];
	uint64_t hlayer = cr->layer_stride[plan->level];
	uint64_t base = cr->level_offset[plan->level] + (uint64_t)box->z * hlayer +
	                (uint64_t)(box->y / cr->bh) * hstride +
	                (uint64_t)(box->x / cr->bw) * cr->bb;
	struct vgn_iov_cursor cur;
	vgn_iov_cursor_init(&cur, plan->iov, plan->num_iovs);
	for (uint32_t s = 0; s < box->d; s++) {
		uint64_t host_off = base + s * hlayer;
		uint64_t guest_off = plan->offset + s * plan->layer_stride;
		for (uint32_t row = 0; row < plan->rows; row++) {
			if (host_off > cr->size || plan->row_bytes > cr->size - host_off)
				return -EINVAL;
			int ret = vgn_iov_cursor_copy(&cur, guest_off, cr->data + host_off,
			                              (size_t)plan->row_bytes, !plan->to_host);
			if (ret)
				return ret;
			host_off += hstride;
			guest_off += plan->stride;
		}
	}
	return 0;
}

static int cpu2d_resource_get_info(struct vgn_backend *b, struct vgn_resource *res,
                                   struct vgn_resource_info *out)
{
	struct cpu2d_resource *cr = res->backend_data;
	out->num_planes = 1;
	out->strides[0] = cr->stride[0] > UINT32_MAX ? 0 : (uint32_t)cr->stride[0];
	out->offsets[0] = 0;
	out->modifier = DRM_FORMAT_MOD_LINEAR;
	return 0;
}

static const struct vgn_backend_ops cpu2d_ops = {
    .name = "cpu2d",
    .backend_bit = VGN_BACKEND_CPU2D,
    .destroy = cpu2d_destroy,
    .resource_create = cpu2d_resource_create,
    .resource_destroy = cpu2d_resource_destroy,
    .resource_transfer = cpu2d_resource_transfer,
    .resource_get_info = cpu2d_resource_get_info,
};

int vgn_cpu2d_backend_create(vgn_renderer *r, struct vgn_backend **out)
{
	struct vgn_backend *b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->ops = &cpu2d_ops;
	b->renderer = r;
	*out = b;
	return 0;
}
