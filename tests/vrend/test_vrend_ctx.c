/* SPDX-License-Identifier: MIT */
/*
 * vrend contexts through the renderer on the live host GL (vctx_harness):
 * lifecycle, sub-contexts with their own GL contexts, several contexts, hostile
 * streams that kill only their own context, objects and resources released with
 * the context, a clear read back through a transfer, and the claimed caps
 * features reaching real handlers.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend_internal.h"
#include "caps.h"
#include "decode_internal.h"
#include "protocol.h"
#include "renderer.h"
#include "res_gl.h"
#include "vctx.h"
#include "vctx_harness.h"

static struct vrend_sub *sub_of(struct vrend_decoder *dec, uint32_t id)
{
	struct vrend_sub_ctx *s = vrend_decoder_find_sub_ctx(dec, id);

	return s ? s->priv : NULL;
}

START_TEST(lifecycle)
{
	struct vh *h = vh_create();
	struct vh_cb cb;

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(vh_ctx_create(h, 1), -EEXIST);
	struct vrend_decoder *dec = vh_decoder(h, 1);
	ck_assert_uint_eq(vrend_decoder_num_sub_ctx(dec), 1);
	struct vrend_sub *s0 = sub_of(dec, 0);
	ck_assert_ptr_nonnull(s0);
	ck_assert_ptr_nonnull(s0->gl);
	ck_assert_ptr_eq(s0->dsub, vrend_decoder_find_sub_ctx(dec, 0));

	vh_cb_init(&cb);
	vh_cmd(&cb, VREND_CCMD_NOP, 0, 2);
	vh_dw(&cb, 1);
	vh_dw(&cb, 2);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_uint_eq(vrend_decoder_stats(dec)->executed[VREND_CCMD_NOP], 1);
	vh_cb_fini(&cb);
	vh_ctx_destroy(h, 1);
	vh_destroy(h);
}
END_TEST

START_TEST(sub_contexts_have_own_gl)
{
	struct vh *h = vh_create();
	struct vh_cb cb;

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	vh_cb_init(&cb);
	vh_create_sub_ctx(&cb, 1);
	vh_create_sub_ctx(&cb, 2);
	vh_set_sub_ctx(&cb, 2);
	vh_destroy_object(&cb, VREND_OBJ_SURFACE, 77); /* unknown handle */
	ck_assert_int_eq(vh_submit(h, 1, &cb), -EINVAL);
	/* The error reached a real handler on sub-context 2 with a GL context. */
	struct vrend_decoder *dec = vh_decoder(h, 1);
	ck_assert_ptr_nonnull(strstr(vrend_decoder_error(dec), "no object 77"));
	vh_ctx_destroy(h, 1);

	ck_assert_int_eq(vh_ctx_create(h, 2), 0);
	dec = vh_decoder(h, 2);
	vh_cb_reset(&cb);
	vh_create_sub_ctx(&cb, 5);
	vh_create_sub_ctx(&cb, 6);
	vh_set_sub_ctx(&cb, 6);
	vh_destroy_sub_ctx(&cb, 5);
	ck_assert_int_eq(vh_submit(h, 2, &cb), 0);
	ck_assert_uint_eq(vrend_decoder_num_sub_ctx(dec), 2);
	ck_assert_uint_eq(vrend_decoder_current(dec)->id, 6);
	struct vrend_sub *s0 = sub_of(dec, 0), *s6 = sub_of(dec, 6);
	ck_assert_ptr_nonnull(s6);
	ck_assert_ptr_ne(s0->gl, s6->gl);
	ck_assert_ptr_eq(s6->ctx, s0->ctx);
	/* Destroying the current one falls back to 0. */
	vh_cb_reset(&cb);
	vh_destroy_sub_ctx(&cb, 6);
	ck_assert_int_eq(vh_submit(h, 2, &cb), 0);
	ck_assert_uint_eq(vrend_decoder_current(dec)->id, 0);
	vh_cb_fini(&cb);
	vh_destroy(h); /* destroys context 2 with the renderer */
}
END_TEST

START_TEST(hostile_stream_kills_only_its_context)
{
	struct vh *h = vh_create();
	struct vh_cb bad, good;

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(vh_ctx_create(h, 2), 0);
	vh_cb_init(&bad);
	vh_cb_init(&good);
	vh_cmd(&bad, VREND_CCMD_CLEAR, 0, 8); /* truncated: no payload */
	ck_assert_int_eq(vh_submit(h, 1, &bad), -EINVAL);
	vh_poll(h);
	ck_assert_uint_eq(h->fatal_count, 1);
	ck_assert_uint_eq(h->fatal_ctx, 1);
	ck_assert_ptr_nonnull(strstr(h->fatal_reason, "truncated"));
	/* Dead: refused by the core from now on. */
	vh_cmd(&good, VREND_CCMD_NOP, 0, 0);
	ck_assert_int_eq(vh_submit(h, 1, &good), -EIO);
	/* The other context keeps working, sub-contexts and all. */
	vh_create_sub_ctx(&good, 3);
	vh_set_sub_ctx(&good, 3);
	ck_assert_int_eq(vh_submit(h, 2, &good), 0);
	ck_assert_uint_eq(vrend_decoder_current(vh_decoder(h, 2))->id, 3);
	vh_ctx_destroy(h, 1);
	ck_assert_int_eq(vh_submit(h, 2, &good), 0);
	vh_cb_fini(&bad);
	vh_cb_fini(&good);
	vh_destroy(h);
}
END_TEST

/* Random streams through a real context: nothing may crash or leak; an error
 * always has a reason and kills only that context. */
START_TEST(random_streams_real_context)
{
	struct vh *h = vh_create();
	uint64_t state = 0x243f6a8885a308d3ull;
	struct vh_cb cb;
	uint32_t ctx_id = 10;

	vh_cb_init(&cb);
	ck_assert_int_eq(vh_texture_2d(h, 5, VH_FMT_B8G8R8A8_UNORM, 16, 16,
	                               VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW),
	                 0);
	ck_assert_int_eq(vh_buffer(h, 6, 4096, 1u << 4 /* VERTEX_BUFFER */), 0);
	for (int iter = 0; iter < 200; iter++) {
		ck_assert_int_eq(vh_ctx_create(h, ctx_id), 0);
		vh_attach(h, ctx_id, 5);
		vh_attach(h, ctx_id, 6);
		vh_cb_reset(&cb);
		size_t n = 1 + (size_t)(iter * 7 % 300);
		for (size_t i = 0; i < n; i++) {
			state = state * 6364136223846793005ull + 1442695040888963407ull;
			uint32_t r = (uint32_t)(state >> 32);
			/* Headers of real commands, small handles / resource ids. */
			vh_dw(&cb, (r & 1) ? VREND_HDR(r % 64, (r >> 8) % 13, (r >> 16) % 24)
			                   : (r >> 4) % 9);
		}
		int ret = vh_submit(h, ctx_id, &cb);
		if (ret)
			ck_assert(vrend_decoder_error(vh_decoder(h, ctx_id))[0] != '\0');
		vh_ctx_destroy(h, ctx_id);
		ctx_id++;
	}
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* The length of a minimal valid payload of command id (zeros), or -1 when
 * there is none that reaches the handler without objects (CREATE_OBJECT: per
 * type). */
static int minimal_len(uint32_t id, const struct vrend_cmd_desc *d)
{
	switch (id) {
	case VREND_CCMD_SET_FRAMEBUFFER_STATE:
		return 2;
	case VREND_CCMD_DRAW_VBO:
		return 12;
	case VREND_CCMD_SET_INDEX_BUFFER:
	case VREND_CCMD_EMIT_STRING_MARKER:
		return 1;
	case VREND_CCMD_SET_SUB_CTX:
	case VREND_CCMD_DESTROY_SUB_CTX:
		return -1; /* need an existing sub-context */
	default:
		break;
	}
	if (d->rule != VREND_LEN_RANGE || !d->handler)
		return -1;
	return d->min;
}

/* Run one command with a zero payload in a fresh context: was its handler
 * reached (executed, possibly failing) rather than skipped as a stub? */
static bool runs_real_handler(struct vh *h, uint32_t ctx_id, uint32_t id, uint32_t len)
{
	struct vh_cb cb;

	ck_assert_int_eq(vh_ctx_create(h, ctx_id), 0);
	vh_cb_init(&cb);
	vh_cmd(&cb, id, 0, len);
	for (uint32_t i = 0; i < len; i++)
		vh_dw(&cb, 0);
	(void)vh_submit(h, ctx_id, &cb);
	const struct vrend_decode_stats *st = vrend_decoder_stats(vh_decoder(h, ctx_id));
	bool real = st->executed[id] == 1 && st->skipped[id] == 0;
	vh_cb_fini(&cb);
	vh_ctx_destroy(h, ctx_id);
	return real;
}

/* A row without VREND_CMD_STUB must reach a real handler (caps rely on
 * vrend_decode_cmd_implemented). A STUB row that does is only reported: its
 * flag can go (decode_table.c). */
START_TEST(stub_flags_accurate)
{
	struct vh *h = vh_create();
	uint32_t ctx_id = 200;

	for (uint32_t id = 1; id < VREND_CCMD_TABLE_SIZE; id++) {
		const struct vrend_cmd_desc *d = &vrend_cmd_table[id];
		int len = minimal_len(id, d);

		if (len < 0)
			continue;
		bool real = runs_real_handler(h, ctx_id++, id, (uint32_t)len);
		if (d->flags & VREND_CMD_STUB) {
			if (real)
				fprintf(stderr, "note: %s is no stub any more\n", d->name);
		} else {
			ck_assert_msg(real, "%s is a stub but not flagged VREND_CMD_STUB", d->name);
		}
	}
	vh_destroy(h);
}
END_TEST

/* Commands the claimed features make the client send must run a real handler:
 * a stub (VREND_CMD_UNIMPLEMENTED) counts as skipped. Each runs with a zero
 * payload of its minimum length in a fresh context: failing is fine, skipping
 * is not. */
START_TEST(claimed_commands_execute)
{
	struct vh *h = vh_create();
	struct vrend_features ft;
	uint64_t cmds;
	uint32_t ctx_id = 100;

	vrend_backend_features(&ft);
	cmds = vrend_features_commands(&ft);
	for (uint32_t id = 1; id < 64; id++) {
		int len;

		if (!(cmds & (1ull << id)))
			continue;
		len = minimal_len(id, &vrend_cmd_table[id]);
		ck_assert_msg(len >= 0, "no probe for %s", vrend_decode_cmd_name(id));
		ck_assert_msg(runs_real_handler(h, ctx_id++, id, (uint32_t)len),
		              "claimed command %s is a stub", vrend_decode_cmd_name(id));
	}
	vh_destroy(h);
}
END_TEST

static struct vrend_res_stats res_stats(struct vh *h)
{
	struct vrend_res_stats st;

	for (uint32_t i = 0; i < h->r->num_backends; i++) {
		if (h->r->backends[i]->ops->backend_bit == VGN_BACKEND_GL) {
			vrend_res_get_stats(vrend_backend_of(h->r->backends[i])->rb.state, &st);
			return st;
		}
	}
	ck_abort_msg("no GL backend");
	return st;
}

static void clear_and_check(struct vh *h, uint32_t ctx, uint32_t res, uint32_t surf, float r,
                            float g, float b, uint32_t expect)
{
	struct vh_cb cb;
	uint32_t px[64 * 64];

	vh_cb_init(&cb);
	vh_create_surface(&cb, surf, res, VH_FMT_B8G8R8A8_UNORM, 0, 0, 0);
	vh_set_framebuffer(&cb, 1, (uint32_t[]){surf}, 0);
	vh_clear_color(&cb, r, g, b, 1.0f);
	ck_assert_msg(vh_submit(h, ctx, &cb) == 0, "%s", vrend_decoder_error(vh_decoder(h, ctx)));
	vh_cb_fini(&cb);
	memset(px, 0x5a, sizeof(px));
	ck_assert_int_eq(vh_read(h, res, 0, 0, 64, 64, px), 0);
	for (int i = 0; i < 64 * 64; i++)
		ck_assert_msg(px[i] == expect, "pixel %d: 0x%08x, want 0x%08x", i, px[i], expect);
}

/* CREATE_OBJECT(SURFACE) + SET_FRAMEBUFFER_STATE + CLEAR on a 64x64 B8G8R8A8
 * render target, read back through a transfer (another GL context: the
 * section fences make the rendering visible). Two contexts render into their
 * own targets; the second context's surface handle equals the first's. */
START_TEST(clear_reads_back)
{
	struct vh *h = vh_create();
	uint32_t bind = VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW;

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(vh_ctx_create(h, 2), 0);
	ck_assert_int_eq(vh_texture_2d(h, 10, VH_FMT_B8G8R8A8_UNORM, 64, 64, bind), 0);
	ck_assert_int_eq(vh_texture_2d(h, 11, VH_FMT_B8G8R8A8_UNORM, 64, 64, bind), 0);
	vh_attach(h, 1, 10);
	vh_attach(h, 2, 11);
	/* Memory order of B8G8R8A8: B, G, R, A = 0xAARRGGBB little-endian. */
	clear_and_check(h, 1, 10, 1, 0.0f, 1.0f, 0.0f, 0xff00ff00u);
	clear_and_check(h, 2, 11, 1, 1.0f, 0.0f, 0.0f, 0xffff0000u);
	/* A resource not attached to the context is a guest error. */
	struct vh_cb cb;
	vh_cb_init(&cb);
	vh_create_surface(&cb, 2, 11, VH_FMT_B8G8R8A8_UNORM, 0, 0, 0);
	ck_assert_int_ne(vh_submit(h, 1, &cb), 0);
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* GL sections make work visible across GL contexts: an upload (resource
 * context) is copied by RESOURCE_COPY_REGION in a sub-context's context and
 * read back on the resource context again; then the same in sub-context 1. */
START_TEST(upload_copy_readback_across_contexts)
{
	struct vh *h = vh_create();
	uint32_t bind = VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW;
	uint32_t src[64 * 64], px[64 * 64];
	struct vh_cb cb;

	for (int i = 0; i < 64 * 64; i++)
		src[i] = 0xff000000u | (uint32_t)i * 2654435761u >> 8;
	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(vh_texture_2d(h, 20, VH_FMT_B8G8R8A8_UNORM, 64, 64, bind), 0);
	ck_assert_int_eq(vh_texture_2d(h, 21, VH_FMT_B8G8R8A8_UNORM, 64, 64, bind), 0);
	vh_attach(h, 1, 20);
	vh_attach(h, 1, 21);
	vh_cb_init(&cb);
	for (int round = 0; round < 2; round++) {
		src[0] = 0xff000000u | (uint32_t)round;
		ck_assert_int_eq(vh_upload(h, 20, src, sizeof(src)), 0);
		vh_cb_reset(&cb);
		if (round == 1) {
			vh_create_sub_ctx(&cb, 1);
			vh_set_sub_ctx(&cb, 1);
		}
		vh_cmd(&cb, VREND_CCMD_RESOURCE_COPY_REGION, 0, 13);
		const uint32_t args[13] = {21, 0, 0, 0, 0, 20, 0, 0, 0, 0, 64, 64, 1};
		for (int i = 0; i < 13; i++)
			vh_dw(&cb, args[i]);
		ck_assert_msg(vh_submit(h, 1, &cb) == 0, "%s",
		              vrend_decoder_error(vh_decoder(h, 1)));
		memset(px, 0, sizeof(px));
		ck_assert_int_eq(vh_read(h, 21, 0, 0, 64, 64, px), 0);
		ck_assert_int_eq(memcmp(px, src, sizeof(px)), 0);
	}
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* The same on a GLES host context (gl_use_gles): GLES caps, readback through
 * an FBO. */
START_TEST(gles_host_clear_reads_back)
{
	struct vh *h = vh_create_gles();
	struct vgn_features f = {.size = sizeof(f)};

	ck_assert_int_eq(vgn_renderer_get_features(h->r, &f), 0);
	ck_assert(f.capset_mask & (1ull << VGN_CAPSET_VIRGL2));
	ck_assert(vh_log_has(h, "OpenGL ES"));
	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(vh_texture_2d(h, 10, VH_FMT_B8G8R8A8_UNORM, 64, 64,
	                               VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW),
	                 0);
	vh_attach(h, 1, 10);
	clear_and_check(h, 1, 10, 3, 1.0f, 1.0f, 0.0f, 0xffffff00u);
	vh_destroy(h);
}
END_TEST

/* Objects hold resource references: the VMM's unref while a surface points at
 * the texture keeps it alive until the context (and its objects) go. */
START_TEST(objects_keep_resources_until_context_destroy)
{
	struct vh *h = vh_create();
	uint32_t base = res_stats(h).textures_live;

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(
	    vh_texture_2d(h, 10, VH_FMT_B8G8R8A8_UNORM, 64, 64, VGN_BIND_RENDER_TARGET), 0);
	vh_attach(h, 1, 10);
	clear_and_check(h, 1, 10, 7, 0.0f, 0.0f, 1.0f, 0xff0000ffu);
	ck_assert_uint_eq(res_stats(h).textures_live, base + 1);
	ck_assert_int_eq(vgn_context_detach_resource(h->r, 1, 10), 0);
	vh_unref(h, 10);
	ck_assert_uint_eq(res_stats(h).textures_live, base + 1); /* surface 7 holds it */
	vh_ctx_destroy(h, 1);
	ck_assert_uint_eq(res_stats(h).textures_live, base);
	vh_destroy(h);
}
END_TEST

static uint64_t retired(struct vh *h, uint32_t ctx_id, uint32_t ring)
{
	uint64_t id = 0;

	ck_assert_int_eq(vgn_context_get_retired_fence(h->r, ctx_id, ring, &id), 0);
	return id;
}

/* Fences retire asynchronously (fence thread) in order, on every ring; a
 * context destroyed with fences in flight is fine. */
START_TEST(fences_retire)
{
	struct vh *h = vh_create();
	struct vh_cb cb;

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(vh_ctx_create(h, 2), 0);
	vh_cb_init(&cb);
	vh_create_sub_ctx(&cb, 1);
	vh_set_sub_ctx(&cb, 1);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	for (uint64_t f = 1; f <= 20; f++) {
		ck_assert_int_eq(vgn_context_create_fence(h->r, 1, (uint32_t)(f % 3), f), 0);
		ck_assert_int_eq(vgn_context_create_fence(h->r, 2, 0, f), 0);
	}
	/* Fence ids must not go backwards on a ring. */
	ck_assert_int_eq(vgn_context_create_fence(h->r, 2, 0, 5), -EINVAL);
	for (int i = 0; i < 500; i++) {
		if (retired(h, 1, 0) == 18 && retired(h, 1, 1) == 19 && retired(h, 1, 2) == 20 &&
		    retired(h, 2, 0) == 20)
			break;
		vh_poll(h);
		usleep(10000);
	}
	ck_assert_uint_eq(retired(h, 1, 0), 18);
	ck_assert_uint_eq(retired(h, 1, 1), 19);
	ck_assert_uint_eq(retired(h, 1, 2), 20);
	ck_assert_uint_eq(retired(h, 2, 0), 20);
	/* In flight at destroy: no late retire, no leak. */
	for (uint64_t f = 21; f <= 40; f++)
		ck_assert_int_eq(vgn_context_create_fence(h->r, 1, 0, f), 0);
	vh_ctx_destroy(h, 1);
	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_uint_eq(retired(h, 1, 0), 0);
	ck_assert_int_eq(vgn_context_create_fence(h->r, 1, 0, 1), 0);
	vh_cb_fini(&cb);
	vh_destroy(h); /* joins the fence thread with a fence possibly queued */
}
END_TEST

/* vgn_context_wait_fence on vrend: the caller waits on the GL fence itself
 * (no retirement needed first), for many frames of real rendering on two
 * rings; the retirements still come through poll afterwards. */
START_TEST(wait_fence_direct)
{
	struct vh *h = vh_create();
	uint32_t bind = VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW;

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(vh_texture_2d(h, 10, VH_FMT_B8G8R8A8_UNORM, 64, 64, bind), 0);
	vh_attach(h, 1, 10);
	struct vh_cb cb;
	vh_cb_init(&cb);
	vh_create_sub_ctx(&cb, 1);
	vh_set_sub_ctx(&cb, 1);
	vh_create_surface(&cb, 1, 10, VH_FMT_B8G8R8A8_UNORM, 0, 0, 0);
	vh_set_framebuffer(&cb, 1, (uint32_t[]){1}, 0);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	for (uint64_t f = 1; f <= 40; f++) {
		vh_cb_fini(&cb);
		vh_cb_init(&cb);
		vh_clear_color(&cb, (float)(f % 2), 1.0f, 0.0f, 1.0f);
		ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
		uint32_t ring = (uint32_t)(f % 2);
		ck_assert_int_eq(vgn_context_create_fence(h->r, 1, ring, f), 0);
		ck_assert_int_eq(vgn_context_wait_fence(h->r, 1, ring, f, 10000000000ull), 0);
	}
	/* Above the last fence queued: refused, not a wait forever. */
	ck_assert_int_eq(vgn_context_wait_fence(h->r, 1, 0, 41, 1000000ull), -EINVAL);
	for (int i = 0; i < 500 && (retired(h, 1, 0) != 40 || retired(h, 1, 1) != 39); i++) {
		vh_poll(h);
		usleep(10000);
	}
	ck_assert_uint_eq(retired(h, 1, 0), 40);
	ck_assert_uint_eq(retired(h, 1, 1), 39);
	uint32_t px[64 * 64];
	ck_assert_int_eq(vh_read(h, 10, 0, 0, 64, 64, px), 0);
	ck_assert_uint_eq(px[0], 0xff00ff00u); /* f = 40: red 0, green 1 */
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

static Suite *ctx_suite(void)
{
	Suite *s = suite_create("vrend_ctx");
	TCase *tc = tcase_create("ctx");

	tcase_add_test(tc, lifecycle);
	tcase_add_test(tc, sub_contexts_have_own_gl);
	tcase_add_test(tc, hostile_stream_kills_only_its_context);
	tcase_add_test(tc, random_streams_real_context);
	tcase_add_test(tc, clear_reads_back);
	tcase_add_test(tc, upload_copy_readback_across_contexts);
	tcase_add_test(tc, gles_host_clear_reads_back);
	tcase_add_test(tc, objects_keep_resources_until_context_destroy);
	tcase_add_test(tc, fences_retire);
	tcase_add_test(tc, wait_fence_direct);
	tcase_add_test(tc, stub_flags_accurate);
	tcase_add_test(tc, claimed_commands_execute);
	tcase_set_timeout(tc, 240);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ctx_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
