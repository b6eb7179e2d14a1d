//! Which rows a workbook's sheet hides, as the workbook writes it (calamine 0.38 does not say),
//! and which cells of an ODS table are percentages (`ods_percentages`: calamine gives their
//! fraction).
//!
//! XLSX/XLSM: each worksheet's `<row r="N" hidden="1">` (with its `outlineLevel`: a row in a
//! collapsed group), its `<autoFilter>` (active when it holds a `<filterColumn>`: the rows it
//! hides are filtered out of view) and `<sheetFormatPr zeroHeight="1">` (rows hidden by
//! default: the rows the sheet does not write, which hold nothing). The sheet's part is found
//! from `workbook.xml` and its relationships, whatever the folder and prefixes.
//!
//! ODS: `table:table-row`'s `table:visibility` (`collapse`: hidden by hand, or in a collapsed
//! `table:table-row-group`; `filter`: filtered), rows counted with `table:number-rows-repeated`.
//!
//! Only a sheet whose XML is at most `MAX_XML` is read (every realization sheet, hundreds of
//! rows, by far; a small questionnaire): a bigger one is a questionnaire export, whose hidden
//! rows are read anyway, and it would pay a second pass over its XML for a count. A streamed
//! sheet (`xlsxsplit`, `xlsxstream`) is not read here either. XLS is not covered. A sheet's
//! rows are found with `memchr::memmem`, not parsed cell by cell: on a 24K-row questionnaire
//! (16 MB of XML) the visibility took 50–75 ms of a 1.5–1.9 s whole read (debug build,
//! 2026-12-07; a whole quick-xml event parse had taken 0.6 s more), inflating mostly. Nothing here
//! fails a read: a part that does not read leaves the visibility unknown (`known: false`).
//! No interpretation either: which hidden rows are read is normalize's rule.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use memchr::memmem;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::ZipArchive;

/// The largest sheet XML (XLSX: the worksheet's part; ODS: `content.xml`, every sheet) whose
/// rows' visibility is read.
pub const MAX_XML: u64 = 16 * 1024 * 1024;

/// Why a row is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// Hidden by hand (XLSX `hidden="1"` outside an active filter and any outline group; ODS
    /// `collapse` outside a row group).
    ByHand,
    /// Filtered out of view: inside an active `<autoFilter>`'s rows (ODS `filter`).
    Filter,
    /// In a collapsed outline group (detail lines folded under their heading).
    Group,
}

/// Which of a sheet's rows are hidden.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowVisibility {
    /// Whether the sheet's rows were looked at: false for a CSV, an XLS, a sheet past
    /// `MAX_XML` or streamed, and a part that does not read.
    pub known: bool,
    /// Hidden rows (1-based, as the spreadsheet numbers them), sorted, each with why.
    pub hidden: Vec<(u32, Hidden)>,
    /// An active filter's rows, its heading row first (XLSX `<autoFilter ref>`).
    pub filter: Option<(u32, u32)>,
    /// Rows are hidden by default (XLSX `zeroHeight`): the rows not written, all empty.
    pub hidden_by_default: bool,
}

impl RowVisibility {
    /// Why `row` (1-based) is hidden, if it is.
    pub fn of(&self, row: u32) -> Option<Hidden> {
        (self.hidden.binary_search_by_key(&row, |&(r, _)| r).ok()).map(|i| self.hidden[i].1)
    }
}

type Zip = ZipArchive<BufReader<File>>;

/// The visibility of the named sheets of an XLSX/XLSM workbook, by sheet name; a sheet whose
/// part is not found, too big or does not read is missing.
pub fn xlsx(path: &Path, sheets: &[String]) -> HashMap<String, RowVisibility> {
    let mut out = HashMap::new();
    let Some((mut zip, names)) = open(path) else {
        return out;
    };
    let Some(parts) = sheet_parts(&mut zip, &names) else {
        return out;
    };
    for (name, part) in parts {
        if !sheets.contains(&name) {
            continue;
        }
        let Some(xml) = names.get(&part).and_then(|p| part_bytes(&mut zip, p)) else {
            continue;
        };
        if let Some(v) = xlsx_sheet(&xml) {
            out.insert(name, v);
        }
    }
    out
}

/// The visibility of every sheet of an ODS workbook, by sheet name.
pub fn ods(path: &Path) -> HashMap<String, RowVisibility> {
    ods_content_xml(path)
        .and_then(|xml| ods_content(&xml))
        .unwrap_or_default()
}

/// An ODS workbook's `content.xml` (every table), when it is at most `MAX_XML`.
fn ods_content_xml(path: &Path) -> Option<Vec<u8>> {
    let (mut zip, names) = open(path)?;
    part_bytes(&mut zip, names.get("content.xml")?)
}

/// The cells of an ODS workbook's tables shown as percentages (`office:value-type=
/// "percentage"`): calamine 0.38 gives such a cell's stored fraction, 0.855 for a cell showing
/// 85.5%, as a plain number. By table name, as (row, column), 0-based as calamine's ranges
/// place them (rows and columns counted with their repeats); none when `content.xml` is past
/// `MAX_XML` or does not read.
pub fn ods_percentages(path: &Path) -> HashMap<String, HashSet<(u32, u32)>> {
    ods_content_xml(path)
        .and_then(|xml| ods_percent_cells(&xml))
        .unwrap_or_default()
}

/// The most rows or columns of one repeated cell named (`table:number-rows-repeated`,
/// `number-columns-repeated`): a value repeated further is read as stored.
const MAX_REPEAT: u32 = 1024;

/// ODS `content.xml`: every table's cells typed `percentage`.
fn ods_percent_cells(xml: &[u8]) -> Option<HashMap<String, HashSet<(u32, u32)>>> {
    let mut r = reader(xml);
    let mut out = HashMap::new();
    let mut current: Option<(String, HashSet<(u32, u32)>)> = None;
    // The rows before the next row, the current row, its repeats, the columns before the cell.
    let (mut next_row, mut row, mut repeats, mut col) = (0u32, 0u32, 1u32, 0u32);
    loop {
        let event = r.read_event().ok()?;
        let (e, empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                if e.local_name().as_ref() == "table" {
                    if let Some((name, cells)) = current.take() {
                        out.insert(name, cells);
                    }
                }
                continue;
            }
            Event::Eof => return Some(out),
            _ => continue,
        };
        match e.local_name().as_ref() {
            "table" if !empty && current.is_none() => {
                current = Some((attr(e, "name").unwrap_or_default(), HashSet::new()));
                next_row = 0;
            }
            "table-row" => {
                repeats = attr(e, "number-rows-repeated").map_or(Some(1), |n| n.parse().ok())?;
                (row, col) = (next_row, 0);
                next_row = next_row.saturating_add(repeats);
            }
            "table-cell" | "covered-table-cell" => {
                let n: u32 =
                    attr(e, "number-columns-repeated").map_or(Some(1), |n| n.parse().ok())?;
                let percent = attr(e, "value-type").as_deref() == Some("percentage");
                if let (true, Some((_, cells))) = (percent, current.as_mut()) {
                    for r in row..row.saturating_add(repeats.min(MAX_REPEAT)) {
                        for c in col..col.saturating_add(n.min(MAX_REPEAT)) {
                            cells.insert((r, c));
                        }
                    }
                }
                col = col.saturating_add(n);
            }
            _ => (),
        }
    }
}

/// The archive and its entries' names, lower case with `/`, to the names as stored.
fn open(path: &Path) -> Option<(Zip, HashMap<String, String>)> {
    let zip = ZipArchive::new(BufReader::new(File::open(path).ok()?)).ok()?;
    let names = (zip.file_names())
        .map(|n| {
            n.ok()
                .map(|n| (n.replace('\\', "/").to_ascii_lowercase(), n.to_string()))
        })
        .collect::<Option<_>>()?;
    Some((zip, names))
}

/// A part's bytes, when it is at most `MAX_XML` (its declared size, and what inflates).
fn part_bytes(zip: &mut Zip, name: &str) -> Option<Vec<u8>> {
    let entry = zip.by_name(name).ok()?;
    if entry.size() > MAX_XML {
        return None;
    }
    let mut bytes = Vec::with_capacity(entry.size() as usize);
    entry.take(MAX_XML + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= MAX_XML).then_some(bytes)
}

fn reader(bytes: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(bytes);
    r.config_mut().check_end_names = false;
    r
}

/// An attribute's unescaped value, by its local name (any prefix).
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        if a.key.local_name().as_ref() != local {
            return None;
        }
        quick_xml::escape::unescape(&a.value)
            .ok()
            .map(|v| v.into_owned())
    })
}

fn truthy(v: Option<String>) -> bool {
    v.is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// Each sheet's name and its part (lower case, from the package's root), from the workbook
/// the package's relationships name and the workbook's own relationships.
fn sheet_parts(zip: &mut Zip, names: &HashMap<String, String>) -> Option<Vec<(String, String)>> {
    let workbook = relationships(zip, names, "_rels/.rels", "")?
        .into_values()
        .find(|(kind, _)| kind.ends_with("/officeDocument"))?
        .1;
    let (dir, file) = match workbook.rfind('/') {
        Some(i) => (&workbook[..=i], &workbook[i + 1..]),
        None => ("", workbook.as_str()),
    };
    let rels = relationships(zip, names, &format!("{dir}_rels/{file}.rels"), dir)?;
    let bytes = part_bytes(zip, names.get(&workbook)?)?;
    let mut xml = reader(&bytes);
    let mut out = Vec::new();
    loop {
        match xml.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                let (Some(name), Some(id)) = (attr(&e, "name"), attr(&e, "id")) else {
                    continue;
                };
                if let Some((_, part)) = rels.get(&id) {
                    out.push((name, part.clone()));
                }
            }
            Event::Eof => return Some(out),
            _ => (),
        }
    }
}

/// A relationships part: each id's type and target (lower case, from the package's root:
/// `base` before a relative one).
fn relationships(
    zip: &mut Zip,
    names: &HashMap<String, String>,
    rels: &str,
    base: &str,
) -> Option<HashMap<String, (String, String)>> {
    let bytes = part_bytes(zip, names.get(rels)?)?;
    let mut xml = reader(&bytes);
    let mut out = HashMap::new();
    loop {
        match xml.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let (Some(id), Some(kind), Some(target)) =
                    (attr(&e, "Id"), attr(&e, "Type"), attr(&e, "Target"))
                else {
                    continue;
                };
                let target = match target.strip_prefix('/') {
                    Some(t) => t.to_string(),
                    None => format!("{base}{target}"),
                };
                out.insert(id, (kind, target.replace('\\', "/").to_ascii_lowercase()));
            }
            Event::Eof => return Some(out),
            _ => (),
        }
    }
}

/// One worksheet's XML: its hidden rows, active filter and default. Only the elements that
/// say so are parsed, found with `memchr::memmem`: each row's start tag (`<row …>`, its
/// attributes only when it says `hidden`), `<sheetFormatPr>` before the rows, `<autoFilter>`
/// and `<filterColumn>` after them; the cells are not (a whole event parse of a 16 MiB sheet
/// cost about half of calamine's read of it). A value's text cannot hold a tag (`<` is
/// `&lt;` there); `None` when the sheet has no `<sheetData>`.
pub fn xlsx_sheet(xml: &[u8]) -> Option<RowVisibility> {
    // The elements' prefix (`x:`, most often none), from `<…sheetData`.
    let at = memmem::find_iter(xml, b"sheetData")
        .find(|&i| i > 0 && matches!(xml[i - 1], b'<' | b':'))?;
    let open = memchr::memrchr(b'<', &xml[..at])?;
    let prefix = std::str::from_utf8(&xml[open + 1..at]).ok()?;
    let tag = |name: &str| format!("<{prefix}{name}");
    let close = memmem::find(&xml[at..], format!("</{prefix}sheetData").as_bytes())
        .map_or(xml.len(), |i| at + i);
    let (head, rows, tail) = (&xml[..open], &xml[at..close], &xml[close..]);
    let mut v = RowVisibility {
        known: true,
        ..Default::default()
    };
    if let Some(e) = first_tag(head, &tag("sheetFormatPr")) {
        v.hidden_by_default = truthy(attr(&e, "zeroHeight"));
    }
    if let Some(e) = first_tag(tail, &tag("autoFilter")) {
        let filtering = first_tag(tail, &tag("filterColumn")).is_some();
        v.filter = attr(&e, "ref")
            .and_then(|r| rows_of(&r))
            .filter(|_| filtering);
    }
    // Hidden rows with whether they are in an outline group.
    let mut hidden: Vec<(u32, bool)> = Vec::new();
    let mut row = 0u32;
    let needle = tag("row");
    for e in tags(rows, &needle) {
        let content = e.as_bytes();
        if memmem::find(content, b"hidden").is_none() {
            row = match row_number(content) {
                Some(n) => n,
                None if memmem::find(content, b"r=").is_some() => return None,
                None => row + 1,
            };
            continue;
        }
        let start = BytesStart::from_content(e, prefix.len() + 3);
        row = match attr(&start, "r") {
            Some(n) => n.trim().parse().ok()?,
            None => row + 1,
        };
        if truthy(attr(&start, "hidden")) {
            let level = attr(&start, "outlineLevel").and_then(|l| l.parse::<u8>().ok());
            hidden.push((row, level.unwrap_or(0) > 0));
        }
    }
    hidden.sort_unstable();
    hidden.dedup_by_key(|h| h.0);
    v.hidden = (hidden.into_iter())
        .map(|(row, grouped)| {
            let filtered = v.filter.is_some_and(|(a, z)| row > a && row <= z);
            let why = match (filtered, grouped) {
                (true, _) => Hidden::Filter,
                (false, true) => Hidden::Group,
                (false, false) => Hidden::ByHand,
            };
            (row, why)
        })
        .collect();
    Some(v)
}

/// Each start tag named `needle` (`<row`, not `<rowBreaks`) in `xml`: its content between
/// `<` and `>` (without a closing `/`).
fn tags<'x>(xml: &'x [u8], needle: &str) -> impl Iterator<Item = &'x str> + 'x {
    let finder = memmem::Finder::new(needle.as_bytes()).into_owned();
    let n = needle.len();
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let at = from + finder.find(&xml[from..])?;
        from = at + n;
        if !matches!(
            xml.get(at + n),
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')
        ) {
            continue;
        }
        let end = at + n + memchr::memchr(b'>', &xml[at + n..])?;
        from = end;
        let content = xml[at + 1..end]
            .strip_suffix(b"/")
            .unwrap_or(&xml[at + 1..end]);
        return Some(std::str::from_utf8(content).unwrap_or(""));
    })
}

/// The first start tag named `needle` in `xml`, its attributes readable.
fn first_tag<'x>(xml: &'x [u8], needle: &str) -> Option<BytesStart<'x>> {
    let content = tags(xml, needle).next()?;
    Some(BytesStart::from_content(content, needle.len() - 1))
}

/// A row tag's `r` (`row r="12" spans="1:3"` → 12), read without parsing its other
/// attributes; `None` when it has no `r` or one that is not a number.
fn row_number(content: &[u8]) -> Option<u32> {
    let at = memmem::find_iter(content, b"r=")
        .find(|&i| i > 0 && content[i - 1].is_ascii_whitespace())?;
    let quote = *content.get(at + 2)?;
    let digits = content.get(at + 3..)?;
    let n = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 || digits.get(n) != Some(&quote) {
        return None;
    }
    std::str::from_utf8(&digits[..n]).ok()?.parse().ok()
}

/// The rows of a range (`A3:F20` → 3..=20; `A3` → 3..=3).
fn rows_of(range: &str) -> Option<(u32, u32)> {
    let row = |cell: &str| -> Option<u32> {
        let digits = cell.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '$');
        digits.trim_start_matches('$').parse().ok()
    };
    let (a, z) = range.split_once(':').unwrap_or((range, range));
    Some((row(a)?, row(z)?))
}

/// ODS `content.xml`: every table's hidden rows.
fn ods_content(xml: &[u8]) -> Option<HashMap<String, RowVisibility>> {
    let mut r = reader(xml);
    let mut out = HashMap::new();
    let mut current: Option<(String, RowVisibility, u32)> = None;
    let mut groups = 0usize;
    loop {
        let event = r.read_event().ok()?;
        let (e, empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "table" => {
                        if let Some((name, v, _)) = current.take() {
                            out.insert(name, v);
                        }
                    }
                    "table-row-group" => groups = groups.saturating_sub(1),
                    _ => (),
                }
                continue;
            }
            Event::Eof => return Some(out),
            _ => continue,
        };
        match e.local_name().as_ref() {
            "table" if !empty && current.is_none() => {
                let v = RowVisibility {
                    known: true,
                    ..Default::default()
                };
                current = Some((attr(e, "name").unwrap_or_default(), v, 0));
                groups = 0;
            }
            "table-row-group" if !empty => groups += 1,
            "table-row" => {
                let Some((_, v, next)) = current.as_mut() else {
                    continue;
                };
                let n: u32 = attr(e, "number-rows-repeated").map_or(Some(1), |n| n.parse().ok())?;
                let why = match attr(e, "visibility").as_deref() {
                    Some("filter") => Some(Hidden::Filter),
                    Some("collapse") if groups > 0 => Some(Hidden::Group),
                    Some("collapse") => Some(Hidden::ByHand),
                    _ => None,
                };
                // A sheet's last rows repeated a million times over are formatting, not rows:
                // at most the rows Excel can hold are named.
                if let Some(why) = why {
                    let last = next.saturating_add(n).min(1_048_576);
                    v.hidden.extend((*next + 1..=last).map(|row| (row, why)));
                }
                *next = next.saturating_add(n);
            }
            _ => (),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(format: &str, rows: &str, after: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C9"/>{format}<sheetData>{rows}</sheetData>{after}</worksheet>"#
        )
        .into_bytes()
    }

    #[test]
    fn hidden_rows_as_excel_writes_them() {
        let rows = r#"<row r="1" spans="1:3"><c r="A1"><v>1</v></c></row>
<row r="2" spans="1:3" hidden="1"><c r="A2"><v>2</v></c></row>
<row r="3" spans="1:3" ht="15" customHeight="1" hidden="0"><c r="A3"><v>3</v></c></row>
<row r="5" spans="1:3" hidden="true" x14ac:dyDescent="0.25"/>
<row><c><v>6</v></c></row>
<row r="7" hidden="1" outlineLevel="1"><c r="A7"><v>7</v></c></row>
<row r="8"><c r="A8" t="inlineStr"><is><t>&lt;row r="9" hidden="1"&gt; hidden</t></is></c></row>"#;
        let v = xlsx_sheet(&sheet(
            r#"<sheetFormatPr defaultRowHeight="15"/>"#,
            rows,
            "",
        ))
        .unwrap();
        assert!(v.known);
        assert!(!v.hidden_by_default);
        assert_eq!(v.filter, None);
        let want = vec![(2, Hidden::ByHand), (5, Hidden::ByHand), (7, Hidden::Group)];
        assert_eq!(v.hidden, want);
        assert_eq!(v.of(2), Some(Hidden::ByHand));
        assert_eq!(v.of(3), None);
        assert_eq!(v.of(6), None);
        assert_eq!(v.of(9), None, "a tag written in a text is text");
    }

    #[test]
    fn rows_hidden_by_default_and_prefixed_elements() {
        let v = xlsx_sheet(
            br#"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetFormatPr defaultRowHeight="15" zeroHeight="1"/><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row><x:row r="4" hidden="1"/></x:sheetData></x:worksheet>"#,
        )
        .unwrap();
        assert!(v.hidden_by_default);
        assert_eq!(v.hidden, vec![(4, Hidden::ByHand)]);
        assert_eq!(v.of(1), None, "a row written is shown, zeroHeight or not");
    }

    #[test]
    fn an_active_filter_hides_its_rows_and_an_idle_one_does_not() {
        let rows = r#"<row r="2" hidden="1"/><row r="4" hidden="1"/><row r="9" hidden="1"/>"#;
        let active = r#"<autoFilter ref="A3:C8"><filterColumn colId="1"><filters><filter val="x"/></filters></filterColumn></autoFilter>"#;
        let v = xlsx_sheet(&sheet("", rows, active)).unwrap();
        assert_eq!(v.filter, Some((3, 8)));
        let want = vec![
            (2, Hidden::ByHand),
            (4, Hidden::Filter),
            (9, Hidden::ByHand),
        ];
        assert_eq!(v.hidden, want);
        let idle = xlsx_sheet(&sheet("", rows, r#"<autoFilter ref="A3:C8"/>"#)).unwrap();
        assert_eq!(idle.filter, None);
        assert!(idle.hidden.iter().all(|&(_, h)| h == Hidden::ByHand));
    }

    #[test]
    fn ods_percentages_placed_with_repeats_and_covered_cells() {
        let xml = br#"<office:document-content xmlns:office="o" xmlns:table="t"><office:body><office:spreadsheet>
<table:table table:name="IKU"><table:table-column table:number-columns-repeated="4"/>
<table:table-row><table:table-cell table:number-columns-spanned="3"/><table:covered-table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="percentage" office:value="0.5"/></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="percentage" office:value="0.1" table:number-columns-repeated="2"/></table:table-row>
<table:table-row/>
<table:table-row><table:table-cell office:value-type="float" office:value="0.7"/><table:table-cell office:value-type="percentage" office:value="0.7"/></table:table-row>
</table:table>
<table:table table:name="Kosong"><table:table-row><table:table-cell/></table:table-row></table:table>
</office:spreadsheet></office:body></office:document-content>"#;
        let p = ods_percent_cells(xml).unwrap();
        let mut cells: Vec<(u32, u32)> = p["IKU"].iter().copied().collect();
        cells.sort_unstable();
        assert_eq!(cells, [(0, 3), (1, 2), (1, 3), (2, 2), (2, 3), (4, 1)]);
        assert!(p["Kosong"].is_empty());
    }

    #[test]
    fn ods_rows_counted_with_their_repeats() {
        let xml = br#"<office:document-content xmlns:office="o" xmlns:table="t"><office:body><office:spreadsheet>
<table:table table:name="Rekap"><table:table-column/>
<table:table-row><table:table-cell/></table:table-row>
<table:table-row table:number-rows-repeated="2" table:visibility="collapse"><table:table-cell/></table:table-row>
<table:table-row-group><table:table-row table:visibility="collapse"/></table:table-row-group>
<table:table-row table:visibility="filter"/>
<table:table-row table:number-rows-repeated="1048570"/>
</table:table>
<table:table table:name="Dua"><table:table-row table:visibility="visible"/></table:table>
</office:spreadsheet></office:body></office:document-content>"#;
        let v = ods_content(xml).unwrap();
        let want = vec![
            (2, Hidden::ByHand),
            (3, Hidden::ByHand),
            (4, Hidden::Group),
            (5, Hidden::Filter),
        ];
        assert_eq!(v["Rekap"].hidden, want);
        assert!(v["Dua"].known && v["Dua"].hidden.is_empty());
    }

    #[test]
    fn ranges() {
        assert_eq!(rows_of("A3:F20"), Some((3, 20)));
        assert_eq!(rows_of("$B$4"), Some((4, 4)));
        assert_eq!(rows_of("A"), None);
    }
}
