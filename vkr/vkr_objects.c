/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * The per-context object table (spec 1.11): guest-chosen u64 ids <-> host handles, with the
 * object type checked on every lookup. A dense slot array plus two open-addressing indexes
 * (by id, by (type, handle)); removal moves the last slot into the hole.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vkr_context.h"

#define OBJECTS_MAX (1u << 24) /* a guest cannot make us index more than this */

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static uint64_t handle_key(VkObjectType type, uint64_t handle)
{
	return mix(handle ^ ((uint64_t)type << 40));
}

int vkr_objects_init(struct vkr_objects *t, struct vkr_context *ctx, uint32_t limit)
{
	memset(t, 0, sizeof(*t));
	t->ctx = ctx;
	t->limit = limit && limit < OBJECTS_MAX ? limit : OBJECTS_MAX;
	return pthread_mutex_init(&t->lock, NULL) ? -ENOMEM : 0;
}

void vkr_objects_fini(struct vkr_objects *t)
{
	for (uint32_t i = 0; i < t->count; i++)
		if (t->slots[i].extra && t->free_extra)
			t->free_extra(t->ctx, &t->slots[i]);
	free(t->slots);
	free(t->by_id);
	free(t->by_handle);
	pthread_mutex_destroy(&t->lock);
	memset(t, 0, sizeof(*t));
}

/* Index positions: *pos is where the key lives or the empty slot where it would go. */
static bool find_id(const struct vkr_objects *t, uint64_t id, uint32_t *pos)
{
	const uint32_t mask = t->hash_cap - 1;
	for (uint32_t i = (uint32_t)mix(id) & mask;; i = (i + 1) & mask) {
		const uint32_t s = t->by_id[i];
		if (!s || t->slots[s - 1].id == id) {
			*pos = i;
			return s != 0;
		}
	}
}

static bool find_handle(const struct vkr_objects *t, VkObjectType type, uint64_t handle,
                        uint32_t *pos)
{
	const uint32_t mask = t->hash_cap - 1;
	for (uint32_t i = (uint32_t)handle_key(type, handle) & mask;; i = (i + 1) & mask) {
		const uint32_t s = t->by_handle[i];
		if (!s || (t->slots[s - 1].handle == handle && t->slots[s - 1].type == type)) {
			*pos = i;
			return s != 0;
		}
	}
}

static void index_slot(struct vkr_objects *t, uint32_t slot)
{
	uint32_t pos;
	find_id(t, t->slots[slot].id, &pos);
	t->by_id[pos] = slot + 1;
	find_handle(t, t->slots[slot].type, t->slots[slot].handle, &pos);
	t->by_handle[pos] = slot + 1;
}

static int rehash(struct vkr_objects *t, uint32_t hash_cap)
{
	uint32_t *a = calloc(hash_cap, sizeof(*a)), *b = calloc(hash_cap, sizeof(*b));
	if (!a || !b) {
		free(a);
		free(b);
		return -ENOMEM;
	}
	free(t->by_id);
	free(t->by_handle);
	t->by_id = a;
	t->by_handle = b;
	t->hash_cap = hash_cap;
	for (uint32_t i = 0; i < t->count; i++)
		index_slot(t, i);
	return 0;
}

/* Backward-shift deletion keeps the linear probes intact. */
static void unindex(uint32_t *index, uint32_t hash_cap, uint32_t pos,
                    uint64_t (*key_of)(const struct vkr_objects *, uint32_t),
                    const struct vkr_objects *t)
{
	const uint32_t mask = hash_cap - 1;
	index[pos] = 0;
	for (uint32_t i = (pos + 1) & mask; index[i]; i = (i + 1) & mask) {
		const uint32_t s = index[i];
		const uint32_t home = (uint32_t)key_of(t, s - 1) & mask;
		/* may s move into the hole at pos? only if pos lies cyclically in [home, i) */
		if (((i - home) & mask) >= ((i - pos) & mask)) {
			index[pos] = s;
			index[i] = 0;
			pos = i;
		}
	}
}

static uint64_t id_key(const struct vkr_objects *t, uint32_t slot)
{
	return mix(t->slots[slot].id);
}

static uint64_t hkey(const struct vkr_objects *t, uint32_t slot)
{
	return handle_key(t->slots[slot].type, t->slots[slot].handle);
}

static void reindex_slot_number(struct vkr_objects *t, uint32_t from, uint32_t to)
{
	uint32_t pos;
	find_id(t, t->slots[from].id, &pos);
	t->by_id[pos] = to + 1;
	find_handle(t, t->slots[from].type, t->slots[from].handle, &pos);
	t->by_handle[pos] = to + 1;
}

/* Removes slot (lock held); its extra is freed. */
static void remove_slot(struct vkr_objects *t, uint32_t slot)
{
	struct vkr_object obj = t->slots[slot];
	uint32_t pos;
	find_id(t, obj.id, &pos);
	unindex(t->by_id, t->hash_cap, pos, id_key, t);
	find_handle(t, obj.type, obj.handle, &pos);
	unindex(t->by_handle, t->hash_cap, pos, hkey, t);
	const uint32_t last = t->count - 1;
	if (slot != last) {
		reindex_slot_number(t, last, slot);
		t->slots[slot] = t->slots[last];
	}
	t->count--;
	if (obj.extra && t->free_extra)
		t->free_extra(t->ctx, &obj);
}

int vkr_objects_lookup(struct vkr_objects *t, VkObjectType type, uint64_t id, uint64_t *handle,
                       void **extra)
{
	int ret = -ENOENT;
	pthread_mutex_lock(&t->lock);
	uint32_t pos;
	if (t->count && find_id(t, id, &pos)) {
		const struct vkr_object *o = &t->slots[t->by_id[pos] - 1];
		if (o->type == type) {
			*handle = o->handle;
			if (extra)
				*extra = o->extra;
			ret = 0;
		} else {
			ret = -EBADF; /* wrong type */
		}
	}
	pthread_mutex_unlock(&t->lock);
	return ret;
}

uint64_t vkr_objects_id_of(struct vkr_objects *t, VkObjectType type, uint64_t handle)
{
	uint64_t id = 0;
	pthread_mutex_lock(&t->lock);
	uint32_t pos;
	if (t->count && find_handle(t, type, handle, &pos))
		id = t->slots[t->by_handle[pos] - 1].id;
	pthread_mutex_unlock(&t->lock);
	return id;
}

void *vkr_objects_extra_of(struct vkr_objects *t, VkObjectType type, uint64_t handle)
{
	void *extra = NULL;
	pthread_mutex_lock(&t->lock);
	uint32_t pos;
	if (t->count && find_handle(t, type, handle, &pos))
		extra = t->slots[t->by_handle[pos] - 1].extra;
	pthread_mutex_unlock(&t->lock);
	return extra;
}

int vkr_objects_check_new(struct vkr_objects *t, uint64_t id)
{
	if (!id)
		return -EINVAL;
	int ret = 0;
	pthread_mutex_lock(&t->lock);
	uint32_t pos;
	if (t->count && find_id(t, id, &pos))
		ret = -EEXIST;
	else if (t->count >= t->limit)
		ret = -ENOSPC; /* refuse before the host object exists */
	pthread_mutex_unlock(&t->lock);
	return ret;
}

int vkr_objects_add(struct vkr_objects *t, VkObjectType type, uint64_t id, uint64_t handle,
                    uint64_t parent, void *extra)
{
	if (!id || !handle)
		return -EINVAL;
	int ret = 0;
	pthread_mutex_lock(&t->lock);
	uint32_t pos;
	if (t->count && find_id(t, id, &pos)) {
		ret = -EEXIST;
		goto out;
	}
	if (t->count && find_handle(t, type, handle, &pos)) {
		ret = -EEXIST; /* the host handed out a live handle twice: refuse to alias */
		goto out;
	}
	if (t->count >= t->limit) {
		ret = -ENOSPC; /* the context turns fatal (docs/abi.md, max_objects_per_context) */
		goto out;
	}
	if (t->count == t->cap) {
		if (t->cap >= OBJECTS_MAX) {
			ret = -ENOMEM;
			goto out;
		}
		uint32_t cap = t->cap ? t->cap * 2 : 64;
		struct vkr_object *s = realloc(t->slots, sizeof(*s) * cap);
		if (!s) {
			ret = -ENOMEM;
			goto out;
		}
		t->slots = s;
		t->cap = cap;
		ret = rehash(t, cap * 4);
		if (ret)
			goto out;
	}
	t->slots[t->count] = (struct vkr_object){
	    .id = id, .handle = handle, .parent = parent, .type = type, .extra = extra};
	index_slot(t, t->count);
	t->count++;
out:
	pthread_mutex_unlock(&t->lock);
	return ret;
}

static void remove_children_locked(struct vkr_objects *t, uint64_t parent, uint32_t depth)
{
	if (!parent || depth > 4)
		return;
	for (uint32_t i = 0; i < t->count;) {
		if (t->slots[i].parent == parent) {
			const uint64_t h = t->slots[i].handle;
			remove_slot(t, i);
			remove_children_locked(t, h, depth + 1);
			i = 0; /* slots moved */
		} else {
			i++;
		}
	}
}

void vkr_objects_remove(struct vkr_objects *t, VkObjectType type, uint64_t handle)
{
	if (!handle)
		return;
	pthread_mutex_lock(&t->lock);
	uint32_t pos;
	if (t->count && find_handle(t, type, handle, &pos)) {
		remove_slot(t, t->by_handle[pos] - 1);
		remove_children_locked(t, handle, 0);
	}
	pthread_mutex_unlock(&t->lock);
}

void vkr_objects_remove_children(struct vkr_objects *t, uint64_t parent)
{
	pthread_mutex_lock(&t->lock);
	remove_children_locked(t, parent, 0);
	pthread_mutex_unlock(&t->lock);
}
