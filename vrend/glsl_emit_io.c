/* SPDX-License-Identifier: MIT */
/*
 * Inputs, outputs and system values of the GLSL emitter. Varyings are named
 * by semantic ("<stage>o_<piece><index>") so stages link whatever their
 * register numbers; builtins (positions, point size, clip distances, faces, IDs)
 * come from two tables. vn_load_inputs() copies every input and system value
 * into its uvec4 shadow; vn_store_outputs() writes the output shadows out.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "glsl_emit_internal.h"

#define STAGE(p) (1u << (p))
#define VS STAGE(TGSI_PROC_VERTEX)
#define GS STAGE(TGSI_PROC_GEOMETRY)
#define FS STAGE(TGSI_PROC_FRAGMENT)
#define CS STAGE(TGSI_PROC_COMPUTE)
#define TC STAGE(TGSI_PROC_TESS_CTRL)
#define TE STAGE(TGSI_PROC_TESS_EVAL)

/* Inputs and system values that come from GLSL builtins, as uvec4. */
struct builtin_in {
	uint8_t semantic;
	uint32_t stages;
	uint16_t glsl;
	const char *expr;
};

static const struct builtin_in builtin_inputs[] = {
    {TGSI_SEMANTIC_POSITION, FS, 330, "floatBitsToUint(gl_FragCoord)"},
    {TGSI_SEMANTIC_FACE, FS, 330,
     "uvec4(floatBitsToUint(gl_FrontFacing ? 1.0 : -1.0), 0u, 0u, floatBitsToUint(1.0))"},
    {TGSI_SEMANTIC_PCOORD, FS, 330, "floatBitsToUint(vec4(gl_PointCoord, 0.0, 1.0))"},
    {TGSI_SEMANTIC_PRIMID, FS | TC | TE, 330, "uvec4(uint(gl_PrimitiveID), 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_PRIMID, GS, 330, "uvec4(uint(gl_PrimitiveIDIn), 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_LAYER, FS, 430, "uvec4(uint(gl_Layer), 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_VIEWPORT_INDEX, FS, 430, "uvec4(uint(gl_ViewportIndex), 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_VERTEXID, VS, 330, "uvec4(uint(gl_VertexID), 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_INSTANCEID, VS, 330, "uvec4(uint(gl_InstanceID), 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_VERTEXID_NOBASE, VS, 460,
     "uvec4(uint(gl_VertexID - gl_BaseVertex), 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_BASEVERTEX, VS, 460, "uvec4(uint(gl_BaseVertex), 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_BASEINSTANCE, VS, 460, "uvec4(uint(gl_BaseInstance), 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_DRAWID, VS, 460, "uvec4(uint(gl_DrawID), 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_INVOCATIONID, GS | TC, 400, "uvec4(uint(gl_InvocationID), 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_SAMPLEID, FS, 400, "uvec4(uint(gl_SampleID), 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_SAMPLEPOS, FS, 400, "floatBitsToUint(vec4(gl_SamplePosition, 0.0, 0.0))"},
    {TGSI_SEMANTIC_SAMPLEMASK, FS, 400, "uvec4(uint(gl_SampleMaskIn[0]), 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_HELPER_INVOCATION, FS, 450,
     "uvec4(gl_HelperInvocation ? 0xffffffffu : 0u, 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_BLOCK_ID, CS, 430, "uvec4(gl_WorkGroupID, 0u)"},
    {TGSI_SEMANTIC_THREAD_ID, CS, 430, "uvec4(gl_LocalInvocationID, 0u)"},
    {TGSI_SEMANTIC_BLOCK_SIZE, CS, 430, "uvec4(gl_WorkGroupSize, 0u)"},
    {TGSI_SEMANTIC_GRID_SIZE, CS, 430, "uvec4(gl_NumWorkGroups, 0u)"},
    {TGSI_SEMANTIC_TESSCOORD, TE, 400, "floatBitsToUint(vec4(gl_TessCoord, 0.0))"},
    {TGSI_SEMANTIC_VERTICESIN, TC | TE, 400, "uvec4(uint(gl_PatchVerticesIn), 0u, 0u, 0u)"},
    {TGSI_SEMANTIC_TESSOUTER, TE, 400,
     "floatBitsToUint(vec4(gl_TessLevelOuter[0], gl_TessLevelOuter[1], gl_TessLevelOuter[2], "
     "gl_TessLevelOuter[3]))"},
    {TGSI_SEMANTIC_TESSINNER, TE, 400,
     "floatBitsToUint(vec4(gl_TessLevelInner[0], gl_TessLevelInner[1], 0.0, 0.0))"},
};

/* The name piece of a varying semantic, or NULL for builtins. */
static const char *varying_piece(uint8_t semantic)
{
	switch (semantic) {
	case TGSI_SEMANTIC_GENERIC:
		return "g";
	case TGSI_SEMANTIC_COLOR:
		return "c";
	case TGSI_SEMANTIC_BCOLOR:
		return "bc";
	case TGSI_SEMANTIC_FOG:
		return "fog";
	case TGSI_SEMANTIC_TEXCOORD:
		return "t";
	case TGSI_SEMANTIC_NORMAL:
		return "n";
	case TGSI_SEMANTIC_PATCH:
		return "p";
	default:
		return NULL;
	}
}

const char *glsl_varying_prefix(uint8_t proc)
{
	switch (proc) {
	case TGSI_PROC_VERTEX:
		return "vso";
	case TGSI_PROC_TESS_CTRL:
		return "tco";
	case TGSI_PROC_TESS_EVAL:
		return "teo";
	case TGSI_PROC_GEOMETRY:
		return "gso";
	default:
		return NULL;
	}
}

static const char *input_prefix(const struct glsl_ctx *c)
{
	const char *p = glsl_varying_prefix(c->opt.prev_stage);

	return p ? p : "vso";
}

static uint32_t sem_index(const struct tgsi_decl *d, uint32_t index)
{
	return d->semantic_index + (index - d->first);
}

static const struct builtin_in *find_builtin(const struct glsl_ctx *c, uint8_t semantic)
{
	for (size_t i = 0; i < sizeof(builtin_inputs) / sizeof(builtin_inputs[0]); i++) {
		const struct builtin_in *b = &builtin_inputs[i];

		if (b->semantic == semantic && (b->stages & STAGE(c->sh->processor)))
			return b;
	}
	return NULL;
}

/*
 * The builtin behind CLIPDIST component n (CLIPDIST[n / 4].xyzw[n % 4]): TGSI
 * packs the NUM_CLIPDIST_ENABLED clip distances first, then the
 * NUM_CULLDIST_ENABLED cull distances. Without either property every component
 * is a clip distance. False: the component is neither (nothing to read or
 * write), or an error was recorded.
 */
static bool clipdist_name(struct glsl_ctx *c, uint32_t n, char *out, size_t size)
{
	uint32_t nclip = 0, ncull = 0;
	bool has_clip = tgsi_shader_property(c->sh, TGSI_PROPERTY_NUM_CLIPDIST_ENABLED, &nclip);
	bool has_cull = tgsi_shader_property(c->sh, TGSI_PROPERTY_NUM_CULLDIST_ENABLED, &ncull);

	if (!has_clip && !has_cull)
		nclip = GLSL_MAX_CLIP_CULL;
	if (nclip > GLSL_MAX_CLIP_CULL || ncull > GLSL_MAX_CLIP_CULL - nclip)
		return glsl_fail(c, -EINVAL, "%u clip + %u cull distances", nclip, ncull);
	if (n < nclip) {
		snprintf(out, size, "gl_ClipDistance[%u]", n);
		return true;
	}
	if (n - nclip >= ncull)
		return false;
	if (c->version < 450)
		return glsl_fail(c, -ENOTSUP, "cull distances need GLSL 4.50");
	snprintf(out, size, "gl_CullDistance[%u]", n - nclip);
	return true;
}

/* "flat ", "noperspective centroid ", ... for a fragment input declaration. */
static void interp_qualifiers(const struct glsl_ctx *c, const struct tgsi_decl *d, char *q,
                              size_t size)
{
	const char *mode = "", *loc = "";

	if (d->has_interp) {
		if (d->interp == TGSI_INTERP_CONSTANT ||
		    (d->interp == TGSI_INTERP_COLOR && c->opt.flatshade))
			mode = "flat ";
		else if (d->interp == TGSI_INTERP_LINEAR)
			mode = "noperspective ";
	}
	if (d->location == TGSI_LOC_CENTROID)
		loc = "centroid ";
	else if (d->location == TGSI_LOC_SAMPLE && c->version >= 400)
		loc = "sample ";
	snprintf(q, size, "%s%s", mode, loc);
}

/* Qualifiers of an output varying: those of the next stage's matching input. */
static void output_qualifiers(const struct glsl_ctx *c, uint8_t semantic, uint32_t si, char *q,
                              size_t size)
{
	const struct tgsi_shader *next = c->opt.next;

	q[0] = '\0';
	if (!next || next->processor != TGSI_PROC_FRAGMENT)
		return;
	for (uint32_t i = 0; i < next->num_decls; i++) {
		const struct tgsi_decl *d = &next->decls[i];

		if (d->file == TGSI_FILE_INPUT && d->has_semantic && d->semantic == semantic &&
		    si >= d->semantic_index && si - d->semantic_index <= d->last - d->first) {
			interp_qualifiers(c, d, q, size);
			return;
		}
	}
}

static bool input_location_ok(struct glsl_ctx *c, const struct tgsi_decl *d)
{
	if (d->location == TGSI_LOC_SAMPLE && c->version < 400)
		return glsl_fail(c, -ENOTSUP, "sample interpolation needs GLSL 4.00");
	return true;
}

/* The declaration of input or output k of d, if it is a GLSL variable. */
static bool declare_one(struct glsl_ctx *c, const struct tgsi_decl *d, uint32_t k)
{
	uint8_t proc = c->sh->processor;
	const char *piece = d->has_semantic ? varying_piece(d->semantic) : NULL;
	const char *outp = glsl_varying_prefix(proc);
	bool patch = d->has_semantic && d->semantic == TGSI_SEMANTIC_PATCH;
	uint32_t si = sem_index(d, k);
	char q[64] = "";

	if (d->file == TGSI_FILE_INPUT && proc == TGSI_PROC_VERTEX) {
		bool s32 = k < 32 && (c->opt.attrib_int_mask >> k & 1);
		bool u32 = k < 32 && (c->opt.attrib_uint_mask >> k & 1);

		glsl_buf_printf(&c->head, "layout(location = %u) in %s vs_in%u;\n", k,
		                s32   ? "ivec4"
		                : u32 ? "uvec4"
		                      : "vec4",
		                k);
		return true;
	}
	if (!piece)
		return true; /* builtins */
	if (d->file == TGSI_FILE_INPUT) {
		/* patch inputs exist in TES only, as 1-D registers */
		if (patch != (proc == TGSI_PROC_TESS_EVAL && !d->per_vertex))
			return glsl_fail(c, -EINVAL, "%s input here",
			                 tgsi_semantic_names[d->semantic]);
		if (!input_location_ok(c, d))
			return false;
		if (proc == TGSI_PROC_FRAGMENT)
			interp_qualifiers(c, d, q, sizeof(q));
		glsl_buf_printf(&c->head, "%s%sin vec4 %s_%s%u%s;\n", q, patch ? "patch " : "",
		                input_prefix(c), piece, si, d->per_vertex ? "[]" : "");
		if (proc == TGSI_PROC_FRAGMENT && d->semantic == TGSI_SEMANTIC_COLOR &&
		    c->opt.two_sided_color)
			glsl_buf_printf(&c->head, "%sin vec4 %s_bc%u;\n", q, input_prefix(c), si);
		return true;
	}
	if (d->file != TGSI_FILE_OUTPUT || !outp)
		return true;
	if (proc == TGSI_PROC_TESS_CTRL) {
		/* per-vertex varyings and patch outputs */
		if (patch == d->per_vertex)
			return glsl_fail(c, -EINVAL, "%s output here",
			                 tgsi_semantic_names[d->semantic]);
		glsl_buf_printf(&c->head, "%sout vec4 %s_%s%u%s;\n", patch ? "patch " : "", outp,
		                piece, si, d->per_vertex ? "[]" : "");
		return true;
	}
	if (patch)
		return glsl_fail(c, -EINVAL, "PATCH output here");
	output_qualifiers(c, d->semantic, si, q, sizeof(q));
	/* invariance must match the next stage's input before 4.20, and TGSI
	 * does not say it there */
	glsl_buf_printf(&c->head, "%s%sout vec4 %s_%s%u;\n",
	                d->invariant && c->version >= 420 ? "invariant " : "", q, outp, piece, si);
	return true;
}

bool glsl_declare_io(struct glsl_ctx *c)
{
	const struct tgsi_shader *sh = c->sh;

	for (uint32_t i = 0; i < sh->num_decls && !c->error; i++) {
		const struct tgsi_decl *d = &sh->decls[i];

		if ((d->file != TGSI_FILE_INPUT && d->file != TGSI_FILE_OUTPUT) || d->alias)
			continue; /* an alias's registers belong to its owner */
		if (d->file == TGSI_FILE_OUTPUT && d->has_semantic &&
		    d->semantic == TGSI_SEMANTIC_POSITION && d->invariant &&
		    sh->processor != TGSI_PROC_FRAGMENT)
			glsl_buf_append(&c->head, "invariant gl_Position;\n");
		for (uint32_t k = d->first; k <= d->last && !c->error; k++)
			declare_one(c, d, k);
	}
	return !c->error;
}

/* The uvec4 value of input k of declaration d (not per-vertex). */
static bool input_value(struct glsl_ctx *c, const struct tgsi_decl *d, uint32_t k, char *out)
{
	uint8_t proc = c->sh->processor;
	const char *piece;

	if (proc == TGSI_PROC_VERTEX) {
		if (k < 32 && ((c->opt.attrib_int_mask | c->opt.attrib_uint_mask) >> k & 1))
			return glsl_fmt(c, out, "uvec4(vs_in%u)", k);
		return glsl_fmt(c, out, "floatBitsToUint(vs_in%u)", k);
	}
	if (!d->has_semantic)
		return glsl_fail(c, -EINVAL, "input without a semantic");
	if (proc == TGSI_PROC_TESS_EVAL || proc == TGSI_PROC_TESS_CTRL) {
		/* patch inputs: the only 1-D inputs of tessellation stages */
		const struct builtin_in *b = find_builtin(c, d->semantic);

		if (proc == TGSI_PROC_TESS_EVAL && d->semantic == TGSI_SEMANTIC_PATCH)
			return glsl_fmt(c, out, "floatBitsToUint(%s_p%u)", input_prefix(c),
			                sem_index(d, k));
		if (!b)
			return glsl_fail(c, -ENOTSUP, "input %s here",
			                 tgsi_semantic_names[d->semantic]);
		return glsl_fmt(c, out, "%s", b->expr);
	}
	if (proc != TGSI_PROC_FRAGMENT)
		return glsl_fail(c, -ENOTSUP, "inputs of this stage");
	piece = varying_piece(d->semantic);
	if (piece && d->semantic == TGSI_SEMANTIC_COLOR && c->opt.two_sided_color)
		return glsl_fmt(c, out, "floatBitsToUint(gl_FrontFacing ? %s_c%u : %s_bc%u)",
		                input_prefix(c), sem_index(d, k), input_prefix(c), sem_index(d, k));
	if (piece)
		return glsl_fmt(c, out, "floatBitsToUint(%s_%s%u)", input_prefix(c), piece,
		                sem_index(d, k));
	if (d->semantic == TGSI_SEMANTIC_CLIPDIST) {
		uint32_t base = 4 * sem_index(d, k);
		char ch[4][40];

		for (int i = 0; i < 4 && !c->error; i++) {
			if (!(d->io_mask & (1u << i)) ||
			    !clipdist_name(c, base + (uint32_t)i, ch[i], sizeof(ch[i])))
				snprintf(ch[i], sizeof(ch[i]), "0.0");
		}
		if (c->error)
			return false;
		return glsl_fmt(c, out, "floatBitsToUint(vec4(%s, %s, %s, %s))", ch[0], ch[1],
		                ch[2], ch[3]);
	}
	{
		const struct builtin_in *b = find_builtin(c, d->semantic);

		if (!b)
			return glsl_fail(c, -ENOTSUP, "fragment input %s",
			                 tgsi_semantic_names[d->semantic]);
		if (b->glsl > c->version)
			return glsl_fail(c, -ENOTSUP, "input %s needs GLSL %u",
			                 tgsi_semantic_names[d->semantic], b->glsl);
		return glsl_fmt(c, out, "%s", b->expr);
	}
}

bool glsl_emit_load_inputs(struct glsl_ctx *c)
{
	const struct tgsi_shader *sh = c->sh;
	char v[GLSL_EXPR_MAX];

	glsl_buf_append(&c->head, "void vn_load_inputs()\n{\n");
	for (uint32_t i = 0; i < sh->num_decls && !c->error; i++) {
		const struct tgsi_decl *d = &sh->decls[i];

		for (uint32_t k = d->first; k <= d->last && !c->error && !d->alias; k++) {
			if (d->file == TGSI_FILE_INPUT && !d->per_vertex) {
				if (!input_value(c, d, k, v))
					return false;
				glsl_buf_printf(&c->head, "\tvn_in[%u] = %s;\n", k, v);
			} else if (d->file == TGSI_FILE_SYSTEM_VALUE) {
				const struct builtin_in *b = find_builtin(c, d->semantic);

				if (d->semantic == TGSI_SEMANTIC_FACE ||
				    d->semantic == TGSI_SEMANTIC_POSITION)
					b = c->sh->processor == TGSI_PROC_FRAGMENT
					        ? find_builtin(c, d->semantic)
					        : NULL;
				if (!b)
					return glsl_fail(c, -ENOTSUP, "system value %s",
					                 tgsi_semantic_names[d->semantic]);
				if (b->glsl > c->version)
					return glsl_fail(c, -ENOTSUP,
					                 "system value %s needs GLSL %u",
					                 tgsi_semantic_names[d->semantic], b->glsl);
				glsl_buf_printf(&c->head, "\tvn_sv[%u] = %s;\n", k, b->expr);
			}
		}
	}
	glsl_buf_append(&c->head, "}\n\n");
	return !c->error;
}

/* One output register: its declaration (FS colors) into decls, its store
 * lines into fn. */
static bool store_output(struct glsl_ctx *c, const struct tgsi_decl *d, uint32_t k,
                         struct glsl_buf *decls, struct glsl_buf *fn)
{
	uint8_t proc = c->sh->processor;
	uint32_t si = sem_index(d, k);
	const char *piece = varying_piece(d->semantic);
	static const char ch[4] = {'x', 'y', 'z', 'w'};

	if (!d->has_semantic)
		return glsl_fail(c, -EINVAL, "output without a semantic");
	if (proc == TGSI_PROC_FRAGMENT) {
		switch (d->semantic) {
		case TGSI_SEMANTIC_COLOR: {
			uint32_t v;
			uint32_t n = si, count = 1;

			if (tgsi_shader_property(c->sh, TGSI_PROPERTY_FS_COLOR0_WRITES_ALL_CBUFS,
			                         &v) &&
			    v && si == 0)
				count = c->opt.nr_cbufs ? c->opt.nr_cbufs : 1;
			if (n >= 8 || count > 8)
				return glsl_fail(c, -EINVAL, "color output %u", n);
			for (uint32_t j = n; j < n + count; j++) {
				bool s32 = j < 32 && (c->opt.cbuf_int_mask >> j & 1);
				bool u32 = j < 32 && (c->opt.cbuf_uint_mask >> j & 1);

				glsl_buf_printf(decls, "layout(location = %u) out %s fs_out%u;\n",
				                j,
				                s32   ? "ivec4"
				                : u32 ? "uvec4"
				                      : "vec4",
				                j);
				glsl_buf_printf(
				    fn, "\tfs_out%u = %s(vn_out[%u]%s);\n", j,
				    s32   ? "ivec4"
				    : u32 ? ""
				          : "uintBitsToFloat",
				    k, !s32 && !u32 && c->opaque_output ? " ^ uvec4(vn_zero)" : "");
			}
			return true;
		}
		case TGSI_SEMANTIC_POSITION:
			glsl_buf_printf(fn, "\tgl_FragDepth = uintBitsToFloat(vn_out[%u].z);\n", k);
			return true;
		case TGSI_SEMANTIC_STENCIL:
			c->needs_stencil_export = true;
			glsl_buf_printf(fn, "\tgl_FragStencilRefARB = int(vn_out[%u].y);\n", k);
			return true;
		case TGSI_SEMANTIC_SAMPLEMASK:
			if (c->version < 400)
				return glsl_fail(c, -ENOTSUP, "sample mask output needs GLSL 4.00");
			glsl_buf_printf(fn, "\tgl_SampleMask[0] = int(vn_out[%u].x);\n", k);
			return true;
		default:
			return glsl_fail(c, -ENOTSUP, "fragment output %s",
			                 tgsi_semantic_names[d->semantic]);
		}
	}
	if (piece) {
		glsl_buf_printf(fn, "\t%s_%s%u = uintBitsToFloat(vn_out[%u]);\n",
		                glsl_varying_prefix(proc), piece, si, k);
		return true;
	}
	switch (d->semantic) {
	case TGSI_SEMANTIC_POSITION:
		glsl_buf_printf(fn, "\tgl_Position = uintBitsToFloat(vn_out[%u]);\n", k);
		if (c->opt.winsys_adjust_y)
			glsl_buf_append(fn, "\tgl_Position.y *= winsys_adjust_y;\n");
		return true;
	case TGSI_SEMANTIC_PSIZE:
		glsl_buf_printf(fn, "\tgl_PointSize = uintBitsToFloat(vn_out[%u].x);\n", k);
		return true;
	case TGSI_SEMANTIC_CLIPDIST:
		for (int i = 0; i < 4 && !c->error; i++) {
			char name[40];

			if ((d->io_mask & (1u << i)) &&
			    clipdist_name(c, 4 * si + (uint32_t)i, name, sizeof(name)))
				glsl_buf_printf(fn, "\t%s = uintBitsToFloat(vn_out[%u].%c);\n",
				                name, k, ch[i]);
		}
		return !c->error;
	case TGSI_SEMANTIC_LAYER:
	case TGSI_SEMANTIC_VIEWPORT_INDEX:
	case TGSI_SEMANTIC_PRIMID:
		if (proc != TGSI_PROC_GEOMETRY)
			return glsl_fail(c, -ENOTSUP, "%s output outside a geometry shader",
			                 tgsi_semantic_names[d->semantic]);
		glsl_buf_printf(fn, "\t%s = int(vn_out[%u].x);\n",
		                d->semantic == TGSI_SEMANTIC_LAYER    ? "gl_Layer"
		                : d->semantic == TGSI_SEMANTIC_PRIMID ? "gl_PrimitiveID"
		                                                      : "gl_ViewportIndex",
		                k);
		return true;
	case TGSI_SEMANTIC_EDGEFLAG:
	case TGSI_SEMANTIC_CLIPVERTEX:
		/* no GL core equivalent: edge flags are a fixed-function input,
		 * CLIPVERTEX needs user clip planes (not implemented) */
		return true;
	default:
		return glsl_fail(c, -ENOTSUP, "output %s", tgsi_semantic_names[d->semantic]);
	}
}

void glsl_so_output_decode(uint32_t p0, uint32_t p1, struct glsl_so_output *out)
{
	out->register_index = (uint8_t)(p0 & 0xff);
	out->start_component = (uint8_t)(p0 >> 8 & 0x3);
	out->num_components = (uint8_t)(p0 >> 10 & 0x7);
	out->output_buffer = (uint8_t)(p0 >> 13 & 0x7);
	out->dst_offset = (uint16_t)(p0 >> 16);
	out->stream = (uint8_t)(p1 & 0x3);
}

#define GLSL_MAX_SO_OUTPUTS 64

/* Stream outputs: declarations into decls, captures into fn. */
static bool stream_outputs(struct glsl_ctx *c, struct glsl_buf *decls, struct glsl_buf *fn)
{
	static const char *const comps = "xyzw";
	uint8_t proc = c->sh->processor;
	bool xfb = c->version >= 440;
	bool buffer_seen[4] = {false};

	if (!c->opt.num_so_outputs)
		return true;
	if (proc != TGSI_PROC_VERTEX && proc != TGSI_PROC_TESS_EVAL && proc != TGSI_PROC_GEOMETRY)
		return glsl_fail(c, -EINVAL, "stream output from this stage");
	if (c->opt.num_so_outputs > GLSL_MAX_SO_OUTPUTS || !c->opt.so_outputs)
		return glsl_fail(c, -EINVAL, "%u stream outputs", c->opt.num_so_outputs);
	for (uint32_t i = 0; i < c->opt.num_so_outputs; i++) {
		const struct glsl_so_output *so = &c->opt.so_outputs[i];
		unsigned start = so->start_component, n = so->num_components;

		if (n < 1 || n > 4 || start + n > 4 || so->output_buffer > 3 || so->stream > 3 ||
		    so->register_index >= c->sh->file_size[TGSI_FILE_OUTPUT])
			return glsl_fail(c, -EINVAL, "bad stream output %u", i);
		if (so->stream && (proc != TGSI_PROC_GEOMETRY || c->version < 400))
			return glsl_fail(c, -ENOTSUP, "stream output to vertex stream %u",
			                 so->stream);
		if (xfb && !buffer_seen[so->output_buffer]) {
			uint32_t stride = c->opt.so_stride[so->output_buffer];

			buffer_seen[so->output_buffer] = true;
			if (stride > 0x10000)
				return glsl_fail(c, -EINVAL, "stream output stride %u", stride);
			if (stride)
				glsl_buf_printf(decls,
				                "layout(xfb_buffer = %u, xfb_stride = %u) out;\n",
				                so->output_buffer, stride * 4);
		}
		if (xfb)
			glsl_buf_printf(decls, "layout(xfb_buffer = %u, xfb_offset = %u%s",
			                so->output_buffer, so->dst_offset * 4u,
			                so->stream ? ", stream = " : "");
		if (xfb && so->stream)
			glsl_buf_printf(decls, "%u", so->stream);
		glsl_buf_printf(decls, "%sout %s vn_so%u;\n", xfb ? ") " : "",
		                glsl_vec_type('F', n), i);
		glsl_buf_printf(fn, "\tvn_so%u = uintBitsToFloat(vn_out[%u]).%.*s;\n", i,
		                so->register_index, (int)n, comps + start);
	}
	return true;
}

/* Whether this shader outputs semantic[si] (1-D outputs). */
static bool has_output(const struct tgsi_shader *sh, uint8_t semantic, uint32_t si, uint32_t *index)
{
	for (uint32_t i = 0; i < sh->num_decls; i++) {
		const struct tgsi_decl *d = &sh->decls[i];

		if (d->file == TGSI_FILE_OUTPUT && d->has_semantic && d->semantic == semantic &&
		    si >= d->semantic_index && si - d->semantic_index <= d->last - d->first) {
			if (index)
				*index = d->first + (si - d->semantic_index);
			return true;
		}
	}
	return false;
}

/* Varyings the next (fragment) shader reads but this one does not write: GL
 * would refuse to link, Gallium leaves them undefined. They get zero; a missing
 * back color under two-sided lighting gets the front color. */
static bool missing_varyings(struct glsl_ctx *c, struct glsl_buf *decls, struct glsl_buf *fn)
{
	const struct tgsi_shader *next = c->opt.next;
	const char *outp = glsl_varying_prefix(c->sh->processor);
	char q[64];

	if (!next || next->processor != TGSI_PROC_FRAGMENT || !outp ||
	    c->sh->processor == TGSI_PROC_TESS_CTRL)
		return true;
	for (uint32_t i = 0; i < next->num_decls; i++) {
		const struct tgsi_decl *d = &next->decls[i];
		const char *piece = d->has_semantic ? varying_piece(d->semantic) : NULL;

		if (d->file != TGSI_FILE_INPUT || !piece || d->semantic == TGSI_SEMANTIC_PATCH ||
		    d->alias)
			continue;
		for (uint32_t k = d->first; k <= d->last; k++) {
			uint32_t si = sem_index(d, k), front;
			bool back = d->semantic == TGSI_SEMANTIC_COLOR && c->opt.two_sided_color;

			interp_qualifiers(c, d, q, sizeof(q));
			if (!has_output(c->sh, d->semantic, si, NULL)) {
				glsl_buf_printf(decls, "%sout vec4 %s_%s%u;\n", q, outp, piece, si);
				glsl_buf_printf(fn, "\t%s_%s%u = vec4(0.0);\n", outp, piece, si);
			}
			if (back && !has_output(c->sh, TGSI_SEMANTIC_BCOLOR, si, NULL)) {
				glsl_buf_printf(decls, "%sout vec4 %s_bc%u;\n", q, outp, si);
				if (has_output(c->sh, TGSI_SEMANTIC_COLOR, si, &front))
					glsl_buf_printf(
					    fn, "\t%s_bc%u = uintBitsToFloat(vn_out[%u]);\n", outp,
					    si, front);
				else
					glsl_buf_printf(fn, "\t%s_bc%u = vec4(0.0);\n", outp, si);
			}
		}
	}
	return true;
}

/* User clip planes when the shader writes no clip distances itself. */
static bool user_clip_planes(struct glsl_ctx *c, struct glsl_buf *decls, struct glsl_buf *fn)
{
	const struct tgsi_shader *sh = c->sh;
	uint8_t proc = sh->processor;
	uint32_t pos = UINT32_MAX, cv = UINT32_MAX;

	if (!c->opt.clip_plane_mask)
		return true;
	if (proc != TGSI_PROC_VERTEX && proc != TGSI_PROC_TESS_EVAL && proc != TGSI_PROC_GEOMETRY)
		return glsl_fail(c, -EINVAL, "clip planes in this stage");
	for (uint32_t i = 0; i < sh->num_decls; i++) {
		const struct tgsi_decl *d = &sh->decls[i];

		if (d->file != TGSI_FILE_OUTPUT || !d->has_semantic)
			continue;
		if (d->semantic == TGSI_SEMANTIC_CLIPDIST)
			return true; /* the shader's own distances */
		if (d->semantic == TGSI_SEMANTIC_CLIPVERTEX)
			cv = d->first;
		if (d->semantic == TGSI_SEMANTIC_POSITION)
			pos = d->first;
	}
	if (cv == UINT32_MAX)
		cv = pos;
	if (cv == UINT32_MAX)
		return glsl_fail(c, -EINVAL, "clip planes without a position");
	glsl_buf_append(decls, "uniform vec4 vn_clip_plane[8];\n");
	glsl_buf_printf(fn, "\t{\n\t\tvec4 vn_cv = uintBitsToFloat(vn_out[%u]);\n", cv);
	for (unsigned i = 0; i < 8; i++) {
		if (c->opt.clip_plane_mask & (1u << i))
			glsl_buf_printf(
			    fn, "\t\tgl_ClipDistance[%u] = dot(vn_cv, vn_clip_plane[%u]);\n", i, i);
	}
	glsl_buf_append(fn, "\t}\n");
	return true;
}

bool glsl_emit_store_outputs(struct glsl_ctx *c)
{
	const struct tgsi_shader *sh = c->sh;
	struct glsl_buf decls, fn;
	int e;

	glsl_buf_init(&decls, 0);
	glsl_buf_init(&fn, 0);
	glsl_buf_append(&fn, "void vn_store_outputs()\n{\n");
	for (uint32_t i = 0; i < sh->num_decls && !c->error; i++) {
		const struct tgsi_decl *d = &sh->decls[i];

		if (d->file != TGSI_FILE_OUTPUT || sh->processor == TGSI_PROC_TESS_CTRL || d->alias)
			continue; /* TCS outputs are written directly */
		for (uint32_t k = d->first; k <= d->last && !c->error; k++)
			store_output(c, d, k, &decls, &fn);
	}
	if (!c->error && stream_outputs(c, &decls, &fn) && user_clip_planes(c, &decls, &fn))
		missing_varyings(c, &decls, &fn);
	glsl_buf_append(&fn, "}\n\n");
	e = glsl_buf_error(&decls) ? glsl_buf_error(&decls) : glsl_buf_error(&fn);
	if (e)
		glsl_fail(c, e, "out of space");
	if (!c->error) {
		if (decls.len)
			glsl_buf_append(&c->head, decls.data);
		glsl_buf_append(&c->head, fn.data);
	}
	glsl_buf_fini(&decls);
	glsl_buf_fini(&fn);
	return !c->error;
}

bool glsl_per_vertex_value(struct glsl_ctx *c, const struct tgsi_decl *d, uint32_t index,
                           const char *v, char *out)
{
	const char *piece = d->has_semantic ? varying_piece(d->semantic) : NULL;
	bool output = d->file == TGSI_FILE_OUTPUT;
	const char *prefix = output ? glsl_varying_prefix(c->sh->processor) : input_prefix(c);
	const char *block = output ? "gl_out" : "gl_in";

	if (piece && d->semantic != TGSI_SEMANTIC_PATCH)
		return glsl_fmt(c, out, "floatBitsToUint(%s_%s%u[%s])", prefix, piece,
		                sem_index(d, index), v);
	if (d->has_semantic && d->semantic == TGSI_SEMANTIC_POSITION)
		return glsl_fmt(c, out, "floatBitsToUint(%s[%s].gl_Position)", block, v);
	if (d->has_semantic && d->semantic == TGSI_SEMANTIC_PSIZE)
		return glsl_fmt(c, out, "floatBitsToUint(vec4(%s[%s].gl_PointSize, 0.0, 0.0, 0.0))",
		                block, v);
	return glsl_fail(c, -ENOTSUP, "per-vertex register %s",
	                 d->has_semantic ? tgsi_semantic_names[d->semantic] : "without semantic");
}

bool glsl_tcs_output(struct glsl_ctx *c, const struct tgsi_decl *d, uint32_t index, char *name,
                     enum glsl_tcs_kind *kind)
{
	const char *piece = d->has_semantic ? varying_piece(d->semantic) : NULL;

	*kind = GLSL_TCS_VEC4;
	if (!d->has_semantic)
		return glsl_fail(c, -EINVAL, "output without a semantic");
	if (d->per_vertex) {
		if (piece && d->semantic != TGSI_SEMANTIC_PATCH)
			return glsl_fmt(c, name, "tco_%s%u[gl_InvocationID]", piece,
			                sem_index(d, index));
		if (d->semantic == TGSI_SEMANTIC_POSITION)
			return glsl_fmt(c, name, "gl_out[gl_InvocationID].gl_Position");
	} else if (d->semantic == TGSI_SEMANTIC_PATCH) {
		return glsl_fmt(c, name, "tco_p%u", sem_index(d, index));
	} else if (d->semantic == TGSI_SEMANTIC_TESSOUTER) {
		*kind = GLSL_TCS_LEVEL4;
		return glsl_fmt(c, name, "gl_TessLevelOuter");
	} else if (d->semantic == TGSI_SEMANTIC_TESSINNER) {
		*kind = GLSL_TCS_LEVEL2;
		return glsl_fmt(c, name, "gl_TessLevelInner");
	}
	return glsl_fail(c, -ENOTSUP, "tessellation control output %s",
	                 tgsi_semantic_names[d->semantic]);
}

bool glsl_input_variable(struct glsl_ctx *c, const struct tgsi_decl *d, uint32_t index, char *out)
{
	const char *piece = d->has_semantic ? varying_piece(d->semantic) : NULL;

	if (c->sh->processor != TGSI_PROC_FRAGMENT || !piece)
		return glsl_fail(c, -ENOTSUP, "interpolation of this input");
	return glsl_fmt(c, out, "%s_%s%u", input_prefix(c), piece, sem_index(d, index));
}
