#!/usr/bin/env bash
# consumer-install: installs the build in $1 into a temporary directory, builds
# consumer.c with `pkg-config --cflags --libs virgl-next` alone, runs it against the
# installed library, and checks that the installed .so exports only vgn_* symbols.
#   run.sh BUILD_DIR [SOURCE_DIR_OF_CONSUMER]
set -euo pipefail
build=$(cd "$1" && pwd)
src=${2:-$(dirname "$0")}
cc=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vgn-consumer.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The sanitizer runtime is not part of what a consumer links; only the library is.
meson install -C "$build" --no-rebuild --quiet --destdir "$tmp/root" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; echo "FAIL: meson install"; exit 1; }

pc=$(find "$tmp/root" -name virgl-next.pc -print -quit)
[ -n "$pc" ] || { echo "FAIL: virgl-next.pc not installed"; exit 1; }
hdr=$(find "$tmp/root" -path '*/virgl-next/virgl_next.h' -print -quit)
[ -n "$hdr" ] || { echo "FAIL: virgl_next.h not installed"; exit 1; }
so=$(find "$tmp/root" -name 'libvirgl-next.so.0' -print -quit)
[ -n "$so" ] || { echo "FAIL: libvirgl-next.so.0 not installed"; exit 1; }

# --destdir keeps the configured prefix inside the .pc file; the sysroot variable
# makes pkg-config prefix every -I/-L with the staging directory.
export PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_SYSROOT_DIR="$tmp/root"
export PKG_CONFIG_LIBDIR=$(dirname "$pc")
flags=$(pkg-config --cflags --libs virgl-next)
echo "pkg-config: $flags"

# Sanitizer builds: the installed library needs its runtime; the consumer itself is
# built exactly as a user would build it.
extra=()
sanitize=$(meson introspect "$build" --buildoptions 2>/dev/null |
  python3 -c 'import json,sys; print(next((o["value"] for o in json.load(sys.stdin) if o["name"]=="b_sanitize"),"none"))' ||
  echo none)
if [ "$sanitize" != none ] && [ -n "$sanitize" ]; then
  extra=(-fsanitize="$sanitize")
fi

# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror -o "$tmp/consumer" "$src/consumer.c" $flags "${extra[@]}"

# The installed header stands alone: strict C99 and C++ (extern "C") both take it.
printf '#include <virgl-next/virgl_next.h>\nint main(void) { return 0; }\n' >"$tmp/hdr.c"
# shellcheck disable=SC2046
"$cc" -std=c99 -pedantic-errors -Wall -Wextra -Werror $(pkg-config --cflags virgl-next) \
  -c "$tmp/hdr.c" -o "$tmp/hdr.o"
if command -v "${CXX:-c++}" >/dev/null; then
  cp "$tmp/hdr.c" "$tmp/hdr.cc"
  # shellcheck disable=SC2046
  "${CXX:-c++}" -std=c++11 -pedantic-errors -Wall -Wextra -Werror \
    $(pkg-config --cflags virgl-next) -c "$tmp/hdr.cc" -o "$tmp/hdr.o"
fi

libdir=$(dirname "$so")
LD_LIBRARY_PATH="$libdir" "$tmp/consumer"
# The binary really ran against the installed copy.
LD_LIBRARY_PATH="$libdir" ldd "$tmp/consumer" | grep -F "$libdir/libvirgl-next.so.0" >/dev/null ||
  { echo "FAIL: consumer did not resolve the installed library"; exit 1; }

# Exported symbols: only vgn_* (the version-script node itself is an 'A' entry).
bad=$(nm -D --defined-only "$so" | awk '$2 != "A" && $3 !~ /^vgn_/ {print $3}')
if [ -n "$bad" ]; then
  echo "FAIL: symbols exported outside vgn_*:"; echo "$bad"; exit 1
fi
# ... and exactly the functions the installed header declares with VGN_EXPORT:
# nothing internal that happens to start with vgn_, nothing declared but missing.
nm -D --defined-only "$so" | awk '$3 ~ /^vgn_/ {sub(/@.*/, "", $3); print $3}' | sort -u \
  >"$tmp/exported.txt"
grep '^VGN_EXPORT' "$hdr" | grep -o 'vgn_[a-z0-9_]*(' | tr -d '(' | sort -u >"$tmp/declared.txt"
if ! diff -u "$tmp/declared.txt" "$tmp/exported.txt"; then
  echo "FAIL: exported vgn_* symbols differ from the header's VGN_EXPORT functions"; exit 1
fi
n=$(wc -l <"$tmp/exported.txt")
[ "$n" -gt 0 ] || { echo "FAIL: no vgn_* symbols exported"; exit 1; }
echo "ok: consumer ran against $libdir; $n vgn_* symbols exported = the header's API, nothing else"
