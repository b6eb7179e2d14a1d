"""Shared code of the pandas-based peers (pandas_skm.py, xlsx_openpyxl.py, xlsx_calamine.py).

Not run by itself. The peers read their files into one pandas DataFrame of text cells with the
columns of RAW_COLUMNS (plus source_file), then call `run_pandas_peer`, which does what skm does
with the same rows. Every row names its unit in "Unit Layanan" and its date in "Tanggal", so the
file layout does not matter: a file per unit × quarter, 4 quarterly files or 1 yearly file
(`skm gen --layout`) give the same figures.

  1. validate each row; a row is rejected when an answer is not blank and not 1–4 ("3,5",
     "tiga", "0", "5"), the unit is not in the registry (schemas/units.tsv, compared after trim,
     ignoring case), the date is not dd/mm/yyyy or is after today, or all nine answers are blank;
  2. write the accepted rows as silver Parquet (zstd, partitioned by tahun=);
  3. NRR per unit × tahun × periode × unsur (sum ÷ answers, blanks not counted), IKM per unit ×
     period (mean of the nine NRR × 25), the yearly IKM by the semester rule (S1 = mean of TW1
     and TW2, S2 = mean of TW3 and TW4, each the one present if only one; year = mean of S1 and
     S2 likewise; computed on the NRR unsur by unsur, as skm does), and the city IKM (plain mean
     of the units' yearly IKM);
  4. write those gold tables as Parquet and print one JSON line:
     {"rows_read": …, "accepted": …, "rejected": …, "units": …, "city_ikm": …}
"""

import argparse
import csv
import datetime
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

UNSUR = [f"U{i}" for i in range(1, 10)]
# The columns of `skm gen`'s questionnaires, in file order (XLSX names U1–U9 by unsur name).
RAW_COLUMNS = [
    "No",
    "Unit Layanan",
    "Tanggal",
    "Jenis Kelamin",
    "Umur",
    "Pendidikan",
    "Pekerjaan",
    "Jenis Layanan",
] + UNSUR
PROFILE = {
    "Jenis Kelamin": "jenis_kelamin",
    "Pendidikan": "pendidikan",
    "Pekerjaan": "pekerjaan",
    "Jenis Layanan": "jenis_layanan",
}
ANSWERS = ["1", "2", "3", "4"]
SEMESTERS = {"TW1": "S1", "TW2": "S1", "TW3": "S2", "TW4": "S2"}


def default_units_path():
    """schemas/units.tsv of the skm checkout this file lives in."""
    return Path(__file__).resolve().parents[2] / "schemas" / "units.tsv"


def parse_args(doc):
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--inbox", required=True, type=Path, help="folder of questionnaires (searched recursively)")
    p.add_argument("--out", required=True, type=Path, help="output folder (silver/ and gold/ are written here)")
    p.add_argument("--units", type=Path, default=default_units_path(), help="unit registry (TSV with unit_id, unit_nama)")
    return p.parse_args()


def load_registry(path):
    """{lowercased, trimmed unit_nama: unit_id} from the registry TSV."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter="\t")
        return {r["unit_nama"].strip().lower(): r["unit_id"] for r in rows}


def find_files(inbox, suffix):
    """Every file under `inbox` whose name ends with `suffix`, in path order."""
    return sorted(p for p in Path(inbox).rglob(f"*{suffix}") if p.is_file())


def cell_text(v):
    """A spreadsheet cell as the text a CSV would hold: None → None, 4.0 → "4", 3.5 → "3.5"."""
    if v is None:
        return None
    if isinstance(v, float):
        if math.isnan(v):
            return None
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, (datetime.datetime, datetime.date)):
        return v.strftime("%d/%m/%Y")
    return str(v)


def validate(raw, registry, today=None):
    """Typed silver rows of the accepted rows of `raw` (text cells), and the count rejected."""
    today = pd.Timestamp(today or datetime.date.today())
    n = len(raw)
    ok = np.ones(n, dtype=bool)
    any_answer = np.zeros(n, dtype=bool)
    answers = {}
    for u in UNSUR:
        s = raw[u].str.strip()
        blank = (s.isna() | (s == "")).to_numpy(dtype=bool)
        valid = s.isin(ANSWERS).to_numpy(dtype=bool, na_value=False)
        ok &= blank | valid
        any_answer |= ~blank
        answers[u] = s.where(valid).astype("UInt8")
    ok &= any_answer

    unit_id = raw["Unit Layanan"].str.strip().str.lower().map(registry)
    ok &= unit_id.notna().to_numpy(dtype=bool)

    tanggal = pd.to_datetime(raw["Tanggal"].str.strip(), format="%d/%m/%Y", errors="coerce")
    ok &= (tanggal.notna() & (tanggal <= today)).to_numpy(dtype=bool)

    keep = pd.Series(ok, index=raw.index)
    t = tanggal[keep]
    silver = pd.DataFrame(
        {
            "unit_id": unit_id[keep],
            "tanggal": t.astype("date32[pyarrow]"),
            "tahun": t.dt.year.astype("int32"),
            "periode": t.dt.quarter.map({1: "TW1", 2: "TW2", 3: "TW3", 4: "TW4"}),
        }
    )
    for col, name in PROFILE.items():
        silver[name] = raw.loc[keep, col]
    umur = raw.loc[keep, "Umur"].str.strip()
    silver["umur"] = umur.where(umur.str.fullmatch(r"\d{1,3}", na=False)).astype("Int32")
    for u in UNSUR:
        silver[u] = answers[u][keep]
    silver["source_file"] = raw.loc[keep, "source_file"]
    no = raw.loc[keep, "No"].str.strip()
    silver["source_row"] = (no.where(no.str.fullmatch(r"\d{1,9}", na=False)).astype("Int64") + 1)
    return silver.reset_index(drop=True), int(n - ok.sum())


def gold(silver):
    """The gold tables from silver: nrr_unsur, ikm_unit, ikm_tahun (per unit) and ikm_kota."""
    keys = ["unit_id", "tahun", "periode"]
    g = silver.groupby(keys, observed=True, sort=True)[UNSUR]
    sums = g.sum().astype("float64")
    counts = g.count()
    nrr = sums / counts.where(counts > 0)  # wide: one row per unit × tahun × periode

    nrr_long = nrr.stack(future_stack=True).rename("nrr").to_frame()
    nrr_long["n_jawaban"] = counts.stack(future_stack=True)
    nrr_long.index = nrr_long.index.set_names(keys + ["kode"])
    nrr_unsur = nrr_long.reset_index()[keys + ["kode", "n_jawaban", "nrr"]]

    ikm_unit = (nrr.mean(axis=1, skipna=False) * 25).rename("ikm").reset_index()
    ikm_unit["n_responden"] = g.size().to_numpy()

    # The semester rule, unsur by unsur: S1 = mean(TW1, TW2), S2 = mean(TW3, TW4), the one
    # present if only one; the year = mean(S1, S2) likewise.
    waves = nrr.reset_index()
    waves["semester"] = waves["periode"].map(SEMESTERS)
    sem = waves.groupby(["unit_id", "tahun", "semester"], sort=True)[UNSUR].mean()
    year = sem.groupby(level=["unit_id", "tahun"], sort=True).mean()
    ikm_tahun = (year.mean(axis=1, skipna=False) * 25).rename("ikm").reset_index()

    kota = ikm_tahun.groupby("tahun", sort=True)["ikm"].agg(ikm="mean", n_unit="count").reset_index()
    return {"nrr_unsur": nrr_unsur, "ikm_unit": ikm_unit, "ikm_tahun": ikm_tahun, "ikm_kota": kota}


def write_outputs(out, silver, tables):
    """silver/responses/tahun=YYYY/*.parquet and gold/<table>.parquet, zstd."""
    out = Path(out)
    (out / "gold").mkdir(parents=True, exist_ok=True)
    silver.to_parquet(out / "silver" / "responses", engine="pyarrow", compression="zstd",
                      partition_cols=["tahun"], index=False)
    for name, df in tables.items():
        df.to_parquet(out / "gold" / f"{name}.parquet", engine="pyarrow", compression="zstd", index=False)


def summary_line(rows_read, accepted, rejected, units, city_ikm):
    """The one JSON line every peer prints (city_ikm: the latest year's, full precision)."""
    return json.dumps(
        {"rows_read": int(rows_read), "accepted": int(accepted), "rejected": int(rejected),
         "units": int(units), "city_ikm": None if city_ikm is None else float(city_ikm)}
    )


def run_pandas_peer(raw, args):
    """Validate `raw`, write silver and gold under args.out, print the summary line."""
    registry = load_registry(args.units)
    silver, rejected = validate(raw, registry)
    tables = gold(silver)
    write_outputs(args.out, silver, tables)
    kota = tables["ikm_kota"]
    city = kota["ikm"].iloc[-1] if len(kota) else None
    units = tables["ikm_tahun"]["unit_id"].nunique()
    print(summary_line(len(raw), len(silver), rejected, units, city), flush=True)
