/* SPDX-License-Identifier: MIT */
#include "channel.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proto.h"

int vgn_wchan_send(int sock, const void *msg, size_t len, int fd, bool nonblock)
{
	struct iovec iov = {.iov_base = (void *)msg, .iov_len = len};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct msghdr mh;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (fd >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	int flags = MSG_NOSIGNAL | (nonblock ? MSG_DONTWAIT : 0);
	for (;;) {
		ssize_t n = sendmsg(sock, &mh, flags);
		if (n >= 0)
			return (size_t)n == len ? 0 : -EPROTO;
		if (errno != EINTR)
			return -errno;
	}
}

/* Closes every fd carried by the control messages of mh. */
static void close_passed_fds(struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int f;
			memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			close(f);
		}
	}
}

ssize_t vgn_wchan_recv(int sock, void *buf, size_t cap, int *fd, bool nonblock)
{
	struct iovec iov = {.iov_base = buf, .iov_len = cap};
	/* Room for a few fds, so that a peer sending too many is seen (and they are
	 * closed) rather than silently truncated. */
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct msghdr mh;
	*fd = -1;
	ssize_t n;
	for (;;) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | (nonblock ? MSG_DONTWAIT : 0));
		if (n >= 0)
			break;
		if (errno != EINTR)
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	}
	int got = -1, count = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			count += (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			if (count == 1)
				memcpy(&got, CMSG_DATA(c), sizeof(int));
		}
	}
	bool bad = (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || count > 1;
	if (!bad && n > 0) {
		struct vgn_wmsg_hdr h;
		if ((size_t)n < sizeof(h)) {
			bad = true;
		} else {
			memcpy(&h, buf, sizeof(h));
			bad = h.len != (uint64_t)n;
		}
	}
	if (bad || n == 0) {
		close_passed_fds(&mh);
		return bad ? -EPROTO : 0;
	}
	*fd = got;
	return n;
}
