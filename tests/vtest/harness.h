/* SPDX-License-Identifier: MIT */
/*
 * Harness of the vtest-protocol test: starts and stops the server under test, and
 * wire helpers that assert on every byte (Check's ck_assert_*). Command numbers
 * are written out from the spec, not taken from the server's headers.
 */
#ifndef VTEST_HARNESS_H
#define VTEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Path of the virgl-next-vtest binary (argv[1]). */
extern const char *server_binary;

/* Checked fixture: a fresh server (with --debug) on a socket in a new temporary
 * directory, never the default path. server_stop checks that it exits with
 * status 0 on SIGTERM (under ASan: no leaks) and removes its socket. */
void server_start(void);
void server_stop(void);

/* ---- wire helpers; every one asserts ---- */
int open_client(void);
void send_bytes(int fd, const void *buf, size_t n);
/* {len, id} + n payload dwords in one write (len need not equal n). */
void send_cmd(int fd, uint32_t len, uint32_t id, const uint32_t *payload, size_t n);
void recv_bytes(int fd, void *buf, size_t n);
uint32_t recv_u32(int fd);
void expect_hdr(int fd, uint32_t len, uint32_t id);
int recv_fd(int fd);
/* CREATE_RENDERER with header and name in two separate writes. */
void create_renderer(int fd, const char *name);
/* PING + BUSY_WAIT(0, 0) in one write, then PROTOCOL_VERSION: the version
 * negotiation, also run again on a live connection (spec §5.2). */
uint32_t handshake_version_only(int fd, uint32_t version);
/* Mesa's opening: CREATE_RENDERER, then the negotiation. */
uint32_t handshake(int fd, uint32_t version);
uint32_t busy_wait(int fd, uint32_t handle, uint32_t flags);
/* The connection must be closed by the server (EOF or reset within 10 s). */
void expect_closed(int fd);
/* A healthy client stays usable: one busy-wait round trip. */
void expect_alive(int fd);
/* GET_CAPSET(id, version 0). Returns the capset's dword count, 0 = unsupported;
 * *first_dword (may be NULL) receives its first dword. */
uint32_t get_capset(int fd, uint32_t id, uint32_t *first_dword);

/* ---- 2D resources over shm ---- */
#define W 64u
#define H 32u
#define BPP 4u
#define FMT_B8G8R8A8 1u
#define BIND_RT_SAMPLER 0xau

struct res2d {
	uint32_t id;
	uint8_t *map;
	size_t size;
};

/* RESOURCE_CREATE2 of a W x H B8G8R8A8 texture; receives and maps the shm. */
struct res2d create_2d(int fd, uint32_t version, uint32_t client_handle);
/* TRANSFER_PUT2 (cmd 14) or TRANSFER_GET2 (cmd 13) of a box at level 0. */
void transfer2(int fd, uint32_t cmd, uint32_t res, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
               uint32_t offset);
uint8_t pattern(uint32_t x, uint32_t y, uint32_t c);
void fill_pattern(uint8_t *map);
/* Full round trip: PUT2, BUSY_WAIT, clear, GET2, BUSY_WAIT(WAIT), compare. */
void roundtrip_2d(int fd, struct res2d *r);
void unmap_2d(struct res2d *r);

#endif /* VTEST_HARNESS_H */
