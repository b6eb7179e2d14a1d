//! Sheets that copy another sheet of their workbook (`domain::copied_sheet`; docs/DOMAIN.md
//! §1.11, "A sheet copying another"): only a workbook of two questionnaire sheets or more, with
//! rows both with and without a time of day, can hold a form's responses beside a working copy
//! of them without times, and only those are read back from silver (each row's sheet, unit,
//! day, identity and answers; about 90 bytes a row, a workbook read whole).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use anyhow::Result;
use polars::prelude::*;

use super::scan::{parts_of, read_slices, Place};
use super::SilverDirs;
use crate::domain::copied_sheet::{copied_at, Row};
use crate::domain::UNSUR;

/// A row of a sheet that copies another, and the row of the other it copies.
pub(super) struct Copied {
    pub place: Place,
    pub counted: Place,
}

/// One sheet's rows of one unit, in file order: whether they have a time of day, their rows in
/// the sheet and what they are compared by.
#[derive(Default)]
struct SheetRows {
    timed: bool,
    source_rows: Vec<u32>,
    rows: Vec<Row>,
}

/// Every row of a sheet of file `i` (for each `i` of `files`) that copies another sheet of the
/// same file and unit: a sheet without times of day (`kunci` null) whose rows, in order, are a
/// run of a sheet with times, at least `floor` of them.
pub(super) fn find(
    files: &[usize],
    dirs: &SilverDirs,
    floor: usize,
    each: &mut dyn FnMut(Copied),
) -> Result<()> {
    for &i in files {
        let sheets = read_sheets(dirs, i)?;
        for ((sheet, unit), copy) in sheets.iter().filter(|(_, s)| !s.timed) {
            let sources = sheets
                .iter()
                .filter(|((s, u), src)| src.timed && u == unit && s != sheet);
            for ((source, _), src) in sources {
                let Some(o) = copied_at(&src.rows, &copy.rows, floor) else {
                    continue;
                };
                for (j, row) in copy.source_rows.iter().enumerate() {
                    each(Copied {
                        place: (i, sheet.clone(), *row),
                        counted: (i, source.clone(), src.source_rows[o + j]),
                    });
                }
                break;
            }
        }
    }
    Ok(())
}

/// A row as read back: its row in the sheet, whether it has a time of day, what it is
/// compared by.
type Read = (u32, bool, Row);

/// File `i`'s rows by (sheet, unit), in file order.
fn read_sheets(dirs: &SilverDirs, i: usize) -> Result<BTreeMap<(Arc<str>, String), SheetRows>> {
    let mut columns = vec!["sheet", "unit_id", "tanggal", "kunci", "source_row"];
    columns.extend(UNSUR.iter().map(|u| u.key));
    let mut by: HashMap<(Arc<str>, String), Vec<Read>> = HashMap::new();
    for (_, p) in parts_of(dirs, i)? {
        read_slices(&p, &columns, |df| {
            let text = |c: &str| -> Result<StringChunked> {
                Ok(df.column(c)?.cast(&DataType::String)?.str()?.clone())
            };
            let int = |c: &str| -> Result<Int32Chunked> {
                Ok(df.column(c)?.cast(&DataType::Int32)?.i32()?.clone())
            };
            let (sheet, unit, kunci) = (text("sheet")?, text("unit_id")?, text("kunci")?);
            let (tanggal, source_row) = (int("tanggal")?, int("source_row")?);
            let skor: Vec<Int32Chunked> =
                UNSUR.iter().map(|u| int(u.key)).collect::<Result<_>>()?;
            for r in 0..df.height() {
                let key = (
                    Arc::from(sheet.get(r).unwrap_or("")),
                    unit.get(r).unwrap_or("").to_string(),
                );
                let row = Row {
                    answers: std::array::from_fn(|k| skor[k].get(r)),
                    day: tanggal.get(r),
                };
                let at = source_row.get(r).unwrap_or(0) as u32;
                by.entry(key)
                    .or_default()
                    .push((at, kunci.get(r).is_some(), row));
            }
            Ok(())
        })?;
    }
    let mut out = BTreeMap::new();
    for (key, mut rows) in by {
        // (A part a year: the rows of a sheet in file order again.)
        rows.sort_by_key(|r| r.0);
        let timed = rows.iter().any(|r| r.1);
        // A sheet with times on some rows only is neither: not compared.
        if timed && !rows.iter().all(|r| r.1) {
            continue;
        }
        out.insert(
            key,
            SheetRows {
                timed,
                source_rows: rows.iter().map(|r| r.0).collect(),
                rows: rows.iter().map(|r| r.2).collect(),
            },
        );
    }
    Ok(out)
}
