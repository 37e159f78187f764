/* SPDX-License-Identifier: MIT */
/*
 * vgn-xwd2png IN.xwd OUT.png [--stats|--hues]: converts an X window dump (what `xwd`
 * writes: TrueColor, 24 or 32 bits per pixel, either byte order) to PNG, so the
 * demo and the screenshot tests need nothing beyond xwd. --stats prints the
 * number of distinct colours and of non-background pixels (background = the
 * top-left pixel), for tests that check an image is not blank. --hues prints,
 * for pixels whose red, green or blue channel dominates, their count and
 * centroid: a screenshot test compares those of two runs of an animated client
 * (glxgears: the gears turn, but where each coloured gear sits does not).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "png_write.h"

enum { XWD_FIELDS = 25, XWD_COLOR_BYTES = 12, MAX_DIM = 16384 };
enum {
	F_HEADER_SIZE = 0,
	F_VERSION = 1,
	F_FORMAT = 2,
	F_WIDTH = 4,
	F_HEIGHT = 5,
	F_BYTE_ORDER = 7,
	F_BPP = 11,
	F_BYTES_PER_LINE = 12,
	F_RED_MASK = 14,
	F_GREEN_MASK = 15,
	F_BLUE_MASK = 16,
	F_NCOLORS = 19,
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			uint8_t *nb =
			    cap > ((size_t)1 << 30) ? NULL : realloc(buf, cap ? cap * 2 : 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap = cap ? cap * 2 : 65536;
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*size = n;
	return buf;
}

static unsigned shift_of(uint32_t mask)
{
	unsigned s = 0;

	while (mask && !(mask & 1u)) {
		mask >>= 1;
		s++;
	}
	return s;
}

int main(int argc, char **argv)
{
	size_t size = 0;
	uint8_t *in, *rgba;
	uint32_t h[XWD_FIELDS];

	if (argc < 3) {
		fprintf(stderr, "usage: %s IN.xwd OUT.png [--stats|--hues]\n", argv[0]);
		return 2;
	}
	in = read_file(argv[1], &size);
	if (!in || size < XWD_FIELDS * 4) {
		fprintf(stderr, "%s: cannot read an XWD header\n", argv[1]);
		return 1;
	}
	for (int i = 0; i < XWD_FIELDS; i++)
		h[i] = be32(in + 4 * i);
	uint32_t w = h[F_WIDTH], ht = h[F_HEIGHT], bpp = h[F_BPP], bpl = h[F_BYTES_PER_LINE];
	uint64_t data = (uint64_t)h[F_HEADER_SIZE] + (uint64_t)h[F_NCOLORS] * XWD_COLOR_BYTES;

	if (h[F_VERSION] != 7 || h[F_FORMAT] != 2 /* ZPixmap */ || (bpp != 24 && bpp != 32) ||
	    w == 0 || ht == 0 || w > MAX_DIM || ht > MAX_DIM ||
	    (uint64_t)bpl < (uint64_t)w * (bpp / 8) || data + (uint64_t)bpl * ht > size) {
		fprintf(stderr,
		        "%s: unsupported or truncated XWD (version %u, format %u, %u bpp)\n",
		        argv[1], h[F_VERSION], h[F_FORMAT], bpp);
		free(in);
		return 1;
	}
	rgba = malloc((size_t)w * ht * 4);
	if (!rgba) {
		free(in);
		return 1;
	}
	uint32_t masks[3] = {h[F_RED_MASK], h[F_GREEN_MASK], h[F_BLUE_MASK]};
	uint64_t colors = 0, fg = 0;
	uint64_t hue_n[3] = {0}, hue_x[3] = {0}, hue_y[3] = {0};
	uint32_t first = 0;
	/* A small open-addressed set counts distinct colours up to its size. */
	uint32_t set[4096];
	memset(set, 0xff, sizeof(set));
	for (uint32_t y = 0; y < ht; y++) {
		const uint8_t *row = in + data + (uint64_t)bpl * y;

		for (uint32_t x = 0; x < w; x++) {
			const uint8_t *p = row + (size_t)x * (bpp / 8);
			uint32_t v = 0;

			for (uint32_t b = 0; b < bpp / 8; b++) /* byte_order 0 = LSBFirst */
				v |= (uint32_t)p[h[F_BYTE_ORDER] ? bpp / 8 - 1 - b : b] << (8 * b);
			uint8_t *o = rgba + ((size_t)y * w + x) * 4;
			for (int c = 0; c < 3; c++)
				o[c] = (uint8_t)((v & masks[c]) >> shift_of(masks[c]));
			o[3] = 255;
			for (int c = 0; c < 3; c++) {
				if (o[c] > o[(c + 1) % 3] + 40 && o[c] > o[(c + 2) % 3] + 40) {
					hue_n[c]++;
					hue_x[c] += x;
					hue_y[c] += y;
				}
			}
			uint32_t px = v & (masks[0] | masks[1] | masks[2]);
			if (x == 0 && y == 0)
				first = px;
			fg += px != first;
			for (uint32_t i = (px * 2654435761u) & 4095, n = 0; n < 4096;
			     i = (i + 1) & 4095, n++) {
				if (set[i] == px)
					break;
				if (set[i] == 0xffffffffu) {
					set[i] = px;
					colors++;
					break;
				}
			}
		}
	}
	int ret = png_write_rgba(argv[2], rgba, w, ht);
	if (ret)
		fprintf(stderr, "%s: %s\n", argv[2], strerror(-ret));
	else if (argc > 3 && !strcmp(argv[3], "--stats"))
		printf("size %ux%u colours %llu non-background %llu\n", w, ht,
		       (unsigned long long)colors, (unsigned long long)fg);
	else if (argc > 3 && !strcmp(argv[3], "--hues")) {
		static const char *const names[3] = {"red", "green", "blue"};

		for (int c = 0; c < 3; c++)
			printf("%s %llu %.1f %.1f\n", names[c], (unsigned long long)hue_n[c],
			       hue_n[c] ? (double)hue_x[c] / (double)hue_n[c] : -1.0,
			       hue_n[c] ? (double)hue_y[c] / (double)hue_n[c] : -1.0);
	}
	free(rgba);
	free(in);
	return ret ? 1 : 0;
}
