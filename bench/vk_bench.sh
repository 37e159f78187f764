#!/bin/bash
# SPDX-License-Identifier: MIT
# vk_compute (4096-element dispatch + fence wait) and vk_triangle (texture upload, one textured
# triangle in a 64x64 render pass, copy-out + fence wait) natively on lavapipe and through Venus
# + virgl-next-vtest in one run: setup time and time per submitted frame/dispatch, with ratios.
# Usage: bench/vk_bench.sh BUILD_DIR [--iterations N] [--runs R]
# BUILD_DIR holds vtest/virgl-next-vtest and tests/clients/vk_{compute,triangle} (a non-ASan
# build). Numbers only mean something on a quiet machine: on a shared one, run it as
# `nice -n -20 bench/vk_bench.sh ...` (root) and compare medians. Default: 200 iterations, 5 runs.
set -eu
build=${1:?usage: $0 BUILD_DIR [--iterations N] [--runs R]}
shift
iters=200
runs=5
while [ $# -gt 0 ]; do
	case $1 in
	--iterations) iters=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	*) echo "unknown option $1" >&2; exit 2 ;;
	esac
done
server=$build/vtest/virgl-next-vtest
work=$(mktemp -d /tmp/vgn-vkbench.XXXXXX)
env -u VK_ICD_FILENAMES -u VN_DEBUG "$server" --socket "$work/sock" >"$work/server.log" 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -S "$work/sock" ] && break; sleep 0.05; done

lvp=/usr/share/vulkan/icd.d/lvp_icd.json
venus_icd=/usr/share/vulkan/icd.d/virtio_icd.json
# One run: prints "setup_ms us_per_iteration".
run_once() { # mode program [program arguments]
	local out s i mode=$1 prog=$2
	shift 2
	if [ "$mode" = native ]; then
		out=$(VK_ICD_FILENAMES=$lvp "$build/tests/clients/$prog" --iterations "$iters" "$@")
	else
		out=$(VN_DEBUG=vtest VTEST_SOCKET_NAME=$work/sock VK_ICD_FILENAMES=$venus_icd \
			timeout 120 "$build/tests/clients/$prog" --iterations "$iters" "$@")
	fi
	grep -qE 'elements ok|image ok' <<<"$out" || { echo "$prog ($mode) failed: $out" >&2; exit 1; }
	read -r s i < <(sed -n 's/.*setup \([0-9.]*\) ms, .*(\([0-9.]*\) us each).*/\1 \2/p' <<<"$out")
	echo "$s $i"
}
median() { sort -n | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
best() { sort -n | head -1; }

printf '%-22s %10s %14s %10s %14s %8s %8s %9s\n' program "setup ms" "native us/it" "setup ms" \
	"venus us/it" "x setup" "x iter" "of native"
# The small programs are dominated by the per-submission round trip (docs/performance.md);
# vk_compute-1M (a 4 MiB dispatch, a few ms of work) shows a workload where it is not.
for spec in vk_compute vk_triangle "vk_compute-1M vk_compute --elements 1048576"; do
	read -r label prog args <<<"$spec"
	prog=${prog:-$label}
	: >"$work/native" && : >"$work/venus"
	# Native and Venus runs alternate so that a change in machine load hits both alike.
	for _ in $(seq "$runs"); do
		run_once native $prog $args >>"$work/native"
		run_once venus $prog $args >>"$work/venus"
	done
	for stat in median best; do
		ns=$(cut -d' ' -f1 "$work/native" | $stat) ni=$(cut -d' ' -f2 "$work/native" | $stat)
		vs=$(cut -d' ' -f1 "$work/venus" | $stat) vi=$(cut -d' ' -f2 "$work/venus" | $stat)
		printf '%-22s %10.1f %14.1f %10.1f %14.1f %8.2f %8.2f %9.2f\n' "$label $stat" "$ns" \
			"$ni" "$vs" "$vi" "$(awk -v a="$vs" -v b="$ns" 'BEGIN{print a/b}')" \
			"$(awk -v a="$vi" -v b="$ni" 'BEGIN{print a/b}')" \
			"$(awk -v a="$ni" -v b="$vi" 'BEGIN{print a/b}')"
	done
done
echo "($iters iterations per run, $runs runs each, native and Venus alternating; median and best" \
	"of the runs; columns 2-3 native lavapipe, 4-5 Venus; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
