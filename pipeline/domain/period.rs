//! Survey periods: triwulan TW1–TW4, semester S1–S2, and the year (TAHUN).

use std::fmt;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Periode {
    TW1,
    TW2,
    TW3,
    TW4,
    S1,
    S2,
    Tahun,
}

impl Periode {
    pub const ALL: [Periode; 7] = [
        Periode::TW1,
        Periode::TW2,
        Periode::TW3,
        Periode::TW4,
        Periode::S1,
        Periode::S2,
        Periode::Tahun,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Periode::TW1 => "TW1",
            Periode::TW2 => "TW2",
            Periode::TW3 => "TW3",
            Periode::TW4 => "TW4",
            Periode::S1 => "S1",
            Periode::S2 => "S2",
            Periode::Tahun => "TAHUN",
        }
    }

    /// Sort position within a year: TW1, TW2, S1, TW3, TW4, S2, TAHUN.
    pub fn order(self) -> u8 {
        match self {
            Periode::TW1 => 1,
            Periode::TW2 => 2,
            Periode::S1 => 3,
            Periode::TW3 => 4,
            Periode::TW4 => 5,
            Periode::S2 => 6,
            Periode::Tahun => 7,
        }
    }

    pub fn from_code(code: &str) -> Option<Periode> {
        Periode::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The semester a period falls in (`None` for the year).
    pub fn semester(self) -> Option<Periode> {
        match self {
            Periode::TW1 | Periode::TW2 | Periode::S1 => Some(Periode::S1),
            Periode::TW3 | Periode::TW4 | Periode::S2 => Some(Periode::S2),
            Periode::Tahun => None,
        }
    }

    /// The first and last month of a period (TW1 1–3 … S2 7–12, TAHUN 1–12).
    pub fn months(self) -> (u32, u32) {
        match self {
            Periode::TW1 => (1, 3),
            Periode::TW2 => (4, 6),
            Periode::TW3 => (7, 9),
            Periode::TW4 => (10, 12),
            Periode::S1 => (1, 6),
            Periode::S2 => (7, 12),
            Periode::Tahun => (1, 12),
        }
    }

    /// The shortest period holding months `first` to `last` (quarters, then semesters, then
    /// the year).
    pub fn holding(first: u32, last: u32) -> Option<Periode> {
        (Periode::ALL.into_iter()).find(|p| p.months().0 <= first && last <= p.months().1)
    }

    /// The forms [`Periode::parse`] reads, for a refusal's message.
    pub const FORMS: &'static str = "TW1–TW4 (Triwulan I, Triwulan 3, TW III, Triwulan ke-2, \
        Q1), S1/S2 (Semester I, SMT 2, Sem. II), rentang bulan tepat satu triwulan atau semester \
        (Januari - Maret, Jan-Jun, Juli s.d. Desember), atau Tahun (Januari - Desember)";
    /// Reads a period as people write it: `TW1`–`TW4`, `S1`, `S2`, "Triwulan III",
    /// "Triwulan 3", "Triwulan ke-2", "TW III", "TW-3", "Semester I", "Semester 1", "SMT 2",
    /// "Q3", "Tahun", or the months of exactly one quarter, semester or the year ("Januari -
    /// Maret", "Jan-Jun", "Juli s.d. Desember"; "Februari - Mei" is none). A trailing year ("Triwulan
    /// III 2024") is allowed and ignored here; a part in brackets must agree with the rest
    /// ("Semester I (Jan-Jun)", "TW 1 (Jan-Mar)"; "TW 1 (Apr-Jun)" is none).
    pub fn parse(s: &str) -> Option<Periode> {
        let Some((head, rest)) = s.split_once('(') else {
            return Periode::parse_plain(s);
        };
        let (inner, tail) = rest.split_once(')').unwrap_or((rest, ""));
        let outer = format!("{head} {tail}");
        match (Periode::parse_plain(&outer), Periode::parse_plain(inner)) {
            (Some(a), Some(b)) => (a == b).then_some(a),
            (Some(a), None) => Some(a),
            (None, Some(b)) if outer.trim().is_empty() => Some(b),
            _ => None,
        }
    }

    fn parse_plain(s: &str) -> Option<Periode> {
        let lower = s.trim().to_lowercase();
        let tokens: Vec<String> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        // Drop a 4-digit year anywhere in the text, and the ordinal's `ke` (`Triwulan ke-2`).
        let tokens: Vec<&str> = tokens
            .iter()
            .map(String::as_str)
            .filter(|t| !(t.len() == 4 && t.chars().all(|c| c.is_ascii_digit())))
            .filter(|t| *t != "ke")
            .collect();
        if tokens.is_empty() {
            return None;
        }
        if let Some(p) = month_range(&tokens) {
            return Some(p);
        }
        if tokens.len() == 1 && matches!(tokens[0], "tahun" | "tahunan" | "setahun") {
            return Some(Periode::Tahun);
        }
        // Split a glued form such as "tw3", "s1", "smt2", "q4", "twiii".
        let (word, num): (String, String) = if tokens.len() == 1 {
            let t = tokens[0];
            let cut = t
                .char_indices()
                .find(|(_, c)| c.is_ascii_digit())
                .map(|(i, _)| i)
                .unwrap_or(t.len());
            if cut < t.len() {
                (t[..cut].to_string(), t[cut..].to_string())
            } else {
                // "twiii", "smtii": a known prefix followed by a roman numeral.
                let prefixes = ["triwulan", "semester", "smt", "sem", "tw", "q", "s"];
                match prefixes
                    .iter()
                    .find(|p| t.starts_with(*p) && roman(&t[p.len()..]).is_some())
                {
                    Some(p) => (p.to_string(), t[p.len()..].to_string()),
                    None => return None,
                }
            }
        } else if tokens.len() == 2 {
            (tokens[0].to_string(), tokens[1].to_string())
        } else {
            return None;
        };
        let n = num.parse::<u8>().ok().or_else(|| roman(&num))?;
        match word.as_str() {
            "tw" | "triwulan" | "trw" | "q" | "kuartal" | "quarter" => match n {
                1 => Some(Periode::TW1),
                2 => Some(Periode::TW2),
                3 => Some(Periode::TW3),
                4 => Some(Periode::TW4),
                _ => None,
            },
            "s" | "sm" | "smt" | "sem" | "semester" => match n {
                1 => Some(Periode::S1),
                2 => Some(Periode::S2),
                _ => None,
            },
            _ => None,
        }
    }
}

impl fmt::Display for Periode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The period whose months are exactly `first … last` (`Januari - Maret`: TW1; `Jul s.d.
/// Des`: S2), the words between them joints only (`-`, `s.d.`, `s/d`, `sampai`, `hingga`).
fn month_range(tokens: &[&str]) -> Option<Periode> {
    let joint = |t: &str| matches!(t, "s" | "d" | "sd" | "sampai" | "hingga" | "to");
    let months: Vec<u32> = tokens
        .iter()
        .filter(|t| !joint(t))
        .map(|t| month(t))
        .collect::<Option<_>>()?;
    let [first, last] = months[..] else {
        return None;
    };
    Periode::ALL
        .into_iter()
        .find(|p| p.months() == (first, last))
}

/// A month's number from its Indonesian or English name, whole or short (`Januari`, `Jan`,
/// `Agt`, `Des`, `Dec`).
fn month(t: &str) -> Option<u32> {
    let m = match t {
        "januari" | "jan" | "january" => 1,
        "februari" | "pebruari" | "feb" | "peb" | "february" => 2,
        "maret" | "mar" | "march" => 3,
        "april" | "apr" => 4,
        "mei" | "may" => 5,
        "juni" | "jun" | "june" => 6,
        "juli" | "jul" | "july" => 7,
        "agustus" | "agu" | "agt" | "agus" | "aug" | "august" => 8,
        "september" | "sep" | "sept" => 9,
        "oktober" | "okt" | "oct" | "october" => 10,
        "november" | "nov" | "nop" => 11,
        "desember" | "des" | "dec" | "december" => 12,
        _ => return None,
    };
    Some(m)
}

fn roman(s: &str) -> Option<u8> {
    match s {
        "i" => Some(1),
        "ii" => Some(2),
        "iii" => Some(3),
        "iv" => Some(4),
        _ => None,
    }
}

/// The triwulan of a month (1–12).
pub fn periode_of_date(month: u32) -> Option<Periode> {
    match month {
        1..=3 => Some(Periode::TW1),
        4..=6 => Some(Periode::TW2),
        7..=9 => Some(Periode::TW3),
        10..=12 => Some(Periode::TW4),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_words_people_write() {
        for (s, p) in [
            ("TW1", Periode::TW1),
            ("tw 2", Periode::TW2),
            ("Triwulan III", Periode::TW3),
            ("Triwulan 3", Periode::TW3),
            ("TW III", Periode::TW3),
            ("TW-IV", Periode::TW4),
            ("TWIV", Periode::TW4),
            ("Semester I", Periode::S1),
            ("Semester 1", Periode::S1),
            ("S2", Periode::S2),
            ("SMT 2", Periode::S2),
            ("SMT1", Periode::S1),
            ("Triwulan III 2024", Periode::TW3),
            ("Tahun", Periode::Tahun),
            ("Triwulan Ke-1", Periode::TW1),
            ("Triwulan ke 2", Periode::TW2),
            ("Semester I (Jan-Jun)", Periode::S1),
            ("TW 1 (Jan-Mar)", Periode::TW1),
            ("Januari - Maret", Periode::TW1),
            ("Jan-Mar", Periode::TW1),
            ("Juli s.d. Desember", Periode::S2),
            ("Oktober s/d Desember 2024", Periode::TW4),
            ("(Apr-Jun)", Periode::TW2),
            ("Januari - Desember", Periode::Tahun),
        ] {
            assert_eq!(Periode::parse(s), Some(p), "{s}");
        }
        // (A month range that is no quarter nor semester, brackets that contradict, a lone
        // month.)
        for s in [
            "",
            "TW5",
            "Semester 3",
            "kemarin",
            "2024",
            "Februari - Mei",
            "TW 1 (Apr-Jun)",
            "Maret",
        ] {
            assert_eq!(Periode::parse(s), None, "{s}");
        }
    }

    #[test]
    fn quarter_of_month() {
        assert_eq!(periode_of_date(1), Some(Periode::TW1));
        assert_eq!(periode_of_date(10), Some(Periode::TW4));
        assert_eq!(periode_of_date(13), None);
    }
}
