//! A frame as binary COPY (PostgreSQL's `COPY … FROM STDIN (FORMAT binary)`): per row the
//! number of fields, then each field as its length and its bytes in the server's binary form
//! (`-1` for null). Nothing is turned into text and parsed back: a double is its 8 bytes, a
//! date its days since 2000-01-01, a rupiah amount a `numeric` built from its decimal digits
//! (`rust_decimal`'s encoder, never through a float). The server parses no text, which is
//! most of what a text COPY costs it.

use std::io::Write;

use anyhow::{bail, Result};
use polars::prelude::*;
use postgres::types::{ToSql as _, Type};

use crate::tables::TableDef;

/// What a binary COPY stream starts with: the signature, no flags, no header extension.
pub const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
/// What it ends with: a field count of -1.
pub const TRAILER: &[u8] = &[0xff, 0xff];

/// Days from 1970-01-01 (Arrow's dates) to 2000-01-01 (PostgreSQL's).
const PG_EPOCH_DAYS: i32 = 10_957;

/// A column's values, typed once, read by row.
enum Values {
    Str(StringChunked),
    Bool(BooleanChunked),
    /// An integer column and its PostgreSQL width in bytes (`smallint` 2, `integer` 4,
    /// `bigint` 8: `db::pg_type`).
    Int(Int64Chunked, usize),
    F64(Float64Chunked),
    /// Days since 1970-01-01.
    Date(Int32Chunked),
    /// The unscaled integer and the scale.
    Decimal(Int128Chunked, usize),
}

fn values(df: &DataFrame, name: &str, typ: &str) -> Result<Values> {
    let c = df.column(name)?.as_materialized_series().rechunk();
    let int = |width| -> Result<Values> {
        Ok(Values::Int(c.cast(&DataType::Int64)?.i64()?.clone(), width))
    };
    Ok(match typ {
        "str" => Values::Str(c.str()?.clone()),
        "bool" => Values::Bool(c.bool()?.clone()),
        "u8" => int(2)?,
        "i32" => int(4)?,
        "i64" | "u32" => int(8)?,
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
/// number `nomor` counting on from `first`) to `w`, as binary COPY rows (no header or
/// trailer: `HEADER` and `TRAILER` frame the whole stream). Returns the rows written. Each
/// column is rendered whole first (one pass over its values), then the rows put together.
pub fn write_rows(df: &DataFrame, table: &TableDef, first: u64, w: &mut impl Write) -> Result<u64> {
    let cols: Vec<Rendered> = table
        .columns
        .iter()
        .map(|c| values(df, &c.name, &c.typ).and_then(|v| render(&v, &c.name)))
        .collect::<Result<_>>()?;
    let fields = i16::try_from(cols.len() + 1)?.to_be_bytes();
    let total: usize = cols.iter().map(|c| c.bytes.len()).sum();
    let mut out = Vec::with_capacity(total + df.height() * 14);
    let mut starts = vec![0usize; cols.len()];
    for i in 0..df.height() {
        out.extend_from_slice(&fields);
        for (c, start) in cols.iter().zip(starts.iter_mut()) {
            let end = c.ends[i];
            out.extend_from_slice(&c.bytes[*start..end]);
            *start = end;
        }
        out.extend_from_slice(&8i32.to_be_bytes());
        out.extend_from_slice(&((first + i as u64) as i64).to_be_bytes());
    }
    w.write_all(&out)?;
    Ok(df.height() as u64)
}

/// A column as binary COPY fields: its values one after the other, and where each ends.
struct Rendered {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

fn render(v: &Values, name: &str) -> Result<Rendered> {
    let mut r = Rendered {
        bytes: Vec::new(),
        ends: Vec::new(),
    };
    /// Each value as its length (4 bytes, big-endian) and its bytes, -1 for a null.
    fn each<T>(
        r: &mut Rendered,
        it: impl Iterator<Item = Option<T>>,
        mut put: impl FnMut(T, &mut Vec<u8>) -> Result<()>,
    ) -> Result<()> {
        for x in it {
            match x {
                Some(x) => {
                    let at = r.bytes.len();
                    r.bytes.extend_from_slice(&[0; 4]);
                    put(x, &mut r.bytes)?;
                    let len = i32::try_from(r.bytes.len() - at - 4)?;
                    r.bytes[at..at + 4].copy_from_slice(&len.to_be_bytes());
                }
                None => r.bytes.extend_from_slice(&(-1i32).to_be_bytes()),
            }
            r.ends.push(r.bytes.len());
        }
        Ok(())
    }
    match v {
        Values::Str(c) => each(&mut r, c.iter(), |s, out| text(s, out, name))?,
        Values::Bool(c) => each(&mut r, c.iter(), |b, out| {
            out.push(u8::from(b));
            Ok(())
        })?,
        Values::Int(c, width) => each(&mut r, c.iter(), |n, out| int(n, *width, out, name))?,
        Values::F64(c) => each(&mut r, c.iter(), |x, out| {
            out.extend_from_slice(&x.to_bits().to_be_bytes());
            Ok(())
        })?,
        Values::Date(c) => each(&mut r, c.iter(), |d, out| {
            let days = d
                .checked_sub(PG_EPOCH_DAYS)
                .ok_or_else(|| anyhow::anyhow!("column {name}: date {d} out of range"))?;
            out.extend_from_slice(&days.to_be_bytes());
            Ok(())
        })?,
        Values::Decimal(c, scale) => {
            each(&mut r, c.iter(), |n, out| decimal(n, *scale, out, name))?
        }
    }
    Ok(r)
}

/// A text as its UTF-8 bytes. PostgreSQL's `text` holds no NUL character (the text COPY
/// was refused by the server for one); skm's readers refuse files with one, so a NUL here is
/// an error that names the column.
fn text(s: &str, out: &mut Vec<u8>, name: &str) -> Result<()> {
    if s.as_bytes().contains(&0) {
        bail!(
            "column {name}: a text holds a NUL character (0x00), which PostgreSQL cannot store: \
             {s:?}; remove it from the source file and run again"
        );
    }
    out.extend_from_slice(s.as_bytes());
    Ok(())
}

/// An integer in the column's width, big-endian.
fn int(n: i64, width: usize, out: &mut Vec<u8>, name: &str) -> Result<()> {
    let too_big = || anyhow::anyhow!("column {name}: {n} does not fit {width} bytes");
    match width {
        2 => out.extend_from_slice(&i16::try_from(n).map_err(|_| too_big())?.to_be_bytes()),
        4 => out.extend_from_slice(&i32::try_from(n).map_err(|_| too_big())?.to_be_bytes()),
        _ => out.extend_from_slice(&n.to_be_bytes()),
    }
    Ok(())
}

/// A decimal (unscaled integer and scale) as PostgreSQL's `numeric`, by `rust_decimal`'s
/// encoder: exact digits, the scale kept (`5` at scale 2 is `0.05`).
fn decimal(n: i128, scale: usize, out: &mut Vec<u8>, name: &str) -> Result<()> {
    let d = rust_decimal::Decimal::try_from_i128_with_scale(n, u32::try_from(scale)?)
        .map_err(|e| anyhow::anyhow!("column {name}: {n} at scale {scale}: {e}"))?;
    let mut b = bytes::BytesMut::new();
    d.to_sql(&Type::NUMERIC, &mut b)
        .map_err(|e| anyhow::anyhow!("column {name}: {e}"))?;
    out.extend_from_slice(&b);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(n: i128, scale: usize) -> Vec<u8> {
        let mut v = Vec::new();
        decimal(n, scale, &mut v, "x").unwrap();
        v
    }

    #[test]
    fn values_are_written_exactly() {
        // numeric: ndigits, weight, sign, dscale, then base-10000 digits (all 16-bit).
        // -229444689696.00 = -(2294 4468 9696).00: 3 groups, weight 2.
        let be = |xs: &[i16]| xs.iter().flat_map(|x| x.to_be_bytes()).collect::<Vec<u8>>();
        assert_eq!(
            numeric(-22944468969600, 2),
            be(&[3, 2, 0x4000, 2, 2294, 4468, 9696])
        );
        // 0.05 = 0.0500: 1 group, weight -1.
        assert_eq!(numeric(5, 2), be(&[1, -1, 0, 2, 500]));
        let mut v = Vec::new();
        int(300, 2, &mut v, "x").unwrap();
        int(-2, 4, &mut v, "x").unwrap();
        assert_eq!(v, [0x01, 0x2c, 0xff, 0xff, 0xff, 0xfe]);
        assert!(int(40_000, 2, &mut v, "x").is_err());
        assert!(text("a\0b", &mut v, "x").is_err());
    }

    #[test]
    fn dates_count_from_2000_and_nulls_have_length_minus_one() {
        // 1970-01-01 is 10,957 days before PostgreSQL's epoch; 2000-01-01 is day 0.
        let days = Int32Chunked::from_slice_options("d".into(), &[Some(0), Some(10_957), None]);
        let r = render(&Values::Date(days), "d").unwrap();
        let field = |len: i32, v: &[u8]| [&len.to_be_bytes()[..], v].concat();
        let want = [
            field(4, &(-10_957i32).to_be_bytes()),
            field(4, &0i32.to_be_bytes()),
            (-1i32).to_be_bytes().to_vec(),
        ]
        .concat();
        assert_eq!(r.bytes, want);
        assert_eq!(r.ends, [8, 16, 20]);
    }
}
