//! Run configuration: the optional TOML file given with `--config`.
//!
//! ```toml
//! [kuesioner]
//! # What the codes U1–U9 mean in files that name columns only by code.
//! # Default: the Kota Bekasi order (U8 = sarpras, U9 = pengaduan).
//! unsur_order = ["persyaratan", "prosedur", "waktu", "biaya", "produk",
//!                "kompetensi", "perilaku", "pengaduan", "sarpras"]
//! # A numeric date whose column fits both orders (every value like 05/03/2024): day first
//! # ("hari_bulan", default) or month first ("bulan_hari"). The data decides when it can.
//! urutan_tanggal = "hari_bulan"
//!
//! [iku]
//! # Indicators whose name contains one of these are lower-is-better.
//! lebih_kecil_lebih_baik = ["kemiskinan", "pengangguran", "gini", "inflasi", "risiko bencana",
//!                           "kematian", "stunting"]
//!
//! [tahun]
//! aturan = "semester"            # semester (default), pooled, mean, weights, last
//! [tahun.unit.kecamatan-medansatria]
//! aturan = "mean"
//! [tahun.unit.kecamatan-mustikajaya]
//! aturan = "last"
//!
//! [populasi]                     # population served, for the sample-size check
//! kecamatan-bekasi-timur = 2328
//!
//! [profil]
//! minimum_responden = 30         # smaller breakdown groups are marked too few
//!
//! [batas]                        # what ingest refuses (defaults shown)
//! berkas_mb = 256                # a file read whole (workbooks)
//! csv_mb = 1048576               # a CSV file read as a stream
//! terurai_mb = 1024              # an XLSX/ODS archive once inflated (zip bombs)
//! baris = 500000000              # rows per sheet or CSV file
//! kolom = 500                    # columns per sheet
//! karakter_sel = 32767           # characters in a cell
//!
//! [jalan]                        # a scheduled run: skm run --config /etc/skm/skm.toml
//! inbox = "/srv/skm/inbox"
//! out = "/srv/skm/out"
//!
//! [kantor]
//! zona_waktu = "Asia/Jakarta"    # every date rule (future dates, deadlines) uses it, and a
//!                                 # form tool's time stated in UTC is moved to it
//!
//! [basis_data]                   # PostgreSQL, loaded after publishing (README, "Dashboards")
//! url = "postgresql://skm@db.example/skm"   # the password from PGPASSWORD or ~/.pgpass
//! schema = "skm"
//! responses = false              # also silver's responses, a row each
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::domain::{Periode, YearRule, UNSUR};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[derive(Default)]
pub struct Config {
    #[serde(default)]
    pub kuesioner: Kuesioner,
    #[serde(default)]
    pub iku: Iku,
    #[serde(default)]
    pub tahun: Tahun,
    /// Population served per unit (unit_id → N), for the sample-size check; overrides the
    /// registry's `populasi`.
    #[serde(default)]
    pub populasi: BTreeMap<String, u64>,
    #[serde(default)]
    pub profil: Profil,
    /// Limits on what ingest reads (file size, inflated size, rows, columns, cell length).
    #[serde(default)]
    pub batas: crate::ingest::Limits,
    /// Where a run loads its tables after publishing (PostgreSQL; README, "Dashboards").
    #[serde(default)]
    pub basis_data: BasisData,
    /// Where a scheduled run reads and writes (`skm run --config /etc/skm/skm.toml`).
    #[serde(default)]
    pub jalan: Jalan,
    /// The office: its time zone, which every date rule uses (future dates, deadlines).
    #[serde(default)]
    pub kantor: Kantor,
    /// When each period's data is due, and which periods each unit sends. Late units are
    /// named only when the section is present (a scheduled run's configuration): an ad hoc run
    /// on a few files is not a collection with deadlines.
    #[serde(default)]
    pub tenggat: Option<Tenggat>,
}

/// `[tenggat]`: deadlines. A unit is late for a period when its deadline has passed and it
/// has sent nothing that covers the period (`domain::deadline`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tenggat {
    /// Month and day each period is due (`TW1 = "04-10"`); a period not named: the 10th of the
    /// month after it ends (TW4 and S2: 10 January of the next year).
    #[serde(default)]
    pub batas: BTreeMap<String, String>,
    /// The periods every unit sends (default TW1–TW4; a unit with a weights rule: its
    /// weighted periods).
    #[serde(default)]
    pub periode: Option<Vec<String>>,
    /// The years watched (default: the latest year with any unit's data). Name the new year
    /// at its start, so that late units are named before anyone has sent it.
    #[serde(default)]
    pub tahun: Option<Vec<i32>>,
    /// Per unit (by unit_id): the periods it sends (`periode = ["S1", "S2"]`).
    #[serde(default)]
    pub unit: BTreeMap<String, UnitTenggat>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitTenggat {
    pub periode: Vec<String>,
}

/// `[jalan]`: the inbox and the output of a scheduled run; `--inbox` and `--out` override
/// them. (The database is `[basis_data]`; a password never sits here.)
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jalan {
    pub inbox: Option<std::path::PathBuf>,
    pub out: Option<std::path::PathBuf>,
}

/// `[kantor]`: the office's time zone (default Asia/Jakarta).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kantor {
    /// An Indonesian zone (`Asia/Jakarta`, `Asia/Pontianak`, `Asia/Makassar`, `Asia/Jayapura`,
    /// or WIB, WITA, WIT), `UTC`, or an offset such as `+07:00`. Indonesia keeps no summer
    /// time, so a zone is a fixed offset.
    #[serde(default = "default_zone")]
    pub zona_waktu: String,
}

fn default_zone() -> String {
    "Asia/Jakarta".into()
}

impl Default for Kantor {
    fn default() -> Self {
        Kantor {
            zona_waktu: default_zone(),
        }
    }
}

/// The offset of a time zone as `[kantor] zona_waktu` names it.
pub fn zone_offset(name: &str) -> Option<chrono::FixedOffset> {
    let hours = match name.trim() {
        "Asia/Jakarta" | "Asia/Pontianak" | "WIB" => 7,
        "Asia/Makassar" | "Asia/Ujung_Pandang" | "WITA" => 8,
        "Asia/Jayapura" | "WIT" => 9,
        "UTC" | "Etc/UTC" | "Z" => 0,
        other => {
            let minutes = crate::domain::zone::offset(other)?;
            return chrono::FixedOffset::east_opt(minutes * 60);
        }
    };
    chrono::FixedOffset::east_opt(hours * 3600)
}

/// A period named in `[tenggat]` (TW1–TW4, S1, S2).
fn periode_named(p: &str, whose: &str) -> Result<Periode> {
    Periode::parse(p)
        .filter(|p| *p != Periode::Tahun)
        .with_context(|| format!("{whose} names '{p}', not a period (TW1–TW4, S1, S2)"))
}

/// Now in UTC, RFC 3339 to the millisecond (`now_utc`).
pub fn utc_now() -> String {
    now_utc().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Now, in UTC. `SKM_NOW` (an RFC 3339 instant) fixes the clock, for tests and for re-running
/// a night as it was.
pub fn now_utc() -> chrono::DateTime<chrono::Utc> {
    std::env::var("SKM_NOW")
        .ok()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t.trim()).ok())
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(chrono::Utc::now)
}

/// `[basis_data]`: the PostgreSQL database a run loads into (`--db`, `--db-schema` and
/// `--db-responses` override it).
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasisData {
    /// `postgresql://user@host:port/database` or libpq's `host=… dbname=…`. The password is
    /// better left out: PGPASSWORD or ~/.pgpass supply it.
    pub url: Option<String>,
    /// The schema the tables and views live in (default `skm`).
    pub schema: Option<String>,
    /// Also load silver's responses (a row per response).
    #[serde(default)]
    pub responses: bool,
}

/// Never shows the address (it may hold a password), and keeps the database out of the
/// incremental cache's key (the Debug form of the configuration is part of it): where the
/// tables are loaded does not change what a file gives.
impl std::fmt::Debug for BasisData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[basis_data]")
    }
}

/// How each unit's yearly figure is made (docs/DOMAIN.md, "Periods and the yearly figure").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tahun {
    /// The rule for every unit not named below: semester (default), pooled, mean, weights, last.
    #[serde(default = "default_rule")]
    pub aturan: String,
    /// Weights per period for `weights` ({ S1 = 0.5, TW3 = 0.25, TW4 = 0.25 }).
    #[serde(default)]
    pub bobot: BTreeMap<String, f64>,
    /// Per unit (by unit_id): its own rule.
    #[serde(default)]
    pub unit: BTreeMap<String, UnitRule>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitRule {
    pub aturan: String,
    #[serde(default)]
    pub bobot: BTreeMap<String, f64>,
}

fn default_rule() -> String {
    "semester".into()
}

impl Default for Tahun {
    fn default() -> Self {
        Tahun {
            aturan: default_rule(),
            bobot: BTreeMap::new(),
            unit: BTreeMap::new(),
        }
    }
}

/// Breakdowns by respondent profile.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profil {
    /// A group with fewer respondents is marked `cukup = false`: too few to mean anything.
    #[serde(default = "default_min")]
    pub minimum_responden: i64,
}

fn default_min() -> i64 {
    30
}

impl Default for Profil {
    fn default() -> Self {
        Profil {
            minimum_responden: default_min(),
        }
    }
}

fn rule(name: &str, bobot: &BTreeMap<String, f64>, whose: &str) -> Result<YearRule> {
    Ok(match name {
        "semester" => YearRule::Semester,
        "pooled" => YearRule::Pooled,
        "mean" => YearRule::Mean,
        "last" => YearRule::Last,
        "weights" => {
            anyhow::ensure!(!bobot.is_empty(), "{whose}: aturan = \"weights\" needs bobot = {{ S1 = 0.5, … }}");
            let mut ws = Vec::new();
            for (p, w) in bobot {
                let per = Periode::parse(p)
                    .filter(|p| *p != Periode::Tahun)
                    .with_context(|| format!("{whose}: bobot names '{p}', not a period (TW1–TW4, S1, S2)"))?;
                anyhow::ensure!(*w >= 0.0, "{whose}: bobot {p} = {w} is negative");
                ws.push((per, *w));
            }
            YearRule::Weights(ws)
        }
        other => anyhow::bail!(
            "{whose}: aturan = \"{other}\" is not a rule; expected semester, pooled, mean, weights or last"
        ),
    })
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
    /// How a numeric date is read when every date in its column fits both orders
    /// (`05/03/2024`): "hari_bulan" (default, as in Indonesia) or "bulan_hari" (an English (US)
    /// form account). A column with a value that fits one order only is read in that order.
    #[serde(default)]
    pub urutan_tanggal: crate::domain::DateOrder,
    /// The least number of consecutive equal rows by which an earlier send of a date-only log
    /// is recognized in a later one (docs/DOMAIN.md §1.11): more when the rows are alike.
    #[serde(default = "default_block")]
    pub blok_minimum: usize,
}

fn default_block() -> usize {
    crate::domain::resend::MIN_BLOCK
}

fn default_order() -> Vec<String> {
    UNSUR.iter().map(|u| u.key.to_string()).collect()
}

impl Default for Kuesioner {
    fn default() -> Self {
        Kuesioner {
            unsur_order: default_order(),
            urutan_tanggal: crate::domain::DateOrder::default(),
            blok_minimum: default_block(),
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
        crate::domain::unsur::order_indices(&c.kuesioner.unsur_order)?;
        rule(&c.tahun.aturan, &c.tahun.bobot, "[tahun]")?;
        for (u, r) in &c.tahun.unit {
            rule(&r.aturan, &r.bobot, &format!("[tahun.unit.{u}]"))?;
        }
        let tenggat = c.tenggat.clone().unwrap_or_default();
        for (p, md) in &tenggat.batas {
            periode_named(p, "[tenggat] batas")?;
            anyhow::ensure!(
                crate::domain::deadline::parse_month_day(md).is_some(),
                "[tenggat] batas {p} = \"{md}\" is not a month and day written MM-DD (e.g. \"04-10\")"
            );
        }
        for p in tenggat.periode.iter().flatten() {
            periode_named(p, "[tenggat] periode")?;
        }
        for (u, t) in &tenggat.unit {
            for p in &t.periode {
                periode_named(p, &format!("[tenggat.unit.{u}] periode"))?;
            }
        }
        anyhow::ensure!(
            zone_offset(&c.kantor.zona_waktu).is_some(),
            "[kantor] zona_waktu = \"{}\" is not a time zone skm knows; expected Asia/Jakarta, \
             Asia/Pontianak, Asia/Makassar, Asia/Jayapura (WIB, WITA, WIT), UTC or an offset such as +07:00",
            c.kantor.zona_waktu
        );
        Ok(c)
    }

    /// The periods a unit sends (`[tenggat]`): its own list, else its weights rule's periods,
    /// else `[tenggat] periode`, else TW1–TW4.
    pub fn expected_periods(&self, unit_id: &str) -> Vec<Periode> {
        let parse = |v: &[String]| {
            v.iter()
                .filter_map(|p| Periode::parse(p))
                .collect::<Vec<_>>()
        };
        let t = self.tenggat.as_ref();
        if let Some(u) = t.and_then(|t| t.unit.get(unit_id)) {
            return parse(&u.periode);
        }
        if let YearRule::Weights(w) = self.year_rule(unit_id) {
            return w.iter().map(|(p, _)| *p).collect();
        }
        match t.and_then(|t| t.periode.as_deref()) {
            Some(v) => parse(v),
            None => vec![Periode::TW1, Periode::TW2, Periode::TW3, Periode::TW4],
        }
    }

    /// The month and day period `p` is due (`[tenggat] batas`, else the default).
    pub fn due_month_day(&self, p: Periode) -> (u32, u32) {
        self.tenggat
            .iter()
            .flat_map(|t| t.batas.iter())
            .find(|(k, _)| Periode::parse(k) == Some(p))
            .and_then(|(_, v)| crate::domain::deadline::parse_month_day(v))
            .unwrap_or_else(|| crate::domain::deadline::default_due(p))
    }

    /// The office's offset from UTC (`[kantor] zona_waktu`).
    pub fn offset(&self) -> chrono::FixedOffset {
        zone_offset(&self.kantor.zona_waktu)
            .unwrap_or_else(|| chrono::FixedOffset::east_opt(7 * 3600).expect("valid"))
    }

    /// Today at the office (`now_utc` in its time zone): the day date rules compare with.
    pub fn today(&self) -> chrono::NaiveDate {
        now_utc().with_timezone(&self.offset()).date_naive()
    }

    /// The yearly rule of a unit.
    pub fn year_rule(&self, unit_id: &str) -> YearRule {
        let r = match self.tahun.unit.get(unit_id) {
            Some(u) => rule(&u.aturan, &u.bobot, unit_id),
            None => rule(&self.tahun.aturan, &self.tahun.bobot, "[tahun]"),
        };
        r.expect("validated when the configuration was read")
    }

    /// Unit ids the configuration names that the registry does not know.
    pub fn unknown_units(&self, registry: &crate::registry::Registry) -> Vec<String> {
        self.tahun
            .unit
            .keys()
            .chain(self.populasi.keys())
            .chain(self.tenggat.iter().flat_map(|t| t.unit.keys()))
            .filter(|u| registry.get(u).is_none())
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Offsets as `[kantor] zona_waktu` may give them: hours 0–14 and minutes 0–59 after the
    /// sign; anything else is not a zone (a huge or negative hour overflowed, or passed).
    #[test]
    fn zone_offsets_by_name_and_by_number() {
        let secs = |z: &str| zone_offset(z).map(|o| o.local_minus_utc());
        assert_eq!(secs("Asia/Jakarta"), Some(7 * 3600));
        assert_eq!(secs("+07:00"), Some(7 * 3600));
        assert_eq!(secs("-03:30"), Some(-(3 * 3600 + 30 * 60)));
        assert_eq!(secs("+14"), Some(14 * 3600));
        for bad in [
            "+-1000000",
            "+07:-30",
            "+15:00",
            "+07:60",
            "-99999999999",
            "Bekasi",
        ] {
            assert_eq!(secs(bad), None, "{bad:?}");
        }
    }
}
