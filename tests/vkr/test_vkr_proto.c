/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * Venus protocol tests: the generated host decoders / reply encoders (vkr_proto_host.c) against
 *  - the byte-level examples of spec section 2.10 (golden vectors, made by Mesa 25.0.7),
 *  - the generated driver-side encoders and reply decoders (round trips with random arguments,
 *    compared field by field by the generated comparisons, then re-encoded byte for byte),
 *  - malformed and hostile input: every truncation, counts past the end, huge counts, unknown
 *    command types, unknown or duplicate pNext structs, bad presence markers and union tags.
 * Run under ASan/UBSan too: truncated copies are allocated at their exact size.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vkr_proto.h"
#include "vkr_proto_driver.h"
#include "vkr_test_support.h"

#define BUF_SIZE ((size_t)4 << 20)
#define ARENA_CAP ((size_t)64 << 20)
#define SEEDS 24

/* Spec section 5: infrastructure (5.0), vulkaninfo (5.1), compute (5.2), offscreen rendering
 * (5.3), including the variants apps use instead (sync2, dynamic rendering, render pass 2). */
static const uint32_t subset[] = {
    0,   1,   2,   6,   11,  12,  14,  18,  21,  22,  35,  36,  37,  38,  39,  40,  41,  50,  51,
    54,  55,  57,  58,  59,  60,  61,  62,  65,  66,  67,  68,  69,  70,  71,  72,  73,  74,  75,
    77,  79,  80,  81,  82,  83,  85,  86,  88,  89,  90,  91,  93,  94,  95,  103, 105, 106, 107,
    110, 115, 116, 118, 126, 132, 133, 135, 137, 138, 139, 143, 144, 145, 147, 148, 149, 150, 151,
    152, 155, 168, 170, 178, 180, 188, 189, 190, 204, 206, 213, 214, 251, 252, 253,
};

#define SUBSET_COUNT (sizeof(subset) / sizeof(subset[0]))

/* -- helpers ---------------------------------------------------------------------------------- */

/* Parses "01 00 cc ..." into bytes; "cc" marks padding the spec's encoder left unwritten (our
 * encoders write zeros there, decoders must ignore it). Returns the length. */
static size_t parse_hex(const char *text, uint8_t *bytes, bool *padding)
{
	size_t n = 0;
	while (*text) {
		if (*text == ' ' || *text == '\n' || *text == '|') {
			text++;
			continue;
		}
		unsigned v;
		ck_assert_int_eq(sscanf(text, "%2x", &v), 1);
		bytes[n] = (uint8_t)v;
		padding[n] = text[0] == 'c' && text[1] == 'c';
		n++;
		text += 2;
	}
	return n;
}

/* Our encoding must equal the golden bytes, with zeros where the spec shows padding. */
static void assert_bytes(const uint8_t *got, size_t got_size, const char *hex, const char *what)
{
	uint8_t want[2048];
	bool padding[2048];
	const size_t size = parse_hex(hex, want, padding);
	ck_assert_msg(got_size == size, "%s: %zu bytes, expected %zu", what, got_size, size);
	for (size_t i = 0; i < size; i++) {
		const uint8_t expect = padding[i] ? 0 : want[i];
		ck_assert_msg(got[i] == expect, "%s: byte 0x%zx is %02x, expected %02x", what, i,
		              got[i], expect);
	}
}

static size_t encode_request(uint32_t type, uint32_t flags, const void *args, uint8_t *buf,
                             size_t size)
{
	const struct vkr_proto_driver_command *drv = vkr_proto_driver_command(type);
	ck_assert_ptr_nonnull(drv);
	struct vkr_cs_encoder enc;
	vkr_cs_encoder_init(&enc, buf, size);
	ck_assert_int_eq(drv->encode(&enc, flags, args), 0);
	return (size_t)(enc.cur - buf);
}

static size_t encode_reply(uint32_t type, const void *args, uint8_t *buf, size_t size)
{
	struct vkr_cs_encoder enc;
	vkr_cs_encoder_init(&enc, buf, size);
	ck_assert_int_eq(vkr_proto_command(type)->encode_reply(&enc, args), 0);
	return (size_t)(enc.cur - buf);
}

/* Host side: a whole request (header included) into args. Returns 0 or the decoder's error;
 * on success every byte must have been consumed. */
static int decode_request(const uint8_t *bytes, size_t size, struct vkr_arena *arena,
                          union vkr_proto_args *args, uint32_t *type)
{
	struct vkr_cs_decoder dec;
	uint32_t flags;
	vkr_cs_decoder_init(&dec, bytes, size, arena);
	VKR_TRY(vkr_dec_u32(&dec, type));
	VKR_TRY(vkr_dec_u32(&dec, &flags));
	const struct vkr_proto_command *cmd = vkr_proto_command(*type);
	if (!cmd)
		return VKR_CS_ERR_UNKNOWN;
	memset(args, 0, sizeof(*args));
	int ret = cmd->decode(&dec, args);
	if (!ret)
		ck_assert_msg(dec.cur == dec.end, "%s: %zu bytes left over", cmd->name,
		              vkr_cs_remaining(&dec));
	else
		ck_assert_int_eq(ret, dec.error);
	return ret;
}

static int decode_hex_request(const char *hex, struct vkr_arena *arena, union vkr_proto_args *args,
                              uint32_t *type)
{
	static uint8_t bytes[2048];
	bool padding[2048];
	const size_t size = parse_hex(hex, bytes, padding);
	return decode_request(bytes, size, arena, args, type);
}

/* Driver side: a reply into args (inputs as in the request, outputs cleared first). */
static int decode_reply(uint32_t type, const uint8_t *bytes, size_t size, struct vkr_arena *arena,
                        void *args)
{
	const struct vkr_proto_driver_command *drv = vkr_proto_driver_command(type);
	struct vkr_cs_decoder dec;
	vkr_cs_decoder_init(&dec, bytes, size, arena);
	drv->clear_outs(args);
	int ret = drv->decode_reply(&dec, args);
	if (!ret)
		ck_assert_msg(dec.cur == dec.end, "reply of %u: %zu bytes left over", type,
		              vkr_cs_remaining(&dec));
	return ret;
}

/* Every strict prefix of a valid request must be rejected, without reading past its end (the
 * copy is exactly as large as the prefix, so ASan catches any overread). */
static void check_truncations(const uint8_t *bytes, size_t size, struct vkr_arena *arena)
{
	union vkr_proto_args args;
	for (size_t cut = 0; cut < size; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, bytes, cut);
		uint32_t type;
		const int ret = decode_request(copy, cut, arena, &args, &type);
		ck_assert_msg(ret == VKR_CS_ERR_MALFORMED, "request cut at %zu of %zu: %d", cut,
		              size, ret);
		vkr_arena_reset(arena);
		free(copy);
	}
}

static void check_reply_truncations(uint32_t type, const uint8_t *bytes, size_t size,
                                    struct vkr_arena *arena, const void *request)
{
	union vkr_proto_args args;
	for (size_t cut = 0; cut < size; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, bytes, cut);
		memcpy(&args, request, sizeof(args));
		ck_assert_msg(decode_reply(type, copy, cut, arena, &args) != 0,
		              "reply of %u cut at %zu accepted", type, cut);
		vkr_arena_reset(arena);
		free(copy);
	}
}

/* -- round trips --------------------------------------------------------------------------------
 */

struct trip {
	struct vkr_arena drv_arena;
	struct vkr_arena host_arena;
	uint8_t *req;
	uint8_t *req2;
	uint8_t *rep;
	uint8_t *rep2;
};

static void trip_init(struct trip *t)
{
	vkr_arena_init(&t->drv_arena, ARENA_CAP);
	vkr_arena_init(&t->host_arena, ARENA_CAP);
	t->req = malloc(BUF_SIZE);
	t->req2 = malloc(BUF_SIZE);
	t->rep = malloc(BUF_SIZE);
	t->rep2 = malloc(BUF_SIZE);
}

static void trip_fini(struct trip *t)
{
	vkr_arena_fini(&t->drv_arena);
	vkr_arena_fini(&t->host_arena);
	free(t->req);
	free(t->req2);
	free(t->rep);
	free(t->rep2);
}

/* Random arguments -> driver encoder -> host decoder -> field-by-field comparison -> host-decoded
 * arguments re-encoded byte for byte; then the reply: host encoder -> driver decoder ->
 * comparison -> re-encoded. With `truncate`, also every truncation of request and reply. */
static void round_trip(struct trip *t, uint32_t type, uint64_t seed, bool truncate)
{
	const struct vkr_proto_command *cmd = vkr_proto_command(type);
	const struct vkr_proto_driver_command *drv = vkr_proto_driver_command(type);
	ck_assert_msg(cmd && drv, "command %u is not generated", type);

	union vkr_proto_args orig;
	union vkr_proto_args host;
	union vkr_proto_args back;
	struct vkr_fill fill;
	struct vkr_cmp cmp = {NULL};
	uint32_t decoded_type;

	memset(&orig, 0, sizeof(orig));
	vkr_fill_init(&fill, &t->drv_arena, seed);
	drv->fill(&fill, &orig);

	const uint32_t flags = (seed & 1) ? VKR_COMMAND_GENERATE_REPLY_BIT : 0;
	const size_t req_size = encode_request(type, flags, &orig, t->req, BUF_SIZE);
	const int ret = decode_request(t->req, req_size, &t->host_arena, &host, &decoded_type);
	ck_assert_msg(ret == 0, "%s request (seed %llu) rejected: %d", cmd->name,
	              (unsigned long long)seed, ret);
	ck_assert_uint_eq(decoded_type, type);
	ck_assert_msg(drv->compare(&cmp, &orig, &host, false), "%s request (seed %llu): %s differs",
	              cmd->name, (unsigned long long)seed, cmp.path);
	const size_t req2_size = encode_request(type, flags, &host, t->req2, BUF_SIZE);
	ck_assert_msg(req2_size == req_size && !memcmp(t->req, t->req2, req_size),
	              "%s request (seed %llu): re-encoding differs", cmd->name,
	              (unsigned long long)seed);

	const size_t rep_size = encode_reply(type, &orig, t->rep, BUF_SIZE);
	memcpy(&back, &orig, sizeof(back));
	ck_assert_msg(decode_reply(type, t->rep, rep_size, &t->drv_arena, &back) == 0,
	              "%s reply (seed %llu) rejected", cmd->name, (unsigned long long)seed);
	cmp.path = NULL;
	ck_assert_msg(drv->compare(&cmp, &orig, &back, true), "%s reply (seed %llu): %s differs",
	              cmd->name, (unsigned long long)seed, cmp.path);
	const size_t rep2_size = encode_reply(type, &back, t->rep2, BUF_SIZE);
	ck_assert_msg(rep2_size == rep_size && !memcmp(t->rep, t->rep2, rep_size),
	              "%s reply (seed %llu): re-encoding differs", cmd->name,
	              (unsigned long long)seed);

	vkr_arena_reset(&t->host_arena);
	if (truncate) {
		check_truncations(t->req, req_size, &t->host_arena);
		check_reply_truncations(type, t->rep, rep_size, &t->host_arena, &orig);
	}
	vkr_arena_reset(&t->drv_arena);
}

START_TEST(subset_round_trip)
{
	struct trip t;
	trip_init(&t);
	const uint32_t type = subset[_i];
	for (uint64_t seed = 0; seed < SEEDS; seed++)
		round_trip(&t, type, seed * 7919 + type, seed < 6);
	trip_fini(&t);
}
END_TEST

/* Every generated command, not just the subset (fewer seeds, no truncations). */
START_TEST(all_commands_round_trip)
{
	struct trip t;
	trip_init(&t);
	uint32_t count = 0;
	for (uint32_t type = 0; type < VKR_CMD_COUNT; type++) {
		if (!vkr_proto_command(type))
			continue;
		for (uint64_t seed = 0; seed < 6; seed++)
			round_trip(&t, type, seed * 104729 + type, false);
		count++;
	}
	ck_assert_uint_gt(count, 200);
	trip_fini(&t);
}
END_TEST

/* Random byte flips in valid requests: decoding may fail, but must stay in bounds. */
START_TEST(mutated_requests)
{
	struct trip t;
	trip_init(&t);
	struct vkr_fill rng;
	vkr_fill_init(&rng, &t.drv_arena, 4242);
	for (size_t k = 0; k < SUBSET_COUNT; k++) {
		for (uint64_t seed = 0; seed < 8; seed++) {
			union vkr_proto_args orig;
			struct vkr_fill fill;
			memset(&orig, 0, sizeof(orig));
			vkr_fill_init(&fill, &t.drv_arena, seed + 1000 * k);
			vkr_proto_driver_command(subset[k])->fill(&fill, &orig);
			const size_t size = encode_request(subset[k], 1, &orig, t.req, BUF_SIZE);
			for (int m = 0; m < 64; m++) {
				uint8_t *copy = malloc(size);
				memcpy(copy, t.req, size);
				const uint32_t flips = 1 + vkr_fill_small(&rng, 4);
				for (uint32_t j = 0; j < flips; j++) {
					const size_t at =
					    8 + vkr_fill_small(&rng, (uint32_t)(size - 8));
					copy[at] = (uint8_t)vkr_fill_u64(&rng);
				}
				union vkr_proto_args host;
				uint32_t type;
				struct vkr_cs_decoder dec;
				vkr_cs_decoder_init(&dec, copy, size, &t.host_arena);
				ck_assert_int_eq(vkr_dec_u32(&dec, &type), 0);
				dec.cur += 4;
				memset(&host, 0, sizeof(host));
				(void)vkr_proto_command(type)->decode(&dec, &host);
				ck_assert(dec.cur <= dec.end);
				ck_assert_uint_le(t.host_arena.used, ARENA_CAP);
				vkr_arena_reset(&t.host_arena);
				free(copy);
			}
			vkr_arena_reset(&t.drv_arena);
		}
	}
	trip_fini(&t);
}
END_TEST

/* Every generated command fed random bytes after a valid header: rejected or accepted, but
 * always within bounds and within the arena cap. */
START_TEST(random_bodies)
{
	struct vkr_arena arena;
	struct vkr_fill rng;
	vkr_arena_init(&arena, ARENA_CAP);
	vkr_fill_init(&rng, &arena, 777);
	for (uint32_t type = 0; type < VKR_CMD_COUNT; type++) {
		const struct vkr_proto_command *cmd = vkr_proto_command(type);
		if (!cmd)
			continue;
		for (int k = 0; k < 48; k++) {
			const size_t size = vkr_fill_small(&rng, 600);
			uint8_t *body = malloc(size ? size : 1);
			vkr_fill_bits(&rng, body, size);
			/* Small words make plausible counts and presence markers. */
			for (size_t i = 0; i + 4 <= size; i += 4) {
				if (vkr_fill_coin(&rng)) {
					memset(body + i, 0, 4);
					body[i] = (uint8_t)vkr_fill_small(&rng, 3);
				}
			}
			union vkr_proto_args args;
			struct vkr_cs_decoder dec;
			vkr_cs_decoder_init(&dec, body, size, &arena);
			memset(&args, 0, sizeof(args));
			const int ret = cmd->decode(&dec, &args);
			ck_assert(ret == 0 || ret == dec.error);
			ck_assert(dec.cur <= dec.end);
			vkr_arena_reset(&arena);
			free(body);
		}
	}
	vkr_arena_fini(&arena);
}
END_TEST

/* -- golden vectors (spec 2.10) -----------------------------------------------------------------
 */

static const char create_instance_request[] =
    "00 00 00 00 | 01 00 00 00 | 01 00 00 00 00 00 00 00 | 01 00 00 00 |"
    "00 00 00 00 00 00 00 00 | 00 00 00 00 | 01 00 00 00 00 00 00 00 | 00 00 00 00 |"
    "00 00 00 00 00 00 00 00 | 07 00 00 00 00 00 00 00 | 76 6b 63 75 62 65 00 cc |"
    "01 00 00 00 | 00 00 00 00 00 00 00 00 | 00 00 00 00 | 00 10 40 00 | 00 00 00 00 |"
    "00 00 00 00 00 00 00 00 | 00 00 00 00 | 00 00 00 00 00 00 00 00 |"
    "00 00 00 00 00 00 00 00 | 01 00 00 00 00 00 00 00 | 01 00 00 00 00 00 00 00";
static const char create_instance_reply[] =
    "00 00 00 00 | 00 00 00 00 | 01 00 00 00 00 00 00 00 | 01 00 00 00 00 00 00 00";
static const char enumerate_version_request[] =
    "89 00 00 00 | 01 00 00 00 | 01 00 00 00 00 00 00 00";
static const char enumerate_version_reply[] =
    "89 00 00 00 | 00 00 00 00 | 01 00 00 00 00 00 00 00 | 00 30 40 00";

START_TEST(golden_create_instance)
{
	struct vkr_arena arena;
	union vkr_proto_args host;
	uint8_t buf[256];
	uint32_t type;
	vkr_arena_init(&arena, ARENA_CAP);

	VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
	                         .pApplicationName = "vkcube",
	                         .applicationVersion = 1,
	                         .apiVersion = VK_API_VERSION_1_1};
	VkInstanceCreateInfo info = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
	                             .pApplicationInfo = &app};
	VkInstance instance = VKR_ID_TO_HANDLE(VkInstance, 1);
	struct vkr_cmd_vkCreateInstance args = {.pCreateInfo = &info, .pInstance = &instance};
	size_t size = encode_request(VKR_CMD_vkCreateInstance, VKR_COMMAND_GENERATE_REPLY_BIT,
	                             &args, buf, sizeof(buf));
	assert_bytes(buf, size, create_instance_request, "vkCreateInstance request");

	/* The spec's bytes (padding 0xcc) decode to the same values, field by field. */
	ck_assert_int_eq(decode_hex_request(create_instance_request, &arena, &host, &type), 0);
	ck_assert_uint_eq(type, VKR_CMD_vkCreateInstance);
	const struct vkr_cmd_vkCreateInstance *d = &host.vkCreateInstance;
	ck_assert_ptr_nonnull(d->pCreateInfo);
	ck_assert_int_eq(d->pCreateInfo->sType, VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO);
	ck_assert_ptr_null(d->pCreateInfo->pNext);
	ck_assert_ptr_nonnull(d->pCreateInfo->pApplicationInfo);
	ck_assert_str_eq(d->pCreateInfo->pApplicationInfo->pApplicationName, "vkcube");
	ck_assert_ptr_null(d->pCreateInfo->pApplicationInfo->pEngineName);
	ck_assert_uint_eq(d->pCreateInfo->pApplicationInfo->applicationVersion, 1);
	ck_assert_uint_eq(d->pCreateInfo->pApplicationInfo->apiVersion, VK_API_VERSION_1_1);
	ck_assert_uint_eq(d->pCreateInfo->enabledLayerCount, 0);
	ck_assert_ptr_null(d->pCreateInfo->ppEnabledLayerNames);
	ck_assert_ptr_null(d->pAllocator);
	ck_assert_ptr_nonnull(d->pInstance);
	ck_assert_uint_eq(VKR_HANDLE_TO_ID(*d->pInstance), 1);

	/* Reply: the host echoes the id. */
	host.vkCreateInstance.ret = VK_SUCCESS;
	size = encode_reply(VKR_CMD_vkCreateInstance, &host, buf, sizeof(buf));
	assert_bytes(buf, size, create_instance_reply, "vkCreateInstance reply");
	struct vkr_cmd_vkCreateInstance back = args;
	ck_assert_int_eq(decode_reply(VKR_CMD_vkCreateInstance, buf, size, &arena, &back), 0);
	ck_assert_int_eq(back.ret, VK_SUCCESS);
	ck_assert_uint_eq(VKR_HANDLE_TO_ID(*back.pInstance), 1);

	/* vkEnumerateInstanceVersion: presence of the out pointer only; reply with the value. */
	uint32_t version = 0;
	struct vkr_cmd_vkEnumerateInstanceVersion ev = {.pApiVersion = &version};
	size = encode_request(VKR_CMD_vkEnumerateInstanceVersion, VKR_COMMAND_GENERATE_REPLY_BIT,
	                      &ev, buf, sizeof(buf));
	assert_bytes(buf, size, enumerate_version_request, "vkEnumerateInstanceVersion request");
	ck_assert_int_eq(decode_hex_request(enumerate_version_request, &arena, &host, &type), 0);
	ck_assert_ptr_nonnull(host.vkEnumerateInstanceVersion.pApiVersion);
	*host.vkEnumerateInstanceVersion.pApiVersion = VK_API_VERSION_1_3;
	host.vkEnumerateInstanceVersion.ret = VK_SUCCESS;
	size = encode_reply(VKR_CMD_vkEnumerateInstanceVersion, &host, buf, sizeof(buf));
	assert_bytes(buf, size, enumerate_version_reply, "vkEnumerateInstanceVersion reply");
	vkr_arena_fini(&arena);
}
END_TEST

START_TEST(golden_enumerate_physical_devices)
{
	struct vkr_arena arena;
	union vkr_proto_args host;
	uint8_t buf[256];
	uint32_t type;
	vkr_arena_init(&arena, ARENA_CAP);

	/* Count query. */
	uint32_t count = 0;
	struct vkr_cmd_vkEnumeratePhysicalDevices q = {.instance = VKR_ID_TO_HANDLE(VkInstance, 1),
	                                               .pPhysicalDeviceCount = &count};
	size_t size = encode_request(VKR_CMD_vkEnumeratePhysicalDevices,
	                             VKR_COMMAND_GENERATE_REPLY_BIT, &q, buf, sizeof(buf));
	assert_bytes(buf, size,
	             "02 00 00 00 | 01 00 00 00 | 01 00 00 00 00 00 00 00 |"
	             "01 00 00 00 00 00 00 00 | 00 00 00 00 | 00 00 00 00 00 00 00 00",
	             "query request");
	ck_assert_int_eq(decode_request(buf, size, &arena, &host, &type), 0);
	ck_assert_uint_eq(VKR_HANDLE_TO_ID(host.vkEnumeratePhysicalDevices.instance), 1);
	ck_assert_uint_eq(*host.vkEnumeratePhysicalDevices.pPhysicalDeviceCount, 0);
	ck_assert_ptr_null(host.vkEnumeratePhysicalDevices.pPhysicalDevices);
	*host.vkEnumeratePhysicalDevices.pPhysicalDeviceCount = 1;
	host.vkEnumeratePhysicalDevices.ret = VK_SUCCESS;
	size = encode_reply(VKR_CMD_vkEnumeratePhysicalDevices, &host, buf, sizeof(buf));
	assert_bytes(buf, size,
	             "02 00 00 00 | 00 00 00 00 | 01 00 00 00 00 00 00 00 | 01 00 00 00 |"
	             "00 00 00 00 00 00 00 00",
	             "query reply");
	vkr_arena_reset(&arena);

	/* Fill: the guest pre-assigns the id (2) of the physical device. */
	count = 1;
	VkPhysicalDevice dev = VKR_ID_TO_HANDLE(VkPhysicalDevice, 2);
	q.pPhysicalDevices = &dev;
	size = encode_request(VKR_CMD_vkEnumeratePhysicalDevices, VKR_COMMAND_GENERATE_REPLY_BIT,
	                      &q, buf, sizeof(buf));
	static const char fill_request[] =
	    "02 00 00 00 | 01 00 00 00 | 01 00 00 00 00 00 00 00 | 01 00 00 00 00 00 00 00 |"
	    "01 00 00 00 | 01 00 00 00 00 00 00 00 | 02 00 00 00 00 00 00 00";
	assert_bytes(buf, size, fill_request, "fill request");
	ck_assert_int_eq(decode_request(buf, size, &arena, &host, &type), 0);
	ck_assert_ptr_nonnull(host.vkEnumeratePhysicalDevices.pPhysicalDevices);
	ck_assert_uint_eq(VKR_HANDLE_TO_ID(host.vkEnumeratePhysicalDevices.pPhysicalDevices[0]), 2);
	host.vkEnumeratePhysicalDevices.ret = VK_SUCCESS;
	size = encode_reply(VKR_CMD_vkEnumeratePhysicalDevices, &host, buf, sizeof(buf));
	assert_bytes(buf, size,
	             "02 00 00 00 | 00 00 00 00 | 01 00 00 00 00 00 00 00 | 01 00 00 00 |"
	             "01 00 00 00 00 00 00 00 | 02 00 00 00 00 00 00 00",
	             "fill reply");
	struct vkr_cmd_vkEnumeratePhysicalDevices back = q;
	ck_assert_int_eq(decode_reply(VKR_CMD_vkEnumeratePhysicalDevices, buf, size, &arena, &back),
	                 0);
	ck_assert_uint_eq(*back.pPhysicalDeviceCount, 1);
	ck_assert_uint_eq(VKR_HANDLE_TO_ID(back.pPhysicalDevices[0]), 2);

	/* A reply whose array count differs from the count just decoded is rejected. */
	buf[0x14] = 2;
	back = q;
	ck_assert_int_ne(decode_reply(VKR_CMD_vkEnumeratePhysicalDevices, buf, size, &arena, &back),
	                 0);
	vkr_arena_fini(&arena);
}
END_TEST

START_TEST(golden_draw_dispatch)
{
	struct vkr_arena arena;
	union vkr_proto_args host;
	uint8_t buf[64];
	uint32_t type;
	vkr_arena_init(&arena, ARENA_CAP);
	const VkCommandBuffer cb = VKR_ID_TO_HANDLE(VkCommandBuffer, 42);

	struct vkr_cmd_vkCmdDraw draw = {cb, 3, 1, 0, 0};
	size_t size = encode_request(VKR_CMD_vkCmdDraw, 0, &draw, buf, sizeof(buf));
	assert_bytes(buf, size,
	             "6a 00 00 00 | 00 00 00 00 | 2a 00 00 00 00 00 00 00 | 03 00 00 00 |"
	             "01 00 00 00 | 00 00 00 00 | 00 00 00 00",
	             "vkCmdDraw");
	ck_assert_int_eq(decode_request(buf, size, &arena, &host, &type), 0);
	ck_assert_uint_eq(VKR_HANDLE_TO_ID(host.vkCmdDraw.commandBuffer), 42);
	ck_assert_uint_eq(host.vkCmdDraw.vertexCount, 3);
	ck_assert_uint_eq(host.vkCmdDraw.instanceCount, 1);
	ck_assert_uint_eq(host.vkCmdDraw.firstVertex, 0);
	ck_assert_uint_eq(host.vkCmdDraw.firstInstance, 0);

	struct vkr_cmd_vkCmdDispatch dispatch = {cb, 4, 1, 1};
	size = encode_request(VKR_CMD_vkCmdDispatch, 0, &dispatch, buf, sizeof(buf));
	assert_bytes(buf, size,
	             "6e 00 00 00 | 00 00 00 00 | 2a 00 00 00 00 00 00 00 | 04 00 00 00 |"
	             "01 00 00 00 | 01 00 00 00",
	             "vkCmdDispatch");
	ck_assert_int_eq(decode_request(buf, size, &arena, &host, &type), 0);
	ck_assert_uint_eq(host.vkCmdDispatch.groupCountX, 4);
	vkr_arena_fini(&arena);
}
END_TEST

START_TEST(golden_properties2_chain)
{
	struct vkr_arena arena;
	union vkr_proto_args host;
	static uint8_t buf[4096];
	uint32_t type;
	vkr_arena_init(&arena, ARENA_CAP);

	VkPhysicalDeviceIDProperties id = {.sType =
	                                       VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES};
	VkPhysicalDeviceDriverProperties driver = {
	    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES, .pNext = &id};
	VkPhysicalDeviceProperties2 props = {
	    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, .pNext = &driver};
	struct vkr_cmd_vkGetPhysicalDeviceProperties2 args = {
	    .physicalDevice = VKR_ID_TO_HANDLE(VkPhysicalDevice, 2), .pProperties = &props};
	size_t size = encode_request(VKR_CMD_vkGetPhysicalDeviceProperties2,
	                             VKR_COMMAND_GENERATE_REPLY_BIT, &args, buf, sizeof(buf));
	assert_bytes(buf, size,
	             "94 00 00 00 | 01 00 00 00 | 02 00 00 00 00 00 00 00 |"
	             "01 00 00 00 00 00 00 00 | 79 b0 9b 3b | 01 00 00 00 00 00 00 00 |"
	             "a0 c7 9d 3b | 01 00 00 00 00 00 00 00 | 5c df 9b 3b |"
	             "00 00 00 00 00 00 00 00",
	             "vkGetPhysicalDeviceProperties2 request");

	/* The host rebuilds the out chain (zeroed) in the guest's order. */
	ck_assert_int_eq(decode_request(buf, size, &arena, &host, &type), 0);
	VkPhysicalDeviceProperties2 *p = host.vkGetPhysicalDeviceProperties2.pProperties;
	ck_assert_int_eq(p->sType, VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2);
	const VkPhysicalDeviceDriverProperties *d = p->pNext;
	ck_assert_int_eq(d->sType, VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES);
	const VkPhysicalDeviceIDProperties *i = d->pNext;
	ck_assert_int_eq(i->sType, VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES);
	ck_assert_ptr_null(i->pNext);

	/* The full reply is 1536 bytes (spec 2.10.4); the driver decodes it into its chain. */
	strcpy(p->properties.deviceName, "llvmpipe");
	p->properties.limits.maxComputeWorkGroupCount[0] = 65535;
	((VkPhysicalDeviceDriverProperties *)d)->driverID = VK_DRIVER_ID_MESA_LLVMPIPE;
	size = encode_reply(VKR_CMD_vkGetPhysicalDeviceProperties2, &host, buf, sizeof(buf));
	ck_assert_uint_eq(size, 1536);
	struct vkr_cmd_vkGetPhysicalDeviceProperties2 back = args;
	ck_assert_int_eq(
	    decode_reply(VKR_CMD_vkGetPhysicalDeviceProperties2, buf, size, &arena, &back), 0);
	ck_assert_str_eq(back.pProperties->properties.deviceName, "llvmpipe");
	ck_assert_uint_eq(back.pProperties->properties.limits.maxComputeWorkGroupCount[0], 65535);
	const VkPhysicalDeviceDriverProperties *bd = back.pProperties->pNext;
	ck_assert_int_eq(bd->sType, VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES);
	ck_assert_int_eq(bd->driverID, VK_DRIVER_ID_MESA_LLVMPIPE);
	vkr_arena_fini(&arena);
}
END_TEST

static const char clear_color_image[] =
    "77 00 00 00 | 00 00 00 00 | 2a 00 00 00 00 00 00 00 | 42 00 00 00 00 00 00 00 |"
    "07 00 00 00 | 01 00 00 00 00 00 00 00 | 02 00 00 00 | 04 00 00 00 00 00 00 00 |"
    "00 00 80 3f 00 00 00 00 00 00 00 00 00 00 80 3f | 01 00 00 00 |"
    "01 00 00 00 00 00 00 00 | 01 00 00 00 | 00 00 00 00 | 01 00 00 00 | 00 00 00 00 |"
    "01 00 00 00";

START_TEST(golden_union_and_blob)
{
	struct vkr_arena arena;
	union vkr_proto_args host;
	uint8_t buf[256];
	uint32_t type;
	vkr_arena_init(&arena, ARENA_CAP);
	const VkCommandBuffer cb = VKR_ID_TO_HANDLE(VkCommandBuffer, 42);

	/* Unions travel with the default tag (uint32 for VkClearColorValue), bit-exact. */
	VkClearColorValue color = {.float32 = {1.0f, 0.0f, 0.0f, 1.0f}};
	VkImageSubresourceRange range = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
	struct vkr_cmd_vkCmdClearColorImage clear = {
	    cb,    VKR_ID_TO_HANDLE(VkImage, 66), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &color, 1,
	    &range};
	size_t size = encode_request(VKR_CMD_vkCmdClearColorImage, 0, &clear, buf, sizeof(buf));
	assert_bytes(buf, size, clear_color_image, "vkCmdClearColorImage");
	ck_assert_int_eq(decode_request(buf, size, &arena, &host, &type), 0);
	ck_assert(host.vkCmdClearColorImage.pColor->float32[0] == 1.0f);
	ck_assert(host.vkCmdClearColorImage.pColor->float32[3] == 1.0f);
	ck_assert_uint_eq(host.vkCmdClearColorImage.pRanges[0].layerCount, 1);

	/* A tag past the union's members is rejected. */
	buf[0x24] = 3;
	ck_assert_int_eq(decode_request(buf, size, &arena, &host, &type), VKR_CS_ERR_MALFORMED);
	/* Tag 0 (float32) is accepted and reconstructed bit for bit. */
	buf[0x24] = 0;
	ck_assert_int_eq(decode_request(buf, size, &arena, &host, &type), 0);
	ck_assert(host.vkCmdClearColorImage.pColor->float32[0] == 1.0f);

	/* Blobs: byte count, bytes, padding (0xcc in the spec: ignored by the decoder). */
	static const char push_constants[] =
	    "84 00 00 00 | 00 00 00 00 | 2a 00 00 00 00 00 00 00 | 4d 00 00 00 00 00 00 00 |"
	    "20 00 00 00 | 00 00 00 00 | 06 00 00 00 | 06 00 00 00 00 00 00 00 |"
	    "01 02 03 04 05 06 cc cc";
	const uint8_t values[6] = {1, 2, 3, 4, 5, 6};
	struct vkr_cmd_vkCmdPushConstants push = {
	    cb, VKR_ID_TO_HANDLE(VkPipelineLayout, 77), VK_SHADER_STAGE_COMPUTE_BIT, 0, 6, values};
	size = encode_request(VKR_CMD_vkCmdPushConstants, 0, &push, buf, sizeof(buf));
	assert_bytes(buf, size, push_constants, "vkCmdPushConstants");
	ck_assert_int_eq(decode_hex_request(push_constants, &arena, &host, &type), 0);
	ck_assert_uint_eq(host.vkCmdPushConstants.size, 6);
	ck_assert_mem_eq(host.vkCmdPushConstants.pValues, values, 6);
	vkr_arena_fini(&arena);
}
END_TEST

START_TEST(golden_create_ring)
{
	struct vkr_arena arena;
	union vkr_proto_args host;
	uint8_t buf[256];
	uint32_t type;
	vkr_arena_init(&arena, ARENA_CAP);

	VkRingMonitorInfoMESA monitor = {.sType = VK_STRUCTURE_TYPE_RING_MONITOR_INFO_MESA,
	                                 .maxReportingPeriodMicroseconds = 3000000};
	VkRingCreateInfoMESA info = {.sType = VK_STRUCTURE_TYPE_RING_CREATE_INFO_MESA,
	                             .pNext = &monitor,
	                             .resourceId = 5,
	                             .offset = 0,
	                             .size = 131268,
	                             .idleTimeout = 1000000,
	                             .headOffset = 0,
	                             .tailOffset = 64,
	                             .statusOffset = 128,
	                             .bufferOffset = 192,
	                             .bufferSize = 131072,
	                             .extraOffset = 131264,
	                             .extraSize = 4};
	struct vkr_cmd_vkCreateRingMESA args = {0x1122334455667788ull, &info};
	size_t size = encode_request(VKR_CMD_vkCreateRingMESA, 0, &args, buf, sizeof(buf));
	assert_bytes(
	    buf, size,
	    "bc 00 00 00 | 00 00 00 00 | 88 77 66 55 44 33 22 11 | 01 00 00 00 00 00 00 00 |"
	    "00 a6 a0 3b | 01 00 00 00 00 00 00 00 | 06 a6 a0 3b | 00 00 00 00 00 00 00 00 |"
	    "c0 c6 2d 00 | 00 00 00 00 | 05 00 00 00 | 00 00 00 00 00 00 00 00 |"
	    "c4 00 02 00 00 00 00 00 | 40 42 0f 00 00 00 00 00 | 00 00 00 00 00 00 00 00 |"
	    "40 00 00 00 00 00 00 00 | 80 00 00 00 00 00 00 00 | c0 00 00 00 00 00 00 00 |"
	    "00 00 02 00 00 00 00 00 | c0 00 02 00 00 00 00 00 | 04 00 00 00 00 00 00 00",
	    "vkCreateRingMESA");
	ck_assert_uint_eq(size, 140);
	ck_assert_int_eq(decode_request(buf, size, &arena, &host, &type), 0);
	const VkRingCreateInfoMESA *d = host.vkCreateRingMESA.pCreateInfo;
	ck_assert_uint_eq(host.vkCreateRingMESA.ring, 0x1122334455667788ull);
	ck_assert_uint_eq(d->resourceId, 5);
	ck_assert_uint_eq(d->size, 131268);
	ck_assert_uint_eq(d->bufferSize, 131072);
	ck_assert_uint_eq(d->extraOffset, 131264);
	const VkRingMonitorInfoMESA *m = d->pNext;
	ck_assert_int_eq(m->sType, VK_STRUCTURE_TYPE_RING_MONITOR_INFO_MESA);
	ck_assert_uint_eq(m->maxReportingPeriodMicroseconds, 3000000);
	ck_assert_ptr_null(m->pNext);
	vkr_arena_fini(&arena);
}
END_TEST

/* -- hostile input ------------------------------------------------------------------------------
 */

/* Requests built word by word. */
struct words {
	uint8_t bytes[512];
	size_t size;
};

static void put32(struct words *w, uint32_t v)
{
	memcpy(w->bytes + w->size, &v, 4);
	w->size += 4;
}

static void put64(struct words *w, uint64_t v)
{
	memcpy(w->bytes + w->size, &v, 8);
	w->size += 8;
}

/* Decodes a crafted request from an exact-size copy; returns the error. */
static int decode_words(const struct words *w, struct vkr_arena *arena)
{
	union vkr_proto_args args;
	uint32_t type;
	uint8_t *copy = malloc(w->size);
	memcpy(copy, w->bytes, w->size);
	const int ret = decode_request(copy, w->size, arena, &args, &type);
	free(copy);
	vkr_arena_reset(arena);
	return ret;
}

START_TEST(hostile_counts)
{
	struct vkr_arena arena;
	vkr_arena_init(&arena, ARENA_CAP);
	static const uint64_t huge[] = {0xffffffffull, 1ull << 40, 1ull << 62, UINT64_MAX};

	for (unsigned k = 0; k < sizeof(huge) / sizeof(huge[0]); k++) {
		/* For 32-bit count parameters. */
		const uint32_t huge32 = (uint32_t)huge[k] ? (uint32_t)huge[k] : 0x80000000u;
		/* vkCmdSetViewport: an array count far past the end of the stream. */
		struct words w = {.size = 0};
		put32(&w, VKR_CMD_vkCmdSetViewport);
		put32(&w, 0);
		put64(&w, 42);
		put32(&w, 0);
		put32(&w, (uint32_t)huge[k]);
		put64(&w, huge[k]);
		ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_MALFORMED);

		/* vkCreateInstance: a huge application-name length. */
		w.size = 0;
		put32(&w, VKR_CMD_vkCreateInstance);
		put32(&w, 1);
		put64(&w, 1);
		put32(&w, VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO);
		put64(&w, 0);
		put32(&w, 0);
		put64(&w, 1);
		put32(&w, VK_STRUCTURE_TYPE_APPLICATION_INFO);
		put64(&w, 0);
		put64(&w, huge[k]);
		put32(&w, 0x41414141);
		ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_MALFORMED);

		/* vkCmdPushConstants: a blob as large as its (lying) size parameter. */
		w.size = 0;
		put32(&w, VKR_CMD_vkCmdPushConstants);
		put32(&w, 0);
		put64(&w, 42);
		put64(&w, 77);
		put32(&w, VK_SHADER_STAGE_COMPUTE_BIT);
		put32(&w, 0);
		put32(&w, huge32);
		put64(&w, huge32);
		ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_MALFORMED);

		/* vkEnumerateDeviceExtensionProperties: an out array with no data on the wire, only
		 * bounded by what the reply can hold. */
		w.size = 0;
		put32(&w, VKR_CMD_vkEnumerateDeviceExtensionProperties);
		put32(&w, 1);
		put64(&w, 2);
		put64(&w, 0);
		put64(&w, 1);
		put32(&w, huge32);
		put64(&w, huge32);
		ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_NOSPACE);

		/* vkGetQueryPoolResults: an out blob. */
		w.size = 0;
		put32(&w, VKR_CMD_vkGetQueryPoolResults);
		put32(&w, 1);
		put64(&w, 3);
		put64(&w, 4);
		put32(&w, 0);
		put32(&w, 1);
		put64(&w, huge[k]);
		put64(&w, huge[k]);
		put64(&w, 8);
		put32(&w, 0);
		ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_NOSPACE);
	}
	/* Nothing large was ever allocated. */
	ck_assert_uint_lt(arena.peak, 4096);

	/* An array count that is not the count member's value. */
	struct words w = {.size = 0};
	put32(&w, VKR_CMD_vkCmdSetViewport);
	put32(&w, 0);
	put64(&w, 42);
	put32(&w, 0);
	put32(&w, 2);
	put64(&w, 1);
	for (int i = 0; i < 6; i++)
		put32(&w, 0);
	ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_MALFORMED);
	/* Count 0 (NULL) for a required array whose length is not 0. */
	w.size = 0;
	put32(&w, VKR_CMD_vkCmdSetViewport);
	put32(&w, 0);
	put64(&w, 42);
	put32(&w, 0);
	put32(&w, 1);
	put64(&w, 0);
	ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_MALFORMED);
	/* Two viewports announced, one present. */
	w.size = 0;
	put32(&w, VKR_CMD_vkCmdSetViewport);
	put32(&w, 0);
	put64(&w, 42);
	put32(&w, 0);
	put32(&w, 2);
	put64(&w, 2);
	for (int i = 0; i < 6; i++)
		put32(&w, 0);
	ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_MALFORMED);
	/* A fixed-size array must carry its full size (vkCmdSetBlendConstants: 4). */
	w.size = 0;
	put32(&w, VKR_CMD_vkCmdSetBlendConstants);
	put32(&w, 0);
	put64(&w, 42);
	put64(&w, 3);
	for (int i = 0; i < 4; i++)
		put32(&w, 0);
	ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_MALFORMED);
	vkr_arena_fini(&arena);
}
END_TEST

/* vkCreateBuffer with a given pNext chain: (sType, self words) per struct. */
static void create_buffer_with_chain(struct words *w, const int32_t *stypes, unsigned count,
                                     uint64_t allocator)
{
	w->size = 0;
	put32(w, VKR_CMD_vkCreateBuffer);
	put32(w, 0);
	put64(w, 9);
	put64(w, 1);
	put32(w, VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);
	for (unsigned i = 0; i < count; i++) {
		put64(w, 1);
		put32(w, stypes[i]);
	}
	put64(w, 0);
	for (unsigned i = count; i-- > 0;) {
		/* self members, last struct first */
		if (stypes[i] == VK_STRUCTURE_TYPE_BUFFER_OPAQUE_CAPTURE_ADDRESS_CREATE_INFO)
			put64(w, 0);
		else
			put32(w, 0);
	}
	put32(w, 0);   /* flags */
	put64(w, 256); /* size */
	put32(w, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT);
	put32(w, VK_SHARING_MODE_EXCLUSIVE);
	put32(w, 0);
	put64(w, 0);
	put64(w, allocator);
	put64(w, 1);
	put64(w, 10); /* the new buffer's id */
}

START_TEST(hostile_pnext_and_pointers)
{
	struct vkr_arena arena;
	struct words w;
	vkr_arena_init(&arena, ARENA_CAP);
	const int32_t external = VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_BUFFER_CREATE_INFO;
	const int32_t capture = VK_STRUCTURE_TYPE_BUFFER_OPAQUE_CAPTURE_ADDRESS_CREATE_INFO;

	/* Known chain structs decode; the chain is rebuilt in order. */
	const int32_t good[] = {external};
	create_buffer_with_chain(&w, good, 1, 0);
	union vkr_proto_args args;
	uint32_t type;
	ck_assert_int_eq(decode_request(w.bytes, w.size, &arena, &args, &type), 0);
	const VkExternalMemoryBufferCreateInfo *ext = args.vkCreateBuffer.pCreateInfo->pNext;
	ck_assert_int_eq(ext->sType, VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_BUFFER_CREATE_INFO);
	ck_assert_uint_eq(args.vkCreateBuffer.pCreateInfo->size, 256);
	ck_assert_uint_eq(VKR_HANDLE_TO_ID(*args.vkCreateBuffer.pBuffer), 10);
	vkr_arena_reset(&arena);

	/* An sType the parent does not allow: fatal, there is no size to skip by (spec 2.5). */
	const int32_t unknown[] = {VK_STRUCTURE_TYPE_APPLICATION_INFO};
	create_buffer_with_chain(&w, unknown, 1, 0);
	ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_MALFORMED);
	const int32_t alien[] = {external, 0x7ffffff0};
	create_buffer_with_chain(&w, alien, 2, 0);
	ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_MALFORMED);
	/* The same struct twice (Vulkan forbids it unless vk.xml says allowduplicate). */
	const int32_t twice[] = {external, capture, external};
	create_buffer_with_chain(&w, twice, 3, 0);
	ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_MALFORMED);
	/* pAllocator is always NULL on the wire. */
	create_buffer_with_chain(&w, good, 1, 1);
	ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_MALFORMED);
	/* A presence marker other than 0 or 1. */
	create_buffer_with_chain(&w, good, 1, 0);
	w.bytes[16] = 2;
	ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_MALFORMED);
	/* A required pointer that is absent. */
	create_buffer_with_chain(&w, good, 1, 0);
	w.bytes[16] = 0;
	ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_MALFORMED);
	/* A struct whose sType is not the expected one. */
	create_buffer_with_chain(&w, good, 1, 0);
	w.bytes[24] = 99;
	ck_assert_int_eq(decode_words(&w, &arena), VKR_CS_ERR_MALFORMED);
	vkr_arena_fini(&arena);
}
END_TEST

START_TEST(subset_is_generated)
{
	for (size_t k = 0; k < SUBSET_COUNT; k++) {
		ck_assert_msg(vkr_proto_command(subset[k]) != NULL, "command %u missing",
		              subset[k]);
		ck_assert_ptr_nonnull(vkr_proto_driver_command(subset[k]));
	}
	/* Retired, out of range, never generated. */
	ck_assert_ptr_null(vkr_proto_command(195));
	ck_assert_ptr_null(vkr_proto_command(VKR_CMD_COUNT));
	ck_assert_ptr_null(vkr_proto_command(UINT32_MAX));
	ck_assert_ptr_null(vkr_proto_command(9));          /* vkGetInstanceProcAddr */
	ck_assert_ptr_null(vkr_proto_command(23));         /* vkMapMemory */
	ck_assert(vkr_proto_command(19)->policy_rejected); /* vkQueueWaitIdle */
	ck_assert(vkr_proto_command(20)->policy_rejected); /* vkDeviceWaitIdle */
	ck_assert(vkr_proto_command(17)->policy_rejected); /* vkGetDeviceQueue */
	ck_assert_str_eq(vkr_proto_command(VKR_CMD_vkCmdDraw)->name, "vkCmdDraw");
}
END_TEST

/* -- dispatch ------------------------------------------------------------------------------------
 */

struct recorder {
	unsigned draws;
	uint32_t vertex_count;
	uint64_t instance_id;
	unsigned lookups;
	VkObjectType last_type;
};

static int on_draw(struct vkr_dispatch *d, struct vkr_cmd_vkCmdDraw *args)
{
	struct recorder *r = d->data;
	r->draws++;
	r->vertex_count = args->vertexCount;
	return 0;
}

static int on_create_instance(struct vkr_dispatch *d, struct vkr_cmd_vkCreateInstance *args)
{
	struct recorder *r = d->data;
	r->instance_id = VKR_HANDLE_TO_ID(*args->pInstance);
	args->ret = VK_SUCCESS;
	return 0;
}

static int on_enumerate_version(struct vkr_dispatch *d,
                                struct vkr_cmd_vkEnumerateInstanceVersion *args)
{
	(void)d;
	*args->pApiVersion = VK_API_VERSION_1_3;
	args->ret = VK_SUCCESS;
	return 0;
}

static int on_destroy_instance(struct vkr_dispatch *d, struct vkr_cmd_vkDestroyInstance *args)
{
	(void)d;
	(void)args;
	return -EINVAL;
}

static int lookup(void *data, VkObjectType type, uint64_t id, uint64_t *handle)
{
	struct recorder *r = data;
	r->lookups++;
	r->last_type = type;
	if (id == 666)
		return -ENOENT;
	*handle = id + 1000;
	return 0;
}

static int dispatch_all(struct vkr_dispatch *d, struct vkr_cs_decoder *dec,
                        struct vkr_cs_encoder *reply)
{
	while (dec->cur < dec->end)
		VKR_TRY(vkr_proto_dispatch(d, dec, reply));
	return 0;
}

START_TEST(dispatch_stream)
{
	struct recorder rec = {0};
	struct vkr_dispatch d = {.data = &rec,
	                         .vkCmdDraw = on_draw,
	                         .vkCreateInstance = on_create_instance,
	                         .vkEnumerateInstanceVersion = on_enumerate_version,
	                         .vkDestroyInstance = on_destroy_instance};
	struct vkr_arena arena;
	uint8_t stream[512];
	bool padding[512];
	uint8_t reply_buf[64 + 16];
	vkr_arena_init(&arena, ARENA_CAP);

	/* Three commands back to back, two with replies. */
	size_t size = parse_hex(enumerate_version_request, stream, padding);
	size += parse_hex(create_instance_request, stream + size, padding);
	const VkCommandBuffer cb = VKR_ID_TO_HANDLE(VkCommandBuffer, 42);
	struct vkr_cmd_vkCmdDraw draw = {cb, 3, 1, 0, 0};
	size += encode_request(VKR_CMD_vkCmdDraw, 0, &draw, stream + size, sizeof(stream) - size);

	struct vkr_cs_decoder dec;
	struct vkr_cs_encoder reply;
	vkr_cs_decoder_init(&dec, stream, size, &arena);
	vkr_cs_encoder_init(&reply, reply_buf, 64);
	ck_assert_int_eq(dispatch_all(&d, &dec, &reply), 0);
	ck_assert_uint_eq(rec.draws, 1);
	ck_assert_uint_eq(rec.vertex_count, 3);
	ck_assert_uint_eq(rec.instance_id, 1);
	uint8_t expected[64];
	size_t expected_size = parse_hex(enumerate_version_reply, expected, padding);
	expected_size += parse_hex(create_instance_reply, expected + expected_size, padding);
	ck_assert_uint_eq((size_t)(reply.cur - reply_buf), expected_size);
	ck_assert_mem_eq(reply_buf, expected, expected_size);
	ck_assert_uint_eq(arena.used, 0); /* reset after each command */

	/* Input handles go through the object table hook, with their object type. */
	struct vkr_cs_object_ops ops = {lookup};
	vkr_cs_decoder_init(&dec, stream + size - 32, 32, &arena);
	dec.objects = &ops;
	dec.objects_data = &rec;
	ck_assert_int_eq(vkr_proto_dispatch(&d, &dec, NULL), 0);
	ck_assert_uint_eq(rec.lookups, 1);
	ck_assert_int_eq(rec.last_type, VK_OBJECT_TYPE_COMMAND_BUFFER);
	/* A lookup failure (unknown or wrong-type id: the object table's call) is fatal. */
	struct vkr_cmd_vkCmdDraw bad = {VKR_ID_TO_HANDLE(VkCommandBuffer, 666), 3, 1, 0, 0};
	size_t bad_size = encode_request(VKR_CMD_vkCmdDraw, 0, &bad, stream, sizeof(stream));
	vkr_cs_decoder_init(&dec, stream, bad_size, &arena);
	dec.objects = &ops;
	dec.objects_data = &rec;
	ck_assert_int_eq(vkr_proto_dispatch(&d, &dec, NULL), -ENOENT);
	vkr_arena_fini(&arena);
}
END_TEST

START_TEST(dispatch_errors)
{
	struct recorder rec = {0};
	struct vkr_dispatch d = {.data = &rec,
	                         .vkCreateInstance = on_create_instance,
	                         .vkDestroyInstance = on_destroy_instance};
	struct vkr_arena arena;
	struct vkr_cs_decoder dec;
	struct vkr_cs_encoder reply;
	uint8_t stream[512];
	bool padding[512];
	uint8_t reply_buf[64];
	vkr_arena_init(&arena, ARENA_CAP);

	/* Unknown command types: retired 195, past the table, huge. */
	const uint32_t unknown[] = {195, VKR_CMD_COUNT, 0xffffffffu, 9};
	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		uint32_t header[4] = {unknown[i], 0, 0, 0};
		vkr_cs_decoder_init(&dec, header, sizeof(header), &arena);
		ck_assert_int_eq(vkr_proto_dispatch(&d, &dec, NULL), VKR_CS_ERR_UNKNOWN);
		ck_assert_int_eq(dec.error, VKR_CS_ERR_UNKNOWN);
	}
	/* Refused by policy (vkDeviceWaitIdle). */
	uint32_t wait_idle[4] = {20, 0, 9, 0};
	vkr_cs_decoder_init(&dec, wait_idle, sizeof(wait_idle), &arena);
	ck_assert_int_eq(vkr_proto_dispatch(&d, &dec, NULL), VKR_CS_ERR_POLICY);
	/* No handler. */
	struct vkr_cmd_vkCmdDraw draw = {VKR_ID_TO_HANDLE(VkCommandBuffer, 42), 3, 1, 0, 0};
	size_t size = encode_request(VKR_CMD_vkCmdDraw, 0, &draw, stream, sizeof(stream));
	vkr_cs_decoder_init(&dec, stream, size, &arena);
	ck_assert_int_eq(vkr_proto_dispatch(&d, &dec, NULL), -ENOTSUP);
	/* A handler error is fatal. */
	uint32_t destroy[6] = {VKR_CMD_vkDestroyInstance, 0, 1, 0, 0, 0};
	vkr_cs_decoder_init(&dec, destroy, sizeof(destroy), &arena);
	ck_assert_int_eq(vkr_proto_dispatch(&d, &dec, NULL), -EINVAL);
	/* A reply requested without a reply stream. */
	size = parse_hex(create_instance_request, stream, padding);
	vkr_cs_decoder_init(&dec, stream, size, &arena);
	ck_assert_int_eq(vkr_proto_dispatch(&d, &dec, NULL), VKR_CS_ERR_MALFORMED);
	/* A reply region too small: refused, and nothing written past the region. */
	memset(reply_buf, 0xee, sizeof(reply_buf));
	vkr_cs_decoder_init(&dec, stream, size, &arena);
	vkr_cs_encoder_init(&reply, reply_buf, 20);
	ck_assert_int_eq(vkr_proto_dispatch(&d, &dec, &reply), VKR_CS_ERR_NOSPACE);
	for (size_t i = 20; i < sizeof(reply_buf); i++)
		ck_assert_uint_eq(reply_buf[i], 0xee);
	/* Truncated headers. */
	for (size_t cut = 0; cut < 8; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, stream, cut);
		vkr_cs_decoder_init(&dec, copy, cut, &arena);
		ck_assert_int_eq(vkr_proto_dispatch(&d, &dec, NULL), VKR_CS_ERR_MALFORMED);
		free(copy);
	}
	ck_assert_uint_eq(arena.used, 0);
	vkr_arena_fini(&arena);
}
END_TEST

/* -- capset mask and info ------------------------------------------------------------------------
 */

static bool mask_bit(const uint32_t *mask, uint32_t n)
{
	return mask[n / 32] & (1u << (n % 32));
}

START_TEST(capset_extension_mask)
{
	uint32_t mask[VKR_PROTO_EXTENSION_MASK_WORDS];
	uint32_t count;
	vkr_proto_extension_mask(mask);
	const struct vkr_proto_extension *exts = vkr_proto_extensions(&count);

	ck_assert(mask_bit(mask, 0));    /* the mask is valid */
	ck_assert(mask_bit(mask, 197));  /* VK_KHR_driver_properties */
	ck_assert(mask_bit(mask, 385));  /* VK_MESA_venus_protocol */
	ck_assert(mask_bit(mask, 384));  /* VK_EXT_command_serialization */
	ck_assert(!mask_bit(mask, 2));   /* VK_KHR_swapchain: not decodable */
	ck_assert(!mask_bit(mask, 150)); /* VK_KHR_acceleration_structure */
	ck_assert_uint_gt(count, 100);
	unsigned bits = 0;
	for (uint32_t n = 1; n < VKR_PROTO_EXTENSION_MASK_WORDS * 32; n++)
		bits += mask_bit(mask, n);
	ck_assert_uint_eq(bits, count);
	bool venus = false;
	for (uint32_t i = 0; i < count; i++) {
		ck_assert(mask_bit(mask, exts[i].number));
		if (!strcmp(exts[i].name, "VK_MESA_venus_protocol")) {
			venus = true;
			ck_assert_uint_eq(exts[i].number, 385);
			ck_assert_uint_eq(exts[i].spec_version,
			                  VKR_PROTO_VENUS_PROTOCOL_SPEC_VERSION);
		}
	}
	ck_assert(venus);
	ck_assert_uint_ge(VKR_PROTO_VK_XML_VERSION, VK_MAKE_API_VERSION(0, 1, 3, 0));
}
END_TEST

static Suite *vkr_proto_suite(void)
{
	Suite *s = suite_create("vkr_proto");
	TCase *golden = tcase_create("golden");
	tcase_add_test(golden, golden_create_instance);
	tcase_add_test(golden, golden_enumerate_physical_devices);
	tcase_add_test(golden, golden_draw_dispatch);
	tcase_add_test(golden, golden_properties2_chain);
	tcase_add_test(golden, golden_union_and_blob);
	tcase_add_test(golden, golden_create_ring);
	suite_add_tcase(s, golden);

	TCase *trips = tcase_create("round_trip");
	tcase_set_timeout(trips, 600);
	tcase_add_test(trips, subset_is_generated);
	tcase_add_loop_test(trips, subset_round_trip, 0, SUBSET_COUNT);
	tcase_add_test(trips, all_commands_round_trip);
	suite_add_tcase(s, trips);

	TCase *hostile = tcase_create("hostile");
	tcase_set_timeout(hostile, 600);
	tcase_add_test(hostile, hostile_counts);
	tcase_add_test(hostile, hostile_pnext_and_pointers);
	tcase_add_test(hostile, mutated_requests);
	tcase_add_test(hostile, random_bodies);
	tcase_add_test(hostile, dispatch_stream);
	tcase_add_test(hostile, dispatch_errors);
	tcase_add_test(hostile, capset_extension_mask);
	suite_add_tcase(s, hostile);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(vkr_proto_suite());
	srunner_run_all(runner, CK_NORMAL);
	const int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
