/* SPDX-License-Identifier: MIT */
/*
 * Data-path counters of one renderer (VGN_QUERY_RENDERER_STATS): how many
 * transfers ran, and whether their bytes went through a staging copy or were
 * read/written in place in guest memory. Lock-free atomics: backends count from
 * any thread under any lock.
 */
#ifndef VGN_STATS_H
#define VGN_STATS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "virgl-next/virgl_next.h"

struct vgn_transfer_plan;

struct vgn_stats {
	_Atomic uint64_t transfers;
	_Atomic uint64_t transfer_bytes;
	_Atomic uint64_t staging_copies;
	_Atomic uint64_t staging_copy_bytes;
	_Atomic uint64_t zero_copy_transfers;
	_Atomic uint64_t copy_out_calls;
	_Atomic uint64_t copy_out_guest_reads;
};

/* How a backend moved the bytes of one transfer. */
enum vgn_xfer_kind {
	/* Through a staging buffer or a separate host copy of the resource. */
	VGN_XFER_STAGED = 0,
	/* The backend's API read/wrote the plan's memory in place (no staging). */
	VGN_XFER_DIRECT,
	/* Nothing to move: the plan names the shared guest pages that are the
	 * resource's storage, where the bytes already are. */
	VGN_XFER_IN_PLACE,
	/* Bytes copied between the plan's memory (another buffer) and the shared
	 * guest pages that are the storage: a copy for a transfer, a read of the
	 * guest pages for a copy-out. */
	VGN_XFER_SHARED_COPY,
};

/* The counters of r (r->stats; NULL for a NULL r). */
struct vgn_stats *vgn_stats_of(vgn_renderer *r);

/* Bytes of a plan's box (block rows x row bytes x slices), saturating. */
uint64_t vgn_stats_plan_bytes(const struct vgn_transfer_plan *plan);

/* One transfer (API or in-stream), done the way kind says: DIRECT and IN_PLACE
 * count as zero-copy, STAGED and SHARED_COPY as staging copies. */
void vgn_stats_transfer(vgn_renderer *r, uint64_t bytes, enum vgn_xfer_kind kind);
/* One vgn_resource_copy_out call; SHARED_COPY counts as a guest read. */
void vgn_stats_copy_out(vgn_renderer *r, enum vgn_xfer_kind kind);

/* Answers VGN_QUERY_RENDERER_STATS into out (out->size: room, at least the V1
 * struct). 0 or -EINVAL. */
int vgn_stats_query(vgn_renderer *r, struct vgn_query_header *out);

#endif
