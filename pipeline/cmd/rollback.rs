//! `skm rollback [--out DIR]`: publish the run before the current one again.
//!
//! Usage:
//!     skm rollback --out /data/skm/out
//!
//! Every run is kept under `.OUT.runs/` (the newest three); `OUT` is a link to the current
//! one. Rollback switches the link back atomically, under the same lock as `skm run`.

use std::path::PathBuf;

use super::{EXIT_FAILED, EXIT_LOCKED, EXIT_OK};

#[derive(clap::Args, Debug)]
#[command(
    about = "Publish the previous run again (undo the last run)",
    after_help = "Example:\n  skm rollback --out /data/skm/out"
)]
pub struct Args {
    /// The output folder (a link to the current run).
    #[arg(long, default_value = "out")]
    out: PathBuf,
}

pub fn main(a: Args) -> i32 {
    let result = skm::publish::Layout::new(&a.out).and_then(|layout| {
        let _lock = skm::publish::lock(&layout)?;
        skm::publish::rollback(&layout)
    });
    match result {
        Ok((from, to)) => {
            println!("{} now shows run {to} (was {from})", a.out.display());
            EXIT_OK
        }
        Err(e) => {
            eprintln!("skm rollback: {e:#}");
            if e.downcast_ref::<skm::publish::Locked>().is_some() {
                EXIT_LOCKED
            } else {
                EXIT_FAILED
            }
        }
    }
}
