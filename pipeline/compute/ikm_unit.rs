//! `gold/ikm_unit`: the IKM of every unit, year and period, from respondents and from recaps,
//! with its presentation columns and the unit's registry attributes.

use polars::prelude::*;

use super::{f64_values, graded, sort_gold};
use crate::registry::{Registry, Unit};
use crate::tables::build::Rows;

/// The `ikm_unit` table from its base frame (`figures::base_frames`): sorted, `ikm_bulat`
/// (half-up, 2 dp), `mutu`, `kinerja` and the unit's name, kind and kecamatan added.
pub fn finish_ikm_unit(df: DataFrame, registry: &Registry) -> PolarsResult<DataFrame> {
    let df = sort_gold(df, &["sumber"])?;
    let ikm = f64_values(&df, "ikm")?;
    let ids = df.column("unit_id")?.str()?.clone();
    let rows: Vec<(Option<f64>, Option<&Unit>)> = ikm
        .iter()
        .zip(ids.iter())
        .map(|(v, id)| (*v, id.and_then(|i| registry.get(i))))
        .collect();
    let added = graded(Rows::new(&rows), "ikm", |(v, _)| *v)
        .col("unit_nama", |(_, u)| u.map(|u| u.nama.as_str()))
        .col("jenis_unit", |(_, u)| u.map(|u| u.jenis_unit.as_str()))
        .col("kecamatan", |(_, u)| u.and_then(|u| u.kecamatan.as_deref()))
        .col("kecamatan_basis", |(_, u)| {
            u.and_then(|u| u.kecamatan_basis.map(|b| b.as_str()))
        })
        .frame()?;
    df.hstack(added.columns())?.select([
        "unit_id",
        "unit_nama",
        "jenis_unit",
        "kecamatan",
        "kecamatan_basis",
        "tahun",
        "periode",
        "n_responden",
        "n_unsur",
        "ikm",
        "ikm_bulat",
        "mutu",
        "kinerja",
        "ikm_se",
        "ikm_bawah",
        "ikm_atas",
        "sumber",
        "aturan_tahun",
        "tahun_lengkap",
        "periode_dipakai",
        "catatan",
    ])
}
