/* SPDX-License-Identifier: MIT */
/*
 * Transfer bandwidth of one large texture upload, all methods in one run next to
 * a plain memcpy of the same size (the ceiling on this machine right now):
 *
 *   memcpy     two malloc'ed buffers of the image size;
 *   classic    TRANSFER_TO_HOST of the whole image from scattered guest pages
 *              (one iovec per scrambled page: the staged path);
 *   shared     the same from a LINEAR backing (one contiguous view of the pages,
 *              VGN_BACKING_FLAG_LINEAR): zero-copy where the backend can;
 *   blob       a HOST3D blob (plain host memory, memfd) mapped with
 *              vgn_resource_map and written by the "guest" with memcpy: no
 *              transfer at all (needs a context: GL renderer only).
 *
 * For CPU2D resources and for vrend (GL on llvmpipe) resources. Each method runs
 * --reps times after one untimed warm-up; the median time gives GB/s (10^9
 * bytes/s of image) and the ratio to memcpy (>1: faster than memcpy). The data-path counters
 * (VGN_QUERY_RENDERER_STATS) of each run are printed so that the kind of copy is visible, not
 * assumed.
 *
 *   transfer_bw [--width N] [--height N] [--reps N] [--backend cpu2d|gl|both]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmm_sim.h"

struct opts {
	uint32_t width, height, reps;
	bool cpu2d, gl;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *t, uint32_t n)
{
	qsort(t, n, sizeof(*t), cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "transfer_bw: %s: %s\n", what, vgn_strerror(err));
	exit(1);
}

static struct vgn_query_renderer_stats stats(vgn_renderer *r)
{
	struct vgn_query_header in = {sizeof(in), VGN_QUERY_RENDERER_STATS};
	struct vgn_query_renderer_stats s;
	memset(&s, 0, sizeof(s));
	s.hdr.size = sizeof(s);
	s.hdr.type = VGN_QUERY_RENDERER_STATS;
	int ret = vgn_query(r, 0, &in, &s.hdr);
	if (ret)
		die("stats query", ret);
	return s;
}

static void report(const char *backend, const char *method, double t, uint64_t bytes,
                   double memcpy_t, const char *note)
{
	double gbs = t > 0 ? (double)bytes / t / 1e9 : 0;
	printf("%-6s %-8s %11.1f us %10.2f GB/s %10.2fx memcpy  %s\n", backend, method, t * 1e6,
	       gbs, t > 0 ? memcpy_t / t : 0, note);
}

static double time_memcpy(size_t bytes, uint32_t reps)
{
	uint8_t *a = malloc(bytes), *b = malloc(bytes);
	double *t = calloc(reps, sizeof(*t));
	if (!a || !b || !t)
		die("memcpy buffers", -ENOMEM);
	vms_pattern_fill(a, bytes, 1);
	memcpy(b, a, bytes); /* warm-up: faults the pages in, untimed */
	for (uint32_t i = 0; i < reps; i++) {
		double t0 = now_s();
		memcpy(b, a, bytes);
		t[i] = now_s() - t0;
	}
	double m = median(t, reps);
	if (memcmp(a, b, bytes))
		die("memcpy check", -EIO);
	free(a);
	free(b);
	free(t);
	return m;
}

/* Uploads the whole image res_id from its attached backing reps times. */
static double time_transfers(struct vms *v, uint32_t res_id, const struct opts *o,
                             struct vgn_query_renderer_stats *delta)
{
	double *t = calloc(o->reps, sizeof(*t));
	if (!t)
		die("times", -ENOMEM);
	struct vgn_box box = {0, 0, 0, o->width, o->height, 1};
	int ret = vms_transfer(v, true, res_id, 0, 0, &box, 0, 0, 0); /* warm-up, untimed */
	if (ret)
		die("transfer", ret);
	struct vgn_query_renderer_stats s0 = stats(v->r);
	for (uint32_t i = 0; i < o->reps; i++) {
		double t0 = now_s();
		ret = vms_transfer(v, true, res_id, 0, 0, &box, 0, 0, 0);
		t[i] = now_s() - t0;
		if (ret)
			die("transfer", ret);
	}
	struct vgn_query_renderer_stats s1 = stats(v->r);
	delta->transfers = s1.transfers - s0.transfers;
	delta->staging_copies = s1.staging_copies - s0.staging_copies;
	delta->zero_copy_transfers = s1.zero_copy_transfers - s0.zero_copy_transfers;
	double m = median(t, o->reps);
	free(t);
	return m;
}

/* The host copy must hold the pattern: one copy-out, compared (not timed). */
static void check_content(struct vms *v, uint32_t res_id, const uint8_t *want, const struct opts *o)
{
	size_t pitch = (size_t)o->width * 4, bytes = pitch * o->height;
	uint8_t *got = malloc(bytes);
	if (!got)
		die("check buffer", -ENOMEM);
	int ret = vms_copy_out(v, res_id, 0, 0, o->width, o->height, got, bytes, (uint32_t)pitch);
	if (ret)
		die("copy-out", ret);
	if (memcmp(got, want, bytes))
		die("uploaded content differs", -EIO);
	free(got);
}

static void run_method(struct vms *v, const char *backend, const char *name, enum vms_layout layout,
                       uint32_t res_id, const uint8_t *img, const struct opts *o, double memcpy_t)
{
	size_t bytes = (size_t)o->width * o->height * 4;
	struct vms_backing b;
	int ret = vms_resource_create_2d(v, res_id, VGN_FORMAT_B8G8R8A8_UNORM, o->width, o->height);
	if (ret)
		die("resource create", ret);
	ret = vms_backing_alloc(&v->guest, bytes, layout, &b);
	if (ret)
		die("guest backing", ret);
	vms_backing_write(&v->guest, &b, 0, img, bytes);
	ret = vms_attach_backing(v, res_id, &b);
	if (ret)
		die("attach backing", ret);
	struct vgn_query_renderer_stats d;
	double t = time_transfers(v, res_id, o, &d);
	check_content(v, res_id, img, o);
	char note[128];
	snprintf(note, sizeof(note), "(%llu transfers: %llu staged, %llu zero-copy)",
	         (unsigned long long)d.transfers, (unsigned long long)d.staging_copies,
	         (unsigned long long)d.zero_copy_transfers);
	if (!strcmp(backend, "cpu2d") && d.zero_copy_transfers == d.transfers) {
		/* The pages are the storage: a bandwidth would be a division by ~0. */
		printf("%-6s %-8s %11.1f us %10s      %10s         %s, in place: no bytes move\n",
		       backend, name, t * 1e6, "-", "-", note);
	} else {
		report(backend, name, t, bytes, memcpy_t, note);
	}
	vgn_resource_unref(v->r, res_id);
	vms_backing_free(&v->guest, &b);
}

/* HOST3D blob of the image size on context ctx_id, mapped; the "guest" writes
 * the image through the mapping (what replaces a transfer with host memory). */
static void run_blob(struct vms *v, const char *backend, uint32_t ctx_id, uint32_t res_id,
                     const uint8_t *img, const struct opts *o, double memcpy_t)
{
	size_t bytes = (size_t)o->width * o->height * 4;
	size_t size = (bytes + VMS_PAGE_SIZE - 1) / VMS_PAGE_SIZE * VMS_PAGE_SIZE;
	struct vgn_blob_params p;
	memset(&p, 0, sizeof(p));
	p.size = VGN_BLOB_PARAMS_SIZE_V1;
	p.ctx_id = ctx_id;
	p.blob_mem = VGN_BLOB_MEM_HOST3D;
	p.blob_flags = VGN_BLOB_FLAG_MAPPABLE;
	p.blob_size = size;
	int ret = vgn_resource_create_blob(v->r, res_id, &p);
	if (ret)
		die("HOST3D blob", ret);
	void *map = NULL;
	uint64_t map_size = 0;
	ret = vgn_resource_map(v->r, res_id, &map, &map_size);
	if (ret)
		die("blob map", ret);
	memcpy(map, img, bytes); /* warm-up: faults the pages in, untimed */
	double *t = calloc(o->reps, sizeof(*t));
	if (!t)
		die("times", -ENOMEM);
	for (uint32_t i = 0; i < o->reps; i++) {
		double t0 = now_s();
		memcpy(map, img, bytes);
		t[i] = now_s() - t0;
	}
	if (memcmp(map, img, bytes))
		die("blob content differs", -EIO);
	report(backend, "blob", median(t, o->reps), bytes, memcpy_t,
	       "(guest writes the mapped host memory: no transfer)");
	free(t);
	vgn_resource_unmap(v->r, res_id);
	vgn_resource_unref(v->r, res_id);
}

static void run_backend(const char *name, uint32_t backend, const struct opts *o,
                        const uint8_t *img, double memcpy_t)
{
	size_t bytes = (size_t)o->width * o->height * 4;
	struct vms v;
	struct vms_options vo;
	memset(&vo, 0, sizeof(vo));
	vo.backends = backend;
	/* One backing at a time, plus slack. */
	vo.guest_pages = bytes / VMS_PAGE_SIZE + 64;
	int ret = vms_create(&v, &vo);
	if (ret) {
		printf("%-6s (backend not available here: %s)\n", name, vgn_strerror(ret));
		return;
	}
	run_method(&v, name, "classic", VMS_SCATTER, 1, img, o, memcpy_t);
	run_method(&v, name, "shared", VMS_LINEAR, 2, img, o, memcpy_t);
	struct vgn_context_params cp;
	memset(&cp, 0, sizeof(cp));
	cp.size = sizeof(cp);
	cp.capset_id = VGN_CAPSET_VIRGL2;
	if (backend == VGN_BACKEND_GL && vgn_context_create(v.r, 1, &cp) == 0) {
		run_blob(&v, name, 1, 3, img, o, memcpy_t);
		vgn_context_destroy(v.r, 1);
	} else {
		printf("%-6s %-8s (HOST3D blobs belong to a context; this renderer has none)\n",
		       name, "blob");
	}
	vms_destroy(&v);
}

static uint32_t arg_u32(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "transfer_bw: %s needs a value\n", argv[*i]);
		exit(2);
	}
	char *end;
	unsigned long val = strtoul(argv[++*i], &end, 0);
	if (*end || !val || val > 16384) {
		fprintf(stderr, "transfer_bw: bad value for %s\n", argv[*i - 1]);
		exit(2);
	}
	return (uint32_t)val;
}

int main(int argc, char **argv)
{
	struct opts o = {.width = 4096, .height = 4096, .reps = 7, .cpu2d = true, .gl = true};
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--width")) {
			o.width = arg_u32(argc, argv, &i);
		} else if (!strcmp(argv[i], "--height")) {
			o.height = arg_u32(argc, argv, &i);
		} else if (!strcmp(argv[i], "--reps")) {
			o.reps = arg_u32(argc, argv, &i);
		} else if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
			const char *b = argv[++i];
			o.cpu2d = !strcmp(b, "cpu2d") || !strcmp(b, "both");
			o.gl = !strcmp(b, "gl") || !strcmp(b, "both");
		} else {
			fprintf(stderr,
			        "usage: %s [--width N] [--height N] [--reps N] "
			        "[--backend cpu2d|gl|both]\n",
			        argv[0]);
			return 2;
		}
	}
	size_t bytes = (size_t)o.width * o.height * 4;
	uint8_t *img = malloc(bytes);
	if (!img)
		die("image", -ENOMEM);
	vms_pattern_fill(img, bytes, 7);
	printf("transfer_bw: %ux%u B8G8R8A8 = %.1f MiB, median of %u runs\n", o.width, o.height,
	       (double)bytes / (1 << 20), o.reps);
	double memcpy_t = time_memcpy(bytes, o.reps);
	report("-", "memcpy", memcpy_t, bytes, memcpy_t, "(plain memcpy, same size)");
	if (o.cpu2d)
		run_backend("cpu2d", VGN_BACKEND_CPU2D, &o, img, memcpy_t);
	if (o.gl)
		run_backend("vrend", VGN_BACKEND_GL, &o, img, memcpy_t);
	free(img);
	return 0;
}
