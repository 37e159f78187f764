/* SPDX-License-Identifier: MIT */
/* Handing a file descriptor to the client (spec §2.4). */
#ifndef VTEST_FDPASS_H
#define VTEST_FDPASS_H

/* Sends fd with its own sendmsg(): one data byte plus one SCM_RIGHTS int. The
 * caller keeps its copy of fd. 0 or -errno. */
int vtest_send_fd(int sock, int fd);

#endif /* VTEST_FDPASS_H */
