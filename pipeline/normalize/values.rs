//! Reading one cell into a typed value, or a plain reason why it cannot be read.

use chrono::{Datelike, NaiveDate};

use crate::domain::unsur::fold;
use crate::domain::{DateOrder, Unsur};
use crate::ingest::Cell;

use super::reject::RejectCode;
use super::scale::{split_numbered, ColumnScale, Scale};

/// A value that cannot be accepted: a short machine code and the reason in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    pub kode: RejectCode,
    pub alasan: String,
}

fn bad(kode: RejectCode, alasan: impl Into<String>) -> Bad {
    Bad {
        kode,
        alasan: alasan.into(),
    }
}

/// `date` day first (a plain function, for the per-column memo).
pub fn date_dm(cell: &Cell) -> Result<Option<NaiveDate>, Bad> {
    date(cell, DateOrder::HariBulan)
}

/// `date` month first.
pub fn date_md(cell: &Cell) -> Result<Option<NaiveDate>, Bad> {
    date(cell, DateOrder::BulanHari)
}

/// The score of an answer word in the column's scale (`super::scale`): `Ok(None)` when the
/// scale has no such word.
fn score_in(
    word: &str,
    unsur: &Unsur,
    scale: &ColumnScale,
    scales: &[Scale],
) -> Result<Option<u8>, Bad> {
    match scale {
        ColumnScale::Own => Ok(unsur.score_of_word(word)),
        ColumnScale::Generic(i) => Ok(scales[*i].score(&fold(word))),
        ColumnScale::Unusable(alasan) => Err(bad(RejectCode::JawabanTidakTerbaca, alasan.clone())),
        ColumnScale::Letters => Ok(super::scale::option_letter(word)),
        ColumnScale::Abbrev(i, _) => {
            Ok(super::scale::abbreviation(word).and_then(|k| scales[*i].score_abbreviation(&k)))
        }
    }
}

/// An answer to an unsur: a whole number 1–4 or one of the words of the column's scale (the
/// unsur's own words, or a generic scale decided for the column).
/// Blank is `Ok(None)`: not answered, which is not a zero.
///
/// The common cells (blank, one digit 1–4) are read here, inlined where rows are read; the rest
/// in `answer_rest`. (Called out of line for every answer, the result came back through memory
/// written in pieces and read whole, a stall of about 6% of a big file's CPU.)
#[inline]
pub fn answer(
    cell: &Cell,
    unsur: &Unsur,
    scale: &ColumnScale,
    scales: &[Scale],
) -> Result<Option<u8>, Bad> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Text(t) => match t.as_bytes() {
            [d @ b'1'..=b'4'] => Ok(Some(d - b'0')),
            _ => answer_rest(cell, unsur, scale, scales),
        },
        _ => answer_rest(cell, unsur, scale, scales),
    }
}

/// `answer` of a cell that is not blank and not one digit 1–4.
#[inline(never)]
fn answer_rest(
    cell: &Cell,
    unsur: &Unsur,
    scale: &ColumnScale,
    scales: &[Scale],
) -> Result<Option<u8>, Bad> {
    let words = || match scale {
        ColumnScale::Generic(i) => scales[*i].nama.clone(),
        ColumnScale::Letters => "huruf pilihan a–d (a = 1 … d = 4)".to_string(),
        ColumnScale::Abbrev(_, nama) => format!("singkatan {nama}"),
        _ => unsur.jawaban.join(" / "),
    };
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(n) => score_number(*n),
        Cell::Text(t) => {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            // "a. Tidak sesuai": the words as the form lists them after their letter.
            let t = super::scale::after_option_letter(t).unwrap_or(t);
            if let Some(n) = parse_plain_number(t) {
                return score_number(n);
            }
            if let Some(s) = score_in(t, unsur, scale, scales)? {
                return Ok(Some(s));
            }
            // "4,00": a whole number with a decimal comma, as Excel in an Indonesian locale
            // writes a cell formatted with decimals into CSV.
            if let Some(n) = whole_with_decimal_comma(t) {
                return score_number(n);
            }
            // "3,5": a decimal comma.
            if t.contains(',') && t.replace(',', ".").parse::<f64>().is_ok() {
                return Err(bad(
                    RejectCode::JawabanBukanBilanganBulat,
                    "jawaban harus bilangan bulat 1–4, ditemukan pecahan",
                ));
            }
            // "4 - Sangat sesuai", "4. Sangat sesuai", "Sangat sesuai (4)": both must agree.
            if let Some((n, word)) = split_numbered(t) {
                return match score_in(&word, unsur, scale, scales)? {
                    Some(s) if s == n => Ok(Some(s)),
                    Some(s) => Err(bad(
                        RejectCode::JawabanBertentangan,
                        format!("angka {n} dan kata '{word}' (= {s}) tidak cocok"),
                    )),
                    None => Err(bad(
                        RejectCode::JawabanTidakTerbaca,
                        format!(
                            "'{word}' bukan jawaban unsur {}; yang diterima: 1–4 atau {}",
                            unsur.nama,
                            words()
                        ),
                    )),
                };
            }
            Err(bad(
                RejectCode::JawabanTidakTerbaca,
                format!(
                    "bukan angka 1–4 dan bukan jawaban unsur {} ({})",
                    unsur.nama,
                    words()
                ),
            ))
        }
        Cell::Date(_) => Err(bad(
            RejectCode::JawabanTidakTerbaca,
            "sel berisi tanggal, bukan jawaban 1–4",
        )),
        Cell::Bool(_) => Err(bad(
            RejectCode::JawabanTidakTerbaca,
            "sel berisi TRUE/FALSE, bukan jawaban 1–4",
        )),
        Cell::Error(e) => Err(bad(
            RejectCode::GalatRumus,
            format!("sel berisi galat rumus {e}"),
        )),
        Cell::Oversize(n) => Err(bad(
            RejectCode::SelTerlaluBesar,
            format!("teks {n} karakter, bukan jawaban"),
        )),
    }
}

fn score_number(n: f64) -> Result<Option<u8>, Bad> {
    if n.fract() != 0.0 {
        return Err(bad(
            RejectCode::JawabanBukanBilanganBulat,
            "jawaban harus bilangan bulat 1–4, ditemukan pecahan",
        ));
    }
    if (1.0..=4.0).contains(&n) {
        Ok(Some(n as u8))
    } else if n == 5.0 {
        Err(bad(
            RejectCode::JawabanDiLuarSkala,
            "nilai 5 di luar skala 1–4 (formulir skala Likert-5 bukan metode Permen PANRB 14/2017)",
        ))
    } else {
        Err(bad(
            RejectCode::JawabanDiLuarSkala,
            "nilai di luar skala 1–4",
        ))
    }
}

/// A whole number written with a decimal comma and one or two zeros after it ("4,00", "3,0"),
/// as a cell formatted with decimals is written in an Indonesian locale. ("4,000" is not: a
/// thousands separator elsewhere.)
fn whole_with_decimal_comma(t: &str) -> Option<f64> {
    let (int, frac) = t.split_once(',')?;
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && (1..=2).contains(&frac.len())
        && frac.bytes().all(|b| b == b'0');
    ok.then(|| int.parse().ok()).flatten()
}

/// A plain number written as text: "4", "4.0", "-1", "3.5" (a comma is not accepted here).
fn parse_plain_number(t: &str) -> Option<f64> {
    let ok = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+');
    if ok {
        t.parse::<f64>().ok()
    } else {
        None
    }
}

/// A survey date: an Excel date, an Excel serial number, ISO `2024-10-15`, `15/10/2024`,
/// `15-10-2024`, `15.10.2024`, a form timestamp `15/10/2024 10:23:45`, or `15 Oktober 2024`.
/// A numeric date is read in the sheet's `order` (`domain::date_order`: day first as in
/// Indonesia, or month first as an English (US) form account writes it).
pub fn date(cell: &Cell, order: DateOrder) -> Result<Option<NaiveDate>, Bad> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(serial) => excel_serial(*serial).map(Some),
        Cell::Number(n) => {
            if (20000.0..80000.0).contains(n) {
                excel_serial(*n).map(Some)
            } else {
                Err(bad(
                    RejectCode::TanggalTidakTerbaca,
                    "angka ini bukan tanggal",
                ))
            }
        }
        Cell::Text(t) => {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            parse_date_text(t, order)
                .filter(|d| (2000..=2100).contains(&d.year()))
                .map(Some)
                .ok_or_else(|| {
                    bad(
                        RejectCode::TanggalTidakTerbaca,
                        format!(
                        "tanggal tidak terbaca (kolom ini dibaca {}); yang diterima: 2024-10-15, \
                         15/10/2024, 15/10/2024 10:23:45, 15 Oktober 2024",
                        order.example()
                    ),
                    )
                })
        }
        Cell::Error(e) => Err(bad(
            RejectCode::GalatRumus,
            format!("sel berisi galat rumus {e}"),
        )),
        Cell::Bool(_) => Err(bad(
            RejectCode::TanggalTidakTerbaca,
            "sel berisi TRUE/FALSE, bukan tanggal",
        )),
        Cell::Oversize(n) => Err(bad(
            RejectCode::SelTerlaluBesar,
            format!("teks {n} karakter, bukan tanggal"),
        )),
    }
}

/// The time of day a survey date cell carries, as `HH:MM:SS` (to the second) or `HH:MM` (to
/// the minute), or `None` when it has none: a form timestamp `15/10/2024 10:23:45` (also
/// `10.23.45`, `10:23`, `T10:23:45`, with `AM`/`PM`), or an Excel date-time cell or serial with
/// a fraction of a day (read to the second). A date alone has no time of day: such rows are
/// never taken for the same response (docs/DOMAIN.md). Midnight exactly (a date cell of a
/// whole day, `2024-03-15 00:00:00`) is a time here; a sheet whose times are mostly midnight
/// (a date-only log) has none (`is_midnight`, `Plan::midnight_is_time`).
pub fn time_of_day(cell: &Cell) -> Option<compact_str::CompactString> {
    match cell {
        Cell::Date(serial) => serial_time(*serial),
        Cell::Number(n) if (20000.0..80000.0).contains(n) => serial_time(*n),
        Cell::Text(t) => text_time(crate::ingest::trimmed(t)),
        _ => None,
    }
}

/// Whether a time of day (`time_of_day`'s) is midnight exactly: `00:00:00` or `00:00`.
pub fn is_midnight(jam: &str) -> bool {
    matches!(jam, "00:00:00" | "00:00")
}

fn serial_time(serial: f64) -> Option<compact_str::CompactString> {
    let secs = ((serial - serial.floor()) * 86_400.0).round() as u32 % 86_400;
    Some(clock_text(secs / 3600, secs / 60 % 60, Some(secs % 60)))
}

/// `HH:MM:SS` (or `HH:MM`), written without a formatter: a form's export has a new time on
/// every row.
fn clock_text(h: u32, m: u32, s: Option<u32>) -> compact_str::CompactString {
    let two = |n: u32| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
    let mut b = [0u8; 8];
    b[..2].copy_from_slice(&two(h));
    b[2] = b':';
    b[3..5].copy_from_slice(&two(m));
    let n = match s {
        Some(s) => {
            b[5] = b':';
            b[6..8].copy_from_slice(&two(s));
            8
        }
        None => 5,
    };
    std::str::from_utf8(&b[..n]).expect("ASCII digits").into()
}

fn text_time(t: &str) -> Option<compact_str::CompactString> {
    // What form tools write on every row: a date of ten characters (`numeric_date10`), alone
    // or then a space or `T` and `HH:MM:SS`: read at their places, without a search.
    let b = t.as_bytes();
    if b.len() >= 10 && numeric_date10(&b[..10]) {
        return match b.get(10) {
            None => None,
            Some(b' ' | b'T') => clock_at(crate::ingest::trimmed(&t[11..])),
            Some(_) => text_time_general(t),
        };
    }
    text_time_general(t)
}

/// `HH:MM:SS` exactly, when it is a time of day.
#[inline]
fn clock_at(rest: &str) -> Option<compact_str::CompactString> {
    let [h1, h2, b':', m1, m2, b':', s1, s2] = *rest.as_bytes() else {
        return text_time_rest(rest);
    };
    let num = |a: u8, b: u8| {
        (a.is_ascii_digit() && b.is_ascii_digit())
            .then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'))
    };
    let (h, m, s) = (num(h1, h2)?, num(m1, m2)?, num(s1, s2)?);
    (h <= 23 && m <= 59 && s <= 59).then(|| rest.into())
}

/// Whether `b` (ten bytes) is a numeric date `text_time` and `date_part_reading_alike` read
/// alike at fixed places: two digits, a separator (`-`, `/`, `.`), two digits, a separator,
/// four digits (`15/10/2024`), or four, two and two (`2024-10-15`).
#[inline(always)]
fn numeric_date10(b: &[u8]) -> bool {
    let Ok(b) = <&[u8; 10]>::try_from(b) else {
        return false;
    };
    let d = |i: usize| b[i].is_ascii_digit();
    let s = |i: usize| matches!(b[i], b'-' | b'/' | b'.');
    match s(2) {
        true => s(5) && d(0) && d(1) && d(3) && d(4) && d(6) && d(7) && d(8) && d(9),
        false => s(4) && s(7) && d(0) && d(1) && d(2) && d(3) && d(5) && d(6) && d(8) && d(9),
    }
}

/// `text_time` of any text: its time after the first space or `T`.
fn text_time_general(t: &str) -> Option<compact_str::CompactString> {
    // (A byte search: both are ASCII, so the byte after is where the rest begins. A date
    // alone, on every row of a sheet without times, is passed over without decoding it.)
    let t = crate::domain::date_order::compact_dotted(t);
    let at = t.bytes().position(|b| b == b' ' || b == b'T')?;
    clock_at(crate::ingest::trimmed(&t[at + 1..])).or_else(|| after_year_word(&t))
}

/// The time after a date written with its month in words, whose year stands as a word of its
/// own (`Oct 15, 2024 2:41 pm` as Jotform writes it, `15 Oktober 2024 10:23`, `Selasa, 15
/// Oktober 2024 10.23`): what follows the year, read as `text_time_rest` reads it.
fn after_year_word(t: &str) -> Option<compact_str::CompactString> {
    let mut start = 0;
    for word in t.split(' ') {
        let end = start + word.len();
        let year = word.trim_end_matches(',');
        if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) && end < t.len() {
            return text_time_rest(crate::ingest::trimmed(&t[end..]));
        }
        start = end + 1;
    }
    None
}

/// The time of day in what follows a date (`text_time_general`), trimmed, when it is not
/// `HH:MM:SS` exactly (`clock_at`): the clock (`10:23`, `10.23.45`, `10:23:45.250`), with a
/// 12-hour clock's marker before or after it (`2:41:33 PM`, `2:41:33 p. m.`, `下午 10:23:45`,
/// `오후 10:23:45`, `午後10:23:45`); a zone or a word after it is dropped (`+07:00`, `Z`,
/// `PM GMT+7`, `WIB`). Nothing but a marker may come before the clock.
fn text_time_rest(rest: &str) -> Option<compact_str::CompactString> {
    let b = rest.as_bytes();
    let start = b.iter().position(u8::is_ascii_digit)?;
    let len = b[start..]
        .iter()
        .position(|c| !(c.is_ascii_digit() || matches!(c, b':' | b'.')))
        .unwrap_or(b.len() - start);
    // (Cut at ASCII bytes: the clock's own.)
    let (before, clock, after) = (
        &rest[..start],
        &rest[start..start + len],
        &rest[start + len..],
    );
    let before = before.trim();
    let pm = match (before.is_empty(), meridiem(before)) {
        (true, _) => meridiem_after(after),
        (false, Some(pm)) => Some(pm),
        (false, None) => return None,
    };
    let (h, m, s) = clock_parts(clock.trim_end_matches('.'))?;
    let h = match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    };
    (h <= 23 && m <= 59 && s.is_none_or(|s| s <= 59)).then(|| clock_text(h, m, s))
}

/// `H:MM`, `HH:MM:SS`, `HH.MM.SS`, with a fraction of a second after the seconds: hours of one
/// or two digits, minutes and seconds of two.
fn clock_parts(clock: &str) -> Option<(u32, u32, Option<u32>)> {
    let mut parts = clock.split([':', '.']);
    let (h, m, s, fraction) = (parts.next()?, parts.next()?, parts.next(), parts.next());
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit())
    };
    if parts.next().is_some()
        || !digits(h, 1..=2)
        || !digits(m, 2..=2)
        || s.is_some_and(|s| !digits(s, 2..=2))
        || fraction.is_some_and(|f| !digits(f, 1..=9))
    {
        return None;
    }
    let n = |p: &str| p.parse::<u32>().ok();
    Some((n(h)?, n(m)?, s.and_then(n)))
}

/// Whether `t` is a 12-hour clock's marker: `Some(true)` after noon (`PM`, `p.m.`, `p. m.`,
/// `下午`, `午後`, `오후`; Google Sheets in a Malay account `PTG`, Arabic `م`, Vietnamese `CH`,
/// Thai `หลังเที่ยง`), `Some(false)` before (`AM`, `a.m.`, `上午`, `午前`, `오전`; `PG`, `ص`,
/// `SA`, `ก่อนเที่ยง`). Unknown, an afternoon's `2:41:33 PTG` was read as 02:41:33: the same
/// response in the sheet's CSV and its workbook had two identities, and counted twice.
fn meridiem(t: &str) -> Option<bool> {
    match t {
        "上午" | "午前" | "오전" | "ص" | "ก่อนเที่ยง" => {
            return Some(false)
        }
        "下午" | "午後" | "오후" | "م" | "หลังเที่ยง" => {
            return Some(true)
        }
        _ => {}
    }
    let letters: Vec<u8> = (t.bytes())
        .filter(|c| !matches!(c, b'.' | b' '))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match letters.as_slice() {
        b"am" | b"pg" | b"sa" => Some(false),
        b"pm" | b"ptg" | b"ch" => Some(true),
        _ => None,
    }
}

/// The marker among the words after a clock (`PM`, `PM GMT+7`, `p. m.`, `PM (WIB)`), if any.
fn meridiem_after(after: &str) -> Option<bool> {
    let words: Vec<&str> = after.split_whitespace().collect();
    (0..words.len()).find_map(|i| {
        meridiem(words[i]).or_else(|| {
            // `p. m.`: two words.
            let two = words.get(i + 1).map(|next| format!("{}{next}", words[i]))?;
            meridiem(&two).filter(|_| words[i].len() <= 2)
        })
    })
}

fn excel_serial(serial: f64) -> Result<NaiveDate, Bad> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid");
    let days = serial.floor();
    if !(0.0..=2_958_465.0).contains(&days) {
        return Err(bad(
            RejectCode::TanggalTidakTerbaca,
            "nomor seri tanggal Excel di luar jangkauan",
        ));
    }
    chrono::Duration::try_days(days as i64)
        .and_then(|d| base.checked_add_signed(d))
        .filter(|d| (2000..=2100).contains(&d.year()))
        .ok_or_else(|| {
            bad(
                RejectCode::TanggalTidakTerbaca,
                "nomor seri tanggal Excel di luar jangkauan",
            )
        })
}

pub(crate) const MONTHS: [(&str, u32); 37] = [
    ("januari", 1),
    ("februari", 2),
    ("maret", 3),
    ("april", 4),
    ("mei", 5),
    ("juni", 6),
    ("juli", 7),
    ("agustus", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("desember", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("agu", 8),
    ("agt", 8),
    ("sep", 9),
    ("okt", 10),
    ("nov", 11),
    ("des", 12),
    // English (a form or a sheet in an English account).
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("october", 10),
    ("december", 12),
    ("aug", 8),
    ("oct", 10),
    ("dec", 12),
    ("sept", 9),
];

/// A date-and-time text's numeric date part (`2024-07-01` of `2024-07-01 08:12:33`,
/// `15/10/2024` of `15/10/2024 10:23`), when `date` reads the part alone as it reads the
/// whole: a part of three runs of digits between `-`, `/` or `.` is read by the numeric
/// readings, which look at nothing after the first space or `T` (`15. Oktober 2024` is not
/// such a part: it is read as words).
pub fn date_part_reading_alike<'c>(cell: &'c Cell) -> Option<&'c str> {
    let Cell::Text(t) = cell else {
        return None;
    };
    let t = crate::ingest::trimmed(t);
    // What form tools write on every row (`numeric_date10`): read at its place.
    let b = t.as_bytes();
    if b.len() >= 10 && numeric_date10(&b[..10]) {
        return match b.get(10) {
            None => None,
            Some(b' ' | b'T') => Some(&t[..10]),
            Some(_) => date_part_general(t),
        };
    }
    date_part_general(t)
}

/// `date_part_reading_alike` of any trimmed text.
fn date_part_general(t: &str) -> Option<&str> {
    // Byte by byte (a form's export has a new timestamp on every row): no byte of a character
    // beyond ASCII is a space, a `T`, a digit or a separator.
    let end = t.bytes().position(|b| b == b' ' || b == b'T')?;
    // (`15/10/2024, 14:41:33`: a comma after the date, as JavaScript's `toLocaleString` and
    // the exports made with it write a date and time.)
    let part = &t[..end];
    let part = part.strip_suffix(',').unwrap_or(part);
    let (mut runs, mut digits) = (0, 0);
    for b in part.bytes() {
        match b {
            b'0'..=b'9' => digits += 1,
            b'-' | b'/' | b'.' if digits > 0 => (runs, digits) = (runs + 1, 0),
            _ => return None,
        }
    }
    (runs == 2 && digits > 0).then_some(part)
}

fn parse_date_text(t: &str, order: DateOrder) -> Option<NaiveDate> {
    let t = &*crate::domain::date_order::compact_dotted(t);
    if let Some((a, b, y)) = crate::domain::date_order::leading_pair(t) {
        let (d, m) = crate::domain::date_order::day_month(order, a, b);
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    // Keep only the date part of a timestamp (and a comma after it: `15/10/2024, 14:41:33`).
    let date_part = t.split([' ', 'T']).next().unwrap_or(t);
    let date_part = date_part.strip_suffix(',').unwrap_or(date_part);
    let nums: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    if nums.len() == 3
        && nums
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    {
        let a: u32 = nums[0].parse().ok()?;
        let b: u32 = nums[1].parse().ok()?;
        let c: u32 = nums[2].parse().ok()?;
        return if nums[0].len() == 4 {
            NaiveDate::from_ymd_opt(a as i32, b, c)
        } else {
            None
        };
    }
    // "15 Oktober 2024", "15 Okt 2024", "15-Okt-24", "Selasa, 15 Oktober 2024", "15 October
    // 2024", "October 15, 2024", "Tue, Oct 15, 2024": a day, a month's name and a year (of
    // four digits, or two: 2000 + it), after a weekday's name if any.
    let words: Vec<String> = fold(t).split(' ').map(str::to_string).collect();
    let words = match words.as_slice() {
        // (`Jum'at` folds to two words.)
        [j, a, ..] if j == "jum" && a == "at" => &words[2..],
        [w, ..] if WEEKDAYS.contains(&w.as_str()) => &words[1..],
        _ => &words[..],
    };
    let month = |w: &str| MONTHS.iter().find(|(n, _)| *n == w).map(|(_, m)| *m);
    let [first, second, year, ..] = words else {
        return None;
    };
    let (d, m) = match month(first) {
        Some(m) => (second, m),
        None => (first, month(second)?),
    };
    let d: u32 = d.parse().ok().filter(|_| d.len() <= 2)?;
    // Two digits only when nothing follows (`15-Okt-24`): in `15 Oktober 10:23` the `10` is
    // the hour.
    let y: i32 = match year.len() {
        4 => year.parse().ok()?,
        2 if words.len() == 3 => 2000 + year.parse::<i32>().ok()?,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Names of the week's days a long date may begin with (`Selasa, 15 Oktober 2024`), folded.
const WEEKDAYS: [&str; 21] = [
    "senin",
    "selasa",
    "rabu",
    "kamis",
    "jumat",
    "sabtu",
    "minggu",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
];

/// Jenis kelamin as L or P; other text is kept as written.
pub fn jenis_kelamin(cell: &Cell) -> Option<String> {
    let t = cell.display();
    if t.is_empty() {
        return None;
    }
    Some(match fold(&t).as_str() {
        "l" | "laki laki" | "lakilaki" | "laki" | "pria" | "male" | "m" => "L".to_string(),
        "p" | "perempuan" | "wanita" | "female" | "f" => "P".to_string(),
        _ => t,
    })
}

/// Umur: a whole number of years (10–100, "25 tahun" accepted), or an age band as printed on
/// the form ("20-29 tahun", "> 50"), kept as the band.
pub fn umur(cell: &Cell) -> Result<(Option<i32>, Option<String>), Bad> {
    let absurd = |n: f64| {
        bad(
            RejectCode::UmurTidakWajar,
            format!(
                "umur {} tidak wajar; yang diterima 10–100 tahun",
                crate::ingest::fmt_number(n)
            ),
        )
    };
    match cell {
        Cell::Empty => Ok((None, None)),
        Cell::Number(n) => {
            if n.fract() == 0.0 && (10.0..=100.0).contains(n) {
                Ok((Some(*n as i32), Some(age_band(*n as i32))))
            } else {
                Err(absurd(*n))
            }
        }
        Cell::Text(t) => {
            let f = fold(t);
            if f.is_empty() {
                return Ok((None, None));
            }
            let stripped = f.trim_end_matches(" tahun").trim_end_matches(" th").trim();
            if let Ok(n) = stripped.parse::<i64>() {
                return if (10..=100).contains(&n) {
                    Ok((Some(n as i32), Some(age_band(n as i32))))
                } else {
                    Err(absurd(n as f64))
                };
            }
            if t.trim().starts_with('-') {
                return Err(bad(RejectCode::UmurTidakWajar, "umur negatif"));
            }
            // A band as printed on the form: "20-29 tahun", "> 50", "17 s/d 25", "60 ke atas".
            let band_words = [
                "tahun", "th", "s", "d", "sd", "ke", "atas", "lebih", "dari", "kurang", "sampai",
            ];
            let is_band = f.chars().any(|c| c.is_ascii_digit())
                && f.split(' ')
                    .all(|w| w.chars().all(|c| c.is_ascii_digit()) || band_words.contains(&w))
                && f.split(' ')
                    .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
                    .all(|n| n.len() <= 3)
                && !super::pii::looks_personal(t);
            if is_band {
                Ok((None, Some(t.trim().to_string())))
            } else if f.chars().any(|c| c.is_ascii_digit()) {
                Err(bad(
                    RejectCode::UmurTidakTerbaca,
                    "umur bukan angka tahun dan bukan kelompok umur (20-29 tahun)",
                ))
            } else {
                Err(bad(RejectCode::UmurTidakTerbaca, "umur bukan angka"))
            }
        }
        Cell::Error(e) => Err(bad(
            RejectCode::GalatRumus,
            format!("sel berisi galat rumus {e}"),
        )),
        _ => Err(bad(RejectCode::UmurTidakTerbaca, "umur bukan angka")),
    }
}

/// Age bands used by the breakdowns.
pub fn age_band(age: i32) -> String {
    match age {
        ..=19 => "<20",
        20..=29 => "20-29",
        30..=39 => "30-39",
        40..=49 => "40-49",
        50..=59 => "50-59",
        _ => "60+",
    }
    .to_string()
}

/// The year a text (title rows, file names) names: its first 4-digit year 2000–2099 that is
/// not one of a span (`Renstra 2021-2026`, `2021 s.d. 2026`) nor a regulation's (`Nomor 14
/// Tahun 2017`).
pub fn year_in_text(t: &str) -> Option<i32> {
    let b = t.as_bytes();
    let mut years: Vec<(usize, usize, i32)> = Vec::new();
    for i in 0..b.len().saturating_sub(3) {
        let w = &b[i..i + 4];
        let before = i == 0 || !b[i - 1].is_ascii_digit();
        let after = i + 4 == b.len() || !b[i + 4].is_ascii_digit();
        if before && after && w.iter().all(u8::is_ascii_digit) && w[0] == b'2' && w[1] == b'0' {
            let y = i32::from(w[2] - b'0') * 10 + i32::from(w[3] - b'0') + 2000;
            years.push((i, i + 4, y));
        }
    }
    // (Cut at ASCII digits: the text between years is whole characters.)
    let spans = |k: usize| {
        let joined = |(_, e, _): (usize, usize, i32), (s, _, _): (usize, usize, i32)| {
            is_span_joint(&t[e..s])
        };
        (k > 0 && joined(years[k - 1], years[k]))
            || (k + 1 < years.len() && joined(years[k], years[k + 1]))
    };
    (0..years.len())
        .filter(|&k| !spans(k))
        .find(|&k| {
            let words = last_words(&t[..years[k].0]);
            let cited = words[0] == "tahun"
                && !words[1].is_empty()
                && words[1].bytes().all(|c| c.is_ascii_digit())
                && matches!(words[2].as_str(), "no" | "nomor");
            !cited
        })
        .map(|k| years[k].2)
}

/// Whether the text between two years makes them a span: a dash, `s.d.`, `s/d`, `sd`,
/// `sampai`, `hingga`, `to`, with spaces around (`2024/2025` is not: its first is the year).
fn is_span_joint(between: &str) -> bool {
    let j = between.trim().to_ascii_lowercase();
    matches!(
        j.as_str(),
        "-" | "–" | "—" | "s.d." | "s.d" | "s/d" | "sd" | "sampai" | "hingga" | "to"
    )
}

/// The last three words before a place in a text, lower case, nearest first (`""` where
/// there are fewer).
fn last_words(t: &str) -> [String; 3] {
    let mut words = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .map(str::to_lowercase);
    std::array::from_fn(|_| words.next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Unsur;

    fn t(s: &str) -> Cell<'static> {
        Cell::Text(s.into())
    }

    #[test]
    fn answers() {
        let p = Unsur::by_key("persyaratan").unwrap();
        let own = ColumnScale::Own;
        let baik = [Scale::new(
            &["Tidak baik", "Kurang baik", "Baik", "Sangat baik"].map(String::from),
        )];
        let generic = ColumnScale::Generic(0);
        assert_eq!(answer(&t("Kurang Baik"), p, &generic, &baik), Ok(Some(2)));
        assert_eq!(
            answer(&t("4 - Sangat Baik"), p, &generic, &baik),
            Ok(Some(4))
        );
        assert_eq!(
            answer(&t("1 (Tidak Baik)"), p, &generic, &baik),
            Ok(Some(1))
        );
        assert_eq!(answer(&t("3"), p, &generic, &baik), Ok(Some(3)));
        assert!(answer(&t("Sesuai"), p, &generic, &baik).is_err());
        let unusable = ColumnScale::Unusable("campur".into());
        assert_eq!(
            answer(&t("Baik"), p, &unusable, &baik).unwrap_err().alasan,
            "campur"
        );
        assert_eq!(answer(&t("2"), p, &unusable, &baik), Ok(Some(2)));
        assert_eq!(answer(&t("4"), p, &own, &[]), Ok(Some(4)));
        assert_eq!(answer(&Cell::Number(1.0), p, &own, &[]), Ok(Some(1)));
        assert_eq!(answer(&t(" sangat  SESUAI "), p, &own, &[]), Ok(Some(4)));
        assert_eq!(answer(&t("4 - Sangat sesuai"), p, &own, &[]), Ok(Some(4)));
        assert_eq!(answer(&t("Sesuai (3)"), p, &own, &[]), Ok(Some(3)));
        assert_eq!(answer(&Cell::Empty, p, &own, &[]), Ok(None));
        assert_eq!(
            answer(&t("5"), p, &own, &[]).unwrap_err().kode,
            RejectCode::JawabanDiLuarSkala
        );
        assert_eq!(
            answer(&t("0"), p, &own, &[]).unwrap_err().kode,
            RejectCode::JawabanDiLuarSkala
        );
        assert_eq!(
            answer(&t("3,5"), p, &own, &[]).unwrap_err().kode,
            RejectCode::JawabanBukanBilanganBulat
        );
        // A whole number with a decimal comma, as an Indonesian-locale Excel writes it.
        assert_eq!(answer(&t("4,00"), p, &own, &[]), Ok(Some(4)));
        assert_eq!(answer(&t("2,0"), p, &own, &[]), Ok(Some(2)));
        assert_eq!(
            answer(&t("3,50"), p, &own, &[]).unwrap_err().kode,
            RejectCode::JawabanBukanBilanganBulat
        );
        assert_eq!(
            answer(&t("5,00"), p, &own, &[]).unwrap_err().kode,
            RejectCode::JawabanDiLuarSkala
        );
        assert!(answer(&t("4,000"), p, &own, &[]).is_err());
        assert_eq!(
            answer(&Cell::Number(3.5), p, &own, &[]).unwrap_err().kode,
            RejectCode::JawabanBukanBilanganBulat
        );
        assert_eq!(
            answer(&t("tiga"), p, &own, &[]).unwrap_err().kode,
            RejectCode::JawabanTidakTerbaca
        );
        assert_eq!(
            answer(&t("4 - Kurang sesuai"), p, &own, &[])
                .unwrap_err()
                .kode,
            RejectCode::JawabanBertentangan
        );
        assert_eq!(
            answer(&Cell::Error("#N/A".into()), p, &own, &[])
                .unwrap_err()
                .kode,
            RejectCode::GalatRumus
        );
    }

    #[test]
    fn times_of_day() {
        let t = |s: &str| time_of_day(&Cell::Text(s.into()));
        assert_eq!(t("15/10/2024 10:23:45").as_deref(), Some("10:23:45"));
        assert_eq!(t("15/10/2024 9.05.01").as_deref(), Some("09:05:01"));
        assert_eq!(t("2024-10-15T10:23:45+07:00").as_deref(), Some("10:23:45"));
        assert_eq!(t("2024-10-15 10:23:45.250").as_deref(), Some("10:23:45"));
        assert_eq!(t("15/10/2024 10:23").as_deref(), Some("10:23"));
        assert_eq!(t("10/15/2024 1:02:03 PM").as_deref(), Some("13:02:03"));
        assert_eq!(t("10/15/2024 12:02:03 AM").as_deref(), Some("00:02:03"));
        // A 12-hour clock's marker before or after it, a zone after it (Google Forms' own CSV,
        // Sheets in Chinese, Japanese, Korean, Spanish accounts), dotted dates with spaces.
        for (cell, time) in [
            ("2024/10/15 2:41:33 PM GMT+7", "14:41:33"),
            ("2024/10/15 2:41:33 AM GMT+7", "02:41:33"),
            ("2024/10/15 12:41:33 AM UTC", "00:41:33"),
            ("10/15/2024 2:41:33PM", "14:41:33"),
            ("15/10/2024 2:41:33 p. m.", "14:41:33"),
            ("15/10/2024 2:41:33 a. m.", "02:41:33"),
            ("15/10/2024 2:41 p.m. (WIB)", "14:41"),
            ("2024/10/15 下午 10:23:45", "22:23:45"),
            ("2024/10/15 上午 12:05:00", "00:05:00"),
            ("2024/10/15 午後10:23:45", "22:23:45"),
            ("2024. 10. 15 오후 10:23:45", "22:23:45"),
            ("2024. 10. 15 오전 9:23:45", "09:23:45"),
            ("2024. 10. 15. 10:23:45", "10:23:45"),
            ("15. 10. 2024 10:23:45", "10:23:45"),
            ("2024-10-15 22:23:45 GMT+7", "22:23:45"),
            ("15/10/2024 2:41:33 PTG", "14:41:33"),
            ("15/10/2024 12:05:00 PG", "00:05:00"),
            ("15/10/2024 2:41:33 م", "14:41:33"),
            ("15/10/2024 9:41:33 ص", "09:41:33"),
            ("15/10/2024 2:41:33 CH", "14:41:33"),
            ("15/10/2024 2:41:33 หลังเที่ยง", "14:41:33"),
        ] {
            assert_eq!(t(cell).as_deref(), Some(time), "{cell:?}");
        }
        // Not a clock: words before the numbers, numbers that are no time.
        for cell in [
            "15/10/2024 sesi 1.5",
            "15/10/2024 (revisi 2)",
            "15/10/2024 10:5",
            "15/10/2024 pukul 10:23",
            "15/10/2024 10:23:4",
        ] {
            assert_eq!(t(cell), None, "{cell:?}");
        }
        assert_eq!(t("15/10/2024"), None);
        assert_eq!(t("15 Oktober 2024"), None);
        assert_eq!(t("15/10/2024 25:00"), None);
        // Out of the day, at the fixed places and elsewhere; its last second in.
        for late in [
            "15/10/2024 24:00:00",
            "15/10/2024 10:60:00",
            "15/10/2024 23:59:60",
            "2024-10-15T24:00:00",
            "15/10/2024 24:00",
        ] {
            assert_eq!(t(late), None, "{late:?}");
        }
        assert_eq!(t("15/10/2024 23:59:59").as_deref(), Some("23:59:59"));
        // A word after the time that ends in a character of several bytes: the word dropped
        // as a zone's is, and no panic (a slice of the last bytes fell inside the character).
        for (odd, time) in [
            ("15/10/2024 10:23 (sé)", "10:23"),
            ("2024-10-15 10:23:45 WIB·x", "10:23:45"),
            ("15/10/2024 10.00 pagi—ok", "10:00"),
        ] {
            assert_eq!(t(odd).as_deref(), Some(time), "{odd:?}");
        }
        // 2024-10-15 10:23:45 as an Excel serial; midnight is a date alone.
        let serial = 45580.0 + (10.0 * 3600.0 + 23.0 * 60.0 + 45.0) / 86400.0;
        assert_eq!(
            time_of_day(&Cell::Date(serial)).as_deref(),
            Some("10:23:45")
        );
        assert!(time_of_day(&Cell::Date(45580.0)).is_some_and(|t| is_midnight(&t)));
        // Midnight exactly in a text, as a date-only log saved as CSV writes its dates: a
        // time here, told by `is_midnight` (a sheet whose times are all midnight has none,
        // `Plan::midnight_is_time`). A second past it is a time.
        for midnight in [
            "2024-03-15 00:00:00",
            "15/03/2024 0:00",
            "15/03/2024 00:00",
            "3/15/2024 12:00:00 AM",
            "2024-03-15T00:00:00.000Z",
            "15.03.2024 00.00.00",
        ] {
            assert!(t(midnight).is_some_and(|j| is_midnight(&j)), "{midnight:?}");
        }
        assert_eq!(t("2024-03-15 00:00:01").as_deref(), Some("00:00:01"));
        // A date with its month in words, the year a word of its own (Jotform, long dates).
        for (cell, time) in [
            ("Oct 15, 2024 2:41 pm", "14:41"),
            ("October 15, 2024 14:41:05", "14:41:05"),
            ("15 Oktober 2024 10:23", "10:23"),
            ("Selasa, 15 Oktober 2024 10.23", "10:23"),
        ] {
            assert_eq!(t(cell).as_deref(), Some(time), "{cell:?}");
        }
        for cell in [
            "15 Oktober 2024",
            "Oct 15, 2024",
            "15 Oktober 2024 pukul 10:23",
        ] {
            assert_eq!(t(cell), None, "{cell:?}");
        }
        assert_eq!(t("3/15/2024 12:01 AM").as_deref(), Some("00:01"));
    }

    #[test]
    fn a_timestamps_date_part_reads_as_the_whole() {
        let texts = [
            "2024-07-01 08:12:33",
            " 2024-07-01T08:12:33+07:00 ",
            "15/10/2024 10:23",
            "13.01.2024 09:16:54",
            "1/13/24 9:16",
            "10/15/2024 1:02:03 PM",
            "2024-13-01 08:00:00",
            "31/02/2024 08:00",
            "15/10/1999 08:00",
            "15-10 08:00",
            "1.2.3.4 08:00",
            "15/10/2024/ 08:00",
            "-- 08:00",
            "15. Oktober 2024 10:00",
            "15.10. 2024 10:00",
            "15 Oktober 2024 10:00",
            "15/10/2024",
            "2024 10 15 08:00",
            "15/10/2024, 14:41:33",
            "10/15/2024, 2:41:33 PM",
        ];
        for t in texts {
            let whole = Cell::Text(t.into());
            let Some(part) = date_part_reading_alike(&whole) else {
                continue;
            };
            let alone = Cell::Text(part.into());
            for order in [DateOrder::HariBulan, DateOrder::BulanHari] {
                let (a, b) = (date(&whole, order), date(&alone, order));
                assert_eq!(
                    a.as_ref().map_err(|e| (e.kode, &e.alasan)),
                    b.as_ref().map_err(|e| (e.kode, &e.alasan)),
                    "{t:?} read {order:?}"
                );
            }
        }
        let part = |t: &str| date_part_reading_alike(&Cell::Text(t.into())).map(str::to_string);
        assert_eq!(part("2024-07-01 08:12:33").as_deref(), Some("2024-07-01"));
        assert_eq!(part(" 1/13/24 9:16 ").as_deref(), Some("1/13/24"));
        assert_eq!(part("15/10/2024, 14:41:33").as_deref(), Some("15/10/2024"));
        for t in [
            "15. Oktober 2024 10:00",
            "15/10/2024",
            "1.2.3.4 08:00",
            "-- 08:00",
        ] {
            assert_eq!(part(t), None, "{t:?}");
        }
    }

    #[test]
    fn date_part_byte_by_byte_is_the_split_reading() {
        // The reading as first written, with `str::split`.
        fn split_reading(t: &str) -> Option<&str> {
            let (part, _) = t.trim().split_once([' ', 'T'])?;
            let mut runs = part.split(['-', '/', '.']);
            let three = (runs.by_ref().take(3))
                .filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
                .count()
                == 3;
            (three && runs.next().is_none()).then_some(part)
        }
        let alphabet: Vec<char> = "0123456789-/. T:aé\t,t".chars().collect();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = (x % 14) as usize;
            let t: String = (0..n)
                .map(|i| alphabet[(x >> (4 + 4 * i)) as usize % alphabet.len()])
                .collect();
            let cell = Cell::Text(t.as_str().into());
            assert_eq!(date_part_reading_alike(&cell), split_reading(&t), "{t:?}");
        }
    }

    /// The readings at fixed places (`numeric_date10`) equal the general ones on texts near
    /// the shapes they read: every character of `15/10/2024 10:23:45` and
    /// `2024-10-15T10:23:45` changed (to digits, separators, spaces, letters, characters of
    /// several bytes), one or two at a time, and the texts cut short or made longer.
    #[test]
    fn timestamps_read_at_fixed_places_as_in_general() {
        let alphabet: Vec<char> = "0123456789-/.: Tx\t,tZ+PMé\u{a0}\u{3000}".chars().collect();
        let mut texts: Vec<String> = Vec::new();
        let with = |base: &str, changes: &[(usize, char)]| -> String {
            let mut t: Vec<char> = base.chars().collect();
            for &(i, c) in changes {
                t[i] = c;
            }
            t.into_iter().collect()
        };
        for base in [
            "15/10/2024 10:23:45",
            "2024-10-15T10:23:45",
            "01.02.2024 00:00:00",
        ] {
            for i in 0..base.len() {
                for &c in &alphabet {
                    texts.push(with(base, &[(i, c)]));
                    for j in [0, 2, 4, 7, 10, 13, 18] {
                        texts.push(with(base, &[(i, c), (j, ' ')]));
                    }
                }
            }
            for n in 0..=base.len() {
                texts.push(base[..n].to_string());
            }
            for tail in [" PM", "Z", " é", "\u{a0}"] {
                texts.push(format!("{base}{tail}"));
            }
        }
        for t in &texts {
            let trimmed = crate::ingest::trimmed(t);
            assert_eq!(text_time(trimmed), text_time_general(trimmed), "{t:?}");
            let cell = Cell::Text(t.as_str().into());
            assert_eq!(
                date_part_reading_alike(&cell),
                date_part_general(trimmed),
                "{t:?}"
            );
        }
        assert!(texts.len() > 5000);
    }

    #[test]
    fn dates() {
        let d = |y, m, dd| Ok(Some(NaiveDate::from_ymd_opt(y, m, dd).unwrap()));
        let date_dm = |c: &Cell| date(c, DateOrder::HariBulan);
        let md = |c: &str| date(&t(c), DateOrder::BulanHari);
        assert_eq!(md("1/13/2024 9:16:54"), d(2024, 1, 13));
        assert_eq!(md("10/5/2024"), d(2024, 10, 5));
        assert_eq!(md("1/13/24 9:16"), d(2024, 1, 13));
        assert_eq!(date_dm(&t("10/5/2024")), d(2024, 5, 10));
        assert!(date_dm(&t("1/13/2024")).is_err());
        assert_eq!(md("2024-10-05"), d(2024, 10, 5));
        assert_eq!(date_dm(&t("2024-10-15")), d(2024, 10, 15));
        assert_eq!(date_dm(&t("15/10/2024")), d(2024, 10, 15));
        assert_eq!(date_dm(&t("15/10/2024 10:23:45")), d(2024, 10, 15));
        assert_eq!(date_dm(&t("5-3-2024")), d(2024, 3, 5));
        assert_eq!(date_dm(&t("15 Oktober 2024")), d(2024, 10, 15));
        assert_eq!(date_dm(&Cell::Date(45580.4)), d(2024, 10, 15));
        assert_eq!(date_dm(&Cell::Number(45580.0)), d(2024, 10, 15));
        // Dotted dates with spaces (Korean, Hungarian, Czech accounts), a time after them.
        assert_eq!(date_dm(&t("2024. 10. 15 오후 10:23:45")), d(2024, 10, 15));
        assert_eq!(date_dm(&t("2024. 10. 15.")), d(2024, 10, 15));
        assert_eq!(date_dm(&t("2024. 10. 15. 10:23:45")), d(2024, 10, 15));
        assert_eq!(date_dm(&t("15. 10. 2024 10:23:45")), d(2024, 10, 15));
        assert_eq!(md("10. 15. 2024"), d(2024, 10, 15));
        assert_eq!(date_dm(&t("2024/10/15 下午 10:23:45")), d(2024, 10, 15));
        // Months by name in English, a weekday before, a year of two digits.
        assert_eq!(date_dm(&t("15 October 2024")), d(2024, 10, 15));
        assert_eq!(date_dm(&t("October 15, 2024")), d(2024, 10, 15));
        assert_eq!(date_dm(&t("Tue, Oct 15, 2024")), d(2024, 10, 15));
        assert_eq!(date_dm(&t("Selasa, 15 Oktober 2024")), d(2024, 10, 15));
        assert_eq!(date_dm(&t("15-Okt-24")), d(2024, 10, 15));
        assert_eq!(date_dm(&t("3 May 2024")), d(2024, 5, 3));
        assert!(date_dm(&t("15 Oktober 202")).is_err());
        assert!(date_dm(&t("15 Oktober 10:23")).is_err());
        assert_eq!(date_dm(&t("Jum'at, 18 Oktober 2024")), d(2024, 10, 18));
        assert!(date_dm(&t("150 Oktober 2024")).is_err());
        assert!(date_dm(&t("31/02/2024")).is_err());
        assert!(date_dm(&t("kemarin")).is_err());
    }

    #[test]
    fn ages() {
        assert_eq!(
            umur(&Cell::Number(34.0)),
            Ok((Some(34), Some("30-39".into())))
        );
        assert_eq!(umur(&t("25 tahun")), Ok((Some(25), Some("20-29".into()))));
        assert_eq!(umur(&t("-3")).unwrap_err().kode, RejectCode::UmurTidakWajar);
        assert_eq!(
            umur(&Cell::Number(250.0)).unwrap_err().kode,
            RejectCode::UmurTidakWajar
        );
        assert_eq!(
            umur(&t("20-29 tahun")),
            Ok((None, Some("20-29 tahun".into())))
        );
    }

    #[test]
    fn years_in_names() {
        assert_eq!(year_in_text("IKM TW III 2024.xlsx"), Some(2024));
        assert_eq!(year_in_text("laporan_2023_final"), Some(2023));
        assert_eq!(year_in_text("12024"), None);
        assert_eq!(year_in_text("tanpa tahun"), None);
        // The first; never a span's or a regulation's.
        for (t, y) in [
            ("Renstra 2021-2026 Capaian Kinerja Tahun 2023", Some(2023)),
            ("Renstra 2021 - 2026", None),
            ("Periode 2021 s.d. 2026, realisasi 2024", Some(2024)),
            (
                "Sesuai Permenpan RB Nomor 14 Tahun 2017, rekap IKM 2024",
                Some(2024),
            ),
            ("Permen PANRB No. 14 Tahun 2017", None),
            ("Laporan 2023 untuk T.A. 2024", Some(2023)),
            (
                "Rekap IKM Triwulan III 2024 (Perbandingan dengan Tahun 2023)",
                Some(2024),
            ),
            ("Rekap IKM 2024/2025", Some(2024)),
            ("Anggaran TA 2025 (revisi 2024)", Some(2025)),
            ("rekap-2024-tw3.xlsx", Some(2024)),
            ("REKAP IKM TAHUN 2024", Some(2024)),
        ] {
            assert_eq!(year_in_text(t), y, "{t:?}");
        }
    }
}
