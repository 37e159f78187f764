/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * vkr's emulation of VK_EXT_image_drm_format_modifier (LINEAR only) and of SYNC_FD semaphore
 * import (vkr/vkr_wsi_emul.c) on the host's lavapipe, through the public API with commands
 * from the generated driver-side encoders and replies read by the driver-side decoders:
 * the extensions are listed; the format queries answer one LINEAR modifier with the host's
 * linear features (count-only queries too); a DRM-modifier image is a
 * host LINEAR image (same row pitch as a LINEAR one, modifier 0); "already signalled" imports
 * let a submission that waits on the semaphore complete; and everything the emulation does not
 * cover (no LINEAR in the list, the extension not enabled, a second memory plane, resource
 * imports, timeline semaphores) kills only the offending context. The expectations hold for a
 * host device without the two extensions (lavapipe); the cases skip on any other.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "virgl-next/virgl_next.h"
#include "vkr_proto_driver.h"

#define REPLY_RES 10u
#define REPLY_BYTES (128u << 10) /* the device extension list is ~50 KiB */
#define ID(type, n) ((type)(uintptr_t)(n))
#define INSTANCE 0x100u
#define PHYS 0x200u
#define DEVICE 0x300u
#define QUEUE 0x400u
#define IMAGE 0x500u
#define SEM 0x600u
#define FENCE 0x700u
#define MOD_LINEAR 0ull
#define MOD_OTHER 0x0100000000000001ull /* some vendor's tiled modifier */

static const char *const MODIFIER_EXT = "VK_EXT_image_drm_format_modifier";
static const char *const SYNC_FD_EXT = "VK_KHR_external_semaphore_fd";

struct session {
	vgn_renderer *r;
	uint32_t ctx;
	uint8_t *reply;
	struct vkr_arena arena; /* decoded replies */
	uint8_t data[1 << 14];
	size_t len;
	char fatal[256]; /* the reason the context died, "" while it lives */
};

static void on_log(void *user_data, enum vgn_log_level level, const char *message)
{
	(void)user_data;
	if (level <= VGN_LOG_WARN)
		fprintf(stderr, "vgn: %s\n", message);
}

static void on_fatal(void *user_data, uint32_t ctx_id, int error, const char *reason)
{
	struct session *s = user_data;
	(void)ctx_id;
	(void)error;
	snprintf(s->fatal, sizeof(s->fatal), "%s", reason);
}

static void emit(struct session *s, uint32_t type, const void *args, uint32_t flags)
{
	const struct vkr_proto_driver_command *drv = vkr_proto_driver_command(type);
	ck_assert_ptr_nonnull(drv);
	struct vkr_cs_encoder enc;
	vkr_cs_encoder_init(&enc, s->data + s->len, sizeof(s->data) - s->len);
	ck_assert_int_eq(drv->encode(&enc, flags, args), 0);
	s->len += (size_t)(enc.cur - (s->data + s->len));
}

/* Submits what was emitted: 0, or the error of a context that died. */
static int flush(struct session *s)
{
	const int ret = vgn_context_submit(s->r, s->ctx, s->data, s->len);
	s->len = 0;
	vgn_renderer_poll(s->r); /* delivers context_fatal */
	return ret;
}

/* Runs one command with a reply and decodes the reply into args (outputs from the arena). */
static void call(struct session *s, uint32_t type, void *args)
{
	static const VkCommandStreamDescriptionMESA desc = {
	    .resourceId = REPLY_RES, .offset = 0, .size = REPLY_BYTES};
	struct vkr_cmd_vkSetReplyCommandStreamMESA sr = {.pStream = &desc};
	emit(s, VKR_CMD_vkSetReplyCommandStreamMESA, &sr, 0);
	emit(s, type, args, VKR_COMMAND_GENERATE_REPLY_BIT);
	memset(s->reply, 0xcc, REPLY_BYTES);
	ck_assert_int_eq(flush(s), 0);
	const struct vkr_proto_driver_command *drv = vkr_proto_driver_command(type);
	struct vkr_cs_decoder dec;
	vkr_cs_decoder_init(&dec, s->reply, REPLY_BYTES, &s->arena);
	drv->clear_outs(args);
	ck_assert_int_eq(drv->decode_reply(&dec, args), 0);
}

/* A Vulkan-only renderer and a Venus context with a reply blob and an instance; false (and
 * the case skips) without a host Vulkan device. */
static bool session_start(struct session *s, uint32_t ctx)
{
	memset(s, 0, sizeof(*s));
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = VGN_RENDERER_PARAMS_SIZE_V2;
	p.backends = VGN_BACKEND_VULKAN;
	p.log_level = VGN_LOG_WARN;
	p.callbacks = (struct vgn_callbacks){.size = VGN_CALLBACKS_SIZE_V1,
	                                     .user_data = s,
	                                     .log = on_log,
	                                     .context_fatal = on_fatal};
	if (vgn_renderer_create(&p, &s->r))
		return false;
	s->ctx = ctx;
	struct vgn_context_params cp = {
	    .size = VGN_CONTEXT_PARAMS_SIZE_V1, .capset_id = VGN_CAPSET_VENUS, .debug_name = "wsi"};
	if (vgn_context_create(s->r, ctx, &cp)) {
		vgn_renderer_destroy(s->r);
		s->r = NULL;
		return false;
	}
	struct vgn_blob_params bp;
	memset(&bp, 0, sizeof(bp));
	bp.size = VGN_BLOB_PARAMS_SIZE_V1;
	bp.ctx_id = ctx;
	bp.blob_mem = VGN_BLOB_MEM_HOST3D;
	bp.blob_flags = VGN_BLOB_FLAG_MAPPABLE;
	bp.blob_size = REPLY_BYTES;
	ck_assert_int_eq(vgn_resource_create_blob(s->r, REPLY_RES, &bp), 0);
	ck_assert_int_eq(vgn_resource_map(s->r, REPLY_RES, (void **)&s->reply, NULL), 0);
	vkr_arena_init(&s->arena, (size_t)16 << 20);

	static const VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
	                                      .apiVersion = VK_API_VERSION_1_3};
	static const VkInstanceCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
	                                        .pApplicationInfo = &app};
	VkInstance inst = ID(VkInstance, INSTANCE);
	struct vkr_cmd_vkCreateInstance c = {.pCreateInfo = &ci, .pInstance = &inst};
	call(s, VKR_CMD_vkCreateInstance, &c);
	ck_assert_int_eq(c.ret, VK_SUCCESS);
	uint32_t count = 1;
	VkPhysicalDevice phys = ID(VkPhysicalDevice, PHYS);
	struct vkr_cmd_vkEnumeratePhysicalDevices en = {
	    .instance = inst, .pPhysicalDeviceCount = &count, .pPhysicalDevices = &phys};
	call(s, VKR_CMD_vkEnumeratePhysicalDevices, &en);
	return en.ret >= 0 && *en.pPhysicalDeviceCount == 1;
}

static void session_end(struct session *s)
{
	if (!s->r)
		return;
	vkr_arena_fini(&s->arena);
	ck_assert_int_eq(vgn_context_destroy(s->r, s->ctx), 0);
	vgn_renderer_destroy(s->r);
	s->r = NULL;
}

/* The device extensions vkr lists, with has[i] for names[i]. */
static void list_extensions(struct session *s, const char *const *names, uint32_t n, bool *has)
{
	uint32_t count = 0;
	struct vkr_cmd_vkEnumerateDeviceExtensionProperties e = {
	    .physicalDevice = ID(VkPhysicalDevice, PHYS), .pPropertyCount = &count};
	call(s, VKR_CMD_vkEnumerateDeviceExtensionProperties, &e);
	ck_assert_int_eq(e.ret, VK_SUCCESS);
	count = *e.pPropertyCount;
	ck_assert_uint_gt(count, 0);
	VkExtensionProperties props[512];
	ck_assert_uint_le(count, 512);
	struct vkr_cmd_vkEnumerateDeviceExtensionProperties f = {.physicalDevice =
	                                                             ID(VkPhysicalDevice, PHYS),
	                                                         .pPropertyCount = &count,
	                                                         .pProperties = props};
	call(s, VKR_CMD_vkEnumerateDeviceExtensionProperties, &f);
	ck_assert_int_eq(f.ret, VK_SUCCESS);
	for (uint32_t j = 0; j < n; j++) {
		has[j] = false;
		for (uint32_t i = 0; i < *f.pPropertyCount; i++)
			has[j] |= !strcmp(f.pProperties[i].extensionName, names[j]);
	}
}

/* A device (and its queue on ring 1) with the given extensions enabled. */
static void create_device(struct session *s, const char *const *exts, uint32_t n)
{
	static const float prio = 1.0f;
	static const VkDeviceQueueCreateInfo qci = {.sType =
	                                                VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
	                                            .queueFamilyIndex = 0,
	                                            .queueCount = 1,
	                                            .pQueuePriorities = &prio};
	const VkDeviceCreateInfo dci = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
	                                .queueCreateInfoCount = 1,
	                                .pQueueCreateInfos = &qci,
	                                .enabledExtensionCount = n,
	                                .ppEnabledExtensionNames = exts};
	VkDevice dev = ID(VkDevice, DEVICE);
	struct vkr_cmd_vkCreateDevice cd = {
	    .physicalDevice = ID(VkPhysicalDevice, PHYS), .pCreateInfo = &dci, .pDevice = &dev};
	call(s, VKR_CMD_vkCreateDevice, &cd);
	ck_assert_int_eq(cd.ret, VK_SUCCESS);
	VkQueue queue = ID(VkQueue, QUEUE);
	VkDeviceQueueTimelineInfoMESA tl = {
	    .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_TIMELINE_INFO_MESA, .ringIdx = 1};
	VkDeviceQueueInfo2 qi = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_INFO_2, .pNext = &tl};
	struct vkr_cmd_vkGetDeviceQueue2 gq = {.device = dev, .pQueueInfo = &qi, .pQueue = &queue};
	emit(s, VKR_CMD_vkGetDeviceQueue2, &gq, 0);
	ck_assert_int_eq(flush(s), 0);
}

/* Whether the host device vkr serves first (the first that is not a Venus device) lacks both
 * extensions, so that vkr emulates them. */
static bool host_lacks_both(void)
{
	const VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
	                               .apiVersion = VK_API_VERSION_1_1};
	const VkInstanceCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
	                                 .pApplicationInfo = &app};
	VkInstance inst;
	if (vkCreateInstance(&ci, NULL, &inst) != VK_SUCCESS)
		return false;
	VkPhysicalDevice pds[8];
	uint32_t n = 8;
	bool lacks = false, found = false;
	if (vkEnumeratePhysicalDevices(inst, &n, pds) >= 0) {
		for (uint32_t i = 0; i < n && !found; i++) {
			VkPhysicalDeviceProperties props;
			vkGetPhysicalDeviceProperties(pds[i], &props);
			if (!strncmp(props.deviceName, "Virtio-GPU Venus", 16))
				continue;
			found = true;
			VkExtensionProperties e[512];
			uint32_t k = 512;
			lacks = vkEnumerateDeviceExtensionProperties(pds[i], NULL, &k, e) >= 0;
			for (uint32_t j = 0; j < k && lacks; j++)
				lacks = strcmp(e[j].extensionName, MODIFIER_EXT) &&
				        strcmp(e[j].extensionName, SYNC_FD_EXT);
		}
	}
	vkDestroyInstance(inst, NULL);
	return lacks;
}

/* Starts a session on a host device that needs the emulation; false to skip. */
static bool emulating_session(struct session *s)
{
	if (!host_lacks_both()) {
		fprintf(stderr, "test_vkr_wsi_emul: the host device has (some of) the extensions "
		                "itself, or there is none: case skipped\n");
		memset(s, 0, sizeof(*s));
		return false;
	}
	if (!session_start(s, 1)) {
		fprintf(stderr, "test_vkr_wsi_emul: no host Vulkan device: case skipped\n");
		session_end(s);
		return false;
	}
	/* The WSI prerequisites Venus checks: the host's own two and our emulated two. */
	static const char *const names[] = {"VK_EXT_external_memory_dma_buf",
	                                    "VK_EXT_queue_family_foreign", MODIFIER_EXT,
	                                    SYNC_FD_EXT};
	bool has[4];
	list_extensions(s, names, 4, has);
	ck_assert(has[2] && has[3]); /* listed whether emulated or the host's own */
	if (!has[0] || !has[1])
		fprintf(stderr, "test_vkr_wsi_emul: host lacks dma_buf/queue_family_foreign\n");
	return true;
}

static VkFormatProperties2 *format_properties(struct session *s, VkFormat format, void *chain)
{
	VkFormatProperties2 props = {.sType = VK_STRUCTURE_TYPE_FORMAT_PROPERTIES_2,
	                             .pNext = chain};
	struct vkr_cmd_vkGetPhysicalDeviceFormatProperties2 g = {.physicalDevice =
	                                                             ID(VkPhysicalDevice, PHYS),
	                                                         .format = format,
	                                                         .pFormatProperties = &props};
	call(s, VKR_CMD_vkGetPhysicalDeviceFormatProperties2, &g);
	return g.pFormatProperties;
}

static const void *find_out(const void *chain, VkStructureType type)
{
	for (const VkBaseInStructure *p = chain; p; p = p->pNext)
		if (p->sType == type)
			return p;
	return NULL;
}

START_TEST(format_modifier_lists)
{
	struct session s;
	if (!emulating_session(&s))
		return;
	/* count only */
	VkDrmFormatModifierPropertiesListEXT list = {
	    .sType = VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_EXT};
	VkFormatProperties2 *p = format_properties(&s, VK_FORMAT_B8G8R8A8_UNORM, &list);
	const VkFormatFeatureFlags linear = p->formatProperties.linearTilingFeatures;
	ck_assert_uint_ne(linear & VK_FORMAT_FEATURE_COLOR_ATTACHMENT_BIT, 0);
	const VkDrmFormatModifierPropertiesListEXT *got =
	    find_out(p->pNext, VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_EXT);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(got->drmFormatModifierCount, 1);
	ck_assert_ptr_null(got->pDrmFormatModifierProperties);

	/* room for 3: one LINEAR entry with the linear features; List2 alongside */
	VkDrmFormatModifierPropertiesEXT entries[3];
	VkDrmFormatModifierProperties2EXT entries2[3];
	VkDrmFormatModifierPropertiesList2EXT list2 = {
	    .sType = VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_2_EXT,
	    .drmFormatModifierCount = 3,
	    .pDrmFormatModifierProperties = entries2};
	list = (VkDrmFormatModifierPropertiesListEXT){
	    .sType = VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_EXT,
	    .pNext = &list2,
	    .drmFormatModifierCount = 3,
	    .pDrmFormatModifierProperties = entries};
	p = format_properties(&s, VK_FORMAT_B8G8R8A8_UNORM, &list);
	got = find_out(p->pNext, VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_EXT);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(got->drmFormatModifierCount, 1);
	ck_assert_uint_eq(got->pDrmFormatModifierProperties[0].drmFormatModifier, MOD_LINEAR);
	ck_assert_uint_eq(got->pDrmFormatModifierProperties[0].drmFormatModifierPlaneCount, 1);
	ck_assert_uint_eq(got->pDrmFormatModifierProperties[0].drmFormatModifierTilingFeatures,
	                  linear);
	const VkDrmFormatModifierPropertiesList2EXT *got2 =
	    find_out(p->pNext, VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_2_EXT);
	ck_assert_ptr_nonnull(got2);
	ck_assert_uint_eq(got2->drmFormatModifierCount, 1);
	ck_assert_uint_eq(got2->pDrmFormatModifierProperties[0].drmFormatModifier, MOD_LINEAR);
	/* without a VkFormatProperties3 of the guest's, vkr asks for one itself: the 64-bit
	 * features hold the 32-bit ones */
	const VkFormatFeatureFlags2 f2 =
	    got2->pDrmFormatModifierProperties[0].drmFormatModifierTilingFeatures;
	ck_assert_uint_eq(f2 & linear, linear);

	/* with one: exactly its linearTilingFeatures; the reply keeps the guest's chain order
	 * (Mesa's decoder walks its chain forward) */
	list2 = (VkDrmFormatModifierPropertiesList2EXT){
	    .sType = VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_2_EXT,
	    .drmFormatModifierCount = 1,
	    .pDrmFormatModifierProperties = entries2};
	VkFormatProperties3 p3 = {.sType = VK_STRUCTURE_TYPE_FORMAT_PROPERTIES_3, .pNext = &list2};
	p = format_properties(&s, VK_FORMAT_B8G8R8A8_UNORM, &p3);
	const VkBaseOutStructure *first = p->pNext;
	ck_assert_int_eq(first->sType, VK_STRUCTURE_TYPE_FORMAT_PROPERTIES_3);
	ck_assert_int_eq(first->pNext->sType,
	                 VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_2_EXT);
	got2 = find_out(p->pNext, VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_2_EXT);
	const VkFormatProperties3 *got3 = find_out(p->pNext, VK_STRUCTURE_TYPE_FORMAT_PROPERTIES_3);
	ck_assert_ptr_nonnull(got2);
	ck_assert_ptr_nonnull(got3);
	ck_assert_uint_eq(got2->drmFormatModifierCount, 1);
	ck_assert_uint_ne(got3->linearTilingFeatures, 0);
	ck_assert_uint_eq(got2->pDrmFormatModifierProperties[0].drmFormatModifierTilingFeatures,
	                  got3->linearTilingFeatures);
	ck_assert_uint_eq(f2, got3->linearTilingFeatures);

	/* depth formats get no modifier */
	list = (VkDrmFormatModifierPropertiesListEXT){
	    .sType = VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_EXT};
	p = format_properties(&s, VK_FORMAT_D32_SFLOAT, &list);
	got = find_out(p->pNext, VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_EXT);
	ck_assert_uint_eq(got->drmFormatModifierCount, 0);
	session_end(&s);
}
END_TEST

/* vkGetPhysicalDeviceImageFormatProperties2 with a modifier: LINEAR = the host's LINEAR answer. */
START_TEST(image_format_with_modifier)
{
	struct session s;
	if (!emulating_session(&s))
		return;
	VkImageFormatProperties res[2];
	VkResult ret[2];
	for (int i = 0; i < 2; i++) {
		VkPhysicalDeviceImageDrmFormatModifierInfoEXT mod = {
		    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_IMAGE_DRM_FORMAT_MODIFIER_INFO_EXT,
		    .drmFormatModifier = MOD_LINEAR};
		VkPhysicalDeviceImageFormatInfo2 info = {
		    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_IMAGE_FORMAT_INFO_2,
		    .pNext = i ? &mod : NULL,
		    .format = VK_FORMAT_B8G8R8A8_UNORM,
		    .type = VK_IMAGE_TYPE_2D,
		    .tiling = i ? VK_IMAGE_TILING_DRM_FORMAT_MODIFIER_EXT : VK_IMAGE_TILING_LINEAR,
		    .usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT};
		VkImageFormatProperties2 props = {.sType =
		                                      VK_STRUCTURE_TYPE_IMAGE_FORMAT_PROPERTIES_2};
		struct vkr_cmd_vkGetPhysicalDeviceImageFormatProperties2 g = {
		    .physicalDevice = ID(VkPhysicalDevice, PHYS),
		    .pImageFormatInfo = &info,
		    .pImageFormatProperties = &props};
		call(&s, VKR_CMD_vkGetPhysicalDeviceImageFormatProperties2, &g);
		ret[i] = g.ret;
		res[i] = g.pImageFormatProperties->imageFormatProperties;
	}
	ck_assert_int_eq(ret[0], VK_SUCCESS);
	ck_assert_int_eq(ret[1], VK_SUCCESS);
	ck_assert_uint_ge(res[1].maxExtent.width, 64);
	ck_assert_mem_eq(&res[0], &res[1], sizeof(res[0]));

	/* another modifier: not supported (a clean answer, the context lives) */
	VkPhysicalDeviceImageDrmFormatModifierInfoEXT mod = {
	    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_IMAGE_DRM_FORMAT_MODIFIER_INFO_EXT,
	    .drmFormatModifier = MOD_OTHER};
	VkPhysicalDeviceImageFormatInfo2 info = {
	    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_IMAGE_FORMAT_INFO_2,
	    .pNext = &mod,
	    .format = VK_FORMAT_B8G8R8A8_UNORM,
	    .type = VK_IMAGE_TYPE_2D,
	    .tiling = VK_IMAGE_TILING_DRM_FORMAT_MODIFIER_EXT,
	    .usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT};
	VkImageFormatProperties2 props = {.sType = VK_STRUCTURE_TYPE_IMAGE_FORMAT_PROPERTIES_2};
	struct vkr_cmd_vkGetPhysicalDeviceImageFormatProperties2 g = {
	    .physicalDevice = ID(VkPhysicalDevice, PHYS),
	    .pImageFormatInfo = &info,
	    .pImageFormatProperties = &props};
	call(&s, VKR_CMD_vkGetPhysicalDeviceImageFormatProperties2, &g);
	ck_assert_int_eq(g.ret, VK_ERROR_FORMAT_NOT_SUPPORTED);
	session_end(&s);
}
END_TEST

static VkResult create_image(struct session *s, uint32_t id, VkImageTiling tiling, void *chain)
{
	const VkImageCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
	                              .pNext = chain,
	                              .imageType = VK_IMAGE_TYPE_2D,
	                              .format = VK_FORMAT_B8G8R8A8_UNORM,
	                              .extent = {100, 64, 1},
	                              .mipLevels = 1,
	                              .arrayLayers = 1,
	                              .samples = VK_SAMPLE_COUNT_1_BIT,
	                              .tiling = tiling,
	                              .usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT |
	                                       VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
	                              .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED};
	VkImage image = ID(VkImage, id);
	struct vkr_cmd_vkCreateImage c = {
	    .device = ID(VkDevice, DEVICE), .pCreateInfo = &ci, .pImage = &image};
	call(s, VKR_CMD_vkCreateImage, &c);
	return c.ret;
}

static VkSubresourceLayout layout_of(struct session *s, uint32_t id, VkImageAspectFlags aspect)
{
	const VkImageSubresource sub = {.aspectMask = aspect};
	VkSubresourceLayout layout;
	struct vkr_cmd_vkGetImageSubresourceLayout g = {.device = ID(VkDevice, DEVICE),
	                                                .image = ID(VkImage, id),
	                                                .pSubresource = &sub,
	                                                .pLayout = &layout};
	call(s, VKR_CMD_vkGetImageSubresourceLayout, &g);
	return *g.pLayout;
}

START_TEST(modifier_image)
{
	struct session s;
	if (!emulating_session(&s))
		return;
	const char *const exts[] = {MODIFIER_EXT, SYNC_FD_EXT};
	create_device(&s, exts, 2);
	/* the guest's list may hold modifiers we do not offer, as long as LINEAR is there */
	const uint64_t mods[] = {MOD_OTHER, MOD_LINEAR};
	VkImageDrmFormatModifierListCreateInfoEXT list = {
	    .sType = VK_STRUCTURE_TYPE_IMAGE_DRM_FORMAT_MODIFIER_LIST_CREATE_INFO_EXT,
	    .drmFormatModifierCount = 2,
	    .pDrmFormatModifiers = mods};
	ck_assert_int_eq(create_image(&s, IMAGE, VK_IMAGE_TILING_DRM_FORMAT_MODIFIER_EXT, &list),
	                 VK_SUCCESS);
	ck_assert_int_eq(create_image(&s, IMAGE + 1, VK_IMAGE_TILING_LINEAR, NULL), VK_SUCCESS);

	VkImageDrmFormatModifierPropertiesEXT mp = {
	    .sType = VK_STRUCTURE_TYPE_IMAGE_DRM_FORMAT_MODIFIER_PROPERTIES_EXT,
	    .drmFormatModifier = 0xdead};
	struct vkr_cmd_vkGetImageDrmFormatModifierPropertiesEXT g = {
	    .device = ID(VkDevice, DEVICE), .image = ID(VkImage, IMAGE), .pProperties = &mp};
	call(&s, VKR_CMD_vkGetImageDrmFormatModifierPropertiesEXT, &g);
	ck_assert_int_eq(g.ret, VK_SUCCESS);
	ck_assert_uint_eq(g.pProperties->drmFormatModifier, MOD_LINEAR);

	/* memory plane 0 of the modifier image = the colour plane of a LINEAR image */
	const VkSubresourceLayout a = layout_of(&s, IMAGE, VK_IMAGE_ASPECT_MEMORY_PLANE_0_BIT_EXT);
	const VkSubresourceLayout b = layout_of(&s, IMAGE + 1, VK_IMAGE_ASPECT_COLOR_BIT);
	ck_assert_uint_ge(a.rowPitch, 100 * 4);
	ck_assert_uint_ge(a.size, a.rowPitch * 63 + 100 * 4);
	ck_assert_uint_eq(a.rowPitch, b.rowPitch);
	ck_assert_uint_eq(a.offset, b.offset);
	ck_assert_uint_eq(a.size, b.size);

	/* an explicit layout that is the host's: accepted; any other row pitch: refused */
	VkImageDrmFormatModifierExplicitCreateInfoEXT expl = {
	    .sType = VK_STRUCTURE_TYPE_IMAGE_DRM_FORMAT_MODIFIER_EXPLICIT_CREATE_INFO_EXT,
	    .drmFormatModifier = MOD_LINEAR,
	    .drmFormatModifierPlaneCount = 1,
	    .pPlaneLayouts = &b};
	ck_assert_int_eq(
	    create_image(&s, IMAGE + 2, VK_IMAGE_TILING_DRM_FORMAT_MODIFIER_EXT, &expl),
	    VK_SUCCESS);
	VkSubresourceLayout wrong = b;
	wrong.rowPitch += 64;
	expl.pPlaneLayouts = &wrong;
	ck_assert_int_eq(
	    create_image(&s, IMAGE + 3, VK_IMAGE_TILING_DRM_FORMAT_MODIFIER_EXT, &expl),
	    VK_ERROR_INVALID_DRM_FORMAT_MODIFIER_PLANE_LAYOUT_EXT);
	session_end(&s);
}
END_TEST

/* Uses the emulation does not cover: each kills its context (and nothing else). */
START_TEST(modifier_refused)
{
	struct session s;
	if (!emulating_session(&s))
		return;
	const char *const exts[] = {MODIFIER_EXT};
	const bool enabled = _i != 1;
	create_device(&s, exts, enabled ? 1 : 0);
	const uint64_t others[] = {MOD_OTHER};
	const uint64_t linear[] = {MOD_LINEAR};
	VkImageDrmFormatModifierListCreateInfoEXT list = {
	    .sType = VK_STRUCTURE_TYPE_IMAGE_DRM_FORMAT_MODIFIER_LIST_CREATE_INFO_EXT,
	    .drmFormatModifierCount = 1,
	    .pDrmFormatModifiers = _i == 0 ? others : linear};
	const VkImageCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
	                              .pNext = &list,
	                              .imageType = VK_IMAGE_TYPE_2D,
	                              .format = VK_FORMAT_B8G8R8A8_UNORM,
	                              .extent = {16, 16, 1},
	                              .mipLevels = 1,
	                              .arrayLayers = 1,
	                              .samples = VK_SAMPLE_COUNT_1_BIT,
	                              .tiling = VK_IMAGE_TILING_DRM_FORMAT_MODIFIER_EXT,
	                              .usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT};
	VkImage image = ID(VkImage, IMAGE);
	struct vkr_cmd_vkCreateImage c = {
	    .device = ID(VkDevice, DEVICE), .pCreateInfo = &ci, .pImage = &image};
	emit(&s, VKR_CMD_vkCreateImage, &c, 0);
	if (_i == 2) { /* a valid image, then a memory plane it does not have */
		ck_assert_int_eq(flush(&s), 0);
		const VkImageSubresource sub = {.aspectMask =
		                                    VK_IMAGE_ASPECT_MEMORY_PLANE_1_BIT_EXT};
		VkSubresourceLayout layout;
		struct vkr_cmd_vkGetImageSubresourceLayout g = {.device = ID(VkDevice, DEVICE),
		                                                .image = image,
		                                                .pSubresource = &sub,
		                                                .pLayout = &layout};
		emit(&s, VKR_CMD_vkGetImageSubresourceLayout, &g, 0);
	}
	ck_assert_int_ne(flush(&s), 0);
	static const char *const why[] = {"list without LINEAR",
	                                  "without "
	                                  "VK_EXT_image_drm_format_modifier "
	                                  "enabled",
	                                  "one memory plane"};
	ck_assert_msg(strstr(s.fatal, why[_i]), "fatal reason: %s", s.fatal);
	uint32_t v = 0;
	struct vkr_cmd_vkEnumerateInstanceVersion ev = {.pApiVersion = &v};
	emit(&s, VKR_CMD_vkEnumerateInstanceVersion, &ev, 0);
	ck_assert_int_eq(flush(&s), -EIO); /* dead */
	session_end(&s);
}
END_TEST

START_TEST(semaphore_properties)
{
	struct session s;
	if (!emulating_session(&s))
		return;
	for (int timeline = 0; timeline < 2; timeline++) {
		VkSemaphoreTypeCreateInfo type = {.sType =
		                                      VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
		                                  .semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE};
		VkPhysicalDeviceExternalSemaphoreInfo info = {
		    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_SEMAPHORE_INFO,
		    .pNext = timeline ? &type : NULL,
		    .handleType = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT};
		VkExternalSemaphoreProperties props = {
		    .sType = VK_STRUCTURE_TYPE_EXTERNAL_SEMAPHORE_PROPERTIES};
		struct vkr_cmd_vkGetPhysicalDeviceExternalSemaphoreProperties g = {
		    .physicalDevice = ID(VkPhysicalDevice, PHYS),
		    .pExternalSemaphoreInfo = &info,
		    .pExternalSemaphoreProperties = &props};
		call(&s, VKR_CMD_vkGetPhysicalDeviceExternalSemaphoreProperties, &g);
		const VkExternalSemaphoreProperties *p = g.pExternalSemaphoreProperties;
		/* binary: importable only (what Venus needs for WSI and synchronization2) */
		ck_assert_uint_eq(p->externalSemaphoreFeatures,
		                  timeline ? 0 : VK_EXTERNAL_SEMAPHORE_FEATURE_IMPORTABLE_BIT);
		ck_assert_uint_eq(p->compatibleHandleTypes,
		                  timeline ? 0 : VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT);
		ck_assert_uint_eq(p->exportFromImportedHandleTypes, 0);
	}
	session_end(&s);
}
END_TEST

static void create_semaphore(struct session *s, uint32_t id, bool timeline)
{
	VkSemaphoreTypeCreateInfo type = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
	                                  .semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE};
	const VkSemaphoreCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO,
	                                  .pNext = timeline ? &type : NULL};
	VkSemaphore sem = ID(VkSemaphore, id);
	struct vkr_cmd_vkCreateSemaphore c = {
	    .device = ID(VkDevice, DEVICE), .pCreateInfo = &ci, .pSemaphore = &sem};
	call(s, VKR_CMD_vkCreateSemaphore, &c);
	ck_assert_int_eq(c.ret, VK_SUCCESS);
}

static void import_signalled(struct session *s, uint32_t sem, uint32_t resource)
{
	const VkImportSemaphoreResourceInfoMESA info = {
	    .sType = VK_STRUCTURE_TYPE_IMPORT_SEMAPHORE_RESOURCE_INFO_MESA,
	    .semaphore = ID(VkSemaphore, sem),
	    .resourceId = resource};
	struct vkr_cmd_vkImportSemaphoreResourceMESA c = {.device = ID(VkDevice, DEVICE),
	                                                  .pImportSemaphoreResourceInfo = &info};
	emit(s, VKR_CMD_vkImportSemaphoreResourceMESA, &c, 0);
}

/* What Venus does after vkAcquireNextImageKHR: import "signalled", then a submission waits on
 * the semaphore. Its fence must signal (a no-op import would leave it waiting forever). */
START_TEST(semaphore_import)
{
	struct session s;
	if (!emulating_session(&s))
		return;
	const char *const exts[] = {SYNC_FD_EXT};
	create_device(&s, exts, 1);
	create_semaphore(&s, SEM, false);
	const VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
	VkFence fence = ID(VkFence, FENCE);
	struct vkr_cmd_vkCreateFence cf = {
	    .device = ID(VkDevice, DEVICE), .pCreateInfo = &fci, .pFence = &fence};
	call(&s, VKR_CMD_vkCreateFence, &cf);
	ck_assert_int_eq(cf.ret, VK_SUCCESS);
	for (int frame = 0; frame < 3; frame++) { /* the same semaphore, frame after frame */
		import_signalled(&s, SEM, 0);
		const VkSemaphore sem = ID(VkSemaphore, SEM);
		const VkPipelineStageFlags stage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
		const VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
		                         .waitSemaphoreCount = 1,
		                         .pWaitSemaphores = &sem,
		                         .pWaitDstStageMask = &stage};
		struct vkr_cmd_vkQueueSubmit qs = {
		    .queue = ID(VkQueue, QUEUE), .submitCount = 1, .pSubmits = &si, .fence = fence};
		call(&s, VKR_CMD_vkQueueSubmit, &qs);
		ck_assert_int_eq(qs.ret, VK_SUCCESS);
		struct vkr_cmd_vkWaitForFences wf = {.device = ID(VkDevice, DEVICE),
		                                     .fenceCount = 1,
		                                     .pFences = &fence,
		                                     .waitAll = VK_TRUE,
		                                     .timeout = 5000000000ull};
		call(&s, VKR_CMD_vkWaitForFences, &wf);
		ck_assert_int_eq(wf.ret, VK_SUCCESS);
		struct vkr_cmd_vkResetFences rf = {
		    .device = ID(VkDevice, DEVICE), .fenceCount = 1, .pFences = &fence};
		call(&s, VKR_CMD_vkResetFences, &rf);
		ck_assert_int_eq(rf.ret, VK_SUCCESS);
	}
	session_end(&s);
}
END_TEST

/* A resource-backed import (we have no sync resources) or a timeline semaphore: fatal. */
START_TEST(semaphore_import_refused)
{
	struct session s;
	if (!emulating_session(&s))
		return;
	const char *const exts[] = {SYNC_FD_EXT};
	create_device(&s, exts, 1);
	create_semaphore(&s, SEM, _i == 1);
	import_signalled(&s, SEM, _i == 0 ? 7 : 0);
	ck_assert_int_ne(flush(&s), 0);
	ck_assert_msg(strstr(s.fatal, _i == 0 ? "with a resource" : "timeline semaphore"),
	              "fatal reason: %s", s.fatal);
	session_end(&s);
}
END_TEST

/* The capset's extension mask carries both extensions (bits = extension numbers): without
 * them the guest's encoder would drop their structs (the modifier list of an image, ...). */
START_TEST(capset_mask)
{
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = VGN_RENDERER_PARAMS_SIZE_V2;
	p.backends = VGN_BACKEND_VULKAN;
	p.log_level = VGN_LOG_ERROR;
	vgn_renderer *r = NULL;
	if (vgn_renderer_create(&p, &r)) {
		fprintf(stderr, "test_vkr_wsi_emul: no Vulkan backend: case skipped\n");
		return;
	}
	uint32_t cap[40];
	size_t written = 0;
	ck_assert_int_eq(vgn_capset_fill(r, VGN_CAPSET_VENUS, 0, cap, sizeof(cap), &written), 0);
	ck_assert_uint_eq(written, sizeof(cap));
	const uint32_t *mask = &cap[5]; /* after wire format, vk.xml, 2 spec versions, blob_id */
	ck_assert_uint_eq(mask[0] & 1, 1);
	static const uint32_t numbers[] = {159 /* image_drm_format_modifier */,
	                                   80 /* external_semaphore_fd */};
	for (int i = 0; i < 2; i++)
		ck_assert_msg((mask[numbers[i] / 32] >> (numbers[i] % 32)) & 1, "bit %u",
		              numbers[i]);
	vgn_renderer_destroy(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vkr_wsi_emul");
	TCase *tc = tcase_create("lavapipe");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, capset_mask);
	tcase_add_test(tc, format_modifier_lists);
	tcase_add_test(tc, image_format_with_modifier);
	tcase_add_test(tc, modifier_image);
	tcase_add_loop_test(tc, modifier_refused, 0, 3);
	tcase_add_test(tc, semaphore_properties);
	tcase_add_test(tc, semaphore_import);
	tcase_add_loop_test(tc, semaphore_import_refused, 0, 2);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	const int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
