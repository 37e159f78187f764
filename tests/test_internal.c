/* SPDX-License-Identifier: MIT */
/* Unit tests of core internals: the id table, the iovec helpers, the format table
 * and the transfer validator (src/table.h, iov.h, format.h, transfer.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "iov.h"
#include "resource.h"
#include "table.h"
#include "test_util.h"
#include "transfer.h"

static uint32_t rng_state;

static uint32_t rnd(void)
{
	uint32_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

/* Values stored in tables: distinct non-NULL pointers derived from the key. */
static void *val_of(uint32_t key)
{
	return (void *)(uintptr_t)(((uint64_t)key << 4) | 8);
}

/* ---- id table ----------------------------------------------------------- */

START_TEST(table_basic)
{
	struct vgn_table t;
	vgn_table_init(&t);
	ck_assert_ptr_null(vgn_table_get(&t, 0));
	ck_assert_ptr_null(vgn_table_remove(&t, 5));
	ck_assert_int_eq(vgn_table_insert(&t, 0, val_of(0)), 0); /* key 0 is a key */
	ck_assert_int_eq(vgn_table_insert(&t, 0xffffffffu, val_of(1)), 0);
	ck_assert_int_eq(vgn_table_insert(&t, 7, NULL), -EINVAL);
	ck_assert_int_eq(vgn_table_insert(&t, 0, val_of(2)), -EEXIST);
	ck_assert_ptr_eq(vgn_table_get(&t, 0), val_of(0));
	ck_assert_ptr_eq(vgn_table_get(&t, 0xffffffffu), val_of(1));
	ck_assert_ptr_null(vgn_table_get(&t, 7));
	ck_assert_uint_eq(vgn_table_count(&t), 2);
	ck_assert_ptr_eq(vgn_table_remove(&t, 0), val_of(0));
	ck_assert_ptr_null(vgn_table_remove(&t, 0));
	ck_assert_ptr_null(vgn_table_get(&t, 0));
	ck_assert_uint_eq(vgn_table_count(&t), 1);
	ck_assert_int_eq(vgn_table_insert(&t, 0, val_of(3)), 0);
	ck_assert_ptr_eq(vgn_table_get(&t, 0), val_of(3));
	vgn_table_fini(&t);
	ck_assert_uint_eq(vgn_table_count(&t), 0);
	ck_assert_ptr_null(vgn_table_get(&t, 0));
}
END_TEST

START_TEST(table_growth)
{
	struct vgn_table t;
	vgn_table_init(&t);
	const uint32_t n = 100000;
	for (uint32_t i = 0; i < n; i++)
		ck_assert_int_eq(vgn_table_insert(&t, i * 2654435761u, val_of(i)), 0);
	ck_assert_uint_eq(vgn_table_count(&t), n);
	ck_assert_uint_ge(t.cap, n + n / 3);
	for (uint32_t i = 0; i < n; i++) {
		ck_assert_ptr_eq(vgn_table_get(&t, i * 2654435761u), val_of(i));
		ck_assert_ptr_null(vgn_table_get(&t, i * 2654435761u + 1));
	}
	vgn_table_fini(&t);
}
END_TEST

START_TEST(table_churn_against_model)
{
	/* Random inserts and removes over 4096 keys, checked against a plain array;
	 * tombstones must not make the table grow without bound. */
	enum { N = 4096 };
	static bool present[N];
	memset(present, 0, sizeof(present));
	struct vgn_table t;
	vgn_table_init(&t);
	rng_state = 12345;
	uint32_t live = 0;
	for (int op = 0; op < 300000; op++) {
		uint32_t k = rnd() % N;
		uint32_t key = k * 40503u + 17;
		if (present[k]) {
			ck_assert_ptr_eq(vgn_table_remove(&t, key), val_of(k));
			present[k] = false;
			live--;
		} else {
			ck_assert_int_eq(vgn_table_insert(&t, key, val_of(k)), 0);
			present[k] = true;
			live++;
		}
		ck_assert_uint_eq(vgn_table_count(&t), live);
		uint32_t probe = rnd() % N;
		void *want = present[probe] ? val_of(probe) : NULL;
		ck_assert_ptr_eq(vgn_table_get(&t, probe * 40503u + 17), want);
	}
	for (uint32_t k = 0; k < N; k++)
		ck_assert_ptr_eq(vgn_table_get(&t, k * 40503u + 17), present[k] ? val_of(k) : NULL);
	ck_assert_uint_le(t.cap, 4 * N);
	ck_assert_uint_lt(t.count + t.tombs, t.cap);
	vgn_table_fini(&t);
}
END_TEST

START_TEST(table_iteration)
{
	struct vgn_table t;
	vgn_table_init(&t);
	uint32_t it = 0, key;
	void *val;
	ck_assert(!vgn_table_next(&t, &it, &key, &val));
	static uint8_t seen[1000];
	memset(seen, 0, sizeof(seen));
	for (uint32_t i = 0; i < 1000; i++)
		ck_assert_int_eq(vgn_table_insert(&t, i * 7, val_of(i)), 0);
	it = 0;
	unsigned n = 0;
	while (vgn_table_next(&t, &it, &key, &val)) {
		ck_assert_uint_eq(key % 7, 0);
		ck_assert_ptr_eq(val, val_of(key / 7));
		seen[key / 7]++;
		n++;
	}
	ck_assert_uint_eq(n, 1000);
	for (uint32_t i = 0; i < 1000; i++)
		ck_assert_uint_eq(seen[i], 1);
	/* Removing the entry just returned is allowed during iteration. */
	it = 0;
	n = 0;
	while (vgn_table_next(&t, &it, &key, NULL)) {
		ck_assert_ptr_eq(vgn_table_remove(&t, key), val_of(key / 7));
		n++;
	}
	ck_assert_uint_eq(n, 1000);
	ck_assert_uint_eq(vgn_table_count(&t), 0);
	vgn_table_fini(&t);
}
END_TEST

START_TEST(table_reserve_means_no_realloc)
{
	struct vgn_table t;
	vgn_table_init(&t);
	ck_assert_int_eq(vgn_table_insert(&t, 1, val_of(1)), 0);
	ck_assert_int_eq(vgn_table_reserve(&t, 500), 0);
	const void *slots = t.slots;
	uint32_t cap = t.cap;
	for (uint32_t i = 2; i < 502; i++)
		ck_assert_int_eq(vgn_table_insert(&t, i, val_of(i)), 0);
	ck_assert_ptr_eq(t.slots, slots);
	ck_assert_uint_eq(t.cap, cap);
	ck_assert_uint_eq(vgn_table_count(&t), 501);
	vgn_table_fini(&t);
}
END_TEST

/* ---- iovec helpers ------------------------------------------------------ */

/* Splits buf (len bytes) into a random iovec list, including empty elements. */
static uint32_t random_iov(uint8_t *buf, size_t len, struct iovec *iov, uint32_t max)
{
	uint32_t n = 0;
	size_t off = 0;
	while (off < len && n < max - 1) {
		size_t piece = rnd() % 4 == 0 ? 0 : 1 + rnd() % 700;
		if (piece > len - off)
			piece = len - off;
		iov[n].iov_base = buf + off;
		iov[n].iov_len = piece;
		off += piece;
		n++;
	}
	iov[n].iov_base = buf + off;
	iov[n].iov_len = len - off;
	return n + 1;
}

START_TEST(iov_validate_rules)
{
	uint8_t b[16];
	struct iovec iov[3] = {{b, 4}, {b + 4, 0}, {b + 4, 12}};
	uint64_t total = 77;
	ck_assert_int_eq(vgn_iov_validate(iov, 3, &total), 0);
	ck_assert_uint_eq(total, 16);
	total = 77;
	ck_assert_int_eq(vgn_iov_validate(NULL, 3, &total), -EINVAL);
	ck_assert_int_eq(vgn_iov_validate(iov, 0, &total), -EINVAL);
	ck_assert_int_eq(vgn_iov_validate(iov, VGN_MAX_IOVS + 1, &total), -EINVAL);
	iov[1].iov_base = NULL;
	ck_assert_int_eq(vgn_iov_validate(iov, 3, &total), -EINVAL);
	iov[1].iov_base = b;
	iov[0].iov_len = SIZE_MAX;
	iov[2].iov_len = 1;
	ck_assert_int_eq(vgn_iov_validate(iov, 3, &total), -EINVAL);
	iov[2].iov_len = 0; /* SIZE_MAX + 0 fits in 64 bits */
	ck_assert_int_eq(vgn_iov_validate(iov, 3, &total), 0);
	ck_assert_uint_eq(total, SIZE_MAX);
}
END_TEST

START_TEST(iov_copies_match_reference)
{
	enum { LEN = 20000 };
	static uint8_t src[LEN], dst[LEN], out[LEN], ref[LEN];
	static struct iovec iov[256];
	rng_state = 777 + (uint32_t)_i;
	vms_pattern_fill(src, LEN, 1);
	for (int round = 0; round < 300; round++) {
		uint32_t n = random_iov(src, LEN, iov, 256);
		uint64_t off = rnd() % LEN;
		size_t len = rnd() % (LEN - off + 1);
		memset(out, 0xee, LEN);
		ck_assert_int_eq(vgn_iov_to_buf(iov, n, off, out, len), 0);
		tmem_expect_eq(out, src + off, len, "to_buf");
		if (len < LEN)
			ck_assert_uint_eq(out[len], 0xee);
		/* from_buf into a second list over dst writes exactly [off, off+len). */
		memset(dst, 0, LEN);
		memset(ref, 0, LEN);
		n = random_iov(dst, LEN, iov, 256);
		vms_pattern_fill(out, len, (uint32_t)round);
		ck_assert_int_eq(vgn_iov_from_buf(iov, n, off, out, len), 0);
		memcpy(ref + off, out, len);
		tmem_expect_eq(dst, ref, LEN, "from_buf");
	}
}
END_TEST

START_TEST(iov_out_of_range_copies_nothing)
{
	uint8_t buf[300], out[64];
	struct iovec iov[3] = {{buf, 100}, {buf + 100, 100}, {buf + 200, 100}};
	vms_pattern_fill(buf, sizeof(buf), 2);
	memset(out, 0xee, sizeof(out));
	ck_assert_int_eq(vgn_iov_to_buf(iov, 3, 250, out, 51), -EINVAL);
	ck_assert_int_eq(vgn_iov_to_buf(iov, 3, 300, out, 1), -EINVAL);
	ck_assert_int_eq(vgn_iov_to_buf(iov, 3, UINT64_MAX, out, 1), -EINVAL);
	ck_assert_int_eq(vgn_iov_to_buf(iov, 3, UINT64_MAX - 5, out, 10), -EINVAL);
	ck_assert_int_eq(vgn_iov_to_buf(iov, 3, 301, out, 0), -EINVAL);
	for (unsigned i = 0; i < sizeof(out); i++)
		ck_assert_uint_eq(out[i], 0xee);
	ck_assert_int_eq(vgn_iov_from_buf(iov, 3, 290, out, 11), -EINVAL);
	ck_assert_int_eq(vgn_iov_from_buf(iov, 3, 1ull << 40, out, 1), -EINVAL);
	for (unsigned i = 0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], vms_pattern(2, i));
	/* The exact end is fine. */
	ck_assert_int_eq(vgn_iov_to_buf(iov, 3, 250, out, 50), 0);
	tmem_expect_eq(out, buf + 250, 50, "tail");
	ck_assert_int_eq(vgn_iov_to_buf(iov, 3, 300, out, 0), 0);
}
END_TEST

START_TEST(iov_cursor_any_order)
{
	enum { LEN = 9000 };
	static uint8_t src[LEN], out[LEN];
	static struct iovec iov[128];
	rng_state = 4242;
	vms_pattern_fill(src, LEN, 3);
	uint32_t n = random_iov(src, LEN, iov, 128);
	struct vgn_iov_cursor c;
	vgn_iov_cursor_init(&c, iov, n);
	/* Rows forwards with gaps, then jumps backwards. */
	for (uint64_t off = 13; off + 100 <= LEN; off += 257) {
		ck_assert_int_eq(vgn_iov_cursor_copy(&c, off, out, 100, 0), 0);
		tmem_expect_eq(out, src + off, 100, "cursor forwards");
	}
	for (int i = 0; i < 200; i++) {
		uint64_t off = rnd() % LEN;
		size_t len = rnd() % (LEN - off + 1);
		ck_assert_int_eq(vgn_iov_cursor_copy(&c, off, out, len, 0), 0);
		tmem_expect_eq(out, src + off, len, "cursor random");
	}
	ck_assert_int_eq(vgn_iov_cursor_copy(&c, LEN - 5, out, 6, 0), -EINVAL);
	ck_assert_int_eq(vgn_iov_cursor_copy(&c, 0, out, 10, 0), 0);
	tmem_expect_eq(out, src, 10, "cursor after failure");
}
END_TEST

/* ---- format table ------------------------------------------------------- */

START_TEST(format_lookup)
{
	ck_assert_ptr_null(vgn_format_get(0));
	ck_assert_ptr_null(vgn_format_get(100000));
	ck_assert_ptr_null(vgn_format_get(0xffffffffu));
	const struct vgn_format *f = vgn_format_get(VGN_FORMAT_B8G8R8A8_UNORM);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->name, "B8G8R8A8_UNORM");
	ck_assert_uint_eq(f->block_w, 1);
	ck_assert_uint_eq(f->block_h, 1);
	ck_assert_uint_eq(f->block_bytes, 4);
	f = vgn_format_get(VGN_FORMAT_B5G6R5_UNORM);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->block_bytes, 2);
	f = vgn_format_get(VGN_FORMAT_R8_UNORM);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->block_bytes, 1);
	f = vgn_format_get(106); /* DXT1_RGBA */
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->block_w, 4);
	ck_assert_uint_eq(f->block_h, 4);
	ck_assert_uint_eq(f->block_bytes, 8);
	ck_assert_uint_ne(f->flags & VGN_FMT_COMPRESSED, 0);
	f = vgn_format_get(166); /* NV12 */
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_ne(f->flags & VGN_FMT_UNSUPPORTED, 0);
}
END_TEST

START_TEST(format_table_consistent)
{
	unsigned known = 0;
	for (uint32_t id = 0; id < 2048; id++) {
		const struct vgn_format *f = vgn_format_get(id);
		if (!f)
			continue;
		known++;
		ck_assert_ptr_nonnull(f->name);
		if (f->flags & VGN_FMT_UNSUPPORTED)
			continue;
		ck_assert_msg(f->block_w >= 1 && f->block_h >= 1 && f->block_bytes >= 1,
		              "format %u (%s) has an empty block", id, f->name);
		if (f->flags & VGN_FMT_COMPRESSED)
			ck_assert_msg(f->block_w * f->block_h > 1, "%s: compressed 1x1", f->name);
		if (f->flags & VGN_FMT_SUBSAMPLED)
			ck_assert_msg(f->block_w == 2 && f->block_h == 1, "%s", f->name);
		if (!(f->flags & (VGN_FMT_COMPRESSED | VGN_FMT_SUBSAMPLED)) && f->block_w == 1)
			ck_assert_uint_eq(f->block_h, 1);
	}
	ck_assert_uint_gt(known, 100);
}
END_TEST

/* ---- transfer validator ------------------------------------------------- */

static struct vgn_resource_create_params cp(uint32_t target, uint32_t format, uint32_t w,
                                            uint32_t h, uint32_t d, uint32_t a, uint32_t ll)
{
	struct vgn_resource_create_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.target = target;
	p.format = format;
	p.width = w;
	p.height = h;
	p.depth = d;
	p.array_size = a;
	p.last_level = ll;
	return p;
}

START_TEST(level_extent)
{
	uint32_t w, h, s;
	struct vgn_resource_create_params p = cp(VGN_TARGET_2D, 1, 100, 30, 1, 1, 6);
	vgn_level_extent(&p, 0, &w, &h, &s);
	ck_assert(w == 100 && h == 30 && s == 1);
	vgn_level_extent(&p, 3, &w, &h, &s);
	ck_assert(w == 12 && h == 3 && s == 1);
	vgn_level_extent(&p, 6, &w, &h, &s);
	ck_assert(w == 1 && h == 1 && s == 1);
	p = cp(VGN_TARGET_3D, 1, 16, 8, 32, 1, 5);
	vgn_level_extent(&p, 4, &w, &h, &s);
	ck_assert(w == 1 && h == 1 && s == 2);
	p = cp(VGN_TARGET_CUBE, 1, 8, 8, 1, 6, 0);
	vgn_level_extent(&p, 0, &w, &h, &s);
	ck_assert_uint_eq(s, 6);
	p = cp(VGN_TARGET_2D_ARRAY, 1, 8, 8, 1, 9, 2);
	vgn_level_extent(&p, 2, &w, &h, &s);
	ck_assert(w == 2 && h == 2 && s == 9);
	p = cp(VGN_TARGET_1D_ARRAY, 1, 64, 1, 1, 3, 0);
	vgn_level_extent(&p, 0, &w, &h, &s);
	ck_assert(w == 64 && h == 1 && s == 3);
}
END_TEST

START_TEST(layout_size)
{
	const struct vgn_format *bgra = vgn_format_get(1), *dxt = vgn_format_get(106);
	uint64_t size = 0;
	struct vgn_resource_create_params p = cp(VGN_TARGET_2D, 1, 4, 4, 1, 1, 2);
	ck_assert_int_eq(vgn_layout_size(&p, bgra, &size), 0);
	ck_assert_uint_eq(size, 64 + 16 + 4);
	p = cp(VGN_TARGET_2D, 106, 10, 6, 1, 1, 0);
	ck_assert_int_eq(vgn_layout_size(&p, dxt, &size), 0);
	ck_assert_uint_eq(size, 3 * 2 * 8);
	p = cp(VGN_TARGET_3D, 1, 4, 4, 4, 1, 2);
	ck_assert_int_eq(vgn_layout_size(&p, bgra, &size), 0);
	ck_assert_uint_eq(size, 256 + 32 + 4);
	p = cp(VGN_TARGET_CUBE, 1, 8, 8, 1, 6, 1);
	ck_assert_int_eq(vgn_layout_size(&p, bgra, &size), 0);
	ck_assert_uint_eq(size, (256 + 64) * 6);
	p = cp(VGN_TARGET_BUFFER, 1, 100, 1, 1, 1, 0); /* buffers are bytes */
	ck_assert_int_eq(vgn_layout_size(&p, bgra, &size), 0);
	ck_assert_uint_eq(size, 100);
	p = cp(VGN_TARGET_2D, 1, 8, 8, 1, 1, 0);
	p.nr_samples = 4;
	ck_assert_int_eq(vgn_layout_size(&p, bgra, &size), 0);
	ck_assert_uint_eq(size, 8 * 8 * 4 * 4);
	size = 12345;
	p = cp(VGN_TARGET_2D_ARRAY, 27, 0xffffffffu, 0xffffffffu, 1, 0xffffffffu, 0);
	ck_assert_int_eq(vgn_layout_size(&p, vgn_format_get(27), &size), -EINVAL);
	p = cp(VGN_TARGET_2D, 166, 8, 8, 1, 1, 0);
	ck_assert_int_eq(vgn_layout_size(&p, vgn_format_get(166), &size), -ENOTSUP);
	ck_assert_uint_eq(size, 12345);
}
END_TEST

static struct vgn_resource fake_res(struct vgn_resource_create_params p)
{
	struct vgn_resource r;
	memset(&r, 0, sizeof(r));
	r.create = p;
	r.format = vgn_format_get(p.format);
	return r;
}

static struct vgn_transfer tr(uint32_t level, struct vgn_box box, uint32_t stride,
                              uint32_t layer_stride, uint64_t offset)
{
	struct vgn_transfer t;
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.level = level;
	t.box = box;
	t.stride = stride;
	t.layer_stride = layer_stride;
	t.offset = offset;
	return t;
}

static uint8_t scratch[1];
static const struct iovec one_iov = {scratch, 1};

START_TEST(validate_plan_fields)
{
	struct vgn_resource res = fake_res(cp(VGN_TARGET_3D, 1, 40, 20, 8, 1, 2));
	struct vgn_transfer_plan plan;
	/* Level 1 is 20x10x4: tight stride 80, tight layer 800. */
	struct vgn_transfer t = tr(1, (struct vgn_box){2, 3, 1, 5, 4, 2}, 0, 0, 1000);
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, &one_iov, 1, 1u << 20, &plan), 0);
	ck_assert(plan.to_host);
	ck_assert_uint_eq(plan.level, 1);
	ck_assert_uint_eq(plan.row_bytes, 20);
	ck_assert_uint_eq(plan.rows, 4);
	ck_assert_uint_eq(plan.stride, 80);
	ck_assert_uint_eq(plan.layer_stride, 800);
	ck_assert_uint_eq(plan.offset, 1000);
	ck_assert_uint_eq(plan.span, 800 + 3 * 80 + 20);
	ck_assert_uint_eq(plan.block_bytes, 4);
	/* Explicit strides; the span must fit exactly. */
	t = tr(0, (struct vgn_box){0, 0, 0, 40, 20, 8}, 200, 5000, 7);
	uint64_t span = 7ull * 5000 + 19 * 200 + 160;
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, false, &one_iov, 1, 7 + span, &plan), 0);
	ck_assert_uint_eq(plan.span, span);
	ck_assert(!plan.to_host);
	memset(&plan, 0xab, sizeof(plan));
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, false, &one_iov, 1, 7 + span - 1, &plan),
	                 -EINVAL);
	/* A refused transfer leaves the plan alone. */
	ck_assert_uint_eq(plan.rows, 0xabababab);
	/* A single slice does not care about the layer stride. */
	t = tr(0, (struct vgn_box){0, 0, 0, 40, 20, 1}, 160, 1, 0);
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, &one_iov, 1, 3200, &plan), 0);
}
END_TEST

START_TEST(validate_block_formats)
{
	/* DXT1 10x6: 3x2 blocks of 8 bytes, edge blocks partial. */
	struct vgn_resource res = fake_res(cp(VGN_TARGET_2D, 106, 10, 6, 1, 1, 0));
	struct vgn_transfer_plan plan;
	struct vgn_transfer t = tr(0, (struct vgn_box){0, 0, 0, 10, 6, 1}, 0, 0, 0);
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, &one_iov, 1, 48, &plan), 0);
	ck_assert_uint_eq(plan.row_bytes, 24);
	ck_assert_uint_eq(plan.rows, 2);
	ck_assert_uint_eq(plan.stride, 24);
	ck_assert_uint_eq(plan.span, 48);
	t.box = (struct vgn_box){4, 4, 0, 6, 2, 1}; /* reaches both edges */
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, &one_iov, 1, 48, &plan), 0);
	ck_assert_uint_eq(plan.row_bytes, 16);
	ck_assert_uint_eq(plan.rows, 1);
	t.box = (struct vgn_box){0, 0, 0, 4, 4, 1};
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, &one_iov, 1, 48, &plan), 0);
	static const struct vgn_box bad[] = {
	    {1, 0, 0, 4, 4, 1}, /* x inside a block */
	    {0, 2, 0, 4, 4, 1}, /* y inside a block */
	    {0, 0, 0, 5, 4, 1}, /* w not whole blocks, not at the edge */
	    {0, 0, 0, 4, 3, 1}, /* h likewise */
	};
	for (unsigned i = 0; i < 4; i++) {
		t.box = bad[i];
		ck_assert_msg(vgn_transfer_validate(&res, &t, true, &one_iov, 1, 48, &plan) ==
		                  -EINVAL,
		              "bad block box %u accepted", i);
	}
}
END_TEST

START_TEST(validate_refusals)
{
	struct vgn_resource res = fake_res(cp(VGN_TARGET_2D, 1, 64, 32, 1, 1, 0));
	struct vgn_transfer_plan plan;
	struct vgn_transfer t = tr(0, (struct vgn_box){0, 0, 0, 64, 32, 1}, 0, 0, 0);
	const uint64_t big = UINT64_MAX;
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, NULL, 0, big, &plan), -EINVAL);
	t.box = (struct vgn_box){0xffffffffu, 0, 0, 2, 1, 1};
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, &one_iov, 1, big, &plan), -EINVAL);
	t.box = (struct vgn_box){0, 0, 0, 64, 32, 1};
	t.stride = 0xffffffffu;
	t.offset = UINT64_MAX - 1000; /* offset + span wraps */
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, &one_iov, 1, big, &plan), -EINVAL);
	t.stride = 255;
	t.offset = 0;
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, &one_iov, 1, big, &plan), -EINVAL);
	t.stride = 0;
	t.level = 1;
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, &one_iov, 1, big, &plan), -EINVAL);
	/* Slices closer together than one slice of rows would overlap. */
	res = fake_res(cp(VGN_TARGET_3D, 1, 16, 16, 4, 1, 0));
	t = tr(0, (struct vgn_box){0, 0, 0, 16, 16, 2}, 64, 64 * 16 - 1, 0);
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, &one_iov, 1, big, &plan), -EINVAL);
	t.layer_stride = 64 * 16;
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, &one_iov, 1, big, &plan), 0);
	ck_assert_uint_eq(plan.layer_stride, 1024);
	/* Multisampled resources have no guest layout. */
	struct vgn_resource_create_params p = cp(VGN_TARGET_2D, 1, 8, 8, 1, 1, 0);
	p.nr_samples = 4;
	res = fake_res(p);
	t = tr(0, (struct vgn_box){0, 0, 0, 8, 8, 1}, 0, 0, 0);
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, &one_iov, 1, big, &plan), -EINVAL);
	/* Formats without a layout. */
	res = fake_res(cp(VGN_TARGET_2D, 166, 8, 8, 1, 1, 0));
	ck_assert_int_eq(vgn_transfer_validate(&res, &t, true, &one_iov, 1, big, &plan), -ENOTSUP);
}
END_TEST

static Suite *internal_suite(void)
{
	Suite *s = suite_create("internal");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, table_basic);
	tcase_add_test(tc, table_growth);
	tcase_add_test(tc, table_churn_against_model);
	tcase_add_test(tc, table_iteration);
	tcase_add_test(tc, table_reserve_means_no_realloc);
	suite_add_tcase(s, tc);
	tc = tcase_create("iov");
	tcase_add_test(tc, iov_validate_rules);
	tcase_add_loop_test(tc, iov_copies_match_reference, 0, 3);
	tcase_add_test(tc, iov_out_of_range_copies_nothing);
	tcase_add_test(tc, iov_cursor_any_order);
	suite_add_tcase(s, tc);
	tc = tcase_create("format");
	tcase_add_test(tc, format_lookup);
	tcase_add_test(tc, format_table_consistent);
	suite_add_tcase(s, tc);
	tc = tcase_create("validator");
	tcase_add_test(tc, level_extent);
	tcase_add_test(tc, layout_size);
	tcase_add_test(tc, validate_plan_fields);
	tcase_add_test(tc, validate_block_formats);
	tcase_add_test(tc, validate_refusals);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(internal_suite());
}
