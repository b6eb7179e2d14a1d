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
    /// The PostgreSQL load, when asked for: the files are published whatever it gives.
    pub db: Option<Result<db::Loaded, db::LoadError>>,
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
        let k = &self.ikm_kota;
        let (Ok(t), Ok(p), Ok(v)) = (
            k.column("tahun").and_then(|c| c.i32().cloned()),
            k.column("periode").and_then(|c| c.str().cloned()),
            k.column("ikm").and_then(|c| c.f64().cloned()),
        ) else {
            return Vec::new();
        };
        (0..k.height())
            .filter(|&i| p.get(i) == Some("TAHUN"))
            .filter_map(|i| Some((t.get(i)?, v.get(i))))
            .collect()
    }

    /// The run as a row of `skm_run`.
    fn run_row(&self, started: &chrono::DateTime<chrono::Local>) -> db::RunRow {
        db::RunRow {
            run_id: self.run_id.clone(),
            mulai: started.to_rfc3339(),
            selesai: chrono::Local::now().to_rfc3339(),
            n_berkas: self.ingest.ingested + self.ingest.reused + self.ingest.identical,
            n_berkas_dibaca: self.ingest.ingested,
            n_berkas_dipakai_ulang: self.ingest.reused,
            baris_dibaca: self.rows_read(),
            diterima: self.accepted(),
            ditolak: self.rejected(),
            n_penolakan: self.n_rejects,
            n_temuan_audit: self.n_findings,
            ikm_kota: self.city_per_year(),
            status: if self.n_rejects > 0 {
                "selesai_dengan_penolakan".into()
            } else {
                "selesai".into()
            },
        }
    }
}

pub fn run(cfg: &RunConfig) -> Result<RunSummary> {
    run_with(cfg, &mut |_| {})
}

pub fn run_with(cfg: &RunConfig, progress: &mut dyn FnMut(Progress<'_>)) -> Result<RunSummary> {
    // One writer per output, before any work.
    let layout = publish::Layout::new(&cfg.out)?;
    let _lock = publish::lock(&layout)?;
    crate::faults::point("locked");
    let started = chrono::Local::now();
    let mut timings = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: Stage| {
        timings.push((name, clock.elapsed().as_secs_f64()));
        clock = std::time::Instant::now();
    };
    progress(Progress::Stage(Stage::Ingest));
    let inbox_files = ingest::discover(&cfg.inbox)?;
    let id = publish::run_id();
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
    let mut gold = compute::gold(&sums, &n.out, &cfg.config, &cfg.registry)?;
    let mut rejects = frame::rejects(&n.out.rejects)?;
    let mut files = frame::files(&n.files)?;
    lap(Stage::Compute);
    // Write everything into a staging folder, then publish it atomically (crate::publish).
    progress(Progress::Stage(Stage::Emit));
    crate::faults::point("emit");
    for (name, df) in gold.tables() {
        tables::write_table(df, dict.table(name), &staging)?;
        crate::faults::point("emit");
    }
    let mut duplikat = silver::duplicates::frame(&duplikat)?;
    // The yearly workbooks (the slowest to write: deflate and column widths) on their own
    // thread, beside the HTML reports and the per-unit reports.
    let (workbooks, pages, units) = std::thread::scope(|s| {
        let workbooks =
            s.spawn(|| emit::report::write_workbooks(&gold, &rejects, &duplikat, &staging));
        let pages = emit::html::write_reports(&gold, &rejects, &duplikat, &staging);
        let units = pages.is_ok().then(|| {
            emit::unit_report::write_unit_reports(
                &gold,
                &cfg.config,
                Some(&gold.tindak_lanjut),
                &staging,
            )
        });
        let workbooks = workbooks
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the workbook writer panicked")));
        (workbooks, pages, units)
    });
    let mut staged_reports = workbooks?;
    let pages = pages?;
    let units = units.expect("written when the pages were")?;
    if let Some(browser) = &cfg.pdf {
        for page in &pages {
            let pdf = page.with_extension("pdf");
            emit::pdf::print(browser, page, &pdf)?;
            staged_reports.push(pdf);
        }
    }
    staged_reports.extend(pages);
    let reports: Vec<PathBuf> = staged_reports
        .iter()
        .map(|p| cfg.out.join(p.strip_prefix(&staging).unwrap_or(p)))
        .collect();
    tables::write_table(&mut rejects, dict.table("rejects"), &staging)?;
    tables::write_table(&mut files, dict.table("files"), &staging)?;
    tables::write_table(&mut duplikat, dict.table("duplikat"), &staging)?;
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
        files: n.files,
        n_rejects: n.out.rejects.len(),
        failed: n
            .out
            .rejects
            .iter()
            .filter(|r| r.is_whole_sheet())
            .map(|r| (r.source_file.clone(), r.sheet.clone(), r.alasan.clone()))
            .collect(),
        n_findings: gold.audit.height(),
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
        db: None,
    };
    if let Some(target) = &cfg.db {
        progress(Progress::Stage(Stage::Database));
        let clock = std::time::Instant::now();
        let row = summary.run_row(&started);
        summary.db = Some(db::load(target, &published, &row));
        summary
            .timings
            .push((Stage::Database, clock.elapsed().as_secs_f64()));
    }
    Ok(summary)
}
