//! A file through ingest and normalize: its sheets read as cells, each sheet normalized, and
//! the file's accounting (`FileAccount`: per sheet, rows read, accepted, rejected, skipped).

use anyhow::Result;

use super::header::Layout;
use super::reject::RejectCode;
use super::{Output, SheetKind, SheetOutcome};
use crate::config::Config;
use crate::ingest::{self, Ingested, Unreadable};
use crate::progress::Progress;
use crate::registry::Registry;

/// What one file gave, per sheet.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FileAccount {
    pub file: String,
    pub sheets: Vec<(String, SheetOutcome)>,
    /// How its bytes were read (`files.cara_baca`); `None` when they were not (a file that
    /// could not be read, an identical copy, a file that changed while it was read).
    #[serde(default)]
    pub cara_baca: Option<CaraBaca>,
}

crate::labels! {
    /// How a file was read (`files.cara_baca`): in pieces, in bounded memory whatever its size,
    /// or whole. An operator sees which way a big file went (a workbook whose rows are out of
    /// order, or whose sheet is not a questionnaire, is read whole, in memory of about ten
    /// times its size), and the tests that the way they mean is the way taken.
    pub enum CaraBaca {
        /// A CSV file's text a piece at a time (`ingest::csvstream`).
        BertahapCsv = "bertahap_csv",
        /// An XLSX sheet's XML cut into pieces at row ends (`ingest::xlsxsplit`).
        BertahapXml = "bertahap_xml",
        /// An XLSX sheet read cell by cell (`ingest::xlsxstream`, calamine's cell reader).
        BertahapSel = "bertahap_sel",
        /// Whole, into memory: a workbook's sheets as calamine's ranges (every XLS and ODS file,
        /// an XLSX file that is small, of several sheets or whose rows are out of order), a CSV
        /// file that is not UTF-8 or not a questionnaire.
        Utuh = "utuh",
    }
}

impl FileAccount {
    pub fn rows_read(&self) -> usize {
        self.sheets.iter().map(|(_, o)| o.rows_read).sum()
    }
    pub fn accepted(&self) -> usize {
        self.sheets.iter().map(|(_, o)| o.accepted).sum()
    }
    pub fn rejected(&self) -> usize {
        self.sheets.iter().map(|(_, o)| o.rejected).sum()
    }
    pub fn skipped(&self) -> usize {
        self.sheets.iter().map(|(_, o)| o.skipped).sum()
    }
    pub fn duplicates(&self) -> usize {
        self.sheets.iter().map(|(_, o)| o.duplicates).sum()
    }
}

/// The outcome of normalizing an inbox, before anything is computed or written.
pub struct Normalized {
    pub files: Vec<FileAccount>,
    pub output: Output,
}

pub fn normalize_files(
    files: &[ingest::InboxFile],
    config: &Config,
    registry: &Registry,
) -> Result<Normalized> {
    normalize_files_with(files, config, registry, &mut |_| {})
}

pub fn normalize_files_with(
    files: &[ingest::InboxFile],
    config: &Config,
    registry: &Registry,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Normalized> {
    let (layout, real) = layouts(config)?;
    let ctx = context(&layout, &real, config, registry);
    let mut out = Normalized {
        files: Vec::new(),
        output: Output::default(),
    };
    let mut read = Vec::with_capacity(files.len());
    for (i, f) in files.iter().enumerate() {
        progress(Progress::File {
            i,
            n: files.len(),
            name: &f.rel,
            read: None,
            reused: false,
        });
        read.push(normalize_one(f, &ctx, config));
    }
    settle_date_orders(files, &mut read, &ctx, config);
    for (account, o) in read {
        out.files.push(account);
        out.output.extend(o);
    }
    Ok(out)
}

/// Files whose dates fit both orders, read again in the order another export of their form
/// showed (`date_forms`), and the order's source recorded.
fn settle_date_orders(
    files: &[ingest::InboxFile],
    read: &mut [(FileAccount, Output)],
    ctx: &super::Context<'_>,
    config: &Config,
) {
    let accounts: Vec<Option<&FileAccount>> = read.iter().map(|(a, _)| Some(a)).collect();
    let units: Vec<Vec<String>> = (read.iter())
        .map(|(_, o)| super::date_forms::units_of(o.responses.iter().map(|r| r.unit_id)))
        .collect();
    let plans = super::date_forms::plan(&accounts, &units);
    let names: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    for (i, plan) in plans.iter().enumerate() {
        if let Some(order) = plan.again {
            let ctx = super::Context {
                date_order: order,
                date_order_settled: true,
                ..*ctx
            };
            read[i] = normalize_one(&files[i], &ctx, config);
        }
        super::date_forms::record(&mut read[i].0, plan, &names);
    }
}

pub(crate) fn layouts(config: &Config) -> Result<(Layout, super::realisasi::Layouts)> {
    Ok((
        Layout::new(&config.kuesioner.unsur_order)?,
        super::realisasi::Layouts::embedded()?,
    ))
}

pub(crate) fn context<'a>(
    layout: &'a Layout,
    real: &'a super::realisasi::Layouts,
    config: &'a Config,
    registry: &'a Registry,
) -> super::Context<'a> {
    super::Context {
        layout,
        realisasi: real,
        registry,
        lower_is_better: &config.iku.lebih_kecil_lebih_baik,
        date_order: config.kuesioner.urutan_tanggal,
        date_order_settled: false,
        zone: config.offset().local_minus_utc() / 60,
        today: config.today(),
    }
}

/// Ingest and normalize one file.
pub fn normalize_one(
    f: &ingest::InboxFile,
    ctx: &super::Context<'_>,
    config: &Config,
) -> (FileAccount, Output) {
    let mut out = Output::default();
    let mut account = FileAccount {
        file: f.rel.clone(),
        sheets: Vec::new(),
        cara_baca: Some(CaraBaca::Utuh),
    };
    match ingest::read(f, &config.batas) {
        Ingested::Unreadable { file, reason, why } => return unreadable(&file, &reason, why),
        Ingested::Sheets(sheets) => {
            for s in &sheets {
                let o = super::sheet(s, ctx, &mut out);
                crate::faults::point("normalize");
                account.sheets.push((s.sheet.clone(), o));
            }
        }
    }
    (account, out)
}

/// What a file that cannot be read gives: its reject (with the reason) and one outcome,
/// `tidak_terbaca`.
pub fn unreadable(file: &str, reason: &str, why: Unreadable) -> (FileAccount, Output) {
    let kode = match why {
        Unreadable::Damaged => RejectCode::BerkasTidakTerbaca,
        Unreadable::TooLarge => RejectCode::BerkasTerlaluBesar,
        Unreadable::Link => RejectCode::TautanTidakDiikuti,
        Unreadable::Unsupported => RejectCode::FormatTidakDidukung,
    };
    let out = Output {
        rejects: vec![super::file_reject(file, reason, kode)].into(),
        ..Default::default()
    };
    let account = FileAccount {
        file: file.to_string(),
        sheets: vec![(String::new(), SheetOutcome::of(SheetKind::TidakTerbaca))],
        cara_baca: None,
    };
    (account, out)
}
