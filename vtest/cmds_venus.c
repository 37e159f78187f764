/* SPDX-License-Identifier: MIT */
/* Venus-side commands (spec §7): GET_PARAM, GET_CAPSET, CONTEXT_INIT,
 * RESOURCE_CREATE_BLOB and SUBMIT_CMD2. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "vtest_protocol.h"

int vtest_cmd_get_param(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	uint32_t v[2] = {0, 0}; /* {valid, value}; unknown parameters are "not valid" */

	if (p[0] == VTEST_PARAM_MAX_TIMELINE_COUNT) {
		v[0] = 1;
		v[1] = c->max_rings;
	}
	vtest_dbg(&c->log, "-> GET_PARAM %u: valid %u value %u", p[0], v[0], v[1]);
	return vtest_conn_reply(c, 2, VTEST_CMD_GET_PARAM, v, 2);
}

int vtest_cmd_get_capset(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	uint32_t id = p[0], version = p[1], max_version = 0, max_size = 0, n, *out;
	uint32_t unsupported = 0;
	size_t written = 0;
	int ret;

	ret = vgn_capset_info(c->r, id, &max_version, &max_size);
	if (ret || version > max_version || !max_size || max_size > VTEST_MAX_CAPSET_BYTES) {
		if (ret)
			vtest_info(&c->log, "GET_CAPSET %u version %u: unsupported (%s)", id,
			           version, vgn_strerror(ret));
		else
			vtest_info(
			    &c->log,
			    "GET_CAPSET %u version %u: unsupported (max version %u, %u bytes)", id,
			    version, max_version, max_size);
		return vtest_conn_reply(c, 1, VTEST_CMD_GET_CAPSET, &unsupported, 1);
	}
	n = (max_size + 3) / 4;
	out = calloc(1 + (size_t)n, sizeof(uint32_t));
	if (!out)
		return -ENOMEM;
	ret = vgn_capset_fill(c->r, id, version, &out[1], max_size, &written);
	if (!ret && written > max_size)
		ret = -EOVERFLOW;
	if (ret) {
		vtest_err(&c->log, "cannot fill capset %u: %s", id, vgn_strerror(ret));
		free(out);
		return ret;
	}
	n = (uint32_t)((written + 3) / 4); /* zero padded to whole dwords */
	out[0] = 1;
	vtest_dbg(&c->log, "-> GET_CAPSET %u version %u: %zu bytes", id, version, written);
	ret = vtest_conn_reply(c, 1 + n, VTEST_CMD_GET_CAPSET, out, 1 + (size_t)n);
	free(out);
	return ret;
}

int vtest_cmd_context_init(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	if (!p[0]) {
		vtest_err(&c->log, "CONTEXT_INIT with capset 0");
		return -EINVAL;
	}
	return vtest_conn_ensure_context(c, p[0]);
}

static int create_blob(struct vtest_conn *c, uint32_t id, const uint32_t *p, struct vtest_shm *shm,
                       int *fd)
{
	uint32_t type = p[0], flags = p[1];
	uint64_t size = (uint64_t)p[2] | (uint64_t)p[3] << 32;
	uint64_t blob_id = (uint64_t)p[4] | (uint64_t)p[5] << 32;
	struct vgn_blob_params params;
	struct vgn_export exp;
	struct iovec iov;
	int ret;

	if (flags &
	    ~(VGN_BLOB_FLAG_MAPPABLE | VGN_BLOB_FLAG_SHAREABLE | VGN_BLOB_FLAG_CROSS_DEVICE)) {
		vtest_err(&c->log, "blob: unknown flags 0x%x", flags);
		return -EINVAL;
	}
	if (!size) {
		vtest_err(&c->log, "blob: size 0");
		return -EINVAL;
	}
	memset(&params, 0, sizeof(params));
	params.size = VGN_BLOB_PARAMS_SIZE_V1;
	params.blob_mem = type;
	params.blob_flags = flags;
	params.blob_id = blob_id;
	params.blob_size = size;

	switch (type) {
	case VTEST_BLOB_TYPE_GUEST:
	case VTEST_BLOB_TYPE_HOST3D_GUEST: {
		char name[32];

		if (type == VTEST_BLOB_TYPE_HOST3D_GUEST) {
			ret = vtest_conn_ensure_any_context(c);
			if (ret)
				return ret;
			/* The fd we return is the guest storage the client maps; the
			 * library maps nothing for HOST3D_GUEST (docs/abi.md). */
			params.blob_flags &= ~VGN_BLOB_FLAG_MAPPABLE;
		}
		snprintf(name, sizeof(name), "vtest-blob-%u", id);
		ret = vtest_shm_create(shm, name, size);
		if (ret) {
			vtest_err(&c->log, "blob: cannot create %llu bytes of shared memory: %s",
			          (unsigned long long)size, strerror(-ret));
			return ret;
		}
		iov.iov_base = shm->ptr;
		iov.iov_len = (size_t)shm->size;
		params.ctx_id = c->ctx_id;
		params.iov = &iov;
		params.num_iovs = 1;
		/* GUEST: the same pages as an fd, so that a context in a worker process
		 * maps them too (HOST3D_GUEST objects never live in a worker). */
		if (type == VTEST_BLOB_TYPE_GUEST) {
			params.size = VGN_BLOB_PARAMS_SIZE_V3;
			params.param_flags = VGN_BLOB_PARAM_HAS_FD;
			params.fd = shm->fd;
			params.fd_offset = 0;
		}
		ret = vgn_resource_create_blob(c->r, id, &params);
		if (ret) {
			vtest_shm_destroy(shm);
			break;
		}
		*fd = shm->fd;
		return 0;
	}
	case VTEST_BLOB_TYPE_HOST3D: {
		long ps = sysconf(_SC_PAGESIZE);
		uint64_t page = ps > 0 ? (uint64_t)ps : 4096;

		ret = vtest_conn_ensure_any_context(c);
		if (ret)
			return ret;
		/* The library wants whole pages; Venus asks for e.g. 131268 bytes (its
		 * ring) and maps exactly that much of a bigger fd, which is fine. */
		if (size > UINT64_MAX - (page - 1)) {
			vtest_err(&c->log, "blob: size %llu too large", (unsigned long long)size);
			return -EINVAL;
		}
		params.blob_size = (size + page - 1) / page * page;
		params.ctx_id = c->ctx_id;
		ret = vgn_resource_create_blob(c->r, id, &params);
		if (ret)
			break;
		memset(&exp, 0, sizeof(exp));
		exp.size = VGN_EXPORT_SIZE_V1;
		exp.fd = -1;
		ret = vgn_resource_export(c->r, id, &exp);
		if (ret || exp.fd < 0) {
			vtest_err(&c->log, "blob %u: cannot export it as an fd: %s", id,
			          vgn_strerror(ret ? ret : -EINVAL));
			vgn_resource_unref(c->r, id);
			return ret ? ret : -EINVAL;
		}
		*fd = exp.fd;
		return 0;
	}
	default:
		vtest_err(&c->log, "blob: unknown type %u", type);
		return -EINVAL;
	}
	vtest_err(&c->log, "cannot create blob %u (type %u flags 0x%x size %llu blob_id %llu): %s",
	          id, type, flags, (unsigned long long)size, (unsigned long long)blob_id,
	          vgn_strerror(ret));
	return ret;
}

int vtest_cmd_resource_create_blob(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	struct vtest_shm shm = {.fd = -1};
	struct vtest_resource *res;
	int fd = -1, ret;
	uint32_t id;

	ret = vtest_res_pick_id(c, 0, &id);
	if (ret)
		return ret;
	ret = create_blob(c, id, p, &shm, &fd);
	if (ret)
		return ret;
	/* A HOST3D export fd is ours to close; a guest blob's fd is the shm's. */
	if (fd != shm.fd) {
		ret = vtest_res_add(c, id, NULL);
	} else {
		fd = -1;
		ret = vtest_res_add(c, id, &shm);
	}
	if (!ret)
		ret = vtest_conn_reply(c, 1, VTEST_CMD_RESOURCE_CREATE_BLOB, &id, 1);
	if (!ret) {
		/* Always an fd (the client asserts one), after the reply. */
		res = vtest_res_get(c, id);
		ret = vtest_conn_send_fd(c, fd >= 0 ? fd : res->shm.fd);
		vtest_shm_close_fd(&res->shm);
		vtest_dbg(&c->log, "blob %u: type %u size %llu", id, p[0],
		          (unsigned long long)((uint64_t)p[2] | (uint64_t)p[3] << 32));
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

/* ---- SUBMIT_CMD2 ---- */

struct batch {
	uint32_t cmd_offset, cmd_size, sync_offset, sync_count, ring;
};

int vtest_size_submit_cmd2(uint32_t len, uint64_t *bytes)
{
	uint64_t b = (uint64_t)len * sizeof(uint32_t);

	if (len < 1 || b > VTEST_MAX_SUBMIT_BYTES)
		return -EINVAL;
	*bytes = b;
	return 0;
}

/* Checks one batch header against the payload of n dwords (64-bit math). */
static int parse_batch(struct vtest_conn *c, const uint32_t *p, uint32_t n, uint32_t i,
                       struct batch *b)
{
	const uint32_t *h = &p[1 + (size_t)i * VTEST_SUBMIT2_BATCH_DWORDS];
	uint32_t flags = h[VTEST_SUBMIT2_B_FLAGS], k;

	if (flags & ~VTEST_SUBMIT2_FLAG_RING_IDX) {
		vtest_err(&c->log, "SUBMIT_CMD2 batch %u: flags 0x%x need protocol 4", i, flags);
		return -EINVAL;
	}
	b->cmd_offset = h[VTEST_SUBMIT2_B_CMD_OFFSET];
	b->cmd_size = h[VTEST_SUBMIT2_B_CMD_SIZE];
	b->sync_offset = h[VTEST_SUBMIT2_B_SYNC_OFFSET];
	b->sync_count = h[VTEST_SUBMIT2_B_SYNC_COUNT];
	b->ring = flags & VTEST_SUBMIT2_FLAG_RING_IDX ? h[VTEST_SUBMIT2_B_RING_IDX] : 0;

	if ((uint64_t)b->cmd_offset + b->cmd_size > n) {
		vtest_err(&c->log, "SUBMIT_CMD2 batch %u: commands [%u, +%u) past the %u dwords", i,
		          b->cmd_offset, b->cmd_size, n);
		return -EINVAL;
	}
	if ((uint64_t)b->sync_offset + 3 * (uint64_t)b->sync_count > n) {
		vtest_err(&c->log, "SUBMIT_CMD2 batch %u: %u syncs at %u past the %u dwords", i,
		          b->sync_count, b->sync_offset, n);
		return -EINVAL;
	}
	if (b->sync_count > VTEST_MAX_BATCH_SYNCS) {
		vtest_err(&c->log, "SUBMIT_CMD2 batch %u: %u syncs (limit %u)", i, b->sync_count,
		          VTEST_MAX_BATCH_SYNCS);
		return -EINVAL;
	}
	if (b->ring >= c->max_rings) {
		vtest_err(&c->log, "SUBMIT_CMD2 batch %u: ring %u (only %u)", i, b->ring,
		          c->max_rings);
		return -EINVAL;
	}
	for (k = 0; k < b->sync_count; k++) {
		if (!vtest_sync_get(c, p[b->sync_offset + 3 * k])) {
			vtest_err(&c->log, "SUBMIT_CMD2 batch %u: unknown sync %u", i,
			          p[b->sync_offset + 3 * k]);
			return -ENOENT;
		}
	}
	return 0;
}

static int run_batch(struct vtest_conn *c, const uint32_t *p, const struct batch *b)
{
	struct vtest_sync_ref *refs;
	uint64_t fence_id;
	uint32_t k;
	int ret;

	if (b->cmd_size) {
		ret = vgn_context_submit(c->r, c->ctx_id, &p[b->cmd_offset],
		                         (size_t)b->cmd_size * sizeof(uint32_t));
		if (ret) {
			vtest_err(&c->log, "SUBMIT_CMD2: submit of %u dwords failed: %s",
			          b->cmd_size, vgn_strerror(ret));
			return ret;
		}
	}
	if (!b->sync_count)
		return 0;
	/* The syncs are set when everything submitted so far on the ring is done
	 * (ring 0, the CPU timeline, retires as soon as the stream is consumed). */
	ret = vtest_fence_emit(c, c->ctx_id, b->ring, &fence_id);
	if (ret)
		return ret;
	refs = calloc(b->sync_count, sizeof(*refs));
	if (!refs)
		return -ENOMEM;
	for (k = 0; k < b->sync_count; k++) {
		const uint32_t *t = &p[b->sync_offset + 3 * k];
		refs[k].sync = vtest_sync_get(c, t[0]);
		refs[k].value = (uint64_t)t[1] | (uint64_t)t[2] << 32;
	}
	ret = vtest_sync_add_signal(c, 1 + b->ring, fence_id, refs, b->sync_count);
	free(refs);
	return ret;
}

int vtest_cmd_submit_cmd2(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	uint32_t count = p[0], i;
	struct batch *batches;
	int ret = 0;

	/* 6-dword batch headers, as Mesa 25.0.7 writes them (spec §7.6). */
	if (1 + (uint64_t)count * VTEST_SUBMIT2_BATCH_DWORDS > len) {
		vtest_err(&c->log, "SUBMIT_CMD2: %u batches do not fit in %u dwords", count, len);
		return -EINVAL;
	}
	batches = calloc(count ? count : 1, sizeof(*batches));
	if (!batches)
		return -ENOMEM;
	/* Validate everything before running anything. */
	for (i = 0; i < count && !ret; i++)
		ret = parse_batch(c, p, len, i, &batches[i]);
	if (!ret)
		ret = vtest_conn_ensure_any_context(c);
	for (i = 0; i < count && !ret; i++)
		ret = run_batch(c, p, &batches[i]);
	free(batches);
	return ret;
}
