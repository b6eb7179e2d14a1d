//! Budget realization sheets: kode, uraian (program → kegiatan → sub kegiatan), pagu murni
//! and/or perubahan, realisasi, stated percentages and differences (001 Tabel 2.6 lines
//! 659–745 and Tabel 3.36 lines 1842–1900; 003 Tabel 3.24 lines 1393–1406). Every subtotal is
//! recomputed from its children, every total from its programs.

use std::collections::BTreeMap;

use rust_decimal::prelude::*;

use crate::domain::number::{Kind as NumKind, NumError};
use crate::domain::unsur::fold;
use crate::ingest::{Cell, RawSheet};
use crate::normalize::{Context, Output, RejectCode, SheetKind, SheetOutcome};

use super::{
    agrees_percent, data_rows, is_numbering_row, is_total_label, prologue, read_num, refused,
    reject_row, shown, Finding, Kind, Num, Problem, Prologue, SheetIn, Site, TableHeader,
};

crate::labels! {
    /// Where a budget line stands (`anggaran.level`).
    pub enum Level {
        /// A line named "Program …" (or, without any, a top-level code).
        Program = "program",
        Kegiatan = "kegiatan",
        SubKegiatan = "sub_kegiatan",
        /// The unit's own line, above or outside the programs.
        Organisasi = "organisasi",
        /// A closing total row.
        Total = "total",
        /// No code to place it.
        Lainnya = "lainnya",
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AnggaranRow {
    pub unit_id: Option<String>,
    pub tahun: Option<i32>,
    pub kode: Option<String>,
    pub uraian: String,
    pub level: Level,
    /// The code of the line this one adds up into.
    pub induk: Option<String>,
    pub pagu_murni: Option<Decimal>,
    pub pagu_perubahan: Option<Decimal>,
    pub realisasi: Option<Decimal>,
    pub persen_tertulis: Option<Decimal>,
    pub selisih_tertulis: Option<Decimal>,
    /// Half the unit of the last digit each amount (as `Uang::ALL`: pagu murni, pagu
    /// perubahan, realisasi) was written to when it is written rounded (`half_unit`: `2,5 M`
    /// is ±50.000.000); zero for an amount written to the rupiah. A subtotal or total is off
    /// only beyond its own and its lines' (`Mismatch`).
    #[serde(default)]
    pub pembulatan: [Decimal; 3],
    pub source_file: String,
    pub sheet: String,
    pub source_row: u32,
}

impl AnggaranRow {
    /// The pagu absorption is measured against: after the change when there is one.
    pub fn pagu(&self) -> Option<Decimal> {
        self.pagu_perubahan.or(self.pagu_murni)
    }

    /// Serapan = realisasi ÷ pagu × 100.
    pub fn serapan(&self) -> Option<f64> {
        let p = self.pagu()?;
        if p.is_zero() {
            return None;
        }
        self.realisasi?
            .checked_div(p)?
            .checked_mul(Decimal::from(100))?
            .to_f64()
    }

    /// Sisa = pagu − realisasi.
    pub fn sisa(&self) -> Option<Decimal> {
        Some(self.pagu()? - self.realisasi?)
    }
}

crate::labels! {
    /// The rupiah columns that add up: a subtotal is the sum of its children in each.
    pub enum Uang {
        PaguMurni = "pagu_murni",
        PaguPerubahan = "pagu_perubahan",
        Realisasi = "realisasi",
    }
}

impl Uang {
    fn of(self, r: &AnggaranRow) -> Option<Decimal> {
        match self {
            Uang::PaguMurni => r.pagu_murni,
            Uang::PaguPerubahan => r.pagu_perubahan,
            Uang::Realisasi => r.realisasi,
        }
    }

    /// How far the amount may be from the exact one for its rounding (`pembulatan`).
    fn rounding(self, r: &AnggaranRow) -> Decimal {
        match self {
            Uang::PaguMurni => r.pembulatan[0],
            Uang::PaguPerubahan => r.pembulatan[1],
            Uang::Realisasi => r.pembulatan[2],
        }
    }
}

/// A budget code: digits separated by dots ("1.2.01.1", "4.01.01").
fn is_code(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// A column and its header text.
#[derive(Debug, Clone, Copy)]
struct Column<'t> {
    col: usize,
    header: &'t str,
    /// What its amounts are multiplied by: the thousands or millions its heading, else the
    /// title, states (`Pagu (Rp 000)`, `dalam ribuan rupiah`, `Realisasi (juta)`).
    scale: i64,
}

/// The thousands or millions a heading or title states its amounts in, as a phrase of its
/// own: `dalam ribuan`, `Rp 000`, `Rp juta`, a bracket that opens with it (`(000)`, `(Ribuan
/// Rupiah)`, `(juta)`) → 1,000, 1,000,000 or (`miliar`) 1,000,000,000. An amount written out
/// (`(Pagu Rp 1.500.000.000)`, `(Dua Miliar Rupiah)`) states none.
fn stated_scale(t: &str) -> Option<i64> {
    let scale = |w: &str, zeros: bool| match w {
        "ribu" | "ribuan" => Some(1_000),
        "000" if zeros => Some(1_000),
        "juta" | "jutaan" => Some(1_000_000),
        "miliar" | "milyar" | "miliaran" => Some(1_000_000_000),
        _ => None,
    };
    let f = fold(t);
    let words: Vec<&str> = f.split(' ').collect();
    let digits = |w: Option<&&str>| w.is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()));
    for (i, pair) in words.windows(2).enumerate() {
        let alone = !digits(words.get(i + 2));
        let x = match pair[0] {
            "dalam" => scale(pair[1], false),
            "rp" if alone => scale(pair[1], true),
            _ => None,
        };
        if x.is_some() {
            return x;
        }
    }
    // A bracket that opens with the scale.
    (t.split('(').skip(1))
        .filter_map(|inside| {
            let f = fold(inside.split(')').next().unwrap_or(""));
            let words: Vec<&str> = f.split(' ').collect();
            (!digits(words.get(1)))
                .then(|| scale(words[0], true))
                .flatten()
        })
        .next()
}

/// Where each field stands in the sheet, worked out once from the header.
struct Columns<'t> {
    kode: Option<Column<'t>>,
    uraian: Option<Column<'t>>,
    pagu_murni: Option<Column<'t>>,
    pagu_perubahan: Option<Column<'t>>,
    realisasi: Option<Column<'t>>,
    persen: Option<Column<'t>>,
    selisih: Option<Column<'t>>,
}

/// Why a sheet is refused: its code and its reason.
type Refusal = (RejectCode, String);

impl<'t> Columns<'t> {
    /// The columns, and the mapping `header → field` for the sheet's outcome; or why the
    /// sheet is refused: several realisasi columns of which none is, by its heading, the
    /// cumulative total to the latest point (`kumulatif::choose`).
    fn of(
        th: &'t TableHeader,
        ctx: &Context<'_>,
        title_scale: Option<i64>,
    ) -> Result<(Columns<'t>, Vec<(String, String)>), Refusal> {
        let mut field_cols: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (c, t) in th.texts.iter().enumerate() {
            if let Some(f) = ctx.realisasi.field(Kind::Anggaran, t) {
                field_cols.entry(f).or_default().push(c);
            }
        }
        // (Several realisasi columns: the cumulative one to the latest point, the others
        // recorded as not read.)
        let mut not_read: BTreeMap<usize, &str> = BTreeMap::new();
        if let Some(cs) = field_cols.get_mut("realisasi").filter(|cs| cs.len() > 1) {
            let named: Vec<(usize, &str)> = cs.iter().map(|&c| (c, th.texts[c].as_str())).collect();
            let (chosen, others) =
                super::kumulatif::choose(&named).map_err(|w| (RejectCode::KolomGanda, w))?;
            not_read.extend(others);
            *cs = vec![chosen];
        }
        if let Some(&[c]) = field_cols.get("realisasi").map(Vec::as_slice) {
            if let Some(why) = super::kumulatif::partial_alone(&th.texts[c]) {
                return Err((RejectCode::RealisasiSebagian, why));
            }
        }
        once_each(&field_cols, th).map_err(|w| (RejectCode::KolomGanda, w))?;
        let mut mapping = Vec::new();
        for (c, t) in th.texts.iter().enumerate() {
            let Some(f) = ctx.realisasi.field(Kind::Anggaran, t) else {
                continue;
            };
            mapping.push(match not_read.get(&c) {
                Some(why) => (t.clone(), format!("tidak dibaca ({why})")),
                None => (t.clone(), f.to_string()),
            });
        }
        let column = |f: &str| {
            field_cols.get(f).map(|cs| Column {
                col: cs[0],
                header: th.texts[cs[0]].as_str(),
                scale: (stated_scale(&th.texts[cs[0]]).or(title_scale)).unwrap_or(1),
            })
        };
        let columns = Columns {
            kode: column("kode"),
            uraian: column("uraian"),
            pagu_murni: column("pagu_murni"),
            pagu_perubahan: column("pagu_perubahan"),
            realisasi: column("realisasi"),
            persen: column("persen"),
            selisih: column("selisih"),
        };
        Ok((columns, mapping))
    }
}

/// An amount (pagu murni, pagu perubahan, %, selisih) in one column each: two columns that
/// mean the same one (`Anggaran Murni` beside `Pagu Murni`, `Pagu` beside `Anggaran`) refuse the
/// sheet naming both, as several realisasi columns that cannot be told apart do, rather than
/// the first silently read (`kumulatif::choose` settles realisasi before this).
fn once_each(field_cols: &BTreeMap<&str, Vec<usize>>, th: &TableHeader) -> Result<(), String> {
    for f in ["pagu_murni", "pagu_perubahan", "persen", "selisih"] {
        let Some(cs) = field_cols.get(f).filter(|cs| cs.len() > 1) else {
            continue;
        };
        let named: Vec<String> = (cs.iter())
            .map(|&c| format!("'{}' (kolom {})", th.texts[c].trim(), c + 1))
            .collect();
        return Err(format!(
            "kolom {} sama-sama berarti {f}; skm tidak memilih salah satunya diam-diam: hapus \
             kolom yang bukan angka {f} laporan ini, atau beri judul yang berbeda (mis. 'Pagu \
             Murni' dan 'Pagu Perubahan'), lalu kirim ulang",
            named.join(" dan ")
        ));
    }
    Ok(())
}

/// The cell of a column (empty where the sheet has no such column).
fn cell<'r>(row: &'r [Cell], column: Option<Column<'_>>) -> &'r Cell<'r> {
    column.and_then(|c| row.get(c.col)).unwrap_or(&Cell::Empty)
}

/// A problem at a column: its header (empty where the sheet has no such column) and `nilai`.
fn at(column: Option<Column<'_>>, nilai: String, alasan: String) -> Problem {
    // Every problem of a budget line is reported as a number that cannot be read.
    let kode = RejectCode::AngkaTidakTerbaca;
    Problem::at(column.map(|c| c.header), nilai, kode, alasan)
}

/// Reads a budget sheet whose header is `th`: each row read as a line (`Stated::read`) and
/// its own figures checked, then the hierarchy worked out from the codes (`link_parents`,
/// `assign_levels`) and every subtotal and total checked (`Mismatch`).
pub fn read(s: SheetIn<'_>, out: &mut Output) -> SheetOutcome {
    let SheetIn { sheet, th, ctx } = s;
    let Prologue {
        outcome: mut o,
        tahun,
        unit_id: sheet_unit,
        ..
    } = prologue(s, SheetKind::Anggaran);
    let title_scale = (sheet.rows[..th.row].iter())
        .flat_map(|r| r.iter().map(Cell::display))
        .find_map(|t| stated_scale(&t));
    let (cols, mapping) = match Columns::of(th, ctx, title_scale) {
        Ok(found) => found,
        Err((kode, alasan)) => return refused(sheet, th, o, out, kode, alasan),
    };
    o.mapping = mapping;
    let start = out.anggaran.len();
    for (_, row, source_row) in data_rows(sheet, th) {
        if is_not_data(row, ctx) {
            o.skipped += 1;
            continue;
        }
        match Stated::read(row, &cols) {
            Ok(stated) => {
                o.rows_read += 1;
                o.accepted += 1;
                let site = Site {
                    sheet,
                    source_row,
                    unit_id: sheet_unit.clone(),
                    tahun,
                };
                let line = stated.line(&site);
                stated.check(&line, &site, out);
                out.anggaran.push(line);
            }
            Err(problems) => reject_row(&mut o, sheet, source_row, problems, out),
        }
    }
    let lines = &mut out.anggaran[start..];
    link_parents(lines);
    assign_levels(lines);
    let mut mismatches = subtotals(lines);
    mismatches.extend(totals(lines));
    let mut not_checked = Vec::new();
    for m in mismatches {
        // (A total that is not the sum of every line of unknown level: not claimed as a
        // finding, recorded as not checked.)
        match m.cek == Cek::Total && !levels_known(lines) {
            true => not_checked.push(m.not_checked(&lines[m.line])),
            false => out.findings.push(m.finding(sheet, &lines[m.line])),
        }
    }
    if !not_checked.is_empty() {
        o.tidak_diperiksa = Some(not_checked.join("; "));
    }
    let both_pagu = cols.pagu_murni.is_some() && cols.pagu_perubahan.is_some();
    out.findings.extend(selisih_checks(sheet, lines, both_pagu));
    o
}

/// What a sheet's `Selisih` column is the difference of: decided per sheet (`selisih_checks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Beda {
    /// pagu perubahan − pagu murni: the change in the budget (a line without a perubahan did
    /// not change).
    PerubahanMurni,
    /// pagu − realisasi: what is left.
    PaguRealisasi,
    /// realisasi − pagu: what was spent beyond (or, negative, short of) the pagu.
    RealisasiPagu,
}

impl Beda {
    fn of(self, l: &AnggaranRow) -> Option<Decimal> {
        match self {
            Beda::PerubahanMurni => Some(l.pagu()? - l.pagu_murni.unwrap_or_default()),
            Beda::PaguRealisasi => Some(l.pagu()? - l.realisasi?),
            Beda::RealisasiPagu => Some(l.realisasi? - l.pagu()?),
        }
    }

    /// Whether `st` is this difference of `l`: for the change, a line without a pagu
    /// perubahan either did not change (0) or was cut to nothing (− murni: a `-` as 0, as in
    /// 001 l.689, `1.2.08.1`: murni 5.000.000, perubahan `-`, selisih `(5.000.000)`).
    fn holds(self, l: &AnggaranRow, st: Decimal) -> bool {
        let cut = self == Beda::PerubahanMurni
            && l.pagu_perubahan.is_none()
            && l.pagu_murni.is_some_and(|m| st == -m);
        self.of(l) == Some(st) || cut
    }

    fn words(self) -> &'static str {
        match self {
            Beda::PerubahanMurni => "pagu perubahan − pagu murni",
            Beda::PaguRealisasi => "pagu − realisasi",
            Beda::RealisasiPagu => "realisasi − pagu",
        }
    }
}

/// The stated differences (`Selisih`) checked against the one identity they satisfy on the most
/// lines of the sheet (pagu perubahan − pagu murni, the change, where both pagu are given;
/// pagu − realisasi; realisasi − pagu; ties in that order): a line where it does not hold is a
/// finding. Where none holds on any line, each stated difference is a finding naming every
/// identity tried and its figure.
fn selisih_checks(sheet: &RawSheet, lines: &[AnggaranRow], both_pagu: bool) -> Vec<Finding> {
    let tried: Vec<Beda> = [
        Beda::PerubahanMurni,
        Beda::PaguRealisasi,
        Beda::RealisasiPagu,
    ]
    .into_iter()
    .filter(|b| both_pagu || *b != Beda::PerubahanMurni)
    .collect();
    let stated: Vec<(&AnggaranRow, Decimal)> = (lines.iter())
        .filter_map(|l| Some((l, l.selisih_tertulis?)))
        .collect();
    let holds = |b: Beda| stated.iter().filter(|(l, st)| b.holds(l, *st)).count();
    // (The first of the most: `max_by_key` keeps the last, so from the end.)
    let best = tried.iter().rev().copied().max_by_key(|b| holds(*b));
    let n = best.map_or(0, holds);
    let mut found = Vec::new();
    for (l, st) in &stated {
        let site = Site {
            sheet,
            source_row: l.source_row,
            unit_id: l.unit_id.clone(),
            tahun: l.tahun,
        };
        let finding = |d: Decimal, keterangan: String| {
            site.finding(
                "selisih",
                st.normalize().to_string(),
                d.normalize().to_string(),
                (*st - d).to_f64(),
                keterangan,
            )
        };
        match best.filter(|_| n > 0) {
            Some(b) => match b.of(l) {
                Some(d) if !b.holds(l, *st) => found.push(finding(
                    d,
                    format!(
                        "{}: selisih ≠ {} (yang berlaku di {n} dari {} baris lembar ini)",
                        l.uraian,
                        b.words(),
                        stated.len()
                    ),
                )),
                _ => {}
            },
            None => {
                let figures: Vec<(Beda, Decimal)> =
                    tried.iter().filter_map(|b| Some((*b, b.of(l)?))).collect();
                let Some(&(_, d)) = figures.first() else {
                    continue;
                };
                let named: Vec<String> = (figures.iter())
                    .map(|(b, d)| format!("{} = {}", b.words(), d.normalize()))
                    .collect();
                found.push(finding(
                    d,
                    format!(
                        "{}: selisih tidak sama dengan satu pun yang dicoba ({}); periksa rumus \
                         kolom Selisih",
                        l.uraian,
                        named.join("; ")
                    ),
                ));
            }
        }
    }
    found
}

/// Blank rows, column numbering and the header repeated at a page break.
fn is_not_data(row: &[Cell], ctx: &Context<'_>) -> bool {
    row.iter().all(Cell::is_empty)
        || is_numbering_row(row)
        || ctx
            .realisasi
            .detect(&row.iter().map(Cell::display).collect::<Vec<_>>())
            == Some(Kind::Anggaran)
}

/// What an accepted row states.
struct Stated {
    kode_text: String,
    uraian: String,
    /// A closing "Jumlah"/"Total" row.
    is_total: bool,
    pagu_murni: Option<Decimal>,
    pagu_perubahan: Option<Decimal>,
    realisasi: Option<Decimal>,
    persen: Option<Num>,
    selisih: Option<Decimal>,
    /// `AnggaranRow::pembulatan`.
    pembulatan: [Decimal; 3],
}

impl Stated {
    /// What the row states, or every problem found in it.
    fn read(row: &[Cell], cols: &Columns<'_>) -> Result<Stated, Vec<Problem>> {
        let uraian = cell(row, cols.uraian).display();
        let kode_text = cell(row, cols.kode).display();
        let is_total = is_total_label(&uraian)
            || is_total_label(&kode_text)
            || (uraian.is_empty() && row.iter().any(|c| is_total_label(&c.display())));
        let mut problems = Vec::new();
        // (A dash is Excel's accounting zero, `Rp -`; in the pagu perubahan, no change; in
        // the selisih, no figure stated, as before: not checked.)
        let pagu_murni = rupiah(row, cols.pagu_murni, Some(Decimal::ZERO), &mut problems);
        let pagu_perubahan = rupiah(row, cols.pagu_perubahan, None, &mut problems);
        let realisasi = rupiah(row, cols.realisasi, Some(Decimal::ZERO), &mut problems);
        let persen = number(row, cols.persen, NumKind::Percent, &mut problems);
        let selisih = rupiah(row, cols.selisih, None, &mut problems);
        if uraian.is_empty() && !is_total {
            let alasan = "baris anggaran tanpa uraian".into();
            problems.push(at(cols.uraian, String::new(), alasan));
        }
        if !kode_text.is_empty() && !is_code(&kode_text) && !is_total {
            let alasan = "kode harus berupa angka bertitik, misalnya 1.2.01.1".into();
            problems.push(at(cols.kode, kode_text.clone(), alasan));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let pembulatan =
            [cols.pagu_murni, cols.pagu_perubahan, cols.realisasi].map(|c| half_unit(row, c));
        Ok(Stated {
            kode_text,
            uraian,
            is_total,
            pagu_murni,
            pagu_perubahan,
            realisasi,
            persen,
            selisih,
            pembulatan,
        })
    }

    /// The budget line (its place in the hierarchy still to be worked out).
    fn line(&self, site: &Site<'_>) -> AnggaranRow {
        let mut line = self.line_as_stated(site);
        // A %-formatted cell (0.95 shown as 95,00%) as the percentage it agrees as.
        if let (Some(p), Some(s)) = (self.persen, line.serapan()) {
            if let Some(agreed) = agrees_percent(&p, s) {
                line.persen_tertulis = Some(agreed.value);
            }
        }
        line
    }

    fn line_as_stated(&self, site: &Site<'_>) -> AnggaranRow {
        AnggaranRow {
            unit_id: site.unit_id.clone(),
            tahun: site.tahun,
            kode: is_code(&self.kode_text).then(|| self.kode_text.trim().to_string()),
            uraian: if self.uraian.is_empty() {
                self.kode_text.clone()
            } else {
                self.uraian.clone()
            },
            level: if self.is_total {
                Level::Total
            } else {
                Level::Lainnya
            },
            induk: None,
            pagu_murni: self.pagu_murni,
            pagu_perubahan: self.pagu_perubahan,
            realisasi: self.realisasi,
            persen_tertulis: self.persen.map(|p| p.value),
            selisih_tertulis: self.selisih,
            pembulatan: self.pembulatan,
            source_file: site.sheet.file.clone(),
            sheet: site.sheet.sheet.clone(),
            source_row: site.source_row,
        }
    }

    /// The checks of one line: the stated percentage and the realisasi against its pagu (the
    /// stated difference is checked with the sheet's other lines: `selisih_checks`).
    fn check(&self, line: &AnggaranRow, site: &Site<'_>, out: &mut Output) {
        if let (Some(p), Some(s)) = (self.persen, line.serapan()) {
            if agrees_percent(&p, s).is_none() {
                out.findings.push(site.finding(
                    "serapan",
                    p.value.to_string(),
                    shown(&p, s),
                    Some(p.f64() - s),
                    format!("{}: realisasi ÷ pagu × 100", line.uraian),
                ));
            }
        }
        if let (Some(r), Some(p)) = (line.realisasi, line.pagu()) {
            if r > p && p > Decimal::ZERO {
                out.findings.push(site.finding(
                    "melebihi_pagu",
                    r.normalize().to_string(),
                    p.normalize().to_string(),
                    (r - p).to_f64(),
                    format!("{}: realisasi melebihi pagu", line.uraian),
                ));
            }
        }
    }
}

/// A number in a column the sheet has (`None` where it has not, or the cell is empty).
fn number(
    row: &[Cell],
    column: Option<Column<'_>>,
    kind: NumKind,
    problems: &mut Vec<Problem>,
) -> Option<Num> {
    column?;
    let c = cell(row, column);
    // (A formula's error as the cell's error, or as its text in a CSV or a cached result.)
    let error = match c {
        Cell::Error(e) => Some(e.to_string()),
        Cell::Text(t) if is_error_text(t) => Some(t.trim().to_string()),
        _ => None,
    };
    match (error, kind) {
        // A stated percentage that is a formula's error (`#DIV/0!` where the pagu is 0):
        // none stated; the line's amounts still count.
        (Some(_), NumKind::Percent) => return None,
        (Some(e), _) => {
            let alasan = format!("sel berisi galat rumus {e}; perbaiki rumusnya di Excel");
            let kode = RejectCode::GalatRumus;
            problems.push(Problem::at(
                column.map(|c| c.header),
                c.display(),
                kode,
                alasan,
            ));
            return None;
        }
        _ => {}
    }
    match read_num(c, kind) {
        Ok(v) => v,
        Err(e) => {
            let why = match e {
                NumError::NotANumber => "bukan angka rupiah".to_string(),
                e => e.to_string(),
            };
            problems.push(at(column, c.display(), why));
            None
        }
    }
}

/// Half the unit of the last digit an amount was written to, in rupiah, when it is written
/// rounded: with a word of its scale (`2,5 M`: to 0,1 M, so ±50.000.000;
/// `domain::number::rounded_to`), or in a column whose heading or title states thousands or
/// millions (`1.250` under `(Rp 000)`: ±500). Zero for an amount written to the rupiah (or
/// finer): exact, as budget tables are.
fn half_unit(row: &[Cell], column: Option<Column<'_>>) -> Decimal {
    let Some(c) = column else {
        return Decimal::ZERO;
    };
    if let Cell::Text(t) = cell(row, column) {
        if let Some(unit) = crate::domain::number::rounded_to(t) {
            return unit / Decimal::TWO;
        }
    }
    if c.scale <= 1 {
        return Decimal::ZERO;
    }
    // (The decimals written, in the column's scale: `1.250,5` thousands is to 100 rupiah.)
    let written =
        number(row, column, NumKind::Money, &mut Vec::new()).map_or(0, |n| n.value.scale());
    Decimal::from(c.scale) * Decimal::new(1, written) / Decimal::TWO
}

/// Excel's error values as text (`#DIV/0!`, `#N/A`, …).
fn is_error_text(t: &str) -> bool {
    matches!(
        t.trim().to_ascii_uppercase().as_str(),
        "#DIV/0!" | "#N/A" | "#VALUE!" | "#REF!" | "#NAME?" | "#NUM!" | "#NULL!"
    )
}

/// Whether a text is a dash alone, with or without the currency mark: how Excel's accounting
/// format shows a zero (`Rp-` in its CSV, `Rp -`, `Rp  -`, `-`, `–`).
fn is_dash(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.to_lowercase();
    let t = t
        .strip_prefix("rp")
        .map_or(t.as_str(), |r| r.trim_start_matches('.'));
    matches!(t, "-" | "–" | "—")
}

/// An amount in rupiah; `dash` for a dash alone (`is_dash`). Rupiah beyond a quadrillion are
/// not budget lines (and would overflow the sums).
fn rupiah(
    row: &[Cell],
    column: Option<Column<'_>>,
    dash: Option<Decimal>,
    problems: &mut Vec<Problem>,
) -> Option<Decimal> {
    if matches!(cell(row, column), Cell::Text(t) if is_dash(t)) {
        return dash;
    }
    // (An amount with its own scale word, `2,5 M`, is not scaled again by the column's.)
    let own =
        matches!(cell(row, column), Cell::Text(t) if crate::domain::number::names_its_scale(t));
    let scale = Decimal::from(column.filter(|_| !own).map_or(1, |c| c.scale));
    let value = number(row, column, NumKind::Money, problems).map(|n| n.value);
    match value.map(|x| x.checked_mul(scale)) {
        Some(None) => {
            let alasan = "angka rupiah di luar jangkauan".into();
            problems.push(at(column, cell(row, column).display(), alasan));
            None
        }
        Some(Some(x)) if x.abs() > Decimal::from(1_000_000_000_000_000i64) => {
            let alasan = "angka rupiah di luar jangkauan (lebih dari 10^15)".into();
            problems.push(at(column, cell(row, column).display(), alasan));
            None
        }
        v => v.flatten(),
    }
}

/// Hierarchy from the codes: the parent of a line is the longest other code that is a prefix
/// of its own at a dot.
fn link_parents(lines: &mut [AnggaranRow]) {
    let codes: Vec<Option<String>> = lines.iter().map(|l| l.kode.clone()).collect();
    for (i, l) in lines.iter_mut().enumerate() {
        let Some(k) = &l.kode else { continue };
        l.induk = codes
            .iter()
            .enumerate()
            .filter_map(|(j, c)| {
                c.as_ref()
                    .filter(|c| j != i && k.starts_with(&format!("{c}.")))
            })
            .max_by_key(|c| c.len())
            .cloned();
    }
}

/// Levels: "Program …" is a program; below it kegiatan, then sub kegiatan; a line above or
/// outside the programs (the unit itself) is organisasi.
fn assign_levels(lines: &mut [AnggaranRow]) {
    let by_code: BTreeMap<String, usize> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l.kode.clone().map(|k| (k, i)))
        .collect();
    let is_named_program = |l: &AnggaranRow| fold(&l.uraian).starts_with("program");
    let any_named_program = lines.iter().any(is_named_program);
    for i in 0..lines.len() {
        if lines[i].level == Level::Total {
            continue;
        }
        // How many lines stand above this one, and whether one of them is named "Program …".
        let mut depth = 0;
        let mut cur = lines[i].induk.clone();
        let mut program_above = false;
        while let Some(c) = cur {
            let j = by_code[&c];
            depth += 1;
            program_above |= is_named_program(&lines[j]);
            cur = lines[j].induk.clone();
        }
        let l = &mut lines[i];
        // Without any line named "Program …", the code's depth gives the level: a top-level
        // code is a program, its children kegiatan, theirs sub kegiatan.
        let is_program =
            is_named_program(l) || (!any_named_program && l.kode.is_some() && l.induk.is_none());
        let program_above = program_above || (!any_named_program && depth > 0 && l.kode.is_some());
        l.level = if is_program {
            Level::Program
        } else if program_above {
            match depth {
                1 => Level::Kegiatan,
                _ => Level::SubKegiatan,
            }
        } else if l.kode.is_some() {
            Level::Organisasi
        } else {
            Level::Lainnya
        };
    }
}

crate::labels! {
    /// What a line's stated amount was checked against (`Finding::apa`).
    pub enum Cek {
        /// The sum of the lines under it.
        Subtotal = "subtotal",
        /// The sum of the programs.
        Total = "total",
    }
}

/// A stated amount that is not the sum it should be.
struct Mismatch {
    /// Index of the line among the sheet's lines.
    line: usize,
    cek: Cek,
    uang: Uang,
    tertulis: Decimal,
    jumlah: Decimal,
    /// How many lines were added up.
    n: usize,
    /// How far apart the two may be for the rounding they were written with (`Reading::sum`).
    toleransi: Decimal,
    /// A line added up without a pagu perubahan counted its pagu murni (`Reading::Effective`).
    murni: bool,
}

/// Whether a sum of `uang` over `lines` counts a line's pagu murni for its missing perubahan.
fn counts_murni(uang: Uang, lines: &[&AnggaranRow]) -> bool {
    uang == Uang::PaguPerubahan
        && (lines.iter()).any(|l| l.pagu_perubahan.is_none() && l.pagu_murni.is_some())
}

impl Mismatch {
    fn finding(&self, sheet: &RawSheet, l: &AnggaranRow) -> Finding {
        let site = Site {
            sheet,
            source_row: l.source_row,
            unit_id: l.unit_id.clone(),
            tahun: l.tahun,
        };
        site.finding(
            self.cek.as_str(),
            self.tertulis.normalize().to_string(),
            self.jumlah.normalize().to_string(),
            (self.tertulis - self.jumlah).to_f64(),
            format!(
                "{} {}: {} ≠ jumlah {} baris {}{}{}",
                l.kode.clone().unwrap_or_default(),
                l.uraian,
                self.uang,
                self.n,
                match self.cek {
                    Cek::Subtotal => "di bawahnya",
                    Cek::Total => "program",
                },
                match self.murni {
                    // (`Reading::Effective`, reported first.)
                    true =>
                        " (pagu perubahan tiap baris, atau pagu murninya bila \
                                            perubahannya kosong atau '-')",
                    false => "",
                },
                match self.toleransi.is_zero() {
                    true => String::new(),
                    false => format!(
                        " (selisih {} melebihi pembulatan yang tertulis, ±{})",
                        (self.tertulis - self.jumlah).abs().normalize(),
                        self.toleransi.normalize()
                    ),
                }
            ),
        )
    }
}

impl Mismatch {
    /// Why a total of lines whose levels are unknown is not checked, and what to do.
    fn not_checked(&self, l: &AnggaranRow) -> String {
        format!(
            "baris {} {}: {} {} tidak diperiksa; jumlah {} baris tanpa kode {} berbeda, tetapi \
             tingkat barisnya (program, kegiatan, sub kegiatan) tidak diketahui: tanpa kolom Kode \
             dan tanpa uraian 'Program …'. Isi kode rekening (mis. 1.02.01, 1.02.01.2.01), atau awali \
             nama program dengan 'Program', agar \
             jumlahnya dapat diperiksa",
            l.source_row,
            l.uraian,
            self.uang,
            self.tertulis.normalize(),
            self.n,
            self.jumlah.normalize()
        )
    }
}

/// Whether the lines a total adds up are known (`tops`): programs, or top-level codes; not
/// lines without a code or a "Program …" name (`Level::Lainnya`), whose sub-lines cannot be
/// told from them.
fn levels_known(lines: &[AnggaranRow]) -> bool {
    let tops = tops(lines);
    tops.iter().any(|l| l.level == Level::Program) || tops.iter().all(|l| l.kode.is_some())
}

/// How lines' amounts are added up for a stated subtotal or total (`Reading::of`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Each line's amount as written (a line without one counts nothing).
    Written,
    /// The pagu perubahan of each line, else its pagu murni: a pagu perubahan left blank or
    /// `-` is no change (`AnggaranRow::pagu`).
    Effective,
}

impl Reading {
    /// The readings a stated amount in `uang` may agree with, the one reported first: a pagu
    /// perubahan's total is the lines' effective pagu, or (a dash as Excel's accounting zero,
    /// the unit's own SUM) their written ones.
    fn all(uang: Uang) -> &'static [Reading] {
        match uang {
            Uang::PaguPerubahan => &[Reading::Effective, Reading::Written],
            _ => &[Reading::Written],
        }
    }

    /// A line's amount in this reading, and half the unit it was written to.
    fn of(self, uang: Uang, r: &AnggaranRow) -> Option<(Decimal, Decimal)> {
        match (self, uang.of(r)) {
            (_, Some(v)) => Some((v, uang.rounding(r))),
            (Reading::Effective, None) => r.pagu_murni.map(|v| (v, Uang::PaguMurni.rounding(r))),
            (Reading::Written, None) => None,
        }
    }

    /// The sum of `lines` in this reading (a line without an amount counts nothing), how far a
    /// stated amount of `line` may be from it for the rounding they were written with (half
    /// the last written digit's unit of each, `AnggaranRow::pembulatan`, added up; zero when
    /// every amount is written to the rupiah), and whether any line had an amount.
    fn sum(
        self,
        uang: Uang,
        line: &AnggaranRow,
        lines: &[&AnggaranRow],
    ) -> (Decimal, Decimal, bool) {
        let amounts: Vec<(Decimal, Decimal)> =
            lines.iter().filter_map(|l| self.of(uang, l)).collect();
        let sum = amounts.iter().map(|a| a.0).sum();
        let under: Decimal = amounts.iter().map(|a| a.1).sum();
        (sum, uang.rounding(line) + under, !amounts.is_empty())
    }
}

/// The stated `uang` of `line` against the sum of `lines`: `None` when it agrees with one of
/// its readings (or nothing can be added up); else the first reading's sum and tolerance.
fn off(
    uang: Uang,
    line: &AnggaranRow,
    lines: &[&AnggaranRow],
) -> Option<(Decimal, Decimal, Decimal)> {
    let stated = uang.of(line)?;
    let sums: Vec<(Decimal, Decimal, bool)> = (Reading::all(uang).iter())
        .map(|r| r.sum(uang, line, lines))
        .collect();
    if !sums[0].2 || sums.iter().any(|(sum, t, _)| (stated - sum).abs() <= *t) {
        return None;
    }
    Some((stated, sums[0].0, sums[0].1))
}

/// Subtotals: every line with children equals the sum of its children.
fn subtotals(lines: &[AnggaranRow]) -> Vec<Mismatch> {
    let mut found = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(k) = &l.kode else { continue };
        let children: Vec<&AnggaranRow> = lines
            .iter()
            .filter(|c| c.induk.as_deref() == Some(k))
            .collect();
        if children.is_empty() {
            continue;
        }
        for uang in Uang::ALL.iter().copied() {
            // (A line without an amount counts nothing.)
            if let Some((stated, sum, toleransi)) = off(uang, l, &children) {
                found.push(Mismatch {
                    line: i,
                    cek: Cek::Subtotal,
                    uang,
                    tertulis: stated,
                    jumlah: sum,
                    n: children.len(),
                    toleransi,
                    murni: counts_murni(uang, &children),
                });
            }
        }
    }
    found
}

/// The lines totals add up: the programs, or without programs the top-level lines.
fn tops(lines: &[AnggaranRow]) -> Vec<&AnggaranRow> {
    let programs: Vec<&AnggaranRow> = lines.iter().filter(|l| l.level == Level::Program).collect();
    if !programs.is_empty() {
        return programs;
    }
    lines
        .iter()
        .filter(|l| {
            l.induk.is_none()
                && matches!(
                    l.level,
                    Level::Lainnya | Level::Kegiatan | Level::SubKegiatan
                )
        })
        .collect()
}

/// Totals and the unit's own lines equal the sum of the programs (or, without programs, of
/// the top-level lines).
fn totals(lines: &[AnggaranRow]) -> Vec<Mismatch> {
    let tops = tops(lines);
    let mut found = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let leaf_org = l.level == Level::Organisasi
            && !lines
                .iter()
                .any(|c| c.induk.as_deref() == l.kode.as_deref());
        if !(l.level == Level::Total || leaf_org) || tops.is_empty() {
            continue;
        }
        // A total closes either the whole table or the block since the previous total row
        // (a "Jumlah" under each program's lines); it must equal one of the two.
        let prev_total = lines[..i]
            .iter()
            .rposition(|x| x.level == Level::Total)
            .map(|p| lines[p].source_row)
            .unwrap_or(0);
        let block: Vec<&AnggaranRow> = tops
            .iter()
            .copied()
            .filter(|t| t.source_row > prev_total && t.source_row < l.source_row)
            .collect();
        let is_block = l.level == Level::Total && !block.is_empty() && block.len() < tops.len();
        for uang in Uang::ALL.iter().copied() {
            let Some((stated, sum, whole)) = off(uang, l, &tops) else {
                continue;
            };
            // (A block's total may equal its block instead of the whole table.)
            let block_off = off(uang, l, &block);
            if is_block && block_off.is_none() {
                continue;
            }
            let (jumlah, summed, toleransi) = match block_off.filter(|_| is_block) {
                Some((_, block_sum, part)) => (block_sum, &block, part),
                None => (sum, &tops, whole),
            };
            found.push(Mismatch {
                line: i,
                cek: Cek::Total,
                uang,
                tertulis: stated,
                jumlah,
                n: summed.len(),
                toleransi,
                murni: counts_murni(uang, summed),
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::{half_unit, is_dash, stated_scale, Column};
    use crate::ingest::Cell;
    use rust_decimal::Decimal;

    #[test]
    fn a_rounded_amount_may_be_half_its_last_written_digit_off() {
        let column = |scale| {
            Some(Column {
                col: 0,
                header: "Pagu",
                scale,
            })
        };
        for (cell, scale, half) in [
            (Cell::Text("Rp 2,5 M".into()), 1, 50_000_000),
            (Cell::Text("750 rb".into()), 1_000, 500),
            (Cell::Number(1250.0), 1_000, 500),
            (Cell::Text("1.250".into()), 1_000_000, 500_000),
            (Cell::Number(2_500_000_000.0), 1, 0),
            (Cell::Text("Rp 2.500.000.000,-".into()), 1, 0),
        ] {
            let got = half_unit(std::slice::from_ref(&cell), column(scale));
            assert_eq!(got, Decimal::from(half), "{cell:?} in {scale}");
        }
        let got = half_unit(&[Cell::Text("1.250,5".into())], column(1_000));
        assert_eq!(got, Decimal::from(50));
    }

    #[test]
    fn excels_accounting_zero_is_a_dash() {
        for t in [
            "-",
            "Rp-",
            " Rp- ",
            "Rp -",
            "Rp  -",
            "Rp. -",
            "rp\u{a0}-",
            "–",
            "—",
        ] {
            assert!(is_dash(t), "{t:?}");
        }
        for t in ["Rp", "", "-5", "Rp -1.000", "--", "n/a"] {
            assert!(!is_dash(t), "{t:?}");
        }
    }

    #[test]
    fn a_scale_is_a_phrase_of_its_own_never_an_amount_written_out() {
        for (t, x) in [
            ("(dalam ribuan rupiah)", Some(1_000)),
            ("Realisasi (Rp 000)", Some(1_000)),
            ("Pagu (000)", Some(1_000)),
            ("Pagu (Ribuan Rupiah)", Some(1_000)),
            ("Anggaran Rp juta", Some(1_000_000)),
            ("(juta)", Some(1_000_000)),
            ("Realisasi s.d. Desember 2024 (Pagu Rp 1.500.000.000)", None),
            ("Anggaran (Dua Miliar Rupiah)", None),
            ("Dalam rangka HUT Kota Bekasi", None),
            ("Pagu", None),
        ] {
            assert_eq!(stated_scale(t), x, "{t:?}");
        }
    }
}
