#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes tests/hostile/corpus/: crafted vtest client streams, one per file, each
aimed at one bug class of docs/security.md §3, and MANIFEST (one line per file:
name, bug class, the substring(s) the server's log for that connection must
contain, '|' between alternatives). Every stream must end with the server closing
the connection with that logged reason. The files are also fuzz_vtest inputs.

  tests/hostile/gen_corpus.py            # rewrite the corpus
"""
import os
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vtc import *  # noqa: E402,F401,F403

O = opening()
C = create2(0, 64, 32)  # resource 1: 64x32 B8G8R8A8, 8 KiB shm
SZ = 64 * 32 * 4

# name: (class, expected log substring(s), stream)
CASES = {
    # 3.1 transfer boxes, strides and offsets
    "box-outside-texture": ("transfer-box", "transfer to res 1 failed|invalid argument",
                            O + C + xfer2(XFER_PUT2, 1, 60, 0, 8, 1, 32, 0, length=18)),
    "box-past-last-level": ("transfer-box", "invalid argument",
                            O + C + xfer2(XFER_GET2, 1, 0, 0, 1, 1, 4, 0, level=5)),
    "offset-past-shm": ("transfer-box", "outside|invalid argument",
                        O + C + xfer2(XFER_GET2, 1, 0, 0, 64, 32, SZ, SZ - 4)),
    # v0 inline GET: stride 4 bytes for 64-texel rows
    "inline-stride-too-small": ("transfer-box", "invalid argument",
                                O + C + msg(XFER_GET, [1, 0, 4, 0, 0, 0, 0, 64, 2, 1, 16])),
    # 3.2 integer wraparound
    "create-huge-dims": ("wraparound", "invalid argument|resource create",
                         O + create2(0, 0xFFFFFFFF, 0xFFFFFFFF, size=0)),
    # a buffer of 2^32 - 1 R8 texels: over the per-resource cap, size math in 64 bits
    "buffer-size-huge": ("wraparound", "cannot create resource",
                         O + create2(0, 0xFFFFFFFF, 1, fmt=64, target=0, size=0)),
    "box-wraps": ("wraparound", "invalid argument",
                  O + C + xfer2(XFER_GET2, 1, 1, 1, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)),
    "offset-wraps": ("wraparound", "outside|invalid argument",
                     O + C + xfer2(XFER_PUT2, 1, 0, 0, 64, 32, 0xFFFFFFFF, 0xFFFFFFFF, length=10)),
    "submit2-batch-count-wraps": ("wraparound", "impossible length|batch",
                                  O + msg(SUBMIT2, [0x40000000], length=1 + 0x40000000 * 6)),
    # 3.3 use after free
    "transfer-after-unref": ("use-after-free", "unknown resource",
                             O + C + msg(RES_UNREF, [1]) + xfer2(XFER_GET2, 1, 0, 0, 1, 1, 4, 0)),
    "double-unref": ("use-after-free", "unknown resource|unref",
                     O + C + msg(RES_UNREF, [1]) + msg(RES_UNREF, [1])),
    "sync-after-unref": ("use-after-free", "unknown sync 1",
                         O + msg(SYNC_CREATE, [0, 0]) + msg(SYNC_UNREF, [1]) + msg(SYNC_READ, [1])),
    # out-of-range handles and counts
    "handle-max": ("handles", "unknown resource",
                   O + xfer2(XFER_GET2, 0xFFFFFFFF, 0, 0, 1, 1, 4, 0)),
    "client-handle-in-v3": ("handles", "needs handle 0", O + create2(7, 64, 32)),
    "sync-wait-count-huge": ("handles", "impossible length", O + msg(SYNC_WAIT, [0, 0, 0xFFFF], length=0xFFFFFFFF)),
    "unknown-command": ("handles", "unknown command id", O + msg(0x1000, [])),
    "capset-max": ("handles", "cannot create a context with capset 4294967295",
                   O + msg(CONTEXT_INIT, [0xFFFFFFFF])),
    "first-not-create-renderer": ("handles", "first command must be CREATE_RENDERER",
                                  msg(PING) + O),
    # 3.4 decoder input (virgl stream: a command longer than the buffer)
    "virgl-cmd-past-end": ("decoder", "truncated: len 65535|no running backend serves capset 2",
                           O + msg(SUBMIT, [(0xFFFF << 16) | 1, 0, 0])),
    "submit2-batch-past-end": ("decoder", "past the 7 dwords",
                               O + msg(SUBMIT2, [1, 0, 7, 0xFFFFFFF0, 0, 0, 0])),
    # Venus: an unknown command id in a Venus context's stream
    "venus-unknown-command": ("decoder", "fatal|no running backend serves capset 4",
                              O + msg(CONTEXT_INIT, [4]) +
                              msg(SUBMIT2, [1, 0, 7, 2, 0, 0, 0, 0xFFFFFFFF, 0])),
    # 3.5 unbounded allocations
    "name-huge": ("allocation", "impossible length", struct.pack("<2I", 0xFFFFFFFF, CREATE_RENDERER)),
    "submit-1gib": ("allocation", "impossible length", O + msg(SUBMIT, [], length=1 << 28)),
    "inline-put-huge": ("allocation", "impossible length|exceeds|does not match",
                        O + C + msg(XFER_PUT, [1, 0, 0, 0, 0, 0, 0, 64, 32, 1, 0xFFFFFFF0], length=0xFFFFFFFF)),
    "budget-many-textures": ("allocation", "budget",
                             O + b"".join(create2(0, 1024, 1024) for _ in range(40))),
    "budget-one-1gib-texture": ("allocation", "budget", O + create2(0, 16384, 16384)),
    # truncated and mis-sized messages
    "header-cut-short": ("truncated", "header cut short", O + b"\x0b\x00"),
    "payload-cut-short": ("truncated", "payload cut short", O + create2(0, 64, 32)[:28]),
    "inline-data-cut-short": ("truncated", "cut short|does not match",
                              O + C + msg(XFER_PUT, [1, 0, 0, 0, 0, 0, 0, 4, 1, 1, 16], length=15) + b"\1" * 8),
    "create2-wrong-length": ("truncated", "length 12, expected 11",
                             O + msg(RES_CREATE2, [0] * 12)),
    "busy-wait-wrong-length": ("truncated", "length 1, expected 2", O + msg(BUSY_WAIT, [0])),
}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        os.unlink(os.path.join(out, f))
    with open(os.path.join(out, "MANIFEST"), "w") as m:
        m.write("# file\tclass\texpected log substring(s), '|' between alternatives\n")
        for name, (cls, expect, data) in CASES.items():
            with open(os.path.join(out, name + ".bin"), "wb") as f:
                f.write(data)
            m.write(f"{name}.bin\t{cls}\t{expect}\n")
    print(f"wrote {len(CASES)} streams to {out}")


if __name__ == "__main__":
    main()
