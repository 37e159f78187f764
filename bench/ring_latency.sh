#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Venus ring pick-up latency versus idle gap (bench/ring_latency.c): how long a submission
# waits before the ring thread notices it, after the ring had nothing to do for 0-1500 us.
#
#   bench/ring_latency.sh [BUILD_DIR] [--reps N]
#   nice -n -20 bench/ring_latency.sh build --reps 500   # on a shared machine (root)
#
# BUILD_DIR (default: build) is a configured plain build; the program is built there if
# tests/meson.build knows it, otherwise compiled next to it with cc.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then
  dir=$1
  shift
fi
if ninja -C "$dir" -t targets all 2>/dev/null | grep -q '^tests/ring_latency:'; then
  ninja -C "$dir" tests/ring_latency >/dev/null
  prog=$dir/tests/ring_latency
else
  ninja -C "$dir" libvirgl-next.so.0.1.0 >/dev/null
  prog=$dir/ring_latency
  cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Iinclude bench/ring_latency.c \
    -o "$prog" -L"$dir" -lvirgl-next -Wl,-rpath,"$(cd "$dir" && pwd)"
fi
echo "host: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$prog" "$@"
