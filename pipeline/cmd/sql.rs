//! `skm sql "SELECT …"`: SQL (Polars SQL) over the output tables, each by its name.
//!
//! Usage:
//!     skm sql "SELECT unit_nama, ikm_bulat FROM ikm_unit WHERE periode = 'TAHUN'"
//!     skm sql "SELECT * FROM audit" --out temuan.csv      # or .parquet
//!     skm sql --dir /data/skm/out "SELECT count(*) FROM responses"
//!
//! Tables: every gold table (ikm_unit, nrr_unsur, ikm_kota, …), rejects, files, manifest,
//! responses (silver, all years), sums (silver's per-file sums) and silang (their cross sums).

use std::path::{Path, PathBuf};

use polars::prelude::*;
use polars::sql::SQLContext;
use skm::tables::Dictionary;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};

#[derive(clap::Args, Debug)]
#[command(
    about = "Query the output tables with SQL",
    after_help = "Examples:\n  skm sql \"SELECT unit_nama, ikm_bulat, mutu FROM ikm_unit WHERE periode = 'TAHUN' ORDER BY ikm DESC LIMIT 10\"\n  skm sql \"SELECT apa, count(*) AS n FROM audit GROUP BY apa\" --out temuan.csv\n\nTables: the gold tables by name (skm schema lists them), rejects, files, manifest, responses, sums, silang."
)]
pub struct Args {
    /// The query.
    query: String,
    /// The output folder of a run.
    #[arg(long, default_value = "out")]
    dir: PathBuf,
    /// Write the result to this file (.csv or .parquet) instead of printing it.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// The run history beside the output (`skm::history`): every run's file, oldest first.
fn runs(dir: &Path) -> PolarsResult<Option<LazyFrame>> {
    let Ok(layout) = skm::publish::Layout::new(dir) else {
        return Ok(None);
    };
    let scans = skm::history::files(&skm::history::runs_dir(&layout))
        .into_iter()
        .map(|p| {
            let path = PlRefPath::new(p.to_string_lossy().to_string());
            let args = ScanArgsParquet {
                glob: false,
                ..Default::default()
            };
            LazyFrame::scan_parquet(path, args)
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    if scans.is_empty() {
        return Ok(None);
    }
    concat(scans, UnionArgs::default()).map(Some)
}

fn context(dir: &Path) -> PolarsResult<SQLContext> {
    let ctx = SQLContext::new();
    if let Some(lf) = runs(dir)? {
        ctx.register("runs", lf);
    }
    for t in Dictionary::embedded().tables {
        // A table partitioned by year is every part under its folder, `tahun` from the folder
        // names (the parts do not store it: skm::tables::hive).
        let lf = match t.path.split_once("/tahun=") {
            Some((folder, _)) => skm::tables::hive::scan(&dir.join(folder), &t)?,
            None => {
                let path = dir.join(&t.path);
                path.is_file()
                    .then(|| {
                        let path = PlRefPath::new(path.to_string_lossy().to_string());
                        let args = ScanArgsParquet {
                            glob: false,
                            ..Default::default()
                        };
                        LazyFrame::scan_parquet(path, args)
                    })
                    .transpose()?
            }
        };
        if let Some(lf) = lf {
            ctx.register(&t.name, lf);
        }
    }
    Ok(ctx)
}

pub fn main(a: Args) -> i32 {
    if !a.dir.is_dir() {
        eprintln!(
            "skm sql: the output folder {} does not exist; run `skm run` first or give --dir",
            a.dir.display()
        );
        return EXIT_USAGE;
    }
    let result = context(&a.dir)
        .and_then(|mut ctx| ctx.execute(&a.query))
        .and_then(|lf| lf.collect());
    let mut df = match result {
        Ok(df) => df,
        Err(e) => {
            eprintln!("skm sql: {e}");
            return EXIT_USAGE;
        }
    };
    match &a.out {
        None => {
            std::env::set_var("POLARS_FMT_MAX_ROWS", "50");
            std::env::set_var("POLARS_FMT_STR_LEN", "60");
            println!("{df}");
            EXIT_OK
        }
        Some(path) => {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            // Parquet as skm writes its own tables (`tables::write_parquet`: row groups whose
            // null counts readers can trust, texts recorded as `large_string`).
            let cannot =
                |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", path.display());
            let written: Result<(), String> = match ext.as_str() {
                "csv" => std::fs::File::create(path)
                    .map_err(|e| cannot(&e))
                    .and_then(|f| CsvWriter::new(f).finish(&mut df).map_err(|e| cannot(&e))),
                "parquet" => {
                    skm::tables::write_parquet(&mut df, path).map_err(|e| format!("{e:#}"))
                }
                _ => Err(cannot(&"the file must end in .csv or .parquet")),
            };
            match written {
                Ok(()) => {
                    eprintln!(
                        "skm sql: {} rows written to {}",
                        df.height(),
                        path.display()
                    );
                    EXIT_OK
                }
                Err(e) => {
                    eprintln!("skm sql: {e}");
                    EXIT_FAILED
                }
            }
        }
    }
}
