/* SPDX-License-Identifier: MIT */
/*
 * Fence timelines of a connection and RESOURCE_BUSY_WAIT's "everything this
 * connection submitted is done" (spec §6.7, §9.1).
 *
 * After each piece of work (SUBMIT_CMD, a transfer, a SUBMIT_CMD2 batch) the
 * server queues a vgn fence on the timeline the work went to. A connection is
 * idle when every timeline's last fence has retired. Retirements arrive through
 * the renderer's poll fd; waiting means poll()ing that fd, never spinning.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "conn.h"

#define DIRECT_WAIT_MAX_NS 50000000ull /* 50 ms, then the poll loop */

int vtest_fence_init(struct vtest_conn *c)
{
	struct vgn_features f;
	int ret, fd;

	memset(&f, 0, sizeof(f));
	f.size = VGN_FEATURES_SIZE_V1;
	ret = vgn_renderer_get_features(c->r, &f);
	if (ret) {
		vtest_err(&c->log, "cannot query renderer features: %s", vgn_strerror(ret));
		return ret;
	}
	c->max_rings = f.max_rings < VGN_MAX_RINGS ? f.max_rings : VGN_MAX_RINGS;
	c->backends = f.backends;
	vtest_dbg(&c->log, "renderer: backends 0x%x, capsets 0x%llx, %u rings", f.backends,
	          (unsigned long long)f.capset_mask, f.max_rings);

	fd = vgn_renderer_get_poll_fd(c->r);
	if (fd < 0) {
		vtest_err(&c->log, "renderer has no poll fd: %s", vgn_strerror(fd));
		return fd;
	}
	c->poll_fd = fd;
	return 0;
}

static int timeline_of(const struct vtest_conn *c, uint32_t ctx_id, uint32_t ring)
{
	if (!ctx_id)
		return ring == 0 ? 0 : -1;
	if (ctx_id != c->ctx_id || ring >= VGN_MAX_RINGS)
		return -1;
	return (int)(1 + ring);
}

int vtest_fence_emit(struct vtest_conn *c, uint32_t ctx_id, uint32_t ring, uint64_t *fence_id)
{
	int tl = timeline_of(c, ctx_id, ring);
	uint64_t id = c->last_fence_id + 1;
	int ret;

	if (tl < 0)
		return -EINVAL;
	ret = vgn_context_create_fence(c->r, ctx_id, ring, id);
	if (ret) {
		vtest_err(&c->log, "cannot queue a fence on ctx %u ring %u: %s", ctx_id, ring,
		          vgn_strerror(ret));
		return ret;
	}
	c->last_fence_id = id;
	c->submitted[tl] = id;
	if (fence_id)
		*fence_id = id;
	return 0;
}

int vtest_fence_poll(struct vtest_conn *c)
{
	int ret = vgn_renderer_poll(c->r);

	if (ret < 0) {
		vtest_err(&c->log, "renderer poll failed: %s", vgn_strerror(ret));
		return ret;
	}
	return c->failed ? -EIO : 0;
}

bool vtest_fence_busy(const struct vtest_conn *c)
{
	uint32_t i;

	for (i = 0; i < VTEST_NUM_TIMELINES; i++) {
		if (c->submitted[i] > c->retired[i])
			return true;
	}
	return false;
}

/* Waits on the host fences directly (vgn_context_wait_fence): the client is
 * blocked on our answer, and being woken by the fence is one thread hop
 * quicker than by the retirement event. Bounded, so that sync waits with a
 * timeout are still answered on time and a hang-up is noticed; the poll loop
 * below takes over for whatever is still busy. */
static void wait_fences_directly(struct vtest_conn *c)
{
	int next_ms = vtest_sync_next_timeout(c);
	uint64_t ns = DIRECT_WAIT_MAX_NS;

	if (next_ms >= 0 && (uint64_t)next_ms * 1000000u < ns)
		ns = (uint64_t)next_ms * 1000000u;
	for (uint32_t tl = 1; tl < VTEST_NUM_TIMELINES && c->ctx_id; tl++) {
		uint64_t id = c->submitted[tl];

		if (id > c->retired[tl] &&
		    vgn_context_wait_fence(c->r, c->ctx_id, tl - 1, id, ns) == 0)
			vtest_fence_retired_cb(c, c->ctx_id, tl - 1, id);
	}
}

int vtest_fence_wait_idle(struct vtest_conn *c)
{
	int ret = vtest_fence_poll(c);

	if (!ret && vtest_fence_busy(c))
		wait_fences_directly(c);

	while (!ret && vtest_fence_busy(c)) {
		/* The socket is watched only for hang-up: the client may already have
		 * pipelined its next request, which stays unread until we answer. */
		struct pollfd pfd[2] = {
		    {.fd = c->poll_fd, .events = POLLIN},
		    {.fd = c->fd, .events = 0},
		};
		int n = poll(pfd, 2, vtest_sync_next_timeout(c));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			vtest_err(&c->log, "poll: %s", strerror(-ret));
			break;
		}
		if (pfd[1].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			vtest_info(&c->log, "connection closed during a busy wait");
			ret = -EPIPE;
			break;
		}
		if (pfd[0].revents)
			ret = vtest_fence_poll(c);
		vtest_sync_expire(c);
	}
	return ret;
}

void vtest_fence_retired_cb(void *data, uint32_t ctx_id, uint32_t ring_idx, uint64_t fence_id)
{
	struct vtest_conn *c = data;
	int tl = timeline_of(c, ctx_id, ring_idx);

	if (tl < 0) {
		vtest_dbg(&c->log, "retired fence on unknown timeline ctx %u ring %u ignored",
		          ctx_id, ring_idx);
		return;
	}
	if (fence_id <= c->retired[tl])
		return;
	c->retired[tl] = fence_id;
	vtest_sync_timeline_retired(c, (uint32_t)tl, fence_id);
}

void vtest_context_fatal_cb(void *data, uint32_t ctx_id, int error, const char *reason)
{
	struct vtest_conn *c = data;

	vtest_err(&c->log, "context %u failed (%s): %s", ctx_id, vgn_strerror(error),
	          reason ? reason : "no reason given");
	c->failed = true;
}
