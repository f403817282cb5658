#!/usr/bin/env bash
# Runs every test: the GoogleTest suites under ctest (they start the real services they need:
# SQLite files, entente servers on loopback with TLS, a private PostgreSQL cluster) and the
# end-to-end CLI checks. Exit code non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${ENTENTE_BUILD_DIR:-build}"
JOBS="${ENTENTE_TEST_JOBS:-2}"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS" --timeout 600
