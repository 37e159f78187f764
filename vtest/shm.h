/* SPDX-License-Identifier: MIT */
/* Shared memory handed to clients: a memfd, mapped in the server as well. */
#ifndef VTEST_SHM_H
#define VTEST_SHM_H

#include <stdint.h>

struct vtest_shm {
	int fd;    /* -1 once closed; the mapping stays */
	void *ptr; /* MAP_SHARED read/write view, NULL if none */
	uint64_t size;
};

/* Creates a zero-filled memfd of size bytes (1 .. VTEST_MAX_SHM_BYTES) and maps
 * it. name is a debug label. 0 or -errno; on failure *shm is left empty. */
int vtest_shm_create(struct vtest_shm *shm, const char *name, uint64_t size);
/* Closes the server's fd (the mapping stays). */
void vtest_shm_close_fd(struct vtest_shm *shm);
/* Unmaps and closes everything; safe on an empty or already destroyed shm. */
void vtest_shm_destroy(struct vtest_shm *shm);

#endif /* VTEST_SHM_H */
