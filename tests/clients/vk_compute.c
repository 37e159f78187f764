/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * A small Vulkan compute client: a shader writes data[i] = i * 3 + 7 into a host-visible
 * storage buffer, the program reads it back through its mapping and checks every element.
 * Runs on any Vulkan driver: natively (lavapipe) or through Venus + virgl-next-vtest.
 * Prints the device name; exit status 0 only if every element is right.
 *
 *   vk_compute [--iterations N] [--elements E] [--crash | --orphan]
 * --iterations N: submit the dispatch N times (timed, for bench/vk_bench.sh).
 * --elements E: elements per dispatch (default 4096, a multiple of 64): bench/vk_bench.sh uses a
 *   large count to show a workload where the per-submission round trip no longer dominates.
 * --crash: after the check, SIGKILL ourselves with every object alive (the host must clean up).
 * --orphan: destroy the device and instance with every child still alive (invalid usage the
 *   host must survive without leaking).
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vulkan/vulkan.h>

#include "vk_client_util.h"

#define LOCAL 64u

/*
 * Hand-assembled SPIR-V 1.0 (no shader compiler on the build host). Equivalent GLSL:
 *
 *   #version 450
 *   layout(local_size_x = 64) in;
 *   layout(std430, binding = 0) buffer Buf { uint data[]; };   // BufferBlock, set 0
 *   void main() { uint i = gl_GlobalInvocationID.x; data[i] = i * 3u + 7u; }
 *
 * Ids: 1 main, 2 void, 3 fn, 4 uint, 5 uvec3, 6 Input*uvec3, 7 gl_GlobalInvocationID,
 * 8 uint[], 9 Buf, 10 Uniform*Buf, 11 buf var, 12 int, 13 int 0, 14 uint 3, 15 uint 7,
 * 16 Uniform*uint, 17 Input*uint, 18 uint 0, 19 label, 20..24 temporaries.
 */
#define OP(words, op) (((uint32_t)(words) << 16) | (op))
static const uint32_t shader[] = {
    0x07230203, 0x00010000, 0,  25,         0,  OP(2, 17), 1, /* OpCapability Shader */
    OP(3, 14),  0,          1,                                /* OpMemoryModel Logical GLSL450 */
    OP(6, 15),  5,          1,  0x6e69616d, 0,  7,  /* OpEntryPoint GLCompute %1 "main" %7 */
    OP(6, 16),  1,          17, LOCAL,      1,  1,  /* OpExecutionMode %1 LocalSize 64 1 1 */
    OP(4, 71),  7,          11, 28,                 /* OpDecorate %7 BuiltIn GlobalInvocationId */
    OP(4, 71),  8,          6,  4,                  /* OpDecorate %8 ArrayStride 4 */
    OP(5, 72),  9,          0,  35,         0,      /* OpMemberDecorate %9 0 Offset 0 */
    OP(3, 71),  9,          3,                      /* OpDecorate %9 BufferBlock */
    OP(4, 71),  11,         34, 0,                  /* OpDecorate %11 DescriptorSet 0 */
    OP(4, 71),  11,         33, 0,                  /* OpDecorate %11 Binding 0 */
    OP(2, 19),  2,                                  /* %2 = OpTypeVoid */
    OP(3, 33),  3,          2,                      /* %3 = OpTypeFunction %2 */
    OP(4, 21),  4,          32, 0,                  /* %4 = OpTypeInt 32 0 */
    OP(4, 23),  5,          4,  3,                  /* %5 = OpTypeVector %4 3 */
    OP(4, 32),  6,          1,  5,                  /* %6 = OpTypePointer Input %5 */
    OP(4, 59),  6,          7,  1,                  /* %7 = OpVariable %6 Input */
    OP(3, 29),  8,          4,                      /* %8 = OpTypeRuntimeArray %4 */
    OP(3, 30),  9,          8,                      /* %9 = OpTypeStruct %8 */
    OP(4, 32),  10,         2,  9,                  /* %10 = OpTypePointer Uniform %9 */
    OP(4, 59),  10,         11, 2,                  /* %11 = OpVariable %10 Uniform */
    OP(4, 21),  12,         32, 1,                  /* %12 = OpTypeInt 32 1 */
    OP(4, 43),  12,         13, 0,                  /* %13 = OpConstant %12 0 */
    OP(4, 43),  4,          14, 3,                  /* %14 = OpConstant %4 3 */
    OP(4, 43),  4,          15, 7,                  /* %15 = OpConstant %4 7 */
    OP(4, 32),  16,         2,  4,                  /* %16 = OpTypePointer Uniform %4 */
    OP(4, 32),  17,         1,  4,                  /* %17 = OpTypePointer Input %4 */
    OP(4, 43),  4,          18, 0,                  /* %18 = OpConstant %4 0 */
    OP(5, 54),  2,          1,  0,          3,      /* %1 = OpFunction %2 None %3 */
    OP(2, 248), 19,                                 /* %19 = OpLabel */
    OP(5, 65),  17,         20, 7,          18,     /* %20 = OpAccessChain %17 %7 %18 */
    OP(4, 61),  4,          21, 20,                 /* %21 = OpLoad %4 %20 */
    OP(5, 132), 4,          22, 21,         14,     /* %22 = OpIMul %4 %21 %14 */
    OP(5, 128), 4,          23, 22,         15,     /* %23 = OpIAdd %4 %22 %15 */
    OP(6, 65),  16,         24, 11,         13, 21, /* %24 = OpAccessChain %16 %11 %13 %21 */
    OP(3, 62),  24,         23,                     /* OpStore %24 %23 */
    OP(1, 253),                                     /* OpReturn */
    OP(1, 56),                                      /* OpFunctionEnd */
};

#define CHECK(expr)                                                                                \
	do {                                                                                       \
		VkResult r_ = (expr);                                                              \
		if (r_ != VK_SUCCESS) {                                                            \
			fprintf(stderr, "vk_compute: %s failed: %d\n", #expr, r_);                 \
			return 1;                                                                  \
		}                                                                                  \
	} while (0)

int main(int argc, char **argv)
{
	uint32_t iterations = 1, elements = 4096;
	int crash = 0, orphan = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--iterations") && i + 1 < argc) {
			iterations = (uint32_t)strtoul(argv[++i], NULL, 0);
			if (!iterations || iterations > 1000000)
				iterations = 1;
		} else if (!strcmp(argv[i], "--elements") && i + 1 < argc) {
			elements = (uint32_t)strtoul(argv[++i], NULL, 0);
			if (!elements || elements % LOCAL || elements > (64u << 20)) {
				fprintf(stderr,
				        "vk_compute: --elements: a multiple of %u up to %u\n",
				        LOCAL, 64u << 20);
				return 2;
			}
		} else if (!strcmp(argv[i], "--crash")) {
			crash = 1;
		} else if (!strcmp(argv[i], "--orphan")) {
			orphan = 1;
		} else {
			fprintf(stderr, "usage: vk_compute [--iterations N] [--elements E] "
			                "[--crash | --orphan]\n");
			return 2;
		}
	}
	const double t0 = now_ms();
	struct vk_client vc;
	if (vk_client_open("vk_compute", VK_QUEUE_COMPUTE_BIT, &vc))
		return 1;
	VkInstance instance = vc.instance;
	VkDevice dev = vc.dev;
	VkQueue queue = vc.queue;
	const uint32_t qf = vc.qf;

	const VkDeviceSize size = elements * sizeof(uint32_t);
	const VkBufferCreateInfo bci = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
	                                .size = size,
	                                .usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT};
	VkBuffer buf;
	CHECK(vkCreateBuffer(dev, &bci, NULL, &buf));
	VkMemoryRequirements req;
	vkGetBufferMemoryRequirements(dev, buf, &req);
	const uint32_t mt = vk_client_memory_type(&vc, req.memoryTypeBits,
	                                          VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
	                                              VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
	if (mt == UINT32_MAX) {
		fprintf(stderr, "vk_compute: no host-visible coherent memory type\n");
		return 1;
	}
	const VkMemoryAllocateInfo mai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
	                                  .allocationSize = req.size,
	                                  .memoryTypeIndex = mt};
	VkDeviceMemory mem;
	CHECK(vkAllocateMemory(dev, &mai, NULL, &mem));
	CHECK(vkBindBufferMemory(dev, buf, mem, 0));
	uint32_t *data;
	CHECK(vkMapMemory(dev, mem, 0, size, 0, (void **)&data));
	for (uint32_t i = 0; i < elements; i++)
		data[i] = 0xdeadbeefu;

	const VkShaderModuleCreateInfo smci = {.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
	                                       .codeSize = sizeof(shader),
	                                       .pCode = shader};
	VkShaderModule sm;
	CHECK(vkCreateShaderModule(dev, &smci, NULL, &sm));
	const VkDescriptorSetLayoutBinding b0 = {.binding = 0,
	                                         .descriptorType =
	                                             VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
	                                         .descriptorCount = 1,
	                                         .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT};
	const VkDescriptorSetLayoutCreateInfo dslci = {
	    .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
	    .bindingCount = 1,
	    .pBindings = &b0};
	VkDescriptorSetLayout dsl;
	CHECK(vkCreateDescriptorSetLayout(dev, &dslci, NULL, &dsl));
	const VkPipelineLayoutCreateInfo plci = {.sType =
	                                             VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
	                                         .setLayoutCount = 1,
	                                         .pSetLayouts = &dsl};
	VkPipelineLayout pl;
	CHECK(vkCreatePipelineLayout(dev, &plci, NULL, &pl));
	const VkComputePipelineCreateInfo cpci = {
	    .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
	    .stage = {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
	              .stage = VK_SHADER_STAGE_COMPUTE_BIT,
	              .module = sm,
	              .pName = "main"},
	    .layout = pl};
	VkPipeline pipe;
	CHECK(vkCreateComputePipelines(dev, VK_NULL_HANDLE, 1, &cpci, NULL, &pipe));

	const VkDescriptorPoolSize ps = {.type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
	                                 .descriptorCount = 1};
	const VkDescriptorPoolCreateInfo dpci = {.sType =
	                                             VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
	                                         .maxSets = 1,
	                                         .poolSizeCount = 1,
	                                         .pPoolSizes = &ps};
	VkDescriptorPool dp;
	CHECK(vkCreateDescriptorPool(dev, &dpci, NULL, &dp));
	const VkDescriptorSetAllocateInfo dsai = {
	    .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
	    .descriptorPool = dp,
	    .descriptorSetCount = 1,
	    .pSetLayouts = &dsl};
	VkDescriptorSet ds;
	CHECK(vkAllocateDescriptorSets(dev, &dsai, &ds));
	const VkDescriptorBufferInfo dbi = {.buffer = buf, .offset = 0, .range = size};
	const VkWriteDescriptorSet wds = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
	                                  .dstSet = ds,
	                                  .dstBinding = 0,
	                                  .descriptorCount = 1,
	                                  .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
	                                  .pBufferInfo = &dbi};
	vkUpdateDescriptorSets(dev, 1, &wds, 0, NULL);

	const VkCommandPoolCreateInfo cpi = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
	                                     .queueFamilyIndex = qf};
	VkCommandPool pool;
	CHECK(vkCreateCommandPool(dev, &cpi, NULL, &pool));
	const VkCommandBufferAllocateInfo cbai = {
	    .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
	    .commandPool = pool,
	    .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
	    .commandBufferCount = 1};
	VkCommandBuffer cb;
	CHECK(vkAllocateCommandBuffers(dev, &cbai, &cb));
	const VkCommandBufferBeginInfo cbbi = {.sType =
	                                           VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
	CHECK(vkBeginCommandBuffer(cb, &cbbi));
	vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, pipe);
	vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE, pl, 0, 1, &ds, 0, NULL);
	vkCmdDispatch(cb, elements / LOCAL, 1, 1);
	const VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
	                            .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
	                            .dstAccessMask = VK_ACCESS_HOST_READ_BIT};
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_HOST_BIT,
	                     0, 1, &mb, 0, NULL, 0, NULL);
	CHECK(vkEndCommandBuffer(cb));
	const VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
	VkFence fence;
	CHECK(vkCreateFence(dev, &fci, NULL, &fence));
	const VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
	                         .commandBufferCount = 1,
	                         .pCommandBuffers = &cb};
	const double t1 = now_ms();
	for (uint32_t it = 0; it < iterations; it++) {
		if (it)
			CHECK(vkResetFences(dev, 1, &fence));
		CHECK(vkQueueSubmit(queue, 1, &si, fence));
		CHECK(vkWaitForFences(dev, 1, &fence, VK_TRUE, fence_timeout_ns()));
	}
	const double t2 = now_ms();
	printf("vk_compute: setup %.1f ms, %u dispatches %.1f ms (%.1f us each)\n", t1 - t0,
	       iterations, t2 - t1, (t2 - t1) * 1e3 / iterations);

	uint32_t bad = 0;
	for (uint32_t i = 0; i < elements; i++) {
		if (data[i] != i * 3u + 7u) {
			if (bad < 5)
				fprintf(stderr, "vk_compute: data[%u] = 0x%08x, expected %u\n", i,
				        data[i], i * 3u + 7u);
			bad++;
		}
	}

	if (crash) {
		printf("vk_compute: %u bad, crashing with every object alive\n", bad);
		fflush(stdout);
		raise(SIGKILL);
	}
	if (orphan) {
		vkDestroyDevice(dev, NULL);
		vkDestroyInstance(instance, NULL);
		printf("vk_compute: %u bad, device destroyed with its children alive\n", bad);
		return bad ? 1 : 0;
	}
	vkDestroyFence(dev, fence, NULL);
	vkFreeCommandBuffers(dev, pool, 1, &cb);
	vkDestroyCommandPool(dev, pool, NULL);
	vkDestroyDescriptorPool(dev, dp, NULL);
	vkDestroyPipeline(dev, pipe, NULL);
	vkDestroyPipelineLayout(dev, pl, NULL);
	vkDestroyDescriptorSetLayout(dev, dsl, NULL);
	vkDestroyShaderModule(dev, sm, NULL);
	vkUnmapMemory(dev, mem);
	vkFreeMemory(dev, mem, NULL);
	vkDestroyBuffer(dev, buf, NULL);
	vkDestroyDevice(dev, NULL);
	vkDestroyInstance(instance, NULL);

	if (bad) {
		fprintf(stderr, "vk_compute: %u of %u elements wrong\n", bad, elements);
		return 1;
	}
	printf("vk_compute: %u elements ok\n", elements);
	return 0;
}
