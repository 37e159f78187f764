/* SPDX-License-Identifier: MIT */
/*
 * A main() for the harnesses without libFuzzer: runs LLVMFuzzerTestOneInput once
 * per file named on the command line (directories: every regular file in them,
 * sorted by name). tests/fuzz-regress builds every harness with it, so crash
 * inputs and seed corpora replay in the normal test suite with any compiler.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define REPLAY_MAX_INPUT (64u << 20)

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long size;
	size_t n;

	if (!f) {
		fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || size > (long)REPLAY_MAX_INPUT ||
	    fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "replay: cannot size %s\n", path);
		fclose(f);
		return -1;
	}
	/* Exactly the input's size, so a sanitizer sees reads past its end. */
	buf = malloc(size ? (size_t)size : 1);
	if (!buf) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, (size_t)size, f);
	fclose(f);
	if (n != (size_t)size) {
		fprintf(stderr, "replay: short read on %s\n", path);
		free(buf);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, unsigned *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t num = 0, cap = 0, i;
	int ret = 0;

	if (!d) {
		fprintf(stderr, "replay: cannot open %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (num == cap) {
			char **grown;
			cap = cap ? cap * 2 : 64;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown) {
				ret = -1;
				break;
			}
			names = grown;
		}
		names[num] = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (!names[num]) {
			ret = -1;
			break;
		}
		sprintf(names[num], "%s/%s", dir, e->d_name);
		num++;
	}
	closedir(d);
	if (num)
		qsort(names, num, sizeof(*names), cmp_names);
	for (i = 0; i < num; i++) {
		struct stat st;
		if (!ret && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(names[i]))
				ret = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int i, ret = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc && !ret; i++) {
		struct stat st;
		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			ret = -1;
		} else if (S_ISDIR(st.st_mode)) {
			ret = run_dir(argv[i], &count);
		} else {
			ret = run_file(argv[i]);
			count += !ret;
		}
	}
	printf("replayed %u inputs\n", count);
	return ret ? 1 : 0;
}
