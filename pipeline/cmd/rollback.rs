//! `skm rollback [--out DIR] [--db URL]`: publish the run before the current one again, and
//! load it into the dashboards' database, so that files and dashboards agree.
//!
//! Usage:
//!     skm rollback --out /data/skm/out
//!     skm rollback --config /etc/skm/skm.toml      # [jalan] out and [basis_data]
//!     PGPASSWORD=… skm rollback --out /data/skm/out --db postgresql://skm@db/skm
//!
//! Every run is kept under `.OUT.runs/` (the newest three); `OUT` is a link to the current
//! one. Rollback switches the link back atomically, under the same lock as `skm run`, then,
//! with `--db` or `[basis_data] url`, loads the republished run as any load (all or nothing).
//! Exit codes: 0 done; 1 failed (nothing changed); 2 usage error; 4 another run holds the
//! output; 5 the files were rolled back but the database load failed (the database keeps the
//! figures it had: run `skm rollback` is not needed again, run the load with the next `skm run`
//! or fix the database and roll back once more from the run after).

use std::path::PathBuf;

use super::{EXIT_DB, EXIT_FAILED, EXIT_LOCKED, EXIT_OK, EXIT_USAGE};

#[derive(clap::Args, Debug)]
#[command(
    about = "Publish the previous run again (undo the last run), in the files and the database",
    after_help = "Example:\n  skm rollback --out /data/skm/out\n  PGPASSWORD=… skm rollback --out /data/skm/out --db postgresql://skm@db.kota.go.id/skm"
)]
pub struct Args {
    /// The output folder (a link to the current run). Default: [jalan] out, else `out`.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Configuration file (as for `skm run`: [jalan] out, [basis_data]).
    #[arg(long)]
    config: Option<PathBuf>,
    #[command(flatten)]
    db: super::DbArgs,
}

pub fn main(a: Args) -> i32 {
    let config = match super::setup("rollback", a.config.as_deref(), None) {
        Ok((c, _)) => c,
        Err(code) => return code,
    };
    let target = match super::db_target(&a.db, &config) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("skm rollback: {e:#}");
            return EXIT_USAGE;
        }
    };
    let out = a
        .out
        .clone()
        .or_else(|| config.jalan.out.clone())
        .unwrap_or_else(|| PathBuf::from("out"));
    let result = skm::publish::Layout::new(&out).and_then(|layout| {
        let lock = skm::publish::lock(&layout)?;
        let (from, to) = skm::publish::rollback(&layout)?;
        Ok((layout, lock, from, to))
    });
    let (layout, _lock, from, to) = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("skm rollback: {e:#}");
            return if e.downcast_ref::<skm::publish::Locked>().is_some() {
                EXIT_LOCKED
            } else {
                EXIT_FAILED
            };
        }
    };
    println!("{} now shows run {to} (was {from})", out.display());
    let Some(target) = target else {
        return EXIT_OK;
    };
    let row = skm::db::restore_row(&layout, &to);
    match skm::db::load(&target, &layout.runs.join(&to), &row) {
        Ok(l) => {
            println!(
                "loaded run {to} into schema {} at {} ({} tables): the dashboards show it again",
                l.schema,
                l.place,
                l.tables.len()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!(
                "skm rollback: the files show run {to}, but the database could not be loaded: {e}"
            );
            EXIT_DB
        }
    }
}
