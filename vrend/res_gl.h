/* SPDX-License-Identifier: MIT */
/*
 * Classic resources on the host GL: buffers and textures of every virgl target,
 * created from the core's validated parameters, and transfers between them and
 * the guest backing described by a core-validated struct vgn_transfer_plan.
 *
 * The four resource ops have the backend-op signatures (src/backend.h), so the
 * vrend backend wires them as a table of pointers. The backend embeds a struct
 * vrend_res_backend (its struct vgn_backend is the one the core sees) that points
 * at the per-instance struct vrend_res_state.
 *
 * Threading and GL context currency: the core may call the resource ops on any
 * thread (with res->lock held). Every op takes the state's lock (one per vrend
 * instance), makes the state's own resource GL context current on the calling
 * thread (saving what was current: the VMM may have its own context there), does
 * its GL work and restores the thread's previous context before unlocking. The
 * resource context shares objects with the platform's root context, so the GL
 * names in struct vrend_resource are valid in every context of the platform.
 * Cross-context visibility: an upload ends with glFlush on the resource context;
 * a context that renders into a texture must flush (or fence) before a readback
 * of it is requested (the wiring's job, at the command stream's sync points).
 *
 * New storage is zero-filled (glClearTexImage / glClearBufferData, or uploads of
 * zeros where the host lacks them), like CPU2D's: the guest never reads old host
 * memory. Multisampled storage is zeroed only where glClearTexImage exists.
 *
 * Lock order: res->lock (core) -> state lock. Nothing here calls back into the
 * core while holding the state lock except the iovec copy helpers (no locks).
 */
#ifndef VREND_RES_GL_H
#define VREND_RES_GL_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"
#include "formats.h"
#include "platform.h"
#include "vrend_log.h"

struct vgn_resource;
struct vrend_res_state;

/* Test knobs (fault injection and path selection); 0 in production. */
enum vrend_res_debug {
	/* Read textures back through an FBO + glReadPixels even where
	 * glGetTextureSubImage exists (the GLES path on a desktop host). */
	VREND_RES_DEBUG_FBO_READBACK = 1u << 0,
	/* Always gather/scatter through a tight staging copy (never hand guest
	 * memory to GL directly). */
	VREND_RES_DEBUG_NO_DIRECT = 1u << 1,
	/* Skip the up-front size limit checks so that GL itself fails the
	 * creation: exercises the rollback after glGen*. */
	VREND_RES_DEBUG_SKIP_LIMITS = 1u << 2,
};

struct vrend_res_params {
	struct vrend_platform *platform;      /* borrowed; must outlive the state */
	const struct vrend_format_caps *caps; /* copied; NULL = probe on our context */
	const struct vrend_logger *logger;    /* copied; may be NULL */
	uint32_t debug_flags;                 /* enum vrend_res_debug */
};

/* Creates the resource GL context (shared with the platform's root context) and
 * reads the limits. The calling thread's current context is left as it was.
 * 0, -ENOMEM, -ENOTSUP (no immutable texture storage), or the platform's error. */
int vrend_res_state_create(const struct vrend_res_params *params, struct vrend_res_state **out);
/* Every resource must have been destroyed first. NULL is allowed. */
void vrend_res_state_destroy(struct vrend_res_state *st);

/* Counters for tests and debugging (read under the state lock). */
struct vrend_res_stats {
	uint32_t textures_live, buffers_live;
	uint32_t last_name;     /* last GL name generated (also for rolled-back creations) */
	uint32_t rollbacks;     /* creations undone after a GL error */
	uint64_t direct_copies; /* transfers GL read/wrote straight from/to guest memory */
	uint64_t staged_copies; /* transfers through a tight staging copy */
	uint64_t fbo_readbacks; /* readbacks through FBO + glReadPixels */
	uint64_t dsa_readbacks; /* readbacks through glGet(Compressed)TextureSubImage */
};
void vrend_res_get_stats(struct vrend_res_state *st, struct vrend_res_stats *out);

/* The GL object of a resource (res->backend_data of a resource made here). */
struct vrend_resource {
	uint32_t gl_target; /* GLenum: GL_TEXTURE_* for textures, GL_BUFFER for buffers */
	uint32_t gl_name;
	bool is_buffer;
	uint32_t vfmt;
	const struct vrend_format *fmt; /* NULL for buffers */
	uint32_t levels;                /* last_level + 1 */
	uint32_t samples;               /* 0 or 1 = single-sampled */
	uint8_t conv;                   /* enum vrend_res_conv (res_pack.h) */
	/* A buffer with no GL object yet (gl_name 0): bind CUSTOM only, made at its
	 * first GL use by vrend_resource_materialize. Mesa's vtest winsys creates
	 * one such 8-byte buffer per fence (per frame) and never uses it in GL, so
	 * its create and destroy need no GL section (no wait for the frame). */
	bool lazy;
	uint64_t lazy_bytes;
};

/* Embedded by the vrend backend; the core sees &base. */
struct vrend_res_backend {
	struct vgn_backend base;
	struct vrend_res_state *state;
};

/* The backend ops (src/backend.h semantics). b must be the base of a struct
 * vrend_res_backend. create: 0, -ENOTSUP ("not mine": no GL mapping for the
 * format, target missing on this API), -EINVAL (beyond the live context's limits,
 * bind flags the format cannot back, GL refused), -ENOMEM. */
int vrend_resource_create(struct vgn_backend *b, struct vgn_resource *res);
void vrend_resource_destroy(struct vgn_backend *b, struct vgn_resource *res);
int vrend_resource_transfer(struct vgn_backend *b, struct vgn_resource *res,
                            const struct vgn_transfer_plan *plan);
int vrend_resource_get_info(struct vgn_backend *b, struct vgn_resource *res,
                            struct vgn_resource_info *out);

/* Gives a lazy buffer its (zeroed) GL object in the calling thread's current
 * context of the share group. Caller: inside a GL section (state lock held).
 * 0 (also when vr is not lazy), or -ENOMEM / -EINVAL when GL refuses. */
int vrend_resource_materialize(struct vrend_res_state *st, struct vrend_resource *vr);

#endif /* VREND_RES_GL_H */
