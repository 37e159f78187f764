/* SPDX-License-Identifier: MIT */
/*
 * Stream-output targets (CREATE_OBJECT STREAMOUT_TARGET, SET_STREAMOUT_TARGETS)
 * and transform feedback around draws.
 *
 * Each distinct set of targets gets a GL transform feedback object holding the
 * buffer ranges. It is begun at the first draw after the set was first bound
 * and paused after every draw, so that other GL work between draws (program
 * changes, other sets) is legal. Binding the same set of targets again resumes
 * it: the append bitmask on the wire is always 0 in Mesa 25 (virglrenderer
 * ignores it too); the guest begins afresh by creating new target objects
 * (Mesa's state tracker does after every glEndTransformFeedback). A few sets
 * are kept (least recently used evicted), so that switching back to an
 * earlier set, as glPause/glBindTransformFeedback/glResume does, still appends.
 *
 * The capture layout (xfb_buffer / xfb_offset / xfb_stride) is in the
 * emitted shaders (glsl_emit.h).
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "draw_internal.h"
#include "shader.h"

static void target_destroy(struct vrend_sub *sub, struct vrend_object *obj)
{
	struct vrend_so_target *t = (struct vrend_so_target *)obj;

	(void)sub;
	vrend_buf_ref_put(&t->buf);
	free(t);
}

/* p1 handle, p2 resource, p3 byte offset, p4 byte size. */
VREND_HANDLER(vrend_create_streamout_target)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1), res = vrend_cmd_get(cmd, 2);
	uint32_t offset = vrend_cmd_get(cmd, 3), size = vrend_cmd_get(cmd, 4);
	struct vrend_so_target *t;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	t = calloc(1, sizeof(*t));
	if (!t)
		return vrend_decoder_fail(dec, cmd, -ENOMEM, "out of memory");
	t->base = (struct vrend_object){.refs = 1,
	                                .type = VREND_OBJ_STREAMOUT_TARGET,
	                                .handle = handle,
	                                .destroy = target_destroy};
	t->offset = offset;
	t->size = size;
	if (vrend_buf_ref_get(vrend_ctx_of(dec), res, &t->buf)) {
		free(t);
		return vrend_decoder_fail(dec, cmd, -EINVAL,
		                          "stream-output target: resource %u is not a buffer of "
		                          "this context",
		                          res);
	}
	if (offset % 4 || !vrend_buf_range_ok(&t->buf, offset, size)) {
		target_destroy(sub, &t->base);
		return vrend_decoder_fail(
		    dec, cmd, -EINVAL, "stream-output range %u+%u unaligned or outside the buffer",
		    offset, size);
	}
	if (vrend_obj_insert(sub, &t->base)) {
		target_destroy(sub, &t->base);
		return vrend_decoder_fail(dec, cmd, -EINVAL, "object handle %u in use", handle);
	}
	return 0;
}

/* Ends a begun (paused) set; its object must not be the bound one afterwards
 * unless the caller binds it. */
static void set_end(struct vrend_so_set *s)
{
	if (s->state == VREND_XFB_PAUSED || s->state == VREND_XFB_ACTIVE) {
		glBindTransformFeedback(GL_TRANSFORM_FEEDBACK, s->xfb);
		glEndTransformFeedback();
		s->ended = true;
	}
	s->state = VREND_XFB_NEED_BEGIN;
}

static void set_release(struct vrend_sub *sub, struct vrend_so_set *s)
{
	if (!s->xfb)
		return;
	set_end(s);
	glBindTransformFeedback(GL_TRANSFORM_FEEDBACK, 0);
	glDeleteTransformFeedbacks(1, &s->xfb);
	for (uint32_t i = 0; i < VREND_MAX_SO_TARGETS; i++) {
		if (s->targets[i])
			vrend_obj_unref(sub, &s->targets[i]->base);
	}
	memset(s, 0, sizeof(*s));
}

/* Binds the targets' ranges into the set's (bound, inactive) object. */
static void set_bind_ranges(struct vrend_so_set *s)
{
	for (uint32_t i = 0; i < s->num; i++) {
		struct vrend_so_target *t = s->targets[i];

		if (t && t->size)
			glBindBufferRange(GL_TRANSFORM_FEEDBACK_BUFFER, i, t->buf.vr->gl_name,
			                  (GLintptr)t->offset, (GLsizeiptr)t->size);
		else
			glBindBufferBase(GL_TRANSFORM_FEEDBACK_BUFFER, i, 0);
	}
}

static struct vrend_so_set *set_find(struct vrend_draw *d, const uint32_t *handles, uint32_t n)
{
	for (uint32_t i = 0; i < VREND_SO_SET_CACHE; i++) {
		struct vrend_so_set *s = &d->so_sets[i];

		if (s->xfb && s->num == n && !memcmp(s->handles, handles, n * sizeof(*handles)))
			return s;
	}
	return NULL;
}

/* A free slot, or the least recently used set (released). */
static struct vrend_so_set *set_slot(struct vrend_sub *sub)
{
	struct vrend_draw *d = sub->draw;
	struct vrend_so_set *lru = &d->so_sets[0];

	for (uint32_t i = 0; i < VREND_SO_SET_CACHE; i++) {
		if (!d->so_sets[i].xfb)
			return &d->so_sets[i];
		if (d->so_sets[i].last_use < lru->last_use)
			lru = &d->so_sets[i];
	}
	set_release(sub, lru);
	return lru;
}

/* p1 append bitmask, p2.. target handles (len 1 = none). */
VREND_HANDLER(vrend_cmd_set_streamout_targets)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	struct vrend_so_target *targets[VREND_MAX_SO_TARGETS] = {0};
	uint32_t handles[VREND_MAX_SO_TARGETS] = {0};
	uint32_t n = 0; /* p1, the append bitmask, carries nothing (see above) */
	struct vrend_so_set *s;
	struct vrend_draw *d;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	d = sub->draw;
	for (uint32_t i = 0; i + 1 < cmd->len; i++) {
		uint32_t h = vrend_cmd_get(cmd, 2 + i);

		if (!h)
			continue;
		if (i >= VREND_MAX_SO_TARGETS)
			return vrend_decoder_fail(dec, cmd, -EINVAL, "stream-output target %u >= 4",
			                          i);
		targets[i] =
		    (struct vrend_so_target *)vrend_obj_lookup(sub, h, VREND_OBJ_STREAMOUT_TARGET);
		if (!targets[i])
			return vrend_decoder_fail(dec, cmd, -EINVAL, "no stream-output target %u",
			                          h);
		handles[i] = h;
		n = i + 1;
	}
	/* The current set is paused (or never begun) between commands. */
	d->so_current = NULL;
	glBindTransformFeedback(GL_TRANSFORM_FEEDBACK, 0);
	if (!n)
		return 0;

	s = set_find(d, handles, n);
	if (s) {
		glBindTransformFeedback(GL_TRANSFORM_FEEDBACK, s->xfb);
	} else {
		s = set_slot(sub);
		glGenTransformFeedbacks(1, &s->xfb);
		if (!s->xfb)
			return vrend_decoder_fail(dec, cmd, -ENOMEM,
			                          "no transform feedback object");
		glBindTransformFeedback(GL_TRANSFORM_FEEDBACK, s->xfb);
		s->num = n;
		for (uint32_t i = 0; i < n; i++) {
			s->handles[i] = handles[i];
			if (targets[i]) {
				vrend_obj_ref(&targets[i]->base);
				s->targets[i] = targets[i];
			}
		}
		s->state = VREND_XFB_NEED_BEGIN;
		set_bind_ranges(s);
	}
	s->last_use = ++d->so_clock;
	d->so_current = s;
	return 0;
}

static uint32_t xfb_prim(uint32_t gl_prim)
{
	switch (gl_prim) {
	case GL_POINTS:
	case GL_PATCHES:
		return GL_POINTS;
	case GL_LINES:
	case GL_LINE_LOOP:
	case GL_LINE_STRIP:
	case GL_LINES_ADJACENCY:
	case GL_LINE_STRIP_ADJACENCY:
		return GL_LINES;
	default:
		return GL_TRIANGLES;
	}
}

/* The program in use, and whether it captures anything. */
static uint32_t current_xfb_program(void)
{
	GLint prog = 0, varyings = 0;

	glGetIntegerv(GL_CURRENT_PROGRAM, &prog);
	if (prog > 0)
		glGetProgramiv((GLuint)prog, GL_TRANSFORM_FEEDBACK_VARYINGS, &varyings);
	return varyings > 0 ? (uint32_t)prog : 0;
}

/* 0 when the draw captures (call vrend_streamout_end_draw after it), 1 when
 * there is nothing to capture. */
int vrend_streamout_begin_draw(struct vrend_sub *sub, uint32_t gl_prim)
{
	struct vrend_so_set *s = sub->draw->so_current;
	uint32_t prim = vrend_shader_output_prim_class(sub), prog;
	GLint active = 0;

	if (!s)
		return 1;
	/* A geometry or tessellation stage decides what is captured. */
	if (!prim)
		prim = xfb_prim(gl_prim);
	/* Without captured outputs glBeginTransformFeedback fails: the draw runs
	 * without stream output (and leaves no GL error behind). */
	prog = current_xfb_program();
	if (!prog)
		return 1;
	if (s->state == VREND_XFB_PAUSED && (prim != s->prim || prog != s->program)) {
		/* GL resumes only with the same program and primitive class: start
		 * over at the targets' offsets (what was appended so far stays). */
		if (!sub->draw->logged_xfb_restart)
			vrend_draw_warn(sub,
			                "stream output restarted: program or primitive changed");
		sub->draw->logged_xfb_restart = true;
		glEndTransformFeedback();
		s->state = VREND_XFB_NEED_BEGIN;
	}
	if (s->state == VREND_XFB_PAUSED) {
		glResumeTransformFeedback();
		s->state = VREND_XFB_ACTIVE;
		return 0;
	}
	glBeginTransformFeedback(prim);
	glGetIntegerv(GL_TRANSFORM_FEEDBACK_ACTIVE, &active);
	if (!active)
		return 1;
	s->prim = prim;
	s->program = prog;
	s->state = VREND_XFB_ACTIVE;
	return 0;
}

void vrend_streamout_end_draw(struct vrend_sub *sub)
{
	struct vrend_so_set *s = sub->draw->so_current;

	if (s && s->state == VREND_XFB_ACTIVE) {
		glPauseTransformFeedback();
		s->state = VREND_XFB_PAUSED;
	}
}

/* Draw-auto: the wire carries only the size of the target whose captured
 * vertex count the draw uses. The most recently used set holding a target of
 * that size is ended (GL draws only from ended transform feedback objects)
 * and its object returned; 0 when there is none. */
uint32_t vrend_streamout_auto_source(struct vrend_sub *sub, uint32_t size)
{
	struct vrend_draw *d = sub->draw;
	struct vrend_so_set *best = NULL;

	for (uint32_t i = 0; i < VREND_SO_SET_CACHE; i++) {
		struct vrend_so_set *s = &d->so_sets[i];

		for (uint32_t j = 0; s->xfb && j < s->num; j++) {
			if (s->targets[j] && s->targets[j]->size == size &&
			    (!best || s->last_use > best->last_use))
				best = s;
		}
	}
	if (!best || best == d->so_current)
		return 0;
	set_end(best);
	glBindTransformFeedback(GL_TRANSFORM_FEEDBACK, d->so_current ? d->so_current->xfb : 0);
	return best->ended ? best->xfb : 0;
}

void vrend_streamout_fini(struct vrend_sub *sub)
{
	struct vrend_draw *d = sub->draw;

	d->so_current = NULL;
	for (uint32_t i = 0; i < VREND_SO_SET_CACHE; i++)
		set_release(sub, &d->so_sets[i]);
}
