//! `skm schema [TABLE]`: the data dictionary of the outputs (schemas/outputs.toml).
//!
//! Usage:
//!     skm schema              # every table: path, description, columns
//!     skm schema ikm_kota     # one table

use skm::tables::Dictionary;

use super::{EXIT_OK, EXIT_USAGE};

#[derive(clap::Args, Debug)]
#[command(
    about = "Print the data dictionary of the output tables",
    after_help = "Examples:\n  skm schema\n  skm schema ikm_unit"
)]
pub struct Args {
    /// A table name (ikm_unit, nrr_unsur, ikm_kota, …); all tables when omitted.
    table: Option<String>,
}

pub fn main(a: Args) -> i32 {
    let dict = Dictionary::embedded();
    let tables: Vec<_> = match &a.table {
        Some(name) => match dict.tables.iter().find(|t| &t.name == name) {
            Some(t) => vec![t],
            None => {
                let names: Vec<&str> = dict.tables.iter().map(|t| t.name.as_str()).collect();
                eprintln!(
                    "skm schema: no table '{name}'; the tables are: {}",
                    names.join(", ")
                );
                return EXIT_USAGE;
            }
        },
        None => dict.tables.iter().collect(),
    };
    for t in tables {
        println!("{}  ({})", t.name, t.path);
        println!("  {}", t.description);
        let w = t.columns.iter().map(|c| c.name.len()).max().unwrap_or(4);
        for c in &t.columns {
            let mut checks = Vec::new();
            if c.not_null {
                checks.push("not null".to_string());
            }
            if !c.values.is_empty() {
                checks.push(format!("one of {}", c.values.join("|")));
            }
            if let (Some(lo), Some(hi)) = (c.min, c.max) {
                checks.push(format!("{lo}–{hi}"));
            } else if let Some(lo) = c.min {
                checks.push(format!("≥ {lo}"));
            }
            let checks = if checks.is_empty() {
                String::new()
            } else {
                format!(" [{}]", checks.join("; "))
            };
            println!(
                "    {:<w$}  {:<7} {}{}",
                c.name, c.typ, c.description, checks
            );
        }
        println!();
    }
    EXIT_OK
}
