//! One way to build a frame from rows: each column one line.
//!
//! ```ignore
//! let df = Rows::new(&rows)
//!     .col("unit_id", |r| r.unit_id.as_str())
//!     .col("tahun", |r| r.tahun)
//!     .date("tanggal", |r| r.tanggal)
//!     .frame()?;
//! ```
//!
//! A column's type is the Rust type its closure returns (`&str`/`String` → String, `i32` →
//! Int32, `Option<f64>` → nullable Float64 …), as Polars' `df!` does; `date` and `typed` cast
//! where Rust has no matching type.

use chrono::NaiveDate;
use polars::prelude::*;
use polars_arrow::array::{DictionaryArray, PrimitiveArray, Utf8Array, Utf8ViewArray, View};
use polars_arrow::bitmap::{Bitmap, MutableBitmap};
use polars_arrow::datatypes::{ArrowDataType, IntegerType};
use polars_arrow::offset::Offsets;
use rust_decimal::Decimal;

/// Columns taken one by one from a slice of rows, then a frame.
pub struct Rows<'a, R> {
    rows: &'a [R],
    /// The columns being made, in order.
    cols: Vec<Box<dyn Build<'a, R> + 'a>>,
}

/// A column of a `Frame`: a Polars column, a String column kept as an Arrow dictionary
/// (`Rows::few`), or one kept as Arrow offsets and bytes (`Rows::text`), neither made a Polars
/// String column (a 16-byte view a row) until a `DataFrame` is asked for.
pub enum Slot {
    Column(Column),
    Dictionary(PlSmallStr, DictionaryArray<u32>),
    Offsets(PlSmallStr, Utf8Array<i64>),
}

impl Slot {
    pub fn name(&self) -> &PlSmallStr {
        match self {
            Slot::Column(c) => c.name(),
            Slot::Dictionary(n, _) | Slot::Offsets(n, _) => n,
        }
    }

    /// Its Polars type (a dictionary is a String column).
    pub fn dtype(&self) -> &DataType {
        match self {
            Slot::Column(c) => c.dtype(),
            Slot::Dictionary(..) | Slot::Offsets(..) => &DataType::String,
        }
    }
}

/// A frame whose text columns of few distinct values are Arrow dictionaries (`Rows::few`):
/// Parquet writing (`tables::encode`) takes them as they are, instead of finding the distinct
/// texts again by hashing every row, and a String column of a 16-byte view per row (1.6 GB of
/// writes for ten such columns of 10M rows) is made only when a `DataFrame` is asked for
/// (`Frame::df`).
pub struct Frame {
    height: usize,
    pub columns: Vec<Slot>,
}

impl Frame {
    pub fn height(&self) -> usize {
        self.height
    }

    /// The frame as a `DataFrame` (the dictionaries and offsets made String columns).
    pub fn df(self) -> PolarsResult<DataFrame> {
        let cols = self
            .columns
            .into_iter()
            .map(|slot| match slot {
                Slot::Column(c) => Ok(c),
                Slot::Dictionary(name, d) => Ok(dictionary_column(name, &d)),
                Slot::Offsets(name, t) => offsets_column(name, t),
            })
            .collect::<PolarsResult<Vec<Column>>>()?;
        DataFrame::new(self.height, cols)
    }
}

/// Texts as offsets and bytes, as a String column.
pub fn offsets_column(name: PlSmallStr, t: Utf8Array<i64>) -> PolarsResult<Column> {
    Ok(Series::from_arrow(name, t.boxed())?.into())
}

/// A dictionary's texts row by row, as a String column.
fn dictionary_column(name: PlSmallStr, d: &DictionaryArray<u32>) -> Column {
    let values = d
        .values()
        .as_any()
        .downcast_ref::<Utf8ViewArray>()
        .expect("a few column's dictionary holds Utf8View texts");
    let column = repeat_views(values, d.keys().values(), d.keys().validity());
    StringChunked::with_chunk(name, column).into_series().into()
}

impl<'a, R: 'a> Rows<'a, R> {
    pub fn new(rows: &'a [R]) -> Self {
        Rows {
            rows,
            cols: Vec::new(),
        }
    }

    fn push(mut self, b: impl Build<'a, R> + 'a) -> Self {
        self.cols.push(Box::new(b));
        self
    }

    /// A column of what `f` gives for each row.
    pub fn col<T: 'a, P: ?Sized>(self, name: &str, f: impl Fn(&'a R) -> T + 'a) -> Self
    where
        Series: NamedFrom<Vec<T>, P>,
    {
        self.push(Values::new(name, f, |n, v| Ok(Column::new(n, v))))
    }

    /// A column of texts each appended by `f` to the column's bytes (`TextOut`; `false`:
    /// missing, and what it appended is taken back): not a text allocated per row, nor copied
    /// twice.
    pub fn text(self, name: &str, f: impl Fn(&'a R, &mut TextOut<'_>) -> bool + 'a) -> Self {
        self.push(Texts {
            name: name.into(),
            all: String::new(),
            offsets: vec![0],
            valid: MutableBitmap::new(),
            rows: 0,
            f,
        })
    }

    /// A column of dates (Polars `Date`).
    pub fn date(self, name: &str, f: impl Fn(&'a R) -> Option<NaiveDate> + 'a) -> Self {
        let as_date = |c: Int32Chunked| c.into_date().into_series().into();
        self.push(Nums::<Int32Type, _>::new(
            name,
            move |r| f(r).map(days),
            as_date,
        ))
    }

    /// A column of numbers of Polars type `T`, missing where `f` gives `None`: the values and
    /// their validity made at once, not pushed row by row into a builder.
    pub fn opt<T: PolarsNumericType>(
        self,
        name: &str,
        f: impl Fn(&'a R) -> Option<T::Native> + 'a,
    ) -> Self {
        self.push(Nums::<T, _>::new(name, f, |c| c.into_series().into()))
    }

    /// `opt` for each item of `items` (the nine unsur, say), named by `name`, valued by
    /// `f(row, index)`.
    pub fn each_opt<T: PolarsNumericType, I>(
        self,
        items: impl IntoIterator<Item = I>,
        name: impl Fn(&I) -> String,
        f: impl Fn(&'a R, usize) -> Option<T::Native> + 'a,
    ) -> Self {
        // One pass over a block's rows for all the columns.
        let names: Vec<String> = items.into_iter().map(|i| name(&i)).collect();
        let columns = names.iter().map(|_| Numbers::<T>::new()).collect();
        self.push(EachNums { names, columns, f })
    }

    /// A column of what `f` gives, cast to `dtype`.
    pub fn typed<T: 'a, P: ?Sized>(
        self,
        name: &str,
        dtype: &DataType,
        f: impl Fn(&'a R) -> T + 'a,
    ) -> Self
    where
        Series: NamedFrom<Vec<T>, P>,
    {
        let dtype = dtype.clone();
        self.push(Values::new(name, f, move |n, v| {
            Column::new(n, v).cast(&dtype)
        }))
    }

    /// A column of rupiah: Polars `Decimal(20, 2)`, exact.
    pub fn money(self, name: &str, f: impl Fn(&'a R) -> Option<Decimal> + 'a) -> Self {
        let cents = move |r| {
            f(r).map(|mut d| {
                d.rescale(2);
                d.mantissa()
            })
        };
        let make = |n: PlSmallStr, v: Vec<Option<i128>>| {
            let ca = Int128Chunked::from_iter_options(n, v.into_iter());
            Ok(ca.into_decimal(20, 2)?.into_series().into())
        };
        self.push(Values::new(name, cents, make))
    }

    /// One column per item of `items`, named by `name`, valued by `f(row, index)`: the nine
    /// unsur, say.
    pub fn each<I, T: 'a, P: ?Sized>(
        self,
        items: impl IntoIterator<Item = I>,
        name: impl Fn(&I) -> String,
        f: impl Fn(&'a R, usize) -> T + 'a,
    ) -> Self
    where
        Series: NamedFrom<Vec<T>, P>,
    {
        let names: Vec<String> = items.into_iter().map(|i| name(&i)).collect();
        let values = names.iter().map(|_| Vec::new()).collect();
        let make = |n: PlSmallStr, v: Vec<T>| Column::new(n, v);
        self.push(Each {
            names,
            values,
            f,
            make,
        })
    }

    /// A column of few distinct texts (a unit, a label, a profile answer), as `f` gives them
    /// from shared strings (an `Rc<str>`, a `&'static str`): a String column, kept as a
    /// dictionary (`Slot::Dictionary`) when its texts are few. The distinct texts are found by
    /// address, so a row costs no hashing of its text; equal texts at different addresses are
    /// merged (the rows are borrowed until the frame is made: an address is one text). A
    /// column with more distinct texts than a quarter of its rows keeps no dictionary.
    pub fn few(self, name: &str, f: impl Fn(&'a R) -> Option<&'a str> + 'a) -> Self {
        self.push(FewTexts {
            name: name.into(),
            few: Few::new(),
            keys: Vec::new(),
            nulls: 0,
            f,
        })
    }

    /// The frame, with the columns in the order they were added.
    pub fn frame(self) -> PolarsResult<DataFrame> {
        self.framed()?.df()
    }

    /// The frame with its dictionaries (`few`) as they are. Every column takes a block of
    /// rows before the next block is read (`BLOCK_ROWS`), so that a block's rows are read from
    /// memory once for all the columns.
    pub fn framed(mut self) -> PolarsResult<Frame> {
        for c in &mut self.cols {
            c.reserve(self.rows.len());
        }
        for block in self.rows.chunks(BLOCK_ROWS) {
            for c in &mut self.cols {
                c.block(block);
            }
        }
        let mut columns = Vec::with_capacity(self.cols.len());
        for c in self.cols {
            c.finish(&mut columns)?;
        }
        Ok(Frame {
            height: self.rows.len(),
            columns,
        })
    }
}

/// The rows every column takes before the next are read: a block of a chunk's responses
/// (216 bytes each) stays in a core's cache while the frame's columns take it. (A column at a
/// time over a chunk of 40K responses, 8.6 MB, read them from memory once a column.)
const BLOCK_ROWS: usize = 2048;

/// A column (or several) of a `Rows` being made: each block of rows in order, then the
/// slots.
trait Build<'a, R> {
    /// Room for the frame's `rows` rows, before the first block.
    fn reserve(&mut self, rows: usize);
    fn block(&mut self, rows: &'a [R]);
    fn finish(self: Box<Self>, slots: &mut Vec<Slot>) -> PolarsResult<()>;
}

/// Values collected as they are, made a column by `make` at the end (`col`, `typed`,
/// `money`).
struct Values<T, F, M> {
    name: PlSmallStr,
    values: Vec<T>,
    f: F,
    make: M,
}

impl<T, F, M> Values<T, F, M> {
    fn new(name: &str, f: F, make: M) -> Self {
        Values {
            name: name.into(),
            values: Vec::new(),
            f,
            make,
        }
    }
}

impl<'a, R: 'a, T, F, M> Build<'a, R> for Values<T, F, M>
where
    F: Fn(&'a R) -> T,
    M: FnOnce(PlSmallStr, Vec<T>) -> PolarsResult<Column>,
{
    fn reserve(&mut self, rows: usize) {
        self.values.reserve(rows);
    }

    fn block(&mut self, rows: &'a [R]) {
        self.values.extend(rows.iter().map(&self.f));
    }

    fn finish(self: Box<Self>, slots: &mut Vec<Slot>) -> PolarsResult<()> {
        let Values {
            name, values, make, ..
        } = *self;
        slots.push(Slot::Column(make(name, values)?));
        Ok(())
    }
}

/// Several columns of values (`each`).
struct Each<T, F> {
    names: Vec<String>,
    values: Vec<Vec<T>>,
    f: F,
    make: fn(PlSmallStr, Vec<T>) -> Column,
}

impl<'a, R: 'a, T, F: Fn(&'a R, usize) -> T> Build<'a, R> for Each<T, F> {
    fn reserve(&mut self, rows: usize) {
        self.values.iter_mut().for_each(|v| v.reserve(rows));
    }

    fn block(&mut self, rows: &'a [R]) {
        for (k, v) in self.values.iter_mut().enumerate() {
            v.extend(rows.iter().map(|r| (self.f)(r, k)));
        }
    }

    fn finish(self: Box<Self>, slots: &mut Vec<Slot>) -> PolarsResult<()> {
        let make = self.make;
        for (name, values) in self.names.into_iter().zip(self.values) {
            slots.push(Slot::Column(make(name.into(), values)));
        }
        Ok(())
    }
}

/// A numeric column, its values and validity made in one pass (`date`, `opt`).
struct Nums<T: PolarsNumericType, F> {
    name: PlSmallStr,
    numbers: Numbers<T>,
    f: F,
    make: fn(ChunkedArray<T>) -> Column,
}

impl<T: PolarsNumericType, F> Nums<T, F> {
    fn new(name: &str, f: F, make: fn(ChunkedArray<T>) -> Column) -> Self {
        Nums {
            name: name.into(),
            numbers: Numbers::new(),
            f,
            make,
        }
    }
}

impl<'a, R: 'a, T, F> Build<'a, R> for Nums<T, F>
where
    T: PolarsNumericType,
    F: Fn(&'a R) -> Option<T::Native>,
{
    fn reserve(&mut self, rows: usize) {
        self.numbers.reserve(rows);
    }

    fn block(&mut self, rows: &'a [R]) {
        rows.iter().for_each(|r| self.numbers.push((self.f)(r)));
    }

    fn finish(self: Box<Self>, slots: &mut Vec<Slot>) -> PolarsResult<()> {
        let c = self.numbers.finish(&self.name);
        slots.push(Slot::Column((self.make)(c)));
        Ok(())
    }
}

/// Several numeric columns made in one pass over each block (`each_opt`).
struct EachNums<T: PolarsNumericType, F> {
    names: Vec<String>,
    columns: Vec<Numbers<T>>,
    f: F,
}

impl<'a, R: 'a, T, F> Build<'a, R> for EachNums<T, F>
where
    T: PolarsNumericType,
    F: Fn(&'a R, usize) -> Option<T::Native>,
{
    fn reserve(&mut self, rows: usize) {
        self.columns.iter_mut().for_each(|c| c.reserve(rows));
    }

    fn block(&mut self, rows: &'a [R]) {
        for r in rows {
            for (k, c) in self.columns.iter_mut().enumerate() {
                c.push((self.f)(r, k));
            }
        }
    }

    fn finish(self: Box<Self>, slots: &mut Vec<Slot>) -> PolarsResult<()> {
        for (name, c) in self.names.iter().zip(self.columns) {
            slots.push(Slot::Column(c.finish(name).into_series().into()));
        }
        Ok(())
    }
}

/// Where a `text` column's row writes its text: the end of the column's bytes, which it can
/// only append to (the rows before it stay as their offsets say).
pub struct TextOut<'s>(&'s mut String);

impl TextOut<'_> {
    pub fn push_str(&mut self, s: &str) {
        self.0.push_str(s);
    }

    pub fn push(&mut self, c: char) {
        self.0.push(c);
    }
}

/// A column of texts as Arrow offsets and bytes (`text`): every row's text appended to one
/// string, where it ends kept.
struct Texts<F> {
    name: PlSmallStr,
    all: String,
    offsets: Vec<i64>,
    valid: MutableBitmap,
    /// The rows the column will hold (`reserve`): the bytes are reserved for them after the
    /// first block, at its bytes a row.
    rows: usize,
    f: F,
}

impl<'a, R: 'a, F: Fn(&'a R, &mut TextOut<'_>) -> bool> Build<'a, R> for Texts<F> {
    fn reserve(&mut self, rows: usize) {
        self.offsets.reserve(rows);
        self.valid.reserve(rows);
        self.rows = rows;
    }

    fn block(&mut self, rows: &'a [R]) {
        let first = self.all.is_empty();
        for r in rows {
            let start = self.all.len();
            let some = (self.f)(r, &mut TextOut(&mut self.all));
            if !some {
                self.all.truncate(start);
            }
            self.valid.push(some);
            self.offsets.push(self.all.len() as i64);
        }
        // (Every text column: not doubled and copied as its bytes come. Identities take 32
        // bytes a row; a first block of long texts reserves room for more than the rest need.)
        if first && !rows.is_empty() {
            let left = self.rows.saturating_sub(rows.len());
            self.all.reserve(self.all.len() / rows.len() * left);
        }
    }

    fn finish(self: Box<Self>, slots: &mut Vec<Slot>) -> PolarsResult<()> {
        let Texts {
            name,
            all,
            offsets,
            valid,
            ..
        } = *self;
        let validity: Option<Bitmap> = (valid.unset_bits() > 0).then(|| valid.into());
        // SAFETY: the offsets start at 0, never decrease (`all` is only appended to, through
        // `TextOut`, or cut back to where the row began) and
        // end at the bytes' length, and each lies between two texts appended to a `String`: a
        // UTF-8 boundary.
        let column = unsafe {
            Utf8Array::<i64>::new_unchecked(
                ArrowDataType::LargeUtf8,
                Offsets::new_unchecked(offsets).into(),
                all.into_bytes().into(),
                validity,
            )
        };
        slots.push(Slot::Offsets(name, column));
        Ok(())
    }
}

/// A column of few distinct texts (`few`): each row's key, the texts found by address.
struct FewTexts<'a, F> {
    name: PlSmallStr,
    few: Few<'a>,
    keys: Vec<u32>,
    nulls: usize,
    f: F,
}

impl<'a, R: 'a, F: Fn(&'a R) -> Option<&'a str>> Build<'a, R> for FewTexts<'a, F> {
    fn reserve(&mut self, rows: usize) {
        self.keys.reserve(rows);
    }

    fn block(&mut self, rows: &'a [R]) {
        let (few, nulls) = (&mut self.few, &mut self.nulls);
        self.keys.extend(rows.iter().map(|r| match (self.f)(r) {
            Some(s) => few.key(s),
            None => {
                *nulls += 1;
                NULL_KEY
            }
        }));
    }

    fn finish(self: Box<Self>, slots: &mut Vec<Slot>) -> PolarsResult<()> {
        let FewTexts {
            name,
            few,
            mut keys,
            nulls,
            ..
        } = *self;
        let validity: Option<Bitmap> = (nulls > 0).then(|| {
            let valid = Bitmap::from_trusted_len_iter(keys.iter().map(|&k| k != NULL_KEY));
            keys.iter_mut()
                .filter(|k| **k == NULL_KEY)
                .for_each(|k| *k = 0);
            valid
        });
        let values = Utf8ViewArray::from_slice_values(&few.values);
        // (Every value is some row's: a text not empty is a text in the column.)
        let some_text = few.values.iter().any(|v| !v.is_empty());
        let few_enough = keys.len() <= 128 || few.values.len() * 4 <= keys.len();
        if few_enough && some_text {
            let keys = PrimitiveArray::<u32>::new(ArrowDataType::UInt32, keys.into(), validity);
            let dtype = ArrowDataType::Dictionary(
                IntegerType::UInt32,
                Box::new(ArrowDataType::Utf8View),
                false,
            );
            let d = DictionaryArray::try_new(dtype, keys, values.boxed())?;
            slots.push(Slot::Dictionary(name, d));
        } else {
            let column = repeat_views(&values, &keys, validity.as_ref());
            slots.push(Slot::Column(
                StringChunked::with_chunk(name, column).into_series().into(),
            ));
        }
        Ok(())
    }
}

/// A `few` column's key for a missing text (0 once the column is made).
const NULL_KEY: u32 = u32::MAX;

/// The distinct texts of a `few` column, by address: each text's key is its place in `values`.
struct Few<'s> {
    /// The last key of each of 64 address slots (rows repeat a few addresses).
    slots: [((usize, usize), u32); 64],
    by_address: foldhash::HashMap<(usize, usize), u32>,
    by_text: foldhash::HashMap<&'s str, u32>,
    values: Vec<&'s str>,
}

impl<'s> Few<'s> {
    fn new() -> Few<'s> {
        Few {
            // (No text is at address 0.)
            slots: [((0, 0), 0); 64],
            by_address: Default::default(),
            by_text: Default::default(),
            values: Vec::new(),
        }
    }

    #[inline]
    fn key(&mut self, s: &'s str) -> u32 {
        let address = (s.as_ptr() as usize, s.len());
        let slot = address.0.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58;
        match self.slots[slot] {
            (a, k) if a == address => k,
            _ => {
                let k = self.find(s, address);
                self.slots[slot] = (address, k);
                k
            }
        }
    }

    fn find(&mut self, s: &'s str, address: (usize, usize)) -> u32 {
        if let Some(&k) = self.by_address.get(&address) {
            return k;
        }
        let next = self.values.len() as u32;
        let k = *self.by_text.entry(s).or_insert(next);
        if k == next {
            self.values.push(s);
        }
        self.by_address.insert(address, k);
        k
    }
}

/// A String column whose row `i` is `values[keys[i]]` (null where `validity` says): each row
/// is a copy of its value's 16-byte view, the texts themselves stay in `values`' buffers.
fn repeat_views(values: &Utf8ViewArray, keys: &[u32], validity: Option<&Bitmap>) -> Utf8ViewArray {
    let views = values.views();
    let mut bytes = 0usize;
    let valid = |i: usize| validity.is_none_or(|v| v.get_bit(i));
    let column: Vec<View> = keys
        .iter()
        .enumerate()
        .map(|(i, &k)| match views.get(k as usize) {
            Some(v) if valid(i) => {
                bytes += v.length as usize;
                *v
            }
            _ => View::default(),
        })
        .collect();
    // SAFETY: every view is one of `values`' (valid UTF-8 in its buffers) or, where null, the
    // empty inline view; the buffers are `values`' own.
    unsafe {
        Utf8ViewArray::new_unchecked(
            ArrowDataType::Utf8View,
            column.into(),
            values.data_buffers().clone(),
            validity.cloned(),
            Some(bytes),
            values.total_buffer_len(),
        )
    }
}

/// A numeric column being built in one pass: its values (a blank's slot the default) and
/// which are there, the validity kept only when something is blank.
struct Numbers<T: PolarsNumericType> {
    values: Vec<T::Native>,
    valid: MutableBitmap,
    nulls: usize,
}

impl<T: PolarsNumericType> Numbers<T> {
    fn new() -> Self {
        Numbers {
            values: Vec::new(),
            valid: MutableBitmap::new(),
            nulls: 0,
        }
    }

    fn reserve(&mut self, rows: usize) {
        self.values.reserve(rows);
        self.valid.reserve(rows);
    }

    #[inline]
    fn push(&mut self, v: Option<T::Native>) {
        self.valid.push(v.is_some());
        self.nulls += usize::from(v.is_none());
        self.values.push(v.unwrap_or_default());
    }

    fn finish(self, name: &str) -> ChunkedArray<T> {
        let validity: Option<Bitmap> = (self.nulls > 0).then(|| self.valid.into());
        ChunkedArray::<T>::from_vec_validity(name.into(), self.values, validity)
    }
}

/// Days since 1970-01-01, Polars' `Date`.
pub fn days(d: NaiveDate) -> i32 {
    use chrono::Datelike as _;
    // 1970-01-01 is day 719,163 counted from 0001-01-01 (day 1).
    d.num_days_from_ce() - 719_163
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row {
        i: i32,
        label: Option<&'static str>,
    }

    const LABELS: [&str; 5] = ["satu", "dua", "tiga", "empat", "lima"];

    /// Rows over several blocks, the last one short; a label first seen in a later block.
    fn rows() -> Vec<Row> {
        (0..(2 * BLOCK_ROWS + 777) as i32)
            .map(|i| Row {
                i,
                label: match i {
                    _ if i % 7 == 0 => None,
                    _ if i < BLOCK_ROWS as i32 => Some(LABELS[(i % 3) as usize]),
                    _ => Some(LABELS[(i % 5) as usize]),
                },
            })
            .collect()
    }

    /// A text column's bytes are its present rows' texts end to end: what a row wrote before
    /// it said it has none is taken back.
    #[test]
    fn a_text_column_keeps_only_its_present_rows_bytes() {
        let rows: Vec<u32> = (0..5000).collect();
        let frame = Rows::new(&rows)
            .text("text", |i, s| {
                s.push_str(&format!("t{i}"));
                s.push('·');
                i % 3 != 0
            })
            .framed()
            .expect("frame");
        let Slot::Offsets(_, column) = &frame.columns[0] else {
            panic!("a text column is offsets and bytes");
        };
        let want: String = (rows.iter())
            .filter(|i| *i % 3 != 0)
            .map(|i| format!("t{i}·"))
            .collect();
        assert_eq!(column.values().as_slice(), want.as_bytes());
        use polars_arrow::array::Array as _;
        assert_eq!(column.null_count(), rows.len().div_ceil(3));
    }

    /// Every kind of column made a block at a time equals the column made from all the
    /// rows' values at once.
    #[test]
    fn columns_made_block_by_block_equal_columns_made_whole() {
        let rows = rows();
        let epoch = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
        let date = |r: &Row| (r.i % 3 != 0).then(|| epoch + chrono::Duration::days(r.i.into()));
        let df = Rows::new(&rows)
            .col("i", |r| r.i)
            .few("label", |r| r.label)
            .text("text", |r, s| {
                s.push_str(&format!("t{}", r.i));
                r.i % 4 != 0
            })
            .date("date", date)
            .opt::<Int64Type>("opt", |r| (r.i % 2 == 0).then_some(i64::from(r.i)))
            .each_opt::<UInt8Type, _>(
                0..3,
                |k| format!("u{k}"),
                |r, k| ((r.i + k as i32) % 5 != 0).then_some(((r.i + k as i32) % 4) as u8),
            )
            .typed("typed", &DataType::Int16, |r| r.i % 1000)
            .money("money", |r| Some(Decimal::new(r.i.into(), 1)))
            .each(0..2, |k| format!("e{k}"), |r, k| r.i * (k as i32 + 1))
            .frame()
            .expect("frame");
        let n = rows.len();
        assert_eq!(df.height(), n);
        let want: Vec<Column> = vec![
            Column::new("i".into(), rows.iter().map(|r| r.i).collect::<Vec<_>>()),
            Column::new(
                "label".into(),
                rows.iter().map(|r| r.label).collect::<Vec<_>>(),
            ),
            Column::new(
                "text".into(),
                (rows.iter())
                    .map(|r| (r.i % 4 != 0).then(|| format!("t{}", r.i)))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "date".into(),
                rows.iter().map(|r| date(r).map(days)).collect::<Vec<_>>(),
            )
            .cast(&DataType::Date)
            .expect("date"),
            Column::new(
                "opt".into(),
                (rows.iter())
                    .map(|r| (r.i % 2 == 0).then_some(i64::from(r.i)))
                    .collect::<Vec<_>>(),
            ),
        ];
        let n_of = |k: i32| {
            (rows.iter())
                .map(move |r| r.i * (k + 1))
                .collect::<Vec<_>>()
        };
        let u_of = |k: i32| -> Vec<Option<u8>> {
            (rows.iter())
                .map(|r| ((r.i + k) % 5 != 0).then_some(((r.i + k) % 4) as u8))
                .collect()
        };
        let want = want.into_iter().chain([
            Column::new("u0".into(), u_of(0)),
            Column::new("u1".into(), u_of(1)),
            Column::new("u2".into(), u_of(2)),
            Column::new(
                "typed".into(),
                (rows.iter())
                    .map(|r| (r.i % 1000) as i16)
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "money".into(),
                (rows.iter())
                    .map(|r| f64::from(r.i) / 10.0)
                    .collect::<Vec<_>>(),
            ),
            Column::new("e0".into(), n_of(0)),
            Column::new("e1".into(), n_of(1)),
        ]);
        for w in want {
            let got = df.column(w.name()).expect("column");
            // (Money is a decimal: compared as the numbers it holds.)
            let got = match w.name().as_str() {
                "money" => got.cast(&DataType::Float64).expect("a number"),
                _ => got.clone(),
            };
            assert_eq!(got.dtype(), w.dtype(), "{}", w.name());
            assert!(got.equals_missing(&w), "{} differs", w.name());
        }
        let names: Vec<&str> = df
            .get_column_names()
            .into_iter()
            .map(|c| c.as_str())
            .collect();
        assert_eq!(
            names,
            ["i", "label", "text", "date", "opt", "u0", "u1", "u2", "typed", "money", "e0", "e1"]
        );
    }

    /// A few column stays a dictionary across blocks: one key per distinct text, whatever
    /// block it was first seen in.
    #[test]
    fn a_few_column_keeps_one_key_per_text_across_blocks() {
        let rows = rows();
        let frame = Rows::new(&rows)
            .few("label", |r| r.label)
            .framed()
            .expect("frame");
        let Slot::Dictionary(_, d) = &frame.columns[0] else {
            panic!("a dictionary");
        };
        assert_eq!(d.values().len(), LABELS.len());
        assert_eq!(
            polars_arrow::array::Array::null_count(d.keys()),
            rows.iter().filter(|r| r.label.is_none()).count()
        );
    }
}
