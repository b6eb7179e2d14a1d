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
        RealisasiSebagian = "realisasi_sebagian",
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
        ResponsTidakSelesai = "respons_tidak_selesai",
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
            | RealisasiSebagian
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

/// A reject read back from a `RejectLog`: its texts borrowed from the log.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RejectRef<'a> {
    pub source_file: &'a str,
    pub sheet: &'a str,
    pub source_row: Option<u32>,
    pub kolom: &'a str,
    pub nilai: &'a str,
    pub alasan: &'a str,
    pub kode: RejectCode,
}

impl RejectRef<'_> {
    /// `Reject::is_whole_sheet`.
    pub fn is_whole_sheet(&self) -> bool {
        self.source_row.is_none() || self.kode.group() != RejectGroup::Baris
    }

    pub fn to_reject(&self) -> Reject {
        Reject {
            source_file: self.source_file.to_string(),
            sheet: self.sheet.to_string(),
            source_row: self.source_row,
            kolom: self.kolom.to_string(),
            nilai: self.nilai.to_string(),
            alasan: self.alasan.to_string(),
            kode: self.kode,
        }
    }
}

/// A run's or a file's rejects, kept compact from the first row read to the rejects table
/// written in pieces (`normalize::frame::rejects_pieces`): each file and sheet once, each
/// distinct text of a column once where the same text keeps coming (a wrong scale gives the
/// same kolom, nilai and alasan on every row), and 24 bytes a row. A `Reject` of its own costs
/// ~260 bytes in six allocations: a million-row file answered on the wrong scale (8.8M
/// rejects) peaked at 3.4 GB when its rejects were `Reject`s and a frame of them.
#[derive(Debug, Default, Clone)]
pub struct RejectLog {
    /// The texts of kolom, nilai and alasan, one after the other (`Texts`).
    texts: Texts,
    /// The (file, sheet) places, in order of first appearance.
    places: Vec<(String, String)>,
    /// The rows in blocks of up to `BLOCK` (a log of millions grows without copying itself,
    /// and without twice its size reserved; a log appended brings its blocks as they are).
    blocks: Vec<Vec<LogRow>>,
    /// Where each block starts among the rows.
    starts: Vec<usize>,
}

const BLOCK: usize = 1 << 16;

#[derive(Debug, Clone, Copy)]
struct LogRow {
    place: u32,
    /// `NO_ROW` for a file or sheet.
    source_row: u32,
    /// kolom, nilai and alasan in `texts`.
    texts: [u32; 3],
    kode: RejectCode,
}

const NO_ROW: u32 = u32::MAX;

/// Texts in one buffer, each known by its number; a text equal to one met recently (by a
/// table of 1,024 slots, by hash) is given that one's number instead of being kept again.
#[derive(Debug, Clone)]
struct Texts {
    buf: String,
    /// Where text `i` ends in `buf` (it starts where `i - 1` ends).
    ends: Vec<usize>,
    recent: Box<[u32; RECENT]>,
}

const RECENT: usize = 1024;

impl Default for Texts {
    fn default() -> Self {
        Texts {
            buf: String::new(),
            ends: Vec::new(),
            recent: Box::new([u32::MAX; RECENT]),
        }
    }
}

impl Texts {
    fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }

    fn id(&mut self, t: &str) -> u32 {
        let slot = slot_of(t);
        let seen = self.recent[slot];
        if seen != u32::MAX && self.get(seen) == t {
            return seen;
        }
        self.buf.push_str(t);
        self.ends.push(self.buf.len());
        // (u32::MAX marks an empty slot of `recent`: no text has it.)
        let id = u32::try_from(self.ends.len() - 1)
            .ok()
            .filter(|&id| id < u32::MAX)
            .expect("fewer than 4G reject texts");
        self.recent[slot] = id;
        id
    }
}

/// The slot of a text in `Texts::recent` (FNV-1a over its bytes).
fn slot_of(t: &str) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in t.bytes() {
        h = (h ^ b as u32).wrapping_mul(0x0100_0193);
    }
    (h ^ (h >> 16)) as usize % RECENT
}

impl RejectLog {
    pub fn push(&mut self, r: Reject) {
        self.push_ref(&RejectRef {
            source_file: &r.source_file,
            sheet: &r.sheet,
            source_row: r.source_row,
            kolom: &r.kolom,
            nilai: &r.nilai,
            alasan: &r.alasan,
            kode: r.kode,
        });
    }

    pub fn push_ref(&mut self, r: &RejectRef<'_>) {
        debug_assert!(
            r.source_row != Some(NO_ROW),
            "row {NO_ROW} is no row's number"
        );
        let same = |(f, s): &(String, String)| f == r.source_file && s == r.sheet;
        if !self.places.last().is_some_and(same) {
            self.places
                .push((r.source_file.to_string(), r.sheet.to_string()));
        }
        let texts = [r.kolom, r.nilai, r.alasan].map(|t| self.texts.id(t));
        let row = LogRow {
            place: (self.places.len() - 1) as u32,
            source_row: r.source_row.unwrap_or(NO_ROW),
            texts,
            kode: r.kode,
        };
        match self.blocks.last_mut() {
            Some(b) if b.len() < BLOCK => b.push(row),
            _ => {
                // The first block grows as a small log's rows come; the others start full size.
                let mut b = Vec::with_capacity(if self.blocks.is_empty() { 16 } else { BLOCK });
                b.push(row);
                self.starts.push(self.len());
                self.blocks.push(b);
            }
        }
    }

    /// Appends another log's rejects after this one's: its texts and places added after
    /// this one's, its blocks taken over with their numbers moved on (no row copied: a big
    /// file's millions of rejects appended after a small file's are not held twice).
    pub fn append(&mut self, mut other: RejectLog) {
        if self.is_empty() {
            *self = other;
            return;
        }
        let texts = self.texts.ends.len() + other.texts.ends.len();
        assert!(texts < u32::MAX as usize, "fewer than 4G reject texts");
        let text_base = self.texts.ends.len() as u32;
        let place_base = u32::try_from(self.places.len()).expect("fewer than 4G places");
        let buf_base = self.texts.buf.len();
        self.texts.buf.push_str(&other.texts.buf);
        let ends = other.texts.ends.iter().map(|e| e + buf_base);
        self.texts.ends.extend(ends);
        self.places.append(&mut other.places);
        for mut block in other.blocks {
            for row in &mut block {
                row.place += place_base;
                row.texts = row.texts.map(|t| t + text_base);
            }
            if block.is_empty() {
                continue;
            }
            // (A block taken over keeps no room it does not use: a chunk's last block was
            // made for 64K rows, and a file of many chunks appends one each.)
            block.shrink_to_fit();
            self.starts.push(self.len());
            self.blocks.push(block);
        }
    }

    pub fn len(&self) -> usize {
        match (self.starts.last(), self.blocks.last()) {
            (Some(start), Some(last)) => start + last.len(),
            _ => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Reject `i` (in the order pushed).
    pub fn get(&self, i: usize) -> RejectRef<'_> {
        let b = self.starts.partition_point(|&s| s <= i) - 1;
        self.read(&self.blocks[b][i - self.starts[b]])
    }

    fn read(&self, row: &LogRow) -> RejectRef<'_> {
        let (file, sheet) = &self.places[row.place as usize];
        let [kolom, nilai, alasan] = row.texts.map(|t| self.texts.get(t));
        RejectRef {
            source_file: file,
            sheet,
            source_row: (row.source_row != NO_ROW).then_some(row.source_row),
            kolom,
            nilai,
            alasan,
            kode: row.kode,
        }
    }

    /// The rejects, in the order they were pushed.
    pub fn iter(&self) -> impl Iterator<Item = RejectRef<'_>> + '_ {
        self.blocks.iter().flatten().map(|r| self.read(r))
    }

    /// Rejects `range` (in the order pushed).
    pub fn range(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = RejectRef<'_>> + '_ {
        range.map(|i| self.get(i))
    }

    /// The rejects as `Reject`s of their own (tests, small logs).
    pub fn into_rejects(self) -> Vec<Reject> {
        self.iter().map(|r| r.to_reject()).collect()
    }

    /// How many rejects each code has.
    pub fn by_kode(&self) -> std::collections::BTreeMap<String, usize> {
        let mut n = [0usize; RejectCode::ALL.len()];
        for r in self.blocks.iter().flatten() {
            n[r.kode as usize] += 1;
        }
        RejectCode::ALL
            .iter()
            .zip(n)
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| (c.as_str().to_string(), n))
            .collect()
    }
}

impl Extend<Reject> for RejectLog {
    fn extend<I: IntoIterator<Item = Reject>>(&mut self, rejects: I) {
        for r in rejects {
            self.push(r);
        }
    }
}

impl FromIterator<Reject> for RejectLog {
    fn from_iter<I: IntoIterator<Item = Reject>>(rejects: I) -> Self {
        let mut log = RejectLog::default();
        log.extend(rejects);
        log
    }
}

impl From<Vec<Reject>> for RejectLog {
    fn from(rejects: Vec<Reject>) -> Self {
        rejects.into_iter().collect()
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

    /// Texts that come again and again, texts met once, texts that share a slot of the recent
    /// table (more distinct texts than it has slots), files and sheets that come back, more
    /// rows than a block: every reject read back as pushed, by index, in order, and as counts
    /// by code; and the same from logs appended.
    #[test]
    fn a_log_keeps_every_text_whatever_repeats() {
        let mut rejects = Vec::new();
        let mut seed: u64 = 7;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for i in 0..140_000u32 {
            let file = format!("f{}.csv", next(3));
            let unique = next(4) == 0;
            rejects.push(Reject {
                source_file: file,
                sheet: if next(2) == 0 {
                    String::new()
                } else {
                    "Form Responses 1".into()
                },
                source_row: (next(10) != 0).then_some(i + 2),
                kolom: format!("U{}", next(9) + 1),
                nilai: if unique {
                    format!("x{i}")
                } else {
                    format!("{}", next(3000))
                },
                alasan: format!("nilai di luar skala 1–{}", next(2) + 4),
                kode: RejectCode::ALL[next(RejectCode::ALL.len() as u64) as usize],
            });
        }
        let log: RejectLog = rejects.iter().cloned().collect();
        assert_eq!(log.len(), rejects.len());
        for (i, r) in rejects.iter().enumerate().step_by(97) {
            assert_eq!(log.get(i).to_reject(), *r);
        }
        let mut by = std::collections::BTreeMap::new();
        for r in &rejects {
            *by.entry(r.kode.as_str().to_string()).or_insert(0) += 1;
        }
        assert_eq!(log.by_kode(), by);
        let n = rejects.len();
        let tail: Vec<Reject> = log.range(n - 10..n).map(|r| r.to_reject()).collect();
        assert_eq!(tail, rejects[n - 10..]);
        assert_eq!(log.into_rejects(), rejects);
        // The same rejects as logs of 7,777 appended one after another (blocks of any size,
        // texts and places numbered on), then one more pushed: the same rows.
        let mut pieced = RejectLog::default();
        for part in rejects.chunks(7_777) {
            pieced.append(part.iter().cloned().collect());
            pieced.append(RejectLog::default());
        }
        assert_eq!(pieced.len(), n);
        for i in (0..n)
            .step_by(61)
            .chain([7_776, 7_777, 65_535, 65_536, n - 1])
        {
            assert_eq!(pieced.get(i).to_reject(), rejects[i], "reject {i}");
        }
        pieced.push(rejects[3].clone());
        assert_eq!(pieced.get(n).to_reject(), rejects[3]);
        let mut all = rejects.clone();
        all.push(rejects[3].clone());
        assert_eq!(pieced.into_rejects(), all);
    }

    /// Two logs appended are one log of both, in order (the first taken over whole when
    /// the log appended to is empty).
    #[test]
    fn logs_append_in_order() {
        let r = |f: &str, row: Option<u32>, kode| Reject {
            source_file: f.to_string(),
            sheet: "Sheet1".to_string(),
            source_row: row,
            kolom: "U3".to_string(),
            nilai: "\"5\"".to_string(),
            alasan: "nilai di luar skala 1–4".to_string(),
            kode,
        };
        let a = vec![
            r("a.csv", Some(2), RejectCode::JawabanDiLuarSkala),
            r("a.csv", None, RejectCode::LembarKosong),
        ];
        let b = vec![r("b.xlsx", Some(9), RejectCode::TanpaJawaban)];
        let log: RejectLog = a.clone().into();
        let mut both = log.clone();
        both.append(b.clone().into());
        assert_eq!(both.into_rejects(), [a.clone(), b.clone()].concat());
        let mut empty = RejectLog::default();
        empty.append(log);
        assert_eq!(empty.into_rejects(), a);
        assert!(!RejectRef::is_whole_sheet(
            &b.iter().cloned().collect::<RejectLog>().get(0)
        ));
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
