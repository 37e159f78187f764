# SPDX-License-Identifier: MIT
"""Minimal vtest client and server fixture for the script tests (hostile and
capture/replay). Wire numbers are written out from the spec (shared/spec/vtest.md),
not taken from the server's headers."""
import array
import mmap
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time

# Command ids.
GET_CAPS, RES_CREATE, RES_UNREF, XFER_GET, XFER_PUT, SUBMIT = 1, 2, 3, 4, 5, 6
BUSY_WAIT, CREATE_RENDERER, GET_CAPS2, PING, PROTO_VERSION = 7, 8, 9, 10, 11
RES_CREATE2, XFER_GET2, XFER_PUT2, GET_PARAM, GET_CAPSET = 12, 13, 14, 15, 16
CONTEXT_INIT, BLOB, SYNC_CREATE, SYNC_UNREF, SYNC_READ = 17, 18, 19, 20, 21
SYNC_WRITE, SYNC_WAIT, SUBMIT2 = 22, 23, 24

FMT_B8G8R8A8 = 1
BIND_RT_SAMPLER = 0xA


def msg(cmd, payload=(), length=None):
    """{len, id} + payload dwords; len defaults to the payload's dword count."""
    words = list(payload)
    n = len(words) if length is None else length
    return struct.pack("<2I", n & 0xFFFFFFFF, cmd) + struct.pack(f"<{len(words)}I", *[w & 0xFFFFFFFF for w in words])


def create_renderer(name=b"vtc"):
    name += b"\0"
    return struct.pack("<2I", len(name), CREATE_RENDERER) + name


def opening(version=3, name=b"vtc"):
    """Mesa's opening: CREATE_RENDERER, PING + BUSY_WAIT(0,0), PROTOCOL_VERSION."""
    return create_renderer(name) + msg(PING) + msg(BUSY_WAIT, [0, 0]) + msg(PROTO_VERSION, [version])


def create2(handle, w, h, fmt=FMT_B8G8R8A8, bind=BIND_RT_SAMPLER, target=2, size=None):
    size = w * h * 4 if size is None else size
    return msg(RES_CREATE2, [handle, target, fmt, bind, w, h, 1, 1, 0, 0, size])


def xfer2(cmd, res, x, y, w, h, size, offset, level=0, length=None):
    d = [res, level, x, y, 0, w, h, 1, size, offset]
    return msg(cmd, d, length=length)


class Server:
    """virgl-next-vtest on a socket in a fresh temporary directory."""

    def __init__(self, binary, extra=(), debug=True):
        self.dir = tempfile.mkdtemp(prefix="vgn-vtc-")
        self.sock = os.path.join(self.dir, "sock")
        self.log_path = os.path.join(self.dir, "server.log")
        args = [binary, "--socket", self.sock] + (["--debug"] if debug else []) + list(extra)
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stderr=self.log, stdout=subprocess.DEVNULL)
        deadline = time.time() + 30
        while not os.path.exists(self.sock):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("server did not start: " + self.text())
            time.sleep(0.02)

    def text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def lines(self, conn_id):
        tag = f"virgl-next-vtest[{conn_id}] "
        return [l for l in self.text().splitlines() if l.startswith(tag)]

    def vm_kib(self, field):
        """VmRSS, VmHWM, ... of the server in KiB."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        """SIGTERM; the server must exit 0 (under ASan: no leaks)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.log.close()
        return rc

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class Client:
    def __init__(self, path, timeout=20.0):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(path)

    def send(self, data):
        self.s.sendall(data)

    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.s.recv(n - len(buf))
            if not chunk:
                raise EOFError(f"connection closed after {len(buf)} of {n} bytes")
            buf += chunk
        return buf

    def u32s(self, n):
        return struct.unpack(f"<{n}I", self.recv_exact(4 * n))

    def expect_hdr(self, length, cmd):
        got = self.u32s(2)
        if got != (length, cmd):
            raise AssertionError(f"header {got}, expected {(length, cmd)}")

    def recv_fd(self):
        fds = array.array("i")
        data, anc, _, _ = self.s.recvmsg(1, socket.CMSG_SPACE(4 * 4))
        for level, typ, cdata in anc:
            if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
                fds.frombytes(cdata[: len(cdata) - len(cdata) % 4])
        if not fds:
            raise AssertionError("no fd received")
        for extra in fds[1:]:
            os.close(extra)
        return fds[0]

    def handshake(self, version=3, name=b"vtc"):
        self.send(opening(version, name))
        self.expect_hdr(0, PING)
        self.expect_hdr(1, BUSY_WAIT)
        self.u32s(1)
        self.expect_hdr(1, PROTO_VERSION)
        return self.u32s(1)[0]

    def busy_wait(self, handle=0, flags=1):
        self.send(msg(BUSY_WAIT, [handle, flags]))
        self.expect_hdr(1, BUSY_WAIT)
        return self.u32s(1)[0]

    def create_2d(self, w, h):
        """Protocol 3 RESOURCE_CREATE2 (server-assigned id): (id, mmap)."""
        self.send(create2(0, w, h))
        self.expect_hdr(1, RES_CREATE2)
        rid = self.u32s(1)[0]
        fd = self.recv_fd()
        m = mmap.mmap(fd, w * h * 4)
        os.close(fd)
        return rid, m

    def get_capset(self, capset_id):
        self.send(msg(GET_CAPSET, [capset_id, 0]))
        length, cmd = self.u32s(2)
        data = self.u32s(length)
        return data[0], data[1:]  # valid, capset dwords

    def wait_closed(self, timeout=20.0):
        """True once the server closed the connection (data before it is dropped)."""
        self.s.settimeout(timeout)
        try:
            while True:
                data, anc, _, _ = self.s.recvmsg(65536, socket.CMSG_SPACE(4 * 8))
                for level, typ, cdata in anc:
                    if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
                        for fd in array.array("i", cdata[: len(cdata) - len(cdata) % 4]):
                            os.close(fd)
                if not data:
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.s.close()
