/* SPDX-License-Identifier: MIT */
/*
 * Shared by the harnesses that drive a live context through the public API
 * (fuzz_virgl_decode's real-context mode, fuzz_venus_live): the input's submit
 * buffers, separated by the 4-byte marker "VGNB", each copied into an exactly
 * sized array (a read past it is an ASan report; a trailing partial dword is
 * dropped as the core would never pass one) and submitted to ctx_id.
 *
 * Invariants: a submit returns 0 or a negative error, and once one failed the
 * context answers -EIO to every later non-empty submit.
 */
#ifndef VGN_FUZZ_SUBMIT_H
#define VGN_FUZZ_SUBMIT_H

#include <errno.h>

#include "fuzz.h"
#include "virgl-next/virgl_next.h"

static inline const uint8_t *fuzz_next_marker(const uint8_t *p, const uint8_t *end)
{
	for (; end - p >= 4; p++) {
		if (!memcmp(p, "VGNB", 4))
			return p;
	}
	return end;
}

static inline void fuzz_submit_buffers(vgn_renderer *r, uint32_t ctx_id, const uint8_t *p,
                                       const uint8_t *end)
{
	int dead = 0;

	while (p <= end) {
		const uint8_t *m = fuzz_next_marker(p, end);
		size_t ndw = (size_t)(m - p) / 4;
		int ret = 0;

		if (ndw) {
			uint32_t *buf = malloc(ndw * 4);

			FUZZ_CHECK(buf);
			memcpy(buf, p, ndw * 4);
			ret = vgn_context_submit(r, ctx_id, buf, ndw * 4);
			free(buf);
		}
		FUZZ_CHECK(ret <= 0);
		if (dead && ndw)
			FUZZ_CHECK(ret == -EIO);
		else if (ret)
			dead = ret;
		if (m == end)
			break;
		p = m + 4;
	}
}

#endif /* VGN_FUZZ_SUBMIT_H */
