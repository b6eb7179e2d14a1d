//! The yearly figure of a unit from its survey waves (docs/DOMAIN.md, "Periods and the yearly
//! figure"). The rule is configuration, per unit; every yearly figure says which rule made it.
//!
//! All rules except `pooled` combine the waves' NRR per unsur; since the IKM is linear in the
//! NRR, combining NRR and then taking the IKM equals combining the waves' IKM.

use super::Periode;

/// How a unit's waves make its yearly figure.
#[derive(Debug, Clone, PartialEq)]
pub enum YearRule {
    /// The Bagian Organisasi's rule (default): the mean of the two semesters, a semester being
    /// its own wave or the mean of its quarters (001 lines 1389–1396).
    Semester,
    /// All of the year's respondents together.
    Pooled,
    /// The plain mean of the waves present (Medansatria's own report, 003 lines 1020–1066).
    Mean,
    /// An explicit weight per period; every named period must be present.
    Weights(Vec<(Periode, f64)>),
    /// The latest wave, for cumulative surveys (Mustikajaya, 002 lines 3376–3400).
    Last,
}

crate::labels! {
    /// Which rule made a yearly figure (`aturan_tahun`): one of the rules, or `tertulis` (as a
    /// recap sheet states it).
    pub enum Aturan {
        Semester = "semester",
        Pooled = "pooled",
        Mean = "mean",
        Weights = "weights",
        Last = "last",
        Tertulis = "tertulis",
    }
}

impl YearRule {
    pub fn aturan(&self) -> Aturan {
        match self {
            YearRule::Semester => Aturan::Semester,
            YearRule::Pooled => Aturan::Pooled,
            YearRule::Mean => Aturan::Mean,
            YearRule::Weights(_) => Aturan::Weights,
            YearRule::Last => Aturan::Last,
        }
    }

    pub fn name(&self) -> &'static str {
        self.aturan().as_str()
    }

    /// Every rule, with the weights of `Weights` left empty (for the comparison table).
    pub fn all_simple() -> [YearRule; 4] {
        [
            YearRule::Semester,
            YearRule::Pooled,
            YearRule::Mean,
            YearRule::Last,
        ]
    }
}

/// One wave's figures: NRR per unsur (`None` for an unsur nobody answered) and respondents.
#[derive(Debug, Clone, PartialEq)]
pub struct Wave {
    pub periode: Periode,
    pub nrr: [Option<f64>; 9],
    pub n_responden: i64,
}

/// A half year: its waves, its NRR and whether both its quarters (or its semester) are there.
type Half<'a> = (Vec<&'a Wave>, [Option<f64>; 9], bool);

/// The yearly figure a rule gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Yearly {
    pub nrr: [Option<f64>; 9],
    /// Respondents of the waves used.
    pub n_responden: i64,
    /// The waves used, in period order.
    pub dipakai: Vec<Periode>,
    /// False when a half of the year (or a weighted period) is missing and the figure was
    /// computed from what exists.
    pub lengkap: bool,
}

/// The weighted mean of the waves' NRR, unsur by unsur (`None` where a wave lacks the unsur).
fn combine(parts: &[(f64, &[Option<f64>; 9])]) -> [Option<f64>; 9] {
    let total: f64 = parts.iter().map(|(w, _)| w).sum();
    std::array::from_fn(|k| {
        if total <= 0.0 {
            return None;
        }
        let mut acc = 0.0;
        for (w, nrr) in parts {
            acc += w * nrr[k]?;
        }
        Some(acc / total)
    })
}

/// Applies a rule (other than `Pooled`, which needs the respondents themselves) to a unit's
/// waves of one year. `Err` names what the rule needs and the unit lacks.
pub fn apply(rule: &YearRule, waves: &[Wave]) -> Result<Yearly, String> {
    let mut waves: Vec<&Wave> = waves
        .iter()
        .filter(|w| w.periode != Periode::Tahun)
        .collect();
    waves.sort_by_key(|w| w.periode.order());
    if waves.is_empty() {
        return Err("tidak ada gelombang survei".into());
    }
    let get = |p: Periode| waves.iter().find(|w| w.periode == p).copied();
    let used = |ws: &[&Wave]| -> (Vec<Periode>, i64) {
        let mut ps: Vec<Periode> = ws.iter().map(|w| w.periode).collect();
        ps.sort_by_key(|p| p.order());
        (ps, ws.iter().map(|w| w.n_responden).sum())
    };
    match rule {
        YearRule::Pooled => {
            Err("aturan pooled dihitung dari responden, bukan dari gelombang".into())
        }
        YearRule::Mean => {
            let parts: Vec<(f64, &[Option<f64>; 9])> =
                waves.iter().map(|w| (1.0, &w.nrr)).collect();
            let (dipakai, n) = used(&waves);
            Ok(Yearly {
                nrr: combine(&parts),
                n_responden: n,
                dipakai,
                lengkap: true,
            })
        }
        YearRule::Last => {
            let w = waves.last().expect("non-empty");
            Ok(Yearly {
                nrr: w.nrr,
                n_responden: w.n_responden,
                dipakai: vec![w.periode],
                lengkap: true,
            })
        }
        YearRule::Weights(ws) => {
            let mut parts = Vec::new();
            let mut chosen = Vec::new();
            for (p, weight) in ws {
                let w = get(*p).ok_or_else(|| {
                    format!(
                        "aturan weights menyebut periode {p}, tetapi unit ini tidak punya gelombang {p} (ada: {})",
                        waves.iter().map(|w| w.periode.code()).collect::<Vec<_>>().join(", ")
                    )
                })?;
                parts.push((*weight, &w.nrr));
                chosen.push(w);
            }
            let (dipakai, n) = used(&chosen);
            Ok(Yearly {
                nrr: combine(&parts),
                n_responden: n,
                dipakai,
                lengkap: true,
            })
        }
        YearRule::Semester => {
            // A semester: its own wave, else the mean of its quarters (or the one present).
            let semester = |s: Periode, q: [Periode; 2]| -> Option<Half<'_>> {
                if let Some(w) = get(s) {
                    return Some((vec![w], w.nrr, true));
                }
                let qs: Vec<&Wave> = q.iter().filter_map(|p| get(*p)).collect();
                if qs.is_empty() {
                    return None;
                }
                let parts: Vec<(f64, &[Option<f64>; 9])> =
                    qs.iter().map(|w| (1.0, &w.nrr)).collect();
                let complete = qs.len() == 2;
                Some((qs, combine(&parts), complete))
            };
            let s1 = semester(Periode::S1, [Periode::TW1, Periode::TW2]);
            let s2 = semester(Periode::S2, [Periode::TW3, Periode::TW4]);
            let halves: Vec<_> = [s1, s2].into_iter().flatten().collect();
            let lengkap = halves.len() == 2 && halves.iter().all(|(_, _, c)| *c);
            let parts: Vec<(f64, &[Option<f64>; 9])> =
                halves.iter().map(|(_, nrr, _)| (1.0, nrr)).collect();
            let all: Vec<&Wave> = halves
                .iter()
                .flat_map(|(ws, _, _)| ws.iter().copied())
                .collect();
            let (dipakai, n) = used(&all);
            Ok(Yearly {
                nrr: combine(&parts),
                n_responden: n,
                dipakai,
                lengkap,
            })
        }
    }
}

/// The weight each wave has in the yearly figure `rule` makes (every rule but pooled is linear
/// in the waves' NRR): the rule applied to waves whose NRR are 1 for that wave and 0 for the
/// others. The margins of error combine the waves' variances with these (`domain::margin`).
pub fn wave_weights(rule: &YearRule, waves: &[Wave]) -> Result<Vec<(Periode, f64)>, String> {
    waves
        .iter()
        .map(|w| {
            let probe: Vec<Wave> = waves
                .iter()
                .map(|v| Wave {
                    nrr: [Some(f64::from(u8::from(v.periode == w.periode))); 9],
                    ..v.clone()
                })
                .collect();
            apply(rule, &probe).map(|y| (w.periode, y.nrr[0].unwrap_or(0.0)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ikm_from_nrr, round_half_up};

    /// A wave whose nine NRR all equal `ikm / 25`.
    fn w(p: Periode, ikm: f64, n: i64) -> Wave {
        Wave {
            periode: p,
            nrr: [Some(ikm / 25.0); 9],
            n_responden: n,
        }
    }

    fn ikm(y: &Yearly) -> f64 {
        round_half_up(ikm_from_nrr(&y.nrr).unwrap(), 2).unwrap()
    }

    #[test]
    fn the_rules_of_domain_md() {
        // Medansatria 2024: S1 84.775, TW3 81.81, TW4 88.03.
        let ms = [
            w(Periode::S1, 84.775, 10),
            w(Periode::TW3, 81.81, 10),
            w(Periode::TW4, 88.03, 10),
        ];
        assert_eq!(ikm(&apply(&YearRule::Semester, &ms).unwrap()), 84.85);
        assert_eq!(ikm(&apply(&YearRule::Mean, &ms).unwrap()), 84.87);
        assert_eq!(ikm(&apply(&YearRule::Last, &ms).unwrap()), 88.03);
        let wts = YearRule::Weights(vec![
            (Periode::S1, 0.5),
            (Periode::TW3, 0.25),
            (Periode::TW4, 0.25),
        ]);
        assert_eq!(ikm(&apply(&wts, &ms).unwrap()), 84.85);
        let y = apply(&YearRule::Semester, &ms).unwrap();
        assert!(y.lengkap);
        assert_eq!(y.n_responden, 30);
        assert_eq!(y.dipakai, vec![Periode::S1, Periode::TW3, Periode::TW4]);
    }

    #[test]
    fn each_waves_weight_under_each_rule() {
        let ws = [
            w(Periode::TW1, 80.0, 10),
            w(Periode::TW2, 80.0, 10),
            w(Periode::TW3, 80.0, 10),
            w(Periode::S2, 80.0, 10),
        ];
        let weights = |r: &YearRule| -> Vec<f64> {
            wave_weights(r, &ws)
                .unwrap()
                .iter()
                .map(|(_, c)| *c)
                .collect()
        };
        // Semester: S1 the mean of TW1 and TW2; S2 its own wave (TW3 not used).
        assert_eq!(weights(&YearRule::Semester), vec![0.25, 0.25, 0.0, 0.5]);
        assert_eq!(weights(&YearRule::Mean), vec![0.25; 4]);
        assert_eq!(weights(&YearRule::Last), vec![0.0, 0.0, 0.0, 1.0]);
    }

    #[test]
    fn a_missing_half_is_marked_and_a_missing_weighted_period_is_an_error() {
        let only_tw4 = [w(Periode::TW4, 88.89, 5)];
        let y = apply(&YearRule::Semester, &only_tw4).unwrap();
        assert!(!y.lengkap);
        assert_eq!(ikm(&y), 88.89);
        let wts = YearRule::Weights(vec![(Periode::S1, 0.5), (Periode::S2, 0.5)]);
        let e = apply(&wts, &only_tw4).unwrap_err();
        assert!(e.contains("S1") && e.contains("TW4"), "{e}");
    }
}
