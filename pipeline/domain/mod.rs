//! The rules of SKM, in one place and without I/O (docs/DOMAIN.md).
//!
//! Everything a figure depends on lives here: the nine unsur and their answer words, the
//! grade bands, half-up rounding, Krejcie–Morgan and the period rules. The stages call these
//! functions; none of them reads a file or a clock.

pub mod copied_sheet;
pub mod date_order;
pub mod deadline;
pub mod margin;
pub mod number;
mod period;
pub mod resend;
#[cfg(test)]
mod resend_trials;
pub mod resend_unordered;
mod rounding;
pub mod unsur;
pub mod yearly;
pub mod zone;

pub use date_order::DateOrder;
pub use period::{periode_of_date, Periode};
pub use rounding::{round_half_up, round_half_up_opt};
pub use unsur::{Unsur, UNSUR};
pub use yearly::{YearRule, Yearly};

/// Mutu pelayanan (service quality grade) and its kinerja label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mutu {
    A,
    B,
    C,
    D,
}

impl Mutu {
    /// The grade of an IKM (25–100). The IKM is first rounded half-up to 2 decimals; the
    /// lower bounds are inclusive, which closes the regulation's gaps (76.60 / 76.61):
    /// ≥ 88.31 A, ≥ 76.61 B, ≥ 65.00 C, ≥ 25.00 D. Below 25 or above 100 is not an IKM.
    pub fn of_ikm(ikm: f64) -> Option<Mutu> {
        let r = round_half_up(ikm, 2)?;
        // Compare in hundredths as integers: no float edge at the bounds.
        let h = (r * 100.0).round() as i64;
        match h {
            8831..=10000 => Some(Mutu::A),
            7661..=8830 => Some(Mutu::B),
            6500..=7660 => Some(Mutu::C),
            2500..=6499 => Some(Mutu::D),
            _ => None,
        }
    }

    /// The grade of an NRR (1–4): the grade of NRR × 25.
    pub fn of_nrr(nrr: f64) -> Option<Mutu> {
        Mutu::of_ikm(nrr * 25.0)
    }

    pub fn letter(self) -> &'static str {
        match self {
            Mutu::A => "A",
            Mutu::B => "B",
            Mutu::C => "C",
            Mutu::D => "D",
        }
    }

    pub fn kinerja(self) -> &'static str {
        match self {
            Mutu::A => "Sangat Baik",
            Mutu::B => "Baik",
            Mutu::C => "Kurang Baik",
            Mutu::D => "Tidak Baik",
        }
    }

    /// Reads a printed grade: a letter or the kinerja words ("Sangat Baik", "BAIK"), or
    /// both as the grade is printed ("A (Sangat Baik)", "Sangat Baik (A)", "B - Baik",
    /// "Mutu A"), the two agreeing ("A (Baik)" is no grade).
    pub fn parse(s: &str) -> Option<Mutu> {
        let t = unsur::fold(s);
        let one = |t: &str| match t {
            "a" | "sangat baik" => Some(Mutu::A),
            "b" | "baik" => Some(Mutu::B),
            "c" | "kurang baik" => Some(Mutu::C),
            "d" | "tidak baik" => Some(Mutu::D),
            _ => None,
        };
        let t = t.strip_prefix("mutu ").unwrap_or(&t);
        if let Some(m) = one(t) {
            return Some(m);
        }
        let (letter, words) = match t.split_once(' ') {
            Some((l, rest)) if l.len() == 1 => (l, rest),
            _ => {
                let (rest, l) = t.rsplit_once(' ')?;
                (l, rest)
            }
        };
        let (l, w) = (one(letter).filter(|_| letter.len() == 1)?, one(words)?);
        (l == w).then_some(l)
    }
}

/// IKM of a unit from its nine NRR: the plain mean × 25 (weight exactly 1/9, not the printed
/// 0,111). `None` unless all nine are present.
pub fn ikm_from_nrr(nrr: &[Option<f64>]) -> Option<f64> {
    if nrr.len() != UNSUR.len() {
        return None;
    }
    let mut sum = 0.0;
    for v in nrr {
        sum += (*v)?;
    }
    Some(sum / UNSUR.len() as f64 * 25.0)
}

/// Capaian of an indicator in percent: realisasi ÷ target × 100, or target ÷ realisasi × 100
/// where lower is better (004 line 782: poverty 4.01 target, 4.10 realisasi → 97.80).
/// `None` when the divisor is zero.
pub fn capaian(target: f64, realisasi: f64, lower_is_better: bool) -> Option<f64> {
    let (num, den) = if lower_is_better {
        (target, realisasi)
    } else {
        (realisasi, target)
    };
    (den != 0.0).then(|| num / den * 100.0)
}

/// The yearly IKM by the Bagian Organisasi's rule (001 lines 1389–1396): the mean of the two
/// semesters, a semester being its own wave or the mean of its two quarters; `get` gives each
/// period's value.
pub fn semester_rule_of(
    get: impl Fn(Periode) -> Option<f64>,
) -> (Option<f64>, Option<f64>, Option<f64>) {
    semester_rule(
        get(Periode::S1),
        get(Periode::TW1),
        get(Periode::TW2),
        get(Periode::S2),
        get(Periode::TW3),
        get(Periode::TW4),
    )
}

/// `semester_rule_of`'s rule over the six periods' values.
pub fn semester_rule(
    s1: Option<f64>,
    tw1: Option<f64>,
    tw2: Option<f64>,
    s2: Option<f64>,
    tw3: Option<f64>,
    tw4: Option<f64>,
) -> (Option<f64>, Option<f64>, Option<f64>) {
    let sem = |s: Option<f64>, a: Option<f64>, b: Option<f64>| s.or_else(|| Some((a? + b?) / 2.0));
    let a = sem(s1, tw1, tw2);
    let b = sem(s2, tw3, tw4);
    let year = match (a, b) {
        (Some(x), Some(y)) => Some((x + y) / 2.0),
        _ => None,
    };
    (a, b, year)
}

/// Krejcie–Morgan minimum sample for a population N: χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)),
/// χ² = 3.841, P = 0.5, d = 0.05, rounded up. Capped at 384, the largest sample of the
/// Krejcie–Morgan table (N = 1,000,000): with χ² = 3.841 the formula tends to 384.1, so for
/// N above about 2.4 million it would round up to 385, which the table never lists.
pub fn krejcie_morgan(population: u64) -> u64 {
    if population == 0 {
        return 0;
    }
    let n = population as f64;
    let chi2 = 3.841_f64;
    let pq = 0.25_f64;
    let d2 = 0.0025_f64;
    let s = chi2 * n * pq / (d2 * (n - 1.0) + chi2 * pq);
    // Guard against float noise just above an integer (e.g. 80.0000000001).
    let s = (s * 1e9).round() / 1e9;
    (s.ceil() as u64).min(population).min(384)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_bands_are_inclusive_at_lower_bounds() {
        assert_eq!(Mutu::of_ikm(88.31), Some(Mutu::A));
        assert_eq!(Mutu::of_ikm(88.305), Some(Mutu::A)); // rounds half-up to 88.31
        assert_eq!(Mutu::of_ikm(88.3049), Some(Mutu::B));
        assert_eq!(Mutu::of_ikm(76.61), Some(Mutu::B));
        assert_eq!(Mutu::of_ikm(76.60), Some(Mutu::C));
        assert_eq!(Mutu::of_ikm(65.00), Some(Mutu::C));
        assert_eq!(Mutu::of_ikm(64.99), Some(Mutu::D));
        assert_eq!(Mutu::of_ikm(25.0), Some(Mutu::D));
        assert_eq!(Mutu::of_ikm(100.0), Some(Mutu::A));
        assert_eq!(Mutu::of_ikm(24.99), None);
        assert_eq!(Mutu::of_ikm(100.01), None);
    }

    #[test]
    fn nrr_bands_follow_ikm_bands() {
        // docs/DOMAIN.md: NRR ≥ 3.5324 is A, ≥ 3.0644 B, ≥ 2.60 C.
        assert_eq!(Mutu::of_nrr(3.5324), Some(Mutu::A));
        assert_eq!(Mutu::of_nrr(3.5319), Some(Mutu::B));
        assert_eq!(Mutu::of_nrr(3.0644), Some(Mutu::B));
        assert_eq!(Mutu::of_nrr(2.60), Some(Mutu::C));
        assert_eq!(Mutu::of_nrr(2.5996), Some(Mutu::D));
        // Medansatria S1 (003 lines 1020–1030) printed A for NRR 3.35–3.37: they are B.
        for nrr in [3.350, 3.372, 3.360] {
            assert_eq!(Mutu::of_nrr(nrr), Some(Mutu::B));
        }
    }

    #[test]
    fn krejcie_morgan_matches_domain_examples() {
        assert_eq!(krejcie_morgan(100), 80);
        assert_eq!(krejcie_morgan(1000), 278);
        assert_eq!(krejcie_morgan(2328), 330);
        assert_eq!(krejcie_morgan(10_000_000), 384);
        assert_eq!(krejcie_morgan(1), 1);
    }

    #[test]
    fn ikm_weight_is_one_ninth() {
        let nrr = [
            3.327, 3.332, 3.283, 3.996, 3.399, 3.377, 3.417, 3.444, 3.641,
        ]
        .map(Some);
        let ikm = ikm_from_nrr(&nrr).unwrap();
        assert_eq!(round_half_up(ikm, 2), Some(86.71));
        assert!(ikm_from_nrr(&nrr[..8]).is_none());
    }

    #[test]
    fn capaian_both_directions() {
        assert_eq!(
            capaian(4.01, 4.10, true).and_then(|c| round_half_up(c, 2)),
            Some(97.80)
        );
        assert_eq!(
            capaian(77.0, 67.10, false).and_then(|c| round_half_up(c, 2)),
            Some(87.14)
        );
        assert_eq!(capaian(0.0, 1.0, false), None);
    }

    #[test]
    fn semester_rule_reproduces_setda_2024() {
        // 001 lines 1389–1396: SMT1 88,83, TW III 87,86, TW IV 86,98 → SM II 87,42 → 88,13.
        let (s1, s2, y) = semester_rule(Some(88.83), None, None, None, Some(87.86), Some(86.98));
        assert_eq!(s1, Some(88.83));
        assert_eq!(round_half_up(s2.unwrap(), 2), Some(87.42));
        assert_eq!(round_half_up(y.unwrap(), 2), Some(88.13));
    }

    #[test]
    fn mutu_parses_printed_labels() {
        assert_eq!(Mutu::parse(" Sangat  Baik "), Some(Mutu::A));
        assert_eq!(Mutu::parse("BAIK"), Some(Mutu::B));
        assert_eq!(Mutu::parse("b"), Some(Mutu::B));
        assert_eq!(Mutu::parse("bagus"), None);
        // The letter and the words as printed together (the helper's audit: `A (Sangat
        // Baik)` for 90.10 was flagged as not matching its own grade).
        assert_eq!(Mutu::parse("A (Sangat Baik)"), Some(Mutu::A));
        assert_eq!(Mutu::parse("Sangat Baik (A)"), Some(Mutu::A));
        assert_eq!(Mutu::parse("C - Kurang Baik"), Some(Mutu::C));
        assert_eq!(Mutu::parse("B/Baik"), Some(Mutu::B));
        assert_eq!(Mutu::parse("Mutu A"), Some(Mutu::A));
        assert_eq!(Mutu::parse("A (Baik)"), None);
        assert_eq!(Mutu::parse("E (Sangat Baik)"), None);
    }
}
