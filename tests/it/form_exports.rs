//! Files as units' own tools write them (issue 26): Google Forms in an English (US) and an
//! Indonesian account (month-first and day-first timestamps, the download's name as the only
//! unit), a multiple-choice grid on a generic scale, a Microsoft Forms workbook (date-time
//! cells, a unit question found by its values), the regulation's manual template with its
//! closing rows, a workbook in Excel's 1904 date system, and date columns whose order is
//! contradictory or never settled. Every response must land in its unit, year and quarter,
//! with NRR and IKM equal to a computation made here from the rows written.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::common::{full_snapshot, read, read_silver, run_inbox, skm_run, ways_read};
use skm::domain::UNSUR;

/// One response as a respondent gave it.
#[derive(Clone, Debug)]
pub(crate) struct Resp {
    pub unit: &'static str,
    pub date: NaiveDate,
    pub hms: (u32, u32, u32),
    pub answers: [u8; 9],
    pub umur: u32,
}

/// A small deterministic generator (xorshift), so the test needs nothing else.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `n` responses at `units` over 2024, on random days (of which about 40% have a day ≤ 12).
fn responses(n: usize, units: &[&'static str], seed: u64) -> Vec<Resp> {
    let mut r = Rng(seed * 2654435761 + 12345);
    (0..n)
        .map(|i| {
            let month = 1 + r.below(12) as u32;
            let day = 1 + r.below(28) as u32;
            let mut answers = [0u8; 9];
            for a in answers.iter_mut() {
                *a = [1, 2, 3, 3, 3, 4, 4, 4][r.below(8) as usize];
            }
            Resp {
                unit: units[i % units.len()],
                date: NaiveDate::from_ymd_opt(2024, month, day).unwrap(),
                hms: (
                    7 + r.below(10) as u32,
                    r.below(60) as u32,
                    r.below(60) as u32,
                ),
                answers,
                umur: 18 + r.below(60) as u32,
            }
        })
        .collect()
}

fn quarter(d: NaiveDate) -> String {
    format!("TW{}", (d.month() - 1) / 3 + 1)
}

/// IKM per (unit_id, quarter), computed here: the mean answer per unsur × 25, averaged.
fn expected_ikm(rs: &[Resp]) -> BTreeMap<(String, String), (usize, f64)> {
    let mut sums: BTreeMap<(String, String), (usize, [u64; 9])> = BTreeMap::new();
    for r in rs {
        let e = sums
            .entry((r.unit.to_string(), quarter(r.date)))
            .or_default();
        e.0 += 1;
        for k in 0..9 {
            e.1[k] += r.answers[k] as u64;
        }
    }
    sums.into_iter()
        .map(|(k, (n, s))| {
            let nrr: f64 = s.iter().map(|&x| x as f64 / n as f64).sum::<f64>() / 9.0;
            (k, (n, nrr * 25.0))
        })
        .collect()
}

/// The IKM per (unit_id, quarter) of gold's respondent rows.
fn gold_ikm(out: &Path) -> BTreeMap<(String, String), (usize, f64)> {
    let t = read(&out.join("gold/ikm_unit.parquet"));
    let (u, p, n, ikm, s) = (
        t.str("unit_id"),
        t.str("periode"),
        t.i64("n_responden"),
        t.f64("ikm"),
        t.str("sumber"),
    );
    (0..t.len())
        .filter(|&i| p[i].as_deref().is_some_and(|p| p.starts_with("TW")))
        .filter(|&i| s[i].as_deref() != Some("rekap"))
        .map(|i| {
            (
                (u[i].clone().unwrap(), p[i].clone().unwrap()),
                (n[i].unwrap() as usize, ikm[i].unwrap()),
            )
        })
        .collect()
}

/// Runs skm on `inbox` into `dir/out` and checks what every reading test checks: no reject,
/// every response filed in its unit and period, and the IKM worked out by hand.
fn read_as_expected(dir: &Path, inbox: &Path, rs: &[Resp]) -> std::path::PathBuf {
    let out = dir.join("out");
    let summary = run_inbox(inbox, &out);
    assert_eq!(summary.n_rejects, 0, "{:?}", rejects(&out));
    assert_filed(&out, rs);
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(rs));
    out
}

fn assert_same_ikm(
    got: &BTreeMap<(String, String), (usize, f64)>,
    want: &BTreeMap<(String, String), (usize, f64)>,
) {
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (k, (n, ikm)) in want {
        let (gn, gikm) = got[k];
        assert_eq!(gn, *n, "{k:?} respondents");
        assert!((gikm - ikm).abs() < 1e-9, "{k:?}: IKM {gikm} vs {ikm}");
    }
}

/// Silver's (unit_id, tanggal, periode) per response, sorted, against the responses written.
fn assert_filed(out: &Path, rs: &[Resp]) {
    let s = read_silver(out, 2024);
    let (u, d, p) = (s.str("unit_id"), s.str("tanggal"), s.str("periode"));
    let mut got: Vec<(String, String, String)> = (0..s.len())
        .map(|i| {
            (
                u[i].clone().unwrap(),
                d[i].clone().unwrap(),
                p[i].clone().unwrap(),
            )
        })
        .collect();
    let mut want: Vec<(String, String, String)> = rs
        .iter()
        .map(|r| (r.unit.to_string(), r.date.to_string(), quarter(r.date)))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

/// files.parquet's (urutan_tanggal, urutan_tanggal_basis) of each file.
fn date_orders(out: &Path) -> BTreeMap<String, (Option<String>, Option<String>)> {
    let f = read(&out.join("files.parquet"));
    let (file, o, b) = (
        f.str("source_file"),
        f.str("urutan_tanggal"),
        f.str("urutan_tanggal_basis"),
    );
    (0..f.len())
        .map(|i| (file[i].clone().unwrap(), (o[i].clone(), b[i].clone())))
        .collect()
}

/// files.parquet's unit_dari of each file.
fn unit_sources(out: &Path) -> BTreeMap<String, Option<String>> {
    let f = read(&out.join("files.parquet"));
    let (file, u) = (f.str("source_file"), f.str("unit_dari"));
    (0..f.len())
        .map(|i| (file[i].clone().unwrap(), u[i].clone()))
        .collect()
}

fn rejects(out: &Path) -> Vec<(String, Option<i64>, String, String)> {
    let r = read(&out.join("rejects.parquet"));
    let (f, row, k, a) = (
        r.str("source_file"),
        r.i64("source_row"),
        r.str("kode"),
        r.str("alasan"),
    );
    (0..r.len())
        .map(|i| {
            (
                f[i].clone().unwrap(),
                row[i],
                k[i].clone().unwrap(),
                a[i].clone().unwrap(),
            )
        })
        .collect()
}

/// The question texts of a typical Google Form, one per unsur (in `UNSUR`'s order).
pub(crate) const QUESTIONS: [&str; 9] = [
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

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A Google Forms download: `Timestamp` written by `stamp`, the profile, one column per
/// question, answers as the option texts the form offered (the unsur's own words).
pub(crate) fn google_forms_csv(
    rs: &[Resp],
    stamp_header: &str,
    stamp: impl Fn(&Resp) -> String,
) -> String {
    let mut s = String::new();
    let mut header = vec![
        stamp_header.to_string(),
        "Umur".into(),
        "Jenis Kelamin".into(),
    ];
    header.extend(QUESTIONS.iter().map(|q| q.to_string()));
    s.push_str(
        &header
            .iter()
            .map(|h| csv_field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    s.push('\n');
    for r in rs {
        let mut row = vec![stamp(r), r.umur.to_string(), "Laki-laki".into()];
        for (k, u) in UNSUR.iter().enumerate() {
            row.push(u.jawaban[r.answers[k] as usize - 1].to_string());
        }
        s.push_str(
            &row.iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        s.push('\n');
    }
    s
}

fn us_stamp(r: &Resp) -> String {
    format!(
        "{}/{}/{} {}:{:02}:{:02}",
        r.date.month(),
        r.date.day(),
        r.date.year(),
        r.hms.0,
        r.hms.1,
        r.hms.2
    )
}

fn id_stamp(r: &Resp) -> String {
    format!(
        "{:02}/{:02}/{} {:02}.{:02}.{:02}",
        r.date.day(),
        r.date.month(),
        r.date.year(),
        r.hms.0,
        r.hms.1,
        r.hms.2
    )
}

#[test]
fn google_forms_in_english_and_indonesian_accounts_file_every_response_in_its_quarter() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let timur = responses(300, &["kecamatan-bekasi-timur"], 1);
    let medan = responses(240, &["kecamatan-medansatria"], 2);
    let en =
        "Survei Kepuasan Masyarakat Kecamatan Bekasi Timur 2024 (Responses) - Form Responses 1.csv";
    let id =
        "Survei Kepuasan Masyarakat Kecamatan Medansatria 2024 (Jawaban) - Jawaban Formulir 1.csv";
    std::fs::write(
        inbox.join(en),
        google_forms_csv(&timur, "Timestamp", us_stamp),
    )
    .unwrap();
    std::fs::write(
        inbox.join(id),
        google_forms_csv(&medan, "Stempel waktu", id_stamp),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    let all: Vec<Resp> = timur.iter().chain(&medan).cloned().collect();
    assert_filed(&out, &all);
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(&all));
    let orders = date_orders(&out);
    assert_eq!(
        orders[en],
        (Some("bulan_hari".into()), Some("ditemukan".into()))
    );
    assert_eq!(
        orders[id],
        (Some("hari_bulan".into()), Some("ditemukan".into()))
    );
    let f = read(&out.join("files.parquet"));
    assert!(f
        .str("periode_dari")
        .iter()
        .all(|p| p.as_deref() == Some("tanggal")));
    assert!(f
        .str("tahun_dari")
        .iter()
        .all(|p| p.as_deref() == Some("tanggal")));
    let units = unit_sources(&out);
    assert_eq!(units[en].as_deref(), Some("nama_berkas"));
    assert_eq!(units[id].as_deref(), Some("nama_berkas"));
    // Each response keeps its time of day (its identity for resubmissions).
    let silver = read_silver(&out, 2024);
    assert!(silver
        .str("jam")
        .iter()
        .all(|j| j.as_deref().is_some_and(|j| j.len() == 8)));
}

#[test]
fn a_date_column_of_both_orders_is_refused_naming_a_row_of_each_and_an_unsettled_one_says_it_assumed(
) {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut mixed = responses(60, &["kecamatan-bekasi-timur"], 3);
    // Rows 2–11 (file rows) all ambiguous, then a day-first date, then a month-first one.
    for (i, r) in mixed.iter_mut().enumerate() {
        r.date = NaiveDate::from_ymd_opt(2024, 1 + (i % 11) as u32, 1 + (i % 12) as u32).unwrap();
        if r.date.day() == r.date.month() {
            r.date = r.date.succ_opt().unwrap();
        }
    }
    mixed[20].date = NaiveDate::from_ymd_opt(2024, 3, 25).unwrap();
    let text = google_forms_csv(&mixed, "Tanggal", |r| {
        format!("{}/{}/{}", r.date.day(), r.date.month(), r.date.year())
    });
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    // Row 42 of the file (response 40) written month first with a day over 12.
    lines[41] = lines[41].replacen(
        &lines[41].split(',').next().unwrap().to_string(),
        "4/17/2024",
        1,
    );
    std::fs::write(
        inbox.join("SKM Kecamatan Bekasi Timur campur.csv"),
        lines.join("\n") + "\n",
    )
    .unwrap();
    let ambiguous: Vec<Resp> = mixed.iter().take(20).cloned().collect();
    std::fs::write(
        inbox.join("SKM Kecamatan Medansatria 2024.csv"),
        google_forms_csv(&ambiguous, "Tanggal", |r| {
            format!(
                "{:02}/{:02}/{}",
                r.date.day(),
                r.date.month(),
                r.date.year()
            )
        }),
    )
    .unwrap();
    let out = tmp.path().join("out");
    run_inbox(&inbox, &out);
    let rj = rejects(&out);
    let sheet: Vec<_> = rj
        .iter()
        .filter(|r| r.2 == "urutan_tanggal_bertentangan")
        .collect();
    assert_eq!(sheet.len(), 1, "{rj:?}");
    assert_eq!(sheet[0].0, "SKM Kecamatan Bekasi Timur campur.csv");
    assert!(
        sheet[0].3.contains("baris 22") && sheet[0].3.contains("baris 42"),
        "{}",
        sheet[0].3
    );
    assert!(
        rj.iter()
            .all(|r| r.0 == "SKM Kecamatan Bekasi Timur campur.csv"),
        "{rj:?}"
    );
    let orders = date_orders(&out);
    assert_eq!(
        orders["SKM Kecamatan Medansatria 2024.csv"],
        (Some("hari_bulan".into()), Some("diasumsikan".into()))
    );
    // Nothing of the refused file reaches silver; the assumed one is read day first.
    let medan: Vec<Resp> = ambiguous
        .iter()
        .map(|r| Resp {
            unit: "kecamatan-medansatria",
            ..r.clone()
        })
        .collect();
    assert_filed(&out, &medan);
}

/// A big export (over 4 MiB, so it is streamed in chunks) whose first 256 KiB hold only dates
/// that fit both orders, month first: the rows after the head decide, and silver equals reading
/// the file whole.
#[test]
fn a_streamed_month_first_export_gives_the_silver_of_reading_it_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut rs = responses(32_000, &["kecamatan-bekasi-timur"], 4);
    for (i, r) in rs.iter_mut().enumerate() {
        if i < 3_000 {
            // Days and months both ≤ 12 and different.
            let m = 1 + (i % 12) as u32;
            let d = 1 + ((i / 12) % 12) as u32;
            let d = if d == m { d % 12 + 1 } else { d };
            r.date = NaiveDate::from_ymd_opt(2024, m, d).unwrap();
        }
    }
    let text = google_forms_csv(&rs, "Timestamp", us_stamp);
    assert!(text.len() > 4 << 20, "{} bytes", text.len());
    std::fs::write(
        inbox.join("Survei Kecamatan Bekasi Timur 2024 (Responses) - Form Responses 1.csv"),
        text,
    )
    .unwrap();
    let streamed = tmp.path().join("streamed");
    let whole = tmp.path().join("whole");
    for (out, kb) in [(&streamed, "64"), (&whole, "0")] {
        let o = crate::common::skm(
            &[
                "run",
                "--full",
                "--inbox",
                inbox.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            &[("SKM_CHUNK_KB", kb)],
        );
        assert!(
            o.status.code().is_some_and(|c| c == 0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert_eq!(
        crate::common::full_snapshot(&streamed),
        crate::common::full_snapshot(&whole)
    );
    assert_filed(&streamed, &rs);
    assert_same_ikm(&gold_ikm(&streamed), &expected_ikm(&rs));
}

/// The scale of a Google Forms multiple-choice grid, numbered as some forms number options.
const GRID_SCALE: [&str; 4] = ["Tidak Baik", "Kurang Baik", "Baik", "Sangat Baik"];

/// A grid's rows, one per unsur, as forms name them.
const GRID_ROWS: [&str; 9] = [
    "Persyaratan",
    "Prosedur",
    "Waktu Pelayanan",
    "Biaya/Tarif",
    "Produk Layanan",
    "Kompetensi Petugas",
    "Perilaku Petugas",
    "Sarana dan Prasarana",
    "Penanganan Pengaduan",
];

/// A Google Forms download of a multiple-choice grid: the timestamp column (`stamp_header`,
/// written by `stamp`), `Usia`, then one column per row of the grid, `<question> [<name>]`,
/// each answer written by `answer(row index, response, unsur index)`.
fn grid_csv(
    rs: &[Resp],
    (stamp_header, stamp): (&str, fn(&Resp) -> String),
    question: &str,
    names: &[&str; 9],
    answer: impl Fn(usize, &Resp, usize) -> String,
) -> String {
    let mut s = format!("{stamp_header},Usia");
    for n in names {
        s.push_str(&format!(",{question} [{n}]"));
    }
    s.push('\n');
    for (i, r) in rs.iter().enumerate() {
        s.push_str(&format!("{},{}", stamp(r), r.umur));
        for k in 0..9 {
            s.push(',');
            s.push_str(&answer(i, r, k));
        }
        s.push('\n');
    }
    s
}

/// A grid on a scale its words cannot settle ('Tidak puas' is 1 on one scale, 2 on another).
fn puas(_: usize, r: &Resp, k: usize) -> String {
    (if r.answers[k] <= 2 {
        "Tidak puas"
    } else {
        "Puas"
    })
    .to_string()
}

#[test]
fn a_grid_question_on_a_generic_scale_is_read_unsur_by_unsur() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let rs = responses(200, &["kecamatan-rawalumbu"], 5);
    let names = GRID_ROWS;
    let q = "Berikan penilaian Anda terhadap pelayanan kami";
    let stamp = ("Stempel waktu", id_stamp as fn(&Resp) -> String);
    // Some forms number their options.
    let good = grid_csv(&rs, stamp, q, &names, |i, r, k| {
        let w = GRID_SCALE[r.answers[k] as usize - 1];
        if i % 5 == 0 {
            format!("{} - {w}", r.answers[k])
        } else {
            w.to_string()
        }
    });
    two_grids(
        &inbox,
        (
            "SKM Kecamatan Rawalumbu 2024 (Jawaban) - Jawaban Formulir 1.csv",
            good,
        ),
        (
            "SKM Kecamatan Jatiasih 2024 (Jawaban) - Jawaban Formulir 1.csv",
            grid_csv(&rs[..20], stamp, q, &names, puas),
        ),
        &rs,
        "tidak puas",
    );
}

/// A grid read and a grid refused, as two units' files in `inbox`, run: every response of the
/// first filed with its IKM; every reject the second's, saying its `word` fits more than one
/// scale.
fn two_grids(inbox: &Path, read: (&str, String), refused: (&str, String), rs: &[Resp], word: &str) {
    std::fs::write(inbox.join(read.0), read.1).unwrap();
    std::fs::write(inbox.join(refused.0), refused.1).unwrap();
    let out = inbox.with_file_name("out");
    run_inbox(inbox, &out);
    let rj = rejects(&out);
    assert!(rj.iter().all(|r| r.0 == refused.0), "{rj:?}");
    assert!(
        rj.iter()
            .any(|r| r.3.contains(&format!("'{word}'")) && r.3.contains("lebih dari satu skala")),
        "{rj:?}"
    );
    assert_filed(&out, rs);
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(rs));
}

fn excel_serial(d: NaiveDate, hms: (u32, u32, u32)) -> f64 {
    let days = (d - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64;
    days + (hms.0 * 3600 + hms.1 * 60 + hms.2) as f64 / 86_400.0
}

/// A Microsoft Forms download: ID, Start time, Completion time (date-time cells), Email,
/// Name, a choice question for the unit (its header in words skm has no phrase for), then the
/// questions. With `epoch_1904`, the workbook is saved in the 1904 date system.
fn ms_forms_xlsx(path: &Path, rs: &[Resp], names: &BTreeMap<&str, &str>, epoch_1904: bool) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Sheet1").unwrap();
    let dt = Format::new().set_num_format("m/d/yy h:mm:ss");
    let mut header = vec![
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Ke layanan mana Anda datang hari ini?",
    ];
    header.extend(QUESTIONS);
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let shift = if epoch_1904 { 1462.0 } else { 0.0 };
    for (i, r) in rs.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_number(row, 0, (i + 1) as f64).unwrap();
        let start = (r.hms.0, r.hms.1.saturating_sub(3), r.hms.2);
        ws.write_number_with_format(row, 1, excel_serial(r.date, start) - shift, &dt)
            .unwrap();
        // Some rows' completion time as a bare serial number (a cell whose date format was
        // cleared): in a 1904 workbook it counts from 1904 too.
        let completed = excel_serial(r.date, r.hms) - shift;
        if i % 3 == 0 {
            ws.write_number(row, 2, completed).unwrap();
        } else {
            ws.write_number_with_format(row, 2, completed, &dt).unwrap();
        }
        ws.write_string(row, 3, "anonymous").unwrap();
        ws.write_string(row, 4, "").unwrap();
        ws.write_string(row, 5, names[r.unit]).unwrap();
        for (k, u) in UNSUR.iter().enumerate() {
            ws.write_string(row, 6 + k as u16, u.jawaban[r.answers[k] as usize - 1])
                .unwrap();
        }
    }
    wb.save(path).unwrap();
    if epoch_1904 {
        set_1904(path);
    }
}

/// The units a form's respondents choose from: their ids, and each id's name as the form
/// offers it.
fn units_named(
    units: &[(&'static str, &'static str)],
) -> (Vec<&'static str>, BTreeMap<&'static str, &'static str>) {
    (
        units.iter().map(|u| u.0).collect(),
        units.iter().copied().collect(),
    )
}

/// Marks a saved workbook as using the 1904 date system, as Excel for Mac writes it
/// (`<workbookPr date1904="1"/>` in xl/workbook.xml).
fn set_1904(path: &Path) {
    edit_part(path, "xl/workbook.xml", |text| {
        if text.contains("<workbookPr ") {
            text.replacen("<workbookPr ", "<workbookPr date1904=\"1\" ", 1)
        } else {
            text.replacen("<sheets>", "<workbookPr date1904=\"1\"/><sheets>", 1)
        }
    });
}

/// The workbook at `path` with its part `part` rewritten by `edit`.
fn edit_part(path: &Path, part: &str, edit: impl Fn(String) -> String) {
    let bytes = std::fs::read(path).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut e = zin.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if name == part {
            data = edit(String::from_utf8(data).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

/// The sheet as Excel saves it again: the markup-compatibility namespaces on the worksheet and
/// an attribute of Excel 2010's (`x14ac:dyDescent`) on every row.
fn as_excel_saves_it(path: &Path) {
    edit_part(path, "xl/worksheets/sheet1.xml", |text| {
        assert!(text.contains("<row "), "{}", &text[..200.min(text.len())]);
        text.replacen(
            "<worksheet ",
            "<worksheet xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" \
             mc:Ignorable=\"x14ac\" \
             xmlns:x14ac=\"http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac\" ",
            1,
        )
        .replace("<row ", "<row x14ac:dyDescent=\"0.25\" ")
    });
}

#[test]
fn a_microsoft_forms_workbook_finds_its_unit_column_by_its_values_also_in_the_1904_date_system() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let (units, names) = units_named(&[
        ("kecamatan-bekasi-barat", "Kecamatan Bekasi Barat"),
        ("kecamatan-jatiasih", "Kecamatan Jatiasih"),
    ]);
    let a = responses(150, &units, 6);
    let b = responses(90, &units, 7);
    ms_forms_xlsx(
        &inbox.join("Survei Kepuasan Layanan(1-150).xlsx"),
        &a,
        &names,
        false,
    );
    ms_forms_xlsx(
        &inbox.join("Survei Kepuasan Layanan Mac.xlsx"),
        &b,
        &names,
        true,
    );
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    let all: Vec<Resp> = a.iter().chain(&b).cloned().collect();
    assert_filed(&out, &all);
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(&all));
    // The completion time is the survey's time of day.
    let silver = read_silver(&out, 2024);
    let mut jam: Vec<String> = silver.str("jam").into_iter().map(Option::unwrap).collect();
    let mut want: Vec<String> = all
        .iter()
        .map(|r| format!("{:02}:{:02}:{:02}", r.hms.0, r.hms.1, r.hms.2))
        .collect();
    jam.sort();
    want.sort();
    assert_eq!(jam, want);
    assert!(unit_sources(&out)
        .values()
        .all(|u| u.as_deref() == Some("nilai_kolom")));
    // No year other than 2024 appears (the 1904 workbook is not four years early).
    assert!(!out.join("silver/responses/tahun=2020").exists());
}

/// The regulation's manual template: title rows naming the unit and the period, a two-row
/// header with `NILAI UNSUR PELAYANAN` over `U1`…`U9`, the responses, then the closing rows
/// stating each unsur's sum, NRR, weighted NRR, their total and the IKM (`ikm_shift` added to
/// the stated IKM). Returns the NRR per unsur computed here.
fn template_xlsx(path: &Path, rs: &[Resp], ikm_shift: f64) -> Vec<f64> {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("TW II").unwrap();
    ws.write_string(
        0,
        0,
        "PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT PER RESPONDEN",
    )
    .unwrap();
    ws.write_string(1, 0, "UNIT PELAYANAN : KECAMATAN BANTARGEBANG")
        .unwrap();
    ws.write_string(2, 0, "PERIODE : TRIWULAN II TAHUN 2024")
        .unwrap();
    ws.write_string(4, 0, "No. Resp").unwrap();
    ws.write_string(4, 1, "NILAI UNSUR PELAYANAN").unwrap();
    for k in 0..9u16 {
        ws.write_string(5, 1 + k, format!("U{}", k + 1)).unwrap();
    }
    // The Kota Bekasi order of the codes (U8 sarpras, U9 pengaduan) is skm's default.
    let mut sums = [0u64; 9];
    for (i, r) in rs.iter().enumerate() {
        let row = 6 + i as u32;
        ws.write_number(row, 0, (i + 1) as f64).unwrap();
        for (k, sum) in sums.iter_mut().enumerate() {
            ws.write_number(row, 1 + k as u16, r.answers[k] as f64)
                .unwrap();
            *sum += r.answers[k] as u64;
        }
    }
    let n = rs.len() as f64;
    let last = 6 + rs.len() as u32;
    let nrr: Vec<f64> = sums.iter().map(|&s| s as f64 / n).collect();
    let labels = ["Σ Nilai/Unsur", "NRR/Unsur", "NRR tertimbang/unsur"];
    for (j, l) in labels.iter().enumerate() {
        ws.write_string(last + j as u32, 0, *l).unwrap();
        for k in 0..9 {
            let v = match j {
                0 => sums[k] as f64,
                1 => nrr[k],
                _ => nrr[k] * 0.111,
            };
            ws.write_number(last + j as u32, 1 + k as u16, (v * 1000.0).round() / 1000.0)
                .unwrap();
        }
    }
    let weighted: f64 = nrr.iter().map(|x| x * 0.111).sum();
    ws.write_string(last + 3, 0, "*) Jumlah NRR IKM tertimbang")
        .unwrap();
    ws.write_number(last + 3, 9, (weighted * 1000.0).round() / 1000.0)
        .unwrap();
    ws.write_string(last + 4, 0, "**) IKM Unit pelayanan")
        .unwrap();
    ws.write_number(
        last + 4,
        9,
        (weighted * 25.0 * 100.0).round() / 100.0 + ikm_shift,
    )
    .unwrap();
    wb.save(path).unwrap();
    nrr
}

fn audit_rows(out: &Path) -> Vec<(String, Option<i64>, String, String)> {
    let a = read(&out.join("gold/audit.parquet"));
    let (f, row, apa, k) = (
        a.str("source_file"),
        a.i64("source_row"),
        a.str("apa"),
        a.str("keterangan"),
    );
    (0..a.len())
        .map(|i| {
            (
                f[i].clone().unwrap(),
                row[i],
                apa[i].clone().unwrap(),
                k[i].clone().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_regulation_template_closing_rows_are_never_responses_nor_rejects_and_are_audited() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let rs = responses(40, &["kecamatan-bantargebang"], 8);
    let file = inbox.join("Olah data SKM Kec Bantargebang TW2 2024.xlsx");
    let nrr = template_xlsx(&file, &rs, 0.0);
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    let files = read(&out.join("files.parquet"));
    assert_eq!(files.i64("dilewati"), vec![Some(5)]);
    assert_eq!(files.str("unit_dari"), vec![Some("judul".to_string())]);
    // No date in the template: the period and the year come from its title, and say so.
    assert_eq!(files.str("periode_dari"), vec![Some("judul".to_string())]);
    assert_eq!(files.str("tahun_dari"), vec![Some("judul".to_string())]);
    let got = gold_ikm(&out);
    let want_ikm = nrr.iter().sum::<f64>() / 9.0 * 25.0;
    let (gn, gikm) = got[&("kecamatan-bantargebang".to_string(), "TW2".to_string())];
    assert_eq!(gn, rs.len());
    assert!((gikm - want_ikm).abs() < 1e-9, "{gikm} vs {want_ikm}");
    // Every stated figure agrees with the rows above it: nothing to audit.
    assert_eq!(audit_rows(&out), vec![]);

    // The unit's stated IKM altered by half a point: one finding, naming the cell.
    template_xlsx(&file, &rs, 0.5);
    let out2 = tmp.path().join("out2");
    run_inbox(&inbox, &out2);
    let found = audit_rows(&out2);
    assert_eq!(found.len(), 1, "{found:?}");
    let ikm_row = 6 + rs.len() as i64 + 4 + 1;
    assert_eq!(found[0].1, Some(ikm_row));
    assert_eq!(found[0].2, "ikm");
    assert!(
        found[0].3.contains(&format!("J{ikm_row}")),
        "{}",
        found[0].3
    );
}

/// `skm validate` on a grid whose words no single scale reads: every one of its rows fails in
/// every column, and the operator sees one line per column (at most a screen), with the
/// words and what to do; and it says how the dates were read and where the unit came from.
#[test]
fn validate_prints_a_problem_repeated_down_a_column_once() {
    let tmp = tempfile::tempdir().unwrap();
    let rs = responses(570, &["kecamatan-jatiasih"], 9);
    let names = [
        "Persyaratan",
        "Prosedur",
        "Waktu",
        "Biaya",
        "Produk",
        "Kompetensi",
        "Perilaku",
        "Sarana",
        "Pengaduan",
    ];
    let s = grid_csv(
        &rs,
        ("Timestamp", us_stamp as fn(&Resp) -> String),
        "Penilaian Anda",
        &names,
        puas,
    );
    let file = tmp
        .path()
        .join("SKM Kecamatan Jatiasih 2024 (Responses) - Form Responses 1.csv");
    std::fs::write(&file, s).unwrap();
    let o = crate::common::skm(&["validate", file.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(3));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.lines().count() <= 24, "{text}");
    assert!(
        text.contains("570 rows, column 'Penilaian Anda [Persyaratan]'"),
        "{text}"
    );
    assert!(text.contains("'tidak puas'"), "{text}");
    assert!(
        text.contains("month first") && text.contains("found in the data"),
        "{text}"
    );
    assert!(text.contains("INFERRED from the file name"), "{text}");
    // --all prints every cell.
    let o = crate::common::skm(
        &[
            "validate",
            "--all",
            "--max-rows",
            "100000",
            file.to_str().unwrap(),
        ],
        &[],
    );
    let every = String::from_utf8_lossy(&o.stdout);
    assert!(
        every
            .lines()
            .filter(|l| l.contains("[jawaban_tidak_terbaca]"))
            .count()
            >= 570 * 9,
        "{}",
        every.lines().count()
    );
}

/// Issue 29 on issue 26's files: a Microsoft Forms workbook as Excel saves it again, also in
/// the 1904 date system, made a big file (16 KiB chunks) so that its sheet is cut into pieces
/// of XML parsed on every core, gives the tables of reading it whole, and files every response;
/// a third with a comment in its sheet's XML is read cell by cell instead, to the same tables.
/// `files.cara_baca` says which way each went.
#[test]
fn a_form_workbook_cut_into_pieces_gives_the_tables_of_reading_it_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let (units, names) = units_named(&[
        ("kecamatan-bekasi-timur", "Kecamatan Bekasi Timur"),
        ("kecamatan-rawalumbu", "Kecamatan Rawalumbu"),
    ]);
    let (a, b) = (responses(2500, &units, 21), responses(1800, &units, 22));
    let c = responses(2200, &units, 23);
    for (name, rows, epoch_1904) in [
        ("Survei(1-2500).xlsx", &a, false),
        ("Survei Mac.xlsx", &b, true),
        ("Survei komentar.xlsx", &c, false),
    ] {
        let path = inbox.join(name);
        ms_forms_xlsx(&path, rows, &names, epoch_1904);
        as_excel_saves_it(&path);
        assert!(
            std::fs::metadata(&path).unwrap().len() > 64 * 1024,
            "{name}: a big file"
        );
    }
    // A comment in the sheet's XML (where a `</row>` would not be markup): not cut into
    // pieces, read cell by cell by calamine instead.
    edit_part(
        &inbox.join("Survei komentar.xlsx"),
        "xl/worksheets/sheet1.xml",
        |text| text.replacen("<sheetData>", "<sheetData><!-- diekspor ulang -->", 1),
    );
    let run = |out: &Path, env: &[(&str, &str)]| {
        let o = skm_run(&inbox, out, &["--full", "--json"], env);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        full_snapshot(out)
    };
    let whole = run(&tmp.path().join("whole"), &[("SKM_CHUNK_KB", "0")]);
    let all: Vec<Resp> = a.iter().chain(&b).chain(&c).cloned().collect();
    assert_filed(&tmp.path().join("whole"), &all);
    let ways = |out: &Path| ways_read(out).into_values().collect::<Vec<_>>();
    assert_eq!(ways(&tmp.path().join("whole")), ["utuh", "utuh", "utuh"]);
    for rows in ["333", "100000"] {
        let out = tmp.path().join(format!("pieces-{rows}"));
        let env = [
            ("SKM_WORKERS", "2"),
            ("SKM_CHUNK_KB", "16"),
            ("SKM_SHEET_CHUNK_ROWS", rows),
        ];
        let pieces = run(&out, &env);
        let way = |f: &str| ways_read(&out)[f].clone();
        assert_eq!(
            way("Survei(1-2500).xlsx"),
            "bertahap_xml",
            "{rows} rows a piece"
        );
        assert_eq!(
            way("Survei Mac.xlsx"),
            "bertahap_xml",
            "{rows} rows a piece"
        );
        assert_eq!(
            way("Survei komentar.xlsx"),
            "bertahap_sel",
            "{rows} rows a piece"
        );
        assert_eq!(pieces.len(), whole.len(), "{rows} rows a piece");
        for (p, w) in pieces.iter().zip(&whole) {
            assert_eq!(p.0, w.0, "{rows} rows a piece");
            assert!(p.1 == w.1, "{rows} rows a piece: {} differs", p.0);
        }
    }
}

/// `r`'s timestamp on a 12-hour clock: the date as `date` writes it, then the clock with its
/// marker (`[morning, afternoon]`) before it or after it.
fn twelve_hour_stamp(
    r: &Resp,
    date: fn(NaiveDate) -> String,
    marks: [&str; 2],
    marker_first: bool,
) -> String {
    let (h, m, s) = r.hms;
    let h12 = if h % 12 == 0 { 12 } else { h % 12 };
    let mark = marks[usize::from(h >= 12)];
    let clock = format!("{h12}:{m:02}:{s:02}");
    match marker_first {
        true => format!("{} {mark} {clock}", date(r.date)),
        false => format!("{} {clock} {mark}", date(r.date)),
    }
}

/// Google Forms' own "Download responses (.csv)": `2024/10/15 2:41:33 PM GMT+7`.
fn forms_download_stamp(r: &Resp) -> String {
    let date = |d: NaiveDate| format!("{}/{:02}/{:02}", d.year(), d.month(), d.day());
    twelve_hour_stamp(r, date, ["AM GMT+7", "PM GMT+7"], false)
}

/// A Korean account's sheet: `2024. 10. 15 오후 2:41:33`.
fn korean_stamp(r: &Resp) -> String {
    let date = |d: NaiveDate| format!("{}. {}. {}", d.year(), d.month(), d.day());
    twelve_hour_stamp(r, date, ["오전", "오후"], true)
}

/// A Chinese (Taiwan) account's sheet: `2024/10/15 下午 2:41:33`.
fn taiwan_stamp(r: &Resp) -> String {
    let date = |d: NaiveDate| format!("{}/{}/{}", d.year(), d.month(), d.day());
    twelve_hour_stamp(r, date, ["上午", "下午"], true)
}

/// Silver's `jam`, sorted, against the responses' times of day.
fn assert_times(out: &Path, rs: &[Resp]) {
    let silver = read_silver(out, 2024);
    let mut jam: Vec<String> = silver.str("jam").into_iter().map(Option::unwrap).collect();
    let mut want: Vec<String> = rs
        .iter()
        .map(|r| format!("{:02}:{:02}:{:02}", r.hms.0, r.hms.1, r.hms.2))
        .collect();
    jam.sort();
    want.sort();
    assert_eq!(jam, want);
}

#[test]
fn twelve_hour_timestamps_with_a_zone_or_an_asian_marker_keep_each_time_of_day() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let timur = responses(160, &["kecamatan-bekasi-timur"], 11);
    let medan = responses(120, &["kecamatan-medansatria"], 12);
    let jatiasih = responses(100, &["kecamatan-jatiasih"], 13);
    // Afternoons as well as mornings (`responses` gives 07–16 h).
    assert!(timur.iter().any(|r| r.hms.0 >= 13) && timur.iter().any(|r| r.hms.0 < 12));
    let files = [
        (
            "Survei Kepuasan Masyarakat Kecamatan Bekasi Timur 2024.csv",
            "Timestamp",
            forms_download_stamp as fn(&Resp) -> String,
            &timur,
        ),
        (
            "Survei Kepuasan Masyarakat Kecamatan Medansatria 2024 (응답) - 설문지 응답 시트1.csv",
            "타임스탬프",
            korean_stamp,
            &medan,
        ),
        (
            "Survei Kepuasan Masyarakat Kecamatan Jatiasih 2024 (回應) - 表單回應 1.csv",
            "時間戳記",
            taiwan_stamp,
            &jatiasih,
        ),
    ];
    for (name, header, stamp, rs) in files {
        std::fs::write(inbox.join(name), google_forms_csv(rs, header, stamp)).unwrap();
    }
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    let all: Vec<Resp> = timur
        .iter()
        .chain(&medan)
        .chain(&jatiasih)
        .cloned()
        .collect();
    assert_filed(&out, &all);
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(&all));
    assert_times(&out, &all);
}

/// A form that asks the survey's date (`Tanggal Survei`, a paper questionnaire typed in 20 days
/// later), the unit (`Unit Layanan`) and the respondent's district (`Kecamatan`), set as a quiz
/// (Google Forms' `[Score]`/`[Feedback]` columns and Microsoft Forms' `Points - `/`Feedback - `
/// beside two questions).
fn typed_in_later_csv(
    (rs, unit): (&[Resp], &str),
    districts: &[&str],
    blank: impl Fn(usize) -> bool,
) -> String {
    let mut header: Vec<String> = ["Timestamp", "Tanggal Survei", "Unit Layanan", "Kecamatan"]
        .map(String::from)
        .to_vec();
    header.push("Umur".into());
    for (k, q) in QUESTIONS.iter().enumerate() {
        header.push(q.to_string());
        match k {
            0 => header.extend([format!("{q} [Score]"), format!("{q} [Feedback]")]),
            3 => header.extend([format!("Points - {q}"), format!("Feedback - {q}")]),
            _ => {}
        }
    }
    header.push("Score".into());
    let line = |cells: &[String]| {
        let mut l = cells
            .iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(",");
        l.push('\n');
        l
    };
    let mut s = line(&header);
    for (i, r) in rs.iter().enumerate() {
        let typed = r.date + chrono::Duration::days(20);
        let mut row = vec![
            format!(
                "{}/{}/{} {}:{:02}:{:02}",
                typed.month(),
                typed.day(),
                typed.year(),
                r.hms.0,
                r.hms.1,
                r.hms.2
            ),
            // (A date question's answer in the sheet's order, as the timestamp's.)
            match blank(i) {
                true => String::new(),
                false => format!("{}/{}/{}", r.date.month(), r.date.day(), r.date.year()),
            },
            unit.into(),
            districts[i % districts.len()].into(),
            r.umur.to_string(),
        ];
        for (k, u) in UNSUR.iter().enumerate() {
            row.push(u.jawaban[r.answers[k] as usize - 1].to_string());
            if k == 0 || k == 3 {
                row.extend(["0".into(), String::new()]);
            }
        }
        row.push("0 / 0".into());
        s.push_str(&line(&row));
    }
    s
}

#[test]
fn a_form_asking_the_date_and_the_district_as_a_quiz_files_by_the_date_asked_under_its_unit() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let rs = responses(180, &["kecamatan-bekasi-timur"], 14);
    let districts = [
        "Kecamatan Bekasi Utara",
        "Kecamatan Jatiasih",
        "Bekasi Selatan",
    ];
    // Every tenth respondent left the date question blank: the timestamp's date, read in the
    // order the date column showed (month first), whatever its day.
    let typed = |r: &Resp| r.date + chrono::Duration::days(20);
    // (Those whose timestamp stays in 2024: the test reads 2024's silver.)
    let blank = |i: usize| i.is_multiple_of(10) && typed(&rs[i]).year() == 2024;
    std::fs::write(
        inbox.join("Survei Kepuasan Layanan 2024 (Responses) - Form Responses 1.csv"),
        typed_in_later_csv((&rs, "Kecamatan Bekasi Timur"), &districts, blank),
    )
    .unwrap();
    let filed: Vec<Resp> = (rs.iter().enumerate())
        .map(|(i, r)| {
            let mut r = r.clone();
            if blank(i) {
                r.date = typed(&r);
            }
            r
        })
        .collect();
    assert!((0..180)
        .filter(|&i| blank(i))
        .any(|i| typed(&rs[i]).day() <= 12));
    // Where the file's name gives the period and year, a blank date stays blank: the name's
    // TW3 files the rows, not the timestamps' October.
    let october: Vec<Resp> = responses(12, &["kecamatan-jatiasih"], 17)
        .into_iter()
        .map(|mut r| {
            r.date = NaiveDate::from_ymd_opt(2024, 9, 20).unwrap();
            r
        })
        .collect();
    std::fs::write(
        inbox.join("Survei Kepuasan Layanan TW3 2024 (Responses) - Form Responses 1.csv"),
        typed_in_later_csv((&october, "Kecamatan Jatiasih"), &districts, |_| true),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    let silver = read_silver(&out, 2024);
    let (u, d, p) = (
        silver.str("unit_id"),
        silver.str("tanggal"),
        silver.str("periode"),
    );
    let jatiasih: Vec<(Option<String>, Option<String>)> = (0..silver.len())
        .filter(|&i| u[i].as_deref() == Some("kecamatan-jatiasih"))
        .map(|i| (d[i].clone(), p[i].clone()))
        .collect();
    assert_eq!(jatiasih, vec![(None, Some("TW3".to_string())); 12]);
    // The date asked decides the quarter (the timestamp's is 20 days later); the unit is the
    // one named, not the respondent's district; the timestamp gives the time of day.
    let all: Vec<Resp> = filed.iter().chain(&october).cloned().collect();
    let timur: Vec<usize> = (0..silver.len())
        .filter(|&i| u[i].as_deref() == Some("kecamatan-bekasi-timur"))
        .collect();
    let mut got: Vec<(String, String)> = (timur.iter())
        .map(|&i| (d[i].clone().unwrap(), p[i].clone().unwrap()))
        .collect();
    let mut want: Vec<(String, String)> = (filed.iter())
        .map(|r| (r.date.to_string(), quarter(r.date)))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(&all));
    assert_times(&out, &all);
    assert!(unit_sources(&out)
        .values()
        .all(|u| u.as_deref() == Some("kolom")));
}

/// A grid on `Kurang / Cukup / Baik / Sangat baik`.
fn kurang_cukup(_: usize, r: &Resp, k: usize) -> String {
    ["Kurang", "Cukup", "Baik", "Sangat baik"][r.answers[k] as usize - 1].to_string()
}

/// A grid whose words fit two scales that read `Kurang` differently: nobody chose `Cukup`.
fn kurang_without_cukup(_: usize, r: &Resp, k: usize) -> String {
    ["Kurang", "Kurang", "Baik", "Sangat baik"][r.answers[k] as usize - 1].to_string()
}

#[test]
fn a_grid_on_kurang_cukup_baik_reads_kurang_as_1_and_one_that_cannot_tell_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let rs = responses(200, &["kecamatan-rawalumbu"], 15);
    let names = GRID_ROWS;
    let q = "Bagaimana penilaian Anda terhadap pelayanan kami";
    let stamp = ("Timestamp", us_stamp as fn(&Resp) -> String);
    two_grids(
        &inbox,
        (
            "SKM Kecamatan Rawalumbu 2024 (Responses) - Form Responses 1.csv",
            grid_csv(&rs, stamp, q, &names, kurang_cukup),
        ),
        (
            "SKM Kecamatan Jatiasih 2024 (Responses) - Form Responses 1.csv",
            grid_csv(&rs[..30], stamp, q, &names, kurang_without_cukup),
        ),
        &rs,
        "kurang",
    );
}

#[test]
fn a_log_of_questionnaires_with_a_unit_and_an_ikm_column_is_read_as_answers_not_as_a_recap() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let rs = responses(120, &["kecamatan-bekasi-timur"], 16);
    // A unit's own Excel log saved as CSV: the unit named on every row, a date, the nine
    // answers by code, and each respondent's sum and IKM worked out by formula.
    let mut s = String::from("No;Nama Unit;Tanggal;U1;U2;U3;U4;U5;U6;U7;U8;U9;Jumlah;Nilai IKM\n");
    for (i, r) in rs.iter().enumerate() {
        let sum: u32 = r.answers.iter().map(|&a| u32::from(a)).sum();
        let answers: Vec<String> = r.answers.iter().map(|a| a.to_string()).collect();
        s.push_str(&format!(
            "{};Kecamatan Bekasi Timur;{:02}/{:02}/{};{};{sum};{}\n",
            i + 1,
            r.date.day(),
            r.date.month(),
            r.date.year(),
            answers.join(";"),
            format!("{:.2}", f64::from(sum) / 9.0 * 25.0).replace('.', ",")
        ));
    }
    std::fs::write(inbox.join("Log SKM Kecamatan Bekasi Timur 2024.csv"), s).unwrap();
    read_as_expected(tmp.path(), &inbox, &rs);
}

/// The week's and the month's export of one English (US) form: the week's (1–9 October) has
/// no day over 12, so alone it would be read day first (dated January … September); the
/// month's shows month first. One form, one locale: the week's is read month first, says which
/// file showed it, and its responses are the month's (counted once, in TW4). Another unit's
/// copy of the form, day first and undecided, keeps its assumption. A rerun reuses both
/// readings from the cache and gives the same tables; `skm validate` says the same.
#[test]
fn a_weekly_us_export_without_a_day_over_12_takes_the_order_its_month_export_shows() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut month = responses(80, &["kecamatan-bekasi-timur"], 7);
    for (i, r) in month.iter_mut().enumerate() {
        let day = if i < 40 { 1 + i % 9 } else { 10 + i % 19 };
        r.date = NaiveDate::from_ymd_opt(2024, 10, day as u32).unwrap();
    }
    let week: Vec<Resp> = month[..40].to_vec();
    let (w, m) = (
        "SKM Kecamatan Bekasi Timur minggu 1 (Responses) - Form Responses 1.csv",
        "SKM Kecamatan Bekasi Timur Oktober (Responses) - Form Responses 1.csv",
    );
    std::fs::write(
        inbox.join(w),
        google_forms_csv(&week, "Timestamp", us_stamp),
    )
    .unwrap();
    std::fs::write(
        inbox.join(m),
        google_forms_csv(&month, "Timestamp", us_stamp),
    )
    .unwrap();
    // Another unit's copy, written day first (an English (UK) account), every date ambiguous.
    let mut medan = responses(30, &["kecamatan-medansatria"], 8);
    for (i, r) in medan.iter_mut().enumerate() {
        r.date = NaiveDate::from_ymd_opt(2024, 1 + (i % 9) as u32, 10 + (i % 3) as u32).unwrap();
    }
    let md = "SKM Kecamatan Medansatria (Responses) - Form Responses 1.csv";
    std::fs::write(
        inbox.join(md),
        google_forms_csv(&medan, "Timestamp", |r| {
            let (d, m) = (r.date.day(), r.date.month());
            let (h, mi, s) = r.hms;
            format!("{d:02}/{m:02}/{} {h:02}:{mi:02}:{s:02}", r.date.year())
        }),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let run = skm_run(&inbox, &out, &[], &[]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let counted: Vec<Resp> = month.iter().chain(&medan).cloned().collect();
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(&counted));
    let orders = date_orders(&out);
    assert_eq!(
        orders[w],
        (Some("bulan_hari".into()), Some("berkas_lain".into()))
    );
    assert_eq!(
        orders[m],
        (Some("bulan_hari".into()), Some("ditemukan".into()))
    );
    assert_eq!(
        orders[md],
        (Some("hari_bulan".into()), Some("diasumsikan".into()))
    );
    let f = read(&out.join("files.parquet"));
    let from: BTreeMap<String, Option<String>> = (f.str("source_file").into_iter())
        .zip(f.str("urutan_tanggal_dari"))
        .map(|(s, d)| (s.unwrap(), d))
        .collect();
    assert_eq!(from[w].as_deref(), Some(m));
    assert_eq!((from[m].as_deref(), from[md].as_deref()), (None, None));
    // The week's rows are the month's: 40 copies of a response counted once.
    let dup: i64 = (f.str("source_file").iter().zip(f.i64("duplikat")))
        .filter(|(s, _)| s.as_deref() != Some(md))
        .map(|(_, d)| d.unwrap())
        .sum();
    assert_eq!(dup, 40, "{:?}", f.rows_as_text());
    let silver = read_silver(&out, 2024);
    assert!(silver
        .str("periode")
        .iter()
        .zip(silver.str("unit_id"))
        .all(|(p, u)| {
            u.as_deref() != Some("kecamatan-bekasi-timur") || p.as_deref() == Some("TW4")
        }));
    // Both readings of the week's export are kept in the cache (an entry a file and one
    // more), so that a rerun reads nothing and gives the same tables.
    let cache = out.with_file_name(".out.cache");
    let entries = |c: &Path| {
        (std::fs::read_dir(c).unwrap())
            .filter(|e| e.as_ref().unwrap().path().is_dir())
            .count()
    };
    assert_eq!(entries(&cache), 4);
    let first = full_snapshot(&out);
    let again = skm_run(&inbox, &out, &["--json"], &[]);
    assert_eq!(again.status.code(), Some(0));
    let summary: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(
        (
            summary["files_read"].as_u64(),
            summary["files_reused"].as_u64()
        ),
        (Some(0), Some(3)),
        "{summary}"
    );
    assert_eq!(full_snapshot(&out), first);
    // `skm validate` of the week's export alone assumes; beside its inbox it says what a run
    // does, and that its responses are there.
    let week = inbox.join(w);
    let alone = crate::common::skm(&["validate", week.to_str().unwrap()], &[]);
    let alone = String::from_utf8_lossy(&alone.stdout);
    assert!(
        alone.contains("day first (13/01/2024 is 13 January): ASSUMED"),
        "{alone}"
    );
    let v = crate::common::skm(
        &[
            "validate",
            week.to_str().unwrap(),
            "--inbox",
            inbox.to_str().unwrap(),
        ],
        &[],
    );
    let text = String::from_utf8_lossy(&v.stdout);
    assert!(
        text.contains(&format!(
            "month first (1/13/2024 is 13 January): INFERRED, every date fits both orders and {}",
            inbox.join(m).display()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}: 40 of 40 responses already in the inbox",
            week.display()
        )),
        "{text}"
    );
}

/// Units' own copies of one form with a unit question (the same header): one unit's copy,
/// exported from an English (US) account, shows month first; another unit's, exported day
/// first with no day over 12, is not told by it and keeps its assumption.
#[test]
fn a_form_copied_by_two_units_settles_no_date_order_across_them() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut timur = responses(40, &["kecamatan-bekasi-timur"], 9);
    for (i, r) in timur.iter_mut().enumerate() {
        r.date = NaiveDate::from_ymd_opt(2024, 10, 1 + (i % 28) as u32).unwrap();
    }
    let mut medan = responses(30, &["kecamatan-medansatria"], 10);
    for (i, r) in medan.iter_mut().enumerate() {
        r.date = NaiveDate::from_ymd_opt(2024, 1 + (i % 9) as u32, 10 + (i % 3) as u32).unwrap();
    }
    let with_unit = |rs: &[Resp], stamp: &dyn Fn(&Resp) -> String| {
        let text = google_forms_csv(rs, "Timestamp", stamp);
        let mut lines = text.lines();
        let mut out = format!("{},Unit Layanan\n", lines.next().unwrap());
        for (line, r) in lines.zip(rs) {
            let name = match r.unit {
                "kecamatan-bekasi-timur" => "Kecamatan Bekasi Timur",
                _ => "Kecamatan Medansatria",
            };
            out.push_str(&format!("{line},{name}\n"));
        }
        out
    };
    let day_first = |r: &Resp| {
        let (h, mi, s) = r.hms;
        format!(
            "{:02}/{:02}/{} {h:02}:{mi:02}:{s:02}",
            r.date.day(),
            r.date.month(),
            r.date.year()
        )
    };
    let (a, b) = (
        "SKM (Responses) - Form Responses 1.csv",
        "SKM salinan (Responses).csv",
    );
    std::fs::write(inbox.join(a), with_unit(&timur, &us_stamp)).unwrap();
    std::fs::write(inbox.join(b), with_unit(&medan, &day_first)).unwrap();
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    let orders = date_orders(&out);
    assert_eq!(
        orders[a],
        (Some("bulan_hari".into()), Some("ditemukan".into()))
    );
    assert_eq!(
        orders[b],
        (Some("hari_bulan".into()), Some("diasumsikan".into()))
    );
    let all: Vec<Resp> = timur.iter().chain(&medan).cloned().collect();
    assert_filed(&out, &all);
    assert_eq!(unit_sources(&out)[b].as_deref(), Some("kolom"));
}

/// A form's response given at midnight exactly keeps its time of day (its identity): only a
/// sheet whose times are all midnight (a date-only log saved as CSV) has dates alone.
#[test]
fn a_response_at_midnight_in_a_form_export_keeps_its_time() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut rs = responses(20, &["kecamatan-medansatria"], 12);
    rs[5].hms = (0, 0, 0);
    let name = "SKM Kecamatan Medansatria (Jawaban) - Jawaban Formulir 1.csv";
    std::fs::write(
        inbox.join(name),
        google_forms_csv(&rs, "Stempel waktu", id_stamp),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    let silver = read_silver(&out, 2024);
    let (jam, kunci) = (silver.str("jam"), silver.str("kunci"));
    assert!(
        jam.iter().any(|j| j.as_deref() == Some("00:00:00")),
        "{jam:?}"
    );
    assert!(kunci.iter().all(Option::is_some));
}

/// A SurveyMonkey export: its questions on the first row, `Response` (or `Open-Ended
/// Response`) under each on the second, the respondent's metadata first (`Start Date`, `End
/// Date` as `10/15/2024 2:41:33 PM`). The second row is a header row, skipped: it was read as
/// a response and rejected with a dozen problems, so a clean export failed `skm validate`.
#[test]
fn a_surveymonkey_export_with_its_second_header_row_is_read_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut rs = responses(40, &["kecamatan-bekasi-timur"], 13);
    rs[0].date = NaiveDate::from_ymd_opt(2024, 10, 15).unwrap();
    let meta = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ];
    let mut first: Vec<String> = meta.iter().map(|m| m.to_string()).collect();
    first.extend(["Umur".to_string(), "Jenis Kelamin".to_string()]);
    first.extend(QUESTIONS.iter().map(|q| q.to_string()));
    first.push("Saran dan masukan".to_string());
    let mut second = vec![String::new(); meta.len()];
    second.extend(std::iter::repeat_n("Response".to_string(), 11));
    second.push("Open-Ended Response".to_string());
    let mut text = String::new();
    for row in [&first, &second] {
        let cells: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
        text.push_str(&(cells.join(",") + "\n"));
    }
    for (i, r) in rs.iter().enumerate() {
        let twelve = |r: &Resp| {
            let (h, m, s) = r.hms;
            let (h12, pm) = match h {
                0 => (12, "AM"),
                1..=11 => (h, "AM"),
                12 => (12, "PM"),
                _ => (h - 12, "PM"),
            };
            format!(
                "{}/{}/{} {h12}:{m:02}:{s:02} {pm}",
                r.date.month(),
                r.date.day(),
                r.date.year()
            )
        };
        let mut row = vec![
            (114_000_000 + i).to_string(),
            "431234567".to_string(),
            twelve(r),
            twelve(r),
            "36.68.1.2".to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            r.umur.to_string(),
            "Perempuan".to_string(),
        ];
        for (k, u) in UNSUR.iter().enumerate() {
            row.push(u.jawaban[r.answers[k] as usize - 1].to_string());
        }
        row.push("Pelayanan cepat, terima kasih".to_string());
        let cells: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
        text.push_str(&(cells.join(",") + "\n"));
    }
    let name = "SKM Kecamatan Bekasi Timur 2024.csv";
    std::fs::write(inbox.join(name), text).unwrap();
    let v = crate::common::skm(&["validate", inbox.join(name).to_str().unwrap()], &[]);
    let said = String::from_utf8_lossy(&v.stdout);
    assert_eq!(v.status.code(), Some(0), "{said}");
    assert!(
        said.contains("40 accepted, 0 rejected, 1 skipped"),
        "{said}"
    );
    read_as_expected(tmp.path(), &inbox, &rs);
}

/// A SurveyMonkey export of a form whose nine unsur are one grid question ("matrix"): the
/// first header row names the respondent's metadata, the profile questions and the grid once
/// (over its first column); the second names the grid's rows (the unsur) and puts `Response`
/// under every other question, or nothing at all when the form is the grid alone. `grid`
/// gives the grid's rows their labels, `profile` adds the profile questions.
fn surveymonkey_grid_csv(rs: &[Resp], profile: bool) -> String {
    let meta = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ];
    let mut first: Vec<String> = meta.iter().map(|m| m.to_string()).collect();
    let mut second = vec![String::new(); meta.len()];
    if profile {
        // (A question naming an unsur's word, `keluhan`, beside the grid's own row for it.)
        first.extend(
            [
                "Unit layanan",
                "Jenis kelamin",
                "Umur",
                "Apakah Anda pernah menyampaikan keluhan?",
                "",
            ]
            .map(String::from),
        );
        // (`Other (please specify)` under the blank beside its question.)
        second.extend(
            [
                "Response",
                "Response",
                "Open-Ended Response",
                "Response",
                "Other (please specify)",
            ]
            .map(String::from),
        );
    }
    first.push("Bagaimana penilaian Saudara atas pelayanan kami?".to_string());
    first.extend(std::iter::repeat_n(String::new(), 8));
    second.extend(UNSUR.iter().map(|u| u.nama.to_string()));
    let mut text = String::new();
    for row in [&first, &second] {
        let cells: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
        text.push_str(&(cells.join(",") + "\n"));
    }
    for (i, r) in rs.iter().enumerate() {
        let (h, m, s) = r.hms;
        let (h12, pm) = match h {
            0 => (12, "AM"),
            1..=11 => (h, "AM"),
            12 => (12, "PM"),
            _ => (h - 12, "PM"),
        };
        let d = r.date;
        let stamp = format!(
            "{}/{}/{} {h12}:{m:02}:{s:02} {pm}",
            d.month(),
            d.day(),
            d.year()
        );
        let mut row = vec![
            (114_000_000 + i).to_string(),
            "431234567".to_string(),
            stamp.clone(),
            stamp,
        ];
        row.extend(std::iter::repeat_n(String::new(), 5));
        if profile {
            row.extend([
                "Kecamatan Bekasi Timur".to_string(),
                "Laki-laki".to_string(),
                r.umur.to_string(),
                "Tidak".to_string(),
                String::new(),
            ]);
        }
        for (k, u) in UNSUR.iter().enumerate() {
            row.push(u.jawaban[r.answers[k] as usize - 1].to_string());
        }
        let cells: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
        text.push_str(&(cells.join(",") + "\n"));
    }
    text
}

/// SurveyMonkey's export of a grid question names the unsur on its second header row and the
/// survey's times (`Start Date`, `End Date`) and profile questions on the first: the two rows
/// are read together. The second row alone had been taken for the header: the times were not
/// read, so the responses had no identity, and a unit's weekly cumulative exports (each
/// holding the last one's responses again) were all counted; the profile was lost, and a
/// file without its period in its name was rejected whole. Here, with the form's profile and
/// as the grid alone, each exported twice (the first 25, then all 40 responses).
#[test]
fn a_surveymonkey_grid_export_reads_both_header_rows_and_counts_weekly_exports_once() {
    for profile in [true, false] {
        let tmp = tempfile::tempdir().unwrap();
        let inbox = tmp.path().join("inbox");
        std::fs::create_dir_all(&inbox).unwrap();
        let mut rs = responses(40, &["kecamatan-bekasi-timur"], 15);
        // (A day past 12 in both exports: the month-first order is found, not assumed.)
        rs[0].date = NaiveDate::from_ymd_opt(2024, 10, 15).unwrap();
        let unit_dir = inbox.join("kecamatan-bekasi-timur");
        std::fs::create_dir_all(&unit_dir).unwrap();
        let earlier = unit_dir.join("Survey Monkey export minggu 1.csv");
        std::fs::write(&earlier, surveymonkey_grid_csv(&rs[..25], profile)).unwrap();
        let later = unit_dir.join("Survey Monkey export minggu 2.csv");
        std::fs::write(&later, surveymonkey_grid_csv(&rs, profile)).unwrap();
        let v = crate::common::skm(&["validate", later.to_str().unwrap()], &[]);
        let said = String::from_utf8_lossy(&v.stdout);
        assert_eq!(v.status.code(), Some(0), "{said}");
        assert!(said.contains("40 accepted, 0 rejected"), "{said}");
        assert!(said.contains("'End Date' → stempel"), "{said}");
        let out = tmp.path().join("out");
        let s = run_inbox(&inbox, &out);
        assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
        assert_same_ikm(&gold_ikm(&out), &expected_ikm(&rs));
        let f = read(&out.join("files.parquet"));
        let dup: i64 = f.i64("duplikat").iter().map(|d| d.unwrap()).sum();
        assert_eq!(dup, 25, "{:?}", f.rows_as_text());
        let silver = read_silver(&out, 2024);
        assert!(silver.str("kunci").iter().all(Option::is_some));
        if profile {
            // (Silver holds both exports' rows; the later one's are every response.)
            let files = silver.str("source_file");
            let umur = silver.i64("umur");
            let mut got: Vec<i64> = (umur.iter().zip(&files))
                .filter(|(_, f)| f.as_deref().is_some_and(|f| f.ends_with("minggu 2.csv")))
                .map(|(u, _)| u.unwrap())
                .collect();
            let mut want: Vec<i64> = rs.iter().map(|r| i64::from(r.umur)).collect();
            got.sort();
            want.sort();
            assert_eq!(got, want);
        }
    }
}

/// A questionnaire with its own `Tanggapan` column (the respondent's comment) below a title row
/// of two cells naming the unit and the period: the header is that row alone, and the unit is
/// the title's. Reading SurveyMonkey's two header rows together had taken `Tanggapan` for its
/// `Response` row and the title for the header's first row: the unit came from the folder
/// (another unit's), or, outside a unit's folder, every row was rejected.
#[test]
fn a_tanggapan_column_below_a_title_row_is_no_second_header_row() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let folder = inbox.join("kecamatan-medansatria");
    std::fs::create_dir_all(&folder).unwrap();
    let mut rs = responses(12, &["kecamatan-bekasi-timur"], 17);
    for (i, r) in rs.iter_mut().enumerate() {
        r.date = NaiveDate::from_ymd_opt(2024, 10, 1 + i as u32).unwrap();
    }
    let mut text = String::from("Unit Layanan: Kecamatan Bekasi Timur;Periode: Triwulan IV 2024\n");
    text.push_str("No;Tanggal;Umur;U1;U2;U3;U4;U5;U6;U7;U8;U9;Tanggapan\n");
    for (i, r) in rs.iter().enumerate() {
        let answers: Vec<String> = r.answers.iter().map(u8::to_string).collect();
        text.push_str(&format!(
            "{};{};{};{};Pelayanan baik\n",
            i + 1,
            r.date.format("%d/%m/%Y"),
            r.umur,
            answers.join(";")
        ));
    }
    std::fs::write(folder.join("skm_tw4.csv"), text).unwrap();
    read_as_expected(tmp.path(), &inbox, &rs);
}

/// A unit's Excel log with a header of two levels: `No`, `Tanggal` merged down over both rows,
/// group labels (`DATA RESPONDEN`, `UNSUR PELAYANAN`, `SARAN DAN TANGGAPAN`) merged across over
/// the second row's headings. The header is the two rows read together: the second row alone
/// had no date column, and every row was rejected (the period unknown).
#[test]
fn a_two_level_header_with_cells_merged_down_reads_both_rows() {
    use rust_xlsxwriter::{Format, Workbook};
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let folder = inbox.join("kecamatan-bekasi-timur");
    std::fs::create_dir_all(&folder).unwrap();
    let rs = responses(20, &["kecamatan-bekasi-timur"], 18);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let (f, date) = (Format::new(), Format::new().set_num_format("dd/mm/yyyy"));
    ws.merge_range(0, 0, 1, 0, "No", &f).unwrap();
    ws.merge_range(0, 1, 1, 1, "Tanggal", &f).unwrap();
    ws.merge_range(0, 2, 0, 3, "DATA RESPONDEN", &f).unwrap();
    ws.merge_range(0, 4, 0, 12, "UNSUR PELAYANAN", &f).unwrap();
    ws.merge_range(0, 13, 0, 14, "SARAN DAN TANGGAPAN", &f)
        .unwrap();
    let second = ["Jenis Kelamin", "Umur"].into_iter().map(String::from);
    let second = second.chain((1..=9).map(|k| format!("U{k}")));
    for (c, h) in second
        .chain(["Saran", "Tanggapan"].map(String::from))
        .enumerate()
    {
        ws.write(1, 2 + c as u16, h).unwrap();
    }
    for (i, r) in rs.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write(row, 0, i as u32 + 1).unwrap();
        ws.write_number_with_format(row, 1, excel_serial(r.date, (0, 0, 0)), &date)
            .unwrap();
        ws.write(row, 2, "P").unwrap();
        ws.write(row, 3, r.umur).unwrap();
        for (k, a) in r.answers.iter().enumerate() {
            ws.write(row, 4 + k as u16, *a).unwrap();
        }
        ws.write(row, 13, "baik").unwrap();
        ws.write(row, 14, "baik").unwrap();
    }
    wb.save(folder.join("SKM 2024.xlsx")).unwrap();
    read_as_expected(tmp.path(), &inbox, &rs);
}

/// Two questions on each unsur headed in other words (`Tingkat Kepentingan – X` beside
/// `Tingkat Kepuasan – X`, an importance-satisfaction survey) are not the sections of a form:
/// the sheet is refused as before (`kolom_ganda`), not read by its rows that answer one alike.
#[test]
fn an_unsur_asked_twice_in_other_words_is_no_section_form() {
    let tmp = tempfile::tempdir().unwrap();
    let rs = responses(10, &["kecamatan-bekasi-timur"], 19);
    let mut header = vec!["Tanggal".to_string()];
    for kind in ["Tingkat Kepentingan", "Tingkat Kepuasan"] {
        header.extend(UNSUR.iter().map(|u| format!("{kind} - {}", u.nama)));
    }
    let mut text = header.join(";") + "\n";
    for r in &rs {
        let answers: Vec<String> = r.answers.iter().map(u8::to_string).collect();
        text.push_str(&format!(
            "{};{};{}\n",
            r.date.format("%d/%m/%Y"),
            ["4"; 9].join(";"),
            answers.join(";")
        ));
    }
    let file = tmp.path().join("SKM IPA Kecamatan Bekasi Timur 2024.csv");
    std::fs::write(&file, text).unwrap();
    let v = crate::common::skm(&["validate", file.to_str().unwrap()], &[]);
    let said = String::from_utf8_lossy(&v.stdout);
    assert!(
        said.contains("0 accepted") && said.contains("kolom_ganda"),
        "{said}"
    );
}

/// A unit's log that types the questionnaire's option letters (`a` Tidak sesuai … `d` Sangat
/// sesuai, as the regulation's form lists them) is read as 1–4, and validate names the
/// inference; every row had been rejected. A log of `SB`/`B`/`C`/`K` (Sangat baik, Baik,
/// Cukup, Kurang: `B` and `C` the other way round) is not read as letters.
#[test]
fn option_letters_a_to_d_are_read_as_the_regulations_form_lists_them() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let folder = inbox.join("kecamatan-bekasi-timur");
    std::fs::create_dir_all(&folder).unwrap();
    let rs = responses(24, &["kecamatan-bekasi-timur"], 20);
    let write = |name: &str, answer: &dyn Fn(u8) -> &'static str| {
        let mut text = String::from("No;Tanggal;Umur;U1;U2;U3;U4;U5;U6;U7;U8;U9\n");
        for (i, r) in rs.iter().enumerate() {
            let answers: Vec<&str> = r.answers.iter().map(|a| answer(*a)).collect();
            text.push_str(&format!(
                "{};{};{};{}\n",
                i + 1,
                r.date.format("%d/%m/%Y"),
                r.umur,
                answers.join(";")
            ));
        }
        std::fs::write(folder.join(name), text).unwrap();
        folder.join(name)
    };
    let letters = write("skm_huruf.csv", &|a| ["a", "b", "c", "d"][a as usize - 1]);
    let v = crate::common::skm(&["validate", letters.to_str().unwrap()], &[]);
    let said = String::from_utf8_lossy(&v.stdout);
    assert!(said.contains("24 accepted, 0 rejected"), "{said}");
    assert!(said.contains("option letters"), "{said}");
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(&rs));
    let f = read(&out.join("files.parquet"));
    assert_eq!(
        f.str("jawaban_dibaca_sebagai"),
        [Some("huruf_a_d".to_string())]
    );
    // Abbreviations of a scale's words: not letters a–d, so not read as them (they are read as
    // the abbreviations they are: a_log_typing_a_scales_abbreviations_…).
    std::fs::remove_file(&letters).unwrap();
    let words = write("skm_singkat.csv", &|a| {
        ["K", "C", "B", "SB"][a as usize - 1]
    });
    let v = crate::common::skm(&["validate", words.to_str().unwrap()], &[]);
    let said = String::from_utf8_lossy(&v.stdout);
    assert!(!said.contains("option letters"), "{said}");
    assert!(said.contains("read as abbreviations"), "{said}");
}

/// A city-wide Google Form that asks the unit first and then goes to that unit's section:
/// the nine questions are asked once a section, in columns headed alike, and each response
/// answers its unit's copy (the others blank). The sheet had been refused whole ("two columns
/// mean persyaratan"). A row answering two copies differently is rejected naming both columns.
#[test]
fn a_form_with_a_section_for_each_unit_reads_each_responses_answered_section() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let units = [
        ("kecamatan-bekasi-timur", "Kecamatan Bekasi Timur"),
        ("kecamatan-medansatria", "Kecamatan Medansatria"),
        ("kecamatan-rawalumbu", "Kecamatan Rawalumbu"),
    ];
    let ids: Vec<&'static str> = units.iter().map(|u| u.0).collect();
    let rs = responses(45, &ids, 16);
    let mut header = vec![
        "Timestamp".to_string(),
        "Unit layanan yang Anda kunjungi".to_string(),
        "Umur".to_string(),
    ];
    for _ in &units {
        header.extend(QUESTIONS.iter().map(|q| q.to_string()));
    }
    let mut text = String::new();
    let line = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        cells.join(",") + "\n"
    };
    text.push_str(&line(&header));
    for r in &rs {
        let section = units.iter().position(|u| u.0 == r.unit).unwrap();
        let mut row = vec![
            us_stamp(r),
            units[section].1.to_string(),
            r.umur.to_string(),
        ];
        for s in 0..units.len() {
            for (k, u) in UNSUR.iter().enumerate() {
                row.push(match s == section {
                    true => u.jawaban[r.answers[k] as usize - 1].to_string(),
                    false => String::new(),
                });
            }
        }
        text.push_str(&line(&row));
    }
    // A row typed in by hand into two sections, answering persyaratan differently.
    let mut both = vec![
        "10/20/2024 10:11:12".to_string(),
        units[0].1.to_string(),
        "40".to_string(),
    ];
    for s in 0..units.len() {
        for (k, u) in UNSUR.iter().enumerate() {
            both.push(match (s, k) {
                (0, _) | (1, 0) => u.jawaban[2 + usize::from(s == 1)].to_string(),
                _ => String::new(),
            });
        }
    }
    text.push_str(&line(&both));
    // And one answering U1–U5 in the first section and U6–U9 in the second.
    let mut split = vec![
        "10/21/2024 10:11:12".to_string(),
        units[0].1.to_string(),
        "41".to_string(),
    ];
    for s in 0..units.len() {
        for (k, u) in UNSUR.iter().enumerate() {
            split.push(match (s, k < 5) {
                (0, true) | (1, false) => u.jawaban[2].to_string(),
                _ => String::new(),
            });
        }
    }
    text.push_str(&line(&split));
    let name = "SKM Kota Bekasi (Responses) - Form Responses 1.csv";
    std::fs::write(inbox.join(name), text).unwrap();
    let v = crate::common::skm(&["validate", inbox.join(name).to_str().unwrap()], &[]);
    let said = String::from_utf8_lossy(&v.stdout);
    assert!(said.contains("45 accepted, 2 rejected"), "{said}");
    assert!(said.contains("asked 3 times"), "{said}");
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 2, "{:?}", rejects(&out));
    let r = rejects(&out);
    assert_eq!((r[0].1, r[1].1), (Some(47), Some(48)), "{r:?}");
    for r in &r {
        assert_eq!(r.2, "jawaban_bertentangan", "{r:?}");
        assert!(r.3.contains("dua bagian"), "{r:?}");
    }
    assert_filed(&out, &rs);
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(&rs));
}

/// A KoboToolbox export (`;`-separated, its `_submission_time` in UTC with no zone written,
/// its `_id`, `_uuid`, `_index` beside) and an ODK Central one (`SubmissionDate` ending in
/// `Z`): each time is moved to WIB before it files the response. A response given on 1 October
/// at 06:15 WIB was filed on 30 September, in TW3; one given on 1 January 2025 at 05:30 WIB in
/// 2024.
#[test]
fn submission_times_in_utc_are_moved_to_the_units_zone() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut rs = responses(6, &["kecamatan-bekasi-timur"], 14);
    // (WIB date, time) of each response.
    let wib = [
        ((2024, 10, 1), (6, 15, 2)),
        ((2024, 10, 1), (6, 40, 0)),
        ((2025, 1, 1), (5, 30, 0)),
        ((2024, 10, 15), (10, 0, 0)),
        ((2024, 7, 1), (0, 5, 0)),
        ((2024, 11, 20), (14, 1, 9)),
    ];
    for (r, ((y, m, d), hms)) in rs.iter_mut().zip(wib) {
        r.date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        r.hms = hms;
    }
    let utc = |r: &Resp| {
        let at =
            r.date.and_hms_opt(r.hms.0, r.hms.1, r.hms.2).unwrap() - chrono::Duration::hours(7);
        at.format("%Y-%m-%dT%H:%M:%S").to_string()
    };
    // KoboToolbox: labels, `;`, every field quoted, metadata after the questions; a form
    // without the `start` and `end` metadata (with them, `end` is read: a_questionnaire_filled_offline_on_a_tablet_…).
    let mut kobo = String::new();
    let mut head: Vec<String> = vec!["Umur".into(), "Jenis Kelamin".into()];
    head.extend(QUESTIONS.iter().map(|q| q.to_string()));
    head.extend(
        [
            "_id",
            "_uuid",
            "_submission_time",
            "_validation_status",
            "_index",
        ]
        .map(String::from),
    );
    let quoted = |v: &[String]| {
        v.iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(";")
    };
    kobo.push_str(&(quoted(&head) + "\n"));
    for (i, r) in rs.iter().enumerate() {
        let mut row = vec![r.umur.to_string(), "Laki-laki".to_string()];
        for (k, u) in UNSUR.iter().enumerate() {
            row.push(u.jawaban[r.answers[k] as usize - 1].to_string());
        }
        row.extend([
            (1000 + i).to_string(),
            format!("0b1c2d3e-{i:04}"),
            utc(r),
            String::new(),
            (i + 1).to_string(),
        ]);
        kobo.push_str(&(quoted(&row) + "\n"));
    }
    let k = "SKM_Kec_Bekasi_Timur_-_all_versions_-_labels_-_2025-01-02-03-11-22.csv";
    std::fs::write(inbox.join(k), kobo).unwrap();
    // ODK Central: `SubmissionDate` in UTC with `Z`.
    let mut medan = rs.clone();
    for r in &mut medan {
        r.unit = "kecamatan-medansatria";
    }
    let mut odk = String::from("SubmissionDate,Umur,Jenis Kelamin");
    for q in QUESTIONS {
        odk.push_str(&format!(",{}", csv_field(q)));
    }
    odk.push_str(",KEY\n");
    for (i, r) in medan.iter().enumerate() {
        odk.push_str(&format!("{}.000Z,{},Perempuan", utc(r), r.umur));
        for (k, u) in UNSUR.iter().enumerate() {
            odk.push_str(&format!(",{}", u.jawaban[r.answers[k] as usize - 1]));
        }
        odk.push_str(&format!(",uuid:{i}\n"));
    }
    let o = "SKM Kecamatan Medansatria ODK.csv";
    std::fs::write(inbox.join(o), odk).unwrap();
    // Google Forms writes the account's own time: nothing is moved.
    let mut jatiasih = rs.clone();
    for r in &mut jatiasih {
        r.unit = "kecamatan-jatiasih";
    }
    let g = "SKM Kecamatan Jatiasih (Responses) - Form Responses 1.csv";
    let forms = google_forms_csv(&jatiasih, "Timestamp", id_stamp);
    std::fs::write(inbox.join(g), forms).unwrap();
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    // files.parquet says which sheets had their times moved, and from where.
    let f = read(&out.join("files.parquet"));
    let (file, zone) = (f.str("source_file"), f.str("zona_waktu_asal"));
    let zones: BTreeMap<String, Option<String>> = (0..f.len())
        .map(|i| (file[i].clone().unwrap(), zone[i].clone()))
        .collect();
    let moved = Some("UTC".to_string());
    let want = BTreeMap::from([
        (k.into(), moved.clone()),
        (o.into(), moved),
        (g.into(), None),
    ]);
    assert_eq!(zones, want);
    // And skm validate says so, for the moved file only.
    let v = crate::common::skm(&["validate", inbox.join(k).to_str().unwrap()], &[]);
    let text = String::from_utf8_lossy(&v.stdout);
    assert!(
        text.contains("times: MOVED from UTC") && text.contains("(Asia/Jakarta)"),
        "{text}"
    );
    let v = crate::common::skm(&["validate", inbox.join(g).to_str().unwrap()], &[]);
    let text = String::from_utf8_lossy(&v.stdout);
    assert!(!text.contains("times: MOVED"), "{text}");
    let all: Vec<Resp> = rs.iter().chain(&medan).chain(&jatiasih).cloned().collect();
    for y in [2024, 2025] {
        let want: Vec<Resp> = all.iter().filter(|r| r.date.year() == y).cloned().collect();
        let s = read_silver(&out, y);
        let mut got: Vec<(String, String, String, String)> = (0..s.len())
            .map(|i| {
                (
                    s.str("unit_id")[i].clone().unwrap(),
                    s.str("tanggal")[i].clone().unwrap(),
                    s.str("periode")[i].clone().unwrap(),
                    s.str("jam")[i].clone().unwrap(),
                )
            })
            .collect();
        let mut want: Vec<(String, String, String, String)> = want
            .iter()
            .map(|r| {
                let (h, m, sec) = r.hms;
                (
                    r.unit.to_string(),
                    r.date.to_string(),
                    quarter(r.date),
                    format!("{h:02}:{m:02}:{sec:02}"),
                )
            })
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{y}");
    }
}

/// A weekly export from an English (US) account, 1–9 October (no day over 12), its file named
/// with the quarter: only month first puts its dates in TW4, so it is read month first
/// (`periode_judul`, an inference `skm validate` names), not day first into January–September.
#[test]
fn the_period_in_a_file_name_decides_dates_that_fit_both_orders() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut rs = responses(30, &["kecamatan-bekasi-timur"], 15);
    for (i, r) in rs.iter_mut().enumerate() {
        r.date = NaiveDate::from_ymd_opt(2024, 10, 1 + (i % 9) as u32).unwrap();
    }
    let name = "SKM Kecamatan Bekasi Timur TW4 2024 (Responses).csv";
    std::fs::write(
        inbox.join(name),
        google_forms_csv(&rs, "Timestamp", us_stamp),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    assert_filed(&out, &rs);
    assert_eq!(
        date_orders(&out)[name],
        (Some("bulan_hari".into()), Some("periode_judul".into()))
    );
    let v = crate::common::skm(&["validate", inbox.join(name).to_str().unwrap()], &[]);
    let said = String::from_utf8_lossy(&v.stdout);
    assert!(
        said.contains("month first (1/13/2024 is 13 January): INFERRED"),
        "{said}"
    );
}

/// LimeSurvey's CSV export of "all responses" (its question codes as headings, every field
/// quoted, a BOM): the incomplete responses (the respondent left before the last page's
/// submit; `submitdate` empty, whatever they answered) are rejected as what they are, one line
/// each, not as rows whose period is unknown; the complete ones in the same file are read.
#[test]
fn limesurvey_incomplete_responses_are_rejected_as_not_submitted() {
    // Headings as question codes, then as LimeSurvey's "full question text".
    let codes = [
        "id",
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "startdate",
        "datestamp",
    ];
    let texts = [
        "Response ID",
        "Date submitted",
        "Last page",
        "Start language",
        "Seed",
        "Date started",
        "Date last action",
    ];
    let unsur: Vec<String> = (1..=9).map(|k| format!("U{k}")).collect();
    limesurvey_export(&codes, &unsur, "submitdate");
    let questions: Vec<String> = QUESTIONS.iter().map(|q| q.to_string()).collect();
    limesurvey_export(&texts, &questions, "Date submitted");
}

fn limesurvey_export(meta: &[&str], questions: &[String], submitdate: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("inbox").join("Kecamatan Bekasi Timur");
    std::fs::create_dir_all(&folder).unwrap();
    let rs = responses(9, &["kecamatan-bekasi-timur"], 23);
    let quoted = |v: &[String]| {
        let v: Vec<String> = v
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect();
        v.join(",") + "\r\n"
    };
    let mut head: Vec<String> = meta.iter().map(|h| h.to_string()).collect();
    head.push("Umur".into());
    head.extend(questions.iter().cloned());
    let mut csv = String::from("\u{feff}") + &quoted(&head);
    // Rows 2-7 complete; 8: left on page 1 (U1-U4 answered); 9: opened only; 10: every
    // answer given, the last page never submitted.
    let answered = [9, 9, 9, 9, 9, 9, 4, 0, 9];
    for (i, (r, n)) in rs.iter().zip(answered).enumerate() {
        let at = r.date.and_hms_opt(r.hms.0, r.hms.1, r.hms.2).unwrap();
        let stamp = |m: i64| (at + chrono::Duration::minutes(m)).format("%Y-%m-%d %H:%M:%S");
        let complete = i < 6;
        let mut row = vec![
            (i + 1).to_string(),
            if complete {
                stamp(0).to_string()
            } else {
                String::new()
            },
            (if complete {
                "3"
            } else if n == 0 {
                ""
            } else {
                "2"
            })
            .to_string(),
            "id".to_string(),
            format!("{}", 1_048_576 + i * 7919),
            stamp(-6).to_string(),
            stamp(0).to_string(),
            if n == 0 {
                String::new()
            } else {
                r.umur.to_string()
            },
        ];
        for (k, u) in UNSUR.iter().enumerate() {
            row.push(match k < n {
                true => u.jawaban[r.answers[k] as usize - 1].to_string(),
                false => String::new(),
            });
        }
        csv.push_str(&quoted(&row));
    }
    std::fs::write(folder.join("results-survey845312.csv"), csv).unwrap();
    let out = tmp.path().join("out");
    run_inbox(&tmp.path().join("inbox"), &out);
    let got: Vec<(Option<i64>, String)> = rejects(&out)
        .into_iter()
        .map(|(_, row, kode, _)| (row, kode))
        .collect();
    let not_sent = "respons_tidak_selesai".to_string();
    let want = vec![
        (Some(8), not_sent.clone()),
        (Some(9), not_sent.clone()),
        (Some(10), not_sent),
    ];
    assert_eq!(got, want, "{:?}", rejects(&out));
    let f = read(&out.join("files.parquet"));
    assert_eq!(
        (
            f.i64("diterima")[0],
            f.i64("ditolak")[0],
            f.i64("dilewati")[0]
        ),
        (Some(6), Some(3), Some(0))
    );
    assert_filed(&out, &rs[..6]);
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(&rs[..6]));
    let said = &rejects(&out)[0].3;
    assert!(said.contains(&format!("kolom '{submitdate}'")), "{said}");
}

/// The sums and means a unit's Excel recap writes under its responses (per unsur, in
/// `UNSUR`'s order), and its IKM.
fn recap_footer(rs: &[Resp]) -> ([u64; 9], [f64; 9], f64) {
    let mut sums = [0u64; 9];
    for r in rs {
        for (s, a) in sums.iter_mut().zip(r.answers) {
            *s += a as u64;
        }
    }
    let means = sums.map(|s| s as f64 / rs.len() as f64);
    (sums, means, means.iter().sum::<f64>() / 9.0 * 25.0)
}

/// A unit's recap sent as questionnaire: the footer its Excel writes under the responses, its
/// label under the respondent's name (a `;` CSV as Excel in an Indonesian locale saves it) or
/// under the date (a workbook), outside the columns where the regulation's template puts it.
/// The footer's rows are skipped and counted (`dilewati`), not rejected row by row; respondents
/// whose names begin with a footer's word (`Total Wijaya`, `Rata Dewi`, `Nilai Sari`) are read
/// as responses, rejected for what is wrong in them.
#[test]
fn a_recap_footer_under_the_name_or_date_column_is_skipped_and_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let timur = responses(12, &["kecamatan-bekasi-timur"], 31);
    let comma = |v: f64, d: usize| format!("{v:.d$}").replace('.', ",");
    let mut csv = String::from("No;Nama Responden;Tanggal;Jenis Kelamin;Umur");
    for k in 1..=9 {
        csv.push_str(&format!(";U{k}"));
    }
    csv.push_str("\r\n");
    let line = |cells: Vec<String>| cells.join(";") + "\r\n";
    for (i, r) in timur.iter().enumerate() {
        let mut c = vec![
            (i + 1).to_string(),
            format!("Responden {}", i + 1),
            r.date.format("%d/%m/%Y").to_string(),
            "P".into(),
            r.umur.to_string(),
        ];
        c.extend(r.answers.iter().map(|a| a.to_string()));
        csv.push_str(&line(c));
    }
    // Two respondents named like a footer: a 5 typed (with a date), no date at all (and U9
    // unanswered): each rejected for it, not skipped.
    let mut c: Vec<String> = ["13", "Total Wijaya", "02/08/2024", "L", "41"]
        .map(String::from)
        .to_vec();
    c.extend(["3", "3", "4", "3", "3", "3", "4", "3", "5"].map(String::from));
    csv.push_str(&line(c));
    let mut c: Vec<String> = ["14", "Rata Dewi", "", "", "30"].map(String::from).to_vec();
    c.extend(["3", "3", "4", "3", "3", "3", "4", "3", ""].map(String::from));
    csv.push_str(&line(c));
    let (sums, means, ikm) = recap_footer(&timur);
    let blank = || vec![String::new(); 3];
    let mut jumlah = vec![String::new(), "Jumlah".to_string()];
    jumlah.extend(
        blank()
            .into_iter()
            .chain(sums.iter().map(|s| s.to_string())),
    );
    let mut rata = vec![String::new(), "Rata-rata".to_string()];
    rata.extend(
        blank()
            .into_iter()
            .chain(means.iter().map(|m| comma(*m, 2))),
    );
    let mut nilai = vec![String::new(), "IKM".to_string()];
    nilai.extend(blank().into_iter().chain([comma(ikm, 2)]));
    for c in [jumlah, rata, nilai] {
        csv.push_str(&line(c));
    }
    let t = "SKM Kecamatan Bekasi Timur 2024.csv";
    std::fs::write(inbox.join(t), csv).unwrap();

    // The workbook: its date first, the footer's label under it.
    let jatiasih = responses(12, &["kecamatan-jatiasih"], 32);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let mut head = vec!["Tanggal".to_string(), "Nama".into(), "Umur".into()];
    head.extend((1..=9).map(|k| format!("U{k}")));
    for (c, h) in head.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    let at = |d: NaiveDate| excel_serial(d, (0, 0, 0));
    for (i, r) in jatiasih.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_number_with_format(row, 0, at(r.date), &date)
            .unwrap();
        ws.write_string(row, 1, format!("Responden {}", i + 1))
            .unwrap();
        ws.write_number(row, 2, r.umur as f64).unwrap();
        for (k, a) in r.answers.iter().enumerate() {
            ws.write_number(row, 3 + k as u16, *a as f64).unwrap();
        }
    }
    // `Nilai Sari`, dated, a 5 typed: rejected.
    let sari = 13;
    ws.write_number_with_format(sari, 0, at(jatiasih[0].date), &date)
        .unwrap();
    ws.write_string(sari, 1, "Nilai Sari").unwrap();
    for k in 0..9 {
        ws.write_number(sari, 3 + k, if k == 4 { 5.0 } else { 3.0 })
            .unwrap();
    }
    let (sums, means, ikm) = recap_footer(&jatiasih);
    let footer: [(&str, Vec<f64>); 4] = [
        ("Jumlah", sums.iter().map(|s| *s as f64).collect()),
        ("Rata-rata", means.to_vec()),
        ("NRR Tertimbang", means.iter().map(|m| m * 0.111).collect()),
        // (One point over its responses' IKM: the audit names it.)
        ("IKM Unit Pelayanan", vec![ikm + 1.0]),
    ];
    for (i, (label, values)) in footer.iter().enumerate() {
        let row = 14 + i as u32;
        ws.write_string(row, 0, *label).unwrap();
        for (k, v) in values.iter().enumerate() {
            ws.write_number(row, 3 + k as u16, *v).unwrap();
        }
    }
    let x = "SKM Kecamatan Jatiasih 2024.xlsx";
    wb.save(inbox.join(x)).unwrap();

    let out = tmp.path().join("out");
    run_inbox(&inbox, &out);
    let f = read(&out.join("files.parquet"));
    let (file, dibaca, diterima, ditolak, dilewati) = (
        f.str("source_file"),
        f.i64("baris_dibaca"),
        f.i64("diterima"),
        f.i64("ditolak"),
        f.i64("dilewati"),
    );
    let got: BTreeMap<String, [Option<i64>; 4]> = (0..f.len())
        .map(|i| {
            let counts = [dibaca[i], diterima[i], ditolak[i], dilewati[i]];
            (file[i].clone().unwrap(), counts)
        })
        .collect();
    let want = BTreeMap::from([
        (t.to_string(), [14, 12, 2, 3].map(Some)),
        (x.to_string(), [13, 12, 1, 4].map(Some)),
    ]);
    assert_eq!(got, want, "{:?}", rejects(&out));
    let rows: Vec<(String, Option<i64>, String)> = rejects(&out)
        .into_iter()
        .map(|(f, row, kode, _)| (f, row, kode))
        .collect();
    let want = vec![
        (t.to_string(), Some(14), "jawaban_di_luar_skala".to_string()),
        (
            t.to_string(),
            Some(15),
            "periode_tidak_diketahui".to_string(),
        ),
        (x.to_string(), Some(14), "jawaban_di_luar_skala".to_string()),
    ];
    assert_eq!(rows, want);
    // The footers are audited against the responses above them: the workbook's IKM, one
    // point over, is the one finding.
    let audited: Vec<(String, Option<i64>)> = audit_rows(&out)
        .into_iter()
        .map(|(f, row, _, _)| (f, row))
        .collect();
    assert_eq!(
        audited,
        vec![(x.to_string(), Some(18))],
        "{:?}",
        audit_rows(&out)
    );
    let all: Vec<Resp> = timur.iter().chain(&jatiasih).cloned().collect();
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(&all));
}

/// A KoboToolbox or ODK questionnaire filled offline on a tablet, as enumerators collect in the
/// field: its `start` and `end` are the device's times (with their zone), and it reaches the
/// server days later (`_submission_time`, ODK Central's `SubmissionDate`, in UTC; SurveyCTO's
/// `starttime`, `endtime` and `SubmissionDate`, in the server's zone). Filled on 26–30 September
/// and sent on 2–6 October, it is TW3's: every response is filed by its end, never by its
/// upload.
#[test]
fn a_questionnaire_filled_offline_on_a_tablet_is_filed_by_its_end_not_by_its_upload() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut timur = responses(40, &["kecamatan-bekasi-timur"], 31);
    for (i, r) in timur.iter_mut().enumerate() {
        r.date = NaiveDate::from_ymd_opt(2024, 9, 26 + (i % 5) as u32).unwrap();
    }
    let device = |r: &Resp, minus: i64| {
        let at = r.date.and_hms_opt(r.hms.0, r.hms.1, r.hms.2).unwrap();
        (at - chrono::Duration::minutes(minus))
            .format("%Y-%m-%dT%H:%M:%S%.3f+07:00")
            .to_string()
    };
    // Sent 6 days later, as UTC (`2024-10-02T03:41:33`): the server's clock.
    let sent = |r: &Resp| {
        let at = r.date.and_hms_opt(r.hms.0, r.hms.1, r.hms.2).unwrap();
        at + chrono::Duration::days(6) - chrono::Duration::hours(7)
    };
    // KoboToolbox: XML names (`group_xy/u1`), `;`, every field quoted, metadata around.
    let quoted = |v: &[String]| {
        v.iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(";")
    };
    let mut head: Vec<String> = ["start", "end", "today", "deviceid", "group_profil/umur"]
        .map(String::from)
        .to_vec();
    head.extend((1..=9).map(|k| format!("group_xy/u{k}")));
    head.extend(["_id", "_uuid", "_submission_time", "_status", "_index"].map(String::from));
    let mut kobo = quoted(&head) + "\n";
    for (i, r) in timur.iter().enumerate() {
        let mut row = vec![
            device(r, 4),
            device(r, 0),
            r.date.to_string(),
            "collect:Xy12".to_string(),
            r.umur.to_string(),
        ];
        row.extend(r.answers.iter().map(|a| a.to_string()));
        row.extend([
            (1000 + i).to_string(),
            format!("0b1c2d3e-{i:04}"),
            sent(r).format("%Y-%m-%dT%H:%M:%S").to_string(),
            "submitted_via_web".to_string(),
            (i + 1).to_string(),
        ]);
        kobo.push_str(&(quoted(&row) + "\n"));
    }
    let k = "SKM_Kec_Bekasi_Timur_-_all_versions_-_False_-_2024-10-05-03-11-22.csv";
    std::fs::write(inbox.join(k), kobo).unwrap();
    // ODK Central: `SubmissionDate` first, with `Z`; its groups joined by `-`.
    let mut medan = timur.clone();
    for r in &mut medan {
        r.unit = "kecamatan-medansatria";
    }
    let mut odk = String::from("SubmissionDate,start,end,today,deviceid");
    for k in 1..=9 {
        odk.push_str(&format!(",grp_unsur-u{k}"));
    }
    odk.push_str(",meta-instanceID,KEY,SubmitterName,ReviewState\n");
    for (i, r) in medan.iter().enumerate() {
        odk.push_str(&format!(
            "{}.000Z,{},{},{},collect:Ab34",
            sent(r).format("%Y-%m-%dT%H:%M:%S"),
            device(r, 4),
            device(r, 0),
            r.date
        ));
        for a in r.answers {
            odk.push_str(&format!(",{a}"));
        }
        odk.push_str(&format!(",uuid:{i},uuid:{i},enum1,\n"));
    }
    let o = "SKM Kecamatan Medansatria.csv";
    std::fs::write(inbox.join(o), odk).unwrap();
    // SurveyCTO: `SubmissionDate`, `starttime`, `endtime` as `Sep 30, 2024 2:41:33 PM`.
    let mut jatiasih = timur.clone();
    for r in &mut jatiasih {
        r.unit = "kecamatan-jatiasih";
    }
    let java = |at: chrono::NaiveDateTime| at.format("%b %-d, %Y %-I:%M:%S %p").to_string();
    let mut cto = String::from("SubmissionDate,starttime,endtime,deviceid,duration");
    for k in 1..=9 {
        cto.push_str(&format!(",u{k}"));
    }
    cto.push_str(",instanceID,KEY\n");
    for (i, r) in jatiasih.iter().enumerate() {
        let at = r.date.and_hms_opt(r.hms.0, r.hms.1, r.hms.2).unwrap();
        let fields = [
            java(sent(r) + chrono::Duration::hours(7)),
            java(at - chrono::Duration::minutes(4)),
            java(at),
        ];
        cto.push_str(&format!("\"{}\",collect:Cd56,240", fields.join("\",\"")));
        for a in r.answers {
            cto.push_str(&format!(",{a}"));
        }
        cto.push_str(&format!(",uuid:{i},uuid:{i}\n"));
    }
    let c = "SKM Kecamatan Jatiasih_WIDE.csv";
    std::fs::write(inbox.join(c), cto).unwrap();
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    let all: Vec<Resp> = timur
        .iter()
        .chain(&medan)
        .chain(&jatiasih)
        .cloned()
        .collect();
    assert_filed(&out, &all);
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(&all));
    assert_times(&out, &all);
    // The device's times are in the units' own zone: nothing was moved.
    let f = read(&out.join("files.parquet"));
    assert!(f.str("zona_waktu_asal").iter().all(Option::is_none));
}

/// Typeform's export to Google Sheets (the questions, then `Submitted At` and `Token`) and
/// Tally's CSV (`Submission ID`, `Respondent ID`, `Submitted at`, then the questions) write
/// their time of submission in UTC, `2024-09-30 23:15:02`, though neither heading nor value
/// says so: the responses given early in the morning of 1 October (WIB) are TW4's.
#[test]
fn typeform_and_tally_submitted_at_is_utc_and_moved_to_the_units_zone() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut rs = responses(40, &["kecamatan-bekasi-timur"], 33);
    for (i, r) in rs.iter_mut().enumerate().filter(|(i, _)| i % 3 == 0) {
        // 00:00–06:59 WIB on a quarter's first day: the day before in UTC.
        r.date = NaiveDate::from_ymd_opt(2024, [4, 7, 10][i % 9 / 3], 1).unwrap();
        r.hms.0 = (i % 7) as u32;
    }
    let utc = |r: &Resp| {
        let at = r.date.and_hms_opt(r.hms.0, r.hms.1, r.hms.2).unwrap();
        (at - chrono::Duration::hours(7))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    let words = |r: &Resp| -> Vec<String> {
        (UNSUR.iter().enumerate())
            .map(|(k, u)| csv_field(u.jawaban[r.answers[k] as usize - 1]))
            .collect()
    };
    let questions: Vec<String> = QUESTIONS.iter().map(|q| csv_field(q)).collect();
    let mut typeform = questions.join(",") + ",Umur,Submitted At,Token\n";
    for (i, r) in rs.iter().enumerate() {
        let row = format!("{},{},{},a{i:04}b9c8d7", words(r).join(","), r.umur, utc(r));
        typeform.push_str(&(row + "\n"));
    }
    let t = "SKM Kecamatan Bekasi Timur (Typeform).csv";
    std::fs::write(inbox.join(t), typeform).unwrap();
    let mut medan = rs.clone();
    for r in &mut medan {
        r.unit = "kecamatan-medansatria";
    }
    let mut tally = String::from("Submission ID,Respondent ID,Submitted at,");
    tally.push_str(&(questions.join(",") + "\n"));
    for (i, r) in medan.iter().enumerate() {
        let row = format!("mZ{i:04},wQ{i:04},{},{}", utc(r), words(r).join(","));
        tally.push_str(&(row + "\n"));
    }
    let l = "SKM_Kecamatan_Medansatria_submissions.csv";
    std::fs::write(inbox.join(l), tally).unwrap();
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    let all: Vec<Resp> = rs.iter().chain(&medan).cloned().collect();
    assert_filed(&out, &all);
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(&all));
    assert_times(&out, &all);
    // The inference is recorded: files.zona_waktu_asal, and validate's line.
    let f = read(&out.join("files.parquet"));
    assert!(f
        .str("zona_waktu_asal")
        .iter()
        .all(|z| z.as_deref() == Some("UTC")));
    let v = crate::common::skm(&["validate", inbox.join(t).to_str().unwrap()], &[]);
    let text = String::from_utf8_lossy(&v.stdout);
    assert!(text.contains("times: MOVED from UTC"), "{text}");
}

/// A Google Form whose choices carry their option letters as the regulation's form prints them
/// (`a. Tidak sesuai` … `d. Sangat sesuai`; typed `A. Tidak Sesuai`, `a) …`, `(a) …`), and
/// another listing them best first (`a. Sangat sesuai` … `d. Tidak sesuai`): each answer is read
/// by its words, whatever letter the form put before them.
#[test]
fn answers_after_their_option_letters_are_read_by_their_words_in_either_order() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let timur = responses(48, &["kecamatan-bekasi-timur"], 35);
    let mut medan = timur.clone();
    for r in &mut medan {
        r.unit = "kecamatan-medansatria";
    }
    // The regulation's order (a = 1) written four ways, and a form listing the best first.
    let worst_first = |s: u8, w: &str| match s {
        1 => format!("a. {w}"),
        2 => format!("B. {}", title_case(w)),
        3 => format!("c) {w}"),
        _ => format!("(d) {w}"),
    };
    let best_first = |s: u8, w: &str| format!("{}. {}", (b'E' - s) as char, title_case(w));
    let files = [
        ("SKM Kecamatan Bekasi Timur (Responses).csv", &timur),
        ("SKM Kecamatan Medansatria (Responses).csv", &medan),
    ];
    for (f, (name, rs)) in files.into_iter().enumerate() {
        let mut csv = String::from("Timestamp,Umur");
        for q in QUESTIONS {
            csv.push_str(&format!(",{}", csv_field(q)));
        }
        csv.push('\n');
        for r in rs.iter() {
            csv.push_str(&format!("{},{}", us_stamp(r), r.umur));
            for (k, u) in UNSUR.iter().enumerate() {
                let s = r.answers[k];
                let w = u.jawaban[s as usize - 1];
                let choice = match f {
                    0 => worst_first(s, w),
                    _ => best_first(s, w),
                };
                csv.push_str(&format!(",{}", csv_field(&choice)));
            }
            csv.push('\n');
        }
        std::fs::write(inbox.join(name), csv).unwrap();
    }
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    let all: Vec<Resp> = timur.iter().chain(&medan).cloned().collect();
    assert_filed(&out, &all);
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(&all));
}

/// `Sangat Sesuai`, as a form's author types a choice.
fn title_case(w: &str) -> String {
    w.split(' ')
        .map(|x| {
            let mut c = x.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// A unit's log kept in Excel in an Indonesian locale, its answer cells formatted with two
/// decimals, saved as CSV: `;` between fields, `4,00` for 4, and its mean row below
/// (`Rata-rata`, `3,25`). Every answer is read as the whole number it is.
#[test]
fn whole_answers_written_with_a_decimal_comma_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("inbox").join("Kecamatan Bekasi Timur");
    std::fs::create_dir_all(&folder).unwrap();
    let rs = responses(48, &["kecamatan-bekasi-timur"], 37);
    let mut csv = String::from("No;Tanggal;Umur;JK;U1;U2;U3;U4;U5;U6;U7;U8;U9\r\n");
    for (i, r) in rs.iter().enumerate() {
        csv.push_str(&format!(
            "{};{};{};L",
            i + 1,
            r.date.format("%d/%m/%Y"),
            r.umur
        ));
        for a in r.answers {
            csv.push_str(&format!(";{a},00"));
        }
        csv.push_str("\r\n");
    }
    csv.push_str(";Rata-rata;;");
    for k in 0..9 {
        let sum: u32 = rs.iter().map(|r| r.answers[k] as u32).sum();
        let mean = format!("{:.2}", sum as f64 / rs.len() as f64);
        csv.push_str(&format!(";{}", mean.replace('.', ",")));
    }
    csv.push_str("\r\n");
    std::fs::write(folder.join("data skm 2024.csv"), csv).unwrap();
    let out = tmp.path().join("out");
    let s = run_inbox(&tmp.path().join("inbox"), &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    assert_filed(&out, &rs);
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(&rs));
}

/// The survey's date under the headings units give it: a log kept in Excel (`Tgl. Survei`,
/// `Tanggal Pengisian Kuesioner`, `Tgl/Bln/Thn`, its dates typed as text), and Zoho Forms'
/// `Added Time` (`15-Oct-2024 14:41:33`). Files named with no period: the date column is
/// what files each response in its quarter.
#[test]
fn the_survey_date_is_read_under_the_headings_units_and_form_tools_give_it() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let units = [
        (
            "Kecamatan Bekasi Timur",
            "kecamatan-bekasi-timur",
            "Tgl. Survei",
        ),
        (
            "Kecamatan Medansatria",
            "kecamatan-medansatria",
            "Tanggal Pengisian Kuesioner",
        ),
        ("Kecamatan Jatiasih", "kecamatan-jatiasih", "Tgl/Bln/Thn"),
    ];
    let mut all = Vec::new();
    for (seed, (folder, unit, heading)) in units.into_iter().enumerate() {
        std::fs::create_dir_all(inbox.join(folder)).unwrap();
        let mut rs = responses(40, &["x"], 39 + seed as u64);
        for r in &mut rs {
            r.unit = unit;
        }
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["No", heading, "Umur"].into_iter().enumerate() {
            ws.write_string(0, c as u16, h).unwrap();
        }
        for k in 0..9u16 {
            ws.write_string(0, 3 + k, format!("U{}", k + 1)).unwrap();
        }
        for (i, r) in rs.iter().enumerate() {
            let row = 1 + i as u32;
            ws.write_number(row, 0, (i + 1) as f64).unwrap();
            ws.write_string(row, 1, r.date.format("%d/%m/%Y").to_string())
                .unwrap();
            ws.write_number(row, 2, r.umur as f64).unwrap();
            for (k, a) in r.answers.iter().enumerate() {
                ws.write_number(row, 3 + k as u16, *a as f64).unwrap();
            }
        }
        wb.save(inbox.join(folder).join("rekap responden.xlsx"))
            .unwrap();
        all.extend(rs);
    }
    // Zoho Forms: the questions, then `Added Time`, `Referrer Name`, `Task Owner`.
    let zoho = responses(40, &["kecamatan-rawalumbu"], 43);
    std::fs::create_dir_all(inbox.join("Kecamatan Rawalumbu")).unwrap();
    let mut csv = String::from("Umur");
    for q in QUESTIONS {
        csv.push_str(&format!(",{}", csv_field(q)));
    }
    csv.push_str(",Added Time,Referrer Name,Task Owner\n");
    for r in &zoho {
        csv.push_str(&r.umur.to_string());
        for (k, u) in UNSUR.iter().enumerate() {
            csv.push_str(&format!(",{}", u.jawaban[r.answers[k] as usize - 1]));
        }
        let at = r.date.and_hms_opt(r.hms.0, r.hms.1, r.hms.2).unwrap();
        csv.push_str(&format!(
            ",{},https://forms.zohopublic.com/,\n",
            at.format("%d-%b-%Y %H:%M:%S")
        ));
    }
    std::fs::write(inbox.join("Kecamatan Rawalumbu/SKM_Export.csv"), csv).unwrap();
    all.extend(zoho.iter().cloned());
    read_as_expected(tmp.path(), &inbox, &all);
}

/// A unit's log typing a scale's abbreviations, as paper questionnaires are tallied in Excel:
/// `SB`, `B`, `C`, `K` (Sangat baik … Kurang), `SB`, `B`, `KB`, `TB` (… Tidak baik) and `SS`,
/// `S`, `TS`, `STS` (Sangat setuju … Sangat tidak setuju) are read as 4 to 1, the inference
/// recorded (`files.jawaban_dibaca_sebagai = singkatan`, validate's line). A log whose
/// abbreviations two scales read differently (`K`, `B`, `SB` alone: `K` is 1 beside `C`, 2
/// beside `SK`), or that are only `B` and `C` (option letters b and c, or Baik and Cukup), is
/// not guessed: its answers are rejected.
#[test]
fn a_log_typing_a_scales_abbreviations_is_read_when_they_tell_one_reading() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let logs: [(&str, &str, [&str; 4]); 3] = [
        (
            "Kecamatan Bekasi Timur",
            "kecamatan-bekasi-timur",
            ["K", "C", "B", "SB"],
        ),
        (
            "Kecamatan Medansatria",
            "kecamatan-medansatria",
            ["TB", "KB", "B", "SB"],
        ),
        (
            "Kecamatan Jatiasih",
            "kecamatan-jatiasih",
            ["STS", "TS", "S", "SS"],
        ),
    ];
    let mut all = Vec::new();
    for (seed, (folder, unit, short)) in logs.into_iter().enumerate() {
        let mut rs = responses(40, &["x"], 45 + seed as u64);
        for r in &mut rs {
            r.unit = unit;
        }
        abbreviated_log(&inbox.join(folder), &rs, &|a| short[a as usize - 1]);
        all.extend(rs);
    }
    // Refused: `K`, `B`, `SB` (two readings of K), and `B`, `C` alone.
    let mut k_b_sb = responses(40, &["kecamatan-rawalumbu"], 49);
    for r in &mut k_b_sb {
        r.answers = r.answers.map(|a| a.max(2));
    }
    let rawalumbu = inbox.join("Kecamatan Rawalumbu");
    abbreviated_log(&rawalumbu, &k_b_sb, &|a| {
        ["K", "K", "B", "SB"][a as usize - 1]
    });
    let bantar = inbox.join("Kecamatan Bantargebang");
    let b_c = responses(40, &["kecamatan-bantargebang"], 50);
    abbreviated_log(&bantar, &b_c, &|a| ["C", "C", "B", "B"][a as usize - 1]);
    let out = tmp.path().join("out");
    run_inbox(&inbox, &out);
    let got = gold_ikm(&out);
    assert_same_ikm(&got, &expected_ikm(&all));
    let f = read(&out.join("files.parquet"));
    let (file, read_as) = (f.str("source_file"), f.str("jawaban_dibaca_sebagai"));
    let readings: BTreeMap<String, Option<String>> = (0..f.len())
        .map(|i| (file[i].clone().unwrap(), read_as[i].clone()))
        .collect();
    let singkatan = Some("singkatan".to_string());
    assert_eq!(
        readings,
        BTreeMap::from([
            (
                "Kecamatan Bekasi Timur/log.xlsx".to_string(),
                singkatan.clone()
            ),
            (
                "Kecamatan Medansatria/log.xlsx".to_string(),
                singkatan.clone()
            ),
            ("Kecamatan Jatiasih/log.xlsx".to_string(), singkatan),
            ("Kecamatan Rawalumbu/log.xlsx".to_string(), None),
            ("Kecamatan Bantargebang/log.xlsx".to_string(), None),
        ])
    );
    // Every answer of the two refused logs is rejected, the first naming the two readings.
    let r = rejects(&out);
    let of = |f: &str| r.iter().filter(|x| x.0 == f).count();
    assert_eq!(of("Kecamatan Rawalumbu/log.xlsx"), 40 * 9, "{r:?}");
    assert_eq!(of("Kecamatan Bantargebang/log.xlsx"), 40 * 9, "{r:?}");
    let why = &r
        .iter()
        .find(|x| x.0 == "Kecamatan Rawalumbu/log.xlsx")
        .unwrap()
        .3;
    assert!(
        why.contains("C = Cukup, K = Kurang") && why.contains("SK = Sangat kurang"),
        "{why}"
    );
    let why = &r
        .iter()
        .find(|x| x.0 == "Kecamatan Bantargebang/log.xlsx")
        .unwrap()
        .3;
    assert!(why.contains("huruf pilihan b dan c"), "{why}");
    let v = crate::common::skm(
        &[
            "validate",
            inbox.join("Kecamatan Jatiasih/log.xlsx").to_str().unwrap(),
        ],
        &[],
    );
    let said = String::from_utf8_lossy(&v.stdout);
    assert!(
        said.contains("read as abbreviations (SS = Sangat setuju, S = Setuju, TS = Tidak setuju, STS = Sangat tidak setuju): INFERRED"),
        "{said}"
    );
}

/// A unit's log in Excel: `No`, `Tanggal`, `Umur`, `U1` … `U9`, answers written by `short`.
fn abbreviated_log(folder: &Path, rs: &[Resp], short: &dyn Fn(u8) -> &'static str) {
    std::fs::create_dir_all(folder).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["No", "Tanggal", "Umur"].into_iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for k in 0..9u16 {
        ws.write_string(0, 3 + k, format!("U{}", k + 1)).unwrap();
    }
    for (i, r) in rs.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_number(row, 0, (i + 1) as f64).unwrap();
        ws.write_string(row, 1, r.date.format("%d/%m/%Y").to_string())
            .unwrap();
        ws.write_number(row, 2, r.umur as f64).unwrap();
        for (k, a) in r.answers.iter().enumerate() {
            ws.write_string(row, 3 + k as u16, short(*a)).unwrap();
        }
    }
    wb.save(folder.join("log.xlsx")).unwrap();
}

/// A Google Form asking each unsur on a Likert form of its own words (`Sangat tidak kompeten`,
/// `Tidak kompeten`, `Kompeten`, `Sangat kompeten`: `Tidak kompeten` is 2 there, not the
/// regulation's 1), and one asking prosedur, waktu and biaya in other words (`Sangat sulit …
/// Sangat mudah`, `Sangat lambat … Sangat cepat`, `Sangat mahal / Mahal / Murah / Sangat
/// murah`): every answer is read at its place on the form's scale, also in a column where no
/// respondent chose the lowest (`Sangat tidak kompeten`), which would have told: the sheet's
/// other columns do.
#[test]
fn an_unsurs_own_words_on_a_likert_form_are_read_at_their_place_on_it() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let likert = |k: usize, s: u8| -> String {
        let u = &UNSUR[k];
        let w3 = u.jawaban[2];
        match (u.key, s) {
            ("biaya", _) => {
                ["Sangat mahal", "Mahal", "Murah", "Sangat murah"][s as usize - 1].into()
            }
            ("sarpras" | "pengaduan", _) => u.jawaban[s as usize - 1].into(),
            (_, 1) => format!("Sangat tidak {}", w3.to_lowercase()),
            (_, 2) => format!("Tidak {}", w3.to_lowercase()),
            (_, 3) => w3.into(),
            _ => u.jawaban[3].into(),
        }
    };
    let other = |k: usize, s: u8| -> String {
        let i = s as usize - 1;
        match UNSUR[k].key {
            "prosedur" => ["Sangat sulit", "Sulit", "Mudah", "Sangat mudah"][i].into(),
            "waktu" => ["Sangat lambat", "Lambat", "Cepat", "Sangat cepat"][i].into(),
            "biaya" => ["Sangat mahal", "Mahal", "Murah", "Sangat murah"][i].into(),
            _ => UNSUR[k].jawaban[i].into(),
        }
    };
    type Words<'a> = &'a dyn Fn(usize, u8) -> String;
    let forms: [(&str, &str, Words); 3] = [
        (
            "kecamatan-bekasi-timur",
            "SKM Kecamatan Bekasi Timur (Responses).csv",
            &likert,
        ),
        (
            "kecamatan-medansatria",
            "SKM Kecamatan Medansatria (Responses).csv",
            &other,
        ),
        (
            "kecamatan-jatiasih",
            "SKM Kecamatan Jatiasih (Responses).csv",
            &likert,
        ),
    ];
    let mut all = Vec::new();
    for (seed, (unit, name, word)) in forms.into_iter().enumerate() {
        let mut rs = responses(48, &["x"], 51 + seed as u64);
        for r in &mut rs {
            r.unit = unit;
            // Jatiasih's: nobody chose `Sangat tidak kompeten`, some `Tidak kompeten` (2).
            if seed == 2 && r.answers[5] == 1 {
                r.answers[5] = 2;
            }
        }
        assert!(rs.iter().any(|r| r.answers[5] == 2));
        let mut csv = String::from("Timestamp,Umur");
        for q in QUESTIONS {
            csv.push_str(&format!(",{}", csv_field(q)));
        }
        csv.push('\n');
        for r in &rs {
            csv.push_str(&format!("{},{}", us_stamp(r), r.umur));
            for (k, a) in r.answers.iter().enumerate() {
                csv.push_str(&format!(",{}", csv_field(&word(k, *a))));
            }
            csv.push('\n');
        }
        std::fs::write(inbox.join(name), csv).unwrap();
        all.extend(rs);
    }
    let out = read_as_expected(tmp.path(), &inbox, &all);
    // Jatiasih's kompetensi column was read on the Likert form of the sheet's other columns:
    // an inference, recorded.
    let f = read(&out.join("files.parquet"));
    let (file, read_as) = (f.str("source_file"), f.str("jawaban_dibaca_sebagai"));
    let readings: BTreeMap<String, Option<String>> = (0..f.len())
        .map(|i| (file[i].clone().unwrap(), read_as[i].clone()))
        .collect();
    assert_eq!(
        readings,
        BTreeMap::from([
            (
                "SKM Kecamatan Bekasi Timur (Responses).csv".to_string(),
                None
            ),
            (
                "SKM Kecamatan Medansatria (Responses).csv".to_string(),
                None
            ),
            (
                "SKM Kecamatan Jatiasih (Responses).csv".to_string(),
                Some("likert_lembar".to_string())
            ),
        ])
    );
    let v = crate::common::skm(
        &[
            "validate",
            inbox
                .join("SKM Kecamatan Jatiasih (Responses).csv")
                .to_str()
                .unwrap(),
        ],
        &[],
    );
    let said = String::from_utf8_lossy(&v.stdout);
    assert!(
        said.contains("Likert form") && said.contains("INFERRED"),
        "{said}"
    );
}

/// The regulation's pengaduan words as units reword them on their forms: `Ada tapi tidak
/// berfungsi`, `Berfungsi tetapi kurang maksimal` (and `namun`): each is the regulation's
/// word, read at its place.
#[test]
fn the_regulations_words_reworded_with_another_conjunction_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let rs = responses(48, &["kecamatan-bekasi-timur"], 53);
    let pengaduan = [
        "Tidak ada",
        "Ada tapi tidak berfungsi",
        "Berfungsi tetapi kurang maksimal",
        "Dikelola dengan baik",
    ];
    let mut csv = String::from("Timestamp,Umur");
    for q in QUESTIONS {
        csv.push_str(&format!(",{}", csv_field(q)));
    }
    csv.push('\n');
    for (i, r) in rs.iter().enumerate() {
        csv.push_str(&format!("{},{}", us_stamp(r), r.umur));
        for (k, u) in UNSUR.iter().enumerate() {
            let s = r.answers[k] as usize;
            let w = match (u.key, i % 2) {
                ("pengaduan", 0) => pengaduan[s - 1].to_string(),
                ("pengaduan", _) => pengaduan[s - 1]
                    .replace("tapi", "namun")
                    .replace("tenamun", "namun"),
                _ => u.jawaban[s - 1].to_string(),
            };
            csv.push_str(&format!(",{}", csv_field(&w)));
        }
        csv.push('\n');
    }
    std::fs::write(
        inbox.join("SKM Kecamatan Bekasi Timur (Responses).csv"),
        csv,
    )
    .unwrap();
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.n_rejects, 0, "{:?}", rejects(&out));
    assert_same_ikm(&gold_ikm(&out), &expected_ikm(&rs));
}

/// LimeSurvey's export with its default "Answer codes" (`AO01` … `AO04`, every field quoted, a
/// BOM): the codes are the survey author's, their order the order the options were typed in,
/// so they are not read as scores; every answer is rejected saying how to export the file.
#[test]
fn limesurvey_answer_codes_are_refused_saying_to_export_full_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("inbox").join("Kecamatan Bekasi Timur");
    std::fs::create_dir_all(&folder).unwrap();
    let rs = responses(20, &["kecamatan-bekasi-timur"], 57);
    let quoted = |v: &[String]| {
        let v: Vec<String> = v.iter().map(|c| format!("\"{c}\"")).collect();
        v.join(",") + "\r\n"
    };
    let mut head: Vec<String> = ["id", "submitdate", "lastpage", "startlanguage", "seed"]
        .map(String::from)
        .to_vec();
    head.extend((1..=9).map(|k| format!("U{k}")));
    let mut csv = String::from("\u{feff}") + &quoted(&head);
    for (i, r) in rs.iter().enumerate() {
        let at = r.date.and_hms_opt(r.hms.0, r.hms.1, r.hms.2).unwrap();
        let mut row = vec![
            (i + 1).to_string(),
            at.format("%Y-%m-%d %H:%M:%S").to_string(),
            "2".to_string(),
            "id".to_string(),
            (1_048_576 + i * 7919).to_string(),
        ];
        row.extend(r.answers.iter().map(|a| format!("AO0{a}")));
        csv.push_str(&quoted(&row));
    }
    std::fs::write(folder.join("results-survey845312.csv"), csv).unwrap();
    let out = tmp.path().join("out");
    run_inbox(&tmp.path().join("inbox"), &out);
    let r = rejects(&out);
    assert_eq!(r.len(), 20 * 9, "{r:?}");
    assert!(r.iter().all(|x| x.3.contains("Full answers")), "{:?}", r[0]);
}
