#!/bin/bash
# SPDX-License-Identifier: MIT
# vkcube (unmodified, Mesa 25.0.7's Venus) through virgl-next-vtest + vkr under Xvfb, next to
# the same vkcube on native lavapipe. Venus offers VK_KHR_swapchain only because vkr emulates
# VK_EXT_image_drm_format_modifier and SYNC_FD semaphore import on lavapipe (vkr_wsi_emul.c):
# without them vkcube exits 1 ("failed to find the VK_KHR_swapchain extension") and this test
# fails. MESA_VK_WSI_DEBUG=sw (client side) makes Mesa's WSI present with xcb_put_image, so the
# X server needs no DRI3.
# Checks: `vkcube --c 60` exits 0 natively and through Venus; a screenshot of each window taken
# while the cube spins is not blank (cube pixels differ from the clear colour, many colours: the
# texture) and the Venus one matches the native one within a tolerance (the cube turns, so
# frames differ: the cube's pixel count within 20%, its distinct colours within a factor 2);
# the server stays up, kills no context and exits cleanly (no sanitizer report with ASan).
# Usage: vk_cube.sh SERVER XWD2PNG [OUTDIR]
set -u
server=$1
xwd2png=$2
out=${3:-$(mktemp -d /tmp/vgn-vkcube.XXXXXX)}
mkdir -p "$out"
for t in Xvfb vkcube xwd xwininfo; do
	command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
icd=/usr/share/vulkan/icd.d/virtio_icd.json
[ -f $icd ] || { echo "SKIP: no Venus ICD ($icd)"; exit 77; }

work=$(mktemp -d /tmp/vgn-vkcube.XXXXXX)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
passed=0
failed=0
check() { # name, status
	if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "ok   - $1"
	else failed=$((failed + 1)); echo "FAIL - $1"; fi
}

# A free display of our own: :91..:99 first, then random ones.
disp=
for n in $(seq 91 99) $(shuf -i 200-899 -n 30); do
	[ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ] && continue
	Xvfb ":$n" -screen 0 640x480x24 -br -nolisten tcp >"$work/xvfb.log" 2>&1 &
	pids+=($!)
	sleep 1
	if kill -0 "${pids[-1]}" 2>/dev/null; then disp=$n; break; fi
done
[ -n "$disp" ] || { echo "FAIL: no Xvfb display"; echo "0 passed, 1 failed"; exit 1; }
export DISPLAY=:$disp

env -u VK_ICD_FILENAMES -u VN_DEBUG "$server" --socket "$work/sock" --debug >"$out/server.log" 2>&1 &
srv=$!
pids+=($srv)
for _ in $(seq 100); do [ -S "$work/sock" ] && break; sleep 0.05; done

lvp=/usr/share/vulkan/icd.d/lvp_icd.json
native=(env -u VN_DEBUG MESA_VK_WSI_DEBUG=sw)
[ -f $lvp ] && native+=(VK_ICD_FILENAMES=$lvp)
venus=(env VN_DEBUG=vtest VTEST_SOCKET_NAME="$work/sock" MESA_VK_WSI_DEBUG=sw
	VK_ICD_FILENAMES=$icd)
as() { # mode: the environment of a native or a Venus client, in the array cmd
	if [ "$1" = native ]; then cmd=("${native[@]}"); else cmd=("${venus[@]}"); fi
}

# 60 frames, then vkcube exits by itself.
for mode in native venus; do
	as $mode
	"${cmd[@]}" timeout 120 vkcube --c 60 >"$out/$mode-c60.log" 2>&1
	rc=$?
	check "$mode: vkcube --c 60 exits 0 (rc $rc)" "$([ $rc = 0 ]; echo $?)"
done
check "venus: VK_KHR_swapchain offered" \
	"$(! grep -q 'failed to find the VK_KHR_swapchain' "$out/venus-c60.log"; echo $?)"

# Screenshot of the spinning cube (60 frames go by in well under a second, so a longer run):
# at least 1.5 s in, retried every 0.5 s for up to 30 s until the cube is there (a loaded
# machine may take a while to map the window and present).
shot() { # mode
	local mode=$1
	as $mode
	"${cmd[@]}" timeout 120 vkcube --c 100000 --width 300 --height 300 >"$out/$mode.log" 2>&1 &
	local p=$! # timeout's pid (env execs it): killing it ends vkcube
	local id= alive=1 n=0
	: >"$out/$mode.stats"
	for t in $(seq 60); do
		sleep 0.5
		kill -0 $p 2>/dev/null || { alive=0; break; }
		id=$(xwininfo -root -tree 2>/dev/null | awk '$1 ~ /^0x/ && / 300x300\+/ {print $1; exit}')
		[ -n "$id" ] && [ "$t" -ge 3 ] || continue
		xwd -id "$id" -silent >"$work/$mode.xwd" 2>/dev/null || continue
		"$xwd2png" "$work/$mode.xwd" "$out/vkcube_$mode.png" --stats >"$out/$mode.stats"
		read -r _ _ _ _ _ n <"$out/$mode.stats"
		[ "${n:-0}" -gt 4500 ] && break
	done
	kill $p 2>/dev/null
	wait $p 2>/dev/null
	check "$mode: vkcube still running at the screenshot, window found" \
		"$([ $alive = 1 ] && [ -n "$id" ]; echo $?)"
}
shot native
shot venus
# "size 300x300 colours C non-background N" (background: the top-left pixel, the clear colour)
read -r _ _ _ cn _ nn <<<"$(cat "$out/native.stats")"
read -r _ _ _ cv _ nv <<<"$(cat "$out/venus.stats")"
cn=${cn:-0} nn=${nn:-0} cv=${cv:-0} nv=${nv:-0}
echo "native: $nn cube pixels, $cn colours; venus: $nv cube pixels, $cv colours"
check "native: the cube is drawn (> 5% of the window, > 100 colours)" \
	"$([ "$nn" -gt 4500 ] && [ "$cn" -gt 100 ]; echo $?)"
check "venus: the cube is drawn (> 5% of the window, > 100 colours)" \
	"$([ "$nv" -gt 4500 ] && [ "$cv" -gt 100 ]; echo $?)"
check "venus vs native: cube pixels within 20%, colours within a factor 2" \
	"$([ $((nv * 10)) -ge $((nn * 8)) ] && [ $((nv * 10)) -le $((nn * 12)) ] &&
	   [ $((cv * 2)) -ge "$cn" ] && [ "$cv" -le $((cn * 2)) ]; echo $?)"

check "server still running" "$(kill -0 $srv 2>/dev/null; echo $?)"
# With an ASan server, LeakSanitizer runs at its exit: the emulation's objects are freed too.
kill -TERM $srv 2>/dev/null
wait $srv
rc=$?
check "server exits 0 on SIGTERM (rc $rc)" "$([ $rc = 0 ]; echo $?)"
check "no context killed, no sanitizer report" \
	"$(! grep -qE 'fatal|LeakSanitizer|AddressSanitizer|runtime error' "$out/server.log"; echo $?)"
echo "images: $out/vkcube_native.png $out/vkcube_venus.png"
if [ $failed != 0 ]; then
	echo "--- venus vkcube log"; tail -20 "$out/venus-c60.log"
	echo "--- server log (fatal / sanitizer lines)"
	grep -iE 'fatal|Sanitizer|runtime error' "$out/server.log" | head
fi
echo "$passed passed, $failed failed"
[ $failed = 0 ]
