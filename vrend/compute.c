/* SPDX-License-Identifier: MIT */
/*
 * LAUNCH_GRID (virgl-protocol.md §3.4): compute dispatch, direct and indirect.
 * The block size is part of the compute shader (its local size); the wire's
 * copy is only checked against the host limits.
 */
#include <epoxy/gl.h>
#include <errno.h>

#include "draw_internal.h"
#include "gl_info.h"

static void compute_limits(struct vrend_sub *sub, GLint grid[3], GLint block[3])
{
	const struct vrend_gl_info *info = vrend_ctx_gl_info(sub->ctx);

	for (GLuint i = 0; i < 3; i++) {
		if (info) {
			grid[i] = info->limits.compute_work_group_count[i];
			block[i] = info->limits.compute_work_group_size[i];
			continue;
		}
		grid[i] = block[i] = 0;
		glGetIntegeri_v(GL_MAX_COMPUTE_WORK_GROUP_COUNT, i, &grid[i]);
		glGetIntegeri_v(GL_MAX_COMPUTE_WORK_GROUP_SIZE, i, &block[i]);
	}
}

/* p1..p3 block size, p4..p6 grid size, p7 indirect resource (0 = direct),
 * p8 indirect byte offset. */
VREND_HANDLER(vrend_cmd_launch_grid)
{
	struct vrend_sub *sub = vrend_sub_current(dec);
	struct vrend_shader_key key = {0};
	struct vrend_buf_ref ind = {0};
	uint32_t grid[3], block[3];
	uint32_t ind_handle = vrend_cmd_get(cmd, 7), ind_offset = vrend_cmd_get(cmd, 8);
	GLint max_grid[3], max_block[3];

	if (!sub)
		return vrend_decoder_fail(dec, cmd, -EIO, "no GL context");
	if (!vrend_draw_gl_ge(sub, 43, 31) && !vrend_draw_gl_has_ext(sub, "GL_ARB_compute_shader"))
		return vrend_decoder_fail(dec, cmd, -EINVAL, "compute is not supported");
	compute_limits(sub, max_grid, max_block);
	for (uint32_t i = 0; i < 3; i++) {
		block[i] = vrend_cmd_get(cmd, 1 + i);
		grid[i] = vrend_cmd_get(cmd, 4 + i);
		if (block[i] > (uint32_t)max_block[i] ||
		    (!ind_handle && grid[i] > (uint32_t)max_grid[i]))
			return vrend_decoder_fail(
			    dec, cmd, -EINVAL,
			    "grid %u x block %u in dimension %u above the host "
			    "limits",
			    grid[i], block[i], i);
	}
	if (ind_handle) {
		if (ind_offset % 4)
			return vrend_decoder_fail(dec, cmd, -EINVAL,
			                          "indirect offset not a multiple of 4");
		if (vrend_buf_ref_get(vrend_ctx_of(dec), ind_handle, &ind))
			return vrend_decoder_fail(
			    dec, cmd, -EINVAL,
			    "indirect resource %u is not a buffer of this context", ind_handle);
		if (!vrend_buf_range_ok(&ind, ind_offset, 12)) {
			vrend_buf_ref_put(&ind);
			return vrend_decoder_fail(dec, cmd, -EINVAL,
			                          "indirect dispatch past the end of the buffer");
		}
	}
	if (vrend_program_use(sub, &key, true)) {
		if (!sub->draw->logged_no_program)
			vrend_draw_warn(sub, "dispatch skipped: no usable compute program");
		sub->draw->logged_no_program = true;
	} else if (ind.res) {
		glBindBuffer(GL_DISPATCH_INDIRECT_BUFFER, ind.vr->gl_name);
		glDispatchComputeIndirect((GLintptr)ind_offset);
		glBindBuffer(GL_DISPATCH_INDIRECT_BUFFER, 0);
	} else {
		glDispatchCompute(grid[0], grid[1], grid[2]);
	}
	vrend_buf_ref_put(&ind);
	return 0;
}
