#!/usr/bin/env python3
"""Compare two skm outputs table by table, row for row.

Usage: python3 scripts/compare_outputs.py OUT_A OUT_B

Every Parquet file under OUT_A (gold tables, rejects, files, manifest, silver parts and sums)
must exist under OUT_B with the same columns, the same types and the same rows in the same
order; floats are compared exactly (bit for bit, NaN equal to NaN). The manifest's
`dibaca_pada` (when a file was read) is the one column allowed to differ: it is a time.
Partitioned folders are compared as one table each, whatever their part files.

Needs pyarrow (the bench venv has it: bench/bench.sh). Exits 1 on any difference.
"""
import math
import sys
from pathlib import Path

import pyarrow.parquet as pq

ALLOWED = {"manifest.parquet": {"dibaca_pada"}}


def tables(root: Path):
    """Relative name -> list of files (a partitioned folder is one table)."""
    out = {}
    for p in sorted(root.rglob("*.parquet")):
        rel = p.relative_to(root)
        parts = rel.parts
        if parts[0] == "silver":
            key = "/".join(parts[:2])
        else:
            key = str(rel)
        out.setdefault(key, []).append(p)
    return out


def read(files, root):
    import pyarrow as pa

    ts = []
    for f in sorted(files, key=lambda p: (p.name, str(p))):
        t = pq.read_table(f)
        year = [x for x in f.parts if x.startswith("tahun=")]
        if year and "tahun" not in t.column_names:
            t = t.append_column("tahun", pa.array([int(year[0][6:])] * t.num_rows, pa.int32()))
        ts.append(t)
    if not ts:
        return None
    cols = ts[0].column_names
    return pa.concat_tables([t.select(cols) for t in ts], promote_options="default")


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    return a == b


def main():
    a_root, b_root = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    ta, tb = tables(a_root), tables(b_root)
    bad = 0
    if set(ta) != set(tb):
        print(f"tables differ: only in A {sorted(set(ta) - set(tb))}, only in B {sorted(set(tb) - set(ta))}")
        bad += 1
    for name in sorted(set(ta) & set(tb)):
        a, b = read(ta[name], a_root), read(tb[name], b_root)
        skip = ALLOWED.get(name, set())
        if a.schema.names != b.schema.names:
            print(f"{name}: columns {a.schema.names} vs {b.schema.names}")
            bad += 1
            continue
        types_a = [str(f.type) for f in a.schema]
        types_b = [str(f.type) for f in b.schema]
        if types_a != types_b:
            print(f"{name}: types {types_a} vs {types_b}")
            bad += 1
        if a.num_rows != b.num_rows:
            print(f"{name}: {a.num_rows} rows vs {b.num_rows}")
            bad += 1
            continue
        diffs = 0
        for col in a.column_names:
            if col in skip:
                continue
            va, vb = a.column(col).to_pylist(), b.column(col).to_pylist()
            for i, (x, y) in enumerate(zip(va, vb)):
                if not same(x, y):
                    if diffs < 5:
                        print(f"{name}: row {i} column {col}: {x!r} vs {y!r}")
                    diffs += 1
        if diffs:
            print(f"{name}: {diffs} cells differ")
            bad += 1
        else:
            print(f"{name}: {a.num_rows} rows equal")
    print("EQUAL" if bad == 0 else f"DIFFERENT ({bad} tables)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
