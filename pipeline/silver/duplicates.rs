//! The same response counted once, however many times it arrives (docs/DOMAIN.md §1.11, "The same
//! response twice"; docs/inputs.md, "The same response twice").
//!
//! After every file is read, before anything is summed into gold:
//!
//! 1. **Identical files** (`identical`): files with the same bytes (BLAKE3) are read once; the
//!    copy that counts is the most recently modified (then the first path); the others are
//!    `berkas_identik`, none of their rows counted.
//! 2. **Within a file**: rows with the same identity (`kunci`) and a time of day to the second
//!    are one response submitted twice (`ganda_dalam_berkas`): the first counts. To the minute,
//!    two respondents may share it: both count.
//! 3. **Across files**: a response's copies are matched one to one. With `c_f` copies of an
//!    identity in file `f` (after step 2), `max_f c_f` are counted; the `k`-th copy counts from
//!    the most preferred file that has a `k`-th, the others are `tumpang_tindih`. Preference:
//!    the most recently modified file, then its content hash, then its path; never the order
//!    of reading or the threads.
//! 4. **Revisions**: at one unit, date and time of day, when exactly one row in each of two or
//!    more files is left unmatched, it is one response corrected: the most preferred (most
//!    recently modified) file's row counts, the others are `revisi` with what changed. Anything
//!    ambiguous (two unmatched rows in one file at that second) counts every row.
//! 5. **To the minute and to the second** (`minutes`): a row to the minute (`HH:MM`, a form's
//!    export saved again by Excel) and a row to the second of another file, still counted after
//!    steps 2–4, at one unit, date and `HH:MM` and equal in every other field (their identities
//!    with the time cut to `HH:MM`, read back from silver), are one response, matched one to
//!    one: the more preferred file's row counts, the other is `tumpang_tindih` (a row that
//!    counted for an earlier copy then names the row that counts now). Never two rows of one
//!    file, nor two rows one file holds both responses of (a row's copies not counted in steps
//!    2–4 count as its file's too: a file's rows are its own respondents); rows whose answers
//!    differ both count. The passes are of minutes (`early::shard_of`) so that a minute's rows
//!    of both precisions are in one; only a pass that holds both precisions does any of this.
//!
//! What is not counted is taken out of the files' sums (read back from their silver parts:
//! only those rows), of their accounting (`duplicates`) and listed in `duplikat.parquet`.
//! Silver keeps every accepted row, with its `kunci`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::PoisonError;

use anyhow::{Context as _, Result};
use polars::prelude::*;

use super::copied_sheets;
use super::early::SHARDS;
use super::keys::{self, Buckets, Keyed, KeyedFile, Names, Spot, NONE};
use super::minutes::{self, Met};
use super::scan::{parts_of, read_slices, read_slices_of, Place};
use super::sums;
use super::untimed::{self, How, Untimed};
use super::worker::{FileFacts, FileResult};
use super::SilverDirs;
use crate::domain::{Periode, UNSUR};
use crate::ingest::InboxFile;
use crate::normalize::{name, PeriodeBasis, Response, SheetKind};
use crate::tables::build::{Frame, Rows};

crate::labels! {
    /// Why a row or file is not counted (`duplikat.jenis`).
    pub enum Jenis {
        /// The same bytes as another file.
        BerkasIdentik = "berkas_identik",
        /// The same response in another file (an overlapping or cumulative export).
        TumpangTindih = "tumpang_tindih",
        /// A response corrected in a more recently modified file.
        Revisi = "revisi",
        /// The same response twice in one file, to the second.
        GandaDalamBerkas = "ganda_dalam_berkas",
        /// A row without a time of day of an earlier send of a log that a later send holds
        /// (aligned in order, or contained in another order, `silver::untimed`).
        DikirimUlang = "dikirim_ulang",
        /// A row without a time of day of an earlier send of a log, deleted from the later
        /// send (between two aligned blocks, or on a day a send contained in another order
        /// covers): the unit took it out.
        Dihapus = "dihapus",
        /// A row of a sheet without times of day that copies, in order, the rows of another
        /// sheet of its workbook (a unit's working sheet beside the form's responses,
        /// `silver::copied_sheets`).
        SalinanLembar = "salinan_lembar",
    }
}

/// The rows (or, for `berkas_identik`, whole files) not counted, each with the copy that is
/// (`duplikat.parquet`), sorted by file, sheet, row: file and sheet names kept once, the rows
/// as `Spot`s.
#[derive(Debug, Default)]
pub struct Duplikat {
    files: Vec<Arc<str>>,
    sheets: Names,
    rows: Vec<Uncounted>,
    /// What each revision changed (`Uncounted::change` is its index).
    changes: Vec<String>,
}

impl Duplikat {
    /// The rows of the `duplikat` table.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Its first `n` rows as a table of their own (a slice of the whole would keep all of them).
    pub fn head(&self, n: usize) -> PolarsResult<DataFrame> {
        self.frame_of(&self.rows[..n.min(self.rows.len())])
    }

    /// The `duplikat` table (schemas/outputs.toml) `rows` rows at a time (at least one frame,
    /// empty if there are no rows), its names as dictionaries (`tables::write_table_frames`
    /// writes them as they are).
    pub fn frames(&self, rows: usize) -> impl Iterator<Item = PolarsResult<Frame>> + '_ {
        let chunks: Vec<&[Uncounted]> = match self.rows.is_empty() {
            true => vec![&[]],
            false => self.rows.chunks(rows.max(1)).collect(),
        };
        chunks.into_iter().map(|c| self.rows_of(c).framed())
    }

    fn frame_of<'a>(&'a self, rows: &'a [Uncounted]) -> PolarsResult<DataFrame> {
        self.rows_of(rows).frame()
    }

    fn rows_of<'a>(&'a self, rows: &'a [Uncounted]) -> Rows<'a, Uncounted> {
        // Names and kinds repeat down a million rows: built as views of a few texts (`few`).
        let file = |s: Spot| &*self.files[s.file as usize];
        let sheet = |s: Spot| s.sheet().map(|i| &**self.sheets.name(i));
        Rows::new(rows)
            .few("source_file", move |u| Some(file(u.place)))
            .few("sheet", move |u| sheet(u.place))
            .col("source_row", |u| u.place.row())
            .few("jenis", |u| Some(u.jenis.as_str()))
            .few("dihitung_file", move |u| Some(file(u.counted)))
            .few("dihitung_sheet", move |u| sheet(u.counted))
            .col("dihitung_row", |u| u.counted.row())
            .col("perubahan", |u| {
                (u.change != NONE).then(|| self.changes[u.change as usize].as_str())
            })
    }

    /// The rows per kind (`berkas_identik`: files), for the closing summary.
    pub fn by_kind(&self) -> BTreeMap<String, usize> {
        // Counted by kind first (a text and a map entry a row cost a second's tenth for the
        // 2M copies of the bench's pair), then named.
        let mut n = vec![0usize; Jenis::ALL.len()];
        for u in &self.rows {
            n[u.jenis as usize] += 1;
        }
        (Jenis::ALL.iter().zip(n))
            .filter(|(_, n)| *n > 0)
            .map(|(j, n)| (j.as_str().to_string(), n))
            .collect()
    }

    /// In order of file, sheet and row (names, not indices).
    fn sort(&mut self) {
        // Names ranked once, so that a comparison is of numbers (a sheet's `NONE` first, as a
        // missing name sorts before any).
        // Each name's rank, and the name (its index) at each rank.
        fn ranks(names: &[Arc<str>]) -> (Vec<u32>, Vec<u32>) {
            let mut order: Vec<u32> = (0..names.len() as u32).collect();
            order.sort_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
            let mut rank = vec![0; names.len()];
            for (r, &i) in order.iter().enumerate() {
                rank[i as usize] = r as u32;
            }
            (rank, order)
        }
        let ((file, by_file), (sheet, by_sheet)) = (ranks(&self.files), ranks(&self.sheets.names));
        // The places written as their names' ranks while they are sorted, then back: a
        // comparison is of the rows' own numbers, not of two lookups each (2M copies of the
        // bench's pair: ~0.2 s on one core).
        let swap = |rows: &mut [Uncounted], file: &[u32], sheet: &[u32]| {
            for u in rows {
                u.place.file = file[u.place.file as usize];
                if let Some(i) = u.place.sheet() {
                    u.place.sheet = sheet[i as usize];
                }
            }
        };
        swap(&mut self.rows, &file, &sheet);
        // A missing sheet (`NONE`) and a missing row first, as a missing name sorts first.
        let key = |s: Spot| {
            (u128::from(s.file) << 64)
                | (u128::from(s.sheet.wrapping_add(1)) << 32)
                | u128::from(s.row.wrapping_add(1))
        };
        // In place, on every core: no two rows are at one place (a whole file is one row).
        use rayon::slice::ParallelSliceMut as _;
        self.rows.par_sort_unstable_by_key(|u| key(u.place));
        swap(&mut self.rows, &by_file, &by_sheet);
    }
}

/// Which copy of a response counts first: the most recently modified file, then the content
/// hash, then the path (`Ord`: smaller is preferred).
fn preference<'a>(
    f: &'a InboxFile,
    k: &'a FileFacts,
) -> (std::cmp::Reverse<i128>, &'a str, &'a str) {
    (
        std::cmp::Reverse(k.mtime_ns),
        k.blake3.as_str(),
        f.rel.as_str(),
    )
}

/// For each file, the file it is an identical copy of (`None`: it counts itself). Links,
/// empty files and files not hashed yet (no other file has their size: `hash_as_read`) are
/// never copies.
pub(super) fn identical(files: &[InboxFile], known: &[FileFacts]) -> Vec<Option<usize>> {
    let mut by_hash: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (f, k)) in files.iter().zip(known).enumerate() {
        if !f.link && k.size > 0 && !k.blake3.is_empty() {
            by_hash.entry(k.blake3.as_str()).or_default().push(i);
        }
    }
    let mut of = vec![None; files.len()];
    for group in by_hash.values().filter(|g| g.len() > 1) {
        let best = *group
            .iter()
            .min_by_key(|&&i| preference(&files[i], &known[i]))
            .expect("a group of two or more");
        for &i in group.iter().filter(|&&i| i != best) {
            of[i] = Some(best);
        }
    }
    of
}

/// A row not counted, and the copy that counts (`dihapus`: the send it was deleted from,
/// no row).
#[derive(Debug, Clone, Copy)]
struct Uncounted {
    place: Spot,
    counted: Spot,
    jenis: Jenis,
    /// What a revision changed: its index in `Duplikat::changes` (else `NONE`).
    change: u32,
}

impl Uncounted {
    fn new(place: Spot, jenis: Jenis, counted: Spot) -> Uncounted {
        Uncounted {
            place,
            counted,
            jenis,
            change: NONE,
        }
    }
}

/// Finds what is not counted among `results` (identical copies included), takes it out of
/// their sums and accounting, and returns the `duplikat` rows, sorted by file, sheet, row.
pub(super) fn apply(
    results: &mut [FileResult],
    files: &[InboxFile],
    known: &[FileFacts],
    copies: &[Option<usize>],
    dirs: &SilverDirs,
    floor: usize,
) -> Result<Duplikat> {
    let mut d = Duplikat {
        files: files.iter().map(|f| f.rel.as_str().into()).collect(),
        ..Duplikat::default()
    };
    let whole: Vec<Uncounted> = copies
        .iter()
        .enumerate()
        .filter_map(|(i, of)| {
            of.map(|j| Uncounted::new(Spot::file(i), Jenis::BerkasIdentik, Spot::file(j)))
        })
        .collect();
    // Every rule applies within one moment (unit, date, time of day): the keyed rows are taken
    // a share of the moments at a time, so memory is bounded whatever the number of rows.
    let total: usize = results.iter().map(|r| r.keyed).sum();
    let per_pass = std::env::var("SKM_KEYED_PER_PASS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(KEYED_PER_PASS);
    // (At most a pass a shard: past half a billion keyed rows, the passes grow instead.)
    let passes = total.div_ceil(per_pass).clamp(1, SHARDS) as u64;
    let rank = ranks(files, known);
    let mut uncounted = Vec::new();
    if total > 0 {
        // A file read this run gives the rows its reading wrote down; one reused, its parts.
        let keyed_files: Vec<KeyedFile> = (results.iter_mut().enumerate())
            .filter(|(_, r)| r.keyed > 0)
            .map(|(i, r)| (i, r.early.take().filter(|e| e.rows == r.keyed)))
            .collect();
        for r in results.iter_mut() {
            r.early = None;
        }
        let mut units = Names::default();
        let buckets = Buckets::spill(dirs, keyed_files, passes, (&mut d.sheets, &mut units))?;
        // A pass takes about its share of the keyed rows (the most shards a pass has, and a
        // sixteenth more for chance): room for them at once, not a vector doubled (and
        // copied) as they come.
        let most = (total as u64 * (SHARDS as u64).div_ceil(passes)).div_ceil(SHARDS as u64);
        let share = (most + most / 16 + 1024) as usize;
        let meeting;
        (uncounted, meeting) = match_passes(&buckets, passes, share, &rank)?;
        // Step 5: a response to the minute in one file and to the second in another.
        let sheets = &d.sheets;
        let pairs = minutes::pair(meeting, &rank, &mut |i, want, found| {
            minute_identities(dirs, i, want, sheets, found)
        })?;
        add_pairs(&mut uncounted, &pairs);
    }
    SilverDirs::forget_early(dirs);
    // Rows without a time of day: earlier sends of a log (`untimed`).
    let untimed: Vec<&Untimed> = results.iter().map(|r| &r.untimed).collect();
    let mtime: Vec<i128> = known.iter().map(|k| k.mtime_ns).collect();
    untimed::find(&untimed, &mtime, &rank, dirs, floor, &mut |r| {
        let jenis = match r.how {
            How::Sent => Jenis::DikirimUlang,
            How::Revised => Jenis::Revisi,
            How::Deleted => Jenis::Dihapus,
        };
        let mut counted = keys::spot(&mut d.sheets, &r.counted);
        if r.how == How::Deleted {
            counted.row = NONE;
        }
        uncounted.push(Uncounted::new(
            keys::spot(&mut d.sheets, &r.place),
            jenis,
            counted,
        ));
    })?;
    // Sheets that copy another sheet of their file (only a workbook of two questionnaire
    // sheets or more, with rows with and without a time of day, can hold one: a CSV file, or a
    // big one read as a stream, is not read back), but for rows a log sent again already
    // accounts for.
    let sheets = |r: &FileResult| {
        (r.account.sheets.iter())
            .filter(|(_, o)| o.kind == SheetKind::Kuesioner && o.accepted > 0)
            .count()
    };
    let both: Vec<usize> = (results.iter().enumerate())
        .filter(|(_, r)| r.keyed > 0 && !r.untimed.0.is_empty() && sheets(r) >= 2)
        .map(|(i, _)| i)
        .collect();
    // The rows of those files only (none, mostly): the 2M copies of a cumulative export
    // hashed into a set cost a third of a second on one core where no file could hold a copy.
    let taken: HashSet<Spot> = match both.is_empty() {
        true => HashSet::new(),
        false => (uncounted.iter())
            .filter(|u| both.contains(&(u.place.file as usize)))
            .map(|u| u.place)
            .collect(),
    };
    copied_sheets::find(&both, dirs, floor, &mut |c| {
        let place = keys::spot(&mut d.sheets, &c.place);
        if !taken.contains(&place) {
            let counted = keys::spot(&mut d.sheets, &c.counted);
            uncounted.push(Uncounted::new(place, Jenis::SalinanLembar, counted));
        }
    })?;
    describe_revisions(&mut d, &mut uncounted, dirs)?;
    take_out(results, &d, &uncounted, dirs)?;
    // (The rows stay where they are: a copy of a million of them is memory the run keeps.)
    uncounted.extend(whole);
    d.rows = uncounted;
    d.sort();
    Ok(d)
}

/// The rows a row to the minute and a row to the second are one response of (`minutes::pair`:
/// not counted, counted) taken out: `tumpang_tindih`, as any copy across files; a row not
/// counted before whose counted copy is one of them names the copy counted now.
fn add_pairs(uncounted: &mut Vec<Uncounted>, pairs: &[(Spot, Spot)]) {
    if pairs.is_empty() {
        return;
    }
    let to: HashMap<Spot, Spot> = pairs.iter().copied().collect();
    for u in uncounted.iter_mut() {
        if let Some(w) = to.get(&u.counted) {
            u.counted = *w;
        }
    }
    let copies = pairs.iter().map(|(gone, counted)| (*gone, *counted));
    uncounted.extend(copies.map(|(g, c)| Uncounted::new(g, Jenis::TumpangTindih, c)));
}

/// The identities of file `i`'s rows at `want` with their time of day cut to the minute
/// (`HH:MM`), read back from silver, each given to `found` (`minutes::pair`).
fn minute_identities(
    dirs: &SilverDirs,
    i: usize,
    want: &[Spot],
    sheets: &Names,
    found: &mut dyn FnMut(Spot, u128),
) -> Result<()> {
    let wanted = Wanted::new(want.iter().map(|s| (sheets.name(s.sheet), s.row)));
    let columns = response_columns();
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    for (tahun, p) in parts_of(dirs, i)? {
        read_slices_of(&p, &columns, GONE_SLICE, |df| {
            for mut r in responses_of(df, tahun, &wanted)? {
                r.jam = r.jam.map(|j| j.get(..5).unwrap_or(&j).into());
                let (Some(sheet), Some(id)) = (sheets.find(r.sheet), r.identity()) else {
                    continue;
                };
                let place = Spot {
                    file: i as u32,
                    sheet,
                    row: r.source_row,
                };
                found(place, u128::from_be_bytes(id));
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// The keyed rows of a pass (`apply`; `SKM_KEYED_PER_PASS` sets it, for the tests and
/// benchmarks): a pass holds 48 bytes a row, and as much again to group them by moment
/// (`group_by_moment`'s scratch); two passes are matched at once (`matchers`). Measured on a 3M + 2M cumulative
/// pair of timestamped exports (BENCHMARKS.md).
const KEYED_PER_PASS: usize = 512 * 1024;

/// What each revision changed, read back from silver (both versions).
fn describe_revisions(
    d: &mut Duplikat,
    uncounted: &mut [Uncounted],
    dirs: &SilverDirs,
) -> Result<()> {
    let place = |s: Spot| -> Place { (s.file as usize, d.sheets.name(s.sheet).clone(), s.row) };
    let revised: Vec<(Place, Place)> = uncounted
        .iter()
        .filter(|u| u.jenis == Jenis::Revisi)
        .map(|u| (place(u.place), place(u.counted)))
        .collect();
    let rows = read_rows(dirs, &revised)?;
    for u in uncounted.iter_mut().filter(|u| u.jenis == Jenis::Revisi) {
        let (old, new) = (&rows[&place(u.place)], &rows[&place(u.counted)]);
        u.change = d.changes.len() as u32;
        d.changes.push(changes(old, new));
    }
    Ok(())
}

/// How many passes are matched at once: two where the run has two threads (`workers`), each
/// holding its pass. Not more: memory grows by a pass (and its scratch) per matcher, and not smaller passes
/// instead, since the spill keeps a file open for every pass on each of its workers.
fn matchers() -> usize {
    super::workers().clamp(1, 2)
}

/// What the passes left: the rows not counted, and the counted rows of the minutes where rows to
/// the minute meet rows to the second (`match_copies`), for `minutes::pair`.
type Passes = (Vec<Uncounted>, Met);

/// `match_copies` over every pass, the passes shared by the cores (each a pass at a time, in
/// its own buffer of `share` rows: a pass's minutes are its own, so passes match apart); what
/// is not counted, in the order of the passes, and the rows where precisions meet.
fn match_passes(buckets: &Buckets, passes: u64, share: usize, rank: &[usize]) -> Result<Passes> {
    let threads = matchers().clamp(1, passes.max(1) as usize);
    let next = std::sync::atomic::AtomicU64::new(0);
    let failed = std::sync::atomic::AtomicBool::new(false);
    // Every pass's rows where precisions meet, in one vector whatever the pass (`minutes::pair`
    // sorts them): at the first, room for every keyed row reserved, of which only what is
    // written is memory, so that they are neither copied from vectors of their own nor moved
    // as it grows (a year's export to the minute beside half of it to the second: millions).
    let meeting = std::sync::Mutex::new(Met::default());
    let room = share.saturating_mul(passes as usize);
    let each = || -> Result<Vec<(u64, Vec<Uncounted>)>> {
        let (mut keyed, mut scratch, mut mine) =
            (Vec::with_capacity(share), Vec::new(), Vec::new());
        let mut met = Met::default();
        while !failed.load(std::sync::atomic::Ordering::Relaxed) {
            let pass = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if pass >= passes {
                break;
            }
            keyed.clear();
            if let Err(e) = buckets.read(pass, &mut keyed) {
                failed.store(true, std::sync::atomic::Ordering::Relaxed);
                return Err(e);
            }
            let u = match_copies(&mut keyed, &mut scratch, rank, &mut met);
            if !met.rows.is_empty() || !met.copies.is_empty() {
                let mut all = meeting.lock().unwrap_or_else(PoisonError::into_inner);
                if all.rows.capacity() == 0 {
                    all.rows.reserve_exact(room);
                }
                all.rows.append(&mut met.rows);
                all.copies.append(&mut met.copies);
            }
            mine.push((pass, u));
        }
        Ok(mine)
    };
    let mut done: Vec<(u64, Vec<Uncounted>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(each)).collect();
        let mut all = Vec::new();
        for h in handles {
            let mine = h
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("matching copies stopped")))?;
            all.extend(mine);
        }
        Ok::<_, anyhow::Error>(all)
    })?;
    done.sort_unstable_by_key(|(pass, _)| *pass);
    // Room for all of them at once (2M copies of a cumulative export: not a vector doubled).
    let mut all = Vec::with_capacity(done.iter().map(|(_, u)| u.len()).sum());
    for (_, u) in done {
        all.extend(u);
    }
    let meeting = meeting.into_inner().unwrap_or_else(PoisonError::into_inner);
    Ok((all, meeting))
}

/// Each file's place in the preference order (0 is preferred).
fn ranks(files: &[InboxFile], known: &[FileFacts]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by(|&a, &b| preference(&files[a], &known[a]).cmp(&preference(&files[b], &known[b])));
    let mut rank = vec![0; files.len()];
    for (r, i) in order.into_iter().enumerate() {
        rank[i] = r;
    }
    rank
}

/// Steps 2–4 of the module's rule over one pass's keyed rows. Every rule applies within one
/// moment, and an identity has one moment (its fields include unit, date and time of day): the
/// rows are grouped by moment and each moment's rows sorted by identity, file preference and
/// order read (`group_by_moment`), so that a moment's rows, an identity's copies and one file's
/// copies of it are each one run. No maps of rows. `scratch`: room for the grouping, kept
/// from pass to pass. The rows of the minutes where rows to the minute meet rows to the second
/// (`keep_shared`: none in most passes) are matched apart, and those still counted then are
/// added to `meeting` with the files of the copies not counted for them, for `minutes::pair`.
fn match_copies(
    keyed: &mut Vec<Keyed>,
    scratch: &mut Vec<Keyed>,
    rank: &[usize],
    meeting: &mut Met,
) -> Vec<Uncounted> {
    let mut meet = Vec::new();
    keep_shared(keyed, &mut meet);
    let mut out = match_moments(keyed, scratch, rank);
    if !meet.is_empty() {
        let gone = match_moments(&mut meet, scratch, rank);
        let places: HashSet<Spot> = gone.iter().map(|u| u.place).collect();
        meeting
            .rows
            .extend(meet.iter().filter(|k| !places.contains(&k.place)));
        let copies = gone.iter().filter(|u| u.place.file != u.counted.file);
        (meeting.copies).extend(copies.map(|u| (u.counted, u.place.file)));
        out.extend(gone);
    }
    out
}

/// Steps 2–4 over rows grouped by moment (`group_by_moment`).
fn match_moments(keyed: &mut [Keyed], scratch: &mut Vec<Keyed>, rank: &[usize]) -> Vec<Uncounted> {
    group_by_moment(keyed, scratch, rank);
    let mut out = Vec::new();
    for group in keyed.chunk_by(|a, b| a.moment == b.moment) {
        if group.len() > 1 {
            match_moment(group, rank, &mut out);
        }
    }
    out
}

/// A moment's hash, for `keep_shared`'s slots and `group_by_moment`'s digits (its top bits).
fn moment_hash(m: u128) -> u64 {
    let x = (m as u64) ^ ((m >> 64) as u64).rotate_left(21) ^ ((m >> 96) as u64);
    x.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The rows below which `group_by_moment` sorts them whole.
const GROUP_BY_SORT: usize = 4096;

const _: () = assert!(
    DIGITS.is_multiple_of(2),
    "the last digit's rows must land in `keyed`"
);

/// The radix digits of `group_by_moment`, and their bits: the hash's top 24 bits, in four
/// digits of six (64 places a digit: few enough for the CPU to keep writing to them all at
/// once; with two digits of 11 bits the writes went far apart and gained little on a sort).
const DIGITS: u32 = 4;
const DIGIT: u32 = 6;

/// Puts each moment's rows together, sorted by moment, identity, file preference and order
/// read; the moments in the order of their hash. The rows are distributed by the top 24 bits
/// of their moment's hash, a digit at a time (`DIGITS` counting sorts, between `keyed` and
/// `scratch`), then each run of one hash prefix (a moment's rows, and now and then two
/// moments') is sorted whole. Measured on the bench's pair (passes of half a million rows,
/// most moments two rows): about a third less time than one comparison sort of the pass.
/// Small passes are sorted whole.
fn group_by_moment(keyed: &mut [Keyed], scratch: &mut Vec<Keyed>, rank: &[usize]) {
    let full = |k: &Keyed| (k.moment, k.kunci, rank[k.place.file as usize], k.seq);
    if keyed.len() < GROUP_BY_SORT {
        keyed.sort_unstable_by_key(full);
        return;
    }
    const MASK: u64 = (1 << DIGIT) - 1;
    let prefix = |k: &Keyed| moment_hash(k.moment) >> (64 - DIGITS * DIGIT);
    let digit = |k: &Keyed, d: u32| (prefix(k) >> (DIGIT * d) & MASK) as usize;
    // Where each digit's rows begin, for every digit from one read.
    let mut starts = [[0usize; 1 << DIGIT]; DIGITS as usize];
    for k in keyed.iter() {
        for (d, s) in starts.iter_mut().enumerate() {
            s[digit(k, d as u32)] += 1;
        }
    }
    for s in starts.iter_mut() {
        let mut at = 0;
        for c in s.iter_mut() {
            (*c, at) = (at, at + *c);
        }
    }
    scratch.clear();
    scratch.resize(keyed.len(), Keyed::EMPTY);
    // The lowest digit first, back and forth (an even number of digits ends in `keyed`):
    // ordered by the prefix, since each counting sort keeps the order it is given.
    for (d, s) in starts.iter_mut().enumerate() {
        let (from, to): (&[Keyed], &mut [Keyed]) = match d % 2 {
            0 => (keyed, scratch),
            _ => (scratch, keyed),
        };
        for k in from {
            let at = &mut s[digit(k, d as u32)];
            to[*at] = *k;
            *at += 1;
        }
    }
    for run in keyed.chunk_by_mut(|a, b| prefix(a) == prefix(b)) {
        if run.len() > 1 {
            run.sort_unstable_by_key(full);
        }
    }
}

/// Keeps the rows whose moment another row may share, in order: two bits per hashed moment
/// (met once, met again), and a row alone in its slot is alone at its moment. What is sorted
/// then is the rows that can match: few where exports do not overlap. Sixteen slots a row (a
/// sixteenth of the rows share a slot by chance; with four, a fifth of them were sorted for
/// nothing). The set is larger than the CPU's caches (4 MiB for a million rows), so a slot's
/// two bits lie side by side: the words of 64 slots' "once" and "again" next to each other,
/// one cache line a row where two bit sets took two.
///
/// The same read finds whether the pass holds rows to the minute and rows to the second: if
/// so, the rows of the minutes where both are (`minutes::meeting`) are moved to `meet` first,
/// whole (a row alone at its moment may be a copy at the minute).
fn keep_shared(keyed: &mut Vec<Keyed>, meet: &mut Vec<Keyed>) {
    let (mut met, mut bits, precisions) = met_slots(keyed);
    if precisions == 3 {
        minutes::meeting(keyed, meet);
        (met, bits, _) = met_slots(keyed);
    }
    let slot = |m: u128| (moment_hash(m) >> (64 - bits)) as usize;
    keyed.retain(|k| {
        let s = slot(k.moment);
        met[2 * (s / 64) + 1] & (1u64 << (s % 64)) != 0
    });
}

/// `keep_shared`'s bits (met once, met again) of `keyed`'s moments, their slots' bits, and the
/// precisions of the rows (`Keyed::precision`, or'ed: 3 when rows to the minute and to the
/// second are both there).
fn met_slots(keyed: &[Keyed]) -> (Vec<u64>, u32, u8) {
    let bits = (keyed.len() * 16)
        .next_power_of_two()
        .max(64)
        .trailing_zeros();
    let slot = |m: u128| (moment_hash(m) >> (64 - bits)) as usize;
    // Words `2w` (met once) and `2w + 1` (met again) for slots `64w` to `64w + 63`.
    let mut met = vec![0u64; 2 * ((1 << bits) / 64)];
    let mut precisions = 0u8;
    for k in keyed.iter() {
        let s = slot(k.moment);
        let (word, bit) = (2 * (s / 64), 1u64 << (s % 64));
        met[word + 1] |= met[word] & bit;
        met[word] |= bit;
        precisions |= k.precision();
    }
    (met, bits, precisions)
}

/// The rule at one moment, its rows sorted by identity, file preference and order read.
fn match_moment(group: &[Keyed], rank: &[usize], out: &mut Vec<Uncounted>) {
    // Two rows of one identity (most moments an overlapping export shares): in two files, the
    // second (less preferred) is a copy of the first; in one, a double submission if to the
    // second. Nothing else can apply.
    if let [a, b] = group {
        if a.kunci == b.kunci {
            if a.place.file != b.place.file {
                out.push(Uncounted::new(b.place, Jenis::TumpangTindih, a.place));
            } else if a.second() {
                out.push(Uncounted::new(b.place, Jenis::GandaDalamBerkas, a.place));
            }
            return;
        }
    }
    let rank_of = |k: &Keyed| rank[k.place.file as usize];
    // Step 2: the same identity twice in one file, to the second: the first read counts.
    let mut left: Vec<&Keyed> = Vec::with_capacity(group.len());
    for run in group.chunk_by(|a, b| (a.kunci, a.place.file) == (b.kunci, b.place.file)) {
        if run[0].second() {
            left.push(&run[0]);
            for k in &run[1..] {
                out.push(Uncounted::new(
                    k.place,
                    Jenis::GandaDalamBerkas,
                    run[0].place,
                ));
            }
        } else {
            left.extend(run);
        }
    }
    // Step 4: revisions (rare: two files, two identities at one moment), which replace every
    // row of the response they supersede; the row that counts for a superseded one is the
    // first counted copy of the winning identity (the first of its run in `left`).
    let files = left.windows(2).any(|w| w[0].place.file != w[1].place.file);
    let identities = left.windows(2).any(|w| w[0].kunci != w[1].kunci);
    let superseded = match files && identities {
        true => {
            let mut by_file = left.clone();
            by_file.sort_unstable_by_key(|k| (rank_of(k), k.seq));
            revisions(&by_file, rank)
        }
        false => HashMap::new(),
    };
    let first_of = |kunci: u128| left.iter().find(|k| k.kunci == kunci).map(|k| k.place);
    // Step 3: an identity's copies across files, slot by slot: the `s`-th copy counts from
    // the most preferred file that has an `s`-th.
    for run in left.chunk_by(|a, b| a.kunci == b.kunci) {
        if let Some(winner) = superseded.get(&run[0].kunci) {
            let counted = first_of(*winner).expect("a winner is a row at this moment");
            for k in run {
                out.push(Uncounted::new(k.place, Jenis::Revisi, counted));
            }
            continue;
        }
        let by_file: Vec<&[&Keyed]> = run.chunk_by(|a, b| a.place.file == b.place.file).collect();
        for (f, copies) in by_file.iter().enumerate().skip(1) {
            for (s, k) in copies.iter().enumerate() {
                // The first file (in preference) with an `s`-th copy.
                if let Some(first) = by_file[..f].iter().find_map(|c| c.get(s)) {
                    out.push(Uncounted::new(k.place, Jenis::TumpangTindih, first.place));
                }
            }
        }
    }
}

/// Step 4: at one moment (unit, date, time of day), two files each with exactly one row the
/// other lacks pair those rows as versions of one response. Versions linked this way are one
/// response; the version in the most preferred file wins. Returns superseded identity →
/// winning identity.
fn revisions(left: &[&Keyed], rank: &[usize]) -> HashMap<u128, u128> {
    let rank_of = |i: u32| rank[left[i as usize].place.file as usize];
    let mut order: Vec<u32> = (0..left.len() as u32).collect();
    order.sort_unstable_by_key(|&i| (left[i as usize].moment, rank_of(i), i));
    let same_moment = |a: &u32, b: &u32| left[*a as usize].moment == left[*b as usize].moment;
    let mut out = HashMap::new();
    for group in order.chunk_by(same_moment) {
        let by_file: Vec<&[u32]> = group.chunk_by(|a, b| rank_of(*a) == rank_of(*b)).collect();
        if by_file.len() < 2 {
            continue;
        }
        let per_file: Vec<Vec<&Keyed>> = by_file
            .iter()
            .map(|f| f.iter().map(|&i| left[i as usize]).collect())
            .collect();
        // Union-find over the identities at this moment.
        let mut parent: BTreeMap<u128, u128> = BTreeMap::new();
        fn root(p: &BTreeMap<u128, u128>, mut x: u128) -> u128 {
            while let Some(&y) = p.get(&x).filter(|y| **y != x) {
                x = y;
            }
            x
        }
        let files: Vec<&Vec<&Keyed>> = per_file.iter().collect();
        for (a, fa) in files.iter().enumerate() {
            for fb in &files[a + 1..] {
                let lacks = |x: &Vec<&Keyed>, y: &Vec<&Keyed>| -> Vec<u128> {
                    x.iter()
                        .filter(|r| !y.iter().any(|o| o.kunci == r.kunci))
                        .map(|r| r.kunci)
                        .collect()
                };
                let (ua, ub) = (lacks(fa, fb), lacks(fb, fa));
                if let ([x], [y]) = (ua.as_slice(), ub.as_slice()) {
                    let (rx, ry) = (root(&parent, *x), root(&parent, *y));
                    if rx != ry {
                        parent.insert(rx, ry);
                        parent.entry(ry).or_insert(ry);
                    }
                }
            }
        }
        // The winner of each group: the identity in the most preferred file (files are in
        // rank order, rows in file order).
        let mut winner: BTreeMap<u128, u128> = BTreeMap::new();
        for r in files.iter().flat_map(|f| f.iter()) {
            if parent.contains_key(&r.kunci) {
                winner.entry(root(&parent, r.kunci)).or_insert(r.kunci);
            }
        }
        for &k in parent.keys() {
            let w = winner[&root(&parent, k)];
            if k != w {
                out.insert(k, w);
            }
        }
    }
    out
}

/// The rows named by `pairs` (both sides: the revisions, for what changed) read back from
/// silver as responses.
fn read_rows(dirs: &SilverDirs, pairs: &[(Place, Place)]) -> Result<HashMap<Place, Response>> {
    let mut wanted: BTreeMap<usize, HashSet<(Arc<str>, u32)>> = BTreeMap::new();
    for (a, b) in pairs {
        for p in [a, b] {
            wanted.entry(p.0).or_default().insert((p.1.clone(), p.2));
        }
    }
    let mut out = HashMap::new();
    let columns = response_columns();
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    for (i, want) in wanted {
        let want = Wanted::new(want.iter().map(|(s, r)| (s, *r)));
        for (tahun, p) in parts_of(dirs, i)? {
            read_slices(&p, &columns, |df| {
                for r in responses_of(df, tahun, &want)? {
                    out.insert((i, Arc::from(r.sheet), r.source_row), r);
                }
                Ok(())
            })?;
        }
    }
    Ok(out)
}

/// Silver's columns but the year (which is in the folder name).
fn response_columns() -> Vec<String> {
    crate::tables::Dictionary::embedded_ref()
        .table("responses")
        .columns
        .iter()
        .map(|c| c.name.clone())
        .filter(|c| c != crate::tables::hive::COLUMN)
        .collect()
}

/// Rows of one file wanted back, per sheet as a bit per row number.
struct Wanted(Vec<(Arc<str>, Vec<u64>)>);

impl Wanted {
    fn new<'a>(places: impl IntoIterator<Item = (&'a Arc<str>, u32)>) -> Wanted {
        let mut w = Wanted(Vec::new());
        for (sheet, row) in places {
            let i = match w.0.iter().position(|(s, _)| s == sheet) {
                Some(i) => i,
                None => {
                    w.0.push((sheet.clone(), Vec::new()));
                    w.0.len() - 1
                }
            };
            let bits = &mut w.0[i].1;
            let k = row as usize / 64;
            if bits.len() <= k {
                bits.resize(k + 1, 0);
            }
            bits[k] |= 1 << (row % 64);
        }
        w
    }

    fn has(&self, sheet: &str, row: u32) -> bool {
        self.0.iter().any(|(s, bits)| {
            **s == *sheet
                && bits
                    .get(row as usize / 64)
                    .is_some_and(|b| b & (1 << (row % 64)) != 0)
        })
    }
}

/// A silver part's rows named in `want` (sheet, row) as responses (`tahun`
/// from its folder).
fn responses_of(df: &DataFrame, tahun: i32, want: &Wanted) -> Result<Vec<Response>> {
    let text = |c: &str| -> Result<StringChunked> {
        Ok(df.column(c)?.cast(&DataType::String)?.str()?.clone())
    };
    let int = |c: &str| -> Result<Int32Chunked> {
        Ok(df.column(c)?.cast(&DataType::Int32)?.i32()?.clone())
    };
    let (unit, periode, basis, jam) = (
        text("unit_id")?,
        text("periode")?,
        text("periode_basis")?,
        text("jam")?,
    );
    let profile: Vec<StringChunked> = [
        "jenis_layanan",
        "jenis_kelamin",
        "umur_kelompok",
        "pendidikan",
        "pekerjaan",
    ]
    .iter()
    .map(|c| text(c))
    .collect::<Result<_>>()?;
    let (file, sheet, kunci) = (text("source_file")?, text("sheet")?, text("kunci")?);
    let (tanggal, umur, row) = (int("tanggal")?, int("umur")?, int("source_row")?);
    let skor: Vec<Int32Chunked> = UNSUR.iter().map(|u| int(u.key)).collect::<Result<_>>()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
    // A column's last text and what it was made into: a part's rows mostly repeat their
    // unit, file, sheet and profile values (millions of rows are read back where a year's
    // export to the minute meets its half to the second: `minutes`), so the names are not
    // looked up and the texts not copied again a row.
    let mut names = [name(""); 3];
    let mut named = |k: usize, t: Option<&str>| {
        let t = t.unwrap_or("");
        if names[k] != t {
            names[k] = name(t);
        }
        names[k]
    };
    let mut shared: [Option<(&str, crate::normalize::Shared)>; 5] = Default::default();
    let mut arc = |k: usize, r: usize| {
        let t = profile[k].get(r)?;
        match &shared[k] {
            Some((last, v)) if *last == t => Some(v.clone()),
            _ => {
                let v = crate::normalize::Shared::from(t);
                shared[k] = Some((t, v.clone()));
                Some(v)
            }
        }
    };
    let mut out = Vec::new();
    for r in 0..df.height() {
        if !want.has(sheet.get(r).unwrap_or(""), row.get(r).unwrap_or(0) as u32) {
            continue;
        }
        let mut s = [None; 9];
        for (k, c) in skor.iter().enumerate() {
            s[k] = c.get(r).map(|v| v as u8);
        }
        out.push(Response {
            unit_id: named(0, unit.get(r)),
            tahun,
            periode: periode
                .get(r)
                .and_then(Periode::from_code)
                .context("silver: periode")?,
            periode_basis: basis
                .get(r)
                .and_then(PeriodeBasis::parse)
                .context("silver: periode_basis")?,
            tanggal: tanggal
                .get(r)
                .map(|d| epoch + chrono::Duration::days(i64::from(d))),
            jam: jam.get(r).map(Into::into),
            jenis_layanan: arc(0, r),
            jenis_kelamin: arc(1, r),
            umur: umur.get(r),
            umur_kelompok: arc(2, r),
            pendidikan: arc(3, r),
            pekerjaan: arc(4, r),
            skor: s,
            source_file: named(1, file.get(r)),
            sheet: named(2, sheet.get(r)),
            source_row: row.get(r).unwrap_or(0) as u32,
            kunci: kunci
                .get(r)
                .and_then(|h| u128::from_str_radix(h, 16).ok())
                .map(u128::to_be_bytes),
        });
    }
    Ok(out)
}

/// What a revision changed: `kolom: old → new` for each column that differs.
fn changes(old: &Response, new: &Response) -> String {
    type Field = fn(&Response) -> Option<String>;
    fn text(v: &Option<crate::normalize::Shared>) -> Option<String> {
        v.as_deref().map(str::to_string)
    }
    // Every column a revision can change, in the order it is reported (after the nine answers).
    let fields: [(&str, Field); 7] = [
        ("jenis_layanan", |r| text(&r.jenis_layanan)),
        ("jenis_kelamin", |r| text(&r.jenis_kelamin)),
        ("umur", |r| r.umur.map(|u| u.to_string())),
        ("umur_kelompok", |r| text(&r.umur_kelompok)),
        ("pendidikan", |r| text(&r.pendidikan)),
        ("pekerjaan", |r| text(&r.pekerjaan)),
        ("periode", |r| Some(r.periode.code().into())),
    ];
    let answers = UNSUR.iter().enumerate().map(|(k, u)| {
        let skor = |r: &Response| r.skor[k].map(|s| s.to_string());
        (u.key, skor(old), skor(new))
    });
    let others = fields.iter().map(|(c, f)| (*c, f(old), f(new)));
    let show = |v: Option<String>| v.unwrap_or_else(|| "(kosong)".to_string());
    answers
        .chain(others)
        .filter(|(_, a, b)| a != b)
        .map(|(c, a, b)| format!("{c}: {} → {}", show(a), show(b)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The uncounted rows taken out of their files' sums (read back from silver a slice at a
/// time: only their sums are kept), accounting and manifest rows; a sheet none of whose
/// responses counts names where they are counted.
fn take_out(
    results: &mut [FileResult],
    d: &Duplikat,
    uncounted: &[Uncounted],
    dirs: &SilverDirs,
) -> Result<()> {
    // Each file's rows not counted, with room for them counted first.
    let mut counts = vec![0usize; results.len()];
    uncounted
        .iter()
        .for_each(|u| counts[u.place.file as usize] += 1);
    let mut per_file: BTreeMap<usize, Vec<&Uncounted>> = (counts.iter().enumerate())
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| (i, Vec::with_capacity(*n)))
        .collect();
    for u in uncounted {
        per_file.entry(u.place.file as usize).or_default().push(u);
    }
    for (i, us) in per_file {
        let r = &mut results[i];
        if us.len() == r.manifest.accepted {
            // None of the file's rows counts (an earlier cumulative export): none of its sums,
            // and nothing to read back.
            r.sums = Vec::new();
        } else {
            let gone = gone_sums(dirs, i, &us, &d.sheets)?;
            r.sums = sums::subtract(std::mem::take(&mut r.sums), &gone);
        }
        r.manifest.accepted -= us.len();
        r.manifest.duplicates += us.len();
        // Each sheet's id among the rows' sheets, once (not its name compared a row).
        let sheet_ids: Vec<Option<u32>> = (r.account.sheets.iter())
            .map(|(sheet, _)| d.sheets.find(sheet))
            .collect();
        for ((_, o), id) in r.account.sheets.iter_mut().zip(sheet_ids) {
            let Some(id) = id else { continue };
            let here = || us.iter().filter(move |u| u.place.sheet == id);
            let n = here().count();
            if n == 0 {
                continue;
            }
            o.accepted -= n;
            o.duplicates += n;
            if o.accepted == 0 {
                // The files counted instead, marked (not a set of every row).
                let mut files = vec![false; d.files.len()];
                here().for_each(|u| files[u.counted.file as usize] = true);
                files[i] = false;
                let elsewhere: std::collections::BTreeSet<&str> = (files.iter().enumerate())
                    .filter(|(_, &f)| f)
                    .map(|(f, _)| &*d.files[f])
                    .collect();
                if !elsewhere.is_empty() {
                    o.contained_in = Some(elsewhere.into_iter().collect::<Vec<_>>().join("; "));
                }
            }
        }
    }
    Ok(())
}

/// The sums of file `i`'s rows in `us`, read back from its silver parts.
fn gone_sums(
    dirs: &SilverDirs,
    i: usize,
    us: &[&Uncounted],
    sheets: &Names,
) -> Result<Vec<sums::SumRow>> {
    let want = Wanted::new(us.iter().map(|u| (sheets.name(u.place.sheet), u.place.row)));
    let columns = response_columns();
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut pieces = Vec::new();
    for (tahun, p) in parts_of(dirs, i)? {
        // A slice's rows become responses (texts and all) only to be summed: few at a time.
        read_slices_of(&p, &columns, GONE_SLICE, |df| {
            let gone = responses_of(df, tahun, &want)?;
            if !gone.is_empty() {
                pieces.push(sums::partial_sums(&gone));
            }
            if pieces.len() >= 16 {
                let merged = sums::merge(std::mem::take(&mut pieces));
                pieces.push(merged);
            }
            Ok(())
        })?;
    }
    Ok(sums::merge(pieces))
}

/// The rows of a part read at once to sum the rows not counted.
const GONE_SLICE: usize = 32 * 1024;

#[cfg(test)]
mod tests {
    use super::super::early::u128_of;
    use super::super::keys::moment_of;
    use super::*;

    #[test]
    fn rows_sort_by_file_sheet_and_row_names_missing_first() {
        // Files and sheets numbered in another order than their names'.
        let files = ["c.xlsx", "a.csv", "b.xlsx"];
        let mut d = Duplikat {
            files: files.iter().map(|f| Arc::from(*f)).collect(),
            ..Duplikat::default()
        };
        let (s2, s1) = (d.sheets.id_of("Sheet2"), d.sheets.id_of("Sheet1"));
        let at = |file: u32, sheet: u32, row: u32| Spot { file, sheet, row };
        let places = [
            at(0, s2, 7),
            at(0, s1, 70_000),
            at(2, NONE, NONE),
            at(1, NONE, 5),
            at(0, s1, 3),
            at(1, NONE, NONE),
            at(0, NONE, 9),
            at(2, s1, 1),
        ];
        d.rows = (places.iter())
            .map(|&p| Uncounted::new(p, Jenis::DikirimUlang, at(1, NONE, 1)))
            .collect();
        d.sort();
        let got: Vec<(String, Option<String>, Option<u32>)> = (d.rows.iter())
            .map(|u| {
                let sheet = u.place.sheet().map(|i| d.sheets.name(i).to_string());
                (
                    files[u.place.file as usize].to_string(),
                    sheet,
                    u.place.row(),
                )
            })
            .collect();
        let want = [
            ("a.csv", None, None),
            ("a.csv", None, Some(5)),
            ("b.xlsx", None, None),
            ("b.xlsx", Some("Sheet1"), Some(1)),
            ("c.xlsx", None, Some(9)),
            ("c.xlsx", Some("Sheet1"), Some(3)),
            ("c.xlsx", Some("Sheet1"), Some(70_000)),
            ("c.xlsx", Some("Sheet2"), Some(7)),
        ]
        .map(|(f, s, r)| (f.to_string(), s.map(str::to_string), r));
        assert_eq!(got, want);
        // The places themselves are back to their indices.
        assert!(d
            .rows
            .iter()
            .all(|u| u.counted.file == 1 && u.place.file < 3));
    }

    /// A row of `file` at a moment to the second (`moment` names its unit).
    fn k(file: usize, row: u32, kunci: &str, moment: &str) -> Keyed {
        let h = |s: &str| u128_of(blake3::hash(s.as_bytes()).as_bytes());
        Keyed {
            place: Spot {
                file: file as u32,
                sheet: 0,
                row,
            },
            seq: 0,
            kunci: h(kunci),
            moment: moment_of(h(moment) as u32, Some(19_000), b"10:15:30"),
        }
    }

    /// The same row at a moment to the minute.
    fn minute(k: Keyed) -> Keyed {
        Keyed {
            moment: moment_of((k.moment >> 96) as u32, Some(19_000), b"10:15"),
            ..k
        }
    }

    /// `rows` as one pass reads them (in this order), matched.
    fn matched(rows: impl IntoIterator<Item = Keyed>, rank: &[usize]) -> Vec<Uncounted> {
        let mut rows: Vec<Keyed> = rows.into_iter().collect();
        for (i, r) in rows.iter_mut().enumerate() {
            r.seq = i as u32;
        }
        match_copies(&mut rows, &mut Vec::new(), rank, &mut Met::default())
    }

    /// The matching as first written (maps and index sorts over a whole pass), for
    /// `matching_by_runs_equals_the_reference_on_random_passes`. Rows are grouped by sorting their
    /// indices (by identity, by moment), not in maps of every row: a few bytes a row.
    fn reference(keyed: &[Keyed], rank: &[usize]) -> Vec<Uncounted> {
        let (mut out, left) = within_files(keyed);
        let rank_of = |i: u32| rank[left[i as usize].place.file as usize];
        // Step 3: copies across files, slot by slot: the rows of an identity, the most preferred
        // file's first, each file's in order. `copy_of[row]`: the row of `left` that counts for it.
        let mut order: Vec<u32> = (0..left.len() as u32).collect();
        order.sort_unstable_by_key(|&i| (left[i as usize].kunci, rank_of(i), i));
        let same_kunci = |a: &u32, b: &u32| left[*a as usize].kunci == left[*b as usize].kunci;
        let mut copy_of: Vec<u32> = vec![NONE; left.len()];
        for group in order.chunk_by(same_kunci).filter(|g| g.len() > 1) {
            let files: Vec<&[u32]> = group.chunk_by(|a, b| rank_of(*a) == rank_of(*b)).collect();
            let slots = files.iter().map(|f| f.len()).max().unwrap_or(0);
            for s in 0..slots {
                let mut copies = files.iter().filter_map(|f| f.get(s));
                let Some(&counted) = copies.next() else {
                    continue;
                };
                for &c in copies {
                    copy_of[c as usize] = counted;
                }
            }
        }
        // Step 4: revisions, which replace every row of the response they supersede; the row that
        // counts for a superseded one is the first counted copy of the winning identity (the first
        // of its group in `order`).
        let superseded = revisions(&left, rank);
        let winners: HashSet<u128> = superseded.values().copied().collect();
        let mut first_counted: HashMap<u128, Spot> = HashMap::new();
        for &i in &order {
            let k = left[i as usize];
            if winners.contains(&k.kunci) {
                first_counted.entry(k.kunci).or_insert(k.place);
            }
        }
        for (i, k) in left.iter().enumerate() {
            if let Some(winner) = superseded.get(&k.kunci) {
                out.push(Uncounted::new(
                    k.place,
                    Jenis::Revisi,
                    first_counted[winner],
                ));
            } else if copy_of[i] != NONE {
                let counted = left[copy_of[i] as usize].place;
                out.push(Uncounted::new(k.place, Jenis::TumpangTindih, counted));
            }
        }
        out
    }

    /// Step 2: the same response twice in one file, to the second: the first in the file counts.
    /// The rows left, in order.
    fn within_files(keyed: &[Keyed]) -> (Vec<Uncounted>, Vec<&Keyed>) {
        let mut twice: Vec<u32> = (0..keyed.len() as u32)
            .filter(|&i| keyed[i as usize].second())
            .collect();
        twice.sort_unstable_by_key(|&i| {
            let k = &keyed[i as usize];
            (k.place.file, k.kunci, i)
        });
        let mut out = Vec::new();
        let mut dropped = vec![false; keyed.len()];
        let same = |a: &u32, b: &u32| {
            let (a, b) = (&keyed[*a as usize], &keyed[*b as usize]);
            (a.place.file, a.kunci) == (b.place.file, b.kunci)
        };
        for group in twice.chunk_by(same).filter(|g| g.len() > 1) {
            let first = keyed[group[0] as usize].place;
            for &i in &group[1..] {
                dropped[i as usize] = true;
                let k = &keyed[i as usize];
                out.push(Uncounted::new(k.place, Jenis::GandaDalamBerkas, first));
            }
        }
        let left = keyed
            .iter()
            .zip(&dropped)
            .filter(|(_, d)| !**d)
            .map(|(k, _)| k)
            .collect();
        (out, left)
    }

    #[test]
    fn matching_by_runs_equals_the_reference_on_random_passes() {
        // Few files, moments and identities, so that copies, double submissions, revisions
        // and ambiguous moments all occur.
        let mut rng = crate::rng::Rng::new(29);
        let mut seen = BTreeMap::new();
        for case in 0..400 {
            let files = 1 + rng.below(4);
            let mut rank: Vec<usize> = (0..files).collect();
            rng.shuffle(&mut rank);
            let n = 1 + rng.below(40);
            let seq = random_pass(&mut rng, n, files, 6);
            let want = reference(&seq, &rank);
            let got = matched(seq, &rank);
            assert_eq!(kinds(&got), kinds(&want), "case {case}");
            for u in &want {
                *seen.entry(u.jenis.as_str()).or_insert(0) += 1;
            }
        }
        // Every kind a pass finds was among them.
        assert_eq!(seen.len(), 3, "{seen:?}");
    }

    /// `n` rows of a pass in the order read, of `files` files and `moments` moments (a third
    /// of them to the minute: an identity has one moment), three identities a moment, so that
    /// copies, double submissions, revisions and ambiguous moments all occur.
    fn random_pass(
        rng: &mut crate::rng::Rng,
        n: usize,
        files: usize,
        moments: usize,
    ) -> Vec<Keyed> {
        (0..n)
            .map(|r| {
                let m = rng.below(moments);
                let row = k(
                    rng.below(files),
                    r as u32,
                    &format!("{m}-{}", rng.below(3)),
                    &format!("m{m}"),
                );
                let row = Keyed {
                    seq: r as u32,
                    ..row
                };
                match m % 3 {
                    0 => minute(row),
                    _ => row,
                }
            })
            .collect()
    }

    /// A pass large enough to be grouped by its moments' hashes (`group_by_moment`), of every
    /// kind of copy, against the reference: thousands of moments, a few rows each.
    #[test]
    fn grouping_a_large_pass_by_hashed_moments_equals_the_reference() {
        let mut rng = crate::rng::Rng::new(7);
        for case in 0..3 {
            let files = 2 + case;
            let mut rank: Vec<usize> = (0..files).collect();
            rng.shuffle(&mut rank);
            let n = GROUP_BY_SORT * (2 + case);
            let rows = random_pass(&mut rng, n, files, n / 3);
            let want = reference(&rows, &rank);
            assert!(want.len() > n / 4, "case {case}: {} copies", want.len());
            let mut scratch = Vec::new();
            let got = match_copies(&mut rows.clone(), &mut scratch, &rank, &mut Met::default());
            assert_eq!(kinds(&got), kinds(&want), "case {case}");
            // The scratch kept from a larger pass serves a smaller one (of moments dense
            // enough that more than `GROUP_BY_SORT` rows share theirs).
            let small = &mut random_pass(&mut rng, GROUP_BY_SORT * 2, files, GROUP_BY_SORT / 4);
            let want = reference(small, &rank);
            let shared = {
                let mut k = small.clone();
                keep_shared(&mut k, &mut Vec::new());
                k.len()
            };
            assert!(shared > GROUP_BY_SORT && shared < n, "{shared}");
            assert_eq!(
                kinds(&match_copies(
                    small,
                    &mut scratch,
                    &rank,
                    &mut Met::default()
                )),
                kinds(&want)
            );
        }
    }

    #[test]
    fn a_moment_says_whether_it_is_to_the_second() {
        assert!(k(0, 2, "x", "m").second());
        assert!(!minute(k(0, 2, "x", "m")).second());
        assert!(minute(k(0, 2, "x", "m")).minute());
        assert!(!k(0, 2, "x", "m").minute());
        let precisions = [k(0, 2, "x", "m"), minute(k(0, 2, "x", "m"))].map(|k| k.precision());
        assert_eq!(precisions, [1, 2]);
        let long = Keyed {
            moment: moment_of(1, Some(1), b"10:15:30.250"),
            ..k(0, 2, "x", "m")
        };
        assert!(!long.second() && !long.minute());
    }

    fn kinds(u: &[Uncounted]) -> Vec<(usize, u32, &str, usize, u32)> {
        let mut v: Vec<_> = u
            .iter()
            .map(|u| {
                (
                    u.place.file as usize,
                    u.place.row,
                    u.jenis.as_str(),
                    u.counted.file as usize,
                    u.counted.row,
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn copies_match_one_to_one_and_the_preferred_file_counts() {
        // File 1 is preferred (rank 0). Two identical responses at minute precision in each
        // file are two responses: two counted, from file 1.
        let rows = [
            k(0, 2, "x", "m"),
            k(0, 3, "x", "m"),
            k(1, 2, "x", "m"),
            k(1, 3, "x", "m"),
        ];
        let u = matched(rows.map(minute), &[1, 0]);
        assert_eq!(
            kinds(&u),
            vec![
                (0, 2, "tumpang_tindih", 1, 2),
                (0, 3, "tumpang_tindih", 1, 3)
            ]
        );
    }

    #[test]
    fn a_double_submission_counts_once_and_a_revision_is_paired() {
        let rows = [
            k(0, 2, "x", "m1"),
            k(0, 3, "x", "m1"),
            k(0, 4, "old", "m2"),
            k(1, 2, "new", "m2"),
        ];
        let u = matched(rows, &[1, 0]);
        assert_eq!(
            kinds(&u),
            vec![(0, 3, "ganda_dalam_berkas", 0, 2), (0, 4, "revisi", 1, 2)]
        );
    }

    #[test]
    fn two_unmatched_rows_at_one_moment_are_ambiguous_and_all_count() {
        let rows = [k(0, 2, "a", "m"), k(0, 3, "b", "m"), k(1, 2, "c", "m")];
        assert!(matched(rows, &[1, 0]).is_empty());
    }

    #[test]
    fn a_revision_in_the_newest_of_three_files_replaces_both_old_copies() {
        // File 2 is the newest (rank 0) and revised the response files 0 and 1 hold alike.
        let rows = [
            k(0, 2, "old", "m"),
            k(1, 2, "old", "m"),
            k(2, 2, "new", "m"),
        ];
        let u = matched(rows, &[2, 1, 0]);
        assert_eq!(
            kinds(&u),
            vec![(0, 2, "revisi", 2, 2), (1, 2, "revisi", 2, 2)]
        );
    }
}
