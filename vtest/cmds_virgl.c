/* SPDX-License-Identifier: MIT */
/* GL-side (virpipe) commands: caps, classic resources, SUBMIT_CMD (spec §6). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "sockio.h"
#include "vtest_protocol.h"

/* Byte offset of host_feature_check_version in the virgl caps v2 blob. virpipe
 * re-negotiates down to protocol 2 when it is below 23 (spec §5.2). */
#define CAPS_V2_HFCV_OFFSET 556u

/* Sends a capset as a GET_CAPS / GET_CAPS2 answer: {bytes + 1, resp_id} + bytes. */
static int send_caps(struct vtest_conn *c, uint32_t capset_id, uint32_t resp_id)
{
	uint32_t max_version = 0, max_size = 0, hdr[VTEST_HDR_DWORDS];
	size_t written = 0;
	void *buf;
	int ret;

	ret = vgn_capset_info(c->r, capset_id, &max_version, &max_size);
	if (ret) {
		vtest_err(&c->log, "no GL backend: capset %s unavailable (%s)",
		          capset_id == VGN_CAPSET_VIRGL2 ? "VIRGL2" : "VIRGL", vgn_strerror(ret));
		return ret;
	}
	if (!max_size || max_size > VTEST_MAX_CAPSET_BYTES) {
		vtest_err(&c->log, "capset %u has an unusable size %u", capset_id, max_size);
		return -EINVAL;
	}
	buf = calloc(1, max_size);
	if (!buf)
		return -ENOMEM;
	ret = vgn_capset_fill(c->r, capset_id, max_version, buf, max_size, &written);
	if (!ret && written > max_size)
		ret = -EOVERFLOW;
	if (ret) {
		vtest_err(&c->log, "cannot fill capset %u: %s", capset_id, vgn_strerror(ret));
		free(buf);
		return ret;
	}
	if (capset_id == VGN_CAPSET_VIRGL2 && written >= CAPS_V2_HFCV_OFFSET + 4) {
		uint32_t hfcv;
		memcpy(&hfcv, (const uint8_t *)buf + CAPS_V2_HFCV_OFFSET, sizeof(hfcv));
		if (hfcv < 23)
			vtest_warn(&c->log,
			           "caps: host_feature_check_version %u < 23, virpipe will drop "
			           "to protocol 2",
			           hfcv);
	}
	hdr[VTEST_HDR_LEN] = (uint32_t)written + 1; /* bytes + 1, spec §3.3 */
	hdr[VTEST_HDR_ID] = resp_id;
	ret = vtest_write_all(c->fd, hdr, sizeof(hdr));
	if (!ret)
		ret = vtest_write_all(c->fd, buf, written);
	free(buf);
	if (ret)
		vtest_err(&c->log, "cannot send caps: %s", strerror(-ret));
	else
		vtest_dbg(&c->log, "-> caps {%u,%u} (capset %u version %u, %zu bytes)",
		          hdr[VTEST_HDR_LEN], resp_id, capset_id, max_version, written);
	return ret;
}

int vtest_cmd_get_caps2(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	return send_caps(c, VGN_CAPSET_VIRGL2, VTEST_RESP_ID_GET_CAPS2);
}

int vtest_cmd_get_caps(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	return send_caps(c, VGN_CAPSET_VIRGL, VTEST_RESP_ID_GET_CAPS);
}

static void fill_create_params(struct vgn_resource_create_params *params, const uint32_t *d)
{
	memset(params, 0, sizeof(*params));
	params->size = VGN_RESOURCE_CREATE_PARAMS_SIZE_V1;
	params->target = d[1];
	params->format = d[2];
	params->bind = d[3];
	params->width = d[4];
	params->height = d[5];
	params->depth = d[6];
	params->array_size = d[7];
	params->last_level = d[8];
	params->nr_samples = d[9];
}

/* Shared by RESOURCE_CREATE (no shm) and RESOURCE_CREATE2 (shm of data_size). */
static int create_resource(struct vtest_conn *c, uint32_t cmd, const uint32_t *d,
                           uint64_t data_size)
{
	struct vgn_resource_create_params params;
	struct vtest_shm shm = {.fd = -1};
	struct vtest_resource *res;
	uint32_t id;
	int ret;

	/* Protocol 3: the server picks the id and the client must send 0 (§5.3). */
	if (c->version >= 3 && d[0]) {
		vtest_err(&c->log, "resource create: protocol 3 needs handle 0, got %u", d[0]);
		return -EINVAL;
	}
	if (c->version < 3 && !d[0]) {
		vtest_err(&c->log, "resource create: handle 0 is invalid before protocol 3");
		return -EINVAL;
	}
	ret = vtest_res_pick_id(c, d[0], &id);
	if (ret)
		return ret;
	fill_create_params(&params, d);
	ret = vgn_resource_create(c->r, id, &params);
	if (ret) {
		vtest_err(&c->log,
		          "cannot create resource %u (target %u format %u bind 0x%x %ux%ux%u "
		          "array %u levels %u samples %u): %s",
		          id, params.target, params.format, params.bind, params.width,
		          params.height, params.depth, params.array_size, params.last_level + 1,
		          params.nr_samples, vgn_strerror(ret));
		return ret;
	}
	if (data_size) {
		char name[32];
		struct iovec iov;
		struct vgn_backing backing;

		snprintf(name, sizeof(name), "vtest-res-%u", id);
		ret = vtest_shm_create(&shm, name, data_size);
		if (ret) {
			vtest_err(&c->log, "cannot create %llu bytes of shared memory: %s",
			          (unsigned long long)data_size, strerror(-ret));
			vgn_resource_unref(c->r, id);
			return ret;
		}
		iov.iov_base = shm.ptr;
		iov.iov_len = (size_t)shm.size;
		memset(&backing, 0, sizeof(backing));
		backing.size = VGN_BACKING_SIZE_V1;
		backing.flags = VGN_BACKING_FLAG_LINEAR;
		backing.iov = &iov;
		backing.num_iovs = 1;
		backing.dmabuf_fd = -1;
		ret = vgn_resource_attach_backing(c->r, id, &backing);
		if (ret) {
			vtest_err(&c->log, "cannot attach backing to resource %u: %s", id,
			          vgn_strerror(ret));
			vgn_resource_unref(c->r, id);
			vtest_shm_destroy(&shm);
			return ret;
		}
	}
	ret = vtest_res_add(c, id, &shm);
	if (ret)
		return ret;
	vtest_dbg(&c->log, "resource %u: target %u format %u bind 0x%x %ux%ux%u, shm %llu", id,
	          params.target, params.format, params.bind, params.width, params.height,
	          params.depth, (unsigned long long)data_size);

	if (c->version >= 3) {
		ret = vtest_conn_reply(c, 1, cmd, &id, 1);
		if (ret)
			return ret;
	}
	res = vtest_res_get(c, id);
	if (res->shm.fd >= 0) {
		ret = vtest_conn_send_fd(c, res->shm.fd);
		vtest_shm_close_fd(&res->shm);
	}
	return ret;
}

int vtest_cmd_resource_create(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	return create_resource(c, VTEST_CMD_RESOURCE_CREATE, p, 0);
}

int vtest_cmd_resource_create2(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	return create_resource(c, VTEST_CMD_RESOURCE_CREATE2, p, p[10]);
}

int vtest_cmd_resource_unref(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	return vtest_res_destroy(c, p[0]);
}

int vtest_size_submit_cmd(uint32_t len, uint64_t *bytes)
{
	uint64_t b = (uint64_t)len * sizeof(uint32_t);

	if (b > VTEST_MAX_SUBMIT_BYTES)
		return -EINVAL;
	*bytes = b;
	return 0;
}

int vtest_cmd_submit_cmd(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	int ret = vtest_conn_ensure_any_context(c);

	if (ret)
		return ret;
	if (len) {
		ret = vgn_context_submit(c->r, c->ctx_id, p, (size_t)len * sizeof(uint32_t));
		if (ret) {
			vtest_err(&c->log, "SUBMIT_CMD of %u dwords failed: %s", len,
			          vgn_strerror(ret));
			return ret;
		}
	}
	/* RESOURCE_BUSY_WAIT waits for this. */
	return vtest_fence_emit(c, c->ctx_id, 0, NULL);
}
