#!/usr/bin/env bash
# Whole command, side by side in one run: `schemasync diff` of two generated
# 1,000-table SQLite databases against SQLite's own `sqldiff --schema`.
# Needs hyperfine and sqldiff (Debian: hyperfine, sqlite3-tools).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TABLES="${TABLES:-1000}"
cargo build --quiet --release -p schemasync-cli -p schemasync-benches --bin schemasync --bin gen_sqlite
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
target/release/gen_sqlite "$WORK/a.db" "$TABLES"
target/release/gen_sqlite "$WORK/b.db" "$TABLES" variant
hyperfine --warmup 3 --runs "${RUNS:-20}" -N -i --export-markdown "$WORK/result.md" \
  "target/release/schemasync diff sqlite:$WORK/b.db sqlite:$WORK/a.db" \
  "sqldiff --schema $WORK/a.db $WORK/b.db"
cat "$WORK/result.md"
