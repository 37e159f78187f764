/* SPDX-License-Identifier: MIT */
/*
 * The rendering side of vrend: one struct vrend_ctx per virgl context, one
 * struct vrend_sub per guest sub-context (a Gallium pipe_context) with its own
 * host GL context and object table.
 *
 * Data path: core context_submit -> vrend_ctx_submit (ctx.c: GL section) ->
 * vrend_decode (decode.c: lengths) -> a handler from decode_table.c ->
 * the handler's area file -> GL.
 *
 * Areas, one owner file (or a few) each; the others use only what is declared
 * here:
 *   ctx.c, backend.c       wiring: backend ops, capsets, contexts, GL sections,
 *                          resource lookup
 *   objects.c              the per-sub-context handle table, CREATE/BIND/DESTROY_OBJECT
 *   state*.c, sampler.c,   blend / DSA / rasterizer / vertex elements / sampler
 *   vertex_elements.c      states, the SET_* state commands, vrend_state_emit()
 *   shader.c, program.c,   shaders (TGSI -> GLSL), program cache, constant /
 *   bindings.c             uniform / shader buffers, images, atomics
 *   surface.c, framebuffer.c, clear_blit.c, copy.c, xfer.c, query.c
 *                          sampler views, surfaces, framebuffers, clears, blits,
 *                          copies, in-stream transfers, queries
 *   draw.c, vertex.c,      vertex / index buffers, draws, compute dispatch,
 *   streamout.c, compute.c stream output, barriers
 *
 * Threading: every handler runs inside a GL section (ctx.c) with the instance
 * lock held and the current sub-context's GL context current on the thread.
 */
#ifndef VREND_VCTX_H
#define VREND_VCTX_H

#include <stdbool.h>
#include <stdint.h>

#include "caps.h"
#include "decode.h"
#include "formats.h"
#include "platform.h"
#include "protocol.h"
#include "res_gl.h"
#include "vrend_log.h"

struct vgn_context;
struct vgn_resource;
struct vrend_backend;
struct vrend_ctx;
struct vrend_sub;

/* Handler return value meaning "valid, not implemented: skip and log once"
 * (decode.c). Only for area stubs that are still being written. */
#define VREND_CMD_UNIMPLEMENTED 1

/* ---- objects.c: refcounted objects in a per-sub-context handle table ---- */

/* Embedded first in every object struct. Bindings hold references, so an
 * object destroyed by the guest while bound lives until it is unbound. */
struct vrend_object {
	uint32_t refs;
	uint8_t type; /* enum vrend_object_type */
	uint32_t handle;
	/* Frees the object (GL names, resource references, memory). Runs inside a
	 * GL section of the owning sub-context. */
	void (*destroy)(struct vrend_sub *sub, struct vrend_object *obj);
};

struct vrend_object_table {
	struct vrend_object **slots; /* open addressing on handle */
	uint32_t cap, count;
	uint32_t max; /* live objects limit */
};

/* Inserts a new object (refs must be 1: the table's reference). Handle 0 or
 * a handle in use: -EINVAL; a full table (max_objects_per_context): -ENOSPC.
 * The caller destroys obj and fails the command. */
int vrend_obj_insert(struct vrend_sub *sub, struct vrend_object *obj);
/* The object of that handle and type (no new reference), or NULL. */
struct vrend_object *vrend_obj_lookup(struct vrend_sub *sub, uint32_t handle, uint8_t type);
void vrend_obj_ref(struct vrend_object *obj);
/* Drops a reference (NULL allowed); the last one destroys. */
void vrend_obj_unref(struct vrend_sub *sub, struct vrend_object *obj);
/* Drops the table's reference on every object (sub-context teardown). */
void vrend_obj_table_fini(struct vrend_sub *sub);
/* Replaces *slot with obj (taking a reference on obj, dropping the old one). */
void vrend_obj_assign(struct vrend_sub *sub, struct vrend_object **slot, struct vrend_object *obj);

/* ---- Shader key: what a program variant depends on besides its shaders ---- */
struct vrend_shader_key {
	/* rasterizer (state.c) */
	bool flatshade;
	bool light_twoside;
	uint8_t clip_plane_mask; /* user clip planes enabled */
	/* framebuffer (framebuffer.c) */
	uint8_t nr_cbufs;
	uint8_t cbuf_int_mask, cbuf_uint_mask;
	/* vertex elements (vertex_elements.c) */
	uint32_t attrib_int_mask, attrib_uint_mask;
	/* sampler states (sampler.c): GL_CLAMP with linear filtering, per stage and
	 * coordinate (s, t, r), bit i = sampler i (below 32) */
	uint32_t gl_clamp[VREND_STAGE_COUNT][3];
};

/* ---- A sub-context ---- */
struct vrend_sub {
	struct vrend_ctx *ctx;
	struct vrend_sub_ctx *dsub; /* the decoder's; dsub->priv == this */
	struct vrend_gl_context *gl;
	struct vrend_object_table objects;

	/* Area state, each owned by its files (allocated by their *_init). */
	struct vrend_state *state;     /* state*.c, sampler.c, vertex_elements.c */
	struct vrend_shaders *shaders; /* shader.c, program.c, bindings.c */
	struct vrend_fb *fb;           /* surface.c, framebuffer.c, clear_blit.c, copy.c, query.c */
	struct vrend_draw *draw;       /* draw.c, vertex.c, streamout.c, compute.c */
};

/* ---- A virgl context ---- */
struct vrend_ctx {
	struct vrend_backend *vb;
	struct vgn_context *core; /* valid during context ops (ctx->lock held) */
	struct vrend_decoder *dec;
	uint32_t ctx_id;
	struct vrend_sub *current_gl; /* whose GL context is current in this section */
	struct vrend_blob_ctx *blob;  /* blob.c: pending PIPE_RESOURCE_CREATE descriptions */
};

/* The current sub-context of the decoder with its GL context made current on
 * the thread (switching if SET_SUB_CTX moved it). NULL only on a GL failure,
 * which the caller turns into a context error. */
struct vrend_sub *vrend_sub_current(struct vrend_decoder *dec);
struct vrend_ctx *vrend_ctx_of(struct vrend_decoder *dec);

/* A resource attached to the context by handle, with a new reference
 * (vgn_resource_put it). -EINVAL (logged by the caller) when the handle is not
 * attached or the resource is not a vrend GL resource. *vr may be NULL. */
int vrend_ctx_get_resource(struct vrend_ctx *ctx, uint32_t handle, struct vgn_resource **res,
                           struct vrend_resource **vr);
/* The instance's resource state (for in-stream transfers: res_gl.h). */
struct vrend_res_state *vrend_ctx_res_state(struct vrend_ctx *ctx);
const struct vrend_gl_info *vrend_ctx_gl_info(struct vrend_ctx *ctx);
/* draw.c: GL feature checks against the sub-context's GL, from the cached
 * gl_info (epoxy's own checks query EGL and parse strings on every call). */
bool vrend_draw_gl_ge(struct vrend_sub *sub, uint32_t gl, uint32_t gles);
bool vrend_draw_gl_has_ext(struct vrend_sub *sub, const char *ext);
bool vrend_sub_gles(struct vrend_sub *sub);
const struct vrend_format_caps *vrend_ctx_format_caps(struct vrend_ctx *ctx);
const struct vrend_logger *vrend_ctx_logger(struct vrend_ctx *ctx);

/* ---- Area lifecycles (called by ctx.c in this order; fini in reverse).
 * Each allocates its sub->X; fini frees it after the object table is gone. */
int vrend_state_init(struct vrend_sub *sub);
void vrend_state_fini(struct vrend_sub *sub);
int vrend_shaders_init(struct vrend_sub *sub);
void vrend_shaders_fini(struct vrend_sub *sub);
int vrend_fb_init(struct vrend_sub *sub);
void vrend_fb_fini(struct vrend_sub *sub);
int vrend_draw_init(struct vrend_sub *sub);
void vrend_draw_fini(struct vrend_sub *sub);

/* ---- Cross-area calls used by draws ---- */

/* state.c: applies blend, DSA, rasterizer, viewports, scissors, stencil ref,
 * blend colour, sample mask, polygon stipple, min samples to GL (cached: only
 * what changed). flip_y: the framebuffer is drawn upside down by the
 * rasterizer (sets front face etc. accordingly). */
int vrend_state_emit(struct vrend_sub *sub);
/* state.c / vertex_elements.c: fills the rasterizer and vertex-element parts. */
void vrend_state_fill_key(struct vrend_sub *sub, struct vrend_shader_key *key);
/* sampler.c: the samplers of a stage whose coordinate k (s, t, r) the shader
 * must clamp to [0, 1] (GL_CLAMP, emulated with a border wrap). */
void vrend_state_gl_clamp(struct vrend_sub *sub, uint32_t stage, uint32_t out[3]);
/* state.c: the viewport y direction the last vertex stage must apply
 * (uniform winsys_adjust_y): 1.0 or -1.0. */
float vrend_state_winsys_adjust_y(struct vrend_sub *sub);
/* state.c: user clip planes (SET_CLIP_STATE), 8 x vec4. */
const float *vrend_state_clip_planes(struct vrend_sub *sub);
/* sampler.c: GL sampler object bound at (stage, slot), 0 if none. */
uint32_t vrend_state_sampler(struct vrend_sub *sub, uint32_t stage, uint32_t slot);

/* sampler.c: the GL sampler at (stage, slot) for a view of virgl format
 * vfmt (0 if none bound): its border colour set as integers for integer
 * formats and moved to the GL channels an emulated format (alpha, luminance,
 * intensity, ...) samples, since GL swizzles the border colour too. */
uint32_t vrend_state_sampler_for_view(struct vrend_sub *sub, uint32_t stage, uint32_t slot,
                                      uint32_t vfmt);
/* state.c: another area changed GL state this file owns (clears, blits):
 * the next vrend_state_emit() re-applies everything. */
void vrend_state_invalidate(struct vrend_sub *sub);
/* state.c: the bound DSA's alpha test (core GL has none: the fragment shader
 * must discard). false when off; *func is PIPE_FUNC_*. */
bool vrend_state_alpha_test(struct vrend_sub *sub, uint32_t *func, float *ref);

/* One vertex element, ready for glVertexAttrib*Format. */
struct vrend_vertex_element {
	uint32_t src_offset;
	uint32_t instance_divisor;
	uint32_t vb_index;
	uint32_t vfmt;    /* virgl format */
	uint32_t gl_type; /* GL_FLOAT, GL_UNSIGNED_BYTE, ... */
	uint32_t size;    /* components 1..4, or GL_BGRA */
	bool normalized;
	bool pure_integer; /* glVertexAttribIFormat */
	bool is_double;    /* glVertexAttribLFormat */
};
/* vertex_elements.c: the bound vertex elements (count 0 when none). */
const struct vrend_vertex_element *vrend_state_vertex_elements(struct vrend_sub *sub,
                                                               uint32_t *count);

/* framebuffer.c: fills nr_cbufs and the integer masks. */
void vrend_fb_fill_key(struct vrend_sub *sub, struct vrend_shader_key *key);
/* framebuffer.c: binds the draw framebuffer for rendering (GL_DRAW_FRAMEBUFFER). */
int vrend_fb_bind(struct vrend_sub *sub);
/* framebuffer.c: the framebuffer height (for the y flip of viewports/scissors). */
uint32_t vrend_fb_height(struct vrend_sub *sub);

/* A bound sampler view as the program binder needs it. */
struct vrend_view_binding {
	uint32_t gl_target; /* GL_TEXTURE_2D, ..., GL_TEXTURE_BUFFER */
	uint32_t gl_name;   /* texture (a view or the resource's own) */
	bool is_int, is_uint, is_depth, is_shadow_compatible;
	uint32_t vfmt;           /* the view's virgl format (for vrend_state_sampler_for_view) */
	uint8_t swizzle[4];      /* the view's swizzle as sent (VREND_SWZ_*, virgl channels) */
	uint32_t gl_shadow_name; /* for shadow lookups when not 0 (identity swizzle) */
};
/* surface.c: the sampler view at (stage, slot), or false when none. */
bool vrend_fb_view(struct vrend_sub *sub, uint32_t stage, uint32_t slot,
                   struct vrend_view_binding *out);

/* program.c: links (or finds in the cache) the program for the bound shaders
 * and key, makes it current and binds its uniforms, samplers + views,
 * constant / uniform / shader buffers, images and atomics. compute: the
 * compute shader alone. -EINVAL: no usable shader bound (the caller skips the
 * draw). */
int vrend_program_use(struct vrend_sub *sub, const struct vrend_shader_key *key, bool compute);
/* shader.c: whether a shader is bound for the stage (enum vrend_wire_stage). */
bool vrend_shader_bound(struct vrend_sub *sub, uint32_t stage);

/* streamout.c: begin/end/pause around a draw (no-ops without targets). */
int vrend_streamout_begin_draw(struct vrend_sub *sub, uint32_t gl_prim);
void vrend_streamout_end_draw(struct vrend_sub *sub);

/* query.c: whether rendering is currently conditional. Decision (lead): query.c
 * keeps glBeginConditionalRender active in GL state from SET_RENDER_CONDITION on
 * (ended on the next SET_RENDER_CONDITION with handle 0 and at fini), so draws,
 * clears and blits honour it without wrapping; blits and clears that must ignore
 * it end/restart it around themselves. */
bool vrend_query_render_condition_active(struct vrend_sub *sub);

/* ---- Command handlers (decode_table.c rows), by owner ---- */
#define VREND_HANDLER(name) int name(struct vrend_decoder *dec, struct vrend_cmd *cmd)

/* objects.c: CREATE_OBJECT / BIND_OBJECT dispatch by object type, DESTROY_OBJECT. */
VREND_HANDLER(vrend_cmd_create_object);
VREND_HANDLER(vrend_cmd_bind_object);
VREND_HANDLER(vrend_cmd_destroy_object);

/* CREATE_OBJECT per type: cmd->obj is the type; payload as in the spec §4. */
VREND_HANDLER(vrend_create_blend);            /* state.c */
VREND_HANDLER(vrend_create_rasterizer);       /* state.c */
VREND_HANDLER(vrend_create_dsa);              /* state.c */
VREND_HANDLER(vrend_create_vertex_elements);  /* vertex_elements.c */
VREND_HANDLER(vrend_create_sampler_state);    /* sampler.c */
VREND_HANDLER(vrend_create_shader);           /* shader.c */
VREND_HANDLER(vrend_create_sampler_view);     /* surface.c */
VREND_HANDLER(vrend_create_surface);          /* surface.c (SURFACE and MSAA_SURFACE) */
VREND_HANDLER(vrend_create_query);            /* query.c */
VREND_HANDLER(vrend_create_streamout_target); /* streamout.c */
/* BIND_OBJECT per type (payload 1 = handle, 0 unbinds). */
VREND_HANDLER(vrend_bind_blend);           /* state.c */
VREND_HANDLER(vrend_bind_rasterizer);      /* state.c */
VREND_HANDLER(vrend_bind_dsa);             /* state.c */
VREND_HANDLER(vrend_bind_vertex_elements); /* vertex_elements.c */

/* state_set.c, sampler.c */
VREND_HANDLER(vrend_cmd_set_viewport_state);
VREND_HANDLER(vrend_cmd_set_stencil_ref);
VREND_HANDLER(vrend_cmd_set_blend_color);
VREND_HANDLER(vrend_cmd_set_scissor_state);
VREND_HANDLER(vrend_cmd_set_polygon_stipple);
VREND_HANDLER(vrend_cmd_set_clip_state);
VREND_HANDLER(vrend_cmd_set_sample_mask);
VREND_HANDLER(vrend_cmd_set_min_samples);
VREND_HANDLER(vrend_cmd_bind_sampler_states); /* sampler.c */

/* shader.c, bindings.c */
VREND_HANDLER(vrend_cmd_bind_shader);
VREND_HANDLER(vrend_cmd_link_shader);
VREND_HANDLER(vrend_cmd_set_constant_buffer);
VREND_HANDLER(vrend_cmd_set_uniform_buffer);
VREND_HANDLER(vrend_cmd_set_shader_buffers);
VREND_HANDLER(vrend_cmd_set_shader_images);
VREND_HANDLER(vrend_cmd_set_atomic_buffers);
VREND_HANDLER(vrend_cmd_set_tess_state);

/* surface.c, framebuffer.c, clear_blit.c, copy.c, xfer.c, query.c */
VREND_HANDLER(vrend_cmd_set_framebuffer_state);
VREND_HANDLER(vrend_cmd_set_framebuffer_state_no_attach);
VREND_HANDLER(vrend_cmd_set_sampler_views);
VREND_HANDLER(vrend_cmd_clear);
VREND_HANDLER(vrend_cmd_clear_texture);
VREND_HANDLER(vrend_cmd_clear_surface);
VREND_HANDLER(vrend_cmd_blit);
VREND_HANDLER(vrend_cmd_resource_copy_region);
VREND_HANDLER(vrend_cmd_resource_inline_write);
VREND_HANDLER(vrend_cmd_transfer3d);
VREND_HANDLER(vrend_cmd_copy_transfer3d);
VREND_HANDLER(vrend_cmd_begin_query);
VREND_HANDLER(vrend_cmd_end_query);
VREND_HANDLER(vrend_cmd_get_query_result);
VREND_HANDLER(vrend_cmd_get_query_result_qbo);
VREND_HANDLER(vrend_cmd_set_render_condition);

/* draw.c, vertex.c, streamout.c, compute.c */
VREND_HANDLER(vrend_cmd_set_vertex_buffers);
VREND_HANDLER(vrend_cmd_set_index_buffer);
VREND_HANDLER(vrend_cmd_draw_vbo);
VREND_HANDLER(vrend_cmd_launch_grid);
VREND_HANDLER(vrend_cmd_set_streamout_targets);
VREND_HANDLER(vrend_cmd_memory_barrier);
VREND_HANDLER(vrend_cmd_texture_barrier);

/* ctx.c */
VREND_HANDLER(vrend_cmd_set_tweaks);
VREND_HANDLER(vrend_cmd_get_memory_info);

#endif /* VREND_VCTX_H */
