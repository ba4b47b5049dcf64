#!/usr/bin/env bash
# Fleet rollout, whole command: one source to TARGETS PostgreSQL databases of
# TABLES tables each (rows in every table), `sync --parallel 1` against
# `sync --parallel P`, wall time and peak RSS (/usr/bin/time, Debian package
# `time`), medians of RUNS runs. Before each timed run every target is reset
# to v1 (untimed), so each run applies the same v1 -> v2 change (a column
# added to every table). Sources are live databases (v1, v2). Databases are created on the local server
# (postgres@127.0.0.1:5432) and dropped afterwards.
# Environment: TARGETS=24 TABLES=150 PARALLEL=8 RUNS=3 PROFILE=release|debug.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TARGETS="${TARGETS:-24}"; TABLES="${TABLES:-150}"; PARALLEL="${PARALLEL:-8}"; RUNS="${RUNS:-3}"
PROFILE="${PROFILE:-release}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
if [[ "$PROFILE" == release ]]; then cargo build --quiet --release -p schemasync-cli; BIN="$PWD/target/release/schemasync"
else cargo build --quiet -p schemasync-cli; BIN="$PWD/target/debug/schemasync"; fi
WORK="$(mktemp -d)"; PREFIX="ss_bench_rollout_$$"
cleanup() {
  for i in v1 v2 $(seq 1 "$TARGETS"); do psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS ${PREFIX}_$i" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
v1="$WORK/v1.sql"; v2="$WORK/v2.sql"; : >"$v1"; : >"$v2"
for t in $(seq 1 "$TABLES"); do
  echo "CREATE TABLE t$t (id bigint PRIMARY KEY, name text NOT NULL, created timestamptz NOT NULL DEFAULT now());" >>"$v1"
  echo "CREATE INDEX t${t}_name ON t$t (name);" >>"$v1"
  echo "CREATE TABLE t$t (id bigint PRIMARY KEY, name text NOT NULL, created timestamptz NOT NULL DEFAULT now(), note text NOT NULL DEFAULT '');" >>"$v2"
  echo "CREATE INDEX t${t}_name ON t$t (name);" >>"$v2"
done
# Live source databases, so that no run pays for loading a .sql file into a scratch database.
for v in v1 v2; do
  psql "$PG/postgres" -qc "CREATE DATABASE ${PREFIX}_$v"
  psql "$PG/${PREFIX}_$v" -q -f "$WORK/$v.sql"
done
{ echo "history = \"$WORK/history.db\""; echo "[environments.src.databases]"; echo "v1 = \"$PG/${PREFIX}_v1\""; \
  echo "v2 = \"$PG/${PREFIX}_v2\""; echo "[environments.bench.databases]"; } >"$WORK/schemasync.toml"
for i in $(seq 1 "$TARGETS"); do
  psql "$PG/postgres" -qc "CREATE DATABASE ${PREFIX}_$i"
  psql "$PG/${PREFIX}_$i" -q -f "$v1"
  for t in $(seq 1 "$TABLES"); do echo "INSERT INTO t$t (id, name) SELECT g, 'n' || g FROM generate_series(1, 20) g;"; done \
    | psql "$PG/${PREFIX}_$i" -q
  echo "db$i = \"$PG/${PREFIX}_$i\"" >>"$WORK/schemasync.toml"
done
cd "$WORK"
measure() { # $1 = parallel, $2 = env or single target; prints "seconds kib"
  "$BIN" sync --from src/v1 --env bench --parallel 8 --allow-destructive >/dev/null
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$BIN" sync --from src/v2 $2 --parallel "$1" >/dev/null
  cat "$WORK/time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A wall rss
for mode in "1 --env bench" "$PARALLEL --env bench" "1 --to bench/db1"; do
  read -r p target <<<"$mode"
  : >"$WORK/runs"
  for _ in $(seq 1 "$RUNS"); do measure "$p" "$target" >>"$WORK/runs"; done
  key="$p $target"
  wall[$key]=$(awk '{print $1}' "$WORK/runs" | median)
  rss[$key]=$(awk '{print $2}' "$WORK/runs" | median)
  echo "parallel $p, $target: wall ${wall[$key]} s, peak RSS ${rss[$key]} KiB (median of $RUNS)" >&2
done
seq1="${wall[1 --env bench]}"; par="${wall[$PARALLEL --env bench]}"; one="${wall[1 --to bench/db1]}"
echo
echo "| run | wall (median) | peak RSS |"
echo "|---|---:|---:|"
echo "| $TARGETS targets, --parallel 1 | $seq1 s | ${rss[1 --env bench]} KiB |"
echo "| $TARGETS targets, --parallel $PARALLEL | $par s | ${rss[$PARALLEL --env bench]} KiB |"
echo "| 1 target | $one s | ${rss[1 --to bench/db1]} KiB |"
awk -v s="$seq1" -v p="$par" -v o="$one" -v n="$TARGETS" -v k="$PARALLEL" \
  'BEGIN { printf "parallel/sequential wall: %.2f; ideal (one target x ceil(n/k)): %.1f s\n", p / s, o * int((n + k - 1) / k) }'
awk -v a="${rss[$PARALLEL --env bench]}" -v b="${rss[1 --to bench/db1]}" 'BEGIN { printf "parallel peak RSS / one-target peak RSS: %.2f\n", a / b }'
