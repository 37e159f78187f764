/* SPDX-License-Identifier: MIT */
/* A VMM-shaped consumer built from the installed header and pkg-config alone: two
 * live renderer instances, a 2D round trip in each, then both destroyed. */
#include <stdio.h>
#include <string.h>
#include <virgl-next/virgl_next.h>

enum { W = 32, H = 8, N = W * H * 4 };

static int roundtrip(vgn_renderer *r, unsigned char *guest, unsigned seed)
{
	unsigned char out[N];
	struct vgn_resource_create_params rp = {.size = sizeof(rp),
	                                        .target = VGN_TARGET_2D,
	                                        .format = VGN_FORMAT_B8G8R8A8_UNORM,
	                                        .bind = VGN_BIND_RENDER_TARGET,
	                                        .width = W,
	                                        .height = H,
	                                        .depth = 1,
	                                        .array_size = 1};
	struct iovec iov[2] = {{guest + 100, N - 100}, {guest, 100}}; /* out of order */
	struct vgn_backing b = {.size = sizeof(b), .iov = iov, .num_iovs = 2, .dmabuf_fd = -1};
	struct vgn_transfer t = {.size = sizeof(t), .box = {0, 0, 0, W, H, 1}};
	for (unsigned i = 0; i < N; i++)
		guest[i] = (unsigned char)(i * 7 + seed);
	int err = vgn_resource_create(r, 1, &rp);
	if (!err)
		err = vgn_resource_attach_backing(r, 1, &b);
	if (!err)
		err = vgn_resource_transfer_to_host(r, 1, &t);
	if (!err)
		err = vgn_resource_copy_out(r, 1, &t.box, out, N, W * 4);
	if (!err && (memcmp(out, guest + 100, N - 100) || memcmp(out + N - 100, guest, 100)))
		err = -1;
	printf("instance %u: %s\n", seed,
	       err ? (err == -1 ? "mismatch" : vgn_strerror(err)) : "ok");
	return err;
}

int main(void)
{
	static unsigned char guest[2][N];
	struct vgn_renderer_params p = {.size = sizeof(p),
	                                .callbacks = {.size = sizeof(p.callbacks)}};
	vgn_renderer *r[2] = {NULL, NULL};
	int err = vgn_renderer_create(&p, &r[0]);
	if (!err)
		err = vgn_renderer_create(&p, &r[1]);
	for (unsigned i = 0; i < 2 && !err; i++)
		err = roundtrip(r[i], guest[i], i + 1);
	vgn_renderer_destroy(r[0]);
	vgn_renderer_destroy(r[1]);
	return err ? 1 : 0;
}
