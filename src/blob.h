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
