/* SPDX-License-Identifier: MIT */
/*
 * The one virgl format -> host GL format table, and the probe that asks the live
 * GL context which entries really work.
 *
 * The table says how a format *could* live in GL (internal format, upload
 * format/type, the swizzle that emulates channels GL lacks); the probe result
 * (struct vrend_format_caps) says what this host can do with it. Caps are built
 * from the probe result only, never from the table alone.
 */
#ifndef VREND_FORMATS_H
#define VREND_FORMATS_H

#include <stdbool.h>
#include <stdint.h>

#include "virgl_formats.h"

struct vrend_gl_info;

/* Table flags: what the format is, and what it may be used for if the host agrees. */
enum vrend_format_flag {
	VREND_FMT_RENDER = 1u << 0,     /* colour attachment candidate */
	VREND_FMT_DEPTH = 1u << 1,      /* has depth; depth attachment candidate */
	VREND_FMT_STENCIL = 1u << 2,    /* has stencil */
	VREND_FMT_COMPRESSED = 1u << 3, /* block compressed; format/type are 0 */
	VREND_FMT_EMULATED = 1u << 4,   /* sampling needs `swizzle` (L/A/I, X channels, order) */
	VREND_FMT_INTEGER = 1u << 5,    /* pure integer */
	VREND_FMT_SRGB = 1u << 6,
	VREND_FMT_CONVERT = 1u << 7, /* guest bytes differ from GL's layout: transfers convert */
};

/* Swizzle selectors (Gallium numbering, virgl-protocol.md section 2.4). */
enum vrend_swizzle {
	VREND_SWZ_R = 0,
	VREND_SWZ_G = 1,
	VREND_SWZ_B = 2,
	VREND_SWZ_A = 3,
	VREND_SWZ_0 = 4,
	VREND_SWZ_1 = 5,
};

struct vrend_format {
	uint32_t internal_format; /* GLenum; 0 = no GL mapping */
	uint32_t format, type;    /* upload/readback GLenums (0 for compressed) */
	uint16_t flags;           /* enum vrend_format_flag */
	uint8_t swizzle[4];       /* per virgl R, G, B, A: which GL channel (or 0/1) */
	uint8_t block_w, block_h; /* texels per block (1 x 1 unless compressed) */
	uint8_t block_bytes;      /* bytes per block in guest memory */
};

/* The table entry for a virgl format, or NULL (gap, out of range, no GL mapping). */
const struct vrend_format *vrend_format_get(uint32_t vfmt);

/* What the probe found (struct vrend_format_caps.flags[]). */
enum vrend_probe_flag {
	VREND_PROBE_TEXTURE = 1u << 0,  /* a 2D texture can be created and sampled */
	VREND_PROBE_RENDER = 1u << 1,   /* complete FBO as colour attachment */
	VREND_PROBE_DEPTH = 1u << 2,    /* complete FBO as depth/stencil attachment */
	VREND_PROBE_MSAA = 1u << 3,     /* renderable with more than one sample */
	VREND_PROBE_READBACK = 1u << 4, /* contents can be read back into guest memory */
};

struct vrend_format_caps {
	uint8_t flags[VFMT_COUNT]; /* enum vrend_probe_flag */
	uint32_t probed;           /* how many table entries were tried */
};

/* Probes every table entry on the current context. Returns 0 or -errno. */
int vrend_formats_probe(const struct vrend_gl_info *info, struct vrend_format_caps *caps);

static inline bool vrend_format_caps_has(const struct vrend_format_caps *caps, uint32_t vfmt,
                                         uint32_t probe_flags)
{
	return vfmt < VFMT_COUNT && (caps->flags[vfmt] & probe_flags) == probe_flags;
}

#endif /* VREND_FORMATS_H */
