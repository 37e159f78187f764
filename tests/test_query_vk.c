/* SPDX-License-Identifier: MIT */
/*
 * vkr metadata answers checked against the host Vulkan driver directly: the test
 * makes its own VkImage through the loader (same format, size, LINEAR tiling,
 * usage) and compares the layout and size; then a HOST3D blob of the answered
 * size is created in a Venus context and mapped. Exit 77 (skip) when no host
 * Vulkan device (lavapipe) is available.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vulkan/vulkan.h>

#include "virgl-next/virgl_next.h"

#define ck_assert_rc(call, expected)                                                               \
	do {                                                                                       \
		int rc_ = (call);                                                                  \
		ck_assert_msg(rc_ == (expected), "%s returned %d, expected %d", #call, rc_,        \
		              (int)(expected));                                                    \
	} while (0)

#define FMT_R16G16B16A16_FLOAT 94u
#define FMT_Z16_UNORM 16u

/* The test's own view of the host device. */
struct host_vk {
	VkInstance inst;
	VkPhysicalDevice pd;
	VkDevice dev;
	uint64_t import_alignment;
};

static bool is_venus(VkPhysicalDevice pd)
{
	VkPhysicalDeviceDriverProperties drv = {
	    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
	VkPhysicalDeviceProperties2 p = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
	                                 .pNext = &drv};
	vkGetPhysicalDeviceProperties2(pd, &p);
	return drv.driverID == VK_DRIVER_ID_MESA_VENUS;
}

static bool host_open(struct host_vk *h)
{
	memset(h, 0, sizeof(*h));
	const VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
	                               .apiVersion = VK_API_VERSION_1_1};
	const VkInstanceCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
	                                  .pApplicationInfo = &app};
	if (vkCreateInstance(&ici, NULL, &h->inst) != VK_SUCCESS)
		return false;
	VkPhysicalDevice pds[8];
	uint32_t n = 8;
	if (vkEnumeratePhysicalDevices(h->inst, &n, pds) < 0)
		n = 0;
	for (uint32_t i = 0; i < n && !h->pd; i++)
		if (!is_venus(pds[i]))
			h->pd = pds[i];
	if (!h->pd) {
		vkDestroyInstance(h->inst, NULL);
		return false;
	}
	VkPhysicalDeviceExternalMemoryHostPropertiesEXT host = {
	    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_MEMORY_HOST_PROPERTIES_EXT};
	VkPhysicalDeviceProperties2 props = {
	    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, .pNext = &host};
	vkGetPhysicalDeviceProperties2(h->pd, &props);
	h->import_alignment = host.minImportedHostPointerAlignment;
	const float prio = 1.0f;
	const VkDeviceQueueCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
	                                     .queueCount = 1,
	                                     .pQueuePriorities = &prio};
	const VkDeviceCreateInfo dci = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
	                                .queueCreateInfoCount = 1,
	                                .pQueueCreateInfos = &qci};
	if (vkCreateDevice(h->pd, &dci, NULL, &h->dev) != VK_SUCCESS) {
		vkDestroyInstance(h->inst, NULL);
		return false;
	}
	return true;
}

static void host_close(struct host_vk *h)
{
	vkDestroyDevice(h->dev, NULL);
	vkDestroyInstance(h->inst, NULL);
}

static vgn_renderer *renderer(void)
{
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.backends = VGN_BACKEND_VULKAN | VGN_BACKEND_CPU2D;
	p.log_level = VGN_LOG_WARN;
	vgn_renderer *r = NULL;
	ck_assert_rc(vgn_renderer_create(&p, &r), 0);
	return r;
}

static struct vgn_query_image_requirements image_q(uint32_t format, uint32_t w, uint32_t h,
                                                   uint32_t bind)
{
	struct vgn_query_image_requirements q;
	memset(&q, 0, sizeof(q));
	q.hdr.size = sizeof(q);
	q.hdr.type = VGN_QUERY_IMAGE_REQUIREMENTS;
	q.backend = VGN_BACKEND_VULKAN;
	q.format = format;
	q.width = w;
	q.height = h;
	q.bind = bind;
	return q;
}

/* The test's own image: layout of aspect, memory requirements. */
static void host_image(struct host_vk *h, VkFormat f, uint32_t w, uint32_t hgt,
                       VkImageUsageFlags usage, VkImageAspectFlags aspect,
                       VkSubresourceLayout *layout, VkMemoryRequirements *req)
{
	const VkImageCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
	                               .imageType = VK_IMAGE_TYPE_2D,
	                               .format = f,
	                               .extent = {w, hgt, 1},
	                               .mipLevels = 1,
	                               .arrayLayers = 1,
	                               .samples = VK_SAMPLE_COUNT_1_BIT,
	                               .tiling = VK_IMAGE_TILING_LINEAR,
	                               .usage = usage,
	                               .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED};
	VkImage img;
	ck_assert_int_eq(vkCreateImage(h->dev, &ici, NULL, &img), VK_SUCCESS);
	const VkImageSubresource sub = {.aspectMask = aspect};
	vkGetImageSubresourceLayout(h->dev, img, &sub, layout);
	vkGetImageMemoryRequirements(h->dev, img, req);
	vkDestroyImage(h->dev, img, NULL);
}

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static void check_image(vgn_renderer *r, struct host_vk *h, uint32_t format, VkFormat vf,
                        uint32_t w, uint32_t hgt, uint32_t bind, VkImageUsageFlags usage,
                        VkImageAspectFlags aspect)
{
	struct vgn_query_image_requirements q = image_q(format, w, hgt, bind);
	ck_assert_rc(vgn_query(r, 0, &q.hdr, &q.hdr), 0);
	ck_assert_uint_eq(q.answered_by, VGN_BACKEND_VULKAN);
	VkSubresourceLayout lay;
	VkMemoryRequirements req;
	host_image(h, vf, w, hgt, usage, aspect, &lay, &req);
	ck_assert_uint_eq(q.num_planes, 1);
	ck_assert_uint_eq(q.strides[0], lay.rowPitch);
	ck_assert_uint_eq(q.offsets[0], lay.offset);
	ck_assert_uint_eq(q.modifier, 0); /* LINEAR */
	long ps = sysconf(_SC_PAGESIZE);
	uint64_t align = (uint64_t)ps;
	if (h->import_alignment > align)
		align = h->import_alignment;
	ck_assert_uint_eq(q.size, round_up(req.size, align));
	ck_assert_uint_ge(q.size, (uint64_t)lay.offset + lay.size);
	ck_assert(q.memory_flags & VGN_MEMORY_HOST_VISIBLE);
	ck_assert_uint_eq(q.map_cache_type, VGN_MAP_CACHE_CACHED);
}

START_TEST(image_matches_driver)
{
	struct host_vk h;
	ck_assert(host_open(&h));
	vgn_renderer *r = renderer();
	const VkImageUsageFlags xfer =
	    VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
	const uint32_t rt = VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW;
	const VkImageUsageFlags rt_usage =
	    xfer | VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT;
	check_image(r, &h, VGN_FORMAT_B8G8R8A8_UNORM, VK_FORMAT_B8G8R8A8_UNORM, 33, 17, rt,
	            rt_usage, VK_IMAGE_ASPECT_COLOR_BIT);
	check_image(r, &h, VGN_FORMAT_R8_UNORM, VK_FORMAT_R8_UNORM, 13, 7, rt, rt_usage,
	            VK_IMAGE_ASPECT_COLOR_BIT);
	check_image(r, &h, FMT_R16G16B16A16_FLOAT, VK_FORMAT_R16G16B16A16_SFLOAT, 640, 480,
	            VGN_BIND_SAMPLER_VIEW | VGN_BIND_LINEAR, xfer | VK_IMAGE_USAGE_SAMPLED_BIT,
	            VK_IMAGE_ASPECT_COLOR_BIT);
	check_image(r, &h, VGN_FORMAT_B5G6R5_UNORM, VK_FORMAT_R5G6B5_UNORM_PACK16, 1, 1, 0, xfer,
	            VK_IMAGE_ASPECT_COLOR_BIT);
	vgn_renderer_destroy(r);
	host_close(&h);
}
END_TEST

START_TEST(format_support_matches_driver)
{
	struct host_vk h;
	ck_assert(host_open(&h));
	vgn_renderer *r = renderer();
	struct vgn_query_format_support q;
	memset(&q, 0, sizeof(q));
	q.hdr.size = sizeof(q);
	q.hdr.type = VGN_QUERY_FORMAT_SUPPORT;
	q.backend = VGN_BACKEND_VULKAN;
	q.format = VGN_FORMAT_B8G8R8A8_UNORM;
	ck_assert_rc(vgn_query(r, 0, &q.hdr, &q.hdr), 0);
	ck_assert_uint_eq(q.answered_by, VGN_BACKEND_VULKAN);
	VkFormatProperties fp;
	vkGetPhysicalDeviceFormatProperties(h.pd, VK_FORMAT_B8G8R8A8_UNORM, &fp);
	const VkFormatFeatureFlags any = fp.linearTilingFeatures | fp.optimalTilingFeatures;
	ck_assert_int_eq(!!(q.bind & VGN_BIND_SAMPLER_VIEW),
	                 !!(any & VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT));
	ck_assert_int_eq(!!(q.bind & VGN_BIND_RENDER_TARGET),
	                 !!(any & VK_FORMAT_FEATURE_COLOR_ATTACHMENT_BIT));
	ck_assert_int_eq(!!(q.bind & VGN_BIND_DEPTH_STENCIL),
	                 !!(any & VK_FORMAT_FEATURE_DEPTH_STENCIL_ATTACHMENT_BIT));
	ck_assert_uint_eq(q.drm_fourcc, 0x34325241); /* 'AR24' */
	ck_assert_uint_ge(q.num_modifiers, 1);
	/* A depth format: depth usage, no colour. */
	q.format = FMT_Z16_UNORM;
	ck_assert_rc(vgn_query(r, 0, &q.hdr, &q.hdr), 0);
	vkGetPhysicalDeviceFormatProperties(h.pd, VK_FORMAT_D16_UNORM, &fp);
	ck_assert_int_eq(!!(q.bind & VGN_BIND_DEPTH_STENCIL),
	                 !!((fp.linearTilingFeatures | fp.optimalTilingFeatures) &
	                    VK_FORMAT_FEATURE_DEPTH_STENCIL_ATTACHMENT_BIT));
	ck_assert(!(q.bind & VGN_BIND_RENDER_TARGET));
	/* A format with no Vulkan twin is not vkr's: cpu2d answers when asked freely. */
	q.format = VGN_FORMAT_A8R8G8B8_UNORM;
	ck_assert_rc(vgn_query(r, 0, &q.hdr, &q.hdr), -EOPNOTSUPP);
	q.backend = 0;
	ck_assert_rc(vgn_query(r, 0, &q.hdr, &q.hdr), 0);
	ck_assert_uint_eq(q.answered_by, VGN_BACKEND_CPU2D);
	vgn_renderer_destroy(r);
	host_close(&h);
}
END_TEST

START_TEST(blob_of_answered_size)
{
	vgn_renderer *r = renderer();
	struct vgn_context_params cp = {sizeof(cp), VGN_CAPSET_VENUS, 0, "query"};
	ck_assert_rc(vgn_context_create(r, 1, &cp), 0);
	struct vgn_query_image_requirements vmm =
	    image_q(VGN_FORMAT_B8G8R8A8_UNORM, 100, 50, VGN_BIND_SAMPLER_VIEW | VGN_BIND_LINEAR);
	ck_assert_rc(vgn_query(r, 0, &vmm.hdr, &vmm.hdr), 0);
	/* The guest asking through its context gets the same answer. */
	struct vgn_query_image_requirements guest =
	    image_q(VGN_FORMAT_B8G8R8A8_UNORM, 100, 50, VGN_BIND_SAMPLER_VIEW | VGN_BIND_LINEAR);
	guest.backend = 0;
	ck_assert_rc(vgn_query(r, 1, &guest.hdr, &guest.hdr), 0);
	guest.backend = VGN_BACKEND_VULKAN;
	ck_assert_int_eq(memcmp(&guest, &vmm, sizeof(vmm)), 0);
	/* ... but only about its own backend, and never the VMM's counters. */
	guest.backend = VGN_BACKEND_CPU2D;
	ck_assert_rc(vgn_query(r, 1, &guest.hdr, &guest.hdr), -EPERM);
	struct vgn_query_renderer_limits lim;
	memset(&lim, 0, sizeof(lim));
	lim.hdr.size = sizeof(lim);
	lim.hdr.type = VGN_QUERY_RENDERER_LIMITS;
	ck_assert_rc(vgn_query(r, 1, &lim.hdr, &lim.hdr), -EPERM);

	/* A HOST3D blob of the answered size exists and maps, and every row of the
	 * image at the answered stride lies inside the mapping. */
	struct vgn_blob_params bp;
	memset(&bp, 0, sizeof(bp));
	bp.size = sizeof(bp);
	bp.ctx_id = 1;
	bp.blob_mem = VGN_BLOB_MEM_HOST3D;
	bp.blob_flags = VGN_BLOB_FLAG_MAPPABLE;
	bp.blob_size = vmm.size;
	bp.fd = -1;
	ck_assert_rc(vgn_resource_create_blob(r, 7, &bp), 0);
	void *ptr = NULL;
	uint64_t size = 0;
	ck_assert_rc(vgn_resource_map(r, 7, &ptr, &size), 0);
	ck_assert_uint_ge(size, vmm.size);
	uint32_t cache = 99;
	ck_assert_rc(vgn_resource_map_info(r, 7, &cache), 0);
	ck_assert_uint_eq(cache, vmm.map_cache_type);
	uint8_t *base = ptr;
	for (uint32_t y = 0; y < 50; y++)
		memset(base + vmm.offsets[0] + (uint64_t)y * vmm.strides[0], (int)y, 100 * 4);
	ck_assert_uint_eq(base[vmm.offsets[0] + 49ull * vmm.strides[0] + 399], 49);
	ck_assert_rc(vgn_resource_unmap(r, 7), 0);
	ck_assert_rc(vgn_resource_unref(r, 7), 0);
	ck_assert_rc(vgn_context_destroy(r, 1), 0);
	vgn_renderer_destroy(r);
}
END_TEST

START_TEST(image_refusals)
{
	vgn_renderer *r = renderer();
	/* No LINEAR among the allowed modifiers: vkr cannot make it. */
	struct vgn_query_image_requirements q = image_q(VGN_FORMAT_B8G8R8A8_UNORM, 8, 8, 0);
	q.num_modifiers = 1;
	q.modifiers[0] = 0x0100000000000001ull;
	ck_assert_rc(vgn_query(r, 0, &q.hdr, &q.hdr), -EOPNOTSUPP);
	/* A format without a Vulkan twin. */
	q = image_q(VGN_FORMAT_A8R8G8B8_UNORM, 8, 8, 0);
	ck_assert_rc(vgn_query(r, 0, &q.hdr, &q.hdr), -EOPNOTSUPP);
	vgn_renderer_destroy(r);
}
END_TEST

int main(void)
{
	struct host_vk h;
	if (!host_open(&h)) {
		printf("no host Vulkan device: skipped\n");
		return 77;
	}
	host_close(&h);
	Suite *s = suite_create("query_vk");
	TCase *tc = tcase_create("query_vk");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, image_matches_driver);
	tcase_add_test(tc, format_support_matches_driver);
	tcase_add_test(tc, blob_of_answered_size);
	tcase_add_test(tc, image_refusals);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
