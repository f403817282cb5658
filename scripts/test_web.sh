#!/usr/bin/env bash
# Browser tests of the web UI: builds web/, seeds a fresh demo store, creates users of every
# role with passwords, serves the UI with `entente serve` over HTTPS on a free loopback port,
# runs tests/ui in Debian's Chromium, prints the pass/fail count, stops the server.
#   ENTENTE_BIN     the entente binary (default build/src/cli/entente)
#   ENTENTE_UI_ONLY a regular expression: run only the tests whose name matches
#   KEEP=1          keep the temporary folder (store, logs) and print where it is
# Screenshots go to docs/ui/*.png (the tour in docs/UI.md uses them).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${ENTENTE_BIN:-build/src/cli/entente}"
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
if [ ! -x "$BIN" ]; then
  echo "test_web: no entente binary at $BIN (build it first, or set ENTENTE_BIN)" >&2
  exit 2
fi
if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM:-}" ]; then
  echo "test_web: Chromium is missing: run scripts/setup_web.sh" >&2
  exit 2
fi

echo "== building the web UI"
"$ROOT/scripts/setup_web.sh"
(cd "$ROOT/web" && npm run build --silent >/dev/null) || { echo "test_web: web build failed" >&2; (cd "$ROOT/web" && npm run build); exit 1; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/entente-ui.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "test_web: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

DB="$TMP/entente.db"
SERVICE=DGSI
echo "== seeding a demo store in $TMP"
(cd "$TMP" && "$BIN" --db "$DB" demo --workdir "$TMP/demo" --persons 200 --applicants 300 >"$TMP/demo.log" 2>&1) ||
  { echo "test_web: entente demo failed:" >&2; tail -20 "$TMP/demo.log" >&2; exit 1; }
"$BIN" --db "$DB" pki --dir "$TMP/pki" init >/dev/null

# Password sign-in (POST /api/v1/session) when the binary has it; otherwise the harness
# stands in for the session routes and the API calls carry the user's bearer token.
if "$BIN" users add --help 2>&1 | grep -q -- '--password-stdin'; then MODE=session; else MODE=bearer; fi

USERS_JSON="$TMP/users.json"
echo '{' >"$USERS_JSON"
first=1
add_user() { # name role clearance
  local name="$1" role="$2" clearance="$3" password token
  password="pw-$name-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  if [ "$MODE" = session ]; then
    token="$(printf '%s\n' "$password" | "$BIN" --db "$DB" --service "$SERVICE" users add "$name" --role "$role" --clearance "$clearance" --password-stdin | tail -1)"
  else
    token="$("$BIN" --db "$DB" --service "$SERVICE" users add "$name" --role "$role" --clearance "$clearance" | tail -1)"
  fi
  [ "$first" = 1 ] || echo ',' >>"$USERS_JSON"
  first=0
  printf '"%s": {"password": "%s", "token": "%s", "role": "%s", "clearance": "%s", "service": "%s"}\n' \
    "$name" "$password" "$token" "$role" "$clearance" "$SERVICE" >>"$USERS_JSON"
}
add_user ana analyst AMBER
add_user gina analyst GREEN
add_user sol screening-officer AMBER
add_user lia liaison AMBER
add_user aud auditor GREEN
add_user adm admin GREEN
add_user probe analyst RED   # look-ups by the harness only (its bearer token)
echo '}' >>"$USERS_JSON"

cat >"$TMP/serve.toml" <<TOML
[server]
listen = "127.0.0.1:0"
service = "$SERVICE"
static_dir = "$ROOT/web/dist"

[tls]
cert = "$TMP/pki/server.crt"
key = "$TMP/pki/server.key"
TOML

echo "== starting entente serve ($MODE sign-in)"
(cd "$TMP" && exec "$BIN" --db "$DB" --service "$SERVICE" serve --config "$TMP/serve.toml" >"$TMP/serve.out" 2>"$TMP/serve.err") &
SERVER_PID=$!
URL=""
for _ in $(seq 1 100); do
  URL="$(sed -n 's/^entente serving on \(https:[^ ]*\).*/\1/p' "$TMP/serve.out" 2>/dev/null | head -1)"
  [ -n "$URL" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$URL" ]; then
  echo "test_web: the server did not start:" >&2
  tail -20 "$TMP/serve.err" >&2
  exit 1
fi
echo "   $URL/ui/"
# The match index is built in the background at start-up; wait until it is ready.
for _ in $(seq 1 100); do
  grep -q 'match index ready' "$TMP/serve.err" 2>/dev/null && break
  sleep 0.1
done

echo "== browser tests"
set +e
ENTENTE_UI_URL="$URL" ENTENTE_UI_USERS="$USERS_JSON" ENTENTE_UI_MODE="$MODE" \
  ENTENTE_UI_SHOTS="$ROOT/docs/ui" ENTENTE_UI_FAILED="$TMP/failed" \
  node "$ROOT/tests/ui/run.mjs"
rc=$?
set -e
if [ "$rc" -ne 0 ] && [ -d "$TMP/failed" ]; then
  KEEP=1
  echo "test_web: screenshots of the failures in $TMP/failed"
fi
exit "$rc"
