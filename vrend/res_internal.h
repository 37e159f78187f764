/* SPDX-License-Identifier: MIT */
/* Shared between res_gl.c (objects) and res_transfer.c (transfers); not for the
 * rest of vrend, which uses res_gl.h. */
#ifndef VREND_RES_INTERNAL_H
#define VREND_RES_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "formats.h"
#include "platform.h"
#include "res_gl.h"
#include "vrend_log.h"

struct vrend_res_state {
	pthread_mutex_t lock; /* serialises all GL work on `ctx` and the stats */
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

	struct vrend_current_state saved; /* the thread's context while we hold lock */
};

static inline struct vrend_res_state *vrend_res_state_of(struct vgn_backend *b)
{
	return ((struct vrend_res_backend *)b)->state;
}

/* Locks the state and makes the resource context current (saving the thread's
 * own). 0, or the error with the lock released. */
int vrend_res_enter(struct vrend_res_state *st);
/* Restores the thread's context and unlocks. */
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
