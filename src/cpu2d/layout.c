/* SPDX-License-Identifier: MIT */
/* vgn_cpu2d_layout: the one layout computation of the cpu2d backend. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "cpu2d_layout.h"
#include "format.h"
#include "transfer.h"

int vgn_cpu2d_layout(const struct vgn_resource_create_params *p, const struct vgn_format *f,
                     struct vgn_cpu2d_layout *out)
{
	memset(out, 0, sizeof(*out));
	if (p->nr_samples > 1 || p->last_level >= CPU2D_MAX_LEVELS)
		return -ENOTSUP;
	if (vgn_transfer_block(p, f, &out->bw, &out->bh, &out->bb))
		return -ENOTSUP;
	/* The caller validated the parameters (dimensions bounded), so none of these
	 * sums can wrap: at most 32 levels of 16384^2 texels of 32-byte blocks. */
	uint64_t off = 0;
	for (uint32_t level = 0; level <= p->last_level; level++) {
		uint32_t w, h, slices;
		vgn_level_extent(p, level, &w, &h, &slices);
		out->level_offset[level] = off;
		out->stride[level] = (uint64_t)vgn_nblocks(w, out->bw) * out->bb;
		out->layer_stride[level] = out->stride[level] * vgn_nblocks(h, out->bh);
		off += out->layer_stride[level] * slices;
	}
	if (off > SIZE_MAX || off == 0)
		return -ENOMEM;
	out->size = off;
	return 0;
}
