#!/usr/bin/env bash
# `just bench`: install the Python peers, build skm in release, run the benchmark.
#
# Usage:
#     bench/bench.sh [bench.py options]     # e.g. --sizes 1000000,10000000 --runs 5
#     bench/bench.sh --quick                # a smoke test of the harness
#
# CARGO_TARGET_DIR defaults to $HOME/.cache/skm/target; the venv to $HOME/.cache/skm/bench-venv
# (SKM_BENCH_VENV); inboxes and outputs go to $HOME/.cache/skm/bench (--work). Writes
# BENCHMARKS.md (--out) and bench/results.json (--results). See bench/bench.py for the rest.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/skm/target}"
venv="${SKM_BENCH_VENV:-$HOME/.cache/skm/bench-venv}"

"$here/install-peers.sh"
(cd "$root" && cargo build --release --locked)
cd "$root"
exec "$venv/bin/python" "$here/bench.py" --skm "$CARGO_TARGET_DIR/release/skm" "$@"
