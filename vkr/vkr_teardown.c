/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * Destruction of the host objects a device still owns (spec 1.11, teardown): at
 * vkDestroyDevice and at context teardown, so that a guest that never destroys its objects
 * (or disconnects abruptly) leaks nothing in the host driver. Objects go in dependency order:
 * users before what they use (pipelines before layouts and modules, views before images,
 * images and buffers before the memory they are bound to), pools take their children along.
 */
#include <errno.h>
#include <stdlib.h>

#include "vkr_context.h"

typedef void (*destroy_fn)(const struct vkr_procs *p, VkDevice dev, uint64_t h);

/* One wrapper per host destroy entry point (they differ in the handle type). */
#define DESTROYER(name, vktype, call)                                                              \
	static void destroy_##name(const struct vkr_procs *p, VkDevice dev, uint64_t h)            \
	{                                                                                          \
		if (p->call)                                                                       \
			p->call(dev, (vktype)(uintptr_t)h, NULL);                                  \
	}

DESTROYER(command_pool, VkCommandPool, vkDestroyCommandPool)
DESTROYER(descriptor_pool, VkDescriptorPool, vkDestroyDescriptorPool)
DESTROYER(framebuffer, VkFramebuffer, vkDestroyFramebuffer)
DESTROYER(pipeline, VkPipeline, vkDestroyPipeline)
DESTROYER(image_view, VkImageView, vkDestroyImageView)
DESTROYER(buffer_view, VkBufferView, vkDestroyBufferView)
DESTROYER(render_pass, VkRenderPass, vkDestroyRenderPass)
DESTROYER(pipeline_layout, VkPipelineLayout, vkDestroyPipelineLayout)
DESTROYER(shader_module, VkShaderModule, vkDestroyShaderModule)
DESTROYER(pipeline_cache, VkPipelineCache, vkDestroyPipelineCache)
DESTROYER(update_template, VkDescriptorUpdateTemplate, vkDestroyDescriptorUpdateTemplate)
DESTROYER(query_pool, VkQueryPool, vkDestroyQueryPool)
DESTROYER(event, VkEvent, vkDestroyEvent)
DESTROYER(fence, VkFence, vkDestroyFence)
DESTROYER(semaphore, VkSemaphore, vkDestroySemaphore)
DESTROYER(private_data_slot, VkPrivateDataSlot, vkDestroyPrivateDataSlot)
DESTROYER(set_layout, VkDescriptorSetLayout, vkDestroyDescriptorSetLayout)
DESTROYER(sampler, VkSampler, vkDestroySampler)
DESTROYER(image, VkImage, vkDestroyImage)
DESTROYER(buffer, VkBuffer, vkDestroyBuffer)
DESTROYER(ycbcr, VkSamplerYcbcrConversion, vkDestroySamplerYcbcrConversion)
DESTROYER(memory, VkDeviceMemory, vkFreeMemory)

/* Lower rank goes first. Types absent here are not destroyed one by one: command buffers and
 * descriptor sets die with their pools, queues and physical devices are not created. */
static const struct {
	VkObjectType type;
	uint8_t rank;
	destroy_fn destroy;
} destroyers[] = {
    {VK_OBJECT_TYPE_COMMAND_POOL, 0, destroy_command_pool},
    {VK_OBJECT_TYPE_DESCRIPTOR_POOL, 0, destroy_descriptor_pool},
    {VK_OBJECT_TYPE_FRAMEBUFFER, 0, destroy_framebuffer},
    {VK_OBJECT_TYPE_PIPELINE, 0, destroy_pipeline},
    {VK_OBJECT_TYPE_IMAGE_VIEW, 1, destroy_image_view},
    {VK_OBJECT_TYPE_BUFFER_VIEW, 1, destroy_buffer_view},
    {VK_OBJECT_TYPE_RENDER_PASS, 1, destroy_render_pass},
    {VK_OBJECT_TYPE_PIPELINE_LAYOUT, 1, destroy_pipeline_layout},
    {VK_OBJECT_TYPE_SHADER_MODULE, 1, destroy_shader_module},
    {VK_OBJECT_TYPE_PIPELINE_CACHE, 1, destroy_pipeline_cache},
    {VK_OBJECT_TYPE_DESCRIPTOR_UPDATE_TEMPLATE, 1, destroy_update_template},
    {VK_OBJECT_TYPE_QUERY_POOL, 1, destroy_query_pool},
    {VK_OBJECT_TYPE_EVENT, 1, destroy_event},
    {VK_OBJECT_TYPE_FENCE, 1, destroy_fence},
    {VK_OBJECT_TYPE_SEMAPHORE, 1, destroy_semaphore},
    {VK_OBJECT_TYPE_PRIVATE_DATA_SLOT, 1, destroy_private_data_slot},
    {VK_OBJECT_TYPE_DESCRIPTOR_SET_LAYOUT, 2, destroy_set_layout},
    {VK_OBJECT_TYPE_IMAGE, 2, destroy_image},
    {VK_OBJECT_TYPE_BUFFER, 2, destroy_buffer},
    {VK_OBJECT_TYPE_SAMPLER, 3, destroy_sampler}, /* after the layouts that embed it */
    {VK_OBJECT_TYPE_SAMPLER_YCBCR_CONVERSION, 4, destroy_ycbcr},
    {VK_OBJECT_TYPE_DEVICE_MEMORY, 4, destroy_memory},
};

#define NUM_DESTROYERS (sizeof(destroyers) / sizeof(destroyers[0]))

struct doomed {
	uint64_t handle;
	uint8_t rank, which;
};

static int by_rank(const void *a, const void *b)
{
	const struct doomed *x = a, *y = b;
	return (int)x->rank - (int)y->rank;
}

void vkr_destroy_device_objects(struct vkr_context *ctx, VkDevice device)
{
	struct vkr_objects *t = &ctx->objects;
	const uint64_t dev = VKR_HANDLE_TO_ID(device);
	if (!ctx->have_procs || !dev)
		return;
	/* Snapshot under the lock; the host calls run without it. */
	pthread_mutex_lock(&t->lock);
	struct doomed *list = t->count ? calloc(t->count, sizeof(*list)) : NULL;
	uint32_t n = 0;
	for (uint32_t i = 0; list && i < t->count; i++) {
		if (t->slots[i].parent != dev)
			continue;
		for (uint8_t k = 0; k < NUM_DESTROYERS; k++) {
			if (destroyers[k].type == t->slots[i].type) {
				list[n++] =
				    (struct doomed){t->slots[i].handle, destroyers[k].rank, k};
				break;
			}
		}
	}
	pthread_mutex_unlock(&t->lock);
	if (!list)
		return;
	qsort(list, n, sizeof(*list), by_rank);
	for (uint32_t i = 0; i < n; i++)
		destroyers[list[i].which].destroy(&ctx->procs, device, list[i].handle);
	free(list);
	/* The bindings stay until the caller drops the device (they name dead handles now). */
}

void vkr_destroy_untracked(struct vkr_context *ctx, VkObjectType type, uint64_t handle,
                           uint64_t device)
{
	if (!ctx->have_procs || !handle || !device)
		return;
	for (uint8_t k = 0; k < NUM_DESTROYERS; k++) {
		if (destroyers[k].type == type) {
			destroyers[k].destroy(&ctx->procs, (VkDevice)(uintptr_t)device, handle);
			return;
		}
	}
	/* Pool children: their pool (tracked) frees them. */
}

/* Created but never destroyed one by one: pool children, queues, physical devices, and the
 * device and instance (hand-written handlers destroy those last). */
static bool implicit_type(VkObjectType t)
{
	return t == VK_OBJECT_TYPE_COMMAND_BUFFER || t == VK_OBJECT_TYPE_DESCRIPTOR_SET ||
	       t == VK_OBJECT_TYPE_QUEUE || t == VK_OBJECT_TYPE_PHYSICAL_DEVICE ||
	       t == VK_OBJECT_TYPE_DEVICE || t == VK_OBJECT_TYPE_INSTANCE;
}

int vkr_teardown_check(VkObjectType *missing)
{
	for (uint32_t i = 0; i < vkr_pt_num_created_types; i++) {
		const VkObjectType t = vkr_pt_created_types[i];
		bool known = implicit_type(t);
		for (uint32_t k = 0; k < NUM_DESTROYERS && !known; k++)
			known = destroyers[k].type == t;
		if (!known) {
			*missing = t;
			return -ENOTSUP;
		}
	}
	return 0;
}
