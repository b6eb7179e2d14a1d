//! Fault injection for the crash tests: `SKM_CRASH_AT=<point>` aborts the process (as a
//! kill -9 would: no destructors, no cleanup) when it reaches that point; `<point>:<n>` at
//! the n-th time. Points: ingest, normalize, compute, emit, publish. Unset in normal use.
//! `SKM_PAUSE_AFTER_READ=<part of a file name>=<marker>` holds a worker after it has read that
//! file until the test removes the marker file it writes (a file changed while it is read).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

static SPEC: OnceLock<Option<(String, usize)>> = OnceLock::new();
static SEEN: AtomicUsize = AtomicUsize::new(0);

pub fn point(name: &str) {
    let spec = SPEC.get_or_init(|| {
        let v = std::env::var("SKM_CRASH_AT").ok()?;
        let (p, n) = match v.split_once(':') {
            Some((p, n)) => (p.to_string(), n.parse().unwrap_or(1)),
            None => (v, 1),
        };
        Some((p, n))
    });
    if let Some((p, n)) = spec {
        if p == name && SEEN.fetch_add(1, Ordering::SeqCst) + 1 == *n {
            eprintln!("skm: SKM_CRASH_AT={p}:{n}: aborting here");
            std::process::abort();
        }
    }
    if name == "locked" {
        if let Ok(ms) = std::env::var("SKM_HOLD_LOCK_MS") {
            std::thread::sleep(std::time::Duration::from_millis(ms.parse().unwrap_or(0)));
        }
    }
}

/// For the test of a file that changes while it is read: after reading a file whose name
/// contains the configured part, write the marker file and wait (at most a minute) until the
/// test has removed it.
pub fn pause_after_read(rel: &str) {
    let Ok(spec) = std::env::var("SKM_PAUSE_AFTER_READ") else {
        return;
    };
    let Some((part, marker)) = spec.split_once('=') else {
        return;
    };
    if !rel.contains(part) {
        return;
    }
    let marker = std::path::Path::new(marker);
    if std::fs::write(marker, rel).is_err() {
        return;
    }
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while marker.exists() && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
