#!/usr/bin/env python3
"""`just spark`: skm's gold computed by Apache Spark from sharded runs, compared with the
single-machine run (ARCHITECTURE.md, "Beyond one machine").

    python3 bench/spark/spark.py [--responses 1000000] [--shards 4] [--no-duplicates]
                                 [--work DIR] [--skm PATH] [--out BENCHMARKS.md] [--quick]

1. Installs the pinned pyspark and pyarrow (bench/spark/requirements.txt) into a venv
   (SKM_SPARK_VENV, default ~/.cache/skm/bench-venv, shared with `just interop`), and Debian's
   openjdk-17-jre-headless when there is no Java 17+ (apt-get, as root); re-runs itself there.
2. Builds skm in release (CARGO_TARGET_DIR, default ~/.cache/skm/target) unless --skm is given.
3. `skm gen`: an inbox of --responses responses over the 96 units, half in 2023 and half in
   2024 (CSV and XLSX, rows made bad on purpose), split into --shards shards by file; with
   duplicates (the default) every 20th file is also copied into the next shard: the same
   responses sent twice, in two shards (--no-duplicates leaves them out).
4. Runs `skm run` on each shard (each its own output, nothing shared but the registry and the
   configuration, which sets a few units to the mean, pooled and last rules) and on the whole
   inbox (every shard's folder) as the single machine would, and `skm reference` once.
5. Runs schemas/gold/*.sql on Spark (local[2]) over every shard's silver/sums and
   manifest.parquet, each read as one table, and compares every row of every gold table the SQL makes with the single-machine
   run's (bench/spark/gold_sql.py: the same keys, integers and text equal, floats within 1e-9).
6. Prints the comparison and the times per stage, writes them into BENCHMARKS.md (the section
   between the `spark` markers), and exits 1 on any difference.

About duplicates: each shard's run counts every response once within the shard; a file copied
into two shards is counted once by the SQL (schemas/gold/00_berkas_identik.sql, from every
shard's manifest.parquet, by skm's preference), so the comparison holds with the copies in
(`skm gen` writes no times of day, so no response has a `kunci` and schemas/gold/kunci/ is not
needed; tests/it/gold_sql.rs checks that variant).
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REQ = HERE / "requirements.txt"
VENV = Path(os.environ.get("SKM_SPARK_VENV", Path.home() / ".cache" / "skm" / "bench-venv"))
STAMP = VENV / ".skm-spark-requirements"
IMPORTS = "import pyspark, pyarrow"
START, END = "<!-- spark:start -->", "<!-- spark:end -->"
CONFIG = """# just spark: the same configuration for every shard and the single run.
[tahun]
aturan = "semester"
[tahun.unit.kecamatan-medansatria]
aturan = "mean"
[tahun.unit.kecamatan-mustikajaya]
aturan = "last"
[tahun.unit.dinas-kesehatan]
aturan = "pooled"
"""


def log(msg):
    print(f"spark: {msg}", flush=True)


# --- 1. the venv and Java ---------------------------------------------------------------------

def ensure_venv():
    py = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    ok = (py.exists() and STAMP.exists() and STAMP.read_text() == REQ.read_text()
          and subprocess.run([str(py), "-c", IMPORTS], capture_output=True).returncode == 0)
    if not ok:
        if subprocess.run([sys.executable, "-c", "import venv, ensurepip"],
                          capture_output=True).returncode:
            if os.geteuid() == 0 and shutil.which("apt-get"):
                log("installing python3-venv")
                subprocess.run(["apt-get", "update", "-qq"], check=True)
                subprocess.run(["apt-get", "install", "-y", "-qq", "python3-venv"], check=True)
            else:
                sys.exit("spark: python3 has no venv module (Debian: apt-get install python3-venv)")
        if not py.exists():
            if VENV.exists() and any(VENV.iterdir()) and not (VENV / "pyvenv.cfg").exists():
                sys.exit(f"spark: {VENV} exists and is not a venv; set SKM_SPARK_VENV elsewhere")
            log(f"creating {VENV}")
            VENV.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        log(f"installing {REQ.relative_to(ROOT)} into {VENV} (pyspark is ~450 MB)")
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", str(REQ)], check=True)
        subprocess.run([str(py), "-c", IMPORTS], check=True)
        STAMP.write_text(REQ.read_text())
    else:
        log(f"{VENV} has {REQ.relative_to(ROOT)}")
    os.execv(str(py), [str(py), str(Path(__file__).resolve()), *sys.argv[1:]])


def java_major():
    java = shutil.which("java")
    if not java:
        return None
    r = subprocess.run([java, "-version"], capture_output=True, text=True)
    m = re.search(r'version "(\d+)(?:\.(\d+))?', r.stderr + r.stdout)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2)) if major == 1 and m.group(2) else major


def ensure_java():
    major = java_major()
    if major and major >= 17:
        return major
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"spark: pyspark needs Java 17+ (found {major}); "
                 "Debian: apt-get install openjdk-17-jre-headless")
    log("installing openjdk-17-jre-headless")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "openjdk-17-jre-headless"], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    major = java_major()
    if not major or major < 17:
        sys.exit("spark: no Java 17+ after apt-get install openjdk-17-jre-headless")
    return major


# --- 2.-4. skm --------------------------------------------------------------------------------

def build_skm():
    target = Path(os.environ.setdefault("CARGO_TARGET_DIR",
                                        str(Path.home() / ".cache" / "skm" / "target")))
    log(f"cargo build --release (target {target}; the first build takes ~20 min on 2 cores)")
    subprocess.run(["cargo", "build", "--release", "--locked"], cwd=ROOT, check=True)
    return target / "release" / "skm"


def sh(args, **kw):
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)
    if r.returncode not in (0, 3):
        sys.exit(f"spark: {' '.join(map(str, args))} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def timed(times, stage, fn):
    t = time.monotonic()
    result = fn()
    times[stage] = time.monotonic() - t
    return result


def generate(skm, gen_dir, responses, quick):
    if gen_dir.exists():
        shutil.rmtree(gen_dir)
    half = responses // 2
    lines = []
    for i, tahun in enumerate([2023, 2024]):
        n = half if i == 0 else responses - half
        r = sh([skm, "gen", "--responses", n, "--units", 96, "--seed", 15 + i, "--tahun", tahun,
                "--out", gen_dir / str(tahun)])
        lines.append(r.stdout.strip())
    return lines


def split(gen_dir, inbox, shards, duplicates):
    """Every file into one shard (by its place in path order), and with duplicates every 20th
    also into the next shard."""
    if inbox.exists():
        shutil.rmtree(inbox)
    files = sorted(p for p in gen_dir.rglob("*") if p.is_file())
    copies = 0
    for i, f in enumerate(files):
        rel = f.relative_to(gen_dir)
        targets = [i % shards]
        if duplicates and i % 20 == 7:
            targets.append((i + 1) % shards)
            copies += 1
        for s in targets:
            dest = inbox / f"shard-{s}" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.link(f, dest)
    return len(files), copies


def run_skm(skm, inbox, out, config):
    if out.exists() or out.is_symlink():
        sh(["rm", "-rf", out, out.parent / f".{out.name}.runs", out.parent / f".{out.name}.cache",
            out.parent / f".{out.name}.lock"])
    r = sh([skm, "run", "--inbox", inbox, "--out", out, "--config", config, "--full", "--json"])
    summary = json.loads(r.stdout[r.stdout.index("{"):])
    return summary


# --- 5.-6. Spark, the comparison, the report ---------------------------------------------------

def cpu_model():
    """The CPU's model name as /proc/cpuinfo gives it (BENCHMARKS.md names it beside every figure)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--responses", type=int, default=1_000_000)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--no-duplicates", action="store_true",
                    help="no file copied into two shards")
    ap.add_argument("--work", type=Path, default=Path.home() / ".cache" / "skm" / "spark")
    ap.add_argument("--skm", type=Path, help="an skm binary (default: build release)")
    ap.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    ap.add_argument("--quick", action="store_true",
                    help="20,000 responses, BENCHMARKS.md left alone: checks the harness")
    a = ap.parse_args()
    ensure_venv()
    java = ensure_java()
    if a.quick:
        a.responses = 20_000
    skm = a.skm or build_skm()
    import pyspark
    import gold_sql

    times, w = {}, a.work
    w.mkdir(parents=True, exist_ok=True)
    config = w / "skm.toml"
    config.write_text(CONFIG)
    log(f"skm gen: {a.responses:,} responses, 96 units, 2023 and 2024")
    gen = timed(times, "gen", lambda: generate(skm, w / "gen", a.responses, a.quick))
    n_files, copies = timed(times, "split", lambda: split(w / "gen", w / "inbox", a.shards,
                                                          not a.no_duplicates))
    log(f"{n_files} files in {a.shards} shards, {copies} of them in two shards")
    shard_runs = []
    for s in range(a.shards):
        log(f"skm run: shard {s}")
        shard_runs.append(timed(times, f"skm run shard {s}", lambda: run_skm(
            skm, w / "inbox" / f"shard-{s}", w / "out" / f"shard-{s}", config)))
    log("skm run: the whole inbox")
    whole = timed(times, "skm run whole", lambda: run_skm(skm, w / "inbox", w / "out" / "whole",
                                                          config))
    timed(times, "skm reference", lambda: sh([skm, "reference", "--config", config,
                                              "--out", w / "reference"]))
    log("Spark: session (local[2])")
    spark = timed(times, "spark start", gold_sql.session)
    spark.sparkContext.setLogLevel("ERROR")
    sums = [(w / "out" / f"shard-{s}").resolve() / "silver" / "sums" for s in range(a.shards)]
    log("Spark: schemas/gold/*.sql over the shards' silver/sums and manifests")
    result, kunci = timed(times, "spark gold sql",
                          lambda: gold_sql.run_spark(spark, sums, w / "reference"))
    log("sums_counted: " + ("schemas/gold/kunci/ (responses with a kunci)" if kunci
                            else "the sums less the files in berkas_identik"))
    sums_rows = spark.table("sums").count()
    identik = spark.table("berkas_identik").count()
    spark.stop()
    report = timed(times, "compare", lambda: gold_sql.compare(
        gold_sql.read_gold(w / "out" / "whole"), result))
    print("\nSpark's gold (from the shards) against skm's single run:")
    bad = gold_sql.print_report(report)
    print("every gold table, every row equal" if not bad else f"\n{bad} DIFFERENCES")
    print("\ntimes (s):")
    for k, v in times.items():
        print(f"  {k:20} {v:8.1f}")
    figures = {
        "responses": a.responses, "shards": a.shards, "files": n_files, "copies": copies,
        "gen": gen, "times": times, "sums_rows": sums_rows, "identik": identik, "kunci": kunci, "java": java,
        "pyspark": pyspark.__version__,
        "build": "debug" if "/debug/" in str(skm) else "release",
        "accepted_whole": whole.get("accepted", whole.get("rows_accepted")),
        "shard_accepted": [r.get("accepted", r.get("rows_accepted")) for r in shard_runs],
        "tables": {t: [n, len(d)] for t, (n, d) in report.items()}, "differences": bad,
    }
    (w / "spark-results.json").write_text(json.dumps(figures, indent=1, default=str))
    if not a.quick:
        write_report(a.out, figures)
        log(f"wrote {a.out}")
    return 1 if bad else 0


def made_bad(gen_lines):
    """'2,487 of 500,000 in 2023, …' from `skm gen`'s summary lines."""
    out = []
    for line in gen_lines:
        m = re.search(r"(\d+) rows \((\d+) made bad.* in .*?(\d{4})$", line)
        if m:
            out.append(f"{int(m.group(2)):,} of {int(m.group(1)):,} in {m.group(3)}")
    return ", ".join(out)


def write_report(path, f):
    t = f["times"]
    shard_times = [t[f"skm run shard {s}"] for s in range(f["shards"])]
    rows = "\n".join(f"| `{k}` | {n:,} | {'equal' if not d else f'{d} DIFFERENCES'} |"
                     for k, (n, d) in f["tables"].items())
    cpu = cpu_model() or platform.processor() or platform.machine()
    section = f"""{START}
## Beyond one machine: gold on Apache Spark from {f["shards"]} shards (`just spark`)

{f["responses"]:,} responses from `skm gen` (96 units, half in 2023 and half in 2024, {f["files"]}
files, rows made bad on purpose), split into {f["shards"]} shards by file; {f["copies"]} files are
also copied into the next shard (a resubmission landing in two shards). Each shard is an
independent `skm run` with its own output; Spark {f["pyspark"]} (`local[2]`, Java {f["java"]}) runs
`schemas/gold/*.sql` over the {f["shards"]} shards' `silver/sums` read as one table
({f["sums_rows"]:,} rows) and their `manifest.parquet` ({f["identik"]} files in `berkas_identik`:
copies whose sums are left out, as one run counts each file once;
{"`kunci/` used: responses with a time of day" if f["kunci"] else "no response has a `kunci`, so `kunci/` is not needed"}),
and every row of every table is compared with a single `skm run` over the whole inbox
(integers and text equal, floats within 1e-9). Measured {time.strftime("%Y-%m-%d")}
on this machine ({os.cpu_count()} cores, {cpu}), the shards run one after another, skm built
{"in release" if f["build"] == "release" else "**in debug (unoptimized: skm's times are not its speed; `just bench` has those)**"}.

| stage | seconds |
|---|---:|
| `skm gen` (both years) | {t["gen"]:.1f} |
| split into shards (hard links) | {t["split"]:.1f} |
| `skm run`, each shard | {" / ".join(f"{x:.1f}" for x in shard_times)} |
| `skm run`, the whole inbox (one machine) | {t["skm run whole"]:.1f} |
| `skm reference` | {t["skm reference"]:.1f} |
| Spark session start | {t["spark start"]:.1f} |
| Spark: gold SQL (each view computed once, `localCheckpoint`; the gold tables collected) | {t["spark gold sql"]:.1f} |
| comparison | {t["compare"]:.1f} |

**{"Every gold table, every row equal." if not f["differences"] else f'{f["differences"]} differences.'}**

| gold table | rows | Spark from the shards vs skm on one machine |
|---|---:|---|
{rows}

Rows accepted: {f["accepted_whole"]:,} by the single run, {" + ".join(f"{x:,}" for x in f["shard_accepted"])}
= {sum(f["shard_accepted"]):,} by the shards: {sum(f["shard_accepted"]) - f["accepted_whole"]:,} more, the rows of
the files in two shards, which the SQL counts once (the rows made bad on purpose are rejected
in both: {made_bad(f["gen"])}).

With {f["shards"]} machines the shards would run side by side: the slowest shard took
{max(shard_times):.1f} s against {t["skm run whole"]:.1f} s for the whole inbox on one machine, and
Spark's part is {t["spark gold sql"]:.1f} s over {f["sums_rows"]:,} rows of sums whatever the number of responses.
{END}
"""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if START in text and END in text:
        text = text[:text.index(START)] + section.strip() + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())
