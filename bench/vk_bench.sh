#!/bin/bash
# SPDX-License-Identifier: MIT
# vk_compute (4096-element dispatch + fence wait) and vk_triangle (texture upload, one textured
# triangle in a 64x64 render pass, copy-out + fence wait) natively on lavapipe and through Venus
# + virgl-next-vtest in one run: setup time and time per submitted frame/dispatch, with ratios.
# Usage: bench/vk_bench.sh BUILD_DIR [--iterations N] [--runs R]
# BUILD_DIR holds vtest/virgl-next-vtest and tests/clients/vk_{compute,triangle} (a non-ASan
# build). Numbers only mean something on an idle machine; the best of R runs is kept.
set -eu
build=${1:?usage: $0 BUILD_DIR [--iterations N] [--runs R]}
shift
iters=200
runs=3
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
# field 1: setup ms, field 2: us per iteration (best of $runs runs)
measure() { # mode program
	local best_setup="" best_iter="" out
	for _ in $(seq "$runs"); do
		if [ "$1" = native ]; then
			out=$(VK_ICD_FILENAMES=$lvp "$build/tests/clients/$2" --iterations "$iters")
		else
			out=$(VN_DEBUG=vtest VTEST_SOCKET_NAME=$work/sock VK_ICD_FILENAMES=$venus_icd \
				"$build/tests/clients/$2" --iterations "$iters")
		fi
		grep -qE 'elements ok|image ok' <<<"$out" || { echo "$2 ($1) failed: $out" >&2; exit 1; }
		read -r s i < <(sed -n 's/.*setup \([0-9.]*\) ms, .*(\([0-9.]*\) us each).*/\1 \2/p' <<<"$out")
		best_setup=$(awk -v a="$s" -v b="$best_setup" 'BEGIN{print (b=="" || a<b) ? a : b}')
		best_iter=$(awk -v a="$i" -v b="$best_iter" 'BEGIN{print (b=="" || a<b) ? a : b}')
	done
	echo "$best_setup $best_iter"
}

printf '%-12s %10s %14s %10s %14s %8s %8s\n' program "setup ms" "native us/it" "setup ms" \
	"venus us/it" "x setup" "x iter"
for prog in vk_compute vk_triangle; do
	read -r ns ni < <(measure native $prog)
	read -r vs vi < <(measure venus $prog)
	printf '%-12s %10.1f %14.1f %10.1f %14.1f %8.2f %8.2f\n' $prog "$ns" "$ni" "$vs" "$vi" \
		"$(awk -v a="$vs" -v b="$ns" 'BEGIN{print a/b}')" "$(awk -v a="$vi" -v b="$ni" 'BEGIN{print a/b}')"
done
echo "($iters iterations per run, best of $runs runs; columns 2-3 native lavapipe, 4-5 Venus)"
