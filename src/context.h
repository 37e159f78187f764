/* SPDX-License-Identifier: MIT */
/*
 * Contexts: one per virtio-gpu context, served by the backend that owns its capset.
 * Backends read ctx_id/capset_id/debug_name and keep their state in backend_data.
 */
#ifndef VGN_CONTEXT_H
#define VGN_CONTEXT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "table.h"
#include "virgl-next/virgl_next.h"

#define VGN_CONTEXT_NAME_MAX 64 /* bytes kept of debug_name, including the NUL */

struct vgn_backend;
struct vgn_resource;

struct vgn_context {
	vgn_renderer *renderer;
	uint32_t ctx_id;
	uint32_t capset_id;
	char debug_name[VGN_CONTEXT_NAME_MAX];
	struct vgn_backend *backend;
	void *backend_data; /* the backend's */

	pthread_mutex_t lock; /* lock order: see renderer.h */
	atomic_uint refs;
	atomic_bool dead; /* fatal error: only destroy is accepted (-EIO) */
	bool destroyed;   /* removed from the table; callers still holding a ref see -ENOENT */

	/* Attached resources (ctx->lock): res_id -> struct vgn_resource *, each
	 * holding one reference. */
	struct vgn_table attached;
	uint64_t attached_bytes;
};

/* The resource res_id if it is attached to ctx, else NULL. Call with ctx->lock held
 * (backends: inside any context_* op); the pointer stays valid while it is held. */
struct vgn_resource *vgn_context_lookup_resource(struct vgn_context *ctx, uint32_t res_id);

/* Marks the context dead (further calls on it: -EIO) and queues the context_fatal
 * event. Any thread; idempotent (the first error wins). */
void vgn_context_set_fatal(struct vgn_context *ctx, int err, const char *reason);

/* Core internals. */

/* Looks up ctx_id, takes its lock and checks it is usable. 0 with *out locked and
 * referenced; -ENOENT (unknown, 0 or destroyed) or -EIO (dead,
 * unless allow_dead). */
int vgn_context_acquire(vgn_renderer *r, uint32_t ctx_id, bool allow_dead,
                        struct vgn_context **out);
/* Unlocks and drops the reference taken by vgn_context_acquire. */
void vgn_context_release(struct vgn_context *ctx);

/* Attaches res to ctx (ctx->lock held): per-context limits, backend hook, takes a
 * resource reference. Already attached: 0, nothing changes. */
int vgn_context_attach_locked(struct vgn_context *ctx, struct vgn_resource *res);
/* Reverses an attach (ctx->lock held). -ENOENT if not attached. */
int vgn_context_detach_locked(struct vgn_context *ctx, uint32_t res_id);

/* Renderer destroy: destroys every context. */
void vgn_contexts_destroy_all(vgn_renderer *r);

#endif
