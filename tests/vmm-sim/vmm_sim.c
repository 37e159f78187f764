/* SPDX-License-Identifier: MIT */
#include "vmm_sim.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/udmabuf.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static void vms_die(const char *what)
{
	fprintf(stderr, "vmm-sim: %s\n", what);
	abort();
}

static uint32_t vms_rand(struct vms_guest *g)
{
	uint32_t x = g->rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	g->rng = x;
	return x;
}

int vms_guest_init(struct vms_guest *g, size_t npages, uint32_t seed)
{
	memset(g, 0, sizeof(*g));
	g->memfd = -1;
	if (npages == 0)
		npages = 1024;
	g->rng = seed ? seed : 0x9e3779b9u;
	g->npages = npages;
	/* Sealed against shrinking, as /dev/udmabuf requires of the memfd. */
	g->memfd = memfd_create("vmm-sim-guest-ram", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (g->memfd < 0)
		return -errno;
	if (ftruncate(g->memfd, (off_t)(npages * VMS_PAGE_SIZE)) < 0 ||
	    fcntl(g->memfd, F_ADD_SEALS, F_SEAL_SHRINK) < 0)
		goto fail;
	g->base =
	    mmap(NULL, npages * VMS_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, g->memfd, 0);
	if (g->base == MAP_FAILED) {
		g->base = NULL;
		goto fail;
	}
	g->used = calloc(npages, 1);
	if (!g->used) {
		errno = ENOMEM;
		goto fail;
	}
	return 0;
fail : {
	int err = -errno;
	vms_guest_fini(g);
	return err;
}
}

void vms_guest_fini(struct vms_guest *g)
{
	if (g->base)
		munmap(g->base, g->npages * VMS_PAGE_SIZE);
	if (g->memfd >= 0)
		close(g->memfd);
	free(g->used);
	memset(g, 0, sizeof(*g));
	g->memfd = -1;
}

size_t vms_guest_free_pages(const struct vms_guest *g)
{
	size_t n = 0;
	for (size_t i = 0; i < g->npages; i++)
		n += !g->used[i];
	return n;
}

static bool vms_has_adjacent(const uint32_t *pages, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (pages[i + 1] == pages[i] + 1)
			return true;
	}
	return false;
}

int vms_backing_alloc(struct vms_guest *g, size_t len, enum vms_layout layout,
                      struct vms_backing *b)
{
	memset(b, 0, sizeof(*b));
	if (len == 0 || len > g->npages * VMS_PAGE_SIZE)
		return -EINVAL;
	size_t npages = (len + VMS_PAGE_SIZE - 1) / VMS_PAGE_SIZE;
	size_t nfree = vms_guest_free_pages(g);
	if (npages > nfree)
		return -ENOMEM;

	uint32_t *free_list = malloc(nfree * sizeof(*free_list));
	b->pages = malloc(npages * sizeof(*b->pages));
	if (!free_list || !b->pages) {
		free(free_list);
		free(b->pages);
		return -ENOMEM;
	}
	size_t k = 0;
	for (size_t i = 0; i < g->npages; i++) {
		if (!g->used[i])
			free_list[k++] = (uint32_t)i;
	}
	/* Scramble: shuffle the free pages, retrying a few times so that no two
	 * consecutive backing pages are neighbours in guest RAM. */
	for (int attempt = 0; attempt < 16; attempt++) {
		for (size_t i = nfree; i > 1; i--) {
			size_t j = vms_rand(g) % i;
			uint32_t t = free_list[i - 1];
			free_list[i - 1] = free_list[j];
			free_list[j] = t;
		}
		if (npages < 2 || !vms_has_adjacent(free_list, npages))
			break;
	}
	memcpy(b->pages, free_list, npages * sizeof(*b->pages));
	free(free_list);
	for (size_t i = 0; i < npages; i++)
		g->used[b->pages[i]] = 1;

	b->layout = layout;
	b->npages = npages;
	b->len = npages * VMS_PAGE_SIZE;

	switch (layout) {
	case VMS_SCATTER:
		b->num_iovs = (uint32_t)npages;
		b->iov = calloc(npages, sizeof(*b->iov));
		if (!b->iov)
			goto nomem;
		for (size_t i = 0; i < npages; i++) {
			b->iov[i].iov_base = g->base + (size_t)b->pages[i] * VMS_PAGE_SIZE;
			b->iov[i].iov_len = VMS_PAGE_SIZE;
		}
		break;
	case VMS_SCATTER_ODD:
		b->num_iovs = (uint32_t)(npages * 2);
		b->iov = calloc(npages * 2, sizeof(*b->iov));
		if (!b->iov)
			goto nomem;
		for (size_t i = 0; i < npages; i++) {
			/* An odd split point in [1, 4093]. */
			size_t split = 1 + 2 * (vms_rand(g) % 2047);
			uint8_t *page = g->base + (size_t)b->pages[i] * VMS_PAGE_SIZE;
			b->iov[2 * i].iov_base = page;
			b->iov[2 * i].iov_len = split;
			b->iov[2 * i + 1].iov_base = page + split;
			b->iov[2 * i + 1].iov_len = VMS_PAGE_SIZE - split;
		}
		break;
	case VMS_LINEAR: {
		/* One inaccessible guard page after the view: a read past the pages
		 * faults instead of finding other memory. */
		void *view = mmap(NULL, b->len + VMS_PAGE_SIZE, PROT_NONE,
		                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (view == MAP_FAILED)
			goto nomem;
		b->linear = view;
		for (size_t i = 0; i < npages; i++) {
			void *p = mmap(b->linear + i * VMS_PAGE_SIZE, VMS_PAGE_SIZE,
			               PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, g->memfd,
			               (off_t)b->pages[i] * VMS_PAGE_SIZE);
			if (p == MAP_FAILED)
				goto nomem;
		}
		b->num_iovs = 1;
		b->iov = calloc(1, sizeof(*b->iov));
		if (!b->iov)
			goto nomem;
		b->iov[0].iov_base = b->linear;
		b->iov[0].iov_len = b->len;
		break;
	}
	default:
		vms_backing_free(g, b);
		return -EINVAL;
	}
	return 0;
nomem:
	vms_backing_free(g, b);
	return -ENOMEM;
}

void vms_backing_free(struct vms_guest *g, struct vms_backing *b)
{
	if (b->pages) {
		for (size_t i = 0; i < b->npages; i++)
			g->used[b->pages[i]] = 0;
	}
	if (b->linear)
		munmap(b->linear, b->len + VMS_PAGE_SIZE);
	if (b->has_dmabuf)
		close(b->dmabuf_fd);
	free(b->pages);
	free(b->iov);
	memset(b, 0, sizeof(*b));
}

uint8_t *vms_backing_ptr(const struct vms_guest *g, const struct vms_backing *b, size_t off)
{
	if (off >= b->len)
		vms_die("backing access out of range");
	return g->base + (size_t)b->pages[off / VMS_PAGE_SIZE] * VMS_PAGE_SIZE +
	       off % VMS_PAGE_SIZE;
}

void vms_backing_write(const struct vms_guest *g, const struct vms_backing *b, size_t off,
                       const void *src, size_t len)
{
	const uint8_t *s = src;
	if (off > b->len || len > b->len - off)
		vms_die("backing write out of range");
	while (len) {
		size_t in_page = VMS_PAGE_SIZE - off % VMS_PAGE_SIZE;
		size_t n = len < in_page ? len : in_page;
		memcpy(vms_backing_ptr(g, b, off), s, n);
		s += n;
		off += n;
		len -= n;
	}
}

void vms_backing_read(const struct vms_guest *g, const struct vms_backing *b, size_t off, void *dst,
                      size_t len)
{
	uint8_t *d = dst;
	if (off > b->len || len > b->len - off)
		vms_die("backing read out of range");
	while (len) {
		size_t in_page = VMS_PAGE_SIZE - off % VMS_PAGE_SIZE;
		size_t n = len < in_page ? len : in_page;
		memcpy(d, vms_backing_ptr(g, b, off), n);
		d += n;
		off += n;
		len -= n;
	}
}

void vms_backing_fill(const struct vms_guest *g, const struct vms_backing *b, uint8_t value)
{
	for (size_t i = 0; i < b->npages; i++)
		memset(g->base + (size_t)b->pages[i] * VMS_PAGE_SIZE, value, VMS_PAGE_SIZE);
}

struct vgn_backing vms_backing_desc(const struct vms_backing *b)
{
	struct vgn_backing d;
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.flags = b->layout == VMS_LINEAR ? VGN_BACKING_FLAG_LINEAR : 0;
	d.iov = b->iov;
	d.num_iovs = b->num_iovs;
	d.dmabuf_fd = b->has_dmabuf ? b->dmabuf_fd : -1;
	return d;
}

int vms_backing_make_udmabuf(struct vms_guest *g, struct vms_backing *b)
{
	if (b->layout != VMS_LINEAR || b->has_dmabuf)
		return -EINVAL;
	int dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	struct udmabuf_create_list *list =
	    calloc(1, sizeof(*list) + b->npages * sizeof(struct udmabuf_create_item));
	if (!list) {
		close(dev);
		return -ENOMEM;
	}
	list->flags = UDMABUF_FLAGS_CLOEXEC;
	list->count = (uint32_t)b->npages;
	for (size_t i = 0; i < b->npages; i++) {
		list->list[i].memfd = (uint32_t)g->memfd;
		list->list[i].offset = (uint64_t)b->pages[i] * VMS_PAGE_SIZE;
		list->list[i].size = VMS_PAGE_SIZE;
	}
	int fd = ioctl(dev, UDMABUF_CREATE_LIST, list);
	int err = fd < 0 ? -errno : 0;
	free(list);
	close(dev);
	if (err)
		return err;
	/* The dma-buf's own mapping becomes the linear view (same pages, same order). */
	void *p = mmap(b->linear, b->len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED) {
		err = -errno;
		close(fd);
		return err;
	}
	b->dmabuf_fd = fd;
	b->has_dmabuf = true;
	return 0;
}

uint8_t vms_pattern(uint32_t seed, size_t i)
{
	uint64_t x = (uint64_t)i * 0x9e3779b97f4a7c15ull + seed * 0xbf58476d1ce4e5b9ull + 1;
	x ^= x >> 31;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 29;
	return (uint8_t)x;
}

void vms_pattern_fill(void *dst, size_t len, uint32_t seed)
{
	uint8_t *d = dst;
	for (size_t i = 0; i < len; i++)
		d[i] = vms_pattern(seed, i);
}

/* ---- callbacks ---------------------------------------------------------- */

static void vms_cb_log(void *user_data, enum vgn_log_level level, const char *message)
{
	struct vms *v = user_data;
	pthread_mutex_lock(&v->lock);
	v->nlogs++;
	pthread_mutex_unlock(&v->lock);
	if (getenv("VMS_VERBOSE"))
		fprintf(stderr, "virgl-next[%d]: %s\n", (int)level, message ? message : "(null)");
}

static void vms_cb_fence(void *user_data, uint32_t ctx_id, uint32_t ring_idx, uint64_t fence_id)
{
	struct vms *v = user_data;
	pthread_mutex_lock(&v->lock);
	if (v->nfences < VMS_FENCE_LOG_MAX) {
		struct vms_fence_event *e = &v->fences[v->nfences++];
		e->ctx_id = ctx_id;
		e->ring_idx = ring_idx;
		e->fence_id = fence_id;
		e->on_caller_thread = v->polling && pthread_equal(v->poller, pthread_self());
	} else {
		v->fence_overflow++;
	}
	pthread_cond_broadcast(&v->cond);
	pthread_mutex_unlock(&v->lock);
}

static void vms_cb_fatal(void *user_data, uint32_t ctx_id, int error, const char *reason)
{
	struct vms *v = user_data;
	pthread_mutex_lock(&v->lock);
	if (v->nfatals < VMS_FATAL_LOG_MAX) {
		v->fatals[v->nfatals].ctx_id = ctx_id;
		v->fatals[v->nfatals].error = error;
		v->nfatals++;
	}
	pthread_cond_broadcast(&v->cond);
	pthread_mutex_unlock(&v->lock);
	if (getenv("VMS_VERBOSE"))
		fprintf(stderr, "virgl-next: context %u fatal %d: %s\n", ctx_id, error,
		        reason ? reason : "(null)");
}

int vms_create(struct vms *v, const struct vms_options *opt)
{
	struct vms_options defaults;
	memset(&defaults, 0, sizeof(defaults));
	if (!opt)
		opt = &defaults;
	memset(v, 0, sizeof(*v));
	pthread_mutex_init(&v->lock, NULL);
	pthread_cond_init(&v->cond, NULL);
	int ret = vms_guest_init(&v->guest, opt->guest_pages, opt->seed);
	if (ret)
		return ret;

	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.flags = opt->thread_callbacks ? VGN_RENDERER_FLAG_THREAD_CALLBACKS : 0;
	if (opt->worker_path) {
		p.flags |= VGN_RENDERER_FLAG_WORKER_PROCESS;
		p.worker_path = opt->worker_path;
	}
	p.backends = opt->backends;
	p.log_level = VGN_LOG_DEBUG;
	p.max_resources_per_context = opt->max_resources_per_context;
	p.max_bytes_per_context = opt->max_bytes_per_context;
	p.max_submit_bytes = opt->max_submit_bytes;
	p.callbacks.size = sizeof(p.callbacks);
	p.callbacks.user_data = v;
	p.callbacks.log = vms_cb_log;
	p.callbacks.fence_retired = vms_cb_fence;
	p.callbacks.context_fatal = vms_cb_fatal;
	v->thread_mode = opt->thread_callbacks;
	ret = vgn_renderer_create(&p, &v->r);
	if (ret) {
		v->r = NULL;
		vms_guest_fini(&v->guest);
		return ret;
	}
	return 0;
}

void vms_destroy(struct vms *v)
{
	vgn_renderer_destroy(v->r);
	v->r = NULL;
	vms_guest_fini(&v->guest);
	pthread_cond_destroy(&v->cond);
	pthread_mutex_destroy(&v->lock);
}

/* ---- commands ----------------------------------------------------------- */

uint32_t vms_format_bpp(uint32_t format)
{
	switch (format) {
	case VGN_FORMAT_B8G8R8A8_UNORM:
	case VGN_FORMAT_B8G8R8X8_UNORM:
	case VGN_FORMAT_A8R8G8B8_UNORM:
	case VGN_FORMAT_X8R8G8B8_UNORM:
	case VGN_FORMAT_R8G8B8A8_UNORM:
	case VGN_FORMAT_X8B8G8R8_UNORM:
	case VGN_FORMAT_A8B8G8R8_UNORM:
	case VGN_FORMAT_R8G8B8X8_UNORM:
		return 4;
	case VGN_FORMAT_B5G6R5_UNORM:
		return 2;
	case VGN_FORMAT_R8_UNORM:
		return 1;
	default:
		return 0;
	}
}

int vms_resource_create_2d(struct vms *v, uint32_t res_id, uint32_t format, uint32_t width,
                           uint32_t height)
{
	struct vgn_resource_create_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.target = VGN_TARGET_2D;
	p.format = format;
	p.bind = VGN_BIND_RENDER_TARGET;
	p.width = width;
	p.height = height;
	p.depth = 1;
	p.array_size = 1;
	p.last_level = 0;
	p.nr_samples = 0;
	p.flags = VGN_RESOURCE_FLAG_Y_0_TOP;
	return vgn_resource_create(v->r, res_id, &p);
}

int vms_attach_backing(struct vms *v, uint32_t res_id, const struct vms_backing *b)
{
	struct vgn_backing d = vms_backing_desc(b);
	return vgn_resource_attach_backing(v->r, res_id, &d);
}

int vms_transfer_to_host_2d(struct vms *v, uint32_t res_id, uint32_t x, uint32_t y, uint32_t w,
                            uint32_t h, uint64_t offset)
{
	struct vgn_box box = {x, y, 0, w, h, 1};
	return vms_transfer(v, true, res_id, 0, 0, &box, 0, 0, offset);
}

int vms_transfer(struct vms *v, bool to_host, uint32_t res_id, uint32_t ctx_id, uint32_t level,
                 const struct vgn_box *box, uint32_t stride, uint32_t layer_stride, uint64_t offset)
{
	struct vgn_transfer t;
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.ctx_id = ctx_id;
	t.level = level;
	t.stride = stride;
	t.layer_stride = layer_stride;
	t.box = *box;
	t.offset = offset;
	t.iov = NULL;
	t.num_iovs = 0;
	return to_host ? vgn_resource_transfer_to_host(v->r, res_id, &t)
	               : vgn_resource_transfer_from_host(v->r, res_id, &t);
}

int vms_copy_out(struct vms *v, uint32_t res_id, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
                 void *dst, size_t dst_size, uint32_t dst_stride)
{
	struct vgn_box box = {x, y, 0, w, h, 1};
	return vgn_resource_copy_out(v->r, res_id, &box, dst, dst_size, dst_stride);
}

/* ---- fences ------------------------------------------------------------- */

int vms_fence(struct vms *v, uint32_t ctx_id, uint32_t ring_idx, uint64_t fence_id)
{
	return vgn_context_create_fence(v->r, ctx_id, ring_idx, fence_id);
}

static uint64_t vms_reported_locked(struct vms *v, uint32_t ctx_id, uint32_t ring_idx)
{
	uint64_t best = 0;
	for (unsigned i = 0; i < v->nfences; i++) {
		const struct vms_fence_event *e = &v->fences[i];
		if (e->ctx_id == ctx_id && e->ring_idx == ring_idx && e->fence_id > best)
			best = e->fence_id;
	}
	return best;
}

uint64_t vms_reported_fence(struct vms *v, uint32_t ctx_id, uint32_t ring_idx)
{
	pthread_mutex_lock(&v->lock);
	uint64_t f = vms_reported_locked(v, ctx_id, ring_idx);
	pthread_mutex_unlock(&v->lock);
	return f;
}

unsigned vms_fence_count(struct vms *v)
{
	pthread_mutex_lock(&v->lock);
	unsigned n = v->nfences;
	pthread_mutex_unlock(&v->lock);
	return n;
}

struct vms_fence_event vms_fence_event_at(struct vms *v, unsigned i)
{
	struct vms_fence_event e;
	memset(&e, 0, sizeof(e));
	pthread_mutex_lock(&v->lock);
	if (i < v->nfences)
		e = v->fences[i];
	pthread_mutex_unlock(&v->lock);
	return e;
}

unsigned vms_fatal_count(struct vms *v)
{
	pthread_mutex_lock(&v->lock);
	unsigned n = v->nfatals;
	pthread_mutex_unlock(&v->lock);
	return n;
}

struct vms_fatal_event vms_fatal_event_at(struct vms *v, unsigned i)
{
	struct vms_fatal_event e;
	memset(&e, 0, sizeof(e));
	pthread_mutex_lock(&v->lock);
	if (i < v->nfatals)
		e = v->fatals[i];
	pthread_mutex_unlock(&v->lock);
	return e;
}

static int64_t vms_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int vms_poll_once(struct vms *v, int timeout_ms)
{
	int fd = vgn_renderer_get_poll_fd(v->r);
	if (fd < 0)
		return fd;
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int n = poll(&pfd, 1, timeout_ms);
	if (n < 0)
		return -errno;
	if (n == 0)
		return 0;
	pthread_mutex_lock(&v->lock);
	v->poller = pthread_self();
	v->polling = true;
	pthread_mutex_unlock(&v->lock);
	int ret = vgn_renderer_poll(v->r);
	pthread_mutex_lock(&v->lock);
	v->polling = false;
	pthread_mutex_unlock(&v->lock);
	return ret < 0 ? ret : 1;
}

int vms_drain(struct vms *v, int timeout_ms)
{
	unsigned before = vms_fence_count(v);
	if (v->thread_mode) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += timeout_ms / 1000;
		ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&v->lock);
		while (v->nfences == before) {
			if (pthread_cond_timedwait(&v->cond, &v->lock, &ts) == ETIMEDOUT)
				break;
		}
		pthread_mutex_unlock(&v->lock);
	} else {
		int ret = vms_poll_once(v, timeout_ms);
		if (ret < 0)
			return ret;
	}
	return (int)(vms_fence_count(v) - before);
}

int vms_wait_fence(struct vms *v, uint32_t ctx_id, uint32_t ring_idx, uint64_t fence_id,
                   int timeout_ms)
{
	int64_t deadline = vms_now_ms() + timeout_ms;
	for (;;) {
		if (vms_reported_fence(v, ctx_id, ring_idx) >= fence_id)
			return 0;
		int64_t left = deadline - vms_now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		if (v->thread_mode) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 10 * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_mutex_lock(&v->lock);
			if (vms_reported_locked(v, ctx_id, ring_idx) < fence_id)
				pthread_cond_timedwait(&v->cond, &v->lock, &ts);
			pthread_mutex_unlock(&v->lock);
		} else {
			int ret = vms_poll_once(v, (int)(left < 50 ? left : 50));
			if (ret < 0)
				return ret;
		}
	}
}

int vms_wait_fatals(struct vms *v, unsigned n, int timeout_ms)
{
	int64_t deadline = vms_now_ms() + timeout_ms;
	while (vms_fatal_count(v) < n) {
		int64_t left = deadline - vms_now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		if (v->thread_mode) {
			usleep(1000);
		} else {
			int ret = vms_poll_once(v, (int)(left < 50 ? left : 50));
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}
