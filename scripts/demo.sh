#!/usr/bin/env bash
# The main demo on a fresh Debian 12 machine: install what is missing, build, start
# the vtest server, drive it with unmodified Mesa clients, and save an image.
#
#   scripts/demo.sh [OUTPUT_DIR]     (default: ./demo-out)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-demo-out}")
mkdir -p "$out"

if [ "${SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup-debian.sh
fi
[ -d build ] || meson setup build
ninja -C build

run=$(mktemp -d /tmp/vgn-demo.XXXXXX)
sock="$run/vtest.sock"
server_log="$out/server.log"
./build/vtest/virgl-next-vtest --socket "$sock" --debug >"$server_log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$run"' EXIT
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done

echo "== 1. A 2D resource round trip through the vtest protocol (CPU 2D backend)"
./build/tools/vgn-vtest-2d-demo "$sock" "$out/vtest-2d.png"
echo "   saved $out/vtest-2d.png"

echo "== 2. An unmodified Mesa 25.0.7 virpipe client (wflinfo) against the server"
set +e
VTEST_SOCKET_NAME="$sock" GALLIUM_DRIVER=virpipe LIBGL_ALWAYS_SOFTWARE=1 \
  timeout 20 wflinfo --platform surfaceless_egl --api gl >"$out/wflinfo.txt" 2>&1
rc=$?
set -e
echo "   wflinfo exit status: $rc (124 would be a hang)"
grep -E "PROTOCOL_VERSION|protocol version|GET_CAPS|capset|closing|error" "$server_log" | head -n 12 | sed 's/^/   server: /'

echo "Outputs in $out"
