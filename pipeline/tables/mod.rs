//! Tables: the data dictionary (schemas/outputs.toml), the check every output passes before it
//! is written, and Parquet writing (zstd, with row-group statistics: full for gold, min/max/nulls
//! for silver parts, but null counts alone for a column with a named encoding: `kunci`, `jam`). A leaf: every stage that writes a table uses it; it uses no stage.

use std::fs::File;
use std::path::Path;

use anyhow::{bail, Context, Result};
use polars::prelude::*;
use serde::Deserialize;

pub mod build;
pub mod hive;
mod keys;

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
    /// Written with this Parquet encoding, the dictionary not tried, with its null count but
    /// no min/max statistics (`encoding = "plain"` or `"delta_length_byte_array"`): a column
    /// of distinct values (an identity, a time of day), where the
    /// writer would estimate the distinct count of every chunk only to give the dictionary up
    /// (`jam`, `kunci`).
    /// (Not for a column built as a dictionary, `build::Rows::few`: it keeps its dictionary.)
    /// Honoured where silver's parts are encoded (`encode`), the only table that names one.
    #[serde(default)]
    pub encoding: Option<ColumnEncoding>,
}

/// A column's Parquet encoding when it is not the writer's choice (`ColumnDef::encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnEncoding {
    /// Each value after its length (4 bytes). For a column of short texts that rarely repeat
    /// in a row group (`jam`, a time of day to the second): the dictionary is not tried (the
    /// writer estimated every chunk's distinct values to give it up), and zstd finds the
    /// repeats there are. A column all null (a sheet without times) is its null count alone.
    Plain,
    /// The lengths first (delta-encoded: nothing when all are equal), then the values end to
    /// end. For texts of one length and no repeats (`kunci`, 32 hexadecimal digits): zstd
    /// would find no matches in them and only entropy-code the digits to half their size, so
    /// the column is written uncompressed (its pages' zstd was a third of a timestamped row's
    /// extra CPU; BENCHMARKS.md). pyarrow, DuckDB, Spark, Polars and arrow-rs read it. (Written from
    /// offsets: a `Rows::text` column is built as them, `Slot::Offsets`; another is converted,
    /// `as_offsets`.)
    DeltaLengthByteArray,
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
    /// Tables kept beside the output, not in a run's folder (`[[beside]]`: the run history,
    /// `crate::history`): never published, loaded or rewritten with a run.
    #[serde(rename = "beside", default)]
    pub beside: Vec<TableDef>,
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
            .chain(&self.beside)
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
    let got = df.columns().iter().map(|c| (c.name().as_str(), c.dtype()));
    check_names(got, table)?;
    for def in &table.columns {
        check_column(df.column(&def.name)?, def, table)?;
    }
    Ok(())
}

/// `check` of a frame whose dictionaries and offsets are not made String columns: a dictionary
/// column is checked on its keys' nulls and on its distinct texts (each of them some row's), an
/// offsets column on its nulls (and made a String column only when its values or range are
/// checked).
pub fn check_frame(frame: &build::Frame, table: &TableDef) -> Result<()> {
    let got = frame.columns.iter().map(|c| (c.name().as_str(), c.dtype()));
    check_names(got, table)?;
    for (def, slot) in table.columns.iter().zip(&frame.columns) {
        match slot {
            build::Slot::Column(c) => check_column(c, def, table)?,
            build::Slot::Dictionary(name, d) => {
                use polars_arrow::array::Array as _;
                let texts = d
                    .values()
                    .as_any()
                    .downcast_ref::<polars_arrow::array::Utf8ViewArray>();
                let values = texts.map(|t| StringChunked::with_chunk(name.clone(), t.clone()));
                let nulls = d.keys().null_count();
                check_column(&nulls_and_values(name, nulls, values), def, table)?
            }
            build::Slot::Offsets(name, t) => {
                use polars_arrow::array::Array as _;
                let plain = def.values.is_empty() && def.min.is_none() && def.max.is_none();
                match plain {
                    // Only its nulls to check: not made a Polars column for that.
                    true => check_column(
                        &Column::full_null(name.clone(), t.null_count(), &DataType::String),
                        def,
                        table,
                    )?,
                    false => {
                        check_column(&build::offsets_column(name.clone(), t.clone())?, def, table)?
                    }
                }
            }
        }
    }
    Ok(())
}

/// A stand-in String column for `check_column`: `nulls` nulls, then the texts.
fn nulls_and_values(name: &PlSmallStr, nulls: usize, values: Option<StringChunked>) -> Column {
    let mut c = StringChunked::full_null(name.clone(), nulls);
    if let Some(v) = values {
        c.append_owned(v).expect("two String columns append");
    }
    c.into_series().into()
}

/// The names, order and types of a table's columns as `schemas/outputs.toml` has them.
fn check_names<'c>(
    got: impl Iterator<Item = (&'c str, &'c DataType)>,
    table: &TableDef,
) -> Result<()> {
    let got: Vec<(String, &'static str)> =
        got.map(|(n, t)| (n.to_string(), dtype_name(t))).collect();
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
    Ok(())
}

/// One column's not_null, accepted values and range.
fn check_column(c: &Column, def: &ColumnDef, table: &TableDef) -> Result<()> {
    if def.not_null && c.null_count() > 0 {
        bail!(
            "table {}: column {} has {} nulls",
            table.name,
            def.name,
            c.null_count()
        );
    }
    if !def.values.is_empty() {
        if let Some(bad) = not_among(c.str()?, &def.values) {
            bail!(
                "table {}: column {} holds '{bad}', not one of {:?}",
                table.name,
                def.name,
                def.values
            );
        }
    }
    if (def.min.is_some() || def.max.is_some()) && def.typ != "decimal" {
        check_range(c, def, table)?;
    }
    Ok(())
}

/// The first value of `s` that is not one of `values`. A column of a few short labels is
/// checked label by label, not row by row: a text of at most 12 bytes is its whole Arrow view,
/// so a view seen to pass before passes again.
fn not_among<'a>(s: &'a StringChunked, values: &[String]) -> Option<&'a str> {
    use polars_arrow::array::Array as _;
    let mut passed: Vec<u128> = Vec::new();
    for arr in s.downcast_iter() {
        for (i, view) in arr.views().iter().enumerate() {
            let short = view.length <= 12;
            if (short && passed.contains(&view.as_u128())) || !arr.is_valid(i) {
                continue;
            }
            // SAFETY: `i` is below the array's length (its views).
            let v = unsafe { arr.value_unchecked(i) };
            if !values.iter().any(|a| a == v) {
                return Some(v);
            }
            if short && passed.len() < 64 {
                passed.push(view.as_u128());
            }
        }
    }
    None
}

/// A numeric column within its dictionary range: its minimum and maximum, and the value found
/// outside when one is.
fn check_range(c: &Column, def: &ColumnDef, table: &TableDef) -> Result<()> {
    let (lo, hi) = min_max(c)?;
    let below = |v: f64| def.min.is_some_and(|m| v < m - 1e-9);
    let above = |v: f64| def.max.is_some_and(|m| v > m + 1e-9);
    if lo.is_some_and(below) || hi.is_some_and(above) {
        let f = c.cast(&DataType::Float64)?;
        let found = f.f64()?.iter().flatten().find(|&v| below(v) || above(v));
        if let Some(v) = found {
            bail!(
                "table {}: column {} holds {v}, outside [{:?}, {:?}]",
                table.name,
                def.name,
                def.min,
                def.max
            );
        }
    }
    Ok(())
}

/// A numeric column's least and greatest values (nulls aside). Silver's answers (`u8`) and
/// ages (`i32`) are folded over their values directly, 64 at a time where the validity says
/// all 64 are there (a fold the compiler makes vector code of): Polars' null-aware min and max
/// went bit by bit through the validity, and so did a fold over `(value, valid)` pairs (~2%
/// of a big file's time for the check of every chunk).
fn min_max(c: &Column) -> PolarsResult<(Option<f64>, Option<f64>)> {
    fn fold<P>(ca: &ChunkedArray<P>) -> (Option<f64>, Option<f64>)
    where
        P: PolarsNumericType,
        P::Native: Into<f64> + Ord,
    {
        let mut out: Option<(P::Native, P::Native)> = None;
        for arr in ca.downcast_iter() {
            let found = native_min_max(arr.values(), arr.validity());
            out = match (out, found) {
                (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
                (a, b) => a.or(b),
            };
        }
        (out.map(|o| o.0.into()), out.map(|o| o.1.into()))
    }
    let s = c.as_materialized_series();
    Ok(match s.dtype() {
        DataType::UInt8 => fold(s.u8()?),
        DataType::Int32 => fold(s.i32()?),
        _ => (s.min::<f64>()?, s.max::<f64>()?),
    })
}

/// The least and greatest of `values` where `validity` (if any) says they are there.
fn native_min_max<T: Ord + Copy>(
    values: &[T],
    validity: Option<&polars_arrow::bitmap::Bitmap>,
) -> Option<(T, T)> {
    let whole = |v: &[T]| Some((*v.iter().min()?, *v.iter().max()?));
    let Some(valid) = validity.filter(|v| v.unset_bits() > 0) else {
        return whole(values);
    };
    let mut out: Option<(T, T)> = None;
    let mut add = |found: Option<(T, T)>| {
        out = match (out, found) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (a, b) => a.or(b),
        }
    };
    let some = |word: u64, v: &[T]| {
        let mut it = (0..v.len()).filter(|j| word >> j & 1 == 1).map(|j| v[j]);
        let first = it.next()?;
        Some(it.fold((first, first), |(lo, hi), x| (lo.min(x), hi.max(x))))
    };
    let chunks = valid.chunks::<u64>();
    let rest = chunks.remainder();
    let mut at = 0;
    for word in chunks {
        let v = &values[at..at + 64];
        add(if word == u64::MAX {
            whole(v)
        } else {
            some(word, v)
        });
        at += 64;
    }
    add(some(rest, &values[at..]));
    out
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

/// A frame's rows as one row group of a silver part, encoded and compressed (`encode`) by the
/// thread that made the frame, for a `PartWriter` to append: the costly part of writing Parquet
/// runs on every core, the writer only puts the bytes in order.
pub struct RowGroup {
    rows: usize,
    /// The part's columns (without the partition column).
    schema: SchemaRef,
    columns: Vec<Vec<polars_parquet::write::CompressedPage>>,
}

/// Checks `frame` (with the partition column) against `table` and encodes it as one row group
/// of a part, with the same options as `write_part`. A column the frame holds as a dictionary
/// (`build::Rows::few`), and a small-range integer column, are written by `keys`: the same
/// Parquet column (dictionary-encoded, the same minimum and maximum, each page's null count its
/// own) without finding a dictionary's distinct values again.
pub fn encode(frame: &build::Frame, table: &TableDef) -> Result<RowGroup> {
    use polars_parquet::write::{array_to_columns, to_parquet_schema};
    check_frame(frame, table)?;
    let slots: Vec<&build::Slot> = (frame.columns.iter())
        .filter(|c| c.name() != hive::COLUMN)
        .collect();
    let schema: Schema = (slots.iter())
        .map(|c| (c.name().clone(), c.dtype().clone()))
        .collect();
    let arrow = schema.to_arrow(CompatLevel::newest());
    let types = to_parquet_schema(&arrow)?;
    let encodings = polars::io::parquet::write::get_encodings(&arrow);
    let options = match frame.height() > keys::ROWS_PER_PAGE {
        // A frame taller than a dictionary column's page (a sheet read whole,
        // `SKM_CHUNK_KB=0`): the columns left to polars-parquet each one page, so that their
        // null counts are counted once (`ROW_GROUP_ROWS`).
        true => polars_parquet::write::WriteOptions {
            data_page_size: Some(usize::MAX),
            ..part_options()
        },
        false => part_options(),
    };
    let mut columns = Vec::new();
    // A column of the frame's own (not a dictionary) whose encoding the table names.
    let named = |slot: &build::Slot| match slot {
        build::Slot::Dictionary(..) => None,
        build::Slot::Column(_) | build::Slot::Offsets(..) => (table.columns.iter())
            .find(|c| c.name == *slot.name())
            .and_then(|c| c.encoding),
    };
    let fields = slots.iter().zip(types.fields()).zip(encodings.iter());
    for ((slot, typ), encoding) in fields {
        let named = named(slot);
        let named_encoding = named.map(|e| [parquet_encoding(e)]);
        let encoding = match &named_encoding {
            Some(e) => &e[..],
            None => &encoding[..],
        };
        let array = match slot {
            build::Slot::Dictionary(_, d) => {
                columns.push(compressed(
                    keys::dictionary_pages(d, typ, options)?,
                    options,
                )?);
                continue;
            }
            build::Slot::Offsets(_, t) => t.clone().boxed(),
            build::Slot::Column(c) => {
                let s = c.as_materialized_series().rechunk();
                let array = s.to_arrow(0, CompatLevel::newest());
                match named {
                    Some(ColumnEncoding::DeltaLengthByteArray) => as_offsets(array),
                    _ => array,
                }
            }
        };
        let as_dictionary = encoding == [polars_parquet::write::Encoding::RleDictionary];
        // A small-range integer column polars-parquet would make a dictionary: made here, and
        // its keys written by skm (`keys`).
        let dictionary = as_dictionary
            .then(|| keys::small_dictionary(array.as_ref()))
            .flatten();
        if let Some(d) = dictionary {
            columns.push(compressed(
                keys::dictionary_pages(&d, typ, options)?,
                options,
            )?);
            continue;
        }
        // A column of distinct values' smallest and largest say nothing of a row group (an
        // identity; a time of day, whose row groups span the hours): only its null count is
        // written (computing them was ~100 instructions a timestamped row for `kunci`, 55 for
        // `jam`).
        let options = match named {
            Some(_) => polars_parquet::write::WriteOptions {
                statistics: StatisticsOptions {
                    min_value: false,
                    max_value: false,
                    ..options.statistics
                },
                // An identity's hexadecimal digits are stored as they are: zstd finds no
                // repeats in them and only entropy-codes them to half their size, which
                // was about a third of a timestamped row's extra CPU.
                compression: match named {
                    Some(ColumnEncoding::DeltaLengthByteArray) => {
                        polars_parquet::write::CompressionOptions::Uncompressed
                    }
                    _ => options.compression,
                },
                ..options
            },
            _ => options,
        };
        for pages in array_to_columns(array, typ.clone(), options, encoding)? {
            let column = pages
                .map(|page| compress_page(page?, options.compression))
                .collect::<Result<Vec<_>>>()?;
            columns.push(column);
        }
    }
    Ok(RowGroup {
        rows: frame.height(),
        schema: std::sync::Arc::new(schema),
        columns,
    })
}

/// A column's pages compressed (`compress_page`).
fn compressed(
    pages: Vec<polars_parquet::write::Page>,
    options: polars_parquet::write::WriteOptions,
) -> Result<Vec<polars_parquet::write::CompressedPage>> {
    (pages.into_iter())
        .map(|page| compress_page(page, options.compression))
        .collect()
}

/// A page compressed as polars-parquet's `compress` does, but with silver's zstd level through a
/// context kept on each thread (`ZSTD`) and into a buffer not zeroed first: polars-parquet makes
/// a zstd context for every page (about 1% of a big file's run) and zeroes the output buffer's
/// worst-case length (about 1.5%). The same Parquet page (what it decompresses to is the same
/// bytes).
fn compress_page(
    page: polars_parquet::write::Page,
    compression: polars_parquet::write::CompressionOptions,
) -> Result<polars_parquet::write::CompressedPage> {
    use polars_parquet::parquet::compression::Compression;
    use polars_parquet::parquet::page::{CompressedDictPage, DataPageHeader};
    use polars_parquet::parquet::CowBuffer;
    use polars_parquet::write::{CompressedDataPage, CompressedPage, Page};
    let level = match compression {
        polars_parquet::write::CompressionOptions::Zstd(level) => {
            level.map_or(0, |l| l.compression_level())
        }
        // (Silver is zstd; anything else as polars-parquet does it.)
        _ => {
            return Ok(polars_parquet::write::compress(
                page,
                Vec::new(),
                compression,
            )?)
        }
    };
    match page {
        Page::Data(p) if matches!(p.header(), DataPageHeader::V1(_)) => {
            let out = zstd_compress(p.buffer(), level)?;
            let rows = p
                .num_rows
                .context("a page written has its number of rows")?;
            Ok(CompressedPage::Data(CompressedDataPage::new(
                p.header().clone(),
                CowBuffer::Owned(out),
                Compression::Zstd,
                p.buffer().len(),
                p.descriptor.clone(),
                rows,
            )))
        }
        Page::Dict(d) => {
            let out = zstd_compress(&d.buffer, level)?;
            Ok(CompressedPage::Dict(CompressedDictPage::new(
                CowBuffer::Owned(out),
                Compression::Zstd,
                d.buffer.len(),
                d.num_values,
                d.is_sorted,
            )))
        }
        page => Ok(polars_parquet::write::compress(
            page,
            Vec::new(),
            compression,
        )?),
    }
}

thread_local! {
    /// Each thread's zstd context and its level.
    static ZSTD: std::cell::RefCell<Option<(i32, zstd::bulk::Compressor<'static>)>> =
        const { std::cell::RefCell::new(None) };
}

/// `bytes` compressed by zstd at `level` with this thread's context.
fn zstd_compress(bytes: &[u8], level: i32) -> Result<Vec<u8>> {
    ZSTD.with(|z| {
        let mut z = z.borrow_mut();
        if z.as_ref().is_none_or(|(l, _)| *l != level) {
            *z = Some((level, zstd::bulk::Compressor::new(level)?));
        }
        let (_, c) = z.as_mut().expect("made above");
        let mut out = Vec::with_capacity(zstd::zstd_safe::compress_bound(bytes.len()));
        c.compress_to_buffer(bytes, &mut out)?;
        Ok(out)
    })
}

fn parquet_encoding(e: ColumnEncoding) -> polars_parquet::write::Encoding {
    match e {
        ColumnEncoding::Plain => polars_parquet::write::Encoding::Plain,
        ColumnEncoding::DeltaLengthByteArray => {
            polars_parquet::write::Encoding::DeltaLengthByteArray
        }
    }
}

/// A text column to delta-length encode as offsets and bytes (Arrow's `LargeUtf8`), not
/// views: Polars' writer copies the bytes of an offsets array at once, and those of a view
/// array a byte at a time (a quarter of a second on 3M identities). The same Parquet column.
fn as_offsets(array: Box<dyn polars_arrow::array::Array>) -> Box<dyn polars_arrow::array::Array> {
    use polars_arrow::array::{Utf8Array, Utf8ViewArray};
    match array.as_any().downcast_ref::<Utf8ViewArray>() {
        Some(views) => Utf8Array::<i64>::from_trusted_len_iter(views.iter()).boxed(),
        None => array,
    }
}

/// Silver's zstd level: 1, not zstd's default 3. Measured (BENCHMARKS.md): 3M timestamped
/// responses 6.75 → 6.3 s of CPU (the identities, 32 hexadecimal digits each, barely
/// compress), and the parts no bigger (72 MB against 75; 10M without times: 67 MB both).
const PART_ZSTD_LEVEL: i32 = 1;

/// How silver parts are written: zstd, min/max/null-count statistics (`write_part`; `encode`
/// leaves min/max out for a column with a named encoding).
fn part_options() -> polars_parquet::write::WriteOptions {
    polars_parquet::write::WriteOptions {
        statistics: StatisticsOptions::default(),
        version: polars_parquet::write::Version::V1,
        compression: ParquetCompression::Zstd(
            polars_parquet::write::ZstdLevel::try_new(PART_ZSTD_LEVEL).ok(),
        )
        .into(),
        data_page_size: None,
    }
}

/// A silver part written a row group at a time: a file read in chunks (`silver::stream`)
/// writes its part while reading, each chunk's rows (of one year) one row group. A part of
/// more than `PIECE_ROW_GROUPS` row groups is written as several files, its pieces
/// (`piece_path`): the Parquet writer keeps every row group's and page's metadata until the
/// footer, and with it the allocator's pages those small records sit in, so one file of
/// 30M rows (774 row groups) grew the run by ~50 MB; in pieces of 64 it stays flat.
pub struct PartWriter {
    /// The part's first piece (`piece_path(path, 0)`).
    path: std::path::PathBuf,
    schema: SchemaRef,
    /// The piece being written and how many row groups it has.
    writer: PieceWriter,
    groups: usize,
    /// The pieces finished before it, in order.
    done: Vec<std::path::PathBuf>,
}

/// The writer of one piece of a part.
type PieceWriter = polars::io::parquet::write::BatchedWriter<std::io::BufWriter<File>>;

/// A part's write buffer. The Parquet page headers and footer are written field by field
/// (thrift), one `write` call each: unbuffered, those calls were 12% of a run's CPU.
const PART_BUFFER: usize = 256 << 10;

/// The most rows of a row group of a file read whole (`silver::worker`), as many as a
/// streamed sheet's chunk: Polars' Parquet writer states each dictionary page with the whole
/// array's null count, so a dictionary-encoded column of more than one page (~200K rows)
/// said twice its nulls in the statistics (seen: a 260K-row sheet's answers and `jam`, a
/// dictionary then).
pub const WHOLE_READ_ROW_GROUP: usize = 32 * 1024;

/// The most row groups one piece of a part holds (`PartWriter`): 64 chunks, about 2.5M
/// responses of a CSV file.
pub const PIECE_ROW_GROUPS: usize = 64;

/// The `n`-th piece of the part whose first piece is `first` (`n` 0): `part-00007.parquet`,
/// then `part-00007_0001.parquet`, … — named so that a folder's pieces sort in their order
/// (`_` after `.`) and before the next file's part.
pub fn piece_path(first: &Path, n: usize) -> std::path::PathBuf {
    if n == 0 {
        return first.to_path_buf();
    }
    let stem = first.file_stem().unwrap_or_default().to_string_lossy();
    first.with_file_name(format!("{stem}_{n:04}.parquet"))
}

/// A part's pieces that exist, in order: the first and every one after it without a gap.
pub fn pieces_of(first: &Path) -> Vec<std::path::PathBuf> {
    (0..)
        .map(|n| piece_path(first, n))
        .take_while(|p| p.is_file())
        .collect()
}

impl PartWriter {
    /// Creates the part at `path` for row groups shaped like `first`.
    pub fn create(path: &Path, first: &RowGroup) -> Result<PartWriter> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        Ok(PartWriter {
            path: path.to_path_buf(),
            schema: first.schema.clone(),
            writer: Self::piece(path, &first.schema)?,
            groups: 0,
            done: Vec::new(),
        })
    }

    /// A writer of one piece at `path`.
    fn piece(path: &Path, schema: &Schema) -> Result<PieceWriter> {
        let file =
            File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        ParquetWriter::new(std::io::BufWriter::with_capacity(PART_BUFFER, file))
            .with_compression(ParquetCompression::Zstd(None))
            .with_statistics(StatisticsOptions::default())
            .with_key_value_metadata(Some(arrow_schema(schema)))
            .batched(schema)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
    }

    /// Where the piece being written is.
    fn current(&self) -> std::path::PathBuf {
        piece_path(&self.path, self.done.len())
    }

    /// Appends a row group encoded by `encode` (to a new piece once the piece is full).
    pub fn append(&mut self, g: &RowGroup) -> Result<()> {
        if g.schema != self.schema {
            bail!(
                "cannot write {}: row groups of different columns",
                self.path.display()
            );
        }
        if self.groups == PIECE_ROW_GROUPS {
            let full_path = self.current();
            let next = piece_path(&self.path, self.done.len() + 1);
            let full = std::mem::replace(&mut self.writer, Self::piece(&next, &self.schema)?);
            // Listed before its footer is written: a piece that fails is removed too (`abandon`).
            self.done.push(full_path.clone());
            self.groups = 0;
            finish_piece(full, &full_path)?;
        }
        self.groups += 1;
        self.writer
            .write_row_group(g.rows as u64, &g.columns)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", self.current().display()))
    }

    /// Writes the last piece's footer; the part is complete. Its pieces, in order.
    pub fn finish(mut self) -> Result<Vec<std::path::PathBuf>> {
        let last = self.current();
        self.done.push(finish_piece(self.writer, &last)?);
        Ok(self.done)
    }

    /// Every piece written so far, to remove them (the part is given up): the last finished
    /// too, so that its file is closed first.
    pub fn abandon(mut self) -> Vec<std::path::PathBuf> {
        let last = self.current();
        let _ = self.writer.finish();
        drop(self.writer);
        self.done.push(last);
        self.done
    }
}

/// Writes a piece's footer and checks that all of it reached the disk.
fn finish_piece(writer: PieceWriter, path: &Path) -> Result<std::path::PathBuf> {
    let size = writer
        .finish()
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    // The BatchedWriter does not hand its buffer back to be flushed: it is flushed when
    // dropped, which cannot report an error. The file's size on disk tells whether it was.
    drop(writer);
    let written = std::fs::metadata(path)
        .with_context(|| format!("cannot write {}", path.display()))?
        .len();
    if written != size {
        bail!(
            "cannot write {}: {written} of its {size} bytes were written (is the disk full?)",
            path.display()
        );
    }
    Ok(path.to_path_buf())
}

/// The most rows a row group Polars' writer writes holds: fewer than a dictionary column's page
/// (1 MiB ÷ 5 bytes, 209,715 rows), so each of its column chunks is one page. polars-parquet
/// gives every page of a dictionary column the whole chunk's null count, and the chunk the sum
/// of its pages': a chunk of two pages with half its rows null says all are null, and DuckDB,
/// pyarrow and Polars then skip it for `IS NOT NULL` (`count(kolom)` 0). skm's own pages
/// (`keys`) count each page's nulls.
const ROW_GROUP_ROWS: usize = 200_000;

fn write_with(df: &mut DataFrame, path: &Path, stats: StatisticsOptions) -> Result<()> {
    write_batched(path, stats, std::iter::once(Ok(df.clone())))
}

/// `pieces` written as one file at `path` by Polars' writer (zstd, `stats`, the `large_string`
/// Arrow schema of the first piece), each piece in row groups of at most `ROW_GROUP_ROWS`, each
/// one chunk (Polars' own `finish` makes groups of about its row group size, some bigger); an
/// empty piece as Polars writes it. `pieces` yields at least one frame.
fn write_batched(
    path: &Path,
    stats: StatisticsOptions,
    pieces: impl IntoIterator<Item = Result<DataFrame>>,
) -> Result<()> {
    let cannot = |e: PolarsError| anyhow::anyhow!("cannot write {}: {e}", path.display());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut pieces = pieces.into_iter();
    let first = (pieces.next()).context("a table written in pieces has at least one")??;
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    // Buffered: the Parquet footer is written field by field, a syscall each otherwise.
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut writer = ParquetWriter::new(&mut w)
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(stats)
        .with_key_value_metadata(Some(arrow_schema(first.schema())))
        .batched(first.schema())
        .map_err(cannot)?;
    for df in std::iter::once(Ok(first)).chain(pieces) {
        let df = df?;
        for start in (0..df.height().max(1)).step_by(ROW_GROUP_ROWS) {
            let mut group = df.slice(start as i64, ROW_GROUP_ROWS);
            group.rechunk_mut_par();
            writer.write_batch(&group).map_err(cannot)?;
        }
    }
    writer.finish().map_err(cannot)?;
    drop(writer);
    std::io::Write::flush(&mut w).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The Arrow schema Parquet readers restore the columns' types from (`ARROW:schema`), with
/// strings as `large_string`: Polars would record its own `string_view`, which pyarrow (and so
/// pandas) reads but cannot filter or compare ("Function 'equal' has no kernel matching input
/// types (string_view, string)"). The Parquet columns themselves are the same.
fn arrow_schema(schema: &Schema) -> polars::io::parquet::write::KeyValueMetadata {
    let kv = polars_parquet::write::schema_to_metadata_key(&schema.to_arrow(CompatLevel::oldest()));
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

/// Checks each of `pieces` against `table` and writes them under `root` as one table, a row
/// group each, or several for a piece of more than `ROW_GROUP_ROWS` (with `write_parquet`'s
/// options): a table of more rows than are worth holding as one frame. `pieces` yields at
/// least one frame (an empty one for an empty table).
pub fn write_table_pieces(
    table: &TableDef,
    root: &Path,
    pieces: impl IntoIterator<Item = PolarsResult<DataFrame>>,
) -> Result<()> {
    let checked = pieces.into_iter().map(|df| {
        let df = df?;
        check(&df, table)?;
        Ok(df)
    });
    write_batched(&root.join(&table.path), StatisticsOptions::full(), checked)
}

/// Writes `frames` under `root` as `table`, one file, a row group each, encoded as silver's
/// parts are (`encode`: checked against the table, a dictionary column written as it is, not
/// hashed into one again; zstd level 1). `frames` yields at least one frame (an empty one for
/// an empty table).
pub fn write_table_frames(
    table: &TableDef,
    root: &Path,
    frames: impl IntoIterator<Item = PolarsResult<build::Frame>>,
) -> Result<()> {
    let path = root.join(&table.path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut writer: Option<PieceWriter> = None;
    for frame in frames {
        let g = encode(&frame?, table)?;
        let w = match &mut writer {
            Some(w) => w,
            None => writer.insert(PartWriter::piece(&path, &g.schema)?),
        };
        w.write_row_group(g.rows as u64, &g.columns)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    let writer = writer.context("a table written in frames has at least one")?;
    finish_piece(writer, &path)?;
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parts_pieces_sort_in_their_order_and_before_the_next_part() {
        let first = Path::new("tahun=2024/part-00007.parquet");
        let mut names: Vec<String> = [0, 1, 2, 10, 9999]
            .into_iter()
            .map(|n| piece_path(first, n).to_string_lossy().into_owned())
            .collect();
        names.push("tahun=2024/part-00008.parquet".into());
        names.insert(0, "tahun=2024/part-00006_0003.parquet".into());
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(sorted, names);
        assert_eq!(names[2], "tahun=2024/part-00007_0001.parquet");
    }

    #[test]
    fn min_max_is_polars_with_nulls_aside() {
        // A null's slot holds 9 here: it must not count.
        let valid = polars_arrow::bitmap::Bitmap::from([true, false, true, true]);
        let arr = polars_arrow::array::PrimitiveArray::<u8>::new(
            polars_arrow::datatypes::ArrowDataType::UInt8,
            vec![3u8, 9, 1, 4].into(),
            Some(valid),
        );
        let answers = Column::from(Series::from_arrow("u".into(), Box::new(arr)).unwrap());
        assert_eq!(min_max(&answers).unwrap(), (Some(1.0), Some(4.0)));
        let ages = Column::new("umur".into(), [Some(17i32), None, Some(71), Some(30)]);
        let s = ages.as_materialized_series();
        assert_eq!(
            min_max(&ages).unwrap(),
            (s.min::<f64>().unwrap(), s.max::<f64>().unwrap())
        );
        let none = Column::new("u".into(), [None::<u8>, None]);
        assert_eq!(min_max(&none).unwrap(), (None, None));
        let empty = Column::new("u".into(), Vec::<u8>::new());
        assert_eq!(min_max(&empty).unwrap(), (None, None));
    }

    #[test]
    fn min_max_by_words_is_the_plain_fold() {
        // Lengths around the 64-value words, all-valid words and gappy ones, and a sliced
        // validity (an offset not on a byte).
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for n in [0usize, 1, 63, 64, 65, 127, 128, 200, 1000] {
            for density in [0u64, 1, 8, 15, 16] {
                let values: Vec<i32> = (0..n + 3).map(|_| (next() % 201) as i32 - 100).collect();
                let bits: Vec<bool> = (0..n + 3).map(|_| next() % 16 < density).collect();
                let valid = polars_arrow::bitmap::Bitmap::from(bits.as_slice()).sliced(3, n);
                let values = &values[3..];
                let plain = values
                    .iter()
                    .zip(valid.iter())
                    .filter(|(_, ok)| *ok)
                    .map(|(v, _)| *v)
                    .fold(None, |m: Option<(i32, i32)>, v| {
                        Some(m.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
                    });
                assert_eq!(native_min_max(values, Some(&valid)), plain, "{n} {density}");
            }
        }
    }

    /// A table `t` of `columns` (TOML inline tables, one a line), as schemas/outputs.toml has.
    fn table_toml(columns: &[&str]) -> String {
        let columns: Vec<String> = columns.iter().map(|c| format!("  {c},")).collect();
        format!(
            "name = \"t\"\npath = \"t.parquet\"\ndescription = \"\"\ncolumns = [\n{}\n]\n",
            columns.join("\n")
        )
    }

    #[test]
    fn plain_encoding_is_for_built_columns_and_the_only_one_named() {
        let toml = table_toml(&[
            r#"{ name = "label", type = "str", encoding = "plain", description = "" }"#,
            r#"{ name = "id", type = "str", encoding = "plain", description = "" }"#,
        ]);
        let table: TableDef = toml::from_str(&toml).unwrap();
        // A `few` column declared plain keeps its dictionary (Parquet's writer refuses a
        // dictionary array any other encoding); the text column is written plain.
        let rows: Vec<(&str, String)> = (0..300).map(|i| ("A", format!("{i:032x}"))).collect();
        let frame = build::Rows::new(&rows)
            .few("label", |r| Some(r.0))
            .text("id", |r, s| {
                s.push_str(&r.1);
                true
            })
            .framed()
            .unwrap();
        assert!(matches!(frame.columns[0], build::Slot::Dictionary(..)));
        let group = encode(&frame, &table).unwrap();
        assert_eq!(group.rows, 300);
        // Read by the reference implementation: the texts plain, with their null count and
        // no smallest or largest; the dictionary column with both.
        use parquet::file::reader::FileReader as _;
        let dir = tempfile::tempdir().unwrap();
        let written = written_part(&frame, &table, dir.path());
        let reader =
            parquet::file::reader::SerializedFileReader::new(File::open(&written[0]).unwrap())
                .unwrap();
        let group = reader.metadata().row_group(0);
        let (label, id) = (group.column(0), group.column(1));
        let encodings: Vec<_> = id.encodings().collect();
        assert!(
            encodings.contains(&parquet::basic::Encoding::PLAIN)
                && !encodings.contains(&parquet::basic::Encoding::RLE_DICTIONARY),
            "{encodings:?}"
        );
        let stats = id.statistics().unwrap();
        assert_eq!(stats.null_count_opt(), Some(0));
        assert!(stats.min_bytes_opt().is_none() && stats.max_bytes_opt().is_none());
        let stats = label.statistics().unwrap();
        assert!(stats.min_bytes_opt().is_some() && stats.max_bytes_opt().is_some());
        let unknown = toml.replacen(r#"encoding = "plain""#, r#"encoding = "delta""#, 1);
        assert!(toml::from_str::<TableDef>(&unknown).is_err());
    }

    /// `frame` encoded for `table` and written as one part in `dir`: the files written.
    fn written_part(frame: &build::Frame, table: &TableDef, dir: &Path) -> Vec<std::path::PathBuf> {
        let group = encode(frame, table).unwrap();
        let mut w = PartWriter::create(&dir.join("part.parquet"), &group).unwrap();
        w.append(&group).unwrap();
        w.finish().unwrap()
    }

    #[test]
    fn delta_length_texts_read_back_as_written_by_both_readers() {
        let toml = table_toml(&[
            r#"{ name = "id", type = "str", encoding = "delta_length_byte_array", description = "" }"#,
            r#"{ name = "n", type = "u32", description = "" }"#,
        ]);
        let table: TableDef = toml::from_str(&toml).unwrap();
        // Identities with nulls among them (rows with a date alone), one without any.
        let ids = |i: u32| (i % 7 != 3).then(|| format!("{:032x}", u128::from(i) * 0x9e37_79b9));
        for (rows, nulls) in [(5000u32, true), (300, false)] {
            let rows: Vec<(Option<String>, u32)> = (0..rows)
                .map(|i| (if nulls { ids(i) } else { ids(1) }, i))
                .collect();
            let frame = build::Rows::new(&rows)
                .text("id", |r, s| {
                    s.push_str(r.0.as_deref().unwrap_or_default());
                    r.0.is_some()
                })
                .col("n", |r| r.1)
                .framed()
                .unwrap();
            let dir = tempfile::tempdir().unwrap();
            let written = written_part(&frame, &table, dir.path());
            assert_eq!(written.len(), 1);
            // Polars reads the values back as they were.
            let df = ParquetReader::new(File::open(&written[0]).unwrap())
                .finish()
                .unwrap();
            let ids = df.column("id").unwrap().str().unwrap();
            let back: Vec<Option<String>> = (0..ids.len())
                .map(|k| ids.get(k).map(str::to_string))
                .collect();
            let want: Vec<Option<String>> = rows.iter().map(|r| r.0.clone()).collect();
            assert_eq!(back, want);
            // The reference implementation does too, from a column written delta-length.
            use parquet::file::reader::FileReader as _;
            let reader =
                parquet::file::reader::SerializedFileReader::new(File::open(&written[0]).unwrap())
                    .unwrap();
            let column = reader.metadata().row_group(0).column(0);
            let encodings: Vec<_> = column.encodings().collect();
            assert!(
                encodings.contains(&parquet::basic::Encoding::DELTA_LENGTH_BYTE_ARRAY),
                "{encodings:?}"
            );
            let stats = column.statistics().unwrap();
            assert_eq!(
                stats.null_count_opt(),
                Some(rows.iter().filter(|r| r.0.is_none()).count() as u64)
            );
            // Its null count, not its smallest and largest identity; the other column's all.
            assert!(stats.min_bytes_opt().is_none() && stats.max_bytes_opt().is_none());
            let n = reader
                .metadata()
                .row_group(0)
                .column(1)
                .statistics()
                .unwrap();
            assert!(n.min_bytes_opt().is_some() && n.max_bytes_opt().is_some());
            // The identities stored as they are (zstd only halves hexadecimal digits, at a
            // third of a timestamped row's extra CPU); the other column compressed.
            let codec = |i: usize| reader.metadata().row_group(0).column(i).compression();
            assert_eq!(codec(0), parquet::basic::Compression::UNCOMPRESSED);
            assert!(
                matches!(codec(1), parquet::basic::Compression::ZSTD(_)),
                "{:?}",
                codec(1)
            );
            let batches = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
                File::open(&written[0]).unwrap(),
            )
            .unwrap()
            .build()
            .unwrap();
            let mut arrow_back: Vec<Option<String>> = Vec::new();
            for b in batches {
                let b = b.unwrap();
                let ids = (b.column(0).as_any())
                    .downcast_ref::<arrow::array::LargeStringArray>()
                    .expect("silver's texts are large_string (ARROW:schema)");
                arrow_back.extend(ids.iter().map(|v| v.map(str::to_string)));
            }
            assert_eq!(arrow_back, want);
        }
    }

    #[test]
    fn dictionary_columns_read_back_as_written_with_polars_statistics() {
        // Over two pages and a bit (`keys::ROWS_PER_PAGE`), with nulls, runs and lone values;
        // a column all null; one with one value.
        let n = keys::ROWS_PER_PAGE * 2 + 13;
        let word = |i: usize| -> Option<String> {
            match i % 1000 {
                0..=9 => None,
                10..=400 => Some(format!("run {}", i / 1000 % 3)),
                _ => Some(format!("v{:03}", (i * 7919) % 300)),
            }
        };
        let rows: Vec<(Option<String>, u32)> = (0..n).map(|i| (word(i), i as u32)).collect();
        let table: TableDef = toml::from_str(&table_toml(&[
            r#"{ name = "kata", type = "str", description = "" }"#,
            r#"{ name = "kosong", type = "str", description = "" }"#,
            r#"{ name = "satu", type = "str", description = "" }"#,
            r#"{ name = "n", type = "u32", description = "" }"#,
            r#"{ name = "skor", type = "u8", description = "" }"#,
            r#"{ name = "tanggal", type = "date", description = "" }"#,
            r#"{ name = "umur", type = "i32", description = "" }"#,
            r#"{ name = "lebar", type = "i32", description = "" }"#,
            r#"{ name = "hampa", type = "i32", description = "" }"#,
            r#"{ name = "teks", type = "str", description = "" }"#,
        ]))
        .unwrap();
        let day = |i: u32| {
            chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
                + chrono::Days::new(u64::from(i % 366))
        };
        let frame = build::Rows::new(&rows)
            .few("kata", |r| r.0.as_deref())
            .few("kosong", |_| None)
            .few("satu", |_| Some("satu"))
            .col("n", |r| r.1)
            .opt::<UInt8Type>("skor", |r| {
                (r.1 % 13 != 0).then_some(1 + (r.1 % 7 % 4) as u8)
            })
            .date("tanggal", |r| (r.1 % 50 != 7).then(|| day(r.1 / 3)))
            .opt::<Int32Type>("umur", |r| Some(17 + (r.1 % 61) as i32))
            .opt::<Int32Type>("lebar", |r| Some(r.1 as i32 * 1000))
            .opt::<Int32Type>("hampa", |_| None)
            .col("teks", |r| {
                (r.1 % 3 != 0).then_some(["x", "y"][r.1 as usize % 2])
            })
            .framed()
            .unwrap();
        assert!(matches!(frame.columns[0], build::Slot::Dictionary(..)));
        let dir = tempfile::tempdir().unwrap();
        let written = written_part(&frame, &table, dir.path());
        // The same frame as Polars' writer writes it, in one row group as ours.
        let mut df = frame.df().unwrap();
        let polars_path = dir.path().join("polars.parquet");
        (ParquetWriter::new(File::create(&polars_path).unwrap()))
            .with_compression(ParquetCompression::Zstd(None))
            .with_key_value_metadata(Some(arrow_schema(df.schema())))
            .finish(&mut df)
            .unwrap();
        let read = |p: &Path| ParquetReader::new(File::open(p).unwrap()).finish().unwrap();
        assert_eq!(read(&written[0]), read(&polars_path));
        // The reference implementation reads the same values; both files have the same
        // encodings and minimum and maximum. The null count is the column's: Polars' writer
        // gives every page of a dictionary column the whole column's null count, and the
        // column chunk their sum (12,600 here, for 4,200 nulls over three pages). The columns
        // that are not dictionaries in the frame (all null, `col`) go through polars-parquet,
        // each one page in ours (a frame taller than a page): their counts right too.
        use parquet::file::reader::FileReader as _;
        let meta = |p: &Path| {
            let r = parquet::file::reader::SerializedFileReader::new(File::open(p).unwrap());
            r.unwrap().metadata().clone()
        };
        let (ours, theirs) = (meta(&written[0]), meta(&polars_path));
        let nulls = [
            Some(4200),
            Some(n as u64),
            Some(0),
            Some(0),
            Some(32_265),
            Some(8389),
            Some(0),
            Some(0),
            Some(n as u64),
            Some(n.div_ceil(3) as u64),
        ];
        for c in 0..nulls.len() {
            let (a, b) = (ours.row_group(0).column(c), theirs.row_group(0).column(c));
            let (sa, sb) = (a.statistics().unwrap(), b.statistics().unwrap());
            assert_eq!(sa.min_bytes_opt(), sb.min_bytes_opt(), "column {c}");
            assert_eq!(sa.max_bytes_opt(), sb.max_bytes_opt(), "column {c}");
            if let Some(nulls) = nulls[c] {
                assert_eq!(sa.null_count_opt(), Some(nulls), "column {c}");
            }
            let encodings = |m: &parquet::file::metadata::ColumnChunkMetaData| {
                let mut e: Vec<_> = m.encodings().collect();
                e.sort_by_key(|e| format!("{e:?}"));
                e
            };
            assert_eq!(encodings(a), encodings(b), "column {c}");
        }
        let batches = |p: &Path| -> Vec<arrow::record_batch::RecordBatch> {
            let r = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
                File::open(p).unwrap(),
            );
            r.unwrap().build().unwrap().map(Result::unwrap).collect()
        };
        let back = batches(&written[0]);
        assert_eq!(back, batches(&polars_path));
        let words = back.iter().flat_map(|b| {
            let b = arrow::array::cast::AsArray::as_string::<i64>(b.column(0)).clone();
            b.iter().map(|v| v.map(str::to_string)).collect::<Vec<_>>()
        });
        let want: Vec<Option<String>> = rows.iter().map(|r| r.0.clone()).collect();
        assert_eq!(words.collect::<Vec<_>>(), want);
    }

    #[test]
    fn a_big_table_written_by_polars_counts_each_null_once() {
        // 700,000 rows, every other one null: in row groups of two pages each, Polars' writer
        // said every row was null, and readers skipped them all for `IS NOT NULL`.
        let n = 700_000usize;
        let word = |i: usize| (i % 2 == 1).then_some(["a", "b", "c"][i % 3]);
        let kata: Vec<Option<&str>> = (0..n).map(word).collect();
        let dir = tempfile::tempdir().unwrap();
        let (one, pieces) = (dir.path().join("one.parquet"), dir.path().join("pieces"));
        write_part(&mut df! { "kata" => kata.clone() }.unwrap(), &one).unwrap();
        let table: TableDef = toml::from_str(&table_toml(&[
            r#"{ name = "kata", type = "str", description = "" }"#,
        ]))
        .unwrap();
        let halves = [&kata[..n / 2], &kata[n / 2..]].map(|k| Ok(df! { "kata" => k }.unwrap()));
        write_table_pieces(&table, &pieces, halves).unwrap();
        use parquet::file::reader::FileReader as _;
        for path in [one, pieces.join(&table.path)] {
            let r = parquet::file::reader::SerializedFileReader::new(File::open(&path).unwrap());
            let meta = r.unwrap().metadata().clone();
            let mut nulls = 0;
            for g in meta.row_groups() {
                let rows = g.num_rows() as u64;
                let counted = g.column(0).statistics().unwrap().null_count_opt().unwrap();
                assert!(
                    counted < rows,
                    "{}: {counted} nulls of {rows}",
                    path.display()
                );
                nulls += counted;
            }
            assert_eq!(nulls, (n / 2) as u64, "{}", path.display());
            let df = ParquetReader::new(File::open(&path).unwrap())
                .finish()
                .unwrap();
            assert_eq!(df.column("kata").unwrap().null_count(), n / 2);
        }
    }

    #[test]
    fn a_table_written_in_pieces_reads_back_as_the_whole() {
        let table = Dictionary::embedded_ref().table("duplikat");
        let rows = |from: u32, n: u32| -> DataFrame {
            let r: Vec<u32> = (from..from + n).collect();
            let text = |t: &'static str| vec![t; n as usize];
            df! {
                "source_file" => text("a.csv"),
                "sheet" => text("Sheet1"),
                "source_row" => r.clone(),
                "jenis" => text("dikirim_ulang"),
                "dihitung_file" => text("b.csv"),
                "dihitung_sheet" => text("Sheet1"),
                "dihitung_row" => r,
                "perubahan" => vec![None::<&str>; n as usize],
            }
            .unwrap()
        };
        let whole = tempfile::tempdir().unwrap();
        write_table(&mut rows(1, 5), table, whole.path()).unwrap();
        let pieces = tempfile::tempdir().unwrap();
        let three = [rows(1, 2), rows(3, 2), rows(5, 1)].map(Ok);
        write_table_pieces(table, pieces.path(), three).unwrap();
        let read = |root: &Path| {
            let f = File::open(root.join(&table.path)).unwrap();
            ParquetReader::new(f).finish().unwrap()
        };
        assert_eq!(read(pieces.path()), read(whole.path()));
        assert!(write_table_pieces(table, pieces.path(), []).is_err());
    }
}
