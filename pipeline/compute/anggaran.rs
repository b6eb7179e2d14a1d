//! `gold/anggaran`: budget lines with serapan (realisasi ÷ pagu × 100) and sisa (pagu −
//! realisasi), rupiah as decimal(20,2).

use polars::prelude::*;
use rust_decimal::prelude::*;

use crate::normalize::realisasi::anggaran::AnggaranRow;
use crate::tables::build::Rows;

/// The `anggaran` table.
pub fn anggaran(rows: &[AnggaranRow]) -> PolarsResult<DataFrame> {
    Rows::new(rows)
        .col("unit_id", |r| r.unit_id.as_deref())
        .col("tahun", |r| r.tahun)
        .col("kode", |r| r.kode.as_deref())
        .col("uraian", |r| r.uraian.as_str())
        .col("level", |r| r.level.as_str())
        .col("induk", |r| r.induk.as_deref())
        .money("pagu_murni", |r| r.pagu_murni)
        .money("pagu_perubahan", |r| r.pagu_perubahan)
        .money("realisasi", |r| r.realisasi)
        .money("sisa", AnggaranRow::sisa)
        .col("serapan", AnggaranRow::serapan)
        .col("serapan_tertulis", |r| {
            r.persen_tertulis.and_then(|p| p.to_f64())
        })
        .col("source_file", |r| r.source_file.as_str())
        .col("sheet", |r| r.sheet.as_str())
        .col("source_row", |r| r.source_row)
        .frame()
}
