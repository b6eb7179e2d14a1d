//! The Excel workbook for the staff of the Bagian Organisasi: `report/skm_<tahun>.xlsx`, one
//! sheet per question they ask, values written as numbers, header rows frozen, filters on,
//! columns fitted, mutu cells coloured by grade.

use std::path::Path;

use anyhow::{Context, Result};
use polars::prelude::*;
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet};

/// One sheet: a title, the frame and, per column, its heading in Bahasa Indonesia.
pub struct SheetSpec<'a> {
    pub name: &'a str,
    pub df: DataFrame,
    pub headings: Vec<(&'a str, &'a str)>,
}

fn grade_fill(m: &str) -> Option<Color> {
    match m {
        "A" | "Sangat Baik" => Some(Color::RGB(0xC6EFCE)),
        "B" | "Baik" => Some(Color::RGB(0xDDEBF7)),
        "C" | "Kurang Baik" => Some(Color::RGB(0xFFEB9C)),
        "D" | "Tidak Baik" => Some(Color::RGB(0xFFC7CE)),
        _ => None,
    }
}

/// The number format of a column: 3 decimals for NRR, 2 for IKM and percentages, thousands
/// marks for rupiah and counts. Excel shows them with the reader's separators (in an
/// Indonesian locale: 88,13 and 229.444.689.696).
fn num_format(col: &str, dtype: &DataType) -> &'static str {
    if col.starts_with("nrr") {
        "0.000"
    } else if matches!(dtype, DataType::Decimal(_, _)) {
        "#,##0"
    } else if matches!(dtype, DataType::Float64 | DataType::Float32) {
        "#,##0.00"
    } else {
        "#,##0"
    }
}

fn write_sheet(ws: &mut Worksheet, spec: &SheetSpec<'_>) -> Result<()> {
    ws.set_name(spec.name)?;
    let bold = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9D9D9));
    let df = &spec.df;
    let cols: Vec<&Column> = spec
        .headings
        .iter()
        .map(|(c, _)| {
            df.column(c)
                .map_err(|e| anyhow::anyhow!("sheet {}: no column {c}: {e}", spec.name))
        })
        .collect::<Result<_>>()?;
    for (j, (_, h)) in spec.headings.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, *h, &bold)?;
    }
    for (j, (name, _)) in spec.headings.iter().enumerate() {
        let c = cols[j];
        let j = j as u16;
        let fmt = Format::new().set_num_format(num_format(name, c.dtype()));
        let grade = matches!(*name, "mutu" | "kinerja");
        match c.dtype() {
            DataType::String => {
                for (i, v) in c.str()?.iter().enumerate() {
                    let Some(v) = v else { continue };
                    let r = i as u32 + 1;
                    match grade.then(|| grade_fill(v)).flatten() {
                        Some(color) => ws.write_string_with_format(
                            r,
                            j,
                            v,
                            &Format::new().set_background_color(color),
                        )?,
                        None => ws.write_string(r, j, v)?,
                    };
                }
            }
            DataType::Boolean => {
                for (i, v) in c.bool()?.iter().enumerate() {
                    if let Some(v) = v {
                        ws.write_string(i as u32 + 1, j, if v { "ya" } else { "tidak" })?;
                    }
                }
            }
            _ => {
                let f = c.cast(&DataType::Float64)?;
                for (i, v) in f.f64()?.iter().enumerate() {
                    if let Some(v) = v {
                        ws.write_number_with_format(i as u32 + 1, j, v, &fmt)?;
                    }
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if df.height() > 0 {
        ws.autofilter(
            0,
            0,
            df.height() as u32,
            spec.headings.len().saturating_sub(1) as u16,
        )?;
    }
    ws.autofit();
    Ok(())
}

/// Writes the workbook.
pub fn write(path: &Path, sheets: &[SheetSpec<'_>]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut wb = Workbook::new();
    for s in sheets {
        let ws = wb.add_worksheet();
        write_sheet(ws, s)?;
    }
    wb.save(path)
        .with_context(|| format!("cannot write {}", path.display()))
}
