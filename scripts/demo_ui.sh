#!/usr/bin/env bash
# Serves the web UI on the demo's store (after `make demo`; `make demo UI=1` runs both): builds
# web/, adds demo users of every role with fresh passwords, and runs `entente serve` over HTTPS
# on https://127.0.0.1:${UI_PORT:-8443}/ui/ until Ctrl-C. The tour in docs/UI.md follows it.
#   scripts/demo_ui.sh [DEMO_DIR]      (default .demo)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEMO_DIR="$(cd "${1:-.demo}" && pwd)"
BIN="${ENTENTE_BIN:-$ROOT/build/src/cli/entente}"
DB="$DEMO_DIR/entente.db"
SERVICE=DGSI   # the tour in docs/UI.md signs in at DGSI (the Olympics accreditation is France's)
PORT="${UI_PORT:-8443}"
[ -f "$DB" ] || { echo "demo_ui: no demo store at $DB: run make demo first" >&2; exit 2; }

"$ROOT/scripts/setup_web.sh"
echo "demo_ui: building the web UI"
# The type generator's lint warnings go to a log: the demo prints only what the user needs.
(cd "$ROOT/web" && npm run build --silent >/dev/null 2>"$DEMO_DIR/ui-build.log") ||
  { cat "$DEMO_DIR/ui-build.log" >&2; echo "demo_ui: the web UI did not build" >&2; exit 1; }

[ -f "$DEMO_DIR/pki/server.crt" ] || "$BIN" --db "$DB" --service "$SERVICE" pki --dir "$DEMO_DIR/pki" init >/dev/null
USERS="$DEMO_DIR/ui-users.txt"
umask 077
: >"$USERS"
add_user() { # name role clearance
  local password
  password="demo-$1-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  if ! "$BIN" --db "$DB" --service "$SERVICE" users list 2>/dev/null | grep -q "^$1 "; then
    "$BIN" --db "$DB" --service "$SERVICE" users add "$1" --role "$2" --clearance "$3" >/dev/null
  fi
  printf '%s\n' "$password" | "$BIN" --db "$DB" --service "$SERVICE" users passwd "$1" --password-stdin >/dev/null
  printf '  %-6s %-18s %-6s password %s\n' "$1" "$2" "$3" "$password" | tee -a "$USERS"
}
echo "demo_ui: demo users (also in $USERS):"
add_user ana analyst AMBER
add_user gina analyst GREEN
add_user sol screening-officer AMBER
add_user lia liaison AMBER
add_user aud auditor RED
add_user adm admin GREEN

cat >"$DEMO_DIR/serve.toml" <<TOML
[server]
listen = "127.0.0.1:$PORT"
service = "$SERVICE"
static_dir = "$ROOT/web/dist"

[tls]
cert = "$DEMO_DIR/pki/server.crt"
key = "$DEMO_DIR/pki/server.key"
TOML
echo "demo_ui: open https://127.0.0.1:$PORT/ui/ and sign in as one of the users above"
echo "         (the certificate is the demo's own CA, $DEMO_DIR/pki/ca.crt: accept it once); Ctrl-C stops"
exec "$BIN" --db "$DB" --service "$SERVICE" serve --config "$DEMO_DIR/serve.toml"
