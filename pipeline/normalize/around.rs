//! What a sheet says about itself outside its rows: the unit, the year and the period named in
//! the rows above the header, the sheet name, the file name or its folders.

use super::values;
use crate::domain::Periode;
use crate::ingest::{Cell, RawSheet};
use crate::registry::Registry;

/// What the rows above the header, the sheet name and the file path say about the unit,
/// the year and the period.
#[derive(Debug, Default)]
pub struct Around {
    pub unit_id: Option<String>,
    /// Which of the texts named the unit.
    pub unit_dari: Option<super::UnitDari>,
    pub tahun: Option<i32>,
    pub periode: Option<Periode>,
}

pub fn around(sheet: &RawSheet, header_row: usize, registry: &Registry) -> Around {
    let mut texts: Vec<String> = sheet.rows[..header_row]
        .iter()
        .flat_map(|r| r.iter().map(Cell::display))
        .filter(|t| !t.is_empty())
        .collect();
    let titles = texts.len();
    texts.push(sheet.sheet.clone());
    let path = std::path::Path::new(&sheet.file);
    if let Some(stem) = path.file_stem() {
        texts.push(stem.to_string_lossy().replace(['_', '-'], " "));
    }
    for dir in path
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .collect::<Vec<_>>()
        .iter()
        .rev()
    {
        texts.push(dir.as_os_str().to_string_lossy().replace(['_', '-'], " "));
    }
    let mut a = Around::default();
    for (i, t) in texts.iter().enumerate() {
        if a.unit_id.is_none() {
            a.unit_id = unit_in_text(t, registry);
            if a.unit_id.is_some() {
                use super::UnitDari;
                a.unit_dari = Some(match i.checked_sub(titles) {
                    None => UnitDari::Judul,
                    Some(0) => UnitDari::NamaLembar,
                    Some(1) if path.file_stem().is_some() => UnitDari::NamaBerkas,
                    Some(_) => UnitDari::Folder,
                });
            }
        }
        if a.tahun.is_none() {
            a.tahun = values::year_in_text(t);
        }
        if a.periode.is_none() {
            a.periode = periode_in_text(t);
        }
    }
    a
}

/// A unit named in a title: the whole text, the part after a colon, or the longest run of
/// words that names a unit ("SURVEI KEPUASAN MASYARAKAT KECAMATAN BEKASI TIMUR TW III").
pub fn unit_in_text(t: &str, registry: &Registry) -> Option<String> {
    if let Some(u) = registry.lookup(t) {
        return Some(u.unit_id.clone());
    }
    if let Some((_, after)) = t.split_once(':') {
        if let Some(u) = registry.lookup(after) {
            return Some(u.unit_id.clone());
        }
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    let mut best: Option<(usize, String)> = None;
    for i in 0..words.len() {
        for j in (i + 1..=words.len().min(i + 10)).rev() {
            let phrase = words[i..j].join(" ");
            // A bare kecamatan name inside a long title is too weak a hint unless prefixed.
            let first = crate::domain::unsur::fold(words[i]);
            let prefixed = matches!(
                first.as_str(),
                "kecamatan"
                    | "kec"
                    | "puskesmas"
                    | "pusk"
                    | "pkm"
                    | "dinas"
                    | "badan"
                    | "rsud"
                    | "sekretariat"
                    | "inspektorat"
                    | "satuan"
                    | "pemerintah"
                    | "pemkot"
            );
            if !prefixed && j - i < words.len() {
                continue;
            }
            if let Some(u) = registry.lookup(&phrase) {
                if best.as_ref().is_none_or(|(n, _)| j - i > *n) {
                    best = Some((j - i, u.unit_id.clone()));
                }
                break;
            }
        }
    }
    best.map(|(_, id)| id)
}

/// The first period a text names (`Triwulan III`, `TW3`, `Semester I`, `Tahun`).
pub fn periode_in_text(t: &str) -> Option<Periode> {
    periods_in_text(t).into_iter().next()
}

/// Every period a text names, in order, each once (`Triwulan I s.d. Triwulan III`: TW1, TW3).
pub fn periods_in_text(t: &str) -> Vec<Periode> {
    let words: Vec<String> = crate::domain::unsur::fold(t)
        .split(' ')
        .map(str::to_string)
        .collect();
    let mut found: Vec<Periode> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let pair = (i + 1 < words.len())
            .then(|| Periode::parse(&format!("{} {}", words[i], words[i + 1])))
            .flatten();
        let w = &words[i];
        // A glued code only ("TW3", "S1", "SMT2"), not every short word.
        let glued = (w.len() <= 5 && w.chars().any(|c| c.is_ascii_digit()))
            .then(|| Periode::parse(w).filter(|p| *p != Periode::Tahun))
            .flatten();
        let (p, step) = match (pair, glued) {
            (Some(p), _) => (Some(p), 2),
            (None, g) => (g, 1),
        };
        if let Some(p) = p.filter(|p| !found.contains(p)) {
            found.push(p);
        }
        i += step;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_period_a_text_names() {
        assert_eq!(
            periods_in_text("REKAP IKM TRIWULAN III TAHUN 2024"),
            vec![Periode::TW3, Periode::Tahun]
        );
        assert_eq!(
            periods_in_text("Triwulan I s.d. Triwulan III"),
            vec![Periode::TW1, Periode::TW3]
        );
        assert_eq!(
            periods_in_text("Nilai IKM Semester I Tahun 2024")[0],
            Periode::S1
        );
        assert_eq!(
            periods_in_text("Rekap IKM TW3 2024.xlsx"),
            vec![Periode::TW3]
        );
        assert!(periods_in_text("Rekapitulasi Nilai IKM").is_empty());
    }

    #[test]
    fn units_and_periods_named_in_titles() {
        let r = Registry::embedded();
        let u = |t: &str| unit_in_text(t, &r);
        assert_eq!(
            u("Tabel 3.1 Capaian Kinerja Pemerintah Kota Bekasi Tahun 2023").as_deref(),
            Some("pemerintah-kota-bekasi")
        );
        assert_eq!(
            u("REKAPITULASI SKM KECAMATAN BEKASI TIMUR TRIWULAN III").as_deref(),
            Some("kecamatan-bekasi-timur")
        );
        assert_eq!(u("Survei Kepuasan Masyarakat"), None);
        assert_eq!(
            periode_in_text("TRIWULAN IV TAHUN 2024"),
            Some(Periode::TW4)
        );
        assert_eq!(periode_in_text("Nilai IKM SMT1"), Some(Periode::S1));
        assert_eq!(
            periode_in_text("Nilai Rata-Rata IKM SM II"),
            Some(Periode::S2)
        );
    }
}
