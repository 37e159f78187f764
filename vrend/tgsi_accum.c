/* SPDX-License-Identifier: MIT */
/*
 * Shader text arriving in several CREATE_OBJECT(SHADER) packets
 * (virgl-protocol.md §5.2): the first packet announces the total length
 * (including the NUL), continuations carry bit 31 and their byte offset.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tgsi_ir.h"

void tgsi_text_accum_reset(struct tgsi_text_accum *acc)
{
	free(acc->buf);
	memset(acc, 0, sizeof(*acc));
}

static int fail(struct tgsi_text_accum *acc, int code)
{
	tgsi_text_accum_reset(acc);
	return code;
}

int tgsi_text_accumulate(struct tgsi_text_accum *acc, uint32_t max_total, uint32_t handle,
                         uint32_t stage, uint32_t offlen, const void *data, size_t len)
{
	uint32_t room;
	size_t take;

	if (!data && len)
		return fail(acc, -EINVAL);
	if (!(offlen & TGSI_OFFLEN_CONT)) {
		/* first packet */
		if (acc->active)
			return fail(acc, -EINVAL); /* previous shader never completed */
		if (offlen == 0)
			return fail(acc, -EINVAL);
		if (offlen > max_total)
			return fail(acc, -E2BIG);
		acc->buf = malloc(offlen);
		if (!acc->buf)
			return fail(acc, -ENOMEM);
		acc->total = offlen;
		acc->received = 0;
		acc->handle = handle;
		acc->stage = stage;
		acc->active = true;
	} else {
		if (!acc->active || acc->handle != handle || acc->stage != stage ||
		    (offlen & ~TGSI_OFFLEN_CONT) != acc->received)
			return fail(acc, -EINVAL);
	}
	room = acc->total - acc->received;
	/* The last packet is padded to a dword: up to 3 bytes past the total. */
	if (len > (size_t)room + 3)
		return fail(acc, -EINVAL);
	take = len < room ? len : room;
	if (take == 0 && room != 0)
		return fail(acc, -EINVAL); /* a packet that carries nothing cannot progress */
	memcpy(acc->buf + acc->received, data, take);
	acc->received += (uint32_t)take;
	if (acc->received < acc->total) {
		/* only the final packet may be padded */
		if (len != take)
			return fail(acc, -EINVAL);
		return 0;
	}
	return 1;
}

char *tgsi_text_accum_take(struct tgsi_text_accum *acc, uint32_t *len)
{
	char *buf;

	if (!acc->active || acc->received != acc->total)
		return NULL;
	buf = acc->buf;
	if (len)
		*len = acc->total;
	acc->buf = NULL;
	tgsi_text_accum_reset(acc);
	return buf;
}
