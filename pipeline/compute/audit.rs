//! `gold/audit`: every stated figure that skm recomputed and found different, with both
//! figures; and the findings gold itself makes (a recap against the unit's own respondents).

use std::collections::HashMap;

use polars::prelude::*;

use super::iku_capaian::survey_year_ikm;
use crate::domain::{round_half_up, Periode};
use crate::normalize::realisasi::Finding;
use crate::tables::build::Rows;

/// The `audit` table.
pub fn audit(rows: &[Finding]) -> PolarsResult<DataFrame> {
    Rows::new(rows)
        .col("source_file", |r| r.source_file.as_str())
        .col("sheet", |r| r.sheet.as_str())
        .col("source_row", |r| r.source_row)
        .col("unit_id", |r| r.unit_id.as_deref())
        .col("tahun", |r| r.tahun)
        .col("apa", |r| r.apa.as_str())
        .col("tertulis", |r| r.tertulis.as_str())
        .col("hitung", |r| r.hitung.as_str())
        .col("selisih", |r| r.selisih)
        .col("keterangan", |r| r.keterangan.as_str())
        .frame()
}

/// Findings where a recap states a yearly IKM that the unit's own respondents do not give
/// (e.g. Mustikajaya 2024: the city table's 88.79 against 88.89 from its survey).
pub fn recap_vs_survey_findings(
    ikm_unit: &DataFrame,
    recap: &[crate::normalize::realisasi::rekap::RekapRow],
) -> PolarsResult<Vec<Finding>> {
    let survey = survey_year_ikm(ikm_unit)?;
    let rule: HashMap<String, String> = {
        let ids = ikm_unit.column("unit_id")?.str()?.clone();
        let per = ikm_unit.column("periode")?.str()?.clone();
        let src = ikm_unit.column("sumber")?.str()?.clone();
        let aturan = ikm_unit.column("aturan_tahun")?.str()?.clone();
        (0..ikm_unit.height())
            .filter(|&i| {
                per.get(i) == Some(Periode::Tahun.code()) && src.get(i) == Some("responden")
            })
            .filter_map(|i| {
                Some((
                    ids.get(i)?.to_string(),
                    aturan.get(i).unwrap_or("").to_string(),
                ))
            })
            .collect()
    };
    let mut out = Vec::new();
    for r in recap.iter().filter(|r| r.periode == Periode::Tahun) {
        let Some(&s) = survey.get(&(r.unit_id.clone(), r.tahun)) else {
            continue;
        };
        if round_half_up(s, 2) != round_half_up(r.ikm, 2) {
            out.push(Finding {
                source_file: r.source_file.clone(),
                sheet: r.sheet.clone(),
                source_row: Some(r.source_row),
                unit_id: Some(r.unit_id.clone()),
                tahun: Some(r.tahun),
                apa: "ikm".into(),
                tertulis: format!("{:.2}", round_half_up(r.ikm, 2).unwrap_or(r.ikm)),
                hitung: format!("{:.2}", round_half_up(s, 2).unwrap_or(s)),
                selisih: Some(r.ikm - s),
                keterangan: format!(
                    "rekap tidak sama dengan IKM tahunan dari responden unit ini (aturan {})",
                    rule.get(&r.unit_id).map(String::as_str).unwrap_or("-")
                ),
            });
        }
    }
    Ok(out)
}
