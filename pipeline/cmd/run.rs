//! `skm run`: ingest, normalize, compute and emit one inbox.
//!
//! Usage:
//!     skm run [--inbox DIR] [--out DIR] [--config FILE] [--units FILE] [--json] [--quiet]
//!             [--full] [--fail-on-rejects] [--pdf] [--db URL] [--db-schema NAME] [--db-responses]
//!     skm run --config /etc/skm/skm.toml --quiet     # the nightly run (docs/operations.md)
//!
//! With neither --inbox nor --out (nor [jalan] in the configuration) it runs on the demo inbox
//! (embedded; written to .out.demo/) and writes out/; --out without an inbox is a usage error,
//! so a forgotten --inbox never publishes the demo.
//! Exit codes: 0 the run completed (rejects, if any, are in out/rejects.parquet);
//! 1 the run failed (the previous output stays published); 2 usage or configuration error;
//! 3 completed with rejects in files read this run and --fail-on-rejects was given; 4 another
//! run holds the output; 5 the outputs are published but loading them into PostgreSQL failed;
//! 6 published, but needs attention (a file or sheet read this run refused, more than half of a
//! file's rows rejected, a unit past its deadline, or the PDF failed).

use std::io::IsTerminal;
use std::path::PathBuf;

use polars::prelude::ChunkCompareEq;

use skm::config::Config;
use skm::run::{RunConfig, RunSummary};

use super::{EXIT_ATTENTION, EXIT_DB, EXIT_FAILED, EXIT_LOCKED, EXIT_OK, EXIT_REJECTS, EXIT_USAGE};

#[derive(clap::Args, Debug)]
#[command(
    about = "Read every questionnaire in the inbox and write the NRR/IKM tables",
    after_help = "Example:\n  skm run --inbox /data/skm/2024 --out /data/skm/out\n  skm run --config /etc/skm/skm.toml   # inbox, out and database from [jalan], [basis_data]\n  skm run            # the demo inbox in fixtures/inbox\n  PGPASSWORD=… skm run --inbox /data/skm/2024 --db postgresql://skm@db.kota.go.id/skm\n\nExit codes:\n  0  published\n  1  failed; the previous output stays published\n  2  usage or configuration error\n  3  published, with rejects in files read this run (--fail-on-rejects)\n  4  another run holds the output\n  5  published, but the database load failed\n  6  published, but needs attention: a file or sheet refused, more than half of a file's\n     rows rejected, a unit past its deadline, or the PDF failed (see the summary or --json)"
)]
pub struct Args {
    /// Folder of submissions (*.csv, *.xlsx, *.xls, *.ods, searched recursively).
    /// Default: [jalan] inbox; with no output named either, the demo inbox embedded in skm (a
    /// copy of fixtures/inbox, written to .OUT.demo/).
    #[arg(long)]
    inbox: Option<PathBuf>,
    /// Output folder (default: [jalan] out; `out` only for the demo, when no inbox is given
    /// either).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Configuration file (TOML; see docs/configuration.md).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Unit registry replacing the embedded 96 units of Kota Bekasi (layout of schemas/units.tsv).
    #[arg(long)]
    units: Option<PathBuf>,
    /// Exit with code 3 when a row or file read in this run was rejected (files reused from
    /// earlier runs do not count again).
    #[arg(long)]
    fail_on_rejects: bool,
    /// Print only warnings and the final line (the log keeps everything).
    #[arg(long, short)]
    quiet: bool,
    /// Print a machine-readable summary (JSON) on standard output instead of the tables.
    #[arg(long)]
    json: bool,
    /// Read every file again instead of reusing what unchanged files gave in earlier runs.
    #[arg(long)]
    full: bool,
    /// Also print each yearly HTML report to PDF (report/skm_<tahun>.pdf, A4) with a headless
    /// Chromium (SKM_CHROMIUM, else chromium or google-chrome on the PATH).
    #[arg(long)]
    pdf: bool,
    #[command(flatten)]
    db: super::DbArgs,
}

/// The demo inbox, embedded in the binary, written beside the output (`.OUT.demo/`).
pub fn default_inbox(out: &std::path::Path) -> anyhow::Result<PathBuf> {
    let dir = skm::publish::Layout::new(out)?.demo;
    skm::demo_inbox::write_to(&dir)?;
    Ok(dir)
}

/// Where the run reads and writes: the flags, else `[jalan]`, else (neither an inbox nor an
/// output named anywhere) the demo inbox into `out`. An output without an inbox is refused: a
/// cron line that lost its `--inbox` must not publish the demo over the real figures.
fn places(a: &Args, config: &Config) -> anyhow::Result<(Option<PathBuf>, PathBuf)> {
    let inbox = a.inbox.clone().or_else(|| config.jalan.inbox.clone());
    let out = a.out.clone().or_else(|| config.jalan.out.clone());
    match (inbox, out) {
        (None, None) => Ok((None, PathBuf::from("out"))),
        (None, Some(out)) => anyhow::bail!(
            "--out {} was given without --inbox (nor [jalan] inbox in the configuration); the \
             demo inbox is only used when neither is given. What to do: add --inbox DIR (or \
             [jalan] inbox = \"DIR\" in the configuration)",
            out.display()
        ),
        (Some(inbox), out) => Ok((Some(inbox), out.unwrap_or_else(|| PathBuf::from("out")))),
    }
}

fn config(a: &Args, run_id: &str) -> anyhow::Result<RunConfig> {
    let (config, registry) = super::loaded(a.config.as_deref(), a.units.as_deref())?;
    let unknown = config.unknown_units(&registry);
    anyhow::ensure!(
        unknown.is_empty(),
        "the configuration names units the registry does not know: {}",
        unknown.join(", ")
    );
    let (inbox, out) = places(a, &config)?;
    let inbox = match inbox {
        Some(i) => i,
        None => default_inbox(&out)?,
    };
    anyhow::ensure!(
        inbox.is_dir(),
        "the inbox {} is not a folder",
        inbox.display()
    );
    let pdf = if a.pdf {
        Some(skm::emit::pdf::find_chromium().ok_or_else(|| {
            anyhow::anyhow!(
                "--pdf prints with a headless Chromium, and none was found (SKM_CHROMIUM, chromium, chromium-browser, google-chrome on the PATH); what to do: install Chromium (Debian: apt-get install chromium) or set SKM_CHROMIUM, or run without --pdf"
            )
        })?)
    } else {
        None
    };
    let db = target(a, &config)?;
    Ok(RunConfig {
        pdf,
        db,
        incremental: !a.full,
        inbox,
        out,
        config,
        registry,
        run_id: Some(run_id.to_string()),
    })
}

/// The PostgreSQL load asked for by the flags or `[basis_data]`, if any.
fn target(a: &Args, config: &Config) -> anyhow::Result<Option<skm::db::Target>> {
    super::db_target(&a.db, config)
}

pub fn main(a: Args) -> i32 {
    // The executable's hash (the cache key, the history, --json): remembered after the first
    // run of an executable; made beside the run when it is not.
    std::thread::spawn(skm::build_id::build);
    let run_id = skm::publish::run_id();
    let started = skm::config::utc_now();
    let cfg = match config(&a, &run_id) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("skm run: {e:#}");
            if a.json {
                let o = Outcome::usage(&run_id, &started, &format!("{e:#}"));
                print_json(&json_failed(&o));
            }
            return EXIT_USAGE;
        }
    };
    let layout = skm::publish::Layout::new(&cfg.out).ok();
    let log_file = layout.as_ref().map(|l| skm::history::log_path(l, &run_id));
    let mut progress = Progress::new(Log::open(log_file.as_deref(), a.quiet));
    progress.log.info(&format!(
        "run {run_id}: inbox {} → {} (skm {})",
        cfg.inbox.display(),
        cfg.out.display(),
        skm::build_id::VERSION,
    ));
    let result = skm::run::run_with(&cfg, &mut |p| progress.update(p));
    progress.finish();
    let mut log = progress.log;
    let config_hash =
        blake3::hash(format!("{:?}", cfg.config).as_bytes()).to_hex()[..16].to_string();
    let (code, record) = match result {
        Ok(s) => {
            let attention = s.attention();
            let code = exit_code(&s, &a, &attention);
            report_db(&s, &mut log);
            for w in &attention {
                log.warn(&format!("needs attention: {w}"));
            }
            let o = Outcome::of(&run_id, &started, code, Some(&s), None, attention);
            if a.json {
                print_json(&json_summary(&s, &o));
            } else if !a.quiet {
                print_summary(&s);
            }
            (code, o.record(&config_hash))
        }
        Err(e) => {
            let code = if e.downcast_ref::<skm::publish::Locked>().is_some() {
                EXIT_LOCKED
            } else {
                EXIT_FAILED
            };
            log.warn(&format!("failed: {e:#}"));
            let o = Outcome::of(
                &run_id,
                &started,
                code,
                None,
                Some(format!("{e:#}")),
                Vec::new(),
            );
            if a.json {
                print_json(&json_failed(&o));
            }
            (code, o.record(&config_hash))
        }
    };
    if let Some(l) = &layout {
        if let Err(e) = skm::history::append(l, &record) {
            log.warn(&format!("the run history could not be written: {e:#}"));
        }
    }
    log.last(&format!(
        "run {run_id} (build {}): exit {code} ({}){}",
        skm::build_id::build(),
        record.status,
        record
            .pesan
            .as_deref()
            .map(|p| format!(": {p}"))
            .unwrap_or_default()
    ));
    code
}

/// The exit code of a run that published: 5 when the database load failed, 3 when asked to
/// fail on rejects and a file read in this run had some, 6 when something needs a person, 0.
fn exit_code(s: &RunSummary, a: &Args, attention: &[String]) -> i32 {
    let read_now = |f: &str| s.read_now.iter().any(|r| r == f);
    let rejected_now = s
        .files
        .iter()
        .any(|f| read_now(&f.file) && f.rejected() > 0)
        || s.failed.iter().any(|(f, _, _)| read_now(f));
    if matches!(s.db, Some(Err(_))) {
        EXIT_DB
    } else if a.fail_on_rejects && rejected_now {
        EXIT_REJECTS
    } else if !attention.is_empty() {
        EXIT_ATTENTION
    } else {
        EXIT_OK
    }
}

/// A run's result as `--json` and the history say it.
struct Outcome {
    run_id: String,
    started: String,
    finished: String,
    code: i32,
    error: Option<String>,
    attention: Vec<String>,
    counts: Option<[u64; 7]>,
}

impl Outcome {
    fn of(
        run_id: &str,
        started: &str,
        code: i32,
        s: Option<&RunSummary>,
        error: Option<String>,
        attention: Vec<String>,
    ) -> Outcome {
        Outcome {
            run_id: run_id.to_string(),
            // When the command started (before it waited for the lock, if it did).
            started: started.to_string(),
            finished: skm::config::utc_now(),
            code,
            error,
            attention,
            counts: s.map(|s| {
                [
                    s.rows_read() as u64,
                    s.accepted() as u64,
                    s.rejected() as u64,
                    s.ingest.ingested as u64,
                    s.ingest.reused as u64,
                    s.failed.len() as u64,
                    s.late.len() as u64,
                ]
            }),
        }
    }

    fn usage(run_id: &str, started: &str, error: &str) -> Outcome {
        Outcome::of(
            run_id,
            started,
            EXIT_USAGE,
            None,
            Some(error.to_string()),
            Vec::new(),
        )
    }

    fn status(&self) -> &'static str {
        status(self.code)
    }

    fn record(&self, config_hash: &str) -> skm::history::RunRecord {
        let c = self.counts.unwrap_or_default();
        let pesan = self
            .error
            .clone()
            .or_else(|| (!self.attention.is_empty()).then(|| self.attention.join("; ")));
        skm::history::RunRecord {
            run_id: self.run_id.clone(),
            mulai: self.started.clone(),
            selesai: self.finished.clone(),
            exit_code: self.code,
            status: self.status().to_string(),
            baris_dibaca: c[0],
            diterima: c[1],
            ditolak: c[2],
            n_berkas_dibaca: c[3],
            n_berkas_dipakai_ulang: c[4],
            n_berkas_ditolak: c[5],
            n_unit_terlambat: c[6],
            pesan,
            versi: skm::build_id::VERSION.to_string(),
            build: skm::build_id::build().to_string(),
            konfigurasi: config_hash.to_string(),
        }
    }

    /// What every `--json` object carries, whatever the exit code.
    fn head(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut m = serde_json::Map::new();
        m.insert("run_id".into(), self.run_id.clone().into());
        m.insert("started".into(), self.started.clone().into());
        m.insert("finished".into(), self.finished.clone().into());
        m.insert("version".into(), skm::build_id::VERSION.into());
        m.insert("build".into(), skm::build_id::build().into());
        m.insert("exit_code".into(), self.code.into());
        m.insert("status".into(), self.status().into());
        m.insert("attention".into(), serde_json::json!(self.attention));
        m.insert("error".into(), serde_json::json!(self.error));
        m
    }
}

/// The exit code in words (`runs.status`, `--json`'s `status`).
pub fn status(code: i32) -> &'static str {
    match code {
        EXIT_OK => "selesai",
        EXIT_ATTENTION => "perlu_perhatian",
        EXIT_REJECTS => "selesai_dengan_penolakan",
        EXIT_USAGE => "salah_penggunaan",
        EXIT_LOCKED => "terkunci",
        EXIT_DB => "gagal_basis_data",
        _ => "gagal",
    }
}

fn print_json(v: &serde_json::Value) {
    // A reader that closed the pipe early (`| head`) is not a failure of the run.
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{v}");
}

/// `--json` of a run that did not publish (exit 1, 2 or 4), or of a command line clap refused.
fn json_failed(o: &Outcome) -> serde_json::Value {
    let mut m = o.head();
    for k in [
        "rows_read",
        "accepted",
        "rejected",
        "files_read",
        "files_reused",
    ] {
        m.insert(k.into(), serde_json::Value::Null);
    }
    m.insert("not_used".into(), serde_json::json!([]));
    m.insert("late_units".into(), serde_json::json!([]));
    serde_json::Value::Object(m)
}

/// `--json` for a command line clap could not parse (`skm run --json --bogus`): exit 2, with
/// the same head as every other exit.
pub fn usage_json(error: &str) -> String {
    let now = skm::config::utc_now();
    json_failed(&Outcome::usage(&skm::publish::run_id(), &now, error)).to_string()
}

/// A run's log: timestamped lines (UTC) in `.OUT.history/log/<run_id>.log`, and on standard
/// error unless `--quiet` (warnings and the final line always).
struct Log {
    file: Option<std::fs::File>,
    quiet: bool,
}

impl Log {
    fn open(path: Option<&std::path::Path>, quiet: bool) -> Log {
        let file = path.and_then(|p| {
            std::fs::create_dir_all(p.parent()?).ok()?;
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .ok()
        });
        Log { file, quiet }
    }

    fn write(&mut self, level: &str, msg: &str) {
        use std::io::Write;
        if let Some(f) = &mut self.file {
            let _ = writeln!(f, "{} {level} {msg}", skm::config::utc_now());
        }
    }

    fn info(&mut self, msg: &str) {
        self.write("INFO", msg);
        if !self.quiet {
            eprintln!("skm run: {msg}");
        }
    }

    fn warn(&mut self, msg: &str) {
        self.write("WARN", msg);
        eprintln!("skm run: {msg}");
    }

    /// The final line: always shown.
    fn last(&mut self, msg: &str) {
        self.write("INFO", msg);
        eprintln!("skm run: {msg}");
    }
}

/// The PostgreSQL load, on standard error: what was loaded where, or why it failed.
fn report_db(s: &RunSummary, log: &mut Log) {
    match &s.db {
        Some(Ok(l)) => log.info(&format!(
            "loaded {} tables ({} rows) and {} views into schema {} at {} in {:.1} s",
            l.tables.len(),
            l.tables.iter().map(|(_, n)| n).sum::<u64>(),
            l.views.len(),
            l.schema,
            l.place,
            l.seconds
        )),
        Some(Err(e)) => log.warn(&e.to_string()),
        None => {}
    }
}

/// The load as `--json` says it.
fn json_db(s: &RunSummary) -> serde_json::Value {
    match &s.db {
        None => serde_json::Value::Null,
        Some(Ok(l)) => serde_json::json!({
            "status": "dimuat",
            "host": l.place.host, "port": l.place.port, "database": l.place.database,
            "user": l.place.user, "schema": l.schema,
            "tables": l.tables.iter().map(|(t, n)| (t.clone(), serde_json::json!(n))).collect::<serde_json::Map<_, _>>(),
            "views": l.views,
            "seconds": (l.seconds * 1000.0).round() / 1000.0,
        }),
        Some(Err(e)) => serde_json::json!({
            "status": "gagal",
            "host": e.place.as_ref().map(|p| p.host.clone()),
            "port": e.place.as_ref().map(|p| p.port),
            "database": e.place.as_ref().map(|p| p.database.clone()),
            "user": e.place.as_ref().map(|p| p.user.clone()),
            "error": e.error,
            "todo": e.todo,
        }),
    }
}

/// Progress on standard error: a bar on a terminal, plain lines otherwise (logs, cron).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    /// Where the lines go (and whether they are shown).
    log: Log,
    /// Without a terminal: when the last line was written (a line per file for small inboxes,
    /// then one every few seconds, so a nightly log stays readable).
    last_line: Option<std::time::Instant>,
}

impl Progress {
    fn new(log: Log) -> Progress {
        Progress {
            log,
            bar: None,
            last_line: None,
        }
    }

    fn update(&mut self, p: skm::progress::Progress<'_>) {
        let tty = std::io::stderr().is_terminal() && !self.log.quiet;
        match p {
            skm::progress::Progress::File {
                i,
                n,
                name,
                read,
                reused,
            } => {
                if tty {
                    let bar = self.bar.get_or_insert_with(|| {
                        let b = indicatif::ProgressBar::new(n as u64);
                        b.set_style(
                            indicatif::ProgressStyle::with_template(
                                "{spinner} ingest [{bar:30}] {pos}/{len} {wide_msg}",
                            )
                            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                            .progress_chars("=> "),
                        );
                        b
                    });
                    bar.set_position(i as u64);
                    bar.set_message(name.to_string());
                } else {
                    let due = n <= 50
                        || i + 1 == n
                        || self
                            .last_line
                            .is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(5));
                    if due {
                        // How a file was read (`files.cara_baca`): a big workbook read whole
                        // where it is usually cut into pieces shows in the log; "reused" when
                        // that was on an earlier night (the cache).
                        let read = match (read, reused) {
                            (Some(r), false) => format!(" ({r})"),
                            (Some(r), true) => format!(" ({r}, reused)"),
                            (None, _) => String::new(),
                        };
                        self.log.info(&format!("[{}/{n}] {name}{read}", i + 1));
                        self.last_line = Some(std::time::Instant::now());
                    }
                }
            }
            skm::progress::Progress::Stage(stage) => {
                if let Some(b) = self.bar.take() {
                    b.finish_and_clear();
                }
                if stage != skm::progress::Stage::Ingest {
                    self.log.info(&stage.to_string());
                }
            }
        }
    }

    fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

/// The summary a scheduler reads: status, counts, the city figure per year, where the outputs are.
fn json_summary(s: &RunSummary, o: &Outcome) -> serde_json::Value {
    let files: Vec<serde_json::Value> = s
        .files
        .iter()
        .map(|f| {
            serde_json::json!({
                "file": f.file,
                "sheets": f.sheets.iter().map(|(sh, o)| serde_json::json!({
                    "sheet": sh, "kind": o.kind, "rows_read": o.rows_read, "accepted": o.accepted,
                    "rejected": o.rejected, "skipped": o.skipped, "duplicates": o.duplicates,
                    "contained_in": o.contained_in, "hidden_rows_not_read": o.hidden_skipped,
                })).collect::<Vec<_>>(),
                "rows_read": f.rows_read(),
                "accepted": f.accepted(),
                "rejected": f.rejected(),
                "skipped": f.skipped(),
                "duplicates": f.duplicates(),
            })
        })
        .collect();
    let kota = &s.ikm_kota;
    let mut city = Vec::new();
    if let (Ok(t), Ok(p), Ok(v), Ok(m), Ok(n)) = (
        kota.column("tahun").and_then(|c| c.i32().cloned()),
        kota.column("periode").and_then(|c| c.str().cloned()),
        kota.column("ikm").and_then(|c| c.f64().cloned()),
        kota.column("mutu").and_then(|c| c.str().cloned()),
        kota.column("n_unit").and_then(|c| c.u32().cloned()),
    ) {
        for i in 0..kota.height() {
            if p.get(i) == Some("TAHUN") {
                city.push(serde_json::json!({
                    "tahun": t.get(i), "ikm": v.get(i), "ikm_bulat": v.get(i).and_then(|x| skm::domain::round_half_up(x, 2)),
                    "mutu": m.get(i), "n_unit": n.get(i),
                }));
            }
        }
    }
    let body = serde_json::json!({
        "rows_read": s.rows_read(),
        "accepted": s.accepted(),
        "rejected": s.rejected(),
        "skipped": s.skipped(),
        "duplicates": s.duplicates(),
        "duplicates_by_kind": s.duplicates_by_kind,
        "reject_lines": s.n_rejects,
        "files_read": s.ingest.ingested,
        "files_reused": s.ingest.reused,
        "files_unread": s.ingest.unread,
        "files_identical": s.ingest.identical,
        "seconds": s.timings.iter().map(|(k, v)| (k.to_string(), serde_json::json!((v * 1000.0).round() / 1000.0))).collect::<serde_json::Map<_, _>>(),
        "audit_findings": s.n_findings,
        "city": city,
        "files": files,
        "out": s.out.display().to_string(),
        "reports": s.reports.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "unit_reports": { "count": s.unit_reports, "folder": s.unit_report_dir.display().to_string() },
        "not_used": s.failed.iter().map(|(f, sh, why)| serde_json::json!({
            "file": f, "sheet": sh, "reason": why, "this_run": s.read_now.iter().any(|r| r == f),
        })).collect::<Vec<_>>(),
        "late_units": s.late.iter().map(|l| serde_json::json!({
            "unit_id": l.unit_id, "unit_nama": l.unit_nama, "tahun": l.tahun,
            "periode": l.periode.code(), "tenggat": l.tenggat.to_string(),
            "hari_terlambat": l.hari_terlambat,
        })).collect::<Vec<_>>(),
        "database": json_db(s),
    });
    let mut m = o.head();
    if let serde_json::Value::Object(b) = body {
        m.extend(b);
    }
    serde_json::Value::Object(m)
}

fn print_city(s: &RunSummary) {
    let k = &s.ikm_kota;
    let (Ok(t), Ok(p), Ok(v), Ok(m), Ok(n), Ok(miss)) = (
        k.column("tahun").and_then(|c| c.i32().cloned()),
        k.column("periode").and_then(|c| c.str().cloned()),
        k.column("ikm_bulat").and_then(|c| c.f64().cloned()),
        k.column("mutu").and_then(|c| c.str().cloned()),
        k.column("n_unit").and_then(|c| c.u32().cloned()),
        k.column("n_unit_tidak_lapor")
            .and_then(|c| c.u32().cloned()),
    ) else {
        return;
    };
    for i in 0..k.height() {
        if p.get(i) == Some("TAHUN") {
            println!(
                "City IKM {}: {} ({}) from {} units; {} units without a figure",
                t.get(i).unwrap_or(0),
                v.get(i)
                    .map(|x| format!("{x:.2}"))
                    .unwrap_or_else(|| "-".into()),
                m.get(i).unwrap_or("-"),
                n.get(i).unwrap_or(0),
                miss.get(i).unwrap_or(0)
            );
        }
    }
}

fn print_summary(s: &RunSummary) {
    print_late(s);
    print_not_used(s);
    print_guesses(s);
    print_files(s);
    // Without the columns of the unit table the summary ends there (as it always has).
    if print_unit_ikm(s).is_none() {
        return;
    }
    print_closing(s);
}

/// The units past a deadline, by name.
fn print_late(s: &RunSummary) {
    if s.late.is_empty() {
        return;
    }
    println!(
        "Late: {} units have not sent a period whose deadline has passed",
        s.late.len()
    );
    for l in &s.late {
        println!(
            "  {} ({}): {} {} due {}, {} days late",
            l.unit_nama,
            l.unit_id,
            l.periode.code(),
            l.tahun,
            l.tenggat,
            l.hari_terlambat
        );
    }
    println!();
}

/// The files and sheets the run could not use, and why.
fn print_not_used(s: &RunSummary) {
    if s.failed.is_empty() {
        return;
    }
    println!("Not used ({} files or sheets)", s.failed.len());
    for (file, sheet, why) in &s.failed {
        let at = if sheet.is_empty() {
            file.clone()
        } else {
            format!("{file} [{sheet}]")
        };
        println!("  {at}: {why}");
    }
    println!();
}

/// The sheets whose units were guessed (`files.unit_tebakan`): a place's name alone that two
/// units bear, read as the kecamatan office. Said where the operator reads, not only in
/// `files.parquet` and `skm validate`.
fn print_guesses(s: &RunSummary) {
    let guessed: Vec<(&str, &str, &str)> = (s.files.iter())
        .flat_map(|f| {
            (f.sheets.iter()).filter_map(|(sheet, o)| {
                let g = o.unit_tebakan.as_deref()?;
                Some((f.file.as_str(), sheet.as_str(), g))
            })
        })
        .collect();
    if guessed.is_empty() {
        return;
    }
    let n = guessed.len();
    println!(
        "Units guessed in {n} sheet{} (files.unit_tebakan): write the unit's full name in the file",
        if n == 1 { "" } else { "s" }
    );
    for (file, sheet, g) in guessed {
        match sheet.is_empty() {
            true => println!("  {file}: {g}"),
            false => println!("  {file} [{sheet}]: {g}"),
        }
    }
    println!();
}

/// A large inbox lists only this many files, those with something to say.
const FILES_SHOWN: usize = 40;

/// Rows read, accepted, rejected, duplicates and skipped per file, and in all.
fn print_files(s: &RunSummary) {
    let w = s
        .files
        .iter()
        .map(|f| f.file.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(5, 70);
    println!("Files");
    println!(
        "  {:<w$} {:>7} {:>9} {:>8} {:>9} {:>8}",
        "file", "read", "accepted", "rejected", "duplicate", "skipped"
    );
    let shown = files_shown(s);
    for f in &shown {
        let kinds: Vec<&str> = f
            .sheets
            .iter()
            .map(|(_, o)| o.kind.as_str())
            .filter(|k| *k != "kuesioner")
            .collect();
        let mut note = if kinds.is_empty() {
            String::new()
        } else {
            format!("  ({})", kinds.join(", "))
        };
        if let Some(c) = f.sheets.iter().find_map(|(_, o)| o.contained_in.as_deref()) {
            note.push_str(&format!("  counted in {c}"));
        }
        for (sheet, o) in f
            .sheets
            .iter()
            .filter(|(_, o)| !o.hidden_skipped.is_empty())
        {
            let rows = skm::normalize::frame::rows_listed(&o.hidden_skipped);
            note.push_str(&format!(
                "  hidden rows not read: '{sheet}' {rows} (skm validate says why)"
            ));
        }
        println!(
            "  {:<w$} {:>7} {:>9} {:>8} {:>9} {:>8}{note}",
            f.file,
            f.rows_read(),
            f.accepted(),
            f.rejected(),
            f.duplicates(),
            f.skipped()
        );
    }
    if shown.len() < s.files.len() {
        println!(
            "  … {} more files ({} shown: those with rejects or sheets not used; all in files.parquet)",
            s.files.len() - shown.len(),
            shown.len()
        );
    }
    println!(
        "  {:<w$} {:>7} {:>9} {:>8} {:>9} {:>8}",
        "total",
        s.rows_read(),
        s.accepted(),
        s.rejected(),
        s.duplicates(),
        s.skipped()
    );
    println!();
}

/// Every file of a small inbox; of a large one, the first with rejects or sheets not used.
fn files_shown(s: &RunSummary) -> Vec<&skm::normalize::FileAccount> {
    let noteworthy = |f: &&skm::normalize::FileAccount| {
        s.files.len() <= FILES_SHOWN
            || f.rejected() > 0
            || f.duplicates() > 0
            || f.sheets
                .iter()
                .any(|(_, o)| o.kind != skm::normalize::SheetKind::Kuesioner)
    };
    s.files
        .iter()
        .filter(noteworthy)
        .take(FILES_SHOWN)
        .collect()
}

/// The IKM of every unit and period computed from respondents, and how many recaps stated.
/// `None` when the table lacks a column it shows (nothing after the heading is printed).
fn print_unit_ikm(s: &RunSummary) -> Option<()> {
    println!("IKM per unit and period (from respondents)");
    let all = &s.ikm_unit;
    let n_recap = all
        .column("sumber")
        .ok()
        .and_then(|c| {
            c.str()
                .ok()
                .map(|c| c.iter().filter(|v| *v == Some("rekap")).count())
        })
        .unwrap_or(0);
    let df = &match all
        .column("sumber")
        .and_then(|c| c.str().map(|c| c.equal("responden")))
    {
        Ok(mask) => all.filter(&mask).unwrap_or_else(|_| all.clone()),
        Err(_) => all.clone(),
    };
    let get_s = |c: &str| df.column(c).ok().and_then(|c| c.str().ok().cloned());
    let (id, per, mutu) = (get_s("unit_id")?, get_s("periode")?, get_s("mutu")?);
    let tahun = df.column("tahun").ok().and_then(|c| c.i32().ok().cloned());
    let n = df
        .column("n_responden")
        .ok()
        .and_then(|c| c.i64().ok().cloned());
    let ikm = df
        .column("ikm_bulat")
        .ok()
        .and_then(|c| c.f64().ok().cloned());
    let (tahun, n, ikm) = (tahun?, n?, ikm?);
    let uw = id
        .iter()
        .flatten()
        .map(|u| u.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    println!(
        "  {:<uw$} {:>5} {:<6} {:>7} {:>7} {:<4}",
        "unit", "tahun", "period", "n", "IKM", "mutu"
    );
    for i in 0..df.height() {
        println!(
            "  {:<uw$} {:>5} {:<6} {:>7} {:>7} {:<4}",
            id.get(i).unwrap_or(""),
            tahun.get(i).map(|v| v.to_string()).unwrap_or_default(),
            per.get(i).unwrap_or(""),
            n.get(i).map(|v| v.to_string()).unwrap_or_default(),
            ikm.get(i)
                .map(|v| format!("{v:.2}"))
                .unwrap_or_else(|| "-".into()),
            mutu.get(i).unwrap_or("-"),
        );
    }
    if n_recap > 0 {
        println!("  + {n_recap} IKM values stated by recap sheets (gold/ikm_unit.parquet, sumber = 'rekap')");
    }
    println!();
    Some(())
}

/// What a kind of `duplikat` row means, for the closing summary.
fn kind_words(k: &str) -> &'static str {
    match k {
        "berkas_identik" => " (files identical to another)",
        "tumpang_tindih" => " (responses with a time of day in a newer export)",
        "revisi" => " (corrected in a newer file)",
        "ganda_dalam_berkas" => " (submitted twice)",
        "dikirim_ulang" => " (rows of an earlier send of a date-only log, in a later send)",
        "dihapus" => " (rows deleted from the later send of a log)",
        "salinan_lembar" => " (rows of a sheet copying another sheet of its workbook)",
        _ => "",
    }
}

/// Findings, row counts, the city per year, files reused, and where everything was written.
fn print_closing(s: &RunSummary) {
    println!(
        "{} stated figures do not match their recomputation: {}",
        s.n_findings,
        s.out.join("gold/audit.parquet").display()
    );
    println!(
        "{} rows read = {} accepted + {} rejected ({} reject lines: {}) + {} duplicates of \
         responses counted elsewhere ({}); {} rows skipped as not data",
        s.rows_read(),
        s.accepted(),
        s.rejected(),
        s.n_rejects,
        s.out.join("rejects.parquet").display(),
        s.duplicates(),
        s.out.join("duplikat.parquet").display(),
        s.skipped()
    );
    if !s.duplicates_by_kind.is_empty() {
        let kinds: Vec<String> = s
            .duplicates_by_kind
            .iter()
            .map(|(k, n)| format!("{n} {k}{}", kind_words(k)))
            .collect();
        println!("  not counted: {}", kinds.join(", "));
    }
    print_city(s);
    println!(
        "{} files read, {} unchanged since the last run and reused ({} of them not even re-hashed: size and time as before), {} identical to another file and not read; manifest.parquet lists them",
        s.ingest.ingested, s.ingest.reused, s.ingest.unread, s.ingest.identical
    );
    println!(
        "Outputs in {}: gold/ (ikm_unit, nrr_unsur, ikm_kota, kecamatan, prioritas, tindak_lanjut, sampel, profil, iku_capaian, anggaran, audit, …), silver/responses/, silver/sums/, rejects.parquet, duplikat.parquet, files.parquet, manifest.parquet",
        s.out.display()
    );
    for r in &s.reports {
        println!("Report: {}", r.display());
    }
    println!(
        "Per-unit reports: {} (unit × year, an .xlsx and an .html each) in {}; `skm report --unit ID --tahun Y` names one unit's files",
        s.unit_reports,
        s.unit_report_dir.display()
    );
}
