//! Tables: the data dictionary (schemas/outputs.toml), the check every output passes before it
//! is written, and Parquet writing (zstd, with row-group statistics: full for gold, min/max/nulls
//! for silver parts). A leaf: every stage that writes a table uses it; it uses no stage.

use std::fs::File;
use std::path::Path;

use anyhow::{bail, Context, Result};
use polars::prelude::*;
use serde::Deserialize;

pub mod build;
pub mod hive;

const OUTPUTS_TOML: &str = include_str!("../../schemas/outputs.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct ColumnDef {
    pub name: String,
    #[serde(rename = "type")]
    pub typ: String,
    #[serde(default)]
    pub not_null: bool,
    #[serde(default)]
    pub values: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub description: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TableDef {
    pub name: String,
    pub path: String,
    pub description: String,
    pub columns: Vec<ColumnDef>,
    /// The columns that identify a row (PostgreSQL's primary key when loaded; none declared:
    /// the row number is the key).
    #[serde(default)]
    pub key: Vec<String>,
}

/// One reject code (`[[reject_code]]`): the only codes `rejects.kode` may hold.
#[derive(Debug, Clone, Deserialize)]
pub struct RejectCodeDef {
    pub kode: String,
    /// `berkas`, `lembar` or `baris`: what the reject stands for.
    pub kelompok: String,
    pub description: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Dictionary {
    #[serde(rename = "table")]
    pub tables: Vec<TableDef>,
    #[serde(rename = "reject_code", default)]
    pub reject_codes: Vec<RejectCodeDef>,
}

impl Dictionary {
    pub fn embedded() -> Dictionary {
        let mut d: Dictionary =
            toml::from_str(OUTPUTS_TOML).expect("schemas/outputs.toml is valid");
        // `rejects.kode` holds only the listed codes.
        let codes: Vec<String> = d.reject_codes.iter().map(|c| c.kode.clone()).collect();
        if let Some(t) = d.tables.iter_mut().find(|t| t.name == "rejects") {
            if let Some(c) = t.columns.iter_mut().find(|c| c.name == "kode") {
                c.values = codes;
            }
        }
        d
    }

    /// The embedded dictionary, parsed once per process.
    pub fn embedded_ref() -> &'static Dictionary {
        static D: std::sync::OnceLock<Dictionary> = std::sync::OnceLock::new();
        D.get_or_init(Dictionary::embedded)
    }

    pub fn table(&self, name: &str) -> &TableDef {
        self.tables
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("table {name} is not in schemas/outputs.toml"))
    }
}

fn dtype_name(d: &DataType) -> &'static str {
    match d {
        DataType::String => "str",
        DataType::Boolean => "bool",
        DataType::Int32 => "i32",
        DataType::Int64 => "i64",
        DataType::UInt8 => "u8",
        DataType::UInt32 => "u32",
        DataType::Float64 => "f64",
        DataType::Date => "date",
        DataType::Decimal(_, _) => "decimal",
        _ => "other",
    }
}

/// The dictionary's tests for one table: names, order and types of the columns, then
/// not_null, accepted values and ranges.
pub fn check(df: &DataFrame, table: &TableDef) -> Result<()> {
    let got: Vec<(String, &'static str)> = df
        .columns()
        .iter()
        .map(|c| (c.name().to_string(), dtype_name(c.dtype())))
        .collect();
    let want: Vec<(String, &str)> = table
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.typ.as_str()))
        .collect();
    if got.iter().map(|(n, t)| (n.clone(), *t)).collect::<Vec<_>>() != want {
        bail!(
            "table {}: columns {:?} differ from schemas/outputs.toml {:?}",
            table.name,
            got,
            want
        );
    }
    for def in &table.columns {
        let c = df.column(&def.name)?;
        if def.not_null && c.null_count() > 0 {
            bail!(
                "table {}: column {} has {} nulls",
                table.name,
                def.name,
                c.null_count()
            );
        }
        if !def.values.is_empty() {
            let s = c.str()?;
            if let Some(bad) = s
                .iter()
                .flatten()
                .find(|v| !def.values.iter().any(|a| a == v))
            {
                bail!(
                    "table {}: column {} holds '{bad}', not one of {:?}",
                    table.name,
                    def.name,
                    def.values
                );
            }
        }
        if (def.min.is_some() || def.max.is_some()) && def.typ != "decimal" {
            let f = c.cast(&DataType::Float64)?;
            for v in f.f64()?.iter().flatten() {
                let lo = def.min.is_some_and(|m| v < m - 1e-9);
                let hi = def.max.is_some_and(|m| v > m + 1e-9);
                if lo || hi {
                    bail!(
                        "table {}: column {} holds {v}, outside [{:?}, {:?}]",
                        table.name,
                        def.name,
                        def.min,
                        def.max
                    );
                }
            }
        }
    }
    Ok(())
}

/// Writes one frame as Parquet (zstd, full statistics: min, max, null and distinct counts),
/// creating the parent folder.
pub fn write_parquet(df: &mut DataFrame, path: &Path) -> Result<()> {
    write_with(df, path, StatisticsOptions::full())
}

/// Writes a silver part: zstd, with the statistics readers prune row groups by (min, max and
/// null count); distinct counts, costly on every row of a large part, are left out. The part
/// does not store the partition column (`tahun`): its folder (`tahun=YYYY/`) holds it (`hive`).
pub fn write_part(df: &mut DataFrame, path: &Path) -> Result<()> {
    write_with(
        &mut hive::without_partition(df)?,
        path,
        StatisticsOptions::default(),
    )
}

/// A silver part written a batch at a time (one row group each): a file read in chunks
/// (`silver::stream`) writes its part while reading, holding one batch at a time. The same
/// options as `write_part`.
pub struct PartWriter {
    path: std::path::PathBuf,
    writer: polars::io::parquet::write::BatchedWriter<File>,
    /// Frames not yet written: a row group gathers at least `ROW_GROUP` rows (fewer row groups,
    /// each with its own dictionaries and compression contexts, cost less to write and read).
    pending: Vec<DataFrame>,
    rows: usize,
}

/// The rows a `PartWriter` gathers into one row group.
const ROW_GROUP: usize = 64 * 1024;

impl PartWriter {
    /// Creates the part at `path` for frames shaped like `first` (checked against `table`).
    pub fn create(path: &Path, first: &DataFrame, table: &TableDef) -> Result<PartWriter> {
        check(first, table)?;
        let df = hive::without_partition(first)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let file =
            File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        // Unbuffered (the BatchedWriter does not hand its writer back to be flushed): row
        // groups are written in large pieces; only the footer goes field by field.
        let writer = ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .with_statistics(StatisticsOptions::default())
            .with_key_value_metadata(Some(arrow_schema(&df)))
            .batched(df.schema())
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        Ok(PartWriter {
            path: path.to_path_buf(),
            writer,
            pending: Vec::new(),
            rows: 0,
        })
    }

    /// Appends a frame (with the partition column, checked against `table`) as a row group.
    pub fn write(&mut self, df: &DataFrame, table: &TableDef) -> Result<()> {
        check(df, table)?;
        self.rows += df.height();
        self.pending.push(hive::without_partition(df)?);
        if self.rows >= ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the frames gathered as one row group.
    fn flush(&mut self) -> Result<()> {
        let frames = std::mem::take(&mut self.pending);
        self.rows = 0;
        let Some(mut df) = frames.first().cloned() else {
            return Ok(());
        };
        for f in &frames[1..] {
            df.vstack_mut(f)?;
        }
        df.rechunk_mut();
        self.writer
            .write_batch(&df)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", self.path.display()))
    }

    /// Writes the footer; the part is complete.
    pub fn finish(mut self) -> Result<std::path::PathBuf> {
        self.flush()?;
        self.writer
            .finish()
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", self.path.display()))?;
        Ok(self.path)
    }
}

fn write_with(df: &mut DataFrame, path: &Path, stats: StatisticsOptions) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    // Buffered: the Parquet footer is written field by field, a syscall each otherwise.
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    ParquetWriter::new(&mut w)
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(stats)
        .with_key_value_metadata(Some(arrow_schema(df)))
        .finish(df)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    std::io::Write::flush(&mut w).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The Arrow schema Parquet readers restore the columns' types from (`ARROW:schema`), with
/// strings as `large_string`: Polars would record its own `string_view`, which pyarrow (and so
/// pandas) reads but cannot filter or compare ("Function 'equal' has no kernel matching input
/// types (string_view, string)"). The Parquet columns themselves are the same.
fn arrow_schema(df: &DataFrame) -> polars::io::parquet::write::KeyValueMetadata {
    let kv =
        polars_parquet::write::schema_to_metadata_key(&df.schema().to_arrow(CompatLevel::oldest()));
    polars::io::parquet::write::KeyValueMetadata::from_static(vec![(
        kv.key,
        kv.value.unwrap_or_default(),
    )])
}

/// Checks a table against the dictionary and writes it under `root` at the dictionary's path.
pub fn write_table(df: &mut DataFrame, table: &TableDef, root: &Path) -> Result<()> {
    check(df, table)?;
    write_parquet(df, &root.join(&table.path))
}

/// A frame split by its `tahun` column, years ascending.
pub fn split_by_year(df: &DataFrame) -> Result<Vec<(i32, DataFrame)>> {
    let tahun = df.column("tahun")?.i32()?;
    if let (Some(lo), Some(hi)) = (tahun.min(), tahun.max()) {
        if lo == hi && tahun.null_count() == 0 {
            // One year (most files): the frame itself, not a filtered copy.
            return Ok(vec![(lo, df.clone())]);
        }
    }
    let mut years: Vec<i32> = tahun.iter().flatten().collect();
    years.sort_unstable();
    years.dedup();
    years
        .into_iter()
        .map(|y| {
            let mask = df.column("tahun")?.i32()?.equal(y);
            Ok((y, df.filter(&mask)?))
        })
        .collect()
}
