/* SPDX-License-Identifier: MIT */
#include "fake_backend.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "context.h"
#include "fence.h"
#include "renderer.h"
#include "resource.h"

#define FAKE_MAX_OBJECTS 32
#define FAKE_MAX_THREADS 32

struct fake_backend {
	struct vgn_backend base;
	bool auto_retire;
	struct fake_stats *stats;
};

struct fake_object {
	uint64_t id;
	uint32_t size;
	uint8_t fill;
};

struct fake_retire {
	vgn_renderer *r;
	uint32_t ctx_id, ring;
	uint64_t id;
};

struct fake_ctx {
	struct fake_object objects[FAKE_MAX_OBJECTS];
	unsigned nobjects;
	pthread_t threads[FAKE_MAX_THREADS];
	struct fake_retire retires[FAKE_MAX_THREADS];
	unsigned nthreads;
};

static void bump(unsigned *c, int delta)
{
	__atomic_fetch_add(c, (unsigned)delta, __ATOMIC_SEQ_CST);
}

unsigned fake_read(const unsigned *counter)
{
	return __atomic_load_n(counter, __ATOMIC_SEQ_CST);
}

uint8_t fake_capset_byte(uint32_t i)
{
	return (uint8_t)(0x5a ^ (i * 13));
}

static struct fake_backend *fb(struct vgn_backend *b)
{
	return (struct fake_backend *)b;
}

static void fake_destroy(struct vgn_backend *b)
{
	bump(&fb(b)->stats->destroyed, 1);
	free(b);
}

static int fake_capset_info(struct vgn_backend *b, uint32_t capset_id, uint32_t *max_version,
                            uint32_t *max_size)
{
	if (capset_id != FAKE_CAPSET)
		return -EINVAL;
	*max_version = FAKE_CAPSET_VERSION;
	*max_size = FAKE_CAPSET_SIZE;
	return 0;
}

static int fake_capset_fill(struct vgn_backend *b, uint32_t capset_id, uint32_t version, void *buf,
                            size_t buf_size, size_t *written)
{
	if (capset_id != FAKE_CAPSET || version > FAKE_CAPSET_VERSION)
		return -EINVAL;
	size_t n = buf_size < FAKE_CAPSET_SIZE ? buf_size : FAKE_CAPSET_SIZE;
	for (size_t i = 0; i < n; i++)
		((uint8_t *)buf)[i] = fake_capset_byte((uint32_t)i);
	if (written)
		*written = n;
	return 0;
}

static int fake_context_create(struct vgn_backend *b, struct vgn_context *ctx)
{
	if (!strcmp(ctx->debug_name, "fail"))
		return -ENOMEM;
	struct fake_ctx *fc = calloc(1, sizeof(*fc));
	if (!fc)
		return -ENOMEM;
	ctx->backend_data = fc;
	bump(&fb(b)->stats->contexts_live, 1);
	bump(&fb(b)->stats->contexts_created, 1);
	return 0;
}

static void fake_context_destroy(struct vgn_backend *b, struct vgn_context *ctx)
{
	struct fake_ctx *fc = ctx->backend_data;
	for (unsigned i = 0; i < fc->nthreads; i++)
		pthread_join(fc->threads[i], NULL);
	free(fc);
	bump(&fb(b)->stats->contexts_live, -1);
}

static void *retire_thread(void *arg)
{
	struct fake_retire *fr = arg;
	struct timespec ts = {0, 20 * 1000 * 1000};
	nanosleep(&ts, NULL);
	vgn_fence_retire(fr->r, fr->ctx_id, fr->ring, fr->id);
	return NULL;
}

static int fake_submit(struct vgn_backend *b, struct vgn_context *ctx, const uint32_t *cmd,
                       size_t size)
{
	struct fake_ctx *fc = ctx->backend_data;
	size_t n = size / 4, i = 0;
	bump(&fb(b)->stats->submits, 1);
	while (i < n) {
		uint32_t op = cmd[i++];
		switch (op) {
		case FAKE_OP_NOP:
			break;
		case FAKE_OP_OBJECT:
			if (n - i < 4 || fc->nobjects == FAKE_MAX_OBJECTS)
				goto bad;
			fc->objects[fc->nobjects].id = cmd[i] | (uint64_t)cmd[i + 1] << 32;
			fc->objects[fc->nobjects].size = cmd[i + 2];
			fc->objects[fc->nobjects].fill = (uint8_t)cmd[i + 3];
			fc->nobjects++;
			i += 4;
			break;
		case FAKE_OP_LOOKUP: {
			if (n - i < 1)
				goto bad;
			struct vgn_resource *res = vgn_context_lookup_resource(ctx, cmd[i++]);
			if (!res)
				return -ENOENT;
			__atomic_store_n(&fb(b)->stats->last_width, res->create.width,
			                 __ATOMIC_SEQ_CST);
			break;
		}
		case FAKE_OP_RETIRE:
		case FAKE_OP_RETIRE_ASYNC: {
			if (n - i < 3 || cmd[i] >= VGN_MAX_RINGS)
				goto bad;
			uint32_t ring = cmd[i];
			uint64_t id = cmd[i + 1] | (uint64_t)cmd[i + 2] << 32;
			i += 3;
			if (op == FAKE_OP_RETIRE) {
				vgn_fence_retire(ctx->renderer, ctx->ctx_id, ring, id);
				break;
			}
			if (fc->nthreads == FAKE_MAX_THREADS)
				goto bad;
			struct fake_retire *fr = &fc->retires[fc->nthreads];
			fr->r = ctx->renderer;
			fr->ctx_id = ctx->ctx_id;
			fr->ring = ring;
			fr->id = id;
			if (pthread_create(&fc->threads[fc->nthreads], NULL, retire_thread, fr))
				return -ENOMEM;
			fc->nthreads++;
			break;
		}
		default:
			goto bad;
		}
	}
	return 0;
bad:
	vgn_context_set_fatal(ctx, -EINVAL, "fake: malformed command");
	return -EINVAL;
}

static int fake_attach(struct vgn_backend *b, struct vgn_context *ctx, struct vgn_resource *res)
{
	if (res->res_id == FAKE_ATTACH_FAIL_RES)
		return -ENOMEM;
	bump(&fb(b)->stats->attached_live, 1);
	return 0;
}

static void fake_detach(struct vgn_backend *b, struct vgn_context *ctx, struct vgn_resource *res)
{
	bump(&fb(b)->stats->attached_live, -1);
}

static int fake_fence(struct vgn_backend *b, struct vgn_context *ctx, uint32_t ring_idx,
                      uint64_t fence_id)
{
	if (fence_id == FAKE_FENCE_FAIL_ID)
		return -ENOMEM;
	bump(&fb(b)->stats->fences, 1);
	if (fb(b)->auto_retire)
		return vgn_fence_retire(ctx->renderer, ctx->ctx_id, ring_idx, fence_id);
	return 0;
}

static int fake_get_blob(struct vgn_backend *b, struct vgn_context *ctx, uint64_t blob_id,
                         uint64_t size, uint32_t blob_flags, struct vgn_blob_memory *out)
{
	struct fake_ctx *fc = ctx->backend_data;
	const struct fake_object *obj = NULL;
	for (unsigned i = 0; i < fc->nobjects; i++) {
		if (fc->objects[i].id == blob_id)
			obj = &fc->objects[i];
	}
	if (!obj)
		return -ENOENT;
	if (size > obj->size)
		return -EINVAL;
	int fd = memfd_create("fake-blob", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0) {
		close(fd);
		return -ENOMEM;
	}
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return -ENOMEM;
	}
	memset(p, obj->fill, size);
	munmap(p, size);
	memset(out, 0, sizeof(*out));
	out->fd = fd;
	out->handle_type = VGN_HANDLE_TYPE_SHM;
	out->map_cache_type = VGN_MAP_CACHE_WC;
	out->size = size;
	return 0;
}

static const struct vgn_backend_ops fake_ops = {
    .name = "fake",
    .backend_bit = 1u << 7,
    .destroy = fake_destroy,
    .capset_info = fake_capset_info,
    .capset_fill = fake_capset_fill,
    .context_create = fake_context_create,
    .context_destroy = fake_context_destroy,
    .context_submit = fake_submit,
    .context_attach_resource = fake_attach,
    .context_detach_resource = fake_detach,
    .context_fence = fake_fence,
    .context_get_blob = fake_get_blob,
};

int fake_backend_add(vgn_renderer *r, bool auto_retire, struct fake_stats *stats)
{
	struct fake_backend *f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->base.ops = &fake_ops;
	f->base.renderer = r;
	f->auto_retire = auto_retire;
	f->stats = stats;
	int ret = vgn_renderer_add_backend(r, &f->base);
	if (ret)
		free(f);
	return ret;
}
