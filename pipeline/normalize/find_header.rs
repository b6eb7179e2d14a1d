//! Header detection: the first of a sheet's top rows that is a realization sheet's header, or
//! a questionnaire header that names every unsur once, unambiguously.

use super::header::{self, Field, Layout, Mapped};
use super::realisasi;
use super::reject::RejectCode;
use super::HEADER_SEARCH_ROWS;
use crate::domain::UNSUR;
use crate::ingest::{Cell, RawSheet};

pub struct Header {
    pub row: usize,
    /// (column, field, header text) of every mapped column.
    pub cols: Vec<(usize, Field, String)>,
}

pub enum Found {
    Header(Header),
    Realisasi(realisasi::Kind, usize),
    Bad {
        row: usize,
        alasan: String,
        kolom: String,
        kode: RejectCode,
    },
    Nothing,
}

pub fn find_header(sheet: &RawSheet, layout: &Layout, real: &realisasi::Layouts) -> Found {
    for (r, row) in sheet.rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let texts: Vec<String> = row.iter().map(Cell::display).collect();
        if let Some(kind) = real.detect(&texts) {
            return Found::Realisasi(kind, r);
        }
        let mapped: Vec<(usize, Mapped, String)> = row
            .iter()
            .enumerate()
            .filter_map(|(c, cell)| match cell {
                Cell::Text(t) => Some((c, layout.map(t), t.trim().to_string())),
                _ => None,
            })
            .collect();
        let mut unsur_seen = [false; 9];
        for (_, m, _) in &mapped {
            if let Mapped::Field(Field::Unsur(i)) = m {
                unsur_seen[*i] = true;
            }
        }
        let distinct = unsur_seen.iter().filter(|s| **s).count();
        let old_method = row
            .iter()
            .filter(|c| matches!(c, Cell::Text(t) if header::is_old_method(t)))
            .count();
        if old_method >= 3 {
            return Found::Bad {
                row: r,
                kolom: String::new(),
                kode: RejectCode::MetodeLama,
                alasan:
                    "formulir 14 unsur (KepMenPAN 25/2004) memakai metode dan batas mutu lain; \
                         tidak dicampur dengan 9 unsur Permen PANRB 14/2017"
                        .into(),
            };
        }
        if distinct < 5 {
            continue;
        }
        // This is the header row. Check it can be used safely.
        for (_, m, text) in &mapped {
            if let Mapped::Ambiguous(fields) = m {
                return Found::Bad {
                    row: r,
                    kolom: text.clone(),
                    kode: RejectCode::KolomAmbigu,
                    alasan: ambiguous(text, fields, layout),
                };
            }
        }
        let mut cols: Vec<(usize, Field, String)> = Vec::new();
        for (c, m, text) in mapped {
            if let Mapped::Field(f) = m {
                let once = matches!(
                    f,
                    Field::Unsur(_) | Field::Unit | Field::Tanggal | Field::Periode | Field::Tahun
                );
                if once {
                    if let Some((_, _, other)) = cols.iter().find(|(_, g, _)| *g == f) {
                        return Found::Bad {
                            row: r,
                            kolom: text.clone(),
                            kode: RejectCode::KolomGanda,
                            alasan: format!(
                                "kolom '{text}' dan '{other}' sama-sama berarti {}; hanya satu yang boleh ada",
                                f.name()
                            ),
                        };
                    }
                }
                cols.push((c, f, text));
            }
        }
        if distinct < 9 {
            let missing: Vec<&str> = UNSUR
                .iter()
                .enumerate()
                .filter(|(i, _)| !unsur_seen[*i])
                .map(|(_, u)| u.nama)
                .collect();
            return Found::Bad {
                row: r,
                kolom: String::new(),
                kode: RejectCode::UnsurTidakLengkap,
                alasan: format!(
                    "kuesioner harus memuat 9 unsur; tidak ada kolom untuk: {}",
                    missing.join("; ")
                ),
            };
        }
        return Found::Header(Header { row: r, cols });
    }
    Found::Nothing
}

/// Why a header is ambiguous, in the operator's words: a code whose words name another unsur
/// ("U3 Biaya"), or words that match several fields.
fn ambiguous(text: &str, fields: &[Field], layout: &Layout) -> String {
    let names =
        |fs: &mut dyn Iterator<Item = &Field>| fs.map(|f| f.name()).collect::<Vec<_>>().join(", ");
    match header::leading_code(&crate::domain::unsur::fold(text)) {
        Some((k, _)) => {
            let coded = layout.unsur_of_code(k);
            format!(
                "judul kolom '{text}' ambigu: kodenya U{k} berarti {} (urutan \
                 [kuesioner] unsur_order), tetapi kata-katanya menyebut {}; \
                 perbaiki kode atau nama unsurnya agar sama",
                coded.name(),
                names(&mut fields.iter().filter(|f| **f != coded))
            )
        }
        None => format!(
            "judul kolom '{text}' cocok dengan lebih dari satu arti ({}); ganti \
             judulnya dengan kode (U1–U9) atau nama unsur",
            names(&mut fields.iter())
        ),
    }
}
