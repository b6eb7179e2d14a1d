//! The figures a questionnaire's closing rows state, checked against the rows above them
//! (issue 26): the regulation's manual template ends each sheet with `Σ Nilai/Unsur` (the sum
//! of each unsur's answers), `NRR/Unsur`, `NRR tertimbang/unsur` (NRR × 0,111), `*) Jumlah
//! NRR IKM tertimbang` and `**) IKM Unit pelayanan`. A unit's own figure is what `audit`
//! exists to check: each stated figure is compared with its recomputation at the decimals it
//! is written with (`realisasi::agrees`), and a difference is a finding naming the cell.
//!
//! Only closing rows below the sheet's last response are checked (they speak of every row
//! above them); a closing row between blocks of responses is skipped, not audited.

use super::realisasi::{agrees, read_num, shown, Finding, Num};
use crate::domain::number::Kind as NumKind;
use crate::domain::UNSUR;
use crate::ingest::{Cell, RawSheet};

/// A closing row as read: its row (0-based in the sheet), its label folded (a sum sign read
/// as `jumlah`) and the numbers it states: per unsur (in `UNSUR`'s order) and the last number
/// in the row (where a single figure such as the IKM stands).
#[derive(Debug, Clone)]
pub struct ClosingRow {
    pub row: usize,
    pub label: String,
    pub per_unsur: [Option<(usize, Num)>; 9],
    pub last: Option<(usize, Num)>,
}

/// The weight the template gives each unsur (1/9 rounded, as the regulation prints it).
const BOBOT: f64 = 0.111;

/// What a closing row states, by its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Says {
    Sum,
    Nrr,
    NrrWeighted,
    WeightedTotal,
    Ikm,
}

fn says(label: &str) -> Option<Says> {
    let has = |w: &str| label.split(' ').any(|x| x == w);
    let total = has("jumlah") || has("total") || has("sum");
    Some(if has("ikm") && !has("nrr") {
        Says::Ikm
    } else if has("tertimbang") && total {
        Says::WeightedTotal
    } else if has("tertimbang") {
        Says::NrrWeighted
    } else if has("nrr") || label.starts_with("rata") || label.starts_with("nilai rata") {
        Says::Nrr
    } else if total || label.starts_with("nilai") {
        Says::Sum
    } else {
        return None;
    })
}

/// Reads a closing row's numbers (`unsur_cols`: the column of each answer, as `(column,
/// unsur index)`).
pub fn read(
    row_index: usize,
    label: String,
    row: &[Cell],
    unsur_cols: &[(usize, usize)],
) -> ClosingRow {
    let num = |c: usize| {
        read_num(row.get(c).unwrap_or(&Cell::Empty), NumKind::Percent)
            .ok()
            .flatten()
    };
    let mut per_unsur: [Option<(usize, Num)>; 9] = Default::default();
    for &(c, k) in unsur_cols {
        per_unsur[k] = num(c).map(|n| (c, n));
    }
    let last = (0..row.len()).rev().find_map(|c| num(c).map(|n| (c, n)));
    ClosingRow {
        row: row_index,
        label,
        per_unsur,
        last,
    }
}

/// Per unsur: the sum of the answers and how many answered, of the responses above.
pub type Totals = ([u64; 9], [u64; 9]);

/// The totals of responses (only asked when a sheet has closing rows: the row loop keeps no
/// sums of its own).
pub fn totals(rows: &[super::Response]) -> Totals {
    let (mut sums, mut counts) = ([0u64; 9], [0u64; 9]);
    for r in rows {
        for (k, s) in r.skor.iter().enumerate() {
            if let Some(s) = s {
                sums[k] += u64::from(*s);
                counts[k] += 1;
            }
        }
    }
    (sums, counts)
}

/// The findings of a sheet's closing rows below its last response.
pub fn audit(
    sheet: &RawSheet,
    closing: &[ClosingRow],
    (sums, counts): Totals,
    last_response: Option<usize>,
    unit_id: Option<&str>,
    tahun: Option<i32>,
) -> Vec<Finding> {
    let nrr: Vec<Option<f64>> = (0..9)
        .map(|k| (counts[k] > 0).then(|| sums[k] as f64 / counts[k] as f64))
        .collect();
    let mut out = Vec::new();
    for c in closing
        .iter()
        .filter(|c| last_response.is_some_and(|l| c.row > l))
    {
        let Some(kind) = says(&c.label) else { continue };
        let mut check = |col: usize, stated: &Num, computed: &[f64], apa: &str, how: String| {
            if computed.iter().any(|v| agrees(stated, *v)) {
                return;
            }
            let at = format!("{}{}", column_name(col), sheet.first_row + c.row);
            out.push(Finding {
                source_file: sheet.file.clone(),
                sheet: sheet.sheet.clone(),
                source_row: Some((sheet.first_row + c.row) as u32),
                unit_id: unit_id.map(str::to_string),
                tahun,
                apa: apa.to_string(),
                tertulis: stated.value.to_string(),
                hitung: shown(stated, computed[0]),
                selisih: Some(stated.f64() - computed[0]),
                keterangan: format!("sel {at} ('{}'): {how}", c.label),
            });
        };
        match kind {
            Says::Sum | Says::Nrr | Says::NrrWeighted => {
                for (k, cell) in c.per_unsur.iter().enumerate() {
                    let (Some((col, stated)), Some(n)) = (cell, nrr[k]) else {
                        continue;
                    };
                    let u = UNSUR[k].nama;
                    match kind {
                        Says::Sum => check(
                            *col,
                            stated,
                            &[sums[k] as f64],
                            "nilai_unsur",
                            format!(
                                "jumlah jawaban unsur {u} dari {} responden di atasnya",
                                counts[k]
                            ),
                        ),
                        Says::Nrr => check(
                            *col,
                            stated,
                            &[n],
                            "nrr",
                            format!("NRR unsur {u} = jumlah nilai ÷ {} responden", counts[k]),
                        ),
                        _ => check(
                            *col,
                            stated,
                            &[n * BOBOT, n / 9.0],
                            "nrr_tertimbang",
                            format!("NRR unsur {u} × 0,111"),
                        ),
                    }
                }
            }
            Says::WeightedTotal | Says::Ikm => {
                let Some((col, stated)) = &c.last else {
                    continue;
                };
                if nrr.iter().any(Option::is_none) {
                    continue;
                }
                let sum_nrr: f64 = nrr.iter().flatten().sum();
                if kind == Says::WeightedTotal {
                    check(
                        *col,
                        stated,
                        &[sum_nrr / 9.0, sum_nrr * BOBOT],
                        "nrr_tertimbang",
                        "jumlah NRR tertimbang sembilan unsur (NRR × 0,111)".into(),
                    );
                } else {
                    check(
                        *col,
                        stated,
                        &[sum_nrr / 9.0 * 25.0, sum_nrr * BOBOT * 25.0],
                        "ikm",
                        "IKM = jumlah NRR tertimbang × 25 dari responden di atasnya".into(),
                    );
                }
            }
        }
    }
    out
}

/// A spreadsheet column's letters (0 → A, 26 → AA).
fn column_name(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_columns() {
        assert_eq!(says("jumlah nilai unsur"), Some(Says::Sum));
        assert_eq!(says("nrr unsur"), Some(Says::Nrr));
        assert_eq!(says("nrr tertimbang unsur"), Some(Says::NrrWeighted));
        assert_eq!(says("jumlah nrr ikm tertimbang"), Some(Says::WeightedTotal));
        assert_eq!(says("ikm unit pelayanan"), Some(Says::Ikm));
        assert_eq!(says("mutu pelayanan"), None);
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(9), "J");
        assert_eq!(column_name(27), "AB");
    }
}
