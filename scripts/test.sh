#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: install what is missing,
# build twice (plain, and ASan+UBSan), run every test in both builds, and print
# one summary line. `.ci/run` calls exactly this.
#
#   scripts/test.sh              # everything
#   SKIP_SETUP=1 scripts/test.sh # skip apt (dependencies already installed)
#   BUILDS="plain" scripts/test.sh
#   FUZZ_SECONDS=0 scripts/test.sh   # skip the fuzz smoke (default: 60 s per harness)
#   PIGLIT=1 scripts/test.sh         # also run tests/piglit/run.sh (native vs virpipe)
#
# After the tests, every libFuzzer harness (fuzz/meson.build) runs FUZZ_SECONDS in
# a clang ASan+UBSan build (build-test-fuzz, via fuzz/run.sh), FUZZ_PARALLEL (2)
# at a time; any crash, leak or sanitizer report fails the run. Executions per
# harness are printed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup-debian.sh
fi

BUILDS=${BUILDS-"plain asan"}  # BUILDS="" : no test builds (e.g. fuzz smoke only)
JOBS=${JOBS:-$(nproc)}
status=0
logs=()

for kind in $BUILDS; do
  dir="build-test-$kind"
  opts=()
  if [ "$kind" = asan ]; then
    opts=(-Db_sanitize=address,undefined -Db_lundef=false)
  fi
  if [ ! -d "$dir" ]; then
    meson setup "$dir" "${opts[@]}"
  else
    meson setup --reconfigure "$dir" "${opts[@]}" >/dev/null
  fi
  ninja -C "$dir" -j "$JOBS"
  echo "=== meson test ($kind build)"
  # ASan: abort on the first error so a bad access fails the test; leaks fail too.
  if ! ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
       UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
       meson test -C "$dir" --print-errorlogs --num-processes "$JOBS"; then
    status=1
  fi
  logs+=("$dir/meson-logs/testlog.txt")
done

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
fuzz_status="skipped (FUZZ_SECONDS=0)"
if [ "$FUZZ_SECONDS" != 0 ]; then
  echo "=== fuzz smoke: every harness ${FUZZ_SECONDS}s (clang, ASan+UBSan, libFuzzer)"
  if FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-$PWD/build-test-fuzz} FUZZ_PARALLEL=${FUZZ_PARALLEL:-2} NINJA_JOBS="$JOBS" \
       bash fuzz/run.sh "$FUZZ_SECONDS"; then
    fuzz_status="no crashes"
  else
    fuzz_status="FAILED (see the fuzz-work/ directory of the fuzz build)"
    status=1
  fi
fi

# Optional: the piglit list natively and through virpipe (about 10 minutes on 2 cores).
if [ "${PIGLIT:-0}" = 1 ]; then
  echo "=== piglit list (tests/piglit/list.txt), native and virpipe"
  if ! bash tests/piglit/run.sh -j "$JOBS" -o "$PWD/build-test-plain/piglit" \
       "$PWD/build-test-plain/vtest/virgl-next-vtest"; then
    status=1
  fi
fi

# One closing line over every Check summary ("NN%: Checks: N, Failures: F, Errors: E")
# and every script test that reports "ok"/"FAIL" through meson.
python3 - "${logs[@]}" <<'PY'
import re, sys
checks = fails = 0
for path in sys.argv[1:]:
    text = open(path, errors="replace").read()
    for m in re.finditer(r"\d+%: Checks: (\d+), Failures: (\d+), Errors: (\d+)", text):
        checks += int(m.group(1)); fails += int(m.group(2)) + int(m.group(3))
    # Script tests (real clients, install test) end with the plain "N passed, N failed".
    for m in re.finditer(r"^(\d+) passed, (\d+) failed$", text, re.M):
        checks += int(m.group(1)) + int(m.group(2)); fails += int(m.group(2))
print(f"Totals over all builds (Check summaries and script tests): {checks} checks, {fails} failed")
print(f"{checks - fails} passed, {fails} failed")
PY
echo "Fuzz smoke: $fuzz_status"
exit $status
