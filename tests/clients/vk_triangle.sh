#!/usr/bin/env bash
# vk_triangle (textured triangle, render pass, offscreen) natively on lavapipe and through
# Venus + virgl-next-vtest: both images must pass the program's own checks, and the Venus image
# must match the native one within 1 per channel. PNGs of both are kept in OUT_DIR.
#   vk_triangle.sh SERVER_BINARY VK_TRIANGLE_BINARY [OUT_DIR]
set -u
server_bin=$1
client=$2
out_dir=${3:-.}
mkdir -p "$out_dir"
run=$(mktemp -d /tmp/vgn-vktriangle.XXXXXX)
sock="$run/sock"
log="$run/server.log"
env -u VK_ICD_FILENAMES -u VN_DEBUG "$server_bin" --socket "$sock" >"$log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$run"; }
trap cleanup EXIT
for _ in $(seq 400); do [ -S "$sock" ] && break; sleep 0.05; done

. "$(dirname "$0")/check.sh"

VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.json timeout 60 "$client" \
  --raw "$run/native.raw" --png "$out_dir/vk_triangle_native.png" >"$run/native.txt" 2>&1
check "native run on lavapipe (rc $?)" "$(grep -q 'image ok' "$run/native.txt"; echo $?)"
VN_DEBUG=vtest VTEST_SOCKET_NAME="$sock" VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/virtio_icd.json \
  timeout 60 "$client" --compare "$run/native.raw" --png "$out_dir/vk_triangle_venus.png" \
  >"$run/venus.txt" 2>&1
rc=$?
check "Venus run exits 0 (rc $rc)" "$([ $rc = 0 ]; echo $?)"
check "Venus run used the Venus device" "$(grep -q 'Virtio-GPU Venus' "$run/venus.txt"; echo $?)"
check "Venus image passes the checks" "$(grep -q 'image ok' "$run/venus.txt"; echo $?)"
check "Venus image matches native within 1" \
  "$(grep -q 'vs reference: .* max difference [01]$' "$run/venus.txt"; echo $?)"
check "server still running" "$(kill -0 "$server" 2>/dev/null; echo $?)"
check "no fatal context error" "$(! grep -qi 'fatal' "$log"; echo $?)"
grep 'vs reference' "$run/venus.txt"
echo "images: $out_dir/vk_triangle_native.png $out_dir/vk_triangle_venus.png"
if [ $fail != 0 ]; then
  echo "--- server log"; tail -n 60 "$log"; echo "--- native"; cat "$run/native.txt"
  echo "--- venus"; cat "$run/venus.txt"
fi
check_summary
