//! The reports each unit pastes into its LKIP: per unit and year, `report/unit/<unit_id>_<tahun>.xlsx`
//! (`unit_sheet.rs`) and `report/unit/<unit_id>_<tahun>.html` (`unit_page.rs`), in the seeds'
//! layout (000 l.896–935: per period the nine unsur as columns, rows NRR, IKM per unsur,
//! kategori, then "IKM Unit Layanan 86.71 (BAIK)"; then the yearly figure and how it was made).
//!
//! Every figure is read from gold ([`Gold`]) as it is there: the `*_bulat` columns (rounded
//! half-up by compute), `mutu`, `kinerja`, the rule gold names. Nothing is recomputed here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use polars::prelude::*;

use crate::compute::Gold;
use crate::config::Config;
use crate::domain::{Periode, YearRule, UNSUR};

use super::numbers;
use super::unit_model::{
    Change, Low, PeriodTable, ProfileRow, Sample, UnitYear, UnsurCell, YearFigure,
};

/// The per-unit reports written by a run.
#[derive(Debug, Clone, Default)]
pub struct UnitReports {
    /// The folder they are in (`report/unit/`).
    pub dir: PathBuf,
    /// Unit × year pages (each an .xlsx and an .html).
    pub n_unit_years: usize,
    pub files: Vec<PathBuf>,
}

/// The folder of the per-unit reports under an output.
pub fn unit_dir(out: &Path) -> PathBuf {
    out.join("report").join("unit")
}

/// Writes `report/unit/<unit_id>_<tahun>.xlsx` and `.html` for every unit with a figure in a
/// year. `plans` is the follow-up table (issue 16, `gold/tindak_lanjut`) when there is one:
/// its rows of the unit and year are shown as they are.
pub fn write_unit_reports(
    gold: &Gold,
    config: &Config,
    plans: Option<&DataFrame>,
    out: &Path,
) -> Result<UnitReports> {
    let dir = unit_dir(out);
    std::fs::create_dir_all(&dir)?;
    let all = unit_years(gold, config, plans)?;
    let write_one = |u: &UnitYear| -> Result<[PathBuf; 2]> {
        let xlsx = dir.join(format!("{}.xlsx", u.stem()));
        super::unit_sheet::write(u, &xlsx)?;
        let html = dir.join(format!("{}.html", u.stem()));
        std::fs::write(&html, super::unit_page::page(u))
            .with_context(|| format!("cannot write {}", html.display()))?;
        Ok([xlsx, html])
    };
    // A few hundred small files: written by as many threads as there are cores, each file
    // on its own, so the result does not depend on the threads.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = all.len().div_ceil(threads).max(1);
    let parts: Vec<Result<Vec<PathBuf>>> = std::thread::scope(|s| {
        let handles: Vec<_> = all
            .chunks(chunk)
            .map(|c| {
                s.spawn(move || -> Result<Vec<PathBuf>> {
                    let mut v = Vec::new();
                    for u in c {
                        v.extend(write_one(u)?);
                    }
                    Ok(v)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a report writer panicked")))
            })
            .collect()
    });
    let mut files = Vec::new();
    for p in parts {
        files.extend(p?);
    }
    Ok(UnitReports {
        dir,
        n_unit_years: all.len(),
        files,
    })
}

/// A frame's columns read once, by row.
pub(super) struct Cols {
    s: HashMap<&'static str, Vec<Option<String>>>,
    f: HashMap<&'static str, Vec<Option<f64>>>,
    b: HashMap<&'static str, Vec<Option<bool>>>,
}

impl Cols {
    pub(super) fn read(
        df: &DataFrame,
        s: &[&'static str],
        f: &[&'static str],
        b: &[&'static str],
    ) -> Cols {
        let str_col = |c: &str| -> Vec<Option<String>> {
            df.column(c)
                .ok()
                .and_then(|c| c.cast(&DataType::String).ok())
                .and_then(|c| {
                    c.str()
                        .ok()
                        .map(|c| c.iter().map(|v| v.map(str::to_string)).collect())
                })
                .unwrap_or_else(|| vec![None; df.height()])
        };
        let f64_col = |c: &str| -> Vec<Option<f64>> {
            df.column(c)
                .ok()
                .and_then(|c| c.cast(&DataType::Float64).ok())
                .and_then(|c| c.f64().ok().map(|c| c.iter().collect()))
                .unwrap_or_else(|| vec![None; df.height()])
        };
        let bool_col = |c: &str| -> Vec<Option<bool>> {
            df.column(c)
                .ok()
                .and_then(|c| c.bool().ok().map(|c| c.iter().collect()))
                .unwrap_or_else(|| vec![None; df.height()])
        };
        Cols {
            s: s.iter().map(|c| (*c, str_col(c))).collect(),
            f: f.iter().map(|c| (*c, f64_col(c))).collect(),
            b: b.iter().map(|c| (*c, bool_col(c))).collect(),
        }
    }
    pub(super) fn text(&self, c: &str, i: usize) -> Option<String> {
        self.s[c][i].clone()
    }
    pub(super) fn num(&self, c: &str, i: usize) -> Option<f64> {
        self.f[c][i]
    }
    fn int(&self, c: &str, i: usize) -> Option<i64> {
        self.f[c][i].map(|v| v as i64)
    }
    fn flag(&self, c: &str, i: usize) -> Option<bool> {
        self.b[c][i]
    }
}

/// Rows of a table by (unit_id, tahun).
fn index(c: &Cols, n: usize) -> HashMap<(String, i32), Vec<usize>> {
    let mut m: HashMap<(String, i32), Vec<usize>> = HashMap::new();
    for i in 0..n {
        if let (Some(u), Some(t)) = (c.text("unit_id", i), c.num("tahun", i)) {
            m.entry((u, t as i32)).or_default().push(i);
        }
    }
    m
}

/// The gold tables read once, indexed by unit and year.
struct Tables {
    ikm: Cols,
    ikm_at: HashMap<(String, i32), Vec<usize>>,
    nrr: Cols,
    nrr_at: HashMap<(String, i32), Vec<usize>>,
    pr: Cols,
    pr_at: HashMap<(String, i32), Vec<usize>>,
    sa: Cols,
    sa_at: HashMap<(String, i32), Vec<usize>>,
    pf: Cols,
    pf_at: HashMap<(String, i32), Vec<usize>>,
}

impl Tables {
    fn read(gold: &Gold) -> Tables {
        let ikm = Cols::read(
            &gold.ikm_unit,
            &[
                "unit_id",
                "unit_nama",
                "jenis_unit",
                "kecamatan",
                "periode",
                "mutu",
                "kinerja",
                "sumber",
                "aturan_tahun",
                "periode_dipakai",
                "catatan",
                "periode_sebelum",
            ],
            &[
                "tahun",
                "n_responden",
                "ikm_bulat",
                "ikm",
                "ikm_se",
                "ikm_bawah",
                "ikm_atas",
                "tahun_sebelum",
                "selisih_sebelum",
            ],
            &["tahun_lengkap", "selisih_sebelum_nyata"],
        );
        let nrr = Cols::read(
            &gold.nrr_unsur,
            &["unit_id", "periode", "unsur", "kode", "mutu", "sumber"],
            &["tahun", "nrr_bulat", "ikm_unsur_bulat"],
            &[],
        );
        let pr = Cols::read(
            &gold.prioritas,
            &["tingkat", "unit_id", "periode", "unsur", "kode"],
            &["tahun", "nrr_bulat", "urutan", "peringkat"],
            &["seri", "prioritas"],
        );
        let sa = Cols::read(
            &gold.sampel,
            &["unit_id", "sumber_populasi", "sumber_responden"],
            &["tahun", "populasi", "sampel_minimum", "n_responden"],
            &["cukup"],
        );
        let pf = Cols::read(
            &gold.profil,
            &["tingkat", "unit_id", "dimensi", "kelompok"],
            &["tahun", "n_responden", "ikm_bulat"],
            &["cukup"],
        );
        Tables {
            ikm_at: index(&ikm, gold.ikm_unit.height()),
            nrr_at: index(&nrr, gold.nrr_unsur.height()),
            pr_at: index(&pr, gold.prioritas.height()),
            sa_at: index(&sa, gold.sampel.height()),
            pf_at: index(&pf, gold.profil.height()),
            ikm,
            nrr,
            pr,
            sa,
            pf,
        }
    }
}

/// Every unit and year with a row in `ikm_unit`, in gold's order (unit, year).
pub fn unit_years(
    gold: &Gold,
    config: &Config,
    plans: Option<&DataFrame>,
) -> Result<Vec<UnitYear>> {
    let t = Tables::read(gold);
    let mut keys: Vec<(String, i32)> = Vec::new();
    for i in 0..gold.ikm_unit.height() {
        if let (Some(u), Some(y)) = (t.ikm.text("unit_id", i), t.ikm.num("tahun", i)) {
            let k = (u, y as i32);
            if keys.last() != Some(&k) && !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    let mut out = Vec::new();
    for (unit, tahun) in keys {
        let Some(rows) = t.ikm_at.get(&(unit.clone(), tahun)) else {
            continue;
        };
        let first = rows[0];
        let mut periods: Vec<PeriodTable> = Vec::new();
        let mut year: Option<YearFigure> = None;
        for p in Periode::ALL {
            let of_p: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&i| t.ikm.text("periode", i).as_deref() == Some(p.code()))
                .collect();
            let pick = of_p
                .iter()
                .copied()
                .find(|&i| t.ikm.text("sumber", i).as_deref() == Some("responden"))
                .or(of_p.first().copied());
            let Some(i) = pick else { continue };
            let table = period_table(&t, &unit, tahun, p, i);
            if p == Periode::Tahun {
                let rekap_bulat = of_p
                    .iter()
                    .copied()
                    .find(|&j| j != i && t.ikm.text("sumber", j).as_deref() == Some("rekap"))
                    .and_then(|j| t.ikm.num("ikm_bulat", j));
                year = Some(year_figure(&t, config, &unit, i, table, rekap_bulat));
            } else {
                periods.push(table);
            }
        }
        periods.sort_by_key(|p| p.periode.order());
        out.push(UnitYear {
            unit_nama: t
                .ikm
                .text("unit_nama", first)
                .unwrap_or_else(|| unit.clone()),
            jenis_unit: t.ikm.text("jenis_unit", first),
            kecamatan: t.ikm.text("kecamatan", first),
            sample: sample(&t, &unit, tahun),
            profile: profile(&t, &unit, tahun),
            plans: plans
                .map(|df| plan_rows(df, &unit, tahun))
                .transpose()?
                .unwrap_or_default(),
            unit_id: unit,
            tahun,
            periods,
            year,
        });
    }
    Ok(out)
}

fn period_table(t: &Tables, unit: &str, tahun: i32, p: Periode, i: usize) -> PeriodTable {
    let sumber = t.ikm.text("sumber", i).unwrap_or_default();
    let key = (unit.to_string(), tahun);
    let nrr_rows: Vec<usize> = t
        .nrr_at
        .get(&key)
        .map(|rows| {
            rows.iter()
                .copied()
                .filter(|&j| {
                    t.nrr.text("periode", j).as_deref() == Some(p.code())
                        && t.nrr.text("sumber", j).as_deref() == Some(sumber.as_str())
                })
                .collect()
        })
        .unwrap_or_default();
    let unsur: Vec<UnsurCell> = UNSUR
        .iter()
        .filter_map(|u| {
            let j = nrr_rows
                .iter()
                .copied()
                .find(|&j| t.nrr.text("unsur", j).as_deref() == Some(u.key))?;
            Some(UnsurCell {
                kode: t.nrr.text("kode", j).unwrap_or_else(|| u.kode.into()),
                judul: judul(u.key),
                nrr_bulat: t.nrr.num("nrr_bulat", j),
                ikm_unsur_bulat: t.nrr.num("ikm_unsur_bulat", j),
                mutu: t.nrr.text("mutu", j),
            })
        })
        .collect();
    let mut lowest: Vec<(i64, Low)> = t
        .pr_at
        .get(&key)
        .map(|rows| {
            rows.iter()
                .copied()
                .filter(|&j| {
                    t.pr.text("tingkat", j).as_deref() == Some("unit")
                        && t.pr.text("periode", j).as_deref() == Some(p.code())
                        && t.pr.flag("prioritas", j) == Some(true)
                })
                .map(|j| {
                    (
                        t.pr.int("urutan", j).unwrap_or(0),
                        Low {
                            peringkat: t.pr.int("peringkat", j).unwrap_or(0),
                            kode: t.pr.text("kode", j).unwrap_or_default(),
                            unsur: t.pr.text("unsur", j).map(|k| judul(&k)).unwrap_or_default(),
                            nrr_bulat: t.pr.num("nrr_bulat", j),
                            seri: t.pr.flag("seri", j).unwrap_or(false),
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    lowest.sort_by_key(|(u, _)| *u);
    PeriodTable {
        periode: p,
        sumber,
        // A table shows all nine or none.
        unsur: if unsur.len() == UNSUR.len() {
            unsur
        } else {
            Vec::new()
        },
        ikm_bulat: t.ikm.num("ikm_bulat", i),
        mutu: t.ikm.text("mutu", i),
        kinerja: t.ikm.text("kinerja", i),
        n_responden: t.ikm.int("n_responden", i),
        lowest: lowest.into_iter().map(|(_, l)| l).collect(),
        ikm: t.ikm.num("ikm", i),
        ikm_se: t.ikm.num("ikm_se", i),
        ikm_rentang: t.ikm.num("ikm_bawah", i).zip(t.ikm.num("ikm_atas", i)),
        sebelum: match (
            t.ikm.int("tahun_sebelum", i),
            t.ikm.text("periode_sebelum", i),
            t.ikm.num("selisih_sebelum", i),
        ) {
            (Some(tahun), Some(periode), Some(selisih)) => Some(Change {
                tahun: tahun as i32,
                periode,
                selisih,
                nyata: t.ikm.flag("selisih_sebelum_nyata", i),
            }),
            _ => None,
        },
    }
}

/// The short name of an unsur as the seeds head its column: its key, capitalized.
fn judul(key: &str) -> String {
    let mut c = key.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn year_figure(
    t: &Tables,
    config: &Config,
    unit: &str,
    i: usize,
    table: PeriodTable,
    rekap_bulat: Option<f64>,
) -> YearFigure {
    let aturan = t.ikm.text("aturan_tahun", i).unwrap_or_default();
    let dipakai = t.ikm.text("periode_dipakai", i);
    let rule: YearRule = config.year_rule(unit);
    YearFigure {
        aturan_kata: numbers::aturan_kata(&aturan, dipakai.as_deref().unwrap_or(""), Some(&rule)),
        aturan,
        periode_dipakai: dipakai,
        lengkap: t.ikm.flag("tahun_lengkap", i),
        catatan: t.ikm.text("catatan", i),
        rekap_bulat: rekap_bulat.filter(|_| table.sumber == "responden"),
        table,
    }
}

fn sample(t: &Tables, unit: &str, tahun: i32) -> Option<Sample> {
    let i = *t.sa_at.get(&(unit.to_string(), tahun))?.first()?;
    Some(Sample {
        populasi: t.sa.int("populasi", i),
        sumber_populasi: t.sa.text("sumber_populasi", i),
        sampel_minimum: t.sa.int("sampel_minimum", i),
        n_responden: t.sa.int("n_responden", i),
        sumber_responden: t.sa.text("sumber_responden", i),
        cukup: t.sa.flag("cukup", i),
    })
}

fn profile(t: &Tables, unit: &str, tahun: i32) -> Vec<ProfileRow> {
    let rows = t
        .pf_at
        .get(&(unit.to_string(), tahun))
        .map(|rows| {
            rows.iter()
                .copied()
                .filter(|&i| t.pf.text("tingkat", i).as_deref() == Some("unit"))
                .map(|i| ProfileRow {
                    dimensi: t.pf.text("dimensi", i).unwrap_or_default(),
                    kelompok: t.pf.text("kelompok", i).unwrap_or_default(),
                    n_responden: t.pf.int("n_responden", i),
                    ikm_bulat: t.pf.num("ikm_bulat", i),
                    cukup: t.pf.flag("cukup", i),
                })
                .collect()
        })
        .unwrap_or_default();
    super::unit_model::profile_shown(rows)
}

/// The columns of `gold/tindak_lanjut` a unit's page and sheet show, with their headings.
const PLAN_COLUMNS: [(&str, &str); 9] = [
    ("periode", "Periode prioritas"),
    ("kode", "Kode"),
    ("unsur", "Unsur"),
    ("nrr_prioritas_bulat", "NRR"),
    ("program", "Program/Kegiatan"),
    ("waktu", "Waktu"),
    ("penanggung_jawab", "Penanggung Jawab"),
    ("nrr_tindak_lanjut_bulat", "NRR sesudahnya"),
    ("status", "Status"),
];

/// Issue 16's follow-up plans: the follow-up table's rows of the unit and year, every other column as
/// (heading, value) in the table's order. The table's own schema decides what is shown.
fn plan_rows(df: &DataFrame, unit: &str, tahun: i32) -> Result<Vec<Vec<(String, String)>>> {
    if df.column("unit_id").is_err() || df.column("tahun").is_err() {
        return Ok(Vec::new());
    }
    let rows = df
        .clone()
        .lazy()
        .filter(
            col("unit_id")
                .cast(DataType::String)
                .eq(lit(unit))
                .and(col("tahun").cast(DataType::Int32).eq(lit(tahun))),
        )
        .collect()?;
    // gold/tindak_lanjut: the columns a unit reads, with their printed headings; any other
    // table: every column but the unit and year, by name.
    let curated: Vec<(&str, &str)> = PLAN_COLUMNS
        .iter()
        .copied()
        .filter(|(n, _)| rows.column(n).is_ok())
        .collect();
    let (names, headings): (Vec<String>, Vec<String>) = if curated.len() == PLAN_COLUMNS.len() {
        curated
            .iter()
            .map(|(n, h)| (n.to_string(), h.to_string()))
            .unzip()
    } else {
        rows.get_column_names()
            .into_iter()
            .map(|n| n.to_string())
            .filter(|n| n != "unit_id" && n != "tahun")
            .map(|n| (n.clone(), n.replace('_', " ")))
            .unzip()
    };
    let texts: Vec<Vec<Option<String>>> = names
        .iter()
        .map(|n| -> Result<Vec<Option<String>>> {
            if n.starts_with("nrr_") {
                let c = rows.column(n)?.cast(&DataType::Float64)?;
                return Ok(c.f64()?.iter().map(|v| v.map(numbers::nrr)).collect());
            }
            let c = rows.column(n)?.cast(&DataType::String)?;
            let words = n == "status";
            Ok(c.str()?
                .iter()
                .map(|v| {
                    v.map(|v| {
                        if words {
                            v.replace('_', " ")
                        } else {
                            v.to_string()
                        }
                    })
                })
                .collect())
        })
        .collect::<Result<_>>()?;
    Ok((0..rows.height())
        .map(|r| {
            headings
                .iter()
                .zip(&texts)
                .map(|(h, c)| (h.clone(), c[r].clone().unwrap_or_default()))
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::build::Rows;

    /// Issue 16's follow-up table, whatever its columns: the unit's rows of the year are shown
    /// on its page and sheet, column by column.
    #[test]
    fn follow_up_plans_of_the_unit_and_year_are_shown_as_the_table_has_them() {
        let rows = [
            (
                "kecamatan-mustikajaya",
                2024,
                "U1",
                "Sosialisasi persyaratan",
                "TW1 2025",
            ),
            ("kecamatan-mustikajaya", 2023, "U7", "Pelatihan", "TW2 2024"),
            (
                "kecamatan-medansatria",
                2024,
                "U3",
                "Antrian daring",
                "TW1 2025",
            ),
        ];
        let df = Rows::new(&rows)
            .col("unit_id", |r| r.0)
            .col("tahun", |r| r.1)
            .col("kode", |r| r.2)
            .col("program_kegiatan", |r| r.3)
            .col("waktu", |r| r.4)
            .frame()
            .unwrap();
        let plans = plan_rows(&df, "kecamatan-mustikajaya", 2024).unwrap();
        assert_eq!(
            plans,
            vec![vec![
                ("kode".to_string(), "U1".to_string()),
                ("program kegiatan".into(), "Sosialisasi persyaratan".into()),
                ("waktu".into(), "TW1 2025".into()),
            ]]
        );
        let u = UnitYear {
            unit_id: "kecamatan-mustikajaya".into(),
            unit_nama: "Kecamatan Mustikajaya".into(),
            jenis_unit: None,
            kecamatan: None,
            tahun: 2024,
            periods: Vec::new(),
            year: None,
            sample: None,
            profile: Vec::new(),
            plans,
        };
        let page = super::super::unit_page::page(&u);
        assert!(page.contains("<h2>Rencana Tindak Lanjut</h2>"));
        assert!(page.contains("<td>Sosialisasi persyaratan</td>"));
        assert!(!page.contains("Pelatihan"));
        // No follow-up table, or one without the unit's columns: nothing shown.
        let other = Rows::new(&rows).col("kode", |r| r.2).frame().unwrap();
        assert!(plan_rows(&other, "kecamatan-mustikajaya", 2024)
            .unwrap()
            .is_empty());
    }
}
