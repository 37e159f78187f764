#!/bin/bash
# SPDX-License-Identifier: MIT
# glmark2 natively (llvmpipe) and through virgl-next-vtest (virpipe) in one run,
# same scenes, same size; prints both scores and their ratio.
# Usage: bench/glmark2.sh SERVER [SECONDS_PER_SCENE] [DISPLAY_NUMBER]
# Needs glmark2-x11 and Xvfb. Numbers only mean something on an idle machine.
#
# The score is glmark2's: the mean of the scenes' FPS (here of each scene's
# median over the rounds).
#
# Environment:
#   SIZE=WxH      window size (default 800x600, glmark2's own default). The
#                 smaller the window, the larger the share of each frame that
#                 is fixed per-frame cost rather than rasterisation.
#   ROUNDS=N      repeat everything N times (default 1) and take medians.
#   MODE=scene    (default) run each scene natively, through SERVER and through
#                 REF_SERVER back to back before the next scene: on a small VM
#                 speed drifts by 20 % within minutes, and this way all three
#                 see the same drift. MODE=run runs the whole list natively,
#                 then through each server, as glmark2 does in one process.
#   REF_SERVER=C  also run a reference vtest server (a command that takes
#                 `--socket PATH`, e.g. a wrapper around virglrenderer's
#                 virgl_test_server --no-fork --use-egl-surfaceless --socket-path),
#                 and print its score and ratio too.
# Each round also prints the CPU time the hypervisor stole (from /proc/stat):
# a round with much steal is not worth comparing.
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
size=${SIZE:-800x600}
rounds=${ROUNDS:-1}
mode=${MODE:-scene}
kinds=(native virpipe)
[ -n "${REF_SERVER:-}" ] && kinds+=(ref)

work=$(mktemp -d /tmp/vgn-glmark2.XXXXXX)
Xvfb ":$disp" -screen 0 640x480x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids=($!)
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
export DISPLAY=:$disp
sleep 1

# One server per kind for the whole bench; each glmark2 run is a new client.
start_server() { # COMMAND KIND
	$1 --socket "$work/$2.sock" >>"$work/$2-server.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 50); do [ -S "$work/$2.sock" ] && return; sleep 0.1; done
	echo "$2 server did not start (see $work/$2-server.log)" >&2
	exit 1
}
start_server "$server" virpipe
[ -n "${REF_SERVER:-}" ] && start_server "$REF_SERVER" ref

# glmark2 on the given -b arguments as KIND; FPS per scene, one per line.
glmark() { # KIND ARGS...
	local kind=$1
	shift
	if [ "$kind" = native ]; then
		GALLIUM_DRIVER=llvmpipe glmark2 --off-screen -s "$size" "$@"
	else
		GALLIUM_DRIVER=virpipe VTEST_SOCKET_NAME=$work/$kind.sock glmark2 --off-screen -s "$size" "$@"
	fi 2>&1 | tee -a "$work/$kind.log" | grep -o 'FPS: [0-9]*' | awk '{ print $2 }'
}
steal() { awk '/^cpu / { s = $9; t = 0; for (i = 2; i <= NF; i++) t += $i; print s, t }' /proc/stat; }

# $work/KIND.fps: "scene-index fps" lines, one per scene and round.
for r in $(seq "$rounds"); do
	read -r s0 t0 < <(steal)
	if [ "$mode" = run ]; then
		all=()
		for s in "${scenes[@]}"; do all+=(-b "$s:duration=$secs"); done
		for k in "${kinds[@]}"; do glmark "$k" "${all[@]}" | awk '{ print NR - 1, $1 }' >>"$work/$k.fps"; done
	else
		for i in "${!scenes[@]}"; do
			for k in "${kinds[@]}"; do
				glmark "$k" -b "${scenes[$i]}:duration=$secs" | awk -v i="$i" '{ print i, $1 }' >>"$work/$k.fps"
			done
		done
	fi
	read -r s1 t1 < <(steal)
	awk -v r="$r" -v s=$((s1 - s0)) -v t=$((t1 - t0)) \
		'BEGIN { printf "round %d done, hypervisor steal %.1f %%\n", r, t ? 100 * s / t : 0 }'
done

# Per-scene medians, then scores (mean of the medians).
medians() { # KIND -> "index median" sorted by index
	sort -k1,1n -k2,2n "$work/$1.fps" | awk '{ v[$1] = v[$1] " " $2 } END {
		for (i in v) { n = split(v[i], a, " "); print i, (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) } }' |
		sort -k1,1n
}
for k in "${kinds[@]}"; do medians "$k" >"$work/$k.med"; done
n=${#scenes[@]}
for k in "${kinds[@]}"; do
	[ "$(wc -l <"$work/$k.med")" -eq "$n" ] || { echo "$k: $(wc -l <"$work/$k.med") of $n scenes ran (see $work/$k.log)"; exit 1; }
done

printf '%s\n' "${scenes[@]}" >"$work/scenes.txt"
meds=("$work/native.med" "$work/virpipe.med")
[ -n "${REF_SERVER:-}" ] && meds+=("$work/ref.med")
echo " ratio  native virpipe$([ -n "${REF_SERVER:-}" ] && echo "     ref ref-ratio") scene (medians), worst first"
paste -d' ' "${meds[@]}" | awk 'NR == FNR { name[NR - 1] = substr($0, 1, 56); next }
	{ line = sprintf("%6.2f  %6d  %6d", $2 > 0 ? $4 / $2 : 0, $2, $4)
	  if (NF >= 6) line = line sprintf("  %6d  %6.2f", $6, $2 > 0 ? $6 / $2 : 0)
	  print line "  " name[$1] }' "$work/scenes.txt" - | sort -n
score() { awk '{ s += $2 } END { printf "%d", NR ? s / NR : 0 }' "$work/$1.med"; }
nat=$(score native)
echo "native llvmpipe: $nat"
echo "virgl-next virpipe: $(score virpipe)"
if [ -n "${REF_SERVER:-}" ]; then
	echo "reference virpipe: $(score ref)"
	awk -v n="$nat" -v f="$(score ref)" 'BEGIN { printf "ratio reference/native: %.3f\n", n ? f / n : 0 }'
fi
awk -v n="$nat" -v v="$(score virpipe)" 'BEGIN { printf "ratio virpipe/native: %.3f\n", n ? v / n : 0 }'
