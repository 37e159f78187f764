/* SPDX-License-Identifier: MIT */
/* fuzz_api operations: each decodes its operands, calls the API, checks the
 * answer against the model (fuzz_api.h) and updates the model. Resource
 * operations are in fuzz_api_res.c; contexts, fences, submits, queries and the
 * dispatch are here. */
#include <errno.h>

#include "fuzz_api.h"

enum {
	OP_RES_CREATE,
	OP_RES_UNREF,
	OP_ATTACH_BACKING,
	OP_DETACH_BACKING,
	OP_TO_HOST,
	OP_FROM_HOST,
	OP_COPY_OUT,
	OP_BLOB_CREATE,
	OP_MAP,
	OP_MAP_FIXED,
	OP_UNMAP,
	OP_MAP_INFO,
	OP_EXPORT,
	OP_IMPORT,
	OP_CTX_CREATE,
	OP_CTX_DESTROY,
	OP_CTX_ATTACH,
	OP_CTX_DETACH,
	OP_FENCE,
	OP_SUBMIT,
	OP_QUERY,
	OP_GET_INFO,
	OP_CAPSET,
	OP_FEATURES,
	OP_SUSPEND_RESUME,
	OP_GUEST_WRITE,
	OP_COUNT,
};

static const uint32_t capsets[] = {VGN_CAPSET_VIRGL, VGN_CAPSET_VIRGL2, VGN_CAPSET_VENUS, 3, 0, 63};

static void op_ctx_create(struct api_state *s)
{
	static const char long_name[] = "a context name longer than the sixty-four bytes that the "
	                                "library keeps of it";
	uint32_t id = api_pick_ctx(s), mode = fuzz_u8(&s->in);
	struct vgn_context_params p;
	int ret;

	memset(&p, 0, sizeof(p));
	p.size = mode & 0x80 ? 8 : VGN_CONTEXT_PARAMS_SIZE_V1;
	p.capset_id = mode & 0x40 ? fuzz_num(&s->in)
	                          : capsets[(mode & 7) % (sizeof(capsets) / sizeof(capsets[0]))];
	p.flags = mode & 0x20 ? fuzz_num(&s->in) : 0;
	p.debug_name = mode & 0x10 ? long_name : mode & 8 ? NULL : "fuzz";
	ret = vgn_context_create(s->r, id, &p);
	if (ret)
		return;
	pthread_mutex_lock(&s->cb_lock);
	FUZZ_CHECK(id && !s->ctx[id].live);
	memset(&s->ctx[id], 0, sizeof(s->ctx[id]));
	s->ctx[id].live = true;
	pthread_mutex_unlock(&s->cb_lock);
}

static void op_ctx_destroy(struct api_state *s)
{
	uint32_t id = api_pick_ctx(s);
	int ret = vgn_context_destroy(s->r, id);

	pthread_mutex_lock(&s->cb_lock);
	FUZZ_CHECK((ret == 0) == s->ctx[id].live);
	if (!ret)
		memset(&s->ctx[id], 0, sizeof(s->ctx[id]));
	pthread_mutex_unlock(&s->cb_lock);
}

static void op_ctx_attach(struct api_state *s, bool attach)
{
	uint32_t ctx = api_pick_ctx(s), id = api_pick_res(s);
	int ret = attach ? vgn_context_attach_resource(s->r, ctx, id)
	                 : vgn_context_detach_resource(s->r, ctx, id);

	if (!ret)
		FUZZ_CHECK(s->ctx[ctx].live && (!attach || s->res[id].live));
}

static void op_fence(struct api_state *s)
{
	uint32_t ctx = fuzz_u8(&s->in) % (API_NCTX + 1), ring = fuzz_num(&s->in);
	uint64_t id = fuzz_u8(&s->in) & 1 ? fuzz_u64(&s->in) : fuzz_num(&s->in), got = 0;
	int ret = vgn_context_create_fence(s->r, ctx, ring, id);

	if (ret)
		return;
	FUZZ_CHECK(ring < VGN_MAX_RINGS && (ctx ? s->ctx[ctx].live : ring == 0));
	/* The core and the stand-ins' even rings are synchronous: retired at once. */
	FUZZ_CHECK(vgn_context_get_retired_fence(s->r, ctx, ring, &got) == 0);
	if (!(ring & 1))
		FUZZ_CHECK(got >= id);
	/* A synchronous wait: done (and then retired, the stand-ins have no wait
	 * of their own) or timed out; never for an id not queued. */
	ret = vgn_context_wait_fence(s->r, ctx, ring, id, ring & 1 ? 20000000u : 0);
	FUZZ_CHECK(ret == 0 || ret == -ETIMEDOUT);
	if (!ret) {
		FUZZ_CHECK(vgn_context_get_retired_fence(s->r, ctx, ring, &got) == 0);
		FUZZ_CHECK(got >= id);
	}
	if (id < UINT64_MAX && got < id + 1)
		FUZZ_CHECK(vgn_context_wait_fence(s->r, ctx, ring, id + 1, 0) == -EINVAL);
}

static void op_submit(struct api_state *s)
{
	uint32_t ctx = api_pick_ctx(s), mode = fuzz_u8(&s->in);
	size_t size = (size_t)fuzz_num(&s->in) * 4;
	uint8_t *buf;
	int ret;

	if (size > s->in.left)
		size = s->in.left & ~(size_t)3;
	buf = malloc(size + 4);
	FUZZ_CHECK(buf);
	fuzz_bytes(&s->in, buf, size);
	if (mode & 1)
		size += mode & 2 ? 1 : 3; /* not a whole number of dwords: refused */
	ret = vgn_context_submit(s->r, ctx, size ? buf : NULL, size);
	free(buf);
	if (!ret)
		FUZZ_CHECK(s->ctx[ctx].live && !(mode & 1));
	else if (ctx && s->ctx[ctx].live) {
		pthread_mutex_lock(&s->cb_lock);
		s->ctx[ctx].dead = true;
		pthread_mutex_unlock(&s->cb_lock);
	}
}

/* Output structs: nothing written past the size the caller declared. */
static void check_tail(const uint8_t *buf, size_t declared, size_t total, uint8_t fill)
{
	size_t i;

	for (i = declared; i < total; i++)
		FUZZ_CHECK(buf[i] == fill);
}

static void op_query(struct api_state *s)
{
	enum { QBUF = 256 };
	uint32_t ctx = fuzz_u8(&s->in) % (API_NCTX + 1), mode = fuzz_u8(&s->in);
	uint8_t *in = malloc(QBUF), *out = mode & 1 ? in : malloc(QBUF);
	struct vgn_query_header hdr;
	uint32_t out_size;
	int ret;

	FUZZ_CHECK(in && out);
	memset(in, 0xcc, QBUF);
	if (out != in)
		memset(out, 0xcc, QBUF);
	hdr.size = mode & 2 ? fuzz_num(&s->in) % (QBUF + 1) : (uint32_t)sizeof(hdr);
	hdr.type = mode & 4 ? fuzz_num(&s->in) : VGN_QUERY_RENDERER_CAPS;
	memcpy(in, &hdr, sizeof(hdr));
	out_size = mode & 8 ? fuzz_num(&s->in) % (QBUF + 1)
	                    : (uint32_t)sizeof(struct vgn_query_renderer_caps);
	if (out != in)
		memcpy(out, &out_size, sizeof(out_size));
	else
		out_size = hdr.size;
	ret = vgn_query(s->r, ctx, (const struct vgn_query_header *)in,
	                (struct vgn_query_header *)out);
	if (!ret)
		check_tail(out, out_size > sizeof(hdr) ? out_size : sizeof(hdr), QBUF, 0xcc);
	else if (out != in)
		check_tail(out, sizeof(hdr), QBUF, 0xcc);
	if (out != in)
		free(out);
	free(in);
}

static void op_get_info(struct api_state *s)
{
	enum { IBUF = sizeof(struct vgn_resource_info) + 32 };
	uint32_t id = api_pick_res(s), size = VGN_RESOURCE_INFO_SIZE_V1 - 8 + fuzz_u8(&s->in) % 48;
	uint8_t *buf = malloc(IBUF);
	int ret;

	FUZZ_CHECK(buf);
	memset(buf, 0xcc, IBUF);
	memcpy(buf, &size, sizeof(size));
	ret = vgn_resource_get_info(s->r, id, (struct vgn_resource_info *)buf);
	check_tail(buf, ret ? sizeof(size) : size, IBUF, 0xcc);
	if (!ret)
		FUZZ_CHECK(s->res[id].live && size >= VGN_RESOURCE_INFO_SIZE_V1);
	free(buf);
}

static void op_capset(struct api_state *s)
{
	uint32_t mode = fuzz_u8(&s->in), id, version, max_version = 0, max_size = 0;
	size_t buf_size = fuzz_num(&s->in) % 65537, written = 0;
	uint8_t *buf;
	int ret;

	id =
	    mode & 0x80 ? fuzz_num(&s->in) : capsets[mode % (sizeof(capsets) / sizeof(capsets[0]))];
	version = mode & 0x40 ? fuzz_num(&s->in) : 0;
	ret = vgn_capset_info(s->r, id, &max_version, &max_size);
	if (!ret)
		FUZZ_CHECK(id && id < 64);
	buf = malloc(buf_size ? buf_size : 1);
	FUZZ_CHECK(buf);
	ret = vgn_capset_fill(s->r, id, version, buf_size ? buf : NULL, buf_size, &written);
	if (!ret)
		FUZZ_CHECK(written <= buf_size);
	free(buf);
}

static void op_features(struct api_state *s)
{
	enum { FBUF = sizeof(struct vgn_features) + 32 };
	uint32_t size = VGN_FEATURES_SIZE_V1 - 8 + fuzz_u8(&s->in) % 48;
	uint8_t *buf = malloc(FBUF);
	int ret;

	FUZZ_CHECK(buf);
	memset(buf, 0xcc, FBUF);
	memcpy(buf, &size, sizeof(size));
	ret = vgn_renderer_get_features(s->r, (struct vgn_features *)buf);
	check_tail(buf, ret ? sizeof(size) : size, FBUF, 0xcc);
	free(buf);
}

static void op_guest_write(struct api_state *s)
{
	uint32_t off = fuzz_u16(&s->in) % API_GUEST_SIZE;
	size_t len = fuzz_u8(&s->in);

	if (len > API_GUEST_SIZE - off)
		len = API_GUEST_SIZE - off;
	fuzz_bytes(&s->in, s->guest + off, len);
}

bool api_run_op(struct api_state *s)
{
	uint8_t op;

	if (!s->in.left)
		return false;
	op = fuzz_u8(&s->in) % OP_COUNT;
	if (s->debug)
		fprintf(stderr, "op %u (%zu bytes left)\n", op, s->in.left);
	switch (op) {
	case OP_RES_CREATE:
		api_op_res_create(s);
		break;
	case OP_RES_UNREF:
		api_op_res_unref(s);
		break;
	case OP_ATTACH_BACKING:
		api_op_attach_backing(s);
		break;
	case OP_DETACH_BACKING:
		api_op_detach_backing(s);
		break;
	case OP_TO_HOST:
	case OP_FROM_HOST:
		api_op_transfer(s, op == OP_TO_HOST);
		break;
	case OP_COPY_OUT:
		api_op_copy_out(s);
		break;
	case OP_BLOB_CREATE:
		api_op_blob_create(s);
		break;
	case OP_MAP:
		api_op_map(s);
		break;
	case OP_MAP_FIXED:
		api_op_map_fixed(s);
		break;
	case OP_UNMAP:
		api_op_unmap(s);
		break;
	case OP_MAP_INFO:
		api_op_map_info(s);
		break;
	case OP_EXPORT:
		api_op_export(s);
		break;
	case OP_IMPORT:
		api_op_import(s);
		break;
	case OP_CTX_CREATE:
		op_ctx_create(s);
		break;
	case OP_CTX_DESTROY:
		op_ctx_destroy(s);
		break;
	case OP_CTX_ATTACH:
	case OP_CTX_DETACH:
		op_ctx_attach(s, op == OP_CTX_ATTACH);
		break;
	case OP_FENCE:
		op_fence(s);
		break;
	case OP_SUBMIT:
		op_submit(s);
		break;
	case OP_QUERY:
		op_query(s);
		break;
	case OP_GET_INFO:
		op_get_info(s);
		break;
	case OP_CAPSET:
		op_capset(s);
		break;
	case OP_FEATURES:
		op_features(s);
		break;
	case OP_SUSPEND_RESUME:
		FUZZ_CHECK(vgn_renderer_suspend(s->r) == 0);
		FUZZ_CHECK(vgn_renderer_resume(s->r) == 0);
		break;
	case OP_GUEST_WRITE:
		op_guest_write(s);
		break;
	}
	return true;
}
