//! Incremental nightly runs: what each input file gave is kept, keyed by the file's content
//! (and its name, the configuration, the registry and the skm version), in `.OUT.cache/<key>/`:
//! its silver parts (`tahun=YYYY.parquet`, a big part's later pieces `tahun=YYYY_0001.parquet`,
//! …), its rejects (`rejects.parquet`, the layout of the output's) and everything else it
//! produced (`meta.json`: accounting, recap/IKU/budget rows, findings, and the sums of its
//! rows, see `silver::sums`). A rerun reads and normalizes only
//! the files whose key is new; the others' parts are hard-linked into the new run and their rows
//! taken from `meta.json`. Gold is always recomputed from all of silver's sums, so the result equals a
//! full run. Entries no file of the last run used are removed.
//!
//! The content hash (BLAKE3) of a file is taken from `index.json` when the file's size and
//! modification time are those recorded there (as git's index and make do), so a rerun with
//! nothing changed reads no input file at all; `--full` reads and hashes every file.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::ingest::InboxFile;
use crate::normalize::realisasi::{anggaran::AnggaranRow, iku::IkuRow, rekap::RekapRow, Finding};
use crate::normalize::FileAccount;
use crate::normalize::RejectLog;

/// Everything one file produced but its silver rows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub account: FileAccount,
    /// Kept in the entry's `rejects.parquet`, not in `meta.json`: a file off the scale has
    /// nine a row (8.8M rejects of a million rows were 1.4 GB of JSON, 15 s to parse).
    #[serde(skip)]
    pub rejects: RejectLog,
    pub recap: Vec<RekapRow>,
    pub iku: Vec<IkuRow>,
    pub anggaran: Vec<AnggaranRow>,
    /// Follow-up plans. Required: an entry written before plans were read is read again.
    pub rtl: Vec<crate::normalize::realisasi::rtl::RtlRow>,
    pub findings: Vec<Finding>,
    /// The year of each piece of its silver parts, in order (a year once per piece:
    /// `tables::PartWriter`).
    pub years: Vec<i32>,
    /// The sums of its silver rows (`silver::sums`).
    #[serde(default)]
    pub sums: Vec<super::sums::SumRow>,
    /// How many of its silver rows have an identity (`kunci`).
    #[serde(default)]
    pub keyed: usize,
    /// The days of its rows without a time of day (`silver::untimed`).
    #[serde(default)]
    pub untimed: super::untimed::Untimed,
    /// The day it was normalized (`YYYY-MM-DD`): a file with a survey date rejected as in the
    /// future is normalized again on a later day.
    pub made_on: String,
    /// When it was normalized (local time, RFC 3339).
    #[serde(default)]
    pub made_at: String,
    /// The earliest survey date it had rejected as in the future (`YYYY-MM-DD`): on that day
    /// the file reads differently, so the entry is stale from then on.
    #[serde(default)]
    pub earliest_future: Option<String>,
}

/// An entry's rejects (`Entry::rejects`), in its folder.
const REJECTS: &str = "rejects.parquet";

/// The rows of an entry's rejects written and read at once.
const REJECTS_SLICE: usize = 64 * 1024;

/// An entry's rejects read back, `REJECTS_SLICE` rows at a time.
fn read_rejects(path: &Path) -> Result<RejectLog> {
    use crate::normalize::{RejectCode, RejectRef};
    let mut log = RejectLog::default();
    let columns = [
        "source_file",
        "sheet",
        "source_row",
        "kolom",
        "nilai",
        "alasan",
        "kode",
    ];
    super::scan::read_slices_of(path, &columns, REJECTS_SLICE, |df| {
        let text = |c: &str| df.column(c).and_then(|c| c.str().cloned());
        let [file, sheet, kolom, nilai, alasan, kode] =
            ["source_file", "sheet", "kolom", "nilai", "alasan", "kode"].map(text);
        let (file, sheet, kolom) = (file?, sheet?, kolom?);
        let (nilai, alasan, kode) = (nilai?, alasan?, kode?);
        let row = df.column("source_row")?.u32()?.clone();
        for i in 0..df.height() {
            let code = kode.get(i).and_then(RejectCode::parse);
            let code = code.with_context(|| format!("{}: unknown kode", path.display()))?;
            log.push_ref(&RejectRef {
                source_file: file.get(i).unwrap_or_default(),
                sheet: sheet.get(i).unwrap_or_default(),
                source_row: row.get(i),
                kolom: kolom.get(i).unwrap_or_default(),
                nilai: nilai.get(i).unwrap_or_default(),
                alasan: alasan.get(i).unwrap_or_default(),
                kode: code,
            });
        }
        Ok(())
    })?;
    Ok(log)
}

/// What the index remembers of a file: its size and modification time when it was hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
    /// BLAKE3 of the bytes (hex).
    pub blake3: String,
}

/// The file's size and modification time (of the link itself for a symlink).
pub fn stat_of(file: &InboxFile) -> Result<(u64, i128)> {
    let m = std::fs::symlink_metadata(&file.path)
        .with_context(|| format!("cannot read {}", file.path.display()))?;
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0);
    Ok((m.len(), mtime))
}

/// BLAKE3 of a file's bytes (of `symlink` for a link, which is never followed).
pub fn content_hash(file: &InboxFile) -> Result<String> {
    let mut h = blake3::Hasher::new();
    if file.link {
        h.update(b"symlink");
    } else {
        let mut f = std::fs::File::open(&file.path)
            .with_context(|| format!("cannot read {}", file.path.display()))?;
        // A file under 8 MiB, one of many read at once, is hashed on its own thread. Its bytes
        // are read into room of its own size, not zeroed first: an 8 MiB buffer zeroed a file
        // was 1.3% of a run of 384 small files.
        let mut buf = Vec::with_capacity(first_block(&f));
        (&mut f)
            .take(HASH_BLOCK as u64)
            .read_to_end(&mut buf)
            .with_context(|| format!("cannot read {}", file.path.display()))?;
        if buf.len() < HASH_BLOCK {
            h.update(&buf);
        } else {
            hash_big(&mut h, f, buf)?;
        }
    }
    Ok(h.finalize().to_hex().to_string())
}

/// The blocks a big file is hashed in.
const HASH_BLOCK: usize = 8 << 20;

/// The room for a file's first block: its size and a byte (to see its end without growing),
/// at most a block.
fn first_block(f: &std::fs::File) -> usize {
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    usize::try_from(size).map_or(HASH_BLOCK, |s| s.saturating_add(1).min(HASH_BLOCK))
}

/// Hashes a big export (`first`, its first block, and the rest of `f`): each block on every
/// core while the next is read on a thread of its own. (It is hashed before it is read, while
/// the other cores would wait: reading and hashing in turn kept one core idle for ~0.8 s of a
/// 770 MB file.)
fn hash_big(h: &mut blake3::Hasher, mut f: std::fs::File, first: Vec<u8>) -> Result<()> {
    use std::sync::mpsc::{channel, sync_channel};
    let (full_tx, full_rx) = sync_channel::<std::io::Result<(Vec<u8>, usize)>>(1);
    let (empty_tx, empty_rx) = channel::<Vec<u8>>();
    std::thread::scope(|s| {
        s.spawn(move || loop {
            let mut buf = empty_rx
                .try_recv()
                .unwrap_or_else(|_| vec![0u8; HASH_BLOCK]);
            let read = read_full(&mut f, &mut buf).map(|n| (buf, n));
            let end = !matches!(read, Ok((_, n)) if n > 0);
            if full_tx.send(read).is_err() || end {
                break;
            }
        });
        h.update_rayon(&first);
        let _ = empty_tx.send(first);
        for read in full_rx {
            let (buf, n) = read?;
            h.update_rayon(&buf[..n]);
            let _ = empty_tx.send(buf);
        }
        Ok(())
    })
}

/// Reads until `buf` is full or the file ends: the bytes read.
fn read_full(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

impl Entry {
    /// Whether the file must be read again today: a date it rejected as in the future has
    /// come (ISO dates compare as text).
    pub fn stale(&self, today: &str) -> bool {
        if self.made_on == today {
            return false;
        }
        match &self.earliest_future {
            Some(d) => today >= d.as_str(),
            // An entry written before the date was kept: any such reject makes it stale.
            None => self
                .rejects
                .iter()
                .any(|r| r.kode == crate::normalize::RejectCode::TanggalDiMasaDepan),
        }
    }
}

pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// Opens (creating it) the cache in `dir` (`.OUT.cache`, `publish::Layout::cache`).
    pub fn open(dir: &Path) -> Result<Cache> {
        let dir = dir.to_path_buf();
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Cache { dir })
    }

    /// The key of a file: its content hash, its name in the inbox and the run's fingerprint.
    pub fn key(rel: &str, content_hash: &str, fingerprint: &str) -> String {
        let mut h = blake3::Hasher::new();
        h.update(fingerprint.as_bytes());
        h.update(b"\0");
        h.update(rel.as_bytes());
        h.update(b"\0");
        h.update(content_hash.as_bytes());
        h.finalize().to_hex()[..32].to_string()
    }

    /// The stat index of the last run (empty when there is none or it cannot be read).
    pub fn index(&self) -> std::collections::BTreeMap<String, Stat> {
        std::fs::read_to_string(self.dir.join("index.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Replaces the stat index (written aside, then renamed).
    pub fn set_index(&self, index: &std::collections::BTreeMap<String, Stat>) -> Result<()> {
        let tmp = self.dir.join("index.json.tmp");
        std::fs::write(&tmp, serde_json::to_string(index)?)?;
        std::fs::rename(&tmp, self.dir.join("index.json"))?;
        Ok(())
    }

    /// The `n`-th piece of an entry's part of `year` (`tahun=2024.parquet`, then
    /// `tahun=2024_0001.parquet`, … as `tables::piece_path` names them).
    pub fn part(&self, key: &str, year: i32, n: usize) -> PathBuf {
        crate::tables::piece_path(&self.dir.join(key).join(format!("tahun={year}.parquet")), n)
    }

    pub fn get(&self, key: &str) -> Option<Entry> {
        let file = std::fs::File::open(self.dir.join(key).join("meta.json")).ok()?;
        let reader = std::io::BufReader::with_capacity(1 << 16, file);
        let mut entry: Entry = serde_json::from_reader(reader).ok()?;
        let whole = pieces(&entry.years).all(|(y, n)| self.part(key, y, n).is_file());
        if !whole {
            return None;
        }
        entry.rejects = read_rejects(&self.dir.join(key).join(REJECTS)).ok()?;
        Some(entry)
    }

    /// Stores an entry with its parts (copied or hard-linked from `parts`).
    pub fn put(&self, key: &str, entry: &Entry, parts: &[(i32, PathBuf)]) -> Result<()> {
        let tmp = self.dir.join(format!("{key}.tmp"));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp)?;
        let years: Vec<i32> = parts.iter().map(|(y, _)| *y).collect();
        for ((y, n), (_, p)) in pieces(&years).zip(parts) {
            let name = self.part(key, y, n);
            link_or_copy(p, &tmp.join(name.file_name().unwrap_or_default()))?;
        }
        let table = crate::tables::Dictionary::embedded_ref().table("rejects");
        let pieces = crate::normalize::frame::rejects_pieces(&entry.rejects, REJECTS_SLICE);
        crate::tables::write_table_pieces(table, &tmp, pieces)?;
        let meta = tmp.join("meta.json");
        let file = std::fs::File::create(&meta)
            .with_context(|| format!("cannot write {}", meta.display()))?;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
        serde_json::to_writer(&mut w, entry)?;
        std::io::Write::flush(&mut w)
            .with_context(|| format!("cannot write {}", meta.display()))?;
        let dest = self.dir.join(key);
        let _ = std::fs::remove_dir_all(&dest);
        std::fs::rename(&tmp, &dest)?;
        Ok(())
    }

    /// Removes every entry not in `used` (the index stays).
    pub fn retain(&self, used: &HashSet<String>) -> Result<()> {
        for e in std::fs::read_dir(&self.dir)?.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if !used.contains(&name) && name != "index.json" {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
        Ok(())
    }
}

/// Each piece of `years` (`Entry::years`) as its year and its number within the year.
pub fn pieces(years: &[i32]) -> impl Iterator<Item = (i32, usize)> + '_ {
    years.iter().enumerate().map(|(at, y)| {
        let before = years[..at].iter().filter(|b| *b == y).count();
        (*y, before)
    })
}

/// A hard link where the filesystem allows, else a copy.
pub fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let _ = std::fs::remove_file(to);
    if std::fs::hard_link(from, to).is_err() {
        std::fs::copy(from, to)
            .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(earliest_future: Option<&str>, future_reject: bool) -> Entry {
        Entry {
            account: FileAccount {
                file: "a.csv".into(),
                sheets: vec![],
                cara_baca: None,
            },
            rejects: if future_reject {
                vec![crate::normalize::Reject {
                    source_file: "a.csv".into(),
                    sheet: String::new(),
                    source_row: Some(2),
                    kolom: "Tanggal".into(),
                    nilai: "01/12/2026".into(),
                    alasan: "tanggal survei sesudah hari ini".into(),
                    kode: crate::normalize::RejectCode::TanggalDiMasaDepan,
                }]
                .into()
            } else {
                RejectLog::default()
            },
            recap: vec![],
            iku: vec![],
            anggaran: vec![],
            rtl: vec![],
            findings: vec![],
            years: vec![],
            sums: vec![],
            keyed: 0,
            untimed: Default::default(),
            made_on: "2026-11-26".into(),
            made_at: String::new(),
            earliest_future: earliest_future.map(str::to_string),
        }
    }

    #[test]
    fn a_csv_encoding_survives_the_cache_and_an_entry_without_one_is_read_again() {
        let mut e = entry(None, false);
        e.account.sheets.push((
            String::new(),
            crate::normalize::SheetOutcome {
                kind: crate::normalize::SheetKind::Kuesioner,
                encoding: Some(crate::ingest::Encoding::Windows1252),
                ..Default::default()
            },
        ));
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""encoding":"windows-1252""#), "{json}");
        let back: Entry = serde_json::from_str(&json).unwrap();
        assert_eq!(back.account.sheets, e.account.sheets);
        // Written by a version that did not record encodings: not an entry (`get` gives
        // None), so the file is read again and its encoding recorded.
        let old = json.replace(r#","encoding":"windows-1252""#, "");
        assert!(serde_json::from_str::<Entry>(&old).is_err());
    }

    /// An entry's rejects go to its `rejects.parquet` and come back as they were, in order,
    /// over more than one slice: a whole file's, a sheet's, rows' with texts that repeat.
    #[test]
    fn an_entrys_rejects_come_back_from_its_table() {
        use crate::normalize::{Reject, RejectCode};
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path()).unwrap();
        let mut e = entry(None, false);
        let mut rejects = vec![Reject {
            source_file: "a.xlsx".into(),
            sheet: "Rekap".into(),
            source_row: None,
            kolom: String::new(),
            nilai: String::new(),
            alasan: "lembar tidak dikenali".into(),
            kode: RejectCode::LembarTidakDikenali,
        }];
        for i in 0..(REJECTS_SLICE as u32 + 10) {
            rejects.push(Reject {
                source_file: "a.xlsx".into(),
                sheet: "Form Responses 1".into(),
                source_row: Some(i + 2),
                kolom: format!("U{}", i % 9 + 1),
                nilai: if i % 7 == 0 {
                    format!("é{i}")
                } else {
                    "6".into()
                },
                alasan: "nilai di luar skala 1–4".into(),
                kode: RejectCode::JawabanDiLuarSkala,
            });
        }
        e.rejects = rejects.clone().into();
        cache.put("k", &e, &[]).unwrap();
        let back = cache.get("k").expect("an entry");
        assert_eq!(back.rejects.into_rejects(), rejects);
        let json = std::fs::read_to_string(dir.path().join("k/meta.json")).unwrap();
        assert!(!json.contains("skala"), "rejects are not in meta.json");
        // A table gone: not an entry, the file is read again.
        std::fs::remove_file(dir.path().join("k").join(REJECTS)).unwrap();
        assert!(cache.get("k").is_none());
    }

    #[test]
    fn an_entry_is_read_again_on_the_day_a_rejected_future_date_comes() {
        let e = entry(Some("2026-12-01"), true);
        assert!(!e.stale("2026-11-26"));
        assert!(
            !e.stale("2026-11-30"),
            "still in the future: the rows read the same"
        );
        assert!(e.stale("2026-12-01"));
        assert!(e.stale("2027-01-15"));
        assert!(
            !entry(None, false).stale("2027-01-15"),
            "no future date, never stale"
        );
        // Written before the date was kept: stale on any later day.
        assert!(entry(None, true).stale("2026-11-27"));
    }
}
