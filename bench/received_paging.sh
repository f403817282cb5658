#!/usr/bin/env bash
# Deep paging of the exchange page's received records (GET /api/v1/exchange/received), for
# timing with farm-bench (docs/UI.md, "Measured"):
#
#   bench/received_paging.sh setup ENTENTE DIR ROWS     a demo store in DIR with ROWS pulled
#                                                       receipts; serves it; writes DIR/env
#   bench/received_paging.sh page DIR DEPTH [offset]    one page of 50 that starts after DEPTH
#                                                       receipts: by keyset cursor (default) or,
#                                                       with "offset", by the older p<N> cursor
#   bench/received_paging.sh stop DIR                   stops the server
#
# The receipts all name one readable record, so every one is shown: a page's cost is the rows
# the server walks to reach it. The keyset cursor is written here from the position it encodes
# (bench only: clients take next_cursor as opaque).
set -euo pipefail
cmd=$1
case "$cmd" in
  setup)
    entente=$2 dir=$3 rows=$4
    mkdir -p "$dir"
    db="$dir/entente.db"
    "$entente" --db "$db" demo --workdir "$dir/demo" --persons 200 --applicants 100 >/dev/null 2>&1
    "$entente" --db "$db" pki --dir "$dir/pki" init >/dev/null
    "$entente" --db "$db" --service DGSI users add benchlia --role liaison --clearance AMBER >/dev/null
    token="$("$entente" --db "$db" --service DGSI users token benchlia | tail -1)"
    cat >"$dir/serve.toml" <<TOML
[server]
listen = "127.0.0.1:0"
service = "DGSI"
[tls]
cert = "$dir/pki/server.crt"
key = "$dir/pki/server.key"
TOML
    "$entente" --db "$db" --service DGSI serve --config "$dir/serve.toml" >"$dir/serve.out" 2>"$dir/serve.err" &
    echo $! >"$dir/serve.pid"
    for _ in $(seq 1 100); do
      url="$(sed -n 's/^entente serving on \(https:[^ ]*\).*/\1/p' "$dir/serve.out" | head -1)"
      [ -n "$url" ] && break
      sleep 0.1
    done
    [ -n "$url" ] || { echo "the server did not start: $(tail -3 "$dir/serve.err")" >&2; exit 1; }
    get() { curl -sfk -H "Authorization: Bearer $token" "$url$1"; }
    get /api/v1/exchange/received >/dev/null  # creates the exchange tables
    record="$(get '/api/v1/entities?q=ben&type=person&limit=50' |
      python3 -c 'import json,sys; print(next(e["id"] for e in json.load(sys.stdin)["items"] if e["marking"]["tlp"] in ("CLEAR","GREEN")))')"
    sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
      INSERT INTO exchange_received (partner, collection, object_id, record_id, version,
        received_at, signed)
      SELECT 'dgst', 'bench', '$record', '$record', 'v' || i,
        strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || i || ' seconds'), 1 FROM n;"
    printf 'URL=%s\nTOKEN=%s\nROWS=%s\n' "$url" "$token" "$rows" >"$dir/env"
    ;;
  page)
    dir=$2 depth=$3 how=${4:-keyset}
    # shellcheck disable=SC1091
    . "$dir/env"
    if [ "$how" = offset ]; then
      cursor="$(printf 'p%s' "$depth" | basenc --base64url | tr -d '=')"
    else
      # The receipt at position DEPTH (newest first) has id ROWS - DEPTH + 1 and that second.
      id=$((ROWS - depth + 1))
      at="$(date -u -d "@$(($(date -u -d 2026-01-01 +%s) + id))" +%Y-%m-%dT%H:%M:%S.000Z)"
      cursor="$(printf 'k\n%s\npull\n%s' "$at" "$id" | basenc --base64url | tr -d '=')"
    fi
    out="$(curl -sfk -H "Authorization: Bearer $TOKEN" "$URL/api/v1/exchange/received?via=pull&limit=50&cursor=$cursor")"
    n="$(printf '%s' "$out" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')"
    [ "$n" = 50 ] || { echo "expected 50 items, got $n" >&2; exit 1; }
    ;;
  stop)
    dir=$2
    kill "$(cat "$dir/serve.pid")" 2>/dev/null || true
    ;;
  *) echo "usage: $0 setup ENTENTE DIR ROWS | page DIR DEPTH [offset] | stop DIR" >&2; exit 2 ;;
esac
