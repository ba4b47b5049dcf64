#!/usr/bin/env bash
# Build every fuzz target once, run each for FUZZ_SECONDS (default 30) on
# fuzz/corpus/<target> seeded from fuzz/seeds/<target>, and fail on any
# crash, printing the artifact that reproduces it
# (`RUSTC_BOOTSTRAP=1 cargo fuzz run <target> <artifact>`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# cargo-fuzz passes nightly flags; the stable compiler accepts them this way.
export RUSTC_BOOTSTRAP=1
# Leave a core to whoever else builds on this machine.
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}"
seconds="${FUZZ_SECONDS:-30}"
# A fixed seed keeps CI's runs repeatable; FUZZ_SEED=0 lets libFuzzer pick one.
seed="${FUZZ_SEED:-1}"
# No sanitizer: every crate forbids unsafe code, and ASan would halve the
# executions. Debug assertions catch arithmetic overflow.
flags=(--sanitizer none --debug-assertions)

cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked
cargo fuzz build "${flags[@]}"

failed=0
for target in $(cargo fuzz list); do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  log="fuzz/artifacts/$target/last-run.log"
  echo "fuzz: $target for ${seconds}s"
  if ! cargo fuzz run "${flags[@]}" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
      -max_total_time="$seconds" -seed="$seed" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    failed=1
    echo "fuzz: $target crashed; log $log"
    # cargo-fuzz repeats the whole log in its error: print only the cause.
    grep -m1 -E 'panicked at|ERROR: libFuzzer' "$log" | cut -c1-400 || true
    grep -o 'Test unit written to [^ ]*' "$log" | head -1 || tail -20 "$log" | cut -c1-400
  fi
  grep -E '^#[0-9]+.*DONE|stat::number_of_executed_units' "$log" | tail -2 || true
done
exit "$failed"
