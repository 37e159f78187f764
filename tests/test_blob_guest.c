/* SPDX-License-Identifier: MIT */
/*
 * HOST3D_GUEST blobs through the public API and tests/vmm-sim (docs/abi.md):
 * PIPE_RESOURCE_CREATE describes an object under a blob_id, the blob binds it to
 * a resource id whose guest storage is the blob's pages, and classic transfers
 * move bytes between the pages and the GL object. On llvmpipe: a buffer and a 2D
 * texture, both directions, read back through GL copies into other resources;
 * destroy orders; hostile combinations. Plus every blob type on every backend
 * (GL, Vulkan, CPU2D renderers) and an export -> import round trip.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_util.h"

#define PAGE 4096u
#define BUF_BYTES 6000u      /* not a page multiple */
#define BUF_BLOB (2u * PAGE) /* blob_size of the buffer blob */
#define W 40u
#define H 24u
#define BPP 4u
#define PITCH (W * BPP)
#define IMG (PITCH * H)
#define FMT VGN_FORMAT_B8G8R8A8_UNORM
#define CCMD_COPY_REGION 17u
#define CCMD_TRANSFER3D 43u
#define CCMD_PIPE_RESOURCE_CREATE 48u

static struct vms v;
static uint64_t fence_seq;

static void setup_renderer(uint32_t backends, bool must)
{
	struct vms_options o;
	memset(&o, 0, sizeof(o));
	o.backends = backends;
	o.guest_pages = 1024;
	fence_seq = 0;
	int ret = vms_create(&v, &o);
	if (ret) {
		ck_assert_msg(!must, "vms_create(0x%x): %d", backends, ret);
		fprintf(stderr, "test_blob_guest: backend 0x%x unavailable (%d): cases skipped\n",
		        backends, ret);
		memset(&v, 0, sizeof(v));
	}
}

static void setup_gl(void)
{
	setup_renderer(VGN_BACKEND_GL, false);
	if (!v.r)
		return;
	struct vgn_context_params p = {.size = sizeof(p), .capset_id = VGN_CAPSET_VIRGL2};
	ck_assert_ok(vgn_context_create(v.r, 1, &p));
}

static void teardown(void)
{
	if (v.r)
		vms_destroy(&v);
	memset(&v, 0, sizeof(v));
}

/* Submits n dwords on ctx, then a fence it waits for; the context must live. */
static void submit(uint32_t ctx, const uint32_t *cmd, size_t n)
{
	ck_assert_ok(vgn_context_submit(v.r, ctx, cmd, n * 4));
	fence_seq++;
	ck_assert_ok(vms_fence(&v, ctx, 0, fence_seq));
	ck_assert_ok(vms_wait_fence(&v, ctx, 0, fence_seq, 10000));
	ck_assert_uint_eq(vms_fatal_count(&v), 0);
}

static int describe(uint32_t ctx, uint32_t target, uint32_t format, uint32_t bind, uint32_t w,
                    uint32_t h, uint32_t flags, uint32_t blob_id)
{
	const uint32_t cmd[12] = {(11u << 16) | CCMD_PIPE_RESOURCE_CREATE,
	                          target,
	                          format,
	                          bind,
	                          w,
	                          h,
	                          1,
	                          1,
	                          0,
	                          0,
	                          flags,
	                          blob_id};
	return vgn_context_submit(v.r, ctx, cmd, sizeof(cmd));
}

static struct vgn_blob_params guest_params(uint32_t ctx, uint64_t blob_id, uint64_t size,
                                           const struct vms_backing *b)
{
	struct vgn_blob_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.ctx_id = ctx;
	p.blob_mem = VGN_BLOB_MEM_HOST3D_GUEST;
	p.blob_id = blob_id;
	p.blob_size = size;
	p.iov = b ? b->iov : NULL;
	p.num_iovs = b ? b->num_iovs : 0;
	return p;
}

/* A HOST3D_GUEST blob res_id of size bytes over fresh pages (layout) of ctx 1's
 * object blob_id. */
static void make_guest_blob(uint32_t res_id, uint64_t blob_id, uint64_t size,
                            enum vms_layout layout, struct vms_backing *b)
{
	ck_assert_ok(vms_backing_alloc(&v.guest, size, layout, b));
	vms_backing_fill(&v.guest, b, 0);
	struct vgn_blob_params p = guest_params(1, blob_id, size, b);
	ck_assert_ok(vgn_resource_create_blob(v.r, res_id, &p));
}

static void copy_region(uint32_t dst, uint32_t dx, uint32_t src, uint32_t sx, uint32_t w,
                        uint32_t h)
{
	const uint32_t cmd[14] = {
	    (13u << 16) | CCMD_COPY_REGION, dst, 0, dx, 0, 0, src, 0, sx, 0, 0, w, h, 1};
	submit(1, cmd, 14);
}

/* A classic resource attached to ctx 1 with a fresh backing. */
static void make_classic(uint32_t res_id, uint32_t target, uint32_t w, uint32_t h, size_t len,
                         struct vms_backing *b)
{
	struct vgn_resource_create_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.target = target;
	p.format = target == VGN_TARGET_BUFFER ? VGN_FORMAT_R8_UNORM : FMT;
	p.bind = target == VGN_TARGET_BUFFER ? VGN_BIND_VERTEX_BUFFER
	                                     : VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW;
	p.width = w;
	p.height = h;
	p.depth = 1;
	p.array_size = 1;
	ck_assert_ok(vgn_resource_create(v.r, res_id, &p));
	ck_assert_ok(vms_backing_alloc(&v.guest, len, VMS_SCATTER, b));
	vms_backing_fill(&v.guest, b, 0);
	ck_assert_ok(vms_attach_backing(&v, res_id, b));
	ck_assert_ok(vgn_context_attach_resource(v.r, 1, res_id));
}

static uint8_t *backing_bytes(const struct vms_backing *b, size_t len)
{
	uint8_t *out = malloc(len);
	ck_assert_ptr_nonnull(out);
	vms_backing_read(&v.guest, b, 0, out, len);
	return out;
}

/* ---- llvmpipe: a buffer ---------------------------------------------------- */

START_TEST(gl_buffer_both_directions)
{
	if (!v.r)
		return;
	struct vms_backing gb, cb;
	uint8_t *want = malloc(BUF_BYTES);
	ck_assert_ptr_nonnull(want);
	ck_assert_ok(describe(1, VGN_TARGET_BUFFER, VGN_FORMAT_R8_UNORM, VGN_BIND_VERTEX_BUFFER,
	                      BUF_BYTES, 1, 0, 7));
	make_guest_blob(10, 7, BUF_BLOB, VMS_SCATTER_ODD, &gb);
	struct vgn_resource_info info;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ck_assert_ok(vgn_resource_get_info(v.r, 10, &info));
	ck_assert_uint_eq(info.blob_mem, VGN_BLOB_MEM_HOST3D_GUEST);
	ck_assert_uint_eq(info.blob_size, BUF_BLOB);
	ck_assert_uint_eq(info.target, VGN_TARGET_BUFFER);
	ck_assert_uint_eq(info.width, BUF_BYTES);
	make_classic(11, VGN_TARGET_BUFFER, BUF_BYTES, 1, BUF_BYTES, &cb);

	/* Guest writes its pages, TRANSFER_TO_HOST, GL copies the object into
	 * resource 11, whose bytes come back through its own backing. */
	vms_pattern_fill(want, BUF_BYTES, 5);
	vms_backing_write(&v.guest, &gb, 0, want, BUF_BYTES);
	struct vgn_box all = {0, 0, 0, BUF_BYTES, 1, 1};
	ck_assert_ok(vms_transfer(&v, true, 10, 0, 0, &all, 0, 0, 0));
	copy_region(11, 0, 10, 0, BUF_BYTES, 1);
	ck_assert_ok(vms_transfer(&v, false, 11, 0, 0, &all, 0, 0, 0));
	uint8_t *got = backing_bytes(&cb, BUF_BYTES);
	tmem_expect_eq(got, want, BUF_BYTES, "GL copy of the uploaded blob buffer");
	free(got);

	/* Reverse: GL writes the object (a copy from 11), TRANSFER_FROM_HOST
	 * lands the bytes in the blob's pages, at an offset and through a context. */
	vms_pattern_fill(want, BUF_BYTES, 6);
	vms_backing_write(&v.guest, &cb, 0, want, BUF_BYTES);
	ck_assert_ok(vms_transfer(&v, true, 11, 0, 0, &all, 0, 0, 0));
	copy_region(10, 0, 11, 0, BUF_BYTES, 1);
	vms_backing_fill(&v.guest, &gb, 0);
	struct vgn_box part = {100, 0, 0, 3000, 1, 1};
	ck_assert_ok(vms_transfer(&v, false, 10, 1, 0, &part, 0, 0, 100));
	got = backing_bytes(&gb, BUF_BLOB);
	tmem_expect_eq(got + 100, want + 100, 3000, "blob pages after TRANSFER_FROM_HOST");
	for (size_t i = 0; i < BUF_BLOB; i++) {
		if (i < 100 || i >= 3100)
			ck_assert_msg(got[i] == 0, "byte %zu outside the box was written", i);
	}
	free(got);
	free(want);
	ck_assert_ok(vgn_resource_unref(v.r, 10));
	ck_assert_ok(vgn_resource_unref(v.r, 11));
	vms_backing_free(&v.guest, &gb);
	vms_backing_free(&v.guest, &cb);
}
END_TEST

/* ---- llvmpipe: a 2D texture ------------------------------------------------ */

/* The TRANSFER3D Mesa sends for level 0 of a HOST3D_GUEST 2D texture:
 * explicit stride. */
static void stream_transfer(uint32_t res_id, bool to_host, uint32_t stride)
{
	const uint32_t cmd[14] = {(13u << 16) | CCMD_TRANSFER3D,
	                          res_id,
	                          0,
	                          0,
	                          stride,
	                          0,
	                          0,
	                          0,
	                          0,
	                          W,
	                          H,
	                          1,
	                          0,
	                          to_host ? 1u : 2u};
	submit(1, cmd, 14);
}

START_TEST(gl_texture_both_directions)
{
	if (!v.r)
		return;
	struct vms_backing gb, cb;
	uint8_t *want = malloc(IMG), *got = malloc(IMG);
	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	/* Y_0_TOP like a scanout buffer: the flag reaches the object. */
	ck_assert_ok(describe(1, VGN_TARGET_2D, FMT, VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW,
	                      W, H, VGN_RESOURCE_FLAG_Y_0_TOP, 8));
	make_guest_blob(20, 8, 2 * PAGE, VMS_LINEAR, &gb);
	struct vgn_resource_info info;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ck_assert_ok(vgn_resource_get_info(v.r, 20, &info));
	ck_assert_uint_eq(info.format, FMT);
	ck_assert_uint_eq(info.width, W);
	ck_assert_uint_eq(info.height, H);
	ck_assert_uint_eq(info.strides[0], PITCH);
	ck_assert_uint_eq(info.flags, VGN_RESOURCE_FLAG_Y_0_TOP);

	/* Guest pages -> object (API transfer), read back through GL: scanout
	 * copy-out and a GL copy into a classic texture. */
	vms_pattern_fill(want, IMG, 9);
	vms_backing_write(&v.guest, &gb, 0, want, IMG);
	struct vgn_box all = {0, 0, 0, W, H, 1};
	ck_assert_ok(vms_transfer(&v, true, 20, 0, 0, &all, 0, 0, 0));
	memset(got, 0x11, IMG);
	ck_assert_ok(vms_copy_out(&v, 20, 0, 0, W, H, got, IMG, PITCH));
	tmem_expect_eq(got, want, IMG, "copy-out of the uploaded blob texture");
	make_classic(21, VGN_TARGET_2D, W, H, IMG, &cb);
	copy_region(21, 0, 20, 0, W, H);
	uint8_t *back = tres_read(&v, 21, 0, all, BPP);
	tmem_expect_eq(back, want, IMG, "GL copy of the blob texture");
	free(back);

	/* In-stream, Mesa's way: explicit stride, through the context. */
	vms_pattern_fill(want, IMG, 10);
	vms_backing_write(&v.guest, &gb, 0, want, IMG);
	stream_transfer(20, true, PITCH);
	ck_assert_ok(vms_copy_out(&v, 20, 0, 0, W, H, got, IMG, PITCH));
	tmem_expect_eq(got, want, IMG, "in-stream upload with an explicit stride");

	/* Object -> guest pages: GL writes it (copy from 21), then FROM_HOST, API
	 * and in-stream. */
	vms_pattern_fill(want, IMG, 11);
	tres_write(&v, 21, 0, all, BPP, want);
	copy_region(20, 0, 21, 0, W, H);
	vms_backing_fill(&v.guest, &gb, 0);
	ck_assert_ok(vms_transfer(&v, false, 20, 0, 0, &all, 0, 0, 0));
	back = backing_bytes(&gb, IMG);
	tmem_expect_eq(back, want, IMG, "blob pages after TRANSFER_FROM_HOST");
	free(back);
	vms_backing_fill(&v.guest, &gb, 0);
	stream_transfer(20, false, PITCH);
	back = backing_bytes(&gb, IMG);
	tmem_expect_eq(back, want, IMG, "blob pages after an in-stream readback");
	free(back);
	free(want);
	free(got);
	ck_assert_ok(vgn_resource_unref(v.r, 20));
	ck_assert_ok(vgn_resource_unref(v.r, 21));
	vms_backing_free(&v.guest, &gb);
	vms_backing_free(&v.guest, &cb);
}
END_TEST

/* ---- destroy orders -------------------------------------------------------- */

/* _i 0: the VMM unrefs the blob first, the context still holds the object and
 * uses it, then goes; 1: the context goes first, the VMM still transfers. */
START_TEST(gl_destroy_orders)
{
	if (!v.r)
		return;
	struct vms_backing gb, cb;
	uint8_t want[BUF_BYTES];
	ck_assert_ok(describe(1, VGN_TARGET_BUFFER, 0, 0, BUF_BYTES, 1, 0, 3));
	make_guest_blob(30, 3, BUF_BLOB, VMS_SCATTER, &gb);
	make_classic(31, VGN_TARGET_BUFFER, BUF_BYTES, 1, BUF_BYTES, &cb);
	vms_pattern_fill(want, BUF_BYTES, 12);
	vms_backing_write(&v.guest, &gb, 0, want, BUF_BYTES);
	struct vgn_box all = {0, 0, 0, BUF_BYTES, 1, 1};
	ck_assert_ok(vms_transfer(&v, true, 30, 0, 0, &all, 0, 0, 0));
	if (_i == 0) {
		ck_assert_ok(vgn_resource_unref(v.r, 30));
		/* The pages are the VMM's again: poison them. */
		vms_backing_fill(&v.guest, &gb, 0xee);
		copy_region(31, 0, 30, 0, BUF_BYTES, 1);
		ck_assert_ok(vms_transfer(&v, false, 31, 0, 0, &all, 0, 0, 0));
		uint8_t *got = backing_bytes(&cb, BUF_BYTES);
		tmem_expect_eq(got, want, BUF_BYTES, "object used by its context after unref");
		free(got);
		ck_assert_ok(vgn_context_destroy(v.r, 1));
	} else {
		ck_assert_ok(vgn_context_destroy(v.r, 1));
		vms_backing_fill(&v.guest, &gb, 0);
		ck_assert_ok(vms_transfer(&v, false, 30, 0, 0, &all, 0, 0, 0));
		uint8_t *got = backing_bytes(&gb, BUF_BYTES);
		tmem_expect_eq(got, want, BUF_BYTES, "readback after the context went");
		free(got);
		ck_assert_ok(vgn_resource_unref(v.r, 30));
	}
	ck_assert_rc(vgn_resource_unref(v.r, 30), -ENOENT);
	ck_assert_ok(vgn_resource_unref(v.r, 31));
	vms_backing_free(&v.guest, &gb);
	vms_backing_free(&v.guest, &cb);
}
END_TEST

/* ---- hostile combinations -------------------------------------------------- */

START_TEST(gl_hostile_combinations)
{
	if (!v.r)
		return;
	struct vms_backing b, small;
	ck_assert_ok(vms_backing_alloc(&v.guest, 4 * PAGE, VMS_LINEAR, &b));
	ck_assert_ok(vms_backing_alloc(&v.guest, PAGE, VMS_SCATTER, &small));
	struct vgn_blob_params p;

	/* Parameter checks, before any lookup. */
	p = guest_params(0, 1, PAGE, &b); /* no context */
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -EINVAL);
	p = guest_params(1, 0, PAGE, &b); /* no blob_id */
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -EINVAL);
	p = guest_params(1, 1, 0, &b); /* zero size */
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -EINVAL);
	p = guest_params(1, 1, UINT64_MAX - PAGE + 1, &b); /* near 2^64 */
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -EINVAL);
	p = guest_params(1, 1, 2 * PAGE, &small); /* pages shorter than blob_size */
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -EINVAL);
	p = guest_params(1, 1, PAGE, NULL); /* no pages */
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -EINVAL);
	p = guest_params(1, 1, PAGE, &b); /* the VMM maps nothing of it */
	p.blob_flags = VGN_BLOB_FLAG_MAPPABLE;
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -EINVAL);
	p = guest_params(1, 1, PAGE, &b); /* an fd of guest pages is for GUEST only */
	p.param_flags = VGN_BLOB_PARAM_HAS_FD;
	p.fd = v.guest.memfd;
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -EINVAL);
	p = guest_params(99, 1, PAGE, &b); /* no such context */
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -ENOENT);
	/* blob_id of nothing. */
	p = guest_params(1, 1, PAGE, &b);
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -EINVAL);

	/* The object is larger than the blob: refused, and the description is
	 * used up (one blob per description). */
	ck_assert_ok(describe(1, VGN_TARGET_2D, FMT, VGN_BIND_SAMPLER_VIEW, 64, 64, 0, 2));
	p = guest_params(1, 2, 4 * PAGE - 1, &b);
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -EINVAL);
	p = guest_params(1, 2, 4 * PAGE, &b);
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -EINVAL);
	/* A layout the core refuses (a 2D texture with depth 1 but 0 height). */
	ck_assert_ok(describe(1, VGN_TARGET_2D, FMT, 0, 16, 0, 0, 4));
	p = guest_params(1, 4, PAGE, &b);
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -EINVAL);
	/* A description made for a HOST3D blob (persistent + coherent). */
	uint32_t before = vms_fatal_count(&v);
	ck_assert_ok(describe(1, VGN_TARGET_BUFFER, 0, 0, PAGE, 1, 6, 5));
	p = guest_params(1, 5, PAGE, &b);
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -EINVAL);
	ck_assert_uint_eq(vms_fatal_count(&v), before);

	/* A good one, then everything that does not apply to it. */
	ck_assert_ok(describe(1, VGN_TARGET_2D, FMT, VGN_BIND_SAMPLER_VIEW, 32, 32, 0, 6));
	p = guest_params(1, 6, 4 * PAGE, &b);
	ck_assert_ok(vgn_resource_create_blob(v.r, 40, &p));
	p = guest_params(1, 6, 4 * PAGE, &b); /* the id is taken */
	ck_assert_rc(vgn_resource_create_blob(v.r, 40, &p), -EEXIST);
	p = guest_params(1, 6, 4 * PAGE, &b); /* the description was used */
	ck_assert_rc(vgn_resource_create_blob(v.r, 41, &p), -EINVAL);
	void *ptr = NULL;
	ck_assert_rc(vgn_resource_map(v.r, 40, &ptr, NULL), -EINVAL);
	ck_assert_rc(vgn_resource_map_fixed(v.r, 40, b.linear, 4 * PAGE), -EINVAL);
	ck_assert_rc(vgn_resource_unmap(v.r, 40), -EINVAL);
	uint32_t cache;
	ck_assert_rc(vgn_resource_map_info(v.r, 40, &cache), -EINVAL);
	struct vgn_export ex;
	memset(&ex, 0, sizeof(ex));
	ex.size = sizeof(ex);
	ck_assert_rc(vgn_resource_export(v.r, 40, &ex), -ENOTSUP);
	struct vgn_backing bk = vms_backing_desc(&small);
	ck_assert_rc(vgn_resource_attach_backing(v.r, 40, &bk), -EINVAL);
	ck_assert_rc(vgn_resource_detach_backing(v.r, 40), -EINVAL);
	/* Transfers are validated against the pages like classic ones. */
	struct vgn_box box = {0, 0, 0, 32, 32, 1};
	/* An unaligned offset is fine inside the pages, not past their end. */
	ck_assert_ok(vms_transfer(&v, true, 40, 0, 0, &box, 0, 0, 1));
	ck_assert_rc(vms_transfer(&v, true, 40, 0, 0, &box, 0, 0, 3 * PAGE + 1), -EINVAL);
	ck_assert_rc(vms_transfer(&v, true, 40, 0, 0, &box, 32 * 4 - 1, 0, 0), -EINVAL);
	struct vgn_box odd = {0, 0, 0, 33, 1, 1};
	ck_assert_rc(vms_transfer(&v, true, 40, 0, 0, &odd, 0, 0, 0), -EINVAL);
	ck_assert_rc(vms_transfer(&v, true, 40, 0, 1, &box, 0, 0, 0), -EINVAL); /* level 1 */
	ck_assert_ok(vms_transfer(&v, true, 40, 0, 0, &box, 0, 0, 0));
	ck_assert_uint_eq(vms_fatal_count(&v), before);
	ck_assert_ok(vgn_resource_unref(v.r, 40));
	vms_backing_free(&v.guest, &b);
	vms_backing_free(&v.guest, &small);
}
END_TEST

/* A context described the object, another one cannot bind it. */
START_TEST(gl_foreign_context)
{
	if (!v.r)
		return;
	struct vgn_context_params cp = {.size = sizeof(cp), .capset_id = VGN_CAPSET_VIRGL2};
	ck_assert_ok(vgn_context_create(v.r, 2, &cp));
	ck_assert_ok(describe(1, VGN_TARGET_BUFFER, 0, 0, 100, 1, 0, 9));
	struct vms_backing b;
	ck_assert_ok(vms_backing_alloc(&v.guest, PAGE, VMS_SCATTER, &b));
	struct vgn_blob_params p = guest_params(2, 9, PAGE, &b);
	ck_assert_rc(vgn_resource_create_blob(v.r, 50, &p), -EINVAL);
	p = guest_params(1, 9, PAGE, &b);
	ck_assert_ok(vgn_resource_create_blob(v.r, 50, &p));
	ck_assert_ok(vgn_resource_unref(v.r, 50));
	vms_backing_free(&v.guest, &b);
}
END_TEST

/* ---- every blob type on every backend --------------------------------------- */

/* _i: 0 GL, 1 Vulkan, 2 CPU2D. GUEST: a mapped LINEAR view is the guest's
 * pages; HOST3D (plain memory): map, write, export -> import keeps the bytes;
 * HOST3D_GUEST: only where the context's backend makes objects (GL). */
START_TEST(each_type_each_backend)
{
	static const uint32_t backends[] = {VGN_BACKEND_GL, VGN_BACKEND_VULKAN, VGN_BACKEND_CPU2D};
	static const uint32_t capsets[] = {VGN_CAPSET_VIRGL2, VGN_CAPSET_VENUS, 0};
	setup_renderer(backends[_i], _i == 2);
	if (!v.r)
		return;
	uint32_t ctx = 0;
	if (capsets[_i]) {
		struct vgn_context_params cp = {.size = sizeof(cp), .capset_id = capsets[_i]};
		ck_assert_ok(vgn_context_create(v.r, 1, &cp));
		ctx = 1;
	}

	/* GUEST: the VMM's map of a LINEAR blob is the guest's view. */
	struct vms_backing b;
	ck_assert_ok(vms_backing_alloc(&v.guest, 2 * PAGE, VMS_LINEAR, &b));
	struct vgn_blob_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.ctx_id = ctx;
	p.blob_mem = VGN_BLOB_MEM_GUEST;
	p.blob_flags = VGN_BLOB_FLAG_MAPPABLE;
	p.blob_size = 2 * PAGE;
	p.iov = b.iov;
	p.num_iovs = b.num_iovs;
	ck_assert_ok(vgn_resource_create_blob(v.r, 60, &p));
	uint8_t *m = NULL;
	uint64_t len = 0;
	ck_assert_ok(vgn_resource_map(v.r, 60, (void **)&m, &len));
	ck_assert_uint_eq(len, 2 * PAGE);
	vms_pattern_fill(m, 2 * PAGE, 13);
	uint8_t *got = backing_bytes(&b, 2 * PAGE);
	uint8_t want[2 * PAGE];
	vms_pattern_fill(want, sizeof(want), 13);
	tmem_expect_eq(got, want, sizeof(want), "guest pages written through the map");
	free(got);
	ck_assert_ok(vgn_resource_unmap(v.r, 60));
	ck_assert_rc(vgn_resource_unmap(v.r, 60), -EINVAL); /* double unmap */
	struct vgn_export ex;
	memset(&ex, 0, sizeof(ex));
	ex.size = sizeof(ex);
	ck_assert_rc(vgn_resource_export(v.r, 60, &ex), -ENOTSUP);
	ck_assert_ok(vgn_resource_unref(v.r, 60));

	/* HOST3D plain memory: needs a context. */
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.ctx_id = ctx;
	p.blob_mem = VGN_BLOB_MEM_HOST3D;
	p.blob_flags = VGN_BLOB_FLAG_MAPPABLE | VGN_BLOB_FLAG_SHAREABLE;
	p.blob_size = 3 * PAGE;
	if (!ctx) {
		ck_assert_rc(vgn_resource_create_blob(v.r, 61, &p), -EINVAL);
	} else {
		ck_assert_ok(vgn_resource_create_blob(v.r, 61, &p));
		ck_assert_ok(vgn_resource_map(v.r, 61, (void **)&m, &len));
		vms_pattern_fill(m, 3 * PAGE, 14);
		memset(&ex, 0, sizeof(ex));
		ex.size = sizeof(ex);
		ck_assert_ok(vgn_resource_export(v.r, 61, &ex));
		ck_assert_ok(vgn_resource_import(v.r, 62, &ex));
		close(ex.fd);
		ck_assert_ok(vgn_resource_unref(v.r, 61)); /* the import keeps the memory */
		uint8_t *m2 = NULL;
		ck_assert_ok(vgn_resource_map(v.r, 62, (void **)&m2, &len));
		ck_assert_uint_eq(len, 3 * PAGE);
		for (size_t i = 0; i < 3 * PAGE; i++)
			ck_assert_uint_eq(m2[i], vms_pattern(14, i));
		ck_assert_ok(vgn_resource_unmap(v.r, 62));
		ck_assert_ok(vgn_resource_unref(v.r, 62));
	}

	/* HOST3D_GUEST: offered (features) exactly where it works. */
	struct vgn_features f;
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	ck_assert_ok(vgn_renderer_get_features(v.r, &f));
	ck_assert_uint_eq(!!(f.blob_mem_types & (1u << VGN_BLOB_MEM_HOST3D_GUEST)), _i == 0);
	ck_assert_uint_ne(f.blob_mem_types & (1u << VGN_BLOB_MEM_GUEST), 0);
	if (_i == 0)
		ck_assert_ok(describe(1, VGN_TARGET_BUFFER, 0, 0, 256, 1, 0, 1));
	p = guest_params(ctx, 1, PAGE, &b);
	int ret = vgn_resource_create_blob(v.r, 63, &p);
	if (_i == 0) {
		ck_assert_ok(ret);
		vms_pattern_fill(want, 256, 15);
		vms_backing_write(&v.guest, &b, 0, want, 256);
		struct vgn_box box = {0, 0, 0, 256, 1, 1};
		ck_assert_ok(vms_transfer(&v, true, 63, 0, 0, &box, 0, 0, 0));
		uint8_t *back = tres_read(&v, 63, 0, box, 1);
		tmem_expect_eq(back, want, 256, "HOST3D_GUEST buffer read back");
		free(back);
		ck_assert_ok(vgn_resource_unref(v.r, 63));
	} else {
		/* Venus: the memory is the storage (-ENOTSUP); CPU2D: no context. */
		ck_assert_rc(ret, _i == 1 ? -ENOTSUP : -EINVAL);
	}
	vms_backing_free(&v.guest, &b);
	teardown();
}
END_TEST

static Suite *blob_guest_suite(void)
{
	Suite *s = suite_create("blob_guest");
	TCase *tc = tcase_create("gl");
	tcase_add_checked_fixture(tc, setup_gl, teardown);
	tcase_add_test(tc, gl_buffer_both_directions);
	tcase_add_test(tc, gl_texture_both_directions);
	tcase_add_loop_test(tc, gl_destroy_orders, 0, 2);
	tcase_add_test(tc, gl_hostile_combinations);
	tcase_add_test(tc, gl_foreign_context);
	suite_add_tcase(s, tc);
	tc = tcase_create("types");
	tcase_add_loop_test(tc, each_type_each_backend, 0, 3);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(blob_guest_suite());
}
