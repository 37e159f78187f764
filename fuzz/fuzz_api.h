/* SPDX-License-Identifier: MIT */
/*
 * fuzz_api: the public API driven by a little program decoded from the input.
 * fuzz_api.c holds the state, the model and the invariant checks; fuzz_api_res.c
 * and fuzz_api_ops.c the operations. Program format: see fuzz_api.c.
 */
#ifndef VGN_FUZZ_API_H
#define VGN_FUZZ_API_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "fuzz.h"
#include "virgl-next/virgl_next.h"

#define API_NRES 8u           /* resource ids 1..8 are modelled (0 is always invalid) */
#define API_NCTX 3u           /* context ids 1..3 */
#define API_GUEST_SIZE 65536u /* the fuzzer-owned "guest RAM" */
#define API_DST_SIZE 16384u   /* copy_out destination */
#define API_SLOT_SIZE 65536u  /* map_fixed window per resource id */
#define API_MAX_IOVS 8u
#define API_NFDS 4u            /* exported fds kept for imports */
#define API_CHECK_BYTES 65536u /* bytes of a mapping checked at each end */

/* What the harness knows about a resource id. */
struct api_res {
	bool live;
	bool blob;
	bool backing; /* classic: guest backing attached */
	bool written; /* host contents may be non-zero */
	/* A LINEAR backing (shared mapping): the resource may store its content in these
	 * guest bytes, so an upload may change them (and only them). */
	uint8_t *linear_base;
	uint64_t linear_len;
	bool mapped;
	bool fixed;       /* mapped by map_fixed into its window slot */
	uint8_t *map_ptr; /* while mapped */
	uint64_t blob_size;
	uint32_t blob_mem;
	/* GUEST blob: its guest pages, for map checks. */
	uint8_t *iov0_base;
	uint64_t iov0_len;
	uint32_t num_iovs;
};

struct api_ctx {
	bool live;
	bool dead;                       /* context_fatal delivered (or may be: a failed submit) */
	uint64_t retired[VGN_MAX_RINGS]; /* highest delivered / read */
};

struct api_state {
	vgn_renderer *r;
	struct fuzz_in in;
	uint8_t *guest;  /* API_GUEST_SIZE bytes, exactly sized */
	uint8_t *shadow; /* copy of guest for "a failed call changed nothing" */
	uint8_t *dst;    /* API_DST_SIZE bytes */
	uint8_t *window; /* (API_NRES + 1) * API_SLOT_SIZE reserved PROT_NONE */
	size_t page;
	int fds[API_NFDS];
	uint32_t next_fd;
	struct api_res res[API_NRES + 1];
	/* Thread mode: the callbacks run on the library's thread; ctx[] is then
	 * guarded by cb_lock (the main thread changes `live` only under it). */
	pthread_mutex_t cb_lock;
	struct api_ctx ctx[API_NCTX + 1]; /* [0] = device timeline */
	bool thread_mode;
	bool debug; /* FUZZ_DEBUG set: trace ops and the library log */
};

/* Builds an iovec list over the guest memory from the input (maybe invalid). */
uint32_t api_make_iov(struct api_state *s, struct iovec *iov);
uint32_t api_pick_res(struct api_state *s);
uint32_t api_pick_ctx(struct api_state *s);

/* Resource operations (fuzz_api_res.c). */
void api_op_res_create(struct api_state *s);
void api_op_res_unref(struct api_state *s);
void api_op_attach_backing(struct api_state *s);
void api_op_detach_backing(struct api_state *s);
void api_op_transfer(struct api_state *s, bool to_host);
void api_op_copy_out(struct api_state *s);
void api_op_blob_create(struct api_state *s);
void api_op_map(struct api_state *s);
void api_op_map_fixed(struct api_state *s);
void api_op_unmap(struct api_state *s);
void api_op_map_info(struct api_state *s);
void api_op_export(struct api_state *s);
void api_op_import(struct api_state *s);

/* One operation; returns false when the input is used up. */
bool api_run_op(struct api_state *s);

#endif
