//! `gold/kecamatan`: the kecamatan offices ranked by their yearly IKM, with the gap to the city
//! mean and to last year, and the units located in each (count, mean, lowest; located by the
//! registry or by a kelurahan in their name).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use super::graded;
use super::unit_values::UnitValue;
use crate::domain::Periode;
use crate::registry::{LokasiBasis, Registry, Unit};
use crate::tables::build::Rows;

/// One row of `kecamatan`.
struct KecamatanRow {
    tahun: i32,
    kecamatan: String,
    unit_id: String,
    peringkat: Option<u32>,
    ikm: Option<f64>,
    selisih_kota: Option<f64>,
    selisih_tahun_lalu: Option<f64>,
    n_unit_lokasi: u32,
    n_lokasi_inferensi: u32,
    ikm_rata_lokasi: Option<f64>,
    unit_terendah_lokasi: Option<String>,
    ikm_terendah_lokasi: Option<f64>,
}

/// The `kecamatan` table.
pub fn kecamatan(values: &[UnitValue], registry: &Registry) -> PolarsResult<DataFrame> {
    let year: Vec<&UnitValue> = values
        .iter()
        .filter(|v| v.periode == Periode::Tahun.code())
        .collect();
    let years: BTreeSet<i32> = year.iter().map(|v| v.tahun).collect();
    let city: BTreeMap<i32, f64> = years
        .iter()
        .map(|t| {
            let vs: Vec<f64> = year
                .iter()
                .filter(|v| v.tahun == *t)
                .map(|v| v.ikm)
                .collect();
            (*t, vs.iter().sum::<f64>() / vs.len() as f64)
        })
        .collect();
    let value = |id: &str, t: i32| {
        year.iter()
            .find(|v| v.unit_id == id && v.tahun == t)
            .map(|v| v.ikm)
    };
    let offices: Vec<&Unit> = registry
        .units()
        .iter()
        .filter(|u| u.jenis_unit == "kecamatan")
        .collect();
    let mut rows = Vec::new();
    for &t in &years {
        let mut ranked: Vec<(&Unit, Option<f64>)> =
            offices.iter().map(|u| (*u, value(&u.unit_id, t))).collect();
        ranked.sort_by(|a, b| match (a.1, b.1) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            _ => Ordering::Equal,
        });
        for (i, (office, v)) in ranked.into_iter().enumerate() {
            let kec = office.kecamatan.clone().unwrap_or_default();
            let around: Vec<&Unit> = registry
                .units()
                .iter()
                .filter(|u| {
                    u.kecamatan.as_deref() == Some(kec.as_str()) && u.unit_id != office.unit_id
                })
                .collect();
            let located: Vec<(&Unit, f64)> = around
                .iter()
                .filter_map(|u| value(&u.unit_id, t).map(|v| (*u, v)))
                .collect();
            let n_inferred = around
                .iter()
                .filter(|u| u.kecamatan_basis == Some(LokasiBasis::Inferred))
                .count();
            let lowest = located.iter().min_by(|a, b| a.1.total_cmp(&b.1));
            rows.push(KecamatanRow {
                tahun: t,
                kecamatan: kec,
                unit_id: office.unit_id.clone(),
                peringkat: v.map(|_| i as u32 + 1),
                ikm: v,
                selisih_kota: v.map(|x| x - city[&t]),
                selisih_tahun_lalu: v.and_then(|x| value(&office.unit_id, t - 1).map(|p| x - p)),
                n_unit_lokasi: located.len() as u32,
                n_lokasi_inferensi: n_inferred as u32,
                ikm_rata_lokasi: (!located.is_empty())
                    .then(|| located.iter().map(|l| l.1).sum::<f64>() / located.len() as f64),
                unit_terendah_lokasi: lowest.map(|l| l.0.nama.clone()),
                ikm_terendah_lokasi: lowest.map(|l| l.1),
            });
        }
    }
    graded(
        Rows::new(&rows)
            .col("tahun", |r| r.tahun)
            .col("kecamatan", |r| r.kecamatan.as_str())
            .col("unit_id", |r| r.unit_id.as_str())
            .col("peringkat", |r| r.peringkat)
            .col("ikm", |r| r.ikm),
        "ikm",
        |r| r.ikm,
    )
    .col("selisih_kota", |r| r.selisih_kota)
    .col("selisih_tahun_lalu", |r| r.selisih_tahun_lalu)
    .col("n_unit_lokasi", |r| r.n_unit_lokasi)
    .col("n_lokasi_inferensi", |r| r.n_lokasi_inferensi)
    .col("ikm_rata_lokasi", |r| r.ikm_rata_lokasi)
    .col("unit_terendah_lokasi", |r| {
        r.unit_terendah_lokasi.as_deref()
    })
    .col("ikm_terendah_lokasi", |r| r.ikm_terendah_lokasi)
    .frame()
}
