/* SPDX-License-Identifier: MIT */
/*
 * A fake capset-serving backend for tests that link the static core. It lets the
 * suite exercise contexts, attachments, per-ring fences, context errors and HOST3D
 * blobs without a GPU backend, through the internal vgn_renderer_add_backend().
 *
 * Command stream (u32 words) understood by context_submit:
 *   FAKE_OP_NOP                         nothing
 *   FAKE_OP_FATAL                       marks the context fatal, submit fails -EINVAL
 *   FAKE_OP_OBJECT id_lo id_hi size fill creates object `id` (a HOST3D blob source
 *                                       of `size` bytes, every byte `fill`)
 *   FAKE_OP_LOOKUP res_id               -ENOENT unless res_id is attached; on success
 *                                       reads the resource's width into last_width
 *   FAKE_OP_RETIRE ring id_lo id_hi     retires fences on ring up to id (synchronously)
 *   FAKE_OP_RETIRE_ASYNC ring id_lo id_hi  the same, 20 ms later from another thread
 * Anything else marks the context fatal and fails with -EINVAL.
 *
 * Fences: with auto_retire set, context_fence retires at once; otherwise fences
 * retire only through FAKE_OP_RETIRE*. context_fence fails with -ENOMEM for the
 * fence id FAKE_FENCE_FAIL_ID. context_attach_resource refuses FAKE_ATTACH_FAIL_RES.
 * context_create refuses a context whose debug_name is "fail".
 */
#ifndef VGN_FAKE_BACKEND_H
#define VGN_FAKE_BACKEND_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <virgl-next/virgl_next.h>

#define FAKE_CAPSET VGN_CAPSET_VIRGL2
#define FAKE_CAPSET_VERSION 3u
#define FAKE_CAPSET_SIZE 40u
#define FAKE_FENCE_FAIL_ID 0xfa11u
#define FAKE_ATTACH_FAIL_RES 666u

enum {
	FAKE_OP_NOP = 0,
	FAKE_OP_FATAL = 1,
	FAKE_OP_OBJECT = 2,
	FAKE_OP_LOOKUP = 3,
	FAKE_OP_RETIRE = 4,
	FAKE_OP_RETIRE_ASYNC = 5,
};

struct fake_stats {
	unsigned contexts_live;
	unsigned contexts_created;
	unsigned attached_live;
	unsigned submits;
	unsigned fences;
	unsigned destroyed; /* backend destroy called */
	uint32_t last_width;
};

/* Adds the fake backend to r (before any object exists). The counters go to the
 * caller's *stats (atomically updated; it must outlive r). 0 or -errno. */
int fake_backend_add(vgn_renderer *r, bool auto_retire, struct fake_stats *stats);
/* Atomic read of one counter. */
unsigned fake_read(const unsigned *counter);
/* Byte i of the fake capset blob. */
uint8_t fake_capset_byte(uint32_t i);

#endif
