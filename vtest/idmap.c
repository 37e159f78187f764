/* SPDX-License-Identifier: MIT */
#include "idmap.h"

#include <errno.h>
#include <stdlib.h>

static uint32_t hash_u32(uint32_t k)
{
	k ^= k >> 16;
	k *= 0x7feb352dU;
	k ^= k >> 15;
	k *= 0x846ca68bU;
	k ^= k >> 16;
	return k;
}

void vtest_idmap_init(struct vtest_idmap *m, uint32_t limit)
{
	m->slots = NULL;
	m->cap = 0;
	m->count = 0;
	m->limit = limit;
	m->free_hint = 1;
}

void vtest_idmap_fini(struct vtest_idmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = 0;
	m->count = 0;
	m->free_hint = 1;
}

static struct vtest_idmap_slot *find_slot(const struct vtest_idmap *m, uint32_t key)
{
	uint32_t mask, i;

	if (!m->cap || !key)
		return NULL;
	mask = m->cap - 1;
	for (i = hash_u32(key) & mask;; i = (i + 1) & mask) {
		if (m->slots[i].key == key)
			return &m->slots[i];
		if (!m->slots[i].key)
			return NULL;
	}
}

void *vtest_idmap_get(const struct vtest_idmap *m, uint32_t key)
{
	struct vtest_idmap_slot *s = find_slot(m, key);
	return s ? s->value : NULL;
}

static void put(struct vtest_idmap_slot *slots, uint32_t cap, uint32_t key, void *value)
{
	uint32_t mask = cap - 1, i;

	for (i = hash_u32(key) & mask; slots[i].key; i = (i + 1) & mask)
		;
	slots[i].key = key;
	slots[i].value = value;
}

static int grow(struct vtest_idmap *m)
{
	uint32_t new_cap = m->cap ? m->cap * 2 : 16, i;
	struct vtest_idmap_slot *slots;

	if (new_cap < m->cap)
		return -ENOMEM;
	slots = calloc(new_cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].key)
			put(slots, new_cap, m->slots[i].key, m->slots[i].value);
	}
	free(m->slots);
	m->slots = slots;
	m->cap = new_cap;
	return 0;
}

int vtest_idmap_insert(struct vtest_idmap *m, uint32_t key, void *value)
{
	int ret;

	if (!key)
		return -EINVAL;
	if (find_slot(m, key))
		return -EEXIST;
	if (m->count >= m->limit)
		return -ENOSPC;
	/* Keep the load factor at or below one half. */
	if ((uint64_t)(m->count + 1) * 2 > m->cap) {
		ret = grow(m);
		if (ret)
			return ret;
	}
	put(m->slots, m->cap, key, value);
	m->count++;
	if (key == m->free_hint)
		m->free_hint++;
	return 0;
}

void *vtest_idmap_remove(struct vtest_idmap *m, uint32_t key)
{
	struct vtest_idmap_slot *s = find_slot(m, key);
	uint32_t mask, i, j;
	void *value;

	if (!s)
		return NULL;
	value = s->value;
	mask = m->cap - 1;
	i = (uint32_t)(s - m->slots);
	/* Backward-shift deletion: move later members of the cluster into the hole
	 * when their home slot does not lie cyclically in (i, j]. */
	for (j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
		uint32_t home = hash_u32(m->slots[j].key) & mask;
		bool in_between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (in_between)
			continue;
		m->slots[i] = m->slots[j];
		i = j;
	}
	m->slots[i].key = 0;
	m->slots[i].value = NULL;
	m->count--;
	if (key < m->free_hint)
		m->free_hint = key;
	return value;
}

uint32_t vtest_idmap_smallest_free(const struct vtest_idmap *m)
{
	uint32_t id;

	if (m->count >= m->limit)
		return 0;
	/* Ids below free_hint are all taken; at most count lookups follow. */
	for (id = m->free_hint; id; id++) {
		if (!find_slot(m, id))
			return id;
	}
	return 0;
}

void vtest_idmap_for_each(const struct vtest_idmap *m, void (*fn)(void *value, void *data),
                          void *data)
{
	uint32_t i;

	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].key)
			fn(m->slots[i].value, data);
	}
}
