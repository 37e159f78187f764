/* SPDX-License-Identifier: MIT */
/*
 * Guest pages as Vulkan memory on lavapipe (vkr/vkr_guest_import.h), through the
 * public API and tests/vmm-sim: a Venus context allocates VkDeviceMemory with
 * VkImportMemoryResourceInfoMESA naming a GUEST blob made over a memfd of
 * "guest RAM"; a vkCmdCopyBuffer reads what the guest wrote into the pages and
 * writes the copy into other pages, a vkCmdFillBuffer writes a third; the guest
 * sees every byte without a transfer. The pages stay valid for the GPU after the
 * VMM unrefs the blob and unmaps its view. Refused imports answer
 * VK_ERROR_INVALID_EXTERNAL_HANDLE and the context lives on. Skips without a host
 * Vulkan device. Commands are encoded by the generated driver-side encoders.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_util.h"
#include "vkr_proto_driver.h"

#define PAGE 4096u
#define GUEST_BYTES (4u * PAGE)
#define REPLY_RES 1u
#define PAGES_RES 5u
#define ID(type, n) ((type)(uintptr_t)(n))
#define INSTANCE 0x100u
#define PHYS 0x200u
#define DEVICE 0x300u
#define QUEUE 0x400u
#define SRC_BUF 0x500u
#define DST_BUF 0x501u
#define FILL_BUF 0x502u
#define MEMORY 0x600u
#define POOL 0x700u
#define CMDBUF 0x800u
#define FENCE 0x900u

static struct vms v;
static uint8_t *reply;    /* the reply blob, mapped */
static uint8_t *guest;    /* the guest's view of the pages */
static int pages_fd = -1; /* "guest RAM" holding them */

/* A command stream being built, submitted on ctx 1. */
struct stream {
	uint8_t data[1 << 14];
	size_t len;
};

static void emit(struct stream *s, uint32_t type, const void *args, uint32_t flags)
{
	const struct vkr_proto_driver_command *drv = vkr_proto_driver_command(type);
	ck_assert_ptr_nonnull(drv);
	struct vkr_cs_encoder enc;
	vkr_cs_encoder_init(&enc, s->data + s->len, sizeof(s->data) - s->len);
	ck_assert_int_eq(drv->encode(&enc, flags, args), 0);
	s->len += (size_t)(enc.cur - (s->data + s->len));
}

static void submit(struct stream *s)
{
	ck_assert_ok(vgn_context_submit(v.r, 1, s->data, s->len));
	s->len = 0;
	ck_assert_uint_eq(vms_fatal_count(&v), 0);
}

/* Replies start at offset 0 of the reply blob again. */
static void reply_rewind(struct stream *s)
{
	static const VkCommandStreamDescriptionMESA desc = {
	    .resourceId = REPLY_RES, .offset = 0, .size = PAGE};
	struct vkr_cmd_vkSetReplyCommandStreamMESA sr = {.pStream = &desc};
	emit(s, VKR_CMD_vkSetReplyCommandStreamMESA, &sr, 0);
}

static void setup_with(const char *worker_path)
{
	struct vms_options o;
	memset(&o, 0, sizeof(o));
	o.backends = VGN_BACKEND_VULKAN;
	o.worker_path = worker_path;
	if (vms_create(&v, &o)) {
		fprintf(stderr, "test_blob_vk: no host Vulkan device: cases skipped\n");
		memset(&v, 0, sizeof(v));
		return;
	}
	struct vgn_context_params cp = {.size = sizeof(cp), .capset_id = VGN_CAPSET_VENUS};
	ck_assert_ok(vgn_context_create(v.r, 1, &cp));
	struct vgn_blob_params bp = {.size = sizeof(bp),
	                             .ctx_id = 1,
	                             .blob_mem = VGN_BLOB_MEM_HOST3D,
	                             .blob_flags = VGN_BLOB_FLAG_MAPPABLE,
	                             .blob_size = PAGE};
	ck_assert_ok(vgn_resource_create_blob(v.r, REPLY_RES, &bp));
	ck_assert_ok(vgn_resource_map(v.r, REPLY_RES, (void **)&reply, NULL));

	/* Guest RAM for the pages: a memfd, mapped as the guest's (linear) view. */
	pages_fd = memfd_create("blob-vk-guest", MFD_CLOEXEC);
	ck_assert_int_ge(pages_fd, 0);
	ck_assert_int_eq(ftruncate(pages_fd, 2 * GUEST_BYTES), 0);
	guest = mmap(NULL, GUEST_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, pages_fd, PAGE);
	ck_assert_ptr_ne(guest, MAP_FAILED);

	/* Instance, device, queue (as a Venus driver sends them). */
	struct stream s = {.len = 0};
	static const VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
	                                      .apiVersion = VK_API_VERSION_1_2};
	static const VkInstanceCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
	                                        .pApplicationInfo = &app};
	VkInstance inst = ID(VkInstance, INSTANCE);
	struct vkr_cmd_vkCreateInstance c = {.pCreateInfo = &ci, .pInstance = &inst};
	emit(&s, VKR_CMD_vkCreateInstance, &c, 0);
	static const float prio = 1.0f;
	static const VkDeviceQueueCreateInfo qci = {.sType =
	                                                VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
	                                            .queueFamilyIndex = 0,
	                                            .queueCount = 1,
	                                            .pQueuePriorities = &prio};
	static const VkDeviceCreateInfo dci = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
	                                       .queueCreateInfoCount = 1,
	                                       .pQueueCreateInfos = &qci};
	uint32_t count = 1;
	VkPhysicalDevice phys = ID(VkPhysicalDevice, PHYS);
	VkDevice dev = ID(VkDevice, DEVICE);
	VkQueue queue = ID(VkQueue, QUEUE);
	struct vkr_cmd_vkEnumeratePhysicalDevices en = {
	    .instance = inst, .pPhysicalDeviceCount = &count, .pPhysicalDevices = &phys};
	struct vkr_cmd_vkCreateDevice cd = {
	    .physicalDevice = phys, .pCreateInfo = &dci, .pDevice = &dev};
	VkDeviceQueueTimelineInfoMESA tl = {
	    .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_TIMELINE_INFO_MESA, .ringIdx = 1};
	VkDeviceQueueInfo2 qi = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_INFO_2, .pNext = &tl};
	struct vkr_cmd_vkGetDeviceQueue2 gq = {.device = dev, .pQueueInfo = &qi, .pQueue = &queue};
	emit(&s, VKR_CMD_vkEnumeratePhysicalDevices, &en, 0);
	emit(&s, VKR_CMD_vkCreateDevice, &cd, 0);
	emit(&s, VKR_CMD_vkGetDeviceQueue2, &gq, 0);
	submit(&s);
}

static void setup(void)
{
	setup_with(NULL);
}

/* The same Venus context in a virgl-next-worker process: the guest pages reach
 * vkr there through the blob's fd (src/worker, docs/worker.md). */
static void setup_worker(void)
{
	setup_with(VGN_TEST_WORKER);
}

static void teardown(void)
{
	if (v.r)
		vms_destroy(&v);
	memset(&v, 0, sizeof(v));
	if (guest && guest != MAP_FAILED)
		munmap(guest, GUEST_BYTES);
	guest = NULL;
	if (pages_fd >= 0)
		close(pages_fd);
	pages_fd = -1;
}

/* A GUEST blob over the pages [fd_offset, + size) of guest RAM for ctx_id;
 * with_fd: VGN_BLOB_PARAM_HAS_FD. */
static void pages_blob(uint32_t res_id, uint32_t ctx_id, void *view, uint64_t size,
                       uint64_t fd_offset, bool with_fd)
{
	struct iovec iov = {view, size};
	struct vgn_blob_params bp = {.size = sizeof(bp),
	                             .ctx_id = ctx_id,
	                             .blob_mem = VGN_BLOB_MEM_GUEST,
	                             .blob_size = size,
	                             .iov = &iov,
	                             .num_iovs = 1};
	if (with_fd) {
		bp.param_flags = VGN_BLOB_PARAM_HAS_FD;
		bp.fd = pages_fd;
		bp.fd_offset = fd_offset;
	}
	ck_assert_ok(vgn_resource_create_blob(v.r, res_id, &bp));
}

/* vkAllocateMemory importing res_id as MEMORY (+n): the VkResult it answered. */
static int32_t import_memory(uint32_t res_id, uint64_t size, uint32_t n)
{
	struct stream s = {.len = 0};
	VkImportMemoryResourceInfoMESA ri = {
	    .sType = VK_STRUCTURE_TYPE_IMPORT_MEMORY_RESOURCE_INFO_MESA, .resourceId = res_id};
	VkMemoryAllocateInfo mai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
	                            .pNext = &ri,
	                            .allocationSize = size,
	                            .memoryTypeIndex = 0};
	VkDeviceMemory mem = ID(VkDeviceMemory, MEMORY + n);
	struct vkr_cmd_vkAllocateMemory am = {
	    .device = ID(VkDevice, DEVICE), .pAllocateInfo = &mai, .pMemory = &mem};
	memset(reply, 0xff, 16);
	reply_rewind(&s);
	emit(&s, VKR_CMD_vkAllocateMemory, &am, VKR_COMMAND_GENERATE_REPLY_BIT);
	submit(&s);
	uint32_t type;
	int32_t ret;
	memcpy(&type, reply, 4);
	memcpy(&ret, reply + 4, 4);
	ck_assert_uint_eq(type, VKR_CMD_vkAllocateMemory);
	return ret;
}

static void buffer_at(struct stream *s, uint32_t id, VkDeviceSize offset)
{
	static const VkBufferCreateInfo bci = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
	                                       .size = PAGE,
	                                       .usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
	                                                VK_BUFFER_USAGE_TRANSFER_DST_BIT};
	VkDevice dev = ID(VkDevice, DEVICE);
	VkBuffer buf = ID(VkBuffer, id);
	VkMemoryRequirements req;
	memset(&req, 0, sizeof(req));
	struct vkr_cmd_vkCreateBuffer cb = {.device = dev, .pCreateInfo = &bci, .pBuffer = &buf};
	struct vkr_cmd_vkGetBufferMemoryRequirements gr = {
	    .device = dev, .buffer = buf, .pMemoryRequirements = &req};
	struct vkr_cmd_vkBindBufferMemory bb = {.device = dev,
	                                        .buffer = buf,
	                                        .memory = ID(VkDeviceMemory, MEMORY),
	                                        .memoryOffset = offset};
	emit(s, VKR_CMD_vkCreateBuffer, &cb, 0);
	emit(s, VKR_CMD_vkGetBufferMemoryRequirements, &gr, 0);
	emit(s, VKR_CMD_vkBindBufferMemory, &bb, 0);
}

/* One command buffer (CMDBUF + n): copy SRC -> DST, fill FILL with `fill`;
 * submitted with a fence (FENCE + n) and waited for (vkWaitForFences: the
 * submit returns after it). */
static void copy_and_fill(uint32_t n, uint32_t fill)
{
	struct stream s = {.len = 0};
	VkDevice dev = ID(VkDevice, DEVICE);
	VkCommandBuffer cmd = ID(VkCommandBuffer, CMDBUF + n);
	static const VkCommandBufferBeginInfo begin = {
	    .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
	VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
	                                   .commandPool = ID(VkCommandPool, POOL),
	                                   .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
	                                   .commandBufferCount = 1};
	VkBufferCopy region = {.srcOffset = 0, .dstOffset = 0, .size = PAGE};
	VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
	                   .commandBufferCount = 1,
	                   .pCommandBuffers = &cmd};
	struct vkr_cmd_vkAllocateCommandBuffers ac = {
	    .device = dev, .pAllocateInfo = &cai, .pCommandBuffers = &cmd};
	struct vkr_cmd_vkBeginCommandBuffer bc = {.commandBuffer = cmd, .pBeginInfo = &begin};
	struct vkr_cmd_vkCmdCopyBuffer cp = {.commandBuffer = cmd,
	                                     .srcBuffer = ID(VkBuffer, SRC_BUF),
	                                     .dstBuffer = ID(VkBuffer, DST_BUF),
	                                     .regionCount = 1,
	                                     .pRegions = &region};
	struct vkr_cmd_vkCmdFillBuffer fb = {.commandBuffer = cmd,
	                                     .dstBuffer = ID(VkBuffer, FILL_BUF),
	                                     .size = VK_WHOLE_SIZE,
	                                     .data = fill};
	struct vkr_cmd_vkEndCommandBuffer ec = {.commandBuffer = cmd};
	static const VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
	VkFence fence = ID(VkFence, FENCE + n);
	struct vkr_cmd_vkCreateFence cf = {.device = dev, .pCreateInfo = &fci, .pFence = &fence};
	struct vkr_cmd_vkQueueSubmit qs = {
	    .queue = ID(VkQueue, QUEUE), .submitCount = 1, .pSubmits = &si, .fence = fence};
	struct vkr_cmd_vkWaitForFences wf = {.device = dev,
	                                     .fenceCount = 1,
	                                     .pFences = &fence,
	                                     .waitAll = VK_TRUE,
	                                     .timeout = 10000000000ull};
	emit(&s, VKR_CMD_vkAllocateCommandBuffers, &ac, 0);
	emit(&s, VKR_CMD_vkBeginCommandBuffer, &bc, 0);
	emit(&s, VKR_CMD_vkCmdCopyBuffer, &cp, 0);
	emit(&s, VKR_CMD_vkCmdFillBuffer, &fb, 0);
	emit(&s, VKR_CMD_vkEndCommandBuffer, &ec, 0);
	emit(&s, VKR_CMD_vkCreateFence, &cf, 0);
	emit(&s, VKR_CMD_vkQueueSubmit, &qs, 0);
	emit(&s, VKR_CMD_vkWaitForFences, &wf, 0);
	submit(&s);
}

static void expect_fill(const uint8_t *p, uint32_t fill, const char *what)
{
	for (size_t i = 0; i < PAGE; i += 4) {
		uint32_t got;
		memcpy(&got, p + i, 4);
		ck_assert_msg(got == fill, "%s: dword at %zu is 0x%08x, not 0x%08x", what, i, got,
		              fill);
	}
}

START_TEST(vulkan_reads_and_writes_guest_pages)
{
	if (!v.r)
		return;
	pages_blob(PAGES_RES, 1, guest, GUEST_BYTES, PAGE, true);
	/* Page 0: what the guest wrote; pages 1 and 2: the GPU's to write. */
	uint8_t want[PAGE];
	vms_pattern_fill(want, PAGE, 21);
	memcpy(guest, want, PAGE);
	memset(guest + PAGE, 0, 3 * PAGE);
	ck_assert_int_eq(import_memory(PAGES_RES, GUEST_BYTES, 0), VK_SUCCESS);

	struct stream s = {.len = 0};
	static const VkCommandPoolCreateInfo pci = {
	    .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO, .queueFamilyIndex = 0};
	VkCommandPool pool = ID(VkCommandPool, POOL);
	struct vkr_cmd_vkCreateCommandPool cp = {
	    .device = ID(VkDevice, DEVICE), .pCreateInfo = &pci, .pCommandPool = &pool};
	emit(&s, VKR_CMD_vkCreateCommandPool, &cp, 0);
	buffer_at(&s, SRC_BUF, 0);
	buffer_at(&s, DST_BUF, 2 * PAGE);
	buffer_at(&s, FILL_BUF, PAGE);
	submit(&s);
	copy_and_fill(0, 0x5a5a1234u);
	tmem_expect_eq(guest + 2 * PAGE, want, PAGE, "guest page the GPU copied into");
	expect_fill(guest + PAGE, 0x5a5a1234u, "guest page the GPU filled");
	tmem_expect_eq(guest, want, PAGE, "source page");

	/* The VMM drops the blob and its view; a second view of guest RAM still
	 * sees the GPU write the pages (vkr's own mapping keeps them). */
	uint8_t *again =
	    mmap(NULL, GUEST_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, pages_fd, PAGE);
	ck_assert_ptr_ne(again, MAP_FAILED);
	ck_assert_ok(vgn_resource_unref(v.r, PAGES_RES));
	munmap(guest, GUEST_BYTES);
	guest = NULL;
	vms_pattern_fill(want, PAGE, 22);
	memcpy(again, want, PAGE);
	copy_and_fill(1, 0x0badf00du);
	tmem_expect_eq(again + 2 * PAGE, want, PAGE, "copy after the VMM let go");
	expect_fill(again + PAGE, 0x0badf00du, "fill after the VMM let go");
	/* Free it while the context lives, then the context goes (teardown). */
	struct vkr_cmd_vkDestroyBuffer db = {.device = ID(VkDevice, DEVICE),
	                                     .buffer = ID(VkBuffer, FILL_BUF)};
	struct vkr_cmd_vkFreeMemory fm = {.device = ID(VkDevice, DEVICE),
	                                  .memory = ID(VkDeviceMemory, MEMORY)};
	emit(&s, VKR_CMD_vkDestroyBuffer, &db, 0);
	emit(&s, VKR_CMD_vkFreeMemory, &fm, 0);
	submit(&s);
	munmap(again, GUEST_BYTES);
}
END_TEST

START_TEST(refused_imports)
{
	if (!v.r)
		return;
	const int32_t bad = VK_ERROR_INVALID_EXTERNAL_HANDLE;
	uint32_t n = 10;
	ck_assert_int_eq(import_memory(99, PAGE, n++), bad);        /* no such resource */
	ck_assert_int_eq(import_memory(REPLY_RES, PAGE, n++), bad); /* HOST3D, not guest pages */
	pages_blob(6, 1, guest, GUEST_BYTES, PAGE, false);          /* no fd of the pages */
	ck_assert_int_eq(import_memory(6, PAGE, n++), bad);
	pages_blob(7, 0, guest, GUEST_BYTES, PAGE, true); /* no context: not this one's */
	ck_assert_int_eq(import_memory(7, PAGE, n++), bad);
	pages_blob(8, 1, guest + 1, GUEST_BYTES - 1, PAGE + 1, true); /* unaligned offset */
	ck_assert_int_eq(import_memory(8, PAGE, n++), bad);
	pages_blob(9, 1, guest, GUEST_BYTES, PAGE, true);
	ck_assert_int_eq(import_memory(9, 100, n++), bad);             /* unaligned size */
	ck_assert_int_eq(import_memory(9, 2 * GUEST_BYTES, n++), bad); /* beyond the blob */
	ck_assert_int_eq(import_memory(9, 0, n++), bad);
	/* The context lives on: a good import still works. */
	ck_assert_int_eq(import_memory(9, GUEST_BYTES, n++), VK_SUCCESS);
	ck_assert_uint_eq(vms_fatal_count(&v), 0);
}
END_TEST

/* The context (and with it the VkDeviceMemory) goes first, then the blob. */
START_TEST(context_first_then_blob)
{
	if (!v.r)
		return;
	pages_blob(PAGES_RES, 1, guest, GUEST_BYTES, PAGE, true);
	ck_assert_int_eq(import_memory(PAGES_RES, GUEST_BYTES, 0), VK_SUCCESS);
	ck_assert_ok(vgn_context_destroy(v.r, 1));
	guest[0] = 0x42; /* the guest's pages are its own again */
	ck_assert_ok(vgn_resource_unref(v.r, PAGES_RES));
	ck_assert_uint_eq(guest[0], 0x42);
}
END_TEST

static Suite *blob_vk_suite(void)
{
	Suite *s = suite_create("blob_vk");
	TCase *tc = tcase_create("lavapipe");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, vulkan_reads_and_writes_guest_pages);
	tcase_add_test(tc, refused_imports);
	tcase_add_test(tc, context_first_then_blob);
	suite_add_tcase(s, tc);
	tc = tcase_create("worker");
	tcase_add_checked_fixture(tc, setup_worker, teardown);
	tcase_add_test(tc, vulkan_reads_and_writes_guest_pages);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(blob_vk_suite());
}
