/* SPDX-License-Identifier: MIT */
/* Decoder internals shared by decode.c, decode_table.c, subctx.c and the tests. */
#ifndef VREND_DECODE_INTERNAL_H
#define VREND_DECODE_INTERNAL_H

#include "decode.h"

typedef int (*vrend_cmd_handler)(struct vrend_decoder *dec, struct vrend_cmd *cmd);

enum vrend_len_rule {
	VREND_LEN_UNKNOWN = 0, /* no rule known (video, ids the client never sends): skip */
	VREND_LEN_RANGE,       /* min <= len <= max and (len - min) % step == 0 */
	VREND_LEN_CUSTOM,      /* validate() decides; it may read the payload */
};

/* Context-level commands work whatever sub-context is current (section 1.2). */
#define VREND_CMD_CTX_LEVEL 0x1u
/* The handler is still a stub answering VREND_CMD_UNIMPLEMENTED: the command is
 * skipped and caps must not make the client rely on it. Kept honest by
 * test_vrend_ctx (stub_flags_accurate). */
#define VREND_CMD_STUB 0x2u

struct vrend_cmd_desc {
	const char *name;
	uint8_t rule; /* enum vrend_len_rule */
	uint8_t flags;
	uint16_t min, max, step;
	/* CUSTOM: 0 or -EINVAL with a reason in *why. */
	int (*validate)(struct vrend_cmd *cmd, const char **why);
	vrend_cmd_handler handler; /* NULL = not implemented: skipped */
};

extern const struct vrend_cmd_desc vrend_cmd_table[VREND_CCMD_TABLE_SIZE];

struct vrend_decoder {
	struct vrend_logger logger;
	struct vrend_sub_ctx_hooks hooks;
	struct vrend_ctx *vctx;
	uint32_t ctx_id;
	uint32_t max_sub_ctx;
	struct vrend_sub_ctx **subs; /* live sub-contexts, subs[0] is id 0 */
	uint32_t num_subs, cap_subs;
	struct vrend_sub_ctx *current;
	uint32_t logged[8]; /* command ids 0..255 already reported as skipped */
	int dead;           /* 0, or the error that stopped the stream */
	char error[192];
	struct vrend_decode_stats stats;
};

/* The loop itself, with a table of the caller's choosing (tests use their own). */
int vrend_decode_with_table(struct vrend_decoder *dec, const struct vrend_cmd_desc *table,
                            const uint32_t *buf, size_t ndw);

/* subctx.c */
int vrend_sub_ctx_table_init(struct vrend_decoder *dec);
void vrend_sub_ctx_table_fini(struct vrend_decoder *dec);
int vrend_cmd_create_sub_ctx(struct vrend_decoder *dec, struct vrend_cmd *cmd);
int vrend_cmd_set_sub_ctx(struct vrend_decoder *dec, struct vrend_cmd *cmd);
int vrend_cmd_destroy_sub_ctx(struct vrend_decoder *dec, struct vrend_cmd *cmd);

#endif /* VREND_DECODE_INTERNAL_H */
