/* SPDX-License-Identifier: MIT */
/* Packets with at most one fd over the worker socket (both sides use it). */
#ifndef VGN_WORKER_CHANNEL_H
#define VGN_WORKER_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Sends one packet (and fd unless it is -1; the fd stays the caller's). Never
 * raises SIGPIPE. nonblock: -EAGAIN instead of waiting for buffer room.
 * 0 or a negative errno. */
int vgn_wchan_send(int sock, const void *msg, size_t len, int fd, bool nonblock);

/* Receives one packet into buf (cap bytes). Returns its length, 0 at EOF, or a
 * negative errno: -EAGAIN (nonblock, nothing there), -EPROTO (truncated packet,
 * more than one fd, a header whose len is not the packet's length, or a
 * packet shorter than a header). *fd receives an fd that came with it (CLOEXEC,
 * the caller's) or -1; on error nothing is left open. */
ssize_t vgn_wchan_recv(int sock, void *buf, size_t cap, int *fd, bool nonblock);

#endif
