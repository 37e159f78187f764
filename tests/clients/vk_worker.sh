#!/usr/bin/env bash
# vk_compute and vk_triangle through Venus + `virgl-next-vtest --worker` (docs/worker.md):
# every Venus context runs in its own virgl-next-worker process. Both clients must pass
# their own checks, the server must log that the contexts ran in worker processes, no
# worker may be left once the clients are gone (also after a client SIGKILLs itself), no
# context may turn fatal and no worker may end badly (with an ASan build: LeakSanitizer
# in a worker makes it exit non-zero, which the server logs).
#   vk_worker.sh SERVER_BINARY WORKER_BINARY VK_COMPUTE_BINARY VK_TRIANGLE_BINARY
set -u
server_bin=$1
worker_bin=$2
compute=$3
triangle=$4
run=$(mktemp -d /tmp/vgn-vkworker.XXXXXX)
sock="$run/sock"
log="$run/server.log"
env -u VK_ICD_FILENAMES -u VN_DEBUG "$server_bin" --socket "$sock" --debug --worker \
  --worker-path "$worker_bin" --worker-timeout-ms 20000 >"$log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$run"; }
trap cleanup EXIT
for _ in $(seq 400); do [ -S "$sock" ] && break; sleep 0.05; done

. "$(dirname "$0")/check.sh"
venus() {
  VN_DEBUG=vtest VTEST_SOCKET_NAME="$sock" VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/virtio_icd.json \
    timeout 120 "$@"
}
# Worker processes of the server (its children), after giving teardown a moment.
workers_left() {
  for _ in $(seq 100); do
    [ -z "$(pgrep -P "$server")" ] && break
    sleep 0.1
  done
  pgrep -P "$server" | wc -l
}

venus "$compute" >"$run/compute.txt" 2>&1
rc=$?
check "vk_compute through a worker exits 0 (rc $rc)" "$([ $rc = 0 ]; echo $?)"
check "vk_compute used the Venus device" "$(grep -q 'Virtio-GPU Venus' "$run/compute.txt"; echo $?)"
check "vk_compute verified every element" "$(grep -q 'elements ok' "$run/compute.txt"; echo $?)"

venus "$triangle" >"$run/triangle.txt" 2>&1
rc=$?
check "vk_triangle through a worker exits 0 (rc $rc)" "$([ $rc = 0 ]; echo $?)"
check "vk_triangle image passes its checks" "$(grep -q 'image ok' "$run/triangle.txt"; echo $?)"

check "contexts ran in worker processes" \
  "$([ "$(grep -c 'runs in worker process' "$log")" -ge 2 ]; echo $?)"
check "no worker left after the clients" "$([ "$(workers_left)" = 0 ]; echo $?)"

# A client that SIGKILLs itself with everything alive: its worker goes too.
venus "$compute" --crash >"$run/crash.txt" 2>&1
check "no worker left after a crashed client" "$([ "$(workers_left)" = 0 ]; echo $?)"
venus "$compute" >"$run/after.txt" 2>&1
check "a later client is served" "$(grep -q 'elements ok' "$run/after.txt"; echo $?)"

check "server still running" "$(kill -0 "$server" 2>/dev/null; echo $?)"
check "no fatal context error" "$(! grep -qi 'fatal' "$log"; echo $?)"
check "no worker ended badly" "$(! grep -q 'ended badly' "$log"; echo $?)"
kill "$server"
wait "$server"
rc=$?
check "server exits 0 on SIGTERM (rc $rc)" "$([ $rc = 0 ]; echo $?)"
if [ $fail != 0 ]; then
  echo "--- server log (tail)"; tail -n 80 "$log"
  for f in compute triangle crash after; do echo "--- $f"; cat "$run/$f.txt"; done
fi
check_summary
