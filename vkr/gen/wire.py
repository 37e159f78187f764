"""Wire-rule classification (spec sections 2 and 4.3).

Turns the registry model into the protocol: which commands and structs are generated, the wire
*shape* of every member and parameter, parameter directions, what a partial (out) struct carries,
and the pNext relations. Nothing here emits C.
"""

import re

import venus_registry as venus


class Unsupported(Exception):
    """A member, struct or command that cannot be serialized."""


# C scalar -> (wire kind, wire size). 8/16-bit scalars occupy 4 bytes (spec 2.2). `int` is absent
# on purpose: in vk.xml it only types file descriptors, which never cross the wire (a guest fd
# means nothing on the host), so structs carrying one (VkImportMemoryFdInfoKHR) are not decoded.
SCALARS = {
    'uint8_t': ('u8', 4), 'int8_t': ('i8', 4), 'uint16_t': ('u16', 4), 'int16_t': ('i16', 4),
    'uint32_t': ('u32', 4), 'int32_t': ('i32', 4),
    'uint64_t': ('u64', 8), 'int64_t': ('i64', 8),
    'float': ('f32', 4), 'double': ('f64', 8), 'size_t': ('size', 8),
}

NEVER_SERIALIZED_TYPES = {'VkBaseInStructure', 'VkBaseOutStructure'}


class Expr:
    """A C expression over sibling members or parameters. `template` names them as {name};
    `guards` are pointer siblings that must be non-NULL before the expression is evaluated."""

    def __init__(self, template, guards=()):
        self.template = template
        self.guards = tuple(guards)

    @property
    def refs(self):
        return re.findall(r'\{(\w+)\}', self.template)

    def render(self, access):
        return re.sub(r'\{(\w+)\}', lambda m: access(m.group(1)), self.template)

    def __repr__(self):
        return 'Expr(%s)' % self.template


class Shape:
    """How one value is encoded.

    kind        meaning (wire form)
    scalar      wire in u8 i8 u16 i16 u32 i32 u64 i64 f32 f64 size; ctype is the C type
    handle      u64 object id
    struct      inline struct (type)
    union       u32 tag + selected member (type)
    stype       u32 sType
    pnext       pNext chain (spec 2.5)
    fixed       T m[dim]: u64 dim + dim elements (elem); char/u8 elements packed
    ptr         u64 presence + elem
    array       u64 count + count elements (elem), count = `count` expression
    blob        void * with a byte length: u64 count + bytes
    string      u64 strlen+1 + bytes
    strings     u64 count + count strings
    null        a pointer we never serialize: always u64 0
    """

    def __init__(self, kind, **kw):
        self.kind = kind
        self.elem = kw.get('elem')
        self.wire = kw.get('wire')
        self.ctype = kw.get('ctype')
        self.type = kw.get('type')
        self.required = kw.get('required', False)  # handle: id 0 is malformed
        self.enum_values = kw.get('enum_values')  # plain enum scalar: the values vk.xml defines
        self.dim = kw.get('dim')
        self.count = kw.get('count')
        self.nullable = kw.get('nullable', False)
        self.cond = kw.get('cond')
        self.objtype = kw.get('objtype')
        self.direct = kw.get('direct', False)   # scalar: the C type is a typedef of the wire type

    @property
    def packed_bytes(self):
        """Elements are bytes packed and padded to 4 (u8 / char arrays)."""
        elem = self.elem
        return elem is not None and elem.kind == 'scalar' and elem.wire in ('u8', 'i8') \
            and elem.ctype in ('uint8_t', 'int8_t', 'char')

    def __repr__(self):
        return 'Shape(%s %s)' % (self.kind, self.type or self.wire or '')


class MemberInfo:
    """A struct member or command parameter with its shape.

    partial (struct members only): what the partial encoding of an out struct carries --
      'skip', 'full' (handles, counts of other members, sType), 'partial' (nested structs, pNext,
      arrays/pointers: their presence or count, then the partial elements)."""

    def __init__(self, member, shape):
        self.m = member
        self.name = member.name
        self.shape = shape
        self.partial = 'skip'
        self.direction = 'in'       # parameters: in, out, inout

    def __repr__(self):
        return 'MemberInfo(%s %r %s)' % (self.name, self.shape, self.direction)


class StructInfo:
    def __init__(self, t, members):
        self.name = t.name
        self.t = t
        self.kind = t.kind          # struct or union
        self.members = members
        self.stype = t.stype
        self.children = []          # structs allowed in the pNext chain (names)
        self.private = t.private
        self.allowduplicate = t.allowduplicate

    @property
    def has_pnext(self):
        return any(m.shape.kind == 'pnext' for m in self.members)

    def member(self, name):
        return next(m for m in self.members if m.name == name)


class CommandInfo:
    def __init__(self, cmd, value, params, ret):
        self.name = cmd.name
        self.cmd = cmd
        self.value = value
        self.params = params
        self.ret = ret              # Shape or None for void
        self.ret_ctype = cmd.ret
        self.aliases = sorted(cmd.aliases)
        self.policy_rejected = False

    @property
    def outs(self):
        return [p for p in self.params if p.direction != 'in']


def _eval_depends(expr, satisfied):
    """Evaluate a vk.xml depends expression: names, '+' (and), ',' (or), parentheses."""
    tokens = re.findall(r'[A-Za-z0-9_:]+|[+,()]', expr)
    pos = [0]

    def peek():
        return tokens[pos[0]] if pos[0] < len(tokens) else None

    def take():
        tok = peek()
        pos[0] += 1
        return tok

    def primary():
        tok = take()
        if tok == '(':
            val = disj()
            take()
            return val
        return tok.split('::')[0] in satisfied

    def conj():
        val = primary()
        while peek() == '+':
            take()
            val = primary() and val
        return val

    def disj():
        val = conj()
        while peek() == ',':
            take()
            val = conj() or val
        return val

    return disj()


class Protocol:
    def __init__(self, reg):
        self.reg = reg
        self.warnings = []
        self._serializable = {}
        self._reasons = {}
        self._extenders = {}
        self.structs = {}           # reachable structs and unions, by name
        self.commands = []          # generated commands, by value
        self.extensions = []        # allowed extensions present in the registry
        self._select()
        self._index_extenders()
        self._build_commands()

    def warn(self, msg):
        self.warnings.append(msg)

    # -- what the allow-list selects -----------------------------------------------------------

    def _select(self):
        reg = self.reg
        self.allowed_types = set()
        self.allowed_commands = []
        satisfied = {f.name for f in reg.features}
        for f in reg.features:
            self._allow(f.types, f.commands)
        for name in venus.extension_allow_list():
            ext = reg.extensions.get(name)
            if ext is None:
                self.warn('extension %s is not in this registry: skipped' % name)
                continue
            if not ext.usable:
                self.warn('extension %s is not usable (platform, provisional or disabled): '
                          'skipped' % name)
                continue
            self.extensions.append(ext)
            satisfied.add(name)
        for ext in self.extensions:
            for depends, types, cmds in ext.requires:
                if depends is None or _eval_depends(depends, satisfied):
                    self._allow(types, cmds)
        self.extensions.sort(key=lambda e: e.number)

    def _allow(self, types, cmds):
        for t in types:
            self.allowed_types.add(self.reg.resolve_type(t))
        for c in cmds:
            name = self.reg.resolve_command(c)
            if name not in self.allowed_commands:
                self.allowed_commands.append(name)

    def _index_extenders(self):
        for t in self.reg.types.values():
            if t.kind != 'struct':
                continue
            for parent in t.structextends:
                self._extenders.setdefault(self.reg.resolve_type(parent), []).append(t.name)

    # -- shapes --------------------------------------------------------------------------------

    def base_shape(self, type_name):
        t = self.reg.type(type_name)
        if t is None:
            raise Unsupported('unknown type %s' % type_name)
        name = t.name
        if t.kind == 'scalar':
            if name not in SCALARS:
                raise Unsupported('type %s has no wire form' % name)
            return Shape('scalar', wire=SCALARS[name][0], ctype=name, direct=True)
        if t.kind == 'basetype':
            if t.underlying not in SCALARS:
                raise Unsupported('base type %s' % name)
            return Shape('scalar', wire=SCALARS[t.underlying][0], ctype=name, direct=True)
        if t.kind == 'bitmask':
            return Shape('scalar', wire='u64' if t.underlying == 'VkFlags64' else 'u32', ctype=name,
                         direct=True)
        if t.kind == 'enum':
            if t.bitwidth == 64:     # 64-bit FlagBits are typedefs of VkFlags64
                return Shape('scalar', wire='u64', ctype=name, direct=True)
            # A plain enum: decoders accept only values vk.xml defines (drivers index tables
            # with them; VkCommandBufferLevel 512 crashed lavapipe). VkResult is only ever
            # an output; VkStructureType has its own rules.
            values = self.reg.enum_values.get(name)
            if values and name not in ('VkResult', 'VkStructureType'):
                return Shape('scalar', wire='i32', ctype=name, enum_values=sorted(values))
            return Shape('scalar', wire='i32', ctype=name)
        if t.kind == 'handle':
            return Shape('handle', type=name, objtype=t.objtype)
        if t.kind in ('struct', 'union'):
            if not self.serializable(name):
                raise Unsupported('%s is not serializable' % name)
            return Shape(t.kind, type=name)
        raise Unsupported('type %s (%s) has no wire form' % (name, t.kind))

    def _len_expr(self, owner, m, siblings):
        """The element count of a dynamic array member as an Expr over its siblings."""
        override = venus.LEN_OVERRIDES.get((owner, m.name))
        first = m.len[0]
        if override:
            template = override
        elif re.fullmatch(r'\w+(->\w+)?', first):
            template = None
        elif m.altlen:
            template = re.sub(r'\b([a-z]\w*)\b', r'{\1}', m.altlen)
        else:
            raise Unsupported('length expression %r of %s.%s' % (first, owner, m.name))
        if template is None:
            name, _, field = first.partition('->')
            ref = siblings.get(name)
            if ref is None:
                raise Unsupported('%s.%s: length %s is not a sibling' % (owner, m.name, first))
            if field:
                expr = Expr('{%s}->%s' % (name, field), guards=[name])
            elif ref.ptr:
                expr = Expr('(*{%s})' % name, guards=[name])
            else:
                expr = Expr('{%s}' % name)
        else:
            expr = Expr(template)
            for ref in expr.refs:
                if ref not in siblings or siblings[ref].ptr:
                    raise Unsupported('%s.%s: length %s' % (owner, m.name, template))
        order = list(siblings)
        for ref in expr.refs:
            if order.index(ref) > order.index(m.name):
                raise Unsupported('%s.%s: length %s is declared later' % (owner, m.name, ref))
        return expr

    def classify(self, owner, m, siblings):
        """Shape of member/parameter `m` of `owner` (siblings: {name: Member} in order)."""
        if m.bitfield:
            raise Unsupported('bit-field %s.%s' % (owner, m.name))
        if m.selector:
            raise Unsupported('union with selector %s.%s' % (owner, m.name))
        if m.name == 'sType' and m.type == 'VkStructureType' and not m.ptr:
            return Shape('stype')
        if m.name == 'pNext' and m.ptr == 1:
            return Shape('pnext')
        nullable = m.is_optional or m.noautovalidity
        cond = venus.CONDITIONAL_MEMBERS.get((owner, m.name))
        if cond is not None:
            cond = Expr(cond)
            nullable = True
        if m.dims:
            if len(m.dims) != 1 or m.ptr:
                raise Unsupported('multi-dimensional array %s.%s' % (owner, m.name))
            if m.type == 'char':
                elem = Shape('scalar', wire='u8', ctype='char')
            else:
                elem = self.base_shape(m.type)
            if self.reg.constant(m.dims[0]) is None:
                raise Unsupported('array size %s of %s.%s' % (m.dims[0], owner, m.name))
            if elem.kind == 'scalar' and elem.wire in ('u16', 'i16'):
                raise Unsupported('16-bit array %s.%s (no wire rule)' % (owner, m.name))
            return Shape('fixed', elem=elem, dim=m.dims[0])
        if m.ptr == 0:
            shape = self.base_shape(m.type)
            if shape.kind == 'handle' and not nullable:
                # A required handle: id 0 would reach the driver as VK_NULL_HANDLE.
                shape = Shape('handle', type=shape.type, objtype=shape.objtype, required=True)
            return shape
        if m.ptr == 1:
            if m.len and m.len[0] == 'null-terminated':
                if m.type != 'char':
                    raise Unsupported('null-terminated %s.%s' % (owner, m.name))
                return Shape('string', nullable=nullable)
            if m.len:
                count = self._len_expr(owner, m, siblings)
                if m.type == 'void':
                    return Shape('blob', count=count, nullable=nullable, cond=cond)
                if m.type == 'char':
                    elem = Shape('scalar', wire='u8', ctype='char')
                else:
                    elem = self.base_shape(m.type)
                if elem.kind == 'scalar' and elem.wire in ('u16', 'i16'):
                    raise Unsupported('16-bit array %s.%s (no wire rule)' % (owner, m.name))
                return Shape('array', elem=elem, count=count, nullable=nullable, cond=cond)
            try:
                return Shape('ptr', elem=self.base_shape(m.type), nullable=nullable)
            except Unsupported:
                if m.is_optional:
                    return Shape('null')
                raise
        if m.ptr == 2 and m.type == 'char' and m.len and len(m.len) == 2 \
                and m.len[1] == 'null-terminated':
            count = self._len_expr(owner, m, siblings)
            return Shape('strings', count=count, nullable=nullable)
        if m.is_optional:
            return Shape('null')
        raise Unsupported('pointer %s.%s' % (owner, m.name))

    def serializable(self, name):
        if name in self._serializable:
            return self._serializable[name] is not None
        self._serializable[name] = True     # provisional, breaks cycles
        t = self.reg.type(name)
        try:
            if name in NEVER_SERIALIZED_TYPES:
                raise Unsupported('%s is never serialized' % name)
            self._serializable[name] = self._struct_members(t)
        except Unsupported as e:
            self._serializable[name] = None
            self._reasons[name] = str(e)
        return self._serializable[name] is not None

    def _struct_members(self, t):
        siblings = {m.name: m for m in t.members}
        infos = [MemberInfo(m, self.classify(t.name, m, siblings)) for m in t.members]
        if t.kind == 'struct':
            counts = set()
            for i in infos:
                if i.shape.count is not None:
                    counts.update(i.shape.count.refs)
            for i in infos:
                i.partial = self._partial_mode(i, counts)
        return infos

    @staticmethod
    def _partial_mode(info, counts):
        kind = info.shape.kind
        if kind == 'stype' or kind == 'handle' or kind == 'null':
            return 'full'
        if kind == 'scalar':
            return 'full' if info.name in counts else 'skip'
        if kind in ('struct', 'pnext', 'ptr', 'array', 'blob'):
            return 'partial'
        if kind == 'fixed' and info.shape.elem.kind in ('struct', 'handle'):
            return 'partial'
        return 'skip'

    # -- reachability ----------------------------------------------------------------------------

    def _reach(self, shape):
        while shape is not None:
            if shape.kind in ('struct', 'union'):
                self._reach_struct(shape.type)
            shape = shape.elem

    def _reach_struct(self, name):
        if name in self.structs:
            return
        t = self.reg.type(name)
        info = StructInfo(t, self._serializable[name])
        self.structs[name] = info
        for m in info.members:
            self._reach(m.shape)
        if info.has_pnext:
            for child in self._extenders.get(name, []):
                if child not in self.allowed_types:
                    continue
                if not self.serializable(child):
                    self.warn('pNext %s -> %s skipped: %s' % (name, child, self._reasons[child]))
                    continue
                info.children.append(child)
                self._reach_struct(child)

    def _build_commands(self):
        values = venus.command_types()
        for name in self.allowed_commands:
            cmd = self.reg.commands.get(name)
            if cmd is None:
                continue
            names = {name} | cmd.aliases
            if names & venus.NEVER_GENERATED:
                continue
            numbered = sorted({values[n] for n in names if n in values})
            if not numbered:
                self.warn('command %s has no VkCommandTypeEXT value: skipped' % name)
                continue
            if len(numbered) > 1:
                raise ValueError('command %s has several values %s' % (name, numbered))
            try:
                info = self._command(cmd, numbered[0])
            except Unsupported as e:
                self.warn('command %s skipped: %s' % (name, e))
                continue
            info.policy_rejected = bool(names & venus.POLICY_REJECTED)
            self.commands.append(info)
        self.commands.sort(key=lambda c: c.value)
        seen = {}
        for c in self.commands:
            if c.value in seen:
                raise ValueError('value %d used by %s and %s' % (c.value, seen[c.value], c.name))
            seen[c.value] = c.name
        for c in self.commands:
            for p in c.params:
                self._reach(p.shape)
            if c.ret is not None:
                self._reach(c.ret)
        self.max_value = max(values.values())
        self._check_acyclic()

    def _check_acyclic(self):
        """Nested structs (not pNext chains) must form a DAG: the generated decoders recurse
        along it, so a cycle would let a guest nest structs without bound."""
        state = {}

        def inner_types(shape):
            while shape is not None:
                if shape.kind in ('struct', 'union'):
                    yield shape.type
                shape = shape.elem

        def visit(name, path):
            if state.get(name) == 'done':
                return
            if state.get(name) == 'active':
                raise ValueError('struct cycle: %s' % ' -> '.join(path + [name]))
            state[name] = 'active'
            for m in self.structs[name].members:
                for t in inner_types(m.shape):
                    visit(t, path + [name])
            state[name] = 'done'

        for name in self.structs:
            visit(name, [])

    def _command(self, cmd, value):
        siblings = {p.name: p for p in cmd.params}
        params = [MemberInfo(p, self.classify(cmd.name, p, siblings)) for p in cmd.params]
        counted = set()
        for p in params:
            if p.m.len:
                counted.add(p.m.len[0].split('->')[0])
        for p in params:
            if (cmd.name, p.name) in venus.INOUT_PARAMS:
                p.direction = 'inout'
            elif p.m.ptr and not p.m.const:
                p.direction = 'inout' if p.name in counted else 'out'
            if p.direction != 'in' and p.shape.kind not in ('ptr', 'array', 'blob'):
                raise Unsupported('out parameter %s of shape %s' % (p.name, p.shape.kind))
        ret = None if cmd.ret == 'void' else self.base_shape(cmd.ret)
        return CommandInfo(cmd, value, params, ret)

    # -- facts for emitters --------------------------------------------------------------------

    def min_size(self, shape, partial=False):
        """A lower bound of the encoded size of a value of this shape (bytes)."""
        kind = shape.kind
        if partial and kind in ('scalar', 'string', 'strings'):
            return 0        # not part of a partial encoding
        if kind == 'scalar':
            return 8 if shape.wire in ('u64', 'i64', 'f64', 'size') else 4
        if kind == 'handle':
            return 8
        if kind == 'stype':
            return 4
        if kind == 'struct':
            info = self.structs[shape.type]
            total = 0
            for m in info.members:
                if partial and m.partial == 'skip':
                    continue
                total += self.min_size(m.shape, partial and m.partial == 'partial')
            return total
        if kind == 'union':
            if partial:
                return 0
            return 4 + min(self.min_size(m.shape) for m in self.structs[shape.type].members)
        if kind == 'fixed':
            n = self.reg.constant(shape.dim) or 0
            if shape.packed_bytes:
                return 8 + (n + 3) // 4 * 4
            if partial and shape.elem.kind not in ('struct', 'handle'):
                return 0
            return 8 + n * self.min_size(shape.elem, partial)
        return 8

    def vk_xml_version(self):
        return self.reg.version
