#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed corpora of the fuzz harnesses (fuzz/corpus/<harness>/).

Seeds are shaped like real traffic: the vtest sessions follow the command
sequences Mesa 25.0.7's virpipe and Venus clients send (shared/spec/vtest.md
section 10), the virgl streams the command mix of a first frame, the API
programs what a VMM does for 2D scanout, blobs and contexts. The Venus seeds
per command come from fuzz/gen_venus_seeds (C, the generated driver-side
encoders); this script writes only a few golden vectors from the spec.

Usage: fuzz/gen_seeds.py [OUTDIR]   (default: the corpus/ next to this script)
"""
import os
import struct
import sys

# ---- vtest -------------------------------------------------------------------

CREATE_RENDERER, GET_CAPS, RESOURCE_CREATE, RESOURCE_UNREF = 8, 1, 2, 3
TRANSFER_GET, TRANSFER_PUT, SUBMIT_CMD, BUSY_WAIT = 4, 5, 6, 7
GET_CAPS2, PING, PROTOCOL_VERSION, RESOURCE_CREATE2 = 9, 10, 11, 12
TRANSFER_GET2, TRANSFER_PUT2, GET_PARAM, GET_CAPSET = 13, 14, 15, 16
CONTEXT_INIT, CREATE_BLOB, SYNC_CREATE, SYNC_UNREF = 17, 18, 19, 20
SYNC_READ, SYNC_WRITE, SYNC_WAIT, SUBMIT_CMD2 = 21, 22, 23, 24


def dw(*vals):
    return struct.pack('<%dI' % len(vals), *[v & 0xffffffff for v in vals])


def msg(cmd, *payload):
    return dw(len(payload), cmd) + dw(*payload)


def create_renderer(name):
    raw = name.encode() + b'\0'
    return dw(len(raw), CREATE_RENDERER) + raw


def handshake(name, version=3):
    return (create_renderer(name) + msg(PING) + msg(BUSY_WAIT, 0, 0) +
            msg(PROTOCOL_VERSION, version))


def submit(stream):
    n = len(stream) // 4
    return dw(n, SUBMIT_CMD) + stream


def transfer_put_inline(res, w, h, data, stride=0):
    hdr = [res, 0, stride, 0, 0, 0, 0, w, h, 1, len(data)]
    return dw(11 + (len(data) + 3) // 4, TRANSFER_PUT, *hdr) + data


def submit2(batches, cmds, syncs=b''):
    """batches: (flags, ring, ncmd_dwords, nsyncs); cmds/syncs laid out after the headers."""
    head = 1 + 6 * len(batches)
    body, off, soff = b'', head, head + len(cmds) // 4
    out = [len(batches)]
    for flags, ring, ncmd, nsync in batches:
        out += [flags, off, ncmd, soff, nsync, ring]
        off += ncmd
        soff += 3 * nsync
    payload = dw(*out) + cmds + syncs
    return dw(len(payload) // 4, SUBMIT_CMD2) + payload


# ---- virgl command stream ----------------------------------------------------


def vcmd(cmd, obj, *payload):
    return dw(cmd | obj << 8 | len(payload) << 16, *payload)


def tgsi(text):
    raw = text.encode() + b'\0'
    raw += b'\0' * (-len(raw) % 4)
    return raw


def shader(handle, stage, text):
    body = tgsi(text)
    n = len(body) // 4
    hdr = dw(handle, stage, len(text) + 1, 300, 0)
    return dw(1 | 4 << 8 | (5 + n) << 16) + hdr + body


VS = ("VERT\nDCL IN[0]\nDCL OUT[0], POSITION\n  0: MOV OUT[0], IN[0]\n  1: END\n")
FS = ("FRAG\nPROPERTY FS_COLOR0_WRITES_ALL_CBUFS 1\nDCL OUT[0], COLOR\n"
      "IMM[0] FLT32 { 1.0000, 0.0000, 0.0000, 1.0000}\n  0: MOV OUT[0], IMM[0]\n  1: END\n")


def first_frame(surface_res=3, vbuf_res=1):
    s = b''
    s += vcmd(43, 0, *([vbuf_res, 0, 0, 0, 0, 0, 48, 1, 1, 0, 0, 0, 0]))  # TRANSFER3D
    s += vcmd(44, 0, *([0] * 8))                                       # END_TRANSFERS
    s += vcmd(29, 0, 1) + vcmd(28, 0, 1)                               # CREATE/SET_SUB_CTX
    s += vcmd(46, 0, 1, 0)                                             # SET_TWEAKS
    s += shader(10, 0, VS) + shader(11, 1, FS)
    s += vcmd(52, 0, 10, 11, 0, 0, 0, 0)                               # LINK_SHADER
    s += vcmd(1, 8, 12, surface_res, 67, 0, 0)                         # CREATE SURFACE
    s += vcmd(5, 0, 1, 0, 12)                                          # SET_FRAMEBUFFER_STATE
    s += vcmd(38, 0, 64, 64)                                           # ..._NO_ATTACH
    s += vcmd(7, 0, 4, 0, 0, 0, 0x3f800000, 0, 0, 0)                   # CLEAR
    s += vcmd(1, 3, 13, 0, 0, 0, 0)                                    # CREATE DSA
    s += vcmd(2, 3, 13)                                                # BIND DSA
    s += vcmd(31, 0, 11, 1) + vcmd(31, 0, 10, 0)                       # BIND_SHADER
    s += vcmd(1, 1, 14, *([0] * 10))                                   # CREATE BLEND
    s += vcmd(1, 2, 15, *([0] * 8))                                    # CREATE RASTERIZER
    s += vcmd(4, 0, 0, 0x42000000, 0x42000000, 0x3f000000, 0x42000000, 0x42000000,
              0x3f000000)                                              # SET_VIEWPORT_STATE
    s += vcmd(1, 5, 16, 0, 0, 0, 31)                                   # CREATE VERTEX_ELEMENTS
    s += vcmd(2, 5, 16)
    s += vcmd(6, 0, 16, 0, vbuf_res)                                   # SET_VERTEX_BUFFERS
    s += vcmd(22, 0, *([0xffffffff] * 32))                             # SET_POLYGON_STIPPLE
    s += vcmd(8, 0, 0, 3, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0)                # DRAW_VBO
    s += vcmd(51, 0, 5, *dw_str('frame'))                              # EMIT_STRING_MARKER
    return s


def dw_str(text):
    raw = text.encode()
    raw += b'\0' * (-len(raw) % 4)
    return struct.unpack('<%dI' % (len(raw) // 4), raw)


def teardown_stream():
    s = vcmd(31, 0, 0, 0) + vcmd(31, 0, 0, 1)
    for h, obj in ((12, 8), (13, 3), (14, 1), (15, 2), (16, 5), (10, 4), (11, 4)):
        s += vcmd(3, obj, h)
    s += vcmd(28, 0, 0) + vcmd(30, 0, 1)                               # SET 0, DESTROY_SUB_CTX 1
    return s


# ---- Venus golden vectors (shared/spec/venus.md section 2.10) ------------------

ENUMERATE_VERSION = bytes.fromhex('89000000 01000000 0100000000000000'.replace(' ', ''))
CREATE_INSTANCE = bytes.fromhex((
    '00000000 01000000 0100000000000000 01000000'
    '0000000000000000 00000000 0100000000000000 00000000'
    '0000000000000000 0700000000000000 766b637562650000'
    '01000000 0000000000000000 00000000 00104000 00000000'
    '0000000000000000 00000000 0000000000000000'
    '0000000000000000 0100000000000000 0100000000000000').replace(' ', ''))


# ---- the seeds -----------------------------------------------------------------


def vtest_seeds():
    seeds = {}
    seeds['virpipe-startup'] = handshake('eglinfo') + msg(GET_CAPS2) + msg(GET_CAPS)
    frame = (handshake('glmark2') + msg(GET_CAPS2) + msg(GET_CAPS) +
             msg(RESOURCE_CREATE2, 0, 0, 64, 16, 48, 1, 1, 0, 0, 0, 48) +
             msg(RESOURCE_CREATE2, 0, 2, 67, 8, 4, 4, 1, 1, 0, 0, 64) +
             msg(BUSY_WAIT, 2, 0) +
             msg(RESOURCE_CREATE2, 0, 2, 67, 10, 64, 64, 1, 1, 0, 0, 16384) +
             msg(TRANSFER_PUT2, 1, 0, 0, 0, 0, 48, 1, 1, 48, 0) +
             msg(TRANSFER_PUT2, 2, 0, 0, 0, 0, 4, 4, 1, 64, 0) +
             submit(first_frame()) +
             msg(BUSY_WAIT, 3, 1) + msg(TRANSFER_GET2, 3, 0, 0, 0, 0, 64, 64, 1, 16384, 0) +
             msg(BUSY_WAIT, 3, 1) +
             submit(vcmd(44, 0, 0) + vcmd(28, 0, 1) + vcmd(7, 0, 4, 0, 0, 0, 0, 0, 0, 0)) +
             msg(RESOURCE_UNREF, 3) + submit(teardown_stream()) +
             msg(RESOURCE_UNREF, 2) + msg(RESOURCE_UNREF, 1))
    seeds['virpipe-frame'] = frame
    seeds['virpipe-fence-resource'] = (
        handshake('glxgears') + msg(GET_CAPS2) +
        msg(RESOURCE_CREATE2, 0, 2, 2, 138, 300, 300, 1, 1, 0, 0, 360000) +
        submit(vcmd(44, 0, 0) + vcmd(29, 0, 1) + vcmd(28, 0, 1)) +
        msg(RESOURCE_CREATE2, 0, 0, 64, 0x20000, 8, 1, 1, 0, 0, 0, 8) +
        msg(BUSY_WAIT, 2, 1) +
        msg(TRANSFER_GET2, 1, 0, 0, 0, 0, 300, 300, 1, 364800, 0) +
        msg(BUSY_WAIT, 1, 1) + msg(RESOURCE_UNREF, 2))
    seeds['virpipe-v2-renegotiate'] = (
        handshake('piglit') + msg(GET_CAPS2) + msg(PING) + msg(BUSY_WAIT, 0, 0) +
        msg(PROTOCOL_VERSION, 2) +
        msg(RESOURCE_CREATE2, 5, 2, 7, 10, 250, 250, 1, 1, 0, 0, 125000) +
        msg(TRANSFER_GET2, 5, 0, 0, 0, 0, 4, 4, 1, 32, 0) + msg(RESOURCE_UNREF, 5))
    pixels = bytes(range(64)) * 1
    seeds['protocol0-inline'] = (
        create_renderer('old-client') + msg(GET_CAPS) +
        msg(RESOURCE_CREATE, 7, 2, 1, 2, 4, 4, 1, 1, 0, 0) +
        transfer_put_inline(7, 4, 4, pixels) +
        msg(TRANSFER_GET, 7, 0, 0, 0, 0, 0, 0, 4, 4, 1, 64) +
        msg(RESOURCE_CREATE, 8, 0, 64, 16, 100, 1, 1, 0, 0, 0) +
        transfer_put_inline(8, 13, 1, b'buffer-bytes!') +
        submit(vcmd(29, 0, 1) + vcmd(28, 0, 1)) + msg(BUSY_WAIT, 7, 1) +
        msg(RESOURCE_UNREF, 8) + msg(RESOURCE_UNREF, 7))
    venus = (handshake('vulkaninfo') + msg(GET_PARAM, 1) + msg(GET_CAPSET, 4, 0) +
             msg(CONTEXT_INIT, 4) + msg(CREATE_BLOB, 2, 1, 131268, 0, 0, 0) +
             submit2([(0, 0, len(ENUMERATE_VERSION) // 4, 0)], ENUMERATE_VERSION) +
             msg(CREATE_BLOB, 2, 1, 1048576, 0, 0, 0) +
             submit2([(1, 1, len(CREATE_INSTANCE) // 4, 0)], CREATE_INSTANCE) +
             msg(CREATE_BLOB, 1, 3, 65536, 0, 0, 0) +
             msg(CREATE_BLOB, 2, 3, 8192, 0, 1, 0) +
             msg(RESOURCE_UNREF, 4) + msg(RESOURCE_UNREF, 2))
    seeds['venus-startup'] = venus
    syncs = (handshake('vkcube') + msg(GET_PARAM, 1) + msg(GET_CAPSET, 4, 0) +
             msg(CONTEXT_INIT, 4) + msg(SYNC_CREATE, 0, 0) + msg(SYNC_CREATE, 5, 0) +
             msg(SYNC_WRITE, 1, 2, 0) + msg(SYNC_READ, 1) +
             msg(SYNC_WAIT, 0, 0, 1, 2, 0) +
             msg(SYNC_WAIT, 1, 1000, 1, 9, 0, 2, 9, 0) +
             submit2([(1, 1, 0, 2), (1, 2, len(ENUMERATE_VERSION) // 4, 1)],
                     ENUMERATE_VERSION, dw(1, 9, 0, 2, 10, 0, 2, 11, 0)) +
             msg(SYNC_WAIT, 0, 0xffffffff, 1, 100, 0) +
             msg(SYNC_READ, 2) + msg(SYNC_UNREF, 1) + msg(SYNC_UNREF, 2) +
             msg(BUSY_WAIT, 0, 1))
    seeds['venus-syncs'] = syncs
    seeds['gl-blob'] = (handshake('blob') + msg(GET_CAPS2) +
                        msg(CREATE_BLOB, 1, 1, 4096, 0, 0, 0) +
                        msg(CREATE_BLOB, 2, 1, 4096, 0, 0, 0) +
                        msg(RESOURCE_CREATE2, 0, 2, 1, 2, 8, 8, 1, 1, 0, 0, 256) +
                        submit(vcmd(29, 0, 1)) + msg(TRANSFER_PUT2, 3, 0, 0, 0, 0, 8, 8, 1, 256, 0))
    return seeds


def virgl_seeds():
    seeds = {}
    m = b'VGNB'
    seeds['first-frame'] = b'\0' + first_frame()
    seeds['frame-then-teardown'] = b'\0' + first_frame() + m + teardown_stream()
    seeds['sub-contexts'] = (b'\x0b' + vcmd(29, 0, 2) + vcmd(29, 0, 3) + vcmd(28, 0, 3) + m +
                             vcmd(30, 0, 2) + vcmd(28, 0, 0) + vcmd(29, 0, 4) + m +
                             vcmd(30, 0, 3) + vcmd(30, 0, 4))
    seeds['objects'] = (b'\0' + vcmd(1, 7, 20, *([0] * 8)) + vcmd(1, 6, 21, 1, 67, 0, 0, 0) +
                        vcmd(1, 9, 22, 0, 0, 0) + vcmd(1, 10, 23, 1, 0, 16) +
                        vcmd(1, 11, 24, 1, 67, 0, 0, 4) + vcmd(18, 0, 1, 0, 20) +
                        vcmd(10, 0, 1, 0, 21) + vcmd(19, 0, 22) + vcmd(20, 0, 22) +
                        vcmd(21, 0, 22, 0) + vcmd(25, 0, 0, 23) +
                        vcmd(12, 0, 1, 0, 0x3f800000) + vcmd(11, 0, 0, 2, 0) +
                        vcmd(15, 0, 0, 0, 0x00400040) + vcmd(37, 0, *([1] * 8)) +
                        vcmd(62, 0, *([0] * 10)) + vcmd(16, 0, *([0] * 21)) +
                        vcmd(17, 0, *([0] * 13)) + vcmd(48, 0, *([0] * 11)) +
                        vcmd(53, 0, 1, 2) + vcmd(200, 0, 7))
    return seeds


def num(v):
    if v < 0xf0:
        return bytes([v])
    if v < 0x10000:
        return b'\xf0' + struct.pack('<H', v)
    return b'\xff' + struct.pack('<I', v)


def op(code, *parts):
    return bytes([code]) + b''.join(parts)


def b(*vals):
    return bytes(vals)


def u16(v):
    return struct.pack('<H', v)


def api_seeds():
    (RES_CREATE, UNREF, ATTACH, DETACH, TO_HOST, FROM_HOST, COPY_OUT, BLOB, MAP, MAP_FIXED,
     UNMAP, MAP_INFO, EXPORT, IMPORT, CTX_CREATE, CTX_DESTROY, CTX_ATTACH, CTX_DETACH, FENCE,
     SUBMIT, QUERY, GET_INFO, CAPSET, FEATURES, SUSPEND, GUEST_WRITE) = range(26)
    hdr = b(0, 0) + u16(0)
    box16 = num(0) + num(0) + num(0) + num(16) + num(16) + num(1)
    # 16x16 B8G8R8A8 2D texture: id byte 0 = resource 1, format index 0 = format 1.
    tex = op(RES_CREATE, b(0, 0), num(2), num(2), num(16), num(16), num(1), num(1), num(0),
             num(0), num(0))
    backing = op(ATTACH, b(0, 1), b(1), u16(0), u16(1024))
    seeds = {}
    seeds['2d-scanout'] = (hdr + tex + backing + op(GUEST_WRITE, u16(0), b(16), bytes(range(16))) +
                           op(TO_HOST, b(0, 0), num(0), box16) +
                           op(FROM_HOST, b(0, 0), num(0), box16) +
                           op(COPY_OUT, b(0), box16, u16(1024), num(64)) +
                           op(GET_INFO, b(0, 8)) + op(DETACH, b(0)) + op(UNREF, b(0)))
    seeds['2d-split-iov'] = (hdr + tex + op(ATTACH, b(0, 0), b(3), u16(0), u16(100), u16(4096),
                                            u16(500), u16(8192), u16(424)) +
                             op(TO_HOST, b(0, 2 | 4 | 8), num(0), num(64), num(1024), box16,
                                num(0)) + op(FROM_HOST, b(0, 16), num(0), box16, b(2), u16(0),
                                             u16(512), u16(1024), u16(512)))
    # Venus context (capset index 2), HOST3D blob of 4 pages: map, unmap, fixed map,
    # export, import as resource 3, map that.
    seeds['blobs'] = (hdr + op(CTX_CREATE, b(0, 2)) +
                      op(BLOB, b(1, 1), b(0), b(2), num(4)) + op(MAP, b(1)) + op(UNMAP, b(1)) +
                      op(MAP_FIXED, b(1, 0)) + op(MAP_INFO, b(1)) + op(EXPORT, b(1)) +
                      op(IMPORT, b(2, 0), num(4), b(0)) + op(MAP, b(2)) + op(UNREF, b(1)) +
                      op(BLOB, b(3, 16), b(1), num(1), b(1), u16(0), u16(8192)) + op(MAP, b(3)) +
                      op(BLOB, b(4, 1 | 4), b(0), b(2), num(1), num(2)) + op(CTX_DESTROY, b(0)))
    # GL context: attach a texture, transfer through the context, fences, a submit.
    stream = vcmd(29, 0, 1) + vcmd(28, 0, 1) + vcmd(7, 0, 4, 0, 0, 0, 0, 0, 0, 0)
    seeds['contexts'] = (hdr + op(CTX_CREATE, b(0, 1)) + tex + backing +
                         op(CTX_ATTACH, b(0, 0)) + op(TO_HOST, b(0, 1), b(0), num(0), box16) +
                         op(FENCE, b(1), num(0), b(0), num(1)) +
                         op(FENCE, b(1), num(5), b(0), num(2)) +
                         op(SUBMIT, b(0, 0), num(len(stream) // 4), stream) +
                         op(FENCE, b(0), num(0), b(0), num(3)) + op(QUERY, b(1, 0)) +
                         op(CAPSET, b(1), num(1408)) + op(FEATURES, b(8)) + op(SUSPEND) +
                         op(CTX_DETACH, b(0, 0)) + op(CTX_DESTROY, b(0)))
    # The same with thread-mode callbacks (bit 7 of the first header byte).
    seeds['contexts-thread-mode'] = b(0x80) + seeds['contexts'][1:]
    seeds['venus-submit'] = (hdr + op(CTX_CREATE, b(1, 2)) +
                             op(SUBMIT, b(1, 0), num(len(ENUMERATE_VERSION) // 4),
                                ENUMERATE_VERSION) +
                             op(SUBMIT, b(1, 0), num(len(CREATE_INSTANCE) // 4), CREATE_INSTANCE) +
                             op(FENCE, b(2), num(3), b(0), num(7)))
    return seeds


def venus_golden():
    # Option byte 0x12: 256-byte reply region, decode + encode mode; 0x06: object table.
    return {'golden-enumerate-version': b'\x12' + ENUMERATE_VERSION,
            'golden-create-instance': b'\x06' + CREATE_INSTANCE + ENUMERATE_VERSION}


# ---- dictionaries ---------------------------------------------------------------


def dict_entry(name, data):
    return '%s="%s"\n' % (name, ''.join('\\x%02x' % c for c in data))


VTEST_FIXED = {'GET_CAPS': (1, 0), 'RESOURCE_CREATE': (2, 10), 'RESOURCE_UNREF': (3, 1),
               'TRANSFER_GET': (4, 11), 'BUSY_WAIT': (7, 2), 'GET_CAPS2': (9, 0),
               'PING': (10, 0), 'PROTOCOL_VERSION': (11, 1), 'RESOURCE_CREATE2': (12, 11),
               'TRANSFER_GET2': (13, 10), 'TRANSFER_PUT2': (14, 10), 'GET_PARAM': (15, 1),
               'GET_CAPSET': (16, 2), 'CONTEXT_INIT': (17, 1), 'CREATE_BLOB': (18, 6),
               'SYNC_CREATE': (19, 2), 'SYNC_UNREF': (20, 1), 'SYNC_READ': (21, 1),
               'SYNC_WRITE': (22, 3), 'SYNC_WAIT_1': (23, 5), 'SUBMIT_CMD2_1': (24, 7)}

# virgl commands: (id, object, payload dwords) of a valid instance of each.
VIRGL_CMDS = {'NOP': (0, 0, 0), 'CREATE_BLEND': (1, 1, 11), 'CREATE_RASTERIZER': (1, 2, 9),
              'CREATE_DSA': (1, 3, 5), 'CREATE_SHADER': (1, 4, 5), 'CREATE_VE': (1, 5, 5),
              'CREATE_SAMPLER_VIEW': (1, 6, 6), 'CREATE_SAMPLER_STATE': (1, 7, 9),
              'CREATE_SURFACE': (1, 8, 5), 'CREATE_QUERY': (1, 9, 4),
              'CREATE_SO_TARGET': (1, 10, 4), 'CREATE_MSAA_SURFACE': (1, 11, 6),
              'BIND_OBJECT': (2, 1, 1), 'DESTROY_OBJECT': (3, 1, 1), 'SET_VIEWPORT': (4, 0, 7),
              'SET_FRAMEBUFFER': (5, 0, 3), 'SET_VERTEX_BUFFERS': (6, 0, 3), 'CLEAR': (7, 0, 8),
              'DRAW_VBO': (8, 0, 12), 'INLINE_WRITE': (9, 0, 12), 'SET_SAMPLER_VIEWS': (10, 0, 3),
              'SET_INDEX_BUFFER': (11, 0, 3), 'SET_CONSTANT_BUFFER': (12, 0, 2),
              'SET_STENCIL_REF': (13, 0, 1), 'SET_BLEND_COLOR': (14, 0, 4),
              'SET_SCISSOR': (15, 0, 3), 'BLIT': (16, 0, 21), 'COPY_REGION': (17, 0, 13),
              'BIND_SAMPLER_STATES': (18, 0, 3), 'BEGIN_QUERY': (19, 0, 1),
              'END_QUERY': (20, 0, 1), 'GET_QUERY_RESULT': (21, 0, 2),
              'SET_POLYGON_STIPPLE': (22, 0, 32), 'SET_CLIP_STATE': (23, 0, 32),
              'SET_SAMPLE_MASK': (24, 0, 1), 'SET_SO_TARGETS': (25, 0, 2),
              'SET_RENDER_CONDITION': (26, 0, 3), 'SET_UNIFORM_BUFFER': (27, 0, 5),
              'SET_SUB_CTX': (28, 0, 1), 'CREATE_SUB_CTX': (29, 0, 1),
              'DESTROY_SUB_CTX': (30, 0, 1), 'BIND_SHADER': (31, 0, 2),
              'SET_TESS_STATE': (32, 0, 6), 'SET_MIN_SAMPLES': (33, 0, 1),
              'SET_SHADER_BUFFERS': (34, 0, 5), 'SET_SHADER_IMAGES': (35, 0, 7),
              'MEMORY_BARRIER': (36, 0, 1), 'LAUNCH_GRID': (37, 0, 8),
              'SET_FB_NO_ATTACH': (38, 0, 2), 'TEXTURE_BARRIER': (39, 0, 1),
              'SET_ATOMIC_BUFFERS': (40, 0, 4), 'SET_DEBUG_FLAGS': (41, 0, 1),
              'GET_QUERY_RESULT_QBO': (42, 0, 6), 'TRANSFER3D': (43, 0, 13),
              'END_TRANSFERS': (44, 0, 0), 'COPY_TRANSFER3D': (45, 0, 14),
              'SET_TWEAKS': (46, 0, 2), 'CLEAR_TEXTURE': (47, 0, 12),
              'PIPE_RESOURCE_CREATE': (48, 0, 11), 'PIPE_RESOURCE_SET_TYPE': (49, 0, 8),
              'GET_MEMORY_INFO': (50, 0, 1), 'EMIT_STRING_MARKER': (51, 0, 2),
              'LINK_SHADER': (52, 0, 6), 'CLEAR_SURFACE': (62, 0, 10)}


def write_dicts(outdir):
    with open(os.path.join(outdir, 'vtest.dict'), 'w') as f:
        f.write('# vtest request headers {len, id} (fuzz/gen_seeds.py)\n')
        for name, (cmd, n) in sorted(VTEST_FIXED.items()):
            f.write(dict_entry(name, dw(n, cmd)))
        for name, cmd in (('SUBMIT_CMD', 6), ('TRANSFER_PUT', 5), ('CREATE_RENDERER', 8)):
            f.write(dict_entry(name + '_id', dw(cmd)))
        for name, v in (('max_u32', 0xffffffff), ('ring_flag', 1), ('shm_4k', 4096),
                        ('venus_ring_size', 131268)):
            f.write(dict_entry(name, dw(v)))
    with open(os.path.join(outdir, 'virgl.dict'), 'w') as f:
        f.write('# virgl command headers cmd | obj << 8 | len << 16 (fuzz/gen_seeds.py)\n')
        for name, (cmd, obj, n) in sorted(VIRGL_CMDS.items()):
            f.write(dict_entry(name, dw(cmd | obj << 8 | n << 16)))
        f.write(dict_entry('buffer_marker', b'VGNB'))
        for word in ('VERT', 'FRAG', 'GEOM', 'COMP', 'DCL', 'IN[0]', 'OUT[0]', 'IMM[0]',
                     'TEMP[0]', 'MOV', 'END', 'PROPERTY', 'SAMP[0]', 'CONST[0]'):
            f.write('tgsi_%s="%s"\n' % (''.join(c for c in word if c.isalnum()), word))
    with open(os.path.join(outdir, 'tgsi.dict'), 'w') as f:
        f.write('# TGSI text keywords (fuzz/gen_seeds.py; opcodes from vrend/tgsi_opcode_table.h)\n')
        words = ['VERT', 'FRAG', 'GEOM', 'TESS_CTRL', 'TESS_EVAL', 'COMP', 'DCL', 'IMM',
                 'PROPERTY', 'IN', 'OUT', 'TEMP', 'CONST', 'SAMP', 'SVIEW', 'IMAGE', 'BUFFER',
                 'MEMORY', 'ADDR', 'SV', 'ARRAY(1)', 'POSITION', 'COLOR', 'GENERIC[0]',
                 'FLOAT', 'UINT32', 'INT32', 'FLT64', 'PERSPECTIVE', 'LINEAR', 'CONSTANT',
                 '2D', '3D', 'CUBE', 'SHADOW2D', '_SAT', '.xyzw', '.x', '|', '-', '..', '[',
                 ']', '{', '}', ',', ':', '\\x0a', 'FS_COLOR0_WRITES_ALL_CBUFS',
                 'GS_INPUT_PRIMITIVE', 'GS_MAX_OUTPUT_VERTICES', 'CS_FIXED_BLOCK_WIDTH',
                 'TCS_VERTICES_OUT', 'NEXT_SHADER', 'INVARIANT', 'PIPE_FORMAT_R32_UINT']
        for i, w in enumerate(words + tgsi_opcodes()):
            f.write('w%d="%s"\n' % (i, w))


# ---- TGSI shader text ---------------------------------------------------------------

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')


def tgsi_samples():
    """The C string literals of tests/vrend/test_tgsi_samples.h (Mesa 25.0.7
    captures and hand-written shaders), plus the two of this script."""
    import re
    texts = {'vs-min': VS, 'fs-min': FS}
    try:
        src = open(os.path.join(SRC, 'tests/vrend/test_tgsi_samples.h')).read()
    except OSError:
        return texts
    for m in re.finditer(r'static const char (\w+)\[\] =((?:\s*"(?:[^"\\]|\\.)*")+);', src):
        body = ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2)))
        texts[m.group(1)] = body.encode().decode('unicode_escape')
    return texts


def tgsi_seeds():
    seeds = {}
    for i, (name, text) in enumerate(sorted(tgsi_samples().items())):
        # Option bytes vary the GLSL version and emit flags across the seeds.
        seeds[name] = bytes([(i * 37) & 0xf7, 0]) + text.encode()
    return seeds


def tgsi_opcodes():
    import re
    try:
        src = open(os.path.join(SRC, 'vrend/tgsi_opcode_table.h')).read()
    except OSError:
        return []
    return re.findall(r'\bX\((\w+),', src)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), 'corpus')
    sets = {'fuzz_vtest': vtest_seeds(), 'fuzz_virgl_decode': virgl_seeds(),
            'fuzz_api': api_seeds(), 'fuzz_venus_decode': venus_golden(),
            'fuzz_tgsi': tgsi_seeds()}
    for harness, seeds in sets.items():
        d = os.path.join(out, harness)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, 'seed-' + name), 'wb') as f:
                f.write(data)
        print('%s: %d seeds' % (harness, len(seeds)))
    write_dicts(os.path.dirname(os.path.abspath(__file__)))


if __name__ == '__main__':
    main()
