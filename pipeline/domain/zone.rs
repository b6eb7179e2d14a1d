//! Times written in another zone than the unit's (docs/inputs.md, "Times in UTC"): a form
//! tool that records its submission time in UTC (KoboToolbox's `_submission_time`, ODK's
//! `SubmissionDate …Z`, Typeform's `Submit Date (UTC)`) files a response given on 1 October at
//! 06:15 WIB on 30 September, in the third quarter. Such a time is moved to the unit's zone
//! (`[kuesioner] zona_waktu`, default UTC+7, WIB) before its date files the response.

use chrono::{Duration, NaiveDate, NaiveTime, Timelike};

/// The zone a date-time text states after its clock, in minutes east of UTC: `Z`, `+07:00`,
/// `+0700`, `-05`, `UTC`, `GMT`, `GMT+7`, `UTC+07:00`, `(UTC)`. `None` when it states none.
pub fn stated(t: &str) -> Option<i32> {
    let t = t.trim_end();
    // (Most texts are digits and punctuation, `15/10/2024 14:41:33`: no word, no `Z`, and no
    // sign after the clock's first colon, so no zone, found without a copy of the text.)
    if !t.bytes().any(|b| b.is_ascii_alphabetic()) && !signed_after_clock(t) {
        return None;
    }
    let upper = t.to_ascii_uppercase();
    // A word: UTC / GMT, with an offset after it or none.
    for word in ["UTC", "GMT"] {
        if let Some(at) = upper.rfind(word) {
            let after = upper[at + word.len()..].trim_end_matches(')').trim();
            return match after {
                "" => Some(0),
                a => offset(a),
            };
        }
    }
    // ISO: `Z`, or a signed offset right after the clock (`…:02+07:00`, `…:02.123-0500`).
    if upper.ends_with('Z') && upper[..upper.len() - 1].ends_with(|c: char| c.is_ascii_digit()) {
        return Some(0);
    }
    let sign_at = t.rfind(['+', '-'])?;
    let before = t[..sign_at].trim_end();
    // (The sign of an offset follows the clock's digits; a date's `-` has a time after it.)
    if !before.ends_with(|c: char| c.is_ascii_digit()) || !before.contains(':') {
        return None;
    }
    offset(&t[sign_at..])
}

/// Whether a `+` or `-` follows the first `:` of `t` (an offset after a clock may).
fn signed_after_clock(t: &str) -> bool {
    t.find(':')
        .is_some_and(|colon| t[colon..].contains(['+', '-']))
}

/// `+7`, `+07`, `+0700`, `+07:00`, `-05:30` in minutes (hours up to 14); also how `[kantor]
/// zona_waktu` is given as an offset (`config::zone_offset`).
pub fn offset(a: &str) -> Option<i32> {
    let (sign, digits) = match a.as_bytes().first()? {
        b'+' => (1, &a[1..]),
        b'-' => (-1, &a[1..]),
        _ => return None,
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    let all = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !all(h) || !all(m) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

/// A date and time of day in zone `from` (minutes east of UTC) as the date and time in zone
/// `to`. The time keeps its seconds when it had them (`HH:MM:SS` or `HH:MM`).
pub fn moved(date: NaiveDate, jam: &str, from: i32, to: i32) -> Option<(NaiveDate, String)> {
    let seconds = jam.len() > 5;
    let time = NaiveTime::parse_from_str(jam, if seconds { "%H:%M:%S" } else { "%H:%M" }).ok()?;
    let at = date.and_time(time) + Duration::minutes(i64::from(to - from));
    let t = at.time();
    let jam = match seconds {
        true => format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second()),
        false => format!("{:02}:{:02}", t.hour(), t.minute()),
    };
    Some((at.date(), jam))
}

/// The zones a sheet's accepted rows had their times moved from (`files.zona_waktu_asal`), in
/// minutes east of UTC: a bit per quarter hour from -14:00 to +14:00 (every zone in use is a
/// whole quarter hour), and the first other offset stated (`+05:53`), so that the set is
/// `Copy` and added up over a sheet's pieces.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Zones {
    quarters: u128,
    other: Option<i32>,
}

impl Zones {
    pub fn insert(&mut self, minutes: i32) {
        match quarter(minutes) {
            Some(q) => self.quarters |= 1 << q,
            None => self.other = Some(self.other.map_or(minutes, |o| o.min(minutes))),
        }
    }

    pub fn add(&mut self, o: &Zones) {
        self.quarters |= o.quarters;
        if let Some(m) = o.other {
            self.insert(m);
        }
    }

    /// `UTC`, `+08:00`, `-05:00`, west to east and `; `-separated; `None` when no time was
    /// moved.
    pub fn describe(&self) -> Option<String> {
        let mut all: Vec<i32> = (0..113)
            .filter(|q| self.quarters & (1 << q) != 0)
            .map(|q| q * 15 - 840)
            .chain(self.other)
            .collect();
        all.sort_unstable();
        let names: Vec<String> = all.into_iter().map(name).collect();
        (!names.is_empty()).then(|| names.join("; "))
    }
}

/// A whole quarter hour's slot in `Zones`, from -14:00 (0) to +14:00 (112).
fn quarter(minutes: i32) -> Option<u32> {
    (minutes % 15 == 0 && (-840..=840).contains(&minutes)).then(|| ((minutes + 840) / 15) as u32)
}

/// An offset as an operator reads it: `UTC`, `+08:00`, `-05:30`.
pub fn name(minutes: i32) -> String {
    match minutes {
        0 => "UTC".to_string(),
        m => {
            let sign = if m < 0 { '-' } else { '+' };
            format!("{sign}{:02}:{:02}", m.abs() / 60, m.abs() % 60)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_as_tools_write_them() {
        for (t, z) in [
            ("2024-09-30T23:15:02Z", Some(0)),
            ("2024-09-30T23:15:02.123Z", Some(0)),
            ("2024-10-01T06:15:02.123+07:00", Some(420)),
            ("2024-10-01T06:15:02+0700", Some(420)),
            ("2024-09-30 18:15:02 -05:00", Some(-300)),
            ("2024/10/15 2:41:33 PM GMT+7", Some(420)),
            ("2024-10-15 07:41:33 UTC", Some(0)),
            ("15/10/2024 10:23 (UTC)", Some(0)),
            ("2024-10-15 07:41:33 UTC+08:00", Some(480)),
            ("2024-10-15 07:41:33", None),
            ("2024-10-15", None),
            ("15-10-2024", None),
            ("15/10/2024 10:23", None),
            // (Digits and punctuation alone: a zone only as a sign after the clock.)
            ("15-10-2024 10:23:00", None),
            ("15.10.2024 10.23.00", None),
            ("2024-10-15T07:41:33-05:00", Some(-300)),
            ("10:23:00+07", Some(420)),
            ("15/10/2024 10:23:00 +0700", Some(420)),
        ] {
            assert_eq!(stated(t), z, "{t}");
        }
    }

    #[test]
    fn zones_moved_from_named() {
        assert_eq!(Zones::default().describe(), None);
        let mut a = Zones::default();
        a.insert(0);
        a.insert(0);
        assert_eq!(a.describe().as_deref(), Some("UTC"));
        let mut b = Zones::default();
        b.insert(480);
        b.insert(-330);
        b.insert(353);
        a.add(&b);
        assert_eq!(a.describe().as_deref(), Some("-05:30; UTC; +05:53; +08:00"));
        let mut edge = Zones::default();
        edge.insert(-840);
        edge.insert(840);
        assert_eq!(edge.describe().as_deref(), Some("-14:00; +14:00"));
    }

    #[test]
    fn a_utc_time_moved_to_wib() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            moved(d(2024, 9, 30), "23:15:02", 0, 420),
            Some((d(2024, 10, 1), "06:15:02".to_string()))
        );
        assert_eq!(
            moved(d(2024, 12, 31), "22:30", 0, 420),
            Some((d(2025, 1, 1), "05:30".to_string()))
        );
        assert_eq!(
            moved(d(2024, 10, 15), "07:41:33", 420, 420),
            Some((d(2024, 10, 15), "07:41:33".to_string()))
        );
    }
}
