/* SPDX-License-Identifier: MIT */
/* A small open-addressing hash set of strings (GL/EGL extension names). */
#ifndef VREND_STRSET_H
#define VREND_STRSET_H

#include <stdbool.h>
#include <stdint.h>

struct vrend_strset {
	char **slots; /* owned copies; NULL = empty slot */
	uint32_t cap; /* power of two, or 0 before the first add */
	uint32_t count;
};

/* A zeroed struct is an empty set. add copies str; adding a present string is a no-op. */
int vrend_strset_add(struct vrend_strset *s, const char *str);
/* Adds every space-separated word of list (EGL extension strings). */
int vrend_strset_add_list(struct vrend_strset *s, const char *list);
bool vrend_strset_contains(const struct vrend_strset *s, const char *str);
void vrend_strset_fini(struct vrend_strset *s);

#endif /* VREND_STRSET_H */
