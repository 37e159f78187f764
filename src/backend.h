/* SPDX-License-Identifier: MIT */
/*
 * The internal backend interface: the one seam between the core (src/) and the
 * GPU backends (vrend/, vkr/) plus the built-in CPU 2D backend (src/cpu2d/).
 *
 * The core validates every guest-controlled number before a backend sees it:
 * ids are resolved to objects, transfers arrive as a vgn_transfer_plan whose box,
 * strides and guest byte range are already checked. Backends still validate what
 * only they can understand (command streams, their own object ids).
 *
 * Locking: the core calls context_* ops with that context's lock held, so a
 * backend sees calls on one context serialised; calls on different contexts may
 * arrive on different threads at the same time. resource_* ops arrive with the
 * resource's lock held.
 */
#ifndef VGN_BACKEND_H
#define VGN_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "virgl-next/virgl_next.h"

struct vgn_backend;
struct vgn_context;
struct vgn_resource;

/* A validated transfer, produced only by vgn_transfer_validate() (transfer.c). */
struct vgn_transfer_plan {
	bool to_host;
	uint32_t ctx_id;
	uint32_t level;
	struct vgn_box box;        /* inside the level's extent */
	uint32_t block_w, block_h; /* format block size in texels */
	uint32_t block_bytes;
	uint64_t row_bytes;    /* bytes of one block row of the box */
	uint32_t rows;         /* block rows per slice */
	uint64_t stride;       /* guest bytes between block rows (>= row_bytes) */
	uint64_t layer_stride; /* guest bytes between slices (>= rows * stride) */
	uint64_t offset;       /* guest byte offset of the box origin */
	/* Guest memory; [offset, offset + span) lies inside it. */
	const struct iovec *iov;
	uint32_t num_iovs;
	uint64_t span; /* bytes touched, from offset */
};

/* Memory a backend hands out for a HOST3D blob. */
struct vgn_blob_memory {
	int fd;               /* owned by the core after return; -1 if none */
	uint32_t handle_type; /* VGN_HANDLE_TYPE_* of fd */
	uint32_t map_cache_type;
	uint64_t size;
	void *map_ptr; /* optional persistent host mapping owned by the backend */
	/* Optional: the backend's object for this blob. Non-NULL: the core sets
	 * res->backend = ctx's backend and res->backend_data = this, so the resource
	 * is usable by the backend like a classic one and its resource_destroy op
	 * frees it with the resource. */
	void *backend_data;
	/* With backend_data: that object's layout as classic create params, copied
	 * into res->create. */
	struct vgn_resource_create_params create;
	uint32_t memory_type_index;
	uint8_t device_uuid[16];
	uint8_t driver_uuid[16];
};

struct vgn_backend_ops {
	const char *name;
	uint32_t backend_bit; /* VGN_BACKEND_* */

	void (*destroy)(struct vgn_backend *b);

	/* Capsets this backend serves. Unknown id: -EINVAL. */
	int (*capset_info)(struct vgn_backend *b, uint32_t capset_id, uint32_t *max_version,
	                   uint32_t *max_size);
	int (*capset_fill)(struct vgn_backend *b, uint32_t capset_id, uint32_t version, void *buf,
	                   size_t buf_size, size_t *written);

	/* Contexts. context_create stores its state in ctx->backend_data. */
	int (*context_create)(struct vgn_backend *b, struct vgn_context *ctx);
	void (*context_destroy)(struct vgn_backend *b, struct vgn_context *ctx);
	/* cmd is a private copy the backend may read freely (size bytes, 4-aligned). */
	int (*context_submit)(struct vgn_backend *b, struct vgn_context *ctx, const uint32_t *cmd,
	                      size_t size);
	int (*context_attach_resource)(struct vgn_backend *b, struct vgn_context *ctx,
	                               struct vgn_resource *res);
	void (*context_detach_resource)(struct vgn_backend *b, struct vgn_context *ctx,
	                                struct vgn_resource *res);
	/* A fence on ring_idx. The backend later calls vgn_fence_retire() (any thread).
	 * NULL: the backend is synchronous, the core retires the fence at once. */
	int (*context_fence)(struct vgn_backend *b, struct vgn_context *ctx, uint32_t ring_idx,
	                     uint64_t fence_id);
	/* Optional (NULL: the core waits for the retirement event). Blocks the
	 * calling thread until the host work before fence_id (queued on ring_idx,
	 * not yet retired) is done: 0, -ETIMEDOUT, or -ENOTSUP to let the core wait
	 * instead. Called with the context locked; must not retire the fence. */
	int (*context_wait_fence)(struct vgn_backend *b, struct vgn_context *ctx, uint32_t ring_idx,
	                          uint64_t fence_id, uint64_t timeout_ns);
	/* HOST3D blob for object blob_id of ctx. */
	int (*context_get_blob)(struct vgn_backend *b, struct vgn_context *ctx, uint64_t blob_id,
	                        uint64_t size, uint32_t blob_flags, struct vgn_blob_memory *out);
	/* Optional (NULL: the backend has no HOST3D_GUEST blobs, -ENOTSUP). The
	 * classic layout the context recorded for blob_id (a virgl format, target,
	 * dimensions), consumed by the call: the core validates it like a classic
	 * create, makes the object with this backend's resource_create and gives it
	 * the blob's guest pages as its backing. -EINVAL: nothing recorded. */
	int (*context_describe_blob)(struct vgn_backend *b, struct vgn_context *ctx,
	                             uint64_t blob_id, struct vgn_resource_create_params *out);

	/* Classic resources: res->create holds the validated parameters (target and
	 * dimension rules, format known, size bounded). The backend stores its state in
	 * res->backend_data. resource_create returns -ENOTSUP for "not mine": the next
	 * backend is tried (GPU backends first, CPU2D last). */
	int (*resource_create)(struct vgn_backend *b, struct vgn_resource *res);
	/* Called when the last reference goes (no lock held: nobody else can see res). */
	void (*resource_destroy)(struct vgn_backend *b, struct vgn_resource *res);
	int (*resource_transfer)(struct vgn_backend *b, struct vgn_resource *res,
	                         const struct vgn_transfer_plan *plan);
	int (*resource_get_info)(struct vgn_backend *b, struct vgn_resource *res,
	                         struct vgn_resource_info *out);

	/* Metadata queries the backend answers (NULL or -EOPNOTSUPP: not this one). */
	int (*query)(struct vgn_backend *b, struct vgn_context *ctx,
	             const struct vgn_query_header *in, struct vgn_query_header *out);

	/* Lifecycle (optional): stop / restart the backend's own threads. Called with
	 * no core lock held. */
	int (*suspend)(struct vgn_backend *b);
	int (*resume)(struct vgn_backend *b);
};

struct vgn_backend {
	const struct vgn_backend_ops *ops;
	vgn_renderer *renderer;
};

/*
 * Backend factories. The core references the GPU ones weakly: a build without
 * vrend/ or vkr/ simply has no definition and the backend counts as not built.
 * A factory allocates its own struct embedding struct vgn_backend, sets ops and
 * renderer, and returns 0 or a negative errno (then the renderer logs it and, if
 * the VMM asked for that backend explicitly, fails with -ENODEV). params is the
 * VMM's (size-normalised) struct, valid during the call only.
 *
 * Core services for backends: context.h (vgn_context_lookup_resource,
 * vgn_context_set_fatal), resource.h (struct vgn_resource), fence.h
 * (vgn_fence_retire), log.h (vgn_log).
 */
int vgn_vrend_backend_create(vgn_renderer *r, const struct vgn_renderer_params *params,
                             struct vgn_backend **out);
int vgn_vkr_backend_create(vgn_renderer *r, const struct vgn_renderer_params *params,
                           struct vgn_backend **out);
int vgn_cpu2d_backend_create(vgn_renderer *r, struct vgn_backend **out);

#endif /* VGN_BACKEND_H */
