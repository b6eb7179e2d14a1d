//! `gold/ikm_kota` and `gold/unit_tidak_lapor`: the city figure per year and period (the mean of
//! the units' figures, and the respondent-pooled figure beside it), and the units the registry
//! expects that submitted nothing for a year.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use super::figures::Sumber;
use super::unit_values::{city_mean, UnitValue};
use super::{graded, nrr_at, sum_columns};
use crate::domain::margin::{self, interval, mean_variance, nyata};
use crate::domain::{ikm_from_nrr, Mutu, Periode};
use crate::registry::{Registry, Unit};
use crate::tables::build::Rows;

/// One row of `ikm_kota`.
struct KotaRow {
    tahun: i32,
    periode: String,
    n_unit: u32,
    n_unit_responden: u32,
    n_unit_rekap: u32,
    ikm: f64,
    /// The variance of `ikm` (`city_variance`).
    var: Option<f64>,
    ikm_gabungan: Option<f64>,
    /// Units graded A, B, C, D.
    n_mutu: [u32; 4],
    unit_tertinggi: String,
    ikm_tertinggi: f64,
    unit_terendah: String,
    ikm_terendah: f64,
    selisih_tahun_lalu: Option<f64>,
    selisih_tahun_lalu_nyata: Option<bool>,
    n_unit_tidak_lapor: Option<u32>,
}

/// The `ikm_kota` and `unit_tidak_lapor` tables.
pub fn ikm_kota(
    values: &[UnitValue],
    sums: &DataFrame,
    registry: &Registry,
) -> PolarsResult<(DataFrame, DataFrame)> {
    let pooled = pooled_ikm(sums)?;
    let mut groups: BTreeMap<(i32, String), Vec<&UnitValue>> = BTreeMap::new();
    for v in values {
        groups
            .entry((v.tahun, v.periode.clone()))
            .or_default()
            .push(v);
    }
    let year_ikm: BTreeMap<i32, (f64, Option<f64>)> = groups
        .iter()
        .filter(|((_, p), _)| p == Periode::Tahun.code())
        .map(|((t, _), vs)| (*t, (mean(vs), city_variance(vs))))
        .collect();
    let expected: Vec<&Unit> = registry.service_units().collect();
    let mut keys: Vec<&(i32, String)> = groups.keys().collect();
    keys.sort_by_key(|(t, p)| (*t, Periode::from_code(p).map(|p| p.order()).unwrap_or(99)));
    let mut rows = Vec::new();
    let mut missing: Vec<(i32, &str, &Unit)> = Vec::new();
    for key in keys {
        let vs = &groups[key];
        let (t, p) = key;
        let is_year = p == Periode::Tahun.code();
        let absent: Vec<&Unit> = if is_year {
            let present: BTreeSet<&str> = vs.iter().map(|v| v.unit_id.as_str()).collect();
            expected
                .iter()
                .copied()
                .filter(|u| !present.contains(u.unit_id.as_str()))
                .collect()
        } else {
            Vec::new()
        };
        missing.extend(absent.iter().map(|u| (*t, p.as_str(), *u)));
        let (hi, lo) = extremes(vs, registry);
        let ikm = mean(vs);
        let var = city_variance(vs);
        let last_year = is_year.then(|| year_ikm.get(&(t - 1))).flatten();
        let selisih = last_year.map(|(prev, _)| ikm - prev);
        rows.push(KotaRow {
            tahun: *t,
            periode: p.clone(),
            n_unit: vs.len() as u32,
            n_unit_responden: count(vs, |v| v.sumber == Sumber::Responden),
            n_unit_rekap: count(vs, |v| v.sumber == Sumber::Rekap),
            ikm,
            var,
            ikm_gabungan: pooled.get(key).copied(),
            n_mutu: [Mutu::A, Mutu::B, Mutu::C, Mutu::D]
                .map(|m| count(vs, |v| Mutu::of_ikm(v.ikm) == Some(m))),
            unit_tertinggi: unit_name(registry, &hi.unit_id),
            ikm_tertinggi: hi.ikm,
            unit_terendah: unit_name(registry, &lo.unit_id),
            ikm_terendah: lo.ikm,
            selisih_tahun_lalu: selisih,
            selisih_tahun_lalu_nyata: last_year
                .and_then(|(_, v0)| nyata(selisih, var.zip(*v0).map(|(a, b)| a + b))),
            n_unit_tidak_lapor: is_year.then_some(absent.len() as u32),
        });
    }
    let kota = graded(
        Rows::new(&rows)
            .col("tahun", |r| r.tahun)
            .col("periode", |r| r.periode.as_str())
            .col("n_unit", |r| r.n_unit)
            .col("n_unit_responden", |r| r.n_unit_responden)
            .col("n_unit_rekap", |r| r.n_unit_rekap)
            .col("ikm", |r| Some(r.ikm)),
        "ikm",
        |r| Some(r.ikm),
    )
    .col("ikm_se", |r| margin::se(r.var))
    .col("ikm_bawah", |r| r.interval().0)
    .col("ikm_atas", |r| r.interval().1)
    .col("ikm_gabungan", |r| r.ikm_gabungan)
    .each(
        ["n_a", "n_b", "n_c", "n_d"],
        |c| c.to_string(),
        |r, k| r.n_mutu[k],
    )
    .col("unit_tertinggi", |r| r.unit_tertinggi.as_str())
    .col("ikm_tertinggi", |r| r.ikm_tertinggi)
    .col("unit_terendah", |r| r.unit_terendah.as_str())
    .col("ikm_terendah", |r| r.ikm_terendah)
    .col("selisih_tahun_lalu", |r| r.selisih_tahun_lalu)
    .col("selisih_tahun_lalu_nyata", |r| r.selisih_tahun_lalu_nyata)
    .col("n_unit_tidak_lapor", |r| r.n_unit_tidak_lapor)
    .frame()?;
    let tidak_lapor = Rows::new(&missing)
        .col("tahun", |(t, _, _)| *t)
        .col("periode", |(_, p, _)| *p)
        .col("unit_id", |(_, _, u)| u.unit_id.as_str())
        .col("unit_nama", |(_, _, u)| u.nama.as_str())
        .col("jenis_unit", |(_, _, u)| u.jenis_unit.as_str())
        .frame()?;
    Ok((kota, tidak_lapor))
}

impl KotaRow {
    fn interval(&self) -> (Option<f64>, Option<f64>) {
        margin::clamped(interval(Some(self.ikm), margin::se(self.var)), 25.0, 100.0)
    }
}

/// The variance of the city mean: its units' errors (a recap's figure, which states none,
/// counted as exact); `None` when no unit's figure comes from respondents.
fn city_variance(vs: &[&UnitValue]) -> Option<f64> {
    vs.iter().any(|v| v.sumber == Sumber::Responden).then(|| {
        let c = city_mean(vs.iter().copied());
        mean_variance(c.total_var, c.n)
    })
}

fn mean(vs: &[&UnitValue]) -> f64 {
    city_mean(vs.iter().copied()).ikm
}

fn count(vs: &[&UnitValue], f: impl Fn(&UnitValue) -> bool) -> u32 {
    vs.iter().filter(|v| f(v)).count() as u32
}

fn unit_name(registry: &Registry, id: &str) -> String {
    registry
        .get(id)
        .map(|u| u.nama.clone())
        .unwrap_or_else(|| id.to_string())
}

/// The highest and the lowest unit of a group; ties go to the first unit in registry order.
fn extremes<'v>(vs: &[&'v UnitValue], registry: &Registry) -> (&'v UnitValue, &'v UnitValue) {
    let order = |id: &str| {
        registry
            .units()
            .iter()
            .position(|u| u.unit_id == id)
            .unwrap_or(usize::MAX)
    };
    let hi = vs
        .iter()
        .max_by(|a, b| {
            a.ikm
                .total_cmp(&b.ikm)
                .then(order(&b.unit_id).cmp(&order(&a.unit_id)))
        })
        .expect("a group has a unit");
    let lo = vs
        .iter()
        .min_by(|a, b| {
            a.ikm
                .total_cmp(&b.ikm)
                .then(order(&a.unit_id).cmp(&order(&b.unit_id)))
        })
        .expect("a group has a unit");
    (hi, lo)
}

/// The respondent-pooled IKM per (tahun, periode) over every unit's raw data (Polars).
fn pooled_ikm(sums: &DataFrame) -> PolarsResult<BTreeMap<(i32, String), f64>> {
    let aggs = crate::silver::sums::unsur_summed();
    let df = sums
        .clone()
        .lazy()
        .group_by([col("tahun"), col("periode")])
        .agg(aggs)
        .collect()?;
    let mut out = BTreeMap::new();
    let t = df.column("tahun")?.i32()?.clone();
    let p = df.column("periode")?.str()?.clone();
    let cols = sum_columns(&df)?;
    for i in 0..df.height() {
        let nrr = nrr_at(&cols, i);
        if let (Some(t), Some(p), Some(v)) = (t.get(i), p.get(i), ikm_from_nrr(&nrr)) {
            out.insert((t, p.to_string()), v);
        }
    }
    Ok(out)
}

/// The city IKM per year (`ikm_kota`'s TAHUN rows), full precision (`skm_run.ikm_kota`).
pub fn per_year(k: &DataFrame) -> Vec<(i32, Option<f64>)> {
    let (Ok(t), Ok(p), Ok(v)) = (
        k.column("tahun").and_then(|c| c.i32().cloned()),
        k.column("periode").and_then(|c| c.str().cloned()),
        k.column("ikm").and_then(|c| c.f64().cloned()),
    ) else {
        return Vec::new();
    };
    (0..k.height())
        .filter(|&i| p.get(i) == Some("TAHUN"))
        .filter_map(|i| Some((t.get(i)?, v.get(i))))
        .collect()
}
