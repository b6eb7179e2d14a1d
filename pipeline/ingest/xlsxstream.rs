//! One XLSX sheet read row by row from calamine's streaming cell reader, instead of as a whole
//! range: the rows are handed out a chunk at a time (`SheetRows::next_rows`), so a sheet of a
//! million responses never sits in memory at once, and the row and column limits are checked
//! as the cells arrive (a sheet over the limit is refused when its first row past it is read).
//!
//! The rows are those the whole read gives (`excel::read`): they start at the first row with a
//! value, a row without any value inside the sheet is an empty row, a cell keeps its column
//! (the columns left of the first used one are empty cells), and each value is read by the
//! same `excel::cell`. A row is as long as its last value (the whole read pads every row to
//! the widest; the readers treat a missing cell as an empty one).

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use anyhow::{Context as _, Result};
use calamine::{Data, DataRef, Reader, SheetVisible, Xlsx, XlsxCellReader};

use super::{text_cell, Cell, Limits, TooLarge};

/// An XLSX workbook opened to stream its one sheet.
pub struct Workbook {
    xlsx: Xlsx<BufReader<File>>,
    /// The sheet's name.
    pub sheet: String,
    pub date_1904: bool,
}

impl Workbook {
    /// The workbook at `path` when it has exactly one sheet and that sheet is visible (the
    /// export of a form or a survey application); `None` for any other workbook, which is read
    /// whole. The archive is checked against `[batas] terurai_mb` first (`excel::read`),
    /// but for the worksheet's own cells: those are inflated by `check_sheet`, to be run beside
    /// the reading (the rows read are bounded by `[batas] baris` and `kolom` meanwhile).
    pub fn open(path: &Path, limits: &Limits) -> Result<Option<Workbook>> {
        super::excel::check_archive_where(path, limits, |e| !super::excel::is_worksheet(e))?;
        let xlsx: Xlsx<_> = calamine::open_workbook(path).with_context(|| {
            "the workbook cannot be opened (damaged, or not an Excel file)".to_string()
        })?;
        let [meta] = xlsx.sheets_metadata() else {
            return Ok(None);
        };
        if meta.visible != SheetVisible::Visible {
            return Ok(None);
        }
        let sheet = meta.name.clone();
        let date_1904 = xlsx.has_1904_epoch();
        Ok(Some(Workbook {
            xlsx,
            sheet,
            date_1904,
        }))
    }

    /// The worksheet's cells inflated, counting, against `[batas] terurai_mb` (the rest of
    /// `excel::read`'s check of the archive, left out by `open`).
    pub fn check_sheet(path: &Path, limits: &Limits) -> Result<()> {
        super::excel::check_archive_where(path, limits, super::excel::is_worksheet)
    }

    /// The sheet's rows, from its first row with a value.
    pub fn rows<'w>(&'w mut self, limits: &'w Limits) -> Result<SheetRows<'w>> {
        let name = self.sheet.clone();
        let cells = self
            .xlsx
            .worksheet_cells_reader(&name)
            .with_context(|| format!("sheet '{name}' cannot be read"))?;
        let mut rows = SheetRows {
            cells,
            limits,
            date_1904: self.date_1904,
            sheet: name,
            ahead: None,
            next_row: 0,
            last_row: 0,
            first_row: 1,
            at_end: false,
            width: 0,
        };
        rows.ahead = rows.next_value()?;
        if let Some((r, _, _)) = &rows.ahead {
            rows.next_row = *r;
            rows.first_row = *r as usize + 1;
        }
        Ok(rows)
    }
}

/// A sheet whose cells are not written row after row (no tool writes one, but the format
/// allows it): it is read whole instead.
#[derive(Debug, thiserror::Error)]
#[error("the sheet's cells are not in row order")]
pub struct OutOfOrder;

/// The sheet refused at its first cell past `[batas] baris` or `kolom` (row `r`, column `col`,
/// 0-based): which limit, where, and what to do.
pub(super) fn over_limit(limits: &Limits, sheet: &str, r: u32, col: u32) -> TooLarge {
    let at = format!("sel baris {}, kolom {} berisi data", r + 1, col + 1);
    TooLarge(if r as usize >= limits.baris {
        format!(
            "lembar '{sheet}' lebih dari {} baris ([batas] baris): {at}; kirim data per periode dalam beberapa berkas, atau naikkan [batas] baris bila lembar ini memang sebesar itu",
            limits.baris
        )
    } else {
        format!(
            "lembar '{sheet}' lebih dari {} kolom ([batas] kolom): {at}; hapus kolom yang tidak dipakai di kanan tabel, atau naikkan [batas] kolom",
            limits.kolom
        )
    })
}

/// A sheet's rows as they are read (`Workbook::rows`).
pub struct SheetRows<'w> {
    cells: XlsxCellReader<'w, BufReader<File>>,
    limits: &'w Limits,
    date_1904: bool,
    sheet: String,
    /// The next cell with a value (row, column, cell), read ahead.
    ahead: Option<(u32, u32, Cell<'static>)>,
    /// The sheet row (0-based) the next row handed out is.
    next_row: u32,
    /// The row of the last value read: rows come in order, or the sheet is read whole.
    last_row: u32,
    /// The first row with a value, 1-based, as a spreadsheet program numbers it (the rows
    /// handed out are numbered from it: `RawSheet::first_row`).
    pub first_row: usize,
    at_end: bool,
    /// The most cells a row handed out had.
    width: usize,
}

impl SheetRows<'_> {
    /// The next cell with a value, checked against the limits.
    fn next_value(&mut self) -> Result<Option<(u32, u32, Cell<'static>)>> {
        while let Some(c) = self.cells.next_cell()? {
            let (r, col) = c.get_position();
            if *c.get_value() == DataRef::Empty {
                continue;
            }
            if r < self.last_row {
                return Err(OutOfOrder.into());
            }
            self.last_row = r;
            if r as usize >= self.limits.baris || col as usize >= self.limits.kolom {
                return Err(over_limit(self.limits, &self.sheet, r, col).into());
            }
            // A text is made a cell from the shared string itself, not from a copy of it.
            let cell = match c.get_value() {
                DataRef::SharedString(t) => text_cell(t, self.limits),
                DataRef::String(t) => text_cell(t, self.limits),
                v => super::excel::cell(&Data::from(v.clone()), self.limits, self.date_1904),
            };
            return Ok(Some((r, col, cell)));
        }
        Ok(None)
    }

    /// Up to `n` more rows, with the index of the first among all the sheet's rows (0 is
    /// `first_row`); `None` once every row has been handed out.
    pub fn next_rows(&mut self, n: usize) -> Result<Option<(usize, Vec<Vec<Cell<'static>>>)>> {
        if self.ahead.is_none() {
            self.at_end = true;
            return Ok(None);
        }
        let first = self.next_row as usize + 1 - self.first_row;
        let mut rows = Vec::with_capacity(n.min(1 << 16));
        while rows.len() < n {
            let Some((r, _, _)) = &self.ahead else { break };
            // Room for as many cells as the row before had: a row grows without copies.
            let mut row: Vec<Cell<'static>> = Vec::with_capacity(self.width);
            if *r == self.next_row {
                while let Some((r, col, cell)) = self.ahead.take() {
                    if r != self.next_row {
                        self.ahead = Some((r, col, cell));
                        break;
                    }
                    if row.len() <= col as usize {
                        row.resize(col as usize + 1, Cell::Empty);
                    }
                    row[col as usize] = cell;
                    self.ahead = self.next_value()?;
                }
            }
            self.width = self.width.max(row.len());
            rows.push(row);
            self.next_row += 1;
        }
        if self.ahead.is_none() {
            self.at_end = true;
        }
        Ok(Some((first, rows)))
    }

    /// Whether every row has been handed out.
    pub fn at_end(&self) -> bool {
        self.at_end
    }
}
