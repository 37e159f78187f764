/* SPDX-License-Identifier: MIT */
/*
 * Sync objects of a connection (spec §7.5): 64-bit counters owned by the server.
 * They change on SYNC_WRITE and when a SUBMIT_CMD2 batch's fence retires. A
 * SYNC_WAIT is answered at once with an eventfd; the connection's thread keeps
 * the wait here and writes the eventfd when the condition holds, or forgets the
 * wait once its timeout (plus a grace period) has passed.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "vtest_protocol.h"

int64_t vtest_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct vtest_sync *vtest_sync_get(struct vtest_conn *c, uint32_t id)
{
	return vtest_idmap_get(&c->syncs, id);
}

void vtest_sync_ref(struct vtest_sync *s)
{
	s->refs++;
}

void vtest_sync_unref(struct vtest_sync *s)
{
	if (--s->refs == 0)
		free(s);
}

bool vtest_sync_refs_satisfied(const struct vtest_sync_ref *refs, uint32_t count, bool any)
{
	uint32_t i, hits = 0;

	for (i = 0; i < count; i++) {
		if (refs[i].sync->value >= refs[i].value)
			hits++;
	}
	/* An empty list is satisfied either way. */
	return !count || (any ? hits > 0 : hits == count);
}

/* Unlinks nothing: the caller already took w off the list. */
static void free_wait(struct vtest_wait *w, bool signal)
{
	uint32_t i;

	if (signal) {
		uint64_t one = 1;
		/* Non-blocking eventfd: can only fail on counter overflow, impossible here. */
		if (write(w->efd, &one, sizeof(one)) < 0) {
			/* nothing more to do: the client's poll will time out */
		}
	}
	close(w->efd);
	for (i = 0; i < w->count; i++)
		vtest_sync_unref(w->refs[i].sync);
	free(w);
}

static void check_waits(struct vtest_conn *c)
{
	struct vtest_wait **pw = &c->waits;

	while (*pw) {
		struct vtest_wait *w = *pw;
		if (vtest_sync_refs_satisfied(w->refs, w->count, w->any)) {
			*pw = w->next;
			c->num_waits--;
			free_wait(w, true);
		} else {
			pw = &w->next;
		}
	}
}

void vtest_sync_set(struct vtest_conn *c, struct vtest_sync *s, uint64_t value)
{
	s->value = value;
	check_waits(c);
}

int vtest_sync_add_wait(struct vtest_conn *c, int efd, bool any, uint32_t timeout_ms,
                        const struct vtest_sync_ref *refs, uint32_t count)
{
	struct vtest_wait *w;
	uint32_t i;

	if (c->num_waits >= VTEST_MAX_PENDING_WAITS) {
		vtest_err(&c->log, "too many unfinished SYNC_WAITs (limit %u)",
		          VTEST_MAX_PENDING_WAITS);
		return -ENOSPC;
	}
	w = calloc(1, sizeof(*w) + (size_t)count * sizeof(w->refs[0]));
	if (!w)
		return -ENOMEM;
	w->efd = efd;
	w->any = any;
	/* UINT32_MAX = forever; otherwise keep it a little longer than the client. */
	w->deadline = timeout_ms == UINT32_MAX
	                  ? -1
	                  : vtest_now_ms() + (int64_t)timeout_ms + VTEST_WAIT_GRACE_MS;
	w->count = count;
	for (i = 0; i < count; i++) {
		w->refs[i] = refs[i];
		vtest_sync_ref(refs[i].sync);
	}
	w->next = c->waits;
	c->waits = w;
	c->num_waits++;
	return 0;
}

int vtest_sync_next_timeout(const struct vtest_conn *c)
{
	const struct vtest_wait *w;
	int64_t first = -1, now, left;

	for (w = c->waits; w; w = w->next) {
		if (w->deadline >= 0 && (first < 0 || w->deadline < first))
			first = w->deadline;
	}
	if (first < 0)
		return -1;
	now = vtest_now_ms();
	left = first > now ? first - now : 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

void vtest_sync_expire(struct vtest_conn *c)
{
	struct vtest_wait **pw = &c->waits;
	int64_t now;

	if (!c->waits)
		return;
	now = vtest_now_ms();
	while (*pw) {
		struct vtest_wait *w = *pw;
		if (w->deadline >= 0 && w->deadline <= now) {
			*pw = w->next;
			c->num_waits--;
			vtest_dbg(&c->log, "SYNC_WAIT timed out, no longer tracked");
			free_wait(w, false);
		} else {
			pw = &w->next;
		}
	}
}

int vtest_sync_add_signal(struct vtest_conn *c, uint32_t timeline, uint64_t fence_id,
                          const struct vtest_sync_ref *refs, uint32_t count)
{
	struct vtest_signal *s;
	uint32_t i;

	if (c->num_signals >= VTEST_MAX_PENDING_SIGNALS ||
	    (uint64_t)c->num_signal_refs + count > VTEST_MAX_PENDING_SIGNAL_REFS) {
		vtest_err(&c->log, "too many submissions waiting to signal syncs");
		return -ENOSPC;
	}
	s = calloc(1, sizeof(*s) + (size_t)count * sizeof(s->refs[0]));
	if (!s)
		return -ENOMEM;
	s->timeline = timeline;
	s->fence_id = fence_id;
	s->count = count;
	for (i = 0; i < count; i++) {
		s->refs[i] = refs[i];
		vtest_sync_ref(refs[i].sync);
	}
	if (c->signals_tail)
		c->signals_tail->next = s;
	else
		c->signals_head = s;
	c->signals_tail = s;
	c->num_signals++;
	c->num_signal_refs += count;
	/* Normally the fence retires later, but never miss one that already did. */
	if (c->retired[timeline] >= fence_id)
		vtest_sync_timeline_retired(c, timeline, c->retired[timeline]);
	return 0;
}

static void free_signal(struct vtest_conn *c, struct vtest_signal *s)
{
	uint32_t i;

	for (i = 0; i < s->count; i++)
		vtest_sync_unref(s->refs[i].sync);
	c->num_signals--;
	c->num_signal_refs -= s->count;
	free(s);
}

void vtest_sync_timeline_retired(struct vtest_conn *c, uint32_t timeline, uint64_t retired)
{
	struct vtest_signal **ps = &c->signals_head, *prev = NULL;
	bool changed = false;

	/* Submission order = FIFO per timeline. */
	while (*ps) {
		struct vtest_signal *s = *ps;
		uint32_t i;

		if (s->timeline != timeline || s->fence_id > retired) {
			prev = s;
			ps = &s->next;
			continue;
		}
		/* Values are set as given (a lower value just overwrites, spec §7.6). */
		for (i = 0; i < s->count; i++)
			s->refs[i].sync->value = s->refs[i].value;
		changed = true;
		*ps = s->next;
		if (c->signals_tail == s)
			c->signals_tail = prev;
		free_signal(c, s);
	}
	if (changed)
		check_waits(c);
}

static void drop_table_ref(void *value, void *data)
{
	struct vtest_sync *s = value;

	(void)data;
	s->id = 0;
	vtest_sync_unref(s);
}

void vtest_sync_fini(struct vtest_conn *c)
{
	while (c->waits) {
		struct vtest_wait *w = c->waits;
		c->waits = w->next;
		c->num_waits--;
		free_wait(w, false);
	}
	while (c->signals_head) {
		struct vtest_signal *s = c->signals_head;
		c->signals_head = s->next;
		free_signal(c, s);
	}
	c->signals_tail = NULL;
	vtest_idmap_for_each(&c->syncs, drop_table_ref, NULL);
	vtest_idmap_fini(&c->syncs);
}
