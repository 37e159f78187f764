/* SPDX-License-Identifier: MIT */
/*
 * Draws through the whole vrend path (public API: renderer with the GL backend,
 * contexts, resources, command streams, readback): a triangle into a 64x64
 * RGBA8 render target checked pixel by pixel (inside, outside, orientation:
 * row 0 is the first row the guest reads back), indexed and instanced draws,
 * primitive restart, indirect draws, stream output, and hostile draws that
 * must kill only their own context.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "backend.h"
#include "virgl-next/virgl_next.h"

/* The core refers to vrend's factory weakly: pull it out of the static
 * library. */
int (*volatile force_vrend_link)(vgn_renderer *, const struct vgn_renderer_params *,
                                 struct vgn_backend **) = vgn_vrend_backend_create;

#define W 64
#define H 64

/* Wire numbers (virgl-protocol.md §2). */
enum {
	CMD_CREATE_OBJECT = 1,
	CMD_BIND_OBJECT = 2,
	CMD_SET_VIEWPORT_STATE = 4,
	CMD_SET_FRAMEBUFFER_STATE = 5,
	CMD_SET_VERTEX_BUFFERS = 6,
	CMD_CLEAR = 7,
	CMD_DRAW_VBO = 8,
	CMD_SET_INDEX_BUFFER = 11,
	CMD_SET_STREAMOUT_TARGETS = 25,
	CMD_BIND_SHADER = 31,
	CMD_SET_SHADER_BUFFERS = 34,
	CMD_MEMORY_BARRIER = 36,
	CMD_LAUNCH_GRID = 37,
	CMD_TEXTURE_BARRIER = 39,
	OBJ_BLEND = 1,
	OBJ_RASTERIZER = 2,
	OBJ_DSA = 3,
	OBJ_SHADER = 4,
	OBJ_VERTEX_ELEMENTS = 5,
	OBJ_SURFACE = 8,
	OBJ_STREAMOUT_TARGET = 10,
	FMT_R32G32B32A32_FLOAT = 31,
	FMT_R8G8B8A8_UNORM = 67,
	FMT_R8_UNORM = 64,
	PRIM_POINTS = 0,
	PRIM_TRIANGLES = 4,
	PRIM_TRIANGLE_STRIP = 5,
	PRIM_QUADS = 7,
};

#define RES_RT 1
#define RES_VB 2
#define RES_IB 3
#define RES_IND 4
#define RES_SO 5
#define RES_TEX 6 /* a texture, not a buffer */
#define RES_SSBO 7

static vgn_renderer *r;
static char log_text[32768];

static void sink(void *user_data, enum vgn_log_level level, const char *msg)
{
	size_t used = strlen(log_text);

	(void)user_data;
	(void)level;
	snprintf(log_text + used, sizeof(log_text) - used, "%s\n", msg);
}

/* ---- command buffers ---- */

struct cb {
	uint32_t d[4096];
	uint32_t n;
};

static void emit(struct cb *c, uint32_t cmd, uint32_t obj, uint32_t len, const uint32_t *p)
{
	ck_assert_uint_le(c->n + 1 + len, 4096);
	c->d[c->n++] = cmd | obj << 8 | len << 16;
	memcpy(&c->d[c->n], p, len * sizeof(*p));
	c->n += len;
}

#define EMIT(c, cmd, obj, ...)                                                                     \
	do {                                                                                       \
		const uint32_t p_[] = {__VA_ARGS__};                                               \
		emit(c, cmd, obj, sizeof(p_) / sizeof(p_[0]), p_);                                 \
	} while (0)

static uint32_t fui(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return u;
}

static void emit_shader(struct cb *c, uint32_t handle, uint32_t stage, const char *text,
                        uint32_t nso, const uint32_t *so)
{
	uint32_t len = (uint32_t)strlen(text) + 1, tdw = (len + 3) / 4;
	uint32_t hdr = nso ? 4 + 4 + 2 * nso : 4;
	uint32_t p[1024] = {handle, stage, len, 300, nso};

	ck_assert_uint_lt(1 + hdr + tdw, 1024);
	if (nso)
		memcpy(&p[5], so, (4 + 2 * nso) * sizeof(uint32_t));
	memcpy(&p[1 + hdr], text, len);
	emit(c, CMD_CREATE_OBJECT, OBJ_SHADER, 1 + hdr + tdw, p);
	EMIT(c, CMD_BIND_SHADER, 0, handle, stage);
}

static const char vs_pos[] = "VERT\n"
                             "DCL IN[0]\n"
                             "DCL OUT[0], POSITION\n"
                             "  0: MOV OUT[0], IN[0]\n"
                             "  1: END\n";

/* Position = IN[0] + IN[1] (IN[1] per instance in the instancing test). */
static const char vs_add[] = "VERT\n"
                             "DCL IN[0]\n"
                             "DCL IN[1]\n"
                             "DCL OUT[0], POSITION\n"
                             "  0: ADD OUT[0], IN[0], IN[1]\n"
                             "  1: END\n";

/* Solid red (float bits as UINT32 immediates, as Mesa sends them). */
static const char fs_red[] = "FRAG\n"
                             "PROPERTY FS_COLOR0_WRITES_ALL_CBUFS 1\n"
                             "DCL OUT[0], COLOR\n"
                             "IMM[0] UINT32 {1065353216, 0, 0, 1065353216}\n"
                             "  0: MOV OUT[0], IMM[0]\n"
                             "  1: END\n";

/* Objects and state every test draws with: shaders (VS handle 10, FS 11),
 * surface 20 on RES_RT, blend/DSA/rasterizer 21..23, viewport of the 64x64
 * target (positive y scale: an FBO), a blue clear. */
static void emit_setup(struct cb *c, const char *vs, uint32_t num_ve)
{
	emit_shader(c, 10, 0, vs, 0, NULL);
	emit_shader(c, 11, 1, fs_red, 0, NULL);
	EMIT(c, CMD_CREATE_OBJECT, OBJ_SURFACE, 20, RES_RT, FMT_R8G8B8A8_UNORM, 0, 0);
	EMIT(c, CMD_SET_FRAMEBUFFER_STATE, 0, 1, 0, 20);
	EMIT(c, CMD_CREATE_OBJECT, OBJ_BLEND, 21, 0x4, 0, 0x78000000, 0, 0, 0, 0, 0, 0, 0);
	EMIT(c, CMD_BIND_OBJECT, OBJ_BLEND, 21);
	EMIT(c, CMD_CREATE_OBJECT, OBJ_DSA, 22, 0, 0, 0, 0);
	EMIT(c, CMD_BIND_OBJECT, OBJ_DSA, 22);
	/* depth_clip, half_pixel_center, cull none, fill. */
	EMIT(c, CMD_CREATE_OBJECT, OBJ_RASTERIZER, 23, 0x20000002, fui(1.0f), 0, 0, fui(1.0f), 0, 0,
	     0);
	EMIT(c, CMD_BIND_OBJECT, OBJ_RASTERIZER, 23);
	EMIT(c, CMD_SET_VIEWPORT_STATE, 0, 0, fui(32), fui(32), fui(0.5f), fui(32), fui(32),
	     fui(0.5f));
	/* Vertex elements 24: num_ve R32G32B32A32_FLOAT elements, element i from
	 * buffer i at offset 0, element 1 per instance. */
	if (num_ve == 1)
		EMIT(c, CMD_CREATE_OBJECT, OBJ_VERTEX_ELEMENTS, 24, 0, 0, 0,
		     FMT_R32G32B32A32_FLOAT);
	else
		EMIT(c, CMD_CREATE_OBJECT, OBJ_VERTEX_ELEMENTS, 24, 0, 0, 0, FMT_R32G32B32A32_FLOAT,
		     0, 1, 1, FMT_R32G32B32A32_FLOAT);
	EMIT(c, CMD_BIND_OBJECT, OBJ_VERTEX_ELEMENTS, 24);
	EMIT(c, CMD_CLEAR, 0, 4, 0, 0, fui(1.0f), fui(1.0f), 0, 0x3ff00000, 0);
}

/* DRAW_VBO len 12: start count mode indexed instances bias start_instance
 * restart restart_index min max cso. */
static void emit_draw(struct cb *c, uint32_t start, uint32_t count, uint32_t mode, bool indexed,
                      uint32_t instances)
{
	EMIT(c, CMD_DRAW_VBO, 0, start, count, mode, indexed, instances, 0, 0, 0, 0, 0, 0xffffffff,
	     0);
}

static int submit_ctx(uint32_t ctx_id, struct cb *c)
{
	return vgn_context_submit(r, ctx_id, c->d, c->n * sizeof(uint32_t));
}

/* ---- resources ---- */

static void *backing[8];

static void create_res(uint32_t id, uint32_t target, uint32_t fmt, uint32_t w, uint32_t h,
                       uint32_t bind)
{
	struct vgn_resource_create_params p = {
	    .size = sizeof(p),
	    .target = target,
	    .format = fmt,
	    .bind = bind,
	    .width = w,
	    .height = h,
	    .depth = 1,
	    .array_size = 1,
	};
	uint32_t bytes = target == VGN_TARGET_BUFFER ? w : w * h * 4;
	struct iovec iov;
	struct vgn_backing b = {.size = sizeof(b), .iov = &iov, .num_iovs = 1, .dmabuf_fd = -1};

	ck_assert_int_eq(vgn_resource_create(r, id, &p), 0);
	backing[id] = calloc(1, bytes);
	iov = (struct iovec){backing[id], bytes};
	ck_assert_int_eq(vgn_resource_attach_backing(r, id, &b), 0);
}

static void upload(uint32_t id, const void *data, uint32_t bytes)
{
	struct vgn_transfer t = {.size = sizeof(t), .box = {0, 0, 0, bytes, 1, 1}};

	memcpy(backing[id], data, bytes);
	ck_assert_int_eq(vgn_resource_transfer_to_host(r, id, &t), 0);
}

static void attach_all(uint32_t ctx_id)
{
	for (uint32_t id = 1; id <= RES_SSBO; id++)
		ck_assert_int_eq(vgn_context_attach_resource(r, ctx_id, id), 0);
}

static void create_ctx(uint32_t ctx_id)
{
	struct vgn_context_params cp = {.size = sizeof(cp), .capset_id = VGN_CAPSET_VIRGL2};

	ck_assert_int_eq(vgn_context_create(r, ctx_id, &cp), 0);
	attach_all(ctx_id);
}

/* Reads the render target back; returns the RGBA8 pixel at Gallium (x, y). */
static const uint8_t *rt;
static void readback(void)
{
	struct vgn_transfer t = {.size = sizeof(t), .stride = W * 4, .box = {0, 0, 0, W, H, 1}};

	ck_assert_int_eq(vgn_resource_transfer_from_host(r, RES_RT, &t), 0);
	rt = backing[RES_RT];
}

static uint32_t px(uint32_t x, uint32_t y)
{
	const uint8_t *p = rt + (y * W + x) * 4;

	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

#define RED 0xff0000ffu
#define BLUE 0x0000ffffu

static void setup(void)
{
	struct vgn_renderer_params rp = {
	    .size = sizeof(rp),
	    .backends = VGN_BACKEND_GL,
	    .log_level = VGN_LOG_DEBUG,
	    .callbacks = {.size = sizeof(struct vgn_callbacks), .log = sink},
	    .gl_platform = VGN_GL_PLATFORM_SURFACELESS,
	    /* VGN_TEST_GLES=1: the same draws on a GLES host context. */
	    .gl_use_gles = getenv("VGN_TEST_GLES") && atoi(getenv("VGN_TEST_GLES")),
	};

	log_text[0] = 0;
	ck_assert_int_eq(vgn_renderer_create(&rp, &r), 0);
	create_res(RES_RT, VGN_TARGET_2D, FMT_R8G8B8A8_UNORM, W, H,
	           VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW);
	create_res(RES_VB, VGN_TARGET_BUFFER, FMT_R8_UNORM, 4096, 1, VGN_BIND_VERTEX_BUFFER);
	create_res(RES_IB, VGN_TARGET_BUFFER, FMT_R8_UNORM, 64, 1, VGN_BIND_INDEX_BUFFER);
	create_res(RES_IND, VGN_TARGET_BUFFER, FMT_R8_UNORM, 64, 1, VGN_BIND_VERTEX_BUFFER);
	create_res(RES_SO, VGN_TARGET_BUFFER, FMT_R8_UNORM, 1024, 1, VGN_BIND_VERTEX_BUFFER);
	create_res(RES_TEX, VGN_TARGET_2D, FMT_R8G8B8A8_UNORM, 4, 4, VGN_BIND_SAMPLER_VIEW);
	create_res(RES_SSBO, VGN_TARGET_BUFFER, FMT_R8_UNORM, 1024, 1, 1u << 14);
	create_ctx(1);
}

static void teardown(void)
{
	vgn_renderer_destroy(r);
	for (uint32_t i = 0; i < 8; i++) {
		free(backing[i]);
		backing[i] = NULL;
	}
}

/* Lower-right triangle in NDC: (-1,-1) (1,-1) (1,1): covers x > y in window
 * coordinates, where y = 0 is row 0 with a positive viewport scale. */
static const float tri[3][4] = {{-1, -1, 0, 1}, {1, -1, 0, 1}, {1, 1, 0, 1}};

static void check_lower_right(void)
{
	readback();
	ck_assert_uint_eq(px(50, 5), RED);   /* x > y: inside */
	ck_assert_uint_eq(px(63, 0), RED);   /* first row, last column */
	ck_assert_uint_eq(px(5, 50), BLUE);  /* x < y: outside */
	ck_assert_uint_eq(px(0, 63), BLUE);  /* last row, first column */
	ck_assert_uint_eq(px(32, 20), RED);  /* x > y */
	ck_assert_uint_eq(px(20, 32), BLUE); /* mirrored: outside */
}

START_TEST(triangle)
{
	struct cb c = {0};

	upload(RES_VB, tri, sizeof(tri));
	emit_setup(&c, vs_pos, 1);
	EMIT(&c, CMD_SET_VERTEX_BUFFERS, 0, 16, 0, RES_VB);
	emit_draw(&c, 0, 3, PRIM_TRIANGLES, false, 1);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	check_lower_right();
}
END_TEST

/* Non-zero start and vertex-buffer offset select the same triangle. */
START_TEST(triangle_start_offset)
{
	float v[8][4] = {{0}};
	struct cb c = {0};

	memcpy(&v[5], tri, sizeof(tri));
	upload(RES_VB, v, sizeof(v));
	emit_setup(&c, vs_pos, 1);
	EMIT(&c, CMD_SET_VERTEX_BUFFERS, 0, 16, 32, RES_VB); /* skips 2 vertices */
	emit_draw(&c, 3, 3, PRIM_TRIANGLES, false, 1);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	check_lower_right();
}
END_TEST

/* Indexed: 16-bit indices at a non-zero IB offset (the start is folded into
 * the offset, DRAW_VBO's start is ignored). Vertex list reversed so only the
 * indices give the right triangle. */
START_TEST(indexed)
{
	float v[4][4] = {{0, 0, 0, 1}};
	uint16_t idx[8] = {0, 0, 0, 3, 2, 1, 0, 0};
	struct cb c = {0};

	memcpy(&v[1], tri[2], 16);
	memcpy(&v[2], tri[1], 16);
	memcpy(&v[3], tri[0], 16);
	upload(RES_VB, v, sizeof(v));
	upload(RES_IB, idx, sizeof(idx));
	emit_setup(&c, vs_pos, 1);
	EMIT(&c, CMD_SET_VERTEX_BUFFERS, 0, 16, 0, RES_VB);
	EMIT(&c, CMD_SET_INDEX_BUFFER, 0, RES_IB, 2, 6);
	emit_draw(&c, 3, 3, PRIM_TRIANGLES, true, 1);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	check_lower_right();
}
END_TEST

/* Two instances of a small triangle, the second shifted by a per-instance
 * attribute (divisor 1 from buffer 1), plus start_instance picking the offset. */
START_TEST(instanced)
{
	/* vertices at offset 0; instance offsets at byte 256 */
	float v[20][4] = {{-1, -1, 0, 1}, {-0.5f, -1, 0, 1}, {-0.5f, -0.5f, 0, 1}};
	struct cb c = {0};

	v[16][0] = 0;    /* instance 0: no shift */
	v[17][0] = 1.0f; /* instance 1: +32 pixels in x */
	v[18][0] = 1.0f; /* instance 2: same shift, */
	v[18][1] = 1.0f; /* and +32 pixels in y */
	upload(RES_VB, v, sizeof(v));
	emit_setup(&c, vs_add, 2);
	EMIT(&c, CMD_SET_VERTEX_BUFFERS, 0, 16, 0, RES_VB, 16, 256, RES_VB);
	emit_draw(&c, 0, 3, PRIM_TRIANGLES, false, 2);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	readback();
	ck_assert_uint_eq(px(12, 2), RED);      /* instance 0 */
	ck_assert_uint_eq(px(32 + 12, 2), RED); /* instance 1 */
	ck_assert_uint_eq(px(2, 12), BLUE);     /* outside both */
	ck_assert_uint_eq(px(32 + 12, 32 + 2), BLUE);

	/* start_instance 2: one instance shifted in x and y. */
	c.n = 0;
	EMIT(&c, CMD_CLEAR, 0, 4, 0, 0, fui(1.0f), fui(1.0f), 0, 0x3ff00000, 0);
	EMIT(&c, CMD_DRAW_VBO, 0, 0, 3, PRIM_TRIANGLES, 0, 1, 0, 2, 0, 0, 0, 0xffffffff, 0);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	readback();
	ck_assert_uint_eq(px(32 + 12, 32 + 2), RED);
	ck_assert_uint_eq(px(12, 2), BLUE);
	ck_assert_uint_eq(px(32 + 12, 2), BLUE);
}
END_TEST

/* A triangle strip with a restart index splits into two strips: without the
 * restart the bridging triangles would cover the middle. */
START_TEST(primitive_restart)
{
	/* Two quads as strips: left column x in [-1,-0.5], right column x in [0.5,1]. */
	float v[8][4] = {{-1, -1, 0, 1},   {-0.5f, -1, 0, 1}, {-1, 1, 0, 1},   {-0.5f, 1, 0, 1},
	                 {0.5f, -1, 0, 1}, {1, -1, 0, 1},     {0.5f, 1, 0, 1}, {1, 1, 0, 1}};
	uint16_t idx[9] = {0, 1, 2, 3, 0xffff, 4, 5, 6, 7};
	struct cb c = {0};

	upload(RES_VB, v, sizeof(v));
	upload(RES_IB, idx, sizeof(idx));
	emit_setup(&c, vs_pos, 1);
	EMIT(&c, CMD_SET_VERTEX_BUFFERS, 0, 16, 0, RES_VB);
	EMIT(&c, CMD_SET_INDEX_BUFFER, 0, RES_IB, 2, 0);
	EMIT(&c, CMD_DRAW_VBO, 0, 0, 9, PRIM_TRIANGLE_STRIP, 1, 1, 0, 0, 1, 0xffff, 0, 0xffffffff,
	     0);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	readback();
	ck_assert_uint_eq(px(4, 32), RED);
	ck_assert_uint_eq(px(60, 32), RED);
	ck_assert_uint_eq(px(32, 32), BLUE);
	ck_assert_uint_eq(px(32, 2), BLUE);

	/* A custom (non-fixed) restart index: 7 restarts, 0xffff is an index
	 * (out of range: never reached since it is never drawn). */
	uint16_t idx2[9] = {0, 1, 2, 3, 7, 4, 5, 6, 7};
	upload(RES_IB, idx2, sizeof(idx2));
	c.n = 0;
	EMIT(&c, CMD_CLEAR, 0, 4, 0, 0, fui(1.0f), fui(1.0f), 0, 0x3ff00000, 0);
	EMIT(&c, CMD_DRAW_VBO, 0, 0, 8, PRIM_TRIANGLE_STRIP, 1, 1, 0, 0, 1, 7, 0, 0xffffffff, 0);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	readback();
	ck_assert_uint_eq(px(4, 32), RED);
	ck_assert_uint_eq(px(32, 32), BLUE);
	ck_assert_uint_eq(px(50, 32), RED);  /* triangle 4 5 6 after the restart */
	ck_assert_uint_eq(px(62, 40), BLUE); /* 5 6 7 is not drawn (count 8) */
}
END_TEST

/* DRAW_VBO len 20: an indirect non-indexed draw of an empty record, then a
 * multi-draw of two records, the first of which draws the triangle. */
START_TEST(indirect)
{
	/* DrawArraysIndirectCommand: count, instances, first, base instance */
	uint32_t cmds[8] = {3, 1, 0, 0, 0, 1, 0, 0};
	struct cb c = {0};

	upload(RES_VB, tri, sizeof(tri));
	upload(RES_IND, cmds, sizeof(cmds));
	emit_setup(&c, vs_pos, 1);
	EMIT(&c, CMD_SET_VERTEX_BUFFERS, 0, 16, 0, RES_VB);
	EMIT(&c, CMD_DRAW_VBO, 0, 0, 0, PRIM_TRIANGLES, 0, 1, 0, 0, 0, 0, 0, 0xffffffff, 0, 0, 0,
	     RES_IND, 16, 0, 1, 0, 0);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	readback();
	ck_assert_uint_eq(px(50, 5), BLUE); /* record 1 draws 0 vertices */

	c.n = 0;
	EMIT(&c, CMD_DRAW_VBO, 0, 0, 0, PRIM_TRIANGLES, 0, 1, 0, 0, 0, 0, 0, 0xffffffff, 0, 0, 0,
	     RES_IND, 0, 16, 2, 0, 0);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	check_lower_right();
}
END_TEST

/* Stream output: the VS position captured into RES_SO (4 dwords per vertex),
 * then the captured data drawn as the vertex buffer. */
START_TEST(stream_output)
{
	/* nso 1, strides {4,0,0,0}; output 0: OUT[0] components 0..3 -> buffer 0
	 * offset 0 (bits 0..7 reg, 8..9 start, 10..12 num, 13..15 buffer). */
	const uint32_t so[] = {4, 0, 0, 0, 0u | 0u << 8 | 4u << 10, 0};
	struct cb c = {0};
	/* Vertices 3..5 (never captured): the upper-left triangle, drawn only
	 * if a draw-auto used more than the 3 captured vertices. */
	float init[12][4] = {[3] = {-1, -1, 0, 1}, [4] = {1, 1, 0, 1}, [5] = {-1, 1, 0, 1}};

	upload(RES_VB, tri, sizeof(tri));
	upload(RES_SO, init, sizeof(init));
	emit_shader(&c, 30, 0, vs_pos, 1, so);
	emit_setup(&c, vs_pos, 1);
	EMIT(&c, CMD_BIND_SHADER, 0, 30, 0);
	EMIT(&c, CMD_SET_VERTEX_BUFFERS, 0, 16, 0, RES_VB);
	EMIT(&c, CMD_CREATE_OBJECT, OBJ_STREAMOUT_TARGET, 31, RES_SO, 0, 1024);
	EMIT(&c, CMD_SET_STREAMOUT_TARGETS, 0, 0, 31);
	emit_draw(&c, 0, 3, PRIM_TRIANGLES, false, 1);
	EMIT(&c, CMD_SET_STREAMOUT_TARGETS, 0, 0);
	EMIT(&c, CMD_MEMORY_BARRIER, 0, 1u << 10 | 1u << 3);
	/* Draw the capture: no stream output, plain VS. */
	EMIT(&c, CMD_BIND_SHADER, 0, 10, 0);
	EMIT(&c, CMD_SET_VERTEX_BUFFERS, 0, 16, 0, RES_SO);
	emit_draw(&c, 0, 3, PRIM_TRIANGLES, false, 1);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	check_lower_right();

	/* Draw-auto (count_from_so = the target's size): exactly the 3
	 * captured vertices. */
	c.n = 0;
	EMIT(&c, CMD_CLEAR, 0, 4, 0, 0, fui(1.0f), fui(1.0f), 0, 0x3ff00000, 0);
	EMIT(&c, CMD_DRAW_VBO, 0, 0, 0, PRIM_TRIANGLES, 0, 1, 0, 0, 0, 0, 0, 0xffffffff, 1024);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	check_lower_right();
}
END_TEST

static void read_buffer(uint32_t id, void *out, uint32_t bytes)
{
	struct vgn_transfer t = {.size = sizeof(t), .box = {0, 0, 0, bytes, 1, 1}};

	ck_assert_int_eq(vgn_resource_transfer_from_host(r, id, &t), 0);
	memcpy(out, backing[id], bytes);
}

/* Append semantics: binding the same target again continues after what was
 * captured (Mesa sends the append bitmask as 0 and creates new targets to
 * start over); a new target object on the same buffer starts at its offset. */
START_TEST(stream_output_append)
{
	const uint32_t so[] = {4, 0, 0, 0, 0u | 0u << 8 | 4u << 10, 0};
	float v[6][4], got[12][4], zero[12][4] = {{0}};
	struct cb c = {0};

	for (uint32_t i = 0; i < 6; i++)
		for (uint32_t j = 0; j < 4; j++)
			v[i][j] = (float)(10 * i + j);
	upload(RES_VB, v, sizeof(v));
	upload(RES_SO, zero, sizeof(zero));
	emit_setup(&c, vs_pos, 1);
	emit_shader(&c, 30, 0, vs_pos, 1, so);
	EMIT(&c, CMD_SET_VERTEX_BUFFERS, 0, 16, 0, RES_VB);
	EMIT(&c, CMD_CREATE_OBJECT, OBJ_STREAMOUT_TARGET, 31, RES_SO, 16, 512);
	EMIT(&c, CMD_SET_STREAMOUT_TARGETS, 0, 0, 31);
	emit_draw(&c, 0, 3, PRIM_POINTS, false, 1);
	EMIT(&c, CMD_SET_STREAMOUT_TARGETS, 0, 0);
	EMIT(&c, CMD_SET_STREAMOUT_TARGETS, 0, 0, 31); /* resume */
	emit_draw(&c, 3, 2, PRIM_POINTS, false, 1);
	EMIT(&c, CMD_SET_STREAMOUT_TARGETS, 0, 0);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	read_buffer(RES_SO, got, sizeof(got));
	for (uint32_t j = 0; j < 4; j++)
		ck_assert(got[0][j] == 0.0f); /* before the target's offset */
	for (uint32_t i = 0; i < 5; i++)
		for (uint32_t j = 0; j < 4; j++)
			ck_assert_msg(got[1 + i][j] == v[i][j], "vertex %u comp %u: %f", i, j,
			              (double)got[1 + i][j]);
	ck_assert(got[6][0] == 0.0f);

	/* A new target: the capture starts over at its offset. */
	c.n = 0;
	EMIT(&c, CMD_CREATE_OBJECT, OBJ_STREAMOUT_TARGET, 32, RES_SO, 16, 512);
	EMIT(&c, CMD_SET_STREAMOUT_TARGETS, 0, 0, 32);
	emit_draw(&c, 5, 1, PRIM_POINTS, false, 1);
	EMIT(&c, CMD_SET_STREAMOUT_TARGETS, 0, 0);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	read_buffer(RES_SO, got, sizeof(got));
	for (uint32_t j = 0; j < 4; j++) {
		ck_assert(got[1][j] == v[5][j]);
		ck_assert(got[2][j] == v[1][j]); /* older data stays */
	}
}
END_TEST

/* Barriers are accepted with any bits. */
START_TEST(barriers)
{
	struct cb c = {0};

	EMIT(&c, CMD_MEMORY_BARRIER, 0, 0xffffffff);
	EMIT(&c, CMD_TEXTURE_BARRIER, 0, 3);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
}
END_TEST

/* Each of 64 x grid threads stores its global index at its own dword. */
static const char cs_ids[] = "COMP\n"
                             "PROPERTY CS_FIXED_BLOCK_WIDTH 64\n"
                             "PROPERTY CS_FIXED_BLOCK_HEIGHT 1\n"
                             "PROPERTY CS_FIXED_BLOCK_DEPTH 1\n"
                             "DCL SV[0], BLOCK_ID\n"
                             "DCL SV[1], THREAD_ID\n"
                             "DCL BUFFER[0]\n"
                             "DCL TEMP[0..2]\n"
                             "IMM[0] UINT32 {6, 2, 0, 0}\n"
                             "  0: SHL TEMP[0].x, SV[0].xxxx, IMM[0].xxxx\n"
                             "  1: UADD TEMP[1].x, TEMP[0].xxxx, SV[1].xxxx\n"
                             "  2: SHL TEMP[2].x, TEMP[1].xxxx, IMM[0].yyyy\n"
                             "  3: STORE BUFFER[0].x, TEMP[2].xxxx, TEMP[1].xxxx\n"
                             "  4: END\n";

static void read_ssbo(uint32_t *out)
{
	struct vgn_transfer t = {.size = sizeof(t), .box = {0, 0, 0, 1024, 1, 1}};

	ck_assert_int_eq(vgn_resource_transfer_from_host(r, RES_SSBO, &t), 0);
	memcpy(out, backing[RES_SSBO], 1024);
}

/* LAUNCH_GRID direct (4 groups: all 256 dwords) and indirect (2 groups from
 * the indirect buffer at offset 16: the first 128 dwords only). */
START_TEST(compute)
{
	const uint32_t groups[8] = {9, 9, 9, 9, 2, 1, 1, 0};
	uint32_t ids[256];
	struct cb c = {0};

	upload(RES_IND, groups, sizeof(groups));
	emit_shader(&c, 50, 5, cs_ids, 0, NULL);
	EMIT(&c, CMD_SET_SHADER_BUFFERS, 0, 5, 0, 0, 1024, RES_SSBO);
	EMIT(&c, CMD_LAUNCH_GRID, 0, 64, 1, 1, 4, 1, 1, 0, 0);
	EMIT(&c, CMD_MEMORY_BARRIER, 0, 1u << 12 | 1u << 1);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	read_ssbo(ids);
	for (uint32_t i = 0; i < 256; i++)
		ck_assert_uint_eq(ids[i], i);

	memset(ids, 0, sizeof(ids));
	upload(RES_SSBO, ids, sizeof(ids));
	c.n = 0;
	EMIT(&c, CMD_LAUNCH_GRID, 0, 64, 1, 1, 0, 0, 0, RES_IND, 16);
	EMIT(&c, CMD_MEMORY_BARRIER, 0, 1u << 12 | 1u << 1);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	read_ssbo(ids);
	for (uint32_t i = 0; i < 256; i++)
		ck_assert_uint_eq(ids[i], i < 128 ? i : 0);
}
END_TEST

/* ---- hostile draws: the context dies, another context keeps rendering ---- */

static void hostile(void (*bad)(struct cb *c), const char *expect)
{
	struct cb c = {0};

	upload(RES_VB, tri, sizeof(tri));
	create_ctx(2);
	emit_setup(&c, vs_pos, 1);
	EMIT(&c, CMD_SET_VERTEX_BUFFERS, 0, 16, 0, RES_VB);
	ck_assert_msg(submit_ctx(1, &c) == 0, "%s", log_text);
	ck_assert_msg(submit_ctx(2, &c) == 0, "%s", log_text);

	c.n = 0;
	bad(&c);
	ck_assert_int_ne(submit_ctx(1, &c), 0);
	ck_assert_msg(strstr(log_text, expect), "expected '%s' in:\n%s", expect, log_text);
	/* Context 1 is dead for good; context 2 still draws. */
	c.n = 0;
	emit_draw(&c, 0, 3, PRIM_TRIANGLES, false, 1);
	ck_assert_int_ne(submit_ctx(1, &c), 0);
	ck_assert_msg(submit_ctx(2, &c) == 0, "%s", log_text);
	check_lower_right();
}

static void bad_index_range(struct cb *c)
{
	/* 64-byte buffer: 20 16-bit indices at offset 32 end at byte 72. */
	EMIT(c, CMD_SET_INDEX_BUFFER, 0, RES_IB, 2, 32);
	emit_draw(c, 0, 20, PRIM_TRIANGLES, true, 1);
}

static void bad_index_wrap(struct cb *c)
{
	/* count * 4 wraps 32 bits: must not pass the check. */
	EMIT(c, CMD_SET_INDEX_BUFFER, 0, RES_IB, 4, 0);
	emit_draw(c, 0, 0x40000001, PRIM_TRIANGLES, true, 1);
}

static void bad_mode(struct cb *c)
{
	emit_draw(c, 0, 3, 15, false, 1);
}

static void bad_quads(struct cb *c)
{
	emit_draw(c, 0, 4, PRIM_QUADS, false, 1);
}

static void bad_indexed_no_ib(struct cb *c)
{
	emit_draw(c, 0, 3, PRIM_TRIANGLES, true, 1);
}

static void bad_indirect_offset(struct cb *c)
{
	EMIT(c, CMD_DRAW_VBO, 0, 0, 0, PRIM_TRIANGLES, 0, 1, 0, 0, 0, 0, 0, 0xffffffff, 0, 0, 0,
	     RES_IND, 52, 0, 1, 0, 0);
}

static void bad_indirect_count(struct cb *c)
{
	/* 3 records of 16 bytes with stride 16 from offset 32: ends at 80 > 64. */
	EMIT(c, CMD_DRAW_VBO, 0, 0, 0, PRIM_TRIANGLES, 0, 1, 0, 0, 0, 0, 0, 0xffffffff, 0, 0, 0,
	     RES_IND, 32, 16, 3, 0, 0);
}

static void bad_vb_texture(struct cb *c)
{
	EMIT(c, CMD_SET_VERTEX_BUFFERS, 0, 16, 0, RES_TEX);
}

static void bad_so_range(struct cb *c)
{
	EMIT(c, CMD_CREATE_OBJECT, OBJ_STREAMOUT_TARGET, 40, RES_SO, 512, 1024);
}

static void bad_index_size(struct cb *c)
{
	EMIT(c, CMD_SET_INDEX_BUFFER, 0, RES_IB, 3, 0);
}

static void bad_so_handle(struct cb *c)
{
	EMIT(c, CMD_SET_STREAMOUT_TARGETS, 0, 0, 21); /* a blend state */
}

static void bad_grid_indirect(struct cb *c)
{
	/* 12 bytes at 56 end at 68 > 64. */
	EMIT(c, CMD_LAUNCH_GRID, 0, 64, 1, 1, 0, 0, 0, RES_IND, 56);
}

static void bad_grid_size(struct cb *c)
{
	EMIT(c, CMD_LAUNCH_GRID, 0, 64, 1, 1, 0xffffffff, 1, 1, 0, 0);
}

START_TEST(hostile_grid_indirect)
{
	hostile(bad_grid_indirect, "indirect dispatch past the end");
}
END_TEST

START_TEST(hostile_grid_size)
{
	hostile(bad_grid_size, "above the host limits");
}
END_TEST

START_TEST(hostile_index_range)
{
	hostile(bad_index_range, "index range past the end");
}
END_TEST

START_TEST(hostile_index_wrap)
{
	hostile(bad_index_wrap, "index range past the end");
}
END_TEST

START_TEST(hostile_mode)
{
	hostile(bad_mode, "primitive mode out of range");
}
END_TEST

START_TEST(hostile_quads)
{
	hostile(bad_quads, "not supported");
}
END_TEST

START_TEST(hostile_indexed_no_ib)
{
	hostile(bad_indexed_no_ib, "without an index buffer");
}
END_TEST

START_TEST(hostile_indirect_offset)
{
	hostile(bad_indirect_offset, "indirect records past the end");
}
END_TEST

START_TEST(hostile_indirect_count)
{
	hostile(bad_indirect_count, "indirect records past the end");
}
END_TEST

START_TEST(hostile_vb_texture)
{
	hostile(bad_vb_texture, "not a buffer");
}
END_TEST

START_TEST(hostile_so_range)
{
	hostile(bad_so_range, "outside the buffer");
}
END_TEST

START_TEST(hostile_index_size)
{
	hostile(bad_index_size, "index size 3");
}
END_TEST

START_TEST(hostile_so_handle)
{
	hostile(bad_so_handle, "no stream-output target");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vrend_draw");
	TCase *tc = tcase_create("draw");
	TCase *th = tcase_create("hostile");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, triangle);
	tcase_add_test(tc, triangle_start_offset);
	tcase_add_test(tc, indexed);
	tcase_add_test(tc, instanced);
	tcase_add_test(tc, primitive_restart);
	tcase_add_test(tc, indirect);
	tcase_add_test(tc, stream_output);
	tcase_add_test(tc, stream_output_append);
	tcase_add_test(tc, barriers);
	tcase_add_test(tc, compute);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(th, setup, teardown);
	tcase_add_test(th, hostile_index_range);
	tcase_add_test(th, hostile_index_wrap);
	tcase_add_test(th, hostile_mode);
	tcase_add_test(th, hostile_quads);
	tcase_add_test(th, hostile_indexed_no_ib);
	tcase_add_test(th, hostile_indirect_offset);
	tcase_add_test(th, hostile_indirect_count);
	tcase_add_test(th, hostile_vb_texture);
	tcase_add_test(th, hostile_so_range);
	tcase_add_test(th, hostile_index_size);
	tcase_add_test(th, hostile_so_handle);
	tcase_add_test(th, hostile_grid_indirect);
	tcase_add_test(th, hostile_grid_size);
	suite_add_tcase(s, th);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
