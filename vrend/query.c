/* SPDX-License-Identifier: MIT */
/*
 * Query objects, BEGIN/END/GET_QUERY_RESULT(_QBO) and conditional rendering
 * (virgl-protocol.md §2.5, §3.7, §4.9).
 *
 * GET_QUERY_RESULT writes the 16-byte host query state {state = DONE, size,
 * result} into the result buffer's guest backing (where the guest polls it)
 * and into its host buffer (so that a readback fallback sees the same bytes).
 * The result is fetched blocking, whatever the wait flag: the guest only asks
 * after END_QUERY and then waits for the record anyway, and a record written
 * now is complete before any later busy-wait returns.
 *
 * Conditional rendering stays begun on the GL context from SET_RENDER_CONDITION
 * until it changes; operations the guest asks to run unconditionally pause it.
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fb_internal.h"
#include "iov.h"
#include "resource.h"

#define QUERY_STATE_DONE 1u
#define QUERY_RECORD_SIZE 16u
#define MAX_STREAMS 4u

enum query_kind {
	Q_PLAIN,   /* glBeginQuery / glEndQuery */
	Q_INDEXED, /* per vertex stream */
	Q_COUNTER, /* glQueryCounter at END */
	Q_FAKE,    /* no GL query on this host: result 0 */
};

struct query_type {
	GLenum gl_type;
	uint8_t kind, result_size;
	const char *ext; /* needed beyond GL 4.5, or NULL */
};

/* Indexed by the virgl query type (§2.5). */
static const struct query_type query_types[] = {
    [0] = {GL_SAMPLES_PASSED, Q_PLAIN, 4, NULL},
    [1] = {GL_ANY_SAMPLES_PASSED, Q_PLAIN, 4, NULL},
    [2] = {GL_TIMESTAMP, Q_COUNTER, 8, NULL},
    [3] = {0, Q_FAKE, 4, NULL}, /* TIMESTAMP_DISJOINT: never disjoint */
    [4] = {GL_TIME_ELAPSED, Q_PLAIN, 8, NULL},
    [5] = {GL_PRIMITIVES_GENERATED, Q_INDEXED, 4, NULL},
    [6] = {GL_TRANSFORM_FEEDBACK_PRIMITIVES_WRITTEN, Q_INDEXED, 4, NULL},
    [7] = {0, Q_FAKE, 4, NULL}, /* SO_STATISTICS */
    [8] = {GL_TRANSFORM_FEEDBACK_STREAM_OVERFLOW, Q_INDEXED, 4,
           "GL_ARB_transform_feedback_overflow_query"},
    [9] = {0, Q_FAKE, 4, NULL}, /* GPU_FINISHED: the client uses fences */
    [10] = {0, Q_PLAIN, 4, "GL_ARB_pipeline_statistics_query"},
    [11] = {GL_ANY_SAMPLES_PASSED_CONSERVATIVE, Q_PLAIN, 4, NULL},
    [12] = {GL_TRANSFORM_FEEDBACK_OVERFLOW, Q_PLAIN, 4, "GL_ARB_transform_feedback_overflow_query"},
};

/* PIPELINE_STATISTICS index (§2.6) -> GL query type. */
static const GLenum stat_types[] = {
    GL_VERTICES_SUBMITTED,
    GL_PRIMITIVES_SUBMITTED,
    GL_VERTEX_SHADER_INVOCATIONS,
    GL_GEOMETRY_SHADER_INVOCATIONS,
    GL_GEOMETRY_SHADER_PRIMITIVES_EMITTED,
    GL_CLIPPING_INPUT_PRIMITIVES,
    GL_CLIPPING_OUTPUT_PRIMITIVES,
    GL_FRAGMENT_SHADER_INVOCATIONS,
    GL_TESS_CONTROL_SHADER_PATCHES,
    GL_TESS_EVALUATION_SHADER_INVOCATIONS,
    GL_COMPUTE_SHADER_INVOCATIONS,
};

struct vrend_query {
	struct vrend_object base;
	struct vgn_resource *res; /* result buffer, referenced */
	const struct vrend_resource *vr;
	uint32_t offset; /* of the record in the result buffer */
	uint32_t vtype, index;
	GLenum gl_type;
	GLuint gl_name;
	uint8_t kind, result_size;
	bool ended; /* END_QUERY ran: a result exists */
};

static void destroy_query(struct vrend_sub *sub, struct vrend_object *obj)
{
	struct vrend_query *q = (struct vrend_query *)obj;

	(void)sub;
	if (q->gl_name)
		glDeleteQueries(1, &q->gl_name);
	vgn_resource_put(q->res);
	free(q);
}

static bool gl_has(struct vrend_sub *sub, const char *ext)
{
	return !ext || vrend_draw_gl_ge(sub, 46, 0) || vrend_draw_gl_has_ext(sub, ext);
}

VREND_HANDLER(vrend_create_query)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1), ti = vrend_cmd_get(cmd, 2);
	uint32_t offset = vrend_cmd_get(cmd, 3), res_handle = vrend_cmd_get(cmd, 4);
	uint32_t vtype = ti & 0xffff, index = ti >> 16;
	struct vgn_resource *res;
	struct vrend_resource *vr;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (vtype >= sizeof(query_types) / sizeof(query_types[0]))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "query type %u", vtype);
	const struct query_type *qt = &query_types[vtype];
	if (qt->kind == Q_INDEXED && index >= MAX_STREAMS)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "query stream %u", index);
	if (vtype == 10 && index >= sizeof(stat_types) / sizeof(stat_types[0]))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "pipeline statistic %u", index);
	if (vrend_fb_get_resource(sub, res_handle, &res, &vr))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "query: no resource %u", res_handle);
	if (!vr->is_buffer || (uint64_t)offset + QUERY_RECORD_SIZE > res->create.width) {
		vgn_resource_put(res);
		return vrend_decoder_fail(dec, cmd, -EINVAL,
		                          "query result at %u does not fit resource %u", offset,
		                          res_handle);
	}

	struct vrend_query *q = calloc(1, sizeof(*q));
	if (!q) {
		vgn_resource_put(res);
		return vrend_decoder_fail(dec, cmd, -ENOMEM, "out of memory");
	}
	q->base = (struct vrend_object){
	    .refs = 1, .type = VREND_OBJ_QUERY, .handle = handle, .destroy = destroy_query};
	q->res = res;
	q->vr = vr;
	q->offset = offset;
	q->vtype = vtype;
	q->index = index;
	q->kind = qt->kind;
	q->result_size = qt->result_size;
	q->gl_type = vtype == 10 ? stat_types[index] : qt->gl_type;
	if (q->kind != Q_FAKE && !gl_has(sub, qt->ext)) {
		vrend_fb_log(sub, VGN_LOG_INFO, "vrend: query type %u needs %s: results are 0",
		             vtype, qt->ext);
		q->kind = Q_FAKE;
	}
	if (q->kind != Q_FAKE)
		glGenQueries(1, &q->gl_name);
	if (vrend_obj_insert(sub, &q->base)) {
		destroy_query(sub, &q->base);
		return vrend_decoder_fail(dec, cmd, -EINVAL, "query handle %u in use", handle);
	}
	return 0;
}

static struct vrend_query *lookup(struct vrend_sub *sub, uint32_t handle)
{
	return (struct vrend_query *)vrend_obj_lookup(sub, handle, VREND_OBJ_QUERY);
}

VREND_HANDLER(vrend_cmd_begin_query)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1);
	struct vrend_query *q;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (!(q = lookup(sub, handle)))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "no query %u", handle);
	vrend_fb_gl_drain();
	if (q->kind == Q_PLAIN)
		glBeginQuery(q->gl_type, q->gl_name);
	else if (q->kind == Q_INDEXED)
		glBeginQueryIndexed(q->gl_type, q->index, q->gl_name);
	/* Already active, or a type already active: GL ignores it; so do we. */
	if (!vrend_fb_gl_failed(sub, "begin query") && q->kind != Q_COUNTER)
		q->ended = false; /* no result until the matching END */
	return 0;
}

VREND_HANDLER(vrend_cmd_end_query)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1);
	struct vrend_query *q;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (!(q = lookup(sub, handle)))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "no query %u", handle);
	vrend_fb_gl_drain();
	switch (q->kind) {
	case Q_PLAIN:
		glEndQuery(q->gl_type);
		break;
	case Q_INDEXED:
		glEndQueryIndexed(q->gl_type, q->index);
		break;
	case Q_COUNTER:
		glQueryCounter(q->gl_name, GL_TIMESTAMP);
		break;
	default:
		break;
	}
	if (!vrend_fb_gl_failed(sub, "end query"))
		q->ended = true;
	return 0;
}

/* The result (0 for fake queries). False when there is none yet. */
static bool query_value(struct vrend_sub *sub, struct vrend_query *q, uint64_t *value)
{
	GLuint64 v = 0;

	if (q->kind == Q_FAKE) {
		*value = 0;
		return true;
	}
	if (!q->ended)
		return false;
	vrend_fb_gl_drain();
	glGetQueryObjectui64v(q->gl_name, GL_QUERY_RESULT, &v);
	if (vrend_fb_gl_failed(sub, "query result"))
		return false;
	*value = v;
	return true;
}

VREND_HANDLER(vrend_cmd_get_query_result)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1);
	struct vrend_query *q;
	uint64_t value;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (!(q = lookup(sub, handle)))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "no query %u", handle);
	if (!query_value(sub, q, &value)) {
		vrend_fb_log(sub, VGN_LOG_DEBUG, "vrend: query %u has no result to report", handle);
		return 0;
	}
	uint8_t rec[QUERY_RECORD_SIZE];
	uint32_t state = QUERY_STATE_DONE, size = q->result_size;
	memcpy(rec, &state, 4);
	memcpy(rec + 4, &size, 4);
	memcpy(rec + 8, &value, 8);

	/* The guest polls its backing; the host copy keeps readbacks consistent. */
	struct vgn_resource *res = q->res;
	vgn_resource_backing_lock(res);
	if (res->num_iovs && (uint64_t)q->offset + sizeof(rec) <= res->iov_total)
		vgn_iov_from_buf(res->iov, res->num_iovs, q->offset, rec, sizeof(rec));
	vgn_resource_backing_unlock(res);
	glBindBuffer(GL_COPY_WRITE_BUFFER, q->vr->gl_name);
	glBufferSubData(GL_COPY_WRITE_BUFFER, q->offset, sizeof(rec), rec);
	glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
	vrend_fb_gl_failed(sub, "query record");
	return 0;
}

VREND_HANDLER(vrend_cmd_get_query_result_qbo)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1), qbo = vrend_cmd_get(cmd, 2);
	uint32_t wait = vrend_cmd_get(cmd, 3), rtype = vrend_cmd_get(cmd, 4);
	uint32_t offset = vrend_cmd_get(cmd, 5);
	int32_t index = (int32_t)vrend_cmd_get(cmd, 6);
	struct vgn_resource *res;
	struct vrend_resource *vr;
	struct vrend_query *q;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (!(q = lookup(sub, handle)))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "no query %u", handle);
	if (rtype > 3)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "query result type %u", rtype);
	uint32_t bytes = rtype >= 2 ? 8 : 4;
	if (vrend_fb_get_resource(sub, qbo, &res, &vr))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "query buffer: no resource %u", qbo);
	bool fits = vr->is_buffer && (uint64_t)offset + bytes <= res->create.width;
	if (!fits) {
		vgn_resource_put(res);
		return vrend_decoder_fail(dec, cmd, -EINVAL,
		                          "query value at %u outside resource %u", offset, qbo);
	}
	vrend_fb_gl_drain();
	glBindBuffer(GL_QUERY_BUFFER, vr->gl_name);
	if (q->kind == Q_FAKE || !q->ended) {
		/* Fake: available, value 0. Never ended: unavailable, no value. */
		uint64_t v = q->kind == Q_FAKE && index == -1 ? 1 : 0;
		if (q->kind == Q_FAKE || index == -1)
			glBufferSubData(GL_QUERY_BUFFER, offset, bytes, &v);
	} else {
		GLenum pname = index == -1 ? GL_QUERY_RESULT_AVAILABLE
		                           : (wait ? GL_QUERY_RESULT : GL_QUERY_RESULT_NO_WAIT);
		void *at = (void *)(uintptr_t)offset;
		switch (rtype) {
		case 0:
			glGetQueryObjectiv(q->gl_name, pname, at);
			break;
		case 1:
			glGetQueryObjectuiv(q->gl_name, pname, at);
			break;
		case 2:
			glGetQueryObjecti64v(q->gl_name, pname, at);
			break;
		default:
			glGetQueryObjectui64v(q->gl_name, pname, at);
			break;
		}
	}
	glBindBuffer(GL_QUERY_BUFFER, 0);
	vrend_fb_gl_failed(sub, "query buffer result");
	vgn_resource_put(res);
	return 0;
}

void vrend_query_cond_pause(struct vrend_sub *sub)
{
	if (sub->fb->cond_active)
		glEndConditionalRender();
}

void vrend_query_cond_resume(struct vrend_sub *sub)
{
	if (sub->fb->cond_active)
		glBeginConditionalRender(sub->fb->cond_gl_query, sub->fb->cond_gl_mode);
}

static void cond_end(struct vrend_sub *sub)
{
	struct vrend_fb *fb = sub->fb;

	if (fb->cond_active)
		glEndConditionalRender();
	fb->cond_active = false;
	vrend_obj_assign(sub, &fb->cond_query, NULL);
}

VREND_HANDLER(vrend_cmd_set_render_condition)
{
	static const GLenum modes[2][4] = {
	    {GL_QUERY_WAIT, GL_QUERY_NO_WAIT, GL_QUERY_BY_REGION_WAIT, GL_QUERY_BY_REGION_NO_WAIT},
	    {GL_QUERY_WAIT_INVERTED, GL_QUERY_NO_WAIT_INVERTED, GL_QUERY_BY_REGION_WAIT_INVERTED,
	     GL_QUERY_BY_REGION_NO_WAIT_INVERTED},
	};
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1), cond = vrend_cmd_get(cmd, 2);
	uint32_t mode = vrend_cmd_get(cmd, 3);
	struct vrend_query *q = NULL;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (handle && !(q = lookup(sub, handle)))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "no query %u", handle);
	if (mode > 3)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "render condition mode %u", mode);
	cond_end(sub);
	if (!q || q->kind == Q_FAKE || !q->gl_name)
		return 0;
	if (!vrend_draw_gl_ge(sub, 45, 0)) {
		vrend_fb_log(sub, VGN_LOG_INFO, "vrend: no conditional rendering on this host");
		return 0;
	}
	struct vrend_fb *fb = sub->fb;
	vrend_fb_gl_drain();
	glBeginConditionalRender(q->gl_name, modes[cond & 1][mode]);
	/* A query without a result (never ended) cannot be a condition: render. */
	if (vrend_fb_gl_failed(sub, "begin conditional render"))
		return 0;
	fb->cond_active = true;
	fb->cond_gl_query = q->gl_name;
	fb->cond_gl_mode = modes[cond & 1][mode];
	vrend_obj_assign(sub, &fb->cond_query, &q->base);
	return 0;
}

bool vrend_query_render_condition_active(struct vrend_sub *sub)
{
	return sub->fb && sub->fb->cond_active;
}

void vrend_query_fini(struct vrend_sub *sub)
{
	cond_end(sub);
}
