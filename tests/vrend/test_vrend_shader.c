/* SPDX-License-Identifier: MIT */
/*
 * Shaders, programs and bindings (shader.c, program.c, bindings.c) through
 * the public API on the live host GL: TGSI objects (whole and split across
 * command buffers), constant buffer 0, UBOs, samplers, SSBOs from compute
 * (directly and indirectly indexed),
 * two-sided colour through a geometry shader, pipeline statistics of draws,
 * the view swizzle of shadow lookups, GL_CLAMP with linear filtering,
 * and hostile shader commands that must kill only their own context.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vctx_harness.h"

#define W 256
#define H 256
#define RT 10
#define TEX 11
#define UBO 12
#define SSBO 13
#define FMT_Z32_FLOAT 18u

enum { CMD_CREATE_OBJECT = 1, CMD_BIND_OBJECT = 2, CMD_DRAW_VBO = 8, CMD_SET_SAMPLER_VIEWS = 10 };
enum { CMD_SET_CONSTANT_BUFFER = 12, CMD_BIND_SAMPLER_STATES = 18, CMD_SET_VIEWPORT = 4 };
enum { CMD_SET_UNIFORM_BUFFER = 27, CMD_BIND_SHADER = 31, CMD_SET_SHADER_BUFFERS = 34 };
enum { CMD_LAUNCH_GRID = 37, CMD_MEMORY_BARRIER = 36 };
enum { CMD_BEGIN_QUERY = 19, CMD_END_QUERY = 20, CMD_GET_QUERY_RESULT = 21 };
enum { OBJ_BLEND = 1, OBJ_RASTERIZER = 2, OBJ_DSA = 3, OBJ_SHADER = 4, OBJ_VE = 5 };
enum { OBJ_SAMPLER_VIEW = 6, OBJ_SAMPLER_STATE = 7, OBJ_QUERY = 9 };
enum { VS = 0, FS = 1, GS = 2, CS = 5 };

static struct vh *h;

static uint32_t fui(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return u;
}

/* A fullscreen triangle from gl_VertexID alone (no vertex buffers):
 * x = id == 1 ? 3 : -1, y = id == 2 ? 3 : -1. */
static const char vs_fullscreen[] = "VERT\n"
                                    "DCL SV[0], VERTEXID\n"
                                    "DCL OUT[0], POSITION\n"
                                    "DCL TEMP[0..1]\n"
                                    "IMM[0] UINT32 {1, 2, 1077936128, 3212836864}\n"
                                    "IMM[1] UINT32 {0, 1065353216, 0, 0}\n"
                                    "  0: USEQ TEMP[0].xy, SV[0].xxxx, IMM[0].xyyy\n"
                                    "  1: UCMP TEMP[1].xy, TEMP[0].xyyy, IMM[0].zzzz, IMM[0].wwww\n"
                                    "  2: MOV OUT[0].xy, TEMP[1].xyyy\n"
                                    "  3: MOV OUT[0].zw, IMM[1].xxxy\n"
                                    "  4: END\n";

/* color = CONST[0] */
static const char fs_const[] = "FRAG\n"
                               "PROPERTY FS_COLOR0_WRITES_ALL_CBUFS 1\n"
                               "DCL OUT[0], COLOR\n"
                               "DCL CONST[0]\n"
                               "DCL TEMP[0..3]\n"
                               "  0: MOV OUT[0], CONST[0]\n"
                               "  1: END\n";

/* color = (CONST[2].x, 1, 1, 1): only the last element of a 3-vec4 block read */
static const char fs_const2[] = "FRAG\n"
                                "PROPERTY FS_COLOR0_WRITES_ALL_CBUFS 1\n"
                                "DCL OUT[0], COLOR\n"
                                "DCL CONST[0..2]\n"
                                "IMM[0] UINT32 {1065353216, 0, 0, 0}\n"
                                "DCL TEMP[0..3]\n"
                                "  0: MOV OUT[0].x, CONST[2].xxxx\n"
                                "  1: MOV OUT[0].yzw, IMM[0].xxxx\n"
                                "  2: END\n";

/* color = texture(s, (0.5, 0.5)) * CONST[1][1] (a UBO, second vec4) */
static const char fs_tex_ubo[] = "FRAG\n"
                                 "DCL OUT[0], COLOR\n"
                                 "DCL SAMP[0]\n"
                                 "DCL SVIEW[0], 2D, FLOAT\n"
                                 "DCL CONST[1][0..1]\n"
                                 "DCL TEMP[0..1]\n"
                                 "IMM[0] UINT32 {1056964608, 1056964608, 0, 0}\n"
                                 "  0: MOV TEMP[1], IMM[0]\n"
                                 "  1: TEX TEMP[0], TEMP[1], SAMP[0], 2D\n"
                                 "  2: MUL OUT[0], TEMP[0], CONST[1][1]\n"
                                 "  3: END\n";

/* SSBO[0].d[tid] = tid * CONST[0].x */
static const char cs_fill[] = "COMP\n"
                              "PROPERTY CS_FIXED_BLOCK_WIDTH 8\n"
                              "PROPERTY CS_FIXED_BLOCK_HEIGHT 1\n"
                              "PROPERTY CS_FIXED_BLOCK_DEPTH 1\n"
                              "DCL SV[0], THREAD_ID\n"
                              "DCL BUFFER[0]\n"
                              "DCL CONST[0]\n"
                              "DCL TEMP[0..1]\n"
                              "IMM[0] UINT32 {2, 0, 0, 0}\n"
                              "  0: UMUL TEMP[0].x, SV[0].xxxx, CONST[0].xxxx\n"
                              "  1: SHL TEMP[1].x, SV[0].xxxx, IMM[0].xxxx\n"
                              "  2: STORE BUFFER[0].x, TEMP[1].xxxx, TEMP[0].xxxx\n"
                              "  3: END\n";

/* CREATE_OBJECT(SHADER) in one packet; offlen = text bytes incl. the NUL. */
static void shader(struct vh_cb *cb, uint32_t handle, uint32_t stage, const char *text)
{
	uint32_t len = (uint32_t)strlen(text) + 1, ndw = (len + 3) / 4;
	uint32_t tmp[4096] = {0};

	ck_assert_uint_lt(ndw, 4096);
	memcpy(tmp, text, len);
	vh_cmd(cb, CMD_CREATE_OBJECT, OBJ_SHADER, 5 + ndw);
	vh_dw(cb, handle);
	vh_dw(cb, stage);
	vh_dw(cb, len);
	vh_dw(cb, 100); /* num_tokens hint */
	vh_dw(cb, 0);   /* no stream output */
	for (uint32_t i = 0; i < ndw; i++)
		vh_dw(cb, tmp[i]);
}

/* One packet of a split shader: offlen as given, dwords of text from byte
 * offset off (multiple of 4), count bytes (padded to dwords). */
static void shader_part(struct vh_cb *cb, uint32_t handle, uint32_t stage, uint32_t offlen,
                        const char *text, uint32_t off, uint32_t count)
{
	uint32_t total = (uint32_t)strlen(text) + 1, ndw = (count + 3) / 4;
	uint32_t tmp[4096] = {0};

	ck_assert_uint_le(off + count, total);
	memcpy(tmp, text + off, count);
	vh_cmd(cb, CMD_CREATE_OBJECT, OBJ_SHADER, 5 + ndw);
	vh_dw(cb, handle);
	vh_dw(cb, stage);
	vh_dw(cb, offlen);
	vh_dw(cb, 100);
	vh_dw(cb, 0);
	for (uint32_t i = 0; i < ndw; i++)
		vh_dw(cb, tmp[i]);
}

static void bind(struct vh_cb *cb, uint32_t type, uint32_t handle)
{
	vh_cmd(cb, CMD_BIND_OBJECT, type, 1);
	vh_dw(cb, handle);
}

static void consts(struct vh_cb *cb, uint32_t stage, const uint32_t *dw, uint32_t n)
{
	vh_cmd(cb, CMD_SET_CONSTANT_BUFFER, 0, 2 + n);
	vh_dw(cb, stage);
	vh_dw(cb, 0);
	for (uint32_t i = 0; i < n; i++)
		vh_dw(cb, dw[i]);
}

static void const_color(struct vh_cb *cb, float r, float g, float b, float a)
{
	const uint32_t c[4] = {fui(r), fui(g), fui(b), fui(a)};

	consts(cb, FS, c, 4);
}

/* Framebuffer on RT, blend (RGBA writes), DSA off, rasterizer (no cull),
 * viewport W x H, no vertex elements, cleared blue. Handles 1..6. */
/* A 2D sampler view of res (virgl format | target << 24) bound to FS slot 0. */
static void fs_sampler_view(struct vh_cb *cb, uint32_t handle, uint32_t res, uint32_t fmt_target,
                            uint32_t swizzle)
{
	vh_cmd(cb, CMD_CREATE_OBJECT, OBJ_SAMPLER_VIEW, 6);
	vh_dw(cb, handle);
	vh_dw(cb, res);
	vh_dw(cb, fmt_target);
	vh_dw(cb, 0);
	vh_dw(cb, 0);
	vh_dw(cb, swizzle);
	vh_cmd(cb, CMD_SET_SAMPLER_VIEWS, 0, 3);
	vh_dw(cb, FS);
	vh_dw(cb, 0);
	vh_dw(cb, handle);
}

/* A sampler state (s0: filters, wraps, compare; max LOD 1000) bound to FS slot 0. */
static void fs_sampler_state(struct vh_cb *cb, uint32_t handle, uint32_t s0, const float border[4])
{
	vh_cmd(cb, CMD_CREATE_OBJECT, OBJ_SAMPLER_STATE, 9);
	vh_dw(cb, handle);
	vh_dw(cb, s0);
	vh_dw(cb, 0);
	vh_dw(cb, 0);
	vh_dw(cb, fui(1000.0f));
	for (int i = 0; i < 4; i++)
		vh_dw(cb, border ? fui(border[i]) : 0);
	vh_cmd(cb, CMD_BIND_SAMPLER_STATES, 0, 3);
	vh_dw(cb, FS);
	vh_dw(cb, 0);
	vh_dw(cb, handle);
}

static void state(struct vh_cb *cb)
{
	static const uint32_t cbufs[1] = {1};

	vh_create_surface(cb, 1, RT, VH_FMT_R8G8B8A8_UNORM, 0, 0, 0);
	vh_set_framebuffer(cb, 1, cbufs, 0);
	vh_cmd(cb, CMD_CREATE_OBJECT, OBJ_BLEND, 11);
	vh_dw(cb, 2);
	vh_dw(cb, 0x4);
	vh_dw(cb, 0);
	vh_dw(cb, 0x78000000); /* RT0 colormask RGBA */
	for (int i = 0; i < 7; i++)
		vh_dw(cb, 0);
	bind(cb, OBJ_BLEND, 2);
	vh_cmd(cb, CMD_CREATE_OBJECT, OBJ_DSA, 5);
	vh_dw(cb, 3);
	for (int i = 0; i < 4; i++)
		vh_dw(cb, 0);
	bind(cb, OBJ_DSA, 3);
	vh_cmd(cb, CMD_CREATE_OBJECT, OBJ_RASTERIZER, 9);
	vh_dw(cb, 4);
	vh_dw(cb, 0x20000002); /* depth_clip, half_pixel_center, no cull */
	vh_dw(cb, fui(1.0f));
	vh_dw(cb, 0);
	vh_dw(cb, 0);
	vh_dw(cb, fui(1.0f));
	vh_dw(cb, 0);
	vh_dw(cb, 0);
	vh_dw(cb, 0);
	bind(cb, OBJ_RASTERIZER, 4);
	vh_set_viewport(cb, W, H);
	vh_cmd(cb, CMD_CREATE_OBJECT, OBJ_VE, 1);
	vh_dw(cb, 5);
	bind(cb, OBJ_VE, 5);
	vh_clear_color(cb, 0.0f, 0.0f, 1.0f, 1.0f);
}

static uint32_t rgba(uint8_t r, uint8_t g, uint8_t b, uint8_t a)
{
	return (uint32_t)r | (uint32_t)g << 8 | (uint32_t)b << 16 | (uint32_t)a << 24;
}

/* Every pixel of RT equals want (RGBA8, +-1 per channel). */
static void expect_all(uint32_t want)
{
	uint32_t px[W * H];

	ck_assert_int_eq(vh_read(h, RT, 0, 0, W, H, px), 0);
	for (int i = 0; i < W * H; i++) {
		for (int c = 0; c < 4; c++) {
			int got = (int)(px[i] >> (8 * c) & 0xff),
			    exp = (int)(want >> (8 * c) & 0xff);

			ck_assert_msg(abs(got - exp) <= 1, "pixel %d = %08x, want %08x", i, px[i],
			              want);
		}
	}
}

static void setup(void)
{
	h = vh_create();
	ck_assert_int_eq(vh_ctx_create(h, 1), 0);
	ck_assert_int_eq(vh_texture_2d(h, RT, VH_FMT_R8G8B8A8_UNORM, W, H,
	                               VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW),
	                 0);
	vh_attach(h, 1, RT);
}

static void teardown(void)
{
	vh_destroy(h);
	h = NULL;
}

static void submit_ok(uint32_t ctx, struct vh_cb *cb)
{
	int ret = vh_submit(h, ctx, cb);

	ck_assert_msg(ret == 0, "submit failed (%d); log:\n%s", ret, h->log);
	vh_cb_reset(cb);
}

START_TEST(draw_constant_color)
{
	struct vh_cb cb;

	vh_cb_init(&cb);
	state(&cb);
	shader(&cb, 20, VS, vs_fullscreen);
	shader(&cb, 21, FS, fs_const);
	vh_bind_shader(&cb, 20, VS);
	vh_bind_shader(&cb, 21, FS);
	const_color(&cb, 0.0f, 1.0f, 0.0f, 1.0f);
	vh_draw(&cb, 4, 0, 3);
	submit_ok(1, &cb);
	expect_all(rgba(0, 255, 0, 255));
	/* New constants reach the cached program. */
	const_color(&cb, 1.0f, 0.0f, 0.5f, 1.0f);
	vh_draw(&cb, 4, 0, 3);
	submit_ok(1, &cb);
	expect_all(rgba(255, 0, 128, 255));
	vh_cb_fini(&cb);
}
END_TEST

START_TEST(constant_array_element)
{
	const uint32_t c[12] = {fui(0.25f), 0, 0, 0, fui(0.5f), 0, 0, 0, fui(0.75f), 0, 0, 0};
	struct vh_cb cb;

	vh_cb_init(&cb);
	vh_create_sub_ctx(&cb, 1);
	vh_set_sub_ctx(&cb, 1);
	state(&cb);
	shader(&cb, 20, VS, vs_fullscreen);
	shader(&cb, 21, FS, fs_const2);
	vh_bind_shader(&cb, 20, VS);
	vh_bind_shader(&cb, 21, FS);
	consts(&cb, FS, c, 12);
	vh_draw(&cb, 4, 0, 3);
	submit_ok(1, &cb);
	expect_all(rgba(191, 255, 255, 255));
	vh_cb_fini(&cb);
}
END_TEST

/* The fragment shader arrives in three packets over two command buffers. */
START_TEST(split_shader)
{
	uint32_t total = (uint32_t)strlen(fs_const) + 1;
	struct vh_cb cb;

	vh_cb_init(&cb);
	state(&cb);
	shader(&cb, 20, VS, vs_fullscreen);
	shader_part(&cb, 21, FS, total, fs_const, 0, 32);
	submit_ok(1, &cb);
	shader_part(&cb, 21, FS, 0x80000000u | 32, fs_const, 32, 24);
	submit_ok(1, &cb);
	shader_part(&cb, 21, FS, 0x80000000u | 56, fs_const, 56, total - 56);
	vh_bind_shader(&cb, 20, VS);
	vh_bind_shader(&cb, 21, FS);
	const_color(&cb, 1.0f, 1.0f, 0.0f, 1.0f);
	vh_draw(&cb, 4, 0, 3);
	submit_ok(1, &cb);
	expect_all(rgba(255, 255, 0, 255));
	vh_cb_fini(&cb);
}
END_TEST

/* A texel (sampler view + sampler state) times a UBO vec4 at a byte offset. */
START_TEST(texture_times_ubo)
{
	static const uint8_t texel[4] = {200, 100, 40, 255};
	float ubo[12] = {0};
	struct vh_cb cb;

	ck_assert_int_eq(vh_texture_2d(h, TEX, VH_FMT_R8G8B8A8_UNORM, 1, 1, VGN_BIND_SAMPLER_VIEW),
	                 0);
	ck_assert_int_eq(vh_buffer(h, UBO, sizeof(ubo), VGN_BIND_CONSTANT_BUFFER), 0);
	vh_attach(h, 1, TEX);
	vh_attach(h, 1, UBO);
	ck_assert_int_eq(vh_upload(h, TEX, texel, sizeof(texel)), 0);
	/* The block starts at byte 16: d[1] = bytes 32..47. */
	ubo[8] = 0.5f;
	ubo[9] = 1.0f;
	ubo[10] = 2.0f;
	ubo[11] = 1.0f;
	ck_assert_int_eq(vh_upload(h, UBO, ubo, sizeof(ubo)), 0);
	vh_cb_init(&cb);
	state(&cb);
	shader(&cb, 20, VS, vs_fullscreen);
	shader(&cb, 22, FS, fs_tex_ubo);
	vh_bind_shader(&cb, 20, VS);
	vh_bind_shader(&cb, 22, FS);
	fs_sampler_view(&cb, 30, TEX, VH_FMT_R8G8B8A8_UNORM | 2u << 24, 0x688 /* identity */);
	fs_sampler_state(&cb, 31, 0x31000 /* nearest, no mipmaps */, NULL);
	vh_cmd(&cb, CMD_SET_UNIFORM_BUFFER, 0, 5);
	vh_dw(&cb, FS);
	vh_dw(&cb, 1);
	vh_dw(&cb, 16);
	vh_dw(&cb, 32);
	vh_dw(&cb, UBO);
	vh_draw(&cb, 4, 0, 3);
	submit_ok(1, &cb);
	/* (200, 100, 40) * (0.5, 1, 2) = (100, 100, 80) */
	expect_all(rgba(100, 100, 80, 255));
	vh_cb_fini(&cb);
}
END_TEST

START_TEST(compute_ssbo)
{
	uint32_t out[16];
	const uint32_t scale[4] = {3, 0, 0, 0};
	struct vh_cb cb;

	ck_assert_int_eq(vh_buffer(h, SSBO, sizeof(out), VGN_BIND_VERTEX_BUFFER), 0);
	vh_attach(h, 1, SSBO);
	vh_cb_init(&cb);
	shader(&cb, 40, CS, cs_fill);
	vh_bind_shader(&cb, 40, CS);
	consts(&cb, CS, scale, 4);
	vh_cmd(&cb, CMD_SET_SHADER_BUFFERS, 0, 5);
	vh_dw(&cb, CS);
	vh_dw(&cb, 0);
	vh_dw(&cb, 16); /* offset: d[0] is byte 16 */
	vh_dw(&cb, 32);
	vh_dw(&cb, SSBO);
	vh_cmd(&cb, CMD_LAUNCH_GRID, 0, 8);
	vh_dw(&cb, 8);
	vh_dw(&cb, 1);
	vh_dw(&cb, 1);
	vh_dw(&cb, 1);
	vh_dw(&cb, 1);
	vh_dw(&cb, 1);
	vh_dw(&cb, 0);
	vh_dw(&cb, 0);
	vh_cmd(&cb, CMD_MEMORY_BARRIER, 0, 1);
	vh_dw(&cb, 0xffff);
	submit_ok(1, &cb);
	memset(out, 0xee, sizeof(out));
	ck_assert_int_eq(vh_read(h, SSBO, 0, 0, sizeof(out), 1, out), 0);
	for (uint32_t i = 0; i < 4; i++)
		ck_assert_uint_eq(out[i], 0); /* before the bound range */
	for (uint32_t i = 0; i < 8; i++)
		ck_assert_uint_eq(out[4 + i], 3 * i);
	for (uint32_t i = 12; i < 16; i++)
		ck_assert_uint_eq(out[i], 0);
	vh_cb_fini(&cb);
}
END_TEST

/* An indirectly indexed shader buffer (piglit arb_shader_storage_buffer_object
 * execution/indirect): buf[CONST.x].d[1] = buf[CONST.x].d[0] + CONST.y. An
 * index naming no declared buffer touches nothing. */
static const char cs_indirect_ssbo[] = "COMP\n"
                                       "PROPERTY CS_FIXED_BLOCK_WIDTH 1\n"
                                       "PROPERTY CS_FIXED_BLOCK_HEIGHT 1\n"
                                       "PROPERTY CS_FIXED_BLOCK_DEPTH 1\n"
                                       "DCL BUFFER[0]\n"
                                       "DCL BUFFER[1]\n"
                                       "DCL CONST[0]\n"
                                       "DCL TEMP[0]\n"
                                       "DCL ADDR[0]\n"
                                       "IMM[0] UINT32 {0, 4, 0, 0}\n"
                                       "  0: UARL ADDR[0].x, CONST[0].xxxx\n"
                                       "  1: LOAD TEMP[0].x, BUFFER[ADDR[0].x], IMM[0].xxxx\n"
                                       "  2: UADD TEMP[0].x, TEMP[0].xxxx, CONST[0].yyyy\n"
                                       "  3: STORE BUFFER[ADDR[0].x].x, IMM[0].yyyy, TEMP[0].xxxx\n"
                                       "  4: END\n";

static void dispatch_indirect_ssbo(struct vh_cb *cb, uint32_t sel, uint32_t add)
{
	const uint32_t k[4] = {sel, add, 0, 0};

	consts(cb, CS, k, 4);
	vh_cmd(cb, CMD_LAUNCH_GRID, 0, 8);
	for (int i = 0; i < 6; i++)
		vh_dw(cb, 1);
	vh_dw(cb, 0);
	vh_dw(cb, 0);
	vh_cmd(cb, CMD_MEMORY_BARRIER, 0, 1);
	vh_dw(cb, 0xffff);
}

START_TEST(compute_ssbo_indirect)
{
	const uint32_t init[2][4] = {{10, 0, 0, 0}, {20, 0, 0, 0}};
	uint32_t out[2][4];
	struct vh_cb cb;

	for (uint32_t b = 0; b < 2; b++) {
		ck_assert_int_eq(vh_buffer(h, SSBO + b, 16, VGN_BIND_VERTEX_BUFFER), 0);
		vh_attach(h, 1, SSBO + b);
		ck_assert_int_eq(vh_upload(h, SSBO + b, init[b], 16), 0);
	}
	vh_cb_init(&cb);
	shader(&cb, 40, CS, cs_indirect_ssbo);
	vh_bind_shader(&cb, 40, CS);
	vh_cmd(&cb, CMD_SET_SHADER_BUFFERS, 0, 8);
	vh_dw(&cb, CS);
	vh_dw(&cb, 0);
	for (uint32_t b = 0; b < 2; b++) {
		vh_dw(&cb, 0);
		vh_dw(&cb, 16);
		vh_dw(&cb, SSBO + b);
	}
	dispatch_indirect_ssbo(&cb, 1, 5);
	dispatch_indirect_ssbo(&cb, 0, 7);
	dispatch_indirect_ssbo(&cb, 9, 100); /* no such buffer */
	submit_ok(1, &cb);
	for (uint32_t b = 0; b < 2; b++)
		ck_assert_int_eq(vh_read(h, SSBO + b, 0, 0, 16, 1, out[b]), 0);
	ck_assert_uint_eq(out[0][0], 10);
	ck_assert_uint_eq(out[0][1], 17);
	ck_assert_uint_eq(out[1][0], 20);
	ck_assert_uint_eq(out[1][1], 25);
	ck_assert_uint_eq(out[0][2] | out[0][3] | out[1][2] | out[1][3], 0);
	vh_cb_fini(&cb);
}
END_TEST

/* ---- hostile streams: context 2 dies with a reason, context 1 still draws ---- */

/* Context 1 keeps a program bound; each round draws a new colour with it. */
static void good_setup(void)
{
	struct vh_cb cb;

	vh_cb_init(&cb);
	state(&cb);
	shader(&cb, 20, VS, vs_fullscreen);
	shader(&cb, 21, FS, fs_const);
	vh_bind_shader(&cb, 20, VS);
	vh_bind_shader(&cb, 21, FS);
	submit_ok(1, &cb);
	vh_cb_fini(&cb);
}

static void hostile(void (*bad)(struct vh_cb *cb), const char *reason)
{
	static uint8_t round;
	struct vh_cb cb;

	ck_assert_int_eq(vh_ctx_create(h, 2), 0);
	vh_cb_init(&cb);
	bad(&cb);
	ck_assert_int_ne(vh_submit(h, 2, &cb), 0);
	vh_poll(h);
	ck_assert_msg(vh_log_has(h, reason), "no '%s' in the log:\n%s", reason, h->log);
	vh_cb_reset(&cb);
	/* Context 1 is unaffected. */
	round += 16;
	const_color(&cb, round / 255.0f, 1.0f, 0.0f, 1.0f);
	vh_draw(&cb, 4, 0, 3);
	submit_ok(1, &cb);
	expect_all(rgba(round, 255, 0, 255));
	vh_cb_fini(&cb);
	vh_ctx_destroy(h, 2);
}

static void bad_offlen_zero(struct vh_cb *cb)
{
	shader_part(cb, 21, FS, 0, fs_const, 0, 32);
}

static void bad_cont_without_start(struct vh_cb *cb)
{
	shader_part(cb, 21, FS, 0x80000000u | 32, fs_const, 32, 24);
}

static void bad_cont_offset(struct vh_cb *cb)
{
	uint32_t total = (uint32_t)strlen(fs_const) + 1;

	shader_part(cb, 21, FS, total, fs_const, 0, 32);
	shader_part(cb, 21, FS, 0x80000000u | 36, fs_const, 32, 24);
}

static void bad_cont_other_handle(struct vh_cb *cb)
{
	uint32_t total = (uint32_t)strlen(fs_const) + 1;

	shader_part(cb, 21, FS, total, fs_const, 0, 32);
	shader_part(cb, 22, FS, 0x80000000u | 32, fs_const, 32, 24);
}

static void bad_too_large(struct vh_cb *cb)
{
	shader_part(cb, 21, FS, 2u << 20, fs_const, 0, 32);
}

static void bad_overflow(struct vh_cb *cb)
{
	/* Announces 8 bytes, sends 32. */
	shader_part(cb, 21, FS, 8, fs_const, 0, 32);
}

static void bad_tgsi(struct vh_cb *cb)
{
	shader(cb, 21, FS, "FRAG\nDCL OUT[0], COLOR\n  0: FROB OUT[0], OUT[0]\n  1: END\n");
}

static void bad_stage_text(struct vh_cb *cb)
{
	shader(cb, 21, VS, fs_const);
}

static void bad_bind_stage(struct vh_cb *cb)
{
	shader(cb, 21, FS, fs_const);
	vh_bind_shader(cb, 21, VS);
}

static void bad_bind_missing(struct vh_cb *cb)
{
	vh_bind_shader(cb, 99, FS);
}

static void bad_duplicate(struct vh_cb *cb)
{
	shader(cb, 21, FS, fs_const);
	shader(cb, 21, FS, fs_const);
}

static void bad_const_index(struct vh_cb *cb)
{
	vh_cmd(cb, CMD_SET_CONSTANT_BUFFER, 0, 6);
	vh_dw(cb, FS);
	vh_dw(cb, 1); /* inline data only for slot 0 */
	for (int i = 0; i < 4; i++)
		vh_dw(cb, 0);
}

static void bad_const_stage(struct vh_cb *cb)
{
	vh_cmd(cb, CMD_SET_CONSTANT_BUFFER, 0, 6);
	vh_dw(cb, 6);
	vh_dw(cb, 0);
	for (int i = 0; i < 4; i++)
		vh_dw(cb, 0);
}

static void bad_ubo_resource(struct vh_cb *cb)
{
	vh_cmd(cb, CMD_SET_UNIFORM_BUFFER, 0, 5);
	vh_dw(cb, FS);
	vh_dw(cb, 1);
	vh_dw(cb, 0);
	vh_dw(cb, 16);
	vh_dw(cb, RT); /* a texture, and not attached to context 2 */
}

static void bad_ssbo_range(struct vh_cb *cb)
{
	vh_cmd(cb, CMD_SET_SHADER_BUFFERS, 0, 8);
	vh_dw(cb, CS);
	vh_dw(cb, 31);
	vh_dw(cb, 0);
	vh_dw(cb, 16);
	vh_dw(cb, 0);
	vh_dw(cb, 0); /* a second buffer would be slot 32 */
	vh_dw(cb, 0);
	vh_dw(cb, 0);
}

START_TEST(hostile_shaders)
{
	good_setup();
	hostile(bad_offlen_zero, "bad offlen");
	hostile(bad_cont_without_start, "bad offlen");
	hostile(bad_cont_offset, "bad offlen");
	hostile(bad_cont_other_handle, "bad offlen");
	hostile(bad_too_large, "limit");
	hostile(bad_overflow, "bad offlen");
	hostile(bad_tgsi, "bad TGSI");
	hostile(bad_stage_text, "TGSI FRAG for stage 0");
	hostile(bad_bind_stage, "bound as");
	hostile(bad_bind_missing, "no shader 99");
	hostile(bad_duplicate, "in use");
	hostile(bad_const_index, "inline data");
	hostile(bad_const_stage, "shader stage 6");
	hostile(bad_ubo_resource, "uniform buffer 1");
	hostile(bad_ssbo_range, "shader buffers 31 + 2");
}
END_TEST

/* The renderer's max_shader_bytes: the same shader text is accepted by a default
 * renderer and kills the context of one whose limit it exceeds. */
START_TEST(shader_size_limit)
{
	const uint32_t limit = (uint32_t)strlen(fs_const) + 1;
	struct vh *lim = vh_create_limited(limit);
	struct vh_cb cb;

	ck_assert_uint_gt(strlen(vs_fullscreen) + 1, limit);
	ck_assert_int_eq(vh_ctx_create(lim, 1), 0);
	vh_cb_init(&cb);
	shader(&cb, 21, FS, fs_const); /* exactly at the limit */
	ck_assert_int_eq(vh_submit(lim, 1, &cb), 0);
	vh_cb_reset(&cb);
	shader(&cb, 20, VS, vs_fullscreen);
	ck_assert_int_ne(vh_submit(lim, 1, &cb), 0);
	vh_poll(lim);
	ck_assert_msg(vh_log_has(lim, "limit"), "no 'limit' in the log:\n%s", lim->log);
	vh_destroy(lim);
	/* The default renderer takes the same text. */
	vh_cb_reset(&cb);
	shader(&cb, 20, VS, vs_fullscreen);
	submit_ok(1, &cb);
	vh_cb_fini(&cb);
}
END_TEST

/* A program that does not translate skips the draw (no crash, no context
 * error); the next good program draws. Shared memory outside a compute
 * shader has no GLSL form. */
START_TEST(bad_program_skips_draw)
{
	static const char fs_shared[] = "FRAG\n"
	                                "DCL OUT[0], COLOR\n"
	                                "DCL MEMORY[0], SHARED\n"
	                                "DCL CONST[0]\n"
	                                "  0: MOV OUT[0], CONST[0]\n"
	                                "  1: END\n";
	struct vh_cb cb;

	vh_cb_init(&cb);
	state(&cb);
	shader(&cb, 20, VS, vs_fullscreen);
	shader(&cb, 21, FS, fs_const);
	shader(&cb, 23, FS, fs_shared);
	vh_bind_shader(&cb, 20, VS);
	vh_bind_shader(&cb, 23, FS);
	const_color(&cb, 0.0f, 1.0f, 0.0f, 1.0f);
	vh_draw(&cb, 4, 0, 3);
	submit_ok(1, &cb);
	expect_all(rgba(0, 0, 255, 255)); /* skipped: still the clear */
	ck_assert(vh_log_has(h, "memory other than shared"));
	vh_bind_shader(&cb, 21, FS);
	vh_draw(&cb, 4, 0, 3);
	submit_ok(1, &cb);
	expect_all(rgba(0, 255, 0, 255));
	vh_cb_fini(&cb);
}
END_TEST

/* Two-sided lighting with a geometry shader that writes COLOR but no BCOLOR
 * (piglit vertex-program-two-side "vs, gs and fs"): the fragment shader reads
 * the back colour on back faces, so the stage before it must provide one (the
 * front colour, as GL leaves it undefined); else the program does not link and
 * the draw is skipped. The same triangle is drawn with either winding as the
 * front, so one of the two draws is back-facing. */
static const char vs_fullscreen_pos[] = "VERT\n"
                                        "DCL SV[0], VERTEXID\n"
                                        "DCL OUT[0], POSITION\n"
                                        "DCL TEMP[0..1]\n"
                                        "IMM[0] UINT32 {1, 2, 1077936128, 3212836864}\n"
                                        "IMM[1] UINT32 {0, 1065353216, 0, 0}\n"
                                        "  0: USEQ TEMP[0].xy, SV[0].xxxx, IMM[0].xyyy\n"
                                        "  1: UCMP TEMP[1].xy, TEMP[0].xyyy, IMM[0].zzzz, "
                                        "IMM[0].wwww\n"
                                        "  2: MOV OUT[0].xy, TEMP[1].xyyy\n"
                                        "  3: MOV OUT[0].zw, IMM[1].xxxy\n"
                                        "  4: END\n";

static const char gs_front_color_only[] = "GEOM\n"
                                          "PROPERTY GS_INPUT_PRIMITIVE TRIANGLES\n"
                                          "PROPERTY GS_OUTPUT_PRIMITIVE TRIANGLE_STRIP\n"
                                          "PROPERTY GS_MAX_OUTPUT_VERTICES 3\n"
                                          "PROPERTY GS_INVOCATIONS 1\n"
                                          "DCL IN[][0], POSITION\n"
                                          "DCL OUT[0], POSITION\n"
                                          "DCL OUT[1], COLOR\n"
                                          "IMM[0] FLT32 {0x3f800000, 0x3e800000, 0x00000000, "
                                          "0x3f800000}\n"
                                          "IMM[1] UINT32 {0, 0, 0, 0}\n"
                                          "  0: MOV OUT[0], IN[0][0]\n"
                                          "  1: MOV OUT[1], IMM[0]\n"
                                          "  2: EMIT IMM[1].xxxx\n"
                                          "  3: MOV OUT[0], IN[1][0]\n"
                                          "  4: MOV OUT[1], IMM[0]\n"
                                          "  5: EMIT IMM[1].xxxx\n"
                                          "  6: MOV OUT[0], IN[2][0]\n"
                                          "  7: MOV OUT[1], IMM[0]\n"
                                          "  8: EMIT IMM[1].xxxx\n"
                                          "  9: ENDPRIM IMM[1].xxxx\n"
                                          " 10: END\n";

static const char fs_color_in[] = "FRAG\n"
                                  "DCL IN[0], COLOR, COLOR\n"
                                  "DCL OUT[0], COLOR\n"
                                  "  0: MOV OUT[0], IN[0]\n"
                                  "  1: END\n";

static void rasterizer(struct vh_cb *cb, uint32_t handle, uint32_t s0)
{
	vh_cmd(cb, CMD_CREATE_OBJECT, OBJ_RASTERIZER, 9);
	vh_dw(cb, handle);
	vh_dw(cb, s0);
	vh_dw(cb, fui(1.0f));
	for (int i = 0; i < 2; i++)
		vh_dw(cb, 0);
	vh_dw(cb, fui(1.0f));
	for (int i = 0; i < 3; i++)
		vh_dw(cb, 0);
	bind(cb, OBJ_RASTERIZER, handle);
}

START_TEST(two_sided_missing_back_color)
{
	const uint32_t twoside = 0x20000002 | 1u << 5, front_ccw = 1u << 15;
	struct vh_cb cb;

	vh_cb_init(&cb);
	state(&cb);
	shader(&cb, 20, VS, vs_fullscreen_pos);
	shader(&cb, 22, GS, gs_front_color_only);
	shader(&cb, 21, FS, fs_color_in);
	vh_bind_shader(&cb, 20, VS);
	vh_bind_shader(&cb, 22, GS);
	vh_bind_shader(&cb, 21, FS);
	rasterizer(&cb, 30, twoside);
	vh_draw(&cb, 4, 0, 3);
	submit_ok(1, &cb);
	expect_all(rgba(255, 64, 0, 255));
	vh_clear_color(&cb, 0.0f, 0.0f, 1.0f, 1.0f);
	rasterizer(&cb, 31, twoside | front_ccw);
	vh_draw(&cb, 4, 0, 3);
	submit_ok(1, &cb);
	expect_all(rgba(255, 64, 0, 255));
	ck_assert(!vh_log_has(h, "link failed"));
	vh_cb_fini(&cb);
}
END_TEST

/* Shadow lookups take the view's swizzle (Gallium applies it to the
 * comparison result, GL returns one float): piglit glsl-fs-shadow1DProj
 * expects (r, r, r, 1) from compat's luminance depth mode. Here the view
 * swizzle is (0, R, 1, R) over a 0.5 depth texel, reference 0.25. */
static const char fs_shadow[] = "FRAG\n"
                                "DCL OUT[0], COLOR\n"
                                "DCL SAMP[0]\n"
                                "DCL SVIEW[0], 2D, FLOAT\n"
                                "DCL TEMP[0..1]\n"
                                "IMM[0] UINT32 {1056964608, 1056964608, 1048576000, 0}\n"
                                "  0: MOV TEMP[1], IMM[0]\n"
                                "  1: TEX TEMP[0], TEMP[1], SAMP[0], SHADOW2D\n"
                                "  2: MOV OUT[0], TEMP[0]\n"
                                "  3: END\n";

static void shadow_sampler(struct vh_cb *cb, uint32_t handle, uint32_t func)
{
	/* nearest, no mips, compare_mode, func */
	fs_sampler_state(cb, handle, 0x1000 | 1u << 15 | func << 16, NULL);
}

START_TEST(shadow_view_swizzle)
{
	const float depth = 0.5f;
	const uint32_t swz = 4u | 0u << 3 | 5u << 6 | 0u << 9; /* ZERO, R, ONE, R */
	struct vh_cb cb;

	ck_assert_int_eq(vh_texture_2d(h, TEX, FMT_Z32_FLOAT, 1, 1, VGN_BIND_SAMPLER_VIEW), 0);
	vh_attach(h, 1, TEX);
	ck_assert_int_eq(vh_upload(h, TEX, &depth, sizeof(depth)), 0);
	vh_cb_init(&cb);
	state(&cb);
	shader(&cb, 20, VS, vs_fullscreen);
	shader(&cb, 22, FS, fs_shadow);
	vh_bind_shader(&cb, 20, VS);
	vh_bind_shader(&cb, 22, FS);
	fs_sampler_view(&cb, 30, TEX, FMT_Z32_FLOAT | 2u << 24, swz);
	shadow_sampler(&cb, 31, 1); /* LESS: 0.25 < 0.5 passes */
	vh_draw(&cb, 4, 0, 3);
	submit_ok(1, &cb);
	expect_all(rgba(0, 255, 255, 255));
	shadow_sampler(&cb, 32, 4); /* GREATER: fails */
	vh_draw(&cb, 4, 0, 3);
	submit_ok(1, &cb);
	expect_all(rgba(0, 0, 255, 0));
	vh_cb_fini(&cb);
}
END_TEST

/* GL_CLAMP (not in core GL) with linear filtering: the coordinate is clamped
 * to [0, 1] and the filter then mixes the edge texel with the border colour.
 * A 2x1 texture (green, red), blue border, sampled at s = 1.5 (and the same
 * through TXP with q = 2): half red, half blue. Clamp-to-edge would give red,
 * clamp-to-border alone blue. */
static const char fs_clamp_tex[] = "FRAG\n"
                                   "DCL OUT[0], COLOR\n"
                                   "DCL SAMP[0]\n"
                                   "DCL SVIEW[0], 2D, FLOAT\n"
                                   "DCL TEMP[0..1]\n"
                                   "IMM[0] FLT32 {0x3fc00000, 0x3f000000, 0x00000000, 0x3f800000}\n"
                                   "  0: MOV TEMP[1], IMM[0]\n"
                                   "  1: TEX TEMP[0], TEMP[1], SAMP[0], 2D\n"
                                   "  2: MOV OUT[0], TEMP[0]\n"
                                   "  3: END\n";

static const char fs_clamp_txp[] = "FRAG\n"
                                   "DCL OUT[0], COLOR\n"
                                   "DCL SAMP[0]\n"
                                   "DCL SVIEW[0], 2D, FLOAT\n"
                                   "DCL TEMP[0..1]\n"
                                   "IMM[0] FLT32 {0x40400000, 0x3f800000, 0x00000000, 0x40000000}\n"
                                   "  0: MOV TEMP[1], IMM[0]\n"
                                   "  1: TXP TEMP[0], TEMP[1], SAMP[0], 2D\n"
                                   "  2: MOV OUT[0], TEMP[0]\n"
                                   "  3: END\n";

START_TEST(gl_clamp_linear)
{
	static const uint8_t texels[8] = {0, 255, 0, 255, 255, 0, 0, 255};
	/* wrap s, t CLAMP; linear min/mag; no mipmaps */
	const uint32_t s0 = 1u | 1u << 3 | 1u << 9 | 2u << 11 | 1u << 13;
	struct vh_cb cb;

	ck_assert_int_eq(vh_texture_2d(h, TEX, VH_FMT_R8G8B8A8_UNORM, 2, 1, VGN_BIND_SAMPLER_VIEW),
	                 0);
	vh_attach(h, 1, TEX);
	ck_assert_int_eq(vh_upload(h, TEX, texels, sizeof(texels)), 0);
	vh_cb_init(&cb);
	state(&cb);
	shader(&cb, 20, VS, vs_fullscreen);
	shader(&cb, 22, FS, fs_clamp_tex);
	shader(&cb, 23, FS, fs_clamp_txp);
	vh_bind_shader(&cb, 20, VS);
	vh_bind_shader(&cb, 22, FS);
	fs_sampler_view(&cb, 30, TEX, VH_FMT_R8G8B8A8_UNORM | 2u << 24, 0x688 /* identity */);
	static const float blue[4] = {0.0f, 0.0f, 1.0f, 1.0f};
	fs_sampler_state(&cb, 31, s0, blue);
	vh_draw(&cb, 4, 0, 3);
	submit_ok(1, &cb);
	expect_all(rgba(128, 0, 128, 255));
	vh_clear_color(&cb, 0.0f, 0.0f, 0.0f, 0.0f);
	vh_bind_shader(&cb, 23, FS);
	vh_draw(&cb, 4, 0, 3);
	submit_ok(1, &cb);
	expect_all(rgba(128, 0, 128, 255));
	vh_cb_fini(&cb);
}
END_TEST

/* PIPELINE_STATISTICS queries (virgl type 10, index = statistic): the host's
 * counts land in the 16-byte record {DONE, size 4, 64-bit value}. */
static void stat_query(struct vh_cb *cb, uint32_t handle, uint32_t stat, uint32_t res)
{
	vh_cmd(cb, CMD_CREATE_OBJECT, OBJ_QUERY, 4);
	vh_dw(cb, handle);
	vh_dw(cb, 10u | stat << 16);
	vh_dw(cb, 0);
	vh_dw(cb, res);
}

static void query_cmd(struct vh_cb *cb, uint32_t cmd, uint32_t handle)
{
	vh_cmd(cb, cmd, 0, cmd == CMD_GET_QUERY_RESULT ? 2 : 1);
	vh_dw(cb, handle);
	if (cmd == CMD_GET_QUERY_RESULT)
		vh_dw(cb, 1); /* wait */
}

static uint64_t stat_value(uint32_t res)
{
	const uint32_t *rec = vh_backing(h, res);
	uint64_t v;

	ck_assert_uint_eq(rec[0], 1); /* DONE */
	ck_assert_uint_eq(rec[1], 4);
	memcpy(&v, rec + 2, 8);
	return v;
}

START_TEST(pipeline_statistics)
{
	struct vh_cb cb;

	for (uint32_t id = 40; id <= 42; id++) {
		ck_assert_int_eq(vh_buffer(h, id, 16, VGN_BIND_CUSTOM), 0);
		vh_attach(h, 1, id);
	}
	vh_cb_init(&cb);
	state(&cb);
	shader(&cb, 20, VS, vs_fullscreen);
	shader(&cb, 21, FS, fs_const);
	vh_bind_shader(&cb, 20, VS);
	vh_bind_shader(&cb, 21, FS);
	const_color(&cb, 0.0f, 1.0f, 0.0f, 1.0f);
	stat_query(&cb, 60, 0, 40); /* IA_VERTICES */
	stat_query(&cb, 61, 1, 41); /* IA_PRIMITIVES */
	stat_query(&cb, 62, 7, 42); /* PS_INVOCATIONS */
	for (uint32_t q = 60; q <= 62; q++)
		query_cmd(&cb, CMD_BEGIN_QUERY, q);
	vh_draw(&cb, 4, 0, 3); /* one triangle over the whole target */
	vh_draw(&cb, 4, 0, 6); /* two more; the second is degenerate */
	for (uint32_t q = 60; q <= 62; q++) {
		query_cmd(&cb, CMD_END_QUERY, q);
		query_cmd(&cb, CMD_GET_QUERY_RESULT, q);
	}
	submit_ok(1, &cb);
	expect_all(rgba(0, 255, 0, 255));
	ck_assert_uint_eq(stat_value(40), 9);
	ck_assert_uint_eq(stat_value(41), 3);
	/* Two covering triangles shade every pixel at least twice. */
	ck_assert_uint_ge(stat_value(42), 2u * W * H);
	/* A statistic past CS_INVOCATIONS (10) kills the context. */
	stat_query(&cb, 63, 11, 40);
	ck_assert_int_ne(vh_submit(h, 1, &cb), 0);
	vh_cb_fini(&cb);
}
END_TEST

static Suite *shader_suite(void)
{
	Suite *s = suite_create("vrend_shader");
	TCase *tc = tcase_create("live");

	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, draw_constant_color);
	tcase_add_test(tc, constant_array_element);
	tcase_add_test(tc, split_shader);
	tcase_add_test(tc, texture_times_ubo);
	tcase_add_test(tc, compute_ssbo);
	tcase_add_test(tc, compute_ssbo_indirect);
	tcase_add_test(tc, hostile_shaders);
	tcase_add_test(tc, shader_size_limit);
	tcase_add_test(tc, bad_program_skips_draw);
	tcase_add_test(tc, two_sided_missing_back_color);
	tcase_add_test(tc, pipeline_statistics);
	tcase_add_test(tc, shadow_view_swizzle);
	tcase_add_test(tc, gl_clamp_linear);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(shader_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
