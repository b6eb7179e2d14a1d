//! The run's manifest (`manifest.parquet`): one row per input file, with how its content was
//! known (hashed this run, or taken from the stat index) and whether its result was reused.

use polars::prelude::*;

use crate::tables::build::Rows;

crate::labels! {
    /// How a file's content hash was known (`manifest.hash_dari`).
    pub enum HashBasis {
        /// The bytes were hashed in this run.
        Isi = "isi",
        /// Size and modification time as in the last run: the hash is taken from its index.
        Stat = "stat",
    }
}

/// One input file in the run's manifest.
#[derive(Debug, Clone)]
pub struct ManifestRow {
    pub file: String,
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
    pub blake3: String,
    pub hash_basis: HashBasis,
    pub rows_read: usize,
    pub accepted: usize,
    pub rejected: usize,
    /// Accepted rows not counted (the same response counts elsewhere).
    pub duplicates: usize,
    /// When the file was normalized (this run, or the run whose result was reused).
    pub made_at: String,
    pub reused: bool,
}

/// The manifest table: one row per input file, in file order.
pub fn frame(rows: &[ManifestRow]) -> PolarsResult<DataFrame> {
    Rows::new(rows)
        .col("source_file", |r| r.file.as_str())
        .col("ukuran_byte", |r| r.size as i64)
        .col("diubah", |r| local_time(r.mtime_ns))
        .col("blake3", |r| r.blake3.as_str())
        .col("hash_dari", |r| r.hash_basis.as_str())
        .col("baris_dibaca", |r| r.rows_read as u32)
        .col("diterima", |r| r.accepted as u32)
        .col("ditolak", |r| r.rejected as u32)
        .col("duplikat", |r| r.duplicates as u32)
        .col("dibaca_pada", |r| r.made_at.as_str())
        .col("dipakai_ulang", |r| r.reused)
        .frame()
}

/// A modification time as local RFC 3339 with milliseconds.
fn local_time(mtime_ns: i128) -> String {
    chrono::DateTime::from_timestamp_nanos(mtime_ns as i64)
        .with_timezone(&chrono::Local)
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}
