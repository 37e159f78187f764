/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * A small offscreen Vulkan 1.1 graphics client (venus.md 5.3): an 8x8 texture uploaded from a
 * staging buffer, a render pass with a cleared 64x64 colour attachment, a pipeline (with a
 * pipeline cache, dynamic viewport and scissor) drawing one textured triangle from a vertex
 * buffer, a copy of the image into a host-visible buffer, read back through its mapping.
 * Runs natively (lavapipe) or through Venus + virgl-next-vtest.
 *
 *   vk_triangle [--png FILE] [--raw FILE] [--compare RAW] [--iterations N]
 * Checks: clear colour in the corners, texels inside the triangle; --compare: every channel
 * within 1 of a reference image (the native run). Exit status 0 only if every check passes.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vulkan/vulkan.h>

#include "vk_client_util.h"

#include "png_write.h"

#define W 64u
#define H 64u
#define TEX 8u

#define OP(words, op) (((uint32_t)(words) << 16) | (op))
#define MAIN 0x6e69616d, 0 /* "main" */

/*
 * Hand-assembled SPIR-V 1.0 (no shader compiler on the build host).
 *
 *   #version 450
 *   layout(location = 0) in vec2 pos;
 *   layout(location = 1) in vec2 uv;
 *   layout(location = 0) out vec2 v_uv;
 *   void main() { gl_Position = vec4(pos, 0.0, 1.0); v_uv = uv; }
 *
 * Ids: 1 main, 2 void, 3 fn, 4 float, 5 vec2, 6 vec4, 7 Input*vec2, 8 Output*vec2,
 * 9 Output*vec4, 10 pos, 11 uv, 12 v_uv, 13 gl_Position, 14 0.0, 15 1.0, 16 label, 17..21.
 */
static const uint32_t vs[] = {
    0x07230203, 0x00010000, 0,  22,         0,
    OP(2, 17),  1,             /* OpCapability Shader */
    OP(3, 14),  0,          1, /* OpMemoryModel Logical GLSL450 */
    OP(9, 15),  0,          1,  MAIN,       10,
    11,         12,         13,                /* OpEntryPoint Vertex %1 "main" ... */
    OP(4, 71),  10,         30, 0,             /* OpDecorate %10 Location 0 */
    OP(4, 71),  11,         30, 1,             /* OpDecorate %11 Location 1 */
    OP(4, 71),  12,         30, 0,             /* OpDecorate %12 Location 0 */
    OP(4, 71),  13,         11, 0,             /* OpDecorate %13 BuiltIn Position */
    OP(2, 19),  2,                             /* %2 = OpTypeVoid */
    OP(3, 33),  3,          2,                 /* %3 = OpTypeFunction %2 */
    OP(3, 22),  4,          32,                /* %4 = OpTypeFloat 32 */
    OP(4, 23),  5,          4,  2,             /* %5 = OpTypeVector %4 2 */
    OP(4, 23),  6,          4,  4,             /* %6 = OpTypeVector %4 4 */
    OP(4, 32),  7,          1,  5,             /* %7 = OpTypePointer Input %5 */
    OP(4, 32),  8,          3,  5,             /* %8 = OpTypePointer Output %5 */
    OP(4, 32),  9,          3,  6,             /* %9 = OpTypePointer Output %6 */
    OP(4, 59),  7,          10, 1,             /* %10 = OpVariable %7 Input */
    OP(4, 59),  7,          11, 1,             /* %11 = OpVariable %7 Input */
    OP(4, 59),  8,          12, 3,             /* %12 = OpVariable %8 Output */
    OP(4, 59),  9,          13, 3,             /* %13 = OpVariable %9 Output */
    OP(4, 43),  4,          14, 0,             /* %14 = OpConstant %4 0.0 */
    OP(4, 43),  4,          15, 0x3f800000,    /* %15 = OpConstant %4 1.0 */
    OP(5, 54),  2,          1,  0,          3, /* %1 = OpFunction %2 None %3 */
    OP(2, 248), 16,                            /* %16 = OpLabel */
    OP(4, 61),  5,          17, 10,            /* %17 = OpLoad %5 %10 */
    OP(4, 61),  5,          18, 11,            /* %18 = OpLoad %5 %11 */
    OP(5, 81),  4,          19, 17,         0, /* %19 = OpCompositeExtract %4 %17 0 */
    OP(5, 81),  4,          20, 17,         1, /* %20 = OpCompositeExtract %4 %17 1 */
    OP(7, 80),  6,          21, 19,         20,
    14,         15,             /* %21 = OpCompositeConstruct %6 ... */
    OP(3, 62),  13,         21, /* OpStore %13 %21 */
    OP(3, 62),  12,         18, /* OpStore %12 %18 */
    OP(1, 253),                 /* OpReturn */
    OP(1, 56),                  /* OpFunctionEnd */
};

/*
 *   #version 450
 *   layout(location = 0) in vec2 v_uv;
 *   layout(location = 0) out vec4 color;
 *   layout(set = 0, binding = 0) uniform sampler2D tex;
 *   void main() { color = texture(tex, v_uv); }
 *
 * Ids: 1 main, 2 void, 3 fn, 4 float, 5 vec2, 6 vec4, 7 Input*vec2, 8 Output*vec4, 9 image,
 * 10 sampled image, 11 UniformConstant*10, 12 tex, 13 v_uv, 14 color, 15 label, 16..18.
 */
static const uint32_t fs[] = {
    0x07230203, 0x00010000, 0,  19,   0,  OP(2, 17), 1, /* OpCapability Shader */
    OP(3, 14),  0,          1,                          /* OpMemoryModel Logical GLSL450 */
    OP(7, 15),  4,          1,  MAIN, 13, 14,           /* OpEntryPoint Fragment %1 "main" ... */
    OP(3, 16),  1,          7,                          /* OpExecutionMode %1 OriginUpperLeft */
    OP(4, 71),  13,         30, 0,                      /* OpDecorate %13 Location 0 */
    OP(4, 71),  14,         30, 0,                      /* OpDecorate %14 Location 0 */
    OP(4, 71),  12,         34, 0,                      /* OpDecorate %12 DescriptorSet 0 */
    OP(4, 71),  12,         33, 0,                      /* OpDecorate %12 Binding 0 */
    OP(2, 19),  2,                                      /* %2 = OpTypeVoid */
    OP(3, 33),  3,          2,                          /* %3 = OpTypeFunction %2 */
    OP(3, 22),  4,          32,                         /* %4 = OpTypeFloat 32 */
    OP(4, 23),  5,          4,  2,                      /* %5 = OpTypeVector %4 2 */
    OP(4, 23),  6,          4,  4,                      /* %6 = OpTypeVector %4 4 */
    OP(4, 32),  7,          1,  5,                      /* %7 = OpTypePointer Input %5 */
    OP(4, 32),  8,          3,  6,                      /* %8 = OpTypePointer Output %6 */
    OP(9, 25),  9,          4,  1,    0,  0,         0,
    1,          0,                        /* %9 = OpTypeImage %4 2D 0 0 0 1 Unknown */
    OP(3, 27),  10,         9,            /* %10 = OpTypeSampledImage %9 */
    OP(4, 32),  11,         0,  10,       /* %11 = OpTypePointer UniformConstant %10 */
    OP(4, 59),  11,         12, 0,        /* %12 = OpVariable %11 UniformConstant */
    OP(4, 59),  7,          13, 1,        /* %13 = OpVariable %7 Input */
    OP(4, 59),  8,          14, 3,        /* %14 = OpVariable %8 Output */
    OP(5, 54),  2,          1,  0,    3,  /* %1 = OpFunction %2 None %3 */
    OP(2, 248), 15,                       /* %15 = OpLabel */
    OP(4, 61),  10,         16, 12,       /* %16 = OpLoad %10 %12 */
    OP(4, 61),  5,          17, 13,       /* %17 = OpLoad %5 %13 */
    OP(5, 87),  6,          18, 16,   17, /* %18 = OpImageSampleImplicitLod %6 ... */
    OP(3, 62),  14,         18,           /* OpStore %14 %18 */
    OP(1, 253),                           /* OpReturn */
    OP(1, 56),                            /* OpFunctionEnd */
};

/* pos.xy, uv.xy */
static const float vertices[] = {
    -0.8f, -0.8f, 0.0f, 0.0f, 0.8f, -0.8f, 1.0f, 0.0f, 0.0f, 0.8f, 0.5f, 1.0f,
};

static const float clear_rgba[4] = {0.0f, 0.25f, 0.5f, 1.0f};

#define CHECK(expr)                                                                                \
	do {                                                                                       \
		VkResult r_ = (expr);                                                              \
		if (r_ != VK_SUCCESS) {                                                            \
			fprintf(stderr, "vk_triangle: %s failed: %d\n", #expr, r_);                \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

static uint32_t memory_type(const struct vk_client *g, uint32_t bits, VkMemoryPropertyFlags want)
{
	const uint32_t mt = vk_client_memory_type(g, bits, want);
	if (mt == UINT32_MAX) {
		fprintf(stderr, "vk_triangle: no memory type with flags 0x%x\n", want);
		exit(1);
	}
	return mt;
}

static VkDeviceMemory alloc_bind(const struct vk_client *g, VkMemoryRequirements req,
                                 VkMemoryPropertyFlags want)
{
	const VkMemoryAllocateInfo mai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
	                                  .allocationSize = req.size,
	                                  .memoryTypeIndex =
	                                      memory_type(g, req.memoryTypeBits, want)};
	VkDeviceMemory mem;
	CHECK(vkAllocateMemory(g->dev, &mai, NULL, &mem));
	return mem;
}

/* A host-visible coherent buffer, bound and mapped. */
static VkBuffer host_buffer(const struct vk_client *g, VkDeviceSize size, VkBufferUsageFlags usage,
                            VkDeviceMemory *mem, void **map)
{
	const VkBufferCreateInfo bci = {
	    .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO, .size = size, .usage = usage};
	VkBuffer buf;
	CHECK(vkCreateBuffer(g->dev, &bci, NULL, &buf));
	VkMemoryRequirements req;
	vkGetBufferMemoryRequirements(g->dev, buf, &req);
	*mem = alloc_bind(
	    g, req, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
	CHECK(vkBindBufferMemory(g->dev, buf, *mem, 0));
	CHECK(vkMapMemory(g->dev, *mem, 0, size, 0, map));
	return buf;
}

static VkImage image_2d(const struct vk_client *g, uint32_t w, uint32_t h, VkImageUsageFlags usage,
                        VkDeviceMemory *mem)
{
	const VkImageCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
	                               .imageType = VK_IMAGE_TYPE_2D,
	                               .format = VK_FORMAT_R8G8B8A8_UNORM,
	                               .extent = {w, h, 1},
	                               .mipLevels = 1,
	                               .arrayLayers = 1,
	                               .samples = VK_SAMPLE_COUNT_1_BIT,
	                               .tiling = VK_IMAGE_TILING_OPTIMAL,
	                               .usage = usage,
	                               .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED};
	VkImage img;
	CHECK(vkCreateImage(g->dev, &ici, NULL, &img));
	const VkImageMemoryRequirementsInfo2 ri = {
	    .sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_REQUIREMENTS_INFO_2, .image = img};
	VkMemoryRequirements2 req = {.sType = VK_STRUCTURE_TYPE_MEMORY_REQUIREMENTS_2};
	vkGetImageMemoryRequirements2(g->dev, &ri, &req);
	*mem = alloc_bind(g, req.memoryRequirements, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
	const VkBindImageMemoryInfo bind = {
	    .sType = VK_STRUCTURE_TYPE_BIND_IMAGE_MEMORY_INFO, .image = img, .memory = *mem};
	CHECK(vkBindImageMemory2(g->dev, 1, &bind));
	return img;
}

static VkImageView view_2d(const struct vk_client *g, VkImage img)
{
	const VkImageViewCreateInfo vci = {
	    .sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
	    .image = img,
	    .viewType = VK_IMAGE_VIEW_TYPE_2D,
	    .format = VK_FORMAT_R8G8B8A8_UNORM,
	    .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
	VkImageView v;
	CHECK(vkCreateImageView(g->dev, &vci, NULL, &v));
	return v;
}

static VkShaderModule shader_module(const struct vk_client *g, const uint32_t *code, size_t size)
{
	const VkShaderModuleCreateInfo smci = {
	    .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, .codeSize = size, .pCode = code};
	VkShaderModule sm;
	CHECK(vkCreateShaderModule(g->dev, &smci, NULL, &sm));
	return sm;
}

static void barrier(VkCommandBuffer cb, VkImage img, VkImageLayout from, VkImageLayout to,
                    VkAccessFlags src_access, VkAccessFlags dst_access, VkPipelineStageFlags src,
                    VkPipelineStageFlags dst)
{
	const VkImageMemoryBarrier b = {
	    .sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
	    .srcAccessMask = src_access,
	    .dstAccessMask = dst_access,
	    .oldLayout = from,
	    .newLayout = to,
	    .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
	    .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
	    .image = img,
	    .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
	vkCmdPipelineBarrier(cb, src, dst, 0, 0, NULL, 0, NULL, 1, &b);
}

/* Texel (x, y) of the texture: a distinct colour per texel. */
static void texel(uint32_t x, uint32_t y, uint8_t out[4])
{
	out[0] = (uint8_t)(x * 32 + 16);
	out[1] = (uint8_t)(y * 32 + 16);
	out[2] = (uint8_t)(((x ^ y) & 1) ? 255 : 64);
	out[3] = 255;
}

static int check_image(const uint8_t *px)
{
	int bad = 0;
	uint8_t clear[4];
	for (int c = 0; c < 4; c++)
		clear[c] = (uint8_t)(clear_rgba[c] * 255.0f + 0.5f);
	static const uint32_t corners[4][2] = {{0, 0}, {W - 1, 0}, {0, H - 1}, {W - 1, H - 1}};
	for (int i = 0; i < 4; i++) {
		const uint8_t *p = px + (corners[i][1] * W + corners[i][0]) * 4;
		if (memcmp(p, clear, 4)) {
			fprintf(stderr, "vk_triangle: corner %u,%u = %u,%u,%u,%u, expected clear\n",
			        corners[i][0], corners[i][1], p[0], p[1], p[2], p[3]);
			bad++;
		}
	}
	/* Inside the triangle every pixel must be one of the texels (nearest filtering). */
	for (uint32_t y = H / 4; y < H * 3 / 4; y++) {
		for (uint32_t x = W / 2 - 4; x < W / 2 + 4; x++) {
			const uint8_t *p = px + (y * W + x) * 4;
			bool found = false;
			for (uint32_t ty = 0; ty < TEX && !found; ty++)
				for (uint32_t tx = 0; tx < TEX && !found; tx++) {
					uint8_t t[4];
					texel(tx, ty, t);
					found = !memcmp(p, t, 4);
				}
			if (!found && bad++ < 8)
				fprintf(stderr,
				        "vk_triangle: pixel %u,%u = %u,%u,%u,%u is no texel\n", x,
				        y, p[0], p[1], p[2], p[3]);
		}
	}
	return bad;
}

static int compare(const uint8_t *px, const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *ref = malloc(W * H * 4);
	if (!f || !ref || fread(ref, 1, W * H * 4, f) != W * H * 4) {
		fprintf(stderr, "vk_triangle: cannot read reference %s\n", path);
		if (f)
			fclose(f);
		free(ref);
		return 1;
	}
	fclose(f);
	int maxd = 0;
	uint32_t differ = 0;
	for (uint32_t i = 0; i < W * H * 4; i++) {
		const int d = abs((int)px[i] - (int)ref[i]);
		maxd = d > maxd ? d : maxd;
		differ += d != 0;
	}
	free(ref);
	printf("vk_triangle: vs reference: %u channels differ, max difference %d\n", differ, maxd);
	return maxd > 1;
}

int main(int argc, char **argv)
{
	const char *png = NULL, *raw = NULL, *ref = NULL;
	uint32_t iterations = 1;
	int crash = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--png") && i + 1 < argc)
			png = argv[++i];
		else if (!strcmp(argv[i], "--raw") && i + 1 < argc)
			raw = argv[++i];
		else if (!strcmp(argv[i], "--compare") && i + 1 < argc)
			ref = argv[++i];
		else if (!strcmp(argv[i], "--iterations") && i + 1 < argc)
			iterations = (uint32_t)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--crash"))
			crash = 1;
		else {
			fprintf(stderr,
			        "usage: vk_triangle [--png FILE] [--raw FILE] [--compare RAW] "
			        "[--iterations N] [--crash]\n");
			return 2;
		}
	}
	if (!iterations || iterations > 1000000)
		iterations = 1;
	const double t0 = now_ms();

	struct vk_client g;
	if (vk_client_open("vk_triangle", VK_QUEUE_GRAPHICS_BIT, &g))
		return 1;
	VkInstance instance = g.instance;
	VkDevice dev = g.dev;
	VkQueue queue = g.queue;
	const uint32_t qf = g.qf;

	/* Buffers: staging (texture upload), vertices, readback. */
	VkDeviceMemory staging_mem, vb_mem, rb_mem;
	uint8_t *staging, *rb;
	float *vmap;
	VkBuffer staging_buf = host_buffer(&g, TEX * TEX * 4, VK_BUFFER_USAGE_TRANSFER_SRC_BIT,
	                                   &staging_mem, (void **)&staging);
	for (uint32_t y = 0; y < TEX; y++)
		for (uint32_t x = 0; x < TEX; x++)
			texel(x, y, staging + (y * TEX + x) * 4);
	VkBuffer vb = host_buffer(&g, sizeof(vertices), VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, &vb_mem,
	                          (void **)&vmap);
	memcpy(vmap, vertices, sizeof(vertices));
	VkBuffer rb_buf =
	    host_buffer(&g, W * H * 4, VK_BUFFER_USAGE_TRANSFER_DST_BIT, &rb_mem, (void **)&rb);
	memset(rb, 0xa5, W * H * 4);

	/* Images. */
	VkDeviceMemory tex_mem, color_mem;
	VkImage tex = image_2d(
	    &g, TEX, TEX, VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT, &tex_mem);
	VkImage color = image_2d(
	    &g, W, H, VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
	    &color_mem);
	VkImageView tex_view = view_2d(&g, tex), color_view = view_2d(&g, color);
	const VkSamplerCreateInfo sci = {.sType = VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO,
	                                 .magFilter = VK_FILTER_NEAREST,
	                                 .minFilter = VK_FILTER_NEAREST,
	                                 .mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST,
	                                 .addressModeU = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE,
	                                 .addressModeV = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE,
	                                 .addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE,
	                                 .maxLod = 0.0f};
	VkSampler sampler;
	CHECK(vkCreateSampler(dev, &sci, NULL, &sampler));

	/* Render pass and framebuffer. */
	const VkAttachmentDescription att = {.format = VK_FORMAT_R8G8B8A8_UNORM,
	                                     .samples = VK_SAMPLE_COUNT_1_BIT,
	                                     .loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR,
	                                     .storeOp = VK_ATTACHMENT_STORE_OP_STORE,
	                                     .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
	                                     .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
	                                     .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
	                                     .finalLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL};
	const VkAttachmentReference ref0 = {0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
	const VkSubpassDescription sub = {.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS,
	                                  .colorAttachmentCount = 1,
	                                  .pColorAttachments = &ref0};
	const VkSubpassDependency deps[2] = {
	    {VK_SUBPASS_EXTERNAL, 0, VK_PIPELINE_STAGE_TRANSFER_BIT,
	     VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT | VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
	     VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT,
	     VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, 0},
	    {0, VK_SUBPASS_EXTERNAL, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
	     VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
	     VK_ACCESS_TRANSFER_READ_BIT, 0},
	};
	const VkRenderPassCreateInfo rpci = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO,
	                                     .attachmentCount = 1,
	                                     .pAttachments = &att,
	                                     .subpassCount = 1,
	                                     .pSubpasses = &sub,
	                                     .dependencyCount = 2,
	                                     .pDependencies = deps};
	VkRenderPass rp;
	CHECK(vkCreateRenderPass(dev, &rpci, NULL, &rp));
	const VkFramebufferCreateInfo fbci = {.sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO,
	                                      .renderPass = rp,
	                                      .attachmentCount = 1,
	                                      .pAttachments = &color_view,
	                                      .width = W,
	                                      .height = H,
	                                      .layers = 1};
	VkFramebuffer fb;
	CHECK(vkCreateFramebuffer(dev, &fbci, NULL, &fb));

	/* Descriptors. */
	const VkDescriptorSetLayoutBinding b0 = {.binding = 0,
	                                         .descriptorType =
	                                             VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
	                                         .descriptorCount = 1,
	                                         .stageFlags = VK_SHADER_STAGE_FRAGMENT_BIT};
	const VkDescriptorSetLayoutCreateInfo dslci = {
	    .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
	    .bindingCount = 1,
	    .pBindings = &b0};
	VkDescriptorSetLayout dsl;
	CHECK(vkCreateDescriptorSetLayout(dev, &dslci, NULL, &dsl));
	const VkDescriptorPoolSize ps = {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1};
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
	const VkDescriptorImageInfo dii = {sampler, tex_view,
	                                   VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
	const VkWriteDescriptorSet wds = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
	                                  .dstSet = ds,
	                                  .dstBinding = 0,
	                                  .descriptorCount = 1,
	                                  .descriptorType =
	                                      VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
	                                  .pImageInfo = &dii};
	vkUpdateDescriptorSets(dev, 1, &wds, 0, NULL);

	/* Pipeline. */
	const VkPipelineLayoutCreateInfo plci = {.sType =
	                                             VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
	                                         .setLayoutCount = 1,
	                                         .pSetLayouts = &dsl};
	VkPipelineLayout pl;
	CHECK(vkCreatePipelineLayout(dev, &plci, NULL, &pl));
	const VkPipelineCacheCreateInfo pcci = {.sType =
	                                            VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO};
	VkPipelineCache cache;
	CHECK(vkCreatePipelineCache(dev, &pcci, NULL, &cache));
	VkShaderModule vsm = shader_module(&g, vs, sizeof(vs)),
	               fsm = shader_module(&g, fs, sizeof(fs));
	const VkPipelineShaderStageCreateInfo stages[2] = {
	    {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
	     .stage = VK_SHADER_STAGE_VERTEX_BIT,
	     .module = vsm,
	     .pName = "main"},
	    {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
	     .stage = VK_SHADER_STAGE_FRAGMENT_BIT,
	     .module = fsm,
	     .pName = "main"},
	};
	const VkVertexInputBindingDescription vib = {0, 4 * sizeof(float),
	                                             VK_VERTEX_INPUT_RATE_VERTEX};
	const VkVertexInputAttributeDescription via[2] = {
	    {0, 0, VK_FORMAT_R32G32_SFLOAT, 0},
	    {1, 0, VK_FORMAT_R32G32_SFLOAT, 2 * sizeof(float)},
	};
	const VkPipelineVertexInputStateCreateInfo vis = {
	    .sType = VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO,
	    .vertexBindingDescriptionCount = 1,
	    .pVertexBindingDescriptions = &vib,
	    .vertexAttributeDescriptionCount = 2,
	    .pVertexAttributeDescriptions = via};
	const VkPipelineInputAssemblyStateCreateInfo ias = {
	    .sType = VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO,
	    .topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST};
	const VkPipelineViewportStateCreateInfo vps = {
	    .sType = VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO,
	    .viewportCount = 1,
	    .scissorCount = 1};
	const VkPipelineRasterizationStateCreateInfo rs = {
	    .sType = VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO,
	    .polygonMode = VK_POLYGON_MODE_FILL,
	    .cullMode = VK_CULL_MODE_NONE,
	    .frontFace = VK_FRONT_FACE_COUNTER_CLOCKWISE,
	    .lineWidth = 1.0f};
	const VkPipelineMultisampleStateCreateInfo ms = {
	    .sType = VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO,
	    .rasterizationSamples = VK_SAMPLE_COUNT_1_BIT};
	const VkPipelineColorBlendAttachmentState cba = {.colorWriteMask = 0xf};
	const VkPipelineColorBlendStateCreateInfo cbs = {
	    .sType = VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO,
	    .attachmentCount = 1,
	    .pAttachments = &cba};
	const VkDynamicState dyn[2] = {VK_DYNAMIC_STATE_VIEWPORT, VK_DYNAMIC_STATE_SCISSOR};
	const VkPipelineDynamicStateCreateInfo dys = {
	    .sType = VK_STRUCTURE_TYPE_PIPELINE_DYNAMIC_STATE_CREATE_INFO,
	    .dynamicStateCount = 2,
	    .pDynamicStates = dyn};
	const VkGraphicsPipelineCreateInfo gpci = {
	    .sType = VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO,
	    .stageCount = 2,
	    .pStages = stages,
	    .pVertexInputState = &vis,
	    .pInputAssemblyState = &ias,
	    .pViewportState = &vps,
	    .pRasterizationState = &rs,
	    .pMultisampleState = &ms,
	    .pColorBlendState = &cbs,
	    .pDynamicState = &dys,
	    .layout = pl,
	    .renderPass = rp,
	    .subpass = 0};
	VkPipeline pipe;
	CHECK(vkCreateGraphicsPipelines(dev, cache, 1, &gpci, NULL, &pipe));

	/* Commands: upload the texture, draw, copy the image out. */
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
	barrier(cb, tex, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 0,
	        VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
	        VK_PIPELINE_STAGE_TRANSFER_BIT);
	const VkBufferImageCopy up = {.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
	                              .imageExtent = {TEX, TEX, 1}};
	vkCmdCopyBufferToImage(cb, staging_buf, tex, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &up);
	barrier(cb, tex, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
	        VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_ACCESS_TRANSFER_WRITE_BIT,
	        VK_ACCESS_SHADER_READ_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
	        VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT);
	VkClearValue clear;
	memcpy(clear.color.float32, clear_rgba, sizeof(clear_rgba));
	const VkRenderPassBeginInfo rpbi = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
	                                    .renderPass = rp,
	                                    .framebuffer = fb,
	                                    .renderArea = {{0, 0}, {W, H}},
	                                    .clearValueCount = 1,
	                                    .pClearValues = &clear};
	vkCmdBeginRenderPass(cb, &rpbi, VK_SUBPASS_CONTENTS_INLINE);
	vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_GRAPHICS, pipe);
	const VkViewport vp = {0.0f, 0.0f, (float)W, (float)H, 0.0f, 1.0f};
	const VkRect2D sc = {{0, 0}, {W, H}};
	vkCmdSetViewport(cb, 0, 1, &vp);
	vkCmdSetScissor(cb, 0, 1, &sc);
	vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_GRAPHICS, pl, 0, 1, &ds, 0, NULL);
	const VkDeviceSize zero = 0;
	vkCmdBindVertexBuffers(cb, 0, 1, &vb, &zero);
	vkCmdDraw(cb, 3, 1, 0, 0);
	vkCmdEndRenderPass(cb);
	const VkBufferImageCopy down = {.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
	                                .imageExtent = {W, H, 1}};
	vkCmdCopyImageToBuffer(cb, color, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, rb_buf, 1, &down);
	const VkMemoryBarrier hb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
	                            .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
	                            .dstAccessMask = VK_ACCESS_HOST_READ_BIT};
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1,
	                     &hb, 0, NULL, 0, NULL);
	CHECK(vkEndCommandBuffer(cb));

	const VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
	VkFence fence;
	CHECK(vkCreateFence(dev, &fci, NULL, &fence));
	const VkSemaphoreCreateInfo semci = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
	VkSemaphore sem;
	CHECK(vkCreateSemaphore(dev, &semci, NULL, &sem));
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
	CHECK(vkDeviceWaitIdle(dev));
	printf("vk_triangle: setup %.1f ms, %u frames %.1f ms (%.1f us each)\n", t1 - t0,
	       iterations, t2 - t1, (t2 - t1) * 1e3 / iterations);

	uint8_t *px = malloc(W * H * 4);
	if (!px)
		return 1;
	memcpy(px, rb, W * H * 4);
	int bad = check_image(px);
	if (ref)
		bad += compare(px, ref);
	if (png && png_write_rgba(png, px, W, H)) {
		fprintf(stderr, "vk_triangle: cannot write %s\n", png);
		bad++;
	}
	if (raw) {
		FILE *f = fopen(raw, "wb");
		if (!f || fwrite(px, 1, W * H * 4, f) != W * H * 4) {
			fprintf(stderr, "vk_triangle: cannot write %s\n", raw);
			bad++;
		}
		if (f)
			fclose(f);
	}
	free(px);
	if (crash) {
		printf("vk_triangle: %d bad, crashing with every object alive\n", bad);
		fflush(stdout);
		raise(SIGKILL);
	}

	vkDestroySemaphore(dev, sem, NULL);
	vkDestroyFence(dev, fence, NULL);
	vkDestroyCommandPool(dev, pool, NULL);
	vkDestroyPipeline(dev, pipe, NULL);
	vkDestroyShaderModule(dev, vsm, NULL);
	vkDestroyShaderModule(dev, fsm, NULL);
	vkDestroyPipelineCache(dev, cache, NULL);
	vkDestroyPipelineLayout(dev, pl, NULL);
	vkDestroyDescriptorPool(dev, dp, NULL);
	vkDestroyDescriptorSetLayout(dev, dsl, NULL);
	vkDestroyFramebuffer(dev, fb, NULL);
	vkDestroyRenderPass(dev, rp, NULL);
	vkDestroySampler(dev, sampler, NULL);
	vkDestroyImageView(dev, tex_view, NULL);
	vkDestroyImageView(dev, color_view, NULL);
	vkDestroyImage(dev, tex, NULL);
	vkDestroyImage(dev, color, NULL);
	vkFreeMemory(dev, tex_mem, NULL);
	vkFreeMemory(dev, color_mem, NULL);
	VkBuffer bufs[3] = {staging_buf, vb, rb_buf};
	VkDeviceMemory mems[3] = {staging_mem, vb_mem, rb_mem};
	for (int i = 0; i < 3; i++) {
		vkDestroyBuffer(dev, bufs[i], NULL);
		vkUnmapMemory(dev, mems[i]);
		vkFreeMemory(dev, mems[i], NULL);
	}
	vkDestroyDevice(dev, NULL);
	vkDestroyInstance(instance, NULL);
	if (bad) {
		fprintf(stderr, "vk_triangle: %d checks failed\n", bad);
		return 1;
	}
	printf("vk_triangle: image ok\n");
	return 0;
}
