//! What the Bagian Organisasi reports and analysts ask for (DOMAIN.md, "The city figure and
//! comparisons", "Sample size", "Improvement priority"): the city figure per year and period,
//! units that submitted nothing, the kecamatan comparison, improvement priorities, sample
//! adequacy, breakdowns by respondent profile, and the yearly figure under every rule.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use crate::config::Config;
use crate::domain::{ikm_from_nrr, krejcie_morgan, round_half_up, Mutu, Periode, UNSUR};
use crate::registry::Registry;

use super::figures::YearAlt;
use super::{n_col, nrr_at, sum_col, sum_columns};

/// One unit's figure for a year and period, as the city figure uses it: from respondents
/// where there are any, else as a recap states it.
#[derive(Debug, Clone)]
pub struct UnitValue {
    pub unit_id: String,
    pub tahun: i32,
    pub periode: String,
    pub ikm: f64,
    pub sumber: String,
    pub n_responden: Option<i64>,
}

/// The unit values of `ikm_unit`, one per unit × year × period (respondents preferred).
pub fn unit_values(ikm_unit: &DataFrame) -> PolarsResult<Vec<UnitValue>> {
    let id = ikm_unit.column("unit_id")?.str()?.clone();
    let tahun = ikm_unit.column("tahun")?.i32()?.clone();
    let periode = ikm_unit.column("periode")?.str()?.clone();
    let ikm = ikm_unit.column("ikm")?.f64()?.clone();
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
            sumber.get(i),
        ) else {
            continue;
        };
        if jenis.get(i) == Some("pemda") {
            continue;
        }
        let key = (u.to_string(), t, p.to_string());
        let candidate = UnitValue {
            unit_id: u.to_string(),
            tahun: t,
            periode: p.to_string(),
            ikm: v,
            sumber: s.to_string(),
            n_responden: n.get(i),
        };
        match best.get(&key) {
            Some(b) if b.sumber == "responden" => {}
            _ => {
                if s == "responden" || !best.contains_key(&key) {
                    best.insert(key, candidate);
                }
            }
        }
    }
    Ok(best.into_values().collect())
}

fn label_cols(prefix: &str, v: &[Option<f64>]) -> Vec<Column> {
    let mutu: Vec<Option<Mutu>> = v.iter().map(|x| x.and_then(Mutu::of_ikm)).collect();
    vec![
        Column::new(
            format!("{prefix}_bulat").into(),
            v.iter()
                .map(|x| x.and_then(|y| round_half_up(y, 2)))
                .collect::<Vec<_>>(),
        ),
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
    ]
}

/// The city figure per year and period, and the units expected by the registry that
/// submitted nothing for the year.
pub fn kota(
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
    let name = |id: &str| {
        registry
            .get(id)
            .map(|u| u.nama.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let year_ikm: BTreeMap<i32, f64> = groups
        .iter()
        .filter(|((_, p), _)| p == Periode::Tahun.code())
        .map(|((t, _), vs)| (*t, vs.iter().map(|v| v.ikm).sum::<f64>() / vs.len() as f64))
        .collect();
    let expected: Vec<&crate::registry::Unit> = registry.service_units().collect();
    let mut rows: Vec<(i32, String)> = Vec::new();
    let (mut n_unit, mut n_resp, mut n_rekap, mut ikm, mut gab) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut counts: [Vec<u32>; 4] = Default::default();
    let (mut hi_u, mut hi_v, mut lo_u, mut lo_v) = (vec![], vec![], vec![], vec![]);
    let (mut change, mut missing_n) = (vec![], vec![]);
    let (mut miss_t, mut miss_p, mut miss_id, mut miss_nama, mut miss_jenis) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut periode_order: Vec<((i32, u8), (i32, String))> = groups
        .keys()
        .map(|(t, p)| {
            (
                (*t, Periode::from_code(p).map(|p| p.order()).unwrap_or(99)),
                (*t, p.clone()),
            )
        })
        .collect();
    periode_order.sort();
    for (_, key) in periode_order {
        let vs = &groups[&key];
        let (t, p) = &key;
        rows.push(key.clone());
        let mean = vs.iter().map(|v| v.ikm).sum::<f64>() / vs.len() as f64;
        n_unit.push(vs.len() as u32);
        n_resp.push(vs.iter().filter(|v| v.sumber == "responden").count() as u32);
        n_rekap.push(vs.iter().filter(|v| v.sumber == "rekap").count() as u32);
        ikm.push(Some(mean));
        gab.push(pooled.get(&key).copied());
        for (i, m) in [Mutu::A, Mutu::B, Mutu::C, Mutu::D].iter().enumerate() {
            counts[i].push(
                vs.iter()
                    .filter(|v| Mutu::of_ikm(v.ikm) == Some(*m))
                    .count() as u32,
            );
        }
        // Highest and lowest; ties go to the first unit in registry order.
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
            .expect("non-empty");
        let lo = vs
            .iter()
            .min_by(|a, b| {
                a.ikm
                    .total_cmp(&b.ikm)
                    .then(order(&a.unit_id).cmp(&order(&b.unit_id)))
            })
            .expect("non-empty");
        hi_u.push(name(&hi.unit_id));
        hi_v.push(hi.ikm);
        lo_u.push(name(&lo.unit_id));
        lo_v.push(lo.ikm);
        change.push(if p == Periode::Tahun.code() {
            year_ikm.get(&(t - 1)).map(|prev| mean - prev)
        } else {
            None
        });
        if p == Periode::Tahun.code() {
            let present: BTreeSet<&str> = vs.iter().map(|v| v.unit_id.as_str()).collect();
            let missing: Vec<_> = expected
                .iter()
                .filter(|u| !present.contains(u.unit_id.as_str()))
                .collect();
            missing_n.push(Some(missing.len() as u32));
            for u in missing {
                miss_t.push(*t);
                miss_p.push(p.clone());
                miss_id.push(u.unit_id.clone());
                miss_nama.push(u.nama.clone());
                miss_jenis.push(u.jenis_unit.clone());
            }
        } else {
            missing_n.push(None);
        }
    }
    let mut cols = vec![
        Column::new("tahun".into(), rows.iter().map(|r| r.0).collect::<Vec<_>>()),
        Column::new(
            "periode".into(),
            rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
        ),
        Column::new("n_unit".into(), n_unit),
        Column::new("n_unit_responden".into(), n_resp),
        Column::new("n_unit_rekap".into(), n_rekap),
        Column::new("ikm".into(), ikm.clone()),
    ];
    cols.extend(label_cols("ikm", &ikm));
    cols.push(Column::new("ikm_gabungan".into(), gab));
    for (i, c) in ["n_a", "n_b", "n_c", "n_d"].iter().enumerate() {
        cols.push(Column::new((*c).into(), std::mem::take(&mut counts[i])));
    }
    cols.extend([
        Column::new("unit_tertinggi".into(), hi_u),
        Column::new("ikm_tertinggi".into(), hi_v),
        Column::new("unit_terendah".into(), lo_u),
        Column::new("ikm_terendah".into(), lo_v),
        Column::new("selisih_tahun_lalu".into(), change),
        Column::new("n_unit_tidak_lapor".into(), missing_n),
    ]);
    let kota = DataFrame::new(rows.len(), cols)?;
    let n = miss_id.len();
    let tidak_lapor = DataFrame::new(
        n,
        vec![
            Column::new("tahun".into(), miss_t),
            Column::new("periode".into(), miss_p),
            Column::new("unit_id".into(), miss_id),
            Column::new("unit_nama".into(), miss_nama),
            Column::new("jenis_unit".into(), miss_jenis),
        ],
    )?;
    Ok((kota, tidak_lapor))
}

/// The respondent-pooled IKM per (tahun, periode) over every unit's raw data (Polars).
fn pooled_ikm(sums: &DataFrame) -> PolarsResult<BTreeMap<(i32, String), f64>> {
    let aggs: Vec<Expr> = UNSUR
        .iter()
        .flat_map(|u| [col(sum_col(u.key)).sum(), col(n_col(u.key)).sum()])
        .collect();
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

/// The 12 kecamatan offices ranked by their yearly IKM, with the gap to the city mean and to
/// last year, and the units located in each (count, mean, lowest; located by registry or by
/// a kelurahan in their name).
pub fn kecamatan(values: &[UnitValue], registry: &Registry) -> PolarsResult<DataFrame> {
    let year: Vec<&UnitValue> = values
        .iter()
        .filter(|v| v.periode == Periode::Tahun.code())
        .collect();
    let years: BTreeSet<i32> = year.iter().map(|v| v.tahun).collect();
    let city: BTreeMap<i32, f64> = years
        .iter()
        .map(|t| {
            let vs: Vec<f64> = year
                .iter()
                .filter(|v| v.tahun == *t)
                .map(|v| v.ikm)
                .collect();
            (*t, vs.iter().sum::<f64>() / vs.len() as f64)
        })
        .collect();
    let value = |id: &str, t: i32| {
        year.iter()
            .find(|v| v.unit_id == id && v.tahun == t)
            .map(|v| v.ikm)
    };
    let offices: Vec<&crate::registry::Unit> = registry
        .units()
        .iter()
        .filter(|u| u.jenis_unit == "kecamatan")
        .collect();
    let mut rows = Vec::new();
    for &t in &years {
        let mut ranked: Vec<(&crate::registry::Unit, Option<f64>)> =
            offices.iter().map(|u| (*u, value(&u.unit_id, t))).collect();
        ranked.sort_by(|a, b| match (a.1, b.1) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            _ => std::cmp::Ordering::Equal,
        });
        for (i, (office, v)) in ranked.into_iter().enumerate() {
            let kec = office.kecamatan.clone().unwrap_or_default();
            let located: Vec<(&crate::registry::Unit, f64)> = registry
                .units()
                .iter()
                .filter(|u| {
                    u.kecamatan.as_deref() == Some(kec.as_str()) && u.unit_id != office.unit_id
                })
                .filter_map(|u| value(&u.unit_id, t).map(|v| (u, v)))
                .collect();
            let n_inferred = registry
                .units()
                .iter()
                .filter(|u| {
                    u.kecamatan.as_deref() == Some(kec.as_str()) && u.unit_id != office.unit_id
                })
                .filter(|u| u.kecamatan_basis == Some(crate::registry::LokasiBasis::Inferred))
                .count();
            let lowest = located.iter().min_by(|a, b| a.1.total_cmp(&b.1));
            rows.push((
                t,
                kec,
                office.unit_id.clone(),
                v.map(|_| i as u32 + 1),
                v,
                v.map(|x| x - city[&t]),
                v.and_then(|x| value(&office.unit_id, t - 1).map(|p| x - p)),
                located.len() as u32,
                n_inferred as u32,
                (!located.is_empty())
                    .then(|| located.iter().map(|l| l.1).sum::<f64>() / located.len() as f64),
                lowest.map(|l| l.0.nama.clone()),
                lowest.map(|l| l.1),
            ));
        }
    }
    let ikm: Vec<Option<f64>> = rows.iter().map(|r| r.4).collect();
    let mut cols = vec![
        Column::new("tahun".into(), rows.iter().map(|r| r.0).collect::<Vec<_>>()),
        Column::new(
            "kecamatan".into(),
            rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "unit_id".into(),
            rows.iter().map(|r| r.2.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "peringkat".into(),
            rows.iter().map(|r| r.3).collect::<Vec<_>>(),
        ),
        Column::new("ikm".into(), ikm.clone()),
    ];
    cols.extend(label_cols("ikm", &ikm));
    cols.extend([
        Column::new(
            "selisih_kota".into(),
            rows.iter().map(|r| r.5).collect::<Vec<_>>(),
        ),
        Column::new(
            "selisih_tahun_lalu".into(),
            rows.iter().map(|r| r.6).collect::<Vec<_>>(),
        ),
        Column::new(
            "n_unit_lokasi".into(),
            rows.iter().map(|r| r.7).collect::<Vec<_>>(),
        ),
        Column::new(
            "n_lokasi_inferensi".into(),
            rows.iter().map(|r| r.8).collect::<Vec<_>>(),
        ),
        Column::new(
            "ikm_rata_lokasi".into(),
            rows.iter().map(|r| r.9).collect::<Vec<_>>(),
        ),
        Column::new(
            "unit_terendah_lokasi".into(),
            rows.iter().map(|r| r.10.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "ikm_terendah_lokasi".into(),
            rows.iter().map(|r| r.11).collect::<Vec<_>>(),
        ),
    ]);
    DataFrame::new(rows.len(), cols)
}

/// NRR per kecamatan × unsur from the raw data of the units located there (a heat map):
/// respondents pooled per year and period.
pub fn kecamatan_unsur(sums: &DataFrame, registry: &Registry) -> PolarsResult<DataFrame> {
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
    let aggs: Vec<Expr> = UNSUR
        .iter()
        .flat_map(|u| [col(sum_col(u.key)).sum(), col(n_col(u.key)).sum()])
        .collect();
    let grouped = df
        .lazy()
        .filter(col("kecamatan").is_not_null())
        .group_by([col("tahun"), col("periode"), col("kecamatan")])
        .agg(aggs)
        .collect()?;
    let t = grouped.column("tahun")?.i32()?.clone();
    let p = grouped.column("periode")?.str()?.clone();
    let k = grouped.column("kecamatan")?.str()?.clone();
    let mut rows: Vec<(i32, String, u8, String, usize, i64, Option<f64>)> = Vec::new();
    for (ui, u) in UNSUR.iter().enumerate() {
        let s = grouped.column(&sum_col(u.key))?.i64()?.clone();
        let n = grouped.column(&n_col(u.key))?.i64()?.clone();
        for i in 0..grouped.height() {
            let per = p.get(i).unwrap_or("").to_string();
            let order = Periode::from_code(&per).map(|p| p.order()).unwrap_or(99);
            let nn = n.get(i).unwrap_or(0);
            rows.push((
                t.get(i).unwrap_or(0),
                k.get(i).unwrap_or("").to_string(),
                order,
                per,
                ui,
                nn,
                (nn > 0).then(|| s.get(i).unwrap_or(0) as f64 / nn as f64),
            ));
        }
    }
    rows.sort_by(|a, b| (a.0, &a.1, a.2, a.4).cmp(&(b.0, &b.1, b.2, b.4)));
    let nrr: Vec<Option<f64>> = rows.iter().map(|r| r.6).collect();
    DataFrame::new(
        rows.len(),
        vec![
            Column::new("tahun".into(), rows.iter().map(|r| r.0).collect::<Vec<_>>()),
            Column::new(
                "periode".into(),
                rows.iter().map(|r| r.3.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "kecamatan".into(),
                rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "unsur".into(),
                rows.iter().map(|r| UNSUR[r.4].key).collect::<Vec<_>>(),
            ),
            Column::new(
                "kode".into(),
                rows.iter().map(|r| UNSUR[r.4].kode).collect::<Vec<_>>(),
            ),
            Column::new(
                "n_jawaban".into(),
                rows.iter().map(|r| r.5).collect::<Vec<_>>(),
            ),
            Column::new("nrr".into(), nrr.clone()),
            Column::new(
                "nrr_bulat".into(),
                nrr.iter()
                    .map(|v| v.and_then(|x| round_half_up(x, 3)))
                    .collect::<Vec<_>>(),
            ),
        ],
    )
}

/// Improvement priorities: per unit, year and period (and city-wide: the mean NRR of the
/// units) the unsur ranked from the lowest NRR. NRR are compared at 3 decimals, as the reports
/// print them; equal NRR are ties (`seri`), share their rank (`peringkat`, 1, 2, 2, 4 …) and are
/// ordered within the tie by the Kota Bekasi code (U1 before U9) in `urutan`. `prioritas`
/// flags the unsur ranked 1–3, so a tie at the third place flags every unsur in it.
pub fn prioritas(nrr_unsur: &DataFrame, values: &[UnitValue]) -> PolarsResult<DataFrame> {
    let id = nrr_unsur.column("unit_id")?.str()?.clone();
    let t = nrr_unsur.column("tahun")?.i32()?.clone();
    let p = nrr_unsur.column("periode")?.str()?.clone();
    let kode = nrr_unsur.column("kode")?.str()?.clone();
    let nrr = nrr_unsur.column("nrr")?.f64()?.clone();
    let sumber = nrr_unsur.column("sumber")?.str()?.clone();
    let chosen: BTreeMap<(String, i32, String), String> = values
        .iter()
        .map(|v| {
            (
                (v.unit_id.clone(), v.tahun, v.periode.clone()),
                v.sumber.clone(),
            )
        })
        .collect();
    let mut groups: BTreeMap<(String, i32, u8, String), [Option<f64>; 9]> = BTreeMap::new();
    for i in 0..nrr_unsur.height() {
        let (Some(u), Some(y), Some(per), Some(k), Some(s)) =
            (id.get(i), t.get(i), p.get(i), kode.get(i), sumber.get(i))
        else {
            continue;
        };
        if chosen
            .get(&(u.to_string(), y, per.to_string()))
            .map(String::as_str)
            != Some(s)
        {
            continue;
        }
        let order = Periode::from_code(per).map(|p| p.order()).unwrap_or(99);
        let k: usize = k[1..].parse::<usize>().unwrap_or(1) - 1;
        groups
            .entry((u.to_string(), y, order, per.to_string()))
            .or_insert([None; 9])[k] = nrr.get(i);
    }
    // City-wide: the mean NRR of the units that have all nine.
    let mut city: BTreeMap<(i32, u8, String), Vec<[f64; 9]>> = BTreeMap::new();
    for ((_, y, o, per), v) in &groups {
        if v.iter().all(Option::is_some) {
            city.entry((*y, *o, per.clone()))
                .or_default()
                .push(v.map(|x| x.unwrap_or(0.0)));
        }
    }
    let mut out: Vec<(
        &'static str,
        Option<String>,
        i32,
        String,
        usize,
        f64,
        u32,
        u32,
        bool,
    )> = Vec::new();
    let mut rank =
        |tingkat: &'static str, unit: Option<String>, y: i32, per: &str, v: [Option<f64>; 9]| {
            let mut items: Vec<(usize, f64, f64)> = v
                .iter()
                .enumerate()
                .filter_map(|(k, x)| x.map(|x| (k, x, round_half_up(x, 3).unwrap_or(x))))
                .collect();
            items.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)));
            for (pos, (k, x, r)) in items.iter().enumerate() {
                let peringkat = items.iter().position(|o| o.2 == *r).expect("present") as u32 + 1;
                let seri = items.iter().filter(|o| o.2 == *r).count() > 1;
                out.push((
                    tingkat,
                    unit.clone(),
                    y,
                    per.to_string(),
                    *k,
                    *x,
                    pos as u32 + 1,
                    peringkat,
                    seri,
                ));
            }
        };
    for ((u, y, _, per), v) in &groups {
        rank("unit", Some(u.clone()), *y, per, *v);
    }
    for ((y, _, per), vs) in &city {
        let mean: [Option<f64>; 9] =
            std::array::from_fn(|k| Some(vs.iter().map(|v| v[k]).sum::<f64>() / vs.len() as f64));
        rank("kota", None, *y, per, mean);
    }
    DataFrame::new(
        out.len(),
        vec![
            Column::new(
                "tingkat".into(),
                out.iter().map(|r| r.0).collect::<Vec<_>>(),
            ),
            Column::new(
                "unit_id".into(),
                out.iter().map(|r| r.1.clone()).collect::<Vec<_>>(),
            ),
            Column::new("tahun".into(), out.iter().map(|r| r.2).collect::<Vec<_>>()),
            Column::new(
                "periode".into(),
                out.iter().map(|r| r.3.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "unsur".into(),
                out.iter().map(|r| UNSUR[r.4].key).collect::<Vec<_>>(),
            ),
            Column::new(
                "kode".into(),
                out.iter().map(|r| UNSUR[r.4].kode).collect::<Vec<_>>(),
            ),
            Column::new("nrr".into(), out.iter().map(|r| r.5).collect::<Vec<_>>()),
            Column::new(
                "nrr_bulat".into(),
                out.iter()
                    .map(|r| round_half_up(r.5, 3))
                    .collect::<Vec<_>>(),
            ),
            Column::new("urutan".into(), out.iter().map(|r| r.6).collect::<Vec<_>>()),
            Column::new(
                "peringkat".into(),
                out.iter().map(|r| r.7).collect::<Vec<_>>(),
            ),
            Column::new("seri".into(), out.iter().map(|r| r.8).collect::<Vec<_>>()),
            Column::new(
                "prioritas".into(),
                out.iter().map(|r| r.7 <= 3).collect::<Vec<_>>(),
            ),
        ],
    )
}

/// Sample adequacy per unit and year: the population (configuration, else the registry, else
/// a recap), the Krejcie–Morgan minimum, the respondents counted (raw data, else as a recap
/// states) and whether they suffice.
pub fn sampel(
    ikm_unit: &DataFrame,
    recap_pop: &BTreeMap<(String, i32), i64>,
    config: &Config,
    registry: &Registry,
) -> PolarsResult<DataFrame> {
    let id = ikm_unit.column("unit_id")?.str()?.clone();
    let t = ikm_unit.column("tahun")?.i32()?.clone();
    let p = ikm_unit.column("periode")?.str()?.clone();
    let s = ikm_unit.column("sumber")?.str()?.clone();
    let n = ikm_unit.column("n_responden")?.i64()?.clone();
    let mut resp: BTreeMap<(String, i32), (Option<i64>, &'static str)> = BTreeMap::new();
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
            .or_insert((None, "tidak_ada"));
        if src == "responden" {
            *e = (n.get(i), "responden");
        } else if e.1 != "responden" && n.get(i).is_some() {
            *e = (n.get(i), "rekap");
        }
    }
    let mut rows = Vec::new();
    for ((u, y), (n, src)) in resp {
        let (pop, pop_src) = match (
            config.populasi.get(&u),
            registry.get(&u).and_then(|x| x.populasi),
            recap_pop.get(&(u.clone(), y)),
        ) {
            (Some(p), _, _) => (Some(*p as i64), Some("konfigurasi")),
            (None, Some(p), _) => (Some(p as i64), Some("registri")),
            (None, None, Some(p)) => (Some(*p), Some("rekap")),
            _ => (None, None),
        };
        let minimum = pop.map(|p| krejcie_morgan(p.max(0) as u64) as i64);
        let cukup = match (minimum, n) {
            (Some(m), Some(n)) => Some(n >= m),
            _ => None,
        };
        rows.push((u, y, pop, pop_src, minimum, n, src, cukup));
    }
    DataFrame::new(
        rows.len(),
        vec![
            Column::new(
                "unit_id".into(),
                rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
            ),
            Column::new("tahun".into(), rows.iter().map(|r| r.1).collect::<Vec<_>>()),
            Column::new(
                "populasi".into(),
                rows.iter().map(|r| r.2).collect::<Vec<_>>(),
            ),
            Column::new(
                "sumber_populasi".into(),
                rows.iter().map(|r| r.3).collect::<Vec<_>>(),
            ),
            Column::new(
                "sampel_minimum".into(),
                rows.iter().map(|r| r.4).collect::<Vec<_>>(),
            ),
            Column::new(
                "n_responden".into(),
                rows.iter().map(|r| r.5).collect::<Vec<_>>(),
            ),
            Column::new(
                "sumber_responden".into(),
                rows.iter().map(|r| r.6).collect::<Vec<_>>(),
            ),
            Column::new("cukup".into(), rows.iter().map(|r| r.7).collect::<Vec<_>>()),
        ],
    )
}

/// IKM and respondents by respondent profile (jenis layanan, jenis kelamin, pendidikan,
/// pekerjaan, age band), per unit and city-wide, pooling each year's respondents. A group with
/// fewer than the configured minimum is marked `cukup = false`. `groups` is
/// `partial::profile_sums` of silver's sums.
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
    let n = df.column("n_responden")?.i64()?.clone();
    let cols = sum_columns(&df)?;
    let ikm: Vec<Option<f64>> = (0..df.height())
        .map(|i| ikm_from_nrr(&nrr_at(&cols, i)))
        .collect();
    let mut out = df.select([
        "tingkat",
        "unit_id",
        "tahun",
        "dimensi",
        "kelompok",
        "n_responden",
    ])?;
    out.with_column(Column::new("ikm".into(), ikm.clone()))?;
    out.with_column(Column::new(
        "ikm_bulat".into(),
        ikm.iter()
            .map(|v| v.and_then(|x| round_half_up(x, 2)))
            .collect::<Vec<_>>(),
    ))?;
    out.with_column(Column::new(
        "cukup".into(),
        n.iter()
            .map(|v| v.map(|v| v >= minimum))
            .collect::<Vec<_>>(),
    ))?;
    Ok(out)
}

/// The yearly figure of each unit under every rule, the one in use marked.
pub fn tahun_aturan(alts: &[YearAlt]) -> PolarsResult<DataFrame> {
    let ikm: Vec<Option<f64>> = alts.iter().map(|a| a.ikm).collect();
    DataFrame::new(
        alts.len(),
        vec![
            Column::new(
                "unit_id".into(),
                alts.iter().map(|a| a.unit_id.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "tahun".into(),
                alts.iter().map(|a| a.tahun).collect::<Vec<_>>(),
            ),
            Column::new(
                "aturan".into(),
                alts.iter().map(|a| a.aturan.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "terpakai".into(),
                alts.iter().map(|a| a.terpakai).collect::<Vec<_>>(),
            ),
            Column::new("ikm".into(), ikm.clone()),
            Column::new(
                "ikm_bulat".into(),
                ikm.iter()
                    .map(|v| v.and_then(|x| round_half_up(x, 2)))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "tahun_lengkap".into(),
                alts.iter().map(|a| a.lengkap).collect::<Vec<_>>(),
            ),
            Column::new(
                "periode_dipakai".into(),
                alts.iter().map(|a| a.dipakai.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "n_responden".into(),
                alts.iter().map(|a| a.n_responden).collect::<Vec<_>>(),
            ),
            Column::new(
                "catatan".into(),
                alts.iter().map(|a| a.catatan.clone()).collect::<Vec<_>>(),
            ),
        ],
    )
}
