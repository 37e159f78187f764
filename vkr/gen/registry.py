"""Registry model: what vk.xml (plus our Venus additions) says, without wire semantics.

Only the parts the Venus generator needs are modelled: types (struct, union, handle, enum, bitmask,
base types), commands, core features and extensions. Entities restricted to other APIs
(`api="vulkansc"`) are dropped while parsing. Aliases are resolved to canonical names.
"""

import re
import xml.etree.ElementTree as ET

C_SCALARS = {
    'uint8_t', 'int8_t', 'uint16_t', 'int16_t', 'uint32_t', 'int32_t', 'uint64_t', 'int64_t',
    'float', 'double', 'size_t', 'int', 'char', 'void',
}


def _for_vulkan(elem):
    """True if the element applies to the plain Vulkan API (no api attribute or 'vulkan' listed)."""
    api = elem.get('api')
    return api is None or 'vulkan' in api.split(',')


def _decl_text(elem):
    """The C declaration text of a <member>/<param>/<proto>, without <comment> children."""
    parts = [elem.text or '']
    for child in elem:
        if child.tag != 'comment':
            parts.append(child.text or '')
        parts.append(child.tail or '')
    return ''.join(parts)


class Member:
    """One struct/union member or command parameter."""

    def __init__(self, elem):
        self.name = elem.find('name').text
        self.type = elem.find('type').text
        decl = _decl_text(elem)
        before, _, after_type = decl.partition(self.type)
        type_tail, _, after_name = after_type.partition(self.name)
        self.const = 'const' in before
        self.ptr = type_tail.count('*')
        # const-ness of the pointer itself at the second level ("const char* const*")
        self.inner_const = 'const' in type_tail
        self.dims = re.findall(r'\[([^\]]+)\]', after_name)
        self.bitfield = ':' in after_name
        self.len = self._split(elem.get('len'))
        self.altlen = elem.get('altlen')
        opt = self._split(elem.get('optional'))
        self.optional = [o == 'true' for o in opt] if opt else []
        self.noautovalidity = elem.get('noautovalidity') == 'true'
        self.values = elem.get('values')
        self.selector = elem.get('selector')

    @staticmethod
    def _split(value):
        return value.split(',') if value else None

    @property
    def is_optional(self):
        """The outermost pointer (or the value) may be NULL / zero."""
        return bool(self.optional) and self.optional[0]

    def c_decl(self, type_name=None):
        """The member as a C declaration (used for our own private structs)."""
        t = type_name or self.type
        s = ('const ' if self.const else '') + t + ' ' + '*' * self.ptr + self.name
        for d in self.dims:
            s += '[%s]' % d
        return s

    def __repr__(self):
        return 'Member(%s %s%s)' % (self.type, '*' * self.ptr, self.name)


class Type:
    """A named type. kind: struct, union, handle, enum, bitmask, basetype, funcpointer, scalar,
    external (platform/opaque), define."""

    def __init__(self, name, kind):
        self.name = name
        self.kind = kind
        self.members = []
        self.structextends = []
        self.returnedonly = False
        self.allowduplicate = False
        self.underlying = None      # basetype/bitmask: the C type it is a typedef of
        self.bitwidth = 32          # enums: 64 for 64-bit FlagBits
        self.dispatchable = False   # handles
        self.objtype = None         # handles: VK_OBJECT_TYPE_*
        self.stype = None           # structs: VK_STRUCTURE_TYPE_* name
        self.private = False        # defined by our Venus registry, not by the Vulkan headers

    def __repr__(self):
        return 'Type(%s, %s)' % (self.kind, self.name)


class Command:
    def __init__(self, name, ret, params):
        self.name = name
        self.ret = ret              # return type name ('void' for none)
        self.params = params
        self.aliases = set()
        self.private = False


class Extension:
    def __init__(self, elem):
        self.name = elem.get('name')
        self.number = int(elem.get('number'))
        self.ext_type = elem.get('type')
        self.supported = (elem.get('supported') or '').split(',')
        self.platform = elem.get('platform')
        self.provisional = elem.get('provisional') == 'true'
        self.spec_version = 0
        self.requires = []          # [(depends expression or None, [type names], [command names])]
        self.private = False
        for req in elem.findall('require'):
            if not _for_vulkan(req):
                continue
            depends = req.get('depends') or req.get('extension') or req.get('feature')
            types = [t.get('name') for t in req.findall('type')]
            cmds = [c.get('name') for c in req.findall('command')]
            self.requires.append((depends, types, cmds))
            for e in req.findall('enum'):
                name = e.get('name') or ''
                if name.endswith('_SPEC_VERSION') and (e.get('value') or '').isdigit():
                    self.spec_version = int(e.get('value'))

    @property
    def usable(self):
        """Supported for Vulkan and defined in vulkan_core.h (no platform, not provisional)."""
        return 'vulkan' in self.supported and not self.platform and not self.provisional


def _int(text):
    """An enum value as vk.xml writes it: decimal, hex, possibly negative, maybe with a U."""
    text = text.strip().rstrip('U')
    return int(text, 0)


class Feature:
    def __init__(self, elem):
        self.name = elem.get('name')
        self.number = elem.get('number')
        self.types = []
        self.commands = []
        for req in elem.findall('require'):
            if not _for_vulkan(req):
                continue
            self.types += [t.get('name') for t in req.findall('type')]
            self.commands += [c.get('name') for c in req.findall('command')]


class Registry:
    def __init__(self):
        self.types = {}
        self.type_alias = {}
        self.commands = {}
        self.command_alias = {}
        self.extensions = {}
        self.features = []
        self.bitwidths = {}
        self.constants = {}         # API constants with integer values
        self.constant_alias = {}
        # Values of each plain enum type (not FlagBits), from its <enums> block and from every
        # <enum extends=...> of any feature or extension: a superset of what a guest may send.
        self.enum_values = {}
        self.plain_enums = set()    # names of <enums type="enum"> blocks (FlagBits excluded)
        self.private_enums = []     # [(name, value)] constants our registry defines
        self.header_version = None
        self.api_version = None     # (major, minor, patch) of the registry

    # -- loading ---------------------------------------------------------------------------

    def load(self, root, private=False):
        types = root.find('types')
        if types is not None:
            for t in types.findall('type'):
                if _for_vulkan(t):
                    self._add_type(t, private)
        for enums in root.findall('enums'):
            if enums.get('bitwidth'):
                self.bitwidths[enums.get('name')] = int(enums.get('bitwidth'))
            if enums.get('name') == 'API Constants':
                for e in enums.findall('enum'):
                    value = e.get('value') or ''
                    if re.fullmatch(r'\d+U?', value):
                        self.constants[e.get('name')] = int(value.rstrip('U'))
                    elif e.get('alias'):
                        self.constant_alias[e.get('name')] = e.get('alias')
            if enums.get('type') == 'enum':
                self.plain_enums.add(enums.get('name'))
                values = self.enum_values.setdefault(enums.get('name'), set())
                for e in enums.findall('enum'):
                    if e.get('value') is not None:
                        values.add(_int(e.get('value')))
            if private:
                self.private_enums += [(e.get('name'), e.get('value'))
                                       for e in enums.findall('enum')]
        cmds = root.find('commands')
        if cmds is not None:
            for c in cmds.findall('command'):
                if _for_vulkan(c):
                    self._add_command(c, private)
        for f in root.findall('feature'):
            if _for_vulkan(f):
                self.features.append(Feature(f))
            self._add_enum_extensions(f, None)
        for e in root.iter('extension'):
            self._add_enum_extensions(e, int(e.get('number') or 0))
        exts = root.find('extensions')
        if exts is not None:
            for e in exts.findall('extension'):
                ext = Extension(e)
                ext.private = private
                # Our records replace the disabled placeholders of the same number.
                if private:
                    for old in [x for x in self.extensions.values() if x.number == ext.number]:
                        del self.extensions[old.name]
                self.extensions[ext.name] = ext

    def _add_enum_extensions(self, elem, ext_number):
        """<enum extends="T"> values added by a feature or an extension (aliases and bit
        positions carry no new value)."""
        for req in elem.findall('require'):
            for e in req.findall('enum'):
                target = e.get('extends')
                if not target or e.get('alias') or e.get('bitpos') is not None:
                    continue
                if e.get('value') is not None:
                    value = _int(e.get('value'))
                elif e.get('offset') is not None:
                    number = int(e.get('extnumber') or ext_number or 0)
                    value = 1000000000 + (number - 1) * 1000 + int(e.get('offset'))
                    if e.get('dir') == '-':
                        value = -value
                else:
                    continue
                self.enum_values.setdefault(target, set()).add(value)

    def finish(self):
        # Values extending a FlagBits type are bits, not a closed set: keep plain enums only.
        self.enum_values = {k: v for k, v in self.enum_values.items() if k in self.plain_enums}
        for name, width in self.bitwidths.items():
            t = self.types.get(name)
            if t is not None:
                t.bitwidth = width
        for alias, target in list(self.command_alias.items()):
            c = self.commands.get(self.resolve_command(alias))
            if c is not None:
                c.aliases.add(alias)

    def _add_type(self, t, private):
        cat = t.get('category')
        name = t.get('name') or (t.find('name').text if t.find('name') is not None else None)
        if name is None:
            return
        if t.get('alias'):
            self.type_alias[name] = t.get('alias')
            return
        if cat in ('struct', 'union'):
            ty = Type(name, cat)
            ty.members = [Member(m) for m in t.findall('member') if _for_vulkan(m)]
            extends = t.get('structextends')
            ty.structextends = extends.split(',') if extends else []
            ty.returnedonly = t.get('returnedonly') == 'true'
            ty.allowduplicate = t.get('allowduplicate') == 'true'
            for m in ty.members:
                if m.name == 'sType' and m.values:
                    ty.stype = m.values.split(',')[0]
        elif cat == 'handle':
            ty = Type(name, 'handle')
            ty.dispatchable = (t.find('type').text == 'VK_DEFINE_HANDLE')
            ty.objtype = t.get('objtypeenum')
        elif cat == 'enum':
            ty = Type(name, 'enum')
        elif cat == 'bitmask':
            ty = Type(name, 'bitmask')
            ty.underlying = t.find('type').text
        elif cat == 'basetype':
            sub = t.find('type')
            text = ''.join(t.itertext())
            if sub is not None and '*' not in text:
                ty = Type(name, 'basetype')
                ty.underlying = sub.text
            else:
                ty = Type(name, 'external')
        elif cat == 'funcpointer':
            ty = Type(name, 'funcpointer')
        elif cat == 'define':
            ty = Type(name, 'define')
            text = ''.join(t.itertext())
            if name == 'VK_HEADER_VERSION':
                self.header_version = int(text.split()[-1])
            elif name == 'VK_HEADER_VERSION_COMPLETE':
                m = re.search(r'\(\s*\d+\s*,\s*(\d+)\s*,\s*(\d+)\s*,', text)
                if m:
                    self.api_version = (int(m.group(1)), int(m.group(2)))
        elif cat is None and name in C_SCALARS:
            ty = Type(name, 'scalar')
        else:
            ty = Type(name, 'external')
        ty.private = private
        self.types[name] = ty

    def _add_command(self, c, private):
        if c.get('alias'):
            self.command_alias[c.get('name')] = c.get('alias')
            return
        proto = c.find('proto')
        name = proto.find('name').text
        params = [Member(p) for p in c.findall('param') if _for_vulkan(p)]
        cmd = Command(name, proto.find('type').text, params)
        cmd.private = private
        self.commands[name] = cmd

    # -- queries ---------------------------------------------------------------------------

    def resolve_type(self, name):
        seen = set()
        while name in self.type_alias and name not in seen:
            seen.add(name)
            name = self.type_alias[name]
        return name

    def resolve_command(self, name):
        seen = set()
        while name in self.command_alias and name not in seen:
            seen.add(name)
            name = self.command_alias[name]
        return name

    def type(self, name):
        return self.types.get(self.resolve_type(name))

    def constant(self, text):
        """Integer value of an array dimension (literal or API constant), or None."""
        if text.isdigit():
            return int(text)
        seen = set()
        while text in self.constant_alias and text not in seen:
            seen.add(text)
            text = self.constant_alias[text]
        return self.constants.get(text)

    @property
    def version(self):
        """(major, minor, patch) of the registry."""
        major, minor = self.api_version or (1, 0)
        return (major, minor, self.header_version or 0)


def load(vk_xml_path, private_xml_text):
    reg = Registry()
    reg.load(ET.parse(vk_xml_path).getroot())
    reg.load(ET.fromstring(private_xml_text), private=True)
    reg.finish()
    return reg
