"""Gold as SQL (schemas/gold/*.sql) on an engine, and the comparison with skm's own gold.

Used by `just spark` (bench/spark/spark.py) and usable alone:

    python bench/spark/gold_sql.py --engine spark --sums OUT1/silver/sums OUT2/silver/sums \
        --reference REF --compare OUT_WHOLE
    spark-submit --master yarn bench/spark/gold_sql.py --sums s3a://skm/shard=0/silver/sums \
        s3a://skm/shard=1/silver/sums --reference s3a://skm/reference --write s3a://skm/gold

Each file of schemas/gold/ is one SELECT; the files run in name order and each result is
registered as a view named by the file without its number (`22_ikm_unit.sql` -> ikm_unit), so a
later file reads the earlier ones. The inputs: `sums` (silver/sums, any number of shards' folders
read as one table, `tahun` from the Hive folder names), `manifest` (each shard's manifest.parquet)
and `responses` (silver/responses), each with `shard` (the name of the shard's output folder,
which should be its inbox folder's: copies of a file are ranked by `shard/source_file`), and
`units` and `konfigurasi` (written by `skm reference`). A file sent to two shards counts once
(00_berkas_identik.sql); when a response has a `kunci`, schemas/gold/kunci/ replaces the files
of the same name (schemas/gold/README.md, "Responses sent twice").
"""

import argparse
import functools
import math
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = ROOT / "schemas" / "gold"

# The gold tables the SQL computes, with the columns that identify a row.
TABLES = {
    "ikm_unit": ["unit_id", "tahun", "periode", "sumber"],
    "nrr_unsur": ["unit_id", "tahun", "periode", "kode", "sumber"],
    "ikm_tahun_aturan": ["unit_id", "tahun", "aturan"],
    "ikm_kota": ["tahun", "periode"],
    "unit_tidak_lapor": ["tahun", "periode", "unit_id"],
    "kecamatan": ["tahun", "unit_id"],
    "kecamatan_unsur": ["tahun", "periode", "kecamatan", "kode"],
    "prioritas": ["tingkat", "unit_id", "tahun", "periode", "kode"],
    "profil": ["tingkat", "unit_id", "tahun", "dimensi", "kelompok"],
}
TOLERANCE = 1e-9


def sql_files(sql_dir=SQL_DIR, kunci=False):
    """[(view name, SELECT text)] in run order. With kunci, kunci/*.sql replace the files of
    the same name: responses sent twice counted once (needs `responses` with `kunci`)."""
    files = {f.name: f for f in Path(sql_dir).glob("*.sql")}
    if kunci:
        files.update({f.name: f for f in (Path(sql_dir) / "kunci").glob("*.sql")})
    out = []
    for fname in sorted(files):
        name = re.sub(r"^\d+[a-z]?_", "", files[fname].stem)
        out.append((name, files[fname].read_text(encoding="utf-8")))
    return out


def session():
    """A Spark session: spark-submit's master, else SPARK_MASTER, else local[2]. The tables are
    small, so a few shuffle partitions instead of Spark's 200 (SPARK_SHUFFLE_PARTITIONS)."""
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    if "SPARK_MASTER" in os.environ or not SparkConf().contains("spark.master"):
        builder = builder.master(os.environ.get("SPARK_MASTER", "local[2]"))  # not spark-submit
    return (
        builder.appName("skm-gold-sql")
        .config("spark.sql.shuffle.partitions", os.environ.get("SPARK_SHUFFLE_PARTITIONS", "4"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


def _beside(sums_dir, sub):
    """The folder `sub` beside a shard's silver/sums (a local path or a URL such as s3a://)."""
    d = str(sums_dir)
    if "://" not in d:
        d = str(Path(d).resolve())
    return d.rstrip("/").rsplit("/", 1)[0] + "/" + sub


def _output(path):
    """The run's output folder of a path under its silver/ (`OUT/silver/x` -> `OUT/x`)."""
    head, name = path.rsplit("/", 1)
    return head.rsplit("/", 1)[0] + "/" + name


def shard_name(sums_dir):
    """A shard's name: its output folder's (`…/shard-3/silver/sums` -> shard-3). Copies of one
    file are told apart by `shard/source_file`, as one run over the shards' inboxes side by side
    names them: name each shard's output as its inbox folder for ties broken as that run does."""
    return str(sums_dir).rstrip("/").rsplit("/", 3)[-3]


def register_spark(spark, sums_dirs, reference, sql_dir=SQL_DIR, kunci=None):
    """Registers the inputs and every view of schemas/gold in a Spark session. kunci: use
    schemas/gold/kunci/ (None: when a shard's silver/responses has a response with a kunci).
    Returns whether kunci/ was used."""
    from pyspark.sql import functions as F

    # Each shard's folder is its own Hive-partitioned table (tahun=YYYY/ under it); Spark reads
    # one root per call, so the shards are read one by one, each with its name as `shard`, and
    # put together as one table.
    def shards(sub, read=lambda p: spark.read.parquet(p)):
        dfs = [read(_beside(d, sub)).withColumn("shard", F.lit(shard_name(d))) for d in sums_dirs]
        return functools.reduce(lambda a, b: a.unionByName(b), dfs)

    shards("sums").createOrReplaceTempView("sums")
    shards("silang").createOrReplaceTempView("silang")
    shards("manifest.parquet", read=lambda p: spark.read.parquet(_output(p))).createOrReplaceTempView(
        "manifest")
    responses = shards("responses")
    responses.createOrReplaceTempView("responses")
    if kunci is None:
        kunci = "kunci" in responses.columns and responses.where("kunci IS NOT NULL").limit(1).count() > 0
    for t in ("units", "konfigurasi"):
        spark.read.parquet(f"{str(reference).rstrip('/')}/{t}.parquet").createOrReplaceTempView(t)
    for name, text in sql_files(sql_dir, kunci):
        # Each view computed once and kept (they are small: the sums are tens of rows a file):
        # a local checkpoint also cuts its plan, which the later views would otherwise carry
        # inside theirs, again for every time they read it (a plan grown that way filled the
        # driver's memory just printing itself).
        spark.sql(text).localCheckpoint(eager=True).createOrReplaceTempView(name)
    return kunci


def run_spark(spark, sums_dirs, reference, sql_dir=SQL_DIR, kunci=None):
    """register_spark, then every gold table collected: {table: list of row dicts}, and
    whether kunci/ was used."""
    kunci = register_spark(spark, sums_dirs, reference, sql_dir, kunci)
    return {t: [r.asDict() for r in spark.table(t).collect()] for t in TABLES}, kunci


def run_duckdb(sums_dirs, reference, sql_dir=SQL_DIR, kunci=None):
    """The same on DuckDB (kunci None: kunci/ when a response has a kunci)."""
    import duckdb

    con = duckdb.connect()

    def shards(view, glob, hive=True):
        parts = [f"SELECT *, '{shard_name(d)}' AS shard FROM read_parquet('{glob(Path(d).resolve())}'"
                 f"{', hive_partitioning = true' if hive else ''})" for d in sums_dirs]
        con.execute(f"CREATE VIEW {view} AS " + " UNION ALL BY NAME ".join(parts))

    shards("sums", lambda d: f"{d}/*/*.parquet")
    shards("silang", lambda d: f"{d.parent}/silang/*/*.parquet")
    shards("responses", lambda d: f"{d.parent}/responses/*/*.parquet")
    shards("manifest", lambda d: f"{d.parent.parent}/manifest.parquet", hive=False)
    if kunci is None:
        kunci = con.execute("SELECT COUNT(kunci) > 0 FROM responses").fetchone()[0]
    for t in ("units", "konfigurasi"):
        con.execute(f"CREATE VIEW {t} AS SELECT * FROM '{Path(reference) / (t + '.parquet')}'")
    for name, text in sql_files(sql_dir, kunci):
        con.execute(f"CREATE TEMP TABLE {name} AS {text}")  # computed once, as on Spark
    out = {}
    for t in TABLES:
        cur = con.execute(f"SELECT * FROM {t}")
        cols = [c[0] for c in cur.description]
        out[t] = [dict(zip(cols, r)) for r in cur.fetchall()]
    return out, kunci


def read_gold(out_dir):
    import pyarrow.parquet as pq

    return {
        t: pq.read_table(str(Path(out_dir) / "gold" / f"{t}.parquet")).to_pylist() for t in TABLES
    }


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=0.0, abs_tol=TOLERANCE)
    return a == b


def compare(skm, sql, show=5):
    """{table: (rows, [differences])}: the same columns, the same keys, every value equal
    (integers and text exactly, floats within 1e-9, null only against null)."""
    report = {}
    for t, keys in TABLES.items():
        diffs = []
        a_rows, b_rows = skm[t], sql[t]
        a_cols = list(a_rows[0].keys()) if a_rows else []
        b_cols = list(b_rows[0].keys()) if b_rows else []
        if a_rows and b_rows and sorted(a_cols) != sorted(b_cols):
            diffs.append(f"columns differ: skm {a_cols} vs sql {b_cols}")
        index = lambda rows: {tuple(r[k] for k in keys): r for r in rows}
        a, b = index(a_rows), index(b_rows)
        if len(a) != len(a_rows) or len(b) != len(b_rows):
            diffs.append(f"duplicate keys: skm {len(a_rows) - len(a)}, sql {len(b_rows) - len(b)}")
        for k in sorted(set(a) - set(b), key=str):
            diffs.append(f"only in skm: {dict(zip(keys, k))}")
        for k in sorted(set(b) - set(a), key=str):
            diffs.append(f"only in sql: {dict(zip(keys, k))}")
        for k in sorted(set(a) & set(b), key=str):
            for c in a_cols:
                if c in b[k] and not _same(a[k][c], b[k][c]):
                    diffs.append(f"{dict(zip(keys, k))} {c}: skm {a[k][c]!r} vs sql {b[k][c]!r}")
        report[t] = (len(a_rows), diffs)
    return report


def print_report(report, show=5):
    bad = 0
    for t, (n, diffs) in report.items():
        status = "equal" if not diffs else f"{len(diffs)} DIFFERENCES"
        print(f"  {t:18} {n:8} rows  {status}")
        for d in diffs[:show]:
            print(f"      {d}")
        bad += len(diffs)
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", choices=["spark", "duckdb"], default="spark")
    ap.add_argument("--sums", nargs="+", required=True, help="silver/sums folders (one per shard)")
    ap.add_argument("--reference", required=True, help="folder written by `skm reference`")
    ap.add_argument("--compare", help="an skm output whose gold the result must equal")
    ap.add_argument("--write", help="Spark: write each gold table as Parquet under this folder "
                    "(a local path or a URL such as s3a://bucket/gold)")
    a = ap.parse_args()
    if a.engine == "spark":
        spark = session()
        spark.sparkContext.setLogLevel("ERROR")
        if a.write:
            register_spark(spark, a.sums, a.reference)
            for t in TABLES:
                spark.table(t).write.mode("overwrite").parquet(f"{a.write.rstrip('/')}/{t}")
                print(f"{t}: written to {a.write.rstrip('/')}/{t}")
            if not a.compare:
                return 0
        result, kunci = run_spark(spark, a.sums, a.reference)
    else:
        result, kunci = run_duckdb(a.sums, a.reference)
    print("sums_counted: " + ("kunci/ (responses with a kunci)" if kunci else "sums and manifest"))
    if not a.compare:
        for t, rows in result.items():
            print(f"{t}: {len(rows)} rows")
        return 0
    bad = print_report(compare(read_gold(a.compare), result))
    print("every gold table, every row equal" if not bad else f"{bad} differences")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
