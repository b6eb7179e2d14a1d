//! Silver on disk, read back lazily: the responses and the sums as one scan each, `tahun` from
//! the folder names (`tables::hive`), year by year in file order.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result};
use polars::prelude::*;

use super::SilverDirs;
use crate::normalize::frame;
use crate::tables::{hive, Dictionary};

/// A response's place: file index (in inbox order), sheet, row.
pub(super) type Place = (usize, Arc<str>, u32);

/// The rows of a part read at once.
const SLICE: usize = 256 * 1024;

/// Silver's sums on disk (`silver/sums/tahun=*/sums.parquet`) as one lazy scan (an empty
/// frame when there are none).
pub fn scan_sums(sums_dir: &Path) -> Result<LazyFrame> {
    let table = Dictionary::embedded_ref().table("sums");
    match hive::scan(sums_dir, table) {
        Ok(Some(lf)) => Ok(lf),
        Ok(None) => Ok(super::sums::sums_frame(&[])?.lazy()),
        Err(e) => Err(anyhow::anyhow!("cannot read silver sums: {e}")),
    }
}

/// Silver's cross sums on disk (`silver/silang/tahun=*/silang.parquet`) as one lazy scan.
pub fn scan_silang(dir: &Path) -> Result<LazyFrame> {
    let table = Dictionary::embedded_ref().table("silang");
    match hive::scan(dir, table) {
        Ok(Some(lf)) => Ok(lf),
        Ok(None) => Ok(super::sums::silang_frame(&[])?.lazy()),
        Err(e) => Err(anyhow::anyhow!("cannot read silver cross sums: {e}")),
    }
}

/// Silver as one lazy scan over its parts (an empty frame when there are none).
pub fn scan_silver(silver_dir: &Path) -> Result<LazyFrame> {
    let table = Dictionary::embedded_ref().table("responses");
    match hive::scan(silver_dir, table) {
        Ok(Some(lf)) => Ok(lf),
        Ok(None) => Ok(frame::responses(&[])?.df()?.lazy()),
        Err(e) => Err(anyhow::anyhow!("cannot read silver: {e}")),
    }
}

/// The parts of file `i` (one per year, each its pieces in order: `tables::pieces_of`), with
/// their year.
pub(super) fn parts_of(dirs: &SilverDirs, i: usize) -> Result<Vec<(i32, PathBuf)>> {
    let mut out = Vec::new();
    let Ok(years) = std::fs::read_dir(&dirs.responses) else {
        return Ok(out);
    };
    for y in years {
        let y = y?;
        let name = y.file_name().to_string_lossy().to_string();
        let Some(tahun) = name.strip_prefix("tahun=").and_then(|t| t.parse().ok()) else {
            continue;
        };
        let first = SilverDirs::part(&dirs.responses, tahun, i);
        out.extend(
            crate::tables::pieces_of(&first)
                .into_iter()
                .map(|p| (tahun, p)),
        );
    }
    out.sort_by_key(|(y, _)| *y);
    Ok(out)
}

/// A part read `SLICE` rows at a time, only `columns`: `each(frame)` for every slice.
pub(super) fn read_slices(
    p: &Path,
    columns: &[&str],
    each: impl FnMut(&DataFrame) -> Result<()>,
) -> Result<()> {
    read_slices_of(p, columns, SLICE, each)
}

/// `read_slices`, `rows` rows at a time.
pub(crate) fn read_slices_of(
    p: &Path,
    columns: &[&str],
    rows: usize,
    mut each: impl FnMut(&DataFrame) -> Result<()>,
) -> Result<()> {
    for offset in (0..rows_of(p)?).step_by(rows.max(1)) {
        each(&read_slice(p, columns, offset, rows.max(1))?)?;
    }
    Ok(())
}

/// The rows of a part (from its footer).
pub(crate) fn rows_of(p: &Path) -> Result<usize> {
    let f = std::fs::File::open(p).with_context(|| format!("cannot read {}", p.display()))?;
    ParquetReader::new(f)
        .num_rows()
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))
}

/// `rows` rows of a part from `offset`, its `columns` only.
pub(crate) fn read_slice(
    p: &Path,
    columns: &[&str],
    offset: usize,
    rows: usize,
) -> Result<DataFrame> {
    let f = std::fs::File::open(p).with_context(|| format!("cannot read {}", p.display()))?;
    ParquetReader::new(f)
        .with_columns(Some(columns.iter().map(|c| c.to_string()).collect()))
        .with_slice(Some((offset, rows)))
        .finish()
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))
}
