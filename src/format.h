/* SPDX-License-Identifier: MIT */
/* The one virgl format table (virgl-protocol.md §13): block layout per format id. */
#ifndef VGN_FORMAT_H
#define VGN_FORMAT_H

#include <stdint.h>

#define VGN_FMT_COMPRESSED (1u << 0)    /* block-compressed (DXT, RGTC, ETC, BPTC, ASTC 2D, ...) */
#define VGN_FMT_SUBSAMPLED (1u << 1)    /* packed 4:2:2 (2x1 blocks) */
#define VGN_FMT_DEPTH_STENCIL (1u << 2) /* depth and/or stencil */
#define VGN_FMT_UNSUPPORTED (1u << 3)   /* multi-planar YUV, 3D ASTC: no transfers */

struct vgn_format {
	const char *name;
	uint8_t block_w, block_h; /* texels per block (0 when UNSUPPORTED) */
	uint8_t block_bytes;      /* bytes per block (0 when UNSUPPORTED) */
	uint8_t flags;            /* VGN_FMT_* */
	uint32_t drm_fourcc;      /* 0 if none */
};

/* Bounds-checked lookup: NULL for unknown ids, gaps and 0 (NONE). */
const struct vgn_format *vgn_format_get(uint32_t id);

/* Number of blocks covering n texels with blocks of size b (b >= 1). */
static inline uint32_t vgn_nblocks(uint32_t n, uint32_t b)
{
	return n / b + (n % b != 0);
}

#endif
