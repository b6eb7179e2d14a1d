//! Excel and OpenDocument workbooks through calamine: every sheet.

use std::path::Path;

use anyhow::{Context, Result};
use calamine::{open_workbook_auto, Data, Reader};

use super::{Cell, RawSheet};

pub fn read(path: &Path, rel: &str) -> Result<Vec<RawSheet>> {
    let mut wb = open_workbook_auto(path).with_context(|| {
        "the workbook cannot be opened (damaged, or not an Excel file)".to_string()
    })?;
    let names = wb.sheet_names();
    let mut out = Vec::new();
    for name in names {
        let range = wb
            .worksheet_range(&name)
            .with_context(|| format!("sheet '{name}' cannot be read"))?;
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .map(|r| {
                let mut cells: Vec<Cell> = Vec::with_capacity(first_col as usize + r.len());
                cells.resize(first_col as usize, Cell::Empty);
                cells.extend(r.iter().map(cell));
                cells
            })
            .collect();
        out.push(RawSheet {
            file: rel.to_string(),
            sheet: name,
            rows,
            first_row: first_row as usize + 1,
        });
    }
    Ok(out)
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => {
            if s.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::Text(s.clone())
            }
        }
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                Cell::Date(dt.as_f64())
            } else {
                Cell::Number(dt.as_f64())
            }
        }
        Data::DateTimeIso(s) => Cell::Text(s.clone()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("#{e:?}")),
    }
}
