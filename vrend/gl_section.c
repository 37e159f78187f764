/* SPDX-License-Identifier: MIT */
/*
 * GL sections: the one place where vrend takes the instance lock and makes a GL
 * context current. Contexts of one instance share objects, but work done in one
 * is only guaranteed visible to another after a fence the other waits for (a
 * plain glFlush is not enough on llvmpipe), so every section that did work ends
 * with a fence, and every section in another context starts by waiting for it.
 */
#include <errno.h>

#include "res_internal.h"

#define CPU_WAIT_NS 10000000000ull /* 10 s: a stuck host GPU, not a guest matter */

void vrend_gl_section_sync(struct vrend_res_state *st, struct vrend_gl_section *s)
{
	if (!st->last_sync || !s->cur || st->last_sync_ctx == s->cur)
		return;
	if (st->cpu_wait)
		glClientWaitSync(st->last_sync, GL_SYNC_FLUSH_COMMANDS_BIT, CPU_WAIT_NS);
	else
		glWaitSync(st->last_sync, 0, GL_TIMEOUT_IGNORED);
}

/* Records a fence for the work done in s->cur and flushes it. */
static void fence_work(struct vrend_res_state *st, struct vrend_gl_section *s)
{
	GLsync sync;

	if (!s->cur || !s->work)
		return;
	sync = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
	glFlush();
	if (sync) {
		if (st->last_sync)
			glDeleteSync(st->last_sync);
		st->last_sync = sync;
		st->last_sync_ctx = s->cur;
	}
	s->work = false;
}

int vrend_gl_section_enter(struct vrend_res_state *st, struct vrend_gl_context *gl,
                           struct vrend_gl_section *s)
{
	int ret;

	pthread_mutex_lock(&st->lock);
	if (st->depth >= VREND_GL_SECTION_DEPTH) {
		pthread_mutex_unlock(&st->lock);
		return -EDEADLK;
	}
	ret = vrend_gl_context_push_current(gl, &s->saved);
	if (ret) {
		pthread_mutex_unlock(&st->lock);
		return ret;
	}
	s->cur = gl;
	s->work = true; /* callers enter to do GL work */
	st->stack[st->depth++] = s;
	vrend_gl_section_sync(st, s);
	return 0;
}

void vrend_gl_section_leave(struct vrend_res_state *st, struct vrend_gl_section *s)
{
	fence_work(st, s);
	if (s->cur)
		vrend_gl_context_pop_current(s->cur, &s->saved);
	else
		vrend_gl_context_pop_current(vrend_platform_root_context(st->platform), &s->saved);
	st->depth--;
	/* Back in an outer section of this thread: its context must see what the
	 * inner one did. */
	if (st->depth) {
		struct vrend_gl_section *outer = st->stack[st->depth - 1];

		if (outer->cur)
			vrend_gl_section_sync(st, outer);
	}
	pthread_mutex_unlock(&st->lock);
}

int vrend_gl_section_switch(struct vrend_res_state *st, struct vrend_gl_section *s,
                            struct vrend_gl_context *gl)
{
	int ret;

	if (s->cur == gl)
		return 0;
	fence_work(st, s);
	ret = vrend_gl_context_make_current(gl);
	if (ret) {
		s->cur = NULL;
		return ret;
	}
	s->cur = gl;
	s->work = true;
	vrend_gl_section_sync(st, s);
	return 0;
}

void vrend_gl_section_release(struct vrend_res_state *st, struct vrend_gl_section *s)
{
	if (!s->cur)
		return;
	fence_work(st, s);
	vrend_gl_section_forget(st, s->cur);
	s->cur = NULL;
}

void vrend_gl_section_forget(struct vrend_res_state *st, struct vrend_gl_context *gl)
{
	if (st->last_sync_ctx == gl)
		st->last_sync_ctx = NULL;
}
