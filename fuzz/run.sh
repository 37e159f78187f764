#!/bin/bash
# SPDX-License-Identifier: MIT
#
# fuzz/run.sh SECONDS [HARNESS...]
#
# Builds the libFuzzer harnesses (if needed) in an instrumented build directory
# and runs each for SECONDS on its corpus, then prints executions, corpus size and
# coverage. Exits 1 if any harness found a crash, leak, timeout or OOM in this
# run; the input is kept under $WORK/crashes/HARNESS/. Default harnesses: every
# fuzz_* executable fuzz/meson.build defines in this configuration (e.g.
# fuzz_vtest fuzz_api fuzz_virgl_decode fuzz_venus_decode fuzz_tgsi).
# scripts/test.sh runs this for 60 s per harness after the test suite (CI smoke).
#
# Corpora: new inputs go to $WORK/corpus/HARNESS (kept between runs); the
# committed seeds in fuzz/corpus/HARNESS are read, never written.
#
# Environment:
#   FUZZ_BUILD_DIR  build directory (default: build-fuzz in the source tree)
#   FUZZ_WORK_DIR   corpora, crashes, logs (default: $FUZZ_BUILD_DIR/fuzz-work)
#   FUZZ_PARALLEL   harnesses run at the same time (default 1; 2 cores: at most 2)
#   NINJA_JOBS      build jobs (default 1)
#   FUZZ_ARGS       extra libFuzzer arguments
#   FUZZ_SEED       libFuzzer's -seed (default: a fresh random seed each run;
#                   scripts/test.sh pins it so that a CI failure replays)
#   FUZZ_MESON_ARGS extra `meson setup` options for a new build directory
#                   (e.g. -Dgl=disabled -Dvulkan=disabled: core and vtest only)
set -u

if [ $# -lt 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
	echo "usage: $0 SECONDS [fuzz_vtest|fuzz_api|fuzz_virgl_decode|fuzz_venus_decode|fuzz_tgsi ...]" >&2
	exit 2
fi
SECS=$1
shift
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${FUZZ_BUILD_DIR:-$SRC/build-fuzz}
WORK=${FUZZ_WORK_DIR:-$BUILD/fuzz-work}
PARALLEL=${FUZZ_PARALLEL:-1}
HARNESSES=("$@")

dicts_for() {
	case $1 in
	fuzz_vtest) echo "vtest virgl venus" ;;
	fuzz_virgl_decode) echo "virgl" ;;
	fuzz_venus_decode) echo "venus" ;;
	fuzz_tgsi) echo "tgsi" ;;
	*) echo "" ;;
	esac
}

# Seed directories beyond fuzz/corpus/HARNESS (read only).
extra_seeds() {
	case $1 in
	fuzz_vtest) echo "$SRC/tests/hostile/corpus" ;; # one crafted stream per bug class
	*) echo "" ;;
	esac
}

# ---- build ----
if [ ! -f "$BUILD/build.ninja" ]; then
	CC=${CC:-clang} meson setup "$BUILD" "$SRC" -Dfuzzing=true -Dtests=false -Db_lundef=false \
		-Dbuildtype=debugoptimized -Db_sanitize=address,undefined \
		-Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
		${FUZZ_MESON_ARGS:-} ||
		exit 1
fi
if [ ${#HARNESSES[@]} -eq 0 ]; then
	# Whatever fuzz/meson.build builds here (GPU decoders only when configured).
	mapfile -t HARNESSES < <(meson introspect "$BUILD" --targets | python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if t["type"] == "executable" and t["name"].startswith("fuzz_") and "/fuzz/" in t["filename"][0]:
        print(t["name"])' | sort)
	if [ ${#HARNESSES[@]} -eq 0 ]; then
		echo "fuzz: no harnesses in $BUILD" >&2
		exit 1
	fi
fi
targets=()
for h in "${HARNESSES[@]}"; do targets+=("fuzz/$h"); done
ninja -C "$BUILD" -j"${NINJA_JOBS:-1}" "${targets[@]}" || exit 1

# ---- run ----
run_one() {
	local h=$1 dict="" d log="$WORK/logs/$1.log"
	mkdir -p "$WORK/corpus/$h" "$WORK/crashes/$h" "$WORK/logs"
	for d in $(dicts_for "$h"); do
		cat "$SRC/fuzz/$d.dict"
	done >"$WORK/$h.dict"
	[ -s "$WORK/$h.dict" ] && dict="-dict=$WORK/$h.dict"
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$BUILD/fuzz/$h" "$WORK/corpus/$h" "$SRC/fuzz/corpus/$h" $(extra_seeds "$h") $dict \
		-max_total_time="$SECS" -print_final_stats=1 -close_fd_mask=2 -timeout=25 \
		-rss_limit_mb=4096 -malloc_limit_mb=2049 \
		-artifact_prefix="$WORK/crashes/$h/" ${FUZZ_SEED:+-seed=$FUZZ_SEED} ${FUZZ_ARGS:-} >"$log" 2>&1
	echo $? >"$WORK/logs/$h.rc"
}

summary() {
	local h=$1 log="$WORK/logs/$1.log" execs cov ft corp crashes rc
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
	ft=$(grep -Eo 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
	corp=$(grep -Eo 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2)
	# slow-unit-*: inputs libFuzzer reports for taking over 10 s (information, e.g.
	# a 1 GiB allocation being zeroed on a loaded machine); everything else (crash-,
	# leak-, timeout-, oom-) is a failure.
	crashes=$(find "$WORK/crashes/$h" -type f -newer "$STAMP" ! -name 'slow-unit-*' | wc -l)
	slow=$(find "$WORK/crashes/$h" -type f -newer "$STAMP" -name 'slow-unit-*' | wc -l)
	printf '%-18s %6ss  execs %-10s corpus %-12s cov %-6s ft %-7s crashes %s  slow units %s\n' \
		"$h" "$SECS" "${execs:-?}" "${corp:-?}" "${cov:-?}" "${ft:-?}" "$crashes" "$slow"
	rc=$(cat "$WORK/logs/$h.rc" 2>/dev/null || echo "?")
	[ "$rc" = 0 ] || echo "  $h exited with status $rc"
	[ "$crashes" -eq 0 ] && [ "$rc" = 0 ]
}

# Only what this run finds counts (older crash inputs stay for inspection).
mkdir -p "$WORK"
STAMP=$WORK/.run-stamp
touch "$STAMP"
status=0
pending=()
for h in "${HARNESSES[@]}"; do
	echo "fuzz: $h for ${SECS}s (log: $WORK/logs/$h.log)"
	run_one "$h" &
	pending+=($!)
	if [ ${#pending[@]} -ge "$PARALLEL" ]; then
		wait "${pending[@]}"
		pending=()
	fi
done
[ ${#pending[@]} -gt 0 ] && wait "${pending[@]}"

echo "---- results (build: $BUILD) ----"
for h in "${HARNESSES[@]}"; do
	if ! summary "$h"; then
		status=1
		find "$WORK/crashes/$h" -type f -newer "$STAMP" ! -name 'slow-unit-*' \
			-printf '  crash input: %p\n'
		grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|invariant failed' \
			"$WORK/logs/$h.log" | sed 's/^/  /'
	fi
done
if [ $status -ne 0 ]; then
	echo "fuzz: crashes found. Fix them, then add each input to tests/fuzz-regress/HARNESS/."
fi
exit $status
