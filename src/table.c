/* SPDX-License-Identifier: MIT */
#include "table.h"

#include <errno.h>
#include <stdlib.h>

enum { SLOT_EMPTY = 0, SLOT_USED = 1, SLOT_TOMB = 2 };

struct vgn_table_slot {
	uint32_t key;
	uint32_t state;
	void *val;
};

/* Largest capacity: keeps cap * 3 and the slot array size far from overflow. */
#define TABLE_MAX_CAP (1u << 28)

void vgn_table_init(struct vgn_table *t)
{
	t->slots = NULL;
	t->cap = 0;
	t->count = 0;
	t->tombs = 0;
}

void vgn_table_fini(struct vgn_table *t)
{
	free(t->slots);
	vgn_table_init(t);
}

static uint32_t hash_u32(uint32_t k)
{
	/* Murmur3 finaliser: spreads dense VMM-chosen ids over the table. */
	k ^= k >> 16;
	k *= 0x85ebca6bu;
	k ^= k >> 13;
	k *= 0xc2b2ae35u;
	k ^= k >> 16;
	return k;
}

static struct vgn_table_slot *find_slot(const struct vgn_table *t, uint32_t key)
{
	if (!t->cap)
		return NULL;
	uint32_t mask = t->cap - 1;
	for (uint32_t i = hash_u32(key) & mask, n = 0; n < t->cap; i = (i + 1) & mask, n++) {
		struct vgn_table_slot *s = &t->slots[i];
		if (s->state == SLOT_EMPTY)
			return NULL;
		if (s->state == SLOT_USED && s->key == key)
			return s;
	}
	return NULL;
}

static void place(struct vgn_table_slot *slots, uint32_t cap, uint32_t key, void *val)
{
	uint32_t mask = cap - 1;
	uint32_t i = hash_u32(key) & mask;
	while (slots[i].state == SLOT_USED)
		i = (i + 1) & mask;
	slots[i].key = key;
	slots[i].state = SLOT_USED;
	slots[i].val = val;
}

static int rehash(struct vgn_table *t, uint32_t new_cap)
{
	struct vgn_table_slot *ns = calloc(new_cap, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->cap; i++) {
		if (t->slots[i].state == SLOT_USED)
			place(ns, new_cap, t->slots[i].key, t->slots[i].val);
	}
	free(t->slots);
	t->slots = ns;
	t->cap = new_cap;
	t->tombs = 0;
	return 0;
}

/* Ensures (count + extra + tombs) stays under 3/4 of the capacity. */
static int ensure_room(struct vgn_table *t, uint32_t extra)
{
	uint64_t live = (uint64_t)t->count + extra;
	if ((live + t->tombs) * 4 < (uint64_t)t->cap * 3)
		return 0;
	uint64_t cap = t->cap ? t->cap : 16;
	/* Grow only if live entries need it; otherwise rehashing drops the tombstones. */
	while (live * 4 >= cap * 3)
		cap *= 2;
	if (cap > TABLE_MAX_CAP)
		return -ENOMEM;
	return rehash(t, (uint32_t)cap);
}

int vgn_table_reserve(struct vgn_table *t, uint32_t extra)
{
	return ensure_room(t, extra);
}

int vgn_table_insert(struct vgn_table *t, uint32_t key, void *val)
{
	if (!val)
		return -EINVAL;
	if (find_slot(t, key))
		return -EEXIST;
	int ret = ensure_room(t, 1);
	if (ret)
		return ret;
	uint32_t mask = t->cap - 1;
	uint32_t i = hash_u32(key) & mask;
	while (t->slots[i].state == SLOT_USED)
		i = (i + 1) & mask;
	if (t->slots[i].state == SLOT_TOMB)
		t->tombs--;
	t->slots[i].key = key;
	t->slots[i].state = SLOT_USED;
	t->slots[i].val = val;
	t->count++;
	return 0;
}

void *vgn_table_get(const struct vgn_table *t, uint32_t key)
{
	struct vgn_table_slot *s = find_slot(t, key);
	return s ? s->val : NULL;
}

void *vgn_table_remove(struct vgn_table *t, uint32_t key)
{
	struct vgn_table_slot *s = find_slot(t, key);
	if (!s)
		return NULL;
	void *val = s->val;
	s->state = SLOT_TOMB;
	s->val = NULL;
	t->count--;
	t->tombs++;
	if (t->count == 0) {
		/* Empty: every slot can be reused, no probe chain needs the tombstones. */
		for (uint32_t i = 0; i < t->cap; i++)
			t->slots[i].state = SLOT_EMPTY;
		t->tombs = 0;
	}
	return val;
}

bool vgn_table_next(const struct vgn_table *t, uint32_t *iter, uint32_t *key, void **val)
{
	for (uint32_t i = *iter; i < t->cap; i++) {
		if (t->slots[i].state == SLOT_USED) {
			if (key)
				*key = t->slots[i].key;
			if (val)
				*val = t->slots[i].val;
			*iter = i + 1;
			return true;
		}
	}
	*iter = t->cap;
	return false;
}
