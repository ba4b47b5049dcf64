#!/usr/bin/env bash
# The three jobs of schemasync on SQLite, end to end, in a scratch folder:
#   1. sync a schema into a new database,
#   2. change the source and sync it to two targets,
#   3. roll a target back to its first version.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE/.."
cargo build --quiet --release -p schemasync-cli
BIN="$PWD/target/release/schemasync"
DEMO="${DEMO_DIR:-$PWD/target/demo}"
rm -rf "$DEMO" && mkdir -p "$DEMO"
export SCHEMASYNC_HISTORY="$DEMO/history.db"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. sync examples/hr.sql into two new databases"
"$BIN" sync --from examples/hr.sql --to "sqlite:$DEMO/hr_prod.db" "sqlite:$DEMO/hr_prod_2.db" -m "initial schema"
sqlite3 "$DEMO/hr_prod.db" "INSERT INTO departments (name, budget) VALUES ('R&D', 1000); INSERT INTO employees (department_id, full_name, salary) VALUES (1, 'Ada', 120000);" 2>/dev/null || true

step "2. hr_test gets a new column; review the plan, then roll it out"
sed 's/  manager_id INTEGER/  email TEXT NOT NULL DEFAULT '"''"',\n  manager_id INTEGER/' examples/hr.sql > "$DEMO/hr_test.sql"
"$BIN" sync --from "$DEMO/hr_test.sql" --to "sqlite:$DEMO/hr_test.db"
"$BIN" diff "sqlite:$DEMO/hr_test.db" "sqlite:$DEMO/hr_prod.db" || true
"$BIN" sync --from "sqlite:$DEMO/hr_test.db" --to "sqlite:$DEMO/hr_prod.db" "sqlite:$DEMO/hr_prod_2.db" -m "add employees.email"
"$BIN" history list "sqlite:$DEMO/hr_prod.db"

step "3. roll hr_prod back to version 1 (drops the new column: needs --allow-destructive)"
"$BIN" rollback "sqlite:$DEMO/hr_prod.db" --to 1 || echo "(refused, exit $?)"
"$BIN" rollback "sqlite:$DEMO/hr_prod.db" --to 1 --allow-destructive
"$BIN" diff examples/hr.sql "sqlite:$DEMO/hr_prod.db" && echo "hr_prod matches examples/hr.sql again"
