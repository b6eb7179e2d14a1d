//! `gold/kecamatan_unsur`: NRR per kecamatan × unsur from the raw data of the units located
//! there (a heat map), respondents pooled per year and period, with each NRR's margin of error
//! (the pooled respondents' cross sums, `domain::margin`; no population correction: a
//! kecamatan's population is not configured).

use std::collections::BTreeMap;

use polars::prelude::*;

use super::margins::Crosses;
use super::{n_col, sum_col};
use crate::domain::margin::{self, Cross};
use crate::domain::{round_half_up, Periode, UNSUR};
use crate::registry::Registry;
use crate::tables::build::Rows;

/// One row of `kecamatan_unsur`.
struct Row {
    tahun: i32,
    kecamatan: String,
    /// The period's place in TW1, TW2, S1, TW3, TW4, S2, TAHUN.
    order: u8,
    periode: String,
    /// Index into `UNSUR`.
    unsur: usize,
    n_jawaban: i64,
    nrr: Option<f64>,
    se: Option<f64>,
}

impl Row {
    fn interval(&self) -> (Option<f64>, Option<f64>) {
        margin::clamped(margin::interval(self.nrr, self.se), 1.0, 4.0)
    }
}

/// The `kecamatan_unsur` table, from silver's sums.
pub fn kecamatan_unsur(
    sums: &DataFrame,
    crosses: &Crosses,
    registry: &Registry,
) -> PolarsResult<DataFrame> {
    let kecamatan_of = |id: &str| registry.get(id).and_then(|u| u.kecamatan.clone());
    // Per year, period and kecamatan: its units' cross sums together.
    let mut pooled: BTreeMap<(i32, String, String), Cross> = BTreeMap::new();
    for ((unit, tahun, periode), c) in crosses {
        if let Some(k) = kecamatan_of(unit) {
            let key = (*tahun, periode.code().to_string(), k);
            pooled.entry(key).or_default().add(c, 1);
        }
    }
    let ids = sums.column("unit_id")?.str()?.clone();
    let kec: Vec<Option<String>> = ids
        .iter()
        .map(|id| {
            id.and_then(|i| registry.get(i))
                .and_then(|u| u.kecamatan.clone())
        })
        .collect();
    let mut df = sums.clone();
    df.with_column(Column::new("kecamatan".into(), kec))?;
    let mut aggs = crate::silver::sums::unsur_summed();
    aggs.push(col("n_responden").sum());
    let grouped = df
        .lazy()
        .filter(col("kecamatan").is_not_null())
        .group_by([col("tahun"), col("periode"), col("kecamatan")])
        .agg(aggs)
        .collect()?;
    let t = grouped.column("tahun")?.i32()?.clone();
    let p = grouped.column("periode")?.str()?.clone();
    let k = grouped.column("kecamatan")?.str()?.clone();
    let responden = grouped.column("n_responden")?.i64()?.clone();
    let mut rows: Vec<Row> = Vec::new();
    for (ui, u) in UNSUR.iter().enumerate() {
        let s = grouped.column(&sum_col(u.key))?.i64()?.clone();
        let n = grouped.column(&n_col(u.key))?.i64()?.clone();
        for i in 0..grouped.height() {
            let periode = p.get(i).unwrap_or("").to_string();
            let n_jawaban = n.get(i).unwrap_or(0);
            let (tahun, kecamatan) = (t.get(i).unwrap_or(0), k.get(i).unwrap_or("").to_string());
            let cross = pooled.get(&(tahun, periode.clone(), kecamatan.clone()));
            let var =
                cross.and_then(|c| margin::nrr_variance(responden.get(i).unwrap_or(0), c, ui));
            rows.push(Row {
                se: (n_jawaban > 0).then_some(margin::se(var)).flatten(),
                tahun,
                kecamatan,
                order: Periode::from_code(&periode)
                    .map(|p| p.order())
                    .unwrap_or(99),
                periode,
                unsur: ui,
                n_jawaban,
                nrr: (n_jawaban > 0).then(|| s.get(i).unwrap_or(0) as f64 / n_jawaban as f64),
            });
        }
    }
    rows.sort_by(|a, b| {
        (a.tahun, &a.kecamatan, a.order, a.unsur).cmp(&(b.tahun, &b.kecamatan, b.order, b.unsur))
    });
    Rows::new(&rows)
        .col("tahun", |r| r.tahun)
        .col("periode", |r| r.periode.as_str())
        .col("kecamatan", |r| r.kecamatan.as_str())
        .col("unsur", |r| UNSUR[r.unsur].key)
        .col("kode", |r| UNSUR[r.unsur].kode)
        .col("n_jawaban", |r| r.n_jawaban)
        .col("nrr", |r| r.nrr)
        .col("nrr_bulat", |r| r.nrr.and_then(|x| round_half_up(x, 3)))
        .col("nrr_se", |r| r.se)
        .col("nrr_bawah", |r| r.interval().0)
        .col("nrr_atas", |r| r.interval().1)
        .frame()
}
