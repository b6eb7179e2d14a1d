//! `skm validate FILE…`: check submissions without writing any output.
//!
//! Usage:
//!     skm validate kuesioner_tw3.xlsx rekap.csv
//!     skm validate inbox/kec-bekasi-timur/        # every file under a folder
//!     skm validate jawaban_minggu3.csv --inbox /data/inbox   # which responses are already there
//!
//! Prints, per file and sheet, the kind of sheet found (with a CSV's text encoding), the
//! columns mapped, the rows read, accepted and rejected, and every row that would be rejected
//! with its column, value and reason. With `--inbox`, which of its responses are already in that
//! inbox (the same file, or the same response in another file: docs/inputs.md, "The same response
//! twice"), so would not be counted again. Exit code 0: nothing would be rejected; 3: something
//! would; 2: usage error. What a unit runs before it sends.

use std::path::PathBuf;

use skm::config::Config;
use skm::ingest::{self, InboxFile};

use super::{EXIT_OK, EXIT_REJECTS, EXIT_USAGE};

#[derive(clap::Args, Debug)]
#[command(
    about = "Check submissions before sending them: what would be read and what rejected",
    after_help = "Examples:\n  skm validate kuesioner_tw3.xlsx\n  skm validate inbox/kec-bekasi-timur/ --units units.tsv\n\nExit code 0 when nothing would be rejected, 3 when something would, 2 on a usage error."
)]
pub struct Args {
    /// Files or folders to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Configuration file (as for `skm run`).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Unit registry replacing the embedded one.
    #[arg(long)]
    units: Option<PathBuf>,
    /// An inbox to compare with: say which responses of the files are already in it.
    #[arg(long)]
    inbox: Option<PathBuf>,
    /// Show at most this many lines of problems per file.
    #[arg(long, default_value_t = 50)]
    max_rows: usize,
    /// Print every rejected cell on its own line, instead of one line for a problem repeated
    /// down a column.
    #[arg(long)]
    all: bool,
}

/// The lines naming how a sheet's answers and times were read when skm inferred or moved
/// them: option letters (`ColumnScale::Letters`), abbreviations (`ColumnScale::Abbrev`), times moved from another zone to `zone`.
fn print_readings(o: &skm::normalize::SheetOutcome, zone: &str) {
    if o.option_letters {
        println!(
            "    answers: read as the questionnaire's option letters (a = 1 Tidak sesuai … d = 4 \
             Sangat sesuai): INFERRED, every answer that is no number 1–4 is a letter a–d and an \
             a or a d is among them"
        );
    }
    if let Some(s) = &o.singkatan {
        println!(
            "    answers: read as abbreviations ({s}): INFERRED, every answer that is no number \
             is one of them, and every scale that has them reads them alike"
        );
    }
    if o.likert_lembar {
        println!(
            "    answers: a column read on its unsur's Likert form (Sangat tidak … / Tidak … / … \
             / Sangat …; Tidak … = 2), as the sheet's other columns are: INFERRED, none of its \
             respondents chose its lowest"
        );
    }
    if let Some(g) = &o.unit_tebakan {
        println!(
            "    unit: GUESSED, {g} (files.unit_tebakan): write the unit's full name (Kecamatan … \
             or Puskesmas …), or name the unit in the title or file name"
        );
    }
    if let Some(z) = &o.zona_waktu_asal {
        println!(
            "    times: MOVED from {z} (the form tool's clock) to [kantor] zona_waktu ({zone}) \
             before their dates gave period and year (files.zona_waktu_asal)"
        );
    }
}

/// The line saying a form asks the nine unsur once a section (`find_header::sections`), when it
/// does: `mapping` names each column's field.
fn print_sections(mapping: &[(String, String)]) {
    let first = skm::normalize::header::Field::Unsur(0).name();
    let sections = mapping.iter().filter(|(_, f)| *f == first).count();
    if sections > 1 {
        println!(
            "    sections: the nine unsur are asked {sections} times (a section a unit, as a form \
             that goes to a section by the unit chosen): each row's answered copy is read"
        );
    }
}

pub fn main(a: Args) -> i32 {
    let (config, registry) = match super::setup("validate", a.config.as_deref(), a.units.as_deref())
    {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut files = Vec::new();
    for p in &a.files {
        if p.is_dir() {
            match ingest::discover(p) {
                Ok(found) => files.extend(found.into_iter().map(|f| InboxFile {
                    rel: p.join(&f.rel).display().to_string(),
                    path: f.path,
                    link: f.link,
                })),
                Err(e) => {
                    eprintln!("skm validate: {e:#}");
                    return EXIT_USAGE;
                }
            }
        } else if p.is_file() {
            files.push(InboxFile {
                path: p.clone(),
                rel: p.display().to_string(),
                link: false,
            });
        } else {
            eprintln!("skm validate: {} does not exist", p.display());
            return EXIT_USAGE;
        }
    }
    // The inbox's files are read with them: one form's exports settle their date order
    // together (`normalize::date_forms`), as a run would.
    let theirs = match a
        .inbox
        .as_deref()
        .map(|i| inbox_files(i, &files))
        .transpose()
    {
        Ok(t) => t.unwrap_or_default(),
        Err(e) => {
            eprintln!("skm validate: {e:#}");
            return EXIT_USAGE;
        }
    };
    let all: Vec<InboxFile> = files.iter().chain(&theirs).cloned().collect();
    let n = match skm::normalize::normalize_files(&all, &config, &registry) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("skm validate: {e:#}");
            return EXIT_USAGE;
        }
    };
    let mut any_rejected = false;
    for f in n.files.iter().take(files.len()) {
        println!("{}", f.file);
        for (sheet, o) in &f.sheets {
            let name = if sheet.is_empty() {
                String::new()
            } else {
                format!("sheet '{sheet}': ")
            };
            let encoding = o
                .encoding
                .map(|e| format!(" ({})", e.name()))
                .unwrap_or_default();
            println!(
                "  {name}{}{encoding}: {} rows read, {} accepted, {} rejected, {} skipped",
                o.kind, o.rows_read, o.accepted, o.rejected, o.skipped
            );
            if !o.mapping.is_empty() {
                let cols: Vec<String> = o
                    .mapping
                    .iter()
                    .map(|(h, f)| format!("'{h}' → {f}"))
                    .collect();
                println!("    columns: {}", cols.join(", "));
                print_sections(&o.mapping);
            }
            if let Some(u) = o.unit_dari {
                println!("    unit: {}", unit_line(u));
            }
            for (what, b) in [("period", &o.periode_dari), ("year", &o.tahun_dari)] {
                if let Some(b) = b {
                    let how: Vec<&str> = b
                        .split("; ")
                        .map(|x| match x {
                            "kolom" => "from its column",
                            "tanggal" => "from the survey date",
                            "sel_di_atas" => "INFERRED from the cell above a blank one (merged)",
                            _ => "INFERRED from the title rows, sheet or file name",
                        })
                        .collect();
                    println!("    {what}: {}", how.join(" / "));
                }
            }
            if let Some((order, basis)) = o.date_order {
                let from = o.date_order_from.as_deref();
                println!("    dates: {}", date_order_line(order, basis, from));
            }
            if let Some(t) = &o.tidak_diperiksa {
                println!("    NOT CHECKED: {t} (files.tidak_diperiksa)");
            }
            print_readings(o, &config.kantor.zona_waktu);
            if let Some(line) = hidden_line(o) {
                println!("    hidden rows: {line}");
            }
        }
        let rejects: Vec<_> = n
            .output
            .rejects
            .iter()
            .filter(|r| r.source_file == f.file)
            .collect();
        if !rejects.is_empty() {
            any_rejected = true;
            println!("  would be rejected:");
            print_rejects(&rejects, a.max_rows, a.all);
        }
    }
    if let Some(inbox) = &a.inbox {
        let to = (&files[..], &theirs[..]);
        if let Err(e) = already_in_inbox(to, &n, inbox, &config, a.max_rows) {
            eprintln!("skm validate: {e:#}");
            return EXIT_USAGE;
        }
    }
    let checked = |f: &str| files.iter().any(|g| g.rel == f);
    let findings = (n.output.findings.iter())
        .filter(|x| checked(&x.source_file))
        .count();
    if findings > 0 {
        println!("{findings} stated figures do not match their recomputation (`skm run` lists them in gold/audit.parquet)");
    }
    if any_rejected {
        EXIT_REJECTS
    } else {
        EXIT_OK
    }
}

/// How a sheet's dates were read, in words.
fn date_order_line(
    order: skm::domain::DateOrder,
    basis: skm::normalize::UrutanBasis,
    from: Option<&str>,
) -> String {
    use skm::normalize::UrutanBasis;
    let how = match order {
        skm::domain::DateOrder::HariBulan => "day first (13/01/2024 is 13 January)",
        skm::domain::DateOrder::BulanHari => "month first (1/13/2024 is 13 January)",
    };
    match basis {
        UrutanBasis::Ditemukan => {
            format!("read {how}: found in the data (a date fits that order only)")
        }
        UrutanBasis::Diasumsikan => format!(
            "read {how}: ASSUMED, every date fits both orders; set [kuesioner] urutan_tanggal \
             if that is wrong, or write dates as 2024-01-13"
        ),
        UrutanBasis::PeriodeJudul => format!(
            "read {how}: INFERRED, every date fits both orders and only this order puts them all \
             in the period the title, sheet or file name gives"
        ),
        UrutanBasis::SelTanggalDibalik => format!(
            "read {how}: found in the dates typed as text; the date cells beside them (every \
             day 12 or less) were typed in that order too and converted in the other by a \
             spreadsheet set to another locale: READ SWAPPED (INFERRED, 10 May read as 5 \
             October); check, and type the dates as 2024-10-05 next time"
        ),
        UrutanBasis::BerkasLain => format!(
            "read {how}: INFERRED, every date fits both orders and {} (the same form: the same \
             header, a unit in common) has a date that fits that order only",
            from.unwrap_or("another file")
        ),
    }
}

/// Where a sheet's unit came from, in words.
fn unit_line(u: skm::normalize::UnitDari) -> &'static str {
    use skm::normalize::UnitDari::*;
    match u {
        Kolom => "from its unit column",
        NilaiKolom => "from a column whose values name registered units (no header names the unit): check it is the unit question",
        Judul => "INFERRED from the title rows above the header",
        NamaLembar => "INFERRED from the sheet name",
        NamaBerkas => "INFERRED from the file name",
        Folder => "INFERRED from the folder the file is in",
    }
}

/// Where a reject stands, in words.
fn place(r: &skm::normalize::RejectRef<'_>) -> String {
    match (r.source_row, r.sheet.is_empty()) {
        (Some(row), true) => format!("row {row}"),
        (Some(row), false) => format!("sheet '{}' row {row}", r.sheet),
        (None, true) => "the file".to_string(),
        (None, false) => format!("sheet '{}'", r.sheet),
    }
}

/// The rejects of one file, at most `max_lines` lines. A problem repeated down a column (the
/// same sheet, column, code and reason in three rows or more) is one line: how many rows, the
/// first few rows and values; `all` prints every cell instead.
fn print_rejects(rejects: &[skm::normalize::RejectRef<'_>], max_lines: usize, all: bool) {
    type Key<'a> = (&'a str, &'a str, &'a str, &'a str);
    let mut groups: Vec<(Key<'_>, Vec<&skm::normalize::RejectRef<'_>>)> = Vec::new();
    let mut index: std::collections::HashMap<Key<'_>, usize> = std::collections::HashMap::new();
    for r in rejects {
        let key = (r.sheet, r.kolom, r.kode.as_str(), r.alasan);
        let i = if all {
            groups.len()
        } else {
            *index.entry(key).or_insert(groups.len())
        };
        if i == groups.len() {
            groups.push((key, Vec::new()));
        }
        groups[i].1.push(r);
    }
    let mut lines = 0;
    for (_, rs) in &groups {
        if lines == max_lines {
            break;
        }
        lines += 1;
        let r = rs[0];
        let col = if r.kolom.is_empty() {
            String::new()
        } else {
            format!(", column '{}'", r.kolom)
        };
        if rs.len() < 3 {
            for r in rs {
                let val = if r.nilai.is_empty() {
                    String::new()
                } else {
                    format!(", value '{}'", r.nilai)
                };
                println!("    {}{col}{val}: {} [{}]", place(r), r.alasan, r.kode);
            }
            continue;
        }
        let first: Vec<String> = rs
            .iter()
            .take(3)
            .map(|r| match r.source_row {
                Some(row) if r.nilai.is_empty() => format!("{row}"),
                Some(row) => format!("{row} '{}'", r.nilai),
                None => format!("'{}'", r.nilai),
            })
            .collect();
        let sheet = if r.sheet.is_empty() {
            String::new()
        } else {
            format!("sheet '{}', ", r.sheet)
        };
        println!(
            "    {sheet}{} rows{col}: {} [{}] — rows {}, …",
            rs.len(),
            r.alasan,
            r.kode,
            first.join(", ")
        );
    }
    let shown: usize = groups.iter().take(lines).map(|(_, rs)| rs.len()).sum();
    if shown < rejects.len() {
        println!(
            "    … and {} more in {} more problems (skm validate --all --max-rows N shows every cell)",
            rejects.len() - shown,
            groups.len() - lines
        );
    }
}

/// "sheet 'X' " for a workbook's sheet, nothing for a CSV file.
fn sheet_words(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("sheet '{s}' ")
    }
}

/// A send's rows as a log (`domain::resend`) and their fields (`domain::resend_unordered`).
type Log = (
    Vec<skm::domain::resend::LogRow>,
    Vec<skm::domain::resend_unordered::Packed>,
);

/// The sends (sheet, unit, year) of date-only rows among `rows`, as logs (`domain::resend`).
fn sends<'a>(
    rows: impl IntoIterator<Item = &'a skm::normalize::Response>,
) -> std::collections::BTreeMap<(String, String, String, i32), Log> {
    let mut out: std::collections::BTreeMap<_, Log> = std::collections::BTreeMap::new();
    for r in rows.into_iter().filter(|r| r.kunci.is_none()) {
        let key = (
            r.source_file.to_string(),
            r.sheet.to_string(),
            r.unit_id.to_string(),
            r.tahun,
        );
        let (row, fields) = skm::silver::untimed::log_row(r);
        let log: &mut Log = out.entry(key).or_default();
        log.0.push(row);
        log.1.push(fields);
    }
    out
}

/// Which of a checked file's date-only rows are rows of an inbox file's log sent again (docs/
/// DOMAIN.md §1.11, "A log sent again"): only one of the two sends will count them.
fn resent_in_inbox(
    mine: &[&skm::normalize::Response],
    theirs: &[skm::normalize::Response],
    floor: usize,
    inbox: &str,
) {
    use skm::domain::resend;
    use skm::domain::resend_unordered::{fill, Rows};
    let theirs = sends(theirs);
    fn rows(l: &Log) -> Rows<'_> {
        Rows {
            log: &l.0,
            fields: &l.1,
        }
    }
    for ((_, sheet, unit, tahun), mine) in sends(mine.iter().copied()) {
        let log = &mine.0;
        for ((file, their_sheet, u, t), other) in &theirs {
            if *u != unit || *t != tahun {
                continue;
            }
            let Some(l) = resend::block_length(log, &other.0, floor) else {
                continue;
            };
            let mut fates = resend::align(log, &other.0, l);
            let how = match fill(rows(&mine), rows(other), &mut fates) {
                Some(c) if c.contained => format!(
                    "contained in it in another order: {} rows equal, {:.0} by chance{}",
                    c.same,
                    c.expected,
                    match c.days.significant() {
                        true => format!(", {} of its days held row for row", c.days.days),
                        false => String::new(),
                    }
                ),
                _ => format!("aligned in blocks of at least {l} rows"),
            };
            // (Rows found in the other send: one deleted from it, or of this send's own days
            // beside it, is no row of it. Which send is the later one, validate cannot tell.)
            let same = (fates.iter())
                .filter(|f| matches!(f, Some(resend::Fate::Same(_) | resend::Fate::Revised(_))))
                .count();
            if same > 0 {
                let at = |s: &str| match sheet_words(s) {
                    w if w.is_empty() => w,
                    w => format!(" {}", w.trim_end()),
                };
                println!(
                    "   {same} of {} rows{} without a time of day ({unit}, {tahun}) are rows of \
                     {file}{} sent again ({how}): the later send counts them once",
                    log.len(),
                    at(&sheet),
                    at(their_sheet),
                    file = in_inbox(file, inbox),
                );
            }
        }
    }
}

/// An inbox file's name as the inbox has it (`inbox_files` names them with the inbox's path).
fn in_inbox<'a>(name: &'a str, inbox: &str) -> &'a str {
    name.strip_prefix(inbox)
        .and_then(|n| n.strip_prefix(std::path::MAIN_SEPARATOR))
        .unwrap_or(name)
}

/// The files of `inbox` but those checked (`files`), named with the inbox's path (a checked
/// file and an inbox file may have the same name relative to their folders).
fn inbox_files(inbox: &std::path::Path, files: &[InboxFile]) -> anyhow::Result<Vec<InboxFile>> {
    let same = |a: &std::path::Path, b: &std::path::Path| {
        std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok()
    };
    Ok(ingest::discover(inbox)?
        .into_iter()
        .filter(|f| !files.iter().any(|g| same(&g.path, &f.path)))
        .map(|f| InboxFile {
            rel: inbox.join(&f.rel).display().to_string(),
            ..f
        })
        .collect())
}

/// For each file checked, which of its responses the inbox already holds: the same bytes as an
/// inbox file, or a response with the same identity (unit, date and time of day, answers,
/// profile). Files of the inbox that are the checked files themselves are left out.
fn already_in_inbox(
    (files, theirs): (&[InboxFile], &[InboxFile]),
    n: &skm::normalize::Normalized,
    inbox: &std::path::Path,
    config: &Config,
    max_rows: usize,
) -> anyhow::Result<()> {
    use std::collections::{HashMap, HashSet};
    let hash = skm::silver::cache::content_hash;
    let by_hash: HashMap<String, &str> = theirs
        .iter()
        .filter_map(|f| Some((hash(f).ok()?, f.rel.as_str())))
        .collect();
    let their_names: HashSet<&str> = theirs.iter().map(|f| f.rel.as_str()).collect();
    let there: Vec<skm::normalize::Response> = (n.output.responses.iter())
        .filter(|r| their_names.contains(r.source_file))
        .cloned()
        .collect();
    let mut by_key: HashMap<[u8; 16], &skm::normalize::Response> = HashMap::new();
    for r in &there {
        if let Some(k) = r.kunci {
            by_key.entry(k).or_insert(r);
        }
    }
    let prefix = inbox.display().to_string();
    let short = |name: &'static str| in_inbox(name, &prefix);
    println!(
        "Compared with the inbox {} ({} files)",
        inbox.display(),
        theirs.len()
    );
    for f in files {
        if let Some(other) = hash(f).ok().and_then(|h| by_hash.get(&h)) {
            let other = in_inbox(other, &prefix);
            println!("{}: the same file is already in the inbox as {other}: none of its responses would count again", f.rel);
            continue;
        }
        let mine: Vec<_> = n
            .output
            .responses
            .iter()
            .filter(|r| *r.source_file == f.rel)
            .collect();
        let found: Vec<_> = mine
            .iter()
            .filter_map(|r| Some((r, by_key.get(&r.kunci?)?)))
            .collect();
        let untimed = mine.iter().filter(|r| r.kunci.is_none()).count();
        println!(
            "{}: {} of {} responses already in the inbox{}",
            f.rel,
            found.len(),
            mine.len(),
            if untimed > 0 {
                format!(" (and {untimed} without a time of day, compared below as a log)")
            } else {
                String::new()
            }
        );
        if untimed > 0 {
            resent_in_inbox(&mine, &there, config.kuesioner.blok_minimum, &prefix);
        }
        for (r, o) in found.iter().take(max_rows) {
            let sheet = sheet_words;
            println!(
                "    {}row {}: already in {} {}row {}",
                sheet(r.sheet),
                r.source_row,
                short(o.source_file),
                sheet(o.sheet),
                o.source_row
            );
        }
        if found.len() > max_rows {
            println!("    … and {} more", found.len() - max_rows);
        }
    }
    Ok(())
}

/// What became of a sheet's hidden rows (`files.dilewati_tersembunyi`, `tersembunyi_dibaca`),
/// for a workbook's data sheet; `None` when it has none, or for a CSV.
fn hidden_line(o: &skm::normalize::SheetOutcome) -> Option<String> {
    use skm::normalize::SheetKind as K;
    let data = matches!(
        o.kind,
        K::Kuesioner | K::RekapIkm | K::Iku | K::Anggaran | K::Rtl
    );
    if !data || o.encoding.is_some() {
        return None;
    }
    if !o.hidden_known {
        return Some(
            "not checked (an XLS file, or a sheet of more than 16 MiB of XML): a row hidden in \
             Excel is read like any other"
                .into(),
        );
    }
    let mut said = Vec::new();
    if !o.hidden_skipped.is_empty() {
        let rows = skm::normalize::frame::rows_listed(&o.hidden_skipped);
        said.push(format!(
            "{} NOT READ (row{} {rows}): hidden by hand in the workbook, taken as lines the unit \
             replaced or no longer uses; if one is data, unhide it (Home > Format > Hide & \
             Unhide > Unhide Rows) and send the file again",
            o.hidden_skipped.len(),
            if o.hidden_skipped.len() == 1 { "" } else { "s" }
        ));
    }
    if o.hidden_read > 0 {
        said.push(match o.kind {
            K::Kuesioner => format!(
                "{} hidden or filtered out of view, READ as responses all the same (a filter in \
                 a log hides real responses); delete a row that is no response and send again",
                o.hidden_read
            ),
            _ => format!(
                "{} filtered out of view (a filter) or folded in a group, READ all the same; \
                 clear the filter or unfold the group to see them",
                o.hidden_read
            ),
        });
    }
    (!said.is_empty()).then(|| said.join("; "))
}
