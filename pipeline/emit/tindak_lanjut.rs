//! The follow-up of the lowest unsur in the reports: the workbook's "Tindak Lanjut" sheet and
//! the HTML page's section, both from `gold/tindak_lanjut`. A year's report shows the plans
//! answering that year's priorities and the plans due that year; per unit its priorities, the
//! plan and whether the unsur moved, the units without any plan first.

use anyhow::Result;
use maud::{html, Markup};
use polars::prelude::*;

use super::workbook::SheetSpec;

/// The rows of year `t` (priorities of `t`, or plans due in `t`), units without any plan
/// first, each unit's rows in the table's order (period, then rank).
pub fn of_year(tindak_lanjut: &DataFrame, t: i32) -> PolarsResult<DataFrame> {
    let unit_has_plan = col("ada_rencana").any(true).over([col("unit_id")])?;
    tindak_lanjut
        .clone()
        .lazy()
        .filter(
            col("tahun")
                .eq(lit(t))
                .or(col("waktu_tahun").eq(lit(t)).fill_null(lit(false))),
        )
        .with_column(unit_has_plan.alias("unit_ada_rencana"))
        .sort_by_exprs(
            [col("unit_ada_rencana"), col("unit_id")],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .with_column(col("perubahan").alias("nrr_perubahan"))
        .collect()
}

/// The workbook's "Tindak Lanjut" sheet of year `t`.
pub fn sheet(tindak_lanjut: &DataFrame, t: i32) -> PolarsResult<SheetSpec<'static>> {
    Ok(SheetSpec {
        table: "gold/tindak_lanjut.parquet",
        rows: None,
        name: "Tindak Lanjut",
        df: of_year(tindak_lanjut, t)?,
        headings: vec![
            ("unit_nama", "Unit"),
            ("tahun", "Tahun"),
            ("periode", "Periode prioritas"),
            ("peringkat", "Peringkat"),
            ("kode", "Kode"),
            ("unsur", "Unsur"),
            ("nrr_prioritas", "NRR periode prioritas"),
            ("ada_rencana", "Ada rencana"),
            ("program", "Program/Kegiatan"),
            ("waktu", "Waktu"),
            ("penanggung_jawab", "Penanggung jawab"),
            ("status_pelaksanaan", "Status pelaksanaan"),
            ("periode_tindak_lanjut", "Periode survei berikutnya"),
            ("tahun_tindak_lanjut", "Tahun survei berikutnya"),
            ("nrr_tindak_lanjut", "NRR survei berikutnya"),
            ("nrr_perubahan", "Perubahan NRR"),
            ("status", "Status"),
            ("catatan", "Catatan"),
        ],
    })
}

fn nrr(v: Option<f64>) -> String {
    v.map(super::numbers::nrr).unwrap_or_default()
}

/// The status as the page words it.
fn status_words(s: &str) -> &str {
    match s {
        "belum_ada_data" => "belum ada data",
        "tanpa_rencana" => "tanpa rencana",
        other => other,
    }
}

/// The HTML page's section of year `t`.
pub fn html_section(tindak_lanjut: &DataFrame, t: i32) -> Result<Markup> {
    let df = of_year(tindak_lanjut, t)?;
    let intro = html! {
        h2 { "Tindak lanjut unsur terendah" }
        p {
            "Rencana tindak lanjut tiap unit untuk unsur prioritasnya, dan NRR unsur itu pada \
             survei pertama sesudah waktu rencana (dibandingkan pada 3 desimal)."
        }
    };
    if df.height() == 0 {
        return Ok(html! {
            section #tindak-lanjut {
                (intro)
                p { "Belum ada rencana tindak lanjut yang diterima untuk tahun ini." }
            }
        });
    }
    let s = |c: &str| -> Result<Vec<Option<String>>> {
        Ok(df
            .column(c)?
            .cast(&DataType::String)?
            .str()?
            .iter()
            .map(|v| v.map(str::to_string))
            .collect())
    };
    let f = |c: &str| -> Result<Vec<Option<f64>>> {
        Ok(df
            .column(c)?
            .cast(&DataType::Float64)?
            .f64()?
            .iter()
            .collect())
    };
    let (nama, id, tahun, per, kode, unsur) = (
        s("unit_nama")?,
        s("unit_id")?,
        s("tahun")?,
        s("periode")?,
        s("kode")?,
        s("unsur")?,
    );
    let (program, waktu, pj, per_tl, status, ada) = (
        s("program")?,
        s("waktu")?,
        s("penanggung_jawab")?,
        s("periode_tindak_lanjut")?,
        s("status")?,
        s("unit_ada_rencana")?,
    );
    let (before, after) = (f("nrr_prioritas")?, f("nrr_tindak_lanjut")?);
    let tahun_tl = s("tahun_tindak_lanjut")?;
    let text = |v: &Option<String>| v.as_deref().unwrap_or_default().to_string();
    let unit = |i: usize| text(if nama[i].is_some() { &nama[i] } else { &id[i] });
    let mut without: Vec<String> = (0..df.height())
        .filter(|&i| ada[i].as_deref() == Some("false"))
        .map(unit)
        .collect();
    without.dedup();
    let next = |i: usize| match (&per_tl[i], &tahun_tl[i]) {
        (Some(p), Some(y)) => format!("{p} {y}"),
        _ => String::new(),
    };
    Ok(html! {
        section #tindak-lanjut {
            (intro)
            @if !without.is_empty() {
                h3 { "Unit tanpa rencana (" (super::numbers::bilangan(without.len() as i64)) ")" }
                p #tanpa-rencana { (without.join(", ")) }
            }
            table {
                tr {
                    th { "Unit" } th { "Prioritas" } th { "Unsur" } th { "NRR" } th { "Rencana" }
                    th { "Waktu" } th { "Penanggung jawab" } th { "Survei berikutnya" }
                    th { "NRR" } th { "Status" }
                }
                @for i in 0..df.height() {
                    tr {
                        td { (unit(i)) }
                        td { (text(&per[i])) " " (text(&tahun[i])) }
                        td { (text(&kode[i])) " " (text(&unsur[i])) }
                        td.n { (nrr(before[i])) }
                        td { (text(&program[i])) }
                        td { (text(&waktu[i])) }
                        td { (text(&pj[i])) }
                        td { (next(i)) }
                        td.n { (nrr(after[i])) }
                        td class={ "status " (text(&status[i])) } {
                            (status_words(status[i].as_deref().unwrap_or_default()))
                        }
                    }
                }
            }
        }
    })
}
