/* SPDX-License-Identifier: MIT */
/*
 * cpu2d answers to the metadata queries. The image an answer describes is the
 * classic resource vgn_resource_create would make on this backend for a 2D
 * texture of that format and size (one level, one layer, no samples): a linear
 * copy in ordinary host memory, laid out by vgn_cpu2d_layout() like the real one.
 */
#include <errno.h>
#include <string.h>

#include "backend.h"
#include "cpu2d_layout.h"
#include "format.h"
#include "query.h"
#include "renderer.h"

/* The bytes are never interpreted, so every usage gets the same memory. */
#define CPU2D_MEMORY_FLAGS                                                                         \
	(VGN_MEMORY_HOST_VISIBLE | VGN_MEMORY_HOST_COHERENT | VGN_MEMORY_HOST_CACHED)

static void image_params(uint32_t format, uint32_t width, uint32_t height, uint32_t bind,
                         struct vgn_resource_create_params *p)
{
	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	p->target = VGN_TARGET_2D;
	p->format = format;
	p->bind = bind;
	p->width = width;
	p->height = height;
	p->depth = 1;
	p->array_size = 1;
}

static int format_support(const struct vgn_query_format_support *q,
                          struct vgn_query_format_support *a)
{
	const struct vgn_format *f = vgn_format_get(q->format);
	struct vgn_resource_create_params p;
	struct vgn_cpu2d_layout l;
	image_params(q->format, 1, 1, 0, &p);
	if (!f || vgn_cpu2d_layout(&p, f, &l))
		return -EOPNOTSUPP; /* no block layout: cpu2d cannot hold it */
	a->bind = VGN_BIND_ALL;
	a->drm_fourcc = f->drm_fourcc;
	a->num_modifiers = 1;
	a->modifiers[0] = VGN_DRM_FORMAT_MOD_LINEAR;
	return 0;
}

static int image_requirements(vgn_renderer *r, const struct vgn_query_image_requirements *q,
                              struct vgn_query_image_requirements *a)
{
	if (!vgn_query_modifier_allowed(q, VGN_DRM_FORMAT_MOD_LINEAR))
		return -EOPNOTSUPP;
	const struct vgn_format *f = vgn_format_get(q->format);
	struct vgn_resource_create_params p;
	struct vgn_cpu2d_layout l;
	image_params(q->format, q->width, q->height, q->bind, &p);
	if (!f)
		return -EOPNOTSUPP;
	int ret = vgn_cpu2d_layout(&p, f, &l);
	if (ret == -ENOTSUP)
		return -EOPNOTSUPP;
	if (ret)
		return ret;
	if (l.size > r->max_resource_bytes || l.stride[0] > UINT32_MAX)
		return -ENOSPC; /* resource creation would refuse it too */
	a->num_planes = 1;
	a->size = l.size;
	a->strides[0] = (uint32_t)l.stride[0];
	a->offsets[0] = 0;
	a->modifier = VGN_DRM_FORMAT_MOD_LINEAR;
	a->memory_flags = CPU2D_MEMORY_FLAGS;
	a->map_cache_type = VGN_MAP_CACHE_CACHED;
	return 0;
}

int vgn_cpu2d_query(struct vgn_backend *b, struct vgn_context *ctx,
                    const struct vgn_query_header *in, struct vgn_query_header *out)
{
	switch (in->type) {
	case VGN_QUERY_FORMAT_SUPPORT:
		return format_support((const struct vgn_query_format_support *)in,
		                      (struct vgn_query_format_support *)out);
	case VGN_QUERY_IMAGE_REQUIREMENTS:
		return image_requirements(b->renderer,
		                          (const struct vgn_query_image_requirements *)in,
		                          (struct vgn_query_image_requirements *)out);
	default:
		return -EOPNOTSUPP; /* RENDERER_CAPS: no blob memory of its own */
	}
}
