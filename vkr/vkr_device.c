/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * Hand-written handlers (spec 4.5): instance, physical devices (id binding, extension
 * filtering, version capping), device, queues (timeline binding, serialised submission),
 * device memory (host-visible memory backed by a memfd we own, imported with
 * VK_EXT_external_memory_host, spec 1.12) and the context-fence thread (spec 1.10).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fence.h"
#include "vkr_context.h"
#include "vkr_guest_import.h"
#include "vkr_wsi_emul.h"

#define HOST_MEMORY_EXT "VK_EXT_external_memory_host"

static struct vkr_context *C(struct vkr_dispatch *d)
{
	return vkr_stream_of(d)->ctx;
}

/* Highest API version our decoders know (the vk.xml they were generated from). */
static uint32_t api_cap(uint32_t v)
{
	return v > VKR_PROTO_VK_XML_VERSION ? VKR_PROTO_VK_XML_VERSION : v;
}

/* -- instance ------------------------------------------------------------------------------ */

static int enumerate_instance_version(struct vkr_dispatch *d,
                                      struct vkr_cmd_vkEnumerateInstanceVersion *a)
{
	uint32_t v = VK_API_VERSION_1_0;
	a->ret = vkEnumerateInstanceVersion(&v);
	if (a->pApiVersion)
		*a->pApiVersion = api_cap(v);
	return 0;
}

static int enumerate_instance_extensions(struct vkr_dispatch *d,
                                         struct vkr_cmd_vkEnumerateInstanceExtensionProperties *a)
{
	static const VkExtensionProperties ours[] = {
	    {"VK_EXT_command_serialization", VKR_PROTO_COMMAND_SERIALIZATION_SPEC_VERSION},
	    {"VK_MESA_venus_protocol", VKR_PROTO_VENUS_PROTOCOL_SPEC_VERSION},
	};
	if (a->pLayerName || !a->pPropertyCount)
		return -EPERM;
	const uint32_t n = 2;
	if (!a->pProperties) {
		*a->pPropertyCount = n;
		a->ret = VK_SUCCESS;
		return 0;
	}
	const uint32_t k = *a->pPropertyCount < n ? *a->pPropertyCount : n;
	memcpy(a->pProperties, ours, sizeof(ours[0]) * k);
	*a->pPropertyCount = k;
	a->ret = k < n ? VK_INCOMPLETE : VK_SUCCESS;
	return 0;
}

static void free_extra(struct vkr_context *ctx, struct vkr_object *obj);

static int create_instance(struct vkr_dispatch *d, struct vkr_cmd_vkCreateInstance *a)
{
	struct vkr_context *ctx = C(d);
	if (ctx->instance || !a->pCreateInfo || !a->pInstance)
		return -EEXIST; /* one instance per context (spec 1.2) */
	if (a->pCreateInfo->enabledLayerCount)
		return -EPERM;
	const uint64_t id = VKR_HANDLE_TO_ID(*a->pInstance);
	VKR_TRY(vkr_objects_check_new(&ctx->objects, id));

	VkInstanceCreateInfo info = *a->pCreateInfo;
	VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO};
	if (info.pApplicationInfo)
		app = *info.pApplicationInfo;
	if (app.apiVersion < VK_API_VERSION_1_1)
		app.apiVersion = VK_API_VERSION_1_1;
	info.pApplicationInfo = &app;

	VkInstance instance = VK_NULL_HANDLE;
	a->ret = vkCreateInstance(&info, NULL, &instance);
	if (a->ret == VK_SUCCESS) {
		int ret = vkr_objects_add(&ctx->objects, VK_OBJECT_TYPE_INSTANCE, id,
		                          VKR_HANDLE_TO_ID(instance), 0, NULL);
		if (ret) {
			vkDestroyInstance(instance, NULL);
			return ret;
		}
		ctx->instance = instance;
		ctx->instance_id = id;
		/* Extras (memory, buffers, queues, ...) go with their bindings from now on. */
		ctx->objects.free_extra = free_extra;
		vkr_procs_load(&ctx->procs, vkGetInstanceProcAddr, instance);
		ctx->DeviceWaitIdle =
		    (PFN_vkDeviceWaitIdle)vkGetInstanceProcAddr(instance, "vkDeviceWaitIdle");
		ctx->GetMemoryHostPointerPropertiesEXT =
		    (PFN_vkGetMemoryHostPointerPropertiesEXT)vkGetInstanceProcAddr(
		        instance, "vkGetMemoryHostPointerPropertiesEXT");
		ctx->have_procs = true;
	}
	return 0;
}

static int destroy_instance(struct vkr_dispatch *d, struct vkr_cmd_vkDestroyInstance *a)
{
	struct vkr_context *ctx = C(d);
	if (!a->instance)
		return 0;
	vkr_context_destroy_objects(ctx);
	return 0;
}

/* -- physical devices ------------------------------------------------------------------------ */

static int load_pdevs(struct vkr_context *ctx)
{
	if (ctx->pdevs)
		return 0;
	uint32_t n = 0;
	if (ctx->procs.vkEnumeratePhysicalDevices(ctx->instance, &n, NULL) < 0)
		return -EIO;
	VkPhysicalDevice *h = calloc(n ? n : 1, sizeof(*h));
	ctx->pdevs = calloc(n ? n : 1, sizeof(*ctx->pdevs));
	if (!h || !ctx->pdevs) {
		free(h);
		free(ctx->pdevs);
		ctx->pdevs = NULL;
		return -ENOMEM;
	}
	if (ctx->procs.vkEnumeratePhysicalDevices(ctx->instance, &n, h) < 0)
		n = 0;
	uint32_t k = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (!vkr_host_device_usable(ctx->procs.vkGetPhysicalDeviceProperties2, h[i]))
			continue;
		ctx->pdevs[k].handle = h[i];
		ctx->pdevs[k++].emul = vkr_wsi_emul_probe(&ctx->procs, h[i]);
	}
	ctx->num_pdevs = k;
	free(h);
	return 0;
}

static int enumerate_physical_devices(struct vkr_dispatch *d,
                                      struct vkr_cmd_vkEnumeratePhysicalDevices *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pPhysicalDeviceCount)
		return -EINVAL;
	VKR_TRY(load_pdevs(ctx));
	if (!a->pPhysicalDevices) {
		*a->pPhysicalDeviceCount = ctx->num_pdevs;
		a->ret = VK_SUCCESS;
		return 0;
	}
	const uint32_t k =
	    *a->pPhysicalDeviceCount < ctx->num_pdevs ? *a->pPhysicalDeviceCount : ctx->num_pdevs;
	/* The guest pre-assigns ids; bind host devices in host order, always to the same ids. */
	for (uint32_t i = 0; i < k; i++) {
		const uint64_t id = VKR_HANDLE_TO_ID(a->pPhysicalDevices[i]);
		struct vkr_physical_device *p = &ctx->pdevs[i];
		if (p->id) {
			if (p->id != id)
				return -EINVAL;
			continue;
		}
		VKR_TRY(vkr_objects_add(&ctx->objects, VK_OBJECT_TYPE_PHYSICAL_DEVICE, id,
		                        VKR_HANDLE_TO_ID(p->handle), 0, NULL));
		p->id = id;
	}
	*a->pPhysicalDeviceCount = k;
	a->ret = k < ctx->num_pdevs ? VK_INCOMPLETE : VK_SUCCESS;
	return 0;
}

static bool pdev_served(struct vkr_context *ctx, VkPhysicalDevice pd)
{
	for (uint32_t i = 0; i < ctx->num_pdevs; i++)
		if (ctx->pdevs[i].handle == pd)
			return true;
	return false;
}

/* Host groups made only of devices we serve (no host Venus device), their members renamed to
 * the ids the guest bound (0 for devices it has not enumerated yet). */
static int enumerate_physical_device_groups(struct vkr_dispatch *d,
                                            struct vkr_cmd_vkEnumeratePhysicalDeviceGroups *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pPhysicalDeviceGroupCount)
		return -EINVAL;
	VKR_TRY(load_pdevs(ctx));
	uint32_t n = 0;
	a->ret = ctx->procs.vkEnumeratePhysicalDeviceGroups(ctx->instance, &n, NULL);
	if (a->ret < 0)
		return 0;
	VkPhysicalDeviceGroupProperties *g = calloc(n ? n : 1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		g[i].sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_GROUP_PROPERTIES;
	a->ret = ctx->procs.vkEnumeratePhysicalDeviceGroups(ctx->instance, &n, g);
	if (a->ret < 0) {
		free(g);
		return 0;
	}
	uint32_t kept = 0;
	for (uint32_t i = 0; i < n; i++) {
		bool ok = g[i].physicalDeviceCount > 0 &&
		          g[i].physicalDeviceCount <= VK_MAX_DEVICE_GROUP_SIZE;
		for (uint32_t j = 0; ok && j < g[i].physicalDeviceCount; j++)
			ok = pdev_served(ctx, g[i].physicalDevices[j]);
		if (ok)
			g[kept++] = g[i];
	}
	if (!a->pPhysicalDeviceGroupProperties) {
		*a->pPhysicalDeviceGroupCount = kept;
		a->ret = VK_SUCCESS;
		free(g);
		return 0;
	}
	const uint32_t m =
	    *a->pPhysicalDeviceGroupCount < kept ? *a->pPhysicalDeviceGroupCount : kept;
	for (uint32_t i = 0; i < m; i++) {
		VkPhysicalDeviceGroupProperties *p = &a->pPhysicalDeviceGroupProperties[i];
		p->physicalDeviceCount = g[i].physicalDeviceCount;
		p->subsetAllocation = g[i].subsetAllocation;
		for (uint32_t j = 0; j < VK_MAX_DEVICE_GROUP_SIZE; j++) {
			const uint64_t id =
			    j < g[i].physicalDeviceCount
			        ? vkr_objects_id_of(&ctx->objects, VK_OBJECT_TYPE_PHYSICAL_DEVICE,
			                            VKR_HANDLE_TO_ID(g[i].physicalDevices[j]))
			        : 0;
			p->physicalDevices[j] = VKR_ID_TO_HANDLE(VkPhysicalDevice, id);
		}
	}
	*a->pPhysicalDeviceGroupCount = m;
	a->ret = m < kept ? VK_INCOMPLETE : VK_SUCCESS;
	free(g);
	return 0;
}

static bool allowed_extension(const char *name, uint32_t *spec)
{
	uint32_t n;
	const struct vkr_proto_extension *e = vkr_proto_extensions(&n);
	for (uint32_t i = 0; i < n; i++) {
		if (!strcmp(e[i].name, name)) {
			if (*spec > e[i].spec_version)
				*spec = e[i].spec_version;
			return true;
		}
	}
	return false;
}

static int enumerate_device_extensions(struct vkr_dispatch *d,
                                       struct vkr_cmd_vkEnumerateDeviceExtensionProperties *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || a->pLayerName || !a->pPropertyCount)
		return -EPERM;
	uint32_t n = 0;
	a->ret = ctx->procs.vkEnumerateDeviceExtensionProperties(a->physicalDevice, NULL, &n, NULL);
	if (a->ret < 0)
		return 0;
	VkExtensionProperties *host = calloc((size_t)n + VKR_EMUL_COUNT, sizeof(*host));
	if (!host)
		return -ENOMEM;
	a->ret = ctx->procs.vkEnumerateDeviceExtensionProperties(a->physicalDevice, NULL, &n, host);
	if (a->ret < 0) {
		free(host);
		return 0;
	}
	/* Plus what vkr emulates where the host lacks it (vkr_wsi_emul.c). */
	n += vkr_wsi_emul_list(vkr_wsi_emul_pdev(ctx, a->physicalDevice), host + n);
	uint32_t k = 0;
	for (uint32_t i = 0; i < n; i++)
		if (allowed_extension(host[i].extensionName, &host[i].specVersion))
			host[k++] = host[i];
	if (!a->pProperties) {
		*a->pPropertyCount = k;
		a->ret = VK_SUCCESS;
	} else {
		const uint32_t m = *a->pPropertyCount < k ? *a->pPropertyCount : k;
		memcpy(a->pProperties, host, sizeof(*host) * m);
		*a->pPropertyCount = m;
		a->ret = m < k ? VK_INCOMPLETE : VK_SUCCESS;
	}
	free(host);
	return 0;
}

static int get_properties(struct vkr_dispatch *d, struct vkr_cmd_vkGetPhysicalDeviceProperties *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pProperties)
		return -EINVAL;
	ctx->procs.vkGetPhysicalDeviceProperties(a->physicalDevice, a->pProperties);
	a->pProperties->apiVersion = api_cap(a->pProperties->apiVersion);
	return 0;
}

static int get_properties2(struct vkr_dispatch *d, struct vkr_cmd_vkGetPhysicalDeviceProperties2 *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pProperties)
		return -EINVAL;
	ctx->procs.vkGetPhysicalDeviceProperties2(a->physicalDevice, a->pProperties);
	a->pProperties->properties.apiVersion = api_cap(a->pProperties->properties.apiVersion);
	return 0;
}

/* -- device -------------------------------------------------------------------------------- */

static bool host_has_extension(struct vkr_context *ctx, VkPhysicalDevice pd, const char *name)
{
	uint32_t n = 0;
	bool found = false;
	if (ctx->procs.vkEnumerateDeviceExtensionProperties(pd, NULL, &n, NULL) < 0)
		return false;
	VkExtensionProperties *p = calloc(n ? n : 1, sizeof(*p));
	if (p && ctx->procs.vkEnumerateDeviceExtensionProperties(pd, NULL, &n, p) >= 0)
		for (uint32_t i = 0; i < n && !found; i++)
			found = !strcmp(p[i].extensionName, name);
	free(p);
	return found;
}

static int create_device(struct vkr_dispatch *d, struct vkr_cmd_vkCreateDevice *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pCreateInfo || !a->pDevice)
		return -EINVAL;
	const uint64_t id = VKR_HANDLE_TO_ID(*a->pDevice);
	VKR_TRY(vkr_objects_check_new(&ctx->objects, id));
	if (a->pCreateInfo->enabledLayerCount)
		return -EPERM;

	struct vkr_device *dev = calloc(1, sizeof(*dev));
	VkDeviceCreateInfo info = *a->pCreateInfo;
	const uint32_t n = info.enabledExtensionCount;
	const char **names = calloc((size_t)n + 1, sizeof(*names));
	if (!dev || !names) {
		free(dev);
		free(names);
		return -ENOMEM;
	}
	bool have = false;
	const uint32_t emul = vkr_wsi_emul_pdev(ctx, a->physicalDevice);
	info.enabledExtensionCount = 0;
	for (uint32_t i = 0; i < n; i++) {
		const char *name = info.ppEnabledExtensionNames[i];
		const uint32_t bit = vkr_wsi_emul_bit(emul, name);
		dev->emul |= bit; /* ours: the host does not know it */
		if (!bit)
			names[info.enabledExtensionCount++] = name;
		have |= !strcmp(name, HOST_MEMORY_EXT);
	}
	/* Host-visible memory is a memfd we import (spec 1.12). */
	dev->host_import = have || host_has_extension(ctx, a->physicalDevice, HOST_MEMORY_EXT);
	if (dev->host_import && !have)
		names[info.enabledExtensionCount++] = HOST_MEMORY_EXT;
	info.ppEnabledExtensionNames = names;

	VkDevice device = VK_NULL_HANDLE;
	a->ret = ctx->procs.vkCreateDevice(a->physicalDevice, &info, NULL, &device);
	free(names);
	if (a->ret != VK_SUCCESS) {
		free(dev);
		return 0;
	}
	dev->handle = device;
	dev->physical = a->physicalDevice;
	ctx->procs.vkGetPhysicalDeviceMemoryProperties(a->physicalDevice, &dev->mem_props);
	if (dev->host_import) {
		VkPhysicalDeviceExternalMemoryHostPropertiesEXT host = {
		    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_MEMORY_HOST_PROPERTIES_EXT};
		VkPhysicalDeviceProperties2 props = {
		    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, .pNext = &host};
		ctx->procs.vkGetPhysicalDeviceProperties2(a->physicalDevice, &props);
		dev->import_alignment = host.minImportedHostPointerAlignment;
	}
	int ret = vkr_objects_add(&ctx->objects, VK_OBJECT_TYPE_DEVICE, id,
	                          VKR_HANDLE_TO_ID(device), 0, dev);
	if (ret) {
		ctx->procs.vkDestroyDevice(device, NULL);
		free(dev);
		return ret;
	}
	*a->pDevice = VKR_ID_TO_HANDLE(VkDevice, id);
	return 0;
}

static void wait_device_fences(struct vkr_context *ctx, VkDevice device);

static int destroy_device(struct vkr_dispatch *d, struct vkr_cmd_vkDestroyDevice *a)
{
	struct vkr_context *ctx = C(d);
	if (!a->device || !ctx->have_procs)
		return 0;
	ctx->DeviceWaitIdle(a->device);
	wait_device_fences(ctx, a->device);
	/* Children the guest left behind would leak in the host driver. */
	vkr_destroy_device_objects(ctx, a->device);
	ctx->procs.vkDestroyDevice(a->device, NULL);
	/* Every child binding goes with it (its host objects went with the device). */
	vkr_objects_remove(&ctx->objects, VK_OBJECT_TYPE_DEVICE, VKR_HANDLE_TO_ID(a->device));
	return 0;
}

/* -- queues ---------------------------------------------------------------------------------- */

static int get_device_queue2(struct vkr_dispatch *d, struct vkr_cmd_vkGetDeviceQueue2 *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pQueueInfo || !a->pQueue)
		return -EINVAL;
	struct vkr_device *dev = NULL;
	uint64_t h;
	VKR_TRY(vkr_objects_lookup(
	    &ctx->objects, VK_OBJECT_TYPE_DEVICE,
	    vkr_objects_id_of(&ctx->objects, VK_OBJECT_TYPE_DEVICE, VKR_HANDLE_TO_ID(a->device)),
	    &h, (void **)&dev));
	/* The timeline struct is ours: the host must not see it. */
	VkDeviceQueueInfo2 info = *a->pQueueInfo;
	const VkDeviceQueueTimelineInfoMESA *tl = NULL;
	const VkBaseInStructure **link = (const VkBaseInStructure **)&info.pNext;
	while (*link) {
		if ((*link)->sType == VK_STRUCTURE_TYPE_DEVICE_QUEUE_TIMELINE_INFO_MESA) {
			tl = (const void *)*link;
			*link = (*link)->pNext;
		} else {
			link = (const VkBaseInStructure **)&(*link)->pNext;
		}
	}
	if (!tl || tl->ringIdx < 1 || tl->ringIdx >= VKR_MAX_RINGS)
		return -EINVAL;
	const uint64_t id = VKR_HANDLE_TO_ID(*a->pQueue);
	VKR_TRY(vkr_objects_check_new(&ctx->objects, id));
	VkQueue queue = VK_NULL_HANDLE;
	ctx->procs.vkGetDeviceQueue2(a->device, &info, &queue);
	if (!queue ||
	    vkr_objects_id_of(&ctx->objects, VK_OBJECT_TYPE_QUEUE, VKR_HANDLE_TO_ID(queue)))
		return -EINVAL;
	struct vkr_queue *q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->handle = queue;
	q->device = dev;
	q->ring_idx = tl->ringIdx;
	pthread_mutex_init(&q->submit_lock, NULL);
	pthread_mutex_lock(&ctx->ring_lock);
	const bool used = ctx->queues[tl->ringIdx] != NULL;
	if (!used)
		ctx->queues[tl->ringIdx] = q;
	pthread_mutex_unlock(&ctx->ring_lock);
	if (used) {
		pthread_mutex_destroy(&q->submit_lock);
		free(q);
		return -EINVAL;
	}
	int ret = vkr_objects_add(&ctx->objects, VK_OBJECT_TYPE_QUEUE, id, VKR_HANDLE_TO_ID(queue),
	                          VKR_HANDLE_TO_ID(a->device), q);
	if (ret) {
		pthread_mutex_lock(&ctx->ring_lock);
		ctx->queues[tl->ringIdx] = NULL;
		pthread_mutex_unlock(&ctx->ring_lock);
		pthread_mutex_destroy(&q->submit_lock);
		free(q);
		return ret;
	}
	return 0; /* *pQueue still holds the id: the reply echoes it */
}

static struct vkr_queue *queue_of(struct vkr_context *ctx, VkQueue queue)
{
	return vkr_objects_extra_of(&ctx->objects, VK_OBJECT_TYPE_QUEUE, VKR_HANDLE_TO_ID(queue));
}

/* Submissions are serialised per host queue with the context-fence submissions. */
static int queue_submit(struct vkr_dispatch *d, struct vkr_cmd_vkQueueSubmit *a)
{
	struct vkr_context *ctx = C(d);
	struct vkr_queue *q = queue_of(ctx, a->queue);
	if (!q || !ctx->have_procs)
		return -EINVAL;
	pthread_mutex_lock(&q->submit_lock);
	a->ret = ctx->procs.vkQueueSubmit(a->queue, a->submitCount, a->pSubmits, a->fence);
	pthread_mutex_unlock(&q->submit_lock);
	return 0;
}

static int queue_submit2(struct vkr_dispatch *d, struct vkr_cmd_vkQueueSubmit2 *a)
{
	struct vkr_context *ctx = C(d);
	struct vkr_queue *q = queue_of(ctx, a->queue);
	if (!q || !ctx->have_procs || !ctx->procs.vkQueueSubmit2)
		return -EINVAL;
	pthread_mutex_lock(&q->submit_lock);
	a->ret = ctx->procs.vkQueueSubmit2(a->queue, a->submitCount, a->pSubmits, a->fence);
	pthread_mutex_unlock(&q->submit_lock);
	return 0;
}

static int queue_bind_sparse(struct vkr_dispatch *d, struct vkr_cmd_vkQueueBindSparse *a)
{
	struct vkr_context *ctx = C(d);
	struct vkr_queue *q = queue_of(ctx, a->queue);
	if (!q || !ctx->have_procs)
		return -EINVAL;
	pthread_mutex_lock(&q->submit_lock);
	a->ret = ctx->procs.vkQueueBindSparse(a->queue, a->bindInfoCount, a->pBindInfo, a->fence);
	pthread_mutex_unlock(&q->submit_lock);
	return 0;
}

/* -- device memory --------------------------------------------------------------------------- */

static void memory_free(struct vkr_memory *m)
{
	if (m->ptr)
		munmap(m->ptr, m->size);
	if (m->fd >= 0)
		close(m->fd);
	free(m);
}

/* A zeroed memfd of at least size bytes, mapped, sized for host-pointer import. */
static struct vkr_memory *memory_new(uint64_t size, uint64_t align)
{
	long ps = sysconf(_SC_PAGESIZE);
	uint64_t a = ps > 0 ? (uint64_t)ps : 4096;
	if (align > a && !(align & (align - 1)))
		a = align;
	if (!size || size > ((uint64_t)1 << 40))
		return NULL;
	size = (size + a - 1) & ~(a - 1);
	struct vkr_memory *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->fd = memfd_create("vkr-memory", MFD_CLOEXEC);
	m->size = size;
	if (m->fd < 0 || ftruncate(m->fd, (off_t)size) < 0) {
		m->ptr = NULL;
		memory_free(m);
		return NULL;
	}
	m->ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
	if (m->ptr == MAP_FAILED) {
		m->ptr = NULL;
		memory_free(m);
		return NULL;
	}
	return m;
}

static int allocate_memory(struct vkr_dispatch *d, struct vkr_cmd_vkAllocateMemory *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->pAllocateInfo || !a->pMemory)
		return -EINVAL;
	const uint64_t id = VKR_HANDLE_TO_ID(*a->pMemory);
	VKR_TRY(vkr_objects_check_new(&ctx->objects, id));
	struct vkr_device *dev =
	    vkr_objects_extra_of(&ctx->objects, VK_OBJECT_TYPE_DEVICE, VKR_HANDLE_TO_ID(a->device));
	if (!dev)
		return -EINVAL;
	VkMemoryAllocateInfo info = *a->pAllocateInfo;
	if (info.memoryTypeIndex >= dev->mem_props.memoryTypeCount)
		return -EINVAL;

	/* Drop what we replace: export requests and dedicated-allocation hints (the memory is a
	 * plain host allocation), guest resource imports (vkr_guest_import.c). */
	const VkImportMemoryResourceInfoMESA *guest = NULL;
	const VkBaseInStructure **link = (const VkBaseInStructure **)&info.pNext;
	while (*link) {
		const VkStructureType t = (*link)->sType;
		if (t == VK_STRUCTURE_TYPE_IMPORT_MEMORY_RESOURCE_INFO_MESA)
			guest = (const VkImportMemoryResourceInfoMESA *)*link;
		if (t == VK_STRUCTURE_TYPE_IMPORT_MEMORY_RESOURCE_INFO_MESA ||
		    t == VK_STRUCTURE_TYPE_EXPORT_MEMORY_ALLOCATE_INFO ||
		    t == VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO)
			*link = (*link)->pNext;
		else
			link = (const VkBaseInStructure **)&(*link)->pNext;
	}

	struct vkr_memory *mem = NULL;
	VkImportMemoryHostPointerInfoEXT import = {
	    .sType = VK_STRUCTURE_TYPE_IMPORT_MEMORY_HOST_POINTER_INFO_EXT,
	    .handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_HOST_ALLOCATION_BIT_EXT};
	const VkMemoryPropertyFlags flags =
	    dev->mem_props.memoryTypes[info.memoryTypeIndex].propertyFlags;
	if (guest) {
		a->ret =
		    vkr_guest_import_prepare(ctx, dev, guest->resourceId, &info, &import, &mem);
		if (a->ret != VK_SUCCESS)
			return 0;
	} else if ((flags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) && dev->host_import &&
	           ctx->GetMemoryHostPointerPropertiesEXT) {
		mem = memory_new(info.allocationSize, dev->import_alignment);
		if (!mem) {
			a->ret = VK_ERROR_OUT_OF_HOST_MEMORY;
			return 0;
		}
		VkMemoryHostPointerPropertiesEXT hp = {
		    .sType = VK_STRUCTURE_TYPE_MEMORY_HOST_POINTER_PROPERTIES_EXT};
		VkResult r = ctx->GetMemoryHostPointerPropertiesEXT(a->device, import.handleType,
		                                                    mem->ptr, &hp);
		if (r == VK_SUCCESS && (hp.memoryTypeBits & (1u << info.memoryTypeIndex))) {
			import.pHostPointer = mem->ptr;
			import.pNext = info.pNext;
			info.pNext = &import;
			info.allocationSize = mem->size;
		} else {
			memory_free(mem); /* not importable: plain memory, no blob */
			mem = NULL;
		}
	}
	VkDeviceMemory memory = VK_NULL_HANDLE;
	a->ret = ctx->procs.vkAllocateMemory(a->device, &info, NULL, &memory);
	if (a->ret != VK_SUCCESS) {
		if (mem)
			memory_free(mem);
		return 0;
	}
	if (!mem) {
		mem = calloc(1, sizeof(*mem));
		if (mem)
			mem->fd = -1;
	}
	if (mem)
		mem->alloc_size = info.allocationSize;
	int ret = mem ? vkr_objects_add(&ctx->objects, VK_OBJECT_TYPE_DEVICE_MEMORY, id,
	                                VKR_HANDLE_TO_ID(memory), VKR_HANDLE_TO_ID(a->device), mem)
	              : -ENOMEM;
	if (ret) {
		ctx->procs.vkFreeMemory(a->device, memory, NULL);
		if (mem)
			memory_free(mem);
		return ret;
	}
	return 0;
}

static int free_memory(struct vkr_dispatch *d, struct vkr_cmd_vkFreeMemory *a)
{
	struct vkr_context *ctx = C(d);
	if (!ctx->have_procs || !a->memory)
		return 0;
	ctx->procs.vkFreeMemory(a->device, a->memory, NULL);
	/* Unmaps our view; the guest's blob keeps its own reference to the memfd. */
	vkr_objects_remove(&ctx->objects, VK_OBJECT_TYPE_DEVICE_MEMORY,
	                   VKR_HANDLE_TO_ID(a->memory));
	return 0;
}

int vkr_memory_blob(struct vkr_context *ctx, uint64_t id, uint64_t size,
                    struct vgn_blob_memory *out)
{
	uint64_t h;
	struct vkr_memory *mem = NULL;
	int ret =
	    vkr_objects_lookup(&ctx->objects, VK_OBJECT_TYPE_DEVICE_MEMORY, id, &h, (void **)&mem);
	if (ret)
		return -EINVAL;
	if (!mem || mem->fd < 0 || size > mem->size)
		return -EINVAL;
	out->fd = fcntl(mem->fd, F_DUPFD_CLOEXEC, 0);
	if (out->fd < 0)
		return -errno;
	out->handle_type = VGN_HANDLE_TYPE_SHM;
	out->map_cache_type = VGN_MAP_CACHE_CACHED;
	out->size = mem->size;
	out->map_ptr = NULL;
	return 0;
}

static int get_memory_resource_properties(struct vkr_dispatch *d,
                                          struct vkr_cmd_vkGetMemoryResourcePropertiesMESA *a)
{
	a->ret = VK_ERROR_INVALID_EXTERNAL_HANDLE; /* no dma-buf resources on this path */
	return 0;
}

/* -- object extras ---------------------------------------------------------------------------- */

static void free_extra(struct vkr_context *ctx, struct vkr_object *obj)
{
	switch (obj->type) {
	case VK_OBJECT_TYPE_DEVICE_MEMORY:
		memory_free(obj->extra);
		break;
	case VK_OBJECT_TYPE_QUEUE: {
		struct vkr_queue *q = obj->extra;
		pthread_mutex_lock(&ctx->ring_lock);
		if (ctx->queues[q->ring_idx] == q)
			ctx->queues[q->ring_idx] = NULL;
		pthread_mutex_unlock(&ctx->ring_lock);
		pthread_mutex_destroy(&q->submit_lock);
		free(q);
		break;
	}
	default:
		free(obj->extra);
		break;
	}
}

/* Context teardown (or vkDestroyInstance): every host object the context still owns, children
 * before parents, then the devices and the instance. */
void vkr_context_destroy_objects(struct vkr_context *ctx)
{
	struct vkr_objects *t = &ctx->objects;
	t->free_extra = free_extra;
	if (!ctx->have_procs)
		return;
	vkr_fence_thread_stop(ctx);
	pthread_mutex_lock(&t->lock);
	uint32_t ndev = 0;
	VkDevice *devs = t->count ? calloc(t->count, sizeof(*devs)) : NULL;
	for (uint32_t i = 0; devs && i < t->count; i++)
		if (t->slots[i].type == VK_OBJECT_TYPE_DEVICE)
			devs[ndev++] = (VkDevice)(uintptr_t)t->slots[i].handle;
	pthread_mutex_unlock(&t->lock);
	for (uint32_t i = 0; i < ndev; i++)
		ctx->DeviceWaitIdle(devs[i]);
	for (uint32_t i = 0; i < ndev; i++) {
		vkr_destroy_device_objects(ctx, devs[i]);
		ctx->procs.vkDestroyDevice(devs[i], NULL);
	}
	free(devs);
	ctx->have_procs = false;
	vkDestroyInstance(ctx->instance, NULL);
	ctx->instance = VK_NULL_HANDLE;
	/* Drop every binding (frees the extras). */
	pthread_mutex_lock(&t->lock);
	while (t->count) {
		const struct vkr_object o = t->slots[t->count - 1];
		pthread_mutex_unlock(&t->lock);
		vkr_objects_remove(t, o.type, o.handle);
		pthread_mutex_lock(&t->lock);
	}
	pthread_mutex_unlock(&t->lock);
	free(ctx->pdevs);
	ctx->pdevs = NULL;
	ctx->num_pdevs = 0;
}

/* -- context fences ---------------------------------------------------------------------------- */

static void *fence_thread(void *arg)
{
	struct vkr_context *ctx = arg;
	pthread_mutex_lock(&ctx->fence_lock);
	for (;;) {
		while (!ctx->fence_head && !ctx->fence_stop)
			pthread_cond_wait(&ctx->fence_cond, &ctx->fence_lock);
		struct vkr_pending_fence *f = ctx->fence_head;
		if (!f)
			break;
		pthread_mutex_unlock(&ctx->fence_lock);
		/* Wait in slices so that a stop is seen; device loss counts as retired. */
		for (;;) {
			VkResult r = ctx->procs.vkWaitForFences(f->device, 1, &f->fence, VK_TRUE,
			                                        100000000ull);
			if (r != VK_TIMEOUT)
				break;
			pthread_mutex_lock(&ctx->fence_lock);
			const bool stop = ctx->fence_stop;
			pthread_mutex_unlock(&ctx->fence_lock);
			if (stop)
				break;
		}
		ctx->procs.vkDestroyFence(f->device, f->fence, NULL);
		vgn_fence_retire(ctx->renderer, ctx->ctx_id, f->ring_idx, f->fence_id);
		pthread_mutex_lock(&ctx->fence_lock);
		ctx->fence_head = f->next;
		if (!ctx->fence_head)
			ctx->fence_tail = NULL;
		free(f);
		pthread_cond_broadcast(&ctx->fence_cond);
	}
	pthread_mutex_unlock(&ctx->fence_lock);
	return NULL;
}

static void wait_device_fences(struct vkr_context *ctx, VkDevice device)
{
	pthread_mutex_lock(&ctx->fence_lock);
	for (;;) {
		bool pending = false;
		for (struct vkr_pending_fence *f = ctx->fence_head; f && !pending; f = f->next)
			pending = f->device == device;
		if (!pending)
			break;
		pthread_cond_wait(&ctx->fence_cond, &ctx->fence_lock);
	}
	pthread_mutex_unlock(&ctx->fence_lock);
}

void vkr_fence_thread_stop(struct vkr_context *ctx)
{
	pthread_mutex_lock(&ctx->fence_lock);
	const bool running = ctx->fence_running;
	ctx->fence_stop = true;
	pthread_cond_broadcast(&ctx->fence_cond);
	pthread_mutex_unlock(&ctx->fence_lock);
	if (running)
		pthread_join(ctx->fence_thread, NULL);
	ctx->fence_running = false;
	ctx->fence_stop = false;
}

int vkr_context_fence(struct vkr_context *ctx, uint32_t ring_idx, uint64_t fence_id)
{
	if (ring_idx == 0) /* the stream was processed synchronously */
		return vgn_fence_retire(ctx->renderer, ctx->ctx_id, 0, fence_id);
	if (ring_idx >= VKR_MAX_RINGS || !ctx->have_procs)
		return -EINVAL;
	struct vkr_pending_fence *f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	int ret = 0;
	pthread_mutex_lock(&ctx->ring_lock);
	struct vkr_queue *q = ctx->queues[ring_idx];
	if (!q) {
		ret = -EINVAL;
		goto out;
	}
	const VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
	if (ctx->procs.vkCreateFence(q->device->handle, &fi, NULL, &f->fence) != VK_SUCCESS) {
		ret = -ENOMEM;
		goto out;
	}
	/* An empty submission signals the fence when everything before it on the queue is done. */
	pthread_mutex_lock(&q->submit_lock);
	VkResult r = ctx->procs.vkQueueSubmit(q->handle, 0, NULL, f->fence);
	pthread_mutex_unlock(&q->submit_lock);
	if (r != VK_SUCCESS) {
		ctx->procs.vkDestroyFence(q->device->handle, f->fence, NULL);
		ret = -EIO;
		goto out;
	}
	f->device = q->device->handle;
	f->ring_idx = ring_idx;
	f->fence_id = fence_id;
out:
	pthread_mutex_unlock(&ctx->ring_lock);
	if (ret) {
		free(f);
		return ret;
	}
	pthread_mutex_lock(&ctx->fence_lock);
	if (ctx->fence_tail)
		ctx->fence_tail->next = f;
	else
		ctx->fence_head = f;
	ctx->fence_tail = f;
	if (!ctx->fence_running) {
		ctx->fence_stop = false;
		ret = pthread_create(&ctx->fence_thread, NULL, fence_thread, ctx);
		ctx->fence_running = ret == 0;
		ret = -ret;
	}
	pthread_cond_broadcast(&ctx->fence_cond);
	pthread_mutex_unlock(&ctx->fence_lock);
	return ret;
}

void vkr_device_install(struct vkr_dispatch *d)
{
	d->vkEnumerateInstanceVersion = enumerate_instance_version;
	d->vkEnumerateInstanceExtensionProperties = enumerate_instance_extensions;
	d->vkCreateInstance = create_instance;
	d->vkDestroyInstance = destroy_instance;
	d->vkEnumeratePhysicalDevices = enumerate_physical_devices;
	d->vkEnumeratePhysicalDeviceGroups = enumerate_physical_device_groups;
	d->vkEnumerateDeviceExtensionProperties = enumerate_device_extensions;
	d->vkGetPhysicalDeviceProperties = get_properties;
	d->vkGetPhysicalDeviceProperties2 = get_properties2;
	d->vkCreateDevice = create_device;
	d->vkDestroyDevice = destroy_device;
	d->vkGetDeviceQueue2 = get_device_queue2;
	d->vkQueueSubmit = queue_submit;
	d->vkQueueSubmit2 = queue_submit2;
	d->vkQueueBindSparse = queue_bind_sparse;
	d->vkAllocateMemory = allocate_memory;
	d->vkFreeMemory = free_memory;
	d->vkGetMemoryResourcePropertiesMESA = get_memory_resource_properties;
	vkr_wsi_emul_install(d);
}
