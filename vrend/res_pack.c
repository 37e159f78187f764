/* SPDX-License-Identifier: MIT */
#include "res_pack.h"

#include <epoxy/gl.h>
#include <errno.h>
#include <string.h>

#include "iov.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "virgl guest layouts are little-endian; the conversions assume a little-endian host"
#endif

int vrend_res_conv_for(uint32_t vfmt, const struct vrend_format *f, enum vrend_res_conv *out)
{
	enum vrend_res_conv conv = VREND_CONV_NONE;
	bool ok = true;

	switch (vfmt) {
	case VFMT_Z24_UNORM_S8_UINT:
	case VFMT_X24S8_UINT:
		conv = VREND_CONV_ROTATE_24_8;
		ok = f->format == GL_DEPTH_STENCIL && f->type == GL_UNSIGNED_INT_24_8;
		break;
	case VFMT_Z24X8_UNORM:
		conv = VREND_CONV_Z24X8;
		ok = f->format == GL_DEPTH_COMPONENT && f->type == GL_UNSIGNED_INT;
		break;
	default:
		break;
	}
	/* The table and this file must agree on which formats are converted. */
	if (!ok || (conv != VREND_CONV_NONE) != !!(f->flags & VREND_FMT_CONVERT))
		return -ENOTSUP;
	*out = conv;
	return 0;
}

static uint32_t load32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void store32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

void vrend_res_conv_to_gl(enum vrend_res_conv conv, void *data, size_t bytes)
{
	uint8_t *p = data;

	for (size_t i = 0; conv != VREND_CONV_NONE && i + 4 <= bytes; i += 4) {
		uint32_t v = load32(p + i);
		if (conv == VREND_CONV_ROTATE_24_8) {
			v = v << 8 | v >> 24;
		} else {
			uint64_t z = v & 0xffffffu, u = (z << 8) + (z >> 16) + 1;
			v = u > UINT32_MAX ? UINT32_MAX : (uint32_t)u;
		}
		store32(p + i, v);
	}
}

void vrend_res_conv_from_gl(enum vrend_res_conv conv, void *data, size_t bytes)
{
	uint8_t *p = data;

	for (size_t i = 0; conv != VREND_CONV_NONE && i + 4 <= bytes; i += 4) {
		uint32_t v = load32(p + i);
		if (conv == VREND_CONV_ROTATE_24_8)
			v = v >> 8 | v << 24;
		else
			v >>= 8;
		store32(p + i, v);
	}
}

int vrend_res_tight_size(const struct vgn_transfer_plan *plan, size_t *size)
{
	uint64_t slice, total;

	if (__builtin_mul_overflow(plan->row_bytes, (uint64_t)plan->rows, &slice) ||
	    __builtin_mul_overflow(slice, (uint64_t)plan->box.d, &total) || total > SIZE_MAX)
		return -EINVAL;
	*size = (size_t)total;
	return 0;
}

/* Moves every row of the plan between the guest and a tight buffer. */
static int move_rows(const struct vgn_transfer_plan *plan, uint8_t *tight, int to_iov)
{
	struct vgn_iov_cursor cur;
	size_t total;
	uint64_t pos = 0;

	if (vrend_res_tight_size(plan, &total) || plan->row_bytes > SIZE_MAX)
		return -EINVAL;
	vgn_iov_cursor_init(&cur, plan->iov, plan->num_iovs);
	for (uint32_t s = 0; s < plan->box.d; s++) {
		uint64_t slice_off;
		if (__builtin_mul_overflow((uint64_t)s, plan->layer_stride, &slice_off) ||
		    __builtin_add_overflow(slice_off, plan->offset, &slice_off))
			return -EINVAL;
		for (uint32_t r = 0; r < plan->rows; r++) {
			uint64_t off;
			if (__builtin_mul_overflow((uint64_t)r, plan->stride, &off) ||
			    __builtin_add_overflow(off, slice_off, &off))
				return -EINVAL;
			int ret = vgn_iov_cursor_copy(&cur, off, tight + pos,
			                              (size_t)plan->row_bytes, to_iov);
			if (ret)
				return ret;
			pos += plan->row_bytes;
		}
	}
	return pos == total ? 0 : -EINVAL;
}

int vrend_res_gather(const struct vgn_transfer_plan *plan, uint8_t *dst)
{
	return move_rows(plan, dst, 0);
}

int vrend_res_scatter(const struct vgn_transfer_plan *plan, const uint8_t *src)
{
	/* The cursor copies in the direction given: src is only read. */
	return move_rows(plan, (uint8_t *)src, 1);
}

uint8_t *vrend_res_contiguous(const struct vgn_transfer_plan *plan)
{
	uint64_t start = 0, end;

	if (__builtin_add_overflow(plan->offset, plan->span, &end))
		return NULL;
	for (uint32_t i = 0; i < plan->num_iovs; i++) {
		uint64_t len = plan->iov[i].iov_len;
		if (plan->offset < start + len) {
			if (end > start + len)
				return NULL; /* crosses into the next element */
			return (uint8_t *)plan->iov[i].iov_base + (plan->offset - start);
		}
		start += len;
	}
	return NULL;
}
