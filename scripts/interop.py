#!/usr/bin/env python3
"""`just interop`: every output opens in the tools analysts use, and they agree with skm.

Usage:
    python3 scripts/interop.py [--responses 100000] [--work DIR] [--skm PATH] [--keep]

1. Installs pandas, pyarrow, DuckDB, Polars and pyspark (pinned in scripts/interop-requirements.txt,
   which takes the bench's own pins) into the bench venv ($HOME/.cache/skm/bench-venv, or
   SKM_BENCH_VENV; the same stamp-file convention as bench/install-peers.sh) and re-runs itself
   there; checks for Java 17+ (pyspark), installing Debian's openjdk-17-jre-headless with apt-get
   when it is missing and we are root.
2. Builds skm (debug: `cargo build --locked`, CARGO_TARGET_DIR default $HOME/.cache/skm/target)
   unless --skm is given, and makes two outputs under --work: the demo inbox (fixtures/inbox) and
   a `skm gen` inbox of --responses responses over two years (half 2023, half 2024, all 96 units).
3. Extracts the snippets of docs/outputs.md's "Query the outputs" section: a fenced block right after
   `<!-- interop: TOOL -->` is run as written, in a fresh process whose working directory holds
   the output as `out/`; a Python block must leave its answers in `kota`, `nrr` and `per_tahun`,
   a SQL block (DuckDB) gives them as its three statements in order, a `skm sql` block as its
   three lines. Each answer must equal skm's own: the city figure of `skm run --json`, the unit's
   row of gold/nrr_unsur read by skm, and silver's responses per year, whose total must be the
   accepted questionnaire rows of skm's accounting. A block marked `<!-- interop: TOOL, runs -->`
   must run without error (its results are not compared).
4. In every tool, opens every table of the data dictionary (schemas/outputs.toml): a single file,
   or a partitioned folder as a whole (`out/silver/responses`, with `tahun` from the folder
   names). Its columns must be the dictionary's and its row count skm's accounting: responses =
   the accepted rows of questionnaire sheets (`skm run --json`, the same as files.parquet), files
   = the file × sheet lines, manifest = the files, rejects = the reject lines, the others the
   count skm's own reader gives.

Prints a table of tools × tables for each output and exits 1 on any difference.
"""

import argparse
import csv
import json
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQ = ROOT / "scripts" / "interop-requirements.txt"
VENV = Path(os.environ.get("SKM_BENCH_VENV", Path.home() / ".cache" / "skm" / "bench-venv"))
STAMP = VENV / ".skm-interop-requirements"
IMPORTS = "import pandas, pyarrow, duckdb, polars, pyspark"
TOOLS = ["pandas", "pyarrow", "duckdb", "polars", "spark", "skm"]
ANSWERS = ["kota", "nrr", "per_tahun"]
UNIT = "kecamatan-medansatria"


def log(msg):
    print(f"interop: {msg}", flush=True)


# --- 1. the venv and Java ---------------------------------------------------------------------

def requirements_text():
    """The pins, with the bench's included ones, as the stamp records them."""
    text = REQ.read_text()
    for line in text.splitlines():
        if line.startswith("-r "):
            text += (REQ.parent / line[3:].strip()).read_text()
    return text


def in_venv():
    return Path(sys.prefix).resolve() == VENV.resolve()


def ensure_venv():
    """Create or update the venv, then re-run this script with its python."""
    py = VENV / "bin" / "python"
    ok = (py.exists() and STAMP.exists() and STAMP.read_text() == requirements_text()
          and subprocess.run([str(py), "-c", IMPORTS], capture_output=True).returncode == 0)
    if not ok:
        if subprocess.run([sys.executable, "-c", "import venv, ensurepip"], capture_output=True).returncode:
            if os.geteuid() == 0 and shutil.which("apt-get"):
                log("installing python3-venv")
                subprocess.run(["apt-get", "update", "-qq"], check=True)
                subprocess.run(["apt-get", "install", "-y", "-qq", "python3-venv"], check=True)
            else:
                sys.exit("interop: python3 has no venv module (Debian: apt-get install python3-venv)")
        if not py.exists():
            if VENV.exists() and any(VENV.iterdir()) and not (VENV / "pyvenv.cfg").exists():
                sys.exit(f"interop: {VENV} exists and is not a venv; set SKM_BENCH_VENV elsewhere")
            log(f"creating {VENV}")
            VENV.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        log(f"installing {REQ.relative_to(ROOT)} into {VENV} (pyspark is ~450 MB)")
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", str(REQ)], check=True)
        subprocess.run([str(py), "-c", IMPORTS], check=True)
        STAMP.write_text(requirements_text())
    else:
        log(f"{VENV} is up to date")
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
    """pyspark needs Java 17 or later."""
    major = java_major()
    if major and major >= 17:
        log(f"Java {major}")
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"interop: pyspark needs Java 17+ (found {major}); "
                 "Debian: apt-get install openjdk-17-jre-headless")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    for pkg in ["openjdk-17-jre-headless", "openjdk-21-jre-headless"]:
        policy = subprocess.run(["apt-cache", "policy", pkg], capture_output=True, text=True).stdout
        if "Candidate:" in policy and "Candidate: (none)" not in policy:
            log(f"installing {pkg}")
            subprocess.run(["apt-get", "install", "-y", "-qq", pkg], check=True,
                           env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
            break
    major = java_major()
    if not major or major < 17:
        sys.exit("interop: no Java 17+ after apt-get install")
    log(f"Java {major} installed")


# --- 2. skm and its outputs -------------------------------------------------------------------

def build_skm(work):
    """skm built from this tree, hard-linked into `work`: a target folder shared with other trees
    may get their skm at target/debug/skm while this one runs."""
    target = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache" / "skm" / "target"))
    log("building skm (debug)")
    subprocess.run(["cargo", "build", "--locked", "--bin", "skm"], cwd=ROOT, check=True,
                   env={**os.environ, "CARGO_TARGET_DIR": str(target)})
    mine = work / "skm"
    mine.unlink(missing_ok=True)
    try:
        os.link(target / "debug" / "skm", mine)
    except OSError:
        shutil.copy2(target / "debug" / "skm", mine)
    return mine


def skm_run(skm, inbox, place):
    """A fresh `skm run` of `inbox` into place/out; its --json summary."""
    shutil.rmtree(place, ignore_errors=True)
    place.mkdir(parents=True)
    r = subprocess.run([str(skm), "run", "--full", "--json", "--inbox", str(inbox),
                        "--out", str(place / "out")], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"interop: skm run {inbox} failed ({r.returncode}):\n{r.stderr}")
    return json.loads(r.stdout)


def make_outputs(skm, work, responses):
    outputs = []
    summary = skm_run(skm, ROOT / "fixtures" / "inbox", work / "demo")
    outputs.append(("demo", work / "demo", summary))
    inbox = work / "gen-inbox"
    shutil.rmtree(inbox, ignore_errors=True)
    for tahun, seed in [(2023, 18), (2024, 19)]:
        subprocess.run([str(skm), "gen", "--responses", str(responses // 2), "--units", "96",
                        "--seed", str(seed), "--tahun", str(tahun), "--out", str(inbox / str(tahun))],
                       check=True, stdout=subprocess.DEVNULL)
    summary = skm_run(skm, inbox, work / "gen")
    outputs.append((f"gen ({responses:,} responses, 2023 and 2024)", work / "gen", summary))
    return outputs


def skm_sql(skm, place, query):
    """Rows of a `skm sql` query, read from its CSV (header first)."""
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "r.csv"
        r = subprocess.run([str(skm), "sql", query, "--dir", str(place / "out"), "--out", str(dest)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"skm sql {query!r}: {r.stderr.strip()}")
        with open(dest, newline="") as f:
            rows = list(csv.reader(f))
    return rows[0], [tuple(cell(v) for v in row) for row in rows[1:]]


def cell(v):
    """A CSV cell as a number where it is one."""
    if v == "":
        return None
    for t in (int, float):
        try:
            return t(v)
        except ValueError:
            pass
    return v


# --- 3. docs/outputs.md's snippets -----------------------------------------------------------

def snippets():
    """(tool, checked, language, code) of every block marked `<!-- interop: TOOL[, runs] -->`."""
    text = (ROOT / "docs" / "outputs.md").read_text()
    found = []
    for m in re.finditer(r"<!-- interop: ([\w-]+)(, runs)? -->\n```(\w+)\n(.*?)\n```", text, re.S):
        found.append((m.group(1), not m.group(2), m.group(3), m.group(4)))
    return found


def tables():
    import tomllib
    with open(ROOT / "schemas" / "outputs.toml", "rb") as f:
        d = tomllib.load(f)
    return [(t["name"], t["path"], [c["name"] for c in t["columns"]]) for t in d["table"]]


def table_location(path):
    """The path a reader opens: the single file, or the partitioned folder as a whole."""
    if "/tahun=" in path:
        return path.split("/tahun=")[0], True
    return path, False


# The harness runs in a fresh process per tool and output, with the output as ./out: it runs the
# snippet as written, turns its answers into rows, then opens every table with the same tool.
def harness(tool, lang, code, skm, result_path):
    res = {"answers": None, "error": None, "tables": {}}
    ns = {}
    try:
        if lang == "python":
            exec(compile(code, f"docs/outputs.md ({tool})", "exec"), ns)
            res["answers"] = {a: to_rows(ns[a]) for a in ANSWERS} if ANSWERS[0] in ns else None
        elif lang == "sql":
            import duckdb
            stmts = [s.strip() for s in re.split(r";\s*(?:--[^\n]*)?\n", code + "\n") if s.strip()]
            rows = [to_rows(duckdb.sql(s)) for s in stmts]
            res["answers"] = dict(zip(ANSWERS, rows)) if len(stmts) == 3 else None
        elif lang == "sh":
            rows = []
            for line in code.splitlines():
                args = shlex.split(line)
                if args[:2] != ["skm", "sql"]:
                    raise RuntimeError(f"not a skm sql line: {line}")
                rows.append(skm_sql(skm, Path("."), args[2])[1])
            res["answers"] = dict(zip(ANSWERS, rows))
    except Exception as e:  # noqa: BLE001 - reported as the tool's failure
        res["error"] = f"{type(e).__name__}: {e}"
    if result_path.name.startswith("runs-"):
        result_path.write_text(json.dumps(res, default=str))
        return
    opener = OPENERS[tool]
    for name, path, _ in tables():
        loc, partitioned = table_location(path)
        try:
            n, cols = opener(f"out/{loc}", partitioned, skm, name)
            res["tables"][name] = {"rows": n, "columns": cols}
        except Exception as e:  # noqa: BLE001
            res["tables"][name] = {"error": f"{type(e).__name__}: {str(e)[:300]}"}
    result_path.write_text(json.dumps(res, default=str))


def plain(v):
    """A value as JSON knows it (numpy and pandas scalars, categorical years)."""
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def to_rows(x):
    """The rows of whatever a tool returns, as lists of plain values."""
    mod = type(x).__module__
    if mod.startswith("pandas"):
        import pandas as pd
        if isinstance(x, pd.Series):
            return [[plain(k), plain(v)] for k, v in x.items()]
        return [[plain(v) for v in row] for row in x.astype(object).itertuples(index=False)]
    if mod.startswith("pyarrow"):
        return [[plain(v) for v in r.values()] for r in x.to_pylist()]
    if mod.startswith("polars"):
        if hasattr(x, "collect"):
            x = x.collect()
        return [[plain(v) for v in r] for r in x.rows()]
    if mod.startswith("duckdb"):
        return [[plain(v) for v in r] for r in x.fetchall()]
    if mod.startswith("pyspark"):
        return [[plain(v) for v in r] for r in x.collect()]
    raise TypeError(f"cannot read rows of a {type(x)}")


def open_pandas(loc, partitioned, skm, name):
    import pandas as pd
    df = pd.read_parquet(loc)
    return len(df), list(df.columns)


def open_pyarrow(loc, partitioned, skm, name):
    import pyarrow.parquet as pq
    t = pq.read_table(loc)
    return t.num_rows, t.column_names


def open_duckdb(loc, partitioned, skm, name):
    import duckdb
    src = (f"read_parquet('{loc}/*/*.parquet', hive_partitioning = true)" if partitioned
           else f"read_parquet('{loc}')")
    con = duckdb.connect()
    cols = [c[0] for c in con.sql(f"DESCRIBE SELECT * FROM {src}").fetchall()]
    return con.sql(f"SELECT count(*) FROM {src}").fetchall()[0][0], cols


def open_polars(loc, partitioned, skm, name):
    import polars as pl
    lf = pl.scan_parquet(loc)
    return lf.select(pl.len()).collect().item(), lf.collect_schema().names()


def open_spark(loc, partitioned, skm, name):
    from pyspark.sql import SparkSession
    df = SparkSession.builder.getOrCreate().read.parquet(loc)
    return df.count(), df.columns


def open_skm(loc, partitioned, skm, name):
    cols, _ = skm_sql(skm, Path("."), f"SELECT * FROM {name} LIMIT 0")
    _, rows = skm_sql(skm, Path("."), f"SELECT count(*) AS n FROM {name}")
    return rows[0][0], cols


OPENERS = {"pandas": open_pandas, "pyarrow": open_pyarrow, "duckdb": open_duckdb,
           "polars": open_polars, "spark": open_spark, "skm": open_skm}


def run_harness(tool, lang, code, skm, place, tag):
    """Run one snippet (and the table openings) in a fresh process in `place` (which holds out/)."""
    with tempfile.TemporaryDirectory() as tmp:
        code_file, result = Path(tmp) / "snippet", Path(tmp) / f"{tag}.json"
        code_file.write_text(code)
        r = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--harness", tool, lang,
                            str(code_file), str(skm), str(result)],
                           cwd=place, capture_output=True, text=True,
                           env={**os.environ, "PYSPARK_PYTHON": sys.executable,
                                "SPARK_LOCAL_IP": "127.0.0.1"})
        if not result.exists():
            return {"error": f"the harness died ({r.returncode}): {r.stderr[-2000:]}", "tables": {},
                    "answers": None}
        return json.loads(result.read_text())


# --- 4. the checks ----------------------------------------------------------------------------

def same_value(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
    return a == b


def same_rows(got, want):
    """Equal as sets of rows keyed by their first value (the order is each tool's own)."""
    if got is None or len(got) != len(want):
        return False
    key = lambda r: (str(r[0]),)  # noqa: E731
    return all(len(g) == len(w) and all(same_value(x, y) for x, y in zip(g, w))
               for g, w in zip(sorted(got, key=key), sorted(want, key=key)))


def reference(skm, place, summary):
    """skm's own answers and row counts for one output."""
    kota = [[c["tahun"], c["ikm"], c["mutu"]] for c in summary["city"]]
    _, nrr_all = skm_sql(skm, place, "SELECT unit_id, tahun, periode, sumber, kode, nrr FROM nrr_unsur")
    nrr = [[r[4], r[5]] for r in nrr_all
           if r[0] == UNIT and r[1] == 2024 and r[2] == "TAHUN" and r[3] == "responden"]
    _, per_tahun = skm_sql(skm, place, "SELECT tahun, count(*) AS n FROM responses GROUP BY tahun")
    sheets = [s for f in summary["files"] for s in f["sheets"]]
    accepted = sum(s["accepted"] for s in sheets if s["kind"] == "kuesioner")
    counts = {}
    for name, _, _ in tables():
        counts[name] = skm_sql(skm, place, f"SELECT count(*) AS n FROM {name}")[1][0][0]
    problems = []
    # skm's accounting: silver holds every accepted questionnaire row, once.
    for name, want in [("responses", accepted), ("files", len(sheets)),
                       ("manifest", len(summary["files"])), ("rejects", summary["reject_lines"])]:
        if counts[name] != want:
            problems.append(f"skm reads {counts[name]} rows of {name}, its accounting says {want}")
        counts[name] = want
    _, files_sum = skm_sql(skm, place, "SELECT sum(diterima) FROM files WHERE jenis_lembar = 'kuesioner'")
    if files_sum[0][0] != accepted:
        problems.append(f"files.parquet: {files_sum[0][0]} accepted questionnaire rows, --json {accepted}")
    if sum(r[1] for r in per_tahun) != accepted:
        problems.append(f"responses per year add up to {sum(r[1] for r in per_tahun)}, not {accepted}")
    if len(nrr) != 9:
        problems.append(f"{UNIT} has {len(nrr)} NRR rows for 2024, not 9: the question has no answer")
    if not kota:
        problems.append("no city figure")
    return {"kota": kota, "nrr": nrr, "per_tahun": [list(r) for r in per_tahun]}, counts, problems


def check_output(label, place, summary, skm, blocks):
    log(f"{label}: checking {place / 'out'}")
    ref, counts, problems = reference(skm, place, summary)
    cols = {name: c for name, _, c in tables()}
    partitioned = {name: table_location(p)[1] for name, p, _ in tables()}
    results = {}
    for tool, checked, lang, code in blocks:
        if not checked:
            r = run_harness(tool, lang, code, skm, place, "runs-" + tool)
            if r["error"]:
                problems.append(f"{tool} (more examples): {r['error']}")
            continue
        r = results[tool] = run_harness(tool, lang, code, skm, place, tool)
        if r["error"]:
            problems.append(f"{tool}: the docs/outputs.md snippet fails: {r['error']}")
            continue
        if not r["answers"]:
            problems.append(f"{tool}: the docs/outputs.md snippet gives no {', '.join(ANSWERS)}")
            continue
        for a in ANSWERS:
            if not same_rows(r["answers"][a], ref[a]):
                problems.append(f"{tool}: {a} = {r['answers'][a]}, skm says {ref[a]}")
    missing = [t for t in TOOLS if t not in results]
    if missing:
        problems.append(f"no docs/outputs.md snippet for {', '.join(missing)}")
    # The table: tools × tables.
    width = max(len(n) for n in cols) + 2
    print(f"\n{label}\n{'table':<{width}}{'rows':>9}  " + "".join(f"{t:>9}" for t in TOOLS))
    for name in cols:
        line = f"{name + ('/' if partitioned[name] else ''):<{width}}{counts[name]:>9}  "
        for tool in TOOLS:
            t = results.get(tool, {}).get("tables", {}).get(name)
            if t is None:
                mark = "-"
                problems.append(f"{tool}: {name} not opened")
            elif "error" in t:
                mark = "FAILS"
                problems.append(f"{tool}: {name} does not open: {t['error']}")
            else:
                got_cols = t["columns"]
                want = cols[name]
                ok_cols = (sorted(got_cols) == sorted(want) if partitioned[name] else got_cols == want)
                # Partitioned: tahun comes from the path; the other columns keep the file's order.
                if partitioned[name]:
                    ok_cols = ok_cols and [c for c in got_cols if c != "tahun"] == [c for c in want if c != "tahun"]
                if t["rows"] != counts[name]:
                    mark = f"{t['rows']}≠"
                    problems.append(f"{tool}: {name} has {t['rows']} rows, skm's accounting {counts[name]}")
                elif not ok_cols:
                    mark = "COLUMNS"
                    problems.append(f"{tool}: {name} columns {got_cols}, the dictionary {want}")
                else:
                    mark = "ok"
            line += f"{mark:>9}"
        print(line)
    def answered(t):
        r = results.get(t)
        return bool(r and r["answers"] and all(same_rows(r["answers"][a], ref[a]) for a in ANSWERS))
    answers = "".join(f"{'ok' if answered(t) else 'DIFFERS':>9}" for t in TOOLS)
    print(f"{'snippet answers':<{width}}{'':>9}  {answers}")
    years = ", ".join(f"{r[0]}: {r[1]:,}" for r in sorted(ref["per_tahun"]))
    city = ", ".join(f"{r[0]}: {r[1]:.4f}" if r[1] is not None else f"{r[0]}: -" for r in sorted(ref["kota"]))
    print(f"  skm: city IKM {city}; responses per year {years}; {UNIT} 2024 NRR "
          + " ".join(f"{k}={v:.3f}" for k, v in sorted(ref["nrr"])))
    return problems


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--harness":
        tool, lang, code_file, skm, result = sys.argv[2:7]
        harness(tool, lang, Path(code_file).read_text(), Path(skm), Path(result))
        return 0
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--responses", type=int, default=100_000, help="responses in the generated inbox")
    p.add_argument("--work", type=Path, default=Path.home() / ".cache" / "skm" / "interop",
                   help="where the inboxes and outputs go")
    p.add_argument("--skm", type=Path, help="an skm binary (default: cargo build, debug)")
    args = p.parse_args()
    if not in_venv():
        ensure_venv()  # re-runs this script in the venv
    ensure_java()
    args.work.mkdir(parents=True, exist_ok=True)
    skm = args.skm.resolve() if args.skm else build_skm(args.work.resolve())
    import duckdb, pandas, polars, pyarrow, pyspark  # noqa: E401
    log("pandas {} · pyarrow {} · duckdb {} · polars {} · pyspark {} · {}".format(
        pandas.__version__, pyarrow.__version__, duckdb.__version__, polars.__version__,
        pyspark.__version__, subprocess.run([str(skm), "--version"], capture_output=True, text=True).stdout.strip()))
    blocks = snippets()
    log(f"docs/outputs.md: {sum(b[1] for b in blocks)} snippets to compare "
        f"({', '.join(b[0] for b in blocks if b[1])}), {sum(not b[1] for b in blocks)} to run")
    problems = []
    for label, place, summary in make_outputs(skm, args.work.resolve(), args.responses):
        problems += [f"{label}: {p}" for p in check_output(label, place, summary, skm, blocks)]
    print()
    if problems:
        for pr in problems:
            print(f"DIFFERENCE {pr}")
        print(f"interop: {len(problems)} differences")
        return 1
    print(f"interop: every table opens in {', '.join(TOOLS)} with skm's row counts and columns, "
          "and every docs/outputs.md snippet gives skm's numbers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
