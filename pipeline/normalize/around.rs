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
/// A range's end written as a numeral alone counts as a period of the same kind: `Triwulan I -
/// IV` and `Semester I dan II` name TW1 and TW4, S1 and S2.
pub fn periods_in_text(t: &str) -> Vec<Periode> {
    let words: Vec<String> = crate::domain::unsur::fold(t)
        .split(' ')
        .map(str::to_string)
        .collect();
    let mut found: Vec<Periode> = Vec::new();
    let mut push = |p: Periode| {
        if !found.contains(&p) {
            found.push(p);
        }
    };
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
        match (pair, glued) {
            (Some(p), _) => {
                push(p);
                // The range's or list's other ends: `- IV`, `s.d. III`, `dan II`.
                let mut j = i + 2;
                while j < words.len() {
                    while j < words.len() && is_joint(&words[j]) {
                        j += 1;
                    }
                    let end = words
                        .get(j)
                        .and_then(|n| Periode::parse(&format!("{w} {n}")));
                    match end.filter(|_| p != Periode::Tahun) {
                        Some(e) => {
                            push(e);
                            j += 1;
                        }
                        None => break,
                    }
                }
                i = j.max(i + 2);
            }
            (None, g) => {
                if let Some(g) = g {
                    push(g);
                }
                i += 1;
            }
        }
    }
    found
}

/// A word joining a range's or list's ends (after folding: `s.d.` is `s d`).
fn is_joint(w: &str) -> bool {
    matches!(
        w,
        "s" | "d" | "sd" | "sampai" | "hingga" | "dan" | "to" | "until"
    )
}

/// The shortest period that holds every one of `periods` (TW1 and TW2: S1; TW1 and TW4, S1
/// and S2: the year), or `None` for none.
pub fn covering(periods: &[Periode]) -> Option<Periode> {
    let first = periods.iter().map(|p| p.months().0).min()?;
    let last = periods.iter().map(|p| p.months().1).max()?;
    Periode::holding(first, last)
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
        // A range's end as a numeral alone.
        assert_eq!(
            periods_in_text("REKAP IKM TRIWULAN I - IV TAHUN 2024"),
            vec![Periode::TW1, Periode::TW4, Periode::Tahun]
        );
        assert_eq!(
            periods_in_text("Semester I dan II Tahun 2024"),
            vec![Periode::S1, Periode::S2, Periode::Tahun]
        );
        assert_eq!(
            periods_in_text("IKM Tahun 2024 (TW I - TW IV)"),
            vec![Periode::Tahun, Periode::TW1, Periode::TW4]
        );
        assert_eq!(
            covering(&[Periode::TW1, Periode::TW4]),
            Some(Periode::Tahun)
        );
        assert_eq!(covering(&[Periode::TW1, Periode::TW2]), Some(Periode::S1));
        assert_eq!(covering(&[Periode::TW3]), Some(Periode::TW3));
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
