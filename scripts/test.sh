#!/usr/bin/env bash
# Runs every test (the main suite last, so that its summary ends the output):
#   1. every fuzz target for a bounded time, with AddressSanitizer and UBSan, and every
#      committed regression input (ENTENTE_SKIP_FUZZ=1 skips this part).
#   2. the web UI's browser tests (Playwright driving Debian's Chromium against the real
#      `entente serve` over HTTPS), when web/ is there;
#   3. the GoogleTest suites under ctest (they start the real services they need: SQLite files,
#      entente servers on loopback with TLS, a private PostgreSQL cluster), the end-to-end CLI
#      checks, the authorization matrix and the layering check;
# Exit code non-zero on any failure; each part prints its own pass/fail count.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${ENTENTE_BUILD_DIR:-build}"
JOBS="${ENTENTE_TEST_JOBS:-2}"
failed=()

if [ "${ENTENTE_SKIP_FUZZ:-0}" != 1 ] && [ -x scripts/fuzz.sh ]; then
  echo "== fuzzing (bounded)"
  scripts/fuzz.sh --ci || failed+=(fuzz)
fi

if [ -f web/package.json ] && [ -x scripts/test_web.sh ]; then
  echo "== web UI in a real browser"
  scripts/setup_web.sh && ENTENTE_BIN="$BUILD_DIR/src/cli/entente" scripts/test_web.sh ||
    failed+=(browser)
fi

echo "== GoogleTest suites (ctest)"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS" --timeout 900 || failed+=(ctest)

if ((${#failed[@]})); then
  echo "test: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "test: all parts passed"
