#!/usr/bin/env bash
# What counting every response once (issue 12: hashing every file first, grouping identical
# files, matching identities) costs a full run: two skm binaries on the same `skm gen` inbox,
# alternating, `--full`, wall seconds and peak RSS (KiB) per run.
#
# Usage: bench/resubmission_cost.sh SKM_BEFORE SKM_AFTER INBOX [RUNS]
#   e.g. with INBOX from `skm gen --responses 10000000 --units 96 --seed 1 --xlsx-share 0`
set -euo pipefail
before="$1" after="$2" inbox="$3" runs="${4:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for r in $(seq "$runs"); do
  for b in before after; do
    bin="${!b}"
    rm -rf "$work/out" "$work"/.out.*
    /usr/bin/time -f "%e %M" -o "$work/t" "$bin" run --inbox "$inbox" --out "$work/out" --full --json > "$work/j.json"
    city=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['accepted'], [c['ikm'] for c in d['city']])" "$work/j.json")
    echo "$b run $r: $(cat "$work/t") (seconds, KiB) accepted, city: $city"
  done
done
