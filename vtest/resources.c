/* SPDX-License-Identifier: MIT */
/* The connection's resource table: vtest resource id == vgn resource id (each
 * connection has its own renderer), plus the shared memory given to the client. */
#include <errno.h>
#include <stdlib.h>

#include "conn.h"

struct vtest_resource *vtest_res_get(struct vtest_conn *c, uint32_t id)
{
	return vtest_idmap_get(&c->resources, id);
}

int vtest_res_pick_id(struct vtest_conn *c, uint32_t client_id, uint32_t *id)
{
	if (!client_id) {
		*id = vtest_idmap_smallest_free(&c->resources);
		if (!*id) {
			vtest_err(&c->log, "too many resources (limit %u)", c->resources.limit);
			return -ENOSPC;
		}
		return 0;
	}
	if (vtest_idmap_get(&c->resources, client_id)) {
		vtest_err(&c->log, "resource id %u is already in use", client_id);
		return -EEXIST;
	}
	if (c->resources.count >= c->resources.limit) {
		vtest_err(&c->log, "too many resources (limit %u)", c->resources.limit);
		return -ENOSPC;
	}
	*id = client_id;
	return 0;
}

static int attach(struct vtest_conn *c, struct vtest_resource *res)
{
	int ret = vgn_context_attach_resource(c->r, c->ctx_id, res->id);

	/* -EEXIST: the library attached it already (e.g. a blob made by this context). */
	if (ret && ret != -EEXIST) {
		vtest_err(&c->log, "cannot attach resource %u to the context: %s", res->id,
		          vgn_strerror(ret));
		return ret;
	}
	res->attached = true;
	return 0;
}

/* Drops the library's resource, then its memory (or parks it if the library may
 * still hold it). */
static void release(struct vtest_conn *c, struct vtest_resource *res)
{
	int ret;

	if (res->attached) {
		ret = vgn_context_detach_resource(c->r, c->ctx_id, res->id);
		if (ret)
			vtest_warn(&c->log, "detaching resource %u: %s", res->id,
			           vgn_strerror(ret));
	}
	ret = vgn_resource_unref(c->r, res->id);
	if (ret && res->shm.ptr) {
		vtest_warn(&c->log, "unref of resource %u failed (%s); its memory stays mapped",
		           res->id, vgn_strerror(ret));
		vtest_shm_close_fd(&res->shm);
		res->zombie_next = c->zombies;
		c->zombies = res;
		return;
	}
	if (ret)
		vtest_warn(&c->log, "unref of resource %u: %s", res->id, vgn_strerror(ret));
	vtest_shm_destroy(&res->shm);
	free(res);
}

int vtest_res_add(struct vtest_conn *c, uint32_t id, struct vtest_shm *shm)
{
	struct vtest_resource *res = calloc(1, sizeof(*res));
	int ret;

	if (!res) {
		vgn_resource_unref(c->r, id);
		if (shm)
			vtest_shm_destroy(shm);
		return -ENOMEM;
	}
	res->id = id;
	res->shm.fd = -1;
	if (shm) {
		res->shm = *shm;
		shm->fd = -1;
		shm->ptr = NULL;
		shm->size = 0;
	}
	ret = vtest_idmap_insert(&c->resources, id, res);
	if (!ret && c->ctx_id) {
		ret = attach(c, res);
		if (ret)
			vtest_idmap_remove(&c->resources, id);
	}
	if (ret) {
		release(c, res);
		return ret;
	}
	return 0;
}

int vtest_res_destroy(struct vtest_conn *c, uint32_t id)
{
	struct vtest_resource *res = vtest_idmap_remove(&c->resources, id);

	if (!res) {
		vtest_err(&c->log, "unknown resource %u", id);
		return -ENOENT;
	}
	release(c, res);
	return 0;
}

struct attach_all_ctx {
	struct vtest_conn *c;
	int ret;
};

static void attach_one(void *value, void *data)
{
	struct attach_all_ctx *a = data;
	struct vtest_resource *res = value;

	if (!a->ret && !res->attached)
		a->ret = attach(a->c, res);
}

int vtest_res_attach_all(struct vtest_conn *c)
{
	struct attach_all_ctx a = {c, 0};

	vtest_idmap_for_each(&c->resources, attach_one, &a);
	return a.ret;
}

static void free_one(void *value, void *data)
{
	struct vtest_resource *res = value;

	(void)data;
	vtest_shm_destroy(&res->shm);
	free(res);
}

void vtest_res_fini(struct vtest_conn *c)
{
	/* The renderer goes first: it releases every resource, after which none of
	 * the memory below is referenced by the library any more. */
	vgn_renderer_destroy(c->r);
	c->r = NULL;
	c->poll_fd = -1;
	vtest_idmap_for_each(&c->resources, free_one, NULL);
	vtest_idmap_fini(&c->resources);
	while (c->zombies) {
		struct vtest_resource *res = c->zombies;
		c->zombies = res->zombie_next;
		free_one(res, NULL);
	}
}
