//! The whole job: ingest → normalize → compute → emit, for one inbox.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use polars::prelude::*;

use crate::compute::{self, analytics};
use crate::config::Config;
use crate::emit::{self, Dictionary};
use crate::ingest::{self, Ingested};
use crate::normalize::{self, frame, header::Layout, SheetOutcome};
use crate::registry::Registry;

/// Everything a run needs, resolved before any work starts.
#[derive(Debug, Clone)]
pub struct RunConfig {
    pub inbox: PathBuf,
    pub out: PathBuf,
    pub config: Config,
    pub registry: Registry,
    /// Reuse what unchanged files gave in earlier runs (`--full` turns it off).
    pub incremental: bool,
}

/// What one file gave, per sheet.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct FileAccount {
    pub file: String,
    pub sheets: Vec<(String, SheetOutcome)>,
}

impl FileAccount {
    pub fn rows_read(&self) -> usize {
        self.sheets.iter().map(|(_, o)| o.rows_read).sum()
    }
    pub fn accepted(&self) -> usize {
        self.sheets.iter().map(|(_, o)| o.accepted).sum()
    }
    pub fn rejected(&self) -> usize {
        self.sheets.iter().map(|(_, o)| o.rejected).sum()
    }
    pub fn skipped(&self) -> usize {
        self.sheets.iter().map(|(_, o)| o.skipped).sum()
    }
}

/// The outcome of normalizing an inbox, before anything is computed or written.
pub struct Normalized {
    pub files: Vec<FileAccount>,
    pub out: normalize::Output,
}

pub fn normalize_files(
    files: &[ingest::InboxFile],
    config: &Config,
    registry: &Registry,
) -> Result<Normalized> {
    normalize_files_with(files, config, registry, &mut |_| {})
}

/// What a run is doing, for progress bars and logs.
#[derive(Debug, Clone)]
pub enum Progress<'a> {
    /// About to read file `i` (0-based) of `n`.
    File { i: usize, n: usize, name: &'a str },
    /// A stage started.
    Stage(&'static str),
}

pub fn normalize_files_with(
    files: &[ingest::InboxFile],
    config: &Config,
    registry: &Registry,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Normalized> {
    let (layout, real) = layouts(config)?;
    let ctx = context(&layout, &real, config, registry);
    let mut out = Normalized {
        files: Vec::new(),
        out: normalize::Output::default(),
    };
    for (i, f) in files.iter().enumerate() {
        progress(Progress::File {
            i,
            n: files.len(),
            name: &f.rel,
        });
        let (account, o) = normalize_one(f, &ctx, config);
        out.files.push(account);
        out.out.extend(o);
    }
    Ok(out)
}

fn layouts(config: &Config) -> Result<(Layout, normalize::realisasi::Layouts)> {
    Ok((
        Layout::new(&config.kuesioner.unsur_order)?,
        normalize::realisasi::Layouts::embedded()?,
    ))
}

fn context<'a>(
    layout: &'a Layout,
    real: &'a normalize::realisasi::Layouts,
    config: &'a Config,
    registry: &'a Registry,
) -> normalize::Context<'a> {
    normalize::Context {
        layout,
        realisasi: real,
        registry,
        lower_is_better: &config.iku.lebih_kecil_lebih_baik,
        today: chrono::Local::now().date_naive(),
    }
}

/// Ingest and normalize one file.
pub fn normalize_one(
    f: &ingest::InboxFile,
    ctx: &normalize::Context<'_>,
    config: &Config,
) -> (FileAccount, normalize::Output) {
    normalize_bytes(f, None, ctx, config)
}

/// The same, from the file's bytes when they were already read.
fn normalize_bytes(
    f: &ingest::InboxFile,
    bytes: Option<&[u8]>,
    ctx: &normalize::Context<'_>,
    config: &Config,
) -> (FileAccount, normalize::Output) {
    let mut out = normalize::Output::default();
    let mut account = FileAccount {
        file: f.rel.clone(),
        sheets: Vec::new(),
    };
    match ingest::read_with(f, &config.batas, bytes) {
        Ingested::Unreadable { file, reason, kode } => {
            out.rejects
                .push(normalize::file_reject(&file, &reason, kode));
            account.sheets.push((
                String::new(),
                SheetOutcome {
                    kind: "tidak_terbaca",
                    ..Default::default()
                },
            ));
        }
        Ingested::Sheets(sheets) => {
            for s in &sheets {
                let o = normalize::sheet(s, ctx, &mut out);
                crate::faults::point("normalize");
                account.sheets.push((s.sheet.clone(), o));
            }
        }
    }
    (account, out)
}

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

/// One input file in the run's manifest (`manifest.parquet`).
#[derive(Debug, Clone)]
pub struct ManifestRow {
    pub file: String,
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
    pub blake3: String,
    /// `isi` (the bytes were hashed this run) or `stat` (size and time as in the index).
    pub hash_basis: &'static str,
    pub rows_read: usize,
    pub accepted: usize,
    pub rejected: usize,
    /// When the file was normalized (this run, or the run whose result was reused).
    pub made_at: String,
    pub reused: bool,
}

/// What one file gave a run.
struct FileResult {
    account: FileAccount,
    out: normalize::Output,
    key: Option<String>,
    manifest: ManifestRow,
    /// What the stat index should remember of it (None: modified too recently to trust).
    stat: Option<crate::cache::Stat>,
    /// The sums of its silver rows.
    sums: Vec<compute::partial::SumRow>,
}

/// The folders a run writes silver into.
pub struct SilverDirs {
    /// `silver/responses`: one row per accepted response.
    pub responses: PathBuf,
    /// `silver/sums`: the sums of every part (`compute::partial`), one file per year.
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

fn now_rfc3339() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// Everything `ingest_file` shares across files.
struct Shared<'a> {
    ctx: normalize::Context<'a>,
    cfg: &'a RunConfig,
    dirs: &'a SilverDirs,
    cache: Option<&'a crate::cache::Cache>,
    index: std::collections::BTreeMap<String, crate::cache::Stat>,
    fingerprint: String,
    today: String,
    started: std::time::SystemTime,
}

/// Ingest, normalize and write one file (`i` in inbox order), or reuse what it gave before.
fn ingest_file(i: usize, f: &ingest::InboxFile, sh: &Shared<'_>) -> Result<FileResult> {
    let (size, mtime_ns) = crate::cache::stat_of(f)?;
    let known = sh
        .index
        .get(&f.rel)
        .filter(|s| s.size == size && s.mtime_ns == mtime_ns);
    // A CSV within the size limit is read once: hashed, then parsed from memory.
    let small_csv = !f.link
        && size <= sh.cfg.config.batas.berkas_mb * 1024 * 1024
        && f.path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let mut bytes: Option<Vec<u8>> = None;
    let (blake3, hash_basis) = match known {
        Some(s) => (s.blake3.clone(), "stat"),
        None if small_csv => {
            let b = std::fs::read(&f.path)
                .with_context(|| format!("cannot read {}", f.path.display()))?;
            let h = blake3::hash(&b).to_hex().to_string();
            bytes = Some(b);
            (h, "isi")
        }
        None => (crate::cache::content_hash(f)?, "isi"),
    };
    // A file modified in the last two seconds may change again within the same timestamp:
    // it is not remembered by its stat (the next run hashes it again).
    let settled = sh
        .started
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| (d.as_nanos() as i128) - mtime_ns > 2_000_000_000)
        .unwrap_or(false);
    let stat = settled.then(|| crate::cache::Stat {
        size,
        mtime_ns,
        blake3: blake3.clone(),
    });
    let manifest = |account: &FileAccount, made_at: String, reused: bool| ManifestRow {
        file: f.rel.clone(),
        size,
        mtime_ns,
        blake3: blake3.clone(),
        hash_basis,
        rows_read: account.rows_read(),
        accepted: account.accepted(),
        rejected: account.rejected(),
        made_at,
        reused,
    };
    let key = sh
        .cache
        .map(|_| crate::cache::Cache::key(&f.rel, &blake3, &sh.fingerprint));
    if let (Some(c), Some(k)) = (sh.cache, &key) {
        if let Some(entry) = c.get(k).filter(|e| !e.stale(&sh.today)) {
            for y in &entry.years {
                crate::cache::link_or_copy(
                    &c.part(k, *y),
                    &SilverDirs::part(&sh.dirs.responses, *y, i),
                )?;
            }
            return Ok(FileResult {
                manifest: manifest(&entry.account, entry.made_at.clone(), true),
                account: entry.account,
                out: normalize::Output {
                    responses: Vec::new(),
                    rejects: entry.rejects,
                    recap: entry.recap,
                    iku: entry.iku,
                    anggaran: entry.anggaran,
                    findings: entry.findings,
                    earliest_future: None,
                },
                key,
                stat,
                sums: entry.sums,
            });
        }
    }
    let made_at = now_rfc3339();
    let (account, mut o) = normalize_bytes(f, bytes.as_deref(), &sh.ctx, &sh.cfg.config);
    drop(bytes);
    let responses = std::mem::take(&mut o.responses);
    let mut parts = Vec::new();
    let mut sums = Vec::new();
    if !responses.is_empty() {
        let dict = Dictionary::embedded_ref();
        sums = compute::partial::partial_sums(&responses);
        let df = frame::responses(&responses)?;
        drop(responses);
        for (y, mut part_df) in emit::split_by_year(&df)? {
            let p = SilverDirs::part(&sh.dirs.responses, y, i);
            emit::check(&part_df, dict.table("responses"))?;
            emit::write_part(&mut part_df, &p)?;
            parts.push((y, p));
        }
    }
    if let (Some(c), Some(k)) = (sh.cache, &key) {
        let entry = crate::cache::Entry {
            account: account.clone(),
            rejects: o.rejects.clone(),
            recap: o.recap.clone(),
            iku: o.iku.clone(),
            anggaran: o.anggaran.clone(),
            findings: o.findings.clone(),
            years: parts.iter().map(|(y, _)| *y).collect(),
            sums: sums.clone(),
            made_on: sh.today.clone(),
            made_at: made_at.clone(),
            earliest_future: o.earliest_future.map(|d| d.to_string()),
        };
        c.put(k, &entry, &parts)?;
    }
    Ok(FileResult {
        manifest: manifest(&account, made_at, false),
        account,
        out: o,
        key,
        stat,
        sums,
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
    /// Every file's sums, the `sums` table (`compute::partial`).
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
    cfg: &RunConfig,
    dirs: &SilverDirs,
    cache: Option<&crate::cache::Cache>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Ingest> {
    let (layout, real) = layouts(&cfg.config)?;
    let ctx = context(&layout, &real, &cfg.config, &cfg.registry);
    let today = ctx.today.to_string();
    // What normalizing depends on besides the file: skm's version, the configuration and the
    // registry's units (their Debug forms are ordered: Vecs and BTreeMaps only), and how parts
    // are stored (a part cached before the Hive layout still holds `tahun`).
    let fingerprint = blake3::hash(
        format!(
            "{}|{}|{:?}|{:?}",
            env!("CARGO_PKG_VERSION"),
            emit::hive::LAYOUT,
            cfg.config,
            cfg.registry.units()
        )
        .as_bytes(),
    )
    .to_hex()
    .to_string();
    let shared = Shared {
        ctx,
        cfg,
        dirs,
        cache,
        index: cache.map(|c| c.index()).unwrap_or_default(),
        fingerprint,
        today,
        started: std::time::SystemTime::now(),
    };
    let n = files.len();
    let mut results: Vec<Option<FileResult>> = (0..n).map(|_| None).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let mut first_error: Option<anyhow::Error> = None;
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<FileResult>)>();
        for _ in 0..workers().min(n).max(1) {
            let tx = tx.clone();
            let (shared, next, stop) = (&shared, &next, &stop);
            s.spawn(move || loop {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let r = ingest_file(i, &files[i], shared);
                if tx.send((i, r)).is_err() {
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
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    if first_error.is_none() {
                        first_error = Some(e.context(format!("while reading {}", files[i].rel)));
                    }
                }
            }
        }
    });
    if let Some(e) = first_error {
        return Err(e);
    }
    let mut out = Normalized {
        files: Vec::new(),
        out: normalize::Output::default(),
    };
    let mut stats = IngestStats::default();
    let mut used = HashSet::new();
    let mut manifest = Vec::with_capacity(n);
    let mut index = std::collections::BTreeMap::new();
    let mut sums: Vec<(String, Vec<compute::partial::SumRow>)> = Vec::new();
    for r in results.into_iter().flatten() {
        sums.push((r.manifest.file.clone(), r.sums));
        if r.manifest.reused {
            stats.reused += 1;
        } else {
            stats.ingested += 1;
        }
        if r.manifest.hash_basis == "stat" {
            stats.unread += 1;
        }
        if let Some(k) = r.key {
            used.insert(k);
        }
        if let Some(st) = r.stat {
            index.insert(r.manifest.file.clone(), st);
        }
        manifest.push(r.manifest);
        out.files.push(r.account);
        out.out.extend(r.out);
    }
    if let Some(c) = cache {
        c.set_index(&index)?;
    }
    let sums: Vec<(&str, &[compute::partial::SumRow])> = sums
        .iter()
        .map(|(f, rs)| (f.as_str(), rs.as_slice()))
        .collect();
    let sums = compute::partial::sums_frame(&sums)?;
    let table = Dictionary::embedded_ref().table("sums");
    for (y, mut df) in emit::split_by_year(&sums)? {
        emit::check(&df, table)?;
        emit::write_part(
            &mut df,
            &dirs.sums.join(format!("tahun={y}")).join("sums.parquet"),
        )?;
    }
    Ok(Ingest {
        normalized: out,
        stats,
        used,
        manifest,
        sums,
    })
}

/// Silver's sums on disk (`silver/sums/tahun=*/sums.parquet`) as one lazy scan, `tahun` from
/// the folder names (an empty frame when there are none).
pub fn scan_sums(sums_dir: &Path) -> Result<LazyFrame> {
    let table = Dictionary::embedded_ref().table("sums");
    match emit::hive::scan(sums_dir, table) {
        Ok(Some(lf)) => Ok(lf),
        Ok(None) => Ok(compute::partial::sums_frame(&[])?.lazy()),
        Err(e) => Err(anyhow::anyhow!("cannot read silver sums: {e}")),
    }
}

/// Silver as one lazy scan over its parts, year by year in file order, `tahun` from the folder
/// names (an empty frame when there are none).
pub fn scan_silver(silver_dir: &Path) -> Result<LazyFrame> {
    let table = Dictionary::embedded_ref().table("responses");
    match emit::hive::scan(silver_dir, table) {
        Ok(Some(lf)) => Ok(lf),
        Ok(None) => Ok(frame::responses(&[])?.lazy()),
        Err(e) => Err(anyhow::anyhow!("cannot read silver: {e}")),
    }
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
    pub out: PathBuf,
    /// Seconds spent in each stage: ingest (with normalize and the silver writes), compute,
    /// emit, publish.
    pub timings: Vec<(&'static str, f64)>,
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
}

/// The gold tables.
pub struct Gold {
    pub ikm_unit: DataFrame,
    pub nrr_unsur: DataFrame,
    pub iku: DataFrame,
    pub anggaran: DataFrame,
    pub audit: DataFrame,
    pub ikm_kota: DataFrame,
    pub unit_tidak_lapor: DataFrame,
    pub kecamatan: DataFrame,
    pub kecamatan_unsur: DataFrame,
    pub prioritas: DataFrame,
    pub sampel: DataFrame,
    pub profil: DataFrame,
    pub ikm_tahun_aturan: DataFrame,
}

impl Gold {
    /// Every gold table with its name in the data dictionary.
    pub fn tables(&mut self) -> Vec<(&'static str, &mut DataFrame)> {
        vec![
            ("ikm_unit", &mut self.ikm_unit),
            ("nrr_unsur", &mut self.nrr_unsur),
            ("ikm_tahun_aturan", &mut self.ikm_tahun_aturan),
            ("ikm_kota", &mut self.ikm_kota),
            ("unit_tidak_lapor", &mut self.unit_tidak_lapor),
            ("kecamatan", &mut self.kecamatan),
            ("kecamatan_unsur", &mut self.kecamatan_unsur),
            ("prioritas", &mut self.prioritas),
            ("sampel", &mut self.sampel),
            ("profil", &mut self.profil),
            ("iku_capaian", &mut self.iku),
            ("anggaran", &mut self.anggaran),
            ("audit", &mut self.audit),
        ]
    }
}

/// Gold from silver's sums (the `sums` table, added up with Polars, `compute::partial`) and
/// from the realization sheets' rows.
pub fn compute_gold(
    silver_sums: &DataFrame,
    n: &normalize::Output,
    cfg: &RunConfig,
) -> Result<Gold> {
    let polars = |e: PolarsError| anyhow::anyhow!("computing the gold tables: {e}");
    let sums = compute::partial::period_sums(silver_sums.clone().lazy())
        .collect()
        .map_err(polars)?;
    crate::faults::point("compute");
    let (mut figs, alts) =
        compute::figures::apply_year_rules(compute::figures::from_sums(&sums)?, &cfg.config);
    let (recap, mut findings) = normalize::realisasi::rekap::dedupe(n.recap.clone());
    figs.extend(compute::figures::from_recap(&recap));
    let (ikm, nrr) = compute::figures::base_frames(&figs)?;
    let ikm_unit = compute::finish_ikm_unit(ikm, &cfg.registry).map_err(polars)?;
    let nrr_unsur = compute::finish_nrr_unsur(nrr).map_err(polars)?;
    let iku = compute::realisasi::iku(&n.iku, &ikm_unit)?;
    findings.extend(n.findings.iter().cloned());
    findings.extend(compute::realisasi::ikm_indicator_findings(
        &n.iku, &ikm_unit,
    )?);
    findings.extend(compute::realisasi::recap_vs_survey_findings(
        &ikm_unit, &recap,
    )?);
    let values = analytics::unit_values(&ikm_unit)?;
    let (ikm_kota, unit_tidak_lapor) = analytics::kota(&values, &sums, &cfg.registry)?;
    let recap_pop = recap
        .iter()
        .filter_map(|r| r.populasi.map(|p| ((r.unit_id.clone(), r.tahun), p)))
        .collect();
    Ok(Gold {
        iku,
        anggaran: compute::realisasi::anggaran(&n.anggaran)?,
        audit: compute::realisasi::audit(&findings)?,
        ikm_kota,
        unit_tidak_lapor,
        kecamatan: analytics::kecamatan(&values, &cfg.registry)?,
        kecamatan_unsur: analytics::kecamatan_unsur(&sums, &cfg.registry)?,
        prioritas: analytics::prioritas(&nrr_unsur, &values)?,
        sampel: analytics::sampel(&ikm_unit, &recap_pop, &cfg.config, &cfg.registry)?,
        profil: analytics::profil(
            compute::partial::profile_sums(silver_sums.clone().lazy()),
            cfg.config.profil.minimum_responden,
        )?,
        ikm_tahun_aturan: analytics::tahun_aturan(&alts)?,
        ikm_unit,
        nrr_unsur,
    })
}

pub fn run(cfg: &RunConfig) -> Result<RunSummary> {
    run_with(cfg, &mut |_| {})
}

pub fn run_with(cfg: &RunConfig, progress: &mut dyn FnMut(Progress<'_>)) -> Result<RunSummary> {
    // One writer per output, before any work.
    let layout = crate::publish::Layout::new(&cfg.out)?;
    let _lock = crate::publish::lock(&layout)?;
    crate::faults::point("locked");
    let mut timings = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: &'static str| {
        timings.push((name, clock.elapsed().as_secs_f64()));
        clock = std::time::Instant::now();
    };
    progress(Progress::Stage("ingest"));
    let inbox_files = ingest::discover(&cfg.inbox)?;
    let id = crate::publish::run_id();
    let staging = crate::publish::staging(&layout, &id)?;
    let dirs = SilverDirs::under(&staging);
    let cache = if cfg.incremental {
        Some(crate::cache::Cache::open(&layout)?)
    } else {
        None
    };
    let Ingest {
        normalized: n,
        stats,
        used,
        manifest,
        sums,
    } = ingest_to_silver(&inbox_files, cfg, &dirs, cache.as_ref(), progress)?;
    lap("ingest");
    progress(Progress::Stage("compute"));
    let dict = Dictionary::embedded_ref();
    let mut gold = compute_gold(&sums, &n.out, cfg)?;
    let mut rejects = frame::rejects(&n.out.rejects)?;
    let file_rows: Vec<(String, String, SheetOutcome)> = n
        .files
        .iter()
        .flat_map(|f| {
            f.sheets
                .iter()
                .map(|(s, o)| (f.file.clone(), s.clone(), o.clone()))
        })
        .collect();
    let mut files = frame::files(&file_rows)?;

    lap("compute");
    // Write everything into a staging folder, then publish it atomically (crate::publish).
    progress(Progress::Stage("emit"));
    crate::faults::point("emit");
    for (name, df) in gold.tables() {
        emit::write_table(df, dict.table(name), &staging)?;
        crate::faults::point("emit");
    }
    let mut staged_reports = emit::report::write_workbooks(&gold, &rejects, &staging)?;
    staged_reports.extend(emit::html::write_reports(&gold, &rejects, &staging)?);
    let reports: Vec<PathBuf> = staged_reports
        .iter()
        .map(|p| cfg.out.join(p.strip_prefix(&staging).unwrap_or(p)))
        .collect();
    emit::write_table(&mut rejects, dict.table("rejects"), &staging)?;
    emit::write_table(&mut files, dict.table("files"), &staging)?;
    emit::write_table(
        &mut frame::manifest(&manifest)?,
        dict.table("manifest"),
        &staging,
    )?;
    lap("emit");
    progress(Progress::Stage("publish"));
    crate::publish::publish(&layout, &staging, &id)?;
    if let Some(c) = &cache {
        c.retain(&used)?;
    }
    lap("publish");

    Ok(RunSummary {
        files: n.files,
        n_rejects: n.out.rejects.len(),
        failed: n
            .out
            .rejects
            .iter()
            .filter(|r| {
                r.source_row.is_none()
                    || matches!(
                        r.kode.as_str(),
                        "kolom_ambigu"
                            | "kolom_ganda"
                            | "unsur_tidak_lengkap"
                            | "metode_lama"
                            | "unit_tidak_diketahui"
                            | "tahun_tidak_diketahui"
                    )
            })
            .map(|r| (r.source_file.clone(), r.sheet.clone(), r.alasan.clone()))
            .collect(),
        n_findings: gold.audit.height(),
        ikm_unit: gold.ikm_unit,
        nrr_unsur: gold.nrr_unsur,
        ikm_kota: gold.ikm_kota,
        reports,
        ingest: stats,
        out: cfg.out.clone(),
        timings,
    })
}
