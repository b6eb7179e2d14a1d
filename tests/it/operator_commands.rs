//! The commands an operator reaches for: validate, template, sql, schema, run --json, and the
//! Excel workbook, read back with calamine (a reader other than the writer).

use crate::common;

use std::path::Path;
use std::process::Output;

use calamine::{open_workbook_auto, Data, Reader};
use skm::gen::{write_csv, write_xlsx, Table, Val};

fn skm(args: &[&str], dir: &Path) -> Output {
    crate::common::skm_command()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn header_of(path: &Path, sheet: &str) -> (usize, Vec<String>) {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    for (i, row) in range.rows().enumerate() {
        if row.len() > 3 && row.iter().filter(|c| !matches!(c, Data::Empty)).count() > 3 {
            return (i, row.iter().map(|c| c.to_string()).collect());
        }
    }
    panic!("no header in {sheet}");
}

#[test]
fn validate_names_file_row_column_value_and_reason_and_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let header: Vec<String> = [
        "Unit", "Tanggal", "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9",
    ]
    .map(String::from)
    .to_vec();
    let good: Vec<Val> = [
        "Kec. Jatiasih",
        "02/03/2024",
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
    .map(|s| Val::text(*s))
    .collect();
    let mut bad = good.clone();
    bad[4] = Val::text("7");
    let t = Table {
        title: vec![],
        header,
        rows: vec![good.clone(), bad],
    };
    write_csv(&tmp.path().join("jatiasih tw1.csv"), &t, b';', false).unwrap();
    let o = skm(&["validate", "jatiasih tw1.csv"], tmp.path());
    let out = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}");
    assert!(out.contains("jatiasih tw1.csv"), "{out}");
    assert!(
        out.contains("row 3")
            && out.contains("column 'U3'")
            && out.contains("value '7'")
            && out.contains("di luar skala 1–4"),
        "{out}"
    );
    assert!(
        out.contains("'U1' → persyaratan"),
        "the mapped columns are shown: {out}"
    );
    assert!(!tmp.path().join("out").exists(), "validate writes nothing");

    let t = Table {
        title: vec![],
        header: t.header.clone(),
        rows: vec![good],
    };
    write_csv(&tmp.path().join("baik.csv"), &t, b';', false).unwrap();
    let o = skm(&["validate", "baik.csv"], tmp.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        skm(&["validate", "tidak-ada.csv"], tmp.path())
            .status
            .code(),
        Some(2)
    );
}

/// Fills a template as a user would: the template's own headers, rows below them, saved anew.
fn fill(
    template: &Path,
    sheet: &str,
    title: Vec<String>,
    rows: Vec<Vec<Val>>,
    out: &Path,
) -> Vec<String> {
    let (_, header) = header_of(template, sheet);
    let header: Vec<String> = header.into_iter().filter(|h| !h.is_empty()).collect();
    write_xlsx(
        out,
        &[(
            sheet,
            &Table {
                title,
                header: header.clone(),
                rows,
            },
        )],
    )
    .unwrap();
    header
}

#[test]
fn filled_templates_pass_validate_and_flow_through_run() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir_all(d.join("inbox")).unwrap();
    for kind in ["kuesioner", "rekap", "iku", "anggaran"] {
        let o = skm(&["template", kind, "--out", &format!("t_{kind}.xlsx")], d);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        let mut wb = open_workbook_auto(d.join(format!("t_{kind}.xlsx"))).unwrap();
        let names = wb.sheet_names();
        assert!(
            names.contains(&"Petunjuk".to_string()) && names.contains(&"Daftar Unit".to_string()),
            "{names:?}"
        );
        let _ = wb.worksheet_range("Petunjuk").unwrap();
    }
    // Kuesioner: answer words, as the drop-downs offer them.
    let (_, h) = header_of(&d.join("t_kuesioner.xlsx"), "Kuesioner");
    let rows: Vec<Vec<Val>> = (0..40)
        .map(|i| {
            h.iter()
                .map(|c| match c.as_str() {
                    "No" => Val::Num((i + 1) as f64),
                    "Unit Layanan" => Val::text("Kecamatan Jatiasih"),
                    "Tanggal" => Val::Date(2024, 2 + (i % 2) as u32, 10),
                    "Periode" => Val::Empty,
                    "Jenis Layanan" => Val::text("Surat Keterangan Domisili"),
                    "Jenis Kelamin" => {
                        Val::text(if i % 2 == 0 { "Laki-laki" } else { "Perempuan" })
                    }
                    "Umur" => Val::Num(20.0 + i as f64),
                    "Pendidikan" => Val::text("SMA"),
                    "Pekerjaan" => Val::text("Swasta"),
                    unsur => {
                        let u = skm::domain::UNSUR.iter().find(|u| u.nama == unsur).unwrap();
                        Val::text(u.jawaban[2 + (i % 2)])
                    }
                })
                .collect()
        })
        .collect();
    fill(
        &d.join("t_kuesioner.xlsx"),
        "Kuesioner",
        vec![],
        rows,
        &d.join("inbox/kuesioner.xlsx"),
    );
    // Rekap, IKU, anggaran: one row each.
    let (_, h) = header_of(&d.join("t_rekap.xlsx"), "Rekap IKM");
    let vals = |h: &[String], f: &dyn Fn(&str) -> Val| -> Vec<Vec<Val>> {
        vec![h.iter().map(|c| f(c)).collect()]
    };
    let rekap = vals(&h, &|c| match c {
        "No" => Val::Num(1.0),
        "Unit Layanan" => Val::text("Dinas Sosial"),
        "Tahun" => Val::Num(2024.0),
        "Jumlah Responden" => Val::Num(400.0),
        "Populasi" => Val::Num(5000.0),
        "Nilai IKM" => Val::text("85,50"),
        "Mutu Pelayanan" => Val::text("B"),
        _ => Val::Empty,
    });
    fill(
        &d.join("t_rekap.xlsx"),
        "Rekap IKM",
        vec![],
        rekap,
        &d.join("inbox/rekap.xlsx"),
    );
    let (_, h) = header_of(&d.join("t_iku.xlsx"), "IKU");
    let iku = vals(&h, &|c| match c {
        "No" => Val::Num(1.0),
        "Unit" => Val::text("Dinas Sosial"),
        "Tahun" => Val::Num(2024.0),
        "Indikator Kinerja" => Val::text("Persentase PMKS yang tertangani"),
        "Satuan" => Val::text("%"),
        "Target" => Val::text("80,00"),
        "Realisasi" => Val::text("84,00"),
        "Capaian (%)" => Val::text("105,00"),
        "Arah" => Val::text("naik"),
        _ => Val::Empty,
    });
    fill(
        &d.join("t_iku.xlsx"),
        "IKU",
        vec![],
        iku,
        &d.join("inbox/iku.xlsx"),
    );
    let (_, h) = header_of(&d.join("t_anggaran.xlsx"), "Anggaran");
    let mut anggaran = Vec::new();
    for (k, u, m, p, r) in [
        (
            "1",
            "Program Penunjang Urusan Pemerintahan Daerah",
            "300.000.000",
            "300.000.000",
            "250.000.000",
        ),
        (
            "1.2.01",
            "Administrasi Umum Perangkat Daerah",
            "300.000.000",
            "300.000.000",
            "250.000.000",
        ),
        (
            "1.2.01.1",
            "Penyediaan Bahan Logistik Kantor",
            "100.000.000",
            "100.000.000",
            "90.000.000",
        ),
        (
            "1.2.01.2",
            "Penyediaan Barang Cetak dan Penggandaan",
            "200.000.000",
            "200.000.000",
            "160.000.000",
        ),
    ] {
        anggaran.push(
            h.iter()
                .map(|c| match c.as_str() {
                    "Kode" => Val::text(k),
                    "Uraian" => Val::text(u),
                    "Pagu Murni" => Val::text(m),
                    "Pagu Perubahan" => Val::text(p),
                    "Realisasi" => Val::text(r),
                    _ => Val::Empty,
                })
                .collect(),
        );
    }
    fill(
        &d.join("t_anggaran.xlsx"),
        "Anggaran",
        vec![
            "REALISASI ANGGARAN".into(),
            "Unit: Dinas Sosial".into(),
            "Tahun: 2024".into(),
        ],
        anggaran,
        &d.join("inbox/anggaran.xlsx"),
    );
    let o = skm(&["validate", "inbox"], d);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = skm(&["run", "--inbox", "inbox", "--out", "out", "--json"], d);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["rejected"], 0);
    assert_eq!(summary["accepted"].as_u64(), Some(40 + 1 + 1 + 4));
    let ikm = common::read(&d.join("out/gold/ikm_unit.parquet"));
    let ids = ikm.str("unit_id");
    assert!(ids
        .iter()
        .any(|u| u.as_deref() == Some("kecamatan-jatiasih")));
    assert!(ids.iter().any(|u| u.as_deref() == Some("dinas-sosial")));
    let iku = common::read(&d.join("out/gold/iku_capaian.parquet"));
    assert_eq!(iku.f64("capaian_bulat")[0], Some(105.0));
    let ang = common::read(&d.join("out/gold/anggaran.parquet"));
    assert_eq!(ang.len(), 4);
    assert_eq!(common::read(&d.join("out/gold/audit.parquet")).len(), 0);
}

#[test]
fn the_workbook_opens_in_another_reader_with_numbers_as_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let o = skm(&["run"], tmp.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let path = tmp.path().join("out/report/skm_2024.xlsx");
    assert!(path.is_file(), "{}", text(&o));
    let mut wb = open_workbook_auto(&path).unwrap();
    let names = wb.sheet_names();
    for s in [
        "Ringkasan",
        "Unit",
        "Unsur",
        "Kecamatan",
        "Prioritas",
        "Sampel",
        "Capaian",
        "Anggaran",
        "Temuan",
        "Ditolak",
    ] {
        assert!(names.contains(&s.to_string()), "{s} in {names:?}");
    }
    let unit = wb.worksheet_range("Unit").unwrap();
    let header: Vec<String> = unit
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let ikm_col = header.iter().position(|h| h == "IKM").unwrap();
    let values: Vec<&Data> = unit.rows().skip(1).map(|r| &r[ikm_col]).collect();
    assert_eq!(
        values.len(),
        96,
        "the 96 units of 2024, the 3 kecamatan with raw data once"
    );
    assert!(
        values.iter().all(|v| matches!(v, Data::Float(_))),
        "{values:?}"
    );
    let ringkasan = wb.worksheet_range("Ringkasan").unwrap();
    let city = ringkasan
        .rows()
        .find(|r| r[0].to_string().starts_with("IKM Kota"))
        .unwrap();
    assert!(
        matches!(city[1], Data::Float(v) if (v - 88.16).abs() < 0.011),
        "{city:?}"
    );
    // 2023 has its own workbook.
    assert!(tmp.path().join("out/report/skm_2023.xlsx").is_file());
}

#[test]
fn sql_and_schema_answer_questions_about_the_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    assert_eq!(skm(&["run"], d).status.code(), Some(0));
    let o = skm(
        &[
            "sql",
            "SELECT count(*) AS n FROM ikm_unit WHERE periode = 'TAHUN' AND tahun = 2023",
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("96"), "{}", text(&o));
    let o = skm(
        &[
            "sql",
            "SELECT apa, count(*) AS n FROM audit GROUP BY apa ORDER BY apa",
            "--out",
            "temuan.csv",
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let csv = std::fs::read_to_string(d.join("temuan.csv")).unwrap();
    assert!(csv.starts_with("apa,n") && csv.contains("mutu,23"), "{csv}");
    let o = skm(&["sql", "SELECT count(*) FROM responses"], d);
    assert!(text(&o).contains("7007"), "{}", text(&o));
    // A query's rows as Parquet: the reference implementation reads them, with each column's
    // nulls counted once.
    let q = "SELECT unit_id, persyaratan FROM responses";
    let o = skm(&["sql", q, "--out", "jawaban.parquet"], d);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let f = std::fs::File::open(d.join("jawaban.parquet")).unwrap();
    let reader = parquet::file::reader::SerializedFileReader::new(f).unwrap();
    let meta = parquet::file::reader::FileReader::metadata(&reader);
    assert_eq!(meta.file_metadata().num_rows(), 7007);
    let blanks = "SELECT count(*) - count(persyaratan) AS kosong FROM responses";
    assert_eq!(
        skm(&["sql", blanks, "--out", "kosong.csv"], d)
            .status
            .code(),
        Some(0)
    );
    let want = std::fs::read_to_string(d.join("kosong.csv")).unwrap();
    let counted: u64 = (meta.row_groups().iter())
        .map(|g| g.column(1).statistics().unwrap().null_count_opt().unwrap())
        .sum();
    assert_eq!(want, format!("kosong\n{counted}\n"));
    let o = skm(&["sql", q, "--out", "jawaban.txt"], d);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("must end in .csv or .parquet"),
        "{}",
        text(&o)
    );
    assert_eq!(
        skm(&["sql", "SELECT * FROM tidak_ada"], d).status.code(),
        Some(2)
    );
    let o = skm(&["schema", "ikm_kota"], d);
    assert!(text(&o).contains("ikm_gabungan") && text(&o).contains("gold/ikm_kota.parquet"));
    assert_eq!(skm(&["schema", "tidak_ada"], d).status.code(), Some(2));
    for c in ["run", "validate", "template", "sql", "schema"] {
        let o = skm(&[c, "--help"], d);
        assert!(
            text(&o).contains("Example"),
            "{c} --help shows an example: {}",
            text(&o)
        );
    }
}

/// `skm validate` says once where a sheet's period and year came from: "from its column",
/// "from the survey date", or "INFERRED from the title rows, sheet or file name" (not "from
/// INFERRED from").
#[test]
fn validate_says_where_the_period_came_from_in_one_phrase() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("skm_jatiasih_tw2_2024.csv");
    std::fs::write(
        &file,
        "Unit Layanan,U1,U2,U3,U4,U5,U6,U7,U8,U9\nKecamatan Jatiasih,3,4,3,4,3,3,4,3,3\n",
    )
    .unwrap();
    let o = crate::common::skm(&["validate", file.to_str().unwrap()], &[]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("period: INFERRED from the title rows, sheet or file name"),
        "{text}"
    );
    assert!(!text.contains("from INFERRED"), "{text}");
}
