//! `skm gen`: write a realistic inbox for benchmarks and scale tests.
//!
//! Usage:
//!     skm gen --responses 1000000 --units 96 --seed 1 --out /tmp/inbox-1m
//!
//!     skm gen --responses 10000000 --layout year --out /tmp/inbox-10m-year
//!
//! Raw questionnaires as CSV (U1–U9 headers) and XLSX (unsur names) per unit and quarter,
//! plausible answers, and a small share of bad rows of every kind `skm run` rejects.
//! `--layout quarter` writes the same responses as 4 CSV files (one per quarter, every unit's
//! rows, the unit in its column), `--layout year` as one CSV (the whole year), the way a
//! central survey application exports them, and `--layout workbook` as one XLSX of one sheet
//! (a form tool's export of the year; at most 1,048,575 rows, Excel's limit); all are written
//! row by row (any size), and hold exactly the rows of the unit × quarter layout (compare with
//! `--xlsx-share 0` there).
//! Deterministic for a seed. With more units than the registry has, a units.tsv for
//! `skm run --units` is written beside them.

use std::path::PathBuf;

use skm::gen::inbox::{write_earlier_exports, write_inbox_as, GenSpec, Layout};
use skm::registry::Registry;

use super::{EXIT_FAILED, EXIT_OK};

#[derive(clap::Args, Debug)]
#[command(
    about = "Write a realistic inbox of raw questionnaires (benchmarks, scale tests)",
    after_help = "Example:\n  skm gen --responses 1000000 --units 96 --seed 1 --out /tmp/inbox-1m\n  skm run --inbox /tmp/inbox-1m --out /tmp/out-1m\n  skm gen --responses 1000000 --layout year --out /tmp/inbox-1m-year"
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
    /// Share of files written as XLSX (unit-quarter layout only; the others are CSV).
    #[arg(long, default_value_t = 0.1)]
    xlsx_share: f64,
    /// unit-quarter (a file per unit and quarter), quarter (4 CSV files), year (1 CSV file) or
    /// workbook (1 XLSX of one sheet): the same responses in each.
    #[arg(long, default_value = "unit-quarter", value_parser = layout)]
    layout: Layout,
    /// Share of rows made bad on purpose.
    #[arg(long, default_value_t = 0.005)]
    bad_share: f64,
    /// A form's `Timestamp` (date and time of day to the second) in place of the date: every
    /// response has an identity, as in a Google Forms export.
    #[arg(long)]
    timestamps: bool,
    /// Also write, beside each CSV file, the earlier cumulative export of it: its first SHARE
    /// of the rows (0–1), as `<name>_sebelumnya.csv`, modified 30 days before.
    #[arg(long, value_name = "SHARE")]
    earlier: Option<f64>,
    #[arg(long)]
    out: PathBuf,
}

fn layout(text: &str) -> Result<Layout, String> {
    Layout::parse(text).ok_or_else(|| {
        let known: Vec<&str> = Layout::ALL.iter().map(|l| l.as_str()).collect();
        format!("unknown layout '{text}'; use one of: {}", known.join(", "))
    })
}

pub fn main(a: Args) -> i32 {
    let spec = GenSpec {
        responses: a.responses,
        units: a.units,
        seed: a.seed,
        tahun: a.tahun,
        xlsx_share: a.xlsx_share,
        bad_share: a.bad_share,
        timestamps: a.timestamps,
    };
    let written = write_inbox_as(&a.out, &spec, a.layout, &Registry::embedded()).and_then(|s| {
        match a.earlier {
            Some(share) => Ok((write_earlier_exports(&s.files, share)?, s)),
            None => Ok((Vec::new(), s)),
        }
    });
    match written {
        Ok((earlier, s)) => {
            for e in &earlier {
                println!("earlier export: {}", e.display());
            }
            println!(
                "{} file{}, {} rows ({} made bad on purpose) in {}",
                s.files.len(),
                if s.files.len() == 1 { "" } else { "s" },
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
