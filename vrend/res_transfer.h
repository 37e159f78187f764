/* SPDX-License-Identifier: MIT */
/*
 * Transfers inside a command stream (TRANSFER3D, COPY_TRANSFER3D,
 * RESOURCE_INLINE_WRITE): the GL part of res_transfer.c run on the thread's
 * current context, a rendering sub-context, instead of the resource context.
 */
#ifndef VREND_RES_TRANSFER_H
#define VREND_RES_TRANSFER_H

#include <stdint.h>

#include "backend.h"
#include "res_gl.h"

/* Runs a core-validated plan with GL calls on the current context, which shares
 * objects with the resource context. Takes no lock and switches no context: the
 * caller holds its GL section and the lock that protects the plan's guest memory.
 * The current context's texture and framebuffer bindings are restored; its pixel
 * store is left with alignment 1, row length 0 and no pixel buffers bound.
 * *fbo: the caller's framebuffer (of the current context) for readbacks that go
 * through glReadPixels, created on first use; the caller deletes it. No flush:
 * later commands of the same context see the data in order.
 * 0, -EINVAL, -ENOMEM, -ENOTSUP (not readable here), -EIO (GL failed). */
int vrend_res_transfer_here(struct vrend_res_state *st, const struct vrend_resource *vr,
                            const struct vgn_transfer_plan *plan, uint32_t *fbo);

#endif /* VREND_RES_TRANSFER_H */
