/* SPDX-License-Identifier: MIT */
/* HOST3D blobs (need a context: the fake backend of fake_backend.h serves one):
 * zero-filled plain memory, backend objects by blob_id, map / export / import,
 * map_fixed, sizes, limits and ownership. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fake_backend.h"
#include "test_util.h"

#define PAGE 4096u

static struct fake_stats stats;

static void fx_setup(void)
{
	struct vms_options o;
	memset(&o, 0, sizeof(o));
	o.max_bytes_per_context = 1u << 20;
	memset(&stats, 0, sizeof(stats));
	ck_assert_ok(vms_create(&tv, &o));
	ck_assert_ok(fake_backend_add(tv.r, true, &stats));
	struct vgn_context_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.capset_id = FAKE_CAPSET;
	ck_assert_ok(vgn_context_create(tv.r, 1, &p));
	ck_assert_ok(vgn_context_create(tv.r, 2, &p));
}

static int host_blob(uint32_t res_id, uint32_t ctx_id, uint64_t blob_id, uint64_t size,
                     uint32_t flags)
{
	struct vgn_blob_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.ctx_id = ctx_id;
	p.blob_mem = VGN_BLOB_MEM_HOST3D;
	p.blob_flags = flags;
	p.blob_id = blob_id;
	p.blob_size = size;
	return vgn_resource_create_blob(tv.r, res_id, &p);
}

static int make_object(uint32_t ctx_id, uint64_t id, uint32_t size, uint8_t fill)
{
	uint32_t cmd[5] = {FAKE_OP_OBJECT, (uint32_t)id, (uint32_t)(id >> 32), size, fill};
	return vgn_context_submit(tv.r, ctx_id, cmd, sizeof(cmd));
}

static int lookup(uint32_t ctx_id, uint32_t res_id)
{
	uint32_t cmd[2] = {FAKE_OP_LOOKUP, res_id};
	return vgn_context_submit(tv.r, ctx_id, cmd, sizeof(cmd));
}

#define MS (VGN_BLOB_FLAG_MAPPABLE | VGN_BLOB_FLAG_SHAREABLE)

START_TEST(plain_memory_is_zeroed)
{
	const uint64_t size = 64 * 1024;
	ck_assert_ok(host_blob(10, 1, 0, size, MS));
	void *ptr = NULL;
	uint64_t got = 0;
	ck_assert_ok(vgn_resource_map(tv.r, 10, &ptr, &got));
	ck_assert_uint_eq(got, size);
	const uint8_t *b = ptr;
	for (size_t i = 0; i < size; i++)
		ck_assert_msg(b[i] == 0, "byte %zu of new host memory is 0x%02x", i, b[i]);
	uint32_t cache = 99;
	ck_assert_ok(vgn_resource_map_info(tv.r, 10, &cache));
	ck_assert_uint_eq(cache, VGN_MAP_CACHE_CACHED);
	struct vgn_resource_info info;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ck_assert_ok(vgn_resource_get_info(tv.r, 10, &info));
	ck_assert_uint_eq(info.blob_mem, VGN_BLOB_MEM_HOST3D);
	ck_assert_uint_eq(info.blob_size, size);
}
END_TEST

START_TEST(map_export_import_same_bytes)
{
	const uint64_t size = 3 * PAGE;
	ck_assert_ok(host_blob(10, 1, 0, size, MS));
	uint8_t *ptr = NULL;
	ck_assert_ok(vgn_resource_map(tv.r, 10, (void **)&ptr, NULL));
	vms_pattern_fill(ptr, size, 31);
	struct vgn_export ex;
	memset(&ex, 0, sizeof(ex));
	ex.size = sizeof(ex);
	ck_assert_ok(vgn_resource_export(tv.r, 10, &ex));
	ck_assert_uint_eq(ex.handle_type, VGN_HANDLE_TYPE_SHM);
	ck_assert_uint_eq(ex.blob_size, size);
	uint8_t *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, ex.fd, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	tmem_expect_eq(m, ptr, size, "exported shm");
	/* Import into another resource id: the same memory again. */
	ck_assert_ok(vgn_resource_import(tv.r, 11, &ex));
	uint8_t *ptr2 = NULL;
	uint64_t size2 = 0;
	ck_assert_ok(vgn_resource_map(tv.r, 11, (void **)&ptr2, &size2));
	ck_assert_uint_eq(size2, size);
	ck_assert_ptr_ne(ptr2, ptr);
	tmem_expect_eq(ptr2, ptr, size, "imported shm");
	ptr2[8191] = (uint8_t)~ptr2[8191];
	ck_assert_uint_eq(ptr[8191], ptr2[8191]);
	ck_assert_uint_eq(m[8191], ptr2[8191]);
	/* The exported fd's size is sealed: nobody can shrink it under a mapping. */
	ck_assert_int_ne(ftruncate(ex.fd, 0), 0);
	munmap(m, size);
	close(ex.fd);
	ck_assert_ok(vgn_resource_unref(tv.r, 10));
	ck_assert_uint_eq(ptr2[100], vms_pattern(31, 100));
	ck_assert_ok(vgn_resource_unref(tv.r, 11));
}
END_TEST

START_TEST(backend_object_blob)
{
	ck_assert_ok(make_object(1, 0x100000001ull, 2 * PAGE, 0xab));
	ck_assert_ok(host_blob(10, 1, 0x100000001ull, 2 * PAGE, MS));
	uint8_t *ptr = NULL;
	ck_assert_ok(vgn_resource_map(tv.r, 10, (void **)&ptr, NULL));
	for (size_t i = 0; i < 2 * PAGE; i++)
		ck_assert_uint_eq(ptr[i], 0xab);
	uint32_t cache = 0;
	ck_assert_ok(vgn_resource_map_info(tv.r, 10, &cache));
	ck_assert_uint_eq(cache, VGN_MAP_CACHE_WC);
	/* Smaller than the object is fine, bigger is not; unknown ids are nothing. */
	ck_assert_ok(host_blob(11, 1, 0x100000001ull, PAGE, MS));
	ck_assert_rc(host_blob(12, 1, 0x100000001ull, 3 * PAGE, MS), -EINVAL);
	ck_assert_rc(host_blob(12, 1, 0x1ull, PAGE, MS), -ENOENT);
	/* Objects are per context. */
	ck_assert_rc(host_blob(12, 2, 0x100000001ull, PAGE, MS), -ENOENT);
	ck_assert_rc(vgn_resource_unref(tv.r, 12), -ENOENT);
	ck_assert_ok(host_blob(12, 1, 0, PAGE, MS));
}
END_TEST

START_TEST(blob_sizes)
{
	ck_assert_rc(host_blob(10, 1, 0, 0, MS), -EINVAL);
	ck_assert_rc(host_blob(10, 1, 0, PAGE + 1, MS), -EINVAL);
	ck_assert_rc(host_blob(10, 1, 0, 100, MS), -EINVAL);
	ck_assert_rc(host_blob(10, 1, 0, UINT64_MAX, MS), -EINVAL);
	/* Page aligned but far beyond the per-context limit (1 MiB here). */
	ck_assert_rc(host_blob(10, 1, 0, UINT64_MAX - PAGE + 1, MS), -ENOSPC);
	ck_assert_rc(host_blob(10, 1, 0, 1ull << 63, MS), -ENOSPC);
	ck_assert_rc(host_blob(10, 1, 0, (1u << 20) + PAGE, MS), -ENOSPC);
	/* Exactly the limit fits once; a second blob of the same context does not. */
	ck_assert_ok(host_blob(10, 1, 0, 1u << 20, MS));
	ck_assert_rc(host_blob(11, 1, 0, PAGE, MS), -ENOSPC);
	ck_assert_ok(host_blob(11, 2, 0, PAGE, MS));
	ck_assert_rc(vgn_resource_unref(tv.r, 12), -ENOENT);
}
END_TEST

START_TEST(blob_params_need_context)
{
	struct vgn_blob_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.blob_mem = VGN_BLOB_MEM_HOST3D;
	p.blob_size = PAGE;
	p.ctx_id = 0;
	ck_assert_rc(vgn_resource_create_blob(tv.r, 10, &p), -EINVAL);
	p.ctx_id = 9;
	ck_assert_rc(vgn_resource_create_blob(tv.r, 10, &p), -ENOENT);
	/* HOST3D takes no guest pages. */
	uint8_t mem[PAGE];
	struct iovec iov = {mem, sizeof(mem)};
	p.ctx_id = 1;
	p.iov = &iov;
	p.num_iovs = 1;
	ck_assert_rc(vgn_resource_create_blob(tv.r, 10, &p), -EINVAL);
	/* A dead context makes no blobs. */
	uint32_t bad = 0xbad;
	/* HOST3D_GUEST names an object (blob_id 0: -EINVAL); this backend makes no
	 * objects over guest pages (no context_describe_blob op). */
	p.blob_mem = VGN_BLOB_MEM_HOST3D_GUEST;
	ck_assert_rc(vgn_resource_create_blob(tv.r, 10, &p), -EINVAL);
	p.blob_id = 1;
	ck_assert_rc(vgn_resource_create_blob(tv.r, 10, &p), -ENOTSUP);
	p.blob_id = 0;
	p.blob_mem = VGN_BLOB_MEM_HOST3D;
	ck_assert_rc(vgn_context_submit(tv.r, 2, &bad, 4), -EINVAL);
	p.ctx_id = 2;
	p.iov = NULL;
	p.num_iovs = 0;
	ck_assert_rc(vgn_resource_create_blob(tv.r, 10, &p), -EIO);
	ck_assert_rc(vgn_resource_unref(tv.r, 10), -ENOENT);
}
END_TEST

START_TEST(blob_attached_to_its_context)
{
	ck_assert_ok(host_blob(10, 1, 0, PAGE, MS));
	ck_assert_ok(lookup(1, 10));
	ck_assert_rc(lookup(2, 10), -ENOENT);
	ck_assert_uint_eq(fake_read(&stats.attached_live), 1);
	/* The VMM's unref frees the id; the context keeps the object. */
	ck_assert_ok(vgn_resource_unref(tv.r, 10));
	ck_assert_ok(lookup(1, 10));
	ck_assert_ok(vgn_context_destroy(tv.r, 1));
	ck_assert_uint_eq(fake_read(&stats.attached_live), 0);
	/* A blob whose context is gone still belongs to the VMM until unref. */
	ck_assert_ok(host_blob(11, 2, 0, PAGE, MS));
	ck_assert_ok(vgn_context_destroy(tv.r, 2));
	uint8_t *ptr = NULL;
	ck_assert_ok(vgn_resource_map(tv.r, 11, (void **)&ptr, NULL));
	ptr[0] = 1;
	ck_assert_ok(vgn_resource_unref(tv.r, 11));
}
END_TEST

START_TEST(map_lifecycle)
{
	ck_assert_ok(host_blob(10, 1, 0, 2 * PAGE, MS));
	uint8_t *a = NULL;
	ck_assert_ok(vgn_resource_map(tv.r, 10, (void **)&a, NULL));
	memset(a, 0x4d, 2 * PAGE);
	void *b;
	ck_assert_rc(vgn_resource_map(tv.r, 10, &b, NULL), -EBUSY);
	ck_assert_ok(vgn_resource_unmap(tv.r, 10));
	ck_assert_rc(vgn_resource_unmap(tv.r, 10), -EINVAL);
	/* Content persists across unmap/map. */
	ck_assert_ok(vgn_resource_map(tv.r, 10, (void **)&a, NULL));
	for (size_t i = 0; i < 2 * PAGE; i++)
		ck_assert_uint_eq(a[i], 0x4d);
	ck_assert_ok(vgn_resource_unmap(tv.r, 10));
	/* Not MAPPABLE: no map, no map_info, but export works. */
	ck_assert_ok(host_blob(11, 1, 0, PAGE, VGN_BLOB_FLAG_SHAREABLE));
	ck_assert_rc(vgn_resource_map(tv.r, 11, &b, NULL), -EINVAL);
	uint32_t cache;
	ck_assert_rc(vgn_resource_map_info(tv.r, 11, &cache), -EINVAL);
	void *win = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(win, MAP_FAILED);
	ck_assert_rc(vgn_resource_map_fixed(tv.r, 11, win, PAGE), -EINVAL);
	munmap(win, PAGE);
}
END_TEST

START_TEST(map_fixed_host_blob)
{
	ck_assert_ok(host_blob(10, 1, 0, 2 * PAGE, MS));
	uint8_t *win = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(win, MAP_FAILED);
	ck_assert_ok(vgn_resource_map_fixed(tv.r, 10, win + PAGE, 3 * PAGE));
	for (size_t i = 0; i < 2 * PAGE; i++)
		ck_assert_uint_eq(win[PAGE + i], 0);
	memset(win + PAGE, 0x29, 2 * PAGE);
	ck_assert_ok(vgn_resource_unmap(tv.r, 10));
	uint8_t *p = NULL;
	ck_assert_ok(vgn_resource_map(tv.r, 10, (void **)&p, NULL));
	for (size_t i = 0; i < 2 * PAGE; i++)
		ck_assert_uint_eq(p[i], 0x29);
	ck_assert_ok(vgn_resource_unref(tv.r, 10));
	munmap(win, 4 * PAGE);
}
END_TEST

START_TEST(guest_blob_of_a_context)
{
	struct vms_backing b;
	ck_assert_ok(vms_backing_alloc(&tv.guest, 2 * PAGE, VMS_SCATTER, &b));
	struct vgn_blob_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.ctx_id = 1;
	p.blob_mem = VGN_BLOB_MEM_GUEST;
	p.blob_size = 2 * PAGE;
	p.iov = b.iov;
	p.num_iovs = b.num_iovs;
	ck_assert_ok(vgn_resource_create_blob(tv.r, 10, &p));
	ck_assert_ok(lookup(1, 10));
	ck_assert_rc(lookup(2, 10), -ENOENT);
	ck_assert_ok(vgn_context_detach_resource(tv.r, 1, 10));
	ck_assert_rc(lookup(1, 10), -ENOENT);
	ck_assert_ok(vgn_context_attach_resource(tv.r, 2, 10));
	ck_assert_ok(lookup(2, 10));
	/* Its bytes count against the context's limit (1 MiB here). */
	ck_assert_ok(host_blob(11, 2, 0, (1u << 20) - 2 * PAGE, MS));
	ck_assert_rc(host_blob(12, 2, 0, PAGE, MS), -ENOSPC);
	ck_assert_ok(vgn_resource_unref(tv.r, 10));
	vms_backing_free(&tv.guest, &b);
}
END_TEST

static Suite *blob_host_suite(void)
{
	Suite *s = suite_create("blob-host3d");
	TCase *tc = tcase_create("host3d");
	tcase_add_checked_fixture(tc, fx_setup, tv_teardown);
	tcase_add_test(tc, plain_memory_is_zeroed);
	tcase_add_test(tc, map_export_import_same_bytes);
	tcase_add_test(tc, backend_object_blob);
	tcase_add_test(tc, blob_sizes);
	tcase_add_test(tc, blob_params_need_context);
	tcase_add_test(tc, blob_attached_to_its_context);
	tcase_add_test(tc, map_lifecycle);
	tcase_add_test(tc, map_fixed_host_blob);
	tcase_add_test(tc, guest_blob_of_a_context);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(blob_host_suite());
}
