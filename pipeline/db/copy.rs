//! A frame as COPY text (PostgreSQL's `COPY … FROM STDIN` text format): a line per row, values
//! separated by tabs, `\N` for null, backslash, tab and line breaks escaped. Numbers are
//! written exactly: a double in the shortest form that reads back to the same bits, a rupiah
//! amount from its decimal digits, never through a float.

use std::io::Write;

use anyhow::{bail, Result};
use polars::prelude::*;

use crate::tables::TableDef;

/// A column's values, typed once, read by row.
enum Values {
    Str(StringChunked),
    Bool(BooleanChunked),
    Int(Int64Chunked),
    F64(Float64Chunked),
    /// Days since 1970-01-01.
    Date(Int32Chunked),
    /// The unscaled integer and the scale.
    Decimal(Int128Chunked, usize),
}

fn values(df: &DataFrame, name: &str, typ: &str) -> Result<Values> {
    let c = df.column(name)?.as_materialized_series().rechunk();
    Ok(match typ {
        "str" => Values::Str(c.str()?.clone()),
        "bool" => Values::Bool(c.bool()?.clone()),
        "i32" | "i64" | "u8" | "u32" => Values::Int(c.cast(&DataType::Int64)?.i64()?.clone()),
        "f64" => Values::F64(c.f64()?.clone()),
        "date" => Values::Date(c.cast(&DataType::Int32)?.i32()?.clone()),
        "decimal" => {
            let d = c.decimal()?;
            Values::Decimal(d.physical().clone(), d.scale())
        }
        other => bail!("column {name}: type {other} has no PostgreSQL type"),
    })
}

/// Writes the frame's rows (the table's columns in the dictionary's order, then the row
/// number `nomor` counting on from `first`) to `w`. Returns the rows written. Each column is
/// rendered whole first (one pass over its values), then the lines are put together.
pub fn write_rows(df: &DataFrame, table: &TableDef, first: u64, w: &mut impl Write) -> Result<u64> {
    let cols: Vec<Rendered> = table
        .columns
        .iter()
        .map(|c| values(df, &c.name, &c.typ).map(|v| render(&v)))
        .collect::<Result<_>>()?;
    let total: usize = cols.iter().map(|c| c.bytes.len()).sum();
    let mut text = Vec::with_capacity(total + df.height() * (cols.len() + 12));
    let mut starts = vec![0usize; cols.len()];
    for i in 0..df.height() {
        for (c, start) in cols.iter().zip(starts.iter_mut()) {
            let end = c.ends[i];
            text.extend_from_slice(&c.bytes[*start..end]);
            text.push(b'\t');
            *start = end;
        }
        write!(text, "{}", first + i as u64)?;
        text.push(b'\n');
    }
    w.write_all(&text)?;
    Ok(df.height() as u64)
}

/// A column as COPY text: its values one after the other, and where each ends.
struct Rendered {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

fn render(v: &Values) -> Rendered {
    let mut r = Rendered {
        bytes: Vec::new(),
        ends: Vec::new(),
    };
    fn each<T>(
        r: &mut Rendered,
        it: impl Iterator<Item = Option<T>>,
        mut put: impl FnMut(T, &mut Vec<u8>),
    ) {
        for x in it {
            match x {
                Some(x) => put(x, &mut r.bytes),
                None => r.bytes.extend_from_slice(b"\\N"),
            }
            r.ends.push(r.bytes.len());
        }
    }
    match v {
        Values::Str(c) => each(&mut r, c.iter(), escape),
        Values::Bool(c) => each(&mut r, c.iter(), |b, out| {
            out.push(if b { b't' } else { b'f' })
        }),
        Values::Int(c) => each(&mut r, c.iter(), |n, out| {
            let _ = write!(out, "{n}");
        }),
        Values::F64(c) => each(&mut r, c.iter(), float),
        Values::Date(c) => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
            each(&mut r, c.iter(), |d, out| {
                match epoch.checked_add_signed(chrono::TimeDelta::days(d as i64)) {
                    Some(day) => {
                        let _ = write!(out, "{}", day.format("%Y-%m-%d"));
                    }
                    None => out.extend_from_slice(b"\\N"),
                }
            })
        }
        Values::Decimal(c, scale) => each(&mut r, c.iter(), |n, out| decimal(n, *scale, out)),
    }
    r
}

/// Rust's `{}` for a double is the shortest text that reads back to the same bits, which is
/// what PostgreSQL's `float8in` needs to store it exactly.
fn float(x: f64, out: &mut Vec<u8>) {
    if x.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if x.is_infinite() {
        out.extend_from_slice(if x > 0.0 { b"Infinity" } else { b"-Infinity" });
    } else {
        let _ = write!(out, "{x}");
    }
}

fn decimal(n: i128, scale: usize, out: &mut Vec<u8>) {
    if n < 0 {
        out.push(b'-');
    }
    let digits = n.unsigned_abs().to_string();
    let digits = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = digits.split_at(digits.len() - scale);
    out.extend_from_slice(int.as_bytes());
    if scale > 0 {
        out.push(b'.');
        out.extend_from_slice(frac.as_bytes());
    }
}

fn escape(s: &str, out: &mut Vec<u8>) {
    if !s.contains(['\\', '\t', '\n', '\r']) {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    for b in s.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_exactly() {
        let mut v = Vec::new();
        decimal(-22944468969600, 2, &mut v);
        v.push(b' ');
        decimal(5, 2, &mut v);
        v.push(b' ');
        float(84.775, &mut v);
        v.push(b' ');
        float(0.1 + 0.2, &mut v);
        v.push(b' ');
        escape("a\tb\\c\nd", &mut v);
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "-229444689696.00 0.05 84.775 0.30000000000000004 a\\tb\\\\c\\nd"
        );
    }
}
