/* SPDX-License-Identifier: MIT */
/* Shared between res_gl.c (objects) and res_transfer.c (transfers); not for the
 * rest of vrend, which uses res_gl.h. */
#ifndef VREND_RES_INTERNAL_H
#define VREND_RES_INTERNAL_H

#include <epoxy/gl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "formats.h"
#include "platform.h"
#include "res_gl.h"
#include "vrend_log.h"

/* One GL section (see vrend_gl_section_enter). */
struct vrend_gl_section {
	struct vrend_gl_context *cur;     /* current in the section; NULL once released */
	struct vrend_current_state saved; /* the thread's context before the section */
	bool work;                        /* GL work was done in cur since the last fence */
};

#define VREND_GL_SECTION_DEPTH 4

struct vrend_res_state {
	/* The instance lock (recursive): serialises ALL GL work of the instance
	 * (resource ops and context submits) and the stats. */
	pthread_mutex_t lock;
	struct vrend_platform *platform;
	struct vrend_gl_context *ctx; /* the resource context (shares with the root) */
	const struct vrend_gl_info *info;
	struct vrend_logger logger;
	struct vrend_format_caps caps;
	uint32_t debug_flags;

	/* What the live context can do (read once at create). */
	bool gles;
	bool dsa_readback;   /* glGetTextureSubImage / glGetCompressedTextureSubImage */
	bool tex_1d;         /* 1D and 1D_ARRAY textures (desktop GL) */
	bool tex_rect;       /* GL_TEXTURE_RECTANGLE (desktop GL) */
	bool tex_cube_array; /* GL_TEXTURE_CUBE_MAP_ARRAY */
	bool ms_storage;     /* glTexStorage2DMultisample */
	bool ms_array;       /* glTexStorage3DMultisample */
	bool clear_texture;  /* glClearTexImage */
	bool clear_buffer;   /* glClearBufferData */
	int32_t max_size, max_3d, max_cube, max_layers, max_rect;
	int32_t max_color_samples, max_depth_samples, max_int_samples;

	uint32_t fbo; /* readback fallback framebuffer, created on first use */
	struct vrend_res_stats stats;

	/* Cross-context visibility: the fence of the last GL section that did work
	 * and the context that produced it (NULL: unknown / destroyed, always wait). */
	GLsync last_sync;
	struct vrend_gl_context *last_sync_ctx;
	bool cpu_wait; /* wait for last_sync on the CPU (glClientWaitSync) */
	/* Sections open on the lock holder's thread (they nest: a resource op may
	 * run inside a context submit when a handler drops the last reference). */
	struct vrend_gl_section *stack[VREND_GL_SECTION_DEPTH];
	uint32_t depth;
	struct vrend_gl_section res_sec[VREND_GL_SECTION_DEPTH];
};

/*
 * GL sections: every piece of GL work of an instance runs inside one.
 * enter = lock, make gl current (saving the thread's context), and if the last
 * fence was produced by another GL context, wait for it (so that uploads are
 * visible to rendering and rendering to readbacks). leave = if work was done: a
 * new fence recorded as the instance's last one + glFlush; then restore the
 * thread's context and unlock. 0, or the error with nothing held.
 */
int vrend_gl_section_enter(struct vrend_res_state *st, struct vrend_gl_context *gl,
                           struct vrend_gl_section *s);
void vrend_gl_section_leave(struct vrend_res_state *st, struct vrend_gl_section *s);
/* Moves the section to another GL context (fence + flush of the old one's work,
 * wait in the new one). On failure nothing is current (s->cur NULL). */
int vrend_gl_section_switch(struct vrend_res_state *st, struct vrend_gl_section *s,
                            struct vrend_gl_context *gl);
/* Fences the current context's work and leaves nothing current (before that
 * context is destroyed). */
void vrend_gl_section_release(struct vrend_res_state *st, struct vrend_gl_section *s);
/* A GL context is going away: never compare a later one against its address. */
void vrend_gl_section_forget(struct vrend_res_state *st, struct vrend_gl_context *gl);
/* Waits (GL-side or CPU-side) for the instance's last fence if it came from
 * another context than s->cur. */
void vrend_gl_section_sync(struct vrend_res_state *st, struct vrend_gl_section *s);

static inline struct vrend_res_state *vrend_res_state_of(struct vgn_backend *b)
{
	return ((struct vrend_res_backend *)b)->state;
}

/* A GL section on the resource context (nestable inside a context's section).
 * 0, or the error with the lock released. */
int vrend_res_enter(struct vrend_res_state *st);
/* Ends it (fence + flush, restores the thread's context, unlocks). */
void vrend_res_leave(struct vrend_res_state *st);

/* Zero-fills every level of a new texture (res_transfer.c): fresh storage holds
 * whatever the driver had, and the guest must never see old host memory. GL
 * errors are left for the caller's check. 0 or -ENOMEM. */
int vrend_res_zero_texture(struct vrend_res_state *st, const struct vrend_resource *vr,
                           const struct vgn_resource_create_params *p);

/* Clears stale GL errors on the resource context. */
void vrend_res_gl_drain(void);
/* 0 when no GL error is pending; else logs "what: <error>" and returns -ENOMEM
 * (GL_OUT_OF_MEMORY) or `fail` (anything else). Drains the queue. */
int vrend_res_gl_check(struct vrend_res_state *st, const char *what, int fail);

#define vrend_res_log(st, level, ...) vrend_log(&(st)->logger, (level), __VA_ARGS__)

#endif /* VREND_RES_INTERNAL_H */
