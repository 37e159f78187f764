#!/usr/bin/env bash
# Unmodified Mesa 25.0.7 virpipe clients through virgl-next-vtest + vrend: wflinfo
# on a GL core and a GLES 3 context. Checks the renderer string names virgl and
# that the versions the caps gave reach the expected minimum: the argument pair,
# raised to what vrend implements (GL 4.5 core, GLES 3.1) wherever the host
# itself (wflinfo without virpipe) reaches that far.
#   gl_version.sh SERVER_BINARY [MIN_GL_CORE MIN_GLES]   (e.g. 3.3 3.0)
set -u
server_bin=$1
min_gl=${2:-3.3}
min_gles=${3:-3.0}
implemented_gl=4.5   # vrend's GL 4.5 core: cull distances, enhanced layouts ...
implemented_gles=3.2 # ES 3.2: KHR_blend_equation_advanced (state.c, glsl_emit.c)
command -v wflinfo >/dev/null || { echo "FAIL - wflinfo not installed"; exit 1; }
run=$(mktemp -d /tmp/vgn-glversion.XXXXXX)
sock="$run/sock"
log="$run/server.log"
. "$(dirname "$0")/check.sh"

"$server_bin" --socket "$sock" --debug >"$log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$run"; }
trap cleanup EXIT
for _ in $(seq 200); do [ -S "$sock" ] && break; sleep 0.05; done

# version_ge A B: A >= B for "major.minor"
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }

probe() { # name, min version, wflinfo args...
  local name=$1 min=$2 out="$run/$1.txt"
  shift 2
  VTEST_SOCKET_NAME="$sock" GALLIUM_DRIVER=virpipe timeout 30 wflinfo --platform surfaceless_egl "$@" >"$out" 2>&1
  local rc=$?
  local renderer version num
  renderer=$(sed -n 's/^OpenGL renderer string: //p' "$out")
  version=$(sed -n 's/^OpenGL version string: //p' "$out")
  num=$(echo "$version" | grep -oE '[0-9]+\.[0-9]+' | head -1)
  echo "# $name: renderer \"$renderer\", version \"$version\""
  check "$name: wflinfo exit 0 (got $rc)" "$([ $rc = 0 ]; echo $?)"
  check "$name: renderer contains virgl" "$(echo "$renderer" | grep -q virgl; echo $?)"
  check "$name: version $num >= $min" "$([ -n "$num" ] && version_ge "$num" "$min"; echo $?)"
  [ $rc = 0 ] || cat "$out"
}

version_max() { printf '%s\n%s\n' "$1" "$2" | sort -V | tail -1; }
version_min() { printf '%s\n%s\n' "$1" "$2" | sort -V | head -1; }
host_version() { # wflinfo args... -> the host's own "major.minor" (empty if none)
  env -u GALLIUM_DRIVER -u VTEST_SOCKET_NAME timeout 30 wflinfo --platform surfaceless_egl "$@" 2>/dev/null |
    sed -n 's/^OpenGL version string: //p' | grep -oE '[0-9]+\.[0-9]+' | head -1
}
host_gl=$(host_version --api gl --profile core)
host_gles=$(host_version --api gles3)
echo "# host: GL core ${host_gl:-none}, GLES ${host_gles:-none}"
[ -n "$host_gl" ] && min_gl=$(version_max "$min_gl" "$(version_min "$host_gl" "$implemented_gl")")
[ -n "$host_gles" ] && min_gles=$(version_max "$min_gles" "$(version_min "$host_gles" "$implemented_gles")")

probe gl-core "$min_gl" --api gl --profile core
probe gles3 "$min_gles" --api gles3
check "server still running" "$(kill -0 "$server" 2>/dev/null; echo $?)"
[ $fail = 0 ] || { echo "--- server log (tail)"; tail -40 "$log"; }
check_summary
