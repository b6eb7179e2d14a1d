//! Silver: every file of the inbox read (by parallel workers), normalized and written as
//! typed rows (`silver/responses`), and summed (`silver/sums`); with the manifest, the stat
//! index and the incremental cache that let a rerun skip unchanged files.

pub mod cache;
mod copied_sheets;
mod date_orders;
pub mod duplicates;
mod early;
mod keys;
pub mod manifest;
mod minutes;
mod read_context;
pub mod scan;
mod stream;
pub mod sums;
pub mod untimed;
mod worker;

use std::collections::{BTreeMap, HashMap, HashSet};
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
use read_context::ReadContext;
use worker::{ingest_file, FileFacts, FileResult};

/// How a run's files were handled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestStats {
    /// Files read and normalized.
    pub ingested: usize,
    /// Files unchanged since a previous run, taken from the cache.
    pub reused: usize,
    /// Files whose content hash was taken from the index (size and time unchanged), unread.
    pub unread: usize,
    /// Files with the same bytes as another that counts: not read (`duplicates::identical`).
    pub identical: usize,
}

/// The folders a run writes silver into.
pub struct SilverDirs {
    /// `silver/responses`: one row per accepted response.
    pub responses: PathBuf,
    /// `silver/sums`: the sums of every part (`silver::sums`), one file per year.
    pub sums: PathBuf,
    /// `silver/silang`: the cross sums of every part's totals (`sums::silang_frame`).
    pub silang: PathBuf,
}

impl SilverDirs {
    pub fn under(root: &Path) -> SilverDirs {
        SilverDirs {
            responses: root.join("silver").join("responses"),
            sums: root.join("silver").join("sums"),
            silang: root.join("silver").join("silang"),
        }
    }
    /// Where the identities are spilled while duplicates are found (`keys::Buckets`, removed
    /// once found).
    fn keys(&self) -> PathBuf {
        self.responses.with_file_name(".keys")
    }

    /// Where the keyed rows of the files read this run are written as they are read
    /// (`early::EarlyLog`, each file's removed once duplicates are found).
    fn early(&self) -> PathBuf {
        self.responses.with_file_name(".keys-read")
    }

    /// The folder of the early logs removed (each file's is removed with it): none is left
    /// in silver, whether any file had keyed rows or not.
    fn forget_early(&self) {
        let _ = std::fs::remove_dir_all(self.early());
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
    configured_workers().unwrap_or_else(|| 2 * cores())
}

/// `SKM_WORKERS`, else `POLARS_MAX_THREADS`, when set to a number above 0.
fn configured_workers() -> Option<usize> {
    let env = |k: &str| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| *n > 0)
    };
    env("SKM_WORKERS").or_else(|| env("POLARS_MAX_THREADS"))
}

fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// The parse threads big CSV files share (`stream::BigFiles`): `SKM_WORKERS` when set, else
/// the cores. Measured on one file of 10M on 2 cores, alternating: 2 threads 12.2–12.7 s and
/// 275–303 MiB, 3 threads 12.9–13.9 s and 338–354 MiB (a streamed file's reader and writer
/// have threads of their own besides).
fn stream_budget() -> usize {
    configured_workers().unwrap_or_else(cores)
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
    /// Every file's sums, the `sums` table (`silver::sums`): of the rows that count.
    pub sums: DataFrame,
    /// The cross sums of every file's totals, the `silang` table (`silver::sums`).
    pub silang: DataFrame,
    /// The rows and files not counted, with the copy that counts (`duplikat.parquet`).
    pub duplikat: duplicates::Duplikat,
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
    let shared = ReadContext {
        today: ctx.today.to_string(),
        ctx,
        config,
        dirs,
        cache,
        index: cache.map(|c| c.index()).unwrap_or_default(),
        // Only a run that uses the cache needs its key (and the executable's hash in it).
        fingerprint: cache
            .map(|_| fingerprint(config, registry))
            .unwrap_or_default(),
        started: std::time::SystemTime::now(),
        big: read_context::BigFiles::new(1, stream_budget()),
    };
    // Every file's hash first, so that identical files are read once (`identical`); but a
    // run without a cache hashes a file as it reads it when no other file has its size (no
    // copy of it can be in the inbox): the bytes are not read twice.
    let stats = files
        .iter()
        .map(cache::stat_of)
        .collect::<Result<Vec<_>>>()?;
    let later = hash_as_read(files, &stats, cache.is_none());
    let known = parallel(
        files,
        &(0..files.len()).collect::<Vec<_>>(),
        &mut |_, _, _| {},
        |i| worker::facts_of(&files[i], stats[i], later[i], &shared),
    )?;
    let mut known: Vec<FileFacts> = known.into_iter().flatten().collect();
    let copies = duplicates::identical(files, &known);
    let mut todo: Vec<usize> = (0..files.len()).filter(|&i| copies[i].is_none()).collect();
    // The biggest first: a big file read last would leave the other cores idle at the end.
    // (The results are put back in file order.)
    todo.sort_by_key(|&i| std::cmp::Reverse(known[i].size));
    let big = todo
        .iter()
        .filter(|&&i| {
            (worker::is_csv(&files[i]) || stream::is_xlsx(&files[i]))
                && stream::is_big(known[i].size)
        })
        .count();
    let shared = ReadContext {
        big: read_context::BigFiles::new(big, stream_budget()),
        ..shared
    };
    let mut on_done = |done: usize, i: usize, r: Option<&FileResult>| {
        progress(Progress::File {
            i: done,
            n: files.len(),
            name: &files[i].rel,
            read: r.and_then(|r| r.account.cara_baca).map(|c| c.as_str()),
            reused: r.is_some_and(|r| r.manifest.reused),
        })
    };
    let mut results = parallel(files, &todo, &mut on_done, |i| {
        ingest_file(i, &files[i], &known[i], &shared)
    })?;
    // The hashes taken as the files were read, for what follows (file preference).
    for (k, r) in known.iter_mut().zip(&results) {
        if let (true, Some(r)) = (k.blake3.is_empty(), r) {
            k.blake3.clone_from(&r.manifest.blake3);
            k.stat.clone_from(&r.stat);
        }
    }
    let replaced = date_orders::settle(&mut results, files, &known, &shared, registry)?;
    for (i, of) in copies.iter().enumerate() {
        if let Some(j) = *of {
            let counted = results[j].as_ref().map(|r| &r.account);
            results[i] = Some(worker::identical_copy(
                &files[i], &known[i], &files[j], counted,
            ));
        }
    }
    let mut results: Vec<FileResult> = results.into_iter().flatten().collect();
    crate::memory::hand_back_freed_memory();
    let duplikat = duplicates::apply(
        &mut results,
        files,
        &known,
        &copies,
        dirs,
        config.kuesioner.blok_minimum,
    )?;
    let (mut ingest, index) = gather(results)?;
    ingest.used.extend(replaced);
    ingest.duplikat = duplikat;
    if let Some(c) = cache {
        c.set_index(&index)?;
    }
    write_by_year(&ingest.sums, "sums", &dirs.sums)?;
    write_by_year(&ingest.silang, "silang", &dirs.silang)?;
    Ok(ingest)
}

/// Which files are hashed as they are read rather than before (`worker::facts_of`): none when
/// a cache is used (its entries are looked up by hash before reading); else every file but a
/// link, an empty file and a file whose size another file has (a possible identical copy,
/// `duplicates::identical`).
fn hash_as_read(files: &[ingest::InboxFile], stats: &[(u64, i128)], no_cache: bool) -> Vec<bool> {
    let mut sizes: HashMap<u64, usize> = HashMap::new();
    for (f, (size, _)) in files.iter().zip(stats) {
        if !f.link {
            *sizes.entry(*size).or_default() += 1;
        }
    }
    files
        .iter()
        .zip(stats)
        .map(|(f, (size, _))| no_cache && !f.link && *size > 0 && sizes[size] == 1)
        .collect()
}

/// How silver parts are stored: the Hive layout (`tables::hive::LAYOUT`), with `jam` and
/// `kunci` (a part cached before them lacks those columns and is not reused), a big part in
/// pieces (`tables::PartWriter`; an entry's `years` lists a year once per piece).
const SILVER_FORMAT: &str = "hive+jam+kunci+hari+silang+pieces";

/// What normalizing depends on besides the file, and nothing else (issue 28): the build of
/// skm (`build_id::build`, a hash of the executable: an upgrade reads every file once more, so
/// a fix reaches files read before it), how parts are stored, the parts of the configuration
/// normalize reads (`[kuesioner]`, `[iku]`'s direction words, `[batas]`, `[kantor]`'s zone, to
/// which a time stated in UTC is moved) and what it reads of
/// the registry (ids, names, kinds and aliases). A yearly rule, `[populasi]`, `[profil]`, the
/// database, a unit's kecamatan or population re-read no file: they change gold only. Debug
/// forms are ordered (Vecs and BTreeMaps only).
fn fingerprint(config: &Config, registry: &Registry) -> String {
    let units: Vec<_> = registry
        .units()
        .iter()
        .map(|u| (&u.unit_id, &u.nama, &u.jenis_unit, &u.aliases))
        .collect();
    let read = format!(
        "{}|{}|{:?}|{:?}|{:?}|{:?}|{:?}",
        crate::build_id::build(),
        SILVER_FORMAT,
        config.kuesioner,
        config.iku,
        config.batas,
        config.kantor.zona_waktu,
        units
    );
    blake3::hash(read.as_bytes()).to_hex().to_string()
}

/// `work(i)` for every `i` of `todo` on `workers()` threads; the results by file index
/// (`None` for a file not in `todo`), `on_done(k, i, result)` as the `k`-th finishes. The first error
/// stops the others and is returned, naming its file.
fn parallel<T: Send>(
    files: &[ingest::InboxFile],
    todo: &[usize],
    on_done: &mut dyn FnMut(usize, usize, Option<&T>),
    work: impl Fn(usize) -> Result<T> + Sync,
) -> Result<Vec<Option<T>>> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let mut results: Vec<Option<T>> = (0..files.len()).map(|_| None).collect();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let mut first_error: Option<anyhow::Error> = None;
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<T>)>();
        for _ in 0..workers().min(todo.len()).max(1) {
            let tx = tx.clone();
            let (next, stop, work) = (&next, &stop, &work);
            s.spawn(move || loop {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&i) = todo.get(k) else { break };
                if tx.send((i, work(i))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for (done, (i, r)) in rx.into_iter().enumerate() {
            on_done(done, i, r.as_ref().ok());
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
        None => Ok(results),
    }
}

/// The files' results put together (their accounting and output, the run's stats, the cache
/// keys used, the manifest and the `sums` table), and the stat index to keep.
fn gather(results: Vec<FileResult>) -> Result<(Ingest, BTreeMap<String, cache::Stat>)> {
    let mut out = Normalized {
        files: Vec::new(),
        output: normalize::Output::default(),
    };
    let mut stats = IngestStats::default();
    let mut used = HashSet::new();
    let mut manifest = Vec::with_capacity(results.len());
    let mut index = BTreeMap::new();
    let mut sums: Vec<(String, Vec<sums::SumRow>)> = Vec::new();
    for r in results {
        sums.push((r.manifest.file.clone(), r.sums));
        let copy = r
            .account
            .sheets
            .iter()
            .any(|(_, o)| o.kind == normalize::SheetKind::BerkasIdentik);
        if copy {
            stats.identical += 1;
        } else if r.manifest.reused {
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
        out.output.extend(r.out.into_output());
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
        silang: sums::silang_frame(&sums)?,
        duplikat: duplicates::Duplikat::default(),
    };
    Ok((ingest, index))
}

/// A silver table (`sums`, `silang`) written as one file per year (`DIR/tahun=YYYY/NAME.parquet`).
fn write_by_year(df: &DataFrame, name: &str, dir: &Path) -> Result<()> {
    let table = Dictionary::embedded_ref().table(name);
    for (y, mut df) in tables::split_by_year(df)? {
        tables::check(&df, table)?;
        tables::write_part(
            &mut df,
            &dir.join(format!("tahun={y}"))
                .join(format!("{name}.parquet")),
        )?;
    }
    Ok(())
}
