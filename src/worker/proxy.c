/* SPDX-License-Identifier: MIT */
/*
 * Proxy backend: the vgn_backend_ops of worker-process mode. Every op becomes a
 * request to the context's worker (pool.c); the worker runs vkr on its own
 * renderer. Memory crosses as fds: plain HOST3D memory and guest pages on
 * attach, VkDeviceMemory blobs on context_get_blob.
 */
#include "proxy.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blob.h"
#include "context.h"
#include "log.h"
#include "pool.h"
#include "renderer.h"
#include "resource.h"

#ifndef VGN_WORKER_INSTALL_PATH
#define VGN_WORKER_INSTALL_PATH "/usr/local/libexec/virgl-next-worker"
#endif

/* Capset bytes we accept from a worker. */
#define CAPSET_MAX (VGN_WMSG_MAX - sizeof(struct vgn_wmsg_reply))

struct proxy_backend {
	struct vgn_backend base;
	struct vgn_worker_pool *pool;
	pthread_mutex_t probe_lock;
	int probed; /* 0: not yet; 1: ok; < 0: the error */
	uint32_t max_version;
	uint32_t max_size;
	uint8_t *capset;
	size_t capset_len;
};

static struct proxy_backend *proxy(struct vgn_backend *b)
{
	return (struct proxy_backend *)b;
}

/* A plain round trip whose reply carries neither data nor an fd. */
static int simple_call(struct vgn_worker *w, const void *req, int fd)
{
	struct vgn_wmsg_reply rep;
	size_t len;
	int rfd;
	int ret = vgn_worker_call(w, req, fd, &rep, sizeof(rep), &len, &rfd);
	if (rfd >= 0)
		close(rfd);
	return ret;
}

/* -- capsets: asked once of a throw-away worker ---------------------------------------------- */

static int probe_worker(struct proxy_backend *pb, struct vgn_worker *w)
{
	struct vgn_wmsg_capset q;
	memset(&q, 0, sizeof(q));
	q.hdr.type = VGN_WMSG_CAPSET_INFO;
	q.hdr.len = sizeof(q);
	q.capset_id = VGN_CAPSET_VENUS;
	struct vgn_wmsg_reply *rep = malloc(VGN_WMSG_MAX);
	if (!rep)
		return -ENOMEM;
	size_t len;
	int rfd;
	int ret = vgn_worker_call(w, &q, -1, rep, sizeof(*rep), &len, &rfd);
	if (rfd >= 0)
		close(rfd);
	if (!ret && (!rep->max_size || rep->max_size > CAPSET_MAX))
		ret = -EPROTO;
	if (!ret) {
		pb->max_version = rep->max_version;
		pb->max_size = rep->max_size;
		q.hdr.type = VGN_WMSG_CAPSET_FILL;
		q.version = rep->max_version;
		q.buf_size = rep->max_size;
		ret = vgn_worker_call(w, &q, -1, rep, VGN_WMSG_MAX, &len, &rfd);
		if (rfd >= 0)
			close(rfd);
	}
	if (!ret && (rep->written > pb->max_size || len != sizeof(*rep) + rep->written))
		ret = -EPROTO;
	if (!ret) {
		pb->capset = malloc(rep->written ? rep->written : 1);
		if (!pb->capset)
			ret = -ENOMEM;
		else
			memcpy(pb->capset, (const uint8_t *)rep + sizeof(*rep), rep->written);
		pb->capset_len = rep->written;
	}
	free(rep);
	return ret;
}

static int probe_once(struct proxy_backend *pb)
{
	pthread_mutex_lock(&pb->probe_lock);
	if (!pb->probed) {
		struct vgn_worker *w;
		int ret = vgn_worker_start(pb->pool, NULL, &w);
		if (!ret) {
			ret = probe_worker(pb, w);
			vgn_worker_stop(w);
		}
		if (ret)
			vgn_warn(pb->base.renderer, "worker: Venus capset probe failed: %s",
			         vgn_strerror(ret));
		pb->probed = ret ? ret : 1;
	}
	int ret = pb->probed < 0 ? pb->probed : 0;
	pthread_mutex_unlock(&pb->probe_lock);
	return ret;
}

static int capset_info(struct vgn_backend *b, uint32_t id, uint32_t *max_version,
                       uint32_t *max_size)
{
	if (id != VGN_CAPSET_VENUS)
		return -EINVAL;
	int ret = probe_once(proxy(b));
	if (ret)
		return ret;
	*max_version = proxy(b)->max_version;
	*max_size = proxy(b)->max_size;
	return 0;
}

static int capset_fill(struct vgn_backend *b, uint32_t id, uint32_t version, void *buf,
                       size_t buf_size, size_t *written)
{
	struct proxy_backend *pb = proxy(b);
	if (id != VGN_CAPSET_VENUS)
		return -EINVAL;
	int ret = probe_once(pb);
	if (ret)
		return ret;
	if (version != pb->max_version)
		return -EINVAL; /* the probe asked for the one version the worker serves */
	size_t n = buf_size < pb->capset_len ? buf_size : pb->capset_len;
	memcpy(buf, pb->capset, n);
	*written = n;
	return 0;
}

/* -- contexts -------------------------------------------------------------------------------- */

static int context_create(struct vgn_backend *b, struct vgn_context *vctx)
{
	if (vctx->capset_id != VGN_CAPSET_VENUS)
		return -EINVAL;
	struct vgn_worker *w;
	int ret = vgn_worker_start(proxy(b)->pool, vctx, &w);
	if (ret)
		return ret;
	struct vgn_wmsg_context_create m;
	memset(&m, 0, sizeof(m));
	m.hdr.type = VGN_WMSG_CONTEXT_CREATE;
	m.hdr.len = sizeof(m);
	m.ctx_id = vctx->ctx_id;
	m.capset_id = vctx->capset_id;
	memcpy(m.debug_name, vctx->debug_name, strnlen(vctx->debug_name, sizeof(m.debug_name) - 1));
	ret = simple_call(w, &m, -1);
	if (ret) {
		vgn_worker_stop(w);
		return ret;
	}
	vgn_dbg(b->renderer, "context %u runs in worker process %d", vctx->ctx_id,
	        vgn_worker_pid(w));
	vctx->backend_data = w;
	return 0;
}

static void context_destroy(struct vgn_backend *b, struct vgn_context *vctx)
{
	if (vctx->backend_data)
		vgn_worker_stop(vctx->backend_data);
	vctx->backend_data = NULL;
}

/* Large streams go in a sealed memfd: one packet holds at most VGN_WMSG_MAX. */
static int submit_fd(const uint32_t *cmd, size_t size)
{
	int fd = memfd_create("vgn-submit", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	const uint8_t *p = (const uint8_t *)cmd;
	size_t done = 0;
	while (done < size) {
		ssize_t n = write(fd, p + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -ENOMEM;
		}
		done += (size_t)n;
	}
	fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
	return fd;
}

static int context_submit(struct vgn_backend *b, struct vgn_context *vctx, const uint32_t *cmd,
                          size_t size)
{
	if (size > UINT32_MAX)
		return -E2BIG;
	bool inline_bytes = size <= VGN_WMSG_INLINE_SUBMIT_MAX;
	size_t len = sizeof(struct vgn_wmsg_submit) + (inline_bytes ? size : 0);
	struct vgn_wmsg_submit *m = malloc(len);
	if (!m)
		return -ENOMEM;
	m->hdr.type = VGN_WMSG_SUBMIT;
	m->hdr.len = (uint32_t)len;
	m->size = (uint32_t)size;
	m->in_fd = !inline_bytes;
	int fd = -1, ret = 0;
	if (inline_bytes) {
		memcpy(m + 1, cmd, size);
	} else {
		fd = submit_fd(cmd, size);
		if (fd < 0)
			ret = fd;
	}
	if (!ret)
		ret = simple_call(vctx->backend_data, m, fd);
	if (fd >= 0)
		close(fd);
	free(m);
	return ret;
}

/* What of a resource the worker gets: the fd of its memory and where the blob
 * starts in it. 0: share it; 1: nothing to share; < 0: it cannot be shared. */
static int shared_memory(struct vgn_context *vctx, struct vgn_resource *res, int *fd,
                         uint64_t *offset)
{
	struct vgn_blob *blob = res->blob;
	if (!blob)
		return 1; /* classic resources are renderer objects Venus never uses */
	if (blob->blob_mem == VGN_BLOB_MEM_HOST3D) {
		/* blob_id != 0 is worker memory already (context_get_blob). */
		if (blob->blob_id || blob->mem.fd < 0 ||
		    blob->mem.handle_type != VGN_HANDLE_TYPE_SHM)
			return 1;
		*fd = blob->mem.fd;
		*offset = 0;
		return 0;
	}
	if (blob->blob_mem == VGN_BLOB_MEM_GUEST) {
		if (blob->guest_fd < 0) {
			vgn_err(
			    vctx->renderer,
			    "context %u: guest blob %u has no fd (VGN_BLOB_PARAM_HAS_FD), so its "
			    "pages cannot be shared with the worker process",
			    vctx->ctx_id, res->res_id);
			return -ENOTSUP;
		}
		*fd = blob->guest_fd;
		*offset = blob->guest_fd_offset;
		return 0;
	}
	return 1;
}

static int attach_resource(struct vgn_backend *b, struct vgn_context *vctx,
                           struct vgn_resource *res)
{
	int fd = -1;
	uint64_t offset = 0;
	int ret = shared_memory(vctx, res, &fd, &offset);
	if (ret)
		return ret < 0 ? ret : 0;
	struct vgn_wmsg_attach m;
	memset(&m, 0, sizeof(m));
	m.hdr.type = VGN_WMSG_ATTACH;
	m.hdr.len = sizeof(m);
	m.res_id = res->res_id;
	m.blob_mem = res->blob->blob_mem;
	m.blob_flags = res->blob->blob_flags;
	m.size = res->blob->blob_size;
	m.fd_offset = offset;
	return simple_call(vctx->backend_data, &m, fd);
}

static void detach_resource(struct vgn_backend *b, struct vgn_context *vctx,
                            struct vgn_resource *res)
{
	int fd;
	uint64_t offset;
	/* At context teardown the worker drops everything itself when it exits;
	 * detaching a live ring's memory first would look like a guest error. */
	if (vctx->destroyed || shared_memory(vctx, res, &fd, &offset) != 0)
		return;
	struct vgn_wmsg_detach m;
	memset(&m, 0, sizeof(m));
	m.hdr.type = VGN_WMSG_DETACH;
	m.hdr.len = sizeof(m);
	m.res_id = res->res_id;
	/* A dead worker has nothing left to detach: errors do not matter here. */
	simple_call(vctx->backend_data, &m, -1);
}

static int context_fence(struct vgn_backend *b, struct vgn_context *vctx, uint32_t ring_idx,
                         uint64_t fence_id)
{
	return vgn_worker_fence(vctx->backend_data, ring_idx, fence_id);
}

static int context_get_blob(struct vgn_backend *b, struct vgn_context *vctx, uint64_t blob_id,
                            uint64_t size, uint32_t blob_flags, struct vgn_blob_memory *out)
{
	struct vgn_wmsg_get_blob m;
	memset(&m, 0, sizeof(m));
	m.hdr.type = VGN_WMSG_GET_BLOB;
	m.hdr.len = sizeof(m);
	m.blob_id = blob_id;
	m.size = size;
	m.blob_flags = blob_flags;
	struct vgn_wmsg_reply rep;
	size_t len;
	int fd;
	int ret = vgn_worker_call(vctx->backend_data, &m, -1, &rep, sizeof(rep), &len, &fd);
	if (ret) {
		if (fd >= 0)
			close(fd);
		return ret;
	}
	/* The worker is not trusted: its memory must be a file as big as it says. */
	struct stat st;
	if (fd < 0 || rep.handle_type != VGN_HANDLE_TYPE_SHM || rep.size < size ||
	    rep.map_cache_type > VGN_MAP_CACHE_WC || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < 0 || (uint64_t)st.st_size < rep.size) {
		vgn_err(b->renderer, "context %u: worker returned unusable memory for blob %llu",
		        vctx->ctx_id, (unsigned long long)blob_id);
		if (fd >= 0)
			close(fd);
		return -EPROTO;
	}
	out->fd = fd;
	out->handle_type = rep.handle_type;
	out->map_cache_type = rep.map_cache_type;
	out->size = rep.size;
	out->map_ptr = NULL;
	out->backend_data = NULL;
	out->memory_type_index = rep.memory_type_index;
	memcpy(out->device_uuid, rep.device_uuid, sizeof(out->device_uuid));
	memcpy(out->driver_uuid, rep.driver_uuid, sizeof(out->driver_uuid));
	return 0;
}

static void backend_destroy(struct vgn_backend *b)
{
	struct proxy_backend *pb = proxy(b);
	vgn_worker_pool_destroy(pb->pool);
	pthread_mutex_destroy(&pb->probe_lock);
	free(pb->capset);
	free(pb);
}

static const struct vgn_backend_ops proxy_ops = {
    .name = "worker",
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
};

int vgn_worker_backend_create(vgn_renderer *r, const struct vgn_renderer_params *params,
                              struct vgn_backend **out)
{
	const char *path = params->worker_path ? params->worker_path : VGN_WORKER_INSTALL_PATH;
	if (access(path, X_OK) < 0) {
		vgn_err(r, "worker executable %s: %s", path, strerror(errno));
		return -ENODEV;
	}
	struct proxy_backend *pb = calloc(1, sizeof(*pb));
	if (!pb)
		return -ENOMEM;
	pb->base.ops = &proxy_ops;
	pb->base.renderer = r;
	pthread_mutex_init(&pb->probe_lock, NULL);

	struct vgn_wmsg_init init;
	memset(&init, 0, sizeof(init));
	init.hdr.type = VGN_WMSG_INIT;
	init.hdr.len = sizeof(init);
	init.log_level = r->log.level;
	init.debug_flags = params->debug_flags;
	init.max_rings_per_context = r->max_rings_per_context;
	init.max_objects_per_context = r->max_objects_per_context;
	init.max_resources_per_context = r->max_resources_per_context;
	init.max_submit_bytes = r->max_submit_bytes;
	init.max_bytes_per_context = r->max_bytes_per_context;
	init.max_total_bytes = r->max_total_bytes;
	uint32_t timeout =
	    params->worker_timeout_ms ? params->worker_timeout_ms : VGN_DEFAULT_WORKER_TIMEOUT_MS;
	int ret = vgn_worker_pool_create(r, path, timeout, &init, &pb->pool);
	if (ret) {
		pthread_mutex_destroy(&pb->probe_lock);
		free(pb);
		return ret;
	}
	*out = &pb->base;
	return 0;
}
