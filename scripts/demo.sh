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
./build/tools/vgn-vtest-2d-demo --socket "$sock" "$out/vtest-2d.png"
echo "   saved $out/vtest-2d.png"

echo "== 2. Unmodified Mesa 25.0.7 GL clients through virpipe (vrend on the host's GL)"
VTEST_SOCKET_NAME="$sock" GALLIUM_DRIVER=virpipe \
  timeout 30 wflinfo --platform surfaceless_egl --api gl --profile core >"$out/wflinfo.txt" 2>&1 || true
grep -E 'OpenGL (renderer|version) string' "$out/wflinfo.txt" | sed 's/^/   /'
VTEST_SOCKET_NAME="$sock" GALLIUM_DRIVER=virpipe \
  timeout 30 wflinfo --platform surfaceless_egl --api gles3 >"$out/wflinfo-gles.txt" 2>&1 || true
grep -E 'OpenGL version string' "$out/wflinfo-gles.txt" | sed 's/^/   GLES: /'

# glxgears under a private Xvfb, screenshot after 3 s, converted to PNG by our own tool.
disp=
for n in $(shuf -i 300-899 -n 40); do
  { [ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ]; } && continue
  Xvfb ":$n" -screen 0 300x300x24 -nolisten tcp >"$run/xvfb.log" 2>&1 &
  xvfb=$!
  sleep 1
  if kill -0 $xvfb 2>/dev/null; then disp=$n; break; fi
done
if [ -n "$disp" ]; then
  DISPLAY=:$disp VTEST_SOCKET_NAME="$sock" GALLIUM_DRIVER=virpipe glxgears -info >"$out/glxgears.txt" 2>&1 &
  gears=$!
  sleep 3
  DISPLAY=:$disp xwd -root -silent >"$run/gears.xwd"
  kill $gears $xvfb 2>/dev/null || true
  wait $gears $xvfb 2>/dev/null || true
  ./build/tools/vgn-xwd2png "$run/gears.xwd" "$out/glxgears.png" --stats | sed 's/^/   glxgears.png: /'
  grep -E '^GL_(RENDERER|VERSION)' "$out/glxgears.txt" | sed 's/^/   glxgears: /'
  echo "   saved $out/glxgears.png"
else
  echo "   no free X display for glxgears"
fi

echo "== 3. A Vulkan program of ours through Venus (vkr on the host's Vulkan)"
if [ -x build/tests/clients/vk_triangle ]; then
  VN_DEBUG=vtest VTEST_SOCKET_NAME="$sock" VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/virtio_icd.json \
    timeout 60 ./build/tests/clients/vk_triangle --png "$out/vk-triangle.png" >"$out/vk_triangle.txt" 2>&1 || true
  grep -E 'device|image ok' "$out/vk_triangle.txt" | sed 's/^/   /'
  echo "   saved $out/vk-triangle.png"
fi

echo "Outputs in $out"
