/* SPDX-License-Identifier: MIT */
/*
 * The backend side of vgn_query (query.c): what a backend's `query` op receives
 * for the typed metadata queries, and the blob capabilities the renderer reports.
 *
 * Contract of the `query` op for the types below: `in` is a validated private
 * copy of the caller's struct (whole v3 struct, format known, width/height in
 * range, num_modifiers <= VGN_QUERY_MAX_MODIFIERS); `out` is a zeroed private
 * struct of the same type whose header is already set. The backend fills the
 * "out" fields and returns 0, or -EOPNOTSUPP to let the next backend answer, or
 * another negative errno that ends the query. It never sees the caller's memory.
 */
#ifndef VGN_QUERY_H
#define VGN_QUERY_H

#include <stdint.h>

#include "virgl-next/virgl_next.h"

struct vgn_renderer;

/* Largest image width/height a query accepts: the bound classic resources have
 * (resource.c), so every answer describes an allocation that could be made. */
#define VGN_QUERY_MAX_DIMENSION 16384u

/* Every VGN_BIND_* flag of the public header. */
#define VGN_BIND_ALL                                                                               \
	(VGN_BIND_DEPTH_STENCIL | VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW |                 \
	 VGN_BIND_VERTEX_BUFFER | VGN_BIND_INDEX_BUFFER | VGN_BIND_CONSTANT_BUFFER |               \
	 VGN_BIND_DISPLAY_TARGET | VGN_BIND_CURSOR | VGN_BIND_CUSTOM | VGN_BIND_SCANOUT |          \
	 VGN_BIND_SHARED | VGN_BIND_LINEAR)

#define VGN_DRM_FORMAT_MOD_LINEAR 0ull
#define VGN_DRM_FORMAT_MOD_INVALID 0x00ffffffffffffffull

/* Blob capabilities of a renderer: the core's own (memfd blobs) plus what every
 * running backend adds through a VGN_QUERY_RENDERER_CAPS answer of its `query`
 * op (only the blob_mem_types, blob_flags, export_handle_types and
 * map_cache_types fields are read from it). vgn_renderer_get_features() calls
 * this from callbacks too, so a backend answers RENDERER_CAPS from immutable
 * state only: no lock, no allocation, no driver call. */
struct vgn_blob_caps {
	uint32_t blob_mem_types;
	uint32_t blob_flags;
	uint32_t export_handle_types;
	uint32_t map_cache_types;
};
void vgn_query_blob_caps(struct vgn_renderer *r, struct vgn_blob_caps *out);

/* True when the allowed-modifier list of a query admits mod (an empty list
 * admits every modifier). */
static inline int vgn_query_modifier_allowed(const struct vgn_query_image_requirements *q,
                                             uint64_t mod)
{
	if (!q->num_modifiers)
		return 1;
	for (uint32_t i = 0; i < q->num_modifiers && i < VGN_QUERY_MAX_MODIFIERS; i++)
		if (q->modifiers[i] == mod)
			return 1;
	return 0;
}

#endif /* VGN_QUERY_H */
