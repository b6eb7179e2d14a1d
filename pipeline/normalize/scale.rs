//! Which words an answer column is read in: the unsur's own answer words (`domain::unsur`), or
//! a generic four-point scale (`[[skala]]` in schemas/questionnaire.toml: `Tidak baik … Sangat
//! baik`, `Sangat tidak puas … Sangat puas`, …), decided per column from the words it holds.
//! The same word means different things on different scales (`Buruk` is 1 on the sarana scale
//! and 2 on `Sangat buruk … Sangat baik`), so a column is never read word by word against
//! every scale: it is read in the one scale all its words come from. A grid question's columns
//! (`<question> [<unsur>]`) share one scale, decided over all of them.

use std::collections::BTreeSet;

use crate::domain::unsur::fold;
use crate::domain::{Unsur, UNSUR};

/// A generic four-point scale: its words, folded, for 1 to 4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    /// How the scale is named to people, its four words: "Kurang / Cukup / Baik / Sangat
    /// baik" (two scales may share their ends).
    pub nama: String,
    pub words: [String; 4],
    /// The abbreviations a unit's log types for the four words (`SB`, `B`, `C`, `K`), as
    /// `abbreviation` gives them (`sb`), and how they are named to people (`SB = Sangat baik,
    /// …`); none for a scale without them.
    pub singkatan: Option<([String; 4], String)>,
}

impl Scale {
    pub fn new(words: &[String; 4]) -> Scale {
        Scale {
            nama: words.join(" / "),
            words: words.clone().map(|w| fold(&w)),
            singkatan: None,
        }
    }

    /// The scale with the abbreviations of its four words (`[[skala]] singkatan`).
    pub fn with_abbreviations(mut self, words: &[String; 4], short: &[String; 4]) -> Scale {
        let nama = (0..4)
            .rev()
            .map(|i| format!("{} = {}", short[i], words[i]))
            .collect::<Vec<_>>()
            .join(", ");
        let keys = short.clone().map(|a| abbreviation(&a).unwrap_or_default());
        self.singkatan = Some((keys, nama));
        self
    }

    /// The score of an abbreviation (`abbreviation`'s form) on this scale.
    pub fn score_abbreviation(&self, key: &str) -> Option<u8> {
        let (keys, _) = self.singkatan.as_ref()?;
        keys.iter().position(|k| k == key).map(|i| i as u8 + 1)
    }

    /// The score of a folded word on this scale.
    pub fn score(&self, folded: &str) -> Option<u8> {
        self.words
            .iter()
            .position(|w| w == folded)
            .map(|i| i as u8 + 1)
    }
}

/// How one answer column's words are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnScale {
    /// The unsur's own answer words (and numbers 1–4).
    Own,
    /// A generic scale (index into the layout's scales), and numbers 1–4.
    Generic(usize),
    /// The questionnaire's option letters (Permen PANRB 14/2017's form: `a` Tidak sesuai … `d`
    /// Sangat sesuai), typed in a unit's log: `a`–`d` read as 1–4 (and numbers 1–4). Decided
    /// for the whole sheet (`questionnaire::option_letters`), never per column.
    Letters,
    /// A scale's abbreviations (`SB`, `B`, `C`, `K`; index into the layout's scales, and how
    /// they are named to people), typed in a unit's log: decided for the whole sheet
    /// (`questionnaire::abbreviations`), never per column.
    Abbrev(usize, String),
    /// Its words come from no single scale, or from scales that read them differently: every
    /// answer word in it is rejected with this reason (numbers 1–4 are still read).
    Unusable(String),
}

/// An option letter as a log types it (`a`, `B`, `c.`, `d)`, `(a)`): its score 1–4.
pub fn option_letter(t: &str) -> Option<u8> {
    let t = t.trim();
    let t = t.strip_prefix('(').unwrap_or(t);
    let t = t.strip_suffix(['.', ')']).unwrap_or(t);
    match t.as_bytes() {
        [b @ (b'a'..=b'd' | b'A'..=b'D')] => Some(b.to_ascii_lowercase() - b'a' + 1),
        _ => None,
    }
}

/// An answer typed as an abbreviation (`SB`, `s.b.`, `Sts`): its letters, lower case, when it
/// is one to three ASCII letters with dots or spaces between them, else `None`.
pub fn abbreviation(t: &str) -> Option<String> {
    let key: String = t
        .chars()
        .filter(|c| !matches!(c, '.' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    ((1..=3).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_lowercase())).then_some(key)
}

/// The words of an answer written after its option letter, as a form lists its choices
/// (`a. Tidak sesuai`, `D. Sangat Sesuai`, `b) Kurang mudah`, `(c) Cepat`), or `None`. The
/// letter, the option's place on the form, is not read: forms list the options worst first
/// (the regulation's form) or best first, and the words say which one the respondent chose.
pub(crate) fn after_option_letter(t: &str) -> Option<&str> {
    let t = t.trim_start();
    let (inner, close) = match t.strip_prefix('(') {
        Some(inner) => (inner, &[b')'][..]),
        None => (t, &[b'.', b')'][..]),
    };
    match inner.as_bytes() {
        [b'a'..=b'd' | b'A'..=b'D', c, ..] if close.contains(c) => {
            let word = inner[2..].trim_start();
            word.starts_with(char::is_alphabetic).then_some(word)
        }
        _ => None,
    }
}

/// The word of an answer text, folded, and the number written beside it ("4 - Sangat baik",
/// "Sangat baik (4)"), or `None` for a number or a blank. An option letter before the words
/// is left out (`after_option_letter`).
pub fn answer_word(t: &str) -> Option<(String, Option<u8>)> {
    let t = t.trim();
    let t = after_option_letter(t).unwrap_or(t);
    if t.is_empty()
        || t.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',' || b == b'-')
    {
        return None;
    }
    match split_numbered(t) {
        Some((n, w)) => Some((fold(&w), Some(n))),
        None => Some((fold(t), None)),
    }
}

/// Decides the scale of a group of answer columns (one column, or a grid's columns) from the
/// folded words found in them. `unsur`: the unsur of each column; the unsur's own words are a
/// candidate only for a single column.
pub fn decide(unsur: &[usize], words: &BTreeSet<String>, scales: &[Scale]) -> ColumnScale {
    let own: Option<&Unsur> = match unsur {
        [k] => Some(&UNSUR[*k]),
        _ => None,
    };
    // Every answer word skm knows, whichever unsur or scale it is of: a column whose words
    // are of a scale not listed (`Kurang / Cukup / Baik / Sangat baik` before it was) must
    // not be read in a listed scale that knows some of them and gives them other scores
    // (`Kurang` 2 on `Sangat kurang … Sangat baik`): the word the listed scale lacks
    // (`Cukup`, an unsur's own word) keeps it from fitting.
    let known: Vec<&String> = words
        .iter()
        .filter(|w| {
            UNSUR.iter().any(|u| u.score_of_word(w).is_some())
                || scales.iter().any(|s| s.score(w).is_some())
        })
        .collect();
    if known.is_empty() {
        return ColumnScale::Own;
    }
    if let Some(u) = own {
        if known.iter().all(|w| u.score_of_word(w).is_some()) {
            return ColumnScale::Own;
        }
    }
    let fitting: Vec<usize> = (0..scales.len())
        .filter(|&i| known.iter().all(|w| scales[i].score(w).is_some()))
        .collect();
    // A grid in its unsur's own words (`Cepat` asked of every unsur): each column reads its
    // own, the others reject them row by row.
    let members_own = || {
        known
            .iter()
            .all(|w| unsur.iter().any(|&k| UNSUR[k].score_of_word(w).is_some()))
    };
    if fitting.is_empty() && own.is_none() && members_own() {
        return ColumnScale::Own;
    }
    let shown = || {
        known
            .iter()
            .map(|w| format!("'{w}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match fitting.as_slice() {
        [] => ColumnScale::Unusable(format!(
            "kata-kata jawaban di kolom ini ({}) tidak berasal dari satu skala empat titik; \
             seragamkan pilihan jawabannya (mis. {}, atau angka 1–4)",
            shown(),
            scales.first().map_or("1–4", |s| s.nama.as_str())
        )),
        [first, rest @ ..] => {
            let same = rest.iter().all(|&j| {
                known
                    .iter()
                    .all(|w| scales[j].score(w) == scales[*first].score(w))
            });
            if same {
                ColumnScale::Generic(*first)
            } else {
                let names: Vec<&str> = fitting.iter().map(|&i| scales[i].nama.as_str()).collect();
                ColumnScale::Unusable(format!(
                    "kata-kata jawaban di kolom ini ({}) cocok dengan lebih dari satu skala yang \
                     membacanya berbeda ({}); tidak dapat ditentukan nilainya — pakai angka 1–4 \
                     atau skala dengan keempat kata yang jelas",
                    shown(),
                    names.join("; ")
                ))
            }
        }
    }
}

/// The Likert form of an unsur's own words among the scales, if one is listed: `Sangat tidak
/// kompeten / Tidak kompeten / Kompeten / Sangat kompeten`, whose second word is the unsur's
/// first (`Tidak kompeten`, 2 there and 1 in the regulation's words).
pub fn own_likert(unsur: usize, scales: &[Scale]) -> Option<usize> {
    let own = UNSUR[unsur].jawaban.map(fold);
    scales
        .iter()
        .position(|s| s.words[1] == own[0] && s.words[2] == own[2] && s.words[3] == own[3])
}

/// One form, one scale: where a column of the sheet is read in the Likert form of its unsur's
/// own words (a respondent chose `Sangat tidak …`), a column read in its unsur's own words
/// whose words all fit that unsur's Likert form, one of them its `Tidak …`, is read in it too:
/// no respondent happened to choose that column's lowest, which would have told. `columns`:
/// each single column's index and words; `unsur`: each column's unsur. True when a column was
/// so read (an inference, recorded).
pub fn likert_of_the_sheet(
    out: &mut [ColumnScale],
    unsur: &[usize],
    columns: &[(usize, BTreeSet<String>)],
    scales: &[Scale],
) -> bool {
    let likert = |i: usize| own_likert(unsur[i], scales);
    let seen =
        (0..out.len()).any(|i| matches!(out[i], ColumnScale::Generic(j) if likert(i) == Some(j)));
    if !seen {
        return false;
    }
    let mut moved = false;
    for (i, words) in columns {
        let Some(m) = likert(*i).filter(|_| out[*i] == ColumnScale::Own) else {
            continue;
        };
        let fits = words.iter().all(|w| scales[m].score(w).is_some());
        if fits && words.contains(&scales[m].words[1]) {
            out[*i] = ColumnScale::Generic(m);
            moved = true;
        }
    }
    moved
}

/// Whether an answer cell is one of a scale past 1–4: `5`–`10` (a number, or leading or
/// closing a label: `5 - Sangat puas`, `(5) Sangat puas`, `Sangat puas (5)`), or the middle
/// word of a five-point scale (`Cukup puas`, `Netral`, `Biasa saja`, `Ragu-ragu`, `Sedang`;
/// not `Cukup` alone, `Cukup mahal` nor `Cukup baik`, which 1–4 scales use). A `0` is not:
/// a formula filled down empty rows, or a blank typed as 0 (a 0–10 form holds 5–10 too).
/// Counted on every data row of a sheet (`PieceReader::row`): cheap for a 1–4 form's answers.
pub(crate) fn past_four(cell: &crate::ingest::Cell) -> bool {
    use crate::ingest::Cell;
    match cell {
        Cell::Number(n) => n.fract() == 0.0 && (5.0..=10.0).contains(n),
        Cell::Text(t) => match t.as_bytes() {
            // (A 1–4 form's answer, on nearly every cell of a big file: at once.)
            [b] => (b'5'..=b'9').contains(b),
            _ => text_past_four(crate::ingest::trimmed(t).as_bytes()),
        },
        _ => false,
    }
}

fn text_past_four(b: &[u8]) -> bool {
    let past = |digits: &[u8]| matches!(digits, b"5" | b"6" | b"7" | b"8" | b"9" | b"10");
    let Some(&first) = b.first() else {
        return false;
    };
    // A leading number, bare or in brackets, ending the text or followed by a mark or space.
    let lead = match first {
        b'(' | b'[' => &b[1..],
        _ => b,
    };
    let digits = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
    if lead.first().is_some_and(u8::is_ascii_digit) {
        let n = digits(lead);
        let mut rest = &lead[n..];
        // A whole number with decimals (`5.0`, `5,00`): its fraction all zeros.
        if let [b'.' | b',', tail @ ..] = rest {
            let d = digits(tail);
            if d > 0 {
                if tail[..d].iter().any(|c| *c != b'0') {
                    return false;
                }
                rest = &tail[d..];
            }
        }
        return past(&lead[..n]) && rest.first().is_none_or(|c| !c.is_ascii_alphanumeric());
    }
    // A closing "(5)".
    if let Some(inner) = b.strip_suffix(b")") {
        if let Some(open) = inner.iter().rposition(|c| *c == b'(') {
            let d = &inner[open + 1..];
            if !d.is_empty() && d.iter().all(u8::is_ascii_digit) {
                return past(d);
            }
        }
    }
    five_point_middle(b)
}

/// The middle word of a five-point scale (`text_past_four`), ASCII case and `-` ignored.
fn five_point_middle(b: &[u8]) -> bool {
    let b = b.strip_suffix(b".").unwrap_or(b);
    if b.is_empty()
        || b.len() > 24
        || !matches!(b[0].to_ascii_lowercase(), b'c' | b'n' | b'b' | b'r' | b's')
    {
        return false;
    }
    let mut low = [0u8; 24];
    for (l, c) in low.iter_mut().zip(b) {
        *l = match c.to_ascii_lowercase() {
            b'-' => b' ',
            c => c,
        };
    }
    let w = &low[..b.len()];
    match w {
        b"netral" | b"biasa" | b"biasa saja" | b"ragu ragu" | b"sedang" => true,
        _ => w.starts_with(b"cukup ") && !w.ends_with(b"mahal") && !w.ends_with(b"baik"),
    }
}

/// An answer written with its number: `4. Sangat baik`, `4 - Sangat baik`, `Sangat baik (4)`,
/// `(4) Sangat baik`, `[4] Sangat baik` → (4, the words).
pub(crate) fn split_numbered(t: &str) -> Option<(u8, String)> {
    let t = t.trim();
    // "(4) …", "[4] …": the number in brackets first.
    if let Some(inner) = t.strip_prefix(['(', '[']) {
        let b = inner.as_bytes();
        if b.len() > 2 && b[0].is_ascii_digit() && matches!(b[1], b')' | b']') {
            let word = inner[2..].trim_start_matches(|ch: char| !ch.is_alphanumeric());
            if word.starts_with(char::is_alphabetic) {
                return Some((b[0] - b'0', word.to_string()));
            }
        }
    }
    // leading digit
    let mut chars = t.chars();
    if let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let rest = chars.as_str();
            if rest.starts_with(|ch: char| !ch.is_ascii_digit()) {
                let word = rest.trim_start_matches(|ch: char| !ch.is_alphanumeric());
                if word.starts_with(char::is_alphabetic) {
                    return Some((c.to_digit(10)? as u8, word.to_string()));
                }
            }
        }
    }
    // trailing "(4)"
    if let Some(open) = t.rfind('(') {
        let inner = t[open + 1..].trim_end_matches(')').trim();
        if inner.len() == 1 && inner.chars().all(|c| c.is_ascii_digit()) {
            let word = t[..open].trim();
            if !word.is_empty() {
                return Some((inner.parse().ok()?, word.to_string()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_letters_as_logs_type_them() {
        for (t, n) in [
            ("a", 1),
            ("B", 2),
            ("c.", 3),
            ("d)", 4),
            ("(a)", 1),
            (" D ", 4),
        ] {
            assert_eq!(option_letter(t), Some(n), "{t:?}");
        }
        for t in ["e", "SB", "ab", "", "1", "a b", "Baik", "(", "."] {
            assert_eq!(option_letter(t), None, "{t:?}");
        }
    }

    #[test]
    fn answers_of_a_scale_past_four() {
        use crate::ingest::Cell;
        let text = |t: &str| past_four(&Cell::Text(t.into()));
        for t in [
            "5",
            "10",
            "7",
            " 5 ",
            "5.0",
            "5,00",
            "5 - Sangat Puas",
            "5. Sangat puas",
            "(5) Sangat puas",
            "[6] Baik",
            "Sangat Puas (5)",
            "Sangat puas (10)",
            "Cukup Puas",
            "cukup-sesuai",
            "Netral",
            "Biasa Saja",
            "Ragu-ragu",
            "sedang",
        ] {
            assert!(text(t), "{t:?}");
        }
        for t in [
            "4",
            "1",
            "0",
            "Cukup mahal.",
            "Cukup Baik",
            "4 - Sangat Baik",
            "(4) Sangat sesuai",
            "Sangat baik (4)",
            "Cukup",
            "Cukup Mahal",
            "Sangat Sesuai",
            "45",
            "5a",
            "5.5",
            "2,5",
            "",
            "Baik",
            "Sesuai",
            "Sangat puas",
            "Tidak puas",
        ] {
            assert!(!text(t), "{t:?}");
        }
        assert!(past_four(&Cell::Number(5.0)));
        assert!(!past_four(&Cell::Number(0.0)));
        assert!(past_four(&Cell::Number(10.0)));
        assert!(!past_four(&Cell::Number(4.0)));
        assert!(!past_four(&Cell::Number(4.5)));
        assert!(!past_four(&Cell::Empty));
    }

    #[test]
    fn answers_after_their_option_letter() {
        for (t, w) in [
            ("a. Tidak sesuai", Some("Tidak sesuai")),
            ("D. Sangat Sesuai", Some("Sangat Sesuai")),
            ("b) Kurang mudah", Some("Kurang mudah")),
            ("(c) Cepat", Some("Cepat")),
            ("(c)Cepat", Some("Cepat")),
            (" d.Gratis", Some("Gratis")),
            ("a", None),
            ("a.", None),
            ("e. Lainnya", None),
            ("(a. Tidak sesuai", None),
            ("a. 4", None),
            ("Baik", None),
            ("Cukup", None),
            ("Ada tetapi tidak berfungsi", None),
        ] {
            assert_eq!(after_option_letter(t), w, "{t}");
        }
    }

    #[test]
    fn numbered_answers() {
        for (t, n, w) in [
            ("4. Sangat baik", 4, "Sangat baik"),
            ("4 - Sangat baik", 4, "Sangat baik"),
            ("Sangat baik (4)", 4, "Sangat baik"),
            ("(4) Sangat sesuai", 4, "Sangat sesuai"),
            ("[3] Sesuai", 3, "Sesuai"),
            ("( 2) Kurang", 0, ""),
        ] {
            let got = split_numbered(t);
            match n {
                0 => assert_eq!(got, None, "{t:?}"),
                _ => assert_eq!(got, Some((n, w.to_string())), "{t:?}"),
            }
        }
    }

    fn scales() -> Vec<Scale> {
        [
            ["Tidak baik", "Kurang baik", "Baik", "Sangat baik"],
            ["Sangat buruk", "Buruk", "Baik", "Sangat baik"],
            ["Sangat tidak puas", "Tidak puas", "Puas", "Sangat puas"],
            ["Tidak puas", "Kurang puas", "Puas", "Sangat puas"],
        ]
        .iter()
        .map(|w| Scale::new(&w.map(String::from)))
        .collect()
    }

    fn words(w: &[&str]) -> BTreeSet<String> {
        w.iter().map(|x| fold(x)).collect()
    }

    #[test]
    fn a_column_is_read_in_the_one_scale_its_words_come_from() {
        let s = scales();
        let sarpras = UNSUR.iter().position(|u| u.key == "sarpras").unwrap();
        let persyaratan = UNSUR.iter().position(|u| u.key == "persyaratan").unwrap();
        // The unsur's own words first.
        assert_eq!(
            decide(&[sarpras], &words(&["Buruk", "Baik"]), &s),
            ColumnScale::Own
        );
        assert_eq!(
            decide(&[persyaratan], &words(&["Sesuai"]), &s),
            ColumnScale::Own
        );
        // A generic scale.
        assert_eq!(
            decide(&[persyaratan], &words(&["Kurang baik", "Baik"]), &s),
            ColumnScale::Generic(0)
        );
        // Both scales fit and agree on every word: either reads them.
        assert_eq!(
            decide(&[persyaratan], &words(&["Baik", "Sangat baik"]), &s),
            ColumnScale::Generic(0)
        );
        // A grid: Buruk is 2 on the scale its columns share.
        assert_eq!(
            decide(
                &[persyaratan, sarpras],
                &words(&["Sangat buruk", "Buruk", "Baik"]),
                &s
            ),
            ColumnScale::Generic(1)
        );
        // Two scales that read 'Tidak puas' differently.
        assert!(matches!(
            decide(&[persyaratan], &words(&["Tidak puas", "Puas"]), &s),
            ColumnScale::Unusable(_)
        ));
        // Words of two scales mixed.
        assert!(matches!(
            decide(&[persyaratan], &words(&["Kurang baik", "Puas"]), &s),
            ColumnScale::Unusable(_)
        ));
        // A word of another unsur's (`Cukup`, sarpras') beside words of a listed scale: the
        // column is of a scale not listed, and `Kurang` is not read as that scale's 2.
        let listed = scales();
        for group in [vec![persyaratan], vec![persyaratan, sarpras]] {
            assert!(
                matches!(
                    decide(
                        &group,
                        &words(&["Kurang baik", "Baik", "Sangat baik", "Cukup"]),
                        &listed
                    ),
                    ColumnScale::Unusable(_)
                ),
                "{group:?}"
            );
        }
        // A grid in one unsur's own words: each column its own.
        let waktu = UNSUR.iter().position(|u| u.key == "waktu").unwrap();
        assert_eq!(
            decide(
                &[persyaratan, waktu],
                &words(&["Cepat", "Sangat cepat"]),
                &s
            ),
            ColumnScale::Own
        );
        // Words no scale knows are left to each row's reject.
        assert_eq!(
            decide(&[persyaratan], &words(&["entah"]), &s),
            ColumnScale::Own
        );
    }
}
