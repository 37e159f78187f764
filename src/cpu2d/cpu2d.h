/* SPDX-License-Identifier: MIT */
/* What the core asks of the built-in CPU backend beyond the backend ops. */
#ifndef VGN_CPU2D_H
#define VGN_CPU2D_H

#include "virgl-next/virgl_next.h"

struct vgn_resource;

/* Before the guest backing of res goes away (detach, unref): if res is a CPU2D
 * resource whose storage is its shared guest pages, copies them into its host
 * copy so that it keeps its content. res->lock held. */
void vgn_cpu2d_unshare(struct vgn_resource *res);

#endif
