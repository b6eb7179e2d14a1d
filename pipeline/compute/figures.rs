//! The figures of one unit, year and period — from respondents (summed with Polars) or from a
//! recap — and the yearly figure made by each unit's rule.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::config::Config;
use crate::domain::margin::{self, combined};
use crate::domain::yearly::{apply, wave_weights, Aturan, Wave};
use crate::domain::{ikm_from_nrr, Periode, YearRule, UNSUR};
use crate::normalize::realisasi::rekap::RekapRow;
use crate::tables::build::Rows;

use super::margins::Crosses;
use super::{nrr_at, sum_columns};

crate::labels! {
    /// Where a figure comes from (`sumber`).
    pub enum Sumber {
        /// Computed from raw questionnaires.
        Responden = "responden",
        /// Stated by an IKM recap sheet.
        Rekap = "rekap",
    }
}

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
    /// The variance of each NRR and of the IKM (`domain::margin`), population-corrected;
    /// `None` on a recap's figures and where a figure has fewer than two respondents.
    pub var_nrr: [Option<f64>; 9],
    pub var_ikm: Option<f64>,
    pub sumber: Sumber,
    pub aturan: Option<Aturan>,
    pub lengkap: Option<bool>,
    pub dipakai: Option<String>,
    pub catatan: Option<String>,
}

/// Reads the frame of `period_sums` into figures, each with its margins of error from its
/// cross sums (`crosses`) and its unit's population (`populasi`).
pub fn from_sums(
    df: &DataFrame,
    crosses: &Crosses,
    populasi: &dyn Fn(&str) -> Option<u64>,
) -> PolarsResult<Vec<Figures>> {
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
        let unit_id = ids.get(i).unwrap_or("").to_string();
        let tahun = tahun.get(i).unwrap_or(0);
        let ikm = ikm_from_nrr(&nrr);
        let cross = crosses.get(&(unit_id.clone(), tahun, periode));
        let responden = n.get(i).unwrap_or(0);
        let fpc = margin::fpc(responden, populasi(&unit_id));
        let var = |v: Option<f64>| v.map(|v| v * fpc);
        out.push(Figures {
            var_ikm: var(ikm.and(cross.and_then(|c| margin::ikm_variance(responden, c)))),
            var_nrr: std::array::from_fn(|k| {
                var(nrr[k].and(cross.and_then(|c| margin::nrr_variance(responden, c, k))))
            }),
            unit_id,
            tahun,
            periode,
            n_responden: n.get(i),
            n_jawaban,
            ikm,
            nrr,
            sumber: Sumber::Responden,
            aturan: (periode == Periode::Tahun).then_some(Aturan::Pooled),
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
    pub aturan: Aturan,
    pub ikm: Option<f64>,
    pub lengkap: Option<bool>,
    pub dipakai: String,
    pub n_responden: Option<i64>,
    /// The variance of `ikm` (`domain::margin`).
    pub var_ikm: Option<f64>,
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
                    aturan: Some(Aturan::Pooled),
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
                    var_ikm: wave_variance(r, &wave_list, &waves, |f| f.var_ikm),
                    var_nrr: std::array::from_fn(|k| {
                        wave_variance(r, &wave_list, &waves, |f| f.var_nrr[k])
                    }),
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
                    sumber: Sumber::Responden,
                    aturan: Some(r.aturan()),
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
                    aturan: rule.aturan(),
                    ikm: f.ikm,
                    lengkap: f.lengkap,
                    dipakai: f.dipakai.clone().unwrap_or_default(),
                    n_responden: f.n_responden,
                    var_ikm: f.ikm.and(f.var_ikm),
                    terpakai,
                    catatan: f.catatan.clone(),
                }),
                Err(e) => alts.push(YearAlt {
                    unit_id: unit.clone(),
                    tahun,
                    aturan: rule.aturan(),
                    ikm: None,
                    lengkap: None,
                    dipakai: String::new(),
                    n_responden: None,
                    var_ikm: None,
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
                    var_nrr: [None; 9],
                    var_ikm: None,
                    sumber: Sumber::Responden,
                    aturan: Some(configured.aturan()),
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

/// The variance of a yearly figure a rule makes from independent waves: Σ c_w² × the wave's
/// variance (`var`), c_w the wave's weight under the rule (`yearly::wave_weights`).
fn wave_variance(
    rule: &YearRule,
    list: &[Wave],
    waves: &[Figures],
    var: impl Fn(&Figures) -> Option<f64>,
) -> Option<f64> {
    let mut weights = wave_weights(rule, list).ok()?;
    // Added in period order, whatever order the waves came in: the same bits every run.
    weights.sort_by_key(|(p, _)| p.order());
    let parts: Vec<(f64, Option<f64>)> = weights
        .iter()
        .map(|(p, c)| (*c, waves.iter().find(|f| f.periode == *p).and_then(&var)))
        .collect();
    combined(&parts)
}

/// Recap rows as figures.
pub fn from_recap(rows: &[RekapRow]) -> Vec<Figures> {
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
                var_nrr: [None; 9],
                var_ikm: None,
                sumber: Sumber::Rekap,
                aturan: r.aturan,
                lengkap: None,
                dipakai: None,
                catatan: None,
            }
        })
        .collect()
}

/// The base frames of `ikm_unit` and `nrr_unsur` (before `finish_*`).
pub fn base_frames(figs: &[Figures]) -> PolarsResult<(DataFrame, DataFrame)> {
    let ikm = Rows::new(figs)
        .col("unit_id", |f| f.unit_id.as_str())
        .col("tahun", |f| f.tahun)
        .col("periode", |f| f.periode.code())
        .col("n_responden", |f| f.n_responden)
        .col("n_unsur", Figures::n_unsur)
        .col("ikm", |f| f.ikm)
        .col("ikm_se", |f| margin::se(f.var_ikm))
        .col("ikm_bawah", |f| f.ikm_interval().0)
        .col("ikm_atas", |f| f.ikm_interval().1)
        .col("sumber", |f| f.sumber.as_str())
        .col("aturan_tahun", |f| f.aturan.map(Aturan::as_str))
        .col("tahun_lengkap", |f| f.lengkap)
        .col("periode_dipakai", |f| f.dipakai.as_deref())
        .col("catatan", |f| f.catatan.as_deref())
        .frame()?;
    let per_unsur: Vec<(&Figures, usize)> = figs
        .iter()
        .filter(|f| f.nrr.iter().any(|v| v.is_some()))
        .flat_map(|f| (0..UNSUR.len()).map(move |k| (f, k)))
        .collect();
    let nrr = Rows::new(&per_unsur)
        .col("unit_id", |(f, _)| f.unit_id.as_str())
        .col("tahun", |(f, _)| f.tahun)
        .col("periode", |(f, _)| f.periode.code())
        .col("unsur", |(_, k)| UNSUR[*k].key)
        .col("kode", |(_, k)| UNSUR[*k].kode)
        .col("n_jawaban", |(f, k)| f.n_jawaban[*k])
        .col("nrr", |(f, k)| f.nrr[*k])
        .col("nrr_se", |(f, k)| margin::se(f.var_nrr[*k]))
        .col("nrr_bawah", |(f, k)| f.nrr_interval(*k).0)
        .col("nrr_atas", |(f, k)| f.nrr_interval(*k).1)
        .col("sumber", |(f, _)| f.sumber.as_str())
        .frame()?;
    Ok((ikm, nrr))
}

impl Figures {
    /// The IKM's 95% interval, within the scale (25–100).
    fn ikm_interval(&self) -> (Option<f64>, Option<f64>) {
        margin::clamped(
            margin::interval(self.ikm, margin::se(self.var_ikm)),
            25.0,
            100.0,
        )
    }

    /// Unsur `k`'s NRR's 95% interval, within the scale (1–4).
    fn nrr_interval(&self, k: usize) -> (Option<f64>, Option<f64>) {
        margin::clamped(
            margin::interval(self.nrr[k], margin::se(self.var_nrr[k])),
            1.0,
            4.0,
        )
    }

    /// How many unsur the figure has: those answered (respondents), or all nine or none (a
    /// recap states them all or not at all).
    fn n_unsur(&self) -> Option<i32> {
        let present = self.nrr.iter().filter(|v| v.is_some()).count();
        match self.sumber {
            Sumber::Responden => Some(present as i32),
            Sumber::Rekap => (present == 9).then_some(9),
        }
    }
}
