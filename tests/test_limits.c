/* SPDX-License-Identifier: MIT */
/*
 * Renderer-wide budget and per-context limits (ABI v2 params): each limit is
 * refused with -ENOSPC at the call that would cross it, a refused call changes
 * nothing, freeing gives the budget back, and two instances have independent
 * budgets. Static core with the fake capset-serving backend (contexts, HOST3D
 * blobs); renderers are created directly with the v2 params struct.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fake_backend.h"
#include "test_util.h"

#define KIB 1024ull
#define MIB (1024ull * 1024ull)

static struct fake_stats stats_a, stats_b;

static vgn_renderer *make(const struct vgn_renderer_params *lim, struct fake_stats *st)
{
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	if (lim)
		p = *lim;
	p.size = VGN_RENDERER_PARAMS_SIZE_V2;
	p.backends = VGN_BACKEND_CPU2D;
	p.log_level = VGN_LOG_ERROR;
	vgn_renderer *r = NULL;
	ck_assert_ok(vgn_renderer_create(&p, &r));
	memset(st, 0, sizeof(*st));
	ck_assert_ok(fake_backend_add(r, true, st));
	return r;
}

static struct vgn_renderer_params budget(uint64_t bytes)
{
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.max_total_bytes = bytes;
	return p;
}

/* A 2D B8G8R8A8 texture of w x h: w * h * 4 bytes of budget. */
static int tex(vgn_renderer *r, uint32_t id, uint32_t w, uint32_t h)
{
	struct vgn_resource_create_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.target = VGN_TARGET_2D;
	p.format = VGN_FORMAT_B8G8R8A8_UNORM;
	p.bind = VGN_BIND_RENDER_TARGET;
	p.width = w;
	p.height = h;
	p.depth = 1;
	p.array_size = 1;
	return vgn_resource_create(r, id, &p);
}

static int ctx(vgn_renderer *r, uint32_t id)
{
	struct vgn_context_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.capset_id = FAKE_CAPSET;
	return vgn_context_create(r, id, &p);
}

static int host_blob(vgn_renderer *r, uint32_t id, uint32_t ctx_id, uint64_t size)
{
	struct vgn_blob_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.ctx_id = ctx_id;
	p.blob_mem = VGN_BLOB_MEM_HOST3D;
	p.blob_flags = VGN_BLOB_FLAG_MAPPABLE;
	p.blob_size = size;
	return vgn_resource_create_blob(r, id, &p);
}

static struct vgn_query_renderer_limits limits(vgn_renderer *r)
{
	struct vgn_query_renderer_limits l;
	memset(&l, 0x5a, sizeof(l));
	l.hdr.size = sizeof(l);
	l.hdr.type = VGN_QUERY_RENDERER_LIMITS;
	ck_assert_ok(vgn_query(r, 0, &l.hdr, &l.hdr));
	ck_assert_uint_eq(l.hdr.type, VGN_QUERY_RENDERER_LIMITS);
	return l;
}

START_TEST(defaults_and_v1_callers)
{
	/* A v1 caller (no v2 fields) gets the library defaults. */
	struct vgn_renderer_params p;
	memset(&p, 0xff, sizeof(p)); /* v2 tail garbage: must be ignored */
	memset(&p, 0, VGN_RENDERER_PARAMS_SIZE_V1);
	p.size = VGN_RENDERER_PARAMS_SIZE_V1;
	p.backends = VGN_BACKEND_CPU2D;
	vgn_renderer *r = NULL;
	ck_assert_ok(vgn_renderer_create(&p, &r));
	struct vgn_query_renderer_limits l = limits(r);
	long pages = sysconf(_SC_PHYS_PAGES), ps = sysconf(_SC_PAGESIZE);
	uint64_t phys = (uint64_t)pages * (uint64_t)ps;
	uint64_t want = phys && phys < (8ull << 30) ? phys : (8ull << 30);
	ck_assert_uint_eq(l.max_total_bytes, want);
	ck_assert_uint_eq(l.used_total_bytes, 0);
	ck_assert_uint_eq(l.max_resources, 1u << 20);
	ck_assert_uint_eq(l.max_contexts, 4096);
	ck_assert_uint_eq(l.max_rings_per_context, VGN_MAX_RINGS);
	ck_assert_uint_eq(l.max_objects_per_context, 1u << 20);
	ck_assert_uint_eq(l.max_resources_per_context, 65536);
	ck_assert_uint_eq(l.max_bytes_per_context, 8ull << 30);
	ck_assert_uint_eq(l.max_submit_bytes, 64u << 20);
	struct vgn_features f;
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	ck_assert_ok(vgn_renderer_get_features(r, &f));
	ck_assert_uint_eq(f.abi_version, VGN_ABI_VERSION);
	vgn_renderer_destroy(r);

	/* Values a v2 caller sets are the ones in force. */
	memset(&p, 0, sizeof(p));
	p.max_total_bytes = 3 * MIB;
	p.max_resources = 7;
	p.max_contexts = 5;
	p.max_rings_per_context = 9;
	p.max_objects_per_context = 11;
	r = make(&p, &stats_a);
	l = limits(r);
	ck_assert_uint_eq(l.max_total_bytes, 3 * MIB);
	ck_assert_uint_eq(l.max_resources, 7);
	ck_assert_uint_eq(l.max_contexts, 5);
	ck_assert_uint_eq(l.max_rings_per_context, 9);
	ck_assert_uint_eq(l.max_objects_per_context, 11);
	vgn_renderer_destroy(r);

	/* More rings than the protocol has: refused. */
	p.size = VGN_RENDERER_PARAMS_SIZE_V2;
	p.max_rings_per_context = VGN_MAX_RINGS + 1;
	r = NULL;
	ck_assert_rc(vgn_renderer_create(&p, &r), -EINVAL);
	ck_assert_ptr_null(r);
}
END_TEST

START_TEST(byte_budget_classic)
{
	struct vgn_renderer_params p = budget(1 * MIB);
	vgn_renderer *r = make(&p, &stats_a);
	ck_assert_ok(tex(r, 1, 256, 512)); /* 512 KiB */
	ck_assert_uint_eq(limits(r).used_total_bytes, 512 * KIB);
	ck_assert_ok(tex(r, 2, 256, 512)); /* exactly the budget */
	ck_assert_uint_eq(limits(r).used_total_bytes, 1 * MIB);
	/* Even 64 bytes more is refused, and the refusal changes nothing. */
	ck_assert_rc(tex(r, 3, 4, 4), -ENOSPC);
	ck_assert_uint_eq(limits(r).used_total_bytes, 1 * MIB);
	ck_assert_uint_eq(limits(r).used_resources, 2);
	struct vgn_resource_info info;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ck_assert_rc(vgn_resource_get_info(r, 3, &info), -ENOENT);
	/* One resource bigger than the whole budget (but below the per-resource
	 * cap): -ENOSPC, not a host allocation. */
	vgn_renderer_destroy(r);
	p = budget(64 * MIB);
	r = make(&p, &stats_a);
	ck_assert_rc(tex(r, 1, 16384, 16384), -ENOSPC); /* 1 GiB */
	ck_assert_uint_eq(limits(r).used_total_bytes, 0);
	vgn_renderer_destroy(r);
}
END_TEST

START_TEST(freeing_gives_budget_back)
{
	struct vgn_renderer_params p = budget(1 * MIB);
	vgn_renderer *r = make(&p, &stats_a);
	ck_assert_ok(tex(r, 1, 256, 512));
	ck_assert_ok(tex(r, 2, 256, 512));
	ck_assert_rc(tex(r, 3, 256, 512), -ENOSPC);
	ck_assert_ok(vgn_resource_unref(r, 1));
	ck_assert_uint_eq(limits(r).used_total_bytes, 512 * KIB);
	ck_assert_ok(tex(r, 3, 256, 512));

	/* A resource a context still holds keeps its charge after the VMM's unref
	 * (the memory is still alive); detach gives it back. */
	ck_assert_ok(ctx(r, 1));
	ck_assert_ok(vgn_context_attach_resource(r, 1, 2));
	ck_assert_ok(vgn_resource_unref(r, 2));
	ck_assert_uint_eq(limits(r).used_total_bytes, 1 * MIB);
	ck_assert_rc(tex(r, 4, 256, 512), -ENOSPC);
	ck_assert_ok(vgn_context_detach_resource(r, 1, 2));
	ck_assert_uint_eq(limits(r).used_total_bytes, 512 * KIB);
	ck_assert_ok(tex(r, 4, 256, 512));

	/* Context destroy detaches, which also gives back. */
	ck_assert_ok(vgn_context_attach_resource(r, 1, 4));
	ck_assert_ok(vgn_resource_unref(r, 4));
	ck_assert_ok(vgn_resource_unref(r, 3));
	ck_assert_uint_eq(limits(r).used_total_bytes, 512 * KIB);
	ck_assert_ok(vgn_context_destroy(r, 1));
	ck_assert_uint_eq(limits(r).used_total_bytes, 0);
	ck_assert_uint_eq(limits(r).used_resources, 0);
	vgn_renderer_destroy(r);
}
END_TEST

START_TEST(blobs_count)
{
	long ps = sysconf(_SC_PAGESIZE);
	struct vgn_renderer_params p = budget(1 * MIB);
	vgn_renderer *r = make(&p, &stats_a);
	ck_assert_ok(ctx(r, 1));
	/* A blob bigger than the whole budget is refused before any memfd. */
	ck_assert_rc(host_blob(r, 10, 1, 2 * MIB), -ENOSPC);
	ck_assert_ok(host_blob(r, 10, 1, 768 * KIB));
	ck_assert_uint_eq(limits(r).used_total_bytes, 768 * KIB);
	/* Blobs and classic resources share the budget. */
	ck_assert_rc(tex(r, 11, 256, 512), -ENOSPC);
	ck_assert_ok(tex(r, 11, 256, 256)); /* 256 KiB: exactly full */
	ck_assert_rc(host_blob(r, 12, 1, (uint64_t)ps), -ENOSPC);
	/* Guest blobs cost the host no memory: they count as a resource only. */
	void *pages = aligned_alloc((size_t)ps, 4 * (size_t)ps);
	ck_assert_ptr_nonnull(pages);
	struct iovec iov = {.iov_base = pages, .iov_len = 4 * (size_t)ps};
	struct vgn_blob_params g;
	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.blob_mem = VGN_BLOB_MEM_GUEST;
	g.blob_size = iov.iov_len;
	g.iov = &iov;
	g.num_iovs = 1;
	ck_assert_ok(vgn_resource_create_blob(r, 13, &g));
	ck_assert_uint_eq(limits(r).used_total_bytes, 1 * MIB);
	ck_assert_uint_eq(limits(r).used_resources, 3);
	/* Unref of the host blob (auto-attached to its context): back when the
	 * context lets go of it. */
	ck_assert_ok(vgn_resource_unref(r, 10));
	ck_assert_uint_eq(limits(r).used_total_bytes, 1 * MIB);
	ck_assert_ok(vgn_context_detach_resource(r, 1, 10));
	ck_assert_uint_eq(limits(r).used_total_bytes, 256 * KIB);
	ck_assert_ok(host_blob(r, 12, 1, 768 * KIB));
	ck_assert_ok(vgn_resource_unref(r, 13));
	vgn_renderer_destroy(r);
	free(pages);
}
END_TEST

START_TEST(two_instances_independent)
{
	struct vgn_renderer_params p = budget(1 * MIB);
	vgn_renderer *a = make(&p, &stats_a);
	p = budget(2 * MIB);
	vgn_renderer *b = make(&p, &stats_b);
	ck_assert_ok(tex(a, 1, 512, 512)); /* a is full */
	ck_assert_rc(tex(a, 2, 4, 4), -ENOSPC);
	/* b's budget is untouched by a: the same ids, 2 MiB. */
	ck_assert_uint_eq(limits(b).used_total_bytes, 0);
	ck_assert_ok(tex(b, 1, 512, 512));
	ck_assert_ok(tex(b, 2, 512, 512));
	ck_assert_rc(tex(b, 3, 4, 4), -ENOSPC);
	ck_assert_uint_eq(limits(a).used_total_bytes, 1 * MIB);
	ck_assert_uint_eq(limits(b).used_total_bytes, 2 * MIB);
	/* Freeing in one gives nothing to the other. */
	ck_assert_ok(vgn_resource_unref(b, 1));
	ck_assert_rc(tex(a, 2, 4, 4), -ENOSPC);
	ck_assert_ok(tex(b, 3, 4, 4));
	vgn_renderer_destroy(a);
	ck_assert_uint_eq(limits(b).used_total_bytes, 1 * MIB + 64);
	vgn_renderer_destroy(b);
}
END_TEST

START_TEST(resource_count)
{
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.max_resources = 3;
	vgn_renderer *r = make(&p, &stats_a);
	ck_assert_ok(ctx(r, 1));
	ck_assert_ok(tex(r, 1, 4, 4));
	ck_assert_ok(tex(r, 2, 4, 4));
	ck_assert_ok(host_blob(r, 3, 1, (uint64_t)sysconf(_SC_PAGESIZE)));
	ck_assert_rc(tex(r, 4, 4, 4), -ENOSPC);
	ck_assert_rc(host_blob(r, 4, 1, (uint64_t)sysconf(_SC_PAGESIZE)), -ENOSPC);
	ck_assert_uint_eq(limits(r).used_resources, 3);
	ck_assert_ok(vgn_resource_unref(r, 1));
	ck_assert_ok(tex(r, 4, 4, 4));
	vgn_renderer_destroy(r);
}
END_TEST

START_TEST(context_count)
{
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.max_contexts = 2;
	vgn_renderer *r = make(&p, &stats_a);
	ck_assert_ok(ctx(r, 1));
	ck_assert_ok(ctx(r, 2));
	ck_assert_rc(ctx(r, 3), -ENOSPC);
	ck_assert_uint_eq(limits(r).used_contexts, 2);
	ck_assert_uint_eq(fake_read(&stats_a.contexts_live), 2);
	ck_assert_ok(vgn_context_destroy(r, 1));
	ck_assert_ok(ctx(r, 3));
	vgn_renderer_destroy(r);
}
END_TEST

START_TEST(ring_count)
{
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.max_rings_per_context = 4;
	vgn_renderer *r = make(&p, &stats_a);
	struct vgn_features f;
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	ck_assert_ok(vgn_renderer_get_features(r, &f));
	ck_assert_uint_eq(f.max_rings, 4);
	ck_assert_ok(ctx(r, 1));
	ck_assert_ok(vgn_context_create_fence(r, 1, 3, 1));
	ck_assert_rc(vgn_context_create_fence(r, 1, 4, 1), -EINVAL);
	ck_assert_rc(vgn_context_create_fence(r, 1, VGN_MAX_RINGS - 1, 1), -EINVAL);
	uint64_t id = 0;
	ck_assert_ok(vgn_context_get_retired_fence(r, 1, 3, &id));
	ck_assert_uint_eq(id, 1);
	vgn_renderer_destroy(r);
}
END_TEST

START_TEST(limits_query_is_vmm_only)
{
	vgn_renderer *r = make(NULL, &stats_a);
	ck_assert_ok(ctx(r, 1));
	struct vgn_query_renderer_limits l;
	memset(&l, 0, sizeof(l));
	l.hdr.size = sizeof(l);
	l.hdr.type = VGN_QUERY_RENDERER_LIMITS;
	ck_assert_rc(vgn_query(r, 1, &l.hdr, &l.hdr), -EPERM);
	/* Too small an output struct: refused, nothing written past it. */
	l.hdr.size = sizeof(l) - 4;
	ck_assert_rc(vgn_query(r, 0, &l.hdr, &l.hdr), -EINVAL);
	vgn_renderer_destroy(r);
}
END_TEST

/* Threads create and free against a tight budget: the budget is never exceeded
 * and everything comes back. */
struct churn {
	vgn_renderer *r;
	uint32_t base;
	unsigned ok, refused;
};

static void *churn_thread(void *arg)
{
	struct churn *c = arg;
	for (uint32_t i = 0; i < 300; i++) {
		uint32_t id = c->base + i;
		int ret = tex(c->r, id, 128, 128); /* 64 KiB */
		if (ret == 0) {
			c->ok++;
			vgn_resource_unref(c->r, id);
		} else if (ret == -ENOSPC) {
			c->refused++;
		} else {
			return (void *)1;
		}
	}
	return NULL;
}

START_TEST(concurrent_charges)
{
	struct vgn_renderer_params p = budget(128 * KIB); /* two at a time */
	vgn_renderer *r = make(&p, &stats_a);
	struct churn c[4];
	pthread_t t[4];
	for (int i = 0; i < 4; i++) {
		c[i] = (struct churn){.r = r, .base = 1000u * (uint32_t)(i + 1)};
		ck_assert_int_eq(pthread_create(&t[i], NULL, churn_thread, &c[i]), 0);
	}
	unsigned ok = 0;
	for (int i = 0; i < 4; i++) {
		void *ret;
		pthread_join(t[i], &ret);
		ck_assert_ptr_null(ret);
		ok += c[i].ok;
	}
	ck_assert_uint_gt(ok, 0);
	ck_assert_uint_eq(limits(r).used_total_bytes, 0);
	ck_assert_uint_eq(limits(r).used_resources, 0);
	vgn_renderer_destroy(r);
}
END_TEST

static Suite *limits_suite(void)
{
	Suite *s = suite_create("limits");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, defaults_and_v1_callers);
	tcase_add_test(tc, byte_budget_classic);
	tcase_add_test(tc, freeing_gives_budget_back);
	tcase_add_test(tc, blobs_count);
	tcase_add_test(tc, two_instances_independent);
	tcase_add_test(tc, resource_count);
	tcase_add_test(tc, context_count);
	tcase_add_test(tc, ring_count);
	tcase_add_test(tc, limits_query_is_vmm_only);
	tcase_add_test(tc, concurrent_charges);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(limits_suite());
}
