//! `skm gen`: a realistic inbox of raw questionnaires for benchmarks and scale tests —
//! CSV and XLSX across units and the four quarters of a year, plausible answer distributions
//! per unit and unsur, and a small share of bad rows of every kind the pipeline rejects.
//! Deterministic for a seed: the same arguments write the same files.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{write_xlsx, Rng, Table, Val};
use crate::domain::UNSUR;
use crate::registry::Registry;

#[derive(Debug, Clone)]
pub struct GenSpec {
    pub responses: u64,
    pub units: usize,
    pub seed: u64,
    pub tahun: i32,
    /// Share of the files written as XLSX (the rest CSV).
    pub xlsx_share: f64,
    /// Share of rows made bad on purpose.
    pub bad_share: f64,
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

/// A score around `mean` (1–4), from a rounded normal draw.
fn score(rng: &mut Rng, mean: f64) -> u8 {
    // Box–Muller from two uniforms.
    let u1 = (rng.next_u64() as f64 + 1.0) / (u64::MAX as f64 + 2.0);
    let u2 = rng.next_u64() as f64 / u64::MAX as f64;
    let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
    (mean + 0.55 * z).round().clamp(1.0, 4.0) as u8
}

/// The units to write for: the registry's service units, then synthetic ones.
fn units(registry: &Registry, k: usize) -> Vec<(String, String)> {
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
    v
}

pub fn write_inbox(dir: &Path, spec: &GenSpec, registry: &Registry) -> Result<GenSummary> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let units = units(registry, spec.units.max(1));
    let mut summary = GenSummary::default();
    if spec.units > registry.service_units().count() {
        let p = dir.join("units.tsv");
        let mut w = BufWriter::new(std::fs::File::create(&p)?);
        writeln!(w, "unit_id\tunit_nama\tjenis_unit")?;
        for (id, nama) in &units {
            writeln!(w, "{id}\t{nama}\tperangkat_daerah")?;
        }
        w.flush()?;
        summary.units_file = Some(p);
    }
    let n_files = units.len() as u64 * 4;
    for (ui, (id, nama)) in units.iter().enumerate() {
        let mut unit_rng = Rng::new(spec.seed ^ (ui as u64).wrapping_mul(0x9E37));
        let quality = 2.9 + (unit_rng.next_u64() % 800) as f64 / 1000.0;
        let offsets: Vec<f64> = UNSUR
            .iter()
            .map(|u| match u.key {
                "biaya" => 0.6,
                "pengaduan" => 0.3,
                "waktu" => -0.15,
                _ => (unit_rng.next_u64() % 300) as f64 / 1000.0 - 0.15,
            })
            .collect();
        for q in 0..4u64 {
            let file_no = ui as u64 * 4 + q;
            // Spread the responses evenly, the remainder to the first files.
            let rows = spec.responses / n_files + u64::from(file_no < spec.responses % n_files);
            let mut rng = Rng::new(spec.seed.wrapping_mul(31).wrapping_add(file_no));
            let xlsx = (rng.next_u64() % 10_000) as f64 / 10_000.0 < spec.xlsx_share;
            let month0 = q as u32 * 3 + 1;
            let mut bad = 0u64;
            let mut make_row = |r: u64, rng: &mut Rng| -> Vec<String> {
                let month = month0 + (r % 3) as u32;
                let day = 1 + (r % 28) as u32;
                let mut date = format!("{day:02}/{month:02}/{}", spec.tahun);
                let mut unit = nama.clone();
                let mut answers: Vec<String> = offsets
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
                    bad += 1;
                    match BAD_KINDS[(rng.next_u64() % BAD_KINDS.len() as u64) as usize] {
                        "unit" => unit = "Dinas Yang Tidak Ada".into(),
                        "kosong" => answers.iter_mut().for_each(|a| a.clear()),
                        "tanggal" => date = "kemarin".into(),
                        "masa_depan" => date = format!("01/01/{}", spec.tahun + 50),
                        v => answers[(rng.next_u64() % 9) as usize] = v.to_string(),
                    }
                }
                let mut row = vec![
                    (r + 1).to_string(),
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
            };
            let mut header: Vec<String> = [
                "No",
                "Unit Layanan",
                "Tanggal",
                "Jenis Kelamin",
                "Umur",
                "Pendidikan",
                "Pekerjaan",
                "Jenis Layanan",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            let name = format!("{id}/{id}_tw{}_{}", q + 1, spec.tahun);
            if xlsx {
                header.extend(UNSUR.iter().map(|u| u.nama.to_string()));
                let rows: Vec<Vec<Val>> = (0..rows)
                    .map(|r| {
                        make_row(r, &mut rng)
                            .into_iter()
                            .enumerate()
                            .map(|(c, v)| match v.parse::<f64>() {
                                Ok(n) if c != 1 && c != 2 => Val::Num(n),
                                _ if v.is_empty() => Val::Empty,
                                _ => Val::Text(v),
                            })
                            .collect()
                    })
                    .collect();
                let p = dir.join(format!("{name}.xlsx"));
                write_xlsx(
                    &p,
                    &[(
                        "Jawaban",
                        &Table {
                            title: vec![],
                            header,
                            rows,
                        },
                    )],
                )?;
                summary.files.push(p);
            } else {
                header.extend(UNSUR.iter().map(|u| u.kode.to_string()));
                let p = dir.join(format!("{name}.csv"));
                std::fs::create_dir_all(p.parent().expect("parent"))?;
                let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(
                    BufWriter::with_capacity(1 << 20, std::fs::File::create(&p)?),
                );
                w.write_record(&header)?;
                for r in 0..rows {
                    w.write_record(make_row(r, &mut rng))?;
                }
                w.flush()?;
                summary.files.push(p);
            }
            summary.rows += rows;
            summary.bad_rows += bad;
        }
    }
    Ok(summary)
}
