//! Crash-safe publishing and one writer at a time.
//!
//! `--out OUT` is a symbolic link to a complete run: `OUT -> .OUT.runs/<run-id>`. A run writes
//! into `.OUT.runs/<run-id>.tmp/`, syncs every file, renames the folder to `<run-id>`, then
//! replaces the link with `rename(2)`, which is atomic: a reader that resolves `OUT` sees the
//! previous complete output or the new complete one, never a mix, and a run killed at any
//! moment (kill -9 included) leaves the last good output in place. The previous runs are kept
//! (`KEEP`) for `skm rollback`.
//!
//! One writer: the lock file `.OUT.lock` is locked with `flock` for the whole run. A second
//! run fails at once naming the holder; the lock of a killed run is released by the kernel
//! with its process, so a stale lock cannot block the next night.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// How many published runs are kept (the current one and the ones before it).
pub const KEEP: usize = 3;

/// Paths around an output folder.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The link users and dashboards read (`--out`).
    pub out: PathBuf,
    /// Where the runs live.
    pub runs: PathBuf,
    pub lock: PathBuf,
    /// Where `skm run` without `--inbox` writes the embedded demo inbox.
    pub demo: PathBuf,
    /// The incremental cache (`silver::cache`).
    pub cache: PathBuf,
    /// The run history and the runs' logs (`crate::history`), kept for ever.
    pub history: PathBuf,
}

impl Layout {
    pub fn new(out: &Path) -> Result<Layout> {
        let out = if out.is_absolute() {
            out.to_path_buf()
        } else {
            std::env::current_dir()?.join(out)
        };
        let name = out
            .file_name()
            .with_context(|| format!("the output folder {} has no name", out.display()))?
            .to_string_lossy()
            .to_string();
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"));
        Ok(Layout {
            runs: parent.join(format!(".{name}.runs")),
            lock: parent.join(format!(".{name}.lock")),
            demo: parent.join(format!(".{name}.demo")),
            cache: parent.join(format!(".{name}.cache")),
            history: parent.join(format!(".{name}.history")),
            out,
        })
    }

    /// The published runs, oldest first.
    pub fn published(&self) -> Result<Vec<String>> {
        let mut v: Vec<String> = match fs::read_dir(&self.runs) {
            Ok(rd) => rd
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| !n.ends_with(".tmp") && !n.starts_with('.'))
                .collect(),
            Err(_) => Vec::new(),
        };
        v.sort();
        Ok(v)
    }

    /// The run `OUT` points at.
    pub fn current(&self) -> Option<String> {
        let target = fs::read_link(&self.out).ok()?;
        Some(target.file_name()?.to_string_lossy().to_string())
    }
}

/// Another run holds the output's lock.
#[derive(Debug, thiserror::Error)]
#[error("another skm run is writing {out} ({holder}); wait for it to finish. The lock is released when that process ends.")]
pub struct Locked {
    pub out: String,
    pub holder: String,
}

/// The held lock; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Takes the output's lock, or fails at once naming the holder.
pub fn lock(layout: &Layout) -> Result<Lock> {
    if let Some(dir) = layout.lock.parent() {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&layout.lock)
        .with_context(|| format!("cannot open the lock {}", layout.lock.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let holder = fs::read_to_string(&layout.lock).unwrap_or_default();
            return Err(Locked {
                out: layout.out.display().to_string(),
                holder: holder.trim().to_string(),
            }
            .into());
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock {}", layout.lock.display()));
        }
    }
    file.set_len(0)?;
    let host = fs::read_to_string("/etc/hostname").unwrap_or_default();
    write!(
        file,
        "pid {} on {} since {}",
        std::process::id(),
        host.trim(),
        chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
    )?;
    file.sync_all()?;
    Ok(Lock { _file: file })
}

/// A new run id: sortable by time, unique within the process.
pub fn run_id() -> String {
    format!(
        "{}-{}",
        chrono::Local::now().format("%Y%m%dT%H%M%S%.3f"),
        std::process::id()
    )
}

/// Where a run writes before it is published. Leftovers of killed runs are removed.
pub fn staging(layout: &Layout, id: &str) -> Result<PathBuf> {
    fs::create_dir_all(&layout.runs)
        .with_context(|| format!("cannot create {}", layout.runs.display()))?;
    for e in fs::read_dir(&layout.runs)?.flatten() {
        if e.file_name().to_string_lossy().ends_with(".tmp") {
            fs::remove_dir_all(e.path()).ok();
        }
    }
    let dir = layout.runs.join(format!("{id}.tmp"));
    fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn sync_tree(dir: &Path) -> Result<()> {
    for e in fs::read_dir(dir)? {
        let e = e?;
        let p = e.path();
        if e.file_type()?.is_dir() {
            sync_tree(&p)?;
        } else {
            File::open(&p)?.sync_all()?;
        }
    }
    File::open(dir)?.sync_all()?;
    Ok(())
}

/// Starts syncing `dir` (the staged silver, complete once ingest is done) on a thread of its
/// own while the rest of the run is written: `publish` syncs everything again, and a file
/// already synced costs it little. (10M in one file: the silver part's 70 MB otherwise went
/// to disk while the run waited.) Errors are left to `publish`'s sync to report.
pub fn sync_early(dir: PathBuf) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let _ = sync_tree(&dir);
    })
}

/// Publishes a staged run: sync, rename into place, switch the link atomically, keep `KEEP`.
pub fn publish(layout: &Layout, staged: &Path, id: &str) -> Result<PathBuf> {
    sync_tree(staged)?;
    let final_dir = layout.runs.join(id);
    fs::rename(staged, &final_dir)
        .with_context(|| format!("cannot publish {}", final_dir.display()))?;
    File::open(&layout.runs)?.sync_all()?;
    crate::faults::point("publish");
    switch(layout, id)?;
    // Keep the newest runs for rollback.
    let runs = layout.published()?;
    let current = layout.current();
    if runs.len() > KEEP {
        for old in &runs[..runs.len() - KEEP] {
            if Some(old) != current.as_ref() {
                fs::remove_dir_all(layout.runs.join(old)).ok();
            }
        }
    }
    Ok(final_dir)
}

/// Points `OUT` at run `id` with one atomic rename.
pub fn switch(layout: &Layout, id: &str) -> Result<()> {
    let parent = layout.out.parent().expect("absolute");
    let runs_name = layout.runs.file_name().expect("name");
    let target = Path::new(runs_name).join(id);
    match fs::symlink_metadata(&layout.out) {
        Ok(m) if m.file_type().is_symlink() => {}
        Ok(m) if m.is_dir() => adopt_folder(layout)?,
        Ok(_) => bail!(
            "{} exists and is not a folder skm wrote; move it away",
            layout.out.display()
        ),
        Err(_) => {}
    }
    let tmp_link = parent.join(format!(
        ".{}.link-{}",
        layout.out.file_name().expect("name").to_string_lossy(),
        std::process::id()
    ));
    let _ = fs::remove_file(&tmp_link);
    std::os::unix::fs::symlink(&target, &tmp_link)
        .with_context(|| format!("cannot create {}", tmp_link.display()))?;
    fs::rename(&tmp_link, &layout.out)
        .with_context(|| format!("cannot switch {}", layout.out.display()))?;
    File::open(parent)?.sync_all()?;
    Ok(())
}

/// An output folder written by an earlier skm (a plain folder) or made empty by hand becomes
/// the first kept run, so the switch to a link loses nothing.
fn adopt_folder(layout: &Layout) -> Result<()> {
    let empty = fs::read_dir(&layout.out)?.next().is_none();
    if empty {
        fs::remove_dir(&layout.out)?;
        return Ok(());
    }
    if !layout.out.join("gold").is_dir() && !layout.out.join("rejects.parquet").is_file() {
        bail!(
            "{} is a folder that skm did not write (no gold/ nor rejects.parquet); give another --out or move it away",
            layout.out.display()
        );
    }
    fs::create_dir_all(&layout.runs)?;
    let dest = layout.runs.join("00000000T000000.000-lama");
    fs::rename(&layout.out, &dest).with_context(|| {
        format!(
            "cannot move {} into {}",
            layout.out.display(),
            dest.display()
        )
    })?;
    Ok(())
}

/// Points `OUT` back at the run before the current one; returns (from, to).
pub fn rollback(layout: &Layout) -> Result<(String, String)> {
    let runs = layout.published()?;
    let current = layout
        .current()
        .with_context(|| format!("{} is not a published output", layout.out.display()))?;
    let pos = runs.iter().position(|r| *r == current).with_context(|| {
        format!(
            "the current run {current} is not among {}",
            layout.runs.display()
        )
    })?;
    if pos == 0 {
        bail!(
            "there is no earlier run to go back to in {}",
            layout.runs.display()
        );
    }
    let prev = runs[pos - 1].clone();
    switch(layout, &prev)?;
    Ok((current, prev))
}
