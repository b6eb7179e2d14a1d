//! The run history (issue 28): one row per `skm run`, whatever its exit code, kept for ever
//! beside the output in `.OUT.history/runs/<run_id>.parquet` — a file per run, written once
//! and never rewritten, so the history grows by appending and a crash can at worst lose its
//! own row. `skm sql` reads the files as the table `runs`; the columns are in
//! `schemas/outputs.toml`. Each run's log (timestamped lines, UTC) is `.OUT.history/log/
//! <run_id>.log`, beside it, so that a failed run's log survives the run folder it never got.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::publish::Layout;
use crate::tables::{self, build::Rows, Dictionary};

/// One run as the history records it.
#[derive(Debug, Clone, Default)]
pub struct RunRecord {
    pub run_id: String,
    /// UTC, RFC 3339.
    pub mulai: String,
    pub selesai: String,
    pub exit_code: i32,
    pub status: String,
    pub baris_dibaca: u64,
    pub diterima: u64,
    pub ditolak: u64,
    pub n_berkas_dibaca: u64,
    pub n_berkas_dipakai_ulang: u64,
    /// Files or sheets refused as a whole.
    pub n_berkas_ditolak: u64,
    /// Units past a deadline with no data for its period.
    pub n_unit_terlambat: u64,
    pub pesan: Option<String>,
    pub versi: String,
    /// The build of skm (`build_id::build`).
    pub build: String,
    /// BLAKE3 of the configuration as read (its Debug form: the database address left out).
    pub konfigurasi: String,
}

/// The folder of the history's files.
pub fn runs_dir(layout: &Layout) -> PathBuf {
    layout.history.join("runs")
}

/// The history's folder of a published run's folder (`.OUT.runs/<id>` → `.OUT.history/runs`),
/// by `publish::Layout`'s naming; `None` for a folder not laid out that way.
pub fn runs_dir_of_run(run_dir: &Path) -> Option<PathBuf> {
    let runs = run_dir.parent()?;
    let name = runs.file_name()?.to_string_lossy();
    let out_name = name.strip_prefix('.')?.strip_suffix(".runs")?;
    let dir = runs
        .parent()?
        .join(format!(".{out_name}.history"))
        .join("runs");
    dir.is_dir().then_some(dir)
}

/// The log file of a run.
pub fn log_path(layout: &Layout, run_id: &str) -> PathBuf {
    layout.history.join("log").join(format!("{run_id}.log"))
}

/// Appends a run to the history: its own file, written under a temporary name and renamed,
/// so a reader never sees half a row.
pub fn append(layout: &Layout, r: &RunRecord) -> Result<PathBuf> {
    let dir = runs_dir(layout);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let rows = std::slice::from_ref(r);
    let mut df = Rows::new(rows)
        .col("run_id", |r| r.run_id.as_str())
        .col("mulai", |r| r.mulai.as_str())
        .col("selesai", |r| r.selesai.as_str())
        .col("exit_code", |r| r.exit_code)
        .col("status", |r| r.status.as_str())
        .col("baris_dibaca", |r| r.baris_dibaca as i64)
        .col("diterima", |r| r.diterima as i64)
        .col("ditolak", |r| r.ditolak as i64)
        .col("n_berkas_dibaca", |r| r.n_berkas_dibaca as i64)
        .col("n_berkas_dipakai_ulang", |r| {
            r.n_berkas_dipakai_ulang as i64
        })
        .col("n_berkas_ditolak", |r| r.n_berkas_ditolak as i64)
        .col("n_unit_terlambat", |r| r.n_unit_terlambat as i64)
        .col("pesan", |r| r.pesan.as_deref())
        .col("versi", |r| r.versi.as_str())
        .col("build", |r| r.build.as_str())
        .col("konfigurasi", |r| r.konfigurasi.as_str())
        .frame()?;
    tables::check(&df, Dictionary::embedded_ref().table("runs"))?;
    let path = dir.join(format!("{}.parquet", r.run_id));
    let tmp = dir.join(format!(".{}.parquet.tmp", r.run_id));
    tables::write_parquet(&mut df, &tmp)?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// The history's files, oldest first (run ids sort by time).
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}
