//! `gold/prioritas`: improvement priorities. Per unit, year and period (and city-wide: the mean
//! NRR of the units) the unsur ranked from the lowest NRR. NRR are compared at 3 decimals, as
//! the reports print them; equal NRR are ties (`seri`), share their rank (`peringkat`, 1, 2, 2,
//! 4 …) and are ordered within the tie by the Kota Bekasi code (U1 before U9) in `urutan`.
//! `prioritas` flags the unsur ranked 1–3, so a tie at the third place flags every unsur in it.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::figures::Sumber;
use super::unit_values::UnitValue;
use crate::domain::{round_half_up, Periode, UNSUR};
use crate::tables::build::Rows;

crate::labels! {
    /// Whose figure a row is: one unit's, or the city's.
    pub enum Tingkat {
        Unit = "unit",
        Kota = "kota",
    }
}

/// One row of `prioritas`: one unsur of one unit's (or the city's) period.
struct Row {
    tingkat: Tingkat,
    unit_id: Option<String>,
    tahun: i32,
    periode: String,
    /// Index into `UNSUR`.
    unsur: usize,
    nrr: f64,
    urutan: u32,
    peringkat: u32,
    seri: bool,
}

/// A group's nine NRR, keyed by (unit, year, period order, period).
type Groups = BTreeMap<(String, i32, u8, String), [Option<f64>; 9]>;

/// The `prioritas` table, from `nrr_unsur` and the figure each unit counts with.
pub fn prioritas(nrr_unsur: &DataFrame, values: &[UnitValue]) -> PolarsResult<DataFrame> {
    let groups = unit_groups(nrr_unsur, values)?;
    // City-wide: the mean NRR of the units that have all nine.
    let mut city: BTreeMap<(i32, u8, String), Vec<[f64; 9]>> = BTreeMap::new();
    for ((_, y, o, per), v) in &groups {
        if v.iter().all(Option::is_some) {
            city.entry((*y, *o, per.clone()))
                .or_default()
                .push(v.map(|x| x.unwrap_or(0.0)));
        }
    }
    let mut rows = Vec::new();
    for ((u, y, _, per), v) in &groups {
        rank(&mut rows, Tingkat::Unit, Some(u), *y, per, v);
    }
    for ((y, _, per), vs) in &city {
        let mean: [Option<f64>; 9] =
            std::array::from_fn(|k| Some(vs.iter().map(|v| v[k]).sum::<f64>() / vs.len() as f64));
        rank(&mut rows, Tingkat::Kota, None, *y, per, &mean);
    }
    Rows::new(&rows)
        .col("tingkat", |r| r.tingkat.as_str())
        .col("unit_id", |r| r.unit_id.as_deref())
        .col("tahun", |r| r.tahun)
        .col("periode", |r| r.periode.as_str())
        .col("unsur", |r| UNSUR[r.unsur].key)
        .col("kode", |r| UNSUR[r.unsur].kode)
        .col("nrr", |r| r.nrr)
        .col("nrr_bulat", |r| round_half_up(r.nrr, 3))
        .col("urutan", |r| r.urutan)
        .col("peringkat", |r| r.peringkat)
        .col("seri", |r| r.seri)
        .col("prioritas", |r| r.peringkat <= 3)
        .frame()
}

/// Each unit's nine NRR per year and period, from the rows of the source it counts with.
fn unit_groups(nrr_unsur: &DataFrame, values: &[UnitValue]) -> PolarsResult<Groups> {
    let id = nrr_unsur.column("unit_id")?.str()?.clone();
    let t = nrr_unsur.column("tahun")?.i32()?.clone();
    let p = nrr_unsur.column("periode")?.str()?.clone();
    let kode = nrr_unsur.column("kode")?.str()?.clone();
    let nrr = nrr_unsur.column("nrr")?.f64()?.clone();
    let sumber = nrr_unsur.column("sumber")?.str()?.clone();
    let chosen: BTreeMap<(String, i32, String), Sumber> = values
        .iter()
        .map(|v| ((v.unit_id.clone(), v.tahun, v.periode.clone()), v.sumber))
        .collect();
    let mut groups = Groups::new();
    for i in 0..nrr_unsur.height() {
        let (Some(u), Some(y), Some(per), Some(k), Some(s)) =
            (id.get(i), t.get(i), p.get(i), kode.get(i), sumber.get(i))
        else {
            continue;
        };
        let counted = chosen.get(&(u.to_string(), y, per.to_string()));
        if counted.is_none() || counted.copied() != Sumber::parse(s) {
            continue;
        }
        let order = Periode::from_code(per).map(|p| p.order()).unwrap_or(99);
        let k: usize = k[1..].parse::<usize>().unwrap_or(1) - 1;
        groups
            .entry((u.to_string(), y, order, per.to_string()))
            .or_insert([None; 9])[k] = nrr.get(i);
    }
    Ok(groups)
}

/// Ranks one group's unsur from the lowest NRR (compared at 3 decimals), ties by code.
fn rank(
    out: &mut Vec<Row>,
    tingkat: Tingkat,
    unit: Option<&String>,
    tahun: i32,
    periode: &str,
    v: &[Option<f64>; 9],
) {
    let mut items: Vec<(usize, f64, f64)> = v
        .iter()
        .enumerate()
        .filter_map(|(k, x)| x.map(|x| (k, x, round_half_up(x, 3).unwrap_or(x))))
        .collect();
    items.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)));
    for (pos, (k, x, r)) in items.iter().enumerate() {
        let first = items.iter().position(|o| o.2 == *r).unwrap_or(pos);
        out.push(Row {
            tingkat,
            unit_id: unit.cloned(),
            tahun,
            periode: periode.to_string(),
            unsur: *k,
            nrr: *x,
            urutan: pos as u32 + 1,
            peringkat: first as u32 + 1,
            seri: items.iter().filter(|o| o.2 == *r).count() > 1,
        });
    }
}
