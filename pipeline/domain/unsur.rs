//! The nine unsur of Permen PANRB 14/2017 and their answer words (docs/DOMAIN.md, "The questionnaire").
//!
//! An unsur is known by its meaning, never by its position. `UNSUR` is in the Kota Bekasi
//! order (U8 = sarpras, U9 = pengaduan; 000 lines 896–933, 002 lines 3379–3430), which is
//! the default meaning of the codes U1–U9.

/// One unsur: its stable key, the Kota Bekasi code, its name and its answers scored 1 → 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsur {
    pub key: &'static str,
    pub kode: &'static str,
    pub nama: &'static str,
    /// Regulation wording, index 0 scores 1.
    pub jawaban: [&'static str; 4],
    /// Variant wordings seen on real forms, with their score.
    pub varian: &'static [(&'static str, u8)],
}

pub const UNSUR: [Unsur; 9] = [
    Unsur {
        key: "persyaratan",
        kode: "U1",
        nama: "Persyaratan",
        jawaban: ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
        varian: &[],
    },
    Unsur {
        key: "prosedur",
        kode: "U2",
        nama: "Sistem, mekanisme, prosedur",
        jawaban: ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
        varian: &[],
    },
    Unsur {
        key: "waktu",
        kode: "U3",
        nama: "Waktu penyelesaian",
        jawaban: ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
        varian: &[],
    },
    Unsur {
        key: "biaya",
        kode: "U4",
        nama: "Biaya/tarif",
        jawaban: ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
        varian: &[("Mahal", 1), ("Tidak dipungut biaya", 4)],
    },
    Unsur {
        key: "produk",
        kode: "U5",
        nama: "Produk spesifikasi jenis pelayanan",
        jawaban: ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
        varian: &[],
    },
    Unsur {
        key: "kompetensi",
        kode: "U6",
        nama: "Kompetensi pelaksana",
        jawaban: [
            "Tidak kompeten",
            "Kurang kompeten",
            "Kompeten",
            "Sangat kompeten",
        ],
        varian: &[],
    },
    Unsur {
        key: "perilaku",
        kode: "U7",
        nama: "Perilaku pelaksana",
        jawaban: [
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ],
        varian: &[],
    },
    Unsur {
        key: "sarpras",
        kode: "U8",
        nama: "Sarana dan prasarana",
        jawaban: ["Buruk", "Cukup", "Baik", "Sangat baik"],
        varian: &[],
    },
    Unsur {
        key: "pengaduan",
        kode: "U9",
        nama: "Penanganan pengaduan, saran dan masukan",
        jawaban: [
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ],
        varian: &[],
    },
];

impl Unsur {
    pub fn by_key(key: &str) -> Option<&'static Unsur> {
        UNSUR.iter().find(|u| u.key == key)
    }

    pub fn index(key: &str) -> Option<usize> {
        UNSUR.iter().position(|u| u.key == key)
    }

    /// The score of an answer word (any case and spacing), or `None` if it is not one of
    /// this unsur's words.
    pub fn score_of_word(&self, answer: &str) -> Option<u8> {
        let a = fold(answer);
        if a.is_empty() {
            return None;
        }
        self.score_folded(&a, fold).or_else(|| {
            // Reworded with another conjunction, or with one the regulation's words lack.
            let bare = without_conjunction(&a);
            (bare != a)
                .then(|| self.score_folded(&bare, |w| without_conjunction(&fold(w))))
                .flatten()
        })
    }

    /// The score of a folded answer equal to one of this unsur's words as `form` gives them.
    fn score_folded(&self, a: &str, form: impl Fn(&str) -> String) -> Option<u8> {
        if let Some(i) = self.jawaban.iter().position(|w| form(w) == a) {
            return Some(i as u8 + 1);
        }
        self.varian
            .iter()
            .find(|(w, _)| form(w) == a)
            .map(|(_, s)| *s)
    }
}

/// A folded answer without its conjunctions (`tetapi`, `tapi`, `namun`, `akan tetapi`): units
/// reword the regulation's `Ada tetapi tidak berfungsi` as `Ada tapi tidak berfungsi` or `Ada
/// namun tidak berfungsi`, and its `Berfungsi kurang maksimal` as `Berfungsi tetapi kurang
/// maksimal`; no two of an unsur's words differ by a conjunction alone.
fn without_conjunction(folded: &str) -> String {
    folded
        .split(' ')
        .filter(|w| !matches!(*w, "tetapi" | "tapi" | "namun" | "akan"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lower case, words separated by single spaces, punctuation other than letters and digits
/// treated as space. A text in decomposed Unicode (NFD: `e` then a combining accent, as macOS
/// writes names) is composed first (NFC), so that it folds as the same text typed elsewhere
/// (the accent would otherwise split the word).
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let composed: std::borrow::Cow<'_, str> = match s.is_ascii() {
        true => s.into(),
        false => s.nfc().collect::<String>().into(),
    };
    composed
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The configured order of the codes, as indices into `UNSUR`.
pub fn order_indices(order: &[String]) -> anyhow::Result<[usize; 9]> {
    use anyhow::Context as _;
    anyhow::ensure!(
        order.len() == 9,
        "unsur_order must name the 9 unsur, found {}: {}",
        order.len(),
        order.join(", ")
    );
    let mut out = [0usize; 9];
    for (k, key) in order.iter().enumerate() {
        let i = Unsur::index(key).with_context(|| {
            format!(
                "unsur_order: '{key}' is not an unsur; expected the keys {}",
                UNSUR.iter().map(|u| u.key).collect::<Vec<_>>().join(", ")
            )
        })?;
        anyhow::ensure!(!out[..k].contains(&i), "unsur_order names '{key}' twice");
        out[k] = i;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decomposed_text_folds_as_the_composed_one() {
        // "Dấu thời gian" (Google Forms' Timestamp in Vietnamese) and "Časová značka" (Czech),
        // each composed and decomposed.
        for composed in [
            "D\u{1EA5}u th\u{1EDD}i gian",
            "\u{010C}asov\u{00E1} zna\u{010D}ka",
        ] {
            let decomposed: String = {
                use unicode_normalization::UnicodeNormalization as _;
                composed.nfd().collect()
            };
            assert_ne!(decomposed, composed);
            assert_eq!(fold(&decomposed), fold(composed));
            assert_eq!(
                fold(composed).split(' ').count(),
                composed.split(' ').count()
            );
        }
    }

    #[test]
    fn answer_words_score_by_unsur() {
        let biaya = Unsur::by_key("biaya").unwrap();
        assert_eq!(biaya.score_of_word("GRATIS"), Some(4));
        assert_eq!(biaya.score_of_word("  sangat   mahal "), Some(1));
        assert_eq!(biaya.score_of_word("Mahal"), Some(1));
        assert_eq!(biaya.score_of_word("Sesuai"), None);
        let p = Unsur::by_key("persyaratan").unwrap();
        assert_eq!(p.score_of_word("Kurang Sesuai"), Some(2));
        let g = Unsur::by_key("pengaduan").unwrap();
        assert_eq!(g.score_of_word("ada tetapi tidak berfungsi"), Some(2));
        // Reworded with another conjunction.
        assert_eq!(g.score_of_word("Ada tapi tidak berfungsi"), Some(2));
        assert_eq!(g.score_of_word("Ada namun tidak berfungsi"), Some(2));
        assert_eq!(g.score_of_word("Berfungsi tetapi kurang maksimal"), Some(3));
        assert_eq!(g.score_of_word("Berfungsi, namun kurang maksimal"), Some(3));
        assert_eq!(g.score_of_word("Ada tetapi"), None);
    }

    #[test]
    fn kota_bekasi_order() {
        let codes: Vec<_> = UNSUR.iter().map(|u| (u.kode, u.key)).collect();
        assert_eq!(codes[7], ("U8", "sarpras"));
        assert_eq!(codes[8], ("U9", "pengaduan"));
    }
}
