//! Follow-up plans (*rencana tindak lanjut*, RTL) for a unit's lowest unsur: skm's template
//! (`skm template rtl`: Unit | Tahun | Periode | Prioritas Unsur | … | Program/Kegiatan | Waktu
//! | Penanggung Jawab | Status) and the reports' printed table "Tabel 2. Rencana Tindak Lanjut
//! Perbaikan SKM" (seed 002 l.3518–3598: No | Prioritas Unsur as "U1. Persyaratan" |
//! Program/Kegiatan | Waktu as "Triwulan I" | Penanggung Jawab, the unit and the period of the
//! priorities named in the text above it, l.3508–3512).
//!
//! A row with a program is a plan: its unit (column, else the unit the title, sheet or file
//! names), the period whose priorities it answers (columns Tahun/Periode, else the title, sheet
//! or file), the unsur (by code or name, as questionnaire headers are read), the waktu (a period
//! and a year; without a year in the cell, the year of the priority period when the period named
//! ends after it, else the next year: "Triwulan I" planned from TW IV 2024 is TW1 2025, and
//! from the year 2024 too), the penanggung jawab and the status the unit reports. A row without a program
//! is not a plan (a template row left empty): skipped. Rows are tracked against the next survey
//! in gold (`compute::tindak_lanjut`).

use crate::domain::unsur::fold;
use crate::domain::{Periode, UNSUR};
use crate::ingest::{Cell, RawSheet};
use crate::normalize::around::around;
use crate::normalize::header::{Field, Mapped};
use crate::normalize::values::year_in_text;
use crate::normalize::{Context, Output, RejectCode, SheetKind, SheetOutcome};

use super::{data_rows, is_numbering_row, reject_row, Kind, Problem, SheetIn};

crate::labels! {
    /// How far a plan has gone, as the unit reports it (the template's Status drop-down;
    /// `tindak_lanjut.status_pelaksanaan`).
    pub enum StatusPelaksanaan {
        /// Not started ("Belum dilaksanakan").
        Belum = "belum",
        /// Under way ("Sedang berjalan").
        Berjalan = "berjalan",
        /// Done ("Selesai").
        Selesai = "selesai",
        /// Dropped ("Tidak dilaksanakan").
        Batal = "batal",
    }
}

impl StatusPelaksanaan {
    /// The words the template's drop-down offers.
    pub fn words(self) -> &'static str {
        match self {
            StatusPelaksanaan::Belum => "Belum dilaksanakan",
            StatusPelaksanaan::Berjalan => "Sedang berjalan",
            StatusPelaksanaan::Selesai => "Selesai",
            StatusPelaksanaan::Batal => "Tidak dilaksanakan",
        }
    }

    /// Reads a status as units write it: the drop-down's words, the codes, and the usual
    /// variants ("sudah dilaksanakan", "dalam proses", "100%").
    pub fn read(text: &str) -> Option<StatusPelaksanaan> {
        let f = fold(text);
        let f = f.as_str();
        use StatusPelaksanaan::*;
        // "tidak dilaksanakan" and "belum dilaksanakan" before "dilaksanakan".
        let table: [(&[&str], StatusPelaksanaan); 4] = [
            (
                &[
                    "tidak dilaksanakan",
                    "tidak terlaksana",
                    "batal",
                    "dibatalkan",
                    "tidak jadi",
                ],
                Batal,
            ),
            (
                &[
                    "belum",
                    "belum dilaksanakan",
                    "belum terlaksana",
                    "belum mulai",
                    "rencana",
                    "0",
                    "0 %",
                ],
                Belum,
            ),
            (
                &[
                    "sedang berjalan",
                    "berjalan",
                    "sedang dilaksanakan",
                    "dalam proses",
                    "proses",
                    "on progress",
                    "sedang",
                ],
                Berjalan,
            ),
            (
                &[
                    "selesai",
                    "sudah dilaksanakan",
                    "sudah",
                    "terlaksana",
                    "telah dilaksanakan",
                    "tuntas",
                    "100",
                    "100 %",
                ],
                Selesai,
            ),
        ];
        table
            .iter()
            .find(|(words, _)| words.contains(&f))
            .map(|(_, s)| *s)
    }
}

/// One plan as a unit states it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RtlRow {
    pub unit_id: String,
    /// The year and period whose priorities the plan answers.
    pub tahun: i32,
    pub periode: Periode,
    /// Index into `UNSUR`.
    pub unsur: usize,
    pub program: String,
    /// The planned waktu: a period and its year (`None` when the cell is empty).
    pub waktu: Option<(i32, Periode)>,
    /// The waktu as written.
    pub waktu_teks: String,
    pub penanggung_jawab: Option<String>,
    pub status: Option<StatusPelaksanaan>,
    pub source_file: String,
    pub sheet: String,
    pub source_row: u32,
}

/// Where each field stands (the first column naming it).
#[derive(Default)]
struct Columns {
    unit: Option<(usize, String)>,
    tahun: Option<(usize, String)>,
    periode: Option<(usize, String)>,
    unsur: Option<(usize, String)>,
    program: Option<(usize, String)>,
    waktu: Option<(usize, String)>,
    penanggung_jawab: Option<(usize, String)>,
    status: Option<(usize, String)>,
}

impl Columns {
    fn of(ctx: &Context<'_>, texts: &[String], mapping: &mut Vec<(String, String)>) -> Columns {
        let mut c = Columns::default();
        for (i, t) in texts.iter().enumerate() {
            let Some(f) = ctx.realisasi.field(Kind::Rtl, t) else {
                continue;
            };
            let slot = match f {
                "unit" => &mut c.unit,
                "tahun" => &mut c.tahun,
                "periode" => &mut c.periode,
                "unsur" => &mut c.unsur,
                "program" => &mut c.program,
                "waktu" => &mut c.waktu,
                "penanggung_jawab" => &mut c.penanggung_jawab,
                "status" => &mut c.status,
                _ => {
                    mapping.push((t.clone(), f.to_string()));
                    continue;
                }
            };
            if slot.is_none() {
                *slot = Some((i, t.clone()));
                mapping.push((t.clone(), f.to_string()));
            }
        }
        c
    }
}

/// The text of a column's cell, trimmed, lines joined ("SOSIALISASI\nKEPADA WARGA").
fn text(row: &[Cell], col: &Option<(usize, String)>) -> String {
    col.as_ref()
        .and_then(|(c, _)| row.get(*c))
        .map(|c| c.display().split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn problem(
    col: &Option<(usize, String)>,
    nilai: &str,
    kode: RejectCode,
    alasan: String,
) -> Problem {
    let kolom = col.as_ref().map(|(_, h)| h.as_str());
    Problem::at(kolom, nilai.to_string(), kode, alasan)
}

/// What the sheet says about itself, and what rows above carried down (merged cells).
struct RowReader<'a> {
    ctx: &'a Context<'a>,
    cols: Columns,
    sheet_unit: Option<String>,
    sheet_tahun: Option<i32>,
    sheet_periode: Option<Periode>,
    /// The unsur of the last plan, for a program continued under a merged unsur cell.
    last_unsur: Option<usize>,
}

/// Reads a follow-up plan sheet whose header is `th`.
pub fn read(s: SheetIn<'_>, out: &mut Output) -> SheetOutcome {
    let SheetIn { sheet, th, ctx } = s;
    let mut o = SheetOutcome::of(SheetKind::Rtl);
    let cols = Columns::of(ctx, &th.texts, &mut o.mapping);
    let a = around(sheet, th.row, ctx.registry);
    let mut reader = RowReader {
        ctx,
        cols,
        sheet_unit: a.unit_id,
        sheet_tahun: a.tahun,
        sheet_periode: a.periode,
        last_unsur: None,
    };
    for (_, row, source_row) in data_rows(sheet, th) {
        let texts: Vec<String> = row.iter().map(Cell::display).collect();
        let program = text(row, &reader.cols.program);
        let header_again = ctx.realisasi.detect(&texts) == Some(Kind::Rtl);
        if program.is_empty() || header_again || is_numbering_row(row) {
            o.skipped += 1;
            continue;
        }
        match reader.plan(row, program, sheet, source_row) {
            Ok(plan) => {
                o.rows_read += 1;
                o.accepted += 1;
                out.rtl.push(plan);
            }
            Err(problems) => reject_row(&mut o, sheet, source_row, problems, out),
        }
    }
    o
}

impl RowReader<'_> {
    /// A row with a program: the plan, or every problem found in it.
    fn plan(
        &mut self,
        row: &[Cell],
        program: String,
        sheet: &RawSheet,
        source_row: u32,
    ) -> Result<RtlRow, Vec<Problem>> {
        let mut problems = Vec::new();
        let unit_id = self.unit(row, &mut problems);
        let tahun = self.tahun(row, &mut problems);
        let periode = self.periode(row, &mut problems);
        let unsur = self.unsur(row, &mut problems);
        let waktu_teks = text(row, &self.cols.waktu);
        let status_teks = text(row, &self.cols.status);
        let status = StatusPelaksanaan::read(&status_teks);
        if status.is_none() && !status_teks.is_empty() {
            let words: Vec<&str> = StatusPelaksanaan::ALL.iter().map(|s| s.words()).collect();
            problems.push(problem(
                &self.cols.status,
                &status_teks,
                RejectCode::StatusTidakDikenal,
                format!(
                    "status tidak dikenal; pilih salah satu: {}",
                    words.join(", ")
                ),
            ));
        }
        let waktu = match (tahun, periode) {
            (Some(t), Some(p)) => self.waktu(&waktu_teks, t, p, &mut problems),
            _ => None,
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let (Some(unit_id), Some(tahun), Some(periode), Some(unsur)) =
            (unit_id, tahun, periode, unsur)
        else {
            unreachable!("a missing part is a problem");
        };
        self.last_unsur = Some(unsur);
        Ok(RtlRow {
            unit_id,
            tahun,
            periode,
            unsur,
            program,
            waktu,
            waktu_teks,
            penanggung_jawab: Some(text(row, &self.cols.penanggung_jawab))
                .filter(|t| !t.is_empty()),
            status,
            source_file: sheet.file.clone(),
            sheet: sheet.sheet.clone(),
            source_row,
        })
    }

    /// The unit: the row's unit column (matched against the registry), else the unit the
    /// title rows, sheet or file name.
    fn unit(&self, row: &[Cell], problems: &mut Vec<Problem>) -> Option<String> {
        let u = text(row, &self.cols.unit);
        if u.is_empty() {
            if self.sheet_unit.is_none() {
                problems.push(problem(
                    &self.cols.unit,
                    "",
                    RejectCode::UnitKosong,
                    "rencana tanpa unit: isi kolom Unit, atau sebut unitnya di judul, nama \
                     lembar atau nama berkas"
                        .into(),
                ));
            }
            return self.sheet_unit.clone();
        }
        match self.ctx.registry.lookup_fuzzy(&u) {
            Some((unit, _)) => Some(unit.unit_id.clone()),
            None => {
                let hint = self.ctx.registry.unknown_unit_hint(&u);
                problems.push(problem(
                    &self.cols.unit,
                    &u,
                    RejectCode::UnitTidakDikenal,
                    format!(
                        "unit ini tidak ada dalam daftar unit: rencananya tidak dapat \
                         dicocokkan dengan prioritas unit mana pun; {hint}"
                    ),
                ));
                None
            }
        }
    }

    /// The year of the priorities: the Tahun column, else the title, sheet or file name.
    fn tahun(&self, row: &[Cell], problems: &mut Vec<Problem>) -> Option<i32> {
        let t = text(row, &self.cols.tahun);
        if t.is_empty() {
            if self.sheet_tahun.is_none() {
                problems.push(problem(
                    &self.cols.tahun,
                    "",
                    RejectCode::PeriodeTidakDiketahui,
                    "tahun prioritas tidak diketahui: isi kolom Tahun, atau sebut tahunnya di \
                     judul atau nama berkas"
                        .into(),
                ));
            }
            return self.sheet_tahun;
        }
        let y = year_in_text(&t);
        if y.is_none() {
            problems.push(problem(
                &self.cols.tahun,
                &t,
                RejectCode::TahunTidakTerbaca,
                "tahun harus 4 angka".into(),
            ));
        }
        y
    }

    /// The period of the priorities: the Periode column, else the title, sheet or file name.
    fn periode(&self, row: &[Cell], problems: &mut Vec<Problem>) -> Option<Periode> {
        let p = text(row, &self.cols.periode);
        if p.is_empty() {
            if self.sheet_periode.is_none() {
                problems.push(problem(
                    &self.cols.periode,
                    "",
                    RejectCode::PeriodeTidakDiketahui,
                    "periode prioritas tidak diketahui: isi kolom Periode (TW1–TW4, S1, S2, \
                     Tahun), atau sebut periodenya di judul (\"unsur terendah periode \
                     Triwulan IV\")"
                        .into(),
                ));
            }
            return self.sheet_periode;
        }
        let read = Periode::parse(&p);
        if read.is_none() {
            problems.push(problem(
                &self.cols.periode,
                &p,
                RejectCode::PeriodeTidakTerbaca,
                "periode harus TW1–TW4, S1, S2 atau Tahun (\"Triwulan IV\", \"Semester I\")".into(),
            ));
        }
        read
    }

    /// The unsur, by code or name ("U1. Persyaratan", "Perilaku Pelaksana", "U8"), as
    /// questionnaire headers are read; an empty cell continues the unsur of the plan above
    /// (a merged cell over several programs).
    fn unsur(&self, row: &[Cell], problems: &mut Vec<Problem>) -> Option<usize> {
        let u = text(row, &self.cols.unsur);
        if u.is_empty() && self.last_unsur.is_some() {
            return self.last_unsur;
        }
        let found = match self.ctx.layout.map(&u) {
            Mapped::Field(Field::Unsur(i)) => return Some(i),
            Mapped::Ambiguous(fields) => format!(
                "menyebut lebih dari satu unsur ({})",
                fields
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ if u.is_empty() => "kosong".to_string(),
            _ => "bukan kode atau nama unsur".to_string(),
        };
        let names: Vec<String> = UNSUR
            .iter()
            .map(|x| format!("{} {}", x.kode, x.nama))
            .collect();
        problems.push(problem(
            &self.cols.unsur,
            &u,
            RejectCode::UnsurTidakDikenal,
            format!(
                "unsur prioritas {found}: rencananya tidak dapat dicocokkan; tulis kode dan \
                 nama unsur ({})",
                names.join("; ")
            ),
        ));
        None
    }

    /// The planned waktu: a period and a year. Without a year in the cell, the year of the
    /// priorities when the period ends after the priority period does, else the next year
    /// (a plan is carried out after the survey that made the priorities).
    fn waktu(
        &self,
        t: &str,
        tahun: i32,
        periode: Periode,
        problems: &mut Vec<Problem>,
    ) -> Option<(i32, Periode)> {
        if t.is_empty() {
            return None;
        }
        let named = Periode::parse(t)
            .or_else(|| crate::normalize::periode_in_text(t))
            .or_else(|| period_of_months(t));
        let Some(p) = named else {
            problems.push(problem(
                &self.cols.waktu,
                t,
                RejectCode::WaktuTidakTerbaca,
                "waktu harus sebuah periode atau bulan, boleh dengan tahunnya: TW1–TW4, S1, S2, \
                 Tahun, nama bulan (\"Triwulan I\", \"TW1 2025\", \"Semester II 2025\", \
                 \"Tahun 2025\", \"Maret 2025\", \"Januari - Juni 2025\")"
                    .into(),
            ));
            return None;
        };
        let year = year_in_text(t).unwrap_or_else(|| {
            if p.months().1 <= periode.months().1 {
                tahun + 1
            } else {
                tahun
            }
        });
        Some((year, p))
    }
}

/// The period months name ("Maret 2025": TW1; "Januari – Juni": S1; "Februari – April":
/// the year's first half; "Januari – Desember": the year): the shortest period holding the first
/// and the last month named.
fn period_of_months(t: &str) -> Option<Periode> {
    let f = fold(t);
    let found: Vec<u32> = f
        .split(' ')
        .filter_map(|w| {
            crate::normalize::values::MONTHS
                .iter()
                .find(|(name, _)| *name == w)
                .map(|(_, m)| *m)
        })
        .collect();
    let (first, last) = (*found.iter().min()?, *found.iter().max()?);
    Periode::holding(first, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waktu_named_by_months() {
        assert_eq!(period_of_months("Maret 2025"), Some(Periode::TW1));
        assert_eq!(period_of_months("Januari - Juni"), Some(Periode::S1));
        assert_eq!(
            period_of_months("Februari s.d. April 2025"),
            Some(Periode::S1)
        );
        assert_eq!(period_of_months("Agt - Des"), Some(Periode::S2));
        assert_eq!(period_of_months("Mei - Oktober"), Some(Periode::Tahun));
        assert_eq!(period_of_months("Oktober"), Some(Periode::TW4));
        assert_eq!(period_of_months("segera"), None);
    }

    #[test]
    fn statuses_as_units_write_them() {
        for s in StatusPelaksanaan::ALL {
            assert_eq!(StatusPelaksanaan::read(s.words()), Some(*s));
            assert_eq!(StatusPelaksanaan::read(s.as_str()), Some(*s));
        }
        assert_eq!(
            StatusPelaksanaan::read("Sudah dilaksanakan"),
            Some(StatusPelaksanaan::Selesai)
        );
        assert_eq!(
            StatusPelaksanaan::read("DALAM PROSES"),
            Some(StatusPelaksanaan::Berjalan)
        );
        assert_eq!(StatusPelaksanaan::read("mungkin"), None);
    }
}
