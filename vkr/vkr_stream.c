/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * Command streams: the decode loop shared by the context stream, the rings and
 * vkExecuteCommandStreamsMESA, the object lookup the generated decoders use, and the hooks of
 * the generated pass-through handlers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vkr_context.h"
#include "vkr_pt_hooks.h"

static int lookup(void *data, VkObjectType type, uint64_t id, uint64_t *handle)
{
	struct vkr_context *ctx = data;
	return vkr_objects_lookup(&ctx->objects, type, id, handle, NULL);
}

static const struct vkr_cs_object_ops object_ops = {.lookup = lookup};

void vkr_stream_init(struct vkr_stream *s, struct vkr_context *ctx, struct vkr_ring *ring)
{
	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
	s->ring = ring;
	vkr_arena_init(&s->arena, VKR_CS_DEFAULT_ARENA_CAP);
	vkr_cs_encoder_init(&s->reply, NULL, 0);
	vkr_dispatch_install(&s->dispatch);
	s->dispatch.data = s;
}

void vkr_stream_fini(struct vkr_stream *s)
{
	if (s->reply_shm)
		vkr_shm_put(s->reply_shm);
	s->reply_shm = NULL;
	vkr_arena_fini(&s->arena);
}

int vkr_stream_run(struct vkr_stream *s, const void *data, size_t size,
                   void (*after_each)(void *user, size_t consumed), void *user)
{
	struct vkr_cs_decoder dec;
	vkr_cs_decoder_init(&dec, data, size, &s->arena);
	dec.objects = &object_ops;
	dec.objects_data = s->ctx;
	while (vkr_cs_remaining(&dec)) {
		if (atomic_load(&s->ctx->fatal))
			return -EIO;
		const uint8_t *start = dec.cur;
		uint32_t type = 0;
		if (vkr_cs_remaining(&dec) >= 4)
			memcpy(&type, start, 4);
		int ret = vkr_proto_dispatch(&s->dispatch, &dec, &s->reply);
		if (ret) {
			const struct vkr_proto_command *cmd = vkr_proto_command(type);
			char why[128];
			snprintf(why, sizeof(why), "command %u (%s) at byte %zu: %s", type,
			         cmd ? cmd->name : "unknown",
			         (size_t)(start - (const uint8_t *)data), strerror(-ret));
			vkr_context_fatal(s->ctx, ret, why);
			return ret;
		}
		if (after_each)
			after_each(user, (size_t)(dec.cur - (const uint8_t *)data));
	}
	return 0;
}

void vkr_dispatch_install(struct vkr_dispatch *d)
{
	vkr_pt_install(d);
	vkr_device_install(d);
	vkr_buffer_install(d);
	vkr_transport_install(d);
}

/* -- pass-through hooks -------------------------------------------------------------------- */

struct vkr_procs *vkr_pt_procs(struct vkr_dispatch *dispatch)
{
	struct vkr_context *ctx = vkr_stream_of(dispatch)->ctx;
	return ctx->have_procs ? &ctx->procs : NULL;
}

int vkr_pt_check_new(struct vkr_dispatch *dispatch, uint64_t id)
{
	return vkr_objects_check_new(&vkr_stream_of(dispatch)->ctx->objects, id);
}

int vkr_pt_add(struct vkr_dispatch *dispatch, VkObjectType type, uint64_t id, uint64_t handle,
               uint64_t parent)
{
	struct vkr_context *ctx = vkr_stream_of(dispatch)->ctx;
	int ret = vkr_objects_add(&ctx->objects, type, id, handle, parent, NULL);
	if (ret) /* nothing would ever destroy it: do it now (the context turns fatal) */
		vkr_destroy_untracked(ctx, type, handle, parent);
	return ret;
}

void vkr_pt_remove(struct vkr_dispatch *dispatch, VkObjectType type, uint64_t handle)
{
	vkr_objects_remove(&vkr_stream_of(dispatch)->ctx->objects, type, handle);
}

void vkr_pt_remove_children(struct vkr_dispatch *dispatch, uint64_t handle)
{
	vkr_objects_remove_children(&vkr_stream_of(dispatch)->ctx->objects, handle);
}
