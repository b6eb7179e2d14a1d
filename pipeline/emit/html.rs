//! The HTML report, `report/skm_<tahun>.html`: one self-contained page in Bahasa Indonesia (no
//! network, no scripts), charts drawn as inline SVG with plotters.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Result};
use plotters::prelude::*;
use polars::prelude::*;

use crate::compute::Gold;
use crate::domain::{round_half_up, Mutu, UNSUR};

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
) -> Result<String> {
    let n = labels.len().max(1);
    let (w, h) = if horizontal {
        (900u32, (60 + 16 * n) as u32)
    } else {
        (900u32, 420u32)
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow!("{e:?}"))?;
        // Horizontal charts list the first item at the top.
        let pos = |i: usize| {
            if horizontal {
                (n - 1 - i) as i32
            } else {
                i as i32
            }
        };
        let fmt_label = |s: &SegmentValue<i32>| match s {
            SegmentValue::CenterOf(p) | SegmentValue::Exact(p) => {
                let i = if horizontal { n as i32 - 1 - p } else { *p };
                if i >= 0 {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            }
            _ => String::new(),
        };
        let last = n as i32 - 1;
        if horizontal {
            let mut chart = ChartBuilder::on(&root)
                .caption(title, ("sans-serif", 18))
                .margin(8)
                .x_label_area_size(24)
                .y_label_area_size(330)
                .build_cartesian_2d(range.0..range.1, (0..last).into_segmented())
                .map_err(|e| anyhow!("{e:?}"))?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(n)
                .y_label_formatter(&fmt_label)
                .y_label_style(("sans-serif", 11))
                .draw()
                .map_err(|e| anyhow!("{e:?}"))?;
            chart
                .draw_series(values.iter().enumerate().map(|(i, v)| {
                    let mut r = Rectangle::new(
                        [
                            (range.0, SegmentValue::Exact(pos(i))),
                            (*v, SegmentValue::Exact(pos(i) + 1)),
                        ],
                        grade_color(v * scale).filled(),
                    );
                    r.set_margin(2, 2, 0, 0);
                    r
                }))
                .map_err(|e| anyhow!("{e:?}"))?;
        } else {
            let mut chart = ChartBuilder::on(&root)
                .caption(title, ("sans-serif", 18))
                .margin(8)
                .x_label_area_size(90)
                .y_label_area_size(50)
                .build_cartesian_2d((0..last).into_segmented(), range.0..range.1)
                .map_err(|e| anyhow!("{e:?}"))?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(n)
                .x_label_formatter(&fmt_label)
                .x_label_style(("sans-serif", 11))
                .draw()
                .map_err(|e| anyhow!("{e:?}"))?;
            chart
                .draw_series(values.iter().enumerate().map(|(i, v)| {
                    let mut r = Rectangle::new(
                        [
                            (SegmentValue::Exact(pos(i)), range.0),
                            (SegmentValue::Exact(pos(i) + 1), *v),
                        ],
                        grade_color(v * scale).filled(),
                    );
                    r.set_margin(0, 0, 6, 6);
                    r
                }))
                .map_err(|e| anyhow!("{e:?}"))?;
        }
        root.present().map_err(|e| anyhow!("{e:?}"))?;
    }
    Ok(svg)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn id(n: f64) -> String {
    // Indonesian decimals: 88,16
    format!("{:.2}", round_half_up(n, 2).unwrap_or(n)).replace('.', ",")
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
pub fn write_reports(gold: &Gold, rejects: &DataFrame, out: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for t in super::report::years(gold) {
        let html = page(gold, rejects, t)?;
        let path = out.join("report").join(format!("skm_{t}.html"));
        std::fs::create_dir_all(path.parent().expect("parent"))?;
        std::fs::write(&path, html)?;
        written.push(path);
    }
    Ok(written)
}

fn page(gold: &Gold, rejects: &DataFrame, t: i32) -> Result<String> {
    let year = col("tahun").eq(lit(t));
    let tahun = col("periode").eq(lit("TAHUN"));
    let kota = filter(&gold.ikm_kota, year.clone().and(tahun.clone()))?;
    let mut h = String::new();
    let city = nums(&kota, "ikm").first().copied().flatten();
    let mutu = city.and_then(Mutu::of_ikm);
    write!(
        h,
        r#"<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Laporan SKM {t}</title>
<style>body{{font-family:sans-serif;margin:24px;color:#222;max-width:1000px}}h1{{margin-bottom:4px}}
.angka{{font-size:56px;font-weight:bold}}.mutu{{font-size:24px}}table{{border-collapse:collapse;margin:8px 0}}
td,th{{border:1px solid #ccc;padding:3px 8px;font-size:13px}}th{{background:#eee}}td.n{{text-align:right}}
section{{margin:28px 0}}.A{{background:#c6efce}}.B{{background:#ddebf7}}.C{{background:#ffeb9c}}.D{{background:#ffc7ce}}</style></head><body>
<h1>Survei Kepuasan Masyarakat Kota Bekasi {t}</h1>
<section id="kota"><h2>IKM Kota</h2><div class="angka" id="ikm-kota">{}</div><div class="mutu">Mutu {} ({})</div>"#,
        city.map(id).unwrap_or_else(|| "-".into()),
        mutu.map(Mutu::letter).unwrap_or("-"),
        mutu.map(Mutu::kinerja).unwrap_or("-"),
    )?;
    let n = |c: &str| nums(&kota, c).first().copied().flatten().unwrap_or(0.0);
    write!(
        h,
        "<p>Rata-rata IKM {} unit pelayanan ({} dihitung dari responden, {} dari rekap). Mutu A: {}, B: {}, C: {}, D: {}. Tertinggi: {} ({}); terendah: {} ({}). Unit tanpa nilai: {}.</p>",
        n("n_unit"),
        n("n_unit_responden"),
        n("n_unit_rekap"),
        n("n_a"),
        n("n_b"),
        n("n_c"),
        n("n_d"),
        esc(&strs(&kota, "unit_tertinggi").first().cloned().flatten().unwrap_or_default()),
        id(n("ikm_tertinggi")),
        esc(&strs(&kota, "unit_terendah").first().cloned().flatten().unwrap_or_default()),
        id(n("ikm_terendah")),
        n("n_unit_tidak_lapor"),
    )?;
    // Trend against previous years.
    let trend = filter(&gold.ikm_kota, tahun.clone())?;
    let ty: Vec<String> = nums(&trend, "tahun")
        .iter()
        .map(|v| format!("{}", v.unwrap_or(0.0) as i64))
        .collect();
    let tv: Vec<f64> = nums(&trend, "ikm")
        .iter()
        .map(|v| v.unwrap_or(0.0))
        .collect();
    if let Some(c) = nums(&kota, "selisih_tahun_lalu").first().copied().flatten() {
        write!(
            h,
            "<p>Perubahan dari tahun lalu: {}{} poin.</p>",
            if c >= 0.0 { "+" } else { "" },
            id(c)
        )?;
    }
    h.push_str("</section>");
    write!(
        h,
        "<section id=\"tren\"><h2>Tren IKM Kota</h2>{}</section>",
        bars("IKM Kota per tahun", &ty, &tv, (60.0, 100.0), false, 1.0)?
    )?;

    // NRR per unsur city-wide.
    let pr = filter(
        &gold.prioritas,
        year.clone()
            .and(tahun.clone())
            .and(col("tingkat").eq(lit("kota"))),
    )?;
    let mut unsur: Vec<(String, f64)> = strs(&pr, "kode")
        .into_iter()
        .zip(nums(&pr, "nrr"))
        .filter_map(|(k, v)| Some((k?, v?)))
        .collect();
    unsur.sort_by(|a, b| a.0.cmp(&b.0));
    if !unsur.is_empty() {
        let labels: Vec<String> = unsur
            .iter()
            .map(|(k, _)| {
                UNSUR
                    .iter()
                    .find(|u| u.kode == k)
                    .map(|u| format!("{k} {}", u.key))
                    .unwrap_or_else(|| k.clone())
            })
            .collect();
        let vals: Vec<f64> = unsur.iter().map(|(_, v)| *v).collect();
        write!(
            h,
            "<section id=\"unsur\"><h2>NRR per unsur (kota)</h2>{}</section>",
            bars(
                "NRR per unsur, rata-rata unit yang punya data per unsur",
                &labels,
                &vals,
                (1.0, 4.0),
                false,
                25.0
            )?
        )?;
    }

    // Ranking of all units.
    let units = filter(&gold.ikm_unit, year.clone().and(tahun.clone()))?.sort(
        ["ikm"],
        SortMultipleOptions::default()
            .with_order_descending(true)
            .with_nulls_last(true),
    )?;
    let (names, vals, srcs) = (
        strs(&units, "unit_nama"),
        nums(&units, "ikm"),
        strs(&units, "sumber"),
    );
    let mut seen = std::collections::HashSet::new();
    let mut rank: Vec<(String, f64)> = Vec::new();
    for i in 0..units.height() {
        // One bar per unit: respondents over a recap.
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
    let labels: Vec<String> = rank
        .iter()
        .enumerate()
        .map(|(i, (n, _))| format!("{}. {}", i + 1, n))
        .collect();
    let rv: Vec<f64> = rank.iter().map(|(_, v)| *v).collect();
    write!(
        h,
        "<section id=\"peringkat\"><h2>Peringkat {} unit pelayanan</h2>{}</section>",
        rank.len(),
        bars("IKM unit pelayanan", &labels, &rv, (50.0, 100.0), true, 1.0)?
    )?;

    // Kecamatan.
    let kec = filter(&gold.kecamatan, year.clone())?;
    let kl: Vec<String> = strs(&kec, "kecamatan")
        .into_iter()
        .map(|v| v.unwrap_or_default())
        .collect();
    let kv: Vec<f64> = nums(&kec, "ikm")
        .into_iter()
        .map(|v| v.unwrap_or(0.0))
        .collect();
    write!(
        h,
        "<section id=\"kecamatan\"><h2>Perbandingan kecamatan</h2>{}",
        bars("IKM kantor kecamatan", &kl, &kv, (50.0, 100.0), true, 1.0)?
    )?;
    h.push_str("<table><tr><th>Peringkat</th><th>Kecamatan</th><th>IKM</th><th>Selisih dari kota</th><th>Unit lain di wilayahnya</th><th>Terendah</th></tr>");
    let (kr, ks, kn, kt) = (
        nums(&kec, "peringkat"),
        nums(&kec, "selisih_kota"),
        nums(&kec, "n_unit_lokasi"),
        strs(&kec, "unit_terendah_lokasi"),
    );
    for i in 0..kec.height() {
        write!(
            h,
            "<tr><td class=n>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td>{}</td></tr>",
            kr[i].map(|v| (v as i64).to_string()).unwrap_or_default(),
            esc(&kl[i]),
            if kv[i] > 0.0 { id(kv[i]) } else { "-".into() },
            ks[i].map(id).unwrap_or_default(),
            kn[i].unwrap_or(0.0),
            esc(&kt[i].clone().unwrap_or_default()),
        )?;
    }
    h.push_str("</table></section>");

    // The lowest unsur with their units.
    let low = filter(
        &gold.prioritas,
        year.clone()
            .and(col("tingkat").eq(lit("unit")))
            .and(col("prioritas"))
            .and(tahun.clone()),
    )?;
    h.push_str("<section id=\"prioritas\"><h2>Unsur terendah per unit (prioritas perbaikan)</h2><table><tr><th>Unit</th><th>Peringkat</th><th>Unsur</th><th>NRR</th><th>Seri</th></tr>");
    let (lu, lp, lk, ln, ls) = (
        strs(&low, "unit_id"),
        nums(&low, "peringkat"),
        strs(&low, "unsur"),
        nums(&low, "nrr"),
        bools(&low, "seri"),
    );
    for i in 0..low.height() {
        write!(
            h,
            "<tr><td>{}</td><td class=n>{}</td><td>{}</td><td class=n>{}</td><td>{}</td></tr>",
            esc(&lu[i].clone().unwrap_or_default()),
            lp[i].unwrap_or(0.0),
            esc(&lk[i].clone().unwrap_or_default()),
            ln[i]
                .map(|v| format!("{v:.3}").replace('.', ","))
                .unwrap_or_default(),
            if ls[i] { "ya" } else { "" }
        )?;
    }
    h.push_str("</table></section>");

    // Data quality.
    h.push_str("<section id=\"kualitas\"><h2>Kualitas data</h2><h3>Angka tertulis yang tidak sesuai hitungan ulang</h3><table><tr><th>Yang diperiksa</th><th>Jumlah</th></tr>");
    let mut by: std::collections::BTreeMap<String, usize> = Default::default();
    for a in strs(&gold.audit, "apa").into_iter().flatten() {
        *by.entry(a).or_default() += 1;
    }
    for (k, v) in &by {
        write!(h, "<tr><td>{}</td><td class=n>{v}</td></tr>", esc(k))?;
    }
    h.push_str("</table><h3>Baris dan berkas yang ditolak</h3><table><tr><th>Alasan</th><th>Jumlah</th></tr>");
    let mut rj: std::collections::BTreeMap<String, usize> = Default::default();
    for k in strs(rejects, "kode").into_iter().flatten() {
        *rj.entry(k).or_default() += 1;
    }
    for (k, v) in &rj {
        write!(h, "<tr><td>{}</td><td class=n>{v}</td></tr>", esc(k))?;
    }
    h.push_str("</table></section>");

    // A section per unit with NRR: its unsur chart.
    let nrr = filter(&gold.nrr_unsur, year.and(tahun))?;
    let ids = strs(&nrr, "unit_id");
    let mut order: Vec<String> = ids.iter().flatten().cloned().collect();
    order.dedup();
    h.push_str("<section id=\"unit\"><h2>Per unit</h2>");
    for u in order {
        let rows: Vec<usize> = (0..nrr.height())
            .filter(|&i| ids[i].as_deref() == Some(u.as_str()))
            .collect();
        let prefer_resp = rows
            .iter()
            .any(|&i| strs(&nrr, "sumber")[i].as_deref() == Some("responden"));
        let (kode, v, src) = (strs(&nrr, "kode"), nums(&nrr, "nrr"), strs(&nrr, "sumber"));
        let picked: Vec<(String, f64)> = rows
            .iter()
            .filter(|&&i| !prefer_resp || src[i].as_deref() == Some("responden"))
            .filter_map(|&i| Some((kode[i].clone()?, v[i]?)))
            .collect();
        if picked.len() != 9 {
            continue;
        }
        let labels: Vec<String> = picked.iter().map(|(k, _)| k.clone()).collect();
        let vals: Vec<f64> = picked.iter().map(|(_, v)| *v).collect();
        write!(
            h,
            "<div class=\"unit\" id=\"unit-{}\"><h3>{}</h3>{}</div>",
            esc(&u),
            esc(&u),
            bars(&format!("NRR {u}"), &labels, &vals, (1.0, 4.0), false, 25.0)?
        )?;
    }
    h.push_str("</section><footer><p>Dibuat oleh skm dari berkas kiriman unit; angka dihitung ulang, tidak disalin. Pembulatan setengah ke atas hanya untuk tampilan.</p></footer></body></html>\n");
    Ok(h)
}
