/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * The one hand-written piece of dispatch: command framing (spec 2.1) around the generated
 * per-command decoders, handlers and reply encoders.
 */
#include "vkr_proto.h"

int vkr_proto_dispatch(struct vkr_dispatch *dispatch, struct vkr_cs_decoder *dec,
                       struct vkr_cs_encoder *reply)
{
	uint32_t type;
	uint32_t flags;
	VKR_TRY(vkr_dec_u32(dec, &type));
	VKR_TRY(vkr_dec_u32(dec, &flags));

	/* No per-command length on the wire: an unknown command cannot be skipped. */
	const struct vkr_proto_command *cmd = vkr_proto_command(type);
	if (!cmd)
		return vkr_cs_fail(dec, VKR_CS_ERR_UNKNOWN);
	if (cmd->policy_rejected)
		return vkr_cs_fail(dec, VKR_CS_ERR_POLICY);

	/* Flag bits other than GENERATE_REPLY are not defined; they are ignored. */
	const bool want_reply = flags & VKR_COMMAND_GENERATE_REPLY_BIT;
	if (want_reply && !reply)
		return vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);
	dec->out_budget = want_reply ? vkr_cs_encoder_remaining(reply) : VKR_CS_OUT_BUDGET_NO_REPLY;

	union vkr_proto_args args;
	memset(&args, 0, cmd->args_size);
	int ret = cmd->decode(dec, &args);
	if (!ret) {
		ret = cmd->call(dispatch, &args);
		if (ret)
			vkr_cs_fail(dec, ret);
	}
	if (!ret && want_reply)
		ret = cmd->encode_reply(reply, &args);
	vkr_arena_reset(dec->arena);
	return ret;
}
