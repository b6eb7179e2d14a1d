//! Closing the loop (issue 16): follow-up plans (rencana tindak lanjut) for the lowest unsur,
//! written in skm's template or in the reports' printed table (002 l.3518–3598), tracked
//! against the next survey in `gold/tindak_lanjut`; and an IKU row stating a unit's IKM
//! checked against skm's own yearly IKM (000 l.625).
//!
//! The raw waves are the seeds' (fixtures/reference/nrr_periode_kecamatan_2024.tsv, through
//! `exact_wave`), written by the test; the 2025 waves change named unsur of them.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

use crate::common::{read, run_inbox, skm_command};
use skm::domain::UNSUR;
use skm::gen::demo::waves;
use skm::gen::{
    exact_wave, wave_table, write_csv, write_xlsx, HeaderStyle, Table, Val, WaveLayout,
};

/// A wave of `kecamatan` in `periode` of `tahun` with these NRR (× 1000, `UNSUR` order),
/// written as a CSV with a unit and a period column.
fn write_wave(dir: &Path, kecamatan: &str, periode: &str, tahun: i32, nrr_milli: [u32; 9]) {
    let months = match periode {
        "S1" => vec![(tahun, 2), (tahun, 5)],
        "TW1" => vec![(tahun, 1), (tahun, 3)],
        "TW3" => vec![(tahun, 7), (tahun, 9)],
        "TW4" => vec![(tahun, 10), (tahun, 12)],
        _ => unreachable!(),
    };
    let seed = 7 + tahun as u64 + periode.len() as u64 + kecamatan.len() as u64;
    let layout = WaveLayout {
        style: HeaderStyle::Codes,
        unit_column: Some(format!("Kecamatan {kecamatan}")),
        periode_column: Some(periode.to_string()),
        months,
        timestamps: false,
        title: vec![],
        profile: false,
        seed,
    };
    let t = wave_table(&exact_wave(nrr_milli, seed), &layout);
    let name = format!("{}_{periode}_{tahun}.csv", kecamatan.replace(' ', "_"));
    write_csv(&dir.join(name), &t, b';', false).unwrap();
}

/// The seed's NRR (× 1000) of a kecamatan's wave of 2024.
fn seed_wave(kecamatan: &str, periode: &str) -> [u32; 9] {
    waves()
        .unwrap()
        .into_iter()
        .find(|w| w.kecamatan == kecamatan && w.periode == periode)
        .unwrap()
        .nrr_milli
}

/// The index in `UNSUR` of a code.
fn k(kode: &str) -> usize {
    UNSUR.iter().position(|u| u.kode == kode).unwrap()
}

fn cell(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// `tindak_lanjut` as (unit, kode) → (ada_rencana, status, nrr_prioritas_bulat,
/// nrr_tindak_lanjut_bulat, periode_tindak_lanjut, waktu_tahun, waktu_periode), in table order.
type Tracked = Vec<(
    String,
    String,
    bool,
    String,
    Option<f64>,
    Option<f64>,
    Option<String>,
    Option<i64>,
    Option<String>,
)>;

fn tracked(out: &Path) -> Tracked {
    let t = read(&out.join("gold/tindak_lanjut.parquet"));
    let (unit, kode, ada, status) = (
        t.str("unit_id"),
        t.str("kode"),
        t.str("ada_rencana"),
        t.str("status"),
    );
    let (p, f, per) = (
        t.f64("nrr_prioritas_bulat"),
        t.f64("nrr_tindak_lanjut_bulat"),
        t.str("periode_tindak_lanjut"),
    );
    let (wt, wp) = (t.i64("waktu_tahun"), t.str("waktu_periode"));
    (0..t.len())
        .map(|i| {
            (
                unit[i].clone().unwrap(),
                kode[i].clone().unwrap(),
                ada[i].as_deref() == Some("true"),
                status[i].clone().unwrap(),
                p[i],
                f[i],
                per[i].clone(),
                wt[i],
                wp[i].clone(),
            )
        })
        .collect()
}

/// The sheet of a workbook as text: every row, every cell.
fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range.rows().map(|r| r.iter().map(cell).collect()).collect()
}

/// The template as written: its title rows, its header and its rows with content.
struct Template {
    title: Vec<String>,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Template {
    fn read(path: &Path) -> Template {
        let rows = sheet_rows(path, "Tindak Lanjut");
        let at = rows
            .iter()
            .position(|r| r.contains(&"Prioritas Unsur".to_string()))
            .unwrap();
        Template {
            title: rows[..at]
                .iter()
                .map(|r| r.join(" ").trim().to_string())
                .collect(),
            header: rows[at].clone(),
            rows: rows[at + 1..]
                .iter()
                .filter(|r| r.iter().any(|c| !c.is_empty()))
                .cloned()
                .collect(),
        }
    }

    fn col(&self, h: &str) -> usize {
        self.header.iter().position(|x| x == h).unwrap()
    }

    /// The units fill it: Bekasi Timur plans for two of its three priorities (not U2), Jatiasih
    /// for none; Mustikajaya's waktu is written without a year; Medansatria reports a status.
    /// Three more rows name a unit, an unsur and a status skm cannot match.
    fn filled(&self) -> Table {
        let col = |h: &str| self.col(h);
        let mut filled: Vec<Vec<Val>> = Vec::new();
        for r in &self.rows {
            let unsur = &r[col("Prioritas Unsur")][..2];
            let (program, waktu, status) = match (r[col("Unit Layanan")].as_str(), unsur) {
                ("Kecamatan Bekasi Timur", "U2") | ("Kecamatan Jatiasih", _) => ("", "", ""),
                ("Kecamatan Bekasi Timur", _) => ("Pelatihan pelayanan prima", "TW1 2025", ""),
                ("Kecamatan Mustikajaya", _) => ("Sosialisasi kepada warga", "Triwulan I", ""),
                _ => ("Koordinasi dengan instansi", "TW1 2025", "Sedang berjalan"),
            };
            let mut row: Vec<Val> = r
                .iter()
                .map(|c| match c.is_empty() {
                    true => Val::Empty,
                    false => Val::text(c.clone()),
                })
                .collect();
            row.resize(self.header.len(), Val::Empty);
            row[col("Program/Kegiatan")] = Val::text(program);
            row[col("Waktu")] = Val::text(waktu);
            let pj = if program.is_empty() {
                ""
            } else {
                "Sekretaris Camat"
            };
            row[col("Penanggung Jawab")] = Val::text(pj);
            row[col("Status")] = Val::text(status);
            filled.push(row);
        }
        let extra = |unit: &str, unsur: &str, status: &str| {
            let mut row = vec![Val::Empty; self.header.len()];
            row[col("Unit Layanan")] = Val::text(unit);
            row[col("Tahun")] = Val::Num(2024.0);
            row[col("Periode")] = Val::text("TW4");
            row[col("Prioritas Unsur")] = Val::text(unsur);
            row[col("Program/Kegiatan")] = Val::text("Perbaikan ruang tunggu");
            row[col("Waktu")] = Val::text("TW2 2025");
            row[col("Status")] = Val::text(status);
            row
        };
        filled.push(extra("Kecamatan Atlantis", "U8. Sarana dan prasarana", ""));
        filled.push(extra(
            "Kecamatan Bekasi Timur",
            "U12. Kebersihan toilet",
            "",
        ));
        filled.push(extra("Kecamatan Mustikajaya", "U8", "mungkin"));
        Table {
            title: self.title.clone(),
            header: self.header.clone(),
            rows: filled,
        }
    }
}

/// Every priority of TW4 2024, as (unit, peringkat, kode, NRR at 3 decimals, seri): the three
/// lowest of each wave, ties sharing a rank (seed NRR: Bekasi Timur 000 l.924–933, Medansatria
/// 003 l.1046–1062, Mustikajaya 002 l.3379–3400; Jatiasih answers as Bekasi Timur).
const PRIORITIES: [(&str, &str, &str, &str, &str); 13] = [
    ("Bekasi Timur", "1", "U7", "3.189", ""),
    ("Bekasi Timur", "2", "U8", "3.264", ""),
    ("Bekasi Timur", "3", "U2", "3.283", ""),
    ("Jatiasih", "1", "U7", "3.189", ""),
    ("Jatiasih", "2", "U8", "3.264", ""),
    ("Jatiasih", "3", "U2", "3.283", ""),
    ("Medansatria", "1", "U5", "3.355", "ya"),
    ("Medansatria", "1", "U7", "3.355", "ya"),
    ("Medansatria", "3", "U6", "3.421", "ya"),
    ("Medansatria", "3", "U8", "3.421", "ya"),
    ("Mustikajaya", "1", "U1", "3.161", ""),
    ("Mustikajaya", "2", "U7", "3.323", "ya"),
    ("Mustikajaya", "2", "U8", "3.323", "ya"),
];

/// `skm template rtl` for TW4 2024 lists every priority, code and name, NRR, rank and ties.
fn template_lists_the_priorities(out: &Path, path: &Path) -> Template {
    let o = skm_command()
        .args(["template", "rtl", "--out"])
        .arg(path)
        .args(["--tahun", "2024", "--periode", "TW4", "--dir"])
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = Template::read(path);
    let listed: Vec<[String; 5]> = t
        .rows
        .iter()
        .map(|r| {
            [
                "Unit Layanan",
                "Peringkat",
                "Prioritas Unsur",
                "NRR",
                "Seri",
            ]
            .map(|h| r[t.col(h)].clone())
        })
        .collect();
    let want: Vec<[String; 5]> = PRIORITIES
        .iter()
        .map(|(u, p, kode, nrr, seri)| {
            let label = format!("{kode}. {}", UNSUR[k(kode)].nama);
            [
                format!("Kecamatan {u}"),
                p.to_string(),
                label,
                nrr.to_string(),
                seri.to_string(),
            ]
        })
        .collect();
    assert_eq!(listed, want);
    t
}

/// The statuses: each planned unsur against TW1 2025, the missing plans.
fn tracking_is_right(out: &Path) {
    let got = tracked(out);
    let row = |u: &str, kode: &str| {
        got.iter()
            .find(|r| r.0 == format!("kecamatan-{u}") && r.1 == kode)
            .unwrap_or_else(|| panic!("no row for {u} {kode}: {got:?}"))
            .clone()
    };
    let tw1 = || Some("TW1".to_string());
    let tracked = |u: &str, kode: &str, ada: bool, status: &str, nrr: (f64, f64)| {
        let waktu = if ada {
            (Some(2025), tw1())
        } else {
            (None, None)
        };
        let (unit, kode) = (format!("kecamatan-{u}"), kode.to_string());
        let (before, after) = (Some(nrr.0), Some(nrr.1));
        (
            unit,
            kode,
            ada,
            status.into(),
            before,
            after,
            tw1(),
            waktu.0,
            waktu.1,
        )
    };
    // Bekasi Timur: U7 rises, U8 falls, U2 has no plan (its next NRR is shown all the same).
    for (kode, ada, status, nrr) in [
        ("U7", true, "naik", (3.189, 3.3)),
        ("U8", true, "turun", (3.264, 3.2)),
        ("U2", false, "tanpa_rencana", (3.283, 3.283)),
    ] {
        assert_eq!(
            row("bekasi-timur", kode),
            tracked("bekasi-timur", kode, ada, status, nrr)
        );
    }
    // Mustikajaya: "Triwulan I" planned from TW IV 2024 is TW1 2025; equal at 3 decimals is tetap.
    for (kode, status, nrr) in [
        ("U1", "tetap", (3.161, 3.161)),
        ("U7", "naik", (3.323, 3.4)),
        ("U8", "turun", (3.323, 3.3)),
    ] {
        assert_eq!(
            row("mustikajaya", kode),
            tracked("mustikajaya", kode, true, status, nrr)
        );
    }
    // Medansatria: four priorities (two ties), planned, no survey after the waktu yet;
    // Jatiasih sent no plan: its three priorities are rows, without a survey after them.
    for (u, kode, ada, status) in [
        ("medansatria", "U5", true, "belum_ada_data"),
        ("medansatria", "U7", true, "belum_ada_data"),
        ("medansatria", "U6", true, "belum_ada_data"),
        ("medansatria", "U8", true, "belum_ada_data"),
        ("jatiasih", "U7", false, "tanpa_rencana"),
        ("jatiasih", "U8", false, "tanpa_rencana"),
        ("jatiasih", "U2", false, "tanpa_rencana"),
    ] {
        let r = row(u, kode);
        assert_eq!((r.2, r.3.as_str(), r.5), (ada, status, None), "{r:?}");
    }
    // Thirteen priorities, thirteen rows; units in order, each unit's priorities from the lowest.
    let order: Vec<(String, String)> = got.iter().map(|r| (r.0.clone(), r.1.clone())).collect();
    let want: Vec<(String, String)> = PRIORITIES
        .iter()
        .map(|p| {
            (
                format!("kecamatan-{}", p.0.to_lowercase().replace(' ', "-")),
                p.2.to_string(),
            )
        })
        .collect();
    assert_eq!(order, want);
}

/// The plans skm cannot match are rejects with their reasons, and the sheet adds up.
fn rejects_and_accounting_are_right(out: &Path, file: &str) {
    let rj = read(&out.join("rejects.parquet"));
    let (kode, nilai, alasan, f) = (
        rj.str("kode"),
        rj.str("nilai"),
        rj.str("alasan"),
        rj.str("source_file"),
    );
    let mine: Vec<(String, String, String)> = (0..rj.len())
        .filter(|&i| f[i].as_deref() == Some(file))
        .map(|i| {
            (
                kode[i].clone().unwrap(),
                nilai[i].clone().unwrap(),
                alasan[i].clone().unwrap(),
            )
        })
        .collect();
    let want = [
        (
            "unit_tidak_dikenal",
            "Kecamatan Atlantis",
            "tidak ada dalam daftar unit",
        ),
        (
            "unsur_tidak_dikenal",
            "U12. Kebersihan toilet",
            "tidak dapat dicocokkan",
        ),
        ("status_tidak_dikenal", "mungkin", "pilih salah satu"),
    ];
    assert_eq!(mine.len(), want.len(), "{mine:?}");
    for (m, w) in mine.iter().zip(want) {
        assert_eq!((m.0.as_str(), m.1.as_str()), (w.0, w.1));
        assert!(m.2.contains(w.2), "{}", m.2);
    }
    let files = read(&out.join("files.parquet"));
    let f = files.str("source_file");
    let i = (0..files.len())
        .find(|&i| f[i].as_deref() == Some(file))
        .unwrap();
    assert_eq!(files.str("jenis_lembar")[i].as_deref(), Some("rtl"));
    let n = |c: &str| files.i64(c)[i];
    // 9 plans + 3 rows that cannot be matched read; Bekasi Timur's U2 row and Jatiasih's
    // three, left empty, skipped.
    assert_eq!(
        (
            n("baris_dibaca"),
            n("diterima"),
            n("ditolak"),
            n("dilewati")
        ),
        (Some(12), Some(9), Some(3), Some(4))
    );
}

/// The workbook's "Tindak Lanjut" sheet and the HTML section, the unit without a plan first.
fn reports_show_it(out: &Path) {
    let rows = sheet_rows(&out.join("report/skm_2024.xlsx"), "Tindak Lanjut");
    assert_eq!(rows.len(), 1 + 13);
    let units: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(&units[..3], &["Kecamatan Jatiasih"; 3]);
    let status_col = rows[0].iter().position(|h| h == "Status").unwrap();
    let bt_u7 = rows
        .iter()
        .find(|r| r[0] == "Kecamatan Bekasi Timur" && r.contains(&"U7".to_string()))
        .unwrap();
    assert_eq!(bt_u7[status_col], "naik");
    let html = std::fs::read_to_string(out.join("report/skm_2024.html")).unwrap();
    let section = &html[html.find("id=\"tindak-lanjut\"").expect("the section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(
        section.contains("Unit tanpa rencana (1)")
            && section.contains("<p id=\"tanpa-rencana\">Kecamatan Jatiasih</p>"),
        "{section}"
    );
    let at = |u: &str| section.find(u).unwrap();
    assert!(at("Kecamatan Jatiasih") < at("Kecamatan Bekasi Timur"));
    for s in ["naik", "turun", "tetap", "belum ada data", "tanpa rencana"] {
        assert!(section.contains(&format!(">{s}</td>")), "{s}: {section}");
    }
}

#[test]
fn template_filled_for_three_units_is_tracked_against_the_next_survey() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    std::fs::create_dir_all(&inbox).unwrap();
    for kec in ["Bekasi Timur", "Mustikajaya", "Medansatria"] {
        write_wave(&inbox, kec, "TW4", 2024, seed_wave(kec, "TW4"));
    }
    // A fourth unit, which will send no plan (its answers: Bekasi Timur's).
    write_wave(
        &inbox,
        "Jatiasih",
        "TW4",
        2024,
        seed_wave("Bekasi Timur", "TW4"),
    );
    run_inbox(&inbox, &out);

    let template = template_lists_the_priorities(&out, &tmp.path().join("rtl_tw4_2024.xlsx"));
    let file = "rtl_tw4_2024_diisi.xlsx";
    write_xlsx(&inbox.join(file), &[("Tindak Lanjut", &template.filled())]).unwrap();

    // The next survey, TW1 2025: Bekasi Timur's U7 rises (3.189 → 3.300) and its U8 falls
    // (3.264 → 3.200); Mustikajaya's U1 stays (3.161), U7 rises, U8 falls. Medansatria and
    // Jatiasih have no survey yet.
    let mut bt = seed_wave("Bekasi Timur", "TW4");
    bt[k("U7")] = 3300;
    bt[k("U8")] = 3200;
    write_wave(&inbox, "Bekasi Timur", "TW1", 2025, bt);
    let mut mj = seed_wave("Mustikajaya", "TW4");
    mj[k("U7")] = 3400;
    mj[k("U8")] = 3300;
    write_wave(&inbox, "Mustikajaya", "TW1", 2025, mj);
    run_inbox(&inbox, &out);

    tracking_is_right(&out);
    rejects_and_accounting_are_right(&out, file);
    reports_show_it(&out);
}

#[test]
fn the_printed_rtl_table_of_002_is_read() {
    // 002 l.3508–3598: the plans for Mustikajaya's three lowest unsur of TW IV, the unit and
    // the period named in the text above the table, "Waktu" a triwulan without its year.
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    std::fs::create_dir_all(&inbox).unwrap();
    write_wave(
        &inbox,
        "Mustikajaya",
        "TW4",
        2024,
        seed_wave("Mustikajaya", "TW4"),
    );
    let pj = "Kasi Ekbang, Kasi Pemerintahan, Kasi Kesos dan Seksi Trantib";
    let table = Table {
        title: vec![
            "Rencana tindak lanjut berdasarkan rekomendasi hasil Survei Kepuasan Masyarakat 3 \
             (tiga) unsur terendah periode Triwulan IV pada Kecamatan Mustikajaya Kota Bekasi \
             tercantum dalam tabel berikut:"
                .into(),
            String::new(),
            "Tabel 2. Rencana Tindak Lanjut Perbaikan SKM".into(),
        ],
        header: [
            "No.",
            "Prioritas Unsur",
            "Program/Kegiatan",
            "Waktu",
            "Penanggung\nJawab",
        ]
        .map(String::from)
        .to_vec(),
        rows: [
            (
                "U1. Persyaratan",
                "SOSIALISASI\nKEPADA WARGA\nPENGGUNA\nLAYANAN DI\nMASING MASING\nWILAYAH",
            ),
            (
                "U7. Perilaku\npelaksana",
                "MEMBERI\nARAHAN PARA\nPETUGAS\nPELAYANAN /\nFRONT OFFICE",
            ),
            (
                "U8. Sarana dan\nprasarana",
                "PEMELIHARAAN\nBERKALA PADA\nFASILITAS YANG\nTELAH DI\nSEDIAKAN",
            ),
        ]
        .iter()
        .enumerate()
        .map(|(i, (u, p))| {
            vec![
                Val::Num((i + 1) as f64),
                Val::text(*u),
                Val::text(*p),
                Val::text("Triwulan I"),
                Val::text(pj),
            ]
        })
        .collect(),
    };
    write_xlsx(
        &inbox.join("LAKIP Kecamatan Mustikajaya 2024.xlsx"),
        &[("Tabel 2", &table)],
    )
    .unwrap();
    run_inbox(&inbox, &out);
    let t = read(&out.join("gold/tindak_lanjut.parquet"));
    assert_eq!(t.len(), 3);
    assert_eq!(
        t.str("kode"),
        ["U1", "U7", "U8"].map(|s| Some(s.to_string())).to_vec()
    );
    for (c, v) in [
        ("unit_id", "kecamatan-mustikajaya"),
        ("periode", "TW4"),
        ("ada_rencana", "true"),
        ("prioritas", "true"),
        ("waktu", "Triwulan I"),
        ("waktu_periode", "TW1"),
        ("penanggung_jawab", pj),
        ("status", "belum_ada_data"),
    ] {
        assert!(
            t.str(c).iter().all(|x| x.as_deref() == Some(v)),
            "{c}: {:?}",
            t.str(c)
        );
    }
    assert_eq!(t.i64("tahun"), vec![Some(2024); 3]);
    assert_eq!(t.i64("waktu_tahun"), vec![Some(2025); 3]);
    assert_eq!(t.i64("peringkat"), vec![Some(1), Some(2), Some(2)]);
    assert_eq!(
        t.str("program")[0].as_deref(),
        Some("SOSIALISASI KEPADA WARGA PENGGUNA LAYANAN DI MASING MASING WILAYAH")
    );
    assert_eq!(read(&out.join("rejects.parquet")).len(), 0);
}

/// Bekasi Timur's IKU sheet as 000 l.621–627 prints it, its IKM realisasi written `realisasi`.
fn iku_sheet(realisasi: Val) -> Table {
    let t = |s: &str| Val::text(s);
    Table {
        title: vec![
            "Tabel 3.1.1".into(),
            "Capaian Kinerja Kecamatan Bekasi Timur Tahun 2024".into(),
        ],
        header: [
            "No",
            "Sasaran Strategis",
            "Indikator Kinerja Utama (IKU)",
            "Satuan",
            "Target Renstra",
            "Realisasi Capaian",
            "Capaian Kinerja (%)",
        ]
        .map(String::from)
        .to_vec(),
        rows: vec![
            vec![
                Val::Num(1.0),
                t("Meningkatnya Akuntabilitas, Layanan Publik dan Pemberdayaan Masyarakat dalam Pembangunan di Kecamatan Bekasi Timur"),
                t("Nilai AKIP Kecamatan Bekasi Timur"),
                t("Nilai"),
                Val::Num(74.0),
                Val::Num(76.55),
                Val::Num(105.0),
            ],
            vec![
                Val::Empty,
                Val::Empty,
                t("Indeks Kepuasan Masyarakat terhadap Layanan Publik"),
                t("Nilai"),
                Val::Num(86.0),
                realisasi,
                Val::Num(103.0),
            ],
        ],
    }
}

#[test]
fn an_ikm_target_is_checked_against_the_survey() {
    // 000 l.625: target 86, realisasi 86.85; skm's yearly IKM of Bekasi Timur's S1, TW3 and
    // TW4 2024 by the semester rule is 86.8549 (000 l.935–937).
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    std::fs::create_dir_all(&inbox).unwrap();
    for per in ["S1", "TW3", "TW4"] {
        write_wave(
            &inbox,
            "Bekasi Timur",
            per,
            2024,
            seed_wave("Bekasi Timur", per),
        );
    }
    let iku = inbox.join("iku_bekasi_timur_2024.xlsx");
    write_xlsx(&iku, &[("IKU", &iku_sheet(Val::Num(86.85)))]).unwrap();
    run_inbox(&inbox, &out);
    let t = read(&out.join("gold/iku_capaian.parquet"));
    assert_eq!(t.len(), 2);
    let ikm = t.f64("ikm_survei");
    assert_eq!(ikm[0], None, "the AKIP indicator is not the IKM");
    let s = ikm[1].unwrap();
    assert_eq!(skm::domain::round_half_up(s, 2), Some(86.85));
    assert!((s - 86.8549).abs() < 1e-4, "{s}");
    let cap = t.f64("capaian_survei")[1].unwrap();
    assert!((cap - s / 86.0 * 100.0).abs() < 1e-9, "{cap}");
    assert_eq!(skm::domain::round_half_up(cap, 2), Some(100.99));
    let a = read(&out.join("gold/audit.parquet"));
    let apa = a.str("apa");
    assert!(
        !apa.iter().any(|x| x.as_deref() == Some("realisasi_ikm")),
        "86.85 is skm's figure: {apa:?}"
    );
    // The only findings are the capaians the sheet states: 105 for 103.45 (AKIP) and 103 for
    // 100.99 (IKM; 000 l.888–890).
    assert_eq!(apa, vec![Some("capaian".to_string()); 2]);

    // The same row stating 87,00: one finding naming both figures.
    write_xlsx(&iku, &[("IKU", &iku_sheet(Val::text("87,00")))]).unwrap();
    run_inbox(&inbox, &out);
    let a = read(&out.join("gold/audit.parquet"));
    let (apa, tertulis, hitung, ket) = (
        a.str("apa"),
        a.str("tertulis"),
        a.str("hitung"),
        a.str("keterangan"),
    );
    let i: Vec<usize> = (0..a.len())
        .filter(|&i| apa[i].as_deref() == Some("realisasi_ikm"))
        .collect();
    assert_eq!(i.len(), 1, "{apa:?}");
    let i = i[0];
    assert_eq!(
        (tertulis[i].as_deref(), hitung[i].as_deref()),
        (Some("87,00"), Some("86.85"))
    );
    let ket = ket[i].clone().unwrap();
    assert!(
        ket.contains("87,00") && ket.contains("86.85") && ket.contains("aturan semester"),
        "{ket}"
    );
    assert_eq!(
        a.str("unit_id")[i].as_deref(),
        Some("kecamatan-bekasi-timur")
    );
}
