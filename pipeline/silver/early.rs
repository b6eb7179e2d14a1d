//! The keyed rows of a file read this run, written down as it is read (`EarlyLog`), so that
//! the duplicates pass takes them from there instead of reading them back from silver: a
//! record of numbers a row, no Parquet decoded, no text compared. The records are written in
//! runs, each sorted by shard (`shard_of`: the moment's unit name, day and clock, hashed), and
//! a pass reads its range of shards from every run (`EarlyKeys::read`): the log is not spilled
//! again into the passes' buckets (`keys::Buckets`, which only files reused from the cache
//! need).
//!
//! Invariants: a record says what `keys::Buckets` would read from the row's silver part (its
//! `kunci`, unit, date, time of day, sheet and row) and where the row lies in the file's order
//! (`EarlyKeys::read`: the rows of the file's earlier years, then its place among its year's
//! rows); the file's rows are counted per year whether keyed or not, as its parts hold them; a
//! moment's shard is the same in every file and in a bucket (`shard_of` of the unit's name,
//! not of an id), and the same for every moment of one minute (`shard_of` of `HH:MM`). A file
//! reused from the cache has no log: its rows are read back from silver as before.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, Result};

use super::SilverDirs;
use crate::normalize::{Name, Response};

/// A row with an identity as its reader saw it: its unit and sheet by their index in the
/// piece's (then the file's) names, its year and its place among that year's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct EarlyRow {
    pub kunci: u128,
    pub clock: u64,
    pub day: u32,
    pub unit: u32,
    pub sheet: u32,
    pub row: u32,
    pub tahun: i32,
    pub at: u32,
}

/// A record on disk: the fields of `EarlyRow` in order, little-endian.
const RECORD: usize = 48;

impl EarlyRow {
    fn bytes(&self) -> [u8; RECORD] {
        let mut b = [0u8; RECORD];
        b[..16].copy_from_slice(&self.kunci.to_le_bytes());
        b[16..24].copy_from_slice(&self.clock.to_le_bytes());
        let rest = [
            self.day,
            self.unit,
            self.sheet,
            self.row,
            self.tahun as u32,
            self.at,
        ];
        for (k, v) in rest.into_iter().enumerate() {
            b[24 + 4 * k..28 + 4 * k].copy_from_slice(&v.to_le_bytes());
        }
        b
    }

    fn from_bytes(b: &[u8; RECORD]) -> EarlyRow {
        let u = |k: usize| u32::from_le_bytes(b[24 + 4 * k..28 + 4 * k].try_into().expect("4"));
        EarlyRow {
            kunci: u128::from_le_bytes(b[..16].try_into().expect("16 bytes")),
            clock: u64::from_le_bytes(b[16..24].try_into().expect("8 bytes")),
            day: u(0),
            unit: u(1),
            sheet: u(2),
            row: u(3),
            tahun: u(4) as i32,
            at: u(5),
        }
    }
}

/// One piece's keyed rows, made on the thread that read it, and its rows per year.
#[derive(Debug, Default)]
pub(super) struct PieceKeys {
    units: Vec<Name>,
    sheets: Vec<Name>,
    rows: Vec<EarlyRow>,
    /// Each row's shard (`shard_of`), found on the thread that read the piece: the log's
    /// writer, one thread for every file, only puts the rows in runs.
    shards: Vec<u16>,
    /// Each year of the piece: its rows (keyed or not), and its keyed rows (those of `rows`,
    /// in order, a year after another).
    years: Vec<(i32, u32, u32)>,
}

impl PieceKeys {
    /// The keyed rows of a piece's responses, split by year as its row groups are
    /// (`frame::by_year`: each year once).
    pub fn of(groups: &[(i32, Vec<&Response>)]) -> PieceKeys {
        let mut k = PieceKeys::default();
        // Room for every row at once (most have an identity where any has).
        let rows: usize = groups.iter().map(|(_, rows)| rows.len()).sum();
        k.rows.reserve(rows);
        k.shards.reserve(rows);
        let mut unit_hashes = Vec::new();
        for (y, rows) in groups {
            let keyed = k.rows.len();
            for (at, r) in rows.iter().enumerate() {
                let (Some(kunci), Some(jam)) = (r.kunci, r.jam.as_deref()) else {
                    continue;
                };
                let unit = index(&mut k.units, r.unit_id);
                if unit as usize == unit_hashes.len() {
                    unit_hashes.push(name_hash(r.unit_id));
                }
                let row = EarlyRow {
                    kunci: u128::from_be_bytes(kunci),
                    clock: clock_of(jam.as_bytes()),
                    day: day_of(r.tanggal.map(crate::tables::build::days)),
                    unit,
                    sheet: index(&mut k.sheets, r.sheet),
                    row: r.source_row,
                    tahun: *y,
                    at: at as u32,
                };
                k.shards
                    .push(shard_of(unit_hashes[unit as usize], row.day, row.clock) as u16);
                k.rows.push(row);
            }
            k.years
                .push((*y, rows.len() as u32, (k.rows.len() - keyed) as u32));
        }
        k
    }

    /// Its rows with an identity.
    pub fn len(&self) -> usize {
        self.rows.len()
    }
}

/// `name`'s index in `names`: the last one first (a piece's rows are mostly of one unit),
/// then the others (a `Name`: a pointer compared, not bytes, where a combined export's units
/// take turns), then the text (a `&'static str` not made by `name`).
fn index(names: &mut Vec<Name>, name: Name) -> u32 {
    if names.last().is_some_and(|last| std::ptr::eq(*last, name)) {
        return names.len() as u32 - 1;
    }
    let found = (names.iter().position(|n| std::ptr::eq(*n, name)))
        .or_else(|| names.iter().position(|n| *n == name));
    match found {
        Some(i) => i as u32,
        None => {
            names.push(name);
            names.len() as u32 - 1
        }
    }
}

/// A spill file (a pass's bucket) written a buffer of fixed records at a time:
/// a record is copied into the buffer, not handed to a writer call of its own.
pub(super) struct Records {
    file: std::fs::File,
    buf: Vec<u8>,
}

impl Records {
    /// Records into `file`, written `buffer` bytes at a time (about).
    pub fn new(file: std::fs::File, buffer: usize) -> Records {
        Records {
            file,
            buf: Vec::with_capacity(buffer),
        }
    }

    #[inline]
    pub fn push(&mut self, record: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(record);
        if self.buf.len() + record.len() > self.buf.capacity() {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes what is buffered.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.file.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }
}

/// The shards a keyed row is put in by its moment (`shard_of`): a pass of the duplicates takes a
/// range of them (`shard_range`), so that a moment's rows are in one pass whatever file they
/// come from, and a log is read a pass at a time without being spilled again. 1,024: passes of
/// half a million rows for up to half a billion keyed rows (more makes bigger passes).
pub(super) const SHARDS: usize = 1024;
const SHARD_BITS: u32 = SHARDS.trailing_zeros();

/// The records a log's run holds at most (`EarlyLog`): sorted by shard in memory, then
/// written at once, with where each shard's records begin (4 KiB a run, kept until the pass).
/// A log being written holds about 1.5 MiB at most (the records, then their bytes in shard
/// order); every file read at once has one.
pub(super) const RUN_RECORDS: usize = 16 * 1024;

/// A unit's name as a number for `shard_of` (FNV-1a): the same in every file.
pub(super) fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// The shard of a moment: its unit's name (`name_hash`), day (`day_of`) and clock
/// (`clock_of`) cut to the minute (its first five bytes, `HH:MM`: the moments of one minute,
/// to the second or to the minute, are in one shard, `keys::minute_of`), mixed (MurmurHash3's
/// finalizer) and cut to its top bits.
pub(super) fn shard_of(unit: u64, day: u32, clock: u64) -> usize {
    let clock = clock & 0xFF_FFFF_FFFF;
    let mut x = unit
        ^ u64::from(day).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ clock.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    x ^= x >> 33;
    x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    x ^= x >> 33;
    x = x.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    x ^= x >> 33;
    (x >> (64 - SHARD_BITS)) as usize
}

/// The pass of `passes` (at most `SHARDS`) a shard's rows are matched in.
pub(super) fn pass_of(shard: usize, passes: u64) -> u64 {
    shard as u64 * passes / SHARDS as u64
}

/// The shards of pass `pass` (`pass_of`'s inverse): from the first shard `s` with
/// `s × passes / SHARDS ≥ pass`.
pub(super) fn shard_range(pass: u64, passes: u64) -> std::ops::Range<usize> {
    let first = |p: u64| (p * SHARDS as u64).div_ceil(passes) as usize;
    first(pass)..first(pass + 1)
}

/// A run of a log: where it begins, and where each shard's records begin in it (and end:
/// `SHARDS + 1` entries), in records.
#[derive(Debug)]
struct Run {
    offset: u64,
    starts: Box<[u32]>,
}

/// A file's keyed rows written as its pieces come: gathered into runs, each sorted by shard
/// and written at once (`Run`); the file is made at the first keyed row, and removed when
/// dropped unfinished.
#[derive(Default)]
pub(super) struct EarlyLog {
    out: Option<(PathBuf, std::fs::File)>,
    /// The bytes written so far.
    written: u64,
    units: Names,
    sheets: Names,
    /// The rows of each year so far (keyed or not).
    years: BTreeMap<i32, u32>,
    rows: usize,
    /// The records of the run being gathered, and the shard of each.
    pending: Vec<EarlyRow>,
    shards: Vec<u16>,
    runs: Vec<Run>,
}

impl EarlyLog {
    /// A piece's keys, after the pieces before it; file number `i` of the inbox.
    pub fn add(&mut self, piece: &PieceKeys, dirs: &SilverDirs, i: usize) -> Result<()> {
        if !piece.rows.is_empty() && self.out.is_none() {
            let dir = dirs.early();
            std::fs::create_dir_all(&dir).with_context(|| cannot(&dir))?;
            // A name of its own: a file read again another way (a stream given up for the
            // whole read) writes a new log while the first may not yet be dropped.
            static LOGS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = LOGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let path = dir.join(format!("{i}.{n}"));
            let f = std::fs::File::create(&path).with_context(|| cannot(&path))?;
            self.out = Some((path, f));
        }
        let units: Vec<u32> = piece.units.iter().map(|u| self.units.id_of(u)).collect();
        let sheets: Vec<u32> = piece.sheets.iter().map(|s| self.sheets.id_of(s)).collect();
        debug_assert_eq!(piece.rows.len(), piece.shards.len());
        debug_assert!(
            (piece.years.iter()).all(|y| piece.years.iter().filter(|o| o.0 == y.0).count() == 1),
            "a piece's years are each once (`frame::by_year`)"
        );
        let mut keyed = (piece.rows.iter()).zip(&piece.shards);
        for &(y, n, k) in &piece.years {
            // The year's rows before the piece (looked up once a year, not a row).
            let before = self.years.get(&y).copied().unwrap_or(0);
            for (r, &shard) in keyed.by_ref().take(k as usize) {
                self.pending.push(EarlyRow {
                    unit: units[r.unit as usize],
                    sheet: sheets[r.sheet as usize],
                    at: r.at + before,
                    ..*r
                });
                self.shards.push(shard);
                if self.pending.len() == RUN_RECORDS {
                    self.write_run()?;
                }
            }
            *self.years.entry(y).or_default() += n;
        }
        debug_assert!(keyed.next().is_none(), "every keyed row in a year");
        self.rows += piece.rows.len();
        Ok(())
    }

    /// The records gathered, sorted by shard (a counting sort), written as a run.
    fn write_run(&mut self) -> Result<()> {
        let Some((path, out)) = &mut self.out else {
            return Ok(());
        };
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut starts = vec![0u32; SHARDS + 1];
        for &s in &self.shards {
            starts[s as usize + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut at = starts.clone();
        let mut bytes = vec![0u8; self.pending.len() * RECORD];
        for (r, &s) in self.pending.iter().zip(&self.shards) {
            let k = at[s as usize] as usize;
            bytes[k * RECORD..(k + 1) * RECORD].copy_from_slice(&r.bytes());
            at[s as usize] += 1;
        }
        out.write_all(&bytes).with_context(|| cannot(path))?;
        self.runs.push(Run {
            offset: self.written,
            starts: starts.into_boxed_slice(),
        });
        self.written += bytes.len() as u64;
        self.pending.clear();
        self.shards.clear();
        Ok(())
    }

    /// The log, written: None when no row had an identity.
    pub fn finish(mut self) -> Result<Option<EarlyKeys>> {
        self.write_run()?;
        // (The file is closed: an inbox of a thousand files must not hold a thousand open.)
        let Some((path, _)) = self.out.take() else {
            return Ok(None);
        };
        Ok(Some(EarlyKeys {
            path,
            units: std::mem::take(&mut self.units).names,
            sheets: std::mem::take(&mut self.sheets).names,
            years: std::mem::take(&mut self.years),
            rows: self.rows,
            runs: std::mem::take(&mut self.runs),
        }))
    }
}

impl Drop for EarlyLog {
    fn drop(&mut self) {
        if let Some((path, _)) = self.out.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A file's keyed rows as its reading wrote them (`EarlyLog`), read a pass's shards at a time;
/// the file is removed when dropped.
#[derive(Debug)]
pub(super) struct EarlyKeys {
    path: PathBuf,
    pub units: Vec<Arc<str>>,
    pub sheets: Vec<Arc<str>>,
    /// The file's rows of each year (its silver parts', keyed or not).
    years: BTreeMap<i32, u32>,
    /// Its keyed rows: the records in the log.
    pub rows: usize,
    runs: Vec<Run>,
}

impl EarlyKeys {
    /// The rows of the years before `tahun`: where that year's rows begin in the file's
    /// order (parts by year, `scan::parts_of`).
    fn first_of(&self, tahun: i32) -> u32 {
        self.years.range(..tahun).map(|(_, n)| n).sum()
    }

    /// The records of shards `shards` (a pass's, `shard_range`), each with its place in the
    /// file's order: a read of each run's part of them.
    pub fn read(
        &self,
        shards: std::ops::Range<usize>,
        each: &mut dyn FnMut(EarlyRow, u32) -> Result<()>,
    ) -> Result<()> {
        use std::os::unix::fs::FileExt as _;
        if self
            .runs
            .iter()
            .all(|r| r.starts[shards.start] == r.starts[shards.end])
        {
            return Ok(());
        }
        let file = std::fs::File::open(&self.path).map_err(|e| self.unreadable(e))?;
        let mut buf = Vec::new();
        let mut firsts: Vec<(i32, u32)> = Vec::new();
        for run in &self.runs {
            let (from, to) = (run.starts[shards.start], run.starts[shards.end]);
            if from == to {
                continue;
            }
            buf.resize((to - from) as usize * RECORD, 0);
            let at = run.offset + u64::from(from) * RECORD as u64;
            if let Err(e) = file.read_exact_at(&mut buf, at) {
                return Err(self.short(&file, e));
            }
            for b in buf.chunks_exact(RECORD) {
                let r = EarlyRow::from_bytes(b.try_into().expect("a record"));
                let first = match firsts.iter().find(|(y, _)| *y == r.tahun) {
                    Some((_, n)) => *n,
                    None => {
                        let n = self.first_of(r.tahun);
                        firsts.push((r.tahun, n));
                        n
                    }
                };
                each(r, first + r.at)?;
            }
        }
        Ok(())
    }

    /// A read that failed: the log cut short (a disk that filled) says how many records are
    /// missing.
    fn short(&self, file: &std::fs::File, e: std::io::Error) -> anyhow::Error {
        if e.kind() != std::io::ErrorKind::UnexpectedEof {
            return self.unreadable(e);
        }
        let len = file.metadata().map_or(0, |m| m.len()) as usize;
        anyhow::anyhow!(
            "{} holds fewer identities than were written ({} missing): was the disk full? Free \
             space in the output folder and run again",
            self.path.display(),
            self.rows.saturating_sub(len / RECORD)
        )
    }
}

impl EarlyKeys {
    /// The log could not be opened or read: what it is, and what to do.
    fn unreadable(&self, e: std::io::Error) -> anyhow::Error {
        let why = format!(
            "cannot read {}, the identities this run wrote down for its duplicates pass (a \
             temporary file, removed when the pass ends): was the output folder moved, cleaned \
             or made unreadable while the run went on? Leave it alone while skm runs, and run \
             again",
            self.path.display()
        );
        anyhow::Error::new(e).context(why)
    }
}

impl Drop for EarlyKeys {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The records read from a spill file at once.
pub(super) const READ_RECORDS: usize = 16 * 1024;

/// Reads into `buf` until it is full or the file ends; the bytes read.
pub(super) fn read_full(f: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn cannot(p: &std::path::Path) -> String {
    format!(
        "cannot write the identities of the rows read into {}: is the disk of the output \
         folder full? Free space there (about 48 bytes per response with a time of day, \
         removed once duplicates are found) and run again",
        p.display()
    )
}

/// Names kept once, each by its index: the sheets of the rows not counted (`Spot::sheet`), and
/// the units of the keyed rows (a moment's unit, `keys::moment`).
#[derive(Debug, Default)]
pub(super) struct Names {
    pub names: Vec<Arc<str>>,
    index: HashMap<Arc<str>, u32>,
}

impl Names {
    pub fn id(&mut self, name: &Arc<str>) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.names.push(name.clone());
        self.index.insert(name.clone(), self.names.len() as u32 - 1);
        self.names.len() as u32 - 1
    }

    /// The id of a name met before.
    pub fn find(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// `id` of a name given as text: a new name only is made an `Arc`.
    pub fn id_of(&mut self, name: &str) -> u32 {
        match self.index.get(name) {
            Some(&i) => i,
            None => self.id(&name.into()),
        }
    }

    pub fn name(&self, id: u32) -> &Arc<str> {
        &self.names[id as usize]
    }
}

/// A moment's day: the day since 1970, or all ones for none.
pub(super) fn day_of(day: Option<i32>) -> u32 {
    day.map_or(u32::MAX, |d| d as u32)
}

/// A moment's clock: the time of day's text as its bytes (hashed, with the top bit set, if
/// longer than 8).
pub(super) fn clock_of(jam: &[u8]) -> u64 {
    // (`HH:MM:SS`, every form's: a load, not a copy of any length.)
    if let Ok(eight) = <[u8; 8]>::try_from(jam) {
        return u64::from_le_bytes(eight);
    }
    let mut clock = [0u8; 8];
    if jam.len() <= 8 {
        clock[..jam.len()].copy_from_slice(jam);
    } else {
        // (`normalize::values::time_of_day` writes no longer text; hashed if one comes.)
        clock = u128_of(blake3::hash(jam).as_bytes()).to_le_bytes()[..8]
            .try_into()
            .expect("8 bytes");
        clock[7] |= 0x80;
    }
    u64::from_le_bytes(clock)
}

pub(super) fn u128_of(b: &[u8; 32]) -> u128 {
    let mut x = [0u8; 16];
    x.copy_from_slice(&b[..16]);
    u128::from_be_bytes(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shard lies in the range of the pass it is matched in, and in no other; the
    /// ranges cover the shards in order, a pass's about as many as another's.
    #[test]
    fn a_pass_takes_the_shards_of_its_range() {
        for passes in [1u64, 2, 3, 6, 7, 58, 1000, SHARDS as u64] {
            let mut next = 0;
            for pass in 0..passes {
                let r = shard_range(pass, passes);
                assert_eq!(r.start, next, "{passes} passes, pass {pass}");
                let each = SHARDS as u64 / passes;
                assert!(
                    (each..=each + 1).contains(&(r.len() as u64)),
                    "{passes}: {r:?}"
                );
                assert!(
                    r.clone().all(|s| pass_of(s, passes) == pass),
                    "{passes}: {r:?}"
                );
                next = r.end;
            }
            assert_eq!(next, SHARDS);
        }
    }

    #[test]
    fn a_record_reads_back_as_written() {
        let r = EarlyRow {
            kunci: 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210,
            clock: u64::from_le_bytes(*b"23:59:59"),
            day: u32::MAX,
            unit: 7,
            sheet: 3,
            row: 1_048_576,
            tahun: -1,
            at: 42,
        };
        assert_eq!(EarlyRow::from_bytes(&r.bytes()), r);
    }
}
