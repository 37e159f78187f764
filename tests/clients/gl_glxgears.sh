#!/bin/bash
# SPDX-License-Identifier: MIT
# glxgears (unmodified Mesa 25.0.7 client) under Xvfb, natively on llvmpipe and
# through virgl-next-vtest (virpipe). The gears turn, so frames differ; what must
# match is where each gear is and how big it is: for the red, green and blue
# pixels, the count (within 25%) and the centroid (within 8 pixels). An upside-down
# or mirrored image moves the centroids; missing colours or a blank window change
# the counts.
# Usage: gl_glxgears.sh SERVER XWD2PNG [OUTDIR]
set -u
server=$1
xwd2png=$2
out=${3:-$(mktemp -d /tmp/vgn-glxgears.XXXXXX)}
mkdir -p "$out"
for t in Xvfb glxgears xwd; do
	command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done

work=$(mktemp -d /tmp/vgn-gears.XXXXXX)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# A free display number of our own.
disp=
for n in $(shuf -i 200-899 -n 40); do
	[ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ] && continue
	Xvfb ":$n" -screen 0 400x400x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
	pids+=($!)
	sleep 1
	if kill -0 "${pids[-1]}" 2>/dev/null; then disp=$n; break; fi
done
[ -n "$disp" ] || { echo "FAIL: no Xvfb display"; exit 1; }
export DISPLAY=:$disp

"$server" --socket "$work/sock" --debug >"$out/server.log" 2>&1 &
srv=$!
pids+=($srv)
for _ in $(seq 50); do [ -S "$work/sock" ] && break; sleep 0.1; done

shot() { # name, env... : runs glxgears 4 s, screenshots at 3 s
	local name=$1
	shift
	env "$@" glxgears >"$out/$name.log" 2>&1 &
	local g=$!
	sleep 3
	xwd -root -silent >"$work/$name.xwd"
	kill $g 2>/dev/null
	wait $g 2>/dev/null
	"$xwd2png" "$work/$name.xwd" "$out/$name.png" --hues >"$out/$name.hues"
}
shot native GALLIUM_DRIVER=llvmpipe
shot virpipe GALLIUM_DRIVER=virpipe VTEST_SOCKET_NAME="$work/sock"

echo "native:  $(tr '\n' ' ' <"$out/native.hues")"
echo "virpipe: $(tr '\n' ' ' <"$out/virpipe.hues")"
fail=0
kill -0 $srv 2>/dev/null || { echo "FAIL: the server died"; fail=1; }
grep -q 'command stream rejected' "$out/server.log" && { echo "FAIL: a context was killed:"; grep 'command stream rejected' "$out/server.log" | head -3; fail=1; }
paste "$out/native.hues" "$out/virpipe.hues" | while read -r c n x y _c2 n2 x2 y2; do
	awk -v c="$c" -v n="$n" -v x="$x" -v y="$y" -v n2="$n2" -v x2="$x2" -v y2="$y2" 'BEGIN {
		ok = n > 500 && n2 > 0.75 * n && n2 < 1.25 * n
		ok = ok && (x - x2) ^ 2 < 64 && (y - y2) ^ 2 < 64
		printf "%s: native %d px at (%.1f, %.1f), virpipe %d px at (%.1f, %.1f): %s\n", c, n, x, y, n2, x2, y2, ok ? "ok" : "MISMATCH"
		exit ok ? 0 : 1 }' || echo MISMATCH
done | tee "$out/compare.txt"
grep -q MISMATCH "$out/compare.txt" && fail=1
echo "images: $out/native.png $out/virpipe.png"
if [ $fail = 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit $fail
