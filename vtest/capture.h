/* SPDX-License-Identifier: MIT */
/*
 * --capture DIR: every byte a client sends (framing included, in arrival order)
 * is appended to DIR/client-<conn id>.bin, so that a failing session can be
 * replayed (virgl-next-vtest-replay) or used as a fuzz_vtest seed: the file is
 * exactly the input format of fuzz_vtest. Bounded: after `max` bytes the rest
 * of the stream is not recorded (logged once).
 */
#ifndef VTEST_CAPTURE_H
#define VTEST_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"

#define VTEST_CAPTURE_DEFAULT_MAX (256ull << 20)

struct vtest_capture {
	int fd;        /* -1 = not capturing */
	uint64_t left; /* bytes still allowed */
};

/* Opens DIR/client-<conn_id>.bin (created or truncated, mode 0600). On failure
 * logs and leaves cap inactive: a capture problem never closes a client. */
void vtest_capture_open(struct vtest_capture *cap, const char *dir, unsigned conn_id, uint64_t max,
                        const struct vtest_logger *lg);
/* Appends what was just read from the client. */
void vtest_capture_write(struct vtest_capture *cap, const void *buf, size_t n,
                         const struct vtest_logger *lg);
void vtest_capture_close(struct vtest_capture *cap);

#endif /* VTEST_CAPTURE_H */
