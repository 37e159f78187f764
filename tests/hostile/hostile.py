#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""hostile-clients: one virgl-next-vtest server, two clients at once.

* The good client does 2D round trips the whole time (fresh resources must read
  back as zeros, uploads must read back exactly), plus, when the server serves
  the VIRGL2 capset (GL backend), a virgl context that clears a surface and reads
  the clear colour back.
* The hostile client plays every stream of tests/hostile/corpus/ (MANIFEST: one
  per bug class of docs/security.md §3), each on a new connection. For each, the
  server must close that connection and log the expected reason for it.

Afterwards: every good result was exact, the server's peak memory grew by less
than a bound over its size with the good client alone (the per-client budget is
64 MiB), and it exits 0 on SIGTERM.

  hostile.py SERVER [CORPUS_DIR]
"""
import os
import random
import struct
import sys
import threading

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vtc  # noqa: E402

BUDGET = "64M"
# Peak RSS of the server over its RSS once the good client is running (GL and
# Vulkan started): one hostile renderer at a time plus bounded requests, far below
# what the corpus would cost unchecked (40 x 4 MiB textures, a 1 GiB texture, ...).
MAX_GROWTH_KIB = 512 * 1024

passes = failures = 0


def check(cond, what):
    global passes, failures
    print(("ok: " if cond else "FAIL: ") + what, flush=True)
    if cond:
        passes += 1
    else:
        failures += 1


# ---- virgl stream for the good client's GL check (virgl-protocol.md) ----
def vcmd(cmd, obj, payload):
    return struct.pack("<I", (len(payload) << 16) | (obj << 8) | cmd) + struct.pack(
        f"<{len(payload)}I", *payload)


def f32(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def virgl_clear(res_id, rgba):
    create_surface = vcmd(1, 8, [1, res_id, vtc.FMT_B8G8R8A8, 0, 0])  # CREATE_OBJECT SURFACE
    set_fb = vcmd(5, 0, [1, 0, 1])  # SET_FRAMEBUFFER_STATE: 1 cbuf, no zsbuf, surface 1
    clear = vcmd(7, 0, [4] + [f32(c) for c in rgba] + [0, 0, 0])  # CLEAR COLOR0
    unbind = vcmd(5, 0, [0, 0])  # no cbufs
    destroy = vcmd(3, 8, [1])  # DESTROY_OBJECT surface 1: the handle is reused next time
    return create_surface + set_fb + clear + unbind + destroy


class Good(threading.Thread):
    def __init__(self, sock_path):
        super().__init__(daemon=True)
        self.path = sock_path
        self.stop = threading.Event()
        self.roundtrips = 0
        self.clears = 0
        self.errors = []
        self.gl = False
        self.ready = threading.Event()

    def run(self):
        try:
            self.body()
        except Exception as e:  # reported by the main thread
            self.errors.append(f"exception: {e!r}")
        self.ready.set()

    def body(self):
        c = vtc.Client(self.path)
        if c.handshake(name=b"good-client") != 3:
            self.errors.append("protocol 3 not negotiated")
            return
        valid, _ = c.get_capset(2)
        self.gl = bool(valid)
        self.ready.set()
        rng = random.Random(1234)
        w, h = 64, 32
        size = w * h * 4
        while not self.stop.is_set():
            rid, m = c.create_2d(w, h)
            # Uninitialised memory: a fresh resource reads back as zeros.
            m[:] = b"\xaa" * size
            c.send(vtc.xfer2(vtc.XFER_GET2, rid, 0, 0, w, h, size, 0))
            c.busy_wait(rid)
            if m[:] != bytes(size):
                self.errors.append(f"resource {rid}: fresh contents not zero")
            for _ in range(4):
                pat = rng.randbytes(size)
                m[:] = pat
                c.send(vtc.xfer2(vtc.XFER_PUT2, rid, 0, 0, w, h, size, 0, length=10 + w * h))
                c.busy_wait(rid)
                m[:] = bytes(size)
                c.send(vtc.xfer2(vtc.XFER_GET2, rid, 0, 0, w, h, size, 0))
                c.busy_wait(rid)
                if m[:] != pat:
                    self.errors.append(f"resource {rid}: round trip {self.roundtrips} differs")
                self.roundtrips += 1
            if self.gl:
                self.gl_clear(c, rid, m, rng)
            m.close()
            c.send(vtc.msg(vtc.RES_UNREF, [rid]))
        c.busy_wait(0)
        c.close()

    def gl_clear(self, c, rid, m, rng):
        rgba = [rng.choice([0.0, 0.25, 0.5, 1.0]) for _ in range(4)]
        cmd = virgl_clear(rid, rgba)
        c.send(vtc.msg(vtc.SUBMIT, struct.unpack(f"<{len(cmd) // 4}I", cmd)))
        c.send(vtc.xfer2(vtc.XFER_GET2, rid, 0, 0, 1, 1, 4, 0))
        c.busy_wait(rid)
        want = bytes(round(rgba[i] * 255) for i in (2, 1, 0, 3))  # B8G8R8A8
        if m[:4] != want:
            self.errors.append(f"GL clear to {rgba}: read {m[:4].hex()}, want {want.hex()}")
        self.clears += 1


def play(sock_path, data):
    """Sends a hostile stream; True if the server closed the connection."""
    c = vtc.Client(sock_path)
    t = threading.Thread(target=lambda: sendall_quiet(c, data), daemon=True)
    t.start()
    closed = c.wait_closed(30)
    t.join(30)
    c.close()
    return closed


def sendall_quiet(c, data):
    try:
        c.s.sendall(data)
        c.s.shutdown(1)
    except OSError:
        pass  # the server hung up first: expected for many streams


def main():
    server_bin = sys.argv[1]
    corpus = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus")
    cases = []
    with open(os.path.join(corpus, "MANIFEST")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, cls, expect = line.rstrip("\n").split("\t")
            cases.append((name, cls, expect.split("|")))

    srv = vtc.Server(server_bin, ["--max-client-bytes", BUDGET])
    good = Good(srv.sock)
    good.start()
    good.ready.wait(30)
    check(not good.errors, "good client connected: " + "; ".join(good.errors))
    print(f"GL backend (VIRGL2 capset): {'yes' if good.gl else 'no'}")
    while good.roundtrips < 8 and good.is_alive():
        good.join(0.05)
    base = srv.vm_kib("VmRSS")

    results = []
    for i, (name, cls, expect) in enumerate(cases):
        with open(os.path.join(corpus, name), "rb") as f:
            data = f.read()
        results.append((i + 2, name, cls, expect, play(srv.sock, data)))
    # Keep the good client going a little after the last hostile stream.
    before = good.roundtrips
    while good.roundtrips < before + 8 and good.is_alive():
        good.join(0.1)
    good.stop.set()
    good.join(60)
    hwm = srv.vm_kib("VmHWM")
    rc = srv.stop()

    for conn, name, cls, expect, closed in results:
        lines = srv.lines(conn)
        errs = [l for l in lines if " error: " in l or " warn: " in l]
        hits = [l for l in lines if any(e in l for e in expect)]
        check(closed and hits and errs,
              f"{cls}/{name} (conn {conn}): closed={closed}: " +
              (hits[0].split(": ", 1)[-1][:110] if hits else f"reason not logged; log: {errs[-3:]}"))
    check(not good.errors and not good.is_alive(),
          f"good client: {good.roundtrips} exact round trips, {good.clears} GL clears, "
          f"errors: {good.errors[:3]}")
    check(good.roundtrips >= 16, "good client made progress during the hostile run")
    check(hwm - base < MAX_GROWTH_KIB,
          f"server peak RSS {hwm // 1024} MiB, {(hwm - base) // 1024} MiB over its "
          f"{base // 1024} MiB with the good client alone (bound {MAX_GROWTH_KIB // 1024} MiB)")
    check(rc == 0, f"server exit status 0 after SIGTERM (got {rc})")
    if not failures:
        srv.cleanup()
    else:
        print(f"server log kept: {srv.log_path}")
    print(f"{passes} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
