//! A questionnaire sheet's rows → responses and rejects. Its columns are resolved once per
//! sheet (`Columns`), the sheet is checked as a whole (a unit to attribute it to, not a
//! Likert-5 form), then each row is read (`RowReader::read`): skipped (blank, repeated header,
//! closing row, an explanatory line below the data: `legend`), rejected with every problem
//! found in it, or accepted.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};

use super::around::{around, Around};
use super::closing_audit::{self, ClosingRow};
use super::closing_rows::{
    footer_label, is_repeated_header, is_sub_header, label_columns, summary_label,
};
use super::find_header::Header;
use super::header::Field;
use super::legend::is_legend_line;
use super::memo::Memo;
use super::reject::RejectCode;
use super::scale::{self, ColumnScale};
use super::values::{self, Bad};
use super::{
    name, pii, sheet_reject, Context, Name, Output, PeriodeBasis, Reject, Response, SheetKind,
    SheetOutcome, UnitDari, UrutanBasis,
};
use crate::domain::{periode_of_date, DateOrder, Periode, UNSUR};
use crate::ingest::{Cell, RawSheet};

/// A column: its position and its header text (for rejects).
type At<'h> = Option<(usize, &'h str)>;

/// Where each field stands in the sheet, worked out once from the header.
struct Columns<'h> {
    unit: At<'h>,
    tanggal: At<'h>,
    /// Where the time of day is read: the form tool's own time (`Field::Stempel`), else the
    /// date's column.
    jam: At<'h>,
    periode: At<'h>,
    tahun: At<'h>,
    umur: At<'h>,
    jenis_kelamin: At<'h>,
    jenis_layanan: At<'h>,
    pendidikan: At<'h>,
    pekerjaan: At<'h>,
    /// (column, unsur index, header text) of the nine answers.
    unsur: Vec<(usize, usize, &'h str)>,
    /// Each answer column's section (as `unsur`): how many columns of its unsur come before it
    /// (0 but in a form of a section a unit, `find_header::sections`).
    section: Vec<usize>,
    /// Columns read as text (checked for oversize cells).
    text: Vec<(usize, &'h str)>,
    /// Where a closing row's label may stand.
    labels: Vec<usize>,
}

impl<'h> Columns<'h> {
    fn of(header: &'h Header) -> Columns<'h> {
        let unsur: Vec<(usize, usize, &'h str)> = (header.cols.iter())
            .filter_map(|(c, f, t)| match f {
                Field::Unsur(k) => Some((*c, *k, t.as_str())),
                _ => None,
            })
            .collect();
        let col = |f: Field| {
            header
                .cols
                .iter()
                .find(|(_, g, _)| *g == f)
                .map(|(c, _, t)| (*c, t.as_str()))
        };
        // The date a question asked, else the form's own time of submission, else its
        // start time.
        let tanggal = (col(Field::Tanggal))
            .or(col(Field::Stempel))
            .or(col(Field::WaktuMulai));
        Columns {
            unit: col(Field::Unit),
            tanggal,
            jam: col(Field::Stempel).or(tanggal),
            periode: col(Field::Periode),
            tahun: col(Field::Tahun),
            umur: col(Field::Umur),
            jenis_kelamin: col(Field::JenisKelamin),
            jenis_layanan: col(Field::JenisLayanan),
            pendidikan: col(Field::Pendidikan),
            pekerjaan: col(Field::Pekerjaan),
            unsur: unsur.clone(),
            section: (0..unsur.len())
                .map(|i| unsur[..i].iter().filter(|u| u.1 == unsur[i].1).count())
                .collect(),
            text: header
                .cols
                .iter()
                .filter(|(_, f, _)| {
                    !matches!(
                        f,
                        Field::Unsur(_)
                            | Field::Tanggal
                            | Field::Stempel
                            | Field::WaktuMulai
                            | Field::Umur
                            | Field::Pribadi
                            | Field::Nomor
                    )
                })
                .map(|(c, _, t)| (*c, t.as_str()))
                .collect(),
            labels: label_columns(header),
        }
    }
}

/// Reads a questionnaire sheet whose header is `header`: one `Piece` over all its rows.
pub fn read(
    sheet: &RawSheet,
    header: &Header,
    ctx: &Context<'_>,
    out: &mut Output,
) -> SheetOutcome {
    let plan = Plan::new(sheet, header, ctx);
    let mut piece = Piece::default();
    (piece.responses).reserve(sheet.rows.len().saturating_sub(header.row + 1));
    let mut reader = plan.reader(ctx);
    for (i, row) in sheet.rows.iter().enumerate().skip(header.row + 1) {
        reader.row(i, row, &mut piece);
    }
    piece.set_identities();
    match plan.conclude(&piece.tally) {
        Ok(o) => {
            if !piece.closing.is_empty() {
                let totals = closing_audit::totals(&piece.responses);
                out.findings
                    .extend(plan.audit(&piece.tally, totals, &piece.closing));
            }
            out.responses.extend(piece.responses);
            out.rejects.append(piece.rejects);
            out.earliest_future = min_date(out.earliest_future, piece.earliest_future);
            o
        }
        Err((reject, o)) => {
            out.rejects.push(reject);
            o
        }
    }
}

/// The earlier of two dates, either of which may be missing.
pub fn min_date(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A questionnaire sheet's reading, worked out once from its header and the rows above it:
/// its rows can then be read in pieces, on any number of threads (`Plan::reader`), and the
/// pieces' tallies added up and concluded (`Plan::conclude`). `head` holds at least the
/// sheet's rows down to its header.
pub struct Plan<'h> {
    head: &'h RawSheet,
    header: &'h Header,
    cols: Columns<'h>,
    around: Around,
    /// Why the whole sheet is refused before any row is read (no unit to attribute it to).
    refused: Option<Reject>,
    /// How its date column is read.
    dates: DateScan,
    /// The order used when every date fits both (`[kuesioner] urutan_tanggal`).
    default_order: DateOrder,
    /// The scale each answer column (as `cols.unsur`) is read in.
    scales: Vec<ColumnScale>,
    /// Whether a column was read in its unsur's Likert form as the sheet's others are
    /// (`scale::likert_of_the_sheet`).
    likert_lembar: bool,
    /// Whether a time of exactly midnight is a time of day (`midnight_is_time`).
    midnight_is_time: bool,
    /// Whether the sheet's times are to the minute though written with seconds (`minute_times`).
    minute_times: bool,
    /// How the form tool's time is moved to the units' zone, if it must be (`zone_rule`).
    zone: Option<ZoneRule>,
    /// Whether the date column's date cells were typed in the order its texts show and
    /// converted in the other (`cells_typed_in`): read with day and month swapped.
    cells_swapped: bool,
}

/// The first rows below the header looked at for what every row of a tool's export shows (a
/// zone after its time, times that are all midnight): a sheet read whole is its own head, so
/// all of its rows would be looked at twice (measured: 384 files of 26,000 rows, about 15%
/// slower when every row was).
const HEAD_SAMPLE: usize = 1000;

/// The times at second 0 that show a sheet's times are to the minute (`Plan::minute_times`).
const MINUTE_TIMES: usize = 20;

/// A form tool's time that gives the date, stated in another zone than the units'
/// (`domain::zone`): each value's own zone (`Z`, `+00:00`, `UTC`), else the column's (a
/// heading with `UTC`, KoboToolbox's `_submission_time`), moved to `local`.
#[derive(Debug, Clone, Copy)]
struct ZoneRule {
    column: Option<i32>,
    local: i32,
}

/// What a sheet's date column says of the order of day and month (`domain::date_order`),
/// over the rows seen so far (`Plan::observe_dates`).
#[derive(Debug, Clone, Default)]
struct DateScan {
    /// The first value that fits one order only: its order, its row in the sheet (0-based)
    /// and its text.
    found: Option<(DateOrder, usize, String)>,
    /// Whether a value seen reads as two different dates in the two orders.
    ambiguous: bool,
    /// Whether a numeric day-and-month date was seen (`05/05/2024` too), and whether a date
    /// of another form was (ISO, an Excel date cell or serial).
    numeric: bool,
    other: bool,
    /// The values that read as two different dates, and of them how many fall in the period the
    /// title, sheet or file name gives when read day first and month first (`title_order`).
    n_ambiguous: usize,
    in_period: [usize; 2],
}

/// What a piece of a sheet's rows gave.
#[derive(Debug, Default)]
pub struct Piece {
    /// The accepted rows; their `kunci` is set once the piece's rows are read
    /// (`set_identities`).
    pub responses: Vec<Response>,
    /// (Compact from the first: a chunk of a file on the wrong scale has nine a row.)
    pub rejects: super::RejectLog,
    pub tally: Tally,
    /// The earliest survey date rejected as being in the future.
    pub earliest_future: Option<NaiveDate>,
    /// Closing rows (`Jumlah`, `NRR/Unsur`, `**) IKM Unit pelayanan` …) and what they state.
    pub closing: Vec<ClosingRow>,
    /// Whether an accepted row has a time of day (an identity to set).
    pub timed: bool,
}

impl Piece {
    /// Sets the responses' `kunci` (`identity::fill`), unless none has a time of day: then
    /// every `kunci` is already none, and the rows are not walked again.
    pub fn set_identities(&mut self) {
        if self.timed {
            super::identity::fill(&mut self.responses);
        }
    }
}

/// Counts of a piece (added up over pieces).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub accepted: usize,
    pub rejected: usize,
    /// Blank rows, repeated headers, closing total/average rows.
    pub skipped: usize,
    /// Rows below the header that are not blank.
    pub nonempty: usize,
    /// Of those, the rows with a 5 among the answers.
    pub fives: usize,
    /// The first row (0-based in the sheet) whose date fits only the order the sheet is not
    /// read in: the column holds both orders.
    pub date_against: Option<usize>,
    /// Where the accepted rows' periods and years came from: bits of `basis_bit`.
    pub periode_dari: u8,
    pub tahun_dari: u8,
    /// The last accepted row (0-based in the sheet).
    pub last_accepted: Option<usize>,
    /// The zones the accepted rows' times were moved from (`Plan::zone_rule`).
    pub zona_asal: crate::domain::zone::Zones,
    /// Accepted rows whose unit is a guess (`RowReader::unit_guess`), and the first of them:
    /// its source row, the unit column's text and the unit it was read as.
    pub unit_guessed: usize,
    pub unit_guess: Option<(u32, Name, Name)>,
}

impl Tally {
    pub fn add(&mut self, o: &Tally) {
        self.accepted += o.accepted;
        self.rejected += o.rejected;
        self.skipped += o.skipped;
        self.nonempty += o.nonempty;
        self.fives += o.fives;
        self.date_against = match (self.date_against, o.date_against) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last_accepted = self.last_accepted.max(o.last_accepted);
        self.periode_dari |= o.periode_dari;
        self.tahun_dari |= o.tahun_dari;
        self.zona_asal.add(&o.zona_asal);
        self.unit_guessed += o.unit_guessed;
        self.unit_guess = match (self.unit_guess, o.unit_guess) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

impl<'h> Plan<'h> {
    pub fn new(head: &'h RawSheet, header: &'h Header, ctx: &Context<'_>) -> Plan<'h> {
        let around = around(head, header.top, ctx.registry);
        let cols = Columns::of(header);
        let refused = (cols.unit.is_none() && around.unit_id.is_none()).then(|| {
            sheet_reject(
                head,
                Some(header.row),
                "unit",
                RejectCode::UnitTidakDiketahui,
                "unit tidak dapat ditentukan: tidak ada kolom unit, dan judul, nama lembar, nama berkas \
                 maupun foldernya tidak menyebut unit yang terdaftar"
                    .to_string(),
            )
        });
        let mut plan = Plan {
            head,
            header,
            cols,
            around,
            refused,
            dates: DateScan::default(),
            default_order: ctx.date_order,
            scales: Vec::new(),
            likert_lembar: false,
            midnight_is_time: false,
            minute_times: false,
            zone: None,
            cells_swapped: false,
        };
        (plan.scales, plan.likert_lembar) = column_scales(head, header, &plan.cols, ctx);
        plan.midnight_is_time = plan.midnight_is_time();
        plan.minute_times = plan.minute_times();
        plan.zone = plan.zone_rule(ctx.zone);
        for (i, row) in head.rows.iter().enumerate().skip(header.row + 1) {
            if plan.observe_dates(i, row) {
                break;
            }
        }
        plan.cells_swapped = plan.cells_typed_in().is_some();
        if plan.refused.is_none() {
            plan.refused = plan.year_first_dates();
        }
        plan
    }

    /// The sheet refused when its dates' two-digit years are written first (`24-10-15`,
    /// `domain::date_order::year_first_two_digit`): read day first they would be filed years
    /// apart, silently.
    fn year_first_dates(&self) -> Option<Reject> {
        let (c, t) = self.cols.tanggal?;
        let below = self.head.rows.iter().skip(self.header.row + 1);
        let texts = below.take(HEAD_SAMPLE).filter_map(|row| match row.get(c) {
            Some(Cell::Text(t)) => Some(&**t),
            _ => None,
        });
        let (lo, hi) = crate::domain::date_order::year_first_two_digit(texts)?;
        Some(sheet_reject(
            self.head,
            Some(self.header.row),
            t,
            RejectCode::TanggalTidakTerbaca,
            format!(
                "tanggal di kolom ini tampaknya ditulis tahun dua angka lebih dulu \
                 (tahun-bulan-hari, mis. '24-10-15' untuk 15 Oktober 2024): angka pertamanya \
                 hampir selalu sama, angka terakhirnya berganti-ganti; dibaca hari-bulan-tahun \
                 tanggalnya tersebar dari tahun {lo} sampai {hi}. Tulis tahunnya empat angka \
                 (2024-10-15 atau 15/10/2024) lalu kirim ulang"
            ),
        ))
    }

    /// The order the date column's date cells were typed in, when a spreadsheet of another
    /// locale converted them in the other (`domain::date_order::cells_typed_in`: texts of one
    /// order only beside date cells of whole days whose days are all ≤ 12), over the head's
    /// rows.
    fn cells_typed_in(&self) -> Option<DateOrder> {
        use crate::domain::date_order::{ambiguous, evidence, leading_pair, CellsBesideTexts};
        let (c, _) = self.cols.tanggal?;
        let mut seen = CellsBesideTexts::default();
        let below = self.head.rows.iter().skip(self.header.row + 1);
        for row in below.take(HEAD_SAMPLE) {
            let x = match (self.head.date_1904, cell(row, c)) {
                (true, Cell::Number(n)) => Cell::Number(n + crate::ingest::DAYS_1900_TO_1904),
                (_, x) => x.clone(),
            };
            match &x {
                Cell::Text(t) if leading_pair(t).is_some() => match evidence(t) {
                    Some(DateOrder::HariBulan) => seen.texts_one[0] += 1,
                    Some(DateOrder::BulanHari) => seen.texts_one[1] += 1,
                    None => seen.texts_both += usize::from(ambiguous(t)),
                },
                Cell::Date(s) | Cell::Number(s) => match values::date(&x, self.default_order) {
                    // (A time of day: a form tool's own time, never a day typed.)
                    Ok(Some(d)) if d.day() > 12 || s.fract() != 0.0 => seen.cells_right += 1,
                    Ok(Some(d)) if d.day() != d.month() => seen.cells_low += 1,
                    _ => {}
                },
                _ => {}
            }
        }
        let typed = crate::domain::date_order::cells_typed_in(&seen)?;
        (Some(typed) == self.dates.found.as_ref().map(|f| f.0)).then_some(typed)
    }

    /// Whether a time of exactly midnight is a time of day in this sheet: most times of its
    /// head's rows (the sheet, unless it is streamed) are not midnight (a form's export, where a
    /// response at 00:00:00 keeps its identity). A sheet whose times are mostly midnight
    /// (`2024-10-15 00:00:00`, or Excel date cells of whole days: a date-only log, a time typed
    /// on a row here and there) has dates alone: its rows have no identity, and the same log
    /// sent as a workbook and as CSV is one log (docs/inputs.md, "A log sent again").
    fn midnight_is_time(&self) -> bool {
        let Some((c, _)) = self.cols.jam else {
            return false;
        };
        let below = self.head.rows.iter().skip(self.header.row + 1);
        let (mut midnight, mut other) = (0usize, 0usize);
        // (The first rows with a time tell: a sheet read whole is its own head, and this runs
        // for every sheet.)
        let times = below.filter_map(|row| values::time_of_day(cell(row, c)));
        for t in times.take(HEAD_SAMPLE) {
            match values::is_midnight(&t) {
                true => midnight += 1,
                false => other += 1,
            }
        }
        other > midnight
    }

    /// Whether the sheet's times are to the minute though written with seconds: at least
    /// `MINUTE_TIMES` of its head's times (midnight aside) and every one of them at second 0
    /// (`10:23:00`): a form's export saved again to the minute (`15/1/2024 10:23`) and then
    /// as a workbook (date cells of 10:23:00) or with `h:mm:ss`. Its times are then read to the
    /// minute (`10:23`), as the export it was made from shows them, so that its rows are that
    /// export's rows to the minute (docs/DOMAIN.md §1.11, step 5). Real seconds are at 0 one
    /// time in 60: twenty in a row by chance, never.
    fn minute_times(&self) -> bool {
        let Some((c, _)) = self.cols.jam else {
            return false;
        };
        let below = self.head.rows.iter().skip(self.header.row + 1);
        let times = below.filter_map(|row| values::time_of_day(cell(row, c)));
        let mut n = 0usize;
        for t in times.take(HEAD_SAMPLE).filter(|t| !values::is_midnight(t)) {
            if t.len() != 8 || !t.ends_with(":00") {
                return false;
            }
            n += 1;
        }
        n >= MINUTE_TIMES
    }

    /// How the form tool's time is moved to the units' zone (`local`, minutes east of UTC):
    /// only when that time gives the date (no date question beside it), and its heading says
    /// UTC (`Submit Date (UTC)`, KoboToolbox's `_submission_time`) or a value of the first rows
    /// states a zone (`2024-09-30T23:15:02Z`, `… +00:00`). `None` otherwise: every value is
    /// read as the units' own time, at no cost a row.
    fn zone_rule(&self, local: i32) -> Option<ZoneRule> {
        let (c, t) = self.cols.jam?;
        if self.cols.tanggal.map(|d| d.0) != Some(c) {
            return None;
        }
        let heading = t.trim().to_ascii_lowercase();
        let column = (heading.starts_with("_submission_time")
            || crate::domain::unsur::fold(&heading)
                .split(' ')
                .any(|w| w == "utc")
            || self.utc_tool(&heading))
        .then_some(0);
        let below = self.head.rows.iter().skip(self.header.row + 1);
        let stated = (below.take(HEAD_SAMPLE))
            .filter_map(|row| match cell(row, c) {
                Cell::Text(t) => crate::domain::zone::stated(t),
                _ => None,
            })
            .next();
        match (column, stated) {
            (None, None) => None,
            (column, _) => Some(ZoneRule { column, local }),
        }
    }

    /// Whether the form tool's time is a `Submitted At` that Typeform or Tally wrote: in UTC,
    /// though neither heading nor value says so. Typeform's export to Google Sheets heads it
    /// beside its `Token`, Tally's export beside `Submission ID` and `Respondent ID`.
    fn utc_tool(&self, heading: &str) -> bool {
        if crate::domain::unsur::fold(heading) != "submitted at" {
            return false;
        }
        let headings: Vec<String> = (self.head.rows.get(self.header.row))
            .into_iter()
            .flatten()
            .map(|c| crate::domain::unsur::fold(&c.display()))
            .collect();
        let has = |h: &str| headings.iter().any(|x| x == h);
        has("token") || (has("submission id") && has("respondent id"))
    }

    /// Whether the order of day and month is still open after the rows seen: the sheet has a
    /// date column, nothing in it fits one order only, and it is not all in forms that have one
    /// order (ISO dates, Excel date cells: a file of those costs no second look). A streamed
    /// file then has its later rows looked at (`observe_dates`) before any is read.
    pub fn dates_open(&self) -> bool {
        let d = &self.dates;
        self.cols.tanggal.is_some() && d.found.is_none() && (d.numeric || !d.other)
    }

    /// Looks at row `i`'s date (0-based in the sheet); true once the order is decided.
    pub fn observe_dates(&mut self, i: usize, row: &[Cell]) -> bool {
        let Some((c, _)) = self.cols.tanggal else {
            return true;
        };
        if self.dates.found.is_some() {
            return true;
        }
        let t = match row.get(c) {
            Some(Cell::Text(t)) if !t.trim().is_empty() => t,
            Some(Cell::Date(_) | Cell::Number(_)) => {
                self.dates.other = true;
                return false;
            }
            _ => return false,
        };
        if crate::domain::date_order::leading_pair(t).is_none() {
            self.dates.other = true;
            return false;
        }
        self.dates.numeric = true;
        match crate::domain::date_order::evidence(t) {
            Some(order) => {
                self.dates.found = Some((order, i, t.trim().to_string()));
                true
            }
            None => {
                if crate::domain::date_order::ambiguous(t) {
                    self.dates.ambiguous = true;
                    self.dates.n_ambiguous += 1;
                    self.count_in_period(t);
                }
                false
            }
        }
    }

    /// Counts in which order an ambiguous date falls in the period the title, sheet or file
    /// name gives (and its year, when one is given).
    fn count_in_period(&mut self, t: &str) {
        let Some(p) = self.around.periode.filter(|p| *p != Periode::Tahun) else {
            return;
        };
        let Some((a, b, y)) = crate::domain::date_order::leading_pair(t) else {
            return;
        };
        let (first, last) = p.months();
        let year_fits = self.around.tahun.is_none_or(|t| t == y);
        for (k, order) in [DateOrder::HariBulan, DateOrder::BulanHari]
            .into_iter()
            .enumerate()
        {
            let (_, month) = crate::domain::date_order::day_month(order, a, b);
            self.dates.in_period[k] += usize::from(year_fits && (first..=last).contains(&month));
        }
    }

    /// The order the period named in the title, sheet or file name gives a column whose dates
    /// all fit both orders: every such date falls in that period in one order only
    /// (`SKM TW4 2024.csv` with `10/3/2024 9:45 AM` … `10/9/2024`: month first, October).
    fn title_order(&self) -> Option<DateOrder> {
        let d = &self.dates;
        if d.found.is_some() || d.n_ambiguous == 0 {
            return None;
        }
        match d.in_period.map(|n| n == d.n_ambiguous) {
            [true, false] => Some(DateOrder::HariBulan),
            [false, true] => Some(DateOrder::BulanHari),
            _ => None,
        }
    }

    /// The order the sheet's dates are read in.
    fn date_order(&self) -> DateOrder {
        match &self.dates.found {
            Some(f) => f.0,
            None => self.title_order().unwrap_or(self.default_order),
        }
    }

    /// The order and how it was decided, when it mattered (`files.urutan_tanggal`).
    fn date_decision(&self) -> Option<(DateOrder, UrutanBasis)> {
        if let Some(order) = self.title_order() {
            return Some((order, UrutanBasis::PeriodeJudul));
        }
        if self.cells_swapped {
            return Some((self.date_order(), UrutanBasis::SelTanggalDibalik));
        }
        match &self.dates.found {
            Some((order, _, _)) => Some((*order, UrutanBasis::Ditemukan)),
            None if self.dates.ambiguous => Some((self.default_order, UrutanBasis::Diasumsikan)),
            None => None,
        }
    }

    /// What every export of this sheet's form shares (`SheetOutcome::form`): the header row's
    /// texts and, when no column gives the unit, the unit the file is for (units' copies of
    /// one template share their header). A form exported twice, a week apart, gives the same.
    fn form_of(&self) -> String {
        let header = self
            .head
            .rows
            .get(self.header.row)
            .map_or(&[][..], |r| &r[..]);
        let used = header.len() - header.iter().rev().take_while(|c| c.is_empty()).count();
        let mut h = blake3::Hasher::new();
        for c in &header[..used] {
            h.update(c.display().as_bytes());
            h.update(&[0x1f]);
        }
        if self.cols.unit.is_none() {
            h.update(self.around.unit_id.as_deref().unwrap_or("").as_bytes());
        }
        h.finalize().to_hex()[..32].to_string()
    }

    /// The figures its closing rows state, checked against the responses above them.
    /// `totals`: per unsur, the sum of the accepted rows' answers and how many answered.
    pub fn audit(
        &self,
        t: &Tally,
        totals: closing_audit::Totals,
        closing: &[ClosingRow],
    ) -> Vec<super::realisasi::Finding> {
        if closing.is_empty() {
            return Vec::new();
        }
        closing_audit::audit(
            self.head,
            closing,
            totals,
            t.last_accepted,
            self.around.unit_id.as_deref(),
            self.around.tahun,
        )
    }

    /// The refusal of a sheet whose date column holds dates of both orders.
    fn mixed_dates(&self, against: usize) -> Option<Reject> {
        let (order, at, text) = self.dates.found.as_ref()?;
        let (c, t) = self.cols.tanggal?;
        let row = |i: usize| self.head.first_row + i;
        let mut r = sheet_reject(
            self.head,
            Some(self.header.row),
            t,
            RejectCode::UrutanTanggalBertentangan,
            format!(
                "kolom tanggal '{t}' (kolom {}) memuat tanggal dengan dua urutan: baris {} ('{text}') \
                 hanya terbaca {}, baris {} hanya terbaca {}; urutan hari dan bulan tidak dapat \
                 ditentukan, jadi tidak satu pun baris lembar ini dipakai. Seragamkan format tanggal \
                 kolom ini (atau tulis 2024-01-13) lalu kirim ulang",
                c + 1,
                row(*at),
                order.example(),
                row(against),
                order.other().example(),
            ),
        );
        r.nilai = text.clone();
        Some(r)
    }

    /// A reader of rows below the header (one per thread).
    pub fn reader<'a>(&'a self, ctx: &'a Context<'a>) -> PieceReader<'a> {
        let mut rows = RowReader::new(
            self.head,
            self.header,
            (&self.cols, &self.scales),
            &self.around,
            ctx,
            (
                self.date_order(),
                self.dates.found.is_some()
                    || ctx.date_order_settled
                    || self.title_order().is_some(),
            ),
            (self.midnight_is_time, self.zone),
        );
        rows.cells_swapped = self.cells_swapped;
        rows.minute_times = self.minute_times;
        PieceReader {
            rows,
            unsur: self.cols.unsur.iter().map(|(c, _, _)| *c).collect(),
            read: self.refused.is_none(),
        }
    }

    /// The sheet's outcome once every row is read, or the reject that refuses it as a whole
    /// (no unit, or a Likert-5 form) with the outcome of a refused sheet: the pieces' rows and
    /// rejects are then not used.
    // Once per sheet: the refused sheet's outcome travels with its reject.
    #[allow(clippy::result_large_err)]
    pub fn conclude(&self, t: &Tally) -> Result<SheetOutcome, (Reject, SheetOutcome)> {
        let refused = SheetOutcome {
            kind: SheetKind::Ditolak,
            rows_read: t.nonempty,
            rejected: t.nonempty,
            ..Default::default()
        };
        if let Some(r) = &self.refused {
            return Err((r.clone(), refused));
        }
        if let Some(r) = t.date_against.and_then(|a| self.mixed_dates(a)) {
            return Err((r, refused));
        }
        if let Some(alasan) = likert5(t.fives, t.nonempty) {
            let r = sheet_reject(
                self.head,
                Some(self.header.row),
                "",
                RejectCode::MetodeLikert5,
                alasan,
            );
            return Err((r, refused));
        }
        let mut o = SheetOutcome::of(SheetKind::Kuesioner);
        o.mapping = self
            .header
            .cols
            .iter()
            .map(|(_, f, t)| (t.clone(), f.name().to_string()))
            .collect();
        o.rows_read = t.accepted + t.rejected;
        o.accepted = t.accepted;
        o.rejected = t.rejected;
        o.skipped = t.skipped;
        o.date_order = self.date_decision();
        o.form = o.date_order.map(|_| self.form_of());
        o.periode_dari = bases(t.periode_dari);
        o.tahun_dari = bases(t.tahun_dari);
        o.zona_waktu_asal = t.zona_asal.describe();
        o.unit_tebakan = t.unit_guess.map(|(row, text, unit)| {
            format!(
                "{} baris: nama tempat saja dibaca sebagai kantor kecamatannya, padahal unit lain \
                 juga bernama tempat itu (pertama baris {row}: '{text}' dibaca {unit})",
                t.unit_guessed
            )
        });
        o.option_letters = self.scales.first() == Some(&ColumnScale::Letters);
        o.likert_lembar = self.likert_lembar;
        o.singkatan = match self.scales.first() {
            Some(ColumnScale::Abbrev(_, nama)) => Some(nama.clone()),
            _ => None,
        };
        o.unit_dari = match (self.cols.unit, self.header.unit_by_values) {
            (Some(_), false) => Some(UnitDari::Kolom),
            (Some(_), true) => Some(UnitDari::NilaiKolom),
            (None, _) => self.around.unit_dari,
        };
        Ok(o)
    }
}

/// The scale each answer column is read in (`super::scale`), decided from the words the
/// head's rows hold in it (a sheet read whole: all its rows); a grid question's columns (the
/// same question before `[…]`) share one. And whether a column was read in its unsur's Likert
/// form because the sheet's other columns are (`scale::likert_of_the_sheet`, an inference).
fn column_scales(
    head: &RawSheet,
    header: &Header,
    cols: &Columns<'_>,
    ctx: &Context<'_>,
) -> (Vec<ColumnScale>, bool) {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (_, _, t)) in cols.unsur.iter().enumerate() {
        let key = match (super::header::grid_row(t), t.rsplit_once('[')) {
            (Some(_), Some((question, _))) => crate::domain::unsur::fold(question),
            _ => format!("\u{0}{i}"),
        };
        groups.entry(key).or_default().push(i);
    }
    if option_letters(head, header, cols) {
        return (vec![ColumnScale::Letters; cols.unsur.len()], false);
    }
    if let Some(scale) = abbreviations(head, header, cols, ctx.layout.scales()) {
        return (vec![scale; cols.unsur.len()], false);
    }
    if answer_codes(head, header, cols) {
        let why = "jawaban berupa kode pilihan LimeSurvey (A1, AO01, …), yang urutan dan \
                   artinya ditentukan pembuat survei; ekspor ulang dengan \"Full answers\" \
                   (jawaban lengkap) atau pakai angka 1–4";
        return (
            vec![ColumnScale::Unusable(why.to_string()); cols.unsur.len()],
            false,
        );
    }
    let mut out = vec![ColumnScale::Own; cols.unsur.len()];
    let mut column_words: Vec<(usize, BTreeSet<String>)> = Vec::new();
    for idx in groups.values() {
        let mut raw: HashSet<&str> = HashSet::new();
        for row in head.rows.iter().skip(header.row + 1) {
            for &i in idx {
                if let Some(Cell::Text(t)) = row.get(cols.unsur[i].0) {
                    if !matches!(t.as_bytes(), [b'1'..=b'4']) {
                        raw.insert(t);
                    }
                }
            }
        }
        let words: BTreeSet<String> = raw
            .iter()
            .filter_map(|t| scale::answer_word(t))
            .map(|(w, _)| w)
            .collect();
        let unsur: Vec<usize> = idx.iter().map(|&i| cols.unsur[i].1).collect();
        let decided = scale::decide(&unsur, &words, ctx.layout.scales());
        for &i in idx {
            out[i] = decided.clone();
        }
        if let [i] = idx[..] {
            column_words.push((i, words));
        }
    }
    let unsur: Vec<usize> = cols.unsur.iter().map(|u| u.1).collect();
    let likert = scale::likert_of_the_sheet(&mut out, &unsur, &column_words, ctx.layout.scales());
    (out, likert)
}

/// Whether the answers are the questionnaire's option letters (`ColumnScale::Letters`): every
/// answer in the head's answer columns that is not a number 1–4 is one letter `a`–`d`
/// (`scale::option_letter`), there is at least one, and an `a` or a `d` is among them. (`B`
/// and `C` alone could be a log's abbreviations of Baik and Cukup, which score the other way
/// round, 3 and 2; an `a` or a `d` is no such abbreviation. `SB`, `K`, `TB` are not letters
/// a–d, and keep a sheet from this reading.)
fn option_letters(head: &RawSheet, header: &Header, cols: &Columns<'_>) -> bool {
    let (mut letters, mut ends) = (0usize, false);
    for row in head.rows.iter().skip(header.row + 1).take(HEAD_SAMPLE) {
        for (c, _, _) in &cols.unsur {
            let Some(Cell::Text(t)) = row.get(*c) else {
                continue;
            };
            let t = t.trim();
            if t.is_empty() || matches!(t.as_bytes(), [b'1'..=b'4']) {
                continue;
            }
            match scale::option_letter(t) {
                Some(n) => {
                    letters += 1;
                    ends |= n == 1 || n == 4;
                }
                None => return false,
            }
        }
    }
    letters > 0 && ends
}

/// Whether the answers are a four-point scale's abbreviations as a unit's log types them (`SB`,
/// `B`, `C`, `K` for Sangat baik, Baik, Cukup, Kurang; `SS`, `S`, `TS`, `STS`; the `singkatan`
/// of `[[skala]]`): every answer of the head's answer columns that is no number is one
/// (`scale::abbreviation`), one at least is no letter a–d (`B` and `C` alone could be option
/// letters, which score them the other way round), and the scales that have them all read them
/// alike. Where those scales read them differently (`K`, `B`, `SB` without `C` or `SK`: `K` is
/// Kurang, 1 beside `C` and 2 beside `SK`; `TS`, `S`, `SS`: Tidak sesuai 1 or Tidak setuju 2),
/// every answer of the sheet is refused naming the scales, never guessed.
fn abbreviations(
    head: &RawSheet,
    header: &Header,
    cols: &Columns<'_>,
    scales: &[scale::Scale],
) -> Option<ColumnScale> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for t in worded_answers(head, header, cols) {
        seen.insert(scale::abbreviation(t)?);
    }
    if seen
        .iter()
        .all(|k| matches!(k.as_str(), "a" | "b" | "c" | "d"))
    {
        // (`a` or `d` among them: option letters, read before.) `B` and `C` alone: option
        // letters b and c (2, 3), or Baik and Cukup (3, 2).
        return (!seen.is_empty()).then(|| {
            ColumnScale::Unusable(
                "jawaban di lembar ini hanya 'B' dan 'C': bisa huruf pilihan b dan c (2 dan 3) \
                 atau singkatan Baik dan Cukup (3 dan 2); tidak dapat ditentukan nilainya — pakai \
                 angka 1–4 atau tuliskan jawabannya lengkap"
                    .to_string(),
            )
        });
    }
    let reads = |i: usize| -> Option<Vec<u8>> {
        seen.iter()
            .map(|k| scales[i].score_abbreviation(k))
            .collect()
    };
    let fitting: Vec<(usize, Vec<u8>)> = (0..scales.len())
        .filter_map(|i| reads(i).map(|r| (i, r)))
        .collect();
    let (first, read) = fitting.first()?;
    let nama = |i: usize| scales[i].singkatan.as_ref().map_or("", |(_, n)| n.as_str());
    if fitting.iter().all(|(_, r)| r == read) {
        return Some(ColumnScale::Abbrev(*first, nama(*first).to_string()));
    }
    let shown: Vec<String> = seen
        .iter()
        .map(|k| format!("'{}'", k.to_uppercase()))
        .collect();
    let names: Vec<&str> = fitting.iter().map(|(i, _)| nama(*i)).collect();
    Some(ColumnScale::Unusable(format!(
        "singkatan jawaban di lembar ini ({}) cocok dengan lebih dari satu skala yang \
         membacanya berbeda ({}); tidak dapat ditentukan nilainya — pakai angka 1–4 atau \
         tuliskan jawabannya lengkap",
        shown.join(", "),
        names.join("; ")
    )))
}

/// Whether the answers are LimeSurvey's answer codes (`A1`, `AO01`: its export's default,
/// "Answer codes"): every answer of the head's answer columns that is no number is one, and
/// there is one at least. The codes are the survey author's, in the order the author typed the
/// options: read as scores they would be a guess, so the sheet's answers are refused saying
/// how to export them.
fn answer_codes(head: &RawSheet, header: &Header, cols: &Columns<'_>) -> bool {
    let code = |t: &str| {
        let t = t.to_ascii_uppercase();
        let digits = t.strip_prefix("AO").or_else(|| t.strip_prefix('A'));
        digits.is_some_and(|d| (1..=2).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
    };
    let mut any = false;
    for t in worded_answers(head, header, cols) {
        if !code(t) {
            return false;
        }
        any = true;
    }
    any
}

/// The head's answers (its first `HEAD_SAMPLE` rows, the unsur columns) typed as text that is
/// no number (digits, `,`, `.` and `-` alone), trimmed.
fn worded_answers<'s>(
    head: &'s RawSheet,
    header: &Header,
    cols: &'s Columns<'_>,
) -> impl Iterator<Item = &'s str> {
    let rows = head.rows.iter().skip(header.row + 1).take(HEAD_SAMPLE);
    rows.flat_map(move |row| {
        cols.unsur
            .iter()
            .filter_map(move |(c, _, _)| match row.get(*c) {
                Some(Cell::Text(t)) => Some(t.trim()),
                _ => None,
            })
    })
    .filter(|t| !t.bytes().all(|b| b.is_ascii_digit() || b",.-".contains(&b)))
}

/// A basis as a bit of `Tally::periode_dari` / `tahun_dari`.
fn basis_bit(b: PeriodeBasis) -> u8 {
    1 << PeriodeBasis::ALL.iter().position(|x| *x == b).unwrap_or(0)
}

/// The bases a sheet's rows used, `; `-separated (`None` when no row was accepted).
fn bases(bits: u8) -> Option<String> {
    let v: Vec<&str> = PeriodeBasis::ALL
        .iter()
        .filter(|b| bits & basis_bit(**b) != 0)
        .map(|b| b.as_str())
        .collect();
    (!v.is_empty()).then(|| v.join("; "))
}

/// Why a sheet is refused as a form on another scale, if it is. A Likert-5 or 1–10 form is
/// another method: when answers past 1–4 (`scale::past_four`: a 5 to 10, as a number or
/// in a label, or a five-point scale's middle word such as `Cukup puas`) are more than a slip
/// of the keyboard (at least 5 rows and 10% of the rows), the whole sheet is refused rather
/// than counting the rows that happen to hold 1–4 (its least satisfied respondents) into a
/// 1–4 figure.
fn likert5(fives: usize, data_rows: usize) -> Option<String> {
    (fives >= 5 && fives * 10 >= data_rows).then(|| {
        format!(
            "{fives} baris berisi jawaban di luar skala 1–4 (5 sampai 10, atau kata tengah skala \
             lima seperti 'Cukup puas'/'Netral'): formulir skala Likert-5 atau 1–10, bukan skala 1–4 \
             Permen PANRB 14/2017; seluruh lembar tidak dipakai agar metode tidak tercampur \
             (hanya responden yang menjawab 1–4 akan terhitung). Ubah formulir ke empat pilihan \
             jawaban dan kirim ulang"
        )
    })
}

/// Reads rows of a sheet into a `Piece`.
pub struct PieceReader<'a> {
    rows: RowReader<'a>,
    /// The answer columns (a 5 in any of them is counted).
    unsur: Vec<usize>,
    /// False when the sheet is refused before its rows are read: rows are only counted.
    read: bool,
}

impl PieceReader<'_> {
    /// Reads row `i` (0-based in the sheet, below the header).
    pub fn row(&mut self, i: usize, row: &[Cell], piece: &mut Piece) {
        if row.iter().all(Cell::is_empty) {
            piece.tally.skipped += 1;
            return;
        }
        piece.tally.nonempty += 1;
        let five = (self.unsur.iter()).any(|&c| row.get(c).is_some_and(scale::past_four));
        piece.tally.fives += usize::from(five);
        if !self.read {
            return;
        }
        let read = self.rows.read(i, row, &mut piece.earliest_future);
        if self.rows.date_against {
            self.rows.date_against = false;
            piece.tally.date_against.get_or_insert(i);
        }
        // (A skipped or closing row is no answer on another scale: a repeated header, a total.)
        let not_data = matches!(read, Row::Skipped | Row::Closing(_));
        piece.tally.fives -= usize::from(five && not_data);
        match read {
            Row::Skipped => piece.tally.skipped += 1,
            Row::Closing(label) => {
                piece.tally.skipped += 1;
                let cols: Vec<(usize, usize)> = self
                    .rows
                    .cols
                    .unsur
                    .iter()
                    .map(|(c, k, _)| (*c, *k))
                    .collect();
                piece
                    .closing
                    .push(closing_audit::read(i, label, row, &cols));
            }
            Row::Accepted(r) => {
                piece.tally.accepted += 1;
                piece.tally.periode_dari |= basis_bit(r.periode_basis);
                let tahun_kolom = self
                    .rows
                    .cols
                    .tahun
                    .is_some_and(|(c, _)| !cell(row, c).is_empty());
                piece.tally.tahun_dari |= basis_bit(match (r.tanggal, tahun_kolom) {
                    (Some(_), _) => PeriodeBasis::Tanggal,
                    (None, true) => PeriodeBasis::Kolom,
                    (None, false) => PeriodeBasis::Judul,
                });
                piece.tally.last_accepted = piece.tally.last_accepted.max(Some(i));
                if let Some(from) = self.rows.moved_from {
                    piece.tally.zona_asal.insert(from);
                }
                if let Some(text) = self.rows.unit_guess {
                    piece.tally.unit_guessed += 1;
                    let first = (r.source_row, text, r.unit_id);
                    piece.tally.unit_guess.get_or_insert(first);
                }
                piece.timed |= r.jam.is_some();
                piece.responses.push(r);
            }
            Row::Rejected(source_row, problems) => {
                piece.tally.rejected += 1;
                let (file, sheet) = (&self.rows.source_file, &self.rows.sheet_name);
                piece.rejects.extend(
                    problems
                        .into_iter()
                        .map(|p| p.reject(file, sheet, source_row)),
                );
            }
        }
    }
}

/// What became of one row.
enum Row {
    Skipped,
    /// A closing row, with its label folded.
    Closing(String),
    Accepted(Response),
    /// The row's number in the sheet, and every problem found in it (at least one).
    Rejected(u32, Vec<Problem>),
}

/// One problem in a row: the column's header and the value found (both empty when the row as
/// a whole is at fault), and why.
struct Problem {
    kolom: String,
    nilai: String,
    bad: Bad,
}

impl Problem {
    fn reject(self, file: &str, sheet: &str, source_row: u32) -> Reject {
        Reject {
            source_file: file.to_string(),
            sheet: sheet.to_string(),
            source_row: Some(source_row),
            kolom: self.kolom,
            // A value that looks personal is masked.
            nilai: pii::shown(&self.nilai),
            alasan: self.bad.alasan,
            kode: self.bad.kode,
        }
    }
}

/// When a response was given: the period (and where it came from), the year, the date.
struct When {
    periode: Periode,
    basis: PeriodeBasis,
    tahun: i32,
}

type Umur = Result<(Option<i32>, Option<super::Shared>), Bad>;

/// Memos of the cell readings that repeat down a column.
struct Memos {
    /// The unit a text names, and the text when that is a guess (`RowReader::unit_guess`).
    unit: Memo<Option<(Name, Option<Name>)>>,
    date: Memo<Result<Option<NaiveDate>, Bad>>,
    umur: Memo<Umur>,
    jenis_kelamin: Memo<Option<super::Shared>>,
    /// jenis_layanan, pendidikan, pekerjaan.
    text: [Memo<Option<super::Shared>>; 3],
    /// The age bands read so far, one shared text each: every age of a band gives the same
    /// `Shared` (`shared_band`), so the sums find a band's group by its address.
    bands: Vec<super::Shared>,
}

/// `band` as the shared text of the bands read so far (a new one kept, up to 64).
fn shared_band(bands: &mut Vec<super::Shared>, band: String) -> super::Shared {
    if let Some(b) = bands.iter().find(|b| ***b == *band) {
        return b.clone();
    }
    let b: super::Shared = band.into();
    if bands.len() < 64 {
        bands.push(b.clone());
    }
    b
}

/// Reads the rows of one sheet, with what every row shares.
struct RowReader<'a> {
    /// The sheet's first row's number (`RawSheet::first_row`).
    first_row: usize,
    ctx: &'a Context<'a>,
    cols: &'a Columns<'a>,
    around: &'a Around,
    /// The header's cells, folded once (to spot a header repeated at a page break).
    header_texts: Vec<String>,
    /// LimeSurvey's `submitdate` column (`limesurvey_submitdate`): a row with it empty is an
    /// incomplete response.
    unsubmitted: Option<(usize, &'a str)>,
    memos: Memos,
    /// What to say of each unit name not in the registry (`Registry::unknown_unit_hint`),
    /// worked out once a name.
    unknown_units: HashMap<String, String>,
    source_file: Name,
    sheet_name: Name,
    /// The unit the title or file names (`around`).
    around_unit: Option<Name>,
    /// Its registry entry (`Registry::is_bare_place_of`), looked up once.
    around_entry: Option<&'a crate::registry::Unit>,
    /// The row's answers in `cols.unsur` order (blank, or one that cannot be read, is `None`)
    /// and why each unreadable one cannot be read (its place in `cols.unsur`): kept apart so that
    /// an answer read is a byte, not a `Result` written and read back through memory.
    answers: Vec<Option<u8>>,
    bad_answers: Vec<(usize, Bad)>,
    /// The scale each answer column is read in (as `cols.unsur`).
    scales: &'a [ColumnScale],
    /// The order of day and month the sheet's dates are read in, and whether its date column
    /// showed it (else it was assumed).
    order: DateOrder,
    order_found: bool,
    /// Whether a time of exactly midnight is a time of day (`Plan::midnight_is_time`).
    midnight_is_time: bool,
    /// How the form tool's time is moved to the units' zone (`Plan::zone_rule`), and the row's
    /// time so moved (`when`, taken by `read`) and the zone it was moved from.
    zone: Option<ZoneRule>,
    moved_jam: Option<String>,
    moved_from: Option<i32>,
    /// The row under the header (0-based in the sheet), where a survey tool's second header row
    /// stands (`is_sub_header`), and the answer columns.
    sub_header_at: usize,
    unsur_columns: Vec<usize>,
    /// A 1904 workbook: a date typed as a serial number is moved to the 1900 system.
    date_1904: bool,
    /// Set when the row just read has a date that fits only the other order.
    date_against: bool,
    /// Whether the times are read to the minute (`Plan::minute_times`).
    minute_times: bool,
    /// The row's unit column text when its unit is a guess: a place's name alone read as its
    /// kecamatan's office while another unit bears that name too, and nothing in the sheet
    /// (title, sheet, file or folder name) settles it (`Registry::bare_place_shared`).
    unit_guess: Option<Name>,
    /// Whether the date column's date cells are read with day and month swapped
    /// (`Plan::cells_typed_in`).
    cells_swapped: bool,
}

impl<'a> RowReader<'a> {
    fn new(
        sheet: &'a RawSheet,
        header: &Header,
        (cols, scales): (&'a Columns<'a>, &'a [ColumnScale]),
        around: &'a Around,
        ctx: &'a Context<'a>,
        (order, order_found): (DateOrder, bool),
        (midnight_is_time, zone): (bool, Option<ZoneRule>),
    ) -> RowReader<'a> {
        let header_texts: Vec<String> = (sheet.rows[header.row].iter())
            .map(|c| crate::domain::unsur::fold(&c.display()))
            .collect();
        RowReader {
            zone,
            moved_jam: None,
            moved_from: None,
            order_found,
            midnight_is_time,
            sub_header_at: header.row + 1,
            unsur_columns: cols.unsur.iter().map(|(c, _, _)| *c).collect(),
            first_row: sheet.first_row,
            date_1904: sheet.date_1904,
            ctx,
            cols,
            around,
            unsubmitted: limesurvey_submitdate(cols, &header_texts),
            header_texts,
            memos: Memos {
                unit: Memo::new(256),
                date: Memo::new(4096),
                umur: Memo::new(1024),
                jenis_kelamin: Memo::new(256),
                text: [Memo::new(4096), Memo::new(4096), Memo::new(4096)],
                bands: Vec::new(),
            },
            unknown_units: HashMap::new(),
            source_file: name(&sheet.file),
            sheet_name: name(&sheet.sheet),
            around_unit: around.unit_id.as_deref().map(name),
            around_entry: around.unit_id.as_deref().and_then(|u| ctx.registry.get(u)),
            answers: Vec::with_capacity(cols.unsur.len()),
            bad_answers: Vec::new(),
            scales,
            order,
            date_against: false,
            minute_times: false,
            unit_guess: None,
            cells_swapped: false,
        }
    }

    /// Reads row `i` (0-based in the sheet). `earliest_future` keeps the earliest survey date
    /// rejected as being in the future.
    fn read(&mut self, i: usize, row: &[Cell], earliest_future: &mut Option<NaiveDate>) -> Row {
        // (A blank row never comes here: `PieceReader::row` counts it.)
        if is_repeated_header(row, &self.header_texts)
            || (i == self.sub_header_at && is_sub_header(row, &self.unsur_columns))
        {
            return Row::Skipped;
        }
        if let Some((c, t)) = self.unsubmitted {
            if cell(row, c).is_empty() {
                let source_row = (self.first_row + i) as u32;
                return Row::Rejected(source_row, vec![not_submitted(t)]);
            }
        }
        // The answers, read once: a row whose nine answers are 1–4 is never a closing row.
        self.answers.clear();
        self.bad_answers.clear();
        let generic = self.ctx.layout.scales();
        for (at, ((c, k, _), sc)) in self.cols.unsur.iter().zip(self.scales).enumerate() {
            let cell = row.get(*c).unwrap_or(&Cell::Empty);
            match values::answer(cell, &UNSUR[*k], sc, generic) {
                Ok(v) => self.answers.push(v),
                Err(b) => {
                    self.answers.push(None);
                    self.bad_answers.push((at, b));
                }
            }
        }
        let all_answered = self.answers.iter().all(Option::is_some);
        if !all_answered {
            let label = summary_label(row, &self.cols.labels)
                .or_else(|| footer_label(row, &self.unsur_columns));
            if let Some(label) = label {
                return Row::Closing(label);
            }
            // The template's explanatory lines below the data (`legend`): asked only here, of
            // a row neither all answered nor a closing row.
            let answered = self.answers.iter().filter(|a| a.is_some()).count();
            if is_legend_line(row, &self.unsur_columns, answered) {
                return Row::Skipped;
            }
        }
        let source_row = (self.first_row + i) as u32;
        let mut problems = Vec::new();
        self.oversize(row, &mut problems);
        let unit_id = self.unit(row, &mut problems);
        let skor = self.skor(row, &mut problems);
        let (tanggal, when) = self.when(row, earliest_future, &mut problems);
        let (umur, umur_kelompok) = self.umur(row, &mut problems);
        let (Some(unit_id), Some(when), true) = (unit_id, when, problems.is_empty()) else {
            debug_assert!(!problems.is_empty(), "a row lacking a field has a problem");
            return Row::Rejected(source_row, problems);
        };
        let jenis_kelamin = self.cols.jenis_kelamin.and_then(|(c, _)| {
            self.memos.jenis_kelamin.get(cell(row, c), |x| {
                values::jenis_kelamin(x).map(super::Shared::from)
            })
        });
        let [layanan, pendidikan, pekerjaan] = &mut self.memos.text;
        let jam = match self.moved_jam.take() {
            Some(moved) => Some(moved.into()),
            None => (self.cols.jam)
                .and_then(|(c, _)| values::time_of_day(cell(row, c)))
                .filter(|t| self.midnight_is_time || !values::is_midnight(t)),
        };
        let jam = match jam {
            Some(t) if self.minute_times && t.len() == 8 && t.ends_with(":00") => {
                Some(t[..5].into())
            }
            jam => jam,
        };
        Row::Accepted(Response {
            unit_id,
            tahun: when.tahun,
            periode: when.periode,
            periode_basis: when.basis,
            tanggal,
            jam,
            jenis_layanan: profile_text(row, self.cols.jenis_layanan, layanan),
            jenis_kelamin,
            umur,
            umur_kelompok,
            pendidikan: profile_text(row, self.cols.pendidikan, pendidikan),
            pekerjaan: profile_text(row, self.cols.pekerjaan, pekerjaan),
            skor,
            source_file: self.source_file,
            sheet: self.sheet_name,
            source_row,
            // Set for the whole piece at once (`Piece::set_identities`).
            kunci: None,
        })
    }

    /// Cells too long to be answers or profile values.
    fn oversize(&self, row: &[Cell], problems: &mut Vec<Problem>) {
        for (c, t) in &self.cols.text {
            if let Cell::Oversize(n) = cell(row, *c) {
                problems.push(whole_row(Bad {
                    kode: RejectCode::SelTerlaluBesar,
                    alasan: format!(
                        "kolom '{t}': teks {n} karakter melebihi batas ([batas] karakter_sel)"
                    ),
                }));
            }
        }
    }

    /// The unit: the row's unit column, else the unit the title or file names.
    fn unit(&mut self, row: &[Cell], problems: &mut Vec<Problem>) -> Option<Name> {
        let registry = self.ctx.registry;
        self.unit_guess = None;
        match self.cols.unit {
            Some((c, t)) if !cell(row, c).is_empty() => {
                let own = self.around_entry;
                let found = self.memos.unit.get(cell(row, c), |x| {
                    let text = x.display();
                    let unit = registry.lookup(&text)?;
                    // A bare place name ("Jatiasih") is its kecamatan's office, unless the
                    // sheet's own unit (title, file or folder) is another unit of that place
                    // (Puskesmas Jatiasih): then it is that unit. Without one, the office is
                    // a guess where another unit bears the name (recorded).
                    let own = own.filter(|o| registry.is_bare_place_of(&text, o));
                    let guess = (own.is_none() && registry.bare_place_shared(&text))
                        .then(|| name(text.trim()));
                    Some((name(&own.unwrap_or(unit).unit_id), guess))
                });
                let found = found.map(|(unit, guess)| {
                    self.unit_guess = guess;
                    unit
                });
                if found.is_none() {
                    let text = cell(row, c).display().trim().to_string();
                    let hint = (self.unknown_units.entry(text))
                        .or_insert_with_key(|t| registry.unknown_unit_hint(t));
                    problems.push(at(
                        row,
                        Some((c, t)),
                        Bad {
                            kode: RejectCode::UnitTidakDikenal,
                            alasan: format!(
                                "unit ini tidak ada dalam daftar unit (nama, singkatan atau \
                                 unit_id); {hint}"
                            ),
                        },
                    ));
                }
                found
            }
            unit_col => match self.around_unit {
                Some(u) => Some(u),
                None => {
                    problems.push(at(
                        row,
                        unit_col,
                        Bad {
                            kode: RejectCode::UnitKosong,
                            alasan: "kolom unit kosong dan judul/nama berkas tidak menyebut unit"
                                .to_string(),
                        },
                    ));
                    None
                }
            },
        }
    }

    /// The nine scores (`None`: not answered); a row with no answer at all is a problem.
    fn skor(&mut self, row: &[Cell], problems: &mut Vec<Problem>) -> [Option<u8>; 9] {
        let mut skor = [None; 9];
        // A form of a section a unit asks each unsur in several columns
        // (`find_header::sections`), and a response answers one section: an answer in another
        // section than the row's first (its place in `cols.unsur`) is a conflict.
        let mut first: Option<usize> = None;
        let mut conflict = None;
        for (at, ((_, k, _), a)) in self.cols.unsur.iter().zip(&self.answers).enumerate() {
            let Some(a) = *a else { continue };
            match first {
                Some(f) if self.cols.section[f] != self.cols.section[at] => {
                    conflict.get_or_insert((f, at));
                }
                _ => {
                    first.get_or_insert(at);
                    skor[*k] = Some(a);
                }
            }
        }
        if let Some((a, b)) = conflict {
            problems.push(self.sections_disagree(row, a, b));
        }
        for (i, b) in self.bad_answers.drain(..) {
            let (c, _, t) = &self.cols.unsur[i];
            problems.push(at(row, Some((*c, t)), b));
        }
        let any_bad_answer = problems.iter().any(|p| p.bad.kode.is_answer());
        if skor.iter().all(Option::is_none) && !any_bad_answer {
            problems.push(whole_row(Bad {
                kode: RejectCode::TanpaJawaban,
                alasan: "baris tanpa jawaban sama sekali untuk 9 unsur".to_string(),
            }));
        }
        skor
    }

    /// Answers in two sections of a form (`find_header::sections`) in one row: `a` and `b` in
    /// `cols.unsur`, the first answer of the row and the first of another section.
    fn sections_disagree(&self, row: &[Cell], a: usize, b: usize) -> Problem {
        let ((ca, _, ta), (cb, _, tb)) = (self.cols.unsur[a], self.cols.unsur[b]);
        let section = |i: usize| self.cols.section[i] + 1;
        Problem {
            kolom: tb.to_string(),
            nilai: cell(row, cb).display(),
            bad: Bad {
                kode: RejectCode::JawabanBertentangan,
                alasan: format!(
                    "baris ini menjawab di dua bagian formulir: bagian {} (kolom '{ta}', kolom \
                     {}: '{}') dan bagian {} (kolom '{tb}', kolom {}: '{}'); satu respons hanya \
                     mengisi bagian unit yang dipilihnya: periksa isian baris ini",
                    section(a),
                    ca + 1,
                    cell(row, ca).display(),
                    section(b),
                    cb + 1,
                    cell(row, cb).display(),
                ),
            },
        }
    }

    /// The survey date, and the period and year: each from its column, else from the date,
    /// else from the title rows, sheet or file name.
    fn when(
        &mut self,
        row: &[Cell],
        earliest_future: &mut Option<NaiveDate>,
        problems: &mut Vec<Problem>,
    ) -> (Option<NaiveDate>, Option<When>) {
        let mut tanggal = self.tanggal(row, earliest_future, problems);
        self.moved_jam = None;
        self.moved_from = None;
        if let (Some(rule), Some(d)) = (self.zone, tanggal) {
            if let Some((d, jam, from)) = self.to_local(row, d, rule) {
                tanggal = Some(d);
                self.moved_jam = Some(jam);
                self.moved_from = Some(from);
            }
        }
        let mut periode = self.periode(row, tanggal, problems);
        let mut tahun = self.tahun(row, tanggal, problems);
        // The date question left blank beside the form's own time, and nothing else (a period
        // or year column, the title) gives the period and year: that time's date.
        let lacking = periode.is_none() || tahun.is_none();
        if tanggal.is_none() && lacking && !problems.iter().any(|p| p.bad.kode.is_when()) {
            if let Some(d) = self.stamp_date(row, earliest_future, problems) {
                tanggal = Some(d);
                periode = self.periode(row, tanggal, problems);
                tahun = self.tahun(row, tanggal, problems);
            }
        }
        let date_or_period_bad = problems.iter().any(|p| p.bad.kode.is_when());
        match (periode, tahun) {
            (Some((periode, basis)), Some(tahun)) => (
                tanggal,
                Some(When {
                    periode,
                    basis,
                    tahun,
                }),
            ),
            (p, y) => {
                if !date_or_period_bad {
                    let what = match (p.is_none(), y.is_none()) {
                        (true, true) => "periode dan tahun",
                        (true, false) => "periode",
                        _ => "tahun",
                    };
                    problems.push(whole_row(Bad {
                        kode: RejectCode::PeriodeTidakDiketahui,
                        alasan: format!(
                            "{what} tidak dapat ditentukan: tidak ada kolom periode/tanggal yang terisi, \
                             dan judul, nama lembar atau nama berkas tidak menyebutnya"
                        ),
                    }));
                }
                (tanggal, None)
            }
        }
    }

    /// The row's date and time moved from the zone its form tool stated (`ZoneRule`) to the
    /// units', with the zone it was moved from: `None` when it states none, or the units' own.
    fn to_local(
        &self,
        row: &[Cell],
        d: NaiveDate,
        rule: ZoneRule,
    ) -> Option<(NaiveDate, String, i32)> {
        let (c, _) = self.cols.jam?;
        let x = cell(row, c);
        let from = match x {
            Cell::Text(t) => crate::domain::zone::stated(t).or(rule.column),
            _ => rule.column,
        }?;
        if from == rule.local {
            return None;
        }
        let jam = values::time_of_day(x)?;
        let (d, jam) = crate::domain::zone::moved(d, &jam, from, rule.local)?;
        Some((d, jam, from))
    }

    fn tanggal(
        &mut self,
        row: &[Cell],
        earliest_future: &mut Option<NaiveDate>,
        problems: &mut Vec<Problem>,
    ) -> Option<NaiveDate> {
        let (c, t) = self.cols.tanggal?;
        let order = self.order;
        let mut serial = Cell::Empty;
        let mut x = self.date_cell(cell(row, c), &mut serial);
        // A timestamp's date part: the dates repeat down the column where the times do not.
        let date_alone;
        if let Some(d) = values::date_part_reading_alike(x) {
            date_alone = Cell::Text(crate::ingest::Text::Borrowed(d));
            x = &date_alone;
        }
        let read = match order {
            DateOrder::HariBulan => values::date_dm,
            DateOrder::BulanHari => values::date_md,
        };
        let converted = self.cells_swapped && matches!(x, Cell::Date(_) | Cell::Number(_));
        let got = self.memos.date.get(x, read);
        let got = match converted {
            true => got.map(|d| d.map(crate::domain::date_order::typed_as)),
            false => got,
        };
        match got {
            Ok(Some(d)) if d > self.ctx.today => {
                *earliest_future = Some(earliest_future.map_or(d, |e| e.min(d)));
                problems.push(at(
                    row,
                    Some((c, t)),
                    Bad {
                        kode: RejectCode::TanggalDiMasaDepan,
                        alasan: format!("tanggal survei {d} sesudah hari ini ({})", self.ctx.today),
                    },
                ));
                None
            }
            Ok(d) => d,
            Err(b) => {
                if let Cell::Text(x) = cell(row, c) {
                    self.date_against |=
                        crate::domain::date_order::evidence(x) == Some(order.other());
                }
                problems.push(at(row, Some((c, t)), b));
                None
            }
        }
    }

    /// A date column's cell as a date: in a 1904 workbook a date typed as a serial number is
    /// moved to the 1900 system (into `serial`).
    fn date_cell<'c>(&self, x: &'c Cell<'c>, serial: &'c mut Cell<'c>) -> &'c Cell<'c> {
        match (self.date_1904, x) {
            (true, Cell::Number(n)) => {
                *serial = Cell::Number(n + crate::ingest::DAYS_1900_TO_1904);
                serial
            }
            _ => x,
        }
    }

    /// The date of the form's own time (`Field::Stempel`) when it is not the date column: an
    /// Excel date, or a text read in the order the date column showed (one form, one locale);
    /// when that order was only assumed, a text that reads as one date only, whichever the
    /// order. A date after today is refused there, as the date column's would be.
    fn stamp_date(
        &self,
        row: &[Cell],
        earliest_future: &mut Option<NaiveDate>,
        problems: &mut Vec<Problem>,
    ) -> Option<NaiveDate> {
        let (s, t) = self.cols.jam.filter(|j| Some(*j) != self.cols.tanggal)?;
        let mut serial = Cell::Empty;
        let x = self.date_cell(cell(row, s), &mut serial);
        let read = |order| values::date(x, order).ok().flatten();
        let d = match self.order_found {
            true => read(self.order)?,
            false => match (read(DateOrder::HariBulan), read(DateOrder::BulanHari)) {
                (Some(a), Some(b)) if a == b => a,
                (Some(a), None) | (None, Some(a)) => a,
                _ => return None,
            },
        };
        if d > self.ctx.today {
            *earliest_future = Some(earliest_future.map_or(d, |e| e.min(d)));
            let alasan = format!("tanggal survei {d} sesudah hari ini ({})", self.ctx.today);
            let kode = RejectCode::TanggalDiMasaDepan;
            problems.push(at(row, Some((s, t)), Bad { kode, alasan }));
            return None;
        }
        Some(d)
    }

    fn periode(
        &self,
        row: &[Cell],
        tanggal: Option<NaiveDate>,
        problems: &mut Vec<Problem>,
    ) -> Option<(Periode, PeriodeBasis)> {
        let filled = self.cols.periode.filter(|(c, _)| !cell(row, *c).is_empty());
        if let Some((c, t)) = filled {
            let alasan = match Periode::parse(&cell(row, c).display()) {
                Some(Periode::Tahun) => {
                    "periode TAHUN dihitung oleh skm; isi TW1–TW4, S1 atau S2".to_string()
                }
                Some(p) => return Some((p, PeriodeBasis::Kolom)),
                None => format!("periode tidak terbaca; yang diterima: {}", Periode::FORMS),
            };
            problems.push(at(
                row,
                Some((c, t)),
                Bad {
                    kode: RejectCode::PeriodeTidakTerbaca,
                    alasan: alasan.to_string(),
                },
            ));
        }
        if let Some(p) = tanggal.and_then(|d| periode_of_date(d.month())) {
            return Some((p, PeriodeBasis::Tanggal));
        }
        if filled.is_some() {
            return None;
        }
        self.around.periode.map(|p| (p, PeriodeBasis::Judul))
    }

    fn tahun(
        &self,
        row: &[Cell],
        tanggal: Option<NaiveDate>,
        problems: &mut Vec<Problem>,
    ) -> Option<i32> {
        if let Some(d) = tanggal {
            return Some(d.year());
        }
        if let Some((c, t)) = self.cols.tahun {
            let v = cell(row, c).display();
            match v.trim().parse::<i32>() {
                Ok(y) if (2000..=2100).contains(&y) => return Some(y),
                _ if v.is_empty() => {}
                _ => problems.push(at(
                    row,
                    Some((c, t)),
                    Bad {
                        kode: RejectCode::TahunTidakTerbaca,
                        alasan: "tahun harus 4 angka, misalnya 2024".to_string(),
                    },
                )),
            }
        }
        self.around.tahun
    }

    /// The age and age band.
    fn umur(
        &mut self,
        row: &[Cell],
        problems: &mut Vec<Problem>,
    ) -> (Option<i32>, Option<super::Shared>) {
        let Some((c, t)) = self.cols.umur else {
            return (None, None);
        };
        let bands = &mut self.memos.bands;
        let read = self.memos.umur.get(cell(row, c), |x| {
            values::umur(x).map(|(n, band)| (n, band.map(|b| shared_band(bands, b))))
        });
        read.unwrap_or_else(|b| {
            problems.push(at(row, Some((c, t)), b));
            (None, None)
        })
    }
}

fn cell<'r>(row: &'r [Cell<'_>], c: usize) -> &'r Cell<'r> {
    row.get(c).unwrap_or(&Cell::Empty)
}

/// A problem at a column (its header and the value found).
fn at(row: &[Cell], column: At<'_>, bad: Bad) -> Problem {
    match column {
        Some((c, t)) => Problem {
            kolom: t.to_string(),
            nilai: cell(row, c).display(),
            bad,
        },
        None => whole_row(bad),
    }
}

/// A problem with the row as a whole.
/// LimeSurvey's time of submission (`submitdate`, headed `Date submitted` with the question
/// texts as headings), in a sheet LimeSurvey exported (its `lastpage`, `Last page` beside):
/// the column that is empty on an incomplete response, one the respondent left before the
/// last page's submit button, which LimeSurvey exports with "all responses".
fn limesurvey_submitdate<'h>(
    cols: &Columns<'h>,
    header_texts: &[String],
) -> Option<(usize, &'h str)> {
    let (c, t) = cols.jam?;
    let submitdate = matches!(
        crate::domain::unsur::fold(t).as_str(),
        "submitdate" | "date submitted"
    );
    let lastpage = (header_texts.iter()).any(|h| h == "lastpage" || h == "last page");
    (submitdate && lastpage).then_some((c, t))
}

/// An incomplete LimeSurvey response (`limesurvey_submitdate` empty), rejected as that alone:
/// what it lacks (answers, a date) is for want of being sent.
fn not_submitted(kolom: &str) -> Problem {
    Problem {
        kolom: kolom.to_string(),
        nilai: String::new(),
        bad: Bad {
            kode: RejectCode::ResponsTidakSelesai,
            alasan: format!(
                "respons belum selesai: kolom '{kolom}' (waktu kirim LimeSurvey) kosong, \
                 responden berhenti sebelum menekan Kirim di halaman terakhir (respons \
                 'incomplete'); tidak dihitung. Bila hanya respons lengkap yang diinginkan, \
                 ekspor LimeSurvey dengan 'Completion state: Completed responses only'"
            ),
        },
    }
}

fn whole_row(bad: Bad) -> Problem {
    Problem {
        kolom: String::new(),
        nilai: String::new(),
        bad,
    }
}

/// A profile text as written; a value that is personal data (a NIK, phone or e-mail typed
/// under any header) is not copied.
fn profile_text(
    row: &[Cell],
    column: At<'_>,
    memo: &mut Memo<Option<super::Shared>>,
) -> Option<super::Shared> {
    let (c, _) = column?;
    memo.get(cell(row, c), |x| {
        let v = x.display();
        (!v.is_empty() && !pii::looks_personal(&v)).then(|| super::Shared::from(v))
    })
}
