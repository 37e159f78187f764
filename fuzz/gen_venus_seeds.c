/* SPDX-License-Identifier: MIT */
/*
 * Writes Venus seeds for fuzz_venus_decode: for every command the generated
 * decoders know, one request with random arguments that obey the length rules,
 * encoded by the generated driver-side encoders (the test-only half of
 * vkr_proto, as a guest driver would encode it). Requests larger than
 * MAX_SEED bytes are skipped (small seeds mutate faster).
 *
 * Usage: gen_venus_seeds OUTDIR [DICT]: with DICT, also writes a libFuzzer
 * dictionary of every command header ({type, flags} as two little-endian u32).
 * Built on demand: ninja -C build-fuzz fuzz/gen_venus_seeds
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vkr_proto_driver.h"
#include "vkr_test_support.h"

#define MAX_SEED 2048
#define ARENA_CAP ((size_t)64 << 20)

/* Option byte of fuzz_venus_decode: odd types take the decode + encode path with
 * a 256-byte reply region, even ones vkr_proto_dispatch with a 64 KiB one. */
static uint8_t option_for(uint32_t type)
{
	return type & 1 ? 0x12 : 0x03;
}

static int write_dict(const char *path)
{
	FILE *f = fopen(path, "w");
	uint32_t type, flags;

	if (!f)
		return -1;
	fprintf(f, "# Venus command headers {type, flags}: written by fuzz/gen_venus_seeds\n");
	for (type = 0; type < VKR_CMD_COUNT; type++) {
		const struct vkr_proto_command *cmd = vkr_proto_command(type);
		if (!cmd)
			continue;
		for (flags = 0; flags < 2; flags++)
			fprintf(f, "%s_%u=\"\\x%02x\\x%02x\\x00\\x00\\x%02x\\x00\\x00\\x00\"\n",
			        cmd->name, flags, type & 0xff, type >> 8, flags);
	}
	return fclose(f);
}

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	unsigned written = 0, skipped = 0;
	struct vkr_arena arena;
	uint32_t type;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: %s OUTDIR [DICT]\n", argv[0]);
		return 2;
	}
	if (argc == 3 && write_dict(argv[2])) {
		fprintf(stderr, "cannot write %s\n", argv[2]);
		return 1;
	}
	vkr_arena_init(&arena, ARENA_CAP);
	for (type = 0; type < VKR_CMD_COUNT; type++) {
		const struct vkr_proto_command *cmd = vkr_proto_command(type);
		const struct vkr_proto_driver_command *drv = vkr_proto_driver_command(type);
		union vkr_proto_args args;
		struct vkr_cs_encoder enc;
		struct vkr_fill fill;
		char path[4096];
		FILE *f;
		size_t size;

		if (!cmd || !drv)
			continue;
		memset(&args, 0, sizeof(args));
		vkr_fill_init(&fill, &arena, 0x5eed0000u + type);
		fill.alien_chance = 0;
		drv->fill(&fill, &args);
		buf[0] = option_for(type);
		vkr_cs_encoder_init(&enc, buf + 1, sizeof(buf) - 1);
		if (drv->encode(&enc, type & 2 ? VKR_COMMAND_GENERATE_REPLY_BIT : 0, &args)) {
			skipped++;
			vkr_arena_reset(&arena);
			continue;
		}
		size = 1 + (size_t)(enc.cur - (buf + 1));
		vkr_arena_reset(&arena);
		if (size > MAX_SEED) {
			skipped++;
			continue;
		}
		snprintf(path, sizeof(path), "%s/seed-%03u-%s", argv[1], type, cmd->name);
		f = fopen(path, "wb");
		if (!f || fwrite(buf, 1, size, f) != size) {
			fprintf(stderr, "cannot write %s\n", path);
			return 1;
		}
		fclose(f);
		written++;
	}
	vkr_arena_fini(&arena);
	printf("%u seeds written, %u skipped (too large)\n", written, skipped);
	return 0;
}
