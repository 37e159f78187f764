/* SPDX-License-Identifier: MIT */
#include "gl_info.h"

#include <epoxy/gl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Drops pending errors so the next query's error is its own. Bounded: a lost
 * context may keep reporting errors. */
static void drain_errors(void)
{
	for (int i = 0; i < 16 && glGetError() != GL_NO_ERROR; i++)
		;
}

/* Limits the context does not know (older version, missing stage) read as 0. */
static int32_t get_int(GLenum pname)
{
	GLint v = 0;

	drain_errors();
	glGetIntegerv(pname, &v);
	return glGetError() == GL_NO_ERROR ? v : 0;
}

static int32_t get_int_i(GLenum pname, GLuint index)
{
	GLint v = 0;

	drain_errors();
	glGetIntegeri_v(pname, index, &v);
	return glGetError() == GL_NO_ERROR ? v : 0;
}

static void get_float2(GLenum pname, float out[2])
{
	GLfloat v[2] = {0, 0};

	drain_errors();
	glGetFloatv(pname, v);
	if (glGetError() != GL_NO_ERROR)
		v[0] = v[1] = 0;
	out[0] = v[0];
	out[1] = v[1];
}

static float get_float(GLenum pname)
{
	GLfloat v[4] = {0};

	drain_errors();
	glGetFloatv(pname, v);
	return glGetError() == GL_NO_ERROR ? v[0] : 0;
}

static void copy_string(char *dst, size_t size, GLenum name)
{
	const char *s = (const char *)glGetString(name);

	snprintf(dst, size, "%s", s ? s : "");
}

/* Per-stage enums in wire order: VS, FS, GS, TCS, TES, CS. */
static void get_stage_ints(const GLenum pnames[VREND_STAGE_COUNT], int32_t out[VREND_STAGE_COUNT])
{
	for (int i = 0; i < VREND_STAGE_COUNT; i++)
		out[i] = get_int(pnames[i]);
}

static void query_stage_limits(struct vrend_gl_limits *l)
{
	static const GLenum ubo[] = {
	    GL_MAX_VERTEX_UNIFORM_BLOCKS,          GL_MAX_FRAGMENT_UNIFORM_BLOCKS,
	    GL_MAX_GEOMETRY_UNIFORM_BLOCKS,        GL_MAX_TESS_CONTROL_UNIFORM_BLOCKS,
	    GL_MAX_TESS_EVALUATION_UNIFORM_BLOCKS, GL_MAX_COMPUTE_UNIFORM_BLOCKS};
	static const GLenum comps[] = {
	    GL_MAX_VERTEX_UNIFORM_COMPONENTS,          GL_MAX_FRAGMENT_UNIFORM_COMPONENTS,
	    GL_MAX_GEOMETRY_UNIFORM_COMPONENTS,        GL_MAX_TESS_CONTROL_UNIFORM_COMPONENTS,
	    GL_MAX_TESS_EVALUATION_UNIFORM_COMPONENTS, GL_MAX_COMPUTE_UNIFORM_COMPONENTS};
	static const GLenum tex[] = {
	    GL_MAX_VERTEX_TEXTURE_IMAGE_UNITS,          GL_MAX_TEXTURE_IMAGE_UNITS,
	    GL_MAX_GEOMETRY_TEXTURE_IMAGE_UNITS,        GL_MAX_TESS_CONTROL_TEXTURE_IMAGE_UNITS,
	    GL_MAX_TESS_EVALUATION_TEXTURE_IMAGE_UNITS, GL_MAX_COMPUTE_TEXTURE_IMAGE_UNITS};
	static const GLenum ssbo[] = {
	    GL_MAX_VERTEX_SHADER_STORAGE_BLOCKS,          GL_MAX_FRAGMENT_SHADER_STORAGE_BLOCKS,
	    GL_MAX_GEOMETRY_SHADER_STORAGE_BLOCKS,        GL_MAX_TESS_CONTROL_SHADER_STORAGE_BLOCKS,
	    GL_MAX_TESS_EVALUATION_SHADER_STORAGE_BLOCKS, GL_MAX_COMPUTE_SHADER_STORAGE_BLOCKS};
	static const GLenum img[] = {
	    GL_MAX_VERTEX_IMAGE_UNIFORMS,          GL_MAX_FRAGMENT_IMAGE_UNIFORMS,
	    GL_MAX_GEOMETRY_IMAGE_UNIFORMS,        GL_MAX_TESS_CONTROL_IMAGE_UNIFORMS,
	    GL_MAX_TESS_EVALUATION_IMAGE_UNIFORMS, GL_MAX_COMPUTE_IMAGE_UNIFORMS};
	static const GLenum ac[] = {
	    GL_MAX_VERTEX_ATOMIC_COUNTERS,          GL_MAX_FRAGMENT_ATOMIC_COUNTERS,
	    GL_MAX_GEOMETRY_ATOMIC_COUNTERS,        GL_MAX_TESS_CONTROL_ATOMIC_COUNTERS,
	    GL_MAX_TESS_EVALUATION_ATOMIC_COUNTERS, GL_MAX_COMPUTE_ATOMIC_COUNTERS};
	static const GLenum acb[] = {GL_MAX_VERTEX_ATOMIC_COUNTER_BUFFERS,
	                             GL_MAX_FRAGMENT_ATOMIC_COUNTER_BUFFERS,
	                             GL_MAX_GEOMETRY_ATOMIC_COUNTER_BUFFERS,
	                             GL_MAX_TESS_CONTROL_ATOMIC_COUNTER_BUFFERS,
	                             GL_MAX_TESS_EVALUATION_ATOMIC_COUNTER_BUFFERS,
	                             GL_MAX_COMPUTE_ATOMIC_COUNTER_BUFFERS};

	get_stage_ints(ubo, l->uniform_blocks);
	get_stage_ints(comps, l->uniform_components);
	get_stage_ints(tex, l->texture_image_units);
	get_stage_ints(ssbo, l->shader_storage_blocks);
	get_stage_ints(img, l->image_uniforms);
	get_stage_ints(ac, l->atomic_counters);
	get_stage_ints(acb, l->atomic_counter_buffers);
}

/* The host's MSAA sample positions, packed as caps want them: per sample one byte,
 * x * 16 in the high nibble, y * 16 in the low one. */
static void query_sample_locations(const struct vrend_gl_info *info, struct vrend_gl_limits *l)
{
	static const struct {
		GLsizei samples;
		int word;
	} patterns[] = {{2, 0}, {4, 1}, {8, 2}, {16, 4}};
	GLuint fbo = 0, rb = 0;

	if (!vrend_gl_version_ge(info, 32, 31) &&
	    !vrend_gl_has_ext(info, "GL_ARB_texture_multisample"))
		return;
	drain_errors();
	glGenFramebuffers(1, &fbo);
	glGenRenderbuffers(1, &rb);
	glBindFramebuffer(GL_FRAMEBUFFER, fbo);
	glBindRenderbuffer(GL_RENDERBUFFER, rb);
	for (size_t p = 0; p < sizeof(patterns) / sizeof(patterns[0]); p++) {
		GLsizei n = patterns[p].samples;

		if (n > l->samples)
			break;
		glRenderbufferStorageMultisample(GL_RENDERBUFFER, n, GL_RGBA8, 1, 1);
		glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
		                          rb);
		/* Drivers may round the count up; only an exact match describes n. */
		if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE ||
		    get_int(GL_SAMPLES) != n)
			continue;
		for (GLsizei i = 0; i < n; i++) {
			GLfloat pos[2] = {0, 0};
			uint32_t x, y;

			glGetMultisamplefv(GL_SAMPLE_POSITION, (GLuint)i, pos);
			x = pos[0] <= 0 ? 0 : pos[0] >= 15.0f / 16 ? 15 : (uint32_t)(pos[0] * 16);
			y = pos[1] <= 0 ? 0 : pos[1] >= 15.0f / 16 ? 15 : (uint32_t)(pos[1] * 16);
			l->sample_locations[patterns[p].word + i / 4] |= ((x << 4) | y)
			                                                 << (8 * (i % 4));
		}
	}
	glBindFramebuffer(GL_FRAMEBUFFER, 0);
	glBindRenderbuffer(GL_RENDERBUFFER, 0);
	glDeleteRenderbuffers(1, &rb);
	glDeleteFramebuffers(1, &fbo);
	drain_errors();
}

static void query_limits(const struct vrend_gl_info *info, struct vrend_gl_limits *l)
{
	query_stage_limits(l);
	l->texture_size = get_int(GL_MAX_TEXTURE_SIZE);
	l->texture_3d_size = get_int(GL_MAX_3D_TEXTURE_SIZE);
	l->cube_map_texture_size = get_int(GL_MAX_CUBE_MAP_TEXTURE_SIZE);
	l->array_texture_layers = get_int(GL_MAX_ARRAY_TEXTURE_LAYERS);
	l->draw_buffers = get_int(GL_MAX_DRAW_BUFFERS);
	l->dual_source_draw_buffers = get_int(GL_MAX_DUAL_SOURCE_DRAW_BUFFERS);
	l->samples = get_int(GL_MAX_SAMPLES);
	l->texture_buffer_size = get_int(GL_MAX_TEXTURE_BUFFER_SIZE);
	l->viewports = get_int(GL_MAX_VIEWPORTS);
	l->transform_feedback_buffers = get_int(GL_MAX_TRANSFORM_FEEDBACK_BUFFERS);
	if (!l->transform_feedback_buffers) /* GL 3.x / GLES: interleaved-only limit */
		l->transform_feedback_buffers = get_int(GL_MAX_TRANSFORM_FEEDBACK_SEPARATE_ATTRIBS);
	l->vertex_streams = get_int(GL_MAX_VERTEX_STREAMS);
	l->texture_gather_components = get_int(GL_MAX_PROGRAM_TEXTURE_GATHER_COMPONENTS_ARB);
	l->geometry_output_vertices = get_int(GL_MAX_GEOMETRY_OUTPUT_VERTICES);
	l->geometry_total_output_components = get_int(GL_MAX_GEOMETRY_TOTAL_OUTPUT_COMPONENTS);
	l->vertex_output_components = get_int(GL_MAX_VERTEX_OUTPUT_COMPONENTS);
	l->vertex_attribs = get_int(GL_MAX_VERTEX_ATTRIBS);
	l->tess_patch_components = get_int(GL_MAX_TESS_PATCH_COMPONENTS);
	l->tess_control_output_components = get_int(GL_MAX_TESS_CONTROL_OUTPUT_COMPONENTS);
	l->tess_evaluation_output_components = get_int(GL_MAX_TESS_EVALUATION_OUTPUT_COMPONENTS);
	l->min_texel_offset = get_int(GL_MIN_PROGRAM_TEXEL_OFFSET);
	l->max_texel_offset = get_int(GL_MAX_PROGRAM_TEXEL_OFFSET);
	l->min_texture_gather_offset = get_int(GL_MIN_PROGRAM_TEXTURE_GATHER_OFFSET);
	l->max_texture_gather_offset = get_int(GL_MAX_PROGRAM_TEXTURE_GATHER_OFFSET);
	l->texture_buffer_offset_alignment = get_int(GL_TEXTURE_BUFFER_OFFSET_ALIGNMENT);
	l->uniform_buffer_offset_alignment = get_int(GL_UNIFORM_BUFFER_OFFSET_ALIGNMENT);
	l->shader_storage_buffer_offset_alignment =
	    get_int(GL_SHADER_STORAGE_BUFFER_OFFSET_ALIGNMENT);
	l->vertex_attrib_stride = get_int(GL_MAX_VERTEX_ATTRIB_STRIDE);
	l->image_samples = get_int(GL_MAX_IMAGE_SAMPLES);
	l->compute_work_group_invocations = get_int(GL_MAX_COMPUTE_WORK_GROUP_INVOCATIONS);
	l->compute_shared_memory_size = get_int(GL_MAX_COMPUTE_SHARED_MEMORY_SIZE);
	for (GLuint i = 0; i < 3; i++) {
		l->compute_work_group_count[i] = get_int_i(GL_MAX_COMPUTE_WORK_GROUP_COUNT, i);
		l->compute_work_group_size[i] = get_int_i(GL_MAX_COMPUTE_WORK_GROUP_SIZE, i);
	}
	l->combined_shader_storage_blocks = get_int(GL_MAX_COMBINED_SHADER_STORAGE_BLOCKS);
	l->combined_atomic_counters = get_int(GL_MAX_COMBINED_ATOMIC_COUNTERS);
	l->combined_atomic_counter_buffers = get_int(GL_MAX_COMBINED_ATOMIC_COUNTER_BUFFERS);
	l->combined_texture_image_units = get_int(GL_MAX_COMBINED_TEXTURE_IMAGE_UNITS);
	l->uniform_block_size = get_int(GL_MAX_UNIFORM_BLOCK_SIZE);
	l->clip_distances = get_int(GL_MAX_CLIP_DISTANCES);
	l->cull_distances = get_int(GL_MAX_CULL_DISTANCES);

	get_float2(GL_ALIASED_POINT_SIZE_RANGE, l->aliased_point_size);
	get_float2(GL_ALIASED_LINE_WIDTH_RANGE, l->aliased_line_width);
	if (!info->gles) { /* GLES has no smooth points/lines */
		get_float2(GL_POINT_SIZE_RANGE, l->smooth_point_size);
		get_float2(GL_SMOOTH_LINE_WIDTH_RANGE, l->smooth_line_width);
	}
	l->texture_lod_bias = get_float(GL_MAX_TEXTURE_LOD_BIAS);
	l->texture_max_anisotropy = get_float(GL_MAX_TEXTURE_MAX_ANISOTROPY);
	query_sample_locations(info, l);
	drain_errors();
}

uint32_t vrend_parse_glsl_version(const char *str)
{
	uint32_t major = 0, minor = 0;
	int minor_digits = 0;
	const char *p = str;

	if (!p)
		return 0;
	while (*p && (*p < '0' || *p > '9'))
		p++;
	if (!*p)
		return 0;
	for (int n = 0; *p >= '0' && *p <= '9'; p++, n++) {
		if (n >= 3)
			return 0;
		major = major * 10 + (uint32_t)(*p - '0');
	}
	if (*p != '.')
		return 0;
	for (p++; *p >= '0' && *p <= '9' && minor_digits < 2; p++, minor_digits++)
		minor = minor * 10 + (uint32_t)(*p - '0');
	if (minor_digits == 0)
		return 0;
	if (minor_digits == 1)
		minor *= 10;
	return major * 100 + minor;
}

int vrend_gl_info_query(struct vrend_gl_info *info)
{
	GLint major = 0, minor = 0, n = 0;
	int ret;

	memset(info, 0, sizeof(*info));
	info->gles = !epoxy_is_desktop_gl();
	copy_string(info->vendor, sizeof(info->vendor), GL_VENDOR);
	copy_string(info->renderer, sizeof(info->renderer), GL_RENDERER);
	copy_string(info->version_string, sizeof(info->version_string), GL_VERSION);
	major = get_int(GL_MAJOR_VERSION);
	minor = get_int(GL_MINOR_VERSION);
	if (major < 3 || major > 9 || minor < 0 || minor > 9)
		return -ENOTSUP;
	info->version = (uint32_t)(major * 10 + minor);
	info->glsl_version =
	    vrend_parse_glsl_version((const char *)glGetString(GL_SHADING_LANGUAGE_VERSION));
	if (!info->gles)
		info->core_profile =
		    (get_int(GL_CONTEXT_PROFILE_MASK) & GL_CONTEXT_CORE_PROFILE_BIT) != 0;

	n = get_int(GL_NUM_EXTENSIONS);
	for (GLint i = 0; i < n; i++) {
		const char *ext = (const char *)glGetStringi(GL_EXTENSIONS, (GLuint)i);
		if (!ext)
			continue;
		ret = vrend_strset_add(&info->extensions, ext);
		if (ret) {
			vrend_gl_info_fini(info);
			return ret;
		}
	}
	query_limits(info, &info->limits);
	return 0;
}

void vrend_gl_info_fini(struct vrend_gl_info *info)
{
	vrend_strset_fini(&info->extensions);
}

bool vrend_gl_has_ext(const struct vrend_gl_info *info, const char *ext)
{
	return vrend_strset_contains(&info->extensions, ext);
}

bool vrend_gl_version_ge(const struct vrend_gl_info *info, uint32_t gl, uint32_t gles)
{
	uint32_t want = info->gles ? gles : gl;

	return want != 0 && info->version >= want;
}
