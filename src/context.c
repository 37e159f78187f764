/* SPDX-License-Identifier: MIT */
#include "context.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "fence.h"
#include "log.h"
#include "renderer.h"
#include "resource.h"

static void context_put(struct vgn_context *ctx)
{
	if (atomic_fetch_sub(&ctx->refs, 1) != 1)
		return;
	/* Last reference: destroy already emptied the attachment table. */
	vgn_table_fini(&ctx->attached);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
}

static struct vgn_context *context_get(vgn_renderer *r, uint32_t ctx_id)
{
	pthread_mutex_lock(&r->lock);
	struct vgn_context *ctx = vgn_table_get(&r->contexts, ctx_id);
	if (ctx)
		atomic_fetch_add(&ctx->refs, 1);
	pthread_mutex_unlock(&r->lock);
	return ctx;
}

int vgn_context_acquire(vgn_renderer *r, uint32_t ctx_id, bool allow_dead, struct vgn_context **out)
{
	if (!ctx_id)
		return -ENOENT;
	struct vgn_context *ctx = context_get(r, ctx_id);
	if (!ctx)
		return -ENOENT;
	pthread_mutex_lock(&ctx->lock);
	int ret = 0;
	if (ctx->destroyed)
		ret = -ENOENT;
	else if (!allow_dead && atomic_load(&ctx->dead))
		ret = -EIO;
	if (ret) {
		pthread_mutex_unlock(&ctx->lock);
		context_put(ctx);
		return ret;
	}
	*out = ctx;
	return 0;
}

void vgn_context_release(struct vgn_context *ctx)
{
	pthread_mutex_unlock(&ctx->lock);
	context_put(ctx);
}

struct vgn_resource *vgn_context_lookup_resource(struct vgn_context *ctx, uint32_t res_id)
{
	return vgn_table_get(&ctx->attached, res_id);
}

void vgn_context_set_fatal(struct vgn_context *ctx, int err, const char *reason)
{
	bool expected = false;
	if (!atomic_compare_exchange_strong(&ctx->dead, &expected, true))
		return;
	if (err >= 0)
		err = -EIO;
	vgn_err(ctx->renderer, "context %u (%s) fatal: %s (%s)", ctx->ctx_id, ctx->debug_name,
	        reason ? reason : "error", vgn_strerror(err));
	vgn_events_queue_fatal(ctx->renderer, ctx->ctx_id, err, reason);
}

int vgn_context_attach_locked(struct vgn_context *ctx, struct vgn_resource *res)
{
	vgn_renderer *r = ctx->renderer;
	if (vgn_table_get(&ctx->attached, res->res_id))
		return 0; /* already attached: nothing to do */
	if (vgn_table_count(&ctx->attached) >= r->max_resources_per_context) {
		vgn_warn(r, "context %u: attach res %u: limit of %u resources reached", ctx->ctx_id,
		         res->res_id, r->max_resources_per_context);
		return -ENOSPC;
	}
	uint64_t bytes;
	if (__builtin_add_overflow(ctx->attached_bytes, res->size_bytes, &bytes) ||
	    bytes > r->max_bytes_per_context) {
		vgn_warn(r, "context %u: attach res %u: limit of %llu bytes reached", ctx->ctx_id,
		         res->res_id, (unsigned long long)r->max_bytes_per_context);
		return -ENOSPC;
	}
	/* Reserve first so that the insert after the backend hook cannot fail. */
	int ret = vgn_table_reserve(&ctx->attached, 1);
	if (ret)
		return ret;
	const struct vgn_backend_ops *ops = ctx->backend->ops;
	if (ops->context_attach_resource) {
		ret = ops->context_attach_resource(ctx->backend, ctx, res);
		if (ret)
			return ret;
	}
	vgn_resource_ref(res);
	ret = vgn_table_insert(&ctx->attached, res->res_id, res);
	(void)ret; /* cannot fail after reserve */
	ctx->attached_bytes = bytes;
	return 0;
}

int vgn_context_detach_locked(struct vgn_context *ctx, uint32_t res_id)
{
	struct vgn_resource *res = vgn_table_remove(&ctx->attached, res_id);
	if (!res)
		return -ENOENT;
	if (ctx->backend->ops->context_detach_resource)
		ctx->backend->ops->context_detach_resource(ctx->backend, ctx, res);
	ctx->attached_bytes -= res->size_bytes;
	vgn_resource_put(res);
	return 0;
}

/* Tears down a context already removed from the table. Takes its lock; callers
 * that still hold a reference then see `destroyed`. */
static void context_teardown(struct vgn_context *ctx)
{
	vgn_renderer *r = ctx->renderer;
	pthread_mutex_lock(&ctx->lock);
	ctx->destroyed = true;
	uint32_t it = 0, res_id;
	while (vgn_table_next(&ctx->attached, &it, &res_id, NULL))
		vgn_context_detach_locked(ctx, res_id);
	ctx->backend->ops->context_destroy(ctx->backend, ctx);
	ctx->backend_data = NULL;
	pthread_mutex_unlock(&ctx->lock);
	/* After the backend stopped: a late retire for this id finds nothing. */
	vgn_fence_ctx_remove(r, ctx->ctx_id);
	context_put(ctx);
}

VGN_EXPORT int vgn_context_create(vgn_renderer *r, uint32_t ctx_id,
                                  const struct vgn_context_params *params)
{
	struct vgn_context_params p;
	if (!r)
		return -EINVAL;
	int ret = vgn_copy_in(&p, sizeof(p), params, VGN_CONTEXT_PARAMS_SIZE_V1);
	if (ret)
		return ret;
	if (!ctx_id || p.flags)
		return -EINVAL;
	if (!p.capset_id || p.capset_id >= 64) {
		vgn_warn(r, "context %u: capset id %u is not a capset", ctx_id, p.capset_id);
		return -EINVAL;
	}
	struct vgn_backend *b = vgn_renderer_backend_for_capset(r, p.capset_id);
	if (!b) {
		vgn_warn(r, "context %u: no running backend serves capset %u", ctx_id, p.capset_id);
		return -ENOTSUP;
	}
	pthread_mutex_lock(&r->lock);
	bool used = vgn_table_get(&r->contexts, ctx_id) != NULL;
	bool full = vgn_table_count(&r->contexts) >= r->max_contexts;
	pthread_mutex_unlock(&r->lock);
	if (used)
		return -EEXIST;
	if (full) {
		vgn_warn(r, "context %u: limit of %u contexts reached", ctx_id, r->max_contexts);
		return -ENOSPC;
	}

	struct vgn_context *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->renderer = r;
	ctx->ctx_id = ctx_id;
	ctx->capset_id = p.capset_id;
	ctx->backend = b;
	if (p.debug_name) {
		size_t n = strnlen(p.debug_name, VGN_CONTEXT_NAME_MAX - 1);
		memcpy(ctx->debug_name, p.debug_name, n);
		ctx->debug_name[n] = '\0';
	}
	pthread_mutex_init(&ctx->lock, NULL);
	atomic_init(&ctx->refs, 1);
	atomic_init(&ctx->dead, false);
	vgn_table_init(&ctx->attached);

	ret = vgn_fence_ctx_add(r, ctx_id);
	if (ret)
		goto err_free;
	pthread_mutex_lock(&ctx->lock);
	ret = b->ops->context_create(b, ctx);
	pthread_mutex_unlock(&ctx->lock);
	if (ret) {
		vgn_warn(r, "context %u: backend %s refused it: %s", ctx_id, b->ops->name,
		         vgn_strerror(ret));
		goto err_fence;
	}
	/* Once published another thread may destroy it: log from a copy. */
	char name[VGN_CONTEXT_NAME_MAX];
	memcpy(name, ctx->debug_name, sizeof(name));
	pthread_mutex_lock(&r->lock);
	/* Authoritative count check: creates racing past the early one end here. */
	if (vgn_table_count(&r->contexts) >= r->max_contexts)
		ret = -ENOSPC;
	else
		ret = vgn_table_insert(&r->contexts, ctx_id, ctx);
	pthread_mutex_unlock(&r->lock);
	if (ret) {
		pthread_mutex_lock(&ctx->lock);
		b->ops->context_destroy(b, ctx);
		pthread_mutex_unlock(&ctx->lock);
		goto err_fence;
	}
	vgn_dbg(r, "context %u created (capset %u, %s, \"%s\")", ctx_id, p.capset_id, b->ops->name,
	        name);
	return 0;

err_fence:
	vgn_fence_ctx_remove(r, ctx_id);
err_free:
	vgn_table_fini(&ctx->attached);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
	return ret;
}

VGN_EXPORT int vgn_context_destroy(vgn_renderer *r, uint32_t ctx_id)
{
	if (!r)
		return -EINVAL;
	if (!ctx_id)
		return -ENOENT;
	pthread_mutex_lock(&r->lock);
	struct vgn_context *ctx = vgn_table_remove(&r->contexts, ctx_id);
	pthread_mutex_unlock(&r->lock);
	if (!ctx)
		return -ENOENT;
	context_teardown(ctx);
	return 0;
}

void vgn_contexts_destroy_all(vgn_renderer *r)
{
	for (;;) {
		uint32_t it = 0, id;
		void *val = NULL;
		pthread_mutex_lock(&r->lock);
		if (vgn_table_next(&r->contexts, &it, &id, &val))
			vgn_table_remove(&r->contexts, id);
		pthread_mutex_unlock(&r->lock);
		if (!val)
			break;
		context_teardown(val);
	}
}

VGN_EXPORT int vgn_context_submit(vgn_renderer *r, uint32_t ctx_id, const void *cmd, size_t size)
{
	if (!r)
		return -EINVAL;
	if (size % 4 || (size && !cmd))
		return -EINVAL;
	if (size > r->max_submit_bytes) {
		vgn_warn(r, "context %u: submit of %zu bytes exceeds the limit of %u", ctx_id, size,
		         r->max_submit_bytes);
		return -ENOSPC;
	}
	struct vgn_context *ctx;
	int ret = vgn_context_acquire(r, ctx_id, false, &ctx);
	if (ret)
		return ret;
	if (!size || !ctx->backend->ops->context_submit) {
		ret = size ? -ENOTSUP : 0;
		goto out;
	}
	/* Private aligned copy: the guest cannot change the stream while it is decoded
	 * (no double fetch) and the decoder may read it as u32. */
	size_t alloc = (size + 63) & ~(size_t)63;
	uint32_t *copy = aligned_alloc(64, alloc);
	if (!copy) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(copy, cmd, size);
	ret = ctx->backend->ops->context_submit(ctx->backend, ctx, copy, size);
	free(copy);
out:
	vgn_context_release(ctx);
	return ret;
}

VGN_EXPORT int vgn_context_attach_resource(vgn_renderer *r, uint32_t ctx_id, uint32_t res_id)
{
	if (!r)
		return -EINVAL;
	struct vgn_context *ctx;
	int ret = vgn_context_acquire(r, ctx_id, false, &ctx);
	if (ret)
		return ret;
	struct vgn_resource *res = vgn_resource_get(r, res_id);
	if (res) {
		ret = vgn_context_attach_locked(ctx, res);
		vgn_resource_put(res);
	} else {
		ret = -ENOENT;
	}
	vgn_context_release(ctx);
	return ret;
}

VGN_EXPORT int vgn_context_detach_resource(vgn_renderer *r, uint32_t ctx_id, uint32_t res_id)
{
	if (!r)
		return -EINVAL;
	struct vgn_context *ctx;
	/* Detach is cleanup: allowed on a dead context. */
	int ret = vgn_context_acquire(r, ctx_id, true, &ctx);
	if (ret)
		return ret;
	ret = vgn_context_detach_locked(ctx, res_id);
	vgn_context_release(ctx);
	return ret;
}

VGN_EXPORT int vgn_context_create_fence(vgn_renderer *r, uint32_t ctx_id, uint32_t ring_idx,
                                        uint64_t fence_id)
{
	if (!r)
		return -EINVAL;
	if (ring_idx >= r->max_rings_per_context || (ctx_id == 0 && ring_idx != 0))
		return -EINVAL;
	if (ctx_id == 0) {
		/* Device timeline: the core's own work (2D transfers) is synchronous, so
		 * everything before this fence is already done. */
		int ret = vgn_fence_check(r, 0, 0, fence_id);
		if (ret)
			return ret;
		vgn_fence_commit(r, 0, 0, fence_id);
		return vgn_fence_retire(r, 0, 0, fence_id);
	}
	struct vgn_context *ctx;
	int ret = vgn_context_acquire(r, ctx_id, false, &ctx);
	if (ret)
		return ret;
	ret = vgn_fence_check(r, ctx_id, ring_idx, fence_id);
	if (ret)
		goto out;
	if (ctx->backend->ops->context_fence) {
		/* The backend may retire it (from any thread) before we record it as
		 * queued; that is fine, retire does not depend on queued. Recording only
		 * after success keeps a refused fence from changing anything. */
		ret = ctx->backend->ops->context_fence(ctx->backend, ctx, ring_idx, fence_id);
		if (!ret)
			vgn_fence_commit(r, ctx_id, ring_idx, fence_id);
	} else {
		/* Synchronous backend: all earlier work on the ring is done. */
		vgn_fence_commit(r, ctx_id, ring_idx, fence_id);
		ret = vgn_fence_retire(r, ctx_id, ring_idx, fence_id);
	}
out:
	vgn_context_release(ctx);
	return ret;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

VGN_EXPORT int vgn_context_wait_fence(vgn_renderer *r, uint32_t ctx_id, uint32_t ring_idx,
                                      uint64_t fence_id, uint64_t timeout_ns)
{
	if (!r)
		return -EINVAL;
	if (ring_idx >= r->max_rings_per_context || (ctx_id == 0 && ring_idx != 0))
		return -EINVAL;
	uint64_t now = monotonic_ns();
	uint64_t deadline = timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
	/* Retired already, never queued, or no such timeline: answered at once. */
	int ret = vgn_fence_wait(r, ctx_id, ring_idx, fence_id, 0);
	if (ret != -ETIMEDOUT || ctx_id == 0)
		return ret;
	struct vgn_context *ctx;
	ret = vgn_context_acquire(r, ctx_id, true, &ctx);
	if (ret)
		return ret;
	/* The backend waits on the host fence in this thread; the context stays
	 * locked meanwhile (its backend data must outlive the wait). */
	ret = -ENOTSUP;
	if (ctx->backend->ops->context_wait_fence)
		ret = ctx->backend->ops->context_wait_fence(ctx->backend, ctx, ring_idx, fence_id,
		                                            timeout_ns);
	vgn_context_release(ctx);
	if (ret == -ENOTSUP)
		ret = vgn_fence_wait(r, ctx_id, ring_idx, fence_id, deadline);
	return ret;
}

VGN_EXPORT int vgn_context_get_retired_fence(vgn_renderer *r, uint32_t ctx_id, uint32_t ring_idx,
                                             uint64_t *fence_id)
{
	if (!r || !fence_id)
		return -EINVAL;
	if (ring_idx >= VGN_MAX_RINGS || (ctx_id == 0 && ring_idx != 0))
		return -EINVAL;
	/* Only the event lock: callbacks may call this. A destroyed context has no
	 * timelines any more: -ENOENT. */
	return vgn_fence_get_retired(r, ctx_id, ring_idx, fence_id);
}
