/* SPDX-License-Identifier: MIT */
/* vgn_query: VGN_QUERY_RENDERER_CAPS, header and size rules, unknown types. */
#include <errno.h>
#include <string.h>

#include "test_util.h"

static struct vgn_query_renderer_caps caps_in(void)
{
	struct vgn_query_renderer_caps q;
	memset(&q, 0, sizeof(q));
	q.hdr.size = sizeof(q);
	q.hdr.type = VGN_QUERY_RENDERER_CAPS;
	return q;
}

START_TEST(caps_match_features)
{
	struct vgn_query_renderer_caps in = caps_in(), out;
	memset(&out, 0xa5, sizeof(out));
	out.hdr.size = sizeof(out);
	ck_assert_ok(vgn_query(tv.r, 0, &in.hdr, &out.hdr));
	ck_assert_uint_eq(out.hdr.type, VGN_QUERY_RENDERER_CAPS);
	ck_assert_uint_eq(out.hdr.size, sizeof(out));
	struct vgn_features f;
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	ck_assert_ok(vgn_renderer_get_features(tv.r, &f));
	ck_assert_uint_eq(out.capset_mask, f.capset_mask);
	ck_assert_uint_eq(out.blob_mem_types, f.blob_mem_types);
	ck_assert_uint_eq(out.blob_flags, f.blob_flags);
	ck_assert_uint_eq(out.export_handle_types, f.export_handle_types);
	ck_assert_uint_eq(out.map_cache_types, f.map_cache_types);
	ck_assert_uint_eq(out.max_rings, VGN_MAX_RINGS);
	/* Defaults (0 in the params) are real limits, not 0. */
	ck_assert_uint_gt(out.max_resources_per_context, 0);
	ck_assert_uint_gt(out.max_bytes_per_context, 0);
	ck_assert_uint_gt(out.max_submit_bytes, 0);
}
END_TEST

START_TEST(caps_report_params)
{
	struct vms v;
	struct vms_options o;
	memset(&o, 0, sizeof(o));
	o.max_resources_per_context = 123;
	o.max_bytes_per_context = (1ull << 33) + 4096;
	o.max_submit_bytes = 4096;
	ck_assert_ok(vms_create(&v, &o));
	struct vgn_query_renderer_caps q = caps_in();
	/* in and out may be the same buffer. */
	ck_assert_ok(vgn_query(v.r, 0, &q.hdr, &q.hdr));
	ck_assert_uint_eq(q.hdr.type, VGN_QUERY_RENDERER_CAPS);
	ck_assert_uint_eq(q.max_resources_per_context, 123);
	ck_assert_uint_eq(q.max_bytes_per_context, (1ull << 33) + 4096);
	ck_assert_uint_eq(q.max_submit_bytes, 4096);
	vms_destroy(&v);
}
END_TEST

START_TEST(caps_sizes)
{
	struct vgn_query_renderer_caps in = caps_in(), out;
	/* Output too small for the V1 struct: refused, nothing written. */
	memset(&out, 0x5a, sizeof(out));
	out.hdr.size = sizeof(out) - 4;
	ck_assert_rc(vgn_query(tv.r, 0, &in.hdr, &out.hdr), -EINVAL);
	ck_assert_uint_eq(out.hdr.type, 0x5a5a5a5a);
	ck_assert_uint_eq(out.max_rings, 0x5a5a5a5a);
	out.hdr.size = 0;
	ck_assert_rc(vgn_query(tv.r, 0, &in.hdr, &out.hdr), -EINVAL);
	out.hdr.size = 4;
	ck_assert_rc(vgn_query(tv.r, 0, &in.hdr, &out.hdr), -EINVAL);
	ck_assert_uint_eq(out.max_rings, 0x5a5a5a5a);
	/* Input header too small. */
	out.hdr.size = sizeof(out);
	in.hdr.size = 4;
	ck_assert_rc(vgn_query(tv.r, 0, &in.hdr, &out.hdr), -EINVAL);
	in.hdr.size = 0;
	ck_assert_rc(vgn_query(tv.r, 0, &in.hdr, &out.hdr), -EINVAL);
	ck_assert_uint_eq(out.max_rings, 0x5a5a5a5a);
	/* The caps query takes no parameters: a bare header is a valid input. */
	struct vgn_query_header bare = {sizeof(bare), VGN_QUERY_RENDERER_CAPS};
	ck_assert_ok(vgn_query(tv.r, 0, &bare, &out.hdr));
	ck_assert_uint_eq(out.max_rings, VGN_MAX_RINGS);
	/* A newer caller's bigger output: the tail is left alone. */
	struct {
		struct vgn_query_renderer_caps c;
		uint8_t tail[24];
	} big;
	memset(&big, 0x5a, sizeof(big));
	big.c.hdr.size = sizeof(big);
	in = caps_in();
	ck_assert_ok(vgn_query(tv.r, 0, &in.hdr, &big.c.hdr));
	ck_assert_uint_eq(big.c.max_rings, VGN_MAX_RINGS);
	ck_assert_uint_eq(big.c.hdr.size, sizeof(big));
	for (unsigned i = 0; i < sizeof(big.tail); i++)
		ck_assert_uint_eq(big.tail[i], 0x5a);
}
END_TEST

START_TEST(bad_arguments)
{
	struct vgn_query_renderer_caps in = caps_in(), out;
	memset(&out, 0x5a, sizeof(out));
	out.hdr.size = sizeof(out);
	ck_assert_rc(vgn_query(tv.r, 0, NULL, &out.hdr), -EINVAL);
	ck_assert_rc(vgn_query(tv.r, 0, &in.hdr, NULL), -EINVAL);
	ck_assert_rc(vgn_query(NULL, 0, &in.hdr, &out.hdr), -EINVAL);
	/* Asking through a context that does not exist. */
	ck_assert_rc(vgn_query(tv.r, 5, &in.hdr, &out.hdr), -ENOENT);
	ck_assert_uint_eq(out.max_rings, 0x5a5a5a5a);
}
END_TEST

START_TEST(unknown_types)
{
	static const uint32_t types[] = {0, 6, 7, 0x100, 0x7fffffffu, 0xffffffffu};
	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct vgn_query_renderer_caps in = caps_in(), out;
		in.hdr.type = types[i];
		memset(&out, 0x5a, sizeof(out));
		out.hdr.size = sizeof(out);
		int rc = vgn_query(tv.r, 0, &in.hdr, &out.hdr);
		ck_assert_msg(rc == -EOPNOTSUPP, "type 0x%x: %d", types[i], rc);
		ck_assert_uint_eq(out.hdr.type, 0x5a5a5a5a);
		ck_assert_uint_eq(out.capset_mask, 0x5a5a5a5a5a5a5a5aull);
	}
}
END_TEST

static Suite *query_suite(void)
{
	Suite *s = suite_create("query");
	TCase *tc = tcase_create("query");
	tcase_add_checked_fixture(tc, tv_setup, tv_teardown);
	tcase_add_test(tc, caps_match_features);
	tcase_add_test(tc, caps_report_params);
	tcase_add_test(tc, caps_sizes);
	tcase_add_test(tc, bad_arguments);
	tcase_add_test(tc, unknown_types);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(query_suite());
}
