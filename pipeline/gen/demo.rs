//! The demo inbox: the seven 2024 survey waves of three kecamatan whose NRR tables are
//! printed in the seeds (000 lines 896–933, 002 lines 3379–3400, 003 lines 1020–1062),
//! rebuilt as raw questionnaires whose NRR come out exactly as printed; and five realization
//! sheets of the seeds as printed (recaps of 2023 and 2024, the Sekretariat Daerah's periods,
//! the city's IKU 2023, a budget per sub kegiatan).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{exact_wave, wave_table, write_csv, write_xlsx, HeaderStyle, Val, WaveLayout};

const WAVES_TSV: &str = include_str!("../../fixtures/reference/nrr_periode_kecamatan_2024.tsv");

/// Realization sheets of the seeds, as printed (fixtures/reference/README.md).
const PRINTED: [(&str, &str); 6] = [
    (
        "bagian-organisasi/Rekap IKM Unit Pelayanan Kota Bekasi 2024.xlsx",
        include_str!("../../fixtures/reference/seed001_l1518-1625_ikm_unit_2024.txt"),
    ),
    (
        "bagian-organisasi/Daftar Nilai IKM.xlsx",
        include_str!("../../fixtures/reference/seed004_l1385-1497_ikm_unit_2023.txt"),
    ),
    (
        "bagian-organisasi/Capaian IKU Kota 2023.xlsx",
        include_str!("../../fixtures/reference/seed004_l765-810_iku_kota_2023.txt"),
    ),
    (
        "setda/Hasil SKM Setda 2024.xlsx",
        include_str!("../../fixtures/reference/seed001_l1389-1396_ikm_setda_2024.txt"),
    ),
    (
        "setda/Anggaran Setda 2024 per sub kegiatan.xlsx",
        include_str!("../../fixtures/reference/seed001_l659-752_anggaran_setda_2024.txt"),
    ),
    (
        "kec-mustikajaya/LAKIP Kecamatan Mustikajaya 2024 Rencana Tindak Lanjut.xlsx",
        include_str!("../../fixtures/reference/seed002_l3508-3598_rtl_mustikajaya_2024.txt"),
    ),
];

/// One wave of the reference table.
#[derive(Debug, Clone)]
pub struct Wave {
    pub kecamatan: String,
    pub periode: String,
    /// NRR × 1000 per unsur, `UNSUR` order.
    pub nrr_milli: [u32; 9],
    pub ikm_as_printed: f64,
    pub seed_ref: String,
}

/// The seven waves of fixtures/reference/nrr_periode_kecamatan_2024.tsv.
pub fn waves() -> Result<Vec<Wave>> {
    parse_waves(WAVES_TSV)
}

pub fn parse_waves(tsv: &str) -> Result<Vec<Wave>> {
    let mut out = Vec::new();
    for (i, line) in tsv.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        anyhow::ensure!(
            f.len() >= 14,
            "waves table line {}: expected 14 fields",
            i + 1
        );
        let mut nrr = [0u32; 9];
        for k in 0..9 {
            let v: f64 = f[2 + k]
                .parse()
                .with_context(|| format!("line {}: NRR '{}'", i + 1, f[2 + k]))?;
            nrr[k] = (v * 1000.0).round() as u32;
        }
        out.push(Wave {
            kecamatan: f[0].to_string(),
            periode: f[1].to_string(),
            nrr_milli: nrr,
            ikm_as_printed: f[11].parse()?,
            seed_ref: format!("{}:{}", f[12], f[13]),
        });
    }
    Ok(out)
}

fn months(periode: &str) -> Vec<(i32, u32)> {
    match periode {
        "S1" => (1..=6).map(|m| (2024, m)).collect(),
        "TW3" => (7..=9).map(|m| (2024, m)).collect(),
        "TW4" => (10..=12).map(|m| (2024, m)).collect(),
        _ => vec![],
    }
}

/// Writes the demo inbox and returns the files written.
pub fn write_demo_inbox(dir: &Path) -> Result<Vec<PathBuf>> {
    let waves = waves()?;
    let mut files = Vec::new();
    let wave = |k: &str, p: &str| {
        waves
            .iter()
            .find(|w| w.kecamatan == k && w.periode == p)
            .with_context(|| format!("no wave {k} {p}"))
    };

    // Bekasi Timur S1: a CSV export from the survey app, U1–U9 codes, semicolons, BOM,
    // a period column in words and a unit column with the usual abbreviation.
    let w = wave("Bekasi Timur", "S1")?;
    let t = wave_table(
        &exact_wave(w.nrr_milli, 11),
        &WaveLayout {
            style: HeaderStyle::Codes,
            unit_column: Some("Kec. Bekasi Timur".into()),
            periode_column: Some("Semester I".into()),
            months: months("S1"),
            timestamps: false,
            title: vec![],
            profile: true,
            seed: 11,
        },
    );
    let p = dir.join("kec-bekasi-timur/ikm_bekasi_timur_semester1_2024.csv");
    write_csv(&p, &t, b';', true)?;
    files.push(p);

    // Bekasi Timur TW3 and TW4: one workbook, a sheet per triwulan, unsur names as headers,
    // title rows naming the unit and period, no unit or period column; dates as date cells.
    let mut tables = Vec::new();
    for (p, sheet, seed) in [("TW3", "TW III", 12u64), ("TW4", "TW IV", 13)] {
        let w = wave("Bekasi Timur", p)?;
        tables.push((
            sheet,
            wave_table(
                &exact_wave(w.nrr_milli, seed),
                &WaveLayout {
                    style: HeaderStyle::Names,
                    unit_column: None,
                    periode_column: None,
                    months: months(p),
                    timestamps: false,
                    title: vec![
                        "REKAPITULASI SURVEI KEPUASAN MASYARAKAT".into(),
                        "KECAMATAN BEKASI TIMUR".into(),
                        format!(
                            "{} TAHUN 2024",
                            if p == "TW3" {
                                "TRIWULAN III"
                            } else {
                                "TRIWULAN IV"
                            }
                        ),
                    ],
                    profile: false,
                    seed,
                },
            ),
        ));
    }
    let p = dir.join("kec-bekasi-timur/Rekap SKM Bekasi Timur TW III-IV 2024.xlsx");
    write_xlsx(&p, &tables.iter().map(|(n, t)| (*n, t)).collect::<Vec<_>>())?;
    files.push(p);

    // Medansatria: a Google-Forms style export per wave: whole question texts, answer words,
    // timestamps, a unit column spelled "Kec. Medan Satria".
    let mut tables = Vec::new();
    for (p, seed) in [("S1", 21u64), ("TW3", 22), ("TW4", 23)] {
        let w = wave("Medansatria", p)?;
        tables.push((
            p,
            wave_table(
                &exact_wave(w.nrr_milli, seed),
                &WaveLayout {
                    style: HeaderStyle::Questions,
                    unit_column: Some("Kec. Medan Satria".into()),
                    periode_column: Some(match p {
                        "S1" => "Semester 1".into(),
                        "TW3" => "Triwulan III".into(),
                        _ => "TW IV".into(),
                    }),
                    months: months(p),
                    timestamps: true,
                    title: vec![],
                    profile: true,
                    seed,
                },
            ),
        ));
    }
    let p = dir.join("kec-medansatria/Survei Kepuasan Masyarakat 2024 (Jawaban).xlsx");
    write_xlsx(&p, &tables.iter().map(|(n, t)| (*n, t)).collect::<Vec<_>>())?;
    files.push(p);

    // Mustikajaya TW4: comma CSV with unsur names, dates in October–December.
    let w = wave("Mustikajaya", "TW4")?;
    let mut t = wave_table(
        &exact_wave(w.nrr_milli, 31),
        &WaveLayout {
            style: HeaderStyle::Names,
            unit_column: Some("Kecamatan Mustikajaya".into()),
            periode_column: None,
            months: months("TW4"),
            timestamps: false,
            title: vec![],
            profile: false,
            seed: 31,
        },
    );
    // Rows that a unit's operator typed by hand, each wrong in its own way: they are
    // rejected with a reason and leave the figures above untouched.
    let unit_col = t
        .header
        .iter()
        .position(|h| h == "Unit Layanan")
        .expect("unit column");
    let first_unsur = t.header.len() - 9;
    let mut bad = |unit: &str, answer: Val| {
        let mut row = t.rows[0].clone();
        row[0] = Val::Num((t.rows.len() + 1) as f64);
        row[unit_col] = Val::text(unit);
        row[first_unsur] = answer;
        t.rows.push(row);
    };
    bad("Kecamatan Mustikajaya", Val::Num(5.0));
    bad("Kecamatan Mustikajaya", Val::text("tiga"));
    bad("Kecamatan Mustikajaya", Val::text("3,5"));
    bad("Kecamatan Antah Berantah", Val::Num(4.0));
    let mut empty = t.rows[0].clone();
    empty[0] = Val::Num((t.rows.len() + 1) as f64);
    for v in empty.iter_mut().skip(first_unsur) {
        *v = Val::Empty;
    }
    t.rows.push(empty);
    let p = dir.join("kec-mustikajaya/skm_mustikajaya_tw4_2024.csv");
    write_csv(&p, &t, b',', false)?;
    files.push(p);

    // The Bagian Organisasi's and the Sekretariat Daerah's realization sheets, as printed.
    for (name, text) in PRINTED {
        let p = dir.join(name);
        write_xlsx(&p, &[("Sheet1", &super::printed_table(text))])?;
        files.push(p);
    }
    Ok(files)
}
