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
 * Fences on even rings retire synchronously; fences on odd rings retire at once
 * from a backend thread (cross-thread retire, real waits, never a timing
 * dependency); so nothing a harness does waits for long. A full queue (64) fails
 * the fence with -EAGAIN. Classic resources 4099 texels wide refuse to be
 * attached. HOST3D blobs with a blob_id: bit 0 set = a zeroed memfd of the asked
 * size, bit 1 set = one page too small (the core must refuse it), else -ENOENT.
 */
#ifndef VGN_FUZZ_STANDIN_H
#define VGN_FUZZ_STANDIN_H

#include "virgl-next/virgl_next.h"

/* Adds both stand-ins to r (right after vgn_renderer_create). 0 or -errno. */
int fuzz_standin_add(vgn_renderer *r);

#endif
