/* SPDX-License-Identifier: MIT */
#include "png_write.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* CRC-32 as PNG defines it (reflected polynomial 0xedb88320), bit by bit: small
 * images only, speed does not matter here. crc starts at 0. */
uint32_t png_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
	size_t i;
	int k;

	crc = ~crc;
	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

/* Adler-32 (zlib trailer). adler starts at 1. */
uint32_t png_adler32(uint32_t adler, const uint8_t *p, size_t n)
{
	uint32_t a = adler & 0xffff, b = adler >> 16;
	size_t i;

	for (i = 0; i < n; i++) {
		a = (a + p[i]) % 65521u;
		b = (b + a) % 65521u;
	}
	return b << 16 | a;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static int write_chunk(FILE *f, const char type[4], const uint8_t *data, size_t n)
{
	uint8_t be[4];
	uint32_t crc;

	if (n > 0x7fffffffu)
		return -EFBIG;
	put_be32(be, (uint32_t)n);
	crc = png_crc32(0, (const uint8_t *)type, 4);
	crc = png_crc32(crc, data, n);
	if (fwrite(be, 1, 4, f) != 4 || fwrite(type, 1, 4, f) != 4 ||
	    (n && fwrite(data, 1, n, f) != n))
		return -EIO;
	put_be32(be, crc);
	return fwrite(be, 1, 4, f) == 4 ? 0 : -EIO;
}

int png_write_rgba(const char *path, const uint8_t *rgba, uint32_t width, uint32_t height)
{
	static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	uint64_t row = (uint64_t)width * 4 + 1, raw_size = row * height, blocks, z_size;
	uint8_t ihdr[13], *raw, *z, *zp;
	uint64_t off;
	uint32_t y;
	FILE *f;
	int ret;

	if (!width || !height || width > 16384 || height > 16384)
		return -EINVAL;
	/* Scanlines: filter byte 0 ("none") then the row. */
	raw = malloc((size_t)raw_size);
	if (!raw)
		return -ENOMEM;
	for (y = 0; y < height; y++) {
		raw[y * row] = 0;
		memcpy(&raw[y * row + 1], &rgba[(uint64_t)y * width * 4], (size_t)width * 4);
	}
	/* zlib stream: 2-byte header, stored blocks of at most 65535 bytes (5-byte
	 * header each), Adler-32 of the raw data. */
	blocks = (raw_size + 65534) / 65535;
	z_size = 2 + raw_size + blocks * 5 + 4;
	z = malloc((size_t)z_size);
	if (!z) {
		free(raw);
		return -ENOMEM;
	}
	zp = z;
	*zp++ = 0x78; /* deflate, 32 KiB window */
	*zp++ = 0x01; /* no preset dictionary, fastest; (0x78 * 256 + 1) % 31 == 0 */
	for (off = 0; off < raw_size;) {
		uint32_t n = raw_size - off > 65535 ? 65535 : (uint32_t)(raw_size - off);
		*zp++ = off + n == raw_size ? 1 : 0; /* BFINAL, BTYPE 00 = stored */
		*zp++ = (uint8_t)n;
		*zp++ = (uint8_t)(n >> 8);
		*zp++ = (uint8_t)~n;
		*zp++ = (uint8_t)(~n >> 8);
		memcpy(zp, &raw[off], n);
		zp += n;
		off += n;
	}
	put_be32(zp, png_adler32(1, raw, (size_t)raw_size));

	put_be32(&ihdr[0], width);
	put_be32(&ihdr[4], height);
	ihdr[8] = 8;  /* bit depth */
	ihdr[9] = 6;  /* colour type: RGBA */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filtering */
	ihdr[12] = 0; /* no interlace */

	f = fopen(path, "wb");
	if (!f) {
		ret = -errno;
		goto out;
	}
	ret = fwrite(signature, 1, sizeof(signature), f) == sizeof(signature) ? 0 : -EIO;
	if (!ret)
		ret = write_chunk(f, "IHDR", ihdr, sizeof(ihdr));
	if (!ret)
		ret = write_chunk(f, "IDAT", z, (size_t)z_size);
	if (!ret)
		ret = write_chunk(f, "IEND", NULL, 0);
	if (fclose(f) && !ret)
		ret = -EIO;
out:
	free(z);
	free(raw);
	return ret;
}
