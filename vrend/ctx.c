/* SPDX-License-Identifier: MIT */
/*
 * virgl contexts and sub-contexts on the host GL: one decoder per context, one
 * shared GL context + object table + area state per sub-context, GL sections
 * around everything (gl_section.c), sub-context switching, resource lookup.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "backend_internal.h"
#include "blob_internal.h"
#include "context.h"
#include "decode_internal.h"
#include "fence.h"
#include "renderer.h"
#include "res_internal.h"
#include "resource.h"
#include "vctx.h"

/* struct vrend_ctx (vctx.h) plus what only this file touches. */
struct vrend_ctx_impl {
	struct vrend_ctx base;
	struct vrend_gl_section sec; /* the open section (submit, create, destroy) */
	bool in_section;
};

static struct vrend_ctx_impl *impl_of(struct vrend_ctx *c)
{
	return (struct vrend_ctx_impl *)((char *)c - offsetof(struct vrend_ctx_impl, base));
}

static struct vrend_res_state *state_of(struct vrend_ctx *c)
{
	return c->vb->rb.state;
}

struct vrend_ctx *vrend_ctx_of(struct vrend_decoder *dec)
{
	return dec->vctx;
}

/* Makes sub's GL context current in the open section. */
static int make_sub_current(struct vrend_ctx *c, struct vrend_sub *sub)
{
	struct vrend_ctx_impl *ci = impl_of(c);
	int ret;

	if (!ci->in_section)
		return -EIO;
	if (c->current_gl == sub && ci->sec.cur == sub->gl)
		return 0;
	ret = vrend_gl_section_switch(state_of(c), &ci->sec, sub->gl);
	c->current_gl = ret ? NULL : sub;
	return ret;
}

struct vrend_sub *vrend_sub_current(struct vrend_decoder *dec)
{
	struct vrend_ctx *c = dec->vctx;
	struct vrend_sub *sub;

	if (!c || !dec->current)
		return NULL;
	sub = dec->current->priv;
	if (!sub || make_sub_current(c, sub))
		return NULL;
	return sub;
}

int vrend_ctx_get_resource(struct vrend_ctx *ctx, uint32_t handle, struct vgn_resource **res,
                           struct vrend_resource **vr)
{
	struct vgn_resource *r;

	*res = NULL;
	if (vr)
		*vr = NULL;
	if (!ctx || !ctx->core)
		return -EINVAL;
	r = vgn_context_lookup_resource(ctx->core, handle);
	if (!r || r->backend != &ctx->vb->rb.base || !r->backend_data)
		return -EINVAL;
	/* Every GL use of a resource by a command stream starts here (inside the
	 * context's section): a lazy buffer gets its GL object now. */
	int ret = vrend_resource_materialize(state_of(ctx), r->backend_data);
	if (ret)
		return ret;
	vgn_resource_ref(r);
	*res = r;
	if (vr)
		*vr = r->backend_data;
	return 0;
}

struct vrend_res_state *vrend_ctx_res_state(struct vrend_ctx *ctx)
{
	return ctx ? state_of(ctx) : NULL;
}

const struct vrend_gl_info *vrend_ctx_gl_info(struct vrend_ctx *ctx)
{
	return ctx ? vrend_platform_gl_info(ctx->vb->plat) : NULL;
}

const struct vrend_format_caps *vrend_ctx_format_caps(struct vrend_ctx *ctx)
{
	return ctx ? &state_of(ctx)->caps : NULL;
}

const struct vrend_logger *vrend_ctx_logger(struct vrend_ctx *ctx)
{
	return ctx ? &ctx->vb->logger : NULL;
}

/* ---- sub-contexts (decoder hooks; always inside the context's section) ---- */

typedef int (*area_init_fn)(struct vrend_sub *sub);
typedef void (*area_fini_fn)(struct vrend_sub *sub);

static const struct {
	area_init_fn init;
	area_fini_fn fini;
} areas[] = {
    {vrend_state_init, vrend_state_fini},
    {vrend_shaders_init, vrend_shaders_fini},
    {vrend_fb_init, vrend_fb_fini},
    {vrend_draw_init, vrend_draw_fini},
};
#define NUM_AREAS (sizeof(areas) / sizeof(areas[0]))

/* Tears down the first n areas and the GL context; sub's GL context is current
 * (or GL work is impossible and only memory is freed by the caller). */
static void sub_teardown(struct vrend_ctx *c, struct vrend_sub *sub, size_t n)
{
	struct vrend_ctx_impl *ci = impl_of(c);

	vrend_obj_table_fini(sub);
	while (n-- > 0)
		areas[n].fini(sub);
	vrend_gl_section_release(state_of(c), &ci->sec);
	vrend_gl_context_destroy(sub->gl);
	sub->gl = NULL;
	if (c->current_gl == sub)
		c->current_gl = NULL;
}

static int sub_create_hook(void *user_data, struct vrend_sub_ctx *dsub)
{
	struct vrend_ctx *c = user_data;
	struct vrend_sub *sub = calloc(1, sizeof(*sub));
	size_t n;
	int ret;

	if (!sub)
		return -ENOMEM;
	sub->ctx = c;
	sub->dsub = dsub;
	/* The VMM's per-context object limit bounds each sub-context's table. */
	sub->objects.max = c->core ? c->core->renderer->max_objects_per_context : 0;
	ret = vrend_gl_context_create(c->vb->plat, &sub->gl);
	if (ret) {
		vrend_log(&c->vb->logger, VGN_LOG_ERROR,
		          "ctx %u: cannot create a GL context for sub-context %u (%d)", c->ctx_id,
		          dsub->id, ret);
		free(sub);
		return ret;
	}
	ret = make_sub_current(c, sub);
	for (n = 0; !ret && n < NUM_AREAS; n++) {
		ret = areas[n].init(sub);
		if (ret)
			break;
	}
	if (ret) {
		vrend_log(&c->vb->logger, VGN_LOG_ERROR, "ctx %u: sub-context %u setup failed (%d)",
		          c->ctx_id, dsub->id, ret);
		if (c->current_gl == sub)
			sub_teardown(c, sub, n);
		else
			vrend_gl_context_destroy(sub->gl);
		free(sub);
		return ret;
	}
	dsub->priv = sub;
	return 0;
}

static void sub_destroy_hook(void *user_data, struct vrend_sub_ctx *dsub)
{
	struct vrend_ctx *c = user_data;
	struct vrend_sub *sub = dsub->priv;

	if (!sub)
		return;
	if (make_sub_current(c, sub) == 0) {
		sub_teardown(c, sub, NUM_AREAS);
	} else {
		/* Without its GL context the GL names cannot be freed: they go with
		 * the platform. Area memory is leaked with them (never seen on a
		 * working host). */
		vrend_log(&c->vb->logger, VGN_LOG_ERROR,
		          "ctx %u: cannot make sub-context %u current to destroy it", c->ctx_id,
		          dsub->id);
		vrend_gl_section_forget(state_of(c), sub->gl);
		vrend_gl_context_destroy(sub->gl);
		if (c->current_gl == sub)
			c->current_gl = NULL;
	}
	dsub->priv = NULL;
	free(sub);
}

/* ---- sections around context ops ---- */

static int ctx_enter(struct vrend_ctx *c, struct vgn_context *core)
{
	struct vrend_ctx_impl *ci = impl_of(c);
	struct vrend_res_state *st = state_of(c);
	struct vrend_sub_ctx *cur = c->dec ? vrend_decoder_current(c->dec) : NULL;
	struct vrend_sub *sub = cur ? cur->priv : NULL;
	int ret;

	c->core = core;
	/* Start on the current sub-context's GL context (the usual case: no
	 * switch), else on the resource context until a sub-context is needed. */
	ret = vrend_gl_section_enter(st, sub ? sub->gl : st->ctx, &ci->sec);
	if (ret)
		return ret;
	c->current_gl = sub;
	ci->in_section = true;
	return 0;
}

static void ctx_leave(struct vrend_ctx *c)
{
	struct vrend_ctx_impl *ci = impl_of(c);

	ci->in_section = false;
	vrend_gl_section_leave(state_of(c), &ci->sec);
	c->current_gl = NULL;
	c->core = NULL;
}

/* ---- context ops ---- */

int vrend_context_create(struct vgn_backend *b, struct vgn_context *core)
{
	struct vrend_backend *vb = vrend_backend_of(b);
	struct vrend_ctx_impl *ci = calloc(1, sizeof(*ci));
	struct vrend_ctx *c;
	int ret;

	if (!ci)
		return -ENOMEM;
	c = &ci->base;
	c->vb = vb;
	c->ctx_id = core->ctx_id;
	struct vrend_sub_ctx_hooks hooks = {
	    .user_data = c, .create = sub_create_hook, .destroy = sub_destroy_hook};
	struct vrend_decoder_params dp = {
	    .ctx_id = core->ctx_id, .logger = &vb->logger, .hooks = &hooks, .vctx = c};

	ret = ctx_enter(c, core);
	if (ret) {
		free(ci);
		return ret;
	}
	ret = vrend_decoder_create(&dp, &c->dec);
	ctx_leave(c);
	if (ret) {
		free(ci);
		return ret;
	}
	core->backend_data = c;
	return 0;
}

void vrend_context_destroy(struct vgn_backend *b, struct vgn_context *core)
{
	struct vrend_ctx *c = core->backend_data;

	(void)b;
	if (!c)
		return;
	if (ctx_enter(c, core) == 0) {
		if (c->vb->fences)
			vrend_fence_worker_forget_ctx(c->vb->fences, c->ctx_id);
		vrend_decoder_destroy(c->dec);
		ctx_leave(c);
	} else {
		/* No GL at all: the hooks' GL work is impossible. */
		vrend_log(&c->vb->logger, VGN_LOG_ERROR,
		          "ctx %u: destroyed without a GL context (GL objects leak)", c->ctx_id);
		vrend_decoder_destroy(c->dec);
	}
	core->backend_data = NULL;
	vrend_blob_ctx_destroy(c);
	free(impl_of(c));
}

int vrend_context_submit(struct vgn_backend *b, struct vgn_context *core, const uint32_t *cmd,
                         size_t size)
{
	struct vrend_ctx *c = core->backend_data;
	int ret;

	(void)b;
	if (!c)
		return -EIO;
	ret = ctx_enter(c, core);
	if (ret) {
		vgn_context_set_fatal(core, ret, "vrend: no GL context for the submit");
		return ret;
	}
	ret = vrend_decode(c->dec, cmd, size / 4);
	ctx_leave(c);
	if (ret)
		vgn_context_set_fatal(core, ret, vrend_decoder_error(c->dec));
	return ret;
}

/* A fence after everything submitted so far on the context (every ring: the
 * GL stream of a context is one queue). */
int vrend_context_fence(struct vgn_backend *b, struct vgn_context *core, uint32_t ring_idx,
                        uint64_t fence_id)
{
	struct vrend_ctx *c = core->backend_data;
	int ret;

	(void)b;
	if (!c)
		return -EIO;
	ret = ctx_enter(c, core);
	if (ret)
		return ret;
	if (c->vb->fences) {
		ret = vrend_fence_worker_push(c->vb->fences, c->ctx_id, ring_idx, fence_id);
		/* The push fenced and flushed; the section did no other GL work for
		 * another context to wait for, so leaving needs no second fence. */
		impl_of(c)->sec.work = false;
		ctx_leave(c);
		return ret;
	}
	glFinish();
	ctx_leave(c);
	return vgn_fence_retire(c->vb->rb.base.renderer, c->ctx_id, ring_idx, fence_id);
}

VREND_HANDLER(vrend_cmd_set_tweaks)
{
	(void)dec;
	(void)cmd;
	return VREND_CMD_UNIMPLEMENTED;
}

VREND_HANDLER(vrend_cmd_get_memory_info)
{
	(void)dec;
	(void)cmd;
	return VREND_CMD_UNIMPLEMENTED;
}

int vrend_context_wait_fence(struct vgn_backend *b, struct vgn_context *core, uint32_t ring_idx,
                             uint64_t fence_id, uint64_t timeout_ns)
{
	struct vrend_ctx *c = core->backend_data;

	(void)b;
	if (!c || !c->vb->fences)
		return -ENOTSUP; /* synchronous fences: retired when queued */
	return vrend_fence_worker_wait(c->vb->fences, c->ctx_id, ring_idx, fence_id, timeout_ns);
}
