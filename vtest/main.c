/* SPDX-License-Identifier: MIT */
/*
 * virgl-next-vtest: a vtest server (the socket protocol Mesa's virpipe and Venus
 * drivers speak) built only on the public virgl-next API.
 *
 * This file: options, the listening socket, the accept loop, one thread per
 * client, and shutdown on SIGINT/SIGTERM. The protocol lives in conn.c and the
 * cmds_*.c files.
 *
 * Process-global state: none of ours. Signals are not handled asynchronously:
 * SIGINT/SIGTERM are blocked in every thread and read from a signalfd in the
 * accept loop; SIGPIPE is ignored (writes use MSG_NOSIGNAL as well).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "log.h"

#define DEFAULT_SOCKET "/tmp/.virgl_test" /* Mesa's default when VTEST_SOCKET_NAME is unset */
#define SHUTDOWN_GRACE_S 5

struct client;

struct server {
	struct vtest_logger log;
	enum vgn_log_level level;
	unsigned max_clients; /* 0 = no limit */
	pthread_mutex_t lock;
	pthread_cond_t cond; /* signalled when a client thread ends */
	struct client *clients;
	unsigned num_clients;
	unsigned next_id;
};

struct client {
	struct client *next;
	struct server *srv;
	int fd;
	unsigned id;
};

static void usage(FILE *f, const char *argv0)
{
	fprintf(f,
	        "Usage: %s [OPTIONS]\n"
	        "A vtest server for Mesa's virpipe (GL) and Venus (Vulkan) clients.\n\n"
	        "  --socket PATH     listen on PATH (default: $VTEST_SOCKET_NAME, else %s)\n"
	        "  --debug           log every command received, with sizes, to stderr\n"
	        "  --max-clients N   serve at most N clients at once (default: no limit)\n"
	        "  --help            show this text\n\n"
	        "Each client gets its own thread and its own renderer instance.\n"
	        "Stop with SIGINT or SIGTERM; the socket file is removed.\n",
	        argv0, DEFAULT_SOCKET);
}

static void *client_thread(void *arg)
{
	struct client *cl = arg;
	struct server *srv = cl->srv;
	struct client **pp;

	vtest_conn_serve(cl->fd, cl->id, srv->level);

	/* Unlink and close under the lock, so the shutdown path never touches a
	 * closed (and possibly reused) fd. */
	pthread_mutex_lock(&srv->lock);
	for (pp = &srv->clients; *pp; pp = &(*pp)->next) {
		if (*pp == cl) {
			*pp = cl->next;
			break;
		}
	}
	close(cl->fd);
	srv->num_clients--;
	pthread_cond_broadcast(&srv->cond);
	pthread_mutex_unlock(&srv->lock);
	free(cl);
	return NULL;
}

static void start_client(struct server *srv, int fd)
{
	pthread_attr_t attr;
	struct client *cl;
	pthread_t thread;
	int ret;

	pthread_mutex_lock(&srv->lock);
	if (srv->max_clients && srv->num_clients >= srv->max_clients) {
		pthread_mutex_unlock(&srv->lock);
		vtest_warn(&srv->log, "refusing a client: %u clients already connected",
		           srv->max_clients);
		close(fd);
		return;
	}
	cl = calloc(1, sizeof(*cl));
	if (!cl) {
		pthread_mutex_unlock(&srv->lock);
		vtest_err(&srv->log, "out of memory for a client");
		close(fd);
		return;
	}
	cl->srv = srv;
	cl->fd = fd;
	cl->id = ++srv->next_id;
	cl->next = srv->clients;
	srv->clients = cl;
	srv->num_clients++;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ret = pthread_create(&thread, &attr, client_thread, cl);
	pthread_attr_destroy(&attr);
	if (ret) {
		srv->clients = cl->next;
		srv->num_clients--;
		pthread_mutex_unlock(&srv->lock);
		vtest_err(&srv->log, "cannot start a client thread: %s", strerror(ret));
		close(fd);
		free(cl);
		return;
	}
	pthread_mutex_unlock(&srv->lock);
}

/* Ends every connection and waits a while for the threads to finish. */
static void stop_clients(struct server *srv)
{
	struct timespec deadline;
	struct client *cl;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += SHUTDOWN_GRACE_S;
	pthread_mutex_lock(&srv->lock);
	for (cl = srv->clients; cl; cl = cl->next)
		shutdown(cl->fd, SHUT_RDWR);
	while (srv->num_clients) {
		if (pthread_cond_timedwait(&srv->cond, &srv->lock, &deadline) == ETIMEDOUT) {
			vtest_warn(&srv->log, "%u client(s) still busy at exit", srv->num_clients);
			break;
		}
	}
	pthread_mutex_unlock(&srv->lock);
}

static int listen_on(struct server *srv, const char *path)
{
	struct sockaddr_un addr;
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		vtest_err(&srv->log, "socket path too long (max %zu bytes): %s",
		          sizeof(addr.sun_path) - 1, path);
		return -1;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	/* Remove a stale socket, but never a file that is something else, nor the
	 * socket of a server that is still running. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			vtest_err(&srv->log, "%s exists and is not a socket", path);
			return -1;
		}
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
			close(fd);
			vtest_err(&srv->log, "another server is listening on %s", path);
			return -1;
		}
		if (fd >= 0)
			close(fd);
		if (unlink(path) < 0) {
			vtest_err(&srv->log, "cannot remove stale socket %s: %s", path,
			          strerror(errno));
			return -1;
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		vtest_err(&srv->log, "socket: %s", strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 16) < 0) {
		vtest_err(&srv->log, "cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int serve(struct server *srv, int listen_fd, int sig_fd)
{
	for (;;) {
		struct pollfd pfd[2] = {
		    {.fd = listen_fd, .events = POLLIN},
		    {.fd = sig_fd, .events = POLLIN},
		};
		int fd;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			vtest_err(&srv->log, "poll: %s", strerror(errno));
			return 1;
		}
		if (pfd[1].revents) {
			struct signalfd_siginfo si;
			if (read(sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				vtest_info(&srv->log, "signal %u: shutting down", si.ssi_signo);
			return 0;
		}
		if (!pfd[0].revents)
			continue;
		fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN)
				continue;
			vtest_err(&srv->log, "accept: %s", strerror(errno));
			if (errno == EMFILE || errno == ENFILE || errno == ENOMEM) {
				sleep(1); /* out of fds: let clients leave, do not spin */
				continue;
			}
			return 1;
		}
		start_client(srv, fd);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"socket", required_argument, NULL, 's'},
	    {"debug", no_argument, NULL, 'd'},
	    {"max-clients", required_argument, NULL, 'm'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct server srv;
	const char *path = NULL;
	sigset_t sigs;
	int opt, listen_fd, sig_fd, status;

	memset(&srv, 0, sizeof(srv));
	srv.level = VGN_LOG_INFO;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'd':
			srv.level = VGN_LOG_DEBUG;
			break;
		case 'm': {
			char *end;
			unsigned long n;

			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || n > 1000000 || optarg[0] == '-') {
				fprintf(stderr, "invalid --max-clients: %s\n", optarg);
				return 2;
			}
			srv.max_clients = (unsigned)n;
			break;
		}
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr, argv[0]);
		return 2;
	}
	if (!path)
		path = getenv("VTEST_SOCKET_NAME");
	if (!path || !*path)
		path = DEFAULT_SOCKET;
	srv.log.max_level = srv.level;
	srv.log.conn_id = 0;

	/* Block the stop signals in this thread before any other thread exists (they
	 * inherit the mask), and receive them through a signalfd instead. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &sigs, NULL)) {
		vtest_err(&srv.log, "cannot block signals");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sig_fd < 0) {
		vtest_err(&srv.log, "signalfd: %s", strerror(errno));
		return 1;
	}
	listen_fd = listen_on(&srv, path);
	if (listen_fd < 0) {
		close(sig_fd);
		return 1;
	}
	pthread_mutex_init(&srv.lock, NULL);
	pthread_cond_init(&srv.cond, NULL);
	vtest_info(&srv.log, "listening on %s%s", path,
	           srv.level == VGN_LOG_DEBUG ? " (debug log)" : "");

	status = serve(&srv, listen_fd, sig_fd);

	close(listen_fd);
	unlink(path);
	stop_clients(&srv);
	close(sig_fd);
	if (srv.num_clients) {
		/* A thread stuck in the GPU driver still uses srv: leave without
		 * running exit handlers or returning from main. */
		vtest_warn(&srv.log, "stopped with clients still running");
		_exit(status);
	}
	pthread_cond_destroy(&srv.cond);
	pthread_mutex_destroy(&srv.lock);
	vtest_info(&srv.log, "stopped");
	return status;
}
