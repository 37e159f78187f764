/* SPDX-License-Identifier: MIT */
/*
 * The renderer instance: everything hangs off it, there is no process-global
 * mutable state anywhere in the library.
 *
 * Lock order (outermost first; a thread only ever takes locks further down the
 * list than the ones it already holds, and never two of the same kind):
 *
 *   1. ctx->lock          per context (context.h): serialises every backend call on
 *                         that context and guards its attachment table.
 *   2. res->lock          per resource (resource.h): backing, blob mapping state and
 *                         backend resource_* calls.
 *   3. r->lock            renderer: the context and resource id tables only. Held
 *                         for a lookup/insert/remove plus a reference count change,
 *                         never across backend work, allocation-heavy work or a
 *                         callback.
 *   4. r->events.lock     fence timelines and the event queue (fence.h). Leaf.
 *   -  res->backing_lock  guest backing fields of one resource (resource.h). Leaf:
 *                         taken under anything (backends inside a submit, which
 *                         may not take res->lock), nothing taken under it.
 *
 * fence_retired/context_fatal callbacks are called with no lock held at all. The
 * log callback is never called with r->lock or r->events.lock held, so a callback
 * may call vgn_renderer_get_features / vgn_context_get_retired_fence (which take
 * only 3 and 4); it may be called with a ctx or res lock held (backends log while
 * decoding), which is why callbacks must not call other library functions.
 *
 * Objects are reference counted (atomics): a lookup takes a reference under
 * r->lock, so the object outlives the table entry for as long as the caller
 * uses it.
 */
#ifndef VGN_RENDERER_H
#define VGN_RENDERER_H

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "backend.h"
#include "fence.h"
#include "log.h"
#include "stats.h"
#include "table.h"
#include "virgl-next/virgl_next.h"

/* Library defaults for the per-context limits (0 in the params). */
#define VGN_DEFAULT_MAX_RESOURCES_PER_CONTEXT 65536u
#define VGN_DEFAULT_MAX_BYTES_PER_CONTEXT (8ull << 30)
#define VGN_DEFAULT_MAX_SUBMIT_BYTES (64u << 20)
/* Per-instance cap on one classic resource's total (guest layout) size. */
#define VGN_MAX_RESOURCE_BYTES (2ull << 30)
/* Library defaults for the renderer-wide limits (ABI v2 params, 0 = these). The
 * byte budget is also capped at the host's physical memory when that is known. */
#define VGN_DEFAULT_MAX_TOTAL_BYTES (8ull << 30)
#define VGN_DEFAULT_MAX_RESOURCES (1u << 20)
#define VGN_DEFAULT_MAX_CONTEXTS 4096u
#define VGN_DEFAULT_MAX_OBJECTS_PER_CONTEXT (1u << 20)
#define VGN_DEFAULT_MAX_SHADER_BYTES (1u << 20)
#define VGN_DEFAULT_MAX_RING_BYTES (16u << 20)

/* What the core itself offers (blob.c): guest blobs and memfd host blobs, exported
 * as SHM, mapped cached. */
#define VGN_CORE_BLOB_MEM_TYPES ((1u << VGN_BLOB_MEM_GUEST) | (1u << VGN_BLOB_MEM_HOST3D))
#define VGN_CORE_BLOB_FLAGS                                                                        \
	(VGN_BLOB_FLAG_MAPPABLE | VGN_BLOB_FLAG_SHAREABLE | VGN_BLOB_FLAG_CROSS_DEVICE)
#define VGN_CORE_EXPORT_HANDLE_TYPES (1u << VGN_HANDLE_TYPE_SHM)
#define VGN_CORE_MAP_CACHE_TYPES (1u << VGN_MAP_CACHE_CACHED)

/* Room for GL + Vulkan + CPU2D plus a few added by unit tests. */
#define VGN_MAX_BACKENDS 8

struct vgn_renderer {
	pthread_mutex_t lock;    /* guards contexts, resources (see the lock order above) */
	struct vgn_log log;      /* immutable after create */
	struct vgn_callbacks cb; /* immutable after create; all-NULL if none given */
	uint32_t flags;          /* VGN_RENDERER_FLAG_* */
	uint32_t debug_flags;    /* VGN_DEBUG_* (ABI v3) */

	/* Limits, immutable after create. */
	uint32_t max_resources_per_context;
	uint64_t max_bytes_per_context;
	uint32_t max_submit_bytes;
	uint64_t max_resource_bytes; /* cap on one classic resource (VGN_MAX_RESOURCE_BYTES) */
	uint64_t max_total_bytes;    /* renderer-wide host bytes of all resources */
	uint32_t max_resources;      /* renderer-wide resource count */
	uint32_t max_contexts;
	uint32_t max_rings_per_context;
	/* Not enforced by the core: backends cap their own per-context object
	 * tables with it (context fatal when a stream exceeds it). */
	uint32_t max_objects_per_context;
	uint32_t max_shader_bytes; /* read by vrend when a sub-context starts */
	uint32_t max_ring_bytes;   /* read by vkr at ring creation */

	/* Budget in use (vgn_budget_charge/refund): lock-free so that the last
	 * resource reference may drop under any lock. */
	_Atomic uint64_t used_total_bytes;
	_Atomic uint32_t used_resources;

	/* Backends in preference order (CPU2D last); immutable after create except
	 * through vgn_renderer_add_backend() before any object exists. */
	struct vgn_backend *backends[VGN_MAX_BACKENDS];
	uint32_t num_backends;
	uint32_t backend_mask; /* VGN_BACKEND_* running */
	uint64_t capset_mask;  /* bit N: capset id N served by some backend */

	struct vgn_table contexts;  /* ctx_id -> struct vgn_context * (r->lock) */
	struct vgn_table resources; /* res_id -> struct vgn_resource * (r->lock) */

	struct vgn_events events; /* fence timelines and event delivery */

	struct vgn_stats stats; /* data-path counters (stats.h), lock-free */
};

/*
 * Size-versioned input struct: copies min(size, sizeof) bytes of src into dst and
 * zeroes the rest. -EINVAL if src is NULL or its size field is below v1_size.
 */
static inline int vgn_copy_in(void *dst, size_t dst_size, const void *src, size_t v1_size)
{
	if (!src)
		return -EINVAL;
	uint32_t size;
	memcpy(&size, src, sizeof(size));
	if (size < v1_size)
		return -EINVAL;
	size_t n = size < dst_size ? size : dst_size;
	memset(dst, 0, dst_size);
	memcpy(dst, src, n);
	return 0;
}

/* Size-versioned output struct: writes at most the caller's size (which must be at
 * least v1_size) of src into dst, keeping the caller's size field. */
static inline int vgn_copy_out(void *dst, const void *src, size_t src_size, size_t v1_size)
{
	if (!dst)
		return -EINVAL;
	uint32_t size;
	memcpy(&size, dst, sizeof(size));
	if (size < v1_size)
		return -EINVAL;
	size_t n = size < src_size ? size : src_size;
	memcpy((char *)dst + sizeof(size), (const char *)src + sizeof(size), n - sizeof(size));
	return 0;
}

/*
 * Internal (not exported): adds a backend after create, before any context or
 * resource exists; it is placed before CPU2D in the preference order. The
 * renderer takes ownership (calls ops->destroy at renderer destroy) on success.
 * Used by unit tests to plug in a fake backend that serves a capset.
 * 0, -EINVAL (NULL, no ops), -EBUSY (objects exist) or -ENOSPC (too many).
 */
int vgn_renderer_add_backend(vgn_renderer *r, struct vgn_backend *b);

/* Renderer-wide budget: charges one resource and `bytes` host bytes. 0, or
 * -ENOSPC (nothing charged) when either limit would be exceeded. */
int vgn_budget_charge(vgn_renderer *r, uint64_t bytes);
/* Gives back what one successful vgn_budget_charge took. */
void vgn_budget_refund(vgn_renderer *r, uint64_t bytes);

/* Backend serving capset_id (has context_create and answers capset_info), or NULL. */
struct vgn_backend *vgn_renderer_backend_for_capset(vgn_renderer *r, uint32_t capset_id);

#endif
