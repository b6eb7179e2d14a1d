//! The yearly city report as an office reads and prints it (issue 17): rendered in headless
//! Chromium it shows unit names and never a unit id, every chart has a legend of its colours,
//! both heat maps are there; `skm run --pdf` prints it on A4 (Chromium's print-to-PDF), and
//! read back page by page (poppler's pdftotext) no chart starts on one page and ends on the
//! next. The pages are kept as PNG (pdftoppm) in `$CARGO_TARGET_TMPDIR/report/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{self, skm_command};
use crate::html_in_browser::{chromium, headless};

/// pdftoppm, pdftotext and pdfinfo (poppler-utils), installed by scripts/install-chromium.sh
/// when missing.
/// poppler-utils (pdftoppm, pdftotext, pdfinfo), installed with Chromium when missing; `false`
/// (the test is skipped, `install_with`) when they cannot be.
fn poppler() -> bool {
    let have = |c: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {c}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if have("pdftoppm") && have("pdftotext") && have("pdfinfo") {
        return true;
    }
    crate::common::install_with(
        "install-chromium.sh",
        "poppler-utils (pdftoppm, pdftotext, pdfinfo)",
    ) && have("pdftoppm")
}

fn tool(args: &[&str]) -> String {
    let o = Command::new(args[0]).args(&args[1..]).output().unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Every unit id of the run's gold tables and of the registry.
fn unit_ids(out: &Path) -> Vec<String> {
    let mut ids: Vec<String> = common::read(&out.join("gold/ikm_unit.parquet"))
        .str("unit_id")
        .into_iter()
        .flatten()
        .collect();
    ids.extend(
        skm::registry::Registry::embedded()
            .units()
            .iter()
            .map(|u| u.unit_id.clone()),
    );
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn the_city_report_names_units_has_legends_and_heat_maps_and_prints_on_a4_without_cut_charts() {
    let Some(browser) = chromium() else {
        return;
    };
    if !poppler() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = skm_command()
        .args([
            "run",
            "--pdf",
            "--inbox",
            concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/inbox"),
            "--out",
        ])
        .arg(&out)
        .env("SKM_CHROMIUM", &browser)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let page = out.join("report/skm_2024.html");
    let pdf = out.join("report/skm_2024.pdf");
    assert!(
        stdout.contains(&format!("Report: {}", pdf.display())),
        "{stdout}"
    );

    let url = format!("file://{}", std::fs::canonicalize(&page).unwrap().display());
    let o = headless(
        &browser,
        &tmp.path().join("p1"),
        &["--dump-dom".into(), url],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dom = String::from_utf8_lossy(&o.stdout).to_string();

    // Names, never ids: no unit id anywhere in the rendered page, text or attributes.
    let ids = unit_ids(&out);
    assert!(ids.len() > 90, "{}", ids.len());
    let slugs: Vec<&String> = ids.iter().filter(|id| dom.contains(id.as_str())).collect();
    assert!(slugs.is_empty(), "unit ids on the page: {slugs:?}");
    assert!(dom.contains("Kecamatan Bekasi Timur"));

    // Every chart in a frame with its caption and the legend of its four colours.
    let charts = dom.matches("<svg").count();
    let frames: Vec<&str> = dom.split("<figure class=\"chart\">").skip(1).collect();
    assert!(charts >= 9, "{charts}");
    assert_eq!(frames.len(), charts, "every chart is framed");
    for f in &frames {
        let f = &f[..f.find("</figure>").expect("closed")];
        assert_eq!(f.matches("<svg").count(), 1);
        assert!(f.contains("class=\"legenda\""), "a legend: {f:.200}");
        for words in [
            "Sangat Baik",
            "Baik: IKM 76,61",
            "Kurang Baik",
            "Tidak Baik",
        ] {
            assert!(f.contains(words), "{words} in the legend");
        }
    }

    // Both heat maps, with a row per place that has the nine NRR, and their legends.
    let kec = common::read(&out.join("gold/kecamatan_unsur.parquet"));
    let (th, per, names) = (kec.i64("tahun"), kec.str("periode"), kec.str("kecamatan"));
    let mut kecamatan: Vec<String> = (0..kec.len())
        .filter(|&i| th[i] == Some(2024) && per[i].as_deref() == Some("TAHUN"))
        .filter_map(|i| names[i].clone())
        .collect();
    kecamatan.sort();
    kecamatan.dedup();
    assert!(!kecamatan.is_empty());
    let nrr = common::read(&out.join("gold/nrr_unsur.parquet"));
    let (th, per, uid) = (nrr.i64("tahun"), nrr.str("periode"), nrr.str("unit_id"));
    let mut with_nrr: Vec<String> = (0..nrr.len())
        .filter(|&i| th[i] == Some(2024) && per[i].as_deref() == Some("TAHUN"))
        .filter_map(|i| uid[i].clone())
        .collect();
    with_nrr.sort();
    with_nrr.dedup();
    for (id, rows) in [
        ("heat-unit", with_nrr.len()),
        ("heat-kecamatan", kecamatan.len()),
    ] {
        let at = dom
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id}"));
        let table = &dom[at..at + dom[at..].find("</table>").unwrap()];
        assert_eq!(table.matches("<td class=\"nama\">").count(), rows, "{id}");
        let after = &dom[at..];
        let fig_end = after.find("</figure>").unwrap();
        assert!(
            after[..fig_end].contains("Warna sel (mutu NRR)"),
            "{id} legend"
        );
    }
    for k in &kecamatan {
        assert!(dom.contains(&format!("<td class=\"nama\">{k}</td>")), "{k}");
    }
    assert!(dom.contains("id=\"trend-unit\""), "the trend per unit");

    // The print: A4, and each chart's caption and legend on the same page.
    let info = tool(&["pdfinfo", pdf.to_str().unwrap()]);
    assert!(info.contains("(A4)"), "{info}");
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 3, "{pages}");
    let (mut captions, mut legends) = (0, 0);
    for p in 1..=pages {
        let n = p.to_string();
        let text = tool(&[
            "pdftotext",
            "-f",
            &n,
            "-l",
            &n,
            "-layout",
            pdf.to_str().unwrap(),
            "-",
        ]);
        // In reading order: a caption, then its legend, before the next caption.
        let mut open = false;
        for line in text.lines() {
            let line = line.trim_start();
            if line.starts_with("Gambar: ") {
                assert!(!open, "page {p}: a caption before the last chart's legend");
                open = true;
                captions += 1;
            } else if line.starts_with("Warna batang (mutu):")
                || line.starts_with("Warna sel (mutu NRR):")
            {
                assert!(open, "page {p}: a legend whose chart began on another page");
                open = false;
                legends += 1;
            }
        }
        assert!(!open, "page {p}: a chart that goes on to the next page");
    }
    assert_eq!(
        captions,
        charts + 2,
        "every chart and both heat maps printed"
    );
    assert_eq!(legends, captions);

    // The pages as pictures, kept to look at.
    let shots: PathBuf = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report");
    std::fs::create_dir_all(&shots).unwrap();
    let prefix = shots.join("skm_2024_print");
    tool(&[
        "pdftoppm",
        "-r",
        "60",
        "-png",
        pdf.to_str().unwrap(),
        prefix.to_str().unwrap(),
    ]);
    let pngs = std::fs::read_dir(&shots)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("skm_2024_print")
        })
        .count();
    assert!(pngs >= pages, "{pngs} pictures of {pages} pages");
    eprintln!("printed pages: {}-*.png", prefix.display());
}
