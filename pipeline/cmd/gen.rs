//! `skm gen`: write a realistic inbox for benchmarks and scale tests.
//!
//! Usage:
//!     skm gen --responses 1000000 --units 96 --seed 1 --out /tmp/inbox-1m
//!
//! Raw questionnaires as CSV (U1–U9 headers) and XLSX (unsur names) per unit and quarter,
//! plausible answers, and a small share of bad rows of every kind `skm run` rejects.
//! Deterministic for a seed. With more units than the registry has, a units.tsv for
//! `skm run --units` is written beside them.

use std::path::PathBuf;

use skm::gen::inbox::{write_inbox, GenSpec};
use skm::registry::Registry;

use super::{EXIT_FAILED, EXIT_OK};

#[derive(clap::Args, Debug)]
#[command(
    about = "Write a realistic inbox of raw questionnaires (benchmarks, scale tests)",
    after_help = "Example:\n  skm gen --responses 1000000 --units 96 --seed 1 --out /tmp/inbox-1m\n  skm run --inbox /tmp/inbox-1m --out /tmp/out-1m"
)]
pub struct Args {
    /// Responses in all.
    #[arg(long)]
    responses: u64,
    /// Units (the registry's first, then synthetic ones).
    #[arg(long, default_value_t = 96)]
    units: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value_t = 2024)]
    tahun: i32,
    /// Share of files written as XLSX.
    #[arg(long, default_value_t = 0.1)]
    xlsx_share: f64,
    /// Share of rows made bad on purpose.
    #[arg(long, default_value_t = 0.005)]
    bad_share: f64,
    #[arg(long)]
    out: PathBuf,
}

pub fn main(a: Args) -> i32 {
    let spec = GenSpec {
        responses: a.responses,
        units: a.units,
        seed: a.seed,
        tahun: a.tahun,
        xlsx_share: a.xlsx_share,
        bad_share: a.bad_share,
    };
    match write_inbox(&a.out, &spec, &Registry::embedded()) {
        Ok(s) => {
            println!(
                "{} files, {} rows ({} made bad on purpose) in {}",
                s.files.len(),
                s.rows,
                s.bad_rows,
                a.out.display()
            );
            if let Some(u) = s.units_file {
                println!(
                    "units beyond the registry: run with --units {}",
                    u.display()
                );
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("skm gen: {e:#}");
            EXIT_FAILED
        }
    }
}
