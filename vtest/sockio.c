/* SPDX-License-Identifier: MIT */
#include "sockio.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vtest_protocol.h"

int vtest_read_exact(int fd, void *buf, size_t size)
{
	uint8_t *p = buf;

	while (size) {
		ssize_t n = read(fd, p, size);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EPIPE;
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

int vtest_skip_exact(int fd, uint64_t size)
{
	uint8_t scratch[4096];

	while (size) {
		size_t chunk = size < sizeof(scratch) ? (size_t)size : sizeof(scratch);
		int ret = vtest_read_exact(fd, scratch, chunk);
		if (ret)
			return ret;
		size -= chunk;
	}
	return 0;
}

int vtest_write_all(int fd, const void *buf, size_t size)
{
	const uint8_t *p = buf;

	while (size) {
		ssize_t n = send(fd, p, size, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

int vtest_write_reply(int fd, uint32_t len, uint32_t id, const uint32_t *payload, size_t n)
{
	uint32_t msg[VTEST_HDR_DWORDS + 8];

	if (n > 8) {
		/* Large payloads go out as header + payload (still one stream). */
		uint32_t hdr[VTEST_HDR_DWORDS] = {len, id};
		int ret = vtest_write_all(fd, hdr, sizeof(hdr));
		return ret ? ret : vtest_write_all(fd, payload, n * sizeof(uint32_t));
	}
	msg[VTEST_HDR_LEN] = len;
	msg[VTEST_HDR_ID] = id;
	if (n)
		memcpy(&msg[VTEST_HDR_DWORDS], payload, n * sizeof(uint32_t));
	return vtest_write_all(fd, msg, (VTEST_HDR_DWORDS + n) * sizeof(uint32_t));
}
