/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * Emulation of VK_EXT_image_drm_format_modifier (LINEAR only) and of SYNC_FD semaphore import
 * ("already signalled" only) on host devices that lack them (vkr_wsi_emul.h). Mesa's Venus
 * offers VK_KHR_swapchain only when both are there, and synchronization2 only with the second.
 *
 * Every handler here also owns the non-emulated path of its command (same as the pass-through
 * one), so that a struct or value of an emulated extension never reaches a host driver that
 * does not know it: a guest that uses one without having enabled the extension, or in a way
 * the emulation does not cover, kills its context with a reason in the log.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vkr_context.h"
#include "vkr_pt_hooks.h"
#include "vkr_wsi_emul.h"

#define DRM_FORMAT_MOD_LINEAR 0ull
#define MEMORY_PLANE_ASPECTS                                                                       \
	(VK_IMAGE_ASPECT_MEMORY_PLANE_0_BIT_EXT | VK_IMAGE_ASPECT_MEMORY_PLANE_1_BIT_EXT |         \
	 VK_IMAGE_ASPECT_MEMORY_PLANE_2_BIT_EXT | VK_IMAGE_ASPECT_MEMORY_PLANE_3_BIT_EXT)

static const struct {
	const char *name;
	uint32_t spec_version;
	uint32_t bit;
} emulated[VKR_EMUL_COUNT] = {
    {VK_EXT_IMAGE_DRM_FORMAT_MODIFIER_EXTENSION_NAME, VK_EXT_IMAGE_DRM_FORMAT_MODIFIER_SPEC_VERSION,
     VKR_EMUL_DRM_MODIFIER},
    {VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME, VK_KHR_EXTERNAL_SEMAPHORE_FD_SPEC_VERSION,
     VKR_EMUL_SYNC_FD},
};

/* Object extras (freed with their binding). */
struct vkr_emul_image {
	VkDevice device; /* an image created with the emulated LINEAR modifier */
};

struct vkr_emul_semaphore {
	VkDevice device;
	bool timeline;
};

bool vkr_wsi_emul_extension(const char *name)
{
	for (uint32_t i = 0; i < VKR_EMUL_COUNT; i++)
		if (!strcmp(name, emulated[i].name))
			return true;
	return false;
}

uint32_t vkr_wsi_emul_probe(const struct vkr_procs *procs, VkPhysicalDevice pd)
{
	uint32_t missing = VKR_EMUL_DRM_MODIFIER | VKR_EMUL_SYNC_FD;
	uint32_t n = 0;
	if (procs->vkEnumerateDeviceExtensionProperties(pd, NULL, &n, NULL) < 0)
		return 0;
	VkExtensionProperties *p = calloc(n ? n : 1, sizeof(*p));
	if (!p || procs->vkEnumerateDeviceExtensionProperties(pd, NULL, &n, p) < 0) {
		free(p);
		return 0; /* emulate nothing on a device we cannot even list */
	}
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < VKR_EMUL_COUNT; j++)
			if (!strncmp(p[i].extensionName, emulated[j].name,
			             VK_MAX_EXTENSION_NAME_SIZE))
				missing &= ~emulated[j].bit;
	free(p);
	return missing;
}

uint32_t vkr_wsi_emul_list(uint32_t emul, VkExtensionProperties *props)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < VKR_EMUL_COUNT; i++) {
		if (!(emul & emulated[i].bit))
			continue;
		memset(&props[k], 0, sizeof(props[k]));
		snprintf(props[k].extensionName, sizeof(props[k].extensionName), "%s",
		         emulated[i].name);
		props[k].specVersion = emulated[i].spec_version;
		k++;
	}
	return k;
}

uint32_t vkr_wsi_emul_bit(uint32_t emul, const char *name)
{
	for (uint32_t i = 0; i < VKR_EMUL_COUNT; i++)
		if ((emul & emulated[i].bit) && !strcmp(name, emulated[i].name))
			return emulated[i].bit;
	return 0;
}

/* -- helpers ---------------------------------------------------------------------------------- */

static struct vkr_context *C(struct vkr_dispatch *d)
{
	return vkr_stream_of(d)->ctx;
}

/* Logs why and kills the context; the handler returns the result. */
static int refuse(struct vkr_context *ctx, const char *why)
{
	vkr_context_fatal(ctx, -EINVAL, why);
	return -EINVAL;
}

uint32_t vkr_wsi_emul_pdev(struct vkr_context *ctx, VkPhysicalDevice pd)
{
	for (uint32_t i = 0; i < ctx->num_pdevs; i++)
		if (ctx->pdevs[i].handle == pd)
			return ctx->pdevs[i].emul;
	return 0;
}

static struct vkr_device *device_of(struct vkr_context *ctx, VkDevice device)
{
	return vkr_objects_extra_of(&ctx->objects, VK_OBJECT_TYPE_DEVICE, VKR_HANDLE_TO_ID(device));
}

/* The decoded chains live in the stream's arena: unlinking a node there is ours to do. */
static const void *find_in(const void *chain, VkStructureType type)
{
	for (const VkBaseInStructure *s = chain; s; s = s->pNext)
		if (s->sType == type)
			return s;
	return NULL;
}

static void unlink_in(const void **head, VkStructureType type)
{
	const VkBaseInStructure **link = (const VkBaseInStructure **)head;
	while (*link) {
		if ((*link)->sType == type)
			*link = (*link)->pNext;
		else
			link = (const VkBaseInStructure **)&(*link)->pNext;
	}
}

/* A node taken out of an output chain, and where it was: the reply must list the chain in the
 * guest's order (Mesa's decoder walks its own chain forward), so it goes back in place. */
struct unlinked {
	VkBaseOutStructure **link;
	VkBaseOutStructure *node; /* NULL: there was none */
};

static struct unlinked unlink_out(void **head, VkStructureType type)
{
	VkBaseOutStructure **link = (VkBaseOutStructure **)head;
	for (; *link; link = &(*link)->pNext) {
		if ((*link)->sType == type) {
			struct unlinked u = {link, *link};
			*link = u.node->pNext;
			return u;
		}
	}
	return (struct unlinked){NULL, NULL};
}

/* Undoes unlink_out; several nodes go back in the reverse order of their removal. */
static void relink_out(struct unlinked u)
{
	if (!u.node)
		return;
	u.node->pNext = *u.link;
	*u.link = u.node;
}

/* Formats that get the LINEAR modifier: single-plane colour formats (no depth/stencil, no
 * multi-planar YCbCr, whose modifiers would have several memory planes). */
static bool modifier_format(VkFormat f)
{
	if (f >= VK_FORMAT_R4G4_UNORM_PACK8 && f <= VK_FORMAT_ASTC_12x12_SRGB_BLOCK)
		return f < VK_FORMAT_D16_UNORM || f > VK_FORMAT_D32_SFLOAT_S8_UINT;
	return f == VK_FORMAT_A4R4G4B4_UNORM_PACK16 || f == VK_FORMAT_A4B4G4R4_UNORM_PACK16;
}

/* -- VK_EXT_image_drm_format_modifier ---------------------------------------------------------- */

/* Rewrites an image create info for the host: DRM_FORMAT_MODIFIER_EXT tiling with a modifier
 * list or explicit layout that allows LINEAR becomes LINEAR tiling, the struct dropped. *linear
 * tells whether it did; *explicit is the explicit layout to check after creation. */
static int rewrite_image_info(struct vkr_context *ctx, const struct vkr_device *dev,
                              VkImageCreateInfo *info, bool *linear,
                              const VkImageDrmFormatModifierExplicitCreateInfoEXT **explicit)
{
	const VkImageDrmFormatModifierListCreateInfoEXT *list =
	    find_in(info->pNext, VK_STRUCTURE_TYPE_IMAGE_DRM_FORMAT_MODIFIER_LIST_CREATE_INFO_EXT);
	const VkImageDrmFormatModifierExplicitCreateInfoEXT *expl = find_in(
	    info->pNext, VK_STRUCTURE_TYPE_IMAGE_DRM_FORMAT_MODIFIER_EXPLICIT_CREATE_INFO_EXT);
	const bool drm = info->tiling == VK_IMAGE_TILING_DRM_FORMAT_MODIFIER_EXT || list || expl;
	*linear = false;
	*explicit = NULL;
	if (!(dev->emul & VKR_EMUL_DRM_MODIFIER)) {
		if (drm && (vkr_wsi_emul_pdev(ctx, dev->physical) & VKR_EMUL_DRM_MODIFIER))
			return refuse(ctx, "vkr: DRM format modifier image without "
			                   "VK_EXT_image_drm_format_modifier enabled");
		return 0; /* not emulated on this device: the host's own extension, or plain */
	}
	if (!drm)
		return 0;
	if (info->tiling != VK_IMAGE_TILING_DRM_FORMAT_MODIFIER_EXT)
		return refuse(ctx, "vkr: DRM format modifier struct without "
		                   "VK_IMAGE_TILING_DRM_FORMAT_MODIFIER_EXT");
	if (!list == !expl)
		return refuse(ctx,
		              "vkr: DRM format modifier image needs exactly one of the modifier "
		              "list and the explicit layout");
	if (!modifier_format(info->format))
		return refuse(ctx, "vkr: DRM format modifier image of a format without the LINEAR "
		                   "modifier (emulated: single-plane colour formats only)");
	if (info->flags & VK_IMAGE_CREATE_DISJOINT_BIT)
		return refuse(ctx,
		              "vkr: disjoint DRM format modifier image (emulated LINEAR has one "
		              "memory plane)");
	if (list) {
		bool has_linear = false;
		for (uint32_t i = 0; list->pDrmFormatModifiers && i < list->drmFormatModifierCount;
		     i++)
			has_linear |= list->pDrmFormatModifiers[i] == DRM_FORMAT_MOD_LINEAR;
		if (!has_linear)
			return refuse(ctx, "vkr: DRM format modifier list without LINEAR (the only "
			                   "modifier vkr offers)");
	} else {
		if (expl->drmFormatModifier != DRM_FORMAT_MOD_LINEAR ||
		    expl->drmFormatModifierPlaneCount != 1 || !expl->pPlaneLayouts)
			return refuse(ctx,
			              "vkr: explicit DRM format modifier other than LINEAR with "
			              "one plane");
		*explicit = expl;
	}
	unlink_in(&info->pNext, VK_STRUCTURE_TYPE_IMAGE_DRM_FORMAT_MODIFIER_LIST_CREATE_INFO_EXT);
	unlink_in(&info->pNext,
	          VK_STRUCTURE_TYPE_IMAGE_DRM_FORMAT_MODIFIER_EXPLICIT_CREATE_INFO_EXT);
	info->tiling = VK_IMAGE_TILING_LINEAR;
	*linear = true;
	return 0;
}

/* Whether the host's LINEAR layout is the one the guest asked for (offset and pitches). */
static bool layout_matches(struct vkr_context *ctx, VkDevice device, VkImage image,
                           const VkImageCreateInfo *info,
                           const VkImageDrmFormatModifierExplicitCreateInfoEXT *expl)
{
	const VkImageSubresource sub = {.aspectMask = VK_IMAGE_ASPECT_COLOR_BIT};
	VkSubresourceLayout got = {0};
	ctx->procs.vkGetImageSubresourceLayout(device, image, &sub, &got);
	const VkSubresourceLayout *want = &expl->pPlaneLayouts[0];
	return got.offset == want->offset && got.rowPitch == want->rowPitch &&
	       (info->arrayLayers <= 1 || got.arrayPitch == want->arrayPitch) &&
	       (info->extent.depth <= 1 || got.depthPitch == want->depthPitch);
}

static int create_image(struct vkr_dispatch *d, struct vkr_cmd_vkCreateImage *a)
{
	struct vkr_context *ctx = C(d);
	struct vkr_device *dev = device_of(ctx, a->device);
	if (!ctx->have_procs || !dev || !a->pCreateInfo || !a->pImage)
		return -EINVAL;
	const uint64_t id = VKR_HANDLE_TO_ID(*a->pImage);
	VKR_TRY(vkr_objects_check_new(&ctx->objects, id));
	VkImageCreateInfo info = *a->pCreateInfo;
	bool linear;
	const VkImageDrmFormatModifierExplicitCreateInfoEXT *expl;
	VKR_TRY(rewrite_image_info(ctx, dev, &info, &linear, &expl));

	struct vkr_emul_image *extra = NULL;
	if (linear) {
		extra = calloc(1, sizeof(*extra));
		if (!extra)
			return -ENOMEM;
		extra->device = a->device;
	}
	VkImage image = VK_NULL_HANDLE;
	a->ret = ctx->procs.vkCreateImage(a->device, &info, NULL, &image);
	if (a->ret == VK_SUCCESS && expl && !layout_matches(ctx, a->device, image, &info, expl)) {
		ctx->procs.vkDestroyImage(a->device, image, NULL);
		a->ret = VK_ERROR_INVALID_DRM_FORMAT_MODIFIER_PLANE_LAYOUT_EXT;
	}
	*a->pImage = VKR_ID_TO_HANDLE(VkImage, id);
	if (a->ret != VK_SUCCESS) {
		free(extra);
		return 0;
	}
	int ret = vkr_objects_add(&ctx->objects, VK_OBJECT_TYPE_IMAGE, id, VKR_HANDLE_TO_ID(image),
	                          VKR_HANDLE_TO_ID(a->device), extra);
	if (ret) {
		ctx->procs.vkDestroyImage(a->device, image, NULL);
		free(extra);
	}
	return ret;
}

static int
get_device_image_memory_requirements(struct vkr_dispatch *d,
                                     struct vkr_cmd_vkGetDeviceImageMemoryRequirements *a)
{
	struct vkr_context *ctx = C(d);
	struct vkr_device *dev = device_of(ctx, a->device);
	if (!ctx->have_procs || !ctx->procs.vkGetDeviceImageMemoryRequirements || !dev ||
	    !a->pInfo || !a->pInfo->pCreateInfo || !a->pMemoryRequirements)
		return -EINVAL;
	VkDeviceImageMemoryRequirements req = *a->pInfo;
	VkImageCreateInfo info = *req.pCreateInfo;
	bool linear;
	const VkImageDrmFormatModifierExplicitCreateInfoEXT *expl;
	VKR_TRY(rewrite_image_info(ctx, dev, &info, &linear, &expl));
	req.pCreateInfo = &info;
	if (linear)
		req.planeAspect = 0; /* one memory plane, not disjoint: ignored by the host */
	ctx->procs.vkGetDeviceImageMemoryRequirements(a->device, &req, a->pMemoryRequirements);
	return 0;
}

static int get_device_image_sparse_memory_requirements(
    struct vkr_dispatch *d, struct vkr_cmd_vkGetDeviceImageSparseMemoryRequirements *a)
{
	struct vkr_context *ctx = C(d);
	struct vkr_device *dev = device_of(ctx, a->device);
	if (!ctx->have_procs || !ctx->procs.vkGetDeviceImageSparseMemoryRequirements || !dev ||
	    !a->pInfo || !a->pInfo->pCreateInfo || !a->pSparseMemoryRequirementCount)
		return -EINVAL;
	VkDeviceImageMemoryRequirements req = *a->pInfo;
	VkImageCreateInfo info = *req.pCreateInfo;
	bool linear;
	const VkImageDrmFormatModifierExplicitCreateInfoEXT *expl;
	VKR_TRY(rewrite_image_info(ctx, dev, &info, &linear, &expl));
	if (linear) { /* LINEAR images are never sparse-resident */
		*a->pSparseMemoryRequirementCount = 0;
		return 0;
	}
	ctx->procs.vkGetDeviceImageSparseMemoryRequirements(
	    a->device, &req, a->pSparseMemoryRequirementCount, a->pSparseMemoryRequirements);
	return 0;
}

static int
get_image_drm_format_modifier_properties(struct vkr_dispatch *d,
                                         struct vkr_cmd_vkGetImageDrmFormatModifierPropertiesEXT *a)
{
	struct vkr_context *ctx = C(d);
	struct vkr_device *dev = device_of(ctx, a->device);
	if (!ctx->have_procs || !dev || !a->pProperties)
		return -EINVAL;
	if (!(dev->emul & VKR_EMUL_DRM_MODIFIER)) {
		if (!ctx->procs.vkGetImageDrmFormatModifierPropertiesEXT ||
		    (vkr_wsi_emul_pdev(ctx, dev->physical) & VKR_EMUL_DRM_MODIFIER))
			return refuse(ctx, "vkr: vkGetImageDrmFormatModifierPropertiesEXT without "
			                   "VK_EXT_image_drm_format_modifier enabled");
		a->ret = ctx->procs.vkGetImageDrmFormatModifierPropertiesEXT(a->device, a->image,
		                                                             a->pProperties);
		return 0;
	}
	const struct vkr_emul_image *img =
	    vkr_objects_extra_of(&ctx->objects, VK_OBJECT_TYPE_IMAGE, VKR_HANDLE_TO_ID(a->image));
	if (!img || img->device != a->device)
		return refuse(ctx, "vkr: vkGetImageDrmFormatModifierPropertiesEXT on an image not "
		                   "created with DRM format modifier tiling");
	a->pProperties->drmFormatModifier = DRM_FORMAT_MOD_LINEAR;
	a->ret = VK_SUCCESS;
	return 0;
}

static int get_image_subresource_layout(struct vkr_dispatch *d,
                                        struct vkr_cmd_vkGetImageSubresourceLayout *a)
{
	struct vkr_context *ctx = C(d);
	struct vkr_device *dev = device_of(ctx, a->device);
	if (!ctx->have_procs || !dev || !a->pSubresource || !a->pLayout)
		return -EINVAL;
	VkImageSubresource sub = *a->pSubresource;
	if (sub.aspectMask & MEMORY_PLANE_ASPECTS) {
		const struct vkr_emul_image *img = vkr_objects_extra_of(
		    &ctx->objects, VK_OBJECT_TYPE_IMAGE, VKR_HANDLE_TO_ID(a->image));
		if (img) {
			if (img->device != a->device ||
			    sub.aspectMask != VK_IMAGE_ASPECT_MEMORY_PLANE_0_BIT_EXT)
				return refuse(
				    ctx, "vkr: emulated LINEAR modifier images have one memory "
				         "plane (VK_IMAGE_ASPECT_MEMORY_PLANE_0_BIT_EXT)");
			sub.aspectMask =
			    VK_IMAGE_ASPECT_COLOR_BIT; /* single-plane colour formats */
		} else if (vkr_wsi_emul_pdev(ctx, dev->physical) & VKR_EMUL_DRM_MODIFIER) {
			return refuse(ctx,
			              "vkr: memory plane aspect on an image without DRM format "
			              "modifier tiling");
		}
	}
	ctx->procs.vkGetImageSubresourceLayout(a->device, a->image, &sub, a->pLayout);
	return 0;
}

/* One LINEAR modifier whose features are the host's linear-tiling features. */
static void fill_modifier_list(VkDrmFormatModifierPropertiesListEXT *list, uint32_t n,
                               VkFormatFeatureFlags features)
{
	if (!list->pDrmFormatModifierProperties) {
		list->drmFormatModifierCount = n;
		return;
	}
	const uint32_t k = list->drmFormatModifierCount < n ? list->drmFormatModifierCount : n;
	if (k)
		list->pDrmFormatModifierProperties[0] =
		    (VkDrmFormatModifierPropertiesEXT){.drmFormatModifier = DRM_FORMAT_MOD_LINEAR,
		                                       .drmFormatModifierPlaneCount = 1,
		                                       .drmFormatModifierTilingFeatures = features};
	list->drmFormatModifierCount = k;
}

static void fill_modifier_list2(VkDrmFormatModifierPropertiesList2EXT *list, uint32_t n,
                                VkFormatFeatureFlags2 features)
{
	if (!list->pDrmFormatModifierProperties) {
		list->drmFormatModifierCount = n;
		return;
	}
	const uint32_t k = list->drmFormatModifierCount < n ? list->drmFormatModifierCount : n;
	if (k)
		list->pDrmFormatModifierProperties[0] = (VkDrmFormatModifierProperties2EXT){
		    .drmFormatModifier = DRM_FORMAT_MOD_LINEAR,
		    .drmFormatModifierPlaneCount = 1,
		    .drmFormatModifierTilingFeatures = features};
	list->drmFormatModifierCount = k;
}

static int get_format_properties2(struct vkr_dispatch *d,
                                  struct vkr_cmd_vkGetPhysicalDeviceFormatProperties2 *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pFormatProperties)
		return -EINVAL;
	VkFormatProperties2 *props = a->pFormatProperties;
	if (!(vkr_wsi_emul_pdev(ctx, a->physicalDevice) & VKR_EMUL_DRM_MODIFIER)) {
		ctx->procs.vkGetPhysicalDeviceFormatProperties2(a->physicalDevice, a->format,
		                                                props);
		return 0;
	}
	/* The host must not see the modifier lists; VkFormatProperties3 gives the 64-bit
	 * features for the second one (ours if the guest did not chain one). */
	const struct unlinked list =
	    unlink_out(&props->pNext, VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_EXT);
	const struct unlinked list2 =
	    unlink_out(&props->pNext, VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_2_EXT);
	VkFormatProperties3 own3 = {.sType = VK_STRUCTURE_TYPE_FORMAT_PROPERTIES_3};
	VkFormatProperties3 *p3 = NULL;
	for (VkBaseOutStructure *s = props->pNext; s; s = s->pNext)
		if (s->sType == VK_STRUCTURE_TYPE_FORMAT_PROPERTIES_3)
			p3 = (VkFormatProperties3 *)s;
	const bool own = list2.node && !p3;
	if (own) {
		own3.pNext = props->pNext;
		props->pNext = &own3;
		p3 = &own3;
	}
	ctx->procs.vkGetPhysicalDeviceFormatProperties2(a->physicalDevice, a->format, props);
	if (own)
		props->pNext = own3.pNext;

	const VkFormatFeatureFlags features = props->formatProperties.linearTilingFeatures;
	const uint32_t n = modifier_format(a->format) && features ? 1 : 0;
	if (list.node)
		fill_modifier_list((VkDrmFormatModifierPropertiesListEXT *)list.node, n, features);
	if (list2.node)
		fill_modifier_list2((VkDrmFormatModifierPropertiesList2EXT *)list2.node, n,
		                    p3 && p3->linearTilingFeatures ? p3->linearTilingFeatures
		                                                   : features);
	relink_out(list2);
	relink_out(list);
	return 0;
}

static int get_image_format_properties2(struct vkr_dispatch *d,
                                        struct vkr_cmd_vkGetPhysicalDeviceImageFormatProperties2 *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pImageFormatInfo || !a->pImageFormatProperties)
		return -EINVAL;
	VkPhysicalDeviceImageFormatInfo2 info = *a->pImageFormatInfo;
	if (vkr_wsi_emul_pdev(ctx, a->physicalDevice) & VKR_EMUL_DRM_MODIFIER) {
		const VkPhysicalDeviceImageDrmFormatModifierInfoEXT *mod =
		    find_in(info.pNext,
		            VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_IMAGE_DRM_FORMAT_MODIFIER_INFO_EXT);
		const bool drm = info.tiling == VK_IMAGE_TILING_DRM_FORMAT_MODIFIER_EXT;
		if (mod || drm) {
			/* Only LINEAR, only where the format list offers it; else "not supported".
			 */
			if (!drm || !mod || mod->drmFormatModifier != DRM_FORMAT_MOD_LINEAR ||
			    !modifier_format(info.format) ||
			    (info.flags & VK_IMAGE_CREATE_DISJOINT_BIT)) {
				memset(&a->pImageFormatProperties->imageFormatProperties, 0,
				       sizeof(a->pImageFormatProperties->imageFormatProperties));
				a->ret = VK_ERROR_FORMAT_NOT_SUPPORTED;
				return 0;
			}
			unlink_in(
			    &info.pNext,
			    VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_IMAGE_DRM_FORMAT_MODIFIER_INFO_EXT);
			info.tiling = VK_IMAGE_TILING_LINEAR;
		}
	}
	a->ret = ctx->procs.vkGetPhysicalDeviceImageFormatProperties2(a->physicalDevice, &info,
	                                                              a->pImageFormatProperties);
	return 0;
}

/* The non-2 queries cannot name a modifier: DRM tiling there is invalid, answered as such. */
static int get_image_format_properties(struct vkr_dispatch *d,
                                       struct vkr_cmd_vkGetPhysicalDeviceImageFormatProperties *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pImageFormatProperties)
		return -EINVAL;
	if (a->tiling == VK_IMAGE_TILING_DRM_FORMAT_MODIFIER_EXT &&
	    (vkr_wsi_emul_pdev(ctx, a->physicalDevice) & VKR_EMUL_DRM_MODIFIER)) {
		memset(a->pImageFormatProperties, 0, sizeof(*a->pImageFormatProperties));
		a->ret = VK_ERROR_FORMAT_NOT_SUPPORTED;
		return 0;
	}
	a->ret = ctx->procs.vkGetPhysicalDeviceImageFormatProperties(
	    a->physicalDevice, a->format, a->type, a->tiling, a->usage, a->flags,
	    a->pImageFormatProperties);
	return 0;
}

static int
get_sparse_image_format_properties(struct vkr_dispatch *d,
                                   struct vkr_cmd_vkGetPhysicalDeviceSparseImageFormatProperties *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pPropertyCount)
		return -EINVAL;
	if (a->tiling == VK_IMAGE_TILING_DRM_FORMAT_MODIFIER_EXT &&
	    (vkr_wsi_emul_pdev(ctx, a->physicalDevice) & VKR_EMUL_DRM_MODIFIER)) {
		*a->pPropertyCount = 0; /* no sparse LINEAR images */
		return 0;
	}
	ctx->procs.vkGetPhysicalDeviceSparseImageFormatProperties(
	    a->physicalDevice, a->format, a->type, a->samples, a->usage, a->tiling,
	    a->pPropertyCount, a->pProperties);
	return 0;
}

static int get_sparse_image_format_properties2(
    struct vkr_dispatch *d, struct vkr_cmd_vkGetPhysicalDeviceSparseImageFormatProperties2 *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pFormatInfo || !a->pPropertyCount)
		return -EINVAL;
	if (a->pFormatInfo->tiling == VK_IMAGE_TILING_DRM_FORMAT_MODIFIER_EXT &&
	    (vkr_wsi_emul_pdev(ctx, a->physicalDevice) & VKR_EMUL_DRM_MODIFIER)) {
		*a->pPropertyCount = 0;
		return 0;
	}
	ctx->procs.vkGetPhysicalDeviceSparseImageFormatProperties2(
	    a->physicalDevice, a->pFormatInfo, a->pPropertyCount, a->pProperties);
	return 0;
}

/* -- SYNC_FD semaphore import --------------------------------------------------------------------
 */

static int
get_external_semaphore_properties(struct vkr_dispatch *d,
                                  struct vkr_cmd_vkGetPhysicalDeviceExternalSemaphoreProperties *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pExternalSemaphoreInfo || !a->pExternalSemaphoreProperties)
		return -EINVAL;
	const VkPhysicalDeviceExternalSemaphoreInfo *info = a->pExternalSemaphoreInfo;
	VkExternalSemaphoreProperties *props = a->pExternalSemaphoreProperties;
	if (!(vkr_wsi_emul_pdev(ctx, a->physicalDevice) & VKR_EMUL_SYNC_FD) ||
	    info->handleType != VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT) {
		ctx->procs.vkGetPhysicalDeviceExternalSemaphoreProperties(a->physicalDevice, info,
		                                                          props);
		return 0;
	}
	/* What we implement: importing (a signalled payload) into a binary semaphore. */
	const VkSemaphoreTypeCreateInfo *type =
	    find_in(info->pNext, VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO);
	const bool binary = !type || type->semaphoreType == VK_SEMAPHORE_TYPE_BINARY;
	props->exportFromImportedHandleTypes = 0;
	props->compatibleHandleTypes = binary ? VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT : 0;
	props->externalSemaphoreFeatures =
	    binary ? VK_EXTERNAL_SEMAPHORE_FEATURE_IMPORTABLE_BIT : 0;
	return 0;
}

static int create_semaphore(struct vkr_dispatch *d, struct vkr_cmd_vkCreateSemaphore *a)
{
	struct vkr_context *ctx = C(d);
	struct vkr_device *dev = device_of(ctx, a->device);
	if (!ctx->have_procs || !dev || !a->pCreateInfo || !a->pSemaphore)
		return -EINVAL;
	const uint64_t id = VKR_HANDLE_TO_ID(*a->pSemaphore);
	VKR_TRY(vkr_objects_check_new(&ctx->objects, id));
	VkSemaphoreCreateInfo info = *a->pCreateInfo;
	/* SYNC_FD is never exportable here (we only import): the host must not be asked. */
	VkExportSemaphoreCreateInfo export;
	const VkExportSemaphoreCreateInfo *ex =
	    find_in(info.pNext, VK_STRUCTURE_TYPE_EXPORT_SEMAPHORE_CREATE_INFO);
	if (ex && (ex->handleTypes & VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT) &&
	    (vkr_wsi_emul_pdev(ctx, dev->physical) & VKR_EMUL_SYNC_FD)) {
		export = *ex;
		export.handleTypes &= ~(VkExternalSemaphoreHandleTypeFlags)
		                          VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT;
		unlink_in(&info.pNext, VK_STRUCTURE_TYPE_EXPORT_SEMAPHORE_CREATE_INFO);
		if (export.handleTypes) {
			export.pNext = info.pNext;
			info.pNext = &export;
		}
	}
	const VkSemaphoreTypeCreateInfo *type =
	    find_in(info.pNext, VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO);
	struct vkr_emul_semaphore *extra = calloc(1, sizeof(*extra));
	if (!extra)
		return -ENOMEM;
	extra->device = a->device;
	extra->timeline = type && type->semaphoreType != VK_SEMAPHORE_TYPE_BINARY;
	VkSemaphore sem = VK_NULL_HANDLE;
	a->ret = ctx->procs.vkCreateSemaphore(a->device, &info, NULL, &sem);
	*a->pSemaphore = VKR_ID_TO_HANDLE(VkSemaphore, id);
	if (a->ret != VK_SUCCESS) {
		free(extra);
		return 0;
	}
	int ret = vkr_objects_add(&ctx->objects, VK_OBJECT_TYPE_SEMAPHORE, id,
	                          VKR_HANDLE_TO_ID(sem), VKR_HANDLE_TO_ID(a->device), extra);
	if (ret) {
		ctx->procs.vkDestroySemaphore(a->device, sem, NULL);
		free(extra);
	}
	return ret;
}

/* "This semaphore is signalled" (Venus sends it after vkAcquireNextImageKHR, before the
 * submission that waits on it): an empty submission on a queue of the semaphore's device that
 * signals it, ordered after the guest's earlier work on that queue. */
static int import_semaphore_resource(struct vkr_dispatch *d,
                                     struct vkr_cmd_vkImportSemaphoreResourceMESA *a)
{
	struct vkr_context *ctx = C(d);
	const VkImportSemaphoreResourceInfoMESA *info = a->pImportSemaphoreResourceInfo;
	if (!ctx->have_procs || !info || !device_of(ctx, a->device))
		return -EINVAL;
	if (info->resourceId != 0)
		return refuse(ctx, "vkr: vkImportSemaphoreResourceMESA with a resource (only "
		                   "resourceId 0, an already signalled sync file, is supported)");
	VkSemaphore sem = info->semaphore;
	const struct vkr_emul_semaphore *s =
	    vkr_objects_extra_of(&ctx->objects, VK_OBJECT_TYPE_SEMAPHORE, VKR_HANDLE_TO_ID(sem));
	if (!s || s->device != a->device)
		return refuse(ctx,
		              "vkr: vkImportSemaphoreResourceMESA: not a semaphore of this device");
	if (s->timeline)
		return refuse(ctx, "vkr: vkImportSemaphoreResourceMESA on a timeline semaphore "
		                   "(SYNC_FD imports are binary only)");
	const VkSubmitInfo submit = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
	                             .signalSemaphoreCount = 1,
	                             .pSignalSemaphores = &sem};
	VkResult r = VK_ERROR_UNKNOWN;
	bool found = false;
	pthread_mutex_lock(&ctx->ring_lock); /* keeps the queue alive (free_extra takes it) */
	for (uint32_t i = 1; i < VKR_MAX_RINGS && !found; i++) {
		struct vkr_queue *q = ctx->queues[i];
		if (!q || q->device->handle != a->device)
			continue;
		found = true;
		pthread_mutex_lock(&q->submit_lock);
		r = ctx->procs.vkQueueSubmit(q->handle, 1, &submit, VK_NULL_HANDLE);
		pthread_mutex_unlock(&q->submit_lock);
	}
	pthread_mutex_unlock(&ctx->ring_lock);
	if (!found)
		return refuse(ctx, "vkr: vkImportSemaphoreResourceMESA: the device has no queue");
	if (r != VK_SUCCESS) {
		char why[96];
		snprintf(why, sizeof(why), "vkr: signalling an imported semaphore failed (%d)", r);
		vkr_context_fatal(ctx, -EIO, why);
		return -EIO;
	}
	return 0;
}

void vkr_wsi_emul_install(struct vkr_dispatch *d)
{
	d->vkCreateImage = create_image;
	d->vkGetDeviceImageMemoryRequirements = get_device_image_memory_requirements;
	d->vkGetDeviceImageSparseMemoryRequirements = get_device_image_sparse_memory_requirements;
	d->vkGetImageDrmFormatModifierPropertiesEXT = get_image_drm_format_modifier_properties;
	d->vkGetImageSubresourceLayout = get_image_subresource_layout;
	d->vkGetPhysicalDeviceFormatProperties2 = get_format_properties2;
	d->vkGetPhysicalDeviceImageFormatProperties = get_image_format_properties;
	d->vkGetPhysicalDeviceImageFormatProperties2 = get_image_format_properties2;
	d->vkGetPhysicalDeviceSparseImageFormatProperties = get_sparse_image_format_properties;
	d->vkGetPhysicalDeviceSparseImageFormatProperties2 = get_sparse_image_format_properties2;
	d->vkGetPhysicalDeviceExternalSemaphoreProperties = get_external_semaphore_properties;
	d->vkCreateSemaphore = create_semaphore;
	d->vkImportSemaphoreResourceMESA = import_semaphore_resource;
}
