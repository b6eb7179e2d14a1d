//! Normalize: sheets of cells → silver rows (one per accepted response, typed, with its
//! source file, sheet and row) and rejects (one per problem, with the column, the value and
//! a plain reason). Nothing is dropped silently: every data row is either accepted or
//! rejected, and the rows that are not data (blank rows, headers repeated at page breaks,
//! closing total/average rows) are counted as skipped.

pub mod frame;
pub mod header;
pub mod pii;
pub mod realisasi;
pub mod values;

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::domain::{periode_of_date, Periode, UNSUR};
use crate::ingest::{Cell, RawSheet};
use crate::registry::Registry;
use header::{Field, Layout, Mapped};
use values::Bad;

/// How many rows from the top of a sheet are searched for the header.
pub const HEADER_SEARCH_ROWS: usize = 40;

/// One rejected row, or one rejected file or sheet (then `source_row` is `None`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Reject {
    pub source_file: String,
    pub sheet: String,
    pub source_row: Option<u32>,
    pub kolom: String,
    pub nilai: String,
    pub alasan: String,
    pub kode: String,
}

/// One accepted response. Its texts are shared (`Arc<str>`): a sheet repeats the same unit,
/// file, sheet and profile answers on every row.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub unit_id: Arc<str>,
    pub tahun: i32,
    pub periode: Periode,
    /// Where the period came from: `kolom` (a period column), `tanggal` (the survey date's
    /// triwulan) or `judul` (the title rows, sheet or file name).
    pub periode_basis: &'static str,
    pub tanggal: Option<NaiveDate>,
    pub jenis_layanan: Option<Arc<str>>,
    pub jenis_kelamin: Option<Arc<str>>,
    pub umur: Option<i32>,
    pub umur_kelompok: Option<Arc<str>>,
    pub pendidikan: Option<Arc<str>>,
    pub pekerjaan: Option<Arc<str>>,
    /// Scores in `UNSUR` order; `None` is a blank answer.
    pub skor: [Option<u8>; 9],
    pub source_file: Arc<str>,
    pub sheet: Arc<str>,
    pub source_row: u32,
}

/// What became of one sheet.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SheetOutcome {
    /// `kuesioner`, `kosong` (empty), `tidak_dikenali` (not recognized) or `ditolak`
    /// (recognized but its header cannot be used).
    #[serde(
        serialize_with = "crate::intern::serialize",
        deserialize_with = "crate::intern::deserialize"
    )]
    pub kind: &'static str,
    pub rows_read: usize,
    pub accepted: usize,
    pub rejected: usize,
    /// Rows that are not data: blank, repeated header, closing total/average rows.
    pub skipped: usize,
    /// The mapped columns, as `header → field`, for `validate` and the log.
    pub mapping: Vec<(String, String)>,
    /// The text encoding of a CSV file (`None` for a workbook's sheets and for a file that
    /// could not be read). Required in a cache entry, so that an entry written before it was
    /// recorded is not reused but read again.
    #[serde(deserialize_with = "required")]
    pub encoding: Option<crate::ingest::Encoding>,
}

/// An `Option` that must be present (as `null` or a value) when deserialized.
fn required<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(d)
}

/// Everything normalize needs besides the sheet.
pub struct Context<'a> {
    pub layout: &'a Layout,
    pub realisasi: &'a realisasi::Layouts,
    pub registry: &'a Registry,
    /// Indicator keywords for which lower is better (configuration `[iku]`).
    pub lower_is_better: &'a [String],
    /// Survey dates after this day are rejected.
    pub today: NaiveDate,
}

/// What normalizing sheets produced.
#[derive(Debug, Default)]
pub struct Output {
    pub responses: Vec<Response>,
    pub rejects: Vec<Reject>,
    pub recap: Vec<realisasi::rekap::RecapRow>,
    pub iku: Vec<realisasi::iku::IkuRow>,
    pub anggaran: Vec<realisasi::anggaran::BudgetRow>,
    pub findings: Vec<realisasi::Finding>,
    /// The earliest survey date rejected as being in the future: from that day on, the
    /// file reads differently (an incremental run reads it again then).
    pub earliest_future: Option<NaiveDate>,
}

impl Output {
    /// Appends what another file produced.
    pub fn extend(&mut self, other: Output) {
        self.earliest_future = match (self.earliest_future, other.earliest_future) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.responses.extend(other.responses);
        self.rejects.extend(other.rejects);
        self.recap.extend(other.recap);
        self.iku.extend(other.iku);
        self.anggaran.extend(other.anggaran);
        self.findings.extend(other.findings);
    }
}

pub fn file_reject(file: &str, reason: &str, kode: &str) -> Reject {
    Reject {
        source_file: file.to_string(),
        sheet: String::new(),
        source_row: None,
        kolom: String::new(),
        nilai: String::new(),
        alasan: format!("berkas tidak dapat dibaca: {reason}"),
        kode: kode.to_string(),
    }
}

struct Header {
    row: usize,
    cols: Vec<(usize, Field, String)>,
}

enum Found {
    Header(Header),
    Realisasi(realisasi::Kind, usize),
    Bad {
        row: usize,
        alasan: String,
        kolom: String,
        kode: &'static str,
    },
    Nothing,
}

fn find_header(sheet: &RawSheet, layout: &Layout, real: &realisasi::Layouts) -> Found {
    for (r, row) in sheet.rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let texts: Vec<String> = row.iter().map(Cell::display).collect();
        if let Some(kind) = real.detect(&texts) {
            return Found::Realisasi(kind, r);
        }
        let mapped: Vec<(usize, Mapped, String)> = row
            .iter()
            .enumerate()
            .filter_map(|(c, cell)| match cell {
                Cell::Text(t) => Some((c, layout.map(t), t.trim().to_string())),
                _ => None,
            })
            .collect();
        let mut unsur_seen = [false; 9];
        for (_, m, _) in &mapped {
            if let Mapped::Field(Field::Unsur(i)) = m {
                unsur_seen[*i] = true;
            }
        }
        let distinct = unsur_seen.iter().filter(|s| **s).count();
        let old_method = row
            .iter()
            .filter(|c| matches!(c, Cell::Text(t) if header::is_old_method(t)))
            .count();
        if old_method >= 3 {
            return Found::Bad {
                row: r,
                kolom: String::new(),
                kode: "metode_lama",
                alasan:
                    "formulir 14 unsur (KepMenPAN 25/2004) memakai metode dan batas mutu lain; \
                         tidak dicampur dengan 9 unsur Permen PANRB 14/2017"
                        .into(),
            };
        }
        if distinct < 5 {
            continue;
        }
        // This is the header row. Check it can be used safely.
        for (_, m, text) in &mapped {
            if let Mapped::Ambiguous(fields) = m {
                let names = |fs: &mut dyn Iterator<Item = &Field>| {
                    fs.map(|f| f.name()).collect::<Vec<_>>().join(", ")
                };
                let alasan = match header::leading_code(&crate::domain::unsur::fold(text)) {
                    // "U3 Biaya": the code and the words disagree.
                    Some((k, _)) => {
                        let coded = layout.unsur_of_code(k);
                        format!(
                            "judul kolom '{text}' ambigu: kodenya U{k} berarti {} (urutan \
                             [kuesioner] unsur_order), tetapi kata-katanya menyebut {}; \
                             perbaiki kode atau nama unsurnya agar sama",
                            coded.name(),
                            names(&mut fields.iter().filter(|f| **f != coded))
                        )
                    }
                    None => format!(
                        "judul kolom '{text}' cocok dengan lebih dari satu arti ({}); ganti \
                         judulnya dengan kode (U1–U9) atau nama unsur",
                        names(&mut fields.iter())
                    ),
                };
                return Found::Bad {
                    row: r,
                    kolom: text.clone(),
                    kode: "kolom_ambigu",
                    alasan,
                };
            }
        }
        let mut cols: Vec<(usize, Field, String)> = Vec::new();
        for (c, m, text) in mapped {
            if let Mapped::Field(f) = m {
                let once = matches!(
                    f,
                    Field::Unsur(_) | Field::Unit | Field::Tanggal | Field::Periode | Field::Tahun
                );
                if once {
                    if let Some((_, _, other)) = cols.iter().find(|(_, g, _)| *g == f) {
                        return Found::Bad {
                            row: r,
                            kolom: text.clone(),
                            kode: "kolom_ganda",
                            alasan: format!(
                                "kolom '{text}' dan '{other}' sama-sama berarti {}; hanya satu yang boleh ada",
                                f.name()
                            ),
                        };
                    }
                }
                cols.push((c, f, text));
            }
        }
        if distinct < 9 {
            let missing: Vec<&str> = UNSUR
                .iter()
                .enumerate()
                .filter(|(i, _)| !unsur_seen[*i])
                .map(|(_, u)| u.nama)
                .collect();
            return Found::Bad {
                row: r,
                kolom: String::new(),
                kode: "unsur_tidak_lengkap",
                alasan: format!(
                    "kuesioner harus memuat 9 unsur; tidak ada kolom untuk: {}",
                    missing.join("; ")
                ),
            };
        }
        return Found::Header(Header { row: r, cols });
    }
    Found::Nothing
}

/// What the rows above the header, the sheet name and the file path say about the unit,
/// the year and the period.
#[derive(Debug, Default)]
struct Around {
    unit_id: Option<String>,
    tahun: Option<i32>,
    periode: Option<Periode>,
}

fn around(sheet: &RawSheet, header_row: usize, registry: &Registry) -> Around {
    let mut texts: Vec<String> = sheet.rows[..header_row]
        .iter()
        .flat_map(|r| r.iter().map(Cell::display))
        .filter(|t| !t.is_empty())
        .collect();
    texts.push(sheet.sheet.clone());
    let path = std::path::Path::new(&sheet.file);
    if let Some(stem) = path.file_stem() {
        texts.push(stem.to_string_lossy().replace(['_', '-'], " "));
    }
    for dir in path
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .collect::<Vec<_>>()
        .iter()
        .rev()
    {
        texts.push(dir.as_os_str().to_string_lossy().replace(['_', '-'], " "));
    }
    let mut a = Around::default();
    for t in &texts {
        if a.unit_id.is_none() {
            a.unit_id = unit_in_text(t, registry);
        }
        if a.tahun.is_none() {
            a.tahun = values::year_in_text(t);
        }
        if a.periode.is_none() {
            a.periode = periode_in_text(t);
        }
    }
    a
}

/// A unit named in a title: the whole text, the part after a colon, or the longest run of
/// words that names a unit ("SURVEI KEPUASAN MASYARAKAT KECAMATAN BEKASI TIMUR TW III").
pub(crate) fn unit_in_text(t: &str, registry: &Registry) -> Option<String> {
    if let Some(u) = registry.lookup(t) {
        return Some(u.unit_id.clone());
    }
    if let Some((_, after)) = t.split_once(':') {
        if let Some(u) = registry.lookup(after) {
            return Some(u.unit_id.clone());
        }
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    let mut best: Option<(usize, String)> = None;
    for i in 0..words.len() {
        for j in (i + 1..=words.len().min(i + 10)).rev() {
            let phrase = words[i..j].join(" ");
            // A bare kecamatan name inside a long title is too weak a hint unless prefixed.
            let first = crate::domain::unsur::fold(words[i]);
            let prefixed = matches!(
                first.as_str(),
                "kecamatan"
                    | "kec"
                    | "puskesmas"
                    | "pusk"
                    | "pkm"
                    | "dinas"
                    | "badan"
                    | "rsud"
                    | "sekretariat"
                    | "inspektorat"
                    | "satuan"
                    | "pemerintah"
                    | "pemkot"
            );
            if !prefixed && j - i < words.len() {
                continue;
            }
            if let Some(u) = registry.lookup(&phrase) {
                if best.as_ref().is_none_or(|(n, _)| j - i > *n) {
                    best = Some((j - i, u.unit_id.clone()));
                }
                break;
            }
        }
    }
    best.map(|(_, id)| id)
}

pub(crate) fn periode_in_text(t: &str) -> Option<Periode> {
    let words: Vec<String> = crate::domain::unsur::fold(t)
        .split(' ')
        .map(str::to_string)
        .collect();
    for i in 0..words.len() {
        if i + 1 < words.len() {
            if let Some(p) = Periode::parse(&format!("{} {}", words[i], words[i + 1])) {
                return Some(p);
            }
        }
        let w = &words[i];
        // A glued code only ("TW3", "S1", "SMT2"), not every short word.
        if w.len() <= 5 && w.chars().any(|c| c.is_ascii_digit()) {
            if let Some(p) = Periode::parse(w) {
                if p != Periode::Tahun {
                    return Some(p);
                }
            }
        }
    }
    None
}

/// The columns where a closing row's label ("Jumlah", "Rata-rata", "NRR", "IKM"…) stands: before
/// the answers, where a row's number or unit stands or in a column skm does not read; never a
/// free-text column such as Saran.
fn label_columns(header: &Header) -> Vec<usize> {
    let mapped = |c: usize| {
        header
            .cols
            .iter()
            .find(|(hc, _, _)| *hc == c)
            .map(|(_, f, _)| *f)
    };
    let first_unsur = header
        .cols
        .iter()
        .filter(|(_, f, _)| matches!(f, Field::Unsur(_)))
        .map(|(c, _, _)| *c)
        .min()
        .unwrap_or(0);
    (0..first_unsur)
        .filter(|&c| matches!(mapped(c), None | Some(Field::Nomor) | Some(Field::Unit)))
        .collect()
}

/// A closing row of a sheet, not a response: a label in a label column. (Only asked of a row
/// whose nine answers are not all 1–4: a closing row holds sums or means.)
fn is_summary_label(row: &[Cell], label_cols: &[usize]) -> bool {
    label_cols
        .iter()
        .filter(|&&c| c < row.len())
        .any(|&c| match &row[c] {
            Cell::Text(t) => {
                let f = crate::domain::unsur::fold(t);
                let first2: String = f.split(' ').take(2).collect::<Vec<_>>().join(" ");
                [
                    "jumlah",
                    "total",
                    "rata rata",
                    "rata",
                    "nrr",
                    "ikm",
                    "nilai rata",
                    "nilai ikm",
                    "nrr tertimbang",
                    "nilai unsur",
                    "ikm unit",
                    "mutu",
                    "nilai",
                ]
                .iter()
                .any(|k| {
                    first2 == *k || f.strip_prefix(k).is_some_and(|rest| rest.starts_with(' '))
                })
            }
            _ => false,
        })
}

/// A row equal to the header (folded cell by cell): a header repeated at a page break.
/// `header_texts` are the header's cells folded once per sheet.
fn is_repeated_header(row: &[Cell], header_texts: &[String]) -> bool {
    let n = row.len().max(header_texts.len());
    (0..n).all(|i| {
        let want = header_texts.get(i).map(String::as_str).unwrap_or("");
        match row.get(i) {
            None | Some(Cell::Empty) => want.is_empty(),
            Some(Cell::Text(t)) if t.is_ascii() => folds_to(t, want),
            Some(c) => crate::domain::unsur::fold(&c.display()) == want,
        }
    })
}

/// `fold(t) == want` for an ASCII `t`, without building the folded text.
fn folds_to(t: &str, want: &str) -> bool {
    let mut wanted = want.split(' ').filter(|w| !w.is_empty());
    for word in t
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        match wanted.next() {
            Some(w) if word.eq_ignore_ascii_case(w) => {}
            _ => return false,
        }
    }
    wanted.next().is_none()
}

/// A per-column memo of how a cell reads. Sheets repeat a few values over and over (the
/// unit, the profile answers, the dates of a quarter), so each distinct text is read once;
/// the readings memoized are functions of the cell alone.
struct Memo<V> {
    map: std::collections::HashMap<Box<str>, V>,
    cap: usize,
}

impl<V: Clone> Memo<V> {
    fn new(cap: usize) -> Memo<V> {
        Memo {
            map: std::collections::HashMap::new(),
            cap,
        }
    }

    fn get(&mut self, cell: &Cell, read: impl FnOnce(&Cell) -> V) -> V {
        let Cell::Text(t) = cell else {
            return read(cell);
        };
        if let Some(v) = self.map.get(t.as_str()) {
            return v.clone();
        }
        let v = read(cell);
        if self.map.len() < self.cap {
            self.map.insert(t.as_str().into(), v.clone());
        }
        v
    }
}

/// Reads one sheet: a questionnaire into responses, a realization sheet into its rows and
/// audit findings, and whatever cannot be used into rejects. The outcome carries the file's
/// encoding.
pub fn sheet(sheet: &RawSheet, ctx: &Context<'_>, out: &mut Output) -> SheetOutcome {
    let mut o = read_sheet(sheet, ctx, out);
    o.encoding = sheet.encoding;
    o
}

fn read_sheet(sheet: &RawSheet, ctx: &Context<'_>, out: &mut Output) -> SheetOutcome {
    let Output {
        responses: out_responses,
        rejects,
        earliest_future,
        ..
    } = out;
    let mut o = SheetOutcome::default();
    if sheet.hidden {
        o.kind = "tersembunyi";
        rejects.push(Reject {
            source_file: sheet.file.clone(),
            sheet: sheet.sheet.clone(),
            source_row: None,
            kolom: String::new(),
            nilai: String::new(),
            alasan:
                "lembar tersembunyi tidak dibaca (biasanya daftar pilihan atau hitungan bantu); \
                     tampilkan lembarnya bila berisi data"
                    .to_string(),
            kode: "lembar_tersembunyi".to_string(),
        });
        return o;
    }
    if sheet.rows.iter().all(|r| r.iter().all(Cell::is_empty)) {
        // Reported, not ignored: an empty sheet may be a submission that lost its data.
        o.kind = "kosong";
        rejects.push(Reject {
            source_file: sheet.file.clone(),
            sheet: sheet.sheet.clone(),
            source_row: None,
            kolom: String::new(),
            nilai: String::new(),
            alasan: "lembar kosong: tidak ada isi sama sekali".to_string(),
            kode: "lembar_kosong".to_string(),
        });
        return o;
    }
    let reject_sheet =
        |rejects: &mut Vec<Reject>, row: Option<usize>, kolom: &str, kode: &str, alasan: String| {
            rejects.push(Reject {
                source_file: sheet.file.clone(),
                sheet: sheet.sheet.clone(),
                source_row: row.map(|r| (sheet.first_row + r) as u32),
                kolom: kolom.to_string(),
                nilai: String::new(),
                alasan,
                kode: kode.to_string(),
            })
        };
    let header = match find_header(sheet, ctx.layout, ctx.realisasi) {
        Found::Header(h) => h,
        Found::Realisasi(kind, row) => {
            let th = realisasi::table_header(sheet, row);
            return match kind {
                realisasi::Kind::Rekap => realisasi::rekap::read(sheet, &th, ctx, out),
                realisasi::Kind::Iku => realisasi::iku::read(sheet, &th, ctx, out),
                realisasi::Kind::Anggaran => realisasi::anggaran::read(sheet, &th, ctx, out),
            };
        }
        Found::Bad {
            row,
            alasan,
            kolom,
            kode,
        } => {
            o.kind = "ditolak";
            // The rows below the header are data that could not be read.
            o.rows_read = sheet.rows[row + 1..]
                .iter()
                .filter(|r| !r.iter().all(Cell::is_empty))
                .count();
            o.rejected = o.rows_read;
            reject_sheet(rejects, Some(row), &kolom, kode, alasan);
            return o;
        }
        Found::Nothing => {
            o.kind = "tidak_dikenali";
            reject_sheet(
                rejects,
                None,
                "",
                "lembar_tidak_dikenali",
                format!(
                    "tidak ditemukan baris judul kolom kuesioner (kolom 9 unsur: U1–U9, nama unsur \
                     atau teks pertanyaan), rekap IKM, IKU atau anggaran dalam {HEADER_SEARCH_ROWS} \
                     baris pertama"
                ),
            );
            return o;
        }
    };
    o.kind = "kuesioner";
    o.mapping = header
        .cols
        .iter()
        .map(|(_, f, t)| (t.clone(), f.name().to_string()))
        .collect();
    let col = |f: Field| {
        header
            .cols
            .iter()
            .find(|(_, g, _)| *g == f)
            .map(|(c, _, t)| (*c, t.as_str()))
    };
    let around = around(sheet, header.row, ctx.registry);
    let unit_col = col(Field::Unit);
    if unit_col.is_none() && around.unit_id.is_none() {
        o.kind = "ditolak";
        o.rows_read = sheet.rows[header.row + 1..]
            .iter()
            .filter(|r| !r.iter().all(Cell::is_empty))
            .count();
        o.rejected = o.rows_read;
        reject_sheet(
            rejects,
            Some(header.row),
            "unit",
            "unit_tidak_diketahui",
            "unit tidak dapat ditentukan: tidak ada kolom unit, dan judul, nama lembar, nama berkas \
             maupun foldernya tidak menyebut unit yang terdaftar"
                .to_string(),
        );
        return o;
    }
    // A Likert-5 form is another method: when 5s are more than a slip of the keyboard (at
    // least 5 rows and 10% of the rows), the whole sheet is refused rather than mixing the
    // rows that happen to hold 1–4 into a 1–4 figure.
    let unsur_cols: Vec<usize> = header
        .cols
        .iter()
        .filter(|(_, f, _)| matches!(f, Field::Unsur(_)))
        .map(|(c, _, _)| *c)
        .collect();
    let data_rows: Vec<&Vec<Cell>> = sheet.rows[header.row + 1..]
        .iter()
        .filter(|r| !r.iter().all(Cell::is_empty))
        .collect();
    let fives = data_rows
        .iter()
        .filter(|r| {
            unsur_cols.iter().any(|&c| match r.get(c) {
                Some(Cell::Number(n)) => *n == 5.0,
                Some(Cell::Text(t)) => t.trim() == "5",
                _ => false,
            })
        })
        .count();
    if fives >= 5 && fives * 10 >= data_rows.len() {
        o.kind = "ditolak";
        o.rows_read = data_rows.len();
        o.rejected = o.rows_read;
        reject_sheet(
            rejects,
            Some(header.row),
            "",
            "metode_likert5",
            format!(
                "{fives} baris berisi jawaban 5: formulir skala Likert-5, bukan skala 1–4 Permen PANRB 14/2017; \
                 seluruh lembar tidak dipakai agar metode tidak tercampur"
            ),
        );
        return o;
    }
    let header_texts: Vec<String> = sheet.rows[header.row]
        .iter()
        .map(|c| crate::domain::unsur::fold(&c.display()))
        .collect();
    let mut memo_unit: Memo<Option<Arc<str>>> = Memo::new(256);
    let mut memo_date: Memo<Result<Option<NaiveDate>, Bad>> = Memo::new(4096);
    type Umur = Result<(Option<i32>, Option<Arc<str>>), Bad>;
    let mut memo_umur: Memo<Umur> = Memo::new(1024);
    let mut memo_jk: Memo<Option<Arc<str>>> = Memo::new(256);
    let mut memo_text: [Memo<Option<Arc<str>>>; 3] =
        [Memo::new(4096), Memo::new(4096), Memo::new(4096)];
    let source_file: Arc<str> = sheet.file.as_str().into();
    let sheet_name: Arc<str> = sheet.sheet.as_str().into();
    // What the row loop asks of the header, worked out once per sheet.
    let label_cols = label_columns(&header);
    let unsur_at: Vec<(usize, usize, &str)> = header
        .cols
        .iter()
        .filter_map(|(c, f, t)| match f {
            Field::Unsur(k) => Some((*c, *k, t.as_str())),
            _ => None,
        })
        .collect();
    let text_cols: Vec<(usize, &str)> = header
        .cols
        .iter()
        .filter(|(_, f, _)| {
            !matches!(
                f,
                Field::Unsur(_) | Field::Tanggal | Field::Umur | Field::Pribadi | Field::Nomor
            )
        })
        .map(|(c, _, t)| (*c, t.as_str()))
        .collect();
    let (c_tanggal, c_periode, c_tahun, c_umur, c_jk) = (
        col(Field::Tanggal),
        col(Field::Periode),
        col(Field::Tahun),
        col(Field::Umur),
        col(Field::JenisKelamin),
    );
    let (c_layanan, c_pendidikan, c_pekerjaan) = (
        col(Field::JenisLayanan),
        col(Field::Pendidikan),
        col(Field::Pekerjaan),
    );
    let mut answers: Vec<Result<Option<u8>, Bad>> = Vec::with_capacity(unsur_at.len());
    for (i, row) in sheet.rows.iter().enumerate().skip(header.row + 1) {
        if row.iter().all(Cell::is_empty) || is_repeated_header(row, &header_texts) {
            o.skipped += 1;
            continue;
        }
        // The answers, read once: a row whose nine answers are 1–4 is never a closing row.
        answers.clear();
        answers.extend(
            unsur_at
                .iter()
                .map(|(c, k, _)| values::answer(row.get(*c).unwrap_or(&Cell::Empty), &UNSUR[*k])),
        );
        let all_answered = answers.iter().all(|a| matches!(a, Ok(Some(_))));
        if !all_answered && is_summary_label(row, &label_cols) {
            o.skipped += 1;
            continue;
        }
        o.rows_read += 1;
        let source_row = (sheet.first_row + i) as u32;
        let mut problems: Vec<(String, String, Bad)> = Vec::new();
        let cell = |c: usize| row.get(c).unwrap_or(&Cell::Empty);
        let bad_at =
            |c: Option<(usize, &str)>, b: Bad, problems: &mut Vec<(String, String, Bad)>| {
                let (kolom, nilai) = match c {
                    Some((c, t)) => (t.to_string(), cell(c).display()),
                    None => (String::new(), String::new()),
                };
                problems.push((kolom, nilai, b));
            };

        // Cells too long to be answers or profile values
        for (c, t) in &text_cols {
            if let Cell::Oversize(n) = cell(*c) {
                bad_at(
                    None,
                    Bad {
                        kode: "sel_terlalu_besar",
                        alasan: format!(
                            "kolom '{t}': teks {n} karakter melebihi batas ([batas] karakter_sel)"
                        ),
                    },
                    &mut problems,
                );
            }
        }

        // Unit
        let unit_id = match unit_col {
            Some((c, t)) if !cell(c).is_empty() => match memo_unit.get(cell(c), |x| {
                ctx.registry
                    .lookup(&x.display())
                    .map(|u| Arc::from(u.unit_id.as_str()))
            }) {
                Some(u) => Some(u),
                None => {
                    bad_at(
                        Some((c, t)),
                        Bad {
                            kode: "unit_tidak_dikenal",
                            alasan: "unit ini tidak ada dalam daftar unit (nama, singkatan atau unit_id)"
                                .to_string(),
                        },
                        &mut problems,
                    );
                    None
                }
            },
            _ => match &around.unit_id {
                Some(u) => Some(Arc::from(u.as_str())),
                None => {
                    bad_at(
                        unit_col,
                        Bad {
                            kode: "unit_kosong",
                            alasan: "kolom unit kosong dan judul/nama berkas tidak menyebut unit"
                                .to_string(),
                        },
                        &mut problems,
                    );
                    None
                }
            },
        };

        // Answers
        let mut skor = [None; 9];
        for ((c, k, t), a) in unsur_at.iter().zip(answers.drain(..)) {
            match a {
                Ok(v) => skor[*k] = v,
                Err(b) => bad_at(Some((*c, t)), b, &mut problems),
            }
        }
        let any_bad_answer = problems
            .iter()
            .any(|(_, _, b)| b.kode.starts_with("jawaban") || b.kode == "galat_rumus");
        if skor.iter().all(Option::is_none) && !any_bad_answer {
            bad_at(
                None,
                Bad {
                    kode: "tanpa_jawaban",
                    alasan: "baris tanpa jawaban sama sekali untuk 9 unsur".to_string(),
                },
                &mut problems,
            );
        }

        // Date, period, year
        let tanggal = match c_tanggal {
            Some((c, t)) => match memo_date.get(cell(c), values::date) {
                Ok(Some(d)) if d > ctx.today => {
                    *earliest_future = Some(earliest_future.map_or(d, |e| e.min(d)));
                    bad_at(
                        Some((c, t)),
                        Bad {
                            kode: "tanggal_di_masa_depan",
                            alasan: format!("tanggal survei {d} sesudah hari ini ({})", ctx.today),
                        },
                        &mut problems,
                    );
                    None
                }
                Ok(d) => d,
                Err(b) => {
                    bad_at(Some((c, t)), b, &mut problems);
                    None
                }
            },
            None => None,
        };
        let mut periode: Option<(Periode, &'static str)> = None;
        if let Some((c, t)) = c_periode {
            if !cell(c).is_empty() {
                match Periode::parse(&cell(c).display()) {
                    Some(Periode::Tahun) => bad_at(
                        Some((c, t)),
                        Bad {
                            kode: "periode_tidak_terbaca",
                            alasan: "periode TAHUN dihitung oleh skm; isi TW1–TW4, S1 atau S2"
                                .to_string(),
                        },
                        &mut problems,
                    ),
                    Some(p) => periode = Some((p, "kolom")),
                    None => bad_at(
                        Some((c, t)),
                        Bad {
                            kode: "periode_tidak_terbaca",
                            alasan: "periode tidak terbaca; yang diterima: TW1–TW4, S1, S2, \
                                     Triwulan III, Semester I …"
                                .to_string(),
                        },
                        &mut problems,
                    ),
                }
            }
        }
        if periode.is_none() {
            if let Some(d) = tanggal {
                periode = periode_of_date(d.month()).map(|p| (p, "tanggal"));
            }
        }
        if periode.is_none() && c_periode.is_none_or(|(c, _)| cell(c).is_empty()) {
            if let Some(p) = around.periode {
                periode = Some((p, "judul"));
            }
        }
        let mut tahun = tanggal.map(|d| d.year());
        if tahun.is_none() {
            if let Some((c, t)) = c_tahun {
                let v = cell(c).display();
                match v.trim().parse::<i32>() {
                    Ok(y) if (2000..=2100).contains(&y) => tahun = Some(y),
                    _ if v.is_empty() => {}
                    _ => bad_at(
                        Some((c, t)),
                        Bad {
                            kode: "tahun_tidak_terbaca",
                            alasan: "tahun harus 4 angka, misalnya 2024".to_string(),
                        },
                        &mut problems,
                    ),
                }
            }
        }
        if tahun.is_none() {
            tahun = around.tahun;
        }
        let date_or_period_bad = problems.iter().any(|(_, _, b)| {
            b.kode.starts_with("tanggal")
                || b.kode.starts_with("periode")
                || b.kode.starts_with("tahun")
        });
        if (periode.is_none() || tahun.is_none()) && !date_or_period_bad {
            let what = match (periode.is_none(), tahun.is_none()) {
                (true, true) => "periode dan tahun",
                (true, false) => "periode",
                _ => "tahun",
            };
            bad_at(
                None,
                Bad {
                    kode: "periode_tidak_diketahui",
                    alasan: format!(
                        "{what} tidak dapat ditentukan: tidak ada kolom periode/tanggal yang terisi, \
                         dan judul, nama lembar atau nama berkas tidak menyebutnya"
                    ),
                },
                &mut problems,
            );
        }

        // Profile
        // Profile text as written; a value that is personal data (a NIK, phone or e-mail
        // typed under any header) is not copied.
        let text_of = |at: Option<(usize, &str)>, memo: &mut Memo<Option<Arc<str>>>| {
            at.and_then(|(c, _)| {
                memo.get(cell(c), |x| {
                    let v = x.display();
                    (!v.is_empty() && !pii::looks_personal(&v)).then(|| Arc::from(v))
                })
            })
        };
        let (umur, umur_kelompok) = match c_umur {
            Some((c, t)) => match memo_umur.get(cell(c), |x| {
                values::umur(x).map(|(n, band)| (n, band.map(Arc::from)))
            }) {
                Ok(v) => v,
                Err(b) => {
                    bad_at(Some((c, t)), b, &mut problems);
                    (None, None)
                }
            },
            None => (None, None),
        };
        let jenis_kelamin = c_jk
            .and_then(|(c, _)| memo_jk.get(cell(c), |x| values::jenis_kelamin(x).map(Arc::from)));

        if !problems.is_empty() {
            o.rejected += 1;
            for (kolom, nilai, b) in problems {
                let nilai = pii::shown(&nilai);
                rejects.push(Reject {
                    source_file: sheet.file.clone(),
                    sheet: sheet.sheet.clone(),
                    source_row: Some(source_row),
                    kolom,
                    nilai,
                    alasan: b.alasan,
                    kode: b.kode.to_string(),
                });
            }
            continue;
        }
        let (periode, periode_basis) = periode.expect("checked above");
        o.accepted += 1;
        out_responses.push(Response {
            unit_id: unit_id.expect("checked above"),
            tahun: tahun.expect("checked above"),
            periode,
            periode_basis,
            tanggal,
            jenis_layanan: text_of(c_layanan, &mut memo_text[0]),
            jenis_kelamin,
            umur,
            umur_kelompok,
            pendidikan: text_of(c_pendidikan, &mut memo_text[1]),
            pekerjaan: text_of(c_pekerjaan, &mut memo_text[2]),
            skor,
            source_file: source_file.clone(),
            sheet: sheet_name.clone(),
            source_row,
        });
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_periods_named_in_titles() {
        let r = Registry::embedded();
        let u = |t: &str| unit_in_text(t, &r);
        assert_eq!(
            u("Tabel 3.1 Capaian Kinerja Pemerintah Kota Bekasi Tahun 2023").as_deref(),
            Some("pemerintah-kota-bekasi")
        );
        assert_eq!(
            u("REKAPITULASI SKM KECAMATAN BEKASI TIMUR TRIWULAN III").as_deref(),
            Some("kecamatan-bekasi-timur")
        );
        assert_eq!(u("Survei Kepuasan Masyarakat"), None);
        assert_eq!(
            periode_in_text("TRIWULAN IV TAHUN 2024"),
            Some(Periode::TW4)
        );
        assert_eq!(periode_in_text("Nilai IKM SMT1"), Some(Periode::S1));
        assert_eq!(
            periode_in_text("Nilai Rata-Rata IKM SM II"),
            Some(Periode::S2)
        );
    }
}
