#!/usr/bin/env bash
# Mesa 25.0.7's Venus driver (unmodified) through virgl-next-vtest + vkr on the host's
# lavapipe: `vulkaninfo --summary` must list the Venus device with apiVersion >= 1.3.
# Mesa gates synchronization2, hence 1.3, on SYNC_FD semaphore import by the renderer, which
# vkr emulates on lavapipe (vkr_wsi_emul.c; without it the guest stops at 1.2).
#   vk_info.sh SERVER_BINARY
set -u
server_bin=$1
command -v vulkaninfo >/dev/null || { echo "FAIL - vulkaninfo not installed"; exit 1; }
run=$(mktemp -d /tmp/vgn-vkinfo.XXXXXX)
sock="$run/sock"
log="$run/server.log"
out="$run/vulkaninfo.txt"
# No VK_ICD_FILENAMES for the server: vkr itself skips host Venus devices.
env -u VK_ICD_FILENAMES -u VN_DEBUG "$server_bin" --socket "$sock" >"$log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$run"; }
trap cleanup EXIT
for _ in $(seq 200); do [ -S "$sock" ] && break; sleep 0.05; done

fail=0
check() { if [ "$2" = 0 ]; then echo "ok   - $1"; else fail=1; echo "FAIL - $1"; fi; }

VN_DEBUG=vtest VTEST_SOCKET_NAME="$sock" VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/virtio_icd.json \
  timeout 30 vulkaninfo --summary >"$out" 2>&1
rc=$?
check "vulkaninfo exits 0 (rc $rc)" "$([ $rc = 0 ]; echo $?)"
check "Venus device listed" "$(grep -q 'deviceName *= Virtio-GPU Venus (llvmpipe' "$out"; echo $?)"
api=$(sed -n 's/^[[:space:]]*apiVersion *= *\([0-9]*\)\.\([0-9]*\).*/\1 \2/p' "$out" | head -1)
read -r major minor <<<"${api:-0 0}"
check "apiVersion $major.$minor >= 1.3" "$([ "$major" -gt 1 ] || { [ "$major" = 1 ] && [ "$minor" -ge 3 ]; }; echo $?)"
check "server still running" "$(kill -0 "$server" 2>/dev/null; echo $?)"
check "no fatal context error" "$(! grep -q 'fatal' "$log"; echo $?)"

# A second server whose own host Vulkan sees a Venus device (its host loader talks to the first
# server): vkr must skip that device and serve only lavapipe, so the client sees one GPU whose
# name is not nested ("Virtio-GPU Venus (Virtio-GPU Venus (...))").
sock2="$run/sock2"
VN_DEBUG=vtest VTEST_SOCKET_NAME="$sock" env -u VK_ICD_FILENAMES "$server_bin" --socket "$sock2" \
  >"$run/server2.log" 2>&1 &
server2=$!
for _ in $(seq 200); do [ -S "$sock2" ] && break; sleep 0.05; done
VN_DEBUG=vtest VTEST_SOCKET_NAME="$sock2" VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/virtio_icd.json \
  timeout 30 vulkaninfo --summary >"$run/nested.txt" 2>&1
rc=$?
kill "$server2" 2>/dev/null
wait "$server2" 2>/dev/null
check "nested server: vulkaninfo exits 0 (rc $rc)" "$([ $rc = 0 ]; echo $?)"
check "nested server: exactly one GPU, lavapipe, not the host's Venus device" \
  "$([ "$(grep -c '^GPU[0-9]*:' "$run/nested.txt")" = 1 ] &&
     grep -q 'deviceName *= Virtio-GPU Venus (llvmpipe' "$run/nested.txt"; echo $?)"
if [ $fail != 0 ]; then
  echo "--- server log"; cat "$log"; echo "--- vulkaninfo"; cat "$out"
  echo "--- nested"; cat "$run/nested.txt"; echo "--- server2 log"; cat "$run/server2.log"
fi
[ $fail = 0 ]
