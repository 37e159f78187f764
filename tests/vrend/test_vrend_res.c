/* SPDX-License-Identifier: MIT */
/*
 * vrend resources on the live host GL (llvmpipe, surfaceless): GL objects for
 * every target, round trips through plans made by the core's validator
 * (vgn_transfer_validate), partial boxes, scattered iovecs and explicit strides,
 * depth/stencil conversions, compressed formats, the FBO readback path, the
 * emulation swizzle seen by a shader, and creation failures that leave nothing
 * behind.
 */
#include <check.h>
#include <epoxy/gl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "platform.h"
#include "res_gl.h"
#include "resource.h"
#include "transfer.h"

/* ---- fixture -------------------------------------------------------------- */

static struct vrend_platform *plat;
static struct vrend_res_backend rb;
static bool host_gles;
static char log_text[8192];

static void sink(void *user_data, enum vgn_log_level level, const char *msg)
{
	size_t used = strlen(log_text);
	(void)user_data;
	(void)level;
	snprintf(log_text + used, sizeof(log_text) - used, "%s\n", msg);
}

static void setup_flags(uint32_t debug_flags, bool gles)
{
	struct vrend_logger logger = {.log = sink, .max_level = VGN_LOG_DEBUG};
	struct vrend_platform_params pp = {.platform = VGN_GL_PLATFORM_SURFACELESS, .gles = gles};
	char err[256] = "";

	log_text[0] = 0;
	ck_assert_msg(vrend_platform_create(&pp, &plat, err, sizeof(err)) == 0, "%s", err);
	struct vrend_res_params p = {
	    .platform = plat, .logger = &logger, .debug_flags = debug_flags};
	memset(&rb, 0, sizeof(rb));
	host_gles = gles;
	ck_assert_int_eq(vrend_res_state_create(&p, &rb.state), 0);
}

static void setup(void)
{
	setup_flags(0, false);
}

static void setup_fbo(void)
{
	setup_flags(VREND_RES_DEBUG_FBO_READBACK, false);
}

static void setup_gles(void)
{
	setup_flags(0, true);
}

static void teardown(void)
{
	struct vrend_res_stats s;
	vrend_res_get_stats(rb.state, &s);
	ck_assert_uint_eq(s.textures_live, 0);
	ck_assert_uint_eq(s.buffers_live, 0);
	vrend_res_state_destroy(rb.state);
	vrend_platform_destroy(plat);
}

static struct vrend_res_stats stats(void)
{
	struct vrend_res_stats s;
	vrend_res_get_stats(rb.state, &s);
	return s;
}

/* glIs* on the root context: names are shared with the resource context. */
static bool is_texture(GLuint name)
{
	struct vrend_current_state saved;
	struct vrend_gl_context *root = vrend_platform_root_context(plat);
	ck_assert_int_eq(vrend_gl_context_push_current(root, &saved), 0);
	bool yes = glIsTexture(name);
	vrend_gl_context_pop_current(root, &saved);
	return yes;
}

static void init_res(struct vgn_resource *res, uint32_t target, uint32_t fmt, uint32_t w,
                     uint32_t h, uint32_t d, uint32_t layers, uint32_t last_level, uint32_t samples,
                     uint32_t bind)
{
	memset(res, 0, sizeof(*res));
	res->create.size = sizeof(res->create);
	res->create.target = target;
	res->create.format = fmt;
	res->create.bind = bind;
	res->create.width = w;
	res->create.height = h;
	res->create.depth = d;
	res->create.array_size = layers;
	res->create.last_level = last_level;
	res->create.nr_samples = samples;
	res->format = vgn_format_get(fmt);
	ck_assert_ptr_nonnull(res->format);
}

/* ---- guest memory: one logical range over separate allocations ------------- */

struct guest {
	struct iovec *iov;
	uint32_t n;
	uint64_t total;
};

static void guest_init(struct guest *g, size_t total, size_t chunk, uint8_t fill)
{
	g->n = (uint32_t)((total + chunk - 1) / chunk);
	g->iov = calloc(g->n, sizeof(*g->iov));
	g->total = total;
	for (uint32_t i = 0; i < g->n; i++) {
		size_t len = total - i * chunk < chunk ? total - i * chunk : chunk;
		g->iov[i].iov_base = malloc(len);
		g->iov[i].iov_len = len;
		memset(g->iov[i].iov_base, fill, len);
	}
}

static void guest_fini(struct guest *g)
{
	for (uint32_t i = 0; i < g->n; i++)
		free(g->iov[i].iov_base);
	free(g->iov);
}

static void guest_rw(struct guest *g, uint64_t off, uint8_t *buf, size_t len, bool write)
{
	for (uint32_t i = 0; i < g->n && len; i++) {
		size_t il = g->iov[i].iov_len;
		if (off >= il) {
			off -= il;
			continue;
		}
		size_t n = il - off < len ? il - off : len;
		if (write)
			memcpy((uint8_t *)g->iov[i].iov_base + off, buf, n);
		else
			memcpy(buf, (uint8_t *)g->iov[i].iov_base + off, n);
		buf += n;
		len -= n;
		off = 0;
	}
	ck_assert_uint_eq(len, 0);
}

static int xfer(struct vgn_resource *res, bool to_host, uint32_t level, struct vgn_box box,
                uint64_t stride, uint64_t layer_stride, uint64_t offset, struct guest *g)
{
	struct vgn_transfer t = {.size = sizeof(t),
	                         .level = level,
	                         .box = box,
	                         .stride = stride,
	                         .layer_stride = layer_stride,
	                         .offset = offset};
	struct vgn_transfer_plan plan;
	int ret = vgn_transfer_validate(res, &t, to_host, g->iov, g->n, g->total, &plan);
	if (ret)
		return ret;
	return vrend_resource_transfer(&rb.base, res, &plan);
}

/* ---- patterns -------------------------------------------------------------- */

static uint32_t hash(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	return x ^ (x >> 16);
}

/* Bytes valid for the format: depth values in [0, 1], X bits GL drops zeroed. */
static void fill_pattern(uint32_t fmt, uint8_t *p, size_t size, uint32_t seed)
{
	for (size_t i = 0; i < size; i++)
		p[i] = (uint8_t)hash((uint32_t)i * 2654435761u + seed);
	for (size_t i = 0; i + 4 <= size; i += 4) {
		float z = (float)(hash((uint32_t)i + seed) % 1000001u) / 1000000.0f;
		switch (fmt) {
		case VFMT_Z24X8_UNORM:
			p[i + 3] = 0;
			break;
		case VFMT_Z32_FLOAT:
			memcpy(p + i, &z, 4);
			break;
		case VFMT_Z32_FLOAT_S8X24_UINT:
			if (i % 8 == 0)
				memcpy(p + i, &z, 4);
			else
				p[i + 1] = p[i + 2] = p[i + 3] = 0;
			break;
		default:
			break;
		}
	}
}

struct level_geom {
	uint32_t lw, lh, slices, bw, bh, bb;
	uint64_t stride, layer, size;
};

static struct level_geom geom(const struct vgn_resource *res, uint32_t level)
{
	struct level_geom g;
	vgn_level_extent(&res->create, level, &g.lw, &g.lh, &g.slices);
	ck_assert_int_eq(vgn_transfer_block(&res->create, res->format, &g.bw, &g.bh, &g.bb), 0);
	g.stride = (uint64_t)vgn_nblocks(g.lw, g.bw) * g.bb;
	g.layer = g.stride * vgn_nblocks(g.lh, g.bh);
	g.size = g.layer * g.slices;
	return g;
}

/* ---- round trips ------------------------------------------------------------ */

struct rt_case {
	const char *name;
	uint32_t target, fmt, w, h, d, layers, last_level, level;
	struct vgn_box box;
};

#define T2D VGN_TARGET_2D
static const struct rt_case rt_cases[] = {
    {"2d rgba8", T2D, VFMT_R8G8B8A8_UNORM, 37, 21, 1, 1, 0, 0, {3, 4, 0, 17, 9, 1}},
    {"2d bgra8", T2D, VFMT_B8G8R8A8_UNORM, 37, 21, 1, 1, 0, 0, {0, 0, 0, 37, 5, 1}},
    {"2d bgrx8", T2D, VFMT_B8G8R8X8_UNORM, 16, 16, 1, 1, 0, 0, {1, 15, 0, 15, 1, 1}},
    {"2d r8", T2D, VFMT_R8_UNORM, 33, 17, 1, 1, 0, 0, {1, 2, 0, 31, 13, 1}},
    {"2d rg16f", T2D, VFMT_R16G16_FLOAT, 19, 7, 1, 1, 0, 0, {2, 1, 0, 9, 5, 1}},
    {"2d rgba32f", T2D, VFMT_R32G32B32A32_FLOAT, 13, 9, 1, 1, 0, 0, {5, 3, 0, 8, 6, 1}},
    {"2d rgb8", T2D, VFMT_R8G8B8_UNORM, 21, 9, 1, 1, 0, 0, {1, 1, 0, 19, 7, 1}},
    {"2d b5g6r5", T2D, VFMT_B5G6R5_UNORM, 21, 9, 1, 1, 0, 0, {3, 2, 0, 11, 3, 1}},
    {"2d rgb10a2", T2D, VFMT_R10G10B10A2_UNORM, 12, 12, 1, 1, 0, 0, {1, 1, 0, 10, 10, 1}},
    {"2d rgba16ui", T2D, VFMT_R16G16B16A16_UINT, 12, 8, 1, 1, 0, 0, {2, 2, 0, 7, 5, 1}},
    {"2d r32i", T2D, VFMT_R32_SINT, 12, 8, 1, 1, 0, 0, {2, 2, 0, 7, 5, 1}},
    {"2d l8a8", T2D, VFMT_L8A8_UNORM, 12, 8, 1, 1, 0, 0, {2, 2, 0, 7, 5, 1}},
    {"2d a8", T2D, VFMT_A8_UNORM, 12, 8, 1, 1, 0, 0, {2, 2, 0, 7, 5, 1}},
    {"2d mip 2", T2D, VFMT_R8G8B8A8_UNORM, 64, 32, 1, 1, 4, 2, {1, 1, 0, 9, 5, 1}},
    {"2d mip last", T2D, VFMT_B8G8R8A8_UNORM, 64, 32, 1, 1, 6, 6, {0, 0, 0, 1, 1, 1}},
    {"rect", VGN_TARGET_RECT, VFMT_R8G8B8A8_UNORM, 45, 23, 1, 1, 0, 0, {4, 5, 0, 30, 10, 1}},
    {"1d", VGN_TARGET_1D, VFMT_R8G8B8A8_UNORM, 100, 1, 1, 1, 3, 0, {7, 0, 0, 50, 1, 1}},
    {"1d mip", VGN_TARGET_1D, VFMT_R16G16_FLOAT, 100, 1, 1, 1, 3, 2, {3, 0, 0, 20, 1, 1}},
    {"1d array", VGN_TARGET_1D_ARRAY, VFMT_R8G8B8A8_UNORM, 40, 1, 1, 6, 0, 0, {3, 0, 1, 30, 1, 4}},
    {"2d array", VGN_TARGET_2D_ARRAY, VFMT_R8G8B8A8_UNORM, 19, 11, 1, 5, 0, 0, {2, 3, 1, 11, 6, 3}},
    {"2d array mip", VGN_TARGET_2D_ARRAY, VFMT_R8_UNORM, 19, 11, 1, 5, 2, 1, {1, 1, 2, 7, 4, 3}},
    {"3d", VGN_TARGET_3D, VFMT_R8G8B8A8_UNORM, 16, 8, 6, 1, 0, 0, {2, 1, 1, 9, 5, 3}},
    {"3d mip", VGN_TARGET_3D, VFMT_R32G32B32A32_FLOAT, 16, 8, 6, 1, 2, 1, {1, 1, 1, 5, 2, 2}},
    {"cube", VGN_TARGET_CUBE, VFMT_R8G8B8A8_UNORM, 16, 16, 1, 6, 0, 0, {3, 2, 1, 9, 11, 4}},
    {"cube mip", VGN_TARGET_CUBE, VFMT_B8G8R8X8_UNORM, 16, 16, 1, 6, 2, 1, {1, 1, 0, 6, 5, 6}},
    {"cube array",
     VGN_TARGET_CUBE_ARRAY,
     VFMT_R8G8B8A8_UNORM,
     8,
     8,
     1,
     12,
     0,
     0,
     {1, 1, 5, 6, 6, 5}},
    {"dxt1 edge", T2D, VFMT_DXT1_RGBA, 36, 20, 1, 1, 0, 0, {4, 8, 0, 32, 12, 1}},
    {"dxt1 partial blocks", T2D, VFMT_DXT1_RGB, 30, 18, 1, 1, 1, 0, {8, 4, 0, 22, 14, 1}},
    {"dxt1 mip", T2D, VFMT_DXT1_RGB, 30, 18, 1, 1, 2, 1, {4, 0, 0, 11, 9, 1}},
    {"bptc", T2D, VFMT_BPTC_RGBA_UNORM, 32, 16, 1, 1, 0, 0, {4, 4, 0, 16, 8, 1}},
    {"dxt5 array", VGN_TARGET_2D_ARRAY, VFMT_DXT5_RGBA, 16, 16, 1, 3, 0, 0, {4, 0, 1, 8, 16, 2}},
    {"z24s8", T2D, VFMT_Z24_UNORM_S8_UINT, 29, 13, 1, 1, 0, 0, {3, 2, 0, 20, 9, 1}},
    {"s8z24", T2D, VFMT_S8_UINT_Z24_UNORM, 29, 13, 1, 1, 0, 0, {3, 2, 0, 20, 9, 1}},
    {"x24s8", T2D, VFMT_X24S8_UINT, 29, 13, 1, 1, 0, 0, {3, 2, 0, 20, 9, 1}},
    {"z24x8", T2D, VFMT_Z24X8_UNORM, 29, 13, 1, 1, 0, 0, {3, 2, 0, 20, 9, 1}},
    {"x8z24", T2D, VFMT_X8Z24_UNORM, 29, 13, 1, 1, 0, 0, {3, 2, 0, 20, 9, 1}},
    {"z16", T2D, VFMT_Z16_UNORM, 29, 13, 1, 1, 0, 0, {3, 2, 0, 20, 9, 1}},
    {"z32f", T2D, VFMT_Z32_FLOAT, 29, 13, 1, 1, 0, 0, {3, 2, 0, 20, 9, 1}},
    {"z32f s8", T2D, VFMT_Z32_FLOAT_S8X24_UINT, 29, 13, 1, 1, 0, 0, {3, 2, 0, 20, 9, 1}},
    {"s8", T2D, VFMT_S8_UINT, 29, 13, 1, 1, 0, 0, {3, 2, 0, 20, 9, 1}},
    {"z24s8 array",
     VGN_TARGET_2D_ARRAY,
     VFMT_Z24_UNORM_S8_UINT,
     9,
     7,
     1,
     3,
     0,
     0,
     {1, 1, 1, 7, 5, 2}},
    {"z32f cube", VGN_TARGET_CUBE, VFMT_Z32_FLOAT, 8, 8, 1, 6, 0, 0, {1, 1, 2, 6, 6, 3}},
};
#define N_RT (int)(sizeof(rt_cases) / sizeof(rt_cases[0]))

/* Copies the box rows of `src` (tight layout of the box) into the full-level image
 * `level` (tight level layout). */
static void paste_box(uint8_t *level, const struct level_geom *g, const struct vgn_box *b,
                      const uint8_t *src, uint64_t row_bytes, uint32_t rows)
{
	for (uint32_t s = 0; s < b->d; s++)
		for (uint32_t r = 0; r < rows; r++)
			memcpy(level + (b->z + s) * g->layer + (b->y / g->bh + r) * g->stride +
			           (uint64_t)(b->x / g->bw) * g->bb,
			       src + (s * rows + r) * row_bytes, row_bytes);
}

/*
 * 1. the whole level from scattered iovecs (staged), pattern A;
 * 2. the box from one iovec with explicit strides (direct where GL can), pattern B;
 * 3. the whole level back into one iovec (direct): A with B in the box;
 * 4. the box back into scattered iovecs with odd strides and an offset: the rows
 *    match, the bytes between them keep their sentinel.
 */
static void roundtrip(const struct rt_case *c)
{
	struct vgn_resource res;
	init_res(&res, c->target, c->fmt, c->w, c->h, c->d, c->layers, c->last_level, 0,
	         VGN_BIND_SAMPLER_VIEW);
	ck_assert_msg(vrend_resource_create(&rb.base, &res) == 0, "%s: create\n%s", c->name,
	              log_text);
	const struct vrend_resource *vr = res.backend_data;
	ck_assert(is_texture(vr->gl_name));

	struct level_geom g = geom(&res, c->level);
	const struct vgn_box *b = &c->box;
	uint64_t row_bytes = (uint64_t)vgn_nblocks(b->w, g.bw) * g.bb;
	uint32_t rows = vgn_nblocks(b->h, g.bh);
	uint8_t *expect = malloc(g.size), *box_b = malloc(row_bytes * rows * b->d);
	fill_pattern(c->fmt, expect, g.size, 1);
	fill_pattern(c->fmt, box_b, row_bytes * rows * b->d, 2);

	struct guest ga;
	guest_init(&ga, g.size, 97, 0);
	guest_rw(&ga, 0, expect, g.size, true);
	struct vgn_box whole = {0, 0, 0, g.lw, g.lh, g.slices};
	ck_assert_msg(xfer(&res, true, c->level, whole, 0, 0, 0, &ga) == 0, "%s: upload\n%s",
	              c->name, log_text);
	guest_fini(&ga);

	uint64_t stride = row_bytes + 2 * g.bb, lstride = stride * (rows + 1), off = 3 * g.bb;
	uint64_t span = (b->d - 1) * lstride + (rows - 1) * stride + row_bytes;
	struct guest gb;
	guest_init(&gb, off + span, off + span, 0);
	for (uint32_t s = 0; s < b->d; s++)
		for (uint32_t r = 0; r < rows; r++)
			guest_rw(&gb, off + s * lstride + r * stride,
			         box_b + (s * rows + r) * row_bytes, row_bytes, true);
	ck_assert_msg(xfer(&res, true, c->level, *b, stride, lstride, off, &gb) == 0,
	              "%s: box upload\n%s", c->name, log_text);
	guest_fini(&gb);
	paste_box(expect, &g, b, box_b, row_bytes, rows);

	struct guest gc;
	guest_init(&gc, g.size, g.size, 0xcd);
	ck_assert_msg(xfer(&res, false, c->level, whole, 0, 0, 0, &gc) == 0, "%s: readback\n%s",
	              c->name, log_text);
	uint8_t *got = malloc(g.size);
	guest_rw(&gc, 0, got, g.size, false);
	for (uint64_t i = 0; i < g.size; i++)
		ck_assert_msg(got[i] == expect[i], "%s: level byte %llu: got 0x%02x want 0x%02x",
		              c->name, (unsigned long long)i, got[i], expect[i]);
	guest_fini(&gc);

	stride = row_bytes + 5;
	lstride = stride * rows + 3;
	off = 11;
	span = (b->d - 1) * lstride + (rows - 1) * stride + row_bytes;
	struct guest gd;
	guest_init(&gd, off + span + 7, 29, 0xa5);
	ck_assert_msg(xfer(&res, false, c->level, *b, stride, lstride, off, &gd) == 0,
	              "%s: box readback\n%s", c->name, log_text);
	uint8_t *all = malloc(gd.total);
	guest_rw(&gd, 0, all, gd.total, false);
	for (uint64_t i = 0; i < gd.total; i++) {
		uint64_t rel = i - off, s = rel / lstride, r = rel % lstride / stride,
		         x = rel % lstride % stride;
		bool in = i >= off && s < b->d && r < rows && x < row_bytes;
		uint8_t want = 0xa5;
		if (in)
			want = expect[(b->z + s) * g.layer + (b->y / g.bh + r) * g.stride +
			              (uint64_t)(b->x / g.bw) * g.bb + x];
		ck_assert_msg(all[i] == want, "%s: box byte %llu: got 0x%02x want 0x%02x", c->name,
		              (unsigned long long)i, all[i], want);
	}
	guest_fini(&gd);
	free(all);
	free(got);
	free(expect);
	free(box_b);
	GLuint name = vr->gl_name;
	vrend_resource_destroy(&rb.base, &res);
	ck_assert_ptr_null(res.backend_data);
	ck_assert(!is_texture(name));
}

START_TEST(round_trip)
{
	roundtrip(&rt_cases[_i]);
	struct vrend_res_stats s = stats();
	ck_assert_uint_eq(s.staged_copies + s.direct_copies, 4);
	ck_assert_uint_ge(s.staged_copies, 1); /* the scattered box readback */
	ck_assert_uint_eq(s.dsa_readbacks, 2);
	ck_assert_uint_eq(s.fbo_readbacks, 0);
}
END_TEST

/* The same cases read back through FBO + glReadPixels (what a GLES host does):
 * everything but compressed formats, which that path refuses. */
START_TEST(round_trip_fbo)
{
	const struct rt_case *c = &rt_cases[_i];
	const struct vgn_format *f = vgn_format_get(c->fmt);
	if (f->flags & VGN_FMT_COMPRESSED) {
		struct vgn_resource res;
		init_res(&res, c->target, c->fmt, c->w, c->h, c->d, c->layers, c->last_level, 0, 0);
		ck_assert_int_eq(vrend_resource_create(&rb.base, &res), 0);
		struct guest g;
		guest_init(&g, 4096, 4096, 0);
		ck_assert_int_eq(
		    xfer(&res, false, 0, (struct vgn_box){0, 0, 0, 4, 4, 1}, 0, 0, 0, &g),
		    -ENOTSUP);
		guest_fini(&g);
		vrend_resource_destroy(&rb.base, &res);
		return;
	}
	roundtrip(c);
	struct vrend_res_stats s = stats();
	ck_assert_uint_ge(s.fbo_readbacks, 2);
	ck_assert_uint_eq(s.dsa_readbacks, 0);
}
END_TEST

/* ---- creation ---------------------------------------------------------------- */

START_TEST(targets_and_storage)
{
	static const struct {
		uint32_t target, w, h, d, layers, last_level, samples;
		GLenum gl;
	} t[] = {
	    {VGN_TARGET_1D, 64, 1, 1, 1, 6, 0, GL_TEXTURE_1D},
	    {VGN_TARGET_2D, 64, 32, 1, 1, 6, 0, GL_TEXTURE_2D},
	    {VGN_TARGET_3D, 16, 16, 8, 1, 4, 0, GL_TEXTURE_3D},
	    {VGN_TARGET_CUBE, 32, 32, 1, 6, 5, 0, GL_TEXTURE_CUBE_MAP},
	    {VGN_TARGET_RECT, 50, 30, 1, 1, 0, 0, GL_TEXTURE_RECTANGLE},
	    {VGN_TARGET_1D_ARRAY, 64, 1, 1, 7, 2, 0, GL_TEXTURE_1D_ARRAY},
	    {VGN_TARGET_2D_ARRAY, 64, 32, 1, 9, 3, 0, GL_TEXTURE_2D_ARRAY},
	    {VGN_TARGET_CUBE_ARRAY, 16, 16, 1, 12, 2, 0, GL_TEXTURE_CUBE_MAP_ARRAY},
	    {VGN_TARGET_2D, 64, 32, 1, 1, 0, 4, GL_TEXTURE_2D_MULTISAMPLE},
	    {VGN_TARGET_2D_ARRAY, 64, 32, 1, 3, 0, 4, GL_TEXTURE_2D_MULTISAMPLE_ARRAY},
	};
	struct vrend_current_state saved;
	struct vrend_gl_context *root = vrend_platform_root_context(plat);

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct vgn_resource res;
		init_res(&res, t[i].target, VFMT_B8G8R8X8_UNORM, t[i].w, t[i].h, t[i].d,
		         t[i].layers, t[i].last_level, t[i].samples,
		         VGN_BIND_SAMPLER_VIEW | VGN_BIND_RENDER_TARGET);
		ck_assert_msg(vrend_resource_create(&rb.base, &res) == 0, "case %zu\n%s", i,
		              log_text);
		const struct vrend_resource *vr = res.backend_data;
		ck_assert_uint_eq(vr->gl_target, t[i].gl);
		ck_assert_uint_eq(stats().textures_live, 1);

		ck_assert_int_eq(vrend_gl_context_push_current(root, &saved), 0);
		GLint v = 0, levels = 0, immutable = 0, swz_a = 0, samples = 0;
		glGetTextureParameteriv(vr->gl_name, GL_TEXTURE_TARGET, &v);
		glGetTextureParameteriv(vr->gl_name, GL_TEXTURE_IMMUTABLE_FORMAT, &immutable);
		glGetTextureParameteriv(vr->gl_name, GL_TEXTURE_IMMUTABLE_LEVELS, &levels);
		glGetTextureParameteriv(vr->gl_name, GL_TEXTURE_SWIZZLE_A, &swz_a);
		glGetTextureLevelParameteriv(vr->gl_name, 0, GL_TEXTURE_SAMPLES, &samples);
		ck_assert_uint_eq(glGetError(), GL_NO_ERROR);
		vrend_gl_context_pop_current(root, &saved);
		ck_assert_uint_eq((GLenum)v, t[i].gl);
		ck_assert_int_eq(immutable, GL_TRUE);
		ck_assert_int_eq(levels, (GLint)t[i].last_level + 1);
		ck_assert_int_eq(swz_a, GL_ONE); /* B8G8R8X8: alpha reads 1 */
		ck_assert_int_ge(samples, (GLint)(t[i].samples > 1 ? t[i].samples : 0));

		struct vgn_resource_info info = {.size = sizeof(info)};
		ck_assert_int_eq(vrend_resource_get_info(&rb.base, &res, &info), 0);
		ck_assert_uint_eq(info.num_planes, 1);
		ck_assert_uint_eq(info.strides[0], t[i].w * 4);
		ck_assert_uint_eq(info.drm_fourcc, 0x34325258u); /* XR24 */

		if (t[i].samples > 1) { /* no guest layout: the validator refuses */
			struct guest g;
			guest_init(&g, 64 * 32 * 4, 64 * 32 * 4, 0);
			ck_assert_int_eq(
			    xfer(&res, true, 0, (struct vgn_box){0, 0, 0, 4, 4, 1}, 0, 0, 0, &g),
			    -EINVAL);
			guest_fini(&g);
		}
		GLuint name = vr->gl_name;
		vrend_resource_destroy(&rb.base, &res);
		ck_assert(!is_texture(name));
	}
	ck_assert_uint_eq(stats().textures_live, 0);
	ck_assert_uint_eq(stats().rollbacks, 0);
}
END_TEST

static int try_create(uint32_t target, uint32_t fmt, uint32_t w, uint32_t h, uint32_t d,
                      uint32_t layers, uint32_t samples, uint32_t bind)
{
	struct vgn_resource res;
	init_res(&res, target, fmt, w, h, d, layers, 0, samples, bind);
	int ret = vrend_resource_create(&rb.base, &res);
	if (!ret)
		vrend_resource_destroy(&rb.base, &res);
	return ret;
}

START_TEST(creation_refused)
{
	uint32_t before = stats().last_name;

	/* Formats without a GL mapping: "not mine", the core tries the next backend. */
	ck_assert_int_eq(try_create(T2D, VFMT_R64_FLOAT, 8, 8, 1, 1, 0, 0), -ENOTSUP);
	ck_assert_ptr_nonnull(strstr(log_text, "no GL mapping"));
	/* Beyond the live context's limits. */
	ck_assert_int_eq(try_create(T2D, VFMT_R8G8B8A8_UNORM, 1u << 16, 4, 1, 1, 0, 0), -EINVAL);
	ck_assert_int_eq(try_create(VGN_TARGET_3D, VFMT_R8_UNORM, 4, 4, 1u << 14, 1, 0, 0),
	                 -EINVAL);
	ck_assert_int_eq(try_create(VGN_TARGET_2D_ARRAY, VFMT_R8_UNORM, 4, 4, 1, 1u << 16, 0, 0),
	                 -EINVAL);
	ck_assert_int_eq(try_create(T2D, VFMT_R8G8B8A8_UNORM, 64, 64, 1, 1, 64, 0), -EINVAL);
	ck_assert_ptr_nonnull(strstr(log_text, "exceeds the host GL limits"));
	/* What GL cannot hold. */
	ck_assert_int_eq(try_create(VGN_TARGET_3D, VFMT_Z24_UNORM_S8_UINT, 8, 8, 8, 1, 0, 0),
	                 -ENOTSUP);
	ck_assert_int_eq(try_create(VGN_TARGET_3D, VFMT_DXT1_RGB, 8, 8, 8, 1, 0, 0), -ENOTSUP);
	ck_assert_int_eq(try_create(VGN_TARGET_1D, VFMT_DXT1_RGB, 8, 1, 1, 1, 0, 0), -ENOTSUP);
	ck_assert_int_eq(try_create(T2D, VFMT_DXT1_RGB, 8, 8, 1, 1, 4, 0), -ENOTSUP);
	/* Bind flags the format cannot back (the caps never offered them). */
	ck_assert_int_eq(try_create(T2D, VFMT_DXT1_RGB, 8, 8, 1, 1, 0, VGN_BIND_RENDER_TARGET),
	                 -EINVAL);
	ck_assert_int_eq(
	    try_create(T2D, VFMT_R8G8B8A8_UNORM, 8, 8, 1, 1, 0, VGN_BIND_DEPTH_STENCIL), -EINVAL);
	struct vrend_res_stats s = stats();
	ck_assert_uint_eq(s.last_name, before); /* refused before any glGen */
	ck_assert_uint_eq(s.textures_live, 0);
	ck_assert_uint_eq(s.rollbacks, 0);

	/* Things that work: BPTC 3D, a depth cube, an MSAA depth buffer, buffers. */
	ck_assert_int_eq(try_create(VGN_TARGET_3D, VFMT_BPTC_RGBA_UNORM, 8, 8, 4, 1, 0, 0), 0);
	ck_assert_int_eq(try_create(VGN_TARGET_CUBE, VFMT_Z32_FLOAT, 8, 8, 1, 6, 0,
	                            VGN_BIND_DEPTH_STENCIL | VGN_BIND_SAMPLER_VIEW),
	                 0);
	ck_assert_int_eq(
	    try_create(T2D, VFMT_S8_UINT_Z24_UNORM, 8, 8, 1, 1, 4, VGN_BIND_DEPTH_STENCIL), 0);
	ck_assert_int_eq(try_create(VGN_TARGET_BUFFER, VFMT_R8_UNORM, 1u << 20, 1, 1, 1, 0,
	                            VGN_BIND_VERTEX_BUFFER),
	                 0);
	ck_assert_uint_eq(stats().rollbacks, 0);
}
END_TEST

/* Without the up-front limit checks GL itself refuses: the name generated for the
 * texture is deleted again. */
START_TEST(rollback_after_gl_error)
{
	struct vgn_resource res;
	init_res(&res, T2D, VFMT_R8G8B8A8_UNORM, 1u << 16, 4, 1, 1, 0, 0, 0);
	ck_assert_int_eq(vrend_resource_create(&rb.base, &res), -EINVAL);
	ck_assert_ptr_null(res.backend_data);
	struct vrend_res_stats s = stats();
	ck_assert_uint_ne(s.last_name, 0);
	ck_assert_uint_eq(s.rollbacks, 1);
	ck_assert_uint_eq(s.textures_live, 0);
	ck_assert(!is_texture(s.last_name));
	ck_assert_ptr_nonnull(strstr(log_text, "GL_INVALID_VALUE"));

	init_res(&res, VGN_TARGET_3D, VFMT_R8_UNORM, 4, 4, 1u << 14, 1, 0, 0, 0);
	ck_assert_int_eq(vrend_resource_create(&rb.base, &res), -EINVAL);
	ck_assert_uint_eq(stats().rollbacks, 2);
	ck_assert(!is_texture(stats().last_name));

	/* And the state is fine afterwards. */
	ck_assert_int_eq(try_create(T2D, VFMT_R8G8B8A8_UNORM, 4, 4, 1, 1, 0, 0), 0);
}
END_TEST

static void setup_skip_limits(void)
{
	setup_flags(VREND_RES_DEBUG_SKIP_LIMITS, false);
}

/* ---- fresh storage is zeroed --------------------------------------------------- */

/* Reads level `level` of a new resource: every byte 0, or the readback refused
 * (GLES cannot read depth or compressed data back). */
static void check_fresh(uint32_t target, uint32_t fmt, uint32_t w, uint32_t h, uint32_t d,
                        uint32_t layers, uint32_t last_level, uint32_t level)
{
	struct vgn_resource res;
	init_res(&res, target, fmt, w, h, d, layers, last_level, 0, 0);
	ck_assert_msg(vrend_resource_create(&rb.base, &res) == 0, "%s", log_text);
	struct level_geom g = geom(&res, level);
	struct guest gd;
	guest_init(&gd, g.size, 4000, 0xa5);
	int ret =
	    xfer(&res, false, level, (struct vgn_box){0, 0, 0, g.lw, g.lh, g.slices}, 0, 0, 0, &gd);
	if (ret != -ENOTSUP || !host_gles) {
		ck_assert_int_eq(ret, 0);
		uint8_t *got = malloc(g.size);
		guest_rw(&gd, 0, got, g.size, false);
		for (uint64_t i = 0; i < g.size; i++)
			ck_assert_msg(got[i] == 0, "%s level %u byte %llu = 0x%02x",
			              vrend_vfmt_name(fmt), level, (unsigned long long)i, got[i]);
		free(got);
	}
	guest_fini(&gd);
	vrend_resource_destroy(&rb.base, &res);
}

START_TEST(fresh_storage_zeroed)
{
	check_fresh(T2D, VFMT_R8G8B8A8_UNORM, 64, 32, 1, 1, 3, 0);
	check_fresh(T2D, VFMT_R8G8B8A8_UNORM, 64, 32, 1, 1, 3, 2);
	check_fresh(VGN_TARGET_3D, VFMT_R8G8B8A8_UNORM, 16, 8, 6, 1, 1, 1);
	check_fresh(VGN_TARGET_CUBE, VFMT_B8G8R8A8_UNORM, 16, 16, 1, 6, 0, 0);
	check_fresh(VGN_TARGET_2D_ARRAY, VFMT_R16G16_FLOAT, 8, 8, 1, 5, 1, 0);
	check_fresh(T2D, VFMT_DXT1_RGBA, 36, 20, 1, 1, 1, 0);
	check_fresh(T2D, VFMT_BPTC_RGBA_UNORM, 32, 16, 1, 1, 0, 0);
	check_fresh(T2D, VFMT_Z24_UNORM_S8_UINT, 29, 13, 1, 1, 0, 0);
	check_fresh(T2D, VFMT_Z32_FLOAT_S8X24_UINT, 29, 13, 1, 1, 0, 0);
}
END_TEST

/* ---- GLES host ------------------------------------------------------------------- */

/* On a GLES host every case either round-trips exactly or is refused cleanly
 * (-ENOTSUP: no 1D textures, formats GLES cannot texture, readbacks glReadPixels
 * cannot do); RGBA8 must work on every other target. */
START_TEST(round_trip_gles)
{
	const struct rt_case *c = &rt_cases[_i];
	bool must = c->fmt == VFMT_R8G8B8A8_UNORM && c->target != VGN_TARGET_1D &&
	            c->target != VGN_TARGET_1D_ARRAY;
	struct vgn_resource res;

	init_res(&res, c->target, c->fmt, c->w, c->h, c->d, c->layers, c->last_level, 0, 0);
	int ret = vrend_resource_create(&rb.base, &res);
	const char *stage = ret ? "create" : "readback";
	if (c->target == VGN_TARGET_1D || c->target == VGN_TARGET_1D_ARRAY)
		ck_assert_int_eq(ret, -ENOTSUP);
	if (!ret) {
		struct level_geom g = geom(&res, c->level);
		struct guest gd;
		guest_init(&gd, g.size, g.size, 0);
		ret = xfer(&res, false, c->level, c->box, 0, 0, 0, &gd);
		guest_fini(&gd);
		vrend_resource_destroy(&rb.base, &res);
	}
	if (ret) {
		ck_assert_int_eq(ret, -ENOTSUP);
		ck_assert_msg(!must, "%s refused on GLES\n%s", c->name, log_text);
		printf("GLES: %s: %s refused (-ENOTSUP)\n", c->name, stage);
		return;
	}
	roundtrip(c);
	ck_assert_uint_ge(stats().fbo_readbacks, 2);
}
END_TEST

static Suite *res_suite(void)
{
	Suite *s = suite_create("vrend_res");
	TCase *tc = tcase_create("round_trip");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, round_trip, 0, N_RT);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("round_trip_fbo");
	tcase_add_checked_fixture(tc, setup_fbo, teardown);
	tcase_add_loop_test(tc, round_trip_fbo, 0, N_RT);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("create");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, targets_and_storage);
	tcase_add_test(tc, creation_refused);
	tcase_add_test(tc, fresh_storage_zeroed);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("gles");
	tcase_add_checked_fixture(tc, setup_gles, teardown);
	tcase_add_loop_test(tc, round_trip_gles, 0, N_RT);
	tcase_add_test(tc, fresh_storage_zeroed);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("rollback");
	tcase_add_checked_fixture(tc, setup_skip_limits, teardown);
	tcase_add_test(tc, rollback_after_gl_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(res_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
