//! `gold/unit_terlambat` (only with a `[tenggat]` section in the configuration): the units past a period's deadline with nothing that covers the
//! period (`domain::deadline`), by unit, year and period. The years watched are `[tenggat]
//! tahun`, else the latest year with any unit's data; the periods each unit sends are
//! `Config::expected_periods` (a semester-only unit is never late for TW1). `today` is the
//! office's day (`Config::today`: its time zone, `SKM_NOW` in tests).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use polars::prelude::*;

use crate::config::Config;
use crate::domain::deadline::{covered, days_late, due};
use crate::domain::Periode;
use crate::registry::Registry;
use crate::tables::build::Rows;

/// One late unit and period.
#[derive(Debug, Clone, PartialEq)]
pub struct Late {
    pub unit_id: String,
    pub unit_nama: String,
    pub jenis_unit: String,
    pub kecamatan: Option<String>,
    pub tahun: i32,
    pub periode: Periode,
    pub tenggat: NaiveDate,
    pub hari_terlambat: i32,
}

/// The late units, from the periods each unit has figures for in `ikm_unit` (respondents or
/// a recap).
pub fn late_units(
    ikm_unit: &DataFrame,
    config: &Config,
    registry: &Registry,
    today: NaiveDate,
) -> PolarsResult<Vec<Late>> {
    let (u, t, p, sumber) = (
        ikm_unit.column("unit_id")?.str()?,
        ikm_unit.column("tahun")?.i32()?,
        ikm_unit.column("periode")?.str()?,
        ikm_unit.column("sumber")?.str()?,
    );
    let mut have: BTreeMap<(String, i32), Vec<Periode>> = BTreeMap::new();
    let mut years = BTreeSet::new();
    for i in 0..ikm_unit.height() {
        // A yearly figure skm made from some waves covers only those waves; a recap's stated
        // yearly figure covers the year.
        let made = p.get(i) == Some("TAHUN") && sumber.get(i) == Some("responden");
        if let (false, Some(u), Some(t), Some(p)) = (
            made,
            u.get(i),
            t.get(i),
            p.get(i).and_then(Periode::from_code),
        ) {
            have.entry((u.to_string(), t)).or_default().push(p);
            years.insert(t);
        }
    }
    let Some(tenggat) = &config.tenggat else {
        return Ok(Vec::new());
    };
    let watched: Vec<i32> = match &tenggat.tahun {
        Some(v) => v.clone(),
        None => years.last().copied().into_iter().collect(),
    };
    let mut out = Vec::new();
    for unit in registry.units().iter().filter(|u| u.jenis_unit != "pemda") {
        for &tahun in &watched {
            let sent = have
                .get(&(unit.unit_id.clone(), tahun))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            for periode in config.expected_periods(&unit.unit_id) {
                let Some(tenggat) = due(periode, tahun, config.due_month_day(periode)) else {
                    continue;
                };
                let late = days_late(tenggat, today);
                if late > 0 && !covered(periode, sent) {
                    out.push(Late {
                        unit_id: unit.unit_id.clone(),
                        unit_nama: unit.nama.clone(),
                        jenis_unit: unit.jenis_unit.clone(),
                        kecamatan: unit.kecamatan.clone(),
                        tahun,
                        periode,
                        tenggat,
                        hari_terlambat: late as i32,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| {
        (&a.unit_id, a.tahun, a.periode.order()).cmp(&(&b.unit_id, b.tahun, b.periode.order()))
    });
    Ok(out)
}

/// The `unit_terlambat` table.
pub fn frame(late: &[Late]) -> PolarsResult<DataFrame> {
    Rows::new(late)
        .col("unit_id", |r| r.unit_id.as_str())
        .col("unit_nama", |r| r.unit_nama.as_str())
        .col("jenis_unit", |r| r.jenis_unit.as_str())
        .col("kecamatan", |r| r.kecamatan.as_deref())
        .col("tahun", |r| r.tahun)
        .col("periode", |r| r.periode.code())
        .date("tenggat", |r| Some(r.tenggat))
        .col("hari_terlambat", |r| r.hari_terlambat)
        .frame()
}
