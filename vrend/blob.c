/* SPDX-License-Identifier: MIT */
/*
 * HOST3D blobs backed by GL buffers whose storage is shared host memory (see
 * blob_internal.h). GL_EXT_memory_object_fd cannot import a plain memfd on
 * llvmpipe (it only takes memory its own driver exported), so the storage is
 * pinned client memory (GL_AMD_pinned_memory): GL reads and writes our mapping
 * of the memfd directly, the guest maps the same memfd. Descriptions without the
 * persistent/coherent flags serve HOST3D_GUEST blobs instead: the core makes a
 * classic object from them (vrend_context_describe_blob).
 */

#include <epoxy/gl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend_internal.h"
#include "blob_internal.h"
#include "context.h"
#include "gl_info.h"
#include "res_internal.h"
#include "resource.h"
#include "vctx.h"

#ifndef GL_EXTERNAL_VIRTUAL_MEMORY_BUFFER_AMD
#define GL_EXTERNAL_VIRTUAL_MEMORY_BUFFER_AMD 0x9160
#endif

#define PIPE_BUFFER 0u
#define RES_FLAG_Y_0_TOP (1u << 0)
#define RES_FLAG_MAP_PERSISTENT (1u << 1)
#define RES_FLAG_MAP_COHERENT (1u << 2)
#define VIRGL_FORMAT_R8_UNORM 64u

/* One PIPE_RESOURCE_CREATE, as the guest sent it. */
struct blob_desc {
	uint64_t blob_id; /* 0 = free slot */
	uint32_t target, format, bind, width, height, depth, array_size, last_level, nr_samples;
	uint32_t flags;
};

struct vrend_blob_ctx {
	struct blob_desc pending[VREND_BLOB_MAX_PENDING];
	uint32_t count;
};

/* backend_data of a blob resource: vr first, so vrend_ctx_get_resource's
 * callers see a plain buffer resource. */
struct blob_res {
	struct vrend_resource vr;
	void *map; /* our mapping of the memfd: the GL buffer's storage */
	size_t map_len;
};

bool vrend_blob_host_supported(const struct vrend_gl_info *info)
{
	return info && !info->gles && vrend_gl_has_ext(info, "GL_AMD_pinned_memory");
}

void vrend_blob_ctx_destroy(struct vrend_ctx *c)
{
	if (!c)
		return;
	free(c->blob);
	c->blob = NULL;
}

static struct blob_desc *find_desc(struct vrend_blob_ctx *bc, uint64_t blob_id)
{
	for (uint32_t i = 0; bc && i < VREND_BLOB_MAX_PENDING; i++) {
		if (bc->pending[i].blob_id == blob_id)
			return &bc->pending[i];
	}
	return NULL;
}

/* Payload (virgl-protocol.md 3, id 48): target, format, bind, width, height,
 * depth, array_size, last_level, nr_samples, flags, blob_id. Buffers with the
 * persistent/coherent flags are for HOST3D blobs (shared storage); anything else
 * is for HOST3D_GUEST blobs, whose layout the core validates at blob creation. */
int vrend_cmd_pipe_resource_create(struct vrend_decoder *dec, struct vrend_cmd *cmd)
{
	struct vrend_ctx *c = vrend_ctx_of(dec);
	uint32_t target = vrend_cmd_get(cmd, 1);
	uint32_t format = vrend_cmd_get(cmd, 2);
	uint32_t bind = vrend_cmd_get(cmd, 3);
	uint32_t width = vrend_cmd_get(cmd, 4);
	uint32_t height = vrend_cmd_get(cmd, 5);
	uint32_t depth = vrend_cmd_get(cmd, 6);
	uint32_t array_size = vrend_cmd_get(cmd, 7);
	uint32_t last_level = vrend_cmd_get(cmd, 8);
	uint32_t nr_samples = vrend_cmd_get(cmd, 9);
	uint32_t flags = vrend_cmd_get(cmd, 10);
	uint64_t blob_id = vrend_cmd_get(cmd, 11);

	bool shared = flags & (RES_FLAG_MAP_PERSISTENT | RES_FLAG_MAP_COHERENT);

	if (!c)
		return vrend_decoder_fail(dec, cmd, -EIO, "no context");
	if (shared && !vrend_blob_host_supported(vrend_ctx_gl_info(c)))
		return vrend_decoder_fail(dec, cmd, -ENOTSUP,
		                          "host GL cannot share buffer storage (no blobs)");
	if (flags & ~(RES_FLAG_MAP_PERSISTENT | RES_FLAG_MAP_COHERENT | RES_FLAG_Y_0_TOP))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "bad blob resource flags 0x%x", flags);
	/* Shared storage: buffers only; their format field is a Mesa pipe_format
	 * (vtest.md 6.8), meaningless to us and ignored. */
	if (shared && target != PIPE_BUFFER)
		return vrend_decoder_fail(
		    dec, cmd, -EINVAL, "persistent/coherent blob target %u: only buffers", target);
	if (target == PIPE_BUFFER &&
	    (!width || width > VREND_BLOB_MAX_WIDTH || height != 1 || depth != 1 ||
	     array_size != 1 || last_level || nr_samples > 1))
		return vrend_decoder_fail(dec, cmd, -EINVAL,
		                          "bad blob buffer layout %ux%ux%u array %u levels %u "
		                          "samples %u",
		                          width, height, depth, array_size, last_level + 1u,
		                          nr_samples);
	if (!blob_id)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "blob_id 0 names no object");
	if (!c->blob) {
		c->blob = calloc(1, sizeof(*c->blob));
		if (!c->blob)
			return vrend_decoder_fail(dec, cmd, -ENOMEM, "out of memory");
	}
	if (find_desc(c->blob, blob_id))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "blob_id %llu already pending",
		                          (unsigned long long)blob_id);
	struct blob_desc *d = find_desc(c->blob, 0);
	if (!d)
		return vrend_decoder_fail(dec, cmd, -ENOSPC,
		                          "more than %u blob descriptions pending",
		                          VREND_BLOB_MAX_PENDING);
	*d = (struct blob_desc){
	    .blob_id = blob_id,
	    .target = target,
	    .format = format,
	    .bind = bind,
	    .width = width,
	    .height = height,
	    .depth = depth,
	    .array_size = array_size,
	    .last_level = last_level,
	    .nr_samples = nr_samples,
	    .flags = flags,
	};
	c->blob->count++;
	return 0;
}

/* A zeroed, size-sealed memfd and our shared mapping of it. */
static int make_memory(uint64_t size, int *fd_out, void **map_out)
{
	int fd = memfd_create("vgn-vrend-blob", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0) {
		close(fd);
		return -ENOMEM;
	}
	fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	void *map = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		close(fd);
		return -ENOMEM;
	}
	*fd_out = fd;
	*map_out = map;
	return 0;
}

/* The pinned GL buffer over map (resource context current). */
static int pin_buffer(struct vrend_res_state *st, void *map, uint32_t width, GLuint *out)
{
	GLuint buf = 0;

	glGenBuffers(1, &buf);
	glBindBuffer(GL_EXTERNAL_VIRTUAL_MEMORY_BUFFER_AMD, buf);
	glBufferData(GL_EXTERNAL_VIRTUAL_MEMORY_BUFFER_AMD, (GLsizeiptr)width, map,
	             GL_DYNAMIC_DRAW);
	glBindBuffer(GL_EXTERNAL_VIRTUAL_MEMORY_BUFFER_AMD, 0);
	int ret = vrend_res_gl_check(st, "pinned blob buffer", -EINVAL);
	if (ret) {
		glDeleteBuffers(1, &buf);
		return ret;
	}
	*out = buf;
	return 0;
}

int vrend_context_get_blob(struct vgn_backend *b, struct vgn_context *ctx, uint64_t blob_id,
                           uint64_t size, uint32_t blob_flags, struct vgn_blob_memory *out)
{
	struct vrend_ctx *c = ctx->backend_data;
	struct vrend_res_state *st = vrend_res_state_of(b);
	struct blob_desc *d = c ? find_desc(c->blob, blob_id) : NULL;
	int fd = -1, ret;
	void *map = NULL;

	(void)blob_flags; /* the core validated them; every flag works on a memfd */
	if (!blob_id || !d)
		return -EINVAL; /* no PIPE_RESOURCE_CREATE named this blob */
	struct blob_desc desc = *d;
	/* One blob per description, like virtio-gpu: consumed even on failure. */
	memset(d, 0, sizeof(*d));
	c->blob->count--;
	if (!vrend_blob_host_supported(st->info))
		return -ENOTSUP;
	if (desc.target != PIPE_BUFFER)
		return -EINVAL; /* only buffers can share storage with the guest's mapping */
	if (size < desc.width || size > SIZE_MAX)
		return -EINVAL; /* the guest maps size bytes; the buffer must lie inside */

	struct blob_res *br = calloc(1, sizeof(*br));
	if (!br)
		return -ENOMEM;
	ret = make_memory(size, &fd, &map);
	if (ret)
		goto fail;
	br->map = map;
	br->map_len = (size_t)size;
	ret = vrend_res_enter(st);
	if (ret)
		goto fail;
	GLuint name = 0;
	ret = pin_buffer(st, map, desc.width, &name);
	vrend_res_leave(st);
	if (ret)
		goto fail;

	br->vr.gl_target = GL_BUFFER;
	br->vr.gl_name = name;
	br->vr.is_buffer = true;
	br->vr.vfmt = VIRGL_FORMAT_R8_UNORM;
	br->vr.levels = 1;
	out->fd = fd;
	out->handle_type = VGN_HANDLE_TYPE_SHM;
	out->map_cache_type = VGN_MAP_CACHE_CACHED;
	out->size = size;
	out->map_ptr = NULL; /* the core maps the fd for the guest */
	out->backend_data = br;
	memset(&out->create, 0, sizeof(out->create));
	out->create.size = sizeof(out->create);
	out->create.target = VGN_TARGET_BUFFER;
	out->create.format = VIRGL_FORMAT_R8_UNORM;
	out->create.bind = desc.bind;
	out->create.width = desc.width;
	out->create.height = out->create.depth = out->create.array_size = 1;
	out->create.flags = desc.flags;
	return 0;
fail:
	if (map)
		munmap(map, (size_t)size);
	if (fd >= 0)
		close(fd);
	free(br);
	return ret;
}

/* One blob per description here too (consumed even if the core then refuses
 * the layout). Buffers ignore the format field (see above); textures carry a
 * virgl format, as virglrenderer reads it. */
int vrend_context_describe_blob(struct vgn_backend *b, struct vgn_context *ctx, uint64_t blob_id,
                                struct vgn_resource_create_params *out)
{
	struct vrend_ctx *c = ctx->backend_data;
	struct blob_desc *d = c && blob_id ? find_desc(c->blob, blob_id) : NULL;

	(void)b;
	if (!d)
		return -EINVAL; /* no PIPE_RESOURCE_CREATE named this blob */
	struct blob_desc desc = *d;
	memset(d, 0, sizeof(*d));
	c->blob->count--;
	if (desc.flags & (RES_FLAG_MAP_PERSISTENT | RES_FLAG_MAP_COHERENT))
		return -EINVAL; /* described for a HOST3D blob (shared storage) */
	bool buffer = desc.target == PIPE_BUFFER;
	*out = (struct vgn_resource_create_params){
	    .size = sizeof(*out),
	    .target = desc.target,
	    .format = buffer ? VIRGL_FORMAT_R8_UNORM : desc.format,
	    .bind = desc.bind,
	    .width = desc.width,
	    .height = desc.height,
	    .depth = desc.depth,
	    .array_size = buffer ? 1 : desc.array_size,
	    .last_level = desc.last_level,
	    .nr_samples = desc.nr_samples,
	    .flags = desc.flags,
	};
	return 0;
}

void vrend_blob_resource_destroy(struct vgn_backend *b, struct vgn_resource *res)
{
	struct vrend_res_state *st = vrend_res_state_of(b);
	struct blob_res *br = res->backend_data;

	/* HOST3D_GUEST: a classic object (res_gl.c) under a blob. */
	if (res->format) {
		vrend_resource_destroy(b, res);
		return;
	}
	if (!br)
		return;
	if (vrend_res_enter(st) == 0) {
		GLuint name = br->vr.gl_name;
		glDeleteBuffers(1, &name);
		/* GL may still read the pinned pages for queued work. */
		glFinish();
		vrend_res_leave(st);
		munmap(br->map, br->map_len);
	} else {
		/* The GL buffer may still point at the pages: keep them mapped. */
		vrend_res_log(st, VGN_LOG_ERROR, "vrend blob: leaking GL buffer %u and its memory",
		              br->vr.gl_name);
	}
	res->backend_data = NULL;
	free(br);
}
