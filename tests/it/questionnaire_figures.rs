//! The foundation issue: raw questionnaires → silver → NRR and IKM gold tables.
//!
//! Figures are the seeds' (fixtures/reference/nrr_periode_kecamatan_2024.tsv, taken from
//! 000 lines 896–933, 002 lines 3379–3400, 003 lines 1020–1062). The files are written by
//! the tests themselves, as CSV and XLSX.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{read, run_inbox};
use skm::gen::demo::waves;
use skm::gen::{
    exact_wave, wave_table, write_csv, write_xlsx, HeaderStyle, Table, Val, WaveLayout,
};

fn unit_id(kecamatan: &str) -> String {
    format!("kecamatan-{}", kecamatan.to_lowercase().replace(' ', "-"))
}

fn months(periode: &str) -> Vec<(i32, u32)> {
    match periode {
        "S1" => vec![(2024, 2), (2024, 5)],
        "TW3" => vec![(2024, 7), (2024, 9)],
        "TW4" => vec![(2024, 10), (2024, 12)],
        _ => unreachable!(),
    }
}

/// Writes the seven waves, alternating CSV and XLSX and the three header styles.
fn write_waves(dir: &Path, style_of: impl Fn(usize) -> HeaderStyle) {
    for (i, w) in waves().unwrap().iter().enumerate() {
        let layout = WaveLayout {
            style: style_of(i),
            unit_column: Some(if i % 2 == 0 {
                format!("Kec. {}", w.kecamatan)
            } else {
                format!("KECAMATAN {}", w.kecamatan.to_uppercase())
            }),
            // A semester cannot be told from a date: S1 waves always carry a period column.
            periode_column: (i % 3 != 0 || w.periode == "S1").then(|| w.periode.clone()),
            months: months(&w.periode),
            timestamps: i % 2 == 1,
            title: vec!["Survei Kepuasan Masyarakat".into()],
            profile: true,
            seed: 100 + i as u64,
        };
        let t = wave_table(&exact_wave(w.nrr_milli, 100 + i as u64), &layout);
        let name = format!("{}_{}", w.kecamatan.replace(' ', "_"), w.periode);
        if i % 2 == 0 {
            write_csv(
                &dir.join(format!("{name}.csv")),
                &t,
                if i % 4 == 0 { b';' } else { b',' },
                i % 4 == 0,
            )
            .unwrap();
        } else {
            write_xlsx(&dir.join(format!("{name}.xlsx")), &[("Jawaban", &t)]).unwrap();
        }
    }
}

/// The grade bands of DOMAIN.md, written out again here so the test does not trust the code
/// it checks: on the value rounded half-up to 2 decimals, lower bounds inclusive.
fn band(ikm_2dp: f64) -> &'static str {
    let h = (ikm_2dp * 100.0).round() as i64;
    if h >= 8831 {
        "A"
    } else if h >= 7661 {
        "B"
    } else if h >= 6500 {
        "C"
    } else {
        "D"
    }
}

#[test]
fn seven_waves_reproduce_the_published_ikm() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    write_waves(&inbox, |i| {
        [
            HeaderStyle::Codes,
            HeaderStyle::Names,
            HeaderStyle::Questions,
        ][i % 3]
    });
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.rejected(), 0, "no row of an exact wave is rejected");
    assert_eq!(s.accepted(), 7 * 1001);

    let ikm = read(&out.join("gold/ikm_unit.parquet"));
    let (ids, per, v, b, m) = (
        ikm.str("unit_id"),
        ikm.str("periode"),
        ikm.f64("ikm"),
        ikm.f64("ikm_bulat"),
        ikm.str("mutu"),
    );
    let mut got: BTreeMap<(String, String), (f64, f64, String)> = BTreeMap::new();
    for i in 0..ikm.len() {
        got.insert(
            (ids[i].clone().unwrap(), per[i].clone().unwrap()),
            (v[i].unwrap(), b[i].unwrap(), m[i].clone().unwrap()),
        );
    }
    // The figures: IKM half-up to 2 decimals, and the grade they carry.
    let expected = [
        ("Bekasi Timur", "S1", 86.71, "B"),
        ("Bekasi Timur", "TW3", 86.78, "B"),
        ("Bekasi Timur", "TW4", 87.22, "B"),
        ("Mustikajaya", "TW4", 88.89, "A"),
        ("Medansatria", "S1", 84.78, "B"),
        ("Medansatria", "TW3", 81.81, "B"),
        ("Medansatria", "TW4", 88.03, "B"),
    ];
    for (k, p, want, mutu) in expected {
        let (full, bulat, got_mutu) = &got[&(unit_id(k), p.to_string())];
        assert_eq!(*bulat, want, "{k} {p}: IKM {full}");
        assert_eq!(got_mutu, mutu, "{k} {p}");
        assert_eq!(band(*bulat), mutu, "{k} {p}: DOMAIN.md band");
    }
    // Full precision is kept: Medansatria S1 is 84.775 (not a rounded figure).
    let (ms_s1, _, _) = got[&(unit_id("Medansatria"), "S1".to_string())];
    assert!((ms_s1 - 84.775).abs() < 1e-9, "{ms_s1}");

    // Where the printed figure differs from the recomputation: exactly the two that were
    // truncated instead of rounded (87.2167 printed 87.21; 84.775 printed 84.77).
    let mut differs = Vec::new();
    for w in waves().unwrap() {
        let (full, bulat, _) = got[&(unit_id(&w.kecamatan), w.periode.clone())];
        if bulat != w.ikm_as_printed {
            let truncated = (full * 100.0 + 1e-9).floor() / 100.0;
            assert_eq!(
                truncated, w.ikm_as_printed,
                "{} {} printed {} is the truncation of {full}",
                w.kecamatan, w.periode, w.ikm_as_printed
            );
            differs.push(format!(
                "{} {}: printed {}, computed {bulat}",
                w.kecamatan, w.periode, w.ikm_as_printed
            ));
        }
    }
    assert_eq!(
        differs,
        vec![
            "Bekasi Timur TW4: printed 87.21, computed 87.22".to_string(),
            "Medansatria S1: printed 84.77, computed 84.78".to_string()
        ]
    );

    // Every unsur's NRR comes out exactly as printed, with its grade per DOMAIN.md.
    let nrr = read(&out.join("gold/nrr_unsur.parquet"));
    let (nid, nper, nkode, nv, nb, nm, nn) = (
        nrr.str("unit_id"),
        nrr.str("periode"),
        nrr.str("kode"),
        nrr.f64("nrr"),
        nrr.f64("nrr_bulat"),
        nrr.str("mutu"),
        nrr.i64("n_jawaban"),
    );
    let mut checked = 0;
    for w in waves().unwrap() {
        for k in 0..9 {
            let kode = format!("U{}", k + 1);
            let i = (0..nrr.len())
                .find(|&i| {
                    nid[i].as_deref() == Some(&unit_id(&w.kecamatan))
                        && nper[i].as_deref() == Some(&w.periode)
                        && nkode[i].as_deref() == Some(&kode)
                })
                .unwrap();
            let printed = w.nrr_milli[k] as f64 / 1000.0;
            assert_eq!(nb[i], Some(printed), "{} {} {kode}", w.kecamatan, w.periode);
            assert!((nv[i].unwrap() - printed).abs() < 1e-12);
            assert_eq!(nn[i], Some(1000), "blanks are not counted as answers");
            let ikm_unsur = ((printed * 25.0) * 100.0).round() / 100.0;
            assert_eq!(
                nm[i].as_deref(),
                Some(band(ikm_unsur)),
                "{} {} {kode}",
                w.kecamatan,
                w.periode
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 63);
    // Medansatria S1 printed A for three unsur with NRR 3.35–3.37 (003 lines 1020–1030): B here.
    for kode in ["U6", "U7", "U8"] {
        let i = (0..nrr.len())
            .find(|&i| {
                nid[i].as_deref() == Some("kecamatan-medansatria")
                    && nper[i].as_deref() == Some("S1")
                    && nkode[i].as_deref() == Some(kode)
            })
            .unwrap();
        assert_eq!(nm[i].as_deref(), Some("B"), "{kode}");
    }

    // The yearly row pools all of the year's respondents.
    let (bt_year_n, _) = (0..ikm.len())
        .find(|&i| {
            ids[i].as_deref() == Some("kecamatan-bekasi-timur")
                && per[i].as_deref() == Some("TAHUN")
        })
        .map(|i| (ikm.i64("n_responden")[i], ()))
        .unwrap();
    assert_eq!(bt_year_n, Some(3 * 1001));
}

fn gold_as_text(out: &Path) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    (
        read(&out.join("gold/ikm_unit.parquet")).rows_as_text(),
        read(&out.join("gold/nrr_unsur.parquet")).rows_as_text(),
    )
}

#[test]
fn three_layouts_give_identical_gold_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let mut results = Vec::new();
    for (n, style) in [
        HeaderStyle::Codes,
        HeaderStyle::Names,
        HeaderStyle::Questions,
    ]
    .into_iter()
    .enumerate()
    {
        let inbox = tmp.path().join(format!("inbox{n}"));
        let out = tmp.path().join(format!("out{n}"));
        write_waves(&inbox, |_| style);
        let s = run_inbox(&inbox, &out);
        assert_eq!(s.rejected(), 0);
        results.push(gold_as_text(&out));
    }
    assert!(!results[0].0.is_empty());
    assert_eq!(results[0], results[1], "codes vs unsur names");
    assert_eq!(
        results[0], results[2],
        "codes vs question texts with answer words"
    );
}

fn row(cells: &[&str]) -> Vec<Val> {
    cells
        .iter()
        .map(|c| {
            if c.is_empty() {
                Val::Empty
            } else {
                Val::text(*c)
            }
        })
        .collect()
}

#[test]
fn every_bad_row_kind_is_rejected_with_its_reason_and_the_accounting_adds_up() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    let header: Vec<String> = [
        "No", "Unit", "Tanggal", "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9",
    ]
    .map(String::from)
    .to_vec();
    let good = [
        "Kec. Bekasi Timur",
        "15/10/2024",
        "4",
        "3",
        "3",
        "4",
        "3",
        "3",
        "4",
        "3",
        "4",
    ];
    let mut rows = Vec::new();
    let mut add = |no: usize, cells: &[&str]| {
        let mut r = vec![Val::Num(no as f64)];
        r.extend(row(cells));
        rows.push(r);
    };
    add(1, &good);
    add(
        2,
        &[
            "Kec. Bekasi Timur",
            "15/10/2024",
            "5",
            "3",
            "3",
            "4",
            "3",
            "3",
            "4",
            "3",
            "4",
        ],
    );
    add(
        3,
        &[
            "Kec. Bekasi Timur",
            "15/10/2024",
            "4",
            "0",
            "3",
            "4",
            "3",
            "3",
            "4",
            "3",
            "4",
        ],
    );
    add(
        4,
        &[
            "Kec. Bekasi Timur",
            "15/10/2024",
            "4",
            "3",
            "3,5",
            "4",
            "3",
            "3",
            "4",
            "3",
            "4",
        ],
    );
    add(
        5,
        &[
            "Kec. Bekasi Timur",
            "15/10/2024",
            "4",
            "3",
            "3",
            "tiga",
            "3",
            "3",
            "4",
            "3",
            "4",
        ],
    );
    add(
        6,
        &[
            "Kecamatan Antah Berantah",
            "15/10/2024",
            "4",
            "3",
            "3",
            "4",
            "3",
            "3",
            "4",
            "3",
            "4",
        ],
    );
    add(
        7,
        &[
            "Kec. Bekasi Timur",
            "15/10/2024",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    );
    add(
        8,
        &[
            "Kec. Bekasi Timur",
            "",
            "4",
            "3",
            "3",
            "4",
            "3",
            "3",
            "4",
            "3",
            "4",
        ],
    );
    add(
        9,
        &[
            "Kec. Bekasi Timur",
            "kemarin sore",
            "4",
            "3",
            "3",
            "4",
            "3",
            "3",
            "4",
            "3",
            "4",
        ],
    );
    // A blank answer is fine: not a zero, not a reject.
    add(
        10,
        &[
            "Kec. Bekasi Timur",
            "16/10/2024",
            "4",
            "",
            "3",
            "4",
            "3",
            "3",
            "4",
            "3",
            "4",
        ],
    );
    let table = Table {
        title: vec![],
        header,
        rows,
    };
    write_csv(&inbox.join("bad rows.csv"), &table, b',', false).unwrap();
    write_xlsx(&inbox.join("bad rows.xlsx"), &[("Data", &table)]).unwrap();
    // A file that cannot be read, and one whose header cannot be mapped.
    std::fs::write(
        inbox.join("rusak.xlsx"),
        b"PK\x03\x04 this is not a workbook",
    )
    .unwrap();
    std::fs::write(
        inbox.join("lain.csv"),
        "Nama;Alamat;Warna\nBudi;Jl. Mawar;merah\n",
    )
    .unwrap();

    let s = run_inbox(&inbox, &out);
    let rej = read(&out.join("rejects.parquet"));
    let (file, srow, kolom, nilai, kode, alasan) = (
        rej.str("source_file"),
        rej.i64("source_row"),
        rej.str("kolom"),
        rej.str("nilai"),
        rej.str("kode"),
        rej.str("alasan"),
    );
    let find = |f: &str, r: Option<i64>| -> Vec<(String, String, String, String)> {
        (0..rej.len())
            .filter(|&i| file[i].as_deref() == Some(f) && srow[i] == r)
            .map(|i| {
                (
                    kolom[i].clone().unwrap(),
                    nilai[i].clone().unwrap(),
                    kode[i].clone().unwrap(),
                    alasan[i].clone().unwrap(),
                )
            })
            .collect()
    };
    for f in ["bad rows.csv", "bad rows.xlsx"] {
        // Data row n is source row n + 1 (the header is row 1).
        let one = |n: i64| {
            let v = find(f, Some(n + 1));
            assert_eq!(v.len(), 1, "{f} row {}: {v:?}", n + 1);
            v.into_iter().next().unwrap()
        };
        let (k, v, c, a) = one(2);
        assert_eq!(
            (k.as_str(), v.as_str(), c.as_str()),
            ("U1", "5", "jawaban_di_luar_skala")
        );
        assert!(a.contains("1–4") && a.contains("Likert-5"), "{a}");
        assert_eq!(one(3).2, "jawaban_di_luar_skala");
        assert_eq!((one(3).0.as_str(), one(3).1.as_str()), ("U2", "0"));
        let (k, v, c, _) = one(4);
        assert_eq!(
            (k.as_str(), v.as_str(), c.as_str()),
            ("U3", "3,5", "jawaban_bukan_bilangan_bulat")
        );
        let (k, v, c, _) = one(5);
        assert_eq!(
            (k.as_str(), v.as_str(), c.as_str()),
            ("U4", "tiga", "jawaban_tidak_terbaca")
        );
        let (k, v, c, _) = one(6);
        assert_eq!(
            (k.as_str(), v.as_str(), c.as_str()),
            ("Unit", "Kecamatan Antah Berantah", "unit_tidak_dikenal")
        );
        assert_eq!(one(7).2, "tanpa_jawaban");
        let (_, _, c, a) = one(8);
        assert_eq!(c, "periode_tidak_diketahui");
        assert!(a.contains("periode dan tahun"), "{a}");
        let (k, v, c, _) = one(9);
        assert_eq!(
            (k.as_str(), v.as_str(), c.as_str()),
            ("Tanggal", "kemarin sore", "tanggal_tidak_terbaca")
        );
        assert!(find(f, Some(2)).is_empty() && find(f, Some(11)).is_empty());
    }
    let whole = find("rusak.xlsx", None);
    assert_eq!(whole.len(), 1);
    assert_eq!(whole[0].2, "berkas_tidak_terbaca");
    let lain = find("lain.csv", None);
    assert_eq!(lain.len(), 1);
    assert_eq!(lain[0].2, "lembar_tidak_dikenali");

    // Accounting: per file and in total, rows read = accepted + rejected.
    for f in &s.files {
        assert_eq!(f.rows_read(), f.accepted() + f.rejected(), "{}", f.file);
    }
    let bad_csv = s.files.iter().find(|f| f.file == "bad rows.csv").unwrap();
    assert_eq!(
        (bad_csv.rows_read(), bad_csv.accepted(), bad_csv.rejected()),
        (10, 2, 8)
    );
    assert_eq!(s.rows_read(), s.accepted() + s.rejected());
    let files = read(&out.join("files.parquet"));
    let sum = |c: &str| files.i64(c).iter().map(|v| v.unwrap()).sum::<i64>();
    assert_eq!(sum("baris_dibaca"), sum("diterima") + sum("ditolak"));
    // Silver holds exactly the accepted rows, and the blank answer stays null.
    let silver = common::read_silver(&out, 2024);
    assert_eq!(silver.len() as i64, sum("diterima"));
    assert_eq!(silver.len(), 4);
    let prosedur = silver.i64("prosedur");
    assert_eq!(prosedur.iter().filter(|v| v.is_none()).count(), 2);
    let nrr = read(&out.join("gold/nrr_unsur.parquet"));
    let i = (0..nrr.len())
        .find(|&i| {
            nrr.str("periode")[i].as_deref() == Some("TW4")
                && nrr.str("unsur")[i].as_deref() == Some("prosedur")
        })
        .unwrap();
    assert_eq!(nrr.i64("n_jawaban")[i], Some(2), "two answered, two blank");
    assert_eq!(nrr.f64("nrr")[i], Some(3.0), "a blank is not a zero");
}

#[test]
fn personal_data_is_not_copied_and_sources_are_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    write_waves(&inbox, |_| HeaderStyle::Names);
    run_inbox(&inbox, &out);
    let silver = common::read_silver(&out, 2024);
    let cols = silver.columns();
    for c in ["nama", "nama_responden", "no_hp", "saran"] {
        assert!(
            !cols.iter().any(|x| x.to_lowercase().contains(c)),
            "{c} in {cols:?}"
        );
    }
    // Every value but the identity hash (`kunci`: hex digits, which may begin with "0812").
    let kunci_at = cols.iter().position(|c| c == "kunci").unwrap();
    let text: Vec<String> = silver
        .rows_as_text()
        .into_iter()
        .flat_map(|r| {
            r.into_iter()
                .enumerate()
                .filter(|(i, _)| *i != kunci_at)
                .map(|(_, v)| v)
        })
        .collect();
    assert!(!text.iter().any(|t| t.starts_with("Responden ")
        || t.starts_with("0812")
        || t.contains("pertahankan")));
    // Each row keeps where it came from.
    let files = silver.str("source_file");
    assert!(files.iter().all(|f| f
        .as_deref()
        .is_some_and(|f| f.ends_with(".csv") || f.ends_with(".xlsx"))));
    assert!(
        silver
            .i64("source_row")
            .iter()
            .all(|r| r.is_some_and(|r| r >= 3)),
        "title row and header come first"
    );
    let jk = silver.str("jenis_kelamin");
    assert!(jk
        .iter()
        .all(|v| matches!(v.as_deref(), Some("L") | Some("P"))));
}

#[test]
fn outputs_match_the_data_dictionary() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    write_waves(&inbox, |_| HeaderStyle::Codes);
    run_inbox(&inbox, &out);
    let dict = skm::tables::Dictionary::embedded();
    for t in &dict.tables {
        let path = out.join(
            t.path
                .replace("tahun=*", "tahun=2024")
                .replace("part-*", "part-00000"),
        );
        let table = read(&path);
        // A partitioned table's files hold every column but the partition (Hive: `tahun=2024/`).
        let want: Vec<String> = t
            .columns
            .iter()
            .map(|c| c.name.clone())
            .filter(|c| !t.path.contains(&format!("/{c}=")))
            .collect();
        assert_eq!(table.columns(), want, "{}", t.name);
    }
}

#[test]
fn the_default_run_works_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = crate::common::skm_command()
        .arg("run")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("kecamatan-bekasi-timur") && stdout.contains("86.71"),
        "{stdout}"
    );
    assert!(stdout.contains("rows read"), "{stdout}");
    assert!(out.join("gold/ikm_unit.parquet").is_file());
    // A usage error is exit 2, with the reason.
    let o = crate::common::skm_command()
        .args(["run", "--inbox", "/no/such/folder"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/no/such/folder"));
}

#[test]
fn a_replacement_registry_and_the_unsur_order_are_honoured() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    // Codes in the regulation's order: U8 = pengaduan, U9 = sarpras.
    let w = &waves().unwrap()[0];
    let mut swapped = w.nrr_milli;
    swapped.swap(7, 8);
    let t = wave_table(
        &exact_wave(swapped, 5),
        &WaveLayout {
            style: HeaderStyle::Codes,
            unit_column: Some("UPTD Pasar Baru".into()),
            periode_column: Some("S1".into()),
            months: vec![(2024, 3)],
            timestamps: false,
            title: vec![],
            profile: false,
            seed: 5,
        },
    );
    write_csv(&inbox.join("pasar.csv"), &t, b';', false).unwrap();
    let units = tmp.path().join("units.tsv");
    std::fs::write(&units, "unit_id\tunit_nama\tjenis_unit\taliases\nuptd-pasar\tUPTD Pasar Baru Bekasi\tperangkat_daerah\tUPTD Pasar Baru\n").unwrap();
    let config = tmp.path().join("skm.toml");
    std::fs::write(
        &config,
        "[kuesioner]\nunsur_order = [\"persyaratan\", \"prosedur\", \"waktu\", \"biaya\", \"produk\", \"kompetensi\", \"perilaku\", \"pengaduan\", \"sarpras\"]\n",
    )
    .unwrap();
    let o = crate::common::skm_command()
        .arg("run")
        .arg("--inbox")
        .arg(&inbox)
        .arg("--out")
        .arg(&out)
        .arg("--units")
        .arg(&units)
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let nrr = read(&out.join("gold/nrr_unsur.parquet"));
    let (unsur, v, id) = (nrr.str("unsur"), nrr.f64("nrr_bulat"), nrr.str("unit_id"));
    assert!(id.iter().all(|i| i.as_deref() == Some("uptd-pasar")));
    let get = |k: &str| {
        (0..nrr.len())
            .find(|&i| unsur[i].as_deref() == Some(k))
            .map(|i| v[i].unwrap())
            .unwrap()
    };
    assert_eq!(get("sarpras"), w.nrr_milli[7] as f64 / 1000.0);
    assert_eq!(get("pengaduan"), w.nrr_milli[8] as f64 / 1000.0);

    // A configuration that names an unknown unsur is a usage error (exit 2) that says so.
    std::fs::write(&config, "[kuesioner]\nunsur_order = [\"persyaratan\"]\n").unwrap();
    let o = crate::common::skm_command()
        .arg("run")
        .arg("--inbox")
        .arg(&inbox)
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("unsur_order"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
