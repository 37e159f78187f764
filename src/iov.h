/* SPDX-License-Identifier: MIT */
/* iovec helpers: checked total length and bounds-checked copies at a byte offset. */
#ifndef VGN_IOV_H
#define VGN_IOV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/* Largest iovec array the library accepts (a VMM coalesces guest pages). */
#define VGN_MAX_IOVS (1u << 20)

/* Validates an iovec array from outside: iov non-NULL, 1 <= num <= VGN_MAX_IOVS,
 * every base non-NULL, total length fits in 64 bits. 0 or -EINVAL; *total set on
 * success. */
int vgn_iov_validate(const struct iovec *iov, uint32_t num, uint64_t *total);

/* Copies len bytes starting at byte offset off of the iovec list into dst.
 * 0, or -EINVAL if [off, off + len) is not inside the list (nothing copied). */
int vgn_iov_to_buf(const struct iovec *iov, uint32_t num, uint64_t off, void *dst, size_t len);
/* Copies len bytes from src into the iovec list at byte offset off. Same checks. */
int vgn_iov_from_buf(const struct iovec *iov, uint32_t num, uint64_t off, const void *src,
                     size_t len);

/* Cursor for many copies at increasing offsets (transfers copy row by row). */
struct vgn_iov_cursor {
	const struct iovec *iov;
	uint32_t num;
	uint32_t idx;   /* current element */
	uint64_t start; /* byte offset of iov[idx] in the list */
};
void vgn_iov_cursor_init(struct vgn_iov_cursor *c, const struct iovec *iov, uint32_t num);
/* Like vgn_iov_to_buf/from_buf, faster when offsets do not go backwards. */
int vgn_iov_cursor_copy(struct vgn_iov_cursor *c, uint64_t off, void *buf, size_t len, int to_iov);

#endif
