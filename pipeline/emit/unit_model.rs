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
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileRow {
    pub dimensi: String,
    pub kelompok: String,
    pub n_responden: Option<i64>,
    pub ikm_bulat: Option<f64>,
    pub cukup: Option<bool>,
}

/// The most groups of one profile dimension a unit's page and sheet list.
pub const PROFILE_GROUPS_SHOWN: usize = 50;

/// A unit's profile rows as its page and sheet list them: a dimension of at most
/// `PROFILE_GROUPS_SHOWN` groups as it is; one of more (a free-text column: every respondent's
/// own words for the service) its `PROFILE_GROUPS_SHOWN` largest groups, largest first, and one
/// row for the rest (how many groups, their respondents; every group stays in `gold/profil`).
/// A year of one unit with 1.1M different `Jenis Layanan` texts made a sheet over Excel's
/// 1,048,576 rows, and the run failed.
pub fn profile_shown(rows: Vec<ProfileRow>) -> Vec<ProfileRow> {
    let mut out = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while let Some(first) = rows.next() {
        let mut dim = vec![first];
        while let Some(r) = rows.next_if(|r| r.dimensi == dim[0].dimensi) {
            dim.push(r);
        }
        if dim.len() <= PROFILE_GROUPS_SHOWN {
            out.extend(dim);
            continue;
        }
        dim.sort_by_key(|r| std::cmp::Reverse(r.n_responden.unwrap_or(0)));
        let rest = dim.split_off(PROFILE_GROUPS_SHOWN);
        let n: i64 = rest.iter().filter_map(|r| r.n_responden).sum();
        let dimensi = dim[0].dimensi.clone();
        out.extend(dim);
        out.push(ProfileRow {
            dimensi,
            kelompok: format!(
                "{} kelompok lain (semuanya di gold/profil)",
                super::numbers::bilangan(rest.len() as i64)
            ),
            n_responden: Some(n),
            ikm_bulat: None,
            cukup: None,
        });
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(d: &str, k: &str, n: i64) -> ProfileRow {
        ProfileRow {
            dimensi: d.into(),
            kelompok: k.into(),
            n_responden: Some(n),
            ikm_bulat: Some(80.0),
            cukup: Some(n >= 30),
        }
    }

    /// Dimensions of up to `PROFILE_GROUPS_SHOWN` groups listed as they are, in their order;
    /// a free-text one (a group per respondent, a few repeated) its largest groups, largest
    /// first, ties in their order, then one row for the rest with their respondents.
    #[test]
    fn a_free_text_dimension_lists_its_largest_groups_and_counts_the_rest() {
        let mut rows = vec![row("jenis_kelamin", "L", 40), row("jenis_kelamin", "P", 60)];
        for i in 0..500 {
            let n = match i {
                7 => 90,
                300 => 45,
                _ => 1 + (i % 3),
            };
            rows.push(row("jenis_layanan", &format!("layanan {i}"), n));
        }
        rows.push(row("pendidikan", "S1", 100));
        let shown = profile_shown(rows.clone());
        assert_eq!(shown[..2], rows[..2].to_vec()[..]);
        let layanan: Vec<&ProfileRow> = shown
            .iter()
            .filter(|r| r.dimensi == "jenis_layanan")
            .collect();
        assert_eq!(layanan.len(), PROFILE_GROUPS_SHOWN + 1);
        assert_eq!(layanan[0].kelompok, "layanan 7");
        assert_eq!(layanan[1].kelompok, "layanan 300");
        // Then the groups of 3, in their order: layanan 2, 5, 8, …
        assert_eq!(layanan[2].kelompok, "layanan 2");
        assert_eq!(layanan[3].kelompok, "layanan 5");
        let rest = layanan[PROFILE_GROUPS_SHOWN];
        assert_eq!(rest.kelompok, "450 kelompok lain (semuanya di gold/profil)");
        let all: i64 = rows[2..502].iter().filter_map(|r| r.n_responden).sum();
        let listed: i64 = layanan[..PROFILE_GROUPS_SHOWN]
            .iter()
            .filter_map(|r| r.n_responden)
            .sum();
        assert_eq!(rest.n_responden, Some(all - listed));
        assert_eq!((rest.ikm_bulat, rest.cukup), (None, None));
        assert_eq!(shown.last().unwrap().kelompok, "S1");
        let few: Vec<ProfileRow> = rows[..2].to_vec();
        assert_eq!(profile_shown(few.clone()), few);
    }
}
