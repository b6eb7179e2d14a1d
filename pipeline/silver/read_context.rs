//! What every file's reading shares (`worker::ingest_file`, `stream::csv_file`): the context,
//! the cache, the stat index, and how big CSV files share the cores. Neutral ground: the worker
//! and the stream both import it, neither imports the other's types back.

use std::sync::Mutex;

use super::cache::{self, Cache};
use super::SilverDirs;
use crate::config::Config;
use crate::normalize;

/// Everything `ingest_file` shares across files.
pub(super) struct ReadContext<'a> {
    pub ctx: normalize::Context<'a>,
    pub config: &'a Config,
    pub dirs: &'a SilverDirs,
    pub cache: Option<&'a Cache>,
    pub index: std::collections::BTreeMap<String, cache::Stat>,
    pub fingerprint: String,
    pub today: String,
    pub started: std::time::SystemTime,
    /// How big CSV files are streamed: on how many threads each, how many at once.
    pub big: BigFiles,
}

/// How big CSV files share the cores: at most `at_once` streamed at a time, each on
/// `threads` parse threads, so that the parse threads of all of them are about the cores.
/// Measured on 10M responses in 4 quarterly files on 2 cores (BENCHMARKS.md): the four at once
/// on one thread each, 13.2–13.4 s and 450–490 MiB; two at once, 12.7–13.4 s and ~310 MiB;
/// one at a time on 2 or 3 threads, 13.6–14.5 s (more time handing chunks between threads).
pub(super) struct BigFiles {
    pub threads: usize,
    at_once: usize,
    streaming: Mutex<usize>,
    freed: std::sync::Condvar,
}

impl BigFiles {
    /// For `n` big files and a budget of `budget` parse threads.
    pub fn new(n: usize, budget: usize) -> BigFiles {
        let budget = budget.max(1);
        let at_once = n.clamp(1, budget);
        BigFiles {
            threads: (budget / at_once).max(1),
            at_once,
            streaming: Mutex::new(0),
            freed: std::sync::Condvar::new(),
        }
    }

    /// Waits for a turn to stream a big file; the turn ends when the guard is dropped.
    pub(super) fn turn(&self) -> Turn<'_> {
        let mut n = self.streaming.lock().unwrap_or_else(|e| e.into_inner());
        while *n >= self.at_once {
            n = self.freed.wait(n).unwrap_or_else(|e| e.into_inner());
        }
        *n += 1;
        Turn(self)
    }
}

/// A big file's turn (`BigFiles::turn`).
pub(super) struct Turn<'a>(&'a BigFiles);

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut n = self.0.streaming.lock().unwrap_or_else(|e| e.into_inner());
        *n -= 1;
        self.0.freed.notify_one();
    }
}
