/* SPDX-License-Identifier: MIT */
/*
 * Sub-contexts of one virgl context (virgl-protocol.md 3.1): sub-context 0 always
 * exists; CREATE/SET/DESTROY_SUB_CTX manage the others. The number of live ones
 * is bounded (each will own a host GL context); their ids are any u32 because the
 * client never reuses them.
 *
 * Stricter than virglrenderer, which ignores these: SET_SUB_CTX or
 * DESTROY_SUB_CTX of an unknown id, and DESTROY_SUB_CTX(0), are stream errors.
 * Mesa never sends them; obeying them would run later commands against the wrong
 * state.
 */
#include <errno.h>
#include <stdlib.h>

#include "decode_internal.h"

static int sub_index(const struct vrend_decoder *dec, uint32_t id)
{
	for (uint32_t i = 0; i < dec->num_subs; i++) {
		if (dec->subs[i]->id == id)
			return (int)i;
	}
	return -1;
}

struct vrend_sub_ctx *vrend_decoder_find_sub_ctx(struct vrend_decoder *dec, uint32_t id)
{
	int i = sub_index(dec, id);

	return i < 0 ? NULL : dec->subs[i];
}

static int sub_create(struct vrend_decoder *dec, uint32_t id)
{
	struct vrend_sub_ctx *sub;
	int ret;

	if (dec->num_subs >= dec->max_sub_ctx)
		return -ENOSPC;
	if (dec->num_subs == dec->cap_subs) {
		uint32_t cap = dec->cap_subs ? dec->cap_subs * 2 : 4;
		struct vrend_sub_ctx **subs;

		if (cap > dec->max_sub_ctx)
			cap = dec->max_sub_ctx;
		subs = realloc(dec->subs, cap * sizeof(*subs));
		if (!subs)
			return -ENOMEM;
		dec->subs = subs;
		dec->cap_subs = cap;
	}
	sub = calloc(1, sizeof(*sub));
	if (!sub)
		return -ENOMEM;
	sub->id = id;
	if (dec->hooks.create) {
		ret = dec->hooks.create(dec->hooks.user_data, sub);
		if (ret) {
			free(sub);
			return ret < 0 ? ret : -EIO;
		}
	}
	dec->subs[dec->num_subs++] = sub;
	return 0;
}

static void sub_free(struct vrend_decoder *dec, struct vrend_sub_ctx *sub)
{
	if (dec->hooks.destroy)
		dec->hooks.destroy(dec->hooks.user_data, sub);
	free(sub);
}

int vrend_sub_ctx_table_init(struct vrend_decoder *dec)
{
	int ret = sub_create(dec, 0);

	if (ret) {
		free(dec->subs);
		dec->subs = NULL;
		return ret;
	}
	dec->current = dec->subs[0];
	return 0;
}

void vrend_sub_ctx_table_fini(struct vrend_decoder *dec)
{
	/* Newest first, 0 last: later sub-contexts may share state created by 0. */
	while (dec->num_subs)
		sub_free(dec, dec->subs[--dec->num_subs]);
	free(dec->subs);
	dec->subs = NULL;
	dec->current = NULL;
}

int vrend_cmd_create_sub_ctx(struct vrend_decoder *dec, struct vrend_cmd *cmd)
{
	uint32_t id = vrend_cmd_get(cmd, 1);
	int ret;

	if (sub_index(dec, id) >= 0)
		return 0; /* creating an existing one is a no-op (3.1) */
	ret = sub_create(dec, id);
	if (ret == -ENOSPC)
		return vrend_decoder_fail(dec, cmd, ret, "more than %u live sub-contexts",
		                          dec->max_sub_ctx);
	if (ret)
		return vrend_decoder_fail(dec, cmd, ret, "cannot create sub-context %u (%d)", id,
		                          ret);
	return 0;
}

int vrend_cmd_set_sub_ctx(struct vrend_decoder *dec, struct vrend_cmd *cmd)
{
	uint32_t id = vrend_cmd_get(cmd, 1);
	int i = sub_index(dec, id);

	if (i < 0)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "unknown sub-context %u", id);
	dec->current = dec->subs[i];
	return 0;
}

int vrend_cmd_destroy_sub_ctx(struct vrend_decoder *dec, struct vrend_cmd *cmd)
{
	uint32_t id = vrend_cmd_get(cmd, 1);
	struct vrend_sub_ctx *sub;
	int i;

	if (id == 0)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "sub-context 0 cannot be destroyed");
	i = sub_index(dec, id);
	if (i < 0)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "unknown sub-context %u", id);
	sub = dec->subs[i];
	if (dec->current == sub)
		dec->current = dec->subs[0];
	/* Keep creation order: later lookups and teardown order depend on it. */
	for (uint32_t j = (uint32_t)i; j + 1 < dec->num_subs; j++)
		dec->subs[j] = dec->subs[j + 1];
	dec->num_subs--;
	sub_free(dec, sub);
	return 0;
}
