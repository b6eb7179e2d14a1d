"""pandas peer of `skm run` for the benchmark (bench/bench.py): the same work on the CSV inbox.

Usage:
    python bench/peers/pandas_skm.py --inbox DIR --out DIR [--units schemas/units.tsv]

Reads every *.csv under DIR (recursively; `;`-separated, every cell as text, pyarrow engine),
validates the rows, writes the accepted ones as silver Parquet (pyarrow, zstd, partitioned by
tahun=), computes NRR, IKM per period, the yearly IKM by the semester rule and the city IKM,
writes them under OUT/gold/, and prints one JSON line (rows_read, accepted, rejected, units,
city_ikm). The rules are in common.py, shared with the XLSX peers.
"""

import pandas as pd

from common import RAW_COLUMNS, find_files, parse_args, run_pandas_peer


def read_inbox(inbox):
    frames = []
    for path in find_files(inbox, ".csv"):
        df = pd.read_csv(path, sep=";", dtype=str, engine="pyarrow", keep_default_na=False)
        df = df[RAW_COLUMNS]
        df["source_file"] = str(path.relative_to(inbox))
        frames.append(df)
    if not frames:
        return pd.DataFrame(columns=RAW_COLUMNS + ["source_file"], dtype="string")
    return pd.concat(frames, ignore_index=True)


def main():
    args = parse_args(__doc__)
    run_pandas_peer(read_inbox(args.inbox), args)


if __name__ == "__main__":
    main()
