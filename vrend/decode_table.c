/* SPDX-License-Identifier: MIT */
/*
 * The command table: one row per command id 0..63 with the length rule from
 * virgl-protocol.md section 3 (and section 4 for CREATE_OBJECT), and its handler.
 * A NULL handler means "not implemented yet": the command is length-checked and
 * skipped. Video (53..61) and GET_PIPE_RESOURCE_LAYOUT (63) have no known rule
 * and are skipped unchecked; vrend never advertises them.
 */
#include <errno.h>

#include "blob_internal.h"
#include "decode_internal.h"
#include "vctx.h"

/* Payload lengths (dwords) from the spec. */
#define SHADER_HDR 5u     /* handle, stage, offlen, num_tokens, nso / local mem */
#define SHADER_SO_HDR 4u  /* stream-output strides */
#define SHADER_MAX_SO 64u /* stream-output outputs per shader */
#define SHADER_CONT 0x80000000u
#define MAX_VERTEX_ELEMENTS 32u
#define MAX_CBUFS 8u

static int validate_shader(struct vrend_cmd *cmd, const char **why)
{
	uint32_t stage, offlen, nso;

	if (cmd->len < SHADER_HDR) {
		*why = "shader header truncated";
		return -EINVAL;
	}
	stage = vrend_cmd_get(cmd, 2);
	offlen = vrend_cmd_get(cmd, 3);
	nso = vrend_cmd_get(cmd, 5);
	if (stage >= VREND_STAGE_COUNT) {
		*why = "shader stage out of range";
		return -EINVAL;
	}
	/* Stream-output info only on first packets of non-compute shaders (5.2). */
	if (stage == VREND_STAGE_COMPUTE || (offlen & SHADER_CONT) || nso == 0)
		return 0;
	if (nso > SHADER_MAX_SO) {
		*why = "too many stream-output outputs";
		return -EINVAL;
	}
	if (cmd->len < SHADER_HDR + SHADER_SO_HDR + 2 * nso) {
		*why = "stream-output block truncated";
		return -EINVAL;
	}
	return 0;
}

/* CREATE_OBJECT payload lengths of the fixed-size object types (section 4). */
static const uint8_t object_len[VREND_OBJ_COUNT] = {
    [VREND_OBJ_BLEND] = 11,       [VREND_OBJ_RASTERIZER] = 9,       [VREND_OBJ_DSA] = 5,
    [VREND_OBJ_SAMPLER_VIEW] = 6, [VREND_OBJ_SAMPLER_STATE] = 9,    [VREND_OBJ_SURFACE] = 5,
    [VREND_OBJ_QUERY] = 4,        [VREND_OBJ_STREAMOUT_TARGET] = 4, [VREND_OBJ_MSAA_SURFACE] = 6,
};

static int validate_create_object(struct vrend_cmd *cmd, const char **why)
{
	if (cmd->obj == VREND_OBJ_SHADER)
		return validate_shader(cmd, why);
	if (cmd->obj == VREND_OBJ_VERTEX_ELEMENTS) {
		if (cmd->len < 1 || (cmd->len - 1) % 4 ||
		    (cmd->len - 1) / 4 > MAX_VERTEX_ELEMENTS) {
			*why = "VERTEX_ELEMENTS needs 1 + 4n, n <= 32";
			return -EINVAL;
		}
		return 0;
	}
	if (cmd->obj >= VREND_OBJ_COUNT || !object_len[cmd->obj]) {
		*why = "unknown object type";
		return -EINVAL;
	}
	if (cmd->len != object_len[cmd->obj]) {
		*why = "wrong length for the object type";
		return -EINVAL;
	}
	return 0;
}

static int validate_framebuffer_state(struct vrend_cmd *cmd, const char **why)
{
	uint32_t nr_cbufs;

	if (cmd->len < 2) {
		*why = "needs nr_cbufs and zsurf";
		return -EINVAL;
	}
	nr_cbufs = vrend_cmd_get(cmd, 1);
	if (nr_cbufs > MAX_CBUFS || cmd->len != 2 + nr_cbufs) {
		*why = "len must be 2 + nr_cbufs, nr_cbufs <= 8";
		return -EINVAL;
	}
	return 0;
}

static int validate_draw_vbo(struct vrend_cmd *cmd, const char **why)
{
	if (cmd->len == 12 || cmd->len == 14 || cmd->len == 20)
		return 0;
	*why = "len must be 12, 14 or 20";
	return -EINVAL;
}

static int validate_index_buffer(struct vrend_cmd *cmd, const char **why)
{
	if (cmd->len == 1 || cmd->len == 3)
		return 0;
	*why = "len must be 1 or 3";
	return -EINVAL;
}

static int validate_string_marker(struct vrend_cmd *cmd, const char **why)
{
	uint32_t bytes;

	if (cmd->len < 1) {
		*why = "needs a byte length";
		return -EINVAL;
	}
	bytes = vrend_cmd_get(cmd, 1);
	if (bytes > (cmd->len - 1) * 4u) { /* len <= 65535: no overflow */
		*why = "string longer than the command";
		return -EINVAL;
	}
	return 0;
}

/* Handlers that need no state: the command is valid and means nothing here. */
static int cmd_ignore(struct vrend_decoder *dec, struct vrend_cmd *cmd)
{
	(void)dec;
	(void)cmd;
	return 0;
}

#define RANGE(n_, lo_, hi_, step_, fl_, h_)                                                        \
	{                                                                                          \
		.name = (n_), .rule = VREND_LEN_RANGE, .flags = (fl_), .min = (lo_), .max = (hi_), \
		.step = (step_), .handler = (h_)                                                   \
	}
#define EXACT(n_, len_) RANGE(n_, len_, len_, 1, 0, NULL)
#define CUSTOM(n_, v_, h_)                                                                         \
	{                                                                                          \
		.name = (n_), .rule = VREND_LEN_CUSTOM, .validate = (v_), .handler = (h_)          \
	}
#define UNKNOWN(n_)                                                                                \
	{                                                                                          \
		.name = (n_), .rule = VREND_LEN_UNKNOWN                                            \
	}
#define CTX VREND_CMD_CTX_LEVEL
#define STUB VREND_CMD_STUB

const struct vrend_cmd_desc vrend_cmd_table[VREND_CCMD_TABLE_SIZE] = {
    [VREND_CCMD_NOP] = RANGE("NOP", 0, 0xffff, 1, CTX, cmd_ignore),
    [VREND_CCMD_CREATE_OBJECT] =
        CUSTOM("CREATE_OBJECT", validate_create_object, vrend_cmd_create_object),
    [VREND_CCMD_BIND_OBJECT] = RANGE("BIND_OBJECT", 1, 1, 1, 0, vrend_cmd_bind_object),
    [VREND_CCMD_DESTROY_OBJECT] = RANGE("DESTROY_OBJECT", 1, 1, 1, 0, vrend_cmd_destroy_object),
    [VREND_CCMD_SET_VIEWPORT_STATE] =
        RANGE("SET_VIEWPORT_STATE", 1, 1 + 6 * 16, 6, 0, vrend_cmd_set_viewport_state),
    [VREND_CCMD_SET_FRAMEBUFFER_STATE] = CUSTOM("SET_FRAMEBUFFER_STATE", validate_framebuffer_state,
                                                vrend_cmd_set_framebuffer_state),
    [VREND_CCMD_SET_VERTEX_BUFFERS] =
        RANGE("SET_VERTEX_BUFFERS", 0, 3 * 32, 3, 0, vrend_cmd_set_vertex_buffers),
    [VREND_CCMD_CLEAR] = RANGE("CLEAR", 8, 8, 1, 0, vrend_cmd_clear),
    [VREND_CCMD_DRAW_VBO] = CUSTOM("DRAW_VBO", validate_draw_vbo, vrend_cmd_draw_vbo),
    [VREND_CCMD_RESOURCE_INLINE_WRITE] =
        RANGE("RESOURCE_INLINE_WRITE", 12, 0xffff, 1, 0, vrend_cmd_resource_inline_write),
    [VREND_CCMD_SET_SAMPLER_VIEWS] =
        RANGE("SET_SAMPLER_VIEWS", 2, 2 + 128, 1, 0, vrend_cmd_set_sampler_views),
    [VREND_CCMD_SET_INDEX_BUFFER] =
        CUSTOM("SET_INDEX_BUFFER", validate_index_buffer, vrend_cmd_set_index_buffer),
    [VREND_CCMD_SET_CONSTANT_BUFFER] =
        RANGE("SET_CONSTANT_BUFFER", 2, 0xffff, 1, 0, vrend_cmd_set_constant_buffer),
    [VREND_CCMD_SET_STENCIL_REF] = RANGE("SET_STENCIL_REF", 1, 1, 1, 0, vrend_cmd_set_stencil_ref),
    [VREND_CCMD_SET_BLEND_COLOR] = RANGE("SET_BLEND_COLOR", 4, 4, 1, 0, vrend_cmd_set_blend_color),
    [VREND_CCMD_SET_SCISSOR_STATE] =
        RANGE("SET_SCISSOR_STATE", 1, 1 + 2 * 16, 2, 0, vrend_cmd_set_scissor_state),
    [VREND_CCMD_BLIT] = RANGE("BLIT", 21, 21, 1, 0, vrend_cmd_blit),
    [VREND_CCMD_RESOURCE_COPY_REGION] =
        RANGE("RESOURCE_COPY_REGION", 13, 13, 1, 0, vrend_cmd_resource_copy_region),
    [VREND_CCMD_BIND_SAMPLER_STATES] =
        RANGE("BIND_SAMPLER_STATES", 2, 2 + 32, 1, 0, vrend_cmd_bind_sampler_states),
    [VREND_CCMD_BEGIN_QUERY] = RANGE("BEGIN_QUERY", 1, 1, 1, 0, vrend_cmd_begin_query),
    [VREND_CCMD_END_QUERY] = RANGE("END_QUERY", 1, 1, 1, 0, vrend_cmd_end_query),
    [VREND_CCMD_GET_QUERY_RESULT] =
        RANGE("GET_QUERY_RESULT", 2, 2, 1, 0, vrend_cmd_get_query_result),
    [VREND_CCMD_SET_POLYGON_STIPPLE] =
        RANGE("SET_POLYGON_STIPPLE", 32, 32, 1, 0, vrend_cmd_set_polygon_stipple),
    [VREND_CCMD_SET_CLIP_STATE] = RANGE("SET_CLIP_STATE", 32, 32, 1, 0, vrend_cmd_set_clip_state),
    [VREND_CCMD_SET_SAMPLE_MASK] = RANGE("SET_SAMPLE_MASK", 1, 1, 1, 0, vrend_cmd_set_sample_mask),
    [VREND_CCMD_SET_STREAMOUT_TARGETS] =
        RANGE("SET_STREAMOUT_TARGETS", 1, 1 + 16, 1, 0, vrend_cmd_set_streamout_targets),
    [VREND_CCMD_SET_RENDER_CONDITION] =
        RANGE("SET_RENDER_CONDITION", 3, 3, 1, 0, vrend_cmd_set_render_condition),
    [VREND_CCMD_SET_UNIFORM_BUFFER] =
        RANGE("SET_UNIFORM_BUFFER", 5, 5, 1, 0, vrend_cmd_set_uniform_buffer),
    [VREND_CCMD_SET_SUB_CTX] = RANGE("SET_SUB_CTX", 1, 1, 1, CTX, vrend_cmd_set_sub_ctx),
    [VREND_CCMD_CREATE_SUB_CTX] = RANGE("CREATE_SUB_CTX", 1, 1, 1, CTX, vrend_cmd_create_sub_ctx),
    [VREND_CCMD_DESTROY_SUB_CTX] =
        RANGE("DESTROY_SUB_CTX", 1, 1, 1, CTX, vrend_cmd_destroy_sub_ctx),
    [VREND_CCMD_BIND_SHADER] = RANGE("BIND_SHADER", 2, 2, 1, 0, vrend_cmd_bind_shader),
    [VREND_CCMD_SET_TESS_STATE] = RANGE("SET_TESS_STATE", 6, 6, 1, 0, vrend_cmd_set_tess_state),
    [VREND_CCMD_SET_MIN_SAMPLES] = RANGE("SET_MIN_SAMPLES", 1, 1, 1, 0, vrend_cmd_set_min_samples),
    [VREND_CCMD_SET_SHADER_BUFFERS] =
        RANGE("SET_SHADER_BUFFERS", 2, 2 + 3 * 32, 3, 0, vrend_cmd_set_shader_buffers),
    [VREND_CCMD_SET_SHADER_IMAGES] =
        RANGE("SET_SHADER_IMAGES", 2, 2 + 5 * 32, 5, 0, vrend_cmd_set_shader_images),
    [VREND_CCMD_MEMORY_BARRIER] = RANGE("MEMORY_BARRIER", 1, 1, 1, 0, vrend_cmd_memory_barrier),
    [VREND_CCMD_LAUNCH_GRID] = RANGE("LAUNCH_GRID", 8, 8, 1, 0, vrend_cmd_launch_grid),
    [VREND_CCMD_SET_FRAMEBUFFER_STATE_NO_ATTACH] = RANGE(
        "SET_FRAMEBUFFER_STATE_NO_ATTACH", 2, 2, 1, 0, vrend_cmd_set_framebuffer_state_no_attach),
    [VREND_CCMD_TEXTURE_BARRIER] = RANGE("TEXTURE_BARRIER", 1, 1, 1, 0, vrend_cmd_texture_barrier),
    [VREND_CCMD_SET_ATOMIC_BUFFERS] =
        RANGE("SET_ATOMIC_BUFFERS", 1, 1 + 3 * 32, 3, 0, vrend_cmd_set_atomic_buffers),
    [VREND_CCMD_SET_DEBUG_FLAGS] = RANGE("SET_DEBUG_FLAGS", 1, 0xffff, 1, 0, NULL),
    [VREND_CCMD_GET_QUERY_RESULT_QBO] =
        RANGE("GET_QUERY_RESULT_QBO", 6, 6, 1, 0, vrend_cmd_get_query_result_qbo),
    [VREND_CCMD_TRANSFER3D] = RANGE("TRANSFER3D", 13, 13, 1, CTX, vrend_cmd_transfer3d),
    /* The payload is the prologue padding (1.2): stale bytes, never parsed. */
    [VREND_CCMD_END_TRANSFERS] = RANGE("END_TRANSFERS", 0, 0xffff, 1, CTX, cmd_ignore),
    [VREND_CCMD_COPY_TRANSFER3D] =
        RANGE("COPY_TRANSFER3D", 14, 14, 1, CTX, vrend_cmd_copy_transfer3d),
    [VREND_CCMD_SET_TWEAKS] = RANGE("SET_TWEAKS", 2, 2, 1, STUB, vrend_cmd_set_tweaks),
    [VREND_CCMD_CLEAR_TEXTURE] = RANGE("CLEAR_TEXTURE", 12, 12, 1, 0, vrend_cmd_clear_texture),
    [VREND_CCMD_PIPE_RESOURCE_CREATE] =
        RANGE("PIPE_RESOURCE_CREATE", 11, 11, 1, CTX, vrend_cmd_pipe_resource_create),
    [VREND_CCMD_PIPE_RESOURCE_SET_TYPE] =
        RANGE("PIPE_RESOURCE_SET_TYPE", 8, 8 + 2 * 4, 2, CTX, NULL),
    [VREND_CCMD_GET_MEMORY_INFO] =
        RANGE("GET_MEMORY_INFO", 1, 1, 1, STUB, vrend_cmd_get_memory_info),
    [VREND_CCMD_EMIT_STRING_MARKER] =
        CUSTOM("EMIT_STRING_MARKER", validate_string_marker, cmd_ignore),
    /* A link hint (3.2): accepting and ignoring it is a correct implementation. */
    [VREND_CCMD_LINK_SHADER] = RANGE("LINK_SHADER", 6, 6, 1, 0, cmd_ignore),
    [VREND_CCMD_CREATE_VIDEO_CODEC] = UNKNOWN("CREATE_VIDEO_CODEC"),
    [VREND_CCMD_DESTROY_VIDEO_CODEC] = UNKNOWN("DESTROY_VIDEO_CODEC"),
    [VREND_CCMD_CREATE_VIDEO_BUFFER] = UNKNOWN("CREATE_VIDEO_BUFFER"),
    [VREND_CCMD_DESTROY_VIDEO_BUFFER] = UNKNOWN("DESTROY_VIDEO_BUFFER"),
    [VREND_CCMD_BEGIN_FRAME] = UNKNOWN("BEGIN_FRAME"),
    [VREND_CCMD_DECODE_MACROBLOCK] = UNKNOWN("DECODE_MACROBLOCK"),
    [VREND_CCMD_DECODE_BITSTREAM] = UNKNOWN("DECODE_BITSTREAM"),
    [VREND_CCMD_ENCODE_BITSTREAM] = UNKNOWN("ENCODE_BITSTREAM"),
    [VREND_CCMD_END_FRAME] = UNKNOWN("END_FRAME"),
    [VREND_CCMD_CLEAR_SURFACE] = RANGE("CLEAR_SURFACE", 10, 10, 1, 0, vrend_cmd_clear_surface),
    [VREND_CCMD_GET_PIPE_RESOURCE_LAYOUT] = UNKNOWN("GET_PIPE_RESOURCE_LAYOUT"),
};
