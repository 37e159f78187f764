/* SPDX-License-Identifier: MIT */
/*
 * Pipe state objects and SET_* commands (vrend/state*.c, sampler.c,
 * vertex_elements.c) through the vctx harness:
 *   - hostile payloads (bad enums, duplicate handles, wrong types, slots out
 *     of range) kill their context with an error;
 *   - decoded values read back through the state API (vertex element
 *     translation, shader key, winsys y flip, clip planes, samplers);
 *   - applied GL state checked in pixels: viewports (both y directions),
 *     scissor, facing/culling, colour mask, blending, blend colour.
 */
#include <check.h>
#include <epoxy/gl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "protocol.h"
#include "state_internal.h"
#include "vctx.h"
#include "vctx_harness.h"

#define W 64
#define H 64
#define RES_RT 10
#define RES_VB 11

static uint32_t fui(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return u;
}

/* One command with its payload dwords. */
static void put(struct vh_cb *cb, uint32_t cmd, uint32_t obj, uint32_t n, ...)
{
	va_list ap;

	vh_cmd(cb, cmd, obj, n);
	va_start(ap, n);
	for (uint32_t i = 0; i < n; i++)
		vh_dw(cb, va_arg(ap, uint32_t));
	va_end(ap);
}

#define CREATE(cb, obj, n, ...) put(cb, VREND_CCMD_CREATE_OBJECT, obj, n, __VA_ARGS__)
#define BIND(cb, obj, handle) put(cb, VREND_CCMD_BIND_OBJECT, obj, 1, (uint32_t)(handle))

/* Blend RT dword: enable, funcs, factors (PIPE numbering), colormask. */
static uint32_t blend_rt(bool en, uint32_t func, uint32_t src, uint32_t dst, uint32_t mask)
{
	return (uint32_t)en | func << 1 | src << 4 | dst << 9 | func << 14 | src << 17 | dst << 22 |
	       mask << 27;
}

static void create_blend(struct vh_cb *cb, uint32_t handle, uint32_t rt0)
{
	CREATE(cb, VREND_OBJ_BLEND, 11, handle, 0x4u, 0u, rt0, 0u, 0u, 0u, 0u, 0u, 0u, 0u);
}

/* RASTERIZER with S0 and S3 given, sizes 1.0. */
static void create_rast(struct vh_cb *cb, uint32_t handle, uint32_t s0, uint32_t s3)
{
	CREATE(cb, VREND_OBJ_RASTERIZER, 9, handle, s0, fui(1.0f), 0u, s3, fui(1.0f), 0u, 0u, 0u);
}

#define RS_DEPTH_CLIP (1u << 1)
#define RS_HALF_PIXEL (1u << 29)
#define RS_SCISSOR (1u << 14)
#define RS_FRONT_CCW (1u << 15)
#define RS_CULL_BACK (2u << 8)
#define RS_BASE (RS_DEPTH_CLIP | RS_HALF_PIXEL)

static struct vrend_sub *sub_of(struct vh *h, uint32_t ctx_id)
{
	struct vrend_sub_ctx *d = vrend_decoder_current(vh_decoder(h, ctx_id));

	ck_assert_ptr_nonnull(d);
	return d->priv;
}

/* ---- hostile payloads: each case runs on a fresh context ---- */

typedef void (*case_fn)(struct vh_cb *cb);

static void bad_blend_factor(struct vh_cb *cb)
{
	create_blend(cb, 5, blend_rt(true, 0, 0 /* invalid */, 1, 0xf));
}

static void bad_blend_func(struct vh_cb *cb)
{
	create_blend(cb, 5, blend_rt(true, 5 /* invalid */, 1, 1, 0xf));
}

static void bad_blend_factor_rt3(struct vh_cb *cb)
{
	CREATE(cb, VREND_OBJ_BLEND, 11, 5u, 0x1u /* independent */, 0u, 0u, 0u, 0u,
	       blend_rt(true, 0, 0x16 /* gap */, 1, 0xf), 0u, 0u, 0u, 0u);
}

static void bad_mip_filter(struct vh_cb *cb)
{
	CREATE(cb, VREND_OBJ_SAMPLER_STATE, 9, 5u, 3u << 11, 0u, 0u, 0u, 0u, 0u, 0u, 0u);
}

static void bad_ve_format(struct vh_cb *cb)
{
	CREATE(cb, VREND_OBJ_VERTEX_ELEMENTS, 5, 5u, 0u, 0u, 0u, (uint32_t)VFMT_UYVY);
}

static void bad_ve_int64(struct vh_cb *cb)
{
	CREATE(cb, VREND_OBJ_VERTEX_ELEMENTS, 5, 5u, 0u, 0u, 0u, (uint32_t)VFMT_R64_UINT);
}

static void bad_ve_format_huge(struct vh_cb *cb)
{
	CREATE(cb, VREND_OBJ_VERTEX_ELEMENTS, 5, 5u, 0u, 0u, 0u, 0xffffffffu);
}

static void bad_ve_buffer(struct vh_cb *cb)
{
	CREATE(cb, VREND_OBJ_VERTEX_ELEMENTS, 5, 5u, 0u, 0u, 32u, (uint32_t)VFMT_R32_FLOAT);
}

static void dup_handle(struct vh_cb *cb)
{
	CREATE(cb, VREND_OBJ_DSA, 5, 5u, 0u, 0u, 0u, 0u);
	create_rast(cb, 5, RS_BASE, 0);
}

static void bind_wrong_type(struct vh_cb *cb)
{
	CREATE(cb, VREND_OBJ_DSA, 5, 5u, 0u, 0u, 0u, 0u);
	BIND(cb, VREND_OBJ_BLEND, 5);
}

static void bind_unknown(struct vh_cb *cb)
{
	BIND(cb, VREND_OBJ_RASTERIZER, 99);
}

static void bind_ve_wrong_type(struct vh_cb *cb)
{
	create_rast(cb, 5, RS_BASE, 0);
	BIND(cb, VREND_OBJ_VERTEX_ELEMENTS, 5);
}

static void samplers_bad_stage(struct vh_cb *cb)
{
	put(cb, VREND_CCMD_BIND_SAMPLER_STATES, 0, 3, 6u, 0u, 0u);
}

static void samplers_bad_slot(struct vh_cb *cb)
{
	put(cb, VREND_CCMD_BIND_SAMPLER_STATES, 0, 4, 0u, 31u, 0u, 0u);
}

static void samplers_wrong_type(struct vh_cb *cb)
{
	create_blend(cb, 5, 0x78000000u);
	put(cb, VREND_CCMD_BIND_SAMPLER_STATES, 0, 3, 1u, 0u, 5u);
}

static void viewport_out_of_range(struct vh_cb *cb)
{
	vh_cmd(cb, VREND_CCMD_SET_VIEWPORT_STATE, 0, 13);
	vh_dw(cb, 15);
	for (int i = 0; i < 12; i++)
		vh_f32(cb, 1.0f);
}

static void scissor_out_of_range(struct vh_cb *cb)
{
	put(cb, VREND_CCMD_SET_SCISSOR_STATE, 0, 3, 16u, 0u, 0x00100010u);
}

static void create_handle_zero(struct vh_cb *cb)
{
	create_rast(cb, 0, RS_BASE, 0);
}

static const struct {
	const char *name;
	case_fn fn;
} hostile[] = {
    {"blend factor 0 on an enabled RT", bad_blend_factor},
    {"blend func 5", bad_blend_func},
    {"blend factor gap on independent RT 3", bad_blend_factor_rt3},
    {"mip filter 3", bad_mip_filter},
    {"vertex format UYVY", bad_ve_format},
    {"vertex format R64_UINT", bad_ve_int64},
    {"vertex format out of range", bad_ve_format_huge},
    {"vertex buffer index 32", bad_ve_buffer},
    {"duplicate handle", dup_handle},
    {"bind DSA as blend", bind_wrong_type},
    {"bind unknown handle", bind_unknown},
    {"bind rasterizer as vertex elements", bind_ve_wrong_type},
    {"sampler stage 6", samplers_bad_stage},
    {"sampler slots 31 + 2", samplers_bad_slot},
    {"blend bound as sampler", samplers_wrong_type},
    {"viewports 15 + 2", viewport_out_of_range},
    {"scissor slot 16", scissor_out_of_range},
    {"create handle 0", create_handle_zero},
};

START_TEST(hostile_payloads)
{
	struct vh *h = vh_create();
	struct vh_cb cb;
	uint32_t i = (uint32_t)_i;

	vh_cb_init(&cb);
	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	hostile[i].fn(&cb);
	ck_assert_msg(vh_submit(h, 1, &cb) == -EINVAL, "case '%s' accepted", hostile[i].name);
	/* Only that context died: a new one works. */
	ck_assert_int_eq(vh_ctx_create(h, 2), 0);
	vh_cb_reset(&cb);
	create_rast(&cb, 5, RS_BASE, 0);
	BIND(&cb, VREND_OBJ_RASTERIZER, 5);
	ck_assert_int_eq(vh_submit(h, 2, &cb), 0);
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* Valid objects of every type, bound, destroyed while bound, unbound with 0,
 * unusual-but-legal payloads (disabled RTs with zero factors, all filters). */
START_TEST(valid_objects_lifecycle)
{
	struct vh *h = vh_create();
	struct vh_cb cb;

	vh_cb_init(&cb);
	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	create_blend(&cb, 1, 0x78000000u);
	CREATE(&cb, VREND_OBJ_BLEND, 11, 2u, 0x1fu, 15u, blend_rt(true, 4, 0x1a, 0x11, 0xf),
	       blend_rt(true, 1, 9, 0x15, 1), 0u, 0u, 0u, 0u, 0u, 0u);
	create_rast(&cb, 3, 0xffffffffu, 0xffffffffu);
	CREATE(&cb, VREND_OBJ_DSA, 5, 4u, 0xffffffffu, 0xffffffffu, 0xffffffffu, fui(0.5f));
	for (uint32_t mip = 0; mip < 3; mip++)
		CREATE(&cb, VREND_OBJ_SAMPLER_STATE, 9, 10u + mip,
		       (0x1fffffu & ~(3u << 11)) | mip << 11, fui(0.5f), fui(-1.0f), fui(1000.0f),
		       fui(1.0f), 0u, 0u, fui(1.0f));
	CREATE(&cb, VREND_OBJ_VERTEX_ELEMENTS, 1, 20u); /* zero elements */
	BIND(&cb, VREND_OBJ_BLEND, 2);
	BIND(&cb, VREND_OBJ_RASTERIZER, 3);
	BIND(&cb, VREND_OBJ_DSA, 4);
	BIND(&cb, VREND_OBJ_VERTEX_ELEMENTS, 20);
	put(&cb, VREND_CCMD_BIND_SAMPLER_STATES, 0, 5, 1u, 29u, 10u, 11u, 12u);
	/* Destroyed while bound: bindings keep them alive. */
	vh_destroy_object(&cb, VREND_OBJ_BLEND, 2);
	vh_destroy_object(&cb, VREND_OBJ_SAMPLER_STATE, 11);
	put(&cb, VREND_CCMD_SET_STENCIL_REF, 0, 1, 0x1234u);
	put(&cb, VREND_CCMD_SET_SAMPLE_MASK, 0, 1, 0x5u);
	put(&cb, VREND_CCMD_SET_MIN_SAMPLES, 0, 1, 4u);
	vh_cmd(&cb, VREND_CCMD_SET_POLYGON_STIPPLE, 0, 32);
	for (int i = 0; i < 32; i++)
		vh_dw(&cb, 0xffffffffu);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);

	struct vrend_sub *sub = sub_of(h, 1);

	ck_assert_uint_ne(vrend_state_sampler(sub, 1, 29), 0);
	ck_assert_uint_ne(vrend_state_sampler(sub, 1, 30), 0);
	ck_assert_uint_ne(vrend_state_sampler(sub, 1, 29), vrend_state_sampler(sub, 1, 30));
	ck_assert_uint_eq(vrend_state_sampler(sub, 1, 28), 0);
	ck_assert_uint_eq(vrend_state_sampler(sub, 6, 0), 0);
	ck_assert_uint_eq(vrend_state_sampler(sub, 1, 32), 0);

	vh_cb_reset(&cb);
	BIND(&cb, VREND_OBJ_BLEND, 0);
	BIND(&cb, VREND_OBJ_RASTERIZER, 0);
	BIND(&cb, VREND_OBJ_DSA, 0);
	BIND(&cb, VREND_OBJ_VERTEX_ELEMENTS, 0);
	put(&cb, VREND_CCMD_BIND_SAMPLER_STATES, 0, 4, 1u, 29u, 0u, 0u);
	/* Destroyed, then unbound: the handle is gone for good. */
	BIND(&cb, VREND_OBJ_BLEND, 2);
	ck_assert_int_eq(vh_submit(h, 1, &cb), -EINVAL);
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* ---- decoded values through the state API ---- */

START_TEST(vertex_elements_translation)
{
	static const struct {
		uint32_t vfmt, gl_type, size;
		bool norm, integer, dbl;
	} want[] = {
	    {VFMT_R32G32_FLOAT, GL_FLOAT, 2, false, false, false},
	    {VFMT_R8G8B8A8_UNORM, GL_UNSIGNED_BYTE, 4, true, false, false},
	    {VFMT_R16G16B16_SSCALED, GL_SHORT, 3, false, false, false},
	    {VFMT_R32_SINT, GL_INT, 1, false, true, false},
	    {VFMT_R16G16_UINT, GL_UNSIGNED_SHORT, 2, false, true, false},
	    {VFMT_B8G8R8A8_UNORM, GL_UNSIGNED_BYTE, GL_BGRA, true, false, false},
	    {VFMT_R10G10B10A2_SNORM, GL_INT_2_10_10_10_REV, 4, true, false, false},
	    {VFMT_R64G64B64_FLOAT, GL_DOUBLE, 3, false, false, false},
	    {VFMT_R16G16B16A16_FLOAT, GL_HALF_FLOAT, 4, false, false, false},
	    {VFMT_R8_SINT, GL_BYTE, 1, false, true, false},
	};
	const uint32_t n = sizeof(want) / sizeof(want[0]);
	struct vh *h = vh_create();
	struct vh_cb cb;
	const struct vrend_vertex_element *el;
	struct vrend_shader_key key;
	uint32_t count;

	vh_cb_init(&cb);
	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	vh_cmd(&cb, VREND_CCMD_CREATE_OBJECT, VREND_OBJ_VERTEX_ELEMENTS, 1 + 4 * n);
	vh_dw(&cb, 7);
	for (uint32_t i = 0; i < n; i++) {
		vh_dw(&cb, 4 * i); /* offset */
		vh_dw(&cb, i & 1); /* divisor */
		vh_dw(&cb, i % 3); /* buffer */
		vh_dw(&cb, want[i].vfmt);
	}
	BIND(&cb, VREND_OBJ_VERTEX_ELEMENTS, 7);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);

	struct vrend_sub *sub = sub_of(h, 1);

	el = vrend_state_vertex_elements(sub, &count);
	ck_assert_uint_eq(count, n);
	for (uint32_t i = 0; i < n; i++) {
		ck_assert_uint_eq(el[i].src_offset, 4 * i);
		ck_assert_uint_eq(el[i].instance_divisor, i & 1);
		ck_assert_uint_eq(el[i].vb_index, i % 3);
		ck_assert_uint_eq(el[i].gl_type, want[i].gl_type);
		ck_assert_uint_eq(el[i].size, want[i].size);
		ck_assert_int_eq(el[i].normalized, want[i].norm);
		ck_assert_int_eq(el[i].pure_integer, want[i].integer);
		ck_assert_int_eq(el[i].is_double, want[i].dbl);
	}
	memset(&key, 0, sizeof(key));
	vrend_state_fill_key(sub, &key);
	ck_assert_uint_eq(key.attrib_int_mask, (1u << 3) | (1u << 9));
	ck_assert_uint_eq(key.attrib_uint_mask, 1u << 4);
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

START_TEST(key_flip_and_clip_planes)
{
	struct vh *h = vh_create();
	struct vh_cb cb;
	struct vrend_shader_key key;

	vh_cb_init(&cb);
	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	/* flatshade, light_twoside, clip planes 0 and 2. */
	create_rast(&cb, 3, RS_BASE | 1u | 1u << 5, 0x05u << 24);
	BIND(&cb, VREND_OBJ_RASTERIZER, 3);
	vh_cmd(&cb, VREND_CCMD_SET_CLIP_STATE, 0, 32);
	for (int i = 0; i < 32; i++)
		vh_f32(&cb, (float)i);
	/* Window-system viewport: negative y scale. */
	vh_cmd(&cb, VREND_CCMD_SET_VIEWPORT_STATE, 0, 7);
	vh_dw(&cb, 0);
	vh_f32(&cb, 150.0f);
	vh_f32(&cb, -150.0f);
	vh_f32(&cb, 0.5f);
	vh_f32(&cb, 150.0f);
	vh_f32(&cb, 150.0f);
	vh_f32(&cb, 0.5f);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);

	struct vrend_sub *sub = sub_of(h, 1);

	memset(&key, 0, sizeof(key));
	vrend_state_fill_key(sub, &key);
	ck_assert(key.flatshade);
	ck_assert(key.light_twoside);
	ck_assert_uint_eq(key.clip_plane_mask, 0x05);
	ck_assert(vrend_state_winsys_adjust_y(sub) == -1.0f);
	ck_assert(vrend_state_clip_planes(sub)[31] == 31.0f);

	vh_cb_reset(&cb);
	vh_set_viewport(&cb, 64, 64);
	BIND(&cb, VREND_OBJ_RASTERIZER, 0);
	ck_assert_int_eq(vh_submit(h, 1, &cb), 0);
	ck_assert(vrend_state_winsys_adjust_y(sub) == 1.0f);
	memset(&key, 0, sizeof(key));
	vrend_state_fill_key(sub, &key);
	ck_assert(!key.flatshade);
	ck_assert_uint_eq(key.clip_plane_mask, 0);
	vh_cb_fini(&cb);
	vh_destroy(h);
}
END_TEST

/* ---- pixels ---- */

static const char vs_pos[] = "VERT\n"
                             "DCL IN[0]\n"
                             "DCL OUT[0], POSITION\n"
                             "  0: MOV OUT[0], IN[0]\n"
                             "  1: END\n";

/* Red (1, 0, 0, 1) as float bits. */
static const char fs_red[] = "FRAG\n"
                             "DCL OUT[0], COLOR\n"
                             "IMM[0] UINT32 {1065353216, 0, 0, 1065353216}\n"
                             "  0: MOV OUT[0], IMM[0]\n"
                             "  1: END\n";

#define RED 0xff0000ffu
#define BLUE 0x0000ffffu
#define MAGENTA 0xff00ffffu

struct scene {
	struct vh *h;
	struct vh_cb cb;
	uint32_t px[W * H];
};

/* Context 1 drawing into a 64x64 RGBA8 target cleared blue: shaders, surface,
 * vertex elements (one RGBA32F attribute), DSA off, default blend (handle 21)
 * and rasterizer (handle 23), FBO viewport. Vertices go into RES_VB. */
static void scene_init(struct scene *s, const float *verts, uint32_t nverts)
{
	s->h = vh_create();
	vh_cb_init(&s->cb);
	ck_assert_int_eq(vh_ctx_create(s->h, 1), 0);
	ck_assert_int_eq(vh_texture_2d(s->h, RES_RT, VH_FMT_R8G8B8A8_UNORM, W, H,
	                               VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW),
	                 0);
	ck_assert_int_eq(vh_buffer(s->h, RES_VB, 4096, VGN_BIND_VERTEX_BUFFER), 0);
	ck_assert_int_eq(vh_upload(s->h, RES_VB, verts, nverts * 4 * sizeof(float)), 0);
	vh_attach(s->h, 1, RES_RT);
	vh_attach(s->h, 1, RES_VB);

	struct vh_cb *cb = &s->cb;

	vh_create_shader(cb, 1, VREND_STAGE_VERTEX, vs_pos);
	vh_bind_shader(cb, 1, VREND_STAGE_VERTEX);
	vh_create_shader(cb, 2, VREND_STAGE_FRAGMENT, fs_red);
	vh_bind_shader(cb, 2, VREND_STAGE_FRAGMENT);
	vh_create_surface(cb, 20, RES_RT, VH_FMT_R8G8B8A8_UNORM, 0, 0, 0);
	vh_set_framebuffer(cb, 1, (uint32_t[]){20}, 0);
	create_blend(cb, 21, 0x78000000u);
	BIND(cb, VREND_OBJ_BLEND, 21);
	CREATE(cb, VREND_OBJ_DSA, 5, 22u, 0u, 0u, 0u, 0u);
	BIND(cb, VREND_OBJ_DSA, 22);
	create_rast(cb, 23, RS_BASE, 0);
	BIND(cb, VREND_OBJ_RASTERIZER, 23);
	vh_set_viewport(cb, W, H);
	CREATE(cb, VREND_OBJ_VERTEX_ELEMENTS, 5, 24u, 0u, 0u, 0u,
	       (uint32_t)VFMT_R32G32B32A32_FLOAT);
	BIND(cb, VREND_OBJ_VERTEX_ELEMENTS, 24);
	put(cb, VREND_CCMD_SET_VERTEX_BUFFERS, 0, 3, 16u, 0u, (uint32_t)RES_VB);
	vh_clear_color(cb, 0.0f, 0.0f, 1.0f, 1.0f);
}

/* Submits what is queued, then reads the target back. */
static void scene_run(struct scene *s)
{
	ck_assert_int_eq(vh_submit(s->h, 1, &s->cb), 0);
	vh_cb_reset(&s->cb);
	ck_assert_int_eq(vh_read(s->h, RES_RT, 0, 0, W, H, s->px), 0);
}

/* RGBA8 at Gallium (x, y) as 0xRRGGBBAA. */
static uint32_t pix(const struct scene *s, uint32_t x, uint32_t y)
{
	const uint8_t *p = (const uint8_t *)&s->px[y * W + x];

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void scene_fini(struct scene *s)
{
	vh_cb_fini(&s->cb);
	vh_destroy(s->h);
}

/* A triangle covering the whole NDC square. */
static const float full[] = {-1, -1, 0, 1, 3, -1, 0, 1, -1, 3, 0, 1};
/* Upper half of NDC (y > 0), counter-clockwise in NDC. */
static const float upper[] = {-1, 0, 0, 1, 3, 0, 0, 1, -1, 2, 0, 1};
/* The same triangle wound clockwise. */
static const float upper_cw[] = {-1, 0, 0, 1, -1, 2, 0, 1, 3, 0, 0, 1};

static void viewport(struct vh_cb *cb, float sx, float sy, float tx, float ty)
{
	vh_cmd(cb, VREND_CCMD_SET_VIEWPORT_STATE, 0, 7);
	vh_dw(cb, 0);
	vh_f32(cb, sx);
	vh_f32(cb, sy);
	vh_f32(cb, 0.5f);
	vh_f32(cb, tx);
	vh_f32(cb, ty);
	vh_f32(cb, 0.5f);
}

START_TEST(viewport_quadrant)
{
	struct scene s;

	scene_init(&s, full, 3);
	viewport(&s.cb, 16, 16, 48, 16); /* x in [32, 64), y in [0, 32) */
	vh_draw(&s.cb, 4, 0, 3);
	scene_run(&s);
	ck_assert_uint_eq(pix(&s, 40, 8), RED);
	ck_assert_uint_eq(pix(&s, 63, 31), RED);
	ck_assert_uint_eq(pix(&s, 31, 8), BLUE);
	ck_assert_uint_eq(pix(&s, 40, 32), BLUE);
	ck_assert_uint_eq(pix(&s, 8, 40), BLUE);
	scene_fini(&s);
}
END_TEST

/* Gallium: window y = scale * ndc + translate; NDC y > 0 lands on rows
 * below translate with a positive scale, above it with a negative one. */
START_TEST(viewport_y_direction)
{
	struct scene s;

	scene_init(&s, upper, 3);
	vh_draw(&s.cb, 4, 0, 3);
	scene_run(&s);
	ck_assert_uint_eq(pix(&s, 10, 50), RED);
	ck_assert_uint_eq(pix(&s, 10, 10), BLUE);

	vh_clear_color(&s.cb, 0.0f, 0.0f, 1.0f, 1.0f);
	viewport(&s.cb, 32, -32, 32, 32);
	vh_draw(&s.cb, 4, 0, 3);
	scene_run(&s);
	ck_assert_uint_eq(pix(&s, 10, 10), RED);
	ck_assert_uint_eq(pix(&s, 10, 50), BLUE);
	scene_fini(&s);
}
END_TEST

/* Mesa's front_ccw is in Gallium's y-down window space: for an FBO it sends
 * front_ccw = 0 for GL's CCW, for a window-system buffer front_ccw = 1. */
START_TEST(facing_and_culling)
{
	static const struct {
		const float *verts;
		bool negative_vp, front_ccw, visible;
	} cases[] = {
	    {upper, false, false, true},     /* FBO, GL CCW front, CCW drawn */
	    {upper_cw, false, false, false}, /* ... CW drawn: culled */
	    {upper, false, true, false},     /* FBO, GL CW front */
	    {upper, true, true, true},       /* window, GL CCW front, CCW drawn */
	    {upper_cw, true, true, false},   {upper, true, false, false},
	};

	for (uint32_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scene s;
		uint32_t row = cases[i].negative_vp ? 10 : 50;

		scene_init(&s, cases[i].verts, 3);
		create_rast(&s.cb, 30,
		            RS_BASE | RS_CULL_BACK | (cases[i].front_ccw ? RS_FRONT_CCW : 0), 0);
		BIND(&s.cb, VREND_OBJ_RASTERIZER, 30);
		if (cases[i].negative_vp)
			viewport(&s.cb, 32, -32, 32, 32);
		vh_draw(&s.cb, 4, 0, 3);
		scene_run(&s);
		ck_assert_msg(pix(&s, 10, row) == (cases[i].visible ? RED : BLUE),
		              "case %u: pixel %08x", i, pix(&s, 10, row));
		scene_fini(&s);
	}
}
END_TEST

START_TEST(scissor_rect)
{
	struct scene s;

	scene_init(&s, full, 3);
	put(&s.cb, VREND_CCMD_SET_SCISSOR_STATE, 0, 3, 0u, 8u | 4u << 16, 24u | 40u << 16);
	vh_draw(&s.cb, 4, 0, 3); /* scissor not enabled yet: everything */
	scene_run(&s);
	ck_assert_uint_eq(pix(&s, 60, 60), RED);

	vh_clear_color(&s.cb, 0.0f, 0.0f, 1.0f, 1.0f);
	create_rast(&s.cb, 30, RS_BASE | RS_SCISSOR, 0);
	BIND(&s.cb, VREND_OBJ_RASTERIZER, 30);
	vh_draw(&s.cb, 4, 0, 3);
	scene_run(&s);
	ck_assert_uint_eq(pix(&s, 8, 4), RED);
	ck_assert_uint_eq(pix(&s, 23, 39), RED);
	ck_assert_uint_eq(pix(&s, 7, 4), BLUE);
	ck_assert_uint_eq(pix(&s, 24, 10), BLUE);
	ck_assert_uint_eq(pix(&s, 10, 3), BLUE);
	ck_assert_uint_eq(pix(&s, 10, 40), BLUE);
	scene_fini(&s);
}
END_TEST

START_TEST(blend_and_colormask)
{
	struct scene s;

	/* ONE + ONE: red onto blue = magenta. */
	scene_init(&s, full, 3);
	create_blend(&s.cb, 30, blend_rt(true, 0, 1, 1, 0xf));
	BIND(&s.cb, VREND_OBJ_BLEND, 30);
	vh_draw(&s.cb, 4, 0, 3);
	scene_run(&s);
	ck_assert_uint_eq(pix(&s, 32, 32), MAGENTA);

	/* Colour mask red only: the shader's zero blue is not written. */
	vh_clear_color(&s.cb, 0.0f, 0.0f, 1.0f, 1.0f);
	create_blend(&s.cb, 31, blend_rt(false, 0, 0, 0, 0x1));
	BIND(&s.cb, VREND_OBJ_BLEND, 31);
	vh_draw(&s.cb, 4, 0, 3);
	scene_run(&s);
	ck_assert_uint_eq(pix(&s, 32, 32), MAGENTA);

	/* CONST_COLOR * src + ZERO: blend colour (0.5, ...) halves red. */
	vh_clear_color(&s.cb, 0.0f, 0.0f, 1.0f, 1.0f);
	create_blend(&s.cb, 32, blend_rt(true, 0, 7, 0x11, 0xf));
	BIND(&s.cb, VREND_OBJ_BLEND, 32);
	put(&s.cb, VREND_CCMD_SET_BLEND_COLOR, 0, 4, fui(0.5f), fui(0.5f), fui(0.5f), fui(1.0f));
	vh_draw(&s.cb, 4, 0, 3);
	scene_run(&s);
	ck_assert_uint_le(pix(&s, 32, 32) >> 24, 0x81);
	ck_assert_uint_ge(pix(&s, 32, 32) >> 24, 0x7f);
	ck_assert_uint_eq(pix(&s, 32, 32) & 0xffffff, 0x0000ff);

	/* Unbinding the blend state: defaults (no blending, all channels). */
	vh_clear_color(&s.cb, 0.0f, 0.0f, 1.0f, 1.0f);
	BIND(&s.cb, VREND_OBJ_BLEND, 0);
	vh_draw(&s.cb, 4, 0, 3);
	scene_run(&s);
	ck_assert_uint_eq(pix(&s, 32, 32), RED);
	scene_fini(&s);
}
END_TEST

/* KHR_blend_equation_advanced as Mesa sends it: the mode in RT 0's
 * alpha_src_factor (blending bit off), the shader's blend_support modes as a
 * property. Red-green (0.5, 1, 0, 1) onto blue (0, 0, 1, 1). */
static const char fs_advanced[] = "FRAG\n"
                                  "PROPERTY FS_BLEND_EQUATION_ADVANCED 6\n"
                                  "DCL OUT[0], COLOR\n"
                                  "IMM[0] FLT32 {0.5, 1.0, 0.0, 1.0}\n"
                                  "  0: MOV OUT[0], IMM[0]\n"
                                  "  1: END\n";

START_TEST(advanced_blend_equations)
{
	struct scene s;
	uint32_t p;

	scene_init(&s, full, 3);
	vh_create_shader(&s.cb, 40, VREND_STAGE_FRAGMENT, fs_advanced);
	vh_bind_shader(&s.cb, 40, VREND_STAGE_FRAGMENT);
	/* MULTIPLY (1): src * dst = black, alpha 1 */
	create_blend(&s.cb, 41, 1u << 17 | 0x78000000u);
	BIND(&s.cb, VREND_OBJ_BLEND, 41);
	vh_draw(&s.cb, 4, 0, 3);
	scene_run(&s);
	ck_assert_uint_eq(pix(&s, 32, 32), 0x000000ffu);
	/* SCREEN (2): src + dst - src * dst = (0.5, 1, 1) */
	vh_clear_color(&s.cb, 0.0f, 0.0f, 1.0f, 1.0f);
	create_blend(&s.cb, 42, 2u << 17 | 0x78000000u);
	BIND(&s.cb, VREND_OBJ_BLEND, 42);
	put(&s.cb, VREND_CCMD_TEXTURE_BARRIER, 0, 1, 2u); /* glBlendBarrier */
	vh_draw(&s.cb, 4, 0, 3);
	scene_run(&s);
	p = pix(&s, 32, 32);
	ck_assert_uint_ge(p >> 24, 0x7f);
	ck_assert_uint_le(p >> 24, 0x81);
	ck_assert_uint_eq(p & 0xffffff, 0xffffff);
	/* back to plain blending off: the source replaces the target */
	vh_clear_color(&s.cb, 0.0f, 0.0f, 1.0f, 1.0f);
	BIND(&s.cb, VREND_OBJ_BLEND, 21);
	vh_draw(&s.cb, 4, 0, 3);
	scene_run(&s);
	p = pix(&s, 32, 32);
	ck_assert_uint_eq(p & 0xffffff, 0xff00ff);
	ck_assert_uint_le(p >> 24, 0x81);
	ck_assert_uint_ge(p >> 24, 0x7f);
	scene_fini(&s);
}
END_TEST

/* Polygon mode LINE: the interior stays clear, the edges are drawn. */
START_TEST(polygon_mode_line)
{
	static const float quad_tri[] = {-0.5f, -0.5f, 0, 1, 0.5f, -0.5f, 0, 1, -0.5f, 0.5f, 0, 1};
	struct scene s;

	scene_init(&s, quad_tri, 3);
	create_rast(&s.cb, 30, RS_BASE | 1u << 10 | 1u << 12, 0);
	BIND(&s.cb, VREND_OBJ_RASTERIZER, 30);
	vh_draw(&s.cb, 4, 0, 3);
	scene_run(&s);
	ck_assert_uint_eq(pix(&s, 20, 20), BLUE);
	/* The left edge lies on x = 16: diamond-exit puts it in column 15 or 16. */
	ck_assert(pix(&s, 15, 24) == RED || pix(&s, 16, 24) == RED);
	scene_fini(&s);
}
END_TEST

static Suite *state_suite(void)
{
	Suite *s = suite_create("vrend_state");
	TCase *t = tcase_create("objects");

	tcase_add_loop_test(t, hostile_payloads, 0, (int)(sizeof(hostile) / sizeof(hostile[0])));
	tcase_add_test(t, valid_objects_lifecycle);
	tcase_add_test(t, vertex_elements_translation);
	tcase_add_test(t, key_flip_and_clip_planes);
	suite_add_tcase(s, t);
	t = tcase_create("pixels");
	tcase_add_test(t, viewport_quadrant);
	tcase_add_test(t, viewport_y_direction);
	tcase_add_test(t, facing_and_culling);
	tcase_add_test(t, scissor_rect);
	tcase_add_test(t, blend_and_colormask);
	tcase_add_test(t, advanced_blend_equations);
	tcase_add_test(t, polygon_mode_line);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(state_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
