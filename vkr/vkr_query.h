/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * The vkr backend's answers to the metadata queries (docs/metadata.md).
 */
#ifndef VKR_QUERY_H
#define VKR_QUERY_H

#include <stdint.h>
#include <vulkan/vulkan.h>

#include "virgl-next/virgl_next.h"

struct vgn_backend;
struct vgn_context;

/* The backend's `query` op (src/query.h describes the contract). */
int vkr_query(struct vgn_backend *b, struct vgn_context *ctx, const struct vgn_query_header *in,
              struct vgn_query_header *out);

/* The VkFormat with the same memory layout as a virgl format, or
 * VK_FORMAT_UNDEFINED (vkr_format_table.c). */
VkFormat vkr_vk_format(uint32_t virgl_format);

#endif /* VKR_QUERY_H */
