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
# harness are printed. The smoke uses a fixed seed (FUZZ_SEED, default 1) so that
# a failure replays on any machine; random seeds and long runs: fuzz/run-long.
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

# A release build (-O3) only compiles: GCC's -O3 flow analysis finds
# maybe-uninitialized warnings (errors here) that -O2 does not.
if [ -n "$BUILDS" ]; then
  echo "=== release build (compile only)"
  if [ ! -d build-test-release ]; then
    meson setup build-test-release -Dbuildtype=release -Dtests=false
  fi
  if ! ninja -C build-test-release -j "$JOBS"; then
    echo "failed test: release build (see the ninja output above)"
    status=1
  fi
fi

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
fuzz_status="skipped (FUZZ_SECONDS=0)"
if [ "$FUZZ_SECONDS" != 0 ]; then
  echo "=== fuzz smoke: every harness ${FUZZ_SECONDS}s (clang, ASan+UBSan, libFuzzer)"
  if FUZZ_SEED=${FUZZ_SEED-1} FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-$PWD/build-test-fuzz} FUZZ_PARALLEL=${FUZZ_PARALLEL:-2} NINJA_JOBS="$JOBS" \
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
# and every script test that reports "N passed, N failed" through meson. A meson test
# that failed without such a line (crash, timeout, a script's own exit code) counts as
# one failed check and is named, so the last lines of a run say what went wrong.
python3 - "${logs[@]}" <<'PY'
import json, os, re, sys
checks = fails = 0
failed_tests = []
for path in sys.argv[1:]:
    build = os.path.basename(os.path.dirname(os.path.dirname(path)))
    jpath = os.path.join(os.path.dirname(path), "testlog.json")
    results = []
    if os.path.exists(jpath):
        for line in open(jpath, errors="replace"):
            try:
                results.append(json.loads(line))
            except ValueError:
                pass
    for t in results:
        out = (t.get("stdout") or "") + "\n" + (t.get("stderr") or "")
        t_checks = t_fails = 0
        for m in re.finditer(r"\d+%: Checks: (\d+), Failures: (\d+), Errors: (\d+)", out):
            t_checks += int(m.group(1)); t_fails += int(m.group(2)) + int(m.group(3))
        for m in re.finditer(r"^(\d+) passed, (\d+) failed$", out, re.M):
            t_checks += int(m.group(1)) + int(m.group(2)); t_fails += int(m.group(2))
        bad = t.get("result") not in ("OK", "SKIP", "EXPECTEDFAIL")
        if bad:
            failed_tests.append((f"{build}: {t.get('name')} ({t.get('result')}, rc {t.get('returncode')})",
                                 [l for l in out.splitlines() if re.match(r"\s*(FAIL|not ok)\b", l)][:10]
                                 + ["..."] + out.strip().splitlines()[-20:]))
            if t_fails == 0:
                t_checks += 1; t_fails += 1
        checks += t_checks; fails += t_fails
    if not results:
        print(f"warning: no {jpath}: that build's tests are not counted")
print(f"Totals over all builds (Check summaries and script tests): {checks} checks, {fails} failed")
for name, tail in failed_tests:
    print(f"--- failed test: {name}; its last lines:")
    for line in tail:
        print(f"    {line}")
for name, _ in failed_tests:
    print(f"failed test: {name}")
print(f"{checks - fails} passed, {fails} failed")
PY
echo "Fuzz smoke: $fuzz_status"
exit $status
