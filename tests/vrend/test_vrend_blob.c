/* SPDX-License-Identifier: MIT */
/*
 * vrend HOST3D blobs (vrend/blob.c): PIPE_RESOURCE_CREATE + a HOST3D blob with
 * that blob_id give a buffer resource whose GL storage is the memory the guest
 * maps. Checked both ways with values read back: guest writes to the mapping
 * are what GL copies and draws from, GL writes land in the mapping after a
 * fence. Plus hostile descriptions and blob ids.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decode.h"
#include "protocol.h"
#include "vctx_harness.h"

#define PAGE 4096u
#define BLOB_RES 50u

static void pipe_resource_create(struct vh_cb *cb, uint32_t target, uint32_t width, uint32_t flags,
                                 uint32_t blob_id)
{
	vh_cmd(cb, VREND_CCMD_PIPE_RESOURCE_CREATE, 0, 11);
	vh_dw(cb, target);
	vh_dw(cb, 49); /* Mesa's PIPE_FORMAT_R8_UNORM, as the client sends it */
	vh_dw(cb, VGN_BIND_VERTEX_BUFFER | VGN_BIND_CONSTANT_BUFFER);
	vh_dw(cb, width);
	vh_dw(cb, 1);
	vh_dw(cb, 1);
	vh_dw(cb, 1);
	vh_dw(cb, 0);
	vh_dw(cb, 0);
	vh_dw(cb, flags);
	vh_dw(cb, blob_id);
}

static int create_blob(struct vh *h, uint32_t ctx_id, uint32_t res_id, uint64_t blob_id,
                       uint64_t size)
{
	struct vgn_blob_params p = {
	    .size = sizeof(p),
	    .ctx_id = ctx_id,
	    .blob_mem = VGN_BLOB_MEM_HOST3D,
	    .blob_flags = VGN_BLOB_FLAG_MAPPABLE,
	    .blob_id = blob_id,
	    .blob_size = size,
	};
	return vgn_resource_create_blob(h->r, res_id, &p);
}

/* Context 1 with a mapped blob buffer of `size` bytes (res BLOB_RES). */
static uint8_t *setup_blob(struct vh *h, uint32_t size)
{
	struct vh_cb cb;
	void *ptr = NULL;
	uint64_t len = 0;

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	vh_cb_init(&cb);
	pipe_resource_create(&cb, 0, size, 6, 7);
	ck_assert_msg(vh_submit(h, 1, &cb) == 0, "%s", vrend_decoder_error(vh_decoder(h, 1)));
	vh_cb_fini(&cb);
	ck_assert_int_eq(create_blob(h, 1, BLOB_RES, 7, size), 0);
	ck_assert_int_eq(vgn_resource_map(h->r, BLOB_RES, &ptr, &len), 0);
	ck_assert_uint_eq(len, size);
	return ptr;
}

static void copy_region(struct vh_cb *cb, uint32_t dst, uint32_t dx, uint32_t src, uint32_t sx,
                        uint32_t w)
{
	const uint32_t a[13] = {dst, 0, dx, 0, 0, src, 0, sx, 0, 0, w, 1, 1};

	vh_cmd(cb, VREND_CCMD_RESOURCE_COPY_REGION, 0, 13);
	for (int i = 0; i < 13; i++)
		vh_dw(cb, a[i]);
}

static void fence_wait(struct vh *h, uint32_t ctx_id, uint64_t id)
{
	uint64_t done = 0;

	ck_assert_int_eq(vgn_context_create_fence(h->r, ctx_id, 0, id), 0);
	for (int i = 0; i < 5000 && done < id; i++) {
		vh_poll(h);
		ck_assert_int_eq(vgn_context_get_retired_fence(h->r, ctx_id, 0, &done), 0);
		if (done < id)
			usleep(1000);
	}
	ck_assert_uint_ge(done, id);
}

/* Fresh blob memory is zero, cached, exported as shm of the blob's size. */
START_TEST(fresh_blob_is_zero_and_exportable)
{
	struct vh *h = vh_create();
	uint8_t *m = setup_blob(h, 4 * PAGE);
	uint32_t cache = 99;

	for (uint32_t i = 0; i < 4 * PAGE; i++)
		ck_assert_uint_eq(m[i], 0);
	ck_assert_int_eq(vgn_resource_map_info(h->r, BLOB_RES, &cache), 0);
	ck_assert_uint_eq(cache, VGN_MAP_CACHE_CACHED);
	struct vgn_export ex = {.size = sizeof(ex)};
	ck_assert_int_eq(vgn_resource_export(h->r, BLOB_RES, &ex), 0);
	ck_assert_uint_eq(ex.handle_type, VGN_HANDLE_TYPE_SHM);
	struct stat st;
	ck_assert_int_eq(fstat(ex.fd, &st), 0);
	ck_assert_int_ge(st.st_size, 4 * PAGE);
	close(ex.fd);
	ck_assert_int_eq(vgn_resource_unmap(h->r, BLOB_RES), 0);
	ck_assert_int_eq(vgn_resource_unref(h->r, BLOB_RES), 0);
	vh_destroy(h);
}
END_TEST

/* Guest writes in the mapping are what GL reads (copy into a classic buffer);
 * GL writes into the blob buffer appear in the mapping after a fence. */
START_TEST(mapping_and_gl_see_the_same_bytes)
{
	struct vh *h = vh_create();
	uint8_t *m = setup_blob(h, PAGE);
	uint8_t out[256], src[256];
	struct vh_cb cb;

	ck_assert_int_eq(vh_buffer(h, 60, 256, VGN_BIND_VERTEX_BUFFER), 0);
	vh_attach(h, 1, 60);
	for (int i = 0; i < 256; i++)
		m[100 + i] = (uint8_t)(i * 7 + 3);
	vh_cb_init(&cb);
	copy_region(&cb, 60, 0, BLOB_RES, 100, 256);
	ck_assert_msg(vh_submit(h, 1, &cb) == 0, "%s", vrend_decoder_error(vh_decoder(h, 1)));
	memset(out, 0, sizeof(out));
	ck_assert_int_eq(vh_read(h, 60, 0, 0, 256, 1, out), 0);
	for (int i = 0; i < 256; i++)
		ck_assert_uint_eq(out[i], (uint8_t)(i * 7 + 3));

	/* Reverse: GL copies new bytes into the blob buffer at offset 2048. */
	for (int i = 0; i < 256; i++)
		src[i] = (uint8_t)(255 - i);
	ck_assert_int_eq(vh_upload(h, 60, src, sizeof(src)), 0);
	vh_cb_reset(&cb);
	copy_region(&cb, BLOB_RES, 2048, 60, 0, 256);
	ck_assert_msg(vh_submit(h, 1, &cb) == 0, "%s", vrend_decoder_error(vh_decoder(h, 1)));
	fence_wait(h, 1, 1);
	ck_assert_int_eq(memcmp(m + 2048, src, sizeof(src)), 0);
	ck_assert_uint_eq(m[2047], 0);
	ck_assert_uint_eq(m[2048 + 256], 0);

	/* And a second guest write is seen again, with no transfer in between. */
	m[100] = 0xab;
	vh_cb_reset(&cb);
	copy_region(&cb, 60, 0, BLOB_RES, 100, 4);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 60, 0, 0, 4, 1, out), 0);
	ck_assert_uint_eq(out[0], 0xab);
	vh_cb_fini(&cb);
	ck_assert_int_eq(vgn_resource_unmap(h->r, BLOB_RES), 0);
	vh_ctx_destroy(h, 1);
	ck_assert_int_eq(vgn_resource_unref(h->r, BLOB_RES), 0);
	vh_destroy(h);
}
END_TEST

static const char vs_pos[] = "VERT\n"
                             "DCL IN[0]\n"
                             "DCL OUT[0], POSITION\n"
                             "  0: MOV OUT[0], IN[0]\n"
                             "  1: END\n";
static const char fs_red[] = "FRAG\n"
                             "PROPERTY FS_COLOR0_WRITES_ALL_CBUFS 1\n"
                             "DCL OUT[0], COLOR\n"
                             "IMM[0] UINT32 {1065353216, 0, 0, 1065353216}\n"
                             "  0: MOV OUT[0], IMM[0]\n"
                             "  1: END\n";

static uint32_t fui(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof(u));
	return u;
}

static void emit(struct vh_cb *cb, uint32_t cmd, uint32_t obj, uint32_t n, const uint32_t *a)
{
	vh_cmd(cb, cmd, obj, n);
	for (uint32_t i = 0; i < n; i++)
		vh_dw(cb, a[i]);
}
#define EMIT(cb, cmd, obj, ...)                                                                    \
	emit(cb, cmd, obj, sizeof((uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t),                   \
	     (uint32_t[]){__VA_ARGS__})

/* A draw reads its vertices straight from the guest's mapping: the triangle
 * written there (no transfer) covers the lower-right half of the target. */
START_TEST(draw_reads_vertices_from_mapping)
{
	struct vh *h = vh_create();
	float *v = (float *)setup_blob(h, PAGE);
	uint32_t px[64 * 64];
	struct vh_cb cb;
	const float tri[3][4] = {{-1, -1, 0, 1}, {1, -1, 0, 1}, {1, 1, 0, 1}};

	ck_assert_int_eq(vh_texture_2d(h, 61, VH_FMT_R8G8B8A8_UNORM, 64, 64,
	                               VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW),
	                 0);
	vh_attach(h, 1, 61);
	memcpy(v, tri, sizeof(tri));
	vh_cb_init(&cb);
	vh_create_shader(&cb, 10, 0, vs_pos);
	vh_bind_shader(&cb, 10, 0);
	vh_create_shader(&cb, 11, 1, fs_red);
	vh_bind_shader(&cb, 11, 1);
	vh_create_surface(&cb, 20, 61, VH_FMT_R8G8B8A8_UNORM, 0, 0, 0);
	vh_set_framebuffer(&cb, 1, (uint32_t[]){20}, 0);
	EMIT(&cb, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_BLEND, 21, 0x4, 0, 0x78000000, 0, 0, 0, 0, 0,
	     0, 0);
	EMIT(&cb, VREND_CCMD_BIND_OBJECT, VREND_OBJ_BLEND, 21);
	EMIT(&cb, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_DSA, 22, 0, 0, 0, 0);
	EMIT(&cb, VREND_CCMD_BIND_OBJECT, VREND_OBJ_DSA, 22);
	EMIT(&cb, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_RASTERIZER, 23, 0x20000002, fui(1.0f), 0, 0,
	     fui(1.0f), 0, 0, 0);
	EMIT(&cb, VREND_CCMD_BIND_OBJECT, VREND_OBJ_RASTERIZER, 23);
	vh_set_viewport(&cb, 64, 64);
	EMIT(&cb, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_VERTEX_ELEMENTS, 24, 0, 0, 0,
	     VH_FMT_R32G32B32A32_FLOAT);
	EMIT(&cb, VREND_CCMD_BIND_OBJECT, VREND_OBJ_VERTEX_ELEMENTS, 24);
	vh_clear_color(&cb, 0.0f, 0.0f, 1.0f, 1.0f);
	EMIT(&cb, VREND_CCMD_SET_VERTEX_BUFFERS, 0, 16, 0, BLOB_RES);
	vh_draw(&cb, 4 /* triangles */, 0, 3);
	ck_assert_msg(vh_submit(h, 1, &cb) == 0, "%s", vrend_decoder_error(vh_decoder(h, 1)));
	ck_assert_int_eq(vh_read(h, 61, 0, 0, 64, 64, px), 0);
	const uint32_t red = 0xff0000ffu, blue = 0xffff0000u; /* RGBA bytes, little endian */
	ck_assert_uint_eq(px[5 * 64 + 50], red);
	ck_assert_uint_eq(px[50 * 64 + 5], blue);

	/* Mirror the triangle in the mapping only: the next draw follows. */
	const float tri2[3][4] = {{-1, -1, 0, 1}, {1, 1, 0, 1}, {-1, 1, 0, 1}};
	memcpy(v, tri2, sizeof(tri2));
	vh_cb_reset(&cb);
	vh_clear_color(&cb, 0.0f, 0.0f, 1.0f, 1.0f);
	vh_draw(&cb, 4, 0, 3);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 61, 0, 0, 64, 64, px), 0);
	ck_assert_uint_eq(px[5 * 64 + 50], blue);
	ck_assert_uint_eq(px[50 * 64 + 5], red);
	vh_cb_fini(&cb);
	ck_assert_int_eq(vgn_resource_unmap(h->r, BLOB_RES), 0);
	vh_ctx_destroy(h, 1);
	ck_assert_int_eq(vgn_resource_unref(h->r, BLOB_RES), 0);
	vh_destroy(h);
}
END_TEST

static int submit_desc(struct vh *h, uint32_t ctx, uint32_t target, uint32_t width, uint32_t flags,
                       uint32_t blob_id)
{
	struct vh_cb cb;

	vh_cb_init(&cb);
	pipe_resource_create(&cb, target, width, flags, blob_id);
	int ret = vh_submit(h, ctx, &cb);
	vh_cb_fini(&cb);
	return ret;
}

/* Bad descriptions kill the context; blob ids nobody described, reused or
 * larger than the blob are refused; the pending table is bounded. */
START_TEST(hostile_descriptions_and_ids)
{
	struct vh *h = vh_create();
	uint32_t ctx = 1;

	/* Each bad description: a fresh context that dies. */
	const uint32_t bad[][4] = {
	    {2, PAGE, 6, 1},    /* a 2D texture */
	    {0, 0, 6, 1},       /* empty */
	    {0, PAGE, 0x80, 1}, /* unknown flag */
	    {0, PAGE, 6, 0},    /* blob_id 0 */
	    {0, 0x80000000u, 6, 1},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++, ctx++) {
		ck_assert_int_eq(vh_ctx_create(h, ctx), 0);
		ck_assert_int_lt(submit_desc(h, ctx, bad[i][0], bad[i][1], bad[i][2], bad[i][3]),
		                 0);
	}

	ck_assert_int_eq(vh_ctx_create(h, ctx), 0);
	/* No description for blob_id 5. */
	ck_assert_int_eq(create_blob(h, ctx, 70, 5, PAGE), -EINVAL);
	ck_assert_int_eq(submit_desc(h, ctx, 0, 2 * PAGE, 6, 5), 0);
	/* Smaller than the described buffer: refused, and the description is used up. */
	ck_assert_int_eq(create_blob(h, ctx, 70, 5, PAGE), -EINVAL);
	ck_assert_int_eq(create_blob(h, ctx, 70, 5, 2 * PAGE), -EINVAL);
	/* Unaligned and huge sizes are the core's (page multiple, budget). */
	ck_assert_int_eq(submit_desc(h, ctx, 0, PAGE, 6, 6), 0);
	ck_assert_int_lt(create_blob(h, ctx, 70, 6, PAGE + 1), 0);
	ck_assert_int_lt(create_blob(h, ctx, 70, 6, UINT64_MAX - PAGE + 1), 0);
	/* Bounded pending table: 64 fine (6 may still be pending), then ENOSPC. */
	int ret = 0;
	uint32_t id;
	for (id = 100; id < 100 + 65 && !(ret = submit_desc(h, ctx, 0, PAGE, 6, id)); id++)
		;
	ck_assert_int_eq(ret, -ENOSPC);
	ck_assert_uint_ge(id, 100 + 63);
	/* Duplicate pending id. */
	ctx++;
	ck_assert_int_eq(vh_ctx_create(h, ctx), 0);
	ck_assert_int_eq(submit_desc(h, ctx, 0, PAGE, 6, 9), 0);
	ck_assert_int_lt(submit_desc(h, ctx, 0, PAGE, 6, 9), 0);
	/* Another context's description is not ours. */
	ctx++;
	ck_assert_int_eq(vh_ctx_create(h, ctx), 0);
	ck_assert_int_eq(create_blob(h, ctx, 71, 9, PAGE), -EINVAL);
	vh_destroy(h);
}
END_TEST

/* Unref while mapped, context gone first: the GL buffer and pages go cleanly
 * (ASan/LSan builds check the rest). */
START_TEST(lifetimes)
{
	struct vh *h = vh_create();
	uint8_t *m = setup_blob(h, 2 * PAGE);

	m[0] = 1;
	vh_ctx_destroy(h, 1);
	ck_assert_int_eq(vgn_resource_unref(h->r, BLOB_RES), 0);
	ck_assert_int_eq(vgn_resource_unmap(h->r, BLOB_RES), -ENOENT);
	/* Pending descriptions die with their context. */
	ck_assert_int_eq(vh_ctx_create(h, 2), 0);
	ck_assert_int_eq(submit_desc(h, 2, 0, PAGE, 6, 1), 0);
	vh_ctx_destroy(h, 2);
	vh_destroy(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vrend_blob");
	TCase *tc = tcase_create("blob");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, fresh_blob_is_zero_and_exportable);
	tcase_add_test(tc, mapping_and_gl_see_the_same_bytes);
	tcase_add_test(tc, draw_reads_vertices_from_mapping);
	tcase_add_test(tc, hostile_descriptions_and_ids);
	tcase_add_test(tc, lifetimes);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
