/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * How long a Venus ring submission waits before the ring thread notices it, as a function of
 * how long the ring had nothing to do. Plays a minimal guest through the public API: one
 * context, one shm blob holding a ring laid out as Mesa lays it out (idleTimeout 1 ms), then
 * for each gap: sleep the gap, write one no-op ring command (vkWaitVirtqueueSeqnoMESA(0)),
 * publish tail and poll (1 us sleeps) until head reaches it. Like Mesa, it sends vkNotifyRingMESA
 * on the context stream when it finds the ring IDLE (without Mesa's 1 ms rate limit).
 *
 *   ring_latency [--reps N]     (bench/ring_latency.sh builds and runs it)
 *
 * Prints median, 90th percentile and maximum latency in microseconds per gap.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "virgl-next/virgl_next.h"

#define CMD_CREATE_RING 188u
#define CMD_DESTROY_RING 189u
#define CMD_NOTIFY_RING 190u
#define CMD_WAIT_VQ_SEQNO 252u
#define STYPE_RING_CREATE_INFO 1000384000u
#define STATUS_IDLE 1u
#define STATUS_FATAL 2u

#define CTX 1u
#define RES 1u
#define RING_ID 0x1234u
#define HEAD_OFF 0u
#define TAIL_OFF 64u
#define STATUS_OFF 128u
#define BUF_OFF 192u
#define BUF_SIZE 4096u
#define EXTRA_OFF (BUF_OFF + BUF_SIZE)
#define SHM_SIZE 8192u
#define IDLE_TIMEOUT_NS 1000000ull

struct buf {
	uint8_t data[256];
	size_t len;
};

static void put32(struct buf *b, uint32_t v)
{
	memcpy(b->data + b->len, &v, 4);
	b->len += 4;
}

static void put64(struct buf *b, uint64_t v)
{
	memcpy(b->data + b->len, &v, 8);
	b->len += 8;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "ring_latency: %s: %s\n", what, vgn_strerror(err));
	return 1;
}

static int create_ring(vgn_renderer *r)
{
	struct buf b = {.len = 0};
	put32(&b, CMD_CREATE_RING);
	put32(&b, 0);
	put64(&b, RING_ID);
	put64(&b, 1); /* pCreateInfo present */
	put32(&b, STYPE_RING_CREATE_INFO);
	put64(&b, 0); /* pNext: no monitor, no priority */
	put32(&b, 0); /* flags */
	put32(&b, RES);
	put64(&b, 0);               /* offset */
	put64(&b, EXTRA_OFF + 4);   /* size */
	put64(&b, IDLE_TIMEOUT_NS); /* idleTimeout, as Mesa */
	put64(&b, HEAD_OFF);
	put64(&b, TAIL_OFF);
	put64(&b, STATUS_OFF);
	put64(&b, BUF_OFF);
	put64(&b, BUF_SIZE);
	put64(&b, EXTRA_OFF);
	put64(&b, 4); /* extraSize */
	return vgn_context_submit(r, CTX, b.data, b.len);
}

static int ring_cmd(vgn_renderer *r, uint32_t type, bool with_seqno, uint32_t seqno)
{
	struct buf b = {.len = 0};
	put32(&b, type);
	put32(&b, 0);
	put64(&b, RING_ID);
	if (with_seqno) {
		put32(&b, seqno);
		put32(&b, 0); /* flags */
	}
	return vgn_context_submit(r, CTX, b.data, b.len);
}

/* One submission after sleeping gap_ns: ns from publishing tail to head reaching it. */
static int submit_once(vgn_renderer *r, uint8_t *shm, uint32_t *tail, uint64_t gap_ns,
                       uint64_t *latency)
{
	volatile uint32_t *head = (volatile uint32_t *)(shm + HEAD_OFF);
	volatile uint32_t *tailp = (volatile uint32_t *)(shm + TAIL_OFF);
	volatile uint32_t *status = (volatile uint32_t *)(shm + STATUS_OFF);
	const struct timespec ts = {(time_t)(gap_ns / 1000000000ull),
	                            (long)(gap_ns % 1000000000ull)};
	if (gap_ns)
		nanosleep(&ts, NULL);
	/* vkWaitVirtqueueSeqnoMESA(0): a ring-only command that returns at once. */
	const uint32_t cmd[4] = {CMD_WAIT_VQ_SEQNO, 0, 0, 0};
	memcpy(shm + BUF_OFF + (*tail % BUF_SIZE), cmd, sizeof(cmd));
	*tail += sizeof(cmd);
	const uint64_t t0 = now_ns();
	__atomic_store_n(tailp, *tail, __ATOMIC_RELEASE);
	const uint32_t st = __atomic_load_n(status, __ATOMIC_SEQ_CST);
	if (st & STATUS_FATAL)
		return -1;
	if (st & STATUS_IDLE) {
		int ret = ring_cmd(r, CMD_NOTIFY_RING, true, *tail);
		if (ret)
			return ret;
	}
	/* Poll in 1 us sleeps: a busy loop would compete with the ring thread for the CPU. */
	const struct timespec poll = {0, 1000};
	while (__atomic_load_n(head, __ATOMIC_ACQUIRE) != *tail) {
		if (now_ns() - t0 > 5000000000ull)
			return -2; /* 5 s: stuck */
		nanosleep(&poll, NULL);
	}
	*latency = now_ns() - t0;
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t reps = 200;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			reps = (uint32_t)strtoul(argv[++i], NULL, 10);
		} else {
			fprintf(stderr, "usage: %s [--reps N]\n", argv[0]);
			return 2;
		}
	}
	if (reps < 1)
		reps = 1;
	/* Our own sleeps should be as long as asked, so that the gaps mean what they say. */
	prctl(PR_SET_TIMERSLACK, 1000ul, 0, 0, 0);

	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = VGN_RENDERER_PARAMS_SIZE_V2;
	p.backends = VGN_BACKEND_VULKAN;
	p.log_level = VGN_LOG_ERROR;
	vgn_renderer *r = NULL;
	int ret = vgn_renderer_create(&p, &r);
	if (ret)
		return fail("renderer", ret);
	struct vgn_context_params cp = {.size = VGN_CONTEXT_PARAMS_SIZE_V1,
	                                .capset_id = VGN_CAPSET_VENUS,
	                                .debug_name = "ring_latency"};
	struct vgn_blob_params bp;
	memset(&bp, 0, sizeof(bp));
	bp.size = VGN_BLOB_PARAMS_SIZE_V1;
	bp.ctx_id = CTX;
	bp.blob_mem = VGN_BLOB_MEM_HOST3D;
	bp.blob_flags = VGN_BLOB_FLAG_MAPPABLE;
	bp.blob_size = SHM_SIZE;
	void *ptr = NULL;
	uint64_t size = 0;
	if ((ret = vgn_context_create(r, CTX, &cp)) ||
	    (ret = vgn_resource_create_blob(r, RES, &bp)) ||
	    (ret = vgn_resource_map(r, RES, &ptr, &size)) || (ret = create_ring(r))) {
		vgn_renderer_destroy(r);
		return fail("context, blob or ring", ret);
	}
	uint8_t *shm = ptr;
	uint32_t tail = 0;
	uint64_t *lat = calloc(reps, sizeof(*lat));
	if (!lat) {
		vgn_renderer_destroy(r);
		return 1;
	}
	static const uint32_t gaps_us[] = {0, 20, 50, 100, 150, 200, 250, 300, 400, 600, 900, 1500};
	printf("%8s %10s %10s %10s   (latency in us from publishing tail to head; %u reps)\n",
	       "gap us", "median", "p90", "max", reps);
	for (size_t g = 0; g < sizeof(gaps_us) / sizeof(gaps_us[0]) && !ret; g++) {
		for (uint32_t i = 0; i < reps && !ret; i++)
			ret = submit_once(r, shm, &tail, gaps_us[g] * 1000ull, &lat[i]);
		if (ret)
			break;
		qsort(lat, reps, sizeof(*lat), cmp_u64);
		printf("%8u %10.1f %10.1f %10.1f\n", gaps_us[g], lat[reps / 2] / 1000.0,
		       lat[(reps * 9) / 10 < reps ? (reps * 9) / 10 : reps - 1] / 1000.0,
		       lat[reps - 1] / 1000.0);
	}
	free(lat);
	if (ret)
		fprintf(stderr, "ring_latency: submission failed (%d)\n", ret);
	ring_cmd(r, CMD_DESTROY_RING, false, 0);
	vgn_context_destroy(r, CTX);
	vgn_renderer_destroy(r);
	return ret ? 1 : 0;
}
