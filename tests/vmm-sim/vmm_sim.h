/* SPDX-License-Identifier: MIT */
/*
 * vmm-sim: a tiny VMM that drives the public virgl-next API the way QEMU drives
 * virglrenderer.
 *
 *  - Guest RAM is a memfd mapped into this process. A page allocator hands out
 *    guest pages in a scrambled order, so a resource's backing is a list of
 *    non-contiguous pages (one iovec per page, or odd-sized pieces of pages),
 *    which catches offset arithmetic that silently assumes contiguity.
 *  - A LINEAR backing is the same scrambled pages re-mapped back to back into one
 *    contiguous virtual range (what a VMM does with a udmabuf or a remap), handed
 *    to the library as a single iovec.
 *  - Helpers mirror virtio-gpu commands: RESOURCE_CREATE_2D, ATTACH_BACKING,
 *    TRANSFER_TO_HOST_2D, TRANSFER_FROM_HOST_3D, SET_SCANOUT (copy-out), fences.
 *  - Every callback is recorded: retired fences (with the delivering thread),
 *    context_fatal events and log lines. Fences are collected either by polling
 *    the renderer's poll fd (poll mode) or from the library thread (thread mode).
 */
#ifndef VMM_SIM_H
#define VMM_SIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <virgl-next/virgl_next.h>

#define VMS_PAGE_SIZE 4096u
#define VMS_FENCE_LOG_MAX 1024u
#define VMS_FATAL_LOG_MAX 64u

/* Guest RAM: a memfd and a page allocator over it. */
struct vms_guest {
	int memfd;
	uint8_t *base; /* the whole RAM, mapped shared */
	size_t npages;
	uint8_t *used; /* one byte per page */
	uint32_t rng;  /* xorshift state for page scrambling */
};

/* Backing layouts. */
enum vms_layout {
	VMS_SCATTER = 0, /* one iovec per page, pages in scrambled order */
	VMS_SCATTER_ODD, /* like SCATTER, each page split into two odd-sized iovecs */
	VMS_LINEAR,      /* scrambled pages re-mapped into one contiguous iovec */
};

/* Guest memory for one resource. */
struct vms_backing {
	enum vms_layout layout;
	size_t len; /* bytes usable (a whole number of pages) */
	size_t npages;
	uint32_t *pages; /* guest page numbers, in backing order */
	struct iovec *iov;
	uint32_t num_iovs;
	uint8_t *linear; /* VMS_LINEAR: the contiguous view (len bytes, then a guard page) */
	bool has_dmabuf; /* vms_backing_make_udmabuf succeeded */
	int dmabuf_fd;   /* with has_dmabuf: the udmabuf of the pages, handed to attach */
};

struct vms_fence_event {
	uint32_t ctx_id;
	uint32_t ring_idx;
	uint64_t fence_id;
	bool on_caller_thread; /* delivered on the thread that called vgn_renderer_poll */
};

struct vms_fatal_event {
	uint32_t ctx_id;
	int error;
};

struct vms_options {
	size_t guest_pages;    /* 0 = 1024 pages (4 MiB) */
	uint32_t seed;         /* page scrambling seed; 0 = fixed default */
	bool thread_callbacks; /* VGN_RENDERER_FLAG_THREAD_CALLBACKS */
	uint32_t backends;     /* vgn_renderer_params.backends */
	/* Per-context limits (vgn_renderer_params); 0 = library default. */
	uint32_t max_resources_per_context;
	uint64_t max_bytes_per_context;
	uint32_t max_submit_bytes;
	/* Worker-process mode (VGN_RENDERER_FLAG_WORKER_PROCESS) with this worker
	 * executable; NULL = in-process contexts. */
	const char *worker_path;
};

struct vms {
	vgn_renderer *r;
	struct vms_guest guest;
	bool thread_mode;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t poller; /* thread currently inside vgn_renderer_poll */
	bool polling;
	struct vms_fence_event fences[VMS_FENCE_LOG_MAX];
	unsigned nfences;
	unsigned fence_overflow;
	struct vms_fatal_event fatals[VMS_FATAL_LOG_MAX];
	unsigned nfatals;
	unsigned nlogs;
};

/* Guest RAM. */
int vms_guest_init(struct vms_guest *g, size_t npages, uint32_t seed);
void vms_guest_fini(struct vms_guest *g);
size_t vms_guest_free_pages(const struct vms_guest *g);

/* Allocates len bytes (rounded up to pages) of guest memory in the given layout.
 * Returns 0 or -errno. */
int vms_backing_alloc(struct vms_guest *g, size_t len, enum vms_layout layout,
                      struct vms_backing *b);
void vms_backing_free(struct vms_guest *g, struct vms_backing *b);
/* VMS_LINEAR backing: makes a dma-buf of its pages with /dev/udmabuf (what a VMM
 * does to share guest RAM), maps it as the linear view and hands it to attach as
 * dmabuf_fd. -ENODEV if the host has no /dev/udmabuf. */
int vms_backing_make_udmabuf(struct vms_guest *g, struct vms_backing *b);
/* Byte access through the page list (independent of the library's helpers).
 * Out-of-range access aborts the test program. */
void vms_backing_write(const struct vms_guest *g, const struct vms_backing *b, size_t off,
                       const void *src, size_t len);
void vms_backing_read(const struct vms_guest *g, const struct vms_backing *b, size_t off, void *dst,
                      size_t len);
void vms_backing_fill(const struct vms_guest *g, const struct vms_backing *b, uint8_t value);
/* Pointer to the guest byte at backing offset off. */
uint8_t *vms_backing_ptr(const struct vms_guest *g, const struct vms_backing *b, size_t off);
/* The vgn_backing to hand to vgn_resource_attach_backing. */
struct vgn_backing vms_backing_desc(const struct vms_backing *b);

/* A deterministic byte pattern: pattern byte i of stream `seed`. */
uint8_t vms_pattern(uint32_t seed, size_t i);
void vms_pattern_fill(void *dst, size_t len, uint32_t seed);

/* The simulated VMM: guest RAM plus one renderer instance with recording callbacks. */
int vms_create(struct vms *v, const struct vms_options *opt);
void vms_destroy(struct vms *v);

/* RESOURCE_CREATE_2D as QEMU issues it (target 2D, render-target bind, Y_0_TOP). */
int vms_resource_create_2d(struct vms *v, uint32_t res_id, uint32_t format, uint32_t width,
                           uint32_t height);
/* RESOURCE_ATTACH_BACKING with the backing's iovecs (LINEAR flag for VMS_LINEAR). */
int vms_attach_backing(struct vms *v, uint32_t res_id, const struct vms_backing *b);
/* TRANSFER_TO_HOST_2D: stride 0 (tight), guest-computed offset. */
int vms_transfer_to_host_2d(struct vms *v, uint32_t res_id, uint32_t x, uint32_t y, uint32_t w,
                            uint32_t h, uint64_t offset);
/* Full transfers with explicit parameters (iov NULL = attached backing). */
int vms_transfer(struct vms *v, bool to_host, uint32_t res_id, uint32_t ctx_id, uint32_t level,
                 const struct vgn_box *box, uint32_t stride, uint32_t layer_stride,
                 uint64_t offset);
/* SET_SCANOUT + flush through the copy-out fallback: the w x h rectangle at (x, y)
 * into dst with rows dst_stride bytes apart. */
int vms_copy_out(struct vms *v, uint32_t res_id, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
                 void *dst, size_t dst_size, uint32_t dst_stride);

/* Fences. */
int vms_fence(struct vms *v, uint32_t ctx_id, uint32_t ring_idx, uint64_t fence_id);
/* Waits until fence_id (or a later one) on (ctx_id, ring_idx) has been reported
 * through fence_retired. Poll mode: polls the renderer's fd and calls
 * vgn_renderer_poll; thread mode: waits for the library thread. 0 or -ETIMEDOUT. */
int vms_wait_fence(struct vms *v, uint32_t ctx_id, uint32_t ring_idx, uint64_t fence_id,
                   int timeout_ms);
/* Drains whatever is pending right now (poll mode: calls vgn_renderer_poll once
 * if the fd is readable within timeout_ms). Returns the number of new events. */
int vms_drain(struct vms *v, int timeout_ms);
/* Highest fence id the callbacks reported on a timeline (0 if none). */
uint64_t vms_reported_fence(struct vms *v, uint32_t ctx_id, uint32_t ring_idx);
unsigned vms_fence_count(struct vms *v);
/* Copies event i of the fence log (under the lock). */
struct vms_fence_event vms_fence_event_at(struct vms *v, unsigned i);
unsigned vms_fatal_count(struct vms *v);
struct vms_fatal_event vms_fatal_event_at(struct vms *v, unsigned i);
/* Waits (polling in poll mode) until at least n context_fatal events arrived.
 * 0 or -ETIMEDOUT. */
int vms_wait_fatals(struct vms *v, unsigned n, int timeout_ms);

/* Bytes per pixel of the few formats the tests use (0 = unknown). */
uint32_t vms_format_bpp(uint32_t format);

#endif /* VMM_SIM_H */
