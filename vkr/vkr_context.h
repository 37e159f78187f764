/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * vkr internals: one vkr_context per Venus context (one guest VkInstance), its object table,
 * its shared-memory resources, its command streams (the context stream and one per ring),
 * rings, queues and the fence thread. Spec: /work/shared/spec/venus.md.
 *
 * Threads: the context stream runs in context_submit (core context lock held); each ring has a
 * thread; one monitor thread sets ALIVE; one fence thread retires context fences. Shared state
 * has its own locks (objects, resources, rings, fences); none of them is held across a host
 * Vulkan call that may block.
 */
#ifndef VKR_CONTEXT_H
#define VKR_CONTEXT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend.h"
#include "vkr_proto_pt.h"

struct vgn_context;
struct vkr_context;

#define VKR_MAX_RINGS 64 /* timelines: ring_idx 1..63 name queues */

/* -- object table (vkr_objects.c) ---------------------------------------------------------- */

struct vkr_object {
	uint64_t id;
	uint64_t handle;
	uint64_t parent; /* host handle of the device or pool it dies with; 0 for none */
	VkObjectType type;
	void *extra; /* memory / device / queue state, freed by vkr_objects_remove's callback */
};

struct vkr_objects {
	pthread_mutex_t lock;
	struct vkr_object *slots; /* dense array, `count` used */
	uint32_t count, cap;
	/* open addressing: index+1 of slots, 0 empty; by id and by (type, handle) */
	uint32_t *by_id, *by_handle;
	uint32_t hash_cap; /* power of two, > 2 * cap */
	uint32_t limit;    /* most live bindings (renderer's max_objects_per_context) */
	void (*free_extra)(struct vkr_context *ctx, struct vkr_object *obj);
	struct vkr_context *ctx;
};

int vkr_objects_init(struct vkr_objects *t, struct vkr_context *ctx, uint32_t limit);
void vkr_objects_fini(struct vkr_objects *t);
int vkr_objects_lookup(struct vkr_objects *t, VkObjectType type, uint64_t id, uint64_t *handle,
                       void **extra);
/* The id bound to (type, handle), 0 if none. */
uint64_t vkr_objects_id_of(struct vkr_objects *t, VkObjectType type, uint64_t handle);
void *vkr_objects_extra_of(struct vkr_objects *t, VkObjectType type, uint64_t handle);
int vkr_objects_check_new(struct vkr_objects *t, uint64_t id);
int vkr_objects_add(struct vkr_objects *t, VkObjectType type, uint64_t id, uint64_t handle,
                    uint64_t parent, void *extra);
/* Removes (type, handle) and, recursively, everything whose parent it is. */
void vkr_objects_remove(struct vkr_objects *t, VkObjectType type, uint64_t handle);
void vkr_objects_remove_children(struct vkr_objects *t, uint64_t parent);

/* -- shared-memory resources (blob_id 0 blobs) --------------------------------------------- */

struct vkr_shm {
	uint32_t res_id;
	atomic_uint refs;
	uint8_t *ptr;
	uint64_t size;
	struct vkr_shm *next;
};

/* A reference to the mapping of res_id, or NULL. */
struct vkr_shm *vkr_shm_get(struct vkr_context *ctx, uint32_t res_id);
void vkr_shm_put(struct vkr_shm *shm);

/* -- command streams (vkr_stream.c) --------------------------------------------------------- */

struct vkr_ring;

struct vkr_stream {
	struct vkr_dispatch dispatch; /* first: handlers get &stream->dispatch */
	struct vkr_context *ctx;
	struct vkr_ring *ring; /* NULL: the context stream */
	struct vkr_arena arena;
	struct vkr_cs_encoder reply;
	struct vkr_shm *reply_shm; /* keeps the reply region mapped */
	uint64_t reply_offset, reply_size;
	bool in_execute; /* vkExecuteCommandStreamsMESA does not nest */
};

void vkr_stream_init(struct vkr_stream *s, struct vkr_context *ctx, struct vkr_ring *ring);
void vkr_stream_fini(struct vkr_stream *s);
/* Decodes and runs every command of data (a private copy). after_each, if set, runs after
 * each command with the number of bytes consumed so far. 0 or a negative errno (fatal). */
int vkr_stream_run(struct vkr_stream *s, const void *data, size_t size,
                   void (*after_each)(void *user, size_t consumed), void *user);
/* Installs every handler (pass-through first, then the hand-written ones). */
void vkr_dispatch_install(struct vkr_dispatch *d);
static inline struct vkr_stream *vkr_stream_of(struct vkr_dispatch *d)
{
	return (struct vkr_stream *)d;
}

/* -- rings (vkr_ring.c) --------------------------------------------------------------------- */

struct vkr_ring {
	struct vkr_context *ctx;
	uint64_t id;
	struct vkr_shm *shm;
	volatile uint32_t *head, *tail, *status;
	uint8_t *buffer;
	uint32_t buffer_size;
	uint8_t *extra;
	uint64_t extra_size;
	uint64_t idle_timeout_ns;
	uint32_t monitor_period_us; /* 0: not monitored */
	int32_t priority;
	bool has_priority;

	struct vkr_stream stream;
	uint8_t *copy; /* private copy of the pending bytes, buffer_size long */
	uint32_t cur;  /* head as we know it */

	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;     /* notify / stop / virtqueue seqno */
	pthread_cond_t progress; /* head moved, went idle, or died */
	bool notified, stop, dead, idle;
	uint64_t vq_seqno;
	struct vkr_ring *next;
};

int vkr_ring_create(struct vkr_context *ctx, uint64_t id, const VkRingCreateInfoMESA *info);
void vkr_ring_destroy(struct vkr_ring *ring);
struct vkr_ring *vkr_ring_find(struct vkr_context *ctx, uint64_t id);
void vkr_ring_notify(struct vkr_ring *ring);
/* Blocks until head reaches seqno; -EPIPE if it never will. */
int vkr_ring_wait_seqno(struct vkr_ring *ring, uint32_t seqno);
void vkr_ring_submit_vq_seqno(struct vkr_ring *ring, uint64_t seqno);
int vkr_ring_wait_vq_seqno(struct vkr_ring *ring, uint64_t seqno);
void vkr_ring_set_fatal(struct vkr_ring *ring);
void vkr_monitor_stop(struct vkr_context *ctx);

/* -- device-level state (vkr_device.c) ------------------------------------------------------ */

struct vkr_physical_device {
	VkPhysicalDevice handle;
	uint64_t id;
	uint32_t emul; /* VKR_EMUL_* (vkr_wsi_emul.h): extensions vkr emulates on it */
};

struct vkr_device {
	VkDevice handle;
	VkPhysicalDevice physical;
	VkPhysicalDeviceMemoryProperties mem_props;
	bool host_import;          /* VK_EXT_external_memory_host enabled */
	uint64_t import_alignment; /* minImportedHostPointerAlignment */
	uint32_t emul; /* VKR_EMUL_* the guest enabled (stripped from the host's list) */
};

struct vkr_queue {
	VkQueue handle;
	struct vkr_device *device;
	uint32_t ring_idx;
	pthread_mutex_t submit_lock;
};

struct vkr_memory {
	int fd;              /* memfd backing a host-visible allocation, -1 if none */
	void *ptr;           /* our mapping of it */
	uint64_t size;       /* of the memfd */
	uint64_t alloc_size; /* the host allocation: bound ranges must fit (vkr_buffer.c) */
};

struct vkr_pending_fence {
	VkDevice device;
	VkFence fence;
	uint32_t ring_idx;
	uint64_t fence_id;
	struct vkr_pending_fence *next;
};

/* -- the context --------------------------------------------------------------------------- */

struct vkr_backend;

struct vkr_context {
	struct vkr_backend *backend;
	struct vgn_context *vctx;
	vgn_renderer *renderer;
	uint32_t ctx_id;
	atomic_bool fatal;

	struct vkr_objects objects;
	struct vkr_procs procs;
	/* host functions outside the protocol */
	PFN_vkDeviceWaitIdle DeviceWaitIdle;
	PFN_vkGetMemoryHostPointerPropertiesEXT GetMemoryHostPointerPropertiesEXT;
	bool have_procs;
	VkInstance instance; /* host; VK_NULL_HANDLE before vkCreateInstance */
	uint64_t instance_id;
	struct vkr_physical_device *pdevs;
	uint32_t num_pdevs;

	pthread_mutex_t shm_lock;
	struct vkr_shm *shms;

	struct vkr_stream stream; /* the context stream */

	pthread_mutex_t ring_lock; /* rings list, queues[] */
	struct vkr_ring *rings;
	struct vkr_queue *queues[VKR_MAX_RINGS];

	/* monitor thread */
	pthread_t monitor;
	/* The monitor's own lock: it guards monitor_stop and monitor_cond, and the rings list
	 * for reading (writers hold ring_lock, then this). ring_lock alone would stall ALIVE
	 * reports while a fence waits behind a long host submit (a Venus guest then aborts). */
	pthread_mutex_t monitor_lock;
	bool monitor_running, monitor_stop;
	pthread_cond_t monitor_cond;

	/* fence thread */
	pthread_mutex_t fence_lock;
	pthread_cond_t fence_cond;
	struct vkr_pending_fence *fence_head, *fence_tail;
	bool fence_stop, fence_running;
	pthread_t fence_thread;
};

/* False for host devices we must not serve a guest from (a host Venus device). */
bool vkr_host_device_usable(PFN_vkGetPhysicalDeviceProperties2 get_props2, VkPhysicalDevice pd);

/* Marks the context fatal: logs, tells the core, sets FATAL on every ring. */
void vkr_context_fatal(struct vkr_context *ctx, int err, const char *why);

/* vkr_device.c */
void vkr_device_install(struct vkr_dispatch *d);
/* vkr_buffer.c: buffer creation, binds and fill/update/copy ranges, checked. */
void vkr_buffer_install(struct vkr_dispatch *d);
void vkr_context_destroy_objects(struct vkr_context *ctx);
/* vkr_teardown.c: destroys the host objects device still owns (their bindings stay). */
void vkr_destroy_device_objects(struct vkr_context *ctx, VkDevice device);
/* -ENOTSUP (and *missing) if a pass-through creator makes a type teardown cannot destroy. */
int vkr_teardown_check(VkObjectType *missing);
/* Destroys a host object that could not be bound (parent: its device). */
void vkr_destroy_untracked(struct vkr_context *ctx, VkObjectType type, uint64_t handle,
                           uint64_t device);
int vkr_context_fence(struct vkr_context *ctx, uint32_t ring_idx, uint64_t fence_id);
void vkr_fence_thread_stop(struct vkr_context *ctx);
int vkr_memory_blob(struct vkr_context *ctx, uint64_t id, uint64_t size,
                    struct vgn_blob_memory *out);
/* vkr_transport.c */
void vkr_transport_install(struct vkr_dispatch *d);

#endif
