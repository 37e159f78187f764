/* SPDX-License-Identifier: MIT */
/*
 * Private to shader.c, program.c and bindings.c: shader objects, the
 * per-sub-context shader state (bound shaders, split-text accumulators,
 * constant / uniform / shader buffers, images, atomics, tessellation levels)
 * and the program cache.
 */
#ifndef VREND_SHADER_INTERNAL_H
#define VREND_SHADER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "glsl_emit.h"
#include "tgsi_ir.h"
#include "vctx.h"

struct vgn_resource;

#define VREND_SHADER_MAX_TEXT                                                                      \
	(1u << 20) /* bytes of TGSI text incl. the NUL, without a renderer                         \
	            */
#define VREND_SHADER_MAX_SO 64u
#define VREND_SHADER_MAX_SHARED_MEM 65536u
/* SET_CONSTANT_BUFFER slot 0: 4096 vec4 per stage (caps max_const_buffer_size 64 KiB). */
#define VREND_CONST0_MAX_DWORDS (4096u * 4u)
#define VREND_MAX_UBO 32u /* slots 0..31; 0 is the inline default block */
#define VREND_MAX_SSBO 32u
#define VREND_MAX_IMAGES 32u
#define VREND_MAX_ATOMIC 32u
#define VREND_MAX_SAMPLERS 128u /* sampler views per stage on the wire */
/* All loops of one shader invocation together stop after this many
 * iterations, so a hostile infinite (or nested) loop cannot hang the host
 * rasterizer forever. */
#define VREND_LOOP_BUDGET 65536u
#define VREND_PROGRAM_CACHE_MAX 128u

/* A CREATE_OBJECT(SHADER) object: the parsed IR; GLSL variants are emitted per
 * program key in program.c. */
struct vrend_shader {
	struct vrend_object base;
	uint32_t stage;  /* enum vrend_wire_stage */
	uint64_t serial; /* unique per sub-context: program cache key */
	struct tgsi_shader *ir;
	struct glsl_so_output so[VREND_SHADER_MAX_SO];
	uint32_t num_so;
	uint32_t so_stride[4]; /* dwords */
	uint32_t shared_mem;   /* compute: requested shared memory bytes (0 = default) */
	bool fs_writes_all_cbufs;
	bool has_clipdist; /* writes CLIPDIST outputs itself */
};

/* What the first packet of a split shader said besides the text. */
struct vrend_shader_pending {
	struct glsl_so_output so[VREND_SHADER_MAX_SO];
	uint32_t num_so;
	uint32_t so_stride[4];
	uint32_t shared_mem;
};

/* A buffer range bound by SET_UNIFORM_BUFFER / SET_SHADER_BUFFERS / SET_ATOMIC_BUFFERS. */
struct vrend_buffer_binding {
	struct vgn_resource *res; /* referenced; NULL = unbound */
	uint32_t gl_name;
	uint32_t offset, size;
};

/* A SET_SHADER_IMAGES slot. */
struct vrend_image_binding {
	struct vgn_resource *res; /* referenced; NULL = unbound */
	uint32_t gl_name, gl_target;
	bool is_buffer;
	uint32_t vfmt, access;
	uint32_t first_layer, last_layer, level;
	uint32_t offset, size; /* buffers */
	uint32_t buf_tex;      /* buffers: texture-buffer view made for glBindImageTexture */
	bool buf_tex_valid;
};

struct vrend_stage_bindings {
	uint32_t *const0; /* SET_CONSTANT_BUFFER slot 0 dwords */
	uint32_t const0_dwords;
	uint64_t const0_gen; /* bumped on every change; 0 = never set */
	struct vrend_buffer_binding ubo[VREND_MAX_UBO];
	struct vrend_buffer_binding ssbo[VREND_MAX_SSBO];
	struct vrend_image_binding image[VREND_MAX_IMAGES];
};

struct vrend_program;

struct vrend_shaders {
	/* struct vrend_shader, referenced via vrend_obj_assign */
	struct vrend_object *bound[VREND_STAGE_COUNT];
	struct tgsi_text_accum accum[VREND_STAGE_COUNT];
	struct vrend_shader_pending pending[VREND_STAGE_COUNT];
	uint64_t next_serial;
	uint32_t max_text; /* bytes of TGSI text per shader (renderer's max_shader_bytes) */

	struct vrend_stage_bindings stage[VREND_STAGE_COUNT];
	struct vrend_buffer_binding atomic[VREND_MAX_ATOMIC];
	float tess_outer[4], tess_inner[2];

	/* Program cache (program.c). */
	struct vrend_program **progs;
	uint32_t num_progs;
	uint64_t use_clock;
	struct vrend_program *last;

	/* Host limits read once (program.c). */
	bool limits_read;
	uint32_t glsl_version;
	bool host_llvmpipe; /* work around its linear fast path (glsl_emit.h) */
	int32_t max_texture_units, max_ubo_bindings, max_ssbo_bindings, max_image_units;
	int32_t max_atomic_bindings;
	int32_t ubo_align, ssbo_align;
};

static inline struct vrend_shader *vrend_shader_bound_at(struct vrend_shaders *ss, uint32_t stage)
{
	return (struct vrend_shader *)ss->bound[stage];
}

/* program.c */
void vrend_programs_fini(struct vrend_sub *sub);
/* Drops every cached program built from the shader of that serial. */
void vrend_programs_forget_shader(struct vrend_sub *sub, uint64_t serial);

/* bindings.c */
void vrend_bindings_fini(struct vrend_sub *sub);
/* Binds the resources of stage for a program whose bindings of that stage
 * start at the given bases (units / binding points). */
struct vrend_prog_stage;
void vrend_bindings_apply(struct vrend_sub *sub, uint32_t stage, const struct vrend_prog_stage *ps);
void vrend_bindings_apply_atomics(struct vrend_sub *sub);

/* Samplers whose view swizzle a shadow lookup applies (the advertised
 * per-stage sampler limit); higher ones return the bare comparison. */
#define VREND_SHADOW_SWIZZLES 32

/* What a linked program needs per stage to bind its resources. */
struct vrend_prog_stage {
	bool present;
	int32_t const0_loc;
	uint32_t const0_size; /* vec4 declared */
	uint64_t const0_gen;  /* generation uploaded into this program */
	uint32_t num_samplers, sampler_base;
	uint64_t sampler_used[2]; /* samp<i> active in the program */
	/* shadswz<i> of shadow samplers below VREND_SHADOW_SWIZZLES, else -1 */
	int32_t shadow_swz_loc[VREND_SHADOW_SWIZZLES];
	uint32_t num_ubos, ubo_base;       /* slots 1..num_ubos at ubo_base + slot - 1 */
	uint32_t ubo_bytes[VREND_MAX_UBO]; /* declared block size per slot; 0 = unused */
	uint32_t num_ssbos, ssbo_base;
	uint32_t num_images, image_base;
};

#endif /* VREND_SHADER_INTERNAL_H */
