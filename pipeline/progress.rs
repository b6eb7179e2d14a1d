//! What a run is doing, for progress bars and logs (a leaf: every stage may report).

/// What a run is doing, for progress bars and logs.
#[derive(Debug, Clone)]
pub enum Progress<'a> {
    /// About to read file `i` (0-based) of `n`.
    File { i: usize, n: usize, name: &'a str },
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
