/* SPDX-License-Identifier: MIT */
/*
 * fuzz_tgsi: vrend's shader translator on guest shader text, as
 * CREATE_OBJECT(SHADER) delivers it: TGSI text -> tgsi_parse_text() -> IR ->
 * glsl_emit() -> GLSL text (no GL needed).
 *
 * Input: byte 0 = emit options (bits 0-2 GLSL version 0/330/400/420/430/440/450/
 * 460, bit 3 tight parser limits, bit 4 winsys_adjust_y, bit 5 flatshade, bit 6
 * two_sided_color, bit 7 loops bounded to 16 iterations), byte 1 = user clip
 * plane mask, then the text, copied into an exactly sized buffer without a NUL
 * (the parser must stop at len).
 *
 * Invariants: a parsed shader dumps to text that parses again and dumps to the
 * same text (the IR and the dumper agree); a successful emit returns a
 * NUL-terminated string of the length it reports; a failure leaves *out NULL.
 */
#include <errno.h>

#include "fuzz.h"
#include "glsl_emit.h"
#include "tgsi_ir.h"

static const uint32_t versions[8] = {0, 330, 400, 420, 430, 440, 450, 460};

static void emit(const struct tgsi_shader *sh, uint8_t opt, uint8_t clip)
{
	struct glsl_emit_options o;
	char err[256], *glsl = NULL;
	size_t len = 0;
	int ret;

	glsl_emit_options_default(&o);
	o.glsl_version = versions[opt & 7];
	o.winsys_adjust_y = opt & 16;
	o.flatshade = opt & 32;
	o.two_sided_color = opt & 64;
	o.max_loop_iterations = opt & 128 ? 16 : 0;
	o.clip_plane_mask = clip;
	ret = glsl_emit(sh, &o, &glsl, &len, err, sizeof(err));
	if (ret) {
		FUZZ_CHECK(ret < 0 && !glsl);
		return;
	}
	FUZZ_CHECK(glsl && strlen(glsl) == len);
	free(glsl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tgsi_shader *sh = NULL, *again = NULL;
	struct tgsi_limits limits;
	char err[256], *text, *dump = NULL, *dump2 = NULL;
	uint8_t opt, clip;
	int n, n2;

	if (size < 2)
		return 0;
	opt = data[0];
	clip = data[1];
	size -= 2;
	text = malloc(size ? size : 1);
	FUZZ_CHECK(text);
	memcpy(text, data + 2, size);
	tgsi_limits_default(&limits);
	if (opt & 8) {
		limits.max_instructions = 64;
		limits.max_declarations = 16;
		limits.max_immediates = 8;
		limits.max_nesting = 4;
		limits.max_register_index = 64;
	}
	if (tgsi_parse_text(text, size, &limits, &sh, err, sizeof(err))) {
		FUZZ_CHECK(!sh);
		free(text);
		return 0;
	}
	free(text);
	FUZZ_CHECK(sh);

	n = tgsi_shader_dump(sh, &dump);
	if (n >= 0) {
		FUZZ_CHECK(dump && strlen(dump) == (size_t)n);
		FUZZ_CHECK(tgsi_parse_text(dump, (size_t)n, NULL, &again, err, sizeof(err)) == 0);
		n2 = tgsi_shader_dump(again, &dump2);
		FUZZ_CHECK(n2 == n && !memcmp(dump, dump2, (size_t)n));
		free(dump2);
		tgsi_shader_destroy(again);
		free(dump);
	}
	emit(sh, opt, clip);
	tgsi_shader_destroy(sh);
	return 0;
}
