//! A dictionary column's data pages, with its keys encoded by skm (`dictionary_pages`).
//!
//! polars-parquet encodes every key of a page through a generic loop over an iterator
//! (`hybrid_rle::encoder::encode`, which also fills a 32 KiB buffer on every call): 5–8% of
//! the CPU of a big file's run, silver's dictionary columns being most of its columns. Here
//! the keys are encoded from a slice as Parquet's RLE / bit-packing hybrid, and the definition
//! levels straight from the validity's bytes. Everything else comes from polars-parquet's own
//! pages for the first row (the dictionary page, the statistics, the page header and the
//! column's descriptor), so the column reads back the same, with the same minimum and maximum;
//! each page's null count is its own (polars-parquet gives every page the whole column's, and
//! a column chunk of several pages counted its nulls once a page).
//!
//! Invariant: a page is whole groups of 8 rows except the column's last (`ROWS_PER_PAGE`), so
//! each page's validity starts on a byte.

use anyhow::{bail, Context, Result};
use polars_arrow::array::{Array, DictionaryArray};
use polars_arrow::bitmap::Bitmap;
use polars_parquet::parquet::page::{DataPage, DataPageHeader};
use polars_parquet::parquet::CowBuffer;
use polars_parquet::write::{array_to_columns, Encoding, Page, ParquetType, WriteOptions};

/// Rows a data page holds at most: as polars-parquet cuts a dictionary column (1 MiB ÷ (4
/// bytes a key + 1)), rounded down to whole groups of 8.
pub const ROWS_PER_PAGE: usize = (1024 * 1024 / 5) / 8 * 8;

/// The pages of a dictionary column: polars-parquet's dictionary page, then data pages of at
/// most `ROWS_PER_PAGE` rows whose keys skm encodes, each with the column's statistics and its
/// own null count.
pub fn dictionary_pages(
    array: &DictionaryArray<u32>,
    typ: &ParquetType,
    options: WriteOptions,
) -> Result<Vec<Page>> {
    let encoding = [Encoding::RleDictionary];
    if array.is_empty() || array.values().null_count() > 0 {
        // (Nothing to gain; and a null value is a null row, which polars-parquet handles.)
        return polars_pages(array.clone().boxed(), typ, options, &encoding);
    }
    let mut first = polars_pages(array.clone().sliced(0, 1).boxed(), typ, options, &encoding)?;
    let (Some(Page::Data(model)), Some(Page::Dict(dict)), None) =
        (first.pop(), first.pop(), first.pop())
    else {
        bail!("polars-parquet gave other pages than a dictionary page and a data page");
    };
    let DataPageHeader::V1(header) = model.header() else {
        bail!("silver's pages are Parquet's version 1 pages");
    };
    let mut pages = vec![Page::Dict(dict)];
    let mut scratch = Vec::new();
    for start in (0..array.len()).step_by(ROWS_PER_PAGE) {
        let rows = ROWS_PER_PAGE.min(array.len() - start);
        let page = array.clone().sliced(start, rows);
        let mut buffer = Vec::new();
        write_page(&page, &mut buffer, &mut scratch);
        let mut header = header.clone();
        header.num_values = i32::try_from(rows).context("rows in a page")?;
        if let Some(s) = header.statistics.as_mut() {
            s.null_count = Some(page.null_count() as i64);
        }
        pages.push(Page::Data(DataPage::new(
            DataPageHeader::V1(header),
            CowBuffer::Owned(buffer),
            model.descriptor.clone(),
            rows,
        )));
    }
    Ok(pages)
}

/// An integer type whose columns polars-parquet makes dictionaries of by their range
/// (`min_max_integer_encode_as_dictionary_optional`), with its thresholds: values spanning at
/// most `SPAN`, and either at most `FEW` distinct values or fewer than 3 for every 4 rows.
pub trait Small: polars_arrow::types::NativeType + Ord + Into<i64> + TryFrom<i64> {
    const SPAN: i64;
    const FEW: usize;
    /// Every value of the type (least, greatest) when there are few enough to look each up in
    /// a table, with no pass for the least and greatest present.
    const TABLE: Option<(i64, i64)>;
}

impl Small for i32 {
    const SPAN: i64 = u16::MAX as i64;
    const FEW: usize = 512;
    const TABLE: Option<(i64, i64)> = None;
}

impl Small for u8 {
    const SPAN: i64 = u8::MAX as i64;
    const FEW: usize = 16;
    const TABLE: Option<(i64, i64)> = Some((0, 255));
}

/// A column of 32-bit integers or dates (`i32`) or of answers (`u8`) as polars-parquet makes
/// it a dictionary before writing it: the values present in increasing order, and each row's
/// key. None where polars-parquet would not do so by the range (other types, values spanning
/// more than `Small::SPAN`, too many distinct values, all rows null): it decides those.
pub fn small_dictionary(array: &dyn Array) -> Option<DictionaryArray<u32>> {
    let any = array.as_any();
    (any.downcast_ref().and_then(dictionary_of::<i32>))
        .or_else(|| any.downcast_ref().and_then(dictionary_of::<u8>))
}

fn dictionary_of<T: Small>(
    a: &polars_arrow::array::PrimitiveArray<T>,
) -> Option<DictionaryArray<u32>> {
    use polars_arrow::array::PrimitiveArray;
    use polars_arrow::datatypes::{ArrowDataType, IntegerType};
    let valid = a.validity().filter(|v| v.unset_bits() > 0);
    let (lo, hi) = match T::TABLE {
        Some(all) => all,
        None => {
            let (min, max) = super::native_min_max(a.values(), valid)?;
            (min.into(), max.into())
        }
    };
    if hi - lo > T::SPAN {
        return None;
    }
    // (A null row's slot may hold anything: clamped, it is some key, never read.)
    let at = |v: T| (v.into().clamp(lo, hi) - lo) as usize;
    let mut seen = vec![false; (hi - lo) as usize + 1];
    each_valid(a.values(), valid, |v| seen[at(v)] = true);
    let present = seen.iter().filter(|s| **s).count();
    let (first, last) = (
        seen.iter().position(|s| *s)?,
        seen.iter().rposition(|s| *s)?,
    );
    let few = present <= T::FEW || (present as f64) / (a.len() as f64) < 0.75;
    if !few || (last - first) as i64 > T::SPAN {
        return None;
    }
    let mut key = vec![0u32; seen.len()];
    let mut values: Vec<T> = Vec::with_capacity(present);
    for (i, _) in seen.iter().enumerate().filter(|(_, s)| **s) {
        key[i] = values.len() as u32;
        values.push(T::try_from(lo + i as i64).ok()?);
    }
    let keys: Vec<u32> = a.values().iter().map(|&v| key[at(v)]).collect();
    let keys = PrimitiveArray::new(ArrowDataType::UInt32, keys.into(), a.validity().cloned());
    let value_type = ArrowDataType::from(T::PRIMITIVE);
    let values = PrimitiveArray::new(value_type.clone(), values.into(), None);
    let dtype = ArrowDataType::Dictionary(IntegerType::UInt32, Box::new(value_type), false);
    DictionaryArray::try_new(dtype, keys, values.boxed()).ok()
}

/// `f` of each of `values` where `valid` (if any) says it is there: 8 rows a byte of the
/// validity, a byte all set passing its 8 values at once.
fn each_valid<T: Copy>(values: &[T], valid: Option<&Bitmap>, mut f: impl FnMut(T)) {
    let Some(valid) = valid else {
        return values.iter().for_each(|&v| f(v));
    };
    let (bytes, offset, _) = valid.as_slice();
    if offset != 0 {
        let pairs = values.iter().zip(valid.iter());
        return pairs.filter(|(_, ok)| *ok).for_each(|(&v, _)| f(v));
    }
    for (eight, &b) in values.chunks(8).zip(bytes) {
        if b == 0xFF {
            eight.iter().for_each(|&v| f(v));
        } else {
            let set = eight.iter().enumerate().filter(|(j, _)| b >> j & 1 == 1);
            set.for_each(|(_, &v)| f(v));
        }
    }
}

/// polars-parquet's pages of `array`.
fn polars_pages(
    array: Box<dyn Array>,
    typ: &ParquetType,
    options: WriteOptions,
    encoding: &[Encoding],
) -> Result<Vec<Page>> {
    let mut pages = Vec::new();
    for column in array_to_columns(array, typ.clone(), options, encoding)? {
        for page in column {
            pages.push(page?);
        }
    }
    Ok(pages)
}

/// A version 1 data page's bytes for an optional column: the definition levels (their length,
/// then the hybrid of the validity), the keys' bit width, then the hybrid of the keys of the
/// rows that are not null. `scratch` holds those keys when some rows are null.
fn write_page(page: &DictionaryArray<u32>, out: &mut Vec<u8>, scratch: &mut Vec<u32>) {
    let keys = page.keys();
    let rows = keys.len();
    out.extend_from_slice(&[0; 4]);
    match keys.validity().filter(|v| v.unset_bits() > 0) {
        None => rle(out, rows, 1, 1),
        Some(valid) => validity(out, valid),
    }
    let levels = u32::try_from(out.len() - 4).expect("a page's levels are less than 4 GiB");
    out[..4].copy_from_slice(&levels.to_le_bytes());
    let values: &[u32] = match keys.validity().filter(|v| v.unset_bits() > 0) {
        None => keys.values(),
        Some(valid) => {
            scratch.clear();
            each_valid(keys.values(), Some(valid), |k| scratch.push(k));
            scratch
        }
    };
    let bits = bit_width(values.iter().copied().max().unwrap_or(0));
    out.push(bits as u8);
    hybrid(out, values, bits);
}

/// Bits to write `max`.
fn bit_width(max: u32) -> u32 {
    u32::BITS - max.leading_zeros()
}

/// Parquet's RLE / bit-packing hybrid of `values`, each `bits` wide: bit-packed in groups of 8
/// (the last group padded with zeros), except that a group of 8 equal values starts an RLE run
/// that goes on as long as the value does. Runs are looked for a group at a time, not at every
/// value (a run that starts inside a group is found at the next group): a few bytes more on
/// runs of 8–15, no branch a value.
pub fn hybrid(out: &mut Vec<u8>, values: &[u32], bits: u32) {
    let mut literal = 0; // the first value not written yet
    let mut group = 0; // the group looked at, whole groups of 8 after `literal`
    while group + 8 <= values.len() {
        let v = values[group];
        let eight: &[u32; 8] = values[group..group + 8].try_into().expect("8 values");
        if eight.iter().fold(true, |all, &x| all & (x == v)) {
            let end = group + 8 + values[group + 8..].iter().take_while(|&&x| x == v).count();
            bit_packed(out, &values[literal..group], bits);
            rle(out, end - group, v, bits);
            literal = end;
            group = end;
        } else {
            group += 8;
        }
    }
    bit_packed(out, &values[literal..], bits);
}

/// An RLE run: its length, then its value in whole bytes.
fn rle(out: &mut Vec<u8>, count: usize, value: u32, bits: u32) {
    uleb128(out, (count as u64) << 1);
    out.extend_from_slice(&value.to_le_bytes()[..bits.div_ceil(8) as usize]);
}

/// A bit-packed run of `values` (none: nothing), least significant bit first, padded with
/// zeros to whole groups of 8 values.
fn bit_packed(out: &mut Vec<u8>, values: &[u32], bits: u32) {
    if values.is_empty() {
        return;
    }
    let groups = values.len().div_ceil(8);
    uleb128(out, (groups as u64) << 1 | 1);
    if bits <= 8 {
        // A group of 8 values is `bits` bytes: made in one word, its 8 bytes written and the
        // ones past `bits` taken back (a copy of a fixed length, not a call to `memcpy`).
        out.reserve(groups * bits as usize + 8);
        for group in values.chunks(8) {
            let word = (group.iter().enumerate())
                .fold(0u64, |w, (j, &v)| w | u64::from(v) << (j as u32 * bits));
            out.extend_from_slice(&word.to_le_bytes());
            out.truncate(out.len() - 8 + bits as usize);
        }
        return;
    }
    let end = out.len() + groups * bits as usize;
    out.reserve(end - out.len());
    let (mut acc, mut held) = (0u64, 0u32);
    for &v in values {
        acc |= u64::from(v) << held;
        held += bits;
        while held >= 8 {
            out.push(acc as u8);
            acc >>= 8;
            held -= 8;
        }
    }
    if held > 0 {
        out.push(acc as u8);
    }
    out.resize(end, 0);
}

/// The hybrid of a validity (1 bit a row), from its bytes: runs of whole bytes all set or all
/// clear as RLE runs, the other bytes bit-packed as they are (a byte is a group of 8 rows).
fn validity(out: &mut Vec<u8>, valid: &Bitmap) {
    let (bytes, offset, rows) = valid.as_slice();
    if offset != 0 {
        // (Not a page's own validity: see the invariant above. Made whole again.)
        let aligned: Bitmap = valid.iter().collect();
        return validity(out, &aligned);
    }
    let bytes = &bytes[..rows.div_ceil(8)];
    let whole = rows / 8;
    let mut literal = 0; // the first byte not written yet
    let mut i = 0;
    while i < whole {
        let b = bytes[i];
        let end = i + bytes[i..whole].iter().take_while(|&&x| x == b).count();
        if (b == 0 || b == 0xFF) && end - i >= 2 {
            packed_bytes(out, &bytes[literal..i]);
            rle(out, (end - i) * 8, u32::from(b & 1), 1);
            literal = end;
        }
        i = end;
    }
    // The last bits of a partial byte beyond the rows are never read.
    packed_bytes(out, &bytes[literal..]);
}

/// A bit-packed run of 1-bit values that are `bytes` as they are.
fn packed_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    if !bytes.is_empty() {
        uleb128(out, (bytes.len() as u64) << 1 | 1);
        out.extend_from_slice(bytes);
    }
}

fn uleb128(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parquet's hybrid read back, written apart from the writer: `n` values `bits` wide. A
    /// bit-packed run that is not the last gives all its groups' values, so one not made of
    /// whole groups of 8 shows as values out of place.
    fn decode(mut b: &[u8], bits: u32, n: usize) -> Vec<u32> {
        let mut out = Vec::new();
        while !b.is_empty() {
            let (mut header, mut shift) = (0u64, 0);
            loop {
                let byte = b[0];
                b = &b[1..];
                header |= u64::from(byte & 0x7F) << shift;
                shift += 7;
                if byte & 0x80 == 0 {
                    break;
                }
            }
            if header & 1 == 0 {
                let width = bits.div_ceil(8) as usize;
                let value = (0..width).fold(0u32, |v, k| v | u32::from(b[k]) << (8 * k));
                b = &b[width..];
                assert!(header >> 1 > 0, "an empty run");
                out.extend(std::iter::repeat_n(value, (header >> 1) as usize));
            } else {
                let groups = (header >> 1) as usize;
                let data = &b[..groups * bits as usize];
                b = &b[groups * bits as usize..];
                for j in 0..groups * 8 {
                    let bit = |i: u32| {
                        let at = j * bits as usize + i as usize;
                        u32::from(data[at / 8] >> (at % 8) & 1)
                    };
                    out.push((0..bits).fold(0, |v, i| v | bit(i) << i));
                }
            }
        }
        assert!(
            out.len() >= n && out.len() < n + 8,
            "{} values for {n}",
            out.len()
        );
        out.truncate(n);
        out
    }

    fn random() -> impl FnMut() -> u64 {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        }
    }

    #[test]
    fn the_hybrid_reads_back_as_its_values() {
        let mut next = random();
        for bits in [0u32, 1, 2, 3, 5, 8, 9, 13, 16, 24, 31, 32] {
            let top = if bits == 32 {
                u32::MAX
            } else {
                (1u32 << bits) - 1
            };
            for len in [0usize, 1, 7, 8, 9, 16, 17, 100, 1000] {
                for runs in [0u64, 2, 8, 15] {
                    // Runs of every length at every place: each value repeated 1 to 2^runs + 1
                    // times.
                    let mut values = Vec::new();
                    while values.len() < len {
                        let v = (next() as u32) & top;
                        let times = 1 + (next() % (1 << runs.min(12)).max(1)) as usize;
                        values.extend(std::iter::repeat_n(v, times.min(len - values.len())));
                    }
                    let mut out = Vec::new();
                    hybrid(&mut out, &values, bits);
                    assert_eq!(
                        decode(&out, bits, len),
                        values,
                        "{bits} bits, {len}, {runs}"
                    );
                }
            }
        }
        // A long run is one run: a few bytes, not a value each.
        let mut out = Vec::new();
        hybrid(&mut out, &[3; 100_000], 2);
        assert!(out.len() < 8, "{}", out.len());
    }

    #[test]
    fn each_valid_passes_the_values_there_in_order() {
        let mut next = random();
        for len in [0usize, 1, 7, 8, 9, 64, 1001] {
            for density in [0u64, 1, 8, 15, 16] {
                let bits: Vec<bool> = (0..len + 3).map(|_| next() % 16 < density).collect();
                let values: Vec<u32> = (0..len as u32).collect();
                let whole = Bitmap::from(&bits[..len]);
                let sliced = Bitmap::from(bits.as_slice()).sliced(3, len);
                for (valid, bits) in [(whole, &bits[..len]), (sliced, &bits[3..])] {
                    let mut got = Vec::new();
                    each_valid(&values, Some(&valid), |v| got.push(v));
                    let want: Vec<u32> = (values.iter().zip(bits))
                        .filter(|(_, b)| **b)
                        .map(|(v, _)| *v)
                        .collect();
                    assert_eq!(got, want, "{len} {density}");
                }
            }
        }
    }

    #[test]
    fn the_validity_reads_back_as_its_bits() {
        let mut next = random();
        for len in [1usize, 7, 8, 9, 16, 17, 64, 1000, 4099] {
            for density in [0u64, 1, 8, 15, 16] {
                for clumped in [false, true] {
                    let mut bits: Vec<bool> = Vec::new();
                    while bits.len() < len + 3 {
                        let b = next() % 16 < density;
                        let times = if clumped { 1 + next() % 40 } else { 1 };
                        bits.extend(std::iter::repeat_n(b, times as usize));
                    }
                    bits.truncate(len + 3);
                    // Its own bytes, and a slice not starting on a byte.
                    let whole = Bitmap::from(&bits[..len]);
                    let sliced = Bitmap::from(bits.as_slice()).sliced(3, len);
                    for (valid, want) in [(whole, &bits[..len]), (sliced, &bits[3..])] {
                        let mut out = Vec::new();
                        validity(&mut out, &valid);
                        let back = decode(&out, 1, len);
                        let want: Vec<u32> = want.iter().map(|&b| u32::from(b)).collect();
                        assert_eq!(back, want, "{len} {density} {clumped}");
                    }
                }
            }
        }
    }
}
