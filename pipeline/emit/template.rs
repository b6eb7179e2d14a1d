//! Blank templates a unit fills in: the exact headers skm reads, the answer words as drop-down
//! lists, and a sheet that explains every column (`skm template KIND --out FILE.xlsx`).

use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::{Color, DataValidation, Format, Formula, Workbook, Worksheet};

use crate::domain::UNSUR;
use crate::registry::Registry;

/// The kinds of template.
pub const KINDS: [&str; 4] = ["kuesioner", "rekap", "iku", "anggaran"];

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

/// Writes the template of `kind` to `path`.
pub fn write(kind: &str, path: &Path, registry: &Registry) -> Result<()> {
    let (title, cols) = columns(kind)
        .with_context(|| format!("no template '{kind}'; the kinds are {}", KINDS.join(", ")))?;
    let mut wb = Workbook::new();
    let units: Vec<&str> = registry.units().iter().map(|u| u.nama.as_str()).collect();
    {
        let ws = wb.add_worksheet();
        ws.set_name(match kind {
            "kuesioner" => "Kuesioner",
            "rekap" => "Rekap IKM",
            "iku" => "IKU",
            _ => "Anggaran",
        })?;
        data_sheet(ws, &title, &cols, units.len())?;
    }
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
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    wb.save(path)
        .with_context(|| format!("cannot write {}", path.display()))
}
