//! One run, orchestrated: lock the output, ingest the inbox into silver, compute gold, emit
//! every table and report into a staging folder, publish it atomically, and load the
//! published tables into PostgreSQL when asked (`db`). Nothing else lives here:
//! each stage's types live with the stage that makes them.

use std::path::PathBuf;

use anyhow::Result;
use polars::prelude::*;

use crate::compute;
use crate::config::Config;
use crate::db;
use crate::emit;
use crate::emit::workbook::MAX_SHEET_ROWS;
use crate::ingest;
use crate::normalize::{frame, FileAccount};
use crate::progress::{Progress, Stage};
use crate::publish;
use crate::registry::Registry;
use crate::silver::{self, cache::Cache, Ingest, IngestStats, SilverDirs};
use crate::tables::{self, Dictionary};

/// Everything a run needs, resolved before any work starts.
#[derive(Debug, Clone)]
pub struct RunConfig {
    pub inbox: PathBuf,
    pub out: PathBuf,
    pub config: Config,
    pub registry: Registry,
    /// Reuse what unchanged files gave in earlier runs (`--full` turns it off).
    pub incremental: bool,
    /// Print each yearly HTML report to PDF (`report/skm_<tahun>.pdf`) with this browser
    /// (`skm run --pdf`; `emit::pdf::find_chromium`).
    pub pdf: Option<PathBuf>,
    /// Load the published tables into PostgreSQL (`--db`, `[basis_data]`).
    pub db: Option<db::Target>,
    /// The run's id, when the caller chose it (so that even a failed run's report names it);
    /// else made when the run starts (`publish::run_id`).
    pub run_id: Option<String>,
}

/// What a run produced.
pub struct RunSummary {
    pub files: Vec<FileAccount>,
    pub n_rejects: usize,
    pub n_findings: usize,
    /// Files and sheets that could not be used at all, with the reason.
    pub failed: Vec<(String, String, String)>,
    pub ikm_unit: DataFrame,
    pub nrr_unsur: DataFrame,
    pub ikm_kota: DataFrame,
    /// Files read anew and files reused from the cache.
    pub ingest: IngestStats,
    /// The workbooks written (report/skm_<tahun>.xlsx).
    pub reports: Vec<PathBuf>,
    /// The per-unit reports (report/unit/<unit_id>_<tahun>.xlsx and .html): how many unit ×
    /// year, and their folder in the published output.
    pub unit_reports: usize,
    pub unit_report_dir: PathBuf,
    pub out: PathBuf,
    /// Seconds spent in each stage: ingest (with normalize and the silver writes), compute,
    /// emit, publish (and database when loading).
    pub timings: Vec<(Stage, f64)>,
    /// The run's id (its folder under `.OUT.runs/`).
    pub run_id: String,
    /// When the run started and its outputs were published (UTC, RFC 3339).
    pub started: String,
    pub finished: String,
    /// The files read in this run (not reused from the cache, not identical copies): what
    /// `--fail-on-rejects` and "needs attention" look at.
    pub read_now: Vec<String>,
    /// Why an optional output (the PDF) could not be made; the data was published anyway.
    pub optional_failed: Vec<String>,
    /// Units past a deadline with nothing for its period (`gold/unit_terlambat`).
    pub late: Vec<compute::unit_terlambat::Late>,
    /// The PostgreSQL load, when asked for: the files are published whatever it gives.
    pub db: Option<Result<db::Loaded, db::LoadError>>,
    /// The `duplikat` rows per kind (`berkas_identik`: files), by kind.
    pub duplicates_by_kind: std::collections::BTreeMap<String, usize>,
}

impl RunSummary {
    pub fn rows_read(&self) -> usize {
        self.files.iter().map(FileAccount::rows_read).sum()
    }
    pub fn accepted(&self) -> usize {
        self.files.iter().map(FileAccount::accepted).sum()
    }
    pub fn rejected(&self) -> usize {
        self.files.iter().map(FileAccount::rejected).sum()
    }
    pub fn skipped(&self) -> usize {
        self.files.iter().map(FileAccount::skipped).sum()
    }
    pub fn duplicates(&self) -> usize {
        self.files.iter().map(FileAccount::duplicates).sum()
    }

    /// The city IKM per year (`ikm_kota`, periode TAHUN), full precision.
    pub fn city_per_year(&self) -> Vec<(i32, Option<f64>)> {
        compute::ikm_kota::per_year(&self.ikm_kota)
    }

    /// What needs a person after a run that published, one line each: files and sheets read
    /// in this run and refused (a file that changed while it was read aside: it is read whole
    /// on the next run by itself), files read in this run with more than half their rows
    /// rejected, optional outputs that failed, and units past a deadline. (Files reused from
    /// earlier runs were said on the night they were read.)
    pub fn attention(&self) -> Vec<String> {
        let read_now = |f: &str| self.read_now.iter().any(|r| r == f);
        let arriving = |f: &str| {
            self.files.iter().any(|a| {
                a.file == f
                    && a.sheets
                        .iter()
                        .any(|(_, o)| o.kind == crate::normalize::SheetKind::BerubahSaatDibaca)
            })
        };
        let mut v = Vec::new();
        for (file, sheet, why) in self
            .failed
            .iter()
            .filter(|(f, _, _)| read_now(f) && !arriving(f))
        {
            let at = if sheet.is_empty() {
                file.clone()
            } else {
                format!("{file} [{sheet}]")
            };
            v.push(format!("refused: {at}: {why}"));
        }
        for f in self.files.iter().filter(|f| read_now(&f.file)) {
            let (bad, read) = (f.rejected(), f.rows_read());
            let refused = self.failed.iter().any(|(x, _, _)| *x == f.file);
            if read > 0 && bad * 2 > read && !refused {
                v.push(format!(
                    "{}: {bad} of {read} rows rejected (rejects.parquet says why)",
                    f.file
                ));
            }
        }
        v.extend(self.optional_failed.iter().cloned());
        if !self.late.is_empty() {
            let names: Vec<String> = self
                .late
                .iter()
                .take(5)
                .map(|l| format!("{} {} {}", l.unit_nama, l.periode.code(), l.tahun))
                .collect();
            let more = self.late.len().saturating_sub(5);
            v.push(format!(
                "{} unit-periods past their deadline with no data: {}{} (gold/unit_terlambat.parquet)",
                self.late.len(),
                names.join(", "),
                if more > 0 { format!(", … {more} more") } else { String::new() }
            ));
        }
        v
    }

    /// The run as a row of `skm_run`.
    fn run_row(&self) -> db::RunRow {
        db::RunRow {
            run_id: self.run_id.clone(),
            mulai: self.started.clone(),
            selesai: self.finished.clone(),
            n_berkas: self.ingest.ingested + self.ingest.reused + self.ingest.identical,
            n_berkas_dibaca: self.ingest.ingested,
            n_berkas_dipakai_ulang: self.ingest.reused,
            baris_dibaca: self.rows_read(),
            diterima: self.accepted(),
            ditolak: self.rejected(),
            n_penolakan: self.n_rejects,
            n_temuan_audit: self.n_findings,
            ikm_kota: self.city_per_year(),
            // As `--json` says it (before the load, whose failure the exit code adds).
            status: if self.attention().is_empty() {
                "selesai".into()
            } else {
                "perlu_perhatian".into()
            },
        }
    }
}

/// A writer thread's result (a panic as an error naming the writer).
fn joined<T>(r: std::thread::Result<Result<T>>, what: &str) -> Result<T> {
    r.unwrap_or_else(|_| Err(anyhow::anyhow!("the {what} writer panicked")))
}

/// The reports of a run into `staging`, the duplikat rows (as many as a cumulative export's)
/// on their own thread, the yearly workbooks (the slowest: deflate and column widths) on
/// theirs, beside the HTML reports and then the per-unit reports: the staged workbooks, the
/// staged pages, the unit reports. The city workbooks show the first rejects and duplikat
/// rows, the pages their counts by code and by kind.
fn write_reports(
    (gold, rejects, rejects_by_kode): (
        &compute::Gold,
        (&DataFrame, usize),
        &std::collections::BTreeMap<String, usize>,
    ),
    (duplikat, by_kind): (
        silver::duplicates::Duplikat,
        &std::collections::BTreeMap<String, usize>,
    ),
    config: &Config,
    staging: &std::path::Path,
) -> Result<(Vec<PathBuf>, Vec<PathBuf>, emit::unit_report::UnitReports)> {
    let dict = Dictionary::embedded_ref();
    let head = (&duplikat.head(MAX_SHEET_ROWS)?, duplikat.len());
    let (workbooks, pages, units, rows) = std::thread::scope(|s| {
        let rows = s.spawn(|| {
            let table = dict.table("duplikat");
            tables::write_table_frames(table, staging, duplikat.frames(64 * 1024))
        });
        let workbooks =
            s.spawn(|| emit::city_workbook::write_workbooks(gold, rejects, head, staging));
        let pages = emit::html::write_reports(gold, rejects_by_kode, by_kind, staging);
        let units = pages.is_ok().then(|| {
            emit::unit_report::write_unit_reports(gold, config, Some(&gold.tindak_lanjut), staging)
        });
        let workbooks = joined(workbooks.join(), "workbook");
        let rows = joined(rows.join(), "duplikat");
        (workbooks, pages, units, rows)
    });
    rows?;
    let units = units.expect("written when the pages were")?;
    Ok((workbooks?, pages?, units))
}

/// Each HTML page printed to PDF beside it. The PDF is optional: when Chromium fails, the
/// data is published all the same and the run says so (it needs attention): the reasons.
fn print_pdfs(
    browser: &std::path::Path,
    pages: &[PathBuf],
    staged: &mut Vec<PathBuf>,
) -> Vec<String> {
    let mut failed = Vec::new();
    for page in pages {
        let pdf = page.with_extension("pdf");
        match emit::pdf::print(browser, page, &pdf) {
            Ok(()) => staged.push(pdf),
            Err(e) => failed.push(format!(
                "PDF {} not made: {e:#}",
                pdf.file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default()
            )),
        }
    }
    failed
}

pub fn run(cfg: &RunConfig) -> Result<RunSummary> {
    run_with(cfg, &mut |_| {})
}

pub fn run_with(cfg: &RunConfig, progress: &mut dyn FnMut(Progress<'_>)) -> Result<RunSummary> {
    // One writer per output, before any work.
    let layout = publish::Layout::new(&cfg.out)?;
    let _lock = publish::lock(&layout)?;
    crate::faults::point("locked");
    let started = crate::config::utc_now();
    let mut timings = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: Stage| {
        timings.push((name, clock.elapsed().as_secs_f64()));
        clock = std::time::Instant::now();
    };
    progress(Progress::Stage(Stage::Ingest));
    let inbox_files = ingest::discover(&cfg.inbox)?;
    // An inbox holding no file at all is a share not mounted or files moved away, not a night
    // with nothing sent: published, it would empty every table the dashboards read.
    anyhow::ensure!(
        !inbox_files.is_empty(),
        "the inbox {} holds no file (hidden files and Office lock files aside): was its share \
         not mounted, or were its files moved? Nothing was published; the outputs of the last \
         run stay. Put the units' files in it (a folder per unit) and run again",
        cfg.inbox.display()
    );
    let id = cfg.run_id.clone().unwrap_or_else(publish::run_id);
    let staging = publish::staging(&layout, &id)?;
    let dirs = SilverDirs::under(&staging);
    let cache = if cfg.incremental {
        Some(Cache::open(&layout.cache)?)
    } else {
        None
    };
    let Ingest {
        normalized: n,
        stats,
        used,
        manifest,
        sums,
        silang,
        duplikat,
    } = silver::ingest_to_silver(
        &inbox_files,
        &cfg.config,
        &cfg.registry,
        &dirs,
        cache.as_ref(),
        progress,
    )?;
    lap(Stage::Ingest);
    let silver_synced = publish::sync_early(staging.join("silver"));
    progress(Progress::Stage(Stage::Compute));
    let dict = Dictionary::embedded_ref();
    let mut gold = compute::gold(&sums, &silang, &n.output, &cfg.config, &cfg.registry)?;
    let rejects = &n.output.rejects;
    let rejects_head = frame::rejects(rejects, 0..rejects.len().min(MAX_SHEET_ROWS))?;
    let mut files = frame::files(&n.files)?;
    lap(Stage::Compute);
    // Write everything into a staging folder, then publish it atomically (crate::publish).
    progress(Progress::Stage(Stage::Emit));
    crate::faults::point("emit");
    for (name, df) in gold.tables() {
        tables::write_table(df, dict.table(name), &staging)?;
        crate::faults::point("emit");
    }
    let duplicates_by_kind = duplikat.by_kind();
    let (workbooks, pages, units) = write_reports(
        (&gold, (&rejects_head, rejects.len()), &rejects.by_kode()),
        (duplikat, &duplicates_by_kind),
        &cfg.config,
        &staging,
    )?;
    let mut staged_reports = workbooks;
    let optional_failed = match &cfg.pdf {
        Some(browser) => print_pdfs(browser, &pages, &mut staged_reports),
        None => Vec::new(),
    };
    staged_reports.extend(pages);
    let reports: Vec<PathBuf> = staged_reports
        .iter()
        .map(|p| cfg.out.join(p.strip_prefix(&staging).unwrap_or(p)))
        .collect();
    tables::write_table_pieces(
        dict.table("rejects"),
        &staging,
        frame::rejects_pieces(rejects, 64 * 1024),
    )?;
    tables::write_table(&mut files, dict.table("files"), &staging)?;
    tables::write_table(
        &mut silver::manifest::frame(&manifest)?,
        dict.table("manifest"),
        &staging,
    )?;
    lap(Stage::Emit);
    progress(Progress::Stage(Stage::Publish));
    let _ = silver_synced.join();
    let published = publish::publish(&layout, &staging, &id)?;
    if let Some(c) = &cache {
        c.retain(&used)?;
    }
    lap(Stage::Publish);

    let mut summary = RunSummary {
        duplicates_by_kind,
        files: n.files,
        n_rejects: n.output.rejects.len(),
        failed: n
            .output
            .rejects
            .iter()
            .filter(|r| r.is_whole_sheet())
            .map(|r| {
                let texts = [r.source_file, r.sheet, r.alasan];
                texts.map(str::to_string).into()
            })
            .collect(),
        n_findings: gold.audit.height(),
        late: std::mem::take(&mut gold.late),
        ikm_unit: gold.ikm_unit,
        nrr_unsur: gold.nrr_unsur,
        ikm_kota: gold.ikm_kota,
        reports,
        unit_reports: units.n_unit_years,
        unit_report_dir: emit::unit_report::unit_dir(&cfg.out),
        ingest: stats,
        out: cfg.out.clone(),
        timings,
        run_id: id,
        started,
        finished: crate::config::utc_now(),
        read_now: manifest
            .iter()
            .filter(|m| !m.reused)
            .map(|m| m.file.clone())
            .collect(),
        optional_failed,
        db: None,
    };
    if let Some(target) = &cfg.db {
        progress(Progress::Stage(Stage::Database));
        crate::memory::hand_back_at_once();
        let clock = std::time::Instant::now();
        let row = summary.run_row();
        summary.db = Some(db::load(target, &published, &row));
        summary
            .timings
            .push((Stage::Database, clock.elapsed().as_secs_f64()));
    }
    Ok(summary)
}
