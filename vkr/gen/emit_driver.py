"""Emission of the test-only driver side (vkr_proto_driver.[ch]): what the guest driver does --
request encoders, reply decoders -- plus random argument fillers and deep comparisons, so that
tests can round-trip every generated command through the host code."""

from emit_c import CFile, Comparer, Ctx, Decoder, Encoder, Filler, indent, small_ranges
from emit_host import banner


def driver_header(proto):
    out = banner(proto, 'Venus protocol: driver-side encoders for tests (not part of the library).')
    out += ['#ifndef VKR_PROTO_DRIVER_H', '#define VKR_PROTO_DRIVER_H', '',
            '#include "vkr_proto.h"', '', 'struct vkr_fill;', 'struct vkr_cmp;', '',
            'struct vkr_proto_driver_command {',
            '\t/* The request as the guest driver sends it (outputs in their partial form). */',
            '\tint (*encode)(struct vkr_cs_encoder *enc, uint32_t flags, const void *args);',
            '\t/* The reply into args, whose inputs must be those of the request and whose',
            '\t * outputs are NULL (see clear_outs). */',
            '\tint (*decode_reply)(struct vkr_cs_decoder *dec, void *args);',
            '\t/* Random arguments, consistent with the length rules. */',
            '\tvoid (*fill)(struct vkr_fill *f, void *args);',
            '\t/* Request: inputs in full, outputs partially. Reply: return value and outputs. */',
            '\tbool (*compare)(struct vkr_cmp *c, const void *a, const void *b, bool reply);',
            '\tvoid (*clear_outs)(void *args);',
            '};', '',
            'const struct vkr_proto_driver_command *vkr_proto_driver_command(uint32_t type);', '',
            '#endif /* VKR_PROTO_DRIVER_H */']
    return out


def extra_small(proto):
    """Struct members used as element counts through 'param->member' (pAllocateInfo->...)."""
    extra = {}
    for c in proto.commands:
        params = {p.name: p for p in c.params}
        for p in c.params:
            count = p.shape.count
            if count is None or '->' not in count.template:
                continue
            guard = params[count.guards[0]]
            field = count.template.split('->')[1]
            extra.setdefault(guard.shape.elem.type, set()).add(field)
    return extra


def driver_source(proto):
    f = CFile(proto)
    enc = Encoder(proto)
    encp = Encoder(proto, partial=True)
    dec = Decoder(proto, lookup=False)
    cmp_full = Comparer(proto)
    cmp_part = Comparer(proto, partial=True)
    fill = Filler(proto, extra_small(proto))
    funcs = []
    table = []
    for c in proto.commands:
        funcs += encoder(f, c, enc, encp) + reply_decoder(f, c, dec)
        funcs += filler(f, c, fill) + comparer(f, c, cmp_full, cmp_part) + clear_outs(c)
        table.append('\t[%d] = { drv_encode_%s, drv_reply_%s, drv_fill_%s, drv_compare_%s, '
                     'drv_clear_%s },' % ((c.value,) + (c.name,) * 5))
    f.functions()
    out = banner(proto, 'Venus protocol: driver-side encoders for tests (not part of the library).')
    out += ['#include "vkr_proto_driver.h"', '#include "vkr_test_support.h"', '']
    out += f.prototypes + [''] + f.tables + f.bodies + funcs
    out += ['static const struct vkr_proto_driver_command vkr_proto_driver_commands[VKR_CMD_COUNT]'
            ' = {'] + table + ['};', '']
    out += ['const struct vkr_proto_driver_command *vkr_proto_driver_command(uint32_t type)',
            '{',
            '\tif (type >= VKR_CMD_COUNT || !vkr_proto_driver_commands[type].encode)',
            '\t\treturn NULL;',
            '\treturn &vkr_proto_driver_commands[type];',
            '}']
    return out


def ctx_for(c, p, prefix='args', small=None):
    return Ctx(lambda n: '%s->%s' % (prefix, n), '%s.%s' % (c.name, p), small)


def encoder(f, c, enc, encp):
    body = ['VKR_TRY(vkr_enc_u32(enc, %d));' % c.value, 'VKR_TRY(vkr_enc_u32(enc, flags));']
    for p in c.params:
        fam = encp if p.direction == 'out' else enc
        body += fam.value(f, p.shape, 'args->' + p.name, ctx_for(c, p.name))
    return ['static int drv_encode_%s(struct vkr_cs_encoder *enc, uint32_t flags, const void *p)'
            % c.name, '{'] + indent(['const struct vkr_cmd_%s *args = p;' % c.name] + body +
                                    ['return 0;']) + ['}', '']


def reply_decoder(f, c, dec):
    body = ['uint32_t type;', 'VKR_TRY(vkr_dec_u32(dec, &type));', 'if (type != %d)' % c.value,
            '\treturn vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);']
    if c.ret is not None:
        body += dec.value(f, c.ret, 'args->ret', ctx_for(c, 'ret'))
    for p in c.outs:
        body += dec.value(f, p.shape, 'args->' + p.name, ctx_for(c, p.name))
    decl = ['struct vkr_cmd_%s *args = p;' % c.name] if (c.ret is not None or c.outs) \
        else ['(void)p;']
    return ['static int drv_reply_%s(struct vkr_cs_decoder *dec, void *p)' % c.name, '{'] + \
        indent(decl + body + ['return 0;']) + ['}', '']


def filler(f, c, fill):
    ranges = small_ranges(c.params)
    body = []
    for p in c.params:
        body += fill.value(f, p.shape, 'args->' + p.name, ctx_for(c, p.name,
                                                                  small=ranges.get(p.name)))
    if c.ret is not None:
        body += fill.value(f, c.ret, 'args->ret', ctx_for(c, 'ret'))
    return ['static void drv_fill_%s(struct vkr_fill *f, void *p)' % c.name, '{'] + \
        indent(['struct vkr_cmd_%s *args = p;' % c.name] + body) + ['}', '']


def comparer(f, c, full, part):
    req = []
    rep = []
    for p in c.params:
        ctx = ctx_for(c, p.name, prefix='a')
        fam = part if p.direction == 'out' else full
        req += fam.value(f, p.shape, '@->' + p.name, ctx)
        if p.direction != 'in':
            rep += full.value(f, p.shape, '@->' + p.name, ctx)
    if c.ret is not None:
        rep = full.value(f, c.ret, '@->ret', ctx_for(c, 'ret', prefix='a')) + rep
    body = ['const struct vkr_cmd_%s *a = pa, *b = pb;' % c.name]
    body += ['if (reply) {'] + indent(rep + ['return true;']) + ['}']
    body += req + ['return true;']
    return ['static bool drv_compare_%s(struct vkr_cmp *c, const void *pa, const void *pb, '
            'bool reply)' % c.name, '{'] + indent(body) + ['}', '']


def clear_outs(c):
    body = ['args->%s = NULL;' % p.name for p in c.outs]
    decl = ['struct vkr_cmd_%s *args = p;' % c.name] if body else ['(void)p;']
    return ['static void drv_clear_%s(void *p)' % c.name, '{'] + indent(decl + body) + ['}', '']
