/* SPDX-License-Identifier: MIT */
/*
 * Memory instructions of the GLSL emitter: shader storage buffers (byte
 * addresses over a uint array, every access checked against its length),
 * compute shared memory, and images.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "glsl_emit_internal.h"

#define SHARED_DEFAULT_BYTES 32768u

struct image_format {
	const char *pipe; /* without PIPE_FORMAT_ */
	const char *glsl;
	char cls; /* 'F' 'I' 'U' */
};

static const struct image_format image_formats[] = {
    {"R32G32B32A32_FLOAT", "rgba32f", 'F'},
    {"R16G16B16A16_FLOAT", "rgba16f", 'F'},
    {"R32G32_FLOAT", "rg32f", 'F'},
    {"R16G16_FLOAT", "rg16f", 'F'},
    {"R11G11B10_FLOAT", "r11f_g11f_b10f", 'F'},
    {"R32_FLOAT", "r32f", 'F'},
    {"R16_FLOAT", "r16f", 'F'},
    {"R16G16B16A16_UNORM", "rgba16", 'F'},
    {"R10G10B10A2_UNORM", "rgb10_a2", 'F'},
    {"R8G8B8A8_UNORM", "rgba8", 'F'},
    {"R16G16_UNORM", "rg16", 'F'},
    {"R8G8_UNORM", "rg8", 'F'},
    {"R16_UNORM", "r16", 'F'},
    {"R8_UNORM", "r8", 'F'},
    {"R16G16B16A16_SNORM", "rgba16_snorm", 'F'},
    {"R8G8B8A8_SNORM", "rgba8_snorm", 'F'},
    {"R16G16_SNORM", "rg16_snorm", 'F'},
    {"R8G8_SNORM", "rg8_snorm", 'F'},
    {"R16_SNORM", "r16_snorm", 'F'},
    {"R8_SNORM", "r8_snorm", 'F'},
    {"R32G32B32A32_SINT", "rgba32i", 'I'},
    {"R16G16B16A16_SINT", "rgba16i", 'I'},
    {"R8G8B8A8_SINT", "rgba8i", 'I'},
    {"R32G32_SINT", "rg32i", 'I'},
    {"R16G16_SINT", "rg16i", 'I'},
    {"R8G8_SINT", "rg8i", 'I'},
    {"R32_SINT", "r32i", 'I'},
    {"R16_SINT", "r16i", 'I'},
    {"R8_SINT", "r8i", 'I'},
    {"R32G32B32A32_UINT", "rgba32ui", 'U'},
    {"R16G16B16A16_UINT", "rgba16ui", 'U'},
    {"R10G10B10A2_UINT", "rgb10_a2ui", 'U'},
    {"R8G8B8A8_UINT", "rgba8ui", 'U'},
    {"R32G32_UINT", "rg32ui", 'U'},
    {"R16G16_UINT", "rg16ui", 'U'},
    {"R8G8_UINT", "rg8ui", 'U'},
    {"R32_UINT", "r32ui", 'U'},
    {"R16_UINT", "r16ui", 'U'},
    {"R8_UINT", "r8ui", 'U'},
};

struct image_target {
	const char *suffix;
	uint8_t coords;
	bool ms;
};

static const struct image_target image_targets[TGSI_TEXTURE_COUNT] = {
    [TGSI_TEXTURE_BUFFER] = {"Buffer", 1, false},
    [TGSI_TEXTURE_1D] = {"1D", 1, false},
    [TGSI_TEXTURE_2D] = {"2D", 2, false},
    [TGSI_TEXTURE_3D] = {"3D", 3, false},
    [TGSI_TEXTURE_CUBE] = {"Cube", 3, false},
    [TGSI_TEXTURE_RECT] = {"2DRect", 2, false},
    [TGSI_TEXTURE_1D_ARRAY] = {"1DArray", 2, false},
    [TGSI_TEXTURE_2D_ARRAY] = {"2DArray", 3, false},
    [TGSI_TEXTURE_CUBE_ARRAY] = {"CubeArray", 3, false},
    [TGSI_TEXTURE_2D_MSAA] = {"2DMS", 2, true},
    [TGSI_TEXTURE_2D_ARRAY_MSAA] = {"2DMSArray", 3, true},
};

static const struct image_format *find_format(const struct tgsi_shader *sh, uint8_t format)
{
	const char *name = tgsi_shader_format_name(sh, format);

	if (!name)
		return NULL;
	name += strlen("PIPE_FORMAT_");
	for (size_t i = 0; i < sizeof(image_formats) / sizeof(image_formats[0]); i++) {
		if (strcmp(image_formats[i].pipe, name) == 0)
			return &image_formats[i];
	}
	return NULL;
}

static uint32_t shared_words(const struct glsl_ctx *c)
{
	uint32_t bytes = c->opt.shared_mem_bytes ? c->opt.shared_mem_bytes : SHARED_DEFAULT_BYTES;

	return bytes / 4 ? bytes / 4 : 1;
}

static bool declare_image(struct glsl_ctx *c, const struct tgsi_decl *d, uint32_t i)
{
	const struct image_format *f = find_format(c->sh, d->format);
	const struct image_target *t =
	    d->target < TGSI_TEXTURE_COUNT ? &image_targets[d->target] : NULL;
	char cls = f ? f->cls : 'F';

	if (!t || !t->suffix)
		return glsl_fail(c, -ENOTSUP, "image target %s", tgsi_texture_names[d->target]);
	glsl_buf_append(&c->head, "layout(");
	if (f)
		glsl_buf_printf(&c->head, "%s", f->glsl);
	if (c->version >= 420)
		glsl_buf_printf(&c->head, "%sbinding = %u", f ? ", " : "",
		                c->opt.image_binding_base + i);
	if (!f && c->version < 420)
		return glsl_fail(c, -ENOTSUP, "image without a format");
	glsl_buf_printf(&c->head, ") uniform %s%simage%s %simg%u;\n",
	                f ? "" : (d->writable ? "writeonly " : "readonly "),
	                cls == 'I'   ? "i"
	                : cls == 'U' ? "u"
	                             : "",
	                t->suffix, c->p, i);
	return true;
}

bool glsl_declare_memory(struct glsl_ctx *c)
{
	const struct tgsi_shader *sh = c->sh;

	for (uint32_t n = 0; n < sh->num_decls && !c->error; n++) {
		const struct tgsi_decl *d = &sh->decls[n];

		if (d->file != TGSI_FILE_BUFFER && d->file != TGSI_FILE_IMAGE &&
		    d->file != TGSI_FILE_MEMORY && d->file != TGSI_FILE_HW_ATOMIC)
			continue;
		if (c->version < 430)
			return glsl_fail(c, -ENOTSUP, "%s needs GLSL 4.30",
			                 tgsi_file_names[d->file]);
		for (uint32_t i = d->first; i <= d->last && !c->error; i++) {
			switch (d->file) {
			case TGSI_FILE_BUFFER:
				glsl_buf_printf(
				    &c->head,
				    "layout(std430, binding = %u) buffer %s_ssbo%u { uint d[]; } "
				    "%sssbo%u;\n",
				    c->opt.ssbo_binding_base + i, c->p, i, c->p, i);
				break;
			case TGSI_FILE_IMAGE:
				declare_image(c, d, i);
				break;
			case TGSI_FILE_MEMORY:
				/* One shared block, whatever its index (Mesa declares
				 * MEMORY[1] and accesses MEMORY[0]). */
				if (d->mem_type != TGSI_MEMORY_SHARED ||
				    sh->processor != TGSI_PROC_COMPUTE || c->shared_declared)
					return glsl_fail(c, -ENOTSUP, "memory other than shared");
				c->shared_declared = true;
				glsl_buf_printf(&c->head, "shared uint vn_shared[%u];\n",
				                shared_words(c));
				break;
			default:
				return glsl_fail(c, -ENOTSUP, "hardware atomic counters");
			}
		}
	}
	return !c->error;
}

/* The uint array an access goes to and an expression of its length; index:
 * the buffer (an indirect access names each candidate in turn). */
static bool word_array(struct glsl_ctx *c, const struct tgsi_reg *r, int32_t index, char *arr,
                       char *len)
{
	if (r->has_dim || (r->indirect && r->file != TGSI_FILE_BUFFER))
		return glsl_fail(c, -ENOTSUP, "indirect memory resource");
	if (r->file == TGSI_FILE_BUFFER)
		return glsl_fmt(c, arr, "%sssbo%d.d", c->p, index) &&
		       glsl_fmt(c, len, "uint(%sssbo%d.d.length())", c->p, index);
	if (r->file == TGSI_FILE_MEMORY)
		return glsl_fmt(c, arr, "vn_shared") && glsl_fmt(c, len, "%uu", shared_words(c));
	return glsl_fail(c, -ENOTSUP, "memory access to %s", tgsi_file_names[r->file]);
}

static const char *const atomic_fn[TGSI_OP_COUNT] = {
    [TGSI_OP_ATOMUADD] = "atomicAdd",     [TGSI_OP_ATOMXCHG] = "atomicExchange",
    [TGSI_OP_ATOMCAS] = "atomicCompSwap", [TGSI_OP_ATOMAND] = "atomicAnd",
    [TGSI_OP_ATOMOR] = "atomicOr",        [TGSI_OP_ATOMXOR] = "atomicXor",
    [TGSI_OP_ATOMUMIN] = "atomicMin",     [TGSI_OP_ATOMUMAX] = "atomicMax",
    [TGSI_OP_ATOMIMIN] = "atomicMin",     [TGSI_OP_ATOMIMAX] = "atomicMax",
};

static bool emit_words(struct glsl_ctx *c, const struct tgsi_instr *in, int32_t index)
{
	bool store = in->opcode == TGSI_OP_STORE;
	const struct tgsi_reg *res = store ? &in->dst[0].reg : &in->src[0].reg;
	char arr[GLSL_EXPR_MAX], len[GLSL_EXPR_MAX], addr[GLSL_EXPR_MAX], v[GLSL_EXPR_MAX];
	static const char ch[4] = {'x', 'y', 'z', 'w'};

	if (!word_array(c, res, index, arr, len) ||
	    !glsl_src(c, &in->src[store ? 0 : 1], 'U', addr))
		return false;
	glsl_line(c, "{");
	c->indent++;
	glsl_line(c, "uint vn_a = %s.x >> 2u;", addr);
	glsl_line(c, "uint vn_n = %s;", len);
	if (store) {
		if (!glsl_src(c, &in->src[1], 'U', v))
			return false;
		for (unsigned i = 0; i < 4; i++) {
			if (in->dst[0].mask & (1u << i))
				glsl_line(c, "if (vn_a + %uu < vn_n) %s[vn_a + %uu] = %s.%c;", i,
				          arr, i, v, ch[i]);
		}
	} else if (in->opcode == TGSI_OP_LOAD) {
		struct glsl_buf e;
		bool ok;

		glsl_buf_init(&e, 1u << 16);
		glsl_buf_append(&e, "uvec4(");
		for (unsigned i = 0; i < 4; i++)
			glsl_buf_printf(&e, "%svn_a + %uu < vn_n ? %s[vn_a + %uu] : 0u",
			                i ? ", " : "", i, arr, i);
		glsl_buf_append(&e, ")");
		ok = !glsl_buf_error(&e) && glsl_assign(c, in, e.data, 'U');
		if (glsl_buf_error(&e))
			glsl_fail(c, -ENOSPC, "expression too long");
		glsl_buf_fini(&e);
		if (!ok)
			return false;
	} else {
		const char *fn = atomic_fn[in->opcode];
		char v2[GLSL_EXPR_MAX];

		if (!fn || in->opcode == TGSI_OP_ATOMIMIN || in->opcode == TGSI_OP_ATOMIMAX)
			return glsl_fail(c, -ENOTSUP, "%s on a buffer",
			                 tgsi_opcode_infos[in->opcode].name);
		if (!glsl_src(c, &in->src[2], 'U', v))
			return false;
		glsl_line(c, "uint vn_r = 0u;");
		if (in->opcode == TGSI_OP_ATOMCAS) {
			if (!glsl_src(c, &in->src[3], 'U', v2))
				return false;
			glsl_line(c, "if (vn_a < vn_n) vn_r = %s(%s[vn_a], %s.x, %s.x);", fn, arr,
			          v, v2);
		} else {
			glsl_line(c, "if (vn_a < vn_n) vn_r = %s(%s[vn_a], %s.x);", fn, arr, v);
		}
		if (!glsl_assign(c, in, "uvec4(vn_r)", 'U'))
			return false;
	}
	c->indent--;
	glsl_line(c, "}");
	return !c->error;
}

/* BUFFER[ADDR[a].c + k] (an array of blocks in GLSL, indexed dynamically
 * uniformly): the access runs in the case of a switch over the declared
 * buffers; an index naming none accesses nothing. */
static bool emit_words_indirect(struct glsl_ctx *c, const struct tgsi_instr *in,
                                const struct tgsi_reg *res)
{
	static const char ch[4] = {'x', 'y', 'z', 'w'};

	if (res->ind.file != TGSI_FILE_ADDRESS)
		return glsl_fail(c, -EINVAL, "indirect through a non-address register");
	glsl_line(c, "switch (vn_addr[%u].%c + (%d)) {", res->ind.index, ch[res->ind.swizzle & 3],
	          res->index);
	for (uint32_t i = 0; i < c->sh->num_decls && !c->error; i++) {
		const struct tgsi_decl *d = &c->sh->decls[i];

		if (d->file != TGSI_FILE_BUFFER)
			continue;
		for (uint32_t k = d->first; k <= d->last && !c->error; k++) {
			glsl_line(c, "case %u:", k);
			c->indent++;
			emit_words(c, in, (int32_t)k);
			glsl_line(c, "break;");
			c->indent--;
		}
	}
	glsl_line(c, "}");
	return !c->error;
}

static bool emit_image(struct glsl_ctx *c, const struct tgsi_instr *in)
{
	bool store = in->opcode == TGSI_OP_STORE;
	const struct tgsi_reg *res = store ? &in->dst[0].reg : &in->src[0].reg;
	const struct tgsi_decl *d;
	const struct image_format *f;
	const struct image_target *t;
	char img[64], coord[GLSL_EXPR_MAX], args[GLSL_EXPR_MAX], v[GLSL_EXPR_MAX];
	char e[GLSL_EXPR_MAX * 2];
	static const char *const ivec[] = {"", "int", "ivec2", "ivec3"};
	const char *cc;
	char cls, fn[32];

	if (res->indirect || res->decl >= c->sh->num_decls)
		return glsl_fail(c, -ENOTSUP, "indirect image");
	d = &c->sh->decls[res->decl];
	f = find_format(c->sh, d->format);
	t = &image_targets[d->target];
	cls = f ? f->cls : 'F';
	snprintf(img, sizeof(img), "%simg%d", c->p, res->index);
	if (in->opcode == TGSI_OP_RESQ) {
		static const char *const pad[] = {"", ", 0, 0, 0", ", 0, 0", ", 0"};

		if (!glsl_fmt(c, e, "ivec4(imageSize(%s)%s)", img,
		              pad[t->coords == 3 && !t->ms ? 3 : t->coords]))
			return false;
		return glsl_assign(c, in, e, 'I');
	}
	if (!glsl_src(c, &in->src[store ? 0 : 1], 'I', coord))
		return false;
	cc = t->coords == 1 ? ".x" : t->coords == 2 ? ".xy" : ".xyz";
	if (t->ms ? !glsl_fmt(c, args, "%s, %s(%s%s), %s.w", img, ivec[t->coords], coord, cc, coord)
	          : !glsl_fmt(c, args, "%s, %s(%s%s)", img, ivec[t->coords], coord, cc))
		return false;
	if (store) {
		if (!glsl_src(c, &in->src[1], cls, v))
			return false;
		glsl_line(c, "imageStore(%s, %s);", args, v);
		return true;
	}
	if (in->opcode == TGSI_OP_LOAD) {
		if (!glsl_fmt(c, e, "imageLoad(%s)", args))
			return false;
		return glsl_assign(c, in, e, cls);
	}
	if (!atomic_fn[in->opcode] || cls == 'F')
		return glsl_fail(c, -ENOTSUP, "%s on this image",
		                 tgsi_opcode_infos[in->opcode].name);
	if (!glsl_src(c, &in->src[2], cls, v))
		return false;
	/* atomicAdd -> imageAtomicAdd */
	snprintf(fn, sizeof(fn), "imageA%s", atomic_fn[in->opcode] + 1);
	if (in->opcode == TGSI_OP_ATOMCAS) {
		char v2[GLSL_EXPR_MAX];

		if (!glsl_src(c, &in->src[3], cls, v2) ||
		    !glsl_fmt(c, e, "%s(%s(%s, %s.x, %s.x))", glsl_vec_type(cls, 4), fn, args, v,
		              v2))
			return false;
	} else if (!glsl_fmt(c, e, "%s(%s(%s, %s.x))", glsl_vec_type(cls, 4), fn, args, v)) {
		return false;
	}
	return glsl_assign(c, in, e, cls);
}

bool glsl_emit_mem(struct glsl_ctx *c, const struct tgsi_instr *in)
{
	const struct tgsi_reg *res =
	    in->opcode == TGSI_OP_STORE ? &in->dst[0].reg : &in->src[0].reg;

	if (res->file == TGSI_FILE_IMAGE)
		return emit_image(c, in);
	if (in->opcode == TGSI_OP_RESQ) {
		char arr[GLSL_EXPR_MAX], len[GLSL_EXPR_MAX], e[GLSL_EXPR_MAX * 2];

		if (res->indirect)
			return glsl_fail(c, -ENOTSUP, "size of an indirect memory resource");
		if (!word_array(c, res, res->index, arr, len) ||
		    !glsl_fmt(c, e, "uvec4(%s * 4u, 0u, 0u, 0u)", len))
			return false;
		return glsl_assign(c, in, e, 'U');
	}
	if (res->indirect && res->file == TGSI_FILE_BUFFER)
		return emit_words_indirect(c, in, res);
	return emit_words(c, in, res->index);
}
