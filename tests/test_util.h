/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers for the Check API tests: a per-test simulated VMM, 2D resource
 * set-up, host read-back through copy-out, and comparisons that report the first
 * differing byte.
 */
#ifndef VGN_TEST_UTIL_H
#define VGN_TEST_UTIL_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmm_sim.h"

/* Evaluates to the errno of a call; prints the call on failure. */
#define ck_assert_rc(call, expected)                                                               \
	do {                                                                                       \
		int rc_ = (call);                                                                  \
		int exp_ = (expected);                                                             \
		ck_assert_msg(rc_ == exp_, "%s returned %d (%s), expected %d (%s)", #call, rc_,    \
		              vgn_strerror(rc_), exp_, vgn_strerror(exp_));                        \
	} while (0)

#define ck_assert_ok(call) ck_assert_rc(call, 0)

/* A 2D test image: resource + backing in guest RAM, content known. */
struct timg {
	uint32_t res_id;
	uint32_t format;
	uint32_t width, height, bpp;
	struct vms_backing backing;
};

/* Creates a 2D resource with a backing of at least width*height*bpp bytes (plus
 * extra_bytes) in the given layout, fills the backing with pattern `seed`, and
 * uploads it all with a TRANSFER_TO_HOST_2D. Fails the test on any error. */
void timg_create(struct vms *v, struct timg *img, uint32_t res_id, uint32_t format, uint32_t width,
                 uint32_t height, enum vms_layout layout, size_t extra_bytes, uint32_t seed);
void timg_destroy(struct vms *v, struct timg *img);
size_t timg_size(const struct timg *img);

/* Reads the host copy of level 0 with copy-out (tight rows). buf: timg_size bytes. */
void timg_read_host(struct vms *v, const struct timg *img, uint8_t *buf);
/* Allocates and returns the host content (caller frees). */
uint8_t *timg_host_copy(struct vms *v, const struct timg *img);
/* Fails unless the host copy equals `expect` (timg_size bytes). */
void timg_expect_host(struct vms *v, const struct timg *img, const uint8_t *expect);
/* Copies of the whole backing (caller frees) and comparisons of it. */
uint8_t *tback_copy(struct vms *v, const struct vms_backing *b);
void tback_expect(struct vms *v, const struct vms_backing *b, const uint8_t *expect);

/* Host copy access through explicit tight iovecs (ctx 0): read returns a
 * malloc'ed buffer of w*h*d*bpp bytes; both fail the test on error. */
uint8_t *tres_read(struct vms *v, uint32_t res_id, uint32_t level, struct vgn_box box,
                   uint32_t bpp);
void tres_write(struct vms *v, uint32_t res_id, uint32_t level, struct vgn_box box, uint32_t bpp,
                const uint8_t *src);

/* Fails with the first differing offset unless a and b are equal. */
void tmem_expect_eq(const uint8_t *a, const uint8_t *b, size_t len, const char *what);

/* A renderer through vmm-sim, created by the fixture of most suites. */
extern struct vms tv;
void tv_setup(void);
void tv_setup_thread(void);
void tv_teardown(void);

/* First capset id the renderer supports, 0 if none. */
uint32_t t_first_capset(vgn_renderer *r);
/* Runs the suite, prints Check's summary, returns the process exit status. */
int t_run_suite(Suite *s);

#endif /* VGN_TEST_UTIL_H */
