//! Numbers and words as an Indonesian reader expects them on a page: decimal commas, thousands
//! dots, the printed precision of the seeds (NRR 3 decimals, IKM 2), half-up rounding
//! (`domain::round_half_up`), period names ("Semester I", "Triwulan III") and a yearly rule
//! written out in words.

use crate::domain::{round_half_up, Periode, YearRule};

/// Decimals an NRR is printed with (000 l.899: 3.327).
pub const NRR_DP: u32 = 3;
/// Decimals an IKM (and an IKM per unsur) is printed with (000 l.900: 83.18).
pub const IKM_DP: u32 = 2;

/// `v` rounded half-up to `dp` decimals and written with a decimal comma and thousands dots:
/// 86.7111 → "86,71", 2328 → "2.328", 100 → "100,00" at 2 decimals.
pub fn desimal(v: f64, dp: u32) -> String {
    let r = round_half_up(v, dp).unwrap_or(v);
    let s = format!("{:.*}", dp as usize, r.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let sign = if r < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}

/// A count with thousands dots: 3003 → "3.003".
pub fn bilangan(n: i64) -> String {
    desimal(n as f64, 0)
}

/// An NRR as printed: "3,327".
pub fn nrr(v: f64) -> String {
    desimal(v, NRR_DP)
}

/// An IKM as printed: "86,71".
pub fn ikm(v: f64) -> String {
    desimal(v, IKM_DP)
}

/// A change in points with its sign: "+0,07", "-1,31", "0,00".
pub fn selisih(v: f64) -> String {
    let t = desimal(v, IKM_DP);
    if t.starts_with('-') || t.trim_start_matches(['0', ',']).is_empty() {
        t
    } else {
        format!("+{t}")
    }
}

/// The 95% margin of an IKM (1.96 standard errors): "± 0,24".
pub fn galat(se: f64) -> String {
    format!("± {}", desimal(crate::domain::margin::Z95 * se, IKM_DP))
}

/// An IKM with its 95% margin: "86,71 ± 0,24".
pub fn ikm_galat(v: f64, se: f64) -> String {
    format!("{} {}", ikm(v), galat(se))
}

/// A period's name as the reports write it: "Triwulan III", "Semester I", "Tahun".
pub fn periode_nama(p: Periode) -> &'static str {
    match p {
        Periode::TW1 => "Triwulan I",
        Periode::TW2 => "Triwulan II",
        Periode::TW3 => "Triwulan III",
        Periode::TW4 => "Triwulan IV",
        Periode::S1 => "Semester I",
        Periode::S2 => "Semester II",
        Periode::Tahun => "Tahun",
    }
}

/// A period code of gold ("S1", "TAHUN") by its name; the code itself when unknown.
pub fn periode_kode_nama(code: &str) -> String {
    Periode::from_code(code)
        .map(|p| periode_nama(p).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Names joined the Indonesian way: "A", "A dan B", "A, B dan C".
pub fn daftar(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} dan {last}", init.join(", ")),
    }
}

/// How the yearly figure was made, in words, from the rule gold names (`aturan_tahun`), the
/// waves it used (`periode_dipakai`, "S1+TW3+TW4") and, for `weights`, the unit's configured
/// rule. E.g. "rata-rata Semester I dan Semester II; Semester II = rata-rata Triwulan III dan
/// Triwulan IV".
pub fn aturan_kata(aturan: &str, dipakai: &str, rule: Option<&YearRule>) -> String {
    let used: Vec<Periode> = dipakai
        .split('+')
        .filter_map(|c| Periode::from_code(c.trim()))
        .collect();
    let names = |ps: &[Periode]| {
        daftar(
            &ps.iter()
                .map(|p| periode_nama(*p).into())
                .collect::<Vec<_>>(),
        )
    };
    match aturan {
        "semester" => semester_kata(&used),
        "pooled" => format!(
            "seluruh responden tahun ini digabung ({}), bukan rata-rata periode",
            names(&used)
        ),
        "mean" => format!("rata-rata sederhana {}", names(&used)),
        "last" => format!(
            "nilai gelombang terakhir, {} (survei kumulatif)",
            names(&used)
        ),
        "weights" => match rule {
            Some(YearRule::Weights(ws)) => format!(
                "rata-rata berbobot: {}",
                ws.iter()
                    .map(|(p, w)| format!("{} × {}", periode_nama(*p), trim_zeros(*w)))
                    .collect::<Vec<_>>()
                    .join(" + ")
            ),
            _ => format!("rata-rata berbobot {}", names(&used)),
        },
        "tertulis" => {
            "sebagaimana tertulis di rekap IKM (tidak dihitung ulang dari periode)".into()
        }
        other => other.to_string(),
    }
}

/// A weight without trailing zeros, with a decimal comma: 0.25 → "0,25", 1.0 → "1".
fn trim_zeros(w: f64) -> String {
    let s = desimal(w, 6);
    let s = s.trim_end_matches('0').trim_end_matches(',');
    s.to_string()
}

/// The semester rule in words for the waves used: each semester its own wave, the mean of its
/// two quarters, or its one quarter; then the mean of the two semesters.
fn semester_kata(used: &[Periode]) -> String {
    let half = |s: Periode, q: [Periode; 2]| -> Option<(String, Option<String>)> {
        let name = periode_nama(s).to_string();
        if used.contains(&s) {
            return Some((name, None));
        }
        let qs: Vec<String> = q
            .iter()
            .filter(|p| used.contains(p))
            .map(|p| periode_nama(*p).to_string())
            .collect();
        match qs.len() {
            0 => None,
            1 => Some((name.clone(), Some(format!("{name} = {} saja", qs[0])))),
            _ => Some((
                name.clone(),
                Some(format!("{name} = rata-rata {}", daftar(&qs))),
            )),
        }
    };
    let halves: Vec<(String, Option<String>)> = [
        half(Periode::S1, [Periode::TW1, Periode::TW2]),
        half(Periode::S2, [Periode::TW3, Periode::TW4]),
    ]
    .into_iter()
    .flatten()
    .collect();
    let details: Vec<String> = halves.iter().filter_map(|(_, d)| d.clone()).collect();
    let head = match halves.as_slice() {
        [] => return "aturan semester (tanpa gelombang)".into(),
        [(one, _)] => format!("hanya {one} (tahun tidak lengkap)"),
        [(a, _), (b, _), ..] => format!("rata-rata {a} dan {b}"),
    };
    if details.is_empty() {
        head
    } else {
        format!("{head}; {}", details.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_changes_and_margins() {
        assert_eq!(selisih(0.0712), "+0,07");
        assert_eq!(selisih(-1.3149), "-1,31");
        assert_eq!(selisih(0.001), "0,00");
        assert_eq!(ikm_galat(86.7111, 0.12), "86,71 ± 0,24");
    }

    #[test]
    fn decimal_commas_and_half_up() {
        assert_eq!(ikm(86.711_111), "86,71");
        assert_eq!(ikm(87.216_666), "87,22");
        assert_eq!(ikm(84.775), "84,78");
        assert_eq!(ikm(100.0), "100,00");
        assert_eq!(nrr(3.34), "3,340");
        assert_eq!(bilangan(2328), "2.328");
        assert_eq!(bilangan(1_234_567), "1.234.567");
        assert_eq!(desimal(-0.455, 2), "-0,46");
    }

    #[test]
    fn the_rules_in_words() {
        assert_eq!(
            aturan_kata("semester", "S1+TW3+TW4", None),
            "rata-rata Semester I dan Semester II; Semester II = rata-rata Triwulan III dan Triwulan IV"
        );
        assert_eq!(
            aturan_kata("semester", "TW4", None),
            "hanya Semester II (tahun tidak lengkap); Semester II = Triwulan IV saja"
        );
        assert_eq!(
            aturan_kata("mean", "S1+TW3+TW4", None),
            "rata-rata sederhana Semester I, Triwulan III dan Triwulan IV"
        );
        let w = YearRule::Weights(vec![(Periode::S1, 0.5), (Periode::TW3, 0.25)]);
        assert_eq!(
            aturan_kata("weights", "S1+TW3", Some(&w)),
            "rata-rata berbobot: Semester I × 0,5 + Triwulan III × 0,25"
        );
    }
}
