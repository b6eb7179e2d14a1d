//! A file still arriving: a unit's upload (or a copy) still in progress when the night's run
//! starts. A file whose size or modification time changes while skm reads it gives nothing that
//! run (not half its rows), is reported, is not remembered as read, and the next run reads it
//! whole. The test holds skm right after it has read the file (`SKM_PAUSE_AFTER_READ`) and
//! appends a response to it meanwhile, as an upload would.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{full_snapshot, read, skm, skm_command};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/inbox");
const TIMUR: &str = "ikm_bekasi_timur_semester1_2024.csv";

fn inbox(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (sub, name) in [
        ("kec-bekasi-timur", TIMUR),
        ("kec-mustikajaya", "skm_mustikajaya_tw4_2024.csv"),
    ] {
        std::fs::copy(Path::new(FIXTURES).join(sub).join(name), dir.join(name)).unwrap();
    }
}

/// (jenis_lembar, baris_dibaca, diterima) of a file in files.parquet.
fn account(out: &Path, file: &str) -> (String, i64, i64) {
    let f = read(&out.join("files.parquet"));
    let names = f.str("source_file");
    let i = names
        .iter()
        .position(|n| n.as_deref() == Some(file))
        .unwrap_or_else(|| panic!("{file} in files.parquet: {names:?}"));
    (
        f.str("jenis_lembar")[i].clone().unwrap(),
        f.i64("baris_dibaca")[i].unwrap(),
        f.i64("diterima")[i].unwrap(),
    )
}

#[test]
fn a_file_that_changes_while_it_is_read_counts_no_row_and_is_read_whole_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    inbox(&dir);
    let marker = tmp.path().join("paused");
    let mut child = skm_command()
        .args([
            "run",
            "--inbox",
            dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .env(
            "SKM_PAUSE_AFTER_READ",
            format!("bekasi_timur={}", marker.display()),
        )
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(120);
    while !marker.exists() {
        assert!(Instant::now() < until, "skm never read the file");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The upload goes on: one more response arrives while skm holds what it read.
    let last = std::fs::read_to_string(dir.join(TIMUR))
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .replacen("1001;", "1002;", 1);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join(TIMUR))
        .unwrap();
    writeln!(f, "{last}").unwrap();
    drop(f);
    std::fs::remove_file(&marker).unwrap();
    assert!(child.wait().unwrap().success());

    assert_eq!(
        account(&out, TIMUR),
        ("berubah_saat_dibaca".to_string(), 0, 0)
    );
    assert_eq!(
        crate::common::ways_read(&out)[TIMUR],
        "∅",
        "nothing of it is used"
    );
    let rejects = read(&out.join("rejects.parquet"));
    let codes: Vec<(Option<String>, Option<String>)> = rejects
        .str("source_file")
        .into_iter()
        .zip(rejects.str("kode"))
        .collect();
    assert!(codes.contains(&(
        Some(TIMUR.to_string()),
        Some("berkas_berubah_saat_dibaca".to_string())
    )));
    // None of its rows reached silver or gold; the other file did.
    let ikm = read(&out.join("gold/ikm_unit.parquet"));
    let units = ikm.str("unit_id");
    assert!(!units
        .iter()
        .any(|u| u.as_deref() == Some("kecamatan-bekasi-timur")));
    assert!(units
        .iter()
        .any(|u| u.as_deref() == Some("kecamatan-mustikajaya")));
    assert_eq!(account(&out, "skm_mustikajaya_tw4_2024.csv").0, "kuesioner");

    // The next run (the file now stable) reads it whole, the appended response included, and
    // equals a full run on the same inbox.
    let o = skm(
        &[
            "run",
            "--inbox",
            dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(account(&out, TIMUR), ("kuesioner".to_string(), 1002, 1002));
    let full = tmp.path().join("full");
    let o = skm(
        &[
            "run",
            "--full",
            "--inbox",
            dir.to_str().unwrap(),
            "--out",
            full.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success());
    assert_eq!(full_snapshot(&out), full_snapshot(&full));
}

/// A workbook removed right after skm read it, in a run without a cache (`--full`), where a
/// file of a size no other file has is hashed after it is read, not before
/// (`silver::hash_as_read`): it counts nothing, is reported as gone, and the run goes on.
#[test]
fn a_workbook_removed_after_it_was_read_counts_nothing_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    inbox(&dir);
    let book = "Survei Kepuasan Masyarakat 2024 (Jawaban).xlsx";
    std::fs::copy(
        Path::new(FIXTURES).join("kec-medansatria").join(book),
        dir.join(book),
    )
    .unwrap();
    let marker = tmp.path().join("paused");
    let mut child = skm_command()
        .args(["run", "--full", "--inbox", dir.to_str().unwrap()])
        .args(["--out", out.to_str().unwrap()])
        .env(
            "SKM_PAUSE_AFTER_READ",
            format!("Jawaban={}", marker.display()),
        )
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(120);
    while !marker.exists() {
        assert!(Instant::now() < until, "skm never read the workbook");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::fs::remove_file(dir.join(book)).unwrap();
    std::fs::remove_file(&marker).unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(
        account(&out, book),
        ("berubah_saat_dibaca".to_string(), 0, 0)
    );
    let rejects = read(&out.join("rejects.parquet"));
    let (files, reasons) = (rejects.str("source_file"), rejects.str("alasan"));
    let i = files
        .iter()
        .position(|f| f.as_deref() == Some(book))
        .unwrap();
    assert!(
        reasons[i].as_deref().unwrap().contains("berkasnya hilang"),
        "{:?}",
        reasons[i]
    );
    assert_eq!(account(&out, TIMUR).0, "kuesioner");
}
