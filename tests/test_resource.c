/* SPDX-License-Identifier: MIT */
/* Classic resources: creation rules, ids, guest backing, plane info, copy-out. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test_util.h"

#define FOURCC(a, b, c, d)                                                                         \
	((uint32_t)(a) | ((uint32_t)(b) << 8) | ((uint32_t)(c) << 16) | ((uint32_t)(d) << 24))

struct rc_case {
	const char *what;
	uint32_t target, format, w, h, d, a, last_level, samples, flags;
};

static struct vgn_resource_create_params params_of(const struct rc_case *c)
{
	struct vgn_resource_create_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.target = c->target;
	p.format = c->format;
	p.bind = VGN_BIND_SAMPLER_VIEW;
	p.width = c->w;
	p.height = c->h;
	p.depth = c->d;
	p.array_size = c->a;
	p.last_level = c->last_level;
	p.nr_samples = c->samples;
	p.flags = c->flags;
	return p;
}

#define BGRA VGN_FORMAT_B8G8R8A8_UNORM
#define R8 VGN_FORMAT_R8_UNORM

static const struct rc_case valid[] = {
    {"2D", VGN_TARGET_2D, BGRA, 64, 32, 1, 1, 0, 0, VGN_RESOURCE_FLAG_Y_0_TOP},
    {"2D full mip chain", VGN_TARGET_2D, BGRA, 64, 32, 1, 1, 6, 0, 0},
    {"2D widest", VGN_TARGET_2D, R8, 16384, 1, 1, 1, 14, 0, 0},
    {"buffer", VGN_TARGET_BUFFER, R8, 65536, 1, 1, 1, 0, 0, 0},
    {"1D", VGN_TARGET_1D, BGRA, 256, 1, 1, 1, 8, 0, 0},
    {"1D array", VGN_TARGET_1D_ARRAY, BGRA, 256, 1, 1, 4, 0, 0, 0},
    {"rect", VGN_TARGET_RECT, BGRA, 100, 50, 1, 1, 0, 0, 0},
    {"2D array", VGN_TARGET_2D_ARRAY, BGRA, 32, 32, 1, 8, 5, 0, 0},
    {"3D", VGN_TARGET_3D, BGRA, 32, 16, 8, 1, 5, 0, 0},
    {"cube", VGN_TARGET_CUBE, BGRA, 16, 16, 1, 6, 4, 0, 0},
    {"cube array", VGN_TARGET_CUBE_ARRAY, BGRA, 16, 16, 1, 12, 0, 0, 0},
    {"all flags", VGN_TARGET_2D, BGRA, 8, 8, 1, 1, 0, 0,
     VGN_RESOURCE_FLAG_Y_0_TOP | VGN_RESOURCE_FLAG_MAP_PERSISTENT | VGN_RESOURCE_FLAG_MAP_COHERENT},
};

static const struct rc_case invalid[] = {
    {"width 0", VGN_TARGET_2D, BGRA, 0, 32, 1, 1, 0, 0, 0},
    {"height 0", VGN_TARGET_2D, BGRA, 32, 0, 1, 1, 0, 0, 0},
    {"depth 0", VGN_TARGET_2D, BGRA, 32, 32, 0, 1, 0, 0, 0},
    {"width 2^32-1", VGN_TARGET_2D, BGRA, 0xffffffffu, 1, 1, 1, 0, 0, 0},
    {"height 2^32-1", VGN_TARGET_2D, BGRA, 1, 0xffffffffu, 1, 1, 0, 0, 0},
    {"all dims 2^32-1", VGN_TARGET_3D, BGRA, 0xffffffffu, 0xffffffffu, 0xffffffffu, 1, 0, 0, 0},
    {"width over the limit", VGN_TARGET_2D, R8, 16385, 1, 1, 1, 0, 0, 0},
    {"2D depth 2", VGN_TARGET_2D, BGRA, 8, 8, 2, 1, 0, 0, 0},
    {"2D array_size 0", VGN_TARGET_2D, BGRA, 8, 8, 1, 0, 0, 0, 0},
    {"2D array_size 2", VGN_TARGET_2D, BGRA, 8, 8, 1, 2, 0, 0, 0},
    {"1D height 2", VGN_TARGET_1D, BGRA, 8, 2, 1, 1, 0, 0, 0},
    {"buffer height 2", VGN_TARGET_BUFFER, R8, 64, 2, 1, 1, 0, 0, 0},
    {"buffer mip levels", VGN_TARGET_BUFFER, R8, 64, 1, 1, 1, 1, 0, 0},
    {"buffer samples", VGN_TARGET_BUFFER, R8, 64, 1, 1, 1, 0, 4, 0},
    {"buffer of 4 GiB", VGN_TARGET_BUFFER, R8, 0xffffffffu, 1, 1, 1, 0, 0, 0},
    {"level past the last", VGN_TARGET_2D, BGRA, 16, 16, 1, 1, 5, 0, 0},
    {"level 2^32-1", VGN_TARGET_2D, BGRA, 16, 16, 1, 1, 0xffffffffu, 0, 0},
    {"1D level from height", VGN_TARGET_1D, BGRA, 4, 1, 1, 1, 3, 0, 0},
    {"target 9", 9, BGRA, 8, 8, 1, 1, 0, 0, 0},
    {"target 2^32-1", 0xffffffffu, BGRA, 8, 8, 1, 1, 0, 0, 0},
    {"format 0", VGN_TARGET_2D, 0, 8, 8, 1, 1, 0, 0, 0},
    {"format 100000", VGN_TARGET_2D, 100000, 8, 8, 1, 1, 0, 0, 0},
    {"format 2^32-1", VGN_TARGET_2D, 0xffffffffu, 8, 8, 1, 1, 0, 0, 0},
    {"unknown flag", VGN_TARGET_2D, BGRA, 8, 8, 1, 1, 0, 0, 1u << 3},
    {"cube of 5 faces", VGN_TARGET_CUBE, BGRA, 8, 8, 1, 5, 0, 0, 0},
    {"cube not square", VGN_TARGET_CUBE, BGRA, 8, 16, 1, 6, 0, 0, 0},
    {"cube array of 7", VGN_TARGET_CUBE_ARRAY, BGRA, 8, 8, 1, 7, 0, 0, 0},
    {"3D too deep", VGN_TARGET_3D, BGRA, 8, 8, 4096, 1, 0, 0, 0},
    {"3D array_size 2", VGN_TARGET_3D, BGRA, 8, 8, 8, 2, 0, 0, 0},
    {"rect with mips", VGN_TARGET_RECT, BGRA, 8, 8, 1, 1, 1, 0, 0},
    {"multisampled mips", VGN_TARGET_2D, BGRA, 8, 8, 1, 1, 1, 4, 0},
    {"64 samples", VGN_TARGET_2D, BGRA, 8, 8, 1, 1, 0, 64, 0},
    {"16 GiB array", VGN_TARGET_2D_ARRAY, BGRA, 16384, 16384, 1, 16, 0, 0, 0},
    {"32 GiB 3D", VGN_TARGET_3D, BGRA, 2048, 2048, 2048, 1, 0, 0, 0},
    {"2D array of 0", VGN_TARGET_2D_ARRAY, BGRA, 8, 8, 1, 0, 0, 0, 0},
};

START_TEST(create_valid)
{
	const struct rc_case *c = &valid[_i];
	struct vgn_resource_create_params p = params_of(c);
	ck_assert_msg(vgn_resource_create(tv.r, 1, &p) == 0, "%s refused", c->what);
	struct vgn_resource_info info;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ck_assert_ok(vgn_resource_get_info(tv.r, 1, &info));
	ck_assert_uint_eq(info.format, c->format);
	ck_assert_uint_eq(info.width, c->w);
	ck_assert_uint_eq(info.height, c->h);
	ck_assert_uint_eq(info.depth, c->d);
	ck_assert_uint_eq(info.target, c->target);
	ck_assert_uint_eq(info.bind, VGN_BIND_SAMPLER_VIEW);
	ck_assert_uint_eq(info.flags, c->flags);
	ck_assert_uint_eq(info.blob_mem, 0);
	ck_assert_rc(vgn_resource_create(tv.r, 1, &p), -EEXIST);
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
}
END_TEST

START_TEST(create_invalid)
{
	const struct rc_case *c = &invalid[_i];
	struct vgn_resource_create_params p = params_of(c);
	int rc = vgn_resource_create(tv.r, 1, &p);
	ck_assert_msg(rc == -EINVAL, "%s: %d (%s), expected -EINVAL", c->what, rc,
	              vgn_strerror(rc));
	/* Nothing was created: the id is still free. */
	ck_assert_rc(vgn_resource_unref(tv.r, 1), -ENOENT);
	ck_assert_ok(vms_resource_create_2d(&tv, 1, BGRA, 4, 4));
}
END_TEST

START_TEST(create_multisampled)
{
	/* Valid parameters; only a GPU backend keeps multisampled resources (they have
	 * no guest layout), so without one the answer is "not supported". */
	const struct rc_case c = {"2D 4x", VGN_TARGET_2D, BGRA, 16, 16, 1, 1, 0, 4, 0};
	struct vgn_resource_create_params p = params_of(&c);
	struct vgn_features f;
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	ck_assert_ok(vgn_renderer_get_features(tv.r, &f));
	if (f.backends & (VGN_BACKEND_GL | VGN_BACKEND_VULKAN)) {
		ck_assert_ok(vgn_resource_create(tv.r, 1, &p));
		/* ... and such a resource cannot be transferred. */
		uint8_t buf[16 * 16 * 4];
		ck_assert_rc(vms_copy_out(&tv, 1, 0, 0, 16, 16, buf, sizeof(buf), 64), -EINVAL);
	} else {
		ck_assert_rc(vgn_resource_create(tv.r, 1, &p), -ENOTSUP);
		ck_assert_rc(vgn_resource_unref(tv.r, 1), -ENOENT);
	}
	/* Multi-planar formats have no layout the core can validate. */
	const struct rc_case nv12 = {"NV12", VGN_TARGET_2D, 166, 16, 16, 1, 1, 0, 0, 0};
	p = params_of(&nv12);
	ck_assert_rc(vgn_resource_create(tv.r, 2, &p), -ENOTSUP);
	ck_assert_rc(vgn_resource_unref(tv.r, 2), -ENOENT);
}
END_TEST

START_TEST(create_bad_struct_and_ids)
{
	struct vgn_resource_create_params p = params_of(&valid[0]);
	ck_assert_rc(vgn_resource_create(tv.r, 1, NULL), -EINVAL);
	ck_assert_rc(vgn_resource_create(tv.r, 0, &p), -EINVAL);
	p.size = VGN_RESOURCE_CREATE_PARAMS_SIZE_V1 - 1;
	ck_assert_rc(vgn_resource_create(tv.r, 1, &p), -EINVAL);
	p.size = 0;
	ck_assert_rc(vgn_resource_create(tv.r, 1, &p), -EINVAL);
	ck_assert_rc(vgn_resource_unref(tv.r, 1), -ENOENT);
	struct {
		struct vgn_resource_create_params p;
		uint8_t tail[40];
	} big;
	memset(&big, 0, sizeof(big));
	big.p = params_of(&valid[0]);
	big.p.size = sizeof(big);
	ck_assert_ok(vgn_resource_create(tv.r, 1, &big.p));
	ck_assert_ok(vgn_resource_create(tv.r, 0xffffffffu, &big.p));
}
END_TEST

START_TEST(duplicate_id_keeps_original)
{
	struct timg img;
	timg_create(&tv, &img, 5, BGRA, 16, 16, VMS_SCATTER, 0, 9);
	uint8_t *host = timg_host_copy(&tv, &img);
	ck_assert_rc(vms_resource_create_2d(&tv, 5, R8, 1, 1), -EEXIST);
	timg_expect_host(&tv, &img, host);
	struct vgn_resource_info info;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ck_assert_ok(vgn_resource_get_info(tv.r, 5, &info));
	ck_assert_uint_eq(info.width, 16);
	ck_assert_uint_eq(info.format, BGRA);
	free(host);
	timg_destroy(&tv, &img);
}
END_TEST

START_TEST(unref_unknown)
{
	ck_assert_rc(vgn_resource_unref(tv.r, 1), -ENOENT);
	ck_assert_rc(vgn_resource_unref(tv.r, 0), -ENOENT);
	ck_assert_rc(vgn_resource_unref(tv.r, 0xffffffffu), -ENOENT);
	ck_assert_ok(vms_resource_create_2d(&tv, 1, BGRA, 4, 4));
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	ck_assert_rc(vgn_resource_unref(tv.r, 1), -ENOENT);
}
END_TEST

START_TEST(id_reuse_is_fresh)
{
	/* A reused id is a new resource: new size, and no bytes of the old one. */
	struct timg img;
	timg_create(&tv, &img, 1, BGRA, 32, 32, VMS_SCATTER, 0, 77);
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	ck_assert_ok(vms_resource_create_2d(&tv, 1, BGRA, 32, 32));
	uint8_t *host = timg_host_copy(&tv, &img);
	for (size_t i = 0; i < timg_size(&img); i++)
		ck_assert_msg(host[i] == 0, "byte %zu of a fresh resource is 0x%02x", i, host[i]);
	free(host);
	/* No backing came along either. */
	const struct vgn_box box = {0, 0, 0, 32, 32, 1};
	ck_assert_rc(vms_transfer(&tv, true, 1, 0, 0, &box, 0, 0, 0), -EINVAL);
	ck_assert_ok(vms_resource_create_2d(&tv, 2, BGRA, 8, 8));
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	ck_assert_ok(vms_resource_create_2d(&tv, 1, R8, 3, 3));
	struct vgn_resource_info info;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ck_assert_ok(vgn_resource_get_info(tv.r, 1, &info));
	ck_assert_uint_eq(info.width, 3);
	ck_assert_uint_eq(info.format, R8);
	vms_backing_free(&tv.guest, &img.backing);
}
END_TEST

START_TEST(many_resources)
{
	for (uint32_t i = 0; i < 2000; i++)
		ck_assert_ok(vms_resource_create_2d(&tv, i * 7919 + 1, R8, 1 + i % 97, 1));
	for (uint32_t i = 0; i < 2000; i += 2)
		ck_assert_ok(vgn_resource_unref(tv.r, i * 7919 + 1));
	for (uint32_t i = 0; i < 2000; i++) {
		struct vgn_resource_info info;
		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		int rc = vgn_resource_get_info(tv.r, i * 7919 + 1, &info);
		if (i % 2) {
			ck_assert_int_eq(rc, 0);
			ck_assert_uint_eq(info.width, 1 + i % 97);
		} else {
			ck_assert_int_eq(rc, -ENOENT);
		}
	}
}
END_TEST

static void expect_no_backing(uint32_t res_id)
{
	const struct vgn_box box = {0, 0, 0, 1, 1, 1};
	ck_assert_rc(vms_transfer(&tv, true, res_id, 0, 0, &box, 0, 0, 0), -EINVAL);
}

START_TEST(attach_backing_invalid)
{
	uint8_t mem[256];
	struct iovec iov[2] = {{mem, 128}, {mem + 128, 128}};
	ck_assert_ok(vms_resource_create_2d(&tv, 1, BGRA, 8, 8));
	struct vgn_backing b;
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.iov = iov;
	b.num_iovs = 2;
	b.dmabuf_fd = -1;
	ck_assert_rc(vgn_resource_attach_backing(tv.r, 1, NULL), -EINVAL);
	b.size = VGN_BACKING_SIZE_V1 - 1;
	ck_assert_rc(vgn_resource_attach_backing(tv.r, 1, &b), -EINVAL);
	b.size = sizeof(b);
	b.iov = NULL;
	ck_assert_rc(vgn_resource_attach_backing(tv.r, 1, &b), -EINVAL);
	b.iov = iov;
	b.num_iovs = 0;
	ck_assert_rc(vgn_resource_attach_backing(tv.r, 1, &b), -EINVAL);
	/* A count far beyond the array must be refused before anything reads it. */
	b.num_iovs = 0xffffffffu;
	ck_assert_rc(vgn_resource_attach_backing(tv.r, 1, &b), -EINVAL);
	b.num_iovs = 2;
	iov[1].iov_base = NULL;
	ck_assert_rc(vgn_resource_attach_backing(tv.r, 1, &b), -EINVAL);
	iov[1].iov_base = mem + 128;
	iov[0].iov_len = SIZE_MAX;
	ck_assert_rc(vgn_resource_attach_backing(tv.r, 1, &b), -EINVAL);
	iov[0].iov_len = 128;
	b.flags = VGN_BACKING_FLAG_LINEAR; /* two iovecs cannot be one linear view */
	ck_assert_rc(vgn_resource_attach_backing(tv.r, 1, &b), -EINVAL);
	b.flags = 1u << 7;
	ck_assert_rc(vgn_resource_attach_backing(tv.r, 1, &b), -EINVAL);
	b.flags = 0;
	b.dmabuf_fd = -2;
	ck_assert_rc(vgn_resource_attach_backing(tv.r, 1, &b), -EINVAL);
	int fd = memfd_create("closed", MFD_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	close(fd);
	b.dmabuf_fd = fd; /* not open any more */
	ck_assert_rc(vgn_resource_attach_backing(tv.r, 1, &b), -EINVAL);
	b.dmabuf_fd = -1;
	ck_assert_rc(vgn_resource_attach_backing(tv.r, 2, &b), -ENOENT);
	/* None of it attached anything. */
	expect_no_backing(1);
	ck_assert_rc(vgn_resource_detach_backing(tv.r, 1), -EINVAL);
	ck_assert_ok(vgn_resource_attach_backing(tv.r, 1, &b));
}
END_TEST

START_TEST(attach_twice_busy)
{
	struct timg img;
	struct vms_backing other;
	timg_create(&tv, &img, 1, BGRA, 16, 16, VMS_SCATTER, 0, 5);
	ck_assert_ok(vms_backing_alloc(&tv.guest, 16 * 16 * 4, VMS_SCATTER, &other));
	vms_backing_fill(&tv.guest, &other, 0x99);
	ck_assert_rc(vms_attach_backing(&tv, 1, &other), -EBUSY);
	/* The first backing is still the one in use. */
	vms_backing_fill(&tv.guest, &img.backing, 0x31);
	ck_assert_ok(vms_transfer_to_host_2d(&tv, 1, 0, 0, 16, 16, 0));
	uint8_t *host = timg_host_copy(&tv, &img);
	for (size_t i = 0; i < timg_size(&img); i++)
		ck_assert_uint_eq(host[i], 0x31);
	free(host);
	/* Detach, attach the other, and it is used. */
	ck_assert_ok(vgn_resource_detach_backing(tv.r, 1));
	ck_assert_ok(vms_attach_backing(&tv, 1, &other));
	ck_assert_ok(vms_transfer_to_host_2d(&tv, 1, 0, 0, 16, 16, 0));
	host = timg_host_copy(&tv, &img);
	for (size_t i = 0; i < timg_size(&img); i++)
		ck_assert_uint_eq(host[i], 0x99);
	free(host);
	timg_destroy(&tv, &img);
	vms_backing_free(&tv.guest, &other);
}
END_TEST

START_TEST(detach_rules)
{
	ck_assert_rc(vgn_resource_detach_backing(tv.r, 1), -ENOENT);
	ck_assert_rc(vgn_resource_detach_backing(tv.r, 0), -ENOENT);
	struct timg img;
	timg_create(&tv, &img, 1, BGRA, 8, 8, VMS_SCATTER_ODD, 0, 6);
	uint8_t *host = timg_host_copy(&tv, &img);
	ck_assert_ok(vgn_resource_detach_backing(tv.r, 1));
	ck_assert_rc(vgn_resource_detach_backing(tv.r, 1), -EINVAL);
	expect_no_backing(1);
	/* The host copy outlives the backing. */
	timg_expect_host(&tv, &img, host);
	free(host);
	timg_destroy(&tv, &img);
}
END_TEST

START_TEST(iov_array_is_copied)
{
	/* The iovec array is the caller's only for the duration of the call. */
	struct vms_backing b;
	ck_assert_ok(vms_resource_create_2d(&tv, 1, BGRA, 32, 32));
	ck_assert_ok(vms_backing_alloc(&tv.guest, 32 * 32 * 4, VMS_SCATTER_ODD, &b));
	struct iovec *tmp = malloc(sizeof(*tmp) * b.num_iovs);
	ck_assert_ptr_nonnull(tmp);
	memcpy(tmp, b.iov, sizeof(*tmp) * b.num_iovs);
	struct vgn_backing d = vms_backing_desc(&b);
	d.iov = tmp;
	ck_assert_ok(vgn_resource_attach_backing(tv.r, 1, &d));
	memset(tmp, 0xff, sizeof(*tmp) * b.num_iovs); /* garbage pointers */
	free(tmp);
	uint8_t *pat = malloc(b.len);
	ck_assert_ptr_nonnull(pat);
	vms_pattern_fill(pat, b.len, 8);
	vms_backing_write(&tv.guest, &b, 0, pat, b.len);
	ck_assert_ok(vms_transfer_to_host_2d(&tv, 1, 0, 0, 32, 32, 0));
	uint8_t out[32 * 32 * 4];
	ck_assert_ok(vms_copy_out(&tv, 1, 0, 0, 32, 32, out, sizeof(out), 32 * 4));
	tmem_expect_eq(out, pat, sizeof(out), "host copy");
	free(pat);
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	vms_backing_free(&tv.guest, &b);
}
END_TEST

static int count_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	ck_assert_ptr_nonnull(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

START_TEST(dmabuf_fd_dup_and_release)
{
	struct vms_backing b;
	ck_assert_ok(vms_resource_create_2d(&tv, 1, BGRA, 8, 8));
	ck_assert_ok(vms_resource_create_2d(&tv, 2, BGRA, 8, 8));
	ck_assert_ok(vms_backing_alloc(&tv.guest, 8 * 8 * 4, VMS_LINEAR, &b));
	int base = count_fds();
	int fd = memfd_create("fake-dmabuf", MFD_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	struct vgn_backing d = vms_backing_desc(&b);
	d.dmabuf_fd = fd;
	ck_assert_ok(vgn_resource_attach_backing(tv.r, 1, &d));
	ck_assert_ok(vgn_resource_attach_backing(tv.r, 2, &d));
	close(fd); /* borrowed: the library keeps its own duplicates */
	ck_assert_int_eq(count_fds(), base + 2);
	ck_assert_ok(vgn_resource_detach_backing(tv.r, 1));
	ck_assert_int_eq(count_fds(), base + 1);
	ck_assert_ok(vgn_resource_unref(tv.r, 2));
	ck_assert_int_eq(count_fds(), base);
	ck_assert_ok(vgn_resource_unref(tv.r, 1));
	vms_backing_free(&tv.guest, &b);
}
END_TEST

START_TEST(get_info_2d)
{
	ck_assert_ok(vms_resource_create_2d(&tv, 1, BGRA, 100, 30));
	struct vgn_resource_info info;
	memset(&info, 0xa5, sizeof(info));
	info.size = sizeof(info);
	ck_assert_ok(vgn_resource_get_info(tv.r, 1, &info));
	ck_assert_uint_eq(info.size, sizeof(info));
	ck_assert_uint_eq(info.format, BGRA);
	ck_assert_uint_eq(info.drm_fourcc, FOURCC('A', 'R', '2', '4'));
	ck_assert_uint_eq(info.width, 100);
	ck_assert_uint_eq(info.height, 30);
	ck_assert_uint_eq(info.depth, 1);
	ck_assert_uint_eq(info.num_planes, 1);
	ck_assert_uint_ge(info.strides[0], 400);
	ck_assert_uint_eq(info.target, VGN_TARGET_2D);
	ck_assert_uint_eq(info.bind, VGN_BIND_RENDER_TARGET);
	ck_assert_uint_eq(info.flags, VGN_RESOURCE_FLAG_Y_0_TOP);
	ck_assert_uint_eq(info.blob_mem, 0);
	ck_assert_uint_eq(info.blob_size, 0);
	/* Bad sizes and ids change nothing. */
	struct vgn_resource_info small;
	memset(&small, 0x5a, sizeof(small));
	small.size = 8;
	ck_assert_rc(vgn_resource_get_info(tv.r, 1, &small), -EINVAL);
	ck_assert_uint_eq(small.width, 0x5a5a5a5a);
	ck_assert_rc(vgn_resource_get_info(tv.r, 1, NULL), -EINVAL);
	memset(&small, 0x5a, sizeof(small));
	small.size = sizeof(small);
	ck_assert_rc(vgn_resource_get_info(tv.r, 2, &small), -ENOENT);
	ck_assert_uint_eq(small.width, 0x5a5a5a5a);
	/* A newer caller's struct: the tail is left alone. */
	struct {
		struct vgn_resource_info i;
		uint8_t tail[16];
	} big;
	memset(&big, 0x5a, sizeof(big));
	big.i.size = sizeof(big);
	ck_assert_ok(vgn_resource_get_info(tv.r, 1, &big.i));
	ck_assert_uint_eq(big.i.width, 100);
	for (unsigned i = 0; i < sizeof(big.tail); i++)
		ck_assert_uint_eq(big.tail[i], 0x5a);
}
END_TEST

START_TEST(copy_out_partial)
{
	struct timg img;
	timg_create(&tv, &img, 1, BGRA, 64, 32, VMS_SCATTER_ODD, 0, 17);
	uint8_t *host = timg_host_copy(&tv, &img);
	const uint32_t x = 10, y = 5, w = 7, h = 3, stride = 64;
	uint8_t dst[2 * 64 + 28 + 16];
	memset(dst, 0xee, sizeof(dst));
	size_t need = (h - 1) * stride + w * 4;
	ck_assert_ok(vms_copy_out(&tv, 1, x, y, w, h, dst, need, stride));
	for (size_t i = 0; i < sizeof(dst); i++) {
		size_t r = i / stride, c = i % stride;
		uint8_t want = r < h && c < w * 4 ? host[(y + r) * 256 + x * 4 + c] : 0xee;
		ck_assert_msg(dst[i] == want, "dst byte %zu: 0x%02x want 0x%02x", i, dst[i], want);
	}
	free(host);
	timg_destroy(&tv, &img);
}
END_TEST

START_TEST(copy_out_refused)
{
	struct timg img;
	timg_create(&tv, &img, 1, BGRA, 64, 32, VMS_SCATTER, 0, 18);
	uint8_t dst[64 * 32 * 4];
	const size_t full = sizeof(dst);
	memset(dst, 0xee, sizeof(dst));
	struct vgn_box box = {0, 0, 0, 64, 32, 1};
	ck_assert_rc(vgn_resource_copy_out(tv.r, 1, &box, dst, full - 1, 256), -EINVAL);
	ck_assert_rc(vgn_resource_copy_out(tv.r, 1, &box, dst, 0, 256), -EINVAL);
	ck_assert_rc(vgn_resource_copy_out(tv.r, 1, &box, NULL, full, 256), -EINVAL);
	ck_assert_rc(vgn_resource_copy_out(tv.r, 1, NULL, dst, full, 256), -EINVAL);
	ck_assert_rc(vgn_resource_copy_out(tv.r, 1, &box, dst, full, 255), -EINVAL);
	ck_assert_rc(vgn_resource_copy_out(tv.r, 1, &box, dst, full, 0xffffffffu), -EINVAL);
	ck_assert_rc(vgn_resource_copy_out(tv.r, 2, &box, dst, full, 256), -ENOENT);
	static const struct vgn_box bad[] = {
	    {60, 0, 0, 5, 1, 1},          {0, 30, 0, 1, 3, 1},          {0, 0, 1, 1, 1, 1},
	    {0, 0, 0, 1, 1, 2},           {0, 0, 0, 1, 1, 0},           {0, 0, 0, 0, 1, 1},
	    {0xffffffffu, 0, 0, 2, 1, 1}, {0, 0xffffffffu, 0, 1, 2, 1},
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(vgn_resource_copy_out(tv.r, 1, &bad[i], dst, full, 256) == -EINVAL,
		              "bad box %u accepted", i);
	for (size_t i = 0; i < full; i++)
		ck_assert_uint_eq(dst[i], 0xee);
	timg_destroy(&tv, &img);
}
END_TEST

static Suite *resource_suite(void)
{
	Suite *s = suite_create("resource");
	TCase *tc = tcase_create("resource");
	tcase_add_checked_fixture(tc, tv_setup, tv_teardown);
	tcase_add_loop_test(tc, create_valid, 0, sizeof(valid) / sizeof(valid[0]));
	tcase_add_loop_test(tc, create_invalid, 0, sizeof(invalid) / sizeof(invalid[0]));
	tcase_add_test(tc, create_multisampled);
	tcase_add_test(tc, create_bad_struct_and_ids);
	tcase_add_test(tc, duplicate_id_keeps_original);
	tcase_add_test(tc, unref_unknown);
	tcase_add_test(tc, id_reuse_is_fresh);
	tcase_add_test(tc, many_resources);
	tcase_add_test(tc, attach_backing_invalid);
	tcase_add_test(tc, attach_twice_busy);
	tcase_add_test(tc, detach_rules);
	tcase_add_test(tc, iov_array_is_copied);
	tcase_add_test(tc, dmabuf_fd_dup_and_release);
	tcase_add_test(tc, get_info_2d);
	tcase_add_test(tc, copy_out_partial);
	tcase_add_test(tc, copy_out_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(resource_suite());
}
