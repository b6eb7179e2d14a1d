#!/usr/bin/env bash
# Install the benchmark's Python peers (DuckDB, pandas, pyarrow, Polars, openpyxl,
# python-calamine, pinned in bench/requirements.txt) into a venv, from PyPI.
#
# Usage:
#     bench/install-peers.sh            # venv in $HOME/.cache/skm/bench-venv
#     SKM_BENCH_VENV=/path bench/install-peers.sh
#
# Idempotent: when the venv already holds exactly these pins (a stamp file records them) and
# they import, it returns at once. Needs python3 with the venv module (on Debian, the
# python3-venv package: installed with apt-get when missing and we are root).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${SKM_BENCH_VENV:-$HOME/.cache/skm/bench-venv}"
req="$here/requirements.txt"
stamp="$venv/.skm-bench-requirements"
python="${PYTHON:-python3}"

if [[ -x "$venv/bin/python" && -f "$stamp" ]] && cmp -s "$req" "$stamp" \
    && "$venv/bin/python" -c 'import duckdb, pandas, pyarrow, polars, openpyxl, python_calamine' 2>/dev/null; then
    echo "install-peers: $venv is up to date"
    exit 0
fi

if ! "$python" -m venv --help >/dev/null 2>&1 || ! "$python" -c 'import ensurepip' 2>/dev/null; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "install-peers: installing python3-venv"
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    else
        echo "install-peers: $python has no venv module (Debian: apt-get install python3-venv)" >&2
        exit 1
    fi
fi

if [[ ! -x "$venv/bin/python" ]]; then
    if [[ -e "$venv" && ! -f "$venv/pyvenv.cfg" && -n "$(ls -A "$venv" 2>/dev/null)" ]]; then
        echo "install-peers: $venv exists and is not a venv; set SKM_BENCH_VENV elsewhere" >&2
        exit 1
    fi
    echo "install-peers: creating $venv"
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
"$venv/bin/python" -c 'import duckdb, pandas, pyarrow, polars, openpyxl, python_calamine'
cp "$req" "$stamp"
echo "install-peers: installed $(grep -v '^#' "$req" | tr '\n' ' ')"
