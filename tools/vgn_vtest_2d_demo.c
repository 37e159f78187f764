/* SPDX-License-Identifier: MIT */
/*
 * vgn-vtest-2d-demo: a tiny vtest client. It connects to a running vtest server,
 * creates a 2D B8G8R8A8 texture with shared memory (RESOURCE_CREATE2), uploads a
 * gradient (TRANSFER_PUT2), clears its copy, reads the texture back
 * (TRANSFER_GET2 + RESOURCE_BUSY_WAIT), checks it and writes it as a PNG.
 *
 *   virgl-next-vtest --socket /tmp/demo.sock &
 *   vgn-vtest-2d-demo --socket /tmp/demo.sock out.png
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "png_write.h"
#include "virgl-next/virgl_next.h" /* wire numbers only; the tool links no library */
#include "vtest_client.h"

#define TIMEOUT_MS 30000

static int fail(const char *what, int err)
{
	fprintf(stderr, "vgn-vtest-2d-demo: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return 1;
}

static int expect(int fd, uint32_t len, uint32_t id, uint32_t *payload)
{
	uint32_t h[2];
	int ret = vc_read_exact(fd, h, sizeof(h), TIMEOUT_MS);

	if (ret)
		return ret;
	if (h[0] != len || h[1] != id) {
		fprintf(stderr, "vgn-vtest-2d-demo: got reply {%u,%u}, expected {%u,%u}\n", h[0],
		        h[1], len, id);
		return -EPROTO;
	}
	return len ? vc_read_exact(fd, payload, len * sizeof(uint32_t), TIMEOUT_MS) : 0;
}

static uint32_t negotiate(int fd, int *err)
{
	static const char name[] = "vgn-vtest-2d-demo";
	uint32_t hdr[2] = {sizeof(name), VTEST_CMD_CREATE_RENDERER};
	uint32_t probe[] = {0, VTEST_CMD_PING_PROTOCOL_VERSION, 2, VTEST_CMD_RESOURCE_BUSY_WAIT, 0,
	                    0};
	uint32_t want = 3, got = 0, busy;

	*err = vtest_write_all(fd, hdr, sizeof(hdr));
	if (!*err)
		*err = vtest_write_all(fd, name, sizeof(name));
	if (!*err)
		*err = vtest_write_all(fd, probe, sizeof(probe));
	if (!*err)
		*err = expect(fd, 0, VTEST_CMD_PING_PROTOCOL_VERSION, NULL);
	if (!*err)
		*err = expect(fd, 1, VTEST_CMD_RESOURCE_BUSY_WAIT, &busy);
	if (!*err)
		*err = vc_send_cmd(fd, 1, VTEST_CMD_PROTOCOL_VERSION, &want, 1);
	if (!*err)
		*err = expect(fd, 1, VTEST_CMD_PROTOCOL_VERSION, &got);
	return got;
}

/* RESOURCE_BUSY_WAIT with WAIT: returns when all submitted work is done. */
static int busy_wait(int fd, uint32_t id)
{
	uint32_t wait[2] = {id, VTEST_BUSY_WAIT_FLAG_WAIT}, busy = 1;
	int err = vc_send_cmd(fd, 2, VTEST_CMD_RESOURCE_BUSY_WAIT, wait, 2);

	if (!err)
		err = expect(fd, 1, VTEST_CMD_RESOURCE_BUSY_WAIT, &busy);
	return !err && busy ? -EBUSY : err;
}

/* BGRA in memory: a gradient that differs along x and y and in every channel. */
static void gradient(uint8_t *px, uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	px[0] = (uint8_t)(x * 255 / (w > 1 ? w - 1 : 1));                     /* B */
	px[1] = (uint8_t)(y * 255 / (h > 1 ? h - 1 : 1));                     /* G */
	px[2] = (uint8_t)(255 - (x + y) * 255 / (w + h > 2 ? w + h - 2 : 1)); /* R */
	px[3] = 255;                                                          /* A */
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: vgn-vtest-2d-demo [--socket PATH] [--width W] [--height H] OUT.png\n"
	           "Socket default: $VTEST_SOCKET_NAME, else /tmp/.virgl_test.\n");
}

static int parse_dim(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*end || end == s || v == 0 || v > 4096)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"socket", required_argument, NULL, 's'},
	    {"width", required_argument, NULL, 'w'},
	    {"height", required_argument, NULL, 'h'},
	    {"help", no_argument, NULL, 'H'},
	    {NULL, 0, NULL, 0},
	};
	const char *path = NULL, *out;
	uint32_t w = 256, h = 128, version, id = 1, x, y, d[11], bad = 0;
	size_t size;
	uint8_t *map, *rgba;
	struct stat st;
	int opt, fd, mfd, err;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'w':
		case 'h':
			if (parse_dim(optarg, opt == 'w' ? &w : &h)) {
				fprintf(stderr, "invalid size: %s\n", optarg);
				return 2;
			}
			break;
		case 'H':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 2;
	}
	out = argv[optind];
	if (!path)
		path = getenv("VTEST_SOCKET_NAME");
	if (!path || !*path)
		path = "/tmp/.virgl_test";
	size = (size_t)w * h * 4;

	fd = vc_connect(path);
	if (fd < 0)
		return fail(path, fd);
	version = negotiate(fd, &err);
	if (err)
		return fail("version handshake", err);
	if (version < 2) {
		fprintf(stderr, "vgn-vtest-2d-demo: server speaks protocol %u, need 2+\n", version);
		return 1;
	}

	/* RESOURCE_CREATE2: v3 lets the server pick the id (handle 0). */
	d[0] = version >= 3 ? 0 : id;
	d[1] = VGN_TARGET_2D;
	d[2] = VGN_FORMAT_B8G8R8A8_UNORM;
	d[3] = (VGN_BIND_RENDER_TARGET | VGN_BIND_SAMPLER_VIEW);
	d[4] = w;
	d[5] = h;
	d[6] = 1;
	d[7] = 1;
	d[8] = 0;
	d[9] = 0;
	d[10] = (uint32_t)size;
	err = vc_send_cmd(fd, 11, VTEST_CMD_RESOURCE_CREATE2, d, 11);
	if (!err && version >= 3)
		err = expect(fd, 1, VTEST_CMD_RESOURCE_CREATE2, &id);
	if (err)
		return fail("RESOURCE_CREATE2", err);
	mfd = vc_recv_fd(fd, TIMEOUT_MS);
	if (mfd < 0)
		return fail("receiving the shared memory fd", mfd);
	if (fstat(mfd, &st) < 0 || (uint64_t)st.st_size < size)
		return fail("shared memory too small", EINVAL);
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	close(mfd);
	if (map == MAP_FAILED)
		return fail("mmap", errno);
	printf("resource %u: %ux%u B8G8R8A8, %zu bytes of shared memory\n", id, w, h, size);

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			gradient(&map[((size_t)y * w + x) * 4], x, y, w, h);
	/* res, level, x, y, z, w, h, d, data_size (ignored), offset */
	d[0] = id;
	d[1] = 0;
	d[2] = 0;
	d[3] = 0;
	d[4] = 0;
	d[5] = w;
	d[6] = h;
	d[7] = 1;
	d[8] = (uint32_t)size;
	d[9] = 0;
	err = vc_send_cmd(fd, 10 + (uint32_t)(size / 4), VTEST_CMD_TRANSFER_PUT2, d, 10);
	/* PUT2 has no answer: wait until the server has consumed the shm before
	 * clearing it. */
	if (!err)
		err = busy_wait(fd, id);
	if (err)
		return fail("TRANSFER_PUT2 + RESOURCE_BUSY_WAIT", err);
	memset(map, 0, size);
	err = vc_send_cmd(fd, 10, VTEST_CMD_TRANSFER_GET2, d, 10);
	if (!err)
		err = busy_wait(fd, id);
	if (err)
		return fail("TRANSFER_GET2 + RESOURCE_BUSY_WAIT", err);

	rgba = malloc(size);
	if (!rgba)
		return fail("malloc", ENOMEM);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			const uint8_t *px = &map[((size_t)y * w + x) * 4];
			uint8_t want[4], *o = &rgba[((size_t)y * w + x) * 4];
			gradient(want, x, y, w, h);
			if (memcmp(px, want, 4))
				bad++;
			o[0] = px[2];
			o[1] = px[1];
			o[2] = px[0];
			o[3] = px[3];
		}
	}
	err = png_write_rgba(out, rgba, w, h);
	free(rgba);
	munmap(map, size);
	(void)vc_send_cmd(fd, 1, VTEST_CMD_RESOURCE_UNREF, &id, 1);
	close(fd);
	if (err)
		return fail(out, err);
	printf("read back %ux%u pixels, %u differ from what was uploaded; wrote %s\n", w, h, bad,
	       out);
	return bad ? 1 : 0;
}
