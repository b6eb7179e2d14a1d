//! Silver on disk, read back lazily: the responses and the sums as one scan each, `tahun` from
//! the folder names (`tables::hive`), year by year in file order.

use std::path::Path;

use anyhow::Result;
use polars::prelude::*;

use crate::normalize::frame;
use crate::tables::{hive, Dictionary};

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

/// Silver as one lazy scan over its parts (an empty frame when there are none).
pub fn scan_silver(silver_dir: &Path) -> Result<LazyFrame> {
    let table = Dictionary::embedded_ref().table("responses");
    match hive::scan(silver_dir, table) {
        Ok(Some(lf)) => Ok(lf),
        Ok(None) => Ok(frame::responses(&[])?.df.lazy()),
        Err(e) => Err(anyhow::anyhow!("cannot read silver: {e}")),
    }
}
