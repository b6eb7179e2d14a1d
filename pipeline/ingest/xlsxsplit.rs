//! A big one-sheet XLSX workbook read on every core: the worksheet's XML is inflated on the
//! reading thread and cut into pieces at row ends (`</row>`, found with `memchr::memmem`), and
//! each piece's cells are parsed (quick-xml) and made cells on the worker that normalizes its
//! rows. calamine's cell reader (`xlsxstream`) parses every cell on the reading thread, which
//! bounded a big workbook's time by one core (issue 29).
//!
//! Only a plainly laid out workbook takes this way (`Plain::open`): its package names
//! `xl/workbook.xml`, it has one worksheet part, and the sheet's elements carry no namespace
//! prefix; every cell names its place (`r`), and the rows come in order. Anything else is read
//! by calamine's cell reader, or whole (`OutOfOrder`), as before.
//!
//! Every value is read as calamine 0.38 reads it (`xlsx/cells_reader.rs`, `xlsx/mod.rs`,
//! `formats.rs`, `utils.rs`; MIT, Johann Tuffe), so the rows are those of `xlsxstream` and of
//! the whole read: the shared strings (rich text runs joined, phonetic runs left out, the text
//! trimmed unless `xml:space="preserve"`, Excel's `_xHHHH_` escapes undone), each style's
//! number format (a date, a duration, or other), and each cell type (`s`, `str`, `inlineStr`,
//! `b`, `e`, `d`, `n`). `tests/it/big_files.rs` and this module's tests compare them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context as _, Result};
use calamine::{CellErrorType, Data, ExcelDateTime, ExcelDateTimeType};
use memchr::memmem;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::read::ZipFile;
use zip::ZipArchive;

use super::xlsxstream::OutOfOrder;
use super::{text_cell, Cell, Limits};

/// How a style shows a number (calamine's `CellFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Other,
    DateTime,
    TimeDelta,
}

/// What every piece's cells are read against.
#[derive(Debug, Default)]
pub struct Book {
    strings: Vec<String>,
    /// Each style's (`cellXfs`) number format, by the style's index.
    formats: Vec<Format>,
    date_1904: bool,
    /// The sheet's name (for a refusal's reason).
    sheet: String,
}

/// A plainly laid out workbook, opened to read its one sheet in pieces.
pub struct Plain {
    zip: ZipArchive<BufReader<File>>,
    sheet: usize,
    book: Arc<Book>,
}

impl Plain {
    /// The workbook at `path` when it is laid out plainly (the module's doc); `None` when it
    /// is not, or when anything in it does not read as expected: calamine reads it then (and
    /// refuses it, if it is damaged). Its sheet's name and `date_1904` as calamine read them.
    pub fn open(path: &Path, sheet: &str, date_1904: bool) -> Option<Plain> {
        let file = File::open(path).ok()?;
        let mut zip = ZipArchive::new(BufReader::new(file)).ok()?;
        let names: HashMap<String, String> = zip
            .file_names()
            .map(|n| {
                n.ok()
                    .map(|n| (n.replace('\\', "/").to_ascii_lowercase(), n.to_string()))
            })
            .collect::<Option<_>>()?;
        let parts: Vec<&String> = names
            .keys()
            .filter(|n| super::excel::is_worksheet(n) && n.ends_with(".xml"))
            .collect();
        let [part] = parts.as_slice() else {
            return None;
        };
        let main = targets(&mut zip, &names, "_rels/.rels", "/officeDocument", "")?;
        let sheets = targets(
            &mut zip,
            &names,
            "xl/_rels/workbook.xml.rels",
            "/worksheet",
            "xl/",
        )?;
        if main.last().map(String::as_str) != Some("xl/workbook.xml") || sheets != [part.as_str()] {
            return None;
        }
        let index = zip.index_for_name(&names[*part])?;
        let strings = match names.get("xl/sharedstrings.xml") {
            Some(n) => shared_strings(&bytes_of(&mut zip, n)?).ok()?,
            None => Vec::new(),
        };
        let formats = match names.get("xl/styles.xml") {
            Some(n) => formats(&bytes_of(&mut zip, n)?).ok()?,
            None => Vec::new(),
        };
        let book = Arc::new(Book {
            strings,
            formats,
            date_1904,
            sheet: sheet.to_string(),
        });
        Some(Plain {
            zip,
            sheet: index,
            book,
        })
    }

    /// The sheet's XML from its `<sheetData>` on; `None` when the sheet's elements carry a
    /// namespace prefix (calamine reads it).
    pub fn split(&mut self) -> Result<Option<Split<'_>>> {
        let xml = self.zip.by_index(self.sheet)?;
        let mut split = Split {
            xml,
            book: self.book.clone(),
            buf: Vec::with_capacity(READ_BYTES * 2),
            scanned: 0,
            ends: 0,
            last_end: 0,
            end_scanned: 0,
            eof: false,
            next_row: 0,
            spare: Vec::new(),
            done: false,
        };
        if !split.skip_to_sheet_data()? {
            return Ok(None);
        }
        Ok(Some(split))
    }
}

/// The targets (lower case, from the package's root: `base` before a relative one) of the
/// relationships in part `rels` whose type ends with `kind`, in order; `None` when the part
/// is missing or does not read.
fn targets(
    zip: &mut ZipArchive<BufReader<File>>,
    names: &HashMap<String, String>,
    rels: &str,
    kind: &str,
    base: &str,
) -> Option<Vec<String>> {
    let bytes = bytes_of(zip, names.get(rels)?)?;
    let mut xml = reader(&bytes);
    let mut found = Vec::new();
    loop {
        match xml.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                let [t, target] = attrs(&e, ["Type", "Target"]).ok()?;
                if t.unwrap_or_default().ends_with(kind) {
                    let target = quick_xml::escape::unescape(target?).ok()?;
                    let target = match target.strip_prefix('/') {
                        Some(t) => t.to_string(),
                        None => format!("{base}{target}"),
                    };
                    found.push(target.replace('\\', "/").to_ascii_lowercase());
                }
            }
            Event::End(e) if e.local_name().as_ref() == "Relationships" => return Some(found),
            Event::Eof => return Some(found),
            _ => (),
        }
    }
}

/// A part of the archive.
fn bytes_of(zip: &mut ZipArchive<BufReader<File>>, name: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    zip.by_name(name).ok()?.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// A reader of XML text as calamine configures its own.
fn reader(bytes: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(bytes);
    let config = r.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    r
}

/// An element's attributes as written (values with their entities), in order (calamine's
/// `RawAttrIter`).
fn raw_attrs<'e>(e: &'e BytesStart<'_>) -> impl Iterator<Item = Result<(&'e str, &'e str)>> {
    let raw = e.attributes_raw();
    let bytes = raw.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= bytes.len() {
            return None;
        }
        let key_start = pos;
        while pos < bytes.len() && bytes[pos] != b'=' {
            pos += 1;
        }
        let key = raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let Some(&quote @ (b'"' | b'\'')) = bytes.get(pos) else {
            pos = bytes.len();
            return Some(Err(anyhow!("attribute '{key}' without a quoted value")));
        };
        pos += 1;
        let start = pos;
        while pos < bytes.len() && bytes[pos] != quote {
            pos += 1;
        }
        let value = &raw[start..pos.min(bytes.len())];
        pos += 1;
        Some(Ok((key, value)))
    })
}

/// An attribute's raw value, the first of that name (calamine's `raw_attr`).
fn attr<'e>(e: &'e BytesStart<'_>, name: &str) -> Result<Option<&'e str>> {
    for a in raw_attrs(e) {
        let (k, v) = a?;
        if k == name {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// Several attributes' raw values in one pass, as calamine's `get_attrs!` reads them (a later
/// one of the same name replaces an earlier, and the pass stops once as many were found as
/// asked for).
fn attrs<'e, const N: usize>(
    e: &'e BytesStart<'_>,
    names: [&str; N],
) -> Result<[Option<&'e str>; N]> {
    let mut values = [None; N];
    let mut found = 0;
    for a in raw_attrs(e) {
        let (k, v) = a?;
        if let Some(i) = names.iter().position(|n| *n == k) {
            values[i] = Some(v);
            found += 1;
            if found == N {
                break;
            }
        }
    }
    Ok(values)
}

/// A number as calamine's `atoi_simd` reads an index: ASCII digits only, else 0.
fn index(s: &str) -> usize {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().unwrap_or(0)
    } else {
        0
    }
}

/// The shared strings table (calamine's `read_shared_strings`).
fn shared_strings(xml: &[u8]) -> Result<Vec<String>> {
    let room = xml.len() / 5;
    let mut xml = reader(xml);
    let mut strings = Vec::new();
    loop {
        match xml.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "sst" => {
                if let Some(n) = attr(&e, "uniqueCount")? {
                    // (No more strings than the part has room for, whatever it claims.)
                    strings.reserve(index(n).min(room));
                }
                break;
            }
            Event::Eof => bail!("sharedStrings.xml: no <sst>"),
            _ => (),
        }
    }
    loop {
        match xml.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                strings.push(rich_text(&mut xml, e.name().as_ref())?);
            }
            Event::End(e) if e.local_name().as_ref() == "sst" => break,
            Event::Eof => bail!("sharedStrings.xml ends inside <sst>"),
            _ => (),
        }
    }
    Ok(strings)
}

/// A string item (`<si>`, or an inline string's `<is>`) up to its end `closing`: its text
/// runs joined, phonetic runs left out (calamine's `read_string_with_bufs`).
fn rich_text(xml: &mut Reader<&[u8]>, closing: &str) -> Result<String> {
    let mut text: Option<String> = None;
    let mut phonetic = false;
    loop {
        match xml.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "r" && text.is_none() => {
                text = Some(String::new());
            }
            Event::Start(e) if e.local_name().as_ref() == "rPh" => phonetic = true,
            Event::End(e) if e.name().as_ref() == closing => return Ok(text.unwrap_or_default()),
            Event::End(e) if e.local_name().as_ref() == "rPh" => phonetic = false,
            Event::Start(e) if e.local_name().as_ref() == "t" && !phonetic => {
                let preserve = attr(&e, "xml:space")? == Some("preserve");
                let mut value = String::new();
                loop {
                    match xml.read_event()? {
                        Event::Text(t) => value.push_str(&t.xml10_content()),
                        Event::CData(t) => value.push_str(&t.xml10_content()),
                        Event::GeneralRef(r) => entity(&r, &mut value)?,
                        Event::End(end) if end.name() == e.name() => break,
                        Event::Eof => bail!("the text ends inside <t>"),
                        _ => (),
                    }
                }
                let value = if preserve {
                    unescape_excel(&value).into_owned()
                } else {
                    unescape_excel(value.trim_matches([' ', '\t', '\r', '\n'])).into_owned()
                };
                match &mut text {
                    Some(s) => s.push_str(&value),
                    None => text = Some(value),
                }
            }
            Event::Eof => bail!("the text ends inside a string"),
            _ => (),
        }
    }
}

/// An entity or character reference (calamine's `unescape_entity_to_buffer`).
fn entity(r: &quick_xml::events::BytesRef<'_>, out: &mut String) -> Result<()> {
    let name = r.as_ref();
    if let Some(s) = quick_xml::escape::resolve_xml_entity(name) {
        out.push_str(s);
    } else if let Some(c) = r.resolve_char_ref()? {
        out.push(c);
    } else {
        bail!("an unknown entity &{name};");
    }
    Ok(())
}

/// Excel's own escapes undone: `_xHHHH_` is a UTF-16 code unit (a surrogate pair is two), and
/// `_x005F_` a literal `_` (calamine's `unescape_xml`).
fn unescape_excel(s: &str) -> Cow<'_, str> {
    let Some((mut at, mut unit)) = find_escape(s, 0) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    loop {
        out.push_str(&s[copied..at]);
        at += ESCAPE_LEN;
        match unit {
            0xD800..=0xDBFF => match parse_escape(s, at) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let c =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                    at += ESCAPE_LEN;
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            },
            0xDC00..=0xDFFF => out.push(char::REPLACEMENT_CHARACTER),
            _ => out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
        copied = at;
        match find_escape(s, at) {
            Some(next) => (at, unit) = next,
            None => break,
        }
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// `_xHHHH_`'s length.
const ESCAPE_LEN: usize = 7;

fn find_escape(s: &str, mut from: usize) -> Option<(usize, u16)> {
    while let Some(k) = s[from..].find('_') {
        let at = from + k;
        if let Some(unit) = parse_escape(s, at) {
            return Some((at, unit));
        }
        from = at + 1;
    }
    None
}

fn parse_escape(s: &str, at: usize) -> Option<u16> {
    let b = s.as_bytes().get(at..at + ESCAPE_LEN)?;
    if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' || !b[2..6].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
}

/// Each style's number format (calamine's `read_styles`: `numFmts`, then `cellXfs`).
fn formats(xml: &[u8]) -> Result<Vec<Format>> {
    let mut xml = reader(xml);
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut formats = Vec::new();
    let mut within = None;
    loop {
        match xml.read_event()? {
            Event::Start(e) => match (within, e.local_name().as_ref()) {
                (None, "numFmts") => within = Some("numFmts"),
                (None, "cellXfs") => within = Some("cellXfs"),
                (Some("numFmts"), "numFmt") => {
                    if let [Some(id), Some(code)] = attrs(&e, ["numFmtId", "formatCode"])? {
                        let code = quick_xml::escape::unescape(code)?.into_owned();
                        custom.insert(id.to_string(), code);
                    }
                }
                (Some("cellXfs"), "xf") => {
                    formats.push(attr(&e, "numFmtId")?.map_or(Format::Other, |id| {
                        match custom.get(id) {
                            Some(code) => custom_format(code),
                            None => builtin_format(id),
                        }
                    }));
                }
                _ => (),
            },
            Event::End(e) if Some(e.local_name().as_ref()) == within => within = None,
            Event::End(e) if e.local_name().as_ref() == "styleSheet" => return Ok(formats),
            Event::Eof => bail!("styles.xml ends inside <styleSheet>"),
            _ => (),
        }
    }
}

/// Whether a custom number format shows a date or a duration (calamine's
/// `detect_custom_number_format`: the first section's unquoted, unescaped d/m/h/y/s, an
/// AM/PM, or an elapsed `[h]`).
fn custom_format(format: &str) -> Format {
    let (mut escaped, mut quoted, mut ap, mut hms) = (false, false, false, false);
    let mut brackets = 0u8;
    let mut prev = ' ';
    for c in format.chars() {
        match (c, escaped, quoted, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => quoted = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => quoted = true,
            (';', ..) => return Format::Other,
            ('[', ..) => brackets = brackets.saturating_add(1),
            (']', .., 1) if hms => return Format::TimeDelta,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return Format::DateTime,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return Format::DateTime
            }
            _ => {
                if !(hms && c.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = c;
    }
    Format::Other
}

/// A built-in number format by its id (calamine's `builtin_format_by_id`).
fn builtin_format(id: &str) -> Format {
    match id {
        "14" | "15" | "16" | "17" | "18" | "19" | "20" | "21" | "22" | "45" | "47" => {
            Format::DateTime
        }
        "27" | "28" | "29" | "30" | "31" | "32" | "33" | "34" | "35" | "36" | "50" | "51"
        | "52" | "53" | "54" | "55" | "56" | "57" | "58" => Format::DateTime,
        "46" => Format::TimeDelta,
        _ => Format::Other,
    }
}

/// The inflated XML read at a time.
const READ_BYTES: usize = 1 << 20;
/// The most XML a piece holds. A row longer than this (no tool writes one), or a sheet whose
/// rows are not found (`</row>` written otherwise), is read whole instead (`OutOfOrder`):
/// memory stays bounded by the pieces in flight.
const MAX_PIECE_BYTES: usize = 64 << 20;
/// How far `<sheetData>` is looked for (the sheet's columns, views and such before it).
const MAX_PRELUDE_BYTES: usize = 4 << 20;
const ROW_END: &[u8] = b"</row>";
const SHEET_DATA_END: &[u8] = b"</sheetData>";

/// The sheet's XML being cut into pieces.
pub struct Split<'w> {
    xml: ZipFile<'w, BufReader<File>>,
    book: Arc<Book>,
    /// Inflated XML not yet handed out.
    buf: Vec<u8>,
    /// How far `buf` was searched for row ends, how many were found, and where the last ends.
    scanned: usize,
    ends: usize,
    last_end: usize,
    /// How far `buf` was searched for `</sheetData>`.
    end_scanned: usize,
    eof: bool,
    /// The sheet row (0-based) the next piece starts at.
    next_row: u32,
    /// Buffers of pieces parsed, to be reused.
    spare: Vec<Vec<u8>>,
    done: bool,
}

/// A piece of the sheet's XML: whole rows, the sheet's rows `start..stop` (0-based).
pub struct Piece {
    pub bytes: Vec<u8>,
    pub start: u32,
    pub stop: u32,
    /// Whether the sheet's rows end in this piece (`</sheetData>` ends it).
    pub last: bool,
    pub book: Arc<Book>,
}

impl Split<'_> {
    /// More inflated XML into `buf`; false at the end of the part.
    fn fill(&mut self) -> Result<bool> {
        if self.eof {
            return Ok(false);
        }
        let len = self.buf.len();
        self.buf.resize(len + READ_BYTES, 0);
        let n = self
            .xml
            .read(&mut self.buf[len..])
            .context("the sheet cannot be inflated (damaged workbook)")?;
        self.buf.truncate(len + n);
        self.eof = n == 0;
        Ok(n > 0)
    }

    /// Drops everything before the rows (`<sheetData>`); false when the sheet's elements are
    /// prefixed (or it has no `<sheetData>` near its start).
    fn skip_to_sheet_data(&mut self) -> Result<bool> {
        let tag = memmem::Finder::new(b"<sheetData");
        let mut from = 0;
        loop {
            if let Some(k) = tag.find(&self.buf[from..]) {
                let at = from + k;
                let Some(gt) = memchr::memchr(b'>', &self.buf[at..]) else {
                    if !self.fill()? {
                        return Ok(false);
                    }
                    continue;
                };
                self.done = self.buf[at + gt - 1] == b'/';
                self.buf.drain(..at + gt + 1);
                return Ok(true);
            }
            from = self.buf.len().saturating_sub(10);
            if self.buf.len() > MAX_PRELUDE_BYTES || !self.fill()? {
                return Ok(false);
            }
        }
    }

    /// A buffer given back by a worker, to be reused (one of a usual piece's size).
    pub fn recycle(&mut self, mut bytes: Vec<u8>) {
        if self.spare.len() < 4 && bytes.capacity() <= 4 * MAX_PIECE_BYTES / 16 {
            bytes.clear();
            self.spare.push(bytes);
        }
    }

    /// The next piece of up to `rows` rows; `None` once the sheet's rows are all handed out.
    /// `OutOfOrder` when the sheet cannot be cut (see `MAX_PIECE_BYTES`, `plain_xml`).
    pub fn next_piece(&mut self, rows: usize) -> Result<Option<Piece>> {
        if self.done {
            return Ok(None);
        }
        let rows_end = memmem::Finder::new(ROW_END);
        let data_end = memmem::Finder::new(SHEET_DATA_END);
        loop {
            // The rows end at `</sheetData>`: nothing after it is read.
            let end = data_end
                .find(&self.buf[self.end_scanned..])
                .map(|k| self.end_scanned + k);
            let limit = end.unwrap_or(self.buf.len());
            for k in rows_end.find_iter(&self.buf[self.scanned.min(limit)..limit]) {
                self.ends += 1;
                self.last_end = self.scanned + k + ROW_END.len();
                if self.ends == rows {
                    break;
                }
            }
            self.scanned = self.last_end.max(limit.saturating_sub(ROW_END.len() - 1));
            if self.ends >= rows || (self.ends > 0 && self.buf.len() > MAX_PIECE_BYTES) {
                return self.cut(self.last_end, false).map(Some);
            }
            if let Some(end) = end {
                self.done = true;
                return self.cut(end + SHEET_DATA_END.len(), true).map(Some);
            }
            self.end_scanned = self.buf.len().saturating_sub(SHEET_DATA_END.len() - 1);
            if self.buf.len() > MAX_PIECE_BYTES {
                return Err(OutOfOrder.into());
            }
            if !self.fill()? {
                bail!("the sheet ends without </sheetData>");
            }
        }
    }

    /// `buf[..at]` as a piece; the rest kept for the next.
    fn cut(&mut self, at: usize, last: bool) -> Result<Piece> {
        let mut rest = self.spare.pop().unwrap_or_default();
        rest.extend_from_slice(&self.buf[at..]);
        let mut bytes = std::mem::replace(&mut self.buf, rest);
        bytes.truncate(at);
        (self.scanned, self.ends, self.last_end, self.end_scanned) = (0, 0, 0, 0);
        plain_xml(&bytes)?;
        let start = self.next_row;
        let stop = match last_row_number(&bytes)? {
            Some(r) if r > start => r,
            Some(_) => return Err(OutOfOrder.into()),
            None => start,
        };
        self.next_row = stop;
        Ok(Piece {
            bytes,
            start,
            stop,
            last,
            book: self.book.clone(),
        })
    }
}

/// A piece holds no CDATA section, comment or processing instruction: in one of those, a
/// `</row>` or `<row` would not be markup (calamine reads such a sheet, whole).
fn plain_xml(xml: &[u8]) -> Result<()> {
    if memmem::find(xml, b"<!").is_some() || memmem::find(xml, b"<?").is_some() {
        return Err(OutOfOrder.into());
    }
    Ok(())
}

/// The number (1-based) of the last `<row>` in `xml`: the piece ends with that row.
fn last_row_number(xml: &[u8]) -> Result<Option<u32>> {
    let finder = memmem::FinderRev::new(b"<row");
    let mut end = xml.len();
    while let Some(at) = finder.rfind(&xml[..end]) {
        match xml.get(at + 4) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => {
                let tag_end = memchr::memchr(b'>', &xml[at..]).map_or(xml.len(), |k| at + k);
                let tag = std::str::from_utf8(&xml[at + 4..tag_end]).map_err(|_| OutOfOrder)?;
                let start = BytesStart::from_content(tag.trim_end_matches('/'), 0);
                let r = attr(&start, "r")?.ok_or(OutOfOrder)?;
                return Ok(Some(row_number(r)? + 1));
            }
            Some(b'>' | b'/') => return Err(OutOfOrder.into()),
            _ => end = at,
        }
    }
    Ok(None)
}

/// A piece's rows with a value (the rest of `start..stop` are empty rows), each a row as long
/// as its last value, each value made a cell as `xlsxstream` makes it.
#[derive(Debug, Default)]
pub struct Parsed {
    pub start: u32,
    pub stop: u32,
    /// (sheet row, 0-based; its cells), in order.
    pub rows: Vec<(u32, Vec<Cell<'static>>)>,
}

impl Parsed {
    /// The empty rows after the last row with a value (all of them when none has one).
    pub fn trailing(&self) -> usize {
        let last = self.rows.last().map_or(self.start, |(r, _)| r + 1);
        (self.stop - last) as usize
    }

    /// The rows from sheet row `at` on, taken out of `self`.
    fn split_off(&mut self, at: u32) -> Parsed {
        let k = self.rows.partition_point(|(r, _)| *r < at);
        let rest = Parsed {
            start: at,
            stop: self.stop,
            rows: self.rows.split_off(k),
        };
        self.stop = at;
        rest
    }
}

/// A piece's rows, as the workers read them (`Parsed`). The limits are checked on every value.
pub fn parse(piece: &Piece, limits: &Limits) -> Result<Parsed> {
    let mut parsed = Parsed {
        start: piece.start,
        stop: piece.stop,
        rows: Vec::new(),
    };
    let mut xml = reader(&piece.bytes);
    // The last piece ends with the sheet's own ends (`</sheetData></worksheet>`).
    xml.config_mut().allow_unmatched_ends = true;
    loop {
        match xml.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                let [r, s, t] = attrs(&e, ["r", "s", "t"])?;
                let (row, col) = place(r.ok_or(OutOfOrder)?)?;
                let Some(value) = read_value(&mut xml, &piece.book, s, t)? else {
                    continue;
                };
                let last = parsed.rows.last().map_or(piece.start, |(r, _)| *r);
                if row < last || row >= piece.stop {
                    return Err(OutOfOrder.into());
                }
                if row as usize >= limits.baris || col as usize >= limits.kolom {
                    return Err(
                        super::xlsxstream::over_limit(limits, &piece.book.sheet, row, col).into(),
                    );
                }
                if parsed.rows.last().is_none_or(|(r, _)| *r != row) {
                    parsed.rows.push((row, Vec::new()));
                }
                let cells = &mut parsed.rows.last_mut().expect("a row").1;
                if cells.len() <= col as usize {
                    cells.resize(col as usize + 1, Cell::Empty);
                }
                cells[col as usize] = cell(value, limits, piece.book.date_1904);
            }
            Event::Start(e) if e.local_name().as_ref() == "row" => {
                if let Some(r) = attr(&e, "r")? {
                    row_number(r)?;
                }
            }
            Event::End(e) if e.local_name().as_ref() == "sheetData" => break,
            Event::Eof if piece.last => bail!("the sheet ends without </sheetData>"),
            Event::Eof => break,
            _ => (),
        }
    }
    Ok(parsed)
}

/// The sheet's first rows, from its first row with a value, as `xlsxstream::SheetRows` hands
/// them out, parsed on this thread.
pub struct Head {
    /// The first row with a value, 1-based.
    pub first_row: usize,
    pub rows: Vec<Vec<Cell<'static>>>,
    /// The rows parsed past the head, to be normalized as a piece.
    pub rest: Option<Parsed>,
    /// Whether the head is the whole sheet.
    pub at_end: bool,
}

impl Split<'_> {
    /// The first `n` rows from the first row with a value (fewer when the sheet is shorter).
    pub fn head(&mut self, n: usize, limits: &Limits) -> Result<Head> {
        let mut head = Head {
            first_row: 1,
            rows: Vec::new(),
            rest: None,
            at_end: false,
        };
        let mut first: Option<u32> = None;
        while let Some(piece) = self.next_piece(n)? {
            let mut parsed = parse(&piece, limits)?;
            self.recycle(piece.bytes);
            let f = match (first, parsed.rows.first()) {
                (Some(f), _) => f,
                (None, Some((r, _))) => *first.insert(*r),
                (None, None) => continue,
            };
            let end = f.saturating_add(n as u32);
            if parsed.stop > end {
                head.rest = Some(parsed.split_off(end));
            }
            let mut cells = parsed.rows.into_iter().peekable();
            for r in parsed.start.max(f)..parsed.stop {
                head.rows.push(match cells.next_if(|(k, _)| *k == r) {
                    Some((_, c)) => c,
                    None => Vec::new(),
                });
            }
            if head.rest.is_some() || parsed.stop == end {
                break;
            }
        }
        // As calamine's reader, the head is the whole sheet when no value follows it: the
        // rows after it are read on until one has a value (or the sheet ends).
        while first.is_some() && head.rest.as_ref().is_none_or(|r| r.rows.is_empty()) {
            let Some(piece) = self.next_piece(n.max(4096))? else {
                break;
            };
            let parsed = parse(&piece, limits)?;
            self.recycle(piece.bytes);
            match &mut head.rest {
                Some(rest) => {
                    rest.stop = parsed.stop;
                    rest.rows = parsed.rows;
                }
                None => head.rest = Some(parsed),
            }
        }
        head.first_row = first.map_or(1, |f| f as usize + 1);
        head.at_end = self.done && head.rest.as_ref().is_none_or(|r| r.rows.is_empty());
        if head.at_end {
            head.rest = None;
            while head.rows.last().is_some_and(Vec::is_empty) {
                head.rows.pop();
            }
        }
        Ok(head)
    }
}

/// A cell's place, 0-based (row, column), from its reference such as `AB12` (calamine's
/// `get_row_column`).
fn place(r: &str) -> Result<(u32, u32)> {
    match reference(r)? {
        (row, Some(col)) => Ok((row, col)),
        (_, None) => bail!("cell reference '{r}' has no column"),
    }
}

/// A row's number, 0-based, from its reference (calamine's `get_row`: a column is ignored).
fn row_number(r: &str) -> Result<u32> {
    Ok(reference(r)?.0)
}

/// A reference's row and column, 0-based (calamine's `get_row_and_optional_column`).
fn reference(r: &str) -> Result<(u32, Option<u32>)> {
    let (mut col, mut row, mut digits) = (0u32, 0u32, false);
    for &b in r.as_bytes() {
        let letter = match b {
            b'A'..=b'Z' if !digits => b - b'A',
            b'a'..=b'z' if !digits => b - b'a',
            b'0'..=b'9' => {
                digits = true;
                row = row.wrapping_mul(10).wrapping_add(u32::from(b - b'0'));
                continue;
            }
            _ => bail!("reference '{r}' is not a cell's place"),
        };
        col = col.wrapping_mul(26).wrapping_add(u32::from(letter) + 1);
    }
    let row = row
        .checked_sub(1)
        .ok_or_else(|| anyhow!("reference '{r}' has no row"))?;
    Ok((row, col.checked_sub(1)))
}

/// A cell's value as calamine reads it: `None` for an empty one (calamine's `DataRef::Empty`).
/// The last of its `<v>`, `<is>` and `<f>` decides, as in calamine's cell reader.
fn read_value<'b>(
    xml: &mut Reader<&[u8]>,
    book: &'b Book,
    style: Option<&str>,
    kind: Option<&str>,
) -> Result<Option<Value<'b>>> {
    let mut value = None;
    loop {
        match xml.read_event()? {
            Event::Start(e) => {
                value = match e.local_name().as_ref() {
                    "is" => Some(Value::Text(Cow::Owned(rich_text(xml, e.name().as_ref())?))),
                    "v" if matches!(kind, Some("inlineStr" | "is")) => {
                        xml.read_to_end(e.name())?;
                        None
                    }
                    "v" => v_value(xml, &e, book, style, kind)?,
                    "f" => {
                        xml.read_to_end(e.name())?;
                        None
                    }
                    _ => bail!("a cell holds <{}>, not v, f or is", e.attributes_raw()),
                };
            }
            Event::End(e) if e.local_name().as_ref() == "c" => return Ok(value),
            Event::Eof => bail!("the sheet ends inside a cell"),
            _ => (),
        }
    }
}

/// A value before it is a cell.
enum Value<'b> {
    Text(Cow<'b, str>),
    Data(Data),
}

/// A `<v>`'s value by the cell's type (calamine's `read_value` and `read_v`).
fn v_value<'b>(
    xml: &mut Reader<&[u8]>,
    v: &BytesStart<'_>,
    book: &'b Book,
    style: Option<&str>,
    kind: Option<&str>,
) -> Result<Option<Value<'b>>> {
    let plain = matches!(kind, Some("n" | "s" | "b" | "e") | None);
    let text: Cow<'_, str> = if plain {
        // Plain ASCII: the first text as written (calamine does not resolve entities here).
        let first = match xml.read_event()? {
            Event::Text(t) => Some(t.into_inner()),
            Event::End(end) if end.name() == v.name() => return Ok(None),
            Event::Eof => bail!("the sheet ends inside <v>"),
            _ => None,
        };
        xml.read_to_end(v.name())?;
        match first {
            Some(t) => t,
            None => return Ok(None),
        }
    } else {
        let mut s = String::new();
        loop {
            match xml.read_event()? {
                Event::Text(t) => s.push_str(&t.xml10_content()),
                Event::GeneralRef(r) => entity(&r, &mut s)?,
                Event::End(end) if end.name() == v.name() => break,
                Event::Eof => bail!("the sheet ends inside <v>"),
                _ => (),
            }
        }
        Cow::Owned(s)
    };
    typed(&text, book, style, kind)
}

/// calamine's `read_v`: a value's text by the cell's type and style.
fn typed<'b>(
    v: &str,
    book: &'b Book,
    style: Option<&str>,
    kind: Option<&str>,
) -> Result<Option<Value<'b>>> {
    Ok(Some(match kind {
        Some("s") => {
            if v.is_empty() {
                return Ok(None);
            }
            let k = index(v);
            let s = book
                .strings
                .get(k)
                .ok_or_else(|| anyhow!("shared string {k} is not in the workbook's table"))?;
            Value::Text(Cow::Borrowed(s))
        }
        Some("b") => match v.trim() {
            "" => return Ok(None),
            t if t == "0" || t.eq_ignore_ascii_case("false") => Value::Data(Data::Bool(false)),
            t if t == "1" || t.eq_ignore_ascii_case("true") => Value::Data(Data::Bool(true)),
            _ => bail!("'{v}' is not a boolean cell's value"),
        },
        Some("d") => Value::Data(Data::DateTimeIso(v.to_string())),
        Some("e") => Value::Data(Data::Error(
            v.parse::<CellErrorType>()
                .map_err(|e| anyhow!("'{v}': {e}"))?,
        )),
        Some("str") => Value::Text(Cow::Owned(unescape_excel(v).into_owned())),
        Some("n") | None => {
            if v.is_empty() {
                return Ok(None);
            }
            match fast_float2::parse::<f64, _>(v.as_bytes()) {
                Ok(n) => Value::Data(number(n, book, style)),
                Err(_) if kind.is_none() => Value::Text(Cow::Owned(v.to_string())),
                Err(_) => bail!("'{v}' is not a number"),
            }
        }
        Some(t) => bail!("a cell's type t=\"{t}\" is unknown"),
    }))
}

/// A number shown by its style: a date, a duration, or a number (calamine's
/// `format_excel_f64_ref`).
fn number(n: f64, book: &Book, style: Option<&str>) -> Data {
    let format = match style {
        Some(s) => book.formats.get(index(s)).copied(),
        None => Some(Format::Other),
    };
    let kind = match format {
        Some(Format::DateTime) => ExcelDateTimeType::DateTime,
        Some(Format::TimeDelta) => ExcelDateTimeType::TimeDelta,
        _ => return Data::Float(n),
    };
    Data::DateTime(ExcelDateTime::new(n, kind, book.date_1904))
}

/// A value made a cell, as `xlsxstream` makes it.
fn cell(value: Value<'_>, limits: &Limits, date_1904: bool) -> Cell<'static> {
    match value {
        Value::Text(t) => text_cell(&t, limits),
        Value::Data(Data::Float(n)) => Cell::Number(n),
        Value::Data(d) => super::excel::cell(&d, limits, date_1904),
    }
}

#[cfg(test)]
mod tests {
    //! The rows of a sheet cut into pieces of every size equal the rows calamine's cell reader
    //! gives (`xlsxstream::SheetRows`, itself compared with the whole read in
    //! `tests/it/big_files.rs`), on workbooks written as rust_xlsxwriter writes them and on
    //! parts written by hand the way other tools write them.
    use std::io::{Read as _, Write as _};
    use std::path::Path;

    use rust_xlsxwriter::{Format, Formula, Workbook};

    use super::*;
    use crate::ingest::{xlsxstream, TooLarge};

    /// The sheet's rows as calamine's cell reader hands them out.
    fn calamine_rows(path: &Path, limits: &Limits) -> (usize, Vec<Vec<Cell<'static>>>) {
        let mut wb = xlsxstream::Workbook::open(path, limits).unwrap().unwrap();
        let mut rows = wb.rows(limits).unwrap();
        let first = rows.first_row;
        let all = rows.next_rows(usize::MAX).unwrap().map(|(_, r)| r);
        (first, all.unwrap_or_default())
    }

    /// Whether calamine's reader has handed out every row after the first `head`.
    fn calamine_at_end(path: &Path, head: usize, limits: &Limits) -> bool {
        let mut wb = xlsxstream::Workbook::open(path, limits).unwrap().unwrap();
        let mut rows = wb.rows(limits).unwrap();
        rows.next_rows(head).unwrap();
        rows.at_end()
    }

    /// The sheet's rows read as the stream reads them: a head of `head` rows, then pieces of
    /// `piece` rows, put back together (a piece's first row follows the last one's).
    fn split_rows(
        path: &Path,
        head: usize,
        piece: usize,
        limits: &Limits,
    ) -> Result<(usize, Vec<Vec<Cell<'static>>>, bool)> {
        let wb = xlsxstream::Workbook::open(path, limits)?.expect("one sheet");
        let mut plain = Plain::open(path, &wb.sheet, wb.date_1904).expect("plain");
        let mut split = plain.split()?.expect("unprefixed");
        let h = split.head(head, limits)?;
        let at_end = h.at_end;
        if at_end {
            assert!(
                split.next_piece(piece)?.is_none(),
                "the head is the whole sheet"
            );
        }
        let (first, mut rows) = (h.first_row, h.rows);
        let mut pieces: Vec<Parsed> = h.rest.into_iter().collect();
        while let Some(p) = split.next_piece(piece)? {
            pieces.push(parse(&p, limits)?);
        }
        for p in pieces {
            assert_eq!(rows.len() + first, p.start as usize + 1, "pieces follow on");
            let mut cells = p.rows.into_iter().peekable();
            for r in p.start..p.stop {
                rows.push(cells.next_if(|(k, _)| *k == r).map_or(Vec::new(), |c| c.1));
            }
        }
        while rows.last().is_some_and(Vec::is_empty) {
            rows.pop();
        }
        Ok((first, rows, at_end))
    }

    fn assert_same(path: &Path) {
        let limits = Limits::default();
        let want = calamine_rows(path, &limits);
        assert!(!want.1.is_empty());
        let heads = [1, 2, 7, 41, 60, 1000];
        for (head, piece) in heads.into_iter().flat_map(|h| [(h, 1), (h, 3), (h, 1000)]) {
            let got = split_rows(path, head, piece, &limits).unwrap();
            assert_eq!(got.0, want.0, "first row, head {head}, pieces of {piece}");
            let at_end = calamine_at_end(path, head, &limits);
            assert_eq!(got.2, at_end, "at the end after the head of {head}");
            assert_eq!(
                got.1.len(),
                want.1.len(),
                "rows, head {head}, pieces of {piece}"
            );
            for (k, (a, b)) in got.1.iter().zip(&want.1).enumerate() {
                assert_eq!(a, b, "row {k}, head {head}, pieces of {piece}");
            }
        }
    }

    /// A workbook with every kind of value a form tool or Excel writes, some rows left out
    /// and formatted blank rows after the last value.
    fn every_kind(path: &Path, constant_memory: bool) {
        let mut wb = Workbook::new();
        let ws = if constant_memory {
            wb.add_worksheet_with_constant_memory().unwrap()
        } else {
            wb.add_worksheet()
        };
        ws.set_name("Jawaban").unwrap();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
        let elapsed = Format::new().set_num_format("[h]:mm:ss");
        let builtin = Format::new().set_num_format_index(14);
        let money = Format::new().set_num_format("#,##0.00;[Red]-#,##0.00");
        let quoted = Format::new().set_num_format("\"d\"0");
        let bold = Format::new().set_bold();
        for (c, h) in ["Waktu", "Nama", "U1", "Nilai", "Catatan"]
            .iter()
            .enumerate()
        {
            ws.write_string(2, c as u16, *h).unwrap();
        }
        let texts = [
            "  di tepi spasi  ",
            "a & b <c> \"d\" 'e'",
            "baris\r\nbaru",
            "_x000D_ harfiah",
            "Ibu Siti 😀",
            "#N/A",
            "",
        ];
        for k in 0..40u32 {
            let r = 3 + k + k / 10 * 2;
            ws.write_number_with_format(r, 0, 45_000.5 + f64::from(k), &stamp)
                .unwrap();
            ws.write_string(r, 1, texts[k as usize % texts.len()])
                .unwrap();
            ws.write_number(r, 2, f64::from(k % 4 + 1)).unwrap();
            match k % 8 {
                0 => ws.write_number_with_format(r, 3, 45_123.0, &date),
                1 => ws.write_number_with_format(r, 3, 1.75, &elapsed),
                2 => ws.write_number_with_format(r, 3, 45_124.0, &builtin),
                3 => ws.write_number_with_format(r, 3, -1234.5, &money),
                4 => ws.write_number_with_format(r, 3, 7.0, &quoted),
                5 => ws.write_boolean(r, 3, k % 3 == 0),
                6 => ws.write_formula(r, 3, Formula::new("=1/0").set_result("#DIV/0!")),
                _ => ws.write_formula(r, 3, Formula::new("=\"x\"&\"y\"").set_result("x&y")),
            }
            .unwrap();
            if k % 5 == 0 {
                let segments = [(&bold, "tebal "), (&Format::default(), "biasa")];
                ws.write_rich_string(r, 4, &segments).unwrap();
            }
            if k % 7 == 0 {
                ws.write_blank(r, 6, &bold).unwrap();
            }
        }
        for r in 100..300 {
            ws.write_blank(r, 0, &bold).unwrap();
        }
        wb.save(path).unwrap();
    }

    #[test]
    fn every_kind_of_value_reads_as_calamine_reads_it_in_pieces_of_every_size() {
        let tmp = tempfile::tempdir().unwrap();
        for constant_memory in [false, true] {
            let path = tmp.path().join(format!("k{constant_memory}.xlsx"));
            every_kind(&path, constant_memory);
            assert_same(&path);
            set_1904(&path);
            assert_same(&path);
        }
    }

    /// `path` with its part `name` rewritten by `edit`.
    fn patch(path: &Path, name: &str, edit: impl Fn(String) -> String) {
        let bytes = std::fs::read(path).unwrap();
        let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let mut found = false;
        for i in 0..zin.len() {
            let mut e = zin.by_index(i).unwrap();
            let part = e.name().unwrap().to_string();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            if part == name {
                found = true;
                data = edit(String::from_utf8(data).unwrap()).into_bytes();
            }
            let options = zip::write::SimpleFileOptions::default();
            out.start_file(part, options).unwrap();
            out.write_all(&data).unwrap();
        }
        if !found {
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(edit(String::new()).as_bytes()).unwrap();
        }
        std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
    }

    fn set_1904(path: &Path) {
        patch(path, "xl/workbook.xml", |t| {
            if t.contains("<workbookPr ") {
                t.replacen("<workbookPr ", "<workbookPr date1904=\"1\" ", 1)
            } else {
                t.replacen("<sheets>", "<workbookPr date1904=\"1\"/><sheets>", 1)
            }
        });
    }

    /// A one-sheet workbook whose sheet's `<sheetData>` is `rows` and whose shared strings are
    /// `sst` (written by hand, as other tools write them).
    fn by_hand(path: &Path, rows: &str, sst: &str) {
        let mut wb = Workbook::new();
        wb.add_worksheet().write_string(0, 0, "x").unwrap();
        wb.save(path).unwrap();
        let rows = rows.to_string();
        patch(path, "xl/worksheets/sheet1.xml", move |t| {
            let (a, _) = t.split_once("<sheetData>").expect("sheetData");
            let (_, b) = t.split_once("</sheetData>").expect("sheetData's end");
            format!("{a}<sheetData>{rows}</sheetData>{b}")
        });
        let sst = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">{sst}</sst>"
        );
        patch(path, "xl/sharedStrings.xml", move |_| sst.clone());
    }

    #[test]
    fn shared_strings_and_cells_as_other_tools_write_them_read_as_calamine_reads_them() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("hand.xlsx");
        let sst = concat!(
            "<si><t>Nama</t></si>",
            "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">Ibu </t></r><r><t>Siti</t></r>",
            "<rPh sb=\"0\" eb=\"1\"><t>ルビ</t></rPh></si>",
            "<si><t xml:space=\"preserve\">  spasi &amp; &#233;  </t></si>",
            "<si><t>  dipangkas\r\n</t></si>",
            "<si><t>_x0041__xD83D__xDE00_ _x005F_x0041_</t></si>",
            "<si/>",
        );
        let rows = concat!(
            "<row r=\"2\" spans=\"1:6\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\" t=\"s\"><v>1</v></c>",
            "<c r=\"C2\" t=\"s\"><v>2</v></c><c r=\"D2\" t=\"s\"><v>3</v></c><c r=\"E2\" t=\"s\"><v>4</v></c>",
            "<c r=\"F2\" t=\"s\"><v>5</v></c></row>",
            "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>sebaris</t></is></c>",
            "<c r=\"B3\" t=\"str\"><f>A3</f><v>a &amp;amp; b&#10;c</v></c>",
            "<c r=\"C3\" t=\"b\"><v>true</v></c><c r=\"D3\" t=\"e\"><v>#N/A</v></c>",
            "<c r=\"E3\" t=\"d\"><v>2024-03-05T10:00:00</v></c><c r=\"F3\"><v>1.5e2</v></c>",
            "<c r=\"G3\"><v>bukan angka</v></c><c r=\"H3\" t=\"n\"><v></v></c>",
            "<c r=\"I3\"><v>3</v><f>1+2</f></c><c r=\"J3\" t=\"s\"><v/></c>",
            "<c r=\"K3\" t=\"s\"><v>+1</v></c><c r=\"L3\" s=\"+1\"><v>2</v></c></row>",
            "<row r=\"4\"/><row r=\"5\"><c r=\"A5\" s=\"0\"/></row>",
            "<row r=\"9\"><c r=\"C9\"><v>4</v></c><c r=\"A9\"><v>1</v></c></row>",
            "<row r=\"10\"><c r=\"B10\" t=\"str\"><v></v></c></row>",
            "<row r=\"11\"><c r=\"A11\" s=\"0\"/></row>",
        );
        by_hand(&path, rows, sst);
        assert_same(&path);
    }

    #[test]
    fn a_sheet_that_is_not_plain_is_left_to_calamine() {
        let tmp = tempfile::tempdir().unwrap();
        let limits = Limits::default();
        // Cells without their place: calamine counts them.
        let path = tmp.path().join("no-r.xlsx");
        let rows = "<row r=\"1\"><c t=\"s\"><v>0</v></c><c><v>2</v></c></row>";
        by_hand(&path, rows, "<si><t>a</t></si>");
        let e = split_rows(&path, 41, 10, &limits).unwrap_err();
        assert!(e.is::<OutOfOrder>(), "{e:#}");
        // Rows out of order: the whole read sorts them.
        let path = tmp.path().join("order.xlsx");
        let rows = "<row r=\"5\"><c r=\"A5\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>";
        by_hand(&path, rows, "");
        let e = split_rows(&path, 1, 1, &limits).unwrap_err();
        assert!(e.is::<OutOfOrder>(), "{e:#}");
        // A row end inside a CDATA section or a comment is not one: read whole.
        for odd in [
            "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t><![CDATA[a</row>b]]></t></is></c></row>",
            "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><!-- </row><row r=\"9\"> --><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>",
        ] {
            let path = tmp.path().join("odd.xlsx");
            by_hand(&path, odd, "");
            let e = split_rows(&path, 1, 1, &limits).unwrap_err();
            assert!(e.is::<OutOfOrder>(), "{e:#}");
        }
        // A prefixed sheet: calamine's reader.
        let path = tmp.path().join("prefix.xlsx");
        by_hand(&path, "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", "");
        patch(&path, "xl/worksheets/sheet1.xml", |t| {
            t.replace("<sheetData>", "<x:sheetData>")
                .replace("</sheetData>", "</x:sheetData>")
        });
        let wb = xlsxstream::Workbook::open(&path, &limits).unwrap().unwrap();
        let mut plain = Plain::open(&path, &wb.sheet, false).unwrap();
        assert!(plain.split().unwrap().is_none());
    }

    #[test]
    fn a_value_past_the_row_or_column_limit_is_refused_naming_its_cell() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("limit.xlsx");
        let rows = concat!(
            "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>",
            "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"E2\" s=\"0\"/></row>",
            "<row r=\"3\"><c r=\"A3\"><v>1</v></c><c r=\"E3\"><v>5</v></c></row>",
        );
        by_hand(&path, rows, "");
        let kolom = Limits {
            kolom: 4,
            ..Limits::default()
        };
        let baris = Limits {
            baris: 2,
            ..Limits::default()
        };
        for (limits, says) in [
            (kolom, ["lebih dari 4 kolom", "sel baris 3, kolom 5"]),
            (baris, ["lebih dari 2 baris", "sel baris 3, kolom 1"]),
        ] {
            let e = split_rows(&path, 1, 1, &limits).unwrap_err();
            let e = e.downcast::<TooLarge>().unwrap();
            assert!(says.iter().all(|s| e.0.contains(s)), "{}", e.0);
        }
    }
}
