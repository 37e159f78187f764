#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vtest-capture-replay: virgl-next-vtest --capture DIR records each client's raw
stream; virgl-next-vtest-replay plays a recording back and must log exactly the
server's lines for that connection (same ids, same errors, same order).

  capture_replay.py SERVER REPLAY
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hostile"))
import vtc  # noqa: E402

failures = 0
passes = 0


def check(cond, what):
    global failures, passes
    print(("ok: " if cond else "FAIL: ") + what)
    if cond:
        passes += 1
    else:
        failures += 1


def main():
    server_bin, replay_bin = sys.argv[1], sys.argv[2]
    cap = tempfile.mkdtemp(prefix="vgn-capture-")
    srv = vtc.Server(server_bin, ["--capture", cap, "--capture-max", "1M"])

    # Client 1: a 2D round trip, then a transfer on an unknown resource (the
    # server closes the connection with an error).
    c = vtc.Client(srv.sock)
    check(c.handshake() == 3, "client 1: protocol 3 negotiated")
    rid, m = c.create_2d(16, 8)
    pat = bytes((i * 7 + 3) & 0xFF for i in range(16 * 8 * 4))
    m[:] = pat
    c.send(vtc.xfer2(vtc.XFER_PUT2, rid, 0, 0, 16, 8, len(pat), 0, length=10 + 16 * 8))
    check(c.busy_wait(rid) == 0, "client 1: put done")
    m[:] = bytes(len(pat))
    c.send(vtc.xfer2(vtc.XFER_GET2, rid, 0, 0, 16, 8, len(pat), 0))
    c.busy_wait(rid)
    check(m[:] == pat, "client 1: round trip exact")
    c.send(vtc.xfer2(vtc.XFER_GET2, 999, 0, 0, 1, 1, 4, 0))
    check(c.wait_closed(), "client 1: closed after the bad transfer")
    c.close()
    m.close()

    # Client 2: a message cut short (header and half a payload, then EOF).
    c = vtc.Client(srv.sock)
    c.send(vtc.opening() + struct.pack("<2I", 11, vtc.RES_CREATE2) + b"\0" * 20)
    c.s.shutdown(1)
    check(c.wait_closed(), "client 2: closed after the cut-short message")
    c.close()

    # Client 3: more than --capture-max (1 MiB) of pings: the file stops at 1 MiB.
    c = vtc.Client(srv.sock)
    c.handshake()
    pings = vtc.msg(vtc.PING) * 4096  # 32 KiB per send, answers read in step
    for _ in range(40):
        c.send(pings)
        c.recv_exact(len(pings))  # PING answers echo the 8-byte header
    c.close()

    rc = srv.stop()
    check(rc == 0, f"server exit status 0 (got {rc})")

    for conn in (1, 2):
        path = os.path.join(cap, f"client-{conn}.bin")
        check(os.path.isfile(path) and os.path.getsize(path) > 0, f"capture of client {conn} exists")
        r = subprocess.run([replay_bin, "--debug", path], stderr=subprocess.PIPE, timeout=120)
        check(r.returncode == 0, f"replay of client {conn} exits 0")
        live = [l for l in srv.lines(conn) if "capturing the client's stream" not in l]
        replayed = r.stderr.decode(errors="replace").splitlines()
        check(len(live) > 3, f"client {conn}: {len(live)} server log lines")
        check(live == replayed, f"client {conn}: replay logs the same {len(live)} lines")
        if live != replayed:
            for a, b in zip(live + [""] * len(replayed), replayed + [""] * len(live)):
                if a != b:
                    print(f"  server: {a}\n  replay: {b}")
                    break
    check(any("transfer on unknown resource" in l or "unknown resource" in l for l in srv.lines(1)),
          "client 1's log names the bad resource")
    check(any("cut short" in l for l in srv.lines(2)), "client 2's log says the payload was cut short")
    size3 = os.path.getsize(os.path.join(cap, "client-3.bin"))
    check(size3 == 1 << 20, f"client 3's capture is bounded at 1 MiB (got {size3})")
    check(any("size limit reached" in l for l in srv.lines(3)), "client 3: the limit is logged")
    if not failures:
        srv.cleanup()
        shutil.rmtree(cap, ignore_errors=True)
    print(f"{passes} passed, {failures} failed")
    return failures


if __name__ == "__main__":
    f = main()
    sys.exit(1 if f else 0)
