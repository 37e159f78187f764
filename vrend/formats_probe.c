/* SPDX-License-Identifier: MIT */
/*
 * Asks the live GL context what each format-table entry can really do: create a
 * small texture with the table's exact upload format/type (catches host and table
 * errors alike), attach it to a framebuffer, and ask glGetInternalformativ where
 * the context has it.
 */
#include <epoxy/gl.h>
#include <errno.h>
#include <string.h>

#include "formats.h"
#include "gl_info.h"

struct probe_ctx {
	const struct vrend_gl_info *info;
	bool query2;       /* GL_INTERNALFORMAT_SUPPORTED and friends */
	bool sample_query; /* GL_NUM_SAMPLE_COUNTS on renderbuffers */
	GLuint fbo;
};

static void drain_errors(void)
{
	for (int i = 0; i < 16 && glGetError() != GL_NO_ERROR; i++)
		;
}

static GLint query_format(GLenum target, GLenum ifmt, GLenum pname)
{
	GLint v = 0;

	drain_errors();
	glGetInternalformativ(target, ifmt, pname, 1, &v);
	return glGetError() == GL_NO_ERROR ? v : 0;
}

static bool create_texture(const struct vrend_format *f)
{
	GLsizei w = f->block_w, h = f->block_h;

	drain_errors();
	if (f->flags & VREND_FMT_COMPRESSED)
		glCompressedTexImage2D(GL_TEXTURE_2D, 0, f->internal_format, w, h, 0,
		                       f->block_bytes, NULL);
	else
		glTexImage2D(GL_TEXTURE_2D, 0, (GLint)f->internal_format, w, h, 0, f->format,
		             f->type, NULL);
	return glGetError() == GL_NO_ERROR;
}

static GLenum attachment_of(const struct vrend_format *f)
{
	if ((f->flags & VREND_FMT_DEPTH) && (f->flags & VREND_FMT_STENCIL))
		return GL_DEPTH_STENCIL_ATTACHMENT;
	if (f->flags & VREND_FMT_DEPTH)
		return GL_DEPTH_ATTACHMENT;
	if (f->flags & VREND_FMT_STENCIL)
		return GL_STENCIL_ATTACHMENT;
	return GL_COLOR_ATTACHMENT0;
}

static bool fbo_complete(struct probe_ctx *pc, GLuint tex, GLenum attachment)
{
	const GLenum none = GL_NONE, color0 = GL_COLOR_ATTACHMENT0;
	GLenum status;

	drain_errors();
	glBindFramebuffer(GL_FRAMEBUFFER, pc->fbo);
	/* Depth-only framebuffers must not name a colour draw buffer. */
	glDrawBuffers(1, attachment == GL_COLOR_ATTACHMENT0 ? &color0 : &none);
	glReadBuffer(attachment == GL_COLOR_ATTACHMENT0 ? GL_COLOR_ATTACHMENT0 : GL_NONE);
	glFramebufferTexture2D(GL_FRAMEBUFFER, attachment, GL_TEXTURE_2D, tex, 0);
	status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
	glFramebufferTexture2D(GL_FRAMEBUFFER, attachment, GL_TEXTURE_2D, 0, 0);
	glBindFramebuffer(GL_FRAMEBUFFER, 0);
	return glGetError() == GL_NO_ERROR && status == GL_FRAMEBUFFER_COMPLETE;
}

static uint8_t probe_one(struct probe_ctx *pc, const struct vrend_format *f)
{
	bool depth = (f->flags & (VREND_FMT_DEPTH | VREND_FMT_STENCIL)) != 0;
	uint8_t flags = 0;
	GLuint tex = 0;

	if (pc->query2) {
		if (!query_format(GL_TEXTURE_2D, f->internal_format, GL_INTERNALFORMAT_SUPPORTED))
			return 0;
		if (query_format(GL_TEXTURE_2D, f->internal_format, GL_FRAGMENT_TEXTURE) == GL_NONE)
			return 0;
	}
	glGenTextures(1, &tex);
	glBindTexture(GL_TEXTURE_2D, tex);
	if (create_texture(f)) {
		flags |= VREND_PROBE_TEXTURE;
		if ((f->flags & VREND_FMT_RENDER) || depth) {
			if (fbo_complete(pc, tex, attachment_of(f)))
				flags |= depth ? VREND_PROBE_DEPTH : VREND_PROBE_RENDER;
		}
	}
	glBindTexture(GL_TEXTURE_2D, 0);
	glDeleteTextures(1, &tex);

	if ((flags & (VREND_PROBE_RENDER | VREND_PROBE_DEPTH)) && pc->sample_query &&
	    query_format(GL_RENDERBUFFER, f->internal_format, GL_NUM_SAMPLE_COUNTS) > 0)
		flags |= VREND_PROBE_MSAA;
	/* Desktop GL reads any texture back (glGetTexImage); GLES only what it can
	 * attach and glReadPixels. Compressed data comes back only on desktop. */
	if (flags & VREND_PROBE_TEXTURE) {
		if (!pc->info->gles || (flags & (VREND_PROBE_RENDER | VREND_PROBE_DEPTH)))
			flags |= VREND_PROBE_READBACK;
	}
	return flags;
}

int vrend_formats_probe(const struct vrend_gl_info *info, struct vrend_format_caps *caps)
{
	struct probe_ctx pc = {.info = info};

	memset(caps, 0, sizeof(*caps));
	pc.query2 = vrend_gl_version_ge(info, 43, 0) ||
	            vrend_gl_has_ext(info, "GL_ARB_internalformat_query2");
	pc.sample_query = vrend_gl_version_ge(info, 42, 30) ||
	                  vrend_gl_has_ext(info, "GL_ARB_internalformat_query");
	drain_errors();
	glGenFramebuffers(1, &pc.fbo);
	if (!pc.fbo)
		return -EIO;
	for (uint32_t v = 0; v < VFMT_COUNT; v++) {
		const struct vrend_format *f = vrend_format_get(v);
		if (!f)
			continue;
		caps->flags[v] = probe_one(&pc, f);
		caps->probed++;
	}
	glDeleteFramebuffers(1, &pc.fbo);
	drain_errors();
	return 0;
}
