//! `gold/ikm_tahun_aturan`: the yearly figure of each unit under every rule, the one in use
//! marked (`terpakai`).

use polars::prelude::*;

use super::figures::YearAlt;
use crate::domain::margin;
use crate::domain::round_half_up;
use crate::tables::build::Rows;

/// The `ikm_tahun_aturan` table.
pub fn ikm_tahun_aturan(alts: &[YearAlt]) -> PolarsResult<DataFrame> {
    Rows::new(alts)
        .col("unit_id", |a| a.unit_id.as_str())
        .col("tahun", |a| a.tahun)
        .col("aturan", |a| a.aturan.as_str())
        .col("terpakai", |a| a.terpakai)
        .col("ikm", |a| a.ikm)
        .col("ikm_bulat", |a| a.ikm.and_then(|x| round_half_up(x, 2)))
        .col("ikm_se", |a| margin::se(a.var_ikm))
        .col("tahun_lengkap", |a| a.lengkap)
        .col("periode_dipakai", |a| a.dipakai.as_str())
        .col("n_responden", |a| a.n_responden)
        .col("catatan", |a| a.catatan.as_deref())
        .frame()
}
