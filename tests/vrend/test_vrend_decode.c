/* SPDX-License-Identifier: MIT */
/*
 * The virgl command-stream decoder framework on crafted streams (no GL needed).
 * The streams run against the real table's length rules with only the
 * framework's own handlers (NOP, sub-contexts, hints): the rendering handlers
 * need a GL context and are tested through tests/vrend/vctx_harness.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"

#define H(cmd, obj, len) VREND_HDR(cmd, obj, len)

/* Commands whose handlers belong to the framework (decode_table.c, subctx.c). */
static bool framework_cmd(uint32_t id)
{
	switch (id) {
	case VREND_CCMD_NOP:
	case VREND_CCMD_CREATE_SUB_CTX:
	case VREND_CCMD_SET_SUB_CTX:
	case VREND_CCMD_DESTROY_SUB_CTX:
	case VREND_CCMD_END_TRANSFERS:
	case VREND_CCMD_EMIT_STRING_MARKER:
	case VREND_CCMD_LINK_SHADER:
		return true;
	default:
		return false;
	}
}

/* The real table with every rendering handler removed (= not implemented). */
static const struct vrend_cmd_desc *framework_table(void)
{
	static struct vrend_cmd_desc table[VREND_CCMD_TABLE_SIZE];

	memcpy(table, vrend_cmd_table, sizeof(table));
	for (uint32_t i = 0; i < VREND_CCMD_TABLE_SIZE; i++) {
		if (!framework_cmd(i))
			table[i].handler = NULL;
	}
	return table;
}

static int decode(struct vrend_decoder *dec, const uint32_t *dw, size_t n)
{
	return vrend_decode_with_table(dec, framework_table(), dw, n);
}

struct log_sink {
	int count;
	char last[512];
};

static void sink_log(void *user_data, enum vgn_log_level level, const char *message)
{
	struct log_sink *s = user_data;

	(void)level;
	s->count++;
	snprintf(s->last, sizeof(s->last), "%s", message);
}

struct hook_counts {
	int created, destroyed;
	long long fail_on_id; /* -1: never */
};

static int hook_create(void *user_data, struct vrend_sub_ctx *sub)
{
	struct hook_counts *h = user_data;

	if ((long long)sub->id == h->fail_on_id)
		return -ENOMEM;
	h->created++;
	sub->priv = h;
	return 0;
}

static void hook_destroy(void *user_data, struct vrend_sub_ctx *sub)
{
	struct hook_counts *h = user_data;

	ck_assert_ptr_eq(sub->priv, h);
	h->destroyed++;
}

static struct vrend_decoder *make_decoder(struct log_sink *sink, struct hook_counts *hooks,
                                          uint32_t max_sub)
{
	struct vrend_logger logger = {
	    .log = sink_log, .user_data = sink, .max_level = VGN_LOG_DEBUG};
	struct vrend_sub_ctx_hooks h = {
	    .user_data = hooks, .create = hook_create, .destroy = hook_destroy};
	struct vrend_decoder_params p = {.ctx_id = 7,
	                                 .logger = sink ? &logger : NULL,
	                                 .hooks = hooks ? &h : NULL,
	                                 .max_sub_ctx = max_sub};
	struct vrend_decoder *dec = NULL;

	ck_assert_int_eq(vrend_decoder_create(&p, &dec), 0);
	ck_assert_ptr_nonnull(dec);
	return dec;
}

/* A buffer builder: appends dwords, never past its capacity. */
struct buf {
	uint32_t dw[4096];
	size_t n;
};

static void put(struct buf *b, uint32_t v)
{
	ck_assert_uint_lt(b->n, sizeof(b->dw) / sizeof(b->dw[0]));
	b->dw[b->n++] = v;
}

static void put_cmd(struct buf *b, uint32_t cmd, uint32_t obj, uint32_t len, uint32_t fill)
{
	put(b, H(cmd, obj, len));
	for (uint32_t i = 0; i < len; i++)
		put(b, fill + i);
}

START_TEST(valid_mix)
{
	struct log_sink sink = {0};
	struct hook_counts hooks = {.fail_on_id = -1};
	struct vrend_decoder *dec = make_decoder(&sink, &hooks, 0);
	const struct vrend_decode_stats *st = vrend_decoder_stats(dec);
	struct buf b = {0};

	put_cmd(&b, VREND_CCMD_NOP, 0, 3, 0xdead);
	put_cmd(&b, VREND_CCMD_CREATE_SUB_CTX, 0, 1, 1);
	put_cmd(&b, VREND_CCMD_SET_SUB_CTX, 0, 1, 1);
	put_cmd(&b, VREND_CCMD_CLEAR, 0, 8, 0);
	put_cmd(&b, VREND_CCMD_CLEAR, 0, 8, 0);
	put_cmd(&b, VREND_CCMD_SET_VIEWPORT_STATE, 0, 1 + 6 * 2, 0);
	put_cmd(&b, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_BLEND, 11, 1);
	put_cmd(&b, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_VERTEX_ELEMENTS, 1 + 4 * 2, 1);
	put_cmd(&b, VREND_CCMD_DRAW_VBO, 0, 12, 0);
	put_cmd(&b, VREND_CCMD_DRAW_VBO, 0, 20, 0);
	put_cmd(&b, VREND_CCMD_SET_VERTEX_BUFFERS, 0, 0, 0);
	put_cmd(&b, VREND_CCMD_LINK_SHADER, 0, 6, 1);
	/* SET_FRAMEBUFFER_STATE: nr_cbufs = 2, zsurf, two cbufs. */
	put(&b, H(VREND_CCMD_SET_FRAMEBUFFER_STATE, 0, 4));
	put(&b, 2);
	put(&b, 0);
	put(&b, 3);
	put(&b, 4);
	/* Shader with two stream-output outputs: 5 + 4 + 2 * 2 header dwords + text. */
	put(&b, H(VREND_CCMD_CREATE_OBJECT, VREND_OBJ_SHADER, 5 + 4 + 4 + 2));
	put(&b, 9);                  /* handle */
	put(&b, VREND_STAGE_VERTEX); /* stage */
	put(&b, 8);                  /* 8 bytes of text incl. NUL */
	put(&b, 1);
	put(&b, 2); /* nso */
	for (int i = 0; i < 4 + 4 + 2; i++)
		put(&b, 0x41414141);

	ck_assert_int_eq(decode(dec, b.dw, b.n), 0);
	ck_assert_uint_eq(vrend_decoder_current(dec)->id, 1);
	ck_assert_uint_eq(vrend_decoder_num_sub_ctx(dec), 2);
	ck_assert_uint_eq(hooks.created, 2);
	ck_assert_uint_eq(st->executed[VREND_CCMD_NOP], 1);
	ck_assert_uint_eq(st->executed[VREND_CCMD_CREATE_SUB_CTX], 1);
	ck_assert_uint_eq(st->executed[VREND_CCMD_SET_SUB_CTX], 1);
	ck_assert_uint_eq(st->executed[VREND_CCMD_LINK_SHADER], 1);
	ck_assert_uint_eq(st->skipped[VREND_CCMD_CLEAR], 2);
	ck_assert_uint_eq(st->skipped[VREND_CCMD_DRAW_VBO], 2);
	ck_assert_uint_eq(st->skipped[VREND_CCMD_CREATE_OBJECT], 3);
	ck_assert_uint_eq(st->skipped[VREND_CCMD_SET_FRAMEBUFFER_STATE], 1);
	/* Skipped commands are reported once per id: CLEAR twice = one message. */
	ck_assert_int_eq(sink.count, 6);
	ck_assert_str_eq(vrend_decoder_error(dec), "");

	/* The current sub-context persists across buffers. */
	ck_assert_int_eq(decode(dec, NULL, 0), 0);
	ck_assert_uint_eq(vrend_decoder_current(dec)->id, 1);
	vrend_decoder_destroy(dec);
	ck_assert_int_eq(hooks.destroyed, 2);
}
END_TEST

static void expect_rejected(const struct buf *b, const char *needle)
{
	struct log_sink sink = {0};
	struct vrend_decoder *dec = make_decoder(&sink, NULL, 0);
	uint32_t nop = H(VREND_CCMD_NOP, 0, 0);
	int ret = decode(dec, b->dw, b->n);

	ck_assert_int_eq(ret, -EINVAL);
	ck_assert_msg(strstr(vrend_decoder_error(dec), needle), "error '%s' lacks '%s'",
	              vrend_decoder_error(dec), needle);
	/* The context is dead: even a valid buffer now fails with the same error. */
	ck_assert_int_eq(decode(dec, &nop, 1), ret);
	vrend_decoder_destroy(dec);
}

START_TEST(truncated)
{
	struct buf b = {0};

	/* The last command claims 8 payload dwords, 3 follow. */
	put_cmd(&b, VREND_CCMD_NOP, 0, 1, 0);
	put(&b, H(VREND_CCMD_CLEAR, 0, 8));
	put(&b, 1);
	put(&b, 2);
	put(&b, 3);
	expect_rejected(&b, "truncated");

	/* A header alone whose len runs past the end. */
	b.n = 0;
	put(&b, H(VREND_CCMD_NOP, 0, 0xffff));
	expect_rejected(&b, "truncated");

	/* len exactly one past the end. */
	b.n = 0;
	put(&b, H(VREND_CCMD_SET_SUB_CTX, 0, 2));
	put(&b, 0);
	expect_rejected(&b, "truncated");
}
END_TEST

START_TEST(length_rules)
{
	static const struct {
		uint32_t cmd, obj, len;
		uint32_t p1; /* first payload dword, where a rule reads it */
	} bad[] = {
	    {VREND_CCMD_CLEAR, 0, 7, 0},
	    {VREND_CCMD_CLEAR, 0, 9, 0},
	    {VREND_CCMD_SET_VIEWPORT_STATE, 0, 8, 0},
	    {VREND_CCMD_SET_VIEWPORT_STATE, 0, 0, 0},
	    {VREND_CCMD_SET_VIEWPORT_STATE, 0, 1 + 6 * 17, 0},
	    {VREND_CCMD_SET_VERTEX_BUFFERS, 0, 4, 0},
	    {VREND_CCMD_DRAW_VBO, 0, 13, 0},
	    {VREND_CCMD_SET_INDEX_BUFFER, 0, 2, 0},
	    {VREND_CCMD_SET_FRAMEBUFFER_STATE, 0, 3, 2},  /* 2 cbufs need len 4 */
	    {VREND_CCMD_SET_FRAMEBUFFER_STATE, 0, 11, 9}, /* more than 8 cbufs */
	    {VREND_CCMD_SET_FRAMEBUFFER_STATE, 0, 1, 0},
	    {VREND_CCMD_CREATE_OBJECT, VREND_OBJ_BLEND, 10, 1},
	    {VREND_CCMD_CREATE_OBJECT, 12, 4, 1}, /* unknown object type */
	    {VREND_CCMD_CREATE_OBJECT, VREND_OBJ_VERTEX_ELEMENTS, 1 + 4 * 33, 1},
	    {VREND_CCMD_CREATE_OBJECT, VREND_OBJ_VERTEX_ELEMENTS, 3, 1},
	    {VREND_CCMD_CREATE_OBJECT, VREND_OBJ_SHADER, 4, 1},
	    {VREND_CCMD_SET_SUB_CTX, 0, 0, 0},
	    {VREND_CCMD_SET_SUB_CTX, 0, 2, 0},
	    {VREND_CCMD_TRANSFER3D, 0, 12, 0},
	    {VREND_CCMD_PIPE_RESOURCE_SET_TYPE, 0, 9, 0},
	    {VREND_CCMD_EMIT_STRING_MARKER, 0, 2, 5}, /* 5 bytes in 4 */
	    {VREND_CCMD_BIND_SAMPLER_STATES, 0, 35, 0},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct buf b = {0};

		put_cmd(&b, VREND_CCMD_NOP, 0, 0, 0);
		put(&b, H(bad[i].cmd, bad[i].obj, bad[i].len));
		for (uint32_t k = 0; k < bad[i].len; k++)
			put(&b, k == 0 ? bad[i].p1 : 0);
		expect_rejected(&b, "malformed");
	}
}
END_TEST

START_TEST(shader_rules)
{
	struct buf b = {0};

	/* nso = 65 is over the limit even though the command is long enough. */
	put(&b, H(VREND_CCMD_CREATE_OBJECT, VREND_OBJ_SHADER, 5 + 4 + 2 * 65));
	put(&b, 1);
	put(&b, VREND_STAGE_FRAGMENT);
	put(&b, 4);
	put(&b, 0);
	put(&b, 65);
	for (int i = 0; i < 4 + 2 * 65; i++)
		put(&b, 0);
	expect_rejected(&b, "stream-output");

	/* nso = 2 but no room for its block. */
	b.n = 0;
	put_cmd(&b, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_SHADER, 6, 0);
	b.dw[2] = VREND_STAGE_VERTEX;
	b.dw[3] = 4;
	b.dw[5] = 2;
	expect_rejected(&b, "truncated");

	/* Stage out of range. */
	b.dw[2] = 6;
	expect_rejected(&b, "stage");

	/* Continuations and compute shaders carry no stream-output block. */
	{
		struct vrend_decoder *dec = make_decoder(NULL, NULL, 0);
		b.dw[2] = VREND_STAGE_VERTEX;
		b.dw[3] = 0x80000000u | 64; /* continuation at byte 64 */
		ck_assert_int_eq(decode(dec, b.dw, b.n), 0);
		b.dw[2] = VREND_STAGE_COMPUTE;
		b.dw[3] = 4;
		b.dw[5] = 1024; /* shared memory, not nso */
		ck_assert_int_eq(decode(dec, b.dw, b.n), 0);
		vrend_decoder_destroy(dec);
	}
}
END_TEST

START_TEST(unknown_ids)
{
	struct log_sink sink = {0};
	struct vrend_decoder *dec = make_decoder(&sink, NULL, 0);
	const struct vrend_decode_stats *st = vrend_decoder_stats(dec);
	struct buf b = {0};

	for (int round = 0; round < 3; round++) {
		put_cmd(&b, 200, 0, 3, 0);                           /* beyond the table */
		put_cmd(&b, 64, 5, 0, 0);                            /* first id past 63 */
		put_cmd(&b, VREND_CCMD_CREATE_VIDEO_CODEC, 0, 9, 0); /* no known rule */
		put_cmd(&b, VREND_CCMD_GET_PIPE_RESOURCE_LAYOUT, 0, 1, 0);
	}
	ck_assert_int_eq(decode(dec, b.dw, b.n), 0);
	ck_assert_uint_eq(st->skipped_unknown, 12);
	ck_assert_int_eq(sink.count, 4); /* once per id */
	ck_assert_ptr_nonnull(strstr(sink.last, "unknown"));
	vrend_decoder_destroy(dec);
}
END_TEST

/* Mesa's transfer prologue (1.2): TRANSFER3D x k, END_TRANSFERS padding up to
 * dword 1023, then the context's commands from dword 1024. */
static void build_prologue(struct buf *b, int transfers, uint32_t garbage)
{
	b->n = 0;
	for (int i = 0; i < transfers; i++)
		put_cmd(b, VREND_CCMD_TRANSFER3D, 0, 13, 1);
	put(b, H(VREND_CCMD_END_TRANSFERS, 0, 1023 - b->n));
	while (b->n < 1024)
		put(b, garbage);
}

START_TEST(prologue_padding)
{
	struct hook_counts hooks = {.fail_on_id = -1};
	struct vrend_decoder *dec = make_decoder(NULL, &hooks, 0);
	const struct vrend_decode_stats *st = vrend_decoder_stats(dec);
	struct buf b;

	/* Padding that would be fatal if parsed: a malformed CLEAR header. */
	build_prologue(&b, 2, H(VREND_CCMD_CLEAR, 0, 7));
	ck_assert_uint_eq(b.dw[28], H(VREND_CCMD_END_TRANSFERS, 0, 995)); /* as observed */
	put_cmd(&b, VREND_CCMD_CREATE_SUB_CTX, 0, 1, 1);
	put_cmd(&b, VREND_CCMD_SET_SUB_CTX, 0, 1, 1);
	ck_assert_int_eq(decode(dec, b.dw, b.n), 0);
	ck_assert_uint_eq(vrend_decoder_current(dec)->id, 1);
	ck_assert_uint_eq(st->skipped[VREND_CCMD_TRANSFER3D], 2);
	ck_assert_uint_eq(st->executed[VREND_CCMD_END_TRANSFERS], 1);

	/* Later frame: no transfers, the padding holds stale commands of the
	 * previous buffer, including a DESTROY_SUB_CTX(0) and a huge length. */
	build_prologue(&b, 0, 0);
	for (size_t i = 1; i + 1 < 1024; i += 2) {
		b.dw[i] = H(VREND_CCMD_DESTROY_SUB_CTX, 0, 1);
		b.dw[i + 1] = 0;
	}
	b.dw[1023] = H(VREND_CCMD_NOP, 0, 0xffff);
	ck_assert_uint_eq(b.dw[0], H(VREND_CCMD_END_TRANSFERS, 0, 1023));
	put_cmd(&b, VREND_CCMD_SET_SUB_CTX, 0, 1, 1);
	ck_assert_int_eq(decode(dec, b.dw, b.n), 0);
	ck_assert_uint_eq(vrend_decoder_num_sub_ctx(dec), 2);

	/* A standalone transfer buffer (no sub-context command at all). */
	b.n = 0;
	for (int i = 0; i < 80; i++)
		put_cmd(&b, VREND_CCMD_TRANSFER3D, 0, 13, 0);
	ck_assert_int_eq(decode(dec, b.dw, b.n), 0);
	ck_assert_uint_eq(vrend_decoder_current(dec)->id, 1);
	vrend_decoder_destroy(dec);
	ck_assert_int_eq(hooks.created, hooks.destroyed);
}
END_TEST

static int decode_one(struct vrend_decoder *dec, uint32_t cmd, uint32_t arg)
{
	uint32_t dw[2] = {H(cmd, 0, 1), arg};

	return decode(dec, dw, 2);
}

START_TEST(sub_ctx_lifecycle)
{
	struct hook_counts hooks = {.fail_on_id = -1};
	struct vrend_decoder *dec = make_decoder(NULL, &hooks, 4);

	ck_assert_uint_eq(vrend_decoder_current(dec)->id, 0);
	ck_assert_int_eq(decode_one(dec, VREND_CCMD_CREATE_SUB_CTX, 5), 0);
	ck_assert_int_eq(decode_one(dec, VREND_CCMD_CREATE_SUB_CTX, 5), 0); /* no-op */
	ck_assert_uint_eq(vrend_decoder_num_sub_ctx(dec), 2);
	ck_assert_int_eq(hooks.created, 2);
	/* CREATE does not switch; SET does. */
	ck_assert_uint_eq(vrend_decoder_current(dec)->id, 0);
	ck_assert_int_eq(decode_one(dec, VREND_CCMD_SET_SUB_CTX, 5), 0);
	ck_assert_uint_eq(vrend_decoder_current(dec)->id, 5);
	ck_assert_int_eq(decode_one(dec, VREND_CCMD_CREATE_SUB_CTX, 0xffffffffu), 0);
	ck_assert_int_eq(decode_one(dec, VREND_CCMD_CREATE_SUB_CTX, 0), 0); /* exists */
	ck_assert_ptr_nonnull(vrend_decoder_find_sub_ctx(dec, 0xffffffffu));
	/* Destroying the current one falls back to 0. */
	ck_assert_int_eq(decode_one(dec, VREND_CCMD_DESTROY_SUB_CTX, 5), 0);
	ck_assert_uint_eq(vrend_decoder_current(dec)->id, 0);
	ck_assert_ptr_null(vrend_decoder_find_sub_ctx(dec, 5));
	ck_assert_int_eq(hooks.destroyed, 1);
	/* Ids are not reused by Mesa, but a re-create after destroy must work. */
	ck_assert_int_eq(decode_one(dec, VREND_CCMD_CREATE_SUB_CTX, 5), 0);
	ck_assert_int_eq(decode_one(dec, VREND_CCMD_CREATE_SUB_CTX, 6), 0);
	ck_assert_uint_eq(vrend_decoder_num_sub_ctx(dec), 4);
	vrend_decoder_destroy(dec);
	ck_assert_int_eq(hooks.created, 5);
	ck_assert_int_eq(hooks.destroyed, 5);
}
END_TEST

static void expect_sub_ctx_error(uint32_t cmd, uint32_t arg, int err, const char *needle)
{
	struct hook_counts hooks = {.fail_on_id = 99};
	struct vrend_decoder *dec = make_decoder(NULL, &hooks, 3);

	ck_assert_int_eq(decode_one(dec, VREND_CCMD_CREATE_SUB_CTX, 1), 0);
	ck_assert_int_eq(decode_one(dec, VREND_CCMD_CREATE_SUB_CTX, 2), 0);
	ck_assert_int_eq(decode_one(dec, cmd, arg), err);
	ck_assert_msg(strstr(vrend_decoder_error(dec), needle), "error '%s' lacks '%s'",
	              vrend_decoder_error(dec), needle);
	ck_assert_int_eq(decode_one(dec, VREND_CCMD_SET_SUB_CTX, 1), err); /* dead */
	vrend_decoder_destroy(dec);
	ck_assert_int_eq(hooks.created, hooks.destroyed);
}

START_TEST(sub_ctx_errors)
{
	expect_sub_ctx_error(VREND_CCMD_SET_SUB_CTX, 3, -EINVAL, "unknown sub-context 3");
	expect_sub_ctx_error(VREND_CCMD_DESTROY_SUB_CTX, 0, -EINVAL, "cannot be destroyed");
	expect_sub_ctx_error(VREND_CCMD_DESTROY_SUB_CTX, 3, -EINVAL, "unknown sub-context 3");
	expect_sub_ctx_error(VREND_CCMD_CREATE_SUB_CTX, 3, -ENOSPC, "live sub-contexts");
}
END_TEST

START_TEST(sub_ctx_hook_failure)
{
	struct hook_counts hooks = {.fail_on_id = 4};
	struct vrend_decoder *dec = make_decoder(NULL, &hooks, 0);
	struct vrend_decoder_params p = {0};
	struct vrend_sub_ctx_hooks h = {.user_data = &hooks, .create = hook_create};
	struct vrend_decoder *dec0 = NULL;

	ck_assert_int_eq(decode_one(dec, VREND_CCMD_CREATE_SUB_CTX, 4), -ENOMEM);
	ck_assert_ptr_nonnull(strstr(vrend_decoder_error(dec), "cannot create sub-context 4"));
	vrend_decoder_destroy(dec);
	ck_assert_int_eq(hooks.created, hooks.destroyed);

	/* Sub-context 0 failing fails the decoder itself. */
	hooks.fail_on_id = 0;
	p.hooks = &h;
	ck_assert_int_eq(vrend_decoder_create(&p, &dec0), -ENOMEM);
	ck_assert_ptr_null(dec0);
}
END_TEST

/* A handler that reads one dword too far: the reader refuses and the stream fails. */
static int greedy_handler(struct vrend_decoder *dec, struct vrend_cmd *cmd)
{
	(void)dec;
	for (uint32_t i = 0; i <= cmd->len + 1; i++)
		(void)vrend_cmd_get(cmd, i);
	return 0;
}

static int span_handler(struct vrend_decoder *dec, struct vrend_cmd *cmd)
{
	ck_assert_ptr_nonnull(vrend_cmd_span(cmd, 1, cmd->len));
	ck_assert_ptr_nonnull(vrend_cmd_span(cmd, cmd->len + 1, 0));
	ck_assert(!cmd->overrun);
	ck_assert_uint_eq(vrend_cmd_get_u64(cmd, 1), 0x0000000200000001ull);
	ck_assert_ptr_null(vrend_cmd_span(cmd, 2, cmd->len));
	ck_assert(cmd->overrun);
	cmd->overrun = false; /* this one checked its own misuse */
	ck_assert_ptr_null(vrend_cmd_span(cmd, 0, 1));
	cmd->overrun = false;
	return vrend_decoder_fail(dec, cmd, -EIO, "handler says %d", 42);
}

START_TEST(reader_bounds)
{
	struct vrend_cmd_desc table[VREND_CCMD_TABLE_SIZE];
	struct vrend_decoder *dec = make_decoder(NULL, NULL, 0);
	uint32_t dw[4] = {H(VREND_CCMD_NOP, 0, 3), 1, 2, 3};

	memcpy(table, vrend_cmd_table, sizeof(table));
	table[VREND_CCMD_NOP].handler = greedy_handler;
	ck_assert_int_eq(vrend_decode_with_table(dec, table, dw, 4), -EINVAL);
	ck_assert_ptr_nonnull(strstr(vrend_decoder_error(dec), "read past"));
	vrend_decoder_destroy(dec);

	dec = make_decoder(NULL, NULL, 0);
	table[VREND_CCMD_NOP].handler = span_handler;
	ck_assert_int_eq(vrend_decode_with_table(dec, table, dw, 4), -EIO);
	ck_assert_ptr_nonnull(strstr(vrend_decoder_error(dec), "handler says 42"));
	vrend_decoder_destroy(dec);
}
END_TEST

START_TEST(table_sanity)
{
	for (uint32_t i = 0; i < VREND_CCMD_TABLE_SIZE; i++) {
		const struct vrend_cmd_desc *d = &vrend_cmd_table[i];

		ck_assert_msg(d->name != NULL, "command %u has no row", i);
		if (d->rule == VREND_LEN_RANGE) {
			ck_assert_msg(d->min <= d->max && d->step >= 1, "%s rule", d->name);
			ck_assert_msg((d->max - d->min) % d->step == 0, "%s max not on a step",
			              d->name);
		}
		if (d->rule == VREND_LEN_CUSTOM)
			ck_assert_ptr_nonnull(d->validate);
		if (d->rule == VREND_LEN_UNKNOWN)
			ck_assert_ptr_null(d->handler);
	}
	ck_assert_str_eq(vrend_decode_cmd_name(VREND_CCMD_CLEAR_SURFACE), "CLEAR_SURFACE");
	ck_assert_str_eq(vrend_decode_cmd_name(64), "unknown");
	ck_assert(vrend_decode_cmd_implemented(VREND_CCMD_SET_SUB_CTX));
	ck_assert(vrend_decode_cmd_implemented(VREND_CCMD_DRAW_VBO));
	ck_assert(!vrend_decode_cmd_implemented(VREND_CCMD_SET_DEBUG_FLAGS));
	ck_assert(!vrend_decode_cmd_implemented(1000));
	/* Context-level commands (1.2). */
	ck_assert(vrend_cmd_table[VREND_CCMD_TRANSFER3D].flags & VREND_CMD_CTX_LEVEL);
	ck_assert(vrend_cmd_table[VREND_CCMD_END_TRANSFERS].flags & VREND_CMD_CTX_LEVEL);
	ck_assert(vrend_cmd_table[VREND_CCMD_PIPE_RESOURCE_CREATE].flags & VREND_CMD_CTX_LEVEL);
	ck_assert(vrend_cmd_table[VREND_CCMD_SET_SUB_CTX].flags & VREND_CMD_CTX_LEVEL);
}
END_TEST

START_TEST(empty_and_null)
{
	struct vrend_decoder *dec = make_decoder(NULL, NULL, 0);

	ck_assert_int_eq(decode(dec, NULL, 0), 0);
	ck_assert_int_eq(decode(dec, NULL, 4), -EINVAL);
	vrend_decoder_destroy(dec);
	vrend_decoder_destroy(NULL);
}
END_TEST

/* Random dwords, biased towards small command ids and short lengths so that
 * many streams get deep: nothing may crash, and an error always has a reason. */
START_TEST(random_streams)
{
	uint64_t state = 0x9e3779b97f4a7c15ull;
	static uint32_t dw[2048];

	for (int iter = 0; iter < 3000; iter++) {
		struct vrend_decoder *dec = make_decoder(NULL, NULL, 8);
		size_t n = 1 + (size_t)(iter % 2048);
		int ret;

		for (size_t i = 0; i < n; i++) {
			state = state * 6364136223846793005ull + 1442695040888963407ull;
			uint32_t r = (uint32_t)(state >> 32);
			dw[i] = (r & 1) ? H(r % 70, (r >> 8) % 13, (r >> 16) % 24) : r;
		}
		ret = decode(dec, dw, n);
		ck_assert(ret == 0 || ret == -EINVAL || ret == -ENOSPC);
		if (ret)
			ck_assert(vrend_decoder_error(dec)[0] != '\0');
		vrend_decoder_destroy(dec);
	}
}
END_TEST

static Suite *decode_suite(void)
{
	Suite *s = suite_create("vrend_decode");
	TCase *tc = tcase_create("decode");

	tcase_add_test(tc, valid_mix);
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, length_rules);
	tcase_add_test(tc, shader_rules);
	tcase_add_test(tc, unknown_ids);
	tcase_add_test(tc, prologue_padding);
	tcase_add_test(tc, sub_ctx_lifecycle);
	tcase_add_test(tc, sub_ctx_errors);
	tcase_add_test(tc, sub_ctx_hook_failure);
	tcase_add_test(tc, reader_bounds);
	tcase_add_test(tc, table_sanity);
	tcase_add_test(tc, empty_and_null);
	tcase_add_test(tc, random_streams);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(decode_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
