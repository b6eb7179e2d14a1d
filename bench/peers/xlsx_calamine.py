"""XLSX ingest peer (python-calamine) of `skm run` for the benchmark (bench/bench.py).

Usage:
    python bench/peers/xlsx_calamine.py --inbox DIR --out DIR [--units schemas/units.tsv]

Reads the first sheet of every *.xlsx under DIR with python_calamine directly (the Rust calamine
reader skm also uses), header on row 1; the nine unsur columns (headed by the unsur names in
`skm gen`'s files) are mapped by position, the 10th to 18th columns, to U1–U9; cells become
text as a CSV would hold them (4.0 → "4"). Then the same validation, silver and gold Parquet
and JSON line as the pandas peer (common.py).
"""

import pandas as pd
from python_calamine import CalamineWorkbook

from common import RAW_COLUMNS, cell_text, find_files, parse_args, run_pandas_peer


def read_sheet(path):
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    width = len(RAW_COLUMNS)
    data = []
    for row in rows[1:]:
        cells = [None if v == "" else cell_text(v) for v in row[:width]]
        cells += [None] * (width - len(cells))
        if any(c is not None for c in cells):
            data.append(cells)
    return pd.DataFrame(data, columns=RAW_COLUMNS, dtype="string")


def read_inbox(inbox):
    frames = []
    for path in find_files(inbox, ".xlsx"):
        df = read_sheet(path)
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
