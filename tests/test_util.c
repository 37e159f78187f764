/* SPDX-License-Identifier: MIT */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vms tv;

void tv_setup(void)
{
	int ret = vms_create(&tv, NULL);
	ck_assert_msg(ret == 0, "vms_create: %d", ret);
}

void tv_setup_thread(void)
{
	struct vms_options o;
	memset(&o, 0, sizeof(o));
	o.thread_callbacks = true;
	int ret = vms_create(&tv, &o);
	ck_assert_msg(ret == 0, "vms_create(thread mode): %d", ret);
}

void tv_teardown(void)
{
	vms_destroy(&tv);
}

size_t timg_size(const struct timg *img)
{
	return (size_t)img->width * img->height * img->bpp;
}

void timg_create(struct vms *v, struct timg *img, uint32_t res_id, uint32_t format, uint32_t width,
                 uint32_t height, enum vms_layout layout, size_t extra_bytes, uint32_t seed)
{
	memset(img, 0, sizeof(*img));
	img->res_id = res_id;
	img->format = format;
	img->width = width;
	img->height = height;
	img->bpp = vms_format_bpp(format);
	ck_assert_uint_ne(img->bpp, 0);
	ck_assert_ok(vms_resource_create_2d(v, res_id, format, width, height));
	ck_assert_ok(
	    vms_backing_alloc(&v->guest, timg_size(img) + extra_bytes, layout, &img->backing));
	ck_assert_ok(vms_attach_backing(v, res_id, &img->backing));
	uint8_t *pat = malloc(img->backing.len);
	ck_assert_ptr_nonnull(pat);
	vms_pattern_fill(pat, img->backing.len, seed);
	vms_backing_write(&v->guest, &img->backing, 0, pat, img->backing.len);
	free(pat);
	ck_assert_ok(vms_transfer_to_host_2d(v, res_id, 0, 0, width, height, 0));
}

void timg_destroy(struct vms *v, struct timg *img)
{
	ck_assert_ok(vgn_resource_unref(v->r, img->res_id));
	vms_backing_free(&v->guest, &img->backing);
}

void timg_read_host(struct vms *v, const struct timg *img, uint8_t *buf)
{
	ck_assert_ok(vms_copy_out(v, img->res_id, 0, 0, img->width, img->height, buf,
	                          timg_size(img), img->width * img->bpp));
}

uint8_t *timg_host_copy(struct vms *v, const struct timg *img)
{
	uint8_t *buf = malloc(timg_size(img));
	ck_assert_ptr_nonnull(buf);
	timg_read_host(v, img, buf);
	return buf;
}

void tmem_expect_eq(const uint8_t *a, const uint8_t *b, size_t len, const char *what)
{
	for (size_t i = 0; i < len; i++) {
		if (a[i] != b[i])
			ck_abort_msg("%s: byte %zu differs: 0x%02x != 0x%02x (of %zu)", what, i,
			             a[i], b[i], len);
	}
}

void timg_expect_host(struct vms *v, const struct timg *img, const uint8_t *expect)
{
	uint8_t *now = timg_host_copy(v, img);
	tmem_expect_eq(now, expect, timg_size(img), "host copy");
	free(now);
}

uint8_t *tback_copy(struct vms *v, const struct vms_backing *b)
{
	uint8_t *buf = malloc(b->len);
	ck_assert_ptr_nonnull(buf);
	vms_backing_read(&v->guest, b, 0, buf, b->len);
	return buf;
}

void tback_expect(struct vms *v, const struct vms_backing *b, const uint8_t *expect)
{
	uint8_t *now = tback_copy(v, b);
	tmem_expect_eq(now, expect, b->len, "guest backing");
	free(now);
}

uint32_t t_first_capset(vgn_renderer *r)
{
	struct vgn_features f;
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	if (vgn_renderer_get_features(r, &f))
		return 0;
	for (uint32_t i = 1; i < 64; i++) {
		if (f.capset_mask & (1ull << i))
			return i;
	}
	return 0;
}

int t_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int tres_xfer(struct vms *v, bool to_host, uint32_t res_id, uint32_t level,
                     struct vgn_box box, uint32_t bpp, uint8_t *buf)
{
	struct iovec iov = {buf, (size_t)box.w * box.h * box.d * bpp};
	struct vgn_transfer t;
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.level = level;
	t.box = box;
	t.stride = box.w * bpp;
	t.layer_stride = box.w * box.h * bpp;
	t.iov = &iov;
	t.num_iovs = 1;
	return to_host ? vgn_resource_transfer_to_host(v->r, res_id, &t)
	               : vgn_resource_transfer_from_host(v->r, res_id, &t);
}

uint8_t *tres_read(struct vms *v, uint32_t res_id, uint32_t level, struct vgn_box box, uint32_t bpp)
{
	size_t len = (size_t)box.w * box.h * box.d * bpp;
	uint8_t *buf = malloc(len);
	ck_assert_ptr_nonnull(buf);
	memset(buf, 0xcc, len);
	ck_assert_ok(tres_xfer(v, false, res_id, level, box, bpp, buf));
	return buf;
}

void tres_write(struct vms *v, uint32_t res_id, uint32_t level, struct vgn_box box, uint32_t bpp,
                const uint8_t *src)
{
	ck_assert_ok(tres_xfer(v, true, res_id, level, box, bpp, (uint8_t *)src));
}
