/* SPDX-License-Identifier: MIT */
#include "shm.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vtest_protocol.h"

int vtest_shm_create(struct vtest_shm *shm, const char *name, uint64_t size)
{
	int fd, ret;
	void *ptr;

	shm->fd = -1;
	shm->ptr = NULL;
	shm->size = 0;
	if (!size || size > VTEST_MAX_SHM_BYTES || size > (uint64_t)SIZE_MAX ||
	    size > (uint64_t)INT64_MAX)
		return -EINVAL;
	fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	/* The client cannot shrink it under our mapping (no SIGBUS on our side). */
	(void)fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL);
	ptr = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ptr == MAP_FAILED) {
		ret = -errno;
		close(fd);
		return ret;
	}
	shm->fd = fd;
	shm->ptr = ptr;
	shm->size = size;
	return 0;
}

void vtest_shm_close_fd(struct vtest_shm *shm)
{
	if (shm->fd >= 0)
		close(shm->fd);
	shm->fd = -1;
}

void vtest_shm_destroy(struct vtest_shm *shm)
{
	vtest_shm_close_fd(shm);
	if (shm->ptr)
		munmap(shm->ptr, (size_t)shm->size);
	shm->ptr = NULL;
	shm->size = 0;
}
