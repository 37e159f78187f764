/* SPDX-License-Identifier: MIT */
/* Connection set-up commands shared by both clients: CREATE_RENDERER, the
 * version handshake (spec §5) and RESOURCE_BUSY_WAIT (spec §6.7). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "vtest_protocol.h"

/* The name is only a debug label: keep at most this much of it. */
#define NAME_KEEP 255u

int vtest_size_create_renderer(uint32_t len, uint64_t *bytes)
{
	/* len counts bytes (name + NUL), not dwords, and is not padded. */
	if (len == 0 || len > VTEST_MAX_NAME_BYTES)
		return -EINVAL;
	*bytes = len;
	return 0;
}

int vtest_cmd_create_renderer(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	const char *raw = (const char *)p;
	size_t n = strnlen(raw, len), i;

	if (n > NAME_KEEP)
		n = NAME_KEEP;
	c->name = malloc(n + 1);
	if (!c->name)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)raw[i];
		c->name[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	c->name[n] = '\0';
	c->have_renderer = true;
	vtest_info(&c->log, "CREATE_RENDERER \"%s\" (%u bytes)", c->name, len);
	return 0; /* the renderer itself comes with the first command that needs it (conn.c) */
}

int vtest_cmd_ping(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	vtest_dbg(&c->log, "-> PING_PROTOCOL_VERSION {0,%u}", VTEST_CMD_PING_PROTOCOL_VERSION);
	return vtest_conn_reply(c, 0, VTEST_CMD_PING_PROTOCOL_VERSION, NULL, 0);
}

int vtest_cmd_protocol_version(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	uint32_t asked = p[0];
	uint32_t v = asked < VTEST_PROTOCOL_VERSION_MAX ? asked : VTEST_PROTOCOL_VERSION_MAX;

	/* Version 1 is deprecated: clients and servers both treat it as 0. */
	if (v == 1)
		v = 0;
	vtest_info(&c->log, "PROTOCOL_VERSION: client asks %u, answering %u%s", asked, v,
	           c->version ? " (re-negotiation)" : "");
	c->version = v;
	return vtest_conn_reply(c, 1, VTEST_CMD_PROTOCOL_VERSION, &v, 1);
}

int vtest_cmd_busy_wait(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	uint32_t handle = p[0], flags = p[1], busy;
	int ret;

	/* The handle does not narrow the answer: "busy" means some work this
	 * connection submitted is unfinished. That is what fence resources (§9.2) and
	 * readbacks (§8.3) need, and handle 0 before any context is just as valid.
	 * No renderer yet (the wait that follows PING, spec §5): nothing can be busy. */
	if (!c->r) {
		busy = 0;
	} else if (flags & VTEST_BUSY_WAIT_FLAG_WAIT) {
		ret = vtest_fence_wait_idle(c);
		if (ret)
			return ret;
		busy = 0;
	} else {
		ret = vtest_fence_poll(c);
		if (ret)
			return ret;
		busy = vtest_fence_busy(c) ? 1 : 0;
	}
	vtest_dbg(&c->log, "-> RESOURCE_BUSY_WAIT handle=%u flags=%u: busy=%u", handle, flags,
	          busy);
	return vtest_conn_reply(c, 1, VTEST_CMD_RESOURCE_BUSY_WAIT, &busy, 1);
}
