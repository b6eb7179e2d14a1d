//! Compute: silver responses → gold figures, with Polars (lazy).
//!
//! Per unit, year and period present (the period column, else the triwulan of the survey
//! date) and for the whole year (`TAHUN`, all of the year's respondents pooled):
//! NRR per unsur = sum of scores ÷ number of answers to that unsur (blanks are not zeros),
//! IKM = mean of the nine NRR × 25. Figures stay at full precision; the half-up rounded
//! presentation columns and the grades are added by `finish`, from `crate::domain`.

pub mod analytics;
pub mod figures;
pub mod partial;
pub mod realisasi;

use polars::prelude::*;

use crate::domain::{round_half_up, Mutu, Periode, UNSUR};
use crate::registry::Registry;

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

pub(crate) fn sum_col(key: &str) -> String {
    format!("{key}__sum")
}
pub(crate) fn n_col(key: &str) -> String {
    format!("{key}__n")
}

/// Per (unit_id, tahun, periode): the respondent count and, per unsur, the sum of scores and
/// the number of answers. Rows for every period present and one pooled `TAHUN` row per year.
/// Straight from silver's rows; a run adds up silver's sums instead (`partial::period_sums`,
/// which gives the same frame, as `tests/scale.rs` checks).
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

fn str_values(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df
        .column(name)?
        .str()?
        .iter()
        .map(|s| s.map(str::to_string))
        .collect())
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

/// Adds presentation columns to the `ikm_unit` base frame (respondent and recap rows):
/// `ikm_bulat` (half-up, 2 dp), `mutu`, `kinerja` and the unit's registry attributes.
pub fn finish_ikm_unit(df: DataFrame, registry: &Registry) -> PolarsResult<DataFrame> {
    let mut df = sort_gold(df, &["sumber"])?;
    let ikm = f64_values(&df, "ikm")?;
    let ids = str_values(&df, "unit_id")?;
    let bulat: Vec<Option<f64>> = ikm
        .iter()
        .map(|v| v.and_then(|x| round_half_up(x, 2)))
        .collect();
    let mutu: Vec<Option<Mutu>> = ikm.iter().map(|v| v.and_then(Mutu::of_ikm)).collect();
    let unit = |id: &Option<String>| id.as_deref().and_then(|i| registry.get(i));
    let cols = [
        Column::new("ikm_bulat".into(), bulat),
        Column::new(
            "mutu".into(),
            mutu.iter().map(|m| m.map(Mutu::letter)).collect::<Vec<_>>(),
        ),
        Column::new(
            "kinerja".into(),
            mutu.iter()
                .map(|m| m.map(Mutu::kinerja))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "unit_nama".into(),
            ids.iter()
                .map(|i| unit(i).map(|u| u.nama.clone()))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "jenis_unit".into(),
            ids.iter()
                .map(|i| unit(i).map(|u| u.jenis_unit.clone()))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "kecamatan".into(),
            ids.iter()
                .map(|i| unit(i).and_then(|u| u.kecamatan.clone()))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "kecamatan_basis".into(),
            ids.iter()
                .map(|i| unit(i).and_then(|u| u.kecamatan_basis.map(|b| b.as_str())))
                .collect::<Vec<_>>(),
        ),
    ];
    for c in cols {
        df.with_column(c)?;
    }
    df.select([
        "unit_id",
        "unit_nama",
        "jenis_unit",
        "kecamatan",
        "kecamatan_basis",
        "tahun",
        "periode",
        "n_responden",
        "n_unsur",
        "ikm",
        "ikm_bulat",
        "mutu",
        "kinerja",
        "sumber",
        "aturan_tahun",
        "tahun_lengkap",
        "periode_dipakai",
        "catatan",
    ])
}

/// Adds presentation columns to the collected `nrr_unsur` frame: `nrr_bulat` (3 dp, as the
/// reports print NRR), `ikm_unsur` (NRR × 25, unrounded), `ikm_unsur_bulat` (2 dp), `mutu`.
pub fn finish_nrr_unsur(df: DataFrame) -> PolarsResult<DataFrame> {
    let mut df = sort_gold(df, &["sumber", "kode"])?;
    let nrr = f64_values(&df, "nrr")?;
    let cols = [
        Column::new(
            "nrr_bulat".into(),
            nrr.iter()
                .map(|v| v.and_then(|x| round_half_up(x, 3)))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "ikm_unsur".into(),
            nrr.iter().map(|v| v.map(|x| x * 25.0)).collect::<Vec<_>>(),
        ),
        Column::new(
            "ikm_unsur_bulat".into(),
            nrr.iter()
                .map(|v| v.and_then(|x| round_half_up(x * 25.0, 2)))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "mutu".into(),
            nrr.iter()
                .map(|v| v.and_then(Mutu::of_nrr).map(Mutu::letter))
                .collect::<Vec<_>>(),
        ),
    ];
    for c in cols {
        df.with_column(c)?;
    }
    df.select([
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
        "sumber",
    ])
}
