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
# The UI's API types come from the server's own OpenAPI document: regenerate web/openapi.json
# from this binary, fail when the committed copy was stale, and lint it (Redocly, its
# recommended rules plus an operationId on every operation: web/redocly.yaml).
OPENAPI_STALE=0
ENTENTE_BIN="$BIN" "$ROOT/scripts/update_openapi.sh" --check || OPENAPI_STALE=1
if [ "$OPENAPI_STALE" = 1 ]; then ENTENTE_BIN="$BIN" "$ROOT/scripts/update_openapi.sh"; fi
echo "== checking that fr, en and ar hold the same message keys"
node "$ROOT/tests/ui/locales.mjs" || { echo "test_web: the message catalogues differ (above)" >&2; exit 1; }
echo "== linting the server's OpenAPI document (Redocly CLI, recommended rules)"
(cd "$ROOT/web" && npx --no-install redocly lint openapi.json --format=summary) ||
  { echo "test_web: the OpenAPI document has lint errors (above)" >&2; exit 1; }
(cd "$ROOT/web" && npm run build --silent >/dev/null) || { echo "test_web: web build failed" >&2; (cd "$ROOT/web" && npm run build); exit 1; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/entente-ui.XXXXXX")"
SERVER_PID=""
MA_PID=""
MA_PARTNER_PID=""
FR_PID=""
cleanup() {
  for pid in $SERVER_PID $MA_PID $MA_PARTNER_PID $FR_PID; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ "${KEEP:-0}" = 1 ]; then echo "test_web: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

DB="$TMP/entente.db"
SERVICE=DGSI
echo "== seeding a demo store in $TMP"
(cd "$TMP" && "$BIN" --db "$DB" demo --workdir "$TMP/demo" --persons 200 --applicants 300 >"$TMP/demo.log" 2>&1) ||
  { echo "test_web: entente demo failed:" >&2; tail -20 "$TMP/demo.log" >&2; exit 1; }
"$BIN" --db "$DB" pki --dir "$TMP/pki" init >/dev/null

# The UI signs in with a password (POST /api/v1/session).
"$BIN" users add --help 2>&1 | grep -q -- '--password-stdin' ||
  { echo "test_web: $BIN has no password sign-in (users add --password-stdin)" >&2; exit 1; }

USERS_JSON="$TMP/users.json"
echo '{' >"$USERS_JSON"
first=1
add_user() { # name role clearance [db service node]
  local name="$1" role="$2" clearance="$3" db="${4:-$DB}" service="${5:-$SERVICE}" node="${6:-main}" password token
  password="pw-$name-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s\n' "$password" | "$BIN" --db "$db" --service "$service" users add "$name" --role "$role" --clearance "$clearance" --password-stdin >/dev/null
  # A bearer token too, for the harness's own look-ups (never used by the UI).
  token="$("$BIN" --db "$db" --service "$service" users token "$name" | tail -1)"
  [ "$first" = 1 ] || echo ',' >>"$USERS_JSON"
  first=0
  printf '"%s": {"password": "%s", "token": "%s", "role": "%s", "clearance": "%s", "service": "%s", "node": "%s"}\n' \
    "$name" "$password" "$token" "$role" "$clearance" "$service" "$node" >>"$USERS_JSON"
}
add_user ana analyst AMBER
add_user gina analyst GREEN
add_user sol screening-officer AMBER
add_user lia liaison AMBER
add_user aud auditor RED      # the audit trail is RED: its readers need RED clearance
add_user adm admin GREEN
add_user probe analyst RED   # look-ups by the harness only (its bearer token)
# Morocco's node from the demo (nodes/dgsn-dgst.db): its liaison answers DGSI's follow-ups.
MA_DB="$TMP/demo/nodes/dgsn-dgst.db"
add_user malia liaison AMBER "$MA_DB" DGSN-DGST ma
add_user maso screening-officer AMBER "$MA_DB" DGSN-DGST ma
# France's node from the demo (nodes/dgsi.db): its liaison asks Morocco from the browser.
FR_DB="$TMP/demo/nodes/dgsi.db"
add_user frlia liaison AMBER "$FR_DB" DGSI fr
# A collection at France's node where Morocco's analysts post STIX from their own tools
# (unsigned, or signed with a key France does not know): the exchange page's received records
# then show every signature status. `mapost` is the partner account that posts.
FR_CONTRIB=7d1c2a4e-0b7f-4c3e-9a51-2f0e8d6b1c90
"$BIN" --db "$FR_DB" --service DGSI taxii collections add --id "$FR_CONTRIB" --title "Contributions from DGSN-DGST analysts" --agreement dgst >/dev/null
"$BIN" --db "$FR_DB" --service DGSI taxii collections grant "$FR_CONTRIB" user:mapost read-write >/dev/null
add_user mapost partner GREEN "$FR_DB" DGSN-DGST fr
add_user frgreen liaison GREEN "$FR_DB" DGSI fr   # must not see the AMBER records received
add_user fradm admin GREEN "$FR_DB" DGSI fr       # the keys and certificates of France's node
add_user maadm admin GREEN "$MA_DB" DGSN-DGST ma  # Morocco's own key, to check France's copy
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

# start_server NAME DB SERVICE CONFIG: sets PID_<NAME> and URL_<NAME> (empty when it failed)
start_server() {
  local name="$1" db="$2" service="$3" config="$4" url="" pid
  (cd "$TMP" && exec "$BIN" --db "$db" --service "$service" serve --config "$config" >"$TMP/$name.out" 2>"$TMP/$name.err") &
  pid=$!
  for _ in $(seq 1 100); do
    url="$(sed -n 's/^entente serving on \(https:[^ ]*\).*/\1/p' "$TMP/$name.out" 2>/dev/null | head -1)"
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  # The match index is built in the background at start-up; wait until it is ready.
  for _ in $(seq 1 100); do
    [ -n "$url" ] || break
    grep -q 'match index ready' "$TMP/$name.err" 2>/dev/null && break
    sleep 0.1
  done
  eval "PID_$name=$pid URL_$name=$url"
}

echo "== starting entente serve"
start_server main "$DB" "$SERVICE" "$TMP/serve.toml"
SERVER_PID="$PID_main"
URL="$URL_main"
if [ -z "$URL" ]; then
  echo "test_web: the server did not start:" >&2
  tail -20 "$TMP/main.err" >&2
  exit 1
fi
echo "   DGSI:      $URL/ui/"

# Morocco's node, on the address France's agreement names, with the demo's PKI; France asks
# it about two travellers and files two follow-up requests for its liaison to decide.
MA_URL=""
FR_URL=""
MA_ADDR="$("$BIN" --db "$TMP/demo/nodes/dgsi.db" --service DGSI share agreements 2>/dev/null | grep -o 'https://[0-9.]*:[0-9]*' | head -1 | sed 's|https://||')"
if [ -n "$MA_ADDR" ]; then
  cat >"$TMP/ma.toml" <<TOML
[server]
listen = "$MA_ADDR"
service = "DGSN-DGST"
static_dir = "$ROOT/web/dist"

[tls]
cert = "$TMP/demo/nodes/pki/server.crt"
key = "$TMP/demo/nodes/pki/server.key"
client_ca = "$TMP/demo/nodes/pki/ca.crt"

[[partners]]
name = "dgsi"
service = "DGSI"
cert_cn = "dgsi"
clearance = "AMBER"
TOML
  start_server ma "$MA_DB" DGSN-DGST "$TMP/ma.toml"
  MA_PID="$PID_ma"
  MA_URL="$URL_ma"
  if [ -n "$MA_URL" ]; then
    FR=("$BIN" --db "$TMP/demo/nodes/dgsi.db" --service DGSI)
    for who in "Hamza Tazi|1992-02-24|flight AT 780 from Casablanca, held at Orly" "Said Rahmouni||bus from Algeciras, checked at Hendaye"; do
      IFS='|' read -r name born why <<<"$who"
      ref="$("${FR[@]}" ask dgst --plain --name "$name" ${born:+--birth-date "$born"} 2>/dev/null | grep -o 'hnh-[0-9a-f]*' | head -1 || true)"
      [ -n "$ref" ] && "${FR[@]}" followup request dgst "$ref" --reason "$why" >/dev/null 2>&1 || true
    done
    # Morocco's partner server keeps answering France (mutual TLS, on the agreement's
    # address); its UI is served apart, without client certificates (with client_ca set,
    # Chromium was seen loading the page's script but not its stylesheet).
    MA_PARTNER_PID="$MA_PID"
    sed '/^client_ca/d; /^\[\[partners\]\]/,$d; s/^listen = .*/listen = "127.0.0.1:0"/' "$TMP/ma.toml" >"$TMP/ma-ui.toml"
    start_server maui "$MA_DB" DGSN-DGST "$TMP/ma-ui.toml"
    MA_PID="$PID_maui"
    MA_URL="$URL_maui"
    echo "   DGSN-DGST: $MA_URL/ui/"
    # France's node, whose liaison asks Morocco from the browser (its agreement names
    # Morocco's partner address and the demo's client certificate).
    sed "s|^service = .*|service = \"DGSI\"|" "$TMP/ma-ui.toml" >"$TMP/fr-ui.toml"
    start_server frui "$FR_DB" DGSI "$TMP/fr-ui.toml"
    FR_PID="$PID_frui"
    FR_URL="$URL_frui"
    echo "   DGSI node: $FR_URL/ui/"
  else
    echo "   (Morocco's node did not start: the hit/no-hit decision test is skipped)"
  fi
fi

echo "== browser tests"
set +e
ENTENTE_UI_URL="$URL" ENTENTE_UI_URL_MA="$MA_URL" ENTENTE_UI_URL_FR="$FR_URL" ENTENTE_UI_USERS="$USERS_JSON" ENTENTE_UI_FR_CONTRIB="$FR_CONTRIB" \
  ENTENTE_UI_SHOTS="$ROOT/docs/ui" ENTENTE_UI_FAILED="$TMP/failed" \
  node "$ROOT/tests/ui/run.mjs"
rc=$?
set -e
if [ "$rc" -ne 0 ] && [ -d "$TMP/failed" ]; then
  KEEP=1
  echo "test_web: screenshots of the failures in $TMP/failed"
fi
if [ "$OPENAPI_STALE" = 1 ]; then
  echo "test_web: FAILED: web/openapi.json was stale; it is rewritten from the server: commit it" >&2
  exit 1
fi
exit "$rc"
