//! The reports each unit pastes into its LKIP (issue 17): per unit and year a sheet
//! (`report/unit/<unit_id>_<tahun>.xlsx`, read back with calamine) and a page (`.html`, read
//! in headless Chromium, a screenshot kept in `$CARGO_TARGET_TMPDIR/report/`), in the seeds'
//! layout, every figure equal to gold's; `skm report` names the files; `skm run` counts them.
//!
//! The seeds' figures are Kecamatan Bekasi Timur 2024 (000 l.896–935), as in
//! fixtures/reference/nrr_periode_kecamatan_2024.tsv; the demo inbox holds its raw waves.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Data, Reader};

use crate::common::{self, skm_command};
use crate::html_in_browser::{chromium, headless};

const UNIT: &str = "kecamatan-bekasi-timur";

/// The kategori row of each table as the seed prints it (000 l.902, l.916, l.930).
const SEED_KATEGORI: [(&str, [&str; 9]); 3] = [
    ("S1", ["B", "B", "B", "A", "B", "B", "B", "B", "A"]),
    ("TW3", ["B", "B", "B", "A", "B", "B", "B", "B", "A"]),
    ("TW4", ["B", "B", "B", "A", "A", "B", "B", "B", "A"]),
];

/// The seed's NRR and printed IKM of Bekasi Timur per period (the reference table).
fn seed_waves() -> BTreeMap<String, ([f64; 9], f64)> {
    let t = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/reference/nrr_periode_kecamatan_2024.tsv"),
    )
    .unwrap();
    t.lines()
        .skip(1)
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|c| c[0] == "Bekasi Timur")
        .map(|c| {
            let nrr: [f64; 9] = std::array::from_fn(|k| c[2 + k].parse().unwrap());
            (c[1].to_string(), (nrr, c[11].parse().unwrap()))
        })
        .collect()
}

/// Half-up to `dp` decimals on the decimal text, written again here so the test does not
/// trust the code it checks.
fn half_up(v: f64, dp: usize) -> f64 {
    let s = format!("{:.*}", dp + 4, v);
    let scaled: f64 = s.parse::<f64>().unwrap() * 10f64.powi(dp as i32);
    (scaled + 0.5 + 1e-9).floor() / 10f64.powi(dp as i32)
}

/// A figure as an Indonesian page prints it: "86,71".
fn koma(v: f64, dp: usize) -> String {
    format!("{v:.dp$}").replace('.', ",")
}

/// Gold's rows of the unit in 2024, read with arrow-rs: (periode, sumber) → ikm_bulat, and
/// (periode, kode) → (nrr_bulat, ikm_unsur_bulat, mutu) from respondents.
/// (ikm_bulat, mutu, kinerja).
type IkmCells = (Option<f64>, Option<String>, Option<String>);

struct GoldUnit {
    ikm: BTreeMap<(String, String), IkmCells>,
    nrr: BTreeMap<(String, String), (f64, f64, String)>,
}

fn gold_unit(out: &Path, unit: &str) -> GoldUnit {
    let t = common::read(&out.join("gold/ikm_unit.parquet"));
    let (id, th, per, src, ikm, mutu, kin) = (
        t.str("unit_id"),
        t.i64("tahun"),
        t.str("periode"),
        t.str("sumber"),
        t.f64("ikm_bulat"),
        t.str("mutu"),
        t.str("kinerja"),
    );
    let mut g = GoldUnit {
        ikm: BTreeMap::new(),
        nrr: BTreeMap::new(),
    };
    for i in 0..t.len() {
        if id[i].as_deref() == Some(unit) && th[i] == Some(2024) {
            g.ikm.insert(
                (per[i].clone().unwrap(), src[i].clone().unwrap()),
                (ikm[i], mutu[i].clone(), kin[i].clone()),
            );
        }
    }
    let n = common::read(&out.join("gold/nrr_unsur.parquet"));
    let (id, th, per, src, kode, nrr, iu, m) = (
        n.str("unit_id"),
        n.i64("tahun"),
        n.str("periode"),
        n.str("sumber"),
        n.str("kode"),
        n.f64("nrr_bulat"),
        n.f64("ikm_unsur_bulat"),
        n.str("mutu"),
    );
    for i in 0..n.len() {
        if id[i].as_deref() == Some(unit)
            && th[i] == Some(2024)
            && src[i].as_deref() == Some("responden")
        {
            g.nrr.insert(
                (per[i].clone().unwrap(), kode[i].clone().unwrap()),
                (nrr[i].unwrap(), iu[i].unwrap(), m[i].clone().unwrap()),
            );
        }
    }
    g
}

/// The rows of the sheet as text and numbers.
fn sheet_rows(path: &Path) -> Vec<Vec<Data>> {
    let mut wb = open_workbook_auto(path).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names, vec!["SKM 2024".to_string()], "one sheet per unit");
    let r = wb.worksheet_range("SKM 2024").unwrap();
    r.rows().map(|row| row.to_vec()).collect()
}

/// The first row at or after `from` whose first cell is `label`.
fn row_at(rows: &[Vec<Data>], from: usize, label: &str) -> usize {
    (from..rows.len())
        .find(|&i| rows[i].first().map(|c| c.to_string()).as_deref() == Some(label))
        .unwrap_or_else(|| panic!("no row \"{label}\" after row {from}"))
}

fn num(c: &Data) -> f64 {
    match c {
        Data::Float(v) => *v,
        other => panic!("a number cell, found {other:?}"),
    }
}

/// The text of the cells of a block of the page: the block `id`, then `data-baris`/`data-kode`.
fn block<'a>(dom: &'a str, id: &str) -> &'a str {
    let start = dom
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no block {id}"));
    let rest = &dom[start..];
    let end = rest[10..]
        .find("class=\"blok")
        .map(|e| e + 10)
        .unwrap_or(rest.len());
    &rest[..end]
}

fn cell(block: &str, baris: &str, kode: &str) -> String {
    let key = format!("data-baris=\"{baris}\" data-kode=\"{kode}\">");
    let at = block
        .find(&key)
        .unwrap_or_else(|| panic!("no cell {baris} {kode}"))
        + key.len();
    block[at..].split('<').next().unwrap().to_string()
}

fn ikm_unit_cell(block: &str) -> String {
    let key = "data-baris=\"ikm-unit\"><b>";
    let at = block.find(key).expect("IKM Unit Layanan") + key.len();
    block[at..].split('<').next().unwrap().to_string()
}

fn run_demo(out: &Path, extra: &[&str]) -> String {
    let o = skm_command()
        .args([
            "run",
            "--inbox",
            concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/inbox"),
            "--out",
        ])
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn artefacts() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report");
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn bekasi_timur_2024_sheet_and_page_show_the_seed_figures_and_gold() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let stdout = run_demo(&out, &[]);
    let seed = seed_waves();
    let g = gold_unit(&out, UNIT);

    // What the seed's NRR give, computed here: the IKM of each wave, half-up; the year by the
    // semester rule on the unrounded figures (000 l.935: "Semester I + (TW III + TW IV)").
    let wave_ikm = |p: &str| seed[p].0.iter().sum::<f64>() / 9.0 * 25.0;
    let year = (wave_ikm("S1") + (wave_ikm("TW3") + wave_ikm("TW4")) / 2.0) / 2.0;
    let expected: BTreeMap<&str, f64> = [
        ("S1", half_up(wave_ikm("S1"), 2)),
        ("TW3", half_up(wave_ikm("TW3"), 2)),
        ("TW4", half_up(wave_ikm("TW4"), 2)),
        ("TAHUN", half_up(year, 2)),
    ]
    .into();
    // The figures: S1 86.71, TW3 86.78, TW4 87.22 (the seed printed 87.21), year 86.85.
    assert_eq!(expected["S1"], seed["S1"].1);
    assert_eq!(expected["TW3"], seed["TW3"].1);
    assert_eq!(seed["TW4"].1, 87.21, "the seed's misprint");
    assert!((expected["TW4"] - 87.22).abs() < 1e-9);
    assert!((expected["TAHUN"] - 86.85).abs() < 1e-9);

    // The sheet, read back with calamine.
    let xlsx = out.join(format!("report/unit/{UNIT}_2024.xlsx"));
    let rows = sheet_rows(&xlsx);
    let mut shown_sheet: BTreeMap<String, f64> = BTreeMap::new();
    for (per, title) in [
        ("S1", "Nilai Survei Kepuasan Masyarakat Semester I"),
        ("TW3", "Nilai Survei Kepuasan Masyarakat Triwulan III"),
        ("TW4", "Nilai Survei Kepuasan Masyarakat Triwulan IV"),
        ("TAHUN", "Nilai Survei Kepuasan Masyarakat Tahun 2024"),
    ] {
        let t = row_at(&rows, 0, title);
        let head = row_at(&rows, t, "Nilai Unsur Pelayanan");
        let heads: Vec<String> = rows[head][1..10].iter().map(|c| c.to_string()).collect();
        assert_eq!(
            heads,
            [
                "Persyaratan",
                "Prosedur",
                "Waktu",
                "Biaya",
                "Produk",
                "Kompetensi",
                "Perilaku",
                "Sarpras",
                "Pengaduan"
            ],
            "the seed's columns (000 l.898)"
        );
        let nrr = row_at(&rows, t, "Nilai Rata-Rata (NRR)");
        let iu = row_at(&rows, t, "IKM Per Unsur (NRR x 25)");
        let kat = row_at(&rows, t, "Kategori");
        for k in 0..9 {
            let kode = format!("U{}", k + 1);
            let (g_nrr, g_iu, g_m) = &g.nrr[&(per.to_string(), kode.clone())];
            assert_eq!(num(&rows[nrr][k + 1]), *g_nrr, "{per} {kode} NRR = gold");
            assert_eq!(
                num(&rows[iu][k + 1]),
                *g_iu,
                "{per} {kode} IKM unsur = gold"
            );
            assert_eq!(
                rows[kat][k + 1].to_string(),
                *g_m,
                "{per} {kode} kategori = gold"
            );
            if let Some((_, kats)) = SEED_KATEGORI.iter().find(|(p, _)| *p == per) {
                assert_eq!(
                    num(&rows[nrr][k + 1]),
                    seed[per].0[k],
                    "{per} {kode} NRR = seed"
                );
                assert_eq!(
                    rows[kat][k + 1].to_string(),
                    kats[k],
                    "{per} {kode} kategori = seed"
                );
            }
        }
        let ikm_row = row_at(&rows, t, "IKM Unit Layanan");
        let v = num(&rows[ikm_row][1]);
        assert_eq!(
            Some(v),
            g.ikm[&(per.to_string(), "responden".into())].0,
            "{per} = gold"
        );
        assert!((v - expected[per]).abs() < 1e-9, "{per}: {v}");
        let mutu = row_at(&rows, t, "Mutu pelayanan");
        assert_eq!(rows[mutu][1].to_string(), "B");
        shown_sheet.insert(per.into(), v);
    }
    let rule = row_at(&rows, 0, "Cara menghitung");
    assert_eq!(
        rows[rule][1].to_string(),
        "rata-rata Semester I dan Semester II; Semester II = rata-rata Triwulan III dan Triwulan IV"
    );

    // The page, rendered in Chromium.
    let page = out.join(format!("report/unit/{UNIT}_2024.html"));
    let Some(browser) = chromium() else {
        return;
    };
    let url = format!("file://{}", std::fs::canonicalize(&page).unwrap().display());
    let o = headless(
        &browser,
        &tmp.path().join("p1"),
        &["--dump-dom".into(), url.clone()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dom = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(dom.contains("Survei Kepuasan Masyarakat Kecamatan Bekasi Timur Tahun 2024"));
    for per in ["S1", "TW3", "TW4", "TAHUN"] {
        let b = block(&dom, &format!("periode-{per}"));
        for k in 0..9 {
            let kode = format!("U{}", k + 1);
            let (g_nrr, g_iu, g_m) = &g.nrr[&(per.to_string(), kode.clone())];
            assert_eq!(cell(b, "nrr", &kode), koma(*g_nrr, 3), "{per} {kode}");
            assert_eq!(cell(b, "ikm", &kode), koma(*g_iu, 2), "{per} {kode}");
            assert_eq!(cell(b, "kategori", &kode), *g_m, "{per} {kode}");
        }
        assert_eq!(
            ikm_unit_cell(b),
            format!("{} (BAIK)", koma(shown_sheet[per], 2)),
            "{per}: the page and the sheet show the same figure"
        );
    }
    assert!(ikm_unit_cell(block(&dom, "periode-TW4")) == "87,22 (BAIK)");
    assert!(!dom.contains("87,21"), "the seed's misprint is not copied");
    assert!(dom.contains("Semester II = rata-rata Triwulan III dan Triwulan IV"));
    assert!(dom.contains("sebesar <b>86,85</b>"), "the year in words");
    // The three lowest unsur with ties: TW3's third place is shared (3.367, 000 l.913).
    let tw3 = block(&dom, "periode-TW3");
    assert!(
        tw3.contains("3. Prosedur (U2, NRR 3,367, seri) dan 3. Kompetensi (U6, NRR 3,367, seri)"),
        "{tw3}"
    );
    assert!(
        dom.contains("id=\"sampel\""),
        "the sample against Krejcie–Morgan"
    );
    assert!(dom.contains("id=\"profil\"") && dom.contains("Laki-laki"));
    assert!(dom.contains("id=\"legenda\""));

    let png = artefacts().join(format!("unit_{UNIT}_2024.png"));
    let _ = std::fs::remove_file(&png);
    let o = headless(
        &browser,
        &tmp.path().join("p2"),
        &[
            "--window-size=1100,1800".into(),
            format!("--screenshot={}", png.display()),
            url,
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000);
    eprintln!("screenshot: {}", png.display());

    // The run's summary names the folder and a count, not every file.
    let dir = out.join("report/unit");
    let n_files = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(n_files % 2, 0, "an .xlsx and an .html per unit and year");
    assert!(
        stdout.contains(&format!(
            "Per-unit reports: {} (unit × year, an .xlsx and an .html each) in {}",
            n_files / 2,
            dir.display()
        )),
        "{stdout}"
    );
    assert!(!stdout.contains(&format!("{UNIT}_2024")), "{stdout}");
}

#[test]
fn a_unit_with_only_a_recap_gets_its_page_saying_where_the_figure_came_from() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_demo(&out, &[]);
    // A unit of the registry with no questionnaire in the demo inbox: its figure is a recap's.
    let unit = "sekretariat-dprd";
    let g = gold_unit(&out, unit);
    assert!(g.ikm.keys().all(|(_, s)| s == "rekap"), "{:?}", g.ikm);
    let (ikm, _, kinerja) = g.ikm[&("TAHUN".to_string(), "rekap".to_string())].clone();
    let page = std::fs::read_to_string(out.join(format!("report/unit/{unit}_2024.html"))).unwrap();
    assert!(page.contains("id=\"hanya-rekap\""));
    assert!(page.contains("Sumber: rekap IKM yang dikirim"));
    assert!(page.contains(&format!(
        "{} ({})",
        koma(ikm.unwrap(), 2),
        kinerja.unwrap().to_uppercase()
    )));
    let rows = sheet_rows(&out.join(format!("report/unit/{unit}_2024.xlsx")));
    let r = row_at(&rows, 0, "IKM Unit Layanan");
    assert_eq!(Some(num(&rows[r][1])), ikm);
    assert!(rows.iter().any(|r| r[0]
        .to_string()
        .starts_with("Sumber: rekap IKM yang dikirim")));
}

#[test]
fn skm_report_names_a_units_files_and_opens_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // The scheduler's summary counts the per-unit reports and names their folder.
    let json: serde_json::Value = serde_json::from_str(&run_demo(&out, &["--json"])).unwrap();
    let n = std::fs::read_dir(out.join("report/unit")).unwrap().count();
    assert_eq!(json["unit_reports"]["count"], serde_json::json!(n / 2));
    assert_eq!(
        json["unit_reports"]["folder"],
        serde_json::json!(out.join("report/unit").display().to_string())
    );
    let report = |args: &[&str]| {
        skm_command()
            .arg("report")
            .args(args)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    let o = report(&["--unit", "Kec. Bekasi Timur", "--tahun", "2024"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let s = String::from_utf8_lossy(&o.stdout);
    for ext in ["html", "xlsx"] {
        let p = out.join(format!("report/unit/{UNIT}_2024.{ext}"));
        assert!(p.is_file());
        assert!(s.contains(&p.display().to_string()), "{s}");
    }
    assert!(s.contains(&out.join("report/skm_2024.html").display().to_string()));
    // A year the unit has no report for: exit 1, naming the years it has.
    let o = report(&["--unit", UNIT, "--tahun", "2021"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("2023, 2024"));
    // A unit the registry does not know: a usage error.
    let o = report(&["--unit", "Kecamatan Atlantis", "--tahun", "2024"]);
    assert_eq!(o.status.code(), Some(2));
}

/// A unit whose `Jenis Layanan` is free text (every respondent's own words, a few services
/// named alike): its sheet and page list the 50 largest groups and one row for the rest, with
/// their respondents, while `gold/profil` keeps every group. (A year of 1.1M such texts made
/// a sheet beyond Excel's 1,048,576 rows: the whole run failed.)
#[test]
fn a_free_text_profile_column_lists_its_largest_groups_and_counts_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut csv = String::from(
        "No;Unit Layanan;Tanggal;Jenis Kelamin;Umur;Pendidikan;Pekerjaan;Jenis Layanan;U1;U2;U3;U4;U5;U6;U7;U8;U9\n",
    );
    for i in 0..400 {
        let layanan = match i % 4 {
            0 => "KTP elektronik".to_string(),
            1 => format!("urus surat pindah untuk keluarga no {i}"),
            _ => format!("keperluan saya sendiri ({i})"),
        };
        let day = format!("{:02}/{:02}/2024", i % 28 + 1, i % 12 + 1);
        csv.push_str(&format!(
            "{};Kecamatan Bekasi Timur;{day};Perempuan;35;SMA;Swasta;{layanan};3;4;3;3;4;3;3;4;3\n",
            i + 1
        ));
    }
    std::fs::write(inbox.join("bebas.csv"), csv).unwrap();
    let out = tmp.path().join("out");
    let o = common::skm_run(&inbox, &out, &["--full"], &[]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let profil = common::read(&out.join("gold/profil.parquet"));
    let (tingkat, dimensi) = (profil.str("tingkat"), profil.str("dimensi"));
    let in_gold = (0..profil.len())
        .filter(|&i| {
            tingkat[i].as_deref() == Some("unit") && dimensi[i].as_deref() == Some("jenis_layanan")
        })
        .count();
    // One group for KTP, one per respondent otherwise.
    assert!(in_gold >= 301, "{in_gold}");
    let page = std::fs::read_to_string(out.join(format!("report/unit/{UNIT}_2024.html"))).unwrap();
    let profile = block(&page, "profil");
    assert!(profile.contains("KTP elektronik"));
    assert!(
        profile.contains("251 kelompok lain (semuanya di gold/profil)"),
        "{profile}"
    );
    let rows = sheet_rows(&out.join(format!("report/unit/{UNIT}_2024.xlsx")));
    let layanan: Vec<&Vec<Data>> = rows
        .iter()
        .filter(|r| r.first().map(|c| c.to_string()).as_deref() == Some("Jenis layanan"))
        .collect();
    assert_eq!(layanan.len(), 51, "{layanan:?}");
    assert_eq!(layanan[0][1].to_string(), "KTP elektronik");
    assert_eq!(num(&layanan[0][2]), 100.0);
    assert_eq!(
        layanan[50][1].to_string(),
        "251 kelompok lain (semuanya di gold/profil)"
    );
    assert_eq!(num(&layanan[50][2]), 251.0);
}
