/* SPDX-License-Identifier: MIT */
/*
 * Resources (classic and blob), renderer-wide like virtio-gpu resources.
 *
 * Refcounting: the VMM holds one reference (while the id is in the table) and each
 * context attachment holds one. vgn_resource_unref removes the id at once and
 * drops the VMM-owned state (guest backing, mapping); the object itself lives
 * until the last reference goes.
 */
#ifndef VGN_RESOURCE_H
#define VGN_RESOURCE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "stats.h"
#include "virgl-next/virgl_next.h"

struct vgn_backend;
struct vgn_format;
struct vgn_blob;

struct vgn_resource {
	vgn_renderer *renderer;
	uint32_t res_id;
	atomic_uint refs;
	pthread_mutex_t lock; /* lock order: see renderer.h */
	/* A leaf lock (nothing else is taken while it is held) guarding the guest
	 * backing fields below together with res->lock: writers hold both, readers
	 * hold either. Backends read the backing from inside a context submit, where
	 * res->lock would invert the lock order, with vgn_resource_backing_lock(). */
	pthread_mutex_t backing_lock;

	struct vgn_backend *backend; /* owner of backend_data; NULL for core-only blobs */
	void *backend_data;

	/* Classic resources and HOST3D_GUEST blobs: validated creation parameters
	 * (size field = sizeof). */
	struct vgn_resource_create_params create;
	/* NULL for blobs other than HOST3D_GUEST: non-NULL = the resource has a
	 * box layout and transfers apply to it. */
	const struct vgn_format *format;
	/* Bytes charged against per-context limits: the guest layout size (all levels
	 * and slices) of a classic resource and of the object behind a HOST3D_GUEST
	 * blob (so that buffer range checks see the object's real size), blob_size of
	 * other blobs. */
	uint64_t size_bytes;
	/* Renderer-wide budget (vgn_budget_charge): host bytes charged (0 for guest
	 * pages and imports) and whether this resource holds a charge, given back
	 * when the last reference goes. */
	uint64_t budget_bytes;
	bool budget_charged;

	/* Guest backing (res->lock). num_iovs 0 = none. For GUEST blobs it is set at
	 * creation. */
	struct iovec *iov;
	uint32_t num_iovs;
	uint64_t iov_total;
	uint32_t backing_flags; /* VGN_BACKING_FLAG_* */
	int dmabuf_fd;          /* dup'ed, -1 if none */

	/* How the resource_transfer op in progress moved its bytes (res->lock): the
	 * core sets VGN_XFER_STAGED before the call, the op reports otherwise. */
	enum vgn_xfer_kind xfer_kind;

	bool vmm_dropped;      /* unref'd by the VMM (res->lock) */
	struct vgn_blob *blob; /* NULL for classic resources */
};

/* Core internals. */
struct vgn_resource *vgn_resource_alloc(vgn_renderer *r, uint32_t res_id);
/* Charges res against the renderer-wide budget (once): 0 or -ENOSPC. */
int vgn_resource_charge(struct vgn_resource *res, uint64_t host_bytes);
/* The classic creation rules (target, dimensions, format, size cap): 0 with the
 * format and the guest layout size (all levels and slices), or -EINVAL/-ENOTSUP.
 * Also used for the objects behind HOST3D_GUEST blobs. */
int vgn_resource_validate_create(vgn_renderer *r, const struct vgn_resource_create_params *p,
                                 const struct vgn_format **fmt_out, uint64_t *size_out);
/* Lookup with a new reference, or NULL. */
struct vgn_resource *vgn_resource_get(vgn_renderer *r, uint32_t res_id);
void vgn_resource_ref(struct vgn_resource *res);
/* Drops a reference; the last one destroys the resource (no lock may be required
 * by the destroy path except what the backend takes itself). */
void vgn_resource_put(struct vgn_resource *res);

/* Looks up res_id, takes a reference and its lock: 0 with *out locked, or -ENOENT.
 * The entry-point prologue shared by every per-resource API call. */
int vgn_resource_acquire(vgn_renderer *r, uint32_t res_id, struct vgn_resource **out);
/* Unlocks and drops the reference taken by vgn_resource_acquire. */
void vgn_resource_release(struct vgn_resource *res);
/* Publishes res under res_id (takes over the reference from alloc): 0 or -EEXIST /
 * -ENOMEM. */
int vgn_resource_publish(vgn_renderer *r, struct vgn_resource *res);
/* Is res_id in use right now (early -EEXIST before expensive work)? */
bool vgn_resource_id_used(vgn_renderer *r, uint32_t res_id);
/* For backends inside a context op (where res->lock may not be taken): keeps
 * res->iov / num_iovs / iov_total stable (attach and detach wait) until unlock.
 * Take no other lock in between. */
void vgn_resource_backing_lock(struct vgn_resource *res);
void vgn_resource_backing_unlock(struct vgn_resource *res);
/* Frees the backing copy (res->lock held or last reference). */
void vgn_resource_drop_backing(struct vgn_resource *res);
/* vgn_resource_copy_out's transfer (transfer.c): t names the destination as an
 * explicit iovec; counted as a copy-out, not as a transfer. */
int vgn_transfer_copy_out(vgn_renderer *r, uint32_t res_id, const struct vgn_transfer *t);
/* Renderer destroy: VMM-unrefs every resource still in the table. */
void vgn_resources_destroy_all(vgn_renderer *r);

#endif
