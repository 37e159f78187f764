/* SPDX-License-Identifier: MIT */
/*
 * virgl-next-vtest-replay: plays a stream recorded by `virgl-next-vtest --capture`
 * (or any fuzz_vtest input) into the server's connection code, in process, and
 * logs exactly as the server would for that client.
 *
 * The server side of a socketpair runs vtest_conn_serve_opts() on the main
 * thread, as a connection thread of virgl-next-vtest does; a feeder thread writes
 * the file, then shuts its sending side, and meanwhile reads and discards every
 * answer and closes every fd the server passes. Timing is not replayed: the
 * whole stream is offered at once, which the server must handle anyway (a client
 * may pipeline). Shared-memory contents written by the original client are not
 * in the capture (only the socket stream is), so TRANSFER_PUT2 uploads zeros.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"

struct feeder {
	int sock;
	int file;
};

/* Reads answers and passed fds (closed). false once the server side is gone. */
static bool drain(int fd)
{
	uint8_t buf[65536];
	union {
		char buf[CMSG_SPACE(sizeof(int) * 8)];
		struct cmsghdr align;
	} ctrl;
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
	struct msghdr msg;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctrl.buf;
	msg.msg_controllen = sizeof(ctrl.buf);
	n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t num = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t k = 0; k < num; k++) {
			int passed;
			memcpy(&passed, CMSG_DATA(cm) + k * sizeof(int), sizeof(int));
			close(passed);
		}
	}
	return n > 0;
}

static void *feeder_thread(void *arg)
{
	struct feeder *f = arg;
	uint8_t chunk[65536];
	size_t have = 0, off = 0;
	bool open_rd = true, open_wr = true;

	while (open_rd) {
		struct pollfd pfd = {.fd = f->sock, .events = POLLIN | (open_wr ? POLLOUT : 0)};

		if (open_wr && off == have) {
			ssize_t n = read(f->file, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				shutdown(f->sock, SHUT_WR); /* end of the recording */
				open_wr = false;
				continue;
			}
			have = (size_t)n;
			off = 0;
		}
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
			open_rd = drain(f->sock);
		if (open_wr && (pfd.revents & POLLOUT)) {
			ssize_t n =
			    send(f->sock, chunk + off, have - off, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n > 0) {
				off += (size_t)n;
			} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
				open_wr = false; /* the server closed the connection */
			}
		}
	}
	return NULL;
}

/* client-<n>.bin -> n (the connection id the server logged it under), else 1. */
static unsigned conn_id_from_name(const char *path)
{
	const char *base = strrchr(path, '/');
	unsigned id;
	char tail[8];

	base = base ? base + 1 : path;
	if (sscanf(base, "client-%u%7s", &id, tail) == 2 && !strcmp(tail, ".bin") && id)
		return id;
	return 1;
}

static void usage(FILE *f, const char *argv0)
{
	fprintf(f,
	        "Usage: %s [--debug] [--conn-id N] [--max-client-bytes N] FILE\n"
	        "Replays a client stream recorded by virgl-next-vtest --capture into the\n"
	        "server's connection code and logs as the server did (stderr).\n"
	        "The connection id in log lines is taken from a client-<n>.bin name unless\n"
	        "--conn-id is given.\n",
	        argv0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"debug", no_argument, NULL, 'd'},
	    {"conn-id", required_argument, NULL, 'i'},
	    {"max-client-bytes", required_argument, NULL, 'b'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct vtest_conn_opts co = {.level = VGN_LOG_INFO};
	unsigned conn_id = 0;
	struct feeder f;
	pthread_t thread;
	int opt, sv[2];

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		unsigned long long n;

		switch (opt) {
		case 'd':
			co.level = VGN_LOG_DEBUG;
			break;
		case 'i':
		case 'b':
			errno = 0;
			n = strtoull(optarg, &end, 10);
			if (errno || *end || !n || optarg[0] == '-' ||
			    (opt == 'i' && n > 1000000000)) {
				fprintf(stderr, "invalid number: %s\n", optarg);
				return 2;
			}
			if (opt == 'i')
				conn_id = (unsigned)n;
			else
				co.max_client_bytes = n;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr, argv[0]);
		return 2;
	}
	f.file = open(argv[optind], O_RDONLY | O_CLOEXEC);
	if (f.file < 0) {
		fprintf(stderr, "%s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	if (!conn_id)
		conn_id = conn_id_from_name(argv[optind]);
	signal(SIGPIPE, SIG_IGN);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		perror("socketpair");
		return 1;
	}
	f.sock = sv[0];
	if (pthread_create(&thread, NULL, feeder_thread, &f)) {
		fprintf(stderr, "cannot start the feeder thread\n");
		return 1;
	}
	vtest_conn_serve_opts(sv[1], conn_id, &co);
	/* What the server does after a connection ends: the client sees EOF. */
	shutdown(sv[1], SHUT_RDWR);
	pthread_join(thread, NULL);
	close(sv[0]);
	close(sv[1]);
	close(f.file);
	return 0;
}
