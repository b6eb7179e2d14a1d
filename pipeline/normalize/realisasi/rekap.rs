//! IKM recap sheets: `No | unit | Nilai IKM | Mutu` (004 lines 1385–1498, 001 lines
//! 1518–1625), optionally with n_responden, a period column or NRR per unsur; and the Bagian
//! Organisasi's layout with a column per period (001 lines 1389–1396), whose stated semester
//! and year values are recomputed by the semester rule and audited.

use std::collections::BTreeMap;

use crate::domain::number::Kind as NumKind;
use crate::domain::unsur::fold;
use crate::domain::yearly::Aturan;
use crate::domain::{ikm_from_nrr, semester_rule_of, Mutu, Periode, UNSUR};
use crate::ingest::{Cell, RawSheet};
use crate::normalize::header::{Field, Mapped};
use crate::normalize::values::year_in_text;
use crate::normalize::{periods_in_text, Context, Output, RejectCode, SheetKind, SheetOutcome};
use crate::registry::Unit;

use super::{
    agrees, data_rows, is_numbering_row, is_total_label, prologue, read_num, refused, reject_row,
    shown, Kind, Num, Problem, Prologue, SheetIn, Site, TableHeader,
};

/// One IKM value of a unit as a recap states it (or as recomputed from what it states).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RekapRow {
    pub unit_id: String,
    pub tahun: i32,
    pub periode: Periode,
    /// Full precision: as stated, or recomputed (NRR, semester rule).
    pub ikm: f64,
    pub n_responden: Option<i64>,
    /// Population served, when the recap states it.
    pub populasi: Option<i64>,
    /// NRR per unsur (`UNSUR` order) when the recap states them.
    pub nrr: Option<[f64; 9]>,
    /// On TAHUN rows: `semester` (recomputed from the periods) or `tertulis` (as stated).
    pub aturan: Option<Aturan>,
    pub source_file: String,
    pub sheet: String,
    pub source_row: u32,
}

/// An IKM column.
#[derive(Debug, Clone)]
struct IkmCol {
    col: usize,
    /// The period the header names; `None`: from a period column, else the year.
    periode: Option<Periode>,
    /// A stated mean ("Nilai Rata-Rata IKM SM II"): recomputed and audited.
    rata: bool,
    header: String,
    /// The year the header names ("IKM 2023"), used when the columns name different years.
    tahun: Option<i32>,
}

fn ikm_col(col: usize, text: &str) -> IkmCol {
    let f = fold(text);
    // A quarter or semester named beats `Tahun`, which names the year too (`Nilai IKM
    // Semester I Tahun 2024` is S1).
    // Several (`IKM Tahun 2024 (TW I - TW IV)`, `Nilai IKM TW I - TW II`): the period that
    // holds them all.
    let named = periods_in_text(text);
    let parts: Vec<Periode> = named
        .iter()
        .copied()
        .filter(|p| *p != Periode::Tahun)
        .collect();
    let periode = crate::normalize::around::covering(&parts).or_else(|| {
        let yearly = f.split(' ').any(|w| w == "tahun" || w == "tahunan");
        (yearly || named.contains(&Periode::Tahun)).then_some(Periode::Tahun)
    });
    IkmCol {
        col,
        periode,
        rata: f.contains("rata"),
        header: text.to_string(),
        tahun: year_in_text(text),
    }
}

impl IkmCol {
    /// The period of a value in this column on a row whose period column says `row_periode`.
    fn periode_on(&self, row_periode: Option<Periode>) -> Periode {
        self.periode.or(row_periode).unwrap_or(Periode::Tahun)
    }
}

/// A column and its header text.
#[derive(Debug, Clone, Copy)]
struct Column<'t> {
    col: usize,
    header: &'t str,
}

/// A column of NRR for one unsur.
struct NrrCol<'t> {
    at: Column<'t>,
    /// Index in `UNSUR`.
    unsur: usize,
}

/// Where each field stands in the sheet, worked out once from the header.
struct Columns<'t> {
    unit: Column<'t>,
    tahun: Option<Column<'t>>,
    periode: Option<Column<'t>>,
    n_responden: Option<Column<'t>>,
    populasi: Option<Column<'t>>,
    mutu: Option<usize>,
    kinerja: Option<usize>,
    ikm: Vec<IkmCol>,
    nrr: Vec<NrrCol<'t>>,
    /// The IKM columns name different years ("IKM 2023 | IKM 2024"): each gives its own year.
    per_year: bool,
    /// The header's cells, folded (to spot the header repeated at a page break).
    header_folded: Vec<String>,
}

impl<'t> Columns<'t> {
    /// The columns, and the mapping `header → field` for the sheet's outcome; `None` for the
    /// columns when none is the unit's (a header told a recap by its first row, whose second
    /// row, glued on, changed the unit's heading).
    fn of(th: &'t TableHeader, ctx: &Context<'_>) -> (Option<Columns<'t>>, Vec<(String, String)>) {
        let mut field_col: BTreeMap<&str, usize> = BTreeMap::new();
        let mut ikm = Vec::new();
        let mut nrr = Vec::new();
        let mut mapping = Vec::new();
        for (c, t) in th.texts.iter().enumerate() {
            match ctx.realisasi.field(Kind::Rekap, t) {
                Some("ikm") => ikm.push(ikm_col(c, t)),
                Some(f) => {
                    field_col.entry(f).or_insert(c);
                }
                None => {
                    if let Mapped::Field(Field::Unsur(k)) = ctx.layout.map(t) {
                        let at = Column { col: c, header: t };
                        nrr.push(NrrCol { at, unsur: k });
                    }
                }
            }
            if let Some(f) = ctx.realisasi.field(Kind::Rekap, t) {
                mapping.push((t.clone(), f.to_string()));
            }
        }
        let column = |f: &str| {
            field_col.get(f).map(|&col| Column {
                col,
                header: th.texts[col].as_str(),
            })
        };
        let mut years: Vec<i32> = ikm.iter().filter_map(|c: &IkmCol| c.tahun).collect();
        years.sort_unstable();
        years.dedup();
        let Some(unit) = column("unit") else {
            return (None, mapping);
        };
        let columns = Columns {
            unit,
            tahun: column("tahun"),
            periode: column("periode"),
            n_responden: column("n_responden"),
            populasi: column("populasi"),
            mutu: field_col.get("mutu").copied(),
            kinerja: field_col.get("kinerja").copied(),
            ikm,
            nrr,
            per_year: years.len() > 1,
            header_folded: th.texts.iter().map(|t| fold(t)).collect(),
        };
        (Some(columns), mapping)
    }
}

fn cell<'r>(row: &'r [Cell<'_>], c: usize) -> &'r Cell<'r> {
    row.get(c).unwrap_or(&Cell::Empty)
}

/// A problem at a column (its header and the value found).
fn at(row: &[Cell], column: Column<'_>, kode: RejectCode, alasan: String) -> Problem {
    Problem::at(
        Some(column.header),
        cell(row, column.col).display(),
        kode,
        alasan,
    )
}

/// Reads an IKM recap whose header is `th`: its columns resolved once (`Columns`), a recap
/// naming no year refused as a whole, then each row read (`RowReader::read`) and an accepted
/// row's periods worked out and checked (`accept`); the closing average rows last (`Closing`).
pub fn read(s: SheetIn<'_>, out: &mut Output) -> SheetOutcome {
    let SheetIn { sheet, th, ctx } = s;
    let Prologue {
        outcome: mut o,
        tahun: sheet_year,
        periode: sheet_periode,
        ..
    } = prologue(s, SheetKind::RekapIkm);
    let (cols, mapping) = Columns::of(th, ctx);
    o.mapping = mapping;
    let Some(cols) = cols else {
        return refused(
            sheet,
            th,
            o,
            out,
            RejectCode::UnitTidakDiketahui,
            without_unit(th),
        );
    };
    if cols.tahun.is_none() && sheet_year.is_none() {
        return without_year(sheet, th, o, out);
    }
    let mut reader = RowReader {
        cols: &cols,
        ctx,
        sheet_year,
        sheet_periode,
        above: Above::default(),
    };
    let mut closing = Closing {
        column_values: vec![Vec::new(); cols.ikm.len()],
        rows: Vec::new(),
    };
    // Where the accepted values' periods came from (`files.periode_dari`; none: the year).
    let mut periode_dari: std::collections::BTreeSet<&str> = Default::default();
    for (r, row, source_row) in data_rows(sheet, th) {
        match reader.read(row, source_row) {
            Row::Skipped => o.skipped += 1,
            Row::Closing => {
                o.skipped += 1;
                closing.rows.push(r);
            }
            Row::Rejected(problems) => reject_row(&mut o, sheet, source_row, problems, out),
            Row::Accepted(stated) => {
                o.rows_read += 1;
                for v in &stated.values {
                    closing.column_values[v.i].push(v.n.f64());
                    // (A heading's period is the column's own.)
                    let heading = cols.ikm[v.i].periode.map(|_| "kolom");
                    periode_dari.extend(heading.or(stated.periode_dari));
                }
                if stated.values.is_empty() {
                    periode_dari.extend(stated.periode_dari);
                }
                accept(&stated, &cols, sheet, row, out);
                o.accepted += 1;
            }
        }
    }
    closing.check(sheet, &cols, sheet_year, out);
    o.periode_dari =
        (!periode_dari.is_empty()).then(|| periode_dari.into_iter().collect::<Vec<_>>().join("; "));
    o
}

/// A recap that names no year anywhere is refused as a whole.
fn without_year(
    sheet: &RawSheet,
    th: &TableHeader,
    o: SheetOutcome,
    out: &mut Output,
) -> SheetOutcome {
    let alasan = "rekap IKM tanpa tahun: tidak ada kolom tahun, dan judul, judul kolom maupun \
                  nama berkas tidak menyebut tahun (4 angka)";
    refused(
        sheet,
        th,
        o,
        out,
        RejectCode::TahunTidakDiketahui,
        alasan.into(),
    )
}

/// Why a recap with no unit column is refused: its headings as read, and what to do.
fn without_unit(th: &TableHeader) -> String {
    format!(
        "rekap IKM tanpa kolom unit: judul kolom terbaca {:?} (baris kedua judul digabung ke \
         baris pertama); beri kolom unit judul \"Unit\", \"OPD\" atau \"Perangkat Daerah\" \
         dalam satu baris, lalu kirim ulang",
        th.texts
    )
}

/// What became of one row. (Made and consumed one row at a time, never stored.)
#[allow(clippy::large_enum_variant)]
enum Row<'a> {
    /// Blank, column numbering, the header repeated, a note under the table.
    Skipped,
    /// A closing "Jumlah"/"Rata-rata" row: checked against the column's values at the end.
    Closing,
    /// Every problem found in the row (at least one).
    Rejected(Vec<Problem>),
    Accepted(Stated<'a>),
}

/// A value stated in an IKM column.
struct IkmValue {
    /// Index in `Columns::ikm`.
    i: usize,
    n: Num,
}

/// What an accepted row states.
struct Stated<'a> {
    source_row: u32,
    unit: &'a Unit,
    /// Matched by a name within one or two letters of the registry's.
    approximate: bool,
    unit_text: String,
    tahun: i32,
    /// The row's period column (or the one above it, or the title's).
    periode: Option<Periode>,
    /// Where `periode` came from: `kolom`, `sel_di_atas` (a blank cell under one: merged),
    /// `judul`.
    periode_dari: Option<&'static str>,
    values: Vec<IkmValue>,
    nrr: [Option<f64>; 9],
    /// The IKM of the stated NRR, when the recap has NRR columns.
    nrr_ikm: Option<f64>,
    n_responden: Option<i64>,
    populasi: Option<i64>,
}

/// Reads the rows of one sheet, with what every row shares.
struct RowReader<'a> {
    cols: &'a Columns<'a>,
    ctx: &'a Context<'a>,
    sheet_year: Option<i32>,
    /// The quarter or semester the title or the names give (`Prologue::periode`).
    sheet_periode: Option<Periode>,
    /// What the rows above left in the unit and period columns.
    above: Above,
}

/// The last unit text and period read from their columns: a cell merged down several rows
/// holds its value in the first only (`Semester I` over the units of a semester, a unit over
/// its quarters).
#[derive(Default)]
struct Above {
    unit: Option<String>,
    /// The periods the unit above has had since its name (a blank unit cell on a row of a
    /// period it already had is not the same unit's).
    unit_periods: Vec<Periode>,
    /// `Some(None)`: the period above could not be read (the rows under it are not filed
    /// under an older one).
    periode: Option<Option<Periode>>,
}

impl<'a> RowReader<'a> {
    /// Reads a row (`source_row`: its number in the sheet).
    fn read(&mut self, row: &[Cell], source_row: u32) -> Row<'a> {
        if let Some(skip) = self.not_data(row) {
            return skip;
        }
        let unit_text = self.unit_text(row);
        let mut problems = Vec::new();
        let unit = self.unit(row, &unit_text, &mut problems);
        let tahun = self.tahun(row, &mut problems);
        let (periode, periode_dari) = self.periode(row, &mut problems).unzip();
        let values = self.ikm(row, &mut problems);
        let nrr = self.nrr(row, &mut problems);
        let n_responden = self.count(
            row,
            self.cols.n_responden,
            "jumlah responden",
            &mut problems,
        );
        let populasi = self.count(row, self.cols.populasi, "populasi", &mut problems);
        let nrr_ikm = if self.cols.nrr.is_empty() {
            None
        } else {
            ikm_from_nrr(&nrr)
        };
        if problems.is_empty() && values.is_empty() && nrr_ikm.is_none() {
            problems.push(Problem {
                kolom: String::new(),
                nilai: String::new(),
                kode: RejectCode::TanpaNilai,
                alasan: "baris tanpa nilai IKM".into(),
            });
        }
        if problems.is_empty() && tahun.is_none() {
            // A blank year cell on a sheet whose title, headers and name give no year.
            problems.push(Problem {
                kolom: self
                    .cols
                    .tahun
                    .as_ref()
                    .map(|c| c.header.to_string())
                    .unwrap_or_default(),
                nilai: String::new(),
                kode: RejectCode::PeriodeTidakDiketahui,
                alasan: "tahun baris ini kosong, dan judul, judul kolom maupun nama berkas tidak \
                         menyebut tahun (4 angka)"
                    .into(),
            });
        }
        let (Some((unit, approximate)), Some(tahun), true) = (unit, tahun, problems.is_empty())
        else {
            return Row::Rejected(problems);
        };
        Row::Accepted(Stated {
            source_row,
            unit,
            approximate,
            unit_text,
            tahun,
            periode,
            periode_dari,
            values,
            nrr,
            nrr_ikm,
            n_responden,
            populasi,
        })
    }

    /// Why the row is not data, if it is not.
    fn not_data(&self, row: &[Cell]) -> Option<Row<'a>> {
        if row.iter().all(Cell::is_empty) || is_numbering_row(row) {
            return Some(Row::Skipped);
        }
        let repeated = row
            .iter()
            .map(|c| fold(&c.display()))
            .zip(&self.cols.header_folded)
            .filter(|(a, b)| !b.is_empty() && a == *b)
            .count();
        if repeated >= 2 {
            return Some(Row::Skipped); // header repeated at a page break
        }
        let unit_col = self.cols.unit.col;
        if row
            .iter()
            .take(unit_col + 1)
            .any(|c| is_total_label(&c.display()))
        {
            return Some(Row::Closing);
        }
        let no_value = self.cols.ikm.iter().all(|ic| cell(row, ic.col).is_empty());
        if cell(row, unit_col).display().is_empty() && no_value {
            return Some(Row::Skipped); // a note under the table ("Sumber : …")
        }
        None
    }

    fn unit(
        &self,
        row: &[Cell],
        unit_text: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<(&'a Unit, bool)> {
        let unit = self.ctx.registry.lookup_fuzzy(unit_text);
        if unit.is_none() {
            let hint = self.ctx.registry.unknown_unit_hint(unit_text);
            problems.push(at(
                row,
                self.cols.unit,
                RejectCode::UnitTidakDikenal,
                format!("unit ini tidak ada dalam daftar unit; {hint}"),
            ));
        }
        unit
    }

    /// The year: the row's year column, else the year the sheet names.
    fn tahun(&self, row: &[Cell], problems: &mut Vec<Problem>) -> Option<i32> {
        let Some(c) = self.cols.tahun.filter(|c| !cell(row, c.col).is_empty()) else {
            return self.sheet_year;
        };
        match cell(row, c.col).display().trim().parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => Some(y),
            _ => {
                let alasan = "tahun harus 4 angka".into();
                problems.push(at(row, c, RejectCode::TahunTidakTerbaca, alasan));
                None
            }
        }
    }

    /// The row's period and where it came from: its period column's, else (blank there: a
    /// cell merged down) the one above it in the column, else the one the title or the names
    /// give.
    fn periode(
        &mut self,
        row: &[Cell],
        problems: &mut Vec<Problem>,
    ) -> Option<(Periode, &'static str)> {
        let title = || self.sheet_periode.map(|p| (p, "judul"));
        let Some(c) = self.cols.periode.filter(|c| !cell(row, c.col).is_empty()) else {
            let Some(c) = self.cols.periode else {
                return title();
            };
            return match self.above.periode {
                Some(Some(p)) => Some((p, "sel_di_atas")),
                Some(None) => {
                    let alasan = "sel periode kosong, dan periode di atasnya (sel yang \
                                  digabung) tidak terbaca; tulis TW1–TW4, S1 atau S2 di sel itu"
                        .into();
                    problems.push(at(row, c, RejectCode::PeriodeTidakTerbaca, alasan));
                    None
                }
                None => title(),
            };
        };
        let p = Periode::parse(&cell(row, c.col).display());
        self.above.periode = Some(p);
        if p.is_none() {
            let alasan = format!(
                "periode tidak terbaca; tulis salah satu: {}",
                Periode::FORMS
            );
            problems.push(at(row, c, RejectCode::PeriodeTidakTerbaca, alasan));
        }
        p.map(|p| (p, "kolom"))
    }

    /// The row's unit as written: its unit cell, or, blank there on a row that names its own
    /// period, the unit above (a unit's cell merged down over its periods) when that unit has
    /// not had this period yet.
    fn unit_text(&mut self, row: &[Cell]) -> String {
        let text = cell(row, self.cols.unit.col).display();
        let own = (self.cols.periode)
            .filter(|c| !cell(row, c.col).is_empty())
            .and_then(|c| Periode::parse(&cell(row, c.col).display()));
        let above = &mut self.above;
        if !text.trim().is_empty() {
            above.unit = Some(text.clone());
            above.unit_periods = own.into_iter().collect();
            return text;
        }
        if let (Some(p), Some(unit)) = (own, above.unit.clone()) {
            if !above.unit_periods.contains(&p) {
                above.unit_periods.push(p);
                return unit;
            }
        }
        text
    }

    /// The values of the IKM columns.
    fn ikm(&self, row: &[Cell], problems: &mut Vec<Problem>) -> Vec<IkmValue> {
        let mut values = Vec::new();
        for (i, ic) in self.cols.ikm.iter().enumerate() {
            match read_num(cell(row, ic.col), NumKind::Ikm) {
                Ok(Some(n)) => values.push(IkmValue { i, n }),
                Ok(None) => {}
                Err(e) => {
                    let column = Column {
                        col: ic.col,
                        header: &ic.header,
                    };
                    let alasan = format!("nilai IKM: {e}");
                    problems.push(at(row, column, RejectCode::AngkaTidakTerbaca, alasan));
                }
            }
        }
        values
    }

    /// The NRR per unsur.
    fn nrr(&self, row: &[Cell], problems: &mut Vec<Problem>) -> [Option<f64>; 9] {
        let mut nrr = [None; 9];
        for c in &self.cols.nrr {
            match read_num(cell(row, c.at.col), NumKind::Nrr) {
                Ok(v) => nrr[c.unsur] = v.map(|n| n.f64()),
                Err(e) => {
                    let alasan = format!("NRR {}: {e}", UNSUR[c.unsur].nama);
                    problems.push(at(row, c.at, RejectCode::AngkaTidakTerbaca, alasan));
                }
            }
        }
        nrr
    }

    /// A whole, non-negative count (respondents, population).
    fn count(
        &self,
        row: &[Cell],
        column: Option<Column<'_>>,
        what: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<i64> {
        let c = column?;
        match read_num(cell(row, c.col), NumKind::Money) {
            Ok(Some(n)) if n.value.fract().is_zero() && n.f64() >= 0.0 => Some(n.f64() as i64),
            Ok(None) => None,
            _ => {
                let alasan = format!("{what} harus bilangan bulat");
                problems.push(at(row, c, RejectCode::AngkaTidakTerbaca, alasan));
                None
            }
        }
    }
}

/// The IKM of one period and how it was found (`aturan`, on TAHUN rows).
type Emitted = BTreeMap<Periode, (f64, Option<Aturan>)>;

/// An accepted row: its findings, and a recap row per period (as stated, or by the semester
/// rule).
fn accept(s: &Stated<'_>, cols: &Columns<'_>, sheet: &RawSheet, row: &[Cell], out: &mut Output) {
    let site = &Site {
        sheet,
        source_row: s.source_row,
        unit_id: Some(s.unit.unit_id.clone()),
        tahun: Some(s.tahun),
    };
    if s.approximate {
        // Matched by a name within one or two letters: said, never silent.
        out.findings.push(
            site.finding(
                "nama_unit",
                s.unit_text.clone(),
                s.unit.nama.clone(),
                None,
                "nama unit tidak persis sama dengan daftar unit; dicocokkan dengan nama terdekat"
                    .into(),
            ),
        );
    }
    let mut by_period = by_period(s, cols, sheet, out);
    if let Some(ikm) = s.nrr_ikm {
        check_nrr(s, cols, ikm, site, out);
        by_period
            .base
            .insert(s.periode.unwrap_or(Periode::Tahun), ikm);
    }
    let emitted = by_period.semester_rule(site, out);
    check_labels(&emitted, cols, row, site, out);
    for (p, (v, aturan)) in emitted {
        out.recap.push(s.recap(sheet, p, v, aturan));
    }
}

impl Stated<'_> {
    /// The row's recap row for period `periode`.
    fn recap(
        &self,
        sheet: &RawSheet,
        periode: Periode,
        ikm: f64,
        aturan: Option<Aturan>,
    ) -> RekapRow {
        RekapRow {
            unit_id: self.unit.unit_id.clone(),
            tahun: self.tahun,
            periode,
            ikm,
            n_responden: self.n_responden,
            populasi: self.populasi,
            nrr: (self.nrr_ikm.is_some() && periode == self.periode.unwrap_or(Periode::Tahun))
                .then(|| self.nrr.map(|x| x.unwrap_or(f64::NAN))),
            aturan,
            source_file: sheet.file.clone(),
            sheet: sheet.sheet.clone(),
            source_row: self.source_row,
        }
    }
}

/// A row's IKM by period as stated, and the stated means to check against the semester rule.
struct ByPeriod<'c> {
    base: BTreeMap<Periode, f64>,
    means: Vec<(Periode, Num, &'c IkmCol)>,
}

/// The stated values by period; a column without a period is the row's period or the year.
/// Columns naming different years each give their own recap row, as stated.
fn by_period<'c>(
    s: &Stated<'_>,
    cols: &'c Columns<'_>,
    sheet: &RawSheet,
    out: &mut Output,
) -> ByPeriod<'c> {
    let mut by = ByPeriod {
        base: BTreeMap::new(),
        means: Vec::new(),
    };
    for v in &s.values {
        let ic = &cols.ikm[v.i];
        let p = ic.periode_on(s.periode);
        if let (true, Some(y)) = (cols.per_year, ic.tahun) {
            // "IKM 2023 | IKM 2024": each column is its own year, as stated.
            let aturan = (p == Periode::Tahun).then_some(Aturan::Tertulis);
            out.recap.push(RekapRow {
                tahun: y,
                n_responden: None,
                populasi: None,
                nrr: None,
                ..s.recap(sheet, p, v.n.f64(), aturan)
            });
            continue;
        }
        let is_mean = ic.rata && matches!(p, Periode::S1 | Periode::S2 | Periode::Tahun);
        if is_mean || (p == Periode::Tahun && cols.ikm.len() > 1) {
            by.means.push((p, v.n, ic));
        } else {
            by.base.insert(p, v.n.f64());
        }
    }
    by
}

/// The stated IKM of the row's period against the mean of its nine NRR × 25.
fn check_nrr(s: &Stated<'_>, cols: &Columns<'_>, ikm: f64, site: &Site<'_>, out: &mut Output) {
    let p = s.periode.unwrap_or(Periode::Tahun);
    let Some(v) = s
        .values
        .iter()
        .find(|v| cols.ikm[v.i].periode_on(s.periode) == p)
    else {
        return;
    };
    if !agrees(&v.n, ikm) {
        out.findings.push(site.finding(
            "ikm",
            cols.ikm[v.i].header.clone() + ": " + &v.n.value.to_string(),
            shown(&v.n, ikm),
            Some(v.n.f64() - ikm),
            "IKM tertulis tidak sama dengan rata-rata 9 NRR × 25".into(),
        ));
    }
}

impl ByPeriod<'_> {
    /// The semester rule (domain::semester_rule_of): the semesters and the year a row does not
    /// state are computed; a stated mean is checked against its computation, or else taken
    /// as stated.
    fn semester_rule(self, site: &Site<'_>, out: &mut Output) -> Emitted {
        let base = self.base;
        let get = |p: Periode| base.get(&p).copied();
        let (s1, s2, year) = semester_rule_of(get);
        let mut computed: BTreeMap<Periode, f64> = BTreeMap::new();
        if !base.contains_key(&Periode::S1) {
            if let Some(v) = s1.filter(|_| base.contains_key(&Periode::TW1)) {
                computed.insert(Periode::S1, v);
            }
        }
        if !base.contains_key(&Periode::S2) {
            if let Some(v) = s2.filter(|_| base.contains_key(&Periode::TW3)) {
                computed.insert(Periode::S2, v);
            }
        }
        if let (false, Some(y)) = (base.contains_key(&Periode::Tahun), year) {
            computed.insert(Periode::Tahun, y);
        }
        let aturan = |p: Periode, a: Aturan| (p == Periode::Tahun).then_some(a);
        let mut emitted: Emitted = base
            .iter()
            .map(|(p, v)| (*p, (*v, aturan(*p, Aturan::Tertulis))))
            .collect();
        for (p, v) in &computed {
            emitted.insert(*p, (*v, aturan(*p, Aturan::Semester)));
        }
        for (p, n, ic) in &self.means {
            let Some(&v) = computed.get(p) else {
                emitted.insert(*p, (n.f64(), aturan(*p, Aturan::Tertulis)));
                continue;
            };
            if !agrees(n, v) {
                out.findings.push(site.finding(
                    if *p == Periode::Tahun {
                        "ikm_tahun"
                    } else {
                        "ikm_semester"
                    },
                    n.value.to_string(),
                    shown(n, v),
                    Some(n.f64() - v),
                    format!("'{}' dihitung ulang dengan aturan semester", ic.header),
                ));
            }
        }
        emitted
    }
}

/// The grade and kinerja labels, checked against the headline figure (the year, else the
/// last period).
fn check_labels(
    emitted: &Emitted,
    cols: &Columns<'_>,
    row: &[Cell],
    site: &Site<'_>,
    out: &mut Output,
) {
    let headline = emitted
        .get(&Periode::Tahun)
        .or_else(|| {
            emitted
                .iter()
                .max_by_key(|(p, _)| p.order())
                .map(|(_, v)| v)
        })
        .map(|(v, _)| *v);
    for (f, c) in [("mutu", cols.mutu), ("kinerja", cols.kinerja)] {
        let (Some(c), Some(h)) = (c, headline) else {
            continue;
        };
        let label = cell(row, c).display();
        if label.is_empty() {
            continue;
        }
        let want = Mutu::of_ikm(h);
        if Mutu::parse(&label) != want {
            let hitung = want
                .map(|m| format!("{} ({})", m.letter(), m.kinerja()))
                .unwrap_or_else(|| "-".into());
            out.findings.push(site.finding(
                f,
                label,
                hitung,
                None,
                format!(
                    "label tidak sesuai nilai IKM {:.2}",
                    crate::domain::round_half_up(h, 2).unwrap_or(h)
                ),
            ));
        }
    }
}

/// The closing average rows, checked after the table: each stated mean against the mean of
/// the column's stated values.
struct Closing {
    /// Stated values per IKM column.
    column_values: Vec<Vec<f64>>,
    /// The closing rows (0-based in the sheet).
    rows: Vec<usize>,
}

impl Closing {
    fn check(
        &self,
        sheet: &RawSheet,
        cols: &Columns<'_>,
        sheet_year: Option<i32>,
        out: &mut Output,
    ) {
        for &r in &self.rows {
            let site = Site {
                sheet,
                source_row: (sheet.first_row + r) as u32,
                unit_id: None,
                tahun: sheet_year,
            };
            for (ic, values) in cols.ikm.iter().zip(&self.column_values) {
                let Ok(Some(n)) = read_num(cell(&sheet.rows[r], ic.col), NumKind::Ikm) else {
                    continue;
                };
                if values.is_empty() {
                    continue;
                }
                let m = mean(values);
                if !agrees(&n, m) {
                    out.findings.push(site.finding(
                        "rata_rata",
                        n.value.to_string(),
                        format!("{m:.4}"),
                        Some(n.f64() - m),
                        format!(
                            "rata-rata '{}' dari {} unit adalah {m:.4} (dibulatkan {})",
                            ic.header,
                            values.len(),
                            shown(&n, m)
                        ),
                    ));
                }
            }
        }
    }
}

fn mean(v: &[f64]) -> f64 {
    // (only the closing average rows use it)
    v.iter().sum::<f64>() / v.len() as f64
}
