/* SPDX-License-Identifier: MIT */
/*
 * Worker-process mode (docs/worker.md) through the public API: the Venus capset
 * served by a worker equals the in-process one; a context-stream round trip
 * through shared memory; a crashing worker (debug hook) kills only its context
 * and is reaped; a hung worker is killed after worker_timeout_ms; a worker that
 * breaks the protocol (tests/fake_worker.c) is killed; guest blobs carry their
 * fd; no fds or processes are left behind.
 *
 * VGN_TEST_WORKER / VGN_TEST_FAKE_WORKER: paths of the build's executables.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "virgl-next/virgl_next.h"

#define CMD_ENUMERATE_INSTANCE_VERSION 137u
#define CMD_SET_REPLY 178u
#define REPLY_BIT 1u
#define HOOK_MAGIC 0x444E4756u

/* What the callbacks saw (poll mode: only inside vgn_renderer_poll). */
struct seen {
	uint32_t fatal_ctx[8];
	int fatal_err[8];
	char fatal_reason[8][160];
	unsigned nfatal;
	unsigned bad_ends; /* workers that exited non-zero or by a signal at stop */
};

static void log_cb(void *data, enum vgn_log_level level, const char *message)
{
	struct seen *s = data;
	/* With ASan, LeakSanitizer in a worker makes it exit non-zero: this
	 * counts leaks (and crashes at teardown) of the worker processes. */
	if (strstr(message, "ended badly"))
		s->bad_ends++;
}

static void fatal_cb(void *data, uint32_t ctx_id, int error, const char *reason)
{
	struct seen *s = data;
	if (s->nfatal < 8) {
		s->fatal_ctx[s->nfatal] = ctx_id;
		s->fatal_err[s->nfatal] = error;
		snprintf(s->fatal_reason[s->nfatal], sizeof(s->fatal_reason[0]), "%s",
		         reason ? reason : "");
		s->nfatal++;
	}
}

static vgn_renderer *worker_renderer(struct seen *s, const char *path, uint32_t timeout_ms)
{
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = VGN_RENDERER_PARAMS_SIZE_V3;
	p.flags = VGN_RENDERER_FLAG_WORKER_PROCESS;
	p.backends = VGN_BACKEND_VULKAN;
	p.log_level = VGN_LOG_WARN;
	p.callbacks.size = VGN_CALLBACKS_SIZE_V1;
	p.callbacks.user_data = s;
	p.callbacks.log = log_cb;
	p.callbacks.context_fatal = fatal_cb;
	p.worker_timeout_ms = timeout_ms;
	p.debug_flags = VGN_DEBUG_WORKER_HOOKS;
	p.worker_path = path;
	vgn_renderer *r = NULL;
	ck_assert_int_eq(vgn_renderer_create(&p, &r), 0);
	return r;
}

static void new_context(vgn_renderer *r, uint32_t ctx_id)
{
	struct vgn_context_params cp = {.size = VGN_CONTEXT_PARAMS_SIZE_V1,
	                                .capset_id = VGN_CAPSET_VENUS,
	                                .debug_name = "worker-test"};
	ck_assert_int_eq(vgn_context_create(r, ctx_id, &cp), 0);
}

/* A 4 KiB shm blob (HOST3D, blob_id 0) of ctx_id, mapped here; the worker maps
 * the same memory. */
static uint8_t *new_shm(vgn_renderer *r, uint32_t ctx_id, uint32_t res_id)
{
	struct vgn_blob_params bp;
	memset(&bp, 0, sizeof(bp));
	bp.size = VGN_BLOB_PARAMS_SIZE_V1;
	bp.ctx_id = ctx_id;
	bp.blob_mem = VGN_BLOB_MEM_HOST3D;
	bp.blob_flags = VGN_BLOB_FLAG_MAPPABLE;
	bp.blob_size = 4096;
	ck_assert_int_eq(vgn_resource_create_blob(r, res_id, &bp), 0);
	void *ptr = NULL;
	uint64_t size = 0;
	ck_assert_int_eq(vgn_resource_map(r, res_id, &ptr, &size), 0);
	return ptr;
}

static void put32(uint8_t *b, size_t *len, uint32_t v)
{
	memcpy(b + *len, &v, 4);
	*len += 4;
}

static void put64(uint8_t *b, size_t *len, uint64_t v)
{
	memcpy(b + *len, &v, 8);
	*len += 8;
}

/* SetReplyCommandStream + vkEnumerateInstanceVersion: the worker's vkr writes the
 * reply into the shm blob, which we read through our own mapping. */
static void check_roundtrip(vgn_renderer *r, uint32_t ctx_id, uint32_t res_id, uint8_t *shm)
{
	uint8_t b[128];
	size_t len = 0;
	put32(b, &len, CMD_SET_REPLY);
	put32(b, &len, 0);
	put64(b, &len, 1);
	put32(b, &len, res_id);
	put64(b, &len, 0);
	put64(b, &len, 64);
	put32(b, &len, CMD_ENUMERATE_INSTANCE_VERSION);
	put32(b, &len, REPLY_BIT);
	put64(b, &len, 1);
	memset(shm, 0xcc, 64);
	ck_assert_int_eq(vgn_context_submit(r, ctx_id, b, len), 0);
	uint32_t type, result, version;
	memcpy(&type, shm, 4);
	memcpy(&result, shm + 4, 4);
	memcpy(&version, shm + 16, 4);
	ck_assert_uint_eq(type, CMD_ENUMERATE_INSTANCE_VERSION);
	ck_assert_uint_eq(result, 0);
	ck_assert_uint_ge(version, (1u << 22) | (1u << 12)); /* >= 1.1 */
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Delivers events until s has n fatal errors or ms pass. */
static bool wait_fatal(vgn_renderer *r, struct seen *s, unsigned n, unsigned ms)
{
	uint64_t end = now_ms() + ms;
	while (s->nfatal < n && now_ms() < end) {
		struct pollfd pfd = {.fd = vgn_renderer_get_poll_fd(r), .events = POLLIN};
		poll(&pfd, 1, 10);
		vgn_renderer_poll(r);
	}
	return s->nfatal >= n;
}

/* Waits for fence_id to retire on (ctx_id, ring). */
static bool wait_fence(vgn_renderer *r, uint32_t ctx_id, uint32_t ring, uint64_t fence_id,
                       unsigned ms)
{
	uint64_t end = now_ms() + ms, got = 0;
	while (now_ms() < end) {
		vgn_renderer_poll(r);
		if (vgn_context_get_retired_fence(r, ctx_id, ring, &got) == 0 && got >= fence_id)
			return true;
		struct timespec ts = {0, 2000000};
		nanosleep(&ts, NULL);
	}
	return false;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	ck_assert_ptr_nonnull(d);
	int n = 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* No child process left, dead or alive. */
static void assert_no_children(void)
{
	int st;
	errno = 0;
	pid_t got = waitpid(-1, &st, WNOHANG);
	ck_assert_msg(got == -1 && errno == ECHILD, "a child process is left (waitpid: %d)",
	              (int)got);
}

static int submit_hook(vgn_renderer *r, uint32_t ctx_id, uint32_t hook)
{
	uint32_t cmd[2] = {HOOK_MAGIC, hook};
	return vgn_context_submit(r, ctx_id, cmd, sizeof(cmd));
}

START_TEST(capset_matches_in_process)
{
	int fds = count_fds();
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = VGN_RENDERER_PARAMS_SIZE_V3;
	p.backends = VGN_BACKEND_VULKAN;
	p.log_level = VGN_LOG_ERROR;
	vgn_renderer *in = NULL;
	ck_assert_int_eq(vgn_renderer_create(&p, &in), 0);
	struct seen s = {0};
	vgn_renderer *wr = worker_renderer(&s, VGN_TEST_WORKER, 0);

	uint32_t v1, s1, v2, s2;
	ck_assert_int_eq(vgn_capset_info(in, VGN_CAPSET_VENUS, &v1, &s1), 0);
	ck_assert_int_eq(vgn_capset_info(wr, VGN_CAPSET_VENUS, &v2, &s2), 0);
	ck_assert_uint_eq(v1, v2);
	ck_assert_uint_eq(s1, s2);
	uint8_t c1[512], c2[512];
	size_t w1 = 0, w2 = 0;
	memset(c1, 0x11, sizeof(c1));
	memset(c2, 0x22, sizeof(c2));
	ck_assert_int_eq(vgn_capset_fill(in, VGN_CAPSET_VENUS, v1, c1, sizeof(c1), &w1), 0);
	ck_assert_int_eq(vgn_capset_fill(wr, VGN_CAPSET_VENUS, v2, c2, sizeof(c2), &w2), 0);
	ck_assert_uint_eq(w1, w2);
	ck_assert_uint_gt(w1, 0);
	ck_assert_int_eq(memcmp(c1, c2, w1), 0);
	/* Only Venus goes to workers. */
	ck_assert_int_eq(vgn_capset_info(wr, VGN_CAPSET_VIRGL2, &v2, &s2), -ENOTSUP);

	struct vgn_features f = {.size = sizeof(f)};
	ck_assert_int_eq(vgn_renderer_get_features(wr, &f), 0);
	ck_assert_uint_ne(f.backends & VGN_BACKEND_VULKAN, 0);
	ck_assert_uint_ne(f.capset_mask & (1ull << VGN_CAPSET_VENUS), 0);
	vgn_renderer_destroy(wr);
	vgn_renderer_destroy(in);
	ck_assert_uint_eq(s.bad_ends, 0);
	assert_no_children();
	ck_assert_int_eq(count_fds(), fds);
}
END_TEST

START_TEST(roundtrip_and_fences)
{
	int fds = count_fds();
	struct seen s = {0};
	vgn_renderer *r = worker_renderer(&s, VGN_TEST_WORKER, 0);
	new_context(r, 1);
	uint8_t *shm = new_shm(r, 1, 10);
	check_roundtrip(r, 1, 10, shm);
	check_roundtrip(r, 1, 10, shm);
	ck_assert_int_eq(vgn_context_create_fence(r, 1, 0, 5), 0);
	ck_assert(wait_fence(r, 1, 0, 5, 5000));
	ck_assert_uint_eq(s.nfatal, 0);
	ck_assert_int_eq(vgn_resource_unref(r, 10), 0);
	ck_assert_int_eq(vgn_context_destroy(r, 1), 0);
	vgn_renderer_destroy(r);
	ck_assert_uint_eq(s.bad_ends, 0);
	assert_no_children();
	ck_assert_int_eq(count_fds(), fds);
}
END_TEST

START_TEST(crash_kills_only_its_context)
{
	int fds = count_fds();
	struct seen s = {0};
	vgn_renderer *r = worker_renderer(&s, VGN_TEST_WORKER, 0);
	new_context(r, 1);
	new_context(r, 2);
	uint8_t *shm1 = new_shm(r, 1, 10);
	uint8_t *shm2 = new_shm(r, 2, 20);
	check_roundtrip(r, 1, 10, shm1);

	ck_assert_int_eq(submit_hook(r, 1, 1), -EIO);
	ck_assert(wait_fatal(r, &s, 1, 5000));
	ck_assert_uint_eq(s.fatal_ctx[0], 1);
	ck_assert_int_lt(s.fatal_err[0], 0);
	ck_assert_msg(strstr(s.fatal_reason[0], "killed by signal 11"), "reason: %s",
	              s.fatal_reason[0]);
	/* The dead context refuses work; the other one is untouched. */
	ck_assert_int_eq(vgn_context_submit(r, 1, shm1, 8), -EIO);
	check_roundtrip(r, 2, 20, shm2);
	ck_assert_int_eq(vgn_context_create_fence(r, 2, 0, 7), 0);
	ck_assert(wait_fence(r, 2, 0, 7, 5000));
	ck_assert_uint_eq(s.nfatal, 1);

	/* A new context after the crash works too. */
	new_context(r, 3);
	uint8_t *shm3 = new_shm(r, 3, 30);
	check_roundtrip(r, 3, 30, shm3);

	ck_assert_int_eq(vgn_context_destroy(r, 1), 0);
	ck_assert_int_eq(vgn_context_destroy(r, 2), 0);
	vgn_renderer_destroy(r);
	ck_assert_uint_eq(s.bad_ends, 0); /* the crashed one is not "at stop" */
	assert_no_children();
	ck_assert_int_eq(count_fds(), fds);
}
END_TEST

START_TEST(hang_is_killed_after_timeout)
{
	int fds = count_fds();
	struct seen s = {0};
	vgn_renderer *r = worker_renderer(&s, VGN_TEST_WORKER, 500);
	new_context(r, 1);
	new_context(r, 2);
	uint8_t *shm2 = new_shm(r, 2, 20);
	uint64_t start = now_ms();
	ck_assert_int_eq(submit_hook(r, 1, 2), -EIO);
	ck_assert(wait_fatal(r, &s, 1, 5000));
	uint64_t took = now_ms() - start;
	ck_assert_uint_ge(took, 500);
	ck_assert_uint_lt(took, 4000);
	ck_assert_uint_eq(s.fatal_ctx[0], 1);
	ck_assert_msg(strstr(s.fatal_reason[0], "worker hung: killed after"), "reason: %s",
	              s.fatal_reason[0]);
	check_roundtrip(r, 2, 20, shm2);
	vgn_renderer_destroy(r);
	assert_no_children();
	ck_assert_int_eq(count_fds(), fds);
}
END_TEST

START_TEST(hooks_need_the_debug_flag)
{
	struct vgn_renderer_params p;
	memset(&p, 0, sizeof(p));
	p.size = VGN_RENDERER_PARAMS_SIZE_V3;
	p.flags = VGN_RENDERER_FLAG_WORKER_PROCESS;
	p.backends = VGN_BACKEND_VULKAN;
	p.log_level = VGN_LOG_ERROR;
	p.worker_path = VGN_TEST_WORKER;
	vgn_renderer *r = NULL;
	ck_assert_int_eq(vgn_renderer_create(&p, &r), 0);
	new_context(r, 1);
	/* Without VGN_DEBUG_WORKER_HOOKS the magic is a malformed Venus stream: vkr
	 * kills the context, the worker process stays alive. */
	ck_assert_int_ne(submit_hook(r, 1, 1), 0);
	ck_assert_int_eq(vgn_context_submit(r, 1, (uint32_t[]){0, 0}, 8), -EIO);
	vgn_renderer_destroy(r);
	assert_no_children();

	p.debug_flags = 1u << 31;
	ck_assert_int_eq(vgn_renderer_create(&p, &r), -EINVAL);
	p.debug_flags = 0;
	p.worker_path = "/nonexistent/virgl-next-worker";
	ck_assert_int_eq(vgn_renderer_create(&p, &r), -ENODEV);
}
END_TEST

/* The fake worker, in one of its modes (tests/fake_worker.c). */
static vgn_renderer *fake_renderer(struct seen *s, const char *mode, uint32_t timeout_ms)
{
	setenv("FAKE_WORKER_MODE", mode, 1);
	return worker_renderer(s, VGN_TEST_FAKE_WORKER, timeout_ms);
}

static void expect_fake_fatal(const char *mode, const char *want, bool fence)
{
	int fds = count_fds();
	struct seen s = {0};
	vgn_renderer *r = fake_renderer(&s, mode, 500);
	new_context(r, 1);
	new_context(r, 2);
	uint32_t cmd[4] = {1, 2, 3, 4};
	if (fence) {
		ck_assert_int_eq(vgn_context_create_fence(r, 1, 3, 9), 0);
	} else {
		ck_assert_int_eq(vgn_context_submit(r, 1, cmd, sizeof(cmd)), -EIO);
	}
	ck_assert(wait_fatal(r, &s, 1, 5000));
	ck_assert_uint_eq(s.fatal_ctx[0], 1);
	ck_assert_msg(strstr(s.fatal_reason[0], want), "%s: reason: %s", mode, s.fatal_reason[0]);
	uint64_t retired = 0;
	ck_assert_int_eq(vgn_context_get_retired_fence(r, 1, 3, &retired), 0);
	ck_assert_uint_eq(retired, 0); /* a bogus retire never reached the timeline */
	/* The parent carries on: the other context is not fatal and a new one
	 * starts (a new worker process). */
	new_context(r, 3);
	wait_fatal(r, &s, 2, 200);
	ck_assert_uint_eq(s.nfatal, 1);
	vgn_renderer_destroy(r);
	assert_no_children();
	ck_assert_int_eq(count_fds(), fds);
}

START_TEST(hostile_worker_garbage)
{
	expect_fake_fatal("garbage", "protocol error: unknown message type", false);
}
END_TEST

START_TEST(hostile_worker_bad_fence)
{
	expect_fake_fatal("badfence", "protocol error: retired a fence that was never sent", true);
}
END_TEST

START_TEST(hostile_worker_no_fence)
{
	expect_fake_fatal("nofence", "worker hung: killed after", true);
}
END_TEST

START_TEST(worker_exit_status)
{
	int fds = count_fds();
	struct seen s = {0};
	vgn_renderer *r = fake_renderer(&s, "exit", 500);
	new_context(r, 1);
	uint32_t cmd[2] = {1, 2};
	ck_assert_int_eq(vgn_context_submit(r, 1, cmd, sizeof(cmd)), -EIO);
	ck_assert(wait_fatal(r, &s, 1, 5000));
	ck_assert_msg(strstr(s.fatal_reason[0], "exited with status 3"), "reason: %s",
	              s.fatal_reason[0]);
	vgn_renderer_destroy(r);
	assert_no_children();
	ck_assert_int_eq(count_fds(), fds);
}
END_TEST

/* Submits reach the worker byte for byte, inline and (above one packet) in a
 * memfd; the fake worker checks the pattern. */
START_TEST(submit_bytes_arrive)
{
	struct seen s = {0};
	vgn_renderer *r = fake_renderer(&s, "pattern", 0);
	new_context(r, 1);
	const size_t sizes[] = {4, 4096, 65536 - 64 - 16, 65536, 1u << 20};
	uint32_t *cmd = malloc(1u << 20);
	ck_assert_ptr_nonnull(cmd);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k] / 4;
		for (uint32_t i = 0; i < n; i++)
			cmd[i] = i ^ 0x5a5a5a5au;
		ck_assert_int_eq(vgn_context_submit(r, 1, cmd, n * 4), 0);
		cmd[n - 1] ^= 1; /* the last dword wrong: the fake worker notices */
		ck_assert_int_eq(vgn_context_submit(r, 1, cmd, n * 4), -EINVAL);
	}
	free(cmd);
	ck_assert_uint_eq(s.nfatal, 0);
	vgn_renderer_destroy(r);
	assert_no_children();
}
END_TEST

START_TEST(hostile_worker_bad_blob)
{
	struct seen s = {0};
	vgn_renderer *r = fake_renderer(&s, "badblob", 500);
	new_context(r, 1);
	struct vgn_blob_params bp;
	memset(&bp, 0, sizeof(bp));
	bp.size = VGN_BLOB_PARAMS_SIZE_V1;
	bp.ctx_id = 1;
	bp.blob_mem = VGN_BLOB_MEM_HOST3D;
	bp.blob_flags = VGN_BLOB_FLAG_MAPPABLE;
	bp.blob_id = 42;
	bp.blob_size = 4096;
	ck_assert_int_eq(vgn_resource_create_blob(r, 5, &bp), -EPROTO);
	vgn_renderer_destroy(r);
	assert_no_children();
}
END_TEST

/* Guest blobs: the fd travels with the params and is checked against the blob. */
START_TEST(guest_blob_fd)
{
	int fds = count_fds();
	struct seen s = {0};
	vgn_renderer *r = worker_renderer(&s, VGN_TEST_WORKER, 0);
	new_context(r, 1);
	int mfd = memfd_create("guest", MFD_CLOEXEC);
	ck_assert_int_ge(mfd, 0);
	ck_assert_int_eq(ftruncate(mfd, 3 * 4096), 0);
	uint8_t *pages = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	ck_assert_ptr_ne(pages, MAP_FAILED);
	struct iovec iov = {.iov_base = pages + 4096, .iov_len = 2 * 4096};
	struct vgn_blob_params bp;
	memset(&bp, 0, sizeof(bp));
	bp.size = VGN_BLOB_PARAMS_SIZE_V3;
	bp.ctx_id = 1;
	bp.blob_mem = VGN_BLOB_MEM_GUEST;
	bp.blob_flags = VGN_BLOB_FLAG_MAPPABLE;
	bp.blob_size = 2 * 4096;
	bp.iov = &iov;
	bp.num_iovs = 1;
	bp.param_flags = VGN_BLOB_PARAM_HAS_FD;
	bp.fd = mfd;
	/* Past the end of the fd, offset overflow, a bad fd, unknown flags. */
	bp.fd_offset = 2 * 4096;
	ck_assert_int_eq(vgn_resource_create_blob(r, 7, &bp), -EINVAL);
	bp.fd_offset = UINT64_MAX - 100;
	ck_assert_int_eq(vgn_resource_create_blob(r, 7, &bp), -EINVAL);
	bp.fd_offset = 4096;
	bp.fd = -1;
	ck_assert_int_eq(vgn_resource_create_blob(r, 7, &bp), -EINVAL);
	bp.fd = mfd;
	bp.param_flags = 2;
	ck_assert_int_eq(vgn_resource_create_blob(r, 7, &bp), -EINVAL);
	bp.param_flags = VGN_BLOB_PARAM_HAS_FD;
	/* In range: the worker maps it and attaches it. */
	ck_assert_int_eq(vgn_resource_create_blob(r, 7, &bp), 0);
	/* Without an fd a guest blob cannot reach a worker's context. */
	bp.param_flags = 0;
	ck_assert_int_eq(vgn_resource_create_blob(r, 8, &bp), -ENOTSUP);
	/* ... but is fine without a context. */
	bp.ctx_id = 0;
	ck_assert_int_eq(vgn_resource_create_blob(r, 8, &bp), 0);
	ck_assert_int_eq(vgn_context_attach_resource(r, 1, 8), -ENOTSUP);
	ck_assert_int_eq(vgn_resource_unref(r, 7), 0);
	ck_assert_int_eq(vgn_resource_unref(r, 8), 0);
	ck_assert_uint_eq(s.nfatal, 0);
	vgn_renderer_destroy(r);
	munmap(pages, 3 * 4096);
	close(mfd);
	assert_no_children();
	ck_assert_int_eq(count_fds(), fds);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("worker");
	TCase *tc = tcase_create("worker");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, capset_matches_in_process);
	tcase_add_test(tc, roundtrip_and_fences);
	tcase_add_test(tc, crash_kills_only_its_context);
	tcase_add_test(tc, hang_is_killed_after_timeout);
	tcase_add_test(tc, hooks_need_the_debug_flag);
	tcase_add_test(tc, hostile_worker_garbage);
	tcase_add_test(tc, hostile_worker_bad_fence);
	tcase_add_test(tc, hostile_worker_no_fence);
	tcase_add_test(tc, worker_exit_status);
	tcase_add_test(tc, hostile_worker_bad_blob);
	tcase_add_test(tc, submit_bytes_arrive);
	tcase_add_test(tc, guest_blob_fd);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
