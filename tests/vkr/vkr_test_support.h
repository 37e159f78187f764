/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * Helpers for the generated test-only code (vkr_proto_driver.c): random fills and deep
 * comparisons of Venus command arguments.
 */
#ifndef VKR_TEST_SUPPORT_H
#define VKR_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vkr_cs.h"

/* -- random fills ----------------------------------------------------------------------------- */

struct vkr_fill {
	struct vkr_arena *arena;
	uint64_t state; /* xorshift64* state, never 0 */
	/* Probability (out of 8) to add a struct the parent does not know to a pNext chain. */
	unsigned alien_chance;
};

void vkr_fill_init(struct vkr_fill *f, struct vkr_arena *arena, uint64_t seed);
uint64_t vkr_fill_u64(struct vkr_fill *f);
uint32_t vkr_fill_small(struct vkr_fill *f, uint32_t range);
bool vkr_fill_coin(struct vkr_fill *f);
void vkr_fill_bits(struct vkr_fill *f, void *dst, size_t size);
/* Printable characters, the last byte NUL (fixed-size char arrays). */
void vkr_fill_chars(struct vkr_fill *f, char *dst, size_t size);
/* Zeroed arena memory; aborts the test when the arena is exhausted. */
void *vkr_fill_alloc(struct vkr_fill *f, size_t elem_size, uint64_t count);
const char *vkr_fill_string(struct vkr_fill *f, bool nullable);
void *vkr_fill_blob(struct vkr_fill *f, uint64_t size, bool nullable);

struct vkr_fill_chain_entry {
	int32_t stype;
	uint32_t size;
	void (*self)(struct vkr_fill *f, void *val);
};

void vkr_fill_chain(struct vkr_fill *f, const struct vkr_fill_chain_entry *table, uint32_t count,
                    void **pnext);

/* -- comparisons ------------------------------------------------------------------------------ */

struct vkr_cmp {
	const char *path; /* the first difference found */
};

static inline bool vkr_cmp_fail(struct vkr_cmp *c, const char *path)
{
	if (!c->path)
		c->path = path;
	return false;
}

bool vkr_cmp_string(const char *a, const char *b);
/* `a` is the original: present when non-NULL and size > 0; partial compares presence only. */
bool vkr_cmp_blob(const void *a, const void *b, uint64_t size, bool partial);

struct vkr_cmp_chain_entry {
	int32_t stype;
	bool (*self)(struct vkr_cmp *c, const void *a, const void *b);
};

/* `a` is the original chain (unknown structs in it are skipped), `b` the decoded one. */
bool vkr_cmp_chain(struct vkr_cmp *c, const struct vkr_cmp_chain_entry *table, uint32_t count,
                   const void *a, const void *b);

#endif /* VKR_TEST_SUPPORT_H */
