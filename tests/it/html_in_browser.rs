//! The HTML report rendered in headless Chromium (Debian's package, installed by
//! scripts/install-chromium.sh when missing): it loads without errors, shows the city figure
//! and its charts, and a screenshot is kept as a test artefact
//! (`$CARGO_TARGET_TMPDIR/report/skm_2024.png`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian's Chromium, installed when missing; `None` (the test is skipped) when it cannot be.
pub(crate) fn chromium() -> Option<PathBuf> {
    let found = |p: &str| Path::new(p).is_file().then(|| PathBuf::from(p));
    if let Some(p) = found("/usr/bin/chromium") {
        return Some(p);
    }
    let needed = "Chromium (/usr/bin/chromium)";
    if !crate::common::install_with("install-chromium.sh", needed) {
        return None;
    }
    let p = found("/usr/bin/chromium");
    if p.is_none() {
        crate::common::missing(
            "install-chromium.sh",
            needed,
            "the script ran, but /usr/bin/chromium is not a file",
        );
    }
    p
}

pub(crate) fn headless(browser: &Path, profile: &Path, args: &[String]) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs")
}

#[test]
fn the_html_report_renders_with_the_city_figure_and_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = crate::common::skm_command()
        .args([
            "run",
            "--inbox",
            concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/inbox"),
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = out.join("report/skm_2024.html");
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: no scripts, nothing fetched from the network.
    for fetch in [
        "<script",
        "<link",
        "src=\"http",
        "href=\"http",
        "url(http",
        "@import",
    ] {
        assert!(
            !html.contains(fetch),
            "the page must not load anything: {fetch}"
        );
    }

    let Some(browser) = chromium() else {
        return;
    };
    let url = format!("file://{}", page.display());
    let o = headless(
        &browser,
        &tmp.path().join("profile1"),
        &["--dump-dom".into(), url.clone()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dom = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        !stderr.contains("CONSOLE") && !stderr.contains("Uncaught"),
        "console errors: {stderr}"
    );
    assert!(
        dom.contains("id=\"ikm-kota\">88,16<"),
        "the city figure is shown"
    );
    assert!(dom.contains("Mutu B (Baik)"));
    let charts = dom.matches("<svg").count();
    assert!(
        charts >= 4 + 3,
        "trend, unsur, ranking, kecamatan and a chart per unit with data: {charts}"
    );
    assert!(dom.contains("Peringkat 96 unit pelayanan"));

    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report");
    std::fs::create_dir_all(&shots).unwrap();
    let png = shots.join("skm_2024.png");
    let _ = std::fs::remove_file(&png);
    let o = headless(
        &browser,
        &tmp.path().join("profile2"),
        &[
            "--window-size=1100,1600".into(),
            format!("--screenshot={}", png.display()),
            url,
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&png).unwrap();
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000,
        "a real screenshot: {} bytes",
        bytes.len()
    );
    eprintln!("screenshot: {}", png.display());
}
