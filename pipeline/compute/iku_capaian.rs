//! `gold/iku_capaian`: indicator capaian; for the IKM indicator, the IKM computed from the
//! survey (the unit's TAHUN row from respondents) beside the stated realisasi, and a finding
//! where they differ.

use std::collections::HashMap;

use polars::prelude::*;

use crate::domain::{round_half_up, Periode};
use crate::normalize::realisasi::iku::{is_ikm_indicator, IkuRow};
use crate::normalize::realisasi::Finding;
use crate::tables::build::Rows;

/// The `iku_capaian` table.
pub fn iku_capaian(rows: &[IkuRow], ikm_unit: &DataFrame) -> PolarsResult<DataFrame> {
    let survey = survey_year_ikm(ikm_unit)?;
    let ikm_survei = |r: &IkuRow| {
        if !is_ikm_indicator(&r.indikator) {
            return None;
        }
        survey.get(&(r.unit_id.clone()?, r.tahun?)).copied()
    };
    Rows::new(rows)
        .col("unit_id", |r| r.unit_id.as_deref())
        .col("tahun", |r| r.tahun)
        .col("sasaran", |r| r.sasaran.as_deref())
        .col("indikator", |r| r.indikator.as_str())
        .col("satuan", |r| r.satuan.as_deref())
        .col("target", |r| r.target)
        .col("target_teks", |r| r.target_teks.as_str())
        .col("realisasi", |r| r.realisasi)
        .col("realisasi_teks", |r| r.realisasi_teks.as_str())
        .col("arah", |r| r.arah.as_str())
        .col("arah_basis", |r| r.arah_basis.as_str())
        .col("capaian", |r| r.capaian)
        .col("capaian_bulat", |r| {
            r.capaian.and_then(|c| round_half_up(c, 2))
        })
        .col("capaian_tertulis", |r| r.capaian_tertulis)
        .col("ikm_survei", ikm_survei)
        .col("catatan", |r| r.catatan.as_deref())
        .col("source_file", |r| r.source_file.as_str())
        .col("sheet", |r| r.sheet.as_str())
        .col("source_row", |r| r.source_row)
        .frame()
}

/// (unit_id, tahun) → the yearly IKM computed from respondents.
pub fn survey_year_ikm(ikm_unit: &DataFrame) -> PolarsResult<HashMap<(String, i32), f64>> {
    let ids = ikm_unit.column("unit_id")?.str()?.clone();
    let tahun = ikm_unit.column("tahun")?.i32()?.clone();
    let periode = ikm_unit.column("periode")?.str()?.clone();
    let sumber = ikm_unit.column("sumber")?.str()?.clone();
    let ikm = ikm_unit.column("ikm")?.f64()?.clone();
    let mut out = HashMap::new();
    for i in 0..ikm_unit.height() {
        if periode.get(i) == Some(Periode::Tahun.code()) && sumber.get(i) == Some("responden") {
            if let (Some(u), Some(t), Some(v)) = (ids.get(i), tahun.get(i), ikm.get(i)) {
                out.insert((u.to_string(), t), v);
            }
        }
    }
    Ok(out)
}

/// Findings for the IKM indicator whose stated realisasi differs from the survey's IKM.
pub fn ikm_indicator_findings(rows: &[IkuRow], ikm_unit: &DataFrame) -> PolarsResult<Vec<Finding>> {
    let survey = survey_year_ikm(ikm_unit)?;
    let mut out = Vec::new();
    for r in rows {
        if !is_ikm_indicator(&r.indikator) {
            continue;
        }
        let (Some(u), Some(t), Some(re)) = (r.unit_id.clone(), r.tahun, r.realisasi) else {
            continue;
        };
        let Some(&s) = survey.get(&(u.clone(), t)) else {
            continue;
        };
        if round_half_up(s, 2) != round_half_up(re, 2) {
            out.push(Finding {
                source_file: r.source_file.clone(),
                sheet: r.sheet.clone(),
                source_row: Some(r.source_row),
                unit_id: Some(u),
                tahun: Some(t),
                apa: "realisasi_ikm".into(),
                tertulis: r.realisasi_teks.clone(),
                hitung: format!("{:.2}", round_half_up(s, 2).unwrap_or(s)),
                selisih: Some(re - s),
                keterangan: "realisasi IKM tidak sama dengan IKM tahunan hasil survei (ikm_unit, sumber responden)".into(),
            });
        }
    }
    Ok(out)
}
