//! IKM recap sheets: `No | unit | Nilai IKM | Mutu` (004 lines 1385–1498, 001 lines
//! 1518–1625), optionally with n_responden, a period column or NRR per unsur; and the Bagian
//! Organisasi's layout with a column per period (001 lines 1389–1396), whose stated semester
//! and year values are recomputed by the semester rule and audited.

use std::collections::BTreeMap;

use crate::domain::number::Kind as NumKind;
use crate::domain::yearly::Aturan;
use crate::domain::{ikm_from_nrr, semester_rule, Mutu, Periode, UNSUR};
use crate::ingest::{Cell, RawSheet};
use crate::normalize::header::{Field, Mapped};
use crate::normalize::values::year_in_text;
use crate::normalize::{
    periode_in_text, Context, Output, Reject, RejectCode, SheetKind, SheetOutcome,
};

use super::{
    agrees, context_texts, is_numbering_row, is_total_label, read_num, shown, Finding, Kind, Num,
    TableHeader,
};

/// One IKM value of a unit as a recap states it (or as recomputed from what it states).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecapRow {
    pub unit_id: String,
    pub tahun: i32,
    pub periode: Periode,
    /// Full precision: as stated, or recomputed (NRR, semester rule).
    pub ikm: f64,
    pub n_responden: Option<i64>,
    /// Population served, when the recap states it.
    pub populasi: Option<i64>,
    /// NRR per unsur (`UNSUR` order) when the recap states them.
    pub nrr: Option<[f64; 9]>,
    /// On TAHUN rows: `semester` (recomputed from the periods) or `tertulis` (as stated).
    pub aturan: Option<Aturan>,
    pub source_file: String,
    pub sheet: String,
    pub source_row: u32,
}

#[derive(Debug, Clone)]
struct IkmCol {
    col: usize,
    /// The period the header names; `None`: from a period column, else the year.
    periode: Option<Periode>,
    /// A stated mean ("Nilai Rata-Rata IKM SM II"): recomputed and audited.
    rata: bool,
    header: String,
    /// The year the header names ("IKM 2023"), used when the columns name different years.
    tahun: Option<i32>,
}

fn ikm_col(col: usize, text: &str) -> IkmCol {
    let f = crate::domain::unsur::fold(text);
    let periode = if f.split(' ').any(|w| w == "tahun" || w == "tahunan") {
        Some(Periode::Tahun)
    } else {
        periode_in_text(text)
    };
    IkmCol {
        col,
        periode,
        rata: f.contains("rata"),
        header: text.to_string(),
        tahun: year_in_text(text),
    }
}

fn mean(v: &[f64]) -> f64 {
    // (only the closing average rows use it)
    v.iter().sum::<f64>() / v.len() as f64
}

pub fn read(
    sheet: &RawSheet,
    th: &TableHeader,
    ctx: &Context<'_>,
    out: &mut Output,
) -> SheetOutcome {
    let mut o = SheetOutcome {
        kind: SheetKind::RekapIkm,
        ..Default::default()
    };
    let layouts = ctx.realisasi;
    let mut field_col: BTreeMap<&str, usize> = BTreeMap::new();
    let mut ikm_cols = Vec::new();
    let mut nrr_cols: Vec<(usize, usize)> = Vec::new(); // (column, unsur index)
    for (c, t) in th.texts.iter().enumerate() {
        match layouts.field(Kind::Rekap, t) {
            Some("ikm") => ikm_cols.push(ikm_col(c, t)),
            Some(f) => {
                field_col.entry(f).or_insert(c);
            }
            None => {
                if let Mapped::Field(Field::Unsur(k)) = ctx.layout.map(t) {
                    nrr_cols.push((c, k));
                }
            }
        }
        if let Some(f) = layouts.field(Kind::Rekap, t) {
            o.mapping.push((t.clone(), f.to_string()));
        }
    }
    let unit_col = field_col["unit"];
    let reject = |out: &mut Output,
                  row: Option<u32>,
                  kolom: &str,
                  nilai: String,
                  kode: RejectCode,
                  alasan: String| {
        out.rejects.push(Reject {
            source_file: sheet.file.clone(),
            sheet: sheet.sheet.clone(),
            source_row: row,
            kolom: kolom.to_string(),
            nilai: crate::normalize::pii::shown(&nilai),
            alasan,
            kode,
        });
    };
    let sheet_year = context_texts(sheet, th.row, &th.texts)
        .iter()
        .find_map(|t| year_in_text(t));
    let data_rows: Vec<usize> = (th.data_start..sheet.rows.len()).collect();
    if !field_col.contains_key("tahun") && sheet_year.is_none() {
        o.kind = SheetKind::Ditolak;
        o.rows_read = data_rows
            .iter()
            .filter(|&&r| !sheet.rows[r].iter().all(Cell::is_empty))
            .count();
        o.rejected = o.rows_read;
        reject(
            out,
            Some((sheet.first_row + th.row) as u32),
            "",
            String::new(),
            RejectCode::TahunTidakDiketahui,
            "rekap IKM tanpa tahun: tidak ada kolom tahun, dan judul, judul kolom maupun nama berkas \
             tidak menyebut tahun (4 angka)"
                .into(),
        );
        return o;
    }
    // Columns naming different years ("IKM 2023 | IKM 2024") each give their own year.
    let per_year_columns = {
        let mut ys: Vec<i32> = ikm_cols.iter().filter_map(|c| c.tahun).collect();
        ys.sort_unstable();
        ys.dedup();
        ys.len() > 1
    };
    let header_folded: Vec<String> = th
        .texts
        .iter()
        .map(|t| crate::domain::unsur::fold(t))
        .collect();
    // Stated values per IKM column, for the closing average row.
    let mut column_values: Vec<Vec<f64>> = vec![Vec::new(); ikm_cols.len()];
    let mut average_rows = Vec::new();
    for r in data_rows {
        let row = &sheet.rows[r];
        let source_row = (sheet.first_row + r) as u32;
        if row.iter().all(Cell::is_empty) || is_numbering_row(row) {
            o.skipped += 1;
            continue;
        }
        let folded: Vec<String> = row
            .iter()
            .map(|c| crate::domain::unsur::fold(&c.display()))
            .collect();
        if folded
            .iter()
            .zip(&header_folded)
            .filter(|(a, b)| !b.is_empty() && a == b)
            .count()
            >= 2
        {
            o.skipped += 1; // header repeated at a page break
            continue;
        }
        let cell = |c: usize| row.get(c).unwrap_or(&Cell::Empty);
        let label_is_total = row
            .iter()
            .take(unit_col + 1)
            .any(|c| is_total_label(&c.display()));
        if label_is_total {
            o.skipped += 1;
            average_rows.push(r);
            continue;
        }
        let unit_text = cell(unit_col).display();
        if unit_text.is_empty() && ikm_cols.iter().all(|ic| cell(ic.col).is_empty()) {
            o.skipped += 1; // a note under the table ("Sumber : …")
            continue;
        }
        o.rows_read += 1;
        let unit = ctx.registry.lookup_fuzzy(&unit_text);
        let mut problems: Vec<(String, String, RejectCode, String)> = Vec::new();
        if unit.is_none() {
            problems.push((
                th.texts[unit_col].clone(),
                unit_text.clone(),
                RejectCode::UnitTidakDikenal,
                "unit ini tidak ada dalam daftar unit".into(),
            ));
        }
        let tahun = match field_col.get("tahun") {
            Some(&c) if !cell(c).is_empty() => match cell(c).display().trim().parse::<i32>() {
                Ok(y) if (2000..=2100).contains(&y) => Some(y),
                _ => {
                    problems.push((
                        th.texts[c].clone(),
                        cell(c).display(),
                        RejectCode::TahunTidakTerbaca,
                        "tahun harus 4 angka".into(),
                    ));
                    None
                }
            },
            _ => sheet_year,
        };
        let row_periode = match field_col.get("periode") {
            Some(&c) if !cell(c).is_empty() => match Periode::parse(&cell(c).display()) {
                Some(p) => Some(p),
                None => {
                    problems.push((
                        th.texts[c].clone(),
                        cell(c).display(),
                        RejectCode::PeriodeTidakTerbaca,
                        "periode tidak terbaca".into(),
                    ));
                    None
                }
            },
            _ => None,
        };
        let mut values: Vec<(usize, Num)> = Vec::new();
        for (i, ic) in ikm_cols.iter().enumerate() {
            match read_num(cell(ic.col), NumKind::Ikm) {
                Ok(Some(n)) => values.push((i, n)),
                Ok(None) => {}
                Err(e) => problems.push((
                    ic.header.clone(),
                    cell(ic.col).display(),
                    RejectCode::AngkaTidakTerbaca,
                    format!("nilai IKM: {e}"),
                )),
            }
        }
        let mut nrr = [None; 9];
        for &(c, k) in &nrr_cols {
            match read_num(cell(c), NumKind::Nrr) {
                Ok(v) => nrr[k] = v.map(|n| n.f64()),
                Err(e) => problems.push((
                    th.texts[c].clone(),
                    cell(c).display(),
                    RejectCode::AngkaTidakTerbaca,
                    format!("NRR {}: {e}", UNSUR[k].nama),
                )),
            }
        }
        // A whole, non-negative count (respondents, population).
        let mut count = |field: &str, what: &str| -> Option<i64> {
            let &c = field_col.get(field)?;
            match read_num(cell(c), NumKind::Money) {
                Ok(Some(n)) if n.value.fract().is_zero() && n.f64() >= 0.0 => Some(n.f64() as i64),
                Ok(None) => None,
                _ => {
                    problems.push((
                        th.texts[c].clone(),
                        cell(c).display(),
                        RejectCode::AngkaTidakTerbaca,
                        format!("{what} harus bilangan bulat"),
                    ));
                    None
                }
            }
        };
        let n_responden = count("n_responden", "jumlah responden");
        let populasi = count("populasi", "populasi");
        let nrr_ikm = if nrr_cols.is_empty() {
            None
        } else {
            ikm_from_nrr(&nrr)
        };
        if problems.is_empty() && values.is_empty() && nrr_ikm.is_none() {
            problems.push((
                String::new(),
                String::new(),
                RejectCode::TanpaNilai,
                "baris tanpa nilai IKM".into(),
            ));
        }
        if !problems.is_empty() {
            o.rejected += 1;
            for (kolom, nilai, kode, alasan) in problems {
                reject(out, Some(source_row), &kolom, nilai, kode, alasan);
            }
            continue;
        }
        let (unit, approximate) = unit.expect("checked");
        let unit_id = unit.unit_id.clone();
        if approximate {
            // Matched by a name within one or two letters: said, never silent.
            out.findings.push(Finding {
                source_file: sheet.file.clone(),
                sheet: sheet.sheet.clone(),
                source_row: Some(source_row),
                unit_id: Some(unit_id.clone()),
                tahun,
                apa: "nama_unit".into(),
                tertulis: unit_text.clone(),
                hitung: unit.nama.clone(),
                selisih: None,
                keterangan: "nama unit tidak persis sama dengan daftar unit; dicocokkan dengan nama terdekat".into(),
            });
        }
        let tahun = tahun.expect("checked");
        let finding =
            |apa: &str, tertulis: String, hitung: String, selisih: Option<f64>, ket: String| {
                Finding {
                    source_file: sheet.file.clone(),
                    sheet: sheet.sheet.clone(),
                    source_row: Some(source_row),
                    unit_id: Some(unit_id.clone()),
                    tahun: Some(tahun),
                    apa: apa.to_string(),
                    tertulis,
                    hitung,
                    selisih,
                    keterangan: ket,
                }
            };
        for &(i, n) in &values {
            column_values[i].push(n.f64());
        }
        // Stated values by period; a column without a period is the row's period or the year.
        let mut base: BTreeMap<Periode, f64> = BTreeMap::new();
        let mut stated_means: Vec<(Periode, Num, &IkmCol)> = Vec::new();
        for &(i, n) in &values {
            let ic = &ikm_cols[i];
            let p = ic.periode.or(row_periode).unwrap_or(Periode::Tahun);
            if let (true, Some(y)) = (per_year_columns, ic.tahun) {
                // "IKM 2023 | IKM 2024": each column is its own year, as stated.
                out.recap.push(RecapRow {
                    unit_id: unit_id.clone(),
                    tahun: y,
                    periode: p,
                    ikm: n.f64(),
                    n_responden: None,
                    populasi: None,
                    nrr: None,
                    aturan: (p == Periode::Tahun).then_some(Aturan::Tertulis),
                    source_file: sheet.file.clone(),
                    sheet: sheet.sheet.clone(),
                    source_row,
                });
                continue;
            }
            let is_mean = ic.rata && matches!(p, Periode::S1 | Periode::S2 | Periode::Tahun);
            if is_mean || (p == Periode::Tahun && ikm_cols.len() > 1) {
                stated_means.push((p, n, ic));
            } else {
                base.insert(p, n.f64());
            }
        }
        if let Some(ikm) = nrr_ikm {
            let p = row_periode.unwrap_or(Periode::Tahun);
            if let Some(&(i, n)) = values.iter().find(|(i, _)| {
                let ic = &ikm_cols[*i];
                ic.periode.or(row_periode).unwrap_or(Periode::Tahun) == p
            }) {
                if !agrees(&n, ikm) {
                    out.findings.push(finding(
                        "ikm",
                        ikm_cols[i].header.clone() + ": " + &n.value.to_string(),
                        shown(&n, ikm),
                        Some(n.f64() - ikm),
                        "IKM tertulis tidak sama dengan rata-rata 9 NRR × 25".into(),
                    ));
                }
            }
            base.insert(p, ikm);
        }
        // The semester rule (domain::semester_rule).
        let get = |p: Periode| base.get(&p).copied();
        let (s1, s2, year) = semester_rule(
            get(Periode::S1),
            get(Periode::TW1),
            get(Periode::TW2),
            get(Periode::S2),
            get(Periode::TW3),
            get(Periode::TW4),
        );
        let mut computed: BTreeMap<Periode, f64> = BTreeMap::new();
        if !base.contains_key(&Periode::S1) {
            if let Some(v) = s1.filter(|_| base.contains_key(&Periode::TW1)) {
                computed.insert(Periode::S1, v);
            }
        }
        if !base.contains_key(&Periode::S2) {
            if let Some(v) = s2.filter(|_| base.contains_key(&Periode::TW3)) {
                computed.insert(Periode::S2, v);
            }
        }
        if let (false, Some(y)) = (base.contains_key(&Periode::Tahun), year) {
            computed.insert(Periode::Tahun, y);
        }
        let mut emitted: BTreeMap<Periode, (f64, Option<Aturan>)> = base
            .iter()
            .map(|(p, v)| (*p, (*v, (*p == Periode::Tahun).then_some(Aturan::Tertulis))))
            .collect();
        for (p, v) in &computed {
            emitted.insert(*p, (*v, (*p == Periode::Tahun).then_some(Aturan::Semester)));
        }
        for (p, n, ic) in &stated_means {
            match computed.get(p) {
                Some(&v) => {
                    if !agrees(n, v) {
                        out.findings.push(finding(
                            if *p == Periode::Tahun {
                                "ikm_tahun"
                            } else {
                                "ikm_semester"
                            },
                            n.value.to_string(),
                            shown(n, v),
                            Some(n.f64() - v),
                            format!("'{}' dihitung ulang dengan aturan semester", ic.header),
                        ));
                    }
                }
                None => {
                    emitted.insert(
                        *p,
                        (n.f64(), (*p == Periode::Tahun).then_some(Aturan::Tertulis)),
                    );
                }
            }
        }
        // The grade and kinerja labels are checked against the headline figure (the year,
        // else the last period).
        let headline = emitted
            .get(&Periode::Tahun)
            .or_else(|| {
                emitted
                    .iter()
                    .max_by_key(|(p, _)| p.order())
                    .map(|(_, v)| v)
            })
            .map(|(v, _)| *v);
        for f in ["mutu", "kinerja"] {
            let (Some(&c), Some(h)) = (field_col.get(f), headline) else {
                continue;
            };
            let label = cell(c).display();
            if label.is_empty() {
                continue;
            }
            let want = Mutu::of_ikm(h);
            let got = Mutu::parse(&label);
            if got != want {
                let hitung = want
                    .map(|m| format!("{} ({})", m.letter(), m.kinerja()))
                    .unwrap_or_else(|| "-".into());
                out.findings.push(finding(
                    f,
                    label,
                    hitung,
                    None,
                    format!(
                        "label tidak sesuai nilai IKM {:.2}",
                        crate::domain::round_half_up(h, 2).unwrap_or(h)
                    ),
                ));
            }
        }
        for (p, (v, aturan)) in emitted {
            out.recap.push(RecapRow {
                unit_id: unit_id.clone(),
                tahun,
                periode: p,
                ikm: v,
                n_responden,
                populasi,
                nrr: (nrr_ikm.is_some() && p == row_periode.unwrap_or(Periode::Tahun))
                    .then(|| nrr.map(|x| x.unwrap_or(f64::NAN))),
                aturan,
                source_file: sheet.file.clone(),
                sheet: sheet.sheet.clone(),
                source_row,
            });
        }
        o.accepted += 1;
    }
    // Closing average rows: the mean of the column's stated values.
    for r in average_rows {
        let row = &sheet.rows[r];
        for (i, ic) in ikm_cols.iter().enumerate() {
            let Ok(Some(n)) = read_num(row.get(ic.col).unwrap_or(&Cell::Empty), NumKind::Ikm)
            else {
                continue;
            };
            if column_values[i].is_empty() {
                continue;
            }
            let m = mean(&column_values[i]);
            if !agrees(&n, m) {
                out.findings.push(Finding {
                    source_file: sheet.file.clone(),
                    sheet: sheet.sheet.clone(),
                    source_row: Some((sheet.first_row + r) as u32),
                    unit_id: None,
                    tahun: sheet_year,
                    apa: "rata_rata".into(),
                    tertulis: n.value.to_string(),
                    hitung: format!("{m:.4}"),
                    selisih: Some(n.f64() - m),
                    keterangan: format!(
                        "rata-rata '{}' dari {} unit adalah {} (dibulatkan {})",
                        ic.header,
                        column_values[i].len(),
                        format!("{m:.4}"),
                        shown(&n, m)
                    ),
                });
            }
        }
    }
    o
}
