#!/usr/bin/env bash
# Writes web/openapi.json from the server's own document (`entente openapi`, the one served
# at /api/v1/openapi.json), so the UI's generated types follow the routes.
#   ENTENTE_BIN  the entente binary (default build/src/cli/entente)
#   --check      do not write: exit 1 when the committed copy differs from the server's
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${ENTENTE_BIN:-build/src/cli/entente}"
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
if [ ! -x "$BIN" ]; then
  echo "update_openapi: no entente binary at $BIN (build it first, or set ENTENTE_BIN)" >&2
  exit 2
fi
TMP="$(mktemp "${TMPDIR:-/tmp}/entente-openapi.XXXXXX")"
trap 'rm -f "$TMP"' EXIT
"$BIN" openapi >"$TMP"
if cmp -s "$TMP" "$ROOT/web/openapi.json"; then
  echo "update_openapi: web/openapi.json is the server's document"
  exit 0
fi
if [ "${1:-}" = --check ]; then
  echo "update_openapi: web/openapi.json differs from the server's document: run scripts/update_openapi.sh and commit it" >&2
  exit 1
fi
cp "$TMP" "$ROOT/web/openapi.json"
echo "update_openapi: web/openapi.json rewritten from the server's document"
