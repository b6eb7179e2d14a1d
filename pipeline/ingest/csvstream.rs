//! A CSV file read as a stream of chunks cut at record boundaries, so that a file of any size
//! is read in bounded memory and its chunks can be parsed on every core (`silver::stream`).
//!
//! `open` reads the first block: a workbook or PDF renamed `.csv` is refused there, a file in
//! UTF-16 (by its BOM) or not UTF-8 in its first block is read whole instead (`Open::Whole`,
//! `csvfile`'s encoding rule), and the delimiter is decided. `Stream::next_chunk` then reads
//! on and cuts the text after a line break that ends a record, found by following the quoting
//! rules of the `csv` crate byte by byte (`Scan`): a quoted field may hold line breaks, and a
//! quote opens a quoted field only at the start of a field. Parsing a chunk on its own
//! therefore gives exactly the records parsing the whole file gives, with the record numbers
//! counted here (an empty line is no record, as in the `csv` crate).
//!
//! The limits are checked while reading: more records than `[batas] baris`, or one record
//! longer than `kolom × karakter_sel` can hold, stops the file before the rest is read.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};

use super::sniff::{self, Encoding};
use super::{self as ingest, text_cell, Cell, Limits, TooLarge};

/// How a CSV file is to be read.
pub enum Open {
    /// As a stream of chunks.
    Stream(Stream),
    /// Whole, by `csvfile::read`: UTF-16 (by its BOM), not UTF-8 in its first block, or empty.
    Whole,
}

/// The bytes read at once from the file.
const BLOCK: usize = 1 << 20;
/// The least room a chunk after the first is given (`Stream::take`): the size chunks are
/// usually asked for (`silver::stream`'s 4 MiB).
const CHUNK_ROOM: usize = 4 << 20;

/// Opens `path` for reading in chunks (see the module's rule), or says to read it whole, or
/// why it cannot be read at all.
pub fn open(path: &Path, rel: &str, limits: &Limits) -> Result<Open> {
    let mut file = File::open(path).with_context(|| format!("cannot read {rel}"))?;
    let mut first = Vec::with_capacity(BLOCK);
    (&mut file)
        .take(BLOCK as u64)
        .read_to_end(&mut first)
        .with_context(|| format!("cannot read {rel}"))?;
    if let Some(what) = sniff::known_binary(&first) {
        anyhow::bail!("{what}");
    }
    if first.starts_with(b"\xFF\xFE") || first.starts_with(b"\xFE\xFF") {
        return Ok(Open::Whole);
    }
    let (skip, encoding) = match first.strip_prefix(b"\xEF\xBB\xBF") {
        Some(_) => (3, Encoding::Utf8Bom),
        None => (0, Encoding::Utf8),
    };
    let text = &first[skip..];
    let utf8 = match std::str::from_utf8(text) {
        Ok(_) => true,
        // Cut in the middle of a character at the block's end: the rest is in the next block.
        Err(e) => e.error_len().is_none() && text.len() == BLOCK - skip,
    };
    if !utf8 || text.contains(&0) || text.iter().all(u8::is_ascii_whitespace) {
        return Ok(Open::Whole);
    }
    let delimiter = sniff::sniff_delimiter(text);
    let eof = first.len() < BLOCK;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut hasher = Box::new(blake3::Hasher::new());
    hasher.update(&first);
    Ok(Open::Stream(Stream {
        file,
        hasher,
        rel: rel.to_string(),
        encoding,
        delimiter,
        limits: *limits,
        // (The block read becomes the buffer: copied only to drop a BOM.)
        buf: match skip {
            0 => first,
            _ => first[skip..].to_vec(),
        },
        offset: skip as u64,
        scanned: 0,
        scan: Scan::new(delimiter),
        records_cut: 0,
        eof,
        size,
        spare: Vec::new(),
    }))
}

/// One chunk: whole records, the first of them record `first_record` (0-based) of the file.
#[derive(Debug)]
pub struct Chunk {
    pub first_record: u64,
    pub records: u64,
    /// The chunk's first byte's offset in the file (for messages).
    pub offset: u64,
    pub bytes: Vec<u8>,
}

/// A CSV file being read in chunks.
pub struct Stream {
    file: File,
    /// Every byte read so far, BOM included, hashed as it is read (`content_hash`). (Boxed:
    /// its stack of chaining values is 2 KB.)
    hasher: Box<blake3::Hasher>,
    rel: String,
    pub encoding: Encoding,
    pub delimiter: u8,
    limits: Limits,
    /// Bytes read and not yet handed out; `buf[0]` is at `offset` in the file.
    buf: Vec<u8>,
    offset: u64,
    /// How much of `buf` the scan has seen.
    scanned: usize,
    scan: Scan,
    /// Records handed out in chunks so far.
    records_cut: u64,
    eof: bool,
    /// The file's size when opened (0 if unknown): a chunk's room is taken at once, not grown
    /// (and copied) a block at a time.
    size: u64,
    /// Chunks' bytes given back (`recycle`).
    spare: Vec<Vec<u8>>,
}

impl Stream {
    /// Whether every chunk has been handed out.
    pub fn at_end(&self) -> bool {
        self.eof && self.buf.is_empty()
    }

    /// The next chunk of about `target` bytes (more if a record runs past it) with at least
    /// `min_records` records (fewer only at the end of the file); `None` at the end.
    pub fn next_chunk(&mut self, target: usize, min_records: u64) -> Result<Option<Chunk>> {
        self.make_room(target);
        loop {
            // Scan what has been read, looking for a record's end past the target.
            let start_records = self.records_cut;
            let cut = self.scan_for_cut(target, min_records, start_records)?;
            if let Some(end) = cut {
                return Ok(Some(self.take(end, target)));
            }
            if self.eof {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                let end = self.buf.len();
                return Ok(Some(self.take(end, target)));
            }
            self.fill()?;
        }
    }

    /// Scans from `scanned` on; the end of the first record ending at or after `target` bytes
    /// (and after `min_records` records since `start`), if the buffer holds it. The limits are
    /// checked on what was scanned.
    fn scan_for_cut(
        &mut self,
        target: usize,
        min_records: u64,
        start: u64,
    ) -> Result<Option<usize>> {
        let base = self.offset;
        let mut i = self.scanned;
        let mut cut = None;
        while i < self.buf.len() {
            if let Some(next) = self.scan.skip(&self.buf, i) {
                i = next;
                continue;
            }
            let b = self.buf[i];
            i += 1;
            if self.scan.step(b) {
                self.scan.record_start = base + i as u64;
                if i >= target && self.scan.records - start >= min_records {
                    cut = Some(i);
                    break;
                }
            }
        }
        self.scanned = i;
        if self.scan.records > self.limits.baris as u64 {
            return Err(TooLarge(format!(
                "lebih dari {} baris ([batas] baris); berkas berhenti dibaca di situ. Bila ini \
                 ekspor yang sah, naikkan baris di [batas] konfigurasi",
                self.limits.baris
            ))
            .into());
        }
        let max_record = self.max_record_bytes();
        if self.scan.in_record() && base + i as u64 - self.scan.record_start > max_record {
            return Err(self.too_long(max_record));
        }
        Ok(cut)
    }

    /// The longest record the limits allow, in bytes: every column at its character limit,
    /// 4 bytes a character, quoted.
    fn max_record_bytes(&self) -> u64 {
        (self.limits.kolom as u64).saturating_mul(
            (self.limits.karakter_sel as u64)
                .saturating_mul(4)
                .saturating_add(3),
        )
    }

    fn too_long(&self, max: u64) -> anyhow::Error {
        TooLarge(format!(
            "baris {} (mulai byte ke-{}) lebih panjang dari {} MiB yang dapat dimuat {} kolom × {} \
             karakter ([batas] kolom, karakter_sel): kemungkinan tanda kutip (\") yang tidak ditutup",
            self.scan.records,
            self.scan.record_start + 1,
            max / 1024 / 1024,
            self.limits.kolom,
            self.limits.karakter_sel
        ))
        .into()
    }

    /// Reads the next block (and hashes it); sets `eof` at the end.
    fn fill(&mut self) -> Result<()> {
        self.buf.reserve(BLOCK);
        let before = self.buf.len();
        let got = (&mut self.file)
            .take(BLOCK as u64)
            .read_to_end(&mut self.buf)
            .with_context(|| format!("cannot read {}", self.rel))?;
        self.hasher.update(&self.buf[before..]);
        if got == 0 {
            self.eof = true;
        }
        Ok(())
    }

    /// The BLAKE3 of the file's bytes (`silver::cache::content_hash`'s), once it has been read
    /// to its end: the file is not read a second time to be hashed. `None` before its end.
    pub fn content_hash(&self) -> Option<String> {
        self.eof
            .then(|| self.hasher.finalize().to_hex().to_string())
    }

    /// Room in `buf` for a chunk of `target` bytes and the block read past it, or for the rest
    /// of the file if that is less, when more must be read for it.
    fn make_room(&mut self, target: usize) {
        if self.eof || self.buf.len() >= target {
            return;
        }
        let want = (target.saturating_add(BLOCK)).min(self.buf.len().saturating_add(self.unread()));
        self.buf.reserve(want.saturating_sub(self.buf.len()));
    }

    /// The bytes of the file not read yet, as its size said when opened, and one (to see its
    /// end without growing).
    fn unread(&self) -> usize {
        let read = self.offset + self.buf.len() as u64;
        usize::try_from(self.size.saturating_sub(read)).map_or(usize::MAX, |n| n.saturating_add(1))
    }

    /// Gives back a chunk's bytes once parsed, to be reused for a later chunk.
    pub fn recycle(&mut self, mut bytes: Vec<u8>) {
        if self.spare.len() < 8 {
            bytes.clear();
            self.spare.push(bytes);
        }
    }

    /// Hands out `buf[..end]` as a chunk.
    fn take(&mut self, end: usize, target: usize) -> Chunk {
        // The buffer itself becomes the chunk, and what was read past its end moves to a
        // spare buffer: a copy of the short rest rather than of the whole chunk. The spare has
        // room for the next chunk (a full one, after the small first: `CHUNK_ROOM`) or the rest
        // of the file, so that it is not grown, and copied, while read into.
        let mut rest = self.spare.pop().unwrap_or_default();
        let tail = self.buf.len() - end;
        if !self.eof {
            let next = target.max(CHUNK_ROOM).saturating_add(BLOCK);
            rest.reserve(tail.saturating_add(next.min(self.unread())));
        }
        rest.extend_from_slice(&self.buf[end..]);
        let mut bytes = std::mem::replace(&mut self.buf, rest);
        bytes.truncate(end);
        // Cut between records (or at the end of the file): every record started is in it.
        let records = self.scan.records - self.records_cut;
        let chunk = Chunk {
            first_record: self.records_cut,
            records,
            offset: self.offset,
            bytes,
        };
        self.records_cut += records;
        self.offset += end as u64;
        self.scanned -= end;
        chunk
    }
}

/// Where the `csv` crate's reader stands (its states that matter for record boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between records: line breaks here are skipped (an empty line is no record).
    StartRecord,
    StartField,
    InField,
    InQuoted,
    /// A quote inside a quoted field: the field's end, or the first of a doubled quote.
    QuoteInQuoted,
}

/// Follows the quoting rules byte by byte, counting records.
#[derive(Debug, Clone)]
struct Scan {
    delimiter: u8,
    state: State,
    /// Records started so far.
    records: u64,
    /// The current record's first byte's offset in the file (for the record-length limit).
    record_start: u64,
}

impl Scan {
    fn new(delimiter: u8) -> Scan {
        Scan {
            delimiter,
            state: State::StartRecord,
            records: 0,
            record_start: 0,
        }
    }

    fn in_record(&self) -> bool {
        self.state != State::StartRecord
    }

    /// One byte; true when it ends a record (or is a line break between records).
    #[inline]
    fn step(&mut self, b: u8) -> bool {
        let term = b == b'\n' || b == b'\r';
        let (next, ended) = match self.state {
            State::StartRecord if term => (State::StartRecord, true),
            State::StartRecord => {
                self.records += 1;
                (self.field_start(b), false)
            }
            State::StartField => match b {
                _ if term => (State::StartRecord, true),
                _ => (self.field_start(b), false),
            },
            State::InField | State::QuoteInQuoted if term => (State::StartRecord, true),
            State::InField if b == self.delimiter => (State::StartField, false),
            State::InField => (State::InField, false),
            State::InQuoted if b == b'"' => (State::QuoteInQuoted, false),
            State::InQuoted => (State::InQuoted, false),
            State::QuoteInQuoted => match b {
                b'"' => (State::InQuoted, false),
                _ if b == self.delimiter => (State::StartField, false),
                _ => (State::InField, false),
            },
        };
        self.state = next;
        ended
    }

    /// Skips, from `i`, the bytes of a field that change nothing: inside an unquoted field
    /// everything but a line break and a quote, inside a quoted one everything but a quote. The
    /// position to go on from, or `None` when byte `i` must be stepped over.
    #[inline]
    fn skip(&mut self, bytes: &[u8], i: usize) -> Option<usize> {
        match self.state {
            State::InField => match memchr::memchr3(b'\n', b'\r', b'"', &bytes[i..]) {
                Some(0) if bytes[i] != b'"' => None,
                Some(k) if bytes[i + k] == b'"' => {
                    // A quote opens a quoted field at the start of a field only.
                    if k > 0 && bytes[i + k - 1] == self.delimiter {
                        self.state = State::InQuoted;
                    }
                    Some(i + k + 1)
                }
                Some(k) => Some(i + k),
                None => {
                    // The rest is in this field, or starts the next one.
                    if bytes.last() == Some(&self.delimiter) {
                        self.state = State::StartField;
                    }
                    Some(bytes.len())
                }
            },
            State::InQuoted => match memchr::memchr(b'"', &bytes[i..]) {
                Some(0) => None,
                Some(k) => Some(i + k),
                None => Some(bytes.len()),
            },
            _ => None,
        }
    }

    fn field_start(&self, b: u8) -> State {
        match b {
            b'"' => State::InQuoted,
            _ if b == self.delimiter => State::StartField,
            _ => State::InField,
        }
    }
}

/// Why a chunk's text cannot be parsed as it is (the file is then read whole, or refused).
#[derive(Debug)]
pub enum NotText {
    /// Not UTF-8 at this byte of the file.
    Utf8(u64),
    /// A NUL character at this byte of the file.
    Nul(u64),
}

/// The records of one chunk, as cells: `each(i, row)` with `i` the record's 0-based number in
/// the file. Errors: a record with more columns than `[batas] kolom` (`TooLarge`), text that is
/// not UTF-8 or holds a NUL (`NotText`, in the error's chain).
pub fn parse_chunk(
    chunk: &Chunk,
    delimiter: u8,
    limits: &Limits,
    mut each: impl FnMut(usize, &[Cell<'_>]),
) -> Result<()> {
    let text = match std::str::from_utf8(&chunk.bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = chunk.offset + e.valid_up_to() as u64;
            return Err(NotTextError(NotText::Utf8(at)).into());
        }
    };
    if let Some(at) = memchr::memchr(0, text.as_bytes()) {
        return Err(NotTextError(NotText::Nul(chunk.offset + at as u64)).into());
    }
    let split = Split {
        delimiter,
        limits,
        first: chunk.first_record,
    };
    records(text, split, |i, row| {
        each(i, row);
        Ok(())
    })
}

/// The records of CSV text as cells, the first numbered `first` (0-based): `each(i, row)`,
/// which may stop the reading with an error, and may take the row's cells. A record with more columns than `[batas] kolom`
/// is an error (`TooLarge`). Shared by the chunks and by a CSV file read whole (`csvfile`).
///
/// The records are those the `csv` crate reads (flexible, `"` quoting, a line break of `\n`,
/// `\r\n` or `\r` ending a record, an empty line no record, a leading BOM dropped): a line
/// with no quote and no lone `\r` is split at its delimiters directly, any other record is read
/// by `csv_core` (`Quoted`), the `csv` crate's own parser.
pub(super) fn records<'t>(
    text: &'t str,
    split: Split<'_>,
    each: impl FnMut(usize, &mut Vec<Cell<'t>>) -> Result<()>,
) -> Result<()> {
    records_as(Splitter::detected(), text, split, each)
}

/// How a text is split into records: its delimiter, the limits, and the number of its first
/// record (0-based) in the file.
#[derive(Debug, Clone, Copy)]
pub(super) struct Split<'l> {
    pub delimiter: u8,
    pub limits: &'l Limits,
    pub first: u64,
}

/// How plain lines are scanned for the bytes that matter: 32 bytes at a time with AVX2 where
/// the CPU has it, 16 with SSE2 (every x86_64), else byte by byte. Chosen at run time, once
/// (`SKM_SPLITTER=avx2|sse2|scalar` picks one, for benchmarks; a path the CPU lacks is never
/// taken), so one binary runs on any x86_64 and uses what it finds, as `memchr` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Splitter {
    Avx2,
    Sse2,
    Scalar,
}

impl Splitter {
    /// The best the CPU has, or the one `SKM_SPLITTER` names if the CPU has it.
    pub fn detected() -> Splitter {
        static CHOSEN: std::sync::OnceLock<Splitter> = std::sync::OnceLock::new();
        *CHOSEN.get_or_init(|| {
            let best = Splitter::best();
            match std::env::var("SKM_SPLITTER").as_deref() {
                Ok("scalar") => Splitter::Scalar,
                Ok("sse2") if best != Splitter::Scalar => Splitter::Sse2,
                _ => best,
            }
        })
    }

    /// The best path this CPU runs.
    pub fn best() -> Splitter {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                return Splitter::Avx2;
            }
            Splitter::Sse2
        }
        #[cfg(not(target_arch = "x86_64"))]
        Splitter::Scalar
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Splitter::Avx2 => "avx2",
            Splitter::Sse2 => "sse2",
            Splitter::Scalar => "scalar",
        }
    }
}

/// `records` with a given splitter (the tests run every one the CPU has on the same texts).
/// A path the CPU lacks falls back to the best it has.
pub(super) fn records_as<'t>(
    splitter: Splitter,
    text: &'t str,
    split: Split<'_>,
    each: impl FnMut(usize, &mut Vec<Cell<'t>>) -> Result<()>,
) -> Result<()> {
    match (splitter, Splitter::best()) {
        #[cfg(target_arch = "x86_64")]
        (Splitter::Avx2, Splitter::Avx2) => {
            // SAFETY: the CPU has AVX2 (`best`, detected at run time).
            unsafe { records_avx2(text, split, each) }
        }
        #[cfg(target_arch = "x86_64")]
        (Splitter::Avx2 | Splitter::Sse2, _) => records_with::<Sse2>(text, split, each),
        _ => records_with::<Scalar>(text, split, each),
    }
}

/// `records_with::<Avx2>` compiled for AVX2, so that its scan of each block is inlined.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn records_avx2<'t>(
    text: &'t str,
    split: Split<'_>,
    each: impl FnMut(usize, &mut Vec<Cell<'t>>) -> Result<()>,
) -> Result<()> {
    records_with::<Avx2>(text, split, each)
}

#[inline(always)]
fn records_with<'t, S: BlockScan>(
    text: &'t str,
    split: Split<'_>,
    mut each: impl FnMut(usize, &mut Vec<Cell<'t>>) -> Result<()>,
) -> Result<()> {
    let Split {
        delimiter,
        limits,
        first,
    } = split;
    let bytes = text.as_bytes();
    let mut pos = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut quoted: Option<Quoted> = None;
    let mut row: Vec<Cell<'t>> = Vec::new();
    let mut i = first;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        row.clear();
        // A line with no quote and no lone `\r`, split at its delimiters where it lies.
        if let Some((used, record)) = plain_line::<S>(rest, delimiter, limits, &mut row) {
            pos += used;
            if !record {
                continue;
            }
        } else {
            row.clear();
            let q = quoted.get_or_insert_with(|| Quoted::new(delimiter));
            // (`csv_core` writes the fields without their quotes in a buffer of its own: these
            // cells own their texts.)
            let (used, got) = q.record(rest, |field| push_cell(&mut row, field, limits));
            pos += used;
            if !got {
                continue;
            }
        }
        // (A record's length is bounded while reading, `Stream`, or by the file's size.)
        if row.len() > limits.kolom {
            return Err(TooLarge(format!(
                "baris {} punya {} kolom, melebihi batas {} ([batas] kolom)",
                i + 1,
                row.len(),
                limits.kolom
            ))
            .into());
        }
        each(i as usize, &mut row)?;
        i += 1;
    }
    Ok(())
}

/// Reads the line at the start of `text` when it holds no quote and no `\r` but one right
/// before its `\n` (or at the text's end): its fields pushed on `row` as cells that borrow
/// from `text`, and the bytes used (through the line break) and whether it was a record (an
/// empty line is none). `None` for a line that needs the quoting rules (`Quoted`).
///
/// The line is scanned a block at a time for the bytes that matter (`BlockScan::specials`: 16 or 32
/// bytes), so that a field's end is found without a test on each of its bytes.
#[inline(always)]
fn plain_line<'t, S: BlockScan>(
    text: &'t [u8],
    delimiter: u8,
    limits: &Limits,
    row: &mut Vec<Cell<'t>>,
) -> Option<(usize, bool)> {
    let mut start = 0;
    let mut block = 0;
    loop {
        let (mut mask, len) = match text.get(block..block + S::WIDTH) {
            Some(b) => (S::specials(b, delimiter), S::WIDTH),
            None => (specials_tail(&text[block..], delimiter), text.len() - block),
        };
        while mask != 0 {
            let j = block + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            match text[j] {
                b'"' => return None,
                b'\r' => match text.get(j + 1) {
                    Some(b'\n') => return Some(line_end(text, start, j, j + 2, row, limits)),
                    Some(_) => return None,
                    None => return Some(line_end(text, start, j, j + 1, row, limits)),
                },
                b'\n' => return Some(line_end(text, start, j, j + 1, row, limits)),
                _ => {
                    push_plain(row, &text[start..j], limits);
                    start = j + 1;
                }
            }
        }
        block += len;
        if block >= text.len() {
            return Some(line_end(text, start, text.len(), text.len(), row, limits));
        }
    }
}

/// A plain line's last field, `text[start..end]`, pushed (none if the line is empty); what
/// `plain_line` returns.
#[inline(always)]
fn line_end<'t>(
    text: &'t [u8],
    start: usize,
    end: usize,
    used: usize,
    row: &mut Vec<Cell<'t>>,
    limits: &Limits,
) -> (usize, bool) {
    if end == 0 {
        return (used, false);
    }
    push_plain(row, &text[start..end], limits);
    (used, true)
}

/// A field of a plain line: the usual cells (blank, or a plain text with nothing to trim)
/// made in place, the same cells `borrowed_cell` gives, without a cell built aside and copied.
#[inline(always)]
fn push_plain<'t>(row: &mut Vec<Cell<'t>>, field: &'t [u8], limits: &Limits) {
    // SAFETY: `field` is part of a `&str` cut at ASCII bytes (delimiters, line breaks).
    let s = unsafe { std::str::from_utf8_unchecked(field) };
    if field.is_empty() {
        row.push(Cell::Empty);
    } else if plain(field, limits) {
        push_in_place(row, s);
    } else {
        row.push(ingest::borrowed_cell(s, limits));
    }
}

/// Pushes a borrowed text cell written straight into `row`'s memory. (Made aside and moved
/// in, its tag and its length were written in two pieces and read back as one, a stall that
/// perf showed as ~8% of a big file's time.)
#[inline(always)]
fn push_in_place<'t>(row: &mut Vec<Cell<'t>>, s: &'t str) {
    row.reserve(1);
    let n = row.len();
    // SAFETY: `reserve` made room for one more cell at `n`, which is then counted.
    unsafe {
        row.as_mut_ptr()
            .add(n)
            .write(Cell::Text(ingest::Text::Borrowed(s)));
        row.set_len(n + 1);
    }
}

/// A way to find, in a block of `WIDTH` bytes, those that end a field or need the quoting
/// rules (the delimiter, `\n`, `\r`, `"`), as a bit mask (bit `k` for byte `k`).
trait BlockScan {
    const WIDTH: usize;
    /// `block` is `WIDTH` bytes long.
    fn specials(block: &[u8], delimiter: u8) -> u32;
}

/// Declares a block scan: its type, the bytes of a block, and how a block's `specials` are
/// found (`|block, delimiter| …`).
macro_rules! block_scan {
    ($(#[$doc:meta])* $name:ident, $width:literal, |$block:ident, $delimiter:ident| $body:expr) => {
        $(#[$doc])*
        pub(super) struct $name;

        impl BlockScan for $name {
            const WIDTH: usize = $width;
            #[inline(always)]
            fn specials($block: &[u8], $delimiter: u8) -> u32 {
                $body
            }
        }
    };
}

block_scan!(
    /// Byte by byte (any CPU).
    Scalar,
    16,
    |block, delimiter| specials_tail(block, delimiter)
);

/// The x86_64 block scans: SSE2 (every x86_64) and AVX2 (where the CPU has it).
#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::BlockScan;

    block_scan!(
        /// 16 bytes at a time with SSE2, part of every x86_64.
        Sse2,
        16,
        |block, delimiter| {
            use std::arch::x86_64::*;
            assert!(block.len() >= 16);
            // SAFETY: SSE2 is part of every x86_64 target; the load reads 16 bytes of `block`.
            unsafe {
                let v = _mm_loadu_si128(block.as_ptr().cast());
                let eq = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
                let m = _mm_or_si128(
                    _mm_or_si128(eq(delimiter), eq(b'\n')),
                    _mm_or_si128(eq(b'\r'), eq(b'"')),
                );
                _mm_movemask_epi8(m) as u32
            }
        }
    );

    block_scan!(
        /// 32 bytes at a time with AVX2; only reached through `records_avx2`, on a CPU that
        /// has it.
        Avx2,
        32,
        |block, delimiter| {
            assert!(block.len() >= 32);
            // SAFETY: `Avx2` is only used by `records_avx2`, called when the CPU has AVX2.
            unsafe { avx2_specials(block, delimiter) }
        }
    );

    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn avx2_specials(block: &[u8], delimiter: u8) -> u32 {
        use std::arch::x86_64::*;
        // SAFETY: the caller has checked that `block` holds 32 bytes.
        let v = unsafe { _mm256_loadu_si256(block.as_ptr().cast()) };
        let eq = |b: u8| _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b as i8));
        let m = _mm256_or_si256(
            _mm256_or_si256(eq(delimiter), eq(b'\n')),
            _mm256_or_si256(eq(b'\r'), eq(b'"')),
        );
        _mm256_movemask_epi8(m) as u32
    }
}

#[cfg(target_arch = "x86_64")]
use x86::{Avx2, Sse2};

/// `specials` of fewer than 16 bytes (or of any block, byte by byte).
#[inline]
fn specials_tail(bytes: &[u8], delimiter: u8) -> u32 {
    let mut mask = 0;
    for (k, &b) in bytes.iter().enumerate() {
        if b == delimiter || b == b'\n' || b == b'\r' || b == b'"' {
            mask |= 1 << k;
        }
    }
    mask
}

/// A field `borrowed_cell` keeps as it is: it starts and ends with a printable ASCII character
/// (nothing to trim), is no formula error (`#…`), and is within the character limit by bytes.
#[inline]
fn plain(field: &[u8], limits: &Limits) -> bool {
    let edge = |b: u8| b.is_ascii_graphic() && b != b'#';
    match (field.first(), field.last()) {
        (Some(&a), Some(&z)) => {
            edge(a) && z.is_ascii_graphic() && field.len() <= limits.karakter_sel
        }
        _ => false,
    }
}

/// Adds a field's cell to `row`.
fn push_cell(row: &mut Vec<Cell<'_>>, field: &[u8], limits: &Limits) {
    debug_assert!(std::str::from_utf8(field).is_ok());
    // SAFETY: a field is `csv_core`'s copy of UTF-8 text (`records` takes a `&str`) less its
    // quotes, cut at ASCII bytes (delimiters, quotes, line breaks).
    let s = unsafe { std::str::from_utf8_unchecked(field) };
    row.push(text_cell(s, limits));
}

/// `csv_core`'s reader for the records that hold a quote or a lone `\r`, one record at a time,
/// each starting at a record's start.
struct Quoted {
    reader: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl Quoted {
    fn new(delimiter: u8) -> Quoted {
        let mut q = Quoted {
            reader: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 1024],
            ends: vec![0; 64],
        };
        // The reader drops a BOM only at its very start, which `records` has passed: a first
        // record read and thrown away makes a BOM further on a field's text, as in the `csv`
        // crate.
        q.record(b"x\n", |_| ());
        q
    }

    /// Reads the record at the start of `input`: the bytes used, and whether there was a
    /// record (not only empty lines); `field` gets each field's bytes.
    fn record(&mut self, input: &[u8], mut field: impl FnMut(&[u8])) -> (usize, bool) {
        use csv_core::ReadRecordResult as R;
        let (mut used, mut nout, mut nend) = (0, 0, 0);
        loop {
            let at_end = used == input.len();
            let (res, i, o, e) = self.reader.read_record(
                &input[used..],
                &mut self.out[nout..],
                &mut self.ends[nend..],
            );
            used += i;
            nout += o;
            nend += e;
            match res {
                // The text's end: a call with no input ends the last record.
                R::InputEmpty if !at_end => {}
                R::InputEmpty | R::End => return (used, false),
                R::OutputFull => self.out.resize(self.out.len() * 2, 0),
                R::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                R::Record => break,
            }
        }
        let mut start = 0;
        for &end in &self.ends[..nend] {
            field(&self.out[start..end]);
            start = end;
        }
        (used, true)
    }
}

/// A chunk that is not UTF-8 text (`NotText`).
#[derive(Debug, thiserror::Error)]
#[error("{0:?}")]
pub struct NotTextError(pub NotText);

#[cfg(test)]
mod tests {
    use super::*;

    fn split(delimiter: u8, limits: &Limits, first: u64) -> Split<'_> {
        Split {
            delimiter,
            limits,
            first,
        }
    }

    /// Every chunking of `text` gives the records and numbers the `csv` crate gives whole.
    fn chunked(text: &str, target: usize) -> Vec<(usize, Vec<String>)> {
        let dir =
            std::env::temp_dir().join(format!("skm-csvstream-{}-{target}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.csv");
        std::fs::write(&p, text).unwrap();
        let Open::Stream(mut s) = open(&p, "a.csv", &Limits::default()).unwrap() else {
            panic!("not streamed")
        };
        let mut out = Vec::new();
        let mut seq = 0;
        let mut next = 0u64;
        while let Some(c) = s.next_chunk(target, 1).unwrap() {
            assert_eq!(c.first_record, next, "chunk {seq}");
            next += c.records;
            let before = out.len();
            parse_chunk(&c, s.delimiter, &Limits::default(), |i, row| {
                out.push((i, row.iter().map(Cell::display).collect()))
            })
            .unwrap();
            assert_eq!((out.len() - before) as u64, c.records, "chunk {seq}: {c:?}");
            seq += 1;
        }
        std::fs::remove_dir_all(&dir).ok();
        out
    }

    /// The text read whole, as `csvfile` reads a UTF-8 file: its delimiter sniffed, then every
    /// record.
    fn whole(text: &str) -> Vec<(usize, Vec<String>)> {
        let mut out = Vec::new();
        let delimiter = sniff::sniff_delimiter(text.as_bytes());
        let limits = Limits::default();
        let split = split(delimiter, &limits, 0);
        records(text, split, |i, row| {
            out.push((i, row.iter().map(Cell::display).collect()));
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn chunks_cut_at_record_ends_whatever_the_quoting() {
        let text = "Judul;\"A \"\"kutip\"\"\nbaris dua\"\n\nNo;U1;U2\r\n1;\"4\n\";3\r\n\r\n2;x\"y;\"3\"\"\"\n\
                    3;\"a;b\";\"\n\n\"\n4;4;4";
        let want = whole(text);
        assert_eq!(want.len(), 6, "{want:?}");
        for target in 1..text.len() + 2 {
            assert_eq!(chunked(text, target), want, "target {target}");
        }
    }

    /// `records` reads what the `csv` crate reads, record by record and cell by cell, on
    /// texts made of every character that matters to CSV (quotes, delimiters, `\r`, `\n`,
    /// BOMs, spaces).
    #[test]
    fn records_are_the_csv_crates() {
        // The second alphabet has few quotes and line breaks: lines of several 16-byte blocks
        // that `plain_line` splits itself.
        let quoting = ['a', ';', '"', '\n', '\r', ' ', 'é', '\u{feff}', '5', ','];
        let plain = [
            'a', ';', 'b', ';', '\n', '\r', ' ', 'é', '5', ';', 'x', '"', 'y', 'z', 'w', '1', '2',
            '3', '4', ',',
        ];
        let mut rng = crate::rng::Rng::new(0x2545_f491_4f6c_dd1du64);
        let mut next = || rng.next_u64();
        let limits = Limits::default();
        for case in 0..60_000 {
            let alphabet: &[char] = if case % 2 == 0 { &quoting } else { &plain };
            let len = (next() % if case % 2 == 0 { 40 } else { 120 }) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let mut want = Vec::new();
            let mut rdr = csv::ReaderBuilder::new()
                .delimiter(b';')
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            for rec in rdr.records() {
                let rec = rec.unwrap();
                want.push(
                    rec.iter()
                        .map(|f| text_cell(f, &limits).display())
                        .collect::<Vec<_>>(),
                );
            }
            let mut got = Vec::new();
            let split = split(b';', &limits, 7);
            records(&text, split, |i, row| {
                assert_eq!(i, 7 + got.len(), "case {case}: {text:?}");
                got.push(row.iter().map(Cell::display).collect::<Vec<_>>());
                Ok(())
            })
            .unwrap();
            assert_eq!(got, want, "case {case}: {text:?}");
        }
    }

    /// Every splitter the CPU has gives the same records: on the fuzz corpus's CSV seeds, and
    /// on random texts of every length around the 16- and 32-byte blocks.
    #[test]
    fn the_avx2_sse2_and_scalar_splitters_agree() {
        let mut all = vec![Splitter::Scalar];
        #[cfg(target_arch = "x86_64")]
        all.push(Splitter::Sse2);
        if Splitter::best() == Splitter::Avx2 {
            all.push(Splitter::Avx2);
        }
        let read = |sp: Splitter, text: &str, d: u8| {
            let mut got = Vec::new();
            let limits = Limits::default();
            let split = split(d, &limits, 0);
            records_as(sp, text, split, |i, row| {
                got.push((i, row.iter().map(Cell::display).collect::<Vec<_>>()));
                Ok(())
            })
            .map(|()| got)
            .map_err(|e| e.to_string())
        };
        let mut texts: Vec<(String, u8)> = Vec::new();
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/csv");
        for e in std::fs::read_dir(&corpus).unwrap() {
            let bytes = std::fs::read(e.unwrap().path()).unwrap();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let d = sniff::sniff_delimiter(text.as_bytes());
            texts.push((text, d));
        }
        assert!(texts.len() >= 2, "the corpus");
        let alphabet = [
            'a', ';', 'b', '\n', '\r', ' ', 'é', '5', '"', ',', 'x', '\t',
        ];
        let mut rng = crate::rng::Rng::new(0x9e37_79b9_7f4a_7c15u64);
        let mut next = || rng.next_u64();
        for case in 0..20_000 {
            let len = (next() % 200) as usize;
            // Mostly plain bytes, so that lines span several blocks.
            let text: String = (0..len)
                .map(|_| match next() % 16 {
                    0..=9 => 'q',
                    k => alphabet[((k as usize) * 7 + case) % alphabet.len()],
                })
                .collect();
            texts.push((text, b';'));
        }
        for (text, d) in &texts {
            let want = read(Splitter::Scalar, text, *d);
            for sp in &all {
                assert_eq!(read(*sp, text, *d), want, "{}: {text:?}", sp.as_str());
            }
        }
    }

    #[test]
    fn limits_stop_the_file_while_reading() {
        let dir = std::env::temp_dir().join(format!("skm-csvstream-lim-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.csv");
        std::fs::write(&p, "a;b\n1;2\n3;4\n5;6\n").unwrap();
        let limits = Limits {
            baris: 2,
            ..Limits::default()
        };
        let Open::Stream(mut s) = open(&p, "a.csv", &limits).unwrap() else {
            panic!()
        };
        let e = s.next_chunk(1 << 20, 1).unwrap_err();
        assert!(e.downcast_ref::<TooLarge>().is_some(), "{e}");
        assert!(e.to_string().contains("lebih dari 2 baris"), "{e}");
        // An unclosed quote: one record as long as the rest of the file.
        std::fs::write(&p, format!("a;b\n\"{}\n", "x\n".repeat(5000))).unwrap();
        let limits = Limits {
            kolom: 2,
            karakter_sel: 100,
            ..Limits::default()
        };
        let Open::Stream(mut s) = open(&p, "a.csv", &limits).unwrap() else {
            panic!()
        };
        let e = s.next_chunk(1 << 20, 1).unwrap_err();
        assert!(e.to_string().contains("tidak ditutup"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
