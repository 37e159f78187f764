/* SPDX-License-Identifier: MIT */
/*
 * Shared by the framebuffer area (surface.c, framebuffer.c, clear_blit.c,
 * copy.c, xfer.c, query.c): sampler views, surfaces, the per-sub-context
 * struct vrend_fb and helpers for attaching texture images to framebuffers.
 *
 * Coordinates: Gallium row 0 is GL y = 0 in every texture (vctx.h), so boxes
 * go to GL unflipped. Gallium addresses 1D_ARRAY layers with z/d; GL image
 * calls want them as y/height (vrend_fb_gl_box).
 */
#ifndef VREND_FB_INTERNAL_H
#define VREND_FB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "vctx.h"

struct vgn_resource;

#define VREND_FB_MAX_CBUFS 8
#define VREND_FB_STAGES 6      /* wire stages: VS, FS, GS, TCS, TES, CS */
#define VREND_FB_MAX_VIEWS 128 /* SET_SAMPLER_VIEWS: start + n <= 128 */

/* A texture image range of a resource as GL sees it: a texture name (the
 * resource's own or a view made for a different format / layer range), the
 * level in that name and the layers in that name. */
struct vrend_fb_image {
	uint32_t gl_name, gl_target;
	uint32_t level;
	uint32_t first_layer, num_layers; /* faces for cubes; 1 for 1D/2D/RECT/MS */
	bool layered;                     /* the attachment covers every layer of gl_name */
};

struct vrend_sampler_view {
	struct vrend_object base;
	struct vgn_resource *res; /* referenced */
	const struct vrend_resource *vr;
	uint32_t vfmt;
	const struct vrend_format *fmt;
	uint32_t gl_target, gl_name; /* view / buffer texture, or the resource's texture */
	bool owns_name;
	GLuint gl_shadow_name; /* owned twin for shadow lookups, or 0 (surface.c) */
	bool is_int, is_uint, is_depth;
	uint8_t swizzle[4]; /* as sent: VREND_SWZ_* of the virgl channels */
};

struct vrend_surface {
	struct vrend_object base;
	struct vgn_resource *res; /* referenced */
	const struct vrend_resource *vr;
	uint32_t vfmt;
	const struct vrend_format *fmt;
	uint32_t level, first_layer, last_layer;
	uint32_t width, height; /* of the level */
	struct vrend_fb_image img;
	bool owns_name; /* img.gl_name is a view made for this surface */
};

struct vrend_fb {
	/* SET_SAMPLER_VIEWS bindings (referenced vrend_sampler_view objects). */
	struct vrend_object *views[VREND_FB_STAGES][VREND_FB_MAX_VIEWS];
	uint32_t num_views[VREND_FB_STAGES]; /* highest bound slot + 1 */

	/* SET_FRAMEBUFFER_STATE (referenced vrend_surface objects). */
	struct vrend_object *cbufs[VREND_FB_MAX_CBUFS];
	struct vrend_object *zsurf;
	uint32_t nr_cbufs;
	/* SET_FRAMEBUFFER_STATE_NO_ATTACH defaults. */
	uint32_t na_width, na_height, na_layers, na_samples;

	uint32_t fbo;         /* the draw framebuffer */
	bool fbo_dirty;       /* attachments changed since the last vrend_fb_bind */
	bool fbo_complete;    /* result of the last completeness check */
	bool srgb_enabled;    /* GL_FRAMEBUFFER_SRGB set on this context */
	uint32_t blit_fbo[2]; /* scratch read / draw framebuffers (blits, clears, copies) */
	uint32_t xfer_fbo;    /* readbacks of in-stream transfers */

	/* SET_RENDER_CONDITION (query.c). */
	struct vrend_object *cond_query;
	uint32_t cond_gl_query, cond_gl_mode;
	bool cond_active; /* glBeginConditionalRender is in effect */
};

/* A GL resource attached to the context (referenced: vgn_resource_put).
 * -EINVAL: not attached (a guest error); -ENOTSUP: attached but kept by
 * another backend (no GL object: e.g. a format GL cannot store), which the
 * callers skip or stand in for instead of killing the context. */
int vrend_fb_get_resource(struct vrend_sub *sub, uint32_t handle, struct vgn_resource **res,
                          struct vrend_resource **vr);

/* surface.c */
void vrend_fb_views_fini(struct vrend_sub *sub);

/* framebuffer.c: the GL texture target of a resource's storage (multisample
 * targets included) and the number of layers of a level (cube faces, array
 * layers, 3D depth). */
uint32_t vrend_fb_res_layers(const struct vgn_resource *res, uint32_t level);
/* The attachment point of a format (colour i, depth, stencil, depth+stencil). */
uint32_t vrend_fb_attachment(const struct vrend_format *fmt, uint32_t color_index);
/* Attaches (gl_name 0 detaches) an image to the bound framebuffer fb_target:
 * layer < 0: the whole image (layered when img->layered), else one layer of
 * the image counted from img->first_layer. */
void vrend_fb_attach(uint32_t fb_target, uint32_t attachment, const struct vrend_fb_image *img,
                     int32_t layer);
/* Describes (level, layers) of a resource in the view format vfmt: the
 * resource's texture when the formats agree, else a new texture view (*owned
 * set, delete it). 0, -EINVAL (out of range), -ENOTSUP (no view of the
 * storage in this format: not in its view class). */
int vrend_fb_make_image(struct vrend_sub *sub, const struct vgn_resource *res,
                        const struct vrend_resource *vr, uint32_t vfmt, uint32_t level,
                        uint32_t first_layer, uint32_t last_layer, struct vrend_fb_image *img,
                        bool *owned);
/* Whether texture views exist on this host (glTextureView / ARB_texture_view). */
bool vrend_fb_has_views(struct vrend_sub *sub);
/* Enables GL_FRAMEBUFFER_SRGB once (desktop GL): Gallium encodes writes to sRGB
 * surfaces by their format, GL only with this enable. */
void vrend_fb_srgb(struct vrend_sub *sub);

/* Pure-integer kind of a format: 0 float / normalised, 1 signed, 2 unsigned. */
int vrend_fb_int_kind(const struct vrend_format *fmt);

/* A Gallium box in GL image coordinates for a target (1D_ARRAY: z -> y). */
struct vrend_gl_box {
	int32_t x, y, z;
	int32_t w, h, d;
};
void vrend_fb_gl_box(uint32_t gl_target, uint32_t x, uint32_t y, uint32_t z, uint32_t w, uint32_t h,
                     uint32_t d, struct vrend_gl_box *out);
/* Checks x + w <= level width etc. for the resource (64-bit). */
bool vrend_fb_box_inside(const struct vgn_resource *res, uint32_t level, uint64_t x, uint64_t y,
                         uint64_t z, uint64_t w, uint64_t h, uint64_t d);

/* query.c: pauses / resumes GL conditional rendering around operations the
 * guest asked to run unconditionally. */
void vrend_query_cond_pause(struct vrend_sub *sub);
void vrend_query_cond_resume(struct vrend_sub *sub);
void vrend_query_fini(struct vrend_sub *sub);

/* GL error drain / check on the current context; check logs and returns
 * true when an error was pending. */
void vrend_fb_gl_drain(void);
bool vrend_fb_gl_failed(struct vrend_sub *sub, const char *what);

#define vrend_fb_log(sub, level, ...) vrend_log(vrend_ctx_logger((sub)->ctx), (level), __VA_ARGS__)

#endif /* VREND_FB_INTERNAL_H */
