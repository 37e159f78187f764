/* SPDX-License-Identifier: MIT */
/* A dependency-free PNG writer: 8-bit RGBA, zlib "stored" (uncompressed) blocks. */
#ifndef VGN_PNG_WRITE_H
#define VGN_PNG_WRITE_H

#include <stddef.h>
#include <stdint.h>

uint32_t png_crc32(uint32_t crc, const uint8_t *p, size_t n);
uint32_t png_adler32(uint32_t adler, const uint8_t *p, size_t n);
/* Writes rgba (width * height * 4 bytes, rows top to bottom, tightly packed) to
 * path. 0 or -errno. */
int png_write_rgba(const char *path, const uint8_t *rgba, uint32_t width, uint32_t height);

#endif /* VGN_PNG_WRITE_H */
