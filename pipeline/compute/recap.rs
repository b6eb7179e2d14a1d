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
