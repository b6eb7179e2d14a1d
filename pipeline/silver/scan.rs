//! Silver on disk, read back lazily: the responses and the sums as one scan each, parts in file
//! order.

use std::path::{Path, PathBuf};

use anyhow::Result;
use polars::prelude::*;

use crate::normalize::frame;

/// Silver's sums on disk (`silver/sums/tahun=*/sums.parquet`) as one lazy scan (an empty
/// frame when there are none).
pub fn scan_sums(sums_dir: &Path) -> Result<LazyFrame> {
    let parts = parts_in(sums_dir)?;
    if parts.is_empty() {
        return Ok(super::sums::sums_frame(&[])?.lazy());
    }
    scan_parts(&parts).map_err(|e| anyhow::anyhow!("cannot read silver sums: {e}"))
}

/// Every part under a partitioned folder, ordered by part number (file order), then year.
fn parts_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut parts: Vec<PathBuf> = Vec::new();
    if dir.is_dir() {
        for year in std::fs::read_dir(dir)?.flatten() {
            for p in std::fs::read_dir(year.path())?.flatten() {
                parts.push(p.path());
            }
        }
    }
    parts.sort_by_key(|p| (p.file_name().map(|n| n.to_os_string()), p.clone()));
    Ok(parts)
}

fn scan_parts(parts: &[PathBuf]) -> PolarsResult<LazyFrame> {
    let paths: Vec<PlRefPath> = parts
        .iter()
        .map(|p| PlRefPath::new(p.to_string_lossy().to_string()))
        .collect();
    let args = ScanArgsParquet {
        hive_options: polars::io::HiveOptions::new_disabled(),
        ..Default::default()
    };
    LazyFrame::scan_parquet_files(paths.into_iter().collect(), args)
}

/// Silver as one lazy scan over its parts, in file order (an empty frame when there are none).
pub fn scan_silver(silver_dir: &Path) -> Result<LazyFrame> {
    let parts = parts_in(silver_dir)?;
    if parts.is_empty() {
        return Ok(frame::responses(&[])?.lazy());
    }
    scan_parts(&parts).map_err(|e| anyhow::anyhow!("cannot read silver: {e}"))
}
