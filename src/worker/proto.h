/* SPDX-License-Identifier: MIT */
/*
 * Wire format between the library (parent) and a virgl-next-worker process
 * (docs/worker.md). One SOCK_SEQPACKET socket per worker; every message is one
 * packet starting with vgn_wmsg_hdr whose len is the packet's exact length. An
 * fd travels as SCM_RIGHTS on the packet that names it (at most one).
 *
 * Parent -> worker requests are answered, in order, by exactly one REPLY; the
 * parent has at most one request outstanding per worker. FENCE_RETIRED, FATAL
 * and LOG arrive at any time. Both sides treat anything else as a protocol
 * error (the parent kills the worker; the worker exits).
 */
#ifndef VGN_WORKER_PROTO_H
#define VGN_WORKER_PROTO_H

#include <stdint.h>

/* The largest packet either side sends or accepts. */
#define VGN_WMSG_MAX 65536u
/* The fd number the child's end of the socket has in the worker. */
#define VGN_WORKER_CHANNEL_FD 3
/* A submit larger than this travels in a sealed memfd instead of inline. */
#define VGN_WMSG_INLINE_SUBMIT_MAX (VGN_WMSG_MAX - 64u)
/* Reason strings (FATAL) and log lines (LOG) are cut to these sizes. */
#define VGN_WMSG_REASON_MAX 128u
#define VGN_WMSG_LOG_MAX 1024u

/* Debug submits (VGN_DEBUG_WORKER_HOOKS): dword 0 'VGND', dword 1 the hook. */
#define VGN_WORKER_HOOK_MAGIC 0x444E4756u
#define VGN_WORKER_HOOK_CRASH 1u
#define VGN_WORKER_HOOK_HANG 2u

enum vgn_wmsg_type {
	/* parent -> worker */
	VGN_WMSG_INIT = 1,
	VGN_WMSG_CAPSET_INFO = 2,
	VGN_WMSG_CAPSET_FILL = 3,
	VGN_WMSG_CONTEXT_CREATE = 4,
	VGN_WMSG_SUBMIT = 5,
	VGN_WMSG_ATTACH = 6,
	VGN_WMSG_DETACH = 7,
	VGN_WMSG_FENCE = 8,
	VGN_WMSG_GET_BLOB = 9,
	/* worker -> parent */
	VGN_WMSG_REPLY = 0x100,
	VGN_WMSG_FENCE_RETIRED = 0x101,
	VGN_WMSG_FATAL = 0x102,
	VGN_WMSG_LOG = 0x103,
};

struct vgn_wmsg_hdr {
	uint32_t type; /* enum vgn_wmsg_type */
	uint32_t len;  /* bytes of the whole packet, header included */
};

/* The worker's renderer settings (the parent's limits, so that a context
 * behaves the same in both modes). */
struct vgn_wmsg_init {
	struct vgn_wmsg_hdr hdr;
	uint32_t log_level;
	uint32_t debug_flags;
	uint32_t max_rings_per_context;
	uint32_t max_objects_per_context;
	uint32_t max_resources_per_context;
	uint32_t max_submit_bytes;
	uint64_t max_bytes_per_context;
	uint64_t max_total_bytes;
};

/* CAPSET_INFO (version ignored) and CAPSET_FILL. */
struct vgn_wmsg_capset {
	struct vgn_wmsg_hdr hdr;
	uint32_t capset_id;
	uint32_t version;
	uint32_t buf_size; /* FILL: at most VGN_WMSG_MAX - sizeof(reply) */
	uint32_t pad;
};

struct vgn_wmsg_context_create {
	struct vgn_wmsg_hdr hdr;
	uint32_t ctx_id;
	uint32_t capset_id;
	char debug_name[64]; /* NUL terminated */
};

/* size bytes follow inline, or (in_fd) lie in the memfd sent with it. */
struct vgn_wmsg_submit {
	struct vgn_wmsg_hdr hdr;
	uint32_t size;
	uint32_t in_fd;
};

/* A resource the context can use, with its memory as an fd: HOST3D plain
 * memory (blob_id 0, SHM fd, fd_offset 0) or GUEST pages at fd_offset. */
struct vgn_wmsg_attach {
	struct vgn_wmsg_hdr hdr;
	uint32_t res_id;
	uint32_t blob_mem; /* VGN_BLOB_MEM_HOST3D or VGN_BLOB_MEM_GUEST */
	uint32_t blob_flags;
	uint32_t pad;
	uint64_t size;
	uint64_t fd_offset;
};

struct vgn_wmsg_detach {
	struct vgn_wmsg_hdr hdr;
	uint32_t res_id;
	uint32_t pad;
};

/* FENCE (request) and FENCE_RETIRED (event): same layout. */
struct vgn_wmsg_fence {
	struct vgn_wmsg_hdr hdr;
	uint32_t ring;
	uint32_t pad;
	uint64_t fence_id;
};

struct vgn_wmsg_get_blob {
	struct vgn_wmsg_hdr hdr;
	uint32_t blob_flags;
	uint32_t pad;
	uint64_t blob_id;
	uint64_t size;
};

/* Answer to any request. CAPSET_FILL: `written` bytes follow. GET_BLOB: the
 * memory's fd comes with it and the blob fields are set. */
struct vgn_wmsg_reply {
	struct vgn_wmsg_hdr hdr;
	uint32_t request; /* type of the request answered */
	int32_t status;   /* 0 or a negative errno */
	uint32_t max_version;
	uint32_t max_size;
	uint32_t written;
	uint32_t handle_type;
	uint32_t map_cache_type;
	uint32_t memory_type_index;
	uint64_t size;
	uint8_t device_uuid[16];
	uint8_t driver_uuid[16];
};

struct vgn_wmsg_fatal {
	struct vgn_wmsg_hdr hdr;
	int32_t error;
	uint32_t pad;
	char reason[VGN_WMSG_REASON_MAX]; /* NUL terminated */
};

/* text (NUL terminated, len - sizeof(struct vgn_wmsg_log) bytes) follows. */
struct vgn_wmsg_log {
	struct vgn_wmsg_hdr hdr;
	uint32_t level;
	uint32_t pad;
};

#endif
