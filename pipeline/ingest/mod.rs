//! Ingest: find every submission under the inbox and read it, as received, into sheets of
//! cells. No interpretation happens here: that is the normalize stage's work.
//!
//! Accepted: `*.csv`, `*.txt`, `*.tsv` (comma, semicolon or tab; UTF-8, UTF-16 with a BOM or
//! Windows-1252, see `csvfile`: Excel's "Unicode Text" is a `.txt`) and `*.xlsx`, `*.xlsm`,
//! `*.xls`, `*.ods` (through calamine, every sheet). A file that cannot be read becomes an
//! `Unreadable` entry with the reason, and the run goes on with the others.

mod csvfile;
pub mod csvstream;
mod excel;
pub mod sniff;
pub mod visibility;
pub mod xlsxsplit;
pub mod xlsxstream;
pub use excel::DAYS_1900_TO_1904;

pub use sniff::Encoding;
pub use visibility::{Hidden, RowVisibility};

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// One cell as received. `Cell<'static>` owns its text (a sheet's rows, `RawSheet`); a CSV
/// record being read borrows its texts from the text read (`Cell<'t>`, `csvstream::records`),
/// so a row of a streamed file costs no copy of its texts.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'t> {
    Empty,
    Text(Text<'t>),
    Number(f64),
    /// An Excel date or date-time, as its serial number (days since 1899-12-30).
    Date(f64),
    Bool(bool),
    /// A formula error such as `#DIV/0!` or `#N/A`.
    Error(String),
    /// A text longer than the limit (its length in characters); the text itself is dropped.
    Oversize(usize),
}

/// A cell's text: owned (up to 24 bytes inline, without an allocation of its own) or borrowed
/// from the text being read. Reads as a `str`.
#[derive(Debug, Clone)]
pub enum Text<'t> {
    Owned(compact_str::CompactString),
    Borrowed(&'t str),
}

impl Text<'_> {
    pub fn as_str(&self) -> &str {
        self
    }

    /// The same text, owned.
    pub fn into_owned(self) -> Text<'static> {
        match self {
            Text::Owned(s) => Text::Owned(s),
            Text::Borrowed(s) => Text::Owned(s.into()),
        }
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        match self {
            Text::Owned(s) => s.as_str(),
            Text::Borrowed(s) => s,
        }
    }
}

impl PartialEq for Text<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl From<&str> for Text<'_> {
    fn from(s: &str) -> Self {
        Text::Owned(s.into())
    }
}

impl Cell<'_> {
    /// The same cell, owning its text.
    pub fn into_owned(self) -> Cell<'static> {
        match self {
            Cell::Empty => Cell::Empty,
            Cell::Text(t) => Cell::Text(t.into_owned()),
            Cell::Number(n) => Cell::Number(n),
            Cell::Date(d) => Cell::Date(d),
            Cell::Bool(b) => Cell::Bool(b),
            Cell::Error(e) => Cell::Error(e),
            Cell::Oversize(n) => Cell::Oversize(n),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => trimmed(s).is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as an operator would see it (numbers without a trailing `.0`).
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) => fmt_number(*n),
            Cell::Date(d) => format!("(tanggal Excel {})", fmt_number(*d)),
            Cell::Bool(b) => b.to_string(),
            Cell::Error(e) => e.clone(),
            Cell::Oversize(n) => format!("(teks {n} karakter)"),
        }
    }
}

pub fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One sheet (a CSV file is one sheet named `""`).
#[derive(Debug, Clone)]
pub struct RawSheet {
    /// The file's path relative to the inbox, with `/` separators.
    pub file: String,
    pub sheet: String,
    /// Rows as received; `rows[i]` is source row `first_row + i` (1-based, as a spreadsheet
    /// program numbers them; for CSV, the record number).
    pub rows: Vec<Vec<Cell<'static>>>,
    pub first_row: usize,
    /// A hidden sheet: listed, not read.
    pub hidden: bool,
    /// Which of its rows the workbook hides (`visibility`): read for an XLSX/XLSM or ODS
    /// sheet read whole of at most `visibility::MAX_XML`; unknown (`known: false`) otherwise.
    pub visibility: RowVisibility,
    /// The text encoding a CSV file was decoded from (`None` for a workbook's sheets).
    pub encoding: Option<Encoding>,
    /// A workbook in Excel's 1904 date system (older Excel for Mac): its date cells are
    /// already moved to the 1900 system (`Cell::Date`), but a date typed as a plain serial
    /// number is not, and is moved by whoever reads it as a date.
    pub date_1904: bool,
}

/// What reading one file gave.
#[derive(Debug)]
pub enum Ingested {
    Sheets(Vec<RawSheet>),
    Unreadable {
        file: String,
        reason: String,
        why: Unreadable,
    },
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// Damaged, empty, not decodable.
    Damaged,
    /// Beyond a limit of `[batas]`.
    TooLarge,
    /// A symbolic link: never followed.
    Link,
    /// Not CSV, XLSX, XLS or ODS.
    Unsupported,
}

/// A submission found in the inbox.
#[derive(Debug, Clone)]
pub struct InboxFile {
    pub path: PathBuf,
    /// Path relative to the inbox, `/`-separated: the name used in every output.
    pub rel: String,
    /// A symbolic link: listed so it is reported, never followed.
    pub link: bool,
}

/// What ingest refuses to read, configurable (`[batas]` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest file read whole, in MiB: a workbook (XLSX, XLS, ODS), and a CSV file that is
    /// not streamed (UTF-16, not UTF-8, or not a questionnaire: `ingest::csvstream`).
    pub berkas_mb: u64,
    /// Largest CSV file read as a stream, in MiB. Streaming costs memory by the chunk, not by
    /// the file, so the default (1 TiB) leaves the disk as the real limit.
    pub csv_mb: u64,
    /// Largest total of an XLSX/ODS archive once inflated, in MiB (zip bombs).
    pub terurai_mb: u64,
    /// Most rows in a sheet or a CSV file (checked while reading). A workbook's sheets are
    /// bounded by `berkas_mb` and `terurai_mb` long before; the default (500 million) lets any
    /// honest export through and stops an endless file.
    pub baris: usize,
    /// Most columns in a sheet.
    pub kolom: usize,
    /// Longest text in a cell, in characters (Excel's own limit is 32,767).
    pub karakter_sel: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            berkas_mb: 256,
            csv_mb: 1024 * 1024,
            terurai_mb: 1024,
            baris: 500_000_000,
            kolom: 500,
            karakter_sel: 32_767,
        }
    }
}

const EXTENSIONS: [&str; 7] = ["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"];

/// The extensions of delimited text, read by `csvfile`/`csvstream` (delimiter and encoding
/// sniffed): `.csv`, and `.txt`/`.tsv`, which Excel writes for "Unicode Text" (UTF-16 with
/// its BOM, tab-separated) and "Text (Tab delimited)".
const DELIMITED: [&str; 3] = ["csv", "tsv", "txt"];

/// Whether `path` is read as delimited text (`DELIMITED`).
pub fn is_delimited_text(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DELIMITED.iter().any(|d| e.eq_ignore_ascii_case(d)))
}

/// Every file under `inbox`, recursively, in a stable order (by relative path). Symbolic
/// links are listed (to be reported) but not followed; hidden files and Office lock files
/// (`~$…`) are skipped; files of other formats are listed and reported by `read`.
pub fn discover(inbox: &Path) -> Result<Vec<InboxFile>> {
    let meta = std::fs::metadata(inbox)
        .with_context(|| format!("the inbox {} cannot be read", inbox.display()))?;
    anyhow::ensure!(
        meta.is_dir(),
        "the inbox {} is not a folder",
        inbox.display()
    );
    let mut out = Vec::new();
    walk(inbox, inbox, &mut out)?;
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<InboxFile>) -> Result<()> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("the folder {} cannot be read", dir.display()))?;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let ft = entry.file_type()?;
        let path = entry.path();
        let rel = |path: &Path| {
            path.strip_prefix(root)
                .unwrap_or(path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .collect::<Vec<_>>()
                .join("/")
        };
        if ft.is_symlink() {
            // Never followed (it may lead outside the inbox), but reported.
            out.push(InboxFile {
                rel: rel(&path),
                path,
                link: true,
            });
            continue;
        }
        if ft.is_dir() {
            walk(root, &path, out)?;
        } else if ft.is_file() {
            // Every file is listed: one skm cannot read is reported by `read`, not passed over.
            out.push(InboxFile {
                rel: rel(&path),
                path,
                link: false,
            });
        }
    }
    Ok(())
}

/// Reads one file within the limits. Never fails: an unreadable file is reported as such.
pub fn read(file: &InboxFile, limits: &Limits) -> Ingested {
    let unreadable = |reason: String, why: Unreadable| Ingested::Unreadable {
        file: file.rel.clone(),
        reason,
        why,
    };
    if file.link {
        return unreadable(
            "tautan simbolik (symlink) tidak diikuti: bisa menunjuk ke luar kotak masuk; salin berkasnya ke sini".into(),
            Unreadable::Link,
        );
    }
    let size = std::fs::metadata(&file.path).map(|m| m.len()).unwrap_or(0);
    if size > limits.berkas_mb.saturating_mul(1024 * 1024) {
        return unreadable(
            format!(
                "ukuran {} MiB melebihi batas {} MiB ([batas] berkas_mb)",
                size / 1024 / 1024,
                limits.berkas_mb
            ),
            Unreadable::TooLarge,
        );
    }
    let ext = file
        .path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !EXTENSIONS.contains(&ext.as_str()) {
        return unreadable(
            format!(
                "format '{}' tidak didukung; kirim sebagai .csv, .txt (teks Unicode), .xlsx, .xls atau .ods",
                if ext.is_empty() {
                    "(tanpa ekstensi)"
                } else {
                    ext.as_str()
                }
            ),
            Unreadable::Unsupported,
        );
    }
    let result = if DELIMITED.contains(&ext.as_str()) {
        csvfile::read(&file.path, &file.rel, limits).map(|s| vec![s])
    } else {
        excel::read(&file.path, &file.rel, limits)
    };
    crate::faults::point("ingest");
    match result {
        Ok(sheets) => Ingested::Sheets(sheets),
        Err(e) => {
            let why = if e.downcast_ref::<TooLarge>().is_some() {
                Unreadable::TooLarge
            } else {
                Unreadable::Damaged
            };
            unreadable(format!("{e:#}"), why)
        }
    }
}

/// A file beyond one of the limits.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TooLarge(pub String);

/// The texts a spreadsheet shows for a formula error (a CSV export keeps them as text).
const FORMULA_ERRORS: [&str; 8] = [
    "#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
];

/// `s.trim()`, quicker for the usual cell that starts and ends with a printable ASCII
/// character (nothing to trim).
#[inline]
pub fn trimmed(s: &str) -> &str {
    let edge = |b: &u8| b.is_ascii() && !matches!(b, b' ' | b'\t'..=b'\r');
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if edge(a) && edge(z) => s,
        _ => s.trim(),
    }
}

/// A text cell within the character limit, else `Oversize`; a formula error's text is an error.
pub fn text_cell(s: &str, limits: &Limits) -> Cell<'static> {
    borrowed_cell(s, limits).into_owned()
}

/// `text_cell`, its text borrowed from `s`.
#[inline]
pub fn borrowed_cell<'t>(s: &'t str, limits: &Limits) -> Cell<'t> {
    let t = trimmed(s);
    if t.is_empty() {
        Cell::Empty
    } else if t.starts_with('#') && FORMULA_ERRORS.contains(&t) {
        Cell::Error(t.to_string())
    } else {
        // Bytes bound characters: most cells need no count.
        let n = if s.len() <= limits.karakter_sel {
            0
        } else {
            s.chars().count()
        };
        if n > limits.karakter_sel {
            Cell::Oversize(n)
        } else {
            Cell::Text(Text::Borrowed(s))
        }
    }
}
