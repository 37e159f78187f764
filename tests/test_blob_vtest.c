/* SPDX-License-Identifier: MIT */
/*
 * RESOURCE_CREATE_BLOB type 3 (HOST3D_GUEST) over vtest, as virglrenderer serves
 * it: the server makes a memfd of the blob's size, attaches it as the pages of
 * the object a PIPE_RESOURCE_CREATE described, and returns the fd. A 2D texture:
 * the client writes the pages, TRANSFER_PUT2 uploads into the GL texture, the
 * pages are cleared, TRANSFER_GET2 reads the texture back into them. A blob_id
 * nobody described ends that client only. Skips without GL.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define CMD_RESOURCE_UNREF 3u
#define CMD_SUBMIT_CMD 6u
#define CMD_TRANSFER_GET2 13u
#define CMD_TRANSFER_PUT2 14u
#define CMD_CREATE_BLOB 18u
#define BLOB_HOST3D_GUEST 3u
#define BLOB_MAPPABLE 1u
#define CCMD_PIPE_RESOURCE_CREATE 48u
#define TARGET_2D 2u

/* SUBMIT_CMD with PIPE_RESOURCE_CREATE of a W x H B8G8R8A8 texture. */
static void describe_texture(int fd, uint32_t blob_id)
{
	const uint32_t cmd[12] = {(11u << 16) | CCMD_PIPE_RESOURCE_CREATE,
	                          TARGET_2D,
	                          FMT_B8G8R8A8,
	                          BIND_RT_SAMPLER,
	                          W,
	                          H,
	                          1,
	                          1,
	                          0,
	                          0,
	                          0,
	                          blob_id};
	send_cmd(fd, 12, CMD_SUBMIT_CMD, cmd, 12);
}

START_TEST(host3d_guest_texture_round_trip)
{
	int fd = open_client();
	ck_assert_uint_eq(handshake(fd, 3), 3);
	if (!get_capset(fd, 2, NULL)) {
		printf("no GL backend: skipped\n");
		close(fd);
		return;
	}
	describe_texture(fd, 7);
	/* MAPPABLE as a client would ask: the fd is the pages, not a host map. */
	const uint32_t size = W * H * BPP;
	uint32_t d[6] = {BLOB_HOST3D_GUEST, BLOB_MAPPABLE, size, 0, 7, 0};
	send_cmd(fd, 6, CMD_CREATE_BLOB, d, 6);
	expect_hdr(fd, 1, CMD_CREATE_BLOB);
	uint32_t id = recv_u32(fd);
	int mfd = recv_fd(fd);
	struct stat st;
	ck_assert_int_eq(fstat(mfd, &st), 0);
	ck_assert_int_ge(st.st_size, size);
	uint8_t *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	ck_assert_ptr_ne(map, MAP_FAILED);
	close(mfd);

	fill_pattern(map);
	transfer2(fd, CMD_TRANSFER_PUT2, id, 0, 0, W, H, 0);
	ck_assert_uint_eq(busy_wait(fd, id, 1), 0);
	memset(map, 0, size);
	transfer2(fd, CMD_TRANSFER_GET2, id, 0, 0, W, H, 0);
	ck_assert_uint_eq(busy_wait(fd, id, 1), 0);
	for (uint32_t y = 0; y < H; y++)
		for (uint32_t x = 0; x < W; x++)
			for (uint32_t c = 0; c < BPP; c++)
				ck_assert_uint_eq(map[(y * W + x) * BPP + c], pattern(x, y, c));
	munmap(map, size);
	send_cmd(fd, 1, CMD_RESOURCE_UNREF, &id, 1);

	expect_alive(fd);

	/* A blob_id no PIPE_RESOURCE_CREATE named: a protocol error that closes
	 * this client only (as virglrenderer's vtest does); another one goes on. */
	int other = open_client();
	ck_assert_uint_eq(handshake(other, 3), 3);
	uint32_t bad[6] = {BLOB_HOST3D_GUEST, 0, size, 0, 99, 0};
	send_cmd(fd, 6, CMD_CREATE_BLOB, bad, 6);
	expect_closed(fd);
	close(fd);
	expect_alive(other);
	close(other);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-TO-virgl-next-vtest\n", argv[0]);
		return 2;
	}
	server_binary = argv[1];
	signal(SIGPIPE, SIG_IGN);
	Suite *s = suite_create("blob_vtest");
	TCase *tc = tcase_create("vtest");
	tcase_add_checked_fixture(tc, server_start, server_stop);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, host3d_guest_texture_round_trip);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
