/* SPDX-License-Identifier: MIT */
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proto.h"

extern char **environ;

int vgn_worker_spawn(const char *path, pid_t *pid, int *sock)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	/* dup2 onto the same number would keep CLOEXEC: move the child's end off
	 * the target number first. */
	if (sv[1] == VGN_WORKER_CHANNEL_FD) {
		int moved = fcntl(sv[1], F_DUPFD_CLOEXEC, VGN_WORKER_CHANNEL_FD + 1);
		if (moved < 0) {
			int err = -errno;
			close(sv[0]);
			close(sv[1]);
			return err;
		}
		close(sv[1]);
		sv[1] = moved;
	}

	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int ret = posix_spawn_file_actions_init(&fa);
	if (ret) {
		close(sv[0]);
		close(sv[1]);
		return -ret;
	}
	posix_spawnattr_init(&attr);
	ret = posix_spawn_file_actions_adddup2(&fa, sv[1], VGN_WORKER_CHANNEL_FD);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	/* The VMM's own fds may lack CLOEXEC: the worker gets none of them. */
	if (!ret)
		ret = posix_spawn_file_actions_addclosefrom_np(&fa, VGN_WORKER_CHANNEL_FD + 1);
#endif
	/* The caller's threads may block or catch signals: the worker starts clean. */
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	if (!ret)
		ret = posix_spawnattr_setsigmask(&attr, &none);
	if (!ret)
		ret = posix_spawnattr_setsigdefault(&attr, &all);
	if (!ret)
		ret =
		    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

	char parent[24];
	snprintf(parent, sizeof(parent), "%ld", (long)getpid());
	char *const argv[] = {(char *)path, (char *)"--parent-pid", parent, NULL};
	if (!ret)
		ret = posix_spawn(pid, path, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(sv[1]);
	if (ret) {
		close(sv[0]);
		return -ret;
	}
	*sock = sv[0];
	return 0;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

bool vgn_worker_reap(pid_t pid, unsigned grace_ms, bool kill_now, int *status)
{
	if (kill_now)
		kill(pid, SIGKILL);
	/* A worker that closed its socket is usually exiting: give it a moment to
	 * become reapable before killing it. */
	for (unsigned waited = 0; !kill_now && waited < grace_ms; waited += 5) {
		pid_t got = waitpid(pid, status, WNOHANG);
		if (got == pid)
			return true;
		if (got < 0 && errno != EINTR)
			return false;
		sleep_ms(5);
	}
	kill(pid, SIGKILL);
	for (;;) {
		pid_t got = waitpid(pid, status, 0);
		if (got == pid)
			return true;
		if (got < 0 && errno != EINTR)
			return false;
	}
}
