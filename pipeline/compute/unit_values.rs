//! The figure each unit counts with in the city figure, the kecamatan comparison and the
//! priorities: from respondents where it has raw data, else as a recap states it. The `pemda`
//! entry (the city government as a whole) never counts.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::figures::Sumber;

/// One unit's figure for a year and period.
#[derive(Debug, Clone)]
pub struct UnitValue {
    pub unit_id: String,
    pub tahun: i32,
    pub periode: String,
    pub ikm: f64,
    pub sumber: Sumber,
    pub n_responden: Option<i64>,
    /// The variance of `ikm` (its `ikm_se` squared); `None` for a recap's figure.
    pub var: Option<f64>,
}

/// The city mean of a group of unit values (one year and period): the plain mean of their IKM,
/// the sum of their variances (a recap's figure, which states none, counted as exact) and their
/// number. The one place `ikm_kota`, `kecamatan` and `banding` take the city figure from.
pub struct CityMean {
    pub ikm: f64,
    pub total_var: f64,
    pub n: usize,
}

pub fn city_mean<'a>(vs: impl IntoIterator<Item = &'a UnitValue>) -> CityMean {
    let (mut sum, mut total_var, mut n) = (0.0, 0.0, 0);
    for v in vs {
        sum += v.ikm;
        total_var += v.var.unwrap_or(0.0);
        n += 1;
    }
    CityMean {
        ikm: sum / n as f64,
        total_var,
        n,
    }
}

/// The unit values of `ikm_unit`, one per unit × year × period (respondents preferred).
pub fn unit_values(ikm_unit: &DataFrame) -> PolarsResult<Vec<UnitValue>> {
    let id = ikm_unit.column("unit_id")?.str()?.clone();
    let tahun = ikm_unit.column("tahun")?.i32()?.clone();
    let periode = ikm_unit.column("periode")?.str()?.clone();
    let ikm = ikm_unit.column("ikm")?.f64()?.clone();
    let se = ikm_unit.column("ikm_se")?.f64()?.clone();
    let sumber = ikm_unit.column("sumber")?.str()?.clone();
    let n = ikm_unit.column("n_responden")?.i64()?.clone();
    let jenis = ikm_unit.column("jenis_unit")?.str()?.clone();
    let mut best: BTreeMap<(String, i32, String), UnitValue> = BTreeMap::new();
    for i in 0..ikm_unit.height() {
        let (Some(u), Some(t), Some(p), Some(v), Some(s)) = (
            id.get(i),
            tahun.get(i),
            periode.get(i),
            ikm.get(i),
            sumber.get(i).and_then(Sumber::parse),
        ) else {
            continue;
        };
        if jenis.get(i) == Some("pemda") {
            continue;
        }
        let key = (u.to_string(), t, p.to_string());
        let taken = best.get(&key).map(|b| b.sumber);
        if taken.is_none() || (s == Sumber::Responden && taken != Some(Sumber::Responden)) {
            best.insert(
                key,
                UnitValue {
                    unit_id: u.to_string(),
                    tahun: t,
                    periode: p.to_string(),
                    ikm: v,
                    sumber: s,
                    n_responden: n.get(i),
                    var: se.get(i).map(|s| s * s),
                },
            );
        }
    }
    Ok(best.into_values().collect())
}
