/* SPDX-License-Identifier: MIT */
/*
 * vtest-protocol: starts the virgl-next-vtest binary (path in argv[1]) on a
 * socket in a fresh temporary directory and speaks the wire protocol to it byte
 * by byte, like Mesa's clients do (spec: /work/shared/spec/vtest.md).
 *
 * The command numbers below are written out from the spec on purpose instead of
 * being taken from the server's header: a wrong constant there must fail here.
 *
 * Every test case runs in its own forked child (Check's default) with its own
 * server process; teardown stops the server with SIGTERM and checks that it
 * exits with status 0 (under ASan that includes "no leaks") and removes its
 * socket.
 */
#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "vtest_client.h"

/* ---- tests ---- */

START_TEST(test_handshake)
{
	int fd = open_client();

	ck_assert_uint_eq(handshake(fd, 3), 3);
	/* Re-negotiation on the same connection (virpipe does it after caps). */
	ck_assert_uint_eq(handshake_version_only(fd, 2), 2);
	ck_assert_uint_eq(handshake_version_only(fd, 1), 0); /* 1 maps to 0 */
	ck_assert_uint_eq(handshake_version_only(fd, 0), 0);
	ck_assert_uint_eq(handshake_version_only(fd, 77), 3);
	expect_alive(fd);
	close(fd);
}
END_TEST

START_TEST(test_get_param_and_capset)
{
	int fd = open_client();
	uint32_t p = 1, v[2], first = 0, n;

	ck_assert_uint_eq(handshake(fd, 3), 3);
	send_cmd(fd, 1, 15, &p, 1);
	expect_hdr(fd, 2, 15);
	recv_bytes(fd, v, sizeof(v));
	ck_assert_uint_eq(v[0], 1);
	ck_assert_uint_eq(v[1], 64);
	p = 12345; /* unknown parameter: valid, 0 */
	send_cmd(fd, 1, 15, &p, 1);
	expect_hdr(fd, 2, 15);
	recv_bytes(fd, v, sizeof(v));
	ck_assert_uint_eq(v[0], 0);
	ck_assert_uint_eq(v[1], 0);

	n = get_capset(fd, 4, &first);
	if (n) {
		/* A Venus backend is built in: 40-dword capset, wire format 1. */
		ck_assert_uint_ge(n, 40);
		ck_assert_uint_eq(first, 1);
	}
	ck_assert_uint_eq(get_capset(fd, 63, NULL), 0); /* never a capset */
	expect_alive(fd);
	close(fd);
}
END_TEST

START_TEST(test_2d_roundtrip)
{
	int fd = open_client();
	struct res2d r;

	ck_assert_uint_eq(handshake(fd, 3), 3);
	r = create_2d(fd, 3, 0);
	ck_assert_uint_eq(r.id, 1); /* server-assigned, smallest free */
	roundtrip_2d(fd, &r);
	unmap_2d(&r);
	close(fd);
}
END_TEST

START_TEST(test_2d_subbox_and_ids)
{
	int fd = open_client();
	struct res2d a, b, c;
	uint32_t x, y, i, bx = 8, by = 4, bw = 16, bh = 8;
	uint32_t unref;

	ck_assert_uint_eq(handshake(fd, 3), 3);
	a = create_2d(fd, 3, 0);
	b = create_2d(fd, 3, 0);
	ck_assert_uint_eq(a.id, 1);
	ck_assert_uint_eq(b.id, 2);

	fill_pattern(a.map);
	transfer2(fd, 14, a.id, 0, 0, W, H, 0);
	ck_assert_uint_eq(busy_wait(fd, a.id, 1), 0);
	memset(a.map, 0, a.size);
	/* A sub-box lands at its tight-layout offset, and nothing else is written. */
	transfer2(fd, 13, a.id, bx, by, bw, bh, (by * W + bx) * BPP);
	ck_assert_uint_eq(busy_wait(fd, a.id, 1), 0);
	for (y = 0; y < H; y++) {
		for (x = 0; x < W; x++) {
			bool in = x >= bx && x < bx + bw && y >= by && y < by + bh;
			for (i = 0; i < BPP; i++)
				ck_assert_uint_eq(a.map[(y * W + x) * BPP + i],
				                  in ? pattern(x, y, i) : 0);
		}
	}
	/* Freed ids are reused, smallest first. */
	unref = a.id;
	send_cmd(fd, 1, 3, &unref, 1);
	c = create_2d(fd, 3, 0);
	ck_assert_uint_eq(c.id, 1);
	roundtrip_2d(fd, &c);
	roundtrip_2d(fd, &b);
	unmap_2d(&a);
	unmap_2d(&b);
	unmap_2d(&c);
	close(fd);
}
END_TEST

START_TEST(test_protocol2_client_handles)
{
	int fd = open_client();
	struct res2d r;

	ck_assert_uint_eq(handshake(fd, 2), 2);
	r = create_2d(fd, 2, 77); /* v2: the client picks the handle, no id answer */
	roundtrip_2d(fd, &r);
	unmap_2d(&r);
	close(fd);
}
END_TEST

START_TEST(test_protocol0_inline)
{
	int fd = open_client();
	uint32_t create[10] = {5, 2, FMT_B8G8R8A8, BIND_RT_SAMPLER, 5, 3, 1, 1, 0, 0};
	/* 3x2 box at (1,1), client stride 16 (> 12 bytes of a row), 32 bytes total. */
	uint32_t hdr[11] = {5, 0, 16, 32, 1, 1, 0, 3, 2, 1, 28};
	uint8_t data[28], back[28];
	uint32_t i;

	ck_assert_uint_eq(handshake(fd, 0), 0);
	send_cmd(fd, 10, 2, create, 10); /* no answer before protocol 3 */
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 3 + 1);
	/* PUT: len = 11 + ceil(28/4) = 18, then exactly 28 data bytes. */
	send_cmd(fd, 18, 5, hdr, 11);
	send_bytes(fd, data, sizeof(data));
	/* GET: 11 dwords, the answer is exactly data_size raw bytes. */
	send_cmd(fd, 11, 4, hdr, 11);
	recv_bytes(fd, back, sizeof(back));
	/* Row 0: 12 bytes; row 1 starts at the client stride (16). */
	ck_assert_mem_eq(back, data, 12);
	ck_assert_mem_eq(back + 16, data + 16, 12);
	expect_alive(fd);
	close(fd);
}
END_TEST

START_TEST(test_sync)
{
	int fd = open_client();
	uint32_t create[2] = {5, 0}, id, id2, v[2], w[2 + 3 * 2];
	uint32_t write20[3], read1;
	int efd;

	ck_assert_uint_eq(handshake(fd, 3), 3);
	send_cmd(fd, 2, 19, create, 2);
	expect_hdr(fd, 1, 19);
	id = recv_u32(fd);
	ck_assert_uint_eq(id, 1);
	create[0] = 0;
	create[1] = 1; /* 1 << 32 */
	send_cmd(fd, 2, 19, create, 2);
	expect_hdr(fd, 1, 19);
	id2 = recv_u32(fd);
	ck_assert_uint_eq(id2, 2);

	read1 = id;
	send_cmd(fd, 1, 21, &read1, 1);
	expect_hdr(fd, 2, 21);
	recv_bytes(fd, v, sizeof(v));
	ck_assert_uint_eq(v[0], 5);
	ck_assert_uint_eq(v[1], 0);
	read1 = id2;
	send_cmd(fd, 1, 21, &read1, 1);
	expect_hdr(fd, 2, 21);
	recv_bytes(fd, v, sizeof(v));
	ck_assert_uint_eq(v[0], 0);
	ck_assert_uint_eq(v[1], 1);

	/* SYNC_WRITE 10, read it back. */
	write20[0] = id;
	write20[1] = 10;
	write20[2] = 0;
	send_cmd(fd, 3, 22, write20, 3);
	read1 = id;
	send_cmd(fd, 1, 21, &read1, 1);
	expect_hdr(fd, 2, 21);
	recv_bytes(fd, v, sizeof(v));
	ck_assert_uint_eq(v[0], 10);

	/* Already satisfied wait: the fd is readable at once. */
	w[0] = 0;
	w[1] = UINT32_MAX;
	w[2] = id;
	w[3] = 10;
	w[4] = 0;
	send_cmd(fd, 5, 23, w, 5);
	expect_hdr(fd, 0, 23);
	efd = recv_fd(fd);
	ck_assert(vc_fd_readable(efd, 10000));
	close(efd);

	/* Wait for all of {id >= 20, id2 >= 1<<32}: not before id reaches 20. */
	w[3] = 20;
	w[5] = id2;
	w[6] = 0;
	w[7] = 1;
	send_cmd(fd, 8, 23, w, 8);
	expect_hdr(fd, 0, 23);
	efd = recv_fd(fd);
	ck_assert(!vc_fd_readable(efd, 100));
	write20[1] = 19;
	send_cmd(fd, 3, 22, write20, 3);
	expect_alive(fd); /* the write has been processed */
	ck_assert(!vc_fd_readable(efd, 50));
	write20[1] = 20;
	send_cmd(fd, 3, 22, write20, 3);
	ck_assert(vc_fd_readable(efd, 5000));
	close(efd);

	/* ANY: one of two is enough. */
	w[0] = 1;
	w[3] = 1000;
	w[6] = 0;
	w[7] = 2;
	send_cmd(fd, 8, 23, w, 8);
	expect_hdr(fd, 0, 23);
	efd = recv_fd(fd);
	ck_assert(!vc_fd_readable(efd, 50));
	write20[0] = id2;
	write20[1] = 0;
	write20[2] = 2;
	send_cmd(fd, 3, 22, write20, 3);
	ck_assert(vc_fd_readable(efd, 5000));
	close(efd);

	/* Unref frees the id for reuse; a pending timed wait is fine at exit. */
	w[0] = 0;
	w[1] = 10;
	w[2] = id;
	w[3] = 1000;
	w[4] = 0;
	send_cmd(fd, 5, 23, w, 5);
	expect_hdr(fd, 0, 23);
	efd = recv_fd(fd);
	read1 = id;
	send_cmd(fd, 1, 20, &read1, 1);
	create[0] = 7;
	create[1] = 0;
	send_cmd(fd, 2, 19, create, 2);
	expect_hdr(fd, 1, 19);
	ck_assert_uint_eq(recv_u32(fd), id);
	close(efd);
	expect_alive(fd);
	close(fd);
}
END_TEST

START_TEST(test_two_clients_isolated_ids)
{
	int a = open_client(), b = open_client();
	struct res2d ra, rb;

	ck_assert_uint_eq(handshake(a, 3), 3);
	ck_assert_uint_eq(handshake(b, 3), 3);
	ra = create_2d(a, 3, 0);
	rb = create_2d(b, 3, 0);
	/* Ids are per connection: both clients own a resource 1. */
	ck_assert_uint_eq(ra.id, 1);
	ck_assert_uint_eq(rb.id, 1);
	roundtrip_2d(a, &ra);
	roundtrip_2d(b, &rb);
	unmap_2d(&ra);
	unmap_2d(&rb);
	close(a);
	close(b);
}
END_TEST

/* ---- malformed input: only the offending client is closed ---- */

enum bad_kind {
	BAD_UNKNOWN_ID,
	BAD_SHORT_THEN_CLOSE,
	BAD_LEN_MISMATCH,
	BAD_NOT_FIRST,
	BAD_OVERSIZE_NAME,
	BAD_EMPTY_NAME,
	BAD_SUBMIT_TOO_BIG,
	BAD_SUBMIT2_PAST_END,
	BAD_SUBMIT2_COUNT,
	BAD_SYNC_WAIT_LEN,
	BAD_UNKNOWN_SYNC,
	BAD_V3_HANDLE,
	BAD_TRANSFER_OFFSET,
	BAD_TRANSFER_UNKNOWN_RES,
	BAD_UNREF_UNKNOWN,
	BAD_NEEDS_V3,
	BAD_TRANSFER_PUT_LEN,
	BAD_CONTEXT_INIT_0,
	BAD_COUNT,
};

static void send_malformed(int fd, enum bad_kind kind)
{
	uint32_t p[16] = {0};

	if (kind != BAD_NOT_FIRST && kind != BAD_OVERSIZE_NAME && kind != BAD_EMPTY_NAME)
		ck_assert_uint_eq(handshake(fd, kind == BAD_NEEDS_V3 ? 2 : 3),
		                  kind == BAD_NEEDS_V3 ? 2 : 3);
	switch (kind) {
	case BAD_UNKNOWN_ID:
		send_cmd(fd, 0, 99, NULL, 0);
		break;
	case BAD_SHORT_THEN_CLOSE:
		/* RESOURCE_CREATE2 announces 11 dwords, 3 arrive, then EOF. */
		send_cmd(fd, 11, 12, p, 3);
		shutdown(fd, SHUT_WR);
		break;
	case BAD_LEN_MISMATCH:
		/* PING has no payload: a length past the end of the message. */
		send_cmd(fd, 1000, 10, NULL, 0);
		break;
	case BAD_NOT_FIRST:
		send_cmd(fd, 0, 10, NULL, 0);
		break;
	case BAD_OVERSIZE_NAME:
		send_cmd(fd, (1u << 20) + 1, 8, NULL, 0);
		break;
	case BAD_EMPTY_NAME:
		send_cmd(fd, 0, 8, NULL, 0);
		break;
	case BAD_SUBMIT_TOO_BIG:
		send_cmd(fd, (16u << 20) / 4 + 1, 6, NULL, 0);
		break;
	case BAD_SUBMIT2_PAST_END:
		/* 1 batch, cmd_offset 7 + cmd_size 100 > 8 dwords. */
		p[0] = 1;
		p[1] = 1;
		p[2] = 7;
		p[3] = 100;
		p[4] = 8;
		p[5] = 0;
		p[6] = 0;
		send_cmd(fd, 8, 24, p, 8);
		break;
	case BAD_SUBMIT2_COUNT:
		p[0] = 0x30000000; /* batch headers far past the payload */
		send_cmd(fd, 7, 24, p, 7);
		break;
	case BAD_SYNC_WAIT_LEN:
		send_cmd(fd, 4, 23, p, 4); /* 2 + 3n dwords required */
		break;
	case BAD_UNKNOWN_SYNC:
		p[0] = 0;
		p[1] = 0;
		p[2] = 42;
		send_cmd(fd, 5, 23, p, 5);
		break;
	case BAD_V3_HANDLE:
		p[0] = 9; /* protocol 3: must be 0 */
		p[1] = 2;
		p[2] = FMT_B8G8R8A8;
		p[4] = 4;
		p[5] = 4;
		p[6] = 1;
		p[7] = 1;
		p[10] = 64;
		send_cmd(fd, 11, 12, p, 11);
		break;
	case BAD_TRANSFER_OFFSET: {
		struct res2d r = create_2d(fd, 3, 0);
		unmap_2d(&r);
		transfer2(fd, 13, r.id, 0, 0, 1, 1, W * H * BPP);
		break;
	}
	case BAD_TRANSFER_UNKNOWN_RES:
		transfer2(fd, 14, 1234, 0, 0, 1, 1, 0);
		break;
	case BAD_UNREF_UNKNOWN:
		p[0] = 4321;
		send_cmd(fd, 1, 3, p, 1);
		break;
	case BAD_NEEDS_V3:
		p[0] = 1;
		send_cmd(fd, 1, 15, p, 1); /* GET_PARAM on protocol 2 */
		break;
	case BAD_TRANSFER_PUT_LEN:
		/* v0 PUT whose len does not match data_size (40 bytes -> len 21). */
		p[0] = 1;
		p[10] = 40;
		send_cmd(fd, 12, 5, p, 11);
		break;
	case BAD_CONTEXT_INIT_0:
		send_cmd(fd, 1, 17, p, 1);
		break;
	case BAD_COUNT:
		break;
	}
}

START_TEST(test_malformed_closes_only_that_client)
{
	int healthy = open_client();
	enum bad_kind kind = (enum bad_kind)_i;
	int bad;

	ck_assert_uint_eq(handshake(healthy, 3), 3);
	bad = open_client();
	send_malformed(bad, kind);
	expect_closed(bad);
	close(bad);
	expect_alive(healthy);
	/* And the server still accepts new clients. */
	bad = open_client();
	ck_assert_uint_eq(handshake(bad, 3), 3);
	expect_alive(bad);
	close(bad);
	expect_alive(healthy);
	close(healthy);
}
END_TEST

START_TEST(test_get_caps)
{
	int fd = open_client(), other = open_client();
	uint32_t caps[] = {0, 9, 0, 1}; /* GET_CAPS2 + GET_CAPS in one write */
	uint32_t h[2];

	ck_assert_uint_eq(handshake(other, 3), 3);
	ck_assert_uint_eq(handshake(fd, 3), 3);
	bool gl = get_capset(fd, 2, NULL) != 0;
	send_bytes(fd, caps, sizeof(caps));
	if (!gl) {
		/* No GL backend in this build: a clean close, not a hang. */
		expect_closed(fd);
	} else {
		uint8_t *blob;
		recv_bytes(fd, h, sizeof(h));
		ck_assert_uint_eq(h[1], 2); /* the GET_CAPS2 answer has id 2 */
		ck_assert_uint_ge(h[0], 309);
		blob = malloc(h[0] - 1);
		recv_bytes(fd, blob, h[0] - 1);
		free(blob);
		expect_hdr(fd, 309, 1);
		blob = malloc(308);
		recv_bytes(fd, blob, 308);
		free(blob);
		expect_alive(fd);
	}
	close(fd);
	expect_alive(other);
	close(other);
}
END_TEST

START_TEST(test_many_clients_at_once)
{
	enum { N = 6 };
	int fds[N], i;

	for (i = 0; i < N; i++) {
		fds[i] = open_client();
		ck_assert_uint_eq(handshake(fds[i], 3), 3);
	}
	for (i = 0; i < N; i++) {
		struct res2d r = create_2d(fds[i], 3, 0);
		ck_assert_uint_eq(r.id, 1);
		roundtrip_2d(fds[i], &r);
		unmap_2d(&r);
	}
	/* Leave with work and resources outstanding: the server cleans up. */
	for (i = 0; i < N; i++)
		close(fds[i]);
}
END_TEST

START_TEST(test_blob_guest)
{
	int fd = open_client(), mfd;
	/* GUEST blob, MAPPABLE, 8192 bytes, blob_id 0: memory the server shares. */
	uint32_t d[6] = {1, 1, 8192, 0, 0, 0}, id, unref;
	struct stat st;
	uint8_t *map;

	ck_assert_uint_eq(handshake(fd, 3), 3);
	send_cmd(fd, 6, 18, d, 6);
	expect_hdr(fd, 1, 18);
	id = recv_u32(fd);
	ck_assert_uint_eq(id, 1);
	mfd = recv_fd(fd); /* always an fd, after the answer */
	ck_assert_int_eq(fstat(mfd, &st), 0);
	ck_assert_int_ge(st.st_size, 8192);
	map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	ck_assert_ptr_ne(map, MAP_FAILED);
	close(mfd);
	ck_assert_uint_eq(map[0], 0); /* handed out zeroed */
	ck_assert_uint_eq(map[8191], 0);
	map[100] = 0x5a;
	munmap(map, 8192);
	unref = id;
	send_cmd(fd, 1, 3, &unref, 1);
	/* Blob and classic resources share one id space: 1 is free again. */
	{
		struct res2d r = create_2d(fd, 3, 0);
		ck_assert_uint_eq(r.id, 1);
		unmap_2d(&r);
	}
	expect_alive(fd);
	close(fd);
}
END_TEST

/* Without a backend for the capset, context creation fails: the client is
 * closed with a log line, other clients carry on. */
START_TEST(test_context_needs_backend)
{
	int probe = open_client(), fd;
	uint32_t capset = 4, cmd[4] = {0x00000000, 0, 0, 0};
	bool gl, venus;

	ck_assert_uint_eq(handshake(probe, 3), 3);
	gl = get_capset(probe, 2, NULL) != 0;
	venus = get_capset(probe, 4, NULL) != 0;

	if (!venus) {
		fd = open_client();
		ck_assert_uint_eq(handshake(fd, 3), 3);
		send_cmd(fd, 1, 17, &capset, 1); /* CONTEXT_INIT(VENUS) */
		expect_closed(fd);
		close(fd);
		expect_alive(probe);
	}
	if (!gl) {
		/* SUBMIT_CMD creates a GL context lazily. */
		fd = open_client();
		ck_assert_uint_eq(handshake(fd, 3), 3);
		send_cmd(fd, 4, 6, cmd, 4);
		expect_closed(fd);
		close(fd);
		expect_alive(probe);
	}
	close(probe);
}
END_TEST

/* SIGTERM while clients are connected, with resources, syncs and a pending
 * wait: teardown checks that the server exits 0 (no leaks under ASan). */
START_TEST(test_sigterm_with_clients)
{
	int a = open_client(), b = open_client(), efd;
	uint32_t sc[2] = {0, 0}, w[5];
	struct res2d r;

	ck_assert_uint_eq(handshake(a, 3), 3);
	ck_assert_uint_eq(handshake(b, 3), 3);
	r = create_2d(a, 3, 0);
	send_cmd(b, 2, 19, sc, 2);
	expect_hdr(b, 1, 19);
	w[0] = 0;
	w[1] = UINT32_MAX;
	w[2] = recv_u32(b);
	w[3] = 1;
	w[4] = 0;
	send_cmd(b, 5, 23, w, 5);
	expect_hdr(b, 0, 23);
	efd = recv_fd(b);
	unmap_2d(&r);
	server_stop();
	/* The server closed both connections on its way out. */
	expect_closed(a);
	expect_closed(b);
	ck_assert(!vc_fd_readable(efd, 0));
	close(efd);
	close(a);
	close(b);
	server_start(); /* for the fixture's teardown */
}
END_TEST

static Suite *vtest_suite(void)
{
	Suite *s = suite_create("vtest-protocol");
	TCase *tc = tcase_create("protocol");

	tcase_add_checked_fixture(tc, server_start, server_stop);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_handshake);
	tcase_add_test(tc, test_get_param_and_capset);
	tcase_add_test(tc, test_2d_roundtrip);
	tcase_add_test(tc, test_2d_subbox_and_ids);
	tcase_add_test(tc, test_protocol2_client_handles);
	tcase_add_test(tc, test_protocol0_inline);
	tcase_add_test(tc, test_sync);
	tcase_add_test(tc, test_two_clients_isolated_ids);
	tcase_add_test(tc, test_get_caps);
	tcase_add_test(tc, test_many_clients_at_once);
	tcase_add_test(tc, test_blob_guest);
	tcase_add_test(tc, test_context_needs_backend);
	tcase_add_test(tc, test_sigterm_with_clients);
	tcase_add_loop_test(tc, test_malformed_closes_only_that_client, 0, BAD_COUNT);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-TO-virgl-next-vtest\n", argv[0]);
		return 2;
	}
	server_binary = argv[1];
	signal(SIGPIPE, SIG_IGN);
	sr = srunner_create(vtest_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
