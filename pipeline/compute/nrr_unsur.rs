//! `gold/nrr_unsur`: the NRR of every unsur of every unit, year and period, with its
//! presentation columns.

use polars::prelude::*;

use super::{f64_values, sort_gold};
use crate::domain::{round_half_up, Mutu};
use crate::tables::build::Rows;

/// The `nrr_unsur` table from its base frame: sorted, `nrr_bulat` (3 dp, as the reports print
/// NRR), `ikm_unsur` (NRR × 25, unrounded), `ikm_unsur_bulat` (2 dp) and `mutu` added.
pub fn finish_nrr_unsur(df: DataFrame) -> PolarsResult<DataFrame> {
    let df = sort_gold(df, &["sumber", "kode"])?;
    let nrr = f64_values(&df, "nrr")?;
    let added = Rows::new(&nrr)
        .col("nrr_bulat", |v| v.and_then(|x| round_half_up(x, 3)))
        .col("ikm_unsur", |v| v.map(|x| x * 25.0))
        .col("ikm_unsur_bulat", |v| {
            v.and_then(|x| round_half_up(x * 25.0, 2))
        })
        .col("mutu", |v| v.and_then(Mutu::of_nrr).map(Mutu::letter))
        .frame()?;
    df.hstack(added.columns())?.select([
        "unit_id",
        "tahun",
        "periode",
        "unsur",
        "kode",
        "n_jawaban",
        "nrr",
        "nrr_bulat",
        "ikm_unsur",
        "ikm_unsur_bulat",
        "mutu",
        "nrr_se",
        "nrr_bawah",
        "nrr_atas",
        "sumber",
    ])
}
