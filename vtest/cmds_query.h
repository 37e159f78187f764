/* SPDX-License-Identifier: MIT */
/*
 * VTEST_CMD_QUERY: our extension of the vtest protocol that lets a client (the
 * guest) ask the metadata queries of vgn_query() through its context
 * (docs/metadata.md "Guest access over vtest").
 *
 * Request: {len, VTEST_CMD_QUERY} then len dwords: a query struct (struct
 * vgn_query_header first), zero padded to whole dwords. 2 <= len <=
 * VTEST_QUERY_MAX_DWORDS, and the struct's size field must be at least 8 and at
 * most len * 4; otherwise the connection is closed (a framing error).
 * Reply: {1 + len, VTEST_CMD_QUERY}, one int32 result (0 or -errno, as
 * vgn_query returns it), then len dwords: the answered struct on success, the
 * request bytes unchanged on error.
 */
#ifndef VTEST_CMDS_QUERY_H
#define VTEST_CMDS_QUERY_H

#include <stdint.h>

/* Outside Mesa's range (1..24 in Mesa 25.0.7), with room for upstream growth. */
#define VTEST_CMD_QUERY 64u
#define VTEST_QUERY_MAX_DWORDS 256u /* 1 KiB: every query struct fits many times */

struct vtest_conn;

int vtest_size_query(uint32_t len, uint64_t *bytes);
int vtest_cmd_query(struct vtest_conn *c, uint32_t len, const uint32_t *p);

#endif
