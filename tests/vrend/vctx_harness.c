/* SPDX-License-Identifier: MIT */
#include "vctx_harness.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "backend.h"
#include "context.h"
#include "protocol.h"
#include "renderer.h"
#include "vctx.h"

/* The core references the vrend factory weakly; a static link only pulls it in
 * when something references it strongly. */
typedef int (*vh_factory)(vgn_renderer *, const struct vgn_renderer_params *,
                          struct vgn_backend **);
vh_factory volatile vh_force_vrend_link = vgn_vrend_backend_create;

static void on_log(void *user_data, enum vgn_log_level level, const char *msg)
{
	struct vh *h = user_data;
	int n;

	(void)level;
	if (h->log_len >= sizeof(h->log) - 1)
		return;
	n = snprintf(h->log + h->log_len, sizeof(h->log) - h->log_len, "%s\n", msg);
	if (n > 0)
		h->log_len += (size_t)n < sizeof(h->log) - h->log_len
		                  ? (size_t)n
		                  : sizeof(h->log) - 1 - h->log_len;
}

static void on_fatal(void *user_data, uint32_t ctx_id, int error, const char *reason)
{
	struct vh *h = user_data;

	h->fatal_ctx = ctx_id;
	h->fatal_err = error;
	h->fatal_count++;
	snprintf(h->fatal_reason, sizeof(h->fatal_reason), "%s", reason ? reason : "");
}

static struct vh *create(bool gles, uint32_t max_shader_bytes)
{
	struct vh *h = calloc(1, sizeof(*h));
	struct vgn_features f = {.size = sizeof(f)};

	ck_assert_ptr_nonnull(h);
	struct vgn_renderer_params p = {
	    .size = sizeof(p),
	    .backends = VGN_BACKEND_GL | VGN_BACKEND_CPU2D,
	    .log_level = VGN_LOG_DEBUG,
	    .callbacks = {.size = sizeof(struct vgn_callbacks),
	                  .user_data = h,
	                  .log = on_log,
	                  .context_fatal = on_fatal},
	    .gl_platform = VGN_GL_PLATFORM_SURFACELESS,
	    .gl_use_gles = gles,
	    .max_shader_bytes = max_shader_bytes,
	};
	int ret = vgn_renderer_create(&p, &h->r);
	ck_assert_msg(ret == 0, "renderer with vrend: %d\n%s", ret, h->log);
	ck_assert_int_eq(vgn_renderer_get_features(h->r, &f), 0);
	ck_assert(f.backends & VGN_BACKEND_GL);
	return h;
}

struct vh *vh_create(void)
{
	return create(false, 0);
}

struct vh *vh_create_gles(void)
{
	return create(true, 0);
}

struct vh *vh_create_limited(uint32_t max_shader_bytes)
{
	return create(false, max_shader_bytes);
}

void vh_destroy(struct vh *h)
{
	if (!h)
		return;
	vgn_renderer_destroy(h->r);
	for (int i = 0; i < VH_MAX_RES; i++)
		free(h->res[i].mem);
	free(h);
}

void vh_poll(struct vh *h)
{
	vgn_renderer_poll(h->r);
}

bool vh_log_has(const struct vh *h, const char *needle)
{
	return strstr(h->log, needle) != NULL;
}

int vh_ctx_create(struct vh *h, uint32_t ctx_id)
{
	struct vgn_context_params p = {
	    .size = sizeof(p), .capset_id = VGN_CAPSET_VIRGL2, .debug_name = "vh"};

	return vgn_context_create(h->r, ctx_id, &p);
}

void vh_ctx_destroy(struct vh *h, uint32_t ctx_id)
{
	ck_assert_int_eq(vgn_context_destroy(h->r, ctx_id), 0);
}

struct vrend_decoder *vh_decoder(struct vh *h, uint32_t ctx_id)
{
	struct vgn_context *ctx;
	struct vrend_ctx *vc;

	ck_assert_int_eq(vgn_context_acquire(h->r, ctx_id, true, &ctx), 0);
	vc = ctx->backend_data;
	vgn_context_release(ctx);
	ck_assert_ptr_nonnull(vc);
	return vc->dec;
}

static struct vh_res *slot(struct vh *h, uint32_t id, bool create)
{
	for (int i = 0; i < VH_MAX_RES; i++) {
		if (h->res[i].id == id)
			return &h->res[i];
	}
	if (!create)
		return NULL;
	for (int i = 0; i < VH_MAX_RES; i++) {
		if (!h->res[i].id)
			return &h->res[i];
	}
	ck_abort_msg("harness: more than %d resources", VH_MAX_RES);
	return NULL;
}

int vh_resource(struct vh *h, uint32_t id, const struct vgn_resource_create_params *p,
                size_t backing_size, uint32_t bpp)
{
	struct vh_res *s = slot(h, id, true);
	int ret = vgn_resource_create(h->r, id, p);

	if (ret)
		return ret;
	s->id = id;
	s->mem = calloc(1, backing_size);
	ck_assert_ptr_nonnull(s->mem);
	s->size = backing_size;
	s->width = p->width;
	s->height = p->height;
	s->bpp = bpp;
	struct iovec iov = {.iov_base = s->mem, .iov_len = backing_size};
	struct vgn_backing b = {.size = sizeof(b), .iov = &iov, .num_iovs = 1, .dmabuf_fd = -1};
	ret = vgn_resource_attach_backing(h->r, id, &b);
	ck_assert_int_eq(ret, 0);
	return 0;
}

int vh_texture_2d(struct vh *h, uint32_t id, uint32_t format, uint32_t width, uint32_t height,
                  uint32_t bind)
{
	uint32_t bpp = format == VH_FMT_R32G32B32A32_FLOAT ? 16 : 4;
	struct vgn_resource_create_params p = {
	    .size = sizeof(p),
	    .target = VGN_TARGET_2D,
	    .format = format,
	    .bind = bind,
	    .width = width,
	    .height = height,
	    .depth = 1,
	    .array_size = 1,
	};
	return vh_resource(h, id, &p, (size_t)width * height * bpp, bpp);
}

int vh_buffer(struct vh *h, uint32_t id, uint32_t size, uint32_t bind)
{
	struct vgn_resource_create_params p = {
	    .size = sizeof(p),
	    .target = VGN_TARGET_BUFFER,
	    .format = 64, /* R8_UNORM, what Mesa uses for buffers */
	    .bind = bind,
	    .width = size,
	    .height = 1,
	    .depth = 1,
	    .array_size = 1,
	};
	return vh_resource(h, id, &p, size, 1);
}

void vh_unref(struct vh *h, uint32_t id)
{
	struct vh_res *s = slot(h, id, false);

	ck_assert_int_eq(vgn_resource_unref(h->r, id), 0);
	if (s) {
		free(s->mem);
		memset(s, 0, sizeof(*s));
	}
}

void vh_attach(struct vh *h, uint32_t ctx_id, uint32_t res_id)
{
	ck_assert_int_eq(vgn_context_attach_resource(h->r, ctx_id, res_id), 0);
}

void *vh_backing(struct vh *h, uint32_t id)
{
	struct vh_res *s = slot(h, id, false);

	ck_assert_ptr_nonnull(s);
	return s->mem;
}

int vh_upload(struct vh *h, uint32_t id, const void *data, size_t size)
{
	struct vh_res *s = slot(h, id, false);

	ck_assert_ptr_nonnull(s);
	ck_assert_uint_le(size, s->size);
	memcpy(s->mem, data, size);
	struct iovec iov = {.iov_base = s->mem, .iov_len = s->size};
	struct vgn_transfer t = {
	    .size = sizeof(t),
	    .box = {0, 0, 0, s->width, s->height, 1},
	    .iov = &iov,
	    .num_iovs = 1,
	};
	return vgn_resource_transfer_to_host(h->r, id, &t);
}

int vh_read(struct vh *h, uint32_t id, uint32_t x, uint32_t y, uint32_t w, uint32_t hgt, void *out)
{
	struct vh_res *s = slot(h, id, false);
	uint64_t stride;
	int ret;

	ck_assert_ptr_nonnull(s);
	stride = (uint64_t)s->width * s->bpp;
	struct iovec iov = {.iov_base = s->mem, .iov_len = s->size};
	struct vgn_transfer t = {
	    .size = sizeof(t),
	    .stride = (uint32_t)stride,
	    .box = {x, y, 0, w, hgt, 1},
	    .offset = y * stride + (uint64_t)x * s->bpp,
	    .iov = &iov,
	    .num_iovs = 1,
	};
	ret = vgn_resource_transfer_from_host(h->r, id, &t);
	if (ret)
		return ret;
	for (uint32_t row = 0; row < hgt; row++)
		memcpy((char *)out + (size_t)row * w * s->bpp,
		       (char *)s->mem + (y + row) * stride + (uint64_t)x * s->bpp,
		       (size_t)w * s->bpp);
	return 0;
}

/* ---- encoder ---- */

void vh_cb_init(struct vh_cb *cb)
{
	memset(cb, 0, sizeof(*cb));
}

void vh_cb_fini(struct vh_cb *cb)
{
	free(cb->dw);
	memset(cb, 0, sizeof(*cb));
}

void vh_cb_reset(struct vh_cb *cb)
{
	cb->n = 0;
}

void vh_dw(struct vh_cb *cb, uint32_t v)
{
	if (cb->n == cb->cap) {
		cb->cap = cb->cap ? cb->cap * 2 : 256;
		cb->dw = realloc(cb->dw, cb->cap * sizeof(*cb->dw));
		ck_assert_ptr_nonnull(cb->dw);
	}
	cb->dw[cb->n++] = v;
}

void vh_f32(struct vh_cb *cb, float v)
{
	uint32_t u;

	memcpy(&u, &v, sizeof(u));
	vh_dw(cb, u);
}

void vh_cmd(struct vh_cb *cb, uint32_t cmd, uint32_t obj, uint32_t len)
{
	vh_dw(cb, VREND_HDR(cmd, obj, len));
}

int vh_submit(struct vh *h, uint32_t ctx_id, const struct vh_cb *cb)
{
	return vgn_context_submit(h->r, ctx_id, cb->dw, cb->n * sizeof(uint32_t));
}

void vh_create_sub_ctx(struct vh_cb *cb, uint32_t id)
{
	vh_cmd(cb, VREND_CCMD_CREATE_SUB_CTX, 0, 1);
	vh_dw(cb, id);
}

void vh_set_sub_ctx(struct vh_cb *cb, uint32_t id)
{
	vh_cmd(cb, VREND_CCMD_SET_SUB_CTX, 0, 1);
	vh_dw(cb, id);
}

void vh_destroy_sub_ctx(struct vh_cb *cb, uint32_t id)
{
	vh_cmd(cb, VREND_CCMD_DESTROY_SUB_CTX, 0, 1);
	vh_dw(cb, id);
}

void vh_create_surface(struct vh_cb *cb, uint32_t handle, uint32_t res, uint32_t format,
                       uint32_t level, uint32_t first_layer, uint32_t last_layer)
{
	vh_cmd(cb, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_SURFACE, 5);
	vh_dw(cb, handle);
	vh_dw(cb, res);
	vh_dw(cb, format);
	vh_dw(cb, level);
	vh_dw(cb, first_layer | last_layer << 16);
}

void vh_set_framebuffer(struct vh_cb *cb, uint32_t nr_cbufs, const uint32_t *cbufs, uint32_t zsurf)
{
	vh_cmd(cb, VREND_CCMD_SET_FRAMEBUFFER_STATE, 0, 2 + nr_cbufs);
	vh_dw(cb, nr_cbufs);
	vh_dw(cb, zsurf);
	for (uint32_t i = 0; i < nr_cbufs; i++)
		vh_dw(cb, cbufs[i]);
}

void vh_clear(struct vh_cb *cb, uint32_t buffers, const float rgba[4], double depth,
              uint32_t stencil)
{
	uint64_t d;

	memcpy(&d, &depth, sizeof(d));
	vh_cmd(cb, VREND_CCMD_CLEAR, 0, 8);
	vh_dw(cb, buffers);
	for (int i = 0; i < 4; i++)
		vh_f32(cb, rgba[i]);
	vh_dw(cb, (uint32_t)d);
	vh_dw(cb, (uint32_t)(d >> 32));
	vh_dw(cb, stencil);
}

void vh_clear_color(struct vh_cb *cb, float r, float g, float b, float a)
{
	const float rgba[4] = {r, g, b, a};

	vh_clear(cb, 1u << 2 /* PIPE_CLEAR_COLOR0 */, rgba, 1.0, 0);
}

void vh_create_shader(struct vh_cb *cb, uint32_t handle, uint32_t stage, const char *tgsi)
{
	size_t bytes = strlen(tgsi) + 1, words = (bytes + 3) / 4;
	uint32_t w;

	ck_assert_uint_lt(words, 60000);
	vh_cmd(cb, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_SHADER, (uint32_t)(5 + words));
	vh_dw(cb, handle);
	vh_dw(cb, stage);
	vh_dw(cb, (uint32_t)bytes);
	vh_dw(cb, 300); /* num_tokens: a hint */
	vh_dw(cb, 0);   /* no stream output */
	for (size_t i = 0; i < words; i++) {
		w = 0;
		memcpy(&w, tgsi + i * 4, bytes - i * 4 < 4 ? bytes - i * 4 : 4);
		vh_dw(cb, w);
	}
}

void vh_bind_shader(struct vh_cb *cb, uint32_t handle, uint32_t stage)
{
	vh_cmd(cb, VREND_CCMD_BIND_SHADER, 0, 2);
	vh_dw(cb, handle);
	vh_dw(cb, stage);
}

void vh_destroy_object(struct vh_cb *cb, uint32_t type, uint32_t handle)
{
	vh_cmd(cb, VREND_CCMD_DESTROY_OBJECT, type, 1);
	vh_dw(cb, handle);
}

void vh_set_viewport(struct vh_cb *cb, float w, float h)
{
	vh_cmd(cb, VREND_CCMD_SET_VIEWPORT_STATE, 0, 7);
	vh_dw(cb, 0);
	vh_f32(cb, w / 2);
	vh_f32(cb, h / 2);
	vh_f32(cb, 0.5f);
	vh_f32(cb, w / 2);
	vh_f32(cb, h / 2);
	vh_f32(cb, 0.5f);
}

void vh_draw(struct vh_cb *cb, uint32_t mode, uint32_t start, uint32_t count)
{
	vh_cmd(cb, VREND_CCMD_DRAW_VBO, 0, 12);
	vh_dw(cb, start);
	vh_dw(cb, count);
	vh_dw(cb, mode);
	vh_dw(cb, 0);                 /* indexed */
	vh_dw(cb, 1);                 /* instance count */
	vh_dw(cb, 0);                 /* index bias */
	vh_dw(cb, 0);                 /* start instance */
	vh_dw(cb, 0);                 /* primitive restart */
	vh_dw(cb, 0);                 /* restart index */
	vh_dw(cb, start);             /* min index */
	vh_dw(cb, start + count - 1); /* max index */
	vh_dw(cb, 0);                 /* count from stream output */
}
