//! Gold rows from realization sheets: recap IKM rows in the `ikm_unit` shape, indicator
//! capaian with the survey-computed IKM beside the IKM indicator, budget lines with serapan
//! and sisa, and the audit findings.

use std::collections::HashMap;

use polars::prelude::*;
use rust_decimal::prelude::*;

use crate::domain::{round_half_up, Periode};
use crate::normalize::realisasi::anggaran::BudgetRow;
use crate::normalize::realisasi::iku::{is_ikm_indicator, IkuRow};
use crate::normalize::realisasi::Finding;

fn opt_str<'a>(v: impl Iterator<Item = Option<&'a str>>) -> Vec<Option<&'a str>> {
    v.collect()
}

/// Indicator capaian; for the IKM indicator, the IKM computed from the survey (the unit's
/// TAHUN row from respondents) beside the stated realisasi.
pub fn iku(rows: &[IkuRow], ikm_unit: &DataFrame) -> PolarsResult<DataFrame> {
    let survey = survey_year_ikm(ikm_unit)?;
    let ikm_survei: Vec<Option<f64>> = rows
        .iter()
        .map(|r| {
            if !is_ikm_indicator(&r.indikator) {
                return None;
            }
            survey.get(&(r.unit_id.clone()?, r.tahun?)).copied()
        })
        .collect();
    let cols = vec![
        Column::new(
            "unit_id".into(),
            opt_str(rows.iter().map(|r| r.unit_id.as_deref())),
        ),
        Column::new(
            "tahun".into(),
            rows.iter().map(|r| r.tahun).collect::<Vec<_>>(),
        ),
        Column::new(
            "sasaran".into(),
            opt_str(rows.iter().map(|r| r.sasaran.as_deref())),
        ),
        Column::new(
            "indikator".into(),
            rows.iter()
                .map(|r| r.indikator.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "satuan".into(),
            opt_str(rows.iter().map(|r| r.satuan.as_deref())),
        ),
        Column::new(
            "target".into(),
            rows.iter().map(|r| r.target).collect::<Vec<_>>(),
        ),
        Column::new(
            "target_teks".into(),
            rows.iter()
                .map(|r| r.target_teks.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "realisasi".into(),
            rows.iter().map(|r| r.realisasi).collect::<Vec<_>>(),
        ),
        Column::new(
            "realisasi_teks".into(),
            rows.iter()
                .map(|r| r.realisasi_teks.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "arah".into(),
            rows.iter().map(|r| r.arah.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "arah_basis".into(),
            rows.iter().map(|r| r.arah_basis).collect::<Vec<_>>(),
        ),
        Column::new(
            "capaian".into(),
            rows.iter().map(|r| r.capaian).collect::<Vec<_>>(),
        ),
        Column::new(
            "capaian_bulat".into(),
            rows.iter()
                .map(|r| r.capaian.and_then(|c| round_half_up(c, 2)))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "capaian_tertulis".into(),
            rows.iter().map(|r| r.capaian_tertulis).collect::<Vec<_>>(),
        ),
        Column::new("ikm_survei".into(), ikm_survei),
        Column::new(
            "catatan".into(),
            opt_str(rows.iter().map(|r| r.catatan.as_deref())),
        ),
    ];
    let mut cols = cols;
    cols.extend(crate::normalize::frame::source_columns(
        rows,
        |r| &r.source_file,
        |r| &r.sheet,
        |r| r.source_row,
    ));
    DataFrame::new(rows.len(), cols)
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

fn money_col(name: &str, v: Vec<Option<Decimal>>) -> PolarsResult<Column> {
    let ints: Vec<Option<i128>> = v
        .into_iter()
        .map(|d| {
            d.map(|mut d| {
                d.rescale(2);
                d.mantissa()
            })
        })
        .collect();
    let ca = Int128Chunked::from_iter_options(name.into(), ints.into_iter());
    Ok(ca.into_decimal(20, 2)?.into_series().into())
}

/// Budget lines with serapan (realisasi ÷ pagu × 100) and sisa (pagu − realisasi).
pub fn anggaran(rows: &[BudgetRow]) -> PolarsResult<DataFrame> {
    let cols = vec![
        Column::new(
            "unit_id".into(),
            opt_str(rows.iter().map(|r| r.unit_id.as_deref())),
        ),
        Column::new(
            "tahun".into(),
            rows.iter().map(|r| r.tahun).collect::<Vec<_>>(),
        ),
        Column::new(
            "kode".into(),
            opt_str(rows.iter().map(|r| r.kode.as_deref())),
        ),
        Column::new(
            "uraian".into(),
            rows.iter().map(|r| r.uraian.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "level".into(),
            rows.iter().map(|r| r.level).collect::<Vec<_>>(),
        ),
        Column::new(
            "induk".into(),
            opt_str(rows.iter().map(|r| r.induk.as_deref())),
        ),
        money_col("pagu_murni", rows.iter().map(|r| r.pagu_murni).collect())?,
        money_col(
            "pagu_perubahan",
            rows.iter().map(|r| r.pagu_perubahan).collect(),
        )?,
        money_col("realisasi", rows.iter().map(|r| r.realisasi).collect())?,
        money_col("sisa", rows.iter().map(|r| r.sisa()).collect())?,
        Column::new(
            "serapan".into(),
            rows.iter().map(|r| r.serapan()).collect::<Vec<_>>(),
        ),
        Column::new(
            "serapan_tertulis".into(),
            rows.iter()
                .map(|r| r.persen_tertulis.and_then(|p| p.to_f64()))
                .collect::<Vec<_>>(),
        ),
    ];
    let mut cols = cols;
    cols.extend(crate::normalize::frame::source_columns(
        rows,
        |r| &r.source_file,
        |r| &r.sheet,
        |r| r.source_row,
    ));
    DataFrame::new(rows.len(), cols)
}

pub fn audit(rows: &[Finding]) -> PolarsResult<DataFrame> {
    let cols = vec![
        Column::new(
            "source_file".into(),
            rows.iter()
                .map(|r| r.source_file.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "sheet".into(),
            rows.iter().map(|r| r.sheet.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "source_row".into(),
            rows.iter().map(|r| r.source_row).collect::<Vec<_>>(),
        ),
        Column::new(
            "unit_id".into(),
            opt_str(rows.iter().map(|r| r.unit_id.as_deref())),
        ),
        Column::new(
            "tahun".into(),
            rows.iter().map(|r| r.tahun).collect::<Vec<_>>(),
        ),
        Column::new(
            "apa".into(),
            rows.iter().map(|r| r.apa.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "tertulis".into(),
            rows.iter().map(|r| r.tertulis.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "hitung".into(),
            rows.iter().map(|r| r.hitung.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "selisih".into(),
            rows.iter().map(|r| r.selisih).collect::<Vec<_>>(),
        ),
        Column::new(
            "keterangan".into(),
            rows.iter()
                .map(|r| r.keterangan.as_str())
                .collect::<Vec<_>>(),
        ),
    ];
    DataFrame::new(rows.len(), cols)
}

/// Findings where a recap states a yearly IKM that the unit's own respondents do not give
/// (e.g. Mustikajaya 2024: the city table's 88.79 against 88.89 from its survey).
pub fn recap_vs_survey_findings(
    ikm_unit: &DataFrame,
    recap: &[crate::normalize::realisasi::rekap::RecapRow],
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
