"""Python Polars peer of `skm run` for the benchmark (bench/bench.py): the same work on the CSV inbox.

Usage:
    python bench/peers/polars_skm.py --inbox DIR --out DIR [--units schemas/units.tsv]

Two passes, lazily: (1) scan_csv every *.csv under DIR (every cell as text), validate the rows
(answers blank or 1–4, unit in the registry, date dd/mm/yyyy not after today, at least one
answer) and sink the accepted ones as silver Parquet (zstd, partitioned by tahun=); (2) scan
silver and compute NRR per unit × tahun × periode × unsur, IKM per period, the yearly IKM by the
semester rule (on the NRR, unsur by unsur) and the city IKM, written under OUT/gold/. Rows read
are counted with a scan_csv row count (Polars' fast path), rejected = read − accepted. Prints
one JSON line (rows_read, accepted, rejected, units, city_ikm). Polars' default threads.
"""

import argparse
import csv
import datetime
import json
from pathlib import Path

import polars as pl

UNSUR = [f"U{i}" for i in range(1, 10)]
ANSWERS = ["1", "2", "3", "4"]


def registry(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return pl.LazyFrame(
        {"unit_key": [r["unit_nama"].strip().lower() for r in rows], "unit_id": [r["unit_id"] for r in rows]}
    )


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--inbox", required=True, type=Path)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--units", type=Path, default=Path(__file__).resolve().parents[2] / "schemas" / "units.tsv")
    args = p.parse_args()
    inbox = args.inbox.resolve()
    silver_dir = args.out / "silver" / "responses"
    gold_dir = args.out / "gold"
    gold_dir.mkdir(parents=True, exist_ok=True)
    today = datetime.date.today()

    def scan():
        return pl.scan_csv(str(inbox / "**" / "*.csv"), separator=";", infer_schema=False,
                           include_file_paths="source_file")

    # Pass 1: validate and write silver.
    text = {u: pl.col(u).str.strip_chars() for u in UNSUR}
    blank = {u: text[u].is_null() | (text[u] == "") for u in UNSUR}
    valid = {u: text[u].is_in(ANSWERS) for u in UNSUR}
    tanggal = pl.col("Tanggal").str.strip_chars().str.strptime(pl.Date, "%d/%m/%Y", strict=False)
    checked = (
        scan()
        .with_columns(unit_key=pl.col("Unit Layanan").str.strip_chars().str.to_lowercase(), tanggal=tanggal)
        .join(registry(args.units), on="unit_key", how="left")
        .with_columns(
            ok=pl.col("unit_id").is_not_null()
            & pl.col("tanggal").is_not_null()
            & (pl.col("tanggal") <= today)
            & pl.all_horizontal([blank[u] | valid[u] for u in UNSUR])
            & ~pl.all_horizontal([blank[u] for u in UNSUR])
        )
    )
    silver = checked.filter(pl.col("ok")).select(
        "unit_id",
        "tanggal",
        pl.col("tanggal").dt.year().cast(pl.Int32).alias("tahun"),
        pl.format("TW{}", pl.col("tanggal").dt.quarter()).alias("periode"),
        pl.col("Jenis Kelamin").alias("jenis_kelamin"),
        pl.col("Umur").str.strip_chars().cast(pl.Int32, strict=False).alias("umur"),
        pl.col("Pendidikan").alias("pendidikan"),
        pl.col("Pekerjaan").alias("pekerjaan"),
        pl.col("Jenis Layanan").alias("jenis_layanan"),
        *[pl.when(valid[u]).then(text[u].cast(pl.UInt8, strict=False)).alias(u) for u in UNSUR],
        pl.col("source_file").str.strip_prefix(str(inbox) + "/"),
        (pl.col("No").cast(pl.Int64, strict=False) + 1).alias("source_row"),
    )
    silver.sink_parquet(pl.PartitionBy(silver_dir, key="tahun"), compression="zstd", mkdir=True)
    rows_read = scan().select(pl.len()).collect().item()

    # Pass 2: gold from silver.
    responses = pl.scan_parquet(str(silver_dir / "**" / "*.parquet"), hive_partitioning=True)
    keys = ["unit_id", "tahun", "periode"]
    wave = (
        responses.group_by(keys)
        .agg(
            pl.len().alias("n_responden"),
            *[pl.col(u).cast(pl.Int64).sum().alias(f"s_{u}") for u in UNSUR],
            *[pl.col(u).count().alias(f"c_{u}") for u in UNSUR],
        )
        .sort(keys)
        .collect()
    )
    accepted = int(wave["n_responden"].sum())
    nrr = wave.select(
        *keys,
        "n_responden",
        *[(pl.col(f"s_{u}") / pl.when(pl.col(f"c_{u}") > 0).then(pl.col(f"c_{u}"))).alias(u) for u in UNSUR],
    )
    nrr_unsur = (
        pl.concat(
            [
                wave.select(*keys, pl.lit(u).alias("kode"), pl.col(f"c_{u}").alias("n_jawaban"),
                            (pl.col(f"s_{u}") / pl.when(pl.col(f"c_{u}") > 0).then(pl.col(f"c_{u}"))).alias("nrr"))
                for u in UNSUR
            ]
        )
        .sort(keys + ["kode"])
    )
    ikm = (pl.sum_horizontal(UNSUR) / 9 * 25).alias("ikm")
    has_all = pl.all_horizontal([pl.col(u).is_not_null() for u in UNSUR])
    ikm_unit = nrr.select(*keys, "n_responden", pl.when(has_all).then(ikm).alias("ikm"))
    # The semester rule, unsur by unsur: S1 = mean(TW1, TW2), S2 = mean(TW3, TW4) (the one
    # present if only one); the year = mean(S1, S2) likewise.
    semester = pl.when(pl.col("periode").is_in(["TW1", "TW2"])).then(pl.lit("S1")).otherwise(pl.lit("S2"))
    year = (
        nrr.group_by("unit_id", "tahun", semester.alias("semester"))
        .agg([pl.col(u).mean() for u in UNSUR])
        .group_by("unit_id", "tahun")
        .agg([pl.col(u).mean() for u in UNSUR])
    )
    ikm_tahun = year.select("unit_id", "tahun", pl.when(has_all).then(ikm).alias("ikm")).sort("unit_id", "tahun")
    ikm_kota = ikm_tahun.group_by("tahun").agg(pl.col("ikm").mean(), pl.col("ikm").count().alias("n_unit")).sort("tahun")

    for name, df in [("nrr_unsur", nrr_unsur), ("ikm_unit", ikm_unit), ("ikm_tahun", ikm_tahun),
                     ("ikm_kota", ikm_kota)]:
        df.write_parquet(gold_dir / f"{name}.parquet", compression="zstd")
    city = ikm_kota["ikm"][-1] if ikm_kota.height else None
    print(json.dumps({"rows_read": rows_read, "accepted": accepted, "rejected": rows_read - accepted,
                      "units": ikm_tahun["unit_id"].n_unique(), "city_ikm": city}), flush=True)


if __name__ == "__main__":
    main()
