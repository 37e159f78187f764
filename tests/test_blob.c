/* SPDX-License-Identifier: MIT */
/* Blob resources without a context: BLOB_MEM_GUEST over guest pages, SHM import
 * and export, mapping rules, map_fixed into a VMM-reserved window. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_util.h"

#define PAGE 4096u

static struct vgn_blob_params guest_params(const struct vms_backing *b, uint64_t size,
                                           uint32_t flags)
{
	struct vgn_blob_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.blob_mem = VGN_BLOB_MEM_GUEST;
	p.blob_flags = flags;
	p.blob_size = size;
	p.iov = b->iov;
	p.num_iovs = b->num_iovs;
	return p;
}

/* A memfd of len bytes holding pattern seed. */
static int shm_with_pattern(size_t len, uint32_t seed)
{
	int fd = memfd_create("test-shm", MFD_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)len), 0);
	uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	vms_pattern_fill(p, len, seed);
	munmap(p, len);
	return fd;
}

static struct vgn_export shm_export(int fd, uint64_t size)
{
	struct vgn_export e;
	memset(&e, 0, sizeof(e));
	e.size = sizeof(e);
	e.handle_type = VGN_HANDLE_TYPE_SHM;
	e.fd = fd;
	e.blob_size = size;
	return e;
}

/* Protection of the page at addr from /proc/self/maps ("rw-p", "---p", ...). */
static void page_prot(const void *addr, char out[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	ck_assert_ptr_nonnull(f);
	char line[512];
	strcpy(out, "none");
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char perms[5];
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 && (uintptr_t)addr >= lo &&
		    (uintptr_t)addr < hi) {
			memcpy(out, perms, 5);
			break;
		}
	}
	fclose(f);
}

START_TEST(guest_blob_linear_map)
{
	struct vms_backing b;
	ck_assert_ok(vms_backing_alloc(&tv.guest, 3 * PAGE, VMS_LINEAR, &b));
	vms_pattern_fill(b.linear, b.len, 1);
	struct vgn_blob_params p = guest_params(&b, 3 * PAGE, VGN_BLOB_FLAG_MAPPABLE);
	ck_assert_ok(vgn_resource_create_blob(tv.r, 1, &p));
	void *ptr = NULL;
	uint64_t size = 0;
	ck_assert_ok(vgn_resource_map(tv.r, 1, &ptr, &size));
	ck_assert_ptr_nonnull(ptr);
	ck_assert_uint_eq(size, 3 * PAGE);
	tmem_expect_eq(ptr, b.linear, b.len, "mapped guest blob");
	/* The mapping is the guest's pages: writes go both ways. */
	((uint8_t *)ptr)[5000] = 0x3c;
	uint8_t v;
	vms_backing_read(&tv.guest, &b, 5000, &v, 1);
	ck_assert_uint_eq(v, 0x3c);
	uint32_t cache = 99;
	ck_assert_ok(vgn_resource_map_info(tv.r, 1, &cache));
	ck_assert_uint_eq(cache, VGN_MAP_CACHE_CACHED);
	ck_assert_rc(vgn_resource_map(tv.r, 1, &ptr, &size), -EBUSY);
	ck_assert_ok(vgn_resource_unmap(tv.r, 1));
	ck_assert_rc(vgn_resource_unmap(tv.r, 1), -EINVAL);
	ck_assert_ok(vgn_resource_map(tv.r, 1, &ptr, NULL));
	struct vgn_resource_info info;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ck_assert_ok(vgn_resource_get_info(tv.r, 1, &info));
	ck_assert_uint_eq(info.blob_mem, VGN_BLOB_MEM_GUEST);
	ck_assert_uint_eq(info.blob_size, 3 * PAGE);
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	vms_backing_free(&tv.guest, &b);
}
END_TEST

START_TEST(guest_blob_scattered)
{
	/* Scattered pages, not page-aligned size: fine as a blob, but there is no
	 * single view to map or place. */
	struct vms_backing b;
	ck_assert_ok(vms_backing_alloc(&tv.guest, 4 * PAGE, VMS_SCATTER_ODD, &b));
	struct vgn_blob_params p = guest_params(&b, 4 * PAGE - 100, VGN_BLOB_FLAG_MAPPABLE);
	ck_assert_ok(vgn_resource_create_blob(tv.r, 1, &p));
	void *ptr = (void *)(uintptr_t)0x1234;
	ck_assert_rc(vgn_resource_map(tv.r, 1, &ptr, NULL), -ENOTSUP);
	ck_assert_ptr_eq(ptr, (void *)(uintptr_t)0x1234);
	void *win = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(win, MAP_FAILED);
	ck_assert_rc(vgn_resource_map_fixed(tv.r, 1, win, 4 * PAGE), -ENOTSUP);
	char prot[5];
	page_prot(win, prot);
	ck_assert_str_eq(prot, "---p");
	munmap(win, 4 * PAGE);
	struct vgn_export e;
	memset(&e, 0, sizeof(e));
	e.size = sizeof(e);
	e.fd = -1;
	ck_assert_rc(vgn_resource_export(tv.r, 1, &e), -ENOTSUP);
	ck_assert_int_eq(e.fd, -1);
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	vms_backing_free(&tv.guest, &b);
}
END_TEST

START_TEST(guest_blob_invalid)
{
	struct vms_backing b;
	ck_assert_ok(vms_backing_alloc(&tv.guest, 2 * PAGE, VMS_SCATTER, &b));
	struct vgn_blob_params p = guest_params(&b, 2 * PAGE, 0);
	struct iovec bad_iov[2] = {{NULL, PAGE}, {b.iov[1].iov_base, PAGE}};
	ck_assert_rc(vgn_resource_create_blob(tv.r, 1, NULL), -EINVAL);
	ck_assert_rc(vgn_resource_create_blob(tv.r, 0, &p), -EINVAL);
	p.size = VGN_BLOB_PARAMS_SIZE_V1 - 1;
	ck_assert_rc(vgn_resource_create_blob(tv.r, 1, &p), -EINVAL);
	p = guest_params(&b, 0, 0);
	ck_assert_rc(vgn_resource_create_blob(tv.r, 1, &p), -EINVAL);
	p = guest_params(&b, 2 * PAGE + 1, 0); /* more than the pages hold */
	ck_assert_rc(vgn_resource_create_blob(tv.r, 1, &p), -EINVAL);
	p = guest_params(&b, UINT64_MAX, 0);
	ck_assert_rc(vgn_resource_create_blob(tv.r, 1, &p), -EINVAL);
	p = guest_params(&b, UINT64_MAX - PAGE + 1, 0);
	ck_assert_rc(vgn_resource_create_blob(tv.r, 1, &p), -EINVAL);
	p = guest_params(&b, PAGE, 1u << 3);
	ck_assert_rc(vgn_resource_create_blob(tv.r, 1, &p), -EINVAL);
	p = guest_params(&b, PAGE, 0);
	p.iov = NULL;
	ck_assert_rc(vgn_resource_create_blob(tv.r, 1, &p), -EINVAL);
	p = guest_params(&b, PAGE, 0);
	p.num_iovs = 0;
	ck_assert_rc(vgn_resource_create_blob(tv.r, 1, &p), -EINVAL);
	p = guest_params(&b, PAGE, 0);
	p.iov = bad_iov;
	ck_assert_rc(vgn_resource_create_blob(tv.r, 1, &p), -EINVAL);
	static const uint32_t mems[] = {0, 4, 5, 0xffffffffu};
	for (unsigned i = 0; i < 4; i++) {
		p = guest_params(&b, PAGE, 0);
		p.blob_mem = mems[i];
		ck_assert_rc(vgn_resource_create_blob(tv.r, 1, &p), -EINVAL);
	}
	/* HOST3D and HOST3D_GUEST need a context. */
	p = guest_params(&b, PAGE, 0);
	p.blob_mem = VGN_BLOB_MEM_HOST3D;
	p.iov = NULL;
	p.num_iovs = 0;
	ck_assert_rc(vgn_resource_create_blob(tv.r, 1, &p), -EINVAL);
	p = guest_params(&b, PAGE, 0);
	p.blob_mem = VGN_BLOB_MEM_HOST3D_GUEST;
	ck_assert_rc(vgn_resource_create_blob(tv.r, 1, &p), -EINVAL);
	/* A context that does not exist. */
	p = guest_params(&b, PAGE, 0);
	p.ctx_id = 3;
	ck_assert_rc(vgn_resource_create_blob(tv.r, 1, &p), -ENOENT);
	/* Nothing was created; then a duplicate id. */
	ck_assert_rc(vgn_resource_unref(tv.r, 1), -ENOENT);
	p = guest_params(&b, PAGE, 0);
	ck_assert_ok(vgn_resource_create_blob(tv.r, 1, &p));
	ck_assert_rc(vgn_resource_create_blob(tv.r, 1, &p), -EEXIST);
	ck_assert_ok(vms_resource_create_2d(&tv, 2, VGN_FORMAT_R8_UNORM, 4, 4));
	ck_assert_rc(vgn_resource_create_blob(tv.r, 2, &p), -EEXIST);
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	vms_backing_free(&tv.guest, &b);
}
END_TEST

START_TEST(blob_is_not_a_texture)
{
	struct vms_backing b;
	ck_assert_ok(vms_backing_alloc(&tv.guest, PAGE, VMS_SCATTER, &b));
	vms_backing_fill(&tv.guest, &b, 0x61);
	struct vgn_blob_params p = guest_params(&b, PAGE, 0);
	ck_assert_ok(vgn_resource_create_blob(tv.r, 1, &p));
	const struct vgn_box box = {0, 0, 0, 16, 1, 1};
	ck_assert_rc(vms_transfer(&tv, true, 1, 0, 0, &box, 0, 0, 0), -EINVAL);
	ck_assert_rc(vms_transfer(&tv, false, 1, 0, 0, &box, 0, 0, 0), -EINVAL);
	uint8_t dst[64];
	ck_assert_rc(vms_copy_out(&tv, 1, 0, 0, 16, 1, dst, sizeof(dst), 64), -EINVAL);
	ck_assert_rc(vms_attach_backing(&tv, 1, &b), -EINVAL);
	ck_assert_rc(vgn_resource_detach_backing(tv.r, 1), -EINVAL);
	for (size_t i = 0; i < PAGE; i += 111)
		ck_assert_uint_eq(*vms_backing_ptr(&tv.guest, &b, i), 0x61);
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	vms_backing_free(&tv.guest, &b);
}
END_TEST

START_TEST(map_rules)
{
	struct vms_backing b;
	ck_assert_ok(vms_backing_alloc(&tv.guest, PAGE, VMS_LINEAR, &b));
	struct vgn_blob_params p = guest_params(&b, PAGE, 0); /* not MAPPABLE */
	ck_assert_ok(vgn_resource_create_blob(tv.r, 1, &p));
	ck_assert_ok(vms_resource_create_2d(&tv, 2, VGN_FORMAT_R8_UNORM, 4, 4));
	void *ptr = NULL;
	uint64_t size = 0;
	uint32_t cache = 77;
	ck_assert_rc(vgn_resource_map(tv.r, 1, &ptr, &size), -EINVAL);
	ck_assert_rc(vgn_resource_map(tv.r, 2, &ptr, &size), -EINVAL);
	ck_assert_rc(vgn_resource_map(tv.r, 3, &ptr, &size), -ENOENT);
	ck_assert_rc(vgn_resource_map(tv.r, 1, NULL, &size), -EINVAL);
	ck_assert_ptr_null(ptr);
	ck_assert_uint_eq(size, 0);
	ck_assert_rc(vgn_resource_map_info(tv.r, 1, &cache), -EINVAL);
	ck_assert_rc(vgn_resource_map_info(tv.r, 2, &cache), -EINVAL);
	ck_assert_rc(vgn_resource_map_info(tv.r, 3, &cache), -ENOENT);
	ck_assert_uint_eq(cache, 77);
	ck_assert_rc(vgn_resource_unmap(tv.r, 1), -EINVAL);
	ck_assert_rc(vgn_resource_unmap(tv.r, 2), -EINVAL);
	ck_assert_rc(vgn_resource_unmap(tv.r, 3), -ENOENT);
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	vms_backing_free(&tv.guest, &b);
}
END_TEST

START_TEST(import_shm_roundtrip)
{
	const size_t len = 5 * PAGE;
	int fd = shm_with_pattern(len, 21);
	struct vgn_export in = shm_export(fd, len - 10);
	ck_assert_ok(vgn_resource_import(tv.r, 1, &in));
	/* The fd stays the caller's. */
	ck_assert_int_ge(fcntl(fd, F_GETFD), 0);
	void *ptr = NULL;
	uint64_t size = 0;
	ck_assert_ok(vgn_resource_map(tv.r, 1, &ptr, &size));
	ck_assert_uint_eq(size, len - 10);
	uint8_t *ref = malloc(len);
	ck_assert_ptr_nonnull(ref);
	vms_pattern_fill(ref, len, 21);
	tmem_expect_eq(ptr, ref, len - 10, "imported blob");
	/* Same memory: a write through the library's mapping is visible in ours. */
	((uint8_t *)ptr)[4097] = (uint8_t)~ref[4097];
	uint8_t *mine = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(mine, MAP_FAILED);
	ck_assert_uint_eq(mine[4097], (uint8_t)~ref[4097]);
	/* Export it again: another fd to the same bytes. */
	struct vgn_export out;
	memset(&out, 0, sizeof(out));
	out.size = sizeof(out);
	ck_assert_ok(vgn_resource_export(tv.r, 1, &out));
	ck_assert_int_ge(out.fd, 0);
	ck_assert_int_ne(out.fd, fd);
	ck_assert_uint_eq(out.handle_type, VGN_HANDLE_TYPE_SHM);
	ck_assert_uint_eq(out.blob_size, len - 10);
	ck_assert_int_ne(fcntl(out.fd, F_GETFD) & FD_CLOEXEC, 0);
	uint8_t *ex = mmap(NULL, len, PROT_READ, MAP_SHARED, out.fd, 0);
	ck_assert_ptr_ne(ex, MAP_FAILED);
	tmem_expect_eq(ex, mine, len, "exported bytes");
	munmap(ex, len);
	close(out.fd);
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	ck_assert_int_ge(fcntl(fd, F_GETFD), 0);
	munmap(mine, len);
	close(fd);
	free(ref);
}
END_TEST

START_TEST(import_invalid)
{
	int fd = shm_with_pattern(2 * PAGE, 3);
	int pipefd[2];
	ck_assert_int_eq(pipe(pipefd), 0);
	struct vgn_export e = shm_export(fd, 2 * PAGE);
	ck_assert_rc(vgn_resource_import(tv.r, 1, NULL), -EINVAL);
	ck_assert_rc(vgn_resource_import(tv.r, 0, &e), -EINVAL);
	e.size = VGN_EXPORT_SIZE_V1 - 1;
	ck_assert_rc(vgn_resource_import(tv.r, 1, &e), -EINVAL);
	e = shm_export(fd, 2 * PAGE);
	e.handle_type = VGN_HANDLE_TYPE_DMABUF;
	ck_assert_rc(vgn_resource_import(tv.r, 1, &e), -ENOTSUP);
	e.handle_type = VGN_HANDLE_TYPE_OPAQUE_FD;
	ck_assert_rc(vgn_resource_import(tv.r, 1, &e), -ENOTSUP);
	e.handle_type = 0;
	ck_assert_rc(vgn_resource_import(tv.r, 1, &e), -EINVAL);
	e.handle_type = 99;
	ck_assert_rc(vgn_resource_import(tv.r, 1, &e), -EINVAL);
	e = shm_export(-1, 2 * PAGE);
	ck_assert_rc(vgn_resource_import(tv.r, 1, &e), -EINVAL);
	e = shm_export(pipefd[0], 2 * PAGE);
	ck_assert_rc(vgn_resource_import(tv.r, 1, &e), -EINVAL);
	e = shm_export(fd, 0);
	ck_assert_rc(vgn_resource_import(tv.r, 1, &e), -EINVAL);
	e = shm_export(fd, 2 * PAGE + 1); /* bigger than the file */
	ck_assert_rc(vgn_resource_import(tv.r, 1, &e), -EINVAL);
	e = shm_export(fd, UINT64_MAX);
	ck_assert_rc(vgn_resource_import(tv.r, 1, &e), -EINVAL);
	ck_assert_rc(vgn_resource_unref(tv.r, 1), -ENOENT);
	ck_assert_ok(vms_resource_create_2d(&tv, 2, VGN_FORMAT_R8_UNORM, 4, 4));
	e = shm_export(fd, 2 * PAGE);
	ck_assert_rc(vgn_resource_import(tv.r, 2, &e), -EEXIST);
	ck_assert_ok(vgn_resource_import(tv.r, 1, &e));
	close(pipefd[0]);
	close(pipefd[1]);
	close(fd);
}
END_TEST

START_TEST(export_rules)
{
	int fd = shm_with_pattern(PAGE, 4);
	struct vgn_export e = shm_export(fd, PAGE);
	ck_assert_ok(vgn_resource_import(tv.r, 1, &e));
	close(fd);
	ck_assert_ok(vms_resource_create_2d(&tv, 2, VGN_FORMAT_R8_UNORM, 4, 4));
	struct vgn_export out;
	memset(&out, 0x5a, sizeof(out));
	out.size = 8;
	ck_assert_rc(vgn_resource_export(tv.r, 1, &out), -EINVAL);
	ck_assert_int_eq(out.fd, 0x5a5a5a5a);
	ck_assert_rc(vgn_resource_export(tv.r, 1, NULL), -EINVAL);
	memset(&out, 0, sizeof(out));
	out.size = sizeof(out);
	out.fd = -1;
	ck_assert_rc(vgn_resource_export(tv.r, 2, &out), -ENOTSUP);
	ck_assert_rc(vgn_resource_export(tv.r, 3, &out), -ENOENT);
	ck_assert_int_eq(out.fd, -1);
	/* Two exports: two fds the caller owns; the resource survives their close,
	 * and they survive the resource. */
	struct vgn_export a, b;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	b = a;
	ck_assert_ok(vgn_resource_export(tv.r, 1, &a));
	ck_assert_ok(vgn_resource_export(tv.r, 1, &b));
	ck_assert_int_ne(a.fd, b.fd);
	close(a.fd);
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	uint8_t *m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, b.fd, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	for (size_t i = 0; i < PAGE; i += 13)
		ck_assert_uint_eq(m[i], vms_pattern(4, i));
	munmap(m, PAGE);
	close(b.fd);
	/* A newer caller's bigger struct: tail untouched. */
	fd = shm_with_pattern(PAGE, 4);
	e = shm_export(fd, PAGE);
	ck_assert_ok(vgn_resource_import(tv.r, 1, &e));
	close(fd);
	struct {
		struct vgn_export e;
		uint8_t tail[16];
	} big;
	memset(&big, 0x5a, sizeof(big));
	big.e.size = sizeof(big);
	ck_assert_ok(vgn_resource_export(tv.r, 1, &big.e));
	ck_assert_int_ge(big.e.fd, 0);
	for (unsigned i = 0; i < sizeof(big.tail); i++)
		ck_assert_uint_eq(big.tail[i], 0x5a);
	close(big.e.fd);
}
END_TEST

START_TEST(map_fixed_window)
{
	const size_t len = 2 * PAGE;
	int fd = shm_with_pattern(len, 5);
	struct vgn_export e = shm_export(fd, len);
	ck_assert_ok(vgn_resource_import(tv.r, 1, &e));
	/* The VMM's shared-memory window: 8 reserved pages, blob goes at page 3. */
	uint8_t *win = mmap(NULL, 8 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(win, MAP_FAILED);
	uint8_t *at = win + 3 * PAGE;
	ck_assert_rc(vgn_resource_map_fixed(tv.r, 1, at + 1, len), -EINVAL);
	ck_assert_rc(vgn_resource_map_fixed(tv.r, 1, at, len - 1), -EINVAL);
	ck_assert_rc(vgn_resource_map_fixed(tv.r, 1, NULL, len), -EINVAL);
	ck_assert_rc(vgn_resource_map_fixed(tv.r, 2, at, len), -ENOENT);
	char prot[5];
	page_prot(at, prot);
	ck_assert_str_eq(prot, "---p");
	ck_assert_ok(vgn_resource_map_fixed(tv.r, 1, at, len));
	for (size_t i = 0; i < len; i += 7)
		ck_assert_uint_eq(at[i], vms_pattern(5, i));
	at[100] = 0xc3; /* shared with the fd */
	uint8_t *mine = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(mine, MAP_FAILED);
	ck_assert_uint_eq(mine[100], 0xc3);
	/* Neighbouring pages of the window are untouched. */
	page_prot(at - PAGE, prot);
	ck_assert_str_eq(prot, "---p");
	page_prot(at + len, prot);
	ck_assert_str_eq(prot, "---p");
	void *p2;
	ck_assert_rc(vgn_resource_map(tv.r, 1, &p2, NULL), -EBUSY);
	ck_assert_rc(vgn_resource_map_fixed(tv.r, 1, at, len), -EBUSY);
	/* Unmap leaves the range reserved and inaccessible, for the VMM to reuse. */
	ck_assert_ok(vgn_resource_unmap(tv.r, 1));
	page_prot(at, prot);
	ck_assert_str_eq(prot, "---p");
	/* Map again at another place of the window, then unref unmaps too. */
	ck_assert_ok(vgn_resource_map_fixed(tv.r, 1, win, 8 * PAGE));
	ck_assert_uint_eq(win[100], 0xc3);
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	page_prot(win, prot);
	ck_assert_str_eq(prot, "---p");
	munmap(mine, len);
	munmap(win, 8 * PAGE);
	close(fd);
}
END_TEST

START_TEST(import_unaligned_size)
{
	/* A 5000-byte file: the mapping covers it (rounded to pages internally). */
	int fd = shm_with_pattern(5000, 6);
	struct vgn_export e = shm_export(fd, 5000);
	ck_assert_ok(vgn_resource_import(tv.r, 1, &e));
	uint8_t *p = NULL;
	uint64_t size = 0;
	ck_assert_ok(vgn_resource_map(tv.r, 1, (void **)&p, &size));
	ck_assert_uint_eq(size, 5000);
	for (size_t i = 0; i < 5000; i++)
		ck_assert_uint_eq(p[i], vms_pattern(6, i));
	uint8_t *win = mmap(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(win, MAP_FAILED);
	ck_assert_rc(vgn_resource_map_fixed(tv.r, 1, win, 2 * PAGE), -EBUSY);
	ck_assert_ok(vgn_resource_unmap(tv.r, 1));
	ck_assert_rc(vgn_resource_map_fixed(tv.r, 1, win, 5000), -EINVAL); /* < 2 pages */
	ck_assert_ok(vgn_resource_map_fixed(tv.r, 1, win, 2 * PAGE));
	ck_assert_uint_eq(win[4999], vms_pattern(6, 4999));
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	munmap(win, 2 * PAGE);
	close(fd);
}
END_TEST

static Suite *blob_suite(void)
{
	Suite *s = suite_create("blob");
	TCase *tc = tcase_create("blob");
	tcase_add_checked_fixture(tc, tv_setup, tv_teardown);
	tcase_add_test(tc, guest_blob_linear_map);
	tcase_add_test(tc, guest_blob_scattered);
	tcase_add_test(tc, guest_blob_invalid);
	tcase_add_test(tc, blob_is_not_a_texture);
	tcase_add_test(tc, map_rules);
	tcase_add_test(tc, import_shm_roundtrip);
	tcase_add_test(tc, import_invalid);
	tcase_add_test(tc, export_rules);
	tcase_add_test(tc, map_fixed_window);
	tcase_add_test(tc, import_unaligned_size);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(blob_suite());
}
