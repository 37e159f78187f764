/* SPDX-License-Identifier: MIT */
/*
 * Asynchronous fences: context_fence puts a GL fence into the context's GL
 * stream (inside its GL section); one worker thread per backend, with its own
 * GL context of the share group, waits for them in order with
 * glClientWaitSync and retires them in the core.
 *
 * A thread that must answer a wait synchronously (vgn_context_wait_fence) waits
 * on the same GL fence itself, on a context of its own (made at the first such
 * wait): woken by the fence, not by the worker's retirement a hop later.
 *
 * Locks: w->lock is a leaf (never held across GL waits or core calls). Context
 * destroy drops that context's pending fences and waits for the one the worker
 * may be retiring, so no retire for a destroyed context id is delivered late.
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "backend_internal.h"
#include "fence.h"
#include "res_internal.h"

#define WAIT_SLICE_NS 100000000ull /* 100 ms: re-check for shutdown */

struct fence_item {
	struct fence_item *next;
	GLsync sync;
	uint32_t ctx_id, ring;
	uint64_t fence_id;
};

struct vrend_fence_worker {
	vgn_renderer *r;
	struct vrend_platform *plat;
	struct vrend_gl_context *gl;
	pthread_mutex_t wait_lock;        /* guards wait_gl and its currency */
	struct vrend_gl_context *wait_gl; /* direct waits (NULL until the first) */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake, done;
	struct fence_item *head, *tail;
	struct fence_item *busy; /* taken by the worker, being waited for */
	bool stop;
	int start_err;
	bool started;
};

static void *worker_main(void *arg)
{
	struct vrend_fence_worker *w = arg;
	int ret = vrend_gl_context_make_current(w->gl);

	pthread_mutex_lock(&w->lock);
	w->start_err = ret;
	w->started = true;
	pthread_cond_broadcast(&w->done);
	if (ret) {
		pthread_mutex_unlock(&w->lock);
		return NULL;
	}
	for (;;) {
		while (!w->head && !w->stop)
			pthread_cond_wait(&w->wake, &w->lock);
		if (!w->head && w->stop)
			break;
		struct fence_item *it = w->head;
		w->head = it->next;
		if (!w->head)
			w->tail = NULL;
		w->busy = it;
		pthread_mutex_unlock(&w->lock);

		/* The fence was flushed by its section: no flush bit needed. */
		GLenum st;
		do {
			st = glClientWaitSync(it->sync, 0, WAIT_SLICE_NS);
		} while (st == GL_TIMEOUT_EXPIRED);
		glDeleteSync(it->sync);
		/* A wait failure (GL_WAIT_FAILED) means a lost GPU: retiring is the
		 * only way not to hang the guest; the context errors come later. */
		vgn_fence_retire(w->r, it->ctx_id, it->ring, it->fence_id);

		pthread_mutex_lock(&w->lock);
		w->busy = NULL;
		free(it);
		pthread_cond_broadcast(&w->done);
	}
	pthread_mutex_unlock(&w->lock);
	/* Release our context before the creator destroys it. */
	eglMakeCurrent(eglGetCurrentDisplay(), EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
	return NULL;
}

int vrend_fence_worker_create(vgn_renderer *r, struct vrend_platform *plat,
                              struct vrend_fence_worker **out)
{
	struct vrend_fence_worker *w = calloc(1, sizeof(*w));
	int ret;

	*out = NULL;
	if (!w)
		return -ENOMEM;
	w->r = r;
	w->plat = plat;
	pthread_mutex_init(&w->lock, NULL);
	pthread_mutex_init(&w->wait_lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->done, NULL);
	ret = vrend_gl_context_create(plat, &w->gl);
	if (ret)
		goto fail;
	ret = -pthread_create(&w->thread, NULL, worker_main, w);
	if (ret)
		goto fail;
	pthread_mutex_lock(&w->lock);
	while (!w->started)
		pthread_cond_wait(&w->done, &w->lock);
	ret = w->start_err;
	pthread_mutex_unlock(&w->lock);
	if (ret) {
		pthread_join(w->thread, NULL);
		goto fail;
	}
	*out = w;
	return 0;
fail:
	vrend_gl_context_destroy(w->gl);
	pthread_mutex_destroy(&w->wait_lock);
	pthread_cond_destroy(&w->done);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
	return ret;
}

void vrend_fence_worker_destroy(struct vrend_fence_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
	/* Drains the queue first: every fence queued is retired. */
	pthread_join(w->thread, NULL);
	vrend_gl_context_destroy(w->gl);
	if (w->wait_gl)
		vrend_gl_context_destroy(w->wait_gl);
	pthread_mutex_destroy(&w->wait_lock);
	pthread_cond_destroy(&w->done);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

int vrend_fence_worker_push(struct vrend_fence_worker *w, uint32_t ctx_id, uint32_t ring,
                            uint64_t fence_id)
{
	struct fence_item *it = calloc(1, sizeof(*it));

	if (!it)
		return -ENOMEM;
	/* Inside the context's GL section: after everything submitted so far. */
	it->sync = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
	if (!it->sync) {
		free(it);
		return -EIO;
	}
	glFlush();
	it->ctx_id = ctx_id;
	it->ring = ring;
	it->fence_id = fence_id;
	pthread_mutex_lock(&w->lock);
	if (w->tail)
		w->tail->next = it;
	else
		w->head = it;
	w->tail = it;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

static bool waits_for(const struct fence_item *it, uint32_t ctx_id, uint32_t ring,
                      uint64_t fence_id)
{
	return it && it->ctx_id == ctx_id && it->ring == ring && it->fence_id >= fence_id;
}

int vrend_fence_worker_wait(struct vrend_fence_worker *w, uint32_t ctx_id, uint32_t ring,
                            uint64_t fence_id, uint64_t timeout_ns)
{
	GLsync sync = NULL;

	/* The first pending fence of the ring at or after fence_id: the stream is
	 * in order, so it completes no earlier than fence_id's work. */
	pthread_mutex_lock(&w->lock);
	if (waits_for(w->busy, ctx_id, ring, fence_id))
		sync = w->busy->sync;
	for (const struct fence_item *it = w->head; !sync && it; it = it->next) {
		if (waits_for(it, ctx_id, ring, fence_id))
			sync = it->sync;
	}
	pthread_mutex_unlock(&w->lock);
	if (!sync)
		return 0; /* the worker already waited for it: the work is done */

	pthread_mutex_lock(&w->wait_lock);
	if (!w->wait_gl && vrend_gl_context_create(w->plat, &w->wait_gl)) {
		w->wait_gl = NULL;
		pthread_mutex_unlock(&w->wait_lock);
		return -ENOTSUP;
	}
	struct vrend_current_state saved;
	if (vrend_gl_context_push_current(w->wait_gl, &saved)) {
		pthread_mutex_unlock(&w->wait_lock);
		return -ENOTSUP;
	}
	/* The worker may delete the sync once its own wait returns: GL then fails
	 * this wait (GL_WAIT_FAILED) or it returns at once; either way it is done. */
	GLenum st = glClientWaitSync(sync, 0, timeout_ns);
	while (glGetError() != GL_NO_ERROR)
		;
	vrend_gl_context_pop_current(w->wait_gl, &saved);
	pthread_mutex_unlock(&w->wait_lock);
	return st == GL_TIMEOUT_EXPIRED ? -ETIMEDOUT : 0;
}

void vrend_fence_worker_forget_ctx(struct vrend_fence_worker *w, uint32_t ctx_id)
{
	struct fence_item **pp, *dropped = NULL;

	pthread_mutex_lock(&w->lock);
	for (pp = &w->head; *pp;) {
		struct fence_item *it = *pp;

		if (it->ctx_id == ctx_id) {
			*pp = it->next;
			it->next = dropped;
			dropped = it;
		} else {
			w->tail = it;
			pp = &it->next;
		}
	}
	if (!w->head)
		w->tail = NULL;
	while (w->busy && w->busy->ctx_id == ctx_id)
		pthread_cond_wait(&w->done, &w->lock);
	pthread_mutex_unlock(&w->lock);
	/* The caller is inside a GL section: the syncs can go. */
	while (dropped) {
		struct fence_item *it = dropped;

		dropped = it->next;
		glDeleteSync(it->sync);
		free(it);
	}
}
