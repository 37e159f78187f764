/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "decode_internal.h"
#include "vctx.h"

int vrend_decoder_create(const struct vrend_decoder_params *params, struct vrend_decoder **out)
{
	struct vrend_decoder *dec;
	int ret;

	*out = NULL;
	dec = calloc(1, sizeof(*dec));
	if (!dec)
		return -ENOMEM;
	dec->ctx_id = params->ctx_id;
	if (params->logger)
		dec->logger = *params->logger;
	if (params->hooks)
		dec->hooks = *params->hooks;
	dec->vctx = params->vctx;
	dec->max_sub_ctx = params->max_sub_ctx ? params->max_sub_ctx : VREND_DEFAULT_MAX_SUB_CTX;
	if (dec->max_sub_ctx > VREND_MAX_SUB_CTX_LIMIT)
		dec->max_sub_ctx = VREND_MAX_SUB_CTX_LIMIT;
	ret = vrend_sub_ctx_table_init(dec);
	if (ret) {
		free(dec);
		return ret;
	}
	*out = dec;
	return 0;
}

void vrend_decoder_destroy(struct vrend_decoder *dec)
{
	if (!dec)
		return;
	vrend_sub_ctx_table_fini(dec);
	free(dec);
}

const char *vrend_decoder_error(const struct vrend_decoder *dec)
{
	return dec->error;
}

struct vrend_sub_ctx *vrend_decoder_current(struct vrend_decoder *dec)
{
	return dec->current;
}

uint32_t vrend_decoder_num_sub_ctx(const struct vrend_decoder *dec)
{
	return dec->num_subs;
}

const struct vrend_decode_stats *vrend_decoder_stats(const struct vrend_decoder *dec)
{
	return &dec->stats;
}

const char *vrend_decode_cmd_name(uint32_t id)
{
	return id < VREND_CCMD_TABLE_SIZE && vrend_cmd_table[id].name ? vrend_cmd_table[id].name
	                                                              : "unknown";
}

bool vrend_decode_cmd_implemented(uint32_t id)
{
	return id < VREND_CCMD_TABLE_SIZE && vrend_cmd_table[id].handler != NULL &&
	       !(vrend_cmd_table[id].flags & VREND_CMD_STUB);
}

int vrend_decoder_fail(struct vrend_decoder *dec, struct vrend_cmd *cmd, int err, const char *fmt,
                       ...)
{
	char reason[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (cmd)
		snprintf(dec->error, sizeof(dec->error), "cmd %u (%s) at dword %zu: %s", cmd->id,
		         vrend_decode_cmd_name(cmd->id), cmd->offset, reason);
	else
		snprintf(dec->error, sizeof(dec->error), "%s", reason);
	return err;
}

/* Once per command id and context: a guest can send millions of them. */
static void log_skip_once(struct vrend_decoder *dec, const struct vrend_cmd *cmd, const char *why)
{
	uint32_t bit = 1u << (cmd->id % 32);

	if (dec->logged[cmd->id / 32] & bit)
		return;
	dec->logged[cmd->id / 32] |= bit;
	vrend_log(&dec->logger, VGN_LOG_WARN,
	          "ctx %u: command %u (%s) %s, skipped (len %u; reported once)", dec->ctx_id,
	          cmd->id, vrend_decode_cmd_name(cmd->id), why, cmd->len);
}

static int check_rule(const struct vrend_cmd_desc *d, struct vrend_cmd *cmd, const char **why)
{
	if (d->rule == VREND_LEN_CUSTOM)
		return d->validate(cmd, why);
	if (cmd->len < d->min || cmd->len > d->max) {
		*why = "length out of range";
		return -EINVAL;
	}
	if (d->step > 1 && (cmd->len - d->min) % d->step) {
		*why = "length not a whole number of entries";
		return -EINVAL;
	}
	return 0;
}

/* One command whose dwords are known to lie inside the buffer. */
static int run_one(struct vrend_decoder *dec, const struct vrend_cmd_desc *table,
                   struct vrend_cmd *cmd)
{
	const struct vrend_cmd_desc *d = cmd->id < VREND_CCMD_TABLE_SIZE ? &table[cmd->id] : NULL;
	const char *why = "";
	int ret;

	if (!d || d->rule == VREND_LEN_UNKNOWN) {
		dec->stats.skipped_unknown++;
		log_skip_once(dec, cmd, "unknown");
		return 0;
	}
	ret = check_rule(d, cmd, &why);
	if (!ret && cmd->overrun) /* a validator read past the command */
		ret = -EINVAL;
	if (ret && d->rule == VREND_LEN_RANGE)
		return vrend_decoder_fail(dec, cmd, -EINVAL,
		                          "malformed: %s (len %u, allowed %u..%u step %u)", why,
		                          cmd->len, d->min, d->max, d->step);
	if (ret)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "malformed: %s (len %u)", why,
		                          cmd->len);
	if (!d->handler) {
		dec->stats.skipped[cmd->id]++;
		log_skip_once(dec, cmd, "not implemented");
		return 0;
	}
	dec->stats.executed[cmd->id]++;
	ret = d->handler(dec, cmd);
	if (ret == VREND_CMD_UNIMPLEMENTED) {
		dec->stats.executed[cmd->id]--;
		dec->stats.skipped[cmd->id]++;
		log_skip_once(dec, cmd, "not implemented");
		return 0;
	}
	if (!ret && cmd->overrun)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "handler read past the command");
	if (ret && !dec->error[0])
		vrend_decoder_fail(dec, cmd, ret, "failed (%d)", ret);
	return ret;
}

int vrend_decode_with_table(struct vrend_decoder *dec, const struct vrend_cmd_desc *table,
                            const uint32_t *buf, size_t ndw)
{
	size_t off = 0;
	int ret = 0;

	if (dec->dead)
		return dec->dead;
	if (ndw && !buf)
		return -EINVAL;
	dec->stats.buffers++;
	while (off < ndw) {
		struct vrend_cmd cmd = {.dw = &buf[off], .offset = off};
		uint32_t hdr = buf[off];

		cmd.id = VREND_HDR_CMD(hdr);
		cmd.obj = VREND_HDR_OBJ(hdr);
		cmd.len = VREND_HDR_LEN(hdr);
		/* off < ndw, so ndw - off - 1 cannot wrap. */
		if (cmd.len > ndw - off - 1) {
			ret = vrend_decoder_fail(dec, &cmd, -EINVAL,
			                         "truncated: len %u but %zu dwords left", cmd.len,
			                         ndw - off - 1);
			break;
		}
		ret = run_one(dec, table, &cmd);
		if (ret)
			break;
		off += 1 + (size_t)cmd.len;
	}
	if (ret) {
		dec->dead = ret;
		vrend_log(&dec->logger, VGN_LOG_ERROR, "ctx %u: command stream rejected: %s",
		          dec->ctx_id, dec->error);
	}
	return ret;
}

int vrend_decode(struct vrend_decoder *dec, const uint32_t *buf, size_t ndw)
{
	return vrend_decode_with_table(dec, vrend_cmd_table, buf, ndw);
}
