//! Normalize: sheets of cells → silver rows (one per accepted response, typed, with its
//! source file, sheet and row) and rejects (one per problem, with the column, the value and
//! a plain reason). Nothing is dropped silently: every data row is either accepted or
//! rejected, and the rows that are not data (blank rows, headers repeated at page breaks,
//! closing total/average rows) are counted as skipped.
//!
//! A sheet goes: `sheet` (hidden? empty?) → `find_header` (which kind of sheet, and its
//! header) → a realization reader (`realisasi/`) or `questionnaire::read` (columns resolved
//! once, then the row loop).

pub mod around;
pub mod closing_audit;
pub mod closing_rows;
pub mod date_forms;
pub mod file;
pub mod find_header;
pub mod frame;
pub mod header;
pub mod identity;
pub mod lanes;
pub mod legend;
pub mod memo;
pub mod name;
pub mod pii;
pub mod questionnaire;
pub mod realisasi;
pub mod reject;
pub mod scale;
pub mod values;

use chrono::NaiveDate;

use crate::domain::Periode;
use crate::ingest::{Cell, RawSheet};
use crate::registry::Registry;
use find_header::Found;
use header::Layout;

pub use around::{periode_in_text, periods_in_text, unit_in_text};
pub use file::{
    normalize_files, normalize_files_with, normalize_one, CaraBaca, FileAccount, Normalized,
};
pub use name::{name, Name};
pub use reject::{file_reject, Reject, RejectCode, RejectGroup, RejectLog, RejectRef};

/// How many rows from the top of a sheet are searched for the header.
pub const HEADER_SEARCH_ROWS: usize = 40;

crate::labels! {
    /// What a sheet was found to be (`files.jenis_lembar`).
    pub enum SheetKind {
        Kuesioner = "kuesioner",
        RekapIkm = "rekap_ikm",
        Iku = "iku",
        Anggaran = "anggaran",
        /// Follow-up plans (rencana tindak lanjut) for the lowest unsur.
        Rtl = "rtl",
        Kosong = "kosong",
        Tersembunyi = "tersembunyi",
        TidakDikenali = "tidak_dikenali",
        /// Recognized, but its header cannot be used.
        Ditolak = "ditolak",
        /// The whole file could not be read.
        TidakTerbaca = "tidak_terbaca",
        /// The file changed while it was read: not used this run.
        BerubahSaatDibaca = "berubah_saat_dibaca",
        /// A file with the same content as another that counts (`tercakup_dalam`): not read.
        BerkasIdentik = "berkas_identik",
    }
}

// The enum is declared by `labels!`, which derives no `Default`.
#[allow(clippy::derivable_impls)]
impl Default for SheetKind {
    fn default() -> Self {
        SheetKind::TidakDikenali
    }
}

crate::labels! {
    /// Where a questionnaire's unit came from (`files.unit_dari`): an inference an operator
    /// must be able to see.
    pub enum UnitDari {
        /// A column its header names as the unit.
        Kolom = "kolom",
        /// A column whose values nearly all name registered units (no header names it).
        NilaiKolom = "nilai_kolom",
        /// The title rows above the header.
        Judul = "judul",
        NamaLembar = "nama_lembar",
        NamaBerkas = "nama_berkas",
        /// A folder the file lies in.
        Folder = "folder",
    }
}

crate::labels! {
    /// How a sheet's date order was decided (`files.urutan_tanggal_basis`).
    pub enum UrutanBasis {
        /// A date in the column fits one order only (a number over 12 before or after the
        /// other): the row is named in `validate`.
        Ditemukan = "ditemukan",
        /// Every date fits both orders: the configured default (`[kuesioner] urutan_tanggal`).
        Diasumsikan = "diasumsikan",
        /// Every date fits both orders; another file of the same form (the same header, the
        /// same unit) has a date that fits one order only (`files.urutan_tanggal_dari`): one
        /// form, one locale (`domain::date_order::settle`).
        BerkasLain = "berkas_lain",
        /// Every date fits both orders, and the period the title, sheet or file name gives
        /// (`SKM TW4 2024`) holds every one of them in one order only.
        PeriodeJudul = "periode_judul",
        /// The texts of the column fit one order only, and its date cells, every day ≤ 12,
        /// were typed in it and converted in the other by a spreadsheet of another locale
        /// (`domain::date_order::cells_typed_in`): read with day and month swapped.
        SelTanggalDibalik = "sel_tanggal_dibalik",
    }
}

crate::labels! {
    /// Where a response's period came from (`silver.periode_basis`).
    pub enum PeriodeBasis {
        /// A period column.
        Kolom = "kolom",
        /// The triwulan of the survey date.
        Tanggal = "tanggal",
        /// The title rows, the sheet name or the file name.
        Judul = "judul",
    }
}

/// A profile answer's text, shared by the rows that give it (from its column's memo). An `Rc`,
/// counted without atomic operations: a response never leaves the thread that read it (what a
/// file's reading sends on is `Written`, without its responses). With `Arc<str>`, the clone
/// out of a memo and the drop of five texts a row were ~4% of a big file's time.
pub type Shared = std::rc::Rc<str>;

/// One accepted response. Its texts are shared: a sheet repeats the same unit, file, sheet and
/// profile answers on every row. Unit, file and sheet (bounded sets) are `Name`s, a pointer to
/// copy; the answers, which may be free text, are `Shared` from the column's memo.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub unit_id: Name,
    pub tahun: i32,
    pub periode: Periode,
    /// Where the period came from.
    pub periode_basis: PeriodeBasis,
    pub tanggal: Option<NaiveDate>,
    /// The time of day the date cell gave (`HH:MM:SS` or `HH:MM`), when it gave one.
    pub jam: Option<compact_str::CompactString>,
    pub jenis_layanan: Option<Shared>,
    pub jenis_kelamin: Option<Shared>,
    pub umur: Option<i32>,
    pub umur_kelompok: Option<Shared>,
    pub pendidikan: Option<Shared>,
    pub pekerjaan: Option<Shared>,
    /// Scores in `UNSUR` order; `None` is a blank answer.
    pub skor: [Option<u8>; 9],
    pub source_file: Name,
    pub sheet: Name,
    pub source_row: u32,
    /// The response's identity (`Response::identity`) when it has a time of day.
    pub kunci: Option<[u8; 16]>,
}

/// A response identity as written in silver (`kunci`): 32 hexadecimal digits.
pub fn kunci_hex(k: &[u8; 16]) -> String {
    with_kunci_hex(k, str::to_string)
}

/// `kunci_hex` given to `f`, made without allocating.
#[inline]
pub fn with_kunci_hex<T>(k: &[u8; 16], f: impl FnOnce(&str) -> T) -> T {
    let digits = hex_digits(k);
    // SAFETY: every byte is a hexadecimal digit, ASCII (checking it was a third of the cost).
    f(unsafe { std::str::from_utf8_unchecked(&digits) })
}

/// The 32 hexadecimal digits of `k`, a vector at a time (SSE2, which every x86-64 CPU has):
/// each byte's two halves side by side, each half made a digit by adding `'0'`, and 39 more
/// past 9. (About 150–200 instructions a key a digit at a time from a table, by callgrind.)
#[cfg(target_arch = "x86_64")]
fn hex_digits(k: &[u8; 16]) -> [u8; 32] {
    use std::arch::x86_64::*;
    let mut out = [0u8; 32];
    // SAFETY: SSE2 is part of x86-64; the load reads `k`'s 16 bytes and the two stores write
    // `out`'s 32.
    unsafe {
        let x = _mm_loadu_si128(k.as_ptr().cast());
        let low = _mm_set1_epi8(0x0f);
        let high_halves = _mm_and_si128(_mm_srli_epi16::<4>(x), low);
        let low_halves = _mm_and_si128(x, low);
        let digits = |n: __m128i| {
            let past_nine = _mm_cmpgt_epi8(n, _mm_set1_epi8(9));
            let zero = _mm_add_epi8(n, _mm_set1_epi8(b'0' as i8));
            _mm_add_epi8(zero, _mm_and_si128(past_nine, _mm_set1_epi8(39)))
        };
        let first = digits(_mm_unpacklo_epi8(high_halves, low_halves));
        let second = digits(_mm_unpackhi_epi8(high_halves, low_halves));
        _mm_storeu_si128(out.as_mut_ptr().cast(), first);
        _mm_storeu_si128(out.as_mut_ptr().add(16).cast(), second);
    }
    out
}

#[cfg(not(target_arch = "x86_64"))]
fn hex_digits(k: &[u8; 16]) -> [u8; 32] {
    hex_digits_from_table(k)
}

/// `hex_digits` a digit at a time, from a table.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn hex_digits_from_table(k: &[u8; 16]) -> [u8; 32] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut digits = [0u8; 32];
    for (d, b) in digits.chunks_exact_mut(2).zip(k) {
        d[0] = HEX[(b >> 4) as usize];
        d[1] = HEX[(b & 15) as usize];
    }
    digits
}

/// What became of one sheet.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SheetOutcome {
    /// What the sheet was found to be.
    pub kind: SheetKind,
    pub rows_read: usize,
    pub accepted: usize,
    pub rejected: usize,
    /// Rows that are not data: blank, repeated header, closing total/average rows.
    pub skipped: usize,
    /// Accepted rows that are copies of a response counted elsewhere (`silver::duplicates`):
    /// rows read = accepted + rejected + skipped + duplicates.
    #[serde(default)]
    pub duplicates: usize,
    /// Where this sheet's responses are counted when none of them is counted here (an
    /// identical file, or an export all of whose responses are in other files).
    #[serde(default)]
    pub contained_in: Option<String>,
    /// The mapped columns, as `header → field`, for `validate` and the log.
    pub mapping: Vec<(String, String)>,
    /// The text encoding of a CSV file (`None` for a workbook's sheets and for a file that
    /// could not be read). Required in a cache entry, so that an entry written before it was
    /// recorded is not reused but read again.
    #[serde(deserialize_with = "required")]
    pub encoding: Option<crate::ingest::Encoding>,
    /// A questionnaire's date order, when its dates needed one (numeric dates that read
    /// differently day first and month first), and how it was decided.
    #[serde(default)]
    pub date_order: Option<(crate::domain::DateOrder, UrutanBasis)>,
    /// With `date_order`: the file whose dates showed the order (`UrutanBasis::BerkasLain`).
    #[serde(default)]
    pub date_order_from: Option<String>,
    /// With `date_order`: what every export of the sheet's form shares (`form_of`), so that
    /// one whose dates fit both orders can take the order another showed.
    #[serde(default)]
    pub form: Option<String>,
    /// Where a questionnaire's unit came from.
    #[serde(default)]
    pub unit_dari: Option<UnitDari>,
    /// Where its accepted rows' periods and years came from (`kolom`, `tanggal`, `judul`,
    /// `; `-separated when several).
    #[serde(default)]
    pub periode_dari: Option<String>,
    #[serde(default)]
    pub tahun_dari: Option<String>,
    /// The zones a form tool's times were moved from to `[kantor] zona_waktu` before their
    /// dates filed the responses (`UTC`, `+08:00`; `; `-separated), `None` when none was.
    #[serde(default)]
    pub zona_waktu_asal: Option<String>,
    /// Accepted rows whose unit is a guess: a place's name alone read as its kecamatan's
    /// office while another registered unit bears that name too (`files.unit_tebakan`: how
    /// many, and the first), `None` when none is.
    #[serde(default)]
    pub unit_tebakan: Option<String>,
    /// Whether the answers were read as the questionnaire's option letters a–d
    /// (`scale::ColumnScale::Letters`, an inference `skm validate` names).
    #[serde(default)]
    pub option_letters: bool,
    /// The abbreviations the answers were read as (`SB = Sangat baik, B = Baik, C = Cukup, K =
    /// Kurang`: `scale::ColumnScale::Abbrev`, an inference `skm validate` names), if they were.
    #[serde(default)]
    pub singkatan: Option<String>,
    /// Whether a column was read in its unsur's Likert form (`Tidak kompeten` 2) because the
    /// sheet's other columns are (`scale::likert_of_the_sheet`, an inference `skm validate`
    /// names).
    #[serde(default)]
    pub likert_lembar: bool,
    /// Whether the workbook's hidden rows were looked at (`ingest::RowVisibility::known`).
    #[serde(default)]
    pub hidden_known: bool,
    /// A realization sheet's data rows hidden by hand (Excel's "Hide", LibreOffice's
    /// "Hide Rows"), not read: counted in `skipped`, named here (source rows).
    #[serde(default)]
    pub hidden_skipped: Vec<u32>,
    /// Hidden rows read all the same: a questionnaire's (a filter in a log hides real
    /// responses), a realization sheet's filtered or in a collapsed outline group.
    #[serde(default)]
    pub hidden_read: usize,
    /// What a realization sheet states that skm could not check, and why (a budget's total
    /// over lines whose levels are unknown); `; `-separated.
    #[serde(default)]
    pub tidak_diperiksa: Option<String>,
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
    /// How a numeric date is read when its column fits both orders (`[kuesioner]
    /// urutan_tanggal`).
    pub date_order: crate::domain::DateOrder,
    /// `date_order` was shown by another export of the form (`date_forms`): a sheet whose
    /// dates fit both orders reads its form tool's stamp in it as in an order found.
    pub date_order_settled: bool,
    /// Survey dates after this day are rejected.
    pub today: NaiveDate,
    /// The units' time zone in minutes east of UTC (`[kantor] zona_waktu`): a form tool's time
    /// stated in another zone is moved to it before its date files the response
    /// (`domain::zone`).
    pub zone: i32,
}

/// What normalizing sheets produced.
#[derive(Debug, Default)]
pub struct Output {
    pub responses: Vec<Response>,
    pub rejects: RejectLog,
    pub recap: Vec<realisasi::rekap::RekapRow>,
    pub iku: Vec<realisasi::iku::IkuRow>,
    pub anggaran: Vec<realisasi::anggaran::AnggaranRow>,
    /// Follow-up plans (`realisasi::rtl`).
    pub rtl: Vec<realisasi::rtl::RtlRow>,
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
        self.rejects.append(other.rejects);
        self.recap.extend(other.recap);
        self.iku.extend(other.iku);
        self.anggaran.extend(other.anggaran);
        self.rtl.extend(other.rtl);
        self.findings.extend(other.findings);
    }
}

/// A file's `Output` once its responses are written (as silver): what is sent to the thread
/// that gathers the files' outputs. Responses are not sent: their texts are counted without
/// atomic operations (`Shared`) and stay on the thread that read them. Every other field of
/// `Output`, so that the compiler checks it can cross threads (`new` takes an `Output` apart
/// whole: a field added there must be added here).
#[derive(Debug, Default)]
pub struct Written {
    rejects: RejectLog,
    recap: Vec<realisasi::rekap::RekapRow>,
    iku: Vec<realisasi::iku::IkuRow>,
    anggaran: Vec<realisasi::anggaran::AnggaranRow>,
    rtl: Vec<realisasi::rtl::RtlRow>,
    findings: Vec<realisasi::Finding>,
    earliest_future: Option<NaiveDate>,
}

impl Written {
    /// `o`, whose responses must have been taken out already.
    pub fn new(o: Output) -> Written {
        let Output {
            responses,
            rejects,
            recap,
            iku,
            anggaran,
            rtl,
            findings,
            earliest_future,
        } = o;
        assert!(
            responses.is_empty(),
            "a file's responses are written before its output is sent"
        );
        Written {
            rejects,
            recap,
            iku,
            anggaran,
            rtl,
            findings,
            earliest_future,
        }
    }

    pub fn into_output(self) -> Output {
        let Written {
            rejects,
            recap,
            iku,
            anggaran,
            rtl,
            findings,
            earliest_future,
        } = self;
        Output {
            responses: Vec::new(),
            rejects,
            recap,
            iku,
            anggaran,
            rtl,
            findings,
            earliest_future,
        }
    }
}

/// Reads one sheet: a questionnaire into responses, a realization sheet into its rows and
/// audit findings, and whatever cannot be used into rejects. The outcome carries the file's
/// encoding.
pub fn sheet(sheet: &RawSheet, ctx: &Context<'_>, out: &mut Output) -> SheetOutcome {
    let mut o = read_sheet(sheet, ctx, out);
    o.encoding = sheet.encoding;
    o.hidden_known = sheet.visibility.known;
    o
}

fn read_sheet(sheet: &RawSheet, ctx: &Context<'_>, out: &mut Output) -> SheetOutcome {
    if sheet.hidden {
        out.rejects.push(sheet_reject(
            sheet,
            None,
            "",
            RejectCode::LembarTersembunyi,
            "lembar tersembunyi tidak dibaca (biasanya daftar pilihan atau hitungan bantu); \
             tampilkan lembarnya bila berisi data"
                .to_string(),
        ));
        return SheetOutcome::of(SheetKind::Tersembunyi);
    }
    if sheet.rows.iter().all(|r| r.iter().all(Cell::is_empty)) {
        // Reported, not ignored: an empty sheet may be a submission that lost its data.
        out.rejects.push(sheet_reject(
            sheet,
            None,
            "",
            RejectCode::LembarKosong,
            "lembar kosong: tidak ada isi sama sekali".to_string(),
        ));
        return SheetOutcome::of(SheetKind::Kosong);
    }
    match find_header::find_header(sheet, ctx.layout, ctx.realisasi, ctx.registry) {
        Found::Header(h) => {
            let mut o = questionnaire::read(sheet, &h, ctx, out);
            // Read as every row is: counted so that an operator sees them.
            o.hidden_read = realisasi::hidden_below(sheet, h.row + 1).count();
            o
        }
        Found::Realisasi(kind, row) => {
            let th = realisasi::table_header(sheet, row);
            let s = realisasi::SheetIn {
                sheet,
                th: &th,
                ctx,
            };
            let o = match kind {
                realisasi::Kind::Rekap => realisasi::rekap::read(s, out),
                realisasi::Kind::Iku => realisasi::iku::read(s, out),
                realisasi::Kind::Anggaran => realisasi::anggaran::read(s, out),
                realisasi::Kind::Rtl => realisasi::rtl::read(s, out),
            };
            realisasi::count_hidden(sheet, &th, o)
        }
        Found::Bad {
            row,
            alasan,
            kolom,
            kode,
        } => {
            out.rejects
                .push(sheet_reject(sheet, Some(row), &kolom, kode, alasan));
            refused(sheet, row)
        }
        Found::Nothing => {
            let near = realisasi::iku_near_miss(ctx.realisasi, sheet, HEADER_SEARCH_ROWS)
                .map(|s| format!("; {s}"))
                .unwrap_or_default();
            out.rejects.push(sheet_reject(
                sheet,
                None,
                "",
                RejectCode::LembarTidakDikenali,
                format!(
                    "tidak ditemukan baris judul kolom kuesioner (kolom 9 unsur: U1–U9, nama unsur \
                     atau teks pertanyaan), rekap IKM, IKU, anggaran atau rencana tindak lanjut dalam {HEADER_SEARCH_ROWS} \
                     baris pertama{near}"
                ),
            ));
            SheetOutcome::of(SheetKind::TidakDikenali)
        }
    }
}

impl SheetOutcome {
    pub fn of(kind: SheetKind) -> SheetOutcome {
        SheetOutcome {
            kind,
            ..Default::default()
        }
    }
}

/// A sheet refused as a whole below its header row: every non-blank row under the header is
/// data that could not be read, so it is counted read and rejected.
pub(crate) fn refused(sheet: &RawSheet, header_row: usize) -> SheetOutcome {
    let rows = sheet.rows[header_row + 1..]
        .iter()
        .filter(|r| !r.iter().all(Cell::is_empty))
        .count();
    SheetOutcome {
        kind: SheetKind::Ditolak,
        rows_read: rows,
        rejected: rows,
        ..Default::default()
    }
}

/// A reject for a whole sheet (`row`: the header row it was found at, 0-based).
pub(crate) fn sheet_reject(
    sheet: &RawSheet,
    row: Option<usize>,
    kolom: &str,
    kode: RejectCode,
    alasan: String,
) -> Reject {
    Reject {
        source_file: sheet.file.clone(),
        sheet: sheet.sheet.clone(),
        source_row: row.map(|r| (sheet.first_row + r) as u32),
        kolom: kolom.to_string(),
        nilai: String::new(),
        alasan,
        kode,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kunci_as_hex() {
        // Every byte value in every position, and keys of random bytes.
        let mut rng = crate::rng::Rng::new(16);
        let keys = (0..256usize)
            .map(|i| std::array::from_fn(|j| (i + j * 17) as u8))
            .chain((0..1000).map(|_| std::array::from_fn(|_| rng.below(256) as u8)));
        for k in keys {
            let want: String = k.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(kunci_hex(&k), want, "{k:?}");
            assert_eq!(hex_digits_from_table(&k), want.as_bytes(), "{k:?}");
        }
    }
}
