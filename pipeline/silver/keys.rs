//! The rows with an identity (`kunci`) of every file, for the passes of `silver::duplicates`:
//! a pass takes a range of shards (`early::shard_range`) and reads its rows from each file's
//! early log (`early::EarlyKeys`, the rows as its reading wrote them down, in runs sorted by
//! shard) and, for files reused from the cache, from the bucket of its pass, into which their
//! silver parts were read back once, on the workers, as fixed records of numbers.
//!
//! Invariants: a minute (unit, date, time of day cut to `HH:MM`, `minute_of`) lies in one shard
//! (`early::shard_of`, of the unit's name), so in one pass with every moment in it, to the
//! second or to the minute, and every rule, which applies within a moment or (a row to the
//! minute and one to the second, `duplicates`) within a minute, sees all of its rows there; a
//! row carries its place in its file's order (`Keyed::seq`: parts in order, rows in order), so
//! the workers may take a file's slices in any order; the ids of units and sheets
//! are the same in every file and bucket (`Names`, shared by the workers).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{Context as _, Result};
use polars::prelude::*;

pub(super) use super::early::{clock_of, day_of, Names};
use super::early::{name_hash, pass_of, shard_of, shard_range, EarlyKeys};
use super::early::{read_full, Records, READ_RECORDS};
use super::scan::{parts_of, read_slice, rows_of, Place};
use super::SilverDirs;

/// Where a row is: file (its index in the inbox), sheet (`Names`) and row; a whole file has
/// neither sheet nor row (`NONE`). Twelve bytes, where a cumulative export leaves a million.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct Spot {
    pub file: u32,
    pub sheet: u32,
    pub row: u32,
}

/// No sheet, or no row, in a `Spot`.
pub(super) const NONE: u32 = u32::MAX;

impl Spot {
    pub fn file(i: usize) -> Spot {
        Spot {
            file: i as u32,
            sheet: NONE,
            row: NONE,
        }
    }

    pub fn sheet(self) -> Option<u32> {
        (self.sheet != NONE).then_some(self.sheet)
    }

    pub fn row(self) -> Option<u32> {
        (self.row != NONE).then_some(self.row)
    }
}

/// Where a row is, its sheet named in `sheets`.
pub(super) fn spot(sheets: &mut Names, (file, sheet, row): &Place) -> Spot {
    Spot {
        file: *file as u32,
        sheet: sheets.id(sheet),
        row: *row,
    }
}

/// A row with an identity, as a pass reads it: 48 bytes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Keyed {
    pub place: Spot,
    /// Its place in its file's order (parts in order, each part's rows in order).
    pub seq: u32,
    pub kunci: u128,
    /// Unit, date and time of day (`moment`): where a revision is looked for.
    pub moment: u128,
}

impl Keyed {
    /// A row of nothing, to fill room with.
    pub const EMPTY: Keyed = Keyed {
        place: Spot {
            file: NONE,
            sheet: NONE,
            row: NONE,
        },
        seq: 0,
        kunci: 0,
        moment: 0,
    };

    /// The time of day is to the second (`HH:MM:SS`: the moment's clock is 8 bytes of text).
    pub fn second(&self) -> bool {
        let last = (self.moment as u64 >> 56) as u8;
        last != 0 && last & 0x80 == 0
    }

    /// The time of day is to the minute (`HH:MM`: the moment's clock is 5 bytes of text).
    pub fn minute(&self) -> bool {
        let clock = self.moment as u64;
        clock >> 40 == 0 && clock >> 32 != 0
    }

    /// Its precision as a bit: 1 to the second, 2 to the minute, 0 neither (a clock hashed).
    #[inline(always)]
    pub fn precision(&self) -> u8 {
        u8::from(self.second()) | (u8::from(self.minute()) << 1)
    }
}

/// A moment's minute: its unit, date and time of day cut to `HH:MM` (the clock's first five
/// bytes: a moment to the second and one to the minute of that minute give the same). The
/// shards are of minutes (`early::shard_of`), so a minute's rows, whatever their precision,
/// are in one pass.
pub(super) fn minute_of(moment: u128) -> u128 {
    moment & !(u128::from(0xFF_FFFFu32) << 40)
}

/// A spilled row: identity, moment (16 bytes each), file, sheet, row and its place in the
/// file's order (4 each), little-endian.
const RECORD: usize = 48;

/// The rows of a part a worker takes at once.
const SLICE: usize = 128 * 1024;

/// One slice of a part of a file reused from the cache, to spill: file, part, first row, rows,
/// the place of its first row in the file's order.
struct Item {
    file: usize,
    part: PathBuf,
    offset: usize,
    rows: usize,
    first: usize,
}

/// A file with keyed rows: its index in the inbox, and what its reading wrote down of them
/// when it was read this run (`None`: a file reused from the cache, read back from silver).
pub(super) type KeyedFile = (usize, Option<EarlyKeys>);

/// The parts of the files without an early log cut into slices, in order.
fn items(dirs: &SilverDirs, files: &[KeyedFile]) -> Result<Vec<Item>> {
    let mut out = Vec::new();
    for (file, _) in files.iter().filter(|(_, early)| early.is_none()) {
        let mut first = 0;
        for (_, part) in parts_of(dirs, *file)? {
            let n = rows_of(&part)?;
            for offset in (0..n).step_by(SLICE) {
                out.push(Item {
                    file: *file,
                    part: part.clone(),
                    offset,
                    rows: SLICE.min(n - offset),
                    first: first + offset,
                });
            }
            first += n;
        }
    }
    Ok(out)
}

/// A file's early log, with the run's ids of its units and sheets.
struct Early {
    file: usize,
    keys: EarlyKeys,
    units: Vec<u32>,
    sheets: Vec<u32>,
}

/// The most bucket files open at once while spilling (workers × passes): well under the
/// usual limit of 1024 open files a process has, beside the run's other files. 30M keyed rows
/// (58 passes) spill on 8 workers at most.
const OPEN_BUCKETS: u64 = 512;

/// The buffer of each bucket a worker writes.
const BUCKET_BUFFER: usize = 32 * 1024;

/// The rows of every pass: the files' early logs, and the rows of files reused from the cache
/// spilled into one bucket a pass (a file per worker and pass, in a folder removed when
/// dropped).
pub(super) struct Buckets {
    dir: PathBuf,
    passes: u64,
    /// The workers that spilled (none when every file has its log).
    workers: usize,
    early: Vec<Early>,
}

/// What the workers share while spilling: the names, and whether one has failed.
struct Shared<'a> {
    names: Mutex<(&'a mut Names, &'a mut Names)>,
    next: AtomicUsize,
    stop: AtomicBool,
}

impl Buckets {
    /// The keyed rows of `files` (indices into the inbox, each with keyed rows) for `passes`
    /// passes (at most `early::SHARDS`): a file's early log is kept as it is (its ids of units
    /// and sheets given the run's); a file without one is read back from silver, a slice of
    /// a part at a time on up to `super::workers()` threads, into the passes' buckets under
    /// `SilverDirs::keys`. Sheets and units are named in `sheets` and `units`.
    pub fn spill(
        dirs: &SilverDirs,
        files: Vec<KeyedFile>,
        passes: u64,
        (sheets, units): (&mut Names, &mut Names),
    ) -> Result<Buckets> {
        let dir = dirs.keys();
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).with_context(|| cannot(&dir))?;
        let items = items(dirs, &files)?;
        let early: Vec<Early> = (files.into_iter())
            .filter_map(|(file, e)| e.map(|keys| (file, keys)))
            .map(|(file, keys)| Early {
                file,
                units: keys.units.iter().map(|u| units.id(u)).collect(),
                sheets: keys.sheets.iter().map(|s| sheets.id(s)).collect(),
                keys,
            })
            .collect();
        // Each worker keeps a bucket file open for every pass: the workers are as many as the
        // open files allow (`OPEN_BUCKETS`), not more.
        let by_files = (OPEN_BUCKETS / passes.max(1)).max(1) as usize;
        let workers = super::workers().min(items.len()).min(by_files);
        let buckets = Buckets {
            dir,
            passes: passes.max(1),
            workers,
            early,
        };
        let shared = Shared {
            names: Mutex::new((sheets, units)),
            next: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        };
        let errors: Vec<anyhow::Error> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers)
                .map(|w| {
                    let (b, shared, items) = (&buckets, &shared, &items);
                    s.spawn(move || {
                        let r = b.spill_worker(w, items, shared);
                        if r.is_err() {
                            shared.stop.store(true, Ordering::Relaxed);
                        }
                        r
                    })
                })
                .collect();
            handles
                .into_iter()
                .filter_map(|h| match h.join() {
                    Ok(r) => r.err(),
                    Err(_) => Some(anyhow::anyhow!("a worker spilling identities panicked")),
                })
                .collect()
        });
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(buckets),
        }
    }

    fn path(&self, worker: usize, pass: u64) -> PathBuf {
        self.dir.join(format!("{worker}.{pass}"))
    }

    /// One worker: the slices it takes, one after the other, into its own bucket files.
    fn spill_worker(&self, w: usize, items: &[Item], shared: &Shared<'_>) -> Result<()> {
        let mut out: Vec<Records> = (0..self.passes)
            .map(|p| {
                let path = self.path(w, p);
                let f = std::fs::File::create(&path).map_err(|e| {
                    let why = cannot_open(&path, &e);
                    anyhow::Error::new(e).context(why)
                })?;
                Ok(Records::new(f, BUCKET_BUFFER))
            })
            .collect::<Result<_>>()?;
        let mut local = Local::default();
        loop {
            let k = shared.next.fetch_add(1, Ordering::Relaxed);
            if k >= items.len() || shared.stop.load(Ordering::Relaxed) {
                break;
            }
            let it = &items[k];
            let df = read_slice(&it.part, &COLUMNS, it.offset, it.rows)?;
            self.spill_slice(&df, it, (&mut local, &shared.names), &mut out)?;
        }
        for mut o in out {
            o.flush().with_context(|| cannot(&self.dir))?;
        }
        Ok(())
    }

    /// The keyed rows of one slice of a file's part, each into its pass's bucket.
    fn spill_slice(
        &self,
        df: &DataFrame,
        it: &Item,
        (local, names): (&mut Local, &Mutex<(&mut Names, &mut Names)>),
        out: &mut [Records],
    ) -> Result<()> {
        let text = |c: &str| -> Result<StringChunked> {
            Ok(df.column(c)?.cast(&DataType::String)?.str()?.clone())
        };
        let (sheet, unit, jam, kunci) = (
            text("sheet")?,
            text("unit_id")?,
            text("jam")?,
            text("kunci")?,
        );
        let tanggal = df.column("tanggal")?.cast(&DataType::Int32)?;
        let (tanggal, row) = (tanggal.i32()?, df.column("source_row")?.u32()?);
        let rows = kunci.iter().zip(jam.iter()).zip(unit.iter());
        let rows = rows.zip(sheet.iter().zip(tanggal.iter()).zip(row.iter()));
        let mut record = [0u8; RECORD];
        let mut last_unit: Option<(&str, u64)> = None;
        for (r, (((k, j), u), ((s, t), n))) in rows.enumerate() {
            let (Some(k), Some(j)) = (k, j) else {
                continue;
            };
            let u = u.unwrap_or("");
            let (day, clock) = (day_of(t), clock_of(j.as_bytes()));
            let hash = match last_unit {
                Some((name, h)) if name == u => h,
                _ => name_hash(u),
            };
            last_unit = Some((u, hash));
            let pass = pass_of(shard_of(hash, day, clock), self.passes);
            let unit = local.id(Which::Unit, u, names);
            let sheet = local.id(Which::Sheet, s.unwrap_or(""), names);
            let keyed = Keyed {
                place: Spot {
                    file: it.file as u32,
                    sheet,
                    row: n.unwrap_or(0),
                },
                seq: (it.first + r) as u32,
                kunci: hex_u128(k),
                moment: moment(unit, day, clock),
            };
            self.put(&keyed, pass, &mut record, out)?;
        }
        Ok(())
    }

    /// One keyed row into the bucket of its pass.
    fn put(
        &self,
        k: &Keyed,
        pass: u64,
        record: &mut [u8; RECORD],
        out: &mut [Records],
    ) -> Result<()> {
        record[..16].copy_from_slice(&k.kunci.to_le_bytes());
        record[16..32].copy_from_slice(&k.moment.to_le_bytes());
        record[32..36].copy_from_slice(&k.place.file.to_le_bytes());
        record[36..40].copy_from_slice(&k.place.sheet.to_le_bytes());
        record[40..44].copy_from_slice(&k.place.row.to_le_bytes());
        record[44..].copy_from_slice(&k.seq.to_le_bytes());
        out[pass as usize]
            .push(record)
            .with_context(|| cannot(&self.dir))
    }

    /// The rows of `pass`: every worker's bucket in turn (whose files are removed once read),
    /// then its shards of every early log, appended to `out`.
    pub fn read(&self, pass: u64, out: &mut Vec<Keyed>) -> Result<()> {
        for w in 0..self.workers {
            let path = self.path(w, pass);
            read_bucket(&path, out)?;
            let _ = std::fs::remove_file(&path);
        }
        let shards = shard_range(pass, self.passes);
        for e in &self.early {
            e.keys.read(shards.clone(), &mut |r, seq| {
                out.push(Keyed {
                    place: Spot {
                        file: e.file as u32,
                        sheet: e.sheets[r.sheet as usize],
                        row: r.row,
                    },
                    seq,
                    kunci: r.kunci,
                    moment: moment(e.units[r.unit as usize], r.day, r.clock),
                });
                Ok(())
            })?;
        }
        Ok(())
    }
}

impl Drop for Buckets {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What an operator reads when the spill cannot be written (`.with_context(|| cannot(p))`).
/// `cannot`, unless the process may open no more files (EMFILE, ENFILE): then that, and what
/// to do.
fn cannot_open(p: &Path, e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(24) | Some(23) => format!(
            "cannot open {}: too many files are open at once (the spill of the duplicates pass \
             keeps a file open for every pass on each worker); raise the limit of open files \
             for the job (`ulimit -n 4096` in its script) or set SKM_WORKERS lower, and run \
             again",
            p.display()
        ),
        _ => cannot(p),
    }
}

fn cannot(p: &Path) -> String {
    format!(
        "cannot write the identities spilled for the duplicates pass into {}: is the disk of \
         the output folder full? Free space there (the spill takes about 48 bytes per response \
         with a time of day, and is removed when the pass ends) and run again",
        p.display()
    )
}

/// The columns a keyed row is read from.
const COLUMNS: [&str; 6] = ["sheet", "unit_id", "tanggal", "jam", "kunci", "source_row"];

fn read_bucket(path: &Path, out: &mut Vec<Keyed>) -> Result<()> {
    let why = || format!("cannot read {}", path.display());
    let mut f = std::fs::File::open(path).with_context(why)?;
    let u32_at = |r: &[u8], at: usize| u32::from_le_bytes(r[at..at + 4].try_into().expect("4"));
    let len = f.metadata().with_context(why)?.len() as usize;
    let mut buf = vec![0u8; len.div_ceil(RECORD).clamp(1, READ_RECORDS) * RECORD];
    loop {
        let n = read_full(&mut f, &mut buf).with_context(why)?;
        if n % RECORD != 0 {
            anyhow::bail!(
                "{} ends in the middle of a record ({n} bytes read): was the disk full when \
                 it was written? Free space in the output folder and run again",
                path.display()
            );
        }
        for r in buf[..n].chunks_exact(RECORD) {
            out.push(Keyed {
                place: Spot {
                    file: u32_at(r, 32),
                    sheet: u32_at(r, 36),
                    row: u32_at(r, 40),
                },
                seq: u32_at(r, 44),
                kunci: u128::from_le_bytes(r[..16].try_into().expect("16 bytes")),
                moment: u128::from_le_bytes(r[16..32].try_into().expect("16 bytes")),
            });
        }
        if n < buf.len() {
            return Ok(());
        }
    }
}

#[derive(Clone, Copy)]
enum Which {
    Sheet,
    Unit,
}

/// A worker's own copy of the ids it has met: the shared `Names` is locked only for a name
/// it has not.
#[derive(Default)]
struct Local {
    ids: [PlHashMap<Box<str>, u32>; 2],
    /// The last name asked of each kind and its id: a slice's rows are of one sheet, and often
    /// of one unit after another.
    last: [(String, Option<u32>); 2],
}

impl Local {
    fn id(&mut self, which: Which, name: &str, names: &Mutex<(&mut Names, &mut Names)>) -> u32 {
        if let (n, Some(id)) = &self.last[which as usize] {
            if n == name {
                return *id;
            }
        }
        let id = self.find(which, name, names);
        let last = &mut self.last[which as usize];
        last.0.clear();
        last.0.push_str(name);
        last.1 = Some(id);
        id
    }

    fn find(&mut self, which: Which, name: &str, names: &Mutex<(&mut Names, &mut Names)>) -> u32 {
        let ids = &mut self.ids[which as usize];
        if let Some(&id) = ids.get(name) {
            return id;
        }
        let mut g = names.lock().unwrap_or_else(|e| e.into_inner());
        let id = match which {
            Which::Sheet => g.0.id_of(name),
            Which::Unit => g.1.id_of(name),
        };
        ids.insert(name.into(), id);
        id
    }
}

/// A `kunci` (32 hexadecimal digits) as its number, as `u128::from_str_radix(k, 16)` reads
/// it (0 for a text that is not one): the text silver writes read by its two halves side by
/// side, a table look-up a digit, since it is read back for every keyed row; any other text by
/// the general parser.
fn hex_u128(k: &str) -> u128 {
    if let Ok(b) = <&[u8; 32]>::try_from(k.as_bytes()) {
        let (mut hi, mut lo, mut bad) = (0u64, 0u64, 0u8);
        for i in 0..16 {
            let (h, l) = (HEX[b[i] as usize], HEX[b[16 + i] as usize]);
            bad |= h | l;
            hi = hi << 4 | u64::from(h & 0xF);
            lo = lo << 4 | u64::from(l & 0xF);
        }
        if bad & 0x80 == 0 {
            return u128::from(hi) << 64 | u128::from(lo);
        }
    }
    u128::from_str_radix(k, 16).unwrap_or(0)
}

/// Each byte's value as a hexadecimal digit; 0xFF for a byte that is not one.
const HEX: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = match c as u8 {
            d @ b'0'..=b'9' => d - b'0',
            d @ b'a'..=b'f' => d - b'a' + 10,
            d @ b'A'..=b'F' => d - b'A' + 10,
            _ => 0xFF,
        };
        c += 1;
    }
    t
};

/// `moment` of a date and a time of day's text (the tests' rows).
#[cfg(test)]
pub(super) fn moment_of(unit: u32, day: Option<i32>, jam: &[u8]) -> u128 {
    moment(unit, day_of(day), clock_of(jam))
}

/// A moment (unit, date, time of day) as one number, exactly: the unit's id (`Names::id_of`,
/// the same in every file and pass), the day since 1970 (`day_of`), and the time of day's text
/// (`HH:MM` or `HH:MM:SS`: at most 8 bytes) as its bytes (`clock_of`).
fn moment(unit: u32, day: u32, clock: u64) -> u128 {
    (u128::from(unit) << 96) | (u128::from(day) << 64) | u128::from(clock)
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_is_from_str_radix() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut texts: Vec<String> = ["", "0", "f", "G", "00ff", "-1", "+1", "ＡＢ", " 1"]
            .map(String::from)
            .into();
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = u128::from(x) << 64 | u128::from(x.rotate_left(17));
            texts.push(format!("{n:032x}"));
            texts.push(format!("{n:X}"));
            texts.push(format!("{:x}", n >> (x % 128)));
        }
        texts.push("1".repeat(33));
        // Thirty-two bytes that are not all digits: the general parser decides.
        let digits = "0123456789abcdef0123456789ABCDEF";
        for (i, bad) in [
            (0, '+'),
            (0, '-'),
            (5, 'g'),
            (16, ' '),
            (31, 'G'),
            (15, 'é'),
        ] {
            let mut t: String = digits.chars().take(i).collect();
            t.push(bad);
            t.extend(digits.chars().skip(i + 1));
            texts.push(t.chars().take(32).collect());
        }
        for t in texts {
            let want = u128::from_str_radix(&t, 16).unwrap_or(0);
            assert_eq!(super::hex_u128(&t), want, "{t:?}");
        }
    }

    #[test]
    fn too_many_open_files_says_so_and_what_to_do() {
        let p = std::path::Path::new("/out/silver/.keys/3.17");
        let m = super::cannot_open(p, &std::io::Error::from_raw_os_error(24));
        assert!(
            m.contains("too many files") && m.contains("ulimit -n"),
            "{m}"
        );
        assert!(m.contains("3.17"), "{m}");
        // ENOSPC: the disk, as before.
        let full = super::cannot_open(p, &std::io::Error::from_raw_os_error(28));
        assert!(full.contains("disk") && full.contains("full"), "{full}");
    }
}

#[cfg(test)]
mod early_tests {
    use super::super::early::{EarlyKeys, EarlyLog, PieceKeys};
    use super::*;
    use crate::domain::Periode;
    use crate::normalize::PeriodeBasis;
    use crate::normalize::Response;
    use std::collections::HashMap;
    use std::sync::Arc;

    /// Rows of two years taking turns, of three units and two sheets, most with a time of day
    /// (an identity), some without a date.
    fn response(i: usize) -> Response {
        let day = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()
            + chrono::Days::new(i as u64 % 700);
        let mut r = Response {
            unit_id: ["kec-a", "kecamatan-bekasi-utara-panjang", "dinas-c"][(i / 5) % 3],
            tahun: 2023 + ((i / 7) % 2) as i32,
            periode: Periode::TW1,
            periode_basis: PeriodeBasis::Kolom,
            tanggal: (!i.is_multiple_of(9)).then_some(day),
            jam: (!i.is_multiple_of(4))
                .then(|| format!("{:02}:{:02}:{:02}", i % 24, i % 60, i % 7).into()),
            jenis_layanan: None,
            jenis_kelamin: None,
            umur: None,
            umur_kelompok: None,
            pendidikan: None,
            pekerjaan: None,
            skor: [Some(3); 9],
            source_file: "a.xlsx",
            sheet: ["Sheet1", "Respon formulir 1"][(i / 1500) % 2],
            source_row: 2 + i as u32,
            kunci: None,
        };
        r.kunci = r.identity();
        r
    }

    /// A silver folder in a temporary one (kept while the first is), `n` rows of `response`
    /// and how many have an identity.
    fn inbox(n: usize) -> (tempfile::TempDir, SilverDirs, Vec<Response>, usize) {
        let dir = tempfile::tempdir().unwrap();
        let dirs = super::super::SilverDirs::under(dir.path());
        let rows: Vec<Response> = (0..n).map(response).collect();
        let keyed = rows.iter().filter(|r| r.kunci.is_some()).count();
        (dir, dirs, rows, keyed)
    }

    /// Every bucket's rows, their unit and sheet by name (ids are given as workers meet them),
    /// and whether each minute's rows lie in one pass.
    fn spilled(
        dirs: &SilverDirs,
        early: Option<EarlyKeys>,
        passes: u64,
    ) -> Vec<(u128, Arc<str>, u128, Spot, u32)> {
        let (mut sheets, mut units) = (Names::default(), Names::default());
        let b = Buckets::spill(dirs, vec![(3, early)], passes, (&mut sheets, &mut units)).unwrap();
        let (mut all, mut pass_of) = (Vec::new(), HashMap::new());
        for pass in 0..passes {
            let mut rows: Vec<Keyed> = Vec::new();
            b.read(pass, &mut rows).unwrap();
            for k in rows {
                let unit = units.name((k.moment >> 96) as u32);
                let sheet = sheets.name(k.place.sheet);
                let names: Arc<str> = format!("{unit}/{sheet}").into();
                let place = Spot {
                    sheet: 0,
                    ..k.place
                };
                // (A minute's moments, to the second or not, in one pass.)
                let other = pass_of.insert(minute_of(k.moment), pass);
                assert!(other.is_none_or(|p| p == pass), "a minute in two passes");
                all.push((k.kunci, names, k.moment & (u128::MAX >> 32), place, k.seq));
            }
        }
        all.sort();
        all
    }

    #[test]
    fn spilled_from_the_log_equals_spilled_from_silver() {
        let (_dir, dirs, rows, keyed) = inbox(3000);
        // As a stream writes it down: a piece at a time (as file 4: its own log).
        let mut log = EarlyLog::default();
        for piece in rows.chunks(333) {
            let years = crate::normalize::frame::by_year(piece);
            log.add(&PieceKeys::of(&years), &dirs, 4).unwrap();
        }
        let pieces = log.finish().unwrap().expect("keyed rows");
        // Over one pass and over several (a pass a shard's range).
        for passes in [3, 1, 7] {
            let (_, _, early) = super::super::worker::write_parts(rows.clone(), 3, &dirs).unwrap();
            let early = early.expect("keyed rows");
            assert_eq!(early.rows, keyed);
            let from_silver = spilled(&dirs, None, passes);
            assert_eq!(from_silver.len(), keyed);
            let from_log = spilled(&dirs, Some(early), passes);
            assert_eq!(from_log.len(), from_silver.len());
            for (a, b) in from_log.iter().zip(&from_silver) {
                assert_eq!(a, b, "from the log, from silver");
            }
        }
        assert_eq!(spilled(&dirs, Some(pieces), 3), spilled(&dirs, None, 3));
        // (Each moment's rows are in one pass, whichever way they were read: `spilled`.)
    }

    /// A log of more than one run (`RUN_RECORDS`) read a pass at a time gives the rows silver
    /// gives.
    #[test]
    fn a_log_of_several_runs_equals_silver() {
        let (_dir, dirs, rows, keyed) = inbox(40_000);
        assert!(keyed > super::super::early::RUN_RECORDS, "{keyed}");
        let (_, _, early) = super::super::worker::write_parts(rows, 3, &dirs).unwrap();
        let from_log = spilled(&dirs, early, 5);
        assert_eq!(from_log.len(), keyed);
        assert_eq!(from_log, spilled(&dirs, None, 5));
    }

    /// A moment's rows are in the same pass whether they come from a log or a bucket: a log
    /// (a file read this run) and the same rows read back from silver (another file, reused
    /// from the cache), matched in one pass each.
    #[test]
    fn a_moment_of_a_log_and_of_a_bucket_is_in_one_pass() {
        let (_dir, dirs, rows, keyed) = inbox(3000);
        let (_, _, early) = super::super::worker::write_parts(rows, 3, &dirs).unwrap();
        let files = vec![(5, early), (3, None)];
        let (mut sheets, mut units) = (Names::default(), Names::default());
        let b = Buckets::spill(&dirs, files, 5, (&mut sheets, &mut units)).unwrap();
        let mut found = 0;
        for pass in 0..5 {
            let mut rows: Vec<Keyed> = Vec::new();
            b.read(pass, &mut rows).unwrap();
            found += rows.len();
            let mut of: HashMap<(u128, u32), usize> = HashMap::new();
            for k in &rows {
                *of.entry((k.kunci, k.place.row)).or_default() |= 1 << k.place.file;
            }
            // Each row of the log has its copy of the bucket in the same pass.
            assert!(
                of.values().all(|f| *f == (1 << 5) | (1 << 3)),
                "pass {pass}"
            );
        }
        assert_eq!(found, 2 * keyed);
    }

    /// A log or a bucket cut short (a disk that filled while it was written) is an error that
    /// names the file, not rows silently missing from the duplicates pass.
    #[test]
    fn a_spill_cut_short_is_an_error_naming_its_file() {
        let (_dir, dirs, rows, _) = inbox(3000);
        let mut log = EarlyLog::default();
        let years = crate::normalize::frame::by_year(&rows);
        log.add(&PieceKeys::of(&years), &dirs, 4).unwrap();
        let early = log.finish().unwrap().expect("keyed rows");
        let (mut sheets, mut units) = (Names::default(), Names::default());
        // A bucket (of the file read back from silver) losing the last 10 bytes of its last
        // record.
        super::super::worker::write_parts(rows, 3, &dirs).unwrap();
        let b = Buckets::spill(&dirs, vec![(3, None)], 1, (&mut sheets, &mut units)).unwrap();
        let len = |p: &Path| std::fs::metadata(p).unwrap().len();
        let all: u64 = (0..b.workers).map(|w| len(&b.path(w, 0))).sum();
        assert_eq!(all as usize, early.rows * RECORD);
        // (A worker that took no slice wrote an empty bucket.)
        let w = (0..b.workers).find(|&w| len(&b.path(w, 0)) > 0).unwrap();
        let bucket = b.path(w, 0);
        let len = len(&bucket);
        std::fs::OpenOptions::new()
            .write(true)
            .open(&bucket)
            .unwrap()
            .set_len(len - 10)
            .unwrap();
        let err = format!("{:#}", b.read(0, &mut Vec::new()).unwrap_err());
        assert!(err.contains("middle of a record"), "{err}");
        assert!(err.contains(&bucket.display().to_string()), "{err}");
        drop(b);
        // The log losing a whole record.
        let logs: Vec<_> = std::fs::read_dir(dirs.early()).unwrap().flatten().collect();
        assert_eq!(logs.len(), 1);
        let path = logs[0].path();
        let len = std::fs::metadata(&path).unwrap().len();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(len - RECORD as u64)
            .unwrap();
        let b = Buckets::spill(&dirs, vec![(3, Some(early))], 1, (&mut sheets, &mut units));
        let b = b.unwrap();
        let err = format!("{:#}", b.read(0, &mut Vec::new()).unwrap_err());
        assert!(
            err.contains("fewer identities than were written (1 missing)"),
            "{err}"
        );
        assert!(err.contains(&path.display().to_string()), "{err}");
        // The log gone (the output folder cleaned while the run went on): which file, what it
        // was, what to do.
        std::fs::remove_file(&path).unwrap();
        let err = format!("{:#}", b.read(0, &mut Vec::new()).unwrap_err());
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(
            err.contains("duplicates pass") && err.contains("run again"),
            "{err}"
        );
    }
}
