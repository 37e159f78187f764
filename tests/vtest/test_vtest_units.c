/* SPDX-License-Identifier: MIT */
/*
 * vtest-units: unit tests of the server's own bookkeeping, compiled from the
 * server's sources (vtest/idmap.c, vtest/sync.c, vtest/log.c):
 *  - the id map against a reference model (random operations, smallest-free ids);
 *  - SUBMIT_CMD2 sync signalling (FIFO per timeline) and SYNC_WAIT tracking with
 *    real eventfds, which the wire test cannot reach without a Venus backend.
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "conn.h"
#include "idmap.h"
#include "vtest_protocol.h"

/* ---- id map ---- */

START_TEST(test_idmap_model)
{
	enum { N = 300, OPS = 20000 };
	static void *model[N + 1];
	struct vtest_idmap m;
	uint32_t seed = 12345, i, op, count = 0;

	memset(model, 0, sizeof(model));
	vtest_idmap_init(&m, N);
	ck_assert_int_eq(vtest_idmap_insert(&m, 0, &m), -EINVAL);
	for (op = 0; op < OPS; op++) {
		uint32_t key, want_free;
		seed = seed * 1103515245u + 12345u;
		key = 1 + (seed >> 8) % N;
		if ((seed >> 4) & 1) {
			int ret = vtest_idmap_insert(&m, key, &model[key]);
			ck_assert_int_eq(ret, model[key] ? -EEXIST : 0);
			if (!ret) {
				model[key] = &model[key];
				count++;
			}
		} else {
			void *v = vtest_idmap_remove(&m, key);
			ck_assert_ptr_eq(v, model[key]);
			if (v) {
				model[key] = NULL;
				count--;
			}
		}
		ck_assert_uint_eq(m.count, count);
		for (want_free = 1; want_free <= N && model[want_free]; want_free++)
			;
		ck_assert_uint_eq(vtest_idmap_smallest_free(&m), want_free > N ? 0 : want_free);
		if (op % 97 == 0) {
			for (i = 1; i <= N; i++)
				ck_assert_ptr_eq(vtest_idmap_get(&m, i), model[i]);
		}
	}
	vtest_idmap_fini(&m);
}
END_TEST

START_TEST(test_idmap_limit_and_big_keys)
{
	struct vtest_idmap m;
	int x;

	vtest_idmap_init(&m, 3);
	ck_assert_int_eq(vtest_idmap_insert(&m, UINT32_MAX, &x), 0);
	ck_assert_int_eq(vtest_idmap_insert(&m, 0x80000000u, &x), 0);
	ck_assert_uint_eq(vtest_idmap_smallest_free(&m), 1);
	ck_assert_int_eq(vtest_idmap_insert(&m, 1, &x), 0);
	ck_assert_int_eq(vtest_idmap_insert(&m, 2, &x), -ENOSPC);
	ck_assert_uint_eq(vtest_idmap_smallest_free(&m), 0); /* full */
	ck_assert_ptr_eq(vtest_idmap_remove(&m, 1), &x);
	ck_assert_uint_eq(vtest_idmap_smallest_free(&m), 1);
	ck_assert_ptr_eq(vtest_idmap_get(&m, UINT32_MAX), &x);
	vtest_idmap_fini(&m);
}
END_TEST

/* ---- syncs ---- */

static struct vtest_conn *new_conn(void)
{
	struct vtest_conn *c = calloc(1, sizeof(*c));
	ck_assert_ptr_nonnull(c);
	c->log.max_level = VGN_LOG_ERROR;
	c->fd = -1;
	c->poll_fd = -1;
	vtest_idmap_init(&c->syncs, VTEST_MAX_SYNCS);
	return c;
}

static void free_conn(struct vtest_conn *c)
{
	vtest_sync_fini(c);
	ck_assert_uint_eq(c->num_waits, 0);
	ck_assert_uint_eq(c->num_signals, 0);
	ck_assert_uint_eq(c->num_signal_refs, 0);
	free(c);
}

static struct vtest_sync *new_sync(struct vtest_conn *c, uint64_t value)
{
	struct vtest_sync *s = calloc(1, sizeof(*s));
	ck_assert_ptr_nonnull(s);
	s->id = vtest_idmap_smallest_free(&c->syncs);
	s->refs = 1;
	s->value = value;
	ck_assert_int_eq(vtest_idmap_insert(&c->syncs, s->id, s), 0);
	return s;
}

static bool readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

START_TEST(test_signals_fifo_per_timeline)
{
	struct vtest_conn *c = new_conn();
	struct vtest_sync *a = new_sync(c, 0), *b = new_sync(c, 100);
	struct vtest_sync_ref r;

	r.sync = a;
	r.value = 1;
	ck_assert_int_eq(vtest_sync_add_signal(c, 1, 5, &r, 1), 0);
	r.value = 2;
	ck_assert_int_eq(vtest_sync_add_signal(c, 1, 7, &r, 1), 0);
	r.sync = b;
	r.value = 9; /* lower than the current value: just overwrites */
	ck_assert_int_eq(vtest_sync_add_signal(c, 2, 6, &r, 1), 0);
	ck_assert_uint_eq(c->num_signals, 3);

	/* Another timeline retiring changes nothing on this one. */
	vtest_sync_timeline_retired(c, 3, 100);
	ck_assert_uint_eq(a->value, 0);
	vtest_sync_timeline_retired(c, 1, 6);
	ck_assert_uint_eq(a->value, 1);
	ck_assert_uint_eq(b->value, 100);
	vtest_sync_timeline_retired(c, 1, 7);
	ck_assert_uint_eq(a->value, 2);
	vtest_sync_timeline_retired(c, 2, 6);
	ck_assert_uint_eq(b->value, 9);
	ck_assert_uint_eq(c->num_signals, 0);
	ck_assert_ptr_null(c->signals_head);
	ck_assert_ptr_null(c->signals_tail);
	free_conn(c);
}
END_TEST

START_TEST(test_signal_outlives_unref)
{
	struct vtest_conn *c = new_conn();
	struct vtest_sync *a = new_sync(c, 0);
	struct vtest_sync_ref r = {a, 4};
	uint32_t id = a->id;

	ck_assert_int_eq(vtest_sync_add_signal(c, 1, 1, &r, 1), 0);
	/* The client drops the sync while the submission is pending. */
	ck_assert_ptr_eq(vtest_idmap_remove(&c->syncs, id), a);
	a->id = 0;
	vtest_sync_unref(a);
	ck_assert_ptr_null(vtest_sync_get(c, id));
	vtest_sync_timeline_retired(c, 1, 1); /* no use after free (ASan) */
	ck_assert_uint_eq(c->num_signals, 0);
	free_conn(c);
}
END_TEST

START_TEST(test_already_retired_signal_applies_at_once)
{
	struct vtest_conn *c = new_conn();
	struct vtest_sync *a = new_sync(c, 0);
	struct vtest_sync_ref r = {a, 8};

	c->retired[4] = 10;
	ck_assert_int_eq(vtest_sync_add_signal(c, 4, 9, &r, 1), 0);
	ck_assert_uint_eq(a->value, 8);
	ck_assert_uint_eq(c->num_signals, 0);
	free_conn(c);
}
END_TEST

START_TEST(test_waits_all_any_and_signal)
{
	struct vtest_conn *c = new_conn();
	struct vtest_sync *a = new_sync(c, 0), *b = new_sync(c, 0);
	struct vtest_sync_ref refs[2] = {{a, 3}, {b, 5}};
	int all = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int any = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int all_peer = dup(all), any_peer = dup(any); /* what the client holds */
	struct vtest_sync_ref sig = {b, 5};

	ck_assert_int_eq(vtest_sync_add_wait(c, all, false, UINT32_MAX, refs, 2), 0);
	ck_assert_int_eq(vtest_sync_add_wait(c, any, true, UINT32_MAX, refs, 2), 0);
	ck_assert_int_eq(vtest_sync_next_timeout(c), -1);
	ck_assert_uint_eq(c->num_waits, 2);

	vtest_sync_set(c, a, 2);
	ck_assert(!readable(all_peer) && !readable(any_peer));
	vtest_sync_set(c, a, 3);
	ck_assert(readable(any_peer));
	ck_assert(!readable(all_peer));
	ck_assert_uint_eq(c->num_waits, 1);

	/* A retiring SUBMIT_CMD2 batch completes the other wait. */
	ck_assert_int_eq(vtest_sync_add_signal(c, 1, 2, &sig, 1), 0);
	ck_assert(!readable(all_peer));
	vtest_sync_timeline_retired(c, 1, 2);
	ck_assert(readable(all_peer));
	ck_assert_uint_eq(c->num_waits, 0);
	close(all_peer);
	close(any_peer);
	free_conn(c);
}
END_TEST

START_TEST(test_wait_expires)
{
	struct vtest_conn *c = new_conn();
	struct vtest_sync *a = new_sync(c, 0);
	struct vtest_sync_ref r = {a, 1};
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int t;

	ck_assert_int_eq(vtest_sync_add_wait(c, efd, false, 0, &r, 1), 0);
	t = vtest_sync_next_timeout(c);
	ck_assert_int_ge(t, 0);
	ck_assert_int_le(t, (int)VTEST_WAIT_GRACE_MS);
	vtest_sync_expire(c);
	ck_assert_uint_eq(c->num_waits, 1); /* the grace period is not over */
	usleep((useconds_t)(t + 20) * 1000);
	vtest_sync_expire(c);
	ck_assert_uint_eq(c->num_waits, 0);
	ck_assert_int_eq(vtest_sync_next_timeout(c), -1);
	free_conn(c);
}
END_TEST

START_TEST(test_limits)
{
	struct vtest_conn *c = new_conn();
	struct vtest_sync *a = new_sync(c, 0);
	struct vtest_sync_ref r = {a, 1};
	uint32_t i;

	/* fd -1: the descriptors are not the point here (and 4096 of them could
	 * exceed RLIMIT_NOFILE); writing and closing -1 fail harmlessly. */
	for (i = 0; i < VTEST_MAX_PENDING_WAITS; i++)
		ck_assert_int_eq(vtest_sync_add_wait(c, -1, false, UINT32_MAX, &r, 1), 0);
	ck_assert_int_eq(vtest_sync_add_wait(c, -1, false, UINT32_MAX, &r, 1), -ENOSPC);
	/* One write completes every wait. */
	vtest_sync_set(c, a, 1);
	ck_assert_uint_eq(c->num_waits, 0);
	free_conn(c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vtest-units");
	TCase *tc = tcase_create("units");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_idmap_model);
	tcase_add_test(tc, test_idmap_limit_and_big_keys);
	tcase_add_test(tc, test_signals_fifo_per_timeline);
	tcase_add_test(tc, test_signal_outlives_unref);
	tcase_add_test(tc, test_already_retired_signal_applies_at_once);
	tcase_add_test(tc, test_waits_all_any_and_signal);
	tcase_add_test(tc, test_wait_expires);
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
