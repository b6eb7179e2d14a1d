//! `gold/iku_capaian`: indicator capaian; for an indicator that is a unit's IKM (for any unit,
//! the city's included: `is_ikm_indicator`), skm's own yearly IKM of that unit and year beside
//! the stated realisasi (`ikm_survei`: the unit's TAHUN row from respondents, under its yearly
//! rule; for the city, the city figure of `ikm_kota`), the capaian computed from it
//! (`capaian_survei`), and a finding where the stated realisasi differs from it at the decimals
//! it was written with.

use std::collections::HashMap;

use polars::prelude::*;

use crate::domain::{round_half_up, Periode};
use crate::normalize::realisasi::iku::{is_ikm_indicator, Arah, IkuRow};
use crate::normalize::realisasi::Finding;
use crate::registry::Registry;
use crate::tables::build::Rows;

/// skm's own yearly IKM of a unit (or of the city) and how it was made.
#[derive(Debug, Clone)]
pub struct SurveyIkm {
    pub ikm: f64,
    /// In plain words, for a finding: "aturan semester" or "IKM kota".
    pub asal: String,
}

/// (unit_id, tahun) → skm's yearly IKM: the units' TAHUN rows from respondents, and for the
/// city's own id (`jenis_unit = pemda`) the city figure of `ikm_kota`.
pub fn survey_figures(
    ikm_unit: &DataFrame,
    ikm_kota: &DataFrame,
    registry: &Registry,
) -> PolarsResult<HashMap<(String, i32), SurveyIkm>> {
    let ids = ikm_unit.column("unit_id")?.str()?.clone();
    let tahun = ikm_unit.column("tahun")?.i32()?.clone();
    let periode = ikm_unit.column("periode")?.str()?.clone();
    let sumber = ikm_unit.column("sumber")?.str()?.clone();
    let aturan = ikm_unit.column("aturan_tahun")?.str()?.clone();
    let ikm = ikm_unit.column("ikm")?.f64()?.clone();
    let mut out = HashMap::new();
    for i in 0..ikm_unit.height() {
        if periode.get(i) == Some(Periode::Tahun.code()) && sumber.get(i) == Some("responden") {
            if let (Some(u), Some(t), Some(v)) = (ids.get(i), tahun.get(i), ikm.get(i)) {
                let asal = format!(
                    "IKM tahunan hasil survei unit ini (ikm_unit TAHUN, sumber responden, aturan {})",
                    aturan.get(i).unwrap_or("-")
                );
                out.insert((u.to_string(), t), SurveyIkm { ikm: v, asal });
            }
        }
    }
    let kt = ikm_kota.column("tahun")?.i32()?.clone();
    let kp = ikm_kota.column("periode")?.str()?.clone();
    let kv = ikm_kota.column("ikm")?.f64()?.clone();
    for city in registry.units().iter().filter(|u| u.jenis_unit == "pemda") {
        for i in 0..ikm_kota.height() {
            if let (Some(t), Some(Periode::Tahun), Some(v)) =
                (kt.get(i), kp.get(i).and_then(Periode::from_code), kv.get(i))
            {
                let asal = "IKM kota (ikm_kota TAHUN: rata-rata IKM unit)".to_string();
                out.insert((city.unit_id.clone(), t), SurveyIkm { ikm: v, asal });
            }
        }
    }
    Ok(out)
}

/// The `iku_capaian` table.
pub fn iku_capaian(
    rows: &[IkuRow],
    survey: &HashMap<(String, i32), SurveyIkm>,
) -> PolarsResult<DataFrame> {
    let ikm_survei = |r: &IkuRow| {
        if !is_ikm_indicator(&r.indikator) {
            return None;
        }
        survey.get(&(r.unit_id.clone()?, r.tahun?)).map(|s| s.ikm)
    };
    let capaian_survei =
        |r: &IkuRow| crate::domain::capaian(r.target?, ikm_survei(r)?, r.arah == Arah::Turun);
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
        .col("capaian_survei", capaian_survei)
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

/// Findings for the IKM indicators whose stated realisasi differs from skm's own yearly IKM
/// at the decimals it was written with (86.85 against 86.8549: none; 87.00: one, naming both).
pub fn ikm_indicator_findings(
    rows: &[IkuRow],
    survey: &HashMap<(String, i32), SurveyIkm>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in rows {
        if !is_ikm_indicator(&r.indikator) {
            continue;
        }
        let (Some(u), Some(t), Some(re)) = (r.unit_id.clone(), r.tahun, r.realisasi) else {
            continue;
        };
        let Some(s) = survey.get(&(u.clone(), t)) else {
            continue;
        };
        let dp = r.realisasi_desimal.unwrap_or(2).min(6);
        let hitung = round_half_up(s.ikm, dp).unwrap_or(s.ikm);
        if round_half_up(re, dp) != Some(hitung) {
            let shown = format!("{hitung:.*}", dp as usize);
            out.push(Finding {
                source_file: r.source_file.clone(),
                sheet: r.sheet.clone(),
                source_row: Some(r.source_row),
                unit_id: Some(u),
                tahun: Some(t),
                apa: "realisasi_ikm".into(),
                tertulis: r.realisasi_teks.clone(),
                hitung: shown.clone(),
                selisih: Some(re - s.ikm),
                keterangan: format!(
                    "{}: realisasi tertulis {} tidak sama dengan {} {shown}",
                    r.indikator, r.realisasi_teks, s.asal
                ),
            });
        }
    }
    out
}
