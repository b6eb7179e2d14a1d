//! Ingest: find every submission under the inbox and read it, as received, into sheets of
//! cells. No interpretation happens here: that is the normalize stage's work.
//!
//! Accepted: `*.csv` (comma or semicolon, UTF-8 with or without BOM) and `*.xlsx`, `*.xlsm`,
//! `*.xls`, `*.ods` (through calamine, every sheet). A file that cannot be read becomes an
//! `Unreadable` entry with the reason, and the run goes on with the others.

mod csvfile;
mod excel;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// One cell as received.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date or date-time, as its serial number (days since 1899-12-30).
    Date(f64),
    Bool(bool),
    /// A formula error such as `#DIV/0!` or `#N/A`.
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
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
    pub rows: Vec<Vec<Cell>>,
    pub first_row: usize,
}

/// What reading one file gave.
#[derive(Debug)]
pub enum Ingested {
    Sheets(Vec<RawSheet>),
    Unreadable { file: String, reason: String },
}

/// A submission found in the inbox.
#[derive(Debug, Clone)]
pub struct InboxFile {
    pub path: PathBuf,
    /// Path relative to the inbox, `/`-separated: the name used in every output.
    pub rel: String,
}

const EXTENSIONS: [&str; 5] = ["csv", "xlsx", "xlsm", "xls", "ods"];

/// Every accepted file under `inbox`, recursively, in a stable order (by relative path).
/// Symbolic links are not followed; hidden files and Office lock files (`~$…`) are skipped.
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
        if ft.is_dir() {
            walk(root, &path, out)?;
        } else if ft.is_file() {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if EXTENSIONS.contains(&ext.as_str()) {
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().to_string())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push(InboxFile { path, rel });
            }
        }
    }
    Ok(())
}

/// Reads one file. Never fails: an unreadable file is reported as such.
pub fn read(file: &InboxFile) -> Ingested {
    let ext = file
        .path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let result = if ext == "csv" {
        csvfile::read(&file.path, &file.rel).map(|s| vec![s])
    } else {
        excel::read(&file.path, &file.rel)
    };
    crate::faults::point("ingest");
    match result {
        Ok(sheets) => Ingested::Sheets(sheets),
        Err(e) => Ingested::Unreadable {
            file: file.rel.clone(),
            reason: format!("{e:#}"),
        },
    }
}
