//! `gold/sampel`: sample adequacy per unit and year: the population (configuration, else the
//! registry, else a recap), the Krejcie–Morgan minimum, the respondents counted (raw data, else
//! as a recap states) and whether they suffice.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::figures::Sumber;
use crate::config::Config;
use crate::domain::{krejcie_morgan, Periode};
use crate::registry::Registry;
use crate::tables::build::Rows;

crate::labels! {
    /// Where a unit's population came from (`sampel.sumber_populasi`).
    pub enum SumberPopulasi {
        Konfigurasi = "konfigurasi",
        Registri = "registri",
        Rekap = "rekap",
    }
}

crate::labels! {
    /// Where a unit's respondent count came from (`sampel.sumber_responden`).
    pub enum SumberResponden {
        Responden = "responden",
        Rekap = "rekap",
        TidakAda = "tidak_ada",
    }
}

/// One row of `sampel`.
struct Row {
    unit_id: String,
    tahun: i32,
    populasi: Option<i64>,
    sumber_populasi: Option<SumberPopulasi>,
    sampel_minimum: Option<i64>,
    n_responden: Option<i64>,
    sumber_responden: SumberResponden,
    cukup: Option<bool>,
}

/// The `sampel` table.
pub fn sampel(
    ikm_unit: &DataFrame,
    recap_pop: &BTreeMap<(String, i32), i64>,
    config: &Config,
    registry: &Registry,
) -> PolarsResult<DataFrame> {
    let mut rows = Vec::new();
    for ((u, y), (n, src)) in respondents(ikm_unit)? {
        let (populasi, sumber_populasi) = match (
            config.populasi.get(&u),
            registry.get(&u).and_then(|x| x.populasi),
            recap_pop.get(&(u.clone(), y)),
        ) {
            (Some(p), _, _) => (Some(*p as i64), Some(SumberPopulasi::Konfigurasi)),
            (None, Some(p), _) => (Some(p as i64), Some(SumberPopulasi::Registri)),
            (None, None, Some(p)) => (Some(*p), Some(SumberPopulasi::Rekap)),
            _ => (None, None),
        };
        let minimum = populasi.map(|p| krejcie_morgan(p.max(0) as u64) as i64);
        rows.push(Row {
            unit_id: u,
            tahun: y,
            populasi,
            sumber_populasi,
            sampel_minimum: minimum,
            n_responden: n,
            sumber_responden: src,
            cukup: minimum.zip(n).map(|(m, n)| n >= m),
        });
    }
    Rows::new(&rows)
        .col("unit_id", |r| r.unit_id.as_str())
        .col("tahun", |r| r.tahun)
        .col("populasi", |r| r.populasi)
        .col("sumber_populasi", |r| {
            r.sumber_populasi.map(SumberPopulasi::as_str)
        })
        .col("sampel_minimum", |r| r.sampel_minimum)
        .col("n_responden", |r| r.n_responden)
        .col("sumber_responden", |r| r.sumber_responden.as_str())
        .col("cukup", |r| r.cukup)
        .frame()
}

/// Each unit's respondents per year: from its raw data, else as a recap states them.
/// Per unit and year: its respondents and where the count came from.
type Respondents = BTreeMap<(String, i32), (Option<i64>, SumberResponden)>;

fn respondents(ikm_unit: &DataFrame) -> PolarsResult<Respondents> {
    let id = ikm_unit.column("unit_id")?.str()?.clone();
    let t = ikm_unit.column("tahun")?.i32()?.clone();
    let p = ikm_unit.column("periode")?.str()?.clone();
    let s = ikm_unit.column("sumber")?.str()?.clone();
    let n = ikm_unit.column("n_responden")?.i64()?.clone();
    let mut resp = BTreeMap::new();
    for i in 0..ikm_unit.height() {
        let (Some(u), Some(y), Some(per), Some(src)) = (id.get(i), t.get(i), p.get(i), s.get(i))
        else {
            continue;
        };
        if per != Periode::Tahun.code() {
            continue;
        }
        let e = resp
            .entry((u.to_string(), y))
            .or_insert((None, SumberResponden::TidakAda));
        if Sumber::parse(src) == Some(Sumber::Responden) {
            *e = (n.get(i), SumberResponden::Responden);
        } else if e.1 != SumberResponden::Responden && n.get(i).is_some() {
            *e = (n.get(i), SumberResponden::Rekap);
        }
    }
    Ok(resp)
}
