"""Emission of vkr_proto_pt.[ch]: pass-through handlers.

For every generated command that is not private and not refused by policy, a handler that calls
the host function with the decoded (already id-translated) arguments. Object creation and
destruction go through hooks the backend implements (vkr/vkr_pt_hooks.h):
  - creation: the guest-chosen ids of the out handles are checked (non-zero, unused) before the
    call and bound to the new host handles after it; the reply echoes the ids;
  - destruction: the handle's binding is dropped after the call; destroying or resetting a pool
    also drops the bindings of its children.
The backend overrides the handlers it writes by hand after vkr_pt_install().
"""

from emit_host import banner
from emit_c import indent

# Pools whose children (allocated from them) die with them.
POOL_ALLOC = {
    'vkAllocateCommandBuffers': 'pAllocateInfo->commandPool',
    'vkAllocateDescriptorSets': 'pAllocateInfo->descriptorPool',
}
POOL_DROP = {
    'vkDestroyCommandPool': 'commandPool',
    'vkDestroyDescriptorPool': 'descriptorPool',
    'vkResetDescriptorPool': 'descriptorPool',
}


def usable(c):
    return not c.policy_rejected and not c.cmd.private


def _out_handle(p):
    """(kind, shape of the handle) for an out parameter that creates objects, else None."""
    if p.direction != 'out':
        return None
    s = p.shape
    if s.kind in ('ptr', 'array') and s.elem is not None and s.elem.kind == 'handle':
        return s.kind, s.elem
    return None


def _destroyed(c):
    """(param, count expression or None, objtype) of the object a destroy/free command drops."""
    if not (c.name.startswith('vkDestroy') or c.name.startswith('vkFree')):
        return None
    handles = [p for p in c.params[1:] if p.direction == 'in' and
               (p.shape.kind == 'handle' or
                (p.shape.kind == 'array' and p.shape.elem.kind == 'handle'))]
    if not handles:
        return None
    p = handles[-1]
    if p.shape.kind == 'handle':
        return p, None, p.shape.objtype
    if p.shape.kind == 'array' and p.shape.elem.kind == 'handle':
        return p, p.shape.count, p.shape.elem.objtype
    return None


def pt_header(proto):
    out = banner(proto, 'Venus protocol: host function table and pass-through handlers.')
    out += ['#ifndef VKR_PROTO_PT_H', '#define VKR_PROTO_PT_H', '', '#include "vkr_proto.h"', '',
            '/* Host entry points, resolved with vkGetInstanceProcAddr (NULL: not offered). */',
            'struct vkr_procs {']
    out += ['\tPFN_%s %s;' % (c.name, c.name) for c in proto.commands if usable(c)]
    out += ['};', '',
            'void vkr_procs_load(struct vkr_procs *procs, PFN_vkGetInstanceProcAddr gipa,',
            '\t\t    VkInstance instance);',
            '/* Installs a pass-through handler for every command. */',
            'void vkr_pt_install(struct vkr_dispatch *dispatch);',
            '/* Every object type a pass-through handler creates (teardown must know them all). */',
            'extern const VkObjectType vkr_pt_created_types[];',
            'extern const uint32_t vkr_pt_num_created_types;', '',
            '#endif /* VKR_PROTO_PT_H */']
    return out


def pt_source(proto):
    out = banner(proto, 'Venus protocol: pass-through handlers.')
    out += ['#include <stdlib.h>', '', '#include "vkr_proto_pt.h"', '#include "vkr_pt_hooks.h"', '',
            'void vkr_procs_load(struct vkr_procs *procs, PFN_vkGetInstanceProcAddr gipa,',
            '\t\t    VkInstance instance)', '{']
    for c in proto.commands:
        if usable(c):
            out.append('\tprocs->%s = (PFN_%s)gipa(instance, "%s");' % (c.name, c.name, c.name))
    out += ['}', '']
    install = []
    for c in proto.commands:
        if not usable(c):
            continue
        out += handler(c)
        install.append('\tdispatch->%s = pt_%s;' % (c.name, c.name))
    out += ['void vkr_pt_install(struct vkr_dispatch *dispatch)', '{'] + install + ['}', '']
    types = sorted({_out_handle(p)[1].objtype for c in proto.commands if usable(c)
                    for p in c.params if _out_handle(p)})
    out += ['const VkObjectType vkr_pt_created_types[] = {'] + ['\t%s,' % t for t in types]
    out += ['};', 'const uint32_t vkr_pt_num_created_types = %d;' % len(types)]
    return out


def handler(c):
    def acc(n):
        return 'args->' + n
    call_args = ', '.join('args->' + p.name for p in c.params)
    call = 'procs->%s(%s)' % (c.name, call_args)
    body = ['struct vkr_procs *procs = vkr_pt_procs(dispatch);',
            'if (!procs || !procs->%s)' % c.name, '\treturn -ENOTSUP;']
    creates = [(p, _out_handle(p)) for p in c.params if _out_handle(p)]
    destroy = _destroyed(c)
    parent = 'VKR_HANDLE_TO_ID(args->%s)' % c.params[0].name if c.params else '0'
    if c.name in POOL_ALLOC:
        parent = 'VKR_HANDLE_TO_ID(args->%s)' % POOL_ALLOC[c.name]
    if creates:
        if len(creates) != 1:
            raise ValueError('%s creates several kinds of objects' % c.name)
        p, (kind, hs) = creates[0]
        if kind == 'ptr':
            body += ['if (!args->%s)' % p.name, '\treturn -EPROTO;',
                     'const uint64_t id_ = VKR_HANDLE_TO_ID(*args->%s);' % p.name,
                     'VKR_TRY(vkr_pt_check_new(dispatch, id_));']
            body += invoke(c, call)
            body += ['if (%s) {' % ok(c),
                     '\tint r_ = vkr_pt_add(dispatch, %s, id_, VKR_HANDLE_TO_ID(*args->%s), %s);'
                     % (hs.objtype, p.name, parent),
                     '\tif (r_)', '\t\treturn r_;', '}',
                     '*args->%s = VKR_ID_TO_HANDLE(%s, id_);' % (p.name, hs.type)]
        else:
            count = p.shape.count.render(acc)
            guards = ' && '.join('args->%s' % g for g in p.shape.count.guards)
            n = '((%s) ? (uint64_t)(%s) : 0)' % (guards, count) if guards else '(uint64_t)(%s)' % count
            body += ['const uint64_t n_ = args->%s ? %s : 0;' % (p.name, n),
                     'uint64_t *ids_ = n_ ? calloc(n_, sizeof(uint64_t)) : NULL;',
                     'if (n_ && !ids_)', '\treturn -ENOMEM;',
                     'for (uint64_t i_ = 0; i_ < n_; i_++) {',
                     '\tids_[i_] = VKR_HANDLE_TO_ID(args->%s[i_]);' % p.name,
                     '\tint r_ = vkr_pt_check_new(dispatch, ids_[i_]);',
                     '\tfor (uint64_t j_ = 0; !r_ && j_ < i_; j_++)',
                     '\t\tr_ = ids_[j_] == ids_[i_] ? -EEXIST : 0;',
                     '\tif (r_) {', '\t\tfree(ids_);', '\t\treturn r_;', '\t}', '}']
            body += invoke(c, call)
            body += ['int r_ = 0;',
                     'for (uint64_t i_ = 0; i_ < n_; i_++) {',
                     '\tconst uint64_t h_ = VKR_HANDLE_TO_ID(args->%s[i_]);' % p.name,
                     '\tif (%s && h_ && !r_)' % ok(c),
                     '\t\tr_ = vkr_pt_add(dispatch, %s, ids_[i_], h_, %s);' % (hs.objtype, parent),
                     '\t/* A slot that failed (pipelines) reads NULL: id 0 in the reply. */',
                     '\targs->%s[i_] = VKR_ID_TO_HANDLE(%s, %s && h_ ? ids_[i_] : 0);'
                     % (p.name, hs.type, ok(c)),
                     '}', 'free(ids_);', 'return r_;']
            return fn(c, body)
    elif destroy:
        p, count, objtype = destroy
        if count is not None:
            # noautovalidity: the array may be NULL with a non-zero count (spec 2.8).
            body += ['if (!args->%s && (%s))' % (p.name, count.render(acc)), '\treturn -EPROTO;']
        body += invoke(c, call)
        if count is None:
            body += ['vkr_pt_remove(dispatch, %s, VKR_HANDLE_TO_ID(args->%s));' % (objtype, p.name)]
        else:
            body += ['if (args->%s) {' % p.name,
                     '\tfor (uint64_t i_ = 0; i_ < (uint64_t)(%s); i_++)' % count.render(acc),
                     '\t\tvkr_pt_remove(dispatch, %s, VKR_HANDLE_TO_ID(args->%s[i_]));'
                     % (objtype, p.name), '}']
    else:
        body += invoke(c, call)
    if c.name in POOL_DROP:
        body += ['vkr_pt_remove_children(dispatch, VKR_HANDLE_TO_ID(args->%s));' % POOL_DROP[c.name]]
    body.append('return 0;')
    return fn(c, body)


def ok(c):
    return 'args->ret >= 0' if c.ret is not None else 'true'


def invoke(c, call):
    if c.ret is not None:
        return ['args->ret = %s;' % call]
    return ['%s;' % call]


def fn(c, body):
    return (['static int pt_%s(struct vkr_dispatch *dispatch, struct vkr_cmd_%s *args)'
             % (c.name, c.name), '{'] + indent(body) + ['}', ''])
