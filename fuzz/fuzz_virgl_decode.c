/* SPDX-License-Identifier: MIT */
/*
 * fuzz_virgl_decode: vrend's virgl command-stream decoder (vrend/decode.h) on
 * arbitrary streams, as a virgl context's SUBMIT_3D buffers reach it.
 *
 * Input: byte 0 = options (bits 0-2: sub-context limit 1..8 or the default;
 * bit 3: the sub-context create hook fails for odd ids), then buffers separated
 * by the 4-byte marker "VGNB" (each is copied into an exactly sized u32 array so
 * that any read past its end is a sanitizer report; a trailing partial dword is
 * dropped as the core would never pass one).
 *
 * Invariants: the sub-context count stays within the limit, sub-context 0 and a
 * current sub-context always exist, a dead decoder keeps answering its error,
 * and every hook-created sub-context is destroyed exactly once (leaks and double
 * frees are ASan reports).
 */
#include <errno.h>

#include "decode.h"
#include "fuzz.h"

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

static const uint8_t *next_marker(const uint8_t *p, const uint8_t *end)
{
	for (; end - p >= 4; p++) {
		if (!memcmp(p, "VGNB", 4))
			return p;
	}
	return end;
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
	params.max_sub_ctx = data[0] & 7;
	hs.fail_odd = data[0] & 8;
	max_subs = params.max_sub_ctx ? params.max_sub_ctx : VREND_DEFAULT_MAX_SUB_CTX;
	if (vrend_decoder_create(&params, &dec))
		return 0;

	for (p = data + 1; p <= end;) {
		const uint8_t *m = next_marker(p, end);
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
