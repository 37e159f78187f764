/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * Venus command-stream primitives used by the generated protocol code (vkr_proto*.c):
 *  - a per-command arena (every decoded argument lives there until the command is done),
 *  - a bounded reader over a private copy of a guest stream (every read is checked against the
 *    end; counts are checked against what is left before anything is allocated),
 *  - a bounded writer for replies (it cannot write past the reply region).
 * Wire rules: spec/venus.md section 2. Everything is little-endian, 4-byte granular.
 */
#ifndef VKR_CS_H
#define VKR_CS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <vulkan/vulkan_core.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the Venus wire format is little-endian; vkr supports little-endian hosts only"
#endif
_Static_assert(sizeof(void *) == 8,
               "vkr keeps 64-bit object ids in Vulkan handles: 64-bit hosts only");

/* Decoding errors (all fatal for the context, spec 1.14). */
#define VKR_CS_ERR_MALFORMED (-EPROTO) /* truncated stream, bad count, bad tag, unknown sType */
#define VKR_CS_ERR_NOMEM (-ENOMEM)     /* arena cap reached */
#define VKR_CS_ERR_NOSPACE (-ENOBUFS)  /* reply region (or out budget) exhausted */
#define VKR_CS_ERR_UNKNOWN (-ENOTSUP)  /* unknown command type or no handler */
#define VKR_CS_ERR_POLICY (-EPERM)     /* a command the host refuses by policy */

/* Longest pNext chain we accept (Mesa 25.0.7 chains about 70 feature structs at most). */
#define VKR_CS_MAX_CHAIN 256
/* Nesting limit for pNext chains inside structs inside chains. */
#define VKR_CS_MAX_DEPTH 16
/* Default arena cap and out-array budget for commands sent without a reply. */
#define VKR_CS_DEFAULT_ARENA_CAP ((size_t)256 << 20)
#define VKR_CS_OUT_BUDGET_NO_REPLY ((uint64_t)16 << 20)

#define VKR_TRY(expr)                                                                              \
	do {                                                                                       \
		int vkr_try_ret_ = (expr);                                                         \
		if (vkr_try_ret_)                                                                  \
			return vkr_try_ret_;                                                       \
	} while (0)

#define VKR_ID_TO_HANDLE(type, id) ((type)(uintptr_t)(id))
#define VKR_HANDLE_TO_ID(handle) ((uint64_t)(uintptr_t)(handle))

/* -- arena ------------------------------------------------------------------------------------ */

struct vkr_arena_chunk;

struct vkr_arena {
	struct vkr_arena_chunk *chunks; /* newest first */
	size_t used;                    /* bytes handed out since the last reset */
	size_t cap;                     /* limit for used */
	size_t peak;                    /* largest `used` seen (diagnostics, tests) */
};

void vkr_arena_init(struct vkr_arena *arena, size_t cap);
void vkr_arena_fini(struct vkr_arena *arena);
/* Frees everything allocated since the last reset (keeps one chunk for reuse). */
void vkr_arena_reset(struct vkr_arena *arena);
/* Zeroed, 16-byte aligned memory, or NULL when the cap would be exceeded. */
void *vkr_arena_alloc(struct vkr_arena *arena, size_t size);
void *vkr_arena_alloc_array(struct vkr_arena *arena, size_t elem_size, uint64_t count);

/* -- decoder ---------------------------------------------------------------------------------- */

/* How the decoder resolves *input* handles. Without it (tests, driver side) a handle decodes to
 * its object id. Out handles (creation) always decode to the guest-chosen id. */
struct vkr_cs_object_ops {
	/* Called for non-zero ids only. Returns 0 and the host handle, or a negative errno. */
	int (*lookup)(void *data, VkObjectType type, uint64_t id, uint64_t *handle);
};

struct vkr_cs_decoder {
	const uint8_t *cur;
	const uint8_t *end;
	struct vkr_arena *arena;
	const struct vkr_cs_object_ops *objects; /* optional */
	void *objects_data;
	/* Bytes the reply may still take: bounds out arrays, whose requests carry only counts. */
	uint64_t out_budget;
	uint32_t depth;
	int error; /* first error seen, 0 if none */
};

void vkr_cs_decoder_init(struct vkr_cs_decoder *dec, const void *data, size_t size,
                         struct vkr_arena *arena);

static inline int vkr_cs_fail(struct vkr_cs_decoder *dec, int err)
{
	if (!dec->error)
		dec->error = err;
	return err;
}

static inline size_t vkr_cs_remaining(const struct vkr_cs_decoder *dec)
{
	return (size_t)(dec->end - dec->cur);
}

/* Reads `size` bytes and skips the padding up to the next 4-byte boundary. */
static inline int vkr_dec_raw(struct vkr_cs_decoder *dec, void *dst, size_t size)
{
	const size_t left = vkr_cs_remaining(dec);
	if (size > left || ((size + 3) & ~(size_t)3) > left)
		return vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);
	if (size)
		memcpy(dst, dec->cur, size);
	dec->cur += (size + 3) & ~(size_t)3;
	return 0;
}

int vkr_dec_u32(struct vkr_cs_decoder *dec, uint32_t *val);
int vkr_dec_i32(struct vkr_cs_decoder *dec, int32_t *val);
int vkr_dec_u64(struct vkr_cs_decoder *dec, uint64_t *val);
int vkr_dec_i64(struct vkr_cs_decoder *dec, int64_t *val);
int vkr_dec_f32(struct vkr_cs_decoder *dec, float *val);
int vkr_dec_f64(struct vkr_cs_decoder *dec, double *val);
int vkr_dec_size(struct vkr_cs_decoder *dec, size_t *val);

/* 8- and 16-bit scalars take 4 bytes; the value is in the low bytes. */
int vkr_dec_u8(struct vkr_cs_decoder *dec, uint8_t *val);
int vkr_dec_i8(struct vkr_cs_decoder *dec, int8_t *val);
int vkr_dec_u16(struct vkr_cs_decoder *dec, uint16_t *val);
int vkr_dec_i16(struct vkr_cs_decoder *dec, int16_t *val);

/* sType of a struct encoded on its own: must be exactly the expected value. */
int vkr_dec_stype(struct vkr_cs_decoder *dec, int32_t expected);

/* Presence marker of a non-array pointer: 0 or 1; 0 is an error unless `nullable`. */
int vkr_dec_presence(struct vkr_cs_decoder *dec, bool nullable, bool *present);

/* A pointer we never serialize (pAllocator, pUserData): must be encoded as NULL. */
int vkr_dec_null(struct vkr_cs_decoder *dec);

/* Element count of an input array. Zero means NULL, which is an error when the array is required
 * and its length is not zero; otherwise the count must equal `expected`. The elements still to
 * come take at least `min_size` bytes each, so the count is bounded by the bytes left. */
int vkr_dec_count(struct vkr_cs_decoder *dec, uint64_t expected, bool nullable, size_t min_size,
                  uint64_t *count);

/* Element count of an output array (the request carries no element data, or only partial
 * data): as vkr_dec_count, but bounded by the reply budget, `reply_size` bytes per element. */
int vkr_dec_out_count(struct vkr_cs_decoder *dec, uint64_t expected, bool nullable, size_t min_size,
                      size_t reply_size, uint64_t *count);

/* Count of a fixed-size array: always the full size (spec 2.4). */
int vkr_dec_fixed_count(struct vkr_cs_decoder *dec, uint64_t size);

static inline void *vkr_dec_alloc(struct vkr_cs_decoder *dec, size_t elem_size, uint64_t count)
{
	void *p = vkr_arena_alloc_array(dec->arena, elem_size, count);
	if (!p)
		vkr_cs_fail(dec, VKR_CS_ERR_NOMEM);
	return p;
}

/* Bulk-decoded scalar arrays (elements already counted by vkr_dec_count). */
int vkr_dec_array32(struct vkr_cs_decoder *dec, void *dst, uint64_t count);
int vkr_dec_array64(struct vkr_cs_decoder *dec, void *dst, uint64_t count);

/* Handles: u64 object ids. Input handles go through the object table when there is one. */
int vkr_dec_handle(struct vkr_cs_decoder *dec, VkObjectType type, uint64_t *handle);
/* Same for a handle the spec does not allow to be VK_NULL_HANDLE: id 0 is malformed. */
int vkr_dec_handle_required(struct vkr_cs_decoder *dec, VkObjectType type, uint64_t *handle);
int vkr_dec_string(struct vkr_cs_decoder *dec, bool nullable, const char **str);
/* Opaque bytes with a byte count (spec 2.3 blobs). `out`: only the count is on the wire. */
int vkr_dec_blob(struct vkr_cs_decoder *dec, uint64_t expected, bool nullable, bool out,
                 void **data);
/* Fixed-size byte/char arrays: u64 size then the bytes (chars: the last one forced to NUL). */
int vkr_dec_fixed_bytes(struct vkr_cs_decoder *dec, void *dst, size_t size, bool chars);

/* pNext chains (spec 2.5): the table lists the structs allowed for the parent. */
struct vkr_dec_chain_entry {
	int32_t stype;
	uint32_t size;
	int (*self)(struct vkr_cs_decoder *dec, void *val);
	bool allow_duplicate;
};

int vkr_dec_chain(struct vkr_cs_decoder *dec, const struct vkr_dec_chain_entry *table,
                  uint32_t count, void **pnext);

/* -- encoder ---------------------------------------------------------------------------------- */

struct vkr_cs_encoder {
	uint8_t *cur;
	uint8_t *end;
	int error;
};

void vkr_cs_encoder_init(struct vkr_cs_encoder *enc, void *data, size_t size);

static inline size_t vkr_cs_encoder_remaining(const struct vkr_cs_encoder *enc)
{
	return (size_t)(enc->end - enc->cur);
}

/* Writes `size` bytes and zero padding up to the next 4-byte boundary. */
static inline int vkr_enc_raw(struct vkr_cs_encoder *enc, const void *src, size_t size)
{
	const size_t padded = (size + 3) & ~(size_t)3;
	if (size > vkr_cs_encoder_remaining(enc) || padded > vkr_cs_encoder_remaining(enc)) {
		if (!enc->error)
			enc->error = VKR_CS_ERR_NOSPACE;
		return VKR_CS_ERR_NOSPACE;
	}
	if (size)
		memcpy(enc->cur, src, size);
	memset(enc->cur + size, 0, padded - size);
	enc->cur += padded;
	return 0;
}

int vkr_enc_u32(struct vkr_cs_encoder *enc, uint32_t val);
int vkr_enc_i32(struct vkr_cs_encoder *enc, int32_t val);
int vkr_enc_u64(struct vkr_cs_encoder *enc, uint64_t val);
int vkr_enc_i64(struct vkr_cs_encoder *enc, int64_t val);
int vkr_enc_f32(struct vkr_cs_encoder *enc, float val);
int vkr_enc_f64(struct vkr_cs_encoder *enc, double val);

/* 8- and 16-bit scalars take 4 bytes; we write the padding as zeros. */
int vkr_enc_u8(struct vkr_cs_encoder *enc, uint8_t val);
int vkr_enc_i8(struct vkr_cs_encoder *enc, int8_t val);
int vkr_enc_u16(struct vkr_cs_encoder *enc, uint16_t val);
int vkr_enc_i16(struct vkr_cs_encoder *enc, int16_t val);
int vkr_enc_size(struct vkr_cs_encoder *enc, size_t val);
int vkr_enc_array32(struct vkr_cs_encoder *enc, const void *src, uint64_t count);
int vkr_enc_array64(struct vkr_cs_encoder *enc, const void *src, uint64_t count);

/* NULL => u64 0; otherwise u64 (strlen + 1), the bytes with the NUL, zero padding. */
int vkr_enc_string(struct vkr_cs_encoder *enc, const char *str);
/* u64 count, then the bytes (unless `count_only`), zero padding. */
int vkr_enc_blob(struct vkr_cs_encoder *enc, const void *data, uint64_t size, bool count_only);

struct vkr_enc_chain_entry {
	int32_t stype;
	int (*self)(struct vkr_cs_encoder *enc, const void *val);
};

/* Encodes the structs of `pnext` that the table knows (others are skipped, spec 2.5). */
int vkr_enc_chain(struct vkr_cs_encoder *enc, const struct vkr_enc_chain_entry *table,
                  uint32_t count, const void *pnext);

#endif /* VKR_CS_H */
