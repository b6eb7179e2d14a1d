#!/usr/bin/env bash
# Runs the four cargo-fuzz targets (fuzz/fuzz_targets) for SECONDS each, two at a time,
# seeding the corpora from fuzz/seeds. Crashes land in fuzz/artifacts/<target>/; turn each into
# a regression test (tests/fuzz_regressions.rs) before fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-600}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${SKM_FUZZ_TARGET_DIR:-$HOME/.cache/skm/fuzz-target}"
cargo fuzz build -O -a --sanitizer none
mkdir -p fuzz/corpus/{number,header,csv,xlsx}
cp -n fuzz/seeds/csv/* fuzz/corpus/csv/ 2>/dev/null || true
cp -n fuzz/seeds/xlsx/* fuzz/corpus/xlsx/ 2>/dev/null || true
run() {
  local t=$1
  cargo fuzz run -O -a --sanitizer none "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=20 -max_len=262144 \
    > "fuzz/$t.log" 2>&1 || { echo "$t: crash, see fuzz/$t.log and fuzz/artifacts/$t"; return 1; }
  grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs" "fuzz/$t.log" | tail -1 | sed "s/^/$t: /"
}
status=0
run number & p1=$!; run header & p2=$!
wait $p1 || status=1; wait $p2 || status=1
run csv & p1=$!; run xlsx & p2=$!
wait $p1 || status=1; wait $p2 || status=1
exit $status
