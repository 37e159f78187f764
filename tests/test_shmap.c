/* SPDX-License-Identifier: MIT */
/*
 * Shared mappings (VGN_BACKING_FLAG_LINEAR) and the data-path counters
 * (VGN_QUERY_RENDERER_STATS), through the public API and tests/vmm-sim:
 *  - CPU2D: a LINEAR backing is the storage; scanout copy-out shows guest writes
 *    with no transfer, the counters prove no staging copy, detach keeps the
 *    content; scattered backings still need (staged) transfers;
 *  - vrend on llvmpipe: LINEAR uploads and readbacks give the bytes of the staged
 *    path and count as zero-copy, API and in-stream (TRANSFER3D);
 *  - a lavapipe-only renderer (a Venus VMM): its 2D scanout resources are CPU2D
 *    ones, shared the same way;
 *  - hostile backings: LINEAR with several iovecs, a LINEAR view shorter than the
 *    resource (with a guard page behind it), strides the direct paths cannot use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

#define W 64u
#define H 32u
#define BPP 4u
#define PITCH (W * BPP)
#define IMG (PITCH * H)
#define FMT VGN_FORMAT_B8G8R8A8_UNORM

static struct vms v;
static bool have_gl;

static void setup_backend(uint32_t backends)
{
	struct vms_options o;
	memset(&o, 0, sizeof(o));
	o.backends = backends;
	o.guest_pages = 2048;
	int ret = vms_create(&v, &o);
	have_gl = backends == VGN_BACKEND_GL && ret == 0;
	if (backends != VGN_BACKEND_CPU2D && ret) {
		fprintf(stderr, "test_shmap: backend 0x%x unavailable (%d): its cases skipped\n",
		        backends, ret);
		return;
	}
	ck_assert_msg(ret == 0, "vms_create: %d", ret);
}

static void setup_cpu2d(void)
{
	setup_backend(VGN_BACKEND_CPU2D);
}

static void setup_gl(void)
{
	setup_backend(VGN_BACKEND_GL);
}

/* A Venus VMM's renderer: lavapipe only. Its 2D scanout resources are CPU2D
 * ones, so the shared mapping works the same there. */
static void setup_vk(void)
{
	setup_backend(VGN_BACKEND_VULKAN);
}

static void teardown(void)
{
	if (v.r)
		vms_destroy(&v);
	memset(&v, 0, sizeof(v));
}

static struct vgn_query_renderer_stats stats(void)
{
	struct vgn_query_header in = {sizeof(in), VGN_QUERY_RENDERER_STATS};
	struct vgn_query_renderer_stats s;
	memset(&s, 0xa5, sizeof(s));
	s.hdr.size = sizeof(s);
	s.hdr.type = VGN_QUERY_RENDERER_STATS;
	ck_assert_ok(vgn_query(v.r, 0, &in, &s.hdr));
	ck_assert_uint_eq(s.hdr.type, VGN_QUERY_RENDERER_STATS);
	return s;
}

/* A W x H BGRA resource res_id with a fresh backing of IMG bytes in layout. */
static void make_res(uint32_t res_id, enum vms_layout layout, struct vms_backing *b)
{
	ck_assert_ok(vms_resource_create_2d(&v, res_id, FMT, W, H));
	ck_assert_ok(vms_backing_alloc(&v.guest, IMG, layout, b));
	vms_backing_fill(&v.guest, b, 0);
	ck_assert_ok(vms_attach_backing(&v, res_id, b));
}

/* Guest writes: pattern seed over the first IMG bytes of the backing. */
static void guest_write(const struct vms_backing *b, uint32_t seed, uint8_t *out)
{
	vms_pattern_fill(out, IMG, seed);
	vms_backing_write(&v.guest, b, 0, out, IMG);
}

static void scanout(uint32_t res_id, uint8_t *dst)
{
	memset(dst, 0x11, IMG);
	ck_assert_ok(vms_copy_out(&v, res_id, 0, 0, W, H, dst, IMG, PITCH));
}

/* ---- CPU2D ----------------------------------------------------------------- */

START_TEST(cpu2d_linear_scanout_without_transfer)
{
	if (!v.r)
		return; /* the Vulkan case without lavapipe */
	struct vms_backing b;
	uint8_t *want = malloc(IMG), *got = malloc(IMG);
	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	make_res(1, VMS_LINEAR, &b);
	struct vgn_query_renderer_stats s0 = stats();

	/* The guest draws; the VMM scans out with no transfer in between. */
	guest_write(&b, 7, want);
	scanout(1, got);
	tmem_expect_eq(got, want, IMG, "scanout after guest write");
	struct vgn_query_renderer_stats s1 = stats();
	ck_assert_uint_eq(s1.transfers, s0.transfers);
	ck_assert_uint_eq(s1.staging_copies, s0.staging_copies);
	ck_assert_uint_eq(s1.staging_copy_bytes, s0.staging_copy_bytes);
	ck_assert_uint_eq(s1.copy_out_calls, s0.copy_out_calls + 1);
	ck_assert_uint_eq(s1.copy_out_guest_reads, s0.copy_out_guest_reads + 1);

	/* Next frame, a dirty rectangle: the guest's TRANSFER_TO_HOST_2D names the
	 * bytes where they already are, so it moves nothing and counts zero-copy. */
	guest_write(&b, 8, want);
	ck_assert_ok(vms_transfer_to_host_2d(&v, 1, 3, 2, 10, 5, 2 * PITCH + 3 * BPP));
	scanout(1, got);
	tmem_expect_eq(got, want, IMG, "scanout of the second frame");
	struct vgn_query_renderer_stats s2 = stats();
	ck_assert_uint_eq(s2.transfers, s1.transfers + 1);
	ck_assert_uint_eq(s2.transfer_bytes, s1.transfer_bytes + 10 * 5 * BPP);
	ck_assert_uint_eq(s2.zero_copy_transfers, s1.zero_copy_transfers + 1);
	ck_assert_uint_eq(s2.staging_copies, s1.staging_copies);
	ck_assert_uint_eq(s2.copy_out_guest_reads, s1.copy_out_guest_reads + 1);

	/* TRANSFER_FROM_HOST in place: the guest already holds the content. */
	struct vgn_box box = {0, 0, 0, W, H, 1};
	ck_assert_ok(vms_transfer(&v, false, 1, 0, 0, &box, 0, 0, 0));
	uint8_t *back = tback_copy(&v, &b);
	tmem_expect_eq(back, want, IMG, "guest pages after transfer from host");
	struct vgn_query_renderer_stats s3 = stats();
	ck_assert_uint_eq(s3.zero_copy_transfers, s2.zero_copy_transfers + 1);
	free(back);

	/* A transfer into a separate VMM buffer (explicit iovec) copies out of the
	 * shared pages: counted as a copy, not zero-copy. */
	uint8_t *sep = calloc(1, IMG);
	ck_assert_ptr_nonnull(sep);
	struct iovec siov = {.iov_base = sep, .iov_len = IMG};
	struct vgn_transfer t = {.size = sizeof(t), .box = box, .iov = &siov, .num_iovs = 1};
	ck_assert_ok(vgn_resource_transfer_from_host(v.r, 1, &t));
	tmem_expect_eq(sep, want, IMG, "explicit-iovec readback");
	struct vgn_query_renderer_stats s4 = stats();
	ck_assert_uint_eq(s4.staging_copies, s3.staging_copies + 1);
	ck_assert_uint_eq(s4.zero_copy_transfers, s3.zero_copy_transfers);
	ck_assert_uint_eq(s4.copy_out_guest_reads, s3.copy_out_guest_reads);
	free(sep);
	free(want);
	free(got);
	ck_assert_ok(vgn_resource_unref(v.r, 1));
	vms_backing_free(&v.guest, &b);
}
END_TEST

START_TEST(cpu2d_detach_keeps_content)
{
	if (!v.r)
		return; /* the Vulkan case without lavapipe */
	struct vms_backing b;
	uint8_t *want = malloc(IMG), *got = malloc(IMG);
	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	make_res(1, VMS_LINEAR, &b);
	guest_write(&b, 21, want);
	ck_assert_ok(vgn_resource_detach_backing(v.r, 1));
	/* The pages are the guest's again: scribbling on them (or freeing them)
	 * must not change the resource. */
	vms_backing_fill(&v.guest, &b, 0xee);
	vms_backing_free(&v.guest, &b);
	struct vgn_query_renderer_stats s0 = stats();
	scanout(1, got);
	tmem_expect_eq(got, want, IMG, "scanout after detach");
	ck_assert_uint_eq(stats().copy_out_guest_reads, s0.copy_out_guest_reads);

	/* A scattered backing attached next: the classic path again. */
	struct vms_backing b2;
	ck_assert_ok(vms_backing_alloc(&v.guest, IMG, VMS_SCATTER, &b2));
	vms_backing_fill(&v.guest, &b2, 0x33);
	ck_assert_ok(vms_attach_backing(&v, 1, &b2));
	scanout(1, got);
	tmem_expect_eq(got, want, IMG, "scanout after a scattered attach");
	free(want);
	free(got);
	ck_assert_ok(vgn_resource_unref(v.r, 1));
	vms_backing_free(&v.guest, &b2);
}
END_TEST

START_TEST(cpu2d_scattered_needs_staged_transfer)
{
	static const enum vms_layout layouts[] = {VMS_SCATTER, VMS_SCATTER_ODD};
	struct vms_backing b;
	uint8_t *want = malloc(IMG), *got = malloc(IMG), *zero = calloc(1, IMG);
	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	ck_assert_ptr_nonnull(zero);
	make_res(1, layouts[_i], &b);
	guest_write(&b, 5, want);
	struct vgn_query_renderer_stats s0 = stats();
	scanout(1, got);
	tmem_expect_eq(got, zero, IMG, "scanout before any transfer");
	ck_assert_ok(vms_transfer_to_host_2d(&v, 1, 0, 0, W, H, 0));
	scanout(1, got);
	tmem_expect_eq(got, want, IMG, "scanout after the transfer");
	struct vgn_query_renderer_stats s1 = stats();
	ck_assert_uint_eq(s1.transfers, s0.transfers + 1);
	ck_assert_uint_eq(s1.staging_copies, s0.staging_copies + 1);
	ck_assert_uint_eq(s1.staging_copy_bytes, s0.staging_copy_bytes + IMG);
	ck_assert_uint_eq(s1.zero_copy_transfers, s0.zero_copy_transfers);
	ck_assert_uint_eq(s1.copy_out_calls, s0.copy_out_calls + 2);
	ck_assert_uint_eq(s1.copy_out_guest_reads, s0.copy_out_guest_reads);
	free(want);
	free(got);
	free(zero);
	ck_assert_ok(vgn_resource_unref(v.r, 1));
	vms_backing_free(&v.guest, &b);
}
END_TEST

START_TEST(cpu2d_linear_moved_rows_are_staged)
{
	/* A LINEAR backing, but the guest's rows are not where the layout puts
	 * them (offset 0 for a box at y = 3, rows 300 bytes apart, an odd stride):
	 * source and destination share the pages, the copy goes through staging and
	 * the result is the guest's rows, not a mix of half-moved ones. */
	struct vms_backing b;
	make_res(1, VMS_LINEAR, &b);
	uint8_t *src = malloc(IMG), *got = malloc(IMG);
	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_nonnull(got);
	guest_write(&b, 9, src);
	const uint32_t strides[] = {300, PITCH + 1, PITCH / 2 /* half a row */};
	for (unsigned k = 0; k < 3; k++) {
		vms_backing_write(&v.guest, &b, 0, src, IMG); /* fresh guest content */
		uint32_t bw = strides[k] >= 32 * BPP && strides[k] < PITCH ? 32 : 40;
		uint32_t stride = strides[k];
		struct vgn_box box = {4, 3, 0, bw, 20, 1};
		struct vgn_query_renderer_stats s0 = stats();
		ck_assert_ok(vms_transfer(&v, true, 1, 0, 0, &box, stride, 0, 0));
		struct vgn_query_renderer_stats s1 = stats();
		ck_assert_uint_eq(s1.staging_copies, s0.staging_copies + 1);
		ck_assert_uint_eq(s1.zero_copy_transfers, s0.zero_copy_transfers);
		scanout(1, got);
		for (uint32_t r = 0; r < 20; r++)
			tmem_expect_eq(got + (3 + r) * PITCH + 4 * BPP, src + (size_t)r * stride,
			               bw * BPP, "moved row");
		/* Outside the box, the guest's own bytes (shared storage). */
		tmem_expect_eq(got + 23 * PITCH, src + 23 * PITCH, (H - 23) * PITCH, "rows after");
	}
	free(src);
	free(got);
	ck_assert_ok(vgn_resource_unref(v.r, 1));
	vms_backing_free(&v.guest, &b);
}
END_TEST

START_TEST(cpu2d_linear_aliased_vmm_iovec)
{
	/* The VMM's explicit transfer iovec points into the very guest pages that
	 * are the storage, a few bytes off: each row's source and destination
	 * overlap. The result must be the guest's bytes as they were before the
	 * transfer, as if the copy went through a separate buffer. */
	struct vms_backing b;
	make_res(1, VMS_LINEAR, &b);
	uint8_t *src = malloc(IMG), *got = malloc(IMG);
	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_nonnull(got);
	const size_t shifts[] = {2, BPP, PITCH + 2};
	for (unsigned k = 0; k < 3; k++) {
		guest_write(&b, 30 + k, src);
		struct iovec iov = {.iov_base = b.linear + shifts[k], .iov_len = IMG - PITCH - 2};
		struct vgn_box box = {0, 0, 0, W, H - 2, 1};
		struct vgn_transfer t = {.size = sizeof(t), .box = box, .iov = &iov, .num_iovs = 1};
		ck_assert_ok(vgn_resource_transfer_to_host(v.r, 1, &t));
		scanout(1, got);
		tmem_expect_eq(got, src + shifts[k], (H - 2) * PITCH, "aliased upload");
		/* And back out: the same aliasing the other way. */
		guest_write(&b, 40 + k, src);
		ck_assert_ok(vgn_resource_transfer_from_host(v.r, 1, &t));
		tmem_expect_eq(b.linear + shifts[k], src, (H - 2) * PITCH, "aliased readback");
	}
	free(src);
	free(got);
	ck_assert_ok(vgn_resource_unref(v.r, 1));
	vms_backing_free(&v.guest, &b);
}
END_TEST

START_TEST(hostile_linear_backings)
{
	uint8_t *want = malloc(IMG), *got = malloc(IMG);
	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	ck_assert_ok(vms_resource_create_2d(&v, 1, FMT, W, H));

	/* LINEAR must be one iovec. */
	struct vms_backing sc;
	ck_assert_ok(vms_backing_alloc(&v.guest, IMG, VMS_SCATTER, &sc));
	struct vgn_backing d = vms_backing_desc(&sc);
	d.flags = VGN_BACKING_FLAG_LINEAR;
	ck_assert_rc(vgn_resource_attach_backing(v.r, 1, &d), -EINVAL);
	d.num_iovs = 0;
	ck_assert_rc(vgn_resource_attach_backing(v.r, 1, &d), -EINVAL);
	vms_backing_free(&v.guest, &sc);

	/* A LINEAR view shorter than the image, with a guard page right behind it:
	 * not usable as storage, so transfers and copy-out take the classic path and
	 * nothing reads past the view. */
	struct vms_backing sh;
	ck_assert_ok(vms_backing_alloc(&v.guest, IMG / 2, VMS_LINEAR, &sh));
	ck_assert_uint_eq(sh.len, IMG / 2);
	vms_backing_fill(&v.guest, &sh, 0x5c);
	ck_assert_ok(vms_attach_backing(&v, 1, &sh));
	memset(want, 0, IMG);
	struct vgn_query_renderer_stats s0 = stats();
	scanout(1, got);
	tmem_expect_eq(got, want, IMG, "short LINEAR view: not the storage");
	ck_assert_uint_eq(stats().copy_out_guest_reads, s0.copy_out_guest_reads);
	ck_assert_rc(vms_transfer_to_host_2d(&v, 1, 0, 0, W, H, 0), -EINVAL);
	ck_assert_rc(vms_transfer_to_host_2d(&v, 1, 0, H / 2, W, 1, (H / 2) * PITCH), -EINVAL);
	ck_assert_ok(vms_transfer_to_host_2d(&v, 1, 0, 0, W, H / 2, 0));
	memset(want, 0x5c, IMG / 2);
	scanout(1, got);
	tmem_expect_eq(got, want, IMG, "short LINEAR view: first half uploaded");
	struct vgn_query_renderer_stats s1 = stats();
	ck_assert_uint_eq(s1.staging_copies, s0.staging_copies + 1);
	ck_assert_uint_eq(s1.transfers, s0.transfers + 1); /* failed ones are not counted */
	ck_assert_ok(vgn_resource_detach_backing(v.r, 1));
	vms_backing_free(&v.guest, &sh);

	/* A guest stride that does not cover the row, and an offset past the end. */
	struct vms_backing b;
	ck_assert_ok(vms_backing_alloc(&v.guest, IMG, VMS_LINEAR, &b));
	ck_assert_ok(vms_attach_backing(&v, 1, &b));
	struct vgn_box box = {0, 0, 0, W, 2, 1};
	ck_assert_rc(vms_transfer(&v, true, 1, 0, 0, &box, PITCH - 1, 0, 0), -EINVAL);
	ck_assert_rc(vms_transfer(&v, false, 1, 0, 0, &box, 0, 0, IMG), -EINVAL);
	free(want);
	free(got);
	ck_assert_ok(vgn_resource_unref(v.r, 1));
	vms_backing_free(&v.guest, &b);
}
END_TEST

START_TEST(stats_query_rules)
{
	/* Too small an answer buffer, and the guest may not ask (-EPERM through a
	 * context, like RENDERER_LIMITS). */
	struct vgn_query_header in = {sizeof(in), VGN_QUERY_RENDERER_STATS};
	struct vgn_query_renderer_stats s;
	s.hdr.size = sizeof(s) - 8;
	s.hdr.type = VGN_QUERY_RENDERER_STATS;
	ck_assert_rc(vgn_query(v.r, 0, &in, &s.hdr), -EINVAL);
	struct vgn_query_renderer_stats z = stats();
	ck_assert_uint_eq(z.transfers, 0);
	ck_assert_uint_eq(z.copy_out_calls, 0);
	if (!have_gl)
		return;
	struct vgn_context_params p = {.size = sizeof(p), .capset_id = VGN_CAPSET_VIRGL2};
	ck_assert_ok(vgn_context_create(v.r, 1, &p));
	memset(&s, 0xa5, sizeof(s));
	s.hdr.size = sizeof(s);
	ck_assert_rc(vgn_query(v.r, 1, &in, &s.hdr), -EPERM);
	ck_assert_uint_eq(s.transfers, 0xa5a5a5a5a5a5a5a5ull);
	ck_assert_ok(vgn_context_destroy(v.r, 1));
}
END_TEST

START_TEST(udmabuf_variant)
{
	if (access("/dev/udmabuf", F_OK) != 0) {
		fprintf(stderr, "test_shmap: /dev/udmabuf missing: udmabuf variant skipped\n");
		return;
	}
	struct vms_backing b;
	uint8_t *want = malloc(IMG), *got = malloc(IMG);
	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	ck_assert_ok(vms_resource_create_2d(&v, 1, FMT, W, H));
	ck_assert_ok(vms_backing_alloc(&v.guest, IMG, VMS_LINEAR, &b));
	int ret = vms_backing_make_udmabuf(&v.guest, &b);
	if (ret) {
		fprintf(stderr, "test_shmap: udmabuf unusable here (%d): variant skipped\n", ret);
	} else {
		ck_assert_ok(vms_attach_backing(&v, 1, &b));
		guest_write(&b, 33, want);
		struct vgn_query_renderer_stats s0 = stats();
		scanout(1, got);
		tmem_expect_eq(got, want, IMG, "scanout through the udmabuf view");
		ck_assert_uint_eq(stats().copy_out_guest_reads, s0.copy_out_guest_reads + 1);
	}
	free(want);
	free(got);
	ck_assert_ok(vgn_resource_unref(v.r, 1));
	vms_backing_free(&v.guest, &b);
}
END_TEST

/* ---- vrend (llvmpipe) ------------------------------------------------------ */

/* Uploads pattern seed through a backing of layout (stride 0 or explicit) and
 * reads the texture back through copy-out; returns the counters' change. */
static struct vgn_query_renderer_stats gl_upload(uint32_t res_id, enum vms_layout layout,
                                                 uint32_t stride, uint32_t seed, uint8_t *got)
{
	struct vms_backing b;
	uint32_t pitch = stride ? stride : PITCH;
	size_t len = (size_t)pitch * H;
	uint8_t *src = malloc(len);
	ck_assert_ptr_nonnull(src);
	ck_assert_ok(vms_resource_create_2d(&v, res_id, FMT, W, H));
	ck_assert_ok(vms_backing_alloc(&v.guest, len, layout, &b));
	vms_pattern_fill(src, len, seed);
	vms_backing_write(&v.guest, &b, 0, src, len);
	ck_assert_ok(vms_attach_backing(&v, res_id, &b));
	struct vgn_query_renderer_stats s0 = stats();
	struct vgn_box box = {0, 0, 0, W, H, 1};
	ck_assert_ok(vms_transfer(&v, true, res_id, 0, 0, &box, stride, 0, 0));
	struct vgn_query_renderer_stats s1 = stats();
	scanout(res_id, got);
	for (uint32_t r = 0; r < H; r++)
		tmem_expect_eq(got + r * PITCH, src + (size_t)r * pitch, PITCH, "uploaded row");
	ck_assert_uint_eq(s1.transfers, s0.transfers + 1);
	ck_assert_uint_eq(s1.transfer_bytes, s0.transfer_bytes + IMG);
	s1.transfers -= s0.transfers;
	s1.staging_copies -= s0.staging_copies;
	s1.staging_copy_bytes -= s0.staging_copy_bytes;
	s1.zero_copy_transfers -= s0.zero_copy_transfers;
	free(src);
	ck_assert_ok(vgn_resource_unref(v.r, res_id));
	vms_backing_free(&v.guest, &b);
	return s1;
}

START_TEST(gl_linear_upload_is_zero_copy)
{
	if (!have_gl)
		return;
	uint8_t *lin = malloc(IMG), *sc = malloc(IMG), *odd = malloc(IMG);
	ck_assert_ptr_nonnull(lin);
	ck_assert_ptr_nonnull(sc);
	ck_assert_ptr_nonnull(odd);
	struct vgn_query_renderer_stats d = gl_upload(1, VMS_LINEAR, 0, 41, lin);
	ck_assert_uint_eq(d.zero_copy_transfers, 1);
	ck_assert_uint_eq(d.staging_copies, 0);
	d = gl_upload(2, VMS_SCATTER, 0, 41, sc);
	ck_assert_uint_eq(d.zero_copy_transfers, 0);
	ck_assert_uint_eq(d.staging_copies, 1);
	ck_assert_uint_eq(d.staging_copy_bytes, IMG);
	tmem_expect_eq(lin, sc, IMG, "LINEAR vs staged upload");
	/* A stride that is not a whole number of texels: GL cannot take the rows
	 * in place, so the LINEAR backing goes through staging, same bytes. */
	d = gl_upload(3, VMS_LINEAR, PITCH + 2, 41, odd);
	ck_assert_uint_eq(d.zero_copy_transfers, 0);
	ck_assert_uint_eq(d.staging_copies, 1);
	free(lin);
	free(sc);
	free(odd);
}
END_TEST

START_TEST(gl_linear_readback_is_zero_copy)
{
	if (!have_gl)
		return;
	static const enum vms_layout layouts[] = {VMS_LINEAR, VMS_SCATTER_ODD};
	uint8_t *want = malloc(IMG), *got[2];
	ck_assert_ptr_nonnull(want);
	for (int k = 0; k < 2; k++) {
		struct vms_backing b;
		uint32_t id = 10 + k;
		make_res(id, layouts[k], &b);
		guest_write(&b, 77, want);
		struct vgn_box box = {0, 0, 0, W, H, 1};
		ck_assert_ok(vms_transfer(&v, true, id, 0, 0, &box, 0, 0, 0));
		vms_backing_fill(&v.guest, &b, 0);
		struct vgn_query_renderer_stats s0 = stats();
		ck_assert_ok(vms_transfer(&v, false, id, 0, 0, &box, 0, 0, 0));
		struct vgn_query_renderer_stats s1 = stats();
		got[k] = tback_copy(&v, &b);
		tmem_expect_eq(got[k], want, IMG, "read back into the guest pages");
		ck_assert_uint_eq(s1.transfers, s0.transfers + 1);
		ck_assert_uint_eq(s1.zero_copy_transfers, s0.zero_copy_transfers + (k == 0));
		ck_assert_uint_eq(s1.staging_copies, s0.staging_copies + (k == 1));
		ck_assert_ok(vgn_resource_unref(v.r, id));
		vms_backing_free(&v.guest, &b);
	}
	tmem_expect_eq(got[0], got[1], IMG, "LINEAR vs staged readback");
	free(got[0]);
	free(got[1]);
	free(want);
}
END_TEST

/* TRANSFER3D (virgl command 43) of the whole image on ctx 1, then a fence. */
static void gl_stream_transfer(uint32_t res_id, bool to_host, uint32_t stride, uint64_t fence)
{
	uint32_t cmd[14] = {(13u << 16) | 43u, res_id, 0, 0, stride, 0, 0, 0, 0, W, H, 1, 0,
	                    to_host ? 1u : 2u};
	ck_assert_ok(vgn_context_submit(v.r, 1, cmd, sizeof(cmd)));
	ck_assert_ok(vms_fence(&v, 1, 0, fence));
	ck_assert_ok(vms_wait_fence(&v, 1, 0, fence, 10000));
	ck_assert_uint_eq(vms_fatal_count(&v), 0);
}

START_TEST(gl_in_stream_transfers_counted)
{
	if (!have_gl)
		return;
	struct vgn_context_params p = {.size = sizeof(p), .capset_id = VGN_CAPSET_VIRGL2};
	ck_assert_ok(vgn_context_create(v.r, 1, &p));
	struct vms_backing lb, sb;
	uint8_t *want = malloc(IMG), *got = malloc(IMG);
	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	make_res(1, VMS_LINEAR, &lb);
	make_res(2, VMS_SCATTER, &sb);
	ck_assert_ok(vgn_context_attach_resource(v.r, 1, 1));
	ck_assert_ok(vgn_context_attach_resource(v.r, 1, 2));

	guest_write(&lb, 90, want);
	guest_write(&sb, 90, want);
	struct vgn_query_renderer_stats s0 = stats();
	gl_stream_transfer(1, true, 0, 1);
	struct vgn_query_renderer_stats s1 = stats();
	ck_assert_uint_eq(s1.transfers, s0.transfers + 1);
	ck_assert_uint_eq(s1.transfer_bytes, s0.transfer_bytes + IMG);
	ck_assert_uint_eq(s1.zero_copy_transfers, s0.zero_copy_transfers + 1);
	ck_assert_uint_eq(s1.staging_copies, s0.staging_copies);
	gl_stream_transfer(2, true, 0, 2);
	struct vgn_query_renderer_stats s2 = stats();
	ck_assert_uint_eq(s2.staging_copies, s1.staging_copies + 1);
	ck_assert_uint_eq(s2.zero_copy_transfers, s1.zero_copy_transfers);
	scanout(1, got);
	tmem_expect_eq(got, want, IMG, "in-stream LINEAR upload");
	scanout(2, got);
	tmem_expect_eq(got, want, IMG, "in-stream staged upload");

	/* Readback into cleared LINEAR pages, in place. */
	vms_backing_fill(&v.guest, &lb, 0);
	gl_stream_transfer(1, false, 0, 3);
	struct vgn_query_renderer_stats s3 = stats();
	ck_assert_uint_eq(s3.zero_copy_transfers, s2.zero_copy_transfers + 1);
	uint8_t *back = tback_copy(&v, &lb);
	tmem_expect_eq(back, want, IMG, "in-stream LINEAR readback");
	free(back);
	free(want);
	free(got);
	ck_assert_ok(vgn_context_destroy(v.r, 1));
	ck_assert_ok(vgn_resource_unref(v.r, 1));
	ck_assert_ok(vgn_resource_unref(v.r, 2));
	vms_backing_free(&v.guest, &lb);
	vms_backing_free(&v.guest, &sb);
}
END_TEST

static Suite *shmap_suite(void)
{
	Suite *s = suite_create("shmap");
	TCase *tc = tcase_create("cpu2d");
	tcase_add_checked_fixture(tc, setup_cpu2d, teardown);
	tcase_add_test(tc, cpu2d_linear_scanout_without_transfer);
	tcase_add_test(tc, cpu2d_detach_keeps_content);
	tcase_add_loop_test(tc, cpu2d_scattered_needs_staged_transfer, 0, 2);
	tcase_add_test(tc, cpu2d_linear_moved_rows_are_staged);
	tcase_add_test(tc, cpu2d_linear_aliased_vmm_iovec);
	tcase_add_test(tc, hostile_linear_backings);
	tcase_add_test(tc, stats_query_rules);
	tcase_add_test(tc, udmabuf_variant);
	suite_add_tcase(s, tc);

	tc = tcase_create("gl");
	tcase_add_checked_fixture(tc, setup_gl, teardown);
	tcase_add_test(tc, stats_query_rules);
	tcase_add_test(tc, gl_linear_upload_is_zero_copy);
	tcase_add_test(tc, gl_linear_readback_is_zero_copy);
	tcase_add_test(tc, gl_in_stream_transfers_counted);
	suite_add_tcase(s, tc);

	tc = tcase_create("vk");
	tcase_add_checked_fixture(tc, setup_vk, teardown);
	tcase_add_test(tc, cpu2d_linear_scanout_without_transfer);
	tcase_add_test(tc, cpu2d_detach_keeps_content);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(shmap_suite());
}
