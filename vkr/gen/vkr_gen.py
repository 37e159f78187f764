#!/usr/bin/env python3
"""Venus protocol generator for virgl-next vkr.

Reads vk.xml (any 1.3.x/1.4.x registry) plus our Venus registry (venus_registry.py) and writes:
  vkr_proto.h          host types, argument structs, dispatch table types
  vkr_proto_host.c     request decoders, reply encoders, command table
  vkr_proto_info.c     extension table, capset extension mask
  vkr_proto_driver.h   test only: driver-side encoders, reply decoders, fillers, comparisons
  vkr_proto_driver.c

Modules: registry.py (vk.xml model), wire.py (wire-rule classification), emit_*.py (C).
Standard library only.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import emit_driver  # noqa: E402
import emit_host  # noqa: E402
import emit_pt  # noqa: E402
import registry  # noqa: E402
import venus_registry  # noqa: E402
import wire  # noqa: E402

OUTPUTS = {
    'vkr_proto.h': emit_host.header,
    'vkr_proto_host.c': emit_host.host_source,
    'vkr_proto_info.c': emit_host.info_source,
    'vkr_proto_pt.h': emit_pt.pt_header,
    'vkr_proto_pt.c': emit_pt.pt_source,
    'vkr_proto_driver.h': emit_driver.driver_header,
    'vkr_proto_driver.c': emit_driver.driver_source,
}


def write_if_changed(path, text):
    try:
        with open(path, encoding='utf-8') as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--xml', required=True, help='path of vk.xml')
    ap.add_argument('--out-dir', required=True)
    ap.add_argument('--verbose', action='store_true', help='print what was skipped and why')
    ap.add_argument('outputs', nargs='*', help='files to write (default: all)')
    args = ap.parse_args()

    reg = registry.load(args.xml, venus_registry.PRIVATE_XML)
    proto = wire.Protocol(reg)
    for name in args.outputs or OUTPUTS:
        name = os.path.basename(name)
        if name not in OUTPUTS:
            ap.error('unknown output %s' % name)
        text = '\n'.join(OUTPUTS[name](proto)) + '\n'
        write_if_changed(os.path.join(args.out_dir, name), text)
    if args.verbose:
        for w in proto.warnings:
            print('vkr_gen: %s' % w, file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
