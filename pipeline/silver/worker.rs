//! One file's way into silver: hashed (or known from the stat index), reused from the cache
//! when unchanged, else read and normalized, its responses written as silver parts and summed.

use anyhow::Result;

use super::cache::{self, Cache};
use super::early::{EarlyKeys, EarlyLog, PieceKeys};
use super::manifest::{HashBasis, ManifestRow};
use super::read_context::ReadContext;
use super::stream::{self, Streamed, StreamedFile};
use super::untimed::Untimed;
use super::{sums, SilverDirs};
use crate::ingest;
use crate::normalize::{self, frame, FileAccount, RejectCode, SheetKind, SheetOutcome};
use crate::tables::{self, Dictionary};

/// What one file gave a run.
pub(super) struct FileResult {
    pub account: FileAccount,
    pub out: normalize::Written,
    pub key: Option<String>,
    pub manifest: ManifestRow,
    /// What the stat index should remember of it (None: modified too recently to trust).
    pub stat: Option<cache::Stat>,
    /// The sums of its silver rows.
    pub sums: Vec<sums::SumRow>,
    /// How many of its silver rows have an identity (`kunci`), for `silver::duplicates`.
    pub keyed: usize,
    /// The days of its rows without a time of day (`silver::untimed`).
    pub untimed: Untimed,
    /// Its keyed rows as they were read this run (none when reused from the cache).
    pub early: Option<EarlyKeys>,
}

fn now_rfc3339() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// What is known of a file before it is read: its size, modification time and content hash
/// (hashed, or taken from the stat index when size and time are unchanged).
#[derive(Debug, Clone)]
pub(super) struct FileFacts {
    pub size: u64,
    pub mtime_ns: i128,
    pub blake3: String,
    pub hash_basis: HashBasis,
    /// What the stat index should remember of it (None: modified too recently to trust).
    pub stat: Option<cache::Stat>,
}

/// A file's size, time and hash (`FileFacts`); with `later`, a file the stat index does not
/// know is not hashed now (its `blake3` left empty) but as it is read (`ingest_file`).
pub(super) fn facts_of(
    f: &ingest::InboxFile,
    (size, mtime_ns): (u64, i128),
    later: bool,
    sh: &ReadContext<'_>,
) -> Result<FileFacts> {
    let known = sh
        .index
        .get(&f.rel)
        .filter(|s| s.size == size && s.mtime_ns == mtime_ns);
    let (blake3, hash_basis) = match known {
        Some(s) => (s.blake3.clone(), HashBasis::Stat),
        None if later => (String::new(), HashBasis::Isi),
        None => (cache::content_hash(f)?, HashBasis::Isi),
    };
    // A file modified in the last two seconds may change again within the same timestamp:
    // it is not remembered by its stat (the next run hashes it again).
    let settled = sh
        .started
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| (d.as_nanos() as i128) - mtime_ns > 2_000_000_000)
        .unwrap_or(false);
    let stat = settled.then(|| cache::Stat {
        size,
        mtime_ns,
        blake3: blake3.clone(),
    });
    Ok(FileFacts {
        size,
        mtime_ns,
        blake3,
        hash_basis,
        stat,
    })
}

/// Ingest, normalize and write one file (`i` in inbox order), or reuse what it gave before.
pub(super) fn ingest_file(
    i: usize,
    f: &ingest::InboxFile,
    k: &FileFacts,
    sh: &ReadContext<'_>,
) -> Result<FileResult> {
    let (size, mtime_ns, hash_basis) = (k.size, k.mtime_ns, k.hash_basis);
    let (blake3, known_stat) = (&k.blake3, &k.stat);
    let manifest =
        |account: &FileAccount, blake3: &str, made_at: String, reused: bool| ManifestRow {
            file: f.rel.clone(),
            size,
            mtime_ns,
            blake3: blake3.to_string(),
            hash_basis,
            rows_read: account.rows_read(),
            accepted: account.accepted(),
            rejected: account.rejected(),
            duplicates: 0,
            made_at,
            reused,
        };
    // (A run with a cache hashes every file before reading it: `silver::ingest`.)
    debug_assert!(sh.cache.is_none() || !blake3.is_empty());
    let key = sh
        .cache
        .map(|_| Cache::key(&f.rel, blake3, &sh.fingerprint));
    if let (Some(c), Some(k)) = (sh.cache, &key) {
        if let Some(entry) = c.get(k).filter(|e| !e.stale(&sh.today)) {
            for (y, n) in cache::pieces(&entry.years) {
                let to = tables::piece_path(&SilverDirs::part(&sh.dirs.responses, y, i), n);
                cache::link_or_copy(&c.part(k, y, n), &to)?;
            }
            return Ok(FileResult {
                manifest: manifest(&entry.account, blake3, entry.made_at.clone(), true),
                account: entry.account,
                out: normalize::Written::new(normalize::Output {
                    responses: Vec::new(),
                    rejects: entry.rejects,
                    recap: entry.recap,
                    iku: entry.iku,
                    anggaran: entry.anggaran,
                    rtl: entry.rtl,
                    findings: entry.findings,
                    earliest_future: None,
                }),
                key,
                stat: known_stat.clone(),
                sums: entry.sums,
                keyed: entry.keyed,
                untimed: entry.untimed,
                early: None,
            });
        }
    }
    let made_at = now_rfc3339();
    let read = read_and_write(i, f, size, sh)?;
    let StreamedFile {
        account,
        out: mut o,
        parts,
        sums,
        keyed,
        untimed,
        early,
        hash,
    } = *read;
    crate::faults::pause_after_read(&f.rel);
    // A file that changed while it was read (an upload or a copy still in progress) gives
    // nothing this run, not half its rows; the next run reads it whole.
    let after = cache::stat_of(f).ok();
    let unchanged = after == Some((size, mtime_ns));
    // Hashed as it was read (a streamed CSV), else now, when it was not before (a file that
    // cannot be hashed now is gone: as one that changed).
    let hashed = match (blake3.is_empty(), hash) {
        (false, _) => Some(blake3.clone()),
        (true, Some(h)) => Some(h),
        (true, None) if unchanged => cache::content_hash(f).ok(),
        (true, None) => None,
    };
    let Some(blake3) = hashed.as_ref().filter(|_| unchanged).cloned() else {
        for (_, p) in &parts {
            let _ = std::fs::remove_file(p);
        }
        let account = changing_account(f);
        let blake3 = hashed.unwrap_or_default();
        let manifest = manifest(&account, &blake3, made_at, false);
        return Ok(FileResult {
            out: normalize::Written::new(changing_output(f, (size, mtime_ns), after)),
            account,
            manifest,
            key: None,
            stat: None,
            sums: Vec::new(),
            keyed: 0,
            untimed: Untimed::default(),
            early: None,
        });
    };
    let stat = known_stat.clone().map(|s| cache::Stat {
        blake3: blake3.clone(),
        ..s
    });
    if let (Some(c), Some(k)) = (sh.cache, &key) {
        let entry = cache::Entry {
            account: account.clone(),
            // (Lent to the entry and taken back: a file's rejects can be millions.)
            rejects: std::mem::take(&mut o.rejects),
            recap: o.recap.clone(),
            iku: o.iku.clone(),
            anggaran: o.anggaran.clone(),
            rtl: o.rtl.clone(),
            findings: o.findings.clone(),
            years: parts.iter().map(|(y, _)| *y).collect(),
            sums: sums.clone(),
            keyed,
            untimed: untimed.clone(),
            made_on: sh.today.clone(),
            made_at: made_at.clone(),
            earliest_future: o.earliest_future.map(|d| d.to_string()),
        };
        c.put(k, &entry, &parts)?;
        o.rejects = entry.rejects;
    }
    Ok(FileResult {
        manifest: manifest(&account, &blake3, made_at, false),
        account,
        out: normalize::Written::new(o),
        key,
        stat,
        sums,
        keyed,
        untimed,
        early,
    })
}

/// A file's silver parts: (year, path).
type Parts = Vec<(i32, std::path::PathBuf)>;

/// Read the file (a CSV questionnaire as a stream, `stream`; anything else whole) and write
/// its responses as its silver parts: its accounting, its output but the responses, its parts,
/// their sums and how many rows have an identity.
fn read_and_write(
    i: usize,
    f: &ingest::InboxFile,
    size: u64,
    sh: &ReadContext<'_>,
) -> Result<Box<StreamedFile>> {
    let streamed = if is_csv(f) {
        stream::csv_file(i, f, size, sh)?
    } else if stream::is_xlsx(f) {
        stream::xlsx_file(f, size, (i, sh))?
    } else {
        Streamed::Whole
    };
    if let Streamed::Done(s) = streamed {
        return Ok(s);
    }
    let (account, mut o) = normalize::file::normalize_one(f, &sh.ctx, sh.config);
    let keyed = o.responses.iter().filter(|r| r.kunci.is_some()).count();
    let untimed = Untimed::of(&o.responses);
    let (parts, sums, early) = write_parts(std::mem::take(&mut o.responses), i, sh.dirs)?;
    Ok(Box::new(StreamedFile {
        account,
        out: o,
        parts,
        sums,
        keyed,
        untimed,
        early,
        hash: None,
    }))
}

/// Whether `f` is read as a CSV file (streamed, `stream`): delimited text
/// (`ingest::is_delimited_text`).
pub(super) fn is_csv(f: &ingest::InboxFile) -> bool {
    !f.link && ingest::is_delimited_text(&f.path)
}

/// A file's responses written as its silver parts (one per year, `part-<i>`, in row groups
/// of at most `tables::WHOLE_READ_ROW_GROUP` rows, as a streamed sheet's chunks are), and
/// their sums and its keyed rows (`early`).
pub(super) fn write_parts(
    responses: Vec<normalize::Response>,
    i: usize,
    dirs: &SilverDirs,
) -> Result<(Parts, Vec<sums::SumRow>, Option<EarlyKeys>)> {
    if responses.is_empty() {
        return Ok((Vec::new(), Vec::new(), None));
    }
    let table = Dictionary::embedded_ref().table("responses");
    let sums = sums::partial_sums(&responses);
    let mut parts = Vec::new();
    let years = frame::by_year(&responses);
    let mut early = EarlyLog::default();
    early.add(&PieceKeys::of(&years), dirs, i)?;
    for (y, rows) in years {
        let p = SilverDirs::part(&dirs.responses, y, i);
        // Each row group encoded as a streamed chunk is (`tables::encode`).
        let mut w: Option<tables::PartWriter> = None;
        for rows in rows.chunks(tables::WHOLE_READ_ROW_GROUP) {
            let group = tables::encode(&frame::responses(rows)?, table)?;
            let writer = match &mut w {
                Some(w) => w,
                None => w.insert(tables::PartWriter::create(&p, &group)?),
            };
            writer.append(&group)?;
        }
        if let Some(w) = w {
            parts.extend(w.finish()?.into_iter().map(|p| (y, p)));
        }
    }
    Ok((parts, sums, early.finish()?))
}

/// The accounting of a file that changed while it was read: nothing read from it counts.
fn changing_account(f: &ingest::InboxFile) -> FileAccount {
    FileAccount {
        file: f.rel.clone(),
        sheets: vec![(
            String::new(),
            SheetOutcome::of(SheetKind::BerubahSaatDibaca),
        )],
        cara_baca: None,
    }
}

/// The reject that reports it, with what changed.
fn changing_output(
    f: &ingest::InboxFile,
    before: (u64, i128),
    after: Option<(u64, i128)>,
) -> normalize::Output {
    let what = match after {
        Some((size, _)) if size != before.0 => {
            format!("ukuran {} → {size} byte", before.0)
        }
        Some((_, mtime)) if mtime != before.1 => "waktu ubahnya berganti".to_string(),
        _ => "berkasnya hilang".to_string(),
    };
    let alasan = format!(
        "berkas berubah selama dibaca ({what}): kemungkinan masih diunggah atau disalin; tidak \
         dipakai dalam proses ini dan dibaca utuh pada proses berikutnya bila sudah tidak berubah"
    );
    normalize::Output {
        rejects: vec![normalize::Reject {
            source_file: f.rel.clone(),
            sheet: String::new(),
            source_row: None,
            kolom: String::new(),
            nilai: String::new(),
            alasan,
            kode: RejectCode::BerkasBerubahSaatDibaca,
        }]
        .into(),
        ..Default::default()
    }
}

/// A file with the same bytes as `counted` (the copy that counts, `duplicates::identical`):
/// not read; every row it has is the counted copy's, accounted as duplicates.
pub(super) fn identical_copy(
    f: &ingest::InboxFile,
    k: &FileFacts,
    counted: &ingest::InboxFile,
    counted_account: Option<&FileAccount>,
) -> FileResult {
    let rows = counted_account.map_or(0, FileAccount::rows_read);
    let account = FileAccount {
        file: f.rel.clone(),
        sheets: vec![(
            String::new(),
            SheetOutcome {
                rows_read: rows,
                duplicates: rows,
                contained_in: Some(counted.rel.clone()),
                ..SheetOutcome::of(SheetKind::BerkasIdentik)
            },
        )],
        cara_baca: None,
    };
    FileResult {
        manifest: ManifestRow {
            file: f.rel.clone(),
            size: k.size,
            mtime_ns: k.mtime_ns,
            blake3: k.blake3.clone(),
            hash_basis: k.hash_basis,
            rows_read: rows,
            accepted: 0,
            rejected: 0,
            duplicates: rows,
            made_at: now_rfc3339(),
            reused: false,
        },
        account,
        out: normalize::Written::default(),
        key: None,
        stat: k.stat.clone(),
        sums: Vec::new(),
        keyed: 0,
        untimed: Untimed::default(),
        early: None,
    }
}
