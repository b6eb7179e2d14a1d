//! Column mapping by header text, never by position (schemas/questionnaire.toml).

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::domain::unsur::fold;
use crate::domain::UNSUR;

const LAYOUT_TOML: &str = include_str!("../../schemas/questionnaire.toml");

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Unit,
    JenisLayanan,
    Tanggal,
    Periode,
    Tahun,
    JenisKelamin,
    Umur,
    Pendidikan,
    Pekerjaan,
    /// Personal data (name, phone, NIK, e-mail, free text): recognized so it is never copied.
    Pribadi,
    /// A row number.
    Nomor,
    /// A form tool's start time (`Start time`, `Waktu mulai`): the survey date and time of
    /// day when the sheet has no completion or submission time.
    WaktuMulai,
    /// A form tool's own time of submission (Google Forms' `Timestamp` in any language,
    /// Microsoft Forms' `Completion time`): the row's time of day, and its date when no
    /// question asked the date (`Tanggal`: then the respondent's date is the survey's).
    Stempel,
    /// The unsur at this index of `UNSUR`.
    Unsur(usize),
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Unit => "unit",
            Field::JenisLayanan => "jenis_layanan",
            Field::Tanggal => "tanggal",
            Field::Periode => "periode",
            Field::Tahun => "tahun",
            Field::JenisKelamin => "jenis_kelamin",
            Field::Umur => "umur",
            Field::Pendidikan => "pendidikan",
            Field::Pekerjaan => "pekerjaan",
            Field::Pribadi => "data pribadi",
            Field::Nomor => "nomor",
            Field::WaktuMulai => "waktu_mulai",
            Field::Stempel => "stempel",
            Field::Unsur(i) => UNSUR[i].key,
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        Some(match name {
            "unit" => Field::Unit,
            "jenis_layanan" => Field::JenisLayanan,
            "tanggal" => Field::Tanggal,
            "periode" => Field::Periode,
            "tahun" => Field::Tahun,
            "jenis_kelamin" => Field::JenisKelamin,
            "umur" => Field::Umur,
            "pendidikan" => Field::Pendidikan,
            "pekerjaan" => Field::Pekerjaan,
            "pribadi" => Field::Pribadi,
            "nomor" => Field::Nomor,
            "waktu_mulai" => Field::WaktuMulai,
            "stempel" => Field::Stempel,
            _ => return None,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Phrases {
    #[serde(default)]
    exact: Vec<String>,
    #[serde(default)]
    contains: Vec<String>,
    /// Short names of an unsur, matched only in the words after a leading code.
    #[serde(default)]
    singkat: Vec<String>,
}

#[derive(Deserialize)]
struct LayoutFile {
    fields: BTreeMap<String, Phrases>,
    unsur: BTreeMap<String, Phrases>,
    /// Generic four-point scales an answer column may be written in (`super::scale`).
    #[serde(default)]
    skala: Vec<Skala>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Skala {
    /// The words for 1, 2, 3 and 4.
    jawaban: [String; 4],
    /// Their abbreviations in a unit's log (`SB`, `B`, `C`, `K`), if it has them.
    #[serde(default)]
    singkatan: Option<[String; 4]>,
}

/// How headers are recognized: the phrases of schemas/questionnaire.toml, folded, and the
/// order that gives the codes U1–U9 their meaning.
#[derive(Debug, Clone)]
pub struct Layout {
    rules: Vec<(Field, Vec<String>, Vec<String>)>,
    /// Per unsur (index in `UNSUR`), every phrase that names it in the words after a code:
    /// its `exact` phrases (the whole words), its `contains` phrases and its short names
    /// (`singkat`) anywhere in them as whole words.
    named: Vec<(usize, Vec<String>, Vec<String>)>,
    /// `unsur_order[k]` is the index in `UNSUR` of the code U{k+1}.
    unsur_order: [usize; 9],
    /// The generic answer scales, in the file's order.
    scales: Vec<super::scale::Scale>,
}

/// The outcome of mapping one header cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    Field(Field),
    /// Not a column skm reads (it is not copied anywhere).
    Unknown,
    /// Matches two fields: the file cannot be read safely.
    Ambiguous(Vec<Field>),
}

impl Layout {
    /// The embedded layout with the codes U1–U9 in the given order of unsur keys.
    pub fn new(unsur_order: &[String]) -> Result<Layout> {
        let file: LayoutFile =
            toml::from_str(LAYOUT_TOML).context("schemas/questionnaire.toml is not valid")?;
        let mut rules = Vec::new();
        let mut named = Vec::new();
        for (name, p) in file.fields {
            let field = Field::from_name(&name)
                .with_context(|| format!("schemas/questionnaire.toml: unknown field '{name}'"))?;
            anyhow::ensure!(
                p.singkat.is_empty(),
                "schemas/questionnaire.toml: short names (singkat) are for unsur, not '{name}'"
            );
            rules.push((field, fold_all(&p.exact), fold_all(&p.contains)));
        }
        for (key, p) in file.unsur {
            let i = crate::domain::Unsur::index(&key)
                .with_context(|| format!("schemas/questionnaire.toml: unknown unsur '{key}'"))?;
            let mut words = fold_all(&p.contains);
            words.extend(fold_all(&p.singkat));
            named.push((i, fold_all(&p.exact), words));
            rules.push((Field::Unsur(i), fold_all(&p.exact), fold_all(&p.contains)));
        }
        Ok(Layout {
            rules,
            named,
            unsur_order: crate::domain::unsur::order_indices(unsur_order)?,
            scales: file
                .skala
                .iter()
                .map(|s| {
                    let scale = super::scale::Scale::new(&s.jawaban);
                    match &s.singkatan {
                        Some(short) => scale.with_abbreviations(&s.jawaban, short),
                        None => scale,
                    }
                })
                .collect(),
        })
    }

    /// The generic answer scales (`[[skala]]`).
    pub fn scales(&self) -> &[super::scale::Scale] {
        &self.scales
    }

    /// The unsur a code U1–U9 stands for in the configured order.
    pub fn unsur_of_code(&self, k: usize) -> Field {
        Field::Unsur(self.unsur_order[k - 1])
    }

    /// Every unsur the words name (folded): an `exact` phrase of it, or one of its `contains`
    /// phrases or short names as whole words.
    fn unsur_named(&self, words: &str) -> Vec<Field> {
        let padded = format!(" {words} ");
        self.named
            .iter()
            .filter(|(_, ex, co)| {
                ex.iter().any(|p| p == words)
                    || co.iter().any(|p| padded.contains(&format!(" {p} ")))
            })
            .map(|(i, _, _)| Field::Unsur(*i))
            .collect()
    }

    /// The field a header names. A grid question's column (`<question> [<unsur>]`, as Google
    /// Forms names each row of a multiple-choice grid) is named by its brackets when they name
    /// an unsur (by code, name or question text, with the same ambiguity rule). A question
    /// inside a group, as KoboToolbox and ODK name it (`grp_unsur/u1`, `Data Responden/Jenis
    /// kelamin`), is named by its last part when the whole names no field and no part before
    /// it names one (`Tanggal/Waktu`, `Nama/Instansi`, `Tanggal/Bulan/Tahun` are no groups); a
    /// header naming two fields stays ambiguous.
    pub fn map(&self, header: &str) -> Mapped {
        if let Some(inner) = grid_row(header) {
            if let m @ (Mapped::Field(Field::Unsur(_)) | Mapped::Ambiguous(_)) =
                self.map_plain(inner)
            {
                return m;
            }
        }
        match (self.map_plain(header), header.rsplit_once('/')) {
            (Mapped::Unknown, Some((group, last)))
                if !last.trim().is_empty()
                    && group.split('/').all(|g| !g.trim().is_empty())
                    && (group
                        .split('/')
                        .all(|g| self.map_plain(g) == Mapped::Unknown)
                        || is_name(group)
                        || leading_code(&fold(last)).is_some_and(|(_, w)| w.is_empty())) =>
            {
                self.map_plain(last)
            }
            // ODK Central joins a group and its question with `-` (`grp_unsur-u1`).
            (Mapped::Unknown, None) => match header.trim().rsplit_once('-') {
                Some((group, last))
                    if is_name(group) && !last.is_empty() && !last.contains(' ') =>
                {
                    self.map_plain(last)
                }
                _ => Mapped::Unknown,
            },
            (m, _) => m,
        }
    }

    fn map_plain(&self, header: &str) -> Mapped {
        let h = fold(header);
        if h.is_empty() {
            return Mapped::Unknown;
        }
        // 1. exact phrase
        let exact: Vec<Field> = self
            .rules
            .iter()
            .filter(|(_, ex, _)| ex.contains(&h))
            .map(|(f, _, _)| *f)
            .collect();
        if let Some(m) = decide(exact) {
            return m;
        }
        if survey_date(&h) {
            return Mapped::Field(Field::Tanggal);
        }
        // 2. a code U1–U9, alone or leading the header ("U3 Waktu", "(U8) Sarpras"): the code
        //    decides when the words after it name its own unsur or none; words naming another
        //    unsur make the header ambiguous.
        if let Some((k, words)) = leading_code(&h) {
            let coded = self.unsur_of_code(k);
            let mut fields = self.unsur_named(words);
            fields.push(coded);
            return decide(fields).expect("one field at least");
        }
        // 3. contains a phrase as whole words
        let padded = format!(" {h} ");
        let contains: Vec<Field> = self
            .rules
            .iter()
            .filter(|(_, _, co)| co.iter().any(|p| padded.contains(&format!(" {p} "))))
            .map(|(f, _, _)| *f)
            .collect();
        decide(contains).unwrap_or(Mapped::Unknown)
    }
}

/// Words that may follow `Tanggal` (or `Tgl`) in a heading of the survey's date, however a unit
/// words it (`Tgl Survei`, `Tanggal Isi`, `Tanggal Pengisian Kuesioner SKM`, `Tgl/Bln/Thn`):
/// the date the questionnaire was filled, asked, typed in a log. Not `Tanggal Lahir`, nor
/// another date (`Tanggal Permohonan`), whose words are none of these.
const SURVEY_DATE_WORDS: [&str; 27] = [
    "survei",
    "survey",
    "pengisian",
    "isi",
    "mengisi",
    "diisi",
    "kuesioner",
    "kuisioner",
    "wawancara",
    "pendataan",
    "skm",
    "ikm",
    "responden",
    "kunjungan",
    "berkunjung",
    "layanan",
    "pelayanan",
    "kepuasan",
    "masyarakat",
    "formulir",
    "dan",
    "waktu",
    "hari",
    "bulan",
    "bln",
    "tahun",
    "thn",
];

/// Whether a folded heading names the survey's date: `tanggal` or `tgl` followed by words of
/// `SURVEY_DATE_WORDS` only (`schemas/questionnaire.toml` lists the common ones exactly).
fn survey_date(folded: &str) -> bool {
    let mut words = folded.split(' ');
    matches!(words.next(), Some("tanggal" | "tgl"))
        && words.clone().next().is_some()
        && words.all(|w| SURVEY_DATE_WORDS.contains(&w))
}

/// Whether a group is named as a form definition names it (`grp_unsur`, `data_responden`): a
/// lowercase identifier with an underscore, never a heading typed for people.
fn is_name(group: &str) -> bool {
    group.contains('_')
        && (group.bytes())
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'/')
}

/// Whether a header is a quiz's column beside a question's (`Points - <question>`,
/// `Feedback - <question>` as Microsoft Forms writes them, in English or Indonesian;
/// `<question> [Score]`, `[Feedback]` as Google Forms does): it names the question's unsur and
/// holds no answer. Only beside the question's own column is it taken for one
/// (`find_header`): alone, `Persyaratan [Skor]` may be a log's answer column.
pub fn quiz_companion(header: &str) -> bool {
    const LEADING: [&str; 4] = ["points", "feedback", "poin", "umpan balik"];
    const BRACKETED: [&str; 7] = [
        "score",
        "points",
        "feedback",
        "skor",
        "poin",
        "umpan balik",
        "masukan",
    ];
    let leading = header
        .split_once(" - ")
        .is_some_and(|(first, _)| LEADING.contains(&fold(first).as_str()));
    let bracketed = grid_row(header).is_some_and(|inner| BRACKETED.contains(&fold(inner).as_str()));
    leading || bracketed
}

/// The text in the brackets a header ends with, after a question (`Bagaimana … [Prosedur]`).
pub fn grid_row(header: &str) -> Option<&str> {
    let t = header.trim_end().strip_suffix(']')?;
    let open = t.rfind('[')?;
    let inner = t[open + 1..].trim();
    (open > 0 && !inner.is_empty() && !t[..open].trim().is_empty()).then_some(inner)
}

fn decide(mut fields: Vec<Field>) -> Option<Mapped> {
    fields.sort();
    fields.dedup();
    match fields.len() {
        0 => None,
        1 => Some(Mapped::Field(fields[0])),
        _ => Some(Mapped::Ambiguous(fields)),
    }
}

fn fold_all(v: &[String]) -> Vec<String> {
    v.iter().map(|s| fold(s)).collect()
}

/// A header of the old 14-unsur form (KepMenPAN 25/2004): U10–U14, or one of its unsur that
/// the 9-unsur form does not have.
pub fn is_old_method(header: &str) -> bool {
    let f = fold(header);
    let compact: String = f.chars().filter(|c| !c.is_whitespace()).collect();
    let code = compact
        .strip_prefix("unsur")
        .or_else(|| compact.strip_prefix('u'))
        .and_then(|d| d.parse::<u32>().ok())
        .is_some_and(|k| (10..=14).contains(&k));
    const OLD: [&str; 8] = [
        "kejelasan petugas",
        "kedisiplinan petugas",
        "tanggung jawab petugas",
        "keadilan mendapatkan pelayanan",
        "kepastian biaya",
        "kepastian jadwal",
        "kenyamanan lingkungan",
        "keamanan pelayanan",
    ];
    code || OLD.iter().any(|o| f.contains(o))
}

/// A code U1–U9 at the start of a folded header, and the words after it: "u1", "u 1",
/// "unsur 1", "unsur1", "u01" → (1, ""); "u3 waktu" (from "U3 Waktu", "U3. Waktu",
/// "(U3) Waktu", "[U3] - Waktu", "U-3: Waktu") → (3, "waktu"). The code must stand as its own
/// word: "u3waktu" or "u1a" have no code, nor do "usia" or "unit layanan".
pub fn leading_code(folded: &str) -> Option<(usize, &str)> {
    let (first, rest) = split_word(folded);
    let (digits, rest) = match first {
        "u" | "unsur" => split_word(rest),
        _ => (
            first
                .strip_prefix("unsur")
                .or_else(|| first.strip_prefix('u'))?,
            rest,
        ),
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let k: usize = digits.parse().ok()?;
    (1..=9).contains(&k).then_some((k, rest))
}

/// The first word of a folded text and the rest (words are separated by one space).
fn split_word(s: &str) -> (&str, &str) {
    s.split_once(' ').unwrap_or((s, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        let order: Vec<String> = UNSUR.iter().map(|u| u.key.to_string()).collect();
        Layout::new(&order).unwrap()
    }

    fn f(l: &Layout, h: &str) -> Mapped {
        l.map(h)
    }

    fn unsur(key: &str) -> Mapped {
        Mapped::Field(Field::Unsur(crate::domain::Unsur::index(key).unwrap()))
    }

    #[test]
    fn the_survey_dates_headings_however_worded() {
        let l = layout();
        for h in [
            "Tgl Survei",
            "Tgl. Survey",
            "TGL PENGISIAN",
            "Tanggal Isi",
            "Tanggal Kuesioner",
            "Tanggal Wawancara",
            "Tanggal Pengisian Survei",
            "Tanggal Pengisian Kuesioner SKM",
            "Tgl/Bln/Thn",
            "Tanggal/Bulan/Tahun",
        ] {
            assert_eq!(f(&l, h), Mapped::Field(Field::Tanggal), "{h}");
        }
        for h in [
            "Tanggal Lahir",
            "Tgl Lahir",
            "Tanggal Permohonan",
            "Tgl Selesai",
        ] {
            assert_eq!(f(&l, h), Mapped::Unknown, "{h}");
        }
    }

    #[test]
    fn form_tools_headers() {
        let l = layout();
        let field = |x| Mapped::Field(x);
        for h in [
            "Timestamp",
            "Stempel waktu",
            "Marca temporal",
            "Horodateur",
            "Zeitstempel",
            "Carimbo de data/hora",
            "タイムスタンプ",
            "时间戳",
            "Časová značka",
            "Időbélyeg",
            "Marcă temporală",
            "Χρονική σήμανση",
            "חותמת זמן",
            "الطابع الزمني",
            "Tatak ng oras",
            "Completion time",
            "Hora de finalización",
            "完了時刻",
            "Submitted at",
        ] {
            assert_eq!(f(&l, h), field(Field::Stempel), "{h}");
        }
        for h in ["Tanggal", "Tanggal Survei", "Tanggal Pengisian", "Tgl."] {
            assert_eq!(f(&l, h), field(Field::Tanggal), "{h}");
        }
        for h in ["Start time", "Waktu mulai", "Hora de inicio", "開始時刻"] {
            assert_eq!(f(&l, h), field(Field::WaktuMulai), "{h}");
        }
        // A quiz's companion columns (Microsoft Forms `Points - <question>`, Google Forms
        // `<question> [Score]`) name the question's unsur but hold no answer.
        for h in [
            "Points - Bagaimana pendapat Saudara tentang kewajaran biaya/tarif?",
            "Feedback - Bagaimana pendapat Saudara tentang kewajaran biaya/tarif?",
            "Poin - Kesesuaian persyaratan",
            "Umpan Balik - Kesesuaian persyaratan",
            "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif? [Score]",
            "Kesesuaian persyaratan [Skor]",
            "Kesesuaian persyaratan [Feedback]",
        ] {
            assert!(quiz_companion(h), "{h}");
        }
        for h in [
            "Poin penting persyaratan",
            "Kesesuaian persyaratan",
            "Penilaian [Persyaratan]",
            "Nilai - Persyaratan",
        ] {
            assert!(!quiz_companion(h), "{h}");
        }
        for h in [
            "Unit Layanan yang dikunjungi",
            "Nama Puskesmas",
            "Instansi yang dituju",
            "Pilih unit layanan",
        ] {
            assert_eq!(f(&l, h), field(Field::Unit), "{h}");
        }
        // A grid's row in brackets, whatever the question.
        assert_eq!(
            f(&l, "Penilaian Anda terhadap layanan kami [Prosedur]"),
            unsur("prosedur")
        );
        assert_eq!(f(&l, "Bagaimana pelayanan kami? [U8]"), unsur("sarpras"));
        assert_eq!(
            f(&l, "Tingkat kepuasan [Sarana dan Prasarana]"),
            unsur("sarpras")
        );
        // Not a grid: a leading code in brackets.
        assert_eq!(f(&l, "[U4] Biaya/Tarif"), unsur("biaya"));
        assert_eq!(grid_row("[U4]"), None);
    }

    #[test]
    fn codes_names_and_questions() {
        let l = layout();
        assert_eq!(f(&l, "U1"), unsur("persyaratan"));
        assert_eq!(f(&l, "U8"), unsur("sarpras"));
        assert_eq!(f(&l, "Unsur 9"), unsur("pengaduan"));
        assert_eq!(f(&l, "Sarana dan Prasarana"), unsur("sarpras"));
        assert_eq!(f(&l, "Penanganan Pengaduan"), unsur("pengaduan"));
        assert_eq!(f(&l, "Waktu"), unsur("waktu"));
        assert_eq!(
            f(&l, "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
            unsur("persyaratan")
        );
        assert_eq!(
            f(
                &l,
                "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"
            ),
            unsur("biaya")
        );
        assert_eq!(f(&l, "Jenis Layanan"), Mapped::Field(Field::JenisLayanan));
        assert_eq!(f(&l, "Cap waktu"), Mapped::Field(Field::Stempel));
        assert_eq!(f(&l, "No. HP"), Mapped::Field(Field::Pribadi));
        assert_eq!(f(&l, "Warna favorit"), Mapped::Unknown);
        assert!(matches!(
            f(&l, "Biaya dan perilaku petugas"),
            Mapped::Ambiguous(_)
        ));
    }

    /// Questions in a group as KoboToolbox and ODK name them: the last part names the field when
    /// the whole does not; a whole that names one keeps it (`Jenis Kelamin (L/P)`).
    #[test]
    fn a_question_in_a_group_is_named_by_its_last_part() {
        let l = layout();
        assert_eq!(f(&l, "grp_unsur/u1"), unsur("persyaratan"));
        assert_eq!(f(&l, "unsur/U9"), unsur("pengaduan"));
        assert_eq!(
            f(&l, "Data Responden/Jenis kelamin"),
            Mapped::Field(Field::JenisKelamin)
        );
        assert_eq!(
            f(&l, "Data Responden/Pendidikan terakhir"),
            Mapped::Field(Field::Pendidikan)
        );
        assert_eq!(
            f(&l, "Jenis Kelamin (L/P)"),
            Mapped::Field(Field::JenisKelamin)
        );
        assert_eq!(f(&l, "Biaya/Tarif"), unsur("biaya"));
        assert_eq!(f(&l, "grp_x/warna_favorit"), Mapped::Unknown);
        // No groups: a part before the last names a field.
        for h in ["Tanggal/Waktu", "Tanggal/Bulan/Tahun", "Pekerjaan/Instansi"] {
            assert!(
                !matches!(
                    f(&l, h),
                    Mapped::Field(Field::Unsur(_) | Field::Unit | Field::Tahun)
                ),
                "{h}: {:?}",
                f(&l, h)
            );
        }
        // ODK Central's `-` after a form definition's group name.
        assert_eq!(f(&l, "grp_unsur-u1"), unsur("persyaratan"));
        assert_eq!(
            f(&l, "data_responden-jenis_kelamin"),
            Mapped::Field(Field::JenisKelamin)
        );
        assert_eq!(f(&l, "Sangat-sangat penting"), Mapped::Unknown);
        // A group named like a field, as a form definition names it, or before a code.
        assert_eq!(f(&l, "pelayanan/u1"), unsur("persyaratan"));
        assert_eq!(f(&l, "layanan/U3"), unsur("waktu"));
        assert_eq!(
            f(&l, "data_layanan/jenis_kelamin"),
            Mapped::Field(Field::JenisKelamin)
        );
        // Two fields named: still ambiguous.
        assert!(matches!(f(&l, "U3 Biaya/Tarif"), Mapped::Ambiguous(_)));
    }

    /// Headers that lead with a code and a short name: the code decides when the words name
    /// its own unsur or none; words naming another unsur make the header ambiguous.
    #[test]
    fn a_leading_code_with_words() {
        let l = layout();
        let same = [
            ("U3 Waktu", "waktu"),
            ("U5. Produk", "produk"),
            ("(U8) Sarpras", "sarpras"),
            ("U1 - Persyaratan", "persyaratan"),
            ("U7: Perilaku petugas", "perilaku"),
            ("u9 pengaduan", "pengaduan"),
            ("[U4] Biaya/Tarif", "biaya"),
            ("U2 Prosedur/Sistem", "prosedur"),
            ("U2. Sistem, mekanisme dan prosedur", "prosedur"),
            ("U5 Produk/Spesifikasi", "produk"),
            ("U6 Kompetensi", "kompetensi"),
            ("U6 – Kompetensi pelaksana", "kompetensi"),
            ("U8 Sarana dan prasarana", "sarpras"),
            ("U8 Sarana", "sarpras"),
            ("U9 Penanganan pengaduan", "pengaduan"),
            ("U-3 Waktu", "waktu"),
            ("U 3 WAKTU", "waktu"),
            ("U03) waktu", "waktu"),
            ("Unsur 3: Waktu", "waktu"),
            ("Unsur3 Waktu", "waktu"),
            ("U3 Kecepatan waktu pelayanan", "waktu"),
            ("U1. Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?", "persyaratan"),
            ("U4 Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?", "biaya"),
            // Words that name no unsur: the code decides.
            ("U3 Lama proses", "waktu"),
            ("U6 Petugas", "kompetensi"),
            ("(U1)", "persyaratan"),
        ];
        for (h, key) in same {
            assert_eq!(f(&l, h), unsur(key), "{h}");
        }
        let conflict = [
            ("U3 Biaya", ["waktu", "biaya"]),
            ("U1 Waktu", ["persyaratan", "waktu"]),
            ("(U8) Pengaduan", ["sarpras", "pengaduan"]),
            ("U9: Sarpras", ["sarpras", "pengaduan"]),
            ("U2 Alur pengaduan", ["prosedur", "pengaduan"]),
        ];
        for (h, keys) in conflict {
            let want: Vec<Field> = keys
                .iter()
                .map(|k| Field::Unsur(crate::domain::Unsur::index(k).unwrap()))
                .collect();
            assert_eq!(f(&l, h), Mapped::Ambiguous(want), "{h}");
        }
        assert_eq!(f(&l, "[U4] Tarif"), unsur("biaya"));
        // Not a code: these keep their meaning.
        assert_eq!(f(&l, "Usia"), Mapped::Field(Field::Umur));
        assert_eq!(f(&l, "Umur"), Mapped::Field(Field::Umur));
        assert_eq!(f(&l, "Unit layanan"), Mapped::Field(Field::Unit));
        assert_eq!(f(&l, "Unsur Pelayanan"), Mapped::Unknown);
        assert_eq!(f(&l, "U3waktu"), Mapped::Unknown);
        assert_eq!(f(&l, "U1a"), Mapped::Unknown);
        assert_eq!(f(&l, "Waktu pengisian"), Mapped::Field(Field::Tanggal));
        assert_eq!(f(&l, "U10"), Mapped::Unknown);
    }

    #[test]
    fn a_leading_code_follows_the_configured_order() {
        let mut order: Vec<String> = UNSUR.iter().map(|u| u.key.to_string()).collect();
        order.swap(7, 8);
        let l = Layout::new(&order).unwrap();
        assert_eq!(l.map("U8 Pengaduan"), unsur("pengaduan"));
        assert_eq!(l.map("(U9) Sarpras"), unsur("sarpras"));
        assert_eq!(l.map("U8 -"), unsur("pengaduan"));
        assert_eq!(
            l.map("(U8) Sarpras"),
            Mapped::Ambiguous(vec![
                Field::Unsur(crate::domain::Unsur::index("sarpras").unwrap()),
                Field::Unsur(crate::domain::Unsur::index("pengaduan").unwrap()),
            ])
        );
    }

    #[test]
    fn leading_codes() {
        for (h, want) in [
            ("u3 waktu", Some((3, "waktu"))),
            ("u 3 waktu", Some((3, "waktu"))),
            ("unsur 3 waktu", Some((3, "waktu"))),
            ("unsur3", Some((3, ""))),
            ("u09", Some((9, ""))),
            ("u3waktu", None),
            ("usia", None),
            ("unit layanan", None),
            ("u10 waktu", None),
            ("u", None),
            ("", None),
        ] {
            assert_eq!(leading_code(h), want, "{h}");
        }
    }

    #[test]
    fn regulation_order_swaps_the_last_two_codes() {
        let mut order: Vec<String> = UNSUR.iter().map(|u| u.key.to_string()).collect();
        order.swap(7, 8);
        let l = Layout::new(&order).unwrap();
        assert_eq!(l.map("U8"), unsur("pengaduan"));
        assert_eq!(l.map("U9"), unsur("sarpras"));
        assert!(Layout::new(&order[..8]).is_err());
    }

    #[test]
    fn the_listed_scales_read_a_grid_of_every_unsur() {
        // (The layout's own scales, from schemas/questionnaire.toml.)
        use crate::normalize::scale::{decide, ColumnScale};
        let words = |w: &[&str]| -> std::collections::BTreeSet<String> {
            w.iter().map(|x| fold(x)).collect()
        };
        let layout = layout();
        let s = layout.scales();
        let all: Vec<usize> = (0..UNSUR.len()).collect();
        let score = |w: &[&str], word: &str| match decide(&all, &words(w), s) {
            ColumnScale::Generic(i) => s[i].score(&fold(word)),
            other => panic!("{w:?}: {other:?}"),
        };
        // `Kurang` is 1 where `Cukup` is 2, and 2 where `Sangat kurang` is 1.
        let kurang_cukup = ["Kurang", "Cukup", "Baik", "Sangat baik"];
        assert_eq!(score(&kurang_cukup, "Kurang"), Some(1));
        assert_eq!(
            score(&["Sangat kurang", "Kurang", "Baik"], "Kurang"),
            Some(2)
        );
        assert_eq!(score(&["Buruk", "Cukup", "Baik"], "Buruk"), Some(1));
        assert_eq!(score(&["Sangat buruk", "Buruk", "Baik"], "Buruk"), Some(2));
        let sesuai = ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"];
        assert_eq!(score(&sesuai, "Tidak sesuai"), Some(1));
        assert_eq!(
            score(&["Sangat tidak sesuai", "Tidak sesuai"], "Tidak sesuai"),
            Some(2)
        );
        // Fitting two scales that read them differently: refused, not guessed.
        for w in [
            &["Kurang", "Baik", "Sangat baik"][..],
            &["Buruk", "Baik", "Sangat baik"],
            &["Tidak sesuai", "Sesuai", "Sangat sesuai"],
        ] {
            assert!(
                matches!(decide(&all, &words(w), s), ColumnScale::Unusable(_)),
                "{w:?}"
            );
        }
        // One column: its unsur's own words first (sarana's `Buruk` is 1).
        let sarpras = UNSUR.iter().position(|u| u.key == "sarpras").unwrap();
        assert_eq!(
            decide(&[sarpras], &words(&["Buruk", "Baik", "Sangat baik"]), s),
            ColumnScale::Own
        );
    }
}
