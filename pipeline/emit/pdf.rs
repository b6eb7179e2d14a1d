//! The yearly HTML report printed to PDF (`skm run --pdf`) by a headless Chromium: its print
//! stylesheet lays the page out on A4 without a chart cut across pages (`html.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The browser that prints: `SKM_CHROMIUM` when set, else the first of `chromium`,
/// `chromium-browser`, `google-chrome`, `google-chrome-stable` on the `PATH`.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SKM_CHROMIUM") {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Prints `html` to `pdf` (A4, the page's own print stylesheet, no browser header or footer).
/// The browser gets a profile of its own in the temporary folder, removed afterwards.
pub fn print(browser: &Path, html: &Path, pdf: &Path) -> Result<()> {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let profile = std::env::temp_dir().join(format!(
        "skm-chromium-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let html = std::fs::canonicalize(html)
        .with_context(|| format!("cannot print {}: not found", html.display()))?;
    let o = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .with_context(|| format!("cannot start {}", browser.display()));
    let _ = std::fs::remove_dir_all(&profile);
    let o = o?;
    let ok = std::fs::metadata(pdf).map(|m| m.len() > 0).unwrap_or(false);
    if !o.status.success() || !ok {
        bail!(
            "{} could not print {} to {}: {}; what to do: check that Chromium runs headless here, or run without --pdf",
            browser.display(),
            html.display(),
            pdf.display(),
            String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or("no message")
        );
    }
    Ok(())
}
