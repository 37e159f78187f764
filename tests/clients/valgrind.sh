#!/bin/bash
# SPDX-License-Identifier: MIT
# The vtest server under Valgrind (memcheck) while unmodified Mesa clients use it:
# wflinfo (GL core + GLES through virpipe), our Vulkan programs vk_compute and vk_triangle
# and vulkaninfo (Venus), and glmark2 scenes (virpipe, Xvfb) when installed. Each client
# must still succeed; then the server stops in order and Valgrind must report no invalid
# read/write, no use of uninitialised values and no definite leak (only the host-library
# entries of valgrind.supp are suppressed).
# Usage: valgrind.sh SERVER VK_COMPUTE VK_TRIANGLE
set -u
server=$1 vk_compute=$2 vk_triangle=$3
here=$(cd "$(dirname "$0")" && pwd)
for t in valgrind wflinfo; do command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }; done
work=$(mktemp -d /tmp/vgn-valgrind.XXXXXX)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
. "$(dirname "$0")/check.sh"

# --fair-sched=yes: Valgrind runs one thread at a time, and its default lock lets a busy thread
# (lavapipe compiling a pipeline) starve vkr's ring monitor for seconds, so that the Venus guest
# aborts on "expired ring alive status" although the server is only slow.
valgrind --fair-sched=yes --error-exitcode=99 --smc-check=all-non-file --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite --track-origins=no \
	--num-callers=40 --suppressions="$here/valgrind.supp" --log-file="$work/valgrind.log" \
	"$server" --socket "$work/sock" >"$work/server.log" 2>&1 &
srv=$!
pids+=($srv)
for _ in $(seq 600); do [ -S "$work/sock" ] && break; sleep 0.2; done
[ -S "$work/sock" ] || { echo "FAIL: server did not start"; cat "$work/valgrind.log"; exit 1; }
export VTEST_SOCKET_NAME=$work/sock

GALLIUM_DRIVER=virpipe timeout 900 wflinfo --platform surfaceless_egl --api gl --profile core \
	>"$work/gl.txt" 2>&1
check "wflinfo GL core through virpipe" "$(grep -q 'OpenGL renderer string: virgl' "$work/gl.txt"; echo $?)"
GALLIUM_DRIVER=virpipe timeout 900 wflinfo --platform surfaceless_egl --api gles3 \
	>"$work/gles.txt" 2>&1
check "wflinfo GLES through virpipe" "$(grep -q 'OpenGL version string: OpenGL ES 3' "$work/gles.txt"; echo $?)"
vk() { VGN_FENCE_TIMEOUT_S=600 VN_DEBUG=vtest VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/virtio_icd.json timeout 900 "$@"; }
vk "$vk_compute" >"$work/compute.txt" 2>&1
check "vk_compute through Venus" "$(grep -q 'elements ok' "$work/compute.txt"; echo $?)"
vk "$vk_triangle" --png "$work/tri.png" >"$work/tri.txt" 2>&1
check "vk_triangle through Venus" "$(grep -q 'image ok' "$work/tri.txt"; echo $?)"
if command -v vulkaninfo >/dev/null; then
	vk vulkaninfo --summary >"$work/vkinfo.txt" 2>&1
	check "vulkaninfo through Venus" "$(grep -q 'Virtio-GPU Venus' "$work/vkinfo.txt"; echo $?)"
fi
if command -v glmark2 >/dev/null && command -v Xvfb >/dev/null; then
	disp=
	for n in $(shuf -i 200-899 -n 40); do
		{ [ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ]; } && continue
		Xvfb ":$n" -screen 0 320x240x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
		pids+=($!)
		sleep 1
		if kill -0 "${pids[-1]}" 2>/dev/null; then disp=$n; break; fi
	done
	if [ -n "$disp" ]; then
		DISPLAY=:$disp GALLIUM_DRIVER=virpipe timeout 900 glmark2 --off-screen -s 64x64 \
			-b build:duration=1 -b texture:duration=1 -b shading:shading=phong:duration=1 \
			>"$work/glmark2.txt" 2>&1
		check "glmark2 scenes through virpipe" "$(grep -q 'glmark2 Score' "$work/glmark2.txt"; echo $?)"
	fi
fi

kill -TERM "$srv"
wait "$srv"
rc=$?
check "server stopped in order under valgrind (rc $rc)" "$([ $rc = 0 ]; echo $?)"
grep -E 'ERROR SUMMARY|definitely lost|Invalid (read|write)|uninitialised' "$work/valgrind.log" | sed 's/^/  /'
check "no Valgrind error" "$(grep -q 'ERROR SUMMARY: 0 errors' "$work/valgrind.log"; echo $?)"
if [ $fail != 0 ]; then
	for f in "$work"/*.txt; do echo "--- $(basename "$f")"; tail -5 "$f"; done
	echo "--- valgrind log"; cat "$work/valgrind.log"; echo "--- server log"; tail -50 "$work/server.log"
fi
check_summary
