/* SPDX-License-Identifier: MIT */
/*
 * virgl-next-worker: serves ONE context for a renderer in worker-process mode
 * (docs/worker.md). The parent spawns it with its end of a SOCK_SEQPACKET pair
 * as fd 3 (proto.h); it runs the library's own public API on a private
 * in-process renderer (Vulkan backend, thread callbacks) and exits when the
 * parent closes the channel. Whatever the driver does to this process, the
 * parent only loses this context.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "channel.h"
#include "proto.h"
#include "virgl-next/virgl_next.h"

/* Guest pages mapped from an fd the parent sent (GUEST blobs). */
struct guest_map {
	struct guest_map *next;
	uint32_t res_id;
	void *base;
	size_t len;
};

struct worker {
	int sock;
	pthread_mutex_t send_lock; /* callbacks send from the renderer's thread */
	vgn_renderer *r;
	uint32_t debug_flags;
	uint32_t ctx_id; /* 0 until CONTEXT_CREATE */
	struct guest_map *maps;
	uint8_t *buf;   /* incoming packet */
	uint8_t *reply; /* outgoing reply (header + capset bytes) */
};

static int send_packet(struct worker *w, const void *msg, size_t len, int fd)
{
	pthread_mutex_lock(&w->send_lock);
	int ret = vgn_wchan_send(w->sock, msg, len, fd, false);
	pthread_mutex_unlock(&w->send_lock);
	return ret;
}

/* -- callbacks of our renderer: forwarded to the parent ------------------------------------- */

static void log_cb(void *data, enum vgn_log_level level, const char *message)
{
	struct worker *w = data;
	struct {
		struct vgn_wmsg_log l;
		char text[VGN_WMSG_LOG_MAX];
	} m;
	size_t n = strnlen(message, VGN_WMSG_LOG_MAX - 1);
	memset(&m.l, 0, sizeof(m.l));
	m.l.hdr.type = VGN_WMSG_LOG;
	m.l.hdr.len = (uint32_t)(sizeof(m.l) + n + 1);
	m.l.level = (uint32_t)level;
	memcpy(m.text, message, n);
	m.text[n] = '\0';
	send_packet(w, &m, m.l.hdr.len, -1);
}

static void fence_cb(void *data, uint32_t ctx_id, uint32_t ring_idx, uint64_t fence_id)
{
	struct worker *w = data;
	if (ctx_id != w->ctx_id || !ctx_id)
		return; /* the device timeline is not the parent's business */
	struct vgn_wmsg_fence m;
	memset(&m, 0, sizeof(m));
	m.hdr.type = VGN_WMSG_FENCE_RETIRED;
	m.hdr.len = sizeof(m);
	m.ring = ring_idx;
	m.fence_id = fence_id;
	send_packet(w, &m, sizeof(m), -1);
}

static void fatal_cb(void *data, uint32_t ctx_id, int error, const char *reason)
{
	struct worker *w = data;
	struct vgn_wmsg_fatal m;
	memset(&m, 0, sizeof(m));
	m.hdr.type = VGN_WMSG_FATAL;
	m.hdr.len = sizeof(m);
	m.error = error;
	snprintf(m.reason, sizeof(m.reason), "%s", reason ? reason : "fatal error");
	send_packet(w, &m, sizeof(m), -1);
}

/* -- requests ------------------------------------------------------------------------------ */

static int do_init(struct worker *w, const struct vgn_wmsg_init *m)
{
	if (w->r)
		return -EINVAL;
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = VGN_RENDERER_PARAMS_SIZE_V3;
	p.flags = VGN_RENDERER_FLAG_THREAD_CALLBACKS;
	p.backends = VGN_BACKEND_VULKAN;
	p.log_level =
	    m->log_level <= VGN_LOG_DEBUG ? (enum vgn_log_level)m->log_level : VGN_LOG_INFO;
	p.callbacks.size = VGN_CALLBACKS_SIZE_V1;
	p.callbacks.user_data = w;
	p.callbacks.log = log_cb;
	p.callbacks.fence_retired = fence_cb;
	p.callbacks.context_fatal = fatal_cb;
	p.max_resources_per_context = m->max_resources_per_context;
	p.max_bytes_per_context = m->max_bytes_per_context;
	p.max_submit_bytes = m->max_submit_bytes;
	p.max_total_bytes = m->max_total_bytes;
	p.max_rings_per_context = m->max_rings_per_context;
	p.max_objects_per_context = m->max_objects_per_context;
	w->debug_flags = m->debug_flags;
	return vgn_renderer_create(&p, &w->r);
}

static int do_context_create(struct worker *w, struct vgn_wmsg_context_create *m)
{
	if (w->ctx_id || !m->ctx_id)
		return -EINVAL;
	m->debug_name[sizeof(m->debug_name) - 1] = '\0';
	struct vgn_context_params p;
	memset(&p, 0, sizeof(p));
	p.size = VGN_CONTEXT_PARAMS_SIZE_V1;
	p.capset_id = m->capset_id;
	p.debug_name = m->debug_name;
	int ret = vgn_context_create(w->r, m->ctx_id, &p);
	if (!ret)
		w->ctx_id = m->ctx_id;
	return ret;
}

/* Debug submits (only with VGN_DEBUG_WORKER_HOOKS): 1 if it was one. */
static int debug_hook(struct worker *w, const uint32_t *dw, size_t size)
{
	if (!(w->debug_flags & VGN_DEBUG_WORKER_HOOKS) || size < 8 ||
	    dw[0] != VGN_WORKER_HOOK_MAGIC)
		return 0;
	if (dw[1] == VGN_WORKER_HOOK_CRASH) {
		/* A real crash, not a sanitizer's report of one. */
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	}
	if (dw[1] == VGN_WORKER_HOOK_HANG)
		for (;;)
			pause();
	return -EINVAL;
}

static int do_submit(struct worker *w, const struct vgn_wmsg_submit *m, size_t len, int fd)
{
	if (!w->ctx_id)
		return -EINVAL;
	size_t size = m->size;
	uint32_t *cmd = malloc(size ? (size + 3) & ~(size_t)3 : 4);
	if (!cmd)
		return -ENOMEM;
	int ret = 0;
	if (!m->in_fd) {
		if (len != sizeof(*m) + size || fd >= 0)
			ret = -EINVAL;
		else
			memcpy(cmd, m + 1, size);
	} else {
		struct stat st;
		size_t done = 0;
		if (len != sizeof(*m) || fd < 0 || fstat(fd, &st) < 0 || st.st_size < 0 ||
		    (uint64_t)st.st_size < size)
			ret = -EINVAL;
		while (!ret && done < size) {
			ssize_t n = pread(fd, (uint8_t *)cmd + done, size - done, (off_t)done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				ret = -EIO;
			else
				done += (size_t)n;
		}
	}
	if (!ret) {
		int hook = debug_hook(w, cmd, size);
		ret = hook < 0 ? hook : vgn_context_submit(w->r, w->ctx_id, cmd, size);
	}
	free(cmd);
	return ret;
}

static int attach_guest(struct worker *w, const struct vgn_wmsg_attach *m, int fd)
{
	long ps = sysconf(_SC_PAGESIZE);
	uint64_t page = ps > 0 ? (uint64_t)ps : 4096;
	uint64_t start = m->fd_offset & ~(page - 1), lead = m->fd_offset - start, len;
	if (__builtin_add_overflow(lead, m->size, &len) || len > SIZE_MAX || start > INT64_MAX)
		return -EINVAL;
	struct guest_map *gm = calloc(1, sizeof(*gm));
	if (!gm)
		return -ENOMEM;
	void *base = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)start);
	if (base == MAP_FAILED) {
		free(gm);
		return -ENOMEM;
	}
	struct iovec iov = {.iov_base = (uint8_t *)base + lead, .iov_len = (size_t)m->size};
	struct vgn_blob_params p;
	memset(&p, 0, sizeof(p));
	p.size = VGN_BLOB_PARAMS_SIZE_V3;
	p.ctx_id = w->ctx_id; /* a context's blob is attached to it at once */
	p.blob_mem = VGN_BLOB_MEM_GUEST;
	p.blob_flags = m->blob_flags;
	p.blob_size = m->size;
	p.iov = &iov;
	p.num_iovs = 1;
	/* The pages' fd travels on: vkr imports guest pages through it
	 * (vkr_guest_import.c), in this process as in the VMM's. */
	p.param_flags = VGN_BLOB_PARAM_HAS_FD;
	p.fd = fd;
	p.fd_offset = m->fd_offset;
	int ret = vgn_resource_create_blob(w->r, m->res_id, &p);
	if (ret) {
		munmap(base, (size_t)len);
		free(gm);
		return ret;
	}
	gm->res_id = m->res_id;
	gm->base = base;
	gm->len = (size_t)len;
	gm->next = w->maps;
	w->maps = gm;
	return 0;
}

static int do_attach(struct worker *w, const struct vgn_wmsg_attach *m, int fd)
{
	if (!w->ctx_id || fd < 0 || !m->res_id || !m->size)
		return -EINVAL;
	if (m->blob_mem == VGN_BLOB_MEM_GUEST)
		return attach_guest(w, m, fd);
	if (m->blob_mem != VGN_BLOB_MEM_HOST3D || m->fd_offset)
		return -EINVAL;
	struct vgn_export ex;
	memset(&ex, 0, sizeof(ex));
	ex.size = VGN_EXPORT_SIZE_V1;
	ex.handle_type = VGN_HANDLE_TYPE_SHM;
	ex.fd = fd;
	ex.blob_size = m->size;
	int ret = vgn_resource_import(w->r, m->res_id, &ex);
	if (ret)
		return ret;
	ret = vgn_context_attach_resource(w->r, w->ctx_id, m->res_id);
	if (ret)
		vgn_resource_unref(w->r, m->res_id);
	return ret;
}

static void drop_resource(struct worker *w, uint32_t res_id)
{
	vgn_context_detach_resource(w->r, w->ctx_id, res_id);
	vgn_resource_unref(w->r, res_id);
	for (struct guest_map **p = &w->maps; *p; p = &(*p)->next) {
		if ((*p)->res_id == res_id) {
			struct guest_map *gm = *p;
			*p = gm->next;
			munmap(gm->base, gm->len);
			free(gm);
			break;
		}
	}
}

/* A HOST3D blob of our context's object blob_id, handed to the parent as an fd.
 * The resource is only a vehicle: it goes again once exported. */
static int do_get_blob(struct worker *w, const struct vgn_wmsg_get_blob *m,
                       struct vgn_wmsg_reply *rep, int *out_fd)
{
	if (!w->ctx_id)
		return -EINVAL;
	struct vgn_blob_params p;
	memset(&p, 0, sizeof(p));
	p.size = VGN_BLOB_PARAMS_SIZE_V1;
	p.ctx_id = w->ctx_id;
	p.blob_mem = VGN_BLOB_MEM_HOST3D;
	p.blob_flags = m->blob_flags;
	p.blob_id = m->blob_id;
	p.blob_size = m->size;
	/* Ids from the top down: the guest's own ids are small. */
	uint32_t id = UINT32_MAX;
	int ret = -EEXIST;
	for (int tries = 0; tries < 64 && ret == -EEXIST; tries++, id--)
		ret = vgn_resource_create_blob(w->r, id, &p);
	if (ret)
		return ret;
	id++;
	struct vgn_export ex;
	memset(&ex, 0, sizeof(ex));
	ex.size = VGN_EXPORT_SIZE_V1;
	ex.fd = -1;
	ret = vgn_resource_export(w->r, id, &ex);
	if (!ret) {
		uint32_t cache = VGN_MAP_CACHE_CACHED;
		vgn_resource_map_info(w->r, id, &cache);
		rep->handle_type = ex.handle_type;
		rep->map_cache_type = cache;
		rep->memory_type_index = ex.memory_type_index;
		rep->size = ex.blob_size;
		memcpy(rep->device_uuid, ex.device_uuid, sizeof(rep->device_uuid));
		memcpy(rep->driver_uuid, ex.driver_uuid, sizeof(rep->driver_uuid));
		*out_fd = ex.fd;
	}
	drop_resource(w, id);
	return ret;
}

/* Handles one request and sends its reply. false: the parent broke the
 * protocol (we exit). */
static bool handle(struct worker *w, size_t len, int fd)
{
	struct vgn_wmsg_hdr h;
	memcpy(&h, w->buf, sizeof(h));
	struct vgn_wmsg_reply *rep = (struct vgn_wmsg_reply *)w->reply;
	memset(rep, 0, sizeof(*rep));
	rep->hdr.type = VGN_WMSG_REPLY;
	rep->hdr.len = sizeof(*rep);
	rep->request = h.type;
	int out_fd = -1, ret;
	void *m = w->buf;

	if (!w->r && h.type != VGN_WMSG_INIT)
		return false;
	switch (h.type) {
	case VGN_WMSG_INIT:
		if (len != sizeof(struct vgn_wmsg_init))
			return false;
		ret = do_init(w, m);
		break;
	case VGN_WMSG_CAPSET_INFO:
	case VGN_WMSG_CAPSET_FILL: {
		struct vgn_wmsg_capset *q = m;
		if (len != sizeof(*q))
			return false;
		if (h.type == VGN_WMSG_CAPSET_INFO) {
			ret =
			    vgn_capset_info(w->r, q->capset_id, &rep->max_version, &rep->max_size);
			break;
		}
		size_t room = VGN_WMSG_MAX - sizeof(*rep), written = 0;
		size_t want = q->buf_size < room ? q->buf_size : room;
		ret = vgn_capset_fill(w->r, q->capset_id, q->version, rep + 1, want, &written);
		if (!ret) {
			rep->written = (uint32_t)written;
			rep->hdr.len = (uint32_t)(sizeof(*rep) + written);
		}
		break;
	}
	case VGN_WMSG_CONTEXT_CREATE:
		if (len != sizeof(struct vgn_wmsg_context_create))
			return false;
		ret = do_context_create(w, m);
		break;
	case VGN_WMSG_SUBMIT:
		if (len < sizeof(struct vgn_wmsg_submit))
			return false;
		ret = do_submit(w, m, len, fd);
		break;
	case VGN_WMSG_ATTACH:
		if (len != sizeof(struct vgn_wmsg_attach))
			return false;
		ret = do_attach(w, m, fd);
		break;
	case VGN_WMSG_DETACH: {
		const struct vgn_wmsg_detach *d = m;
		if (len != sizeof(*d))
			return false;
		drop_resource(w, d->res_id);
		ret = 0;
		break;
	}
	case VGN_WMSG_FENCE: {
		const struct vgn_wmsg_fence *f = m;
		if (len != sizeof(*f))
			return false;
		ret = w->ctx_id ? vgn_context_create_fence(w->r, w->ctx_id, f->ring, f->fence_id)
		                : -EINVAL;
		break;
	}
	case VGN_WMSG_GET_BLOB:
		if (len != sizeof(struct vgn_wmsg_get_blob))
			return false;
		ret = do_get_blob(w, m, rep, &out_fd);
		break;
	default:
		return false;
	}
	rep->status = ret;
	int sret = send_packet(w, rep, rep->hdr.len, out_fd);
	if (out_fd >= 0)
		close(out_fd);
	return sret == 0;
}

static int serve(struct worker *w)
{
	int status = 0;
	for (;;) {
		int fd = -1;
		ssize_t n = vgn_wchan_recv(w->sock, w->buf, VGN_WMSG_MAX, &fd, false);
		if (n == 0)
			break; /* the parent is done with us */
		if (n < 0 || !handle(w, (size_t)n, fd)) {
			fprintf(stderr, "virgl-next-worker %d: bad request from the parent\n",
			        (int)getpid());
			status = 2;
		}
		if (fd >= 0)
			close(fd);
		if (status)
			break;
	}
	if (w->r) {
		if (w->ctx_id)
			vgn_context_destroy(w->r, w->ctx_id);
		vgn_renderer_destroy(w->r);
	}
	while (w->maps) {
		struct guest_map *gm = w->maps;
		w->maps = gm->next;
		munmap(gm->base, gm->len);
		free(gm);
	}
	return status;
}

/* Exits once the parent process is gone (we were re-parented). */
static void *orphan_guard(void *arg)
{
	pid_t parent = (pid_t)(intptr_t)arg;
	for (;;) {
		sleep(1);
		if (getppid() != parent)
			_exit(1);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long parent = 0;
	if (argc == 3 && !strcmp(argv[1], "--parent-pid"))
		parent = strtol(argv[2], NULL, 10);
	struct stat st;
	if (parent <= 0 || fstat(VGN_WORKER_CHANNEL_FD, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		fprintf(stderr,
		        "virgl-next-worker is started by libvirgl-next (worker-process mode), "
		        "not by hand\n");
		return 2;
	}
	if (getppid() != (pid_t)parent)
		return 1; /* the parent is gone already */
	signal(SIGPIPE, SIG_IGN);
	/* Normally the parent's end of the channel closing ends us; the guard
	 * covers a driver call that never returns after the parent died.
	 * (PR_SET_PDEATHSIG would fire when the parent *thread* that spawned us
	 * exits, which in a multithreaded VMM is no reason to die.) */
	pthread_t guard;
	if (pthread_create(&guard, NULL, orphan_guard, (void *)(intptr_t)parent) == 0)
		pthread_detach(guard);

	struct worker w;
	memset(&w, 0, sizeof(w));
	w.sock = VGN_WORKER_CHANNEL_FD;
	fcntl(w.sock, F_SETFD, FD_CLOEXEC);
	pthread_mutex_init(&w.send_lock, NULL);
	w.buf = malloc(VGN_WMSG_MAX);
	w.reply = malloc(VGN_WMSG_MAX);
	int status = w.buf && w.reply ? serve(&w) : 1;
	free(w.buf);
	free(w.reply);
	pthread_mutex_destroy(&w.send_lock);
	close(w.sock);
	return status;
}
