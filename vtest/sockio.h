/* SPDX-License-Identifier: MIT */
/* Exact-size socket reads and writes: clients write in arbitrary pieces. */
#ifndef VTEST_SOCKIO_H
#define VTEST_SOCKIO_H

#include <stddef.h>
#include <stdint.h>

/* Reads exactly size bytes. 0 on success, -EPIPE on end of stream (also in the
 * middle of the data), another -errno on failure. */
int vtest_read_exact(int fd, void *buf, size_t size);
/* Reads and throws away size bytes (same return values). */
int vtest_skip_exact(int fd, uint64_t size);
/* Writes all bytes (no SIGPIPE). */
int vtest_write_all(int fd, const void *buf, size_t size);
/* Writes a {len, id} header followed by n payload dwords in one write. */
int vtest_write_reply(int fd, uint32_t len, uint32_t id, const uint32_t *payload, size_t n);

#endif /* VTEST_SOCKIO_H */
