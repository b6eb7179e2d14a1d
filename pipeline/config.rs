//! Run configuration: the optional TOML file given with `--config`.
//!
//! ```toml
//! [kuesioner]
//! # What the codes U1–U9 mean in files that name columns only by code.
//! # Default: the Kota Bekasi order (U8 = sarpras, U9 = pengaduan).
//! unsur_order = ["persyaratan", "prosedur", "waktu", "biaya", "produk",
//!                "kompetensi", "perilaku", "pengaduan", "sarpras"]
//!
//! [iku]
//! # Indicators whose name contains one of these are lower-is-better.
//! lebih_kecil_lebih_baik = ["kemiskinan", "pengangguran", "gini", "inflasi", "risiko bencana"]
//! ```

use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::domain::UNSUR;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub kuesioner: Kuesioner,
    #[serde(default)]
    pub iku: Iku,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Iku {
    /// Indicators whose name contains one of these words are lower-is-better (capaian =
    /// target ÷ realisasi × 100) unless the sheet has a direction column.
    #[serde(default = "default_lower")]
    pub lebih_kecil_lebih_baik: Vec<String>,
}

fn default_lower() -> Vec<String> {
    [
        "kemiskinan",
        "pengangguran",
        "gini",
        "inflasi",
        "risiko bencana",
        "kematian",
        "stunting",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

impl Default for Iku {
    fn default() -> Self {
        Iku {
            lebih_kecil_lebih_baik: default_lower(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kuesioner {
    #[serde(default = "default_order")]
    pub unsur_order: Vec<String>,
}

fn default_order() -> Vec<String> {
    UNSUR.iter().map(|u| u.key.to_string()).collect()
}

impl Default for Kuesioner {
    fn default() -> Self {
        Kuesioner {
            unsur_order: default_order(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            kuesioner: Kuesioner::default(),
            iku: Iku::default(),
        }
    }
}

impl Config {
    pub fn from_file(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration {}", path.display()))?;
        Config::parse(&text).with_context(|| format!("configuration {}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Config> {
        let c: Config = toml::from_str(text)?;
        crate::normalize::header::unsur_order_indices(&c.kuesioner.unsur_order)?;
        Ok(c)
    }
}
