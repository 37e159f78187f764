/* SPDX-License-Identifier: MIT */
#include "standin.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend.h"
#include "context.h"
#include "renderer.h"

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

struct standin_ctx {
#ifdef FUZZ_HAVE_VREND
	struct vrend_decoder *dec;
#endif
#ifdef FUZZ_HAVE_VKR
	struct vkr_arena arena;
#endif
	int unused;
};

static void standin_destroy(struct vgn_backend *b)
{
	free(b);
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
	return 0;
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
    .context_get_blob = standin_get_blob,
};

static int add_one(vgn_renderer *r, const struct vgn_backend_ops *ops)
{
	struct vgn_backend *b = calloc(1, sizeof(*b));
	int ret;

	if (!b)
		return -ENOMEM;
	b->ops = ops;
	b->renderer = r;
	ret = vgn_renderer_add_backend(r, b);
	if (ret)
		free(b);
	return ret;
}

int fuzz_standin_add(vgn_renderer *r)
{
	int ret = add_one(r, &gl_ops);

	return ret ? ret : add_one(r, &venus_ops);
}
