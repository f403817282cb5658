#!/usr/bin/env bash
# Installs the Debian 12 packages entente needs (only the missing ones; quiet when all are
# there), then configures and builds in Release. Safe to run again.
#   scripts/setup.sh            install + build
#   scripts/setup.sh --no-build install only
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ccache
  clang libclang-rt-14-dev
  libsqlite3-dev sqlite3
  libpq-dev postgresql postgresql-contrib
  libicu-dev
  nlohmann-json3-dev libcli11-dev libtomlplusplus-dev
  libcpp-httplib-dev libssl-dev openssl
  libsodium-dev libspdlog-dev libfmt-dev
  libigraph-dev libarpack2-dev libglpk-dev libplfit-dev libpugixml-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk curl python3 ca-certificates
  # What the OASIS STIX/TAXII clients in ../shared/clients/python need (the TAXII conformance
  # test, tests/interop/taxii_conformance.py).
  python3-requests python3-tz python3-six python3-simplejson python3-antlr4 python3-jsonschema
  python3-colorama python3-dateutil python3-requests-cache python3-appdirs python3-packaging
  python3-attr python3-rfc3987 python3-webcolors python3-idna
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} Debian package(s): ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--no-build" ]; then exit 0; fi

BUILD_DIR="${ENTENTE_BUILD_DIR:-build}"
# ccache keys on paths relative to the checkout, so a second clone reuses the first one's objects.
export CCACHE_BASEDIR="$PWD"
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DENTENTE_WERROR="${ENTENTE_WERROR:-OFF}" >/dev/null
fi
JOBS="${ENTENTE_JOBS:-$(nproc)}"
# Show warnings and errors, not the progress lines; fail when the build fails.
set +e
ninja -C "$BUILD_DIR" -j "$JOBS" | grep -vE '^\[[0-9]+/[0-9]+\] '
build_status=${PIPESTATUS[0]}
set -e
if [ "$build_status" -ne 0 ]; then
  echo "setup: build failed (see the errors above)" >&2
  exit "$build_status"
fi
test -x "$BUILD_DIR/src/cli/entente"
echo "setup: built $BUILD_DIR/src/cli/entente"
