/* SPDX-License-Identifier: MIT */
#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void vtest_capture_open(struct vtest_capture *cap, const char *dir, unsigned conn_id, uint64_t max,
                        const struct vtest_logger *lg)
{
	char path[PATH_MAX];

	cap->fd = -1;
	cap->left = max;
	if (!dir)
		return;
	if (snprintf(path, sizeof(path), "%s/client-%u.bin", dir, conn_id) >= (int)sizeof(path)) {
		vtest_err(lg, "capture: path too long in %s", dir);
		return;
	}
	/* O_NOFOLLOW: never write through a link someone planted in DIR. */
	cap->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (cap->fd < 0) {
		vtest_err(lg, "capture: cannot open %s: %s", path, strerror(errno));
		return;
	}
	vtest_info(lg, "capturing the client's stream to %s (at most %llu bytes)", path,
	           (unsigned long long)max);
}

void vtest_capture_write(struct vtest_capture *cap, const void *buf, size_t n,
                         const struct vtest_logger *lg)
{
	size_t keep;
	ssize_t w;

	if (cap->fd < 0 || !n)
		return;
	keep = n < cap->left ? n : (size_t)cap->left;
	for (const char *p = buf; keep;) {
		w = write(cap->fd, p, keep);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			vtest_err(lg, "capture: write failed (%s); capture stopped",
			          w < 0 ? strerror(errno) : "no progress");
			vtest_capture_close(cap);
			return;
		}
		p += w;
		keep -= (size_t)w;
		cap->left -= (uint64_t)w;
	}
	if (!cap->left) {
		vtest_warn(lg,
		           "capture: size limit reached; the rest of the stream is not recorded");
		vtest_capture_close(cap);
	}
}

void vtest_capture_close(struct vtest_capture *cap)
{
	if (cap->fd >= 0)
		close(cap->fd);
	cap->fd = -1;
}
