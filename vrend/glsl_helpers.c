/* SPDX-License-Identifier: MIT */
/*
 * GLSL helper functions the opcode templates call. They give TGSI's defined
 * results where GLSL leaves things undefined: division by zero, INT_MIN / -1,
 * signed remainders, bitfield widths of 0 or past 32 bits. Only unsigned
 * arithmetic is used where signed overflow could occur.
 */
#include <string.h>

#include "glsl_emit_internal.h"

struct glsl_helper {
	const char *name; /* as called: "vn_sel(" */
	uint16_t glsl;
	const char *text;
};

static const struct glsl_helper helpers[] = {
    {"vn_b2u(", 330,
     "uvec4 vn_b2u(bvec4 b)\n"
     "{\n"
     "\treturn uvec4(b) * 0xffffffffu;\n"
     "}\n"},
    {"vn_sel(", 330,
     "uvec4 vn_sel(bvec4 c, uvec4 a, uvec4 b)\n"
     "{\n"
     "\treturn uvec4(c.x ? a.x : b.x, c.y ? a.y : b.y, c.z ? a.z : b.z, c.w ? a.w : b.w);\n"
     "}\n"},
    {"vn_sel(", 330,
     "vec4 vn_sel(bvec4 c, vec4 a, vec4 b)\n"
     "{\n"
     "\treturn mix(b, a, c);\n"
     "}\n"},
    {"vn_udiv(", 330,
     "uvec4 vn_udiv(uvec4 a, uvec4 b)\n"
     "{\n"
     "\tbvec4 z = equal(b, uvec4(0u));\n"
     "\treturn vn_sel(z, uvec4(0xffffffffu), a / vn_sel(z, uvec4(1u), b));\n"
     "}\n"},
    {"vn_umod(", 330,
     "uvec4 vn_umod(uvec4 a, uvec4 b)\n"
     "{\n"
     "\tbvec4 z = equal(b, uvec4(0u));\n"
     "\treturn vn_sel(z, uvec4(0xffffffffu), a % vn_sel(z, uvec4(1u), b));\n"
     "}\n"},
    /* |x| of a signed value as an unsigned magnitude, without overflow */
    {"vn_mag(", 330,
     "uint vn_mag(int x)\n"
     "{\n"
     "\treturn x < 0 ? ~uint(x) + 1u : uint(x);\n"
     "}\n"},
    {"vn_idiv(", 330,
     "ivec4 vn_idiv(ivec4 a, ivec4 b)\n"
     "{\n"
     "\tivec4 r;\n"
     "\tfor (int i = 0; i < 4; i++) {\n"
     "\t\tif (b[i] == 0) {\n"
     "\t\t\tr[i] = -1;\n"
     "\t\t} else {\n"
     "\t\t\tuint q = vn_mag(a[i]) / vn_mag(b[i]);\n"
     "\t\t\tr[i] = int((a[i] < 0) != (b[i] < 0) ? ~q + 1u : q);\n"
     "\t\t}\n"
     "\t}\n"
     "\treturn r;\n"
     "}\n"},
    {"vn_imod(", 330,
     "ivec4 vn_imod(ivec4 a, ivec4 b)\n"
     "{\n"
     "\tivec4 r;\n"
     "\tfor (int i = 0; i < 4; i++) {\n"
     "\t\tif (b[i] == 0) {\n"
     "\t\t\tr[i] = -1;\n"
     "\t\t} else {\n"
     "\t\t\tuint m = vn_mag(a[i]) % vn_mag(b[i]);\n"
     "\t\t\tr[i] = int(a[i] < 0 ? ~m + 1u : m);\n"
     "\t\t}\n"
     "\t}\n"
     "\treturn r;\n"
     "}\n"},
    {"vn_umul_hi(", 400,
     "uvec4 vn_umul_hi(uvec4 a, uvec4 b)\n"
     "{\n"
     "\tuvec4 hi, lo;\n"
     "\tumulExtended(a, b, hi, lo);\n"
     "\treturn hi;\n"
     "}\n"},
    {"vn_imul_hi(", 400,
     "ivec4 vn_imul_hi(ivec4 a, ivec4 b)\n"
     "{\n"
     "\tivec4 hi, lo;\n"
     "\timulExtended(a, b, hi, lo);\n"
     "\treturn hi;\n"
     "}\n"},
    /* TGSI/D3D semantics: width and offset use 5 bits; width 0 gives 0; a field
     * reaching past bit 31 is the value shifted right by the offset */
    {"vn_ibfe(", 400,
     "ivec4 vn_ibfe(ivec4 v, uvec4 o, uvec4 n)\n"
     "{\n"
     "\tivec4 r;\n"
     "\tfor (int i = 0; i < 4; i++) {\n"
     "\t\tint off = int(o[i] & 31u), bits = int(n[i] & 31u);\n"
     "\t\tif (bits == 0)\n"
     "\t\t\tr[i] = 0;\n"
     "\t\telse if (bits + off < 32)\n"
     "\t\t\tr[i] = bitfieldExtract(v[i], off, bits);\n"
     "\t\telse\n"
     "\t\t\tr[i] = v[i] >> off;\n"
     "\t}\n"
     "\treturn r;\n"
     "}\n"},
    {"vn_ubfe(", 400,
     "uvec4 vn_ubfe(uvec4 v, uvec4 o, uvec4 n)\n"
     "{\n"
     "\tuvec4 r;\n"
     "\tfor (int i = 0; i < 4; i++) {\n"
     "\t\tint off = int(o[i] & 31u), bits = int(n[i] & 31u);\n"
     "\t\tif (bits == 0)\n"
     "\t\t\tr[i] = 0u;\n"
     "\t\telse if (bits + off < 32)\n"
     "\t\t\tr[i] = bitfieldExtract(v[i], off, bits);\n"
     "\t\telse\n"
     "\t\t\tr[i] = v[i] >> off;\n"
     "\t}\n"
     "\treturn r;\n"
     "}\n"},
    {"vn_bfi(", 400,
     "uvec4 vn_bfi(uvec4 base, uvec4 ins, uvec4 o, uvec4 n)\n"
     "{\n"
     "\tuvec4 r;\n"
     "\tfor (int i = 0; i < 4; i++) {\n"
     "\t\tint off = int(o[i] & 31u), bits = int(n[i] & 31u);\n"
     "\t\tif (bits == 0)\n"
     "\t\t\tr[i] = base[i];\n"
     "\t\telse if (bits + off < 32)\n"
     "\t\t\tr[i] = bitfieldInsert(base[i], ins[i], off, bits);\n"
     "\t\telse\n"
     "\t\t\tr[i] = (base[i] & ~(0xffffffffu << off)) | (ins[i] << off);\n"
     "\t}\n"
     "\treturn r;\n"
     "}\n"},
};

/* Appends the helpers that text (or a helper already chosen) calls, each
 * after the ones it calls. */
void glsl_emit_helpers(struct glsl_ctx *c, struct glsl_buf *out, const char *text)
{
	enum { N = sizeof(helpers) / sizeof(helpers[0]) };
	bool used[N] = {false};

	/* callers come after callees in the table: scan it backwards */
	for (size_t i = N; i-- > 0;) {
		bool call = text && strstr(text, helpers[i].name);

		for (size_t j = i + 1; j < N && !call; j++)
			call = used[j] && strstr(helpers[j].text, helpers[i].name);
		used[i] = call && helpers[i].glsl <= c->version;
	}
	for (size_t i = 0; i < N; i++) {
		if (used[i]) {
			glsl_buf_append(out, helpers[i].text);
			glsl_buf_append(out, "\n");
		}
	}
}
