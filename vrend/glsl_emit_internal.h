/* SPDX-License-Identifier: MIT */
/* Internals of the GLSL emitter: the translation context and the pieces. */
#ifndef VREND_GLSL_EMIT_INTERNAL_H
#define VREND_GLSL_EMIT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "glsl_buf.h"
#include "glsl_emit.h"
#include "tgsi_ir.h"

#define GLSL_EXPR_MAX 640 /* one operand expression */
/* Counted loops up to this many iterations run without the loop budget. */
#define GLSL_COUNTED_LOOP_MAX 1024u
#define GLSL_MAX_CONST_SLOTS 64
#define GLSL_MAX_CLIP_CULL 8 /* gl_ClipDistance + gl_CullDistance components (CLIPDIST[0..1]) */

/* How the shader uses one sampler index (from its instructions or SVIEW). */
struct glsl_sampler_use {
	bool used;
	uint8_t target; /* enum tgsi_texture */
	uint8_t rtype;  /* enum tgsi_return_type of the view */
};

struct glsl_ctx {
	const struct tgsi_shader *sh;
	struct glsl_emit_options opt;
	uint32_t version;
	const char *p;        /* stage prefix */
	struct glsl_buf head; /* version, layouts, helpers, declarations */
	struct glsl_buf body; /* vn_main() */
	char *err;
	size_t err_size;
	int error;
	uint32_t instr; /* instruction being translated, or UINT32_MAX */
	unsigned indent;
	uint32_t num_loops;
	bool shared_declared; /* the one MEMORY SHARED block */
	bool opaque_output;   /* float colours go through vn_zero (opts.no_linear_fs) */

	/* From the scan pass. */
	bool *decl_array; /* per declaration: a GLSL array (ARRAY(id) or indexed indirectly) */
	struct glsl_sampler_use *samplers; /* per SAMP/SVIEW index */
	uint32_t num_samplers;
	uint32_t const_size[GLSL_MAX_CONST_SLOTS]; /* 1 + highest index per slot */
	bool needs_stencil_export;
	bool needs_blend_advanced; /* FS_BLEND_EQUATION_ADVANCED: KHR_blend_equation_advanced */
	uint32_t pv_inputs;        /* vertices of per-vertex inputs (GS primitive, patch) */
	uint32_t pv_outputs;       /* vertices of per-vertex outputs (TCS_VERTICES_OUT) */
};

/* glsl_emit.c */
bool glsl_fail(struct glsl_ctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Formats into buf (GLSL_EXPR_MAX); fails the translation on truncation. */
bool glsl_fmt(struct glsl_ctx *c, char *buf, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends one line of the body at the current indentation. */
void glsl_line(struct glsl_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* glsl_emit_io.c: inputs, outputs and system values. */
bool glsl_declare_io(struct glsl_ctx *c);
bool glsl_emit_load_inputs(struct glsl_ctx *c);
bool glsl_emit_store_outputs(struct glsl_ctx *c);
/* Output varying prefix of a stage ("vso", ...), or NULL for FS/CS. */
const char *glsl_varying_prefix(uint8_t proc);
/* The uvec4 value of a per-vertex register (GS/TCS/TES inputs, TCS outputs) of
 * declaration d at vertex expression v. */
bool glsl_per_vertex_value(struct glsl_ctx *c, const struct tgsi_decl *d, uint32_t index,
                           const char *v, char *out);

/* A tessellation control output: the GLSL variable it is written to directly
 * (TCS outputs are shared by the invocations, so they have no shadow). */
enum glsl_tcs_kind {
	GLSL_TCS_VEC4,   /* out vec4 (per-vertex ones indexed by gl_InvocationID) */
	GLSL_TCS_LEVEL4, /* gl_TessLevelOuter */
	GLSL_TCS_LEVEL2, /* gl_TessLevelInner */
};
bool glsl_tcs_output(struct glsl_ctx *c, const struct tgsi_decl *d, uint32_t index, char *name,
                     enum glsl_tcs_kind *kind);
/* The GLSL variable an INTERP_* opcode reads for input decl d at index. */
bool glsl_input_variable(struct glsl_ctx *c, const struct tgsi_decl *d, uint32_t index, char *out);

/* glsl_emit_regs.c: operands. */
/* GLSL type letters: 'F' float, 'U' uint, 'I' int. */
const char *glsl_vec_type(char t, unsigned n);
/* Register storage as an lvalue/rvalue uvec4 (ADDR: ivec4). */
bool glsl_reg_base(struct glsl_ctx *c, const struct tgsi_reg *r, char *out);
/* A source as a 4-component value of type t with its swizzle and modifiers. */
bool glsl_src(struct glsl_ctx *c, const struct tgsi_src *s, char t, char *out);
/* dst.mask = (expr of type t, 4 components).mask, with _SAT for floats. */
bool glsl_assign(struct glsl_ctx *c, const struct tgsi_instr *in, const char *expr, char t);
/* The value of immediate imm component ch as a uint (for constant operands). */
bool glsl_imm_value(struct glsl_ctx *c, const struct tgsi_src *s, unsigned ch, uint32_t *v);

/* glsl_emit_instr.c */
bool glsl_emit_instructions(struct glsl_ctx *c);

/* glsl_emit_tex.c */
bool glsl_scan_sampler(struct glsl_ctx *c, const struct tgsi_instr *in);
bool glsl_declare_samplers(struct glsl_ctx *c);
bool glsl_emit_tex(struct glsl_ctx *c, const struct tgsi_instr *in);

/* glsl_emit_double.c: the D* opcodes and their conversions. */
bool glsl_emit_double(struct glsl_ctx *c, const struct tgsi_instr *in);

/* glsl_emit_mem.c */
bool glsl_declare_memory(struct glsl_ctx *c);
bool glsl_emit_mem(struct glsl_ctx *c, const struct tgsi_instr *in);

/* glsl_helpers.c: the vn_* functions that text calls, into out. */
void glsl_emit_helpers(struct glsl_ctx *c, struct glsl_buf *out, const char *text);

#endif /* VREND_GLSL_EMIT_INTERNAL_H */
