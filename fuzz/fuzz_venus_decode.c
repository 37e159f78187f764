/* SPDX-License-Identifier: MIT */
/*
 * fuzz_venus_decode: the generated Venus decoders and reply encoders of
 * vkr_proto_lib on arbitrary command streams.
 *
 * Input: byte 0 = options, the rest = the stream (copied into an exactly sized
 * buffer: a read past its end is a sanitizer report).
 *   bits 0-1  reply region: none, 16 bytes, 256 bytes, 64 KiB (exactly sized too)
 *   bit 2     an object table: input handles resolve through a lookup hook that
 *             refuses some ids (as the real table refuses unknown ones)
 *   bit 3     a 4 KiB arena cap instead of the default
 *   bit 4     decode + encode: each command's decoder, then its reply encoder on
 *             the decoded arguments (what a handler that changes nothing would
 *             answer), instead of vkr_proto_dispatch with no handlers
 * Invariants: the arena is empty after every command, a failure is recorded as
 * the decoder's error, the reply never passes its region.
 */
#include <errno.h>

#include "fuzz.h"
#include "vkr_proto.h"

static int lookup(void *data, VkObjectType type, uint64_t id, uint64_t *handle)
{
	if (id % 7 == 3)
		return -ENOENT;
	*handle = id ^ ((uint64_t)type << 40);
	return 0;
}

static const struct vkr_cs_object_ops object_ops = {lookup};

/* One command through its table entry; mirrors vkr_proto_dispatch's framing. */
static int decode_encode(struct vkr_cs_decoder *dec, struct vkr_cs_encoder *reply)
{
	const struct vkr_proto_command *cmd;
	union vkr_proto_args args;
	uint32_t type, flags;
	int ret;

	VKR_TRY(vkr_dec_u32(dec, &type));
	VKR_TRY(vkr_dec_u32(dec, &flags));
	cmd = vkr_proto_command(type);
	if (!cmd)
		return vkr_cs_fail(dec, VKR_CS_ERR_UNKNOWN);
	dec->out_budget = reply ? vkr_cs_encoder_remaining(reply) : VKR_CS_OUT_BUDGET_NO_REPLY;
	FUZZ_CHECK(cmd->args_size <= sizeof(args));
	memset(&args, 0, cmd->args_size);
	ret = cmd->decode(dec, &args);
	if (!ret && reply) {
		ret = cmd->encode_reply(reply, &args);
		FUZZ_CHECK(!ret || reply->error);
	}
	vkr_arena_reset(dec->arena);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t reply_sizes[4] = {0, 16, 256, 65536};
	struct vkr_dispatch dispatch;
	struct vkr_arena arena;
	struct vkr_cs_decoder dec;
	struct vkr_cs_encoder reply;
	uint8_t *stream, *reply_buf = NULL;
	size_t reply_size;
	uint8_t opt;

	if (!size)
		return 0;
	opt = data[0];
	data++;
	size--;
	reply_size = reply_sizes[opt & 3];
	stream = malloc(size ? size : 1);
	FUZZ_CHECK(stream);
	if (size)
		memcpy(stream, data, size);
	if (reply_size) {
		reply_buf = malloc(reply_size);
		FUZZ_CHECK(reply_buf);
	}
	memset(&dispatch, 0, sizeof(dispatch));
	vkr_arena_init(&arena, opt & 8 ? 4096 : VKR_CS_DEFAULT_ARENA_CAP);
	vkr_cs_decoder_init(&dec, stream, size, &arena);
	if (opt & 4) {
		dec.objects = &object_ops;
		dec.objects_data = NULL;
	}

	while (dec.cur < dec.end) {
		const struct vkr_proto_command *known = NULL;
		uint32_t type;
		int ret;

		if (vkr_cs_remaining(&dec) >= sizeof(type)) {
			memcpy(&type, dec.cur, sizeof(type));
			known = vkr_proto_command(type);
		}
		if (reply_buf)
			vkr_cs_encoder_init(&reply, reply_buf, reply_size);
		if (opt & 16)
			ret = decode_encode(&dec, reply_buf ? &reply : NULL);
		else
			ret = vkr_proto_dispatch(&dispatch, &dec, reply_buf ? &reply : NULL);
		FUZZ_CHECK(arena.used == 0);
		FUZZ_CHECK(dec.cur <= dec.end);
		if (reply_buf)
			FUZZ_CHECK(reply.cur >= reply_buf && reply.cur <= reply_buf + reply_size);
		if (!ret)
			continue;
		FUZZ_CHECK(ret < 0);
		FUZZ_CHECK(dec.error != 0 || (reply_buf && reply.error != 0));
		/* A known command without a handler (dispatch has none here) is the one
		 * failure after which the rest of the stream can still be decoded. */
		if (ret == -ENOTSUP && known && !known->policy_rejected && !(opt & 16)) {
			dec.error = 0;
			continue;
		}
		break;
	}
	vkr_arena_fini(&arena);
	free(reply_buf);
	free(stream);
	return 0;
}
