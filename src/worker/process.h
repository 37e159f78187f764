/* SPDX-License-Identifier: MIT */
/* Starting and reaping worker processes (parent side). */
#ifndef VGN_WORKER_PROCESS_H
#define VGN_WORKER_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

/* Starts `path` as a fresh process (posix_spawn: a new exec'd image, never a bare
 * fork of this multithreaded process) with the default signal mask and
 * dispositions, fds 0-2 inherited, the child's end of a new SOCK_SEQPACKET pair
 * as fd VGN_WORKER_CHANNEL_FD and no other fd. *sock: the parent's end
 * (CLOEXEC). 0 or a negative errno. */
int vgn_worker_spawn(const char *path, pid_t *pid, int *sock);

/* Waits for pid to end: up to grace_ms for it to exit on its own, then SIGKILL
 * (kill_now: at once). *status as waitpid gives it; false if it could not be
 * reaped (someone else did, *status unknown). */
bool vgn_worker_reap(pid_t pid, unsigned grace_ms, bool kill_now, int *status);

#endif
