/* SPDX-License-Identifier: MIT */
/*
 * vrend as a backend of the renderer (src/backend.h): the factory, the ops
 * table, the capsets VIRGL (1) and VIRGL2 (2) computed once from the host GL and
 * what vrend implements (struct vrend_features below: it grows with the command
 * handlers and never claims more).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend_internal.h"
#include "backend_query.h"
#include "blob_internal.h"
#include "caps_bits.h"
#include "log.h"
#include "renderer.h"
#include "res_internal.h"
#include "resource.h"

/* What vrend implements, for the caps (caps = host & this; virgl-protocol.md
 * §7.5/§7.6). Each claim is backed by real handlers (test_vrend_ctx checks that
 * the commands the bits make the client send reach one) and grows only with
 * them. Robust buffer access only when the platform got robust contexts. No
 * hardware atomic counters (the emitter has none):
 * the client lowers them to SSBO atomics. */
void vrend_backend_features(struct vrend_features *out)
{
	memset(out, 0, sizeof(*out));
	out->glsl_level = 450;
	out->tgsi_texcoord_semantics = true;
	out->ssbo_lowered_bindings = true;
	out->bset = VREND_BSET_INDEP_BLEND_ENABLE | VREND_BSET_INDEP_BLEND_FUNC |
	            VREND_BSET_CONDITIONAL_RENDER | VREND_BSET_PRIMITIVE_RESTART |
	            VREND_BSET_BLEND_EQ_SEP | VREND_BSET_INSTANCEID |
	            VREND_BSET_VERTEX_ELEMENT_INSTANCE_DIVISOR | VREND_BSET_SEAMLESS_CUBE_MAP |
	            VREND_BSET_OCCLUSION_QUERY | VREND_BSET_TIMER_QUERY |
	            VREND_BSET_TEXTURE_MULTISAMPLE | VREND_BSET_FRAGMENT_COORD_CONVENTIONS |
	            VREND_BSET_DEPTH_CLIP_DISABLE | VREND_BSET_UBO | VREND_BSET_START_INSTANCE |
	            VREND_BSET_STREAMOUT_PAUSE_RESUME | VREND_BSET_CUBE_MAP_ARRAY |
	            VREND_BSET_HAS_INDIRECT_DRAW | VREND_BSET_HAS_SAMPLE_SHADING |
	            VREND_BSET_CONDITIONAL_RENDER_INVERTED | VREND_BSET_POLYGON_OFFSET_CLAMP |
	            /* emitter: LODQ, DDX_FINE/DDY_FINE */
	            VREND_BSET_TEXTURE_QUERY_LOD | VREND_BSET_DERIVATIVE_CONTROL |
	            /* glsl_emit_double.c; TCS/TES emitted, patches drawn, SET_TESS_STATE */
	            VREND_BSET_HAS_FP64 | VREND_BSET_HAS_TESSELLATION_SHADERS |
	            /* glsl_emit_io.c: CLIPDIST components past NUM_CLIPDIST_ENABLED */
	            VREND_BSET_HAS_CULL;
	out->caps_bits = VREND_CAP_SRGB_WRITE_CONTROL | VREND_CAP_FBO_MIXED_COLOR_FORMATS |
	                 VREND_CAP_TRANSFER | VREND_CAP_TEXTURE_VIEW | VREND_CAP_COPY_IMAGE |
	                 VREND_CAP_FB_NO_ATTACH | VREND_CAP_TEXTURE_BARRIER |
	                 VREND_CAP_MEMORY_BARRIER | VREND_CAP_COMPUTE_SHADER |
	                 VREND_CAP_SET_MIN_SAMPLES | VREND_CAP_CLEAR_TEXTURE |
	                 VREND_CAP_COPY_TRANSFER | VREND_CAP_TGSI_INVARIANT |
	                 /* draw.c: multi-draw / indirect-count / draw-auto with 4 buffers */
	                 VREND_CAP_MULTI_DRAW_INDIRECT | VREND_CAP_INDIRECT_PARAMS |
	                 VREND_CAP_TRANSFORM_FEEDBACK3 | VREND_CAP_BIND_COMMAND_ARGS |
	                 /* state.c: glClipControl; query.c: query buffer objects */
	                 VREND_CAP_CLIP_HALFZ | VREND_CAP_QBO | VREND_CAP_TXQS |
	                 /* tgsi_parse_decl.c: I/O declarations sharing registers */
	                 VREND_CAP_TGSI_COMPONENTS |
	                 /* blob.c (caps.c keeps it only where the host can share
	                  * buffer storage: vrend_blob_host_supported) */
	                 VREND_CAP_ARB_BUFFER_STORAGE;
	/* String markers are debug annotations: accepting and ignoring them is exact. */
	out->caps_bits_v2 = VREND_CAP2_STRING_MARKER | VREND_CAP2_COPY_TRANSFER_BOTH_DIRECTIONS |
	                    VREND_CAP2_MIRROR_CLAMP_TO_EDGE |
	                    /* state.c/state_emit.c: the RT 0 mode; glsl_emit.c: blend_support */
	                    VREND_CAP2_BLEND_EQUATION |
	                    /* query.c: PIPELINE_STATISTICS, one GL query per statistic */
	                    VREND_CAP2_PIPELINE_STATISTICS_QUERY;
	/* points .. triangle fan, the adjacency primitives of geometry shaders, and
	 * patches (draw.c): Mesa's virgl sends a mode missing here to primconvert,
	 * which cannot convert patches and recurses until the guest's stack runs out. */
	out->prim_mask = 0x7fu | 0xfu << 10 | 1u << 14;
	out->max_render_targets = 8;
	out->max_samples = 4;
	out->max_streamout_buffers = 4;
	out->max_dual_source_render_targets = 1;
	out->max_viewports = 16;
	out->max_uniform_blocks = 15;
	out->max_texture_samplers = 32;
	out->max_vertex_attribs = 16;
	out->max_texture_gather_components = 4;
	out->max_const_buffer_size = 4096 * 16;
	out->texture_arrays = true;
	out->texture_buffers = true;
	out->geometry_shaders = true;
	out->shader_buffers = true;
	out->shader_images = true;
	out->sampling = true;
	out->rendering = true;
	out->depth_stencil = true;
	out->emulated_formats = true;
	out->compressed_formats = true;
	out->format_conversions = true;
	out->readback = true;
	out->vertex_r11g11b10 = true; /* vertex_elements.c: GL_UNSIGNED_INT_10F_11F_11F_REV */
	out->anisotropic_filtering = true;
}

static void forward_log(void *user_data, enum vgn_log_level level, const char *msg)
{
	vgn_log(user_data, level, "%s", msg);
}

static void vb_destroy(struct vgn_backend *b)
{
	struct vrend_backend *vb = vrend_backend_of(b);

	vrend_fence_worker_destroy(vb->fences);
	vrend_res_state_destroy(vb->rb.state);
	vrend_platform_destroy(vb->plat);
	free(vb);
}

static int vb_capset_info(struct vgn_backend *b, uint32_t capset_id, uint32_t *max_version,
                          uint32_t *max_size)
{
	(void)b;
	return vrend_caps_capset_info(capset_id, max_version, max_size);
}

static int vb_capset_fill(struct vgn_backend *b, uint32_t capset_id, uint32_t version, void *buf,
                          size_t buf_size, size_t *written)
{
	return vrend_caps_capset_write(&vrend_backend_of(b)->caps, capset_id, version, buf,
	                               buf_size, written);
}

/* Blob resources carry blob.c's object, classic ones res_gl.c's. */
static void vb_resource_destroy(struct vgn_backend *b, struct vgn_resource *res)
{
	if (res->blob)
		vrend_blob_resource_destroy(b, res);
	else
		vrend_resource_destroy(b, res);
}

static const struct vgn_backend_ops vrend_ops = {
    .name = "vrend",
    .backend_bit = VGN_BACKEND_GL,
    .destroy = vb_destroy,
    .capset_info = vb_capset_info,
    .capset_fill = vb_capset_fill,
    .context_create = vrend_context_create,
    .context_destroy = vrend_context_destroy,
    .context_submit = vrend_context_submit,
    .context_fence = vrend_context_fence,
    .context_wait_fence = vrend_context_wait_fence,
    .context_get_blob = vrend_context_get_blob,
    .context_describe_blob = vrend_context_describe_blob,
    .query = vrend_backend_query,
    .resource_create = vrend_resource_create,
    .resource_destroy = vb_resource_destroy,
    .resource_transfer = vrend_resource_transfer,
    .resource_get_info = vrend_resource_get_info,
};

int vgn_vrend_backend_create(vgn_renderer *r, const struct vgn_renderer_params *params,
                             struct vgn_backend **out)
{
	struct vrend_backend *vb;
	char err[256] = "";
	int ret;

	*out = NULL;
	vb = calloc(1, sizeof(*vb));
	if (!vb)
		return -ENOMEM;
	vb->logger.log = forward_log;
	vb->logger.user_data = r;
	vb->logger.max_level = r->log.level;

	struct vrend_platform_params pp = {
	    .platform = params->gl_platform,
	    .render_node = params->render_node,
	    .gles = params->gl_use_gles != 0,
	    .logger = &vb->logger,
	};
	ret = vrend_platform_create(&pp, &vb->plat, err, sizeof(err));
	if (ret) {
		vgn_warn(r, "vrend: no host GL: %s", err);
		goto fail;
	}
	struct vrend_res_params rp = {.platform = vb->plat, .logger = &vb->logger};
	ret = vrend_res_state_create(&rp, &vb->rb.state);
	if (ret) {
		vgn_warn(r, "vrend: resource state: %s", vgn_strerror(ret));
		goto fail;
	}
	ret = vrend_fence_worker_create(r, vb->plat, &vb->fences);
	if (ret) /* fences then complete synchronously (glFinish) */
		vgn_warn(r, "vrend: no fence thread (%s): synchronous fences", vgn_strerror(ret));
	vrend_backend_features(&vb->features);
	if (vrend_platform_robust(vb->plat))
		vb->features.caps_bits |= VREND_CAP_ROBUST_BUFFER_ACCESS;
	ret = vrend_caps_fill(vrend_platform_gl_info(vb->plat), &vb->rb.state->caps, &vb->features,
	                      &vb->caps, err, sizeof(err));
	if (ret) {
		vgn_err(r, "vrend: inconsistent caps: %s", err);
		goto fail;
	}
	vb->rb.base.ops = &vrend_ops;
	vb->rb.base.renderer = r;
	vgn_info(r, "vrend: %s on %s, %s (glsl_level %u, hfcv %u)",
	         vrend_platform_kind_name(vrend_platform_kind(vb->plat)),
	         vrend_platform_gl_info(vb->plat)->renderer,
	         vrend_platform_gl_info(vb->plat)->version_string, vb->caps.v1.glsl_level,
	         vb->caps.host_feature_check_version);
	*out = &vb->rb.base;
	return 0;
fail:
	vrend_fence_worker_destroy(vb->fences);
	vrend_res_state_destroy(vb->rb.state);
	vrend_platform_destroy(vb->plat);
	free(vb);
	return ret;
}
