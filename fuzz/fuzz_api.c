/* SPDX-License-Identifier: MIT */
/*
 * fuzz_api: a sequence of public API calls against one renderer, the way a VMM
 * turns virtio-gpu commands into them. The renderer has the stand-in GPU
 * backends (standin.h), so contexts, rings, submits and HOST3D blobs are live.
 *
 * Input: a 4-byte header (bit 7 of byte 0: thread-mode callbacks; bit 6: one
 * more byte of ABI v2 renderer-wide limits follows; then the per-context
 * limits), then operations: one opcode
 * byte and its operands (fuzz_api_ops.c), until the input ends. Numbers are
 * mostly small (fuzz_num), so short inputs make valid programs.
 *
 * Memory the "guest" owns: API_GUEST_SIZE bytes of fuzzer-owned memory that every
 * backing and transfer iovec points into (exactly sized: any access past it is an
 * ASan report), a copy_out destination, and a PROT_NONE window with one slot per
 * resource id for map_fixed.
 *
 * Invariants checked after every operation (a violation aborts):
 *  - the renderer's use (VGN_QUERY_RENDERER_LIMITS) stays within every limit;
 *  - a resource id exists (get_info != -ENOENT) exactly when the model says so,
 *    and a context exists (get_retired_fence != -ENOENT) likewise: a failed call
 *    created or destroyed nothing, a successful one did what it says;
 *  - per-op checks in fuzz_api_ops.c: a failed transfer or copy_out wrote no
 *    guest byte; host memory never written by the guest reads back as zero
 *    (classic resources and fresh HOST3D blobs); a mapping covers blob_size bytes;
 *    output structs are written only up to the caller's size; retired fence ids
 *    never go down;
 * and at the end: no file descriptor leaked (memory: ASan's leak checker).
 */
#include "fuzz_api.h"

#include <dirent.h>
#include <errno.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "standin.h"

static void fence_cb(void *data, uint32_t ctx_id, uint32_t ring_idx, uint64_t fence_id)
{
	struct api_state *s = data;

	FUZZ_CHECK(ring_idx < VGN_MAX_RINGS);
	FUZZ_CHECK(ctx_id <= API_NCTX);
	FUZZ_CHECK(ctx_id || ring_idx == 0);
	if (s->thread_mode) {
		/* Widen the window in which the main thread may destroy the context. */
		struct timespec ts = {0, 50 * 1000};
		nanosleep(&ts, NULL);
	}
	pthread_mutex_lock(&s->cb_lock);
	/* No event of a context once vgn_context_destroy returned (poll mode: they
	 * are dropped with it; thread mode: none may still be in flight). */
	FUZZ_CHECK(ctx_id == 0 || s->ctx[ctx_id].live);
	/* "Everything <= fence_id retired" can only grow. */
	FUZZ_CHECK(fence_id >= s->ctx[ctx_id].retired[ring_idx]);
	s->ctx[ctx_id].retired[ring_idx] = fence_id;
	pthread_mutex_unlock(&s->cb_lock);
}

static void fatal_cb(void *data, uint32_t ctx_id, int error, const char *reason)
{
	struct api_state *s = data;

	FUZZ_CHECK(error < 0 && reason);
	FUZZ_CHECK(ctx_id && ctx_id <= API_NCTX);
	pthread_mutex_lock(&s->cb_lock);
	FUZZ_CHECK(s->ctx[ctx_id].live);
	s->ctx[ctx_id].dead = true;
	pthread_mutex_unlock(&s->cb_lock);
}

static void log_cb(void *data, enum vgn_log_level level, const char *message)
{
	struct api_state *s = data;

	FUZZ_CHECK(message && strlen(message) < 4096);
	if (s->debug)
		fprintf(stderr, "  vgn[%d]: %s\n", (int)level, message);
}

uint32_t api_pick_res(struct api_state *s)
{
	uint8_t b = fuzz_u8(&s->in);

	return b >= 0xf8 ? 0 : 1 + b % API_NRES;
}

uint32_t api_pick_ctx(struct api_state *s)
{
	uint8_t b = fuzz_u8(&s->in);

	return b >= 0xf8 ? 0 : 1 + b % API_NCTX;
}

uint32_t api_make_iov(struct api_state *s, struct iovec *iov)
{
	uint8_t b = fuzz_u8(&s->in);
	uint32_t n = b % (API_MAX_IOVS + 1), i;

	for (i = 0; i < n; i++) {
		uint32_t off = fuzz_u16(&s->in) % API_GUEST_SIZE;
		uint32_t len = fuzz_u16(&s->in) % (API_GUEST_SIZE - off + 1);
		/* Rarely a NULL base (the library must refuse it). */
		iov[i].iov_base = (b & 0x80) && i == n - 1 ? NULL : s->guest + off;
		iov[i].iov_len = len;
	}
	return n;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* The library's view of every id agrees with the model, and no renderer-wide
 * limit is ever exceeded (a limit refuses the call that would pass it). */
static void check_model(struct api_state *s)
{
	struct vgn_query_renderer_limits l;
	uint32_t id;

	memset(&l, 0, sizeof(l));
	l.hdr.size = sizeof(l);
	l.hdr.type = VGN_QUERY_RENDERER_LIMITS;
	FUZZ_CHECK(vgn_query(s->r, 0, &l.hdr, &l.hdr) == 0);
	FUZZ_CHECK(l.used_resources <= l.max_resources);
	FUZZ_CHECK(l.used_contexts <= l.max_contexts);
	FUZZ_CHECK(l.used_total_bytes <= l.max_total_bytes);

	for (id = 0; id <= API_NRES; id++) {
		struct vgn_resource_info info;
		int ret;

		memset(&info, 0, sizeof(info));
		info.size = VGN_RESOURCE_INFO_SIZE_V1;
		ret = vgn_resource_get_info(s->r, id, &info);
		FUZZ_CHECK((ret != -ENOENT) == s->res[id].live);
		if (!ret && s->res[id].blob)
			FUZZ_CHECK(info.blob_size == s->res[id].blob_size);
	}
	for (id = 0; id <= API_NCTX; id++) {
		uint64_t f = 0;
		int ret = vgn_context_get_retired_fence(s->r, id, 0, &f);

		pthread_mutex_lock(&s->cb_lock);
		FUZZ_CHECK((ret != -ENOENT) == (id == 0 || s->ctx[id].live));
		if (!ret)
			FUZZ_CHECK(f >= s->ctx[id].retired[0]);
		pthread_mutex_unlock(&s->cb_lock);
	}
}

static int setup(struct api_state *s, const uint8_t *data, size_t size)
{
	static const uint64_t max_bytes[4] = {0, 1u << 20, 64u << 20, 1ull << 40};
	struct vgn_renderer_params p;
	uint32_t i;
	uint8_t b;

	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->cb_lock, NULL);
	for (i = 0; i < API_NFDS; i++)
		s->fds[i] = -1;
	fuzz_in_init(&s->in, data, size);
	s->debug = getenv("FUZZ_DEBUG") != NULL;
	memset(&p, 0, sizeof(p));
	p.size = VGN_RENDERER_PARAMS_SIZE_V1;
	p.log_level = VGN_LOG_DEBUG;
	p.callbacks.size = VGN_CALLBACKS_SIZE_V1;
	p.callbacks.user_data = s;
	p.callbacks.log = log_cb;
	p.callbacks.fence_retired = fence_cb;
	p.callbacks.context_fatal = fatal_cb;
	b = fuzz_u8(&s->in);
	s->thread_mode = b & 0x80;
	if (s->thread_mode)
		p.flags = VGN_RENDERER_FLAG_THREAD_CALLBACKS;
	p.max_resources_per_context = (b & 0x3f) % 6;
	p.max_bytes_per_context = max_bytes[fuzz_u8(&s->in) % 4];
	p.max_submit_bytes = (uint32_t)fuzz_u16(&s->in) * 4;
	if (b & 0x40) {
		/* ABI v2 limits, small enough to be hit (0 = library default). */
		static const uint64_t total[4] = {0, 256u << 10, 4u << 20, 1ull << 30};
		static const uint32_t nres[4] = {0, 2, 5, 16};
		static const uint32_t rings[4] = {0, 1, 2, VGN_MAX_RINGS};
		uint8_t l = fuzz_u8(&s->in);

		p.size = VGN_RENDERER_PARAMS_SIZE_V2;
		p.max_total_bytes = total[l & 3];
		p.max_resources = nres[(l >> 2) & 3];
		p.max_contexts = (l >> 4) & 3;
		p.max_rings_per_context = rings[(l >> 6) & 3];
	}

	s->page = (size_t)sysconf(_SC_PAGESIZE);
	s->guest = malloc(API_GUEST_SIZE);
	s->shadow = malloc(API_GUEST_SIZE);
	s->dst = malloc(API_DST_SIZE);
	s->window = mmap(NULL, (API_NRES + 1) * (size_t)API_SLOT_SIZE, PROT_NONE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	FUZZ_CHECK(s->guest && s->shadow && s->dst && s->window != MAP_FAILED);
	/* Never zero: a download of zeros (fresh host memory) is visible. */
	for (i = 0; i < API_GUEST_SIZE; i++)
		s->guest[i] = (uint8_t)(i * 13 + 1) | 1;
	if (vgn_renderer_create(&p, &s->r))
		return -1;
	FUZZ_CHECK(fuzz_standin_add(s->r) == 0);
	return 0;
}

static void teardown(struct api_state *s)
{
	uint32_t i;

	vgn_renderer_destroy(s->r);
	for (i = 0; i < API_NFDS; i++) {
		if (s->fds[i] >= 0)
			close(s->fds[i]);
	}
	munmap(s->window, (API_NRES + 1) * (size_t)API_SLOT_SIZE);
	free(s->guest);
	free(s->shadow);
	free(s->dst);
	pthread_mutex_destroy(&s->cb_lock);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_state *s = malloc(sizeof(*s));
	int fds_before = count_fds();

	FUZZ_CHECK(s);
	if (setup(s, data, size) == 0) {
		check_model(s);
		while (api_run_op(s)) {
			vgn_renderer_poll(s->r);
			check_model(s);
		}
	}
	teardown(s);
	free(s);
	FUZZ_CHECK(count_fds() == fds_before);
	return 0;
}
