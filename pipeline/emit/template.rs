//! Blank templates a unit fills in: the exact headers skm reads, the answer words as drop-down
//! lists, and a sheet that explains every column (`skm template KIND --out FILE.xlsx`). The
//! follow-up plan template (`rtl`) comes pre-filled with each unit's priority unsur of a period
//! (`gold/prioritas`), one sheet with a unit column: a unit's rows are found by filtering, the
//! Bagian Organisasi sends one file to all, and a unit sends back its own rows (rows left
//! without a program are not plans and are skipped).

use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::{Color, DataValidation, Format, Formula, Workbook, Worksheet};

use crate::domain::{round_half_up, Periode, UNSUR};
use crate::normalize::realisasi::rtl::StatusPelaksanaan;
use crate::registry::Registry;

/// The kinds of template.
pub const KINDS: [&str; 5] = ["kuesioner", "rekap", "iku", "anggaran", "rtl"];

const ROWS: u32 = 1000;

struct Col {
    header: String,
    help: String,
    /// Drop-down values, if any.
    list: Option<Vec<String>>,
    /// Drop-down from the unit list sheet.
    units: bool,
}

fn col(header: &str, help: &str) -> Col {
    Col {
        header: header.into(),
        help: help.into(),
        list: None,
        units: false,
    }
}

fn columns(kind: &str) -> Option<(Vec<String>, Vec<Col>)> {
    let periods: Vec<String> = ["TW1", "TW2", "TW3", "TW4", "S1", "S2"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let unit = Col {
        units: true,
        ..col("Unit Layanan", "Nama unit persis seperti di lembar 'Daftar Unit' (atau singkatannya: Kec., Pusk., PKM)")
    };
    Some(match kind {
        "kuesioner" => {
            let mut cols = vec![
                col("No", "Nomor urut responden (boleh kosong)"),
                unit,
                col("Tanggal", "Tanggal survei, hari/bulan/tahun (15/10/2024) atau sel tanggal Excel"),
                Col {
                    list: Some(periods),
                    ..col("Periode", "TW1–TW4 atau S1/S2; boleh kosong bila tanggal diisi (periode = triwulan tanggal)")
                },
                col("Jenis Layanan", "Layanan yang diterima responden"),
                Col {
                    list: Some(vec!["Laki-laki".into(), "Perempuan".into()]),
                    ..col("Jenis Kelamin", "Laki-laki atau Perempuan")
                },
                col("Umur", "Umur dalam tahun (10–100)"),
                Col {
                    list: Some(["SD", "SMP", "SMA", "D1-D3-D4", "S1", "S2 ke atas"].iter().map(|s| s.to_string()).collect()),
                    ..col("Pendidikan", "Pendidikan terakhir")
                },
                col("Pekerjaan", "Pekerjaan utama"),
            ];
            for u in UNSUR.iter() {
                cols.push(Col {
                    list: Some(u.jawaban.iter().map(|s| s.to_string()).collect()),
                    ..col(
                        u.nama,
                        &format!(
                            "{} ({}): pilih jawaban, atau angka 1–4 (1 = {}, 4 = {}); kosong = tidak menjawab",
                            u.nama, u.kode, u.jawaban[0], u.jawaban[3]
                        ),
                    )
                });
            }
            (vec![], cols)
        }
        "rekap" => (
            vec![],
            vec![
                col("No", "Nomor urut"),
                unit,
                col("Tahun", "Tahun survei, 4 angka"),
                Col {
                    list: Some(periods),
                    ..col("Periode", "TW1–TW4, S1, S2; kosong = nilai tahunan")
                },
                col("Jumlah Responden", "Banyaknya responden (bilangan bulat)"),
                col("Populasi", "Jumlah penerima layanan setahun, untuk uji kecukupan sampel"),
                col("Nilai IKM", "IKM 25–100, koma atau titik desimal"),
                Col {
                    list: Some(vec!["A".into(), "B".into(), "C".into(), "D".into()]),
                    ..col("Mutu Pelayanan", "A, B, C atau D (diperiksa terhadap nilai IKM)")
                },
            ],
        ),
        "iku" => (
            vec![],
            vec![
                col("No", "Nomor urut"),
                Col { header: "Unit".into(), ..unit },
                col("Tahun", "Tahun, 4 angka"),
                col("Indikator Kinerja", "Nama indikator"),
                col("Satuan", "Satuan (%, Indeks, Nilai, Laporan …)"),
                col("Target", "Target; angka (koma atau titik desimal) atau teks (WTP)"),
                col("Realisasi", "Realisasi; angka atau teks"),
                col("Capaian (%)", "Capaian yang dilaporkan (diperiksa ulang); boleh kosong"),
                Col {
                    list: Some(vec!["naik".into(), "turun".into()]),
                    ..col("Arah", "naik: makin besar makin baik; turun: makin kecil makin baik (kemiskinan, inflasi …)")
                },
            ],
        ),
        "anggaran" => (
            vec!["REALISASI ANGGARAN".into(), "Unit: (nama unit)".into(), "Tahun: (tahun, 4 angka)".into()],
            vec![
                col("Kode", "Kode program/kegiatan/sub kegiatan, angka bertitik (1.2.01.1); baris induk dijumlah dari anaknya"),
                col("Uraian", "Nama program (diawali 'Program'), kegiatan atau sub kegiatan"),
                col("Pagu Murni", "Pagu sebelum perubahan, rupiah"),
                col("Pagu Perubahan", "Pagu setelah perubahan, rupiah"),
                col("Realisasi", "Realisasi, rupiah"),
                col("Persen (%)", "Realisasi ÷ pagu × 100 (diperiksa ulang); boleh kosong"),
            ],
        ),
        _ => return None,
    })
}

fn data_sheet(ws: &mut Worksheet, title: &[String], cols: &[Col], n_units: usize) -> Result<()> {
    let bold = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9D9D9));
    let mut r: u32 = 0;
    for t in title {
        ws.write_string(r, 0, t)?;
        r += 1;
    }
    for (c, col) in cols.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, &col.header, &bold)?;
        ws.set_column_width(
            c as u16,
            (col.header.chars().count() as f64 + 4.0).clamp(10.0, 40.0),
        )?;
        let dv = if col.units {
            Some(
                DataValidation::new().allow_list_formula(Formula::new(format!(
                    "='Daftar Unit'!$A$2:$A${}",
                    n_units + 1
                ))),
            )
        } else {
            col.list
                .as_ref()
                .map(|l| DataValidation::new().allow_list_strings(l))
                .transpose()?
        };
        if let Some(dv) = dv {
            let dv = dv.set_input_message(col.help.as_str())?;
            ws.add_data_validation(r + 1, c as u16, r + ROWS, c as u16, &dv)?;
        }
    }
    ws.set_freeze_panes(r + 1, 0)?;
    Ok(())
}

/// Writes the template of `kind` to `path` (`rtl`: `write_rtl`, which needs the priorities).
pub fn write(kind: &str, path: &Path, registry: &Registry) -> Result<()> {
    let (title, cols) = columns(kind)
        .with_context(|| format!("no template '{kind}'; the kinds are {}", KINDS.join(", ")))?;
    let mut wb = Workbook::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name(match kind {
            "kuesioner" => "Kuesioner",
            "rekap" => "Rekap IKM",
            "iku" => "IKU",
            _ => "Anggaran",
        })?;
        data_sheet(ws, &title, &cols, registry.units().len())?;
    }
    help_and_units(&mut wb, &cols, registry)?;
    save(wb, path)
}

/// The sheets every template ends with: what each column holds, and the list of units.
fn help_and_units(wb: &mut Workbook, cols: &[Col], registry: &Registry) -> Result<()> {
    {
        let ws = wb.add_worksheet();
        ws.set_name("Petunjuk")?;
        let bold = Format::new().set_bold();
        ws.write_string_with_format(0, 0, "Kolom", &bold)?;
        ws.write_string_with_format(0, 1, "Isi", &bold)?;
        for (i, c) in cols.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, &c.header)?;
            ws.write_string(i as u32 + 1, 1, &c.help)?;
        }
        let n = cols.len() as u32 + 2;
        ws.write_string(n, 0, "Catatan")?;
        ws.write_string(
            n,
            1,
            "Jangan mengubah judul kolom: skm membaca kolom menurut judulnya. Periksa dengan `skm validate berkas.xlsx` sebelum mengirim.",
        )?;
        ws.set_column_width(0, 30)?;
        ws.set_column_width(1, 100)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Daftar Unit")?;
        ws.write_string(0, 0, "Unit")?;
        ws.write_string(0, 1, "unit_id")?;
        for (i, u) in registry.units().iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, &u.nama)?;
            ws.write_string(i as u32 + 1, 1, &u.unit_id)?;
        }
        ws.autofit();
    }
    Ok(())
}

fn save(mut wb: Workbook, path: &Path) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    wb.save(path)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// One priority unsur of a unit, as the follow-up template lists it (a `prioritas` row).
#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    pub unit_id: String,
    pub tahun: i32,
    pub periode: Periode,
    pub peringkat: u32,
    pub urutan: u32,
    /// Index into `UNSUR`.
    pub unsur: usize,
    pub nrr: f64,
    pub seri: bool,
}

/// Every unit's ranked unsur from a `prioritas` table (tingkat unit, flagged rows).
pub fn priorities(prioritas: &polars::prelude::DataFrame) -> Result<Vec<Priority>> {
    let c = |n: &str| {
        prioritas
            .column(n)
            .with_context(|| format!("prioritas: no column {n}"))
    };
    let tingkat = c("tingkat")?.str()?.clone();
    let id = c("unit_id")?.str()?.clone();
    let t = c("tahun")?.i32()?.clone();
    let per = c("periode")?.str()?.clone();
    let kode = c("kode")?.str()?.clone();
    let nrr = c("nrr")?.f64()?.clone();
    let urutan = c("urutan")?.u32()?.clone();
    let peringkat = c("peringkat")?.u32()?.clone();
    let seri = c("seri")?.bool()?.clone();
    let flag = c("prioritas")?.bool()?.clone();
    let mut out = Vec::new();
    for i in 0..prioritas.height() {
        if tingkat.get(i) != Some("unit") || flag.get(i) != Some(true) {
            continue;
        }
        let (Some(u), Some(y), Some(p), Some(k), Some(v)) = (
            id.get(i),
            t.get(i),
            per.get(i).and_then(Periode::from_code),
            kode.get(i)
                .and_then(|k| UNSUR.iter().position(|x| x.kode == k)),
            nrr.get(i),
        ) else {
            continue;
        };
        out.push(Priority {
            unit_id: u.to_string(),
            tahun: y,
            periode: p,
            peringkat: peringkat.get(i).unwrap_or(9),
            urutan: urutan.get(i).unwrap_or(9),
            unsur: k,
            nrr: v,
            seri: seri.get(i).unwrap_or(false),
        });
    }
    Ok(out)
}

/// The priorities the follow-up template lists: per unit (all, or `unit`), the flagged unsur
/// of `periode` in `tahun`; without a year, the latest year of the priorities; without a
/// period, each unit's latest surveyed period of that year (TW1 … S2), else its year.
pub fn select_priorities(
    all: &[Priority],
    tahun: Option<i32>,
    periode: Option<Periode>,
    unit: Option<&str>,
) -> Vec<Priority> {
    let Some(tahun) = tahun.or_else(|| all.iter().map(|p| p.tahun).max()) else {
        return vec![];
    };
    let mine = |p: &&Priority| p.tahun == tahun && unit.is_none_or(|u| p.unit_id == u);
    let mut units: Vec<&str> = all
        .iter()
        .filter(mine)
        .map(|p| p.unit_id.as_str())
        .collect();
    units.sort();
    units.dedup();
    let mut out = Vec::new();
    for u in units {
        let of_unit = || all.iter().filter(mine).filter(|p| p.unit_id == u);
        let chosen = periode.or_else(|| {
            of_unit()
                .map(|p| p.periode)
                .filter(|p| *p != Periode::Tahun)
                .max_by_key(|p| p.order())
                .or(Some(Periode::Tahun))
        });
        let mut rows: Vec<Priority> = of_unit()
            .filter(|p| Some(p.periode) == chosen)
            .cloned()
            .collect();
        rows.sort_by_key(|p| p.urutan);
        out.extend(rows);
    }
    out
}

/// The columns of the follow-up template; `waktu`: the periods offered for the waktu.
fn rtl_columns(waktu: Vec<String>) -> Vec<Col> {
    let unit = Col {
        units: true,
        ..col(
            "Unit Layanan",
            "Unit yang membuat rencana (terisi; jangan diubah)",
        )
    };
    vec![
        col("No", "Nomor urut"),
        unit,
        col("Tahun", "Tahun survei yang menghasilkan prioritas (terisi)"),
        col("Periode", "Periode survei yang menghasilkan prioritas: TW1–TW4, S1, S2 atau Tahun (terisi)"),
        col("Peringkat", "Peringkat dari NRR terendah (1 = terendah); unsur dengan NRR sama (3 desimal) berbagi peringkat"),
        col("Prioritas Unsur", "Kode dan nama unsur prioritas (terisi); boleh ditambah baris untuk unsur atau program lain"),
        col("NRR", "NRR unsur pada periode itu (3 desimal)"),
        col("Seri", "'ya' bila NRR-nya sama dengan unsur lain pada 3 desimal"),
        col("Program/Kegiatan", "Rencana tindak lanjut untuk unsur ini; kosong = belum ada rencana"),
        Col {
            list: Some(waktu),
            ..col("Waktu", "Periode pelaksanaan: TW1–TW4, S1, S2 atau Tahun, dengan tahunnya (TW1 2025); tanpa tahun = periode berikutnya sesudah periode prioritas")
        },
        col("Penanggung Jawab", "Jabatan atau seksi yang bertanggung jawab"),
        Col {
            list: Some(StatusPelaksanaan::ALL.iter().map(|s| s.words().to_string()).collect()),
            ..col("Status", "Pelaksanaan rencana: Belum dilaksanakan, Sedang berjalan, Selesai, Tidak dilaksanakan")
        },
    ]
}

/// Writes the follow-up plan template (`skm template rtl`): the chosen priorities pre-filled,
/// one row per priority unsur, with empty Program/Kegiatan, Waktu (drop-down), Penanggung
/// Jawab and Status (drop-down) to fill.
pub fn write_rtl(rows: &[Priority], path: &Path, registry: &Registry) -> Result<()> {
    let years: Vec<i32> = {
        let mut y: Vec<i32> = rows.iter().flat_map(|p| [p.tahun, p.tahun + 1]).collect();
        y.sort();
        y.dedup();
        y.into_iter().rev().take(2).rev().collect()
    };
    let waktu: Vec<String> = years
        .iter()
        .flat_map(|y| {
            ["TW1", "TW2", "TW3", "TW4", "S1", "S2", "Tahun"]
                .iter()
                .map(move |p| format!("{p} {y}"))
        })
        .collect();
    let cols = rtl_columns(waktu);
    let title = vec!["RENCANA TINDAK LANJUT PERBAIKAN SKM".to_string()];
    let mut wb = Workbook::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name("Tindak Lanjut")?;
        data_sheet(ws, &title, &cols, registry.units().len())?;
        let nrr_fmt = Format::new().set_num_format("0.000");
        for (i, p) in rows.iter().enumerate() {
            let r = title.len() as u32 + 1 + i as u32;
            let nama = registry
                .get(&p.unit_id)
                .map(|u| u.nama.as_str())
                .unwrap_or(&p.unit_id);
            let u = &UNSUR[p.unsur];
            ws.write_number(r, 0, (i + 1) as f64)?;
            ws.write_string(r, 1, nama)?;
            ws.write_number(r, 2, p.tahun as f64)?;
            ws.write_string(r, 3, p.periode.code())?;
            ws.write_number(r, 4, p.peringkat as f64)?;
            ws.write_string(r, 5, format!("{}. {}", u.kode, u.nama))?;
            let nrr = round_half_up(p.nrr, 3).unwrap_or(p.nrr);
            ws.write_number_with_format(r, 6, nrr, &nrr_fmt)?;
            ws.write_string(r, 7, if p.seri { "ya" } else { "" })?;
        }
        for (c, w) in [(1u16, 32.0), (5, 40.0), (8, 50.0), (10, 30.0)] {
            ws.set_column_width(c, w)?;
        }
    }
    help_and_units(&mut wb, &cols, registry)?;
    save(wb, path)
}
