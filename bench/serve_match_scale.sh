#!/bin/sh
# Match requests per second through N `entente serve` processes over one store (issue 18:
# "match requests/s through one vs three servers"). Starts N servers (plain HTTP, --no-worker)
# on STORE, signs one analyst in, drives each server with its own wrk (POST /api/v1/match,
# names of the store's persons in turn) for SECONDS, and prints the summed requests/s.
#   bench/serve_match_scale.sh ENTENTE STORE N SECONDS [CONNECTIONS_PER_SERVER]
# STORE must already hold the persons (e.g. the watchlist of bench/screen_workers.sh). wrk, the
# servers and PostgreSQL share the machine: on 2 cores more servers cannot add CPU, the figure
# shows what the sharing costs.
set -e
entente=$1 store=$2 n=$3 seconds=$4 conns=${5:-4}
dir=$(mktemp -d /tmp/entente-scale-XXXXXX)
trap 'for p in $(cat "$dir"/pids 2>/dev/null); do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$dir"' EXIT
printf '[server]\ntoken_key_file = "%s/token-key"\n[limits]\nrate_per_minute = 10000000\nrate_burst = 1000000\n' \
  "$dir" > "$dir/serve.toml"
user="scale$(date +%s%N)"
token=$("$entente" --db "$store" users --token-key "$dir/token-key" add "$user" \
  --role analyst --clearance RED 2>&1 | grep '^ent_')
cat > "$dir/match.lua" <<'LUA'
local names = {"Mohamed Ali", "Ahmed Hassan", "Omar Abdullah", "Ivan Petrov", "Li Wei", "Maria Lopez"}
local i = 0
request = function()
  i = i + 1
  local body = '{"name": "' .. names[(i % #names) + 1] .. '", "top": 5}'
  return wrk.format("POST", "/api/v1/match", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("ENTENTE_TOKEN")}, body)
end
LUA
ports=""
i=0
while [ "$i" -lt "$n" ]; do
  "$entente" --db "$store" serve --config "$dir/serve.toml" --http --listen 127.0.0.1:0 \
    --no-worker > "$dir/serve$i.out" 2> "$dir/serve$i.err" &
  echo $! >> "$dir/pids"
  i=$((i + 1))
done
i=0
while [ "$i" -lt "$n" ]; do
  for _ in $(seq 1 600); do grep -q "serving on" "$dir/serve$i.out" && break; sleep 0.1; done
  port=$(sed -n 's/.*serving on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$dir/serve$i.out")
  [ -n "$port" ] || { echo "server $i did not start" >&2; cat "$dir/serve$i.err" >&2; exit 1; }
  # Wait for the match index (answers "match-index" once built).
  for _ in $(seq 1 600); do
    curl -s -H "Authorization: Bearer $token" -d '{"name":"x"}' \
      "http://127.0.0.1:$port/api/v1/match" | grep -q '"engine":"match-index"' && break
    sleep 0.2
  done
  ports="$ports $port"
  i=$((i + 1))
done
wrks=""
for port in $ports; do
  ENTENTE_TOKEN=$token wrk -t1 -c"$conns" -d"${seconds}s" -s "$dir/match.lua" \
    "http://127.0.0.1:$port" > "$dir/wrk$port.txt" 2>&1 &
  wrks="$wrks $!"
done
for pid in $wrks; do wait "$pid"; done
total=0
for port in $ports; do
  rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$dir/wrk$port.txt")
  errors=$(grep -c "Non-2xx" "$dir/wrk$port.txt" || true)
  echo "server on port $port: $rps requests/s (non-2xx lines: $errors)"
  total=$(echo "$total + $rps" | bc)
done
echo "$n servers: $total match requests/s in total"
