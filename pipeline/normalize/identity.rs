//! Response identities (`kunci`): what they hash, and hashing them a piece at a time.
//!
//! An identity is the BLAKE3 hash of the response's fields as text (`Response::identity`, the
//! definition; `tests::identity_as_written` keeps the bytes as they were first written).
//! Hashed one by one, each takes two or three compressions of BLAKE3 one after the other (the
//! bytes are 100–190 long: two or three 64-byte blocks), and their latency was a large part of
//! a timestamped row's extra cost. Here the rows' bytes are gathered first, the rows grouped by
//! how many blocks they take, and each group's rows compressed as many at a time as the CPU's
//! vectors hold (`lanes`: 16 with AVX-512, 8 with AVX2 or plain code), block after block, each
//! row's last block of its own length: the same hash, no compression one row at a time. A row
//! longer than a chunk (1,024 bytes: long profile texts) is hashed by `blake3::hash`. The bytes
//! are written into the batch's buffer with copies of a few fixed sizes (`Writer`), not a
//! `memcpy` call a field.
//!
//! `tests::same_as_blake3_hash` compares every length from 1 byte to past a chunk with
//! `blake3::hash`, with every kernel the CPU running the tests has.

use chrono::NaiveDate;

use crate::domain::Periode;

#[cfg(target_arch = "x86_64")]
use super::lanes::{compress_avx2, compress_avx512};
use super::lanes::{compress_plain, Kernel, Lanes, IV};
use super::Response;

const BLOCK: usize = 64;
/// The blocks of a chunk: a row longer is hashed by `blake3::hash` (a tree of chunks).
const CHUNK_BLOCKS: usize = 16;
/// BLAKE3's block flags (the specification, §2.1).
const CHUNK_START: u8 = 1;
const CHUNK_END: u8 = 2;
const ROOT: u8 = 8;
/// Rows hashed together: enough for each group of rows of one number of blocks to fill the
/// SIMD lanes.
const BATCH: usize = 1024;
/// The bytes a batch holds (a block more is kept past them: `Batch::lanes` reads a whole block
/// from where a row's last begins).
const CAPACITY: usize = BATCH * 192;
/// The room a row usually takes at most: the batch is hashed when less is left (a longer
/// row that finds too little room is hashed alone).
const ROOM: usize = 256;

impl Response {
    /// What identifies a response across files (docs/DOMAIN.md §1.11, "The same response twice"):
    /// its unit, year, period, date and time of day, its nine answers and its profile values,
    /// hashed (BLAKE3, the first 128 bits). `None` without a time of day: two respondents may
    /// give the same answers on the same day, so rows with a date alone are never merged.
    /// (`fill` gives the same a piece at a time.)
    pub fn identity(&self) -> Option<[u8; 16]> {
        let jam = self.jam.as_deref()?;
        let mut b = Vec::with_capacity(256);
        self.identity_bytes(&mut b, jam);
        Some(first_16(blake3::hash(&b).as_bytes()))
    }

    /// The fields an identity hashes, as text, each followed by 0x1F.
    fn identity_bytes(&self, b: &mut impl Sink, jam: &str) {
        b.put(self.unit_id.as_bytes());
        b.year_date((self.tahun, self.periode, self.tanggal));
        b.raw(&[0x1f]);
        b.put(jam.as_bytes());
        b.answers(&self.skor);
        for v in [
            self.jenis_layanan.as_deref(),
            self.jenis_kelamin.as_deref(),
            self.umur_kelompok.as_deref(),
            self.pendidikan.as_deref(),
            self.pekerjaan.as_deref(),
        ] {
            b.put(v.unwrap_or("").as_bytes());
        }
        match self.umur {
            Some(u) => put_int(b, u.into()),
            None => b.put(b""),
        }
    }
}

/// Where identity bytes are written.
trait Sink {
    fn raw(&mut self, s: &[u8]);

    /// `s`, then 0x1F.
    fn put(&mut self, s: &[u8]);

    /// The year (then 0x1F), the period's code (then 0x1F) and the date if any: the bytes of
    /// `year_date_bytes`.
    fn year_date(&mut self, when: When)
    where
        Self: Sized,
    {
        year_date_bytes(self, when);
    }

    /// The nine answers (`put_answers`).
    fn answers(&mut self, skor: &[Option<u8>; 9])
    where
        Self: Sized,
    {
        put_answers(self, skor);
    }
}

/// A response's year, period and date: one of a few hundred in a file (`Cached`).
type When = (i32, Periode, Option<NaiveDate>);

/// The year, the period and the date, written one by one (`Sink::year_date`).
fn year_date_bytes(b: &mut impl Sink, (tahun, periode, tanggal): When) {
    put_int(b, tahun.into());
    b.put(periode.code().as_bytes());
    if let Some(d) = tanggal {
        put_date(b, d);
    }
}

/// The bytes of the years, periods and dates written (`Writer::year_date`), in a table of
/// `SLOTS` by the date: a file's rows fall on a few hundred days, in any order, so a row's
/// year and date are formatted once a day, not once a row.
struct Cached {
    slots: Vec<Slot>,
}

/// A `When` and its bytes.
#[derive(Clone, Copy)]
struct Slot {
    when: Option<When>,
    len: u8,
    bytes: [u8; 47],
}

/// The slots of `Cached`: more than a year's days.
const SLOTS: usize = 1024;

impl Default for Cached {
    fn default() -> Self {
        let empty = Slot {
            when: None,
            len: 0,
            bytes: [0; 47],
        };
        Cached {
            slots: vec![empty; SLOTS],
        }
    }
}

impl Cached {
    /// The slot of `when`: its date's year and day of the year, its year and period mixed in.
    fn slot(&mut self, (tahun, periode, tanggal): When) -> &mut Slot {
        use chrono::Datelike as _;
        // (The year and the day of the year as chrono keeps them: no division, as counting
        // the days from year 1 takes.)
        let day = tanggal.map_or(0, |d| ((d.year() as u32) << 9) | d.ordinal());
        let key = day
            .wrapping_add((tahun as u32).wrapping_mul(367))
            .wrapping_add((periode as u32).wrapping_mul(0x9E37));
        &mut self.slots[key as usize % SLOTS]
    }
}

/// The nine answers, each as its digits then 0x1F (a blank: 0x1F alone), in one write: an
/// answer of one digit (every scale's) written into a small buffer, not a call of its own.
fn put_answers(b: &mut impl Sink, skor: &[Option<u8>; 9]) {
    let mut bytes = [0u8; 18];
    let mut n = 0;
    for s in skor {
        match *s {
            Some(d @ 0..=9) => {
                bytes[n] = b'0' + d;
                bytes[n + 1] = 0x1f;
                n += 2;
            }
            None => {
                bytes[n] = 0x1f;
                n += 1;
            }
            // (Never from a scale; written as `put_int` writes it.)
            Some(_) => {
                return skor.iter().for_each(|s| match s {
                    Some(s) => put_int(b, (*s).into()),
                    None => b.put(b""),
                })
            }
        }
    }
    b.raw(&bytes[..n]);
}

impl Sink for Vec<u8> {
    fn raw(&mut self, s: &[u8]) {
        self.extend_from_slice(s);
    }

    fn put(&mut self, s: &[u8]) {
        self.extend_from_slice(s);
        self.push(0x1f);
    }
}

/// Writes into a buffer of fixed length from `at`; `over` once something did not fit (what
/// was written since is then meaningless).
struct Bytes<'a> {
    buf: &'a mut [u8],
    at: usize,
    over: bool,
}

impl Sink for Bytes<'_> {
    #[inline(always)]
    fn raw(&mut self, s: &[u8]) {
        let at = self.at;
        match self.buf.get_mut(at..at + s.len()) {
            Some(d) => {
                copy_small(d, s);
                self.at = at + s.len();
            }
            None => self.over = true,
        }
    }

    #[inline(always)]
    fn put(&mut self, s: &[u8]) {
        let (at, n) = (self.at, s.len());
        match self.buf.get_mut(at..at + n + 1) {
            Some(d) => {
                copy_small(&mut d[..n], s);
                d[n] = 0x1f;
                self.at = at + n + 1;
            }
            None => self.over = true,
        }
    }
}

impl Bytes<'_> {
    /// The nine answers of one digit each (every scale's) written where they go, a byte at a
    /// time: made in a small buffer and copied, the copy read bytes just stored one by one,
    /// which the CPU cannot forward (a stall of about ten cycles a row). `false` when an answer
    /// has more digits or there is no room for eighteen bytes: nothing was kept.
    #[inline(always)]
    fn one_digit_answers(&mut self, skor: &[Option<u8>; 9]) -> bool {
        let at = self.at;
        let Some(d) = self.buf.get_mut(at..at + 18) else {
            return false;
        };
        // Without a branch an answer: its digit written, then kept (or, blank, written over
        // by the separator).
        let (mut n, mut big) = (0, false);
        for s in skor {
            let v = s.unwrap_or(0);
            big |= v > 9;
            d[n] = b'0'.wrapping_add(v);
            n += usize::from(s.is_some());
            d[n] = 0x1f;
            n += 1;
        }
        if big {
            return false;
        }
        self.at = at + n;
        true
    }
}

/// `Bytes` into a batch's buffer, with the years and dates written kept (`Cached`).
struct Writer<'a> {
    bytes: Bytes<'a>,
    cached: &'a mut Cached,
}

impl Sink for Writer<'_> {
    #[inline(always)]
    fn raw(&mut self, s: &[u8]) {
        self.bytes.raw(s);
    }

    #[inline(always)]
    fn put(&mut self, s: &[u8]) {
        self.bytes.put(s);
    }

    #[inline(always)]
    fn answers(&mut self, skor: &[Option<u8>; 9]) {
        if !self.bytes.one_digit_answers(skor) {
            put_answers(&mut self.bytes, skor);
        }
    }

    #[inline(always)]
    fn year_date(&mut self, when: When) {
        let slot = self.cached.slot(when);
        if slot.when != Some(when) {
            let mut w = Bytes {
                buf: &mut slot.bytes,
                at: 0,
                over: false,
            };
            year_date_bytes(&mut w, when);
            let (len, over) = (w.at, w.over);
            if over {
                // (A year or date too long to keep: written as it is.)
                slot.when = None;
                return year_date_bytes(&mut self.bytes, when);
            }
            slot.when = Some(when);
            slot.len = len as u8;
        }
        self.bytes.raw(&slot.bytes[..slot.len as usize]);
    }
}

/// `s` into `d` (of the same length): the short lengths a field has (up to 64 bytes) as two
/// copies of a fixed size that overlap, which compile to a few moves, where `copy_from_slice`
/// calls `memcpy`.
#[inline(always)]
fn copy_small(d: &mut [u8], s: &[u8]) {
    let n = s.len();
    match n {
        0 => {}
        1..=3 => {
            d[0] = s[0];
            d[n / 2] = s[n / 2];
            d[n - 1] = s[n - 1];
        }
        4..=7 => {
            d[..4].copy_from_slice(&s[..4]);
            d[n - 4..].copy_from_slice(&s[n - 4..]);
        }
        8..=16 => {
            d[..8].copy_from_slice(&s[..8]);
            d[n - 8..].copy_from_slice(&s[n - 8..]);
        }
        17..=32 => {
            d[..16].copy_from_slice(&s[..16]);
            d[n - 16..].copy_from_slice(&s[n - 16..]);
        }
        // (A unit's name: "Dinas Kependudukan dan Pencatatan Sipil".)
        33..=64 => {
            d[..32].copy_from_slice(&s[..32]);
            d[n - 32..].copy_from_slice(&s[n - 32..]);
        }
        _ => d.copy_from_slice(s),
    }
}

/// An integer as `Display` writes it, then 0x1F.
#[inline(always)]
fn put_int(b: &mut impl Sink, n: i64) {
    // The nine answers are one digit, ages two, years four: written without dividing in a
    // loop.
    let d = |n: i64| b'0' + (n % 10) as u8;
    match n {
        0..=9 => return b.raw(&[d(n), 0x1f]),
        10..=99 => return b.raw(&[d(n / 10), d(n), 0x1f]),
        1000..=9999 => return b.raw(&[d(n / 1000), d(n / 100), d(n / 10), d(n), 0x1f]),
        _ => {}
    }
    let mut digits = [0u8; 21];
    let mut at = digits.len();
    let mut m = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        at -= 1;
        digits[at] = b'-';
    }
    b.put(&digits[at..]);
}

/// A date as `NaiveDate`'s `Display` writes it (`2024-01-31`).
fn put_date(b: &mut impl Sink, d: NaiveDate) {
    use chrono::Datelike as _;
    let y = d.year();
    if !(0..=9999).contains(&y) {
        b.raw(d.to_string().as_bytes());
        return;
    }
    let (m, day) = (d.month(), d.day());
    let digit = |n: u32| b'0' + n as u8;
    let y = y as u32;
    b.raw(&[
        digit(y / 1000),
        digit(y / 100 % 10),
        digit(y / 10 % 10),
        digit(y % 10),
        b'-',
        digit(m / 10),
        digit(m % 10),
        b'-',
        digit(day / 10),
        digit(day % 10),
    ]);
}

/// Sets `kunci` on every response, as `Response::identity` gives it (`None` without a time of
/// day).
pub fn fill(rows: &mut [Response]) {
    if rows.iter().all(|r| r.jam.is_none()) {
        rows.iter_mut().for_each(|r| r.kunci = None);
        return;
    }
    let (mut batch, mut cached) = KEPT
        .with(|k| k.borrow_mut().take())
        .unwrap_or_else(|| (Batch::new(Kernel::detect()), Cached::default()));
    for i in 0..rows.len() {
        let Some(jam) = rows[i].jam.as_deref() else {
            rows[i].kunci = None;
            continue;
        };
        let mut w = Writer {
            bytes: Bytes {
                buf: &mut batch.bytes[..CAPACITY],
                at: batch.at,
                over: false,
            },
            cached: &mut cached,
        };
        rows[i].identity_bytes(&mut w, jam);
        let (end, over) = (w.bytes.at, w.bytes.over);
        if over {
            // Longer than the buffer has room for: alone.
            rows[i].kunci = rows[i].identity();
            continue;
        }
        batch.rows.push((i as u32, batch.at as u32, end as u32));
        batch.at = end;
        if batch.rows.len() == BATCH || batch.at + ROOM > CAPACITY {
            batch.hash(rows);
        }
    }
    batch.hash(rows);
    KEPT.with(|k| *k.borrow_mut() = Some((batch, cached)));
}

thread_local! {
    /// A thread's batch and formatted dates, kept from piece to piece (`fill`): a batch's
    /// buffer (196 KB) made anew each piece was zeroed, often in memory fresh from the system
    /// (a huge page faulted in: ~1% of a timestamped file's run, perf on model 17). A kept
    /// `Cached` slot is still right: a slot holds the bytes of the `When` it names.
    static KEPT: std::cell::RefCell<Option<(Batch, Cached)>> =
        const { std::cell::RefCell::new(None) };
}

/// Rows' identity bytes, end to end, waiting to be hashed.
struct Batch {
    kernel: Kernel,
    /// A buffer of `CAPACITY` bytes (`Writer`) and a block, filled up to `at`.
    bytes: Vec<u8>,
    at: usize,
    /// Each row's index in the piece and its bytes' range in `bytes`.
    rows: Vec<(u32, u32, u32)>,
    /// The rows by how many blocks they take (index 0 unused): those of one count are
    /// compressed together, a block at a time.
    groups: Vec<Vec<(u32, u32, u32)>>,
}

impl Batch {
    fn new(kernel: Kernel) -> Self {
        Batch {
            kernel,
            bytes: vec![0; CAPACITY + BLOCK],
            at: 0,
            rows: Vec::with_capacity(BATCH),
            groups: vec![Vec::new(); CHUNK_BLOCKS + 1],
        }
    }

    /// Hashes the rows gathered into `rows`' `kunci`, and empties the batch.
    fn hash(&mut self, rows: &mut [Response]) {
        for g in &mut self.groups {
            g.clear();
        }
        for &(i, s, e) in &self.rows {
            let blocks = ((e - s) as usize).div_ceil(BLOCK).max(1);
            match self.groups.get_mut(blocks) {
                Some(g) => g.push((i, s, e)),
                // Past one chunk (BLAKE3's tree): the crate's own hash.
                None => {
                    let h = blake3::hash(&self.bytes[s as usize..e as usize]);
                    rows[i as usize].kunci = Some(first_16(h.as_bytes()));
                }
            }
        }
        for blocks in 1..self.groups.len() {
            if self.groups[blocks].is_empty() {
                continue;
            }
            let group = std::mem::take(&mut self.groups[blocks]);
            self.group(blocks, &group, rows);
            self.groups[blocks] = group;
        }
        self.at = 0;
        self.rows.clear();
    }

    /// Hashes rows of `blocks` blocks each, with the widest kernel the CPU has.
    fn group(&self, blocks: usize, group: &[(u32, u32, u32)], rows: &mut [Response]) {
        match self.kernel {
            Kernel::Plain => self.lanes::<8>(blocks, group, rows, compress_plain),
            // SAFETY: `Kernel::detect` found the CPU's features (or a test listed them).
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => self.lanes::<8>(blocks, group, rows, |x| unsafe { compress_avx2(x) }),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => {
                self.lanes::<16>(blocks, group, rows, |x| unsafe { compress_avx512(x) })
            }
        }
    }

    /// The group's rows `L` at a time, block after block (each chaining value carried in the
    /// lanes to the next block), into the rows' `kunci`.
    #[inline(always)]
    fn lanes<const L: usize>(
        &self,
        blocks: usize,
        group: &[(u32, u32, u32)],
        rows: &mut [Response],
        compress: impl Fn(&mut Lanes<L>),
    ) {
        let mut x = Lanes::<L>::default();
        for lanes in group.chunks(L) {
            for b in 0..blocks {
                let start = if b == 0 { CHUNK_START } else { 0 };
                let last = b + 1 == blocks;
                let flags = start | if last { CHUNK_END | ROOT } else { 0 };
                for (lane, &(_, s, e)) in lanes.iter().enumerate() {
                    if b == 0 {
                        x.set_cv(lane, &IV);
                    }
                    // The block and what follows it (the buffer has a block's room past its
                    // end): only the row's bytes are taken.
                    let from = s as usize + b * BLOCK;
                    let block = self.bytes[from..from + BLOCK].try_into().expect("a block");
                    match last {
                        true => x.set(lane, block, e as usize - from, flags),
                        false => x.set_full(lane, block, flags),
                    }
                }
                compress(&mut x);
            }
            for (lane, &(i, _, _)) in lanes.iter().enumerate() {
                rows[i as usize].kunci = Some(x.first_16(lane));
            }
        }
    }
}

fn first_16(b: &[u8; 32]) -> [u8; 16] {
    let mut k = [0u8; 16];
    k.copy_from_slice(&b[..16]);
    k
}

#[cfg(test)]
mod tests {

    use super::super::PeriodeBasis;
    use super::*;
    use crate::domain::Periode;

    /// The identity as it was first written (a formatter per field, hashed piece by piece):
    /// silver's `kunci` must not change.
    fn identity_as_written(r: &Response) -> Option<[u8; 16]> {
        let jam = r.jam.as_deref()?;
        let mut h = blake3::Hasher::new();
        let mut put = |s: &str| {
            h.update(s.as_bytes());
            h.update(b"\x1f");
        };
        put(r.unit_id);
        put(&r.tahun.to_string());
        put(r.periode.code());
        put(&r.tanggal.map(|d| d.to_string()).unwrap_or_default());
        put(jam);
        for s in &r.skor {
            put(&s.map(|s| s.to_string()).unwrap_or_default());
        }
        for v in [
            r.jenis_layanan.as_deref(),
            r.jenis_kelamin.as_deref(),
            r.umur_kelompok.as_deref(),
            r.pendidikan.as_deref(),
            r.pekerjaan.as_deref(),
        ] {
            put(v.unwrap_or(""));
        }
        put(&r.umur.map(|u| u.to_string()).unwrap_or_default());
        let mut k = [0u8; 16];
        k.copy_from_slice(&h.finalize().as_bytes()[..16]);
        Some(k)
    }

    /// A response of every kind of field value, blank and not, by `i`.
    fn response(i: usize) -> Response {
        let text = |i: usize, v: &[&str]| {
            (!i.is_multiple_of(4)).then(|| crate::normalize::Shared::from(v[i % v.len()]))
        };
        Response {
            // Texts of every length `copy_small` copies differently.
            unit_id: [
                "kec-a",
                "dinas-b",
                "x",
                "Sekretariat Daerah",
                "Dinas Kependudukan dan Pencatatan Sipil",
                "RSUD dr. Chasbullah",
                "Kecamatan Bekasi Timur (kantor)",
                // 33, 64 and 65 bytes: the ends of `copy_small`'s longest copies.
                "Dinas Perumahan Kawasan Pemukiman",
                "Dinas Perumahan, Kawasan Permukiman dan Pertanahan Kota Bekasi I",
                "Dinas Perumahan, Kawasan Permukiman dan Pertanahan Kota Bekasi II",
            ][i % 10],
            tahun: [2024, 2023, 1999, 0, 12345, -5][i % 6],
            periode: Periode::ALL[i % Periode::ALL.len()],
            periode_basis: PeriodeBasis::Kolom,
            tanggal: (!i.is_multiple_of(5)).then(|| {
                NaiveDate::from_ymd_opt(
                    [2024, 7, 10000, 33][i % 4],
                    1 + (i % 12) as u32,
                    1 + (i % 28) as u32,
                )
                .unwrap()
            }),
            jam: (!i.is_multiple_of(7))
                .then(|| format!("{:02}:{:02}:{:02}", i % 24, i % 60, i % 59).into()),
            jenis_layanan: text(
                i,
                &[
                    "A",
                    "Surat keterangan",
                    "Izin usaha",
                    "Surat keterangan domisili usaha mikro",
                ],
            ),
            jenis_kelamin: text(i + 1, &["L", "P"]),
            umur: (!i.is_multiple_of(3)).then_some([17, 0, -1, 120, 5][i % 5]),
            umur_kelompok: text(i + 2, &["<20", "60+"]),
            pendidikan: text(i + 3, &["SMA", "S1"]),
            pekerjaan: text(i + 1, &["PNS", "Lainnya"]),
            skor: std::array::from_fn(|k| {
                (!(i + k).is_multiple_of(6)).then_some(((i * 7 + k) % 5) as u8 + 1)
            }),
            source_file: "a.csv",
            sheet: "",
            source_row: i as u32,
            kunci: None,
        }
    }

    #[test]
    fn identity_bytes() {
        let mut rows: Vec<Response> = (0..2000usize).map(response).collect();
        // Answers past one digit (no scale gives them: written all the same).
        for (i, r) in rows.iter_mut().enumerate().step_by(97) {
            r.skor[i % 9] = Some([10, 255, 42][i % 3]);
        }
        // Runs of rows of one year, period and date (kept from the row before, `Cached`),
        // and the same year and date in another period.
        rows.sort_by_key(|r| (r.tahun, r.tanggal, r.periode));
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(r.identity(), identity_as_written(r), "{i}");
        }
        // The same identities a piece at a time.
        fill(&mut rows);
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(r.kunci, r.identity(), "{i}");
        }
        let k: Vec<Option<[u8; 16]>> = rows.iter().map(|r| r.kunci).collect();
        // A long row among them (hashed whole, past three blocks), and one longer than the
        // batch's buffer (hashed alone).
        let long = |n: usize| Response {
            jenis_layanan: Some("x".repeat(n).into()),
            ..response(1)
        };
        let (long, longer) = (long(5000), long(CAPACITY));
        rows.insert(700, long.clone());
        rows.insert(1500, longer.clone());
        rows.iter_mut().for_each(|r| r.kunci = None);
        fill(&mut rows);
        assert_eq!(rows.remove(1500).kunci, longer.identity());
        assert_eq!(rows.remove(700).kunci, long.identity());
        assert!(long.identity().is_some() && longer.identity() != long.identity());
        assert_eq!(rows.iter().map(|r| r.kunci).collect::<Vec<_>>(), k);
    }

    /// The batch's hash of every length up to a chunk and past it (one block to seventeen),
    /// in one batch and across batches, against `blake3::hash`, with every kernel this CPU
    /// has (`lanes::Kernel::all`).
    #[test]
    fn same_as_blake3_hash() {
        for k in Kernel::all() {
            same_as_blake3_hash_on(k);
        }
    }

    /// Past a chunk (1,024 bytes) by a block.
    const LONGEST: usize = 1024 + 64;

    fn same_as_blake3_hash_on(kernel: Kernel) {
        let mut rng = crate::rng::Rng::new(29);
        let texts: Vec<Vec<u8>> = (0..2 * BATCH + LONGEST)
            .map(|i| (0..1 + i % LONGEST).map(|_| rng.below(256) as u8).collect())
            .collect();
        let mut batch = Batch::new(kernel);
        let mut rows: Vec<Response> = Vec::new();
        let mut want = Vec::new();
        for t in &texts {
            let start = batch.at;
            batch.bytes[start..start + t.len()].copy_from_slice(t);
            batch.at += t.len();
            let end = batch.at as u32;
            batch.rows.push((rows.len() as u32, start as u32, end));
            rows.push(response(rows.len()));
            want.push(first_16(blake3::hash(t).as_bytes()));
            if batch.rows.len() == BATCH || batch.at + LONGEST > CAPACITY {
                batch.hash(&mut rows);
            }
        }
        batch.hash(&mut rows);
        for (i, (r, w)) in rows.iter().zip(&want).enumerate() {
            assert_eq!(
                r.kunci.as_ref(),
                Some(w),
                "{} bytes, {kernel:?}",
                texts[i].len()
            );
        }
    }
}
