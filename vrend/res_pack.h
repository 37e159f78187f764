/* SPDX-License-Identifier: MIT */
/*
 * The CPU side of transfers, no GL: moving a validated plan's rows between the
 * guest iovecs and a tight host copy, and the byte conversions between virgl's
 * packed depth/stencil layouts and the GL types the format table uploads with
 * (virgl-protocol.md section 8). The plan is trusted for its geometry (the core
 * validated it); every size computed here is still checked 64-bit arithmetic.
 *
 * Tight layout of a plan: d slices of `rows` block rows of `row_bytes` bytes, no
 * padding (for 1D_ARRAY the slices are the layers, one row each).
 */
#ifndef VREND_RES_PACK_H
#define VREND_RES_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "formats.h"

enum vrend_res_conv {
	VREND_CONV_NONE = 0,
	/* Z24_UNORM_S8_UINT / X24S8_UINT (depth or X in bits 0..23, stencil in
	 * 24..31) <-> GL_UNSIGNED_INT_24_8 (depth in 8..31, stencil in 0..7): an
	 * 8-bit rotation of each 32-bit word, exact both ways. */
	VREND_CONV_ROTATE_24_8,
	/* Z24X8_UNORM (24-bit depth in bits 0..23) in a GL_DEPTH_COMPONENT24
	 * texture, transferred as GL_UNSIGNED_INT (normalised 32-bit). Upload:
	 * z << 8 | z >> 16 is z / 0xffffff to 32 bits but may sit just below it,
	 * and GL may truncate (Mesa does: z = 1 stored as 0), so the smallest
	 * value >= z * 0xffffffff / 0xffffff is sent instead: (z << 8) + (z >> 16)
	 * + 1, at most 0xffffffff; it stores z whether GL rounds or truncates.
	 * Readback: >> 8 (GL returns z * 0xffffffff / 0xffffff, rounded or
	 * truncated: the top 24 bits are z). The X bits read back as 0. */
	VREND_CONV_Z24X8,
};

/* The conversion a format needs. Formats the table marks VREND_FMT_CONVERT
 * without a conversion implemented here: -ENOTSUP. */
int vrend_res_conv_for(uint32_t vfmt, const struct vrend_format *f, enum vrend_res_conv *out);
/* In place, over whole 32-bit words (bytes % 4 == 0; any alignment). */
void vrend_res_conv_to_gl(enum vrend_res_conv conv, void *data, size_t bytes);
void vrend_res_conv_from_gl(enum vrend_res_conv conv, void *data, size_t bytes);

/* Bytes of the plan's tight layout: 0 or -EINVAL (does not fit in size_t). */
int vrend_res_tight_size(const struct vgn_transfer_plan *plan, size_t *size);
/* Guest rows -> tight copy (dst holds vrend_res_tight_size bytes). 0 or -EINVAL. */
int vrend_res_gather(const struct vgn_transfer_plan *plan, uint8_t *dst);
/* Tight copy -> guest rows; bytes between rows and slices are left alone. */
int vrend_res_scatter(const struct vgn_transfer_plan *plan, const uint8_t *src);
/* Host address of the plan's guest byte `offset` when [offset, offset + span)
 * lies inside one iovec element, else NULL. */
uint8_t *vrend_res_contiguous(const struct vgn_transfer_plan *plan);

#endif /* VREND_RES_PACK_H */
