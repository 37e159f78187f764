/* SPDX-License-Identifier: MIT */
/*
 * One generic u32 id -> pointer hash table (open addressing, linear probing,
 * tombstones, grows by doubling). Not thread-safe: each table is owned by one
 * place, which also owns the lock that guards it. Key 0 is a valid key; NULL is
 * not a valid value.
 */
#ifndef VGN_TABLE_H
#define VGN_TABLE_H

#include <stdbool.h>
#include <stdint.h>

struct vgn_table_slot;

struct vgn_table {
	struct vgn_table_slot *slots;
	uint32_t cap;   /* power of two, 0 before the first insert */
	uint32_t count; /* live entries */
	uint32_t tombs; /* deleted slots still occupying probe chains */
};

void vgn_table_init(struct vgn_table *t);
/* Frees the slot array (not the values). */
void vgn_table_fini(struct vgn_table *t);
/* 0, -EEXIST (key present, nothing changed), -EINVAL (NULL value) or -ENOMEM. */
int vgn_table_insert(struct vgn_table *t, uint32_t key, void *val);
void *vgn_table_get(const struct vgn_table *t, uint32_t key);
/* Returns the removed value, or NULL if the key was absent. */
void *vgn_table_remove(struct vgn_table *t, uint32_t key);
static inline uint32_t vgn_table_count(const struct vgn_table *t)
{
	return t->count;
}
/* Makes room for `extra` more inserts so that they cannot fail: 0 or -ENOMEM. */
int vgn_table_reserve(struct vgn_table *t, uint32_t extra);

/* Iteration: start with *iter = 0; returns false at the end. The table must not be
 * modified during iteration, except by removing the entry just returned. */
bool vgn_table_next(const struct vgn_table *t, uint32_t *iter, uint32_t *key, void **val);

#endif
