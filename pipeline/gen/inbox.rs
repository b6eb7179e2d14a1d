//! `skm gen`: a realistic inbox of raw questionnaires for benchmarks and scale tests —
//! CSV and XLSX across units and the four quarters of a year, plausible answer distributions
//! per unit and unsur, and a small share of bad rows of every kind the pipeline rejects.
//! Deterministic for a seed: the same arguments write the same files.
//!
//! Three layouts of the same responses ([`Layout`]): a file per unit × quarter (as units send
//! them), a file per quarter, or one file for the whole year (as a central survey application
//! exports them). The rows are drawn per unit × quarter in every layout, so the same seed gives
//! the same responses, bad rows included, whatever the layout; only the `No` column (numbered
//! within each file) and the file format differ. `--xlsx-share` applies to the unit × quarter
//! layout only (the big layouts are CSV): compare a big layout with a unit × quarter inbox
//! written with `--xlsx-share 0` to have the very same bytes per row. Rows are written one at a
//! time (a CSV file of any size is streamed; an XLSX file, one unit's quarter, is built whole).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{write_xlsx, Rng, Table, Val};
use crate::domain::UNSUR;
use crate::registry::Registry;

crate::labels! {
    /// How `skm gen` lays the responses out in files.
    pub enum Layout {
        /// `UNIT/UNIT_twQ_YYYY.csv` (or `.xlsx`): a file per unit and quarter.
        UnitQuarter = "unit-quarter",
        /// `survei_twQ_YYYY.csv`: a CSV per quarter with every unit's rows (unit column).
        Quarter = "quarter",
        /// `survei_YYYY.csv`: one CSV for the whole year, quarter after quarter.
        Year = "year",
        /// `survei_YYYY.xlsx`: the year's rows as one workbook of one sheet (a form tool's or a
        /// survey application's export), the cells as the CSV's (numbers as numbers).
        Workbook = "workbook",
    }
}

#[derive(Debug, Clone)]
pub struct GenSpec {
    pub responses: u64,
    pub units: usize,
    pub seed: u64,
    pub tahun: i32,
    /// Share of the files written as XLSX (the rest CSV); unit × quarter layout only.
    pub xlsx_share: f64,
    /// Share of rows made bad on purpose.
    pub bad_share: f64,
    /// A form's timestamp (`Timestamp`, the date and a time of day to the second) in place of
    /// the date: every response has an identity (`kunci`). The rows are the same otherwise.
    pub timestamps: bool,
}

/// The head of the date column: a form's `Timestamp`, or `Tanggal`.
fn date_head(spec: &GenSpec) -> &'static str {
    if spec.timestamps {
        "Timestamp"
    } else {
        "Tanggal"
    }
}

/// The columns' heads: `HEADER` (the date's as `date_head`) and the unsur, by `unsur`.
fn heads<'s>(spec: &GenSpec, unsur: impl Fn(&crate::domain::Unsur) -> &'s str) -> Vec<String> {
    HEADER
        .iter()
        .map(|h| if *h == "Tanggal" { date_head(spec) } else { h })
        .map(str::to_string)
        .chain(UNSUR.iter().map(|u| unsur(u).to_string()))
        .collect()
}

/// What was written: files, rows, and how many rows were made bad (each will be rejected).
#[derive(Debug, Clone, Default)]
pub struct GenSummary {
    pub files: Vec<PathBuf>,
    pub rows: u64,
    pub bad_rows: u64,
    /// A registry to pass with `--units` when more units were asked for than the embedded 96.
    pub units_file: Option<PathBuf>,
}

const BAD_KINDS: [&str; 8] = [
    "5",
    "0",
    "3,5",
    "tiga",
    "unit",
    "kosong",
    "tanggal",
    "masa_depan",
];
const GENDER: [&str; 2] = ["Laki-laki", "Perempuan"];
const EDU: [&str; 6] = ["SD", "SMP", "SMA", "D3", "S1", "S2 ke atas"];
const JOB: [&str; 5] = [
    "PNS",
    "Swasta",
    "Wiraswasta",
    "Pelajar/Mahasiswa",
    "Lainnya",
];
const SERVICE: [&str; 4] = [
    "Administrasi kependudukan",
    "Perizinan",
    "Layanan kesehatan",
    "Surat keterangan",
];
/// The columns before the nine unsur.
const HEADER: [&str; 8] = [
    "No",
    "Unit Layanan",
    "Tanggal",
    "Jenis Kelamin",
    "Umur",
    "Pendidikan",
    "Pekerjaan",
    "Jenis Layanan",
];

/// A score around `mean` (1–4), from a rounded normal draw.
fn score(rng: &mut Rng, mean: f64) -> u8 {
    // Box–Muller from two uniforms.
    let u1 = (rng.next_u64() as f64 + 1.0) / (u64::MAX as f64 + 2.0);
    let u2 = rng.next_u64() as f64 / u64::MAX as f64;
    let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
    (mean + 0.55 * z).round().clamp(1.0, 4.0) as u8
}

/// A unit as the generator sees it: its name and how well it serves.
struct GenUnit {
    id: String,
    nama: String,
    quality: f64,
    /// Per unsur, added to `quality` (in `UNSUR` order).
    offsets: Vec<f64>,
}

/// The units to write for: the registry's service units, then synthetic ones.
fn units(registry: &Registry, k: usize, seed: u64) -> Vec<GenUnit> {
    let mut v: Vec<(String, String)> = registry
        .service_units()
        .map(|u| (u.unit_id.clone(), u.nama.clone()))
        .take(k)
        .collect();
    let mut i = v.len();
    while v.len() < k {
        i += 1;
        v.push((
            format!("unit-sintetis-{i:05}"),
            format!("Unit Sintetis {i:05}"),
        ));
    }
    v.into_iter()
        .enumerate()
        .map(|(ui, (id, nama))| {
            let mut unit_rng = Rng::new(seed ^ (ui as u64).wrapping_mul(0x9E37));
            let quality = 2.9 + (unit_rng.next_u64() % 800) as f64 / 1000.0;
            let offsets = UNSUR
                .iter()
                .map(|u| match u.key {
                    "biaya" => 0.6,
                    "pengaduan" => 0.3,
                    "waktu" => -0.15,
                    _ => (unit_rng.next_u64() % 300) as f64 / 1000.0 - 0.15,
                })
                .collect();
            GenUnit {
                id,
                nama,
                quality,
                offsets,
            }
        })
        .collect()
}

/// The responses of one unit in one quarter, drawn one row at a time (the same in every layout).
struct WaveRows<'a> {
    spec: &'a GenSpec,
    unit: &'a GenUnit,
    /// 0–3.
    quarter: u32,
    rows: u64,
    /// Whether the unit × quarter layout writes this wave as XLSX.
    xlsx: bool,
    rng: Rng,
    /// Rows made bad so far.
    bad: u64,
    /// The unit's place among the units (for timestamps).
    unit_seq: u64,
}

impl<'a> WaveRows<'a> {
    fn new(spec: &'a GenSpec, units: &'a [GenUnit], ui: usize, quarter: u32) -> WaveRows<'a> {
        let n_files = units.len() as u64 * 4;
        let file_no = ui as u64 * 4 + u64::from(quarter);
        // Spread the responses evenly, the remainder to the first files.
        let rows = spec.responses / n_files + u64::from(file_no < spec.responses % n_files);
        let mut rng = Rng::new(spec.seed.wrapping_mul(31).wrapping_add(file_no));
        let xlsx = (rng.next_u64() % 10_000) as f64 / 10_000.0 < spec.xlsx_share;
        WaveRows {
            spec,
            unit: &units[ui],
            quarter,
            rows,
            xlsx,
            rng,
            bad: 0,
            unit_seq: ui as u64 * 1_000_003,
        }
    }

    /// Row `r` (0-based, drawn in order) of the wave, numbered `no` in its file.
    fn row(&mut self, r: u64, no: u64) -> Vec<String> {
        let (spec, rng) = (self.spec, &mut self.rng);
        let month = self.quarter * 3 + 1 + (r % 3) as u32;
        let day = 1 + (r % 28) as u32;
        let mut date = format!("{day:02}/{month:02}/{}", spec.tahun);
        if spec.timestamps {
            // A second of the day from the row's place alone (the draws stay those of every
            // other layout), never midnight (a date alone).
            let place = (r + 1) * 7_919 + u64::from(self.quarter) * 104_729 + self.unit_seq;
            let s = 1 + place % 86_399;
            date = format!("{date} {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
        }
        let mut unit = self.unit.nama.clone();
        let quality = self.unit.quality;
        let mut answers: Vec<String> = self
            .unit
            .offsets
            .iter()
            .map(|o| {
                if rng.next_u64() % 50 == 0 {
                    String::new() // a blank answer now and then
                } else {
                    score(rng, quality + o).to_string()
                }
            })
            .collect();
        if (rng.next_u64() % 1_000_000) as f64 / 1_000_000.0 < spec.bad_share {
            self.bad += 1;
            match BAD_KINDS[(rng.next_u64() % BAD_KINDS.len() as u64) as usize] {
                "unit" => unit = "Dinas Yang Tidak Ada".into(),
                "kosong" => answers.iter_mut().for_each(|a| a.clear()),
                "tanggal" => date = "kemarin".into(),
                "masa_depan" => date = format!("01/01/{}", spec.tahun + 50),
                v => answers[(rng.next_u64() % 9) as usize] = v.to_string(),
            }
        }
        let mut row = vec![
            no.to_string(),
            unit,
            date,
            GENDER[(rng.next_u64() % 2) as usize].to_string(),
            (17 + rng.next_u64() % 60).to_string(),
            EDU[(rng.next_u64() % EDU.len() as u64) as usize].to_string(),
            JOB[(rng.next_u64() % JOB.len() as u64) as usize].to_string(),
            SERVICE[(rng.next_u64() % SERVICE.len() as u64) as usize].to_string(),
        ];
        row.extend(answers);
        row
    }
}

/// A `;`-separated CSV written through a buffer, row by row; the header names unsur by code.
struct CsvOut {
    path: PathBuf,
    w: csv::Writer<BufWriter<std::fs::File>>,
    /// Rows written (the next row's `No` is this + 1).
    rows: u64,
}

impl CsvOut {
    fn create(path: PathBuf, spec: &GenSpec) -> Result<CsvOut> {
        std::fs::create_dir_all(path.parent().expect("a file in the inbox"))?;
        let file = std::fs::File::create(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(BufWriter::with_capacity(1 << 20, file));
        w.write_record(heads(spec, |u| u.kode))?;
        Ok(CsvOut { path, w, rows: 0 })
    }

    /// Every row of a wave, numbered on from the rows already in the file.
    fn wave(&mut self, wave: &mut WaveRows) -> Result<()> {
        for r in 0..wave.rows {
            self.rows += 1;
            let row = wave.row(r, self.rows);
            self.w.write_record(&row)?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<PathBuf> {
        self.w
            .flush()
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        Ok(self.path)
    }
}

/// One sheet of a workbook written row by row (`rust_xlsxwriter`'s constant-memory mode): a
/// year of rows in the memory of a few.
struct XlsxOut {
    path: PathBuf,
    wb: rust_xlsxwriter::Workbook,
    rows: u64,
}

impl XlsxOut {
    fn create(path: PathBuf, spec: &GenSpec) -> Result<XlsxOut> {
        std::fs::create_dir_all(path.parent().expect("a file in the inbox"))?;
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name("Form Responses 1")?;
        for (c, h) in heads(spec, |u| u.kode).iter().enumerate() {
            ws.write_string(0, c as u16, h)?;
        }
        Ok(XlsxOut { path, wb, rows: 0 })
    }

    /// Every row of a wave, numbered on; a cell as `cell_value` reads the CSV's text.
    fn wave(&mut self, wave: &mut WaveRows) -> Result<()> {
        let ws = self.wb.worksheet_from_index(0)?;
        for r in 0..wave.rows {
            self.rows += 1;
            let row = self.rows as u32;
            for (c, v) in wave.row(r, self.rows).into_iter().enumerate() {
                match cell_value(c, v) {
                    Val::Num(n) => ws.write_number(row, c as u16, n)?,
                    Val::Text(t) => ws.write_string(row, c as u16, t)?,
                    _ => ws,
                };
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<PathBuf> {
        self.wb
            .save(&self.path)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        Ok(self.path)
    }
}

/// A generated cell of column `c` as a workbook holds it: a number where the text is one
/// (but the unit and the date, columns 1 and 2), nothing where it is empty, else text.
fn cell_value(c: usize, v: String) -> Val {
    match v.parse::<f64>() {
        Ok(n) if c != 1 && c != 2 => Val::Num(n),
        _ if v.is_empty() => Val::Empty,
        _ => Val::Text(v),
    }
}

/// The file of a layout of several units' rows: a CSV, or (`Layout::Workbook`) a workbook.
enum Out {
    Csv(Box<CsvOut>),
    Xlsx(Box<XlsxOut>),
}

impl Out {
    fn wave(&mut self, wave: &mut WaveRows) -> Result<()> {
        match self {
            Out::Csv(o) => o.wave(wave),
            Out::Xlsx(o) => o.wave(wave),
        }
    }

    fn finish(self) -> Result<PathBuf> {
        match self {
            Out::Csv(o) => o.finish(),
            Out::Xlsx(o) => o.finish(),
        }
    }
}

/// A file per unit and quarter: `UNIT/UNIT_tw1_2024.csv` (unsur by code) or `.xlsx` (by name).
fn write_unit_quarter(dir: &Path, wave: &mut WaveRows) -> Result<PathBuf> {
    let id = &wave.unit.id;
    let name = format!("{id}/{id}_tw{}_{}", wave.quarter + 1, wave.spec.tahun);
    if !wave.xlsx {
        let mut out = CsvOut::create(dir.join(format!("{name}.csv")), wave.spec)?;
        out.wave(wave)?;
        return out.finish();
    }
    let header = heads(wave.spec, |u| u.nama);
    let rows: Vec<Vec<Val>> = (0..wave.rows)
        .map(|r| {
            wave.row(r, r + 1)
                .into_iter()
                .enumerate()
                .map(|(c, v)| cell_value(c, v))
                .collect()
        })
        .collect();
    let p = dir.join(format!("{name}.xlsx"));
    let table = Table {
        title: vec![],
        header,
        rows,
    };
    write_xlsx(&p, &[("Jawaban", &table)])?;
    Ok(p)
}

/// Writes the inbox a file per unit × quarter (see [`write_inbox_as`]).
pub fn write_inbox(dir: &Path, spec: &GenSpec, registry: &Registry) -> Result<GenSummary> {
    write_inbox_as(dir, spec, Layout::UnitQuarter, registry)
}

/// Writes `spec.responses` responses into `dir` in the given layout; the same responses, bad
/// rows included, in every layout.
pub fn write_inbox_as(
    dir: &Path,
    spec: &GenSpec,
    layout: Layout,
    registry: &Registry,
) -> Result<GenSummary> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let units = units(registry, spec.units.max(1), spec.seed);
    let mut summary = GenSummary::default();
    if spec.units > registry.service_units().count() {
        let p = dir.join("units.tsv");
        let mut w = BufWriter::new(std::fs::File::create(&p)?);
        writeln!(w, "unit_id\tunit_nama\tjenis_unit")?;
        for u in &units {
            writeln!(w, "{}\t{}\tperangkat_daerah", u.id, u.nama)?;
        }
        w.flush()?;
        summary.units_file = Some(p);
    }
    let mut count = |wave: &WaveRows| {
        summary.rows += wave.rows;
        summary.bad_rows += wave.bad;
    };
    let mut files = Vec::new();
    match layout {
        Layout::UnitQuarter => {
            for ui in 0..units.len() {
                for q in 0..4 {
                    let mut wave = WaveRows::new(spec, &units, ui, q);
                    files.push(write_unit_quarter(dir, &mut wave)?);
                    count(&wave);
                }
            }
        }
        Layout::Quarter | Layout::Year | Layout::Workbook => {
            let mut out = None;
            for q in 0..4 {
                if out.is_none() {
                    let t = spec.tahun;
                    let csv = |name: String| CsvOut::create(dir.join(name), spec).map(Box::new);
                    out = Some(match layout {
                        Layout::Quarter => Out::Csv(csv(format!("survei_tw{}_{t}.csv", q + 1))?),
                        Layout::Workbook => Out::Xlsx(Box::new(XlsxOut::create(
                            dir.join(format!("survei_{t}.xlsx")),
                            spec,
                        )?)),
                        _ => Out::Csv(csv(format!("survei_{t}.csv"))?),
                    });
                }
                let o = out.as_mut().expect("opened above");
                for ui in 0..units.len() {
                    let mut wave = WaveRows::new(spec, &units, ui, q);
                    o.wave(&mut wave)?;
                    count(&wave);
                }
                if layout == Layout::Quarter || q == 3 {
                    files.push(out.take().expect("opened above").finish()?);
                }
            }
        }
    }
    summary.files = files;
    Ok(summary)
}

/// Beside each CSV file of `files`, the earlier cumulative export of it (a form tool's weekly
/// export): `<name>_sebelumnya.csv`, its header and first `share` of its rows, modified 30 days
/// before it. Returns the files written.
pub fn write_earlier_exports(files: &[PathBuf], share: f64) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "csv"))
    {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        let lines: Vec<&str> = text.lines().collect();
        let rows = ((lines.len().saturating_sub(1)) as f64 * share.clamp(0.0, 1.0)) as usize;
        let stem = f.file_stem().expect("a file name").to_string_lossy();
        let p = f.with_file_name(format!("{stem}_sebelumnya.csv"));
        let mut w = BufWriter::new(std::fs::File::create(&p)?);
        for l in &lines[..=rows.min(lines.len().saturating_sub(1))] {
            writeln!(w, "{l}")?;
        }
        w.flush()?;
        let month = std::time::Duration::from_secs(30 * 86_400);
        let then = std::fs::metadata(f)?.modified()? - month;
        std::fs::File::options()
            .write(true)
            .open(&p)?
            .set_modified(then)?;
        out.push(p);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> GenSpec {
        GenSpec {
            responses: 1_000,
            units: 5,
            seed: 9,
            tahun: 2024,
            xlsx_share: 0.0,
            bad_share: 0.05,
            timestamps: false,
        }
    }

    /// Every data line of the files, without the `No` column, in file order.
    fn lines(files: &[PathBuf]) -> Vec<String> {
        files
            .iter()
            .flat_map(|f| {
                let text = std::fs::read_to_string(f).unwrap();
                text.lines()
                    .skip(1)
                    .map(|l| l.split_once(';').unwrap().1.to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn the_layouts_hold_the_same_rows() {
        let tmp = tempfile::tempdir().unwrap();
        let reg = Registry::embedded();
        let w = |l: Layout| write_inbox_as(&tmp.path().join(l.as_str()), &spec(), l, &reg).unwrap();
        let (uq, q, y) = (w(Layout::UnitQuarter), w(Layout::Quarter), w(Layout::Year));
        assert_eq!((uq.files.len(), q.files.len(), y.files.len()), (20, 4, 1));
        for s in [&q, &y] {
            assert_eq!((s.rows, s.bad_rows), (uq.rows, uq.bad_rows));
        }
        assert_eq!(uq.rows, 1_000);
        assert!(uq.bad_rows > 20, "{}", uq.bad_rows);
        // unit × quarter files in quarter-then-unit order are the quarter files, then the year.
        let mut by_quarter = uq.files.clone();
        by_quarter.sort_by_key(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.split("_tw").nth(1).unwrap()[..1].to_string()
        });
        let expected = lines(&by_quarter);
        assert_eq!(expected.len(), 1_000);
        assert_eq!(lines(&q.files), expected);
        assert_eq!(lines(&y.files), expected);
        // `No` counts on through the big file.
        let year = std::fs::read_to_string(&y.files[0]).unwrap();
        let last = year.lines().last().unwrap();
        assert!(last.starts_with("1000;"), "{last}");
        // The workbook holds the year's lines, cell by cell (numbers as numbers).
        let wbk = w(Layout::Workbook);
        assert_eq!(
            (wbk.files.len(), wbk.rows, wbk.bad_rows),
            (1, uq.rows, uq.bad_rows)
        );
        let mut book = calamine::open_workbook_auto(&wbk.files[0]).unwrap();
        let range = calamine::Reader::worksheet_range_at(&mut book, 0)
            .unwrap()
            .unwrap();
        let text = |d: &calamine::Data| match d {
            calamine::Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
            calamine::Data::Empty => String::new(),
            other => other.to_string(),
        };
        let cells: Vec<String> = range
            .rows()
            .map(|r| r.iter().map(text).collect::<Vec<_>>().join(";"))
            .collect();
        let csv: Vec<&str> = year.lines().collect();
        assert_eq!(cells, csv);
        // With timestamps: the same rows, the date with a time of day to the second.
        let timed = GenSpec {
            timestamps: true,
            ..spec()
        };
        let t = write_inbox_as(&tmp.path().join("timed"), &timed, Layout::Year, &reg).unwrap();
        let text = std::fs::read_to_string(&t.files[0]).unwrap();
        assert!(
            text.starts_with("No;Unit Layanan;Timestamp;"),
            "{}",
            &text[..40]
        );
        let mut clocks = std::collections::HashSet::new();
        for (a, b) in year.lines().skip(1).zip(text.lines().skip(1)) {
            let (a, b): (Vec<&str>, Vec<&str>) = (a.split(';').collect(), b.split(';').collect());
            assert_eq!((&a[..2], &a[3..]), (&b[..2], &b[3..]));
            // (A row made bad by its date keeps the bad date alone.)
            match b[2].split_once(' ') {
                Some((date, clock)) => {
                    assert_eq!((date, clock.len()), (a[2], 8), "{}", b[2]);
                    assert_ne!(clock, "00:00:00");
                    clocks.insert(clock.to_string());
                }
                None => assert_eq!(a[2], b[2]),
            }
        }
        assert!(clocks.len() > 900, "{}", clocks.len());
    }
}
