/* SPDX-License-Identifier: MIT */
/*
 * fuzz_virgl_decode: vrend's virgl command-stream decoder (vrend/decode.h) on
 * arbitrary streams, as a virgl context's SUBMIT_3D buffers reach it.
 *
 * Input: byte 0 = options (bits 0-2: sub-context limit 1..8 or the default;
 * bit 3: the sub-context create hook fails for odd ids; bit 4: run the buffers
 * through a real vrend context on the host GL instead, see below), then buffers separated
 * by the 4-byte marker "VGNB" (each is copied into an exactly sized u32 array so
 * that any read past its end is a sanitizer report; a trailing partial dword is
 * dropped as the core would never pass one).
 *
 * Invariants: the sub-context count stays within the limit, sub-context 0 and a
 * current sub-context always exist, a dead decoder keeps answering its error,
 * and every hook-created sub-context is destroyed exactly once (leaks and double
 * frees are ASan reports). Without a context the rendering handlers must fail
 * cleanly (-EIO: no GL context), never touch anything.
 *
 * Real-context mode (bit 4): one renderer with vrend (surfaceless EGL) lives for
 * the whole process with two resources (a 16x16 B8G8R8A8 texture as ids 1 and
 * a 4 KiB buffer as id 2, with guest backing); each input gets a fresh virgl
 * context with both attached, its buffers are submitted, and the context is
 * destroyed. Invariants: a submit returns 0 or a negative error, after an error
 * the context answers -EIO, and the other objects survive (ASan sees leaks of
 * GL-side bookkeeping at exit).
 */
#include <errno.h>
#include <sys/uio.h>

#include "backend.h"
#include "decode.h"
#include "fuzz.h"
#include "fuzz_submit.h"
#include "virgl-next/virgl_next.h"

/* The core references the vrend factory weakly: make the static link keep it. */
typedef int (*vrend_factory)(vgn_renderer *, const struct vgn_renderer_params *,
                             struct vgn_backend **);
vrend_factory volatile fuzz_vrend_factory = vgn_vrend_backend_create;

/* Process-lifetime state of real-context mode (harness only, never library). */
static struct {
	vgn_renderer *r;
	uint32_t next_ctx;
	uint8_t tex_mem[16 * 16 * 4];
	uint8_t buf_mem[4096];
	bool broken; /* no host GL: the mode is skipped */
} real;

static void quiet_log(void *user_data, enum vgn_log_level level, const char *message)
{
	(void)user_data;
	(void)level;
	FUZZ_CHECK(strlen(message) < 4096);
}

static bool real_setup(void)
{
	if (real.r || real.broken)
		return real.r != NULL;
	struct vgn_renderer_params p = {
	    .size = sizeof(p),
	    .backends = VGN_BACKEND_GL | VGN_BACKEND_CPU2D,
	    .log_level = VGN_LOG_ERROR,
	    .callbacks = {.size = sizeof(struct vgn_callbacks), .log = quiet_log},
	    .gl_platform = VGN_GL_PLATFORM_SURFACELESS,
	};
	struct vgn_resource_create_params tex = {.size = sizeof(tex),
	                                         .target = 2 /* 2D */,
	                                         .format = 1,
	                                         .bind = (1u << 1) | (1u << 3),
	                                         .width = 16,
	                                         .height = 16,
	                                         .depth = 1,
	                                         .array_size = 1};
	struct vgn_resource_create_params buf = {.size = sizeof(buf),
	                                         .target = 0 /* buffer */,
	                                         .format = 64,
	                                         .bind = 1u << 4,
	                                         .width = sizeof(real.buf_mem),
	                                         .height = 1,
	                                         .depth = 1,
	                                         .array_size = 1};
	struct iovec tiov = {real.tex_mem, sizeof(real.tex_mem)};
	struct iovec biov = {real.buf_mem, sizeof(real.buf_mem)};
	struct vgn_backing tb = {.size = sizeof(tb), .iov = &tiov, .num_iovs = 1, .dmabuf_fd = -1};
	struct vgn_backing bb = {.size = sizeof(bb), .iov = &biov, .num_iovs = 1, .dmabuf_fd = -1};

	if (vgn_renderer_create(&p, &real.r)) {
		real.broken = true;
		return false;
	}
	FUZZ_CHECK(vgn_resource_create(real.r, 1, &tex) == 0);
	FUZZ_CHECK(vgn_resource_attach_backing(real.r, 1, &tb) == 0);
	FUZZ_CHECK(vgn_resource_create(real.r, 2, &buf) == 0);
	FUZZ_CHECK(vgn_resource_attach_backing(real.r, 2, &bb) == 0);
	real.next_ctx = 1;
	return true;
}

static int run_real(const uint8_t *data, size_t size)
{
	struct vgn_context_params cp = {.size = sizeof(cp), .capset_id = VGN_CAPSET_VIRGL2};
	const uint8_t *end = data + size;
	uint32_t ctx_id;

	if (!real_setup())
		return 0;
	ctx_id = real.next_ctx++;
	if (!real.next_ctx)
		real.next_ctx = 1;
	FUZZ_CHECK(vgn_context_create(real.r, ctx_id, &cp) == 0);
	FUZZ_CHECK(vgn_context_attach_resource(real.r, ctx_id, 1) == 0);
	FUZZ_CHECK(vgn_context_attach_resource(real.r, ctx_id, 2) == 0);
	fuzz_submit_buffers(real.r, ctx_id, data + 1, end);
	FUZZ_CHECK(vgn_context_destroy(real.r, ctx_id) == 0);
	return 0;
}

struct hook_state {
	bool fail_odd;
	uint32_t live;
};

static int hook_create(void *user_data, struct vrend_sub_ctx *sub)
{
	struct hook_state *hs = user_data;

	if (hs->fail_odd && (sub->id & 1))
		return -ENOMEM;
	/* Something the destroy hook must free: a leak or double free shows. */
	sub->priv = malloc(16);
	if (!sub->priv)
		return -ENOMEM;
	memcpy(sub->priv, &sub->id, sizeof(sub->id));
	hs->live++;
	return 0;
}

static void hook_destroy(void *user_data, struct vrend_sub_ctx *sub)
{
	struct hook_state *hs = user_data;
	uint32_t id;

	memcpy(&id, sub->priv, sizeof(id));
	FUZZ_CHECK(id == sub->id);
	free(sub->priv);
	hs->live--;
}

static void log_cb(void *user_data, enum vgn_log_level level, const char *message)
{
	/* Formatting happened in the decoder; touch the result. */
	FUZZ_CHECK(strlen(message) < 4096);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hook_state hs = {0};
	struct vrend_sub_ctx_hooks hooks = {&hs, hook_create, hook_destroy};
	struct vrend_logger logger = {log_cb, NULL, VGN_LOG_DEBUG};
	struct vrend_decoder_params params = {.ctx_id = 1, .logger = &logger, .hooks = &hooks};
	const uint8_t *p, *end = data + size;
	struct vrend_decoder *dec;
	uint32_t max_subs;
	int dead = 0;

	if (!size)
		return 0;
	if (data[0] & 0x10)
		return run_real(data, size);
	params.max_sub_ctx = data[0] & 7;
	hs.fail_odd = data[0] & 8;
	max_subs = params.max_sub_ctx ? params.max_sub_ctx : VREND_DEFAULT_MAX_SUB_CTX;
	if (vrend_decoder_create(&params, &dec))
		return 0;

	for (p = data + 1; p <= end;) {
		const uint8_t *m = fuzz_next_marker(p, end);
		size_t ndw = (size_t)(m - p) / 4;
		uint32_t *buf = malloc(ndw ? ndw * 4 : 1);
		int ret;

		FUZZ_CHECK(buf);
		if (ndw)
			memcpy(buf, p, ndw * 4);
		ret = vrend_decode(dec, buf, ndw);
		free(buf);
		if (dead)
			FUZZ_CHECK(ret == dead);
		else if (ret)
			dead = ret;
		FUZZ_CHECK(ret <= 0);
		FUZZ_CHECK(vrend_decoder_num_sub_ctx(dec) >= 1);
		FUZZ_CHECK(vrend_decoder_num_sub_ctx(dec) <= max_subs);
		FUZZ_CHECK(hs.live == vrend_decoder_num_sub_ctx(dec));
		FUZZ_CHECK(vrend_decoder_current(dec) != NULL);
		FUZZ_CHECK(vrend_decoder_find_sub_ctx(dec, 0) != NULL);
		if (ret)
			FUZZ_CHECK(vrend_decoder_error(dec)[0] != '\0');
		if (m == end)
			break;
		p = m + 4;
	}
	vrend_decoder_destroy(dec);
	FUZZ_CHECK(hs.live == 0);
	return 0;
}
