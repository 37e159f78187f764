/* SPDX-License-Identifier: MIT */
/*
 * fuzz_vtest: the vtest server's whole connection loop, in process.
 *
 * The input is the byte stream a client sends. The server side of a socketpair
 * runs vtest_conn_serve() on this thread, exactly as a connection thread of
 * virgl-next-vtest does; a client thread writes the input, then shuts its
 * sending side, and meanwhile reads every answer and closes every fd the server
 * passes (shm, blob exports, sync-wait eventfds), so the server never blocks on
 * a full socket. The server's renderer gets the stand-in GPU backends
 * (standin.h), added by wrapping vgn_renderer_create (-Wl,--wrap), so contexts,
 * submits, rings, blobs and syncs are all live; their fences retire at once, so
 * busy waits return and pending SYNC_WAITs are dropped at the end of the stream.
 *
 * Checked after every input: the server leaked no file descriptor (ASan's leak
 * checker covers memory).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "fuzz.h"
#include "standin.h"

int __real_vgn_renderer_create(const struct vgn_renderer_params *params, vgn_renderer **out);
int __wrap_vgn_renderer_create(const struct vgn_renderer_params *params, vgn_renderer **out);

int __wrap_vgn_renderer_create(const struct vgn_renderer_params *params, vgn_renderer **out)
{
	int ret = __real_vgn_renderer_create(params, out);

	if (!ret && fuzz_standin_add(*out)) {
		vgn_renderer_destroy(*out);
		*out = NULL;
		return -ENOMEM;
	}
	return ret;
}

struct client {
	int fd;
	const uint8_t *data;
	size_t size;
};

/* Reads answers and passed fds; closes the fds. false at end of stream. */
static bool drain(int fd)
{
	uint8_t buf[65536];
	union {
		char buf[CMSG_SPACE(sizeof(int) * 8)];
		struct cmsghdr align;
	} ctrl;
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
	struct msghdr msg;
	struct cmsghdr *cm;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctrl.buf;
	msg.msg_controllen = sizeof(ctrl.buf);
	n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
			size_t k, num = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (k = 0; k < num; k++) {
				int passed;
				memcpy(&passed, CMSG_DATA(cm) + k * sizeof(int), sizeof(int));
				close(passed);
			}
		}
	}
	return n > 0;
}

static void *client_thread(void *arg)
{
	struct client *cl = arg;
	size_t off = 0;
	bool open_rd = true, open_wr = true;

	while (open_rd) {
		struct pollfd pfd = {.fd = cl->fd, .events = POLLIN | (open_wr ? POLLOUT : 0)};

		if (open_wr && off == cl->size) {
			shutdown(cl->fd, SHUT_WR);
			open_wr = false;
			continue;
		}
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
			open_rd = drain(cl->fd);
		if (open_wr && (pfd.revents & POLLOUT)) {
			ssize_t n = send(cl->fd, cl->data + off, cl->size - off,
			                 MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n > 0)
				off += (size_t)n;
			else if (n < 0 && errno != EAGAIN && errno != EINTR)
				off = cl->size; /* the server hung up: stop sending */
		}
	}
	return NULL;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n++;
	closedir(d);
	return n;
}

/* FUZZ_DEBUG=1: the server's debug log (every command, every answer). */
static enum vgn_log_level log_level = VGN_LOG_ERROR;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* What virgl-next-vtest's main() does for its connection threads. */
	signal(SIGPIPE, SIG_IGN);
	if (getenv("FUZZ_DEBUG"))
		log_level = VGN_LOG_DEBUG;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct client cl = {.data = data, .size = size};
	int sv[2], fds_before = count_fds();
	pthread_t thread;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		abort();
	cl.fd = sv[0];
	if (pthread_create(&thread, NULL, client_thread, &cl))
		abort();

	vtest_conn_serve(sv[1], 1, log_level);

	/* What main.c's client thread does after serve: the client sees the end. */
	shutdown(sv[1], SHUT_RDWR);
	pthread_join(thread, NULL);
	close(sv[0]);
	close(sv[1]);
	FUZZ_CHECK(count_fds() == fds_before);
	return 0;
}
