/* SPDX-License-Identifier: MIT */
/*
 * Transport helpers for vtest *clients* (the protocol test and the tools): connect,
 * exact reads with a timeout, writes, receiving a passed fd. They know nothing of
 * the commands: callers build every message themselves.
 */
#ifndef VTEST_CLIENT_H
#define VTEST_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sockio.h"         /* vtest_write_all: the one exact-write loop */
#include "vtest_protocol.h" /* wire numbers */

/* Connects to the server socket at path. fd or -errno. */
int vc_connect(const char *path);
/* Writes {len, id} followed by n payload dwords in one write. */
int vc_send_cmd(int fd, uint32_t len, uint32_t id, const uint32_t *payload, size_t n);
/* Reads exactly size bytes within timeout_ms in total (-1 = no limit).
 * 0, -ETIMEDOUT, -EPIPE (end of stream) or -errno. */
int vc_read_exact(int fd, void *buf, size_t size, int timeout_ms);
/* Receives one fd sent with SCM_RIGHTS plus one data byte. fd or -errno. */
int vc_recv_fd(int sock, int timeout_ms);
/* True when the peer closes the connection within timeout_ms (data that arrives
 * before the close is read and dropped). */
bool vc_wait_closed(int fd, int timeout_ms);
/* True when fd polls readable within timeout_ms. */
bool vc_fd_readable(int fd, int timeout_ms);

#endif /* VTEST_CLIENT_H */
