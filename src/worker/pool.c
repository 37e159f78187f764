/* SPDX-License-Identifier: MIT */
#include "pool.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"
#include "context.h"
#include "fence.h"
#include "log.h"
#include "process.h"

/* Watchdog state of one fence ring: the highest fence sent and retired, and
 * when the ring last made progress (or became busy). */
struct ring_watch {
	uint64_t sent;
	uint64_t retired;
	uint64_t since_ms;
	bool busy; /* retired < sent */
};

struct vgn_worker {
	struct vgn_worker_pool *pool;
	struct vgn_worker *next; /* pool list (pool->lock) */
	atomic_uint refs;
	int sock;
	uint32_t ctx_id;

	pthread_mutex_t lock;
	pthread_cond_t cond;      /* reply arrived, or the worker is dead */
	pid_t pid;                /* 0 once reaped */
	struct vgn_context *vctx; /* NULL: probe worker, or stopped */
	bool closing;             /* vgn_worker_stop runs: no more events */
	bool reaping;             /* someone owns the reap */
	bool dead;                /* reaped */
	bool hung;                /* killed by us for not answering */
	uint64_t hung_after_ms;
	char why[VGN_WMSG_REASON_MAX]; /* protocol error that made us kill it */

	/* The one outstanding request (lock). */
	bool waiting;
	bool have_reply;
	uint32_t expect;
	struct vgn_wmsg_reply *reply;
	size_t reply_cap;
	size_t reply_len;
	int reply_fd;

	struct ring_watch rings[VGN_MAX_RINGS];
};

struct vgn_worker_pool {
	vgn_renderer *r;
	char *path;
	uint32_t timeout_ms;
	struct vgn_wmsg_init init;

	pthread_mutex_t lock;
	struct vgn_worker *workers;
	bool stop;
	int wake_fd; /* eventfd: the list or a deadline changed */
	pthread_t thread;
	uint8_t *buf; /* watchdog thread's receive buffer */
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void wake(struct vgn_worker_pool *pool)
{
	uint64_t one = 1;
	ssize_t n = write(pool->wake_fd, &one, sizeof(one));
	(void)n; /* a full counter already wakes the thread */
}

static void worker_put(struct vgn_worker *w)
{
	if (atomic_fetch_sub(&w->refs, 1) != 1)
		return;
	if (w->reply_fd >= 0)
		close(w->reply_fd);
	close(w->sock);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

int vgn_worker_pid(struct vgn_worker *w)
{
	pthread_mutex_lock(&w->lock);
	int pid = (int)w->pid;
	pthread_mutex_unlock(&w->lock);
	return pid;
}

/* Builds the fatal reason from how the worker ended (w->lock held). */
static void describe_end(struct vgn_worker *w, pid_t pid, bool reaped, int status, char *out,
                         size_t size)
{
	if (w->hung)
		snprintf(out, size, "worker hung: killed after %llu ms",
		         (unsigned long long)w->hung_after_ms);
	else if (w->why[0])
		snprintf(out, size, "worker process %d killed: %.80s", (int)pid, w->why);
	else if (!reaped)
		snprintf(out, size, "worker process %d ended (exit status unknown)", (int)pid);
	else if (WIFSIGNALED(status))
		snprintf(out, size, "worker process %d killed by signal %d (%s)", (int)pid,
		         WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(out, size, "worker process %d exited with status %d", (int)pid,
		         WEXITSTATUS(status));
}

/* The worker is gone or must go: kill it if asked, reap it and make its context
 * fatal. The first caller does the work; later ones return at once. */
static void worker_fail(struct vgn_worker *w, bool kill_now)
{
	pthread_mutex_lock(&w->lock);
	if (w->reaping) {
		pthread_mutex_unlock(&w->lock);
		return;
	}
	w->reaping = true;
	pid_t pid = w->pid;
	pthread_mutex_unlock(&w->lock);

	int status = 0;
	bool reaped = vgn_worker_reap(pid, 200, kill_now, &status);
	shutdown(w->sock, SHUT_RDWR); /* nothing more is read from it */

	char reason[VGN_FATAL_REASON_MAX];
	pthread_mutex_lock(&w->lock);
	describe_end(w, pid, reaped, status, reason, sizeof(reason));
	w->pid = 0;
	w->dead = true;
	if (w->vctx && !w->closing)
		vgn_context_set_fatal(w->vctx, -EIO, reason);
	else if (!w->closing)
		vgn_warn(w->pool->r, "%s", reason);
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

/* Kills a worker for a reason of ours (what: the fatal reason's tail). */
static void worker_kill(struct vgn_worker *w, const char *prefix, const char *what)
{
	pthread_mutex_lock(&w->lock);
	if (!w->why[0] && !w->reaping)
		snprintf(w->why, sizeof(w->why), "%s: %s", prefix, what);
	pthread_mutex_unlock(&w->lock);
	worker_fail(w, true);
}

/* Kills a worker for breaking the protocol. */
static void worker_protocol_error(struct vgn_worker *w, const char *what)
{
	worker_kill(w, "protocol error", what);
}

/* Kills a worker for not answering (request or fence progress). */
static void worker_hang(struct vgn_worker *w, uint64_t after_ms)
{
	pthread_mutex_lock(&w->lock);
	if (!w->reaping && !w->hung) {
		w->hung = true;
		w->hung_after_ms = after_ms;
	}
	pthread_mutex_unlock(&w->lock);
	worker_fail(w, true);
}

/* -- packets from a worker (watchdog thread) ------------------------------------------------- */

static void on_reply(struct vgn_worker *w, const uint8_t *buf, size_t n, int *fd)
{
	struct vgn_wmsg_reply rep;
	if (n < sizeof(rep)) {
		worker_protocol_error(w, "short reply");
		return;
	}
	memcpy(&rep, buf, sizeof(rep));
	pthread_mutex_lock(&w->lock);
	bool ok = w->waiting && !w->have_reply && rep.request == w->expect && n <= w->reply_cap;
	if (ok) {
		memcpy(w->reply, buf, n);
		w->reply_len = n;
		w->reply_fd = *fd;
		*fd = -1;
		w->have_reply = true;
		pthread_cond_broadcast(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
	if (!ok)
		worker_protocol_error(w, "unexpected reply");
}

static void on_fence_retired(struct vgn_worker *w, const uint8_t *buf, size_t n)
{
	struct vgn_wmsg_fence f;
	if (n != sizeof(f)) {
		worker_protocol_error(w, "bad FENCE_RETIRED size");
		return;
	}
	memcpy(&f, buf, sizeof(f));
	pthread_mutex_lock(&w->lock);
	/* Only fences we sent can retire. */
	bool ok = f.ring < VGN_MAX_RINGS && f.fence_id <= w->rings[f.ring].sent;
	if (ok) {
		struct ring_watch *rw = &w->rings[f.ring];
		if (f.fence_id > rw->retired) {
			rw->retired = f.fence_id;
			rw->since_ms = now_ms();
			rw->busy = rw->retired < rw->sent;
		}
		if (w->vctx && !w->closing)
			vgn_fence_retire(w->pool->r, w->ctx_id, f.ring, f.fence_id);
	}
	pthread_mutex_unlock(&w->lock);
	if (!ok)
		worker_protocol_error(w, "retired a fence that was never sent");
}

static void on_fatal(struct vgn_worker *w, const uint8_t *buf, size_t n)
{
	struct vgn_wmsg_fatal f;
	if (n != sizeof(f) ||
	    !memchr(buf + offsetof(struct vgn_wmsg_fatal, reason), 0, sizeof(f.reason))) {
		worker_protocol_error(w, "bad FATAL message");
		return;
	}
	memcpy(&f, buf, sizeof(f));
	/* The worker's context died (guest error, driver failure); the process
	 * itself is fine and ends with the context. Keep only sane errnos. */
	int err = f.error < 0 && f.error > -4096 ? f.error : -EIO;
	pthread_mutex_lock(&w->lock);
	if (w->vctx && !w->closing)
		vgn_context_set_fatal(w->vctx, err, f.reason);
	pthread_mutex_unlock(&w->lock);
}

static void on_log(struct vgn_worker *w, const uint8_t *buf, size_t n)
{
	struct vgn_wmsg_log l;
	if (n <= sizeof(l) || n > sizeof(l) + VGN_WMSG_LOG_MAX || buf[n - 1] != 0) {
		worker_protocol_error(w, "bad LOG message");
		return;
	}
	memcpy(&l, buf, sizeof(l));
	if (l.level > VGN_LOG_DEBUG) {
		worker_protocol_error(w, "bad log level");
		return;
	}
	vgn_log(w->pool->r, (enum vgn_log_level)l.level, "worker %d (context %u): %s",
	        vgn_worker_pid(w), w->ctx_id, (const char *)buf + sizeof(l));
}

static void handle_readable(struct vgn_worker *w, uint8_t *buf)
{
	int fd = -1;
	ssize_t n = vgn_wchan_recv(w->sock, buf, VGN_WMSG_MAX, &fd, true);
	if (n == -EAGAIN)
		return;
	if (n == 0) { /* EOF: the worker died or closed its end */
		worker_fail(w, false);
		return;
	}
	if (n < 0) {
		worker_protocol_error(w, "malformed packet");
		return;
	}
	struct vgn_wmsg_hdr h;
	memcpy(&h, buf, sizeof(h));
	if (h.type == VGN_WMSG_REPLY) {
		on_reply(w, buf, (size_t)n, &fd);
	} else if (fd >= 0) {
		worker_protocol_error(w, "fd on a message that carries none");
	} else if (h.type == VGN_WMSG_FENCE_RETIRED) {
		on_fence_retired(w, buf, (size_t)n);
	} else if (h.type == VGN_WMSG_FATAL) {
		on_fatal(w, buf, (size_t)n);
	} else if (h.type == VGN_WMSG_LOG) {
		on_log(w, buf, (size_t)n);
	} else {
		worker_protocol_error(w, "unknown message type");
	}
	if (fd >= 0)
		close(fd);
}

/* -- the watchdog thread -------------------------------------------------------------------- */

/* Kills workers whose busy rings made no progress for timeout_ms; returns the
 * poll timeout until the next deadline (-1: none). */
static int check_fences(struct vgn_worker_pool *pool, struct vgn_worker **ws, size_t n)
{
	uint64_t now = now_ms(), next = UINT64_MAX;
	for (size_t i = 0; i < n; i++) {
		struct vgn_worker *w = ws[i];
		uint64_t late = 0;
		pthread_mutex_lock(&w->lock);
		for (uint32_t ring = 0; ring < VGN_MAX_RINGS && !w->reaping; ring++) {
			const struct ring_watch *rw = &w->rings[ring];
			if (!rw->busy)
				continue;
			uint64_t deadline = rw->since_ms + pool->timeout_ms;
			if (deadline <= now && now - rw->since_ms > late)
				late = now - rw->since_ms;
			else if (deadline < next)
				next = deadline;
		}
		pthread_mutex_unlock(&w->lock);
		if (late) {
			vgn_warn(pool->r, "context %u: fences made no progress for %llu ms",
			         w->ctx_id, (unsigned long long)late);
			worker_hang(w, late);
		}
	}
	if (next == UINT64_MAX)
		return -1;
	uint64_t now2 = now_ms();
	return next <= now2 ? 0 : (int)(next - now2 < 60000 ? next - now2 : 60000);
}

static void *watchdog_main(void *arg)
{
	struct vgn_worker_pool *pool = arg;
	struct vgn_worker **ws = NULL;
	struct pollfd *pfd = NULL;
	size_t cap = 0;
	int timeout = -1;
	for (;;) {
		pthread_mutex_lock(&pool->lock);
		if (pool->stop) {
			pthread_mutex_unlock(&pool->lock);
			break;
		}
		size_t count = 0;
		for (struct vgn_worker *w = pool->workers; w; w = w->next)
			count++;
		if (count + 1 > cap) {
			size_t ncap = (count + 1) * 2;
			void *a = realloc(ws, ncap * sizeof(*ws));
			if (a)
				ws = a;
			void *b = a ? realloc(pfd, ncap * sizeof(*pfd)) : NULL;
			if (b)
				pfd = b;
			if (a && b)
				cap = ncap;
		}
		size_t n = 0;
		for (struct vgn_worker *w = pool->workers; w && n + 1 < cap; w = w->next) {
			pthread_mutex_lock(&w->lock);
			bool watch = !w->reaping && !w->closing;
			pthread_mutex_unlock(&w->lock);
			if (!watch)
				continue;
			atomic_fetch_add(&w->refs, 1);
			ws[n] = w;
			pfd[n + 1] = (struct pollfd){.fd = w->sock, .events = POLLIN};
			n++;
		}
		pthread_mutex_unlock(&pool->lock);
		if (!pfd) { /* out of memory: try again shortly */
			struct timespec ts = {0, 10000000};
			nanosleep(&ts, NULL);
			continue;
		}

		pfd[0] = (struct pollfd){.fd = pool->wake_fd, .events = POLLIN};
		timeout = check_fences(pool, ws, n);
		int ready = poll(pfd, n + 1, timeout);
		if (ready > 0 && pfd[0].revents) {
			uint64_t v;
			ssize_t r = read(pool->wake_fd, &v, sizeof(v));
			(void)r;
		}
		for (size_t i = 0; ready > 0 && i < n; i++)
			if (pfd[i + 1].revents)
				handle_readable(ws[i], pool->buf);
		check_fences(pool, ws, n);
		for (size_t i = 0; i < n; i++)
			worker_put(ws[i]);
	}
	free(ws);
	free(pfd);
	return NULL;
}

int vgn_worker_pool_create(vgn_renderer *r, const char *path, uint32_t timeout_ms,
                           const struct vgn_wmsg_init *init, struct vgn_worker_pool **out)
{
	struct vgn_worker_pool *pool = calloc(1, sizeof(*pool));
	if (!pool)
		return -ENOMEM;
	pool->r = r;
	pool->timeout_ms = timeout_ms;
	pool->init = *init;
	pool->path = strdup(path);
	pool->buf = malloc(VGN_WMSG_MAX);
	pool->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int ret = 0;
	if (!pool->path || !pool->buf)
		ret = -ENOMEM;
	else if (pool->wake_fd < 0)
		ret = -errno;
	if (!ret) {
		pthread_mutex_init(&pool->lock, NULL);
		ret = -pthread_create(&pool->thread, NULL, watchdog_main, pool);
		if (ret)
			pthread_mutex_destroy(&pool->lock);
	}
	if (ret) {
		if (pool->wake_fd >= 0)
			close(pool->wake_fd);
		free(pool->buf);
		free(pool->path);
		free(pool);
		return ret;
	}
	*out = pool;
	return 0;
}

void vgn_worker_pool_destroy(struct vgn_worker_pool *pool)
{
	if (!pool)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->stop = true;
	pthread_mutex_unlock(&pool->lock);
	wake(pool);
	pthread_join(pool->thread, NULL);
	pthread_mutex_destroy(&pool->lock);
	close(pool->wake_fd);
	free(pool->buf);
	free(pool->path);
	free(pool);
}

uint32_t vgn_worker_pool_timeout_ms(const struct vgn_worker_pool *pool)
{
	return pool->timeout_ms;
}

/* -- requests (API threads) ----------------------------------------------------------------- */

int vgn_worker_call(struct vgn_worker *w, const void *req, int fd, struct vgn_wmsg_reply *reply,
                    size_t reply_cap, size_t *reply_len, int *reply_fd)
{
	struct vgn_wmsg_hdr h;
	memcpy(&h, req, sizeof(h));
	*reply_fd = -1;
	pthread_mutex_lock(&w->lock);
	if (w->dead || w->reaping || w->waiting) {
		pthread_mutex_unlock(&w->lock);
		return -EIO;
	}
	w->waiting = true;
	w->have_reply = false;
	w->expect = h.type;
	w->reply = reply;
	w->reply_cap = reply_cap;
	w->reply_fd = -1;
	pthread_mutex_unlock(&w->lock);

	/* Starting a worker loads and probes the Vulkan driver, which may take
	 * far longer than answering a submit: those requests get at least
	 * VGN_WORKER_START_TIMEOUT_MS. */
	uint64_t start = now_ms(), timeout = w->pool->timeout_ms;
	bool startup = h.type == VGN_WMSG_INIT || h.type == VGN_WMSG_CAPSET_INFO ||
	               h.type == VGN_WMSG_CAPSET_FILL || h.type == VGN_WMSG_CONTEXT_CREATE;
	if (startup && timeout < VGN_WORKER_START_TIMEOUT_MS)
		timeout = VGN_WORKER_START_TIMEOUT_MS;
	/* At most one request is outstanding, so the socket buffer has room; a
	 * full one means the worker stopped reading. */
	int ret = vgn_wchan_send(w->sock, req, h.len, fd, true);
	if (ret == -EAGAIN)
		worker_hang(w, 0);
	else if (ret)
		worker_kill(w, "cannot send to it", strerror(-ret));

	pthread_mutex_lock(&w->lock);
	while (!w->have_reply && !w->dead) {
		uint64_t now = now_ms();
		if (!w->reaping && now - start >= timeout) {
			pthread_mutex_unlock(&w->lock);
			vgn_warn(w->pool->r,
			         "context %u: worker did not answer request %u in %llu ms",
			         w->ctx_id, h.type, (unsigned long long)(now - start));
			worker_hang(w, now - start);
			pthread_mutex_lock(&w->lock);
			continue;
		}
		uint64_t left = w->reaping ? 50 : timeout - (now - start);
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += (time_t)(left / 1000);
		ts.tv_nsec += (long)(left % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->cond, &w->lock, &ts);
	}
	if (w->have_reply) {
		ret = reply->status;
		if (ret > 0 || ret < -4095)
			ret = -EIO; /* not an errno */
		*reply_len = w->reply_len;
		*reply_fd = w->reply_fd;
	} else {
		ret = -EIO;
	}
	w->reply_fd = -1;
	w->waiting = false;
	w->have_reply = false;
	w->reply = NULL;
	pthread_mutex_unlock(&w->lock);
	return ret;
}

int vgn_worker_fence(struct vgn_worker *w, uint32_t ring, uint64_t fence_id)
{
	if (ring >= VGN_MAX_RINGS)
		return -EINVAL;
	/* Recorded before sending: the retire may overtake the reply. */
	pthread_mutex_lock(&w->lock);
	struct ring_watch *rw = &w->rings[ring], saved = *rw;
	bool was_busy = rw->busy;
	if (fence_id > rw->sent)
		rw->sent = fence_id;
	if (!was_busy && rw->retired < rw->sent) {
		rw->busy = true;
		rw->since_ms = now_ms();
	}
	pthread_mutex_unlock(&w->lock);
	if (!was_busy)
		wake(w->pool); /* a new deadline */

	struct vgn_wmsg_fence f;
	memset(&f, 0, sizeof(f));
	f.hdr.type = VGN_WMSG_FENCE;
	f.hdr.len = sizeof(f);
	f.ring = ring;
	f.fence_id = fence_id;
	struct vgn_wmsg_reply rep;
	size_t len;
	int rfd;
	int ret = vgn_worker_call(w, &f, -1, &rep, sizeof(rep), &len, &rfd);
	if (rfd >= 0)
		close(rfd);
	if (ret && ret != -EIO) {
		/* Refused: the fence does not exist, so nothing waits on it. */
		pthread_mutex_lock(&w->lock);
		if (w->rings[ring].retired <= saved.sent)
			w->rings[ring] = saved;
		pthread_mutex_unlock(&w->lock);
	}
	return ret;
}

/* -- start and stop ------------------------------------------------------------------------- */

int vgn_worker_start(struct vgn_worker_pool *pool, struct vgn_context *vctx,
                     struct vgn_worker **out)
{
	struct vgn_worker *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	pid_t pid;
	int sock;
	int ret = vgn_worker_spawn(pool->path, &pid, &sock);
	if (ret) {
		vgn_err(pool->r, "cannot start worker %s: %s", pool->path, strerror(-ret));
		free(w);
		return ret == -ENOENT || ret == -EACCES ? -ENODEV : ret;
	}
	w->pool = pool;
	w->sock = sock;
	w->pid = pid;
	w->vctx = vctx;
	w->ctx_id = vctx ? vctx->ctx_id : 0;
	w->reply_fd = -1;
	atomic_init(&w->refs, 1);
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);

	pthread_mutex_lock(&pool->lock);
	w->next = pool->workers;
	pool->workers = w;
	pthread_mutex_unlock(&pool->lock);
	wake(pool);

	struct vgn_wmsg_reply rep;
	size_t len;
	int rfd;
	ret = vgn_worker_call(w, &pool->init, -1, &rep, sizeof(rep), &len, &rfd);
	if (rfd >= 0)
		close(rfd);
	if (ret) {
		vgn_err(pool->r, "worker %d did not start: %s", (int)pid, vgn_strerror(ret));
		vgn_worker_stop(w);
		return ret == -EIO ? -ENODEV : ret;
	}
	*out = w;
	return 0;
}

void vgn_worker_stop(struct vgn_worker *w)
{
	struct vgn_worker_pool *pool = w->pool;
	pthread_mutex_lock(&w->lock);
	w->closing = true;
	bool mine = !w->reaping;
	w->reaping = true;
	pid_t pid = w->pid;
	pthread_mutex_unlock(&w->lock);

	if (mine) {
		/* EOF on its channel: the worker tears its context down and exits. */
		shutdown(w->sock, SHUT_RDWR);
		int status = 0;
		bool reaped = vgn_worker_reap(pid, pool->timeout_ms, false, &status);
		if (reaped && (WIFSIGNALED(status) || WEXITSTATUS(status)))
			vgn_warn(pool->r,
			         "worker %d of context %u ended badly at stop (status 0x%x)",
			         (int)pid, w->ctx_id, status);
		pthread_mutex_lock(&w->lock);
		w->pid = 0;
		w->dead = true;
		pthread_cond_broadcast(&w->cond);
		pthread_mutex_unlock(&w->lock);
	} else {
		pthread_mutex_lock(&w->lock);
		while (!w->dead)
			pthread_cond_wait(&w->cond, &w->lock);
		pthread_mutex_unlock(&w->lock);
	}
	/* worker_fail may still be running on the watchdog thread for it: it saw
	 * closing and touches no context; the reference keeps w alive. */
	pthread_mutex_lock(&w->lock);
	w->vctx = NULL;
	pthread_mutex_unlock(&w->lock);

	pthread_mutex_lock(&pool->lock);
	for (struct vgn_worker **p = &pool->workers; *p; p = &(*p)->next) {
		if (*p == w) {
			*p = w->next;
			break;
		}
	}
	pthread_mutex_unlock(&pool->lock);
	wake(pool);
	worker_put(w);
}
