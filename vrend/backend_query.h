/* SPDX-License-Identifier: MIT */
/* vrend's answers to the metadata queries (backend_query.c, docs/metadata.md). */
#ifndef VREND_BACKEND_QUERY_H
#define VREND_BACKEND_QUERY_H

#include "backend.h"

/* The backend's `query` op (src/query.h describes the contract). */
int vrend_backend_query(struct vgn_backend *b, struct vgn_context *ctx,
                        const struct vgn_query_header *in, struct vgn_query_header *out);

#endif
