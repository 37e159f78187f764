/* SPDX-License-Identifier: MIT */
/*
 * vrend answers to the metadata queries. Format support comes from the format
 * table and the probe of the live GL context (formats.h): the usages a classic
 * vrend resource of that format can be created with. Image requirements need a
 * buffer allocator that fixes a layout (GBM on a render node); vrend runs on
 * EGL surfaceless with no GBM device, where GL textures have no CPU-visible
 * layout at all, so it answers -EOPNOTSUPP and the next backend answers instead
 * (docs/metadata.md).
 */
#include <errno.h>

#include "backend_internal.h"
#include "backend_query.h"
#include "blob_internal.h"
#include "format.h"
#include "formats.h"
#include "query.h"
#include "res_internal.h"
#include "res_pack.h"
#include "vctx.h"

/* The same acceptance rules as resource creation (res_gl.c check_texture): a GL
 * mapping whose block layout matches the guest's, a transfer conversion, and a
 * probe that found the format usable as a texture. */
static int format_support(struct vgn_backend *b, const struct vgn_query_format_support *q,
                          struct vgn_query_format_support *a)
{
	const struct vrend_res_state *st = vrend_res_state_of(b);
	const struct vrend_format *f = vrend_format_get(q->format);
	const struct vgn_format *core = vgn_format_get(q->format);
	enum vrend_res_conv conv;
	if (!st || !f || !core || core->block_w != f->block_w || core->block_h != f->block_h ||
	    core->block_bytes != f->block_bytes || vrend_res_conv_for(q->format, f, &conv))
		return -EOPNOTSUPP;
	if (!vrend_format_caps_has(&st->caps, q->format, VREND_PROBE_TEXTURE))
		return -EOPNOTSUPP;
	a->bind = VGN_BIND_SAMPLER_VIEW;
	if (vrend_format_caps_has(&st->caps, q->format, VREND_PROBE_RENDER))
		a->bind |= VGN_BIND_RENDER_TARGET | VGN_BIND_DISPLAY_TARGET | VGN_BIND_SCANOUT;
	if (vrend_format_caps_has(&st->caps, q->format, VREND_PROBE_DEPTH))
		a->bind |= VGN_BIND_DEPTH_STENCIL;
	a->drm_fourcc = core->drm_fourcc;
	a->num_modifiers = 0; /* no GBM: GL textures have no modifier */
	return 0;
}

int vrend_backend_query(struct vgn_backend *b, struct vgn_context *ctx,
                        const struct vgn_query_header *in, struct vgn_query_header *out)
{
	switch (in->type) {
	case VGN_QUERY_RENDERER_CAPS: {
		/* HOST3D_GUEST: classic GL objects over guest pages (blob.c), any host.
		 * HOST3D blobs of vrend objects: a memfd, mapped cached. */
		const struct vrend_res_state *st = vrend_res_state_of(b);
		struct vgn_query_renderer_caps *a = (struct vgn_query_renderer_caps *)out;
		a->blob_mem_types = 1u << VGN_BLOB_MEM_HOST3D_GUEST;
		if (!st || !vrend_blob_host_supported(st->info))
			return 0;
		a->blob_mem_types |= 1u << VGN_BLOB_MEM_HOST3D;
		a->blob_flags = VGN_BLOB_FLAG_MAPPABLE | VGN_BLOB_FLAG_SHAREABLE;
		a->export_handle_types = 1u << VGN_HANDLE_TYPE_SHM;
		a->map_cache_types = 1u << VGN_MAP_CACHE_CACHED;
		return 0;
	}
	case VGN_QUERY_FORMAT_SUPPORT:
		return format_support(b, (const struct vgn_query_format_support *)in,
		                      (struct vgn_query_format_support *)out);
	default:
		return -EOPNOTSUPP; /* IMAGE_REQUIREMENTS: no GBM device (see above) */
	}
}
