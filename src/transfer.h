/* SPDX-License-Identifier: MIT */
/* The one transfer validator and the guest layout rules (vtest.md §8.2). */
#ifndef VGN_TRANSFER_H
#define VGN_TRANSFER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "backend.h"

struct vgn_format;
struct vgn_resource;

/* Extent of one mip level: width and height in texels, slices = depth (3D),
 * 6 (cube), array_size (arrays) or 1. level must be <= last_level. */
void vgn_level_extent(const struct vgn_resource_create_params *p, uint32_t level, uint32_t *w,
                      uint32_t *h, uint32_t *slices);

/* Block layout used for transfers: bytes for buffers, the format's blocks otherwise.
 * -ENOTSUP for formats without a transfer layout (multi-planar YUV, 3D ASTC). */
int vgn_transfer_block(const struct vgn_resource_create_params *p, const struct vgn_format *f,
                       uint32_t *bw, uint32_t *bh, uint32_t *bb);

/* Total guest layout size of validated creation parameters (all levels packed
 * tightly, vtest.md §8.2), times the sample count. -EINVAL on overflow, -ENOTSUP if
 * the format has no layout. */
int vgn_layout_size(const struct vgn_resource_create_params *p, const struct vgn_format *f,
                    uint64_t *size);

/*
 * Validates t against res and the guest memory (iov, num_iovs, iov_total bytes)
 * and fills plan. Rules (virgl-protocol.md §8): level <= last_level; box non-empty
 * and inside the level (checked 64-bit math); block-aligned box for block formats
 * unless it reaches the level edge; stride 0 = tight level stride, layer_stride 0 =
 * stride * block rows of the level; explicit strides must cover the box; the span
 * [offset, offset + span) must lie inside the guest memory.
 * 0, -EINVAL, or -ENOTSUP (format without transfer layout).
 */
int vgn_transfer_validate(const struct vgn_resource *res, const struct vgn_transfer *t,
                          bool to_host, const struct iovec *iov, uint32_t num_iovs,
                          uint64_t iov_total, struct vgn_transfer_plan *plan);

/* Runs a transfer (already size-normalised t) on res_id; iov NULL = the attached
 * backing. Shared by the transfer entry points and copy_out. */
int vgn_transfer_run(vgn_renderer *r, uint32_t res_id, const struct vgn_transfer *t, bool to_host);

#endif
