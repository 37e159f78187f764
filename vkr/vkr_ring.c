/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * Shared-memory rings (spec 1.5): one thread per ring copies [head, tail) out of guest memory,
 * decodes it command by command and publishes head after each command. Idle after the guest's
 * idleTimeout without data (IDLE bit, then sleep until vkNotifyRingMESA). One monitor thread per
 * context sets ALIVE on monitored rings so that waiting guest threads do not abort.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

#include "renderer.h"
#include "vkr_context.h"

#define RING_MAX_BUFFER (16u << 20)
#define STATUS_IDLE VK_RING_STATUS_IDLE_BIT_MESA
#define STATUS_FATAL VK_RING_STATUS_FATAL_BIT_MESA
#define STATUS_ALIVE VK_RING_STATUS_ALIVE_BIT_MESA

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void deadline_in(struct timespec *ts, uint64_t ns)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ns += (uint64_t)ts->tv_nsec;
	ts->tv_sec += (time_t)(ns / 1000000000ull);
	ts->tv_nsec = (long)(ns % 1000000000ull);
}

static int cond_init_monotonic(pthread_cond_t *c)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	int ret = pthread_cond_init(c, &attr);
	pthread_condattr_destroy(&attr);
	return ret;
}

static void status_set(struct vkr_ring *ring, uint32_t bits)
{
	__atomic_fetch_or(ring->status, bits, __ATOMIC_SEQ_CST);
}

static void status_clear(struct vkr_ring *ring, uint32_t bits)
{
	__atomic_fetch_and(ring->status, ~bits, __ATOMIC_SEQ_CST);
}

void vkr_ring_set_fatal(struct vkr_ring *ring)
{
	status_set(ring, STATUS_FATAL);
	pthread_mutex_lock(&ring->lock);
	ring->dead = true;
	pthread_cond_broadcast(&ring->progress);
	pthread_cond_broadcast(&ring->cond);
	pthread_mutex_unlock(&ring->lock);
}

struct progress {
	struct vkr_ring *ring;
	uint32_t start;
};

/* After each command: head = position after it (release, after the reply is written). */
static void publish_head(void *user, size_t consumed)
{
	struct progress *p = user;
	struct vkr_ring *ring = p->ring;
	const uint32_t head = p->start + (uint32_t)consumed;
	__atomic_store_n(ring->head, head, __ATOMIC_RELEASE);
	pthread_mutex_lock(&ring->lock);
	ring->cur = head;
	pthread_cond_broadcast(&ring->progress);
	pthread_mutex_unlock(&ring->lock);
}

/* Processes what lies between cur and tail. false when the ring died. */
static bool drain(struct vkr_ring *ring, uint32_t tail)
{
	const uint32_t cur = ring->cur;
	const uint32_t size = tail - cur;
	if (size > ring->buffer_size || size % 4) {
		vkr_context_fatal(ring->ctx, -EPROTO, "ring tail out of range");
		return false;
	}
	const uint32_t pos = cur & (ring->buffer_size - 1);
	const uint32_t first = ring->buffer_size - pos < size ? ring->buffer_size - pos : size;
	memcpy(ring->copy, ring->buffer + pos, first);
	memcpy(ring->copy + first, ring->buffer, size - first);
	struct progress p = {.ring = ring, .start = cur};
	return vkr_stream_run(&ring->stream, ring->copy, size, publish_head, &p) == 0;
}

/*
 * Between the last command and idleTimeout the ring thread polls the tail: the guest sends
 * vkNotifyRingMESA only when it sees IDLE, and at most once per idleTimeout, so going idle
 * sooner could strand a submission (spec 1.5).
 *
 * Polling first yields RING_SPIN_YIELDS times: the next command of a burst, or the guest's next
 * submission right after its fence wait, is picked up at once (without that the guest's fence
 * wait, which yields ~15 times before it sleeps >= 160 us, rarely sees its work finish before
 * it sleeps). Then it sleeps in steps growing from RING_POLL_MIN_NS to RING_POLL_MAX_NS, so no
 * submission waits more than about RING_POLL_MAX_NS to be noticed. The cap matters: a guest
 * fence wait sleeps 160-210 us, so its next submission arrives ~200 us after the previous one;
 * with steps growing to 1 ms (each stretched by the 50 us timer slack) it could wait up to
 * 130-200 us more and push the guest's next fence check past its first sleep (+320 us).
 */
#define RING_SPIN_YIELDS 16
#define RING_POLL_MIN_NS 10000ull
#define RING_POLL_MAX_NS 50000ull
/* Without this each sleep may last up to 50 us longer (the default timer slack). */
#define RING_TIMER_SLACK_NS 1000ul

static bool ring_should_stop(struct vkr_ring *ring)
{
	pthread_mutex_lock(&ring->lock);
	const bool stop = ring->stop || ring->dead;
	pthread_mutex_unlock(&ring->lock);
	return stop;
}

/* Sets IDLE and sleeps until notified. false when the ring must stop. */
static bool ring_idle_wait(struct vkr_ring *ring)
{
	status_set(ring, STATUS_IDLE);
	/* Re-check after publishing IDLE so that a racing submission is not lost. */
	if (__atomic_load_n(ring->tail, __ATOMIC_SEQ_CST) != ring->cur) {
		status_clear(ring, STATUS_IDLE);
		return true;
	}
	pthread_mutex_lock(&ring->lock);
	ring->idle = true;
	pthread_cond_broadcast(&ring->progress);
	while (!ring->notified && !ring->stop && !ring->dead)
		pthread_cond_wait(&ring->cond, &ring->lock);
	ring->notified = false;
	ring->idle = false;
	const bool stop = ring->stop || ring->dead;
	pthread_mutex_unlock(&ring->lock);
	status_clear(ring, STATUS_IDLE);
	return !stop;
}

static void *ring_thread(void *arg)
{
	struct vkr_ring *ring = arg;
	if (ring->has_priority)
		setpriority(PRIO_PROCESS, 0, ring->priority);   /* best effort */
	prctl(PR_SET_TIMERSLACK, RING_TIMER_SLACK_NS, 0, 0, 0); /* best effort */
	uint64_t last_active = now_ns();
	uint64_t sleep_ns = RING_POLL_MIN_NS;
	uint32_t spins = 0;
	while (!ring_should_stop(ring)) {
		const uint32_t tail = __atomic_load_n(ring->tail, __ATOMIC_ACQUIRE);
		if (tail != ring->cur) {
			if (!drain(ring, tail))
				break;
			last_active = now_ns();
			sleep_ns = RING_POLL_MIN_NS;
			spins = 0;
			continue;
		}
		const uint64_t idle_for = now_ns() - last_active;
		if (idle_for < ring->idle_timeout_ns && spins < RING_SPIN_YIELDS) {
			spins++;
			sched_yield();
			continue;
		}
		if (idle_for < ring->idle_timeout_ns) {
			const uint64_t left = ring->idle_timeout_ns - idle_for;
			const struct timespec ts = {0, (long)(sleep_ns < left ? sleep_ns : left)};
			nanosleep(&ts, NULL);
			sleep_ns =
			    sleep_ns * 2 < RING_POLL_MAX_NS ? sleep_ns * 2 : RING_POLL_MAX_NS;
			continue;
		}
		if (!ring_idle_wait(ring))
			break;
		last_active = now_ns();
		sleep_ns = RING_POLL_MIN_NS;
		spins = 0;
	}
	return NULL;
}

/* -- monitor ------------------------------------------------------------------------------ */

static void *monitor_thread(void *arg)
{
	struct vkr_context *ctx = arg;
	pthread_mutex_lock(&ctx->monitor_lock);
	while (!ctx->monitor_stop) {
		uint32_t period_us = 0;
		for (struct vkr_ring *r = ctx->rings; r; r = r->next) {
			if (!r->monitor_period_us)
				continue;
			status_set(r, STATUS_ALIVE);
			if (!period_us || r->monitor_period_us < period_us)
				period_us = r->monitor_period_us;
		}
		/* The guest clears ALIVE and looks again at least one period later: report four
		 * times per period so that a late wake-up (a loaded host, Valgrind) still lands
		 * in time. */
		period_us = period_us ? period_us / 4 : 1000000;
		struct timespec ts;
		deadline_in(&ts, (uint64_t)period_us * 1000ull);
		pthread_cond_timedwait(&ctx->monitor_cond, &ctx->monitor_lock, &ts);
	}
	pthread_mutex_unlock(&ctx->monitor_lock);
	return NULL;
}

void vkr_monitor_stop(struct vkr_context *ctx)
{
	pthread_mutex_lock(&ctx->ring_lock); /* monitor_running is set under ring_lock */
	pthread_mutex_lock(&ctx->monitor_lock);
	const bool running = ctx->monitor_running;
	ctx->monitor_stop = true;
	pthread_cond_broadcast(&ctx->monitor_cond);
	pthread_mutex_unlock(&ctx->monitor_lock);
	pthread_mutex_unlock(&ctx->ring_lock);
	if (running)
		pthread_join(ctx->monitor, NULL);
	ctx->monitor_running = false;
}

/* -- creation ------------------------------------------------------------------------------ */

static bool inside(uint64_t off, uint64_t len, uint64_t size)
{
	uint64_t end;
	return !__builtin_add_overflow(off, len, &end) && end <= size && off % 4 == 0;
}

static bool disjoint(uint64_t a, uint64_t al, uint64_t b, uint64_t bl)
{
	return a + al <= b || b + bl <= a;
}

int vkr_ring_create(struct vkr_context *ctx, uint64_t id, const VkRingCreateInfoMESA *info)
{
	if (vkr_ring_find(ctx, id))
		return -EEXIST;
	const uint64_t bs = info->bufferSize;
	if (!bs || bs > RING_MAX_BUFFER || bs > ctx->renderer->max_ring_bytes || (bs & (bs - 1)))
		return -EINVAL;
	struct vkr_shm *shm = vkr_shm_get(ctx, info->resourceId);
	if (!shm)
		return -EINVAL;
	const uint64_t regions[5][2] = {{info->headOffset, 4},
	                                {info->tailOffset, 4},
	                                {info->statusOffset, 4},
	                                {info->bufferOffset, bs},
	                                {info->extraOffset, info->extraSize}};
	bool ok = inside(info->offset, info->size, shm->size);
	for (int i = 0; ok && i < 5; i++) {
		ok = inside(regions[i][0], regions[i][1], info->size);
		for (int j = 0; ok && j < i; j++)
			ok = disjoint(regions[i][0], regions[i][1], regions[j][0], regions[j][1]);
	}
	if (!ok) {
		vkr_shm_put(shm);
		return -EINVAL;
	}
	uint8_t *base = shm->ptr + info->offset;
	struct vkr_ring *ring = calloc(1, sizeof(*ring));
	if (!ring) {
		vkr_shm_put(shm);
		return -ENOMEM;
	}
	ring->ctx = ctx;
	ring->id = id;
	ring->shm = shm;
	ring->head = (volatile uint32_t *)(base + info->headOffset);
	ring->tail = (volatile uint32_t *)(base + info->tailOffset);
	ring->status = (volatile uint32_t *)(base + info->statusOffset);
	ring->buffer = base + info->bufferOffset;
	ring->buffer_size = (uint32_t)bs;
	ring->extra = base + info->extraOffset;
	ring->extra_size = info->extraSize;
	ring->idle_timeout_ns = info->idleTimeout;
	if (ring->idle_timeout_ns > 1000000000ull)
		ring->idle_timeout_ns = 1000000000ull;
	for (const VkBaseInStructure *p = info->pNext; p; p = p->pNext) {
		if (p->sType == VK_STRUCTURE_TYPE_RING_MONITOR_INFO_MESA) {
			const VkRingMonitorInfoMESA *m = (const void *)p;
			ring->monitor_period_us = m->maxReportingPeriodMicroseconds;
			if (ring->monitor_period_us && ring->monitor_period_us < 1000)
				ring->monitor_period_us = 1000;
		} else if (p->sType == VK_STRUCTURE_TYPE_RING_PRIORITY_INFO_MESA) {
			ring->priority = ((const VkRingPriorityInfoMESA *)p)->priority;
			ring->has_priority = true;
		}
	}
	if (*ring->head || *ring->status) {
		vkr_shm_put(shm);
		free(ring);
		return -EINVAL;
	}
	ring->cur = 0;
	ring->copy = malloc(bs);
	if (!ring->copy || pthread_mutex_init(&ring->lock, NULL) ||
	    pthread_cond_init(&ring->cond, NULL) || pthread_cond_init(&ring->progress, NULL)) {
		free(ring->copy);
		vkr_shm_put(shm);
		free(ring);
		return -ENOMEM;
	}
	vkr_stream_init(&ring->stream, ctx, ring);
	if (ring->monitor_period_us)
		status_set(ring, STATUS_ALIVE);

	pthread_mutex_lock(&ctx->ring_lock);
	pthread_mutex_lock(&ctx->monitor_lock);
	ring->next = ctx->rings;
	ctx->rings = ring;
	pthread_mutex_unlock(&ctx->monitor_lock);
	int ret = 0;
	if (ring->monitor_period_us && !ctx->monitor_running) {
		ctx->monitor_stop = false;
		ret = pthread_create(&ctx->monitor, NULL, monitor_thread, ctx);
		ctx->monitor_running = ret == 0;
	}
	if (!ret)
		ret = pthread_create(&ring->thread, NULL, ring_thread, ring);
	if (ret) {
		pthread_mutex_lock(&ctx->monitor_lock);
		ctx->rings = ring->next;
		pthread_mutex_unlock(&ctx->monitor_lock);
	}
	pthread_mutex_unlock(&ctx->ring_lock);
	if (ret) {
		vkr_stream_fini(&ring->stream);
		pthread_cond_destroy(&ring->progress);
		pthread_cond_destroy(&ring->cond);
		pthread_mutex_destroy(&ring->lock);
		free(ring->copy);
		vkr_shm_put(shm);
		free(ring);
		return -ret;
	}
	return 0;
}

/* The ring must already be unlinked from the context. */
void vkr_ring_destroy(struct vkr_ring *ring)
{
	pthread_mutex_lock(&ring->lock);
	ring->stop = true;
	pthread_cond_broadcast(&ring->cond);
	pthread_cond_broadcast(&ring->progress);
	pthread_mutex_unlock(&ring->lock);
	pthread_join(ring->thread, NULL);
	vkr_stream_fini(&ring->stream);
	pthread_cond_destroy(&ring->progress);
	pthread_cond_destroy(&ring->cond);
	pthread_mutex_destroy(&ring->lock);
	free(ring->copy);
	vkr_shm_put(ring->shm);
	free(ring);
}

struct vkr_ring *vkr_ring_find(struct vkr_context *ctx, uint64_t id)
{
	struct vkr_ring *found = NULL;
	pthread_mutex_lock(&ctx->ring_lock);
	for (struct vkr_ring *r = ctx->rings; r && !found; r = r->next)
		if (r->id == id)
			found = r;
	pthread_mutex_unlock(&ctx->ring_lock);
	return found;
}

void vkr_ring_notify(struct vkr_ring *ring)
{
	pthread_mutex_lock(&ring->lock);
	ring->notified = true;
	pthread_cond_broadcast(&ring->cond);
	pthread_mutex_unlock(&ring->lock);
}

int vkr_ring_wait_seqno(struct vkr_ring *ring, uint32_t seqno)
{
	vkr_ring_notify(ring);
	int ret = 0;
	pthread_mutex_lock(&ring->lock);
	for (;;) {
		if ((int32_t)(ring->cur - seqno) >= 0)
			break;
		if (ring->dead || ring->stop || atomic_load(&ring->ctx->fatal)) {
			ret = -EIO;
			break;
		}
		/* Idle with the tail short of seqno: it can never be reached. */
		if (ring->idle &&
		    (int32_t)(__atomic_load_n(ring->tail, __ATOMIC_ACQUIRE) - seqno) < 0) {
			ret = -EPIPE;
			break;
		}
		pthread_cond_wait(&ring->progress, &ring->lock);
	}
	pthread_mutex_unlock(&ring->lock);
	return ret;
}

void vkr_ring_submit_vq_seqno(struct vkr_ring *ring, uint64_t seqno)
{
	pthread_mutex_lock(&ring->lock);
	if (seqno > ring->vq_seqno)
		ring->vq_seqno = seqno;
	pthread_cond_broadcast(&ring->cond);
	pthread_mutex_unlock(&ring->lock);
}

int vkr_ring_wait_vq_seqno(struct vkr_ring *ring, uint64_t seqno)
{
	int ret = 0;
	pthread_mutex_lock(&ring->lock);
	while (ring->vq_seqno < seqno) {
		if (ring->stop || ring->dead) {
			ret = -EIO;
			break;
		}
		pthread_cond_wait(&ring->cond, &ring->lock);
	}
	pthread_mutex_unlock(&ring->lock);
	return ret;
}

int vkr_ring_cond_init(pthread_cond_t *c);
int vkr_ring_cond_init(pthread_cond_t *c)
{
	return cond_init_monotonic(c);
}
