/* SPDX-License-Identifier: MIT */
/*
 * virgl-next public API.
 *
 * A VMM decodes virtio-gpu commands and calls these functions. Contract summary
 * (docs/abi.md has the full text):
 *
 *  - Everything hangs off an opaque vgn_renderer; there is no process-global state.
 *  - Every fallible call returns 0 or a negative errno. Bad input changes nothing.
 *  - Every struct that crosses the ABI starts with `uint32_t size` which the caller
 *    sets to sizeof(the struct as it knows it). Fields are only ever appended; the
 *    library accepts any size >= the first published size of that struct
 *    (VGN_*_SIZE_V1) and treats fields past a smaller caller's size as zero. Output
 *    structs are written only up to the caller's size.
 *  - IDs and flag numbers follow the virtio-gpu spec (capset ids, blob mem types,
 *    blob flags, map cache types). Our own extensions are named VGN_*.
 *  - All calls are thread-safe. Calls on different contexts may run in parallel;
 *    calls on one context are serialised by the library.
 */
#ifndef VIRGL_NEXT_H
#define VIRGL_NEXT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define VGN_EXPORT __attribute__((visibility("default")))
#else
#define VGN_EXPORT
#endif

/* ABI version of this header. Bumped when functions or struct fields are added. */
#define VGN_ABI_VERSION 3

typedef struct vgn_renderer vgn_renderer;

/* ------------------------------------------------------------------------- */
/* Wire numbers from the virtio-gpu spec                                      */
/* ------------------------------------------------------------------------- */

/* Capset ids (virtio-gpu). */
#define VGN_CAPSET_VIRGL 1
#define VGN_CAPSET_VIRGL2 2
#define VGN_CAPSET_VENUS 4

/* Blob memory types (virtio-gpu VIRTIO_GPU_BLOB_MEM_*). */
#define VGN_BLOB_MEM_GUEST 1
#define VGN_BLOB_MEM_HOST3D 2
#define VGN_BLOB_MEM_HOST3D_GUEST 3

/* Blob flags (virtio-gpu VIRTIO_GPU_BLOB_FLAG_USE_*). */
#define VGN_BLOB_FLAG_MAPPABLE 0x1u
#define VGN_BLOB_FLAG_SHAREABLE 0x2u
#define VGN_BLOB_FLAG_CROSS_DEVICE 0x4u

/* Map cache types (virtio-gpu VIRTIO_GPU_MAP_CACHE_*). */
#define VGN_MAP_CACHE_NONE 0x0u
#define VGN_MAP_CACHE_CACHED 0x1u
#define VGN_MAP_CACHE_UNCACHED 0x2u
#define VGN_MAP_CACHE_WC 0x3u

/* Export handle types (ours). */
#define VGN_HANDLE_TYPE_DMABUF 1u
#define VGN_HANDLE_TYPE_OPAQUE_FD 2u
#define VGN_HANDLE_TYPE_SHM 3u

/* Gallium texture targets as virtio-gpu RESOURCE_CREATE_3D carries them. */
#define VGN_TARGET_BUFFER 0u
#define VGN_TARGET_1D 1u
#define VGN_TARGET_2D 2u
#define VGN_TARGET_3D 3u
#define VGN_TARGET_CUBE 4u
#define VGN_TARGET_RECT 5u
#define VGN_TARGET_1D_ARRAY 6u
#define VGN_TARGET_2D_ARRAY 7u
#define VGN_TARGET_CUBE_ARRAY 8u

/* A few virgl format numbers (the full table lives in the library). */
#define VGN_FORMAT_B8G8R8A8_UNORM 1u
#define VGN_FORMAT_B8G8R8X8_UNORM 2u
#define VGN_FORMAT_A8R8G8B8_UNORM 3u
#define VGN_FORMAT_X8R8G8B8_UNORM 4u
#define VGN_FORMAT_B5G6R5_UNORM 7u
#define VGN_FORMAT_R8_UNORM 64u
#define VGN_FORMAT_R8G8B8A8_UNORM 67u
#define VGN_FORMAT_X8B8G8R8_UNORM 68u
#define VGN_FORMAT_A8B8G8R8_UNORM 121u
#define VGN_FORMAT_R8G8B8X8_UNORM 134u

/* Bind flags (virgl numbering). */
#define VGN_BIND_DEPTH_STENCIL (1u << 0)
#define VGN_BIND_RENDER_TARGET (1u << 1)
#define VGN_BIND_SAMPLER_VIEW (1u << 3)
#define VGN_BIND_VERTEX_BUFFER (1u << 4)
#define VGN_BIND_INDEX_BUFFER (1u << 5)
#define VGN_BIND_CONSTANT_BUFFER (1u << 6)
#define VGN_BIND_DISPLAY_TARGET (1u << 7)
#define VGN_BIND_CURSOR (1u << 16)
#define VGN_BIND_CUSTOM (1u << 17)
#define VGN_BIND_SCANOUT (1u << 18)
#define VGN_BIND_SHARED (1u << 20)
#define VGN_BIND_LINEAR (1u << 22)

/* Resource flags (virgl numbering). */
#define VGN_RESOURCE_FLAG_Y_0_TOP (1u << 0)
#define VGN_RESOURCE_FLAG_MAP_PERSISTENT (1u << 1)
#define VGN_RESOURCE_FLAG_MAP_COHERENT (1u << 2)

/* Number of fence rings per context (virtio-gpu ring_idx is 0..63). */
#define VGN_MAX_RINGS 64u

/* ------------------------------------------------------------------------- */
/* Renderer instance                                                          */
/* ------------------------------------------------------------------------- */

enum vgn_log_level {
	VGN_LOG_ERROR = 0,
	VGN_LOG_WARN = 1,
	VGN_LOG_INFO = 2,
	VGN_LOG_DEBUG = 3,
};

/*
 * Callbacks. Which thread calls them depends on VGN_RENDERER_FLAG_THREAD_CALLBACKS:
 *  - set: a library thread owned by the renderer calls fence_retired and
 *    context_fatal; log may be called from any thread.
 *  - clear (default): fence_retired and context_fatal are only ever called from
 *    inside vgn_renderer_poll(), on the caller's thread. log is called on the
 *    thread making the API call that logs.
 * A callback must not call back into the library except vgn_renderer_* queries.
 */
struct vgn_callbacks {
	uint32_t size;
	void *user_data;
	void (*log)(void *user_data, enum vgn_log_level level, const char *message);
	/* Every fence on (ctx_id, ring_idx) with id <= fence_id has retired.
	 * ctx_id 0 is the device-wide timeline (ring_idx 0). */
	void (*fence_retired)(void *user_data, uint32_t ctx_id, uint32_t ring_idx,
	                      uint64_t fence_id);
	/* The context hit a fatal error (hostile or broken guest input, backend
	 * failure). It stays allocated but refuses further work; the VMM destroys it. */
	void (*context_fatal)(void *user_data, uint32_t ctx_id, int error, const char *reason);
};
#define VGN_CALLBACKS_SIZE_V1 ((uint32_t)sizeof(struct vgn_callbacks))

/* Backends (bit mask). */
#define VGN_BACKEND_CPU2D (1u << 0)  /* built-in: virtio-gpu 2D resources */
#define VGN_BACKEND_GL (1u << 1)     /* vrend: virgl protocol on OpenGL */
#define VGN_BACKEND_VULKAN (1u << 2) /* vkr: Venus protocol on Vulkan */

/* Renderer flags. */
#define VGN_RENDERER_FLAG_THREAD_CALLBACKS (1u << 0)
/* ABI v3: run each Venus context's backend in its own worker process, so that a
 * driver crash or hang kills only that context (docs/worker.md). */
#define VGN_RENDERER_FLAG_WORKER_PROCESS (1u << 1)

/* Debug flags (renderer params, ABI v3). Never set them in production. */
/* Worker processes obey debug submits (docs/worker.md): crash or hang on demand. */
#define VGN_DEBUG_WORKER_HOOKS (1u << 0)

/* Host GL platforms for the GL backend. */
enum vgn_gl_platform {
	VGN_GL_PLATFORM_AUTO = 0,
	VGN_GL_PLATFORM_SURFACELESS = 1,
	VGN_GL_PLATFORM_GBM = 2,
	VGN_GL_PLATFORM_DEVICE = 3,
};

struct vgn_renderer_params {
	uint32_t size;
	uint32_t flags;               /* VGN_RENDERER_FLAG_* */
	uint32_t backends;            /* VGN_BACKEND_* wanted; 0 = every backend this build has */
	enum vgn_log_level log_level; /* messages above this level are dropped */
	struct vgn_callbacks callbacks;
	const char *render_node; /* NULL = pick automatically */
	enum vgn_gl_platform gl_platform;
	uint32_t gl_use_gles; /* nonzero: ask for a GLES host context */
	/* Per-context limits; 0 = library default. */
	uint32_t max_resources_per_context;
	uint64_t max_bytes_per_context;
	uint32_t max_submit_bytes;
	/* ABI v2: renderer-wide budget and more per-context limits; 0 = library
	 * default (docs/abi.md "Limits"). Exceeding one: -ENOSPC from the call. */
	uint64_t max_total_bytes;         /* host bytes of every resource and blob together */
	uint32_t max_resources;           /* resources and blobs in the renderer */
	uint32_t max_contexts;            /* live contexts in the renderer */
	uint32_t max_rings_per_context;   /* 1..VGN_MAX_RINGS fence rings */
	uint32_t max_objects_per_context; /* backend objects (GL objects, Vulkan handles) */
	/* ABI v3: worker-process mode (docs/worker.md) and debugging. */
	/* A worker that leaves a request unanswered, or whose fences make no
	 * progress, this long is killed and its context turns fatal; 0 = 10000.
	 * Starting a worker is allowed at least 20000. */
	uint32_t worker_timeout_ms;
	uint32_t debug_flags;    /* VGN_DEBUG_*; unknown bits: -EINVAL */
	const char *worker_path; /* the worker executable; NULL = the installed one
	                          * (<libexecdir>/virgl-next-worker) */
	/* Per-shader and per-ring caps; 0 = default. Exceeding one kills the context. */
	uint32_t max_shader_bytes; /* TGSI text of one shader (vrend); default 1 MiB */
	uint32_t max_ring_bytes;   /* buffer of one Venus ring (vkr); default and most 16 MiB */
};
/* The first published size (= sizeof the v1 struct, padding included). */
#define VGN_RENDERER_PARAMS_SIZE_V1                                                                \
	((uint32_t)offsetof(struct vgn_renderer_params, max_total_bytes))
#define VGN_RENDERER_PARAMS_SIZE_V2                                                                \
	((uint32_t)offsetof(struct vgn_renderer_params, worker_timeout_ms))
#define VGN_RENDERER_PARAMS_SIZE_V3 ((uint32_t)sizeof(struct vgn_renderer_params))

/* Creates a renderer instance. A backend that was asked for explicitly and cannot
 * start makes the call fail (no silent fallback). */
VGN_EXPORT int vgn_renderer_create(const struct vgn_renderer_params *params, vgn_renderer **out);
/* Destroys every context and resource, then the instance. NULL is allowed. */
VGN_EXPORT void vgn_renderer_destroy(vgn_renderer *r);

/* Runtime feature query. */
#define VGN_FEATURE_SNAPSHOT (1u << 0)
#define VGN_FEATURE_SUSPEND (1u << 1)
#define VGN_FEATURE_SHARED_MAPPING (1u << 2)
#define VGN_FEATURE_METADATA_QUERY (1u << 3)
struct vgn_features {
	uint32_t size;
	uint32_t abi_version;         /* VGN_ABI_VERSION of the library */
	uint32_t backends;            /* VGN_BACKEND_* running in this instance */
	uint32_t features;            /* VGN_FEATURE_* */
	uint64_t capset_mask;         /* bit N set = capset id N supported */
	uint32_t blob_mem_types;      /* bit N set = VGN_BLOB_MEM_* value N supported */
	uint32_t blob_flags;          /* VGN_BLOB_FLAG_* supported */
	uint32_t export_handle_types; /* bit N set = VGN_HANDLE_TYPE_* N supported */
	uint32_t map_cache_types;     /* bit N set = VGN_MAP_CACHE_* N may be returned */
	uint32_t max_rings;           /* rings per context */
};
#define VGN_FEATURES_SIZE_V1 ((uint32_t)sizeof(struct vgn_features))
VGN_EXPORT int vgn_renderer_get_features(vgn_renderer *r, struct vgn_features *out);

/* Fence delivery without a library thread: the fd (owned by the library, do not
 * close it) becomes readable when events are pending; vgn_renderer_poll() delivers
 * them through the callbacks on the calling thread. Returns the fd or -errno. */
VGN_EXPORT int vgn_renderer_get_poll_fd(vgn_renderer *r);
VGN_EXPORT int vgn_renderer_poll(vgn_renderer *r);

/* Lifecycle. suspend stops fence delivery and backend threads; resume restarts
 * them. snapshot/restore answer -ENOTSUP when a live context cannot be saved. */
VGN_EXPORT int vgn_renderer_suspend(vgn_renderer *r);
VGN_EXPORT int vgn_renderer_resume(vgn_renderer *r);
/* Writes a snapshot into fd (owned by the caller, left open). */
VGN_EXPORT int vgn_renderer_snapshot(vgn_renderer *r, int fd);
VGN_EXPORT int vgn_renderer_restore(vgn_renderer *r, int fd);

/* ------------------------------------------------------------------------- */
/* Capsets                                                                    */
/* ------------------------------------------------------------------------- */

VGN_EXPORT int vgn_capset_info(vgn_renderer *r, uint32_t capset_id, uint32_t *max_version,
                               uint32_t *max_size);
/* Fills at most buf_size bytes; *written (may be NULL) receives the count. */
VGN_EXPORT int vgn_capset_fill(vgn_renderer *r, uint32_t capset_id, uint32_t version, void *buf,
                               size_t buf_size, size_t *written);

/* ------------------------------------------------------------------------- */
/* Contexts                                                                   */
/* ------------------------------------------------------------------------- */

struct vgn_context_params {
	uint32_t size;
	uint32_t capset_id;     /* VGN_CAPSET_* (virtio-gpu context_init) */
	uint32_t flags;         /* reserved, 0 */
	const char *debug_name; /* copied; may be NULL */
};
#define VGN_CONTEXT_PARAMS_SIZE_V1 ((uint32_t)sizeof(struct vgn_context_params))

/* ctx_id is chosen by the VMM (non-zero, unique within the renderer). */
VGN_EXPORT int vgn_context_create(vgn_renderer *r, uint32_t ctx_id,
                                  const struct vgn_context_params *params);
VGN_EXPORT int vgn_context_destroy(vgn_renderer *r, uint32_t ctx_id);
/* Runs a command stream (virtio-gpu SUBMIT_3D). The buffer is copied before it is
 * decoded; the caller keeps ownership. */
VGN_EXPORT int vgn_context_submit(vgn_renderer *r, uint32_t ctx_id, const void *cmd, size_t size);
VGN_EXPORT int vgn_context_attach_resource(vgn_renderer *r, uint32_t ctx_id, uint32_t res_id);
VGN_EXPORT int vgn_context_detach_resource(vgn_renderer *r, uint32_t ctx_id, uint32_t res_id);
/* Queues a fence on (ctx_id, ring_idx) that retires once all work submitted to that
 * ring before it is done. ctx_id 0 = device timeline (ring_idx must be 0). Fence ids
 * on one timeline must not decrease. */
VGN_EXPORT int vgn_context_create_fence(vgn_renderer *r, uint32_t ctx_id, uint32_t ring_idx,
                                        uint64_t fence_id);
/* Highest fence id retired so far on a timeline (0 if none). */
VGN_EXPORT int vgn_context_get_retired_fence(vgn_renderer *r, uint32_t ctx_id, uint32_t ring_idx,
                                             uint64_t *fence_id);
/* Blocks the calling thread until the work before fence_id on the timeline is
 * done on the host, or timeout_ns passes: for a VMM that must answer a guest's
 * wait synchronously. Where the backend can, the calling thread waits on the
 * host fence itself, which wakes it sooner than the retirement event would.
 * The retirement is still delivered through the callbacks or poll fd as usual,
 * possibly after this returns. 0, -ETIMEDOUT, -ENOENT (no such context),
 * -EINVAL (bad ring, or fence_id above the last fence queued there). */
VGN_EXPORT int vgn_context_wait_fence(vgn_renderer *r, uint32_t ctx_id, uint32_t ring_idx,
                                      uint64_t fence_id, uint64_t timeout_ns);

/* ------------------------------------------------------------------------- */
/* Classic resources                                                          */
/* ------------------------------------------------------------------------- */

struct vgn_resource_create_params {
	uint32_t size;
	uint32_t target; /* VGN_TARGET_* */
	uint32_t format; /* virgl format */
	uint32_t bind;   /* VGN_BIND_* */
	uint32_t width;
	uint32_t height;
	uint32_t depth;
	uint32_t array_size;
	uint32_t last_level;
	uint32_t nr_samples;
	uint32_t flags; /* VGN_RESOURCE_FLAG_* */
};
#define VGN_RESOURCE_CREATE_PARAMS_SIZE_V1 ((uint32_t)sizeof(struct vgn_resource_create_params))

/* res_id is chosen by the VMM (non-zero, unique within the renderer). Resources are
 * renderer-wide (like virtio-gpu); a context sees one only after attach. */
VGN_EXPORT int vgn_resource_create(vgn_renderer *r, uint32_t res_id,
                                   const struct vgn_resource_create_params *params);
/* Drops the VMM's reference. Contexts still attached keep it alive until detach or
 * context destroy; the id is free for reuse at once. */
VGN_EXPORT int vgn_resource_unref(vgn_renderer *r, uint32_t res_id);

/* Guest backing. The iovec array is copied; the memory it points to must stay valid
 * and mapped until detach_backing or unref returns. */
#define VGN_BACKING_FLAG_LINEAR (1u << 0) /* iov[0] is one linear view of all pages */
struct vgn_backing {
	uint32_t size;
	uint32_t flags; /* VGN_BACKING_FLAG_* */
	const struct iovec *iov;
	uint32_t num_iovs;
	int dmabuf_fd; /* -1, or a dma-buf of the same pages (borrowed, dup'ed if kept) */
};
#define VGN_BACKING_SIZE_V1 ((uint32_t)sizeof(struct vgn_backing))
VGN_EXPORT int vgn_resource_attach_backing(vgn_renderer *r, uint32_t res_id,
                                           const struct vgn_backing *backing);
VGN_EXPORT int vgn_resource_detach_backing(vgn_renderer *r, uint32_t res_id);

struct vgn_box {
	uint32_t x, y, z;
	uint32_t w, h, d;
};

/* A transfer between guest memory and the host copy of a resource.
 * stride/layer_stride 0 = the level's tight layout. offset = where the box's first
 * texel lives in guest memory. iov/num_iovs NULL/0 = the attached backing. */
struct vgn_transfer {
	uint32_t size;
	uint32_t ctx_id; /* 0 = no context (virtio-gpu 2D) */
	uint32_t level;
	uint32_t stride;
	uint32_t layer_stride;
	struct vgn_box box;
	uint64_t offset;
	const struct iovec *iov;
	uint32_t num_iovs;
};
#define VGN_TRANSFER_SIZE_V1 ((uint32_t)sizeof(struct vgn_transfer))
VGN_EXPORT int vgn_resource_transfer_to_host(vgn_renderer *r, uint32_t res_id,
                                             const struct vgn_transfer *t);
VGN_EXPORT int vgn_resource_transfer_from_host(vgn_renderer *r, uint32_t res_id,
                                               const struct vgn_transfer *t);

/* Plane layout of a resource's host copy, for scanout. */
struct vgn_resource_info {
	uint32_t size;
	uint32_t format;     /* virgl format */
	uint32_t drm_fourcc; /* 0 if none */
	uint32_t width, height, depth;
	uint32_t num_planes;
	uint32_t strides[4];
	uint32_t offsets[4];
	uint64_t modifier; /* DRM format modifier; DRM_FORMAT_MOD_INVALID if unknown */
	uint32_t flags;    /* VGN_RESOURCE_FLAG_* the resource was created with */
	uint32_t target;
	uint32_t bind;
	uint32_t blob_mem; /* 0 for classic resources */
	uint64_t blob_size;
};
#define VGN_RESOURCE_INFO_SIZE_V1 ((uint32_t)sizeof(struct vgn_resource_info))
VGN_EXPORT int vgn_resource_get_info(vgn_renderer *r, uint32_t res_id,
                                     struct vgn_resource_info *out);

/* Copy-out fallback for scanout: copies box (z = 0, d = 1) of level 0 into dst,
 * rows dst_stride bytes apart, in the resource's own format. */
VGN_EXPORT int vgn_resource_copy_out(vgn_renderer *r, uint32_t res_id, const struct vgn_box *box,
                                     void *dst, size_t dst_size, uint32_t dst_stride);

/* ------------------------------------------------------------------------- */
/* Blob resources and host memory                                             */
/* ------------------------------------------------------------------------- */

struct vgn_blob_params {
	uint32_t size;
	uint32_t ctx_id;     /* owning context (0 only for BLOB_MEM_GUEST) */
	uint32_t blob_mem;   /* VGN_BLOB_MEM_* */
	uint32_t blob_flags; /* VGN_BLOB_FLAG_* */
	uint64_t blob_id;    /* object of ctx_id the blob stands for; 0 = plain memory */
	uint64_t blob_size;
	const struct iovec *iov; /* guest pages for GUEST and HOST3D_GUEST */
	uint32_t num_iovs;
	/* ABI v3: the same guest pages as a shareable fd (a memfd of guest RAM or a
	 * udmabuf), read only with VGN_BLOB_PARAM_HAS_FD. Borrowed: the library
	 * dup()s what it keeps. Worker-process mode needs it to share the pages. */
	uint32_t param_flags; /* VGN_BLOB_PARAM_* */
	int fd;
	uint64_t fd_offset; /* where the blob's first byte lies in fd */
};
#define VGN_BLOB_PARAM_HAS_FD (1u << 0)
#define VGN_BLOB_PARAMS_SIZE_V1 ((uint32_t)offsetof(struct vgn_blob_params, param_flags))
#define VGN_BLOB_PARAMS_SIZE_V3 ((uint32_t)sizeof(struct vgn_blob_params))
VGN_EXPORT int vgn_resource_create_blob(vgn_renderer *r, uint32_t res_id,
                                        const struct vgn_blob_params *params);

/* Maps a MAPPABLE blob into this process. The mapping stays valid until
 * vgn_resource_unmap (or unref); the library owns it. */
VGN_EXPORT int vgn_resource_map(vgn_renderer *r, uint32_t res_id, void **ptr, uint64_t *size);
/* Same, but places the mapping at addr (page aligned, size bytes reserved by the
 * caller, e.g. inside the VMM's shared-memory window), replacing what is there. */
VGN_EXPORT int vgn_resource_map_fixed(vgn_renderer *r, uint32_t res_id, void *addr, uint64_t size);
VGN_EXPORT int vgn_resource_unmap(vgn_renderer *r, uint32_t res_id);
VGN_EXPORT int vgn_resource_map_info(vgn_renderer *r, uint32_t res_id, uint32_t *map_cache_type);

struct vgn_export {
	uint32_t size;
	uint32_t handle_type;       /* VGN_HANDLE_TYPE_* */
	int fd;                     /* owned by the caller after a successful export */
	uint32_t memory_type_index; /* OPAQUE_FD only */
	uint8_t device_uuid[16];    /* OPAQUE_FD only */
	uint8_t driver_uuid[16];    /* OPAQUE_FD only */
	uint64_t blob_size;
};
#define VGN_EXPORT_SIZE_V1 ((uint32_t)sizeof(struct vgn_export))
VGN_EXPORT int vgn_resource_export(vgn_renderer *r, uint32_t res_id, struct vgn_export *out);
/* Creates resource res_id from an exported handle. The fd stays the caller's
 * (the library dup()s what it keeps). */
VGN_EXPORT int vgn_resource_import(vgn_renderer *r, uint32_t res_id, const struct vgn_export *in);

/* ------------------------------------------------------------------------- */
/* Metadata queries                                                           */
/* ------------------------------------------------------------------------- */

/* Typed, size-versioned queries: in and out both start with this header. */
struct vgn_query_header {
	uint32_t size; /* of the whole struct */
	uint32_t type; /* VGN_QUERY_* */
};

#define VGN_QUERY_RENDERER_CAPS 1u
struct vgn_query_renderer_caps {
	struct vgn_query_header hdr;
	uint64_t capset_mask;
	uint32_t blob_mem_types;
	uint32_t blob_flags;
	uint32_t export_handle_types;
	uint32_t map_cache_types;
	uint32_t max_rings;
	uint32_t max_resources_per_context;
	uint64_t max_bytes_per_context;
	uint32_t max_submit_bytes;
};

/* ABI v2: every limit in force (defaults resolved) and the renderer's current use.
 * Only the VMM may ask (ctx_id 0). */
#define VGN_QUERY_RENDERER_LIMITS 2u
struct vgn_query_renderer_limits {
	struct vgn_query_header hdr;
	uint64_t max_total_bytes;
	uint64_t used_total_bytes; /* charged against max_total_bytes right now */
	uint32_t max_resources;
	uint32_t used_resources;
	uint32_t max_contexts;
	uint32_t used_contexts;
	uint32_t max_resources_per_context;
	uint32_t max_submit_bytes;
	uint64_t max_bytes_per_context;
	uint32_t max_rings_per_context;
	uint32_t max_objects_per_context;
};

/* ABI v3: data-path counters since the renderer was created. They show where
 * bytes were copied: a transfer on a resource whose backing is a shared mapping
 * (VGN_BACKING_FLAG_LINEAR) that needs no staging copy counts as zero-copy. */
#define VGN_QUERY_RENDERER_STATS 3u
struct vgn_query_renderer_stats {
	struct vgn_query_header hdr;
	uint64_t transfers;      /* transfer_to/from_host calls and in-stream transfers */
	uint64_t transfer_bytes; /* bytes those transfers moved */
	uint64_t staging_copies; /* transfers that copied through a staging buffer */
	uint64_t staging_copy_bytes;
	uint64_t zero_copy_transfers;  /* transfers served straight from shared guest pages */
	uint64_t copy_out_calls;       /* vgn_resource_copy_out calls */
	uint64_t copy_out_guest_reads; /* of those, read straight from shared guest pages */
};

/* Memory properties of an allocation (query answers). */
#define VGN_MEMORY_DEVICE_LOCAL (1u << 0)
#define VGN_MEMORY_HOST_VISIBLE (1u << 1)
#define VGN_MEMORY_HOST_COHERENT (1u << 2)
#define VGN_MEMORY_HOST_CACHED (1u << 3)

#define VGN_QUERY_MAX_MODIFIERS 16u

/* ABI v3: which usages and DRM modifiers a backend supports for a virgl format. */
#define VGN_QUERY_FORMAT_SUPPORT 4u
struct vgn_query_format_support {
	struct vgn_query_header hdr;
	uint32_t backend;       /* in: VGN_BACKEND_* to ask, 0 = the first that knows */
	uint32_t format;        /* in: virgl format */
	uint32_t answered_by;   /* out: VGN_BACKEND_* that answered */
	uint32_t bind;          /* out: VGN_BIND_* usages supported */
	uint32_t drm_fourcc;    /* out: 0 if none */
	uint32_t num_modifiers; /* out */
	uint64_t modifiers[VGN_QUERY_MAX_MODIFIERS];
};

/* ABI v3: the layout an allocation of this image would have, computed by the
 * backend that would make it (docs/metadata.md says which allocation matches). */
#define VGN_QUERY_IMAGE_REQUIREMENTS 5u
struct vgn_query_image_requirements {
	struct vgn_query_header hdr;
	/* in */
	uint32_t backend; /* VGN_BACKEND_*, 0 = the first that can */
	uint32_t format;  /* virgl format */
	uint32_t width, height;
	uint32_t bind;          /* VGN_BIND_* usages */
	uint32_t num_modifiers; /* allowed modifiers; 0 = any */
	uint64_t modifiers[VGN_QUERY_MAX_MODIFIERS];
	/* out */
	uint32_t answered_by; /* VGN_BACKEND_* */
	uint32_t num_planes;
	uint64_t size; /* bytes of the whole allocation */
	uint32_t strides[4];
	uint32_t offsets[4];
	uint64_t modifier;
	uint32_t memory_flags; /* VGN_MEMORY_* */
	uint32_t map_cache_type;
};

/* Answers a query. ctx_id 0 = the VMM asks; otherwise the guest asks through that
 * context (a context may only ask about resources attached to it). `in` and `out`
 * may be the same buffer. */
VGN_EXPORT int vgn_query(vgn_renderer *r, uint32_t ctx_id, const struct vgn_query_header *in,
                         struct vgn_query_header *out);

/* Human-readable name of a negative errno returned by this library. */
VGN_EXPORT const char *vgn_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* VIRGL_NEXT_H */
