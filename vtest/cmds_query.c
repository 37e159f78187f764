/* SPDX-License-Identifier: MIT */
/* VTEST_CMD_QUERY (cmds_query.h): metadata queries asked through the client's
 * context. */
#include <errno.h>
#include <string.h>

#include "cmds_query.h"
#include "conn.h"

int vtest_size_query(uint32_t len, uint64_t *bytes)
{
	if (len < 2 || len > VTEST_QUERY_MAX_DWORDS)
		return -EINVAL;
	*bytes = (uint64_t)len * sizeof(uint32_t);
	return 0;
}

int vtest_cmd_query(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	/* Reply buffer: result dword, then the struct. 8-byte aligned for the
	 * library's 64-bit fields (the struct starts at reply + 2 dwords). */
	uint64_t storage[(VTEST_QUERY_MAX_DWORDS + 2) / 2];
	uint32_t *reply = (uint32_t *)storage;
	struct vgn_query_header *q = (struct vgn_query_header *)&reply[2];
	uint32_t size = p[0];

	if (size < sizeof(*q) || size > (uint64_t)len * sizeof(uint32_t)) {
		vtest_err(&c->log, "QUERY: struct size %u does not fit %u dwords", size, len);
		return -EINVAL;
	}
	memset(storage, 0, sizeof(storage));
	memcpy(q, p, (size_t)len * sizeof(uint32_t));
	/* The guest asks as a guest: through its context, never as the VMM. */
	int32_t ret = c->ctx_id ? vgn_query(c->r, c->ctx_id, q, q) : -ENOENT;
	if (ret)
		memcpy(q, p, (size_t)len * sizeof(uint32_t)); /* nothing of a failed answer */
	vtest_dbg(&c->log, "-> QUERY type %u (%u bytes): %s", p[1], size, vgn_strerror(ret));
	/* The result dword sits just before the struct. */
	reply[1] = (uint32_t)ret;
	return vtest_conn_reply(c, 1 + len, VTEST_CMD_QUERY, &reply[1], 1 + (size_t)len);
}
