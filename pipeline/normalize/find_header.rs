//! Header detection: the first of a sheet's top rows that is a realization sheet's header, or
//! a questionnaire header that names every unsur once, unambiguously.

use super::header::{self, Field, Layout, Mapped};
use super::realisasi;
use super::reject::RejectCode;
use super::HEADER_SEARCH_ROWS;
use crate::domain::UNSUR;
use crate::ingest::{Cell, RawSheet};
use crate::registry::Registry;

pub struct Header {
    pub row: usize,
    /// The header's first row: `row`, or the row above it when the two are read together
    /// (`with_row_above`, a SurveyMonkey export of a grid question). The title rows end there.
    pub top: usize,
    /// (column, field, header text) of every mapped column.
    pub cols: Vec<(usize, Field, String)>,
    /// The unit column was found by its values, not its header (`unit_by_values`).
    pub unit_by_values: bool,
}

pub enum Found {
    Header(Header),
    Realisasi(realisasi::Kind, usize),
    Bad {
        row: usize,
        alasan: String,
        kolom: String,
        kode: RejectCode,
    },
    Nothing,
}

/// The header of a sheet. A questionnaire header without a unit column gets one found by its
/// values when a column qualifies (`unit_by_values`).
pub fn find_header(
    sheet: &RawSheet,
    layout: &Layout,
    real: &realisasi::Layouts,
    registry: &Registry,
) -> Found {
    for (r, row) in sheet.rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let texts: Vec<String> = row.iter().map(Cell::display).collect();
        if let Some(kind) = real.detect(&texts) {
            if !(kind == realisasi::Kind::Rekap && answers_below(sheet, r, layout)) {
                return Found::Realisasi(kind, r);
            }
        }
        if realisasi::iku_over_two_rows(real, sheet, r) {
            return Found::Realisasi(realisasi::Kind::Iku, r);
        }
        let merged = with_row_above(sheet, r, layout);
        let top = if merged.is_some() { r - 1 } else { r };
        let row = merged.as_ref().map_or(&row[..], |(cells, _)| &cells[..]);
        let mut mapped: Vec<(usize, Mapped, String)> = row
            .iter()
            .enumerate()
            .filter_map(|(c, cell)| match cell {
                Cell::Text(t) => Some((c, layout.map(t), t.trim().to_string())),
                _ => None,
            })
            .collect();
        if let Some((_, from_above)) = &merged {
            grid_rows_first(&mut mapped, from_above);
        }
        form_completion_time(&mut mapped);
        device_times(&mut mapped);
        quiz_companions(&mut mapped);
        kecamatan_beside_unit(&mut mapped);
        let mut unsur_seen = [false; 9];
        for (_, m, _) in &mapped {
            if let Mapped::Field(Field::Unsur(i)) = m {
                unsur_seen[*i] = true;
            }
        }
        let distinct = unsur_seen.iter().filter(|s| **s).count();
        let old_method = row
            .iter()
            .filter(|c| matches!(c, Cell::Text(t) if header::is_old_method(t)))
            .count();
        if old_method >= 3 {
            return Found::Bad {
                row: r,
                kolom: String::new(),
                kode: RejectCode::MetodeLama,
                alasan:
                    "formulir 14 unsur (KepMenPAN 25/2004) memakai metode dan batas mutu lain; \
                         tidak dicampur dengan 9 unsur Permen PANRB 14/2017"
                        .into(),
            };
        }
        if distinct < 5 {
            continue;
        }
        // This is the header row. Check it can be used safely.
        for (_, m, text) in &mapped {
            if let Mapped::Ambiguous(fields) = m {
                return Found::Bad {
                    row: r,
                    kolom: text.clone(),
                    kode: RejectCode::KolomAmbigu,
                    alasan: ambiguous(text, fields, layout),
                };
            }
        }
        let sections = sections(&mapped);
        let mut cols: Vec<(usize, Field, String)> = Vec::new();
        for (c, m, text) in mapped {
            if let Mapped::Field(f) = m {
                let once = matches!(
                    f,
                    Field::Unsur(_) if sections == 1
                ) || matches!(
                    f,
                    Field::Unit
                        | Field::Tanggal
                        | Field::Stempel
                        | Field::WaktuMulai
                        | Field::Periode
                        | Field::Tahun
                );
                if once {
                    if let Some((_, _, other)) = cols.iter().find(|(_, g, _)| *g == f) {
                        return Found::Bad {
                            row: r,
                            kolom: text.clone(),
                            kode: RejectCode::KolomGanda,
                            alasan: format!(
                                "kolom '{text}' dan '{other}' sama-sama berarti {}; hanya satu yang boleh ada",
                                f.name()
                            ),
                        };
                    }
                }
                cols.push((c, f, text));
            }
        }
        if distinct < 9 {
            let missing: Vec<&str> = UNSUR
                .iter()
                .enumerate()
                .filter(|(i, _)| !unsur_seen[*i])
                .map(|(_, u)| u.nama)
                .collect();
            return Found::Bad {
                row: r,
                kolom: String::new(),
                kode: RejectCode::UnsurTidakLengkap,
                alasan: format!(
                    "kuesioner harus memuat 9 unsur; tidak ada kolom untuk: {}",
                    missing.join("; ")
                ),
            };
        }
        let mut header = Header {
            row: r,
            top,
            cols,
            unit_by_values: false,
        };
        unit_by_values(&mut header, sheet, registry);
        return Found::Header(header);
    }
    Found::Nothing
}

/// How many times the header asks the nine unsur: a form with a section of its own for each
/// unit (Google Forms' "go to section based on answer": the respondent picks the unit, then
/// answers that unit's copy of the questions) asks each of them once a section, in columns
/// headed alike, and a response answers one section (`RowReader::skor` takes the answered
/// copy). 1 unless every unsur is asked the same number of times, at least twice, each time
/// headed alike: an unsur asked twice in other words (`Tingkat Kepentingan – Persyaratan`
/// beside `Tingkat Kepuasan – Persyaratan`, `U1 (sebelum)` beside `U1 (sesudah)`) is two
/// questions, not sections, and the sheet is refused as before (`kolom_ganda`).
fn sections(mapped: &[(usize, Mapped, String)]) -> usize {
    let mut times = [0usize; 9];
    let mut heading: [Option<String>; 9] = Default::default();
    let mut alike = true;
    for (_, m, text) in mapped {
        if let Mapped::Field(Field::Unsur(k)) = m {
            times[*k] += 1;
            let folded = crate::domain::unsur::fold(text);
            match &heading[*k] {
                Some(h) => alike &= *h == folded,
                None => heading[*k] = Some(folded),
            }
        }
    }
    match times[0] {
        n if n >= 2 && alike && times.iter().all(|&t| t == n) => n,
        _ => 1,
    }
}

/// Header row `r` read with the row above it, when the two are one header:
/// - SurveyMonkey's second header row: `Response` (`is_sub_header_word`) under each question
///   of the first row, or any row below a first that begins with `Respondent ID`. A grid
///   question (SurveyMonkey's "matrix") is named once, over its first column, and its rows (the
///   unsur) in the second row, while every other question and the respondent's metadata
///   (`Start Date`) are named in the first row only;
/// - a header of two levels as offices lay one out: `No`, `Tanggal`, `Umur` merged down over
///   both rows (their text in the first row alone, a blank below), beside group labels
///   (`DATA RESPONDEN`, `UNSUR PELAYANAN`) over the second row's headings (`U1` … `U9`): at
///   least two first-row headings that name a field stand over blanks of the second.
///
/// Each column is named by its second-row text, or by the first row's where that is blank or
/// such a word. The cells, and whether each is the first row's; None when `r` is no such row.
fn with_row_above<'s>(
    sheet: &'s RawSheet,
    r: usize,
    layout: &Layout,
) -> Option<(Vec<Cell<'s>>, Vec<bool>)> {
    let row = &sheet.rows[r];
    let above = sheet.rows.get(r.checked_sub(1)?)?;
    let texts = |cells: &[Cell]| cells.iter().filter(|c| has_text(Some(c))).count();
    if texts(above) < 2 {
        return None;
    }
    let second_row = surveymonkey_second_row(row, above);
    // (Within the second row's span: a title beside a narrower header is no heading.)
    let span = row
        .iter()
        .rposition(|c| has_text(Some(c)))
        .map_or(0, |e| e + 1);
    let merged_down = (0..span.min(above.len()))
        .filter(|&c| !has_text(row.get(c)))
        .filter(
            |&c| matches!(&above[c], Cell::Text(t) if matches!(layout.map(t), Mapped::Field(_))),
        )
        .count();
    if !second_row && merged_down < 2 {
        return None;
    }
    let n = row.len().max(above.len());
    let own = |c: usize| has_text(row.get(c)) && !is_sub_header_word(&row[c]);
    let cell = |c: usize| match own(c) {
        true => row[c].clone(),
        false => above.get(c).cloned().unwrap_or(Cell::Empty),
    };
    Some((
        (0..n).map(cell).collect(),
        (0..n).map(|c| !own(c)).collect(),
    ))
}

/// Whether `row` is SurveyMonkey's second header row below `above` (`with_row_above`): every
/// `Response` (or `Tanggapan`, `Jawaban`) stands under a question of the first row (a
/// questionnaire's own `Tanggapan` column below a two-cell title row is no second row; an
/// `Other (please specify)` stands under the blank beside its question), or the first row
/// begins with `Respondent ID`.
fn surveymonkey_second_row(row: &[Cell], above: &[Cell]) -> bool {
    let words: Vec<usize> = (0..row.len())
        .filter(|&c| sub_header_word(&row[c]) == Some(SubHeaderWord::Response))
        .collect();
    let under_questions = words.iter().all(|&c| has_text(above.get(c)));
    // (A form of the grid alone has no such word: its first column is SurveyMonkey's.)
    let respondent_id = matches!(above.first(), Some(Cell::Text(t))
        if matches!(crate::domain::unsur::fold(t).as_str(), "respondent id" | "id responden"));
    (!words.is_empty() && under_questions) || respondent_id
}

/// A question of the first row that names an unsur a grid's row (the second row) names too
/// is not that unsur's column: the grid's row is (`Apakah Anda pernah menyampaikan keluhan?`
/// beside the grid's `Penanganan pengaduan`). An unsur asked as a question of its own, outside
/// the grid, stays its column.
fn grid_rows_first(mapped: &mut [(usize, Mapped, String)], from_above: &[bool]) {
    let own: Vec<Field> = (mapped.iter())
        .filter(|(c, _, _)| !from_above[*c])
        .filter_map(|(_, m, _)| match m {
            Mapped::Field(f @ Field::Unsur(_)) => Some(*f),
            _ => None,
        })
        .collect();
    for (c, m, _) in mapped.iter_mut() {
        if from_above[*c] && matches!(m, Mapped::Field(f @ Field::Unsur(_)) if own.contains(f)) {
            *m = Mapped::Unknown;
        }
    }
}

/// Rows below a header looked at to tell a questionnaire from a recap (`answers_below`).
const ANSWER_ROWS: usize = 50;

/// Whether the rows below header row `r`, a recap's by its headings (a unit column and an
/// `IKM` one), are answers: the header names the nine unsur (a unit's log of questionnaires
/// with a `Nilai IKM` column worked out per respondent) and, of the next rows, more hold
/// whole answers 1–4 in every unsur column than a fraction (a recap's NRR, 3.25).
fn answers_below(sheet: &RawSheet, r: usize, layout: &Layout) -> bool {
    let unsur: Vec<(usize, usize)> = (sheet.rows[r].iter().enumerate())
        .filter_map(|(c, cell)| match cell {
            Cell::Text(t) => match layout.map(t) {
                Mapped::Field(Field::Unsur(k)) => Some((c, k)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let mut seen = [false; 9];
    unsur.iter().for_each(|&(_, k)| seen[k] = true);
    if seen.iter().any(|s| !s) {
        return false;
    }
    // An answer: a whole number 1–4 or a word (`Sangat baik`); anything else a recap's.
    let answer = |cell: &Cell| match cell {
        Cell::Number(n) => Some(n.fract() == 0.0 && (1.0..=4.0).contains(n)),
        Cell::Text(t) if !t.trim().is_empty() => match t.trim().replace(',', ".").parse::<f64>() {
            Ok(n) => Some(n.fract() == 0.0 && (1.0..=4.0).contains(&n)),
            Err(_) => Some(true),
        },
        _ => None,
    };
    let (mut whole, mut fraction) = (0, 0);
    for row in sheet.rows.iter().skip(r + 1).take(ANSWER_ROWS) {
        let cells: Vec<bool> = (unsur.iter())
            .filter_map(|&(c, _)| row.get(c).and_then(answer))
            .collect();
        match (cells.is_empty(), cells.iter().all(|a| *a)) {
            (true, _) => {}
            (false, true) => whole += 1,
            (false, false) => fraction += 1,
        }
    }
    whole >= 2 && whole > fraction
}

/// Microsoft Forms in Indonesian heads its times "Waktu mulai" and "Waktu penyelesaian": beside
/// a start time, "Waktu penyelesaian" (completion time) is the submission's time, not the unsur
/// waktu (whose question is then asked in other words). Not where another column is the
/// submission's time (SurveyMonkey's `End Date` beside `Start Date`, over a grid whose rows
/// are the unsur's own names).
fn form_completion_time(mapped: &mut [(usize, Mapped, String)]) {
    let has = |f: Field| mapped.iter().any(|(_, m, _)| *m == Mapped::Field(f));
    if !has(Field::WaktuMulai) || has(Field::Stempel) {
        return;
    }
    for (_, m, text) in mapped.iter_mut() {
        if crate::domain::unsur::fold(text) == "waktu penyelesaian" {
            *m = Mapped::Field(Field::Stempel);
        }
    }
}

/// KoboToolbox and ODK write a response's own times as the form's metadata, `start` and `end`
/// (the device's clock, with its zone: `2024-09-30T14:41:33.000+07:00`), SurveyCTO
/// `starttime` and `endtime`, beside the server's receipt (KoboToolbox's `_submission_time`,
/// ODK's and SurveyCTO's `SubmissionDate`). A questionnaire filled offline on a tablet reaches
/// the server days later, maybe in the next quarter: where both the start and the end head
/// columns, the end is the response's time (`Stempel`), the start its start, and the server's
/// receipt is not read.
fn device_times(mapped: &mut [(usize, Mapped, String)]) {
    let folded = |t: &str| crate::domain::unsur::fold(t);
    let named = |w: &str| mapped.iter().any(|(_, _, t)| folded(t) == w);
    let Some((start, end)) = [("start", "end"), ("starttime", "endtime")]
        .into_iter()
        .find(|(s, e)| named(s) && named(e))
    else {
        return;
    };
    for (_, m, text) in mapped.iter_mut() {
        match folded(text).as_str() {
            t if t == end => *m = Mapped::Field(Field::Stempel),
            t if t == start => *m = Mapped::Field(Field::WaktuMulai),
            _ if *m == Mapped::Field(Field::Stempel) => *m = Mapped::Unknown,
            _ => {}
        }
    }
}

/// A quiz's columns beside a question's (`Points - <question>`, `<question> [Score]`,
/// `header::quiz_companion`) name the same unsur: beside the question's own column they are
/// not read (else the sheet would have two columns for the unsur).
fn quiz_companions(mapped: &mut [(usize, Mapped, String)]) {
    let plain: Vec<Mapped> = (mapped.iter())
        .filter(|(_, _, text)| !header::quiz_companion(text))
        .map(|(_, m, _)| m.clone())
        .collect();
    for (_, m, text) in mapped.iter_mut() {
        if matches!(m, Mapped::Field(Field::Unsur(_)))
            && header::quiz_companion(text)
            && plain.contains(m)
        {
            *m = Mapped::Unknown;
        }
    }
}

/// A `Kecamatan` column beside another unit column (`Unit Layanan`, `Nama Puskesmas`) asks the
/// respondent's district, not the unit: it is not read. (Alone it is the unit column: a
/// kecamatan office's form, or the city's form for every kecamatan.)
fn kecamatan_beside_unit(mapped: &mut [(usize, Mapped, String)]) {
    let kecamatan = |text: &str| {
        let f = crate::domain::unsur::fold(text);
        matches!(
            f.as_str(),
            "kecamatan" | "nama kecamatan" | "pilih kecamatan"
        )
    };
    let unit = Mapped::Field(Field::Unit);
    let other_unit = (mapped.iter()).any(|(_, m, text)| *m == unit && !kecamatan(text));
    if !other_unit {
        return;
    }
    for (_, m, text) in mapped.iter_mut() {
        if *m == unit && kecamatan(text) {
            *m = Mapped::Unknown;
        }
    }
}

/// Rows below the header looked at to find a unit column by its values.
const UNIT_VALUE_ROWS: usize = 1000;

/// When no header names the unit: the first column skm does not otherwise read whose non-blank
/// values below the header (up to `UNIT_VALUE_ROWS`) nearly all (90%) name registered units
/// becomes the unit column (a form's choice question, "Unit Layanan yang dikunjungi" spelled
/// any way). Recorded in the mapping as `unit`, so `validate` shows which column it was.
fn unit_by_values(header: &mut Header, sheet: &RawSheet, registry: &Registry) {
    if header.cols.iter().any(|(_, f, _)| *f == Field::Unit) {
        return;
    }
    let Some(head_row) = sheet.rows.get(header.row) else {
        return;
    };
    let width = sheet
        .rows
        .iter()
        .skip(header.row)
        .take(UNIT_VALUE_ROWS)
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    for c in 0..width {
        if header.cols.iter().any(|(hc, _, _)| *hc == c) {
            continue;
        }
        let (mut seen, mut units) = (0usize, 0usize);
        for row in sheet.rows.iter().skip(header.row + 1).take(UNIT_VALUE_ROWS) {
            match row.get(c) {
                None | Some(Cell::Empty) => {}
                Some(Cell::Text(t)) if t.trim().is_empty() => {}
                Some(Cell::Text(t)) => {
                    seen += 1;
                    units += usize::from(registry.lookup(t).is_some());
                }
                Some(_) => seen += 1,
            }
        }
        if seen > 0 && units * 10 >= seen * 9 {
            let text = head_row.get(c).map(Cell::display).unwrap_or_default();
            header.cols.push((c, Field::Unit, text.trim().to_string()));
            header.cols.sort_by_key(|(c, _, _)| *c);
            header.unit_by_values = true;
            return;
        }
    }
}

/// Why a header is ambiguous, in the operator's words: a code whose words name another unsur
/// ("U3 Biaya"), or words that match several fields.
fn ambiguous(text: &str, fields: &[Field], layout: &Layout) -> String {
    let names =
        |fs: &mut dyn Iterator<Item = &Field>| fs.map(|f| f.name()).collect::<Vec<_>>().join(", ");
    match header::leading_code(&crate::domain::unsur::fold(text)) {
        Some((k, _)) => {
            let coded = layout.unsur_of_code(k);
            format!(
                "judul kolom '{text}' ambigu: kodenya U{k} berarti {} (urutan \
                 [kuesioner] unsur_order), tetapi kata-katanya menyebut {}; \
                 perbaiki kode atau nama unsurnya agar sama",
                coded.name(),
                names(&mut fields.iter().filter(|f| **f != coded))
            )
        }
        None => format!(
            "judul kolom '{text}' cocok dengan lebih dari satu arti ({}); ganti \
             judulnya dengan kode (U1–U9) atau nama unsur",
            names(&mut fields.iter())
        ),
    }
}

/// A word SurveyMonkey's second header row puts under a question's column (in English or an
/// Indonesian account): `Response`, `Open-Ended Response`, `Other (please specify)`.
pub fn is_sub_header_word(c: &Cell) -> bool {
    sub_header_word(c).is_some()
}

/// Which of SurveyMonkey's second-row words `c` is: `Response` and the like under a question,
/// or `Other (please specify)` under the blank beside its question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SubHeaderWord {
    Response,
    Other,
}

fn sub_header_word(c: &Cell) -> Option<SubHeaderWord> {
    let Cell::Text(t) = c else {
        return None;
    };
    match crate::domain::unsur::fold(t).as_str() {
        "response" | "open ended response" | "tanggapan" | "tanggapan terbuka" | "jawaban" => {
            Some(SubHeaderWord::Response)
        }
        "other please specify" | "lainnya harap sebutkan" | "lainnya mohon sebutkan" => {
            Some(SubHeaderWord::Other)
        }
        _ => None,
    }
}

/// Whether a cell holds a text that is not blank.
fn has_text(c: Option<&Cell>) -> bool {
    matches!(c, Some(Cell::Text(t)) if !t.trim().is_empty())
}
