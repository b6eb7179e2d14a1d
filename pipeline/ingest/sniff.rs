//! What a text file is before it is read as CSV: the encoding it was decoded from, a workbook or
//! PDF under a `.csv` name (by its first bytes), and its delimiter. Shared by the whole-file
//! reader (`csvfile`) and the streamed one (`csvstream`).

/// The encoding a CSV file was decoded from, recorded per file in `files.parquet`
/// (`pengkodean`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Encoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-8-bom")]
    Utf8Bom,
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
    #[serde(rename = "windows-1252")]
    Windows1252,
    /// Mac Roman (Excel for Mac's "CSV"), told by its punctuation (`csvfile::looks_mac_roman`).
    #[serde(rename = "macintosh")]
    MacRoman,
}

impl Encoding {
    /// The name written in `files.parquet`.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
            Encoding::MacRoman => "macintosh",
        }
    }
}

/// A workbook or a PDF saved under a `.csv` name, by its first bytes.
pub fn known_binary(bytes: &[u8]) -> Option<String> {
    let what = if bytes.starts_with(b"PK\x03\x04") {
        "arsip ZIP, biasanya buku kerja Excel (.xlsx) atau ODS yang diberi nama .csv: \
         ganti ekstensinya menjadi .xlsx (atau .ods) dan letakkan lagi di kotak masuk"
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        "buku kerja Excel lama (.xls) yang diberi nama .csv: ganti ekstensinya menjadi .xls \
         dan letakkan lagi di kotak masuk"
    } else if bytes.starts_with(b"%PDF") {
        "dokumen PDF yang diberi nama .csv: minta unit mengirim data kuesionernya sebagai \
         .xlsx atau .csv"
    } else {
        return None;
    };
    Some(format!("bukan teks CSV: berkas ini {what}"))
}

/// Semicolon, tab or comma: the one that splits the first lines (outside quotes) into the most
/// consistent number of fields. Semicolon wins ties, because Indonesian Excel writes `;`
/// and uses `,` as the decimal separator; then tab (Excel's "Unicode Text").
pub fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let score = |d: u8| -> usize {
        let mut counts = Vec::new();
        let mut in_quotes = false;
        let mut n = 0usize;
        for &b in head {
            match b {
                b'"' => in_quotes = !in_quotes,
                b'\n' if !in_quotes => {
                    counts.push(n);
                    n = 0;
                    if counts.len() >= 30 {
                        break;
                    }
                }
                _ if b == d && !in_quotes => n += 1,
                _ => {}
            }
        }
        if n > 0 {
            counts.push(n);
        }
        // The most common non-zero count, weighted by how often it occurs.
        let mut best = 0;
        for &c in &counts {
            if c == 0 {
                continue;
            }
            let freq = counts.iter().filter(|&&x| x == c).count();
            best = best.max(freq * 1000 + c);
        }
        best
    };
    let mut best = (score(b';'), b';');
    for d in [b'\t', b','] {
        let s = score(d);
        if s > best.0 {
            best = (s, d);
        }
    }
    best.1
}
