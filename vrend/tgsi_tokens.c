/* SPDX-License-Identifier: MIT */
/* TGSI spellings and the opcode table (see tgsi_opcode_table.h). */
#include "tgsi_tokens.h"

#include <strings.h>

#define TGSI_OP_INFO(n, nd, ns, k, f, glsl, dt, st, t)                                             \
	[TGSI_OP_##n] = {.name = #n,                                                               \
	                 .num_dst = nd,                                                            \
	                 .num_src = ns,                                                            \
	                 .kind = TGSI_KIND_##k,                                                    \
	                 .flags = f,                                                               \
	                 .glsl_version = glsl,                                                     \
	                 .dst_type = dt,                                                           \
	                 .src_types = st,                                                          \
	                 .tmpl = t},
const struct tgsi_opcode_info tgsi_opcode_infos[TGSI_OP_COUNT] = {TGSI_OPCODE_TABLE(TGSI_OP_INFO)};
#undef TGSI_OP_INFO

const char *const tgsi_processor_names[TGSI_PROC_COUNT] = {
    "VERT", "TESS_CTRL", "TESS_EVAL", "GEOM", "FRAG", "COMP",
};

const char *const tgsi_file_names[TGSI_FILE_COUNT] = {
    "NULL", "CONST", "IN",    "OUT",    "TEMP",   "SAMP",     "ADDR",     "IMM",
    "SV",   "IMAGE", "SVIEW", "BUFFER", "MEMORY", "CONSTBUF", "HWATOMIC",
};

const char *const tgsi_semantic_names[TGSI_SEMANTIC_COUNT] = {
    "POSITION",
    "COLOR",
    "BCOLOR",
    "FOG",
    "PSIZE",
    "GENERIC",
    "NORMAL",
    "FACE",
    "EDGEFLAG",
    "PRIM_ID",
    "INSTANCEID",
    "VERTEXID",
    "STENCIL",
    "CLIPDIST",
    "CLIPVERTEX",
    "GRID_SIZE",
    "BLOCK_ID",
    "BLOCK_SIZE",
    "THREAD_ID",
    "TEXCOORD",
    "PCOORD",
    "VIEWPORT_INDEX",
    "LAYER",
    "SAMPLEID",
    "SAMPLEPOS",
    "SAMPLEMASK",
    "INVOCATIONID",
    "VERTEXID_NOBASE",
    "BASEVERTEX",
    "PATCH",
    "TESSCOORD",
    "TESSOUTER",
    "TESSINNER",
    "VERTICESIN",
    "HELPER_INVOCATION",
    "BASEINSTANCE",
    "DRAWID",
    "WORK_DIM",
    "SUBGROUP_SIZE",
    "SUBGROUP_INVOCATION",
    "SUBGROUP_EQ_MASK",
    "SUBGROUP_GE_MASK",
    "SUBGROUP_GT_MASK",
    "SUBGROUP_LE_MASK",
    "SUBGROUP_LT_MASK",
    "CS_USER_DATA_AMD",
    "VIEWPORT_MASK",
    "VIEW_INDEX",
};

const char *const tgsi_texture_names[TGSI_TEXTURE_COUNT] = {
    "BUFFER",
    "1D",
    "2D",
    "3D",
    "CUBE",
    "RECT",
    "SHADOW1D",
    "SHADOW2D",
    "SHADOWRECT",
    "1D_ARRAY",
    "2D_ARRAY",
    "SHADOW1D_ARRAY",
    "SHADOW2D_ARRAY",
    "SHADOWCUBE",
    "2D_MSAA",
    "2D_ARRAY_MSAA",
    "CUBEARRAY",
    "SHADOWCUBEARRAY",
    "UNKNOWN",
};

const char *const tgsi_return_type_names[TGSI_RETURN_COUNT] = {
    "UNORM", "SNORM", "SINT", "UINT", "FLOAT",
};

const char *const tgsi_interpolate_names[TGSI_INTERP_COUNT] = {
    "CONSTANT",
    "LINEAR",
    "PERSPECTIVE",
    "COLOR",
};

const char *const tgsi_location_names[TGSI_LOC_COUNT] = {"CENTER", "CENTROID", "SAMPLE"};

const char *const tgsi_memory_type_names[TGSI_MEMORY_TYPE_COUNT] = {
    "GLOBAL",
    "SHARED",
    "PRIVATE",
    "INPUT",
};

const char *const tgsi_memory_qualifier_names[TGSI_MEM_QUALIFIER_COUNT] = {
    "COHERENT",
    "RESTRICT",
    "VOLATILE",
    "STREAM_CACHE_POLICY",
};

const char *const tgsi_imm_type_names[TGSI_IMM_TYPE_COUNT] = {
    "FLT32", "UINT32", "INT32", "FLT64", "UINT64", "INT64",
};

const char *const tgsi_property_names[TGSI_PROPERTY_COUNT] = {
    "GS_INPUT_PRIMITIVE",
    "GS_OUTPUT_PRIMITIVE",
    "GS_MAX_OUTPUT_VERTICES",
    "FS_COORD_ORIGIN",
    "FS_COORD_PIXEL_CENTER",
    "FS_COLOR0_WRITES_ALL_CBUFS",
    "FS_DEPTH_LAYOUT",
    "VS_PROHIBIT_UCPS",
    "GS_INVOCATIONS",
    "VS_WINDOW_SPACE_POSITION",
    "TCS_VERTICES_OUT",
    "TES_PRIM_MODE",
    "TES_SPACING",
    "TES_VERTEX_ORDER_CW",
    "TES_POINT_MODE",
    "NUM_CLIPDIST_ENABLED",
    "NUM_CULLDIST_ENABLED",
    "FS_EARLY_DEPTH_STENCIL",
    "FS_POST_DEPTH_COVERAGE",
    "NEXT_SHADER",
    "CS_FIXED_BLOCK_WIDTH",
    "CS_FIXED_BLOCK_HEIGHT",
    "CS_FIXED_BLOCK_DEPTH",
    "LEGACY_MATH_RULES",
    "VS_BLIT_SGPRS_AMD",
    "CS_USER_DATA_COMPONENTS_AMD",
    "LAYER_VIEWPORT_RELATIVE",
    "FS_BLEND_EQUATION_ADVANCED",
    "SEPARABLE_PROGRAM",
    "NUM_VIEWS",
};

const char *const tgsi_prim_names[TGSI_PRIM_COUNT] = {
    "POINTS",
    "LINES",
    "LINE_LOOP",
    "LINE_STRIP",
    "TRIANGLES",
    "TRIANGLE_STRIP",
    "TRIANGLE_FAN",
    "QUADS",
    "QUAD_STRIP",
    "POLYGON",
    "LINES_ADJACENCY",
    "LINE_STRIP_ADJACENCY",
    "TRIANGLES_ADJACENCY",
    "TRIANGLE_STRIP_ADJACENCY",
    "PATCHES",
};

const char *const tgsi_fs_origin_names[TGSI_FS_ORIGIN_COUNT] = {"UPPER_LEFT", "LOWER_LEFT"};
const char *const tgsi_fs_center_names[TGSI_FS_CENTER_COUNT] = {"HALF_INTEGER", "INTEGER"};

int tgsi_lookup_name(const char *const *names, size_t count, const char *s, size_t len)
{
	for (size_t i = 0; i < count; i++) {
		if (names[i] && strncasecmp(names[i], s, len) == 0 && names[i][len] == '\0')
			return (int)i;
	}
	return -1;
}

int tgsi_lookup_opcode(const char *s, size_t len)
{
	for (size_t i = 0; i < TGSI_OP_COUNT; i++) {
		const char *n = tgsi_opcode_infos[i].name;

		if (strncasecmp(n, s, len) == 0 && n[len] == '\0')
			return (int)i;
	}
	return -1;
}
