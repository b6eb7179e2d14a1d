//! Recap figures as gold uses them: one value per unit, year and period.

use std::collections::BTreeMap;

use crate::domain::yearly::Aturan;
use crate::domain::{round_half_up, Periode};
use crate::normalize::realisasi::rekap::RekapRow;
use crate::normalize::realisasi::Finding;

/// One recap value per unit, year and period. Where several sheets state the same figure,
/// the one recomputed from its parts (NRR, or the semester rule) is kept over a bare stated
/// value, else the first in file order; a second statement that disagrees at 2 decimals is a
/// finding (`apa = ikm`), so no figure is silently chosen over another.
pub fn dedupe(rows: Vec<RekapRow>) -> (Vec<RekapRow>, Vec<Finding>) {
    let rank = |r: &RekapRow| u8::from(!(r.nrr.is_some() || r.aturan == Some(Aturan::Semester)));
    let mut kept: Vec<RekapRow> = Vec::new();
    let mut findings = Vec::new();
    let mut index: BTreeMap<(String, i32, Periode), usize> = BTreeMap::new();
    for r in rows {
        let key = (r.unit_id.clone(), r.tahun, r.periode);
        match index.get(&key) {
            None => {
                index.insert(key, kept.len());
                kept.push(r);
            }
            Some(&i) => {
                let (keep, other) = if rank(&r) < rank(&kept[i]) {
                    (r, kept[i].clone())
                } else {
                    (kept[i].clone(), r)
                };
                let same = round_half_up(keep.ikm, 2) == round_half_up(other.ikm, 2);
                if !same {
                    findings.push(Finding {
                        source_file: other.source_file.clone(),
                        sheet: other.sheet.clone(),
                        source_row: Some(other.source_row),
                        unit_id: Some(other.unit_id.clone()),
                        tahun: Some(other.tahun),
                        apa: "ikm".into(),
                        tertulis: format!("{:.2}", round_half_up(other.ikm, 2).unwrap_or(other.ikm)),
                        hitung: format!("{:.2}", round_half_up(keep.ikm, 2).unwrap_or(keep.ikm)),
                        selisih: Some(other.ikm - keep.ikm),
                        keterangan: format!(
                            "IKM {} {} dinyatakan berbeda di {} baris {}; dipakai yang di {} baris {}",
                            other.periode, other.tahun, other.source_file, other.source_row, keep.source_file, keep.source_row
                        ),
                    });
                }
                kept[i] = keep;
            }
        }
    }
    (kept, findings)
}

/// The semester rule across rows: a recap in the long layout (a row per period, `Periode`
/// column) or periods spread over several sheets give a unit's semesters and year the way one
/// row with a column per period does. Per unit and year, a semester not stated is the mean of
/// its two quarters, and the year, when not stated, the mean of the two semesters
/// (`aturan = semester`); a year stated beside its periods is recomputed from them, kept as
/// computed, and a disagreement at 2 decimals is a finding (`apa = ikm_tahun`), as for a
/// stated mean in a row. Runs after [`dedupe`], so each period has one value.
pub fn complete(rows: Vec<RekapRow>) -> (Vec<RekapRow>, Vec<Finding>) {
    let mut groups: BTreeMap<(String, i32), Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        groups
            .entry((r.unit_id.clone(), r.tahun))
            .or_default()
            .push(i);
    }
    let mut out = rows.clone();
    let mut findings = Vec::new();
    for idx in groups.values() {
        let at = |p: Periode| idx.iter().copied().find(|&i| rows[i].periode == p);
        let get = |p: Periode| at(p).map(|i| rows[i].ikm);
        let (s1, s2, year) = crate::domain::semester_rule_of(get);
        // A computed row stands at the row of the latest period it is made from.
        let from = |parts: &[Periode]| {
            parts
                .iter()
                .filter_map(|p| at(*p))
                .max_by_key(|&i| rows[i].periode.order())
        };
        let made = |i: usize, periode: Periode, ikm: f64| RekapRow {
            periode,
            ikm,
            n_responden: None,
            populasi: None,
            nrr: None,
            aturan: (periode == Periode::Tahun).then_some(Aturan::Semester),
            ..rows[i].clone()
        };
        for (p, v, parts) in [
            (Periode::S1, s1, [Periode::TW1, Periode::TW2]),
            (Periode::S2, s2, [Periode::TW3, Periode::TW4]),
        ] {
            if let (None, Some(v), Some(i)) = (at(p), v, from(&parts)) {
                out.push(made(i, p, v));
            }
        }
        let halves = [Periode::S1, Periode::TW2, Periode::S2, Periode::TW4];
        let (Some(y), Some(i)) = (year, from(&halves)) else {
            continue;
        };
        match at(Periode::Tahun) {
            None => out.push(made(i, Periode::Tahun, y)),
            Some(t) if rows[t].aturan == Some(Aturan::Tertulis) => {
                let stated = &rows[t];
                if round_half_up(stated.ikm, 2) != round_half_up(y, 2) {
                    findings.push(Finding {
                        source_file: stated.source_file.clone(),
                        sheet: stated.sheet.clone(),
                        source_row: Some(stated.source_row),
                        unit_id: Some(stated.unit_id.clone()),
                        tahun: Some(stated.tahun),
                        apa: "ikm_tahun".into(),
                        tertulis: format!("{:.2}", round_half_up(stated.ikm, 2).unwrap_or(stated.ikm)),
                        hitung: format!("{:.2}", round_half_up(y, 2).unwrap_or(y)),
                        selisih: Some(stated.ikm - y),
                        keterangan: format!(
                            "IKM tahun {} tertulis {:.2}; dari periodenya dengan aturan semester ({}) {:.2}: dipakai yang dihitung",
                            stated.tahun,
                            round_half_up(stated.ikm, 2).unwrap_or(stated.ikm),
                            used(&rows, idx),
                            round_half_up(y, 2).unwrap_or(y)
                        ),
                    });
                }
                out[t] = RekapRow {
                    ikm: y,
                    aturan: Some(Aturan::Semester),
                    ..stated.clone()
                };
            }
            Some(_) => {}
        }
    }
    (out, findings)
}

/// The periods a unit's year is made from, with their rows: `S1 baris 5, TW3 baris 6, …`.
fn used(rows: &[RekapRow], idx: &[usize]) -> String {
    let mut parts: Vec<&RekapRow> = idx
        .iter()
        .map(|&i| &rows[i])
        .filter(|r| r.periode != Periode::Tahun)
        .collect();
    parts.sort_by_key(|r| r.periode.order());
    parts
        .iter()
        .map(|r| format!("{} baris {}", r.periode, r.source_row))
        .collect::<Vec<_>>()
        .join(", ")
}
