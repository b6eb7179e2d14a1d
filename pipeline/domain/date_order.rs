//! The order of day and month in a numeric date (docs/DOMAIN.md, "Dates"): `05/03/2024` is 5
//! March as written in Indonesia and by Google Forms in an Indonesian account, 3 May as
//! written by Google Forms or Microsoft Forms in an English (US) account. A sheet's date column
//! is read in one order, decided from its values: a first number over 12 can only be a day, a
//! second over 12 only a day too. Only when every value fits both orders is the configured
//! default used, and skm says it assumed it.

crate::labels! {
    /// How a numeric date `a/b/yyyy` is read (`files.urutan_tanggal`).
    pub enum DateOrder {
        /// Day first: `13/01/2024` is 13 January.
        HariBulan = "hari_bulan",
        /// Month first: `1/13/2024` is 13 January.
        BulanHari = "bulan_hari",
    }
}

// The enum is declared by `labels!`, which derives no `Default`.
#[allow(clippy::derivable_impls)]
impl Default for DateOrder {
    fn default() -> Self {
        DateOrder::HariBulan
    }
}

impl DateOrder {
    /// The other order.
    pub fn other(self) -> DateOrder {
        match self {
            DateOrder::HariBulan => DateOrder::BulanHari,
            DateOrder::BulanHari => DateOrder::HariBulan,
        }
    }

    /// How the order is written for people (`13/01/2024` style).
    pub fn example(self) -> &'static str {
        match self {
            DateOrder::HariBulan => "hari/bulan/tahun, mis. 13/01/2024",
            DateOrder::BulanHari => "bulan/hari/tahun, mis. 1/13/2024",
        }
    }
}

/// The two numbers before the year in a numeric date (`13/1/2024`, `1-13-2024`,
/// `13.01.2024 09:16:54`, and with a 2-digit year as Excel writes dates into CSV, `1/13/24
/// 9:16`, read as 2000 + the year), if the text is one. An ISO date (year first) is not: it
/// has one order.
pub fn leading_pair(t: &str) -> Option<(u32, u32, i32)> {
    let t = compact_dotted(t);
    let date_part = t.trim().split([' ', 'T']).next()?;
    // (`15/10/2024, 14:41:33`: a comma after the date.)
    let date_part = date_part.strip_suffix(',').unwrap_or(date_part);
    let mut it = date_part.split(['-', '/', '.']);
    let (a, b, c) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some()
        || (c.len() != 4 && c.len() != 2)
        || a.is_empty()
        || a.len() > 2
        || b.is_empty()
        || b.len() > 2
    {
        return None;
    }
    let digits = |s: &str| s.bytes().all(|x| x.is_ascii_digit());
    if !(digits(a) && digits(b) && digits(c)) {
        return None;
    }
    let year: i32 = c.parse().ok()?;
    let year = if c.len() == 2 { 2000 + year } else { year };
    Some((a.parse().ok()?, b.parse().ok()?, year))
}

/// Whether numeric dates with two-digit years (`24-10-15`) are written year first (as
/// `yy-mm-dd` formats and some Asian locales write them) although they read as days first:
/// over the values, the first number takes at most two values while the last, read as the
/// year, takes four or more (a survey's dates span days, not decades). Read day first they
/// would fall in years far apart (`24-10-15` as 24 October 2015), silently: the years they
/// would fall in (lowest, highest) when so. At least eight such dates are needed.
pub fn year_first_two_digit<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<(i32, i32)> {
    let (mut firsts, mut lasts) = (Vec::new(), Vec::new());
    for v in values {
        let v = compact_dotted(v);
        let date = v.trim().split([' ', 'T']).next().unwrap_or("");
        let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
        let [a, _, c] = parts.as_slice() else {
            continue;
        };
        if a.len() != 2 || c.len() != 2 {
            continue;
        }
        let Some((first, month, year)) = leading_pair(date) else {
            continue;
        };
        if month > 12 || year - 2000 > 31 {
            return None;
        }
        firsts.push(first);
        lasts.push(year);
    }
    let distinct = |v: &mut Vec<i32>| {
        v.sort_unstable();
        v.dedup();
        v.len()
    };
    let mut f: Vec<i32> = firsts.iter().map(|&x| x as i32).collect();
    let mut l = lasts.clone();
    (lasts.len() >= 8 && distinct(&mut f) <= 2 && distinct(&mut l) >= 4)
        .then(|| (l[0], l[l.len() - 1]))
}

/// Marks of writing direction (left-to-right, right-to-left, Arabic letter mark) that a
/// right-to-left locale writes inside a date; they are no part of it.
const BIDI_MARKS: [char; 3] = ['\u{200e}', '\u{200f}', '\u{061c}'];

/// A numeric date written with a space after each dot, closed up: `2024. 10. 15` and
/// `2024. 10. 15.` (as a Korean or Hungarian account writes it) → `2024.10.15`, `15. 10. 2024`
/// (Czech, Slovak) → `15.10.2024`; what follows the date is kept (`2024. 10. 15 오후
/// 10:23:45` → `2024.10.15 오후 10:23:45`). The marks of writing direction a right-to-left
/// locale puts after each number (Google Sheets in Arabic: `15\u{200f}/10\u{200f}/2024 2:41:33
/// م`, `BIDI_MARKS`) are taken out first. Any other text is returned as it is, at the cost of a
/// look at its bytes.
pub fn compact_dotted(t: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if t.contains(BIDI_MARKS) {
        let plain: String = t.chars().filter(|c| !BIDI_MARKS.contains(c)).collect();
        return Cow::Owned(compact_dotted(&plain).into_owned());
    }
    let t0 = t;
    let t = t.trim_start();
    let b = t.as_bytes();
    let (mut i, mut runs, mut spaced) = (0, [(0, 0); 3], false);
    for (k, run) in runs.iter_mut().enumerate() {
        let s = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == s || i - s > 4 {
            return Cow::Borrowed(t0);
        }
        *run = (s, i);
        if k == 2 {
            break;
        }
        if b.get(i) != Some(&b'.') {
            return Cow::Borrowed(t0);
        }
        i += 1;
        while b.get(i) == Some(&b' ') {
            (i, spaced) = (i + 1, true);
        }
    }
    if b.get(i) == Some(&b'.') && matches!(b.get(i + 1), None | Some(b' ')) {
        (i, spaced) = (i + 1, true);
    }
    if !spaced || !matches!(b.get(i), None | Some(b' ')) {
        return Cow::Borrowed(t0);
    }
    let [a, m, c] = runs.map(|(s, e)| &t[s..e]);
    Cow::Owned(format!("{a}.{m}.{c}{}", &t[i..]))
}

/// What a date text says of its column's order: `Some` when it fits one order only (a number
/// over 12 before or after the other), `None` when it fits both, neither, or is not a numeric
/// date.
pub fn evidence(t: &str) -> Option<DateOrder> {
    let (a, b, _) = leading_pair(t)?;
    match (a, b) {
        (13..=31, 1..=12) => Some(DateOrder::HariBulan),
        (1..=12, 13..=31) => Some(DateOrder::BulanHari),
        _ => None,
    }
}

/// Whether a date text reads as two different dates in the two orders (`05/03/2024`; not
/// `05/05/2024`, the same date either way).
pub fn ambiguous(t: &str) -> bool {
    leading_pair(t)
        .is_some_and(|(a, b, _)| (1..=12).contains(&a) && (1..=12).contains(&b) && a != b)
}

/// What a date column holding spreadsheet date cells beside numeric texts shows
/// (`cells_typed_in`): the texts that fit one order only, by order (`[day first, month
/// first]`), the texts that read as two different dates, and the date cells of a whole day
/// whose day could have been typed as a month (a day of 1–12 other than the month), and those
/// that were stored right: a day over 12, or a time of day (a form tool's own time, a
/// timestamp nobody typed as a day).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CellsBesideTexts {
    pub texts_one: [usize; 2],
    pub texts_both: usize,
    pub cells_low: usize,
    pub cells_right: usize,
}

/// The fewest texts of one order, and of date cells, `cells_typed_in` decides on: a column of
/// dates stored right and texts a spreadsheet left alone shows the pattern by chance once in
/// about a hundred with three of each (a cell's day is ≤ 12 two times in five, a text's first
/// number over 12 three in five), less often with more.
pub const CELLS_BESIDE_TEXTS_MIN: usize = 3;

/// The order a column's date cells were typed in when a spreadsheet of the other locale
/// converted them (docs/DOMAIN.md §1.10a): a unit typing `05/10/2024` (5 October) into Excel
/// set to English (US) gets a date cell of 10 May, while `15/10/2024` (no 15th month) stays
/// text. Such a column holds texts that all fit one order only (what was not converted) and
/// date cells whose every day is ≤ 12 (what was): the cells were typed in the texts' order
/// and are read with day and month swapped (`typed_as`). `None` for any other column: a date
/// cell with a day over 12 or a time of day, a text that fits both orders, texts of both orders, or fewer than
/// `CELLS_BESIDE_TEXTS_MIN` texts or cells.
pub fn cells_typed_in(c: &CellsBesideTexts) -> Option<DateOrder> {
    let min = CELLS_BESIDE_TEXTS_MIN;
    let order = match c.texts_one {
        [a, 0] if a >= min => DateOrder::HariBulan,
        [0, b] if b >= min => DateOrder::BulanHari,
        _ => return None,
    };
    (c.texts_both == 0 && c.cells_right == 0 && c.cells_low >= min).then_some(order)
}

/// A converted date cell's date as it was typed (`cells_typed_in`): day and month swapped,
/// when the day can be a month.
pub fn typed_as(d: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    match d.day() {
        1..=12 => chrono::NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()).unwrap_or(d),
        _ => d,
    }
}

/// (day, month) of the pair `(a, b)` in `order`.
pub fn day_month(order: DateOrder, a: u32, b: u32) -> (u32, u32) {
    match order {
        DateOrder::HariBulan => (a, b),
        DateOrder::BulanHari => (b, a),
    }
}

/// A sheet of one file, as `settle` sees it: the form it comes from (`form`, the same for every
/// export of one form: its header, and its unit when no column gives it), the units of its
/// file's rows, its date order and whether its values showed it (`found`) or it was assumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormSheet<'a> {
    pub form: &'a str,
    /// The units its file's responses are filed under, sorted.
    pub units: &'a [String],
    pub order: DateOrder,
    pub found: bool,
    /// The file it is in (an index the caller keeps).
    pub file: usize,
}

/// One form, one locale: a sheet whose dates all fit both orders takes the order another file
/// of the same form showed (a weekly export of 1–9 October from an English (US) account has
/// no day over 12; the export of the whole month has). The other file must share a unit with
/// it: units' own copies of one template, each in its own account, may differ in locale.
/// Per sheet of `sheets`: the order and the first other file that showed it, for an assumed
/// sheet; `None` for the others (found themselves, no other file of the form and of a unit of
/// theirs showed an order, or such files showed both orders: then nothing is inferred).
pub fn settle(sheets: &[FormSheet<'_>]) -> Vec<Option<(DateOrder, usize)>> {
    use std::collections::HashMap;
    let mut found: HashMap<&str, Vec<&FormSheet<'_>>> = HashMap::new();
    for s in sheets.iter().filter(|s| s.found) {
        found.entry(s.form).or_default().push(s);
    }
    let shares_unit = |a: &[String], b: &[String]| a.iter().any(|u| b.binary_search(u).is_ok());
    (sheets.iter())
        .map(|s| {
            if s.found {
                return None;
            }
            let mut shown = (found.get(s.form).into_iter().flatten())
                .filter(|e| e.file != s.file && shares_unit(s.units, e.units));
            let first = shown.next()?;
            match shown.all(|e| e.order == first.order) {
                true => Some((first.order, first.file)),
                false => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_digit_years_written_first_are_told_from_days_first() {
        let year_first: Vec<String> = (1..=28)
            .step_by(3)
            .map(|d| format!("24-10-{d:02}"))
            .collect();
        assert_eq!(
            super::year_first_two_digit(year_first.iter().map(String::as_str)),
            Some((2001, 2028))
        );
        // Days first over a month of 2024, and one day's dates: no spread of years.
        let day_first: Vec<String> = (1..=28).map(|d| format!("{d:02}-10-24")).collect();
        assert_eq!(
            super::year_first_two_digit(day_first.iter().map(String::as_str)),
            None
        );
        let one_day = ["24-10-15"; 12];
        assert_eq!(super::year_first_two_digit(one_day), None);
        // Four-digit years say their order themselves.
        let four: Vec<String> = (1..=28).map(|d| format!("{d:02}-10-2024")).collect();
        assert_eq!(
            super::year_first_two_digit(four.iter().map(String::as_str)),
            None
        );
    }

    use super::*;

    #[test]
    fn dotted_dates_with_spaces_closed_up() {
        for (t, closed) in [
            ("2024. 10. 15", "2024.10.15"),
            ("2024. 10. 15.", "2024.10.15"),
            ("2024. 10. 15 오후 10:23:45", "2024.10.15 오후 10:23:45"),
            ("2024. 10. 15. 10:23:45", "2024.10.15 10:23:45"),
            ("15. 10. 2024 10:23:45", "15.10.2024 10:23:45"),
            ("15.10.2024.", "15.10.2024"),
            // As they are: no space, a word, no third number, a longer run, glued text.
            ("15.10.2024", "15.10.2024"),
            ("15/10/2024 10:23", "15/10/2024 10:23"),
            ("15. Oktober 2024", "15. Oktober 2024"),
            ("15. 10.", "15. 10."),
            ("15. 10. 20245", "15. 10. 20245"),
            ("2024. 10. 15x", "2024. 10. 15x"),
            ("", ""),
        ] {
            assert_eq!(compact_dotted(t), closed, "{t:?}");
        }
        assert_eq!(leading_pair("15. 10. 2024 10:23"), Some((15, 10, 2024)));
        // Google Sheets in Arabic: a right-to-left mark after the day and after the month.
        let arabic = "15\u{200f}/10\u{200f}/2024 2:41:33 \u{645}";
        assert_eq!(compact_dotted(arabic), "15/10/2024 2:41:33 \u{645}");
        assert_eq!(leading_pair(arabic), Some((15, 10, 2024)));
        assert_eq!(evidence("10. 15. 2024"), Some(DateOrder::BulanHari));
    }

    #[test]
    fn evidence_and_ambiguity() {
        assert_eq!(evidence("13/01/2024"), Some(DateOrder::HariBulan));
        assert_eq!(evidence("1/13/2024 9:16:54"), Some(DateOrder::BulanHari));
        assert_eq!(evidence("1/13/24 9:16"), Some(DateOrder::BulanHari));
        assert_eq!(leading_pair("13/01/24"), Some((13, 1, 2024)));
        assert_eq!(leading_pair("13/01/124"), None);
        assert_eq!(evidence("10/5/2024 9:16:54 PM"), None);
        assert_eq!(evidence("2024-01-13"), None);
        assert_eq!(evidence("13/13/2024"), None);
        assert_eq!(evidence("15 Oktober 2024"), None);
        assert!(ambiguous("10/5/2024"));
        assert!(!ambiguous("5/5/2024"));
        assert!(!ambiguous("13/5/2024"));
        assert!(!ambiguous("2024-05-10"));
        assert_eq!(day_month(DateOrder::BulanHari, 10, 5), (5, 10));
    }

    #[test]
    fn date_cells_beside_texts_of_one_order_were_typed_in_it() {
        use DateOrder::{BulanHari as Md, HariBulan as Dm};
        let c = |texts_one, texts_both, cells_low, cells_right| CellsBesideTexts {
            texts_one,
            texts_both,
            cells_low,
            cells_right,
        };
        assert_eq!(cells_typed_in(&c([20, 0], 0, 15, 0)), Some(Dm));
        assert_eq!(cells_typed_in(&c([0, 4], 0, 3, 0)), Some(Md));
        // A cell stored right, a text that fits both, texts of both orders, too few.
        assert_eq!(cells_typed_in(&c([20, 0], 0, 15, 1)), None);
        assert_eq!(cells_typed_in(&c([20, 0], 1, 15, 0)), None);
        assert_eq!(cells_typed_in(&c([20, 1], 0, 15, 0)), None);
        assert_eq!(cells_typed_in(&c([2, 0], 0, 15, 0)), None);
        assert_eq!(cells_typed_in(&c([20, 0], 0, 2, 0)), None);
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(typed_as(d(2024, 5, 10)), d(2024, 10, 5));
        assert_eq!(typed_as(d(2024, 5, 15)), d(2024, 5, 15));
    }

    #[test]
    fn an_assumed_sheet_takes_the_order_another_file_of_its_form_and_unit_showed() {
        let (a, b, ab) = (
            vec!["a".to_string()],
            vec!["b".to_string()],
            vec!["a".to_string(), "b".to_string()],
        );
        let sheet = |form, units, order, found, file| FormSheet {
            form,
            units,
            order,
            found,
            file,
        };
        use DateOrder::{BulanHari as Md, HariBulan as Dm};
        let settled = settle(&[
            sheet("f", &a, Dm, false, 0),
            sheet("f", &a, Md, true, 1),
            sheet("f", &ab, Md, true, 2),
            // Form g: found in the same file first, then in another: the other is named,
            // whatever the files' order.
            sheet("g", &a, Md, true, 3),
            sheet("g", &a, Dm, false, 3),
            sheet("g", &a, Md, true, 4),
            // Form h: found in both orders: nothing inferred.
            sheet("h", &a, Dm, false, 5),
            sheet("h", &a, Md, true, 6),
            sheet("h", &a, Dm, true, 7),
            // No file shows its order.
            sheet("k", &a, Dm, false, 8),
            // Assumed in the order found: settled all the same (the basis is then the file).
            sheet("m", &a, Dm, false, 9),
            sheet("m", &a, Dm, true, 10),
            // Form n: another unit's copy shows month first; unit a's is not told by it.
            sheet("n", &a, Dm, false, 11),
            sheet("n", &b, Md, true, 12),
            // Form p: the files of unit a show month first, another unit's day first: a's
            // own decide.
            sheet("p", &a, Dm, false, 13),
            sheet("p", &b, Dm, true, 14),
            sheet("p", &ab, Md, true, 15),
        ]);
        assert_eq!(
            settled,
            vec![
                Some((Md, 1)),
                None,
                None,
                None,
                Some((Md, 4)),
                None,
                None,
                None,
                None,
                None,
                Some((Dm, 10)),
                None,
                None,
                None,
                Some((Md, 15)),
                None,
                None,
            ]
        );
    }
}
