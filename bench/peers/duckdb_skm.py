"""DuckDB peer of `skm run` for the benchmark (bench/bench.py): runs skm.sql on the CSV inbox.

Usage:
    python bench/peers/duckdb_skm.py --inbox DIR --out DIR [--units schemas/units.tsv]

The work is all in skm.sql (beside this file): read the CSVs with read_csv(all_varchar),
validate in SQL, COPY the accepted rows to silver Parquet (zstd, partitioned by tahun=),
compute NRR, IKM per period, the yearly IKM by the semester rule and the city IKM, and COPY
them to OUT/gold/. An in-memory database with DuckDB's default settings (all cores). Prints
one JSON line (rows_read, accepted, rejected, units, city_ikm).
"""

import argparse
import json
from pathlib import Path
from string import Template

import duckdb

HERE = Path(__file__).resolve().parent


def sql_path(p):
    """An absolute path as the inside of a SQL string literal."""
    return str(Path(p).resolve()).replace("'", "''")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--inbox", required=True, type=Path)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--units", type=Path, default=HERE.parents[1] / "schemas" / "units.tsv")
    args = p.parse_args()

    for sub in ("silver", "gold"):
        (args.out / sub).mkdir(parents=True, exist_ok=True)
    sql = Template((HERE / "skm.sql").read_text(encoding="utf-8")).substitute(
        inbox=sql_path(args.inbox), out=sql_path(args.out), units=sql_path(args.units)
    )
    con = duckdb.connect()
    rows_read, accepted, rejected, units, city = con.execute(sql).fetchone()
    print(json.dumps({"rows_read": rows_read, "accepted": accepted, "rejected": rejected,
                      "units": units, "city_ikm": city}), flush=True)


if __name__ == "__main__":
    main()
