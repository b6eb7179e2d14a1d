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
    /// The output table that holds every row of the sheet (`rejects.parquet`,
    /// `gold/anggaran.parquet`, …), named in a line under the rows when the sheet shows only
    /// its first `MAX_SHEET_ROWS`; empty for a sheet bounded by the registry.
    pub table: &'a str,
    /// The rows of `table` for this sheet when `df` holds only the first of them.
    pub rows: Option<usize>,
}

/// Rows written to a sheet at most (Excel holds 1,048,576; a sheet past it failed the whole
/// run); the Parquet tables hold them all, and the sheet says how many it leaves out.
pub const MAX_SHEET_ROWS: usize = 100_000;

impl SheetSpec<'_> {
    /// The rows the sheet leaves out (shown in a line under its rows).
    fn left_out(&self) -> usize {
        let all = self.rows.unwrap_or(0).max(self.df.height());
        all.saturating_sub(MAX_SHEET_ROWS.min(self.df.height()))
    }
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

/// A sheet with more rows than this is written in `rust_xlsxwriter`'s constant-memory mode
/// (each row to a temporary file as it is written, `write`): the rejects of a city-wide
/// export (100,000 rows in a sheet) held as cells cost ~45 MiB at the end of a run of 30M
/// responses. Its columns are then fitted by `widths`, not by `autofit`, which sees only the
/// rows in memory.
const LARGE_SHEET_ROWS: usize = 5_000;

/// A column as it is written: text (coloured by grade for `mutu` and `kinerja`), yes/no, or a
/// number with its format. (One per column of a sheet: the number variant's size costs nothing.)
#[allow(clippy::large_enum_variant)]
enum Out<'a> {
    Text(&'a StringChunked, bool),
    YesNo(&'a BooleanChunked),
    Number(Float64Chunked, Format),
}

impl<'a> Out<'a> {
    fn of(name: &str, c: &'a Column) -> Result<Out<'a>> {
        Ok(match c.dtype() {
            DataType::String => Out::Text(c.str()?, matches!(name, "mutu" | "kinerja")),
            DataType::Boolean => Out::YesNo(c.bool()?),
            dtype => {
                let fmt = Format::new().set_num_format(num_format(name, dtype));
                Out::Number(c.cast(&DataType::Float64)?.f64()?.clone(), fmt)
            }
        })
    }

    /// Writes row `i`'s value at sheet row `r`, column `j` (nothing for a null). `by_column`:
    /// a number takes its column's format (`column_formats`), not a format of its own.
    fn write(&self, ws: &mut Worksheet, i: usize, r: u32, j: u16, by_column: bool) -> Result<()> {
        match self {
            Out::Text(c, grade) => {
                let Some(v) = c.get(i) else { return Ok(()) };
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
            Out::YesNo(c) => {
                if let Some(v) = c.get(i) {
                    ws.write_string(r, j, if v { "ya" } else { "tidak" })?;
                }
            }
            Out::Number(c, fmt) => match (c.get(i), by_column) {
                (Some(v), true) => {
                    ws.write_number(r, j, v)?;
                }
                (Some(v), false) => {
                    ws.write_number_with_format(r, j, v, fmt)?;
                }
                (None, _) => {}
            },
        }
        Ok(())
    }

    /// The widest value's width in characters (for `widths`).
    fn widest(&self) -> usize {
        match self {
            Out::Text(c, _) => c.iter().flatten().map(|v| v.chars().count()).max(),
            Out::YesNo(_) => Some(5),
            // Digits and thousands marks (decimals take the width the marks leave).
            Out::Number(c, _) => c.iter().flatten().map(|v| digits(v) * 4 / 3 + 1).max(),
        }
        .unwrap_or(0)
    }
}

/// The digits of a number's whole part.
fn digits(v: f64) -> usize {
    (v.abs().round() as u64)
        .checked_ilog10()
        .map_or(1, |d| d as usize + 1)
}

/// Each number column's format set on the column: a large sheet's number cells are then
/// written without a format of their own and take the column's (the same `s` style on each
/// cell), where a format given with every cell was hashed for every cell (a sixth of the time of
/// writing 100,000 duplikat rows). Empty cells of the column show numbers typed in them the
/// same way.
fn column_formats(ws: &mut Worksheet, outs: &[Out<'_>]) -> Result<()> {
    for (j, out) in outs.iter().enumerate() {
        if let Out::Number(_, fmt) = out {
            ws.set_column_format(j as u16, fmt)?;
        }
    }
    Ok(())
}

/// Column widths for a sheet written in constant-memory mode: the widest of the heading and
/// the values, as `autofit` would, at most 100 characters.
fn widths(ws: &mut Worksheet, spec: &SheetSpec<'_>, outs: &[Out<'_>]) -> Result<()> {
    for (j, ((_, h), out)) in spec.headings.iter().zip(outs).enumerate() {
        let chars = h.chars().count().max(out.widest());
        ws.set_column_width(j as u16, (chars as f64 + 1.0).min(100.0))?;
    }
    Ok(())
}

fn write_sheet(ws: &mut Worksheet, spec: &SheetSpec<'_>, large: bool) -> Result<()> {
    ws.set_name(spec.name)?;
    let bold = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9D9D9));
    let df = &spec.df;
    let outs: Vec<Out<'_>> = spec
        .headings
        .iter()
        .map(|(c, _)| {
            let col = df
                .column(c)
                .map_err(|e| anyhow::anyhow!("sheet {}: no column {c}: {e}", spec.name))?;
            Out::of(c, col)
        })
        .collect::<Result<_>>()?;
    if large {
        widths(ws, spec, &outs)?;
    }
    for (j, (_, h)) in spec.headings.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, *h, &bold)?;
    }
    // (After the headings: the styles are numbered in the order first used, as when each
    // number cell gave its format.)
    if large {
        column_formats(ws, &outs)?;
    }
    // Row by row: a constant-memory sheet takes its rows in order.
    let shown = df.height().min(MAX_SHEET_ROWS);
    for i in 0..shown {
        for (j, out) in outs.iter().enumerate() {
            out.write(ws, i, i as u32 + 1, j as u16, large)?;
        }
    }
    let left_out = spec.left_out();
    if left_out > 0 {
        let line =
            format!(
            "… {} baris lagi tidak ditampilkan di lembar ini (batas {} baris); semuanya ada di {}",
            super::numbers::bilangan(left_out as i64),
            super::numbers::bilangan(MAX_SHEET_ROWS as i64),
            if spec.table.is_empty() { "tabel Parquet keluaran" } else { spec.table }
        );
        let italic = Format::new().set_italic();
        ws.write_string_with_format(shown as u32 + 2, 0, &line, &italic)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if shown > 0 {
        ws.autofilter(
            0,
            0,
            shown as u32,
            spec.headings.len().saturating_sub(1) as u16,
        )?;
    }
    if !large {
        ws.autofit();
    }
    Ok(())
}

/// Writes the workbook.
pub fn write(path: &Path, sheets: &[SheetSpec<'_>]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut wb = Workbook::new();
    // Deflate's fastest level: most of the time of saving a big sheet went to compressing its
    // XML at the default level 6.
    wb.set_zip_compression_level(1);
    // A large sheet's rows go to a temporary file beside the workbook (not to a /tmp that may
    // be memory).
    if let Some(dir) = path.parent() {
        wb.set_tempdir(dir)
            .with_context(|| format!("cannot write temporary files in {}", dir.display()))?;
    }
    for s in sheets {
        let large = s.df.height().min(MAX_SHEET_ROWS) > LARGE_SHEET_ROWS;
        let ws = if large {
            wb.add_worksheet_with_constant_memory()
                .with_context(|| format!("cannot write {}", path.display()))?
        } else {
            wb.add_worksheet()
        };
        write_sheet(ws, s, large)?;
    }
    wb.save(path)
        .with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large sheet's number cells take their column's format: each cell is written with the
    /// style of its number format (`#,##0`), as a format given with the cell wrote it, and the
    /// text cells with none.
    #[test]
    fn a_large_sheets_numbers_carry_their_columns_format() {
        use std::io::Read as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.xlsx");
        let n = LARGE_SHEET_ROWS + 10;
        let df = df!(
            "teks" => (0..n).map(|i| format!("t{i}")).collect::<Vec<_>>(),
            "n" => (0..n as i64).map(|i| i * 1000).collect::<Vec<_>>(),
        )
        .unwrap();
        let spec = SheetSpec {
            name: "Besar",
            df,
            headings: vec![("teks", "Teks"), ("n", "N")],
            table: "",
            rows: None,
        };
        write(&path, &[spec]).unwrap();
        let mut zip = ::zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut text = |name: &str| {
            let mut s = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        let (sheet, styles) = (text("xl/worksheets/sheet1.xml"), text("xl/styles.xml"));
        // The style of every cell of column B below the heading, and of column A's.
        let styles_of = |col: char| -> std::collections::BTreeSet<String> {
            (2..=n + 1)
                .map(|r| {
                    let at = sheet.find(&format!("<c r=\"{col}{r}\"")).expect("the cell");
                    let tag = &sheet[at..at + sheet[at..].find('>').unwrap()];
                    tag.split(" s=\"")
                        .nth(1)
                        .map_or("0", |s| s.split('"').next().unwrap())
                        .to_string()
                })
                .collect()
        };
        let b = styles_of('B');
        assert_eq!(b.len(), 1, "{b:?}");
        assert_eq!(styles_of('A').into_iter().collect::<Vec<_>>(), ["0"]);
        let xf: usize = b.first().unwrap().parse().unwrap();
        let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
        let xf_tag = xfs.split("<xf ").nth(xf + 1).unwrap();
        let id = xf_tag
            .split("numFmtId=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let code = format!("<numFmt numFmtId=\"{id}\" formatCode=\"#,##0\"/>");
        assert!(styles.contains(&code), "{xf_tag} {styles}");
    }

    /// A sheet shows at most `MAX_SHEET_ROWS` rows and says under them how many it leaves out
    /// and where they all are: a frame longer than the bound, and the first rows of a longer
    /// table; a sheet within the bound has no such line.
    #[test]
    fn a_sheet_says_how_many_rows_it_leaves_out_and_where_they_are() {
        use calamine::{Data, Reader};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.xlsx");
        let long = df!("n" => (0..MAX_SHEET_ROWS as i64 + 5).collect::<Vec<_>>()).unwrap();
        let head = df!("n" => [1i64, 2, 3]).unwrap();
        let spec = |name, df, table, rows| SheetSpec {
            name,
            df,
            headings: vec![("n", "N")],
            table,
            rows,
        };
        let sheets = [
            spec("Panjang", long, "gold/anggaran.parquet", None),
            spec("Awal", head.clone(), "rejects.parquet", Some(250_000)),
            spec("Utuh", head, "rejects.parquet", Some(3)),
        ];
        write(&path, &sheets).unwrap();
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
        let rows = |wb: &mut calamine::Xlsx<_>, name: &str| -> Vec<Vec<Data>> {
            let r = wb.worksheet_range(name).unwrap();
            r.rows().map(|row| row.to_vec()).collect()
        };
        let long = rows(&mut wb, "Panjang");
        assert_eq!(long.len(), MAX_SHEET_ROWS + 3);
        assert_eq!(
            long[MAX_SHEET_ROWS][0],
            Data::Float(MAX_SHEET_ROWS as f64 - 1.0)
        );
        assert_eq!(
            long[MAX_SHEET_ROWS + 2][0].to_string(),
            "… 5 baris lagi tidak ditampilkan di lembar ini (batas 100.000 baris); semuanya ada di gold/anggaran.parquet"
        );
        let first = rows(&mut wb, "Awal");
        assert_eq!(first.len(), 6);
        assert!(first[5][0]
            .to_string()
            .starts_with("… 249.997 baris lagi tidak ditampilkan"));
        assert!(first[5][0].to_string().ends_with("rejects.parquet"));
        assert_eq!(rows(&mut wb, "Utuh").len(), 4);
    }

    #[test]
    fn digits_of_a_whole_part() {
        for v in [0.0, 0.4, 7.0, 9.6, 10.0, 99.0, 1234.5, -56.0, 30_000_000.0] {
            assert_eq!(digits(v), format!("{:.0}", v.abs()).len(), "{v}");
        }
    }
}
