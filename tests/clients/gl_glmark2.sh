#!/bin/bash
# SPDX-License-Identifier: MIT
# glmark2 --off-screen --validate (every default scene) through virgl-next-vtest
# (virpipe). Passes when no scene reports "Validation: Failure", every scene ran
# (Success, or Unknown for scenes glmark2 cannot validate), and no context died.
# Usage: gl_glmark2.sh SERVER
set -u
server=$1
for t in Xvfb glmark2; do command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }; done
work=$(mktemp -d /tmp/vgn-glmark2.XXXXXX)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
disp=
for n in $(shuf -i 200-899 -n 40); do
	{ [ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ]; } && continue
	Xvfb ":$n" -screen 0 800x600x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
	pids+=($!)
	sleep 1
	if kill -0 "${pids[-1]}" 2>/dev/null; then disp=$n; break; fi
done
[ -n "$disp" ] || { echo "FAIL: no Xvfb display"; exit 1; }
"$server" --socket "$work/sock" >"$work/server.log" 2>&1 &
srv=$!
pids+=($srv)
for _ in $(seq 50); do [ -S "$work/sock" ] && break; sleep 0.1; done
DISPLAY=:$disp GALLIUM_DRIVER=virpipe VTEST_SOCKET_NAME=$work/sock \
	timeout 600 glmark2 --off-screen --validate >"$work/glmark2.txt" 2>&1
rc=$?
grep -E '^\[' "$work/glmark2.txt" | sed 's/^/  /'
ok=$(grep -c 'Validation: Success' "$work/glmark2.txt")
unk=$(grep -c 'Validation: Unknown' "$work/glmark2.txt")
bad=$(grep -c 'Validation: Failure' "$work/glmark2.txt")
scenes=$(grep -c '^\[' "$work/glmark2.txt")
echo "glmark2 rc $rc: $scenes scenes, $ok Success, $unk Unknown, $bad Failure"
fail=0
[ $rc = 0 ] || fail=1
[ "$bad" = 0 ] || fail=1
[ "$scenes" -ge 30 ] && [ $((ok + unk)) = "$scenes" ] || fail=1
grep -q 'command stream rejected' "$work/server.log" && { grep 'command stream rejected' "$work/server.log" | head -3; fail=1; }
kill -0 $srv 2>/dev/null || { echo "server died"; fail=1; }
if [ $fail = 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; tail -20 "$work/server.log"; fi
exit $fail
