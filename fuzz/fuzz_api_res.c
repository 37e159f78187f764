/* SPDX-License-Identifier: MIT */
/* fuzz_api operations on resources: classic resources, backing, transfers,
 * copy-out, blobs and their mappings, export/import (see fuzz_api.h). */
#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_api.h"

static const uint32_t formats[] = {1, 2, 7, 14, 19, 31, 50, 64, 67, 105, 166, 255, 279, 282};

static void snapshot(struct api_state *s)
{
	memcpy(s->shadow, s->guest, API_GUEST_SIZE);
}

/* Every guest byte outside [base, base + len) is unchanged. */
static void check_guest_outside(struct api_state *s, const uint8_t *base, uint64_t len)
{
	for (uint32_t i = 0; i < API_GUEST_SIZE; i++) {
		const uint8_t *p = s->guest + i;
		if (p < base || p >= base + len)
			FUZZ_CHECK(s->guest[i] == s->shadow[i]);
	}
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

void api_op_res_create(struct api_state *s)
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

void api_op_res_unref(struct api_state *s)
{
	uint32_t id = api_pick_res(s);
	int ret = vgn_resource_unref(s->r, id);

	FUZZ_CHECK((ret == 0) == s->res[id].live);
	if (!ret)
		memset(&s->res[id], 0, sizeof(s->res[id]));
}

void api_op_attach_backing(struct api_state *s)
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
	/* A shared mapping (LINEAR) may become the resource's storage: from now on
	 * its content is whatever the guest pages hold. */
	if (bk.flags & VGN_BACKING_FLAG_LINEAR) {
		s->res[id].written = true;
		s->res[id].linear_base = iov[0].iov_base;
		s->res[id].linear_len = iov[0].iov_len;
	}
}

void api_op_detach_backing(struct api_state *s)
{
	uint32_t id = api_pick_res(s);
	int ret = vgn_resource_detach_backing(s->r, id);
	const struct api_res *m = &s->res[id];

	FUZZ_CHECK((ret == 0) == (m->live && !m->blob && m->backing));
	if (!ret) {
		s->res[id].backing = false;
		s->res[id].linear_base = NULL; /* detach keeps a host copy of the pages */
	}
}

void api_op_transfer(struct api_state *s, bool to_host)
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
	/* Guest memory: untouched by a failure and by any upload, except that an
	 * upload into a resource stored in its shared-mapping pages writes those
	 * pages; a download of never-written host memory yields zeros. */
	if (!ret && to_host && s->res[id].linear_base)
		check_guest_outside(s, s->res[id].linear_base, s->res[id].linear_len);
	else if (ret || to_host || !s->res[id].written)
		check_guest(s, !ret && !to_host);
	if (ret)
		return;
	FUZZ_CHECK(s->res[id].live && !s->res[id].blob);
	if (to_host)
		s->res[id].written = true;
}

void api_op_copy_out(struct api_state *s)
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

void api_op_blob_create(struct api_state *s)
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

void api_op_map(struct api_state *s)
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

void api_op_map_fixed(struct api_state *s)
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

void api_op_unmap(struct api_state *s)
{
	uint32_t id = api_pick_res(s);
	int ret = vgn_resource_unmap(s->r, id);

	FUZZ_CHECK((ret == 0) == (s->res[id].live && s->res[id].mapped));
	if (!ret)
		forget_mapping(&s->res[id]);
}

void api_op_map_info(struct api_state *s)
{
	uint32_t id = api_pick_res(s), type = 0xdead;
	int ret = vgn_resource_map_info(s->r, id, &type);

	if (!ret)
		FUZZ_CHECK(s->res[id].live && s->res[id].blob && type <= VGN_MAP_CACHE_WC);
	else
		FUZZ_CHECK(type == 0xdead);
}

void api_op_export(struct api_state *s)
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

void api_op_import(struct api_state *s)
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
