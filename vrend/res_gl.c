/* SPDX-License-Identifier: MIT */
/*
 * The resource state of one vrend instance (its own GL context and lock) and the
 * GL objects of classic resources: creation with immutable storage, the format
 * table's emulation swizzle, rollback on any GL error, destruction, get_info.
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "res_gl.h"
#include "res_internal.h"
#include "res_pack.h"
#include "resource.h"

/* ---- state ---------------------------------------------------------------- */

void vrend_res_gl_drain(void)
{
	for (int i = 0; i < 64 && glGetError() != GL_NO_ERROR; i++)
		;
}

static const char *gl_error_name(GLenum e)
{
	switch (e) {
	case GL_INVALID_ENUM:
		return "GL_INVALID_ENUM";
	case GL_INVALID_VALUE:
		return "GL_INVALID_VALUE";
	case GL_INVALID_OPERATION:
		return "GL_INVALID_OPERATION";
	case GL_INVALID_FRAMEBUFFER_OPERATION:
		return "GL_INVALID_FRAMEBUFFER_OPERATION";
	case GL_OUT_OF_MEMORY:
		return "GL_OUT_OF_MEMORY";
	default:
		return "GL error";
	}
}

int vrend_res_gl_check(struct vrend_res_state *st, const char *what, int fail)
{
	GLenum e = glGetError();

	if (e == GL_NO_ERROR)
		return 0;
	vrend_res_log(st, VGN_LOG_WARN, "vrend resource: %s: %s (0x%x)", what, gl_error_name(e), e);
	vrend_res_gl_drain();
	return e == GL_OUT_OF_MEMORY ? -ENOMEM : fail;
}

int vrend_res_enter(struct vrend_res_state *st)
{
	pthread_mutex_lock(&st->lock); /* recursive: depth is ours while held */
	uint32_t d = st->depth;
	int ret = d < VREND_GL_SECTION_DEPTH ? vrend_gl_section_enter(st, st->ctx, &st->res_sec[d])
	                                     : -EDEADLK;
	pthread_mutex_unlock(&st->lock);
	if (ret) {
		vrend_res_log(st, VGN_LOG_ERROR,
		              "vrend resource: cannot make the resource context current (%d)", ret);
		return ret;
	}
	vrend_res_gl_drain();
	return 0;
}

void vrend_res_leave(struct vrend_res_state *st)
{
	vrend_gl_section_leave(st, st->stack[st->depth - 1]);
}

static int32_t get_int(GLenum pname)
{
	GLint v = 0;

	glGetIntegerv(pname, &v);
	return v;
}

/* Features and limits of the live resource context (current). */
static void read_limits(struct vrend_res_state *st)
{
	const struct vrend_gl_info *info = st->info;

	st->gles = info->gles;
	st->dsa_readback = !info->gles && (vrend_gl_version_ge(info, 45, 0) ||
	                                   vrend_gl_has_ext(info, "GL_ARB_get_texture_sub_image"));
	st->tex_1d = !info->gles;
	st->tex_rect = !info->gles;
	st->tex_cube_array = vrend_gl_version_ge(info, 40, 32) ||
	                     vrend_gl_has_ext(info, "GL_ARB_texture_cube_map_array") ||
	                     vrend_gl_has_ext(info, "GL_EXT_texture_cube_map_array") ||
	                     vrend_gl_has_ext(info, "GL_OES_texture_cube_map_array");
	st->ms_storage = vrend_gl_version_ge(info, 43, 31) ||
	                 vrend_gl_has_ext(info, "GL_ARB_texture_storage_multisample");
	st->ms_array = vrend_gl_version_ge(info, 43, 32) ||
	               vrend_gl_has_ext(info, "GL_ARB_texture_storage_multisample") ||
	               vrend_gl_has_ext(info, "GL_OES_texture_storage_multisample_2d_array");

	st->clear_texture = !info->gles && (vrend_gl_version_ge(info, 44, 0) ||
	                                    vrend_gl_has_ext(info, "GL_ARB_clear_texture"));
	st->clear_buffer = !info->gles && (vrend_gl_version_ge(info, 43, 0) ||
	                                   vrend_gl_has_ext(info, "GL_ARB_clear_buffer_object"));

	st->max_size = get_int(GL_MAX_TEXTURE_SIZE);
	st->max_3d = get_int(GL_MAX_3D_TEXTURE_SIZE);
	st->max_cube = get_int(GL_MAX_CUBE_MAP_TEXTURE_SIZE);
	st->max_layers = get_int(GL_MAX_ARRAY_TEXTURE_LAYERS);
	st->max_rect = st->tex_rect ? get_int(GL_MAX_RECTANGLE_TEXTURE_SIZE) : st->max_size;
	if (st->ms_storage) {
		st->max_color_samples = get_int(GL_MAX_COLOR_TEXTURE_SAMPLES);
		st->max_depth_samples = get_int(GL_MAX_DEPTH_TEXTURE_SAMPLES);
		st->max_int_samples = get_int(GL_MAX_INTEGER_SAMPLES);
	}
	/* Guest rows are byte-packed; row length and image height are set per op. */
	glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
	glPixelStorei(GL_PACK_ALIGNMENT, 1);
	vrend_res_gl_drain();
}

/* The state's own GL objects (not the context). */
static void drop_gl_objects(struct vrend_res_state *st)
{
	if (!st->ctx || (!st->fbo && !st->last_sync))
		return;
	if (vrend_gl_section_enter(st, st->ctx, &st->res_sec[0]) == 0) {
		GLuint fbo = st->fbo;
		if (fbo)
			glDeleteFramebuffers(1, &fbo);
		if (st->last_sync)
			glDeleteSync(st->last_sync);
		st->last_sync = NULL;
		st->res_sec[0].work = false; /* no new fence */
		vrend_gl_section_leave(st, &st->res_sec[0]);
	}
}

int vrend_res_state_create(const struct vrend_res_params *params, struct vrend_res_state **out)
{
	if (!params || !params->platform || !out)
		return -EINVAL;
	const struct vrend_gl_info *info = vrend_platform_gl_info(params->platform);
	if (!vrend_gl_version_ge(info, 42, 30) && !vrend_gl_has_ext(info, "GL_ARB_texture_storage"))
		return -ENOTSUP; /* immutable storage is the only creation path */

	struct vrend_res_state *st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&st->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	st->platform = params->platform;
	st->info = info;
	st->debug_flags = params->debug_flags;
	if (params->logger)
		st->logger = *params->logger;

	int ret = vrend_gl_context_create(st->platform, &st->ctx);
	if (ret)
		goto err;
	ret = vrend_res_enter(st);
	if (ret)
		goto err;
	read_limits(st);
	if (params->caps)
		st->caps = *params->caps;
	else
		ret = vrend_formats_probe(info, &st->caps);
	vrend_res_leave(st);
	if (ret)
		goto err;
	*out = st;
	return 0;
err:
	drop_gl_objects(st);
	vrend_gl_context_destroy(st->ctx);
	pthread_mutex_destroy(&st->lock);
	free(st);
	return ret;
}

void vrend_res_state_destroy(struct vrend_res_state *st)
{
	if (!st)
		return;
	if (st->stats.textures_live || st->stats.buffers_live)
		vrend_res_log(st, VGN_LOG_ERROR,
		              "vrend resource: state destroyed with %u textures, %u buffers alive",
		              st->stats.textures_live, st->stats.buffers_live);
	drop_gl_objects(st);
	vrend_gl_context_destroy(st->ctx);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

void vrend_res_get_stats(struct vrend_res_state *st, struct vrend_res_stats *out)
{
	pthread_mutex_lock(&st->lock);
	*out = st->stats;
	pthread_mutex_unlock(&st->lock);
}

/* ---- creation checks (no GL) ---------------------------------------------- */

/* -ENOTSUP ("not mine": the next backend may take it) is news, -EINVAL a guest or
 * caps error. */
#define refuse(st_, ret_, ...)                                                                     \
	(vrend_res_log((st_), (ret_) == -ENOTSUP ? VGN_LOG_INFO : VGN_LOG_WARN,                    \
	               "vrend resource: " __VA_ARGS__),                                            \
	 (ret_))

static bool over(uint32_t v, int32_t max)
{
	return max <= 0 || v > (uint32_t)max;
}

/* The GL target of a texture resource, or -ENOTSUP when this API lacks it. */
static int gl_target_of(const struct vrend_res_state *st,
                        const struct vgn_resource_create_params *p, GLenum *out)
{
	bool ms = p->nr_samples > 1;

	switch (p->target) {
	case VGN_TARGET_1D:
		*out = GL_TEXTURE_1D;
		return st->tex_1d ? 0 : -ENOTSUP;
	case VGN_TARGET_1D_ARRAY:
		*out = GL_TEXTURE_1D_ARRAY;
		return st->tex_1d ? 0 : -ENOTSUP;
	case VGN_TARGET_2D:
		*out = ms ? GL_TEXTURE_2D_MULTISAMPLE : GL_TEXTURE_2D;
		return !ms || st->ms_storage ? 0 : -ENOTSUP;
	case VGN_TARGET_RECT:
		/* GLES has no rectangle textures: a 2D texture holds the same texels
		 * (unnormalised coordinates are the shader's business). */
		*out = st->tex_rect ? GL_TEXTURE_RECTANGLE : GL_TEXTURE_2D;
		return 0;
	case VGN_TARGET_2D_ARRAY:
		*out = ms ? GL_TEXTURE_2D_MULTISAMPLE_ARRAY : GL_TEXTURE_2D_ARRAY;
		return !ms || st->ms_array ? 0 : -ENOTSUP;
	case VGN_TARGET_3D:
		*out = GL_TEXTURE_3D;
		return 0;
	case VGN_TARGET_CUBE:
		*out = GL_TEXTURE_CUBE_MAP;
		return 0;
	case VGN_TARGET_CUBE_ARRAY:
		*out = GL_TEXTURE_CUBE_MAP_ARRAY;
		return st->tex_cube_array ? 0 : -ENOTSUP;
	default:
		return -EINVAL;
	}
}

/* The live context's size limits for p (the core checked its own, smaller or
 * larger, bounds already). */
static int check_limits(struct vrend_res_state *st, const struct vgn_resource_create_params *p,
                        const struct vrend_format *f)
{
	uint32_t layers = p->array_size;
	bool too_big;

	if (st->debug_flags & VREND_RES_DEBUG_SKIP_LIMITS)
		return 0;
	switch (p->target) {
	case VGN_TARGET_3D:
		too_big = over(p->width, st->max_3d) || over(p->height, st->max_3d) ||
		          over(p->depth, st->max_3d);
		break;
	case VGN_TARGET_CUBE:
		too_big = over(p->width, st->max_cube);
		break;
	case VGN_TARGET_CUBE_ARRAY:
		too_big = over(p->width, st->max_cube) || over(layers, st->max_layers);
		break;
	case VGN_TARGET_RECT:
		too_big = over(p->width, st->max_rect) || over(p->height, st->max_rect);
		break;
	case VGN_TARGET_1D_ARRAY:
	case VGN_TARGET_2D_ARRAY:
		too_big = over(p->width, st->max_size) || over(p->height, st->max_size) ||
		          over(layers, st->max_layers);
		break;
	default:
		too_big = over(p->width, st->max_size) || over(p->height, st->max_size);
		break;
	}
	if (too_big)
		return refuse(st, -EINVAL, "%ux%ux%u (%u layers) exceeds the host GL limits",
		              p->width, p->height, p->depth, layers);
	if (p->nr_samples > 1) {
		int32_t max = st->max_color_samples;
		if (f->flags & (VREND_FMT_DEPTH | VREND_FMT_STENCIL))
			max = st->max_depth_samples;
		else if (f->flags & VREND_FMT_INTEGER)
			max = st->max_int_samples;
		if (over(p->nr_samples, max))
			return refuse(st, -EINVAL, "%u samples exceed the host limit %d",
			              p->nr_samples, max);
	}
	return 0;
}

/* Everything that can be decided without GL: format mapping, target, limits. */
static int check_texture(struct vrend_res_state *st, const struct vgn_resource *res,
                         struct vrend_resource *vr)
{
	const struct vgn_resource_create_params *p = &res->create;
	const char *name = vrend_vfmt_name(p->format);
	const struct vrend_format *f = vrend_format_get(p->format);
	const struct vgn_format *core = res->format;
	enum vrend_res_conv conv;
	int ret;

	if (!f)
		return refuse(st, -ENOTSUP, "format %s has no GL mapping", name);
	if (!core || core->block_w != f->block_w || core->block_h != f->block_h ||
	    core->block_bytes != f->block_bytes)
		return refuse(st, -ENOTSUP, "format %s: core and GL block layouts differ", name);
	if (vrend_res_conv_for(p->format, f, &conv))
		return refuse(st, -ENOTSUP, "format %s: no transfer conversion", name);
	if (!vrend_format_caps_has(&st->caps, p->format, VREND_PROBE_TEXTURE))
		return refuse(st, -ENOTSUP, "format %s is not a texture format on this host", name);
	ret = gl_target_of(st, p, &vr->gl_target);
	if (ret)
		return refuse(st, ret, "target %u (%u samples) is not available on this host GL",
		              p->target, p->nr_samples);

	bool compressed = f->flags & VREND_FMT_COMPRESSED;
	bool zs = f->flags & (VREND_FMT_DEPTH | VREND_FMT_STENCIL);
	bool bptc = p->format >= VFMT_BPTC_RGBA_UNORM && p->format <= VFMT_BPTC_RGB_UFLOAT;
	if (compressed && (p->target == VGN_TARGET_1D || p->target == VGN_TARGET_1D_ARRAY ||
	                   p->target == VGN_TARGET_RECT || p->nr_samples > 1 ||
	                   (p->target == VGN_TARGET_3D && !bptc)))
		return refuse(st, -ENOTSUP, "compressed %s on target %u (%u samples)", name,
		              p->target, p->nr_samples);
	if (zs && p->target == VGN_TARGET_3D)
		return refuse(st, -ENOTSUP, "depth/stencil %s on a 3D texture", name);
	if ((p->bind & VGN_BIND_RENDER_TARGET) &&
	    !vrend_format_caps_has(&st->caps, p->format, VREND_PROBE_RENDER))
		return refuse(st, -EINVAL, "%s cannot be a render target here", name);
	if ((p->bind & VGN_BIND_DEPTH_STENCIL) &&
	    !vrend_format_caps_has(&st->caps, p->format, VREND_PROBE_DEPTH))
		return refuse(st, -EINVAL, "%s cannot be a depth/stencil buffer here", name);
	if (p->nr_samples > 1 && !vrend_format_caps_has(&st->caps, p->format, VREND_PROBE_MSAA))
		return refuse(st, -EINVAL, "%s cannot be multisampled here", name);
	ret = check_limits(st, p, f);
	if (ret)
		return ret;

	vr->fmt = f;
	vr->conv = (uint8_t)conv;
	return 0;
}

/* ---- GL objects (resource context current) -------------------------------- */

static GLint gl_swizzle(uint8_t s)
{
	static const GLint map[] = {GL_RED, GL_GREEN, GL_BLUE, GL_ALPHA, GL_ZERO, GL_ONE};
	return s < sizeof(map) / sizeof(map[0]) ? map[s] : GL_ZERO;
}

static void allocate_storage(const struct vgn_resource_create_params *p,
                             const struct vrend_resource *vr)
{
	GLenum t = vr->gl_target, ifmt = vr->fmt->internal_format;
	GLsizei levels = (GLsizei)vr->levels, samples = (GLsizei)p->nr_samples;
	GLsizei w = (GLsizei)p->width, h = (GLsizei)p->height;

	switch (t) {
	case GL_TEXTURE_1D:
		glTexStorage1D(t, levels, ifmt, w);
		break;
	case GL_TEXTURE_1D_ARRAY:
		glTexStorage2D(t, levels, ifmt, w, (GLsizei)p->array_size);
		break;
	case GL_TEXTURE_2D:
	case GL_TEXTURE_RECTANGLE:
	case GL_TEXTURE_CUBE_MAP:
		glTexStorage2D(t, levels, ifmt, w, h);
		break;
	case GL_TEXTURE_3D:
		glTexStorage3D(t, levels, ifmt, w, h, (GLsizei)p->depth);
		break;
	case GL_TEXTURE_2D_ARRAY:
	case GL_TEXTURE_CUBE_MAP_ARRAY:
		glTexStorage3D(t, levels, ifmt, w, h, (GLsizei)p->array_size);
		break;
	case GL_TEXTURE_2D_MULTISAMPLE:
		glTexStorage2DMultisample(t, samples, ifmt, w, h, GL_TRUE);
		break;
	case GL_TEXTURE_2D_MULTISAMPLE_ARRAY:
		glTexStorage3DMultisample(t, samples, ifmt, w, h, (GLsizei)p->array_size, GL_TRUE);
		break;
	default:
		break;
	}
}

static int create_texture(struct vrend_res_state *st, const struct vgn_resource_create_params *p,
                          struct vrend_resource *vr)
{
	static const GLenum swz_pname[4] = {GL_TEXTURE_SWIZZLE_R, GL_TEXTURE_SWIZZLE_G,
	                                    GL_TEXTURE_SWIZZLE_B, GL_TEXTURE_SWIZZLE_A};
	GLuint tex = 0;

	glGenTextures(1, &tex);
	st->stats.last_name = tex;
	glBindTexture(vr->gl_target, tex);
	allocate_storage(p, vr);
	if (vr->fmt->flags & VREND_FMT_EMULATED) {
		for (int i = 0; i < 4; i++)
			glTexParameteri(vr->gl_target, swz_pname[i],
			                gl_swizzle(vr->fmt->swizzle[i]));
	}
	glBindTexture(vr->gl_target, 0);
	int ret = vrend_res_gl_check(st, "texture storage", -EINVAL);
	if (!ret) {
		vr->gl_name = tex;
		ret = vrend_res_zero_texture(st, vr, p);
		if (!ret)
			ret = vrend_res_gl_check(st, "texture zero fill", -EINVAL);
	}
	if (ret) {
		glDeleteTextures(1, &tex);
		st->stats.rollbacks++;
		vrend_res_log(st, VGN_LOG_WARN,
		              "vrend resource: GL refused %s target 0x%x %ux%ux%u a%u l%u s%u",
		              vrend_vfmt_name(p->format), vr->gl_target, p->width, p->height,
		              p->depth, p->array_size, vr->levels, p->nr_samples);
		vr->gl_name = 0;
		return ret;
	}
	st->stats.textures_live++;
	return 0;
}

static int create_buffer(struct vrend_res_state *st, uint64_t bytes, struct vrend_resource *vr)
{
	GLuint buf = 0;

	/* One generic buffer object: the guest rebinds buffers freely (vertex,
	 * index, uniform, SSBO, texture buffer...), so the bind flags do not pick a
	 * target. COPY_WRITE_BUFFER touches no state any draw uses. */
	glGenBuffers(1, &buf);
	st->stats.last_name = buf;
	glBindBuffer(GL_COPY_WRITE_BUFFER, buf);
	if (st->clear_buffer) {
		glBufferData(GL_COPY_WRITE_BUFFER, (GLsizeiptr)bytes, NULL, GL_DYNAMIC_DRAW);
		glClearBufferData(GL_COPY_WRITE_BUFFER, GL_R8, GL_RED, GL_UNSIGNED_BYTE, NULL);
	} else {
		/* Zeroed like every new resource (calloc maps zero pages lazily). */
		void *zeros = calloc(1, bytes);
		if (zeros)
			glBufferData(GL_COPY_WRITE_BUFFER, (GLsizeiptr)bytes, zeros,
			             GL_DYNAMIC_DRAW);
		free(zeros);
		if (!zeros) {
			glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
			glDeleteBuffers(1, &buf);
			return -ENOMEM;
		}
	}
	glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
	int ret = vrend_res_gl_check(st, "buffer storage", -EINVAL);
	if (ret) {
		glDeleteBuffers(1, &buf);
		st->stats.rollbacks++;
		return ret;
	}
	vr->gl_target = GL_BUFFER;
	vr->gl_name = buf;
	vr->is_buffer = true;
	st->stats.buffers_live++;
	return 0;
}

int vrend_resource_create(struct vgn_backend *b, struct vgn_resource *res)
{
	struct vrend_res_state *st = vrend_res_state_of(b);
	const struct vgn_resource_create_params *p = &res->create;
	struct vrend_resource *vr = calloc(1, sizeof(*vr));
	int ret;

	if (!vr)
		return -ENOMEM;
	vr->vfmt = p->format;
	vr->levels = p->last_level + 1;
	vr->samples = p->nr_samples;
	if (p->target == VGN_TARGET_BUFFER && p->bind == VGN_BIND_CUSTOM) {
		vr->gl_target = GL_BUFFER;
		vr->is_buffer = true;
		vr->lazy = true;
		vr->lazy_bytes = p->width;
		res->backend_data = vr;
		return 0;
	}
	ret = p->target == VGN_TARGET_BUFFER ? 0 : check_texture(st, res, vr);
	if (!ret)
		ret = vrend_res_enter(st);
	if (!ret) {
		if (p->target == VGN_TARGET_BUFFER)
			ret = create_buffer(st, p->width, vr);
		else
			ret = create_texture(st, p, vr);
		vrend_res_leave(st);
	}
	if (ret) {
		free(vr);
		return ret;
	}
	res->backend_data = vr;
	return 0;
}

void vrend_resource_destroy(struct vgn_backend *b, struct vgn_resource *res)
{
	struct vrend_res_state *st = vrend_res_state_of(b);
	struct vrend_resource *vr = res->backend_data;

	if (!vr)
		return;
	if (vr->lazy) {
		/* Never used in GL: nothing to delete. */
	} else if (vrend_res_enter(st) == 0) {
		GLuint name = vr->gl_name;
		if (vr->is_buffer) {
			glDeleteBuffers(1, &name);
			st->stats.buffers_live--;
		} else {
			glDeleteTextures(1, &name);
			st->stats.textures_live--;
		}
		vrend_res_leave(st);
	} else {
		/* Without our context the name stays until the platform goes. */
		vrend_res_log(st, VGN_LOG_ERROR, "vrend resource: leaking GL object %u",
		              vr->gl_name);
	}
	res->backend_data = NULL;
	free(vr);
}

int vrend_resource_materialize(struct vrend_res_state *st, struct vrend_resource *vr)
{
	if (!vr->lazy)
		return 0;
	int ret = create_buffer(st, vr->lazy_bytes, vr);
	if (!ret)
		vr->lazy = false;
	return ret;
}

int vrend_resource_get_info(struct vgn_backend *b, struct vgn_resource *res,
                            struct vgn_resource_info *out)
{
	const struct vgn_resource_create_params *p = &res->create;
	struct vrend_resource *vr = res->backend_data;
	uint64_t stride = p->width; /* buffers: bytes */

	(void)b;
	if (!vr)
		return -EINVAL;
	if (!vr->is_buffer) {
		const struct vrend_format *f = vr->fmt;
		stride = (uint64_t)vgn_nblocks(p->width, f->block_w) * f->block_bytes;
		const struct vgn_format *cf = vgn_format_get(p->format);
		if (cf && cf->drm_fourcc)
			out->drm_fourcc = cf->drm_fourcc;
	}
	/* The guest's tight layout of level 0 (what transfers with stride 0 use);
	 * the GL object itself has no CPU-visible layout, so the modifier stays
	 * DRM_FORMAT_MOD_INVALID. */
	out->num_planes = 1;
	out->strides[0] = stride > UINT32_MAX ? 0 : (uint32_t)stride;
	out->offsets[0] = 0;
	return 0;
}
