/* SPDX-License-Identifier: MIT */
#include "strset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define STRSET_MAX_CAP (1u << 20)

static uint32_t hash_str(const char *str, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)str[i];
		h *= 16777619u;
	}
	return h;
}

/* Slot holding str (len bytes) or the empty slot where it would go. */
static uint32_t find_slot(char *const *slots, uint32_t cap, const char *str, size_t len)
{
	uint32_t i = hash_str(str, len) & (cap - 1);

	while (slots[i] && (strncmp(slots[i], str, len) != 0 || slots[i][len] != '\0'))
		i = (i + 1) & (cap - 1);
	return i;
}

static int grow(struct vrend_strset *s)
{
	uint32_t new_cap = s->cap ? s->cap * 2 : 64;
	char **slots;

	if (new_cap > STRSET_MAX_CAP)
		return -ENOMEM;
	slots = calloc(new_cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (uint32_t i = 0; i < s->cap; i++) {
		if (s->slots[i])
			slots[find_slot(slots, new_cap, s->slots[i], strlen(s->slots[i]))] =
			    s->slots[i];
	}
	free(s->slots);
	s->slots = slots;
	s->cap = new_cap;
	return 0;
}

static int add_n(struct vrend_strset *s, const char *str, size_t len)
{
	uint32_t i;
	char *copy;

	/* Keep the load factor at or below one half so probes stay short. */
	if ((s->count + 1) * 2 > s->cap) {
		int ret = grow(s);
		if (ret)
			return ret;
	}
	i = find_slot(s->slots, s->cap, str, len);
	if (s->slots[i])
		return 0;
	copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, str, len);
	copy[len] = '\0';
	s->slots[i] = copy;
	s->count++;
	return 0;
}

int vrend_strset_add(struct vrend_strset *s, const char *str)
{
	return add_n(s, str, strlen(str));
}

int vrend_strset_add_list(struct vrend_strset *s, const char *list)
{
	const char *p = list;

	while (p && *p) {
		size_t len;
		int ret;

		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (len) {
			ret = add_n(s, p, len);
			if (ret)
				return ret;
		}
		p += len;
	}
	return 0;
}

bool vrend_strset_contains(const struct vrend_strset *s, const char *str)
{
	if (!s->cap || !str)
		return false;
	return s->slots[find_slot(s->slots, s->cap, str, strlen(str))] != NULL;
}

void vrend_strset_fini(struct vrend_strset *s)
{
	for (uint32_t i = 0; i < s->cap; i++)
		free(s->slots[i]);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}
