//! `skm run`: ingest, normalize, compute and emit one inbox.
//!
//! Usage:
//!     skm run [--inbox DIR] [--out DIR] [--config FILE] [--units FILE] [--fail-on-rejects]
//!
//! With no arguments it runs on the demo inbox (fixtures/inbox) and writes out/.
//! Exit codes: 0 the run completed (rejects, if any, are in out/rejects.parquet);
//! 1 the run failed; 2 usage or configuration error; 3 completed with rejects and
//! --fail-on-rejects was given.

use std::path::PathBuf;

use polars::prelude::ChunkCompareEq;

use skm::config::Config;
use skm::registry::Registry;
use skm::run::{RunConfig, RunSummary};

use super::{EXIT_FAILED, EXIT_OK, EXIT_REJECTS, EXIT_USAGE};

#[derive(clap::Args, Debug)]
#[command(
    about = "Read every questionnaire in the inbox and write the NRR/IKM tables",
    after_help = "Example:\n  skm run --inbox /data/skm/2024 --out /data/skm/out\n  skm run            # the demo inbox in fixtures/inbox"
)]
pub struct Args {
    /// Folder of submissions (*.csv, *.xlsx, *.xls, *.ods, searched recursively).
    /// Default: the demo inbox, fixtures/inbox.
    #[arg(long)]
    inbox: Option<PathBuf>,
    /// Output folder.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Configuration file (TOML; see README, "Configuration").
    #[arg(long)]
    config: Option<PathBuf>,
    /// Unit registry replacing the embedded 96 units of Kota Bekasi (layout of schemas/units.tsv).
    #[arg(long)]
    units: Option<PathBuf>,
    /// Exit with code 3 when any row or file was rejected.
    #[arg(long)]
    fail_on_rejects: bool,
}

/// The demo inbox: ./fixtures/inbox when run from a clone, else the one beside the sources.
pub fn default_inbox() -> PathBuf {
    let here = PathBuf::from("fixtures/inbox");
    if here.is_dir() {
        here
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/inbox")
    }
}

fn config(a: &Args) -> anyhow::Result<RunConfig> {
    let config = match &a.config {
        Some(p) => Config::from_file(p)?,
        None => Config::default(),
    };
    let registry = match &a.units {
        Some(p) => Registry::from_file(p)?,
        None => Registry::embedded(),
    };
    let unknown = config.unknown_units(&registry);
    anyhow::ensure!(
        unknown.is_empty(),
        "the configuration names units the registry does not know: {}",
        unknown.join(", ")
    );
    let inbox = a.inbox.clone().unwrap_or_else(default_inbox);
    anyhow::ensure!(
        inbox.is_dir(),
        "the inbox {} is not a folder",
        inbox.display()
    );
    Ok(RunConfig {
        inbox,
        out: a.out.clone(),
        config,
        registry,
    })
}

pub fn main(a: Args) -> i32 {
    let cfg = match config(&a) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("skm run: {e:#}");
            return EXIT_USAGE;
        }
    };
    eprintln!(
        "skm run: inbox {} → {}",
        cfg.inbox.display(),
        cfg.out.display()
    );
    match skm::run::run(&cfg) {
        Ok(s) => {
            print_summary(&s);
            if a.fail_on_rejects && s.n_rejects > 0 {
                EXIT_REJECTS
            } else {
                EXIT_OK
            }
        }
        Err(e) => {
            eprintln!("skm run: failed: {e:#}");
            EXIT_FAILED
        }
    }
}

fn print_summary(s: &RunSummary) {
    let w = s
        .files
        .iter()
        .map(|f| f.file.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(5, 70);
    println!("Files");
    println!(
        "  {:<w$} {:>7} {:>9} {:>8} {:>8}",
        "file", "read", "accepted", "rejected", "skipped"
    );
    for f in &s.files {
        let kinds: Vec<&str> = f
            .sheets
            .iter()
            .map(|(_, o)| o.kind)
            .filter(|k| *k != "kuesioner")
            .collect();
        let note = if kinds.is_empty() {
            String::new()
        } else {
            format!("  ({})", kinds.join(", "))
        };
        println!(
            "  {:<w$} {:>7} {:>9} {:>8} {:>8}{note}",
            f.file,
            f.rows_read(),
            f.accepted(),
            f.rejected(),
            f.skipped()
        );
    }
    println!(
        "  {:<w$} {:>7} {:>9} {:>8}",
        "total",
        s.rows_read(),
        s.accepted(),
        s.rejected()
    );
    println!();
    println!("IKM per unit and period (from respondents)");
    let all = &s.ikm_unit;
    let n_recap = all
        .column("sumber")
        .ok()
        .and_then(|c| {
            c.str()
                .ok()
                .map(|c| c.iter().filter(|v| *v == Some("rekap")).count())
        })
        .unwrap_or(0);
    let df = &match all
        .column("sumber")
        .and_then(|c| c.str().map(|c| c.equal("responden")))
    {
        Ok(mask) => all.filter(&mask).unwrap_or_else(|_| all.clone()),
        Err(_) => all.clone(),
    };
    let get_s = |c: &str| df.column(c).ok().and_then(|c| c.str().ok().cloned());
    let (Some(id), Some(per), Some(mutu)) = (get_s("unit_id"), get_s("periode"), get_s("mutu"))
    else {
        return;
    };
    let tahun = df.column("tahun").ok().and_then(|c| c.i32().ok().cloned());
    let n = df
        .column("n_responden")
        .ok()
        .and_then(|c| c.i64().ok().cloned());
    let ikm = df
        .column("ikm_bulat")
        .ok()
        .and_then(|c| c.f64().ok().cloned());
    let (Some(tahun), Some(n), Some(ikm)) = (tahun, n, ikm) else {
        return;
    };
    let uw = id
        .iter()
        .flatten()
        .map(|u| u.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    println!(
        "  {:<uw$} {:>5} {:<6} {:>7} {:>7} {:<4}",
        "unit", "tahun", "period", "n", "IKM", "mutu"
    );
    for i in 0..df.height() {
        println!(
            "  {:<uw$} {:>5} {:<6} {:>7} {:>7} {:<4}",
            id.get(i).unwrap_or(""),
            tahun.get(i).map(|v| v.to_string()).unwrap_or_default(),
            per.get(i).unwrap_or(""),
            n.get(i).map(|v| v.to_string()).unwrap_or_default(),
            ikm.get(i)
                .map(|v| format!("{v:.2}"))
                .unwrap_or_else(|| "-".into()),
            mutu.get(i).unwrap_or("-"),
        );
    }
    if n_recap > 0 {
        println!("  + {n_recap} IKM values stated by recap sheets (gold/ikm_unit.parquet, sumber = 'rekap')");
    }
    println!();
    println!(
        "{} stated figures do not match their recomputation: {}",
        s.n_findings,
        s.out.join("gold/audit.parquet").display()
    );
    println!(
        "{} rows read = {} accepted + {} rejected ({} reject lines: {})",
        s.rows_read(),
        s.accepted(),
        s.rejected(),
        s.n_rejects,
        s.out.join("rejects.parquet").display()
    );
    println!(
        "Outputs in {}: gold/ (ikm_unit, nrr_unsur, iku_capaian, anggaran, audit), silver/responses/, rejects.parquet, files.parquet",
        s.out.display()
    );
}
