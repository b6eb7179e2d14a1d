//! Issue 29: "a result that holds on one CPU family only is not done". skm's own binary run on
//! emulated CPUs of other models (Debian's qemu-user, installed by scripts/install-qemu-user.sh
//! when missing) gives the tables and pages it gives on this machine: `qemu64`, the x86-64
//! baseline (SSE2, no SSE4.2, no AVX2: the line splitter's SSE2 path, BLAKE3's and zstd's
//! portable ones), and `EPYC-Rome`, an AMD EPYC's features (AVX2 without AVX-512). Only
//! correctness is checked: emulated time says nothing of a real CPU's speed.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{files_under, full_snapshot, skm};

/// Debian's qemu-x86_64, installed when missing; `None` (the test is skipped) when it cannot be.
fn qemu() -> Option<PathBuf> {
    let found = || {
        let p = Path::new("/usr/bin/qemu-x86_64");
        p.is_file().then(|| p.to_path_buf())
    };
    if let Some(p) = found() {
        return Some(p);
    }
    let needed = "qemu-user (/usr/bin/qemu-x86_64)";
    if !crate::common::install_with("install-qemu-user.sh", needed) {
        return None;
    }
    let p = found();
    if p.is_none() {
        crate::common::missing(
            "install-qemu-user.sh",
            needed,
            "the script ran, but /usr/bin/qemu-x86_64 is not a file",
        );
    }
    p
}

/// `skm run --full` on `inbox` into `out`, on this CPU or (`cpu`) on an emulated one.
fn run_on(qemu: &Path, cpu: Option<&str>, inbox: &Path, out: &Path) {
    let skm = env!("CARGO_BIN_EXE_skm");
    let mut c = match cpu {
        Some(cpu) => {
            let mut c = Command::new(qemu);
            c.args(["-cpu", cpu, skm]);
            c
        }
        None => Command::new(skm),
    };
    c.args(["run", "--inbox", inbox.to_str().unwrap()]);
    c.args(["--out", out.to_str().unwrap(), "--full", "--quiet"]);
    let o = c.output().expect("skm starts");
    assert!(
        o.status.code().is_some_and(|c| c == 0 || c == 3),
        "{cpu:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Every HTML page of an output, by its path in the output (a page names no run: the same
/// inputs give the same bytes).
fn pages(out: &Path) -> Vec<(String, String)> {
    let root = std::fs::canonicalize(out).unwrap();
    files_under(&root)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p.strip_prefix(&root).unwrap().display().to_string(), text)
        })
        .collect()
}

#[test]
fn the_binary_on_other_cpu_models_gives_the_same_tables_and_pages() {
    let Some(qemu) = qemu() else { return };
    let tmp = tempfile::tempdir().unwrap();
    // The demo inbox (Excel, CSV, recaps, budgets) and a cumulative pair of timestamped form
    // exports (identities hashed, copies matched across files), as `skm gen` writes them.
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/inbox");
    let pair = tmp.path().join("pair");
    let p = pair.to_str().unwrap();
    let gen = [
        "gen",
        "--responses",
        "20000",
        "--units",
        "12",
        "--seed",
        "3",
        "--xlsx-share",
        "0",
        "--layout",
        "year",
        "--timestamps",
        "--earlier",
        "0.6",
        "--out",
        p,
    ];
    let o = skm(&gen, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (name, inbox) in [("demo", demo.as_path()), ("pair", pair.as_path())] {
        let here = tmp.path().join(format!("{name}-here"));
        run_on(&qemu, None, inbox, &here);
        let (tables, html) = (full_snapshot(&here), pages(&here));
        assert!(
            tables.len() > 10 && !html.is_empty(),
            "{name}: {}",
            tables.len()
        );
        for cpu in ["qemu64", "EPYC-Rome"] {
            let there = tmp.path().join(format!("{name}-{cpu}"));
            run_on(&qemu, Some(cpu), inbox, &there);
            let other = full_snapshot(&there);
            assert_eq!(
                other.len(),
                tables.len(),
                "{name} on {cpu}: the same tables"
            );
            for (a, b) in other.iter().zip(&tables) {
                assert!(a == b, "{name} on {cpu}: {} differs", a.0);
            }
            assert!(pages(&there) == html, "{name} on {cpu}: the same pages");
        }
    }
}
