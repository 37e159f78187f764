/* SPDX-License-Identifier: MIT */
/*
 * Fence timelines and event delivery.
 *
 * A timeline is (ctx_id, ring_idx); ctx_id 0 is the device timeline (ring 0
 * only). Each keeps the highest id queued and the highest id retired ("every fence
 * <= id is done"). A retire marks the timeline pending in an intrusive event list;
 * a second retire before delivery only raises the id, so the queue never holds
 * more than one entry per timeline plus one fatal entry per context: a VMM that
 * never polls cannot make it grow.
 *
 * Delivery runs the callbacks with no lock held, either from vgn_renderer_poll()
 * (poll mode, eventfd readable while something is pending and delivery is not
 * suspended) or from a library thread (VGN_RENDERER_FLAG_THREAD_CALLBACKS).
 */
#ifndef VGN_FENCE_H
#define VGN_FENCE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "table.h"
#include "virgl-next/virgl_next.h"

struct vgn_event_node {
	struct vgn_event_node *prev, *next; /* NULL/NULL when not queued */
	struct vgn_fence_ctx *owner;
	int32_t ring; /* -1: the context-fatal event */
};

#define VGN_FATAL_REASON_MAX 128

/* Timelines and pending events of one context id (or of the device, id 0). */
struct vgn_fence_ctx {
	uint32_t ctx_id;
	uint32_t num_rings; /* 1 for the device timeline, VGN_MAX_RINGS otherwise */
	uint64_t queued[VGN_MAX_RINGS];
	uint64_t retired[VGN_MAX_RINGS];
	struct vgn_event_node node[VGN_MAX_RINGS];
	struct vgn_event_node fatal_node;
	int fatal_err;
	char fatal_reason[VGN_FATAL_REASON_MAX];
};

struct vgn_events {
	pthread_mutex_t lock;       /* leaf lock: guards everything below */
	pthread_cond_t wake;        /* delivery thread: something to do */
	pthread_cond_t idle;        /* a drain finished (suspend waits for it) */
	pthread_cond_t retired;     /* some fence retired (vgn_fence_wait) */
	struct vgn_table timelines; /* ctx_id -> struct vgn_fence_ctx * */
	struct vgn_event_node head; /* sentinel of the pending list */
	uint32_t npending;
	int efd;        /* eventfd: readable while pending && !paused */
	bool efd_armed; /* our view of the eventfd counter being non-zero */
	bool thread_mode;
	bool thread_running;
	bool stop;
	bool paused;   /* suspended: no delivery */
	bool draining; /* some thread is running callbacks */
	pthread_t drain_thread;
	bool delivering;         /* a callback is running right now... */
	uint32_t delivering_ctx; /* ...for this context (context destroy waits for it) */
	pthread_t thread;
};

/* Renderer-internal lifecycle. init creates the eventfd and the device timeline. */
int vgn_events_init(vgn_renderer *r, bool thread_mode);
int vgn_events_start(vgn_renderer *r); /* starts the delivery thread in thread mode */
void vgn_events_fini(vgn_renderer *r); /* stops the thread, drops pending events */
int vgn_events_poll(vgn_renderer *r);
void vgn_events_suspend(vgn_renderer *r);
void vgn_events_resume(vgn_renderer *r);

/* Timelines of a context: add at context create (-EEXIST/-ENOMEM), remove at
 * destroy (pending events of that context are dropped). */
int vgn_fence_ctx_add(vgn_renderer *r, uint32_t ctx_id);
void vgn_fence_ctx_remove(vgn_renderer *r, uint32_t ctx_id);

/* Checks that fence_id may be queued on (ctx_id, ring): -EINVAL for a bad ring or
 * a decreasing id, -ENOENT for an unknown context. Changes nothing. */
int vgn_fence_check(vgn_renderer *r, uint32_t ctx_id, uint32_t ring, uint64_t fence_id);
/* Records fence_id as queued (after vgn_fence_check and the backend accepted it). */
void vgn_fence_commit(vgn_renderer *r, uint32_t ctx_id, uint32_t ring, uint64_t fence_id);

/* Everything <= fence_id on (ctx_id, ring) is done. Any thread, any core or backend
 * lock may be held (the event lock is a leaf). Ids at or below the current retired
 * id are ignored. 0, -ENOENT (unknown/destroyed context) or -EINVAL (bad ring). */
int vgn_fence_retire(vgn_renderer *r, uint32_t ctx_id, uint32_t ring, uint64_t fence_id);
/* Waits until fence_id on the timeline has retired or the CLOCK_MONOTONIC
 * deadline (ns) passes (0: only look, never wait): 0, -ETIMEDOUT, -ENOENT (timeline gone), -EINVAL
 * (ring, or fence_id above the last one queued). */
int vgn_fence_wait(vgn_renderer *r, uint32_t ctx_id, uint32_t ring, uint64_t fence_id,
                   uint64_t deadline_ns);
int vgn_fence_get_retired(vgn_renderer *r, uint32_t ctx_id, uint32_t ring, uint64_t *fence_id);

/* Queues the context_fatal event (once per context). */
void vgn_events_queue_fatal(vgn_renderer *r, uint32_t ctx_id, int err, const char *reason);

#endif
