/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * Buffer ranges. Host drivers trust valid usage: lavapipe writes wherever a vkCmdFillBuffer
 * whose size runs past its buffer points (fuzz_venus_live found it, a host SEGV). These
 * handlers keep a hostile guest inside its own buffers for the commands that name byte
 * ranges directly: a buffer's size is recorded at creation, a bind must fit the memory
 * (offset aligned, offset + required size within the allocation), and fill / update / copy
 * ranges must fit bound buffers whose memory is still allocated when the command is
 * recorded. Anything else kills the context (-EINVAL) before the driver sees it. Not covered
 * (docs/vkr.md): shader accesses, image copies, memory freed between recording and
 * execution.
 */
#include <errno.h>
#include <stdlib.h>

#include "vkr_context.h"

struct vkr_buffer {
	uint64_t size;      /* VkBufferCreateInfo.size */
	bool bound;         /* memory is bound: the driver may touch it */
	uint64_t memory_id; /* the guest id of that memory: freed memory makes ranges invalid */
	uint64_t memory;    /* and its host handle */
};

static struct vkr_context *C(struct vkr_dispatch *d)
{
	return vkr_stream_of(d)->ctx;
}

static struct vkr_buffer *buffer_of(struct vkr_context *ctx, VkBuffer buffer)
{
	return vkr_objects_extra_of(&ctx->objects, VK_OBJECT_TYPE_BUFFER, VKR_HANDLE_TO_ID(buffer));
}

/* [offset, offset + size) inside a bound buffer; size VK_WHOLE_SIZE = to its end. */
static bool range_ok(struct vkr_context *ctx, const struct vkr_buffer *b, uint64_t offset,
                     uint64_t size)
{
	if (!b || !b->bound || offset >= b->size ||
	    vkr_objects_id_of(&ctx->objects, VK_OBJECT_TYPE_DEVICE_MEMORY, b->memory) !=
	        b->memory_id)
		return false;
	return size == VK_WHOLE_SIZE || (size && size <= b->size - offset);
}

static int create_buffer(struct vkr_dispatch *d, struct vkr_cmd_vkCreateBuffer *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pCreateInfo || !a->pBuffer)
		return -EINVAL;
	const uint64_t id = VKR_HANDLE_TO_ID(*a->pBuffer);
	VKR_TRY(vkr_objects_check_new(&ctx->objects, id));
	struct vkr_buffer *b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->size = a->pCreateInfo->size;
	VkBuffer buffer = VK_NULL_HANDLE;
	a->ret = ctx->procs.vkCreateBuffer(a->device, a->pCreateInfo, NULL, &buffer);
	if (a->ret != VK_SUCCESS) {
		free(b);
		*a->pBuffer = VKR_ID_TO_HANDLE(VkBuffer, id);
		return 0;
	}
	int ret = vkr_objects_add(&ctx->objects, VK_OBJECT_TYPE_BUFFER, id,
	                          VKR_HANDLE_TO_ID(buffer), VKR_HANDLE_TO_ID(a->device), b);
	if (ret) {
		ctx->procs.vkDestroyBuffer(a->device, buffer, NULL);
		free(b);
		return ret;
	}
	*a->pBuffer = VKR_ID_TO_HANDLE(VkBuffer, id);
	return 0;
}

/* A bind the driver can honour without touching memory outside the allocation. */
static int check_bind(struct vkr_context *ctx, VkDevice device, VkBuffer buffer,
                      VkDeviceMemory memory, uint64_t offset)
{
	struct vkr_buffer *b = buffer_of(ctx, buffer);
	const struct vkr_memory *mem = vkr_objects_extra_of(
	    &ctx->objects, VK_OBJECT_TYPE_DEVICE_MEMORY, VKR_HANDLE_TO_ID(memory));
	if (!b || !mem || b->bound)
		return -EINVAL;
	VkMemoryRequirements req = {0};
	ctx->procs.vkGetBufferMemoryRequirements(device, buffer, &req);
	if (!req.alignment || offset % req.alignment || offset > mem->alloc_size ||
	    req.size > mem->alloc_size - offset)
		return -EINVAL;
	return 0;
}

static void mark_bound(struct vkr_context *ctx, VkBuffer buffer, VkDeviceMemory memory)
{
	struct vkr_buffer *b = buffer_of(ctx, buffer);
	b->bound = true;
	b->memory = VKR_HANDLE_TO_ID(memory);
	b->memory_id = vkr_objects_id_of(&ctx->objects, VK_OBJECT_TYPE_DEVICE_MEMORY, b->memory);
}

static int bind_buffer_memory(struct vkr_dispatch *d, struct vkr_cmd_vkBindBufferMemory *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs)
		return -EINVAL;
	VKR_TRY(check_bind(ctx, a->device, a->buffer, a->memory, a->memoryOffset));
	a->ret = ctx->procs.vkBindBufferMemory(a->device, a->buffer, a->memory, a->memoryOffset);
	if (a->ret == VK_SUCCESS)
		mark_bound(ctx, a->buffer, a->memory);
	return 0;
}

static int bind_buffer_memory2(struct vkr_dispatch *d, struct vkr_cmd_vkBindBufferMemory2 *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || (a->bindInfoCount && !a->pBindInfos))
		return -EINVAL;
	for (uint32_t i = 0; i < a->bindInfoCount; i++) {
		const VkBindBufferMemoryInfo *bi = &a->pBindInfos[i];
		VKR_TRY(check_bind(ctx, a->device, bi->buffer, bi->memory, bi->memoryOffset));
		for (uint32_t j = 0; j < i; j++)
			if (a->pBindInfos[j].buffer == bi->buffer)
				return -EINVAL; /* bound twice in one call */
	}
	a->ret = ctx->procs.vkBindBufferMemory2(a->device, a->bindInfoCount, a->pBindInfos);
	if (a->ret == VK_SUCCESS)
		for (uint32_t i = 0; i < a->bindInfoCount; i++)
			mark_bound(ctx, a->pBindInfos[i].buffer, a->pBindInfos[i].memory);
	return 0;
}

static int cmd_fill_buffer(struct vkr_dispatch *d, struct vkr_cmd_vkCmdFillBuffer *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || a->dstOffset % 4 || (a->size != VK_WHOLE_SIZE && a->size % 4) ||
	    !range_ok(ctx, buffer_of(ctx, a->dstBuffer), a->dstOffset, a->size))
		return -EINVAL;
	ctx->procs.vkCmdFillBuffer(a->commandBuffer, a->dstBuffer, a->dstOffset, a->size, a->data);
	return 0;
}

static int cmd_update_buffer(struct vkr_dispatch *d, struct vkr_cmd_vkCmdUpdateBuffer *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pData || a->dstOffset % 4 || a->dataSize % 4 ||
	    a->dataSize > 65536 || a->dataSize == VK_WHOLE_SIZE ||
	    !range_ok(ctx, buffer_of(ctx, a->dstBuffer), a->dstOffset, a->dataSize))
		return -EINVAL;
	ctx->procs.vkCmdUpdateBuffer(a->commandBuffer, a->dstBuffer, a->dstOffset, a->dataSize,
	                             a->pData);
	return 0;
}

static bool copy_ok(struct vkr_context *ctx, const struct vkr_buffer *src,
                    const struct vkr_buffer *dst, uint64_t src_offset, uint64_t dst_offset,
                    uint64_t size)
{
	return size != VK_WHOLE_SIZE && range_ok(ctx, src, src_offset, size) &&
	       range_ok(ctx, dst, dst_offset, size);
}

static int cmd_copy_buffer(struct vkr_dispatch *d, struct vkr_cmd_vkCmdCopyBuffer *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || (a->regionCount && !a->pRegions))
		return -EINVAL;
	const struct vkr_buffer *src = buffer_of(ctx, a->srcBuffer),
	                        *dst = buffer_of(ctx, a->dstBuffer);
	for (uint32_t i = 0; i < a->regionCount; i++) {
		const VkBufferCopy *r = &a->pRegions[i];
		if (!copy_ok(ctx, src, dst, r->srcOffset, r->dstOffset, r->size))
			return -EINVAL;
	}
	ctx->procs.vkCmdCopyBuffer(a->commandBuffer, a->srcBuffer, a->dstBuffer, a->regionCount,
	                           a->pRegions);
	return 0;
}

static int cmd_copy_buffer2(struct vkr_dispatch *d, struct vkr_cmd_vkCmdCopyBuffer2 *a)
{
	struct vkr_context *ctx = C(d);
	const VkCopyBufferInfo2 *ci = a->pCopyBufferInfo;
	if (!ctx->have_procs || !ci || !ctx->procs.vkCmdCopyBuffer2 ||
	    (ci->regionCount && !ci->pRegions))
		return -EINVAL;
	const struct vkr_buffer *src = buffer_of(ctx, ci->srcBuffer),
	                        *dst = buffer_of(ctx, ci->dstBuffer);
	for (uint32_t i = 0; i < ci->regionCount; i++) {
		const VkBufferCopy2 *r = &ci->pRegions[i];
		if (!copy_ok(ctx, src, dst, r->srcOffset, r->dstOffset, r->size))
			return -EINVAL;
	}
	ctx->procs.vkCmdCopyBuffer2(a->commandBuffer, ci);
	return 0;
}

void vkr_buffer_install(struct vkr_dispatch *d)
{
	d->vkCreateBuffer = create_buffer;
	d->vkBindBufferMemory = bind_buffer_memory;
	d->vkBindBufferMemory2 = bind_buffer_memory2;
	d->vkCmdFillBuffer = cmd_fill_buffer;
	d->vkCmdUpdateBuffer = cmd_update_buffer;
	d->vkCmdCopyBuffer = cmd_copy_buffer;
	d->vkCmdCopyBuffer2 = cmd_copy_buffer2;
}
