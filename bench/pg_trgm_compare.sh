#!/usr/bin/env bash
# Side-by-side: entente's matching engine vs PostgreSQL 15 pg_trgm similarity() with a GIN index,
# on the same watchlist and queries. Starts a private PostgreSQL cluster on a unix socket in a
# temp directory (as the `postgres` user when run as root), stops and removes it at the end.
#
# Usage: bench/pg_trgm_compare.sh [BUILD_DIR] [SAMPLE]
#   BUILD_DIR  where match_bench was built (default build-match beside this script's repo)
#   SAMPLE     queries used for pg_trgm's F1 (default 2000; all 100k would take ~10 minutes)
# Env: WATCHLIST, QUERIES, TRUTH (default ../shared/eval/screening_dev/*_large.csv),
#      ENTENTE_OUTPUT (a saved match_bench output on the same files, instead of running it),
#      PG_BIN (default /usr/lib/postgresql/15/bin), PG_SECONDS (qps run length, default 20).
#
# Prints both engines' queries/second (2 connections / 2 threads), F1 (pg_trgm at its best-F1
# threshold, found on the sample) and the ratio.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="${1:-$root/build-match}"
sample="${2:-2000}"
data="${ENTENTE_SHARED_DIR:-$root/../shared}/eval/screening_dev"
watchlist="${WATCHLIST:-$data/watchlist_large.csv}"
queries="${QUERIES:-$data/queries_large.csv}"
truth="${TRUTH:-$data/truth_large.csv}"
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
seconds="${PG_SECONDS:-20}"
bench="$build/bench/match_bench"

for f in "$watchlist" "$queries" "$truth"; do
  [[ -r "$f" ]] || { echo "error: cannot read $f" >&2; exit 2; }
done
[[ -x "$bench" || -n "${ENTENTE_OUTPUT:-}" ]] || { echo "error: $bench not built (ninja -C $build match_bench)" >&2; exit 2; }
[[ -x "$pg_bin/initdb" ]] || { echo "error: no PostgreSQL 15 in $pg_bin (apt-get install postgresql-15)" >&2; exit 2; }

work="$(mktemp -d /tmp/entente_pgtrgm.XXXXXX)"
as_pg=()
if [[ "$(id -u)" == 0 ]]; then
  chown postgres "$work"
  as_pg=(runuser -u postgres --)
fi
pgdata="$work/data"
port=54329
cleanup() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== preparing data in $work"
python3 - "$watchlist" "$queries" "$truth" "$work" "$sample" <<'EOF'
import csv, random, sys
watchlist, queries, truth, work, sample = sys.argv[1:6]
with open(f"{work}/names.tsv", "w") as out:
    for row in csv.DictReader(open(watchlist, encoding="utf-8")):
        names = [row["name"]] + [a for a in row["aliases"].split("|") if a.strip()]
        for name in names:
            out.write(row["id"] + "\t" + name.replace("\t", " ").replace("\\", " ") + "\n")
rows = list(csv.DictReader(open(queries, encoding="utf-8")))
with open(f"{work}/queries.tsv", "w") as out:
    for i, row in enumerate(rows, 1):
        out.write(f"{i}\t{row['id']}\t" + row["name"].replace("\t", " ").replace("\\", " ") + "\n")
random.seed(7)
picked = set(random.sample(range(1, len(rows) + 1), min(int(sample), len(rows))))
with open(f"{work}/sample_ids.txt", "w") as out:
    for i in sorted(picked):
        out.write(f"{i}\n")
EOF
chmod -R a+rX "$work"

echo "== starting PostgreSQL 15 (unix socket in $work)"
"${as_pg[@]}" "$pg_bin/initdb" -D "$pgdata" -A trust -U postgres >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pgdata" -l "$work/pg.log" -w \
  -o "-k $work -p $port -c listen_addresses='' -c shared_buffers=256MB -c max_connections=20" start >/dev/null
psql() { "${as_pg[@]}" "$pg_bin/psql" -h "$work" -p "$port" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -d postgres -c "CREATE DATABASE bench"
load_start=$(date +%s.%N)
psql -d bench <<EOF
CREATE EXTENSION pg_trgm;
CREATE TABLE wl (id text, name text);
\copy wl FROM '$work/names.tsv'
CREATE INDEX wl_name_trgm ON wl USING gin (name gin_trgm_ops);
CREATE TABLE q (n int PRIMARY KEY, qid text, name text);
\copy q FROM '$work/queries.tsv'
CREATE TABLE qsample (n int PRIMARY KEY);
\copy qsample FROM '$work/sample_ids.txt'
ANALYZE;
EOF
load_end=$(date +%s.%N)
echo "pg_trgm load + GIN index: $(python3 -c "print(f'{$load_end-$load_start:.1f}')") s for $(wc -l < "$work/names.tsv") names"

echo "== pg_trgm accuracy on $sample sampled queries (best hit per query, similarity >= 0.3)"
psql -d bench -A -t -F $'\t' > "$work/pg_best.tsv" <<'EOF'
SELECT set_limit(0.3);
SELECT q.qid, b.id, b.sim
FROM qsample s JOIN q ON q.n = s.n
LEFT JOIN LATERAL (
  SELECT wl.id, similarity(wl.name, q.name) AS sim FROM wl
  WHERE wl.name % q.name ORDER BY wl.name <-> q.name LIMIT 1) b ON true;
EOF
pg_f1_line="$(python3 - "$work/pg_best.tsv" "$truth" <<'EOF'
import csv, sys
best = {}
for line in open(sys.argv[1]):
    parts = line.rstrip("\n").split("\t")
    if len(parts) == 3 and parts[0]:
        best[parts[0]] = (parts[1], float(parts[2]) if parts[2] else 0.0)
truth = {r["query_id"]: r["expected_watchlist_id"] for r in csv.DictReader(open(sys.argv[2]))}
result = None
for step in range(30, 96, 2):
    t = step / 100
    tp = fp = pos = 0
    for qid, (wid, sim) in best.items():
        want = truth.get(qid, "")
        pos += bool(want)
        if wid and sim >= t:
            if wid == want: tp += 1
            else: fp += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / pos if pos else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    if result is None or f1 > result[0]:
        result = (f1, t, p, r)
print(f"{result[0]:.4f} {result[1]:.2f} {result[2]:.4f} {result[3]:.4f}")
EOF
)"
read -r pg_f1 pg_threshold pg_precision pg_recall <<< "$pg_f1_line"
echo "pg_trgm best F1 $pg_f1 at similarity >= $pg_threshold (precision $pg_precision, recall $pg_recall)"

echo "== pg_trgm speed: pgbench, 2 connections, ${seconds}s, random queries, threshold $pg_threshold"
nq=$(wc -l < "$work/queries.tsv")
cat > "$work/screen.sql" <<EOF
\set n random(1, $nq)
SELECT wl.id, similarity(wl.name, q.name) FROM q, wl
WHERE q.n = :n AND wl.name % q.name ORDER BY wl.name <-> q.name LIMIT 5;
EOF
chmod a+r "$work/screen.sql"
pg_qps="$("${as_pg[@]}" env PGOPTIONS="-c pg_trgm.similarity_threshold=$pg_threshold" \
  "$pg_bin/pgbench" -h "$work" -p "$port" -U postgres -n -c 2 -j 2 -T "$seconds" \
  -f "$work/screen.sql" bench 2>/dev/null | awk '/^tps/ {print $3; exit}')"
echo "pg_trgm: $pg_qps queries/s"

echo "== entente: match_bench on the same files"
if [[ -n "${ENTENTE_OUTPUT:-}" ]]; then
  # Reuse a match_bench run made on the same files (saves a few minutes on a busy machine).
  cp "$ENTENTE_OUTPUT" "$work/entente.txt"
  cat "$work/entente.txt"
else
  "$bench" --watchlist "$watchlist" --queries "$queries" --truth "$truth" --threads 1,2 | tee "$work/entente.txt"
fi
ent_qps="$(awk '/2 threads:/ {for (i=1;i<=NF;i++) if ($i=="queries/s") print $(i-1)}' "$work/entente.txt" | tail -1)"
ent_f1="$(awk '/F1/ {for (i=1;i<=NF;i++) if ($i=="F1") print $(i+1)}' "$work/entente.txt" | tail -1)"

echo
echo "== side by side (2 connections / 2 threads)"
printf "%-10s %14s %8s\n" engine "queries/s" F1
printf "%-10s %14s %8s\n" pg_trgm "$pg_qps" "$pg_f1"
printf "%-10s %14s %8s\n" entente "$ent_qps" "$ent_f1"
python3 -c "print(f'ratio      {float(\"$ent_qps\") / float(\"$pg_qps\"):.0f}x queries/s, F1 {float(\"$ent_f1\"):.3f} vs {float(\"$pg_f1\"):.3f}')"
