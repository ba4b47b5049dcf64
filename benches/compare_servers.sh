#!/usr/bin/env bash
# schemasync introspection against the engine's own dump tool, on live local
# servers: PostgreSQL (postgres@127.0.0.1:5432, pg_dump --schema-only) and
# MariaDB/MySQL (root@127.0.0.1:3306, mysqldump --no-data), for generated
# schemas of 1,000 and 3,000 tables. Each size runs in a fresh database that
# is dropped afterwards. Medians of RUNS (default 5) alternating runs each;
# peak RSS via /usr/bin/time (Debian package `time`) when it exists.
# Needs psql, pg_dump, mariadb and mysqldump on PATH.
# Environment: SIZES="1000 3000", ENGINES="postgres mysql", RUNS=5.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZES="${SIZES:-1000 3000}"
ENGINES="${ENGINES:-postgres mysql}"
RUNS="${RUNS:-5}"
cargo build --quiet --release -p schemasync-benches --bin server_bench
LOG="$(mktemp)"; RUN="$(mktemp)"; trap 'rm -f "$LOG" "$RUN"' EXIT
for engine in $ENGINES; do
  for tables in $SIZES; do
    echo "== $engine, $tables tables" >&2
    # Progress to stderr; the RESULT line is collected for the table.
    target/release/server_bench "$engine" --tables "$tables" --runs "$RUNS" | tee "$RUN" >&2
    grep '^RESULT ' "$RUN" >>"$LOG"
  done
done
mib() { if [[ "$1" =~ ^[0-9]+$ ]]; then awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; else echo "n/a"; fi; }
echo
echo "| engine | tables | schemasync (median) | dump tool | dump tool (median) | ratio | schemasync peak RSS | dump tool peak RSS |"
echo "|---|---:|---:|---|---:|---:|---:|---:|"
while read -r line; do
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  printf '| %s | %s | %s ms | %s | %s ms | %s | %s | %s |\n' "$(get engine)" "$(get tables)" "$(get ours_ms)" \
    "$(get dump_tool)" "$(get dump_ms)" "$(get ratio)" "$(mib "$(get ours_peak_kib)")" "$(mib "$(get dump_peak_kib)")"
done <"$LOG"
