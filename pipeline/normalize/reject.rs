//! Rejects: one row per problem in a rejected row, or per file or sheet that could not be used,
//! with its machine code (`RejectCode`), listed with its group in `schemas/outputs.toml`
//! (`[[reject_code]]`), where the dictionary check holds every written code to that list.

/// One rejected row, or one rejected file or sheet (then `source_row` is `None`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Reject {
    pub source_file: String,
    pub sheet: String,
    pub source_row: Option<u32>,
    pub kolom: String,
    pub nilai: String,
    pub alasan: String,
    pub kode: RejectCode,
}

crate::labels! {
    /// What a reject row reports: a file, a sheet or a row that could not be used.
    pub enum RejectGroup {
        Berkas = "berkas",
        Lembar = "lembar",
        Baris = "baris",
    }
}

crate::labels! {
    /// The machine code of a reject (docs/inputs.md, "What is rejected").
    pub enum RejectCode {
        // A whole file
        BerkasTidakTerbaca = "berkas_tidak_terbaca",
        BerkasTerlaluBesar = "berkas_terlalu_besar",
        TautanTidakDiikuti = "tautan_tidak_diikuti",
        FormatTidakDidukung = "format_tidak_didukung",
        BerkasBerubahSaatDibaca = "berkas_berubah_saat_dibaca",
        // A whole sheet
        LembarTidakDikenali = "lembar_tidak_dikenali",
        LembarKosong = "lembar_kosong",
        LembarTersembunyi = "lembar_tersembunyi",
        UnsurTidakLengkap = "unsur_tidak_lengkap",
        KolomAmbigu = "kolom_ambigu",
        KolomGanda = "kolom_ganda",
        MetodeLama = "metode_lama",
        MetodeLikert5 = "metode_likert5",
        UnitTidakDiketahui = "unit_tidak_diketahui",
        TahunTidakDiketahui = "tahun_tidak_diketahui",
        UrutanTanggalBertentangan = "urutan_tanggal_bertentangan",
        // One row
        JawabanDiLuarSkala = "jawaban_di_luar_skala",
        JawabanBukanBilanganBulat = "jawaban_bukan_bilangan_bulat",
        JawabanTidakTerbaca = "jawaban_tidak_terbaca",
        JawabanBertentangan = "jawaban_bertentangan",
        GalatRumus = "galat_rumus",
        TanpaJawaban = "tanpa_jawaban",
        UnitTidakDikenal = "unit_tidak_dikenal",
        UnitKosong = "unit_kosong",
        TanggalTidakTerbaca = "tanggal_tidak_terbaca",
        TanggalDiMasaDepan = "tanggal_di_masa_depan",
        PeriodeTidakTerbaca = "periode_tidak_terbaca",
        TahunTidakTerbaca = "tahun_tidak_terbaca",
        PeriodeTidakDiketahui = "periode_tidak_diketahui",
        UmurTidakWajar = "umur_tidak_wajar",
        UmurTidakTerbaca = "umur_tidak_terbaca",
        SelTerlaluBesar = "sel_terlalu_besar",
        AngkaTidakTerbaca = "angka_tidak_terbaca",
        AngkaAmbigu = "angka_ambigu",
        TanpaNilai = "tanpa_nilai",
        UnsurTidakDikenal = "unsur_tidak_dikenal",
        WaktuTidakTerbaca = "waktu_tidak_terbaca",
        StatusTidakDikenal = "status_tidak_dikenal",
    }
}

impl RejectCode {
    /// Whether the code stands for a file, a sheet or a row.
    pub fn group(self) -> RejectGroup {
        use RejectCode::*;
        match self {
            BerkasTidakTerbaca
            | BerkasTerlaluBesar
            | TautanTidakDiikuti
            | FormatTidakDidukung
            | BerkasBerubahSaatDibaca => RejectGroup::Berkas,
            LembarTidakDikenali
            | LembarKosong
            | LembarTersembunyi
            | UnsurTidakLengkap
            | KolomAmbigu
            | KolomGanda
            | MetodeLama
            | MetodeLikert5
            | UnitTidakDiketahui
            | TahunTidakDiketahui
            | UrutanTanggalBertentangan => RejectGroup::Lembar,
            _ => RejectGroup::Baris,
        }
    }

    /// A problem with an answer to an unsur (a formula error in an answer cell included).
    pub fn is_answer(self) -> bool {
        use RejectCode::*;
        matches!(
            self,
            JawabanDiLuarSkala
                | JawabanBukanBilanganBulat
                | JawabanTidakTerbaca
                | JawabanBertentangan
                | GalatRumus
        )
    }

    /// A problem with when the response was given: its date, period or year.
    pub fn is_when(self) -> bool {
        use RejectCode::*;
        matches!(
            self,
            TanggalTidakTerbaca
                | TanggalDiMasaDepan
                | PeriodeTidakTerbaca
                | PeriodeTidakDiketahui
                | TahunTidakTerbaca
        )
    }
}

impl Reject {
    /// Whether this reject stands for a whole file or sheet that could not be used (listed as
    /// failed in a run's summary), rather than for one row.
    pub fn is_whole_sheet(&self) -> bool {
        self.source_row.is_none() || self.kode.group() != RejectGroup::Baris
    }
}

/// The reject of a file that cannot be read at all.
pub fn file_reject(file: &str, reason: &str, kode: RejectCode) -> Reject {
    Reject {
        source_file: file.to_string(),
        sheet: String::new(),
        source_row: None,
        kolom: String::new(),
        nilai: String::new(),
        alasan: format!("berkas tidak dapat dibaca: {reason}"),
        kode,
    }
}

/// Rejects kept compact while a big file is read (`silver::stream`): their texts in one
/// buffer, their file and sheet once for every row of the same place. A `Reject` of its own
/// costs ~260 bytes in six allocations made among a chunk's short-lived ones, which kept the
/// allocator's pages from being reused: 150,000 rejects of 30M responses grew the peak by tens
/// of MiB. Here one costs ~130 bytes in two growing buffers.
#[derive(Debug, Default)]
pub struct RejectLog {
    /// Each row's kolom, nilai and alasan, one after the other.
    text: String,
    /// The (file, sheet) places, in order of first appearance.
    places: Vec<(String, String)>,
    rows: Vec<LogRow>,
}

#[derive(Debug)]
struct LogRow {
    place: u32,
    source_row: Option<u32>,
    kode: RejectCode,
    /// Where kolom, nilai and alasan end in `text` (each starts where the one before ends).
    ends: [usize; 3],
}

impl RejectLog {
    pub fn push(&mut self, r: Reject) {
        let same = |(f, s): &(String, String)| *f == r.source_file && *s == r.sheet;
        if !self.places.last().is_some_and(same) {
            self.places.push((r.source_file, r.sheet));
        }
        let mut ends = [0; 3];
        for (end, t) in ends.iter_mut().zip([&r.kolom, &r.nilai, &r.alasan]) {
            self.text.push_str(t);
            *end = self.text.len();
        }
        self.rows.push(LogRow {
            place: (self.places.len() - 1) as u32,
            source_row: r.source_row,
            kode: r.kode,
            ends,
        });
    }

    /// The rejects, in the order they were pushed.
    pub fn into_rejects(self) -> Vec<Reject> {
        let mut start = 0;
        let mut out = Vec::with_capacity(self.rows.len());
        for row in &self.rows {
            let [kolom, nilai, alasan] = row.ends.map(|end| {
                let t = self.text[start..end].to_string();
                start = end;
                t
            });
            let (file, sheet) = &self.places[row.place as usize];
            out.push(Reject {
                source_file: file.clone(),
                sheet: sheet.clone(),
                source_row: row.source_row,
                kolom,
                nilai,
                alasan,
                kode: row.kode,
            });
        }
        out
    }
}

impl Extend<Reject> for RejectLog {
    fn extend<I: IntoIterator<Item = Reject>>(&mut self, rejects: I) {
        for r in rejects {
            self.push(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_gives_back_its_rejects() {
        let r = |f: &str, row: u32, nilai: &str, kode| Reject {
            source_file: f.to_string(),
            sheet: String::new(),
            source_row: Some(row),
            kolom: "U3".to_string(),
            nilai: nilai.to_string(),
            alasan: format!("nilai {nilai} di luar skala 1–4"),
            kode,
        };
        let rejects = vec![
            r("a.csv", 2, "0", RejectCode::JawabanDiLuarSkala),
            r("a.csv", 9, "", RejectCode::TanpaNilai),
            r("b.csv", 3, "é7", RejectCode::JawabanDiLuarSkala),
            r("a.csv", 4, "5", RejectCode::JawabanDiLuarSkala),
        ];
        let mut log = RejectLog::default();
        log.extend(rejects.clone());
        assert_eq!(log.into_rejects(), rejects);
        assert!(RejectLog::default().into_rejects().is_empty());
    }

    /// Every code is listed in the data dictionary with its group, and nothing else is.
    #[test]
    fn codes_are_listed_in_the_dictionary() {
        let dict = crate::tables::Dictionary::embedded();
        let listed: Vec<(String, String)> = dict
            .reject_codes
            .iter()
            .map(|c| (c.kode.clone(), c.kelompok.clone()))
            .collect();
        let ours: Vec<(String, String)> = RejectCode::ALL
            .iter()
            .map(|c| (c.as_str().to_string(), c.group().as_str().to_string()))
            .collect();
        assert_eq!(listed, ours);
        for c in RejectCode::ALL {
            assert_eq!(RejectCode::parse(c.as_str()), Some(*c));
        }
    }
}
