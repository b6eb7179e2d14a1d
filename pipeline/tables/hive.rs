//! Partitioned outputs, the Hive way (Spark, Hive, pyarrow's `write_dataset`, DuckDB, Polars,
//! Trino): `silver/responses/tahun=2024/part-00000.parquet` holds the year in the folder name
//! only, not as a column of the file, so every common reader adds `tahun` from the path without
//! finding it twice (`pandas.read_parquet("out/silver/responses")` works). The data dictionary
//! still lists `tahun` as a column of the table: it is checked on the whole frame before the
//! part is written (`tables::check`), and `scan` puts it back from the path when skm reads silver.

use std::path::Path;

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

/// Whether a partitioned folder holds any part.
fn has_parts(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|years| {
        years
            .flatten()
            .any(|y| std::fs::read_dir(y.path()).is_ok_and(|mut parts| parts.next().is_some()))
    })
}

/// A partitioned folder as one lazy frame, read the Hive way: `tahun` from each part's folder
/// name (only the folders below `dir` are read as partitions, so a `=` elsewhere in the path is
/// harmless), so a filter on `tahun` reads only that year's parts; rows in path order (year,
/// then part number, i.e. file order); columns in the dictionary's order. None when there is no
/// part.
pub fn scan(dir: &Path, table: &TableDef) -> PolarsResult<Option<LazyFrame>> {
    if !has_parts(dir) {
        return Ok(None);
    }
    let partition: Schema = [Field::new(COLUMN.into(), DataType::Int32)]
        .into_iter()
        .collect();
    let args = ScanArgsParquet {
        hive_options: polars::io::HiveOptions {
            enabled: Some(true),
            hive_start_idx: 0,
            schema: Some(std::sync::Arc::new(partition)),
            try_parse_dates: false,
        },
        glob: false,
        ..Default::default()
    };
    let columns: Vec<Expr> = table.columns.iter().map(|c| col(c.name.as_str())).collect();
    let path = PlRefPath::new(dir.to_string_lossy().to_string());
    Ok(Some(LazyFrame::scan_parquet(path, args)?.select(columns)))
}
