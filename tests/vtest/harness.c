/* SPDX-License-Identifier: MIT */
/* Harness of the vtest-protocol test (see harness.h). */
#include "harness.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vtest_client.h"

/* The test program's own state (not the server's): set once in main(). */
const char *server_binary;

struct server {
	pid_t pid;
	char dir[64];
	char sock[128];
};
static struct server srv;

void server_start(void)
{
	const char *tmp = getenv("TMPDIR");
	int i;

	snprintf(srv.dir, sizeof(srv.dir), "%s/vgn-vtest-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (strlen(srv.dir) > 40)
		snprintf(srv.dir, sizeof(srv.dir), "/tmp/vgn-vtest-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(srv.dir));
	snprintf(srv.sock, sizeof(srv.sock), "%s/sock", srv.dir);

	srv.pid = fork();
	ck_assert_int_ge(srv.pid, 0);
	if (srv.pid == 0) {
		execl(server_binary, server_binary, "--socket", srv.sock, "--debug", (char *)NULL);
		perror("exec virgl-next-vtest");
		_exit(127);
	}
	/* Wait until it accepts connections (up to 20 s, sanitizer builds are slow). */
	for (i = 0; i < 2000; i++) {
		int status, fd = vc_connect(srv.sock);
		if (fd >= 0) {
			close(fd);
			return;
		}
		ck_assert_msg(waitpid(srv.pid, &status, WNOHANG) == 0, "server exited early");
		usleep(10000);
	}
	ck_abort_msg("server did not start listening on %s", srv.sock);
}

void server_stop(void)
{
	struct stat st;
	int status = 0;

	ck_assert_int_eq(kill(srv.pid, SIGTERM), 0);
	ck_assert_int_eq(waitpid(srv.pid, &status, 0), srv.pid);
	ck_assert_msg(WIFEXITED(status), "server died (signal %d)",
	              WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_msg(lstat(srv.sock, &st) < 0 && errno == ENOENT, "socket not removed");
	ck_assert_int_eq(rmdir(srv.dir), 0);
}

/* ---- wire helpers with assertions ---- */

int open_client(void)
{
	int fd = vc_connect(srv.sock);
	ck_assert_int_ge(fd, 0);
	return fd;
}

void send_bytes(int fd, const void *buf, size_t n)
{
	ck_assert_int_eq(vtest_write_all(fd, buf, n), 0);
}

void send_cmd(int fd, uint32_t len, uint32_t id, const uint32_t *payload, size_t n)
{
	ck_assert_int_eq(vc_send_cmd(fd, len, id, payload, n), 0);
}

void recv_bytes(int fd, void *buf, size_t n)
{
	ck_assert_int_eq(vc_read_exact(fd, buf, n, 10000), 0);
}

uint32_t recv_u32(int fd)
{
	uint32_t v;
	recv_bytes(fd, &v, sizeof(v));
	return v;
}

void expect_hdr(int fd, uint32_t len, uint32_t id)
{
	uint32_t h[2];
	recv_bytes(fd, h, sizeof(h));
	ck_assert_uint_eq(h[0], len);
	ck_assert_uint_eq(h[1], id);
}

int recv_fd(int fd)
{
	int got = vc_recv_fd(fd, 10000);
	ck_assert_int_ge(got, 0);
	return got;
}

void create_renderer(int fd, const char *name)
{
	uint32_t h[2] = {(uint32_t)strlen(name) + 1, 8};
	/* Header and name in separate writes: the server must not care. */
	send_bytes(fd, h, sizeof(h));
	send_bytes(fd, name, strlen(name) + 1);
}

/* PING + BUSY_WAIT(0, 0) in one write, then PROTOCOL_VERSION: the version
 * negotiation, also run again on a live connection (spec §5.2). */
uint32_t handshake_version_only(int fd, uint32_t version)
{
	uint32_t probe[] = {0, 10, 2, 7, 0, 0};
	uint32_t v;

	send_bytes(fd, probe, sizeof(probe));
	expect_hdr(fd, 0, 10);
	expect_hdr(fd, 1, 7);
	ck_assert_uint_eq(recv_u32(fd), 0);
	send_cmd(fd, 1, 11, &version, 1);
	expect_hdr(fd, 1, 11);
	v = recv_u32(fd);
	return v;
}

/* Mesa's opening: CREATE_RENDERER, then the negotiation. */
uint32_t handshake(int fd, uint32_t version)
{
	create_renderer(fd, "vtest-protocol-test");
	return handshake_version_only(fd, version);
}

uint32_t busy_wait(int fd, uint32_t handle, uint32_t flags)
{
	uint32_t p[2] = {handle, flags};
	send_cmd(fd, 2, 7, p, 2);
	expect_hdr(fd, 1, 7);
	return recv_u32(fd);
}

/* The connection must be closed by the server (EOF or reset within 10 s). */
void expect_closed(int fd)
{
	ck_assert_msg(vc_wait_closed(fd, 10000), "server did not close the connection");
}

/* A healthy client stays usable: one busy-wait round trip. */
void expect_alive(int fd)
{
	ck_assert_uint_eq(busy_wait(fd, 0, 1), 0);
}

/* Capset support as the server reports it (GET_CAPSET, protocol 3). Returns the
 * payload dword count (0 = unsupported). */
uint32_t get_capset(int fd, uint32_t id, uint32_t *first_dword)
{
	uint32_t p[2] = {id, 0}, h[2], valid, i;

	send_cmd(fd, 2, 16, p, 2);
	recv_bytes(fd, h, sizeof(h));
	ck_assert_uint_eq(h[1], 16);
	ck_assert_uint_ge(h[0], 1);
	valid = recv_u32(fd);
	if (!valid) {
		ck_assert_uint_eq(h[0], 1);
		return 0;
	}
	ck_assert_uint_eq(valid, 1);
	for (i = 0; i < h[0] - 1; i++) {
		uint32_t d = recv_u32(fd);
		if (i == 0 && first_dword)
			*first_dword = d;
	}
	return h[0] - 1;
}

/* ---- 2D resources over shm ---- */

struct res2d create_2d(int fd, uint32_t version, uint32_t client_handle)
{
	uint32_t d[11] = {client_handle, 2, FMT_B8G8R8A8, BIND_RT_SAMPLER, W, H, 1, 1, 0, 0,
	                  W * H * BPP};
	struct res2d r = {.id = client_handle, .size = W * H * BPP};
	struct stat st;
	int mfd;

	send_cmd(fd, 11, 12, d, 11);
	if (version >= 3) {
		expect_hdr(fd, 1, 12);
		r.id = recv_u32(fd);
		ck_assert_uint_ne(r.id, 0);
	}
	mfd = recv_fd(fd);
	ck_assert_int_eq(fstat(mfd, &st), 0);
	ck_assert_int_ge(st.st_size, (off_t)r.size);
	r.map = mmap(NULL, r.size, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	ck_assert_ptr_ne(r.map, MAP_FAILED);
	close(mfd);
	return r;
}

void transfer2(int fd, uint32_t cmd, uint32_t res, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
               uint32_t offset)
{
	uint32_t d[10] = {res, 0, x, y, 0, w, h, 1, w * h * BPP, offset};
	/* PUT2's len counts data that never follows (spec §3.3). */
	uint32_t len = cmd == 14 ? 10 + w * h : 10;
	send_cmd(fd, len, cmd, d, 10);
}

uint8_t pattern(uint32_t x, uint32_t y, uint32_t c)
{
	return (uint8_t)(x * 7 + y * 13 + c * 61 + 1);
}

void fill_pattern(uint8_t *map)
{
	uint32_t x, y, c;
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			for (c = 0; c < BPP; c++)
				map[(y * W + x) * BPP + c] = pattern(x, y, c);
}

/* Full round trip: PUT2, BUSY_WAIT, clear, GET2, BUSY_WAIT(WAIT), compare. */
void roundtrip_2d(int fd, struct res2d *r)
{
	uint32_t x, y, c;

	fill_pattern(r->map);
	transfer2(fd, 14, r->id, 0, 0, W, H, 0);
	/* PUT2 has no answer: a round trip before the shm may be reused. */
	ck_assert_uint_eq(busy_wait(fd, r->id, 1), 0);
	memset(r->map, 0, r->size);
	transfer2(fd, 13, r->id, 0, 0, W, H, 0);
	ck_assert_uint_eq(busy_wait(fd, r->id, 1), 0);
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			for (c = 0; c < BPP; c++)
				ck_assert_uint_eq(r->map[(y * W + x) * BPP + c], pattern(x, y, c));
}

void unmap_2d(struct res2d *r)
{
	munmap(r->map, r->size);
}
