/* SPDX-License-Identifier: MIT */
/* The renderer instance: create/destroy, backends, features, lifecycle. */
#include "renderer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "context.h"
#include "query.h"
#include "resource.h"
#include "worker/proxy.h"

/* GPU backends are linked in only when built (see backend.h). */
#pragma weak vgn_vrend_backend_create
#pragma weak vgn_vkr_backend_create

#define VGN_BACKENDS_ALL (VGN_BACKEND_CPU2D | VGN_BACKEND_GL | VGN_BACKEND_VULKAN)
#define VGN_RENDERER_FLAGS_ALL                                                                     \
	(VGN_RENDERER_FLAG_THREAD_CALLBACKS | VGN_RENDERER_FLAG_WORKER_PROCESS)
#define VGN_DEBUG_FLAGS_ALL VGN_DEBUG_WORKER_HOOKS

typedef int (*gpu_backend_factory)(vgn_renderer *r, const struct vgn_renderer_params *params,
                                   struct vgn_backend **out);

/* GPU backends in preference order (the first that takes a classic resource owns
 * it; CPU2D comes after them). In worker-process mode the Vulkan backend is the
 * proxy that runs vkr in worker processes, which needs vkr in this library (the
 * worker executable links it). */
static gpu_backend_factory gpu_factory(uint32_t bit, uint32_t flags)
{
	switch (bit) {
	case VGN_BACKEND_GL:
		return vgn_vrend_backend_create;
	case VGN_BACKEND_VULKAN:
		if (flags & VGN_RENDERER_FLAG_WORKER_PROCESS)
			return vgn_vkr_backend_create ? vgn_worker_backend_create : NULL;
		return vgn_vkr_backend_create;
	default:
		return NULL;
	}
}

static const char *backend_name(uint32_t bit, uint32_t flags)
{
	switch (bit) {
	case VGN_BACKEND_GL:
		return "GL (vrend)";
	case VGN_BACKEND_VULKAN:
		if (flags & VGN_RENDERER_FLAG_WORKER_PROCESS)
			return "Vulkan (vkr in worker processes)";
		return "Vulkan (vkr)";
	default:
		return "CPU2D";
	}
}

/* Recomputes the capset mask: bit N for every id some backend answers. */
static void probe_capsets(vgn_renderer *r)
{
	r->capset_mask = 0;
	for (uint32_t i = 0; i < r->num_backends; i++) {
		struct vgn_backend *b = r->backends[i];
		if (!b->ops->capset_info || !b->ops->context_create)
			continue;
		for (uint32_t id = 1; id < 64; id++) {
			uint32_t v, s;
			if (b->ops->capset_info(b, id, &v, &s) == 0)
				r->capset_mask |= 1ull << id;
		}
	}
}

/* Rejected params: there is no instance to log through yet, so tell the caller's
 * log callback directly when there is one. */
static int bad_params(const struct vgn_renderer_params *p, const char *why)
{
	if (p->callbacks.log)
		p->callbacks.log(p->callbacks.user_data, VGN_LOG_ERROR, why);
	return -EINVAL;
}

static int check_params(const struct vgn_renderer_params *p)
{
	if (p->flags & ~VGN_RENDERER_FLAGS_ALL)
		return bad_params(p, "vgn_renderer_create: unknown flags");
	if (p->debug_flags & ~VGN_DEBUG_FLAGS_ALL)
		return bad_params(p, "vgn_renderer_create: unknown debug_flags");
	if (p->backends & ~VGN_BACKENDS_ALL)
		return bad_params(p, "vgn_renderer_create: unknown backend bits");
	if ((unsigned)p->log_level > VGN_LOG_DEBUG)
		return bad_params(p, "vgn_renderer_create: bad log_level");
	if ((unsigned)p->gl_platform > VGN_GL_PLATFORM_DEVICE)
		return bad_params(p, "vgn_renderer_create: bad gl_platform");
	if (p->max_rings_per_context > VGN_MAX_RINGS)
		return bad_params(p, "vgn_renderer_create: max_rings_per_context above "
		                     "VGN_MAX_RINGS");
	const struct vgn_callbacks *cb = &p->callbacks;
	if (cb->size == 0) {
		/* No callbacks struct: it must really be empty. */
		if (cb->user_data || cb->log || cb->fence_retired || cb->context_fatal)
			return bad_params(p, "vgn_renderer_create: callbacks.size is 0 but "
			                     "callbacks are set (set callbacks.size)");
	} else if (cb->size < VGN_CALLBACKS_SIZE_V1) {
		return bad_params(p, "vgn_renderer_create: callbacks.size too small");
	}
	return 0;
}

static void destroy_backends(vgn_renderer *r)
{
	/* Reverse order: CPU2D (created first) goes last. */
	for (uint32_t i = r->num_backends; i-- > 0;) {
		struct vgn_backend *b = r->backends[i];
		if (b->ops->destroy)
			b->ops->destroy(b);
	}
	r->num_backends = 0;
}

static int start_backends(vgn_renderer *r, const struct vgn_renderer_params *p)
{
	struct vgn_backend *cpu2d = NULL;
	int ret = vgn_cpu2d_backend_create(r, &cpu2d);
	if (ret) {
		vgn_err(r, "CPU2D backend failed to start: %s", vgn_strerror(ret));
		return ret;
	}

	/* 0 = every backend this build has. */
	uint32_t wanted = p->backends ? p->backends : VGN_BACKENDS_ALL;
	static const uint32_t gpu_bits[] = {VGN_BACKEND_GL, VGN_BACKEND_VULKAN};
	for (size_t i = 0; i < sizeof(gpu_bits) / sizeof(gpu_bits[0]); i++) {
		uint32_t bit = gpu_bits[i];
		bool explicit = p->backends & bit;
		if (!(wanted & bit))
			continue;
		gpu_backend_factory create = gpu_factory(bit, p->flags);
		if (!create) {
			if (explicit) {
				vgn_err(r,
				        "backend %s was asked for but is not built into this "
				        "library",
				        backend_name(bit, p->flags));
				ret = -ENODEV;
				goto err;
			}
			continue;
		}
		struct vgn_backend *b = NULL;
		ret = create(r, p, &b);
		if (ret || !b) {
			if (explicit) {
				vgn_err(r, "backend %s failed to start: %s",
				        backend_name(bit, p->flags),
				        vgn_strerror(ret ? ret : -ENODEV));
				ret = -ENODEV;
				goto err;
			}
			vgn_warn(r, "backend %s is not available: %s", backend_name(bit, p->flags),
			         vgn_strerror(ret ? ret : -ENODEV));
			continue;
		}
		r->backends[r->num_backends++] = b;
		r->backend_mask |= bit;
		vgn_info(r, "backend %s started", backend_name(bit, p->flags));
	}
	/* CPU2D is always there and comes last: GPU backends take classic resources
	 * first so that their contexts can use them. */
	r->backends[r->num_backends++] = cpu2d;
	r->backend_mask |= VGN_BACKEND_CPU2D;
	probe_capsets(r);
	return 0;

err:
	destroy_backends(r);
	cpu2d->ops->destroy(cpu2d);
	return ret;
}

/* Physical memory in bytes, 0 if unknown. */
static uint64_t phys_bytes(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), ps = sysconf(_SC_PAGESIZE);
	uint64_t total;
	if (pages <= 0 || ps <= 0 || __builtin_mul_overflow((uint64_t)pages, (uint64_t)ps, &total))
		return 0;
	return total;
}

/* ABI v2 limits (zero = default; fields past a v1 caller's size read as zero). */
static void set_v2_limits(vgn_renderer *r, const struct vgn_renderer_params *p)
{
	uint64_t def = VGN_DEFAULT_MAX_TOTAL_BYTES, phys = phys_bytes();
	if (phys && phys < def)
		def = phys;
	r->max_total_bytes = p->max_total_bytes ? p->max_total_bytes : def;
	r->max_resources = p->max_resources ? p->max_resources : VGN_DEFAULT_MAX_RESOURCES;
	r->max_contexts = p->max_contexts ? p->max_contexts : VGN_DEFAULT_MAX_CONTEXTS;
	r->max_rings_per_context =
	    p->max_rings_per_context ? p->max_rings_per_context : VGN_MAX_RINGS;
	r->max_objects_per_context = p->max_objects_per_context
	                                 ? p->max_objects_per_context
	                                 : VGN_DEFAULT_MAX_OBJECTS_PER_CONTEXT;
	r->max_shader_bytes =
	    p->max_shader_bytes ? p->max_shader_bytes : VGN_DEFAULT_MAX_SHADER_BYTES;
	r->max_ring_bytes = p->max_ring_bytes ? p->max_ring_bytes : VGN_DEFAULT_MAX_RING_BYTES;
	r->max_resource_bytes = VGN_MAX_RESOURCE_BYTES;
	atomic_init(&r->used_total_bytes, 0);
	atomic_init(&r->used_resources, 0);
}

int vgn_budget_charge(vgn_renderer *r, uint64_t bytes)
{
	uint32_t n = atomic_load(&r->used_resources);
	do {
		if (n >= r->max_resources) {
			vgn_warn(r, "resource limit of %u reached", r->max_resources);
			return -ENOSPC;
		}
	} while (!atomic_compare_exchange_weak(&r->used_resources, &n, n + 1));
	uint64_t used = atomic_load(&r->used_total_bytes), next;
	do {
		if (__builtin_add_overflow(used, bytes, &next) || next > r->max_total_bytes) {
			atomic_fetch_sub(&r->used_resources, 1);
			vgn_warn(r,
			         "renderer memory budget: %llu more bytes would exceed %llu "
			         "(%llu in use)",
			         (unsigned long long)bytes, (unsigned long long)r->max_total_bytes,
			         (unsigned long long)used);
			return -ENOSPC;
		}
	} while (!atomic_compare_exchange_weak(&r->used_total_bytes, &used, next));
	return 0;
}

void vgn_budget_refund(vgn_renderer *r, uint64_t bytes)
{
	atomic_fetch_sub(&r->used_total_bytes, bytes);
	atomic_fetch_sub(&r->used_resources, 1);
}

VGN_EXPORT int vgn_renderer_create(const struct vgn_renderer_params *params, vgn_renderer **out)
{
	struct vgn_renderer_params p;
	if (!out)
		return -EINVAL;
	int ret = vgn_copy_in(&p, sizeof(p), params, VGN_RENDERER_PARAMS_SIZE_V1);
	if (ret)
		return ret;
	ret = check_params(&p);
	if (ret)
		return ret;

	vgn_renderer *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	/* Callbacks and logging first, so that the rest of create can log. */
	r->cb = p.callbacks; /* all NULL when callbacks.size is 0 (checked) */
	r->log.level = p.log_level;
	r->log.fn = r->cb.log;
	r->log.user_data = r->cb.user_data;
	r->flags = p.flags;
	r->debug_flags = p.debug_flags;
	r->max_resources_per_context = p.max_resources_per_context
	                                   ? p.max_resources_per_context
	                                   : VGN_DEFAULT_MAX_RESOURCES_PER_CONTEXT;
	r->max_bytes_per_context =
	    p.max_bytes_per_context ? p.max_bytes_per_context : VGN_DEFAULT_MAX_BYTES_PER_CONTEXT;
	r->max_submit_bytes =
	    p.max_submit_bytes ? p.max_submit_bytes : VGN_DEFAULT_MAX_SUBMIT_BYTES;
	set_v2_limits(r, &p);
	pthread_mutex_init(&r->lock, NULL);
	vgn_table_init(&r->contexts);
	vgn_table_init(&r->resources);

	ret = vgn_events_init(r, p.flags & VGN_RENDERER_FLAG_THREAD_CALLBACKS);
	if (ret)
		goto err_lock;
	ret = start_backends(r, &p);
	if (ret)
		goto err_events;
	ret = vgn_events_start(r);
	if (ret)
		goto err_backends;
	*out = r;
	return 0;

err_backends:
	destroy_backends(r);
err_events:
	vgn_events_fini(r);
err_lock:
	pthread_mutex_destroy(&r->lock);
	free(r);
	return ret;
}

VGN_EXPORT void vgn_renderer_destroy(vgn_renderer *r)
{
	if (!r)
		return;
	/* Stop delivery first: no callback runs while the objects go away. */
	vgn_events_suspend(r);
	vgn_contexts_destroy_all(r);
	vgn_resources_destroy_all(r);
	destroy_backends(r);
	vgn_events_fini(r);
	vgn_table_fini(&r->contexts);
	vgn_table_fini(&r->resources);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

int vgn_renderer_add_backend(vgn_renderer *r, struct vgn_backend *b)
{
	if (!r || !b || !b->ops)
		return -EINVAL;
	pthread_mutex_lock(&r->lock);
	int ret = 0;
	if (vgn_table_count(&r->contexts) || vgn_table_count(&r->resources))
		ret = -EBUSY;
	else if (r->num_backends >= VGN_MAX_BACKENDS)
		ret = -ENOSPC;
	if (!ret) {
		/* Insert just before CPU2D (always last). */
		uint32_t at = r->num_backends - 1;
		r->backends[r->num_backends] = r->backends[at];
		r->backends[at] = b;
		r->num_backends++;
		r->backend_mask |= b->ops->backend_bit;
		probe_capsets(r);
	}
	pthread_mutex_unlock(&r->lock);
	return ret;
}

VGN_EXPORT int vgn_renderer_get_features(vgn_renderer *r, struct vgn_features *out)
{
	if (!r || !out)
		return -EINVAL;
	/* Reads only fields that are immutable after create: no lock, so callbacks
	 * may call it. */
	struct vgn_features f;
	memset(&f, 0, sizeof(f));
	memcpy(&f.size, &out->size, sizeof(f.size));
	f.abi_version = VGN_ABI_VERSION;
	f.backends = r->backend_mask & VGN_BACKENDS_ALL;
	f.features = VGN_FEATURE_SUSPEND | VGN_FEATURE_METADATA_QUERY;
	f.capset_mask = r->capset_mask;
	struct vgn_blob_caps blob; /* the same computation as RENDERER_CAPS (query.c) */
	vgn_query_blob_caps(r, &blob);
	f.blob_mem_types = blob.blob_mem_types;
	f.blob_flags = blob.blob_flags;
	f.export_handle_types = blob.export_handle_types;
	f.map_cache_types = blob.map_cache_types;
	f.max_rings = r->max_rings_per_context;
	return vgn_copy_out(out, &f, sizeof(f), VGN_FEATURES_SIZE_V1);
}

VGN_EXPORT int vgn_renderer_get_poll_fd(vgn_renderer *r)
{
	if (!r)
		return -EINVAL;
	return r->events.efd;
}

VGN_EXPORT int vgn_renderer_poll(vgn_renderer *r)
{
	if (!r)
		return -EINVAL;
	return vgn_events_poll(r);
}

VGN_EXPORT int vgn_renderer_suspend(vgn_renderer *r)
{
	if (!r)
		return -EINVAL;
	vgn_events_suspend(r);
	for (uint32_t i = 0; i < r->num_backends; i++) {
		struct vgn_backend *b = r->backends[i];
		int ret = b->ops->suspend ? b->ops->suspend(b) : 0;
		if (ret) {
			vgn_err(r, "suspend: backend %s failed: %s", b->ops->name,
			        vgn_strerror(ret));
			/* Undo: leave everything running as before the call. */
			while (i-- > 0) {
				b = r->backends[i];
				if (b->ops->resume)
					b->ops->resume(b);
			}
			vgn_events_resume(r);
			return ret;
		}
	}
	return 0;
}

VGN_EXPORT int vgn_renderer_resume(vgn_renderer *r)
{
	if (!r)
		return -EINVAL;
	int ret = 0;
	for (uint32_t i = 0; i < r->num_backends; i++) {
		struct vgn_backend *b = r->backends[i];
		int bret = b->ops->resume ? b->ops->resume(b) : 0;
		if (bret) {
			vgn_err(r, "resume: backend %s failed: %s", b->ops->name,
			        vgn_strerror(bret));
			if (!ret)
				ret = bret;
		}
	}
	vgn_events_resume(r);
	return ret;
}

VGN_EXPORT int vgn_renderer_snapshot(vgn_renderer *r, int fd)
{
	if (!r || fd < 0)
		return -EINVAL;
	vgn_warn(r, "snapshot: not supported yet (no serialisation of contexts, resources and "
	            "blobs is implemented)");
	return -ENOTSUP;
}

VGN_EXPORT int vgn_renderer_restore(vgn_renderer *r, int fd)
{
	if (!r || fd < 0)
		return -EINVAL;
	vgn_warn(r, "restore: not supported yet (no snapshot format is implemented)");
	return -ENOTSUP;
}

VGN_EXPORT const char *vgn_strerror(int err)
{
	if (err > 0)
		err = -err;
	switch (err) {
	case 0:
		return "success";
	case -EINVAL:
		return "invalid argument";
	case -ENOENT:
		return "no such object";
	case -EEXIST:
		return "id already in use";
	case -ENOTSUP:
		return "not supported";
	case -ENODEV:
		return "backend not available";
	case -ENOMEM:
		return "out of memory or over a limit";
	case -EBUSY:
		return "busy";
	case -EIO:
		return "context is dead after a fatal error";
	case -ENOSPC:
		return "no space left";
	case -EBADF:
		return "bad file descriptor";
	case -EMFILE:
		return "too many open files";
	case -EAGAIN:
		return "try again";
	case -EPERM:
		return "operation not permitted";
	case -EACCES:
		return "permission denied";
	case -EFAULT:
		return "bad address";
	case -E2BIG:
		return "too big";
	case -ERANGE:
		return "out of range";
	case -EPROTO:
		return "protocol error";
	default:
		return "unknown error";
	}
}
