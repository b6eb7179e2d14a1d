//! `skm template KIND --out FILE.xlsx`: a blank workbook to fill in.
//!
//! Usage:
//!     skm template kuesioner --out kuesioner_skm.xlsx
//!     skm template rekap --out rekap_ikm.xlsx
//!     skm template iku --out iku.xlsx
//!     skm template anggaran --out anggaran.xlsx
//!     skm template rtl --out rtl_tw4_2024.xlsx --tahun 2024 --periode TW4 [--dir out] [--unit ID]
//!
//! The exact headers skm reads, answer words and periods as drop-down lists, a sheet
//! explaining every column and the list of units. A filled template passes `skm validate`.
//! `rtl` (follow-up plans) is pre-filled with each unit's priority unsur of the period, read
//! from the last run's `gold/prioritas.parquet` under `--dir`.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use skm::domain::Periode;
use skm::emit::template;
use skm::registry::Registry;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};

#[derive(clap::Args, Debug)]
#[command(
    about = "Write a template: kuesioner, rekap, iku, anggaran, or rtl (follow-up plans, pre-filled with the priorities)",
    after_help = "Examples:\n  skm template kuesioner --out kuesioner_skm.xlsx\n  skm template anggaran --out anggaran_2025.xlsx\n  skm template rtl --out rtl_tw4_2024.xlsx --tahun 2024 --periode TW4"
)]
pub struct Args {
    /// kuesioner, rekap, iku, anggaran or rtl.
    kind: String,
    /// Where to write the workbook.
    #[arg(long)]
    out: PathBuf,
    /// Unit registry replacing the embedded one (its units fill the unit drop-down).
    #[arg(long)]
    units: Option<PathBuf>,
    /// rtl: the output folder of a run, whose gold/prioritas.parquet gives the priorities.
    #[arg(long, default_value = "out")]
    dir: PathBuf,
    /// rtl: the year of the priorities (default: the latest).
    #[arg(long)]
    tahun: Option<i32>,
    /// rtl: the period of the priorities, TW1–TW4, S1, S2 or TAHUN (default: each unit's
    /// latest surveyed period of the year).
    #[arg(long)]
    periode: Option<String>,
    /// rtl: one unit only (its unit_id).
    #[arg(long)]
    unit: Option<String>,
}

pub fn main(a: Args) -> i32 {
    if !template::KINDS.contains(&a.kind.as_str()) {
        eprintln!(
            "skm template: no template '{}'; the kinds are {}",
            a.kind,
            template::KINDS.join(", ")
        );
        return EXIT_USAGE;
    }
    let registry = match super::setup("template", None, a.units.as_deref()) {
        Ok((_, r)) => r,
        Err(code) => return code,
    };
    let written = if a.kind == "rtl" {
        let periode = match a.periode.as_deref().map(|p| (p, Periode::parse(p))) {
            Some((p, None)) => {
                eprintln!("skm template: --periode '{p}' is not a period (TW1–TW4, S1, S2, TAHUN)");
                return EXIT_USAGE;
            }
            Some((_, p)) => p,
            None => None,
        };
        rtl(&a, periode, &registry)
    } else {
        template::write(&a.kind, &a.out, &registry).map(|()| None)
    };
    match written {
        Ok(n) => {
            let rows = n
                .map(|n| format!(" ({n} priority rows)"))
                .unwrap_or_default();
            eprintln!(
                "skm template: {} written to {}{rows}",
                a.kind,
                a.out.display()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("skm template: {e:#}");
            EXIT_FAILED
        }
    }
}

/// The follow-up template: the priorities of the chosen period, pre-filled.
fn rtl(a: &Args, periode: Option<Periode>, registry: &Registry) -> anyhow::Result<Option<usize>> {
    let path = a.dir.join("gold/prioritas.parquet");
    let df = read(&path).map_err(|e| {
        anyhow::anyhow!(
            "cannot read {}: {e}; run `skm run` first, or point --dir at its output",
            path.display()
        )
    })?;
    let all = template::priorities(&df)?;
    let rows = template::select_priorities(&all, a.tahun, periode, a.unit.as_deref());
    anyhow::ensure!(
        !rows.is_empty(),
        "no priorities in {} for tahun {}, periode {}{}: nothing to plan",
        path.display(),
        a.tahun
            .map(|t| t.to_string())
            .unwrap_or_else(|| "(latest)".into()),
        periode.map(|p| p.code()).unwrap_or("(latest per unit)"),
        a.unit
            .as_deref()
            .map(|u| format!(", unit {u}"))
            .unwrap_or_default()
    );
    template::write_rtl(&rows, &a.out, registry)?;
    Ok(Some(rows.len()))
}

fn read(path: &Path) -> PolarsResult<DataFrame> {
    let f = std::fs::File::open(path)?;
    ParquetReader::new(f).finish()
}
