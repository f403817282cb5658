#!/bin/sh
# One screening job, end to end (list stored, rows matched, hits written, job done), in one of
# three set-ups, for timing with farm-bench (docs/PERFORMANCE.md, "Screening over workers"):
#   bench/screen_workers.sh sqlite  ENTENTE STORE LIST      one process on a SQLite file
#   bench/screen_workers.sh single  ENTENTE PG_URL LIST     one process on PostgreSQL
#   bench/screen_workers.sh workers ENTENTE PG_URL LIST N   the job queued, N `entente worker`s
# Each call stores the list under a new name, so runs can repeat over one store.
set -e
mode=$1 entente=$2 store=$3 list=$4 workers=${5:-2}
name="bench-$(date +%s%N)"
case "$mode" in
  sqlite|single)
    "$entente" --db "$store" jobs start --list "$name" --input "$list" --threads 2 >/dev/null 2>&1
    ;;
  workers)
    "$entente" --db "$store" jobs start --list "$name" --input "$list" --queue >/dev/null 2>&1
    threads=$((2 / workers)); [ "$threads" -ge 1 ] || threads=1
    i=0
    while [ "$i" -lt "$workers" ]; do
      "$entente" --db "$store" worker --exit-when-idle --quiet --poll-ms 50 \
        --threads "$threads" >/dev/null &
      i=$((i + 1))
    done
    wait
    ;;
  *) echo "usage: $0 sqlite|single|workers ENTENTE STORE LIST [N]" >&2; exit 2 ;;
esac
