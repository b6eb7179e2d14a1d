//! `ikm_unit`'s comparisons (issue 30): for every figure a unit counts with
//! (`unit_values`), the change from the unit's figure before it and the gap to the city mean,
//! each with whether it is beyond noise at 95%, and its rank among the units of the same year
//! and period with the range of ranks it could hold within noise (`domain::margin`).

use std::collections::BTreeMap;

use polars::prelude::*;

use super::unit_values::{city_mean, CityMean, UnitValue};
use crate::domain::margin::{gap_to_mean_variance, nyata, rank_ranges};
use crate::domain::Periode;
use crate::tables::build::Rows;

/// One row's comparisons (all `None` on a row the unit does not count with).
#[derive(Default)]
struct Banding {
    sebelum: Option<(i32, String)>,
    selisih_sebelum: Option<f64>,
    selisih_sebelum_nyata: Option<bool>,
    selisih_kota: Option<f64>,
    selisih_kota_nyata: Option<bool>,
    peringkat: Option<(u32, u32, u32)>,
}

fn order(v: &UnitValue) -> (i32, u8) {
    (
        v.tahun,
        Periode::from_code(&v.periode).map_or(u8::MAX, Periode::order),
    )
}

/// The figure before `v` among the unit's: last year's for a year (`TAHUN`), else the latest
/// wave before it, whatever its kind (S1 before TW3, TW4 of last year before TW1).
fn before<'a>(v: &UnitValue, unit: &[&'a UnitValue]) -> Option<&'a UnitValue> {
    let year = v.periode == Periode::Tahun.code();
    if year {
        let prev = v.tahun - 1;
        return unit
            .iter()
            .copied()
            .find(|u| u.tahun == prev && u.periode == v.periode);
    }
    unit.iter()
        .copied()
        .filter(|u| u.periode != Periode::Tahun.code() && order(u) < order(v))
        .max_by_key(|u| order(u))
}

/// Every counted figure's comparisons, by unit, year and period.
fn comparisons(values: &[UnitValue]) -> BTreeMap<(&str, i32, &str), (&UnitValue, Banding)> {
    let mut by_unit: BTreeMap<&str, Vec<&UnitValue>> = BTreeMap::new();
    let mut by_period: BTreeMap<(i32, &str), Vec<&UnitValue>> = BTreeMap::new();
    for v in values {
        by_unit.entry(&v.unit_id).or_default().push(v);
        by_period.entry((v.tahun, &v.periode)).or_default().push(v);
    }
    let mut out = BTreeMap::new();
    for group in by_period.values() {
        let CityMean {
            ikm: mean,
            total_var: total,
            n,
        } = city_mean(group.iter().copied());
        let ranks = rank_ranges(
            &group
                .iter()
                .map(|v| (v.ikm, v.var.unwrap_or(0.0).sqrt()))
                .collect::<Vec<_>>(),
        );
        for (v, rank) in group.iter().zip(ranks) {
            let prev = before(v, &by_unit[v.unit_id.as_str()]);
            let selisih_sebelum = prev.map(|p| v.ikm - p.ikm);
            let selisih_kota = Some(v.ikm - mean);
            let b = Banding {
                sebelum: prev.map(|p| (p.tahun, p.periode.clone())),
                selisih_sebelum,
                selisih_sebelum_nyata: nyata(
                    selisih_sebelum,
                    v.var.zip(prev.and_then(|p| p.var)).map(|(a, b)| a + b),
                ),
                selisih_kota,
                selisih_kota_nyata: nyata(
                    selisih_kota,
                    v.var.map(|u| gap_to_mean_variance(u, total, n)),
                ),
                peringkat: Some(rank),
            };
            out.insert((v.unit_id.as_str(), v.tahun, v.periode.as_str()), (*v, b));
        }
    }
    out
}

/// `ikm_unit` with its comparison columns added at the end.
pub fn with_comparisons(ikm_unit: DataFrame, values: &[UnitValue]) -> PolarsResult<DataFrame> {
    let found = comparisons(values);
    let id = ikm_unit.column("unit_id")?.str()?.clone();
    let tahun = ikm_unit.column("tahun")?.i32()?.clone();
    let periode = ikm_unit.column("periode")?.str()?.clone();
    let sumber = ikm_unit.column("sumber")?.str()?.clone();
    let none = Banding::default();
    let rows: Vec<&Banding> = (0..ikm_unit.height())
        .map(|i| {
            let key = (
                id.get(i).unwrap_or(""),
                tahun.get(i).unwrap_or(0),
                periode.get(i).unwrap_or(""),
            );
            match found.get(&key) {
                Some((v, b)) if sumber.get(i) == Some(v.sumber.as_str()) => b,
                _ => &none,
            }
        })
        .collect();
    let added = Rows::new(&rows)
        .col("tahun_sebelum", |b| b.sebelum.as_ref().map(|s| s.0))
        .col("periode_sebelum", |b| {
            b.sebelum.as_ref().map(|s| s.1.as_str())
        })
        .col("selisih_sebelum", |b| b.selisih_sebelum)
        .col("selisih_sebelum_nyata", |b| b.selisih_sebelum_nyata)
        .col("selisih_kota", |b| b.selisih_kota)
        .col("selisih_kota_nyata", |b| b.selisih_kota_nyata)
        .col("peringkat", |b| b.peringkat.map(|r| r.0))
        .col("peringkat_min", |b| b.peringkat.map(|r| r.1))
        .col("peringkat_maks", |b| b.peringkat.map(|r| r.2))
        .frame()?;
    let mut df = ikm_unit;
    df.hstack_mut(added.columns())?;
    Ok(df)
}
