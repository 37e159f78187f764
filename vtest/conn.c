/* SPDX-License-Identifier: MIT */
/*
 * One client connection: the event loop, message framing and the dispatch table.
 *
 * Threading and instance choice: every connection runs on its own thread and
 * owns its own vgn_renderer instance. Reasons:
 *  - In vtest, resource ids, sync ids and the context are per connection: a
 *    private renderer makes vtest ids equal library ids with no translation, and
 *    two clients can both own "resource 1".
 *  - Isolation: one client's state (resources, contexts, a context the library
 *    declared fatal, a GPU wait that never ends) cannot touch another client's.
 *    A protocol error closes only that client; other threads never notice.
 *  - It exercises the API's promise of no process globals: N renderers live in
 *    one process at the same time.
 *  - Crash containment (a driver crash taking down every client) needs one
 *    process per client; that is the planned fork-per-client mode (issue 6). The
 *    per-connection code below does not change for it.
 * The renderer runs in poll mode (no library threads): its poll fd sits in this
 * thread's poll() next to the socket, and every callback runs on this thread.
 */
#include "conn.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds_query.h"
#include "fdpass.h"
#include "sockio.h"
#include "vtest_protocol.h"

struct vtest_cmd_desc {
	const char *name;
	uint32_t min_version;
	/* Either an exact payload size in dwords (size == NULL) or a validator. */
	uint32_t dwords;
	int (*size)(uint32_t len, uint64_t *bytes);
	vtest_handler handler;
};

#define CMD_FIXED(id, min, dw, fn) [VTEST_CMD_##id] = {#id, (min), (dw), NULL, (fn)}
#define CMD_VAR(id, min, sz, fn) [VTEST_CMD_##id] = {#id, (min), 0, (sz), (fn)}

/* The whole protocol: unknown ids (holes) close the connection. */
static const struct vtest_cmd_desc cmd_table[] = {
    CMD_FIXED(GET_CAPS, 0, 0, vtest_cmd_get_caps),
    CMD_FIXED(RESOURCE_CREATE, 0, VTEST_RESOURCE_CREATE_DWORDS, vtest_cmd_resource_create),
    CMD_FIXED(RESOURCE_UNREF, 0, 1, vtest_cmd_resource_unref),
    CMD_FIXED(TRANSFER_GET, 0, VTEST_TRANSFER_DWORDS, vtest_cmd_transfer_get),
    CMD_VAR(TRANSFER_PUT, 0, vtest_size_transfer_put, vtest_cmd_transfer_put),
    CMD_VAR(SUBMIT_CMD, 0, vtest_size_submit_cmd, vtest_cmd_submit_cmd),
    CMD_FIXED(RESOURCE_BUSY_WAIT, 0, 2, vtest_cmd_busy_wait),
    CMD_VAR(CREATE_RENDERER, 0, vtest_size_create_renderer, vtest_cmd_create_renderer),
    CMD_FIXED(GET_CAPS2, 0, 0, vtest_cmd_get_caps2),
    CMD_FIXED(PING_PROTOCOL_VERSION, 0, 0, vtest_cmd_ping),
    CMD_FIXED(PROTOCOL_VERSION, 0, 1, vtest_cmd_protocol_version),
    CMD_FIXED(RESOURCE_CREATE2, 2, VTEST_RESOURCE_CREATE2_DWORDS, vtest_cmd_resource_create2),
    CMD_FIXED(TRANSFER_GET2, 2, VTEST_TRANSFER2_DWORDS, vtest_cmd_transfer_get2),
    CMD_VAR(TRANSFER_PUT2, 2, vtest_size_transfer_put2, vtest_cmd_transfer_put2),
    CMD_FIXED(GET_PARAM, 3, 1, vtest_cmd_get_param),
    CMD_FIXED(GET_CAPSET, 3, 2, vtest_cmd_get_capset),
    CMD_FIXED(CONTEXT_INIT, 3, 1, vtest_cmd_context_init),
    CMD_FIXED(RESOURCE_CREATE_BLOB, 3, VTEST_BLOB_DWORDS, vtest_cmd_resource_create_blob),
    CMD_FIXED(SYNC_CREATE, 3, 2, vtest_cmd_sync_create),
    CMD_FIXED(SYNC_UNREF, 3, 1, vtest_cmd_sync_unref),
    CMD_FIXED(SYNC_READ, 3, 1, vtest_cmd_sync_read),
    CMD_FIXED(SYNC_WRITE, 3, 3, vtest_cmd_sync_write),
    CMD_VAR(SYNC_WAIT, 3, vtest_size_sync_wait, vtest_cmd_sync_wait),
    CMD_VAR(SUBMIT_CMD2, 3, vtest_size_submit_cmd2, vtest_cmd_submit_cmd2),
    /* Ours, not Mesa's (cmds_query.h, docs/metadata.md). */
    CMD_VAR(QUERY, 0, vtest_size_query, vtest_cmd_query),
};

static const struct vtest_cmd_desc *lookup_cmd(uint32_t id)
{
	if (id >= sizeof(cmd_table) / sizeof(cmd_table[0]) || !cmd_table[id].handler)
		return NULL;
	return &cmd_table[id];
}

int vtest_conn_reply(struct vtest_conn *c, uint32_t len, uint32_t id, const uint32_t *payload,
                     size_t n)
{
	int ret = vtest_write_reply(c->fd, len, id, payload, n);
	if (ret)
		vtest_err(&c->log, "cannot write reply %u: %s", id, strerror(-ret));
	return ret;
}

int vtest_conn_send_fd(struct vtest_conn *c, int fd)
{
	int ret = vtest_send_fd(c->fd, fd);
	if (ret)
		vtest_err(&c->log, "cannot send fd: %s", strerror(-ret));
	return ret;
}

/* Ensures the payload buffer holds at least size bytes. */
static int conn_reserve(struct vtest_conn *c, size_t size)
{
	uint32_t *buf;

	if (size <= c->buf_size)
		return 0;
	/* Round up to whole dwords; the caps on every command keep this bounded. */
	size = (size + 4095) & ~(size_t)4095;
	buf = realloc(c->buf, size);
	if (!buf) {
		vtest_err(&c->log, "out of memory for a %zu-byte request", size);
		return -ENOMEM;
	}
	c->buf = buf;
	c->buf_size = size;
	return 0;
}

static const char *capset_name(uint32_t capset_id)
{
	switch (capset_id) {
	case VGN_CAPSET_VIRGL:
		return "VIRGL";
	case VGN_CAPSET_VIRGL2:
		return "VIRGL2";
	case VGN_CAPSET_VENUS:
		return "VENUS";
	}
	return "unknown";
}

int vtest_conn_ensure_context(struct vtest_conn *c, uint32_t capset_id)
{
	struct vgn_context_params params;
	int ret;

	if (c->ctx_id) {
		if (capset_id == c->ctx_capset)
			return 0;
		vtest_err(&c->log, "context already exists with capset %u (%s), not %u",
		          c->ctx_capset, capset_name(c->ctx_capset), capset_id);
		return -EINVAL;
	}
	memset(&params, 0, sizeof(params));
	params.size = VGN_CONTEXT_PARAMS_SIZE_V1;
	params.capset_id = capset_id;
	params.debug_name = c->name;
	ret = vgn_context_create(c->r, VTEST_CTX_ID, &params);
	if (ret) {
		vtest_err(&c->log, "cannot create a context with capset %u (%s): %s", capset_id,
		          capset_name(capset_id), vgn_strerror(ret));
		return ret;
	}
	c->ctx_id = VTEST_CTX_ID;
	c->ctx_capset = capset_id;
	vtest_info(&c->log, "context created (capset %s)", capset_name(capset_id));
	return vtest_res_attach_all(c);
}

int vtest_conn_ensure_any_context(struct vtest_conn *c)
{
	return c->ctx_id ? 0 : vtest_conn_ensure_context(c, VGN_CAPSET_VIRGL2);
}

/* One read(): what arrived is recorded before anything parses it, so a capture
 * holds exactly what the server saw, cut-short messages included. */
static ssize_t conn_read_some(struct vtest_conn *c, void *buf, size_t n)
{
	ssize_t got;

	do {
		got = read(c->fd, buf, n);
	} while (got < 0 && errno == EINTR);
	if (got > 0)
		vtest_capture_write(&c->capture, buf, (size_t)got, &c->log);
	return got;
}

int vtest_conn_read(struct vtest_conn *c, void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n) {
		ssize_t got = conn_read_some(c, p, n);
		if (got < 0)
			return -errno;
		if (got == 0)
			return -EPIPE;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

/* Reads the header. 1 = clean end of stream before a new message, 0 = read,
 * -errno otherwise (a header cut short included). */
static int read_header(struct vtest_conn *c, uint32_t hdr[VTEST_HDR_DWORDS])
{
	uint8_t *p = (uint8_t *)hdr;
	ssize_t n;
	int ret;

	n = conn_read_some(c, p, VTEST_HDR_DWORDS * sizeof(uint32_t));
	if (n == 0)
		return 1;
	if (n < 0) {
		ret = -errno;
		vtest_err(&c->log, "read error: %s", strerror(-ret));
		return ret;
	}
	ret = vtest_conn_read(c, p + n, VTEST_HDR_DWORDS * sizeof(uint32_t) - (size_t)n);
	if (ret)
		vtest_err(&c->log, "message header cut short (%s)", strerror(-ret));
	return ret;
}

/* The renderer is made at the first command that needs one, with the backends that
 * command points at: a Venus client never pays for an EGL display and a virpipe client
 * never for a Vulkan instance (both cost hundreds of milliseconds at start-up). */
static bool needs_renderer(uint32_t id)
{
	/* Clients follow PING with a RESOURCE_BUSY_WAIT (spec §5): answered without one. */
	return id != VTEST_CMD_CREATE_RENDERER && id != VTEST_CMD_PING_PROTOCOL_VERSION &&
	       id != VTEST_CMD_PROTOCOL_VERSION && id != VTEST_CMD_RESOURCE_BUSY_WAIT;
}

/* VGN_BACKEND_* for the first renderer-using command; 0 = cannot tell, start them all. */
static uint32_t backends_for(uint32_t id, const uint32_t *p)
{
	switch (id) {
	case VTEST_CMD_GET_CAPS:
	case VTEST_CMD_GET_CAPS2:
		return VGN_BACKEND_GL;
	case VTEST_CMD_GET_PARAM: /* Venus only (spec §7) */
		return VGN_BACKEND_VULKAN;
	case VTEST_CMD_GET_CAPSET:
	case VTEST_CMD_CONTEXT_INIT: /* p[0] is the capset id; the length was checked */
		if (p[0] == VGN_CAPSET_VENUS)
			return VGN_BACKEND_VULKAN;
		if (p[0] == VGN_CAPSET_VIRGL || p[0] == VGN_CAPSET_VIRGL2)
			return VGN_BACKEND_GL;
		return 0;
	default:
		return 0;
	}
}

/* Nothing made through the renderer yet: it can be replaced without the client noticing. */
static bool renderer_unused(const struct vtest_conn *c)
{
	return !c->ctx_id && !c->resources.count && !c->syncs.count && !c->zombies &&
	       !c->last_fence_id;
}

static int ensure_renderer(struct vtest_conn *c, uint32_t backends)
{
	if (!c->r)
		return vtest_conn_create_renderer(c, backends);
	if (!backends || (c->backends & backends) || c->backends_all || !renderer_unused(c))
		return 0;
	/* A client that asked about one capset and now asks about another (a probe, not a
	 * driver): start over with every backend rather than answer "unsupported". */
	vtest_info(&c->log, "client needs backends 0x%x too: restarting its renderer with all",
	           backends);
	vgn_renderer_destroy(c->r);
	c->r = NULL;
	c->poll_fd = -1;
	return vtest_conn_create_renderer(c, 0);
}

static int handle_one(struct vtest_conn *c)
{
	uint32_t hdr[VTEST_HDR_DWORDS], len, id;
	const struct vtest_cmd_desc *d;
	uint64_t bytes;
	int ret;

	ret = read_header(c, hdr);
	if (ret)
		return ret;
	len = hdr[VTEST_HDR_LEN];
	id = hdr[VTEST_HDR_ID];

	d = lookup_cmd(id);
	if (!d) {
		vtest_err(&c->log, "unknown command id %u (len %u)", id, len);
		return -EPROTO;
	}
	if (!c->have_renderer && id != VTEST_CMD_CREATE_RENDERER) {
		vtest_err(&c->log, "first command must be CREATE_RENDERER, got %s", d->name);
		return -EPROTO;
	}
	if (c->have_renderer && id == VTEST_CMD_CREATE_RENDERER) {
		vtest_err(&c->log, "CREATE_RENDERER sent twice");
		return -EPROTO;
	}
	if (c->version < d->min_version) {
		vtest_err(&c->log, "%s needs protocol version %u, negotiated %u", d->name,
		          d->min_version, c->version);
		return -EPROTO;
	}
	if (d->size) {
		ret = d->size(len, &bytes);
		if (ret) {
			vtest_err(&c->log, "%s: impossible length %u", d->name, len);
			return -EPROTO;
		}
	} else {
		if (len != d->dwords) {
			vtest_err(&c->log, "%s: length %u, expected %u", d->name, len, d->dwords);
			return -EPROTO;
		}
		bytes = (uint64_t)d->dwords * sizeof(uint32_t);
	}
	vtest_dbg(&c->log, "<- %s len=%u (%llu payload bytes)", d->name, len,
	          (unsigned long long)bytes);

	/* The validators cap bytes far below SIZE_MAX; +4 leaves room for a NUL and
	 * keeps a trailing partial dword zero-filled. */
	ret = conn_reserve(c, (size_t)bytes + 4);
	if (ret)
		return ret;
	memset((uint8_t *)c->buf + (bytes & ~(uint64_t)3), 0, 4);
	ret = vtest_conn_read(c, c->buf, (size_t)bytes);
	if (ret) {
		vtest_err(&c->log, "%s: payload cut short (%s)", d->name,
		          ret == -EPIPE ? "end of stream" : strerror(-ret));
		return ret;
	}
	if (needs_renderer(id)) {
		ret = ensure_renderer(c, backends_for(id, c->buf));
		if (ret)
			return ret;
	}
	return d->handler(c, len, c->buf);
}

static void lib_log_cb(void *data, enum vgn_log_level level, const char *message)
{
	struct vtest_conn *c = data;
	vtest_log(&c->log, level, "vgn: %s", message);
}

static int create_renderer_with(struct vtest_conn *c, uint32_t backends)
{
	struct vgn_renderer_params params;
	int ret;

	memset(&params, 0, sizeof(params));
	params.size = VGN_RENDERER_PARAMS_SIZE_V3;
	params.max_total_bytes = c->max_client_bytes; /* 0 = the library's default */
	/* Poll mode: callbacks only inside vgn_renderer_poll(). */
	params.flags = c->worker ? VGN_RENDERER_FLAG_WORKER_PROCESS : 0;
	params.worker_timeout_ms = c->worker_timeout_ms;
	params.worker_path = c->worker_path;
	params.backends = backends; /* 0: every backend this build has */
	params.log_level = c->log.max_level;
	params.callbacks.size = VGN_CALLBACKS_SIZE_V1;
	params.callbacks.user_data = c;
	params.callbacks.log = lib_log_cb;
	params.callbacks.fence_retired = vtest_fence_retired_cb;
	params.callbacks.context_fatal = vtest_context_fatal_cb;
	params.gl_platform = VGN_GL_PLATFORM_AUTO;
	ret = vgn_renderer_create(&params, &c->r);
	if (ret) {
		c->r = NULL;
		return ret;
	}
	c->backends_all = !backends;
	return vtest_fence_init(c);
}

int vtest_conn_create_renderer(struct vtest_conn *c, uint32_t backends)
{
	int ret = -ENODEV;

	if (backends) {
		/* CPU2D is built in; a backend this build lacks (-ENODEV) falls back to all. */
		ret = create_renderer_with(c, backends | VGN_BACKEND_CPU2D);
		if (ret == -ENODEV)
			vtest_info(&c->log, "backends 0x%x not available: starting every backend",
			           backends);
	}
	if (ret == -ENODEV)
		ret = create_renderer_with(c, 0);
	if (ret)
		vtest_err(&c->log, "cannot create a renderer: %s", vgn_strerror(ret));
	return ret;
}

static void conn_loop(struct vtest_conn *c)
{
	for (;;) {
		struct pollfd pfd[2] = {
		    {.fd = c->fd, .events = POLLIN},
		    {.fd = c->poll_fd, .events = POLLIN},
		};
		nfds_t nfds = c->poll_fd >= 0 ? 2 : 1;
		int n, ret;

		n = poll(pfd, nfds, vtest_sync_next_timeout(c));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			vtest_err(&c->log, "poll: %s", strerror(errno));
			return;
		}
		if (nfds == 2 && pfd[1].revents) {
			if (vtest_fence_poll(c))
				return;
		}
		vtest_sync_expire(c);
		if (c->failed)
			return;
		if (pfd[0].revents) {
			ret = handle_one(c);
			if (ret > 0) {
				vtest_info(&c->log, "client disconnected");
				return;
			}
			if (ret < 0 || c->failed) {
				vtest_info(&c->log, "closing the connection");
				return;
			}
		}
	}
}

void vtest_conn_serve(int fd, unsigned conn_id, enum vgn_log_level level)
{
	struct vtest_conn_opts opts = {.level = level};

	vtest_conn_serve_opts(fd, conn_id, &opts);
}

void vtest_conn_serve_opts(int fd, unsigned conn_id, const struct vtest_conn_opts *opts)
{
	struct vtest_conn *c = calloc(1, sizeof(*c));
	struct vtest_logger lg = {.max_level = opts->level, .conn_id = conn_id};

	if (!c) {
		vtest_err(&lg, "out of memory for a connection");
		return;
	}
	c->log = lg;
	c->fd = fd;
	c->poll_fd = -1;
	c->max_client_bytes = opts->max_client_bytes;
	c->worker = opts->worker;
	c->worker_timeout_ms = opts->worker_timeout_ms;
	c->worker_path = opts->worker_path;
	vtest_idmap_init(&c->resources, VTEST_MAX_RESOURCES);
	vtest_idmap_init(&c->syncs, VTEST_MAX_SYNCS);
	vtest_info(&c->log, "client connected");
	vtest_capture_open(&c->capture, opts->capture_dir, conn_id,
	                   opts->capture_max ? opts->capture_max : VTEST_CAPTURE_DEFAULT_MAX,
	                   &c->log);

	conn_loop(c);

	/* Waits and syncs first (closes eventfds), then the renderer, and only then
	 * the memory it was given (mappings must outlive the library's use). */
	vtest_sync_fini(c);
	vtest_res_fini(c);
	vtest_capture_close(&c->capture);
	free(c->name);
	free(c->buf);
	free(c);
}
