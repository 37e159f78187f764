#!/bin/bash
# SPDX-License-Identifier: MIT
# glmark2 natively (llvmpipe) and through virgl-next-vtest (virpipe) in one run,
# same scenes, same size; prints both scores and their ratio.
# Usage: bench/glmark2.sh SERVER [SECONDS_PER_SCENE] [DISPLAY_NUMBER]
# Needs glmark2-x11 and Xvfb. Numbers only mean something on an idle machine.
#
# Environment:
#   ROUNDS=N      run native and virpipe alternately N times (default 1) and
#                 compare medians: on a small VM scores drift by 20 % or more
#                 between runs, so one native run and one virpipe run minutes
#                 apart can give a ratio that says more about the drift.
#   REF_SERVER=C  also run a reference vtest server in each round (a command that
#                 takes `--socket PATH`, e.g. a wrapper around virglrenderer's
#                 virgl_test_server --no-fork --use-egl-surfaceless --socket-path),
#                 and print its median score and ratio too.
#   SIZE=WxH      window size (default 400x300; glmark2's own default is 800x600).
#                 The smaller the window, the larger the share of each frame that
#                 is fixed per-frame cost rather than rasterisation.
set -eu
server=${1:?usage: $0 path/to/virgl-next-vtest [seconds] [display]}
secs=${2:-3}
disp=${3:-97}
scenes=(build:use-vbo=false build:use-vbo=true texture:texture-filter=nearest
	texture:texture-filter=linear texture:texture-filter=mipmap shading:shading=gouraud
	shading:shading=blinn-phong-inf shading:shading=phong shading:shading=cel
	bump:bump-render=high-poly bump:bump-render=normals bump:bump-render=height
	effect2d:kernel=0,1,0\;1,-4,1\;0,1,0\;
	effect2d:kernel=1,1,1,1,1\;1,1,1,1,1\;1,1,1,1,1\;
	pulsar:light=false:quads=5:texture=false desktop:blur-radius=5:effect=blur:passes=1:separable=true:windows=4
	desktop:effect=shadow:windows=4 buffer:columns=200:interleave=false:update-dispersion=0.9:update-fraction=0.5:update-method=map
	buffer:columns=200:interleave=false:update-dispersion=0.9:update-fraction=0.5:update-method=subdata
	buffer:columns=200:interleave=true:update-dispersion=0.9:update-fraction=0.5:update-method=map
	ideas:speed=duration jellyfish refract shadow terrain function:fragment-complexity=low:fragment-steps=5
	function:fragment-complexity=medium:fragment-steps=5 loop:fragment-loop=false:fragment-steps=5:vertex-steps=5
	loop:fragment-steps=5:fragment-uniform=false:vertex-steps=5 loop:fragment-steps=5:fragment-uniform=true:vertex-steps=5)
args=(--off-screen -s "${SIZE:-400x300}")
for s in "${scenes[@]}"; do args+=(-b "$s:duration=$secs"); done

work=$(mktemp -d /tmp/vgn-glmark2.XXXXXX)
rounds=${ROUNDS:-1}
Xvfb ":$disp" -screen 0 640x480x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
srv=
trap 'kill $srv $xvfb 2>/dev/null; wait 2>/dev/null' EXIT
export DISPLAY=:$disp
sleep 1

score() { grep -o 'glmark2 Score: [0-9]*' "$1" | awk '{print $3}'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# One glmark2 run through a vtest server command; output in $work/$2.txt.
through() {
	rm -f "$work/sock"
	$1 --socket "$work/sock" >>"$work/$2-server.log" 2>&1 &
	srv=$!
	for _ in $(seq 50); do [ -S "$work/sock" ] && break; sleep 0.1; done
	GALLIUM_DRIVER=virpipe VTEST_SOCKET_NAME=$work/sock glmark2 "${args[@]}" >"$work/$2.txt" 2>&1 || true
	kill $srv 2>/dev/null; wait $srv 2>/dev/null || true # killed: 143
	srv=
}

for r in $(seq "$rounds"); do
	GALLIUM_DRIVER=llvmpipe glmark2 "${args[@]}" >"$work/native.txt" 2>&1 || true
	through "$server" virpipe
	[ -n "${REF_SERVER:-}" ] && through "$REF_SERVER" ref
	line="round $r: native $(score "$work/native.txt") virpipe $(score "$work/virpipe.txt")"
	[ -n "${REF_SERVER:-}" ] && line="$line reference $(score "$work/ref.txt")"
	echo "$line"
	score "$work/native.txt" >>"$work/native.scores"
	score "$work/virpipe.txt" >>"$work/virpipe.scores"
	[ -n "${REF_SERVER:-}" ] && score "$work/ref.txt" >>"$work/ref.scores"
done

# Per scene (last round), worst ratio first: where virpipe loses most.
paste <(grep -o '^\[.*FPS: [0-9]*' "$work/native.txt") <(grep -o 'FPS: [0-9]*' "$work/virpipe.txt") |
	awk -F'\t' '{ split($1, a, " FPS: "); split($2, b, "FPS: ");
		if (a[2] > 0) printf "%6.2f  %6d  %6d  %s\n", b[2] / a[2], a[2], b[2], substr(a[1], 1, 60) }' |
	sort -n | { echo " ratio  native virpipe scene (last round)"; cat; }
n=$(median <"$work/native.scores"); v=$(median <"$work/virpipe.scores")
echo "native llvmpipe: ${n:-none}"
echo "virgl-next virpipe: ${v:-none}"
if [ -n "${REF_SERVER:-}" ]; then
	f=$(median <"$work/ref.scores")
	echo "reference virpipe: ${f:-none}"
	[ -n "$f" ] && [ -n "$n" ] && [ "$n" != 0 ] &&
		awk -v n="$n" -v f="$f" 'BEGIN { printf "ratio reference/native: %.3f\n", f / n }'
fi
if [ -n "$n" ] && [ -n "$v" ] && [ "$n" != 0 ]; then
	awk -v n="$n" -v v="$v" 'BEGIN { printf "ratio virpipe/native: %.3f\n", v / n }'
else
	echo "ratio: n/a (see $work)"; exit 1
fi
