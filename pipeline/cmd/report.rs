//! `skm report --unit ID --tahun Y [--out DIR]`: where a unit's reports of a year are. Prints
//! the paths of its page and sheet (`report/unit/<unit_id>_<tahun>.html` and `.xlsx`) and of
//! the city's reports of that year; opens nothing, writes nothing.
//!
//! Usage:
//!     skm report --unit "Kec. Bekasi Timur" --tahun 2024 --out /data/skm/out
//!
//! Exit codes: 0 the files exist; 1 the unit has no report that year (the years it has are
//! named); 2 usage error (a unit the registry does not know).

use std::path::{Path, PathBuf};

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};

#[derive(clap::Args, Debug)]
#[command(
    about = "Print where a unit's page and sheet for a year are (opens nothing)",
    after_help = "Example:\n  skm report --unit kecamatan-bekasi-timur --tahun 2024\n  skm report --unit \"Kec. Bekasi Timur\" --tahun 2024 --out /data/skm/out"
)]
pub struct Args {
    /// The unit: its id, name or an alias ("Kec. Bekasi Timur").
    #[arg(long)]
    unit: String,
    /// The year.
    #[arg(long)]
    tahun: i32,
    /// The output folder of `skm run`.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Unit registry replacing the embedded one (layout of schemas/units.tsv).
    #[arg(long)]
    units: Option<PathBuf>,
}

/// The years a unit has reports for, from the file names in the folder.
fn years_of(dir: &Path, unit_id: &str) -> Vec<String> {
    let prefix = format!("{unit_id}_");
    let mut years: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter_map(|n| {
                    let rest = n.strip_prefix(&prefix)?.strip_suffix(".html")?;
                    (rest.len() == 4 && rest.chars().all(|c| c.is_ascii_digit()))
                        .then(|| rest.to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    years.sort();
    years
}

pub fn main(a: Args) -> i32 {
    let registry = match super::setup("report", None, a.units.as_deref()) {
        Ok((_, r)) => r,
        Err(code) => return code,
    };
    let Some(unit) = registry.lookup(&a.unit) else {
        eprintln!(
            "skm report: no unit \"{}\" in the registry (by id, name or alias); what to do: give its id as in gold/ikm_unit.parquet (unit_id), e.g. kecamatan-bekasi-timur",
            a.unit
        );
        return EXIT_USAGE;
    };
    let dir = skm::emit::unit_report::unit_dir(&a.out);
    let stem = format!("{}_{}", unit.unit_id, a.tahun);
    let files: Vec<PathBuf> = ["html", "xlsx"]
        .iter()
        .map(|e| dir.join(format!("{stem}.{e}")))
        .collect();
    if !files.iter().all(|f| f.is_file()) {
        let years = years_of(&dir, &unit.unit_id);
        eprintln!(
            "skm report: no report for {} ({}) in {} under {}: {}",
            unit.nama,
            unit.unit_id,
            a.tahun,
            dir.display(),
            if years.is_empty() {
                "it has none (no figure in any year, or skm run has not written this output)"
                    .to_string()
            } else {
                format!("it has reports for {}", years.join(", "))
            }
        );
        return EXIT_FAILED;
    }
    println!("{} ({}), {}", unit.nama, unit.unit_id, a.tahun);
    println!("  page:  {}", files[0].display());
    println!("  sheet: {}", files[1].display());
    for ext in ["html", "xlsx", "pdf"] {
        let city = a.out.join("report").join(format!("skm_{}.{ext}", a.tahun));
        if city.is_file() {
            println!("  city report: {}", city.display());
        }
    }
    EXIT_OK
}
