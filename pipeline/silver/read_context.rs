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

/// How big CSV files share the cores: at most `at_once` streamed at a time, each on its share
/// of the cores (`share`), and once no other big file waits and fewer than `at_once` stream,
/// on a thread per core (`spare`): the last big files read take up the cores the others left.
/// At most as many parse threads as cores work at once (`at_work`). Measured on 10M responses in 4
/// quarterly files on 2 cores (BENCHMARKS.md): the four at once on one thread each, 13.2–13.4 s
/// and 450–490 MiB; two at once, 12.7–13.4 s and ~310 MiB; one at a time on 2 or 3 threads,
/// 13.6–14.5 s (more time handing chunks between threads). With a fixed thread a file, the
/// last big file read alone left a core idle (a 3M + 2M pair: the 3M file's last second).
pub(super) struct BigFiles {
    pub threads: usize,
    at_once: usize,
    streaming: Mutex<usize>,
    freed: std::sync::Condvar,
    /// Big files waiting for a turn.
    waiting: std::sync::atomic::AtomicUsize,
    /// Parse threads at work over every big file streamed: at most `threads`.
    working: Mutex<usize>,
    idle: std::sync::Condvar,
}

impl BigFiles {
    /// For `n` big files and a budget of `budget` parse threads.
    pub fn new(n: usize, budget: usize) -> BigFiles {
        let budget = budget.max(1);
        BigFiles {
            threads: budget,
            at_once: n.clamp(1, budget),
            streaming: Mutex::new(0),
            freed: std::sync::Condvar::new(),
            waiting: std::sync::atomic::AtomicUsize::new(0),
            working: Mutex::new(0),
            idle: std::sync::Condvar::new(),
        }
    }

    /// Waits for a turn to stream a big file; the turn ends when the guard is dropped.
    pub(super) fn turn(&self) -> Turn<'_> {
        use std::sync::atomic::Ordering::Relaxed;
        self.waiting.fetch_add(1, Relaxed);
        let mut n = self.streaming.lock().unwrap_or_else(|e| e.into_inner());
        while *n >= self.at_once {
            n = self.freed.wait(n).unwrap_or_else(|e| e.into_inner());
        }
        *n += 1;
        self.waiting.fetch_sub(1, Relaxed);
        Turn(self)
    }

    /// The parse threads a big file starts with: its share of the cores.
    pub fn share(&self) -> usize {
        (self.threads / self.at_once).max(1)
    }

    /// Waits until a spare thread may work (no big file waits for a turn and fewer than
    /// `at_once` stream: true) or its file is all sent (false).
    pub(super) fn spare(&self, sent: &std::sync::atomic::AtomicBool) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        loop {
            if sent.load(Relaxed) {
                return false;
            }
            {
                let n = self.streaming.lock().unwrap_or_else(|e| e.into_inner());
                if *n < self.at_once && self.waiting.load(Relaxed) == 0 {
                    return true;
                }
                let pause = std::time::Duration::from_millis(20);
                let _ = self.freed.wait_timeout(n, pause);
            }
        }
    }

    /// The chunks a big file has in flight: its share of the cores (`threads` over the files
    /// streamed at once) and one more, so that all files together hold about as many chunks
    /// as there are cores whatever their threads.
    pub fn window(&self) -> usize {
        self.share() + 1
    }

    /// `work()` once fewer than `threads` parse threads of all big files are at work.
    pub(super) fn at_work<T>(&self, work: impl FnOnce() -> T) -> T {
        {
            let mut n = self.working.lock().unwrap_or_else(|e| e.into_inner());
            while *n >= self.threads {
                n = self.idle.wait(n).unwrap_or_else(|e| e.into_inner());
            }
            *n += 1;
        }
        struct Done<'a>(&'a BigFiles);
        impl Drop for Done<'_> {
            fn drop(&mut self) {
                let mut n = self.0.working.lock().unwrap_or_else(|e| e.into_inner());
                *n -= 1;
                self.0.idle.notify_one();
            }
        }
        let _done = Done(self);
        work()
    }
}

/// A big file's turn (`BigFiles::turn`).
pub(super) struct Turn<'a>(&'a BigFiles);

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut n = self.0.streaming.lock().unwrap_or_else(|e| e.into_inner());
        *n -= 1;
        // Every waiter: files waiting for a turn and spare threads waiting for cores.
        self.0.freed.notify_all();
    }
}
