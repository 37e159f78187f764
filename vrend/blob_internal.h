/* SPDX-License-Identifier: MIT */
/*
 * HOST3D blobs of vrend (blob.c): PIPE_RESOURCE_CREATE records a buffer
 * description per context under a guest-chosen blob_id; the core's
 * RESOURCE_CREATE_BLOB(HOST3D, blob_id) then asks context_get_blob for memory,
 * and vrend makes a GL buffer whose storage IS that memory (a zeroed memfd,
 * pinned into GL with GL_AMD_pinned_memory), so guest writes to the mapping and
 * GL reads/writes of the buffer see the same bytes (ARB_buffer_storage's
 * persistent + coherent mappings in the guest).
 * HOST3D_GUEST blobs: the description (any target, no persistent/coherent flag)
 * becomes a classic GL object (res_gl.c) whose guest storage is the blob's pages,
 * moved by ordinary transfers (context_describe_blob).
 */
#ifndef VREND_BLOB_INTERNAL_H
#define VREND_BLOB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"
#include "res_gl.h"

struct vrend_ctx;
struct vrend_gl_info;

/* Pending PIPE_RESOURCE_CREATE descriptions per context (a guest that never
 * creates the blobs cannot grow host memory beyond this). */
#define VREND_BLOB_MAX_PENDING 64u
/* Largest buffer one description may ask for (GL sizes are signed). */
#define VREND_BLOB_MAX_WIDTH (1ull << 30)

/* Can this host back blobs with shared coherent buffer storage? */
bool vrend_blob_host_supported(const struct vrend_gl_info *info);

/* The context_get_blob op (src/backend.h). */
int vrend_context_get_blob(struct vgn_backend *b, struct vgn_context *ctx, uint64_t blob_id,
                           uint64_t size, uint32_t blob_flags, struct vgn_blob_memory *out);
/* The context_describe_blob op (HOST3D_GUEST): the recorded layout of blob_id;
 * the core makes the object with vrend_resource_create. */
int vrend_context_describe_blob(struct vgn_backend *b, struct vgn_context *ctx, uint64_t blob_id,
                                struct vgn_resource_create_params *out);
/* resource_destroy for blob resources (res->blob set): backend_data from
 * vrend_context_get_blob, or a classic object (res->format set: HOST3D_GUEST). */
void vrend_blob_resource_destroy(struct vgn_backend *b, struct vgn_resource *res);
/* Frees the context's pending descriptions (context destroy; no GL). */
void vrend_blob_ctx_destroy(struct vrend_ctx *c);

struct vrend_decoder;
struct vrend_cmd;
/* PIPE_RESOURCE_CREATE (decode_table.c). */
int vrend_cmd_pipe_resource_create(struct vrend_decoder *dec, struct vrend_cmd *cmd);

#endif /* VREND_BLOB_INTERNAL_H */
