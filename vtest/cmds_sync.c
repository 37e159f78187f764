/* SPDX-License-Identifier: MIT */
/* SYNC_CREATE / UNREF / READ / WRITE / WAIT (spec §7.5). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "conn.h"
#include "vtest_protocol.h"

static uint64_t u64_of(const uint32_t *lo_hi)
{
	return (uint64_t)lo_hi[0] | (uint64_t)lo_hi[1] << 32;
}

static struct vtest_sync *get_sync(struct vtest_conn *c, uint32_t id)
{
	struct vtest_sync *s = vtest_sync_get(c, id);

	if (!s)
		vtest_err(&c->log, "unknown sync %u", id);
	return s;
}

int vtest_cmd_sync_create(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	uint32_t id = vtest_idmap_smallest_free(&c->syncs);
	struct vtest_sync *s;
	int ret;

	if (!id) {
		vtest_err(&c->log, "too many syncs (limit %u)", c->syncs.limit);
		return -ENOSPC;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->id = id;
	s->refs = 1; /* the table's */
	s->value = u64_of(p);
	ret = vtest_idmap_insert(&c->syncs, id, s);
	if (ret) {
		free(s);
		return ret;
	}
	vtest_dbg(&c->log, "sync %u created, value %llu", id, (unsigned long long)s->value);
	return vtest_conn_reply(c, 1, VTEST_CMD_SYNC_CREATE, &id, 1);
}

int vtest_cmd_sync_unref(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	struct vtest_sync *s = vtest_idmap_remove(&c->syncs, p[0]);

	if (!s) {
		vtest_err(&c->log, "unknown sync %u", p[0]);
		return -ENOENT;
	}
	/* Waits and pending submissions keep their own references. */
	s->id = 0;
	vtest_sync_unref(s);
	return 0;
}

int vtest_cmd_sync_read(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	struct vtest_sync *s = get_sync(c, p[0]);
	uint32_t v[2];

	if (!s)
		return -ENOENT;
	v[0] = (uint32_t)s->value;
	v[1] = (uint32_t)(s->value >> 32);
	return vtest_conn_reply(c, 2, VTEST_CMD_SYNC_READ, v, 2);
}

int vtest_cmd_sync_write(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	struct vtest_sync *s = get_sync(c, p[0]);

	if (!s)
		return -ENOENT;
	vtest_sync_set(c, s, u64_of(&p[1]));
	return 0;
}

int vtest_size_sync_wait(uint32_t len, uint64_t *bytes)
{
	/* flags, timeout, then (id, value lo, value hi) triplets. */
	if (len < 2 || (len - 2) % 3 || (len - 2) / 3 > VTEST_MAX_WAIT_SYNCS)
		return -EINVAL;
	*bytes = (uint64_t)len * sizeof(uint32_t);
	return 0;
}

int vtest_cmd_sync_wait(struct vtest_conn *c, uint32_t len, const uint32_t *p)
{
	uint32_t flags = p[0], timeout_ms = p[1], count = (len - 2) / 3, i;
	bool any = flags & VTEST_SYNC_WAIT_FLAG_ANY;
	struct vtest_sync_ref *refs;
	int efd, ret = 0;
	bool done;

	refs = calloc(count ? count : 1, sizeof(*refs));
	if (!refs)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		const uint32_t *t = &p[2 + 3 * i];
		refs[i].sync = get_sync(c, t[0]);
		if (!refs[i].sync) {
			free(refs);
			return -ENOENT;
		}
		refs[i].value = u64_of(&t[1]);
	}
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0) {
		ret = -errno;
		vtest_err(&c->log, "eventfd: %s", strerror(-ret));
		free(refs);
		return ret;
	}
	done = vtest_sync_refs_satisfied(refs, count, any);
	if (done) {
		uint64_t one = 1;
		if (write(efd, &one, sizeof(one)) != sizeof(one))
			ret = -EIO;
	}
	vtest_dbg(&c->log, "SYNC_WAIT %u syncs, %s, timeout %u ms: %s", count, any ? "any" : "all",
	          timeout_ms, done ? "already satisfied" : "tracked");

	if (!ret)
		ret = vtest_conn_reply(c, 0, VTEST_CMD_SYNC_WAIT, NULL, 0);
	if (!ret)
		ret = vtest_conn_send_fd(c, efd);
	if (!ret && !done) {
		ret = vtest_sync_add_wait(c, efd, any, timeout_ms, refs, count);
		if (!ret)
			efd = -1; /* owned by the wait now */
	}
	if (efd >= 0)
		close(efd);
	free(refs);
	return ret;
}
