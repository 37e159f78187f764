"""C emission shared by the generated files.

A CFile collects the static functions one generated .c file needs: asking for a function
(`need`) schedules it, `functions()` emits everything reachable. Four codec families turn wire
shapes (wire.py) into C statements:

  Decoder  (partial=False: full decode, partial=True: the partial form of out structs)
  Encoder  (same two forms)
  Comparer (test only: deep comparison of what the wire carries)
  Filler   (test only: random values that respect the length rules)
"""

import re

import venus_registry

WIRE_CTYPE = {
    'u8': 'uint8_t', 'i8': 'int8_t', 'u16': 'uint16_t', 'i16': 'int16_t', 'u32': 'uint32_t',
    'i32': 'int32_t', 'u64': 'uint64_t', 'i64': 'int64_t', 'f32': 'float', 'f64': 'double',
    'size': 'size_t',
}
BULK = {'u32': '32', 'i32': '32', 'f32': '32', 'u64': '64', 'i64': '64', 'f64': '64'}


class Ctx:
    """Where a value lives: `access(name)` renders a sibling member/parameter, `lvl` numbers
    temporaries of nested blocks, `path` names the value in test diagnostics."""

    def __init__(self, access, path, small=None, lvl=0):
        self.access = access
        self.path = path
        self.small = small          # Filler: the value is an element count, random in [0, small)
        self.lvl = lvl

    def nested(self):
        return Ctx(self.access, self.path, None, self.lvl + 1)


def indent(lines, n=1):
    return ['\t' * n + line if line else line for line in lines]


def block(head, body, tail='}'):
    return [head + ' {' if head != '{' else '{'] + indent(body) + [tail]


class CFile:
    """The static functions of one generated .c file, emitted on demand."""

    def __init__(self, proto):
        self.proto = proto
        self.pending = []
        self.done = set()
        self.prototypes = []
        self.tables = []
        self.bodies = []

    def need(self, family, what, type_name):
        key = (family.tag, what, type_name)
        if key not in self.done:
            self.done.add(key)
            self.pending.append((family, what, type_name))
        return '%s_%s%s' % (family.tag, type_name, '' if what == 'top' else '_' + what)

    def need_enum(self, kind, shape):
        """A helper over the values of a plain enum: 'ok' (is v one of them) for decoders,
        'pick' (a random one) for fillers. Emitted once per file."""
        name = '%s_enum_%s' % (kind, shape.ctype)
        if name in self.done:
            return name
        self.done.add(name)
        values = shape.enum_values
        if kind == 'ok':
            proto = 'static bool %s(int32_t v)' % name
            body = block('{', block('switch (v)', ['case %d:' % v for v in values] +
                                    ['\treturn true;', 'default:', '\treturn false;']))
        else:
            proto = 'static %s %s(struct vkr_fill *f)' % (shape.ctype, name)
            rows = ['\t' + ', '.join('%d' % v for v in values[i:i + 8]) + ','
                    for i in range(0, len(values), 8)]
            body = block('{', ['static const int32_t values[] = {'] + rows + ['};',
                               'return (%s)values[vkr_fill_small(f, %d)];' % (shape.ctype,
                                                                             len(values))])
        self.prototypes.append(proto + ';')
        self.bodies += [proto] + body + ['']
        return name

    def functions(self):
        while self.pending:
            family, what, type_name = self.pending.pop(0)
            info = self.proto.structs[type_name]
            if what == 'chain':
                self.tables += family.chain_table(self, info)
            else:
                proto, body = family.struct_function(self, info, what)
                self.prototypes.append(proto + ';')
                self.bodies += [proto] + body + ['']


# -- helpers over shapes ---------------------------------------------------------------------------


def elem_ctype(shape):
    if shape.kind in ('struct', 'union', 'handle'):
        return shape.type
    return shape.ctype


def direct(shape):
    """The C type is a typedef of the wire helper's type (no conversion needed)."""
    return shape.kind == 'scalar' and shape.direct


def count_expr(expr, ctx):
    """C value of a length expression, 0 when a guarding pointer is NULL."""
    value = '(uint64_t)(%s)' % expr.render(ctx.access)
    if expr.guards:
        cond = ' && '.join('%s' % ctx.access(g) for g in expr.guards)
        value = '(%s ? %s : 0)' % (cond, value)
    return value


def partial_empty(proto, type_name):
    """The partial form of this struct carries nothing."""
    info = proto.structs[type_name]
    if info.kind == 'union':
        return True
    for m in info.members:
        if m.partial == 'skip':
            continue
        if m.partial == 'partial' and m.shape.kind == 'struct' \
                and partial_empty(proto, m.shape.type):
            continue
        return False
    return True


def elem_partial_empty(proto, shape):
    if shape.kind == 'struct':
        return partial_empty(proto, shape.type)
    return shape.kind != 'handle'


class Family:
    """A codec family: one kind of static function per struct."""

    tag = None
    partial = False

    def __init__(self, proto):
        self.proto = proto

    # Subclasses: value(f, shape, lval, ctx), struct_function(f, info, what), chain_table(f, info)

    def members(self, f, info, val):
        """Statements for the members after sType/pNext of `info`, held by pointer `val`."""
        out = []
        for m in info.members:
            if m.shape.kind in ('stype', 'pnext'):
                continue
            if self.partial and m.partial == 'skip':
                continue
            ctx = Ctx(lambda n: '%s->%s' % (val, n), '%s.%s' % (info.name, m.name))
            # The partial form carries counts and handles in full.
            fam = self.full if self.partial and m.partial == 'full' else self
            out += fam.value(f, m.shape, '%s->%s' % (val, m.name), ctx)
        return out


# -- decoding ------------------------------------------------------------------------------------


class Decoder(Family):
    """Host: requests (full for inputs, partial for outputs). Driver: replies (full)."""

    def __init__(self, proto, partial=False, lookup=True, tag=None):
        super().__init__(proto)
        self.partial = partial
        self.lookup = lookup
        self.tag = tag or ('decp' if partial else 'dec')
        # Members a partial form carries in full (counts, handles): no object lookups there.
        self.full = self if not partial else Decoder(proto, False, False, 'decf')

    def value(self, f, shape, lval, ctx):
        k = shape.kind
        p = self.partial
        if k == 'scalar':
            if p:
                return []
            if direct(shape):
                return ['VKR_TRY(vkr_dec_%s(dec, &%s));' % (shape.wire, lval)]
            check = []
            if shape.enum_values:
                check = ['if (!%s(v_))' % f.need_enum('ok', shape),
                         '\treturn vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);']
            return block('{', ['%s v_;' % WIRE_CTYPE[shape.wire],
                               'VKR_TRY(vkr_dec_%s(dec, &v_));' % shape.wire] + check +
                         ['%s = (%s)v_;' % (lval, shape.ctype)])
        if k == 'handle':
            if self.lookup and not p:
                fn = 'vkr_dec_handle_required' if shape.required else \
                    'vkr_dec_handle'
                read = 'VKR_TRY(%s(dec, %s, &h_));' % (fn, shape.objtype or
                                                     'VK_OBJECT_TYPE_UNKNOWN')
            else:
                read = 'VKR_TRY(vkr_dec_u64(dec, &h_));'
            return block('{', ['uint64_t h_;', read,
                               '%s = VKR_ID_TO_HANDLE(%s, h_);' % (lval, shape.type)])
        if k in ('struct', 'union'):
            if p and partial_empty(self.proto, shape.type):
                return []
            return ['VKR_TRY(%s(dec, &%s));' % (f.need(self, 'top', shape.type), lval)]
        if k == 'null':
            return ['VKR_TRY(vkr_dec_null(dec));']
        if k == 'string':
            return [] if p else ['VKR_TRY(vkr_dec_string(dec, %s, &%s));'
                                 % (c_bool(shape.nullable), lval)]
        if k == 'blob':
            return ['VKR_TRY(vkr_dec_blob(dec, %s, %s, %s, (void **)&%s));'
                    % (count_expr(shape.count, ctx), c_bool(shape.nullable), c_bool(p), lval)]
        if k == 'fixed':
            return self.fixed(f, shape, lval, ctx)
        if k == 'ptr':
            return self.pointer(f, shape, lval, ctx)
        if k in ('array', 'strings'):
            return self.array(f, shape, lval, ctx)
        raise AssertionError(k)

    def fixed(self, f, shape, lval, ctx):
        elem = shape.elem
        if shape.packed_bytes:
            if self.partial:
                return []
            return ['VKR_TRY(vkr_dec_fixed_bytes(dec, %s, %s, %s));'
                    % (lval, shape.dim, c_bool(elem.ctype == 'char'))]
        if self.partial and elem.kind not in ('struct', 'handle'):
            return []
        out = ['VKR_TRY(vkr_dec_fixed_count(dec, %s));' % shape.dim]
        if not self.partial and direct(elem) and elem.wire in BULK:
            return out + ['VKR_TRY(vkr_dec_array%s(dec, %s, %s));' % (BULK[elem.wire], lval,
                                                                     shape.dim)]
        if self.partial and elem.kind == 'struct' and partial_empty(self.proto, elem.type):
            return out
        i = 'i%d' % ctx.lvl
        body = self.value(f, elem, '%s[%s]' % (lval, i), ctx.nested())
        return out + block('for (uint32_t %s = 0; %s < %s; %s++)' % (i, i, shape.dim, i), body)

    def pointer(self, f, shape, lval, ctx):
        n = 'p%d' % ctx.lvl
        a = 'a%d' % ctx.lvl
        t = elem_ctype(shape.elem)
        inner = self.value(f, shape.elem, '*' + a, ctx.nested())
        return block('{', [
            'bool %s;' % n,
            'VKR_TRY(vkr_dec_presence(dec, %s, &%s));' % (c_bool(shape.nullable), n),
        ] + block('if (%s)' % n, [
            '%s *%s = vkr_dec_alloc(dec, sizeof(%s), 1);' % (t, a, t),
            'if (!%s)' % a,
            '\treturn dec->error;',
        ] + inner + ['%s = %s;' % (lval, a)]))

    def array(self, f, shape, lval, ctx):
        n = 'n%d' % ctx.lvl
        a = 'a%d' % ctx.lvl
        i = 'i%d' % ctx.lvl
        expected = count_expr(shape.count, ctx)
        nullable = c_bool(shape.nullable)
        if shape.kind == 'strings':
            t = 'const char *'
            count = 'VKR_TRY(vkr_dec_count(dec, %s, %s, 8, &%s));' % (expected, nullable, n)
            fill = block('for (uint64_t %s = 0; %s < %s; %s++)' % (i, i, n, i),
                         ['VKR_TRY(vkr_dec_string(dec, false, &%s[%s]));' % (a, i)])
        else:
            elem = shape.elem
            t = elem_ctype(elem)
            if self.partial:
                count = 'VKR_TRY(vkr_dec_out_count(dec, %s, %s, %d, %d, &%s));' % (
                    expected, nullable, self.proto.min_size(elem, True),
                    max(self.proto.min_size(elem), 1), n)
            else:
                min_size = 1 if shape.packed_bytes else max(self.proto.min_size(elem), 1)
                count = 'VKR_TRY(vkr_dec_count(dec, %s, %s, %d, &%s));' % (
                    expected, nullable, min_size, n)
            if self.partial and elem_partial_empty(self.proto, elem):
                fill = []
            elif not self.partial and shape.packed_bytes:
                fill = ['VKR_TRY(vkr_dec_raw(dec, %s, (size_t)%s));' % (a, n)]
            elif not self.partial and direct(elem) and elem.wire in BULK:
                fill = ['VKR_TRY(vkr_dec_array%s(dec, %s, %s));' % (BULK[elem.wire], a, n)]
            else:
                body = self.value(f, elem, '%s[%s]' % (a, i), ctx.nested())
                fill = block('for (uint64_t %s = 0; %s < %s; %s++)' % (i, i, n, i), body)
        return block('{', ['uint64_t %s;' % n, count] + block('if (%s)' % n, [
            '%s*%s = vkr_dec_alloc(dec, sizeof(%s), %s);' % (
                t if t.endswith('*') else t + ' ', a, t, n),
            'if (!%s)' % a,
            '\treturn dec->error;',
        ] + fill + ['%s = %s;' % (lval, a)]))

    # -- struct functions --

    def struct_function(self, f, info, what):
        name = '%s_%s%s' % (self.tag, info.name, '' if what == 'top' else '_' + what)
        if what == 'self':
            proto = 'static int %s(struct vkr_cs_decoder *dec, void *p)' % name
            members = self.members(f, info, 'val')
            body = (['%s *val = p;' % info.name] if members else ['(void)p;']) + members
            if not members:
                body = ['(void)dec;'] + body
            return proto, ['{'] + indent(body + ['return 0;']) + ['}']
        proto = 'static int %s(struct vkr_cs_decoder *dec, %s *val)' % (name, info.name)
        if info.kind == 'union':
            return proto, ['{'] + indent(self.union_body(f, info)) + ['}']
        if info.stype:
            body = ['VKR_TRY(vkr_dec_stype(dec, %s));' % info.stype,
                    'val->sType = %s;' % info.stype]
            if info.has_pnext:
                body.append('VKR_TRY(vkr_dec_chain(dec, %s, (void **)&val->pNext));'
                            % self.chain_ref(f, info))
            body.append('return %s(dec, val);' % f.need(self, 'self', info.name))
            return proto, ['{'] + indent(body) + ['}']
        members = self.members(f, info, 'val')
        return proto, ['{'] + indent(unused(members, 'dec', 'val') + ['return 0;']) + ['}']

    def union_body(self, f, info):
        out = ['uint32_t tag;', 'VKR_TRY(vkr_dec_u32(dec, &tag));', 'switch (tag) {']
        for i, m in enumerate(info.members):
            ctx = Ctx(lambda n: 'val->' + n, info.name + '.' + m.name)
            out += ['case %d:' % i] + indent(self.full.value(f, m.shape, 'val->' + m.name, ctx)
                                              + ['return 0;'])
        out += ['default:', '\treturn vkr_cs_fail(dec, VKR_CS_ERR_MALFORMED);', '}']
        return out

    def chain_ref(self, f, info):
        if not info.children:
            return 'NULL, 0'
        return '%s, %d' % (f.need(self, 'chain', info.name), len(info.children))

    def chain_table(self, f, info):
        rows = []
        for child in info.children:
            c = self.proto.structs[child]
            rows.append('\t{ %s, sizeof(%s), %s, %s },' % (
                c.stype, c.name, f.need(self, 'self', c.name), c_bool(c.allowduplicate)))
        return ['static const struct vkr_dec_chain_entry %s_%s_chain[] = {'
                % (self.tag, info.name)] + rows + ['};', '']


def unused(lines, *names):
    """`lines` preceded by casts to void of the parameters they do not use."""
    text = '\n'.join(lines)
    return ['(void)%s;' % n for n in names if not re.search(r'\b%s\b' % n, text)] + lines


def c_bool(v):
    return 'true' if v else 'false'


# -- encoding ------------------------------------------------------------------------------------


class Encoder(Family):
    """Host: replies (full). Driver: requests (full for inputs, partial for outputs)."""

    def __init__(self, proto, partial=False, tag=None):
        super().__init__(proto)
        self.partial = partial
        self.tag = tag or ('encp' if partial else 'enc')
        self.full = self if not partial else Encoder(proto, False, 'encf')

    def value(self, f, shape, lval, ctx):
        k = shape.kind
        p = self.partial
        if k == 'scalar':
            if p:
                return []
            if direct(shape):
                return ['VKR_TRY(vkr_enc_%s(enc, %s));' % (shape.wire, lval)]
            return ['VKR_TRY(vkr_enc_%s(enc, (%s)%s));'
                    % (shape.wire, WIRE_CTYPE[shape.wire], lval)]
        if k == 'handle':
            return ['VKR_TRY(vkr_enc_u64(enc, VKR_HANDLE_TO_ID(%s)));' % lval]
        if k in ('struct', 'union'):
            if p and partial_empty(self.proto, shape.type):
                return []
            return ['VKR_TRY(%s(enc, &%s));' % (f.need(self, 'top', shape.type), lval)]
        if k == 'null':
            return ['VKR_TRY(vkr_enc_u64(enc, 0));']
        if k == 'string':
            return [] if p else ['VKR_TRY(vkr_enc_string(enc, %s));' % lval]
        if k == 'blob':
            return ['VKR_TRY(vkr_enc_blob(enc, %s, %s, %s));'
                    % (lval, count_expr(shape.count, ctx), c_bool(p))]
        if k == 'fixed':
            return self.fixed(f, shape, lval, ctx)
        if k == 'ptr':
            inner = self.value(f, shape.elem, '(*%s)' % lval, ctx.nested())
            out = ['VKR_TRY(vkr_enc_u64(enc, %s ? 1 : 0));' % lval]
            return out + (block('if (%s)' % lval, inner) if inner else [])
        if k in ('array', 'strings'):
            return self.array(f, shape, lval, ctx)
        raise AssertionError(k)

    def fixed(self, f, shape, lval, ctx):
        elem = shape.elem
        if shape.packed_bytes:
            if self.partial:
                return []
            return ['VKR_TRY(vkr_enc_u64(enc, %s));' % shape.dim,
                    'VKR_TRY(vkr_enc_raw(enc, %s, %s));' % (lval, shape.dim)]
        if self.partial and elem.kind not in ('struct', 'handle'):
            return []
        out = ['VKR_TRY(vkr_enc_u64(enc, %s));' % shape.dim]
        if not self.partial and direct(elem) and elem.wire in BULK:
            return out + ['VKR_TRY(vkr_enc_array%s(enc, %s, %s));' % (BULK[elem.wire], lval,
                                                                     shape.dim)]
        if self.partial and elem.kind == 'struct' and partial_empty(self.proto, elem.type):
            return out
        i = 'i%d' % ctx.lvl
        body = self.value(f, elem, '%s[%s]' % (lval, i), ctx.nested())
        return out + block('for (uint32_t %s = 0; %s < %s; %s++)' % (i, i, shape.dim, i), body)

    def array(self, f, shape, lval, ctx):
        n = 'n%d' % ctx.lvl
        i = 'i%d' % ctx.lvl
        cond = lval
        if shape.cond is not None:
            cond = '%s && (%s)' % (lval, shape.cond.render(ctx.access))
        head = ['const uint64_t %s = %s;' % (n, count_expr(shape.count, ctx)),
                'VKR_TRY(vkr_enc_u64(enc, %s));' % n]
        if shape.kind == 'strings':
            body = block('for (uint64_t %s = 0; %s < %s; %s++)' % (i, i, n, i),
                         ['VKR_TRY(vkr_enc_string(enc, %s[%s]));' % (lval, i)])
        else:
            elem = shape.elem
            if self.partial and elem_partial_empty(self.proto, elem):
                body = []
            elif not self.partial and shape.packed_bytes:
                body = ['VKR_TRY(vkr_enc_raw(enc, %s, (size_t)%s));' % (lval, n)]
            elif not self.partial and direct(elem) and elem.wire in BULK:
                body = ['VKR_TRY(vkr_enc_array%s(enc, %s, %s));' % (BULK[elem.wire], lval, n)]
            else:
                inner = self.value(f, elem, '%s[%s]' % (lval, i), ctx.nested())
                body = block('for (uint64_t %s = 0; %s < %s; %s++)' % (i, i, n, i), inner)
        return block('if (%s)' % cond, head + body,
                     '} else {') + indent(['VKR_TRY(vkr_enc_u64(enc, 0));']) + ['}']

    # -- struct functions --

    def struct_function(self, f, info, what):
        name = '%s_%s%s' % (self.tag, info.name, '' if what == 'top' else '_' + what)
        if what == 'self':
            proto = 'static int %s(struct vkr_cs_encoder *enc, const void *p)' % name
            members = self.members(f, info, 'val')
            body = (['const %s *val = p;' % info.name] if members else ['(void)enc;', '(void)p;'])
            return proto, ['{'] + indent(body + members + ['return 0;']) + ['}']
        proto = 'static int %s(struct vkr_cs_encoder *enc, const %s *val)' % (name, info.name)
        if info.kind == 'union':
            tag = union_default_tag(info)
            m = info.members[tag]
            ctx = Ctx(lambda n: 'val->' + n, info.name + '.' + m.name)
            body = ['VKR_TRY(vkr_enc_u32(enc, %d));' % tag] + \
                self.full.value(f, m.shape, 'val->' + m.name, ctx) + ['return 0;']
            return proto, ['{'] + indent(body) + ['}']
        if info.stype:
            body = ['VKR_TRY(vkr_enc_i32(enc, %s));' % info.stype]
            if info.has_pnext:
                if info.children:
                    table = '%s, %d' % (f.need(self, 'chain', info.name), len(info.children))
                else:
                    table = 'NULL, 0'
                body.append('VKR_TRY(vkr_enc_chain(enc, %s, val->pNext));' % table)
            body.append('return %s(enc, val);' % f.need(self, 'self', info.name))
            return proto, ['{'] + indent(body) + ['}']
        members = self.members(f, info, 'val')
        return proto, ['{'] + indent(unused(members, 'enc', 'val') + ['return 0;']) + ['}']

    def chain_table(self, f, info):
        rows = ['\t{ %s, %s },' % (self.proto.structs[c].stype, f.need(self, 'self', c))
                for c in info.children]
        return ['static const struct vkr_enc_chain_entry %s_%s_chain[] = {'
                % (self.tag, info.name)] + rows + ['};', '']


def union_default_tag(info):
    return venus_registry.UNION_DEFAULT_TAGS.get(info.name, 0)


# -- test-only families --------------------------------------------------------------------------


def small_ranges(owner_members, extra=()):
    """Members whose value is an element count get small random values: {name: range}.
    Plain counts get 0..3; members inside an expression (codeSize / 4) get 0..15."""
    ranges = {}
    for m in owner_members:
        count = m.shape.count
        if count is None or '->' in count.template:
            continue
        trivial = re.fullmatch(r'\(\*\{\w+\}\)|\{\w+\}', count.template) is not None
        for ref in count.refs:
            ranges[ref] = min(ranges.get(ref, 16), 4 if trivial else 16)
    for name in extra:
        ranges.setdefault(name, 4)
    return ranges


class Comparer(Family):
    """Deep comparison of two values as far as the wire carries them (partial: the partial form)."""

    def __init__(self, proto, partial=False):
        super().__init__(proto)
        self.partial = partial
        self.tag = 'cmpp' if partial else 'cmp'
        self.full = self if not partial else Comparer(proto, False)
        if partial:
            self.full.tag = 'cmpf'

    def members(self, f, info, val):
        out = []
        for m in info.members:
            if m.shape.kind in ('stype', 'pnext'):
                continue
            if self.partial and m.partial == 'skip':
                continue
            ctx = Ctx(lambda n: 'a->' + n, '%s.%s' % (info.name, m.name))
            fam = self.full if self.partial and m.partial == 'full' else self
            out += fam.value(f, m.shape, '@->' + m.name, ctx)
        return out

    @staticmethod
    def ab(x):
        return x.replace('@', 'a'), x.replace('@', 'b')

    def fail(self, ctx):
        return 'return vkr_cmp_fail(c, "%s");' % ctx.path

    def value(self, f, shape, x, ctx):
        k = shape.kind
        p = self.partial
        a, b = self.ab(x)
        if k in ('scalar', 'handle'):
            if p and k == 'scalar':
                return []
            return ['if (memcmp(&%s, &%s, sizeof(%s)))' % (a, b, a), '\t' + self.fail(ctx)]
        if k in ('struct', 'union'):
            if p and partial_empty(self.proto, shape.type):
                return []
            return ['if (!%s(c, &%s, &%s))' % (f.need(self, 'top', shape.type), a, b),
                    '\treturn false;']
        if k == 'null':
            return ['if (%s)' % b, '\t' + self.fail(ctx)]
        if k == 'string':
            return [] if p else ['if (!vkr_cmp_string(%s, %s))' % (a, b), '\t' + self.fail(ctx)]
        if k == 'blob':
            return ['if (!vkr_cmp_blob(%s, %s, %s, %s))' % (a, b, count_expr(shape.count, ctx),
                                                          c_bool(p)), '\t' + self.fail(ctx)]
        if k == 'fixed':
            elem = shape.elem
            if shape.packed_bytes or (direct(elem) and not p):
                if p:
                    return []
                return ['if (memcmp(%s, %s, sizeof(%s)))' % (a, b, a), '\t' + self.fail(ctx)]
            if p and elem.kind not in ('struct', 'handle'):
                return []
            i = 'i%d' % ctx.lvl
            body = self.value(f, elem, '%s[%s]' % (x, i), ctx.nested())
            return block('for (uint32_t %s = 0; %s < %s; %s++)' % (i, i, shape.dim, i), body)
        if k == 'ptr':
            inner = self.value(f, shape.elem, '(*%s)' % x, ctx.nested())
            return ['if (!%s != !%s)' % (a, b), '\t' + self.fail(ctx)] + \
                (block('if (%s)' % a, inner) if inner else [])
        if k in ('array', 'strings'):
            n = 'n%d' % ctx.lvl
            e = 'e%d' % ctx.lvl
            i = 'i%d' % ctx.lvl
            present = '%s && %s' % (a, n)
            if shape.cond is not None:
                present += ' && (%s)' % shape.cond.render(ctx.access)
            head = ['const uint64_t %s = %s;' % (n, count_expr(shape.count, ctx)),
                    'const bool %s = %s;' % (e, present),
                    'if (%s != (%s != NULL))' % (e, b), '\t' + self.fail(ctx)]
            if shape.kind == 'strings':
                inner = ['if (!vkr_cmp_string(%s[%s], %s[%s]))' % (a, i, b, i),
                         '\t' + self.fail(ctx)]
            elif p and elem_partial_empty(self.proto, shape.elem):
                inner = []
            else:
                inner = self.value(f, shape.elem, '%s[%s]' % (x, i), ctx.nested())
            if not inner:
                return block('{', head)
            loop = block('for (uint64_t %s = 0; %s < %s; %s++)' % (i, i, n, i), inner)
            return block('{', head + block('if (%s)' % e, loop))
        raise AssertionError(k)

    def struct_function(self, f, info, what):
        name = '%s_%s%s' % (self.tag, info.name, '' if what == 'top' else '_' + what)
        if what == 'self':
            proto = 'static bool %s(struct vkr_cmp *c, const void *pa, const void *pb)' % name
            members = self.members(f, info, 'val')
            if members:
                body = ['const %s *a = pa, *b = pb;' % info.name] + members
            else:
                body = ['(void)c;', '(void)pa;', '(void)pb;']
            return proto, ['{'] + indent(body + ['return true;']) + ['}']
        proto = 'static bool %s(struct vkr_cmp *c, const %s *a, const %s *b)' % (
            name, info.name, info.name)
        if info.kind == 'union':
            m = info.members[union_default_tag(info)]
            ctx = Ctx(lambda n: 'a->' + n, info.name + '.' + m.name)
            body = self.full.value(f, m.shape, '@->' + m.name, ctx)
            return proto, ['{'] + indent(body + ['return true;']) + ['}']
        if info.stype:
            body = ['if (a->sType != b->sType)',
                    '\treturn vkr_cmp_fail(c, "%s.sType");' % info.name]
            if info.has_pnext:
                table = 'NULL, 0'
                if info.children:
                    table = '%s, %d' % (f.need(self, 'chain', info.name), len(info.children))
                body += ['if (!vkr_cmp_chain(c, %s, a->pNext, b->pNext))' % table,
                         '\treturn false;']
            body.append('return %s(c, a, b);' % f.need(self, 'self', info.name))
            return proto, ['{'] + indent(body) + ['}']
        members = self.members(f, info, 'val')
        return proto, ['{'] + indent(unused(members, 'c', 'a', 'b') + ['return true;']) + ['}']

    def chain_table(self, f, info):
        rows = ['\t{ %s, %s },' % (self.proto.structs[c].stype, f.need(self, 'self', c))
                for c in info.children]
        return ['static const struct vkr_cmp_chain_entry %s_%s_chain[] = {'
                % (self.tag, info.name)] + rows + ['};', '']


class Filler(Family):
    """Random values that respect the length rules (counts small, arrays sized by them)."""

    tag = 'fill'

    def __init__(self, proto, extra_small):
        super().__init__(proto)
        self.extra_small = extra_small      # {struct: {member}} counts used through '->'

    def members(self, f, info, val):
        out = []
        ranges = small_ranges(info.members, self.extra_small.get(info.name, ()))
        for m in info.members:
            if m.shape.kind in ('stype', 'pnext'):
                continue
            ctx = Ctx(lambda n: '%s->%s' % (val, n), '%s.%s' % (info.name, m.name),
                      ranges.get(m.name))
            out += self.value(f, m.shape, '%s->%s' % (val, m.name), ctx)
        return out

    def value(self, f, shape, lval, ctx):
        k = shape.kind
        if k == 'scalar':
            if ctx.small:
                return ['%s = (%s)vkr_fill_small(f, %d);' % (lval, shape.ctype, ctx.small)]
            if shape.enum_values:
                return ['%s = %s(f);' % (lval, f.need_enum('pick', shape))]
            return ['vkr_fill_bits(f, &%s, sizeof(%s));' % (lval, lval)]
        if k == 'handle':
            return ['vkr_fill_bits(f, &%s, sizeof(%s));' % (lval, lval)]
        if k in ('struct', 'union'):
            return ['%s(f, &%s);' % (f.need(self, 'top', shape.type), lval)]
        if k == 'null':
            return ['%s = NULL;' % lval]
        if k == 'string':
            return ['%s = vkr_fill_string(f, %s);' % (lval, c_bool(shape.nullable))]
        if k == 'blob':
            return ['%s = vkr_fill_blob(f, %s, %s);' % (lval, count_expr(shape.count, ctx),
                                                        c_bool(shape.nullable))]
        if k == 'fixed':
            elem = shape.elem
            if shape.packed_bytes and elem.ctype == 'char':
                return ['vkr_fill_chars(f, %s, %s);' % (lval, shape.dim)]
            if shape.packed_bytes or direct(elem):
                return ['vkr_fill_bits(f, %s, sizeof(%s));' % (lval, lval)]
            i = 'i%d' % ctx.lvl
            body = self.value(f, elem, '%s[%s]' % (lval, i), ctx.nested())
            return block('for (uint32_t %s = 0; %s < %s; %s++)' % (i, i, shape.dim, i), body)
        if k == 'ptr':
            a = 'a%d' % ctx.lvl
            t = elem_ctype(shape.elem)
            sub = Ctx(ctx.access, ctx.path, ctx.small, ctx.lvl + 1)
            inner = self.value(f, shape.elem, '*' + a, sub)
            alloc = ['%s *%s = vkr_fill_alloc(f, sizeof(%s), 1);' % (t, a, t)] + inner + \
                ['%s = %s;' % (lval, a)]
            if not shape.nullable:
                return block('{', alloc)
            return block('if (vkr_fill_coin(f))', ['%s = NULL;' % lval], '} else {') + \
                indent(alloc) + ['}']
        if k in ('array', 'strings'):
            n = 'n%d' % ctx.lvl
            a = 'a%d' % ctx.lvl
            i = 'i%d' % ctx.lvl
            if k == 'strings':
                t = 'const char *'
                inner = ['%s[%s] = vkr_fill_string(f, false);' % (a, i)]
            else:
                t = elem_ctype(shape.elem)
                inner = self.value(f, shape.elem, '%s[%s]' % (a, i), ctx.nested())
            decl = '%s*%s = vkr_fill_alloc(f, sizeof(%s), %s);' % (
                t if t.endswith('*') else t + ' ', a, t, n)
            if k != 'strings' and (shape.packed_bytes or direct(shape.elem)):
                body = ['vkr_fill_bits(f, %s, sizeof(%s) * %s);' % (a, t, n)]
            else:
                body = block('for (uint64_t %s = 0; %s < %s; %s++)' % (i, i, n, i), inner)
            null = '!%s' % n
            if shape.nullable:
                null += ' || vkr_fill_coin(f)'
            return block('{', ['const uint64_t %s = %s;' % (n, count_expr(shape.count, ctx))] +
                         block('if (%s)' % null, ['%s = NULL;' % lval], '} else {') +
                         indent([decl] + body + ['%s = %s;' % (lval, a)]) + ['}'])
        raise AssertionError(k)

    def struct_function(self, f, info, what):
        name = '%s_%s%s' % (self.tag, info.name, '' if what == 'top' else '_' + what)
        if what == 'self':
            proto = 'static void %s(struct vkr_fill *f, void *p)' % name
            members = self.members(f, info, 'val')
            body = (['%s *val = p;' % info.name] + members) if members else ['(void)f;', '(void)p;']
            return proto, ['{'] + indent(body) + ['}']
        proto = 'static void %s(struct vkr_fill *f, %s *val)' % (name, info.name)
        if info.kind == 'union':
            m = info.members[union_default_tag(info)]
            ctx = Ctx(lambda n: 'val->' + n, info.name + '.' + m.name)
            return proto, ['{'] + indent(self.value(f, m.shape, 'val->' + m.name, ctx)) + ['}']
        if info.stype:
            body = ['val->sType = %s;' % info.stype]
            if info.has_pnext:
                table = 'NULL, 0'
                if info.children:
                    table = '%s, %d' % (f.need(self, 'chain', info.name), len(info.children))
                body.append('vkr_fill_chain(f, %s, (void **)&val->pNext);' % table)
            body.append('%s(f, val);' % f.need(self, 'self', info.name))
            return proto, ['{'] + indent(body) + ['}']
        members = self.members(f, info, 'val')
        return proto, ['{'] + indent(unused(members, 'f', 'val')) + ['}']

    def chain_table(self, f, info):
        rows = []
        for child in info.children:
            c = self.proto.structs[child]
            rows.append('\t{ %s, sizeof(%s), %s },' % (c.stype, c.name,
                                                        f.need(self, 'self', c.name)))
        return ['static const struct vkr_fill_chain_entry %s_%s_chain[] = {'
                % (self.tag, info.name)] + rows + ['};', '']
