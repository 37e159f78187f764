/* SPDX-License-Identifier: MIT */
/*
 * The built-in CPU backend: classic resources held in zeroed host memory laid out
 * exactly like the guest backing (vtest.md §8.2: levels packed one after the other,
 * tight rows, slices of each level one after the other). Every target except
 * multisampled ones, every format with a block layout (the bytes are copied, never
 * interpreted). It serves no capset, so it has no contexts.
 *
 * Shared mappings: when the VMM attaches a LINEAR backing (one iovec over all of
 * the guest pages) that covers the whole layout, the guest pages themselves are
 * the storage. Transfers whose guest rows are exactly where the layout puts them
 * then move nothing, and copy-out reads the guest pages. The host copy stays
 * allocated: it takes the pages' content when the backing goes away.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu2d.h"
#include "cpu2d_layout.h"

#include "backend.h"
#include "format.h"
#include "iov.h"
#include "renderer.h"
#include "resource.h"
#include "stats.h"
#include "transfer.h"

#define DRM_FORMAT_MOD_LINEAR 0ull

struct cpu2d_resource {
	uint8_t *data; /* host copy (the storage unless the guest pages are) */
	struct vgn_cpu2d_layout l;
};

static void cpu2d_destroy(struct vgn_backend *b)
{
	free(b);
}

static int cpu2d_resource_create(struct vgn_backend *b, struct vgn_resource *res)
{
	struct vgn_cpu2d_layout l;
	/* The core validated the parameters and bounded the total layout size
	 * (VGN_MAX_RESOURCE_BYTES). The metadata queries use the same function. */
	int ret = vgn_cpu2d_layout(&res->create, res->format, &l);
	if (ret)
		return ret;
	struct cpu2d_resource *cr = calloc(1, sizeof(*cr));
	if (!cr)
		return -ENOMEM;
	cr->l = l;
	cr->data = calloc(1, (size_t)l.size); /* zeroed: the guest never sees old host memory */
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

/* The guest pages when they are the storage: a LINEAR backing, one iovec long
 * enough for the whole layout. NULL otherwise. res->lock held. */
static uint8_t *shared_pages(const struct vgn_resource *res, const struct cpu2d_resource *cr)
{
	if (!(res->backing_flags & VGN_BACKING_FLAG_LINEAR) || res->num_iovs != 1 || !res->iov ||
	    res->iov_total < cr->l.size)
		return NULL;
	return res->iov[0].iov_base;
}

/* Host byte offset of the plan's box origin (the plan is validated: the box lies
 * inside the level, so this stays below cr->l.size). */
static uint64_t host_origin(const struct cpu2d_resource *cr, const struct vgn_transfer_plan *plan)
{
	const struct vgn_box *box = &plan->box;
	return cr->l.level_offset[plan->level] +
	       (uint64_t)box->z * cr->l.layer_stride[plan->level] +
	       (uint64_t)(box->y / cr->l.bh) * cr->l.stride[plan->level] +
	       (uint64_t)(box->x / cr->l.bw) * cr->l.bb;
}

/* Does the plan name exactly the layout's own bytes of the box in the guest
 * pages, so that with shared storage there is nothing to move? */
static bool plan_is_in_place(const struct vgn_resource *res, const struct cpu2d_resource *cr,
                             const struct vgn_transfer_plan *plan)
{
	return plan->iov == res->iov && plan->offset == host_origin(cr, plan) &&
	       (plan->rows <= 1 || plan->stride == cr->l.stride[plan->level]) &&
	       (plan->box.d <= 1 || plan->layer_stride == cr->l.layer_stride[plan->level]);
}

/* Copies the plan's box between storage (host layout, cr->l.size bytes) and the
 * guest memory of the plan. The plan is validated: the box lies inside the level
 * and [offset, offset + span) inside the guest memory. The host offsets are
 * still bounds-checked per row so that a validator bug can never turn into an
 * overrun here. */
static int copy_box(const struct cpu2d_resource *cr, uint8_t *storage,
                    const struct vgn_transfer_plan *plan)
{
	uint64_t hstride = cr->l.stride[plan->level];
	uint64_t hlayer = cr->l.layer_stride[plan->level];
	uint64_t base = host_origin(cr, plan);
	struct vgn_iov_cursor cur;
	vgn_iov_cursor_init(&cur, plan->iov, plan->num_iovs);
	for (uint32_t s = 0; s < plan->box.d; s++) {
		uint64_t host_off = base + s * hlayer;
		uint64_t guest_off = plan->offset + s * plan->layer_stride;
		for (uint32_t row = 0; row < plan->rows; row++) {
			if (host_off > cr->l.size || plan->row_bytes > cr->l.size - host_off)
				return -EINVAL;
			int ret = vgn_iov_cursor_copy(&cur, guest_off, storage + host_off,
			                              (size_t)plan->row_bytes, !plan->to_host);
			if (ret)
				return ret;
			host_off += hstride;
			guest_off += plan->stride;
		}
	}
	return 0;
}

/* Packs the plan's guest rows into (or unpacks them from) a tight buffer. */
static int guest_rows(const struct vgn_transfer_plan *plan, uint8_t *packed, bool to_guest)
{
	struct vgn_iov_cursor cur;
	vgn_iov_cursor_init(&cur, plan->iov, plan->num_iovs);
	for (uint32_t s = 0; s < plan->box.d; s++) {
		uint64_t guest_off = plan->offset + s * plan->layer_stride;
		for (uint32_t row = 0; row < plan->rows; row++) {
			int ret = vgn_iov_cursor_copy(&cur, guest_off, packed,
			                              (size_t)plan->row_bytes, to_guest);
			if (ret)
				return ret;
			packed += plan->row_bytes;
			guest_off += plan->stride;
		}
	}
	return 0;
}

/* Does any of the plan's iovecs overlap [base, base + size)? A VMM may hand a
 * transfer iovec that points into the very guest pages that are the storage. */
static bool plan_touches(const struct vgn_transfer_plan *plan, const uint8_t *base, uint64_t size)
{
	uintptr_t lo = (uintptr_t)base, hi = lo + (uintptr_t)size;
	for (uint32_t i = 0; i < plan->num_iovs; i++) {
		uintptr_t a = (uintptr_t)plan->iov[i].iov_base;
		uintptr_t n = (uintptr_t)plan->iov[i].iov_len;
		if (n && a < hi && lo < a + n)
			return true;
	}
	return false;
}

/* Shared storage, and the plan's rows elsewhere in the same guest pages: source
 * and destination may overlap, so the box goes through a tight staging copy. */
static int copy_box_staged(const struct cpu2d_resource *cr, uint8_t *storage,
                           const struct vgn_transfer_plan *plan)
{
	uint64_t bytes = vgn_stats_plan_bytes(plan);
	if (bytes > cr->l.size)
		return -EINVAL; /* the box lies inside the layout: cannot happen */
	uint8_t *tmp = malloc(bytes ? (size_t)bytes : 1);
	if (!tmp)
		return -ENOMEM;
	struct iovec tiov = {.iov_base = tmp, .iov_len = (size_t)bytes};
	struct vgn_transfer_plan tp = *plan;
	tp.iov = &tiov;
	tp.num_iovs = 1;
	tp.offset = 0;
	tp.stride = plan->row_bytes;
	tp.layer_stride = plan->row_bytes * plan->rows;
	tp.span = bytes;
	int ret;
	if (plan->to_host) {
		ret = guest_rows(plan, tmp, false);
		if (!ret)
			ret = copy_box(cr, storage, &tp);
	} else {
		ret = copy_box(cr, storage, &tp);
		if (!ret)
			ret = guest_rows(plan, tmp, true);
	}
	free(tmp);
	return ret;
}

static int cpu2d_resource_transfer(struct vgn_backend *b, struct vgn_resource *res,
                                   const struct vgn_transfer_plan *plan)
{
	struct cpu2d_resource *cr = res->backend_data;
	if (plan->level > res->create.last_level || plan->block_bytes != cr->l.bb)
		return -EINVAL;
	uint8_t *shared = shared_pages(res, cr);
	if (!shared)
		return copy_box(cr, cr->data, plan); /* res->xfer_kind stays STAGED */
	if (plan_is_in_place(res, cr, plan)) {
		res->xfer_kind = VGN_XFER_IN_PLACE;
		return 0;
	}
	if (plan->iov == res->iov || plan_touches(plan, shared, cr->l.size))
		return copy_box_staged(cr, shared, plan);
	/* Other memory (copy-out's destination, a VMM-supplied iovec) that does not
	 * overlap the guest pages: straight between it and them. */
	int ret = copy_box(cr, shared, plan);
	if (!ret)
		res->xfer_kind = VGN_XFER_SHARED_COPY;
	return ret;
}

void vgn_cpu2d_unshare(struct vgn_resource *res)
{
	if (!res->backend || res->backend->ops->backend_bit != VGN_BACKEND_CPU2D ||
	    !res->backend_data)
		return;
	struct cpu2d_resource *cr = res->backend_data;
	const uint8_t *shared = shared_pages(res, cr);
	if (shared)
		memcpy(cr->data, shared, (size_t)cr->l.size);
}

static int cpu2d_resource_get_info(struct vgn_backend *b, struct vgn_resource *res,
                                   struct vgn_resource_info *out)
{
	struct cpu2d_resource *cr = res->backend_data;
	out->num_planes = 1;
	out->strides[0] = cr->l.stride[0] > UINT32_MAX ? 0 : (uint32_t)cr->l.stride[0];
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
    .query = vgn_cpu2d_query, /* metadata queries (query.c); stats: src/query.c */
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
