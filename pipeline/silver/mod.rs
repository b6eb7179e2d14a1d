//! Silver: every file of the inbox read (by parallel workers), normalized and written as
//! typed rows (`silver/responses`), and summed (`silver/sums`); with the manifest, the stat
//! index and the incremental cache that let a rerun skip unchanged files.

pub mod cache;
pub mod manifest;
pub mod scan;
pub mod sums;
mod worker;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Result;
use polars::prelude::*;

use crate::config::Config;
use crate::ingest;
use crate::normalize::{self, Normalized};
use crate::progress::Progress;
use crate::registry::Registry;
use crate::tables::{self, Dictionary};
use manifest::{HashBasis, ManifestRow};
use worker::{ingest_file, FileResult, Shared};

/// How a run's files were handled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestStats {
    /// Files read and normalized.
    pub ingested: usize,
    /// Files unchanged since a previous run, taken from the cache.
    pub reused: usize,
    /// Files whose content hash was taken from the index (size and time unchanged), unread.
    pub unread: usize,
}

/// The folders a run writes silver into.
pub struct SilverDirs {
    /// `silver/responses`: one row per accepted response.
    pub responses: PathBuf,
    /// `silver/sums`: the sums of every part (`silver::sums`), one file per year.
    pub sums: PathBuf,
}

impl SilverDirs {
    pub fn under(root: &Path) -> SilverDirs {
        SilverDirs {
            responses: root.join("silver").join("responses"),
            sums: root.join("silver").join("sums"),
        }
    }
    fn part(dir: &Path, y: i32, i: usize) -> PathBuf {
        dir.join(format!("tahun={y}"))
            .join(format!("part-{i:05}.parquet"))
    }
}

/// How many files are read at once: `SKM_WORKERS`, else `POLARS_MAX_THREADS`, else twice the
/// cores (a thread waiting on the file system or the allocator leaves its core to another;
/// measured faster on 2 cores than one thread per core, BENCHMARKS.md).
pub fn workers() -> usize {
    let env = |k: &str| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| *n > 0)
    };
    env("SKM_WORKERS")
        .or_else(|| env("POLARS_MAX_THREADS"))
        .unwrap_or_else(|| {
            2 * std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
}

/// What ingesting an inbox gave (`ingest_to_silver`).
pub struct Ingest {
    /// Every file's accounting and output, responses excepted (they are in silver).
    pub normalized: Normalized,
    pub stats: IngestStats,
    /// The cache keys this run used (the others are removed after publishing).
    pub used: HashSet<String>,
    /// One row per input file (`manifest.parquet`).
    pub manifest: Vec<ManifestRow>,
    /// Every file's sums, the `sums` table (`silver::sums`).
    pub sums: DataFrame,
}

/// Ingest and normalize every file, writing its silver rows straight into parts under
/// `dirs.responses` (`tahun=YYYY/part-NNNNN.parquet`, one per file and year, numbered in
/// file order), then every file's sums under `dirs.sums` (`tahun=YYYY/sums.parquet`),
/// returned as one frame. Files are read by `workers()` threads, each
/// holding one file's rows at a time; the results are put back in file order, so the output
/// does not depend on the number of threads. With a cache, unchanged files are not read
/// again. The returned output holds everything but the responses.
pub fn ingest_to_silver(
    files: &[ingest::InboxFile],
    config: &Config,
    registry: &Registry,
    dirs: &SilverDirs,
    cache: Option<&cache::Cache>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Ingest> {
    let (layout, real) = normalize::file::layouts(config)?;
    let ctx = normalize::file::context(&layout, &real, config, registry);
    let shared = Shared {
        today: ctx.today.to_string(),
        ctx,
        config,
        dirs,
        cache,
        index: cache.map(|c| c.index()).unwrap_or_default(),
        fingerprint: fingerprint(config, registry),
        started: std::time::SystemTime::now(),
    };
    let results = read_all(files, &shared, progress)?;
    let (ingest, index) = gather(results)?;
    if let Some(c) = cache {
        c.set_index(&index)?;
    }
    write_sums(&ingest.sums, dirs)?;
    Ok(ingest)
}

/// What normalizing depends on besides the file: skm's version, the configuration and the
/// registry's units (their Debug forms are ordered: Vecs and BTreeMaps only), and how parts
/// are stored (a part cached before the Hive layout still holds `tahun`).
fn fingerprint(config: &Config, registry: &Registry) -> String {
    blake3::hash(
        format!(
            "{}|{}|{:?}|{:?}",
            env!("CARGO_PKG_VERSION"),
            tables::hive::LAYOUT,
            config,
            registry.units()
        )
        .as_bytes(),
    )
    .to_hex()
    .to_string()
}

/// Every file through `ingest_file` on `workers()` threads; the results in file order. The
/// first error stops the others and is returned, naming its file.
fn read_all(
    files: &[ingest::InboxFile],
    shared: &Shared<'_>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Vec<FileResult>> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let n = files.len();
    let mut results: Vec<Option<FileResult>> = (0..n).map(|_| None).collect();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let mut first_error: Option<anyhow::Error> = None;
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<FileResult>)>();
        for _ in 0..workers().min(n).max(1) {
            let tx = tx.clone();
            let (next, stop) = (&next, &stop);
            s.spawn(move || loop {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                if tx.send((i, ingest_file(i, &files[i], shared))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for (done, (i, r)) in rx.into_iter().enumerate() {
            progress(Progress::File {
                i: done,
                n,
                name: &files[i].rel,
            });
            match r {
                Ok(r) => results[i] = Some(r),
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    if first_error.is_none() {
                        first_error = Some(e.context(format!("while reading {}", files[i].rel)));
                    }
                }
            }
        }
    });
    match first_error {
        Some(e) => Err(e),
        None => Ok(results.into_iter().flatten().collect()),
    }
}

/// The files' results put together (their accounting and output, the run's stats, the cache
/// keys used, the manifest and the `sums` table), and the stat index to keep.
fn gather(results: Vec<FileResult>) -> Result<(Ingest, BTreeMap<String, cache::Stat>)> {
    let mut out = Normalized {
        files: Vec::new(),
        out: normalize::Output::default(),
    };
    let mut stats = IngestStats::default();
    let mut used = HashSet::new();
    let mut manifest = Vec::with_capacity(results.len());
    let mut index = BTreeMap::new();
    let mut sums: Vec<(String, Vec<sums::SumRow>)> = Vec::new();
    for r in results {
        sums.push((r.manifest.file.clone(), r.sums));
        if r.manifest.reused {
            stats.reused += 1;
        } else {
            stats.ingested += 1;
        }
        if r.manifest.hash_basis == HashBasis::Stat {
            stats.unread += 1;
        }
        used.extend(r.key);
        if let Some(st) = r.stat {
            index.insert(r.manifest.file.clone(), st);
        }
        manifest.push(r.manifest);
        out.files.push(r.account);
        out.out.extend(r.out);
    }
    let sums: Vec<(&str, &[sums::SumRow])> = sums
        .iter()
        .map(|(f, rs)| (f.as_str(), rs.as_slice()))
        .collect();
    let ingest = Ingest {
        normalized: out,
        stats,
        used,
        manifest,
        sums: sums::sums_frame(&sums)?,
    };
    Ok((ingest, index))
}

/// The `sums` table written as one file per year (`silver/sums/tahun=YYYY/sums.parquet`).
fn write_sums(sums: &DataFrame, dirs: &SilverDirs) -> Result<()> {
    let table = Dictionary::embedded_ref().table("sums");
    for (y, mut df) in tables::split_by_year(sums)? {
        tables::check(&df, table)?;
        tables::write_part(
            &mut df,
            &dirs.sums.join(format!("tahun={y}")).join("sums.parquet"),
        )?;
    }
    Ok(())
}
