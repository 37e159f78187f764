/* SPDX-License-Identifier: MIT */
/*
 * GL programs: the bound shaders' GLSL variants for a key, linked and cached
 * per sub-context, made current with their uniforms, samplers, views and
 * buffers bound.
 *
 * Binding points are packed per program: stage after stage (in pipeline
 * order), each resource kind gets a base and the emitter's binding qualifiers
 * (GLSL >= 4.20) say base + index; samplers and uniform blocks are also set
 * after linking so that older GLSL works too.
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gl_info.h"
#include "shader_internal.h"

struct vrend_program {
	uint64_t hash;
	uint64_t serial[VREND_STAGE_COUNT]; /* 0 = stage absent */
	struct vrend_shader_key key;        /* normalised; padding zeroed */
	GLuint prog;                        /* 0 = build failed (draws skipped) */
	uint64_t last_use;
	struct vrend_prog_stage st[VREND_STAGE_COUNT];
	GLint adjust_y_loc, clip_loc;
	float adjust_y;
	bool adjust_y_valid;
};

/* Pipeline order of the graphics stages. */
static const uint8_t pipeline[] = {VREND_STAGE_VERTEX, VREND_STAGE_TESS_CTRL, VREND_STAGE_TESS_EVAL,
                                   VREND_STAGE_GEOMETRY, VREND_STAGE_FRAGMENT};

static const GLenum gl_stage[VREND_STAGE_COUNT] = {
    [VREND_STAGE_VERTEX] = GL_VERTEX_SHADER,
    [VREND_STAGE_FRAGMENT] = GL_FRAGMENT_SHADER,
    [VREND_STAGE_GEOMETRY] = GL_GEOMETRY_SHADER,
    [VREND_STAGE_TESS_CTRL] = GL_TESS_CONTROL_SHADER,
    [VREND_STAGE_TESS_EVAL] = GL_TESS_EVALUATION_SHADER,
    [VREND_STAGE_COMPUTE] = GL_COMPUTE_SHADER,
};

static const struct vrend_logger *logger(struct vrend_sub *sub)
{
	return vrend_ctx_logger(sub->ctx);
}

static void read_limits(struct vrend_sub *sub)
{
	struct vrend_shaders *ss = sub->shaders;
	const struct vrend_gl_info *info = vrend_ctx_gl_info(sub->ctx);
	uint32_t v = info ? info->glsl_version : 0;

	if (ss->limits_read)
		return;
	ss->limits_read = true;
	/* The emitter writes desktop GLSL 3.30 .. 4.60. */
	if (!info || info->gles || v < 330)
		v = 330;
	else if (v >= 460)
		v = 460;
	else if (v >= 400)
		v = v / 10 * 10;
	else
		v = 330;
	ss->glsl_version = v;
	ss->host_llvmpipe = info && strstr(info->renderer, "llvmpipe");
	glGetIntegerv(GL_MAX_COMBINED_TEXTURE_IMAGE_UNITS, &ss->max_texture_units);
	glGetIntegerv(GL_MAX_UNIFORM_BUFFER_BINDINGS, &ss->max_ubo_bindings);
	glGetIntegerv(GL_UNIFORM_BUFFER_OFFSET_ALIGNMENT, &ss->ubo_align);
	if (v >= 430) {
		glGetIntegerv(GL_MAX_SHADER_STORAGE_BUFFER_BINDINGS, &ss->max_ssbo_bindings);
		glGetIntegerv(GL_MAX_IMAGE_UNITS, &ss->max_image_units);
		glGetIntegerv(GL_MAX_ATOMIC_COUNTER_BUFFER_BINDINGS, &ss->max_atomic_bindings);
		glGetIntegerv(GL_SHADER_STORAGE_BUFFER_OFFSET_ALIGNMENT, &ss->ssbo_align);
	}
}

/* ---- the cache ---- */

static uint64_t hash_bytes(uint64_t h, const void *data, size_t n)
{
	const uint8_t *p = data;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static void program_free(struct vrend_program *p)
{
	if (p->prog)
		glDeleteProgram(p->prog);
	free(p);
}

static void cache_remove_at(struct vrend_shaders *ss, uint32_t i)
{
	if (ss->last == ss->progs[i])
		ss->last = NULL;
	program_free(ss->progs[i]);
	ss->progs[i] = ss->progs[--ss->num_progs];
}

void vrend_programs_forget_shader(struct vrend_sub *sub, uint64_t serial)
{
	struct vrend_shaders *ss = sub->shaders;

	for (uint32_t i = 0; i < ss->num_progs;) {
		bool uses = false;

		for (uint32_t s = 0; s < VREND_STAGE_COUNT; s++)
			uses |= ss->progs[i]->serial[s] == serial;
		if (uses)
			cache_remove_at(ss, i);
		else
			i++;
	}
}

void vrend_programs_fini(struct vrend_sub *sub)
{
	struct vrend_shaders *ss = sub->shaders;

	while (ss->num_progs)
		cache_remove_at(ss, ss->num_progs - 1);
	free(ss->progs);
	ss->progs = NULL;
	ss->last = NULL;
}

/* Adds p, evicting the least recently used entry when full. */
static int cache_add(struct vrend_shaders *ss, struct vrend_program *p)
{
	if (!ss->progs) {
		ss->progs = calloc(VREND_PROGRAM_CACHE_MAX, sizeof(*ss->progs));
		if (!ss->progs)
			return -ENOMEM;
	}
	if (ss->num_progs == VREND_PROGRAM_CACHE_MAX) {
		uint32_t oldest = 0;

		for (uint32_t i = 1; i < ss->num_progs; i++)
			if (ss->progs[i]->last_use < ss->progs[oldest]->last_use)
				oldest = i;
		cache_remove_at(ss, oldest);
	}
	ss->progs[ss->num_progs++] = p;
	return 0;
}

static struct vrend_program *cache_find(struct vrend_shaders *ss, const struct vrend_program *k)
{
	for (uint32_t i = 0; i < ss->num_progs; i++) {
		struct vrend_program *p = ss->progs[i];

		if (p->hash == k->hash && !memcmp(p->serial, k->serial, sizeof(k->serial)) &&
		    !memcmp(&p->key, &k->key, sizeof(k->key)))
			return p;
	}
	return NULL;
}

/* ---- building a program ---- */

static bool stage_present(const struct vrend_program *p, uint32_t s)
{
	return p->serial[s] != 0;
}

/* The last stage before the rasterizer. */
static uint32_t last_vertex_stage(const struct vrend_program *p)
{
	if (stage_present(p, VREND_STAGE_GEOMETRY))
		return VREND_STAGE_GEOMETRY;
	if (stage_present(p, VREND_STAGE_TESS_EVAL))
		return VREND_STAGE_TESS_EVAL;
	return VREND_STAGE_VERTEX;
}

static void log_text(struct vrend_sub *sub, const char *what, const char *text)
{
	const struct vrend_logger *l = logger(sub);
	size_t len, off = 0;

	if (!l || !l->log || l->max_level < VGN_LOG_DEBUG || !text)
		return;
	len = strlen(text);
	vrend_log(l, VGN_LOG_DEBUG, "%s:", what);
	while (off < len) {
		int n = len - off > 400 ? 400 : (int)(len - off);

		vrend_log(l, VGN_LOG_DEBUG, "%.*s", n, text + off);
		off += (size_t)n;
	}
}

static uint32_t const0_vec4s(const struct tgsi_shader *ir)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < ir->num_decls; i++) {
		const struct tgsi_decl *d = &ir->decls[i];

		if (d->file == TGSI_FILE_CONSTANT && (!d->has_dim || d->dim == 0) &&
		    d->last + 1 > n)
			n = d->last + 1;
	}
	return n;
}

/* Fills the per-stage counts and packs the binding bases; false when the host
 * has not enough binding points. */
static bool assign_bases(struct vrend_shaders *ss, struct vrend_program *p, const uint8_t *stages,
                         uint32_t num_stages, const char **why)
{
	uint64_t samp = 0, ubo = 0, ssbo = 0, img = 0;

	for (uint32_t k = 0; k < num_stages; k++) {
		uint32_t s = stages[k];
		const struct tgsi_shader *ir = vrend_shader_bound_at(ss, s)->ir;
		struct vrend_prog_stage *ps = &p->st[s];

		ps->present = true;
		ps->num_samplers =
		    ir->file_size[TGSI_FILE_SAMPLER] > ir->file_size[TGSI_FILE_SAMPLER_VIEW]
		        ? ir->file_size[TGSI_FILE_SAMPLER]
		        : ir->file_size[TGSI_FILE_SAMPLER_VIEW];
		for (uint32_t i = 0; i < ir->num_decls; i++) {
			const struct tgsi_decl *d = &ir->decls[i];

			if (d->file != TGSI_FILE_CONSTANT || !d->has_dim || d->dim == 0)
				continue;
			if (d->dim >= VREND_MAX_UBO) {
				*why = "constant buffer slot >= 32";
				return false;
			}
			if (d->dim > ps->num_ubos)
				ps->num_ubos = d->dim;
			if ((d->last + 1) * 16u > ps->ubo_bytes[d->dim])
				ps->ubo_bytes[d->dim] = (d->last + 1) * 16u;
		}
		ps->num_ssbos = ir->file_size[TGSI_FILE_BUFFER];
		ps->num_images = ir->file_size[TGSI_FILE_IMAGE];
		if (ps->num_samplers > 128 || ps->num_ssbos > VREND_MAX_SSBO ||
		    ps->num_images > VREND_MAX_IMAGES) {
			*why = "too many samplers, buffers or images";
			return false;
		}
		ps->sampler_base = (uint32_t)samp;
		ps->ubo_base = (uint32_t)ubo;
		ps->ssbo_base = (uint32_t)ssbo;
		ps->image_base = (uint32_t)img;
		samp += ps->num_samplers;
		ubo += ps->num_ubos;
		ssbo += ps->num_ssbos;
		img += ps->num_images;
	}
	if (samp > (uint64_t)(ss->max_texture_units > 0 ? ss->max_texture_units : 0) ||
	    ubo > (uint64_t)(ss->max_ubo_bindings > 0 ? ss->max_ubo_bindings : 0) ||
	    ssbo > (uint64_t)(ss->max_ssbo_bindings > 0 ? ss->max_ssbo_bindings : 0) ||
	    img > (uint64_t)(ss->max_image_units > 0 ? ss->max_image_units : 0)) {
		*why = "more binding points than the host has";
		return false;
	}
	return true;
}

static void stage_options(struct vrend_sub *sub, const struct vrend_program *p, uint32_t s,
                          uint32_t prev, uint32_t next, struct glsl_emit_options *o)
{
	struct vrend_shaders *ss = sub->shaders;
	const struct vrend_shader *sh = vrend_shader_bound_at(ss, s);
	const struct vrend_prog_stage *ps = &p->st[s];
	bool last =
	    s != VREND_STAGE_COMPUTE && s != VREND_STAGE_FRAGMENT && s == last_vertex_stage(p);

	glsl_emit_options_default(o);
	o->glsl_version = ss->glsl_version;
	if (prev < VREND_STAGE_COUNT)
		o->prev_stage = vrend_shader_bound_at(ss, prev)->ir->processor;
	if (next < VREND_STAGE_COUNT)
		o->next = vrend_shader_bound_at(ss, next)->ir;
	o->flatshade = p->key.flatshade;
	memcpy(o->gl_clamp, p->key.gl_clamp[s], sizeof(o->gl_clamp));
	/* The stage feeding the fragment shader must give it every back colour it
	 * reads under two-sided lighting, not only the fragment shader itself. */
	if (s == VREND_STAGE_FRAGMENT || next == VREND_STAGE_FRAGMENT)
		o->two_sided_color = p->key.light_twoside;
	if (s == VREND_STAGE_FRAGMENT) {
		o->nr_cbufs = p->key.nr_cbufs;
		o->cbuf_int_mask = p->key.cbuf_int_mask;
		o->cbuf_uint_mask = p->key.cbuf_uint_mask;
	}
	if (s == VREND_STAGE_VERTEX) {
		o->attrib_int_mask = p->key.attrib_int_mask;
		o->attrib_uint_mask = p->key.attrib_uint_mask;
	}
	if (last) {
		o->winsys_adjust_y = true;
		o->clip_plane_mask = p->key.clip_plane_mask;
		o->so_outputs = sh->so;
		o->num_so_outputs = sh->num_so;
		memcpy(o->so_stride, sh->so_stride, sizeof(o->so_stride));
	}
	/* Not in geometry shaders: llvmpipe (Mesa 25.0) crashes on geometry
	 * shaders whose indexed temporary arrays stay inside loops that the
	 * budget keeps from being unrolled (piglit glsl-1.50
	 * vs-output-array-*-index-wr-before-gs). */
	o->loop_budget = s == VREND_STAGE_GEOMETRY && ss->host_llvmpipe ? 0 : VREND_LOOP_BUDGET;
	o->no_linear_fs = ss->host_llvmpipe;
	o->shared_mem_bytes = sh->shared_mem;
	o->sampler_binding_base = ps->sampler_base;
	o->ubo_binding_base = ps->ubo_base;
	o->ssbo_binding_base = ps->ssbo_base;
	o->image_binding_base = ps->image_base;
}

static GLuint compile_stage(struct vrend_sub *sub, const struct vrend_program *p, uint32_t s,
                            uint32_t prev, uint32_t next)
{
	struct vrend_shaders *ss = sub->shaders;
	struct glsl_emit_options o;
	char *glsl = NULL, err[256] = "";
	size_t len = 0;
	GLint ok = 0;
	GLuint sh;
	int ret;

	stage_options(sub, p, s, prev, next, &o);
	ret = glsl_emit(vrend_shader_bound_at(ss, s)->ir, &o, &glsl, &len, err, sizeof(err));
	if (ret) {
		vrend_log(logger(sub), VGN_LOG_WARN, "ctx %u: stage %u: no GLSL (%d): %s",
		          sub->ctx->ctx_id, s, ret, err);
		return 0;
	}
	sh = glCreateShader(gl_stage[s]);
	if (sh) {
		const GLchar *src = glsl;
		GLint glen = (GLint)len;

		glShaderSource(sh, 1, &src, &glen);
		glCompileShader(sh);
		glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
	}
	if (!ok) {
		char log[2048] = "";

		if (sh)
			glGetShaderInfoLog(sh, sizeof(log), NULL, log);
		vrend_log(logger(sub), VGN_LOG_WARN, "ctx %u: stage %u: GLSL compile failed",
		          sub->ctx->ctx_id, s);
		log_text(sub, "info log", log);
		log_text(sub, "GLSL", glsl);
		if (sh)
			glDeleteShader(sh);
		sh = 0;
	}
	free(glsl);
	return sh;
}

/* Locations and unit assignments of a freshly linked program (current). */
static void program_setup(struct vrend_sub *sub, struct vrend_program *p)
{
	struct vrend_shaders *ss = sub->shaders;
	char name[48];

	for (uint32_t s = 0; s < VREND_STAGE_COUNT; s++) {
		struct vrend_prog_stage *ps = &p->st[s];
		const struct vrend_shader *sh;
		const char *pre;

		if (!ps->present)
			continue;
		sh = vrend_shader_bound_at(ss, s);
		pre = glsl_stage_prefix(sh->ir->processor);
		snprintf(name, sizeof(name), "%sconst0", pre);
		ps->const0_loc = glGetUniformLocation(p->prog, name);
		ps->const0_size = const0_vec4s(sh->ir);
		for (uint32_t i = 0; i < VREND_SHADOW_SWIZZLES; i++) {
			ps->shadow_swz_loc[i] = -1;
			if (i < ps->num_samplers) {
				snprintf(name, sizeof(name), "%sshadswz%u", pre, i);
				ps->shadow_swz_loc[i] = glGetUniformLocation(p->prog, name);
			}
		}
		for (uint32_t i = 0; i < ps->num_samplers; i++) {
			GLint loc;

			snprintf(name, sizeof(name), "%ssamp%u", pre, i);
			loc = glGetUniformLocation(p->prog, name);
			if (loc < 0)
				continue;
			glUniform1i(loc, (GLint)(ps->sampler_base + i));
			ps->sampler_used[i / 64] |= 1ull << (i % 64);
		}
		for (uint32_t slot = 1; slot <= ps->num_ubos; slot++) {
			GLuint idx;

			snprintf(name, sizeof(name), "%s_ubo%u", pre, slot);
			idx = glGetUniformBlockIndex(p->prog, name);
			if (idx != GL_INVALID_INDEX)
				glUniformBlockBinding(p->prog, idx, ps->ubo_base + slot - 1);
			else
				ps->ubo_bytes[slot] = 0; /* optimised away */
		}
	}
	p->adjust_y_loc = glGetUniformLocation(p->prog, "winsys_adjust_y");
	p->clip_loc = glGetUniformLocation(p->prog, "vn_clip_plane");
}

static void build_program(struct vrend_sub *sub, struct vrend_program *p)
{
	struct vrend_shaders *ss = sub->shaders;
	uint8_t stages[VREND_STAGE_COUNT];
	GLuint shaders[VREND_STAGE_COUNT] = {0};
	uint32_t n = 0;
	const char *why = "";
	GLint ok = 0;

	if (stage_present(p, VREND_STAGE_COMPUTE)) {
		stages[n++] = VREND_STAGE_COMPUTE;
	} else {
		for (uint32_t k = 0; k < sizeof(pipeline); k++)
			if (stage_present(p, pipeline[k]))
				stages[n++] = pipeline[k];
	}
	if (!assign_bases(ss, p, stages, n, &why)) {
		vrend_log(logger(sub), VGN_LOG_WARN, "ctx %u: program not built: %s",
		          sub->ctx->ctx_id, why);
		return;
	}
	for (uint32_t k = 0; k < n; k++) {
		uint32_t prev = k ? stages[k - 1] : VREND_STAGE_COUNT;
		uint32_t next = k + 1 < n ? stages[k + 1] : VREND_STAGE_COUNT;

		shaders[k] = compile_stage(sub, p, stages[k], prev, next);
		if (!shaders[k])
			goto out;
	}
	p->prog = glCreateProgram();
	if (!p->prog)
		goto out;
	for (uint32_t k = 0; k < n; k++)
		glAttachShader(p->prog, shaders[k]);
	glLinkProgram(p->prog);
	glGetProgramiv(p->prog, GL_LINK_STATUS, &ok);
	if (!ok) {
		char log[2048] = "";

		glGetProgramInfoLog(p->prog, sizeof(log), NULL, log);
		vrend_log(logger(sub), VGN_LOG_WARN, "ctx %u: program link failed",
		          sub->ctx->ctx_id);
		log_text(sub, "info log", log);
		glDeleteProgram(p->prog);
		p->prog = 0;
		goto out;
	}
	glUseProgram(p->prog);
	program_setup(sub, p);
out:
	for (uint32_t k = 0; k < n; k++)
		if (shaders[k])
			glDeleteShader(shaders[k]);
}

/* The key fields that can change this set of shaders' GLSL; the others are
 * zeroed so that state the shaders ignore does not make new variants. */
static void normalise_key(struct vrend_shaders *ss, struct vrend_program *p,
                          const struct vrend_shader_key *key)
{
	const struct vrend_shader *fs = vrend_shader_bound_at(ss, VREND_STAGE_FRAGMENT);
	const struct vrend_shader *lv;

	memset(&p->key, 0, sizeof(p->key));
	if (!key || stage_present(p, VREND_STAGE_COMPUTE))
		return;
	lv = vrend_shader_bound_at(ss, last_vertex_stage(p));
	p->key.flatshade = key->flatshade;
	p->key.attrib_int_mask = key->attrib_int_mask;
	p->key.attrib_uint_mask = key->attrib_uint_mask;
	if (!lv->has_clipdist)
		p->key.clip_plane_mask = key->clip_plane_mask;
	for (uint32_t s = 0; s < VREND_STAGE_COUNT; s++)
		if (stage_present(p, s))
			memcpy(p->key.gl_clamp[s], key->gl_clamp[s], sizeof(key->gl_clamp[s]));
	if (fs) {
		p->key.light_twoside = key->light_twoside;
		p->key.nr_cbufs = fs->fs_writes_all_cbufs ? key->nr_cbufs : 0;
		p->key.cbuf_int_mask = key->cbuf_int_mask;
		p->key.cbuf_uint_mask = key->cbuf_uint_mask;
	}
}

/* ---- binding the program's resources ---- */

static void upload_const0(struct vrend_sub *sub, struct vrend_prog_stage *ps, uint32_t s)
{
	struct vrend_stage_bindings *st = &sub->shaders->stage[s];
	uint32_t n;

	if (ps->const0_loc < 0 || ps->const0_gen == st->const0_gen)
		return;
	ps->const0_gen = st->const0_gen;
	/* bindings.c zero-pads the data to whole vec4s. Elements past the active
	 * size of the array are ignored by GL. */
	n = (st->const0_dwords + 3) / 4;
	if (n > ps->const0_size)
		n = ps->const0_size;
	if (n)
		glUniform4uiv(ps->const0_loc, (GLsizei)n, st->const0);
}

/* A shadow lookup's channels (glsl_emit_tex.c): 0 the comparison result (a
 * view channel R..A), 1 zero, 2 one. No view: the result everywhere. */
static void set_shadow_swizzle(GLint loc, const struct vrend_view_binding *vb)
{
	GLfloat k[4];

	for (int c = 0; c < 4; c++)
		k[c] = vb->swizzle[c] == VREND_SWZ_0   ? 1.0f
		       : vb->swizzle[c] == VREND_SWZ_1 ? 2.0f
		                                       : 0.0f;
	glUniform4fv(loc, 1, k);
}

static void bind_samplers(struct vrend_sub *sub, const struct vrend_prog_stage *ps, uint32_t s,
                          bool dsa)
{
	for (uint32_t i = 0; i < ps->num_samplers; i++) {
		struct vrend_view_binding vb = {0};
		GLuint unit = ps->sampler_base + i;

		if (!(ps->sampler_used[i / 64] >> (i % 64) & 1))
			continue;
		if (vrend_fb_view(sub, s, i, &vb)) {
			bool shadow = i < VREND_SHADOW_SWIZZLES && ps->shadow_swz_loc[i] >= 0;

			if (shadow && vb.gl_shadow_name)
				vb.gl_name = vb.gl_shadow_name;
			if (dsa) {
				glBindTextureUnit(unit, vb.gl_name);
			} else {
				glActiveTexture(GL_TEXTURE0 + unit);
				glBindTexture(vb.gl_target, vb.gl_name);
			}
		} else if (dsa) {
			glBindTextureUnit(unit, 0);
		}
		/* The view's format decides how the border colour is given. */
		glBindSampler(unit, vrend_state_sampler_for_view(sub, s, i, vb.vfmt));
		if (i < VREND_SHADOW_SWIZZLES && ps->shadow_swz_loc[i] >= 0)
			set_shadow_swizzle(ps->shadow_swz_loc[i], &vb);
	}
	if (!dsa)
		glActiveTexture(GL_TEXTURE0);
}

static void bind_program(struct vrend_sub *sub, struct vrend_program *p)
{
	const struct vrend_gl_info *info = vrend_ctx_gl_info(sub->ctx);
	bool dsa = info && vrend_gl_version_ge(info, 45, 0);

	for (uint32_t s = 0; s < VREND_STAGE_COUNT; s++) {
		struct vrend_prog_stage *ps = &p->st[s];

		if (!ps->present)
			continue;
		upload_const0(sub, ps, s);
		bind_samplers(sub, ps, s, dsa);
		vrend_bindings_apply(sub, s, ps);
	}
	if (p->adjust_y_loc >= 0) {
		float y = vrend_state_winsys_adjust_y(sub);

		if (!p->adjust_y_valid || p->adjust_y != y) {
			glUniform1f(p->adjust_y_loc, y);
			p->adjust_y = y;
			p->adjust_y_valid = true;
		}
	}
	if (p->clip_loc >= 0) {
		const float *planes = vrend_state_clip_planes(sub);

		if (planes)
			glUniform4fv(p->clip_loc, 8, planes);
	}
	vrend_bindings_apply_atomics(sub);
}

int vrend_program_use(struct vrend_sub *sub, const struct vrend_shader_key *key, bool compute)
{
	struct vrend_shaders *ss = sub->shaders;
	struct vrend_program k, *p;

	if (!ss)
		return -EINVAL;
	read_limits(sub);
	memset(&k, 0, sizeof(k));
	if (compute) {
		if (!ss->bound[VREND_STAGE_COMPUTE])
			return -EINVAL;
		k.serial[VREND_STAGE_COMPUTE] =
		    vrend_shader_bound_at(ss, VREND_STAGE_COMPUTE)->serial;
	} else {
		if (!ss->bound[VREND_STAGE_VERTEX])
			return -EINVAL;
		for (uint32_t s = 0; s < VREND_STAGE_COUNT; s++)
			if (s != VREND_STAGE_COMPUTE && ss->bound[s])
				k.serial[s] = vrend_shader_bound_at(ss, s)->serial;
	}
	normalise_key(ss, &k, key);
	/* Most draws reuse the last program: compare before hashing. */
	if (ss->last && !memcmp(ss->last->serial, k.serial, sizeof(k.serial)) &&
	    !memcmp(&ss->last->key, &k.key, sizeof(k.key))) {
		p = ss->last;
	} else {
		k.hash = hash_bytes(hash_bytes(0xcbf29ce484222325ull, k.serial, sizeof(k.serial)),
		                    &k.key, sizeof(k.key));
		p = cache_find(ss, &k);
	}
	if (!p) {
		p = malloc(sizeof(*p));
		if (!p)
			return -ENOMEM;
		*p = k;
		p->adjust_y_loc = p->clip_loc = -1;
		build_program(sub, p);
		if (cache_add(ss, p)) {
			program_free(p);
			return -ENOMEM;
		}
	}
	p->last_use = ++ss->use_clock;
	ss->last = p;
	if (!p->prog)
		return -EINVAL;
	glUseProgram(p->prog);
	bind_program(sub, p);
	return 0;
}
