//! `skm template KIND --out FILE.xlsx`: a blank workbook to fill in.
//!
//! Usage:
//!     skm template kuesioner --out kuesioner_skm.xlsx
//!     skm template rekap --out rekap_ikm.xlsx
//!     skm template iku --out iku.xlsx
//!     skm template anggaran --out anggaran.xlsx
//!
//! The exact headers skm reads, answer words and periods as drop-down lists, a sheet
//! explaining every column and the list of units. A filled template passes `skm validate`.

use std::path::PathBuf;

use skm::registry::Registry;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};

#[derive(clap::Args, Debug)]
#[command(
    about = "Write a blank template: kuesioner, rekap, iku or anggaran",
    after_help = "Examples:\n  skm template kuesioner --out kuesioner_skm.xlsx\n  skm template anggaran --out anggaran_2025.xlsx"
)]
pub struct Args {
    /// kuesioner, rekap, iku or anggaran.
    kind: String,
    /// Where to write the workbook.
    #[arg(long)]
    out: PathBuf,
    /// Unit registry replacing the embedded one (its units fill the unit drop-down).
    #[arg(long)]
    units: Option<PathBuf>,
}

pub fn main(a: Args) -> i32 {
    if !skm::emit::template::KINDS.contains(&a.kind.as_str()) {
        eprintln!(
            "skm template: no template '{}'; the kinds are {}",
            a.kind,
            skm::emit::template::KINDS.join(", ")
        );
        return EXIT_USAGE;
    }
    let registry = match a.units.as_deref().map(Registry::from_file).transpose() {
        Ok(r) => r.unwrap_or_else(Registry::embedded),
        Err(e) => {
            eprintln!("skm template: {e:#}");
            return EXIT_USAGE;
        }
    };
    match skm::emit::template::write(&a.kind, &a.out, &registry) {
        Ok(()) => {
            eprintln!("skm template: {} written to {}", a.kind, a.out.display());
            EXIT_OK
        }
        Err(e) => {
            eprintln!("skm template: {e:#}");
            EXIT_FAILED
        }
    }
}
