/* SPDX-License-Identifier: MIT */
/*
 * TGSI IR -> GLSL (4.50 core by default, or 3.30 core and up) for the host GL.
 *
 * Registers: TGSI registers are untyped 32-bit x 4, so every register the shader
 * computes in lives in a uvec4 (temporaries, outputs, immediates, constants)
 * and each instruction converts its sources to the type its opcode defines
 * (uintBitsToFloat, ivec4(...)) and its result back: bit patterns survive
 * exactly (integer booleans ~0u, immediates holding float bits). Inputs and
 * system values are copied into uvec4 shadows by vn_load_inputs(); outputs are
 * written from their shadows by vn_store_outputs() (at the end, or at each EMIT
 * in a geometry shader); tessellation control outputs, shared by the patch's
 * invocations, are written directly (per-vertex ones at gl_InvocationID).
 * Registers start at zero. Indirect indices are clamped to the declared array.
 *
 * Coordinates: the host keeps Gallium's row 0 at GL's y = 0 in every render
 * target, so Gallium window coordinates equal GL's: FS_COORD_ORIGIN UPPER_LEFT
 * is GL's default gl_FragCoord and LOWER_LEFT is layout(origin_upper_left).
 * A guest viewport with negative y scale is the host's business: it sets
 * winsys_adjust_y = -1 (and flips the front face); the shader multiplies.
 *
 * Names the host binds (p = stage prefix: vs tc te gs fs cs):
 *   uniform uvec4 <p>const0[N];                  constant buffer slot 0 (glUniform4uiv)
 *   uniform <p>_ubo<n> { uvec4 d[M]; } ...;      constant buffer slot n >= 1 (std140)
 *   uniform <sampler type> <p>samp<i>;          SAMP[i] / SVIEW[i]
 *   buffer <p>_ssbo<i> { uint d[]; } ...;        BUFFER[i] (std430)
 *   uniform <image type> <p>img<i>;             IMAGE[i]
 *   uniform float winsys_adjust_y;             when opts.winsys_adjust_y
 *   uniform vec4 vn_clip_plane[8];             when opts.clip_plane_mask
 *   layout(location = i) in vec4 vs_in<i>;       vertex attribute i
 *   layout(location = n) out vec4 fs_out<n>;     fragment color n
 *   out <float..vec4> vn_so<i>;                  stream output i
 * Varyings are named by semantic (e.g. vso_g0 for GENERIC[0] out of a vertex
 * shader, tco_p0 for PATCH[0]), so consecutive stages link by name whatever
 * their register numbers.
 * With GLSL >= 420 samplers, blocks and images also get binding qualifiers
 * (base + index, from the options).
 */
#ifndef VREND_GLSL_EMIT_H
#define VREND_GLSL_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tgsi_ir.h"

/* One stream-output (transform feedback) capture of the shader object
 * (virgl-protocol.md §5.2): components [start, start + num) of OUT[register]. */
struct glsl_so_output {
	uint8_t register_index;  /* OUT register */
	uint8_t start_component; /* 0..3 */
	uint8_t num_components;  /* 1..4, start + num <= 4 */
	uint8_t output_buffer;   /* 0..3 */
	uint16_t dst_offset;     /* dwords into the buffer's vertex record */
	uint8_t stream;          /* 0..3 (geometry shaders) */
};

/* Decodes the two wire dwords of one stream output (p[10+2j], p[11+2j]). */
void glsl_so_output_decode(uint32_t p0, uint32_t p1, struct glsl_so_output *out);

struct glsl_emit_options {
	uint32_t glsl_version; /* 330..460; 0 = 450 */
	/* The stage whose outputs feed this one's inputs (naming of input
	 * varyings). TGSI_PROC_COUNT = default: vertex for GS, TCS and FS,
	 * tess control for TES. */
	uint8_t prev_stage;
	/* The next stage, if known: output varyings copy the interpolation
	 * qualifiers of its matching inputs (GLSL < 4.40 requires them to match). */
	const struct tgsi_shader *next;
	/* Last vertex stage: gl_Position.y *= winsys_adjust_y (a uniform the host
	 * sets to -1 when the guest viewport flips y, else 1). */
	bool winsys_adjust_y;
	bool flatshade; /* rasterizer flatshade: COLOR-interpolated varyings are flat (give
	                 * every stage of a program the same value) */
	/* Fragment shader under light_twoside: COLOR inputs read BCOLOR (from
	 * the previous stage) on back faces. In the stage before the fragment
	 * shader: BCOLOR outputs it lacks are written (from COLOR, else zero). */
	bool two_sided_color;
	/* Last vertex stage without CLIPDIST outputs: user clip planes (bit i:
	 * gl_ClipDistance[i] = dot(CLIPVERTEX or POSITION, vn_clip_plane[i]),
	 * uniform vec4 vn_clip_plane[8] set by the host from SET_CLIP_STATE). */
	uint8_t clip_plane_mask;
	uint32_t nr_cbufs;            /* FS_COLOR0_WRITES_ALL_CBUFS: colors written (0 = 1) */
	uint32_t cbuf_int_mask;       /* fragment colors of signed-integer render targets */
	uint32_t cbuf_uint_mask;      /* ... unsigned-integer render targets */
	uint32_t attrib_int_mask;     /* vertex attributes of signed-integer formats */
	uint32_t attrib_uint_mask;    /* ... unsigned-integer formats */
	uint32_t max_loop_iterations; /* 0: loops unbounded; else each loop stops after this many */
	/* When max_loop_iterations is 0: all loops of one invocation together stop
	 * after this many iterations (0 = unbounded). */
	uint32_t loop_budget;
	/* GL_CLAMP emulated (the host sampler clamps to the border): bit i of
	 * gl_clamp[k] clamps coordinate k (s, t, r) of samp<i> to [0, 1] before
	 * sampling, after the projective divide. Not for cube or rect targets. */
	uint32_t gl_clamp[3];
	uint32_t shared_mem_bytes;     /* compute MEMORY SHARED size (0 = 32768) */
	uint32_t sampler_binding_base; /* GLSL >= 420: binding of samp<i> = base + i */
	uint32_t ubo_binding_base;     /* binding of ubo<n> = base + n - 1 */
	uint32_t ssbo_binding_base;
	uint32_t image_binding_base;
	/* Last vertex stage: captured outputs vn_so<i> (in order). With GLSL >=
	 * 4.40 they carry xfb_buffer/xfb_offset (and the buffers xfb_stride from
	 * so_stride, in dwords), so the program captures without
	 * glTransformFeedbackVaryings; below, the host names them. At most 64. */
	const struct glsl_so_output *so_outputs;
	uint32_t num_so_outputs;
	uint32_t so_stride[4];
	/* Fragment shaders reading constants: float colours are written as
	 * uintBitsToFloat(v ^ uvec4(vn_zero)), vn_zero a uniform the host leaves
	 * at its initial 0. The opaque ALU op keeps llvmpipe (Mesa 25.0) off its
	 * "linear" fast path, which reads the wrong constants of these shaders. */
	bool no_linear_fs;
	size_t max_text_len; /* GLSL size cap; 0 = 4 MiB */
};

/* Options with the defaults above for stage sh->processor. */
void glsl_emit_options_default(struct glsl_emit_options *opts);

/* Translates sh. On success *out is the NUL-terminated GLSL (free() it) and
 * *out_len its length. On failure returns -ENOTSUP (a construct not translated
 * yet or not available at the requested GLSL version), -EINVAL, -ENOSPC (size
 * cap) or -ENOMEM, and err says why. */
int glsl_emit(const struct tgsi_shader *sh, const struct glsl_emit_options *opts, char **out,
              size_t *out_len, char *err, size_t err_size);

/* "vs", "tc", "te", "gs", "fs", "cs". */
const char *glsl_stage_prefix(enum tgsi_processor proc);

#endif /* VREND_GLSL_EMIT_H */
