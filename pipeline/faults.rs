//! Fault injection for the crash tests: `SKM_CRASH_AT=<point>` aborts the process (as a
//! kill -9 would: no destructors, no cleanup) when it reaches that point; `<point>:<n>` at
//! the n-th time. Points: ingest, normalize, compute, emit, publish. Unset in normal use.

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
