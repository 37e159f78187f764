#!/usr/bin/env bash
# vk_compute (our compute client) natively on lavapipe and through Venus + virgl-next-vtest:
# both runs must verify all elements written by the shader.
#   vk_compute.sh SERVER_BINARY VK_COMPUTE_BINARY
set -u
server_bin=$1
client=$2
run=$(mktemp -d /tmp/vgn-vkcompute.XXXXXX)
sock="$run/sock"
log="$run/server.log"
env -u VK_ICD_FILENAMES -u VN_DEBUG "$server_bin" --socket "$sock" >"$log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$run"; }
trap cleanup EXIT
for _ in $(seq 200); do [ -S "$sock" ] && break; sleep 0.05; done

. "$(dirname "$0")/check.sh"

VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.json timeout 60 "$client" >"$run/native.txt" 2>&1
check "native run on lavapipe (rc $?)" "$(grep -q 'elements ok' "$run/native.txt"; echo $?)"
VN_DEBUG=vtest VTEST_SOCKET_NAME="$sock" VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/virtio_icd.json \
  timeout 60 "$client" >"$run/venus.txt" 2>&1
rc=$?
check "Venus run exits 0 (rc $rc)" "$([ $rc = 0 ]; echo $?)"
check "Venus run used the Venus device" "$(grep -q 'Virtio-GPU Venus' "$run/venus.txt"; echo $?)"
check "Venus run verified every element" "$(grep -q 'elements ok' "$run/venus.txt"; echo $?)"
check "server still running" "$(kill -0 "$server" 2>/dev/null; echo $?)"
if [ $fail != 0 ]; then
  echo "--- server log"; cat "$log"; echo "--- native"; cat "$run/native.txt"
  echo "--- venus"; cat "$run/venus.txt"
fi
check_summary
