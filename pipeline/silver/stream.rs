//! A CSV questionnaire into silver as a stream: read in chunks cut at record boundaries
//! (`ingest::csvstream`), the chunks normalized on `threads` threads, each chunk's rows encoded
//! and compressed there as one row group per year (`tables::encode`), and the results put back
//! in row order by one writer that appends the row groups to the file's parts and adds up the
//! sums. Memory is bounded by the chunk size times the chunks
//! in flight, whatever the file's size, and the tables are those reading the file whole gives
//! (`tests/it/big_files.rs`).
//!
//! ```text
//! reader (this thread)          workers (threads)                 writer (one thread)
//! head: rows to the header  →   rows → Piece → row groups, sums → in order: parts, sums,
//! chunk 1, 2, … (tickets)                                          rejects, tally → ticket back
//! ```
//!
//! The head (the first rows, at least down to where a header may be) decides: a questionnaire
//! header is streamed; anything else is read the usual way (`Streamed::Whole`), the head alone
//! when it is the whole file. Refusals that need every row (a Likert-5 form) are decided at the
//! end, and then the parts written are removed. A file under `SMALL_BYTES` goes the same way
//! on one thread (`Run::alone`: each job read, then written, in turn).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc::{channel, sync_channel, Receiver};
use std::sync::Mutex;

use anyhow::{Context as _, Result};

use super::early::{EarlyKeys, EarlyLog, PieceKeys};
use super::read_context::ReadContext;
use super::sums::{self, SumRow};
use super::untimed::Untimed;
use super::SilverDirs;
use crate::ingest::csvstream::{self, Chunk, NotText, NotTextError, Open, Stream};
use crate::ingest::xlsxsplit::{self, Parsed, Plain, Split};
use crate::ingest::xlsxstream::{OutOfOrder, SheetRows, Workbook};
use crate::ingest::{Cell, InboxFile, RawSheet, TooLarge, Unreadable};
use crate::normalize::closing_audit::ClosingRow;
use crate::normalize::find_header::{find_header, Found};
use crate::normalize::questionnaire::{min_date, Piece, PieceReader, Plan, Tally};
use crate::normalize::{
    self, frame, CaraBaca, FileAccount, RejectLog, Response, HEADER_SEARCH_ROWS,
};
use crate::tables::{self, Dictionary, PartWriter, RowGroup};

/// The head's size (at most): enough for the rows a header is searched in.
const HEAD_BYTES: usize = 256 << 10;
/// A chunk's size, and so a row group's (~54K rows of a usual questionnaire). Memory: about 10
/// bytes of rows and frames per byte of chunk, times the chunks in flight (`threads + 1`).
/// Measured on 10M responses in one file (BENCHMARKS.md): each chunk encoded as its own row
/// group, 1 MiB chunks cost 35% more time than 4 MiB ones (a row group's dictionaries and
/// compression contexts are made afresh).
const CHUNK_BYTES: usize = 4 << 20;

/// A CSV file smaller than this is read on its own thread (`Run::alone`), without the threads
/// of a stream: less time for a file of a chunk or so (nothing to put back in order). It is
/// still read from its text as chunks are: reading it into a sheet of owned cells first
/// (`Streamed::Whole`) took ~20% more CPU on 384 files of 2.6 MB.
const SMALL_BYTES: u64 = 4 << 20;

/// The chunk size: `SKM_CHUNK_KB` (KiB) when set, else `CHUNK_BYTES`; `SKM_CHUNK_KB=0` reads
/// every CSV file whole, as before streaming (for comparisons: `tests/it/big_files.rs`).
fn chunk_bytes() -> Option<usize> {
    match std::env::var("SKM_CHUNK_KB")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        Some(0) => None,
        Some(kb) => Some(kb << 10),
        None => Some(CHUNK_BYTES),
    }
}

/// Whether a CSV file of `size` bytes is streamed on several threads (`Run::go`), not on its
/// reader's thread alone (`Run::alone`).
pub(super) fn is_big(size: u64) -> bool {
    chunk_bytes().is_some_and(|chunk| size >= SMALL_BYTES.min(4 * chunk as u64))
}

/// What streaming a file gave.
pub(super) enum Streamed {
    Done(Box<StreamedFile>),
    /// To be read the usual way (whole): not a questionnaire, or not UTF-8.
    Whole,
}

/// A file read as a stream: what `worker::ingest_file` gets from reading a file whole.
pub(super) struct StreamedFile {
    pub account: FileAccount,
    /// Everything but the responses (they are in the parts).
    pub out: normalize::Output,
    pub parts: Vec<(i32, PathBuf)>,
    pub sums: Vec<SumRow>,
    pub keyed: usize,
    pub untimed: Untimed,
    /// Its keyed rows as they were read (`early`), for the duplicates pass.
    pub early: Option<EarlyKeys>,
    /// The file's content hash when the stream read it to its end (`Stream::content_hash`):
    /// a file not hashed before it was read (`worker::facts_of`) is not read again for it.
    pub hash: Option<String>,
}

/// Streams CSV file `f` (number `i` in the inbox) into silver.
pub(super) fn csv_file(
    i: usize,
    f: &InboxFile,
    size: u64,
    sh: &ReadContext<'_>,
) -> Result<Streamed> {
    let limits = &sh.config.batas;
    let Some(chunk) = chunk_bytes() else {
        return Ok(Streamed::Whole);
    };
    // A small file is read on this thread alone, its rows straight from its text as a big
    // file's chunks are (no copy of its cells into a sheet), without the threads of a stream.
    let alone = !is_big(size);
    if size > limits.csv_mb * 1024 * 1024 {
        let reason = format!(
            "ukuran {} MiB melebihi batas {} MiB untuk CSV ([batas] csv_mb)",
            size / 1024 / 1024,
            limits.csv_mb
        );
        return Ok(unreadable(f, &reason, Unreadable::TooLarge));
    }
    let mut stream = match csvstream::open(&f.path, &f.rel, limits) {
        Ok(Open::Stream(s)) => s,
        Ok(Open::Whole) => return Ok(whole_or_refused(f, size, sh, None)),
        Err(e) => return Ok(refused_by(f, e)),
    };
    crate::faults::point("ingest");
    let head_chunk = match stream.next_chunk(HEAD_BYTES.min(chunk), HEADER_SEARCH_ROWS as u64 + 1) {
        Ok(c) => c.unwrap_or_else(empty_chunk),
        Err(e) => return Ok(refused_by(f, e)),
    };
    let mut head = RawSheet {
        file: f.rel.clone(),
        sheet: String::new(),
        rows: Vec::new(),
        first_row: 1,
        hidden: false,
        visibility: Default::default(),
        encoding: Some(stream.encoding),
        date_1904: false,
    };
    let parsed = csvstream::parse_chunk(&head_chunk, stream.delimiter, limits, |_, row| {
        head.rows
            .push(row.iter().cloned().map(Cell::into_owned).collect())
    });
    if let Err(e) = parsed {
        return Ok(match e.downcast_ref::<NotTextError>() {
            Some(NotTextError(what)) => whole_or_refused(f, size, sh, Some(what)),
            None => refused_by(f, e),
        });
    }
    let whole_file = stream.at_end();
    let header = match find_header(&head, sh.ctx.layout, sh.ctx.realisasi, sh.ctx.registry) {
        Found::Header(h) => h,
        _ if whole_file => {
            let whole = sheet_whole(&head, sh);
            let hash = stream.content_hash();
            return Ok(Streamed::Done(Box::new(StreamedFile { hash, ..whole })));
        }
        _ => return Ok(whole_or_refused(f, size, sh, None)),
    };
    let mut plan = Plan::new(&head, &header, &sh.ctx);
    let settle = |p: &mut Plan<'_>| settle_dates(p, f, header.row, limits, chunk);
    if let Err(e) = settled(&mut plan, whole_file, settle) {
        return Ok(refused_by(f, e));
    }
    let run = Run::new(&plan, &head, header.row, sh, i);
    let source = Source::Csv {
        stream: &mut stream,
        chunk,
    };
    let done = if alone {
        run.alone(source)
    } else {
        let _turn = sh.big.turn();
        run.go(source, sh.big.threads)
    };
    match done {
        Ok(done) => {
            let hash = stream.content_hash();
            Ok(Streamed::Done(Box::new(StreamedFile { hash, ..done })))
        }
        // Not the input's fault (a full disk, a frame that breaks the dictionary): the run stops.
        Err(e) if e.downcast_ref::<WriteFailed>().is_some() => Err(e),
        Err(e) => Ok(match e.downcast_ref::<NotTextError>() {
            Some(NotTextError(what)) => whole_or_refused(f, size, sh, Some(what)),
            None => refused_by(f, e),
        }),
    }
}

/// The rows of a sheet handed to the workers at once: `SKM_SHEET_CHUNK_ROWS` when set (the
/// tests read one sheet at several), else `default` (`SHEET_CHUNK_ROWS` for rows of cells,
/// `XML_PIECE_ROWS` for a plain sheet's XML).
fn sheet_chunk_rows(default: usize) -> usize {
    std::env::var("SKM_SHEET_CHUNK_ROWS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

/// A sheet's rows to a job: about the responses of a CSV chunk (`CHUNK_BYTES`).
const SHEET_CHUNK_ROWS: usize = 32 * 1024;

/// About 8 MB of a questionnaire's XML (the pieces in flight are the stream's memory).
const XML_PIECE_ROWS: usize = 8 * 1024;

/// Whether `f` is an XLSX workbook (a big one is streamed, `xlsx_file`).
pub(super) fn is_xlsx(f: &InboxFile) -> bool {
    !f.link
        && f.path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Streams a big XLSX workbook `f` (number `i` in the inbox) of one visible sheet into
/// silver: a plainly laid out one (`xlsxsplit`) cut into pieces of XML on this thread and each
/// piece parsed and normalized on the others; any other read cell by cell by calamine on this
/// thread (inflating and XML), its rows normalized on the others. Any other workbook, and a
/// sheet that is not a questionnaire, is read whole (`Streamed::Whole`).
pub(super) fn xlsx_file(
    f: &InboxFile,
    size: u64,
    (i, sh): (usize, &ReadContext<'_>),
) -> Result<Streamed> {
    let limits = &sh.config.batas;
    if chunk_bytes().is_none() || !is_big(size) {
        return Ok(Streamed::Whole);
    }
    let (sheet, date_1904) = match Workbook::open(&f.path, limits) {
        // calamine's reader set on the sheet's rows (to its first value) either way: what
        // it refuses before the rows, the sheet's way is refused too.
        Ok(Some(mut wb)) => {
            let named = (wb.sheet.clone(), wb.date_1904);
            match wb.rows(limits).map(drop) {
                Ok(()) => named,
                Err(e) if e.is::<OutOfOrder>() => return Ok(Streamed::Whole),
                Err(e) => return Ok(refused_by(f, e)),
            }
        }
        Ok(None) => return Ok(Streamed::Whole),
        Err(e) => return Ok(refused_by(f, e)),
    };
    crate::faults::point("ingest");
    if let Some(streamed) = split_file(f, (i, sh), &sheet, date_1904)? {
        return Ok(streamed);
    }
    let mut wb = match Workbook::open(&f.path, limits) {
        Ok(Some(wb)) => wb,
        Ok(None) => return Ok(Streamed::Whole),
        Err(e) => return Ok(refused_by(f, e)),
    };
    let read_head = |rows: &mut SheetRows<'_>| -> Result<Vec<Vec<Cell<'static>>>> {
        Ok(rows
            .next_rows(HEADER_SEARCH_ROWS + 1)?
            .map(|(_, r)| r)
            .unwrap_or_default())
    };
    let (mut rows, head_rows) = match wb.rows(limits).and_then(|mut r| {
        let head = read_head(&mut r)?;
        Ok((r, head))
    }) {
        Ok(r) => r,
        Err(e) if e.is::<OutOfOrder>() => return Ok(Streamed::Whole),
        Err(e) => return Ok(refused_by(f, e)),
    };
    let head = sheet_head(f, sheet, head_rows, rows.first_row, date_1904);
    let at_end = rows.at_end();
    let source = Source::Sheet {
        rows: &mut rows,
        chunk: sheet_chunk_rows(SHEET_CHUNK_ROWS),
    };
    stream_sheet(f, (i, sh), &head, at_end, source)
}

/// `xlsx_file` for a plainly laid out workbook (`xlsxsplit::Plain`); `None` when it is not
/// one, or its first rows are not in order: calamine's cell reader reads it.
fn split_file(
    f: &InboxFile,
    (i, sh): (usize, &ReadContext<'_>),
    sheet: &str,
    date_1904: bool,
) -> Result<Option<Streamed>> {
    let limits = &sh.config.batas;
    let Some(mut plain) = Plain::open(&f.path, sheet, date_1904) else {
        return Ok(None);
    };
    let mut split = match plain.split() {
        Ok(Some(s)) => s,
        Ok(None) => return Ok(None),
        Err(e) => return Ok(Some(refused_by(f, e))),
    };
    let head = match split.head(HEADER_SEARCH_ROWS + 1, limits) {
        Ok(h) => h,
        Err(e) if e.is::<OutOfOrder>() => return Ok(None),
        Err(e) => return Ok(Some(refused_by(f, e))),
    };
    let raw = sheet_head(f, sheet.to_string(), head.rows, head.first_row, date_1904);
    let source = Source::Split {
        split: &mut split,
        rest: head.rest,
        rows: sheet_chunk_rows(XML_PIECE_ROWS),
    };
    // Rows found out of order past the head (a CDATA section, a row without its number):
    // calamine's cell reader streams the sheet instead of its being read whole.
    match stream_sheet(f, (i, sh), &raw, head.at_end, source)? {
        Streamed::Whole => Ok(None),
        streamed => Ok(Some(streamed)),
    }
}

/// A streamed sheet's head as a sheet of its own.
fn sheet_head(
    f: &InboxFile,
    sheet: String,
    rows: Vec<Vec<Cell<'static>>>,
    first_row: usize,
    date_1904: bool,
) -> RawSheet {
    RawSheet {
        file: f.rel.clone(),
        sheet,
        rows,
        first_row,
        hidden: false,
        visibility: Default::default(),
        encoding: None,
        date_1904,
    }
}

/// A workbook's sheet into silver from its `head` (the whole sheet when `at_end`) and the
/// rest of its rows from `source`: a questionnaire streamed; anything else read whole.
fn stream_sheet(
    f: &InboxFile,
    (i, sh): (usize, &ReadContext<'_>),
    head: &RawSheet,
    at_end: bool,
    source: Source<'_, '_>,
) -> Result<Streamed> {
    let limits = &sh.config.batas;
    let Found::Header(header) = find_header(head, sh.ctx.layout, sh.ctx.realisasi, sh.ctx.registry)
    else {
        return Ok(Streamed::Whole);
    };
    let mut plan = Plan::new(head, &header, &sh.ctx);
    let settle = |p: &mut Plan<'_>| settle_sheet_dates(f, limits, p, header.row);
    if let Err(e) = settled(&mut plan, at_end, settle) {
        return Ok(refused_by(f, e));
    }
    let run = Run::new(&plan, head, header.row, sh, i);
    let (done, checked) = {
        let _turn = sh.big.turn();
        // The worksheet's inflated size checked beside the reading, on a core the reading
        // leaves idle part of the time.
        std::thread::scope(|s| {
            let check = s.spawn(|| Workbook::check_sheet(&f.path, limits));
            let done = run.go(source, sh.big.threads);
            let checked = check
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("the archive check stopped")));
            (done, checked)
        })
    };
    if let Err(e) = checked {
        if let Ok(done) = &done {
            for (_, p) in &done.parts {
                let _ = std::fs::remove_file(p);
            }
        }
        return Ok(refused_by(f, e));
    }
    match done {
        Ok(done) => Ok(Streamed::Done(Box::new(done))),
        Err(e) if e.downcast_ref::<WriteFailed>().is_some() => Err(e),
        Err(e) if e.is::<OutOfOrder>() => Ok(Streamed::Whole),
        Err(e) => Ok(refused_by(f, e)),
    }
}

/// The plan's order of day and month settled by `settle` when the head left it open and the
/// head is not the whole file (`all_read`).
fn settled<'p>(
    plan: &mut Plan<'p>,
    all_read: bool,
    settle: impl FnOnce(&mut Plan<'p>) -> Result<()>,
) -> Result<()> {
    if plan.dates_open() && !all_read {
        settle(plan)?;
    }
    Ok(())
}

/// `settle_dates` for a sheet: its rows read again from the start until a date decides.
fn settle_sheet_dates(
    f: &InboxFile,
    limits: &crate::ingest::Limits,
    plan: &mut Plan<'_>,
    header_row: usize,
) -> Result<()> {
    let Some(mut wb) = Workbook::open(&f.path, limits)? else {
        return Ok(());
    };
    let mut rows = wb.rows(limits)?;
    while let Some((first, chunk)) = rows.next_rows(sheet_chunk_rows(SHEET_CHUNK_ROWS))? {
        for (k, row) in chunk.iter().enumerate() {
            if first + k > header_row && plan.observe_dates(first + k, row) {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// The order of day and month when the head's dates all fit both: the rest of the file's
/// dates are looked at, from the start, until one fits one order only (or the file ends), so
/// that every row is read in the order reading the file whole gives (docs/DOMAIN.md, "Dates").
/// Only such files pay for this pass, and only as far as the first deciding date.
fn settle_dates(
    plan: &mut Plan<'_>,
    f: &InboxFile,
    header_row: usize,
    limits: &crate::ingest::Limits,
    chunk: usize,
) -> Result<()> {
    let Open::Stream(mut stream) = csvstream::open(&f.path, &f.rel, limits)? else {
        return Ok(());
    };
    let mut decided = false;
    while !decided {
        let Some(c) = stream.next_chunk(chunk, 1)? else {
            break;
        };
        csvstream::parse_chunk(&c, stream.delimiter, limits, |i, row| {
            if !decided && i > header_row {
                decided = plan.observe_dates(i, row);
            }
        })?;
    }
    Ok(())
}

/// A file that fits in the head and is not a questionnaire: read as one sheet.
fn sheet_whole(head: &RawSheet, sh: &ReadContext<'_>) -> StreamedFile {
    let mut out = normalize::Output::default();
    let o = normalize::sheet(head, &sh.ctx, &mut out);
    StreamedFile {
        account: FileAccount {
            file: head.file.clone(),
            sheets: vec![(String::new(), o)],
            cara_baca: Some(CaraBaca::Utuh),
        },
        out,
        parts: Vec::new(),
        sums: Vec::new(),
        keyed: 0,
        untimed: Untimed::default(),
        early: None,
        hash: None,
    }
}

fn empty_chunk() -> Chunk {
    Chunk {
        first_record: 0,
        records: 0,
        offset: 0,
        bytes: Vec::new(),
    }
}

/// A file that must be read whole: the usual way when it is within `[batas] berkas_mb`, else
/// refused, saying why it could not be streamed.
fn whole_or_refused(
    f: &InboxFile,
    size: u64,
    sh: &ReadContext<'_>,
    not_text: Option<&NotText>,
) -> Streamed {
    let limits = &sh.config.batas;
    if size <= limits.berkas_mb * 1024 * 1024 {
        return Streamed::Whole;
    }
    let why = match not_text {
        Some(NotText::Utf8(at)) => format!("byte ke-{} bukan UTF-8", at + 1),
        Some(NotText::Nul(at)) => format!("byte ke-{} adalah karakter NUL (0x00)", at + 1),
        None => "bukan teks UTF-8 (UTF-16 atau Windows-1252), atau bukan kuesioner yang \
                 judul kolomnya ada di 40 baris pertama"
            .to_string(),
    };
    let reason = format!(
        "ukuran {} MiB melebihi batas {} MiB untuk berkas yang dibaca utuh ([batas] berkas_mb): \
         hanya kuesioner CSV UTF-8 yang dibaca bertahap, dan berkas ini {why}; simpan ulang sebagai \
         \"CSV UTF-8\", atau naikkan berkas_mb",
        size / 1024 / 1024,
        limits.berkas_mb
    );
    unreadable(f, &reason, Unreadable::TooLarge)
}

/// A file refused by what reading it found (a limit, or damage).
fn refused_by(f: &InboxFile, e: anyhow::Error) -> Streamed {
    let why = if e.downcast_ref::<TooLarge>().is_some() {
        Unreadable::TooLarge
    } else {
        Unreadable::Damaged
    };
    unreadable(f, &format!("{e:#}"), why)
}

fn unreadable(f: &InboxFile, reason: &str, why: Unreadable) -> Streamed {
    let (account, out) = normalize::file::unreadable(&f.rel, reason, why);
    Streamed::Done(Box::new(StreamedFile {
        account,
        out,
        parts: Vec::new(),
        sums: Vec::new(),
        keyed: 0,
        untimed: Untimed::default(),
        early: None,
        hash: None,
    }))
}

/// One file being streamed.
struct Run<'a> {
    plan: &'a Plan<'a>,
    head: &'a RawSheet,
    header_row: usize,
    sh: &'a ReadContext<'a>,
    i: usize,
}

/// Writing a streamed file's silver failed: the output's fault, not the input's, so the run
/// stops (with the path and the cause) instead of refusing the file.
#[derive(Debug, thiserror::Error)]
#[error("silver tidak dapat ditulis")]
struct WriteFailed;

/// What to read: the head's rows below the header, a chunk of a CSV file, or rows of a sheet
/// (the index of the first among the sheet's rows, and the rows).
enum Job {
    Head,
    Chunk(Chunk),
    Rows(usize, Vec<Vec<Cell<'static>>>),
    /// A piece of a plain sheet's XML, parsed by the worker.
    Xml(xlsxsplit::Piece),
    /// Rows of a plain sheet parsed past its head.
    Parsed(Parsed),
}

/// Where a streamed file's jobs come from, after the head: a CSV file's chunks of `chunk`
/// bytes, or a sheet's rows `chunk` at a time.
enum Source<'s, 'w> {
    Csv {
        stream: &'s mut Stream,
        chunk: usize,
    },
    Sheet {
        rows: &'s mut SheetRows<'w>,
        chunk: usize,
    },
    /// A plain sheet's XML, `rows` rows a piece, after the rows parsed with its head.
    Split {
        split: &'s mut Split<'w>,
        rest: Option<Parsed>,
        rows: usize,
    },
}

impl Source<'_, '_> {
    /// How the file is read (`files.cara_baca`).
    fn cara(&self) -> CaraBaca {
        match self {
            Source::Csv { .. } => CaraBaca::BertahapCsv,
            Source::Sheet { .. } => CaraBaca::BertahapSel,
            Source::Split { .. } => CaraBaca::BertahapXml,
        }
    }

    fn delimiter(&self) -> u8 {
        match self {
            Source::Csv { stream, .. } => stream.delimiter,
            Source::Sheet { .. } | Source::Split { .. } => b',',
        }
    }

    /// The next job: `first` (the head) once, then the chunks (the bytes of CSV chunks already
    /// parsed given back to the stream to be reused); `None` at the end.
    fn next_job(
        &mut self,
        first: &mut Option<Job>,
        spare: &Receiver<Vec<u8>>,
    ) -> Result<Option<Job>> {
        if let Some(j) = first.take() {
            return Ok(Some(j));
        }
        match self {
            Source::Csv { stream, chunk } => {
                while let Ok(bytes) = spare.try_recv() {
                    stream.recycle(bytes);
                }
                Ok(stream.next_chunk(*chunk, 1)?.map(Job::Chunk))
            }
            Source::Sheet { rows, chunk } => {
                Ok(rows.next_rows(*chunk)?.map(|(i, r)| Job::Rows(i, r)))
            }
            Source::Split { split, rest, rows } => {
                while let Ok(bytes) = spare.try_recv() {
                    split.recycle(bytes);
                }
                if let Some(p) = rest.take() {
                    return Ok(Some(Job::Parsed(p)));
                }
                Ok(split.next_piece(*rows)?.map(Job::Xml))
            }
        }
    }
}

/// A job that failed: its place in the file's order, and why.
type Failed = (usize, anyhow::Error);

/// What one job gave, for the writer.
struct Done {
    seq: usize,
    /// The responses as row groups, one per year.
    groups: Vec<(i32, RowGroup)>,
    sums: Vec<SumRow>,
    rejects: RejectLog,
    tally: Tally,
    keyed: usize,
    keys: PieceKeys,
    untimed: Untimed,
    earliest_future: Option<chrono::NaiveDate>,
    closing: Vec<ClosingRow>,
    /// Whether a row of the job has a value, and the empty rows after its last such row
    /// (`Gathered::trailing`).
    valued: bool,
    trailing: usize,
}

/// What the writer gathered.
#[derive(Default)]
struct Gathered {
    writers: BTreeMap<i32, PartWriter>,
    sums: Vec<Vec<SumRow>>,
    /// Kept compact until the file is done (`RejectLog`).
    rejects: RejectLog,
    tally: Tally,
    keyed: usize,
    early: EarlyLog,
    untimed: Untimed,
    earliest_future: Option<chrono::NaiveDate>,
    /// Closing rows, in order (for the audit of what they state).
    closing: Vec<ClosingRow>,
    /// The empty rows after the last row with a value so far: counted as skipped by their
    /// jobs, not rows of the sheet once no value follows them (a sheet's rows end at its last
    /// value, as `xlsxstream` and the whole read have them).
    trailing: usize,
}

impl<'a> Run<'a> {
    fn new(
        plan: &'a Plan<'a>,
        head: &'a RawSheet,
        header_row: usize,
        sh: &'a ReadContext<'a>,
        i: usize,
    ) -> Run<'a> {
        Run {
            plan,
            head,
            header_row,
            sh,
            i,
        }
    }

    fn go(&self, mut source: Source<'_, '_>, threads: usize) -> Result<StreamedFile> {
        let cara = source.cara();
        let threads = threads.max(1);
        let (job_tx, job_rx) = sync_channel::<(usize, Job)>(threads);
        let job_rx = Mutex::new(job_rx);
        let (done_tx, done_rx) = channel::<Result<Done, Failed>>();
        // Chunks in flight (sent and not yet written): bounds memory whatever the file's size,
        // a file's share of the cores and one more (`BigFiles::window`).
        let window = self.sh.big.window();
        let (ticket_tx, ticket_rx) = sync_channel::<()>(window);
        for _ in 0..window {
            ticket_tx.send(()).expect("tickets");
        }
        let delimiter = source.delimiter();
        let stop = std::sync::atomic::AtomicBool::new(false);
        // Chunks' bytes, given back once parsed, to be reused.
        let (spare_tx, spare_rx) = channel::<Vec<u8>>();
        // Every chunk sent (the spare threads, which wait for idle cores, may stop waiting).
        let sent = std::sync::atomic::AtomicBool::new(false);
        let (gathered, read) = std::thread::scope(|s| {
            for w in 0..threads {
                let done_tx = done_tx.clone();
                let spare_tx = spare_tx.clone();
                let (job_rx, sent) = (&job_rx, &sent);
                s.spawn(move || {
                    // A thread past the file's share of the cores works only once no other
                    // big file waits and fewer than `at_once` stream (`BigFiles::spare`).
                    if w >= self.sh.big.share() && !self.sh.big.spare(sent) {
                        return;
                    }
                    // One reader per thread: its memos of cell readings last across chunks.
                    let mut reader = self.plan.reader(&self.sh.ctx);
                    // Its responses' buffer too: a chunk's rows go where the last chunk's were,
                    // not into memory fresh from the system.
                    let mut responses = Vec::new();
                    loop {
                        let job = job_rx.lock().expect("jobs").recv();
                        let Ok((seq, job)) = job else { break };
                        let done = self.sh.big.at_work(|| {
                            self.work(&mut reader, &mut responses, seq, job, delimiter, &spare_tx)
                        });
                        let _ = done_tx.send(done.map_err(|e| (seq, e)));
                    }
                });
            }
            drop(done_tx);
            let stop = &stop;
            #[allow(clippy::result_large_err)]
            let writer = s.spawn(move || self.write(done_rx, ticket_tx, stop));
            let read = self.read(&mut source, job_tx, (ticket_rx, spare_rx), stop);
            sent.store(true, std::sync::atomic::Ordering::Relaxed);
            (writer.join(), read)
        });
        let gathered =
            gathered.map_err(|_| anyhow::anyhow!("the writer of {} stopped", self.head.file))?;
        let gathered = match (read, gathered) {
            // A job's error is from before the reading's (which stopped at the job after).
            (Err(e), Ok(g)) | (Ok(()), Err((e, g))) | (Err(_), Err((e, g))) => {
                remove_parts(g.writers);
                return Err(e);
            }
            (Ok(()), Ok(g)) => g,
        };
        self.conclude(gathered, cara)
    }

    /// `go` on this thread alone: each job read, then written, in turn.
    fn alone(&self, mut source: Source<'_, '_>) -> Result<StreamedFile> {
        let mut reader = self.plan.reader(&self.sh.ctx);
        let mut responses = Vec::new();
        let (spare_tx, spare_rx) = channel::<Vec<u8>>();
        let mut g = Gathered::default();
        let mut job = Some(Job::Head);
        let mut each = || -> Result<()> {
            for seq in 0.. {
                let Some(next) = source.next_job(&mut job, &spare_rx)? else {
                    break;
                };
                let delimiter = source.delimiter();
                let d = self.work(&mut reader, &mut responses, seq, next, delimiter, &spare_tx)?;
                self.gather(&mut g, d).context(WriteFailed)?;
            }
            Ok(())
        };
        if let Err(e) = each() {
            remove_parts(g.writers);
            return Err(e);
        }
        self.conclude(g, source.cara())
    }

    /// The file's outcome once every job is written (`Plan::conclude`), its parts finished.
    fn conclude(&self, mut gathered: Gathered, cara: CaraBaca) -> Result<StreamedFile> {
        crate::faults::point("normalize");
        let mut out = normalize::Output::default();
        gathered.tally.skipped -= gathered.trailing;
        let (o, parts, sums, keyed, untimed, early) = match self.plan.conclude(&gathered.tally) {
            Ok(mut o) => {
                o.encoding = self.head.encoding;
                out.rejects = std::mem::take(&mut gathered.rejects);
                out.earliest_future = gathered.earliest_future;
                let mut parts = Vec::new();
                for (y, w) in std::mem::take(&mut gathered.writers) {
                    let pieces = w.finish().context(WriteFailed)?;
                    parts.extend(pieces.into_iter().map(|p| (y, p)));
                }
                let merged = sums::merge(gathered.sums);
                if !gathered.closing.is_empty() {
                    // A closing row speaks of every response above it: the file's totals.
                    let (mut sum, mut n) = ([0u64; 9], [0u64; 9]);
                    for r in merged.iter().filter(|r| r.dimensi.is_none()) {
                        for k in 0..9 {
                            sum[k] += r.sum[k].max(0) as u64;
                            n[k] += r.n[k].max(0) as u64;
                        }
                    }
                    out.findings = self
                        .plan
                        .audit(&gathered.tally, (sum, n), &gathered.closing);
                }
                let untimed = std::mem::take(&mut gathered.untimed);
                let early = std::mem::take(&mut gathered.early)
                    .finish()
                    .context(WriteFailed)?;
                (o, parts, merged, gathered.keyed, untimed, early)
            }
            Err((reject, o)) => {
                remove_parts(gathered.writers);
                out.rejects = vec![reject].into();
                (o, Vec::new(), Vec::new(), 0, Untimed::default(), None)
            }
        };
        Ok(StreamedFile {
            account: FileAccount {
                file: self.head.file.clone(),
                sheets: vec![(self.head.sheet.clone(), o)],
                cara_baca: Some(cara),
            },
            out,
            parts,
            sums,
            keyed,
            untimed,
            early,
            hash: None,
        })
    }

    /// Hands out the head's rows, then every chunk, each against a ticket.
    fn read(
        &self,
        source: &mut Source<'_, '_>,
        jobs: std::sync::mpsc::SyncSender<(usize, Job)>,
        (tickets, spare): (Receiver<()>, Receiver<Vec<u8>>),
        stop: &std::sync::atomic::AtomicBool,
    ) -> Result<()> {
        let stopped = || stop.load(std::sync::atomic::Ordering::Relaxed);
        let mut job = Some(Job::Head);
        for seq in 0.. {
            if tickets.recv().is_err() || stopped() {
                break;
            }
            let Some(next) = source.next_job(&mut job, &spare)? else {
                break;
            };
            if jobs.send((seq, next)).is_err() {
                break;
            }
        }
        Ok(())
    }

    /// Reads one job's rows into frames, sums and rejects.
    fn work(
        &self,
        reader: &mut PieceReader<'_>,
        responses: &mut Vec<Response>,
        seq: usize,
        job: Job,
        delimiter: u8,
        spare: &std::sync::mpsc::Sender<Vec<u8>>,
    ) -> Result<Done> {
        let mut piece = Piece {
            responses: std::mem::take(responses),
            ..Piece::default()
        };
        let (valued, trailing) = match job {
            Job::Head => {
                let rows = &self.head.rows[(self.header_row + 1).min(self.head.rows.len())..];
                // (Room for them at once: a small file is its head, and its responses grown
                // a row at a time were copied a dozen times over, 2% of a run of 384 files.)
                piece.responses.reserve(rows.len());
                for (k, row) in rows.iter().enumerate() {
                    reader.row(self.header_row + 1 + k, row, &mut piece);
                }
                valued_and_trailing(rows)
            }
            Job::Chunk(c) => {
                piece.responses.reserve(c.records as usize);
                csvstream::parse_chunk(&c, delimiter, &self.sh.config.batas, |i, row| {
                    reader.row(i, row, &mut piece)
                })?;
                let _ = spare.send(c.bytes);
                (true, 0)
            }
            Job::Rows(first, rows) => {
                piece.responses.reserve(rows.len());
                for (k, row) in rows.iter().enumerate() {
                    reader.row(first + k, row, &mut piece);
                }
                valued_and_trailing(&rows)
            }
            Job::Xml(p) => {
                let parsed = xlsxsplit::parse(&p, &self.sh.config.batas)?;
                let _ = spare.send(p.bytes);
                self.parsed(reader, &parsed, &mut piece)
            }
            Job::Parsed(parsed) => self.parsed(reader, &parsed, &mut piece),
        };
        piece.set_identities();
        let untimed = Untimed::of(&piece.responses);
        let sums = sums::partial_sums(&piece.responses);
        let table = Dictionary::embedded_ref().table("responses");
        let years = frame::by_year(&piece.responses);
        let keys = PieceKeys::of(&years);
        let keyed = keys.len();
        let groups = years
            .into_iter()
            .map(|(y, rows)| Ok((y, tables::encode(&frame::responses(&rows)?, table)?)))
            .collect::<Result<Vec<_>>>()
            .context(WriteFailed)?;
        // The buffer back, empty, for the next chunk.
        piece.responses.clear();
        *responses = piece.responses;
        Ok(Done {
            seq,
            groups,
            sums,
            rejects: piece.rejects,
            tally: piece.tally,
            keyed,
            keys,
            untimed,
            earliest_future: piece.earliest_future,
            closing: piece.closing,
            valued,
            trailing,
        })
    }

    /// A plain sheet's parsed rows read; its empty rows counted as skipped, as `reader.row`
    /// counts an empty row. Whether a row has a value, and the empty rows after the last.
    fn parsed(
        &self,
        reader: &mut PieceReader<'_>,
        parsed: &Parsed,
        piece: &mut Piece,
    ) -> (bool, usize) {
        piece.responses.reserve(parsed.rows.len());
        let first_row = self.head.first_row;
        for (r, row) in &parsed.rows {
            reader.row(*r as usize + 1 - first_row, row, piece);
        }
        piece.tally.skipped += (parsed.stop - parsed.start) as usize - parsed.rows.len();
        (!parsed.rows.is_empty(), parsed.trailing())
    }

    /// Puts the jobs' results back in order and writes them; a ticket back for each. On the
    /// first error, `stop` is raised and the rest is drained unwritten.
    #[allow(clippy::type_complexity)]
    // Once per file: what was gathered travels with the error, to remove its parts.
    #[allow(clippy::result_large_err)]
    fn write(
        &self,
        done: Receiver<Result<Done, Failed>>,
        tickets: std::sync::mpsc::SyncSender<()>,
        stop: &std::sync::atomic::AtomicBool,
    ) -> std::result::Result<Gathered, (anyhow::Error, Gathered)> {
        let mut g = Gathered::default();
        let mut pending: BTreeMap<usize, Done> = BTreeMap::new();
        let mut next = 0usize;
        let mut error: Option<Failed> = None;
        // Every result gives its ticket back once, written or (after an error) not.
        let give_back = || {
            let _ = tickets.try_send(());
        };
        // The first error in the file's order is the one reported, whichever job ends first.
        let fail = |error: &mut Option<Failed>, (seq, e): Failed| {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            if error.as_ref().is_none_or(|(s, _)| seq < *s) {
                *error = Some((seq, e));
            }
        };
        for d in done {
            match d {
                Ok(d) if error.is_none() => {
                    pending.insert(d.seq, d);
                }
                Ok(_) => give_back(),
                Err(e) => {
                    fail(&mut error, e);
                    give_back();
                }
            }
            while error.is_none() {
                let Some(d) = pending.remove(&next) else {
                    break;
                };
                next += 1;
                let seq = d.seq;
                if let Err(e) = self.gather(&mut g, d) {
                    fail(&mut error, (seq, e.context(WriteFailed)));
                }
                give_back();
            }
            if error.is_some() {
                for _ in std::mem::take(&mut pending) {
                    give_back();
                }
            }
        }
        match error {
            Some((_, e)) => Err((e, g)),
            None => Ok(g),
        }
    }

    fn gather(&self, g: &mut Gathered, d: Done) -> Result<()> {
        for (y, group) in &d.groups {
            match g.writers.get_mut(y) {
                Some(w) => w.append(group)?,
                None => {
                    let path = SilverDirs::part(&self.sh.dirs.responses, *y, self.i);
                    let mut w = PartWriter::create(&path, group)?;
                    w.append(group)?;
                    g.writers.insert(*y, w);
                }
            }
        }
        g.sums.push(d.sums);
        if g.sums.len() >= 64 {
            // Added up as they come, so that what is kept does not grow with the file's chunks.
            let merged = sums::merge(std::mem::take(&mut g.sums));
            g.sums.push(merged);
        }
        g.rejects.append(d.rejects);
        g.tally.add(&d.tally);
        g.keyed += d.keyed;
        g.early.add(&d.keys, self.sh.dirs, self.i)?;
        g.untimed = std::mem::take(&mut g.untimed).merge(d.untimed);
        g.earliest_future = min_date(g.earliest_future, d.earliest_future);
        g.closing.extend(d.closing);
        g.trailing = if d.valued {
            d.trailing
        } else {
            g.trailing + d.trailing
        };
        Ok(())
    }
}

/// Whether a row of `rows` has a value (a row without one is empty: `xlsxstream`), and how many
/// empty rows follow the last that has.
fn valued_and_trailing(rows: &[Vec<Cell<'_>>]) -> (bool, usize) {
    let trailing = rows.iter().rev().take_while(|r| r.is_empty()).count();
    (trailing < rows.len(), trailing)
}

/// Removes parts written for a file that gives none after all.
fn remove_parts(writers: BTreeMap<i32, PartWriter>) {
    for (_, w) in writers {
        // (The year's folder stays: another file may be writing its part there.)
        for p in w.abandon() {
            let _ = std::fs::remove_file(&p);
        }
    }
}
