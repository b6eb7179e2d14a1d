//! Indicator (IKU) realization sheets: indikator, target, realisasi, optional capaian, satuan,
//! direction, unit and year (004 lines 766–810). Capaian = realisasi ÷ target × 100, or
//! target ÷ realisasi × 100 where lower is better (docs/DOMAIN.md, "Realization sheets").

use std::collections::BTreeMap;

use crate::domain::number::{Kind as NumKind, NumError};
use crate::domain::unsur::fold;
use crate::ingest::{Cell, RawSheet};
use crate::normalize::values::year_in_text;
use crate::normalize::{
    unit_in_text, Context, Output, Reject, RejectCode, SheetKind, SheetOutcome,
};

use super::{
    agrees_percent, context_texts, is_numbering_row, read_num, shown, strip_numbering, Finding,
    Kind, Num, TableHeader,
};

/// Which way an indicator improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Arah {
    /// Higher is better: capaian = realisasi ÷ target × 100.
    Naik,
    /// Lower is better (poverty, unemployment, Gini, inflation, disaster risk):
    /// capaian = target ÷ realisasi × 100.
    Turun,
}

impl Arah {
    pub fn as_str(self) -> &'static str {
        match self {
            Arah::Naik => "naik",
            Arah::Turun => "turun",
        }
    }

    fn parse(s: &str) -> Option<Arah> {
        let f = fold(s);
        let has = |w: &[&str]| {
            w.iter()
                .any(|k| f.split(' ').any(|x| x == *k) || f.contains(k))
        };
        if has(&[
            "turun",
            "negatif",
            "menurun",
            "lebih kecil",
            "minimal",
            "minimize",
            "lower",
        ]) {
            Some(Arah::Turun)
        } else if has(&[
            "naik",
            "positif",
            "meningkat",
            "lebih besar",
            "maksimal",
            "maximize",
            "higher",
        ]) {
            Some(Arah::Naik)
        } else {
            None
        }
    }
}

crate::labels! {
    /// Where an indicator's direction came from (`iku_capaian.arah_basis`).
    pub enum ArahBasis {
        /// A direction column.
        Kolom = "kolom",
        /// The configured lower-is-better list (`[iku]`).
        Daftar = "daftar",
        /// The default: higher is better.
        Bawaan = "bawaan",
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IkuRow {
    pub unit_id: Option<String>,
    pub tahun: Option<i32>,
    pub sasaran: Option<String>,
    pub indikator: String,
    pub satuan: Option<String>,
    pub target: Option<f64>,
    pub target_teks: String,
    pub realisasi: Option<f64>,
    pub realisasi_teks: String,
    pub arah: Arah,
    pub arah_basis: ArahBasis,
    pub capaian: Option<f64>,
    pub capaian_tertulis: Option<f64>,
    pub catatan: Option<String>,
    pub source_file: String,
    pub sheet: String,
    pub source_row: u32,
}

/// The column of each field, and for each field the last column its heading spans (empty
/// headings to its right, as merged cells leave them).
fn map_columns<'a>(
    ctx: &'a Context<'_>,
    texts: &[String],
) -> (BTreeMap<&'a str, usize>, BTreeMap<&'a str, usize>) {
    let mut field_col: BTreeMap<&str, usize> = BTreeMap::new();
    for (c, t) in texts.iter().enumerate() {
        if let Some(f) = ctx.realisasi.field(Kind::Iku, t) {
            field_col.entry(f).or_insert(c);
        }
    }
    let spans = field_col
        .iter()
        .map(|(f, &c)| {
            let mut end = c;
            while end + 1 < texts.len() && texts[end + 1].trim().is_empty() {
                end += 1;
            }
            (*f, end)
        })
        .collect();
    (field_col, spans)
}

/// True for the IKM indicator itself ("Indeks Kepuasan Masyarakat terhadap Layanan Publik").
pub fn is_ikm_indicator(indikator: &str) -> bool {
    let f = fold(indikator);
    f.contains("indeks kepuasan masyarakat") || f.contains("nilai ikm") || f == "ikm"
}

pub fn read(
    sheet: &RawSheet,
    th: &TableHeader,
    ctx: &Context<'_>,
    out: &mut Output,
) -> SheetOutcome {
    let mut o = SheetOutcome {
        kind: SheetKind::Iku,
        ..Default::default()
    };
    let mut texts = th.texts.clone();
    let (mut field_col, mut spans) = map_columns(ctx, &texts);
    for (f, &c) in &field_col {
        o.mapping.push((texts[c].clone(), f.to_string()));
    }
    let ctx_texts = context_texts(sheet, th.row, &th.texts);
    let sheet_year = ctx_texts.iter().find_map(|t| year_in_text(t));
    let sheet_unit = ctx_texts.iter().find_map(|t| unit_in_text(t, ctx.registry));
    let lower_list: Vec<String> = ctx.lower_is_better.iter().map(|s| fold(s)).collect();
    let mut sasaran: Option<String> = None;
    for r in th.data_start..sheet.rows.len() {
        let row = &sheet.rows[r];
        let source_row = (sheet.first_row + r) as u32;
        if row.iter().all(Cell::is_empty) || is_numbering_row(row) {
            o.skipped += 1;
            continue;
        }
        let row_texts: Vec<String> = row.iter().map(Cell::display).collect();
        if ctx.realisasi.detect(&row_texts) == Some(Kind::Iku) {
            // The header repeated at a page break, perhaps laid out anew: map it again.
            texts = row_texts;
            (field_col, spans) = map_columns(ctx, &texts);
            o.skipped += 1;
            continue;
        }
        let cell = |f: &str| {
            field_col
                .get(f)
                .and_then(|&c| row.get(c))
                .unwrap_or(&Cell::Empty)
        };
        // A heading over merged cells spans the empty headings to its right.
        let spanned = |f: &str| -> String {
            let Some(&c) = field_col.get(f) else {
                return String::new();
            };
            let end = spans.get(f).copied().unwrap_or(c);
            (c..=end)
                .filter_map(|i| row.get(i).map(Cell::display))
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let s = strip_numbering(&spanned("sasaran"));
        if !s.is_empty() {
            sasaran = Some(s);
        }
        let indikator = strip_numbering(&spanned("indikator"));
        if indikator.is_empty() || (cell("target").is_empty() && cell("realisasi").is_empty()) {
            o.skipped += 1; // a section row ("Misi I : …") or a sasaran without indicator
            continue;
        }
        o.rows_read += 1;
        let mut problems: Vec<(String, String, RejectCode, String)> = Vec::new();
        let col_name = |f: &str| {
            field_col
                .get(f)
                .map(|&c| texts[c].clone())
                .unwrap_or_default()
        };
        let read = |f: &str,
                    kind: NumKind,
                    problems: &mut Vec<(String, String, RejectCode, String)>|
         -> Option<Num> {
            match read_num(cell(f), kind) {
                Ok(v) => v,
                Err(NumError::NotANumber) => None, // kept as text ("WTP", "8 Laporan")
                Err(e) => {
                    problems.push((
                        col_name(f),
                        cell(f).display(),
                        RejectCode::AngkaAmbigu,
                        e.to_string(),
                    ));
                    None
                }
            }
        };
        let target = read("target", NumKind::Any, &mut problems);
        let realisasi = read("realisasi", NumKind::Any, &mut problems);
        let capaian_tertulis = read("capaian", NumKind::Percent, &mut problems);
        let unit_id = match field_col
            .get("unit")
            .map(|_| cell("unit").display())
            .filter(|u| !u.is_empty())
        {
            Some(u) => match ctx.registry.lookup_fuzzy(&u) {
                Some((unit, _)) => Some(unit.unit_id.clone()),
                None => {
                    problems.push((
                        col_name("unit"),
                        u,
                        RejectCode::UnitTidakDikenal,
                        "unit ini tidak ada dalam daftar unit".into(),
                    ));
                    None
                }
            },
            None => sheet_unit.clone(),
        };
        let tahun = match field_col
            .get("tahun")
            .map(|_| cell("tahun").display())
            .filter(|t| !t.is_empty())
        {
            Some(t) => t.trim().parse::<i32>().ok().or_else(|| {
                problems.push((
                    col_name("tahun"),
                    t.clone(),
                    RejectCode::TahunTidakTerbaca,
                    "tahun harus 4 angka".into(),
                ));
                None
            }),
            None => sheet_year,
        };
        if !problems.is_empty() {
            o.rejected += 1;
            for (kolom, nilai, kode, alasan) in problems {
                out.rejects.push(Reject {
                    source_file: sheet.file.clone(),
                    sheet: sheet.sheet.clone(),
                    source_row: Some(source_row),
                    kolom,
                    nilai: crate::normalize::pii::shown(&nilai),
                    alasan,
                    kode,
                });
            }
            continue;
        }
        let (arah, arah_basis) = match Arah::parse(&cell("arah").display()) {
            Some(a) => (a, ArahBasis::Kolom),
            None => {
                let f = fold(&indikator);
                let phrased_as_reduction =
                    ["penurunan", "pengurangan", "menurunnya", "berkurangnya"]
                        .iter()
                        .any(|w| f.split(' ').any(|x| x == *w));
                let word = |k: &str| {
                    format!(" {f} ").contains(&format!(" {k} "))
                        || f.split(' ').any(|x| x.starts_with(k))
                };
                if !phrased_as_reduction && lower_list.iter().any(|k| word(k)) {
                    (Arah::Turun, ArahBasis::Daftar)
                } else {
                    (Arah::Naik, ArahBasis::Bawaan)
                }
            }
        };
        let mut catatan = None;
        let capaian = match (target, realisasi) {
            (Some(t), Some(re)) => {
                let c = crate::domain::capaian(t.f64(), re.f64(), arah == Arah::Turun);
                if c.is_none() {
                    catatan = Some("pembagi nol: capaian tidak dapat dihitung".to_string());
                }
                c
            }
            (None, _) if !cell("target").is_empty() => {
                catatan = Some(format!(
                    "target '{}' bukan angka: tidak ada capaian",
                    cell("target").display()
                ));
                None
            }
            (_, None) => {
                catatan = Some(format!(
                    "realisasi '{}' tidak tersedia atau bukan angka: tidak ada capaian",
                    cell("realisasi").display()
                ));
                None
            }
            _ => None,
        };
        match (capaian, capaian_tertulis) {
            (Some(c), Some(st)) if agrees_percent(&st, c).is_none() => out.findings.push(Finding {
                source_file: sheet.file.clone(),
                sheet: sheet.sheet.clone(),
                source_row: Some(source_row),
                unit_id: unit_id.clone(),
                tahun,
                apa: "capaian".into(),
                tertulis: st.value.to_string(),
                hitung: shown(&st, c),
                selisih: Some(st.f64() - c),
                keterangan: format!(
                    "{indikator}: {} ({})",
                    match arah {
                        Arah::Naik => "realisasi ÷ target × 100",
                        Arah::Turun => "target ÷ realisasi × 100 (lebih kecil lebih baik)",
                    },
                    arah.as_str()
                ),
            }),
            (None, Some(st)) => {
                let note = format!("capaian tertulis {} tidak dapat dihitung ulang", st.value);
                catatan = Some(match catatan {
                    Some(c) => format!("{c}; {note}"),
                    None => note,
                });
            }
            _ => {}
        }
        o.accepted += 1;
        out.iku.push(IkuRow {
            unit_id,
            tahun,
            sasaran: sasaran.clone(),
            indikator,
            satuan: Some(cell("satuan").display())
                .filter(|s| !s.is_empty())
                .or_else(|| target.filter(|t| t.percent).map(|_| "%".to_string())),
            target: target.map(|t| t.f64()),
            target_teks: cell("target").display(),
            realisasi: realisasi.map(|t| t.f64()),
            realisasi_teks: cell("realisasi").display(),
            arah,
            arah_basis,
            capaian,
            capaian_tertulis: capaian_tertulis.map(|c| c.f64()),
            catatan,
            source_file: sheet.file.clone(),
            sheet: sheet.sheet.clone(),
            source_row,
        });
    }
    o
}
