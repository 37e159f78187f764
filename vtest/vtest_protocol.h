/* SPDX-License-Identifier: MIT */
/*
 * vtest wire constants (see /work/shared/spec/vtest.md, our reference text).
 * Numbers are facts of the wire format; the names are ours.
 */
#ifndef VTEST_PROTOCOL_H
#define VTEST_PROTOCOL_H

#include <stdint.h>

/* Highest protocol version this server speaks (Mesa 25.0.7 asks for 3). */
#define VTEST_PROTOCOL_VERSION_MAX 3u

/* Every request and most responses start with {len, id}. */
#define VTEST_HDR_DWORDS 2u
#define VTEST_HDR_LEN 0
#define VTEST_HDR_ID 1

enum vtest_cmd_id {
	VTEST_CMD_GET_CAPS = 1,
	VTEST_CMD_RESOURCE_CREATE = 2,
	VTEST_CMD_RESOURCE_UNREF = 3,
	VTEST_CMD_TRANSFER_GET = 4,
	VTEST_CMD_TRANSFER_PUT = 5,
	VTEST_CMD_SUBMIT_CMD = 6,
	VTEST_CMD_RESOURCE_BUSY_WAIT = 7,
	VTEST_CMD_CREATE_RENDERER = 8,
	VTEST_CMD_GET_CAPS2 = 9,
	VTEST_CMD_PING_PROTOCOL_VERSION = 10,
	VTEST_CMD_PROTOCOL_VERSION = 11,
	VTEST_CMD_RESOURCE_CREATE2 = 12,
	VTEST_CMD_TRANSFER_GET2 = 13,
	VTEST_CMD_TRANSFER_PUT2 = 14,
	VTEST_CMD_GET_PARAM = 15,
	VTEST_CMD_GET_CAPSET = 16,
	VTEST_CMD_CONTEXT_INIT = 17,
	VTEST_CMD_RESOURCE_CREATE_BLOB = 18,
	VTEST_CMD_SYNC_CREATE = 19,
	VTEST_CMD_SYNC_UNREF = 20,
	VTEST_CMD_SYNC_READ = 21,
	VTEST_CMD_SYNC_WRITE = 22,
	VTEST_CMD_SYNC_WAIT = 23,
	VTEST_CMD_SUBMIT_CMD2 = 24,
};

/* The GET_CAPS2 answer carries id 2, not 9 (spec §3.3). */
#define VTEST_RESP_ID_GET_CAPS 1u
#define VTEST_RESP_ID_GET_CAPS2 2u

/* RESOURCE_BUSY_WAIT flags. */
#define VTEST_BUSY_WAIT_FLAG_WAIT 1u

/* GET_PARAM parameters. */
#define VTEST_PARAM_MAX_TIMELINE_COUNT 1u

/* SYNC_WAIT flags. */
#define VTEST_SYNC_WAIT_FLAG_ANY 1u

/* SUBMIT_CMD2 batch header: 6 dwords as Mesa 25.0.7 writes them (spec §7.6). */
#define VTEST_SUBMIT2_BATCH_DWORDS 6u
#define VTEST_SUBMIT2_FLAG_RING_IDX 1u
#define VTEST_SUBMIT2_FLAG_IN_FENCE_FD 2u  /* protocol 4 only: rejected */
#define VTEST_SUBMIT2_FLAG_OUT_FENCE_FD 4u /* protocol 4 only: rejected */
enum {
	VTEST_SUBMIT2_B_FLAGS = 0,
	VTEST_SUBMIT2_B_CMD_OFFSET = 1,
	VTEST_SUBMIT2_B_CMD_SIZE = 2,
	VTEST_SUBMIT2_B_SYNC_OFFSET = 3,
	VTEST_SUBMIT2_B_SYNC_COUNT = 4,
	VTEST_SUBMIT2_B_RING_IDX = 5,
};

/* Payload sizes in dwords of the fixed-size requests. */
#define VTEST_RESOURCE_CREATE_DWORDS 10u
#define VTEST_RESOURCE_CREATE2_DWORDS 11u
#define VTEST_TRANSFER_DWORDS 11u  /* TRANSFER_GET / TRANSFER_PUT header (v0) */
#define VTEST_TRANSFER2_DWORDS 10u /* TRANSFER_GET2 / TRANSFER_PUT2 */
#define VTEST_BLOB_DWORDS 6u

/* RESOURCE_CREATE_BLOB types (= virtio-gpu blob mem types). */
#define VTEST_BLOB_TYPE_GUEST 1u
#define VTEST_BLOB_TYPE_HOST3D 2u
#define VTEST_BLOB_TYPE_HOST3D_GUEST 3u

/* ---- Server-side limits: every allocation a client can cause is capped. ---- */
#define VTEST_MAX_NAME_BYTES (1u << 20)       /* CREATE_RENDERER name */
#define VTEST_MAX_SUBMIT_BYTES (16u << 20)    /* SUBMIT_CMD / SUBMIT_CMD2 payload */
#define VTEST_MAX_INLINE_BYTES (64u << 20)    /* TRANSFER_PUT / TRANSFER_GET data */
#define VTEST_MAX_SHM_BYTES (4ull << 30)      /* one resource's shared memory */
#define VTEST_MAX_RESOURCES 262144u           /* live resources per connection */
#define VTEST_MAX_SYNCS 65536u                /* live syncs per connection */
#define VTEST_MAX_WAIT_SYNCS 1024u            /* syncs in one SYNC_WAIT */
#define VTEST_MAX_PENDING_WAITS 4096u         /* unfinished SYNC_WAITs per connection */
#define VTEST_MAX_PENDING_SIGNALS 65536u      /* SUBMIT_CMD2 batches awaiting a fence */
#define VTEST_MAX_PENDING_SIGNAL_REFS 262144u /* syncs named by those batches, in all */
#define VTEST_MAX_BATCH_SYNCS 1024u           /* syncs one SUBMIT_CMD2 batch may set */
#define VTEST_MAX_CAPSET_BYTES (1u << 20)     /* capset answer */
#define VTEST_WAIT_GRACE_MS 1000u             /* a timed wait is kept this much longer */

#endif /* VTEST_PROTOCOL_H */
