//! Incremental nightly runs: nothing changed → no file is read again; a changed, new or
//! removed file → only that file is (re)read or dropped; the result always equals a full run.

use crate::common;

use std::path::Path;

use crate::common::{full_snapshot as snapshot, read, skm_command};

fn run(inbox: &Path, out: &Path, full: bool) -> serde_json::Value {
    run_by(None, inbox, out, None, full)
}

/// `skm run --json` (by `exe`, else the built skm) with a configuration file when given.
fn run_by(
    exe: Option<&Path>,
    inbox: &Path,
    out: &Path,
    config: Option<&Path>,
    full: bool,
) -> serde_json::Value {
    let mut c = match exe {
        Some(e) => std::process::Command::new(e),
        None => skm_command(),
    };
    c.args(["run", "--json", "--inbox"])
        .arg(inbox)
        .arg("--out")
        .arg(out);
    if let Some(config) = config {
        c.arg("--config").arg(config);
    }
    if full {
        c.arg("--full");
    }
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Equal snapshots, or a short account of the first difference.
fn same(a: &[(String, Vec<Vec<String>>)], b: &[(String, Vec<Vec<String>>)]) {
    let names =
        |v: &[(String, Vec<Vec<String>>)]| v.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "the same tables");
    for ((n, x), (_, y)) in a.iter().zip(b) {
        if x != y {
            let i = (0..x.len().min(y.len())).find(|&i| x[i] != y[i]);
            panic!(
                "{n} differs: {} vs {} rows; first differing row {:?}: {:?} vs {:?}",
                x.len(),
                y.len(),
                i,
                i.map(|i| &x[i]),
                i.map(|i| &y[i])
            );
        }
    }
}

/// What the manifest says of the inbox itself: file, size, hash and the rows it gave.
fn manifest_facts(out: &Path) -> Vec<Vec<String>> {
    let m = read(&out.join("manifest.parquet"));
    let names = m.columns();
    let cols = [
        "source_file",
        "ukuran_byte",
        "blake3",
        "baris_dibaca",
        "diterima",
        "ditolak",
    ];
    m.rows_as_text()
        .into_iter()
        .map(|r| {
            cols.iter()
                .map(|c| r[names.iter().position(|n| n == c).unwrap()].clone())
                .collect()
        })
        .collect()
}

fn manifest_column(out: &Path, name: &str) -> Vec<String> {
    let m = read(&out.join("manifest.parquet"));
    let i = m.columns().iter().position(|n| n == name).unwrap();
    m.rows_as_text().into_iter().map(|r| r[i].clone()).collect()
}

/// Every file under `dir` made to look written an hour ago (as a nightly inbox is).
fn age_files(dir: &Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            age_files(&p);
        } else {
            std::fs::File::options()
                .write(true)
                .open(&p)
                .unwrap()
                .set_modified(then)
                .unwrap();
        }
    }
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

#[test]
fn reruns_read_only_what_changed_and_equal_a_full_run() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    copy_dir(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/inbox")),
        &inbox,
    );
    age_files(&inbox);
    // Every file of the demo inbox (the copy above).
    let n_files = skm::demo_inbox::FILES.len() as u64;
    let out = tmp.path().join("out");

    let first = run(&inbox, &out, false);
    assert_eq!(
        (
            first["files_read"].as_u64(),
            first["files_reused"].as_u64(),
            first["files_unread"].as_u64()
        ),
        (Some(n_files), Some(0), Some(0))
    );
    let full_1 = snapshot(&out);
    let facts_1 = manifest_facts(&out);
    assert_eq!(facts_1.len(), n_files as usize);
    assert!(manifest_column(&out, "dipakai_ulang")
        .iter()
        .all(|v| v == "false"));

    // Nothing changed: no file is read again, not even to hash it (size and time are as the
    // index recorded), and the outputs are the same.
    let second = run(&inbox, &out, false);
    assert_eq!(
        (
            second["files_read"].as_u64(),
            second["files_reused"].as_u64(),
            second["files_unread"].as_u64()
        ),
        (Some(0), Some(n_files), Some(n_files))
    );
    same(&snapshot(&out), &full_1);
    assert_eq!(manifest_facts(&out), facts_1);
    assert!(manifest_column(&out, "dipakai_ulang")
        .iter()
        .all(|v| v == "true"));
    assert!(manifest_column(&out, "hash_dari")
        .iter()
        .all(|v| v == "stat"));

    // One unit's file changed: only it is read again; the result equals a full run.
    let csv = inbox.join("kec-mustikajaya/skm_mustikajaya_tw4_2024.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let kept: Vec<&str> = text.lines().take(600).collect();
    std::fs::write(&csv, kept.join("\n") + "\n").unwrap();
    let third = run(&inbox, &out, false);
    assert_eq!(
        (third["files_read"].as_u64(), third["files_reused"].as_u64()),
        (Some(1), Some(n_files - 1))
    );
    let full_out = tmp.path().join("full");
    let full = run(&inbox, &full_out, true);
    assert_eq!(full["files_reused"].as_u64(), Some(0));
    same(&snapshot(&out), &snapshot(&full_out));
    assert_eq!(manifest_facts(&out), manifest_facts(&full_out));
    assert_ne!(snapshot(&out), full_1);
    assert_eq!(
        manifest_column(&out, "dipakai_ulang")
            .iter()
            .filter(|v| *v == "false")
            .count(),
        1
    );

    // A file removed: its rows leave silver; a new file: only it is read. The new file is a
    // copy of `csv` with a later modification time, so it is the copy that counts and `csv`
    // becomes an identical copy of it: listed, not read, not reused.
    std::fs::remove_file(inbox.join("kec-bekasi-timur/ikm_bekasi_timur_semester1_2024.csv"))
        .unwrap();
    std::fs::copy(&csv, inbox.join("kec-mustikajaya/salinan.csv")).unwrap();
    let fourth = run(&inbox, &out, false);
    assert_eq!(
        (
            fourth["files_read"].as_u64(),
            fourth["files_reused"].as_u64(),
            fourth["files_identical"].as_u64()
        ),
        (Some(1), Some(n_files - 2), Some(1))
    );
    let full_out2 = tmp.path().join("full2");
    run(&inbox, &full_out2, true);
    same(&snapshot(&out), &snapshot(&full_out2));
    assert_eq!(manifest_facts(&out), manifest_facts(&full_out2));
    let silver = common::read_silver(&out, 2024);
    assert!(!silver
        .str("source_file")
        .iter()
        .any(|f| f.as_deref() == Some("kec-bekasi-timur/ikm_bekasi_timur_semester1_2024.csv")));
}

/// `run` with a configuration file and, when given, another executable.
fn run_with(
    exe: Option<&Path>,
    inbox: &Path,
    out: &Path,
    config: &Path,
    full: bool,
) -> serde_json::Value {
    run_by(exe, inbox, out, Some(config), full)
}

fn counts(v: &serde_json::Value) -> (Option<u64>, Option<u64>) {
    (v["files_read"].as_u64(), v["files_reused"].as_u64())
}

/// The cache is keyed on what normalizing reads (issue 28): a setting only gold uses (a yearly
/// rule, the population, the breakdown minimum) re-reads no file and gives the gold of a full
/// run with that setting; a setting normalize reads re-reads every file; and so does another
/// build of skm, so that an upgrade's fixes reach files read before it.
#[test]
fn the_cache_is_keyed_on_what_normalizing_reads_and_on_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    copy_dir(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/inbox")),
        &inbox,
    );
    age_files(&inbox);
    let n_files = skm::demo_inbox::FILES.len() as u64;
    let out = tmp.path().join("out");
    let config = tmp.path().join("skm.toml");
    std::fs::write(&config, "").unwrap();
    let first = run_with(None, &inbox, &out, &config, false);
    assert_eq!(counts(&first), (Some(n_files), Some(0)));
    let before = snapshot(&out);

    // Compute-only settings changed: nothing re-read, gold as a full run's with them.
    std::fs::write(
        &config,
        "[tahun]\naturan = \"mean\"\n[tahun.unit.kecamatan-medansatria]\naturan = \"last\"\n\
         [populasi]\nkecamatan-bekasi-timur = 2328\n[profil]\nminimum_responden = 5\n",
    )
    .unwrap();
    let second = run_with(None, &inbox, &out, &config, false);
    assert_eq!(counts(&second), (Some(0), Some(n_files)));
    let full_out = tmp.path().join("full");
    run_with(None, &inbox, &full_out, &config, true);
    same(&snapshot(&out), &snapshot(&full_out));
    assert_ne!(snapshot(&out), before, "the yearly rule changed gold");

    // A setting normalize reads (the limits) re-reads every file.
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("[batas]\nkolom = 400\n");
    std::fs::write(&config, &text).unwrap();
    let third = run_with(None, &inbox, &out, &config, false);
    assert_eq!(counts(&third), (Some(n_files), Some(0)));

    // Another build (the same program with one byte more at its end, as an upgrade changes
    // the executable): every file read again once, then reused by that build.
    let exe = tmp.path().join("skm-upgraded");
    let mut bytes = std::fs::read(env!("CARGO_BIN_EXE_skm")).unwrap();
    bytes.push(0);
    std::fs::write(&exe, bytes).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let upgraded = run_with(Some(&exe), &inbox, &out, &config, false);
    assert_eq!(counts(&upgraded), (Some(n_files), Some(0)));
    let again = run_with(Some(&exe), &inbox, &out, &config, false);
    assert_eq!(counts(&again), (Some(0), Some(n_files)));
    same(&snapshot(&out), &snapshot(&full_out));
}

/// A run without a cache hashes a file as it reads it when no other file has its size (the
/// bytes are read once, not once to hash and once to read): every hash in the manifest is
/// still BLAKE3 of the file's bytes — a CSV streamed on several threads, one read on its own
/// thread, one with a BOM, a workbook. Files of one size are hashed before reading, so an
/// identical copy is still found and read once, and two files of one size that differ are
/// both read.
#[test]
fn a_run_without_a_cache_hashes_each_file_as_it_reads_it() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    common::skm_gen(
        &inbox,
        &[
            "--responses",
            "8000",
            "--units",
            "2",
            "--xlsx-share",
            "0.25",
        ],
    );
    let mut csvs: Vec<_> = common::files_under(&inbox)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    csvs.sort();
    assert!(csvs.len() >= 3, "{csvs:?}");
    let dir = csvs[0].parent().unwrap().to_path_buf();
    // An identical copy under another name; the same file with a BOM; and the same file with
    // one answer changed (the same size, other bytes).
    std::fs::copy(&csvs[0], dir.join("salinan.csv")).unwrap();
    let text = std::fs::read(&csvs[1]).unwrap();
    std::fs::write(
        dir.join("dengan_bom.csv"),
        [b"\xEF\xBB\xBF".as_slice(), &text].concat(),
    )
    .unwrap();
    let text = std::fs::read_to_string(&csvs[2]).unwrap();
    let last = text.trim_end().rsplit_once('\n').unwrap().1;
    let answer = last.find(";4;").expect("a row with an answer 4");
    let changed = format!("{};3;{}", &last[..answer], &last[answer + 3..]);
    assert_eq!(changed.len(), last.len());
    std::fs::write(dir.join("diubah.csv"), text.replacen(last, &changed, 1)).unwrap();
    // A file of several read blocks (1 MiB each: `csvstream`).
    common::skm_gen(
        &inbox.join("tahunan"),
        &[
            "--responses",
            "15000",
            "--units",
            "2",
            "--seed",
            "2",
            "--layout",
            "year",
        ],
    );

    let out = tmp.path().join("out");
    // Files over 64 KiB streamed on several threads (`SKM_CHUNK_KB`), the others alone.
    let o = common::skm_run(
        &inbox,
        &out,
        &["--full", "--json"],
        &[("SKM_CHUNK_KB", "16"), ("SKM_WORKERS", "2")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["files_identical"].as_u64(), Some(1));
    let m = read(&out.join("manifest.parquet"));
    let col = |name: &str| m.columns().iter().position(|n| n == name).unwrap();
    let (file, hash, read_rows) = (col("source_file"), col("blake3"), col("baris_dibaca"));
    let rows = m.rows_as_text();
    assert_eq!(rows.len(), common::files_under(&inbox).len());
    let mut streamed_big = 0;
    for r in &rows {
        let bytes = std::fs::read(inbox.join(&r[file])).unwrap();
        streamed_big += usize::from(bytes.len() > 64 << 10 && r[file].ends_with(".csv"));
        assert_eq!(
            r[hash],
            blake3::hash(&bytes).to_hex().to_string(),
            "{}",
            r[file]
        );
    }
    assert!(streamed_big >= 2, "files streamed on several threads");
    assert!(rows
        .iter()
        .any(|r| std::fs::metadata(inbox.join(&r[file])).unwrap().len() > 1 << 20));
    assert!(rows.iter().any(|r| r[file].ends_with(".xlsx")));
    // Both files of one size read (neither an identical copy of the other).
    let read_of = |name: &str| {
        let r = rows.iter().find(|r| r[file].ends_with(name)).unwrap();
        r[read_rows].parse::<u64>().unwrap()
    };
    let changed_of = csvs[2].file_name().unwrap().to_str().unwrap();
    assert!(read_of("diubah.csv") > 0 && read_of(changed_of) > 0);
    assert!(read_of("dengan_bom.csv") > 0);
}
