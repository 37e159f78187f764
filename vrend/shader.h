/* SPDX-License-Identifier: MIT */
/*
 * What other areas may ask shader.c beyond vctx.h.
 */
#ifndef VREND_SHADER_H
#define VREND_SHADER_H

#include <stdint.h>

struct vrend_sub;

/* GL_POINTS / GL_LINES / GL_TRIANGLES: the primitive class the bound geometry
 * shader (else tessellation evaluation shader) outputs; 0 when neither is bound
 * (the draw's primitive decides). For glBeginTransformFeedback. */
uint32_t vrend_shader_output_prim_class(struct vrend_sub *sub);

#endif /* VREND_SHADER_H */
