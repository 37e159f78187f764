#!/usr/bin/env bash
# Installs everything virgl-next needs on a fresh Debian 12 (bookworm) machine:
# build tools, host libraries, and the Mesa 25.0.7 clients from bookworm-backports.
# Idempotent: packages already present are skipped by apt.
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# bookworm-backports carries Mesa 25.0.7 (the clients and the host drivers).
if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "deb http://deb.debian.org/debian bookworm-backports main" |
    $SUDO tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
fi

$SUDO apt-get update -qq

BUILD_PKGS="meson ninja-build pkg-config gcc clang python3 check libepoxy-dev libdrm-dev
  libvulkan-dev vulkan-validationlayers zlib1g-dev clang-format valgrind"
# Mesa from backports: the drivers on the host side (llvmpipe, lavapipe) and the
# unmodified guest-side clients (virpipe, Venus) that the tests drive.
MESA_PKGS="libgl1-mesa-dri libegl-mesa0 libgbm1 libgbm-dev libglx-mesa0 mesa-libgallium
  mesa-vulkan-drivers libegl-dev libgles-dev libgl-dev"
# glmark2-x11 (glmark2 --validate test, bench), x11-apps (xwd: glxgears screenshots).
CLIENT_PKGS="mesa-utils vulkan-tools waffle-utils xvfb xauth x11-utils x11-apps glmark2-x11"
# piglit is large and only needed for tests/piglit/run.sh (PIGLIT=1 scripts/test.sh).
if [ "${PIGLIT:-0}" = 1 ]; then CLIENT_PKGS="$CLIENT_PKGS piglit"; fi

# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $BUILD_PKGS
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports $MESA_PKGS
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports $CLIENT_PKGS

echo "setup-debian: done (Mesa $(dpkg-query -W -f='${Version}' libgl1-mesa-dri))"
