//! Which of a budget sheet's several realisasi columns is read: the cumulative total to the
//! latest point, when the headings say so unambiguously (SIPD's monthly report `Realisasi s.d.
//! Bulan Lalu | Realisasi Bulan Ini | Realisasi s.d. Bulan Ini`: the last; `Realisasi s.d. TW
//! III | Realisasi s.d. TW IV`: the last; `Realisasi s.d. TW III | Realisasi`: the plain one,
//! the total beside a part). Otherwise the sheet is refused (`kolom_ganda`), never the first
//! column taken.

use crate::domain::unsur::fold;

/// A point of the budget year a heading names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    /// The report's own point: `bulan ini`, `saat ini`.
    Latest,
    /// The point before it: `bulan lalu`.
    Previous,
    /// The end of a month of the year, 1–12 (`TW III` is 9, `Semester I` 6, `Desember` 12).
    Month(u8),
}

impl Point {
    /// Whether `self` comes strictly after `other` (`None`: they cannot be compared, a month
    /// against `bulan ini`).
    fn after(self, other: Point) -> Option<bool> {
        use Point::*;
        match (self, other) {
            (Month(a), Month(b)) => Some(a > b),
            (Latest, Previous) => Some(true),
            (Previous, Latest) => Some(false),
            (Latest, Latest) | (Previous, Previous) => Some(false),
            _ => None,
        }
    }
}

/// What a realisasi heading says it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// No period named (`Realisasi`, `Total Realisasi`, `Realisasi Keuangan (Rp)`): the
    /// sheet's realisasi.
    Total,
    /// Cumulative up to a point (`s.d. Bulan Ini`, `s/d TW III`, `sampai dengan Juni`).
    Upto(Point),
    /// One period's alone (`Bulan Ini`, `TW IV`).
    Only(Point),
    /// A period named that skm cannot place (`s.d. Periode Ini`).
    Unknown,
}

impl Span {
    /// Whether it is the year's (or the report's) realisasi to date: a total, or cumulative
    /// to the report's point or to December.
    fn complete(self) -> bool {
        matches!(
            self,
            Span::Total | Span::Upto(Point::Latest) | Span::Upto(Point::Month(12))
        )
    }

    /// In words, for the columns not read.
    fn words(self) -> &'static str {
        match self {
            Span::Total => "realisasi total",
            Span::Upto(_) => "realisasi kumulatif sampai titik yang lebih awal",
            Span::Only(_) => "realisasi satu periode saja",
            Span::Unknown => "periode tidak dikenali",
        }
    }
}

const MONTHS: [[&str; 2]; 12] = [
    ["januari", "jan"],
    ["februari", "feb"],
    ["maret", "mar"],
    ["april", "apr"],
    ["mei", "mei"],
    ["juni", "jun"],
    ["juli", "jul"],
    ["agustus", "agt"],
    ["september", "sep"],
    ["oktober", "okt"],
    ["november", "nov"],
    ["desember", "des"],
];

/// A numeral of a quarter or semester: `iii`, `3`.
fn numeral(w: Option<&&str>) -> Option<u8> {
    match *w? {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

/// The point the words name first (`bulan ini`, `tw iii`, `semester 1`, `juni`).
fn point(words: &[&str]) -> Option<Point> {
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1);
        let p = match *w {
            "ini" | "sekarang" => Some(Point::Latest),
            "lalu" | "sebelumnya" => Some(Point::Previous),
            "tw" | "triwulan" | "trw" | "tri" => numeral(next)
                .filter(|n| *n <= 4)
                .map(|n| Point::Month(3 * n)),
            "semester" | "smt" | "sm" | "sem" => numeral(next)
                .filter(|n| *n <= 2)
                .map(|n| Point::Month(6 * n)),
            w => (MONTHS.iter().position(|m| m.contains(&w))).map(|m| Point::Month(m as u8 + 1)),
        };
        if p.is_some() {
            return p;
        }
    }
    None
}

/// What a realisasi heading covers.
pub fn span(header: &str) -> Span {
    let f = fold(header);
    let words: Vec<&str> = f.split(' ').collect();
    // `s.d.`, `s/d`, `sd`, `sampai dengan`, `hingga`, `kumulatif`.
    let upto = (0..words.len()).find(|&i| match words[i] {
        "sd" | "hingga" | "sampai" | "kumulatif" => true,
        "s" => words.get(i + 1) == Some(&"d"),
        _ => false,
    });
    match (upto, point(&words)) {
        (Some(i), _) => point(&words[i..]).map_or(Span::Unknown, Span::Upto),
        (None, Some(p)) => Span::Only(p),
        (None, None) => Span::Total,
    }
}

/// The realisasi column read, and why each other is not (`(column, words)`).
pub type Choice = (usize, Vec<(usize, &'static str)>);

/// Of several columns meaning realisasi (`(column, heading)`, in the sheet's order), the one
/// read, with why each other is not; or why none can be chosen, for the sheet's refusal.
pub fn choose(cols: &[(usize, &str)]) -> Result<Choice, String> {
    let spans: Vec<Span> = cols.iter().map(|(_, h)| span(h)).collect();
    let complete: Vec<usize> = (0..cols.len()).filter(|&i| spans[i].complete()).collect();
    let chosen = match complete.as_slice() {
        [i] => Some(*i),
        [] => latest_upto(&spans),
        _ => None,
    };
    let Some(i) = chosen else {
        let named: Vec<String> = cols
            .iter()
            .map(|(_, h)| format!("'{}'", h.trim()))
            .collect();
        return Err(format!(
            "kolom {} sama-sama berarti realisasi, dan dari judulnya tidak jelas mana realisasi \
             kumulatif sampai titik terakhir laporan; diharapkan satu kolom berjudul \
             'Realisasi' atau 'Realisasi s.d. Bulan Ini' / 's.d. TW IV' di samping \
             kolom sebagian ('s.d. Bulan Lalu', 'Bulan Ini', 's.d. TW III'): perbaiki judul \
             kolom realisasi totalnya, atau hapus kolom realisasi yang lain, lalu kirim ulang",
            named.join(", ")
        ));
    };
    let others = (0..cols.len())
        .filter(|&j| j != i)
        .map(|j| (cols[j].0, spans[j].words()))
        .collect();
    Ok((cols[i].0, others))
}

/// A sheet's only realisasi column, when its heading says it is one month's own realisasi
/// (`Realisasi Bulan Ini`, `Realisasi Bulan Lalu`, SIPD's middle column sent without the
/// others): not the realisasi to date, so the sheet is refused (`realisasi_sebagian`) with
/// why, rather than its serapan understated. A quarter, semester or month named alone
/// (`Realisasi TW IV`) is read: reports name their quarter so whether it is cumulative or
/// not (the mapping in `skm validate` and `files` shows the column read).
pub fn partial_alone(header: &str) -> Option<String> {
    match span(header) {
        Span::Only(Point::Latest | Point::Previous) => Some(format!(
            "satu-satunya kolom realisasi, '{}', hanya realisasi satu bulan (bukan realisasi \
             kumulatif sampai bulan laporan), jadi serapan anggaran tidak dapat dihitung \
             darinya; diharapkan kolom 'Realisasi s.d. Bulan Ini' (kumulatif) atau \
             'Realisasi': tambahkan kolom realisasi kumulatifnya (atau ganti judul bila kolom \
             ini memang kumulatif), lalu kirim ulang",
            header.trim()
        )),
        _ => None,
    }
}

/// Without a complete column: the cumulative one to a point after every other column's (a
/// part up to the same point, `TW III` beside `s.d. TW III`, is its last piece).
fn latest_upto(spans: &[Span]) -> Option<usize> {
    (spans.iter().enumerate())
        .filter_map(|(i, s)| match s {
            Span::Upto(p) => Some((i, *p)),
            _ => None,
        })
        .find(|&(i, p)| {
            spans.iter().enumerate().all(|(j, s)| match s {
                _ if j == i => true,
                Span::Upto(q) => p.after(*q) == Some(true),
                Span::Only(q) => p.after(*q) == Some(true) || p == *q,
                Span::Total | Span::Unknown => false,
            })
        })
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_months_own_column_alone_is_refused() {
        for h in [
            "Realisasi Bulan Ini",
            "Realisasi bulan lalu (Rp)",
            "REALISASI BULAN INI",
        ] {
            assert!(
                partial_alone(h).is_some_and(|w| w.contains(h.trim())),
                "{h}"
            );
        }
        for h in [
            "Realisasi",
            "Realisasi s.d. Bulan Ini",
            "Realisasi s.d. Bulan Lalu",
            "Realisasi TW IV",
            "Total Realisasi",
        ] {
            assert_eq!(partial_alone(h), None, "{h}");
        }
    }

    #[test]
    fn headings_say_what_they_cover() {
        use Point::*;
        for (h, s) in [
            ("Realisasi", Span::Total),
            ("Total Realisasi", Span::Total),
            ("Realisasi Keuangan (Rp)", Span::Total),
            ("Realisasi s.d. Bulan Ini", Span::Upto(Latest)),
            ("Realisasi s.d. Bulan Lalu", Span::Upto(Previous)),
            ("Realisasi Bulan Ini", Span::Only(Latest)),
            ("Realisasi s/d TW III", Span::Upto(Month(9))),
            ("Realisasi sd Triwulan IV", Span::Upto(Month(12))),
            ("Realisasi Sampai Dengan Juni 2024", Span::Upto(Month(6))),
            ("Realisasi TW IV", Span::Only(Month(12))),
            ("Realisasi Semester I", Span::Only(Month(6))),
            ("Realisasi s.d. Periode", Span::Unknown),
        ] {
            assert_eq!(span(h), s, "{h}");
        }
    }

    #[test]
    fn the_cumulative_to_the_latest_point_is_read_or_the_sheet_refused() {
        fn pick<'h>(hs: &[&'h str]) -> Result<&'h str, String> {
            let cols: Vec<(usize, &str)> = hs.iter().copied().enumerate().collect();
            choose(&cols).map(|(c, _)| hs[c])
        }
        let sipd = [
            "Realisasi s.d. Bulan Lalu",
            "Realisasi Bulan Ini",
            "Realisasi s.d. Bulan Ini",
        ];
        assert_eq!(pick(&sipd), Ok("Realisasi s.d. Bulan Ini"));
        let tw = ["Realisasi s.d. TW III", "Realisasi s.d. TW IV"];
        assert_eq!(pick(&tw), Ok("Realisasi s.d. TW IV"));
        assert_eq!(
            pick(&["Realisasi s.d. TW III", "Realisasi"]),
            Ok("Realisasi")
        );
        assert_eq!(
            pick(&["Realisasi TW IV", "Total Realisasi"]),
            Ok("Total Realisasi")
        );
        assert_eq!(
            pick(&[
                "Realisasi s.d. TW II",
                "Realisasi TW III",
                "Realisasi s.d. TW III"
            ]),
            Ok("Realisasi s.d. TW III")
        );
        for refused in [
            &["Realisasi s.d. Bulan Lalu", "Realisasi Bulan Ini"][..],
            &["Realisasi s.d. TW III", "Realisasi TW IV"],
            &["Realisasi", "Realisasi s.d. Bulan Ini"],
            &["Realisasi", "Total Realisasi"],
            &["Realisasi TW I", "Realisasi TW II"],
            &["Realisasi s.d. Juni", "Realisasi Bulan Ini"],
        ] {
            let e = pick(refused).unwrap_err();
            assert!(e.contains(refused[0]) && e.contains(refused[1]), "{e}");
        }
    }
}
