/* SPDX-License-Identifier: MIT */
/* vgn_query: typed, size-versioned metadata queries (docs/metadata.md). */
#include <errno.h>
#include <string.h>

#include "backend.h"
#include "context.h"
#include "format.h"
#include "query.h"
#include "renderer.h"
#include "stats.h"

#define VGN_BACKEND_ALL (VGN_BACKEND_CPU2D | VGN_BACKEND_GL | VGN_BACKEND_VULKAN)

void vgn_query_blob_caps(vgn_renderer *r, struct vgn_blob_caps *out)
{
	out->blob_mem_types = VGN_CORE_BLOB_MEM_TYPES;
	out->blob_flags = VGN_CORE_BLOB_FLAGS;
	out->export_handle_types = VGN_CORE_EXPORT_HANDLE_TYPES;
	out->map_cache_types = VGN_CORE_MAP_CACHE_TYPES;
	/* Backends that hand out their own blob memory say what it can be. */
	for (uint32_t i = 0; i < r->num_backends; i++) {
		struct vgn_backend *b = r->backends[i];
		if (!b->ops->query)
			continue;
		struct vgn_query_header in = {sizeof(in), VGN_QUERY_RENDERER_CAPS};
		struct vgn_query_renderer_caps caps;
		memset(&caps, 0, sizeof(caps));
		caps.hdr.size = sizeof(caps);
		caps.hdr.type = VGN_QUERY_RENDERER_CAPS;
		if (b->ops->query(b, NULL, &in, &caps.hdr))
			continue;
		out->blob_mem_types |= caps.blob_mem_types;
		out->blob_flags |= caps.blob_flags;
		out->export_handle_types |= caps.export_handle_types;
		out->map_cache_types |= caps.map_cache_types;
	}
}

static int renderer_caps(vgn_renderer *r, const struct vgn_query_header *in,
                         struct vgn_query_header *out)
{
	/* in carries no parameters beyond the header; out must hold the whole V1
	 * struct. in and out may alias: in is not read after this point. */
	if (in->size < sizeof(struct vgn_query_header))
		return -EINVAL;
	uint32_t out_size = out->size;
	if (out_size < sizeof(struct vgn_query_renderer_caps))
		return -EINVAL;
	struct vgn_blob_caps blob;
	vgn_query_blob_caps(r, &blob);
	struct vgn_query_renderer_caps caps;
	memset(&caps, 0, sizeof(caps));
	caps.hdr.size = out_size;
	caps.hdr.type = VGN_QUERY_RENDERER_CAPS;
	caps.capset_mask = r->capset_mask;
	caps.blob_mem_types = blob.blob_mem_types;
	caps.blob_flags = blob.blob_flags;
	caps.export_handle_types = blob.export_handle_types;
	caps.map_cache_types = blob.map_cache_types;
	caps.max_rings = r->max_rings_per_context;
	caps.max_resources_per_context = r->max_resources_per_context;
	caps.max_bytes_per_context = r->max_bytes_per_context;
	caps.max_submit_bytes = r->max_submit_bytes;
	memcpy(out, &caps, sizeof(caps));
	return 0;
}

static int renderer_limits(vgn_renderer *r, struct vgn_query_header *out)
{
	if (out->size < sizeof(struct vgn_query_renderer_limits))
		return -EINVAL;
	struct vgn_query_renderer_limits l;
	memset(&l, 0, sizeof(l));
	l.hdr.size = out->size;
	l.hdr.type = VGN_QUERY_RENDERER_LIMITS;
	l.max_total_bytes = r->max_total_bytes;
	l.used_total_bytes = atomic_load(&r->used_total_bytes);
	l.max_resources = r->max_resources;
	l.used_resources = atomic_load(&r->used_resources);
	l.max_contexts = r->max_contexts;
	pthread_mutex_lock(&r->lock);
	l.used_contexts = vgn_table_count(&r->contexts);
	pthread_mutex_unlock(&r->lock);
	l.max_resources_per_context = r->max_resources_per_context;
	l.max_submit_bytes = r->max_submit_bytes;
	l.max_bytes_per_context = r->max_bytes_per_context;
	l.max_rings_per_context = r->max_rings_per_context;
	l.max_objects_per_context = r->max_objects_per_context;
	memcpy(out, &l, sizeof(l));
	return 0;
}

/* Asks the backends in preference order. wanted: one VGN_BACKEND_* bit or 0 (any).
 * Through a context only its own backend answers (it knows what the context may
 * see); the VMM may ask every backend. Sets *answered_by on success. fresh
 * (size bytes, may be NULL) is what out holds before each backend tries, so that
 * a backend that wrote part of an answer and then passed leaves nothing behind. */
static int ask_backends(vgn_renderer *r, struct vgn_context *ctx, uint32_t wanted,
                        const struct vgn_query_header *in, struct vgn_query_header *out,
                        const void *fresh, size_t size, uint32_t *answered_by)
{
	for (uint32_t i = 0; i < r->num_backends; i++) {
		struct vgn_backend *b = r->backends[i];
		if (ctx && b != ctx->backend)
			continue;
		if (wanted && b->ops->backend_bit != wanted)
			continue;
		if (!b->ops->query)
			continue;
		if (fresh)
			memcpy(out, fresh, size);
		int ret = b->ops->query(b, ctx, in, out);
		if (ret == 0 && answered_by)
			*answered_by = b->ops->backend_bit;
		if (ret != -EOPNOTSUPP)
			return ret;
	}
	return -EOPNOTSUPP;
}

/* The `backend` selector of a typed query: 0 or one running backend's bit, and
 * through a context only that context's backend. */
static int check_backend_bit(vgn_renderer *r, struct vgn_context *ctx, uint32_t bit)
{
	if (!bit)
		return 0;
	if ((bit & ~VGN_BACKEND_ALL) || (bit & (bit - 1)))
		return -EINVAL;
	if (!(r->backend_mask & bit))
		return -ENODEV;
	if (ctx && ctx->backend->ops->backend_bit != bit)
		return -EPERM;
	return 0;
}

/* Reads the caller's struct into a private copy (in and out may alias, and a
 * hostile caller's memory is read exactly once). Both sizes must cover the v3
 * struct; larger (newer) callers get the v3 answer and the rest untouched. */
static int typed_in(const struct vgn_query_header *in, const struct vgn_query_header *out,
                    void *copy, size_t size)
{
	if (in->size < size || out->size < size)
		return -EINVAL;
	memcpy(copy, in, size);
	return 0;
}

static void typed_out(struct vgn_query_header *out, const void *answer, size_t size)
{
	uint32_t out_size = out->size;
	memcpy(out, answer, size);
	out->size = out_size; /* the caller's size stays: it describes its buffer */
}

static int check_image_params(uint32_t format, uint32_t width, uint32_t height,
                              uint32_t num_modifiers)
{
	if (!vgn_format_get(format))
		return -EINVAL;
	if (!width || !height || width > VGN_QUERY_MAX_DIMENSION ||
	    height > VGN_QUERY_MAX_DIMENSION)
		return -EINVAL;
	if (num_modifiers > VGN_QUERY_MAX_MODIFIERS)
		return -EINVAL;
	return 0;
}

static int format_support(vgn_renderer *r, struct vgn_context *ctx,
                          const struct vgn_query_header *in, struct vgn_query_header *out)
{
	struct vgn_query_format_support q, a;
	int ret = typed_in(in, out, &q, sizeof(q));
	if (ret)
		return ret;
	if (!vgn_format_get(q.format))
		return -EINVAL;
	ret = check_backend_bit(r, ctx, q.backend);
	if (ret)
		return ret;
	q.hdr.size = sizeof(q);
	memset(&a, 0, sizeof(a));
	a.hdr.size = sizeof(a);
	a.hdr.type = VGN_QUERY_FORMAT_SUPPORT;
	a.backend = q.backend;
	a.format = q.format;
	const struct vgn_query_format_support fresh = a;
	ret =
	    ask_backends(r, ctx, q.backend, &q.hdr, &a.hdr, &fresh, sizeof(fresh), &a.answered_by);
	if (ret)
		return ret;
	if (a.num_modifiers > VGN_QUERY_MAX_MODIFIERS)
		a.num_modifiers = VGN_QUERY_MAX_MODIFIERS; /* a backend bug must not leak past */
	typed_out(out, &a, sizeof(a));
	return 0;
}

static int image_requirements(vgn_renderer *r, struct vgn_context *ctx,
                              const struct vgn_query_header *in, struct vgn_query_header *out)
{
	struct vgn_query_image_requirements q, a;
	int ret = typed_in(in, out, &q, sizeof(q));
	if (ret)
		return ret;
	ret = check_image_params(q.format, q.width, q.height, q.num_modifiers);
	if (ret)
		return ret;
	ret = check_backend_bit(r, ctx, q.backend);
	if (ret)
		return ret;
	q.hdr.size = sizeof(q);
	/* The answer echoes the inputs, so the caller can keep it as a description. */
	a = q;
	a.answered_by = 0;
	a.num_planes = 0;
	a.size = 0;
	memset(a.strides, 0, sizeof(a.strides));
	memset(a.offsets, 0, sizeof(a.offsets));
	a.modifier = VGN_DRM_FORMAT_MOD_INVALID;
	a.memory_flags = 0;
	a.map_cache_type = VGN_MAP_CACHE_NONE;
	const struct vgn_query_image_requirements fresh = a;
	ret =
	    ask_backends(r, ctx, q.backend, &q.hdr, &a.hdr, &fresh, sizeof(fresh), &a.answered_by);
	if (ret)
		return ret;
	if (a.num_planes < 1 || a.num_planes > 4 || !a.size)
		return -EIO; /* a backend answered nonsense: do not pass it on */
	typed_out(out, &a, sizeof(a));
	return 0;
}

VGN_EXPORT int vgn_query(vgn_renderer *r, uint32_t ctx_id, const struct vgn_query_header *in,
                         struct vgn_query_header *out)
{
	if (!r || !in || !out)
		return -EINVAL;
	if (in->size < sizeof(*in) || out->size < sizeof(*out))
		return -EINVAL;
	uint32_t type = in->type;
	struct vgn_context *ctx = NULL;
	if (ctx_id) {
		int ret = vgn_context_acquire(r, ctx_id, false, &ctx);
		if (ret)
			return ret;
	}
	int ret;
	switch (type) {
	case VGN_QUERY_RENDERER_CAPS:
		ret = renderer_caps(r, in, out);
		break;
	case VGN_QUERY_RENDERER_LIMITS:
		ret = ctx ? -EPERM : renderer_limits(r, out); /* the guest must not probe usage */
		break;
	case VGN_QUERY_RENDERER_STATS:
		ret = ctx ? -EPERM : vgn_stats_query(r, out); /* the VMM's counters */
		break;
	case VGN_QUERY_FORMAT_SUPPORT:
		ret = format_support(r, ctx, in, out);
		break;
	case VGN_QUERY_IMAGE_REQUIREMENTS:
		ret = image_requirements(r, ctx, in, out);
		break;
	default:
		ret = ask_backends(r, ctx, 0, in, out, NULL, 0, NULL);
		break;
	}
	if (ctx)
		vgn_context_release(ctx);
	return ret;
}
