/* SPDX-License-Identifier: MIT */
#include "stats.h"

#include <errno.h>
#include <string.h>

#include "backend.h"
#include "renderer.h"

struct vgn_stats *vgn_stats_of(vgn_renderer *r)
{
	return r ? &r->stats : NULL;
}

uint64_t vgn_stats_plan_bytes(const struct vgn_transfer_plan *plan)
{
	uint64_t bytes;
	if (__builtin_mul_overflow(plan->row_bytes, (uint64_t)plan->rows, &bytes) ||
	    __builtin_mul_overflow(bytes, (uint64_t)plan->box.d, &bytes))
		return UINT64_MAX;
	return bytes;
}

void vgn_stats_transfer(vgn_renderer *r, uint64_t bytes, enum vgn_xfer_kind kind)
{
	struct vgn_stats *s = vgn_stats_of(r);
	if (!s)
		return;
	atomic_fetch_add_explicit(&s->transfers, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->transfer_bytes, bytes, memory_order_relaxed);
	if (kind == VGN_XFER_STAGED || kind == VGN_XFER_SHARED_COPY) {
		atomic_fetch_add_explicit(&s->staging_copies, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&s->staging_copy_bytes, bytes, memory_order_relaxed);
	} else {
		atomic_fetch_add_explicit(&s->zero_copy_transfers, 1, memory_order_relaxed);
	}
}

void vgn_stats_copy_out(vgn_renderer *r, enum vgn_xfer_kind kind)
{
	struct vgn_stats *s = vgn_stats_of(r);
	if (!s)
		return;
	atomic_fetch_add_explicit(&s->copy_out_calls, 1, memory_order_relaxed);
	if (kind == VGN_XFER_SHARED_COPY)
		atomic_fetch_add_explicit(&s->copy_out_guest_reads, 1, memory_order_relaxed);
}

int vgn_stats_query(vgn_renderer *r, struct vgn_query_header *out)
{
	struct vgn_stats *s = vgn_stats_of(r);
	if (!s || out->size < sizeof(struct vgn_query_renderer_stats))
		return -EINVAL;
	struct vgn_query_renderer_stats q;
	memset(&q, 0, sizeof(q));
	q.hdr.size = out->size;
	q.hdr.type = VGN_QUERY_RENDERER_STATS;
	q.transfers = atomic_load(&s->transfers);
	q.transfer_bytes = atomic_load(&s->transfer_bytes);
	q.staging_copies = atomic_load(&s->staging_copies);
	q.staging_copy_bytes = atomic_load(&s->staging_copy_bytes);
	q.zero_copy_transfers = atomic_load(&s->zero_copy_transfers);
	q.copy_out_calls = atomic_load(&s->copy_out_calls);
	q.copy_out_guest_reads = atomic_load(&s->copy_out_guest_reads);
	memcpy(out, &q, sizeof(q));
	return 0;
}
