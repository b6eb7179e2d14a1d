//! Partitioned outputs, the Hive way (Spark, Hive, pyarrow's `write_dataset`, DuckDB, Polars,
//! Trino): `silver/responses/tahun=2024/part-00000.parquet` holds the year in the folder name
//! only, not as a column of the file, so every common reader adds `tahun` from the path without
//! finding it twice (`pandas.read_parquet("out/silver/responses")` works). The data dictionary
//! still lists `tahun` as a column of the table: it is checked on the whole frame before the
//! part is written (`emit::check`), and `scan` puts it back from the path when skm reads silver.

use std::path::{Path, PathBuf};

use anyhow::Result;
use polars::prelude::*;

use super::TableDef;

/// How parts are stored, part of the incremental cache's key: a part cached by an skm that still
/// stored `tahun` in the file is not hard-linked beside the new ones.
pub const LAYOUT: &str = "hive";

/// The partition column of `silver/responses` and `silver/sums` (`tahun=YYYY/`).
pub const COLUMN: &str = "tahun";

/// A part as it is stored: the frame without the partition column (the folder name holds it).
pub fn without_partition(df: &DataFrame) -> Result<DataFrame> {
    Ok(if df.column(COLUMN).is_ok() {
        df.drop(COLUMN)?
    } else {
        df.clone()
    })
}

/// Every part under a partitioned folder (`<dir>/tahun=YYYY/*.parquet`), ordered by part number
/// (file order), then year.
pub fn parts(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut parts: Vec<PathBuf> = Vec::new();
    if dir.is_dir() {
        for year in std::fs::read_dir(dir)?.flatten() {
            if !year.path().is_dir() {
                continue;
            }
            for p in std::fs::read_dir(year.path())?.flatten() {
                parts.push(p.path());
            }
        }
    }
    parts.sort_by_key(|p| (p.file_name().map(|n| n.to_os_string()), p.clone()));
    Ok(parts)
}

/// A partitioned folder as one lazy frame: its parts in `parts` order, `tahun` taken from each
/// part's folder name (only the last folder is read as a partition, so a `=` elsewhere in the
/// path is harmless), the columns in the dictionary's order. None when there is no part.
pub fn scan(dir: &Path, table: &TableDef) -> PolarsResult<Option<LazyFrame>> {
    let parts = parts(dir).map_err(|e| PolarsError::ComputeError(e.to_string().into()))?;
    if parts.is_empty() {
        return Ok(None);
    }
    let paths: Vec<PlRefPath> = parts
        .iter()
        .map(|p| PlRefPath::new(p.to_string_lossy().to_string()))
        .collect();
    const PATH: &str = "__skm_part_path";
    let args = ScanArgsParquet {
        hive_options: polars::io::HiveOptions::new_disabled(),
        include_file_paths: Some(PATH.into()),
        glob: false,
        ..Default::default()
    };
    let year = col(PATH)
        .str()
        .extract(lit(format!(r"{COLUMN}=(-?\d+)[/\\][^/\\]*$")), 1)
        .strict_cast(DataType::Int32)
        .alias(COLUMN);
    let columns: Vec<Expr> = table.columns.iter().map(|c| col(c.name.as_str())).collect();
    Ok(Some(
        LazyFrame::scan_parquet_files(paths.into_iter().collect(), args)?
            .with_column(year)
            .select(columns),
    ))
}
