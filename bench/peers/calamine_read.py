"""The bare read of a workbook by python-calamine, the peer of skm's streamed workbook in the
benchmark (bench/bench.py, issue 29): every *.xlsx under DIR read whole, sheet by sheet, into
Python lists (`CalamineWorkbook.from_path(p).get_sheet_by_index(i).to_python()`), nothing
checked or computed. It prints one JSON line with the data rows read (the first row of each
sheet is its header).

Usage:
    python bench/peers/calamine_read.py --inbox DIR --out DIR
"""

import argparse
import json
from pathlib import Path

from python_calamine import CalamineWorkbook


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--inbox", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args()
    rows = 0
    for path in sorted(a.inbox.rglob("*.xlsx")):
        wb = CalamineWorkbook.from_path(str(path))
        for i in range(len(wb.sheet_names)):
            sheet = wb.get_sheet_by_index(i).to_python()
            rows += max(len(sheet) - 1, 0)
    a.out.mkdir(parents=True, exist_ok=True)
    print(json.dumps({"rows_read": rows}))


if __name__ == "__main__":
    main()
