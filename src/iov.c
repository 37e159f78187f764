/* SPDX-License-Identifier: MIT */
#include "iov.h"

#include <errno.h>
#include <string.h>

int vgn_iov_validate(const struct iovec *iov, uint32_t num, uint64_t *total)
{
	if (!iov || num == 0 || num > VGN_MAX_IOVS)
		return -EINVAL;
	uint64_t sum = 0;
	for (uint32_t i = 0; i < num; i++) {
		if (!iov[i].iov_base)
			return -EINVAL;
		if (__builtin_add_overflow(sum, (uint64_t)iov[i].iov_len, &sum))
			return -EINVAL;
	}
	*total = sum;
	return 0;
}

void vgn_iov_cursor_init(struct vgn_iov_cursor *c, const struct iovec *iov, uint32_t num)
{
	c->iov = iov;
	c->num = num;
	c->idx = 0;
	c->start = 0;
}

int vgn_iov_cursor_copy(struct vgn_iov_cursor *c, uint64_t off, void *buf, size_t len, int to_iov)
{
	uint64_t end;
	if (__builtin_add_overflow(off, (uint64_t)len, &end))
		return -EINVAL;
	if (off < c->start) {
		/* Going backwards: restart from the first element. */
		c->idx = 0;
		c->start = 0;
	}
	/* Find the element holding off. */
	while (c->idx < c->num && off >= c->start + c->iov[c->idx].iov_len) {
		c->start += c->iov[c->idx].iov_len;
		c->idx++;
	}
	if (len == 0)
		return off <= c->start || c->idx < c->num ? 0 : -EINVAL;
	/* Check the whole range before copying anything, so a failure copies nothing. */
	uint64_t avail = 0, s = c->start;
	for (uint32_t i = c->idx; i < c->num && s + avail < end; i++)
		avail += c->iov[i].iov_len;
	if (c->idx >= c->num || c->start + avail < end)
		return -EINVAL;

	uint8_t *p = buf;
	uint64_t pos = off;
	uint32_t idx = c->idx;
	uint64_t start = c->start;
	while (pos < end) {
		const struct iovec *v = &c->iov[idx];
		uint64_t in = pos - start;
		uint64_t n = v->iov_len - in;
		if (n > end - pos)
			n = end - pos;
		uint8_t *q = (uint8_t *)v->iov_base + in;
		if (to_iov)
			memcpy(q, p, n);
		else
			memcpy(p, q, n);
		p += n;
		pos += n;
		if (pos - start == v->iov_len) {
			start += v->iov_len;
			idx++;
		}
	}
	c->idx = idx;
	c->start = start;
	return 0;
}

int vgn_iov_to_buf(const struct iovec *iov, uint32_t num, uint64_t off, void *dst, size_t len)
{
	struct vgn_iov_cursor c;
	vgn_iov_cursor_init(&c, iov, num);
	return vgn_iov_cursor_copy(&c, off, dst, len, 0);
}

int vgn_iov_from_buf(const struct iovec *iov, uint32_t num, uint64_t off, const void *src,
                     size_t len)
{
	struct vgn_iov_cursor c;
	vgn_iov_cursor_init(&c, iov, num);
	return vgn_iov_cursor_copy(&c, off, (void *)src, len, 1);
}
