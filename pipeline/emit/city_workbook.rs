//! The reports people read: the Excel workbook per year (`report/skm_<tahun>.xlsx`), built
//! from the gold tables.

use std::path::{Path, PathBuf};

use anyhow::Result;
use polars::prelude::*;

use crate::compute::Gold;
use crate::domain::UNSUR;

use super::workbook::{self, SheetSpec};
use crate::tables::build::Rows;

fn year(df: &DataFrame, tahun: i32) -> PolarsResult<DataFrame> {
    df.clone()
        .lazy()
        .filter(col("tahun").eq(lit(tahun)))
        .collect()
}

fn year_period(df: &DataFrame, tahun: i32) -> PolarsResult<DataFrame> {
    df.clone()
        .lazy()
        .filter(
            col("tahun")
                .eq(lit(tahun))
                .and(col("periode").eq(lit("TAHUN"))),
        )
        .collect()
}

/// The yearly rows of the units, one per unit: from respondents where the unit has raw data,
/// else as a recap states (the figure the city mean counts).
fn unit_year(gold: &Gold, tahun: i32) -> PolarsResult<DataFrame> {
    let df = year_period(&gold.ikm_unit, tahun)?;
    let ids = df.column("unit_id")?.str()?.clone();
    let sumber = df.column("sumber")?.str()?.clone();
    let with_raw: std::collections::HashSet<&str> = (0..df.height())
        .filter(|&i| sumber.get(i) == Some("responden"))
        .filter_map(|i| ids.get(i))
        .collect();
    let keep: BooleanChunked = (0..df.height())
        .map(|i| {
            sumber.get(i) == Some("responden") || !ids.get(i).is_some_and(|u| with_raw.contains(u))
        })
        .collect();
    df.filter(&keep)
}

/// The years with a city figure.
pub fn years(gold: &Gold) -> Vec<i32> {
    let mut y: Vec<i32> = gold
        .ikm_kota
        .column("tahun")
        .ok()
        .and_then(|c| c.i32().ok().map(|c| c.iter().flatten().collect()))
        .unwrap_or_default();
    y.sort_unstable();
    y.dedup();
    y
}

/// The key figures of the year as rows of (uraian, nilai, keterangan).
fn ringkasan(gold: &Gold, tahun: i32) -> PolarsResult<DataFrame> {
    // (No city row for the year when its recaps state quarters or semesters only: the key
    // figures are then blank, not a panic of `get(0)` on no rows.)
    let k = year_period(&gold.ikm_kota, tahun)?;
    let f = |c: &str| {
        k.column(c)
            .ok()
            .filter(|c| !c.is_empty())
            .and_then(|c| c.cast(&DataType::Float64).ok())
            .and_then(|c| c.f64().ok().and_then(|c| c.get(0)))
    };
    let s = |c: &str| {
        k.column(c)
            .ok()
            .filter(|c| !c.is_empty())
            .and_then(|c| c.str().ok().and_then(|c| c.get(0).map(str::to_string)))
            .unwrap_or_default()
    };
    let rows: Vec<(&str, Option<f64>, String)> = vec![
        ("Tahun", Some(tahun as f64), String::new()),
        (
            "IKM Kota (rata-rata unit)",
            f("ikm_bulat"),
            format!("{} ({})", s("mutu"), s("kinerja")),
        ),
        (
            "IKM gabungan responden",
            f("ikm_gabungan").and_then(|v| crate::domain::round_half_up(v, 2)),
            "seluruh responden digabung".into(),
        ),
        (
            "Jumlah unit",
            f("n_unit"),
            format!(
                "{} dari responden, {} dari rekap",
                f("n_unit_responden").unwrap_or(0.0),
                f("n_unit_rekap").unwrap_or(0.0)
            ),
        ),
        ("Mutu A (Sangat Baik)", f("n_a"), String::new()),
        ("Mutu B (Baik)", f("n_b"), String::new()),
        ("Mutu C (Kurang Baik)", f("n_c"), String::new()),
        ("Mutu D (Tidak Baik)", f("n_d"), String::new()),
        ("IKM tertinggi", f("ikm_tertinggi"), s("unit_tertinggi")),
        ("IKM terendah", f("ikm_terendah"), s("unit_terendah")),
        (
            "Perubahan dari tahun lalu (poin)",
            f("selisih_tahun_lalu"),
            String::new(),
        ),
        ("Unit tidak melapor", f("n_unit_tidak_lapor"), String::new()),
    ];
    Rows::new(&rows)
        .col("uraian", |r| r.0)
        .col("nilai", |r| r.1)
        .col("keterangan", |r| r.2.as_str())
        .frame()
}

/// NRR per unit × unsur for the year (units with NRR), one column per unsur.
fn unsur_pivot(gold: &Gold, tahun: i32) -> PolarsResult<DataFrame> {
    let n = year_period(&gold.nrr_unsur, tahun)?;
    let mut units: Vec<String> = n
        .column("unit_id")?
        .str()?
        .iter()
        .flatten()
        .map(str::to_string)
        .collect();
    units.dedup();
    let id = n.column("unit_id")?.str()?.clone();
    let kode = n.column("kode")?.str()?.clone();
    let nrr = n.column("nrr")?.f64()?.clone();
    let sumber = n.column("sumber")?.str()?.clone();
    // A unit's NRR of one unsur: from respondents where it has both.
    let value = |unit: &str, kode_unsur: &str| {
        let hits: Vec<usize> = (0..n.height())
            .filter(|&i| id.get(i) == Some(unit) && kode.get(i) == Some(kode_unsur))
            .collect();
        let pick = hits
            .iter()
            .find(|&&i| sumber.get(i) == Some("responden"))
            .or(hits.first());
        pick.and_then(|&i| nrr.get(i))
    };
    Rows::new(&units)
        .col("unit_id", |u| u.as_str())
        .each(
            UNSUR.iter(),
            |u| format!("nrr_{}", u.kode),
            |unit, k| value(unit, UNSUR[k].kode),
        )
        .frame()
}

/// Writes `report/skm_<tahun>.xlsx` for every year with a city figure; returns the paths.
/// `rejects` and `duplikat`: the first rows of each table (up to `workbook::MAX_SHEET_ROWS`) and the
/// rows it has.
pub fn write_workbooks(
    gold: &Gold,
    rejects: (&DataFrame, usize),
    duplikat: (&DataFrame, usize),
    out: &Path,
) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for t in years(gold) {
        let unsur_headings: Vec<(String, String)> = UNSUR
            .iter()
            .map(|u| (format!("nrr_{}", u.kode), format!("{} {}", u.kode, u.nama)))
            .collect();
        let mut unsur_cols: Vec<(&str, &str)> = vec![("unit_id", "Unit")];
        unsur_cols.extend(unsur_headings.iter().map(|(a, b)| (a.as_str(), b.as_str())));
        let mut sheets = vec![
            SheetSpec {
                table: "",
                rows: None,
                name: "Ringkasan",
                df: ringkasan(gold, t)?,
                headings: vec![
                    ("uraian", "Uraian"),
                    ("nilai", "Nilai"),
                    ("keterangan", "Keterangan"),
                ],
            },
            SheetSpec {
                table: "",
                rows: None,
                name: "Unit",
                df: unit_year(gold, t)?,
                headings: vec![
                    ("unit_nama", "Unit Pelayanan"),
                    ("jenis_unit", "Jenis"),
                    ("kecamatan", "Kecamatan"),
                    ("sumber", "Sumber"),
                    ("aturan_tahun", "Aturan tahunan"),
                    ("periode_dipakai", "Periode dipakai"),
                    ("n_responden", "Responden"),
                    ("ikm_bulat", "IKM"),
                    ("mutu", "Mutu"),
                    ("kinerja", "Kinerja"),
                ],
            },
            SheetSpec {
                table: "",
                rows: None,
                name: "Unsur",
                df: unsur_pivot(gold, t)?,
                headings: unsur_cols,
            },
            SheetSpec {
                table: "",
                rows: None,
                name: "Kecamatan",
                df: year(&gold.kecamatan, t)?,
                headings: vec![
                    ("peringkat", "Peringkat"),
                    ("kecamatan", "Kecamatan"),
                    ("ikm_bulat", "IKM Kantor Kecamatan"),
                    ("mutu", "Mutu"),
                    ("selisih_kota", "Selisih dari IKM Kota"),
                    ("selisih_tahun_lalu", "Perubahan dari tahun lalu"),
                    ("n_unit_lokasi", "Unit lain di wilayahnya"),
                    ("ikm_rata_lokasi", "Rata-rata IKM unit tersebut"),
                    ("unit_terendah_lokasi", "Unit terendah"),
                    ("ikm_terendah_lokasi", "IKM terendah"),
                ],
            },
            SheetSpec {
                table: "",
                rows: None,
                name: "Prioritas",
                df: year(&gold.prioritas, t)?
                    .lazy()
                    .filter(col("prioritas"))
                    .collect()?,
                headings: vec![
                    ("tingkat", "Tingkat"),
                    ("unit_id", "Unit"),
                    ("periode", "Periode"),
                    ("peringkat", "Peringkat"),
                    ("kode", "Kode"),
                    ("unsur", "Unsur"),
                    ("nrr", "NRR"),
                    ("seri", "Seri"),
                ],
            },
            super::tindak_lanjut::sheet(&gold.tindak_lanjut, t)?,
            SheetSpec {
                table: "",
                rows: None,
                name: "Sampel",
                df: year(&gold.sampel, t)?,
                headings: vec![
                    ("unit_id", "Unit"),
                    ("populasi", "Populasi"),
                    ("sampel_minimum", "Sampel minimum (Krejcie-Morgan)"),
                    ("n_responden", "Responden"),
                    ("cukup", "Cukup"),
                ],
            },
            SheetSpec {
                table: "gold/iku_capaian.parquet",
                rows: None,
                name: "Capaian",
                df: year(&gold.iku, t)?,
                headings: vec![
                    ("unit_id", "Unit"),
                    ("indikator", "Indikator"),
                    ("satuan", "Satuan"),
                    ("target_teks", "Target"),
                    ("realisasi_teks", "Realisasi"),
                    ("arah", "Arah"),
                    ("capaian", "Capaian (%)"),
                    ("capaian_tertulis", "Capaian tertulis (%)"),
                    ("catatan", "Catatan"),
                ],
            },
            SheetSpec {
                table: "gold/anggaran.parquet",
                rows: None,
                name: "Anggaran",
                df: year(&gold.anggaran, t)?,
                headings: vec![
                    ("kode", "Kode"),
                    ("uraian", "Uraian"),
                    ("level", "Tingkat"),
                    ("pagu_murni", "Pagu murni (Rp)"),
                    ("pagu_perubahan", "Pagu perubahan (Rp)"),
                    ("realisasi", "Realisasi (Rp)"),
                    ("sisa", "Sisa (Rp)"),
                    ("serapan", "Serapan (%)"),
                ],
            },
        ];
        sheets.extend(quality_sheets(gold, rejects, duplikat));
        let path = out.join("report").join(format!("skm_{t}.xlsx"));
        workbook::write(&path, &sheets)?;
        written.push(path);
    }
    Ok(written)
}

/// The data-quality sheets: audit findings, rejects, and copies not counted (the same for
/// every year's workbook).
fn quality_sheets<'a>(
    gold: &'a Gold,
    rejects: (&'a DataFrame, usize),
    duplikat: (&'a DataFrame, usize),
) -> Vec<SheetSpec<'a>> {
    vec![
        SheetSpec {
            table: "gold/audit.parquet",
            rows: None,
            name: "Temuan",
            df: gold.audit.clone(),
            headings: vec![
                ("source_file", "Berkas"),
                ("sheet", "Lembar"),
                ("source_row", "Baris"),
                ("unit_id", "Unit"),
                ("apa", "Yang diperiksa"),
                ("tertulis", "Tertulis"),
                ("hitung", "Hitung ulang"),
                ("selisih", "Selisih"),
                ("keterangan", "Keterangan"),
            ],
        },
        SheetSpec {
            table: "rejects.parquet",
            rows: Some(rejects.1),
            name: "Ditolak",
            df: rejects.0.clone(),
            headings: vec![
                ("source_file", "Berkas"),
                ("sheet", "Lembar"),
                ("source_row", "Baris"),
                ("kolom", "Kolom"),
                ("nilai", "Nilai"),
                ("alasan", "Alasan"),
                ("kode", "Kode"),
            ],
        },
        SheetSpec {
            table: "duplikat.parquet",
            rows: Some(duplikat.1),
            name: "Duplikat",
            df: duplikat.0.clone(),
            headings: vec![
                ("source_file", "Berkas"),
                ("sheet", "Lembar"),
                ("source_row", "Baris"),
                ("jenis", "Jenis"),
                ("dihitung_file", "Dihitung dari berkas"),
                ("dihitung_sheet", "Lembar"),
                ("dihitung_row", "Baris"),
                ("perubahan", "Perubahan (revisi)"),
            ],
        },
    ]
}
