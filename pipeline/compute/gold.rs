//! The gold tables, computed from silver's sums and the realization sheets' rows.

use anyhow::Result;
use polars::prelude::*;

use crate::config::Config;
use crate::normalize;
use crate::registry::Registry;

use super::anggaran::anggaran;
use super::audit::{audit, recap_vs_survey_findings};
use super::ikm_kota::ikm_kota;
use super::ikm_tahun_aturan::ikm_tahun_aturan;
use super::ikm_unit::finish_ikm_unit;
use super::iku_capaian::{ikm_indicator_findings, iku_capaian, survey_figures};
use super::kecamatan::kecamatan;
use super::kecamatan_unsur::kecamatan_unsur;
use super::nrr_unsur::finish_nrr_unsur;
use super::prioritas::prioritas;
use super::profil::profil;
use super::sampel::sampel;
use super::tindak_lanjut::tindak_lanjut;
use super::unit_values::unit_values;
use super::{figures, recap};
use crate::silver::sums::{period_sums, profile_sums};

/// The gold tables.
pub struct Gold {
    pub ikm_unit: DataFrame,
    pub nrr_unsur: DataFrame,
    pub iku: DataFrame,
    pub anggaran: DataFrame,
    pub audit: DataFrame,
    pub ikm_kota: DataFrame,
    pub unit_tidak_lapor: DataFrame,
    pub kecamatan: DataFrame,
    pub kecamatan_unsur: DataFrame,
    pub prioritas: DataFrame,
    /// The follow-up of the lowest unsur: plans and the next survey.
    pub tindak_lanjut: DataFrame,
    pub sampel: DataFrame,
    pub profil: DataFrame,
    pub ikm_tahun_aturan: DataFrame,
    /// Units past a deadline with nothing for its period (`unit_terlambat`).
    pub unit_terlambat: DataFrame,
    pub late: Vec<super::unit_terlambat::Late>,
}

impl Gold {
    /// Every gold table with its name in the data dictionary.
    pub fn tables(&mut self) -> Vec<(&'static str, &mut DataFrame)> {
        vec![
            ("ikm_unit", &mut self.ikm_unit),
            ("nrr_unsur", &mut self.nrr_unsur),
            ("ikm_tahun_aturan", &mut self.ikm_tahun_aturan),
            ("ikm_kota", &mut self.ikm_kota),
            ("unit_tidak_lapor", &mut self.unit_tidak_lapor),
            ("unit_terlambat", &mut self.unit_terlambat),
            ("kecamatan", &mut self.kecamatan),
            ("kecamatan_unsur", &mut self.kecamatan_unsur),
            ("prioritas", &mut self.prioritas),
            ("tindak_lanjut", &mut self.tindak_lanjut),
            ("sampel", &mut self.sampel),
            ("profil", &mut self.profil),
            ("iku_capaian", &mut self.iku),
            ("anggaran", &mut self.anggaran),
            ("audit", &mut self.audit),
        ]
    }
}

/// Gold from silver's sums (the `sums` and `silang` tables, added up with Polars,
/// `silver::sums`) and from
/// the realization sheets' rows.
pub fn gold(
    silver_sums: &DataFrame,
    silang: &DataFrame,
    n: &normalize::Output,
    config: &Config,
    registry: &Registry,
) -> Result<Gold> {
    let polars = |e: PolarsError| anyhow::anyhow!("computing the gold tables: {e}");
    let sums = period_sums(silver_sums.clone().lazy())
        .collect()
        .map_err(polars)?;
    crate::faults::point("compute");
    let crosses = super::margins::crosses(silang).map_err(polars)?;
    let populasi = super::margins::populasi(config, registry);
    let from_sums = figures::from_sums(&sums, &crosses, &populasi)?;
    let (mut figs, alts) = figures::apply_year_rules(from_sums, config);
    let (recap, mut findings) = recap::dedupe(n.recap.clone());
    let (recap, yearly) = recap::complete(recap);
    findings.extend(yearly);
    figs.extend(figures::from_recap(&recap));
    let (ikm, nrr) = figures::base_frames(&figs)?;
    let ikm_unit = finish_ikm_unit(ikm, registry).map_err(polars)?;
    let nrr_unsur = finish_nrr_unsur(nrr).map_err(polars)?;
    findings.extend(n.findings.iter().cloned());
    let values = unit_values(&ikm_unit)?;
    let ikm_unit = super::banding::with_comparisons(ikm_unit, &values).map_err(polars)?;
    let (ikm_kota, unit_tidak_lapor) = ikm_kota(&values, &sums, registry)?;
    let survey = survey_figures(&ikm_unit, &ikm_kota, registry)?;
    findings.extend(ikm_indicator_findings(&n.iku, &survey));
    findings.extend(recap_vs_survey_findings(&ikm_unit, &recap)?);
    let prioritas = prioritas(&nrr_unsur, &values)?;
    let recap_pop = recap
        .iter()
        .filter_map(|r| r.populasi.map(|p| ((r.unit_id.clone(), r.tahun), p)))
        .collect();
    let profile_groups = profile_sums(silver_sums.clone().lazy());
    let late = super::unit_terlambat::late_units(&ikm_unit, config, registry, config.today())?;
    Ok(Gold {
        unit_terlambat: super::unit_terlambat::frame(&late)?,
        late,
        iku: iku_capaian(&n.iku, &survey)?,
        anggaran: anggaran(&n.anggaran)?,
        audit: audit(&findings)?,
        ikm_kota,
        unit_tidak_lapor,
        kecamatan: kecamatan(&values, registry)?,
        kecamatan_unsur: kecamatan_unsur(&sums, &crosses, registry)?,
        tindak_lanjut: tindak_lanjut(&prioritas, &n.rtl, registry)?,
        prioritas,
        sampel: sampel(&ikm_unit, &recap_pop, config, registry)?,
        profil: profil(profile_groups, config.profil.minimum_responden)?,
        ikm_tahun_aturan: ikm_tahun_aturan(&alts)?,
        ikm_unit,
        nrr_unsur,
    })
}
