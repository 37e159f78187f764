/* SPDX-License-Identifier: MIT */
/* The vrend backend instance, shared by backend.c (ops, capsets, fences) and
 * ctx.c (contexts); the rest of vrend reaches it through vctx.h accessors. */
#ifndef VREND_BACKEND_INTERNAL_H
#define VREND_BACKEND_INTERNAL_H

#include "backend.h"
#include "caps.h"
#include "platform.h"
#include "res_gl.h"
#include "vrend_log.h"

struct vrend_fence_worker;

struct vrend_backend {
	struct vrend_res_backend rb; /* first: rb.base is what the core sees */
	struct vrend_platform *plat;
	struct vrend_logger logger;
	struct vrend_features features;
	struct vrend_caps_v2 caps;
	struct vrend_fence_worker *fences; /* NULL: fences are synchronous */
};

static inline struct vrend_backend *vrend_backend_of(struct vgn_backend *b)
{
	return (struct vrend_backend *)b;
}

/* ctx.c: the context ops. */
int vrend_context_create(struct vgn_backend *b, struct vgn_context *ctx);
void vrend_context_destroy(struct vgn_backend *b, struct vgn_context *ctx);
int vrend_context_submit(struct vgn_backend *b, struct vgn_context *ctx, const uint32_t *cmd,
                         size_t size);
int vrend_context_fence(struct vgn_backend *b, struct vgn_context *ctx, uint32_t ring_idx,
                        uint64_t fence_id);
int vrend_context_wait_fence(struct vgn_backend *b, struct vgn_context *ctx, uint32_t ring_idx,
                             uint64_t fence_id, uint64_t timeout_ns);

/* The features vrend implements today (backend.c): caps never claim more. */
void vrend_backend_features(struct vrend_features *out);

/* fence.c: the fence worker (one thread + GL context per backend). */
int vrend_fence_worker_create(vgn_renderer *r, struct vrend_platform *plat,
                              struct vrend_fence_worker **out);
/* Retires everything queued, joins the thread. NULL is allowed. */
void vrend_fence_worker_destroy(struct vrend_fence_worker *w);
/* Blocks the caller until the work before fence_id of (ctx_id, ring) is done
 * (waiting on its GL fence directly): 0, -ETIMEDOUT, -ENOTSUP (no GL context
 * for the caller: wait for the retirement instead). Retires nothing. */
int vrend_fence_worker_wait(struct vrend_fence_worker *w, uint32_t ctx_id, uint32_t ring,
                            uint64_t fence_id, uint64_t timeout_ns);
/* Inside the context's GL section: fence + flush, queued for the worker. */
int vrend_fence_worker_push(struct vrend_fence_worker *w, uint32_t ctx_id, uint32_t ring,
                            uint64_t fence_id);
/* Inside a GL section, at context destroy: drops the context's pending fences
 * and waits until the worker is not retiring one of them. */
void vrend_fence_worker_forget_ctx(struct vrend_fence_worker *w, uint32_t ctx_id);

/* caps.c: the command ids (bit N = id N) the claimed bits make the client send;
 * tests check that each one reaches a real handler, not a stub. */
uint64_t vrend_features_commands(const struct vrend_features *ft);

#endif /* VREND_BACKEND_INTERNAL_H */
