//! What the yearly HTML report (`html.rs`) adds for an office that reads and prints it: a
//! figure frame with a caption and a colour legend around every chart, the unit × unsur and
//! kecamatan × unsur heat maps, the trend of every unit over the periods it has, unit names
//! in place of ids, and a print stylesheet for A4 that never cuts a chart across pages.

use maud::{html, Markup, PreEscaped};
use polars::prelude::*;
use std::collections::{BTreeSet, HashMap};

use crate::compute::Gold;
use crate::domain::{Mutu, Periode, UNSUR};

use super::numbers;
use super::unit_model::words;
use super::unit_report::Cols;

/// Styles added to the page: figures, legends, heat maps and the A4 print layout.
pub const CSS: &str = "svg{max-width:100%;height:auto}
figure.chart,figure.peta{margin:10px 0 18px;break-inside:avoid;page-break-inside:avoid}
.judul-gambar{font-weight:bold;font-size:13px;margin-bottom:4px}
.legenda{font-size:11px;margin-top:4px}.legenda span{display:inline-block;padding:1px 6px;margin:2px 6px 2px 0;border:1px solid #999}
.legenda .A,.peta .A{background:#c6efce}.legenda .B,.peta .B{background:#ddebf7}.legenda .C,.peta .C{background:#ffeb9c}.legenda .D,.peta .D{background:#ffc7ce}
.legenda i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
table.peta td{text-align:right;font-size:11px;padding:2px 5px}table.peta td.nama{text-align:left}
table.peta th{font-size:11px}
tr{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}
@page{size:A4;margin:12mm}
@media print{body{margin:0;max-width:none}h2,h3{break-after:avoid;page-break-after:avoid}section{margin:14px 0}
#peta-unit,#peta-kecamatan,div.unit{break-inside:avoid;page-break-inside:avoid}}";

/// The colours of the bars (`html::grade_color`) by grade, for the legend.
const BAR: [(&str, &str); 4] = [
    ("A", "rgb(46,139,87)"),
    ("B", "rgb(65,105,225)"),
    ("C", "rgb(230,160,30)"),
    ("D", "rgb(200,50,50)"),
];

/// A chart in its frame: a caption above ("Gambar: …") and the legend of its colours below.
/// `svg` is plotters' drawing, markup as it is.
pub fn figure(title: &str, svg: &str) -> Markup {
    html! {
        figure.chart {
            div.judul-gambar { "Gambar: " (title) }
            (PreEscaped(svg))
            figcaption.legenda {
                b { "Warna batang (mutu):" } " "
                @for ((m, k, range), (_, rgb)) in words::LEGENDA.iter().zip(BAR) {
                    span { i style={ "background:" (rgb) } {} (m) " " (k) ": " (range) }
                }
            }
        }
    }
}

/// The legend of a grid's cell colours, `what` saying what they grade.
fn cell_legend(what: &str) -> Markup {
    html! {
        b { "Warna sel (mutu " (what) "):" } " "
        @for (m, k, range) in words::LEGENDA {
            span class=(m) { (m) " " (k) ": " (range) }
        }
    }
}

/// Every unit's name by its id (gold `ikm_unit`), for tables that carry the id only.
pub fn unit_names(gold: &Gold) -> HashMap<String, String> {
    let c = Cols::read(&gold.ikm_unit, &["unit_id", "unit_nama"], &[], &[]);
    (0..gold.ikm_unit.height())
        .filter_map(|i| Some((c.text("unit_id", i)?, c.text("unit_nama", i)?)))
        .collect()
}

/// The grade class of an NRR (its IKM band), for a cell's colour.
fn nrr_class(v: Option<f64>) -> &'static str {
    v.and_then(Mutu::of_nrr).map(Mutu::letter).unwrap_or("")
}

/// The column heads of a heat map: U1 … U9 with their short names.
fn unsur_heads() -> Markup {
    html! {
        @for u in UNSUR.iter() {
            th title=(u.nama) { (u.kode) br; (u.key) }
        }
    }
}

/// NRR per unit × unsur for the year (the unit's figure from respondents where it has them,
/// else a recap's), one row per unit with all nine.
pub fn heat_units(gold: &Gold, tahun: i32) -> PolarsResult<Markup> {
    let df = whole_year(&gold.nrr_unsur, tahun)?;
    let c = Cols::read(
        &df,
        &["unit_id", "unsur", "sumber"],
        &["nrr_bulat", "nrr_bawah", "nrr_atas"],
        &[],
    );
    let mut by: HashMap<(String, String), HashMap<String, Cell>> = HashMap::new();
    for i in 0..df.height() {
        let (Some(u), Some(k), Some(s)) = (
            c.text("unit_id", i),
            c.text("unsur", i),
            c.text("sumber", i),
        ) else {
            continue;
        };
        by.entry((u, s)).or_default().insert(k, cell(&c, i));
    }
    let names = unit_names(gold);
    let mut rows: Vec<(String, [Cell; 9])> = Vec::new();
    let units: BTreeSet<&String> = by.keys().map(|(u, _)| u).collect();
    for u in units {
        let pick = by
            .get(&(u.clone(), "responden".into()))
            .or_else(|| by.get(&(u.clone(), "rekap".into())));
        let Some(m) = pick else { continue };
        let vals: [Cell; 9] =
            std::array::from_fn(|k| m.get(UNSUR[k].key).copied().unwrap_or((None, false)));
        if vals.iter().all(|v| v.0.is_some()) {
            rows.push((names.get(u).cloned().unwrap_or_else(|| u.clone()), vals));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let intro = if rows.is_empty() {
        "Tidak ada unit dengan NRR kesembilan unsur untuk tahun ini (semua nilai dari rekap IKM tanpa NRR per unsur).".to_string()
    } else {
        format!("Unit dengan NRR kesembilan unsur untuk tahun ini ({} unit); unit lain hanya punya IKM dari rekap, tanpa NRR per unsur.", rows.len())
    };
    Ok(heat_map(
        &HeatMap {
            section: "peta-unit",
            table: "heat-unit",
            title: &format!("Peta panas NRR per unit × unsur, {tahun}"),
            intro: &intro,
            caption: "Gambar: NRR per unit × unsur",
            first: "Unit",
        },
        &rows,
    ))
}

/// The rows of `df` for the whole of year `tahun` (`periode` TAHUN).
fn whole_year(df: &DataFrame, tahun: i32) -> PolarsResult<DataFrame> {
    let year = col("tahun").eq(lit(tahun));
    df.clone()
        .lazy()
        .filter(year.and(col("periode").eq(lit("TAHUN"))))
        .collect()
}

/// What a heat map says about itself: its section and table ids, title, the paragraph under
/// the title, its caption and the head of its first column.
struct HeatMap<'a> {
    section: &'a str,
    table: &'a str,
    title: &'a str,
    intro: &'a str,
    caption: &'a str,
    first: &'a str,
}

/// A heat map of NRR, a row per name and a column per unsur, coloured by grade, with its
/// legend; the section with its paragraph only when there are no rows. The one writer of both
/// heat maps.
fn heat_map(m: &HeatMap<'_>, rows: &[(String, [Cell; 9])]) -> Markup {
    let ragu = rows.iter().any(|(_, vals)| vals.iter().any(|v| v.1));
    html! {
        section id=(m.section) {
            h2 { (m.title) }
            p { (m.intro) }
            @if !rows.is_empty() {
                figure.peta {
                    div.judul-gambar { (m.caption) }
                    table.peta id=(m.table) {
                        thead { tr { th { (m.first) } (unsur_heads()) } }
                        @for (name, vals) in rows {
                            tr {
                                td.nama { (name) }
                                @for v in vals { (heat_cell(v)) }
                            }
                        }
                    }
                    figcaption.legenda { (cell_legend("NRR")) }
                    @if ragu {
                        p.catatan { (RAGU) }
                    }
                }
            }
        }
    }
}

/// A heat map cell: the NRR as printed and whether its interval spans two grades.
type Cell = (Option<f64>, bool);

/// Row `i` of a table with `nrr_bulat`, `nrr_bawah` and `nrr_atas` as a heat-map cell: within
/// noise of another grade when the ends of its 95% interval have different grades.
fn cell(c: &Cols, i: usize) -> Cell {
    let ends = (c.num("nrr_bawah", i), c.num("nrr_atas", i));
    let ragu = matches!(ends, (Some(lo), Some(hi)) if nrr_class(Some(lo)) != nrr_class(Some(hi)));
    (c.num("nrr_bulat", i), ragu)
}

fn heat_cell((v, ragu): &Cell) -> Markup {
    html! {
        td class={ (nrr_class(*v)) @if *ragu { " ragu" } } {
            (v.map(numbers::nrr).unwrap_or_default()) @if *ragu { "*" }
        }
    }
}

/// The note under a heat map with a cell marked `*`.
const RAGU: &str = "* Selang 95% NRR sel ini melintasi batas mutu: warnanya, dan bedanya dengan sel berwarna lain di dekat batas itu, masih dalam batas galat (docs/DOMAIN.md §1.12).";

/// NRR per kecamatan × unsur for the year (gold `kecamatan_unsur`: the raw data of the units
/// located there, pooled).
pub fn heat_kecamatan(gold: &Gold, tahun: i32) -> PolarsResult<Markup> {
    let df = whole_year(&gold.kecamatan_unsur, tahun)?;
    let c = Cols::read(
        &df,
        &["kecamatan", "unsur"],
        &["nrr_bulat", "nrr_bawah", "nrr_atas"],
        &[],
    );
    let mut by: std::collections::BTreeMap<String, HashMap<String, Cell>> = Default::default();
    for i in 0..df.height() {
        if let (Some(k), Some(u)) = (c.text("kecamatan", i), c.text("unsur", i)) {
            by.entry(k).or_default().insert(u, cell(&c, i));
        }
    }
    let rows: Vec<(String, [Cell; 9])> = by
        .into_iter()
        .map(|(kec, m)| {
            let vals =
                std::array::from_fn(|k| m.get(UNSUR[k].key).copied().unwrap_or((None, false)));
            (kec, vals)
        })
        .collect();
    let intro = if rows.is_empty() {
        "Tidak ada data mentah kuesioner dari unit yang berlokasi di kecamatan untuk tahun ini."
            .to_string()
    } else {
        format!("Responden semua unit yang berlokasi di kecamatan itu digabung ({} kecamatan dengan data mentah).", rows.len())
    };
    Ok(heat_map(
        &HeatMap {
            section: "peta-kecamatan",
            table: "heat-kecamatan",
            title: &format!("Peta panas NRR per kecamatan × unsur, {tahun}"),
            intro: &intro,
            caption: "Gambar: NRR per kecamatan × unsur",
            first: "Kecamatan",
        },
        &rows,
    ))
}

/// Every unit's IKM over the periods it has, up to the page's year: a row per unit, a column
/// per year and period that any unit has, coloured by mutu.
pub fn trend_units(gold: &Gold, tahun: i32) -> PolarsResult<Markup> {
    let df = gold
        .ikm_unit
        .clone()
        .lazy()
        .filter(col("tahun").lt_eq(lit(tahun)))
        .collect()?;
    let c = Cols::read(
        &df,
        &["unit_id", "unit_nama", "periode", "sumber", "mutu"],
        &["tahun", "ikm_bulat"],
        &[],
    );
    // (unit name) → (year, period order) → (value, mutu, from respondents)
    type Cell = (Option<f64>, String, bool);
    let mut by: HashMap<String, HashMap<(i32, u8), Cell>> = HashMap::new();
    let mut columns: BTreeSet<(i32, u8)> = BTreeSet::new();
    for i in 0..df.height() {
        let (Some(name), Some(p), Some(t)) = (
            c.text("unit_nama", i),
            c.text("periode", i).and_then(|p| Periode::from_code(&p)),
            c.num("tahun", i),
        ) else {
            continue;
        };
        let key = (t as i32, p.order());
        let resp = c.text("sumber", i).as_deref() == Some("responden");
        let cell = (
            c.num("ikm_bulat", i),
            c.text("mutu", i).unwrap_or_default(),
            resp,
        );
        let slot = by.entry(name).or_default();
        if resp || !slot.get(&key).is_some_and(|x| x.2) {
            slot.insert(key, cell);
        }
        columns.insert(key);
    }
    let period_of = |o: u8| Periode::ALL.into_iter().find(|p| p.order() == o);
    let mut names: Vec<&String> = by.keys().collect();
    names.sort();
    let head = |(t, o): &(i32, u8)| {
        html! { th { (t) br; (period_of(*o).map(numbers::periode_nama).unwrap_or("")) } }
    };
    Ok(html! {
        section #tren-unit {
            h2 { "Tren IKM per unit" }
            p {
                "IKM setiap unit pada setiap periode yang dimilikinya; dari responden bila unit \
                 mengirim kuesioner, selain itu dari rekap."
            }
            table.peta #trend-unit {
                thead { tr { th { "Unit" } @for k in &columns { (head(k)) } } }
                @for n in names {
                    tr {
                        td.nama { (n) }
                        @for k in &columns {
                            @match by[n].get(k) {
                                Some((v, m, _)) => td class=(m) {
                                    (v.map(numbers::ikm).unwrap_or_else(|| "-".into()))
                                },
                                None => td {},
                            }
                        }
                    }
                }
            }
            div.legenda { (cell_legend("IKM")) }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_name_stays_text_and_the_chart_stays_markup() {
        let f = figure("<b>\"Kec.\" & Co</b>", "<svg><rect/></svg>").into_string();
        assert!(
            f.contains("Gambar: &lt;b&gt;&quot;Kec.&quot; &amp; Co&lt;/b&gt;"),
            "{f}"
        );
        assert!(f.contains("<svg><rect/></svg>"), "{f}");
        let rows = [("<script>x</script>".to_string(), [(Some(3.6), true); 9])];
        let m = HeatMap {
            section: "s",
            table: "t",
            title: "a < b",
            intro: "",
            caption: "",
            first: "Unit",
        };
        let h = heat_map(&m, &rows).into_string();
        assert!(
            h.contains("<td class=\"nama\">&lt;script&gt;x&lt;/script&gt;</td>"),
            "{h}"
        );
        assert!(h.contains("<h2>a &lt; b</h2>"), "{h}");
        assert!(h.contains("<td class=\"A ragu\">3,600*</td>"), "{h}");
    }
}
