//! Budget realization sheets: kode, uraian (program → kegiatan → sub kegiatan), pagu murni
//! and/or perubahan, realisasi, stated percentages and differences (001 Tabel 2.6 lines
//! 659–745 and Tabel 3.36 lines 1842–1900; 003 Tabel 3.24 lines 1393–1406). Every subtotal is
//! recomputed from its children, every total from its programs.

use std::collections::BTreeMap;

use rust_decimal::prelude::*;

use crate::domain::number::{Kind as NumKind, NumError};
use crate::domain::unsur::fold;
use crate::ingest::{Cell, RawSheet};
use crate::normalize::values::year_in_text;
use crate::normalize::{
    unit_in_text, Context, Output, Reject, RejectCode, SheetKind, SheetOutcome,
};

use super::{
    agrees_percent, context_texts, is_numbering_row, is_total_label, read_num, shown, Finding,
    Kind, Num, TableHeader,
};

crate::labels! {
    /// Where a budget line stands (`anggaran.level`).
    pub enum Level {
        /// A line named "Program …" (or, without any, a top-level code).
        Program = "program",
        Kegiatan = "kegiatan",
        SubKegiatan = "sub_kegiatan",
        /// The unit's own line, above or outside the programs.
        Organisasi = "organisasi",
        /// A closing total row.
        Total = "total",
        /// No code to place it.
        Lainnya = "lainnya",
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BudgetRow {
    pub unit_id: Option<String>,
    pub tahun: Option<i32>,
    pub kode: Option<String>,
    pub uraian: String,
    pub level: Level,
    /// The code of the line this one adds up into.
    pub induk: Option<String>,
    pub pagu_murni: Option<Decimal>,
    pub pagu_perubahan: Option<Decimal>,
    pub realisasi: Option<Decimal>,
    pub persen_tertulis: Option<Decimal>,
    pub selisih_tertulis: Option<Decimal>,
    pub source_file: String,
    pub sheet: String,
    pub source_row: u32,
}

impl BudgetRow {
    /// The pagu absorption is measured against: after the change when there is one.
    pub fn pagu(&self) -> Option<Decimal> {
        self.pagu_perubahan.or(self.pagu_murni)
    }

    /// Serapan = realisasi ÷ pagu × 100.
    pub fn serapan(&self) -> Option<f64> {
        let p = self.pagu()?;
        if p.is_zero() {
            return None;
        }
        self.realisasi?
            .checked_div(p)?
            .checked_mul(Decimal::from(100))?
            .to_f64()
    }

    /// Sisa = pagu − realisasi.
    pub fn sisa(&self) -> Option<Decimal> {
        Some(self.pagu()? - self.realisasi?)
    }
}

const MONEY: [&str; 3] = ["pagu_murni", "pagu_perubahan", "realisasi"];

fn money(r: &BudgetRow, f: &str) -> Option<Decimal> {
    match f {
        "pagu_murni" => r.pagu_murni,
        "pagu_perubahan" => r.pagu_perubahan,
        _ => r.realisasi,
    }
}

/// A budget code: digits separated by dots ("1.2.01.1", "4.01.01").
fn is_code(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

pub fn read(
    sheet: &RawSheet,
    th: &TableHeader,
    ctx: &Context<'_>,
    out: &mut Output,
) -> SheetOutcome {
    let mut o = SheetOutcome {
        kind: SheetKind::Anggaran,
        ..Default::default()
    };
    let mut field_col: BTreeMap<&str, usize> = BTreeMap::new();
    for (c, t) in th.texts.iter().enumerate() {
        if let Some(f) = ctx.realisasi.field(Kind::Anggaran, t) {
            field_col.entry(f).or_insert(c);
            o.mapping.push((t.clone(), f.to_string()));
        }
    }
    let ctx_texts = context_texts(sheet, th.row, &th.texts);
    let tahun = ctx_texts.iter().find_map(|t| year_in_text(t));
    let sheet_unit = ctx_texts.iter().find_map(|t| unit_in_text(t, ctx.registry));
    let start = out.anggaran.len();
    for r in th.data_start..sheet.rows.len() {
        let row = &sheet.rows[r];
        let source_row = (sheet.first_row + r) as u32;
        let cell = |f: &str| {
            field_col
                .get(f)
                .and_then(|&c| row.get(c))
                .unwrap_or(&Cell::Empty)
        };
        if row.iter().all(Cell::is_empty) || is_numbering_row(row) {
            o.skipped += 1;
            continue;
        }
        if ctx
            .realisasi
            .detect(&row.iter().map(Cell::display).collect::<Vec<_>>())
            == Some(Kind::Anggaran)
        {
            o.skipped += 1;
            continue;
        }
        let uraian = cell("uraian").display();
        let kode_text = cell("kode").display();
        let is_total = is_total_label(&uraian)
            || is_total_label(&kode_text)
            || (uraian.is_empty() && row.iter().any(|c| is_total_label(&c.display())));
        o.rows_read += 1;
        let mut problems: Vec<(String, String, String)> = Vec::new();
        let col_name = |f: &str| {
            field_col
                .get(f)
                .map(|&c| th.texts[c].clone())
                .unwrap_or_default()
        };
        let read =
            |f: &str, kind: NumKind, problems: &mut Vec<(String, String, String)>| -> Option<Num> {
                if !field_col.contains_key(f) {
                    return None;
                }
                match read_num(cell(f), kind) {
                    Ok(v) => v,
                    Err(e) => {
                        let why = match e {
                            NumError::NotANumber => "bukan angka rupiah".to_string(),
                            e => e.to_string(),
                        };
                        problems.push((col_name(f), cell(f).display(), why));
                        None
                    }
                }
            };
        // Rupiah beyond a quadrillion are not budget lines (and would overflow the sums).
        let cap =
            |v: Option<Decimal>, f: &str, problems: &mut Vec<(String, String, String)>| match v {
                Some(x) if x.abs() > Decimal::from(1_000_000_000_000_000i64) => {
                    problems.push((
                        col_name(f),
                        cell(f).display(),
                        "angka rupiah di luar jangkauan (lebih dari 10^15)".into(),
                    ));
                    None
                }
                v => v,
            };
        let pagu_murni = read("pagu_murni", NumKind::Money, &mut problems).map(|n| n.value);
        let pagu_murni = cap(pagu_murni, "pagu_murni", &mut problems);
        let pagu_perubahan = read("pagu_perubahan", NumKind::Money, &mut problems).map(|n| n.value);
        let pagu_perubahan = cap(pagu_perubahan, "pagu_perubahan", &mut problems);
        let realisasi = read("realisasi", NumKind::Money, &mut problems).map(|n| n.value);
        let realisasi = cap(realisasi, "realisasi", &mut problems);
        let persen = read("persen", NumKind::Percent, &mut problems);
        let selisih = read("selisih", NumKind::Money, &mut problems).map(|n| n.value);
        let selisih = cap(selisih, "selisih", &mut problems);
        if uraian.is_empty() && !is_total {
            problems.push((
                col_name("uraian"),
                String::new(),
                "baris anggaran tanpa uraian".into(),
            ));
        }
        if !kode_text.is_empty() && !is_code(&kode_text) && !is_total {
            problems.push((
                col_name("kode"),
                kode_text.clone(),
                "kode harus berupa angka bertitik, misalnya 1.2.01.1".into(),
            ));
        }
        if !problems.is_empty() {
            o.rejected += 1;
            for (kolom, nilai, alasan) in problems {
                out.rejects.push(Reject {
                    source_file: sheet.file.clone(),
                    sheet: sheet.sheet.clone(),
                    source_row: Some(source_row),
                    kolom,
                    nilai: crate::normalize::pii::shown(&nilai),
                    alasan,
                    kode: RejectCode::AngkaTidakTerbaca,
                });
            }
            continue;
        }
        o.accepted += 1;
        let line = BudgetRow {
            unit_id: sheet_unit.clone(),
            tahun,
            kode: is_code(&kode_text).then(|| kode_text.trim().to_string()),
            uraian: if uraian.is_empty() {
                kode_text.clone()
            } else {
                uraian
            },
            level: if is_total {
                Level::Total
            } else {
                Level::Lainnya
            },
            induk: None,
            pagu_murni,
            pagu_perubahan,
            realisasi,
            persen_tertulis: persen.map(|p| p.value),
            selisih_tertulis: selisih,
            source_file: sheet.file.clone(),
            sheet: sheet.sheet.clone(),
            source_row,
        };
        // Per-line checks: the stated percentage and difference.
        let finding =
            |apa: &str, tertulis: String, hitung: String, selisih: Option<f64>, ket: String| {
                Finding {
                    source_file: sheet.file.clone(),
                    sheet: sheet.sheet.clone(),
                    source_row: Some(source_row),
                    unit_id: sheet_unit.clone(),
                    tahun,
                    apa: apa.into(),
                    tertulis,
                    hitung,
                    selisih,
                    keterangan: ket,
                }
            };
        if let (Some(p), Some(s)) = (persen, line.serapan()) {
            if agrees_percent(&p, s).is_none() {
                out.findings.push(finding(
                    "serapan",
                    p.value.to_string(),
                    shown(&p, s),
                    Some(p.f64() - s),
                    format!("{}: realisasi ÷ pagu × 100", line.uraian),
                ));
            }
        }
        let both_pagu =
            field_col.contains_key("pagu_murni") && field_col.contains_key("pagu_perubahan");
        if let (Some(st), true) = (selisih, both_pagu) {
            let d = line.pagu_perubahan.unwrap_or_default() - line.pagu_murni.unwrap_or_default();
            if st != d {
                out.findings.push(finding(
                    "selisih",
                    st.normalize().to_string(),
                    d.normalize().to_string(),
                    (st - d).to_f64(),
                    format!("{}: pagu perubahan − pagu murni", line.uraian),
                ));
            }
        }
        out.anggaran.push(line);
    }
    // Hierarchy from the codes: the parent of a line is the longest other code that is a
    // prefix of its own at a dot.
    let lines = &mut out.anggaran[start..];
    let codes: Vec<Option<String>> = lines.iter().map(|l| l.kode.clone()).collect();
    for (i, l) in lines.iter_mut().enumerate() {
        let Some(k) = &l.kode else { continue };
        l.induk = codes
            .iter()
            .enumerate()
            .filter_map(|(j, c)| {
                c.as_ref()
                    .filter(|c| j != i && k.starts_with(&format!("{c}.")))
            })
            .max_by_key(|c| c.len())
            .cloned();
    }
    let by_code: BTreeMap<String, usize> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l.kode.clone().map(|k| (k, i)))
        .collect();
    // Levels: "Program …" is a program; below it kegiatan, then sub kegiatan; a line above
    // or outside the programs (the unit itself) is organisasi.
    let any_named_program = lines.iter().any(|l| fold(&l.uraian).starts_with("program"));
    for i in 0..lines.len() {
        if lines[i].level == Level::Total {
            continue;
        }
        let mut depth = 0;
        let mut cur = lines[i].induk.clone();
        let mut program_above = false;
        while let Some(c) = cur {
            let j = by_code[&c];
            depth += 1;
            if fold(&lines[j].uraian).starts_with("program") {
                program_above = true;
            }
            cur = lines[j].induk.clone();
        }
        let named = fold(&lines[i].uraian).starts_with("program");
        // Without any line named "Program …", the code's depth gives the level: a top-level
        // code is a program, its children kegiatan, theirs sub kegiatan.
        let is_program =
            named || (!any_named_program && lines[i].kode.is_some() && lines[i].induk.is_none());
        let program_above =
            program_above || (!any_named_program && depth > 0 && lines[i].kode.is_some());
        lines[i].level = if is_program {
            Level::Program
        } else if program_above {
            match depth {
                1 => Level::Kegiatan,
                _ => Level::SubKegiatan,
            }
        } else if lines[i].kode.is_some() {
            Level::Organisasi
        } else {
            Level::Lainnya
        };
    }
    // Subtotals: every line with children equals the sum of its children.
    let mut findings = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(k) = &l.kode else { continue };
        let children: Vec<&BudgetRow> = lines
            .iter()
            .filter(|c| c.induk.as_deref() == Some(k))
            .collect();
        if children.is_empty() {
            continue;
        }
        for f in MONEY {
            let Some(stated) = money(l, f) else { continue };
            if children.iter().all(|c| money(c, f).is_none()) {
                continue;
            }
            // A "-" in a child is none: zero in the sum.
            let sum: Decimal = children.iter().filter_map(|c| money(c, f)).sum();
            if stated != sum {
                findings.push((i, "subtotal", f, stated, sum, children.len()));
            }
        }
    }
    // Totals and the unit's own lines equal the sum of the programs (or, without programs,
    // of the top-level lines).
    let programs: Vec<&BudgetRow> = lines.iter().filter(|l| l.level == Level::Program).collect();
    let tops: Vec<&BudgetRow> = if programs.is_empty() {
        lines
            .iter()
            .filter(|l| {
                l.induk.is_none()
                    && matches!(
                        l.level,
                        Level::Lainnya | Level::Kegiatan | Level::SubKegiatan
                    )
            })
            .collect()
    } else {
        programs
    };
    for (i, l) in lines.iter().enumerate() {
        let leaf_org = l.level == Level::Organisasi
            && !lines
                .iter()
                .any(|c| c.induk.as_deref() == l.kode.as_deref());
        if !(l.level == Level::Total || leaf_org) || tops.is_empty() {
            continue;
        }
        // A total closes either the whole table or the block since the previous total row
        // (a "Jumlah" under each program's lines); it must equal one of the two.
        let prev_total = lines[..i]
            .iter()
            .rposition(|x| x.level == Level::Total)
            .map(|p| lines[p].source_row)
            .unwrap_or(0);
        let block: Vec<&&BudgetRow> = tops
            .iter()
            .filter(|t| t.source_row > prev_total && t.source_row < l.source_row)
            .collect();
        for f in MONEY {
            let Some(stated) = money(l, f) else { continue };
            if tops.iter().all(|t| money(t, f).is_none()) {
                continue;
            }
            let sum: Decimal = tops.iter().filter_map(|t| money(t, f)).sum();
            let block_sum: Decimal = block.iter().filter_map(|t| money(t, f)).sum();
            let is_block = l.level == Level::Total && !block.is_empty() && block.len() < tops.len();
            if stated != sum && !(is_block && stated == block_sum) {
                if is_block {
                    findings.push((i, "total", f, stated, block_sum, block.len()));
                } else {
                    findings.push((i, "total", f, stated, sum, tops.len()));
                }
            }
        }
    }
    for (i, apa, f, stated, sum, n) in findings {
        let l = &lines[i];
        out.findings.push(Finding {
            source_file: l.source_file.clone(),
            sheet: l.sheet.clone(),
            source_row: Some(l.source_row),
            unit_id: l.unit_id.clone(),
            tahun: l.tahun,
            apa: apa.into(),
            tertulis: stated.normalize().to_string(),
            hitung: sum.normalize().to_string(),
            selisih: (stated - sum).to_f64(),
            keterangan: format!(
                "{} {}: {} ≠ jumlah {} baris {}",
                l.kode.clone().unwrap_or_default(),
                l.uraian,
                f,
                n,
                if apa == "subtotal" {
                    "di bawahnya"
                } else {
                    "program"
                }
            ),
        });
    }
    o
}
