/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * What Mesa's Venus driver needs from the host device before it offers VK_KHR_swapchain (and
 * synchronization2, hence Vulkan 1.3), emulated on host devices that lack it (lavapipe):
 *  - VK_EXT_image_drm_format_modifier with the LINEAR modifier only: such images are host
 *    VK_IMAGE_TILING_LINEAR images, the format queries answer one LINEAR modifier;
 *  - VK_KHR_external_semaphore_fd limited to importing an "already signalled" SYNC_FD, which
 *    Venus sends as vkImportSemaphoreResourceMESA with resourceId 0: an empty host submission
 *    that signals the semaphore.
 * docs/vkr.md ("vkcube / WSI through Venus") lists what is and is not covered.
 */
#ifndef VKR_WSI_EMUL_H
#define VKR_WSI_EMUL_H

#include <stdbool.h>
#include <stdint.h>

#include "vkr_proto_pt.h"

struct vkr_context;
struct vkr_dispatch;

enum {
	VKR_EMUL_DRM_MODIFIER = 1u << 0, /* VK_EXT_image_drm_format_modifier */
	VKR_EMUL_SYNC_FD = 1u << 1,      /* VK_KHR_external_semaphore_fd */
	VKR_EMUL_COUNT = 2,
};

/* True for an extension name vkr can emulate on any host device (the capset mask must carry
 * it, or the guest's encoder drops the extension's structs). */
bool vkr_wsi_emul_extension(const char *name);

/* The VKR_EMUL_* bits host device pd needs: the emulable extensions it does not offer. */
uint32_t vkr_wsi_emul_probe(const struct vkr_procs *procs, VkPhysicalDevice pd);

/* The VKR_EMUL_* bits of a physical device the context serves (0 for any other handle). */
uint32_t vkr_wsi_emul_pdev(struct vkr_context *ctx, VkPhysicalDevice pd);

/* Writes the extensions of emul (at most VKR_EMUL_COUNT) to props; returns how many. */
uint32_t vkr_wsi_emul_list(uint32_t emul, VkExtensionProperties *props);

/* If name is an extension emul emulates, its VKR_EMUL_* bit (the host must not see the name),
 * else 0. */
uint32_t vkr_wsi_emul_bit(uint32_t emul, const char *name);

/* Installs the handlers of the emulated commands (after the pass-through ones). */
void vkr_wsi_emul_install(struct vkr_dispatch *d);

#endif
