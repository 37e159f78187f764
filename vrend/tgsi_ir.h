/* SPDX-License-Identifier: MIT */
/*
 * The TGSI shader IR that the text parser produces and the GLSL emitter reads.
 *
 * The parser (tgsi_parse.c) is strict and bounded: the input is (ptr, len), not
 * NUL-terminated (a NUL ends the text early); every count is capped by struct
 * tgsi_limits; every register an instruction names must lie in a declaration
 * (IMM: an immediate defined before), and every reference is resolved to its
 * declaration (tgsi_reg.decl), so the emitter never searches or re-validates.
 * Declarations and immediates must precede the first instruction, as in Mesa's
 * dumps. Control flow must nest properly (no recursion; depth capped), and the
 * shader must contain END outside any block.
 */
#ifndef VREND_TGSI_IR_H
#define VREND_TGSI_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tgsi_tokens.h"

#define TGSI_MAX_DST 2
#define TGSI_MAX_SRC 5
#define TGSI_MAX_TEX_OFFSETS 4
#define TGSI_NO_DECL UINT32_MAX
#define TGSI_FORMAT_NAME_MAX 48 /* PIPE_FORMAT_... names, incl. NUL */

struct tgsi_limits {
	uint32_t max_text_len;       /* bytes parsed (the text may be longer: NUL ends it) */
	uint32_t max_instructions;   /* including END */
	uint32_t max_declarations;   /* DCL lines */
	uint32_t max_immediates;     /* IMM lines */
	uint32_t max_properties;     /* PROPERTY lines */
	uint32_t max_nesting;        /* IF/LOOP/SUB/SWITCH depth */
	uint32_t max_register_index; /* every register index and range end is below this */
	uint32_t max_dimension;      /* 2-D indices (constant buffer slot, vertex) are below this */
	uint32_t max_array_id;       /* ARRAY(id) ids are 1..max_array_id */
	uint32_t max_formats;        /* distinct PIPE_FORMAT names */
};

/* Defaults: 1 MiB text, 16384 instructions, 4096 declarations, 4096 immediates,
 * 64 properties, nesting 64, register indices < 16384, dimensions < 64, array ids
 * <= 4096, 64 format names. */
void tgsi_limits_default(struct tgsi_limits *limits);

struct tgsi_property {
	uint8_t id; /* enum tgsi_property_id */
	uint8_t num_values;
	uint32_t values[4]; /* enum values (prim, origin, processor) or integers */
};

struct tgsi_immediate {
	uint8_t type;       /* enum tgsi_imm_type */
	uint8_t num_dwords; /* 1..4 (64-bit types use two dwords per value, low first) */
	uint32_t dw[4];     /* raw bits; unused dwords are 0 */
};

#define TGSI_DIM_NONE 0u /* "FILE[a..b]"; CONST[a..b] is slot 0 */

struct tgsi_decl {
	uint8_t file;    /* enum tgsi_file */
	bool has_dim;    /* "FILE[d][a..b]" */
	bool per_vertex; /* "FILE[][a..b]": per-vertex I/O, indexed [vertex][i] */
	uint32_t dim;    /* d if has_dim */
	uint32_t first, last;
	uint8_t usage_mask; /* TGSI_MASK_* bits; 0xf when omitted */
	uint32_t array_id;  /* 0: not an array */
	bool local;
	bool has_semantic;
	uint8_t semantic; /* enum tgsi_semantic */
	uint32_t semantic_index;
	uint8_t stream[4];
	bool has_interp;  /* interpolation mode given (fragment inputs) */
	uint8_t interp;   /* enum tgsi_interpolate */
	uint8_t location; /* enum tgsi_interp_location */
	bool invariant;
	/* SVIEW: target and return types; IMAGE: target, format, WR, RAW */
	uint8_t target;         /* enum tgsi_texture */
	uint8_t return_type[4]; /* enum tgsi_return_type */
	uint8_t format;         /* index into tgsi_shader.formats + 1; 0 none */
	bool writable, raw;
	bool atomic;          /* BUFFER ..., ATOMIC */
	uint8_t mem_type;     /* MEMORY: enum tgsi_memory_type */
	uint32_t imms_before; /* immediates defined before this line (text order) */
	uint32_t line;
	/* Component-qualified I/O (ARB_enhanced_layouts): INPUT/OUTPUT declarations
	 * may repeat a register range with the same semantic and other components.
	 * The one with the lowest declaration index owns the registers; the others
	 * are aliases (alias_of = the owner) that the emitter skips. io_mask is the
	 * union of the usage masks of the whole group (usage_mask when alone). */
	bool alias;
	uint32_t alias_of;
	uint8_t io_mask;
};

#define TGSI_MASK_X 1u
#define TGSI_MASK_Y 2u
#define TGSI_MASK_Z 4u
#define TGSI_MASK_W 8u
#define TGSI_MASK_XYZW 15u

/* An indirect address: FILE[index].swizzle, e.g. ADDR[0].x. */
struct tgsi_indirect {
	uint8_t file; /* TGSI_FILE_ADDRESS (the only one Mesa emits) */
	uint32_t index;
	uint8_t swizzle; /* 0..3 */
};

struct tgsi_reg {
	uint8_t file;  /* enum tgsi_file */
	int32_t index; /* direct index, or the constant offset of an indirect one */
	bool indirect;
	struct tgsi_indirect ind;
	uint32_t array_id; /* "(id)" after an indirect index; 0 if none */
	bool has_dim;
	int32_t dim; /* direct dimension, or its offset when dim_indirect */
	bool dim_indirect;
	struct tgsi_indirect dim_ind;
	uint32_t dim_array_id;
	/* Resolved: the declaration the register lies in (for indirect ones, the
	 * array or declaration containing the offset); TGSI_NO_DECL for IMM and NULL. */
	uint32_t decl;
};

struct tgsi_src {
	struct tgsi_reg reg;
	uint8_t swizzle[4]; /* 0..3 per channel; identity when omitted */
	bool negate, absolute;
};

struct tgsi_dst {
	struct tgsi_reg reg;
	uint8_t mask; /* TGSI_MASK_*; XYZW when omitted */
};

struct tgsi_tex_offset {
	uint8_t file;
	uint32_t index;
	uint8_t swizzle[3];
	uint32_t decl; /* resolved like tgsi_reg.decl */
};

struct tgsi_instr {
	uint16_t opcode; /* enum tgsi_opcode */
	bool saturate, precise;
	uint8_t num_dst, num_src;
	struct tgsi_dst dst[TGSI_MAX_DST];
	struct tgsi_src src[TGSI_MAX_SRC];
	bool has_target;
	uint8_t target; /* texture instructions: enum tgsi_texture */
	uint8_t num_offsets;
	struct tgsi_tex_offset offsets[TGSI_MAX_TEX_OFFSETS];
	uint8_t mem_qualifiers; /* enum tgsi_memory_qualifier bits */
	bool has_mem_target;
	uint8_t mem_target; /* enum tgsi_texture */
	uint8_t mem_format; /* index into tgsi_shader.formats + 1; 0 none */
	bool has_label;
	uint32_t label;
	uint32_t line;
};

struct tgsi_shader {
	uint8_t processor; /* enum tgsi_processor */
	struct tgsi_property *props;
	uint32_t num_props;
	struct tgsi_decl *decls;
	uint32_t num_decls;
	struct tgsi_immediate *imms;
	uint32_t num_imms;
	struct tgsi_instr *instrs;
	uint32_t num_instrs;
	char (*formats)[TGSI_FORMAT_NAME_MAX];
	uint32_t num_formats;
	uint32_t end_instr; /* the top-level END */
	/* Per file: 1 + the highest index declared (0: none); for 2-D files the
	 * highest over all dimensions. */
	uint32_t file_size[TGSI_FILE_COUNT];
};

/* Parses TGSI text. limits NULL = defaults. On failure returns -EINVAL (bad
 * text), -E2BIG (a limit) or -ENOMEM, *out stays NULL and err (if err_size > 0)
 * says where and why ("line 7: ..."). */
int tgsi_parse_text(const char *text, size_t len, const struct tgsi_limits *limits,
                    struct tgsi_shader **out, char *err, size_t err_size);
void tgsi_shader_destroy(struct tgsi_shader *sh);

/* The value of a property (first value), or false if absent. */
bool tgsi_shader_property(const struct tgsi_shader *sh, enum tgsi_property_id id, uint32_t *value);
/* The declaration of file[index] in dimension dim (TGSI_DIM_NONE for 1-D and
 * per-vertex files), or NULL. */
const struct tgsi_decl *tgsi_shader_find_decl(const struct tgsi_shader *sh, enum tgsi_file file,
                                              uint32_t dim, uint32_t index);
/* Format name of a decl/instruction format index (1-based), or NULL. */
const char *tgsi_shader_format_name(const struct tgsi_shader *sh, uint8_t format);

/* Counted loops (tgsi_loop.c): the most times the body of the loop opened at
 * instruction `bgnloop` can run, when the IR proves it (an innermost loop with
 * one counter stepped by a constant towards an immediate limit), and it is at
 * most cap; else 0. */
uint32_t tgsi_loop_trip_bound(const struct tgsi_shader *sh, uint32_t bgnloop, uint32_t cap);

/* Writes the shader back in Mesa's text form (same spelling as tgsi_dump with
 * floats as hex), NUL-terminated. Returns the length, or -ENOSPC / -ENOMEM. */
int tgsi_shader_dump(const struct tgsi_shader *sh, char **out_text);

/* ---- shader text arriving in pieces (virgl-protocol.md §5.2) ---- */

#define TGSI_OFFLEN_CONT 0x80000000u /* VIRGL_OBJ_SHADER_OFFSET_CONT */

/* Accumulates the text of one shader object across CREATE_OBJECT(SHADER)
 * packets. One per (sub-context, stage); zero-initialised = idle. */
struct tgsi_text_accum {
	char *buf;
	uint32_t total;    /* bytes announced by the first packet (incl. the NUL) */
	uint32_t received; /* bytes received so far */
	uint32_t handle, stage;
	bool active;
};

/* Feeds one packet: offlen is the packet's p3, data/len the text bytes it
 * carries (a whole number of dwords; the last packet may carry up to 3 bytes of
 * padding past total). A first packet (bit 31 clear) must not arrive while
 * another shader is in progress; a continuation must match handle and stage and
 * start exactly where the text so far ends. total must be 1..max_total.
 * Returns 1 when the text is complete (acc->buf holds acc->total bytes, the
 * caller takes it with tgsi_text_accum_take), 0 when more is expected, or
 * -EINVAL / -E2BIG / -ENOMEM (the accumulator is reset). */
int tgsi_text_accumulate(struct tgsi_text_accum *acc, uint32_t max_total, uint32_t handle,
                         uint32_t stage, uint32_t offlen, const void *data, size_t len);
/* Hands the completed text to the caller (free() it) and resets acc. */
char *tgsi_text_accum_take(struct tgsi_text_accum *acc, uint32_t *len);
/* Drops any partial text. */
void tgsi_text_accum_reset(struct tgsi_text_accum *acc);

#endif /* VREND_TGSI_IR_H */
