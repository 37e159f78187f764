/* SPDX-License-Identifier: MIT */
/* fuzz_api operations: each decodes its operands, calls the API, checks the
 * answer against the model (fuzz_api.h) and updates the model. */
#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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

static const uint32_t formats[] = {1, 2, 7, 14, 19, 31, 50, 64, 67, 105, 166, 255, 279, 282};
static const uint32_t capsets[] = {VGN_CAPSET_VIRGL, VGN_CAPSET_VIRGL2, VGN_CAPSET_VENUS, 3, 0, 63};

static void snapshot(struct api_state *s)
{
	memcpy(s->shadow, s->guest, API_GUEST_SIZE);
}

/* Every guest byte is unchanged, or (zero_ok) changed to zero. */
static void check_guest(struct api_state *s, bool zero_ok)
{
	uint32_t i;

	if (!zero_ok) {
		FUZZ_CHECK(memcmp(s->shadow, s->guest, API_GUEST_SIZE) == 0);
		return;
	}
	for (i = 0; i < API_GUEST_SIZE; i++)
		FUZZ_CHECK(s->guest[i] == s->shadow[i] || s->guest[i] == 0);
}

static void read_box(struct api_state *s, struct vgn_box *b)
{
	b->x = fuzz_num(&s->in);
	b->y = fuzz_num(&s->in);
	b->z = fuzz_num(&s->in);
	b->w = fuzz_num(&s->in);
	b->h = fuzz_num(&s->in);
	b->d = fuzz_num(&s->in);
}

static void op_res_create(struct api_state *s)
{
	uint32_t id = api_pick_res(s), f = fuzz_u8(&s->in);
	struct vgn_resource_create_params p;
	int ret;

	memset(&p, 0, sizeof(p));
	p.size = VGN_RESOURCE_CREATE_PARAMS_SIZE_V1;
	p.target = fuzz_num(&s->in) % 10;
	p.format =
	    f < 0xf0 ? formats[f % (sizeof(formats) / sizeof(formats[0]))] : fuzz_num(&s->in);
	p.bind = fuzz_num(&s->in);
	p.width = fuzz_num(&s->in);
	p.height = fuzz_num(&s->in);
	p.depth = fuzz_num(&s->in);
	p.array_size = fuzz_num(&s->in);
	p.last_level = fuzz_num(&s->in);
	p.nr_samples = fuzz_num(&s->in);
	p.flags = fuzz_num(&s->in);
	ret = vgn_resource_create(s->r, id, &p);
	if (ret)
		return;
	FUZZ_CHECK(id && !s->res[id].live);
	memset(&s->res[id], 0, sizeof(s->res[id]));
	s->res[id].live = true;
}

/* A fixed mapping's slot is the caller's again (PROT_NONE) once unmapped. */
static void forget_mapping(struct api_res *m)
{
	m->mapped = m->fixed = false;
	m->map_ptr = NULL;
}

static void op_res_unref(struct api_state *s)
{
	uint32_t id = api_pick_res(s);
	int ret = vgn_resource_unref(s->r, id);

	FUZZ_CHECK((ret == 0) == s->res[id].live);
	if (!ret)
		memset(&s->res[id], 0, sizeof(s->res[id]));
}

static void op_attach_backing(struct api_state *s)
{
	uint32_t id = api_pick_res(s), mode = fuzz_u8(&s->in);
	struct iovec iov[API_MAX_IOVS];
	struct vgn_backing bk;
	int memfd = -1, ret;

	memset(&bk, 0, sizeof(bk));
	bk.size = mode & 0x80 ? 4 : VGN_BACKING_SIZE_V1;
	bk.flags = mode & 0x40 ? fuzz_num(&s->in) : mode & VGN_BACKING_FLAG_LINEAR;
	bk.num_iovs = api_make_iov(s, iov);
	bk.iov = bk.num_iovs || !(mode & 0x20) ? iov : NULL;
	bk.dmabuf_fd = -1;
	if (mode & 0x10) {
		memfd = memfd_create("fuzz-dmabuf", MFD_CLOEXEC);
		bk.dmabuf_fd = memfd;
	} else if (mode & 0x08) {
		bk.dmabuf_fd = (int)fuzz_num(&s->in) - 2; /* -2, -1, closed or foreign fds */
	}
	ret = vgn_resource_attach_backing(s->r, id, &bk);
	if (memfd >= 0)
		close(memfd); /* borrowed: the library dup()ed what it keeps */
	if (ret)
		return;
	FUZZ_CHECK(s->res[id].live && !s->res[id].blob && !s->res[id].backing);
	s->res[id].backing = true;
}

static void op_detach_backing(struct api_state *s)
{
	uint32_t id = api_pick_res(s);
	int ret = vgn_resource_detach_backing(s->r, id);
	const struct api_res *m = &s->res[id];

	FUZZ_CHECK((ret == 0) == (m->live && !m->blob && m->backing));
	if (!ret)
		s->res[id].backing = false;
}

static void op_transfer(struct api_state *s, bool to_host)
{
	uint32_t id = api_pick_res(s), mode = fuzz_u8(&s->in);
	struct iovec iov[API_MAX_IOVS];
	struct vgn_transfer t;
	int ret;

	memset(&t, 0, sizeof(t));
	t.size = VGN_TRANSFER_SIZE_V1;
	t.ctx_id = mode & 1 ? api_pick_ctx(s) : 0;
	t.level = fuzz_num(&s->in);
	t.stride = mode & 2 ? fuzz_num(&s->in) : 0;
	t.layer_stride = mode & 4 ? fuzz_num(&s->in) : 0;
	read_box(s, &t.box);
	t.offset = mode & 8 ? fuzz_num(&s->in) : 0;
	if (mode & 16) {
		t.num_iovs = api_make_iov(s, iov);
		t.iov = t.num_iovs || !(mode & 32) ? iov : NULL;
	}
	snapshot(s);
	ret = to_host ? vgn_resource_transfer_to_host(s->r, id, &t)
	              : vgn_resource_transfer_from_host(s->r, id, &t);
	/* Guest memory: untouched by a failure and by any upload; a download of
	 * never-written host memory yields zeros. */
	if (ret || to_host || !s->res[id].written)
		check_guest(s, !ret && !to_host);
	if (ret)
		return;
	FUZZ_CHECK(s->res[id].live && !s->res[id].blob);
	if (to_host)
		s->res[id].written = true;
}

static void op_copy_out(struct api_state *s)
{
	uint32_t id = api_pick_res(s), stride, i;
	struct vgn_box box;
	size_t dst_size;
	int ret;

	read_box(s, &box);
	dst_size = fuzz_u16(&s->in) % (API_DST_SIZE + 1);
	stride = fuzz_num(&s->in);
	memset(s->dst, 0xa5, API_DST_SIZE);
	ret = vgn_resource_copy_out(s->r, id, &box, s->dst, dst_size, stride);
	for (i = 0; i < API_DST_SIZE; i++) {
		bool inside = !ret && i < dst_size;
		FUZZ_CHECK(s->dst[i] == 0xa5 || (inside && (s->res[id].written || !s->dst[i])));
	}
	if (!ret)
		FUZZ_CHECK(s->res[id].live && !s->res[id].blob);
}

static void op_blob_create(struct api_state *s)
{
	uint32_t id = api_pick_res(s), mode = fuzz_u8(&s->in);
	struct iovec iov[API_MAX_IOVS];
	struct vgn_blob_params p;
	int ret;

	memset(&p, 0, sizeof(p));
	p.size = VGN_BLOB_PARAMS_SIZE_V1;
	p.ctx_id = mode & 1 ? api_pick_ctx(s) : 0;
	p.blob_mem = fuzz_u8(&s->in) % 5;
	p.blob_flags = mode & 2 ? fuzz_num(&s->in) : VGN_BLOB_FLAG_MAPPABLE;
	p.blob_id = mode & 4 ? fuzz_num(&s->in) : 0;
	p.blob_size = mode & 8 ? fuzz_num(&s->in) : (uint64_t)fuzz_num(&s->in) * s->page;
	if (mode & 16) {
		p.num_iovs = api_make_iov(s, iov);
		p.iov = iov;
	}
	ret = vgn_resource_create_blob(s->r, id, &p);
	if (ret)
		return;
	FUZZ_CHECK(id && !s->res[id].live);
	FUZZ_CHECK(!p.ctx_id || s->ctx[p.ctx_id].live);
	memset(&s->res[id], 0, sizeof(s->res[id]));
	s->res[id].live = s->res[id].blob = true;
	s->res[id].blob_mem = p.blob_mem;
	s->res[id].blob_size = p.blob_size;
	s->res[id].num_iovs = p.num_iovs;
	if (p.num_iovs) {
		s->res[id].iov0_base = iov[0].iov_base;
		s->res[id].iov0_len = iov[0].iov_len;
	}
	/* Guest pages hold guest data; host memory starts zeroed. */
	s->res[id].written = p.blob_mem != VGN_BLOB_MEM_HOST3D;
}

/* A fresh mapping covers blob_size bytes: zero unless written, writable. */
static void touch_mapping(struct api_state *s, uint32_t id)
{
	struct api_res *m = &s->res[id];
	uint64_t n = m->blob_size < API_CHECK_BYTES ? m->blob_size : API_CHECK_BYTES, i;
	volatile uint8_t *p = m->map_ptr;

	for (i = 0; i < n; i++) {
		FUZZ_CHECK(m->written || p[i] == 0);
		FUZZ_CHECK(m->written || p[m->blob_size - 1 - i] == 0);
	}
	p[m->blob_size - 1] = 0xa5;
	p[0] = 0x5a;
	FUZZ_CHECK(p[0] == 0x5a && (m->blob_size == 1 || p[m->blob_size - 1] == 0xa5));
	m->written = true;
}

static void op_map(struct api_state *s)
{
	uint32_t id = api_pick_res(s);
	struct api_res *m = &s->res[id];
	uint64_t size = 0;
	void *ptr = NULL;
	int ret = vgn_resource_map(s->r, id, &ptr, &size);

	if (ret)
		return;
	FUZZ_CHECK(m->live && m->blob && !m->mapped && ptr && size == m->blob_size);
	if (m->blob_mem == VGN_BLOB_MEM_GUEST) {
		/* Guest pages are mapped as their one linear view. */
		FUZZ_CHECK(m->num_iovs == 1 && ptr == m->iov0_base && size <= m->iov0_len);
	}
	m->mapped = true;
	m->map_ptr = ptr;
	touch_mapping(s, id);
}

static void op_map_fixed(struct api_state *s)
{
	uint32_t id = api_pick_res(s), mode = fuzz_u8(&s->in);
	uint8_t *slot = s->window + (size_t)id * API_SLOT_SIZE;
	struct api_res *m = &s->res[id];
	uint64_t size = mode & 1 ? fuzz_num(&s->in) * s->page : API_SLOT_SIZE;
	int ret;

	if (size > API_SLOT_SIZE)
		size = API_SLOT_SIZE; /* never lie about the window we own */
	ret = vgn_resource_map_fixed(s->r, id, mode & 2 ? slot + 1 : slot, size);
	if (ret)
		return;
	FUZZ_CHECK(m->live && m->blob && !m->mapped && !(mode & 2) && m->blob_size <= size);
	m->mapped = m->fixed = true;
	m->map_ptr = slot;
	touch_mapping(s, id);
}

static void op_unmap(struct api_state *s)
{
	uint32_t id = api_pick_res(s);
	int ret = vgn_resource_unmap(s->r, id);

	FUZZ_CHECK((ret == 0) == (s->res[id].live && s->res[id].mapped));
	if (!ret)
		forget_mapping(&s->res[id]);
}

static void op_map_info(struct api_state *s)
{
	uint32_t id = api_pick_res(s), type = 0xdead;
	int ret = vgn_resource_map_info(s->r, id, &type);

	if (!ret)
		FUZZ_CHECK(s->res[id].live && s->res[id].blob && type <= VGN_MAP_CACHE_WC);
	else
		FUZZ_CHECK(type == 0xdead);
}

static void op_export(struct api_state *s)
{
	uint32_t id = api_pick_res(s);
	struct vgn_export ex;
	struct stat st;
	int ret;

	memset(&ex, 0, sizeof(ex));
	ex.size = VGN_EXPORT_SIZE_V1;
	ex.fd = -1;
	ret = vgn_resource_export(s->r, id, &ex);
	if (ret) {
		FUZZ_CHECK(ex.fd == -1);
		return;
	}
	FUZZ_CHECK(s->res[id].live && s->res[id].blob && ex.fd >= 0);
	FUZZ_CHECK(fstat(ex.fd, &st) == 0 && (uint64_t)st.st_size >= s->res[id].blob_size);
	FUZZ_CHECK(ex.blob_size == s->res[id].blob_size);
	/* Anything sharing this memory may write it from now on. */
	s->res[id].written = true;
	if (s->fds[s->next_fd % API_NFDS] >= 0)
		close(s->fds[s->next_fd % API_NFDS]);
	s->fds[s->next_fd++ % API_NFDS] = ex.fd;
}

static void op_import(struct api_state *s)
{
	uint32_t id = api_pick_res(s), mode = fuzz_u8(&s->in);
	struct vgn_export in;
	int memfd = -1, ret;

	memset(&in, 0, sizeof(in));
	in.size = VGN_EXPORT_SIZE_V1;
	in.handle_type = mode & 1 ? fuzz_num(&s->in) : VGN_HANDLE_TYPE_SHM;
	in.blob_size = mode & 2 ? fuzz_num(&s->in) : (uint64_t)fuzz_num(&s->in) * s->page;
	if (mode & 4) {
		memfd = memfd_create("fuzz-import", MFD_CLOEXEC);
		if (memfd >= 0 && ftruncate(memfd, (off_t)fuzz_u16(&s->in) * 4) < 0) {
			close(memfd);
			memfd = -1;
		}
		in.fd = memfd;
	} else {
		in.fd = s->fds[fuzz_u8(&s->in) % API_NFDS];
	}
	ret = vgn_resource_import(s->r, id, &in);
	if (memfd >= 0)
		close(memfd); /* borrowed */
	if (ret)
		return;
	FUZZ_CHECK(id && !s->res[id].live);
	memset(&s->res[id], 0, sizeof(s->res[id]));
	s->res[id].live = s->res[id].blob = s->res[id].written = true;
	s->res[id].blob_mem = VGN_BLOB_MEM_HOST3D;
	s->res[id].blob_size = in.blob_size;
}

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
	FUZZ_CHECK(id && !s->ctx[id].live);
	memset(&s->ctx[id], 0, sizeof(s->ctx[id]));
	s->ctx[id].live = true;
}

static void op_ctx_destroy(struct api_state *s)
{
	uint32_t id = api_pick_ctx(s);
	int ret = vgn_context_destroy(s->r, id);

	FUZZ_CHECK((ret == 0) == s->ctx[id].live);
	if (!ret)
		memset(&s->ctx[id], 0, sizeof(s->ctx[id]));
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
	/* The stand-ins and the core are synchronous: retired at once. */
	FUZZ_CHECK(vgn_context_get_retired_fence(s->r, ctx, ring, &got) == 0 && got >= id);
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
	else if (ctx && s->ctx[ctx].live)
		s->ctx[ctx].dead = true;
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
		op_res_create(s);
		break;
	case OP_RES_UNREF:
		op_res_unref(s);
		break;
	case OP_ATTACH_BACKING:
		op_attach_backing(s);
		break;
	case OP_DETACH_BACKING:
		op_detach_backing(s);
		break;
	case OP_TO_HOST:
	case OP_FROM_HOST:
		op_transfer(s, op == OP_TO_HOST);
		break;
	case OP_COPY_OUT:
		op_copy_out(s);
		break;
	case OP_BLOB_CREATE:
		op_blob_create(s);
		break;
	case OP_MAP:
		op_map(s);
		break;
	case OP_MAP_FIXED:
		op_map_fixed(s);
		break;
	case OP_UNMAP:
		op_unmap(s);
		break;
	case OP_MAP_INFO:
		op_map_info(s);
		break;
	case OP_EXPORT:
		op_export(s);
		break;
	case OP_IMPORT:
		op_import(s);
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
