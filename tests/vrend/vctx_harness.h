/* SPDX-License-Identifier: MIT */
/*
 * A harness for Check tests of vrend's command handlers: a renderer whose GL
 * backend is vrend (static core + vrend, live host GL), virgl contexts on
 * capset VIRGL2, resources with guest backing, a tiny command encoder,
 * submits, and pixel readback through a transfer to the guest backing.
 *
 *   struct vh *h = vh_create();
 *   vh_ctx_create(h, 1);
 *   vh_texture_2d(h, 10, VH_FMT_B8G8R8A8_UNORM, 64, 64, VGN_BIND_RENDER_TARGET);
 *   vh_attach(h, 1, 10);
 *   struct vh_cb cb; vh_cb_init(&cb);
 *   vh_create_surface(&cb, 1, 10, VH_FMT_B8G8R8A8_UNORM, 0, 0, 0);
 *   vh_set_framebuffer(&cb, 1, (uint32_t[]){1}, 0);
 *   vh_clear_color(&cb, 0.0f, 1.0f, 0.0f, 1.0f);
 *   ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
 *   uint32_t px[64 * 64]; vh_read(h, 10, 0, 0, 0, 64, 64, px);
 *   vh_cb_fini(&cb); vh_destroy(h);
 *
 * Every function asserts its own success (ck_assert) except the ones returning
 * an int, which return the library's error so tests can check refusals.
 */
#ifndef VCTX_HARNESS_H
#define VCTX_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virgl-next/virgl_next.h"

struct vrend_decoder;

/* A few virgl format numbers (virgl-protocol.md §13). */
#define VH_FMT_B8G8R8A8_UNORM 1u
#define VH_FMT_B8G8R8X8_UNORM 2u
#define VH_FMT_Z24X8_UNORM 21u
#define VH_FMT_R32G32B32A32_FLOAT 31u
#define VH_FMT_R8G8B8A8_UNORM 67u

#define VH_MAX_RES 64
#define VH_LOG_SIZE 65536

struct vh_res {
	uint32_t id;
	void *mem; /* guest backing, tight layout of every level */
	size_t size;
	uint32_t width, height, bpp; /* level 0, bytes per texel (1 for buffers) */
};

struct vh {
	vgn_renderer *r;
	struct vh_res res[VH_MAX_RES];
	char log[VH_LOG_SIZE]; /* everything the renderer logged (DEBUG and up) */
	size_t log_len;
	/* Last context_fatal event (after vh_poll). */
	uint32_t fatal_ctx;
	int fatal_err;
	char fatal_reason[256];
	uint32_t fatal_count;
};

/* Renderer with the GL backend (asserts it started) on surfaceless EGL. */
struct vh *vh_create(void);
/* The same on a GLES 3.x host context (vgn_renderer_params.gl_use_gles). */
struct vh *vh_create_gles(void);
/* A renderer whose max_shader_bytes is set (0 = default). */
struct vh *vh_create_limited(uint32_t max_shader_bytes);
void vh_destroy(struct vh *h);
/* Delivers pending events (fences, fatal errors) into h. */
void vh_poll(struct vh *h);
bool vh_log_has(const struct vh *h, const char *needle);

/* A context on capset VIRGL2. 0 or the library's error. */
int vh_ctx_create(struct vh *h, uint32_t ctx_id);
void vh_ctx_destroy(struct vh *h, uint32_t ctx_id);
/* The context's decoder (internal: stats, current sub-context). */
struct vrend_decoder *vh_decoder(struct vh *h, uint32_t ctx_id);

/* Resources with zeroed guest backing of the tight layout. 0 or error. */
int vh_texture_2d(struct vh *h, uint32_t id, uint32_t format, uint32_t width, uint32_t height,
                  uint32_t bind);
int vh_buffer(struct vh *h, uint32_t id, uint32_t size, uint32_t bind);
int vh_resource(struct vh *h, uint32_t id, const struct vgn_resource_create_params *p,
                size_t backing_size, uint32_t bpp);
void vh_unref(struct vh *h, uint32_t id);
void vh_attach(struct vh *h, uint32_t ctx_id, uint32_t res_id);
/* The guest backing of a resource. */
void *vh_backing(struct vh *h, uint32_t id);
/* Uploads the whole level-0 backing (buffers: the first w bytes). */
int vh_upload(struct vh *h, uint32_t id, const void *data, size_t size);
/* Reads the box (level 0, layer 0) back into out (w * h * bpp bytes, tight). */
int vh_read(struct vh *h, uint32_t id, uint32_t x, uint32_t y, uint32_t w, uint32_t hgt, void *out);

/* ---- a tiny command encoder ---- */
struct vh_cb {
	uint32_t *dw;
	size_t n, cap;
};
void vh_cb_init(struct vh_cb *cb);
void vh_cb_fini(struct vh_cb *cb);
void vh_cb_reset(struct vh_cb *cb);
void vh_dw(struct vh_cb *cb, uint32_t v);
void vh_f32(struct vh_cb *cb, float v);
/* Header: command id, object type, payload length in dwords. */
void vh_cmd(struct vh_cb *cb, uint32_t cmd, uint32_t obj, uint32_t len);
/* Submits the buffer on ctx_id: 0 or the error (the context is then dead). */
int vh_submit(struct vh *h, uint32_t ctx_id, const struct vh_cb *cb);

/* Common commands (virgl-protocol.md §3/§4 payloads). */
void vh_create_sub_ctx(struct vh_cb *cb, uint32_t id);
void vh_set_sub_ctx(struct vh_cb *cb, uint32_t id);
void vh_destroy_sub_ctx(struct vh_cb *cb, uint32_t id);
void vh_create_surface(struct vh_cb *cb, uint32_t handle, uint32_t res, uint32_t format,
                       uint32_t level, uint32_t first_layer, uint32_t last_layer);
void vh_set_framebuffer(struct vh_cb *cb, uint32_t nr_cbufs, const uint32_t *cbufs, uint32_t zsurf);
/* PIPE_CLEAR_COLOR0 with an RGBA float colour. */
void vh_clear_color(struct vh_cb *cb, float r, float g, float b, float a);
void vh_clear(struct vh_cb *cb, uint32_t buffers, const float rgba[4], double depth,
              uint32_t stencil);
/* CREATE_OBJECT(SHADER) from TGSI text (one packet, no stream output). */
void vh_create_shader(struct vh_cb *cb, uint32_t handle, uint32_t stage, const char *tgsi);
void vh_bind_shader(struct vh_cb *cb, uint32_t handle, uint32_t stage);
void vh_destroy_object(struct vh_cb *cb, uint32_t type, uint32_t handle);
void vh_set_viewport(struct vh_cb *cb, float w, float h);
/* Non-indexed DRAW_VBO (len 12). */
void vh_draw(struct vh_cb *cb, uint32_t mode, uint32_t start, uint32_t count);

#endif /* VCTX_HARNESS_H */
