/* SPDX-License-Identifier: MIT */
#include "vkr_guest_import.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "blob.h"
#include "log.h"
#include "resource.h"
#include "vkr_context.h"

static uint64_t page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);
	return ps > 0 ? (uint64_t)ps : 4096;
}

static VkResult refuse(struct vkr_context *ctx, uint32_t res_id, const char *why)
{
	vgn_warn(ctx->renderer, "vkr context %u: import of resource %u refused: %s", ctx->ctx_id,
	         res_id, why);
	return VK_ERROR_INVALID_EXTERNAL_HANDLE;
}

/* A shared mapping of [offset, offset + size) of fd at an address aligned to align
 * (a power of two, at least a page). NULL on failure. */
static void *map_aligned(int fd, uint64_t offset, uint64_t size, uint64_t align)
{
	if (align <= page_size()) {
		void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
		return p == MAP_FAILED ? NULL : p;
	}
	/* Reserve size + align, place the mapping at the aligned address inside, give
	 * back the rest. */
	uint8_t *r = mmap(NULL, size + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return NULL;
	uintptr_t a = ((uintptr_t)r + align - 1) & ~(uintptr_t)(align - 1);
	uint8_t *p = mmap((void *)a, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
	                  (off_t)offset);
	if (p == MAP_FAILED) {
		munmap(r, size + align);
		return NULL;
	}
	if (p > r)
		munmap(r, (size_t)(p - r));
	size_t tail = (size_t)((r + size + align) - (p + size));
	if (tail)
		munmap(p + size, tail);
	return p;
}

/* The checks that need the resource (a reference is held by the caller). */
static VkResult map_pages(struct vkr_context *ctx, const struct vkr_device *dev, uint32_t res_id,
                          const struct vgn_resource *res, uint64_t size, void **ptr)
{
	const struct vgn_blob *blob = res->blob;
	uint64_t ps = page_size();
	uint64_t align = dev->import_alignment > ps ? dev->import_alignment : ps;
	if (!blob || blob->blob_mem != VGN_BLOB_MEM_GUEST)
		return refuse(ctx, res_id, "not a GUEST blob");
	if (blob->ctx_id != ctx->ctx_id)
		return refuse(ctx, res_id, "the blob was not made for this context");
	if (blob->guest_fd < 0)
		return refuse(ctx, res_id, "the blob was created without the pages' fd");
	if (align & (align - 1))
		return refuse(ctx, res_id, "the host's import alignment is not a power of two");
	if (!size || size % align || size > blob->blob_size)
		return refuse(ctx, res_id, "allocationSize is unaligned or larger than the blob");
	if (blob->guest_fd_offset % ps || blob->guest_fd_offset > (uint64_t)INT64_MAX - size)
		return refuse(ctx, res_id, "the pages' fd offset is not page-aligned");
	if (size > SIZE_MAX - align)
		return refuse(ctx, res_id, "allocationSize too large");
	*ptr = map_aligned(blob->guest_fd, blob->guest_fd_offset, size, align);
	if (!*ptr)
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	return VK_SUCCESS;
}

VkResult vkr_guest_import_prepare(struct vkr_context *ctx, const struct vkr_device *dev,
                                  uint32_t res_id, VkMemoryAllocateInfo *info,
                                  VkImportMemoryHostPointerInfoEXT *import, struct vkr_memory **out)
{
	if (!dev->host_import || !ctx->GetMemoryHostPointerPropertiesEXT)
		return refuse(ctx, res_id, "the host has no VK_EXT_external_memory_host");
	struct vgn_resource *res = vgn_resource_get(ctx->renderer, res_id);
	if (!res)
		return refuse(ctx, res_id, "no such resource");
	const uint64_t size = info->allocationSize;
	void *ptr = NULL;
	VkResult vr = map_pages(ctx, dev, res_id, res, size, &ptr);
	vgn_resource_put(res); /* the mapping holds the pages from here on */
	if (vr != VK_SUCCESS)
		return vr;

	VkMemoryHostPointerPropertiesEXT hp = {
	    .sType = VK_STRUCTURE_TYPE_MEMORY_HOST_POINTER_PROPERTIES_EXT};
	VkResult r =
	    ctx->GetMemoryHostPointerPropertiesEXT(dev->handle, import->handleType, ptr, &hp);
	if (r != VK_SUCCESS || !(hp.memoryTypeBits & (1u << info->memoryTypeIndex))) {
		munmap(ptr, size);
		return refuse(ctx, res_id, "the host cannot import the pages as that memory type");
	}
	struct vkr_memory *mem = calloc(1, sizeof(*mem));
	if (!mem) {
		munmap(ptr, size);
		return VK_ERROR_OUT_OF_HOST_MEMORY;
	}
	mem->fd = -1; /* never exported: the fd is the whole of guest RAM */
	mem->ptr = ptr;
	mem->size = size;
	import->pHostPointer = ptr;
	import->pNext = info->pNext;
	info->pNext = import;
	*out = mem;
	return VK_SUCCESS;
}
