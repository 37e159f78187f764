/* SPDX-License-Identifier: MIT */
/* The worker-process proxy backend: serves VGN_CAPSET_VENUS by running each
 * context in its own virgl-next-worker process (docs/worker.md). */
#ifndef VGN_WORKER_PROXY_H
#define VGN_WORKER_PROXY_H

#include "backend.h"

/* Default worker timeout when the params say 0. */
#define VGN_DEFAULT_WORKER_TIMEOUT_MS 10000u

/* Factory (backend.h conventions). -ENODEV when the worker executable is missing. */
int vgn_worker_backend_create(vgn_renderer *r, const struct vgn_renderer_params *params,
                              struct vgn_backend **out);

#endif
