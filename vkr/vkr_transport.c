/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * The Venus transport commands (spec 1.5-1.9, 1.13): reply streams, indirect command streams,
 * ring creation/notification and the ring <-> context ordering commands.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vkr_context.h"

static struct vkr_stream *S(struct vkr_dispatch *d)
{
	return vkr_stream_of(d);
}

/* [offset, offset + size) inside a shm resource of ctx: a new reference, or NULL. */
static struct vkr_shm *region(struct vkr_context *ctx, uint32_t res_id, uint64_t offset,
                              uint64_t size)
{
	struct vkr_shm *shm = vkr_shm_get(ctx, res_id);
	uint64_t end;
	if (!shm)
		return NULL;
	if (__builtin_add_overflow(offset, size, &end) || end > shm->size) {
		vkr_shm_put(shm);
		return NULL;
	}
	return shm;
}

static int set_reply(struct vkr_dispatch *d, struct vkr_cmd_vkSetReplyCommandStreamMESA *a)
{
	struct vkr_stream *s = S(d);
	const VkCommandStreamDescriptionMESA *desc = a->pStream;
	struct vkr_shm *shm = region(s->ctx, desc->resourceId, desc->offset, desc->size);
	if (!shm)
		return -EINVAL;
	if (s->reply_shm)
		vkr_shm_put(s->reply_shm);
	s->reply_shm = shm;
	s->reply_offset = desc->offset;
	s->reply_size = desc->size;
	/* Bounded by the region, not the resource (spec 1.7). */
	vkr_cs_encoder_init(&s->reply, shm->ptr + desc->offset, (size_t)desc->size);
	return 0;
}

static int seek_reply(struct vkr_dispatch *d, struct vkr_cmd_vkSeekReplyCommandStreamMESA *a)
{
	struct vkr_stream *s = S(d);
	if (!s->reply_shm || a->position > s->reply_size)
		return -EINVAL;
	uint8_t *base = s->reply_shm->ptr + s->reply_offset;
	vkr_cs_encoder_init(&s->reply, base + a->position, (size_t)(s->reply_size - a->position));
	return 0;
}

static int execute_streams(struct vkr_dispatch *d, struct vkr_cmd_vkExecuteCommandStreamsMESA *a)
{
	struct vkr_stream *s = S(d);
	if (!a->streamCount || !a->pStreams || s->in_execute)
		return -EINVAL;
	/* The arguments live in the arena, which every nested command resets: copy them. */
	const uint32_t n = a->streamCount;
	VkCommandStreamDescriptionMESA *descs = malloc(sizeof(*descs) * n);
	size_t *pos = a->pReplyPositions ? malloc(sizeof(*pos) * n) : NULL;
	if (!descs || (a->pReplyPositions && !pos)) {
		free(descs);
		free(pos);
		return -ENOMEM;
	}
	memcpy(descs, a->pStreams, sizeof(*descs) * n);
	if (pos)
		memcpy(pos, a->pReplyPositions, sizeof(*pos) * n);

	int ret = 0;
	s->in_execute = true;
	for (uint32_t i = 0; i < n && !ret; i++) {
		if (pos) {
			struct vkr_cmd_vkSeekReplyCommandStreamMESA seek = {.position = pos[i]};
			ret = seek_reply(d, &seek);
			if (ret)
				break;
		}
		if (!descs[i].size)
			continue;
		struct vkr_shm *shm =
		    region(s->ctx, descs[i].resourceId, descs[i].offset, descs[i].size);
		if (!shm || descs[i].size % 4) {
			if (shm)
				vkr_shm_put(shm);
			ret = -EINVAL;
			break;
		}
		/* Guest-writable shared memory: decode a private copy (no TOCTOU). */
		void *copy = malloc(descs[i].size);
		if (!copy) {
			vkr_shm_put(shm);
			ret = -ENOMEM;
			break;
		}
		memcpy(copy, shm->ptr + descs[i].offset, descs[i].size);
		vkr_shm_put(shm);
		ret = vkr_stream_run(s, copy, descs[i].size, NULL, NULL);
		free(copy);
	}
	s->in_execute = false;
	free(descs);
	free(pos);
	return ret;
}

/* -- context-stream-only commands -------------------------------------------------------- */

static int create_ring(struct vkr_dispatch *d, struct vkr_cmd_vkCreateRingMESA *a)
{
	struct vkr_stream *s = S(d);
	if (s->ring)
		return -EPERM;
	return vkr_ring_create(s->ctx, a->ring, a->pCreateInfo);
}

static struct vkr_ring *ctx_ring(struct vkr_stream *s, uint64_t id)
{
	return s->ring ? NULL : vkr_ring_find(s->ctx, id);
}

static int destroy_ring(struct vkr_dispatch *d, struct vkr_cmd_vkDestroyRingMESA *a)
{
	struct vkr_stream *s = S(d);
	struct vkr_ring *ring = ctx_ring(s, a->ring);
	if (!ring)
		return -EINVAL;
	pthread_mutex_lock(&s->ctx->ring_lock);
	pthread_mutex_lock(&s->ctx->monitor_lock);
	for (struct vkr_ring **p = &s->ctx->rings; *p; p = &(*p)->next) {
		if (*p == ring) {
			*p = ring->next;
			break;
		}
	}
	pthread_mutex_unlock(&s->ctx->monitor_lock);
	pthread_mutex_unlock(&s->ctx->ring_lock);
	vkr_ring_destroy(ring);
	return 0;
}

static int notify_ring(struct vkr_dispatch *d, struct vkr_cmd_vkNotifyRingMESA *a)
{
	struct vkr_ring *ring = ctx_ring(S(d), a->ring);
	if (!ring)
		return -EINVAL;
	vkr_ring_notify(ring);
	return 0;
}

static int write_ring_extra(struct vkr_dispatch *d, struct vkr_cmd_vkWriteRingExtraMESA *a)
{
	struct vkr_ring *ring = ctx_ring(S(d), a->ring);
	if (!ring || a->offset > ring->extra_size || ring->extra_size - a->offset < 4 ||
	    a->offset % 4)
		return -EINVAL;
	__atomic_store_n((uint32_t *)(ring->extra + a->offset), a->value, __ATOMIC_RELEASE);
	return 0;
}

static int submit_vq_seqno(struct vkr_dispatch *d, struct vkr_cmd_vkSubmitVirtqueueSeqnoMESA *a)
{
	struct vkr_ring *ring = ctx_ring(S(d), a->ring);
	if (!ring)
		return -EINVAL;
	vkr_ring_submit_vq_seqno(ring, a->seqno);
	return 0;
}

static int wait_ring_seqno(struct vkr_dispatch *d, struct vkr_cmd_vkWaitRingSeqnoMESA *a)
{
	struct vkr_ring *ring = ctx_ring(S(d), a->ring);
	if (!ring)
		return -EINVAL;
	return vkr_ring_wait_seqno(ring, (uint32_t)a->seqno);
}

/* -- ring-only -------------------------------------------------------------------------- */

static int wait_vq_seqno(struct vkr_dispatch *d, struct vkr_cmd_vkWaitVirtqueueSeqnoMESA *a)
{
	struct vkr_stream *s = S(d);
	if (!s->ring)
		return -EPERM;
	return vkr_ring_wait_vq_seqno(s->ring, a->seqno);
}

void vkr_transport_install(struct vkr_dispatch *d)
{
	d->vkSetReplyCommandStreamMESA = set_reply;
	d->vkSeekReplyCommandStreamMESA = seek_reply;
	d->vkExecuteCommandStreamsMESA = execute_streams;
	d->vkCreateRingMESA = create_ring;
	d->vkDestroyRingMESA = destroy_ring;
	d->vkNotifyRingMESA = notify_ring;
	d->vkWriteRingExtraMESA = write_ring_extra;
	d->vkSubmitVirtqueueSeqnoMESA = submit_vq_seqno;
	d->vkWaitVirtqueueSeqnoMESA = wait_vq_seqno;
	d->vkWaitRingSeqnoMESA = wait_ring_seqno;
}
