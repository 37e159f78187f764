/* SPDX-License-Identifier: MIT */
/*
 * fuzz_venus_live: Venus command streams on a live vkr context (lavapipe).
 *
 * fuzz_venus_decode exercises the generated decoders alone; this harness runs
 * the hand-written handlers and the host driver behind them, the way a guest's
 * SUBMIT_3D buffers reach a Venus context.
 *
 * One renderer with only the Vulkan backend lives for the whole process. Each
 * input gets a fresh Venus context and a 4 KiB HOST3D blob (resource 1, attached)
 * that streams may name in vkSetReplyCommandStreamMESA. The input is a list of
 * submit buffers (fuzz_submit.h). Seeds come from fuzz/gen_venus_live_seeds (device, buffer,
 * memory, command buffer and submission sequences encoded by the test-only
 * driver-side encoders).
 *
 * Invariants: a submit returns 0 or a negative error; once a submit failed the
 * context answers -EIO; creating and destroying the context and its blob always
 * succeed (ASan and the leak checker cover the handlers' memory; a Vulkan object
 * leaked by a handler shows as growth of the host device's allocations at exit).
 */
#include <errno.h>

#include "backend.h"
#include "fuzz.h"
#include "fuzz_submit.h"
#include "virgl-next/virgl_next.h"

/* The core references the vkr factory weakly: make the static link keep it. */
typedef int (*vkr_factory)(vgn_renderer *, const struct vgn_renderer_params *,
                           struct vgn_backend **);
vkr_factory volatile fuzz_vkr_factory = vgn_vkr_backend_create;

#define REPLY_RES_ID 1u
#define REPLY_BYTES 4096u

/* Process-lifetime state (harness only, never library). */
static struct {
	vgn_renderer *r;
	uint32_t next_ctx;
	bool broken; /* no host Vulkan: every input is a no-op */
} live;

static void quiet_log(void *user_data, enum vgn_log_level level, const char *message)
{
	(void)user_data;
	FUZZ_CHECK(strlen(message) < 4096);
	if (getenv("FUZZ_VERBOSE")) /* seed debugging: see why a stream stops */
		fprintf(stderr, "[%d] %s\n", (int)level, message);
}

static bool live_setup(void)
{
	if (live.r || live.broken)
		return live.r != NULL;
	struct vgn_renderer_params p = {
	    .size = sizeof(p),
	    .backends = VGN_BACKEND_VULKAN,
	    .log_level = getenv("FUZZ_VERBOSE") ? VGN_LOG_DEBUG : VGN_LOG_ERROR,
	    .callbacks = {.size = sizeof(struct vgn_callbacks), .log = quiet_log},
	};
	if (vgn_renderer_create(&p, &live.r)) {
		live.broken = true;
		return false;
	}
	live.next_ctx = 1;
	return true;
}

static void reply_blob(uint32_t ctx_id)
{
	struct vgn_blob_params bp = {
	    .size = VGN_BLOB_PARAMS_SIZE_V1,
	    .ctx_id = ctx_id,
	    .blob_mem = VGN_BLOB_MEM_HOST3D,
	    .blob_flags = VGN_BLOB_FLAG_MAPPABLE,
	    .blob_size = REPLY_BYTES,
	};
	FUZZ_CHECK(vgn_resource_create_blob(live.r, REPLY_RES_ID, &bp) == 0);
	FUZZ_CHECK(vgn_context_attach_resource(live.r, ctx_id, REPLY_RES_ID) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vgn_context_params cp = {.size = sizeof(cp), .capset_id = VGN_CAPSET_VENUS};
	if (!live_setup())
		return 0;
	uint32_t ctx_id = live.next_ctx++;
	if (!live.next_ctx)
		live.next_ctx = 1;
	FUZZ_CHECK(vgn_context_create(live.r, ctx_id, &cp) == 0);
	reply_blob(ctx_id);

	fuzz_submit_buffers(live.r, ctx_id, data, data + size);
	FUZZ_CHECK(vgn_resource_unref(live.r, REPLY_RES_ID) == 0);
	FUZZ_CHECK(vgn_context_destroy(live.r, ctx_id) == 0);
	return 0;
}
