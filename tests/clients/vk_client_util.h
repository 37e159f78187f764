/* SPDX-License-Identifier: MIT */
/* Small helpers shared by our Vulkan client programs (vk_compute.c, vk_triangle.c): timing,
 * fence timeout, instance/device/queue set-up, memory type choice. */
#ifndef VK_CLIENT_UTIL_H
#define VK_CLIENT_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <vulkan/vulkan.h>

static inline double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* How long one submission may take: 20 s, or VGN_FENCE_TIMEOUT_S (slow runs: Valgrind). */
static inline uint64_t fence_timeout_ns(void)
{
	const char *s = getenv("VGN_FENCE_TIMEOUT_S");
	const uint64_t secs = s && atoi(s) > 0 ? (uint64_t)atoi(s) : 20;
	return secs * 1000 * 1000 * 1000;
}

/* The first physical device, and a device with one queue of the first family that has
 * queue_flags. */
struct vk_client {
	VkInstance instance;
	VkPhysicalDevice pd;
	VkPhysicalDeviceMemoryProperties mp;
	uint32_t qf;
	VkDevice dev;
	VkQueue queue;
};

/* 0, or 1 after a message on stderr (what is made so far is left to process exit). */
static inline int vk_client_open(const char *name, VkQueueFlags queue_flags, struct vk_client *c)
{
	const VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
	                               .pApplicationName = name,
	                               .apiVersion = VK_API_VERSION_1_1};
	const VkInstanceCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
	                                  .pApplicationInfo = &app};
	VkResult r = vkCreateInstance(&ici, NULL, &c->instance);
	if (r != VK_SUCCESS) {
		fprintf(stderr, "%s: vkCreateInstance failed: %d\n", name, r);
		return 1;
	}
	uint32_t npd = 1;
	r = vkEnumeratePhysicalDevices(c->instance, &npd, &c->pd);
	if ((r != VK_SUCCESS && r != VK_INCOMPLETE) || !npd) {
		fprintf(stderr, "%s: no physical device\n", name);
		return 1;
	}
	VkPhysicalDeviceProperties props;
	vkGetPhysicalDeviceProperties(c->pd, &props);
	printf("%s: device \"%s\"\n", name, props.deviceName);
	vkGetPhysicalDeviceMemoryProperties(c->pd, &c->mp);

	uint32_t nqf = 0;
	vkGetPhysicalDeviceQueueFamilyProperties(c->pd, &nqf, NULL);
	VkQueueFamilyProperties qfp[16];
	nqf = nqf > 16 ? 16 : nqf;
	vkGetPhysicalDeviceQueueFamilyProperties(c->pd, &nqf, qfp);
	c->qf = UINT32_MAX;
	for (uint32_t i = 0; i < nqf && c->qf == UINT32_MAX; i++)
		if ((qfp[i].queueFlags & queue_flags) == queue_flags)
			c->qf = i;
	if (c->qf == UINT32_MAX) {
		fprintf(stderr, "%s: no queue family with flags 0x%x\n", name, queue_flags);
		return 1;
	}
	const float prio = 1.0f;
	const VkDeviceQueueCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
	                                     .queueFamilyIndex = c->qf,
	                                     .queueCount = 1,
	                                     .pQueuePriorities = &prio};
	const VkDeviceCreateInfo dci = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
	                                .queueCreateInfoCount = 1,
	                                .pQueueCreateInfos = &qci};
	r = vkCreateDevice(c->pd, &dci, NULL, &c->dev);
	if (r != VK_SUCCESS) {
		fprintf(stderr, "%s: vkCreateDevice failed: %d\n", name, r);
		return 1;
	}
	vkGetDeviceQueue(c->dev, c->qf, 0, &c->queue);
	return 0;
}

/* The first memory type allowed by bits with every flag of want; UINT32_MAX if none. */
static inline uint32_t vk_client_memory_type(const struct vk_client *c, uint32_t bits,
                                             VkMemoryPropertyFlags want)
{
	for (uint32_t i = 0; i < c->mp.memoryTypeCount; i++)
		if ((bits & (1u << i)) && (c->mp.memoryTypes[i].propertyFlags & want) == want)
			return i;
	return UINT32_MAX;
}

#endif /* VK_CLIENT_UTIL_H */
