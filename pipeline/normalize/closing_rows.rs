//! Rows of a questionnaire that are not responses: headers repeated at a page break and closing
//! rows ("Jumlah", "Rata-rata", "NRR", "IKM" …), counted as skipped.

use super::find_header::{is_sub_header_word, Header};
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

/// The label of a footer a unit's recap writes below its rows with the label in whatever
/// column comes first (`Jumlah` under `Nama Responden` or `Tanggal`, outside `label_columns`),
/// if the row is shaped like one: its first filled cell is the label, every other filled cell
/// a number (no date, no profile text), and among the answer columns (`unsur`) at least one a
/// sum or mean no answer is (312, 3,25, 82,50). A respondent named `Nilai Sari` or `Total`,
/// with a date or a profile answer beside the name, stays a response.
pub fn footer_label(row: &[Cell], unsur: &[usize]) -> Option<String> {
    let first = row.iter().position(|c| !c.is_empty())?;
    let label = match &row[first] {
        Cell::Text(t) if !cannot_be_label(t) && !unsur.contains(&first) => closing_label(t)?,
        _ => return None,
    };
    let mut figure = false;
    for (c, x) in row.iter().enumerate().skip(first + 1) {
        let v = match x {
            Cell::Empty => continue,
            Cell::Number(v) => Some(*v),
            Cell::Text(t) => number_text(t)?,
            _ => return None,
        };
        let whole_answer = v.is_some_and(|v| v.fract() == 0.0 && (1.0..=4.0).contains(&v));
        figure |= unsur.contains(&c) && !whole_answer;
    }
    figure.then_some(label)
}

/// A text that is a number as a recap writes one (`312`, `3,25`, `3.25`, `1.234,5`, `82,50%`):
/// `Some(its value)` when it reads plainly (one decimal mark), `Some(None)` when it is a number
/// of several marks, `None` when it is no number.
pub(super) fn number_text(t: &str) -> Option<Option<f64>> {
    let t = t.trim().trim_end_matches('%').trim_end();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let shaped = digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.');
    // A mark used twice groups thousands (`1.234.567`): every group after the first has three
    // digits. A date written `16.08.2024` is no number.
    let grouped = |mark: char| {
        digits.matches(mark).count() < 2
            || (digits.split(mark).skip(1))
                .all(|g| g.split([',', '.']).next().is_some_and(|d| d.len() == 3))
    };
    (shaped && grouped('.') && grouped(',')).then(|| t.replace(',', ".").parse::<f64>().ok())
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

    /// A number with a mark used twice groups thousands (`1.234.567`); a date written with
    /// dots (`16.08.2024`) is no number, so a respondent's row with one is no footer.
    #[test]
    fn a_footer_figure_groups_thousands_and_a_dotted_date_is_none() {
        let t = |s: &str| Cell::Text(s.into());
        let (n, e) = (Cell::Number, Cell::Empty);
        let unsur = [3, 4, 5];
        let respondent = [
            t("Nilai Sari"),
            t("16.08.2024"),
            n(41.0),
            n(3.0),
            t("33"),
            n(3.0),
        ];
        assert_eq!(footer_label(&respondent, &unsur), None);
        let sums = [
            t("Jumlah"),
            e.clone(),
            e,
            t("1.234.567"),
            t("1.234,5"),
            n(3.0),
        ];
        assert_eq!(footer_label(&sums, &unsur).as_deref(), Some("jumlah"));
    }

    #[test]
    fn footers_below_a_recap_whatever_column_holds_the_label() {
        let t = |s: &str| Cell::Text(s.into());
        let n = Cell::Number;
        let e = Cell::Empty;
        let unsur = [3, 4, 5];
        // (row, footer label)
        let cases: Vec<(Vec<Cell>, Option<&str>)> = vec![
            (
                vec![
                    e.clone(),
                    t("Jumlah"),
                    e.clone(),
                    t("312"),
                    t("298"),
                    t("301"),
                ],
                Some("jumlah"),
            ),
            (
                vec![
                    t("Rata-rata"),
                    e.clone(),
                    e.clone(),
                    t("3,12"),
                    t("2,98"),
                    t("3,01"),
                ],
                Some("rata rata"),
            ),
            (
                vec![
                    t("IKM"),
                    e.clone(),
                    e.clone(),
                    n(82.5),
                    e.clone(),
                    e.clone(),
                ],
                Some("ikm"),
            ),
            (
                vec![
                    t("NRR Tertimbang"),
                    e.clone(),
                    e.clone(),
                    n(0.35),
                    n(0.33),
                    n(0.33),
                ],
                Some("nrr tertimbang"),
            ),
            (
                vec![
                    t("Total"),
                    e.clone(),
                    e.clone(),
                    t("1.234,5"),
                    e.clone(),
                    e.clone(),
                ],
                Some("total"),
            ),
            // Respondents whose names begin like a label.
            (
                vec![
                    t("Nilai Sari"),
                    t("15/08/2024"),
                    e.clone(),
                    n(5.0),
                    n(3.0),
                    n(3.0),
                ],
                None,
            ),
            (
                vec![
                    t("Total Wijaya"),
                    e.clone(),
                    t("SMA"),
                    t("3,5"),
                    n(3.0),
                    n(3.0),
                ],
                None,
            ),
            (
                vec![
                    t("Rata Dewi"),
                    e.clone(),
                    n(30.0),
                    n(3.0),
                    n(4.0),
                    e.clone(),
                ],
                None,
            ),
            (
                vec![
                    t("Indah"),
                    e.clone(),
                    e.clone(),
                    n(31.0),
                    e.clone(),
                    e.clone(),
                ],
                None,
            ),
            (
                vec![
                    n(1.0),
                    t("Jumlah"),
                    e.clone(),
                    n(31.0),
                    e.clone(),
                    e.clone(),
                ],
                None,
            ),
            (
                vec![
                    t("Jumlah"),
                    e.clone(),
                    e.clone(),
                    t("B"),
                    e.clone(),
                    e.clone(),
                ],
                None,
            ),
            (
                vec![
                    t("Jumlah"),
                    Cell::Date(45519.0),
                    e.clone(),
                    n(31.0),
                    e.clone(),
                    e.clone(),
                ],
                None,
            ),
        ];
        for (row, want) in cases {
            assert_eq!(footer_label(&row, &unsur).as_deref(), want, "{row:?}");
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
