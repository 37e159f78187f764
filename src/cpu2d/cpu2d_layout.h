/* SPDX-License-Identifier: MIT */
/*
 * The host layout of a cpu2d resource, shared by resource creation (cpu2d.c) and
 * the metadata queries (query.c) so that an answer is the allocation's layout by
 * construction: levels packed one after the other, tight block rows, the slices of
 * each level one after the other (vtest.md §8.2).
 */
#ifndef VGN_CPU2D_LAYOUT_H
#define VGN_CPU2D_LAYOUT_H

#include <stdint.h>

#include "virgl-next/virgl_next.h"

struct vgn_backend;
struct vgn_context;
struct vgn_format;

#define CPU2D_MAX_LEVELS 32

struct vgn_cpu2d_layout {
	uint64_t size;
	uint32_t bw, bh, bb; /* block width, height (texels) and bytes */
	uint64_t level_offset[CPU2D_MAX_LEVELS];
	uint64_t stride[CPU2D_MAX_LEVELS];       /* bytes per block row */
	uint64_t layer_stride[CPU2D_MAX_LEVELS]; /* bytes per slice */
};

/* Layout of validated creation parameters. -ENOTSUP when cpu2d cannot hold the
 * resource (multisampled, too many levels, format without a block layout);
 * -ENOMEM when the size is 0 or does not fit this host's address space. */
int vgn_cpu2d_layout(const struct vgn_resource_create_params *p, const struct vgn_format *f,
                     struct vgn_cpu2d_layout *out);

/* The backend's `query` op (src/query.h describes the contract). */
int vgn_cpu2d_query(struct vgn_backend *b, struct vgn_context *ctx,
                    const struct vgn_query_header *in, struct vgn_query_header *out);

#endif /* VGN_CPU2D_LAYOUT_H */
