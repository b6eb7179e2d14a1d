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
            _ => return None,
        })
    }
}

#[derive(Deserialize)]
struct Phrases {
    #[serde(default)]
    exact: Vec<String>,
    #[serde(default)]
    contains: Vec<String>,
}

#[derive(Deserialize)]
struct LayoutFile {
    fields: BTreeMap<String, Phrases>,
    unsur: BTreeMap<String, Phrases>,
}

/// How headers are recognized: the phrases of schemas/questionnaire.toml, folded, and the
/// order that gives the codes U1–U9 their meaning.
#[derive(Debug, Clone)]
pub struct Layout {
    rules: Vec<(Field, Vec<String>, Vec<String>)>,
    /// `unsur_order[k]` is the index in `UNSUR` of the code U{k+1}.
    unsur_order: [usize; 9],
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
        for (name, p) in file.fields {
            let field = Field::from_name(&name)
                .with_context(|| format!("schemas/questionnaire.toml: unknown field '{name}'"))?;
            rules.push((field, fold_all(&p.exact), fold_all(&p.contains)));
        }
        for (key, p) in file.unsur {
            let i = crate::domain::Unsur::index(&key)
                .with_context(|| format!("schemas/questionnaire.toml: unknown unsur '{key}'"))?;
            rules.push((Field::Unsur(i), fold_all(&p.exact), fold_all(&p.contains)));
        }
        Ok(Layout {
            rules,
            unsur_order: crate::domain::unsur::order_indices(unsur_order)?,
        })
    }

    pub fn map(&self, header: &str) -> Mapped {
        let h = fold(header);
        if h.is_empty() {
            return Mapped::Unknown;
        }
        // 1. exact phrase
        let exact: Vec<Field> = self
            .rules
            .iter()
            .filter(|(_, ex, _)| ex.iter().any(|p| *p == h))
            .map(|(f, _, _)| *f)
            .collect();
        if let Some(m) = decide(exact) {
            return m;
        }
        // 2. a code U1–U9
        if let Some(k) = unsur_code(&h) {
            return Mapped::Field(Field::Unsur(self.unsur_order[k - 1]));
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

/// "u1", "u 1", "unsur 1", "unsur1", "u01" → 1 (1–9).
fn unsur_code(folded: &str) -> Option<usize> {
    let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = compact
        .strip_prefix("unsur")
        .or_else(|| compact.strip_prefix('u'))?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let k: usize = digits.parse().ok()?;
    (1..=9).contains(&k).then_some(k)
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
        assert_eq!(f(&l, "Cap waktu"), Mapped::Field(Field::Tanggal));
        assert_eq!(f(&l, "No. HP"), Mapped::Field(Field::Pribadi));
        assert_eq!(f(&l, "Warna favorit"), Mapped::Unknown);
        assert!(matches!(
            f(&l, "Biaya dan perilaku petugas"),
            Mapped::Ambiguous(_)
        ));
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
}
