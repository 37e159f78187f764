#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes tests/piglit/list.txt: a fixed, spread-out sample of Debian's piglit.

Categories follow issue #3: GL 1.x-4.5 spec tests, GLSL 1.10-4.50 shader_runner
tests, FBOs, texturing, transform feedback, queries and compute. Within a
category, tests are picked by a stable hash of their name (not alphabetically),
so the sample spreads over the whole category and is the same on every machine.
Rerun after a piglit upgrade: python3 tests/piglit/make-list.py > tests/piglit/list.txt
"""
import ast
import gzip
import hashlib
import sys
import xml.etree.ElementTree as ET

PIGLIT = '/usr/lib/x86_64-linux-gnu/piglit'

# (label, profile list, name prefixes, how many)
CATEGORIES = [
    ('gl-1.x', 'quick_gl', ['spec@!opengl 1.0@', 'spec@!opengl 1.1@', 'spec@!opengl 1.2@',
                            'spec@!opengl 1.4@', 'spec@!opengl 1.5@'], 40),
    ('gl-2.x', 'quick_gl', ['spec@!opengl 2.0@', 'spec@!opengl 2.1@'], 20),
    ('gl-3.x', 'quick_gl', ['spec@!opengl 3.0@', 'spec@!opengl 3.1@', 'spec@!opengl 3.2@',
                            'spec@!opengl 3.3@'], 30),
    ('gl-4.x', 'quick_gl', ['spec@!opengl 4.'], 9),
    ('fbo', 'quick_gl', ['spec@arb_framebuffer_object@', 'spec@ext_framebuffer_object@',
                         'spec@ext_framebuffer_blit@', 'spec@ext_packed_depth_stencil@'], 40),
    ('texturing', 'quick_gl', ['spec@arb_texture_rg@', 'spec@ext_texture_array@',
                               'spec@arb_texture_storage@', 'spec@arb_texture_view@',
                               'spec@arb_sampler_objects@', 'spec@arb_copy_image@',
                               'spec@arb_clear_texture@', 'spec@arb_depth_texture@'], 45),
    ('transform-feedback', 'quick_gl', ['spec@ext_transform_feedback@',
                                        'spec@arb_transform_feedback2@',
                                        'spec@arb_transform_feedback3@'], 30),
    ('queries', 'quick_gl', ['spec@arb_occlusion_query@', 'spec@arb_occlusion_query2@',
                             'spec@arb_timer_query@', 'spec@ext_timer_query@',
                             'spec@arb_pipeline_statistics_query@',
                             'spec@arb_query_buffer_object@'], 20),
    ('compute', 'quick_gl', ['spec@arb_compute_shader@'], 10),
    ('compute-shader', 'quick_shader', ['spec@arb_compute_shader@'], 15),
    ('glsl-1.10', 'quick_shader', ['spec@glsl-1.10@execution@'], 40),
    ('glsl-1.20', 'quick_shader', ['spec@glsl-1.20@execution@'], 25),
    ('glsl-1.30', 'quick_shader', ['spec@glsl-1.30@execution@'], 25),
    ('glsl-1.40', 'quick_shader', ['spec@glsl-1.40@execution@'], 15),
    ('glsl-1.50', 'quick_shader', ['spec@glsl-1.50@execution@'], 25),
    ('glsl-4.00', 'quick_shader', ['spec@glsl-4.00@execution@'], 15),
    ('glsl-4.10', 'quick_shader', ['spec@glsl-4.10@execution@'], 5),
    ('glsl-4.20', 'quick_shader', ['spec@glsl-4.20@execution@'], 10),
    ('glsl-4.30', 'quick_shader', ['spec@glsl-4.30@execution@'], 10),
    ('glsl-4.40', 'quick_shader', ['spec@glsl-4.40@execution@'], 5),
    ('glsl-4.50', 'quick_shader', ['spec@glsl-4.50@execution@'], 5),
    ('ubo-ssbo', 'quick_shader', ['spec@arb_uniform_buffer_object@execution@',
                                  'spec@arb_shader_storage_buffer_object@execution@'], 15),
    # The extensions GL 4.4 and 4.5 add (issue #5): appended last so the sample above
    # stays the same.
    ('cull-distance', 'quick_gl', ['spec@arb_cull_distance@'], 8),
    ('cull-distance-shader', 'quick_shader', ['spec@arb_cull_distance@'], 8),
    ('buffer-storage', 'quick_gl', ['spec@arb_buffer_storage@'], 6),
    ('clear-texture', 'quick_gl', ['spec@arb_clear_texture@'], 6),
    ('gl-4.4-4.5', 'quick_gl', ['spec@arb_query_buffer_object@', 'spec@arb_texture_barrier@',
                                'spec@arb_clip_control@',
                                'spec@arb_conditional_render_inverted@',
                                'spec@arb_texture_stencil8@',
                                'spec@arb_texture_mirror_clamp_to_edge@',
                                'spec@arb_enhanced_layouts@'], 12),
    ('enhanced-layouts', 'quick_shader', ['spec@arb_enhanced_layouts@'], 24),
    ('gl-4.5-shader', 'quick_shader', ['spec@arb_derivative_control@',
                                       'spec@arb_shader_texture_image_samples@'], 8),
]


def load(profile):
    root = ET.parse(gzip.open(f'{PIGLIT}/tests/{profile}.xml.gz')).getroot()
    tests = {}
    for t in root:
        opts = {o.get('name'): o.get('value') for o in t}
        cmd = ast.literal_eval(opts['command'])
        # Tests needing concurrency-unsafe window-system behaviour are kept; only the
        # command is recorded. -auto everywhere, -fbo renders offscreen on surfaceless EGL.
        tests[t.get('name')] = cmd
    return tests


def stable_key(name):
    return hashlib.sha1(name.encode()).hexdigest()


def main():
    profiles = {}
    seen = set()
    for label, profile, prefixes, count in CATEGORIES:
        tests = profiles.setdefault(profile, load(profile))
        names = sorted((n for n in tests if any(n.startswith(p) for p in prefixes)
                        and n not in seen), key=stable_key)[:count]
        for n in sorted(names):
            seen.add(n)
            cmd = ' '.join(tests[n])
            print(f'{label}\t{n}\t{cmd}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
