/* SPDX-License-Identifier: MIT */
/*
 * The per-sub-context object table (virgl-protocol.md §4): guest handles of
 * every object type share one namespace, as Mesa allocates them from one
 * counter. Objects are refcounted; the table holds one reference and every
 * binding holds one, so DESTROY_OBJECT of a bound object never leaves a
 * dangling binding. CREATE_OBJECT and BIND_OBJECT dispatch through tables
 * indexed by object type.
 */
#include <errno.h>
#include <stdlib.h>

#include "decode_internal.h"
#include "vctx.h"

#define VREND_DEFAULT_MAX_OBJECTS (1u << 20)

static uint32_t hash_handle(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	return h;
}

/* Index of handle's slot, or of the empty slot where it would go. Tombstones
 * are avoided by rehashing the run after a removal. */
static uint32_t find_slot(const struct vrend_object_table *t, uint32_t handle)
{
	uint32_t mask = t->cap - 1, i = hash_handle(handle) & mask;

	while (t->slots[i] && t->slots[i]->handle != handle)
		i = (i + 1) & mask;
	return i;
}

static int grow(struct vrend_object_table *t)
{
	uint32_t cap = t->cap ? t->cap * 2 : 64;
	struct vrend_object **old = t->slots;
	uint32_t old_cap = t->cap;

	t->slots = calloc(cap, sizeof(*t->slots));
	if (!t->slots) {
		t->slots = old;
		return -ENOMEM;
	}
	t->cap = cap;
	for (uint32_t i = 0; i < old_cap; i++) {
		if (old[i])
			t->slots[find_slot(t, old[i]->handle)] = old[i];
	}
	free(old);
	return 0;
}

int vrend_obj_insert(struct vrend_sub *sub, struct vrend_object *obj)
{
	struct vrend_object_table *t = &sub->objects;
	uint32_t max = t->max ? t->max : VREND_DEFAULT_MAX_OBJECTS;
	uint32_t i;

	if (obj->handle == 0)
		return -EINVAL;
	if (t->count >= max)
		return -ENOSPC; /* the VMM's max_objects_per_context */
	/* Keep the load factor under 1/2. */
	if ((t->count + 1) * 2 > t->cap && grow(t))
		return -ENOMEM;
	i = find_slot(t, obj->handle);
	if (t->slots[i])
		return -EINVAL;
	t->slots[i] = obj;
	t->count++;
	return 0;
}

struct vrend_object *vrend_obj_lookup(struct vrend_sub *sub, uint32_t handle, uint8_t type)
{
	const struct vrend_object_table *t = &sub->objects;
	struct vrend_object *obj;

	if (!t->cap || handle == 0)
		return NULL;
	obj = t->slots[find_slot(t, handle)];
	return obj && obj->type == type ? obj : NULL;
}

static struct vrend_object *table_remove(struct vrend_object_table *t, uint32_t handle)
{
	uint32_t mask, i, j;
	struct vrend_object *obj;

	if (!t->cap)
		return NULL;
	mask = t->cap - 1;
	i = find_slot(t, handle);
	obj = t->slots[i];
	if (!obj)
		return NULL;
	t->slots[i] = NULL;
	t->count--;
	/* Re-place the rest of the probe run so lookups never stop early. */
	for (j = (i + 1) & mask; t->slots[j]; j = (j + 1) & mask) {
		struct vrend_object *o = t->slots[j];

		t->slots[j] = NULL;
		t->slots[find_slot(t, o->handle)] = o;
	}
	return obj;
}

void vrend_obj_ref(struct vrend_object *obj)
{
	obj->refs++;
}

void vrend_obj_unref(struct vrend_sub *sub, struct vrend_object *obj)
{
	if (obj && --obj->refs == 0)
		obj->destroy(sub, obj);
}

void vrend_obj_assign(struct vrend_sub *sub, struct vrend_object **slot, struct vrend_object *obj)
{
	if (*slot == obj)
		return;
	if (obj)
		vrend_obj_ref(obj);
	vrend_obj_unref(sub, *slot);
	*slot = obj;
}

/* Drops the table's reference on every object (sub-context teardown). */
void vrend_obj_table_fini(struct vrend_sub *sub)
{
	struct vrend_object_table *t = &sub->objects;

	for (uint32_t i = 0; i < t->cap; i++) {
		struct vrend_object *obj = t->slots[i];

		t->slots[i] = NULL;
		vrend_obj_unref(sub, obj);
	}
	free(t->slots);
	t->slots = NULL;
	t->cap = t->count = 0;
}

static const vrend_cmd_handler create_handlers[VREND_OBJ_COUNT] = {
    [VREND_OBJ_BLEND] = vrend_create_blend,
    [VREND_OBJ_RASTERIZER] = vrend_create_rasterizer,
    [VREND_OBJ_DSA] = vrend_create_dsa,
    [VREND_OBJ_SHADER] = vrend_create_shader,
    [VREND_OBJ_VERTEX_ELEMENTS] = vrend_create_vertex_elements,
    [VREND_OBJ_SAMPLER_VIEW] = vrend_create_sampler_view,
    [VREND_OBJ_SAMPLER_STATE] = vrend_create_sampler_state,
    [VREND_OBJ_SURFACE] = vrend_create_surface,
    [VREND_OBJ_QUERY] = vrend_create_query,
    [VREND_OBJ_STREAMOUT_TARGET] = vrend_create_streamout_target,
    [VREND_OBJ_MSAA_SURFACE] = vrend_create_surface,
};

static const vrend_cmd_handler bind_handlers[VREND_OBJ_COUNT] = {
    [VREND_OBJ_BLEND] = vrend_bind_blend,
    [VREND_OBJ_RASTERIZER] = vrend_bind_rasterizer,
    [VREND_OBJ_DSA] = vrend_bind_dsa,
    [VREND_OBJ_VERTEX_ELEMENTS] = vrend_bind_vertex_elements,
};

/* The payload length of CREATE_OBJECT was checked per type by the table's
 * validator; the handle is payload dword 1 for every type. */
VREND_HANDLER(vrend_cmd_create_object)
{
	uint32_t handle = vrend_cmd_get(cmd, 1);

	if (cmd->obj >= VREND_OBJ_COUNT || !create_handlers[cmd->obj])
		return vrend_decoder_fail(dec, cmd, -EINVAL, "object type %u cannot be created",
		                          cmd->obj);
	if (handle == 0)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "object handle 0");
	return create_handlers[cmd->obj](dec, cmd);
}

VREND_HANDLER(vrend_cmd_bind_object)
{
	if (cmd->obj >= VREND_OBJ_COUNT || !bind_handlers[cmd->obj])
		return vrend_decoder_fail(dec, cmd, -EINVAL, "object type %u cannot be bound",
		                          cmd->obj);
	return bind_handlers[cmd->obj](dec, cmd);
}

/* Removing the handle drops the table's reference; bindings keep theirs. */
VREND_HANDLER(vrend_cmd_destroy_object)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1);
	struct vrend_object *obj;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	obj = vrend_obj_lookup(sub, handle, cmd->obj);
	if (!obj)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "no object %u of type %u", handle,
		                          cmd->obj);
	table_remove(&sub->objects, handle);
	vrend_obj_unref(sub, obj);
	return 0;
}
