//! Explanatory lines a questionnaire sheet carries below its data, as the regulation's
//! tabulation sheet prints them (PermenPANRB 14/2017's appendix) and units' recaps copy them:
//! footnotes (`*) NRR Per Unsur = Jumlah nilai per unsur dibagi jumlah kuesioner yang terisi`,
//! `**) NRR tertimbang = NRR per unsur x 0,111`), a `Keterangan` block of definitions (`U1 s/d
//! U9 = Unsur-Unsur pelayanan`), the unsur legend (`U1 = Persyaratan`), the grade legend with
//! its ranges (`A (Sangat Baik) : 88,31 - 100,00`, the numbers often in cells of their own) and
//! a signature block (`Bekasi, 31 Desember 2024`, `Mengetahui,`, `Kepala …`, a name with its
//! degrees, a rank, `NIP. …`). Not data: counted among the skipped rows (`dilewati`).
//!
//! Decided by the row's shape and a recognized pattern, never by the pattern alone: a line is
//! explanatory only when its first filled cell is a text of one of those kinds and its answer
//! columns hold no answer (a grade line may hold its ranges there, but not two whole 1–4
//! numbers or three answers). A respondent's row with its answers is never one, and asked
//! only of rows that are not all answered and are no closing row (`RowReader::read`).

use super::closing_rows::number_text;
use super::values::MONTHS;
use crate::domain::unsur::fold;
use crate::ingest::Cell;

/// Whether `row` is an explanatory line. `unsur`: the answer columns; `answered`: how many of
/// its answers were read as answers.
pub fn is_legend_line(row: &[Cell], unsur: &[usize], answered: usize) -> bool {
    if answered > 2 {
        return false;
    }
    let few_whole = || {
        let whole = unsur
            .iter()
            .filter(|&&c| row.get(c).is_some_and(whole_answer));
        whole.count() <= 1
    };
    let Some(Cell::Text(first)) = row.iter().find(|c| !c.is_empty()) else {
        // The regulation's conversion table: `1` | `1,00 - 2,5996` | `25,00 - 64,99` | `D` |
        // `Tidak baik`, its first cell the perception value.
        return conversion_row(row) && few_whole();
    };
    let folded = fold(first);
    if is_grade_line(row, &folded) || conversion_row(row) {
        return few_whole();
    }
    let figures = unsur
        .iter()
        .any(|&c| row.get(c).is_some_and(|x| is_figure(x)));
    if answered > 0 || figures {
        return false;
    }
    is_note(row, first, &folded) || is_signature(first, &folded)
}

/// A number, or a text that is one (`88,31`, `100`).
fn is_figure(c: &Cell) -> bool {
    match c {
        Cell::Number(_) => true,
        Cell::Text(t) => number_text(t).is_some(),
        _ => false,
    }
}

/// A whole number 1–4, as a number or a text.
fn whole_answer(c: &Cell) -> bool {
    let v = match c {
        Cell::Number(v) => *v,
        Cell::Text(t) => match number_text(t) {
            Some(Some(v)) => v,
            _ => return false,
        },
        _ => return false,
    };
    v.fract() == 0.0 && (1.0..=4.0).contains(&v)
}

/// The grades' words.
const GRADES: [&str; 4] = ["sangat baik", "baik", "kurang baik", "tidak baik"];

/// The first word of a folded text.
fn first_word(folded: &str) -> &str {
    folded.split(' ').next().unwrap_or("")
}

/// A line of the grade legend: `Mutu pelayanan :`, `Nilai Persepsi`/`Nilai Interval` (the
/// regulation's conversion table), or a grade letter A–D followed by its grade (`A (Sangat
/// Baik) : 88,31 - 100,00`), or alone beside a cell naming it (`D` | `Tidak Baik`). A name
/// such as `A. Rahman` beside an answer `Baik` is none.
fn is_grade_line(row: &[Cell], folded: &str) -> bool {
    const HEADS: [&str; 5] = [
        "mutu pelayanan",
        "nilai persepsi",
        "nilai interval",
        "interval nilai",
        "kinerja unit",
    ];
    if HEADS.iter().any(|h| folded.starts_with(h)) {
        return true;
    }
    let graded = |rest: &str| {
        GRADES
            .iter()
            .any(|g| rest == *g || rest.strip_prefix(g).is_some_and(|r| r.starts_with(' ')))
    };
    let Some(rest) = ["a", "b", "c", "d"]
        .iter()
        .find_map(|l| folded.strip_prefix(l))
    else {
        return false;
    };
    match rest.strip_prefix(' ') {
        Some(rest) => graded(rest),
        None if rest.is_empty() => row.iter().any(|c| match c {
            Cell::Text(t) => graded(&fold(t)),
            _ => false,
        }),
        None => false,
    }
}

/// A row of the regulation's conversion table of grades: a range (`25,00 - 64,99`, `1,00 –
/// 2,5996`) in a text cell and a grade, a letter A–D alone or its word (`Tidak baik`), in
/// another. No response holds a range.
fn conversion_row(row: &[Cell]) -> bool {
    let range = |t: &str| {
        let mut parts = t.split(['-', '–']).map(str::trim);
        let (a, b) = (parts.next(), parts.next());
        parts.next().is_none()
            && [a, b]
                .iter()
                .all(|p| p.is_some_and(|p| matches!(number_text(p), Some(Some(_)))))
    };
    let texts = || {
        row.iter().filter_map(|c| match c {
            Cell::Text(t) => Some(&**t),
            _ => None,
        })
    };
    texts().any(range)
        && texts().any(|t| {
            let f = fold(t);
            matches!(f.as_str(), "a" | "b" | "c" | "d") || GRADES.contains(&f.as_str())
        })
}

/// A footnote (`*)`, `**)`), a `Keterangan` heading (`Keterangan :`, `KETERANGAN`, `Ket.`,
/// `Catatan`, `Sumber data: …`), a definition (`X = Y`, in one cell or over several) or a line
/// of the unsur legend (`U1 Persyaratan`, `U1` | `Persyaratan`).
fn is_note(row: &[Cell], first: &str, folded: &str) -> bool {
    if first.trim_start().starts_with('*') {
        return true;
    }
    let head = first_word(folded);
    if matches!(head, "keterangan" | "ket" | "catatan" | "sumber") {
        return true;
    }
    // `X = Y` in the first cell, or `=` in a cell of its own (`U1` | `=` | `Persyaratan`).
    let defines = first.contains('=')
        || row
            .iter()
            .any(|c| matches!(c, Cell::Text(t) if t.trim() == "="));
    let unsur_code =
        head.len() == 2 && head.starts_with('u') && head.as_bytes()[1].is_ascii_digit();
    let more = folded.len() > head.len() || row.iter().filter(|c| !c.is_empty()).count() > 1;
    defines || (unsur_code && more)
}

/// A line of a signature block: a greeting or office (`Mengetahui,`, `a.n. Camat`, `Kepala
/// …`, `Camat …`, `Ketua Tim …`), a rank (`Pembina Tk.I`, `Penata Muda`), `NIP. …`, a place and
/// date (`Bekasi, 31 Desember 2024`, `Bekasi, Januari 2025`) or a name with its degrees
/// (`FITRI WIDYATI, S.STP., M.Si`).
fn is_signature(first: &str, folded: &str) -> bool {
    const HEADS: [&str; 24] = [
        "mengetahui",
        "menyetujui",
        "diketahui",
        "disetujui",
        "dibuat",
        "nip",
        "kepala",
        "camat",
        "lurah",
        "sekretaris",
        "sekcam",
        "ketua",
        "plt",
        "plh",
        "pj",
        "an",
        "ttd",
        "pembina",
        "penata",
        "pengatur",
        "petugas",
        "direktur",
        "kabag",
        "kasubag",
    ];
    let head = first_word(folded);
    HEADS.contains(&head) || folded.starts_with("a n ") || is_place_date(first, folded) || {
        has_degrees(first)
    }
}

/// `Bekasi, 31 Desember 2024`: a comma, a month's name (whole or short, `values::MONTHS`) and a
/// year at the end.
fn is_place_date(first: &str, folded: &str) -> bool {
    let year = folded
        .rsplit(' ')
        .next()
        .is_some_and(|y| y.len() == 4 && (y.starts_with("19") || y.starts_with("20")));
    year && first.contains(',')
        && folded
            .split(' ')
            .any(|w| MONTHS.iter().any(|(m, _)| *m == w))
}

/// A name followed by its degrees, each after a comma and each with a dot (`S.STP.`, `M.Si`,
/// `S.Kom`, `A.Md.`).
fn has_degrees(t: &str) -> bool {
    let mut parts = t.split(',');
    let name = parts.next().unwrap_or("").trim();
    let mut degrees = parts.map(str::trim).filter(|p| !p.is_empty()).peekable();
    !name.is_empty()
        && degrees.peek().is_some()
        && degrees.all(|d| {
            d.len() <= 8 && d.contains('.') && d.chars().all(|c| c.is_alphabetic() || c == '.')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell<'static> {
        Cell::Text(s.into())
    }

    #[test]
    fn the_template_lines_are_legend_and_responses_are_not() {
        let (n, e) = (Cell::Number, || Cell::Empty);
        let unsur: Vec<usize> = (1..10).collect();
        let legend: Vec<Vec<Cell>> = vec![
            vec![t(
                "*) NRR Per Unsur = Jumlah nilai per unsur dibagi jumlah kuesioner yang terisi",
            )],
            vec![t("**) NRR tertimbang = NRR per unsur x 0,111")],
            vec![t("Keterangan :")],
            vec![t("KETERANGAN")],
            vec![t("Ket.")],
            vec![t("U1 s/d U9"), t("="), t("Unsur-Unsur pelayanan")],
            vec![e(), t("U1"), t("="), t("Persyaratan")],
            vec![t("U9 Penanganan Pengaduan")],
            vec![t("A (Sangat Baik)"), t(":"), n(88.31), t("-"), n(100.0)],
            vec![t("D"), t("Tidak Baik"), t("25,00"), t("-"), t("64,99")],
            vec![
                n(1.0),
                t("1,00 - 2,5996"),
                t("25,00 - 64,99"),
                t("D"),
                t("Tidak baik"),
            ],
            vec![
                t("4"),
                t("3,5324 – 4,00"),
                t("88,31 – 100,00"),
                t("A"),
                t("Sangat baik"),
            ],
            vec![
                e(),
                t("Mengetahui,"),
                e(),
                e(),
                e(),
                e(),
                e(),
                t("Bekasi, 31 Desember 2024"),
            ],
            vec![e(), e(), e(), e(), e(), e(), e(), t("Bekasi, Januari 2025")],
            vec![t("a.n. Camat Bantargebang")],
            vec![t("FITRI WIDYATI, S.STP., M.Si")],
            vec![t("Pembina Tk.I")],
            vec![t("NIP. 19800814 199810 2 001")],
        ];
        for row in &legend {
            assert!(is_legend_line(row, &unsur, 0), "{row:?}");
        }
        let not: Vec<(Vec<Cell>, usize)> = vec![
            // A respondent's row with answers; one whose first cell is a name.
            (vec![n(1.0), n(3.0), n(4.0), n(3.0), e()], 3),
            (vec![t("Kepala Sekolah"), n(3.0), n(4.0), n(3.0)], 3),
            (vec![t("Kepala Sekolah"), n(3.0)], 1),
            // A note with a figure in an answer column, a grade line with answers in it.
            (vec![t("Keterangan"), n(2.0)], 0),
            (vec![t("B (Baik)"), n(3.0), n(4.0)], 0),
            (vec![t("A Rahman"), t("Baik"), t("Baik")], 2),
            (
                vec![
                    t("Budi"),
                    e(),
                    e(),
                    e(),
                    e(),
                    e(),
                    e(),
                    e(),
                    e(),
                    t("Cepat = bagus"),
                ],
                0,
            ),
            // Text that is none of those kinds.
            (vec![t("Budi Santoso"), t("Laki-laki")], 0),
            (vec![t("Bekasi"), t("SMA")], 0),
            (vec![n(12.0), t("Bekasi, 31 Desember 2024")], 0),
        ];
        for (row, answered) in &not {
            assert!(!is_legend_line(row, &unsur, *answered), "{row:?}");
        }
    }
}
