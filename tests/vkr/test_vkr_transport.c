/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * The vkr backend through the public API: the Venus capset, a context-stream round trip with
 * a reply written into a shm blob, and malformed streams (truncated, counts past the end,
 * unknown command, unknown id, wrong handle type) that kill only their own context, and the
 * renderer's max_objects_per_context limit on the context's object table.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "virgl-next/virgl_next.h"

#define CMD_CREATE_INSTANCE 0u
#define CMD_ENUMERATE_PHYSICAL_DEVICES 2u
#define CMD_GET_PHYSICAL_DEVICE_PROPERTIES 6u
#define CMD_DESTROY_DEVICE 12u
#define CMD_ENUMERATE_INSTANCE_VERSION 137u
#define CMD_SET_REPLY 178u
#define CMD_CREATE_RING 188u
#define STYPE_RING_CREATE_INFO 1000384000u
#define REPLY_BIT 1u

struct buf {
	uint8_t data[1024];
	size_t len;
};

static void put32(struct buf *b, uint32_t v)
{
	ck_assert_uint_le(b->len + 4, sizeof(b->data));
	memcpy(b->data + b->len, &v, 4);
	b->len += 4;
}

static void put64(struct buf *b, uint64_t v)
{
	ck_assert_uint_le(b->len + 8, sizeof(b->data));
	memcpy(b->data + b->len, &v, 8);
	b->len += 8;
}

static vgn_renderer *new_renderer_limited(uint32_t max_objects)
{
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = VGN_RENDERER_PARAMS_SIZE_V2;
	p.backends = VGN_BACKEND_VULKAN;
	p.log_level = VGN_LOG_ERROR;
	p.max_objects_per_context = max_objects;
	vgn_renderer *r = NULL;
	ck_assert_int_eq(vgn_renderer_create(&p, &r), 0);
	return r;
}

static vgn_renderer *new_renderer(void)
{
	return new_renderer_limited(0);
}

static void new_context(vgn_renderer *r, uint32_t ctx_id)
{
	struct vgn_context_params cp = {.size = VGN_CONTEXT_PARAMS_SIZE_V1,
	                                .capset_id = VGN_CAPSET_VENUS,
	                                .debug_name = "test"};
	ck_assert_int_eq(vgn_context_create(r, ctx_id, &cp), 0);
}

/* A 4 KiB shm blob (HOST3D, blob_id 0) of ctx_id, mapped. */
static uint8_t *new_shm(vgn_renderer *r, uint32_t ctx_id, uint32_t res_id)
{
	struct vgn_blob_params bp;
	memset(&bp, 0, sizeof(bp));
	bp.size = VGN_BLOB_PARAMS_SIZE_V1;
	bp.ctx_id = ctx_id;
	bp.blob_mem = VGN_BLOB_MEM_HOST3D;
	bp.blob_flags = VGN_BLOB_FLAG_MAPPABLE;
	bp.blob_size = 4096;
	ck_assert_int_eq(vgn_resource_create_blob(r, res_id, &bp), 0);
	void *ptr = NULL;
	uint64_t size = 0;
	ck_assert_int_eq(vgn_resource_map(r, res_id, &ptr, &size), 0);
	ck_assert_uint_ge(size, 4096);
	return ptr;
}

/* SetReplyCommandStream{res_id, 0, 64} + vkEnumerateInstanceVersion(reply); checks the reply. */
static void check_roundtrip(vgn_renderer *r, uint32_t ctx_id, uint32_t res_id, uint8_t *shm)
{
	struct buf b = {.len = 0};
	put32(&b, CMD_SET_REPLY);
	put32(&b, 0);
	put64(&b, 1); /* pStream present */
	put32(&b, res_id);
	put64(&b, 0);  /* offset */
	put64(&b, 64); /* size */
	put32(&b, CMD_ENUMERATE_INSTANCE_VERSION);
	put32(&b, REPLY_BIT);
	put64(&b, 1); /* pApiVersion present */
	memset(shm, 0xcc, 64);
	ck_assert_int_eq(vgn_context_submit(r, ctx_id, b.data, b.len), 0);
	uint32_t type, result, version;
	uint64_t present;
	memcpy(&type, shm, 4);
	memcpy(&result, shm + 4, 4);
	memcpy(&present, shm + 8, 8);
	memcpy(&version, shm + 16, 4);
	ck_assert_uint_eq(type, CMD_ENUMERATE_INSTANCE_VERSION);
	ck_assert_uint_eq(result, 0);
	ck_assert_uint_eq(present, 1);
	ck_assert_uint_ge(version, (1u << 22) | (1u << 12)); /* >= 1.1 */
}

START_TEST(capset)
{
	vgn_renderer *r = new_renderer();
	uint32_t v, size;
	ck_assert_int_eq(vgn_capset_info(r, VGN_CAPSET_VENUS, &v, &size), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_uint_eq(size, 160);
	uint32_t cap[40];
	size_t written = 0;
	ck_assert_int_eq(vgn_capset_fill(r, VGN_CAPSET_VENUS, 0, cap, sizeof(cap), &written), 0);
	ck_assert_uint_eq(written, 160);
	ck_assert_uint_eq(cap[0], 1);                       /* wire format */
	ck_assert_uint_ge(cap[1], (1u << 22) | (1u << 12)); /* vk.xml >= 1.1 */
	ck_assert_uint_eq(cap[2], 1);
	ck_assert_uint_eq(cap[3], 2);
	ck_assert_uint_eq(cap[4], 1);                                /* blob_id 0 */
	ck_assert_uint_eq(cap[5] & 1, 1);                            /* mask valid */
	ck_assert_uint_eq((cap[5 + 384 / 32] >> (384 % 32)) & 3, 3); /* 384, 385 */
	ck_assert_uint_eq(cap[37], 1);
	ck_assert_uint_eq(cap[38], 1);
	ck_assert_uint_eq(cap[39], 0);
	vgn_renderer_destroy(r);
}
END_TEST

START_TEST(roundtrip)
{
	vgn_renderer *r = new_renderer();
	new_context(r, 1);
	uint8_t *shm = new_shm(r, 1, 10);
	check_roundtrip(r, 1, 10, shm);
	check_roundtrip(r, 1, 10, shm);
	ck_assert_int_eq(vgn_context_destroy(r, 1), 0);
	vgn_renderer_destroy(r);
}
END_TEST

static void create_instance(struct buf *b, uint64_t id, uint32_t ext_count, bool truncate)
{
	put32(b, CMD_CREATE_INSTANCE);
	put32(b, 0);
	put64(b, 1); /* pCreateInfo */
	put32(b, 1); /* sType INSTANCE_CREATE_INFO */
	put64(b, 0); /* pNext */
	put32(b, 0); /* flags */
	put64(b, 0); /* pApplicationInfo */
	put32(b, 0); /* enabledLayerCount */
	put64(b, 0);
	put32(b, ext_count);
	put64(b, ext_count); /* ppEnabledExtensionNames: the strings never come */
	if (truncate)
		return;
	put64(b, 0); /* pAllocator */
	put64(b, 1); /* pInstance */
	put64(b, id);
}

/* Each malformed stream kills its context (and only it). */
static void bad_stream(int which, struct buf *b)
{
	switch (which) {
	case 0: /* truncated: header of vkEnumerateInstanceVersion only */
		put32(b, CMD_ENUMERATE_INSTANCE_VERSION);
		put32(b, REPLY_BIT);
		break;
	case 1: /* counts past the end */
		create_instance(b, 5, 1000, true);
		break;
	case 2: /* unknown command type (195 is retired) */
		put32(b, 195);
		put32(b, 0);
		break;
	case 3: /* an id nobody created */
		put32(b, CMD_DESTROY_DEVICE);
		put32(b, 0);
		put64(b, 77);
		put64(b, 0);
		break;
	case 4: /* wrong handle type: an instance id used as a device */
		create_instance(b, 5, 0, false);
		put32(b, CMD_DESTROY_DEVICE);
		put32(b, 0);
		put64(b, 5);
		put64(b, 0);
		break;
	case 5: /* reply stream outside its resource */
		put32(b, CMD_SET_REPLY);
		put32(b, 0);
		put64(b, 1);
		put32(b, 10);
		put64(b, 4090);
		put64(b, 64);
		break;
	case 6: /* a required dispatchable handle as VK_NULL_HANDLE (id 0) reached the
	         * loader, which dereferenced it (found by fuzz_venus_live) */
		create_instance(b, 5, 0, false);
		put32(b, CMD_GET_PHYSICAL_DEVICE_PROPERTIES);
		put32(b, 0);
		put64(b, 0); /* physicalDevice: id 0 */
		put64(b, 1); /* pProperties present (output, partial form: no content) */
		break;
	}
}

START_TEST(malformed)
{
	vgn_renderer *r = new_renderer();
	new_context(r, 1);
	new_context(r, 2);
	uint8_t *shm_a = new_shm(r, 1, 10);
	uint8_t *shm_b = new_shm(r, 2, 20);
	check_roundtrip(r, 1, 10, shm_a);
	struct buf b = {.len = 0};
	bad_stream(_i, &b);
	ck_assert_int_ne(vgn_context_submit(r, 1, b.data, b.len), 0);
	/* dead: even a good stream is refused now */
	struct buf good = {.len = 0};
	put32(&good, CMD_ENUMERATE_INSTANCE_VERSION);
	put32(&good, 0);
	put64(&good, 1);
	ck_assert_int_eq(vgn_context_submit(r, 1, good.data, good.len), -EIO);
	/* the other context keeps working */
	check_roundtrip(r, 2, 20, shm_b);
	ck_assert_int_eq(vgn_context_destroy(r, 1), 0);
	check_roundtrip(r, 2, 20, shm_b);
	vgn_renderer_destroy(r);
}
END_TEST

/* vkCreateRingMESA over res_id: control words at 0/64/128, the buffer at 256, 64 bytes of
 * extra after it. */
static void create_ring(struct buf *b, uint64_t ring, uint32_t res_id, uint64_t buffer_size)
{
	put32(b, CMD_CREATE_RING);
	put32(b, 0);
	put64(b, ring);
	put64(b, 1); /* pCreateInfo */
	put32(b, STYPE_RING_CREATE_INFO);
	put64(b, 0); /* pNext */
	put32(b, 0); /* flags */
	put32(b, res_id);
	put64(b, 0);                      /* offset */
	put64(b, 256 + buffer_size + 64); /* size */
	put64(b, 1000000);                /* idleTimeout (ns) */
	put64(b, 0);                      /* headOffset */
	put64(b, 64);                     /* tailOffset */
	put64(b, 128);                    /* statusOffset */
	put64(b, 256);                    /* bufferOffset */
	put64(b, buffer_size);
	put64(b, 256 + buffer_size); /* extraOffset */
	put64(b, 64);                /* extraSize */
}

static int ring_on(vgn_renderer *r, uint64_t buffer_size)
{
	struct vgn_blob_params bp;
	memset(&bp, 0, sizeof(bp));
	bp.size = VGN_BLOB_PARAMS_SIZE_V1;
	bp.ctx_id = 1;
	bp.blob_mem = VGN_BLOB_MEM_HOST3D;
	bp.blob_flags = VGN_BLOB_FLAG_MAPPABLE;
	bp.blob_size = 64 * 1024;
	new_context(r, 1);
	ck_assert_int_eq(vgn_resource_create_blob(r, 10, &bp), 0);
	struct buf b = {.len = 0};
	create_ring(&b, 7, 10, buffer_size);
	int ret = vgn_context_submit(r, 1, b.data, b.len);
	ck_assert_int_eq(vgn_context_destroy(r, 1), 0);
	ck_assert_int_eq(vgn_resource_unref(r, 10), 0);
	return ret;
}

/* The renderer's max_ring_bytes: a ring buffer a default renderer accepts kills the
 * context of one whose limit it exceeds. */
START_TEST(ring_size_limit)
{
	vgn_renderer *r = new_renderer();
	ck_assert_int_eq(ring_on(r, 8192), 0);
	vgn_renderer_destroy(r);

	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = VGN_RENDERER_PARAMS_SIZE_V3;
	p.backends = VGN_BACKEND_VULKAN;
	p.log_level = VGN_LOG_ERROR;
	p.max_ring_bytes = 4096;
	ck_assert_int_eq(vgn_renderer_create(&p, &r), 0);
	ck_assert_int_ne(ring_on(r, 8192), 0);
	ck_assert_int_eq(ring_on(r, 4096), 0);
	vgn_renderer_destroy(r);
}
END_TEST

/* The instance takes one object; binding a physical device needs a second one. */
START_TEST(object_limit)
{
	const uint32_t limit = (uint32_t)_i;
	vgn_renderer *r = new_renderer_limited(limit);
	new_context(r, 1);
	struct buf b = {.len = 0};
	create_instance(&b, 1, 0, false);
	ck_assert_int_eq(vgn_context_submit(r, 1, b.data, b.len), 0);
	b.len = 0;
	put32(&b, CMD_ENUMERATE_PHYSICAL_DEVICES);
	put32(&b, 0);
	put64(&b, 1); /* instance */
	put64(&b, 1); /* pPhysicalDeviceCount present */
	put32(&b, 1);
	put64(&b, 1); /* one slot */
	put64(&b, 2); /* id 2 */
	const int ret = vgn_context_submit(r, 1, b.data, b.len);
	if (limit == 1)
		ck_assert_int_ne(ret, 0); /* over the limit: the context is dead */
	else
		ck_assert_int_eq(ret, 0);
	ck_assert_int_eq(vgn_context_destroy(r, 1), 0);
	vgn_renderer_destroy(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vkr_transport");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, capset);
	tcase_add_test(tc, roundtrip);
	tcase_add_loop_test(tc, malformed, 0, 7);
	tcase_add_test(tc, ring_size_limit);
	tcase_add_loop_test(tc, object_limit, 1, 3);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	const int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
