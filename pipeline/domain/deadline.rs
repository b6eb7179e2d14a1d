//! When a period's data is due, and what covers a period (docs/DOMAIN.md, "Deadlines and late
//! units"). A unit is late for a period when the deadline has passed (the due day itself is
//! still on time) and nothing it sent covers the period: the period itself, the semester it
//! falls in, both quarters of a semester, or a yearly figure.

use chrono::{Datelike, NaiveDate};

use super::Periode;

/// The last month of a period.
pub fn last_month(p: Periode) -> u32 {
    match p {
        Periode::TW1 => 3,
        Periode::TW2 | Periode::S1 => 6,
        Periode::TW3 => 9,
        Periode::TW4 | Periode::S2 | Periode::Tahun => 12,
    }
}

/// The due date of period `p` of year `tahun`, given as a month and day (`04-10`): in the
/// same year when that month comes after the period's end, else in the next year (TW4's
/// `01-10` is 10 January of the year after). `None` for a day that does not exist.
pub fn due(p: Periode, tahun: i32, (month, day): (u32, u32)) -> Option<NaiveDate> {
    let year = if month > last_month(p) {
        tahun
    } else {
        tahun.checked_add(1)?
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The default month and day each period's data is due: the 10th of the month after it ends.
pub fn default_due(p: Periode) -> (u32, u32) {
    ((last_month(p) % 12) + 1, 10)
}

/// Whether the periods a unit has data for cover `p`.
pub fn covered(p: Periode, have: &[Periode]) -> bool {
    let has = |q: Periode| have.contains(&q);
    if has(p) || has(Periode::Tahun) {
        return true;
    }
    match p {
        Periode::TW1 | Periode::TW2 => has(Periode::S1),
        Periode::TW3 | Periode::TW4 => has(Periode::S2),
        Periode::S1 => has(Periode::TW1) && has(Periode::TW2),
        Periode::S2 => has(Periode::TW3) && has(Periode::TW4),
        Periode::Tahun => false,
    }
}

/// Days from the due date to `today` (positive: late).
pub fn days_late(due: NaiveDate, today: NaiveDate) -> i64 {
    (today - due).num_days()
}

/// A month and day written `MM-DD`.
pub fn parse_month_day(t: &str) -> Option<(u32, u32)> {
    let (m, d) = t.trim().split_once('-')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    // Checked against a leap year, so 02-29 is allowed.
    NaiveDate::from_ymd_opt(2024, m, d).map(|x| (x.month(), x.day()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A year at `i32`'s largest whose deadline falls in the next: no date, not an overflow.
    #[test]
    fn a_deadline_past_the_last_year_is_none() {
        assert_eq!(due(Periode::TW4, i32::MAX, (1, 10)), None);
    }

    #[test]
    fn due_dates_and_cover() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        assert_eq!(
            due(Periode::TW1, 2025, default_due(Periode::TW1)),
            d(2025, 4, 10)
        );
        assert_eq!(
            due(Periode::TW4, 2025, default_due(Periode::TW4)),
            d(2026, 1, 10)
        );
        assert_eq!(
            due(Periode::S1, 2025, default_due(Periode::S1)),
            d(2025, 7, 10)
        );
        assert_eq!(due(Periode::S2, 2025, (2, 15)), d(2026, 2, 15));
        assert!(covered(Periode::TW1, &[Periode::S1]));
        assert!(!covered(Periode::S1, &[Periode::TW1]));
        assert!(covered(Periode::S1, &[Periode::TW2, Periode::TW1]));
        assert!(covered(Periode::TW3, &[Periode::Tahun]));
        assert!(!covered(Periode::TW3, &[Periode::TW4]));
        assert_eq!(parse_month_day("04-10"), Some((4, 10)));
        assert_eq!(parse_month_day("02-30"), None);
    }
}
