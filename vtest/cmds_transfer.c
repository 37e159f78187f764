/* SPDX-License-Identifier: MIT */
/*
 * Transfers (spec §6.6, §6.9, §8):
 *  - TRANSFER_PUT2 / TRANSFER_GET2 (v2+): data in the resource's shm at `offset`,
 *    rows at the level's tight stride (stride = layer_stride = 0 for the library).
 *  - TRANSFER_PUT / TRANSFER_GET (v0): data inline on the socket, exactly
 *    data_size bytes, with the client's stride and layer stride.
 * Every transfer is followed by a fence, so RESOURCE_BUSY_WAIT covers it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "sockio.h"
#include "vtest_protocol.h"

/* The context a resource's transfers go through: ours once the resource is
 * attached, else none (a plain 2D resource, served by the core). */
static uint32_t transfer_ctx(const struct vtest_conn *c, const struct vtest_resource *res)
{
	return res->attached ? c->ctx_id : 0;
}

static int do_transfer(struct vtest_conn *c, uint32_t res_id, bool to_host,
                       const struct vgn_transfer *t)
{
	int ret = to_host ? vgn_resource_transfer_to_host(c->r, res_id, t)
	                  : vgn_resource_transfer_from_host(c->r, res_id, t);

	if (ret) {
		vtest_err(&c->log,
		          "transfer %s resource %u failed (level %u box %u,%u,%u %ux%ux%u "
		          "offset %llu): %s",
		          to_host ? "to" : "from", res_id, t->level, t->box.x, t->box.y, t->box.z,
		          t->box.w, t->box.h, t->box.d, (unsigned long long)t->offset,
		          vgn_strerror(ret));
		return ret;
	}
	return vtest_fence_emit(c, t->ctx_id, 0, NULL);
}

/* ---- protocol 2+: shared memory ---- */

int vtest_size_transfer_put2(uint32_t len, uint64_t *bytes)
{
	/* len also counts data that is never sent (a client leftover): read exactly
	 * the 10 dwords, whatever len says beyond them. */
	if (len < VTEST_TRANSFER2_DWORDS)
		return -EINVAL;
	*bytes = VTEST_TRANSFER2_DWORDS * sizeof(uint32_t);
	return 0;
}

static int transfer2(struct vtest_conn *c, const uint32_t *p, bool to_host)
{
	struct vtest_resource *res = vtest_res_get(c, p[0]);
	struct vgn_transfer t;

	if (!res) {
		vtest_err(&c->log, "transfer on unknown resource %u", p[0]);
		return -ENOENT;
	}
	if (!res->shm.ptr) {
		vtest_err(&c->log, "transfer on resource %u, which has no shared memory", p[0]);
		return -EINVAL;
	}
	/* p[8] (data_size) is the client's estimate and is ignored. The library
	 * checks the whole box against the backing; the start is checked here. */
	if ((uint64_t)p[9] >= res->shm.size) {
		vtest_err(&c->log, "transfer offset %u outside resource %u's %llu-byte shm", p[9],
		          p[0], (unsigned long long)res->shm.size);
		return -EINVAL;
	}
	memset(&t, 0, sizeof(t));
	t.size = VGN_TRANSFER_SIZE_V1;
	t.ctx_id = transfer_ctx(c, res);
	t.level = p[1];
	t.box.x = p[2];
	t.box.y = p[3];
	t.box.z = p[4];
	t.box.w = p[5];
	t.box.h = p[6];
	t.box.d = p[7];
	t.offset = p[9];
	/* iov NULL: the attached backing, i.e. this resource's shm. */
	return do_transfer(c, res->id, to_host, &t);
}

int vtest_cmd_transfer_put2(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	return transfer2(c, p, true);
}

int vtest_cmd_transfer_get2(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	return transfer2(c, p, false);
}

/* ---- protocol 0: inline data ---- */

enum { T_RES, T_LEVEL, T_STRIDE, T_LAYER_STRIDE, T_X, T_Y, T_Z, T_W, T_H, T_D, T_DATA_SIZE };

int vtest_size_transfer_put(uint32_t len, uint64_t *bytes)
{
	/* Only the 11-dword header is read up front; the handler checks len against
	 * data_size and reads the data itself. */
	if (len < VTEST_TRANSFER_DWORDS)
		return -EINVAL;
	*bytes = VTEST_TRANSFER_DWORDS * sizeof(uint32_t);
	return 0;
}

static int inline_transfer(struct vtest_conn *c, const uint32_t *p, bool to_host, uint32_t len)
{
	uint32_t d[VTEST_TRANSFER_DWORDS];
	struct vtest_resource *res;
	struct vgn_transfer t;
	struct iovec iov;
	uint64_t size;
	void *data;
	int ret;

	/* Copy: p points into the request buffer. */
	memcpy(d, p, sizeof(d));
	size = d[T_DATA_SIZE];
	if (to_host && (uint64_t)len != VTEST_TRANSFER_DWORDS + (size + 3) / 4) {
		vtest_err(&c->log, "TRANSFER_PUT: length %u does not match %llu data bytes", len,
		          (unsigned long long)size);
		return -EINVAL;
	}
	if (size > VTEST_MAX_INLINE_BYTES) {
		vtest_err(&c->log, "inline transfer of %llu bytes exceeds the %u-byte limit",
		          (unsigned long long)size, VTEST_MAX_INLINE_BYTES);
		return -EINVAL;
	}
	res = vtest_res_get(c, d[T_RES]);
	if (!res) {
		vtest_err(&c->log, "transfer on unknown resource %u", d[T_RES]);
		return -ENOENT;
	}
	data = calloc(1, size ? (size_t)size : 1);
	if (!data)
		return -ENOMEM;
	if (to_host) {
		/* Exactly data_size bytes follow, not 4 * (len - 11). */
		ret = vtest_conn_read(c, data, (size_t)size);
		if (ret) {
			vtest_err(&c->log, "TRANSFER_PUT: data cut short");
			free(data);
			return ret;
		}
	}
	memset(&t, 0, sizeof(t));
	t.size = VGN_TRANSFER_SIZE_V1;
	t.ctx_id = transfer_ctx(c, res);
	t.level = d[T_LEVEL];
	t.stride = d[T_STRIDE];
	t.layer_stride = d[T_LAYER_STRIDE];
	t.box.x = d[T_X];
	t.box.y = d[T_Y];
	t.box.z = d[T_Z];
	t.box.w = d[T_W];
	t.box.h = d[T_H];
	t.box.d = d[T_D];
	t.offset = 0;
	iov.iov_base = data;
	iov.iov_len = (size_t)size;
	t.iov = &iov;
	t.num_iovs = 1;

	ret = size ? do_transfer(c, res->id, to_host, &t) : 0;
	if (!ret && !to_host) {
		/* The answer is the raw bytes, so the copy must be complete first. */
		ret = vtest_fence_wait_idle(c);
		if (!ret)
			ret = vtest_write_all(c->fd, data, (size_t)size);
	}
	free(data);
	return ret;
}

int vtest_cmd_transfer_put(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	return inline_transfer(c, p, true, len);
}

int vtest_cmd_transfer_get(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	return inline_transfer(c, p, false, len);
}
