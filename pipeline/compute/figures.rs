//! The figures of one unit, year and period — from respondents (summed with Polars) or from a
//! recap — and the yearly figure made by each unit's rule.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::config::Config;
use crate::domain::yearly::{apply, Wave};
use crate::domain::{ikm_from_nrr, Periode, YearRule, UNSUR};
use crate::normalize::realisasi::rekap::RecapRow;

use super::{nrr_at, sum_columns};

#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub unit_id: String,
    pub tahun: i32,
    pub periode: Periode,
    pub n_responden: Option<i64>,
    pub n_jawaban: [Option<i64>; 9],
    pub nrr: [Option<f64>; 9],
    /// IKM at full precision: from the nine NRR, or as a recap states it.
    pub ikm: Option<f64>,
    pub sumber: &'static str,
    pub aturan: Option<String>,
    pub lengkap: Option<bool>,
    pub dipakai: Option<String>,
    pub catatan: Option<String>,
}

/// Reads the frame of `period_sums` into figures.
pub fn from_sums(df: &DataFrame) -> PolarsResult<Vec<Figures>> {
    let ids = df.column("unit_id")?.str()?.clone();
    let tahun = df.column("tahun")?.i32()?.clone();
    let periode = df.column("periode")?.str()?.clone();
    let n = df.column("n_responden")?.i64()?.clone();
    let cols = sum_columns(df)?;
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let n_jawaban: [Option<i64>; 9] = std::array::from_fn(|k| cols[k].1.get(i));
        let nrr = nrr_at(&cols, i);
        let periode = Periode::from_code(periode.get(i).unwrap_or("")).unwrap_or(Periode::Tahun);
        out.push(Figures {
            unit_id: ids.get(i).unwrap_or("").to_string(),
            tahun: tahun.get(i).unwrap_or(0),
            periode,
            n_responden: n.get(i),
            n_jawaban,
            ikm: ikm_from_nrr(&nrr),
            nrr,
            sumber: "responden",
            aturan: (periode == Periode::Tahun).then(|| "pooled".to_string()),
            lengkap: None,
            dipakai: None,
            catatan: None,
        });
    }
    Ok(out)
}

/// The yearly figure of one unit under each rule, for the comparison table.
#[derive(Debug, Clone, PartialEq)]
pub struct YearAlt {
    pub unit_id: String,
    pub tahun: i32,
    pub aturan: String,
    pub ikm: Option<f64>,
    pub lengkap: Option<bool>,
    pub dipakai: String,
    pub n_responden: Option<i64>,
    /// The rule configured for the unit: the one its TAHUN row in ikm_unit uses.
    pub terpakai: bool,
    pub catatan: Option<String>,
}

fn periods_text(ps: &[Periode]) -> String {
    ps.iter().map(|p| p.code()).collect::<Vec<_>>().join("+")
}

/// Replaces each pooled TAHUN figure by the one the unit's rule makes, and lists what every
/// rule would give.
pub fn apply_year_rules(figs: Vec<Figures>, config: &Config) -> (Vec<Figures>, Vec<YearAlt>) {
    let mut by_unit: BTreeMap<(String, i32), Vec<Figures>> = BTreeMap::new();
    for f in figs {
        by_unit
            .entry((f.unit_id.clone(), f.tahun))
            .or_default()
            .push(f);
    }
    let mut out = Vec::new();
    let mut alts = Vec::new();
    for ((unit, tahun), figs) in by_unit {
        let (pooled, waves): (Vec<Figures>, Vec<Figures>) =
            figs.into_iter().partition(|f| f.periode == Periode::Tahun);
        let pooled = pooled.into_iter().next();
        let wave_list: Vec<Wave> = waves
            .iter()
            .map(|f| Wave {
                periode: f.periode,
                nrr: f.nrr,
                n_responden: f.n_responden.unwrap_or(0),
            })
            .collect();
        let all_periods: Vec<Periode> = {
            let mut p: Vec<Periode> = waves.iter().map(|f| f.periode).collect();
            p.sort_by_key(|p| p.order());
            p
        };
        let configured = config.year_rule(&unit);
        let mut rules: Vec<YearRule> = YearRule::all_simple().to_vec();
        if let YearRule::Weights(_) = configured {
            rules.push(configured.clone());
        }
        let mut chosen: Option<Figures> = None;
        for rule in rules {
            let terpakai = rule == configured;
            let fig = match (&rule, &pooled) {
                (YearRule::Pooled, Some(p)) => Ok(Figures {
                    aturan: Some("pooled".into()),
                    lengkap: Some(
                        [Periode::S1, Periode::S2]
                            .iter()
                            .all(|s| all_periods.iter().any(|p| p.semester() == Some(*s))),
                    ),
                    dipakai: Some(periods_text(&all_periods)),
                    ..p.clone()
                }),
                (YearRule::Pooled, None) => Err("tidak ada responden".to_string()),
                (r, _) => apply(r, &wave_list).map(|y| Figures {
                    unit_id: unit.clone(),
                    tahun,
                    periode: Periode::Tahun,
                    n_responden: Some(y.n_responden),
                    n_jawaban: std::array::from_fn(|k| {
                        let used = waves.iter().filter(|w| y.dipakai.contains(&w.periode));
                        used.map(|w| w.n_jawaban[k]).sum()
                    }),
                    ikm: ikm_from_nrr(&y.nrr),
                    nrr: y.nrr,
                    sumber: "responden",
                    aturan: Some(r.name().to_string()),
                    lengkap: Some(y.lengkap),
                    dipakai: Some(periods_text(&y.dipakai)),
                    catatan: (!y.lengkap).then(|| {
                        format!(
                            "tahun tidak lengkap: dihitung dari {} saja",
                            periods_text(&y.dipakai)
                        )
                    }),
                }),
            };
            match &fig {
                Ok(f) => alts.push(YearAlt {
                    unit_id: unit.clone(),
                    tahun,
                    aturan: rule.name().into(),
                    ikm: f.ikm,
                    lengkap: f.lengkap,
                    dipakai: f.dipakai.clone().unwrap_or_default(),
                    n_responden: f.n_responden,
                    terpakai,
                    catatan: f.catatan.clone(),
                }),
                Err(e) => alts.push(YearAlt {
                    unit_id: unit.clone(),
                    tahun,
                    aturan: rule.name().into(),
                    ikm: None,
                    lengkap: None,
                    dipakai: String::new(),
                    n_responden: None,
                    terpakai,
                    catatan: Some(e.clone()),
                }),
            }
            if terpakai {
                chosen = Some(fig.unwrap_or_else(|e| Figures {
                    unit_id: unit.clone(),
                    tahun,
                    periode: Periode::Tahun,
                    n_responden: None,
                    n_jawaban: [None; 9],
                    nrr: [None; 9],
                    ikm: None,
                    sumber: "responden",
                    aturan: Some(configured.name().into()),
                    lengkap: None,
                    dipakai: None,
                    catatan: Some(format!("galat aturan tahun: {e}")),
                }));
            }
        }
        out.extend(waves);
        out.extend(chosen);
    }
    (out, alts)
}

/// Recap rows as figures.
pub fn from_recap(rows: &[RecapRow]) -> Vec<Figures> {
    rows.iter()
        .map(|r| {
            let nrr: [Option<f64>; 9] = match r.nrr {
                Some(v) => std::array::from_fn(|k| (!v[k].is_nan()).then_some(v[k])),
                None => [None; 9],
            };
            Figures {
                unit_id: r.unit_id.clone(),
                tahun: r.tahun,
                periode: r.periode,
                n_responden: r.n_responden,
                n_jawaban: [None; 9],
                nrr,
                ikm: Some(r.ikm),
                sumber: "rekap",
                aturan: r.aturan.map(str::to_string),
                lengkap: None,
                dipakai: None,
                catatan: None,
            }
        })
        .collect()
}

/// The base frames of `ikm_unit` and `nrr_unsur` (before `finish_*`).
pub fn base_frames(figs: &[Figures]) -> PolarsResult<(DataFrame, DataFrame)> {
    let s = |f: &dyn Fn(&Figures) -> Option<String>| figs.iter().map(f).collect::<Vec<_>>();
    let ikm = DataFrame::new(
        figs.len(),
        vec![
            Column::new(
                "unit_id".into(),
                figs.iter().map(|f| f.unit_id.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "tahun".into(),
                figs.iter().map(|f| f.tahun).collect::<Vec<_>>(),
            ),
            Column::new(
                "periode".into(),
                figs.iter().map(|f| f.periode.code()).collect::<Vec<_>>(),
            ),
            Column::new(
                "n_responden".into(),
                figs.iter().map(|f| f.n_responden).collect::<Vec<_>>(),
            ),
            Column::new(
                "n_unsur".into(),
                figs.iter()
                    .map(|f| match f.sumber {
                        "responden" => Some(f.nrr.iter().filter(|v| v.is_some()).count() as i32),
                        _ => f.nrr.iter().all(|v| v.is_some()).then_some(9),
                    })
                    .collect::<Vec<_>>(),
            ),
            Column::new("ikm".into(), figs.iter().map(|f| f.ikm).collect::<Vec<_>>()),
            Column::new(
                "sumber".into(),
                figs.iter().map(|f| f.sumber).collect::<Vec<_>>(),
            ),
            Column::new("aturan_tahun".into(), s(&|f| f.aturan.clone())),
            Column::new(
                "tahun_lengkap".into(),
                figs.iter().map(|f| f.lengkap).collect::<Vec<_>>(),
            ),
            Column::new("periode_dipakai".into(), s(&|f| f.dipakai.clone())),
            Column::new("catatan".into(), s(&|f| f.catatan.clone())),
        ],
    )?;
    let with_nrr: Vec<&Figures> = figs
        .iter()
        .filter(|f| f.nrr.iter().any(|v| v.is_some()))
        .collect();
    let n = with_nrr.len() * 9;
    let mut cols: Vec<Vec<Option<String>>> = vec![Vec::with_capacity(n); 5];
    let mut tahun = Vec::with_capacity(n);
    let mut nj = Vec::with_capacity(n);
    let mut nrr = Vec::with_capacity(n);
    for f in with_nrr {
        for (k, u) in UNSUR.iter().enumerate() {
            cols[0].push(Some(f.unit_id.clone()));
            cols[1].push(Some(f.periode.code().to_string()));
            cols[2].push(Some(u.key.to_string()));
            cols[3].push(Some(u.kode.to_string()));
            cols[4].push(Some(f.sumber.to_string()));
            tahun.push(f.tahun);
            nj.push(f.n_jawaban[k]);
            nrr.push(f.nrr[k]);
        }
    }
    let [unit, periode, unsur, kode, sumber]: [Vec<Option<String>>; 5] =
        cols.try_into().expect("five");
    let nrr_df = DataFrame::new(
        n,
        vec![
            Column::new("unit_id".into(), unit),
            Column::new("tahun".into(), tahun),
            Column::new("periode".into(), periode),
            Column::new("unsur".into(), unsur),
            Column::new("kode".into(), kode),
            Column::new("n_jawaban".into(), nj),
            Column::new("nrr".into(), nrr),
            Column::new("sumber".into(), sumber),
        ],
    )?;
    Ok((ikm, nrr_df))
}
