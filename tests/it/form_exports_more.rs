//! More files as units' own tools write them, from an audit of what still went wrong without a
//! word: each test writes the file as the tool does and checks the unit's count and IKM per
//! quarter against a computation made here from the answers written.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::common::{read, run_inbox};

/// One respondent of a unit's log: the survey day and the nine answers (1–4).
struct Resp {
    date: NaiveDate,
    answers: [u8; 9],
}

/// `n` respondents over 2024 (xorshift, so the test needs nothing else).
fn responses(n: usize, seed: u64) -> Vec<Resp> {
    let mut s = seed.wrapping_mul(2654435761).wrapping_add(12345);
    let mut below = |m: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % m
    };
    (0..n)
        .map(|_| {
            let date =
                NaiveDate::from_ymd_opt(2024, 1 + below(12) as u32, 1 + below(28) as u32).unwrap();
            let answers = std::array::from_fn(|_| [1, 2, 3, 3, 3, 4, 4, 4][below(8) as usize]);
            Resp { date, answers }
        })
        .collect()
}

fn quarter(d: NaiveDate) -> String {
    format!("TW{}", (d.month() - 1) / 3 + 1)
}

/// (respondents, IKM) per quarter, worked out here: each unsur's mean answer, their mean × 25.
fn expected(rs: &[Resp]) -> BTreeMap<String, (i64, f64)> {
    let mut sums: BTreeMap<String, (i64, [u32; 9])> = BTreeMap::new();
    for r in rs {
        let e = sums.entry(quarter(r.date)).or_default();
        e.0 += 1;
        for (s, a) in e.1.iter_mut().zip(r.answers) {
            *s += u32::from(a);
        }
    }
    (sums.into_iter())
        .map(|(q, (n, s))| {
            let nrr: f64 = s.iter().map(|&x| f64::from(x) / n as f64).sum();
            (q, (n, nrr / 9.0 * 25.0))
        })
        .collect()
}

/// Gold's respondents and IKM per quarter of `unit`.
fn gold(out: &Path, unit: &str) -> BTreeMap<String, (i64, f64)> {
    let t = read(&out.join("gold/ikm_unit.parquet"));
    let (u, p, n, ikm, s) = (
        t.str("unit_id"),
        t.str("periode"),
        t.i64("n_responden"),
        t.f64("ikm"),
        t.str("sumber"),
    );
    (0..t.len())
        .filter(|&i| u[i].as_deref() == Some(unit) && s[i].as_deref() == Some("responden"))
        .filter(|&i| p[i].as_deref().is_some_and(|p| p.starts_with("TW")))
        .map(|i| (p[i].clone().unwrap(), (n[i].unwrap(), ikm[i].unwrap())))
        .collect()
}

fn assert_same(got: &BTreeMap<String, (i64, f64)>, want: &BTreeMap<String, (i64, f64)>) {
    let keys = |m: &BTreeMap<String, (i64, f64)>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(got),
        keys(want),
        "quarters: got {got:?}, want {want:?}"
    );
    for (q, (n, ikm)) in want {
        let (gn, gikm) = got[q];
        assert_eq!(gn, *n, "{q}: respondents (got {got:?}, want {want:?})");
        assert!((gikm - ikm).abs() < 1e-9, "{q}: IKM {gikm}, want {ikm}");
    }
}

/// Excel's serial number of a day.
fn serial(d: NaiveDate) -> f64 {
    (d - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64
}

/// A unit's log typed into Excel: `No | Tanggal | Jenis Kelamin | Umur | U1 … U9`, each date
/// typed `dd/mm/yyyy` and stored as `cell` makes it.
fn typed_log(path: &Path, rs: &[Resp], cell: impl Fn(NaiveDate) -> Result<f64, String>) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("m/d/yyyy");
    let mut header = vec!["No", "Tanggal", "Jenis Kelamin", "Umur"];
    let codes: Vec<String> = (1..=9).map(|k| format!("U{k}")).collect();
    header.extend(codes.iter().map(String::as_str));
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, r) in rs.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_number(row, 0, (i + 1) as f64).unwrap();
        match cell(r.date) {
            Ok(n) => ws.write_number_with_format(row, 1, n, &date).unwrap(),
            Err(text) => ws.write_string(row, 1, text).unwrap(),
        };
        ws.write_string(row, 2, ["L", "P"][i % 2]).unwrap();
        ws.write_number(row, 3, (20 + i % 50) as f64).unwrap();
        for (k, a) in r.answers.iter().enumerate() {
            ws.write_number(row, 4 + k as u16, f64::from(*a)).unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// `files.parquet`'s `urutan_tanggal` and its basis per file.
fn date_orders(out: &Path) -> BTreeMap<String, (Option<String>, Option<String>)> {
    let f = read(&out.join("files.parquet"));
    let (file, order, basis) = (
        f.str("source_file"),
        f.str("urutan_tanggal"),
        f.str("urutan_tanggal_basis"),
    );
    (0..f.len())
        .map(|i| {
            (
                file[i].clone().unwrap(),
                (order[i].clone(), basis[i].clone()),
            )
        })
        .collect()
}

/// A unit typing `dd/mm/yyyy` into Excel set to English (US), as many Indonesian laptops are:
/// `05/10/2024` (5 October) is taken for a date, month first, and stored as 10 May; `15/10/2024`
/// (no 15th month) stays text. Read as stored, 40% of the rows went to another quarter
/// without a word. The texts show day first, and every date cell has a day ≤ 12: the cells were
/// typed day first too, and are read so, the inference recorded. A log whose date cells have
/// days over 12 beside such texts (typed in a locale that reads them alike), or hold a time of
/// day (a form tool's own), is read as stored.
#[test]
fn dates_typed_day_first_into_excel_set_to_english_us_are_read_as_typed() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let text = |d: NaiveDate| format!("{:02}/{:02}/{}", d.day(), d.month(), d.year());
    // Bekasi Timur: Excel en-US converted what it could, month first.
    let timur = responses(60, 1);
    let us = |d: NaiveDate| match d.day() <= 12 {
        true => Ok(serial(
            NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()).unwrap(),
        )),
        false => Err(text(d)),
    };
    assert!(timur
        .iter()
        .any(|r| r.date.day() <= 12 && r.date.day() != r.date.month()));
    let t = "Kuesioner SKM Kecamatan Bekasi Timur 2024.xlsx";
    typed_log(&inbox.join(t), &timur, us);
    // Medansatria: date cells stored right (days over 12 among them), some dates typed as
    // text with dots that Excel left alone: nothing swapped.
    let medan = responses(60, 2);
    let mixed = |d: NaiveDate| match d.ordinal() % 3 {
        0 => Err(format!("{:02}.{:02}.{}", d.day(), d.month(), d.year())),
        _ => Ok(serial(d)),
    };
    let m = "Kuesioner SKM Kecamatan Medansatria 2024.xlsx";
    typed_log(&inbox.join(m), &medan, mixed);
    // Jatiasih: date cells holding a time of day (a form tool's own, stored right), each with
    // a day of 12 or less, beside dates typed as text: nothing swapped either.
    let jatiasih = responses(60, 8);
    let timed = |d: NaiveDate| match d.day() <= 12 {
        true => Ok(serial(d) + 0.4375),
        false => Err(text(d)),
    };
    let j = "Kuesioner SKM Kecamatan Jatiasih 2024.xlsx";
    typed_log(&inbox.join(j), &jatiasih, timed);
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0);
    assert_same(&gold(&out, "kecamatan-bekasi-timur"), &expected(&timur));
    assert_same(&gold(&out, "kecamatan-medansatria"), &expected(&medan));
    assert_same(&gold(&out, "kecamatan-jatiasih"), &expected(&jatiasih));
    let orders = date_orders(&out);
    let swapped = (
        Some("hari_bulan".into()),
        Some("sel_tanggal_dibalik".into()),
    );
    assert_eq!(orders[t], swapped);
    assert_eq!(orders[m].1.as_deref(), Some("ditemukan"));
    assert_eq!(orders[j].1.as_deref(), Some("ditemukan"));
    // skm validate says so.
    let v = crate::common::skm(&["validate", inbox.join(t).to_str().unwrap()], &[]);
    let said = String::from_utf8_lossy(&v.stdout);
    assert!(said.contains("READ SWAPPED"), "{said}");
}

/// The question texts of a typical Google Form, one per unsur (in `UNSUR`'s order).
const QUESTIONS: [&str; 9] = [
    "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
    "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?",
    "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
    "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
    "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
    "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
];

/// A Google Form's responses sent twice by a unit whose Google account is in Malay (or Arabic):
/// the sheet's CSV download of January–June, then the year's workbook download. The CSV writes
/// a 12-hour clock with the language's marker (`15/10/2024 2:41:33 PTG`, `… 2:41:33 م`); the
/// workbook, date-time cells. Read without the marker, an afternoon's response had another time
/// of day in each file, so another identity, and counted twice (TW1 22 for 16, TW2 23 for 14).
#[test]
fn a_twelve_hour_clock_in_a_malay_or_arabic_account_keeps_the_afternoon() {
    use rust_xlsxwriter::{Format, Workbook};
    use skm::domain::UNSUR;
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let cases = [
        (
            "Puskesmas Pengasinan",
            "puskesmas-pengasinan",
            "Cap masa",
            ["PG", "PTG"],
            5u64,
        ),
        (
            "Kecamatan Jatiasih",
            "kecamatan-jatiasih",
            "الطابع الزمني",
            ["ص", "م"],
            6,
        ),
    ];
    let mut all = Vec::new();
    for (name, unit, stamp, marks, seed) in cases {
        let mut rs = responses(50, seed);
        rs.sort_by_key(|r| r.date);
        // A time of day for each, from 07:00 to 18:59.
        let hms = |i: usize| (7 + (i * 5) % 12, (i * 7) % 60, (i * 13) % 60);
        let mut header = vec![stamp.to_string(), "Umur".into(), "Jenis Kelamin".into()];
        header.extend(QUESTIONS.iter().map(|q| q.to_string()));
        let mut csv = header.join(",") + "\n";
        for (i, r) in rs.iter().enumerate().filter(|(_, r)| r.date.month() <= 6) {
            let (h, m, s) = hms(i);
            let h12 = if h % 12 == 0 { 12 } else { h % 12 };
            let (d, mo, y) = (r.date.day(), r.date.month(), r.date.year());
            let mut row = vec![format!(
                "{d}/{mo}/{y} {h12}:{m:02}:{s:02} {}",
                marks[usize::from(h >= 12)]
            )];
            row.extend([(20 + i % 50).to_string(), "Perempuan".into()]);
            row.extend((0..9).map(|k| UNSUR[k].jawaban[r.answers[k] as usize - 1].to_string()));
            csv += &(row.join(",") + "\n");
        }
        let f = format!("SKM {name} 2024 (Respons) - Respons Borang 1.csv");
        std::fs::write(inbox.join(f), csv).unwrap();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let dt = Format::new().set_num_format("d/m/yyyy h:mm:ss");
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, h).unwrap();
        }
        for (i, r) in rs.iter().enumerate() {
            let row = i as u32 + 1;
            let (h, m, s) = hms(i);
            let time = (h * 3600 + m * 60 + s) as f64 / 86_400.0;
            ws.write_number_with_format(row, 0, serial(r.date) + time, &dt)
                .unwrap();
            ws.write_number(row, 1, (20 + i % 50) as f64).unwrap();
            ws.write_string(row, 2, "Perempuan").unwrap();
            for (k, u) in UNSUR.iter().enumerate() {
                let word = u.jawaban[r.answers[k] as usize - 1];
                ws.write_string(row, 3 + k as u16, word).unwrap();
            }
        }
        wb.save(inbox.join(format!("SKM {name} 2024.xlsx")))
            .unwrap();
        all.push((unit, rs));
    }
    let out = tmp.path().join("out");
    let summary = run_inbox(&inbox, &out);
    assert_eq!(summary.n_rejects, 0);
    for (unit, rs) in &all {
        assert_same(&gold(&out, unit), &expected(rs));
    }
}

/// A Google Sheets download (`.xlsx`) of a form's responses with the unit's own working sheet
/// beside them: `Form Responses 1` (Timestamp as date-time cells, the profile, the answers as
/// the form's words) and `Olah Data` (a title, `No | [Tanggal |] U1 … U9`, every response again
/// as numbers, then its `Jumlah` and `NRR` rows).
fn responses_with_working_sheet(path: &Path, title: &str, rs: &[Resp], dated: bool) {
    use rust_xlsxwriter::{Format, Workbook};
    use skm::domain::UNSUR;
    let mut wb = Workbook::new();
    let stamp = Format::new().set_num_format("m/d/yyyy h:mm:ss");
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let form = wb.add_worksheet().set_name("Form Responses 1").unwrap();
    let mut header = vec!["Timestamp", "Umur", "Jenis Kelamin"];
    header.extend(QUESTIONS);
    for (c, h) in header.iter().enumerate() {
        form.write_string(0, c as u16, *h).unwrap();
    }
    for (i, r) in rs.iter().enumerate() {
        let row = i as u32 + 1;
        let time = (8 * 3600 + (i as u32 * 3917) % 28_800) as f64 / 86_400.0;
        form.write_number_with_format(row, 0, serial(r.date) + time, &stamp)
            .unwrap();
        form.write_number(row, 1, (20 + i % 50) as f64).unwrap();
        form.write_string(row, 2, ["Laki-laki", "Perempuan"][i % 2])
            .unwrap();
        for (k, u) in UNSUR.iter().enumerate() {
            let word = u.jawaban[r.answers[k] as usize - 1];
            form.write_string(row, 3 + k as u16, word).unwrap();
        }
    }
    let work = wb.add_worksheet().set_name("Olah Data").unwrap();
    work.write_string(0, 0, title).unwrap();
    let first = 1 + u16::from(dated);
    work.write_string(1, 0, "No").unwrap();
    if dated {
        work.write_string(1, 1, "Tanggal").unwrap();
    }
    for k in 0..9u16 {
        work.write_string(1, first + k, format!("U{}", k + 1))
            .unwrap();
    }
    let mut sums = [0u32; 9];
    for (i, r) in rs.iter().enumerate() {
        let row = i as u32 + 2;
        work.write_number(row, 0, (i + 1) as f64).unwrap();
        if dated {
            work.write_number_with_format(row, 1, serial(r.date), &day)
                .unwrap();
        }
        for (k, a) in r.answers.iter().enumerate() {
            work.write_number(row, first + k as u16, f64::from(*a))
                .unwrap();
            sums[k] += u32::from(*a);
        }
    }
    let foot = rs.len() as u32 + 2;
    work.write_string(foot, 0, "Jumlah").unwrap();
    work.write_string(foot + 1, 0, "NRR").unwrap();
    for (k, s) in sums.iter().enumerate() {
        let c = first + k as u16;
        work.write_number(foot, c, f64::from(*s)).unwrap();
        work.write_number(foot + 1, c, f64::from(*s) / rs.len() as f64)
            .unwrap();
    }
    wb.save(path).unwrap();
}

/// A unit's workbook holds the form's responses and its own working sheet with every response
/// again, without the time of day (`Olah Data`: the words as numbers, for its NRR). Its rows
/// have no identity, so they were counted too: 48 respondents gave `n_responden` 96. The
/// working sheet, its rows the responses' in order, is a copy: not counted (`salinan_lembar`).
#[test]
fn a_working_sheet_copying_the_form_responses_is_not_counted_again() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    // Seroja's third quarter: the working sheet has no date (its period is the file name's).
    let mut seroja = responses(48, 3);
    for r in &mut seroja {
        let month = 7 + (r.date.month() - 1) % 3;
        r.date = NaiveDate::from_ymd_opt(2024, month, r.date.day()).unwrap();
    }
    seroja.sort_by_key(|r| r.date);
    let s = "SKM Puskesmas Seroja TW3 2024.xlsx";
    let title = "PENGOLAHAN DATA SKM PUSKESMAS SEROJA";
    responses_with_working_sheet(&inbox.join(s), title, &seroja, false);
    // Kranji's year: the working sheet keeps each response's day.
    let mut kranji = responses(50, 4);
    kranji.sort_by_key(|r| r.date);
    let k = "SKM Puskesmas Kranji 2024.xlsx";
    let title = "PENGOLAHAN DATA SKM PUSKESMAS KRANJI";
    responses_with_working_sheet(&inbox.join(k), title, &kranji, true);
    let out = tmp.path().join("out");
    let summary = run_inbox(&inbox, &out);
    assert_eq!(summary.n_rejects, 0);
    assert_same(&gold(&out, "puskesmas-seroja"), &expected(&seroja));
    assert_same(&gold(&out, "puskesmas-kranji"), &expected(&kranji));
    // Every row of each working sheet is listed, with the response it copies.
    let d = read(&out.join("duplikat.parquet"));
    let (jenis, sheet, counted) = (d.str("jenis"), d.str("sheet"), d.str("dihitung_sheet"));
    let copies: Vec<usize> = (0..d.len())
        .filter(|&i| jenis[i].as_deref() == Some("salinan_lembar"))
        .collect();
    assert_eq!(copies.len(), 48 + 50);
    for i in copies {
        assert_eq!(sheet[i].as_deref(), Some("Olah Data"));
        assert_eq!(counted[i].as_deref(), Some("Form Responses 1"));
    }
}

/// Google Sheets in an Arabic account writes its dates with a right-to-left mark after the day
/// and after the month (`15‏/10‏/2024 2:41:33 م`, the Arabic locale's own pattern). Read as they
/// were, no date could be read and every row was refused (`tanggal_tidak_terbaca`, 50 of 50).
#[test]
fn an_arabic_accounts_dates_with_their_right_to_left_marks_are_read() {
    use skm::domain::UNSUR;
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let rs = responses(50, 7);
    let mut header = vec!["الطابع الزمني".to_string(), "Umur".into()];
    header.extend(QUESTIONS.iter().map(|q| q.to_string()));
    let mut csv = header.join(",") + "\n";
    for (i, r) in rs.iter().enumerate() {
        let (h, m, s) = (7 + (i * 5) % 12, (i * 7) % 60, (i * 13) % 60);
        let h12 = if h % 12 == 0 { 12 } else { h % 12 };
        let mark = ["ص", "م"][usize::from(h >= 12)];
        let (d, mo, y) = (r.date.day(), r.date.month(), r.date.year());
        let mut row = vec![format!(
            "{d}\u{200f}/{mo}\u{200f}/{y} {h12}:{m:02}:{s:02} {mark}"
        )];
        row.push((20 + i % 50).to_string());
        row.extend((UNSUR.iter().zip(r.answers)).map(|(u, a)| u.jawaban[a as usize - 1].into()));
        csv += &(row.join(",") + "\n");
    }
    let name = "SKM Kecamatan Jatiasih 2024 (الردود) - ردود النموذج 1.csv";
    std::fs::write(inbox.join(name), csv).unwrap();
    let out = tmp.path().join("out");
    let summary = run_inbox(&inbox, &out);
    assert_eq!(summary.n_rejects, 0, "rows refused");
    assert_same(&gold(&out, "kecamatan-jatiasih"), &expected(&rs));
}
