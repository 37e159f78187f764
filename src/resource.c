/* SPDX-License-Identifier: MIT */
#include "resource.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "blob.h"
#include "cpu2d/cpu2d.h"
#include "format.h"
#include "iov.h"
#include "log.h"
#include "renderer.h"
#include "transfer.h"

/* Dimension limits for textures (buffers are bounded by VGN_MAX_RESOURCE_BYTES). */
#define VGN_MAX_TEXTURE_SIZE 16384u
#define VGN_MAX_3D_SIZE 2048u
#define VGN_MAX_ARRAY_LAYERS 2048u
#define VGN_MAX_SAMPLES 32u

#define VGN_RESOURCE_FLAGS_ALL                                                                     \
	(VGN_RESOURCE_FLAG_Y_0_TOP | VGN_RESOURCE_FLAG_MAP_PERSISTENT |                            \
	 VGN_RESOURCE_FLAG_MAP_COHERENT)

struct vgn_resource *vgn_resource_alloc(vgn_renderer *r, uint32_t res_id)
{
	struct vgn_resource *res = calloc(1, sizeof(*res));
	if (!res)
		return NULL;
	res->renderer = r;
	res->res_id = res_id;
	atomic_init(&res->refs, 1);
	pthread_mutex_init(&res->lock, NULL);
	pthread_mutex_init(&res->backing_lock, NULL);
	res->dmabuf_fd = -1;
	return res;
}

struct vgn_resource *vgn_resource_get(vgn_renderer *r, uint32_t res_id)
{
	pthread_mutex_lock(&r->lock);
	struct vgn_resource *res = vgn_table_get(&r->resources, res_id);
	if (res)
		atomic_fetch_add(&res->refs, 1);
	pthread_mutex_unlock(&r->lock);
	return res;
}

void vgn_resource_ref(struct vgn_resource *res)
{
	atomic_fetch_add(&res->refs, 1);
}

void vgn_resource_backing_lock(struct vgn_resource *res)
{
	pthread_mutex_lock(&res->backing_lock);
}

void vgn_resource_backing_unlock(struct vgn_resource *res)
{
	pthread_mutex_unlock(&res->backing_lock);
}

void vgn_resource_drop_backing(struct vgn_resource *res)
{
	pthread_mutex_lock(&res->backing_lock);
	free(res->iov);
	res->iov = NULL;
	res->num_iovs = 0;
	res->iov_total = 0;
	pthread_mutex_unlock(&res->backing_lock);
	res->backing_flags = 0;
	if (res->dmabuf_fd >= 0)
		close(res->dmabuf_fd);
	res->dmabuf_fd = -1;
}

void vgn_resource_put(struct vgn_resource *res)
{
	if (atomic_fetch_sub(&res->refs, 1) != 1)
		return;
	if (res->backend && res->backend->ops->resource_destroy)
		res->backend->ops->resource_destroy(res->backend, res);
	if (res->blob)
		vgn_blob_free(res);
	vgn_resource_drop_backing(res);
	if (res->budget_charged)
		vgn_budget_refund(res->renderer, res->budget_bytes);
	pthread_mutex_destroy(&res->lock);
	pthread_mutex_destroy(&res->backing_lock);
	free(res);
}

int vgn_resource_charge(struct vgn_resource *res, uint64_t host_bytes)
{
	int ret = vgn_budget_charge(res->renderer, host_bytes);
	if (ret) {
		vgn_warn(res->renderer,
		         "resource %u: refused (%llu host bytes): over the renderer "
		         "budget",
		         res->res_id, (unsigned long long)host_bytes);
		return ret;
	}
	res->budget_bytes = host_bytes;
	res->budget_charged = true;
	return 0;
}

bool vgn_resource_id_used(vgn_renderer *r, uint32_t res_id)
{
	pthread_mutex_lock(&r->lock);
	bool used = vgn_table_get(&r->resources, res_id) != NULL;
	pthread_mutex_unlock(&r->lock);
	return used;
}

int vgn_resource_publish(vgn_renderer *r, struct vgn_resource *res)
{
	pthread_mutex_lock(&r->lock);
	int ret = vgn_table_insert(&r->resources, res->res_id, res);
	pthread_mutex_unlock(&r->lock);
	return ret;
}

/* Number of mip levels of a full chain for these dimensions. */
static uint32_t full_levels(uint32_t w, uint32_t h, uint32_t d)
{
	uint32_t m = w > h ? w : h;
	m = m > d ? m : d;
	uint32_t n = 0;
	while (m) {
		n++;
		m >>= 1;
	}
	return n;
}

/* Target/dimension rules of virgl-protocol.md §6.1. */
int vgn_resource_validate_create(vgn_renderer *r, const struct vgn_resource_create_params *p,
                                 const struct vgn_format **fmt_out, uint64_t *size_out)
{
	const struct vgn_format *f = vgn_format_get(p->format);
	if (!f) {
		vgn_warn(r, "resource: unknown format %u", p->format);
		return -EINVAL;
	}
	if (p->flags & ~VGN_RESOURCE_FLAGS_ALL)
		return -EINVAL;
	if (!p->width || !p->height || !p->depth)
		return -EINVAL;
	bool ms = p->nr_samples > 1;
	if (p->nr_samples > VGN_MAX_SAMPLES)
		return -EINVAL;

	uint32_t w = p->width, h = p->height, d = p->depth, a = p->array_size;
	bool tex = p->target != VGN_TARGET_BUFFER;
	if (tex && (w > VGN_MAX_TEXTURE_SIZE || h > VGN_MAX_TEXTURE_SIZE))
		return -EINVAL;
	if (tex && f->block_w == 0)
		return -ENOTSUP; /* multi-planar formats: no layout we can validate */
	switch (p->target) {
	case VGN_TARGET_BUFFER:
		/* array_size 0 is what vtest fence buffers carry. */
		if (h != 1 || d != 1 || a > 1 || p->last_level || ms)
			return -EINVAL;
		break;
	case VGN_TARGET_1D:
		if (h != 1 || d != 1 || a != 1 || ms)
			return -EINVAL;
		break;
	case VGN_TARGET_1D_ARRAY:
		if (h != 1 || d != 1 || !a || a > VGN_MAX_ARRAY_LAYERS || ms)
			return -EINVAL;
		break;
	case VGN_TARGET_2D:
		if (d != 1 || a != 1)
			return -EINVAL;
		break;
	case VGN_TARGET_RECT:
		if (d != 1 || a != 1 || p->last_level || ms)
			return -EINVAL;
		break;
	case VGN_TARGET_2D_ARRAY:
		if (d != 1 || !a || a > VGN_MAX_ARRAY_LAYERS)
			return -EINVAL;
		break;
	case VGN_TARGET_3D:
		if (d > VGN_MAX_3D_SIZE || w > VGN_MAX_3D_SIZE || h > VGN_MAX_3D_SIZE || a != 1 ||
		    ms)
			return -EINVAL;
		break;
	case VGN_TARGET_CUBE:
		if (d != 1 || a != 6 || w != h || ms)
			return -EINVAL;
		break;
	case VGN_TARGET_CUBE_ARRAY:
		if (d != 1 || !a || a % 6 || a > VGN_MAX_ARRAY_LAYERS || w != h || ms)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (ms && p->last_level)
		return -EINVAL;
	bool one_d = p->target == VGN_TARGET_BUFFER || p->target == VGN_TARGET_1D ||
	             p->target == VGN_TARGET_1D_ARRAY;
	uint32_t levels = full_levels(w, one_d ? 1 : h, p->target == VGN_TARGET_3D ? d : 1);
	if (p->last_level >= levels)
		return -EINVAL;
	/* Block formats need no alignment of the base size (edges are partial blocks). */
	uint64_t size;
	int ret = vgn_layout_size(p, f, &size);
	if (ret)
		return ret;
	if (size > VGN_MAX_RESOURCE_BYTES) {
		vgn_warn(r, "resource: %llu bytes exceeds the per-resource cap of %llu",
		         (unsigned long long)size, (unsigned long long)VGN_MAX_RESOURCE_BYTES);
		return -EINVAL;
	}
	*fmt_out = f;
	*size_out = size;
	return 0;
}

VGN_EXPORT int vgn_resource_create(vgn_renderer *r, uint32_t res_id,
                                   const struct vgn_resource_create_params *params)
{
	struct vgn_resource_create_params p;
	if (!r)
		return -EINVAL;
	int ret = vgn_copy_in(&p, sizeof(p), params, VGN_RESOURCE_CREATE_PARAMS_SIZE_V1);
	if (ret)
		return ret;
	p.size = sizeof(p);
	if (!res_id)
		return -EINVAL;
	const struct vgn_format *f;
	uint64_t size;
	ret = vgn_resource_validate_create(r, &p, &f, &size);
	if (ret) {
		vgn_dbg(
		    r,
		    "resource %u: create rejected (target %u format %u %ux%ux%u a%u l%u s%u): %s",
		    res_id, p.target, p.format, p.width, p.height, p.depth, p.array_size,
		    p.last_level, p.nr_samples, vgn_strerror(ret));
		return ret;
	}
	if (vgn_resource_id_used(r, res_id))
		return -EEXIST;

	struct vgn_resource *res = vgn_resource_alloc(r, res_id);
	if (!res)
		return -ENOMEM;
	res->create = p;
	res->format = f;
	res->size_bytes = size;
	/* Budget before the backend allocates anything. */
	ret = vgn_resource_charge(res, size);
	if (ret) {
		vgn_resource_put(res);
		return ret;
	}
	/* First backend that takes it wins; -ENOTSUP means "not mine". */
	ret = -ENOTSUP;
	for (uint32_t i = 0; i < r->num_backends && ret == -ENOTSUP; i++) {
		struct vgn_backend *b = r->backends[i];
		if (!b->ops->resource_create)
			continue;
		ret = b->ops->resource_create(b, res);
		if (!ret)
			res->backend = b;
	}
	if (ret) {
		if (ret == -ENOTSUP)
			vgn_warn(r, "resource %u: no backend supports target %u format %s", res_id,
			         p.target, f->name);
		vgn_resource_put(res);
		return ret;
	}
	ret = vgn_resource_publish(r, res);
	if (ret)
		vgn_resource_put(res);
	return ret;
}

VGN_EXPORT int vgn_resource_unref(vgn_renderer *r, uint32_t res_id)
{
	if (!r)
		return -EINVAL;
	pthread_mutex_lock(&r->lock);
	struct vgn_resource *res = vgn_table_remove(&r->resources, res_id);
	pthread_mutex_unlock(&r->lock);
	if (!res)
		return -ENOENT;
	/* The VMM may free its guest memory and mapping windows once this returns,
	 * even if contexts keep the object alive: drop both now. */
	pthread_mutex_lock(&res->lock);
	res->vmm_dropped = true;
	if (res->blob)
		vgn_blob_unmap_locked(res);
	/* Out of the table, refs can only go down: 1 = ours alone, nobody will read
	 * the content again, so shared guest pages need no host copy. */
	if (atomic_load(&res->refs) > 1)
		vgn_cpu2d_unshare(res);
	vgn_resource_drop_backing(res);
	pthread_mutex_unlock(&res->lock);
	vgn_resource_put(res);
	return 0;
}

void vgn_resources_destroy_all(vgn_renderer *r)
{
	for (;;) {
		uint32_t it = 0, id = 0;
		pthread_mutex_lock(&r->lock);
		bool any = vgn_table_next(&r->resources, &it, &id, NULL);
		pthread_mutex_unlock(&r->lock);
		if (!any)
			break;
		vgn_resource_unref(r, id);
	}
}

#define VGN_BACKING_FLAGS_ALL VGN_BACKING_FLAG_LINEAR

VGN_EXPORT int vgn_resource_attach_backing(vgn_renderer *r, uint32_t res_id,
                                           const struct vgn_backing *backing)
{
	struct vgn_backing bk;
	if (!r)
		return -EINVAL;
	int ret = vgn_copy_in(&bk, sizeof(bk), backing, VGN_BACKING_SIZE_V1);
	if (ret)
		return ret;
	if (bk.flags & ~VGN_BACKING_FLAGS_ALL)
		return -EINVAL;
	uint64_t total;
	ret = vgn_iov_validate(bk.iov, bk.num_iovs, &total);
	if (ret)
		return ret;
	if ((bk.flags & VGN_BACKING_FLAG_LINEAR) && bk.num_iovs != 1)
		return -EINVAL;
	if (bk.dmabuf_fd < -1)
		return -EINVAL;

	struct iovec *copy = malloc(sizeof(*copy) * bk.num_iovs);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, bk.iov, sizeof(*copy) * bk.num_iovs);
	int fd = -1;
	if (bk.dmabuf_fd >= 0) {
		fd = fcntl(bk.dmabuf_fd, F_DUPFD_CLOEXEC, 0);
		if (fd < 0) {
			free(copy);
			return -EINVAL; /* not an open fd */
		}
	}

	struct vgn_resource *res = vgn_resource_get(r, res_id);
	if (!res) {
		ret = -ENOENT;
		goto err;
	}
	pthread_mutex_lock(&res->lock);
	if (res->blob)
		ret = -EINVAL; /* blobs get their pages at creation */
	else if (res->num_iovs)
		ret = -EBUSY; /* detach first */
	if (!ret) {
		pthread_mutex_lock(&res->backing_lock);
		res->iov = copy;
		res->num_iovs = bk.num_iovs;
		res->iov_total = total;
		pthread_mutex_unlock(&res->backing_lock);
		res->backing_flags = bk.flags;
		res->dmabuf_fd = fd;
	}
	pthread_mutex_unlock(&res->lock);
	vgn_resource_put(res);
	if (!ret)
		return 0;
err:
	free(copy);
	if (fd >= 0)
		close(fd);
	return ret;
}

VGN_EXPORT int vgn_resource_detach_backing(vgn_renderer *r, uint32_t res_id)
{
	if (!r)
		return -EINVAL;
	struct vgn_resource *res;
	int ret = vgn_resource_acquire(r, res_id, &res);
	if (ret)
		return ret;
	if (res->blob || !res->num_iovs)
		ret = -EINVAL; /* nothing attached (blob pages are not detachable) */
	else {
		vgn_cpu2d_unshare(res); /* keeps the content of shared pages */
		vgn_resource_drop_backing(res);
	}
	vgn_resource_release(res);
	return ret;
}

VGN_EXPORT int vgn_resource_get_info(vgn_renderer *r, uint32_t res_id,
                                     struct vgn_resource_info *out)
{
	if (!r || !out)
		return -EINVAL;
	uint32_t out_size;
	memcpy(&out_size, out, sizeof(out_size));
	if (out_size < VGN_RESOURCE_INFO_SIZE_V1)
		return -EINVAL;
	struct vgn_resource *res = vgn_resource_get(r, res_id);
	if (!res)
		return -ENOENT;
	struct vgn_resource_info info;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.modifier = 0x00ffffffffffffffull; /* DRM_FORMAT_MOD_INVALID */
	int ret = 0;
	pthread_mutex_lock(&res->lock);
	if (res->blob) {
		info.blob_mem = res->blob->blob_mem;
		info.blob_size = res->blob->blob_size;
	}
	if (res->format) { /* classic, or the object behind a HOST3D_GUEST blob */
		const struct vgn_resource_create_params *p = &res->create;
		info.format = p->format;
		info.drm_fourcc = res->format->drm_fourcc;
		info.width = p->width;
		info.height = p->height;
		info.depth = p->depth;
		info.flags = p->flags;
		info.target = p->target;
		info.bind = p->bind;
		if (res->backend && res->backend->ops->resource_get_info)
			ret = res->backend->ops->resource_get_info(res->backend, res, &info);
	}
	pthread_mutex_unlock(&res->lock);
	vgn_resource_put(res);
	if (ret)
		return ret;
	info.size = out_size;
	return vgn_copy_out(out, &info, sizeof(info), VGN_RESOURCE_INFO_SIZE_V1);
}

VGN_EXPORT int vgn_resource_copy_out(vgn_renderer *r, uint32_t res_id, const struct vgn_box *box,
                                     void *dst, size_t dst_size, uint32_t dst_stride)
{
	if (!r || !box || !dst || !dst_size)
		return -EINVAL;
	if (box->z != 0 || box->d != 1)
		return -EINVAL;
	/* A transfer from the host copy into a one-element iovec over dst: the
	 * validator checks the box, the stride and that the rows fit in dst_size. */
	struct iovec iov = {.iov_base = dst, .iov_len = dst_size};
	struct vgn_transfer t = {
	    .size = sizeof(t),
	    .ctx_id = 0,
	    .level = 0,
	    .stride = dst_stride,
	    .layer_stride = 0,
	    .box = *box,
	    .offset = 0,
	    .iov = &iov,
	    .num_iovs = 1,
	};
	return vgn_transfer_copy_out(r, res_id, &t);
}

int vgn_resource_acquire(vgn_renderer *r, uint32_t res_id, struct vgn_resource **out)
{
	struct vgn_resource *res = vgn_resource_get(r, res_id);
	if (!res)
		return -ENOENT;
	pthread_mutex_lock(&res->lock);
	*out = res;
	return 0;
}

void vgn_resource_release(struct vgn_resource *res)
{
	pthread_mutex_unlock(&res->lock);
	vgn_resource_put(res);
}
