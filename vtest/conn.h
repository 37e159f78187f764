/* SPDX-License-Identifier: MIT */
/*
 * One client connection: its socket, its own vgn_renderer, its resources, syncs
 * and fence timelines. Everything here is touched only by the connection's own
 * thread (the renderer runs in poll mode, so even the library's callbacks arrive
 * on that thread, inside vgn_renderer_poll()).
 */
#ifndef VTEST_CONN_H
#define VTEST_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "idmap.h"
#include "log.h"
#include "shm.h"
#include "virgl-next/virgl_next.h"

/* The only context of a connection has this id inside its private renderer. */
#define VTEST_CTX_ID 1u

/* Fence timelines: index 0 = the renderer's device timeline (ctx 0), index
 * 1 + ring = ring `ring` of the connection's context. */
#define VTEST_NUM_TIMELINES (1u + VGN_MAX_RINGS)

struct vtest_resource {
	uint32_t id;
	bool attached;        /* attached to the connection's context */
	struct vtest_shm shm; /* backing shared with the client; ptr NULL if none */
	/* Set when vgn_resource_unref failed: the library may still use the shm, so it
	 * is kept mapped until the renderer is destroyed. */
	struct vtest_resource *zombie_next;
};

struct vtest_sync {
	uint32_t id;   /* 0 once the client dropped it */
	uint32_t refs; /* table + waits + pending signals */
	uint64_t value;
};

struct vtest_sync_ref {
	struct vtest_sync *sync;
	uint64_t value;
};

/* A SYNC_WAIT still being tracked. */
struct vtest_wait {
	struct vtest_wait *next;
	int efd; /* our copy of the eventfd the client got */
	bool any;
	int64_t deadline; /* CLOCK_MONOTONIC ms; -1 = never */
	uint32_t count;
	struct vtest_sync_ref refs[];
};

/* SUBMIT_CMD2 syncs to set once a fence retires. */
struct vtest_signal {
	struct vtest_signal *next;
	uint32_t timeline;
	uint64_t fence_id;
	uint32_t count;
	struct vtest_sync_ref refs[];
};

/* Server-wide settings every connection gets (main.c options). */
struct vtest_conn_opts {
	enum vgn_log_level level;
	const char *capture_dir;   /* --capture: NULL = off */
	uint64_t capture_max;      /* bytes per client file */
	uint64_t max_client_bytes; /* renderer budget per client, 0 = library default */
	/* --worker: Venus contexts run in worker processes (docs/worker.md). */
	bool worker;
	uint32_t worker_timeout_ms; /* 0 = library default */
	const char *worker_path;    /* NULL = the installed worker */
};

struct vtest_conn {
	struct vtest_logger log;
	int fd;
	bool failed; /* set by callbacks: close the client at the next chance */
	struct vtest_capture capture;
	uint64_t max_client_bytes;
	bool worker; /* worker-process mode settings (struct vtest_conn_opts) */
	uint32_t worker_timeout_ms;
	const char *worker_path;

	/* Handshake. */
	bool have_renderer; /* CREATE_RENDERER seen */
	uint32_t version;   /* negotiated protocol version, 0 before PROTOCOL_VERSION */
	char *name;         /* sanitised copy of the client's name */

	/* The connection's private renderer instance (see conn.c for why). */
	vgn_renderer *r;
	uint32_t backends; /* VGN_BACKEND_* running in r */
	bool backends_all; /* r was asked for every backend the build has */
	int poll_fd;
	uint32_t max_rings;
	uint32_t ctx_id;     /* 0 = no context yet, else VTEST_CTX_ID */
	uint32_t ctx_capset; /* capset of that context */

	struct vtest_idmap resources; /* id -> struct vtest_resource */
	struct vtest_resource *zombies;
	struct vtest_idmap syncs; /* id -> struct vtest_sync */

	/* Fences: one increasing counter for all timelines (so ids on each timeline
	 * increase), and per timeline the last id submitted and retired. */
	uint64_t last_fence_id;
	uint64_t submitted[VTEST_NUM_TIMELINES];
	uint64_t retired[VTEST_NUM_TIMELINES];

	struct vtest_wait *waits; /* unordered */
	uint32_t num_waits;
	struct vtest_signal *signals_head, *signals_tail; /* submission order */
	uint32_t num_signals;
	uint32_t num_signal_refs;

	/* Request payload buffer, grown on demand up to the per-command caps. */
	uint32_t *buf;
	size_t buf_size;
};

/* Runs a connection to the end: returns when the client leaves, breaks the
 * protocol, or the socket is shut down by the server. Does not close fd. */
void vtest_conn_serve(int fd, unsigned conn_id, enum vgn_log_level level);
/* The same with every server option. */
void vtest_conn_serve_opts(int fd, unsigned conn_id, const struct vtest_conn_opts *opts);

/* ---- conn.c helpers for the command handlers ---- */
/* Creates the connection's private renderer (poll mode) with these VGN_BACKEND_* (0: all). */
int vtest_conn_create_renderer(struct vtest_conn *c, uint32_t backends);
/* Writes {len, id} + n dwords; logs and returns -errno on failure. */
int vtest_conn_reply(struct vtest_conn *c, uint32_t len, uint32_t id, const uint32_t *payload,
                     size_t n);
/* Reads exactly n bytes from the client (recorded when capturing): 0, or -EPIPE
 * at end of stream, -errno otherwise. Every read of the socket goes through it. */
int vtest_conn_read(struct vtest_conn *c, void *buf, size_t n);
/* Sends an fd after the reply that announced it. */
int vtest_conn_send_fd(struct vtest_conn *c, int fd);
/* Creates the connection's context with capset_id if none exists yet (and attaches
 * every existing resource). With a context of another capset: -EINVAL. */
int vtest_conn_ensure_context(struct vtest_conn *c, uint32_t capset_id);
/* Any context will do: the existing one, else a lazily created GL (VIRGL2) one. */
int vtest_conn_ensure_any_context(struct vtest_conn *c);

/* ---- fence.c ---- */
int vtest_fence_init(struct vtest_conn *c);
/* Queues a fence after the work just submitted on (ctx_id, ring). */
int vtest_fence_emit(struct vtest_conn *c, uint32_t ctx_id, uint32_t ring, uint64_t *fence_id);
/* Delivers pending library events (non-blocking). */
int vtest_fence_poll(struct vtest_conn *c);
/* True while some fence of this connection has not retired. */
bool vtest_fence_busy(const struct vtest_conn *c);
/* Blocks until every fence has retired (poll-driven, no spinning). 0, or -errno
 * when the client went away, the server shuts down, or the renderer failed. */
int vtest_fence_wait_idle(struct vtest_conn *c);
/* Renderer callbacks (installed by conn.c). */
void vtest_fence_retired_cb(void *data, uint32_t ctx_id, uint32_t ring_idx, uint64_t fence_id);
void vtest_context_fatal_cb(void *data, uint32_t ctx_id, int error, const char *reason);

/* ---- resources.c ---- */
struct vtest_resource *vtest_res_get(struct vtest_conn *c, uint32_t id);
/* Picks the id for a new resource: the smallest free one (server-assigned) when
 * client_id is 0, else client_id after checking it is free. 0 or -errno. */
int vtest_res_pick_id(struct vtest_conn *c, uint32_t client_id, uint32_t *id);
/* Adds a resource that vgn already knows under id, with optional shm backing,
 * attaching it to the context if any. Takes ownership of both in every case: on
 * failure the vgn resource is unref'd and the shm destroyed. */
int vtest_res_add(struct vtest_conn *c, uint32_t id, struct vtest_shm *shm);
int vtest_res_destroy(struct vtest_conn *c, uint32_t id);
int vtest_res_attach_all(struct vtest_conn *c);
/* Destroys the renderer first, then frees every resource's memory. */
void vtest_res_fini(struct vtest_conn *c);

/* ---- sync.c ---- */
void vtest_sync_fini(struct vtest_conn *c);
/* Looks up a live sync by client id. */
struct vtest_sync *vtest_sync_get(struct vtest_conn *c, uint32_t id);
void vtest_sync_ref(struct vtest_sync *s);
void vtest_sync_unref(struct vtest_sync *s);
/* Sets a sync's value and completes the waits that became satisfied. */
void vtest_sync_set(struct vtest_conn *c, struct vtest_sync *s, uint64_t value);
/* True when the refs' syncs reached their values (all of them, or any if any). */
bool vtest_sync_refs_satisfied(const struct vtest_sync_ref *refs, uint32_t count, bool any);
/* Tracks a SYNC_WAIT: efd is written once the condition holds (ownership of efd
 * moves to the wait on success; refs are taken). */
int vtest_sync_add_wait(struct vtest_conn *c, int efd, bool any, uint32_t timeout_ms,
                        const struct vtest_sync_ref *refs, uint32_t count);
/* Queues syncs to set when fence_id retires on timeline (refs are taken). */
int vtest_sync_add_signal(struct vtest_conn *c, uint32_t timeline, uint64_t fence_id,
                          const struct vtest_sync_ref *refs, uint32_t count);
/* Applies the queued signals of timeline up to retired. */
void vtest_sync_timeline_retired(struct vtest_conn *c, uint32_t timeline, uint64_t retired);
/* Milliseconds until the next wait deadline, -1 if none. */
int vtest_sync_next_timeout(const struct vtest_conn *c);
/* Stops tracking waits whose deadline passed. */
void vtest_sync_expire(struct vtest_conn *c);
int64_t vtest_now_ms(void);

/* ---- cmds_*.c: handlers, called by the dispatch table in conn.c ---- */
typedef int (*vtest_handler)(struct vtest_conn *c, uint32_t len, const uint32_t *p);

int vtest_cmd_create_renderer(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_ping(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_protocol_version(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_busy_wait(struct vtest_conn *c, uint32_t len, const uint32_t *p);

int vtest_cmd_get_caps(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_get_caps2(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_resource_create(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_resource_create2(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_resource_unref(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_submit_cmd(struct vtest_conn *c, uint32_t len, const uint32_t *p);

int vtest_cmd_transfer_get(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_transfer_put(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_transfer_get2(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_transfer_put2(struct vtest_conn *c, uint32_t len, const uint32_t *p);

int vtest_cmd_get_param(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_get_capset(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_context_init(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_resource_create_blob(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_submit_cmd2(struct vtest_conn *c, uint32_t len, const uint32_t *p);

int vtest_cmd_sync_create(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_sync_unref(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_sync_read(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_sync_write(struct vtest_conn *c, uint32_t len, const uint32_t *p);
int vtest_cmd_sync_wait(struct vtest_conn *c, uint32_t len, const uint32_t *p);

/* Size validators for variable-size commands: given the header len, the number
 * of payload bytes to read before the handler runs, or -EINVAL. */
int vtest_size_create_renderer(uint32_t len, uint64_t *bytes);
int vtest_size_submit_cmd(uint32_t len, uint64_t *bytes);
int vtest_size_transfer_put(uint32_t len, uint64_t *bytes);
int vtest_size_transfer_put2(uint32_t len, uint64_t *bytes);
int vtest_size_sync_wait(uint32_t len, uint64_t *bytes);
int vtest_size_submit_cmd2(uint32_t len, uint64_t *bytes);

#endif /* VTEST_CONN_H */
