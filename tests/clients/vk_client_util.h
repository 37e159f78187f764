/* SPDX-License-Identifier: MIT */
/* Small helpers shared by our Vulkan client programs (vk_compute.c, vk_triangle.c). */
#ifndef VK_CLIENT_UTIL_H
#define VK_CLIENT_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

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

#endif /* VK_CLIENT_UTIL_H */
