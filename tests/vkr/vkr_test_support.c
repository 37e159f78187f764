/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 */
#include "vkr_test_support.h"

#include <stdio.h>
#include <stdlib.h>

/* An sType no parent knows: encoders must skip such structs. */
#define VKR_TEST_ALIEN_STYPE ((VkStructureType)0x7ffffff0)

void vkr_fill_init(struct vkr_fill *f, struct vkr_arena *arena, uint64_t seed)
{
	f->arena = arena;
	f->state = seed * 0x9e3779b97f4a7c15ull + 1;
	if (!f->state)
		f->state = 1;
	f->alien_chance = 2;
}

uint64_t vkr_fill_u64(struct vkr_fill *f)
{
	uint64_t x = f->state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	f->state = x;
	return x * 0x2545f4914f6cdd1dull;
}

uint32_t vkr_fill_small(struct vkr_fill *f, uint32_t range)
{
	return (uint32_t)(vkr_fill_u64(f) % range);
}

bool vkr_fill_coin(struct vkr_fill *f)
{
	return vkr_fill_u64(f) & 1;
}

void vkr_fill_bits(struct vkr_fill *f, void *dst, size_t size)
{
	unsigned char *p = dst;
	while (size) {
		const uint64_t r = vkr_fill_u64(f);
		const size_t n = size < sizeof(r) ? size : sizeof(r);
		memcpy(p, &r, n);
		p += n;
		size -= n;
	}
}

void vkr_fill_chars(struct vkr_fill *f, char *dst, size_t size)
{
	for (size_t i = 0; i < size; i++)
		dst[i] = (char)(' ' + vkr_fill_small(f, 95));
	if (size)
		dst[size - 1] = '\0';
}

void *vkr_fill_alloc(struct vkr_fill *f, size_t elem_size, uint64_t count)
{
	void *p = vkr_arena_alloc_array(f->arena, elem_size, count ? count : 1);
	if (!p) {
		fprintf(stderr, "vkr_fill: arena exhausted\n");
		abort();
	}
	return p;
}

const char *vkr_fill_string(struct vkr_fill *f, bool nullable)
{
	if (nullable && vkr_fill_small(f, 4) == 0)
		return NULL;
	const uint32_t len = vkr_fill_small(f, 13);
	char *s = vkr_fill_alloc(f, 1, len + 1);
	for (uint32_t i = 0; i < len; i++)
		s[i] = (char)('a' + vkr_fill_small(f, 26));
	return s;
}

void *vkr_fill_blob(struct vkr_fill *f, uint64_t size, bool nullable)
{
	if (!size || (nullable && vkr_fill_coin(f)))
		return NULL;
	void *p = vkr_fill_alloc(f, 1, size);
	vkr_fill_bits(f, p, (size_t)size);
	return p;
}

void vkr_fill_chain(struct vkr_fill *f, const struct vkr_fill_chain_entry *table, uint32_t count,
                    void **pnext)
{
	VkBaseOutStructure *head = NULL;
	VkBaseOutStructure **link = &head;
	bool used[VKR_CS_MAX_CHAIN] = {false};
	const uint32_t want = count ? vkr_fill_small(f, 4) : 0;

	for (uint32_t k = 0; k < want + 1; k++) {
		if (vkr_fill_small(f, 8) < f->alien_chance) {
			VkBaseOutStructure *alien = vkr_fill_alloc(f, sizeof(*alien), 1);
			alien->sType = VKR_TEST_ALIEN_STYPE;
			*link = alien;
			link = &alien->pNext;
		}
		if (k == want || count > VKR_CS_MAX_CHAIN)
			break;
		const uint32_t i = vkr_fill_small(f, count);
		if (used[i])
			continue;
		used[i] = true;
		VkBaseOutStructure *s = vkr_fill_alloc(f, table[i].size, 1);
		s->sType = (VkStructureType)table[i].stype;
		table[i].self(f, s);
		*link = s;
		link = &s->pNext;
	}
	*link = NULL;
	*pnext = head;
}

bool vkr_cmp_string(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool vkr_cmp_blob(const void *a, const void *b, uint64_t size, bool partial)
{
	const bool present = a && size;
	if (present != (b != NULL))
		return false;
	return !present || partial || memcmp(a, b, (size_t)size) == 0;
}

static bool vkr_chain_known(const struct vkr_cmp_chain_entry *table, uint32_t count, int32_t stype,
                            const struct vkr_cmp_chain_entry **entry)
{
	for (uint32_t i = 0; i < count; i++) {
		if (table[i].stype == stype) {
			*entry = &table[i];
			return true;
		}
	}
	return false;
}

bool vkr_cmp_chain(struct vkr_cmp *c, const struct vkr_cmp_chain_entry *table, uint32_t count,
                   const void *a, const void *b)
{
	const VkBaseInStructure *sb = b;
	for (const VkBaseInStructure *sa = a; sa; sa = sa->pNext) {
		const struct vkr_cmp_chain_entry *entry;
		if (!vkr_chain_known(table, count, (int32_t)sa->sType, &entry))
			continue;
		if (!sb || sb->sType != sa->sType)
			return vkr_cmp_fail(c, "pNext chain");
		if (!entry->self(c, sa, sb))
			return false;
		sb = sb->pNext;
	}
	return sb ? vkr_cmp_fail(c, "pNext chain (extra struct)") : true;
}
