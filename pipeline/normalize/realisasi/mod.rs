//! Realization sheets: unit IKM recaps, indicator (IKU) targets against realisasi, and budget
//! pagu against realisasi. Told apart by their header (schemas/realisasi.toml), never by file
//! name. Every figure a sheet states that can be recomputed is recomputed, and a stated figure
//! that does not match becomes an audit finding (`Finding`).

pub mod anggaran;
pub mod iku;
pub mod kumulatif;
pub mod rekap;
pub mod rtl;

use anyhow::{Context as _, Result};
use rust_decimal::prelude::*;
use serde::Deserialize;

use crate::domain::number::{self, Kind as NumKind, NumError};
use crate::domain::round_half_up;
use crate::domain::unsur::fold;
use crate::ingest::{fmt_number, Cell, Hidden, RawSheet};
use crate::normalize::values::year_in_text;
use crate::normalize::{
    pii, unit_in_text, Context, Output, Reject, RejectCode, SheetKind, SheetOutcome,
};

const LAYOUT_TOML: &str = include_str!("../../../schemas/realisasi.toml");

/// The kinds of realization sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Rekap,
    Iku,
    Anggaran,
    /// Follow-up plans (rencana tindak lanjut) for the lowest unsur.
    Rtl,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Rekap => "rekap_ikm",
            Kind::Iku => "iku",
            Kind::Anggaran => "anggaran",
            Kind::Rtl => "rtl",
        }
    }
}

#[derive(Deserialize)]
struct Rule {
    field: String,
    #[serde(default)]
    exact: Vec<String>,
    #[serde(default)]
    contains: Vec<String>,
}

#[derive(Deserialize)]
struct LayoutFile {
    rekap: Vec<Rule>,
    iku: Vec<Rule>,
    anggaran: Vec<Rule>,
    rtl: Vec<Rule>,
}

/// Header phrases of the three kinds: each rule's field, its exact headings and the phrases a
/// heading may contain (folded, and padded with a space each side, as the heading is in
/// `field`: a phrase matches whole words; padded once here, not once a heading and phrase,
/// which was 5% of a run of 384 small files).
#[derive(Debug, Clone)]
pub struct Layouts {
    rekap: Vec<(String, Vec<String>, Vec<String>)>,
    iku: Vec<(String, Vec<String>, Vec<String>)>,
    anggaran: Vec<(String, Vec<String>, Vec<String>)>,
    rtl: Vec<(String, Vec<String>, Vec<String>)>,
}

impl Layouts {
    pub fn embedded() -> Result<Layouts> {
        let f: LayoutFile =
            toml::from_str(LAYOUT_TOML).context("schemas/realisasi.toml is not valid")?;
        let conv = |rules: Vec<Rule>| {
            rules
                .into_iter()
                .map(|r| {
                    (
                        r.field,
                        r.exact.iter().map(|s| fold(s)).collect(),
                        r.contains
                            .iter()
                            .map(|s| format!(" {} ", fold(s)))
                            .collect(),
                    )
                })
                .collect()
        };
        Ok(Layouts {
            rekap: conv(f.rekap),
            iku: conv(f.iku),
            anggaran: conv(f.anggaran),
            rtl: conv(f.rtl),
        })
    }

    fn rules(&self, kind: Kind) -> &[(String, Vec<String>, Vec<String>)] {
        match kind {
            Kind::Rekap => &self.rekap,
            Kind::Iku => &self.iku,
            Kind::Anggaran => &self.anggaran,
            Kind::Rtl => &self.rtl,
        }
    }

    /// The field a header names in a sheet of this kind, if any.
    pub fn field(&self, kind: Kind, header: &str) -> Option<&str> {
        self.field_folded(kind, header, &fold(header))
    }

    /// `field`, the header also given folded (`fold`).
    fn field_folded(&self, kind: Kind, header: &str, h: &str) -> Option<&str> {
        // A budget's physical progress (`Realisasi Fisik (%)`) is no rupiah nor serapan.
        if kind == Kind::Anggaran && h.split(' ').any(|w| w == "fisik") {
            return None;
        }
        if kind == Kind::Anggaran && header.contains('%') {
            return Some("persen");
        }
        // An indicator table's column headed `%` alone (beside `Target | Realisasi`, under
        // `Kinerja 2024`) is the capaian.
        if kind == Kind::Iku && h.is_empty() && header.contains('%') {
            return Some("capaian");
        }
        // A budget heading's currency, year and scale say nothing of its field (`Pagu (Rp)`,
        // `Pagu Anggaran Tahun 2024`, `Realisasi (Rp 000)`).
        let without;
        let h = match kind {
            Kind::Anggaran => {
                without = without_amount_words(h);
                without.as_str()
            }
            _ => h,
        };
        if h.is_empty() {
            return None;
        }
        let padded = format!(" {h} ");
        for (field, exact, contains) in self.rules(kind) {
            if exact.iter().any(|e| e == h) || contains.iter().any(|p| padded.contains(p.as_str()))
            {
                return Some(field);
            }
        }
        None
    }

    /// The kind of realization sheet whose header this row is, if any.
    pub fn detect(&self, row: &[String]) -> Option<Kind> {
        // (Each heading folded once, and its field of a kind found once: a header is looked
        // for in every row at the head of every sheet.)
        let folded: Vec<String> = row.iter().map(|h| fold(h)).collect();
        let mut fields: [Option<Vec<Option<&str>>>; 4] = Default::default();
        let mut has = |kind: Kind, f: &str| {
            let of_kind = fields[kind as usize].get_or_insert_with(|| {
                (row.iter().zip(&folded))
                    .map(|(h, folded)| self.field_folded(kind, h, folded))
                    .collect()
            });
            of_kind.contains(&Some(f))
        };
        if has(Kind::Rekap, "unit") && has(Kind::Rekap, "ikm") {
            return Some(Kind::Rekap);
        }
        if has(Kind::Iku, "indikator") && has(Kind::Iku, "target") && has(Kind::Iku, "realisasi") {
            return Some(Kind::Iku);
        }
        let pagu = has(Kind::Anggaran, "pagu_murni") || has(Kind::Anggaran, "pagu_perubahan");
        if has(Kind::Anggaran, "uraian") && pagu {
            return Some(Kind::Anggaran);
        }
        let when_or_who = has(Kind::Rtl, "waktu") || has(Kind::Rtl, "penanggung_jawab");
        if has(Kind::Rtl, "unsur") && has(Kind::Rtl, "program") && when_or_who {
            return Some(Kind::Rtl);
        }
        None
    }
}

/// One stated figure that does not match its recomputation.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    pub source_file: String,
    pub sheet: String,
    pub source_row: Option<u32>,
    pub unit_id: Option<String>,
    pub tahun: Option<i32>,
    /// What was checked: ikm, mutu, kinerja, rata_rata, capaian, subtotal, total, serapan,
    /// selisih, realisasi_ikm.
    pub apa: String,
    pub tertulis: String,
    pub hitung: String,
    pub selisih: Option<f64>,
    pub keterangan: String,
}

/// Where a row's findings stand: its sheet and row, and the unit and year it speaks of.
pub(crate) struct Site<'s> {
    pub sheet: &'s RawSheet,
    pub source_row: u32,
    pub unit_id: Option<String>,
    pub tahun: Option<i32>,
}

impl Site<'_> {
    /// A finding here: what was checked, the figure as stated, as recomputed, their
    /// difference and a plain explanation.
    pub fn finding(
        &self,
        apa: &str,
        tertulis: String,
        hitung: String,
        selisih: Option<f64>,
        keterangan: String,
    ) -> Finding {
        Finding {
            source_file: self.sheet.file.clone(),
            sheet: self.sheet.sheet.clone(),
            source_row: Some(self.source_row),
            unit_id: self.unit_id.clone(),
            tahun: self.tahun,
            apa: apa.to_string(),
            tertulis,
            hitung,
            selisih,
            keterangan,
        }
    }
}

/// One problem in a row of a realization sheet: the column's header and the value found
/// (both empty when the row as a whole is at fault), and why.
pub(crate) struct Problem {
    pub kolom: String,
    pub nilai: String,
    pub kode: RejectCode,
    pub alasan: String,
}

/// A rejected row: counted read and rejected, and one reject per problem, in the order they
/// were found.
pub(crate) fn reject_row(
    o: &mut SheetOutcome,
    sheet: &RawSheet,
    source_row: u32,
    problems: Vec<Problem>,
    out: &mut Output,
) {
    o.rows_read += 1;
    o.rejected += 1;
    out.rejects.extend(problems.into_iter().map(|p| Reject {
        source_file: sheet.file.clone(),
        sheet: sheet.sheet.clone(),
        source_row: Some(source_row),
        kolom: p.kolom,
        // A value that looks personal is masked.
        nilai: pii::shown(&p.nilai),
        alasan: p.alasan,
        kode: p.kode,
    }));
}

/// The header of a realization sheet: its row and the text of each column. A second header
/// row (sub-headings under a merged cell such as "Pagu Anggaran") is merged into the first.
pub struct TableHeader {
    pub row: usize,
    pub data_start: usize,
    pub texts: Vec<String>,
    /// Each column's second-row heading as written (empty where there is none, or no second
    /// row): `Target` under `Capaian Kinerja`.
    pub subs: Vec<String>,
}

pub fn table_header(sheet: &RawSheet, row: usize) -> TableHeader {
    let top: Vec<String> = sheet.rows[row].iter().map(Cell::display).collect();
    let mut texts = top.clone();
    let mut subs = Vec::new();
    let mut data_start = row + 1;
    if let Some(next) = sheet.rows.get(row + 1) {
        let all_text = next
            .iter()
            .all(|c| matches!(c, Cell::Empty | Cell::Text(_)));
        let fills_gaps = next
            .iter()
            .enumerate()
            .any(|(c, cell)| !cell.is_empty() && top.get(c).is_none_or(|t| t.is_empty()));
        let numbering = next
            .iter()
            .all(|c| c.is_empty() || column_number(&c.display()).is_some());
        // A CSV's (or numbers stored as text) first data row is all text too: a figure in it
        // (`88,13`, `is_figure`) makes it data, not a second header row (`2023 | 2024` under
        // `Nilai IKM`, `1 | 2 | 3 | 4` under `Realisasi Triwulan` are).
        let figures = next.iter().any(|c| match c {
            Cell::Text(t) => is_figure(t),
            _ => false,
        });
        if all_text && fills_gaps && !numbering && !figures {
            // Carry a merged group heading to the right over empty cells, then append.
            let mut group = String::new();
            let width = top.len().max(next.len());
            texts = (0..width)
                .map(|c| {
                    let t = top.get(c).cloned().unwrap_or_default();
                    if !t.is_empty() {
                        group = t.clone();
                    }
                    let sub = next.get(c).map(Cell::display).unwrap_or_default();
                    match (t.is_empty(), sub.is_empty()) {
                        (_, true) => t,
                        (false, false) => format!("{t} {sub}"),
                        (true, false) => format!("{group} {sub}"),
                    }
                })
                .collect();
            subs = (0..width)
                .map(|c| next.get(c).map(Cell::display).unwrap_or_default())
                .collect();
            data_start = row + 2;
        }
    }
    TableHeader {
        row,
        data_start,
        texts,
        subs,
    }
}

/// What an indicator sheet's header that was not read has (for the refusal's message): the
/// first row of headings (three or more, not a title) that names the indicator column, what
/// it and the row below it name, and what is missing. `Indikator Kinerja` on row 3 with
/// `Target` and `Realisasi` nowhere near: `baris 3: 'No', 'Indikator Kinerja' (indikator), …`.
pub fn iku_near_miss(real: &Layouts, sheet: &RawSheet, rows: usize) -> Option<String> {
    let headings = |r: usize| -> Vec<String> {
        (sheet.rows.get(r).into_iter().flatten())
            .map(Cell::display)
            .filter(|t| !t.trim().is_empty())
            .collect()
    };
    let r = (0..sheet.rows.len().min(rows)).find(|&r| {
        let h = headings(r);
        h.len() >= 3
            && h.iter()
                .any(|t| real.field(Kind::Iku, t) == Some("indikator"))
    })?;
    let named = |r: usize| {
        (headings(r).iter())
            .map(|t| match real.field(Kind::Iku, t) {
                Some(f) => format!("'{}' ({f})", t.trim()),
                None => format!("'{}'", t.trim()),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let fields: Vec<&str> = (headings(r).iter().chain(headings(r + 1).iter()))
        .filter_map(|t| real.field(Kind::Iku, t))
        .collect();
    let missing: Vec<&str> = ["target", "realisasi"]
        .into_iter()
        .filter(|f| !fields.contains(f))
        .collect();
    let line = |r: usize| sheet.first_row + r;
    let below = match headings(r + 1).is_empty() {
        true => format!("baris {} di bawahnya kosong", line(r + 1)),
        false => format!("baris {}: {}", line(r + 1), named(r + 1)),
    };
    Some(format!(
        "tampak seperti lembar IKU tetapi tidak terbaca: baris {}: {}; {below}. Tidak ada kolom {} \
         di baris itu atau tepat di bawahnya (judul dua baris dibaca: 'Kinerja 2024' di atas \
         'Target | Realisasi | %'); beri judul kolom Target dan Realisasi lalu kirim ulang",
        line(r),
        named(r),
        missing.join(" dan ")
    ))
}

/// An indicator sheet's header over two rows, whose first row alone names no kind: `Kinerja
/// 2024`, `Tahun 2024` or `Capaian Kinerja` (merged across or not) over `Target | Realisasi |
/// %`, beside `Indikator Kinerja` (merged down or not). The first row must be a header's
/// (three headings or more, not a title) and the row below no header of its own.
pub fn iku_over_two_rows(real: &Layouts, sheet: &RawSheet, r: usize) -> bool {
    let headings = (sheet.rows[r].iter())
        .filter(|c| matches!(c, Cell::Text(t) if !t.trim().is_empty()))
        .count();
    let Some(below) = sheet.rows.get(r + 1) else {
        return false;
    };
    let below: Vec<String> = below.iter().map(Cell::display).collect();
    if headings < 3 || real.detect(&below).is_some() {
        return false;
    }
    let th = table_header(sheet, r);
    let has = |f: &str| {
        (0..th.texts.len()).any(|c| iku::field_of(real, &th.texts, &th.subs, c) == Some(f))
    };
    th.data_start == r + 2 && has("indikator") && has("target") && has("realisasi")
}

/// Whether a text is a figure no sub-heading is: `88,13`, `Rp 1.000`, `85%`, `150` (not a
/// year, `2024`, nor a small whole number, `1` … `30`, which numbers quarters, unsur or
/// columns: `Realisasi Triwulan` over `1 | 2 | 3 | 4`).
fn is_figure(t: &str) -> bool {
    let year = t.trim().len() == 4 && year_in_text(t).is_some();
    let small = t.trim().parse::<u32>().is_ok_and(|n| n <= 30);
    let figure = number::parse(t, NumKind::Percent).is_ok_and(|n| n.is_some());
    figure && !year && !small
}

/// A number read from a cell, with the decimals it was written with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num {
    pub value: Decimal,
    pub decimals: u32,
    pub percent: bool,
}

impl Num {
    pub fn f64(&self) -> f64 {
        self.value.to_f64().unwrap_or(f64::NAN)
    }
}

/// Reads a number from a cell: `Ok(None)` for an empty cell or a "none" mark (`-`, `N/A`).
pub fn read_num(cell: &Cell, kind: NumKind) -> Result<Option<Num>, NumError> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(n) => {
            let text = fmt_number(*n);
            let value = Decimal::from_str(&text)
                .or_else(|_| Decimal::from_scientific(&format!("{n:e}")))
                .map_err(|_| NumError::NotANumber)?;
            if let Some((lo, hi)) = match kind {
                NumKind::Nrr => Some((1.0, 4.0)),
                NumKind::Ikm => Some((25.0, 100.0)),
                _ => None,
            } {
                if *n < lo || *n > hi {
                    return Err(NumError::OutOfRange(text));
                }
            }
            // A number cell shows what its format says, which we cannot see: compare at least
            // at the precision the reports print (NRR 3, everything else 2 decimals), and a
            // formula result (many decimals) at exactly that precision.
            let printed = if kind == NumKind::Nrr { 3 } else { 2 };
            let decimals = if value.scale() > 6 {
                printed
            } else {
                value.scale().max(printed)
            };
            Ok(Some(Num {
                value,
                decimals,
                percent: false,
            }))
        }
        Cell::Text(t) => Ok(number::parse(t, kind)?.map(|p| Num {
            value: p.value,
            decimals: p.value.scale(),
            percent: p.percent,
        })),
        _ => Err(NumError::NotANumber),
    }
}

/// Whether a stated figure agrees with its recomputation: the computed value rounded half-up
/// to as many decimals as the stated one was written with.
pub fn agrees(stated: &Num, computed: f64) -> bool {
    let dp = stated.decimals.min(6);
    match (round_half_up(computed, dp), round_half_up(stated.f64(), dp)) {
        (Some(r), Some(s)) => (r - s).abs() < 1e-9,
        _ => false,
    }
}

impl Num {
    /// The value of a percentage cell formatted as % in Excel (0.978 shown as 97,80%).
    pub fn times_100(&self) -> Num {
        Num {
            value: self.value * Decimal::from(100),
            decimals: self.decimals.saturating_sub(2).max(2),
            percent: true,
        }
    }
}

/// A stated percentage that agrees with `computed`, as written or as an Excel %-formatted cell.
pub fn agrees_percent(stated: &Num, computed: f64) -> Option<Num> {
    if agrees(stated, computed) {
        Some(*stated)
    } else if stated.f64().abs() <= 10.0 && agrees(&stated.times_100(), computed) {
        Some(stated.times_100())
    } else {
        None
    }
}

/// The rounded form of a computed figure, written like the stated one.
pub fn shown(stated: &Num, computed: f64) -> String {
    let dp = stated.decimals.clamp(2, 6) as usize;
    format!(
        "{:.*}",
        dp,
        round_half_up(computed, dp as u32).unwrap_or(computed)
    )
}

/// Leading numbering such as "1.", "12.", "a." removed from a label.
pub fn strip_numbering(s: &str) -> String {
    let t = s.trim();
    let mut chars = t.char_indices();
    let mut end = 0;
    for (i, c) in chars.by_ref() {
        if c.is_ascii_digit() {
            end = i + 1;
        } else {
            break;
        }
    }
    if end > 0 {
        let rest = &t[end..];
        if let Some(r) = rest.strip_prefix('.').or_else(|| rest.strip_prefix(')')) {
            return r.trim().to_string();
        }
    }
    t.to_string()
}

/// True for closing rows: "Jumlah", "Total", "Rata-rata", "Nilai rata-rata capaian IKM".
pub fn is_total_label(s: &str) -> bool {
    let f = fold(s);
    f.starts_with("jumlah")
        || f.starts_with("total")
        || f.starts_with("rata rata")
        || f.starts_with("nilai rata rata")
        || f.starts_with("sub total")
        || f.starts_with("subtotal")
        || f.starts_with("grand total")
        || f.starts_with("sub jumlah")
        || f.starts_with("jml")
        || f == "rata"
}

/// A row of column numbers under a header ("1 | 2 | 3 | 5"): not data.
pub fn is_numbering_row(row: &[Cell]) -> bool {
    let vals: Vec<String> = row
        .iter()
        .filter(|c| !c.is_empty())
        .map(Cell::display)
        .collect();
    vals.len() >= 2
        && vals
            .iter()
            .all(|v| column_number(v).is_some_and(|n| n <= 30))
}

/// A column's number as printed under a table's header: `3`, `(3)`, `[3]` or `3.`.
fn column_number(t: &str) -> Option<u32> {
    let t = t.trim();
    let t = (t.strip_prefix('(').and_then(|t| t.strip_suffix(')')))
        .or_else(|| t.strip_prefix('[').and_then(|t| t.strip_suffix(']')))
        .unwrap_or(t);
    let t = t.strip_suffix('.').unwrap_or(t);
    t.trim().parse::<u32>().ok()
}

/// What every realization reader starts from (the shared prologue of `anggaran`, `rekap`,
/// `iku` and `rtl`): its sheet's outcome, and what the text around the header says of the
/// sheet as a whole — its year and its unit (`context_texts`).
pub(crate) struct Prologue {
    pub outcome: SheetOutcome,
    pub tahun: Option<i32>,
    pub unit_id: Option<String>,
    /// The one quarter or semester the title rows, the sheet's name or the file's name name
    /// (`REKAP IKM TRIWULAN III TAHUN 2024`); `None` when they name none or several.
    pub periode: Option<crate::domain::Periode>,
    /// The year the title rows, the sheet's name or the file's name give (not the headers):
    /// which of several yearly columns is the sheet's (`iku::choose`).
    pub tahun_judul: Option<i32>,
}

pub(crate) fn prologue(s: SheetIn<'_>, kind: SheetKind) -> Prologue {
    let texts = context_texts(s.sheet, s.th.row, &s.th.texts);
    // (Not the headers: `Nilai IKM TW III` names its column's period, not the sheet's.)
    let around: Vec<String> = (s.sheet.rows[..s.th.row].iter())
        .flat_map(|r| r.iter().map(Cell::display))
        .filter(|t| !t.is_empty())
        .chain([s.sheet.sheet.clone(), s.sheet.file.replace(['_', '-'], " ")])
        .collect();
    let mut periods: Vec<crate::domain::Periode> = Vec::new();
    // (`Tahun 2024` beside `Triwulan III` names the year, not a period.)
    for p in around
        .iter()
        .flat_map(|t| crate::normalize::periods_in_text(t))
    {
        if p != crate::domain::Periode::Tahun && !periods.contains(&p) {
            periods.push(p);
        }
    }
    Prologue {
        outcome: SheetOutcome::of(kind),
        tahun: texts.iter().find_map(|t| year_in_text(t)),
        unit_id: texts.iter().find_map(|t| unit_in_text(t, s.ctx.registry)),
        tahun_judul: around.iter().find_map(|t| year_in_text(t)),
        periode: match periods.as_slice() {
            [p] => Some(*p),
            _ => None,
        },
    }
}

/// A folded budget heading without its currency, year and scale words (`pagu rp 000` →
/// `pagu`; `pagu anggaran tahun 2024` → `pagu anggaran`).
fn without_amount_words(h: &str) -> String {
    const DROP: [&str; 10] = [
        "rp", "rupiah", "tahun", "ta", "ribu", "ribuan", "juta", "jutaan", "dalam", "000",
    ];
    let year = |w: &str| w.len() == 4 && w.starts_with("20");
    h.split(' ')
        .filter(|w| !(DROP.contains(w) || year(w)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A realization sheet refused as a whole, every row with it (a recap without a unit column,
/// indicators whose yearly columns cannot be told apart).
pub(crate) fn refused(
    sheet: &RawSheet,
    th: &TableHeader,
    mut o: SheetOutcome,
    out: &mut Output,
    kode: RejectCode,
    alasan: String,
) -> SheetOutcome {
    o.kind = SheetKind::Ditolak;
    o.rows_read = data_rows(sheet, th)
        .filter(|(_, r, _)| !r.iter().all(Cell::is_empty))
        .count();
    o.rejected = o.rows_read;
    out.rejects.push(crate::normalize::sheet_reject(
        sheet,
        Some(th.row),
        "",
        kode,
        alasan,
    ));
    o
}

/// A realization sheet as its reader (`anggaran`, `rekap`, `iku`, `rtl`) gets it: the sheet,
/// the header found on it and the run's context.
#[derive(Clone, Copy)]
pub struct SheetIn<'a> {
    pub sheet: &'a RawSheet,
    pub th: &'a TableHeader,
    pub ctx: &'a Context<'a>,
}

/// The rows under a header: each with its index in the sheet and its row number in the file.
/// A row hidden by hand is not among them (`hidden_by_hand`; counted by `count_hidden`).
pub(crate) fn data_rows<'s>(
    sheet: &'s RawSheet,
    th: &TableHeader,
) -> impl Iterator<Item = (usize, &'s [Cell<'static>], u32)> + 's {
    (th.data_start..sheet.rows.len())
        .filter(move |&r| !hidden_by_hand(sheet, r))
        .map(move |r| (r, sheet.rows[r].as_slice(), (sheet.first_row + r) as u32))
}

/// Whether row `r` (0-based in the sheet) holds something and was hidden by hand (Excel's
/// "Hide", outside an active filter and any outline group): in a realization sheet, a line
/// the unit replaced or no longer uses, which it keeps out of view. Not read. A row filtered
/// out of view (an active `<autoFilter>`) or folded in a collapsed group is read: the unit
/// only narrowed its view of lines that stand. (docs/inputs.md, "Hidden rows".)
fn hidden_by_hand(sheet: &RawSheet, r: usize) -> bool {
    let row = (sheet.first_row + r) as u32;
    sheet.visibility.of(row) == Some(Hidden::ByHand) && !sheet.rows[r].iter().all(Cell::is_empty)
}

/// The rows from `from` (0-based in the sheet) on that hold something and are hidden, for
/// whatever reason: each index and why.
pub(crate) fn hidden_below(
    sheet: &RawSheet,
    from: usize,
) -> impl Iterator<Item = (usize, Hidden)> + '_ {
    let first = (sheet.first_row + from) as u32;
    let start = (sheet.visibility.hidden).partition_point(|&(r, _)| r < first);
    (sheet.visibility.hidden[start..].iter())
        .filter_map(move |&(row, why)| {
            Some((row as usize).checked_sub(sheet.first_row)?).map(|r| (r, why))
        })
        .filter(move |&(r, _)| {
            sheet
                .rows
                .get(r)
                .is_some_and(|c| !c.iter().all(Cell::is_empty))
        })
}

/// A realization sheet's outcome with its hidden data rows counted: those hidden by hand,
/// which `data_rows` left out, as skipped and named (`hidden_skipped`); the others read
/// (`hidden_read`). Nothing is left out silently.
pub(crate) fn count_hidden(
    sheet: &RawSheet,
    th: &TableHeader,
    mut o: SheetOutcome,
) -> SheetOutcome {
    for (r, why) in hidden_below(sheet, th.data_start) {
        if why == Hidden::ByHand {
            o.skipped += 1;
            o.hidden_skipped.push((sheet.first_row + r) as u32);
        } else {
            o.hidden_read += 1;
        }
    }
    o
}

impl Problem {
    /// A problem at a column: its header (empty where the sheet has no such column), the value
    /// found, and why.
    pub(crate) fn at(
        kolom: Option<&str>,
        nilai: String,
        kode: RejectCode,
        alasan: String,
    ) -> Problem {
        Problem {
            kolom: kolom.unwrap_or_default().to_string(),
            nilai,
            kode,
            alasan,
        }
    }
}

/// The texts above the header, then the header texts, then sheet and file names: where a
/// year is looked for when the sheet has no year column.
pub fn context_texts(sheet: &RawSheet, header_row: usize, header: &[String]) -> Vec<String> {
    let mut texts: Vec<String> = sheet.rows[..header_row]
        .iter()
        .flat_map(|r| r.iter().map(Cell::display))
        .filter(|t| !t.is_empty())
        .collect();
    texts.extend(header.iter().cloned());
    texts.push(sheet.sheet.clone());
    texts.push(sheet.file.replace(['_', '-'], " "));
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn figures_that_no_sub_heading_is() {
        for t in ["88,13", "Rp 1.000", "85%", "150", "0,385"] {
            assert!(is_figure(t), "{t}");
        }
        for t in ["2024", "1", "4", "30", "%", "(Rp)", "-", "TW I", "Target"] {
            assert!(!is_figure(t), "{t}");
        }
    }

    #[test]
    fn follow_up_plans_are_told_by_their_header() {
        let l = Layouts::embedded().unwrap();
        for h in [
            // skm's template
            &[
                "No",
                "Unit Layanan",
                "Tahun",
                "Periode",
                "Peringkat",
                "Prioritas Unsur",
                "NRR",
                "Seri",
                "Program/Kegiatan",
                "Waktu",
                "Penanggung Jawab",
                "Status",
            ][..],
            // the printed table of 002 l.3518–3528
            &[
                "No.",
                "Prioritas Unsur",
                "Program/Kegiatan",
                "Waktu",
                "Penanggung\nJawab",
            ],
            &[
                "No",
                "Unsur Pelayanan",
                "Rencana Tindak Lanjut",
                "Jadwal",
                "PIC",
            ],
            &[
                "No",
                "Unsur yang Perlu Diperbaiki",
                "Kegiatan Perbaikan",
                "Target Waktu",
                "Keterangan",
            ],
            &["Unsur Terendah", "Rekomendasi", "Penanggung Jawab"],
        ] {
            assert_eq!(l.detect(&row(h)), Some(Kind::Rtl), "{h:?}");
        }
        // The other kinds stay theirs; a plan needs a when or a who.
        let budget = ["Kode", "Uraian", "Pagu", "Realisasi", "%"];
        assert_eq!(l.detect(&row(&budget)), Some(Kind::Anggaran));
        let iku = ["No", "Indikator Kinerja", "Target", "Realisasi", "Capaian"];
        assert_eq!(l.detect(&row(&iku)), Some(Kind::Iku));
        assert_eq!(
            l.detect(&row(&["No", "Prioritas Unsur", "Program/Kegiatan"])),
            None
        );
    }
}
