//! `gold/profil`: IKM and respondents by respondent profile (jenis layanan, jenis kelamin,
//! pendidikan, pekerjaan, age band), per unit and city-wide, pooling each year's respondents.
//! A group with fewer than the configured minimum is marked `cukup = false`.

use polars::prelude::*;

use super::{nrr_at, sum_columns};
use crate::domain::{ikm_from_nrr, round_half_up};
use crate::tables::build::Rows;

/// The `profil` table; `groups` is `silver::sums::profile_sums` of silver's sums.
pub fn profil(groups: LazyFrame, minimum: i64) -> PolarsResult<DataFrame> {
    let df = groups
        .sort_by_exprs(
            [
                col("tingkat"),
                col("unit_id"),
                col("tahun"),
                col("dimensi"),
                col("kelompok"),
            ],
            SortMultipleOptions::default()
                .with_maintain_order(true)
                .with_nulls_last(true),
        )
        .collect()?;
    let n: Vec<Option<i64>> = df.column("n_responden")?.i64()?.iter().collect();
    let cols = sum_columns(&df)?;
    let rows: Vec<(Option<f64>, Option<i64>)> = (0..df.height())
        .map(|i| (ikm_from_nrr(&nrr_at(&cols, i)), n[i]))
        .collect();
    let figures = Rows::new(&rows)
        .col("ikm", |(ikm, _)| *ikm)
        .col("ikm_bulat", |(ikm, _)| {
            ikm.and_then(|x| round_half_up(x, 2))
        })
        .col("cukup", |(_, n)| n.map(|v| v >= minimum))
        .frame()?;
    df.select([
        "tingkat",
        "unit_id",
        "tahun",
        "dimensi",
        "kelompok",
        "n_responden",
    ])?
    .hstack(figures.columns())
}
