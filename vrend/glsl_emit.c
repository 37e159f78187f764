/* SPDX-License-Identifier: MIT */
/*
 * GLSL emitter, top level: options, the scan pass (arrays, constant buffer
 * sizes, samplers), stage layouts, declarations of registers and uniforms,
 * and the assembly of the final text. See glsl_emit.h for the conventions.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glsl_emit_internal.h"

#define GLSL_DEFAULT_MAX_TEXT (4u << 20)

static const char *const stage_prefixes[TGSI_PROC_COUNT] = {"vs", "tc", "te", "gs", "fs", "cs"};

const char *glsl_stage_prefix(enum tgsi_processor proc)
{
	return proc < TGSI_PROC_COUNT ? stage_prefixes[proc] : "xx";
}

void glsl_emit_options_default(struct glsl_emit_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->glsl_version = 450;
	opts->prev_stage = TGSI_PROC_COUNT;
	opts->nr_cbufs = 1;
}

bool glsl_fail(struct glsl_ctx *c, int code, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (c->error)
		return false;
	c->error = code;
	if (!c->err || c->err_size == 0)
		return false;
	if (c->instr != UINT32_MAX && c->instr < c->sh->num_instrs)
		n = snprintf(c->err, c->err_size, "instruction %u (line %u): ", c->instr,
		             c->sh->instrs[c->instr].line);
	if (n < 0 || (size_t)n >= c->err_size)
		return false;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->err_size - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

bool glsl_fmt(struct glsl_ctx *c, char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, GLSL_EXPR_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= GLSL_EXPR_MAX) {
		buf[0] = '\0';
		return glsl_fail(c, -ENOSPC, "expression too long");
	}
	return !c->error;
}

void glsl_line(struct glsl_ctx *c, const char *fmt, ...)
{
	char small[GLSL_EXPR_MAX * 2];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(small)) {
		glsl_fail(c, -ENOSPC, "line too long");
		return;
	}
	glsl_buf_indent(&c->body, c->indent);
	glsl_buf_append_n(&c->body, small, (size_t)n);
	glsl_buf_append(&c->body, "\n");
}

static bool version_ok(uint32_t v)
{
	return v == 330 || v == 400 || v == 410 || v == 420 || v == 430 || v == 440 || v == 450 ||
	       v == 460;
}

static void mark_indirect(struct glsl_ctx *c, const struct tgsi_reg *r)
{
	if (r->file == TGSI_FILE_TEMPORARY && r->indirect && r->decl < c->sh->num_decls)
		c->decl_array[r->decl] = true;
}

static bool scan(struct glsl_ctx *c)
{
	const struct tgsi_shader *sh = c->sh;
	uint32_t n;

	c->decl_array = calloc(sh->num_decls ? sh->num_decls : 1, sizeof(*c->decl_array));
	n = sh->file_size[TGSI_FILE_SAMPLER] > sh->file_size[TGSI_FILE_SAMPLER_VIEW]
	        ? sh->file_size[TGSI_FILE_SAMPLER]
	        : sh->file_size[TGSI_FILE_SAMPLER_VIEW];
	c->num_samplers = n;
	c->samplers = calloc(n ? n : 1, sizeof(*c->samplers));
	if (!c->decl_array || !c->samplers)
		return glsl_fail(c, -ENOMEM, "out of memory");
	for (uint32_t i = 0; i < n; i++)
		c->samplers[i].rtype = TGSI_RETURN_FLOAT;
	for (uint32_t i = 0; i < sh->num_decls; i++) {
		const struct tgsi_decl *d = &sh->decls[i];

		if (d->file == TGSI_FILE_TEMPORARY && d->array_id)
			c->decl_array[i] = true;
		if (d->file == TGSI_FILE_CONSTANT) {
			uint32_t slot = d->has_dim ? d->dim : 0;

			if (slot >= GLSL_MAX_CONST_SLOTS)
				return glsl_fail(c, -ENOTSUP, "constant buffer %u", slot);
			if (d->last + 1 > c->const_size[slot])
				c->const_size[slot] = d->last + 1;
		}
		if (d->file == TGSI_FILE_SAMPLER_VIEW) {
			for (uint32_t k = d->first; k <= d->last && k < n; k++)
				c->samplers[k].rtype = d->return_type[0];
		}
	}
	for (uint32_t i = 0; i < sh->end_instr && !c->error; i++) {
		const struct tgsi_instr *in = &sh->instrs[i];

		c->instr = i;
		for (unsigned k = 0; k < in->num_dst; k++)
			mark_indirect(c, &in->dst[k].reg);
		for (unsigned k = 0; k < in->num_src; k++)
			mark_indirect(c, &in->src[k].reg);
		if (tgsi_opcode_infos[in->opcode].kind == TGSI_KIND_TEX)
			glsl_scan_sampler(c, in);
	}
	c->instr = UINT32_MAX;
	/* views declared but not sampled still get their uniform */
	for (uint32_t i = 0; i < sh->num_decls; i++) {
		const struct tgsi_decl *d = &sh->decls[i];

		if (d->file != TGSI_FILE_SAMPLER_VIEW || d->target >= TGSI_TEXTURE_UNKNOWN)
			continue;
		for (uint32_t k = d->first; k <= d->last && k < n; k++) {
			if (!c->samplers[k].used) {
				c->samplers[k].used = true;
				c->samplers[k].target = d->target;
			}
		}
	}
	return !c->error;
}

/* KHR_blend_equation_advanced: the modes the shader may be blended with (bit
 * n = Mesa's mode n, 1 MULTIPLY .. 15 HSL_LUMINOSITY), as layout qualifiers. */
static bool blend_support(struct glsl_ctx *c, uint32_t modes)
{
	static const char *const names[16] = {
	    NULL,         "multiply",       "screen",    "overlay",       "darken",     "lighten",
	    "colordodge", "colorburn",      "hardlight", "softlight",     "difference", "exclusion",
	    "hsl_hue",    "hsl_saturation", "hsl_color", "hsl_luminosity"};

	if (modes & ~0xfffeu)
		return glsl_fail(c, -EINVAL, "advanced blend modes 0x%x", modes);
	c->needs_blend_advanced = true;
	for (uint32_t n = 1; n < 16; n++) {
		if (modes >> n & 1)
			glsl_buf_printf(&c->head, "layout(blend_support_%s) out;\n", names[n]);
	}
	return true;
}

static bool fs_layouts(struct glsl_ctx *c)
{
	const struct tgsi_shader *sh = c->sh;
	uint32_t v;
	bool reads_pos = false, writes_depth = false;

	for (uint32_t i = 0; i < sh->num_decls; i++) {
		const struct tgsi_decl *d = &sh->decls[i];

		if ((d->file == TGSI_FILE_INPUT || d->file == TGSI_FILE_SYSTEM_VALUE) &&
		    d->has_semantic && d->semantic == TGSI_SEMANTIC_POSITION)
			reads_pos = true;
		if (d->file == TGSI_FILE_OUTPUT && d->has_semantic &&
		    d->semantic == TGSI_SEMANTIC_POSITION)
			writes_depth = true;
	}
	if (tgsi_shader_property(sh, TGSI_PROPERTY_FS_EARLY_DEPTH_STENCIL, &v) && v) {
		if (c->version < 420)
			return glsl_fail(c, -ENOTSUP, "early fragment tests need GLSL 4.20");
		glsl_buf_append(&c->head, "layout(early_fragment_tests) in;\n");
	}
	if (reads_pos) {
		/* Host render targets keep Gallium's row 0 at GL's y = 0, so GL's
		 * default origin is Gallium's UPPER_LEFT; LOWER_LEFT flips. */
		bool flip = tgsi_shader_property(sh, TGSI_PROPERTY_FS_COORD_ORIGIN, &v) &&
		            v == TGSI_FS_ORIGIN_LOWER_LEFT;
		bool integer = tgsi_shader_property(sh, TGSI_PROPERTY_FS_COORD_PIXEL_CENTER, &v) &&
		               v == TGSI_FS_CENTER_INTEGER;

		if (flip || integer)
			glsl_buf_printf(&c->head, "layout(%s%s%s) in vec4 gl_FragCoord;\n",
			                flip ? "origin_upper_left" : "",
			                flip && integer ? ", " : "",
			                integer ? "pixel_center_integer" : "");
	}
	if (tgsi_shader_property(sh, TGSI_PROPERTY_FS_BLEND_EQUATION_ADVANCED, &v) && v &&
	    !blend_support(c, v))
		return false;
	if (writes_depth && tgsi_shader_property(sh, TGSI_PROPERTY_FS_DEPTH_LAYOUT, &v) && v) {
		static const char *const layouts[] = {"", "depth_any", "depth_greater",
		                                      "depth_less", "depth_unchanged"};

		if (v >= 5)
			return glsl_fail(c, -EINVAL, "depth layout %u", v);
		if (c->version >= 420)
			glsl_buf_printf(&c->head, "layout(%s) out float gl_FragDepth;\n",
			                layouts[v]);
	}
	return true;
}

static bool gs_layouts(struct glsl_ctx *c)
{
	static const struct {
		uint8_t prim;
		const char *name;
		uint8_t verts;
	} in_prims[] = {{TGSI_PRIM_POINTS, "points", 1},
	                {TGSI_PRIM_LINES, "lines", 2},
	                {TGSI_PRIM_LINES_ADJACENCY, "lines_adjacency", 4},
	                {TGSI_PRIM_TRIANGLES, "triangles", 3},
	                {TGSI_PRIM_TRIANGLES_ADJACENCY, "triangles_adjacency", 6}};
	const struct tgsi_shader *sh = c->sh;
	uint32_t in_prim, out_prim, max_verts, inv = 1;
	const char *in_name = NULL, *out_name;

	if (!tgsi_shader_property(sh, TGSI_PROPERTY_GS_INPUT_PRIM, &in_prim) ||
	    !tgsi_shader_property(sh, TGSI_PROPERTY_GS_OUTPUT_PRIM, &out_prim) ||
	    !tgsi_shader_property(sh, TGSI_PROPERTY_GS_MAX_OUTPUT_VERTICES, &max_verts))
		return glsl_fail(c, -EINVAL, "geometry shader without primitive properties");
	for (size_t i = 0; i < sizeof(in_prims) / sizeof(in_prims[0]); i++) {
		if (in_prims[i].prim == in_prim) {
			in_name = in_prims[i].name;
			c->pv_inputs = in_prims[i].verts;
		}
	}
	out_name = out_prim == TGSI_PRIM_POINTS           ? "points"
	           : out_prim == TGSI_PRIM_LINE_STRIP     ? "line_strip"
	           : out_prim == TGSI_PRIM_TRIANGLE_STRIP ? "triangle_strip"
	                                                  : NULL;
	if (!in_name || !out_name || max_verts > 1024)
		return glsl_fail(c, -EINVAL, "bad geometry shader primitives");
	tgsi_shader_property(sh, TGSI_PROPERTY_GS_INVOCATIONS, &inv);
	if (inv > 1 && c->version < 400)
		return glsl_fail(c, -ENOTSUP, "geometry invocations need GLSL 4.00");
	if (inv > 32 || inv == 0)
		return glsl_fail(c, -EINVAL, "%u geometry invocations", inv);
	if (inv > 1)
		glsl_buf_printf(&c->head, "layout(%s, invocations = %u) in;\n", in_name, inv);
	else
		glsl_buf_printf(&c->head, "layout(%s) in;\n", in_name);
	glsl_buf_printf(&c->head, "layout(%s, max_vertices = %u) out;\n", out_name, max_verts);
	return true;
}

static bool tcs_layouts(struct glsl_ctx *c)
{
	uint32_t n = 0;

	if (!tgsi_shader_property(c->sh, TGSI_PROPERTY_TCS_VERTICES_OUT, &n) || n == 0 || n > 32)
		return glsl_fail(c, -EINVAL, "tessellation control shader with %u vertices", n);
	c->pv_inputs = 32; /* gl_MaxPatchVertices is at least 32 */
	c->pv_outputs = n;
	glsl_buf_printf(&c->head, "layout(vertices = %u) out;\n", n);
	return true;
}

static bool tes_layouts(struct glsl_ctx *c)
{
	uint32_t mode = 0, spacing = 0, cw = 0, points = 0;
	const char *m, *sp;

	tgsi_shader_property(c->sh, TGSI_PROPERTY_TES_PRIM_MODE, &mode);
	tgsi_shader_property(c->sh, TGSI_PROPERTY_TES_SPACING, &spacing);
	tgsi_shader_property(c->sh, TGSI_PROPERTY_TES_VERTEX_ORDER_CW, &cw);
	tgsi_shader_property(c->sh, TGSI_PROPERTY_TES_POINT_MODE, &points);
	m = mode == TGSI_PRIM_TRIANGLES ? "triangles"
	    : mode == TGSI_PRIM_QUADS   ? "quads"
	    : mode == TGSI_PRIM_LINES   ? "isolines"
	                                : NULL;
	/* pipe_tess_spacing: fractional odd, fractional even, equal */
	sp = spacing == 0   ? "fractional_odd_spacing"
	     : spacing == 1 ? "fractional_even_spacing"
	     : spacing == 2 ? "equal_spacing"
	                    : NULL;
	if (!m || !sp)
		return glsl_fail(c, -EINVAL, "tessellation mode %u spacing %u", mode, spacing);
	c->pv_inputs = 32;
	glsl_buf_printf(&c->head, "layout(%s, %s, %s%s) in;\n", m, sp, cw ? "cw" : "ccw",
	                points ? ", point_mode" : "");
	return true;
}

static bool cs_layouts(struct glsl_ctx *c)
{
	uint32_t w = 0, h = 1, d = 1;

	if (!tgsi_shader_property(c->sh, TGSI_PROPERTY_CS_FIXED_BLOCK_WIDTH, &w) || w == 0)
		return glsl_fail(c, -ENOTSUP, "compute shader without a fixed block size");
	tgsi_shader_property(c->sh, TGSI_PROPERTY_CS_FIXED_BLOCK_HEIGHT, &h);
	tgsi_shader_property(c->sh, TGSI_PROPERTY_CS_FIXED_BLOCK_DEPTH, &d);
	if (w > 1024 || h > 1024 || d > 64 || h == 0 || d == 0)
		return glsl_fail(c, -EINVAL, "block size %ux%ux%u", w, h, d);
	glsl_buf_printf(&c->head,
	                "layout(local_size_x = %u, local_size_y = %u, local_size_z = %u) in;\n", w,
	                h, d);
	return true;
}

static void declare_constants(struct glsl_ctx *c)
{
	if (c->const_size[0])
		glsl_buf_printf(&c->head, "uniform uvec4 %sconst0[%u];\n", c->p, c->const_size[0]);
	for (uint32_t slot = 1; slot < GLSL_MAX_CONST_SLOTS; slot++) {
		if (!c->const_size[slot])
			continue;
		if (c->version >= 420)
			glsl_buf_printf(&c->head, "layout(std140, binding = %u) ",
			                c->opt.ubo_binding_base + slot - 1);
		else
			glsl_buf_append(&c->head, "layout(std140) ");
		glsl_buf_printf(&c->head, "uniform %s_ubo%u { uvec4 d[%u]; } %subo%u;\n", c->p,
		                slot, c->const_size[slot], c->p, slot);
	}
	if (c->opt.winsys_adjust_y)
		glsl_buf_append(&c->head, "uniform float winsys_adjust_y;\n");
	if (c->opt.no_linear_fs && c->sh->processor == TGSI_PROC_FRAGMENT) {
		for (uint32_t slot = 0; slot < GLSL_MAX_CONST_SLOTS; slot++)
			c->opaque_output |= c->const_size[slot] != 0;
		if (c->opaque_output)
			glsl_buf_append(&c->head, "uniform uint vn_zero; /* never set: 0 */\n");
	}
}

static void declare_registers(struct glsl_ctx *c)
{
	const struct tgsi_shader *sh = c->sh;
	uint8_t proc = sh->processor;

	if (sh->file_size[TGSI_FILE_INPUT] && proc != TGSI_PROC_GEOMETRY)
		glsl_buf_printf(&c->head, "uvec4 vn_in[%u];\n", sh->file_size[TGSI_FILE_INPUT]);
	if (sh->file_size[TGSI_FILE_OUTPUT] && proc != TGSI_PROC_TESS_CTRL)
		glsl_buf_printf(&c->head, "uvec4 vn_out[%u];\n", sh->file_size[TGSI_FILE_OUTPUT]);
	if (sh->file_size[TGSI_FILE_SYSTEM_VALUE])
		glsl_buf_printf(&c->head, "uvec4 vn_sv[%u];\n",
		                sh->file_size[TGSI_FILE_SYSTEM_VALUE]);
	if (sh->file_size[TGSI_FILE_ADDRESS])
		glsl_buf_printf(&c->head, "ivec4 vn_addr[%u];\n", sh->file_size[TGSI_FILE_ADDRESS]);
	for (uint32_t i = 0; i < sh->num_decls; i++) {
		const struct tgsi_decl *d = &sh->decls[i];

		if (d->file != TGSI_FILE_TEMPORARY)
			continue;
		if (c->decl_array[i]) {
			glsl_buf_printf(&c->head, "uvec4 tr%u[%u];\n", i, d->last - d->first + 1);
			continue;
		}
		for (uint32_t k = d->first; k <= d->last; k++)
			glsl_buf_printf(&c->head, "uvec4 t%u = uvec4(0u);\n", k);
	}
	if (sh->num_imms) {
		glsl_buf_printf(&c->head, "const uvec4 vn_imm[%u] = uvec4[%u](\n", sh->num_imms,
		                sh->num_imms);
		for (uint32_t i = 0; i < sh->num_imms; i++) {
			const uint32_t *dw = sh->imms[i].dw;

			glsl_buf_printf(&c->head, "\tuvec4(0x%08xu, 0x%08xu, 0x%08xu, 0x%08xu)%s\n",
			                dw[0], dw[1], dw[2], dw[3],
			                i + 1 < sh->num_imms ? "," : ");");
		}
	}
	glsl_buf_append(&c->head, "\n");
}

/* main(): zeroes the register arrays (no stale data from the GPU can leak into
 * a result), loads inputs, runs the shader, stores outputs. */
static void emit_main(struct glsl_ctx *c)
{
	const struct tgsi_shader *sh = c->sh;
	uint8_t proc = sh->processor;

	glsl_buf_append(&c->body, "void main()\n{\n");
	if (sh->file_size[TGSI_FILE_OUTPUT] && proc != TGSI_PROC_TESS_CTRL)
		glsl_buf_printf(&c->body,
		                "\tfor (int i = 0; i < %u; i++)\n\t\tvn_out[i] = uvec4(0u);\n",
		                sh->file_size[TGSI_FILE_OUTPUT]);
	if (sh->file_size[TGSI_FILE_ADDRESS])
		glsl_buf_printf(&c->body,
		                "\tfor (int i = 0; i < %u; i++)\n\t\tvn_addr[i] = ivec4(0);\n",
		                sh->file_size[TGSI_FILE_ADDRESS]);
	for (uint32_t i = 0; i < sh->num_decls; i++) {
		const struct tgsi_decl *d = &sh->decls[i];

		if (d->file == TGSI_FILE_TEMPORARY && c->decl_array[i])
			glsl_buf_printf(
			    &c->body, "\tfor (int i = 0; i < %u; i++)\n\t\ttr%u[i] = uvec4(0u);\n",
			    d->last - d->first + 1, i);
	}
	glsl_buf_append(&c->body, "\tvn_load_inputs();\n\tvn_main();\n");
	if (proc != TGSI_PROC_GEOMETRY && proc != TGSI_PROC_COMPUTE && proc != TGSI_PROC_TESS_CTRL)
		glsl_buf_append(&c->body, "\tvn_store_outputs();\n");
	glsl_buf_append(&c->body, "}\n");
}

/* Whether some loop needs the iteration budget (is not a counted loop). */
static bool has_budgeted_loops(const struct tgsi_shader *sh)
{
	for (uint32_t i = 0; i < sh->num_instrs; i++)
		if (sh->instrs[i].opcode == TGSI_OP_BGNLOOP &&
		    !tgsi_loop_trip_bound(sh, i, GLSL_COUNTED_LOOP_MAX))
			return true;
	return false;
}

static bool translate(struct glsl_ctx *c)
{
	uint8_t proc = c->sh->processor;

	if ((proc == TGSI_PROC_TESS_CTRL || proc == TGSI_PROC_TESS_EVAL) && c->version < 400)
		return glsl_fail(c, -ENOTSUP, "tessellation shaders need GLSL 4.00");
	if (proc == TGSI_PROC_COMPUTE && c->version < 430)
		return glsl_fail(c, -ENOTSUP, "compute shaders need GLSL 4.30");
	if (!scan(c))
		return false;
	if ((proc == TGSI_PROC_FRAGMENT && !fs_layouts(c)) ||
	    (proc == TGSI_PROC_GEOMETRY && !gs_layouts(c)) ||
	    (proc == TGSI_PROC_COMPUTE && !cs_layouts(c)) ||
	    (proc == TGSI_PROC_TESS_CTRL && !tcs_layouts(c)) ||
	    (proc == TGSI_PROC_TESS_EVAL && !tes_layouts(c)))
		return false;
	glsl_buf_append(&c->head, "\n");
	declare_constants(c);
	if (!glsl_declare_samplers(c) || !glsl_declare_memory(c) || !glsl_declare_io(c))
		return false;
	declare_registers(c);
	if (!glsl_emit_load_inputs(c) || !glsl_emit_store_outputs(c))
		return false;
	glsl_buf_append(&c->body, "void vn_main()\n{\n");
	/* A local, not a global: llvmpipe (Mesa 25.0) crashes running some
	 * geometry shaders that modify a global in their loops. */
	if (!c->opt.max_loop_iterations && c->opt.loop_budget && has_budgeted_loops(c->sh))
		glsl_buf_printf(&c->body, "\tuint vn_loop_budget = %uu;\n", c->opt.loop_budget);
	if (!glsl_emit_instructions(c))
		return false;
	glsl_buf_append(&c->body, "}\n\n");
	emit_main(c);
	return !c->error;
}

int glsl_emit(const struct tgsi_shader *sh, const struct glsl_emit_options *opts, char **out,
              size_t *out_len, char *err, size_t err_size)
{
	struct glsl_ctx c;
	struct glsl_buf final;
	size_t max;
	int ret;

	*out = NULL;
	if (out_len)
		*out_len = 0;
	if (err && err_size)
		err[0] = '\0';
	memset(&c, 0, sizeof(c));
	c.sh = sh;
	c.err = err;
	c.err_size = err ? err_size : 0;
	c.instr = UINT32_MAX;
	if (opts)
		c.opt = *opts;
	else
		glsl_emit_options_default(&c.opt);
	c.version = c.opt.glsl_version ? c.opt.glsl_version : 450;
	if (c.opt.prev_stage >= TGSI_PROC_COUNT)
		c.opt.prev_stage =
		    sh->processor == TGSI_PROC_TESS_EVAL ? TGSI_PROC_TESS_CTRL : TGSI_PROC_VERTEX;
	max = c.opt.max_text_len ? c.opt.max_text_len : GLSL_DEFAULT_MAX_TEXT;
	if (!version_ok(c.version)) {
		glsl_fail(&c, -EINVAL, "GLSL version %u", c.version);
		return c.error;
	}
	if (sh->processor >= TGSI_PROC_COUNT) {
		glsl_fail(&c, -EINVAL, "bad processor");
		return c.error;
	}
	c.p = stage_prefixes[sh->processor];
	glsl_buf_init(&c.head, max);
	glsl_buf_init(&c.body, max);
	glsl_buf_init(&final, max);
	if (translate(&c)) {
		glsl_buf_printf(&final, "#version %u core\n", c.version);
		if (c.needs_stencil_export)
			glsl_buf_append(&final,
			                "#extension GL_ARB_shader_stencil_export : require\n");
		if (c.needs_blend_advanced)
			glsl_buf_append(&final,
			                "#extension GL_KHR_blend_equation_advanced : require\n");
		glsl_emit_helpers(&c, &final, c.body.data);
		glsl_buf_append_n(&final, c.head.data ? c.head.data : "", c.head.len);
		glsl_buf_append_n(&final, c.body.data ? c.body.data : "", c.body.len);
		ret = glsl_buf_error(&c.head)   ? glsl_buf_error(&c.head)
		      : glsl_buf_error(&c.body) ? glsl_buf_error(&c.body)
		                                : glsl_buf_error(&final);
		if (ret)
			glsl_fail(&c, ret, "GLSL text over %zu bytes", max);
		else
			*out = glsl_buf_take(&final, out_len);
		if (!c.error && !*out)
			glsl_fail(&c, -ENOMEM, "out of memory");
	}
	ret = c.error;
	glsl_buf_fini(&c.head);
	glsl_buf_fini(&c.body);
	glsl_buf_fini(&final);
	free(c.decl_array);
	free(c.samplers);
	return ret;
}
