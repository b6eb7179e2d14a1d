//! CSV as units send it: comma or semicolon separated, UTF-8 with or without BOM.

use std::path::Path;

use anyhow::{bail, Context, Result};

use super::{text_cell, Limits, RawSheet, TooLarge};

pub fn read(path: &Path, rel: &str, limits: &Limits) -> Result<RawSheet> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {rel}"))?;
    read_bytes(&bytes, rel, limits)
}

/// The same from the file's bytes, already read (and hashed) by the caller.
pub fn read_bytes(bytes: &[u8], rel: &str, limits: &Limits) -> Result<RawSheet> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        bail!("the file is empty");
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        bail!(
            "the file is not UTF-8 text (first bad byte at offset {}); save it as \"CSV UTF-8\"",
            e.valid_up_to()
        );
    }
    let delimiter = sniff_delimiter(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    for i in 0usize.. {
        if !reader
            .read_record(&mut rec)
            .with_context(|| format!("CSV record {} cannot be read", i + 1))?
        {
            break;
        }
        if rec.len() > limits.kolom {
            return Err(TooLarge(format!(
                "baris {} punya {} kolom, melebihi batas {} ([batas] kolom)",
                i + 1,
                rec.len(),
                limits.kolom
            ))
            .into());
        }
        if rows.len() >= limits.baris {
            return Err(
                TooLarge(format!("lebih dari {} baris ([batas] baris)", limits.baris)).into(),
            );
        }
        rows.push(rec.iter().map(|f| text_cell(f, limits)).collect());
    }
    Ok(RawSheet {
        file: rel.to_string(),
        sheet: String::new(),
        rows,
        first_row: 1,
        hidden: false,
    })
}

/// Comma or semicolon: the one that splits the first lines (outside quotes) into the most
/// consistent number of fields. Semicolon wins ties, because Indonesian Excel writes `;`
/// and uses `,` as the decimal separator.
fn sniff_delimiter(bytes: &[u8]) -> u8 {
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
    if score(b',') > score(b';') {
        b','
    } else {
        b';'
    }
}
