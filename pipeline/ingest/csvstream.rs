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

use super::csvfile::{self, Encoding};
use super::{text_cell, Cell, Limits, TooLarge};

/// How a CSV file is to be read.
pub enum Open {
    /// As a stream of chunks.
    Stream(Stream),
    /// Whole, by `csvfile::read`: UTF-16 (by its BOM), not UTF-8 in its first block, or empty.
    Whole,
}

/// The bytes read at once from the file.
const BLOCK: usize = 1 << 20;

/// Opens `path` for reading in chunks (see the module's rule), or says to read it whole, or
/// why it cannot be read at all.
pub fn open(path: &Path, rel: &str, limits: &Limits) -> Result<Open> {
    let mut file = File::open(path).with_context(|| format!("cannot read {rel}"))?;
    let mut first = Vec::with_capacity(BLOCK);
    (&mut file)
        .take(BLOCK as u64)
        .read_to_end(&mut first)
        .with_context(|| format!("cannot read {rel}"))?;
    if let Some(what) = csvfile::known_binary(&first) {
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
    let delimiter = csvfile::sniff_delimiter(text);
    let eof = first.len() < BLOCK;
    Ok(Open::Stream(Stream {
        file,
        rel: rel.to_string(),
        encoding,
        delimiter,
        limits: *limits,
        buf: text.to_vec(),
        offset: skip as u64,
        scanned: 0,
        scan: Scan::new(delimiter),
        records_cut: 0,
        eof,
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
        loop {
            // Scan what has been read, looking for a record's end past the target.
            let start_records = self.records_cut;
            let cut = self.scan_for_cut(target, min_records, start_records)?;
            if let Some(end) = cut {
                return Ok(Some(self.take(end)));
            }
            if self.eof {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                let end = self.buf.len();
                return Ok(Some(self.take(end)));
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
        (self.limits.kolom as u64).saturating_mul(self.limits.karakter_sel as u64 * 4 + 3)
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

    /// Reads the next block; sets `eof` at the end.
    fn fill(&mut self) -> Result<()> {
        self.buf.reserve(BLOCK);
        let got = (&mut self.file)
            .take(BLOCK as u64)
            .read_to_end(&mut self.buf)
            .with_context(|| format!("cannot read {}", self.rel))?;
        if got == 0 {
            self.eof = true;
        }
        Ok(())
    }

    /// Gives back a chunk's bytes once parsed, to be reused for a later chunk.
    pub fn recycle(&mut self, mut bytes: Vec<u8>) {
        if self.spare.len() < 8 {
            bytes.clear();
            self.spare.push(bytes);
        }
    }

    /// Hands out `buf[..end]` as a chunk.
    fn take(&mut self, end: usize) -> Chunk {
        let mut bytes = self.spare.pop().unwrap_or_default();
        bytes.extend_from_slice(&self.buf[..end]);
        self.buf.drain(..end);
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
/// not UTF-8 or holds a NUL (`NotText`, in the error's chain), a record the `csv` crate cannot
/// read.
pub fn parse_chunk(
    chunk: &Chunk,
    delimiter: u8,
    limits: &Limits,
    mut each: impl FnMut(usize, &[Cell]),
) -> Result<()> {
    if let Err(e) = std::str::from_utf8(&chunk.bytes) {
        let at = chunk.offset + e.valid_up_to() as u64;
        return Err(NotTextError(NotText::Utf8(at)).into());
    }
    if let Some(at) = chunk.bytes.iter().position(|&b| b == 0) {
        return Err(NotTextError(NotText::Nul(chunk.offset + at as u64)).into());
    }
    records(
        &chunk.bytes,
        delimiter,
        limits,
        chunk.first_record,
        |i, row| {
            each(i, row);
            Ok(())
        },
    )
}

/// The records of CSV text as cells, the first numbered `first` (0-based): `each(i, row)`,
/// which may stop the reading with an error. A record with more columns than `[batas] kolom`
/// is an error (`TooLarge`), as is one the `csv` crate cannot read. Shared by the chunks and
/// by a CSV file read whole (`csvfile`).
pub(super) fn records(
    bytes: &[u8],
    delimiter: u8,
    limits: &Limits,
    first: u64,
    mut each: impl FnMut(usize, &[Cell]) -> Result<()>,
) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rec = csv::StringRecord::new();
    let mut row: Vec<Cell> = Vec::new();
    for k in 0.. {
        let i = first + k;
        if !reader
            .read_record(&mut rec)
            .with_context(|| format!("CSV record {} cannot be read", i + 1))?
        {
            break;
        }
        if rec.len() > limits.kolom {
            return Err(TooLarge(format!(
                "baris {} punya {} kolom, melebihi batas {} ([batas] kolom)",
                i + 1,
                rec.len(),
                limits.kolom
            ))
            .into());
        }
        row.clear();
        row.extend(rec.iter().map(|f| text_cell(f, limits)));
        each(i as usize, &row)?;
    }
    Ok(())
}

/// A chunk that is not UTF-8 text (`NotText`).
#[derive(Debug, thiserror::Error)]
#[error("{0:?}")]
pub struct NotTextError(pub NotText);

#[cfg(test)]
mod tests {
    use super::*;

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

    fn whole(text: &str) -> Vec<(usize, Vec<String>)> {
        let sheet = csvfile::read_bytes(text.as_bytes(), "a.csv", &Limits::default()).unwrap();
        sheet
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (i, r.iter().map(Cell::display).collect()))
            .collect()
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
