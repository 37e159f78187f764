/* SPDX-License-Identifier: MIT */
/* Capset info/fill: dispatched to the backend that serves the capset. */
#include <errno.h>

#include "backend.h"
#include "renderer.h"

struct vgn_backend *vgn_renderer_backend_for_capset(vgn_renderer *r, uint32_t capset_id)
{
	if (!capset_id || capset_id >= 64 || !(r->capset_mask & (1ull << capset_id)))
		return NULL;
	for (uint32_t i = 0; i < r->num_backends; i++) {
		struct vgn_backend *b = r->backends[i];
		uint32_t v, s;
		if (b->ops->capset_info && b->ops->context_create &&
		    b->ops->capset_info(b, capset_id, &v, &s) == 0)
			return b;
	}
	return NULL;
}

/* 0 and 64 and up cannot be capset ids (the feature mask has 64 bits). */
static int capset_backend(vgn_renderer *r, uint32_t capset_id, struct vgn_backend **out)
{
	if (!capset_id || capset_id >= 64)
		return -EINVAL;
	struct vgn_backend *b = vgn_renderer_backend_for_capset(r, capset_id);
	if (!b)
		return -ENOTSUP;
	*out = b;
	return 0;
}

VGN_EXPORT int vgn_capset_info(vgn_renderer *r, uint32_t capset_id, uint32_t *max_version,
                               uint32_t *max_size)
{
	if (!r || !max_version || !max_size)
		return -EINVAL;
	struct vgn_backend *b;
	int ret = capset_backend(r, capset_id, &b);
	if (ret)
		return ret;
	uint32_t v = 0, s = 0;
	ret = b->ops->capset_info(b, capset_id, &v, &s);
	if (ret)
		return ret;
	*max_version = v;
	*max_size = s;
	return 0;
}

VGN_EXPORT int vgn_capset_fill(vgn_renderer *r, uint32_t capset_id, uint32_t version, void *buf,
                               size_t buf_size, size_t *written)
{
	if (!r || (!buf && buf_size))
		return -EINVAL;
	struct vgn_backend *b;
	int ret = capset_backend(r, capset_id, &b);
	if (ret)
		return ret;
	if (!b->ops->capset_fill)
		return -ENOTSUP;
	size_t n = 0;
	ret = b->ops->capset_fill(b, capset_id, version, buf, buf_size, &n);
	if (ret)
		return ret;
	if (n > buf_size)
		n = buf_size; /* a backend must not claim more than it could write */
	if (written)
		*written = n;
	return 0;
}
