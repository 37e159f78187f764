/* SPDX-License-Identifier: MIT */
/*
 * Worker processes of one proxy backend and their watchdog thread (parent side).
 *
 * One thread per pool polls every worker socket: it routes replies to the
 * waiting caller, turns FENCE_RETIRED into vgn_fence_retire(), FATAL into
 * vgn_context_set_fatal() and LOG into the renderer's log; it reaps a worker
 * that died and kills one whose fences make no progress for timeout_ms.
 * Callers kill a worker that does not answer a request within timeout_ms.
 * Either way the context turns fatal with a reason naming what happened, and
 * only that context: the pool, the renderer and other workers carry on.
 *
 * Locks: pool->lock (worker list) and each worker's lock are leaves with
 * respect to each other (never both held); a worker's lock may be taken under
 * ctx->lock and is held while calling vgn_context_set_fatal / vgn_fence_retire
 * (which take only r->events.lock).
 */
#ifndef VGN_WORKER_POOL_H
#define VGN_WORKER_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"
#include "virgl-next/virgl_next.h"

/* Requests that start a worker (INIT, capset, CONTEXT_CREATE) wait at least this
 * long: they load and probe the Vulkan driver. */
#define VGN_WORKER_START_TIMEOUT_MS 20000u

struct vgn_context;
struct vgn_worker;
struct vgn_worker_pool;

/* path: the worker executable (copied). init: the INIT message every worker
 * gets (copied). Starts the watchdog thread. */
int vgn_worker_pool_create(vgn_renderer *r, const char *path, uint32_t timeout_ms,
                           const struct vgn_wmsg_init *init, struct vgn_worker_pool **out);
/* Every worker must have been stopped. */
void vgn_worker_pool_destroy(struct vgn_worker_pool *pool);
uint32_t vgn_worker_pool_timeout_ms(const struct vgn_worker_pool *pool);

/* Spawns a worker and sends INIT. vctx (NULL for a capset probe) receives the
 * worker's fences and fatal errors until vgn_worker_stop. */
int vgn_worker_start(struct vgn_worker_pool *pool, struct vgn_context *vctx,
                     struct vgn_worker **out);
/* Closes the channel, waits up to timeout_ms for the worker to exit (then kills
 * it), reaps it and frees w. No callback for vctx runs after it returns. */
void vgn_worker_stop(struct vgn_worker *w);

/* One request/reply round trip. req: a complete packet (hdr.len set); fd sent
 * with it unless -1 (stays the caller's). reply: at least
 * sizeof(struct vgn_wmsg_reply) bytes of room, reply_cap in all; *reply_len its
 * length; *reply_fd an fd that came with the reply (the caller's) or -1.
 * Returns the reply's status, or -EIO when the worker is dead or died, hung
 * (killed), or broke the protocol (killed). */
int vgn_worker_call(struct vgn_worker *w, const void *req, int fd, struct vgn_wmsg_reply *reply,
                    size_t reply_cap, size_t *reply_len, int *reply_fd);

/* Sends a FENCE request, tracking the ring for the watchdog. */
int vgn_worker_fence(struct vgn_worker *w, uint32_t ring, uint64_t fence_id);

/* The worker's pid (0 once reaped), for log messages. */
int vgn_worker_pid(struct vgn_worker *w);

#endif
