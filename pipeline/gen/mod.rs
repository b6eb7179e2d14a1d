//! Generators of realistic submissions: exact survey waves from published NRR (for the demo
//! inbox and the tests), and the writers that lay a table out as CSV or XLSX the way units
//! send them. Deterministic for a seed.

use std::path::Path;

use anyhow::{Context, Result};

use crate::domain::UNSUR;

pub mod demo;
pub mod inbox;

/// One cell to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Empty,
    Text(String),
    Num(f64),
    /// A date written as an Excel date cell (CSV: `dd/mm/yyyy`).
    Date(i32, u32, u32),
}

impl Val {
    pub fn text(s: impl Into<String>) -> Val {
        Val::Text(s.into())
    }
}

/// A sheet as a unit lays it out: title rows, a header row, data rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub title: Vec<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Val>>,
}

pub use crate::rng::Rng;

/// Answers of one survey wave whose NRR per unsur is exactly `nrr_milli[k] / 1000`
/// (in `UNSUR` order): 1,001 respondents, 992 answering all nine unsur and nine who each
/// left one unsur blank, so every unsur has exactly 1,000 answers. The blanks make the
/// difference between "blank" and "zero" visible in the NRR.
pub fn exact_wave(nrr_milli: [u32; 9], seed: u64) -> Vec<[Option<u8>; 9]> {
    const FULL: usize = 992;
    let n_resp = FULL + 9;
    let mut rng = Rng::new(seed);
    let mut out = vec![[None; 9]; n_resp];
    for k in 0..9 {
        let sum = nrr_milli[k].clamp(1000, 4000) as usize;
        let base = (sum / 1000).clamp(1, 4);
        let extra = sum - base * 1000; // answers one point above base
        let mut scores: Vec<u8> = (0..1000)
            .map(|i| {
                if i < extra {
                    base as u8 + 1
                } else {
                    base as u8
                }
            })
            .collect();
        rng.shuffle(&mut scores);
        let answering: Vec<usize> = (0..n_resp).filter(|&r| r != FULL + k).collect();
        for (r, s) in answering.into_iter().zip(scores) {
            out[r][k] = Some(s);
        }
    }
    // Spread the nine partial respondents among the others.
    rng.shuffle(&mut out);
    out
}

/// How the unsur columns are headed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderStyle {
    /// U1–U9 (Kota Bekasi order), numbers as answers.
    Codes,
    /// Unsur names, numbers as answers, columns in another order.
    Names,
    /// Whole question texts (Permen PANRB 14/2017), answer words, columns in another order.
    Questions,
}

/// The question texts of Permen PANRB 14/2017, in `UNSUR` order.
pub const QUESTIONS: [&str; 9] = [
    "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
    "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?",
    "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
    "Bagaimana pendapat saudara perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
    "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
    "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
];

/// What a wave's table should carry besides the answers.
#[derive(Debug, Clone)]
pub struct WaveLayout {
    pub style: HeaderStyle,
    /// The unit as written in a unit column; `None`: no unit column (the title names it).
    pub unit_column: Option<String>,
    /// The period as written in a period column; `None`: no period column.
    pub periode_column: Option<String>,
    /// Survey dates are spread over these (year, month)s; empty: no date column.
    pub months: Vec<(i32, u32)>,
    /// Dates as form timestamps text (`15/10/2024 10:23:45`) instead of date cells.
    pub timestamps: bool,
    pub title: Vec<String>,
    /// Add the profile columns and personal-data columns a real form has.
    pub profile: bool,
    pub seed: u64,
}

const LAYANAN: [&str; 4] = [
    "Surat Keterangan Tidak Mampu",
    "Surat Keterangan Waris",
    "Surat Keterangan Domisili",
    "Rekomendasi Izin Keramaian",
];
const PENDIDIKAN: [&str; 6] = ["SD", "SMP", "SMA", "D3", "S1", "S2 ke atas"];
const PEKERJAAN: [&str; 5] = [
    "PNS",
    "Swasta",
    "Wiraswasta",
    "Pelajar/Mahasiswa",
    "Lainnya",
];

/// Lays the answers of a wave out as a table.
pub fn wave_table(answers: &[[Option<u8>; 9]], layout: &WaveLayout) -> Table {
    let mut rng = Rng::new(layout.seed.wrapping_add(7));
    let mut order: Vec<usize> = (0..9).collect();
    if layout.style != HeaderStyle::Codes {
        rng.shuffle(&mut order);
    }
    let mut header = vec!["No".to_string()];
    if layout.unit_column.is_some() {
        header.push("Unit Layanan".into());
    }
    if !layout.months.is_empty() {
        header.push(
            if layout.timestamps {
                "Cap waktu"
            } else {
                "Tanggal"
            }
            .into(),
        );
    }
    if layout.periode_column.is_some() {
        header.push("Periode".into());
    }
    if layout.profile {
        for h in [
            "Nama Responden",
            "No. HP",
            "Jenis Kelamin",
            "Umur",
            "Pendidikan",
            "Pekerjaan",
            "Jenis Layanan",
        ] {
            header.push(h.into());
        }
    }
    for &k in &order {
        header.push(match layout.style {
            HeaderStyle::Codes => UNSUR[k].kode.to_string(),
            HeaderStyle::Names => UNSUR[k].nama.to_string(),
            HeaderStyle::Questions => QUESTIONS[k].to_string(),
        });
    }
    if layout.profile {
        header.push("Saran dan Masukan".into());
    }
    let mut rows = Vec::with_capacity(answers.len());
    for (i, a) in answers.iter().enumerate() {
        let mut row = vec![Val::Num((i + 1) as f64)];
        if let Some(u) = &layout.unit_column {
            row.push(Val::text(u.clone()));
        }
        if !layout.months.is_empty() {
            let (y, m) = layout.months[i % layout.months.len()];
            let d = 1 + (i % 28) as u32;
            row.push(if layout.timestamps {
                Val::text(format!(
                    "{d:02}/{m:02}/{y} {:02}:{:02}:{:02}",
                    8 + i % 8,
                    i % 60,
                    (i * 7) % 60
                ))
            } else {
                Val::Date(y, m, d)
            });
        }
        if let Some(p) = &layout.periode_column {
            row.push(Val::text(p.clone()));
        }
        if layout.profile {
            row.push(Val::text(format!("Responden {}", i + 1)));
            row.push(Val::text(format!("0812{:08}", (i * 7919) % 100_000_000)));
            row.push(Val::text(if rng.below(2) == 0 {
                "Laki-laki"
            } else {
                "Perempuan"
            }));
            row.push(Val::Num((18 + rng.below(50)) as f64));
            row.push(Val::text(PENDIDIKAN[rng.below(PENDIDIKAN.len())]));
            row.push(Val::text(PEKERJAAN[rng.below(PEKERJAAN.len())]));
            row.push(Val::text(LAYANAN[rng.below(LAYANAN.len())]));
        }
        for &k in &order {
            row.push(match a[k] {
                None => Val::Empty,
                Some(s) => match layout.style {
                    HeaderStyle::Questions => Val::text(UNSUR[k].jawaban[s as usize - 1]),
                    _ => Val::Num(s as f64),
                },
            });
        }
        if layout.profile {
            row.push(if i % 5 == 0 {
                Val::text("Pelayanan sudah baik, pertahankan")
            } else {
                Val::Empty
            });
        }
        rows.push(row);
    }
    Table {
        title: layout.title.clone(),
        header,
        rows,
    }
}

/// A table as printed in a report (tab-separated lines, as in fixtures/reference/seed*.txt)
/// laid out as a sheet the way an operator copying it into Excel ends up with: every line a
/// row; a number written with a decimal point becomes a number cell; anything else (decimal
/// commas, codes such as 1.2.01, words) stays text. Markdown bold marks are removed.
pub fn printed_table(text: &str) -> Table {
    let clean = |s: &str| {
        s.replace("**", "")
            .replace("<b>", "")
            .replace("</b>", "")
            .trim()
            .to_string()
    };
    let rows = text
        .lines()
        .map(|line| {
            line.split('\t')
                .map(|c| {
                    let c = clean(c);
                    let plain = c.chars().all(|ch| ch.is_ascii_digit() || ch == '.')
                        && c.matches('.').count() <= 1
                        && !c.ends_with('.')
                        && !c.starts_with('.');
                    if c.is_empty() {
                        Val::Empty
                    } else if plain {
                        Val::Num(c.parse().expect("digits"))
                    } else {
                        Val::Text(c)
                    }
                })
                .collect()
        })
        .collect();
    Table {
        title: vec![],
        header: vec![],
        rows,
    }
}

fn csv_field(v: &Val) -> String {
    match v {
        Val::Empty => String::new(),
        Val::Text(s) => s.clone(),
        Val::Num(n) => crate::ingest::fmt_number(*n),
        Val::Date(y, m, d) => format!("{d:02}/{m:02}/{y}"),
    }
}

/// Writes a table as CSV with the given separator, optionally with a UTF-8 BOM.
pub fn write_csv(path: &Path, table: &Table, sep: u8, bom: bool) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut buf: Vec<u8> = Vec::new();
    if bom {
        buf.extend_from_slice(b"\xEF\xBB\xBF");
    }
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(sep)
            .flexible(true)
            .from_writer(&mut buf);
        for t in &table.title {
            w.write_record([t.as_str()])?;
        }
        if !table.header.is_empty() {
            w.write_record(&table.header)?;
        }
        for r in &table.rows {
            w.write_record(r.iter().map(csv_field))?;
        }
        w.flush()?;
    }
    std::fs::write(path, buf).with_context(|| format!("cannot write {}", path.display()))
}

/// Writes tables as the sheets of one XLSX workbook: title rows, then header, then rows;
/// numbers as numbers and dates as date cells.
pub fn write_xlsx(path: &Path, sheets: &[(&str, &Table)]) -> Result<()> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut wb = Workbook::new();
    let date_fmt = Format::new().set_num_format("dd/mm/yyyy");
    for (name, table) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name)?;
        let mut r: u32 = 0;
        for t in &table.title {
            ws.write_string(r, 0, t)?;
            r += 1;
        }
        if !table.header.is_empty() {
            for (c, h) in table.header.iter().enumerate() {
                ws.write_string(r, c as u16, h)?;
            }
            r += 1;
        }
        for row in &table.rows {
            for (c, v) in row.iter().enumerate() {
                let c = c as u16;
                match v {
                    Val::Empty => {}
                    Val::Text(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    Val::Num(n) => {
                        ws.write_number(r, c, *n)?;
                    }
                    Val::Date(y, m, d) => {
                        let dt = ExcelDateTime::from_ymd(*y as u16, *m as u8, *d as u8)?;
                        ws.write_datetime_with_format(r, c, &dt, &date_fmt)?;
                    }
                }
            }
            r += 1;
        }
    }
    wb.save(path)
        .with_context(|| format!("cannot write {}", path.display()))
}
