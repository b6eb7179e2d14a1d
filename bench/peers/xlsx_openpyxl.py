"""XLSX ingest peer (pandas + openpyxl) of `skm run` for the benchmark (bench/bench.py).

Usage:
    python bench/peers/xlsx_openpyxl.py --inbox DIR --out DIR [--units schemas/units.tsv]

Reads the first sheet of every *.xlsx under DIR with pandas.read_excel(engine="openpyxl"),
header on row 1; the nine unsur columns (headed by the unsur names in `skm gen`'s files) are
mapped by position, the 10th to 18th columns, to U1–U9. Then the same validation, silver and
gold Parquet and JSON line as the pandas peer (common.py).
"""

import pandas as pd

from common import RAW_COLUMNS, find_files, parse_args, run_pandas_peer


def read_inbox(inbox):
    frames = []
    for path in find_files(inbox, ".xlsx"):
        df = pd.read_excel(path, sheet_name=0, engine="openpyxl", dtype=str)
        df = df.iloc[:, : len(RAW_COLUMNS)].set_axis(RAW_COLUMNS, axis=1)
        df = df.dropna(how="all")
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
