//! CSV as units send it: comma, semicolon or tab separated, in the encodings spreadsheet
//! programs write.
//!
//! The encoding rule (`decode`), in order:
//! 1. A byte-order mark decides: `EF BB BF` is UTF-8 (Excel's "CSV UTF-8"), `FF FE` UTF-16LE
//!    and `FE FF` UTF-16BE (Excel's "Unicode Text"). The rest must then be valid in that
//!    encoding, else the file is rejected: a BOM is never second-guessed.
//! 2. Without a BOM, bytes that are valid UTF-8 are UTF-8 (plain ASCII included).
//! 3. Otherwise Windows-1252 (Excel's "CSV (Comma delimited)" on Windows), if the file is
//!    cleanly that: no byte left undefined by Windows-1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D), no
//!    control character but tab, line breaks, vertical tab and form feed, and no valid UTF-8
//!    multi-byte sequence (a file that is UTF-8 in places and broken in others is damaged
//!    UTF-8, not Windows-1252: reading it as Windows-1252 would garble every accented letter).
//!
//! Whatever the encoding, a NUL character means the file is not text (a binary file, or
//! UTF-16 without its BOM): rejected, with what was found where and what to do. Excel
//! workbooks, old XLS files and PDFs renamed `.csv` are recognized by their first bytes and
//! named in the reason.

use std::borrow::Cow;
use std::path::Path;

use anyhow::{bail, Context, Result};

use super::sniff::{known_binary, sniff_delimiter, Encoding};
use super::{Limits, RawSheet, TooLarge};

/// What to tell the operator to do with a file that is not readable text.
const RESAVE: &str =
    "buka berkas itu di Excel lalu simpan ulang sebagai \"CSV UTF-8 (Comma delimited)\" \
                      (atau kirim sebagai .xlsx)";

pub fn read(path: &Path, rel: &str, limits: &Limits) -> Result<RawSheet> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {rel}"))?;
    read_bytes(&bytes, rel, limits)
}

/// The same from the file's bytes, already read (and hashed) by the caller.
pub fn read_bytes(bytes: &[u8], rel: &str, limits: &Limits) -> Result<RawSheet> {
    let (text, encoding) = match decode(bytes) {
        Ok(d) => d,
        Err(reason) => bail!("{reason}"),
    };
    if text.trim().is_empty() {
        bail!("the file is empty");
    }
    let bytes = text.as_bytes();
    let delimiter = sniff_delimiter(bytes);
    let mut rows: Vec<Vec<super::Cell<'static>>> = Vec::new();
    let split = super::csvstream::Split {
        delimiter,
        limits,
        first: 0,
    };
    super::csvstream::records(&text, split, |_, row| {
        if rows.len() >= limits.baris {
            return Err(
                TooLarge(format!("lebih dari {} baris ([batas] baris)", limits.baris)).into(),
            );
        }
        // The cells made to own their texts (they borrow from `text`).
        rows.push(row.drain(..).map(super::Cell::into_owned).collect());
        Ok(())
    })?;
    Ok(RawSheet {
        file: rel.to_string(),
        sheet: String::new(),
        rows,
        first_row: 1,
        hidden: false,
        visibility: Default::default(),
        encoding: Some(encoding),
        date_1904: false,
    })
}

/// The file's text and the encoding it was decoded from (the module's rule), or why it is
/// not text skm can read: what was found, where, and what to do.
pub fn decode(bytes: &[u8]) -> std::result::Result<(Cow<'_, str>, Encoding), String> {
    if let Some(what) = known_binary(bytes) {
        return Err(what);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|e| {
            let at = e.valid_up_to();
            format!(
                "berkas diawali penanda (BOM) UTF-8, tetapi byte 0x{:02X} di baris {} (byte ke-{}) \
                 bukan UTF-8 yang sah: berkas rusak atau disunting dengan program lain; {RESAVE}",
                rest[at],
                line_of(rest, at),
                at + 3 + 1
            )
        })?;
        no_nul(text, "UTF-8")?;
        return Ok((Cow::Borrowed(text), Encoding::Utf8Bom));
    }
    for (bom, encoding, codec, name) in [
        (
            b"\xFF\xFE",
            Encoding::Utf16Le,
            encoding_rs::UTF_16LE,
            "UTF-16LE",
        ),
        (
            b"\xFE\xFF",
            Encoding::Utf16Be,
            encoding_rs::UTF_16BE,
            "UTF-16BE",
        ),
    ] {
        let Some(rest) = bytes.strip_prefix(bom) else {
            continue;
        };
        if !rest.len().is_multiple_of(2) {
            return Err(format!(
                "berkas diawali penanda (BOM) {name}, tetapi jumlah bytenya ganjil ({}): \
                 berkas terpotong saat disalin atau diunggah; minta unit mengirim ulang berkas utuhnya",
                bytes.len()
            ));
        }
        let text = codec
            .decode_without_bom_handling_and_without_replacement(rest)
            .ok_or_else(|| {
                format!(
                    "berkas diawali penanda (BOM) {name}, tetapi isinya bukan {name} yang sah \
                     (ada surrogate tanpa pasangan): berkas rusak; {RESAVE}"
                )
            })?;
        no_nul(&text, name)?;
        return Ok((Cow::Owned(text.into_owned()), encoding));
    }
    let invalid = match std::str::from_utf8(bytes) {
        Ok(text) => {
            if let Some(at) = text.find('\0') {
                return Err(nul_reason(bytes, at));
            }
            return Ok((Cow::Borrowed(text), Encoding::Utf8));
        }
        Err(e) => e.valid_up_to(),
    };
    // Not UTF-8: Windows-1252, if it cleanly is. A binary first (NUL, control characters),
    // then damaged UTF-8, then bytes Windows-1252 leaves undefined.
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(nul_reason(bytes, at));
    }
    if let Some(at) = bytes.iter().position(|&b| is_stray_control(b as char)) {
        return Err(format!(
            "bukan teks: karakter kendali 0x{:02X} di baris {} (byte ke-{}), dan berkas ini bukan \
             UTF-8; mungkin berkas biner yang diberi nama .csv. Periksa isinya; {RESAVE}",
            bytes[at],
            line_of(bytes, at),
            at + 1
        ));
    }
    if bytes.utf8_chunks().any(|c| !c.valid().is_ascii()) {
        return Err(format!(
            "teks UTF-8 yang rusak: byte 0x{:02X} di baris {} (byte ke-{}) bukan UTF-8 yang sah, \
             padahal bagian lain berkas ini UTF-8 (berkas terpotong, atau dua berkas digabung); {RESAVE}",
            bytes[invalid],
            line_of(bytes, invalid),
            invalid + 1
        ));
    }
    if looks_mac_roman(bytes) {
        let (text, _) = encoding_rs::MACINTOSH.decode_without_bom_handling(bytes);
        return Ok((text, Encoding::MacRoman));
    }
    if let Some(at) = bytes
        .iter()
        .position(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D))
    {
        return Err(format!(
            "bukan teks yang dikenal: byte 0x{:02X} di baris {} (byte ke-{}) bukan UTF-8 dan tidak \
             terdefinisi di Windows-1252; {RESAVE}",
            bytes[at],
            line_of(bytes, at),
            at + 1
        ));
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok((text, Encoding::Windows1252))
}

/// Whether bytes that are not UTF-8 are Mac Roman (Excel for Mac's "CSV", older Macs' text):
/// its punctuation where Windows-1252 has capital letters (`itÕs` for it’s, `ÒyaÓ` for “ya”,
/// ` Ð ` for a dash between spaces), and none of Windows-1252's own punctuation (0x91–0x97,
/// 0x85). (Its letters alone, 0x8F è where Windows-1252 has none, are no proof: such a file is
/// refused as before.)
fn looks_mac_roman(bytes: &[u8]) -> bool {
    if bytes.iter().any(|b| matches!(b, 0x85 | 0x91..=0x97)) {
        return false;
    }
    let ascii_letter = |i: Option<usize>| {
        i.and_then(|i| bytes.get(i))
            .is_some_and(u8::is_ascii_alphabetic)
    };
    let ascii_space = |i: Option<usize>| i.and_then(|i| bytes.get(i)).is_some_and(|b| *b == b' ');
    (0..bytes.len()).any(|i| {
        let (before, after) = (i.checked_sub(1), Some(i + 1));
        match bytes[i] {
            // ’ between letters, “ before one, ” after one.
            0xD5 => ascii_letter(before) && ascii_letter(after),
            0xD2 => ascii_letter(after),
            0xD3 => ascii_letter(before),
            // – or — between spaces.
            0xD0 | 0xD1 => ascii_space(before) && ascii_space(after),
            _ => false,
        }
    })
}

/// A control character that has no place in a text file (tab, line breaks, vertical tab and
/// form feed do: Excel writes a line break inside a cell, Word a vertical tab).
fn is_stray_control(c: char) -> bool {
    c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0B' | '\x0C')
}

/// The 1-based line of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

/// A NUL character in decoded text: the file is not text in that encoding.
fn no_nul(text: &str, name: &str) -> std::result::Result<(), String> {
    match text.find('\0') {
        None => Ok(()),
        Some(at) => Err(format!(
            "berkas {name} ini memuat karakter NUL (0x00) di baris {}: bukan teks CSV \
             (berkas biner, atau pengkodean lain); {RESAVE}",
            line_of(text.as_bytes(), at)
        )),
    }
}

/// Why a file with a NUL byte (and no BOM) is not read: UTF-16 without its BOM when the NULs
/// fall on every other byte, else a binary file.
fn nul_reason(bytes: &[u8], at: usize) -> String {
    let head = &bytes[..bytes.len().min(4096)];
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in head.iter().enumerate() {
        if b == 0 {
            if i.is_multiple_of(2) {
                even += 1
            } else {
                odd += 1
            }
        }
    }
    let half = head.len() / 2;
    let guess = if odd * 10 >= half * 8 && even * 10 <= half {
        "sepertinya teks UTF-16LE tanpa penanda (BOM)"
    } else if even * 10 >= half * 8 && odd * 10 <= half {
        "sepertinya teks UTF-16BE tanpa penanda (BOM)"
    } else {
        "sepertinya berkas biner yang diberi nama .csv"
    };
    format!(
        "bukan teks CSV: byte NUL (0x00) di baris {} (byte ke-{}), {guess}; {RESAVE}",
        line_of(bytes, at),
        at + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(bom: &[u8], text: &str, le: bool) -> Vec<u8> {
        let mut b = bom.to_vec();
        for u in text.encode_utf16() {
            b.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        b
    }

    #[test]
    fn the_encoding_rule() {
        let text = "Unit\tU1\nBekasi Utara – Pelayanan ©\t4\n";
        let ok = |bytes: &[u8], want: Encoding| {
            let (t, e) = decode(bytes).unwrap_or_else(|r| panic!("{want:?}: {r}"));
            assert_eq!((t.as_ref(), e), (text, want));
        };
        ok(text.as_bytes(), Encoding::Utf8);
        ok(
            &[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            Encoding::Utf8Bom,
        );
        ok(&utf16(b"\xFF\xFE", text, true), Encoding::Utf16Le);
        ok(&utf16(b"\xFE\xFF", text, false), Encoding::Utf16Be);
        let (cp1252, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&cp1252).is_err());
        ok(&cp1252, Encoding::Windows1252);
        // Excel for Mac's CSV: Mac Roman, told by its dash and quotes (as Windows-1252 they
        // read `Ð`, `Õ`, `Ò`…`Ó`).
        let mac = "Unit;U1\nBekasi Utara – Pelayanan “cepat”, it’s é;4\n";
        let (bytes, _, unmappable) = encoding_rs::MACINTOSH.encode(mac);
        assert!(!unmappable);
        let (t, e) = decode(&bytes).unwrap();
        assert_eq!((t.as_ref(), e), (mac, Encoding::MacRoman));
    }

    #[test]
    fn what_is_not_cleanly_text_is_rejected_with_where_and_what_to_do() {
        let err = |bytes: &[u8]| decode(bytes).map(|(_, e)| e).unwrap_err();
        // A byte Windows-1252 leaves undefined, on line 2.
        let r = err(b"Unit;U1\nKec\x81;4\n");
        assert!(r.contains("0x81") && r.contains("baris 2"), "{r}");
        assert!(r.contains("CSV UTF-8"), "{r}");
        // Control characters in a file that is not UTF-8: a binary.
        let r = err(b"\x01\x02\xF0\x03garbage");
        assert!(r.contains("karakter kendali 0x01"), "{r}");
        // UTF-16LE without its BOM (valid UTF-8, NULs on every other byte).
        let r = err(&utf16(b"", "Unit,U1\nA,4\n", true));
        assert!(r.contains("UTF-16LE tanpa penanda"), "{r}");
        let r = err(&utf16(b"", "Unit,U1\nA,4\n", false));
        assert!(r.contains("UTF-16BE tanpa penanda"), "{r}");
        // A workbook renamed .csv.
        let r = err(b"PK\x03\x04\x14\x00\x00\x00");
        assert!(r.contains(".xlsx"), "{r}");
        // UTF-8 in places, broken in others: not guessed as Windows-1252.
        let mut damaged = "Unit;U1\nBekasi – Utara;4\n".as_bytes().to_vec();
        damaged.extend(b"caf\xE9;3\n");
        let r = err(&damaged);
        assert!(
            r.contains("UTF-8 yang rusak") && r.contains("baris 3"),
            "{r}"
        );
        // A UTF-8 BOM before bytes that are not UTF-8.
        let r = err(b"\xEF\xBB\xBFUnit;U1\ncaf\xE9;4\n");
        assert!(r.contains("BOM") && r.contains("baris 2"), "{r}");
        // A UTF-16 file cut in the middle of a character, and one with a lone surrogate.
        let mut cut = utf16(b"\xFF\xFE", "Unit\tU1\n", true);
        cut.pop();
        assert!(err(&cut).contains("ganjil"));
        let lone = [b"\xFF\xFE".as_slice(), &0xD800u16.to_le_bytes(), b"A\x00"].concat();
        assert!(err(&lone).contains("surrogate"));
        // A NUL after a UTF-16 BOM (UTF-32, or a binary).
        assert!(err(b"\xFF\xFE\x00\x00U\x00\x00\x00").contains("NUL"));
    }

    #[test]
    fn tab_semicolon_and_comma_are_told_apart() {
        assert_eq!(sniff_delimiter(b"a\tb\tc\n1\t2,5\t3\n"), b'\t');
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2;5,3\n"), b',');
        assert_eq!(
            sniff_delimiter(b"Unit\tSistem, mekanisme, dan prosedur\tU3\nA\t4\t3\n"),
            b'\t'
        );
    }
}
