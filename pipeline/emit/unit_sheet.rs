//! A unit's sheet, `report/unit/<unit_id>_<tahun>.xlsx`: the tables of its LKIP in the seeds'
//! layout (000 l.896–935), one block per period, then the yearly figure with its rule in words,
//! the sample, the profile and the follow-up plans. Values are numbers as gold rounds them
//! (NRR 3 decimals, IKM 2), with number formats, so Excel shows them with the reader's
//! separators (86,71 in an Indonesian locale) and a paste keeps the printed figure.

use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet};

use super::numbers;
use super::unit_model::{words, PeriodTable, UnitYear};

/// The fill of a grade, as in the yearly workbook.
fn fill(m: &str) -> Option<Color> {
    match m {
        "A" => Some(Color::RGB(0xC6EFCE)),
        "B" => Some(Color::RGB(0xDDEBF7)),
        "C" => Some(Color::RGB(0xFFEB9C)),
        "D" => Some(Color::RGB(0xFFC7CE)),
        _ => None,
    }
}

/// Where the next row goes.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    row: u32,
    bold: Format,
    head: Format,
}

impl Sheet<'_> {
    fn text(&mut self, s: &str) -> Result<()> {
        self.ws.write_string(self.row, 0, s)?;
        self.row += 1;
        Ok(())
    }

    fn title(&mut self, s: &str) -> Result<()> {
        self.ws
            .write_string_with_format(self.row, 0, s, &self.bold)?;
        self.row += 1;
        Ok(())
    }

    /// A label in column A and a text across B–J.
    fn labelled(&mut self, label: &str, value: &str) -> Result<()> {
        self.ws
            .write_string_with_format(self.row, 0, label, &self.bold)?;
        self.ws.write_string(self.row, 1, value)?;
        self.row += 1;
        Ok(())
    }

    /// The seeds' table of one period.
    fn period(&mut self, p: &PeriodTable, u: &UnitYear) -> Result<()> {
        self.title(&words::judul_periode(p, u.tahun))?;
        self.title(&format!("{} Tahun {}", u.unit_nama, u.tahun))?;
        if !p.unsur.is_empty() {
            self.unsur_rows(p)?;
        }
        let r = self.row;
        self.ws
            .write_string_with_format(r, 0, "IKM Unit Layanan", &self.bold)?;
        if let Some(v) = p.ikm_bulat {
            let words = p.kinerja.as_deref().unwrap_or("-").to_uppercase();
            let mut f = Format::new()
                .set_bold()
                .set_align(FormatAlign::Left)
                .set_num_format(format!("0.00\" ({words})\""));
            if let Some(c) = p.mutu.as_deref().and_then(fill) {
                f = f.set_background_color(c);
            }
            self.ws.merge_range(r, 1, r, 9, "", &f)?;
            self.ws.write_number_with_format(r, 1, v, &f)?;
        } else {
            self.ws.write_string(r, 1, "-")?;
        }
        self.row += 1;
        if let Some(m) = &p.mutu {
            self.labelled("Mutu pelayanan", m)?;
        }
        if let Some(g) = words::ikm_galat(p) {
            self.labelled("Margin galat (95%)", &g)?;
        }
        if let Some((label, value)) = words::perubahan(p) {
            self.labelled(&label, &value)?;
        }
        if let Some(low) = words::terendah(p) {
            self.labelled("Unsur terendah", &low)?;
        }
        self.text(&words::sumber(p))?;
        self.row += 1;
        Ok(())
    }

    /// Header, NRR, IKM per unsur and kategori rows.
    fn unsur_rows(&mut self, p: &PeriodTable) -> Result<()> {
        let r = self.row;
        self.ws
            .write_string_with_format(r, 0, "Nilai Unsur Pelayanan", &self.head)?;
        for (j, c) in p.unsur.iter().enumerate() {
            self.ws
                .write_string_with_format(r, j as u16 + 1, &c.judul, &self.head)?;
        }
        let nrr_f = Format::new().set_num_format("0.000");
        let ikm_f = Format::new().set_num_format("0.00");
        let labels = [
            "Nilai Rata-Rata (NRR)",
            "IKM Per Unsur (NRR x 25)",
            "Kategori",
        ];
        for (k, label) in labels.iter().enumerate() {
            self.ws
                .write_string_with_format(r + 1 + k as u32, 0, *label, &self.bold)?;
        }
        for (j, c) in p.unsur.iter().enumerate() {
            let col = j as u16 + 1;
            if let Some(v) = c.nrr_bulat {
                self.ws.write_number_with_format(r + 1, col, v, &nrr_f)?;
            }
            if let Some(v) = c.ikm_unsur_bulat {
                self.ws.write_number_with_format(r + 2, col, v, &ikm_f)?;
            }
            if let Some(m) = &c.mutu {
                let mut f = Format::new().set_align(FormatAlign::Center);
                if let Some(color) = fill(m) {
                    f = f.set_background_color(color);
                }
                self.ws.write_string_with_format(r + 3, col, m, &f)?;
            }
        }
        self.row += 4;
        Ok(())
    }

    fn year(&mut self, u: &UnitYear) -> Result<()> {
        let Some(y) = &u.year else {
            return self.text("Tidak ada nilai tahunan untuk tahun ini.");
        };
        self.period(&y.table, u)?;
        self.row -= 1;
        self.labelled("Cara menghitung", &y.aturan_kata)?;
        if let Some(d) = &y.periode_dipakai {
            self.labelled("Periode dipakai", &d.replace('+', ", "))?;
        }
        if y.lengkap == Some(false) {
            self.labelled("Tahun lengkap", "tidak: dihitung dari periode yang ada")?;
        }
        if let Some(c) = &y.catatan {
            self.labelled("Catatan", c)?;
        }
        if let Some(v) = y.rekap_bulat {
            self.labelled("IKM menurut rekap", &numbers::ikm(v))?;
        }
        self.row += 1;
        Ok(())
    }

    fn profile(&mut self, u: &UnitYear) -> Result<()> {
        if u.profile.is_empty() {
            return Ok(());
        }
        self.title(
            "Profil responden (IKM per kelompok; responden tahun ini yang mengisi kolom profil)",
        )?;
        let r = self.row;
        for (j, h) in [
            "Dimensi",
            "Kelompok",
            "Responden",
            "IKM",
            "Cukup (≥ minimum)",
        ]
        .iter()
        .enumerate()
        {
            self.ws
                .write_string_with_format(r, j as u16, *h, &self.head)?;
        }
        let ikm_f = Format::new().set_num_format("0.00");
        let n_f = Format::new().set_num_format("#,##0");
        for (i, p) in u.profile.iter().enumerate() {
            let r = r + 1 + i as u32;
            self.ws.write_string(r, 0, words::dimensi(&p.dimensi))?;
            self.ws
                .write_string(r, 1, words::kelompok(&p.dimensi, &p.kelompok))?;
            if let Some(n) = p.n_responden {
                self.ws.write_number_with_format(r, 2, n as f64, &n_f)?;
            }
            if let Some(v) = p.ikm_bulat {
                self.ws.write_number_with_format(r, 3, v, &ikm_f)?;
            }
            if let Some(c) = p.cukup {
                self.ws.write_string(r, 4, if c { "ya" } else { "tidak" })?;
            }
        }
        self.row = r + 2 + u.profile.len() as u32;
        Ok(())
    }

    fn plans(&mut self, u: &UnitYear) -> Result<()> {
        let Some(first) = u.plans.first() else {
            return Ok(());
        };
        self.title("Rencana Tindak Lanjut")?;
        let r = self.row;
        for (j, (h, _)) in first.iter().enumerate() {
            self.ws
                .write_string_with_format(r, j as u16, h, &self.head)?;
        }
        for (i, row) in u.plans.iter().enumerate() {
            for (j, (_, v)) in row.iter().enumerate() {
                self.ws.write_string(r + 1 + i as u32, j as u16, v)?;
            }
        }
        self.row = r + 2 + u.plans.len() as u32;
        Ok(())
    }
}

/// Writes the unit's workbook: one sheet, `SKM <tahun>`.
pub fn write(u: &UnitYear, path: &Path) -> Result<()> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(format!("SKM {}", u.tahun))?;
    ws.set_column_width(0, 30)?;
    for c in 1..=9 {
        ws.set_column_width(c, 13)?;
    }
    let mut s = Sheet {
        ws,
        row: 0,
        bold: Format::new().set_bold(),
        head: Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xD9D9D9))
            .set_align(FormatAlign::Center),
    };
    s.title(&format!(
        "Survei Kepuasan Masyarakat {} Tahun {}",
        u.unit_nama, u.tahun
    ))?;
    s.text("Angka dihitung ulang oleh skm dan dibulatkan setengah ke atas (NRR 3 desimal, IKM 2 desimal).")?;
    s.row += 1;
    for p in &u.periods {
        s.period(p, u)?;
    }
    s.year(u)?;
    if let Some(sa) = &u.sample {
        s.labelled("Sampel", &words::sampel(sa))?;
        s.row += 1;
    }
    s.profile(u)?;
    s.plans(u)?;
    s.title("Kategori (mutu pelayanan)")?;
    for (m, k, range) in words::LEGENDA {
        let r = s.row;
        let mut f = Format::new().set_align(FormatAlign::Center);
        if let Some(c) = fill(m) {
            f = f.set_background_color(c);
        }
        s.ws.write_string_with_format(r, 0, m, &f)?;
        s.ws.write_string(r, 1, format!("{k}: {range}"))?;
        s.row += 1;
    }
    // Built in memory and written with one call: hundreds of these per run.
    let bytes = wb
        .save_to_buffer()
        .with_context(|| format!("cannot build {}", path.display()))?;
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}
