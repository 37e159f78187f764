/* SPDX-License-Identifier: MIT */
/*
 * Sampler views and surfaces (virgl-protocol.md §4.6, §4.8) and
 * SET_SAMPLER_VIEWS.
 *
 * A sampler view of a texture is a GL texture view (glTextureView) where the
 * host has them: it carries its own format, target, level and layer range,
 * swizzle and depth/stencil mode, so views of one resource never fight over
 * texture parameters. Without texture views (GLES hosts) the resource's own
 * texture is used and the parameters are set on it. Buffer views are buffer
 * textures (glTexBufferRange) over the element range.
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fb_internal.h"
#include "resource.h"
#include "transfer.h"

/* Gallium texture target -> GL target (index = pipe_texture_target). */
static GLenum pipe_target_gl(uint32_t t, bool ms)
{
	static const GLenum map[] = {
	    GL_TEXTURE_BUFFER,   GL_TEXTURE_1D,       GL_TEXTURE_2D,
	    GL_TEXTURE_3D,       GL_TEXTURE_CUBE_MAP, GL_TEXTURE_RECTANGLE,
	    GL_TEXTURE_1D_ARRAY, GL_TEXTURE_2D_ARRAY, GL_TEXTURE_CUBE_MAP_ARRAY,
	};
	if (t >= sizeof(map) / sizeof(map[0]))
		return 0;
	if (ms && map[t] == GL_TEXTURE_2D)
		return GL_TEXTURE_2D_MULTISAMPLE;
	if (ms && map[t] == GL_TEXTURE_2D_ARRAY)
		return GL_TEXTURE_2D_MULTISAMPLE_ARRAY;
	return map[t];
}

/* Which view targets GL allows for a texture's target (ARB_texture_view). */
static bool view_target_ok(GLenum tex, GLenum view)
{
	static const struct {
		GLenum tex, views[4];
	} rules[] = {
	    {GL_TEXTURE_1D, {GL_TEXTURE_1D, GL_TEXTURE_1D_ARRAY}},
	    {GL_TEXTURE_1D_ARRAY, {GL_TEXTURE_1D, GL_TEXTURE_1D_ARRAY}},
	    {GL_TEXTURE_2D, {GL_TEXTURE_2D, GL_TEXTURE_2D_ARRAY}},
	    {GL_TEXTURE_2D_ARRAY,
	     {GL_TEXTURE_2D, GL_TEXTURE_2D_ARRAY, GL_TEXTURE_CUBE_MAP, GL_TEXTURE_CUBE_MAP_ARRAY}},
	    {GL_TEXTURE_CUBE_MAP,
	     {GL_TEXTURE_CUBE_MAP, GL_TEXTURE_2D, GL_TEXTURE_2D_ARRAY, GL_TEXTURE_CUBE_MAP_ARRAY}},
	    {GL_TEXTURE_CUBE_MAP_ARRAY,
	     {GL_TEXTURE_CUBE_MAP, GL_TEXTURE_2D, GL_TEXTURE_2D_ARRAY, GL_TEXTURE_CUBE_MAP_ARRAY}},
	    {GL_TEXTURE_3D, {GL_TEXTURE_3D}},
	    {GL_TEXTURE_RECTANGLE, {GL_TEXTURE_RECTANGLE}},
	    {GL_TEXTURE_2D_MULTISAMPLE,
	     {GL_TEXTURE_2D_MULTISAMPLE, GL_TEXTURE_2D_MULTISAMPLE_ARRAY}},
	    {GL_TEXTURE_2D_MULTISAMPLE_ARRAY,
	     {GL_TEXTURE_2D_MULTISAMPLE, GL_TEXTURE_2D_MULTISAMPLE_ARRAY}},
	};
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (rules[i].tex != tex)
			continue;
		for (int j = 0; j < 4; j++) {
			if (rules[i].views[j] == view)
				return true;
		}
	}
	return false;
}

static GLenum binding_query(GLenum target)
{
	switch (target) {
	case GL_TEXTURE_1D:
		return GL_TEXTURE_BINDING_1D;
	case GL_TEXTURE_1D_ARRAY:
		return GL_TEXTURE_BINDING_1D_ARRAY;
	case GL_TEXTURE_2D:
		return GL_TEXTURE_BINDING_2D;
	case GL_TEXTURE_2D_ARRAY:
		return GL_TEXTURE_BINDING_2D_ARRAY;
	case GL_TEXTURE_2D_MULTISAMPLE:
		return GL_TEXTURE_BINDING_2D_MULTISAMPLE;
	case GL_TEXTURE_2D_MULTISAMPLE_ARRAY:
		return GL_TEXTURE_BINDING_2D_MULTISAMPLE_ARRAY;
	case GL_TEXTURE_3D:
		return GL_TEXTURE_BINDING_3D;
	case GL_TEXTURE_CUBE_MAP:
		return GL_TEXTURE_BINDING_CUBE_MAP;
	case GL_TEXTURE_CUBE_MAP_ARRAY:
		return GL_TEXTURE_BINDING_CUBE_MAP_ARRAY;
	case GL_TEXTURE_RECTANGLE:
		return GL_TEXTURE_BINDING_RECTANGLE;
	case GL_TEXTURE_BUFFER:
		return GL_TEXTURE_BINDING_BUFFER;
	default:
		return 0;
	}
}

/* Binds a texture on the active unit for editing; returns what was bound
 * there so that the program binder's bindings survive. */
static GLuint bind_for_edit(GLenum target, GLuint name)
{
	GLint old = 0;

	glGetIntegerv(binding_query(target), &old);
	glBindTexture(target, name);
	return (GLuint)old;
}

static void destroy_view(struct vrend_sub *sub, struct vrend_object *obj)
{
	struct vrend_sampler_view *v = (struct vrend_sampler_view *)obj;

	(void)sub;
	if (v->owns_name && v->gl_name) {
		GLuint name = v->gl_name;
		glDeleteTextures(1, &name);
	}
	if (v->gl_shadow_name) {
		GLuint name = v->gl_shadow_name;
		glDeleteTextures(1, &name);
	}
	if (v->res)
		vgn_resource_put(v->res);
	free(v);
}

static void destroy_surface(struct vrend_sub *sub, struct vrend_object *obj)
{
	struct vrend_surface *s = (struct vrend_surface *)obj;

	(void)sub;
	if (s->owns_name && s->img.gl_name) {
		GLuint name = s->img.gl_name;
		glDeleteTextures(1, &name);
	}
	if (s->res)
		vgn_resource_put(s->res);
	free(s);
}

static int null_view(struct vrend_sub *sub, struct vrend_sampler_view *v)
{
	vrend_fb_log(sub, VGN_LOG_WARN, "vrend: sampler view %u of a resource without GL storage",
	             v->base.handle);
	v->gl_target = GL_TEXTURE_2D;
	v->is_depth = v->fmt->flags & VREND_FMT_DEPTH;
	v->is_int = vrend_fb_int_kind(v->fmt) == 1;
	v->is_uint = vrend_fb_int_kind(v->fmt) == 2;
	return 0;
}

static int buffer_view(struct vrend_sub *sub, struct vrend_sampler_view *v, uint32_t first,
                       uint32_t last)
{
	const struct vrend_format *f = v->fmt;
	uint64_t offset, size;

	if (f->flags & (VREND_FMT_COMPRESSED | VREND_FMT_DEPTH | VREND_FMT_STENCIL) ||
	    !f->block_bytes || first > last)
		return -EINVAL;
	offset = (uint64_t)first * f->block_bytes;
	size = ((uint64_t)last - first + 1) * f->block_bytes;
	if (offset + size > v->res->create.width)
		return -EINVAL;

	GLuint tex = 0;
	vrend_fb_gl_drain();
	glGenTextures(1, &tex);
	GLuint old = bind_for_edit(GL_TEXTURE_BUFFER, tex);
	glTexBufferRange(GL_TEXTURE_BUFFER, f->internal_format, v->vr->gl_name, (GLintptr)offset,
	                 (GLsizeiptr)size);
	glBindTexture(GL_TEXTURE_BUFFER, old);
	/* Misaligned offsets or formats GL cannot read from buffers leave an empty
	 * buffer texture (reads return 0): logged, not fatal. */
	vrend_fb_gl_failed(sub, "buffer texture");
	v->gl_target = GL_TEXTURE_BUFFER;
	v->gl_name = tex;
	v->owns_name = true;
	return 0;
}

static const GLint gl_swizzle[6] = {GL_RED, GL_GREEN, GL_BLUE, GL_ALPHA, GL_ZERO, GL_ONE};

/* Shadow lookups see GL's swizzled red only (one float); the emitter applies
 * the view swizzle to the comparison result itself (shadswz). A depth view
 * whose red is not the depth gets a twin view of it, identity swizzle, for
 * them. Without one, shadow lookups see the swizzled red. */
static void shadow_twin(struct vrend_sub *sub, struct vrend_sampler_view *v, GLenum internal,
                        uint32_t levels, uint32_t layers, bool ds_tex)
{
	GLuint twin = 0;

	vrend_fb_gl_drain();
	glGenTextures(1, &twin);
	glTextureView(twin, v->gl_target, v->gl_name, internal, 0, levels, 0, layers);
	if (vrend_fb_gl_failed(sub, "shadow view")) {
		glDeleteTextures(1, &twin);
		return;
	}
	if (ds_tex) {
		GLuint old = bind_for_edit(v->gl_target, twin);
		glTexParameteri(v->gl_target, GL_DEPTH_STENCIL_TEXTURE_MODE, GL_DEPTH_COMPONENT);
		glBindTexture(v->gl_target, old);
	}
	v->gl_shadow_name = twin;
}

static int texture_view(struct vrend_sub *sub, struct vrend_sampler_view *v, uint32_t ptarget,
                        uint32_t layers_dw, uint32_t levels_dw, uint32_t swz)
{
	const struct vrend_resource *vr = v->vr;
	uint32_t first_layer = layers_dw & 0xffff, last_layer = layers_dw >> 16;
	uint32_t first_level = levels_dw & 0xff, last_level = (levels_dw >> 8) & 0xff;
	bool ms = vr->samples > 1;
	GLenum target = ptarget ? pipe_target_gl(ptarget, ms) : vr->gl_target;

	if (first_level > last_level || last_level >= vr->levels)
		return -EINVAL;
	if (!target || target == GL_TEXTURE_BUFFER)
		return -EINVAL;
	bool is_3d = vr->gl_target == GL_TEXTURE_3D;
	uint32_t layers = is_3d ? 1 : vrend_fb_res_layers(v->res, 0);
	if (is_3d) {
		first_layer = last_layer = 0; /* layers of 3D views are depth slices: unused */
	} else if (first_layer > last_layer || last_layer >= layers) {
		return -EINVAL;
	}
	uint32_t n = last_layer - first_layer + 1;
	switch (target) { /* how many layers the view target takes */
	case GL_TEXTURE_1D:
	case GL_TEXTURE_2D:
	case GL_TEXTURE_RECTANGLE:
	case GL_TEXTURE_2D_MULTISAMPLE:
		n = 1;
		break;
	case GL_TEXTURE_CUBE_MAP:
		n = 6;
		break;
	case GL_TEXTURE_CUBE_MAP_ARRAY:
		n -= n % 6;
		break;
	default:
		break;
	}
	if (!n || (uint64_t)first_layer + n > (is_3d ? 1 : layers))
		return -EINVAL;

	GLenum internal = v->fmt->internal_format;
	bool stencil_only =
	    (v->fmt->flags & VREND_FMT_STENCIL) && !(v->fmt->flags & VREND_FMT_DEPTH);
	bool ds_tex = vr->fmt->format == GL_DEPTH_STENCIL;

	if (vrend_fb_has_views(sub)) {
		if (!view_target_ok(vr->gl_target, target))
			return -EINVAL;
		GLuint view = 0;
		vrend_fb_gl_drain();
		glGenTextures(1, &view);
		glTextureView(view, target, vr->gl_name, internal, first_level,
		              last_level - first_level + 1, first_layer, n);
		if (glGetError() != GL_NO_ERROR && internal != vr->fmt->internal_format) {
			internal = vr->fmt->internal_format;
			/* Not in the resource's view class: sample it as stored. */
			vrend_fb_log(
			    sub, VGN_LOG_WARN,
			    "vrend: sampler view %s of a %s texture: not viewable, using %s",
			    vrend_vfmt_name(v->vfmt), vrend_vfmt_name(vr->vfmt),
			    vrend_vfmt_name(vr->vfmt));
			glDeleteTextures(1, &view);
			glGenTextures(1, &view);
			glTextureView(view, target, vr->gl_name, vr->fmt->internal_format,
			              first_level, last_level - first_level + 1, first_layer, n);
		}
		if (vrend_fb_gl_failed(sub, "texture view")) {
			glDeleteTextures(1, &view);
			return -EINVAL;
		}
		v->gl_target = target;
		v->gl_name = view;
		v->owns_name = true;
		first_level = 0; /* relative to the view from here on */
		last_level -= levels_dw & 0xff;
	} else {
		v->gl_target = vr->gl_target;
		v->gl_name = vr->gl_name;
	}

	GLint swizzle[4];
	for (int i = 0; i < 4; i++) {
		uint32_t s = (swz >> (3 * i)) & 7;
		if (s > VREND_SWZ_1)
			return -EINVAL;
		v->swizzle[i] = (uint8_t)s;
		/* The view picks a virgl channel; the format table says where GL keeps it. */
		if (s <= VREND_SWZ_A)
			s = v->fmt->swizzle[s];
		swizzle[i] = gl_swizzle[s < 6 ? s : VREND_SWZ_0];
	}
	GLuint old = bind_for_edit(v->gl_target, v->gl_name);
	glTexParameteriv(v->gl_target, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
	if (!ms) {
		glTexParameteri(v->gl_target, GL_TEXTURE_BASE_LEVEL, (GLint)first_level);
		glTexParameteri(v->gl_target, GL_TEXTURE_MAX_LEVEL, (GLint)last_level);
	}
	if (ds_tex)
		glTexParameteri(v->gl_target, GL_DEPTH_STENCIL_TEXTURE_MODE,
		                stencil_only ? GL_STENCIL_INDEX : GL_DEPTH_COMPONENT);
	glBindTexture(v->gl_target, old);
	vrend_fb_gl_failed(sub, "sampler view parameters");

	v->is_depth = (v->fmt->flags & VREND_FMT_DEPTH) && !stencil_only;
	if (v->owns_name && v->is_depth && swizzle[0] != GL_RED)
		shadow_twin(sub, v, internal, last_level + 1, n, ds_tex);
	int kind = vrend_fb_int_kind(v->fmt);
	v->is_int = kind == 1;
	v->is_uint = kind == 2 || stencil_only;
	return 0;
}

VREND_HANDLER(vrend_create_sampler_view)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1), res_handle = vrend_cmd_get(cmd, 2);
	uint32_t fmt_dw = vrend_cmd_get(cmd, 3), p4 = vrend_cmd_get(cmd, 4);
	uint32_t p5 = vrend_cmd_get(cmd, 5), swz = vrend_cmd_get(cmd, 6);
	struct vgn_resource *res;
	struct vrend_resource *vr;
	int ret;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	uint32_t vfmt = fmt_dw & 0xffffff, ptarget = fmt_dw >> 24;
	const struct vrend_format *fmt = vrend_format_get(vfmt);
	if (!fmt)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "sampler view format %u", vfmt);
	if (ptarget > 8)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "sampler view target %u", ptarget);
	ret = vrend_fb_get_resource(sub, res_handle, &res, &vr);
	if (ret == -EINVAL)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "sampler view: no resource %u",
		                          res_handle);

	struct vrend_sampler_view *v = calloc(1, sizeof(*v));
	if (!v) {
		vgn_resource_put(res);
		return vrend_decoder_fail(dec, cmd, -ENOMEM, "out of memory");
	}
	v->base = (struct vrend_object){
	    .refs = 1, .type = VREND_OBJ_SAMPLER_VIEW, .handle = handle, .destroy = destroy_view};
	v->res = res;
	v->vr = vr;
	v->vfmt = vfmt;
	v->fmt = fmt;
	if (!vr) /* no GL storage: a view that samples nothing */
		ret = null_view(sub, v);
	else if (vr->is_buffer)
		ret = buffer_view(sub, v, p4, p5);
	else
		ret = texture_view(sub, v, ptarget, p4, p5, swz);
	if (!ret)
		ret = vrend_obj_insert(sub, &v->base);
	if (ret) {
		destroy_view(sub, &v->base);
		return vrend_decoder_fail(dec, cmd, ret == -ENOMEM ? ret : -EINVAL,
		                          "sampler view %u of resource %u (%s, %08x %08x %08x): "
		                          "invalid",
		                          handle, res_handle, vrend_vfmt_name(vfmt), p4, p5, swz);
	}
	return 0;
}

VREND_HANDLER(vrend_create_surface)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t handle = vrend_cmd_get(cmd, 1), res_handle = vrend_cmd_get(cmd, 2);
	uint32_t vfmt = vrend_cmd_get(cmd, 3), level = vrend_cmd_get(cmd, 4);
	uint32_t layers = vrend_cmd_get(cmd, 5);
	struct vgn_resource *res;
	struct vrend_resource *vr;

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	const struct vrend_format *fmt = vrend_format_get(vfmt);
	if (!fmt)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "surface format %u", vfmt);
	int ret = vrend_fb_get_resource(sub, res_handle, &res, &vr);
	if (ret == -EINVAL)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "surface: no resource %u", res_handle);
	if (vr && vr->is_buffer) {
		vgn_resource_put(res);
		return vrend_decoder_fail(dec, cmd, -EINVAL, "surface on buffer %u", res_handle);
	}
	struct vrend_surface *s = calloc(1, sizeof(*s));
	if (!s) {
		vgn_resource_put(res);
		return vrend_decoder_fail(dec, cmd, -ENOMEM, "out of memory");
	}
	/* MSAA_SURFACE is a surface too (its sample count asks for implicit
	 * multisampling, which is not advertised): one object type for lookups. */
	s->base = (struct vrend_object){
	    .refs = 1, .type = VREND_OBJ_SURFACE, .handle = handle, .destroy = destroy_surface};
	s->res = res;
	s->vr = vr;
	s->vfmt = vfmt;
	s->fmt = fmt;
	s->level = level;
	s->first_layer = layers & 0xffff;
	s->last_layer = layers >> 16;
	ret = -EINVAL;
	if (!vr) { /* no GL storage: attaches nothing, draws into it are skipped */
		vrend_fb_log(sub, VGN_LOG_WARN,
		             "vrend: surface %u of a resource without GL storage", handle);
		ret = 0;
	} else if (fmt->flags & VREND_FMT_COMPRESSED) {
		/* Mesa asks for surfaces of compressed textures (mipmap generation,
		 * readback fallbacks) that GL cannot render to: a valid request that
		 * gets a surface attaching nothing, like the case above. */
		vrend_fb_log(sub, VGN_LOG_WARN,
		             "vrend: surface %u in compressed format %s: not renderable, attaches "
		             "nothing",
		             handle, vrend_vfmt_name(vfmt));
		ret = 0;
	} else if (level < vr->levels) {
		uint32_t slices;
		vgn_level_extent(&res->create, level, &s->width, &s->height, &slices);
		ret = vrend_fb_make_image(sub, res, vr, vfmt, level, s->first_layer, s->last_layer,
		                          &s->img, &s->owns_name);
		if (ret == -ENOTSUP) {
			/* A format GL cannot view the storage in (an emulated format
			 * over another class): attaches nothing, like a compressed one. */
			vrend_fb_log(sub, VGN_LOG_WARN,
			             "vrend: surface %u in %s over %s storage: not viewable, "
			             "attaches nothing",
			             handle, vrend_vfmt_name(vfmt), vrend_vfmt_name(vr->vfmt));
			s->img = (struct vrend_fb_image){0};
			ret = 0;
		}
	}
	if (!ret)
		ret = vrend_obj_insert(sub, &s->base);
	if (ret) {
		destroy_surface(sub, &s->base);
		return vrend_decoder_fail(
		    dec, cmd, -EINVAL,
		    "surface %u of resource %u (%s over %s, level %u, layers %u..%u): "
		    "invalid",
		    handle, res_handle, vrend_vfmt_name(vfmt),
		    vr ? vrend_vfmt_name(vr->vfmt) : "no storage", level, layers & 0xffff,
		    layers >> 16);
	}
	return 0;
}

VREND_HANDLER(vrend_cmd_set_sampler_views)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	uint32_t stage = vrend_cmd_get(cmd, 1), start = vrend_cmd_get(cmd, 2);
	uint32_t n = cmd->len >= 2 ? cmd->len - 2 : 0;
	struct vrend_object *objs[VREND_FB_MAX_VIEWS];

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (stage >= VREND_FB_STAGES)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "stage %u", stage);
	if ((uint64_t)start + n > VREND_FB_MAX_VIEWS)
		return vrend_decoder_fail(dec, cmd, -EINVAL, "views %u + %u beyond %u", start, n,
		                          VREND_FB_MAX_VIEWS);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t h = vrend_cmd_get(cmd, 3 + i);
		objs[i] = NULL;
		if (h && !(objs[i] = vrend_obj_lookup(sub, h, VREND_OBJ_SAMPLER_VIEW)))
			return vrend_decoder_fail(dec, cmd, -EINVAL, "no sampler view %u", h);
	}
	struct vrend_fb *fb = sub->fb;
	for (uint32_t i = 0; i < n; i++)
		vrend_obj_assign(sub, &fb->views[stage][start + i], objs[i]);
	uint32_t num = VREND_FB_MAX_VIEWS;
	while (num && !fb->views[stage][num - 1])
		num--;
	fb->num_views[stage] = num;
	return 0;
}

bool vrend_fb_view(struct vrend_sub *sub, uint32_t stage, uint32_t slot,
                   struct vrend_view_binding *out)
{
	if (!sub->fb || stage >= VREND_FB_STAGES || slot >= VREND_FB_MAX_VIEWS ||
	    !sub->fb->views[stage][slot])
		return false;
	const struct vrend_sampler_view *v =
	    (const struct vrend_sampler_view *)sub->fb->views[stage][slot];
	*out = (struct vrend_view_binding){
	    .gl_target = v->gl_target,
	    .gl_name = v->gl_name,
	    .is_int = v->is_int,
	    .is_uint = v->is_uint,
	    .is_depth = v->is_depth,
	    .is_shadow_compatible = v->is_depth,
	    .vfmt = v->vfmt,
	    .gl_shadow_name = v->gl_shadow_name,
	};
	memcpy(out->swizzle, v->swizzle, sizeof(out->swizzle));
	return true;
}

void vrend_fb_views_fini(struct vrend_sub *sub)
{
	for (uint32_t s = 0; s < VREND_FB_STAGES; s++) {
		for (uint32_t i = 0; i < VREND_FB_MAX_VIEWS; i++)
			vrend_obj_assign(sub, &sub->fb->views[s][i], NULL);
		sub->fb->num_views[s] = 0;
	}
}
