/* SPDX-License-Identifier: MIT */
/*
 * Writes seeds for fuzz_venus_live: whole Venus sessions as a guest driver
 * would send them on a context stream, encoded by the generated driver-side
 * encoders. Each seed builds on the previous one: an instance; a device with a
 * queue; a buffer bound to memory; a command buffer that fills the buffer,
 * submitted with a fence and waited for; the same with replies into resource 1
 * (the harness's reply blob) and split over several submits; and a device with the
 * extensions vkr emulates for WSI (vkr_wsi_emul.c): SYNC_FD semaphore import, a LINEAR
 * DRM-modifier image, a submit that waits on the imported semaphore.
 *
 * Usage: gen_venus_live_seeds OUTDIR. Built on demand:
 *   ninja -C build-fuzz fuzz/gen_venus_live_seeds
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vkr_proto_driver.h"

/* Guest-chosen object ids (Venus handles are ids the guest picks). */
#define ID(type, n) ((type)(uintptr_t)(n))
#define INSTANCE 0x100u
#define PHYS 0x200u
#define DEVICE 0x300u
#define QUEUE 0x400u
#define BUFFER 0x500u
#define MEMORY 0x600u
#define POOL 0x700u
#define CMDBUF 0x800u
#define FENCE 0x900u
#define SEMAPHORE 0xa00u
#define IMAGE 0xb00u

struct seed {
	uint8_t data[1 << 16];
	size_t len;
	uint32_t reply_flags; /* VKR_COMMAND_GENERATE_REPLY_BIT or 0 */
};

static void emit(struct seed *s, uint32_t type, const void *args, uint32_t flags)
{
	const struct vkr_proto_driver_command *drv = vkr_proto_driver_command(type);
	struct vkr_cs_encoder enc;

	if (!drv) {
		fprintf(stderr, "no driver encoder for command %u\n", type);
		exit(1);
	}
	vkr_cs_encoder_init(&enc, s->data + s->len, sizeof(s->data) - s->len);
	if (drv->encode(&enc, flags, args)) {
		fprintf(stderr, "encoding command %u failed\n", type);
		exit(1);
	}
	s->len += (size_t)(enc.cur - (s->data + s->len));
}

/* Ends one submit buffer; the harness submits what lies between markers. */
static void split(struct seed *s)
{
	memcpy(s->data + s->len, "VGNB", 4);
	s->len += 4;
}

static void instance(struct seed *s)
{
	static const VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
	                                      .apiVersion = VK_API_VERSION_1_2};
	static const VkInstanceCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
	                                        .pApplicationInfo = &app};
	uint32_t version = 0;
	VkInstance inst = ID(VkInstance, INSTANCE);
	struct vkr_cmd_vkEnumerateInstanceVersion ev = {.pApiVersion = &version};
	struct vkr_cmd_vkCreateInstance c = {.pCreateInfo = &ci, .pInstance = &inst};

	emit(s, VKR_CMD_vkEnumerateInstanceVersion, &ev, s->reply_flags);
	emit(s, VKR_CMD_vkCreateInstance, &c, s->reply_flags);
}

static void device_with(struct seed *s, uint32_t ext_count, const char *const *exts)
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
	                                .enabledExtensionCount = ext_count,
	                                .ppEnabledExtensionNames = exts};
	uint32_t count = 1;
	VkPhysicalDevice phys = ID(VkPhysicalDevice, PHYS);
	VkPhysicalDeviceProperties props;
	VkDevice dev = ID(VkDevice, DEVICE);
	VkQueue queue = ID(VkQueue, QUEUE);
	struct vkr_cmd_vkEnumeratePhysicalDevices en = {.instance = ID(VkInstance, INSTANCE),
	                                                .pPhysicalDeviceCount = &count,
	                                                .pPhysicalDevices = &phys};
	struct vkr_cmd_vkGetPhysicalDeviceProperties gp = {.physicalDevice = phys,
	                                                   .pProperties = &props};
	struct vkr_cmd_vkCreateDevice cd = {
	    .physicalDevice = phys, .pCreateInfo = &dci, .pDevice = &dev};
	/* Venus names the fence ring of each queue (ring 0 is the device's). */
	VkDeviceQueueTimelineInfoMESA tl = {
	    .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_TIMELINE_INFO_MESA, .ringIdx = 1};
	VkDeviceQueueInfo2 qi = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_INFO_2, .pNext = &tl};
	struct vkr_cmd_vkGetDeviceQueue2 gq = {.device = dev, .pQueueInfo = &qi, .pQueue = &queue};

	memset(&props, 0, sizeof(props));
	emit(s, VKR_CMD_vkEnumeratePhysicalDevices, &en, s->reply_flags);
	emit(s, VKR_CMD_vkGetPhysicalDeviceProperties, &gp, s->reply_flags);
	emit(s, VKR_CMD_vkCreateDevice, &cd, s->reply_flags);
	emit(s, VKR_CMD_vkGetDeviceQueue2, &gq, 0);
}

static void device(struct seed *s)
{
	device_with(s, 0, NULL);
}

/* What Venus sends for WSI when vkr emulates image_drm_format_modifier and SYNC_FD import. */
static void wsi_emul(struct seed *s)
{
	static const char *const exts[] = {"VK_EXT_image_drm_format_modifier",
	                                   "VK_KHR_external_semaphore_fd"};
	static const uint64_t linear = 0;
	static const VkImageDrmFormatModifierListCreateInfoEXT mods = {
	    .sType = VK_STRUCTURE_TYPE_IMAGE_DRM_FORMAT_MODIFIER_LIST_CREATE_INFO_EXT,
	    .drmFormatModifierCount = 1,
	    .pDrmFormatModifiers = &linear};
	static const VkImageCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
	                                      .pNext = &mods,
	                                      .imageType = VK_IMAGE_TYPE_2D,
	                                      .format = VK_FORMAT_B8G8R8A8_UNORM,
	                                      .extent = {64, 64, 1},
	                                      .mipLevels = 1,
	                                      .arrayLayers = 1,
	                                      .samples = VK_SAMPLE_COUNT_1_BIT,
	                                      .tiling = VK_IMAGE_TILING_DRM_FORMAT_MODIFIER_EXT,
	                                      .usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT};
	static const VkSemaphoreCreateInfo sci = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
	static const VkPhysicalDeviceExternalSemaphoreInfo esi = {
	    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_SEMAPHORE_INFO,
	    .handleType = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT};
	static const VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
	VkPhysicalDevice phys = ID(VkPhysicalDevice, PHYS);
	VkDevice dev = ID(VkDevice, DEVICE);
	VkSemaphore sem = ID(VkSemaphore, SEMAPHORE);
	VkImage img = ID(VkImage, IMAGE);
	VkFence fence = ID(VkFence, FENCE);
	VkExternalSemaphoreProperties esp = {.sType =
	                                         VK_STRUCTURE_TYPE_EXTERNAL_SEMAPHORE_PROPERTIES};
	VkDrmFormatModifierPropertiesListEXT list = {
	    .sType = VK_STRUCTURE_TYPE_DRM_FORMAT_MODIFIER_PROPERTIES_LIST_EXT};
	VkFormatProperties2 fp = {.sType = VK_STRUCTURE_TYPE_FORMAT_PROPERTIES_2, .pNext = &list};
	VkImageDrmFormatModifierPropertiesEXT mp = {
	    .sType = VK_STRUCTURE_TYPE_IMAGE_DRM_FORMAT_MODIFIER_PROPERTIES_EXT};
	const VkImportSemaphoreResourceInfoMESA imp = {
	    .sType = VK_STRUCTURE_TYPE_IMPORT_SEMAPHORE_RESOURCE_INFO_MESA,
	    .semaphore = sem,
	    .resourceId = 0};
	const VkPipelineStageFlags stage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
	VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
	                   .waitSemaphoreCount = 1,
	                   .pWaitSemaphores = &sem,
	                   .pWaitDstStageMask = &stage};
	struct vkr_cmd_vkGetPhysicalDeviceExternalSemaphoreProperties ep = {
	    .physicalDevice = phys,
	    .pExternalSemaphoreInfo = &esi,
	    .pExternalSemaphoreProperties = &esp};
	struct vkr_cmd_vkGetPhysicalDeviceFormatProperties2 gf = {
	    .physicalDevice = phys, .format = VK_FORMAT_B8G8R8A8_UNORM, .pFormatProperties = &fp};
	struct vkr_cmd_vkCreateSemaphore cs = {
	    .device = dev, .pCreateInfo = &sci, .pSemaphore = &sem};
	struct vkr_cmd_vkImportSemaphoreResourceMESA is = {.device = dev,
	                                                   .pImportSemaphoreResourceInfo = &imp};
	struct vkr_cmd_vkCreateImage ci = {.device = dev, .pCreateInfo = &ici, .pImage = &img};
	struct vkr_cmd_vkGetImageDrmFormatModifierPropertiesEXT gm = {
	    .device = dev, .image = img, .pProperties = &mp};
	struct vkr_cmd_vkCreateFence cf = {.device = dev, .pCreateInfo = &fci, .pFence = &fence};
	struct vkr_cmd_vkQueueSubmit qs = {
	    .queue = ID(VkQueue, QUEUE), .submitCount = 1, .pSubmits = &si, .fence = fence};
	struct vkr_cmd_vkWaitForFences wf = {.device = dev,
	                                     .fenceCount = 1,
	                                     .pFences = &fence,
	                                     .waitAll = VK_TRUE,
	                                     .timeout = 1000000000ull};
	struct vkr_cmd_vkDestroyImage di = {.device = dev, .image = img};
	struct vkr_cmd_vkDestroySemaphore ds = {.device = dev, .semaphore = sem};
	struct vkr_cmd_vkDestroyFence df = {.device = dev, .fence = fence};
	struct vkr_cmd_vkDestroyDevice dd = {.device = dev};
	struct vkr_cmd_vkDestroyInstance dn = {.instance = ID(VkInstance, INSTANCE)};

	device_with(s, 2, exts);
	emit(s, VKR_CMD_vkGetPhysicalDeviceExternalSemaphoreProperties, &ep, s->reply_flags);
	emit(s, VKR_CMD_vkGetPhysicalDeviceFormatProperties2, &gf, s->reply_flags);
	emit(s, VKR_CMD_vkCreateSemaphore, &cs, s->reply_flags);
	emit(s, VKR_CMD_vkImportSemaphoreResourceMESA, &is, 0);
	emit(s, VKR_CMD_vkCreateImage, &ci, s->reply_flags);
	emit(s, VKR_CMD_vkGetImageDrmFormatModifierPropertiesEXT, &gm, s->reply_flags);
	emit(s, VKR_CMD_vkCreateFence, &cf, s->reply_flags);
	emit(s, VKR_CMD_vkQueueSubmit, &qs, s->reply_flags);
	emit(s, VKR_CMD_vkWaitForFences, &wf, s->reply_flags);
	emit(s, VKR_CMD_vkDestroyImage, &di, 0);
	emit(s, VKR_CMD_vkDestroySemaphore, &ds, 0);
	emit(s, VKR_CMD_vkDestroyFence, &df, 0);
	emit(s, VKR_CMD_vkDestroyDevice, &dd, 0);
	emit(s, VKR_CMD_vkDestroyInstance, &dn, 0);
}

static void buffer_and_memory(struct seed *s)
{
	static const VkBufferCreateInfo bci = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
	                                       .size = 4096,
	                                       .usage = VK_BUFFER_USAGE_TRANSFER_DST_BIT |
	                                                VK_BUFFER_USAGE_STORAGE_BUFFER_BIT};
	static const VkMemoryAllocateInfo mai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
	                                         .allocationSize = 4096,
	                                         .memoryTypeIndex = 0};
	VkDevice dev = ID(VkDevice, DEVICE);
	VkBuffer buf = ID(VkBuffer, BUFFER);
	VkDeviceMemory mem = ID(VkDeviceMemory, MEMORY);
	VkMemoryRequirements req;
	struct vkr_cmd_vkCreateBuffer cb = {.device = dev, .pCreateInfo = &bci, .pBuffer = &buf};
	struct vkr_cmd_vkGetBufferMemoryRequirements gr = {
	    .device = dev, .buffer = buf, .pMemoryRequirements = &req};
	struct vkr_cmd_vkAllocateMemory am = {
	    .device = dev, .pAllocateInfo = &mai, .pMemory = &mem};
	struct vkr_cmd_vkBindBufferMemory bb = {.device = dev, .buffer = buf, .memory = mem};

	memset(&req, 0, sizeof(req));
	emit(s, VKR_CMD_vkCreateBuffer, &cb, s->reply_flags);
	emit(s, VKR_CMD_vkGetBufferMemoryRequirements, &gr, s->reply_flags);
	emit(s, VKR_CMD_vkAllocateMemory, &am, s->reply_flags);
	emit(s, VKR_CMD_vkBindBufferMemory, &bb, s->reply_flags);
}

static void fill_and_submit(struct seed *s)
{
	static const VkCommandPoolCreateInfo pci = {
	    .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO, .queueFamilyIndex = 0};
	static const VkCommandBufferBeginInfo begin = {
	    .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
	    .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
	static const VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
	VkDevice dev = ID(VkDevice, DEVICE);
	VkCommandPool pool = ID(VkCommandPool, POOL);
	VkCommandBuffer cmd = ID(VkCommandBuffer, CMDBUF);
	VkFence fence = ID(VkFence, FENCE);
	VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
	                                   .commandPool = pool,
	                                   .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
	                                   .commandBufferCount = 1};
	VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
	                   .commandBufferCount = 1,
	                   .pCommandBuffers = &cmd};
	struct vkr_cmd_vkCreateCommandPool cp = {
	    .device = dev, .pCreateInfo = &pci, .pCommandPool = &pool};
	struct vkr_cmd_vkAllocateCommandBuffers ac = {
	    .device = dev, .pAllocateInfo = &cai, .pCommandBuffers = &cmd};
	struct vkr_cmd_vkBeginCommandBuffer bc = {.commandBuffer = cmd, .pBeginInfo = &begin};
	struct vkr_cmd_vkCmdFillBuffer fb = {.commandBuffer = cmd,
	                                     .dstBuffer = ID(VkBuffer, BUFFER),
	                                     .size = VK_WHOLE_SIZE,
	                                     .data = 0x5a5a5a5a};
	struct vkr_cmd_vkEndCommandBuffer ec = {.commandBuffer = cmd};
	struct vkr_cmd_vkCreateFence cf = {.device = dev, .pCreateInfo = &fci, .pFence = &fence};
	struct vkr_cmd_vkQueueSubmit qs = {
	    .queue = ID(VkQueue, QUEUE), .submitCount = 1, .pSubmits = &si, .fence = fence};
	struct vkr_cmd_vkWaitForFences wf = {.device = dev,
	                                     .fenceCount = 1,
	                                     .pFences = &fence,
	                                     .waitAll = VK_TRUE,
	                                     .timeout = 1000000000ull};

	emit(s, VKR_CMD_vkCreateCommandPool, &cp, s->reply_flags);
	emit(s, VKR_CMD_vkAllocateCommandBuffers, &ac, s->reply_flags);
	emit(s, VKR_CMD_vkBeginCommandBuffer, &bc, 0);
	emit(s, VKR_CMD_vkCmdFillBuffer, &fb, 0);
	emit(s, VKR_CMD_vkEndCommandBuffer, &ec, 0);
	emit(s, VKR_CMD_vkCreateFence, &cf, s->reply_flags);
	emit(s, VKR_CMD_vkQueueSubmit, &qs, s->reply_flags);
	emit(s, VKR_CMD_vkWaitForFences, &wf, s->reply_flags);
}

static void teardown(struct seed *s)
{
	VkDevice dev = ID(VkDevice, DEVICE);
	struct vkr_cmd_vkDestroyFence df = {.device = dev, .fence = ID(VkFence, FENCE)};
	struct vkr_cmd_vkDestroyCommandPool dp = {.device = dev,
	                                          .commandPool = ID(VkCommandPool, POOL)};
	struct vkr_cmd_vkDestroyBuffer db = {.device = dev, .buffer = ID(VkBuffer, BUFFER)};
	struct vkr_cmd_vkFreeMemory fm = {.device = dev, .memory = ID(VkDeviceMemory, MEMORY)};
	struct vkr_cmd_vkDestroyDevice dd = {.device = dev};
	struct vkr_cmd_vkDestroyInstance di = {.instance = ID(VkInstance, INSTANCE)};

	emit(s, VKR_CMD_vkDestroyFence, &df, 0);
	emit(s, VKR_CMD_vkDestroyCommandPool, &dp, 0);
	emit(s, VKR_CMD_vkDestroyBuffer, &db, 0);
	emit(s, VKR_CMD_vkFreeMemory, &fm, 0);
	emit(s, VKR_CMD_vkDestroyDevice, &dd, 0);
	emit(s, VKR_CMD_vkDestroyInstance, &di, 0);
}

static void reply_stream(struct seed *s)
{
	static const VkCommandStreamDescriptionMESA desc = {
	    .resourceId = 1, .offset = 0, .size = 4096};
	struct vkr_cmd_vkSetReplyCommandStreamMESA sr = {.pStream = &desc};

	emit(s, VKR_CMD_vkSetReplyCommandStreamMESA, &sr, 0);
	s->reply_flags = VKR_COMMAND_GENERATE_REPLY_BIT;
}

static void save(const char *dir, const char *name, const struct seed *s)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(s->data, 1, s->len, f) != s->len || fclose(f)) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	static struct seed s;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
		return 2;
	}
	memset(&s, 0, sizeof(s));
	instance(&s);
	save(argv[1], "instance", &s);
	device(&s);
	save(argv[1], "device", &s);
	buffer_and_memory(&s);
	save(argv[1], "buffer-memory", &s);
	fill_and_submit(&s);
	teardown(&s);
	save(argv[1], "fill-submit", &s);

	memset(&s, 0, sizeof(s));
	reply_stream(&s);
	instance(&s);
	split(&s);
	device(&s);
	split(&s);
	buffer_and_memory(&s);
	split(&s);
	fill_and_submit(&s);
	split(&s);
	teardown(&s);
	save(argv[1], "replies-split", &s);

	memset(&s, 0, sizeof(s));
	reply_stream(&s);
	instance(&s);
	wsi_emul(&s);
	save(argv[1], "wsi-emul", &s);
	printf("6 seeds written to %s\n", argv[1]);
	return 0;
}
