/* SPDX-License-Identifier: MIT */
/*
 * The virgl command-stream decoder of one virgl context: a table indexed by
 * command id gives each command's name, length rule and handler; the loop checks
 * every length against the buffer end and the rule before a handler reads a
 * field. Unknown and unimplemented commands are skipped by length (logged once
 * per id); malformed ones stop the stream and kill the context.
 */
#ifndef VREND_DECODE_H
#define VREND_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "protocol.h"
#include "vrend_log.h"

struct vrend_decoder;
struct vrend_ctx;

/* One command as a handler sees it. Read fields with vrend_cmd_get*(): index i
 * counts from 1 for the first payload dword (0 is the header), as in the spec. */
struct vrend_cmd {
	const uint32_t *dw; /* dw[0] header, dw[1..len] payload */
	uint32_t len;       /* payload dwords */
	uint32_t id, obj;
	size_t offset; /* dword offset of the header in the buffer */
	bool overrun;  /* a read went past the command (handler bug): stream fails */
};

static inline uint32_t vrend_cmd_get(struct vrend_cmd *cmd, uint32_t i)
{
	if (i > cmd->len) {
		cmd->overrun = true;
		return 0;
	}
	return cmd->dw[i];
}

static inline float vrend_cmd_get_f32(struct vrend_cmd *cmd, uint32_t i)
{
	uint32_t bits = vrend_cmd_get(cmd, i);
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

/* Two dwords, low first (doubles and 64-bit values on the wire). */
static inline uint64_t vrend_cmd_get_u64(struct vrend_cmd *cmd, uint32_t i)
{
	uint32_t lo = vrend_cmd_get(cmd, i);

	return lo | (uint64_t)vrend_cmd_get(cmd, i + 1) << 32;
}

/* count dwords starting at payload index first, or NULL if they do not all lie
 * inside the command (count 0 yields a valid pointer only if first <= len + 1). */
static inline const uint32_t *vrend_cmd_span(struct vrend_cmd *cmd, uint32_t first, uint32_t count)
{
	if (first == 0 || first > cmd->len + 1 || count > cmd->len + 1 - first) {
		cmd->overrun = true;
		return NULL;
	}
	return cmd->dw + first;
}

/* A guest sub-context (one Gallium pipe_context). priv belongs to the hooks. */
struct vrend_sub_ctx {
	uint32_t id;
	void *priv;
};

/* What the backend attaches to a sub-context (later: a shared GL context and
 * the object table). create runs for sub-context 0 at decoder creation too. */
struct vrend_sub_ctx_hooks {
	void *user_data;
	int (*create)(void *user_data, struct vrend_sub_ctx *sub);
	void (*destroy)(void *user_data, struct vrend_sub_ctx *sub);
};

#define VREND_DEFAULT_MAX_SUB_CTX 64u
#define VREND_MAX_SUB_CTX_LIMIT 4096u

struct vrend_decoder_params {
	uint32_t ctx_id;                         /* for messages */
	const struct vrend_logger *logger;       /* copied; may be NULL */
	const struct vrend_sub_ctx_hooks *hooks; /* copied; may be NULL */
	uint32_t max_sub_ctx; /* live sub-contexts incl. 0; 0 = default, capped at the limit */
	/* The rendering context handlers work on (vctx.h); NULL for a decoder
	 * without GL (handlers then fail with -EIO). */
	struct vrend_ctx *vctx;
};

struct vrend_decode_stats {
	uint64_t executed[VREND_CCMD_TABLE_SIZE]; /* handler ran */
	uint64_t skipped[VREND_CCMD_TABLE_SIZE];  /* valid length, no handler */
	uint64_t skipped_unknown;                 /* ids without a known rule (>= 64 too) */
	uint64_t buffers;
};

int vrend_decoder_create(const struct vrend_decoder_params *params, struct vrend_decoder **out);
/* Destroys every sub-context (hooks run) and the decoder. NULL is allowed. */
void vrend_decoder_destroy(struct vrend_decoder *dec);

/* Runs one command buffer of ndw dwords. Returns 0, or -errno when the stream
 * was malformed or a command failed; the decoder is then dead: this and every
 * later call return that error, and vrend_decoder_error() says why. */
int vrend_decode(struct vrend_decoder *dec, const uint32_t *buf, size_t ndw);
const char *vrend_decoder_error(const struct vrend_decoder *dec);

struct vrend_sub_ctx *vrend_decoder_current(struct vrend_decoder *dec);
struct vrend_sub_ctx *vrend_decoder_find_sub_ctx(struct vrend_decoder *dec, uint32_t id);
uint32_t vrend_decoder_num_sub_ctx(const struct vrend_decoder *dec);
const struct vrend_decode_stats *vrend_decoder_stats(const struct vrend_decoder *dec);

/* For handlers: records why the command failed and returns err (negative). */
int vrend_decoder_fail(struct vrend_decoder *dec, struct vrend_cmd *cmd, int err, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));

/* The command table, for caps: name of an id, and whether it has a handler. */
const char *vrend_decode_cmd_name(uint32_t id);
bool vrend_decode_cmd_implemented(uint32_t id);

#endif /* VREND_DECODE_H */
