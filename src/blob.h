/* SPDX-License-Identifier: MIT */
/* Blob resources: GUEST (iovec-backed), HOST3D (core memfd or backend memory). */
#ifndef VGN_BLOB_H
#define VGN_BLOB_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"

struct vgn_blob {
	uint32_t ctx_id; /* owning context, 0 for GUEST blobs without one and imports */
	uint32_t blob_mem;
	uint32_t blob_flags;
	uint64_t blob_id;
	uint64_t blob_size;
	struct vgn_blob_memory mem; /* HOST3D: fd (owned), cache type, ...; fd -1 otherwise */
	/* GUEST blobs created with VGN_BLOB_PARAM_HAS_FD: a dup of the VMM's fd of the
	 * same pages (owned) and where the blob starts in it; -1 otherwise. Worker
	 * processes map the pages through it (docs/worker.md). */
	int guest_fd;
	uint64_t guest_fd_offset;

	/* Mapping state (res->lock). */
	bool mapped;
	bool map_fixed; /* placed by map_fixed: unmap leaves a PROT_NONE reservation */
	bool map_owned; /* we mmap'ed it: unmap munmaps */
	void *map_ptr;
	uint64_t map_len;
};

struct vgn_resource;

/* Drops the mapping (res->lock held or last reference). */
void vgn_blob_unmap_locked(struct vgn_resource *res);
/* Frees blob state at resource destroy. */
void vgn_blob_free(struct vgn_resource *res);

#endif
