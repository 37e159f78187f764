/* SPDX-License-Identifier: MIT */
/*
 * Shared by the fuzz harnesses: the libFuzzer entry point prototypes (the same
 * files build as libFuzzer targets in fuzz/ and as plain replay programs in
 * tests/fuzz-regress/, see replay_main.c) and a bounded reader over the input.
 */
#ifndef VGN_FUZZ_H
#define VGN_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An invariant the harness checks failed: report and abort, so that libFuzzer
 * saves the input and the replay test fails. Printed on stdout too: fuzz/run.sh
 * closes the target's stderr (-close_fd_mask=2) to keep the server's logs out. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);        \
			fflush(stdout);                                                            \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,       \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* Reads past the end yield zeros: every input is a valid program. */
struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static inline void fuzz_in_init(struct fuzz_in *in, const uint8_t *data, size_t size)
{
	in->p = data;
	in->left = size;
}

static inline void fuzz_bytes(struct fuzz_in *in, void *dst, size_t n)
{
	size_t k = n < in->left ? n : in->left;

	if (k)
		memcpy(dst, in->p, k);
	if (k < n)
		memset((uint8_t *)dst + k, 0, n - k);
	in->p += k;
	in->left -= k;
}

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	uint8_t v;

	fuzz_bytes(in, &v, 1);
	return v;
}

static inline uint16_t fuzz_u16(struct fuzz_in *in)
{
	uint16_t v;

	fuzz_bytes(in, &v, 2);
	return v;
}

static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
	uint32_t v;

	fuzz_bytes(in, &v, 4);
	return v;
}

static inline uint64_t fuzz_u64(struct fuzz_in *in)
{
	uint64_t v;

	fuzz_bytes(in, &v, 8);
	return v;
}

/* Mostly small numbers (what valid programs use), sometimes a raw 32-bit value:
 * one byte b; b < 0xf0 gives b, 0xf0..0xfe gives a 16-bit value, 0xff a 32-bit. */
static inline uint32_t fuzz_num(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);

	if (b < 0xf0)
		return b;
	if (b < 0xff)
		return fuzz_u16(in);
	return fuzz_u32(in);
}

#endif /* VGN_FUZZ_H */
