/* SPDX-License-Identifier: MIT */
/*
 * Private state of the draw area (draw.c, vertex.c, streamout.c, compute.c):
 * bound vertex and index buffers, the sub-context's vertex array object, the
 * stream-output target sets and their transform feedback objects.
 */
#ifndef VREND_DRAW_INTERNAL_H
#define VREND_DRAW_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "vctx.h"

#define VREND_MAX_VERTEX_BUFFERS 32u
#define VREND_MAX_SO_TARGETS 4u
/* Distinct target sets kept with their (possibly paused) transform feedback
 * object, so that switching back to a set can append where it stopped. */
#define VREND_SO_SET_CACHE 4u

/* A guest buffer resource held by a binding (one vgn_resource reference). */
struct vrend_buf_ref {
	struct vgn_resource *res;
	struct vrend_resource *vr;
	uint64_t size; /* bytes */
};

struct vrend_vertex_buffer {
	struct vrend_buf_ref buf; /* res NULL = unbound */
	uint32_t stride, offset;
};

struct vrend_so_target {
	struct vrend_object base;
	struct vrend_buf_ref buf;
	uint32_t offset, size; /* validated: offset + size <= buffer size */
};

enum vrend_xfb_state {
	VREND_XFB_NEED_BEGIN, /* bound, glBeginTransformFeedback at the next draw */
	VREND_XFB_PAUSED,     /* begun and paused between draws */
	VREND_XFB_ACTIVE,     /* capturing, only inside a draw */
};

/* One set of targets with its transform feedback object. */
struct vrend_so_set {
	struct vrend_so_target *targets[VREND_MAX_SO_TARGETS]; /* referenced; NULL = hole */
	uint32_t handles[VREND_MAX_SO_TARGETS];
	uint32_t num;
	uint32_t xfb; /* GL transform feedback object, 0 = slot unused */
	enum vrend_xfb_state state;
	uint32_t prim;    /* GL primitive class the object was begun with */
	uint32_t program; /* GL program it was begun with */
	bool ended;       /* ended at least once: a draw-auto source */
	uint64_t last_use;
};

struct vrend_draw {
	struct vrend_vertex_buffer vbufs[VREND_MAX_VERTEX_BUFFERS];
	uint32_t num_vbufs;

	struct vrend_buf_ref ib;
	uint32_t ib_size, ib_offset; /* index size 1/2/4, byte offset */

	uint32_t vao; /* created at the first draw, with the limits below */
	uint32_t max_attribs, max_stride;
	bool attrib_binding;   /* GL 4.3 / GLES 3.1 vertex attrib binding */
	uint32_t enabled_mask; /* vertex attribute arrays enabled in the VAO */
	uint8_t restart_mode;  /* enum draw_restart in draw.c */
	uint32_t restart_index;

	struct vrend_so_set so_sets[VREND_SO_SET_CACHE];
	struct vrend_so_set *so_current; /* NULL = no stream output */
	uint64_t so_clock;

	bool logged_no_program, logged_no_fb, logged_xfb_restart;
};

static inline struct vrend_draw *vrend_draw_of(struct vrend_sub *sub)
{
	return sub->draw;
}

/* vertex.c */
/* Takes a reference on a buffer resource attached to the context; -EINVAL
 * when the handle is unknown or not a buffer. */
int vrend_buf_ref_get(struct vrend_ctx *ctx, uint32_t handle, struct vrend_buf_ref *out);
void vrend_buf_ref_put(struct vrend_buf_ref *ref);
/* Whether [offset, offset + len) lies inside the buffer (64-bit math). */
bool vrend_buf_range_ok(const struct vrend_buf_ref *ref, uint64_t offset, uint64_t len);
/* Binds the sub-context's VAO and sets up the attributes of the bound vertex
 * elements from the bound vertex buffers (element i = attribute location i =
 * binding i). -EINVAL when the elements exceed the host limits. */
int vrend_vertex_setup(struct vrend_sub *sub, const char **why);
void vrend_vertex_fini(struct vrend_sub *sub);

/* streamout.c */
void vrend_streamout_fini(struct vrend_sub *sub);
/* Draw-auto: the transform feedback object whose captured count a draw with
 * count_from_so == size uses (ended first), or 0. */
uint32_t vrend_streamout_auto_source(struct vrend_sub *sub, uint32_t size);

/* Logs at WARN through the context's logger. */
void vrend_draw_warn(struct vrend_sub *sub, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* VREND_DRAW_INTERNAL_H */
