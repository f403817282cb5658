#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, docs/FUZZING.md) with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer in build-fuzz/, builds their seed corpora, runs each target for a
# bounded time, runs the committed regression inputs, and prints one line per target:
# executions, corpus size, crashes. Exits non-zero when anything crashed.
#
#   scripts/fuzz.sh                 each target FUZZ_SECONDS (default 30) seconds
#   scripts/fuzz.sh --ci            each target 20 seconds (CI: bounded, ~5 minutes in all)
#   scripts/fuzz.sh --regressions   only build and run the regression inputs (ctest)
#   scripts/fuzz.sh csv sdn         only these targets
#
# Environment: FUZZ_SECONDS, FUZZ_JOBS (build parallelism, default 2), FUZZ_BUILD_DIR
# (default build-fuzz), ENTENTE_SHARED_DIR (../shared). Crash inputs are kept in
# $FUZZ_BUILD_DIR/fuzz-artifacts/<target>/; minimize one with
#   build-fuzz/fuzz/<target>_fuzz -minimize_crash=1 -runs=10000 <crash-file>
# and commit it under fuzz/regressions/<target>/ with the fix.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export CCACHE_BASEDIR="$ROOT"  # a second clone reuses the first one's compiled objects
BUILD="${FUZZ_BUILD_DIR:-build-fuzz}"
JOBS="${FUZZ_JOBS:-2}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-30}"
ONLY_REGRESSIONS=0
ALL_TARGETS=(csv sdn un ftm generic_csv jsonl stix_bundle taxii_envelope agreement risk_rules
             hitnohit_plain hitnohit_private normalize http_path)
TARGETS=()
for arg in "$@"; do
  case "$arg" in
    --ci) SECONDS_PER_TARGET="${FUZZ_SECONDS:-20}" ;;
    --regressions) ONLY_REGRESSIONS=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $arg" >&2; exit 2 ;;
    *) TARGETS+=("$arg") ;;
  esac
done
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL_TARGETS[@]}")

# Largest input per target (bytes): big enough for a few records, small enough to stay fast.
max_len() {
  case "$1" in
    sdn|un|stix_bundle|taxii_envelope|ftm) echo 16384 ;;
    normalize|http_path) echo 1024 ;;
    *) echo 8192 ;;
  esac
}

if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2
  exit 2
fi
if [ ! -f "$BUILD/build.ninja" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DENTENTE_FUZZ=ON \
    -DENTENTE_BUILD_TESTS=OFF -DENTENTE_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "${launcher[@]}" >/dev/null || exit 2
fi
ninja -C "$BUILD" -j "$JOBS" $(printf '%s_fuzz ' "${TARGETS[@]}") >"$BUILD/fuzz-build.log" 2>&1 || {
  tail -40 "$BUILD/fuzz-build.log"; echo "fuzz.sh: build failed" >&2; exit 2; }
if grep -q "warning:" "$BUILD/fuzz-build.log"; then
  echo "fuzz.sh: the build printed warnings (see $BUILD/fuzz-build.log)" >&2
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

failed=0
regressions() {
  echo "== regression inputs (ctest -L fuzz-regression)"
  if ! ctest --test-dir "$BUILD" -L fuzz-regression --output-on-failure; then failed=1; fi
}
if [ "$ONLY_REGRESSIONS" = 1 ]; then
  regressions
  exit $failed
fi

SEEDS="$BUILD/fuzz-seeds"
CORPUS="$BUILD/fuzz-corpus"
ARTIFACTS="$BUILD/fuzz-artifacts"
LOGS="$BUILD/fuzz-logs"
fuzz/seeds.sh "$SEEDS" >/dev/null || { echo "fuzz.sh: seeds.sh failed" >&2; exit 2; }
mkdir -p "$CORPUS" "$ARTIFACTS" "$LOGS"

started=$(date +%s)
rows=()
for t in "${TARGETS[@]}"; do
  rm -rf "$ARTIFACTS/$t"
  mkdir -p "$CORPUS/$t" "$ARTIFACTS/$t"
  # The corpus grows across runs in build-fuzz; the seeds are read but never written.
  "$BUILD/fuzz/${t}_fuzz" "$CORPUS/$t" "$SEEDS/$t" \
    -max_total_time="$SECONDS_PER_TARGET" -max_len="$(max_len "$t")" -timeout=10 \
    -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$ARTIFACTS/$t/" \
    >"$LOGS/$t.log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$LOGS/$t.log" | grep -o '[0-9]*$' | tail -1)
  [ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$LOGS/$t.log" | tail -1 | tr -d '#')
  corpus=$(find "$CORPUS/$t" -type f | wc -l)
  crashes=$(find "$ARTIFACTS/$t" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes="1?"; fi
  [ "$rc" -ne 0 ] && failed=1
  rows+=("$(printf '%-18s %12s %8s %8s' "$t" "${execs:-?}" "$corpus" "$crashes")")
  printf '%-18s done (%s execs, rc %s)\n' "$t" "${execs:-?}" "$rc" >&2
done

regressions
echo
printf '%-18s %12s %8s %8s\n' target executions corpus crashes
printf '%s\n' "${rows[@]}"
echo "($(( $(date +%s) - started )) s of fuzzing, ${SECONDS_PER_TARGET} s per target; logs in $LOGS)"
if [ "$failed" -ne 0 ]; then
  echo "fuzz.sh: FAILED: crash inputs in $ARTIFACTS/<target>/, logs in $LOGS" >&2
fi
exit $failed
