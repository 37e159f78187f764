/* SPDX-License-Identifier: MIT */
/*
 * VTEST_CMD_QUERY (our vtest extension, docs/metadata.md): a client asks the
 * metadata queries through its Venus context and must get what the API answers
 * for a Venus context of a renderer of its own; bad queries get an error code and
 * leave the connection alive, framing errors close it. argv[1]: the server.
 * Exit 77 (skip) without a host Vulkan device.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds_query.h"
#include "harness.h"
#include "virgl-next/virgl_next.h"
#include "vtest_client.h"

#define CMD_CONTEXT_INIT 17u

/* One QUERY round trip: sends the struct (size bytes, padded), returns the
 * result and copies the answered struct into ans (size bytes). */
static int32_t vtest_query(int fd, const void *q, uint32_t size, void *ans)
{
	uint32_t dwords = (size + 3) / 4;
	uint32_t buf[VTEST_QUERY_MAX_DWORDS + 1];
	memset(buf, 0, sizeof(buf));
	memcpy(buf, q, size);
	send_cmd(fd, dwords, VTEST_CMD_QUERY, buf, dwords);
	expect_hdr(fd, 1 + dwords, VTEST_CMD_QUERY);
	int32_t result = (int32_t)recv_u32(fd);
	recv_bytes(fd, buf, (size_t)dwords * 4);
	memcpy(ans, buf, size);
	return result;
}

static int venus_client(void)
{
	int fd = open_client();
	ck_assert_uint_eq(handshake(fd, 3), 3);
	uint32_t capset = VGN_CAPSET_VENUS;
	send_cmd(fd, 1, CMD_CONTEXT_INIT, &capset, 1);
	return fd;
}

/* What the API answers to the same query through a Venus context. */
static int api_answer(const void *q, uint32_t size, void *ans)
{
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.backends = VGN_BACKEND_VULKAN | VGN_BACKEND_CPU2D;
	p.log_level = VGN_LOG_ERROR;
	vgn_renderer *r = NULL;
	ck_assert_int_eq(vgn_renderer_create(&p, &r), 0);
	struct vgn_context_params cp = {sizeof(cp), VGN_CAPSET_VENUS, 0, "api"};
	ck_assert_int_eq(vgn_context_create(r, 1, &cp), 0);
	memcpy(ans, q, size);
	int ret = vgn_query(r, 1, ans, ans);
	vgn_renderer_destroy(r);
	return ret;
}

START_TEST(same_answer_as_api)
{
	int fd = venus_client();
	struct vgn_query_image_requirements q, wire, api;
	memset(&q, 0, sizeof(q));
	q.hdr.size = sizeof(q);
	q.hdr.type = VGN_QUERY_IMAGE_REQUIREMENTS;
	q.format = VGN_FORMAT_B8G8R8A8_UNORM;
	q.width = 100;
	q.height = 50;
	q.bind = VGN_BIND_SAMPLER_VIEW | VGN_BIND_RENDER_TARGET;
	ck_assert_int_eq(vtest_query(fd, &q, sizeof(q), &wire), 0);
	ck_assert_int_eq(api_answer(&q, sizeof(q), &api), 0);
	ck_assert_uint_eq(wire.answered_by, VGN_BACKEND_VULKAN);
	ck_assert_uint_ge(wire.strides[0], 400);
	ck_assert_uint_ge(wire.size, 400u * 50);
	ck_assert_int_eq(memcmp(&wire, &api, sizeof(api)), 0);

	struct vgn_query_format_support f, fwire, fapi;
	memset(&f, 0, sizeof(f));
	f.hdr.size = sizeof(f);
	f.hdr.type = VGN_QUERY_FORMAT_SUPPORT;
	f.format = VGN_FORMAT_R8G8B8A8_UNORM;
	ck_assert_int_eq(vtest_query(fd, &f, sizeof(f), &fwire), 0);
	ck_assert_int_eq(api_answer(&f, sizeof(f), &fapi), 0);
	ck_assert(fwire.bind & VGN_BIND_SAMPLER_VIEW);
	ck_assert_int_eq(memcmp(&fwire, &fapi, sizeof(fapi)), 0);
	expect_alive(fd);
}
END_TEST

START_TEST(errors_keep_the_connection)
{
	/* Before any context: the guest has nothing to ask through. */
	int fd = open_client();
	ck_assert_uint_eq(handshake(fd, 3), 3);
	struct vgn_query_format_support f, ans;
	memset(&f, 0, sizeof(f));
	f.hdr.size = sizeof(f);
	f.hdr.type = VGN_QUERY_FORMAT_SUPPORT;
	f.format = VGN_FORMAT_B8G8R8A8_UNORM;
	ck_assert_int_eq(vtest_query(fd, &f, sizeof(f), &ans), -ENOENT);
	ck_assert_int_eq(memcmp(&ans, &f, sizeof(f)), 0);
	uint32_t capset = VGN_CAPSET_VENUS;
	send_cmd(fd, 1, CMD_CONTEXT_INIT, &capset, 1);
	/* Unknown format, struct too small, the VMM-only queries. */
	f.format = 73;
	ck_assert_int_eq(vtest_query(fd, &f, sizeof(f), &ans), -EINVAL);
	ck_assert_int_eq(memcmp(&ans, &f, sizeof(f)), 0);
	f.format = VGN_FORMAT_B8G8R8A8_UNORM;
	f.hdr.size = 12;
	ck_assert_int_eq(vtest_query(fd, &f, 12, &ans), -EINVAL);
	struct vgn_query_renderer_limits lim;
	memset(&lim, 0, sizeof(lim));
	lim.hdr.size = sizeof(lim);
	lim.hdr.type = VGN_QUERY_RENDERER_LIMITS;
	ck_assert_int_eq(vtest_query(fd, &lim, sizeof(lim), &lim), -EPERM);
	struct vgn_query_renderer_stats st;
	memset(&st, 0, sizeof(st));
	st.hdr.size = sizeof(st);
	st.hdr.type = VGN_QUERY_RENDERER_STATS;
	ck_assert_int_eq(vtest_query(fd, &st, sizeof(st), &st), -EPERM);
	expect_alive(fd);
}
END_TEST

START_TEST(framing_errors_close)
{
	/* One dword: not even a header. */
	int fd = venus_client();
	uint32_t hdr[2] = {8, VGN_QUERY_FORMAT_SUPPORT};
	send_cmd(fd, 1, VTEST_CMD_QUERY, hdr, 1);
	expect_closed(fd);
	/* A size field larger than the payload. */
	fd = venus_client();
	hdr[0] = 4096;
	send_cmd(fd, 2, VTEST_CMD_QUERY, hdr, 2);
	expect_closed(fd);
	/* Longer than the cap. */
	fd = venus_client();
	send_cmd(fd, VTEST_QUERY_MAX_DWORDS + 1, VTEST_CMD_QUERY, NULL, 0);
	expect_closed(fd);
}
END_TEST

static bool have_vulkan(void)
{
	struct vgn_query_format_support f, ans;
	memset(&f, 0, sizeof(f));
	f.hdr.size = sizeof(f);
	f.hdr.type = VGN_QUERY_FORMAT_SUPPORT;
	f.format = VGN_FORMAT_B8G8R8A8_UNORM;
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.backends = VGN_BACKEND_VULKAN | VGN_BACKEND_CPU2D;
	p.log_level = VGN_LOG_ERROR;
	vgn_renderer *r = NULL;
	if (vgn_renderer_create(&p, &r))
		return false;
	f.backend = VGN_BACKEND_VULKAN;
	memcpy(&ans, &f, sizeof(f));
	int ret = vgn_query(r, 0, &ans.hdr, &ans.hdr);
	vgn_renderer_destroy(r);
	return ret == 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-TO-virgl-next-vtest\n", argv[0]);
		return 2;
	}
	if (!have_vulkan()) {
		printf("no host Vulkan device: skipped\n");
		return 77;
	}
	server_binary = argv[1];
	signal(SIGPIPE, SIG_IGN);
	Suite *s = suite_create("query_vtest");
	TCase *tc = tcase_create("query_vtest");
	tcase_add_checked_fixture(tc, server_start, server_stop);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, same_answer_as_api);
	tcase_add_test(tc, errors_keep_the_connection);
	tcase_add_test(tc, framing_errors_close);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
