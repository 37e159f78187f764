/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 */
#include "vkr_cs.h"

#include <stdlib.h>

#define VKR_ARENA_ALIGN 16
#define VKR_ARENA_MIN_CHUNK ((size_t)16 << 10)

struct vkr_arena_chunk {
	struct vkr_arena_chunk *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	_Alignas(VKR_ARENA_ALIGN) unsigned char data[];
};

void vkr_arena_init(struct vkr_arena *arena, size_t cap)
{
	arena->chunks = NULL;
	arena->used = 0;
	arena->cap = cap;
	arena->peak = 0;
}

void vkr_arena_fini(struct vkr_arena *arena)
{
	struct vkr_arena_chunk *chunk = arena->chunks;
	while (chunk) {
		struct vkr_arena_chunk *next = chunk->next;
		free(chunk);
		chunk = next;
	}
	arena->chunks = NULL;
	arena->used = 0;
}

void vkr_arena_reset(struct vkr_arena *arena)
{
	/* Keep the oldest chunk (the smallest, usually enough for a whole command). */
	struct vkr_arena_chunk *chunk = arena->chunks;
	struct vkr_arena_chunk *keep = NULL;
	while (chunk) {
		struct vkr_arena_chunk *next = chunk->next;
		if (next)
			free(chunk);
		else
			keep = chunk;
		chunk = next;
	}
	if (keep) {
		keep->used = 0;
		keep->next = NULL;
	}
	arena->chunks = keep;
	arena->used = 0;
}

void *vkr_arena_alloc(struct vkr_arena *arena, size_t size)
{
	const size_t rounded = (size + VKR_ARENA_ALIGN - 1) & ~(size_t)(VKR_ARENA_ALIGN - 1);
	if (rounded < size || rounded > arena->cap - arena->used)
		return NULL;

	struct vkr_arena_chunk *chunk = arena->chunks;
	if (!chunk || chunk->size - chunk->used < rounded) {
		size_t chunk_size = VKR_ARENA_MIN_CHUNK;
		if (chunk && chunk->size < SIZE_MAX / 2 && chunk->size * 2 > chunk_size)
			chunk_size = chunk->size * 2;
		if (chunk_size < rounded)
			chunk_size = rounded;
		struct vkr_arena_chunk *fresh = malloc(sizeof(*fresh) + chunk_size);
		if (!fresh)
			return NULL;
		fresh->size = chunk_size;
		fresh->used = 0;
		fresh->next = chunk;
		arena->chunks = fresh;
		chunk = fresh;
	}

	void *p = chunk->data + chunk->used;
	chunk->used += rounded;
	arena->used += rounded;
	if (arena->used > arena->peak)
		arena->peak = arena->used;
	memset(p, 0, size);
	return p;
}

void *vkr_arena_alloc_array(struct vkr_arena *arena, size_t elem_size, uint64_t count)
{
	if (count && elem_size > SIZE_MAX / count)
		return NULL;
	return vkr_arena_alloc(arena, elem_size * (size_t)count);
}

void vkr_cs_decoder_init(struct vkr_cs_decoder *dec, const void *data, size_t size,
                         struct vkr_arena *arena)
{
	dec->cur = data;
	dec->end = dec->cur + size;
	dec->arena = arena;
	dec->objects = NULL;
	dec->objects_data = NULL;
	dec->out_budget = VKR_CS_OUT_BUDGET_NO_REPLY;
	dec->depth = 0;
	dec->error = 0;
}

int vkr_dec_u32(struct vkr_cs_decoder *dec, uint32_t *val)
{
	return vkr_dec_raw(dec, val, 4);
}

int vkr_dec_i32(struct vkr_cs_decoder *dec, int32_t *val)
{
	return vkr_dec_raw(dec, val, 4);
}

int vkr_dec_u64(struct vkr_cs_decoder *dec, uint64_t *val)
{
	return vkr_dec_raw(dec, val, 8);
}

int vkr_dec_i64(struct vkr_cs_decoder *dec, int64_t *val)
{
	return vkr_dec_raw(dec, val, 8);
}

int vkr_dec_f32(struct vkr_cs_decoder *dec, float *val)
{
	return vkr_dec_raw(dec, val, 4);
}

int vkr_dec_f64(struct vkr_cs_decoder *dec, double *val)
{
	return vkr_dec_raw(dec, val, 8);
}

int vkr_dec_size(struct vkr_cs_decoder *dec, size_t *val)
{
	uint64_t v;
	VKR_TRY(vkr_dec_u64(dec, &v));
	*val = (size_t)v;
	return 0;
}

int vkr_dec_u8(struct vkr_cs_decoder *dec, uint8_t *val)
{
	uint32_t v;
	VKR_TRY(vkr_dec_u32(dec, &v));
	*val = (uint8_t)v;
	return 0;
}

int vkr_dec_i8(struct vkr_cs_decoder *dec, int8_t *val)
{
	uint32_t v;
	VKR_TRY(vkr_dec_u32(dec, &v));
	*val = (int8_t)(uint8_t)v;
	return 0;
}

int vkr_dec_u16(struct vkr_cs_decoder *dec, uint16_t *val)
{
	uint32_t v;
	VKR_TRY(vkr_dec_u32(dec, &v));
	*val = (uint16_t)v;
	return 0;
}

int vkr_dec_i16(struct vkr_cs_decoder *dec, int16_t *val)
{
	uint32_t v;
	VKR_TRY(vkr_dec_u32(dec, &v));
	*val = (int16_t)(uint16_t)v;
	return 0;
}

int vkr_dec_stype(struct vkr_cs_decoder *dec, int32_t expected)
{
	int32_t v;
	VKR_TRY(vkr_dec_i32(dec, &v));
	return v == expected ? 0 : vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);
}

int vkr_dec_presence(struct vkr_cs_decoder *dec, bool nullable, bool *present)
{
	uint64_t v;
	VKR_TRY(vkr_dec_u64(dec, &v));
	if (v > 1 || (!v && !nullable))
		return vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);
	*present = v != 0;
	return 0;
}

int vkr_dec_null(struct vkr_cs_decoder *dec)
{
	uint64_t v;
	VKR_TRY(vkr_dec_u64(dec, &v));
	return v ? vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED) : 0;
}

int vkr_dec_count(struct vkr_cs_decoder *dec, uint64_t expected, bool nullable, size_t min_size,
                  uint64_t *count)
{
	uint64_t n;
	VKR_TRY(vkr_dec_u64(dec, &n));
	if (!n) {
		*count = 0;
		return expected && !nullable ? vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED) : 0;
	}
	if (n != expected || (min_size && n > vkr_cs_remaining(dec) / min_size))
		return vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);
	*count = n;
	return 0;
}

int vkr_dec_out_count(struct vkr_cs_decoder *dec, uint64_t expected, bool nullable, size_t min_size,
                      size_t reply_size, uint64_t *count)
{
	VKR_TRY(vkr_dec_count(dec, expected, nullable, min_size, count));
	if (!*count)
		return 0;
	if (reply_size && *count > dec->out_budget / reply_size)
		return vkr_cs_fail(dec, VKR_CS_ERR_NOSPACE);
	dec->out_budget -= *count * reply_size;
	return 0;
}

int vkr_dec_fixed_count(struct vkr_cs_decoder *dec, uint64_t size)
{
	uint64_t n;
	VKR_TRY(vkr_dec_u64(dec, &n));
	return n == size ? 0 : vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);
}

int vkr_dec_array32(struct vkr_cs_decoder *dec, void *dst, uint64_t count)
{
	return vkr_dec_raw(dec, dst, (size_t)count * 4);
}

int vkr_dec_array64(struct vkr_cs_decoder *dec, void *dst, uint64_t count)
{
	return vkr_dec_raw(dec, dst, (size_t)count * 8);
}

int vkr_dec_handle(struct vkr_cs_decoder *dec, VkObjectType type, uint64_t *handle)
{
	uint64_t id;
	VKR_TRY(vkr_dec_u64(dec, &id));
	if (id && dec->objects && dec->objects->lookup) {
		int ret = dec->objects->lookup(dec->objects_data, type, id, handle);
		return ret ? vkr_cs_fail(dec, ret) : 0;
	}
	*handle = id;
	return 0;
}

int vkr_dec_handle_required(struct vkr_cs_decoder *dec, VkObjectType type, uint64_t *handle)
{
	VKR_TRY(vkr_dec_handle(dec, type, handle));
	return *handle ? 0 : vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);
}

int vkr_enc_u32(struct vkr_cs_encoder *enc, uint32_t val)
{
	return vkr_enc_raw(enc, &val, 4);
}

int vkr_enc_i32(struct vkr_cs_encoder *enc, int32_t val)
{
	return vkr_enc_raw(enc, &val, 4);
}

int vkr_enc_u64(struct vkr_cs_encoder *enc, uint64_t val)
{
	return vkr_enc_raw(enc, &val, 8);
}

int vkr_enc_i64(struct vkr_cs_encoder *enc, int64_t val)
{
	return vkr_enc_raw(enc, &val, 8);
}

int vkr_enc_f32(struct vkr_cs_encoder *enc, float val)
{
	return vkr_enc_raw(enc, &val, 4);
}

int vkr_enc_f64(struct vkr_cs_encoder *enc, double val)
{
	return vkr_enc_raw(enc, &val, 8);
}

int vkr_enc_u8(struct vkr_cs_encoder *enc, uint8_t val)
{
	return vkr_enc_u32(enc, val);
}

int vkr_enc_i8(struct vkr_cs_encoder *enc, int8_t val)
{
	return vkr_enc_u32(enc, (uint8_t)val);
}

int vkr_enc_u16(struct vkr_cs_encoder *enc, uint16_t val)
{
	return vkr_enc_u32(enc, val);
}

int vkr_enc_i16(struct vkr_cs_encoder *enc, int16_t val)
{
	return vkr_enc_u32(enc, (uint16_t)val);
}

int vkr_enc_size(struct vkr_cs_encoder *enc, size_t val)
{
	return vkr_enc_u64(enc, (uint64_t)val);
}

int vkr_enc_array32(struct vkr_cs_encoder *enc, const void *src, uint64_t count)
{
	return vkr_enc_raw(enc, src, (size_t)count * 4);
}

int vkr_enc_array64(struct vkr_cs_encoder *enc, const void *src, uint64_t count)
{
	return vkr_enc_raw(enc, src, (size_t)count * 8);
}

int vkr_dec_string(struct vkr_cs_decoder *dec, bool nullable, const char **str)
{
	uint64_t n;
	VKR_TRY(vkr_dec_u64(dec, &n));
	if (!n) {
		*str = NULL;
		return nullable ? 0 : vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);
	}
	if (n > vkr_cs_remaining(dec))
		return vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);
	char *s = vkr_dec_alloc(dec, 1, n);
	if (!s)
		return dec->error;
	VKR_TRY(vkr_dec_raw(dec, s, (size_t)n));
	s[n - 1] = '\0';
	*str = s;
	return 0;
}

int vkr_dec_blob(struct vkr_cs_decoder *dec, uint64_t expected, bool nullable, bool out,
                 void **data)
{
	uint64_t n;
	if (out)
		VKR_TRY(vkr_dec_out_count(dec, expected, nullable, 0, 1, &n));
	else
		VKR_TRY(vkr_dec_count(dec, expected, nullable, 1, &n));
	if (!n) {
		*data = NULL;
		return 0;
	}
	void *p = vkr_dec_alloc(dec, 1, n);
	if (!p)
		return dec->error;
	if (!out)
		VKR_TRY(vkr_dec_raw(dec, p, (size_t)n));
	*data = p;
	return 0;
}

int vkr_dec_fixed_bytes(struct vkr_cs_decoder *dec, void *dst, size_t size, bool chars)
{
	VKR_TRY(vkr_dec_fixed_count(dec, size));
	VKR_TRY(vkr_dec_raw(dec, dst, size));
	if (chars && size)
		((char *)dst)[size - 1] = '\0';
	return 0;
}

static const struct vkr_dec_chain_entry *vkr_chain_lookup(const struct vkr_dec_chain_entry *table,
                                                          uint32_t count, int32_t stype)
{
	for (uint32_t i = 0; i < count; i++) {
		if (table[i].stype == stype)
			return &table[i];
	}
	return NULL;
}

int vkr_dec_chain(struct vkr_cs_decoder *dec, const struct vkr_dec_chain_entry *table,
                  uint32_t count, void **pnext)
{
	VkBaseOutStructure *items[VKR_CS_MAX_CHAIN];
	const struct vkr_dec_chain_entry *kinds[VKR_CS_MAX_CHAIN];
	uint32_t n = 0;

	*pnext = NULL;
	/* Headers first: "1, sType" per struct, then 0. The self members follow, last struct
	 * first (spec 2.5). */
	for (;;) {
		bool present;
		VKR_TRY(vkr_dec_presence(dec, true, &present));
		if (!present)
			break;
		int32_t stype;
		VKR_TRY(vkr_dec_i32(dec, &stype));
		const struct vkr_dec_chain_entry *kind = vkr_chain_lookup(table, count, stype);
		/* Unknown sType: fatal, there is no size to skip by. */
		if (!kind || n == VKR_CS_MAX_CHAIN)
			return vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);
		if (!kind->allow_duplicate) {
			for (uint32_t i = 0; i < n; i++) {
				if (kinds[i] == kind)
					return vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);
			}
		}
		VkBaseOutStructure *item = vkr_dec_alloc(dec, kind->size, 1);
		if (!item)
			return dec->error;
		item->sType = (VkStructureType)stype;
		if (n)
			items[n - 1]->pNext = item;
		else
			*pnext = item;
		items[n] = item;
		kinds[n] = kind;
		n++;
	}

	if (n && dec->depth >= VKR_CS_MAX_DEPTH)
		return vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);
	dec->depth++;
	for (uint32_t i = n; i-- > 0;) {
		int ret = kinds[i]->self(dec, items[i]);
		if (ret) {
			dec->depth--;
			return ret;
		}
	}
	dec->depth--;
	return 0;
}

void vkr_cs_encoder_init(struct vkr_cs_encoder *enc, void *data, size_t size)
{
	enc->cur = data;
	enc->end = size ? enc->cur + size : enc->cur; /* NULL + 0 is undefined in C */
	enc->error = 0;
}

int vkr_enc_string(struct vkr_cs_encoder *enc, const char *str)
{
	if (!str)
		return vkr_enc_u64(enc, 0);
	const size_t size = strlen(str) + 1;
	VKR_TRY(vkr_enc_u64(enc, size));
	return vkr_enc_raw(enc, str, size);
}

int vkr_enc_blob(struct vkr_cs_encoder *enc, const void *data, uint64_t size, bool count_only)
{
	if (!data)
		size = 0;
	VKR_TRY(vkr_enc_u64(enc, size));
	return count_only || !size ? 0 : vkr_enc_raw(enc, data, (size_t)size);
}

int vkr_enc_chain(struct vkr_cs_encoder *enc, const struct vkr_enc_chain_entry *table,
                  uint32_t count, const void *pnext)
{
	const VkBaseInStructure *items[VKR_CS_MAX_CHAIN];
	const struct vkr_enc_chain_entry *kinds[VKR_CS_MAX_CHAIN];
	uint32_t n = 0;

	for (const VkBaseInStructure *s = pnext; s; s = s->pNext) {
		const struct vkr_enc_chain_entry *kind = NULL;
		for (uint32_t i = 0; i < count && !kind; i++) {
			if (table[i].stype == (int32_t)s->sType)
				kind = &table[i];
		}
		if (!kind)
			continue; /* not encodable for this parent: skipped */
		if (n == VKR_CS_MAX_CHAIN) {
			if (!enc->error)
				enc->error = VKR_CS_ERR_NOSPACE;
			return VKR_CS_ERR_NOSPACE;
		}
		items[n] = s;
		kinds[n] = kind;
		n++;
	}
	for (uint32_t i = 0; i < n; i++) {
		VKR_TRY(vkr_enc_u64(enc, 1));
		VKR_TRY(vkr_enc_i32(enc, (int32_t)items[i]->sType));
	}
	VKR_TRY(vkr_enc_u64(enc, 0));
	for (uint32_t i = n; i-- > 0;)
		VKR_TRY(kinds[i]->self(enc, items[i]));
	return 0;
}
