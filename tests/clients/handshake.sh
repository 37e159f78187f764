#!/usr/bin/env bash
# Real, unmodified Mesa 25.0.7 clients against virgl-next-vtest: each must complete
# the version handshake (seen in the server's debug log). GL (virpipe) is served by
# vrend: the client gets the caps of capset VIRGL2 and a context. Venus has no
# backend in builds without vkr: the client then gets a clean error and exits.
#   handshake.sh SERVER_BINARY
set -u
server_bin=$1
for tool in wflinfo vulkaninfo; do
  command -v $tool >/dev/null || { echo "FAIL - $tool not installed (scripts/setup-debian.sh installs it)"; exit 1; }
done
run=$(mktemp -d /tmp/vgn-handshake.XXXXXX)
sock="$run/sock"
log="$run/server.log"
. "$(dirname "$0")/check.sh"

"$server_bin" --socket "$sock" --debug >"$log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$run"; }
trap cleanup EXIT
for _ in $(seq 200); do [ -S "$sock" ] && break; sleep 0.05; done

log_has() { grep -qF -- "$1" "$log"; echo $?; }

# --- GL: virpipe through wflinfo -----------------------------------------------
VTEST_SOCKET_NAME="$sock" GALLIUM_DRIVER=virpipe LIBGL_ALWAYS_SOFTWARE=1 \
  timeout 30 wflinfo --platform surfaceless_egl --api gl >"$run/wflinfo.txt" 2>&1
rc=$?
check "virpipe client does not hang (exit $rc)" "$([ $rc != 124 ] && [ $rc != 137 ]; echo $?)"
check "virpipe: CREATE_RENDERER seen" "$(log_has 'CREATE_RENDERER "wflinfo"')"
check "virpipe: protocol version 3 negotiated" "$(log_has 'PROTOCOL_VERSION: client asks 3, answering 3')"
check "virpipe: capset VIRGL2 served" "$(log_has '(capset 2 version 2, 1408 bytes)')"
check "virpipe: client succeeds (exit $rc)" "$([ $rc = 0 ]; echo $?)"
check "virpipe: renderer string is virgl" "$(grep -q 'OpenGL renderer string: virgl' "$run/wflinfo.txt"; echo $?)"

# --- Vulkan: Venus through vulkaninfo --------------------------------------------
VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/virtio_icd.json VN_DEBUG=vtest \
  VTEST_SOCKET_NAME="$sock" timeout 30 vulkaninfo --summary >"$run/vulkaninfo.txt" 2>&1
rc=$?
check "Venus client does not hang (exit $rc)" "$([ $rc != 124 ] && [ $rc != 137 ]; echo $?)"
check "Venus: CREATE_RENDERER seen" "$(log_has 'CREATE_RENDERER "vulkaninfo"')"
check "Venus: MAX_TIMELINE_COUNT answered" "$(log_has 'GET_PARAM 1: valid 1 value 64')"
# With vkr built the client gets a Venus device, without it a clean refusal.
if grep -q 'GET_CAPSET 4 version 0: unsupported' "$log"; then
  check "Venus: capset 4 reported unsupported (no vkr in this build)" 0
else
  check "Venus: capset 4 served" "$(grep -qE 'GET_CAPSET 4 version 0: [0-9]+ bytes' "$log"; echo $?)"
  check "Venus: device is Virtio-GPU Venus" "$(grep -q 'deviceName *= Virtio-GPU Venus' "$run/vulkaninfo.txt"; echo $?)"
fi

# --- The server survived both -----------------------------------------------------
check "server still running" "$(kill -0 "$server" 2>/dev/null; echo $?)"

if [ $fail != 0 ]; then
  echo "--- server log"; cat "$log"
  echo "--- wflinfo"; cat "$run/wflinfo.txt"
  echo "--- vulkaninfo"; cat "$run/vulkaninfo.txt"
fi
check_summary
