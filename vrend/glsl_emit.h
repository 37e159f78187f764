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
 * in a geometry shader). Indirect indices are clamped to the declared array.
 *
 * Names the host binds (p = stage prefix: vs tc te gs fs cs):
 *   uniform uvec4 <p>const0[N];                  constant buffer slot 0 (glUniform4uiv)
 *   uniform <p>_ubo<n> { uvec4 d[M]; } ...;      constant buffer slot n >= 1 (std140)
 *   uniform <sampler type> <p>samp<i>;          SAMP[i] / SVIEW[i]
 *   buffer <p>_ssbo<i> { uint d[]; } ...;        BUFFER[i] (std430)
 *   uniform <image type> <p>img<i>;             IMAGE[i]
 *   uniform float winsys_adjust_y;             when opts.winsys_adjust_y
 *   layout(location = i) in vec4 vs_in<i>;       vertex attribute i
 *   layout(location = n) out vec4 fs_out<n>;     fragment color n
 * Varyings are named by semantic (e.g. vso_g0 for GENERIC[0] out of a vertex
 * shader), so consecutive stages link by name whatever their register numbers.
 * With GLSL >= 420 samplers, blocks and images also get binding qualifiers
 * (base + index, from the options).
 */
#ifndef VREND_GLSL_EMIT_H
#define VREND_GLSL_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tgsi_ir.h"

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
	bool flatshade;                 /* COLOR-interpolated inputs are flat */
	uint32_t nr_cbufs;              /* FS_COLOR0_WRITES_ALL_CBUFS: colors written (0 = 1) */
	uint32_t cbuf_int_mask;         /* fragment colors of signed-integer render targets */
	uint32_t cbuf_uint_mask;        /* ... unsigned-integer render targets */
	uint32_t attrib_int_mask;       /* vertex attributes of signed-integer formats */
	uint32_t attrib_uint_mask;      /* ... unsigned-integer formats */
	uint32_t max_loop_iterations;   /* 0: loops unbounded; else each loop stops after this many */
	uint32_t shared_mem_bytes;      /* compute MEMORY SHARED size (0 = 32768) */
	uint32_t sampler_binding_base;  /* GLSL >= 420: binding of samp<i> = base + i */
	uint32_t ubo_binding_base;      /* binding of ubo<n> = base + n - 1 */
	uint32_t ssbo_binding_base;
	uint32_t image_binding_base;
	size_t max_text_len;            /* GLSL size cap; 0 = 4 MiB */
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
