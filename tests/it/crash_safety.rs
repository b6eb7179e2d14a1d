//! Reliability: a run killed at any point leaves the last good output published and the next
//! run equals an uninterrupted one; one writer at a time; the same inputs give the same gold
//! tables whatever the file order or thread count.

use std::path::{Path, PathBuf};

use crate::common::{gold_snapshot as snapshot, skm, skm_command};

fn published_runs(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join(".out.runs"))
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_run_killed_in_any_stage_leaves_the_last_good_output_and_the_next_run_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let out_s = out.to_str().unwrap();
    let inbox = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/inbox");
    let o = skm(&["run", "--inbox", inbox, "--out", out_s], &[]);
    assert!(o.status.success());
    let good = snapshot(&out);
    let good_link = std::fs::read_link(&out).unwrap();
    let points = [
        "ingest:1",
        "ingest:4",
        "normalize:2",
        "normalize:9",
        "compute:1",
        "emit:1",
        "emit:6",
        "emit:14",
        "publish:1",
    ];
    for p in points {
        // --full: read every file again, so each stage really runs (else the cache skips ingest).
        let o = skm(
            &["run", "--full", "--inbox", inbox, "--out", out_s],
            &[("SKM_CRASH_AT", p)],
        );
        assert!(!o.status.success(), "{p}: the run was meant to die");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("aborting here"),
            "{p}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        // Still the last good output, complete.
        assert_eq!(std::fs::read_link(&out).unwrap(), good_link, "{p}");
        assert_eq!(snapshot(&out), good, "{p}");
    }
    // The next run completes normally, equals the uninterrupted one, and cleans up.
    let o = skm(&["run", "--inbox", inbox, "--out", out_s], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_ne!(std::fs::read_link(&out).unwrap(), good_link);
    assert_eq!(snapshot(&out), good);
    let runs = published_runs(tmp.path());
    assert!(runs.iter().all(|r| !r.ends_with(".tmp")), "{runs:?}");

    // A real kill -9 at several moments: the output is always a complete one.
    for delay_ms in [50u64, 300, 700, 1200] {
        let mut child = skm_command()
            .args(["run", "--full", "--inbox", inbox, "--out", out_s])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert_eq!(snapshot(&out), good, "after kill -9 at {delay_ms} ms");
    }

    // Rollback publishes the previous run again.
    let before = std::fs::read_link(&out).unwrap();
    let o = skm(&["rollback", "--out", out_s], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_ne!(std::fs::read_link(&out).unwrap(), before);
    assert_eq!(snapshot(&out), good);
}

#[test]
fn two_runs_at_once_exactly_one_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let out_s = out.to_str().unwrap().to_string();
    let inbox = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/inbox");
    let first = skm_command()
        .args(["run", "--inbox", inbox, "--out", &out_s])
        .env("SKM_HOLD_LOCK_MS", "4000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let lock = tmp.path().join(".out.lock");
    let start = std::time::Instant::now();
    while !std::fs::read_to_string(&lock)
        .unwrap_or_default()
        .contains("pid")
    {
        assert!(
            start.elapsed().as_secs() < 20,
            "the first run never took the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let t = std::time::Instant::now();
    let second = skm(&["run", "--inbox", inbox, "--out", &out_s], &[]);
    assert!(t.elapsed().as_secs() < 3, "the second run exits at once");
    assert_eq!(second.status.code(), Some(4));
    let msg = String::from_utf8_lossy(&second.stderr);
    assert!(
        msg.contains("another skm run") && msg.contains(&format!("pid {}", first.id())),
        "{msg}"
    );
    let first = first.wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(published_runs(tmp.path()).len(), 1, "exactly one run wrote");
    // The lock of a finished (or killed) run does not block the next one.
    assert!(skm(&["run", "--inbox", inbox, "--out", &out_s], &[])
        .status
        .success());
}

#[test]
fn outputs_are_deterministic_whatever_the_file_order_or_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let src = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/inbox"));
    let mut files: Vec<PathBuf> = Vec::new();
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out)
            } else {
                out.push(p)
            }
        }
    }
    walk(src, &mut files);
    // The same files copied in opposite orders (directory order differs).
    let copy = |dir: &Path, order: &[PathBuf]| {
        for f in order {
            let rel = f.strip_prefix(src).unwrap();
            std::fs::create_dir_all(dir.join(rel).parent().unwrap()).unwrap();
            std::fs::copy(f, dir.join(rel)).unwrap();
        }
    };
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    copy(&a, &files);
    files.reverse();
    copy(&b, &files);
    let (oa, ob) = (tmp.path().join("oa"), tmp.path().join("ob"));
    assert!(skm(
        &[
            "run",
            "--inbox",
            a.to_str().unwrap(),
            "--out",
            oa.to_str().unwrap()
        ],
        &[("POLARS_MAX_THREADS", "1")]
    )
    .status
    .success());
    assert!(skm(
        &[
            "run",
            "--inbox",
            b.to_str().unwrap(),
            "--out",
            ob.to_str().unwrap()
        ],
        &[("POLARS_MAX_THREADS", "2")]
    )
    .status
    .success());
    assert_eq!(snapshot(&oa), snapshot(&ob));
}
