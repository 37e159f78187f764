/* SPDX-License-Identifier: MIT */
/*
 * virgl-next-vtest: a vtest server (the socket protocol Mesa's virpipe and Venus
 * drivers speak) built only on the public virgl-next API.
 *
 * This file: options, the listening socket, the accept loop, one thread per
 * client (or, with --fork, one process per client, so that a crash inside the
 * host GPU driver takes down only the client that caused it), and shutdown on
 * SIGINT/SIGTERM. The protocol lives in conn.c and the
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
#include <sys/wait.h>
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
	struct vtest_conn_opts opts; /* what every connection gets */
	unsigned max_clients;        /* 0 = no limit */
	bool fork_clients;           /* --fork: one process per client */
	int listen_fd, sig_fd;       /* closed in forked children */
	pid_t *workers;              /* --fork: live client processes */
	unsigned num_workers, cap_workers;
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
	        "  --max-client-bytes N  host memory budget of each client's renderer\n"
	        "                    (resources and blobs; suffix K, M or G; default:\n"
	        "                    the library's, min(8G, physical memory))\n"
	        "  --capture DIR     write each client's raw incoming stream to\n"
	        "                    DIR/client-<n>.bin (replay: virgl-next-vtest-replay)\n"
	        "  --capture-max N   bytes kept per client file (default 256M)\n"
	        "  --fork            serve each client in its own process: a client whose\n"
	        "                    GPU work crashes the host driver takes only itself down\n"
	        "  --worker          run each Venus context in its own worker process: a\n"
	        "                    driver crash or hang ends only that context\n"
	        "  --worker-timeout-ms N  kill a worker that does not answer for N ms\n"
	        "                    (default: the library's, 10000)\n"
	        "  --worker-path PATH  the worker executable (default: the installed one)\n"
	        "  --help            show this text\n\n"
	        "Each client gets its own thread (or process) and its own renderer instance.\n"
	        "Stop with SIGINT or SIGTERM; the socket file is removed.\n",
	        argv0, DEFAULT_SOCKET);
}

/* A byte count with an optional K/M/G suffix; 0 and overflow are refused. */
static int parse_bytes(const char *s, uint64_t *out)
{
	unsigned long long n;
	unsigned shift = 0;
	char *end;

	errno = 0;
	if (s[0] < '0' || s[0] > '9')
		return -1;
	n = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (shift)
		end++;
	if (*end || !n || n > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)n << shift;
	return 0;
}

static void *client_thread(void *arg)
{
	struct client *cl = arg;
	struct server *srv = cl->srv;
	struct client **pp;

	vtest_conn_serve_opts(cl->fd, cl->id, &srv->opts);

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

/* --fork: the client runs in a child process with the default signal mask, so
 * SIGTERM from the parent's shutdown ends it. The parent keeps no renderer, GL
 * or Vulkan state, so fork() copies nothing a child could trip over. */
static void start_worker(struct server *srv, int fd)
{
	unsigned id = ++srv->next_id;
	pid_t pid;

	if (srv->max_clients && srv->num_workers >= srv->max_clients) {
		vtest_warn(&srv->log, "refusing a client: %u clients already connected",
		           srv->max_clients);
		close(fd);
		return;
	}
	if (srv->num_workers == srv->cap_workers) {
		unsigned cap = srv->cap_workers ? srv->cap_workers * 2 : 16;
		pid_t *w = realloc(srv->workers, cap * sizeof(*w));

		if (!w) {
			vtest_err(&srv->log, "out of memory for a client");
			close(fd);
			return;
		}
		srv->workers = w;
		srv->cap_workers = cap;
	}
	pid = fork();
	if (pid < 0) {
		vtest_err(&srv->log, "fork: %s", strerror(errno));
		close(fd);
		return;
	}
	if (pid == 0) {
		sigset_t all;

		close(srv->listen_fd);
		close(srv->sig_fd);
		sigemptyset(&all);
		pthread_sigmask(SIG_SETMASK, &all, NULL);
		vtest_conn_serve_opts(fd, id, &srv->opts);
		close(fd);
		_exit(0);
	}
	close(fd);
	srv->workers[srv->num_workers++] = pid;
	vtest_dbg(&srv->log, "client %u: process %d", id, (int)pid);
}

/* Collects finished client processes; one that died of a signal is reported
 * (its renderer, and whatever crashed in the driver, went with it). */
static void reap_workers(struct server *srv, bool block)
{
	while (srv->num_workers) {
		int st;
		pid_t pid = waitpid(-1, &st, block ? 0 : WNOHANG);

		if (pid <= 0)
			return;
		for (unsigned i = 0; i < srv->num_workers; i++) {
			if (srv->workers[i] == pid) {
				srv->workers[i] = srv->workers[--srv->num_workers];
				break;
			}
		}
		if (WIFSIGNALED(st) && WTERMSIG(st) != SIGTERM)
			vtest_warn(&srv->log,
			           "client process %d killed by signal %d; other clients "
			           "are unaffected",
			           (int)pid, WTERMSIG(st));
	}
}

static void stop_workers(struct server *srv)
{
	for (unsigned i = 0; i < srv->num_workers; i++)
		kill(srv->workers[i], SIGTERM);
	reap_workers(srv, true);
	free(srv->workers);
	srv->workers = NULL;
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

		/* Forked clients are reaped at least once a second. */
		if (poll(pfd, 2, srv->fork_clients ? 1000 : -1) < 0) {
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
		if (srv->fork_clients)
			reap_workers(srv, false);
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
		if (srv->fork_clients)
			start_worker(srv, fd);
		else
			start_client(srv, fd);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"socket", required_argument, NULL, 's'},
	    {"debug", no_argument, NULL, 'd'},
	    {"max-clients", required_argument, NULL, 'm'},
	    {"max-client-bytes", required_argument, NULL, 'b'},
	    {"capture", required_argument, NULL, 'c'},
	    {"capture-max", required_argument, NULL, 'C'},
	    {"fork", no_argument, NULL, 'f'},
	    {"worker", no_argument, NULL, 'w'},
	    {"worker-timeout-ms", required_argument, NULL, 'T'},
	    {"worker-path", required_argument, NULL, 'P'},
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
		case 'b':
		case 'C': {
			uint64_t n;

			if (parse_bytes(optarg, &n)) {
				fprintf(stderr, "invalid size for --%s: %s\n",
				        opt == 'b' ? "max-client-bytes" : "capture-max", optarg);
				return 2;
			}
			if (opt == 'b')
				srv.opts.max_client_bytes = n;
			else
				srv.opts.capture_max = n;
			break;
		}
		case 'c':
			srv.opts.capture_dir = optarg;
			break;
		case 'f':
			srv.fork_clients = true;
			break;
		case 'w':
			srv.opts.worker = true;
			break;
		case 'T': {
			char *end;
			unsigned long n;

			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || !n || n > 3600000 ||
			    optarg[0] == '-') {
				fprintf(stderr, "invalid --worker-timeout-ms: %s\n", optarg);
				return 2;
			}
			srv.opts.worker_timeout_ms = (uint32_t)n;
			break;
		}
		case 'P':
			srv.opts.worker_path = optarg;
			break;
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
	if (srv.opts.capture_dir) {
		struct stat st;

		if (stat(srv.opts.capture_dir, &st) || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "--capture: %s is not a directory\n", srv.opts.capture_dir);
			return 2;
		}
	}
	if (!path)
		path = getenv("VTEST_SOCKET_NAME");
	if (!path || !*path)
		path = DEFAULT_SOCKET;
	srv.log.max_level = srv.level;
	srv.opts.level = srv.level;
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
	srv.listen_fd = listen_fd;
	srv.sig_fd = sig_fd;
	pthread_mutex_init(&srv.lock, NULL);
	pthread_cond_init(&srv.cond, NULL);
	vtest_info(&srv.log, "listening on %s%s", path,
	           srv.level == VGN_LOG_DEBUG ? " (debug log)" : "");

	status = serve(&srv, listen_fd, sig_fd);

	close(listen_fd);
	unlink(path);
	stop_clients(&srv);
	stop_workers(&srv);
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
#if !defined(__SANITIZE_ADDRESS__)
	/* Every renderer is destroyed by now. Seen about once in 30 plain-build
	 * runs: a SIGSEGV after this point, inside exit-time destructors of the
	 * host drivers while their own worker threads still run. Skip them;
	 * sanitizer builds still exit normally so that LeakSanitizer checks the
	 * whole process. */
	fflush(NULL);
	_exit(status);
#else
	return status;
#endif
}
