//! `gold/kecamatan`: the kecamatan offices ranked by their yearly IKM, with the gap to the city
//! mean and to last year, and the units located in each (count, mean, lowest; located by the
//! registry or by a kelurahan in their name).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use super::graded;
use super::unit_values::{city_mean, CityMean, UnitValue};
use crate::domain::margin::{self, gap_to_mean_variance, nyata, rank_ranges};
use crate::domain::Periode;
use crate::registry::{LokasiBasis, Registry, Unit};
use crate::tables::build::Rows;

/// One row of `kecamatan`.
struct KecamatanRow {
    tahun: i32,
    kecamatan: String,
    unit_id: String,
    peringkat: Option<u32>,
    /// The ranks the office could hold within noise (`margin::rank_ranges`).
    peringkat_rentang: Option<(u32, u32)>,
    ikm: Option<f64>,
    var: Option<f64>,
    selisih_kota: Option<f64>,
    selisih_kota_nyata: Option<bool>,
    selisih_tahun_lalu: Option<f64>,
    selisih_tahun_lalu_nyata: Option<bool>,
    n_unit_lokasi: u32,
    n_lokasi_inferensi: u32,
    ikm_rata_lokasi: Option<f64>,
    unit_terendah_lokasi: Option<String>,
    ikm_terendah_lokasi: Option<f64>,
}

impl KecamatanRow {
    fn interval(&self) -> (Option<f64>, Option<f64>) {
        margin::clamped(
            margin::interval(self.ikm, margin::se(self.var)),
            25.0,
            100.0,
        )
    }
}

/// The `kecamatan` table.
pub fn kecamatan(values: &[UnitValue], registry: &Registry) -> PolarsResult<DataFrame> {
    let year: Vec<&UnitValue> = values
        .iter()
        .filter(|v| v.periode == Periode::Tahun.code())
        .collect();
    let years: BTreeSet<i32> = year.iter().map(|v| v.tahun).collect();
    // Per year: the city mean, the sum of its units' variances (a recap's counted as exact)
    // and their number.
    let city: BTreeMap<i32, CityMean> = years
        .iter()
        .map(|t| {
            (
                *t,
                city_mean(year.iter().copied().filter(|v| v.tahun == *t)),
            )
        })
        .collect();
    let found = |id: &str, t: i32| year.iter().find(|v| v.unit_id == id && v.tahun == t);
    let value = |id: &str, t: i32| found(id, t).map(|v| v.ikm);
    let offices: Vec<&Unit> = registry
        .units()
        .iter()
        .filter(|u| u.jenis_unit == "kecamatan")
        .collect();
    let mut rows = Vec::new();
    for &t in &years {
        let mut ranked: Vec<(&Unit, Option<f64>)> =
            offices.iter().map(|u| (*u, value(&u.unit_id, t))).collect();
        let with: Vec<(&str, (f64, f64))> = offices
            .iter()
            .filter_map(|u| found(&u.unit_id, t))
            .map(|v| (v.unit_id.as_str(), (v.ikm, v.var.unwrap_or(0.0).sqrt())))
            .collect();
        let ranges: BTreeMap<&str, (u32, u32)> = with
            .iter()
            .zip(rank_ranges(&with.iter().map(|w| w.1).collect::<Vec<_>>()))
            .map(|((id, _), (_, lo, hi))| (*id, (lo, hi)))
            .collect();
        let CityMean {
            ikm: mean,
            total_var: total,
            n,
        } = city[&t];
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
            let var = found(&office.unit_id, t).and_then(|v| v.var);
            let before = found(&office.unit_id, t - 1);
            let selisih_kota = v.map(|x| x - mean);
            let selisih_tahun_lalu = v.and_then(|x| before.map(|p| x - p.ikm));
            rows.push(KecamatanRow {
                tahun: t,
                kecamatan: kec,
                unit_id: office.unit_id.clone(),
                peringkat: v.map(|_| i as u32 + 1),
                peringkat_rentang: ranges.get(office.unit_id.as_str()).copied(),
                ikm: v,
                var,
                selisih_kota,
                selisih_kota_nyata: nyata(
                    selisih_kota,
                    var.map(|u| gap_to_mean_variance(u, total, n)),
                ),
                selisih_tahun_lalu,
                selisih_tahun_lalu_nyata: nyata(
                    selisih_tahun_lalu,
                    var.zip(before.and_then(|p| p.var)).map(|(a, b)| a + b),
                ),
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
            .col("peringkat_min", |r| r.peringkat_rentang.map(|r| r.0))
            .col("peringkat_maks", |r| r.peringkat_rentang.map(|r| r.1))
            .col("ikm", |r| r.ikm),
        "ikm",
        |r| r.ikm,
    )
    .col("ikm_se", |r| margin::se(r.var))
    .col("ikm_bawah", |r| r.interval().0)
    .col("ikm_atas", |r| r.interval().1)
    .col("selisih_kota", |r| r.selisih_kota)
    .col("selisih_kota_nyata", |r| r.selisih_kota_nyata)
    .col("selisih_tahun_lalu", |r| r.selisih_tahun_lalu)
    .col("selisih_tahun_lalu_nyata", |r| r.selisih_tahun_lalu_nyata)
    .col("n_unit_lokasi", |r| r.n_unit_lokasi)
    .col("n_lokasi_inferensi", |r| r.n_lokasi_inferensi)
    .col("ikm_rata_lokasi", |r| r.ikm_rata_lokasi)
    .col("unit_terendah_lokasi", |r| {
        r.unit_terendah_lokasi.as_deref()
    })
    .col("ikm_terendah_lokasi", |r| r.ikm_terendah_lokasi)
    .frame()
}
