//! Numbers as they arrive in realization sheets (docs/DOMAIN.md, "Numbers as they arrive"):
//! Indonesian and English formats mixed in one document, even one row.
//!
//! `3,161` and `3.327` are both NRRs; `229.444.689.696,00` and `229,444,689,696.00` are both
//! rupiah; `Rp. 10.000.000,-`; `105,42%`; `-` for none; `(1.234)` is negative. A lone
//! separator followed by exactly three digits (`3,161`, `10.000`) could be either a decimal or
//! a thousands mark: it is decided by what the column holds (its [`Kind`]), and a value that
//! stays ambiguous is an error, never a guess.

use rust_decimal::Decimal;
use std::str::FromStr;

/// What a column holds, which decides an ambiguous separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Rupiah: whole amounts; a lone `.` or `,` before three digits is a thousands mark.
    Money,
    /// An NRR, 1–4.
    Nrr,
    /// An IKM, 25–100.
    Ikm,
    /// A percentage or ratio (capaian, serapan): a lone separator is a decimal mark.
    Percent,
    /// Anything else (targets, realisasi of indicators): an ambiguous value is an error.
    Any,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumError {
    /// Not a number at all.
    NotANumber,
    /// `1,234` where the column could hold 1.234 or 1234.
    Ambiguous {
        as_decimal: String,
        as_thousands: String,
    },
    /// Thousands groups that are not of three digits (`1.23.456`).
    BadGrouping,
    /// A number outside the column's range (an NRR of 7).
    OutOfRange(String),
}

impl std::fmt::Display for NumError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NumError::NotANumber => write!(f, "bukan angka"),
            NumError::Ambiguous { as_decimal, as_thousands } => write!(
                f,
                "angka ambigu: bisa {as_decimal} (koma/titik desimal) atau {as_thousands} (pemisah ribuan)"
            ),
            NumError::BadGrouping => write!(f, "pemisah ribuan tidak dalam kelompok 3 angka"),
            NumError::OutOfRange(v) => write!(f, "nilai {v} di luar rentang kolom ini"),
        }
    }
}

/// A parsed number and whether it was written with `%`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    pub value: Decimal,
    pub percent: bool,
}

fn range(kind: Kind) -> Option<(Decimal, Decimal)> {
    match kind {
        Kind::Nrr => Some((Decimal::ONE, Decimal::from(4))),
        Kind::Ikm => Some((Decimal::from(25), Decimal::from(100))),
        _ => None,
    }
}

/// Parses a number as written. `Ok(None)` for "none" (`""`, `-`, `–`, `N/A`, `nihil`).
pub fn parse(s: &str, kind: Kind) -> Result<Option<Parsed>, NumError> {
    let mut t: String = s.trim().replace(['\u{a0}', ' ', '\u{2009}'], "");
    let lower = t.to_lowercase();
    if matches!(
        lower.as_str(),
        "" | "-" | "–" | "—" | "n/a" | "na" | "nihil" | "#n/a"
    ) {
        return Ok(None);
    }
    // Currency marks and the ",-" of rupiah.
    t = t[currency_mark(&lower)..].to_string();
    for suf in [",-", ".-", ",00-"] {
        if let Some(x) = t.strip_suffix(suf) {
            t = x.to_string();
        }
    }
    let mut negative = false;
    if t.starts_with('(') && t.ends_with(')') && t.len() > 2 {
        negative = true;
        t = t[1..t.len() - 1].to_string();
    }
    if kind == Kind::Money {
        if let Some(amount) = with_scale_word(&t)? {
            return Ok(Some(Parsed {
                value: if negative { -amount } else { amount },
                percent: false,
            }));
        }
    }
    let percent = t.ends_with('%');
    if percent {
        t.pop();
    }
    if let Some(x) = t.strip_prefix('-') {
        negative = !negative;
        t = x.to_string();
    } else if let Some(x) = t.strip_prefix('+') {
        t = x.to_string();
    }
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(NumError::NotANumber);
    }
    if !t.starts_with(|c: char| c.is_ascii_digit()) && !t.starts_with(['.', ',']) {
        return Err(NumError::NotANumber);
    }
    let dots = t.matches('.').count();
    let commas = t.matches(',').count();
    let candidates: Vec<Decimal> = match (dots, commas) {
        (0, 0) => vec![dec(&t)?],
        (_, 0) | (0, _) => {
            let sep = if dots > 0 { '.' } else { ',' };
            let n = dots + commas;
            if n > 1 {
                vec![thousands(&t, sep)?]
            } else {
                let after = t.len() - t.find(sep).expect("one separator") - 1;
                let as_dec = dec(&t.replace(sep, "."))?;
                match (after == 3).then(|| thousands(&t, sep)) {
                    Some(Ok(as_th)) => vec![as_dec, as_th],
                    _ => vec![as_dec],
                }
            }
        }
        _ => {
            // Both: the last one is the decimal mark.
            let last_dot = t.rfind('.').expect("dot");
            let last_comma = t.rfind(',').expect("comma");
            let (dec_sep, th_sep) = if last_dot > last_comma {
                ('.', ',')
            } else {
                (',', '.')
            };
            if t.matches(dec_sep).count() != 1 {
                return Err(NumError::BadGrouping);
            }
            let (int, frac) = t.split_at(t.rfind(dec_sep).expect("sep"));
            let int = thousands(int, th_sep)?;
            // (A whole part at `Decimal`'s largest, 79.228.162.514.264.337.593.543.950.335,
            // plus a fraction overflows: a number out of any column's range, not a panic.)
            let whole = int.checked_add(dec(&format!("0.{}", &frac[1..]))?);
            vec![whole.ok_or_else(|| NumError::OutOfRange(t.to_string()))?]
        }
    };
    let sign = |v: Decimal| if negative { -v } else { v };
    let pick = if candidates.len() == 1 {
        candidates[0]
    } else {
        let (as_dec, as_th) = (candidates[0], candidates[1]);
        match kind {
            Kind::Money => as_th,
            Kind::Percent => as_dec,
            Kind::Nrr | Kind::Ikm => {
                let (lo, hi) = range(kind).expect("range");
                let fits = |v: Decimal| v >= lo && v <= hi;
                match (fits(as_dec), fits(as_th)) {
                    (true, false) => as_dec,
                    (false, true) => as_th,
                    _ => {
                        return Err(NumError::Ambiguous {
                            as_decimal: sign(as_dec).to_string(),
                            as_thousands: sign(as_th).to_string(),
                        })
                    }
                }
            }
            Kind::Any => {
                return Err(NumError::Ambiguous {
                    as_decimal: sign(as_dec).to_string(),
                    as_thousands: sign(as_th).to_string(),
                })
            }
        }
    };
    let value = sign(pick);
    if let Some((lo, hi)) = range(kind) {
        if value < lo || value > hi {
            return Err(NumError::OutOfRange(value.normalize().to_string()));
        }
    }
    Ok(Some(Parsed { value, percent }))
}

/// The length of the currency mark a (lower-cased) amount begins with: `rp.`, `rp`, `idr`.
fn currency_mark(lower: &str) -> usize {
    ["rp.", "rp", "idr"]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map_or(0, |p| p.len())
}

/// Whether a rupiah text names its own scale (`2,5 M`, `1,5 jt`: `with_scale_word`): a
/// column's stated scale (`dalam ribuan`) does not apply to it.
pub fn names_its_scale(s: &str) -> bool {
    with_scale_word(&scale_word_text(s)).is_ok_and(|v| v.is_some())
}

/// The unit of the last digit of an amount written with its scale word (`with_scale_word`), in
/// rupiah: `2,5 M` → 100.000.000 (the amount is 2,5 M to the nearest 0,1 M), `1,25 Miliar` →
/// 10.000.000, `750 rb` → 1.000, `1 M` → 1.000.000.000. `None` for any other text.
pub fn rounded_to(s: &str) -> Option<Decimal> {
    let (n, zeros) = scale_word(&scale_word_text(s)).ok()??;
    Decimal::new(1, n.scale()).checked_mul(Decimal::from(10i64.pow(zeros)))
}

/// A rupiah text as `with_scale_word` reads it: its digits, marks and letters (no sign,
/// brackets, spaces or `,-`), after its currency mark.
fn scale_word_text(s: &str) -> String {
    let t: String = (s.chars())
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | ','))
        .collect();
    let t = &t[currency_mark(&t.to_lowercase())..];
    t.trim_end_matches(',').to_string()
}

/// An amount written with a word of its scale after it, as budget summaries write them: `2,5 M`
/// and `2,5 miliar` (2.500.000.000), `1,5 jt` (1.500.000), `750 rb`, `1,2 T` (triliun); the
/// spaces already taken out. The number before the word is read as `Kind::Any` reads one (a
/// lone mark before three digits, `1.250 jt`, could be either: refused as ambiguous). `None`
/// when no such word ends the text.
fn with_scale_word(t: &str) -> Result<Option<Decimal>, NumError> {
    let Some((n, zeros)) = scale_word(t)? else {
        return Ok(None);
    };
    let amount = n.checked_mul(Decimal::from(10i64.pow(zeros)));
    amount
        .map(|a| a.normalize())
        .ok_or_else(|| NumError::OutOfRange(t.to_string()))
        .map(Some)
}

/// The number before a scale word, as written (`2,5` of `2,5 M`, its decimals kept), and the
/// word's power of ten.
fn scale_word(t: &str) -> Result<Option<(Decimal, u32)>, NumError> {
    let word_at = t
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic() || *c == '.')
        .last()
        .map(|(i, _)| i);
    let Some(at) = word_at.filter(|&i| i > 0) else {
        return Ok(None);
    };
    let (number, word) = t.split_at(at);
    let word = word.trim_end_matches('.').to_lowercase();
    let zeros: u32 = match word.as_str() {
        "rb" | "ribu" => 3,
        "jt" | "juta" => 6,
        "m" | "miliar" | "milyar" | "mlyr" | "mly" | "myr" => 9,
        "t" | "triliun" | "trilyun" => 12,
        _ => return Ok(None),
    };
    let Some(n) = parse(number, Kind::Any)? else {
        return Err(NumError::NotANumber);
    };
    if n.percent {
        return Err(NumError::NotANumber);
    }
    Ok(Some((n.value, zeros)))
}

fn dec(s: &str) -> Result<Decimal, NumError> {
    let s = if s.starts_with('.') {
        format!("0{s}")
    } else {
        s.to_string()
    };
    Decimal::from_str(&s).map_err(|_| NumError::NotANumber)
}

/// `229.444.689.696` with `.` as the thousands mark: every group after the first has 3 digits,
/// and the first is no lone `0` (`0,385`, a Gini ratio, is a fraction: nobody writes 385 as
/// `0.385`).
fn thousands(s: &str, sep: char) -> Result<Decimal, NumError> {
    let groups: Vec<&str> = s.split(sep).collect();
    if groups[0].is_empty()
        || groups[0].len() > 3
        || groups[0].starts_with('0')
        || groups[1..].iter().any(|g| g.len() != 3)
    {
        return Err(NumError::BadGrouping);
    }
    dec(&groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str, k: Kind) -> Decimal {
        parse(s, k).unwrap().unwrap().value
    }
    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn amounts_with_a_word_of_their_scale() {
        for (t, want) in [
            ("Rp 2,5 M", "2500000000"),
            ("2,5 Miliar", "2500000000"),
            ("Rp. 1,25 Milyar", "1250000000"),
            ("1,5 jt", "1500000"),
            ("1.5 Juta", "1500000"),
            ("750 rb", "750000"),
            ("750 ribu", "750000"),
            ("1,2 T", "1200000000000"),
            ("Rp 350 jt,-", "350000000"),
            ("(2,5 M)", "-2500000000"),
            ("-2,5 M", "-2500000000"),
            ("12 jt.", "12000000"),
        ] {
            assert_eq!(v(t, Kind::Money), d(want), "{t}");
            assert!(names_its_scale(t), "{t}");
        }
        // A lone mark before three digits: 1,25 or 1.250 million; refused, not guessed.
        assert!(matches!(
            parse("1.250 jt", Kind::Money),
            Err(NumError::Ambiguous { .. })
        ));
        // No scale word: as before; a word that is no scale: not a number.
        assert!(!names_its_scale("Rp 10.000.000,-"));
        assert_eq!(parse("2,5 meter", Kind::Money), Err(NumError::NotANumber));
        assert_eq!(parse("M", Kind::Money), Err(NumError::NotANumber));
        // Only rupiah: a percentage or an indicator's value takes no scale word.
        assert_eq!(parse("2,5 M", Kind::Any), Err(NumError::NotANumber));
    }

    #[test]
    fn a_worded_amount_is_rounded_to_its_last_written_digit() {
        for (t, unit) in [
            ("Rp 2,5 M", "100000000"),
            ("2,50 Miliar", "10000000"),
            ("Rp. 1,25 Milyar", "10000000"),
            ("1 M", "1000000000"),
            ("1,5 jt", "100000"),
            ("750 rb", "1000"),
            ("(2,5 M)", "100000000"),
            ("Rp 350 jt,-", "1000000"),
            ("1,2 T", "100000000000"),
        ] {
            assert_eq!(rounded_to(t), Some(d(unit)), "{t}");
        }
        for t in [
            "Rp 2.500.000.000",
            "2500000000",
            "1.250 jt",
            "2,5 meter",
            "",
        ] {
            assert_eq!(rounded_to(t), None, "{t}");
        }
    }

    #[test]
    fn a_leading_zero_is_a_fraction_never_thousands() {
        assert_eq!(v("0,385", Kind::Percent), d("0.385"));
        assert_eq!(v("0.385", Kind::Percent), d("0.385"));
        assert_eq!(parse("0.385.000", Kind::Money), Err(NumError::BadGrouping));
        assert_eq!(v("1.385", Kind::Money), d("1385"));
    }

    #[test]
    fn the_formats_of_domain_md() {
        assert_eq!(v("3,161", Kind::Nrr), d("3.161"));
        assert_eq!(v("3.327", Kind::Nrr), d("3.327"));
        assert_eq!(v("229.444.689.696,00", Kind::Money), d("229444689696"));
        assert_eq!(v("229,444,689,696.00", Kind::Money), d("229444689696"));
        assert_eq!(v("Rp. 10.000.000,-", Kind::Money), d("10000000"));
        let p = parse("105,42%", Kind::Percent).unwrap().unwrap();
        assert_eq!((p.value, p.percent), (d("105.42"), true));
        assert_eq!(v("93.6", Kind::Percent), d("93.6"));
        assert_eq!(parse("-", Kind::Money), Ok(None));
        assert_eq!(v("(1.234)", Kind::Money), d("-1234"));
        assert_eq!(v("(5,000,000.00)", Kind::Money), d("-5000000"));
        assert_eq!(v("-7,17%", Kind::Percent), d("-7.17"));
        assert_eq!(v("88,02", Kind::Ikm), d("88.02"));
        assert_eq!(v("10.000", Kind::Money), d("10000"));
    }

    #[test]
    fn ambiguity_is_an_error_not_a_guess() {
        assert!(matches!(
            parse("1,234", Kind::Any),
            Err(NumError::Ambiguous { .. })
        ));
        assert!(matches!(parse("86,845", Kind::Ikm), Ok(Some(_))));
        assert!(matches!(
            parse("7,5", Kind::Nrr),
            Err(NumError::OutOfRange(_))
        ));
        assert_eq!(parse("tiga", Kind::Any), Err(NumError::NotANumber));
        assert_eq!(parse("1.23.456", Kind::Money), Err(NumError::BadGrouping));
        assert_eq!(parse("12a", Kind::Any), Err(NumError::NotANumber));
        assert_eq!(v("1,5", Kind::Any), d("1.5"));
        assert_eq!(v("1.234,5", Kind::Any), d("1234.5"));
        // A whole part at `Decimal`'s largest and a fraction: out of range in every column,
        // never a panic (an overflowing addition stopped the run).
        for t in [
            "79.228.162.514.264.337.593.543.950.335,9",
            "79,228,162,514,264,337,593,543,950,335.9",
            "Rp 79.228.162.514.264.337.593.543.950.335,99",
        ] {
            for k in [Kind::Money, Kind::Percent, Kind::Any, Kind::Nrr, Kind::Ikm] {
                assert!(
                    matches!(parse(t, k), Err(NumError::OutOfRange(_))),
                    "{t:?} {k:?}"
                );
            }
        }
    }

    /// Property: any amount written in either convention, with or without thousands marks,
    /// currency or parentheses, parses back to itself.
    #[test]
    fn property_round_trip_of_written_amounts() {
        let mut rng = crate::rng::Rng::new(42);
        for _ in 0..20_000 {
            let int = rng.next_u64() % 1_000_000_000_000;
            let cents = rng.next_u64() % 100;
            let neg = rng.below(4) == 0;
            let value = {
                let x = Decimal::from(int) + Decimal::new(cents as i64, 2);
                if neg {
                    -x
                } else {
                    x
                }
            };
            let digits = int.to_string();
            let grouped = |sep: char| {
                let mut out = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i).is_multiple_of(3) {
                        out.push(sep);
                    }
                    out.push(c);
                }
                out
            };
            let (th, dm) = if rng.below(2) == 0 {
                ('.', ',')
            } else {
                (',', '.')
            };
            let body = format!("{}{}{:02}", grouped(th), dm, cents);
            let written = match rng.below(3) {
                0 if neg => format!("({body})"),
                0 => format!("Rp. {body}"),
                1 if neg => format!("-{body}"),
                _ if neg => format!("({body})"),
                _ => body.clone(),
            };
            let got = parse(&written, Kind::Money).unwrap_or_else(|e| panic!("{written}: {e}"));
            assert_eq!(got.map(|p| p.value), Some(value), "{written}");
            // Whole rupiah with thousands marks only.
            if int >= 1000 {
                let whole = grouped(th);
                let got = parse(&whole, Kind::Money).unwrap().unwrap().value;
                assert_eq!(got, Decimal::from(int), "{whole}");
            }
        }
    }

    /// Property: an NRR written with a decimal comma or point and 1–3 decimals is read exactly.
    #[test]
    fn property_nrr_either_mark() {
        let mut rng = crate::rng::Rng::new(7);
        for _ in 0..20_000 {
            let milli = 1000 + rng.below(3001) as i64;
            let value = Decimal::new(milli, 3);
            let mark = if rng.below(2) == 0 { "." } else { "," };
            let s = value.normalize().to_string().replace('.', mark);
            assert_eq!(v(&s, Kind::Nrr), value.normalize(), "{s}");
        }
    }
}
