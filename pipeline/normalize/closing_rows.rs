//! Rows of a questionnaire that are not responses: headers repeated at a page break and closing
//! rows ("Jumlah", "Rata-rata", "NRR", "IKM" …), counted as skipped.

use super::find_header::Header;
use super::header::Field;
use crate::ingest::Cell;

/// The columns where a closing row's label ("Jumlah", "Σ Nilai/Unsur", "NRR", "*) IKM"…) stands:
/// before the answers, where a row's number or unit stands or in a column skm does not read (the
/// regulation's template puts it under "No. Resp", merged); never a profile, personal or
/// free-text column (a respondent's "Swasta" or "Mahasiswa" there would be folded and compared
/// on every row with a blank answer: 4% of a 10M run's time).
pub fn label_columns(header: &Header) -> Vec<usize> {
    let mapped = |c: usize| {
        header
            .cols
            .iter()
            .find(|(hc, _, _)| *hc == c)
            .map(|(_, f, _)| *f)
    };
    let first_unsur = header
        .cols
        .iter()
        .filter(|(_, f, _)| matches!(f, Field::Unsur(_)))
        .map(|(c, _, _)| *c)
        .min()
        .unwrap_or(0);
    (0..first_unsur)
        .filter(|&c| matches!(mapped(c), None | Some(Field::Nomor) | Some(Field::Unit)))
        .collect()
}

/// A closing row of a sheet, not a response: a label in a label column. (Only asked of a row
/// whose nine answers are not all 1–4: a closing row holds sums or means.)
pub fn is_summary_label(row: &[Cell], label_cols: &[usize]) -> bool {
    summary_label(row, label_cols).is_some()
}

/// The label of a closing row, folded, a sum sign read as `jumlah` (`Σ Nilai/Unsur` →
/// `jumlah nilai unsur`), if the row is one.
pub fn summary_label(row: &[Cell], label_cols: &[usize]) -> Option<String> {
    label_cols
        .iter()
        .filter(|&&c| c < row.len())
        .find_map(|&c| match &row[c] {
            Cell::Text(t) if cannot_be_label(t) => None,
            Cell::Text(t) => closing_label(t),
            _ => None,
        })
}

/// A label text folded, if it begins a closing row.
fn closing_label(t: &str) -> Option<String> {
    // A sum sign, however written, is "jumlah" (`Σ Nilai/Unsur`; `∑` and the footnote marks
    // `*)`, `**)` fold away).
    let folded = crate::domain::unsur::fold(t);
    if let Some(rest) = folded.strip_prefix("σ") {
        return Some(
            format!("jumlah {}", rest.trim_start())
                .trim_end()
                .to_string(),
        );
    }
    let f = folded.as_str();
    let first2: String = f.split(' ').take(2).collect::<Vec<_>>().join(" ");
    [
        "sum",
        "sigma",
        "rerata",
        "indeks",
        "jumlah",
        "total",
        "rata rata",
        "rata",
        "nrr",
        "ikm",
        "nilai rata",
        "nilai ikm",
        "nrr tertimbang",
        "nilai unsur",
        "ikm unit",
        "mutu",
        "nilai",
    ]
    .iter()
    .any(|k| first2 == *k || f.strip_prefix(k).is_some_and(|rest| rest.starts_with(' ')))
    .then(|| folded.clone())
}

/// A text whose folding cannot start a closing row's label: its first letter or digit is plain
/// ASCII and none of the labels' first letters (j, t, r, n, i, m, s), a row number or a unit's
/// name, say. Decided without folding (which allocates).
fn cannot_be_label(t: &str) -> bool {
    match t
        .bytes()
        .find(|b| !b.is_ascii() || b.is_ascii_alphanumeric())
    {
        Some(b) if b.is_ascii() => !matches!(
            b.to_ascii_lowercase(),
            b'j' | b't' | b'r' | b'n' | b'i' | b'm' | b's'
        ),
        _ => false,
    }
}

/// The second header row a survey tool writes under its questions (SurveyMonkey: `Response`
/// under a single-choice question, `Open-Ended Response` under a text one, in an Indonesian
/// account `Tanggapan`, `Tanggapan Terbuka`; `Jawaban` as some tools write it): no answer in
/// any answer column (`unsur`), and a
/// cell that is one of those words. Skipped as a header row, not read as a response.
pub fn is_sub_header(row: &[Cell], unsur: &[usize]) -> bool {
    let answered = |c: &usize| {
        row.get(*c)
            .is_some_and(|x| !x.is_empty() && !is_sub_header_word(x))
    };
    row.iter().any(is_sub_header_word) && !unsur.iter().any(answered)
}

/// A word SurveyMonkey's second header row puts under a question's column (in English or an
/// Indonesian account): `Response`, `Open-Ended Response`, `Other (please specify)`.
pub fn is_sub_header_word(c: &Cell) -> bool {
    match c {
        Cell::Text(t) => matches!(
            crate::domain::unsur::fold(t).as_str(),
            "response"
                | "open ended response"
                | "other please specify"
                | "tanggapan"
                | "tanggapan terbuka"
                | "jawaban"
                | "lainnya harap sebutkan"
                | "lainnya mohon sebutkan"
        ),
        _ => false,
    }
}

/// A row equal to the header (folded cell by cell): a header repeated at a page break.
/// `header_texts` are the header's cells folded once per sheet.
pub fn is_repeated_header(row: &[Cell], header_texts: &[String]) -> bool {
    let n = row.len().max(header_texts.len());
    (0..n).all(|i| {
        let want = header_texts.get(i).map(String::as_str).unwrap_or("");
        match row.get(i) {
            None | Some(Cell::Empty) => want.is_empty(),
            Some(Cell::Text(t)) if t.is_ascii() => folds_to(t, want),
            Some(c) => crate::domain::unsur::fold(&c.display()) == want,
        }
    })
}

/// `fold(t) == want` for an ASCII `t`, without building the folded text.
fn folds_to(t: &str, want: &str) -> bool {
    // The first letter or digit decides almost every row at once (a data row's number against
    // the header's first word), before the words are split.
    let first = t.bytes().find(u8::is_ascii_alphanumeric);
    if first.map(|b| b.to_ascii_lowercase()) != want.bytes().next().map(|b| b.to_ascii_lowercase())
    {
        return false;
    }
    let mut wanted = want.split(' ').filter(|w| !w.is_empty());
    for word in t
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        match wanted.next() {
            Some(w) if word.eq_ignore_ascii_case(w) => {}
            _ => return false,
        }
    }
    wanted.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::unsur::fold;

    #[test]
    fn closing_labels_of_the_regulation_template() {
        let label = |t: &str| is_summary_label(&[Cell::Text(t.into())], &[0]);
        for t in [
            "Σ Nilai/Unsur",
            "∑ nilai per unsur",
            "NRR/Unsur",
            "NRR tertimbang/unsur",
            "*) Jumlah NRR IKM tertimbang",
            "**) IKM Unit pelayanan",
            "Jumlah",
            "Rata-rata",
            "Sum",
        ] {
            assert!(label(t), "{t}");
        }
        for t in ["1", "Kecamatan Bekasi Timur", "Ikma", "Sinta", "Nina"] {
            assert!(!label(t), "{t}");
        }
    }

    #[test]
    fn folds_to_is_fold_then_compare() {
        let texts = [
            "",
            " ",
            "No",
            "no.",
            " NO ",
            "1",
            "12",
            "N0",
            "Unit Layanan",
            "unit  layanan",
            "-",
            "U1",
            "u 1",
            "Jenis Kelamin",
            "jenis-kelamin",
            "#",
            "a",
            "Umur (tahun)",
            "umur tahun",
        ];
        for t in texts {
            for w in texts {
                let want = fold(w);
                assert_eq!(
                    folds_to(t, &want),
                    fold(t) == want,
                    "{t:?} against {want:?}"
                );
            }
        }
    }
}
