//! The page model of a unit's report (one unit and year, as gold has it), and the words its
//! page (`unit_page.rs`) and sheet (`unit_sheet.rs`) share. Read from gold by `unit_report.rs`;
//! neither the page nor the sheet imports the reader back.

use crate::domain::Periode;

use super::numbers;

/// One unsur of one period, as gold has it.
#[derive(Debug, Clone)]
pub struct UnsurCell {
    pub kode: String,
    /// The short name the seeds print as column header ("Persyaratan", "Sarpras").
    pub judul: String,
    pub nrr_bulat: Option<f64>,
    pub ikm_unsur_bulat: Option<f64>,
    pub mutu: Option<String>,
}

/// An unsur among the lowest of a period (gold `prioritas`), with its tie.
#[derive(Debug, Clone)]
pub struct Low {
    pub peringkat: i64,
    pub kode: String,
    pub unsur: String,
    pub nrr_bulat: Option<f64>,
    pub seri: bool,
}

/// One period of a unit: the seeds' table.
#[derive(Debug, Clone)]
pub struct PeriodTable {
    pub periode: Periode,
    /// `responden` (computed from the questionnaires) or `rekap` (as a recap sheet states).
    pub sumber: String,
    /// Nine cells when gold has NRR for the period, else none (a recap without NRR).
    pub unsur: Vec<UnsurCell>,
    pub ikm_bulat: Option<f64>,
    pub mutu: Option<String>,
    pub kinerja: Option<String>,
    pub n_responden: Option<i64>,
    /// The three lowest unsur (more with ties), lowest first.
    pub lowest: Vec<Low>,
    /// The IKM at full precision and its standard error (none on a recap's figure).
    pub ikm: Option<f64>,
    pub ikm_se: Option<f64>,
    /// Gold's 95% interval of the IKM (`ikm_bawah`, `ikm_atas`).
    pub ikm_rentang: Option<(f64, f64)>,
    /// The change from the unit's figure before (gold `ikm_unit.selisih_sebelum`).
    pub sebelum: Option<Change>,
}

/// A change from an earlier figure, and whether it is beyond noise (docs/DOMAIN.md §1.12).
#[derive(Debug, Clone)]
pub struct Change {
    pub tahun: i32,
    pub periode: String,
    pub selisih: f64,
    /// `None` when one of the two figures has no error (a recap's).
    pub nyata: Option<bool>,
}

/// The yearly figure and how it was made.
#[derive(Debug, Clone)]
pub struct YearFigure {
    pub table: PeriodTable,
    /// `aturan_tahun` as gold writes it.
    pub aturan: String,
    /// The rule in Indonesian words.
    pub aturan_kata: String,
    pub periode_dipakai: Option<String>,
    pub lengkap: Option<bool>,
    pub catatan: Option<String>,
    /// The yearly IKM a recap states for the unit, when the figure shown is computed from
    /// respondents.
    pub rekap_bulat: Option<f64>,
}

/// The sample against Krejcie–Morgan (gold `sampel`).
#[derive(Debug, Clone, Default)]
pub struct Sample {
    pub populasi: Option<i64>,
    pub sumber_populasi: Option<String>,
    pub sampel_minimum: Option<i64>,
    pub n_responden: Option<i64>,
    pub sumber_responden: Option<String>,
    pub cukup: Option<bool>,
}

/// A profile group (gold `profil`, the unit's rows).
#[derive(Debug, Clone)]
pub struct ProfileRow {
    pub dimensi: String,
    pub kelompok: String,
    pub n_responden: Option<i64>,
    pub ikm_bulat: Option<f64>,
    pub cukup: Option<bool>,
}

/// Everything a unit's page and sheet show for one year.
#[derive(Debug, Clone)]
pub struct UnitYear {
    pub unit_id: String,
    pub unit_nama: String,
    pub jenis_unit: Option<String>,
    pub kecamatan: Option<String>,
    pub tahun: i32,
    /// The waves of the year (not TAHUN), in period order.
    pub periods: Vec<PeriodTable>,
    pub year: Option<YearFigure>,
    pub sample: Option<Sample>,
    pub profile: Vec<ProfileRow>,
    /// The follow-up plans of the unit and year (issue 16), as (heading, value) per row; empty
    /// when there is no follow-up table.
    pub plans: Vec<Vec<(String, String)>>,
}

impl UnitYear {
    /// True when no figure of the year comes from the unit's own questionnaires.
    pub fn only_recap(&self) -> bool {
        self.periods
            .iter()
            .chain(self.year.as_ref().map(|y| &y.table))
            .all(|p| p.sumber != "responden")
    }

    /// The file name both reports share: `<unit_id>_<tahun>`.
    pub fn stem(&self) -> String {
        format!("{}_{}", self.unit_id, self.tahun)
    }
}

/// Words the pages and sheets share.
pub mod words {
    use super::*;

    /// "86,71 (BAIK)", as the seeds print a unit's IKM.
    pub fn ikm_dengan_kinerja(p: &PeriodTable) -> String {
        match p.ikm_bulat {
            Some(v) => format!(
                "{} ({})",
                numbers::ikm(v),
                p.kinerja.as_deref().unwrap_or("-").to_uppercase()
            ),
            None => "-".into(),
        }
    }

    /// "86,71 ± 0,24 (86,48–86,95)": the IKM with its 95% margin of error, or why it has none.
    pub fn ikm_galat(p: &PeriodTable) -> Option<String> {
        match (p.ikm, p.ikm_se) {
            (Some(v), Some(se)) => Some(match p.ikm_rentang {
                Some((lo, hi)) => format!(
                    "{} (rentang {}–{})",
                    numbers::ikm_galat(v, se),
                    numbers::ikm(lo),
                    numbers::ikm(hi)
                ),
                None => numbers::ikm_galat(v, se),
            }),
            (Some(_), None) if p.sumber == "rekap" => {
                Some("tidak diketahui: nilai dari rekap, tanpa jawaban responden".into())
            }
            (Some(_), None) => Some("tidak dapat dihitung: kurang dari dua responden".into()),
            _ => None,
        }
    }

    /// "+0,44 poin dari Triwulan III 2024: dalam batas galat (belum tentu perubahan nyata)".
    pub fn perubahan(p: &PeriodTable) -> Option<(String, String)> {
        let c = p.sebelum.as_ref()?;
        let label = format!(
            "Dibanding {} {}",
            numbers::periode_kode_nama(&c.periode),
            c.tahun
        );
        Some((
            label,
            format!("{} poin, {}", numbers::selisih(c.selisih), verdict(c.nyata)),
        ))
    }

    /// Whether a change is beyond noise, in words (docs/DOMAIN.md §1.12).
    pub fn verdict(nyata: Option<bool>) -> &'static str {
        match nyata {
            Some(true) => "di luar batas galat: perubahan nyata",
            Some(false) => "dalam batas galat: belum tentu perubahan nyata",
            None => "tidak dapat diuji: salah satu nilai tanpa margin galat (rekap)",
        }
    }

    /// The table's title: "Nilai Survei Kepuasan Masyarakat Semester I".
    pub fn judul_periode(p: &PeriodTable, tahun: i32) -> String {
        match p.periode {
            Periode::Tahun => format!("Nilai Survei Kepuasan Masyarakat Tahun {tahun}"),
            other => format!(
                "Nilai Survei Kepuasan Masyarakat {}",
                numbers::periode_nama(other)
            ),
        }
    }

    /// Where a period's figure comes from.
    pub fn sumber(p: &PeriodTable) -> String {
        match (p.sumber.as_str(), p.n_responden) {
            ("responden", Some(n)) => format!(
                "Sumber: dihitung ulang oleh skm dari {} kuesioner responden.",
                numbers::bilangan(n)
            ),
            ("responden", None) => "Sumber: dihitung ulang oleh skm dari kuesioner responden.".into(),
            _ if p.unsur.is_empty() => "Sumber: rekap IKM yang dikirim (nilai IKM saja; tidak ada kuesioner mentah maupun NRR per unsur untuk periode ini).".into(),
            _ => "Sumber: rekap IKM yang dikirim (NRR per unsur dari rekap; tidak ada kuesioner mentah untuk periode ini).".into(),
        }
    }

    /// The lowest unsur in a sentence: "Waktu (U3, 3,215), Persyaratan (U1, 3,241) dan
    /// Prosedur (U2, 3,367, seri)".
    pub fn terendah(p: &PeriodTable) -> Option<String> {
        if p.lowest.is_empty() {
            return None;
        }
        let items: Vec<String> = p
            .lowest
            .iter()
            .map(|l| {
                format!(
                    "{}. {} ({}, NRR {}{})",
                    l.peringkat,
                    l.unsur,
                    l.kode,
                    l.nrr_bulat.map(numbers::nrr).unwrap_or_else(|| "-".into()),
                    if l.seri { ", seri" } else { "" }
                )
            })
            .collect();
        Some(numbers::daftar(&items))
    }

    /// The sample against Krejcie–Morgan in a sentence.
    pub fn sampel(s: &Sample) -> String {
        let n = s
            .n_responden
            .map(numbers::bilangan)
            .unwrap_or_else(|| "tidak diketahui".into());
        match (s.populasi, s.sampel_minimum) {
            (Some(pop), Some(min)) => format!(
                "Populasi {} orang; sampel minimum menurut Krejcie–Morgan {} responden; responden {}: {}.",
                numbers::bilangan(pop),
                numbers::bilangan(min),
                n,
                match s.cukup {
                    Some(true) => "sampel cukup",
                    Some(false) => "sampel kurang",
                    None => "kecukupan tidak dapat dinilai",
                }
            ),
            _ => format!(
                "Jumlah responden {n}. Populasi tidak diketahui (isi [populasi] di konfigurasi skm atau kolom populasi di daftar unit), sehingga sampel minimum Krejcie–Morgan tidak dapat dihitung."
            ),
        }
    }

    /// A profile dimension's name.
    pub fn dimensi(d: &str) -> String {
        match d {
            "jenis_kelamin" => "Jenis kelamin".into(),
            "jenis_layanan" => "Jenis layanan".into(),
            "pendidikan" => "Pendidikan".into(),
            "pekerjaan" => "Pekerjaan".into(),
            "umur_kelompok" => "Kelompok umur".into(),
            other => other.replace('_', " "),
        }
    }

    /// A profile group's name: "L" is "Laki-laki".
    pub fn kelompok(d: &str, k: &str) -> String {
        match (d, k) {
            ("jenis_kelamin", "L") => "Laki-laki".into(),
            ("jenis_kelamin", "P") => "Perempuan".into(),
            _ => k.to_string(),
        }
    }

    /// The grade bands, for a legend: an NRR is graded as its IKM (NRR × 25 rounded to 2
    /// decimals, docs/DOMAIN.md), so its bounds are the IKM bands' (3,5322, not the printed
    /// table's 3,5324, which leaves gaps).
    pub const LEGENDA: [(&str, &str, &str); 4] = [
        ("A", "Sangat Baik", "IKM 88,31–100,00 (NRR ≥ 3,5322)"),
        ("B", "Baik", "IKM 76,61–88,30 (NRR ≥ 3,0642)"),
        ("C", "Kurang Baik", "IKM 65,00–76,60 (NRR ≥ 2,5998)"),
        ("D", "Tidak Baik", "IKM 25,00–64,99 (NRR < 2,5998)"),
    ];

    #[cfg(test)]
    mod tests {
        use crate::domain::Mutu;

        /// Each legend's NRR bound is where `Mutu::of_nrr` changes grade.
        #[test]
        fn the_legend_says_where_the_grades_change() {
            let grades = [Mutu::A, Mutu::B, Mutu::C, Mutu::D];
            for (k, (letter, _, range)) in super::LEGENDA.iter().enumerate() {
                assert_eq!(grades[k].letter(), *letter);
                let bound: f64 = range
                    .rsplit(' ')
                    .next()
                    .unwrap()
                    .trim_end_matches(')')
                    .replace(',', ".")
                    .parse()
                    .unwrap();
                if k < 3 {
                    assert_eq!(Mutu::of_nrr(bound), Some(grades[k]), "{range}");
                    assert_eq!(Mutu::of_nrr(bound - 0.0001), Some(grades[k + 1]), "{range}");
                } else {
                    assert_eq!(Mutu::of_nrr(bound - 0.0001), Some(Mutu::D), "{range}");
                }
            }
        }
    }
}
