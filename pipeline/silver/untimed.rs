//! Rows without a time of day, sent again in a later file (docs/DOMAIN.md §1.11, "A log sent
//! again"; the alignment itself is `domain::resend`).
//!
//! While a file is read, the days its date-only rows fall on are noted per sheet, unit and year
//! (`Untimed`, kept with the file in the cache). After every file is read, only sheets of one
//! unit and year that share a day can hold the same rows: those, and only those, are read back
//! from silver (the rows' answers, profile and day, in file order), ordered from the latest
//! send to the earliest, and each earlier send aligned with every later one. Files that share
//! no day cost nothing more than the note.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use anyhow::Result;
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::scan::{parts_of, read_slices_of, Place};
use super::SilverDirs;
use crate::domain::resend::{self, Fate, LogRow};
use crate::domain::resend_unordered::{self as unordered, Fields, Packed, Rows};
use crate::domain::{Periode, UNSUR};
use crate::normalize::{Name, Response};

/// The days of one sheet's date-only rows of one unit and year: bit `d` for day `d` of the
/// year (0–365); rows without a date, bit 366 + the period's place in `Periode::ALL` (rows of
/// different periods are different waves, never the same rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Days {
    pub sheet: String,
    pub unit_id: String,
    pub tahun: i32,
    pub hari: [u64; 6],
}

impl Days {
    fn shares_a_day(&self, other: &Days) -> bool {
        self.hari.iter().zip(&other.hari).any(|(a, b)| a & b != 0)
    }
}

/// The days of a file's date-only rows (`Days`), sorted by sheet, unit and year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Untimed(pub Vec<Days>);

impl Untimed {
    /// The days of `rows`' date-only rows.
    pub fn of(rows: &[Response]) -> Untimed {
        let mut out = Untimed::default();
        out.add(rows);
        out
    }

    /// Notes the days of `rows`' date-only rows.
    pub fn add(&mut self, rows: &[Response]) {
        let mut last = usize::MAX;
        // The texts of the row that chose `last`: rows of one sheet share them (`Name`), so
        // most rows are placed by two pointer comparisons.
        let mut seen: Option<(Name, Name, i32)> = None;
        for r in rows.iter().filter(|r| r.kunci.is_none()) {
            let shared = seen.is_some_and(|(u, s, t)| {
                t == r.tahun && std::ptr::eq(u, r.unit_id) && std::ptr::eq(s, r.sheet)
            });
            if !shared {
                let same = |d: &Days| {
                    d.tahun == r.tahun && *d.unit_id == *r.unit_id && *d.sheet == *r.sheet
                };
                last = match self.0.iter().position(same) {
                    Some(i) => i,
                    None => {
                        self.0.push(Days {
                            sheet: r.sheet.to_string(),
                            unit_id: r.unit_id.to_string(),
                            tahun: r.tahun,
                            hari: [0; 6],
                        });
                        self.0.len() - 1
                    }
                };
                seen = Some((r.unit_id, r.sheet, r.tahun));
            }
            let bit = day_bit(r.tanggal, r.periode);
            self.0[last].hari[bit / 64] |= 1 << (bit % 64);
        }
    }

    /// Both files' days, sorted.
    pub fn merge(mut self, other: Untimed) -> Untimed {
        for d in other.0 {
            match self
                .0
                .iter_mut()
                .find(|e| e.sheet == d.sheet && e.unit_id == d.unit_id && e.tahun == d.tahun)
            {
                Some(e) => {
                    for (a, b) in e.hari.iter_mut().zip(d.hari) {
                        *a |= b;
                    }
                }
                None => self.0.push(d),
            }
        }
        self.0
            .sort_by(|a, b| (&a.sheet, &a.unit_id, a.tahun).cmp(&(&b.sheet, &b.unit_id, b.tahun)));
        self
    }
}

/// A row's bit in `Days`.
fn day_bit(tanggal: Option<chrono::NaiveDate>, periode: Periode) -> usize {
    match tanggal {
        Some(d) => chrono::Datelike::ordinal0(&d) as usize,
        None => 366 + Periode::ALL.iter().position(|p| *p == periode).unwrap_or(0),
    }
}

/// How an earlier send's row is not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum How {
    /// The same row in a later send.
    Sent,
    /// Corrected in a later send.
    Revised,
    /// Deleted from a later send (`counted` names that send, row 0).
    Deleted,
}

/// A date-only row that a later send holds, and the row that counts.
#[derive(Debug, Clone)]
pub(super) struct Resent {
    pub place: Place,
    pub how: How,
    pub counted: Place,
}

/// A send's sheet, unit and year.
type SendKey = (String, String, i32);

/// The days noted for each send of a file that is to be read back (`candidates`).
type Notes = HashMap<SendKey, Days>;

/// One send: one sheet's date-only rows of one unit and year, in file order.
struct Send {
    file: usize,
    sheet: Arc<str>,
    rows: Vec<u32>,
    log: Vec<LogRow>,
    /// Each row's fields, for a log sent again in another order (`resend_unordered`).
    fields: Vec<Packed>,
    hari: Days,
}

impl Send {
    fn rows(&self) -> Rows<'_> {
        Rows {
            log: &self.log,
            fields: &self.fields,
        }
    }
}

impl Send {
    fn last_day(&self) -> Option<i32> {
        self.log.iter().filter_map(|r| r.day).max()
    }
}

/// Every date-only row of an earlier send that a later send of the same unit and year holds
/// (`domain::resend`), with the row that counts. `untimed[i]`: file `i`'s days; `mtime[i]`: when
/// it was modified; `rank[i]`: its place in the preference order (0 is preferred, ties of time
/// broken by hash and path); `floor`: the least block.
pub(super) fn find(
    untimed: &[&Untimed],
    mtime: &[i128],
    rank: &[usize],
    dirs: &SilverDirs,
    floor: usize,
    each: &mut dyn FnMut(Resent),
) -> Result<()> {
    let wanted = candidates(untimed);
    if wanted.is_empty() {
        return Ok(());
    }
    let mut groups: BTreeMap<(String, i32), Vec<Send>> = BTreeMap::new();
    // The files read back on every core, their sends put together in file order.
    let files: Vec<(&usize, &Notes)> = wanted.iter().collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let read: Vec<Result<Vec<Send>>> = std::thread::scope(|sc| {
        let handles: Vec<_> = files
            .chunks(files.len().div_ceil(threads).max(1))
            .map(|part| {
                sc.spawn(move || {
                    part.iter()
                        .map(|(i, keys)| read_sends(dirs, **i, keys))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a reading thread does not panic"))
            .collect()
    });
    for sends in read {
        for s in sends? {
            groups
                .entry((s.hari.unit_id.clone(), s.hari.tahun))
                .or_default()
                .push(s);
        }
    }
    for (_, mut sends) in groups {
        if sends.len() < 2 {
            continue;
        }
        // The latest send first: the one whose last survey day is latest, then the longer (a
        // log grows: its content says which send is later, whenever the files were copied), then
        // the most recently modified file, the preferred file, the sheet's name.
        let order = |s: &Send| {
            (
                std::cmp::Reverse(s.last_day()),
                std::cmp::Reverse(s.log.len()),
                std::cmp::Reverse(mtime[s.file]),
                rank[s.file],
                s.sheet.clone(),
            )
        };
        sends.sort_by_cached_key(order);
        align_sends(&sends, floor, each);
    }
    Ok(())
}

/// For each file, the (sheet, unit, year) of its date-only rows that share a day with another
/// sheet's of the same unit and year.
fn candidates(untimed: &[&Untimed]) -> BTreeMap<usize, Notes> {
    let mut by_unit: BTreeMap<(&str, i32), Vec<(usize, &Days)>> = BTreeMap::new();
    for (i, u) in untimed.iter().enumerate() {
        for d in &u.0 {
            by_unit
                .entry((d.unit_id.as_str(), d.tahun))
                .or_default()
                .push((i, d));
        }
    }
    let mut out: BTreeMap<usize, Notes> = BTreeMap::new();
    for sheets in by_unit.values().filter(|s| s.len() > 1) {
        for (a, (i, da)) in sheets.iter().enumerate() {
            for (j, db) in &sheets[a + 1..] {
                if da.shares_a_day(db) {
                    for (f, d) in [(i, da), (j, db)] {
                        let key = (d.sheet.clone(), d.unit_id.clone(), d.tahun);
                        out.entry(*f).or_default().insert(key, (*d).clone());
                    }
                }
            }
        }
    }
    out
}

/// File `i`'s date-only rows of the (sheet, unit, year) noted in `notes`, one send each.
fn read_sends(dirs: &SilverDirs, i: usize, notes: &Notes) -> Result<Vec<Send>> {
    let years: BTreeSet<i32> = notes.keys().map(|k| k.2).collect();
    let mut columns = vec![
        "sheet",
        "unit_id",
        "tanggal",
        "periode",
        "kunci",
        "source_row",
        "umur",
    ];
    columns.extend(UNSUR.iter().map(|u| u.key));
    columns.extend(PROFILE);
    let mut sends: HashMap<SendKey, Send> = HashMap::new();
    for (tahun, p) in parts_of(dirs, i)? {
        if !years.contains(&tahun) {
            continue;
        }
        // Small slices: a file's texts cast to strings are held only a slice at a time.
        read_slices_of(&p, &columns, 64 * 1024, |df| {
            rows_of(df, i, tahun, notes, &mut sends)?;
            Ok(())
        })?;
    }
    let mut out: Vec<Send> = sends.into_values().collect();
    for s in &mut out {
        // In file order (a streamed file's chunks are written in order; sorted if not).
        s.rows.shrink_to_fit();
        s.log.shrink_to_fit();
        s.fields.shrink_to_fit();
        if s.rows.is_sorted() {
            continue;
        }
        let mut order: Vec<usize> = (0..s.rows.len()).collect();
        order.sort_by_key(|&k| s.rows[k]);
        s.rows = order.iter().map(|&k| s.rows[k]).collect();
        s.log = order.iter().map(|&k| s.log[k]).collect();
        s.fields = order.iter().map(|&k| s.fields[k]).collect();
    }
    out.sort_by(|a, b| (&a.sheet, &a.hari.unit_id).cmp(&(&b.sheet, &b.hari.unit_id)));
    Ok(out)
}

/// The profile columns a row's pattern includes (with `umur` and the nine answers).
const PROFILE: [&str; 5] = [
    "jenis_layanan",
    "jenis_kelamin",
    "umur_kelompok",
    "pendidikan",
    "pekerjaan",
];

/// What a row of a log is compared by, besides its day: its answers, profile values, age and
/// period.
struct Pattern<'a> {
    skor: [Option<i32>; 9],
    profile: [Option<&'a str>; 5],
    umur: Option<i32>,
    periode: Periode,
}

impl Pattern<'_> {
    fn hash(&self) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        self.skor.hash(&mut h);
        self.profile.hash(&mut h);
        self.umur.hash(&mut h);
        self.periode.hash(&mut h);
        h.finish()
    }

    /// Its fields, each reduced to 16 bits (`resend_unordered::Fields`): the nine answers, the
    /// five profile values, the age, and last the period.
    fn fields(&self) -> Fields {
        let small = |v: Option<i32>| v.map_or(u16::MAX, |v| v as u16);
        let text = |t: Option<&str>| {
            let mut h = std::hash::DefaultHasher::new();
            t.hash(&mut h);
            h.finish() as u16
        };
        let mut f: Fields = [0; unordered::FIELDS];
        for (k, s) in self.skor.iter().enumerate() {
            f[k] = small(*s);
        }
        for (k, p) in self.profile.iter().enumerate() {
            f[9 + k] = text(*p);
        }
        f[14] = small(self.umur);
        f[15] = Periode::ALL
            .iter()
            .position(|p| *p == self.periode)
            .unwrap_or(0) as u16;
        f
    }
}

/// A response as a row of a log (`domain::resend`), as the rows read back from silver are, and
/// its fields (`domain::resend_unordered`).
pub fn log_row(r: &Response) -> (LogRow, Packed) {
    let p = Pattern {
        skor: r.skor.map(|s| s.map(i32::from)),
        profile: [
            r.jenis_layanan.as_deref(),
            r.jenis_kelamin.as_deref(),
            r.umur_kelompok.as_deref(),
            r.pendidikan.as_deref(),
            r.pekerjaan.as_deref(),
        ],
        umur: r.umur,
        periode: r.periode,
    };
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
    let row = LogRow {
        pattern: p.hash(),
        day: r.tanggal.map(|d| (d - epoch).num_days() as i32),
    };
    (row, p.fields().into())
}

/// One slice's date-only rows of the wanted (sheet, unit, year), added to their sends.
fn rows_of(
    df: &DataFrame,
    i: usize,
    tahun: i32,
    notes: &Notes,
    sends: &mut HashMap<SendKey, Send>,
) -> Result<()> {
    let text = |c: &str| -> Result<StringChunked> {
        Ok(df.column(c)?.cast(&DataType::String)?.str()?.clone())
    };
    let int = |c: &str| -> Result<Int32Chunked> {
        Ok(df.column(c)?.cast(&DataType::Int32)?.i32()?.clone())
    };
    let (sheet, unit, kunci) = (text("sheet")?, text("unit_id")?, text("kunci")?);
    let periode = text("periode")?;
    let (tanggal, umur, row) = (int("tanggal")?, int("umur")?, int("source_row")?);
    let skor: Vec<Int32Chunked> = UNSUR.iter().map(|u| int(u.key)).collect::<Result<_>>()?;
    let profile: Vec<StringChunked> = PROFILE.iter().map(|c| text(c)).collect::<Result<_>>()?;
    let mut key = (String::new(), String::new(), tahun);
    let mut wanted = false;
    for r in 0..df.height() {
        if kunci.get(r).is_some() {
            continue;
        }
        let (s, u) = (sheet.get(r).unwrap_or(""), unit.get(r).unwrap_or(""));
        if key.0 != s || key.1 != u {
            key = (s.to_string(), u.to_string(), tahun);
            wanted = notes.contains_key(&key);
        }
        if !wanted {
            continue;
        }
        let periode = periode
            .get(r)
            .and_then(Periode::from_code)
            .unwrap_or(Periode::Tahun);
        let pattern = Pattern {
            skor: std::array::from_fn(|k| skor[k].get(r)),
            profile: std::array::from_fn(|k| profile[k].get(r)),
            umur: umur.get(r),
            periode,
        };
        let day = tanggal.get(r);
        let send = sends.entry(key.clone()).or_insert_with(|| Send {
            file: i,
            sheet: s.into(),
            rows: Vec::new(),
            log: Vec::new(),
            fields: Vec::new(),
            // The days of these rows, as noted while the file was read.
            hari: notes[&key].clone(),
        });
        send.rows.push(row.get(r).unwrap_or(0) as u32);
        send.log.push(LogRow {
            pattern: pattern.hash(),
            day,
        });
        send.fields.push(pattern.fields().into());
    }
    Ok(())
}

/// Each send's rows against every later send's (`sends` latest first): aligned by their order
/// (`domain::resend`), then, for the rows the alignment leaves counted, as a multiset when the
/// earlier send is contained in the later one in another order (`domain::resend_unordered`).
/// The first later send that accounts for a row decides it; a row matched to a row that is
/// itself not counted takes that row's fate.
fn align_sends(sends: &[Send], floor: usize, each: &mut dyn FnMut(Resent)) {
    // fate[s][r]: how row r of send s is not counted, and the row that counts.
    let mut fate: Vec<Vec<Option<(How, usize, usize)>>> =
        sends.iter().map(|s| vec![None; s.log.len()]).collect();
    for j in 1..sends.len() {
        for i in 0..j {
            if !sends[j].hari.shares_a_day(&sends[i].hari) {
                continue;
            }
            let Some(l) = resend::block_length(&sends[j].log, &sends[i].log, floor) else {
                continue;
            };
            let mut found = resend::align(&sends[j].log, &sends[i].log, l);
            unordered::fill(sends[j].rows(), sends[i].rows(), &mut found);
            for (r, f) in found.into_iter().enumerate() {
                if fate[j][r].is_some() {
                    continue;
                }
                fate[j][r] = match f {
                    None => None,
                    Some(Fate::Deleted) => Some((How::Deleted, i, usize::MAX)),
                    Some(Fate::Same(x)) => Some(fate[i][x].unwrap_or((How::Sent, i, x))),
                    Some(Fate::Revised(x)) => Some(match fate[i][x] {
                        None => (How::Revised, i, x),
                        Some((How::Deleted, s, x)) => (How::Deleted, s, x),
                        Some((_, s, x)) => (How::Revised, s, x),
                    }),
                };
            }
        }
    }
    for (j, rows) in fate.iter().enumerate() {
        for (r, f) in rows.iter().enumerate() {
            let Some((how, s, x)) = *f else { continue };
            let place = (sends[j].file, sends[j].sheet.clone(), sends[j].rows[r]);
            let row = if how == How::Deleted {
                0
            } else {
                sends[s].rows[x]
            };
            each(Resent {
                place,
                how,
                counted: (sends[s].file, sends[s].sheet.clone(), row),
            });
        }
    }
}
