//! The HTML report, `report/skm_<tahun>.html`: one self-contained page in Bahasa Indonesia (no
//! network, no scripts), charts drawn as inline SVG with plotters.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Result};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use plotters::prelude::*;
use polars::prelude::*;

use crate::compute::Gold;
use crate::domain::{Mutu, UNSUR};

use super::numbers;
use super::unit_model::words;

fn grade_color(v: f64) -> RGBColor {
    match Mutu::of_ikm(v) {
        Some(Mutu::A) => RGBColor(46, 139, 87),
        Some(Mutu::B) => RGBColor(65, 105, 225),
        Some(Mutu::C) => RGBColor(230, 160, 30),
        _ => RGBColor(200, 50, 50),
    }
}

/// A bar chart as an SVG string. `scale` multiplies values before grading (25 for NRR).
fn bars(
    title: &str,
    labels: &[String],
    values: &[f64],
    range: (f64, f64),
    horizontal: bool,
    scale: f64,
) -> Result<Markup> {
    let chart = Bars {
        title,
        labels,
        values,
        range,
        horizontal,
        scale,
        n: labels.len().max(1),
    };
    let (w, h) = if horizontal {
        (900u32, (60 + 16 * chart.n) as u32)
    } else {
        (900u32, 420u32)
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        if horizontal {
            chart.draw_horizontal(&root)?;
        } else {
            chart.draw_vertical(&root)?;
        }
        root.present().map_err(plot_error)?;
    }
    Ok(super::city_sections::figure(title, &svg))
}

/// The NRR of the unsur as a chart: the scale is 1 to 4, graded as IKM (×25).
fn nrr_bars(title: &str, labels: &[String], values: &[f64]) -> Result<Markup> {
    bars(title, labels, values, (1.0, 4.0), false, 25.0)
}

/// IKM side by side, a bar per line, from 50 to 100.
fn ikm_ranking_bars(title: &str, labels: &[String], values: &[f64]) -> Result<Markup> {
    bars(title, labels, values, (50.0, 100.0), true, 1.0)
}

fn plot_error<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("{e:?}")
}

/// What `bars` draws.
struct Bars<'a> {
    title: &'a str,
    labels: &'a [String],
    values: &'a [f64],
    range: (f64, f64),
    horizontal: bool,
    scale: f64,
    /// Bars, at least one.
    n: usize,
}

type Root<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

impl Bars<'_> {
    /// The segment of the `i`-th bar: horizontal charts list the first item at the top.
    fn pos(&self, i: usize) -> i32 {
        if self.horizontal {
            (self.n - 1 - i) as i32
        } else {
            i as i32
        }
    }

    /// The label under (or beside) a segment.
    fn label(&self, s: &SegmentValue<i32>) -> String {
        match s {
            SegmentValue::CenterOf(p) | SegmentValue::Exact(p) => {
                let i = if self.horizontal {
                    self.n as i32 - 1 - p
                } else {
                    *p
                };
                if i >= 0 {
                    self.labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            }
            _ => String::new(),
        }
    }

    /// Room for the longest label (11 px sans-serif, about 6.5 px a character).
    fn label_width(&self) -> u32 {
        let longest = self
            .labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0);
        (longest as f64 * 6.5 + 24.0).clamp(80.0, 440.0) as u32
    }

    fn color(&self, v: f64) -> ShapeStyle {
        grade_color(v * self.scale).filled()
    }

    fn draw_horizontal(&self, root: &Root<'_>) -> Result<()> {
        let (range, last) = (self.range, self.n as i32 - 1);
        let label = |s: &SegmentValue<i32>| self.label(s);
        let mut chart = ChartBuilder::on(root)
            .caption(self.title, ("sans-serif", 18))
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(self.label_width())
            .build_cartesian_2d(range.0..range.1, (0..last).into_segmented())
            .map_err(plot_error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(self.n)
            .y_label_formatter(&label)
            .y_label_style(("sans-serif", 11))
            .draw()
            .map_err(plot_error)?;
        chart
            .draw_series(self.values.iter().enumerate().map(|(i, v)| {
                let mut r = Rectangle::new(
                    [
                        (range.0, SegmentValue::Exact(self.pos(i))),
                        (*v, SegmentValue::Exact(self.pos(i) + 1)),
                    ],
                    self.color(*v),
                );
                r.set_margin(2, 2, 0, 0);
                r
            }))
            .map_err(plot_error)?;
        Ok(())
    }

    fn draw_vertical(&self, root: &Root<'_>) -> Result<()> {
        let (range, last) = (self.range, self.n as i32 - 1);
        let label = |s: &SegmentValue<i32>| self.label(s);
        let mut chart = ChartBuilder::on(root)
            .caption(self.title, ("sans-serif", 18))
            .margin(8)
            .x_label_area_size(90)
            .y_label_area_size(50)
            .build_cartesian_2d((0..last).into_segmented(), range.0..range.1)
            .map_err(plot_error)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(self.n)
            .x_label_formatter(&label)
            .x_label_style(("sans-serif", 11))
            .draw()
            .map_err(plot_error)?;
        chart
            .draw_series(self.values.iter().enumerate().map(|(i, v)| {
                let mut r = Rectangle::new(
                    [
                        (SegmentValue::Exact(self.pos(i)), range.0),
                        (SegmentValue::Exact(self.pos(i) + 1), *v),
                    ],
                    self.color(*v),
                );
                r.set_margin(0, 0, 6, 6);
                r
            }))
            .map_err(plot_error)?;
        Ok(())
    }
}

fn strs(df: &DataFrame, c: &str) -> Vec<Option<String>> {
    df.column(c)
        .ok()
        .and_then(|c| {
            c.str()
                .ok()
                .map(|c| c.iter().map(|v| v.map(str::to_string)).collect())
        })
        .unwrap_or_default()
}

fn nums(df: &DataFrame, c: &str) -> Vec<Option<f64>> {
    df.column(c)
        .ok()
        .and_then(|c| c.cast(&DataType::Float64).ok())
        .and_then(|c| c.f64().ok().map(|c| c.iter().collect()))
        .unwrap_or_default()
}

/// The numbers of a column, a missing value as 0.
fn nums_or_zero(df: &DataFrame, c: &str) -> Vec<f64> {
    nums(df, c).into_iter().map(|v| v.unwrap_or(0.0)).collect()
}

fn bools(df: &DataFrame, c: &str) -> Vec<bool> {
    df.column(c)
        .ok()
        .and_then(|c| {
            c.bool()
                .ok()
                .map(|c| c.iter().map(|v| v.unwrap_or(false)).collect())
        })
        .unwrap_or_else(|| vec![false; df.height()])
}

fn filter(df: &DataFrame, e: Expr) -> PolarsResult<DataFrame> {
    df.clone().lazy().filter(e).collect()
}

/// Writes `report/skm_<tahun>.html` for every year with a city figure.
pub fn write_reports(
    gold: &Gold,
    rejects: &BTreeMap<String, usize>,
    duplikat: &BTreeMap<String, usize>,
    out: &Path,
) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for t in super::city_workbook::years(gold) {
        let html = page(gold, rejects, duplikat, t)?;
        let path = out.join("report").join(format!("skm_{t}.html"));
        std::fs::create_dir_all(path.parent().expect("parent"))?;
        std::fs::write(&path, html)?;
        written.push(path);
    }
    Ok(written)
}

/// What every section of a year's page reads: the gold tables and the filters for the year.
struct Year<'a> {
    gold: &'a Gold,
    /// Rows of the page's year.
    year: Expr,
    /// Rows of the whole year (`periode` TAHUN), not of a quarter or semester.
    tahun: Expr,
}

impl Year<'_> {
    /// The rows of `table` for the whole of the page's year.
    fn whole_year(&self, table: &DataFrame) -> PolarsResult<DataFrame> {
        filter(table, self.year.clone().and(self.tahun.clone()))
    }
}

fn page(
    gold: &Gold,
    rejects: &BTreeMap<String, usize>,
    duplikat: &BTreeMap<String, usize>,
    t: i32,
) -> Result<String> {
    let y = Year {
        gold,
        year: col("tahun").eq(lit(t)),
        tahun: col("periode").eq(lit("TAHUN")),
    };
    let sections = [
        late(&gold.late, t),
        city(&y)?,
        trend(&y)?,
        city_unsur(&y)?,
        ranking(&y)?,
        unit_changes(&y)?,
        kecamatan(&y)?,
        priorities(&y)?,
        super::tindak_lanjut::html_section(&gold.tindak_lanjut, t)?,
        data_quality(&gold.audit, rejects, duplikat),
        units(&y)?,
        super::city_sections::heat_units(gold, t)?,
        super::city_sections::heat_kecamatan(gold, t)?,
        super::city_sections::trend_units(gold, t)?,
    ];
    let page = html! {
        (DOCTYPE)
        html lang="id" {
            head {
                meta charset="utf-8";
                title { "Laporan SKM " (t) }
                style { (PreEscaped(STYLE)) }
                style { (PreEscaped(super::city_sections::CSS)) }
            }
            body {
                h1 { "Survei Kepuasan Masyarakat Kota Bekasi " (t) }
                @for s in sections { (s) }
                footer {
                    p {
                        "Dibuat oleh skm dari berkas kiriman unit; angka dihitung ulang, tidak \
                         disalin. Pembulatan setengah ke atas hanya untuk tampilan."
                    }
                }
            }
        }
    };
    Ok(page.into_string() + "\n")
}

/// The page's style.
const STYLE: &str = "body{font-family:sans-serif;margin:24px;color:#222;max-width:1000px}h1{margin-bottom:4px}
.angka{font-size:56px;font-weight:bold}.mutu{font-size:24px}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}th{background:#eee}td.n{text-align:right}
section{margin:28px 0}.A{background:#c6efce}.B{background:#ddebf7}.C{background:#ffeb9c}.D{background:#ffc7ce}";

/// The units past a deadline of this year with nothing for the period, on the first screen
/// (only with `[tenggat]` in the configuration; nothing when none is late).
fn late(late: &[crate::compute::unit_terlambat::Late], t: i32) -> Markup {
    let rows: Vec<_> = late.iter().filter(|l| l.tahun == t).collect();
    if rows.is_empty() {
        return html! {};
    }
    html! {
        section #terlambat .peringatan {
            h2 {
                "Belum mengirim data (" (numbers::bilangan(rows.len() as i64))
                " unit-periode lewat tenggat)"
            }
            table {
                tr { th { "Unit" } th { "Periode" } th { "Tenggat" } th { "Hari terlambat" } }
                @for l in rows {
                    tr {
                        td { (l.unit_nama) }
                        td { (l.periode.code()) }
                        td { (l.tenggat.format("%d-%m-%Y")) }
                        td.n { (numbers::bilangan(i64::from(l.hari_terlambat))) }
                    }
                }
            }
        }
    }
}

/// The city's IKM, its grade, how it was made up and the change from last year.
fn city(y: &Year) -> Result<Markup> {
    let kota = y.whole_year(&y.gold.ikm_kota)?;
    let first = |c: &str| nums(&kota, c).first().copied().flatten();
    let n = |c: &str| numbers::bilangan(first(c).unwrap_or(0.0) as i64);
    let unit = |c: &str| {
        strs(&kota, c)
            .first()
            .cloned()
            .flatten()
            .unwrap_or_default()
    };
    let ikm = |c: &str| numbers::ikm(first(c).unwrap_or(0.0));
    let city = first("ikm");
    let mutu = city.and_then(Mutu::of_ikm);
    let nyata = bools_opt(&kota, "selisih_tahun_lalu_nyata")
        .first()
        .copied()
        .flatten();
    Ok(html! {
        section #kota {
            h2 { "IKM Kota" }
            div.angka #ikm-kota { (city.map(numbers::ikm).unwrap_or_else(|| "-".into())) }
            div.mutu {
                "Mutu " (mutu.map(Mutu::letter).unwrap_or("-"))
                " (" (mutu.map(Mutu::kinerja).unwrap_or("-")) ")"
            }
            p {
                "Rata-rata IKM " (n("n_unit")) " unit pelayanan (" (n("n_unit_responden"))
                " dihitung dari responden, " (n("n_unit_rekap")) " dari rekap). Mutu A: "
                (n("n_a")) ", B: " (n("n_b")) ", C: " (n("n_c")) ", D: " (n("n_d"))
                ". Tertinggi: " (unit("unit_tertinggi")) " (" (ikm("ikm_tertinggi"))
                "); terendah: " (unit("unit_terendah")) " (" (ikm("ikm_terendah"))
                "). Unit tanpa nilai: " (n("n_unit_tidak_lapor")) "."
            }
            @if let Some(se) = first("ikm_se") {
                p #galat-kota {
                    "Margin galat 95%: " (numbers::galat(se)) ", dari galat "
                    (n("n_unit_responden")) " unit yang dihitung dari responden; nilai "
                    (n("n_unit_rekap"))
                    " unit dari rekap tidak membawa galat dan dianggap pasti."
                }
            }
            @if let Some(c) = first("selisih_tahun_lalu") {
                p #perubahan-kota {
                    "Perubahan dari tahun lalu: " (numbers::selisih(c)) " poin, "
                    (words::verdict(nyata)) "."
                }
            }
        }
    })
}

/// A boolean column, nulls kept.
fn bools_opt(df: &DataFrame, c: &str) -> Vec<Option<bool>> {
    df.column(c)
        .ok()
        .and_then(|c| c.bool().ok().map(|c| c.iter().collect()))
        .unwrap_or_default()
}

/// Every unit's change from last year (its counted yearly figures), and whether it is beyond
/// noise (docs/DOMAIN.md §1.12).
fn unit_changes(y: &Year) -> Result<Markup> {
    let units = y
        .whole_year(&y.gold.ikm_unit)?
        .lazy()
        .filter(col("selisih_sebelum").is_not_null())
        .sort(["unit_nama"], SortMultipleOptions::default())
        .collect()?;
    if units.height() == 0 {
        return Ok(html! {});
    }
    let (names, v, d) = (
        strs(&units, "unit_nama"),
        nums(&units, "ikm"),
        nums(&units, "selisih_sebelum"),
    );
    let nyata = bools_opt(&units, "selisih_sebelum_nyata");
    let n = |b: Option<bool>, up: bool| {
        (0..units.height())
            .filter(|&i| nyata[i] == b && (b.is_none() || (d[i].unwrap_or(0.0) > 0.0) == up))
            .count() as i64
    };
    let count = |b: Option<bool>, up: bool| numbers::bilangan(n(b, up));
    let within = numbers::bilangan(n(Some(false), true) + n(Some(false), false));
    Ok(html! {
        section #perubahan-unit {
            h2 { "Perubahan IKM unit dari tahun lalu" }
            p {
                "Naik nyata: " (count(Some(true), true)) "; turun nyata: "
                (count(Some(true), false)) "; dalam batas galat: " (within)
                "; tidak dapat diuji (nilai tanpa margin galat, dari rekap): "
                (count(None, true)) "."
            }
            table {
                tr { th { "Unit" } th { "IKM" } th { "Perubahan (poin)" } th { "Keterangan" } }
                @for i in 0..units.height() {
                    tr data-nyata=(nyata[i].map_or("", |b| if b { "ya" } else { "tidak" })) {
                        td { (names[i].as_deref().unwrap_or_default()) }
                        td.n { (v[i].map(numbers::ikm).unwrap_or_default()) }
                        td.n { (d[i].map(numbers::selisih).unwrap_or_default()) }
                        td { (words::verdict(nyata[i])) }
                    }
                }
            }
        }
    })
}

/// The city's IKM in every year, not only the page's.
fn trend(y: &Year) -> Result<Markup> {
    let trend = filter(&y.gold.ikm_kota, y.tahun.clone())?;
    let ty: Vec<String> = nums(&trend, "tahun")
        .iter()
        .map(|v| format!("{}", v.unwrap_or(0.0) as i64))
        .collect();
    let tv = nums_or_zero(&trend, "ikm");
    let chart = bars("IKM Kota per tahun", &ty, &tv, (60.0, 100.0), false, 1.0)?;
    let kota = y.whole_year(&y.gold.ikm_kota)?;
    let change = nums(&kota, "selisih_tahun_lalu").first().copied().flatten();
    let nyata = bools_opt(&kota, "selisih_tahun_lalu_nyata")
        .first()
        .copied()
        .flatten();
    Ok(html! {
        section #tren {
            h2 { "Tren IKM Kota" }
            (chart)
            @if let Some(c) = change {
                p #tren-galat {
                    "Dari tahun lalu: " (numbers::selisih(c)) " poin, " (words::verdict(nyata)) "."
                }
            }
        }
    })
}

/// NRR per unsur city-wide (no section when there is none).
fn city_unsur(y: &Year) -> Result<Markup> {
    let pr = filter(
        &y.gold.prioritas,
        y.year
            .clone()
            .and(y.tahun.clone())
            .and(col("tingkat").eq(lit("kota"))),
    )?;
    let mut unsur: Vec<(String, f64)> = strs(&pr, "kode")
        .into_iter()
        .zip(nums(&pr, "nrr"))
        .filter_map(|(k, v)| Some((k?, v?)))
        .collect();
    unsur.sort_by(|a, b| a.0.cmp(&b.0));
    if unsur.is_empty() {
        return Ok(html! {});
    }
    let (kode, vals): (Vec<String>, Vec<f64>) = unsur.into_iter().unzip();
    let labels: Vec<String> = kode
        .iter()
        .map(|k| {
            UNSUR
                .iter()
                .find(|u| u.kode == k)
                .map(|u| format!("{k} {}", u.key))
                .unwrap_or_else(|| k.clone())
        })
        .collect();
    let chart = nrr_bars(
        "NRR per unsur, rata-rata unit yang punya data per unsur",
        &labels,
        &vals,
    )?;
    Ok(html! { section #unsur { h2 { "NRR per unsur (kota)" } (chart) } })
}

/// Every unit by its IKM, highest first.
fn ranking(y: &Year) -> Result<Markup> {
    let units = y.whole_year(&y.gold.ikm_unit)?.sort(
        ["ikm"],
        SortMultipleOptions::default()
            .with_order_descending(true)
            .with_nulls_last(true),
    )?;
    let (names, vals): (Vec<String>, Vec<f64>) = one_bar_per_unit(&units).into_iter().unzip();
    // The ranks a unit could hold within noise, where more than one (docs/DOMAIN.md §1.12).
    let ranges: std::collections::HashMap<String, (i64, i64)> = {
        let (n, lo, hi) = (
            strs(&units, "unit_nama"),
            nums(&units, "peringkat_min"),
            nums(&units, "peringkat_maks"),
        );
        (0..units.height())
            .filter_map(|i| Some((n[i].clone()?, (lo[i]? as i64, hi[i]? as i64))))
            .filter(|(_, (lo, hi))| lo < hi)
            .collect()
    };
    let labels: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| match ranges.get(n) {
            Some((lo, hi)) => format!("{}. {} [{lo}–{hi}]", i + 1, n),
            None => format!("{}. {}", i + 1, n),
        })
        .collect();
    // In parts that each fit on a printed A4 page.
    const PART: usize = 35;
    let mut charts = Vec::new();
    for (k, (l, v)) in labels.chunks(PART).zip(vals.chunks(PART)).enumerate() {
        let title = format!(
            "IKM unit pelayanan, peringkat {}–{}",
            k * PART + 1,
            k * PART + l.len()
        );
        charts.push(ikm_ranking_bars(&title, l, v)?);
    }
    Ok(html! {
        section #peringkat {
            h2 { "Peringkat " (numbers::bilangan(names.len() as i64)) " unit pelayanan" }
            @for c in charts { (c) }
            @if !ranges.is_empty() {
                p.catatan {
                    "[a–b]: peringkat yang mungkin dalam batas galat 95%. Unit yang rentangnya \
                     bertumpuk tidak dapat dibedakan dengan data survei ini; nilai dari rekap \
                     dianggap pasti."
                }
            }
        }
    })
}

/// A unit's name and IKM once, in the order of `units`: its respondents' figure over a recap's.
fn one_bar_per_unit(units: &DataFrame) -> Vec<(String, f64)> {
    let (names, vals, srcs) = (
        strs(units, "unit_nama"),
        nums(units, "ikm"),
        strs(units, "sumber"),
    );
    let mut seen = std::collections::HashSet::new();
    let mut rank: Vec<(String, f64)> = Vec::new();
    for i in 0..units.height() {
        let name = names[i].clone().unwrap_or_default();
        let Some(v) = vals[i] else { continue };
        if srcs[i].as_deref() == Some("rekap")
            && names
                .iter()
                .zip(&srcs)
                .any(|(n, s)| n.as_deref() == Some(&name) && s.as_deref() == Some("responden"))
        {
            continue;
        }
        if seen.insert(name.clone()) {
            rank.push((name, v));
        }
    }
    rank
}

/// The kecamatan offices compared: a chart and a table.
fn kecamatan(y: &Year) -> Result<Markup> {
    let kec = filter(&y.gold.kecamatan, y.year.clone())?;
    let kl: Vec<String> = strs(&kec, "kecamatan")
        .into_iter()
        .map(|v| v.unwrap_or_default())
        .collect();
    let kv = nums_or_zero(&kec, "ikm");
    let chart = ikm_ranking_bars("IKM kantor kecamatan", &kl, &kv)?;
    let (kr, ks, kn, kt) = (
        nums(&kec, "peringkat"),
        nums(&kec, "selisih_kota"),
        nums(&kec, "n_unit_lokasi"),
        strs(&kec, "unit_terendah_lokasi"),
    );
    let count = |v: Option<f64>| v.map(|v| numbers::bilangan(v as i64));
    Ok(html! {
        section #kecamatan {
            h2 { "Perbandingan kecamatan" }
            (chart)
            table {
                tr {
                    th { "Peringkat" } th { "Kecamatan" } th { "IKM" } th { "Selisih dari kota" }
                    th { "Unit lain di wilayahnya" } th { "Terendah" }
                }
                @for i in 0..kec.height() {
                    tr {
                        td.n { (count(kr[i]).unwrap_or_default()) }
                        td { (kl[i]) }
                        td.n { (if kv[i] > 0.0 { numbers::ikm(kv[i]) } else { "-".into() }) }
                        td.n { (ks[i].map(numbers::ikm).unwrap_or_default()) }
                        td.n { (count(kn[i]).unwrap_or_else(|| "0".into())) }
                        td { (kt[i].as_deref().unwrap_or_default()) }
                    }
                }
            }
        }
    })
}

/// The lowest unsur of every unit.
fn priorities(y: &Year) -> Result<Markup> {
    let low = filter(
        &y.gold.prioritas,
        y.year
            .clone()
            .and(col("tingkat").eq(lit("unit")))
            .and(col("prioritas"))
            .and(y.tahun.clone()),
    )?;
    let names = super::city_sections::unit_names(y.gold);
    let (lu, lp, lk, ln, ls) = (
        strs(&low, "unit_id"),
        nums(&low, "peringkat"),
        strs(&low, "unsur"),
        nums(&low, "nrr"),
        bools(&low, "seri"),
    );
    let unit = |i: usize| {
        lu[i]
            .as_deref()
            .map(|u| names.get(u).map_or(u, |n| n.as_str()))
            .unwrap_or_default()
    };
    Ok(html! {
        section #prioritas {
            h2 { "Unsur terendah per unit (prioritas perbaikan)" }
            table {
                tr { th { "Unit" } th { "Peringkat" } th { "Unsur" } th { "NRR" } th { "Seri" } }
                @for i in 0..low.height() {
                    tr {
                        td { (unit(i)) }
                        td.n { (numbers::bilangan(lp[i].unwrap_or(0.0) as i64)) }
                        td { (lk[i].as_deref().unwrap_or_default()) }
                        td.n { (ln[i].map(numbers::nrr).unwrap_or_default()) }
                        td { (if ls[i] { "ya" } else { "" }) }
                    }
                }
            }
        }
    })
}

/// Stated figures that differ from their recomputation, rejects, and copies of responses
/// counted elsewhere (`duplikat`, its rows by kind); rejects by code.
fn data_quality(
    audit: &DataFrame,
    rejects: &BTreeMap<String, usize>,
    duplikat: &BTreeMap<String, usize>,
) -> Markup {
    html! {
        section #kualitas {
            h2 { "Kualitas data" }
            h3 { "Angka tertulis yang tidak sesuai hitungan ulang" }
            (count_table("Yang diperiksa", &count_rows(audit, "apa")))
            h3 { "Baris dan berkas yang ditolak" }
            (count_table("Alasan", rejects))
            h3 { "Jawaban yang terkirim lebih dari sekali (dihitung sekali)" }
            (count_table("Jenis", duplikat))
        }
    }
}

/// How often each value of column `c` occurs (missing values not counted).
fn count_rows(df: &DataFrame, c: &str) -> BTreeMap<String, usize> {
    let mut by: BTreeMap<String, usize> = Default::default();
    for v in strs(df, c).into_iter().flatten() {
        *by.entry(v).or_default() += 1;
    }
    by
}

/// A table of values (headed `what`), in order, with their counts.
fn count_table(what: &str, by: &BTreeMap<String, usize>) -> Markup {
    html! {
        table {
            tr { th { (what) } th { "Jumlah" } }
            @for (k, v) in by {
                tr { td { (k) } td.n { (numbers::bilangan(*v as i64)) } }
            }
        }
    }
}

/// A part per unit with NRR for all nine unsur: its unsur chart.
fn units(y: &Year) -> Result<Markup> {
    let nrr = y.whole_year(&y.gold.nrr_unsur)?;
    let ids = strs(&nrr, "unit_id");
    let mut order: Vec<String> = ids.iter().flatten().cloned().collect();
    order.dedup();
    let names = super::city_sections::unit_names(y.gold);
    let mut parts = Vec::new();
    for (k, u) in order.into_iter().enumerate() {
        let name = names.get(&u).cloned().unwrap_or_else(|| u.clone());
        let picked = unit_nrr(&nrr, &ids, &u);
        if picked.len() != 9 {
            continue;
        }
        let (labels, vals): (Vec<String>, Vec<f64>) = picked.into_iter().unzip();
        let chart = nrr_bars(&format!("NRR {name}"), &labels, &vals)?;
        parts.push(html! { div.unit id={ "unit-" (k + 1) } { h3 { (name) } (chart) } });
    }
    Ok(html! { section #unit { h2 { "Per unit" } @for p in parts { (p) } } })
}

/// A unit's NRR per unsur: from its respondents when it has any, else from its recaps.
fn unit_nrr(nrr: &DataFrame, ids: &[Option<String>], unit: &str) -> Vec<(String, f64)> {
    let (kode, v, src) = (strs(nrr, "kode"), nums(nrr, "nrr"), strs(nrr, "sumber"));
    let rows: Vec<usize> = (0..nrr.height())
        .filter(|&i| ids[i].as_deref() == Some(unit))
        .collect();
    let prefer_resp = rows.iter().any(|&i| src[i].as_deref() == Some("responden"));
    rows.iter()
        .filter(|&&i| !prefer_resp || src[i].as_deref() == Some("responden"))
        .filter_map(|&i| Some((kode[i].clone()?, v[i]?)))
        .collect()
}
