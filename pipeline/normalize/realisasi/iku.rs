//! Indicator (IKU) realization sheets: indikator, target, realisasi, optional capaian, satuan,
//! direction, unit and year (004 lines 766–810). Capaian = realisasi ÷ target × 100, or
//! target ÷ realisasi × 100 where lower is better (docs/DOMAIN.md, "Realization sheets").

use std::collections::BTreeMap;

use crate::domain::number::{Kind as NumKind, NumError};
use crate::domain::unsur::fold;
use crate::ingest::{Cell, RawSheet};
use crate::normalize::values::year_in_text;
use crate::normalize::{Context, Output, RejectCode, SheetKind, SheetOutcome};

use super::{
    agrees_percent, data_rows, is_numbering_row, prologue, read_num, refused, reject_row, shown,
    strip_numbering, Kind, Num, Problem, Prologue, SheetIn, Site,
};

/// Which way an indicator improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Arah {
    /// Higher is better: capaian = realisasi ÷ target × 100.
    Naik,
    /// Lower is better (poverty, unemployment, Gini, inflation, disaster risk):
    /// capaian = target ÷ realisasi × 100.
    Turun,
}

impl Arah {
    pub fn as_str(self) -> &'static str {
        match self {
            Arah::Naik => "naik",
            Arah::Turun => "turun",
        }
    }

    fn parse(s: &str) -> Option<Arah> {
        let f = fold(s);
        let has = |w: &[&str]| {
            w.iter()
                .any(|k| f.split(' ').any(|x| x == *k) || f.contains(k))
        };
        let words: Vec<&str> = f.split(' ').collect();
        // `Semakin rendah semakin baik`, `Makin kecil makin baik`, `Lebih rendah`: the word
        // after `semakin`, `makin` or `lebih` (alone, `rendah` may be a target's wording).
        let compared = |w: &[&str]| {
            (words.windows(2))
                .any(|p| matches!(p[0], "semakin" | "makin" | "lebih") && w.contains(&p[1]))
        };
        // Whole words only: `min` and `max` are inside other words; `-` alone is "nothing".
        let word = |w: &[&str]| words.iter().any(|x| w.contains(x));
        let sign = |w: &[&str]| w.contains(&s.trim());
        let old_down = [
            "turun",
            "negatif",
            "menurun",
            "lebih kecil",
            "minimal",
            "minimize",
            "lower",
        ];
        if has(&old_down) {
            return Some(Arah::Turun);
        }
        let old_up = [
            "naik",
            "positif",
            "meningkat",
            "lebih besar",
            "maksimal",
            "maximize",
            "higher",
        ];
        if has(&old_up) {
            return Some(Arah::Naik);
        }
        let down = compared(&["rendah", "kecil", "sedikit"])
            || word(&["min", "minimum", "decrease"])
            || sign(&["↓", "(-)", "▼"]);
        let up = compared(&["tinggi", "besar", "banyak"])
            || word(&["max", "maximum", "increase"])
            || sign(&["↑", "(+)", "▲"]);
        match (down, up) {
            (true, false) => Some(Arah::Turun),
            (false, true) => Some(Arah::Naik),
            _ => None,
        }
    }
}

impl Arah {
    /// The direction a text states outside a direction column: the phrase `semakin rendah
    /// semakin baik` (`makin kecil makin baik`, `semakin tinggi semakin baik`, …) anywhere in
    /// it, or the whole text a direction as a direction column writes it (`Menurun`, `↓`) when
    /// `whole` (a `Keterangan` cell, a name's part in brackets). Free text that merely holds
    /// a direction's word (`anggaran menurun`, `Persentase penurunan …`) states none.
    fn stated(s: &str, whole: bool) -> Option<Arah> {
        let f = fold(s);
        let words: Vec<&str> = f.split(' ').collect();
        let better = |w: &[&str]| {
            (0..words.len()).any(|i| {
                matches!(words[i], "semakin" | "makin" | "lebih")
                    && words.get(i + 1).is_some_and(|x| w.contains(x))
                    && words[i + 2..].iter().take(2).any(|x| *x == "baik")
            })
        };
        match (
            better(&["rendah", "kecil", "sedikit"]),
            better(&["tinggi", "besar", "banyak"]),
        ) {
            (true, false) => return Some(Arah::Turun),
            (false, true) => return Some(Arah::Naik),
            _ => {}
        }
        // A word (`Menurun`, `↓`), or a comparison (`Lebih kecil`, `Semakin rendah`).
        let direction = match words.as_slice() {
            [_] => true,
            [w, _] => matches!(*w, "semakin" | "makin" | "lebih"),
            _ => false,
        };
        (whole && direction).then(|| Arah::parse(s)).flatten()
    }

    /// The direction an indicator's name states: the phrase, or a part in brackets that is a
    /// direction (`Angka Kematian Ibu (menurun)`).
    fn in_name(name: &str) -> Option<Arah> {
        Arah::stated(name, false).or_else(|| {
            (name.split('(').skip(1))
                .filter_map(|p| p.split(')').next())
                .find_map(|p| Arah::stated(p, true))
        })
    }
}

crate::labels! {
    /// Where an indicator's direction came from (`iku_capaian.arah_basis`).
    pub enum ArahBasis {
        /// A direction column.
        Kolom = "kolom",
        /// The row's `Keterangan` cell (`Semakin kecil semakin baik`, `Menurun`).
        Keterangan = "keterangan",
        /// The indicator's name (`Incidence Rate DBD (semakin rendah semakin baik)`).
        Nama = "nama",
        /// The configured lower-is-better list (`[iku]`).
        Daftar = "daftar",
        /// The default: higher is better.
        Bawaan = "bawaan",
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IkuRow {
    pub unit_id: Option<String>,
    pub tahun: Option<i32>,
    pub sasaran: Option<String>,
    pub indikator: String,
    pub satuan: Option<String>,
    pub target: Option<f64>,
    pub target_teks: String,
    pub realisasi: Option<f64>,
    pub realisasi_teks: String,
    /// The decimals the realisasi was written with (a number cell: at least 2), to compare
    /// a figure skm recomputes at the stated precision.
    pub realisasi_desimal: Option<u32>,
    pub arah: Arah,
    pub arah_basis: ArahBasis,
    pub capaian: Option<f64>,
    pub capaian_tertulis: Option<f64>,
    pub catatan: Option<String>,
    pub source_file: String,
    pub sheet: String,
    pub source_row: u32,
}

/// The field column `c` names: its second-row heading's when that names one (`Target` under
/// `Capaian Kinerja` is the target, not a capaian), else its (glued) heading's.
pub fn field_of<'l>(
    real: &'l super::Layouts,
    texts: &[String],
    subs: &[String],
    c: usize,
) -> Option<&'l str> {
    (subs.get(c).filter(|s| !s.trim().is_empty()))
        .and_then(|s| real.field(Kind::Iku, s))
        .or_else(|| real.field(Kind::Iku, &texts[c]))
}

/// The column of each field the header names (`choose` among several naming it).
fn field_columns<'a>(
    ctx: &'a Context<'_>,
    texts: &[String],
    subs: &[String],
    tahun: Option<i32>,
) -> Result<BTreeMap<&'a str, usize>, String> {
    let mut candidates: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for c in 0..texts.len() {
        if let Some(f) = field_of(ctx.realisasi, texts, subs, c) {
            candidates.entry(f).or_default().push(c);
        }
    }
    (candidates.into_iter())
        .map(|(f, cs)| Ok((f, choose(f, &cs, texts, tahun)?)))
        .collect()
}

/// Which of several columns naming one field is the year's (`Realisasi 2022 | Realisasi
/// 2023 | Target 2024 | Realisasi 2024`, `Target Akhir Renstra | Target`): the one naming the
/// sheet's year, else the first that is no plan's (`Renstra`, `RPJMD`, `Akhir`, `Awal`,
/// `Kondisi`, `Baseline`); several naming different years, none of them the sheet's, are
/// refused (a guess would compare one year's realisasi with another's target).
fn choose(
    field: &str,
    cs: &[usize],
    texts: &[String],
    tahun: Option<i32>,
) -> Result<usize, String> {
    if let [c] = cs {
        return Ok(*c);
    }
    let year = |c: &usize| year_in_text(&texts[*c]);
    // (Plan columns first out: `Target RPJMD 2024` beside `Target PK 2024` is not the year's.)
    const PLAN: [&str; 7] = [
        "renstra", "rpjmd", "akhir", "awal", "kondisi", "baseline", "dasar",
    ];
    let current: Vec<usize> = (cs.iter().copied())
        .filter(|c| !fold(&texts[*c]).split(' ').any(|w| PLAN.contains(&w)))
        .collect();
    let pool = if current.is_empty() { cs } else { &current };
    if let Some(&c) = pool.iter().find(|c| tahun.is_some() && year(c) == tahun) {
        return Ok(c);
    }
    let mut years: Vec<i32> = pool.iter().filter_map(year).collect();
    years.sort_unstable();
    years.dedup();
    if years.len() > 1 {
        let named: Vec<String> = cs
            .iter()
            .map(|c| format!("'{}'", texts[*c].trim()))
            .collect();
        let title = match tahun {
            Some(y) => format!("tidak satu pun untuk tahun judulnya ({y})"),
            None => "judul lembar tidak menyebut tahun mana yang dilaporkan".to_string(),
        };
        return Err(format!(
            "kolom {} sama-sama berarti {field} untuk tahun yang berbeda, dan {title}; tulis \
             tahunnya di judul (mis. 'Capaian IKU Tahun {}') atau sisakan satu kolom {field}",
            named.join(", "),
            years.iter().max().copied().unwrap_or_default()
        ));
    }
    Ok(pool[0])
}

/// A column: where it stands, the last column its heading spans (empty headings to its right,
/// as merged cells leave them), and its header text.
#[derive(Debug, Clone)]
struct Column {
    col: usize,
    end: usize,
    header: String,
}

/// Where each field stands in the sheet, worked out from the header (and again from a header
/// repeated at a page break).
struct Columns {
    indikator: Option<Column>,
    sasaran: Option<Column>,
    target: Option<Column>,
    realisasi: Option<Column>,
    capaian: Option<Column>,
    satuan: Option<Column>,
    arah: Option<Column>,
    keterangan: Option<Column>,
    unit: Option<Column>,
    tahun: Option<Column>,
}

impl Columns {
    fn of(ctx: &Context<'_>, texts: &[String], subs: &[String], tahun: Option<i32>) -> Columns {
        // (A header that `read` refused is never read: `unwrap_or_default` maps nothing.)
        let field_col = field_columns(ctx, texts, subs, tahun).unwrap_or_default();
        let column = |f: &str| {
            let &col = field_col.get(f)?;
            let mut end = col;
            while end + 1 < texts.len() && texts[end + 1].trim().is_empty() {
                end += 1;
            }
            let header = texts[col].clone();
            Some(Column { col, end, header })
        };
        Columns {
            indikator: column("indikator"),
            sasaran: column("sasaran"),
            target: column("target"),
            realisasi: column("realisasi"),
            capaian: column("capaian"),
            satuan: column("satuan"),
            arah: column("arah"),
            keterangan: column("keterangan"),
            unit: column("unit"),
            tahun: column("tahun"),
        }
    }
}

/// The cell of a column (empty where the sheet has no such column).
fn cell<'r>(row: &'r [Cell], column: &Option<Column>) -> &'r Cell<'r> {
    column
        .as_ref()
        .and_then(|c| row.get(c.col))
        .unwrap_or(&Cell::Empty)
}

/// The text under a heading, over the columns it spans (a heading over merged cells spans the
/// empty headings to its right).
fn spanned(row: &[Cell], column: &Option<Column>) -> String {
    let Some(c) = column else {
        return String::new();
    };
    (c.col..=c.end)
        .filter_map(|i| row.get(i).map(Cell::display))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A problem at a column: its header (empty where the sheet has no such column) and `nilai`.
fn at(column: &Option<Column>, nilai: String, kode: RejectCode, alasan: String) -> Problem {
    Problem::at(
        column.as_ref().map(|c| c.header.as_str()),
        nilai,
        kode,
        alasan,
    )
}

/// True for an indicator that is a unit's (or the city's) IKM itself: "Indeks Kepuasan
/// Masyarakat terhadap Layanan Publik" (000 l.625, 004 l.774), "Indeks Kepuasan Masyarakat
/// (IKM) terhadap Layanan Publik" (003 l.1085), "IKM", "Nilai IKM", "Nilai Indeks Kepuasan
/// Masyarakat", "Indeks SKM"; not a measure derived from it ("Persentase unit layanan dengan
/// nilai IKM minimal B", "Jumlah unit yang melaksanakan SKM", "Peningkatan IKM").
pub fn is_ikm_indicator(indikator: &str) -> bool {
    let f = fold(indikator);
    let padded = format!(" {f} ");
    let names = [
        "indeks kepuasan masyarakat",
        "ikm",
        "indeks skm",
        "nilai skm",
        "indeks kepuasan pelayanan masyarakat",
    ]
    .iter()
    .any(|p| padded.contains(&format!(" {p} ")));
    let derived = [
        "persentase",
        "presentase",
        "prosentase",
        "jumlah",
        "rasio",
        "proporsi",
        "cakupan",
        "banyaknya",
        "peningkatan",
        "kenaikan",
        "penurunan",
        "pertumbuhan",
        "selisih",
    ]
    .iter()
    .any(|w| f.split(' ').any(|x| x == *w));
    names && !derived
}

/// Reads an indicator sheet whose header is `th`: its columns resolved (again at a header
/// repeated at a page break), then each row read (`RowReader::read`) and an accepted one's
/// direction and capaian worked out and the stated capaian checked (`RowReader::accept`).
pub fn read(s: SheetIn<'_>, out: &mut Output) -> SheetOutcome {
    let SheetIn { sheet, th, ctx } = s;
    let Prologue {
        outcome: mut o,
        tahun,
        unit_id,
        tahun_judul,
        ..
    } = prologue(s, SheetKind::Iku);
    let fields = match field_columns(ctx, &th.texts, &th.subs, tahun_judul) {
        Ok(fields) => fields,
        Err(alasan) => return refused(sheet, th, o, out, RejectCode::KolomGanda, alasan),
    };
    for (f, c) in fields {
        o.mapping.push((th.texts[c].clone(), f.to_string()));
    }
    let mut reader = RowReader {
        ctx,
        cols: Columns::of(ctx, &th.texts, &th.subs, tahun_judul),
        sheet_year: tahun,
        title_year: tahun_judul,
        sheet_unit: unit_id,
        lower_list: ctx.lower_is_better.iter().map(|s| fold(s)).collect(),
        sasaran: None,
        above: (None, None),
    };
    for (_, row, source_row) in data_rows(sheet, th) {
        match reader.read(row) {
            Row::Skipped => o.skipped += 1,
            Row::Rejected(problems) => reject_row(&mut o, sheet, source_row, problems, out),
            Row::Accepted(stated) => {
                o.rows_read += 1;
                o.accepted += 1;
                let line = reader.accept(stated, row, sheet, source_row, out);
                out.iku.push(line);
            }
        }
    }
    o
}

/// What became of one row.
enum Row {
    /// Blank, column numbering, a header repeated, a section row or a sasaran alone.
    Skipped,
    /// Every problem found in the row (at least one).
    Rejected(Vec<Problem>),
    Accepted(Stated),
}

/// What an accepted row states.
struct Stated {
    indikator: String,
    target: Option<Num>,
    realisasi: Option<Num>,
    capaian_tertulis: Option<Num>,
    unit_id: Option<String>,
    tahun: Option<i32>,
}

/// Reads the rows of one sheet, with what every row shares.
struct RowReader<'a> {
    ctx: &'a Context<'a>,
    cols: Columns,
    sheet_year: Option<i32>,
    /// The year the title or the names give (`Prologue::tahun_judul`).
    title_year: Option<i32>,
    sheet_unit: Option<String>,
    /// The configured lower-is-better keywords, folded.
    lower_list: Vec<String>,
    /// The last sasaran named above the row.
    sasaran: Option<String>,
    /// The last unit and year read from their columns: a cell merged down over several
    /// indicators holds its value in the first row only. `Some(None)`: the one above could
    /// not be read (the rows under it are not filed under an older one).
    above: (Option<Option<String>>, Option<Option<i32>>),
}

impl RowReader<'_> {
    fn read(&mut self, row: &[Cell]) -> Row {
        if row.iter().all(Cell::is_empty) || is_numbering_row(row) {
            return Row::Skipped;
        }
        let row_texts: Vec<String> = row.iter().map(Cell::display).collect();
        if self.ctx.realisasi.detect(&row_texts) == Some(Kind::Iku) {
            // The header repeated at a page break, perhaps laid out anew: map it again.
            self.cols = Columns::of(self.ctx, &row_texts, &[], self.title_year);
            return Row::Skipped;
        }
        let s = strip_numbering(&spanned(row, &self.cols.sasaran));
        if !s.is_empty() {
            self.sasaran = Some(s);
        }
        let indikator = strip_numbering(&spanned(row, &self.cols.indikator));
        let no_figures =
            cell(row, &self.cols.target).is_empty() && cell(row, &self.cols.realisasi).is_empty();
        if indikator.is_empty() || no_figures {
            return Row::Skipped; // a section row ("Misi I : …") or a sasaran without indicator
        }
        let mut problems = Vec::new();
        let target = self.number(row, &self.cols.target, NumKind::Any, &mut problems);
        let realisasi = self.number(row, &self.cols.realisasi, NumKind::Any, &mut problems);
        let capaian_tertulis =
            self.number(row, &self.cols.capaian, NumKind::Percent, &mut problems);
        let unit_id = self.unit(row, &mut problems);
        let tahun = self.tahun(row, &mut problems);
        if !problems.is_empty() {
            return Row::Rejected(problems);
        }
        Row::Accepted(Stated {
            indikator,
            target,
            realisasi,
            capaian_tertulis,
            unit_id,
            tahun,
        })
    }

    /// A number; a text that is not one is kept as text ("WTP", "8 Laporan").
    fn number(
        &self,
        row: &[Cell],
        column: &Option<Column>,
        kind: NumKind,
        problems: &mut Vec<Problem>,
    ) -> Option<Num> {
        let c = cell(row, column);
        match read_num(c, kind) {
            Ok(v) => v,
            Err(NumError::NotANumber) => None,
            Err(e) => {
                problems.push(at(
                    column,
                    c.display(),
                    RejectCode::AngkaAmbigu,
                    e.to_string(),
                ));
                None
            }
        }
    }

    /// The unit: the row's unit column, else (blank: a cell merged down) the unit above it,
    /// else the unit the sheet names.
    fn unit(&mut self, row: &[Cell], problems: &mut Vec<Problem>) -> Option<String> {
        let column = &self.cols.unit;
        let u = cell(row, column).display();
        if u.is_empty() {
            return match &self.above.0 {
                Some(Some(unit)) => Some(unit.clone()),
                Some(None) => {
                    let alasan = "sel unit kosong, dan unit di atasnya (sel yang digabung) tidak dikenal; tulis \
                         nama unit yang terdaftar di sel itu"
                        .into();
                    problems.push(at(column, u, RejectCode::UnitTidakDikenal, alasan));
                    None
                }
                None => self.sheet_unit.clone(),
            };
        }
        let found = self
            .ctx
            .registry
            .lookup_fuzzy(&u)
            .map(|(unit, _)| unit.unit_id.clone());
        self.above.0 = Some(found.clone());
        match found {
            Some(unit) => Some(unit),
            None => {
                let hint = self.ctx.registry.unknown_unit_hint(&u);
                let alasan = format!("unit ini tidak ada dalam daftar unit; {hint}");
                problems.push(at(column, u, RejectCode::UnitTidakDikenal, alasan));
                None
            }
        }
    }

    /// The year: the row's year column, else (blank: a cell merged down) the year above it,
    /// else the year the sheet names.
    fn tahun(&mut self, row: &[Cell], problems: &mut Vec<Problem>) -> Option<i32> {
        let column = &self.cols.tahun;
        let t = cell(row, column).display();
        if t.is_empty() {
            return match self.above.1 {
                Some(Some(y)) => Some(y),
                Some(None) => {
                    let alasan = "sel tahun kosong, dan tahun di atasnya (sel yang digabung) tidak terbaca; tulis \
                         tahunnya (4 angka) di sel itu"
                        .into();
                    problems.push(at(column, t, RejectCode::TahunTidakTerbaca, alasan));
                    None
                }
                None => self.sheet_year,
            };
        }
        let year = (t.trim().parse::<i32>().ok()).filter(|y| (2000..=2100).contains(y));
        self.above.1 = Some(year);
        match year {
            Some(_) => {}
            None => {
                let alasan = "tahun harus 4 angka (2000–2100)".into();
                problems.push(at(column, t.clone(), RejectCode::TahunTidakTerbaca, alasan));
            }
        }
        year
    }

    /// An accepted row: its direction and capaian, the stated capaian checked.
    fn accept(
        &self,
        s: Stated,
        row: &[Cell],
        sheet: &RawSheet,
        source_row: u32,
        out: &mut Output,
    ) -> IkuRow {
        let (arah, arah_basis) = self.arah(row, &s.indikator);
        let (capaian, catatan) = capaian(&s, arah, row, &self.cols);
        let site = Site {
            sheet,
            source_row,
            unit_id: s.unit_id.clone(),
            tahun: s.tahun,
        };
        let catatan = check_capaian(&s, (arah, arah_basis), capaian, catatan, &site, out);
        let target_cell = cell(row, &self.cols.target);
        IkuRow {
            unit_id: s.unit_id,
            tahun: s.tahun,
            sasaran: self.sasaran.clone(),
            indikator: s.indikator,
            satuan: Some(cell(row, &self.cols.satuan).display())
                .filter(|t| !t.is_empty())
                .or_else(|| s.target.filter(|t| t.percent).map(|_| "%".to_string())),
            target: s.target.map(|t| t.f64()),
            target_teks: target_cell.display(),
            realisasi: s.realisasi.map(|t| t.f64()),
            realisasi_desimal: s.realisasi.map(|t| t.decimals),
            realisasi_teks: cell(row, &self.cols.realisasi).display(),
            arah,
            arah_basis,
            capaian,
            // A %-formatted cell (0.978 shown as 97,80%) as the percentage it agrees as.
            capaian_tertulis: (s.capaian_tertulis).map(|c| {
                capaian
                    .and_then(|v| agrees_percent(&c, v))
                    .unwrap_or(c)
                    .f64()
            }),
            catatan,
            source_file: sheet.file.clone(),
            sheet: sheet.sheet.clone(),
            source_row,
        }
    }

    /// Which way the indicator improves: its direction column, else a direction its
    /// `Keterangan` or its name states (`Arah::stated`), else the configured lower-is-better
    /// list, else higher is better.
    fn arah(&self, row: &[Cell], indikator: &str) -> (Arah, ArahBasis) {
        if let Some(a) = Arah::parse(&cell(row, &self.cols.arah).display()) {
            return (a, ArahBasis::Kolom);
        }
        if let Some(a) = Arah::stated(&cell(row, &self.cols.keterangan).display(), true) {
            return (a, ArahBasis::Keterangan);
        }
        if let Some(a) = Arah::in_name(indikator) {
            return (a, ArahBasis::Nama);
        }
        let f = fold(indikator);
        let phrased_as_reduction = ["penurunan", "pengurangan", "menurunnya", "berkurangnya"]
            .iter()
            .any(|w| f.split(' ').any(|x| x == *w));
        let word = |k: &str| {
            format!(" {f} ").contains(&format!(" {k} ")) || f.split(' ').any(|x| x.starts_with(k))
        };
        if !phrased_as_reduction && self.lower_list.iter().any(|k| word(k)) {
            (Arah::Turun, ArahBasis::Daftar)
        } else {
            (Arah::Naik, ArahBasis::Bawaan)
        }
    }
}

/// The capaian, and a note where it cannot be computed.
fn capaian(s: &Stated, arah: Arah, row: &[Cell], cols: &Columns) -> (Option<f64>, Option<String>) {
    let target_cell = cell(row, &cols.target);
    match (s.target, s.realisasi) {
        (Some(t), Some(re)) => {
            let c = crate::domain::capaian(t.f64(), re.f64(), arah == Arah::Turun);
            let catatan = c
                .is_none()
                .then(|| "pembagi nol: capaian tidak dapat dihitung".to_string());
            (c, catatan)
        }
        (None, _) if !target_cell.is_empty() => (
            None,
            Some(format!(
                "target '{}' bukan angka: tidak ada capaian",
                target_cell.display()
            )),
        ),
        (_, None) => (
            None,
            Some(format!(
                "realisasi '{}' tidak tersedia atau bukan angka: tidak ada capaian",
                cell(row, &cols.realisasi).display()
            )),
        ),
        _ => (None, None),
    }
}

/// The stated capaian against the computed one: a finding where they differ, a note where it
/// cannot be recomputed. Returns the row's note.
fn check_capaian(
    s: &Stated,
    (arah, basis): (Arah, ArahBasis),
    capaian: Option<f64>,
    catatan: Option<String>,
    site: &Site<'_>,
    out: &mut Output,
) -> Option<String> {
    let rumus = |a: Arah| match a {
        Arah::Naik => "realisasi ÷ target × 100",
        Arah::Turun => "target ÷ realisasi × 100 (lebih kecil lebih baik)",
    };
    match (capaian, s.capaian_tertulis) {
        (Some(c), Some(st)) if agrees_percent(&st, c).is_none() => {
            let finding = match other_direction(s, arah, basis, &st) {
                // The unit's figure is right under the other direction, which the sheet does
                // not state: the direction is in question, not the unit's arithmetic.
                Some(other) => site.finding(
                    "arah",
                    st.value.to_string(),
                    shown(&st, c),
                    Some(st.f64() - c),
                    format!(
                        "{}: capaian tertulis {} sesuai rumus {} ({}); arah indikator tidak \
                         dinyatakan (kolom Arah, Keterangan atau nama indikator) sehingga \
                         dihitung {} ({}, {}). Bila memang {}, tulis arahnya (mis. kolom Arah \
                         '{}') dan kirim ulang; bila tidak, capaian tertulis keliru",
                        s.indikator,
                        st.value,
                        rumus(other),
                        other.as_str(),
                        rumus(arah),
                        arah.as_str(),
                        basis.as_str(),
                        match other {
                            Arah::Turun => "semakin rendah semakin baik",
                            Arah::Naik => "semakin tinggi semakin baik",
                        },
                        match other {
                            Arah::Turun => "Menurun",
                            Arah::Naik => "Naik",
                        },
                    ),
                ),
                None => site.finding(
                    "capaian",
                    st.value.to_string(),
                    shown(&st, c),
                    Some(st.f64() - c),
                    format!("{}: {} ({})", s.indikator, rumus(arah), arah.as_str()),
                ),
            };
            out.findings.push(finding);
            catatan
        }
        (None, Some(st)) => {
            let note = format!("capaian tertulis {} tidak dapat dihitung ulang", st.value);
            Some(match catatan {
                Some(c) => format!("{c}; {note}"),
                None => note,
            })
        }
        _ => catatan,
    }
}

/// The other direction, when the sheet does not state one (the list's or the default) and the
/// stated capaian agrees with that direction's formula and not with the one used.
fn other_direction(s: &Stated, arah: Arah, basis: ArahBasis, stated: &Num) -> Option<Arah> {
    if !matches!(basis, ArahBasis::Daftar | ArahBasis::Bawaan) {
        return None;
    }
    let other = match arah {
        Arah::Naik => Arah::Turun,
        Arah::Turun => Arah::Naik,
    };
    let (t, re) = (s.target?, s.realisasi?);
    let c = crate::domain::capaian(t.f64(), re.f64(), other == Arah::Turun)?;
    agrees_percent(stated, c).map(|_| other)
}

#[cfg(test)]
mod tests {
    use super::{is_ikm_indicator, Arah};

    #[test]
    fn directions_as_offices_write_them() {
        for (t, a) in [
            ("Turun", Some(Arah::Turun)),
            ("Semakin rendah semakin baik", Some(Arah::Turun)),
            ("Semakin kecil semakin baik", Some(Arah::Turun)),
            ("Min", Some(Arah::Turun)),
            ("↓", Some(Arah::Turun)),
            ("(-)", Some(Arah::Turun)),
            ("Minimal", Some(Arah::Turun)),
            ("Naik", Some(Arah::Naik)),
            ("Semakin tinggi semakin baik", Some(Arah::Naik)),
            ("Semakin besar semakin baik", Some(Arah::Naik)),
            ("Max", Some(Arah::Naik)),
            ("↑", Some(Arah::Naik)),
            ("(+)", Some(Arah::Naik)),
            ("Positif", Some(Arah::Naik)),
            ("", None),
            ("Persen", None),
            // `-` alone is "nothing here"; `sedikit` alone is no direction.
            ("-", None),
            ("Paling sedikit 80%", None),
            (
                "Semakin tinggi semakin baik, tidak boleh rendah",
                Some(Arah::Naik),
            ),
        ] {
            assert_eq!(Arah::parse(t), a, "{t:?}");
        }
    }

    #[test]
    fn directions_stated_in_a_name_or_a_remark() {
        for (name, a) in [
            (
                "Incidence Rate DBD (semakin rendah semakin baik)",
                Some(Arah::Turun),
            ),
            (
                "Angka kematian bayi, makin kecil makin baik",
                Some(Arah::Turun),
            ),
            ("Angka Kematian Ibu (menurun)", Some(Arah::Turun)),
            ("Cakupan imunisasi (↑)", Some(Arah::Naik)),
            // A direction's word in the name's own wording states nothing.
            ("Persentase penurunan angka kemiskinan", None),
            ("Jumlah kasus yang menurun", None),
            (
                "Persentase sekolah dengan nilai lebih rendah dari standar",
                None,
            ),
            ("Persentase jalan mantap", None),
        ] {
            assert_eq!(Arah::in_name(name), a, "{name:?}");
        }
        for (remark, a) in [
            ("Semakin kecil semakin baik", Some(Arah::Turun)),
            ("Menurun", Some(Arah::Turun)),
            ("↓", Some(Arah::Turun)),
            ("Meningkat", Some(Arah::Naik)),
            ("Target tidak tercapai karena anggaran menurun", None),
            ("anggaran menurun", None),
            ("Lebih kecil", Some(Arah::Turun)),
            ("", None),
        ] {
            assert_eq!(Arah::stated(remark, true), a, "{remark:?}");
        }
    }

    #[test]
    fn the_ikm_indicator_in_its_spellings() {
        for s in [
            "Indeks Kepuasan Masyarakat terhadap Layanan Publik",
            "Indeks Kepuasan Masyarakat (IKM) terhadap Layanan Publik",
            "5. Indeks Kepuasan Masyarakat terhadap Layanan Publik",
            "Indeks Kepuasan Masyarakat (IKM)",
            "IKM",
            "Nilai IKM",
            "Nilai IKM Kecamatan Bekasi Timur",
            "Nilai Indeks Kepuasan Masyarakat",
            "Indeks SKM",
        ] {
            assert!(is_ikm_indicator(s), "{s}");
        }
        for s in [
            "Persentase unit layanan dengan nilai IKM minimal B",
            "Jumlah unit yang melaksanakan survei kepuasan masyarakat",
            "Peningkatan IKM",
            "Nilai AKIP Kecamatan Bekasi Timur",
            "Indeks Kepuasan Pegawai",
            "Likmas",
        ] {
            assert!(!is_ikm_indicator(s), "{s}");
        }
    }
}
