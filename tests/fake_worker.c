/* SPDX-License-Identifier: MIT */
/*
 * A misbehaving stand-in for virgl-next-worker (tests/test_worker.c): it speaks
 * the worker protocol (src/worker/proto.h) well enough to serve a fake Venus
 * capset and a context, then breaks it the way $FAKE_WORKER_MODE says:
 *   garbage  - answers a SUBMIT with a packet of an unknown type
 *   badfence - retires a fence that was never sent
 *   nofence  - accepts fences and never retires them
 *   exit     - exits with status 3 on a SUBMIT
 *   badblob  - answers GET_BLOB with success but no fd
 *   pattern  - checks that every SUBMIT holds dword i == i ^ 0x5a5a5a5a (inline or
 *              in a memfd) and answers -EINVAL (22) when one does not
 * Anything else (or unset): behaves, retiring every fence at once.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "proto.h"

static uint8_t buf[VGN_WMSG_MAX];

/* 0 if the submit in buf (and fd) carries the test pattern, else -22. */
static int check_pattern(int fd)
{
	struct vgn_wmsg_submit m;
	memcpy(&m, buf, sizeof(m));
	if (m.size % 4)
		return -22;
	uint8_t *bytes = m.in_fd ? malloc(m.size) : buf + sizeof(m);
	if (!bytes)
		return -12;
	int ret = 0;
	if (m.in_fd && (fd < 0 || pread(fd, bytes, m.size, 0) != (ssize_t)m.size))
		ret = -22;
	for (uint32_t i = 0; !ret && i < m.size / 4; i++) {
		uint32_t v;
		memcpy(&v, bytes + 4 * (size_t)i, 4);
		if (v != (i ^ 0x5a5a5a5au))
			ret = -22;
	}
	if (m.in_fd)
		free(bytes);
	return ret;
}

static void reply(int sock, uint32_t request, int32_t status, const void *data, uint32_t n)
{
	static uint8_t out[VGN_WMSG_MAX];
	struct vgn_wmsg_reply rep;
	memset(&rep, 0, sizeof(rep));
	rep.hdr.type = VGN_WMSG_REPLY;
	rep.hdr.len = (uint32_t)sizeof(rep) + n;
	rep.request = request;
	rep.status = status;
	rep.max_version = 0;
	rep.max_size = 16;
	rep.written = n;
	memcpy(out, &rep, sizeof(rep));
	if (n)
		memcpy(out + sizeof(rep), data, n);
	vgn_wchan_send(sock, out, rep.hdr.len, -1, false);
}

int main(void)
{
	const char *env = getenv("FAKE_WORKER_MODE");
	const char *mode = env ? env : "";
	const int sock = VGN_WORKER_CHANNEL_FD;
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		int fd = -1;
		ssize_t n = vgn_wchan_recv(sock, buf, sizeof(buf), &fd, false);
		if (n <= 0)
			return 0;
		struct vgn_wmsg_hdr h;
		memcpy(&h, buf, sizeof(h));
		int status = 0;
		if (h.type == VGN_WMSG_SUBMIT && !strcmp(mode, "pattern"))
			status = check_pattern(fd);
		if (fd >= 0)
			close(fd);
		switch (h.type) {
		case VGN_WMSG_CAPSET_FILL: {
			static const uint8_t cap[16] = "fake venus caps";
			reply(sock, h.type, 0, cap, sizeof(cap));
			break;
		}
		case VGN_WMSG_SUBMIT:
			if (!strcmp(mode, "exit"))
				return 3;
			if (!strcmp(mode, "garbage")) {
				struct vgn_wmsg_hdr junk = {.type = 0xdead, .len = sizeof(junk)};
				vgn_wchan_send(sock, &junk, sizeof(junk), -1, false);
				break;
			}
			reply(sock, h.type, status, NULL, 0);
			break;
		case VGN_WMSG_FENCE: {
			struct vgn_wmsg_fence f;
			memcpy(&f, buf, sizeof(f));
			reply(sock, h.type, 0, NULL, 0);
			if (!strcmp(mode, "nofence"))
				break;
			if (!strcmp(mode, "badfence"))
				f.fence_id += 1000;
			f.hdr.type = VGN_WMSG_FENCE_RETIRED;
			vgn_wchan_send(sock, &f, sizeof(f), -1, false);
			break;
		}
		case VGN_WMSG_GET_BLOB:
			reply(sock, h.type, strcmp(mode, "badblob") ? -22 : 0, NULL, 0);
			break;
		default:
			reply(sock, h.type, 0, NULL, 0);
			break;
		}
	}
}
