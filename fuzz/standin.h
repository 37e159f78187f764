/* SPDX-License-Identifier: MIT */
/*
 * Stand-in GPU backends for the fuzz harnesses, plugged into a renderer through
 * the internal vgn_renderer_add_backend() (the GL and Vulkan backends are not
 * wired into the library yet). They make every guest-reachable path of the core
 * and of the vtest server live without a GPU:
 *
 *  - "standin-gl" serves capsets VIRGL and VIRGL2. Its contexts run every
 *    submitted stream through vrend's decoder framework (when built) and die on a
 *    malformed stream, like the real backend will.
 *  - "standin-venus" serves capset VENUS. Its contexts run every submitted stream
 *    through the generated Venus decoders (when built); commands without a host
 *    handler are decoded and then ignored, a malformed stream is fatal.
 *
 * Both are synchronous (no context_fence: the core retires fences at once), so
 * nothing a harness does ever waits. HOST3D blobs with a blob_id: bit 0 set = a
 * zeroed memfd of the asked size, bit 1 set = one page too small (the core must
 * refuse it), otherwise -ENOENT.
 */
#ifndef VGN_FUZZ_STANDIN_H
#define VGN_FUZZ_STANDIN_H

#include "virgl-next/virgl_next.h"

/* Adds both stand-ins to r (right after vgn_renderer_create). 0 or -errno. */
int fuzz_standin_add(vgn_renderer *r);

#endif
