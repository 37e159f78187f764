#!/usr/bin/env bash
# Abrupt disconnects through Venus: vk_compute SIGKILLs itself with every Vulkan object alive,
# another destroys its device with every child alive, vk_triangle SIGKILLs itself, and a
# vk_compute is SIGKILLed in the middle of a dispatch loop. The server must stay up, serve
# a normal client afterwards, and exit cleanly on SIGTERM. When the server is built with ASan
# (meson -Db_sanitize=address), LeakSanitizer runs at its exit: vkr must have destroyed every
# host object of the dead contexts (a host driver object left behind is reported as a leak).
#   vk_teardown.sh SERVER_BINARY VK_COMPUTE_BINARY [VK_TRIANGLE_BINARY]
set -u
server_bin=$1
client=$2
triangle=${3:-}
run=$(mktemp -d /tmp/vgn-vkteardown.XXXXXX)
sock="$run/sock"
log="$run/server.log"
asan=0
ldd "$server_bin" 2>/dev/null | grep -q 'libasan' && asan=1
# LSan only; the Mesa/LLVM suppressions stay empty unless a driver-internal leak shows up.
ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 \
  env -u VK_ICD_FILENAMES -u VN_DEBUG "$server_bin" --socket "$sock" >"$log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$run"; }
trap cleanup EXIT
for _ in $(seq 400); do [ -S "$sock" ] && break; sleep 0.05; done

. "$(dirname "$0")/check.sh"
venus() {
  VN_DEBUG=vtest VTEST_SOCKET_NAME="$sock" VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/virtio_icd.json \
    "$@"
}

venus timeout 60 "$client" --crash >"$run/crash.txt" 2>&1
rc=$?
check "client died by SIGKILL with its objects alive (rc $rc)" \
  "$([ $rc = 137 ] && grep -q '0 bad, crashing' "$run/crash.txt"; echo $?)"

# (the guest driver leaks the orphans on its side: no leak check in the client)
ASAN_OPTIONS=detect_leaks=0 venus timeout 60 "$client" --orphan >"$run/orphan.txt" 2>&1
rc=$?
check "client destroyed its device with live children (rc $rc)" \
  "$([ $rc = 0 ] && grep -q '0 bad, device destroyed' "$run/orphan.txt"; echo $?)"

if [ -n "$triangle" ]; then
  venus timeout 60 "$triangle" --crash >"$run/tcrash.txt" 2>&1
  rc=$?
  check "graphics client died by SIGKILL with its objects alive (rc $rc)" \
    "$([ $rc = 137 ] && grep -q '0 bad, crashing' "$run/tcrash.txt"; echo $?)"
fi

VN_DEBUG=vtest VTEST_SOCKET_NAME="$sock" VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/virtio_icd.json \
  "$client" --iterations 1000000 >"$run/loop.txt" 2>&1 &
loop=$!
sleep 3
kill -KILL "$loop" 2>/dev/null
wait "$loop"
rc=$?
check "client killed mid-loop (rc $rc)" "$([ $rc = 137 ]; echo $?)"

venus timeout 60 "$client" >"$run/after.txt" 2>&1
check "a later client still works" "$(grep -q 'elements ok' "$run/after.txt"; echo $?)"
check "server still running" "$(kill -0 "$server" 2>/dev/null; echo $?)"
check "no context marked fatal by a disconnect" "$(! grep -qi 'fatal' "$log"; echo $?)"

kill -TERM "$server"
wait "$server"
rc=$?
check "server exits 0 on SIGTERM (rc $rc)" "$([ $rc = 0 ]; echo $?)"
if [ $asan = 1 ]; then
  check "no leak or ASan report in the server" \
    "$(! grep -qE 'LeakSanitizer|AddressSanitizer|runtime error' "$log"; echo $?)"
else
  echo "note - server not built with ASan: leak check not run (build with -Db_sanitize=address)"
fi
if [ $fail != 0 ]; then
  echo "--- server log"; tail -n 80 "$log"
  for f in crash orphan tcrash loop after; do echo "--- $f"; tail -n 20 "$run/$f.txt" 2>/dev/null; done
fi
check_summary
