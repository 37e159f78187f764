/* SPDX-License-Identifier: MIT */
/*
 * Guest pages as Vulkan memory: vkAllocateMemory with VkImportMemoryResourceInfoMESA
 * naming a GUEST blob becomes a host-pointer import (VK_EXT_external_memory_host) of
 * those very pages, so that the GPU reads and writes what the guest sees with no copy.
 *
 * Rules (docs/shared-mappings.md):
 *  - the resource is a GUEST blob made for this context (blob ctx_id) and created with
 *    the pages' fd (VGN_BLOB_PARAM_HAS_FD, fd_offset page-aligned);
 *  - allocationSize is a non-zero multiple of the page size and of
 *    minImportedHostPointerAlignment and fits in blob_size;
 *  - the host device enabled VK_EXT_external_memory_host and reports the requested
 *    memory type for the pointer (vkGetMemoryHostPointerPropertiesEXT).
 * Otherwise the guest gets VK_ERROR_INVALID_EXTERNAL_HANDLE (a clean Vulkan error, the
 * context lives on).
 *
 * Pinning: vkr maps the pages from the blob's fd into its own shared mapping, which is
 * what the host pointer names. That mapping belongs to the VkDeviceMemory and is
 * unmapped only after vkFreeMemory (or context teardown), so the pages stay valid for
 * the GPU whatever the VMM does with the resource or its own view of guest RAM (unref,
 * unmap, in any order). The bytes stay shared with the guest: they are its RAM.
 */
#ifndef VKR_GUEST_IMPORT_H
#define VKR_GUEST_IMPORT_H

#include <stdint.h>
#include <vulkan/vulkan.h>

struct vkr_context;
struct vkr_device;
struct vkr_memory;

/* For allocate_memory (vkr_device.c): info is its private copy of the guest's
 * VkMemoryAllocateInfo with the MESA struct already unlinked; res_id is that struct's
 * resourceId. On VK_SUCCESS, *import (handleType preset by the caller) is linked first
 * into info->pNext and *out is the memory's extra (fd -1, ptr/size = vkr's mapping of
 * the pages), freed like any other. Otherwise nothing is left behind. */
VkResult vkr_guest_import_prepare(struct vkr_context *ctx, const struct vkr_device *dev,
                                  uint32_t res_id, VkMemoryAllocateInfo *info,
                                  VkImportMemoryHostPointerInfoEXT *import,
                                  struct vkr_memory **out);

#endif /* VKR_GUEST_IMPORT_H */
