//! A half year's Google Forms export, its timestamps to the second, beside the whole year's
//! export opened in Excel and saved again as CSV, its timestamps to the minute (`d/m/yyyy
//! h:mm`, Excel's display): the half year's responses are in both files and count once
//! (docs/DOMAIN.md §1.11, step 5), one to one, whichever file came last; rows that differ in
//! their minute, or that lie in one file, are not merged.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::form_exports::{google_forms_csv, Resp};
use crate::resubmissions::{accounts, duplicates, figures, set_age};

const FORM: &str =
    "Survei Kepuasan Masyarakat Kecamatan Medansatria 2024 (Jawaban) - Jawaban Formulir 1.csv";

/// `n` responses over 2024 in the order the form took them, each second of its own; two of
/// them in one minute (14 February, 10:23:12 and 10:23:48) with the same answers and age.
fn year(n: usize, seed: u64) -> Vec<Resp> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut below = |k: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % k
    };
    let mut rs: Vec<Resp> = (0..n)
        .map(|_| {
            let mut answers = [0u8; 9];
            for a in answers.iter_mut() {
                *a = 1 + below(4) as u8;
            }
            let date = NaiveDate::from_ymd_opt(2024, 1 + below(12) as u32, 1 + below(28) as u32);
            Resp {
                unit: "kecamatan-medansatria",
                date: date.unwrap(),
                hms: (7 + below(9) as u32, below(60) as u32, below(60) as u32),
                answers,
                umur: 18 + below(50) as u32,
            }
        })
        .collect();
    let twin = |s| Resp {
        unit: "kecamatan-medansatria",
        date: NaiveDate::from_ymd_opt(2024, 2, 14).unwrap(),
        hms: (10, 23, s),
        answers: [4, 3, 4, 4, 3, 4, 4, 3, 4],
        umur: 35,
    };
    rs.extend([twin(12), twin(48)]);
    rs.sort_by_key(|r| (r.date, r.hms));
    rs
}

/// As the form's download writes it: `15/01/2024 10:23:45`.
fn to_the_second(r: &Resp) -> String {
    let (h, m, s) = r.hms;
    let d = r.date;
    format!(
        "{:02}/{:02}/{} {h:02}:{m:02}:{s:02}",
        d.day(),
        d.month(),
        d.year()
    )
}

/// As Excel saves it again (`d/m/yyyy h:mm`): `15/1/2024 10:23`.
fn to_the_minute(r: &Resp) -> String {
    let (h, m, _) = r.hms;
    let d = r.date;
    format!("{}/{}/{} {h}:{m:02}", d.day(), d.month(), d.year())
}

fn half(rs: &[Resp]) -> Vec<Resp> {
    rs.iter().filter(|r| r.date.month() <= 6).cloned().collect()
}

/// The respondents of each quarter.
fn quarters(rs: &[Resp]) -> BTreeMap<String, i64> {
    let mut q = BTreeMap::new();
    for r in rs {
        *q.entry(format!("TW{}", (r.date.month() - 1) / 3 + 1))
            .or_insert(0) += 1;
    }
    q
}

/// The respondents skm counted at Medansatria in each quarter.
fn counted(out: &Path) -> BTreeMap<String, i64> {
    (figures(out).into_iter())
        .filter_map(|(k, (n, _))| {
            let q = k.strip_prefix("kecamatan-medansatria/")?;
            let n = n?;
            (q.starts_with("TW") && !q.contains('/')).then(|| (q.to_string(), n))
        })
        .collect()
}

/// Writes `text` as `name` in `inbox`, modified `age` seconds ago.
fn put(inbox: &Path, name: &str, text: &str, age: u64) {
    let path = inbox.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    set_age(&path, age);
}

/// `skm run --full` on `inbox` into `out`, with `env` (two workers unless it says).
fn run(inbox: &Path, out: &Path, env: &[(&str, &str)]) {
    run_as(inbox, out, env, &["--json", "--full"]);
}

fn run_as(inbox: &Path, out: &Path, env: &[(&str, &str)], args: &[&str]) {
    let mut env = env.to_vec();
    if !env.iter().any(|(k, _)| *k == "SKM_WORKERS") {
        env.push(("SKM_WORKERS", "2"));
    }
    let o = crate::common::skm_run(inbox, out, args, &env);
    assert!(
        o.status.code().is_some_and(|c| c == 0 || c == 3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn key(file: &str, jenis: &str, counted: &str) -> (String, String, String) {
    (file.to_string(), jenis.to_string(), counted.to_string())
}

const SECONDS: &str = "jan-jun/";
const MINUTES: &str = "setahun/";

/// The half year to the second and the year to the minute, `newest` (`SECONDS` or
/// `MINUTES`) modified last; the output folder.
fn half_and_year(
    dir: &Path,
    rs: &[Resp],
    newest: &str,
    env: &[(&str, &str)],
) -> std::path::PathBuf {
    let inbox = dir.join("inbox");
    let age = |f: &str| if f == newest { 3600 } else { 86_400 };
    let seconds = google_forms_csv(&half(rs), "Timestamp", to_the_second);
    let minutes = google_forms_csv(rs, "Timestamp", to_the_minute);
    put(&inbox, &format!("{SECONDS}{FORM}"), &seconds, age(SECONDS));
    put(&inbox, &format!("{MINUTES}{FORM}"), &minutes, age(MINUTES));
    let out = dir.join("out");
    run(&inbox, &out, env);
    out
}

/// The copies listed, and every file's accounting: the older file's half year not counted (the
/// older file contained in the newer when that is all it holds).
fn assert_copies(out: &Path, rs: &[Resp], newest: &str) {
    let contained = newest == MINUTES || half(rs).len() == rs.len();
    let older = if newest == SECONDS { MINUTES } else { SECONDS };
    let (older, newest) = (format!("{older}{FORM}"), format!("{newest}{FORM}"));
    let h = half(rs).len();
    assert_eq!(
        duplicates(out),
        BTreeMap::from([(key(&older, "tumpang_tindih", &newest), h)])
    );
    let acc = accounts(out);
    assert_eq!(acc[&older].4, h as i64, "{older}");
    assert_eq!(acc[&newest].4, 0, "{newest}");
    assert_eq!(acc[&older].2, (rs.len() - h) as i64 * i64::from(!contained));
    let within = acc[&older].5.as_deref();
    assert_eq!(within, contained.then_some(newest.as_str()), "{older}");
}

#[test]
fn a_year_saved_again_to_the_minute_holds_the_half_year_to_the_second_once() {
    let rs = year(160, 3);
    let want = quarters(&rs);
    assert!(want.len() == 4 && want["TW1"] > 20, "{want:?}");
    for newest in [MINUTES, SECONDS] {
        let tmp = tempfile::tempdir().unwrap();
        let out = half_and_year(tmp.path(), &rs, newest, &[]);
        assert_eq!(counted(&out), want, "{newest} newest");
        assert_copies(&out, &rs, newest);
    }
}

/// The two respondents of one minute with the same answers: two rows to the second, two to
/// the minute, two responses (not one, not four).
#[test]
fn two_respondents_in_one_minute_match_one_to_one() {
    let rs: Vec<Resp> = year(0, 5);
    assert_eq!(rs.len(), 2);
    for newest in [MINUTES, SECONDS] {
        let tmp = tempfile::tempdir().unwrap();
        let out = half_and_year(tmp.path(), &rs, newest, &[]);
        assert_eq!(counted(&out), BTreeMap::from([("TW1".to_string(), 2)]));
        assert_copies(&out, &rs, newest);
        // Each copy names its own counted row: the first with the first, the second with the
        // second.
        let t = crate::common::read(&out.join("duplikat.parquet"));
        let (row, counted) = (t.i64("source_row"), t.i64("dihitung_row"));
        let mut pairs: Vec<(i64, i64)> = (0..t.len())
            .map(|i| (row[i].unwrap(), counted[i].unwrap()))
            .collect();
        pairs.sort();
        assert_eq!(pairs.len(), 2);
        assert!(pairs[0].1 != pairs[1].1, "{pairs:?}");
    }
}

/// The same answers a minute apart are two respondents; a row to the minute and one to the
/// second in one file are two rows of that file, both counted; beside them a copy across
/// files is found.
#[test]
fn the_same_answers_at_another_minute_or_in_one_file_are_not_merged() {
    let at = |d: u32, hms: (u32, u32, u32), a: u8| Resp {
        unit: "kecamatan-medansatria",
        date: NaiveDate::from_ymd_opt(2024, 3, d).unwrap(),
        hms,
        answers: [a; 9],
        umur: 40,
    };
    // File A, to the second: x at 10:23:45, y at 11:05:30, z at 13:00:10.
    let (x, y, z) = (
        at(15, (10, 23, 45), 4),
        at(15, (11, 5, 30), 3),
        at(20, (13, 0, 10), 2),
    );
    let a = google_forms_csv(
        &[x.clone(), y.clone(), z.clone()],
        "Timestamp",
        to_the_second,
    );
    // File B, to the minute but for one row: x at 10:23 (its copy), y at 11:06 (a minute
    // later: another respondent), z at 13:00 and again at 13:00:10 (two rows of B: two
    // respondents, the second of them A's z).
    let later = Resp {
        hms: (11, 6, 0),
        ..y
    };
    let mut b = google_forms_csv(&[x, later, z.clone()], "Timestamp", to_the_minute);
    let z_line = google_forms_csv(&[z], "Timestamp", to_the_second);
    b.push_str(z_line.lines().nth(1).unwrap());
    b.push('\n');
    for newest in ["a/", "b/"] {
        let tmp = tempfile::tempdir().unwrap();
        let inbox = tmp.path().join("inbox");
        let age = |f: &str| if f == newest { 3600 } else { 86_400 };
        put(&inbox, &format!("a/{FORM}"), &a, age("a/"));
        put(&inbox, &format!("b/{FORM}"), &b, age("b/"));
        let out = tmp.path().join("out");
        run(&inbox, &out, &[]);
        // x once, y twice, z twice (B's two rows of it are not one, and A's z is a copy of B's
        // row to the second, whichever file is newer).
        assert_eq!(
            counted(&out),
            BTreeMap::from([("TW1".to_string(), 5)]),
            "{newest}"
        );
        let older = if newest == "a/" { "b/" } else { "a/" };
        assert_eq!(
            duplicates(&out),
            BTreeMap::from([(
                key(
                    &format!("{older}{FORM}"),
                    "tumpang_tindih",
                    &format!("{newest}{FORM}")
                ),
                2
            )]),
            "{newest}"
        );
    }
}

/// Passes of 64 keyed rows (dozens of passes), on one worker or two, and an incremental rerun
/// (the files reused from the cache: their rows read back from silver into the passes'
/// buckets): the same counts and copies as one pass.
#[test]
fn many_small_passes_find_the_same_copies() {
    let rs = year(2000, 11);
    let want = quarters(&rs);
    let tmp = tempfile::tempdir().unwrap();
    let small = [("SKM_KEYED_PER_PASS", "64")];
    let many = half_and_year(&tmp.path().join("small"), &rs, MINUTES, &small);
    assert_eq!(counted(&many), want);
    assert_copies(&many, &rs, MINUTES);
    let one = half_and_year(&tmp.path().join("one"), &rs, MINUTES, &[]);
    let snapshot = crate::common::full_snapshot(&one);
    assert_eq!(crate::common::full_snapshot(&many), snapshot);
    let alone = [("SKM_KEYED_PER_PASS", "64"), ("SKM_WORKERS", "1")];
    let single = half_and_year(&tmp.path().join("single"), &rs, MINUTES, &alone);
    assert_eq!(crate::common::full_snapshot(&single), snapshot);
    run_as(&tmp.path().join("small/inbox"), &many, &small, &["--json"]);
    assert_eq!(crate::common::full_snapshot(&many), snapshot);
}

/// The year saved again as a workbook, its date-time cells shown to the minute (`d/m/yyyy
/// h:mm`) but holding their seconds, as Excel keeps them: skm reads the cells' values, so the
/// half year's rows are copies as they are (the identities equal). A guard beside the rule
/// (it passed before it too).
#[test]
fn a_workbook_shown_to_the_minute_keeps_its_seconds() {
    year_as_workbook(true);
}

/// The year's export saved again to the minute and then as a workbook: its date cells hold
/// 10:23:00, their seconds lost. Its times are read to the minute (every one at second 0), so
/// the half year's rows to the second are its copies. Without that: TW1 and TW2 counted twice.
#[test]
fn a_workbook_of_times_whose_seconds_were_lost_is_read_to_the_minute() {
    year_as_workbook(false);
}

/// The half year to the second (CSV) and the year as a workbook shown to the minute, its cells
/// holding their seconds (`keep_seconds`) or not: each response counted once.
fn year_as_workbook(keep_seconds: bool) {
    use rust_xlsxwriter::{Format, Workbook};
    let rs = year(160, 3);
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let seconds = google_forms_csv(&half(&rs), "Timestamp", to_the_second);
    put(&inbox, &format!("{SECONDS}{FORM}"), &seconds, 86_400);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let minute = Format::new().set_num_format("d/m/yyyy h:mm");
    let header = ["Timestamp", "Umur", "Jenis Kelamin"];
    let header = header.iter().chain(crate::form_exports::QUESTIONS.iter());
    for (c, h) in header.enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    for (i, r) in rs.iter().enumerate() {
        let row = i as u32 + 1;
        let (h, m, s) = r.hms;
        let s = if keep_seconds { s } else { 0 };
        let serial =
            (r.date - epoch).num_days() as f64 + f64::from(h * 3600 + m * 60 + s) / 86_400.0;
        ws.write_number_with_format(row, 0, serial, &minute)
            .unwrap();
        ws.write_number(row, 1, f64::from(r.umur)).unwrap();
        ws.write_string(row, 2, "Laki-laki").unwrap();
        for (k, u) in skm::domain::UNSUR.iter().enumerate() {
            ws.write_string(row, 3 + k as u16, u.jawaban[r.answers[k] as usize - 1])
                .unwrap();
        }
    }
    let xlsx = format!("{MINUTES}Survei Kepuasan Masyarakat Kecamatan Medansatria 2024.xlsx");
    std::fs::create_dir_all(inbox.join(MINUTES)).unwrap();
    wb.save(inbox.join(&xlsx)).unwrap();
    set_age(&inbox.join(&xlsx), 3600);
    let out = tmp.path().join("out");
    run(&inbox, &out, &[]);
    assert_eq!(counted(&out), quarters(&rs));
    let d = duplicates(&out);
    let copies = key(&format!("{SECONDS}{FORM}"), "tumpang_tindih", &xlsx);
    assert_eq!(d, BTreeMap::from([(copies, half(&rs).len())]));
}

/// The year's export saved again to the minute, then with `h:mm:ss` (`15/01/2024 10:23:00`):
/// read to the minute, its half year the copies of the rows to the second.
#[test]
fn a_csv_of_times_at_second_zero_is_read_to_the_minute() {
    let rs = year(160, 3);
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let seconds = google_forms_csv(&half(&rs), "Timestamp", to_the_second);
    let zero = |r: &Resp| {
        let (h, m, _) = r.hms;
        to_the_second(&Resp {
            hms: (h, m, 0),
            ..r.clone()
        })
    };
    let minutes = google_forms_csv(&rs, "Timestamp", zero);
    put(&inbox, &format!("{SECONDS}{FORM}"), &seconds, 86_400);
    put(&inbox, &format!("{MINUTES}{FORM}"), &minutes, 3600);
    let out = tmp.path().join("out");
    run(&inbox, &out, &[]);
    assert_eq!(counted(&out), quarters(&rs));
    assert_copies(&out, &rs, MINUTES);
}
