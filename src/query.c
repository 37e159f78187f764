/* SPDX-License-Identifier: MIT */
/* vgn_query: typed, size-versioned metadata queries. */
#include <errno.h>
#include <string.h>

#include "backend.h"
#include "context.h"
#include "renderer.h"

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
	struct vgn_query_renderer_caps caps;
	memset(&caps, 0, sizeof(caps));
	caps.hdr.size = out_size;
	caps.hdr.type = VGN_QUERY_RENDERER_CAPS;
	caps.capset_mask = r->capset_mask;
	caps.blob_mem_types = VGN_CORE_BLOB_MEM_TYPES;
	caps.blob_flags = VGN_CORE_BLOB_FLAGS;
	caps.export_handle_types = VGN_CORE_EXPORT_HANDLE_TYPES;
	caps.map_cache_types = VGN_CORE_MAP_CACHE_TYPES;
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

static int backend_query(vgn_renderer *r, struct vgn_context *ctx,
                         const struct vgn_query_header *in, struct vgn_query_header *out)
{
	/* Through a context only its own backend answers (it knows what the context
	 * may see); the VMM asks every backend in turn. */
	for (uint32_t i = 0; i < r->num_backends; i++) {
		struct vgn_backend *b = r->backends[i];
		if (ctx && b != ctx->backend)
			continue;
		if (!b->ops->query)
			continue;
		int ret = b->ops->query(b, ctx, in, out);
		if (ret != -EOPNOTSUPP)
			return ret;
	}
	return -EOPNOTSUPP;
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
	if (type == VGN_QUERY_RENDERER_CAPS)
		ret = renderer_caps(r, in, out);
	else if (type == VGN_QUERY_RENDERER_LIMITS)
		ret = ctx ? -EPERM : renderer_limits(r, out); /* the guest must not probe usage */
	else
		ret = backend_query(r, ctx, in, out);
	if (ctx)
		vgn_context_release(ctx);
	return ret;
}
