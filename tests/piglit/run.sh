#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs tests/piglit/list.txt natively on llvmpipe and through virgl-next-vtest
# (GALLIUM_DRIVER=virpipe), and prints "N passed, N failed" for each.
# Through virpipe, every test that passes natively must pass, except those in
# tests/piglit/exceptions.txt (one per line: name <TAB> reason).
#
# Usage: tests/piglit/run.sh [-j JOBS] [-m native|virpipe|both] [-l LIST] [-o OUTDIR] SERVER
#   SERVER: path of virgl-next-vtest. Exit status 0 only when nothing regressed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
jobs=$(nproc)
mode=both
list=$here/list.txt
out=
while getopts "j:m:l:o:" o; do
	case $o in
	j) jobs=$OPTARG ;;
	m) mode=$OPTARG ;;
	l) list=$OPTARG ;;
	o) out=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
server=${1:-}
piglit=/usr/lib/x86_64-linux-gnu/piglit
[ -x "$piglit/bin/shader_runner" ] || { echo "piglit is not installed ($piglit)"; exit 77; }
[ "$mode" = native ] || [ -x "$server" ] || { echo "usage: $0 [...] SERVER"; exit 2; }
out=${out:-$(mktemp -d /tmp/vgn-piglit.XXXXXX)}
mkdir -p "$out"

# One test: prints "name<TAB>result". Results: pass fail skip crash timeout warn.
run_one() {
	local name=$1 cmd=$2 log=$3
	local args
	read -r -a args <<<"$cmd"
	local bin=$piglit/bin/${args[0]}
	(cd "$piglit" && PIGLIT_PLATFORM=surfaceless_egl timeout 60 "$bin" "${args[@]:1}" -auto -fbo) >"$log" 2>&1
	local rc=$?
	local res
	res=$(grep -o '"result": "[a-z]*"' "$log" | tail -1 | sed 's/.*: "\(.*\)"/\1/')
	if [ $rc -eq 124 ]; then res=timeout
	elif [ -z "$res" ]; then if [ $rc -ge 128 ]; then res=crash; else res=fail; fi
	fi
	printf '%s\t%s\n' "$name" "$res"
}
export -f run_one
export piglit

run_mode() { # mode -> $out/$mode.txt
	local m=$1 srv_pid= sock_dir=
	mkdir -p "$out/$m-logs"
	if [ "$m" = virpipe ]; then
		sock_dir=$(mktemp -d /tmp/vgn-piglit-sock.XXXXXX)
		"$server" --socket "$sock_dir/sock" --fork --max-clients 64 >"$out/server.log" 2>&1 &
		srv_pid=$!
		for _ in $(seq 50); do [ -S "$sock_dir/sock" ] && break; sleep 0.1; done
		export GALLIUM_DRIVER=virpipe VTEST_SOCKET_NAME=$sock_dir/sock
	else
		export GALLIUM_DRIVER=llvmpipe
		unset VTEST_SOCKET_NAME
	fi
	local i=0
	while IFS=$'\t' read -r _cat name cmd; do
		i=$((i + 1))
		printf '%s\0%s\0%s\0' "$name" "$cmd" "$out/$m-logs/$i.log"
	done <"$list" | xargs -0 -n 3 -P "$jobs" bash -c 'run_one "$0" "$1" "$2"' >"$out/$m.txt"
	if [ -n "$srv_pid" ]; then
		if ! kill -0 "$srv_pid" 2>/dev/null; then echo "virpipe: the server died (see $out/server.log)"; fi
		kill "$srv_pid" 2>/dev/null; wait "$srv_pid" 2>/dev/null
		rm -rf "$sock_dir"
	fi
	local pass fail skip
	pass=$(grep -c $'\tpass$' "$out/$m.txt")
	skip=$(grep -c $'\tskip$' "$out/$m.txt")
	fail=$(($(wc -l <"$out/$m.txt") - pass - skip))
	echo "$m: $pass passed, $fail failed ($skip skipped) of $(wc -l <"$list")"
}

status=0
[ "$mode" = virpipe ] || run_mode native
[ "$mode" = native ] || run_mode virpipe
if [ "$mode" = both ]; then
	# Regressions: pass natively, not through virpipe, and not a documented exception.
	sort "$out/native.txt" >"$out/n.sorted"; sort "$out/virpipe.txt" >"$out/v.sorted"
	join -t $'\t' "$out/n.sorted" "$out/v.sorted" | awk -F'\t' '$2 == "pass" && $3 != "pass" {print $1 "\t" $3}' >"$out/regressions.txt"
	cut -f1 "$here/exceptions.txt" 2>/dev/null | grep -v '^#' | sort -u >"$out/exceptions.sorted"
	grep -v -F -x -f "$out/exceptions.sorted" <(cut -f1 "$out/regressions.txt") >"$out/unexplained.txt" || true
	echo "regressions: $(wc -l <"$out/regressions.txt") ($(wc -l <"$out/unexplained.txt") not in exceptions.txt)"
	if [ -s "$out/unexplained.txt" ]; then
		status=1
		head -50 "$out/unexplained.txt" | sed 's/^/  regressed: /'
	fi
fi
echo "results in $out"
exit $status
