//! Hostile and broken inputs: each gives a reject with a reason (never a panic, a hang or
//! unbounded memory), and personal data never reaches any output.

use crate::common;

use std::io::Write;
use std::path::Path;

use crate::common::{read, run_inbox, run_with};
use skm::config::Config;
use skm::gen::{
    exact_wave, wave_table, write_csv, write_xlsx, HeaderStyle, Table, Val, WaveLayout,
};

fn header() -> Vec<String> {
    [
        "No",
        "Unit",
        "Tanggal",
        "Umur",
        "Jenis Layanan",
        "U1",
        "U2",
        "U3",
        "U4",
        "U5",
        "U6",
        "U7",
        "U8",
        "U9",
    ]
    .map(String::from)
    .to_vec()
}

fn row(no: usize, tanggal: &str, umur: &str, layanan: &str, answers: [&str; 9]) -> Vec<Val> {
    let mut r = vec![
        Val::Num(no as f64),
        Val::text("Kec. Bekasi Utara"),
        Val::text(tanggal),
        Val::text(umur),
        Val::text(layanan),
    ];
    r.extend(answers.iter().map(|a| {
        if a.is_empty() {
            Val::Empty
        } else {
            Val::text(*a)
        }
    }));
    r
}

const OK: [&str; 9] = ["4", "3", "3", "4", "3", "3", "4", "3", "4"];

/// (file, kode) pairs of the rejects, and the rows each file had accepted.
fn rejects(out: &Path) -> Vec<(String, String, String)> {
    let r = read(&out.join("rejects.parquet"));
    let (f, k, a) = (r.str("source_file"), r.str("kode"), r.str("alasan"));
    (0..r.len())
        .map(|i| {
            (
                f[i].clone().unwrap(),
                k[i].clone().unwrap(),
                a[i].clone().unwrap(),
            )
        })
        .collect()
}

fn kodes_of(all: &[(String, String, String)], file: &str) -> Vec<String> {
    let mut v: Vec<String> = all
        .iter()
        .filter(|r| r.0 == file)
        .map(|r| r.1.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// A tiny XLSX whose one sheet inflates to `gib` GiB of spaces.
fn zip_bomb(path: &Path, gib: u64) {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opt = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, body) in parts {
        z.start_file(name, opt).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.start_file("xl/worksheets/sheet1.xml", opt).unwrap();
    z.write_all(br#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..(gib << 10) {
        z.write_all(&chunk).unwrap();
    }
    z.write_all(b"</sheetData></worksheet>").unwrap();
    z.finish().unwrap();
}

#[test]
fn every_hostile_input_is_rejected_with_its_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    std::fs::create_dir_all(&inbox).unwrap();
    let good = Table {
        title: vec![],
        header: header(),
        rows: vec![row(1, "15/10/2024", "30", "KTP", OK)],
    };

    // Empty, zero-byte and truncated files.
    std::fs::write(inbox.join("kosong.csv"), b"").unwrap();
    std::fs::write(inbox.join("nol.xlsx"), b"").unwrap();
    write_xlsx(&inbox.join("utuh.xlsx"), &[("Data", &good)]).unwrap();
    let bytes = std::fs::read(inbox.join("utuh.xlsx")).unwrap();
    std::fs::write(inbox.join("terpotong.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
    std::fs::remove_file(inbox.join("utuh.xlsx")).unwrap();
    // A zip bomb: a small file inflating to 1.5 GiB (limit 1 GiB).
    zip_bomb(&inbox.join("bom.xlsx"), 1);
    // A CSV in Windows-1252 (a ragged last row ending in "café"): read (issue 12). A binary
    // named .csv is not.
    std::fs::write(inbox.join("biner.csv"), b"\x00\x01\x02\x03skm\xff\x00").unwrap();
    let mut cp1252 = b"Unit;Tanggal;U1;U2;U3;U4;U5;U6;U7;U8;U9\nKec. Bekasi Utara;15/10/2024;4;3;3;4;3;3;4;3;4\n".to_vec();
    cp1252.extend_from_slice(b"Kec. Bekasi Utara;16/10/2024;4;3;3;4;3;3;4;3;4;caf\xe9\n");
    std::fs::write(inbox.join("windows1252.csv"), cp1252).unwrap();
    // A 1 MB cell, and 10,000 columns.
    let big = "x".repeat(1 << 20);
    let t = Table {
        title: vec![],
        header: header(),
        rows: vec![
            row(1, "15/10/2024", "30", &big, OK),
            row(2, "15/10/2024", "31", "KTP", OK),
        ],
    };
    write_csv(&inbox.join("sel besar.csv"), &t, b';', false).unwrap();
    let wide = Table {
        title: vec![],
        header: (0..10_000).map(|i| format!("K{i}")).collect(),
        rows: vec![(0..10_000).map(|i| Val::Num(i as f64)).collect()],
    };
    write_csv(&inbox.join("lebar.csv"), &wide, b',', false).unwrap();
    // Formula errors, dates as text and in the future, absurd ages, a Likert-5 answer.
    let t = Table {
        title: vec![],
        header: header(),
        rows: vec![
            row(1, "15 Oktober 2024", "30", "KTP", OK),
            row(
                2,
                "15/10/2024",
                "30",
                "KTP",
                ["#DIV/0!", "3", "3", "4", "3", "3", "4", "3", "4"],
            ),
            row(
                3,
                "15/10/2024",
                "30",
                "KTP",
                ["4", "#N/A", "3", "4", "3", "3", "4", "3", "4"],
            ),
            row(4, "15/10/2099", "30", "KTP", OK),
            row(5, "15/10/2024", "-4", "KTP", OK),
            row(6, "15/10/2024", "230", "KTP", OK),
            row(
                7,
                "15/10/2024",
                "30",
                "KTP",
                ["5", "4", "5", "4", "3", "5", "4", "3", "4"],
            ),
        ],
    };
    write_csv(&inbox.join("nilai aneh.csv"), &t, b',', false).unwrap();
    // The old 14-unsur form.
    let old = Table {
        title: vec![],
        header: [
            "No", "Unit", "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "U10", "U11",
            "U12", "U13", "U14",
        ]
        .map(String::from)
        .to_vec(),
        rows: vec![(0..16)
            .map(|i| {
                if i == 1 {
                    Val::text("Kec. Bekasi Utara")
                } else {
                    Val::Num(3.0)
                }
            })
            .collect()],
    };
    write_csv(&inbox.join("form14.csv"), &old, b',', false).unwrap();
    // A hidden sheet beside a visible one.
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Data").unwrap();
        for (c, h) in header().iter().enumerate() {
            ws.write_string(0, c as u16, h).unwrap();
        }
        for (c, v) in [
            "1",
            "Kec. Bekasi Utara",
            "15/10/2024",
            "30",
            "KTP",
            "4",
            "3",
            "3",
            "4",
            "3",
            "3",
            "4",
            "3",
            "4",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(1, c as u16, *v).unwrap();
        }
        let hidden = wb.add_worksheet();
        hidden.set_name("Pilihan").unwrap();
        hidden.write_string(0, 0, "Sangat sesuai").unwrap();
        hidden.set_hidden(true);
        wb.save(inbox.join("tersembunyi.xlsx")).unwrap();
    }
    // Merged header cells over the unsur: read correctly.
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let f = rust_xlsxwriter::Format::new();
        ws.merge_range(0, 5, 0, 13, "Unsur Pelayanan", &f).unwrap();
        ws.merge_range(0, 0, 0, 4, "Identitas", &f).unwrap();
        for (c, h) in header().iter().enumerate() {
            ws.write_string(1, c as u16, h).unwrap();
        }
        for (c, v) in [
            "1",
            "Kec. Bekasi Utara",
            "15/10/2024",
            "30",
            "KTP",
            "4",
            "3",
            "3",
            "4",
            "3",
            "3",
            "4",
            "3",
            "4",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(2, c as u16, *v).unwrap();
        }
        wb.save(inbox.join("judul gabung.xlsx")).unwrap();
    }
    // A symbolic link leading outside the inbox, and a name with spaces and non-ASCII.
    let outside = tmp.path().join("rahasia.csv");
    write_csv(&outside, &good, b';', false).unwrap();
    std::os::unix::fs::symlink(&outside, inbox.join("tautan.csv")).unwrap();
    write_csv(
        &inbox.join("Kuesioner Kecamatan – Bekasi Utara (Okt) é.csv"),
        &good,
        b';',
        false,
    )
    .unwrap();

    let s = run_inbox(&inbox, &out);
    let all = rejects(&out);
    let expect = [
        ("kosong.csv", vec!["berkas_tidak_terbaca"]),
        ("nol.xlsx", vec!["berkas_tidak_terbaca"]),
        ("terpotong.xlsx", vec!["berkas_tidak_terbaca"]),
        ("bom.xlsx", vec!["berkas_terlalu_besar"]),
        ("windows1252.csv", vec![]),
        ("biner.csv", vec!["berkas_tidak_terbaca"]),
        ("sel besar.csv", vec!["sel_terlalu_besar"]),
        ("lebar.csv", vec!["berkas_terlalu_besar"]),
        (
            "nilai aneh.csv",
            vec![
                "galat_rumus",
                "jawaban_di_luar_skala",
                "tanggal_di_masa_depan",
                "umur_tidak_wajar",
            ],
        ),
        ("form14.csv", vec!["metode_lama"]),
        ("tersembunyi.xlsx", vec!["lembar_tersembunyi"]),
        ("tautan.csv", vec!["tautan_tidak_diikuti"]),
        ("judul gabung.xlsx", vec![]),
        ("Kuesioner Kecamatan – Bekasi Utara (Okt) é.csv", vec![]),
    ];
    for (file, kodes) in expect {
        assert_eq!(
            kodes_of(&all, file),
            kodes,
            "{file}: {:?}",
            all.iter().filter(|r| r.0 == file).collect::<Vec<_>>()
        );
    }
    let reason = |file: &str, kode: &str| {
        all.iter()
            .find(|r| r.0 == file && r.1 == kode)
            .unwrap()
            .2
            .clone()
    };
    assert!(reason("biner.csv", "berkas_tidak_terbaca").contains("NUL"));
    assert!(reason("bom.xlsx", "berkas_terlalu_besar").contains("zip bomb"));
    assert!(reason("nilai aneh.csv", "jawaban_di_luar_skala").contains("Likert-5"));
    assert!(reason("form14.csv", "metode_lama").contains("14 unsur"));
    // What could be read was: the merged-header sheet, the visible sheet beside the hidden
    // one, the odd file name, the text date, and the good rows around the bad ones.
    let silver = common::read_silver(&out, 2024);
    let files = silver.str("source_file");
    for f in [
        "judul gabung.xlsx",
        "tersembunyi.xlsx",
        "Kuesioner Kecamatan – Bekasi Utara (Okt) é.csv",
        "nilai aneh.csv",
        "sel besar.csv",
        "windows1252.csv",
    ] {
        assert!(
            files.iter().any(|x| x.as_deref() == Some(f)),
            "{f} has accepted rows"
        );
    }
    assert!(
        !files.iter().any(|x| x.as_deref() == Some("tautan.csv")),
        "the link was not followed"
    );
    for f in &s.files {
        assert_eq!(f.rows_read(), f.accepted() + f.rejected(), "{}", f.file);
    }
}

#[test]
fn limits_are_configurable() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    let t = Table {
        title: vec![],
        header: header(),
        rows: (0..50)
            .map(|i| row(i, "15/10/2024", "30", "KTP", OK))
            .collect(),
    };
    write_csv(&inbox.join("banyak.csv"), &t, b';', false).unwrap();
    run_with(
        &inbox,
        &out,
        Config::parse("[batas]\nbaris = 20\n").unwrap(),
    );
    let all = rejects(&out);
    assert_eq!(kodes_of(&all, "banyak.csv"), vec!["berkas_terlalu_besar"]);
    assert!(
        Config::parse("[batas]\nbaris_maks = 20\n").is_err(),
        "unknown keys are errors"
    );
}

#[test]
fn personal_data_reaches_no_output_at_all() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    // A questionnaire with name, phone, NIK and comment columns, and the same kinds of value
    // typed under innocent headers.
    let mut t = wave_table(
        &exact_wave([3327, 3332, 3283, 3996, 3399, 3377, 3417, 3444, 3641], 9),
        &WaveLayout {
            style: HeaderStyle::Names,
            unit_column: Some("Kecamatan Bekasi Timur".into()),
            periode_column: Some("S1".into()),
            months: vec![(2024, 3)],
            timestamps: false,
            title: vec![],
            profile: true,
            seed: 9,
        },
    );
    t.header.push("NIK".into());
    t.header.push("E-mail".into());
    let layanan = t.header.iter().position(|h| h == "Jenis Layanan").unwrap();
    let pekerjaan = t.header.iter().position(|h| h == "Pekerjaan").unwrap();
    for (i, r) in t.rows.iter_mut().enumerate() {
        r.push(Val::text(format!("32750{:011}", i)));
        r.push(Val::text(format!("warga{i}@contoh.id")));
        if i % 10 == 0 {
            r[layanan] = Val::text(format!("32751{:011}", i)); // a NIK typed into the wrong column
            r[pekerjaan] = Val::text(format!("0813{:08}", i)); // a phone number in another
        }
    }
    // A row rejected for a bad answer must not leak its phone number through `nilai`.
    let u1 = t.header.iter().position(|h| h == "Persyaratan").unwrap();
    t.rows[1][u1] = Val::text("081299998888");
    write_csv(&inbox.join("skm.csv"), &t, b';', false).unwrap();
    run_inbox(&inbox, &out);

    let mut personal: Vec<String> = Vec::new();
    for (i, r) in t.rows.iter().enumerate() {
        for v in r {
            if let Val::Text(s) = v {
                if s.starts_with("Responden ")
                    || s.starts_with("0812")
                    || s.starts_with("0813")
                    || s.starts_with("3275")
                    || s.contains('@')
                    || s.contains("pertahankan")
                {
                    personal.push(s.clone());
                }
            }
        }
        let _ = i;
    }
    personal.sort();
    personal.dedup();
    assert!(personal.len() > 3000, "{}", personal.len());
    // Every output file: Parquet read as text, HTML and every other text file raw, XLSX cells.
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut stack = vec![std::fs::canonicalize(&out).unwrap()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.display().to_string();
            let body = match p.extension().and_then(|e| e.to_str()) {
                Some("parquet") => read(&p)
                    .rows_as_text()
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("\n"),
                Some("xlsx") => {
                    use calamine::Reader;
                    let mut wb = calamine::open_workbook_auto(&p).unwrap();
                    let mut all = String::new();
                    for s in wb.sheet_names() {
                        for row in wb.worksheet_range(&s).unwrap().rows() {
                            for c in row {
                                all.push_str(&c.to_string());
                                all.push('\n');
                            }
                        }
                    }
                    all
                }
                _ => String::from_utf8_lossy(&std::fs::read(&p).unwrap()).to_string(),
            };
            texts.push((name, body));
        }
    }
    assert!(texts.len() >= 10, "{}", texts.len());
    for (name, body) in &texts {
        for v in &personal {
            assert!(!body.contains(v.as_str()), "{v} found in {name}");
        }
    }
    let rej = read(&out.join("rejects.parquet"));
    assert!(rej
        .str("nilai")
        .iter()
        .any(|v| v.as_deref() == Some("[data pribadi disamarkan]")));
}

#[test]
fn review_regressions_dates_ages_and_summary_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    std::fs::create_dir_all(&inbox).unwrap();
    // A date cell whose serial is absurd, a date before 2000, a phone number under Umur,
    // and a real response whose free-text comment (before the answers) reads like a closing row.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let head = [
        "No", "Unit", "Tanggal", "Umur", "Saran", "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8",
        "U9",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let rows: [(&str, f64, &str, &str); 4] = [
        ("serial", 1.0e12, "30", ""),
        ("1999", 0.0, "30", ""),
        ("umur", 45580.0, "081234567890", ""),
        ("saran", 45580.0, "30", "Nilai pelayanan bagus"),
    ];
    for (r, (kind, serial, umur, saran)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_number(r, 0, r as f64).unwrap();
        ws.write_string(r, 1, "Kec. Bekasi Utara").unwrap();
        if *kind == "1999" {
            ws.write_string(r, 2, "15/10/1999").unwrap();
        } else {
            ws.write_number_with_format(r, 2, *serial, &date).unwrap();
        }
        ws.write_string(r, 3, *umur).unwrap();
        if !saran.is_empty() {
            ws.write_string(r, 4, *saran).unwrap();
        }
        for c in 5..14 {
            ws.write_number(r, c, 3.0).unwrap();
        }
    }
    wb.save(inbox.join("ulasan.xlsx")).unwrap();
    let s = run_inbox(&inbox, &out);
    let all = rejects(&out);
    let row_kodes: Vec<String> = all
        .iter()
        .filter(|r| r.0 == "ulasan.xlsx")
        .map(|r| r.1.clone())
        .collect();
    assert_eq!(
        row_kodes,
        vec![
            "tanggal_tidak_terbaca",
            "tanggal_tidak_terbaca",
            "umur_tidak_wajar"
        ]
    );
    let f = s.files.iter().find(|f| f.file == "ulasan.xlsx").unwrap();
    assert_eq!(
        (f.rows_read(), f.accepted(), f.rejected(), f.skipped()),
        (4, 1, 3, 0),
        "the comment row is a response"
    );
    let silver = common::read_silver(&out, 2024);
    assert!(!silver
        .rows_as_text()
        .concat()
        .iter()
        .any(|v| v.contains("0812")));
}

#[test]
fn a_likert_5_form_is_refused_as_a_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    let rows: Vec<Vec<Val>> = (0..40)
        .map(|i| {
            row(
                i,
                "15/10/2024",
                "30",
                "KTP",
                if i % 4 == 0 {
                    ["5", "4", "5", "4", "3", "5", "4", "3", "4"]
                } else {
                    ["4", "4", "3", "4", "3", "4", "4", "3", "4"]
                },
            )
        })
        .collect();
    write_csv(
        &inbox.join("likert5.csv"),
        &Table {
            title: vec![],
            header: header(),
            rows,
        },
        b',',
        false,
    )
    .unwrap();
    let s = run_inbox(&inbox, &out);
    assert_eq!(
        kodes_of(&rejects(&out), "likert5.csv"),
        vec!["metode_likert5"]
    );
    assert_eq!(
        (s.accepted(), s.rejected()),
        (0, 40),
        "no row of it is mixed in"
    );
}

/// Forms on other scales, as the tools write them: a 1–10 opinion scale (Typeform), a
/// five-point scale with its numbers in the labels (`1 - Sangat Tidak Puas` … `5 - Sangat
/// Puas`), and one in words only (`Cukup Puas` in the middle). Each is refused whole: only its
/// least satisfied respondents (the rows that happen to hold 1–4) were counted, and an IKM of
/// 40–88 published from them.
#[test]
fn forms_on_a_five_or_ten_point_scale_are_refused_as_a_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    let five_words = [
        "Sangat Tidak Puas",
        "Tidak Puas",
        "Cukup Puas",
        "Puas",
        "Sangat Puas",
    ];
    type Answer = Box<dyn Fn(usize) -> String>;
    let scales: [(&str, Answer); 3] = [
        ("skala10.csv", Box::new(|k| (1 + k % 10).to_string())),
        (
            "skala5_label.csv",
            Box::new(move |k| format!("{} - {}", 1 + k % 5, five_words[k % 5])),
        ),
        (
            "skala5_kata.csv",
            Box::new(move |k| five_words[k % 5].to_string()),
        ),
    ];
    for (name, answer) in &scales {
        let rows: Vec<Vec<Val>> = (0..40)
            .map(|i| {
                let a: Vec<String> = (0..9).map(|u| answer(i * 7 + u * 3)).collect();
                let a: [&str; 9] = std::array::from_fn(|u| a[u].as_str());
                row(i, "15/10/2024", "30", "KTP", a)
            })
            .collect();
        let table = Table {
            title: vec![],
            header: header(),
            rows,
        };
        write_csv(&inbox.join(name), &table, b',', false).unwrap();
    }
    let s = run_inbox(&inbox, &out);
    for (name, _) in &scales {
        assert_eq!(
            kodes_of(&rejects(&out), name),
            vec!["metode_likert5"],
            "{name}"
        );
    }
    assert_eq!(
        (s.accepted(), s.rejected()),
        (0, 120),
        "no row of them is counted"
    );
}

/// A 1–4 form whose empty rows below the respondents show `0` in every answer (a template's
/// formulas filled down): the sheet is read, its 40 respondents counted and the 60 rows of
/// zeros rejected, not the whole sheet refused as another scale.
#[test]
fn zeros_filled_down_a_template_do_not_make_it_another_scale() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    let rows: Vec<Vec<Val>> = (0..100)
        .map(|i| match i < 40 {
            true => row(
                i,
                "15/10/2024",
                "30",
                "KTP",
                ["4", "3", "3", "4", "3", "4", "4", "3", "4"],
            ),
            false => row(i, "15/10/2024", "30", "KTP", ["0"; 9]),
        })
        .collect();
    let table = Table {
        title: vec![],
        header: header(),
        rows,
    };
    write_csv(&inbox.join("template.csv"), &table, b',', false).unwrap();
    let s = run_inbox(&inbox, &out);
    assert_eq!((s.accepted(), s.rejected()), (40, 60));
    assert!(!kodes_of(&rejects(&out), "template.csv").contains(&"metode_likert5".to_string()));
}

/// A timestamp with a word after its time that ends in a character of several bytes (a zone
/// or a note typed into the cell): read, the word dropped as a zone's is. It used to stop the
/// whole run with a panic (a slice of the text's last bytes fell inside the character).
#[test]
fn a_timestamp_ending_in_a_character_of_several_bytes_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    std::fs::create_dir_all(&inbox).unwrap();
    let stamps = [
        ("15/10/2024 10:23 (sé)", "10:23"),
        ("15/10/2024 10:23:45 WIB·x", "10:23:45"),
        ("16/10/2024 10.00 pagi—ok", "10:00"),
        ("16/10/2024 11:00:00 ✓", "11:00:00"),
    ];
    let t = Table {
        title: vec![],
        header: header(),
        rows: (stamps.iter().enumerate())
            .map(|(i, (stamp, _))| row(i + 1, stamp, "30", "KTP", OK))
            .collect(),
    };
    write_csv(&inbox.join("catatan waktu.csv"), &t, b';', false).unwrap();
    let s = run_inbox(&inbox, &out);
    let f = s
        .files
        .iter()
        .find(|f| f.file == "catatan waktu.csv")
        .unwrap();
    assert_eq!((f.accepted(), f.rejected()), (4, 0));
    let mut jam: Vec<Option<String>> = common::read_silver(&out, 2024).str("jam");
    jam.sort();
    let mut want: Vec<Option<String>> = stamps.iter().map(|s| Some(s.1.to_string())).collect();
    want.sort();
    assert_eq!(jam, want);
}

/// A unit typed as a name the registry does not hold (cut short, misspelt) is rejected, never
/// filed under the nearest unit, and the reason names the nearest units and what to do; a
/// name like none says so.
#[test]
fn an_unknown_unit_is_rejected_naming_the_nearest_units_in_the_registry() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    std::fs::create_dir_all(&inbox).unwrap();
    let mut text = String::from("Unit Layanan,Tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9\n");
    for unit in [
        "Puskesmas Kaliabang",
        "Kecamatan Bekasi Timor",
        "Dinas Antah Berantah",
        "Puskesmas Kaliabang Tengah",
    ] {
        text.push_str(&format!("{unit},01/10/2024,3,4,3,4,3,3,4,3,3\n"));
    }
    std::fs::write(inbox.join("survei.csv"), text).unwrap();
    let summary = run_inbox(&inbox, &out);
    let accepted: usize = summary.files.iter().map(|f| f.accepted()).sum();
    assert_eq!(accepted, 1);
    let r = read(&out.join("rejects.parquet"));
    let (kode, alasan) = (r.str("kode"), r.str("alasan"));
    assert_eq!(r.len(), 3);
    assert!(kode
        .iter()
        .all(|k| k.as_deref() == Some("unit_tidak_dikenal")));
    let reason = |i: usize| alasan[i].clone().unwrap();
    assert!(
        reason(0).contains("'Puskesmas Kaliabang Tengah' (puskesmas-kaliabang-tengah)"),
        "{}",
        reason(0)
    );
    assert!(reason(0).contains("--units"), "{}", reason(0));
    assert!(
        reason(1).contains("'Kecamatan Bekasi Timur' (kecamatan-bekasi-timur)"),
        "{}",
        reason(1)
    );
    assert!(
        reason(2).contains("tidak ada nama yang mirip"),
        "{}",
        reason(2)
    );
}

/// A bare place name in the unit column ("Jatiasih") is its kecamatan's office, unless the
/// sheet's own unit (here the file's name) is another unit of that place: a Puskesmas
/// Jatiasih export whose unit question was answered "Jatiasih" is the puskesmas's.
#[test]
fn a_bare_place_name_is_the_sheets_own_unit_of_that_place() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    std::fs::create_dir_all(&inbox).unwrap();
    let csv = |units: &[&str]| {
        let mut text = String::from("Unit Layanan,Tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9\n");
        for unit in units {
            text.push_str(&format!("{unit},02/01/2024,3,4,3,4,3,3,4,3,3\n"));
        }
        text
    };
    let own = "skm_puskesmas_jatiasih_tw1_2024.csv";
    std::fs::write(
        inbox.join(own),
        csv(&["Jatiasih", "Puskesmas Jatiasih", "jatiasih"]),
    )
    .unwrap();
    let city = "survei_kota_tw1_2024.csv";
    std::fs::write(
        inbox.join(city),
        csv(&["Jatiasih", "Rawalumbu", "jatiasih "]),
    )
    .unwrap();
    run_inbox(&inbox, &out);
    let silver = common::read_silver(&out, 2024);
    let (file, unit) = (silver.str("source_file"), silver.str("unit_id"));
    let units_of = |f: &str| -> Vec<String> {
        (0..silver.len())
            .filter(|&i| file[i].as_deref() == Some(f))
            .map(|i| unit[i].clone().unwrap())
            .collect()
    };
    assert_eq!(units_of(own), ["puskesmas-jatiasih"; 3]);
    assert_eq!(
        units_of(city),
        [
            "kecamatan-jatiasih",
            "kecamatan-rawalumbu",
            "kecamatan-jatiasih"
        ]
    );
    // Without the sheet's own unit, "Jatiasih" (a kecamatan and a puskesmas) read as the
    // office is a guess the sheet records; "Rawalumbu" (Puskesmas Bojong Rawalumbu bears
    // another place's name) is none, nor is a sheet whose own unit settled it.
    let files = read(&out.join("files.parquet"));
    let (f, guess) = (files.str("source_file"), files.str("unit_tebakan"));
    let guess_of = |name: &str| {
        let i = (0..files.len()).find(|&i| f[i].as_deref() == Some(name));
        guess[i.unwrap()].clone()
    };
    assert_eq!(guess_of(own), None);
    let g = guess_of(city).expect("the guess recorded");
    assert!(g.starts_with("2 baris"), "{g}");
    assert!(
        g.contains("pertama baris 2: 'Jatiasih' dibaca kecamatan-jatiasih"),
        "{g}"
    );
    let v = common::skm(&["validate", inbox.join(city).to_str().unwrap()], &[]);
    let text = String::from_utf8_lossy(&v.stdout);
    assert!(text.contains("unit: GUESSED, 2 baris"), "{text}");
    let v = common::skm(&["validate", inbox.join(own).to_str().unwrap()], &[]);
    assert!(!String::from_utf8_lossy(&v.stdout).contains("GUESSED"));
    // And where the operator reads: the run's own summary.
    let o = common::skm_run(&inbox, &tmp.path().join("out2"), &[], &[]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("Units guessed in 1 sheet (files.unit_tebakan)"),
        "{text}"
    );
    assert!(text.contains(&format!("  {city}: 2 baris")), "{text}");
}

/// Dates with two-digit years written first (`24-10-15`, a `yy-mm-dd` format) read as days
/// first had filed a quarter's responses under years 2001 to 2028, silently. The sheet is now
/// refused, saying why and what to do; the same dates written `15-10-24` (days first) are read.
#[test]
fn two_digit_years_written_first_are_refused_not_filed_decades_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    std::fs::create_dir_all(&inbox).unwrap();
    let write = |name: &str, date: &dyn Fn(u32, u32) -> String| {
        let mut text = String::from("Unit Layanan,Tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9\n");
        for m in [10, 11, 12] {
            for d in [1, 5, 9, 13, 17, 21, 25, 28] {
                text.push_str(&format!(
                    "Kecamatan Jatiasih,{},3,4,3,4,3,3,4,3,3\n",
                    date(m, d)
                ));
            }
        }
        std::fs::write(inbox.join(name), text).unwrap();
    };
    write("tahun_dulu.csv", &|m, d| format!("24-{m:02}-{d:02}"));
    write("hari_dulu.csv", &|m, d| format!("{d:02}-{m:02}-24"));
    let summary = run_inbox(&inbox, &out);
    let accepted = |name: &str| {
        (summary.files.iter())
            .find(|f| f.file == name)
            .map(|f| f.accepted())
            .unwrap()
    };
    assert_eq!(accepted("tahun_dulu.csv"), 0);
    assert_eq!(accepted("hari_dulu.csv"), 24);
    let r = read(&out.join("rejects.parquet"));
    let (file, kode, alasan) = (r.str("source_file"), r.str("kode"), r.str("alasan"));
    let i = (0..r.len())
        .find(|&i| file[i].as_deref() == Some("tahun_dulu.csv"))
        .unwrap();
    assert_eq!(kode[i].as_deref(), Some("tanggal_tidak_terbaca"));
    let reason = alasan[i].clone().unwrap();
    assert!(reason.contains("dari tahun 2001 sampai 2028"), "{reason}");
    assert!(reason.contains("empat angka"), "{reason}");
    // Every response filed in 2024.
    let ikm = read(&out.join("gold/ikm_unit.parquet"));
    assert!(ikm.i64("tahun").iter().all(|t| *t == Some(2024)));
}
