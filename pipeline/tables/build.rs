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
    cols: Vec<Slot>,
    error: Option<PolarsError>,
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

impl<'a, R> Rows<'a, R> {
    pub fn new(rows: &'a [R]) -> Self {
        Rows {
            rows,
            cols: Vec::new(),
            error: None,
        }
    }

    fn push(&mut self, c: Column) {
        self.cols.push(Slot::Column(c));
    }

    /// A column of what `f` gives for each row.
    pub fn col<T, P: ?Sized>(mut self, name: &str, f: impl Fn(&'a R) -> T) -> Self
    where
        Series: NamedFrom<Vec<T>, P>,
    {
        let values: Vec<T> = self.rows.iter().map(f).collect();
        self.push(Column::new(name.into(), values));
        self
    }

    /// A column of texts each written by `f` into an empty buffer (`false`: missing), then
    /// appended to the column's bytes: not a text allocated per row.
    pub fn text(mut self, name: &str, f: impl Fn(&'a R, &mut String) -> bool) -> Self {
        // Every row's text appended to one string, where it ends kept: Arrow's offsets and
        // bytes, as Parquet's writer takes them (`Slot::Offsets`).
        let mut all = String::new();
        let mut offsets: Vec<i64> = Vec::with_capacity(self.rows.len() + 1);
        offsets.push(0);
        let mut valid = MutableBitmap::with_capacity(self.rows.len());
        let mut buffer = String::with_capacity(64);
        for r in self.rows {
            buffer.clear();
            let some = f(r, &mut buffer);
            if some {
                all.push_str(&buffer);
            }
            valid.push(some);
            offsets.push(all.len() as i64);
        }
        let validity: Option<Bitmap> = (valid.unset_bits() > 0).then(|| valid.into());
        // SAFETY: the offsets start at 0, never decrease (`all` is only appended to, here) and
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
        self.cols.push(Slot::Offsets(name.into(), column));
        self
    }

    /// A column of dates (Polars `Date`).
    pub fn date(mut self, name: &str, f: impl Fn(&'a R) -> Option<NaiveDate>) -> Self {
        let days = numbers::<Int32Type, R>(self.rows, name, |r| f(r).map(days));
        self.push(days.into_date().into_series().into());
        self
    }

    /// A column of numbers of Polars type `T`, missing where `f` gives `None`: the values and
    /// their validity made at once, not pushed row by row into a builder.
    pub fn opt<T: PolarsNumericType>(
        mut self,
        name: &str,
        f: impl Fn(&'a R) -> Option<T::Native>,
    ) -> Self {
        let c = numbers::<T, R>(self.rows, name, f);
        self.push(c.into_series().into());
        self
    }

    /// `opt` for each item of `items` (the nine unsur, say), named by `name`, valued by
    /// `f(row, index)`.
    pub fn each_opt<T: PolarsNumericType, I>(
        mut self,
        items: impl IntoIterator<Item = I>,
        name: impl Fn(&I) -> String,
        f: impl Fn(&'a R, usize) -> Option<T::Native>,
    ) -> Self {
        // One pass over the rows for all the columns (a pass a column read every row again:
        // the rows of a chunk do not fit in a core's cache).
        let items: Vec<I> = items.into_iter().collect();
        let n = self.rows.len();
        let mut columns: Vec<Numbers<T>> = items.iter().map(|_| Numbers::new(n)).collect();
        for r in self.rows {
            for (k, c) in columns.iter_mut().enumerate() {
                c.push(f(r, k));
            }
        }
        for (item, c) in items.iter().zip(columns) {
            self.push(c.finish(&name(item)).into_series().into());
        }
        self
    }

    /// A column of what `f` gives, cast to `dtype`.
    pub fn typed<T, P: ?Sized>(
        mut self,
        name: &str,
        dtype: &DataType,
        f: impl Fn(&'a R) -> T,
    ) -> Self
    where
        Series: NamedFrom<Vec<T>, P>,
    {
        let values: Vec<T> = self.rows.iter().map(f).collect();
        match Column::new(name.into(), values).cast(dtype) {
            Ok(c) => self.push(c),
            Err(e) => self.error = self.error.or(Some(e)),
        }
        self
    }

    /// A column of rupiah: Polars `Decimal(20, 2)`, exact.
    pub fn money(mut self, name: &str, f: impl Fn(&'a R) -> Option<Decimal>) -> Self {
        let cents = self.rows.iter().map(|r| {
            f(r).map(|mut d| {
                d.rescale(2);
                d.mantissa()
            })
        });
        let ca = Int128Chunked::from_iter_options(name.into(), cents);
        match ca.into_decimal(20, 2) {
            Ok(c) => self.push(c.into_series().into()),
            Err(e) => self.error = self.error.or(Some(e)),
        }
        self
    }

    /// One column per item of `items`, named by `name`, valued by `f(row, index)`: the nine
    /// unsur, say.
    pub fn each<I, T, P: ?Sized>(
        mut self,
        items: impl IntoIterator<Item = I>,
        name: impl Fn(&I) -> String,
        f: impl Fn(&'a R, usize) -> T,
    ) -> Self
    where
        Series: NamedFrom<Vec<T>, P>,
    {
        for (k, item) in items.into_iter().enumerate() {
            let values: Vec<T> = self.rows.iter().map(|r| f(r, k)).collect();
            self.push(Column::new(name(&item).into(), values));
        }
        self
    }

    /// A column of few distinct texts (a unit, a label, a profile answer), as `f` gives them
    /// from shared strings (an `Rc<str>`, a `&'static str`): a String column, kept as a
    /// dictionary (`Slot::Dictionary`) when its texts are few. The distinct texts are found by address, so a row
    /// costs no hashing of its text; equal texts at different addresses are merged. A column
    /// with more distinct texts than a quarter of its rows keeps no dictionary.
    pub fn few(mut self, name: &str, f: impl Fn(&'a R) -> Option<&'a str>) -> Self {
        let mut few = Few::new();
        let mut nulls = 0usize;
        let mut keys: Vec<u32> = self
            .rows
            .iter()
            .map(|r| match f(r) {
                Some(s) => few.key(s),
                None => {
                    nulls += 1;
                    NULL_KEY
                }
            })
            .collect();
        let validity: Option<Bitmap> = (nulls > 0).then(|| {
            let valid = Bitmap::from_trusted_len_iter(keys.iter().map(|&k| k != NULL_KEY));
            keys.iter_mut()
                .filter(|k| **k == NULL_KEY)
                .for_each(|k| *k = 0);
            valid
        });
        let values = Utf8ViewArray::from_slice_values(&few.values);
        let name = PlSmallStr::from(name);
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
            match DictionaryArray::try_new(dtype, keys, values.boxed()) {
                Ok(d) => self.cols.push(Slot::Dictionary(name, d)),
                Err(e) => self.error = self.error.or(Some(e)),
            }
        } else {
            let column = repeat_views(&values, &keys, validity.as_ref());
            self.push(StringChunked::with_chunk(name, column).into_series().into());
        }
        self
    }

    /// The frame, with the columns in the order they were added.
    pub fn frame(self) -> PolarsResult<DataFrame> {
        self.framed()?.df()
    }

    /// The frame with its dictionaries (`few`) as they are.
    pub fn framed(self) -> PolarsResult<Frame> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(Frame {
                height: self.rows.len(),
                columns: self.cols,
            }),
        }
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

/// What `f` gives for each row as a column of `T`, null where it gives `None`.
fn numbers<'a, T: PolarsNumericType, R>(
    rows: &'a [R],
    name: &str,
    f: impl Fn(&'a R) -> Option<T::Native>,
) -> ChunkedArray<T> {
    let mut c = Numbers::new(rows.len());
    rows.iter().for_each(|r| c.push(f(r)));
    c.finish(name)
}

/// A numeric column being built in one pass: its values (a blank's slot the default) and
/// which are there, the validity kept only when something is blank.
struct Numbers<T: PolarsNumericType> {
    values: Vec<T::Native>,
    valid: MutableBitmap,
    nulls: usize,
}

impl<T: PolarsNumericType> Numbers<T> {
    fn new(rows: usize) -> Self {
        Numbers {
            values: Vec::with_capacity(rows),
            valid: MutableBitmap::with_capacity(rows),
            nulls: 0,
        }
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
