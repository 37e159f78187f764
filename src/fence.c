/* SPDX-License-Identifier: MIT */
#include "fence.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "renderer.h"

static bool node_queued(const struct vgn_event_node *n)
{
	return n->next != NULL;
}

static void node_unlink(struct vgn_events *ev, struct vgn_event_node *n)
{
	if (!node_queued(n))
		return;
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = NULL;
	ev->npending--;
}

static void node_append(struct vgn_events *ev, struct vgn_event_node *n)
{
	if (node_queued(n))
		return;
	n->prev = ev->head.prev;
	n->next = &ev->head;
	ev->head.prev->next = n;
	ev->head.prev = n;
	ev->npending++;
}

/* Keeps the eventfd readable exactly while events are pending and delivery is not
 * suspended, and wakes the delivery thread. Called with ev->lock held. */
static void update_signal(struct vgn_events *ev)
{
	bool want = ev->npending > 0 && !ev->paused;
	if (want && ev->thread_mode)
		pthread_cond_signal(&ev->wake);
	if (want == ev->efd_armed)
		return;
	uint64_t v = 1;
	ssize_t n;
	if (want)
		n = write(ev->efd, &v, sizeof(v));
	else
		n = read(ev->efd, &v, sizeof(v));
	/* Only EAGAIN is possible on a valid non-blocking eventfd; then the counter is
	 * already in the wanted state. */
	(void)n;
	ev->efd_armed = want;
}

static struct vgn_fence_ctx *fence_ctx_new(uint32_t ctx_id)
{
	struct vgn_fence_ctx *fc = calloc(1, sizeof(*fc));
	if (!fc)
		return NULL;
	fc->ctx_id = ctx_id;
	fc->num_rings = ctx_id == 0 ? 1 : VGN_MAX_RINGS;
	for (uint32_t i = 0; i < VGN_MAX_RINGS; i++) {
		fc->node[i].owner = fc;
		fc->node[i].ring = (int32_t)i;
	}
	fc->fatal_node.owner = fc;
	fc->fatal_node.ring = -1;
	return fc;
}

int vgn_events_init(vgn_renderer *r, bool thread_mode)
{
	struct vgn_events *ev = &r->events;
	memset(ev, 0, sizeof(*ev));
	ev->head.prev = ev->head.next = &ev->head;
	ev->thread_mode = thread_mode;
	vgn_table_init(&ev->timelines);
	ev->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ev->efd < 0)
		return -errno;
	struct vgn_fence_ctx *dev = fence_ctx_new(0);
	if (!dev || vgn_table_insert(&ev->timelines, 0, dev)) {
		free(dev);
		close(ev->efd);
		vgn_table_fini(&ev->timelines);
		return -ENOMEM;
	}
	pthread_mutex_init(&ev->lock, NULL);
	pthread_cond_init(&ev->wake, NULL);
	pthread_cond_init(&ev->idle, NULL);
	/* vgn_fence_wait's deadlines are CLOCK_MONOTONIC. */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ev->retired, &ca);
	pthread_condattr_destroy(&ca);
	return 0;
}

/* Delivers at most the events pending when called (a producer retiring in a loop
 * cannot keep one drain going forever), one at a time, callbacks with no lock held.
 * Returns without delivering if another thread is draining (it will deliver in
 * order) or delivery is suspended. */
static void drain(vgn_renderer *r)
{
	struct vgn_events *ev = &r->events;
	pthread_mutex_lock(&ev->lock);
	if (ev->draining || ev->paused) {
		pthread_mutex_unlock(&ev->lock);
		return;
	}
	ev->draining = true;
	ev->drain_thread = pthread_self();
	uint32_t budget = ev->npending;
	while (budget-- && ev->npending && !ev->paused) {
		struct vgn_event_node *n = ev->head.next;
		node_unlink(ev, n);
		struct vgn_fence_ctx *fc = n->owner;
		uint32_t ctx_id = fc->ctx_id;
		int32_t ring = n->ring;
		uint64_t id = 0;
		int err = 0;
		char reason[VGN_FATAL_REASON_MAX];
		if (ring >= 0) {
			id = fc->retired[ring];
		} else {
			err = fc->fatal_err;
			memcpy(reason, fc->fatal_reason, sizeof(reason));
		}
		update_signal(ev);
		ev->delivering = true;
		ev->delivering_ctx = ctx_id;
		pthread_mutex_unlock(&ev->lock);

		if (ring >= 0 && r->cb.fence_retired)
			r->cb.fence_retired(r->cb.user_data, ctx_id, (uint32_t)ring, id);
		else if (ring < 0 && r->cb.context_fatal)
			r->cb.context_fatal(r->cb.user_data, ctx_id, err, reason);

		pthread_mutex_lock(&ev->lock);
		ev->delivering = false;
		pthread_cond_broadcast(&ev->idle);
	}
	ev->draining = false;
	pthread_cond_broadcast(&ev->idle);
	pthread_mutex_unlock(&ev->lock);
}

static void *delivery_thread(void *arg)
{
	vgn_renderer *r = arg;
	struct vgn_events *ev = &r->events;
	pthread_mutex_lock(&ev->lock);
	while (!ev->stop) {
		if (ev->paused || ev->npending == 0) {
			pthread_cond_wait(&ev->wake, &ev->lock);
			continue;
		}
		pthread_mutex_unlock(&ev->lock);
		drain(r);
		pthread_mutex_lock(&ev->lock);
	}
	pthread_mutex_unlock(&ev->lock);
	return NULL;
}

int vgn_events_start(vgn_renderer *r)
{
	struct vgn_events *ev = &r->events;
	if (!ev->thread_mode)
		return 0;
	int ret = pthread_create(&ev->thread, NULL, delivery_thread, r);
	if (ret)
		return -ret;
	ev->thread_running = true;
	return 0;
}

void vgn_events_fini(vgn_renderer *r)
{
	struct vgn_events *ev = &r->events;
	if (ev->thread_running) {
		pthread_mutex_lock(&ev->lock);
		ev->stop = true;
		pthread_cond_signal(&ev->wake);
		pthread_mutex_unlock(&ev->lock);
		pthread_join(ev->thread, NULL);
		ev->thread_running = false;
	}
	uint32_t it = 0;
	void *val;
	while (vgn_table_next(&ev->timelines, &it, NULL, &val))
		free(val);
	vgn_table_fini(&ev->timelines);
	close(ev->efd);
	pthread_cond_destroy(&ev->idle);
	pthread_cond_destroy(&ev->retired);
	pthread_cond_destroy(&ev->wake);
	pthread_mutex_destroy(&ev->lock);
}

int vgn_events_poll(vgn_renderer *r)
{
	/* In thread mode the library thread delivers; polling is harmless. */
	if (!r->events.thread_mode)
		drain(r);
	return 0;
}

void vgn_events_suspend(vgn_renderer *r)
{
	struct vgn_events *ev = &r->events;
	pthread_mutex_lock(&ev->lock);
	ev->paused = true;
	update_signal(ev);
	/* Wait for a callback in flight on another thread, so that no callback runs
	 * once suspend returns (unless suspend is called from that callback). */
	while (ev->draining && !pthread_equal(ev->drain_thread, pthread_self()))
		pthread_cond_wait(&ev->idle, &ev->lock);
	pthread_mutex_unlock(&ev->lock);
}

void vgn_events_resume(vgn_renderer *r)
{
	struct vgn_events *ev = &r->events;
	pthread_mutex_lock(&ev->lock);
	ev->paused = false;
	update_signal(ev);
	pthread_mutex_unlock(&ev->lock);
}

int vgn_fence_ctx_add(vgn_renderer *r, uint32_t ctx_id)
{
	struct vgn_events *ev = &r->events;
	struct vgn_fence_ctx *fc = fence_ctx_new(ctx_id);
	if (!fc)
		return -ENOMEM;
	pthread_mutex_lock(&ev->lock);
	int ret = vgn_table_insert(&ev->timelines, ctx_id, fc);
	pthread_mutex_unlock(&ev->lock);
	if (ret)
		free(fc);
	return ret;
}

void vgn_fence_ctx_remove(vgn_renderer *r, uint32_t ctx_id)
{
	struct vgn_events *ev = &r->events;
	if (ctx_id == 0)
		return; /* the device timeline lives as long as the renderer */
	pthread_mutex_lock(&ev->lock);
	struct vgn_fence_ctx *fc = vgn_table_remove(&ev->timelines, ctx_id);
	if (fc) {
		for (uint32_t i = 0; i < fc->num_rings; i++)
			node_unlink(ev, &fc->node[i]);
		node_unlink(ev, &fc->fatal_node);
		update_signal(ev);
		pthread_cond_broadcast(&ev->retired); /* waiters see -ENOENT */
	}
	/* An event of this context already taken off the queue may be in its callback
	 * on another thread: once destroy returns, no callback names the context. */
	while (ev->delivering && ev->delivering_ctx == ctx_id &&
	       !pthread_equal(ev->drain_thread, pthread_self()))
		pthread_cond_wait(&ev->idle, &ev->lock);
	pthread_mutex_unlock(&ev->lock);
	free(fc);
}

/* Looks up a timeline; ev->lock held. */
static int timeline(struct vgn_events *ev, uint32_t ctx_id, uint32_t ring,
                    struct vgn_fence_ctx **out)
{
	struct vgn_fence_ctx *fc = vgn_table_get(&ev->timelines, ctx_id);
	if (!fc)
		return -ENOENT;
	if (ring >= fc->num_rings)
		return -EINVAL;
	*out = fc;
	return 0;
}

int vgn_fence_check(vgn_renderer *r, uint32_t ctx_id, uint32_t ring, uint64_t fence_id)
{
	struct vgn_events *ev = &r->events;
	struct vgn_fence_ctx *fc;
	pthread_mutex_lock(&ev->lock);
	int ret = timeline(ev, ctx_id, ring, &fc);
	if (!ret && fence_id < fc->queued[ring])
		ret = -EINVAL;
	pthread_mutex_unlock(&ev->lock);
	return ret;
}

void vgn_fence_commit(vgn_renderer *r, uint32_t ctx_id, uint32_t ring, uint64_t fence_id)
{
	struct vgn_events *ev = &r->events;
	struct vgn_fence_ctx *fc;
	pthread_mutex_lock(&ev->lock);
	if (!timeline(ev, ctx_id, ring, &fc) && fence_id > fc->queued[ring])
		fc->queued[ring] = fence_id;
	pthread_mutex_unlock(&ev->lock);
}

int vgn_fence_retire(vgn_renderer *r, uint32_t ctx_id, uint32_t ring, uint64_t fence_id)
{
	struct vgn_events *ev = &r->events;
	struct vgn_fence_ctx *fc;
	pthread_mutex_lock(&ev->lock);
	int ret = timeline(ev, ctx_id, ring, &fc);
	if (!ret && fence_id > fc->retired[ring]) {
		fc->retired[ring] = fence_id;
		node_append(ev, &fc->node[ring]);
		update_signal(ev);
		pthread_cond_broadcast(&ev->retired);
	}
	pthread_mutex_unlock(&ev->lock);
	return ret;
}

int vgn_fence_wait(vgn_renderer *r, uint32_t ctx_id, uint32_t ring, uint64_t fence_id,
                   uint64_t deadline_ns)
{
	struct vgn_events *ev = &r->events;
	struct vgn_fence_ctx *fc;
	struct timespec ts = {(time_t)(deadline_ns / 1000000000u),
	                      (long)(deadline_ns % 1000000000u)};
	int ret = 0;
	pthread_mutex_lock(&ev->lock);
	for (;;) {
		/* Looked up again after every wake: context destroy frees fc. */
		ret = timeline(ev, ctx_id, ring, &fc);
		if (ret)
			break;
		if (fence_id > fc->queued[ring] && fence_id > fc->retired[ring]) {
			ret = -EINVAL;
			break;
		}
		if (fc->retired[ring] >= fence_id)
			break;
		int err = deadline_ns ? pthread_cond_timedwait(&ev->retired, &ev->lock, &ts)
		                      : ETIMEDOUT; /* 0: only look */
		if (err == ETIMEDOUT) {
			ret = -ETIMEDOUT;
			break;
		}
	}
	pthread_mutex_unlock(&ev->lock);
	return ret;
}

int vgn_fence_get_retired(vgn_renderer *r, uint32_t ctx_id, uint32_t ring, uint64_t *fence_id)
{
	struct vgn_events *ev = &r->events;
	struct vgn_fence_ctx *fc;
	pthread_mutex_lock(&ev->lock);
	int ret = timeline(ev, ctx_id, ring, &fc);
	if (!ret)
		*fence_id = fc->retired[ring];
	pthread_mutex_unlock(&ev->lock);
	return ret;
}

void vgn_events_queue_fatal(vgn_renderer *r, uint32_t ctx_id, int err, const char *reason)
{
	struct vgn_events *ev = &r->events;
	pthread_mutex_lock(&ev->lock);
	struct vgn_fence_ctx *fc = vgn_table_get(&ev->timelines, ctx_id);
	if (fc && ctx_id != 0 && !fc->fatal_err) {
		fc->fatal_err = err ? err : -EIO;
		snprintf(fc->fatal_reason, sizeof(fc->fatal_reason), "%s",
		         reason ? reason : "fatal error");
		node_append(ev, &fc->fatal_node);
		update_signal(ev);
	}
	pthread_mutex_unlock(&ev->lock);
}
