/* SPDX-License-Identifier: MIT */
#include "blob.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "context.h"
#include "iov.h"
#include "log.h"
#include "renderer.h"
#include "resource.h"

#define VGN_BLOB_FLAGS_ALL VGN_CORE_BLOB_FLAGS

static uint64_t page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);
	return ps > 0 ? (uint64_t)ps : 4096;
}

/* Mapping length: whole pages. false if it does not fit in size_t. */
static bool map_length(uint64_t size, uint64_t *len)
{
	uint64_t ps = page_size();
	if (__builtin_add_overflow(size, ps - 1, len))
		return false;
	*len &= ~(ps - 1);
	return *len <= SIZE_MAX;
}

void vgn_blob_unmap_locked(struct vgn_resource *res)
{
	struct vgn_blob *blob = res->blob;
	if (!blob->mapped)
		return;
	if (blob->map_fixed) {
		/* The range belongs to the caller: leave it reserved, inaccessible. */
		mmap(blob->map_ptr, blob->map_len, PROT_NONE,
		     MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	} else if (blob->map_owned) {
		munmap(blob->map_ptr, blob->map_len);
	}
	blob->mapped = blob->map_fixed = blob->map_owned = false;
	blob->map_ptr = NULL;
	blob->map_len = 0;
}

void vgn_blob_free(struct vgn_resource *res)
{
	struct vgn_blob *blob = res->blob;
	vgn_blob_unmap_locked(res);
	if (blob->mem.fd >= 0)
		close(blob->mem.fd);
	if (blob->guest_fd >= 0)
		close(blob->guest_fd);
	free(blob);
	res->blob = NULL;
}

static struct vgn_blob *blob_new(void)
{
	struct vgn_blob *blob = calloc(1, sizeof(*blob));
	if (blob) {
		blob->mem.fd = -1;
		blob->guest_fd = -1;
	}
	return blob;
}

/* Plain host memory made by the core: zero-filled by construction (a fresh memfd),
 * size sealed so that nobody holding the fd can shrink it under a mapping. */
static int make_shm(uint64_t size, struct vgn_blob_memory *mem)
{
	if (size > (uint64_t)INT64_MAX)
		return -EINVAL;
	int fd = memfd_create("vgn-blob", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0) {
		int err = errno;
		close(fd);
		return err == EFBIG || err == EINVAL ? -EINVAL : -ENOMEM;
	}
	fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	mem->fd = fd;
	mem->handle_type = VGN_HANDLE_TYPE_SHM;
	mem->map_cache_type = VGN_MAP_CACHE_CACHED;
	mem->size = size;
	mem->map_ptr = NULL;
	return 0;
}

/* VGN_BLOB_PARAM_HAS_FD: the fd must be a file (memfd, udmabuf) that holds
 * [fd_offset, fd_offset + blob_size). Only guest pages travel this way. */
static int check_guest_fd(vgn_renderer *r, const struct vgn_blob_params *p)
{
	if (!(p->param_flags & VGN_BLOB_PARAM_HAS_FD))
		return 0;
	if (p->blob_mem != VGN_BLOB_MEM_GUEST || p->fd < 0)
		return -EINVAL;
	struct stat st;
	uint64_t end;
	if (fstat(p->fd, &st) < 0)
		return -EBADF;
	if (__builtin_add_overflow(p->fd_offset, p->blob_size, &end) || st.st_size < 0 ||
	    end > (uint64_t)st.st_size || p->fd_offset > (uint64_t)INT64_MAX) {
		vgn_warn(r, "blob: fd range [%llu, +%llu) lies outside the fd's %lld bytes",
		         (unsigned long long)p->fd_offset, (unsigned long long)p->blob_size,
		         (long long)st.st_size);
		return -EINVAL;
	}
	return 0;
}

/* Validation that needs no lookup. */
static int check_blob_params(vgn_renderer *r, const struct vgn_blob_params *p, uint64_t *iov_total)
{
	if (p->blob_flags & ~VGN_BLOB_FLAGS_ALL)
		return -EINVAL;
	if (!p->blob_size)
		return -EINVAL;
	*iov_total = 0;
	if (p->param_flags & ~VGN_BLOB_PARAM_HAS_FD)
		return -EINVAL;
	if ((p->param_flags & VGN_BLOB_PARAM_HAS_FD) && p->blob_mem != VGN_BLOB_MEM_GUEST)
		return -EINVAL;
	switch (p->blob_mem) {
	case VGN_BLOB_MEM_GUEST:
	case VGN_BLOB_MEM_HOST3D_GUEST: {
		/* HOST3D_GUEST: a context's object (blob_id) whose guest storage is
		 * the pages. The VMM does not map it (the guest has the pages). */
		if (p->blob_mem == VGN_BLOB_MEM_HOST3D_GUEST &&
		    (!p->ctx_id || !p->blob_id || (p->blob_flags & VGN_BLOB_FLAG_MAPPABLE)))
			return -EINVAL;
		int ret = vgn_iov_validate(p->iov, p->num_iovs, iov_total);
		if (ret)
			return ret;
		if (*iov_total < p->blob_size)
			return -EINVAL;
		return check_guest_fd(r, p);
	}
	case VGN_BLOB_MEM_HOST3D:
		if (!p->ctx_id || p->iov || p->num_iovs)
			return -EINVAL;
		if (p->blob_size % page_size())
			return -EINVAL;
		if (p->blob_size > r->max_bytes_per_context || p->blob_size > r->max_total_bytes) {
			vgn_warn(r,
			         "blob of %llu bytes exceeds the per-context limit of %llu or "
			         "the renderer budget of %llu",
			         (unsigned long long)p->blob_size,
			         (unsigned long long)r->max_bytes_per_context,
			         (unsigned long long)r->max_total_bytes);
			return -ENOSPC;
		}
		return 0;
	default:
		return -EINVAL;
	}
}

/* HOST3D_GUEST: the object the context described under blob_id, made by the
 * context's backend like a classic resource (same validation, same transfer
 * path); the caller then gives it the blob's pages as its backing. */
static int host3d_guest_object(vgn_renderer *r, struct vgn_context *ctx, struct vgn_resource *res,
                               const struct vgn_blob_params *p)
{
	struct vgn_backend *b = ctx->backend;
	struct vgn_resource_create_params cp;
	memset(&cp, 0, sizeof(cp));
	int ret = b->ops->context_describe_blob(b, ctx, p->blob_id, &cp);
	if (ret) {
		vgn_warn(r, "blob %u: context %u described no object under blob_id %llu",
		         res->res_id, p->ctx_id, (unsigned long long)p->blob_id);
		return ret;
	}
	cp.size = sizeof(cp);
	const struct vgn_format *f;
	uint64_t layout;
	ret = vgn_resource_validate_create(r, &cp, &f, &layout);
	if (ret)
		return ret;
	if (layout > p->blob_size) {
		vgn_warn(r, "blob %u: the object's %llu guest bytes exceed blob_size %llu",
		         res->res_id, (unsigned long long)layout, (unsigned long long)p->blob_size);
		return -EINVAL;
	}
	if (!b->ops->resource_create)
		return -ENOTSUP;
	res->create = cp;
	res->format = f;
	res->size_bytes = layout;
	ret = vgn_resource_charge(res, layout);
	if (ret)
		return ret;
	ret = b->ops->resource_create(b, res);
	if (!ret)
		res->backend = b; /* its resource_destroy frees the object */
	return ret;
}

VGN_EXPORT int vgn_resource_create_blob(vgn_renderer *r, uint32_t res_id,
                                        const struct vgn_blob_params *params)
{
	struct vgn_blob_params p;
	if (!r)
		return -EINVAL;
	int ret = vgn_copy_in(&p, sizeof(p), params, VGN_BLOB_PARAMS_SIZE_V1);
	if (ret)
		return ret;
	if (!res_id)
		return -EINVAL;
	uint64_t iov_total;
	ret = check_blob_params(r, &p, &iov_total);
	if (ret) {
		vgn_dbg(r, "blob %u: rejected (mem %u flags 0x%x size %llu): %s", res_id,
		        p.blob_mem, p.blob_flags, (unsigned long long)p.blob_size,
		        vgn_strerror(ret));
		return ret;
	}
	if (vgn_resource_id_used(r, res_id))
		return -EEXIST;

	struct vgn_context *ctx = NULL;
	if (p.ctx_id) {
		ret = vgn_context_acquire(r, p.ctx_id, false, &ctx);
		if (ret)
			return ret;
	}
	struct vgn_resource *res = NULL;
	if (p.blob_mem == VGN_BLOB_MEM_HOST3D_GUEST && !ctx->backend->ops->context_describe_blob) {
		ret = -ENOTSUP; /* e.g. Venus: its memory is the storage (docs/abi.md) */
		goto out;
	}
	if (p.blob_mem == VGN_BLOB_MEM_HOST3D && p.blob_id &&
	    !ctx->backend->ops->context_get_blob) {
		ret = -EINVAL; /* the context has no objects that could back a blob */
		goto out;
	}

	res = vgn_resource_alloc(r, res_id);
	struct vgn_blob *blob = blob_new();
	if (!res || !blob) {
		free(blob);
		ret = -ENOMEM;
		goto out;
	}
	res->blob = blob;
	res->size_bytes = p.blob_size;
	blob->ctx_id = p.ctx_id;
	blob->blob_mem = p.blob_mem;
	blob->blob_flags = p.blob_flags;
	blob->blob_id = p.blob_id;
	blob->blob_size = p.blob_size;
	/* Host memory counts against the budget; guest pages only as a resource. */
	if (p.blob_mem == VGN_BLOB_MEM_HOST3D_GUEST)
		ret = host3d_guest_object(r, ctx, res, &p); /* charges the object */
	else
		ret = vgn_resource_charge(res, p.blob_mem == VGN_BLOB_MEM_GUEST ? 0 : p.blob_size);
	if (ret)
		goto out;

	if (p.blob_mem == VGN_BLOB_MEM_GUEST || p.blob_mem == VGN_BLOB_MEM_HOST3D_GUEST) {
		res->iov = malloc(sizeof(*res->iov) * p.num_iovs);
		if (!res->iov) {
			ret = -ENOMEM;
			goto out;
		}
		memcpy(res->iov, p.iov, sizeof(*res->iov) * p.num_iovs);
		res->num_iovs = p.num_iovs;
		res->iov_total = iov_total;
		blob->mem.map_cache_type = VGN_MAP_CACHE_CACHED;
		if (p.param_flags & VGN_BLOB_PARAM_HAS_FD) {
			blob->guest_fd = fcntl(p.fd, F_DUPFD_CLOEXEC, 0);
			if (blob->guest_fd < 0) {
				ret = errno == EMFILE ? -EMFILE : -EBADF;
				goto out;
			}
			blob->guest_fd_offset = p.fd_offset;
		}
	} else if (!p.blob_id) {
		ret = make_shm(p.blob_size, &blob->mem);
		if (ret)
			goto out;
	} else {
		struct vgn_blob_memory mem;
		memset(&mem, 0, sizeof(mem));
		mem.fd = -1;
		ret = ctx->backend->ops->context_get_blob(ctx->backend, ctx, p.blob_id, p.blob_size,
		                                          p.blob_flags, &mem);
		if (ret)
			goto out;
		blob->mem = mem; /* the fd is ours from here on */
		if (mem.backend_data) {
			res->backend = ctx->backend;
			res->backend_data = mem.backend_data;
			res->create = mem.create;
		}
		if (mem.size < p.blob_size) {
			vgn_warn(r, "blob %u: backend memory (%llu) smaller than blob_size", res_id,
			         (unsigned long long)mem.size);
			ret = -EINVAL;
			goto out;
		}
	}

	/* A blob is usable by its context at once (virtio-gpu semantics). */
	if (ctx) {
		ret = vgn_context_attach_locked(ctx, res);
		if (ret)
			goto out;
	}
	ret = vgn_resource_publish(r, res);
	if (ret) {
		if (ctx)
			vgn_context_detach_locked(ctx, res_id);
		goto out;
	}
	res = NULL; /* the table owns the creation reference */
out:
	if (res)
		vgn_resource_put(res);
	if (ctx)
		vgn_context_release(ctx);
	return ret;
}

VGN_EXPORT int vgn_resource_map(vgn_renderer *r, uint32_t res_id, void **ptr, uint64_t *size)
{
	if (!r || !ptr)
		return -EINVAL;
	struct vgn_resource *res;
	int ret = vgn_resource_acquire(r, res_id, &res);
	if (ret)
		return ret;
	struct vgn_blob *blob = res->blob;
	uint64_t len = 0;
	if (!blob || !(blob->blob_flags & VGN_BLOB_FLAG_MAPPABLE)) {
		ret = -EINVAL;
	} else if (blob->mapped) {
		ret = -EBUSY;
	} else if (blob->blob_mem == VGN_BLOB_MEM_GUEST) {
		/* Guest pages are only mappable as one linear view. */
		if (res->num_iovs != 1) {
			ret = -ENOTSUP;
		} else {
			blob->map_ptr = res->iov[0].iov_base;
			blob->map_owned = false;
		}
	} else if (blob->mem.fd >= 0) {
		if (!map_length(blob->blob_size, &len)) {
			ret = -ENOMEM;
		} else {
			void *p = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED,
			               blob->mem.fd, 0);
			if (p == MAP_FAILED) {
				ret = -ENOMEM;
			} else {
				blob->map_ptr = p;
				blob->map_len = len;
				blob->map_owned = true;
			}
		}
	} else if (blob->mem.map_ptr) {
		blob->map_ptr = blob->mem.map_ptr;
		blob->map_owned = false;
	} else {
		ret = -ENOTSUP;
	}
	if (!ret) {
		blob->mapped = true;
		blob->map_fixed = false;
		*ptr = blob->map_ptr;
		if (size)
			*size = blob->blob_size;
	}
	vgn_resource_release(res);
	return ret;
}

VGN_EXPORT int vgn_resource_map_fixed(vgn_renderer *r, uint32_t res_id, void *addr, uint64_t size)
{
	if (!r || !addr || (uintptr_t)addr % page_size())
		return -EINVAL;
	struct vgn_resource *res;
	int ret = vgn_resource_acquire(r, res_id, &res);
	if (ret)
		return ret;
	struct vgn_blob *blob = res->blob;
	uint64_t len = 0, end;
	if (!blob || !(blob->blob_flags & VGN_BLOB_FLAG_MAPPABLE)) {
		ret = -EINVAL;
	} else if (blob->mapped) {
		ret = -EBUSY;
	} else if (!map_length(blob->blob_size, &len) || size < len ||
	           __builtin_add_overflow((uint64_t)(uintptr_t)addr, len, &end)) {
		ret = -EINVAL; /* the caller's window must hold the whole blob */
	} else if (blob->mem.fd < 0) {
		ret = -ENOTSUP; /* guest pages / backend pointers cannot be placed */
	} else {
		void *p = mmap(addr, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		               blob->mem.fd, 0);
		if (p == MAP_FAILED) {
			ret = -ENOMEM;
		} else {
			blob->mapped = true;
			blob->map_fixed = true;
			blob->map_owned = false;
			blob->map_ptr = p;
			blob->map_len = len;
		}
	}
	vgn_resource_release(res);
	return ret;
}

VGN_EXPORT int vgn_resource_unmap(vgn_renderer *r, uint32_t res_id)
{
	if (!r)
		return -EINVAL;
	struct vgn_resource *res;
	int ret = vgn_resource_acquire(r, res_id, &res);
	if (ret)
		return ret;
	if (!res->blob || !res->blob->mapped)
		ret = -EINVAL;
	else
		vgn_blob_unmap_locked(res);
	vgn_resource_release(res);
	return ret;
}

VGN_EXPORT int vgn_resource_map_info(vgn_renderer *r, uint32_t res_id, uint32_t *map_cache_type)
{
	if (!r || !map_cache_type)
		return -EINVAL;
	struct vgn_resource *res;
	int ret = vgn_resource_acquire(r, res_id, &res);
	if (ret)
		return ret;
	if (!res->blob || !(res->blob->blob_flags & VGN_BLOB_FLAG_MAPPABLE))
		ret = -EINVAL;
	else
		*map_cache_type = res->blob->mem.map_cache_type;
	vgn_resource_release(res);
	return ret;
}

VGN_EXPORT int vgn_resource_export(vgn_renderer *r, uint32_t res_id, struct vgn_export *out)
{
	if (!r || !out)
		return -EINVAL;
	uint32_t out_size;
	memcpy(&out_size, out, sizeof(out_size));
	if (out_size < VGN_EXPORT_SIZE_V1)
		return -EINVAL;
	struct vgn_resource *res = vgn_resource_get(r, res_id);
	if (!res)
		return -ENOENT;
	struct vgn_export ex;
	memset(&ex, 0, sizeof(ex));
	ex.fd = -1;
	int ret = 0;
	pthread_mutex_lock(&res->lock);
	struct vgn_blob *blob = res->blob;
	if (!blob || blob->mem.fd < 0) {
		ret = -ENOTSUP; /* classic resources and guest pages have no handle to give */
	} else {
		ex.fd = fcntl(blob->mem.fd, F_DUPFD_CLOEXEC, 0);
		if (ex.fd < 0)
			ret = -errno;
		ex.handle_type = blob->mem.handle_type;
		ex.memory_type_index = blob->mem.memory_type_index;
		memcpy(ex.device_uuid, blob->mem.device_uuid, sizeof(ex.device_uuid));
		memcpy(ex.driver_uuid, blob->mem.driver_uuid, sizeof(ex.driver_uuid));
		ex.blob_size = blob->blob_size;
	}
	pthread_mutex_unlock(&res->lock);
	vgn_resource_put(res);
	if (ret)
		return ret;
	ex.size = out_size;
	return vgn_copy_out(out, &ex, sizeof(ex), VGN_EXPORT_SIZE_V1);
}

VGN_EXPORT int vgn_resource_import(vgn_renderer *r, uint32_t res_id, const struct vgn_export *in)
{
	struct vgn_export ex;
	if (!r)
		return -EINVAL;
	int ret = vgn_copy_in(&ex, sizeof(ex), in, VGN_EXPORT_SIZE_V1);
	if (ret)
		return ret;
	if (!res_id)
		return -EINVAL;
	switch (ex.handle_type) {
	case VGN_HANDLE_TYPE_SHM:
		break;
	case VGN_HANDLE_TYPE_DMABUF:
	case VGN_HANDLE_TYPE_OPAQUE_FD:
		return -ENOTSUP; /* needs a GPU backend to import into */
	default:
		return -EINVAL;
	}
	if (ex.fd < 0 || !ex.blob_size)
		return -EINVAL;
	struct stat st;
	if (fstat(ex.fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (uint64_t)st.st_size < ex.blob_size)
		return -EINVAL;
	if (vgn_resource_id_used(r, res_id))
		return -EEXIST;

	struct vgn_resource *res = vgn_resource_alloc(r, res_id);
	struct vgn_blob *blob = blob_new();
	if (!res || !blob) {
		free(blob);
		if (res)
			vgn_resource_put(res);
		return -ENOMEM;
	}
	res->blob = blob;
	res->size_bytes = ex.blob_size;
	blob->blob_mem = VGN_BLOB_MEM_HOST3D;
	blob->blob_flags = VGN_BLOB_FLAG_MAPPABLE | VGN_BLOB_FLAG_SHAREABLE;
	blob->blob_size = ex.blob_size;
	blob->mem.handle_type = VGN_HANDLE_TYPE_SHM;
	blob->mem.map_cache_type = VGN_MAP_CACHE_CACHED;
	blob->mem.size = ex.blob_size;
	blob->mem.fd = fcntl(ex.fd, F_DUPFD_CLOEXEC, 0);
	/* The memory exists already (whoever exported it paid for it): an import
	 * counts as a resource, not as bytes. */
	if (blob->mem.fd < 0)
		ret = -EINVAL;
	else
		ret = vgn_resource_charge(res, 0);
	if (!ret)
		ret = vgn_resource_publish(r, res);
	if (ret)
		vgn_resource_put(res);
	return ret;
}
