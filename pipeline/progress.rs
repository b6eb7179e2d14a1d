//! What a run is doing, for progress bars and logs (a leaf: every stage may report).

/// What a run is doing, for progress bars and logs.
#[derive(Debug, Clone)]
pub enum Progress<'a> {
    /// File `i` (0-based) of `n`, about to be read or read; once read, how (`files.cara_baca`,
    /// `None` when it was not: unreadable, an identical copy, changed while read), and whether
    /// its result was taken from the cache (read so on an earlier night).
    File {
        i: usize,
        n: usize,
        name: &'a str,
        read: Option<&'static str>,
        reused: bool,
    },
    /// A stage started.
    Stage(Stage),
}

crate::labels! {
    /// The stages of a run, as the log and `--json`'s `seconds` name them.
    pub enum Stage {
        Ingest = "ingest",
        Compute = "compute",
        Emit = "emit",
        Publish = "publish",
        Database = "database",
    }
}
