/* SPDX-License-Identifier: MIT */
#include "standin.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend.h"
#include "context.h"
#include "fence.h"
#include "renderer.h"
#include "resource.h"

#ifdef FUZZ_HAVE_VREND
#include "decode.h"
#endif
#ifdef FUZZ_HAVE_VKR
#include "vkr_proto.h"
#endif

#define STANDIN_GL_BIT (1u << 6)
#define STANDIN_VK_BIT (1u << 7)
/* Sizes of the real capsets (virgl caps v1/v2, Venus), filled with a pattern. */
#define STANDIN_VIRGL_SIZE 308u
#define STANDIN_VIRGL2_SIZE 1408u
#define STANDIN_VENUS_SIZE 160u
#define STANDIN_ARENA_CAP ((size_t)16 << 20)
#define STANDIN_QUEUE 64
/* Classic resources of this width refuse to be attached (an error path). */
#define STANDIN_ATTACH_FAIL_WIDTH 4099u

struct standin_fence {
	uint32_t ctx_id, ring;
	uint64_t id;
};

/* Fences on odd rings retire from this thread, in order, right after they are
 * queued: the core's cross-thread retire and the callers' waits are exercised
 * without any timing in the harness. */
struct standin_backend {
	struct vgn_backend base;
	pthread_mutex_t lock;
	pthread_cond_t work, idle;
	pthread_t thread;
	bool running, stop, busy;
	struct standin_fence queue[STANDIN_QUEUE];
	uint32_t head, count;
};

struct standin_ctx {
#ifdef FUZZ_HAVE_VREND
	struct vrend_decoder *dec;
#endif
#ifdef FUZZ_HAVE_VKR
	struct vkr_arena arena;
#endif
	int unused;
};

static void *retire_thread(void *arg)
{
	struct standin_backend *sb = arg;

	pthread_mutex_lock(&sb->lock);
	for (;;) {
		struct standin_fence f;

		while (!sb->count && !sb->stop)
			pthread_cond_wait(&sb->work, &sb->lock);
		if (!sb->count)
			break;
		f = sb->queue[sb->head];
		sb->head = (sb->head + 1) % STANDIN_QUEUE;
		sb->count--;
		sb->busy = true;
		pthread_mutex_unlock(&sb->lock);
		vgn_fence_retire(sb->base.renderer, f.ctx_id, f.ring, f.id);
		pthread_mutex_lock(&sb->lock);
		sb->busy = false;
		pthread_cond_broadcast(&sb->idle);
	}
	pthread_mutex_unlock(&sb->lock);
	return NULL;
}

/* Waits until every queued fence has been retired (context destroy: a late
 * retire must not reach a new context that reuses the id). */
static void drain_fences(struct standin_backend *sb)
{
	pthread_mutex_lock(&sb->lock);
	while (sb->count || sb->busy)
		pthread_cond_wait(&sb->idle, &sb->lock);
	pthread_mutex_unlock(&sb->lock);
}

static void standin_destroy(struct vgn_backend *b)
{
	struct standin_backend *sb = (struct standin_backend *)b;

	if (sb->running) {
		pthread_mutex_lock(&sb->lock);
		sb->stop = true;
		pthread_cond_signal(&sb->work);
		pthread_mutex_unlock(&sb->lock);
		pthread_join(sb->thread, NULL);
	}
	pthread_cond_destroy(&sb->work);
	pthread_cond_destroy(&sb->idle);
	pthread_mutex_destroy(&sb->lock);
	free(sb);
}

static int standin_fence(struct vgn_backend *b, struct vgn_context *ctx, uint32_t ring_idx,
                         uint64_t fence_id)
{
	struct standin_backend *sb = (struct standin_backend *)b;
	int ret = 0;

	if (!(ring_idx & 1))
		return vgn_fence_retire(b->renderer, ctx->ctx_id, ring_idx, fence_id);
	pthread_mutex_lock(&sb->lock);
	if (!sb->running) {
		ret = -pthread_create(&sb->thread, NULL, retire_thread, sb);
		sb->running = !ret;
	}
	if (!ret && sb->count == STANDIN_QUEUE)
		ret = -EAGAIN; /* the core must leave the timeline as it was */
	if (!ret) {
		struct standin_fence *f = &sb->queue[(sb->head + sb->count) % STANDIN_QUEUE];
		f->ctx_id = ctx->ctx_id;
		f->ring = ring_idx;
		f->id = fence_id;
		sb->count++;
		pthread_cond_signal(&sb->work);
	}
	pthread_mutex_unlock(&sb->lock);
	return ret;
}

static int capset_size(const struct vgn_backend *b, uint32_t capset_id, uint32_t *size)
{
	if (b->ops->backend_bit == STANDIN_GL_BIT && capset_id == VGN_CAPSET_VIRGL)
		*size = STANDIN_VIRGL_SIZE;
	else if (b->ops->backend_bit == STANDIN_GL_BIT && capset_id == VGN_CAPSET_VIRGL2)
		*size = STANDIN_VIRGL2_SIZE;
	else if (b->ops->backend_bit == STANDIN_VK_BIT && capset_id == VGN_CAPSET_VENUS)
		*size = STANDIN_VENUS_SIZE;
	else
		return -EINVAL;
	return 0;
}

static int standin_capset_info(struct vgn_backend *b, uint32_t capset_id, uint32_t *max_version,
                               uint32_t *max_size)
{
	int ret = capset_size(b, capset_id, max_size);

	if (!ret)
		*max_version = capset_id == VGN_CAPSET_VIRGL2 ? 2 : 0;
	return ret;
}

static int standin_capset_fill(struct vgn_backend *b, uint32_t capset_id, uint32_t version,
                               void *buf, size_t buf_size, size_t *written)
{
	uint32_t size, i;
	size_t n;

	if (capset_size(b, capset_id, &size) || version > 2)
		return -EINVAL;
	n = buf_size < size ? buf_size : size;
	for (i = 0; i < n; i++)
		((uint8_t *)buf)[i] = (uint8_t)(i * 7 + capset_id);
	*written = n;
	return 0;
}

static int standin_context_create(struct vgn_backend *b, struct vgn_context *ctx)
{
	struct standin_ctx *sc = calloc(1, sizeof(*sc));

	if (!sc)
		return -ENOMEM;
#ifdef FUZZ_HAVE_VREND
	if (b->ops->backend_bit == STANDIN_GL_BIT) {
		struct vrend_decoder_params p = {.ctx_id = ctx->ctx_id, .max_sub_ctx = 16};
		int ret = vrend_decoder_create(&p, &sc->dec);
		if (ret) {
			free(sc);
			return ret;
		}
	}
#endif
#ifdef FUZZ_HAVE_VKR
	vkr_arena_init(&sc->arena, STANDIN_ARENA_CAP);
#endif
	ctx->backend_data = sc;
	return 0;
}

static void standin_context_destroy(struct vgn_backend *b, struct vgn_context *ctx)
{
	struct standin_ctx *sc = ctx->backend_data;

	drain_fences((struct standin_backend *)b);
	if (!sc)
		return;
#ifdef FUZZ_HAVE_VREND
	vrend_decoder_destroy(sc->dec);
#endif
#ifdef FUZZ_HAVE_VKR
	vkr_arena_fini(&sc->arena);
#endif
	free(sc);
}

static int gl_submit(struct vgn_backend *b, struct vgn_context *ctx, const uint32_t *cmd,
                     size_t size)
{
#ifdef FUZZ_HAVE_VREND
	struct standin_ctx *sc = ctx->backend_data;
	int ret = vrend_decode(sc->dec, cmd, size / 4);

	if (ret)
		vgn_context_set_fatal(ctx, ret, vrend_decoder_error(sc->dec));
	return ret;
#else
	return 0;
#endif
}

static int venus_submit(struct vgn_backend *b, struct vgn_context *ctx, const uint32_t *cmd,
                        size_t size)
{
#ifdef FUZZ_HAVE_VKR
	struct standin_ctx *sc = ctx->backend_data;
	struct vkr_dispatch dispatch;
	struct vkr_cs_decoder dec;
	uint8_t reply_buf[256];
	struct vkr_cs_encoder reply;

	memset(&dispatch, 0, sizeof(dispatch));
	vkr_cs_decoder_init(&dec, cmd, size, &sc->arena);
	while (dec.cur < dec.end) {
		const struct vkr_proto_command *known = NULL;
		uint32_t type;
		int ret;

		/* Commands without a host handler here are decoded, then ignored; an
		 * unknown type (the same -ENOTSUP) is a fatal stream error. */
		if (vkr_cs_remaining(&dec) >= sizeof(type)) {
			memcpy(&type, dec.cur, sizeof(type));
			known = vkr_proto_command(type);
		}
		vkr_cs_encoder_init(&reply, reply_buf, sizeof(reply_buf));
		ret = vkr_proto_dispatch(&dispatch, &dec, &reply);
		if (ret == -ENOTSUP && known && !known->policy_rejected) {
			dec.error = 0;
			continue;
		}
		if (ret) {
			vgn_context_set_fatal(ctx, ret, "venus: malformed command stream");
			return ret;
		}
	}
	return 0;
#else
	return 0;
#endif
}

static int standin_attach(struct vgn_backend *b, struct vgn_context *ctx, struct vgn_resource *res)
{
	return !res->blob && res->create.width == STANDIN_ATTACH_FAIL_WIDTH ? -ENOMEM : 0;
}

static void standin_detach(struct vgn_backend *b, struct vgn_context *ctx, struct vgn_resource *res)
{
}

static int standin_get_blob(struct vgn_backend *b, struct vgn_context *ctx, uint64_t blob_id,
                            uint64_t size, uint32_t blob_flags, struct vgn_blob_memory *out)
{
	long ps = sysconf(_SC_PAGESIZE);
	uint64_t page = ps > 0 ? (uint64_t)ps : 4096;
	uint64_t have;
	int fd;

	if (!(blob_id & 3))
		return -ENOENT;
	have = blob_id & 1 ? size : (size > page ? size - page : 0);
	fd = memfd_create("standin-blob", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)have) < 0) {
		close(fd);
		return -ENOMEM;
	}
	memset(out, 0, sizeof(*out));
	out->fd = fd;
	out->handle_type = VGN_HANDLE_TYPE_SHM;
	out->map_cache_type = VGN_MAP_CACHE_WC;
	out->size = have;
	return 0;
}

static const struct vgn_backend_ops gl_ops = {
    .name = "standin-gl",
    .backend_bit = STANDIN_GL_BIT,
    .destroy = standin_destroy,
    .capset_info = standin_capset_info,
    .capset_fill = standin_capset_fill,
    .context_create = standin_context_create,
    .context_destroy = standin_context_destroy,
    .context_submit = gl_submit,
    .context_attach_resource = standin_attach,
    .context_detach_resource = standin_detach,
    .context_fence = standin_fence,
    .context_get_blob = standin_get_blob,
};

static const struct vgn_backend_ops venus_ops = {
    .name = "standin-venus",
    .backend_bit = STANDIN_VK_BIT,
    .destroy = standin_destroy,
    .capset_info = standin_capset_info,
    .capset_fill = standin_capset_fill,
    .context_create = standin_context_create,
    .context_destroy = standin_context_destroy,
    .context_submit = venus_submit,
    .context_attach_resource = standin_attach,
    .context_detach_resource = standin_detach,
    .context_fence = standin_fence,
    .context_get_blob = standin_get_blob,
};

static int add_one(vgn_renderer *r, const struct vgn_backend_ops *ops)
{
	struct standin_backend *sb = calloc(1, sizeof(*sb));
	int ret;

	if (!sb)
		return -ENOMEM;
	sb->base.ops = ops;
	sb->base.renderer = r;
	pthread_mutex_init(&sb->lock, NULL);
	pthread_cond_init(&sb->work, NULL);
	pthread_cond_init(&sb->idle, NULL);
	ret = vgn_renderer_add_backend(r, &sb->base);
	if (ret)
		standin_destroy(&sb->base);
	return ret;
}

int fuzz_standin_add(vgn_renderer *r)
{
	int ret = add_one(r, &gl_ops);

	return ret ? ret : add_one(r, &venus_ops);
}
