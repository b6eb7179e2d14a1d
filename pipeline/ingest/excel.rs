//! Excel and OpenDocument workbooks through calamine: every sheet. An XLSX/ODS archive is
//! checked before it is opened, so a zip bomb is refused instead of inflated; hidden sheets are
//! listed, not read. Each sheet's hidden rows are read beside (`visibility`: XLSX/XLSM, ODS).

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};
use calamine::{open_workbook_auto, Data, Reader, SheetVisible, Sheets};

use super::{text_cell, Cell, Limits, RawSheet, TooLarge};

/// The inflated size an archive declares, checked against the limit before anything is
/// inflated; a declared size that lies is caught by reading no more than the limit.
pub(super) fn check_archive(path: &Path, limits: &Limits) -> Result<()> {
    check_archive_where(path, limits, |_| true)
}

/// `check_archive` with only the entries whose names `inflate` takes inflated (every entry's
/// declared size is checked): a streamed sheet's own entry is inflated on another thread while
/// it is read (`is_worksheet`).
pub(super) fn check_archive_where(
    path: &Path,
    limits: &Limits,
    inflate: impl Fn(&str) -> bool,
) -> Result<()> {
    let file = std::fs::File::open(path)?;
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return Ok(()); // not a zip (.xls): calamine reports what it is
    };
    let limit = limits.terurai_mb.saturating_mul(1024 * 1024);
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i)?;
        total = total.saturating_add(entry.size());
        if total > limit {
            return Err(TooLarge(format!(
                "isi arsip terurai lebih dari {} MiB ([batas] terurai_mb): bukan lembar kerja biasa (zip bomb?)",
                limits.terurai_mb
            ))
            .into());
        }
    }
    // Sizes can lie: inflate the entries, counting, and stop at the limit.
    let mut seen: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i)?;
        // (A name that is not text is no worksheet: checked with the rest.)
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if !inflate(&name) {
            continue;
        }
        let mut limited = entry.take(limit.saturating_sub(seen) + 1);
        let n = std::io::copy(&mut limited, &mut std::io::sink()).unwrap_or(0);
        seen += n;
        if seen > limit {
            return Err(TooLarge(format!(
                "isi arsip terurai lebih dari {} MiB ([batas] terurai_mb), lebih besar dari yang dinyatakan: zip bomb",
                limits.terurai_mb
            ))
            .into());
        }
    }
    Ok(())
}

/// Whether an archive entry is a worksheet's cells (`xl/worksheets/…`).
pub(super) fn is_worksheet(name: &str) -> bool {
    name.starts_with("xl/worksheets/") && !name.contains("/_rels/")
}

pub fn read(path: &Path, rel: &str, limits: &Limits) -> Result<Vec<RawSheet>> {
    check_archive(path, limits)?;
    let mut wb = open_workbook_auto(path).with_context(|| {
        "the workbook cannot be opened (damaged, or not an Excel file)".to_string()
    })?;
    let date_1904 = epoch_1904(&wb);
    let sheets = wb.sheets_metadata().to_vec();
    let mut shown = rows_shown(&wb, path, &sheets);
    let ods_percent = match &wb {
        Sheets::Ods(_) => super::visibility::ods_percentages(path),
        _ => Default::default(),
    };
    let mut out = Vec::new();
    for meta in sheets {
        let name = meta.name.clone();
        if meta.visible != SheetVisible::Visible {
            out.push(RawSheet {
                file: rel.to_string(),
                sheet: name,
                rows: vec![],
                first_row: 1,
                hidden: true,
                visibility: Default::default(),
                encoding: None,
                date_1904,
            });
            continue;
        }
        let range = wb
            .worksheet_range(&name)
            .with_context(|| format!("sheet '{name}' cannot be read"))?;
        let (h, w) = range.get_size();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let (h, w) = (h + r0 as usize, w + c0 as usize);
        if h > limits.baris || w > limits.kolom {
            return Err(TooLarge(format!(
                "lembar '{name}' berukuran {h} baris × {w} kolom, melebihi batas {} × {} ([batas] baris, kolom)",
                limits.baris, limits.kolom
            ))
            .into());
        }
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let percent = percent_styles(&mut wb, &name, h);
        // (An ODS cell says its type itself: `visibility::ods_percentages`.)
        let ods_cells = ods_percent.get(&name).filter(|_| h <= PERCENT_ROWS);
        let rows = (range.rows().enumerate())
            .map(|(i, r)| {
                let mut cells: Vec<Cell> = Vec::with_capacity(first_col as usize + r.len());
                cells.resize(first_col as usize, Cell::Empty);
                cells.extend(r.iter().enumerate().map(|(j, d)| {
                    let at = (first_row + i as u32, first_col + j as u32);
                    let shown_as_percent = match (&percent, ods_cells) {
                        (Some(p), _) => is_percent(p.get(at)),
                        (None, Some(c)) => c.contains(&at),
                        (None, None) => false,
                    };
                    match d {
                        Data::Float(_) | Data::Int(_) if shown_as_percent => {
                            as_percentage(cell(d, limits, date_1904))
                        }
                        _ => cell(d, limits, date_1904),
                    }
                }));
                cells
            })
            .collect();
        out.push(RawSheet {
            file: rel.to_string(),
            visibility: shown.remove(&name).unwrap_or_default(),
            sheet: name,
            rows,
            first_row: first_row as usize + 1,
            hidden: false,
            encoding: None,
            date_1904,
        });
    }
    Ok(out)
}

/// The sheets whose cells' number formats are read (`percent_styles`): a realization sheet's
/// hundreds of rows, by far; a bigger sheet is a questionnaire export, whose answers are never
/// percentages, and would pay a second pass over its XML.
const PERCENT_ROWS: usize = 20_000;

/// The cells' styles of an XLSX sheet of at most `PERCENT_ROWS` rows, to find the numbers
/// shown as percentages (`is_percent`); `None` for XLS and ODS (an ODS cell's own type says it:
/// `visibility::ods_percentages`), a bigger sheet, or styles that do not read (the numbers are
/// then read as stored).
fn percent_styles(
    wb: &mut Sheets<std::io::BufReader<std::fs::File>>,
    name: &str,
    rows: usize,
) -> Option<calamine::StyleRange> {
    match wb {
        Sheets::Xlsx(x) if rows <= PERCENT_ROWS => x.worksheet_style(name).ok(),
        _ => None,
    }
}

/// Whether a cell's number format shows it as a percentage (`0%`, `0.00%`, `#,##0.0%`): a `%`
/// outside quoted text, an escaped character and a bracketed section (`[Red]`, `[$Rp-421]`).
fn is_percent(style: Option<&calamine::Style>) -> bool {
    let Some(code) = style.and_then(|s| s.number_format.as_ref()) else {
        return false;
    };
    let (mut quoted, mut bracket, mut escaped) = (false, false, false);
    for ch in code.format_code.chars() {
        match ch {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            '%' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
}

/// A number shown as a percentage (0.855 as 85.5%) as the percentage it shows (85.5): what a
/// unit typed or read on screen, as a typed `85,5` is. Realization sheets state targets,
/// realisasi and serapan so; a column formatted as % beside one typed (target 90, realisasi
/// 0.855 shown 85.5%) had given a capaian of 0.95%. Moved by two decimal places in decimal,
/// so that 0.855 is 85.5, not 85.49999999999999.
fn as_percentage(c: Cell<'static>) -> Cell<'static> {
    use std::str::FromStr as _;
    let Cell::Number(f) = c else {
        return c;
    };
    let exact = rust_decimal::Decimal::from_str(&f.to_string()).ok();
    let moved = exact.and_then(|d| d.checked_mul(rust_decimal::Decimal::ONE_HUNDRED));
    match moved.and_then(|d| rust_decimal::prelude::ToPrimitive::to_f64(&d)) {
        Some(p) => Cell::Number(p),
        None => Cell::Number(f * 100.0),
    }
}

/// The hidden rows of each visible sheet (`visibility`), XLSX/XLSM and ODS; none for XLS.
fn rows_shown(
    wb: &Sheets<std::io::BufReader<std::fs::File>>,
    path: &Path,
    sheets: &[calamine::Sheet],
) -> std::collections::HashMap<String, super::RowVisibility> {
    let visible: Vec<String> = (sheets.iter())
        .filter(|m| m.visible == SheetVisible::Visible)
        .map(|m| m.name.clone())
        .collect();
    match wb {
        Sheets::Xlsx(_) => super::visibility::xlsx(path, &visible),
        Sheets::Ods(_) => super::visibility::ods(path),
        Sheets::Xls(_) | Sheets::Xlsb(_) => Default::default(),
    }
}

/// Days from 1899-12-30 (the 1900 date system's day 0) to 1904-01-01 (the 1904 system's).
pub const DAYS_1900_TO_1904: f64 = 1462.0;

/// Whether the workbook counts its dates from 1904 (older Excel for Mac; a workbook setting
/// calamine reports). ODS writes dates as text and has no such setting here.
fn epoch_1904(wb: &Sheets<std::io::BufReader<std::fs::File>>) -> bool {
    match wb {
        Sheets::Xlsx(x) => x.has_1904_epoch(),
        Sheets::Xls(x) => x.has_1904_epoch(),
        Sheets::Xlsb(x) => x.has_1904_epoch(),
        Sheets::Ods(_) => false,
    }
}

/// A cell as skm reads it. A date cell of a 1904 workbook is moved to the 1900 system, so
/// that every later stage reads one system (`Cell::Date`).
pub(super) fn cell(d: &Data, limits: &Limits, date_1904: bool) -> Cell<'static> {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => text_cell(s, limits),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                let shift = if date_1904 { DAYS_1900_TO_1904 } else { 0.0 };
                Cell::Date(dt.as_f64() + shift)
            } else {
                Cell::Number(dt.as_f64())
            }
        }
        Data::DateTimeIso(s) => text_cell(s, limits),
        Data::DurationIso(s) => text_cell(s, limits),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}
