/* SPDX-License-Identifier: MIT */
/*
 * The framebuffer area on the live host GL (vctx_harness): clears of several
 * formats read back exactly, CLEAR_SURFACE / CLEAR_TEXTURE rectangles, blits
 * (scaling, mirroring, sub-boxes, mipmap steps of 3D and depth textures,
 * decompressing), copies, in-stream transfers (inline write,
 * TRANSFER3D both ways, COPY_TRANSFER3D), sampler views, queries, and hostile
 * variants that kill only their own context.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"
#include "protocol.h"
#include "vctx.h"
#include "vctx_harness.h"

#define FMT_R8_UNORM 64u
#define FMT_Z32_FLOAT 18u
#define FMT_R32G32B32A32_UINT 196u
#define FMT_R8G8B8A8_SRGB 104u
#define FMT_R8G8B8A8_UINT 180u
#define FMT_R8G8B8X8_UNORM 134u
#define FMT_S8_UINT_Z24_UNORM 20u
#define FMT_L8_UNORM 9u
#define FMT_R32_FLOAT 28u
#define FMT_L8_SRGB 95u
#define FMT_R8_UINT 177u
#define FMT_R8_SINT 181u

/* A texture of any target with a zeroed tight backing of every level. */
static int tex(struct vh *h, uint32_t id, uint32_t target, uint32_t fmt, uint32_t bpp, uint32_t w,
               uint32_t hgt, uint32_t layers, uint32_t last_level, uint32_t bind)
{
	struct vgn_resource_create_params p = {
	    .size = sizeof(p),
	    .target = target,
	    .format = fmt,
	    .bind = bind,
	    .width = w,
	    .height = hgt,
	    .depth = target == VGN_TARGET_3D ? layers : 1,
	    .array_size = target == VGN_TARGET_3D ? 1 : layers,
	    .last_level = last_level,
	};
	size_t size = 0;
	for (uint32_t l = 0; l <= last_level; l++) {
		size_t lw = w >> l ? w >> l : 1, lh = hgt >> l ? hgt >> l : 1;
		size += lw * lh * layers * bpp;
	}
	return vh_resource(h, id, &p, size, bpp);
}

static uint32_t rgba8(uint8_t r, uint8_t g, uint8_t b, uint8_t a)
{
	return r | (uint32_t)g << 8 | (uint32_t)b << 16 | (uint32_t)a << 24;
}

static void set_fb(struct vh_cb *cb, uint32_t surf)
{
	vh_set_framebuffer(cb, 1, (uint32_t[]){surf}, 0);
}

static void view(struct vh_cb *cb, uint32_t handle, uint32_t res, uint32_t fmt, uint32_t p4,
                 uint32_t p5, uint32_t swz)
{
	vh_cmd(cb, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_SAMPLER_VIEW, 6);
	vh_dw(cb, handle);
	vh_dw(cb, res);
	vh_dw(cb, fmt);
	vh_dw(cb, p4);
	vh_dw(cb, p5);
	vh_dw(cb, swz);
}

static void blit(struct vh_cb *cb, uint32_t s0, uint32_t dst, uint32_t dfmt, const int32_t *dbox,
                 uint32_t src, uint32_t sfmt, const int32_t *sbox)
{
	vh_cmd(cb, VREND_CCMD_BLIT, 0, 21);
	vh_dw(cb, s0);
	vh_dw(cb, 0);
	vh_dw(cb, 0);
	vh_dw(cb, dst);
	vh_dw(cb, 0);
	vh_dw(cb, dfmt);
	for (int i = 0; i < 6; i++)
		vh_dw(cb, (uint32_t)dbox[i]);
	vh_dw(cb, src);
	vh_dw(cb, 0);
	vh_dw(cb, sfmt);
	for (int i = 0; i < 6; i++)
		vh_dw(cb, (uint32_t)sbox[i]);
}

static void transfer3d(struct vh_cb *cb, uint32_t res, uint32_t level, uint32_t stride,
                       uint32_t lstride, const uint32_t *box, uint32_t offset, uint32_t dir)
{
	vh_cmd(cb, VREND_CCMD_TRANSFER3D, 0, 13);
	vh_dw(cb, res);
	vh_dw(cb, level);
	vh_dw(cb, 0);
	vh_dw(cb, stride);
	vh_dw(cb, lstride);
	for (int i = 0; i < 6; i++)
		vh_dw(cb, box[i]);
	vh_dw(cb, offset);
	vh_dw(cb, dir);
}

static void inline_write(struct vh_cb *cb, uint32_t res, uint32_t stride, const uint32_t *box,
                         const uint32_t *data, uint32_t ndw)
{
	vh_cmd(cb, VREND_CCMD_RESOURCE_INLINE_WRITE, 0, 11 + ndw);
	vh_dw(cb, res);
	vh_dw(cb, 0);
	vh_dw(cb, 0);
	vh_dw(cb, stride);
	vh_dw(cb, 0);
	for (int i = 0; i < 6; i++)
		vh_dw(cb, box[i]);
	for (uint32_t i = 0; i < ndw; i++)
		vh_dw(cb, data[i]);
}

/* Context 1 with an RGBA8 render target 10 (16x16) bound as surface 1. */
static struct vh *setup_rt(struct vh_cb *cb)
{
	struct vh *h = vh_create();

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(vh_texture_2d(h, 10, VH_FMT_R8G8B8A8_UNORM, 16, 16,
	                               VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW),
	                 0);
	vh_attach(h, 1, 10);
	vh_cb_init(cb);
	vh_create_surface(cb, 1, 10, VH_FMT_R8G8B8A8_UNORM, 0, 0, 0);
	set_fb(cb, 1);
	return h;
}

START_TEST(clear_rgba8_exact)
{
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);
	uint32_t px[16 * 16];

	vh_clear_color(&cb, 1.0f, 0.0f, 0.5f, 0.25f);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 10, 0, 0, 16, 16, px), 0);
	for (int i = 0; i < 16 * 16; i++)
		ck_assert_uint_eq(px[i], rgba8(255, 0, 128, 64));
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* A surface of a compressed texture (Mesa asks for them) is valid: it attaches
 * nothing and the context lives on; the next framebuffer clears exactly. */
START_TEST(compressed_surface_is_inert)
{
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);
	uint32_t px[16 * 16];

	/* DXT1_RGB = 105: 4x4 blocks of 8 bytes, so 16x16 texels are 128 bytes. */
	ck_assert_int_eq(tex(h, 20, VGN_TARGET_2D, 105, 1, 16, 16, 1, 0, VGN_BIND_SAMPLER_VIEW), 0);
	vh_attach(h, 1, 20);
	vh_create_surface(&cb, 2, 20, 105, 0, 0, 0);
	set_fb(&cb, 2);
	vh_clear_color(&cb, 0.0f, 1.0f, 0.0f, 1.0f);
	set_fb(&cb, 1);
	vh_clear_color(&cb, 1.0f, 0.0f, 0.5f, 0.25f);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 10, 0, 0, 16, 16, px), 0);
	for (int i = 0; i < 16 * 16; i++)
		ck_assert_uint_eq(px[i], rgba8(255, 0, 128, 64));
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* Mesa renders to an sRGB luminance texture through a linear L8_UNORM
 * surface (piglit getteximage-formats). L8_SRGB is kept as GL_SRGB8, which
 * has no GL_R8 view: the surface views the storage as GL_RGB8 instead, so a
 * clear to 0.5 lands unencoded (128, not sRGB's 188). A surface whose format
 * has no view of the storage at all attaches nothing and the context lives. */
START_TEST(linear_surface_over_srgb_luminance)
{
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);
	uint8_t l[16 * 16];
	uint32_t px[16 * 16];

	/* Sampler-view bind only, as Mesa creates it: L8_SRGB is not renderable. */
	ck_assert_int_eq(
	    tex(h, 20, VGN_TARGET_2D, FMT_L8_SRGB, 1, 16, 16, 1, 0, VGN_BIND_SAMPLER_VIEW), 0);
	ck_assert_int_eq(tex(h, 21, VGN_TARGET_2D, FMT_R32_FLOAT, 4, 16, 16, 1, 0,
	                     VGN_BIND_SAMPLER_VIEW | VGN_BIND_RENDER_TARGET),
	                 0);
	vh_attach(h, 1, 20);
	vh_attach(h, 1, 21);
	vh_create_surface(&cb, 2, 20, FMT_L8_UNORM, 0, 0, 0);
	set_fb(&cb, 2);
	vh_clear_color(&cb, 0.5f, 0.0f, 0.0f, 1.0f);
	vh_create_surface(&cb, 3, 21, FMT_R8_UNORM, 0, 0, 0); /* 8 bits over 32: no view */
	set_fb(&cb, 3);
	vh_clear_color(&cb, 0.0f, 1.0f, 0.0f, 1.0f);
	set_fb(&cb, 1);
	vh_clear_color(&cb, 1.0f, 0.0f, 0.5f, 0.25f);
	ck_assert_msg(vh_submit(h, 1, &cb) == 0, "%s", h->log);
	ck_assert_int_eq(vh_read(h, 20, 0, 0, 16, 16, l), 0);
	for (int i = 0; i < 16 * 16; i++)
		ck_assert_uint_eq(l[i], 128);
	ck_assert_int_eq(vh_read(h, 10, 0, 0, 16, 16, px), 0);
	for (int i = 0; i < 16 * 16; i++)
		ck_assert_uint_eq(px[i], rgba8(255, 0, 128, 64));
	ck_assert(vh_log_has(h, "not viewable, attaches nothing"));
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* Mesa reads a compressed texture back by blitting it 1:1 into a float
 * texture; a compressed texture cannot be attached to a framebuffer, so the
 * host decompresses it. One DXT1 block: colour 0 red, colour 1 blue, row 0
 * uses colour 0, rows 1..3 colour 1; DXT1_RGB has alpha 1. */
START_TEST(blit_from_compressed)
{
	static const uint8_t block[8] = {0x00, 0xf8, 0x1f, 0x00, 0x00, 0x55, 0x55, 0x55};
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);
	float f[4 * 4 * 4];

	ck_assert_int_eq(tex(h, 20, VGN_TARGET_2D, 105, 1, 4, 4, 1, 0, VGN_BIND_SAMPLER_VIEW), 0);
	ck_assert_int_eq(tex(h, 21, VGN_TARGET_2D, VH_FMT_R32G32B32A32_FLOAT, 16, 4, 4, 1, 0,
	                     VGN_BIND_RENDER_TARGET),
	                 0);
	vh_attach(h, 1, 20);
	vh_attach(h, 1, 21);
	ck_assert_int_eq(vh_upload(h, 20, block, sizeof(block)), 0);
	blit(&cb, 0xf, 21, VH_FMT_R32G32B32A32_FLOAT, (const int32_t[]){0, 0, 0, 4, 4, 1}, 20, 105,
	     (const int32_t[]){0, 0, 0, 4, 4, 1});
	ck_assert_msg(vh_submit(h, 1, &cb) == 0, "%s", h->log);
	ck_assert_int_eq(vh_read(h, 21, 0, 0, 4, 4, f), 0);
	for (int i = 0; i < 16; i++) {
		bool red = i < 4;
		ck_assert_float_eq_tol(f[4 * i], red ? 1.0f : 0.0f, 0.01f);
		ck_assert_float_eq_tol(f[4 * i + 1], 0.0f, 0.01f);
		ck_assert_float_eq_tol(f[4 * i + 2], red ? 0.0f : 1.0f, 0.01f);
		ck_assert_float_eq_tol(f[4 * i + 3], 1.0f, 0.01f);
	}
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* Two colour buffers of different kinds (float, uint) and a float depth
 * buffer, cleared by one CLEAR. */
START_TEST(clear_mixed_formats)
{
	struct vh *h = vh_create();
	struct vh_cb cb;

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(tex(h, 10, VGN_TARGET_2D, VH_FMT_R32G32B32A32_FLOAT, 16, 8, 8, 1, 0,
	                     VGN_BIND_RENDER_TARGET),
	                 0);
	ck_assert_int_eq(tex(h, 11, VGN_TARGET_2D, FMT_R32G32B32A32_UINT, 16, 8, 8, 1, 0,
	                     VGN_BIND_RENDER_TARGET),
	                 0);
	ck_assert_int_eq(
	    tex(h, 12, VGN_TARGET_2D, FMT_Z32_FLOAT, 4, 8, 8, 1, 0, VGN_BIND_DEPTH_STENCIL), 0);
	for (uint32_t id = 10; id <= 12; id++)
		vh_attach(h, 1, id);
	vh_cb_init(&cb);
	vh_create_surface(&cb, 1, 10, VH_FMT_R32G32B32A32_FLOAT, 0, 0, 0);
	vh_create_surface(&cb, 2, 11, FMT_R32G32B32A32_UINT, 0, 0, 0);
	vh_create_surface(&cb, 3, 12, FMT_Z32_FLOAT, 0, 0, 0);
	vh_set_framebuffer(&cb, 2, (uint32_t[]){1, 2}, 3);
	/* The colour dwords: float bits for buffer 0, raw uints for buffer 1. */
	uint64_t d;
	double depth = 0.375;
	memcpy(&d, &depth, 8);
	vh_cmd(&cb, VREND_CCMD_CLEAR, 0, 8);
	vh_dw(&cb, 1u | 4u | 8u); /* depth, colour 0, colour 1 */
	vh_dw(&cb, 0x3f800000);   /* 1.0 */
	vh_dw(&cb, 0x40000000);   /* 2.0 */
	vh_dw(&cb, 7);            /* tiny denormal as float, 7 as uint */
	vh_dw(&cb, 0xc0400000);   /* -3.0 */
	vh_dw(&cb, (uint32_t)d);
	vh_dw(&cb, (uint32_t)(d >> 32));
	vh_dw(&cb, 0);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);

	float f[8 * 8 * 4];
	uint32_t u[8 * 8 * 4];
	float z[8 * 8];
	ck_assert_int_eq(vh_read(h, 10, 0, 0, 8, 8, f), 0);
	ck_assert_int_eq(vh_read(h, 11, 0, 0, 8, 8, u), 0);
	ck_assert_int_eq(vh_read(h, 12, 0, 0, 8, 8, z), 0);
	for (int i = 0; i < 64; i++) {
		ck_assert_float_eq(f[4 * i], 1.0f);
		ck_assert_float_eq(f[4 * i + 1], 2.0f);
		ck_assert_float_eq(f[4 * i + 3], -3.0f);
		ck_assert_uint_eq(u[4 * i], 0x3f800000);
		ck_assert_uint_eq(u[4 * i + 1], 0x40000000);
		ck_assert_uint_eq(u[4 * i + 2], 7);
		ck_assert_uint_eq(u[4 * i + 3], 0xc0400000);
		ck_assert_float_eq(z[i], 0.375f);
	}
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

START_TEST(clear_surface_rect)
{
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);
	uint32_t px[16 * 16];

	vh_clear_color(&cb, 0.0f, 0.0f, 1.0f, 1.0f);
	vh_cmd(&cb, VREND_CCMD_CLEAR_SURFACE, 0, 10);
	vh_dw(&cb, 8u | 1u); /* colour, render condition on */
	vh_dw(&cb, 1);
	vh_f32(&cb, 1.0f);
	vh_f32(&cb, 0.0f);
	vh_f32(&cb, 0.0f);
	vh_f32(&cb, 1.0f);
	vh_dw(&cb, 2);
	vh_dw(&cb, 3);
	vh_dw(&cb, 4);
	vh_dw(&cb, 5);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 10, 0, 0, 16, 16, px), 0);
	for (int y = 0; y < 16; y++) {
		for (int x = 0; x < 16; x++) {
			bool in = x >= 2 && x < 6 && y >= 3 && y < 8;
			ck_assert_uint_eq(px[y * 16 + x],
			                  in ? rgba8(255, 0, 0, 255) : rgba8(0, 0, 255, 255));
		}
	}
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

START_TEST(clear_texture_box)
{
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);
	uint32_t px[16 * 16];

	vh_cmd(&cb, VREND_CCMD_CLEAR_TEXTURE, 0, 12);
	vh_dw(&cb, 10);
	vh_dw(&cb, 0);
	const uint32_t box[6] = {1, 2, 0, 3, 2, 1};
	for (int i = 0; i < 6; i++)
		vh_dw(&cb, box[i]);
	vh_dw(&cb, rgba8(9, 8, 7, 6));
	vh_dw(&cb, 0);
	vh_dw(&cb, 0);
	vh_dw(&cb, 0);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 10, 0, 0, 16, 16, px), 0);
	for (int y = 0; y < 16; y++) {
		for (int x = 0; x < 16; x++) {
			bool in = x >= 1 && x < 4 && y >= 2 && y < 4;
			ck_assert_uint_eq(px[y * 16 + x], in ? rgba8(9, 8, 7, 6) : 0);
		}
	}
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* A 4x4 source with distinct pixels, blitted 2x up, mirrored, and as a
 * sub-box; row 0 of the source lands on row 0 of the destination. */
START_TEST(blit_scale_mirror_subbox)
{
	struct vh *h = vh_create();
	struct vh_cb cb;
	uint32_t src[16], px[8 * 8];

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(vh_texture_2d(h, 20, VH_FMT_R8G8B8A8_UNORM, 4, 4, VGN_BIND_SAMPLER_VIEW),
	                 0);
	ck_assert_int_eq(vh_texture_2d(h, 21, VH_FMT_R8G8B8A8_UNORM, 8, 8, VGN_BIND_RENDER_TARGET),
	                 0);
	vh_attach(h, 1, 20);
	vh_attach(h, 1, 21);
	for (int i = 0; i < 16; i++)
		src[i] = rgba8((uint8_t)(i * 16), (uint8_t)i, 0, 255);
	ck_assert_int_eq(vh_upload(h, 20, src, sizeof(src)), 0);

	vh_cb_init(&cb);
	blit(&cb, 0xf, 21, VH_FMT_R8G8B8A8_UNORM, (const int32_t[]){0, 0, 0, 8, 8, 1}, 20,
	     VH_FMT_R8G8B8A8_UNORM, (const int32_t[]){0, 0, 0, 4, 4, 1});
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 21, 0, 0, 8, 8, px), 0);
	for (int y = 0; y < 8; y++)
		for (int x = 0; x < 8; x++)
			ck_assert_uint_eq(px[y * 8 + x], src[(y / 2) * 4 + x / 2]);

	/* Mirrored in x (negative source width), 1:1 into the top-left 4x4. */
	vh_cb_reset(&cb);
	blit(&cb, 0xf, 21, VH_FMT_R8G8B8A8_UNORM, (const int32_t[]){0, 0, 0, 4, 4, 1}, 20,
	     VH_FMT_R8G8B8A8_UNORM, (const int32_t[]){4, 0, 0, -4, 4, 1});
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 21, 0, 0, 8, 8, px), 0);
	for (int y = 0; y < 4; y++)
		for (int x = 0; x < 4; x++)
			ck_assert_uint_eq(px[y * 8 + x], src[y * 4 + (3 - x)]);

	/* Sub-box: source (1,2) 2x1 to destination (5,6). */
	vh_cb_reset(&cb);
	blit(&cb, 0xf, 21, VH_FMT_R8G8B8A8_UNORM, (const int32_t[]){5, 6, 0, 2, 1, 1}, 20,
	     VH_FMT_R8G8B8A8_UNORM, (const int32_t[]){1, 2, 0, 2, 1, 1});
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 21, 0, 0, 8, 8, px), 0);
	ck_assert_uint_eq(px[6 * 8 + 5], src[2 * 4 + 1]);
	ck_assert_uint_eq(px[6 * 8 + 6], src[2 * 4 + 2]);
	ck_assert_uint_eq(px[6 * 8 + 7], src[(6 / 2) * 4 + 7 / 2]); /* untouched */

	/* A destination box sticking out of the level (Mesa sends them) is
	 * clipped, keeping the source mapping: dst (0,0) = src (2,2). */
	vh_cb_reset(&cb);
	blit(&cb, 0xf, 21, VH_FMT_R8G8B8A8_UNORM, (const int32_t[]){-2, -2, 0, 4, 4, 1}, 20,
	     VH_FMT_R8G8B8A8_UNORM, (const int32_t[]){0, 0, 0, 4, 4, 1});
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 21, 0, 0, 8, 8, px), 0);
	ck_assert_uint_eq(px[0], src[2 * 4 + 2]);
	ck_assert_uint_eq(px[1 * 8 + 1], src[3 * 4 + 3]);
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* sRGB view of a linear resource as blit destination: the value is encoded. */
START_TEST(blit_srgb_view)
{
	struct vh *h = vh_create();
	struct vh_cb cb;
	uint32_t src[4], px[4];

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(vh_texture_2d(h, 20, VH_FMT_R8G8B8A8_UNORM, 2, 2, VGN_BIND_SAMPLER_VIEW),
	                 0);
	ck_assert_int_eq(vh_texture_2d(h, 21, VH_FMT_R8G8B8A8_UNORM, 2, 2, VGN_BIND_RENDER_TARGET),
	                 0);
	vh_attach(h, 1, 20);
	vh_attach(h, 1, 21);
	for (int i = 0; i < 4; i++)
		src[i] = rgba8(128, 0, 255, 255);
	ck_assert_int_eq(vh_upload(h, 20, src, sizeof(src)), 0);
	vh_cb_init(&cb);
	blit(&cb, 0xf, 21, FMT_R8G8B8A8_SRGB, (const int32_t[]){0, 0, 0, 2, 2, 1}, 20,
	     VH_FMT_R8G8B8A8_UNORM, (const int32_t[]){0, 0, 0, 2, 2, 1});
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 21, 0, 0, 2, 2, px), 0);
	/* linear 128/255 = 0.502 -> sRGB 0.735 = 188 (+-1) */
	uint8_t r = px[0] & 0xff;
	ck_assert_int_ge(r, 187);
	ck_assert_int_le(r, 189);
	ck_assert_uint_eq(px[0] >> 8, 0xffff00u);
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* Conversions glBlitFramebuffer cannot do itself: depth between formats
 * (read back and uploaded) and an X source into an alpha destination (alpha
 * reads as 1 whatever the X bytes hold). */
START_TEST(blit_conversions)
{
	struct vh *h = vh_create();
	struct vh_cb cb;

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(
	    tex(h, 20, VGN_TARGET_2D, FMT_S8_UINT_Z24_UNORM, 4, 4, 4, 1, 0, VGN_BIND_DEPTH_STENCIL),
	    0);
	ck_assert_int_eq(
	    tex(h, 21, VGN_TARGET_2D, FMT_Z32_FLOAT, 4, 4, 4, 1, 0, VGN_BIND_DEPTH_STENCIL), 0);
	ck_assert_int_eq(
	    tex(h, 22, VGN_TARGET_2D, FMT_R8G8B8X8_UNORM, 4, 4, 4, 1, 0, VGN_BIND_SAMPLER_VIEW), 0);
	ck_assert_int_eq(vh_texture_2d(h, 23, VH_FMT_R8G8B8A8_UNORM, 4, 4, VGN_BIND_RENDER_TARGET),
	                 0);
	for (uint32_t id = 20; id <= 23; id++)
		vh_attach(h, 1, id);
	uint32_t x[16];
	for (int i = 0; i < 16; i++)
		x[i] = rgba8(10, 20, 30, 0); /* X byte 0 */
	ck_assert_int_eq(vh_upload(h, 22, x, sizeof(x)), 0);
	vh_cb_init(&cb);
	vh_create_surface(&cb, 1, 20, FMT_S8_UINT_Z24_UNORM, 0, 0, 0);
	vh_set_framebuffer(&cb, 0, NULL, 1);
	const float black[4] = {0};
	vh_clear(&cb, 1, black, 0.25, 0);
	blit(&cb, 0x10, 21, FMT_Z32_FLOAT, (const int32_t[]){0, 0, 0, 4, 4, 1}, 20,
	     FMT_S8_UINT_Z24_UNORM, (const int32_t[]){0, 0, 0, 4, 4, 1});
	blit(&cb, 0xf, 23, VH_FMT_R8G8B8A8_UNORM, (const int32_t[]){0, 0, 0, 4, 4, 1}, 22,
	     FMT_R8G8B8X8_UNORM, (const int32_t[]){0, 0, 0, 4, 4, 1});
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	float z[16];
	uint32_t px[16];
	ck_assert_int_eq(vh_read(h, 21, 0, 0, 4, 4, z), 0);
	ck_assert_int_eq(vh_read(h, 23, 0, 0, 4, 4, px), 0);
	for (int i = 0; i < 16; i++) {
		ck_assert_float_eq_tol(z[i], 0.25f, 1e-6f);
		ck_assert_uint_eq(px[i], rgba8(10, 20, 30, 255));
	}
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

static void copy_region(struct vh_cb *cb, uint32_t dst, uint32_t dlevel, const uint32_t *d,
                        uint32_t src, uint32_t slevel, const uint32_t *box)
{
	vh_cmd(cb, VREND_CCMD_RESOURCE_COPY_REGION, 0, 13);
	vh_dw(cb, dst);
	vh_dw(cb, dlevel);
	for (int i = 0; i < 3; i++)
		vh_dw(cb, d[i]);
	vh_dw(cb, src);
	vh_dw(cb, slevel);
	for (int i = 0; i < 6; i++)
		vh_dw(cb, box[i]);
}

START_TEST(copy_region_textures_and_buffers)
{
	struct vh *h = vh_create();
	struct vh_cb cb;
	uint32_t src[16], px[16];

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(vh_texture_2d(h, 20, VH_FMT_R8G8B8A8_UNORM, 4, 4, VGN_BIND_SAMPLER_VIEW),
	                 0);
	ck_assert_int_eq(vh_texture_2d(h, 21, VH_FMT_R8G8B8A8_UNORM, 4, 4, VGN_BIND_SAMPLER_VIEW),
	                 0);
	ck_assert_int_eq(vh_buffer(h, 30, 64, VGN_BIND_VERTEX_BUFFER), 0);
	ck_assert_int_eq(vh_buffer(h, 31, 64, VGN_BIND_VERTEX_BUFFER), 0);
	for (uint32_t id = 20; id <= 21; id++)
		vh_attach(h, 1, id);
	vh_attach(h, 1, 30);
	vh_attach(h, 1, 31);
	for (int i = 0; i < 16; i++)
		src[i] = 0x01010101u * (uint32_t)(i + 1);
	ck_assert_int_eq(vh_upload(h, 20, src, sizeof(src)), 0);
	uint8_t bytes[64];
	for (int i = 0; i < 64; i++)
		bytes[i] = (uint8_t)(200 - i);
	ck_assert_int_eq(vh_upload(h, 30, bytes, sizeof(bytes)), 0);

	vh_cb_init(&cb);
	copy_region(&cb, 21, 0, (const uint32_t[]){2, 1, 0}, 20, 0,
	            (const uint32_t[]){0, 2, 0, 2, 2, 1});
	copy_region(&cb, 31, 0, (const uint32_t[]){8, 0, 0}, 30, 0,
	            (const uint32_t[]){16, 0, 0, 10, 1, 1});
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 21, 0, 0, 4, 4, px), 0);
	for (int y = 0; y < 4; y++) {
		for (int x = 0; x < 4; x++) {
			bool in = x >= 2 && y >= 1 && y < 3;
			ck_assert_uint_eq(px[y * 4 + x], in ? src[(y + 1) * 4 + (x - 2)] : 0);
		}
	}
	uint8_t out[64];
	ck_assert_int_eq(vh_read(h, 31, 0, 0, 64, 1, out), 0);
	for (int i = 0; i < 64; i++)
		ck_assert_uint_eq(out[i], i >= 8 && i < 18 ? bytes[i + 8] : 0);

	/* Hostile: past the end of the destination buffer. */
	vh_cb_reset(&cb);
	copy_region(&cb, 31, 0, (const uint32_t[]){60, 0, 0}, 30, 0,
	            (const uint32_t[]){0, 0, 0, 10, 1, 1});
	ck_assert_int_eq(vh_submit(h, 1, &cb), -EINVAL);
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

START_TEST(inline_write_and_readback)
{
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);
	uint32_t px[16 * 16];
	const uint32_t data[6] = {1, 2, 3, 4, 5, 6};

	/* 3x2 box at (4,5), explicit stride of 3 texels. */
	inline_write(&cb, 10, 12, (const uint32_t[]){4, 5, 0, 3, 2, 1}, data, 6);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 10, 0, 0, 16, 16, px), 0);
	for (int y = 0; y < 16; y++) {
		for (int x = 0; x < 16; x++) {
			bool in = x >= 4 && x < 7 && y >= 5 && y < 7;
			ck_assert_uint_eq(px[y * 16 + x], in ? data[(y - 5) * 3 + (x - 4)] : 0);
		}
	}
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

START_TEST(transfer3d_both_ways)
{
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);
	uint32_t *mem = vh_backing(h, 10);

	/* Guest writes rows 2..3 into its backing, then TRANSFER3D TO_HOST. */
	for (int i = 0; i < 32; i++)
		mem[2 * 16 + i] = 0xa0000000u | (uint32_t)i;
	transfer3d(&cb, 10, 0, 0, 0, (const uint32_t[]){0, 2, 0, 16, 2, 1}, 2 * 64, 1);
	/* Then a clear and a FROM_HOST of row 9 only. */
	vh_clear_color(&cb, 0.0f, 1.0f, 0.0f, 1.0f);
	transfer3d(&cb, 10, 0, 0, 0, (const uint32_t[]){0, 9, 0, 16, 1, 1}, 9 * 64, 2);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	for (int x = 0; x < 16; x++) {
		ck_assert_uint_eq(mem[9 * 16 + x], rgba8(0, 255, 0, 255));
		ck_assert_uint_eq(mem[8 * 16 + x], 0); /* untouched by the readback */
	}

	/* The upload reached the texture before the clear: read it without the clear. */
	vh_cb_reset(&cb);
	memset(mem, 0, 16 * 16 * 4);
	for (int i = 0; i < 32; i++)
		mem[2 * 16 + i] = 0xa0000000u | (uint32_t)i;
	transfer3d(&cb, 10, 0, 0, 0, (const uint32_t[]){0, 2, 0, 16, 2, 1}, 2 * 64, 1);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	uint32_t px[16 * 16];
	ck_assert_int_eq(vh_read(h, 10, 0, 0, 16, 16, px), 0);
	for (int i = 0; i < 32; i++)
		ck_assert_uint_eq(px[2 * 16 + i], 0xa0000000u | (uint32_t)i);
	ck_assert_uint_eq(px[4 * 16], rgba8(0, 255, 0, 255));
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* BLIT with source and destination levels (the helper above uses level 0). */
static void blit_levels(struct vh_cb *cb, uint32_t s0, uint32_t res, uint32_t fmt,
                        uint32_t src_level, const int32_t *sbox, const int32_t *dbox)
{
	vh_cmd(cb, VREND_CCMD_BLIT, 0, 21);
	vh_dw(cb, s0);
	vh_dw(cb, 0);
	vh_dw(cb, 0);
	vh_dw(cb, res);
	vh_dw(cb, src_level + 1);
	vh_dw(cb, fmt);
	for (int i = 0; i < 6; i++)
		vh_dw(cb, (uint32_t)dbox[i]);
	vh_dw(cb, res);
	vh_dw(cb, src_level);
	vh_dw(cb, fmt);
	for (int i = 0; i < 6; i++)
		vh_dw(cb, (uint32_t)sbox[i]);
}

/* BLIT of one box at one level from src to dst, both viewed as fmt. */
static void blit_levels2(struct vh_cb *cb, uint32_t dst, uint32_t src, uint32_t fmt, uint32_t level,
                         const int32_t *box)
{
	vh_cmd(cb, VREND_CCMD_BLIT, 0, 21);
	vh_dw(cb, 0xf);
	vh_dw(cb, 0);
	vh_dw(cb, 0);
	for (int side = 0; side < 2; side++) {
		vh_dw(cb, side ? src : dst);
		vh_dw(cb, level);
		vh_dw(cb, fmt);
		for (int i = 0; i < 6; i++)
			vh_dw(cb, (uint32_t)box[i]);
	}
}

/* Mesa makes mipmaps with whole-level linear blits. A 3D level must average
 * its slices too (2x2x2 -> 1x1x1: the mean of all 8 texels) and a depth level
 * must be filtered (GL blits depth only with nearest). */
START_TEST(mipmap_blit_3d_and_depth)
{
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);
	uint32_t *vol, texel;
	float *z;

	ck_assert_int_eq(tex(h, 20, VGN_TARGET_3D, VH_FMT_R8G8B8A8_UNORM, 4, 2, 2, 2, 1,
	                     VGN_BIND_SAMPLER_VIEW | VGN_BIND_RENDER_TARGET),
	                 0);
	ck_assert_int_eq(tex(h, 21, VGN_TARGET_2D, FMT_Z32_FLOAT, 4, 2, 2, 1, 1,
	                     VGN_BIND_SAMPLER_VIEW | VGN_BIND_DEPTH_STENCIL),
	                 0);
	vh_attach(h, 1, 20);
	vh_attach(h, 1, 21);
	vol = vh_backing(h, 20);
	z = vh_backing(h, 21);
	for (int i = 0; i < 8; i++)
		vol[i] = i < 4 ? rgba8(40, 0, 0, 255) : rgba8(200, 100, 0, 255);
	for (int i = 0; i < 4; i++)
		z[i] = i < 2 ? 0.25f : 0.75f;
	transfer3d(&cb, 20, 0, 8, 16, (const uint32_t[]){0, 0, 0, 2, 2, 2}, 0, 1);
	transfer3d(&cb, 21, 0, 8, 0, (const uint32_t[]){0, 0, 0, 2, 2, 1}, 0, 1);
	blit_levels(&cb, 0xf | 1u << 8, 20, VH_FMT_R8G8B8A8_UNORM, 0,
	            (const int32_t[]){0, 0, 0, 2, 2, 2}, (const int32_t[]){0, 0, 0, 1, 1, 1});
	blit_levels(&cb, 0x10 | 1u << 8, 21, FMT_Z32_FLOAT, 0, (const int32_t[]){0, 0, 0, 2, 2, 1},
	            (const int32_t[]){0, 0, 0, 1, 1, 1});
	/* Level 1 lies after level 0 in the tight backing. */
	transfer3d(&cb, 20, 1, 4, 4, (const uint32_t[]){0, 0, 0, 1, 1, 1}, 32, 2);
	transfer3d(&cb, 21, 1, 4, 4, (const uint32_t[]){0, 0, 0, 1, 1, 1}, 16, 2);
	ck_assert_msg(vh_submit(h, 1, &cb) == 0, "%s", h->log);
	texel = vol[8];
	for (int c = 0; c < 4; c++) {
		int want = (int)(rgba8(120, 50, 0, 255) >> (8 * c) & 0xff);
		int got = (int)(texel >> (8 * c) & 0xff);
		ck_assert_msg(abs(got - want) <= 1, "3D level 1 = %08x", texel);
	}
	ck_assert_float_eq_tol(z[4], 0.5f, 0.01f);
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* RESOURCE_COPY_REGION between a 1D array and a 3D texture: Gallium's z is
 * the layer on one side and the slice on the other (piglit arb_copy_image-
 * targets 1D_ARRAY -> 3D). Layers 1..2 of a 4x3 1D array into slices 0..1. */
START_TEST(copy_region_1d_array_to_3d)
{
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);
	uint32_t *arr, *vol;

	ck_assert_int_eq(tex(h, 20, VGN_TARGET_1D_ARRAY, VH_FMT_R8G8B8A8_UNORM, 4, 4, 1, 3, 0,
	                     VGN_BIND_SAMPLER_VIEW),
	                 0);
	ck_assert_int_eq(
	    tex(h, 21, VGN_TARGET_3D, VH_FMT_R8G8B8A8_UNORM, 4, 4, 1, 3, 0, VGN_BIND_SAMPLER_VIEW),
	    0);
	vh_attach(h, 1, 20);
	vh_attach(h, 1, 21);
	arr = vh_backing(h, 20);
	vol = vh_backing(h, 21);
	for (uint32_t i = 0; i < 12; i++)
		arr[i] = 0x01010101u * (i + 1);
	transfer3d(&cb, 20, 0, 16, 16, (const uint32_t[]){0, 0, 0, 4, 1, 3}, 0, 1);
	copy_region(&cb, 21, 0, (const uint32_t[]){0, 0, 0}, 20, 0,
	            (const uint32_t[]){0, 0, 1, 4, 1, 2});
	transfer3d(&cb, 21, 0, 16, 16, (const uint32_t[]){0, 0, 0, 4, 1, 3}, 0, 2);
	ck_assert_msg(vh_submit(h, 1, &cb) == 0, "%s", h->log);
	for (uint32_t i = 0; i < 12; i++)
		ck_assert_uint_eq(vol[i], i < 8 ? arr[i + 4] : 0);
	ck_assert(!vh_log_has(h, "GL error"));
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* Mesa copies between formats of one size by blitting views in a common
 * format (R8_UINT over R8_SINT storage), at any level (piglit
 * arb_copy_image-formats). llvmpipe blits zeros out of a view that starts at
 * a level above 0: the source view must hold every level. Level 1 (32x32)
 * of 0xcd, a 16x16 box at (8, 8) into a destination level 1 of 0x11. */
START_TEST(blit_view_of_upper_level)
{
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);
	uint8_t *src, *dst;

	ck_assert_int_eq(tex(h, 20, VGN_TARGET_2D, FMT_R8_SINT, 1, 64, 64, 1, 1,
	                     VGN_BIND_SAMPLER_VIEW | VGN_BIND_RENDER_TARGET),
	                 0);
	ck_assert_int_eq(tex(h, 21, VGN_TARGET_2D, FMT_R8_UINT, 1, 64, 64, 1, 1,
	                     VGN_BIND_SAMPLER_VIEW | VGN_BIND_RENDER_TARGET),
	                 0);
	vh_attach(h, 1, 20);
	vh_attach(h, 1, 21);
	src = vh_backing(h, 20);
	dst = vh_backing(h, 21);
	memset(src + 4096, 0xcd, 32 * 32);
	memset(dst + 4096, 0x11, 32 * 32);
	transfer3d(&cb, 20, 1, 32, 0, (const uint32_t[]){0, 0, 0, 32, 32, 1}, 4096, 1);
	transfer3d(&cb, 21, 1, 32, 0, (const uint32_t[]){0, 0, 0, 32, 32, 1}, 4096, 1);
	ck_assert_msg(vh_submit(h, 1, &cb) == 0, "%s", h->log);
	vh_cb_reset(&cb);
	blit_levels2(&cb, 21, 20, FMT_R8_UINT, 1, (const int32_t[]){8, 8, 0, 16, 16, 1});
	transfer3d(&cb, 21, 1, 32, 0, (const uint32_t[]){0, 0, 0, 32, 32, 1}, 4096, 2);
	memset(dst + 4096, 0, 32 * 32);
	ck_assert_msg(vh_submit(h, 1, &cb) == 0, "%s", h->log);
	for (int y = 0; y < 32; y++)
		for (int x = 0; x < 32; x++) {
			bool in = x >= 8 && x < 24 && y >= 8 && y < 24;
			ck_assert_uint_eq(dst[4096 + y * 32 + x], in ? 0xcd : 0x11);
		}
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

START_TEST(copy_transfer3d_from_staging)
{
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);

	ck_assert_int_eq(vh_buffer(h, 40, 256, 1u << 19 /* STAGING */), 0);
	vh_attach(h, 1, 40);
	uint32_t *st = vh_backing(h, 40);
	for (int i = 0; i < 8; i++)
		st[4 + i] = 0x11111111u * (uint32_t)(i + 1);
	vh_cmd(&cb, VREND_CCMD_COPY_TRANSFER3D, 0, 14);
	vh_dw(&cb, 10);
	vh_dw(&cb, 0);
	vh_dw(&cb, 0);
	vh_dw(&cb, 16); /* stride: 4 texels */
	vh_dw(&cb, 32);
	const uint32_t box[6] = {8, 8, 0, 4, 2, 1};
	for (int i = 0; i < 6; i++)
		vh_dw(&cb, box[i]);
	vh_dw(&cb, 40);
	vh_dw(&cb, 16);
	vh_dw(&cb, 1);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	uint32_t px[4 * 2];
	ck_assert_int_eq(vh_read(h, 10, 8, 8, 4, 2, px), 0);
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(px[i], 0x11111111u * (uint32_t)(i + 1));

	/* Hostile: the span runs past the staging buffer's backing. */
	vh_cb_reset(&cb);
	vh_cmd(&cb, VREND_CCMD_COPY_TRANSFER3D, 0, 14);
	vh_dw(&cb, 10);
	vh_dw(&cb, 0);
	vh_dw(&cb, 0);
	vh_dw(&cb, 16);
	vh_dw(&cb, 32);
	for (int i = 0; i < 6; i++)
		vh_dw(&cb, box[i]);
	vh_dw(&cb, 40);
	vh_dw(&cb, 240);
	vh_dw(&cb, 1);
	ck_assert_int_eq(vh_submit(h, 1, &cb), -EINVAL);
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

START_TEST(sampler_views)
{
	struct vh *h = vh_create();
	struct vh_cb cb;

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(tex(h, 20, VGN_TARGET_2D_ARRAY, VH_FMT_R8G8B8A8_UNORM, 4, 8, 8, 3, 2,
	                     VGN_BIND_SAMPLER_VIEW),
	                 0);
	ck_assert_int_eq(vh_buffer(h, 30, 64, VGN_BIND_SAMPLER_VIEW), 0);
	ck_assert_int_eq(
	    tex(h, 21, VGN_TARGET_2D, FMT_R8G8B8A8_UINT, 4, 4, 4, 1, 0, VGN_BIND_SAMPLER_VIEW), 0);
	vh_attach(h, 1, 20);
	vh_attach(h, 1, 21);
	vh_attach(h, 1, 30);
	vh_cb_init(&cb);
	/* 2D view of layer 1, levels 1..2, sRGB reinterpretation, swizzle BGRA. */
	view(&cb, 5, 20, FMT_R8G8B8A8_SRGB | 2u << 24, 1 | 1u << 16, 1 | 2u << 8,
	     2 | 1u << 3 | 0u << 6 | 3u << 9);
	view(&cb, 6, 30, FMT_R8_UNORM, 4, 19, 0x688); /* 16 bytes from 4 */
	view(&cb, 7, 21, FMT_R8G8B8A8_UINT, 0, 0, 0x688);
	vh_cmd(&cb, VREND_CCMD_SET_SAMPLER_VIEWS, 0, 5);
	vh_dw(&cb, 1); /* fragment */
	vh_dw(&cb, 2);
	vh_dw(&cb, 5);
	vh_dw(&cb, 6);
	vh_dw(&cb, 7);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);

	struct vrend_sub *sub = vrend_decoder_find_sub_ctx(vh_decoder(h, 1), 0)->priv;
	struct vrend_view_binding b;
	ck_assert(!vrend_fb_view(sub, 1, 1, &b));
	ck_assert(vrend_fb_view(sub, 1, 2, &b));
	ck_assert_uint_eq(b.gl_target, 0x0DE1 /* GL_TEXTURE_2D */);
	ck_assert(!b.is_int && !b.is_uint && !b.is_depth);
	ck_assert(vrend_fb_view(sub, 1, 3, &b));
	ck_assert_uint_eq(b.gl_target, 0x8C2A /* GL_TEXTURE_BUFFER */);
	ck_assert(vrend_fb_view(sub, 1, 4, &b));
	ck_assert(b.is_uint && !b.is_int);

	/* Unbinding through handle 0. */
	vh_cb_reset(&cb);
	vh_cmd(&cb, VREND_CCMD_SET_SAMPLER_VIEWS, 0, 3);
	vh_dw(&cb, 1);
	vh_dw(&cb, 3);
	vh_dw(&cb, 0);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert(!vrend_fb_view(sub, 1, 3, &b));
	ck_assert(vrend_fb_view(sub, 1, 2, &b));
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* Each hostile command kills its own context; context 2 keeps rendering. */
static void hostile(void (*emit)(struct vh_cb *cb), const char *what)
{
	struct vh *h = vh_create();
	struct vh_cb cb;

	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(vh_ctx_create(h, 2), 0);
	ck_assert_int_eq(tex(h, 20, VGN_TARGET_2D_ARRAY, VH_FMT_R8G8B8A8_UNORM, 4, 8, 8, 2, 1,
	                     VGN_BIND_SAMPLER_VIEW | VGN_BIND_RENDER_TARGET),
	                 0);
	ck_assert_int_eq(vh_buffer(h, 30, 64, VGN_BIND_SAMPLER_VIEW), 0);
	ck_assert_int_eq(
	    vh_texture_2d(h, 10, VH_FMT_R8G8B8A8_UNORM, 16, 16, VGN_BIND_RENDER_TARGET), 0);
	vh_attach(h, 1, 20);
	vh_attach(h, 1, 30);
	vh_attach(h, 1, 10);
	vh_attach(h, 2, 10);
	vh_cb_init(&cb);
	emit(&cb);
	int ret = vh_submit(h, 1, &cb);
	if (ret != -EINVAL)
		ck_abort_msg("%s: submit returned %d", what, ret);
	vh_cb_reset(&cb);
	vh_cmd(&cb, VREND_CCMD_NOP, 0, 0);
	ck_assert_int_ne(vh_submit(h, 1, &cb), 0); /* dead */

	vh_cb_reset(&cb);
	vh_create_surface(&cb, 1, 10, VH_FMT_R8G8B8A8_UNORM, 0, 0, 0);
	set_fb(&cb, 1);
	vh_clear_color(&cb, 0.0f, 0.0f, 0.0f, 1.0f);
	ck_assert_int_eq(vh_submit(h, 2, &cb), 0);
	uint32_t px[4];
	ck_assert_int_eq(vh_read(h, 10, 0, 0, 2, 2, px), 0);
	ck_assert_uint_eq(px[3], rgba8(0, 0, 0, 255));
	vh_cb_fini(&cb);
	vh_destroy(h);
}

static void bad_view_levels(struct vh_cb *cb)
{
	view(cb, 5, 20, VH_FMT_R8G8B8A8_UNORM, 0, 0 | 2u << 8, 0x688); /* 2 levels only */
}
static void bad_view_layers(struct vh_cb *cb)
{
	view(cb, 5, 20, VH_FMT_R8G8B8A8_UNORM, 1 | 2u << 16, 0, 0x688);
}
static void bad_buffer_view(struct vh_cb *cb)
{
	view(cb, 5, 30, VH_FMT_R8G8B8A8_UNORM, 10, 16, 0x688); /* 7 texels x 4 from 40 > 64 */
}
static void bad_view_format(struct vh_cb *cb)
{
	view(cb, 5, 20, 0xfffff0, 0, 0, 0x688);
}
static void bad_surface_level(struct vh_cb *cb)
{
	vh_create_surface(cb, 1, 20, VH_FMT_R8G8B8A8_UNORM, 2, 0, 0);
}
static void bad_fb_object_type(struct vh_cb *cb)
{
	view(cb, 5, 20, VH_FMT_R8G8B8A8_UNORM, 0, 0, 0x688);
	set_fb(cb, 5); /* a sampler view, not a surface */
}
static void bad_views_range(struct vh_cb *cb)
{
	vh_cmd(cb, VREND_CCMD_SET_SAMPLER_VIEWS, 0, 3);
	vh_dw(cb, 1);
	vh_dw(cb, 128);
	vh_dw(cb, 0);
}
static void bad_views_type(struct vh_cb *cb)
{
	vh_create_surface(cb, 1, 20, VH_FMT_R8G8B8A8_UNORM, 0, 0, 0);
	vh_cmd(cb, VREND_CCMD_SET_SAMPLER_VIEWS, 0, 3);
	vh_dw(cb, 1);
	vh_dw(cb, 0);
	vh_dw(cb, 1);
}
static void bad_transfer_stride(struct vh_cb *cb)
{
	transfer3d(cb, 10, 0, 0xfffffff0u, 0, (const uint32_t[]){0, 0, 0, 16, 16, 1}, 0, 1);
}
static void bad_transfer_box(struct vh_cb *cb)
{
	transfer3d(cb, 10, 0, 0, 0, (const uint32_t[]){0xfffffff0u, 0, 0, 0x20, 1, 1}, 0, 1);
}
static void bad_transfer_level(struct vh_cb *cb)
{
	transfer3d(cb, 10, 1, 0, 0, (const uint32_t[]){0, 0, 0, 1, 1, 1}, 0, 1);
}
static void bad_inline_size(struct vh_cb *cb)
{
	const uint32_t data[4] = {0};
	/* 4x4 box needs 64 bytes; 16 given. */
	inline_write(cb, 10, 0, (const uint32_t[]){0, 0, 0, 4, 4, 1}, data, 4);
}
static void bad_inline_huge_stride(struct vh_cb *cb)
{
	const uint32_t data[4] = {0};
	inline_write(cb, 10, 0x80000000u, (const uint32_t[]){0, 0, 0, 1, 2, 1}, data, 4);
}
static void bad_copy_level(struct vh_cb *cb)
{
	copy_region(cb, 10, 0, (const uint32_t[]){0, 0, 0}, 20, 5,
	            (const uint32_t[]){0, 0, 0, 1, 1, 1});
}
static void bad_copy_layers(struct vh_cb *cb)
{
	copy_region(cb, 10, 0, (const uint32_t[]){0, 0, 0}, 20, 0,
	            (const uint32_t[]){0, 0, 1, 2, 2, 2});
}
static void bad_clear_texture_box(struct vh_cb *cb)
{
	vh_cmd(cb, VREND_CCMD_CLEAR_TEXTURE, 0, 12);
	vh_dw(cb, 10);
	vh_dw(cb, 0);
	const uint32_t box[6] = {10, 0, 0, 0xfffffff8u, 1, 1};
	for (int i = 0; i < 6; i++)
		vh_dw(cb, box[i]);
	for (int i = 0; i < 4; i++)
		vh_dw(cb, 0);
}
static void bad_blit_layer(struct vh_cb *cb)
{
	blit(cb, 0xf, 10, VH_FMT_R8G8B8A8_UNORM, (const int32_t[]){0, 0, 0, 4, 4, 1}, 20,
	     VH_FMT_R8G8B8A8_UNORM, (const int32_t[]){0, 0, 2, 4, 4, 1});
}
static void bad_query_offset(struct vh_cb *cb)
{
	vh_cmd(cb, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_QUERY, 4);
	vh_dw(cb, 9);
	vh_dw(cb, 0);
	vh_dw(cb, 56); /* 56 + 16 > 64 */
	vh_dw(cb, 30);
}
static void bad_fb_nr_cbufs(struct vh_cb *cb)
{
	vh_cmd(cb, VREND_CCMD_SET_FRAMEBUFFER_STATE, 0, 11);
	vh_dw(cb, 9);
	for (int i = 0; i < 10; i++)
		vh_dw(cb, 0);
}

static const struct {
	void (*emit)(struct vh_cb *cb);
	const char *name;
} hostile_cases[] = {
    {bad_view_levels, "view levels"},
    {bad_view_layers, "view layers"},
    {bad_buffer_view, "buffer view range"},
    {bad_view_format, "view format"},
    {bad_surface_level, "surface level"},
    {bad_fb_object_type, "framebuffer object type"},
    {bad_views_range, "sampler views range"},
    {bad_views_type, "sampler views object type"},
    {bad_transfer_stride, "transfer stride"},
    {bad_transfer_box, "transfer box"},
    {bad_transfer_level, "transfer level"},
    {bad_inline_size, "inline size"},
    {bad_inline_huge_stride, "inline huge stride"},
    {bad_copy_level, "copy level"},
    {bad_copy_layers, "copy layers"},
    {bad_clear_texture_box, "clear texture box"},
    {bad_blit_layer, "blit layer"},
    {bad_query_offset, "query offset"},
    {bad_fb_nr_cbufs, "nr_cbufs"},
};

START_TEST(hostile_commands)
{
	hostile(hostile_cases[_i].emit, hostile_cases[_i].name);
}
END_TEST

static void query(struct vh_cb *cb, uint32_t cmd, uint32_t len, uint32_t a, uint32_t b)
{
	vh_cmd(cb, cmd, 0, len);
	vh_dw(cb, a);
	if (len > 1)
		vh_dw(cb, b);
}

START_TEST(queries)
{
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);

	ck_assert_int_eq(vh_buffer(h, 30, 16, VGN_BIND_CUSTOM), 0);
	ck_assert_int_eq(vh_buffer(h, 31, 32, VGN_BIND_CUSTOM), 0);
	ck_assert_int_eq(vh_buffer(h, 32, 64, 1u << 15 /* QUERY_BUFFER */), 0);
	vh_attach(h, 1, 30);
	vh_attach(h, 1, 31);
	vh_attach(h, 1, 32);
	/* TIMESTAMP (2) into buffer 30, PRIMITIVES_GENERATED (5) into 31 at 16. */
	vh_cmd(&cb, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_QUERY, 4);
	vh_dw(&cb, 50);
	vh_dw(&cb, 2);
	vh_dw(&cb, 0);
	vh_dw(&cb, 30);
	vh_cmd(&cb, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_QUERY, 4);
	vh_dw(&cb, 51);
	vh_dw(&cb, 5);
	vh_dw(&cb, 16);
	vh_dw(&cb, 31);
	query(&cb, VREND_CCMD_BEGIN_QUERY, 1, 51, 0);
	vh_clear_color(&cb, 0.0f, 0.0f, 0.0f, 0.0f);
	query(&cb, VREND_CCMD_END_QUERY, 1, 51, 0);
	query(&cb, VREND_CCMD_END_QUERY, 1, 50, 0);
	query(&cb, VREND_CCMD_GET_QUERY_RESULT, 2, 50, 0);
	query(&cb, VREND_CCMD_GET_QUERY_RESULT, 2, 51, 1);
	/* QBO: availability (index -1) as U32 at 0, value as U64 at 8. */
	vh_cmd(&cb, VREND_CCMD_GET_QUERY_RESULT_QBO, 0, 6);
	vh_dw(&cb, 51);
	vh_dw(&cb, 32);
	vh_dw(&cb, 1);
	vh_dw(&cb, 1);
	vh_dw(&cb, 0);
	vh_dw(&cb, 0xffffffffu);
	vh_cmd(&cb, VREND_CCMD_GET_QUERY_RESULT_QBO, 0, 6);
	vh_dw(&cb, 50);
	vh_dw(&cb, 32);
	vh_dw(&cb, 1);
	vh_dw(&cb, 3);
	vh_dw(&cb, 8);
	vh_dw(&cb, 0);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);

	const uint32_t *rec = vh_backing(h, 30);
	ck_assert_uint_eq(rec[0], 1); /* DONE */
	ck_assert_uint_eq(rec[1], 8);
	uint64_t ts;
	memcpy(&ts, rec + 2, 8);
	ck_assert_uint_gt(ts, 0);
	rec = (const uint32_t *)((const uint8_t *)vh_backing(h, 31) + 16);
	ck_assert_uint_eq(rec[0], 1);
	ck_assert_uint_eq(rec[1], 4);
	ck_assert_uint_eq(rec[2], 0); /* a clear generates no primitives */
	/* The host copy of the record matches (a readback fallback sees it too). */
	uint32_t host[8];
	ck_assert_int_eq(vh_read(h, 31, 0, 0, 32, 1, host), 0);
	ck_assert_uint_eq(host[4], 1);
	ck_assert_uint_eq(host[5], 4);
	uint32_t qbo[4];
	ck_assert_int_eq(vh_read(h, 32, 0, 0, 16, 1, qbo), 0);
	ck_assert_uint_eq(qbo[0], 1); /* available */
	uint64_t qts;
	memcpy(&qts, qbo + 2, 8);
	ck_assert_uint_eq(qts, ts);
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* An occlusion query that never passed as an inverted / normal condition:
 * clears honour it, CLEAR_SURFACE without the render-condition bit does not. */
START_TEST(render_condition)
{
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);
	uint32_t px[4];

	ck_assert_int_eq(vh_buffer(h, 30, 16, VGN_BIND_CUSTOM), 0);
	vh_attach(h, 1, 30);
	vh_cmd(&cb, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_QUERY, 4);
	vh_dw(&cb, 50);
	vh_dw(&cb, 1); /* OCCLUSION_PREDICATE */
	vh_dw(&cb, 0);
	vh_dw(&cb, 30);
	query(&cb, VREND_CCMD_BEGIN_QUERY, 1, 50, 0);
	query(&cb, VREND_CCMD_END_QUERY, 1, 50, 0);
	vh_clear_color(&cb, 0.0f, 0.0f, 1.0f, 1.0f);
	vh_cmd(&cb, VREND_CCMD_SET_RENDER_CONDITION, 0, 3);
	vh_dw(&cb, 50);
	vh_dw(&cb, 0);
	vh_dw(&cb, 0); /* WAIT: result false -> skip */
	vh_clear_color(&cb, 1.0f, 0.0f, 0.0f, 1.0f);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert(vrend_query_render_condition_active(
	    vrend_decoder_find_sub_ctx(vh_decoder(h, 1), 0)->priv));
	ck_assert_int_eq(vh_read(h, 10, 0, 0, 2, 2, px), 0);
	ck_assert_uint_eq(px[0], rgba8(0, 0, 255, 255));

	vh_cb_reset(&cb);
	vh_cmd(&cb, VREND_CCMD_SET_RENDER_CONDITION, 0, 3);
	vh_dw(&cb, 50);
	vh_dw(&cb, 1); /* inverted: passes */
	vh_dw(&cb, 0);
	vh_clear_color(&cb, 0.0f, 1.0f, 0.0f, 1.0f);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 10, 0, 0, 2, 2, px), 0);
	ck_assert_uint_eq(px[0], rgba8(0, 255, 0, 255));

	vh_cb_reset(&cb);
	vh_cmd(&cb, VREND_CCMD_SET_RENDER_CONDITION, 0, 3);
	vh_dw(&cb, 0);
	vh_dw(&cb, 0);
	vh_dw(&cb, 0);
	vh_clear_color(&cb, 1.0f, 1.0f, 1.0f, 1.0f);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 10, 0, 0, 2, 2, px), 0);
	ck_assert_uint_eq(px[0], 0xffffffffu);
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* Destroying objects while bound keeps them alive until unbound; context
 * teardown with everything bound leaks nothing (ASan/LSan). */
START_TEST(destroy_while_bound)
{
	struct vh_cb cb;
	struct vh *h = setup_rt(&cb);
	uint32_t px[4];

	view(&cb, 5, 10, VH_FMT_R8G8B8A8_UNORM, 0, 0, 0x688);
	vh_cmd(&cb, VREND_CCMD_SET_SAMPLER_VIEWS, 0, 3);
	vh_dw(&cb, 0);
	vh_dw(&cb, 0);
	vh_dw(&cb, 5);
	vh_destroy_object(&cb, VREND_OBJ_SAMPLER_VIEW, 5);
	vh_destroy_object(&cb, VREND_OBJ_SURFACE, 1);
	vh_clear_color(&cb, 0.0f, 0.0f, 0.0f, 1.0f); /* surface 1 still bound */
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert_int_eq(vh_read(h, 10, 0, 0, 2, 2, px), 0);
	ck_assert_uint_eq(px[0], rgba8(0, 0, 0, 255));
	struct vrend_view_binding b;
	ck_assert(vrend_fb_view(vrend_decoder_find_sub_ctx(vh_decoder(h, 1), 0)->priv, 0, 0, &b));
	vh_unref(h, 10); /* the guest drops the resource while views use it */
	vh_ctx_destroy(h, 1);
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

static Suite *fb_suite(void)
{
	Suite *s = suite_create("vrend_fb");
	TCase *tc = tcase_create("live");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, clear_rgba8_exact);
	tcase_add_test(tc, compressed_surface_is_inert);
	tcase_add_test(tc, linear_surface_over_srgb_luminance);
	tcase_add_test(tc, mipmap_blit_3d_and_depth);
	tcase_add_test(tc, blit_from_compressed);
	tcase_add_test(tc, copy_region_1d_array_to_3d);
	tcase_add_test(tc, blit_view_of_upper_level);
	tcase_add_test(tc, clear_mixed_formats);
	tcase_add_test(tc, clear_surface_rect);
	tcase_add_test(tc, clear_texture_box);
	tcase_add_test(tc, blit_scale_mirror_subbox);
	tcase_add_test(tc, blit_srgb_view);
	tcase_add_test(tc, blit_conversions);
	tcase_add_test(tc, copy_region_textures_and_buffers);
	tcase_add_test(tc, inline_write_and_readback);
	tcase_add_test(tc, transfer3d_both_ways);
	tcase_add_test(tc, copy_transfer3d_from_staging);
	tcase_add_test(tc, sampler_views);
	tcase_add_loop_test(tc, hostile_commands, 0,
	                    (int)(sizeof(hostile_cases) / sizeof(hostile_cases[0])));
	tcase_add_test(tc, queries);
	tcase_add_test(tc, render_condition);
	tcase_add_test(tc, destroy_while_bound);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fb_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
