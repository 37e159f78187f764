/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * vkr answers to the metadata queries, computed by the host Vulkan driver itself:
 * format support from vkGetPhysicalDeviceFormatProperties2 (plus the DRM modifier
 * list when the device has VK_EXT_image_drm_format_modifier), image requirements
 * by creating the real VkImage and asking the driver for its layout and memory
 * requirements. The device asked is the first host device a Venus context may use
 * (the one vkr's probe keeps); each query opens its own instance and device and
 * destroys them, so the answer needs no state and no guest context.
 *
 * The allocation an image answer describes (docs/metadata.md): a 2D VkImage with
 * LINEAR tiling, one level, one layer, one sample, usage from bind, bound to
 * memory of the type a mappable Venus allocation would use, and exported as a
 * HOST3D blob through vkr's memory path (a memfd the driver imports, sized to the
 * import alignment: vkr_device.c memory_new).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "format.h"
#include "query.h"
#include "renderer.h"
#include "vkr_context.h"
#include "vkr_query.h"

struct vkr_probe {
	VkInstance inst;
	VkPhysicalDevice pd;
	VkDevice dev;              /* only when an image must be created */
	bool modifiers;            /* VK_EXT_image_drm_format_modifier */
	bool host_import;          /* VK_EXT_external_memory_host: vkr blobs possible */
	uint64_t import_alignment; /* minImportedHostPointerAlignment */
	VkPhysicalDeviceMemoryProperties mem;
};

static bool has_extension(VkPhysicalDevice pd, const char *name)
{
	uint32_t n = 0;
	if (vkEnumerateDeviceExtensionProperties(pd, NULL, &n, NULL) != VK_SUCCESS || !n)
		return false;
	VkExtensionProperties *e = calloc(n, sizeof(*e));
	bool found = false;
	if (e && vkEnumerateDeviceExtensionProperties(pd, NULL, &n, e) >= 0)
		for (uint32_t i = 0; i < n && !found; i++)
			found = !strcmp(e[i].extensionName, name);
	free(e);
	return found;
}

static void probe_close(struct vkr_probe *p)
{
	if (p->dev)
		vkDestroyDevice(p->dev, NULL);
	if (p->inst)
		vkDestroyInstance(p->inst, NULL);
	memset(p, 0, sizeof(*p));
}

static int pick_device(struct vkr_probe *p)
{
	uint32_t n = 0;
	if (vkEnumeratePhysicalDevices(p->inst, &n, NULL) != VK_SUCCESS || !n)
		return -ENODEV;
	VkPhysicalDevice *pds = calloc(n, sizeof(*pds));
	if (!pds)
		return -ENOMEM;
	if (vkEnumeratePhysicalDevices(p->inst, &n, pds) < 0)
		n = 0;
	for (uint32_t i = 0; i < n && !p->pd; i++)
		if (vkr_host_device_usable(vkGetPhysicalDeviceProperties2, pds[i]))
			p->pd = pds[i];
	free(pds);
	return p->pd ? 0 : -ENODEV;
}

static int probe_open(struct vkr_probe *p, bool with_device)
{
	memset(p, 0, sizeof(*p));
	const VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
	                               .pApplicationName = "virgl-next vkr query",
	                               .apiVersion = VK_API_VERSION_1_1};
	const VkInstanceCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
	                                  .pApplicationInfo = &app};
	if (vkCreateInstance(&ici, NULL, &p->inst) != VK_SUCCESS) {
		p->inst = VK_NULL_HANDLE;
		return -ENODEV;
	}
	int ret = pick_device(p);
	if (ret) {
		probe_close(p);
		return ret;
	}
	p->modifiers = has_extension(p->pd, VK_EXT_IMAGE_DRM_FORMAT_MODIFIER_EXTENSION_NAME);
	p->host_import = has_extension(p->pd, VK_EXT_EXTERNAL_MEMORY_HOST_EXTENSION_NAME);
	if (p->host_import) {
		VkPhysicalDeviceExternalMemoryHostPropertiesEXT host = {
		    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_MEMORY_HOST_PROPERTIES_EXT};
		VkPhysicalDeviceProperties2 props = {
		    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, .pNext = &host};
		vkGetPhysicalDeviceProperties2(p->pd, &props);
		p->import_alignment = host.minImportedHostPointerAlignment;
	}
	vkGetPhysicalDeviceMemoryProperties(p->pd, &p->mem);
	if (!with_device)
		return 0;
	const float prio = 1.0f;
	const VkDeviceQueueCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
	                                     .queueFamilyIndex = 0,
	                                     .queueCount = 1,
	                                     .pQueuePriorities = &prio};
	const VkDeviceCreateInfo dci = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
	                                .queueCreateInfoCount = 1,
	                                .pQueueCreateInfos = &qci};
	if (vkCreateDevice(p->pd, &dci, NULL, &p->dev) != VK_SUCCESS) {
		p->dev = VK_NULL_HANDLE;
		probe_close(p);
		return -ENODEV;
	}
	return 0;
}

/* -- format support ----------------------------------------------------------------------- */

static uint32_t bind_of_features(const VkFormatProperties *fp)
{
	const VkFormatFeatureFlags any = fp->linearTilingFeatures | fp->optimalTilingFeatures;
	uint32_t bind = 0;
	if (any & VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT)
		bind |= VGN_BIND_SAMPLER_VIEW;
	if (any & VK_FORMAT_FEATURE_COLOR_ATTACHMENT_BIT)
		bind |= VGN_BIND_RENDER_TARGET;
	if (any & VK_FORMAT_FEATURE_DEPTH_STENCIL_ATTACHMENT_BIT)
		bind |= VGN_BIND_DEPTH_STENCIL;
	if (fp->bufferFeatures & VK_FORMAT_FEATURE_VERTEX_BUFFER_BIT)
		bind |= VGN_BIND_VERTEX_BUFFER;
	/* What the image answers describe: a LINEAR image a host can scan out or map. */
	if (fp->linearTilingFeatures & VK_FORMAT_FEATURE_COLOR_ATTACHMENT_BIT)
		bind |= VGN_BIND_DISPLAY_TARGET | VGN_BIND_SCANOUT;
	if (fp->linearTilingFeatures &
	    (VK_FORMAT_FEATURE_TRANSFER_SRC_BIT | VK_FORMAT_FEATURE_TRANSFER_DST_BIT))
		bind |= VGN_BIND_LINEAR;
	return bind;
}

static int format_support(const struct vkr_probe *p, const struct vgn_query_format_support *q,
                          struct vgn_query_format_support *a)
{
	const VkFormat vf = vkr_vk_format(q->format);
	if (vf == VK_FORMAT_UNDEFINED)
		return -EOPNOTSUPP;
	VkDrmFormatModifierPropertiesEXT mods[VGN_QUERY_MAX_MODIFIERS];
	VkDrmFormatModifierPropertiesListEXT list = {
	    .sType = VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_EXT,
	    .drmFormatModifierCount = VGN_QUERY_MAX_MODIFIERS,
	    .pDrmFormatModifierProperties = mods};
	VkFormatProperties2 fp = {.sType = VK_STRUCTURE_TYPE_FORMAT_PROPERTIES_2,
	                          .pNext = p->modifiers ? &list : NULL};
	vkGetPhysicalDeviceFormatProperties2(p->pd, vf, &fp);
	a->bind = bind_of_features(&fp.formatProperties);
	if (!a->bind)
		return -EOPNOTSUPP;
	const struct vgn_format *f = vgn_format_get(q->format);
	a->drm_fourcc = f ? f->drm_fourcc : 0;
	if (p->modifiers) {
		uint32_t n = list.drmFormatModifierCount;
		for (uint32_t i = 0; i < n && i < VGN_QUERY_MAX_MODIFIERS; i++)
			a->modifiers[a->num_modifiers++] = mods[i].drmFormatModifier;
	} else if (fp.formatProperties.linearTilingFeatures) {
		a->modifiers[a->num_modifiers++] = VGN_DRM_FORMAT_MOD_LINEAR;
	}
	return 0;
}

/* -- image requirements ------------------------------------------------------------------- */

static VkImageUsageFlags usage_of_bind(uint32_t bind, bool depth)
{
	VkImageUsageFlags u = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
	if (bind & VGN_BIND_SAMPLER_VIEW)
		u |= VK_IMAGE_USAGE_SAMPLED_BIT;
	if (bind & (VGN_BIND_RENDER_TARGET | VGN_BIND_DISPLAY_TARGET | VGN_BIND_SCANOUT))
		u |= depth ? 0 : VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT;
	if (bind & VGN_BIND_DEPTH_STENCIL)
		u |= depth ? VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT : 0;
	return u;
}

/* The memory type a mappable allocation of this image takes: host-visible and
 * coherent first (vkr can only export host-visible memory as a blob), cached when
 * the guest asked for a linear (CPU-accessed) image, device-local otherwise. */
static int pick_memory_type(const VkPhysicalDeviceMemoryProperties *mem, uint32_t type_bits,
                            uint32_t bind)
{
	const VkMemoryPropertyFlags base =
	    VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
	const VkMemoryPropertyFlags wanted[] = {base | ((bind & VGN_BIND_LINEAR)
	                                                    ? VK_MEMORY_PROPERTY_HOST_CACHED_BIT
	                                                    : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT),
	                                        base, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT, 0};
	for (uint32_t w = 0; w < sizeof(wanted) / sizeof(wanted[0]); w++)
		for (uint32_t i = 0; i < mem->memoryTypeCount && i < 32; i++)
			if ((type_bits & (1u << i)) &&
			    (mem->memoryTypes[i].propertyFlags & wanted[w]) == wanted[w])
				return (int)i;
	return -1;
}

static uint32_t memory_flags_of(VkMemoryPropertyFlags f)
{
	uint32_t m = 0;
	if (f & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT)
		m |= VGN_MEMORY_DEVICE_LOCAL;
	if (f & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
		m |= VGN_MEMORY_HOST_VISIBLE;
	if (f & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT)
		m |= VGN_MEMORY_HOST_COHERENT;
	if (f & VK_MEMORY_PROPERTY_HOST_CACHED_BIT)
		m |= VGN_MEMORY_HOST_CACHED;
	return m;
}

/* The size vkr's memory path gives the allocation: whole pages, and whole import
 * alignments when the driver wants more (vkr_device.c memory_new). */
static int blob_size(const struct vkr_probe *p, uint64_t size, uint64_t *out)
{
	long ps = sysconf(_SC_PAGESIZE);
	uint64_t align = ps > 0 ? (uint64_t)ps : 4096;
	if (p->import_alignment > align && !(p->import_alignment & (p->import_alignment - 1)))
		align = p->import_alignment;
	if (!size || size > UINT64_MAX - (align - 1))
		return -EINVAL;
	*out = (size + align - 1) & ~(align - 1);
	return 0;
}

static int image_supported(const struct vkr_probe *p, VkFormat vf, VkImageUsageFlags usage,
                           uint32_t width, uint32_t height)
{
	const VkPhysicalDeviceImageFormatInfo2 info = {
	    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_IMAGE_FORMAT_INFO_2,
	    .format = vf,
	    .type = VK_IMAGE_TYPE_2D,
	    .tiling = VK_IMAGE_TILING_LINEAR,
	    .usage = usage};
	VkImageFormatProperties2 props = {.sType = VK_STRUCTURE_TYPE_IMAGE_FORMAT_PROPERTIES_2};
	if (vkGetPhysicalDeviceImageFormatProperties2(p->pd, &info, &props) != VK_SUCCESS)
		return -EOPNOTSUPP;
	const VkExtent3D max = props.imageFormatProperties.maxExtent;
	if (width > max.width || height > max.height)
		return -EOPNOTSUPP;
	return 0;
}

static int image_requirements(const struct vkr_probe *p,
                              const struct vgn_query_image_requirements *q,
                              struct vgn_query_image_requirements *a)
{
	/* Only LINEAR images: this is the only layout vkr's blobs can carry without
	 * VK_EXT_image_drm_format_modifier export, which vkr does not implement. */
	if (!vgn_query_modifier_allowed(q, VGN_DRM_FORMAT_MOD_LINEAR))
		return -EOPNOTSUPP;
	const VkFormat vf = vkr_vk_format(q->format);
	const struct vgn_format *f = vgn_format_get(q->format);
	if (vf == VK_FORMAT_UNDEFINED || !f)
		return -EOPNOTSUPP;
	const bool depth = f->flags & VGN_FMT_DEPTH_STENCIL;
	const VkImageUsageFlags usage = usage_of_bind(q->bind, depth);
	int ret = image_supported(p, vf, usage, q->width, q->height);
	if (ret)
		return ret;
	const VkImageCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
	                               .imageType = VK_IMAGE_TYPE_2D,
	                               .format = vf,
	                               .extent = {q->width, q->height, 1},
	                               .mipLevels = 1,
	                               .arrayLayers = 1,
	                               .samples = VK_SAMPLE_COUNT_1_BIT,
	                               .tiling = VK_IMAGE_TILING_LINEAR,
	                               .usage = usage,
	                               .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
	                               .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED};
	VkImage image;
	VkResult vr = vkCreateImage(p->dev, &ici, NULL, &image);
	if (vr != VK_SUCCESS)
		return vr == VK_ERROR_OUT_OF_HOST_MEMORY || vr == VK_ERROR_OUT_OF_DEVICE_MEMORY
		           ? -ENOMEM
		           : -EOPNOTSUPP;
	const VkImageSubresource sub = {.aspectMask = depth ? VK_IMAGE_ASPECT_DEPTH_BIT
	                                                    : VK_IMAGE_ASPECT_COLOR_BIT};
	VkSubresourceLayout layout;
	VkMemoryRequirements req;
	vkGetImageSubresourceLayout(p->dev, image, &sub, &layout);
	vkGetImageMemoryRequirements(p->dev, image, &req);
	vkDestroyImage(p->dev, image, NULL);

	if (layout.rowPitch > UINT32_MAX || layout.offset > UINT32_MAX)
		return -ENOSPC;
	ret = blob_size(p, req.size, &a->size);
	if (ret)
		return ret;
	const int type = pick_memory_type(&p->mem, req.memoryTypeBits, q->bind);
	if (type < 0)
		return -EOPNOTSUPP;
	const VkMemoryPropertyFlags props = p->mem.memoryTypes[type].propertyFlags;
	a->num_planes = 1;
	a->strides[0] = (uint32_t)layout.rowPitch;
	a->offsets[0] = (uint32_t)layout.offset;
	a->modifier = VGN_DRM_FORMAT_MOD_LINEAR;
	a->memory_flags = memory_flags_of(props);
	/* vkr exports host-visible memory it imported from a memfd: mapped cached. */
	a->map_cache_type = (props & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) && p->host_import
	                        ? VGN_MAP_CACHE_CACHED
	                        : VGN_MAP_CACHE_NONE;
	return 0;
}

/* -- the op ------------------------------------------------------------------------------- */

static int renderer_caps(struct vgn_query_renderer_caps *a)
{
	/* HOST3D blobs of device memory (vkr_memory_blob): a memfd, mapped cached. */
	a->blob_mem_types = 1u << VGN_BLOB_MEM_HOST3D;
	a->blob_flags = VGN_BLOB_FLAG_MAPPABLE | VGN_BLOB_FLAG_SHAREABLE;
	a->export_handle_types = 1u << VGN_HANDLE_TYPE_SHM;
	a->map_cache_types = 1u << VGN_MAP_CACHE_CACHED;
	return 0;
}

int vkr_query(struct vgn_backend *b, struct vgn_context *ctx, const struct vgn_query_header *in,
              struct vgn_query_header *out)
{
	struct vkr_probe p;
	int ret;
	switch (in->type) {
	case VGN_QUERY_RENDERER_CAPS:
		return renderer_caps((struct vgn_query_renderer_caps *)out);
	case VGN_QUERY_FORMAT_SUPPORT:
		ret = probe_open(&p, false);
		if (ret)
			return ret == -ENODEV ? -EOPNOTSUPP : ret;
		ret = format_support(&p, (const struct vgn_query_format_support *)in,
		                     (struct vgn_query_format_support *)out);
		probe_close(&p);
		return ret;
	case VGN_QUERY_IMAGE_REQUIREMENTS:
		ret = probe_open(&p, true);
		if (ret)
			return ret == -ENODEV ? -EOPNOTSUPP : ret;
		ret = image_requirements(&p, (const struct vgn_query_image_requirements *)in,
		                         (struct vgn_query_image_requirements *)out);
		probe_close(&p);
		return ret;
	default:
		return -EOPNOTSUPP;
	}
}
