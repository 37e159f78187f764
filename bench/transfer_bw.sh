#!/usr/bin/env bash
# Transfer bandwidth of a large texture upload (bench/transfer_bw.c): classic
# transfers vs shared mapping vs host-memory blob vs memcpy, CPU2D and vrend.
#
#   bench/transfer_bw.sh [BUILD_DIR] [transfer_bw options]
#   bench/transfer_bw.sh build --width 4096 --height 4096 --reps 9
#
# BUILD_DIR (default: build) must be a configured plain (not sanitizer) build with
# tests enabled; the program is built there if needed. Quiet the machine first:
# the numbers are only comparable within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then
  dir=$1
  shift
fi
ninja -C "$dir" tests/transfer_bw >/dev/null
echo "host: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "command: bench/transfer_bw.sh $dir $*"
exec "$dir/tests/transfer_bw" "$@"
