/* SPDX-License-Identifier: MIT */
/*
 * A small map from non-zero 32-bit ids to pointers (open addressing, linear
 * probing, backward-shift deletion), plus "smallest free id" allocation.
 * Used per connection for resource ids and sync ids.
 */
#ifndef VTEST_IDMAP_H
#define VTEST_IDMAP_H

#include <stdbool.h>
#include <stdint.h>

struct vtest_idmap_slot {
	uint32_t key; /* 0 = empty */
	void *value;
};

struct vtest_idmap {
	struct vtest_idmap_slot *slots;
	uint32_t cap; /* power of two, or 0 */
	uint32_t count;
	uint32_t limit;     /* maximum number of entries */
	uint32_t free_hint; /* every id below it is in use */
};

void vtest_idmap_init(struct vtest_idmap *m, uint32_t limit);
void vtest_idmap_fini(struct vtest_idmap *m);
void *vtest_idmap_get(const struct vtest_idmap *m, uint32_t key);
/* -EINVAL for key 0, -EEXIST, -ENOSPC past the limit, -ENOMEM. */
int vtest_idmap_insert(struct vtest_idmap *m, uint32_t key, void *value);
/* Returns the removed value or NULL. */
void *vtest_idmap_remove(struct vtest_idmap *m, uint32_t key);
/* Smallest id >= 1 not in the map, or 0 when full. */
uint32_t vtest_idmap_smallest_free(const struct vtest_idmap *m);
/* Calls fn for every entry; fn must not modify the map. */
void vtest_idmap_for_each(const struct vtest_idmap *m, void (*fn)(void *value, void *data),
                          void *data);

#endif /* VTEST_IDMAP_H */
