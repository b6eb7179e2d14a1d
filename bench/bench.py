"""The benchmark behind `just bench`: skm against DuckDB, Polars and pandas peers doing the same
work on the same files, and skm's XLSX ingest against pandas+openpyxl and python-calamine.

Usage (with the venv's python: bench/install-peers.sh makes it; bench/bench.sh does it all):
    python bench/bench.py [--skm PATH] [--work DIR] [--sizes 1000000,10000000,30000000]
                          [--runs 3] [--quick] [--out BENCHMARKS.md] [--results bench/results.json]
                          [--tools skm,duckdb,polars,pandas] [--no-xlsx] [--no-city]
                          [--no-incremental] [--timeout 7200] [--layouts quarter,year]
                          [--layout-sizes 10000000] [--flat-sizes 1000000,10000000,30000000]

    python bench/bench.py --quick --skm ~/.cache/skm/target/debug/skm --out /tmp/BENCH-quick.md \
        --results /tmp/bench-quick.json          # a smoke test of the harness (tiny sizes, 1 run)

    --skm takes any binary (a debug build checks the harness; figures then mean nothing).

What it does:
  * For each size N: `skm gen --responses N --units 96 --seed 1 --xlsx-share 0` writes a CSV
    inbox under WORK (kept and reused while the arguments recorded beside it match). The
    inbox is read once untimed (so the page cache is warm for every tool alike), then each
    tool runs RUNS times, round-robin, every run into an empty output folder:
      skm     `skm run --inbox I --out O --full --json`
      duckdb  peers/duckdb_skm.py (peers/skm.sql)
      polars  peers/polars_skm.py
      pandas  peers/pandas_skm.py
    Each run is timed (wall clock) and its peak RSS taken with GNU time (`%M`). Every tool's
    rows read, rejected and city IKM are compared with skm's (the city IKM from
    O/gold/ikm_kota.parquet, periode = 'TAHUN').
  * Layouts (issue 13): at each LAYOUT-SIZE the same responses (`skm gen --layout quarter`:
    4 CSV files, one per quarter; `--layout year`: 1 CSV file) are compared the same way, every
    tool on the same files, next to the file-per-unit × quarter inbox of that size (added to
    --sizes). skm runs with its default limits: a file it refuses (`[batas]`) makes its case
    "refused", reported as such. Every tool's figures must equal skm's, and skm's must equal
    those of the file-per-unit × quarter inbox (the same rows).
  * Flat memory in one file (skm only): 1 yearly file at each FLAT-SIZE (above 10M only if the
    disk allows), skm's peak RSS per size.
  * Incremental (skm only, at the largest size ≤ 10M): a first run without --full fills the
    cache, then RUNS reruns with nothing changed, then RUNS runs each after one file changed
    (a valid row appended, then removed again, alternately; the file is restored at the end).
  * City scale: 96 units × 2,000 responses, 10% of the files XLSX; `skm run --full`.
  * XLSX: 200,000 responses all in XLSX; skm against peers/xlsx_openpyxl.py and
    peers/xlsx_calamine.py.
  * One workbook (issue 29): 1,000,000 responses as one XLSX sheet (`skm gen --layout
    workbook`); skm against peers/xlsx_calamine.py (the same figures) and against
    peers/calamine_read.py, python-calamine's bare read of the sheet (the time to beat: skm at
    most half of it, within 300 MiB).
  * Timestamped cumulative pair (issue 29): a yearly CSV of 3,000,000 responses with a form's
    `Timestamp` beside the earlier export of its first two thirds (`skm gen --timestamps
    --earlier 0.666667`), against 5,000,000 timestamped responses without overlap: skm only,
    the two alternated run by run; the pair within 1.3× the time of the no-overlap read and
    within 512 MiB.
  * Writes OUT (BENCHMARKS.md: machine, versions, method, tables, targets met or not) and the
    raw measurements as RESULTS (JSON).
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

try:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
except ImportError:
    raise SystemExit("bench.py needs pyarrow: run it with the benchmark venv's python "
                     "(bench/install-peers.sh; ~/.cache/skm/bench-venv/bin/python bench/bench.py)")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS = HERE / "peers"
UNITS = 96
SEED = 1
GNU_TIME = "/usr/bin/time"
CSV_TOOLS = ["skm", "duckdb", "polars", "pandas"]
# `skm gen --layout`: the file per unit × quarter inbox is the --sizes cases; these are compared beside it.
LAYOUTS = ["quarter", "year"]
LAYOUT_LABELS = {
    "unit-quarter": f"{UNITS * 4} files, one per unit × quarter",
    "quarter": "4 files, one per quarter",
    "year": "1 file, the whole year",
}
# Issue 13's targets for every layout: skm ÷ DuckDB wall time and skm's peak RSS (MiB).
TIME_TARGET, TIME_GOAL = 0.5, 0.35
MEM_TARGET, MEM_GOAL = 512, 300
XLSX_TOOLS = ["skm", "xlsx_openpyxl", "xlsx_calamine"]
WORKBOOK_TOOLS = ["skm", "xlsx_calamine", "calamine_read"]
# Issue 29's targets for the one workbook: skm ÷ python-calamine's bare read, skm's peak (MiB).
WORKBOOK_TIME_TARGET, WORKBOOK_MEM_TARGET = 0.5, 300
# Issue 29's targets for the timestamped cumulative pair: ÷ the no-overlap read, peak (MiB).
PAIR_TIME_TARGET, PAIR_MEM_TARGET = 1.3, 512
EARLIER = 2 / 3
PEER_SCRIPTS = {
    "duckdb": "duckdb_skm.py",
    "polars": "polars_skm.py",
    "pandas": "pandas_skm.py",
    "xlsx_openpyxl": "xlsx_openpyxl.py",
    "xlsx_calamine": "xlsx_calamine.py",
    "calamine_read": "calamine_read.py",
}
LABELS = {
    "skm": "skm",
    "duckdb": "DuckDB (SQL)",
    "polars": "Polars (Python)",
    "pandas": "pandas",
    "xlsx_openpyxl": "pandas + openpyxl",
    "xlsx_calamine": "python-calamine + pandas",
    "calamine_read": "python-calamine, bare read",
}
# Peers that hold every row in memory with no limit of their own (DuckDB spills past its
# memory_limit, Polars streams its sink, skm writes silver per file).
UNBOUNDED = {"pandas", "xlsx_openpyxl", "xlsx_calamine", "calamine_read"}
TOLERANCE = 1e-9
GIB = 1 << 30


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Running and measuring


def measure(cmd, log_file, timeout, cwd=None):
    """Run `cmd` (in `cwd`); wall seconds, peak RSS (KiB), exit code and stdout."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    use_time = os.access(GNU_TIME, os.X_OK)
    time_file = log_file.with_suffix(".time")
    full = [GNU_TIME, "-f", "%e %M", "-o", str(time_file)] + cmd if use_time else cmd
    with open(log_file, "w") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=err, text=True, cwd=cwd,
                                start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
            return {"ok": False, "wall": time.perf_counter() - start, "rss_kib": None, "rc": None,
                    "stdout": out, "error": f"timed out after {timeout} s"}
        wall = time.perf_counter() - start
    rss = None
    if use_time and time_file.exists():
        # GNU time writes "Command exited with non-zero status N" before its line on failure.
        fields = time_file.read_text().strip().splitlines()[-1].split()
        if len(fields) == 2:
            rss = int(fields[1])
    result = {"ok": proc.returncode == 0, "wall": wall, "rss_kib": rss, "rc": proc.returncode, "stdout": out}
    if proc.returncode != 0:
        tail = log_file.read_text(errors="replace").strip().splitlines()[-3:]
        result["error"] = f"exit {proc.returncode}: " + " | ".join(tail)
    return result


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                pass
    return None


def skm_figures(out_dir, stdout):
    """rows_read, accepted, rejected, units, city_ikm of a skm run (its JSON and gold tables)."""
    s = last_json(stdout) or {}
    fig = {k: s.get(k) for k in ("rows_read", "accepted", "rejected", "duplicates")}
    fig["files_read"] = s.get("files_read")
    fig["files_reused"] = s.get("files_reused")
    # Files refused by a limit ([batas]: size, rows, columns, …): the run completes without them.
    fig["refused"] = [f"{u.get('file')}: {u.get('reason')}" for u in s.get("not_used") or []
                      if "[batas]" in str(u.get("reason"))]
    if fig["rows_read"] is None and (out_dir / "files.parquet").exists():
        t = pq.read_table(out_dir / "files.parquet")
        for k, col in (("rows_read", "baris_dibaca"), ("accepted", "diterima"), ("rejected", "ditolak")):
            fig[k] = pc.sum(t[col]).as_py()
    kota = out_dir / "gold" / "ikm_kota.parquet"
    fig["city_ikm"] = None
    if kota.exists():
        rows = [r for r in pq.read_table(kota, columns=["tahun", "periode", "ikm"]).to_pylist()
                if r["periode"] == "TAHUN"]
        if rows:
            fig["city_ikm"] = max(rows, key=lambda r: r["tahun"])["ikm"]
    unit = out_dir / "gold" / "ikm_unit.parquet"
    fig["units"] = None
    if unit.exists():
        rows = pq.read_table(unit, columns=["unit_id", "periode", "sumber", "ikm"]).to_pylist()
        fig["units"] = len({r["unit_id"] for r in rows
                            if r["periode"] == "TAHUN" and r["sumber"] == "responden" and r["ikm"] is not None})
    return fig


class Bench:
    def __init__(self, args):
        self.args = args
        self.skm = args.skm
        self.work = args.work
        self.python = sys.executable
        self.skipped = []
        self.per_row = {}  # peak RSS bytes per row read, per tool, at the last size run

    def command(self, tool, inbox, out, full=True):
        if tool == "skm":
            cmd = [str(self.skm), "run", "--inbox", str(inbox), "--out", str(out), "--json"]
            return cmd + ["--full"] if full else cmd
        return [self.python, str(PEERS / PEER_SCRIPTS[tool]), "--inbox", str(inbox), "--out", str(out)]

    def run_once(self, tool, inbox, label, i, full=True):
        """One cold run of `tool` (its output folder emptied first), measured."""
        base = self.work / "runs" / label / tool
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        out = base / "out"
        # Run in the output's folder, so that anything a tool spills (DuckDB's .tmp) goes there.
        r = measure(self.command(tool, inbox, out, full), self.work / "logs" / label / f"{tool}-{i}.log",
                    self.args.timeout, cwd=base)
        if not r["ok"]:
            fig = {}
        elif tool == "skm":
            fig = skm_figures(out, r["stdout"])
            if fig["refused"]:
                # Its figures would be those of the files it kept: a refusal, not a result.
                r.update(ok=False, refused=True,
                         error=f"refused by skm's limits (after {r['wall']:.1f} s, {fmt_mib(r['rss_kib'])} MiB): "
                               + "; ".join(fig["refused"]))
        else:
            fig = last_json(r["stdout"]) or {}
        r.update(fig)
        r.pop("stdout", None)
        status = f"{r['wall']:.2f} s, {fmt_mib(r['rss_kib'])} MiB" if r["ok"] else r.get("error")
        log(f"{label} {tool} run {i + 1}: {status}")
        return r

    def compare(self, label, inbox, tools, runs, rows=None, ref=None):
        """RUNS runs of each tool, round-robin; per tool the runs and their summary.

        `ref`: the figures to check the tools against when skm's run here failed or was refused
        (skm's on the same responses in another layout).
        With `rows`, a pandas-based tool whose peak memory per row at a smaller size predicts
        more than 85% of the memory available is not run (an out-of-memory kill proves nothing)."""
        warm(inbox)
        skip = {}
        for t in tools:
            est = self.per_row.get(t, 0) * rows if rows and t in UNBOUNDED else 0
            if est > 0.85 * mem_available():
                skip[t] = (f"not run: its peak memory at a smaller size predicts about {est / GIB:.1f} GiB, "
                           f"more than 85% of the {mem_available() / GIB:.1f} GiB available")
                log(f"{label} {t}: {skip[t]}")
        results = {t: [] for t in tools if t not in skip}
        for i in range(runs):
            for t in results:
                results[t].append(self.run_once(t, inbox, label, i))
        shutil.rmtree(self.work / "runs" / label, ignore_errors=True)
        summary = {t: summarize(rs) for t, rs in results.items()}
        for t, why in skip.items():
            summary[t] = {"ok": False, "skipped": True, "error": why}
        if rows:
            for t, s in summary.items():
                if s.get("ok") and s.get("rss_max_kib") and s.get("rows_read"):
                    self.per_row[t] = s["rss_max_kib"] * 1024 / s["rows_read"]
        agreement(summary, ref)
        return {"runs": results, "summary": summary}

    # -----------------------------------------------------------------------------------------
    # Inboxes

    def inbox(self, name, responses, xlsx_share, layout="unit-quarter", extra=()):
        """A generated inbox under WORK, reused when the recorded arguments match; `extra`:
        more arguments of `skm gen`."""
        d = self.work / name
        marker = self.work / f"{name}.gen.json"
        spec = {"responses": responses, "units": UNITS, "seed": SEED, "xlsx_share": xlsx_share}
        if layout != "unit-quarter":
            spec["layout"] = layout
        if extra:
            spec["extra"] = list(extra)
        dirty = self.work / f"{name}.modified"  # a file is being changed by the incremental runs
        if d.is_dir() and marker.exists() and not dirty.exists():
            try:
                if json.loads(marker.read_text()).get("spec") == spec:
                    return d
            except json.JSONDecodeError:
                pass
        shutil.rmtree(d, ignore_errors=True)
        marker.unlink(missing_ok=True)
        dirty.unlink(missing_ok=True)
        log(f"generating {name} ({responses:,} responses, layout {layout}, xlsx share {xlsx_share})")
        cmd = [str(self.skm), "gen", "--responses", str(responses), "--units", str(UNITS),
               "--seed", str(SEED), "--xlsx-share", str(xlsx_share), "--layout", layout, "--out", str(d),
               *extra]
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f"skm gen failed: {p.stderr.strip()}")
        marker.write_text(json.dumps({"spec": spec, "gen": p.stdout.strip(),
                                      "seconds": round(time.perf_counter() - t0, 1)}, indent=1))
        return d

    def layout_case(self, layout, n, tools, label=None):
        """`tools` on the n responses laid out by `skm gen --layout layout` (None: no room)."""
        name = f"inbox-{n}-{layout}"
        if not self.disk_allows(n, name):
            return None
        inbox = self.inbox(name, n, 0, layout)
        log(f"{layout} {n:,}: {fmt_bytes(du(inbox))} of CSV in {plural(n_files(inbox), 'file')}")
        runs = self.args.runs if n <= 10_000_000 else min(self.args.runs, self.args.runs_large)
        ref = self.results["sizes"].get(str(n), {}).get("summary", {}).get("skm")
        block = self.compare(f"{label or layout}-{n}", inbox, tools, runs, rows=n, ref=ref)
        block.update(layout=layout, inbox_bytes=du(inbox), files=n_files(inbox), made_bad=made_bad(inbox))
        return block

    # -----------------------------------------------------------------------------------------
    # Incremental runs (skm only)

    def incremental(self, inbox, size):
        runs = self.args.runs
        label = f"incremental-{size}"
        base = self.work / "runs" / label
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        out = base / "out"
        logs = self.work / "logs" / label
        warm(inbox)
        res = {"size": size}

        def run(name, i):
            r = measure(self.command("skm", inbox, out, full=False), logs / f"{name}-{i}.log", self.args.timeout,
                        cwd=base)
            fig = skm_figures(out, r["stdout"]) if r["ok"] else {}
            r.update(fig)
            r.pop("stdout", None)
            log(f"{label} {name} {i + 1}: " + (f"{r['wall']:.2f} s, files read {r.get('files_read')}, "
                                               f"reused {r.get('files_reused')}" if r["ok"] else r.get("error")))
            return r

        res["first"] = run("first", 0)
        res["unchanged"] = [run("unchanged", i) for i in range(runs)]
        target = sorted(inbox.rglob("*.csv"))[0]
        original = target.read_bytes()
        changed = original + extra_row(target, original)
        res["changed_file"] = str(target.relative_to(inbox))
        res["one_changed"] = []
        dirty = self.work / f"{inbox.name}.modified"
        dirty.write_text(res["changed_file"])
        try:
            for i in range(runs):
                target.write_bytes(changed if i % 2 == 0 else original)
                res["one_changed"].append(run("one_changed", i))
        finally:
            target.write_bytes(original)
            dirty.unlink()
        shutil.rmtree(base, ignore_errors=True)
        for k in ("unchanged", "one_changed"):
            res[k + "_summary"] = summarize(res[k])
        return res

    # -----------------------------------------------------------------------------------------

    def main(self):
        a = self.args
        self.work.mkdir(parents=True, exist_ok=True)
        started = datetime.datetime.now()
        results = {"started": started.isoformat(timespec="seconds"), "quick": a.quick, "runs": a.runs,
                   "machine": machine(self.work), "versions": versions(self.skm), "sizes": {},
                   "skipped": self.skipped, "incremental": None, "city": None, "xlsx": None,
                   "workbook": None, "pair": None,
                   "layouts": {}, "flat": {}}
        self.results = results
        log(f"skm {self.skm}; work in {self.work}; CPU {results['machine']['cpu']}, "
            f"{results['machine']['cores']} cores")

        # The layouts are compared with the file per unit × quarter inbox of the same size.
        sizes = sorted(set(a.sizes) | (set(a.layout_sizes) if a.layouts else set()))
        for n in sizes:
            if n > 10_000_000 and not self.disk_allows(n):
                continue
            inbox = self.inbox(f"inbox-{n}", n, 0)
            log(f"size {n:,}: {fmt_bytes(du(inbox))} of CSV")
            runs = a.runs if n <= 10_000_000 else min(a.runs, a.runs_large)
            results["sizes"][str(n)] = self.compare(f"csv-{n}", inbox, a.tools, runs, rows=n)
            results["sizes"][str(n)].update(inbox_bytes=du(inbox), files=n_files(inbox), made_bad=made_bad(inbox))
            save(results, a.results)

        for n in sorted(a.layout_sizes):
            for layout in a.layouts:
                block = self.layout_case(layout, n, a.tools)
                if block:
                    results["layouts"].setdefault(layout, {})[str(n)] = block
                    save(results, a.results)

        if not a.no_flat:
            for n in sorted(a.flat_sizes):
                done = results["layouts"].get("year", {}).get(str(n))
                if done and "skm" in done["summary"]:
                    log(f"flat {n:,}: skm's runs on the yearly file of the layout case")
                    results["flat"][str(n)] = {k: v for k, v in done.items() if k != "runs"}
                    results["flat"][str(n)]["summary"] = {"skm": done["summary"]["skm"]}
                else:
                    block = self.layout_case("year", n, ["skm"], label="flat")
                    if block:
                        results["flat"][str(n)] = block
                save(results, a.results)

        done = [int(n) for n in results["sizes"]]
        if not a.no_incremental and "skm" in a.tools and done:
            n = max([m for m in done if m <= 10_000_000] or [min(done)])
            results["incremental"] = self.incremental(self.inbox(f"inbox-{n}", n, 0), n)
            save(results, a.results)

        if not a.no_city:
            n = 192_000 if not a.quick else 19_200
            inbox = self.inbox(f"inbox-city-{n}", n, 0.1)
            results["city"] = {"responses": n, **self.compare(f"city-{n}", inbox, ["skm"], a.runs)}
            save(results, a.results)

        if not a.no_xlsx:
            n = 200_000 if not a.quick else 20_000
            inbox = self.inbox(f"inbox-xlsx-{n}", n, 1)
            results["xlsx"] = {"responses": n, "inbox_bytes": du(inbox), "files": n_files(inbox),
                               "made_bad": made_bad(inbox),
                               **self.compare(f"xlsx-{n}", inbox, XLSX_TOOLS, a.runs)}
            save(results, a.results)

        if not a.no_pair:
            results["pair"] = self.pair(30_000 if a.quick else 3_000_000)
            save(results, a.results)

        if not a.no_workbook:
            results["workbook"] = self.workbook(20_000 if a.quick else 1_000_000)
            save(results, a.results)

        results["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
        results["machine"]["disk_free_gib_after"] = round(shutil.disk_usage(self.work).free / GIB, 1)
        save(results, a.results)
        text = report(results)
        # Sections measured by other harnesses (`just spark`: bench/spark/spark.py; the
        # resubmission cost: bench/resubmission_cost.sh) are kept as they are.
        old = a.out.read_text(encoding="utf-8") if a.out.exists() else ""
        for name in ("resubmissions", "spark"):
            start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
            if start in old and end in old:
                text = text.rstrip() + "\n\n" + old[old.index(start):old.index(end) + len(end)] + "\n"
        a.out.write_text(text, encoding="utf-8")
        log(f"wrote {a.out} and {a.results}")

    def pair(self, n):
        """skm on a timestamped export of n responses beside the earlier export of its first
        two thirds, and on as many timestamped responses without overlap."""
        timed = ("--timestamps",)
        pair = self.inbox(f"inbox-pair-{n}", n, 0, "year", timed + ("--earlier", f"{EARLIER:.6f}"))
        m = n + int(n * EARLIER)
        alone = self.inbox(f"inbox-timed-{m}", m, 0, "year", timed)
        out = {"responses": n, "alone_responses": m}
        # The two alternated run by run (the pair, then the no-overlap read): the target is
        # their ratio, and a machine's speed drifts within minutes (three runs of one then
        # three of the other put that drift into the ratio).
        cases = (("pair", pair), ("alone", alone))
        for _, inbox in cases:
            warm(inbox)
        runs = {key: [] for key, _ in cases}
        for i in range(self.args.runs):
            for key, inbox in cases:
                runs[key].append(self.run_once("skm", inbox, f"{key}-{n}", i))
        for key, inbox in cases:
            shutil.rmtree(self.work / "runs" / f"{key}-{n}", ignore_errors=True)
            summary = {"skm": summarize(runs[key])}
            agreement(summary, None)
            out[key] = {"inbox_bytes": du(inbox), "files": n_files(inbox),
                        "runs": {"skm": runs[key]}, "summary": summary}
        return out

    def workbook(self, n):
        """skm on one workbook of n responses against python-calamine: its full peer (the same
        figures) and its bare read (timed only: it computes nothing to compare)."""
        inbox = self.inbox(f"inbox-workbook-{n}", n, 0, "workbook")
        label = f"workbook-{n}"
        block = self.compare(label, inbox, ["skm", "xlsx_calamine"], self.args.runs, rows=n)
        warm(inbox)
        bare = [self.run_once("calamine_read", inbox, label, i) for i in range(self.args.runs)]
        shutil.rmtree(self.work / "runs" / label, ignore_errors=True)
        block["runs"]["calamine_read"] = bare
        block["summary"]["calamine_read"] = summarize(bare)
        return {"responses": n, "inbox_bytes": du(inbox), "files": n_files(inbox),
                "made_bad": made_bad(inbox), **block}

    def disk_allows(self, n, name=None):
        """Whether WORK has room for an inbox of n responses (folder `name`) and the outputs of a run."""
        name = name or f"inbox-{n}"
        known = sorted((int(p.name.split("-")[1]), p) for p in self.work.glob("inbox-[0-9]*") if p.is_dir())
        # Bytes per CSV row, from the largest inbox already written (else a generous guess).
        per_row = du(known[-1][1]) / known[-1][0] if known else 100
        if (self.work / name).is_dir() and (self.work / f"{name}.gen.json").exists():
            need = per_row * n + 2 * GIB  # the inbox is there: room for the outputs
        else:
            need = per_row * n * 2 + 5 * GIB  # the inbox and the outputs, plus a margin
        free = shutil.disk_usage(self.work).free
        if free < need:
            msg = f"{name} ({n:,} responses): {free / GIB:.1f} GiB free, about {need / GIB:.1f} GiB needed"
            log("skipped " + msg)
            self.skipped.append(msg)
            return False
        return True


# ---------------------------------------------------------------------------------------------
# Helpers


def warm(inbox):
    """Read every file of the inbox once (untimed), so every tool finds it in the page cache."""
    for p in sorted(inbox.rglob("*")):
        if p.is_file():
            with open(p, "rb") as f:
                while f.read(1 << 22):
                    pass


def made_bad(inbox):
    """How many rows `skm gen` made bad on purpose (from its line kept beside the inbox)."""
    try:
        gen = json.loads(inbox.with_name(inbox.name + ".gen.json").read_text())["gen"]
    except (OSError, ValueError, KeyError):
        return None
    m = re.search(r"\((\d+) made bad", gen)
    return int(m.group(1)) if m else None


def mem_available():
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return float("inf")


def du(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def n_files(path):
    return sum(1 for p in Path(path).rglob("*") if p.is_file())


def cell(text, limit=160):
    """Text safe inside a markdown table cell."""
    text = " ".join(str(text).split()).replace("|", "/")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def extra_row(path, data):
    """One valid questionnaire row to append to a `skm gen` CSV (its unit, a date in its quarter)."""
    text = data.decode("utf-8")
    lines = [l for l in text.splitlines() if l.strip()]
    first = lines[1].split(";")
    m = re.search(r"_tw([1-4])_(\d{4})\.csv$", path.name)
    q, tahun = (int(m.group(1)), int(m.group(2))) if m else (1, int(first[2][-4:]))
    unit = unit_name(path.parent.name) or first[1]
    no = len(lines)  # header + rows: the new row's number
    row = [str(no), unit, f"15/{3 * q - 1:02d}/{tahun}", "Perempuan", "35", "SMA", "Swasta", "Perizinan"]
    row += ["3"] * 9
    sep = "" if text.endswith("\n") else "\n"
    return (sep + ";".join(row) + "\n").encode("utf-8")


def unit_name(unit_id):
    for line in (ROOT / "schemas" / "units.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        f = line.split("\t")
        if len(f) > 2 and f[1] == unit_id:
            return f[2]
    return None


def summarize(runs):
    ok = [r for r in runs if r["ok"]]
    if not ok:
        return {"ok": False, "error": runs[0].get("error") if runs else "not run",
                "refused": any(r.get("refused") for r in runs)}
    walls = [r["wall"] for r in ok]
    rss = [r["rss_kib"] for r in ok if r["rss_kib"] is not None]
    s = {"ok": True, "n": len(ok), "failed": len(runs) - len(ok), "wall_median": statistics.median(walls),
         "wall_min": min(walls), "wall_max": max(walls),
         "rss_max_kib": max(rss) if rss else None, "rss_median_kib": statistics.median(rss) if rss else None}
    first = ok[0]
    for k in ("rows_read", "accepted", "rejected", "duplicates", "units", "city_ikm", "files_read",
              "files_reused"):
        s[k] = first.get(k)
    # The runs of one tool must agree with each other too.
    s["stable"] = all(r.get("city_ikm") == first.get("city_ikm") and r.get("rejected") == first.get("rejected")
                      for r in ok)
    return s


def agreement(summary, fallback=None):
    """Mark each tool's figures against skm's: rows read, rejected and the city IKM. When skm
    did not succeed here, against `fallback` (skm's figures on the same responses elsewhere)."""
    ref = summary.get("skm")
    if fallback and fallback.get("ok") and not (ref or {}).get("ok"):
        ref = fallback
        for s in summary.values():
            s["agrees_with"] = "fallback"
    for t, s in summary.items():
        if not s.get("ok") or not ref or not ref.get("ok"):
            s["agrees"] = None
            continue
        notes = []
        for k in ("rows_read", "rejected", "accepted"):
            if s.get(k) != ref.get(k):
                notes.append(f"{k} {s.get(k)} vs skm {ref.get(k)}")
        if s.get("city_ikm") is None or ref.get("city_ikm") is None:
            notes.append("no city IKM")
        else:
            d = s["city_ikm"] - ref["city_ikm"]
            s["city_ikm_diff"] = d
            if abs(d) > TOLERANCE:
                notes.append(f"city IKM off by {d:+.3g}")
        if not s.get("stable"):
            notes.append("runs differ")
        s["agrees"] = not notes
        s["disagreement"] = "; ".join(notes)


def save(results, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


def cpu_model():
    """The CPU as /proc/cpuinfo names it, with its vendor, family and model numbers and widest
    vector unit: two CPUs sold under one name ("Intel(R) Xeon(R) Processor") run skm and its
    peers at different speeds, so every figure says which it was."""
    fields = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if not line.strip():
                break
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
    except OSError:
        return "unknown"
    flags = set(fields.get("flags", "").split())
    simd = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "SSE2 only"
    family = f"family {fields.get('cpu family', '?')} model {fields.get('model', '?')}"
    return f"{fields.get('model name', 'unknown')} ({fields.get('vendor_id', '?')}, {family}, {simd})"


def machine(work):
    cpu = cpu_model()
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))}, Linux {platform.release()}"
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem / GIB, 1) if mem else None,
            "os": os_name, "disk_free_gib": round(shutil.disk_usage(work).free / GIB, 1), "work": str(work)}


def versions(skm):
    v = {}
    try:
        v["skm"] = subprocess.run([str(skm), "--version"], capture_output=True, text=True).stdout.strip()
    except OSError as e:
        v["skm"] = f"unknown ({e})"
    try:
        v["git"] = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty", "--tags"],
                                  capture_output=True, text=True).stdout.strip()
    except OSError:
        v["git"] = "unknown"
    v["skm_binary"] = str(skm)
    v["python"] = platform.python_version()
    for pkg in ("duckdb", "polars", "pandas", "pyarrow", "openpyxl", "python-calamine"):
        try:
            v[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            v[pkg] = "not installed"
    return v


# ---------------------------------------------------------------------------------------------
# The report


def plural(n, word):
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def fmt_mib(kib):
    return "–" if kib is None else f"{kib / 1024:,.0f}"


def fmt_bytes(b):
    return f"{b / GIB:.2f} GiB" if b >= GIB else f"{b / 2**20:.1f} MiB"


def fmt_s(x):
    if x is None:
        return "–"
    return f"{x:,.2f}" if x < 100 else f"{x:,.0f}"


def fmt_ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}×"


def fmt_n(n):
    if n >= 1_000_000 and n % 100_000 == 0:
        return f"{n / 1_000_000:g}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return f"{n:,}"


def tool_table(block, tools, rows_for_rate=None):
    """A markdown table of one comparison: a row per tool, ratios skm ÷ peer."""
    summary = block["summary"]
    skm = summary.get("skm", {})
    lines = ["| tool | wall median (s) | min–max (s) | peak RSS (MiB) | rows/s | skm ÷ tool, time | "
             "skm ÷ tool, memory | rows read | rejected | city IKM | agrees with skm |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for t in tools:
        s = summary.get(t)
        if not s:
            continue
        if not s.get("ok"):
            status = "not run" if s.get("skipped") else "refused" if s.get("refused") else "failed"
            lines.append(f"| {LABELS[t]} | {status} | | | | | | | | | {cell(s.get('error', ''))} |")
            continue
        rows = s.get("rows_read") or rows_for_rate
        rate = f"{rows / s['wall_median']:,.0f}" if rows else "–"
        if s.get("agrees") is None:
            agrees = "(reference)" if t == "skm" else "–"
        elif s["agrees"]:
            d = s.get("city_ikm_diff")
            agrees = "yes" if t == "skm" else f"yes (Δ IKM {d:.1e})"
            if s.get("agrees_with") == "fallback":
                agrees += ", with skm on the file per unit × quarter inbox"
        else:
            agrees = "**no**: " + cell(s["disagreement"])
        if t == "skm" and s.get("agrees"):
            agrees = "(reference)"
        city = "–" if s.get("city_ikm") is None else f"{s['city_ikm']:.6f}"
        lines.append(
            f"| {LABELS[t]} | {fmt_s(s['wall_median'])} | {fmt_s(s['wall_min'])}–{fmt_s(s['wall_max'])} | "
            f"{fmt_mib(s['rss_max_kib'])} | {rate} | "
            f"{fmt_ratio(skm.get('wall_median'), s['wall_median']) if skm.get('ok') and t != 'skm' else '–'} | "
            f"{fmt_ratio(skm.get('rss_max_kib'), s['rss_max_kib']) if skm.get('ok') and t != 'skm' else '–'} | "
            f"{s.get('rows_read') if s.get('rows_read') is not None else '–'} | "
            f"{s.get('rejected') if s.get('rejected') is not None else '–'} | {city} | {agrees} |"
        )
    return "\n".join(lines)


def targets(r):
    """(target, measured, verdict) for each target of issues 6 and 13."""
    out = []
    sizes = {int(k): v["summary"] for k, v in r["sizes"].items()}

    def ok(s, t):
        return s.get(t, {}).get("ok")

    ten = sizes.get(10_000_000)
    if ten and ok(ten, "skm") and ok(ten, "duckdb"):
        ratio = ten["skm"]["wall_median"] / ten["duckdb"]["wall_median"]
        out.append(("10M: skm wall ≤ 0.5 × DuckDB", f"{ten['skm']['wall_median']:.2f} s vs "
                    f"{ten['duckdb']['wall_median']:.2f} s = {ratio:.2f}×", ratio <= 0.5))
    else:
        out.append(("10M: skm wall ≤ 0.5 × DuckDB", "not measured", None))
    if ten and ok(ten, "skm") and ok(ten, "polars"):
        ratio = ten["skm"]["wall_median"] / ten["polars"]["wall_median"]
        out.append(("10M: skm wall below Polars-Python", f"{ten['skm']['wall_median']:.2f} s vs "
                    f"{ten['polars']['wall_median']:.2f} s = {ratio:.2f}×", ratio < 1))
    else:
        out.append(("10M: skm wall below Polars-Python", "not measured", None))
    if ten and ok(ten, "skm") and ten["skm"]["rss_max_kib"]:
        mib = ten["skm"]["rss_max_kib"] / 1024
        out.append(("10M: skm peak RSS ≤ 512 MiB", f"{mib:,.0f} MiB", mib <= 512))
    else:
        out.append(("10M: skm peak RSS ≤ 512 MiB", "not measured", None))

    # Issue 13: every layout of the 10M responses, with default limits.
    blocks = layout_blocks(r, 10_000_000)
    if len(blocks) < 2:
        out.append(("10M, every layout (384, 4 and 1 files): skm wall ≤ 0.5 × DuckDB, peak RSS ≤ 512 MiB",
                    "not measured", None))
    for layout, (tt, tv, mt, mv) in layout_verdicts(blocks).items() if len(blocks) > 1 else []:
        name = LAYOUT_LABELS[layout]
        goal = {"goal": " (goal met too)", "met": " (goal not met)"}
        out.append((f"10M, {name}: skm wall ≤ {TIME_TARGET} × DuckDB (goal {TIME_GOAL}×)", tt + goal.get(tv, ""),
                    None if tv is None else tv in ("met", "goal")))
        out.append((f"10M, {name}: skm peak RSS ≤ {MEM_TARGET} MiB (goal {MEM_GOAL})", mt + goal.get(mv, ""),
                    None if mv is None else mv in ("met", "goal")))
    flat = {int(n): b["summary"]["skm"] for n, b in (r.get("flat") or {}).items()}
    good = sorted(n for n, s in flat.items() if s.get("ok") and s.get("rss_max_kib"))
    name = f"flat memory in one file {' → '.join(fmt_n(n) for n in sorted(flat))} (peak at most 1.5 × the smallest's)"
    if flat and len(good) == len(flat) and len(good) >= 2:
        b = flat[good[0]]["rss_max_kib"]
        top = max(flat[n]["rss_max_kib"] for n in good)
        out.append((name, "; ".join(f"{fmt_n(n)}: {flat[n]['rss_max_kib'] / 1024:,.0f} MiB" for n in good),
                    top <= 1.5 * b))
    elif flat:
        out.append((name, "; ".join(f"{fmt_n(n)}: " + (f"{flat[n]['rss_max_kib'] / 1024:,.0f} MiB" if n in good
                                                        else "refused" if flat[n].get("refused") else "failed")
                                    for n in sorted(flat)), False if any(not flat[n].get("ok") for n in flat) else None))

    skm_sizes = sorted(n for n, s in sizes.items() if ok(s, "skm"))
    if len(skm_sizes) >= 2:
        base = skm_sizes[0]
        b = sizes[base]["skm"]
        parts, linear, flat, mparts = [], True, True, []
        for n in skm_sizes[1:]:
            s = sizes[n]["skm"]
            growth = (s["wall_median"] / b["wall_median"]) / (n / base)
            parts.append(f"{fmt_n(n)}: {s['wall_median']:.2f} s = {growth:.2f} × linear from {fmt_n(base)}")
            linear &= growth <= 1.2
            if s["rss_max_kib"] and b["rss_max_kib"]:
                m = s["rss_max_kib"] / b["rss_max_kib"]
                mparts.append(f"{fmt_n(n)}: {s['rss_max_kib'] / 1024:,.0f} MiB = {m:.2f} × {fmt_n(base)}'s "
                              f"{b['rss_max_kib'] / 1024:,.0f} MiB")
                flat &= m <= 1.5
        out.append((f"linear time {' → '.join(fmt_n(n) for n in skm_sizes)} (time per row at most 1.2 × "
                    f"that at {fmt_n(base)})", "; ".join(parts), linear))
        out.append((f"flat memory {' → '.join(fmt_n(n) for n in skm_sizes)} (peak at most 1.5 × that at "
                    f"{fmt_n(base)})", "; ".join(mparts) or "not measured", flat if mparts else None))
    else:
        out.append(("linear time 1M → 10M (→ 30M)", "needs two sizes", None))
        out.append(("flat memory 1M → 10M (→ 30M)", "needs two sizes", None))

    c = r.get("city")
    if c and ok(c["summary"], "skm"):
        w = c["summary"]["skm"]["wall_median"]
        out.append((f"city scale ({c['responses']:,} responses, 10% XLSX): skm run --full < 3 s",
                    f"{w:.2f} s", w < 3))
    else:
        out.append(("city scale: skm run --full < 3 s", "not measured", None))

    inc = r.get("incremental")
    full = None
    if inc:
        full = sizes.get(inc["size"], {}).get("skm", {}).get("wall_median")
    for key, name, limit in (("unchanged_summary", "rerun with nothing changed", 0.05),
                             ("one_changed_summary", "rerun with one file changed", 0.15)):
        s = inc.get(key) if inc else None
        if s and s.get("ok") and full:
            share = s["wall_median"] / full
            out.append((f"{name} < {limit:.0%} of the full run ({fmt_n(inc['size'])})",
                        f"{s['wall_median']:.2f} s of {full:.2f} s = {share:.1%}", share < limit))
        else:
            out.append((f"{name} < {limit:.0%} of the full run", "not measured", None))

    # Issue 29: the timestamped cumulative pair, against the same rows without overlap.
    pr = r.get("pair") or {}
    name = (f"timestamped cumulative pair: skm ≤ {PAIR_TIME_TARGET} × the no-overlap read, "
            f"≤ {PAIR_MEM_TARGET} MiB")
    p_s = (pr.get("pair") or {}).get("summary", {}).get("skm", {})
    a_s = (pr.get("alone") or {}).get("summary", {}).get("skm", {})
    if p_s.get("ok") and a_s.get("ok"):
        ratio = p_s["wall_median"] / a_s["wall_median"]
        mib = p_s["rss_max_kib"] / 1024
        out.append((name, f"{p_s['wall_median']:.2f} s vs {a_s['wall_median']:.2f} s = {ratio:.2f}×, "
                    f"{mib:,.0f} MiB", ratio <= PAIR_TIME_TARGET and mib <= PAIR_MEM_TARGET))
    else:
        out.append((name, "not measured", None))

    # Issue 29: one workbook, against python-calamine's bare read of it.
    w = (r.get("workbook") or {}).get("summary", {})
    name = (f"one workbook ({fmt_n((r.get('workbook') or {}).get('responses', 0))}): skm ≤ "
            f"{WORKBOOK_TIME_TARGET} × python-calamine's bare read, ≤ {WORKBOOK_MEM_TARGET} MiB")
    if ok(w, "skm") and ok(w, "calamine_read"):
        ratio = w["skm"]["wall_median"] / w["calamine_read"]["wall_median"]
        mib = w["skm"]["rss_max_kib"] / 1024
        out.append((name, f"{w['skm']['wall_median']:.2f} s vs {w['calamine_read']['wall_median']:.2f} s = "
                    f"{ratio:.2f}×, {mib:,.0f} MiB",
                    ratio <= WORKBOOK_TIME_TARGET and mib <= WORKBOOK_MEM_TARGET))
    else:
        out.append((name, "not measured", None))
    return out


def layout_blocks(r, n):
    """{layout: block} at n responses: the file per unit × quarter case and the other layouts."""
    blocks = {}
    if str(n) in r["sizes"]:
        blocks["unit-quarter"] = r["sizes"][str(n)]
    for layout in LAYOUTS:
        b = r.get("layouts", {}).get(layout, {}).get(str(n))
        if b:
            blocks[layout] = b
    return blocks


def layout_verdicts(blocks):
    """Per layout: (time text, time verdict, memory text, memory verdict), each verdict None
    (not measured), "refused", "goal", "met" or "not met"."""
    out = {}
    for layout, b in blocks.items():
        skm, duck = b["summary"].get("skm", {}), b["summary"].get("duckdb", {})
        if skm.get("refused"):
            out[layout] = ("refused", "refused", "refused", "refused")
            continue
        if not skm.get("ok"):
            out[layout] = ("not measured", None, "not measured", None)
            continue
        t_text, t_ok = "not measured (DuckDB failed or not run)", None
        if duck.get("ok"):
            ratio = skm["wall_median"] / duck["wall_median"]
            t_text = f"{skm['wall_median']:.2f} s vs {duck['wall_median']:.2f} s = {ratio:.2f}×"
            t_ok = "goal" if ratio <= TIME_GOAL else "met" if ratio <= TIME_TARGET else "not met"
        m_text, m_ok = "not measured", None
        if skm.get("rss_max_kib"):
            mib = skm["rss_max_kib"] / 1024
            m_text = f"{mib:,.0f} MiB"
            m_ok = "goal" if mib <= MEM_GOAL else "met" if mib <= MEM_TARGET else "not met"
        out[layout] = (t_text, t_ok, m_text, m_ok)
    return out


def verdict_text(v):
    return {None: "not measured", "refused": "**not met** (refused)", "goal": "met, goal met too",
            "met": "met (goal not met)", "not met": "**not met**"}[v]


def same_as_unit_quarter(blocks, layout):
    """Whether skm's figures on `layout` equal those on the file per unit × quarter inbox."""
    ref = blocks.get("unit-quarter", {}).get("summary", {}).get("skm", {})
    s = blocks[layout]["summary"].get("skm", {})
    if layout == "unit-quarter":
        return "(reference)"
    if not ref.get("ok") or not s.get("ok"):
        return "–"
    diff = [f"{k} {s.get(k)} vs {ref.get(k)}" for k in ("rows_read", "accepted", "rejected", "city_ikm")
            if s.get(k) != ref.get(k)]
    return "**no**: " + "; ".join(diff) if diff else "yes"


def layouts_section(r):
    """The same responses in 384, 4 and 1 files, side by side (issue 13)."""
    L = []
    ns = sorted({int(n) for lay in r.get("layouts", {}).values() for n in lay})
    if not ns:
        return L
    L.append("## One inbox, three layouts")
    L.append("")
    L.append("The same responses (`skm gen --seed 1`, the same rows and bad rows) as a file per unit × "
             "quarter, as 4 CSV files (`skm gen --layout quarter`: one per quarter, every unit's rows, the unit "
             "in its column) and as 1 CSV file (`--layout year`), the way a central survey application "
             "exports them. Every tool on the same files, as above; skm with its default limits (no "
             "configuration). Targets (issue 13) for every layout: skm's wall time ≤ "
             f"{TIME_TARGET}× DuckDB's and peak RSS ≤ {MEM_TARGET} MiB (goal: ≤ {TIME_GOAL}× and ≤ {MEM_GOAL} MiB).")
    L.append("")
    for n in ns:
        blocks = layout_blocks(r, n)
        verdicts = layout_verdicts(blocks)
        L.append(f"### {n:,} responses, side by side")
        L.append("")
        L.append("| layout | CSV | skm wall (s) | skm peak (MiB) | DuckDB wall (s) | DuckDB peak (MiB) "
                 "| skm ÷ DuckDB, time | skm ÷ DuckDB, memory | Polars wall (s) | pandas wall (s) "
                 "| every tool agrees with skm | skm as with one file per unit × quarter |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
        for layout, b in blocks.items():
            sm = b["summary"]

            def wall(t):
                x = sm.get(t)
                if not x:
                    return "–"
                if not x.get("ok"):
                    return "refused" if x.get("refused") else "not run" if x.get("skipped") else "failed"
                return fmt_s(x["wall_median"])

            def mem(t):
                x = sm.get(t)
                return fmt_mib(x.get("rss_max_kib")) if x and x.get("ok") else "–"

            skm, duck = sm.get("skm", {}), sm.get("duckdb", {})
            both = skm.get("ok") and duck.get("ok")
            peers = [t for t in sm if t != "skm"]
            fallback = any(sm[t].get("agrees_with") == "fallback" for t in peers)
            if (skm.get("ok") or fallback) and peers:
                agree = "yes" if all(sm[t].get("agrees") for t in peers) else "**no**: " + cell("; ".join(
                    f"{LABELS[t]}: {sm[t].get('disagreement') or sm[t].get('error', 'failed')}"
                    for t in peers if not sm[t].get("agrees")), 120)
                if fallback:
                    agree += " (the peers, with skm's figures on the file per unit × quarter inbox)"
            else:
                agree = "–"
            L.append(f"| {LAYOUT_LABELS[layout]} | {fmt_bytes(b.get('inbox_bytes', 0))} | {wall('skm')} | "
                     f"{mem('skm') if skm.get('ok') else '–'} | {wall('duckdb')} | {mem('duckdb')} | "
                     f"{fmt_ratio(skm.get('wall_median'), duck.get('wall_median')) if both else '–'} | "
                     f"{fmt_ratio(skm.get('rss_max_kib'), duck.get('rss_max_kib')) if both else '–'} | "
                     f"{wall('polars')} | {wall('pandas')} | {agree} | {same_as_unit_quarter(blocks, layout)} |")
        L.append("")
        L.append(f"| layout | skm ÷ DuckDB wall time ≤ {TIME_TARGET}× (goal {TIME_GOAL}×) | met | "
                 f"skm peak RSS ≤ {MEM_TARGET} MiB (goal {MEM_GOAL} MiB) | met |")
        L.append("|---|---|---|---|---|")
        for layout, (tt, tv, mt, mv) in verdicts.items():
            L.append(f"| {LAYOUT_LABELS[layout]} | {tt} | {verdict_text(tv)} | {mt} | {verdict_text(mv)} |")
        L.append("")
        for layout, b in blocks.items():
            if layout == "unit-quarter":
                continue
            refused = b["summary"].get("skm", {})
            L.append(f"#### {LAYOUT_LABELS[layout]} ({fmt_bytes(b.get('inbox_bytes', 0))} of CSV, "
                     f"{plural(b.get('files', 0), 'file')}, {b.get('made_bad', '?')} rows made bad by `skm gen`)")
            L.append("")
            L.append(tool_table(b, [t for t in CSV_TOOLS if t in b["summary"]]))
            L.append("")
            if refused.get("refused"):
                L.append(f"skm {cell(refused.get('error'), 400)}")
                L.append("")
    return L


def flat_section(r):
    """skm's peak RSS on one yearly file at several sizes."""
    flat = r.get("flat") or {}
    if not flat:
        return []
    L = ["## Memory in one file (skm, 1 yearly CSV file)", ""]
    L.append("skm with its default limits on the same responses laid out as one file (`skm gen --layout "
             "year`) at each size: peak memory should not grow with the file.")
    L.append("")
    L.append("| responses | CSV | wall median (s) | peak RSS (MiB) | × the smallest | rows read | rejected | city IKM |")
    L.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = None
    for n in sorted(flat, key=int):
        b = flat[n]
        s = b["summary"]["skm"]
        if not s.get("ok"):
            L.append(f"| {int(n):,} | {fmt_bytes(b.get('inbox_bytes', 0))} | "
                     f"{'refused' if s.get('refused') else 'failed'}: {cell(s.get('error'), 200)} | | | | | |")
            continue
        base = base or s["rss_max_kib"]
        times = f"{s['rss_max_kib'] / base:.2f}×" if base and s["rss_max_kib"] else "–"
        city = "–" if s.get("city_ikm") is None else f"{s['city_ikm']:.6f}"
        L.append(f"| {int(n):,} | {fmt_bytes(b.get('inbox_bytes', 0))} | {fmt_s(s['wall_median'])} | "
                 f"{fmt_mib(s['rss_max_kib'])} | {times} | {s.get('rows_read')} | {s.get('rejected')} | {city} |")
    L.append("")
    for msg in r.get("skipped", []):
        if msg.startswith("inbox-") and msg.split(" ")[0].endswith("-year"):
            L.append(f"- Not run: {msg}")
            L.append("")
    return L


def report(r):
    m, v = r["machine"], r["versions"]
    L = []
    L.append("# Benchmarks")
    L.append("")
    if r["quick"]:
        L.append("> **Quick smoke run** (`--quick`: tiny sizes, one run each): it checks the harness; "
                 "its figures say nothing about performance.")
        L.append("")
    L.append(f"Run {r['started']} – {r.get('finished', '?')} by `just bench` (`bench/bench.py`, "
             f"{r['runs']} run{'s' if r['runs'] != 1 else ''} of each tool per case, the median reported). "
             "Raw measurements: `bench/results.json`.")
    L.append("")
    L.append("## Machine")
    L.append("")
    L.append(f"- CPU: {m['cpu']}, {m['cores']} cores")
    L.append(f"- Memory: {m['memory_gib']} GiB")
    L.append(f"- OS: {m['os']}")
    L.append(f"- Disk free in the work folder: {m['disk_free_gib']} GiB before, "
             f"{m.get('disk_free_gib_after', '?')} GiB after")
    L.append("")
    L.append("## Versions")
    L.append("")
    binary = str(v.get("skm_binary"))
    build = "debug build" if "/debug/" in binary else "release build" if "/release/" in binary else "binary"
    L.append(f"- skm: {v.get('skm') or '?'} (git {v.get('git') or '?'}), {build} `{v.get('skm_binary')}`")
    L.append(f"- Python {v['python']}: duckdb {v['duckdb']}, polars {v['polars']}, pandas {v['pandas']}, "
             f"pyarrow {v['pyarrow']}, openpyxl {v['openpyxl']}, python-calamine {v['python-calamine']} "
             "(pinned in `bench/requirements.txt`)")
    L.append("")
    L.append("## Method")
    L.append("")
    L.append(
        "Inboxes are written by `skm gen --units 96 --seed 1` (a file per unit and quarter of 2024, `;`-separated "
        "CSV, about 0.5% of the rows bad on purpose: an answer `5`, `0`, `3,5` or `tiga`, an unknown unit, no "
        "answer at all, an unreadable date, a date in the future). Every tool does the same work on the same "
        "files: read every CSV; reject a row whose answer is neither blank nor 1–4, whose unit is not in the "
        "registry, whose date is unreadable or after today, or that has no answer; write the accepted rows as "
        "Parquet (zstd; partitioned by `tahun=`); NRR per unit × tahun × periode × unsur (blanks not counted), "
        "IKM per unit and period, the yearly IKM by the semester rule, the city IKM; write those as Parquet.")
    L.append("")
    L.append("- **skm**: `skm run --inbox I --out O --full --json`. It does more than the "
             "peers: every reject with its reason in `rejects.parquet`, per-file accounting, the content "
             "hashes for the incremental cache, all the gold tables (kecamatan, prioritas, sampel, profil, …), "
             "the yearly Excel workbook and HTML report, and publishing (fsync, atomic rename).")
    L.append("- **DuckDB**: `bench/peers/skm.sql` via `duckdb_skm.py`: `read_csv(all_varchar)` of the glob, "
             "validation in SQL into a temporary table, `COPY … (FORMAT parquet, COMPRESSION zstd, "
             "PARTITION_BY (tahun))`, aggregates in SQL. In-memory database, default settings (all cores).")
    L.append("- **Polars (Python)**: `bench/peers/polars_skm.py`: lazy `scan_csv` (all text), validation, "
             "`sink_parquet` of silver partitioned by tahun, then gold from a `scan_parquet` of silver; rows read "
             "by Polars' row count of the CSV scan.")
    L.append("- **pandas**: `bench/peers/pandas_skm.py`: `read_csv(engine='pyarrow', dtype=str)` per file, "
             "concatenated, vectorised validation, `to_parquet` (pyarrow, zstd, partitioned), group-by "
             "aggregates (`bench/peers/common.py`).")
    L.append("- **XLSX peers**: `xlsx_openpyxl.py` (`pandas.read_excel(engine='openpyxl')`) and "
             "`xlsx_calamine.py` (`python_calamine` directly), the nine unsur columns mapped by position, then "
             "the pandas peer's validation and outputs.")
    L.append("")
    L.append("Each run starts with an empty output folder; the inbox is read once, untimed, before a case, so "
             "every tool finds it in the page cache. The tools run round-robin (skm, then each peer, repeated). "
             "Wall time is the median of the runs (min–max beside it); peak memory is the largest peak RSS of "
             "the runs, from GNU time (`/usr/bin/time -f '%e %M'`; for the Python peers the whole Python "
             "process, DuckDB's and Polars' threads included). `skm ÷ tool` below 1 means skm is faster or "
             "smaller. Every tool's rows read, rejected and city IKM are checked against skm's (city IKM within "
             f"{TOLERANCE:g}).")
    L.append("")
    for msg in r.get("skipped", []):
        L.append(f"- Skipped: {msg}")
    L.append("")

    L.append("## CSV inbox: skm and the peers")
    L.append("")
    for n, block in sorted(r["sizes"].items(), key=lambda kv: int(kv[0])):
        n = int(n)
        L.append(f"### {n:,} responses ({fmt_bytes(block.get('inbox_bytes', 0))} of CSV, "
                 f"{block.get('files', '?')} files, {block.get('made_bad', '?')} rows made bad by `skm gen`)")
        L.append("")
        L.append(tool_table(block, [t for t in CSV_TOOLS if t in block["summary"]]))
        L.append("")
    if len(r["sizes"]) >= 2:
        L.append("### Scaling (wall seconds per million rows read; peak RSS MiB)")
        L.append("")
        ns = sorted(int(k) for k in r["sizes"])
        L.append("| tool | " + " | ".join(f"{fmt_n(n)}: s/M rows | {fmt_n(n)}: MiB" for n in ns) + " |")
        L.append("|---|" + "---:|---:|" * len(ns))
        for t in CSV_TOOLS:
            cells = []
            for n in ns:
                s = r["sizes"][str(n)]["summary"].get(t)
                if s and s.get("ok") and s.get("rows_read"):
                    cells += [f"{s['wall_median'] / s['rows_read'] * 1e6:.2f}", fmt_mib(s["rss_max_kib"])]
                else:
                    cells += ["–", "–"]
            L.append(f"| {LABELS[t]} | " + " | ".join(cells) + " |")
        L.append("")

    L += layouts_section(r)
    L += flat_section(r)

    inc = r.get("incremental")
    if inc:
        full = r["sizes"].get(str(inc["size"]), {}).get("summary", {}).get("skm", {})
        fw = full.get("wall_median")
        L.append(f"## Incremental reruns (skm, {inc['size']:,} responses)")
        L.append("")
        L.append("`skm run` without `--full` into the same output: a first run fills the cache, then reruns "
                 f"with nothing changed, then runs after one file changed (`{inc['changed_file']}`: a valid row "
                 "appended, then removed, alternately). Percentages are of the median full run above.")
        L.append("")
        L.append("| run | wall median (s) | min–max (s) | peak RSS (MiB) | % of full run | files read / reused "
                 "| rows read | city IKM |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|")

        def figs(s):
            city = "–" if s.get("city_ikm") is None else f"{s['city_ikm']:.6f}"
            return f"{s.get('files_read')} / {s.get('files_reused')} | {s.get('rows_read')} | {city}"

        first = inc["first"]
        if first.get("ok"):
            pct = f"{first['wall'] / fw:.1%}" if fw else "–"
            L.append(f"| first run, empty cache | {fmt_s(first['wall'])} | | {fmt_mib(first['rss_kib'])} | "
                     f"{pct} | {figs(first)} |")
        for key, name in (("unchanged_summary", "nothing changed"), ("one_changed_summary", "one file changed")):
            s = inc[key]
            if s.get("ok"):
                pct = f"{s['wall_median'] / fw:.1%}" if fw else "–"
                L.append(f"| {name} | {fmt_s(s['wall_median'])} | {fmt_s(s['wall_min'])}–{fmt_s(s['wall_max'])} | "
                         f"{fmt_mib(s['rss_max_kib'])} | {pct} | {figs(s)} |")
            else:
                L.append(f"| {name} | failed: {cell(s.get('error'))} | | | | | | |")
        L.append(f"| full run (`--full`, above) | {fmt_s(fw)} | | {fmt_mib(full.get('rss_max_kib'))} | 100% | "
                 f"{figs(full)} |")
        L.append("")
        for r_ in inc["unchanged"]:
            if r_.get("ok") and full.get("city_ikm") is not None and r_.get("city_ikm") != full.get("city_ikm"):
                L.append(f"**The rerun with nothing changed gave city IKM {r_.get('city_ikm')!r}, the full run "
                         f"{full.get('city_ikm')!r}.**")
                L.append("")
                break

    c = r.get("city")
    if c:
        s = c["summary"]["skm"]
        L.append(f"## City scale ({c['responses']:,} responses: 96 units × {c['responses'] // 96:,}, "
                 "about 10% of the files XLSX)")
        L.append("")
        if s.get("ok"):
            L.append(f"`skm run --full`: {fmt_s(s['wall_median'])} s median ({fmt_s(s['wall_min'])}–"
                     f"{fmt_s(s['wall_max'])} s), peak RSS {fmt_mib(s['rss_max_kib'])} MiB; "
                     f"{s.get('rows_read')} rows read, {s.get('rejected')} rejected, city IKM "
                     f"{s.get('city_ikm'):.6f}.")
        else:
            L.append(f"`skm run --full` failed: {cell(s.get('error'), 400)}")
        L.append("")

    x = r.get("xlsx")
    if x:
        L.append(f"## XLSX ingest ({x['responses']:,} responses, all {x.get('files', '?')} files XLSX, "
                 f"{fmt_bytes(x.get('inbox_bytes', 0))}, {x.get('made_bad', '?')} rows made bad by `skm gen`)")
        L.append("")
        L.append(tool_table(x, XLSX_TOOLS))
        L.append("")

    pr = r.get("pair")
    if pr:
        L.append(f"## Timestamped cumulative pair ({fmt_n(pr['responses'])} + the earlier export of its "
                 f"first two thirds, against {fmt_n(pr['alone_responses'])} without overlap; skm only)")
        L.append("")
        L.append("The two inboxes alternated run by run (the pair, then the no-overlap read): the "
                 "target is their ratio.")
        L.append("")
        L.append("| inbox | skm wall median (s) | min–max (s) | peak RSS (MiB) | rows read | duplicates |")
        L.append("|---|---:|---:|---:|---:|---:|")
        for key, label in (("pair", "the pair"), ("alone", "no overlap")):
            s = pr[key]["summary"].get("skm", {})
            if s.get("ok"):
                L.append(f"| {label} | {fmt_s(s['wall_median'])} | {fmt_s(s['wall_min'])}–{fmt_s(s['wall_max'])} | "
                         f"{fmt_mib(s['rss_max_kib'])} | {s.get('rows_read')} | {s.get('duplicates', '–')} |")
            else:
                L.append(f"| {label} | failed | | | | {cell(s.get('error', ''))} |")
        L.append("")

    w = r.get("workbook")
    if w:
        L.append(f"## One workbook ({w['responses']:,} responses in one XLSX sheet, "
                 f"{fmt_bytes(w.get('inbox_bytes', 0))}, {w.get('made_bad', '?')} rows made bad by `skm gen`)")
        L.append("")
        L.append(tool_table(w, WORKBOOK_TOOLS))
        L.append("")
        L.append("The bare read computes nothing: it is the time to beat, not a result to compare.")
        L.append("")

    L.append("## Targets")
    L.append("")
    L.append("| target | measured | met |")
    L.append("|---|---|---|")
    for name, measured, verdict in targets(r):
        met = "not measured" if verdict is None else ("met" if verdict else "**not met**")
        L.append(f"| {name} | {measured} | {met} |")
    L.append("")
    return "\n".join(L)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = Path(os.environ.get("CARGO_TARGET_DIR") or Path.home() / ".cache" / "skm" / "target")
    p.add_argument("--skm", type=Path, default=target / "release" / "skm", help="the skm binary")
    p.add_argument("--work", type=Path, default=Path.home() / ".cache" / "skm" / "bench",
                   help="where inboxes, outputs and logs go")
    p.add_argument("--sizes", default="1000000,10000000,30000000",
                   help="responses per CSV inbox, comma-separated (above 10M only if the disk allows)")
    p.add_argument("--runs", type=int, default=3, help="runs of each tool per case (the median is reported)")
    p.add_argument("--runs-large", type=int, default=1,
                   help="runs of each tool for sizes above 10M (default 1: a 30M run takes minutes)")
    p.add_argument("--quick", action="store_true",
                   help="a smoke test: 20,000 responses (every layout), 1 run, small city/XLSX/flat")
    p.add_argument("--out", type=Path, default=Path("BENCHMARKS.md"), help="the report to write")
    p.add_argument("--results", type=Path, default=HERE / "results.json", help="the raw measurements (JSON)")
    p.add_argument("--tools", default=",".join(CSV_TOOLS), help="CSV tools to run (skm,duckdb,polars,pandas)")
    p.add_argument("--no-xlsx", action="store_true", help="skip the XLSX comparison")
    p.add_argument("--no-city", action="store_true", help="skip the city-scale run")
    p.add_argument("--no-workbook", action="store_true", help="skip the one-workbook comparison")
    p.add_argument("--no-pair", action="store_true", help="skip the timestamped cumulative pair")
    p.add_argument("--no-incremental", action="store_true", help="skip the incremental reruns")
    p.add_argument("--timeout", type=int, default=7200, help="seconds before a run is killed and marked failed")
    p.add_argument("--layouts", default=",".join(LAYOUTS),
                   help="layouts compared beside the file per unit × quarter one (quarter,year; '' for none)")
    p.add_argument("--layout-sizes", default="10000000",
                   help="responses per layout comparison, comma-separated (each also run as --sizes)")
    p.add_argument("--flat-sizes", default="1000000,10000000,30000000",
                   help="responses in one yearly file for skm's flat-memory case (above 10M only if the disk allows)")
    p.add_argument("--no-flat", action="store_true", help="skip the flat-memory case")
    a = p.parse_args()

    def counts(text):
        return [int(s.replace("_", "")) for s in text.split(",") if s.strip()]

    a.sizes, a.layout_sizes, a.flat_sizes = counts(a.sizes), counts(a.layout_sizes), counts(a.flat_sizes)
    a.layouts = [l.strip() for l in a.layouts.split(",") if l.strip()]
    if [l for l in a.layouts if l not in LAYOUTS]:
        p.error(f"unknown layouts: {a.layouts} (known: {', '.join(LAYOUTS)})")
    a.tools = [t.strip() for t in a.tools.split(",") if t.strip()]
    unknown = [t for t in a.tools if t not in CSV_TOOLS]
    if unknown:
        p.error(f"unknown tools: {', '.join(unknown)} (known: {', '.join(CSV_TOOLS)})")
    if a.quick:
        a.sizes, a.runs = [20_000], 1
        a.layout_sizes, a.flat_sizes = [20_000], [5_000, 20_000, 60_000]
    if not a.skm.is_file():
        p.error(f"no skm binary at {a.skm} (build it: cargo build --release, or pass --skm)")
    a.skm = a.skm.resolve()
    a.work = a.work.resolve()
    Bench(a).main()


if __name__ == "__main__":
    main()
