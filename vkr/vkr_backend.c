/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * The vkr backend: the Venus capset (spec 1.1), contexts, the context stream, shared-memory
 * resources and HOST3D blobs, context fences.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "blob.h"
#include "context.h"
#include "fence.h"
#include "log.h"
#include "renderer.h"
#include "resource.h"
#include "vkr_context.h"
#include "vkr_query.h"
#include "vkr_wsi_emul.h"

struct vkr_backend {
	struct vgn_backend base;
	/* The host probe runs on first use (capset fill, context create), not at renderer
	 * creation: a renderer that never serves Venus never loads the Vulkan drivers. */
	pthread_mutex_t probe_lock;
	int probed; /* 0: not yet; 1: done; < 0: failed (errno) */
	uint32_t ext_mask[VKR_PROTO_EXTENSION_MASK_WORDS];
};

int vkr_ring_cond_init(pthread_cond_t *c);

/* -- capset ------------------------------------------------------------------------------- */

/* struct virgl_renderer_capset_venus: 40 little-endian u32. */
enum {
	CAP_WIRE_FORMAT = 0,
	CAP_VK_XML,
	CAP_SERIALIZATION,
	CAP_VENUS_PROTOCOL,
	CAP_BLOB_ID_0,
	CAP_EXT_MASK,
	CAP_WAIT_SYNCS = CAP_EXT_MASK + 32,
	CAP_MULTI_TIMELINES,
	CAP_GUEST_VRAM,
	CAP_WORDS
};

static int probe_once(struct vkr_backend *vb);

static int capset_info(struct vgn_backend *b, uint32_t id, uint32_t *max_version,
                       uint32_t *max_size)
{
	if (id != VGN_CAPSET_VENUS)
		return -EINVAL;
	*max_version = 0;
	*max_size = CAP_WORDS * 4;
	return 0;
}

static int capset_fill(struct vgn_backend *b, uint32_t id, uint32_t version, void *buf,
                       size_t buf_size, size_t *written)
{
	struct vkr_backend *vb = (struct vkr_backend *)b;
	if (id != VGN_CAPSET_VENUS || version != 0)
		return -EINVAL;
	int ret = probe_once(vb);
	if (ret)
		return ret;
	uint32_t cap[CAP_WORDS] = {0};
	cap[CAP_WIRE_FORMAT] = VKR_PROTO_WIRE_FORMAT_VERSION;
	cap[CAP_VK_XML] = VKR_PROTO_VK_XML_VERSION;
	cap[CAP_SERIALIZATION] = VKR_PROTO_COMMAND_SERIALIZATION_SPEC_VERSION;
	cap[CAP_VENUS_PROTOCOL] = VKR_PROTO_VENUS_PROTOCOL_SPEC_VERSION;
	cap[CAP_BLOB_ID_0] = 1;
	memcpy(&cap[CAP_EXT_MASK], vb->ext_mask, sizeof(vb->ext_mask));
	cap[CAP_WAIT_SYNCS] = 1;
	cap[CAP_MULTI_TIMELINES] = 1;
	cap[CAP_GUEST_VRAM] = 0;
	const size_t n = buf_size < sizeof(cap) ? buf_size : sizeof(cap);
	memcpy(buf, cap, n);
	*written = n;
	return 0;
}

/* The decodable extensions (generated allow-list) that the host actually offers or vkr
 * emulates (vkr_wsi_emul.c), plus the two protocol extensions; bit 0 marks the mask valid. */
static int probe_host(struct vkr_backend *vb)
{
	const VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
	                               .pApplicationName = "virgl-next vkr probe",
	                               .apiVersion = VK_API_VERSION_1_1};
	const VkInstanceCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
	                                 .pApplicationInfo = &app};
	VkInstance inst;
	if (vkCreateInstance(&ci, NULL, &inst) != VK_SUCCESS)
		return -ENODEV;
	uint32_t npd = 0;
	vkEnumeratePhysicalDevices(inst, &npd, NULL);
	VkPhysicalDevice *pds = calloc(npd ? npd : 1, sizeof(*pds));
	if (!pds) {
		vkDestroyInstance(inst, NULL);
		return -ENOMEM;
	}
	vkEnumeratePhysicalDevices(inst, &npd, pds);
	uint32_t kept = 0; /* never serve a guest from a host Venus device (a loop, at best) */
	for (uint32_t p = 0; p < npd; p++)
		if (vkr_host_device_usable(vkGetPhysicalDeviceProperties2, pds[p]))
			pds[kept++] = pds[p];
	npd = kept;
	uint32_t nallow;
	const struct vkr_proto_extension *allow = vkr_proto_extensions(&nallow);
	memset(vb->ext_mask, 0, sizeof(vb->ext_mask));
	vb->ext_mask[0] = 1;
	for (uint32_t i = 0; i < nallow; i++) {
		bool offered = !strcmp(allow[i].name, "VK_EXT_command_serialization") ||
		               !strcmp(allow[i].name, "VK_MESA_venus_protocol") ||
		               vkr_wsi_emul_extension(allow[i].name); /* emulated where missing */
		for (uint32_t p = 0; p < npd && !offered; p++) {
			uint32_t n = 0;
			vkEnumerateDeviceExtensionProperties(pds[p], NULL, &n, NULL);
			VkExtensionProperties *e = calloc(n ? n : 1, sizeof(*e));
			if (e && vkEnumerateDeviceExtensionProperties(pds[p], NULL, &n, e) >= 0)
				for (uint32_t k = 0; k < n && !offered; k++)
					offered = !strcmp(e[k].extensionName, allow[i].name);
			free(e);
		}
		if (offered && allow[i].number < 32 * VKR_PROTO_EXTENSION_MASK_WORDS)
			vb->ext_mask[allow[i].number / 32] |= 1u << (allow[i].number % 32);
	}
	free(pds);
	vkDestroyInstance(inst, NULL);
	return npd ? 0 : -ENODEV;
}

static int probe_once(struct vkr_backend *vb)
{
	pthread_mutex_lock(&vb->probe_lock);
	if (!vb->probed) {
		const int ret = probe_host(vb);
		vb->probed = ret ? ret : 1;
		if (ret)
			vgn_warn(vb->base.renderer, "vkr: no usable host Vulkan device (%s)",
			         strerror(-ret));
	}
	const int ret = vb->probed < 0 ? vb->probed : 0;
	pthread_mutex_unlock(&vb->probe_lock);
	return ret;
}

bool vkr_host_device_usable(PFN_vkGetPhysicalDeviceProperties2 get_props2, VkPhysicalDevice pd)
{
	VkPhysicalDeviceDriverProperties driver = {
	    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
	VkPhysicalDeviceProperties2 props = {
	    .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, .pNext = &driver};
	if (!get_props2)
		return true;
	get_props2(pd, &props);
	return driver.driverID != VK_DRIVER_ID_MESA_VENUS &&
	       strncmp(props.properties.deviceName, "Virtio-GPU Venus", 16) != 0;
}

/* -- shm resources --------------------------------------------------------------------------- */

struct vkr_shm *vkr_shm_get(struct vkr_context *ctx, uint32_t res_id)
{
	struct vkr_shm *found = NULL;
	pthread_mutex_lock(&ctx->shm_lock);
	for (struct vkr_shm *s = ctx->shms; s && !found; s = s->next) {
		if (s->res_id == res_id) {
			found = s;
			atomic_fetch_add(&s->refs, 1);
		}
	}
	pthread_mutex_unlock(&ctx->shm_lock);
	return found;
}

void vkr_shm_put(struct vkr_shm *shm)
{
	if (atomic_fetch_sub(&shm->refs, 1) != 1)
		return;
	munmap(shm->ptr, shm->size);
	free(shm);
}

static int attach_resource(struct vgn_backend *b, struct vgn_context *vctx,
                           struct vgn_resource *res)
{
	struct vkr_context *ctx = vctx->backend_data;
	struct vgn_blob *blob = res->blob;
	/* Only plain shared memory (HOST3D, blob_id 0) carries rings, replies and streams. */
	if (!blob || blob->blob_mem != VGN_BLOB_MEM_HOST3D || blob->blob_id || blob->mem.fd < 0 ||
	    blob->mem.handle_type != VGN_HANDLE_TYPE_SHM)
		return 0;
	struct vkr_shm *shm = calloc(1, sizeof(*shm));
	if (!shm)
		return -ENOMEM;
	shm->ptr = mmap(NULL, blob->blob_size, PROT_READ | PROT_WRITE, MAP_SHARED, blob->mem.fd, 0);
	if (shm->ptr == MAP_FAILED) {
		free(shm);
		return -ENOMEM;
	}
	shm->res_id = res->res_id;
	shm->size = blob->blob_size;
	atomic_init(&shm->refs, 1);
	pthread_mutex_lock(&ctx->shm_lock);
	shm->next = ctx->shms;
	ctx->shms = shm;
	pthread_mutex_unlock(&ctx->shm_lock);
	return 0;
}

static void detach_resource(struct vgn_backend *b, struct vgn_context *vctx,
                            struct vgn_resource *res)
{
	struct vkr_context *ctx = vctx->backend_data;
	struct vkr_shm *shm = NULL;
	pthread_mutex_lock(&ctx->shm_lock);
	for (struct vkr_shm **p = &ctx->shms; *p; p = &(*p)->next) {
		if ((*p)->res_id == res->res_id) {
			shm = *p;
			*p = shm->next;
			break;
		}
	}
	pthread_mutex_unlock(&ctx->shm_lock);
	if (!shm)
		return;
	/* A ring still on it is a protocol violation (spec 1.4); the mapping stays valid until
	 * its last user lets go either way. */
	bool ring_uses = false;
	pthread_mutex_lock(&ctx->ring_lock);
	for (struct vkr_ring *r = ctx->rings; r && !ring_uses; r = r->next)
		ring_uses = r->shm == shm;
	pthread_mutex_unlock(&ctx->ring_lock);
	/* At context teardown the core detaches everything before destroying us: no error. */
	if (ring_uses && !vctx->destroyed)
		vkr_context_fatal(ctx, -EBUSY, "resource of a live ring unreferenced");
	vkr_shm_put(shm);
}

/* -- contexts ------------------------------------------------------------------------------- */

void vkr_context_fatal(struct vkr_context *ctx, int err, const char *why)
{
	if (atomic_exchange(&ctx->fatal, true))
		return;
	vgn_warn(ctx->renderer, "vkr context %u: fatal: %s", ctx->ctx_id, why);
	vgn_context_set_fatal(ctx->vctx, err, why);
	pthread_mutex_lock(&ctx->ring_lock);
	for (struct vkr_ring *r = ctx->rings; r; r = r->next)
		vkr_ring_set_fatal(r);
	pthread_mutex_unlock(&ctx->ring_lock);
}

static int context_create(struct vgn_backend *b, struct vgn_context *vctx)
{
	if (vctx->capset_id != VGN_CAPSET_VENUS)
		return -EINVAL;
	int ret = probe_once((struct vkr_backend *)b);
	if (ret)
		return ret;
	struct vkr_context *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->backend = (struct vkr_backend *)b;
	ctx->vctx = vctx;
	ctx->renderer = b->renderer;
	ctx->ctx_id = vctx->ctx_id;
	atomic_init(&ctx->fatal, false);
	if (vkr_objects_init(&ctx->objects, ctx, b->renderer->max_objects_per_context)) {
		free(ctx);
		return -ENOMEM;
	}
	pthread_mutex_init(&ctx->shm_lock, NULL);
	pthread_mutex_init(&ctx->ring_lock, NULL);
	pthread_mutex_init(&ctx->fence_lock, NULL);
	pthread_cond_init(&ctx->fence_cond, NULL);
	pthread_mutex_init(&ctx->monitor_lock, NULL);
	vkr_ring_cond_init(&ctx->monitor_cond);
	vkr_stream_init(&ctx->stream, ctx, NULL);
	vkr_context_destroy_objects(ctx); /* nothing yet: installs the extras' destructor */
	vctx->backend_data = ctx;
	return 0;
}

static void context_destroy(struct vgn_backend *b, struct vgn_context *vctx)
{
	struct vkr_context *ctx = vctx->backend_data;
	if (!ctx)
		return;
	/* Rings first (they call into everything else), then the monitor, fences, objects. */
	for (;;) {
		pthread_mutex_lock(&ctx->ring_lock);
		pthread_mutex_lock(&ctx->monitor_lock);
		struct vkr_ring *r = ctx->rings;
		if (r)
			ctx->rings = r->next;
		pthread_mutex_unlock(&ctx->monitor_lock);
		pthread_mutex_unlock(&ctx->ring_lock);
		if (!r)
			break;
		vkr_ring_destroy(r);
	}
	vkr_monitor_stop(ctx);
	vkr_context_destroy_objects(ctx);
	vkr_fence_thread_stop(ctx);
	vkr_stream_fini(&ctx->stream);
	while (ctx->shms) {
		struct vkr_shm *s = ctx->shms;
		ctx->shms = s->next;
		vkr_shm_put(s);
	}
	vkr_objects_fini(&ctx->objects);
	pthread_cond_destroy(&ctx->monitor_cond);
	pthread_mutex_destroy(&ctx->monitor_lock);
	pthread_cond_destroy(&ctx->fence_cond);
	pthread_mutex_destroy(&ctx->fence_lock);
	pthread_mutex_destroy(&ctx->ring_lock);
	pthread_mutex_destroy(&ctx->shm_lock);
	free(ctx);
	vctx->backend_data = NULL;
}

static int context_submit(struct vgn_backend *b, struct vgn_context *vctx, const uint32_t *cmd,
                          size_t size)
{
	struct vkr_context *ctx = vctx->backend_data;
	if (atomic_load(&ctx->fatal))
		return -EIO;
	return vkr_stream_run(&ctx->stream, cmd, size, NULL, NULL);
}

static int context_fence(struct vgn_backend *b, struct vgn_context *vctx, uint32_t ring_idx,
                         uint64_t fence_id)
{
	return vkr_context_fence(vctx->backend_data, ring_idx, fence_id);
}

static int context_get_blob(struct vgn_backend *b, struct vgn_context *vctx, uint64_t blob_id,
                            uint64_t size, uint32_t blob_flags, struct vgn_blob_memory *out)
{
	return vkr_memory_blob(vctx->backend_data, blob_id, size, out);
}

static void backend_destroy(struct vgn_backend *b)
{
	pthread_mutex_destroy(&((struct vkr_backend *)b)->probe_lock);
	free(b);
}

static const struct vgn_backend_ops vkr_ops = {
    .name = "vkr",
    .backend_bit = VGN_BACKEND_VULKAN,
    .destroy = backend_destroy,
    .capset_info = capset_info,
    .capset_fill = capset_fill,
    .context_create = context_create,
    .context_destroy = context_destroy,
    .context_submit = context_submit,
    .context_attach_resource = attach_resource,
    .context_detach_resource = detach_resource,
    .context_fence = context_fence,
    .context_get_blob = context_get_blob,
    .query = vkr_query,
};

int vgn_vkr_backend_create(vgn_renderer *r, const struct vgn_renderer_params *params,
                           struct vgn_backend **out)
{
	struct vkr_backend *vb = calloc(1, sizeof(*vb));
	if (!vb)
		return -ENOMEM;
	/* Every object type the generated creators make must be destroyable at teardown. */
	VkObjectType missing;
	if (vkr_teardown_check(&missing)) {
		vgn_err(r, "vkr: object type %d has no teardown destroyer (vkr_teardown.c)",
		        (int)missing);
		free(vb);
		return -ENOTSUP;
	}
	/* Cheap check that a loader answers; the drivers are probed on first use. */
	uint32_t version = 0;
	if (vkEnumerateInstanceVersion(&version) != VK_SUCCESS || version < VK_API_VERSION_1_1 ||
	    pthread_mutex_init(&vb->probe_lock, NULL)) {
		free(vb);
		return -ENODEV;
	}
	vb->base.ops = &vkr_ops;
	vb->base.renderer = r;
	*out = &vb->base;
	return 0;
}
