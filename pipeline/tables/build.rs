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
use rust_decimal::Decimal;

/// Columns taken one by one from a slice of rows, then a frame.
pub struct Rows<'a, R> {
    rows: &'a [R],
    cols: Vec<Column>,
    error: Option<PolarsError>,
}

impl<'a, R> Rows<'a, R> {
    pub fn new(rows: &'a [R]) -> Self {
        Rows {
            rows,
            cols: Vec::new(),
            error: None,
        }
    }

    /// A column of what `f` gives for each row.
    pub fn col<T, P: ?Sized>(mut self, name: &str, f: impl Fn(&'a R) -> T) -> Self
    where
        Series: NamedFrom<Vec<T>, P>,
    {
        let values: Vec<T> = self.rows.iter().map(f).collect();
        self.cols.push(Column::new(name.into(), values));
        self
    }

    /// A column of dates (Polars `Date`).
    pub fn date(self, name: &str, f: impl Fn(&'a R) -> Option<NaiveDate>) -> Self {
        self.typed(name, &DataType::Date, move |r| f(r).map(days))
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
            Ok(c) => self.cols.push(c),
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
            Ok(c) => self.cols.push(c.into_series().into()),
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
            self.cols.push(Column::new(name(&item).into(), values));
        }
        self
    }

    /// The frame, with the columns in the order they were added.
    pub fn frame(self) -> PolarsResult<DataFrame> {
        match self.error {
            Some(e) => Err(e),
            None => DataFrame::new(self.rows.len(), self.cols),
        }
    }
}

/// Days since 1970-01-01, Polars' `Date`.
pub fn days(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
    (d - epoch).num_days() as i32
}
