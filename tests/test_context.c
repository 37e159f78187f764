/* SPDX-License-Identifier: MIT */
/* Contexts, attachments and per-(context, ring) fences, through the public API of
 * the static core with a fake capset-serving backend plugged in (fake_backend.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fake_backend.h"
#include "test_util.h"

static struct fake_stats stats;

static void fx_common(bool thread_mode, bool auto_retire)
{
	struct vms_options o;
	memset(&o, 0, sizeof(o));
	o.thread_callbacks = thread_mode;
	o.max_resources_per_context = 4;
	o.max_bytes_per_context = 1u << 20;
	o.max_submit_bytes = 1024;
	memset(&stats, 0, sizeof(stats));
	ck_assert_ok(vms_create(&tv, &o));
	ck_assert_ok(fake_backend_add(tv.r, auto_retire, &stats));
}

static void fx_setup(void)
{
	fx_common(false, false);
}

static void fx_setup_auto(void)
{
	fx_common(false, true);
}

static void fx_setup_thread(void)
{
	fx_common(true, false);
}

static int ctx_create(uint32_t ctx_id, uint32_t capset, const char *name)
{
	struct vgn_context_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.capset_id = capset;
	p.debug_name = name;
	return vgn_context_create(tv.r, ctx_id, &p);
}

static int submit(uint32_t ctx_id, const uint32_t *words, size_t n)
{
	return vgn_context_submit(tv.r, ctx_id, words, n * 4);
}

static int lookup(uint32_t ctx_id, uint32_t res_id)
{
	uint32_t cmd[2] = {FAKE_OP_LOOKUP, res_id};
	return submit(ctx_id, cmd, 2);
}

static int retire(uint32_t ctx_id, uint32_t ring, uint64_t id, bool async)
{
	uint32_t cmd[4] = {async ? FAKE_OP_RETIRE_ASYNC : FAKE_OP_RETIRE, ring, (uint32_t)id,
	                   (uint32_t)(id >> 32)};
	return submit(ctx_id, cmd, 4);
}

static uint64_t retired(uint32_t ctx_id, uint32_t ring)
{
	uint64_t f = 0xdeadbeef;
	ck_assert_ok(vgn_context_get_retired_fence(tv.r, ctx_id, ring, &f));
	return f;
}

START_TEST(create_destroy)
{
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, "one"));
	ck_assert_ok(ctx_create(2, FAKE_CAPSET, NULL));
	ck_assert_uint_eq(fake_read(&stats.contexts_live), 2);
	ck_assert_ok(vgn_context_destroy(tv.r, 1));
	ck_assert_uint_eq(fake_read(&stats.contexts_live), 1);
	ck_assert_ok(vgn_context_destroy(tv.r, 2));
	ck_assert_uint_eq(fake_read(&stats.contexts_live), 0);
	/* A 1000-character name is fine (copied, truncated). */
	char name[1001];
	memset(name, 'n', 1000);
	name[1000] = '\0';
	ck_assert_ok(ctx_create(3, FAKE_CAPSET, name));
	memset(name, 0, sizeof(name));
	ck_assert_ok(vgn_context_destroy(tv.r, 3));
}
END_TEST

START_TEST(create_bad_ids_and_params)
{
	ck_assert_rc(ctx_create(0, FAKE_CAPSET, NULL), -EINVAL);
	ck_assert_ok(ctx_create(7, FAKE_CAPSET, NULL));
	ck_assert_rc(ctx_create(7, FAKE_CAPSET, NULL), -EEXIST);
	ck_assert_uint_eq(fake_read(&stats.contexts_created), 1);
	ck_assert_ok(submit(7, (uint32_t[]){FAKE_OP_NOP}, 1));

	struct vgn_context_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.capset_id = FAKE_CAPSET;
	ck_assert_rc(vgn_context_create(tv.r, 8, NULL), -EINVAL);
	p.flags = 1;
	ck_assert_rc(vgn_context_create(tv.r, 8, &p), -EINVAL);
	p.flags = 0;
	p.size = VGN_CONTEXT_PARAMS_SIZE_V1 - 1;
	ck_assert_rc(vgn_context_create(tv.r, 8, &p), -EINVAL);
	p.size = 0;
	ck_assert_rc(vgn_context_create(tv.r, 8, &p), -EINVAL);
	ck_assert_uint_eq(fake_read(&stats.contexts_created), 1);
	/* A newer caller's bigger struct with a zero tail. */
	struct {
		struct vgn_context_params p;
		uint8_t tail[24];
	} big;
	memset(&big, 0, sizeof(big));
	big.p.size = sizeof(big);
	big.p.capset_id = FAKE_CAPSET;
	ck_assert_ok(vgn_context_create(tv.r, 8, &big.p));
	ck_assert_uint_eq(fake_read(&stats.contexts_live), 2);
}
END_TEST

START_TEST(create_unsupported_capset)
{
	/* Known capsets without a backend: -ENOTSUP; ids that are no capset: -EINVAL. */
	ck_assert_rc(ctx_create(1, VGN_CAPSET_VIRGL, NULL), -ENOTSUP);
	ck_assert_rc(ctx_create(1, VGN_CAPSET_VENUS, NULL), -ENOTSUP);
	ck_assert_rc(ctx_create(1, 63, NULL), -ENOTSUP);
	ck_assert_rc(ctx_create(1, 0, NULL), -EINVAL);
	ck_assert_rc(ctx_create(1, 64, NULL), -EINVAL);
	ck_assert_rc(ctx_create(1, 0xffffffffu, NULL), -EINVAL);
	ck_assert_uint_eq(fake_read(&stats.contexts_created), 0);
	/* Nothing was left behind under id 1. */
	ck_assert_rc(vgn_context_destroy(tv.r, 1), -ENOENT);
	uint64_t f;
	ck_assert_rc(vgn_context_get_retired_fence(tv.r, 1, 0, &f), -ENOENT);
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
}
END_TEST

START_TEST(backend_refuses_context)
{
	ck_assert_rc(ctx_create(5, FAKE_CAPSET, "fail"), -ENOMEM);
	ck_assert_uint_eq(fake_read(&stats.contexts_live), 0);
	/* No table entry and no fence timeline were left behind. */
	ck_assert_rc(vgn_context_create_fence(tv.r, 5, 0, 1), -ENOENT);
	ck_assert_rc(submit(5, (uint32_t[]){FAKE_OP_NOP}, 1), -ENOENT);
	ck_assert_ok(ctx_create(5, FAKE_CAPSET, "ok"));
	ck_assert_ok(vgn_context_create_fence(tv.r, 5, 0, 1));
}
END_TEST

START_TEST(destroy_unknown)
{
	ck_assert_rc(vgn_context_destroy(tv.r, 1), -ENOENT);
	ck_assert_rc(vgn_context_destroy(tv.r, 0), -ENOENT);
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_ok(vgn_context_destroy(tv.r, 1));
	ck_assert_rc(vgn_context_destroy(tv.r, 1), -ENOENT);
	ck_assert_rc(vgn_context_destroy(NULL, 1), -EINVAL);
}
END_TEST

START_TEST(submit_rules)
{
	uint32_t nop[2] = {FAKE_OP_NOP, FAKE_OP_NOP};
	ck_assert_rc(submit(1, nop, 2), -ENOENT);
	ck_assert_rc(submit(0, nop, 2), -ENOENT);
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_ok(submit(1, nop, 2));
	ck_assert_uint_eq(fake_read(&stats.submits), 1);
	ck_assert_rc(vgn_context_submit(tv.r, 1, nop, 6), -EINVAL);
	ck_assert_rc(vgn_context_submit(tv.r, 1, NULL, 8), -EINVAL);
	ck_assert_ok(vgn_context_submit(tv.r, 1, NULL, 0));
	/* Limit is 1024 bytes in this fixture. */
	uint32_t *big = calloc(257, 4);
	ck_assert_ptr_nonnull(big);
	ck_assert_ok(submit(1, big, 256));
	ck_assert_rc(submit(1, big, 257), -ENOSPC);
	ck_assert_rc(vgn_context_submit(tv.r, 1, big, SIZE_MAX - 3), -ENOSPC);
	free(big);
	ck_assert_uint_eq(fake_read(&stats.submits), 2);
	ck_assert_uint_eq(vms_fatal_count(&tv), 0);
}
END_TEST

START_TEST(fatal_context)
{
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_ok(ctx_create(2, FAKE_CAPSET, NULL));
	ck_assert_ok(vms_resource_create_2d(&tv, 10, VGN_FORMAT_R8_UNORM, 4, 4));
	ck_assert_ok(vgn_context_attach_resource(tv.r, 1, 10));
	ck_assert_rc(submit(1, (uint32_t[]){FAKE_OP_NOP, 0x12345}, 2), -EINVAL);
	ck_assert_ok(vms_wait_fatals(&tv, 1, 5000));
	struct vms_fatal_event e = vms_fatal_event_at(&tv, 0);
	ck_assert_uint_eq(e.ctx_id, 1);
	ck_assert_int_eq(e.error, -EINVAL);
	/* Dead: only cleanup is accepted. */
	ck_assert_rc(submit(1, (uint32_t[]){FAKE_OP_NOP}, 1), -EIO);
	ck_assert_rc(vgn_context_create_fence(tv.r, 1, 0, 1), -EIO);
	ck_assert_rc(vgn_context_attach_resource(tv.r, 1, 10), -EIO);
	ck_assert_ok(vgn_context_detach_resource(tv.r, 1, 10));
	/* The other context is untouched. */
	ck_assert_ok(submit(2, (uint32_t[]){FAKE_OP_NOP}, 1));
	ck_assert_ok(vgn_context_create_fence(tv.r, 2, 0, 1));
	ck_assert_ok(vgn_context_destroy(tv.r, 1));
	/* One fatal event per context, however many errors. */
	usleep(20000);
	vms_drain(&tv, 50);
	ck_assert_uint_eq(vms_fatal_count(&tv), 1);
}
END_TEST

START_TEST(attach_detach_rules)
{
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_ok(vms_resource_create_2d(&tv, 10, VGN_FORMAT_R8_UNORM, 4, 4));
	ck_assert_rc(vgn_context_attach_resource(tv.r, 1, 11), -ENOENT);
	ck_assert_rc(vgn_context_attach_resource(tv.r, 2, 10), -ENOENT);
	ck_assert_rc(vgn_context_attach_resource(tv.r, 0, 10), -ENOENT);
	ck_assert_rc(vgn_context_detach_resource(tv.r, 1, 10), -ENOENT);
	ck_assert_rc(vgn_context_detach_resource(tv.r, 2, 10), -ENOENT);
	ck_assert_uint_eq(fake_read(&stats.attached_live), 0);
	ck_assert_ok(vgn_context_attach_resource(tv.r, 1, 10));
	ck_assert_ok(vgn_context_attach_resource(tv.r, 1, 10)); /* already: no-op */
	ck_assert_uint_eq(fake_read(&stats.attached_live), 1);
	ck_assert_ok(vgn_context_detach_resource(tv.r, 1, 10));
	ck_assert_uint_eq(fake_read(&stats.attached_live), 0);
	ck_assert_rc(vgn_context_detach_resource(tv.r, 1, 10), -ENOENT);
	ck_assert_rc(lookup(1, 10), -ENOENT);
}
END_TEST

START_TEST(context_sees_only_attached)
{
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_ok(ctx_create(2, FAKE_CAPSET, NULL));
	ck_assert_ok(vms_resource_create_2d(&tv, 10, VGN_FORMAT_R8_UNORM, 13, 4));
	ck_assert_rc(lookup(1, 10), -ENOENT);
	ck_assert_ok(vgn_context_attach_resource(tv.r, 1, 10));
	ck_assert_ok(lookup(1, 10));
	ck_assert_uint_eq(fake_read(&stats.last_width), 13);
	ck_assert_rc(lookup(2, 10), -ENOENT);
	/* A failed lookup is not fatal here, the context keeps working. */
	ck_assert_uint_eq(vms_fatal_count(&tv), 0);
	ck_assert_ok(submit(2, (uint32_t[]){FAKE_OP_NOP}, 1));
}
END_TEST

START_TEST(backend_refuses_attach)
{
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_ok(vms_resource_create_2d(&tv, FAKE_ATTACH_FAIL_RES, VGN_FORMAT_R8_UNORM, 4, 4));
	ck_assert_rc(vgn_context_attach_resource(tv.r, 1, FAKE_ATTACH_FAIL_RES), -ENOMEM);
	ck_assert_rc(lookup(1, FAKE_ATTACH_FAIL_RES), -ENOENT);
	ck_assert_rc(vgn_context_detach_resource(tv.r, 1, FAKE_ATTACH_FAIL_RES), -ENOENT);
	ck_assert_uint_eq(fake_read(&stats.attached_live), 0);
	/* The refusal did not count against the limit of 4. */
	for (uint32_t i = 0; i < 4; i++) {
		ck_assert_ok(vms_resource_create_2d(&tv, 20 + i, VGN_FORMAT_R8_UNORM, 4, 4));
		ck_assert_ok(vgn_context_attach_resource(tv.r, 1, 20 + i));
	}
}
END_TEST

START_TEST(unref_while_attached)
{
	/* The VMM drops its reference: the id is free at once, the context keeps the
	 * old object until it detaches. */
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_ok(vms_resource_create_2d(&tv, 10, VGN_FORMAT_R8_UNORM, 13, 4));
	ck_assert_ok(vgn_context_attach_resource(tv.r, 1, 10));
	ck_assert_ok(vgn_resource_unref(tv.r, 10));
	ck_assert_rc(vgn_resource_unref(tv.r, 10), -ENOENT);
	ck_assert_ok(lookup(1, 10));
	ck_assert_uint_eq(fake_read(&stats.last_width), 13);
	ck_assert_ok(vms_resource_create_2d(&tv, 10, VGN_FORMAT_R8_UNORM, 29, 4));
	ck_assert_ok(lookup(1, 10));
	ck_assert_uint_eq(fake_read(&stats.last_width), 13);
	ck_assert_ok(vgn_context_detach_resource(tv.r, 1, 10));
	ck_assert_ok(vgn_context_attach_resource(tv.r, 1, 10));
	ck_assert_ok(lookup(1, 10));
	ck_assert_uint_eq(fake_read(&stats.last_width), 29);
}
END_TEST

START_TEST(transfer_needs_attachment)
{
	struct timg img;
	timg_create(&tv, &img, 10, VGN_FORMAT_B8G8R8A8_UNORM, 16, 8, VMS_SCATTER_ODD, 0, 3);
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_ok(ctx_create(2, FAKE_CAPSET, NULL));
	ck_assert_ok(vgn_context_attach_resource(tv.r, 2, 10));
	uint8_t *host = timg_host_copy(&tv, &img);
	vms_backing_fill(&tv.guest, &img.backing, 0x42);
	const struct vgn_box box = {0, 0, 0, 16, 8, 1};
	ck_assert_rc(vms_transfer(&tv, true, 10, 1, 0, &box, 0, 0, 0), -ENOENT);
	ck_assert_rc(vms_transfer(&tv, false, 10, 1, 0, &box, 0, 0, 0), -ENOENT);
	ck_assert_rc(vms_transfer(&tv, true, 10, 3, 0, &box, 0, 0, 0), -ENOENT);
	timg_expect_host(&tv, &img, host);
	for (size_t i = 0; i < img.backing.len; i += 61)
		ck_assert_uint_eq(*vms_backing_ptr(&tv.guest, &img.backing, i), 0x42);
	/* Through the context it is attached to, it works. */
	ck_assert_ok(vms_transfer(&tv, true, 10, 2, 0, &box, 0, 0, 0));
	memset(host, 0x42, timg_size(&img));
	timg_expect_host(&tv, &img, host);
	/* After detach it does not. */
	ck_assert_ok(vgn_context_detach_resource(tv.r, 2, 10));
	ck_assert_rc(vms_transfer(&tv, true, 10, 2, 0, &box, 0, 0, 0), -ENOENT);
	free(host);
	timg_destroy(&tv, &img);
}
END_TEST

START_TEST(attach_limits)
{
	/* Fixture limits: 4 resources and 1 MiB per context. */
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	for (uint32_t i = 0; i < 5; i++)
		ck_assert_ok(vms_resource_create_2d(&tv, 10 + i, VGN_FORMAT_R8_UNORM, 8, 8));
	for (uint32_t i = 0; i < 4; i++)
		ck_assert_ok(vgn_context_attach_resource(tv.r, 1, 10 + i));
	ck_assert_rc(vgn_context_attach_resource(tv.r, 1, 14), -ENOSPC);
	ck_assert_rc(lookup(1, 14), -ENOENT);
	ck_assert_ok(vgn_context_detach_resource(tv.r, 1, 10));
	ck_assert_ok(vgn_context_attach_resource(tv.r, 1, 14));
	/* 600 KiB twice does not fit in 1 MiB. */
	ck_assert_ok(ctx_create(2, FAKE_CAPSET, NULL));
	ck_assert_ok(vms_resource_create_2d(&tv, 20, VGN_FORMAT_B8G8R8A8_UNORM, 400, 384));
	ck_assert_ok(vms_resource_create_2d(&tv, 21, VGN_FORMAT_B8G8R8A8_UNORM, 400, 384));
	ck_assert_ok(vgn_context_attach_resource(tv.r, 2, 20));
	ck_assert_rc(vgn_context_attach_resource(tv.r, 2, 21), -ENOSPC);
	ck_assert_ok(vgn_context_detach_resource(tv.r, 2, 20));
	ck_assert_ok(vgn_context_attach_resource(tv.r, 2, 21));
}
END_TEST

START_TEST(fence_arguments)
{
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	uint64_t f;
	ck_assert_rc(vgn_context_create_fence(tv.r, 1, VGN_MAX_RINGS, 1), -EINVAL);
	ck_assert_rc(vgn_context_create_fence(tv.r, 1, 0xffffffffu, 1), -EINVAL);
	ck_assert_rc(vgn_context_create_fence(tv.r, 0, 1, 1), -EINVAL);
	ck_assert_rc(vgn_context_create_fence(tv.r, 9, 0, 1), -ENOENT);
	ck_assert_rc(vgn_context_get_retired_fence(tv.r, 1, 0, NULL), -EINVAL);
	ck_assert_rc(vgn_context_get_retired_fence(tv.r, 1, VGN_MAX_RINGS, &f), -EINVAL);
	ck_assert_rc(vgn_context_get_retired_fence(tv.r, 0, 1, &f), -EINVAL);
	ck_assert_rc(vgn_context_get_retired_fence(tv.r, 9, 0, &f), -ENOENT);
	ck_assert_uint_eq(fake_read(&stats.fences), 0);
	/* Ids must not decrease, per timeline; equal is fine. */
	ck_assert_ok(vgn_context_create_fence(tv.r, 1, 2, 50));
	ck_assert_rc(vgn_context_create_fence(tv.r, 1, 2, 49), -EINVAL);
	ck_assert_ok(vgn_context_create_fence(tv.r, 1, 2, 50));
	ck_assert_ok(vgn_context_create_fence(tv.r, 1, 3, 1));
	ck_assert_ok(vgn_context_create_fence(tv.r, 0, 0, 7));
	ck_assert_rc(vgn_context_create_fence(tv.r, 0, 0, 6), -EINVAL);
	ck_assert_uint_eq(fake_read(&stats.fences), 3);
}
END_TEST

START_TEST(fence_retires_when_work_done)
{
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_ok(vgn_context_create_fence(tv.r, 1, 3, 10));
	ck_assert_ok(vgn_context_create_fence(tv.r, 1, 3, 20));
	ck_assert_uint_eq(retired(1, 3), 0);
	ck_assert_int_eq(vms_drain(&tv, 50), 0);
	ck_assert_ok(retire(1, 3, 10, false));
	ck_assert_uint_eq(retired(1, 3), 10);
	ck_assert_ok(vms_wait_fence(&tv, 1, 3, 10, 5000));
	struct vms_fence_event e = vms_fence_event_at(&tv, 0);
	ck_assert_uint_eq(e.ctx_id, 1);
	ck_assert_uint_eq(e.ring_idx, 3);
	ck_assert_uint_eq(e.fence_id, 10);
	ck_assert(e.on_caller_thread);
	/* Other rings and the device timeline are unaffected. */
	ck_assert_uint_eq(retired(1, 4), 0);
	ck_assert_uint_eq(retired(0, 0), 0);
	/* A late, lower retire does not move the timeline back. */
	ck_assert_ok(retire(1, 3, 20, false));
	ck_assert_ok(retire(1, 3, 15, false));
	ck_assert_uint_eq(retired(1, 3), 20);
	ck_assert_ok(vms_wait_fence(&tv, 1, 3, 20, 5000));
	usleep(10000);
	vms_drain(&tv, 20);
	ck_assert_uint_eq(vms_reported_fence(&tv, 1, 3), 20);
	ck_assert_uint_eq(vms_fence_count(&tv), 2);
}
END_TEST

START_TEST(all_rings_independent)
{
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	for (uint32_t ring = 0; ring < VGN_MAX_RINGS; ring++)
		ck_assert_ok(vgn_context_create_fence(tv.r, 1, ring, 1000 - ring));
	for (uint32_t ring = 0; ring < VGN_MAX_RINGS; ring += 2)
		ck_assert_ok(retire(1, ring, 1000 - ring, false));
	for (uint32_t ring = 0; ring < VGN_MAX_RINGS; ring++) {
		uint64_t want = ring % 2 ? 0 : 1000 - ring;
		ck_assert_uint_eq(retired(1, ring), want);
		if (want)
			ck_assert_ok(vms_wait_fence(&tv, 1, ring, want, 5000));
	}
	for (uint32_t ring = 1; ring < VGN_MAX_RINGS; ring += 2)
		ck_assert_uint_eq(vms_reported_fence(&tv, 1, ring), 0);
	ck_assert_uint_eq(vms_fence_count(&tv), VGN_MAX_RINGS / 2);
}
END_TEST

START_TEST(retire_from_another_thread)
{
	/* Poll mode: the backend retires on its own thread; the VMM still gets the
	 * callback on its own thread, woken through the poll fd. In thread mode the
	 * library thread delivers it. */
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_ok(vgn_context_create_fence(tv.r, 1, 7, 99));
	ck_assert_ok(retire(1, 7, 99, true));
	ck_assert_ok(vms_wait_fence(&tv, 1, 7, 99, 5000));
	struct vms_fence_event e = vms_fence_event_at(&tv, 0);
	ck_assert_uint_eq(e.fence_id, 99);
	ck_assert_int_eq(e.on_caller_thread, !tv.thread_mode);
}
END_TEST

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct destroy_later {
	uint32_t ctx_id;
};

static void *destroy_after_20ms(void *arg)
{
	struct destroy_later *d = arg;
	usleep(20000);
	vgn_context_destroy(tv.r, d->ctx_id);
	return NULL;
}

START_TEST(wait_fence)
{
	/* The fake backend has no wait op: the core waits for the retirement. */
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_rc(vgn_context_wait_fence(NULL, 1, 0, 1, 0), -EINVAL);
	ck_assert_rc(vgn_context_wait_fence(tv.r, 1, VGN_MAX_RINGS, 1, 0), -EINVAL);
	ck_assert_rc(vgn_context_wait_fence(tv.r, 0, 1, 1, 0), -EINVAL);
	ck_assert_rc(vgn_context_wait_fence(tv.r, 9, 0, 1, 0), -ENOENT);
	/* Never queued: no wait could end. */
	ck_assert_rc(vgn_context_wait_fence(tv.r, 1, 2, 1, 1000000000ull), -EINVAL);
	ck_assert_ok(vgn_context_create_fence(tv.r, 1, 2, 10));
	ck_assert_rc(vgn_context_wait_fence(tv.r, 1, 2, 11, 1000000000ull), -EINVAL);

	/* Pending: the timeout is honoured. */
	uint64_t t0 = now_ms();
	ck_assert_rc(vgn_context_wait_fence(tv.r, 1, 2, 10, 30000000ull), -ETIMEDOUT);
	ck_assert_uint_ge(now_ms() - t0, 25);
	/* Retired 20 ms later from another thread: the wait ends then, with the
	 * event still delivered through poll afterwards. */
	ck_assert_ok(retire(1, 2, 10, true));
	t0 = now_ms();
	ck_assert_ok(vgn_context_wait_fence(tv.r, 1, 2, 10, 5000000000ull));
	ck_assert_uint_lt(now_ms() - t0, 4000);
	ck_assert_uint_eq(retired(1, 2), 10);
	ck_assert_ok(vms_wait_fence(&tv, 1, 2, 10, 5000));
	/* Earlier ids and retired ones: at once. */
	ck_assert_ok(vgn_context_wait_fence(tv.r, 1, 2, 3, 0));
	ck_assert_ok(vgn_context_wait_fence(tv.r, 1, 2, 10, 0));
	/* The device timeline retires as it is queued. */
	ck_assert_ok(vgn_context_create_fence(tv.r, 0, 0, 4));
	ck_assert_ok(vgn_context_wait_fence(tv.r, 0, 0, 4, 0));

	/* The context goes away while a thread waits: -ENOENT, not a hang. */
	ck_assert_ok(vgn_context_create_fence(tv.r, 1, 0, 5));
	struct destroy_later d = {1};
	pthread_t th;
	ck_assert_int_eq(pthread_create(&th, NULL, destroy_after_20ms, &d), 0);
	ck_assert_rc(vgn_context_wait_fence(tv.r, 1, 0, 5, 5000000000ull), -ENOENT);
	pthread_join(th, NULL);
}
END_TEST

START_TEST(auto_retire_backend)
{
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	for (uint64_t id = 1; id <= 30; id++)
		ck_assert_ok(vgn_context_create_fence(tv.r, 1, (uint32_t)(id % 3), id));
	ck_assert_uint_eq(retired(1, 0), 30);
	ck_assert_uint_eq(retired(1, 1), 28);
	ck_assert_uint_eq(retired(1, 2), 29);
	ck_assert_ok(vms_wait_fence(&tv, 1, 0, 30, 5000));
	ck_assert_ok(vms_wait_fence(&tv, 1, 1, 28, 5000));
	ck_assert_ok(vms_wait_fence(&tv, 1, 2, 29, 5000));
}
END_TEST

START_TEST(failed_fence_changes_nothing)
{
	/* The backend refuses fence FAKE_FENCE_FAIL_ID: the timeline must be as before,
	 * so a lower id is still accepted afterwards. */
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_ok(vgn_context_create_fence(tv.r, 1, 1, 5));
	ck_assert_rc(vgn_context_create_fence(tv.r, 1, 1, FAKE_FENCE_FAIL_ID), -ENOMEM);
	ck_assert_ok(vgn_context_create_fence(tv.r, 1, 1, 6));
	ck_assert_uint_eq(retired(1, 1), 0);
}
END_TEST

START_TEST(destroy_drops_pending_events)
{
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_ok(ctx_create(2, FAKE_CAPSET, NULL));
	ck_assert_ok(vgn_context_create_fence(tv.r, 1, 0, 5));
	ck_assert_ok(vgn_context_create_fence(tv.r, 2, 0, 6));
	ck_assert_ok(retire(1, 0, 5, false));
	ck_assert_ok(retire(2, 0, 6, false));
	ck_assert_ok(vgn_context_destroy(tv.r, 1));
	ck_assert_ok(vms_wait_fence(&tv, 2, 0, 6, 5000));
	usleep(10000);
	vms_drain(&tv, 20);
	ck_assert_uint_eq(vms_reported_fence(&tv, 1, 0), 0);
	ck_assert_uint_eq(vms_fence_count(&tv), 1);
	uint64_t f;
	ck_assert_rc(vgn_context_get_retired_fence(tv.r, 1, 0, &f), -ENOENT);
	/* The id can be reused: a fresh timeline. */
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_uint_eq(retired(1, 0), 0);
	ck_assert_ok(vgn_context_create_fence(tv.r, 1, 0, 1));
}
END_TEST

START_TEST(capset_through_backend)
{
	struct vgn_features f;
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	ck_assert_ok(vgn_renderer_get_features(tv.r, &f));
	ck_assert_uint_ne(f.capset_mask & (1ull << FAKE_CAPSET), 0);
	uint32_t ver = 0, sz = 0;
	ck_assert_ok(vgn_capset_info(tv.r, FAKE_CAPSET, &ver, &sz));
	ck_assert_uint_eq(ver, FAKE_CAPSET_VERSION);
	ck_assert_uint_eq(sz, FAKE_CAPSET_SIZE);
	uint8_t buf[FAKE_CAPSET_SIZE + 8];
	size_t written = 0;
	memset(buf, 0xee, sizeof(buf));
	ck_assert_ok(vgn_capset_fill(tv.r, FAKE_CAPSET, ver, buf, sizeof(buf), &written));
	ck_assert_uint_eq(written, FAKE_CAPSET_SIZE);
	for (uint32_t i = 0; i < FAKE_CAPSET_SIZE; i++)
		ck_assert_uint_eq(buf[i], fake_capset_byte(i));
	for (uint32_t i = FAKE_CAPSET_SIZE; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0xee);
	memset(buf, 0xee, sizeof(buf));
	ck_assert_ok(vgn_capset_fill(tv.r, FAKE_CAPSET, ver, buf, 5, &written));
	ck_assert_uint_eq(written, 5);
	ck_assert_uint_eq(buf[4], fake_capset_byte(4));
	ck_assert_uint_eq(buf[5], 0xee);
	ck_assert_ok(vgn_capset_fill(tv.r, FAKE_CAPSET, ver, buf, 5, NULL));
	ck_assert_ok(vgn_capset_fill(tv.r, FAKE_CAPSET, ver, NULL, 0, &written));
	ck_assert_uint_eq(written, 0);
	written = 99;
	ck_assert_rc(vgn_capset_fill(tv.r, FAKE_CAPSET, ver, NULL, 8, &written), -EINVAL);
	ck_assert_rc(vgn_capset_info(tv.r, FAKE_CAPSET, NULL, &sz), -EINVAL);
	ck_assert_uint_eq(written, 99);
}
END_TEST

START_TEST(query_through_context)
{
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	struct vgn_query_renderer_caps q;
	memset(&q, 0, sizeof(q));
	q.hdr.size = sizeof(q);
	q.hdr.type = VGN_QUERY_RENDERER_CAPS;
	ck_assert_ok(vgn_query(tv.r, 1, &q.hdr, &q.hdr));
	ck_assert_uint_eq(q.max_resources_per_context, 4);
	ck_assert_uint_eq(q.max_submit_bytes, 1024);
	ck_assert_uint_ne(q.capset_mask & (1ull << FAKE_CAPSET), 0);
	/* Unknown types through a context: its backend does not answer them. */
	q.hdr.type = 77;
	ck_assert_rc(vgn_query(tv.r, 1, &q.hdr, &q.hdr), -EOPNOTSUPP);
	/* A dead context asks nothing. */
	ck_assert_rc(submit(1, (uint32_t[]){0xbad}, 1), -EINVAL);
	q.hdr.type = VGN_QUERY_RENDERER_CAPS;
	ck_assert_rc(vgn_query(tv.r, 1, &q.hdr, &q.hdr), -EIO);
}
END_TEST

START_TEST(transfer_after_vmm_unref)
{
	/* Unref drops the VMM's guest backing at once, even while a context keeps the
	 * resource: transfers through the context then have no guest memory. */
	struct timg img;
	timg_create(&tv, &img, 10, VGN_FORMAT_B8G8R8A8_UNORM, 8, 8, VMS_SCATTER, 0, 4);
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	ck_assert_ok(vgn_context_attach_resource(tv.r, 1, 10));
	ck_assert_ok(vgn_resource_unref(tv.r, 10));
	const struct vgn_box box = {0, 0, 0, 8, 8, 1};
	ck_assert_rc(vms_transfer(&tv, true, 10, 1, 0, &box, 0, 0, 0), -EINVAL);
	ck_assert_rc(vms_transfer(&tv, false, 10, 1, 0, &box, 0, 0, 0), -EINVAL);
	ck_assert_rc(vms_transfer(&tv, true, 10, 0, 0, &box, 0, 0, 0), -ENOENT);
	/* With an explicit iov the context can still read the host copy. */
	uint8_t out[8 * 8 * 4];
	struct iovec iov = {out, sizeof(out)};
	struct vgn_transfer t;
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.ctx_id = 1;
	t.box = box;
	t.iov = &iov;
	t.num_iovs = 1;
	ck_assert_ok(vgn_resource_transfer_from_host(tv.r, 10, &t));
	uint8_t *g = tback_copy(&tv, &img.backing);
	tmem_expect_eq(out, g, sizeof(out), "host copy through the context");
	free(g);
	vms_backing_free(&tv.guest, &img.backing);
}
END_TEST

static int race_stop; /* accessed with __atomic builtins */

static void *race_submitter(void *arg)
{
	int *bad = arg;
	uint64_t id = 0;
	while (!__atomic_load_n(&race_stop, __ATOMIC_SEQ_CST)) {
		int rc = submit(1, (uint32_t[]){FAKE_OP_NOP}, 1);
		if (rc != 0 && rc != -ENOENT)
			(*bad)++;
		rc = vgn_context_create_fence(tv.r, 1, 0, ++id);
		if (rc != 0 && rc != -ENOENT && rc != -EINVAL)
			(*bad)++;
		rc = vgn_context_attach_resource(tv.r, 1, 10);
		if (rc != 0 && rc != -ENOENT)
			(*bad)++;
	}
	return NULL;
}

START_TEST(destroy_races_submit)
{
	ck_assert_ok(vms_resource_create_2d(&tv, 10, VGN_FORMAT_R8_UNORM, 4, 4));
	ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
	int bad = 0;
	pthread_t th;
	__atomic_store_n(&race_stop, 0, __ATOMIC_SEQ_CST);
	ck_assert_int_eq(pthread_create(&th, NULL, race_submitter, &bad), 0);
	for (int i = 0; i < 1000; i++) {
		ck_assert_ok(vgn_context_destroy(tv.r, 1));
		ck_assert_ok(ctx_create(1, FAKE_CAPSET, NULL));
		if (i % 50 == 0)
			vms_drain(&tv, 0);
	}
	__atomic_store_n(&race_stop, 1, __ATOMIC_SEQ_CST);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_int_eq(bad, 0);
	ck_assert_ok(vgn_context_destroy(tv.r, 1));
	ck_assert_uint_eq(fake_read(&stats.contexts_live), 0);
	ck_assert_uint_eq(fake_read(&stats.attached_live), 0);
}
END_TEST

struct par {
	uint32_t ctx_id;
	int errors;
};

static void *par_worker(void *arg)
{
	struct par *p = arg;
	for (uint64_t id = 1; id <= 300; id++) {
		uint32_t ring = (uint32_t)(id % 4);
		if (submit(p->ctx_id, (uint32_t[]){FAKE_OP_NOP}, 1) ||
		    vgn_context_create_fence(tv.r, p->ctx_id, ring, id) ||
		    retire(p->ctx_id, ring, id, false))
			p->errors++;
	}
	return NULL;
}

START_TEST(parallel_contexts)
{
	struct par p[3] = {{1, 0}, {2, 0}, {3, 0}};
	pthread_t th[3];
	for (int i = 0; i < 3; i++)
		ck_assert_ok(ctx_create(p[i].ctx_id, FAKE_CAPSET, NULL));
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, par_worker, &p[i]), 0);
	/* Meanwhile the VMM thread keeps polling. */
	for (int i = 0; i < 20; i++)
		vms_drain(&tv, 5);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(p[i].errors, 0);
		ck_assert_uint_eq(retired(p[i].ctx_id, 0), 300);
		ck_assert_uint_eq(retired(p[i].ctx_id, 3), 299);
		ck_assert_ok(vms_wait_fence(&tv, p[i].ctx_id, 0, 300, 5000));
		ck_assert_ok(vms_wait_fence(&tv, p[i].ctx_id, 3, 299, 5000));
	}
}
END_TEST

START_TEST(renderer_destroy_with_contexts)
{
	/* Contexts with attachments, pending fences and a retire in flight on another
	 * thread: destroy releases all of it (ASan/LSan check the rest). */
	struct fake_stats s2;
	memset(&s2, 0, sizeof(s2));
	struct vms v;
	ck_assert_ok(vms_create(&v, NULL));
	ck_assert_ok(fake_backend_add(v.r, false, &s2));
	struct vgn_context_params cp;
	memset(&cp, 0, sizeof(cp));
	cp.size = sizeof(cp);
	cp.capset_id = FAKE_CAPSET;
	ck_assert_ok(vgn_context_create(v.r, 1, &cp));
	ck_assert_ok(vgn_context_create(v.r, 2, &cp));
	ck_assert_ok(vms_resource_create_2d(&v, 10, VGN_FORMAT_R8_UNORM, 4, 4));
	ck_assert_ok(vgn_context_attach_resource(v.r, 1, 10));
	ck_assert_ok(vgn_context_attach_resource(v.r, 2, 10));
	ck_assert_ok(vgn_resource_unref(v.r, 10));
	ck_assert_ok(vgn_context_create_fence(v.r, 1, 0, 1));
	uint32_t cmd[4] = {FAKE_OP_RETIRE_ASYNC, 0, 1, 0};
	ck_assert_ok(vgn_context_submit(v.r, 1, cmd, sizeof(cmd)));
	ck_assert_uint_eq(fake_read(&s2.attached_live), 2);
	vms_destroy(&v);
	ck_assert_uint_eq(fake_read(&s2.contexts_live), 0);
	ck_assert_uint_eq(fake_read(&s2.attached_live), 0);
	ck_assert_uint_eq(fake_read(&s2.destroyed), 1);
}
END_TEST

START_TEST(add_backend_after_objects_refused)
{
	struct fake_stats s2;
	memset(&s2, 0, sizeof(s2));
	ck_assert_ok(vms_resource_create_2d(&tv, 1, VGN_FORMAT_R8_UNORM, 4, 4));
	ck_assert_rc(fake_backend_add(tv.r, false, &s2), -EBUSY);
}
END_TEST

static Suite *context_suite(void)
{
	Suite *s = suite_create("context");
	TCase *tc = tcase_create("poll-mode");
	tcase_add_checked_fixture(tc, fx_setup, tv_teardown);
	tcase_add_test(tc, create_destroy);
	tcase_add_test(tc, create_bad_ids_and_params);
	tcase_add_test(tc, create_unsupported_capset);
	tcase_add_test(tc, backend_refuses_context);
	tcase_add_test(tc, destroy_unknown);
	tcase_add_test(tc, submit_rules);
	tcase_add_test(tc, fatal_context);
	tcase_add_test(tc, attach_detach_rules);
	tcase_add_test(tc, context_sees_only_attached);
	tcase_add_test(tc, backend_refuses_attach);
	tcase_add_test(tc, unref_while_attached);
	tcase_add_test(tc, transfer_needs_attachment);
	tcase_add_test(tc, attach_limits);
	tcase_add_test(tc, fence_arguments);
	tcase_add_test(tc, fence_retires_when_work_done);
	tcase_add_test(tc, wait_fence);
	tcase_add_test(tc, all_rings_independent);
	tcase_add_test(tc, retire_from_another_thread);
	tcase_add_test(tc, failed_fence_changes_nothing);
	tcase_add_test(tc, destroy_drops_pending_events);
	tcase_add_test(tc, capset_through_backend);
	tcase_add_test(tc, parallel_contexts);
	tcase_add_test(tc, query_through_context);
	tcase_add_test(tc, transfer_after_vmm_unref);
	tcase_add_test(tc, destroy_races_submit);
	tcase_add_test(tc, renderer_destroy_with_contexts);
	tcase_add_test(tc, add_backend_after_objects_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("auto-retire");
	tcase_add_checked_fixture(tc, fx_setup_auto, tv_teardown);
	tcase_add_test(tc, auto_retire_backend);
	suite_add_tcase(s, tc);

	tc = tcase_create("thread-mode");
	tcase_add_checked_fixture(tc, fx_setup_thread, tv_teardown);
	tcase_add_test(tc, retire_from_another_thread);
	tcase_add_test(tc, fatal_context);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(context_suite());
}
