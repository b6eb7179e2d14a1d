//! `skm reference --out DIR`: the reference tables the gold SQL joins (schemas/gold/), for a
//! distributed engine that computes gold from the shards' silver sums.
//!
//! Usage:
//!     skm reference --out /data/skm/reference
//!     skm reference --config skm.toml --units units.tsv --out s3-staging/reference
//!
//! Writes `units.parquet` (the unit registry as skm resolves it: every unit with its kind, its
//! kecamatan, stated or inferred from a kelurahan in its name, its place in the registry and
//! the yearly rule the configuration gives it) and `konfigurasi.parquet` (one row: the
//! settings gold uses). Give the same --config and --units as every shard's `skm run`.

use std::path::PathBuf;

use skm::config::Config;
use skm::registry::{Registry, Unit};
use skm::tables::build::Rows;

use super::{EXIT_FAILED, EXIT_OK};

#[derive(clap::Args, Debug)]
#[command(
    about = "Write the reference tables the gold SQL joins (units, konfigurasi)",
    after_help = "Example:\n  skm reference --config skm.toml --out reference/\n\nThen run schemas/gold/*.sql over silver/sums with these as `units` and `konfigurasi` (schemas/gold/README.md)."
)]
pub struct Args {
    /// Folder to write units.parquet and konfigurasi.parquet into.
    #[arg(long)]
    out: PathBuf,
    /// The configuration (TOML) the runs use.
    #[arg(long)]
    config: Option<PathBuf>,
    /// A unit registry replacing the embedded one, as given to the runs.
    #[arg(long)]
    units: Option<PathBuf>,
}

pub fn main(a: Args) -> i32 {
    let (config, registry) =
        match super::setup("reference", a.config.as_deref(), a.units.as_deref()) {
            Ok(s) => s,
            Err(code) => return code,
        };
    match write(&a.out, &config, &registry) {
        Ok(()) => {
            println!(
                "units.parquet ({} units) and konfigurasi.parquet written to {}",
                registry.units().len(),
                a.out.display()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("skm reference: cannot write {}: {e:#}", a.out.display());
            EXIT_FAILED
        }
    }
}

fn write(dir: &std::path::Path, config: &Config, registry: &Registry) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let units: Vec<(usize, &Unit)> = registry.units().iter().enumerate().collect();
    let populasi = skm::compute::margins::populasi(config, registry);
    let mut df = Rows::new(&units)
        .col("unit_id", |(_, u)| u.unit_id.as_str())
        .col("unit_nama", |(_, u)| u.nama.as_str())
        .col("jenis_unit", |(_, u)| u.jenis_unit.as_str())
        .col("kecamatan", |(_, u)| u.kecamatan.as_deref())
        .col("kecamatan_basis", |(_, u)| {
            u.kecamatan_basis.map(|b| b.as_str())
        })
        .col("urutan", |(i, _)| *i as i32)
        .col("aturan_tahun", |(_, u)| config.year_rule(&u.unit_id).name())
        .col("populasi", |(_, u)| populasi(&u.unit_id).map(|p| p as i64))
        .frame()?;
    skm::tables::write_parquet(&mut df, &dir.join("units.parquet"))?;
    let one = [config.profil.minimum_responden];
    let mut k = Rows::new(&one).col("minimum_responden", |m| *m).frame()?;
    skm::tables::write_parquet(&mut k, &dir.join("konfigurasi.parquet"))?;
    Ok(())
}
