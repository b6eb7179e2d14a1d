//! Compute: silver responses → gold figures, with Polars (lazy).
//!
//! Per unit, year and period present (the period column, else the triwulan of the survey
//! date) and for the whole year (`TAHUN`, all of the year's respondents pooled):
//! NRR per unsur = sum of scores ÷ number of answers to that unsur (blanks are not zeros),
//! IKM = mean of the nine NRR × 25. Figures stay at full precision; the half-up rounded
//! presentation columns and the grades are added by `finish`, from `crate::domain`.

pub mod anggaran;
pub mod audit;
pub mod banding;
pub mod figures;
pub mod gold;
pub mod ikm_kota;
pub mod ikm_tahun_aturan;
pub mod ikm_unit;
pub mod iku_capaian;
pub mod kecamatan;
pub mod kecamatan_unsur;
pub mod margins;
pub mod nrr_unsur;
pub mod prioritas;
pub mod profil;
pub mod recap;
pub mod sampel;
pub mod tindak_lanjut;
pub mod unit_terlambat;
pub mod unit_values;

use polars::prelude::*;

use crate::domain::{round_half_up, Mutu, Periode, UNSUR};
pub(crate) use crate::silver::sums::{n_col, sum_col};
use crate::tables::build::Rows;
pub use gold::{gold, Gold};

/// The per-unsur (sum, answers) columns of a frame of `period_sums`'s shape.
pub(crate) fn sum_columns(df: &DataFrame) -> PolarsResult<Vec<(Int64Chunked, Int64Chunked)>> {
    UNSUR
        .iter()
        .map(|u| {
            Ok((
                df.column(&sum_col(u.key))?.i64()?.clone(),
                df.column(&n_col(u.key))?.i64()?.clone(),
            ))
        })
        .collect()
}

/// The nine NRR of row `i` from those columns (`None` where an unsur has no answer).
pub(crate) fn nrr_at(cols: &[(Int64Chunked, Int64Chunked)], i: usize) -> [Option<f64>; 9] {
    std::array::from_fn(|k| match (cols[k].0.get(i), cols[k].1.get(i)) {
        (Some(s), Some(n)) if n > 0 => Some(s as f64 / n as f64),
        _ => None,
    })
}

/// Per (unit_id, tahun, periode): the respondent count and, per unsur, the sum of scores and
/// the number of answers. Rows for every period present and one pooled `TAHUN` row per year.
/// Straight from silver's rows; a run adds up silver's sums instead (`silver::sums::period_sums`,
/// which gives the same frame, as `tests/it/sums_equal_rows.rs` checks).
pub fn period_sums(silver: LazyFrame) -> LazyFrame {
    let mut aggs = vec![len().cast(DataType::Int64).alias("n_responden")];
    for u in UNSUR.iter() {
        aggs.push(col(u.key).cast(DataType::Int64).sum().alias(sum_col(u.key)));
        aggs.push(col(u.key).count().cast(DataType::Int64).alias(n_col(u.key)));
    }
    let per_period = silver
        .clone()
        .group_by([col("unit_id"), col("tahun"), col("periode")])
        .agg(aggs.clone());
    let per_year = silver
        .group_by([col("unit_id"), col("tahun")])
        .agg(aggs)
        .with_column(lit(Periode::Tahun.code()).alias("periode"));
    let cols: Vec<Expr> = ["unit_id", "tahun", "periode", "n_responden"]
        .iter()
        .map(|c| col(*c))
        .chain(
            UNSUR
                .iter()
                .flat_map(|u| [col(sum_col(u.key)), col(n_col(u.key))]),
        )
        .collect();
    concat(
        [per_period.select(cols.clone()), per_year.select(cols)],
        UnionArgs::default(),
    )
    .expect("same schema")
}

fn periode_order() -> Expr {
    Periode::ALL.iter().rev().fold(lit(99), |rest, p| {
        when(col("periode").eq(lit(p.code())))
            .then(lit(p.order() as i32))
            .otherwise(rest)
    })
}

fn f64_values(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df.column(name)?.f64()?.iter().collect())
}

/// Sorts a gold frame: unit, year, period (TW1, TW2, S1, TW3, TW4, S2, TAHUN), then `extra`.
pub fn sort_gold(df: DataFrame, extra: &[&str]) -> PolarsResult<DataFrame> {
    let mut by = vec![col("unit_id"), col("tahun"), col("__urut_periode")];
    by.extend(extra.iter().map(|c| col(*c)));
    df.lazy()
        .with_column(periode_order().alias("__urut_periode"))
        .sort_by_exprs(by, SortMultipleOptions::default().with_maintain_order(true))
        .drop(cols(["__urut_periode"]))
        .collect()
}

/// Adds an IKM's presentation columns after `rows`' last: `{prefix}_bulat` (half-up, 2 dp),
/// `mutu` and `kinerja` (graded on the rounded IKM).
pub(crate) fn graded<'a, R>(
    rows: Rows<'a, R>,
    prefix: &str,
    ikm: impl Fn(&R) -> Option<f64> + Copy + 'a,
) -> Rows<'a, R> {
    rows.col(&format!("{prefix}_bulat"), move |r| {
        ikm(r).and_then(|x| round_half_up(x, 2))
    })
    .col("mutu", move |r| {
        ikm(r).and_then(Mutu::of_ikm).map(Mutu::letter)
    })
    .col("kinerja", move |r| {
        ikm(r).and_then(Mutu::of_ikm).map(Mutu::kinerja)
    })
}
