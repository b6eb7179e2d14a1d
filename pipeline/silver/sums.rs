//! Silver's sums: what gold needs from silver, summed per input file (`silver/sums`).
//!
//! Every figure skm computes from respondents is a ratio of integer sums (NRR = sum of scores ÷
//! answers), so silver can be summed in pieces and the pieces added up exactly, in any order.
//! When a file's silver rows are written, its sums are taken (`partial_sums`): per unit × tahun
//! × periode, one total row (`dimensi` null) and one row per respondent-profile group. A run
//! writes every file's sums as one table (`silver/sums/tahun=YYYY/sums.parquet`, with the file
//! each row came from) and gold adds them up instead of scanning silver again; an incremental
//! run that reuses a file's silver part reuses its sums from the cache too, so gold costs the
//! same whatever the number of responses. `period_sums` and `profile_sums` give exactly what a group-by over
//! all of silver gives (`tests/it/sums_equal_rows.rs` checks it).

use std::collections::HashMap;

use polars::prelude::*;

use crate::domain::margin::Cross;
use crate::domain::{Periode, UNSUR};
use crate::normalize::Response;
use crate::tables::build::Rows;

/// The name of an unsur's score-sum column (`u1__sum`).
pub fn sum_col(key: &str) -> String {
    format!("{key}__sum")
}

/// The name of an unsur's answer-count column (`u1__n`).
pub fn n_col(key: &str) -> String {
    format!("{key}__n")
}

/// The profile dimensions of `gold/profil`, in its order.
pub const DIMENSIONS: [&str; 5] = [
    "jenis_layanan",
    "jenis_kelamin",
    "pendidikan",
    "pekerjaan",
    "umur_kelompok",
];

/// The sums of one group, packed: lane k < 9 holds unsur k's score sum in its low 32 bits and
/// its number of answers in its high 32 bits, lane 9 the number of responses. A response adds
/// its `Scored` lanes, ten 64-bit adds; a low half holds the scores of `SPILL_AT` responses
/// (at most 4 × (2^30 − 1) < 2^32) without carrying into its high half, and `spill` moves the
/// lanes into `wide` every `SPILL_AT` responses of a cell.
#[derive(Clone, Default)]
struct Acc {
    lanes: [u64; LANES],
    wide: Wide,
}

/// How many 64-bit lanes an `Acc` adds (nine unsur and the count).
const LANES: usize = 10;

/// Responses a cell adds before its sums are spilled into their wide form (`Acc::spill`):
/// scores of at most 4 that many times still fit in a lane's low half.
const SPILL_AT: u32 = (1 << 30) - 1;
const _: () = assert!(4 * SPILL_AT as u64 <= u32::MAX as u64);

/// An `Acc`'s sums unpacked.
#[derive(Clone, Default)]
struct Wide {
    n: i64,
    sum: [i64; 9],
    cnt: [i64; 9],
}

impl Acc {
    #[inline]
    fn add(&mut self, row: &Scored) {
        for (a, r) in self.lanes.iter_mut().zip(&row.lanes) {
            *a += r;
        }
    }

    /// The packed lanes moved into `wide`.
    fn spill(&mut self) {
        let lanes = std::mem::take(&mut self.lanes);
        self.wide.n += lanes[9] as i64;
        let wide = self.wide.sum.iter_mut().zip(self.wide.cnt.iter_mut());
        for ((sum, cnt), lane) in wide.zip(lanes) {
            *sum += (lane & 0xFFFF_FFFF) as i64;
            *cnt += (lane >> 32) as i64;
        }
    }

    fn finish(&self) -> Wide {
        let mut a = self.clone();
        a.spill();
        a.wide
    }
}

/// One response's scores as what it adds to a sum, made once and added to its total and to
/// each of its profile groups: its `Acc` lanes (the score, 0 when blank; one answer, 0 when
/// blank; one response) and, for the cross sums, its scores and whether it answered all nine.
struct Scored {
    lanes: [u64; LANES],
    y: [i64; 9],
    complete: bool,
}

impl Scored {
    #[inline]
    fn of(skor: &[Option<u8>; 9]) -> Scored {
        let mut lanes = [1; LANES];
        for (l, s) in lanes.iter_mut().zip(skor) {
            *l = s.map_or(0, |s| u64::from(s) | 1 << 32);
        }
        Scored {
            lanes,
            y: skor.map(|s| i64::from(s.unwrap_or(0))),
            complete: skor.iter().all(Option::is_some),
        }
    }

    /// 1 where unsur k is answered, else 0.
    fn answered(&self, k: usize) -> i64 {
        (self.lanes[k] >> 32) as i64
    }
}

/// The cross sums of a total (`Cross`), taken fast: Σ y_k·y_l on every row (the upper
/// triangle), the blank-aware Σ y_k·a_l and Σ a_k·a_l only on rows with a blank; a row that
/// answers all nine adds its scores and one to the count of complete rows instead.
#[derive(Clone, Default)]
struct CrossAcc {
    yy: [[i64; 9]; 9],
    complete: i64,
    complete_sum: [i64; 9],
    partial: Cross,
}

impl CrossAcc {
    #[inline]
    fn add(&mut self, row: &Scored) {
        let y = &row.y;
        for k in 0..9 {
            for l in k..9 {
                self.yy[k][l] += y[k] * y[l];
            }
        }
        if row.complete {
            self.complete += 1;
            for (s, v) in self.complete_sum.iter_mut().zip(y) {
                *s += v;
            }
            return;
        }
        let (ya, aa) = (&mut self.partial.ya, &mut self.partial.aa);
        for (k, (ya, aa)) in ya.iter_mut().zip(aa.iter_mut()).enumerate() {
            for l in 0..9 {
                ya[l] += y[k] * row.answered(l);
                aa[l] += row.answered(k) * row.answered(l);
            }
        }
    }

    fn finish(&self) -> Cross {
        let mut c = self.partial.clone();
        for k in 0..9 {
            for l in 0..9 {
                c.yy[k][l] = self.yy[k.min(l)][k.max(l)];
                c.ya[k][l] += self.complete_sum[k];
                c.aa[k][l] += self.complete;
            }
        }
        c
    }
}

/// Groups of one dimension: few in practice, so a linear search with an index once it grows,
/// behind a small cache by the text's address (`seen`).
#[derive(Default)]
struct Groups<'a> {
    keys: Vec<&'a str>,
    accs: Vec<Acc>,
    index: HashMap<&'a str, usize>,
    /// (address, length, group) of texts seen, by their address: rows share their texts
    /// (`Shared` from the memos), and while the rows are borrowed two texts at one address
    /// are the same text, so a hit needs no search.
    seen: [(usize, usize, usize); SEEN],
}

/// How many texts a dimension's cache holds (a power of two).
const SEEN: usize = 16;

impl<'a> Groups<'a> {
    #[inline]
    fn get(&mut self, key: &'a str) -> &mut Acc {
        let at = key.as_ptr() as usize;
        // (Texts sit in blocks of one size apart, 32 or 48 bytes: the address's low bits
        // would put them in a few slots only. Its product's high bits spread them.)
        let slot = at.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (usize::BITS - SEEN.trailing_zeros());
        let (a, len, i) = self.seen[slot];
        if a == at && len == key.len() && a != 0 {
            return &mut self.accs[i];
        }
        let i = self.find(key);
        self.seen[slot] = (at, key.len(), i);
        &mut self.accs[i]
    }

    /// The group of `key`, made when new.
    fn find(&mut self, key: &'a str) -> usize {
        let found = if self.keys.len() <= 16 {
            // Rows share their texts (`Shared` from the memos): the same pointer first, then
            // the same bytes.
            (self.keys.iter().position(|k| std::ptr::eq(*k, key)))
                .or_else(|| self.keys.iter().position(|k| *k == key))
        } else {
            if self.index.is_empty() {
                self.index = self.keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
            }
            self.index.get(key).copied()
        };
        match found {
            Some(i) => i,
            None => {
                self.keys.push(key);
                self.accs.push(Acc::default());
                if !self.index.is_empty() {
                    self.index.insert(key, self.keys.len() - 1);
                }
                self.keys.len() - 1
            }
        }
    }
}

/// Equal texts: the same text shared, else the same bytes.
#[inline]
fn same(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}

struct Cell<'a> {
    unit_id: &'a str,
    tahun: i32,
    periode: Periode,
    total: Acc,
    cross: CrossAcc,
    dims: [Groups<'a>; 5],
    /// Responses added since the last spill (`Acc::spill`).
    since_spill: u32,
}

impl Cell<'_> {
    /// Every packed sum of the cell moved into its wide form.
    fn spill(&mut self) {
        self.total.spill();
        for g in &mut self.dims {
            g.accs.iter_mut().for_each(Acc::spill);
        }
        self.since_spill = 0;
    }
}

fn dim_value(r: &Response, d: usize) -> Option<&str> {
    match d {
        0 => r.jenis_layanan.as_deref(),
        1 => r.jenis_kelamin.as_deref(),
        2 => r.pendidikan.as_deref(),
        3 => r.pekerjaan.as_deref(),
        _ => r.umur_kelompok.as_deref(),
    }
}

/// One row of the sums: a unit's year and period, in total (`dimensi` None) or for one
/// respondent-profile group.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SumRow {
    pub unit_id: String,
    pub tahun: i32,
    pub periode: String,
    pub dimensi: Option<String>,
    pub kelompok: Option<String>,
    pub n_responden: i64,
    /// Per unsur (`UNSUR` order): the sum of the scores and the number of answers.
    pub sum: [i64; 9],
    pub n: [i64; 9],
    /// On the total row: the cross sums the margins of error need (`domain::margin`).
    pub silang: Option<Box<Cross>>,
}

/// The sums of one file's responses, sorted by unit, year, period, dimension (the total
/// first) and group.
pub fn partial_sums(rows: &[Response]) -> Vec<SumRow> {
    sums_spilling_at(rows, SPILL_AT)
}

/// `partial_sums`, each cell's packed sums spilled every `spill_at` responses.
fn sums_spilling_at(rows: &[Response], spill_at: u32) -> Vec<SumRow> {
    let mut cells: Vec<Cell> = Vec::new();
    let mut last = usize::MAX;
    for r in rows {
        let hit = last < cells.len() && {
            let c = &cells[last];
            c.tahun == r.tahun && c.periode == r.periode && same(c.unit_id, r.unit_id)
        };
        if !hit {
            let at = |eq: fn(&str, &str) -> bool| {
                cells.iter().position(|c| {
                    c.tahun == r.tahun && c.periode == r.periode && eq(c.unit_id, r.unit_id)
                })
            };
            // The same shared text first, then the same bytes.
            last = match at(|a, b| std::ptr::eq(a, b)).or_else(|| at(|a, b| a == b)) {
                Some(i) => i,
                None => {
                    cells.push(Cell {
                        unit_id: r.unit_id,
                        tahun: r.tahun,
                        periode: r.periode,
                        total: Acc::default(),
                        cross: CrossAcc::default(),
                        dims: Default::default(),
                        since_spill: 0,
                    });
                    cells.len() - 1
                }
            };
        }
        let c = &mut cells[last];
        if c.since_spill == spill_at {
            c.spill();
        }
        c.since_spill += 1;
        let scored = Scored::of(&r.skor);
        c.total.add(&scored);
        c.cross.add(&scored);
        for d in 0..DIMENSIONS.len() {
            if let Some(v) = dim_value(r, d) {
                c.dims[d].get(v).add(&scored);
            }
        }
    }
    cells.sort_by(|a, b| {
        (a.unit_id, a.tahun, a.periode.order()).cmp(&(b.unit_id, b.tahun, b.periode.order()))
    });
    // Flatten: the total, then each dimension's groups by name.
    let mut out = Vec::new();
    for c in &cells {
        let row = |d: Option<&str>, k: Option<&str>, a: &Acc| {
            let a = a.finish();
            SumRow {
                unit_id: c.unit_id.to_string(),
                tahun: c.tahun,
                periode: c.periode.code().to_string(),
                dimensi: d.map(str::to_string),
                kelompok: k.map(str::to_string),
                n_responden: a.n,
                sum: a.sum,
                n: a.cnt,
                silang: None,
            }
        };
        out.push(SumRow {
            silang: Some(Box::new(c.cross.finish())),
            ..row(None, None, &c.total)
        });
        for (d, g) in c.dims.iter().enumerate() {
            let mut order: Vec<usize> = (0..g.keys.len()).collect();
            order.sort_by_key(|&i| g.keys[i]);
            for i in order {
                out.push(row(Some(DIMENSIONS[d]), Some(g.keys[i]), &g.accs[i]));
            }
        }
    }
    out
}

/// The sums of several pieces of one file's rows (`silver::stream`) added up: the rows
/// `partial_sums` gives for all of them at once, in its order.
pub fn merge(pieces: impl IntoIterator<Item = Vec<SumRow>>) -> Vec<SumRow> {
    type Key = (String, i32, u8, usize, Option<String>);
    let mut all: std::collections::BTreeMap<Key, SumRow> = Default::default();
    for piece in pieces {
        for r in piece {
            let dim = r.dimensi.as_deref().map_or(0, |d| {
                1 + DIMENSIONS.iter().position(|x| *x == d).unwrap_or(0)
            });
            let periode = Periode::parse(&r.periode).map_or(u8::MAX, Periode::order);
            let key = (r.unit_id.clone(), r.tahun, periode, dim, r.kelompok.clone());
            match all.get_mut(&key) {
                Some(b) => {
                    b.n_responden += r.n_responden;
                    for k in 0..9 {
                        b.sum[k] += r.sum[k];
                        b.n[k] += r.n[k];
                    }
                    add_cross(&mut b.silang, &r.silang, 1);
                }
                None => {
                    all.insert(key, r);
                }
            }
        }
    }
    all.into_values().collect()
}

/// Adds (`sign` 1) or takes away (−1) the cross sums of a total row.
fn add_cross(to: &mut Option<Box<Cross>>, from: &Option<Box<Cross>>, sign: i64) {
    if let (Some(t), Some(f)) = (to.as_mut(), from) {
        t.add(f, sign);
    }
}

/// `base` less `minus` (sums of rows that are not counted, `silver::duplicates`), row by row
/// on unit, year, period, dimension and group; rows left with no respondent are dropped.
pub fn subtract(mut base: Vec<SumRow>, minus: &[SumRow]) -> Vec<SumRow> {
    fn key(r: &SumRow) -> (&str, i32, &str, Option<&str>, Option<&str>) {
        let (d, k) = (r.dimensi.as_deref(), r.kelompok.as_deref());
        (&r.unit_id, r.tahun, &r.periode, d, k)
    }
    // Each row of `minus` matched to its row of `base` through an index, not a scan of `base`.
    let targets: Vec<Option<usize>> = {
        let mut at = std::collections::HashMap::with_capacity(base.len());
        for (i, b) in base.iter().enumerate() {
            at.entry(key(b)).or_insert(i);
        }
        minus.iter().map(|m| at.get(&key(m)).copied()).collect()
    };
    for (m, target) in minus.iter().zip(targets) {
        if let Some(b) = target.map(|i| &mut base[i]) {
            b.n_responden -= m.n_responden;
            for k in 0..9 {
                b.sum[k] -= m.sum[k];
                b.n[k] -= m.n[k];
            }
            add_cross(&mut b.silang, &m.silang, -1);
        }
    }
    base.retain(|b| b.n_responden > 0);
    base
}

/// The `sums` table (schemas/outputs.toml) of a run: each file's sums, in file order.
pub fn sums_frame(files: &[(&str, &[SumRow])]) -> PolarsResult<DataFrame> {
    let rows: Vec<(&str, &SumRow)> = files
        .iter()
        .flat_map(|(f, rs)| rs.iter().map(move |r| (*f, r)))
        .collect();
    Rows::new(&rows)
        .col("unit_id", |(_, r)| r.unit_id.as_str())
        .col("tahun", |(_, r)| r.tahun)
        .col("periode", |(_, r)| r.periode.as_str())
        .col("dimensi", |(_, r)| r.dimensi.as_deref())
        .col("kelompok", |(_, r)| r.kelompok.as_deref())
        .col("n_responden", |(_, r)| r.n_responden)
        .each(
            0..UNSUR.len() * 2,
            |i| unsur_col(*i),
            |(_, r), i| match i % 2 {
                0 => r.sum[i / 2],
                _ => r.n[i / 2],
            },
        )
        .col("source_file", |(f, _)| *f)
        .frame()
}

/// The `silang` table (schemas/outputs.toml) of a run: per file and total row, one row per
/// ordered unsur pair (k, l, 1-based in `UNSUR` order) with its cross sums (`yy`, `ya`, `ay`,
/// `aa`: `domain::margin::Cross`, `ay` being Σ a_k·y_l).
pub fn silang_frame(files: &[(&str, &[SumRow])]) -> PolarsResult<DataFrame> {
    let rows: Vec<(&str, &SumRow, &Cross, usize, usize)> = files
        .iter()
        .flat_map(|(f, rs)| rs.iter().map(move |r| (*f, r)))
        .filter_map(|(f, r)| r.silang.as_deref().map(|c| (f, r, c)))
        .flat_map(|(f, r, c)| (0..81).map(move |i| (f, r, c, i / 9, i % 9)))
        .collect();
    Rows::new(&rows)
        .col("unit_id", |(_, r, ..)| r.unit_id.as_str())
        .col("tahun", |(_, r, ..)| r.tahun)
        .col("periode", |(_, r, ..)| r.periode.as_str())
        .col("k", |(.., k, _)| *k as i32 + 1)
        .col("l", |(.., l)| *l as i32 + 1)
        .col("yy", |(_, _, c, k, l)| c.yy[*k][*l])
        .col("ya", |(_, _, c, k, l)| c.ya[*k][*l])
        .col("ay", |(_, _, c, k, l)| c.ya[*l][*k])
        .col("aa", |(_, _, c, k, l)| c.aa[*k][*l])
        .col("source_file", |(f, ..)| *f)
        .frame()
}

/// The sums' per-unsur columns in order: `u1__sum, u1__n, u2__sum, …`.
fn unsur_col(i: usize) -> String {
    match i % 2 {
        0 => sum_col(UNSUR[i / 2].key),
        _ => n_col(UNSUR[i / 2].key),
    }
}

/// The per-unsur score-sum and answer-count columns, in the sums' order.
pub fn value_columns() -> Vec<Expr> {
    UNSUR
        .iter()
        .flat_map(|u| [col(sum_col(u.key)), col(n_col(u.key))])
        .collect()
}

/// Each per-unsur sum and count, summed (an aggregation over groups of sums rows).
pub fn unsur_summed() -> Vec<Expr> {
    value_columns().into_iter().map(|c| c.sum()).collect()
}

fn summed() -> Vec<Expr> {
    std::iter::once(col("n_responden").sum())
        .chain(value_columns().into_iter().map(|c| c.sum()))
        .collect()
}

/// Per (unit_id, tahun, periode): respondents and, per unsur, the sum of scores and the
/// number of answers, for every period present and one pooled `TAHUN` row per unit and year.
/// The same frame a group-by over all of silver gives (`super::period_sums`).
pub fn period_sums(sums: LazyFrame) -> LazyFrame {
    let totals = sums.filter(col("dimensi").is_null());
    let per_period = totals
        .clone()
        .group_by([col("unit_id"), col("tahun"), col("periode")])
        .agg(summed());
    let per_year = totals
        .group_by([col("unit_id"), col("tahun")])
        .agg(summed())
        .with_column(lit(Periode::Tahun.code()).alias("periode"));
    let cols: Vec<Expr> = [
        col("unit_id"),
        col("tahun"),
        col("periode"),
        col("n_responden"),
    ]
    .into_iter()
    .chain(value_columns())
    .collect();
    concat(
        [per_period.select(cols.clone()), per_year.select(cols)],
        UnionArgs::default(),
    )
    .expect("same schema")
}

/// Per profile group, per unit (`tingkat` = unit) and city-wide (`kota`), each year's
/// respondents pooled: `tingkat, unit_id, tahun, dimensi, kelompok, n_responden` and the
/// per-unsur sums and answers.
pub fn profile_sums(sums: LazyFrame) -> LazyFrame {
    let groups = sums.filter(col("dimensi").is_not_null());
    let order: Vec<Expr> = [
        col("tingkat"),
        col("unit_id"),
        col("tahun"),
        col("dimensi"),
        col("kelompok"),
        col("n_responden"),
    ]
    .into_iter()
    .chain(value_columns())
    .collect();
    let unit = groups
        .clone()
        .group_by([
            col("unit_id"),
            col("tahun"),
            col("dimensi"),
            col("kelompok"),
        ])
        .agg(summed())
        .with_column(lit("unit").alias("tingkat"))
        .select(order.clone());
    let kota = groups
        .group_by([col("tahun"), col("dimensi"), col("kelompok")])
        .agg(summed())
        .with_columns([
            lit("kota").alias("tingkat"),
            lit(NULL).cast(DataType::String).alias("unit_id"),
        ])
        .select(order);
    concat(
        [unit, kota],
        UnionArgs {
            to_supertypes: true,
            ..Default::default()
        },
    )
    .expect("same schema")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::PeriodeBasis;

    fn response(i: usize) -> Response {
        let periode = [Periode::TW1, Periode::TW3, Periode::S2][i % 3];
        let pick = |v: &[&str]| Some(crate::normalize::Shared::from(v[i % v.len()]));
        Response {
            unit_id: ["kec-a", "kec-b", "dinas-c"][(i / 2) % 3],
            tahun: 2023 + (i % 2) as i32,
            periode,
            periode_basis: PeriodeBasis::Kolom,
            tanggal: None,
            jam: None,
            jenis_layanan: pick(&["A", "B", "C", "D"]),
            jenis_kelamin: (!i.is_multiple_of(5)).then(|| pick(&["L", "P"])).flatten(),
            umur: None,
            umur_kelompok: pick(&["<20", "20-29", "30-39", "40+", "50+"]),
            pendidikan: pick(&["SD", "SMA", "S1"]),
            pekerjaan: pick(&[
                "PNS", "Swasta", "Lainnya", "Pelajar", "TNI", "Petani", "Buruh",
            ]),
            skor: std::array::from_fn(|k| {
                (!(i + k).is_multiple_of(7)).then_some(1 + ((i * 7 + k) % 4) as u8)
            }),
            source_file: "a.csv",
            sheet: "",
            source_row: i as u32,
            kunci: None,
        }
    }

    #[test]
    fn sums_of_pieces_merged_equal_the_sums_of_the_whole() {
        let rows: Vec<Response> = (0..997).map(response).collect();
        let whole = partial_sums(&rows);
        assert!(whole.len() > 50, "{}", whole.len());
        for size in [1, 7, 100, 996, 997] {
            let merged = merge(rows.chunks(size).map(partial_sums));
            assert_eq!(merged, whole, "pieces of {size}");
        }
    }

    #[test]
    fn sums_spilled_often_equal_the_sums_never_spilled() {
        let rows: Vec<Response> = (0..997).map(response).collect();
        let whole = partial_sums(&rows);
        for spill_at in [1, 2, 3, 50] {
            assert_eq!(
                sums_spilling_at(&rows, spill_at),
                whole,
                "spilled every {spill_at}"
            );
        }
    }

    /// The rows of `s`'s unit, year and period.
    fn rows_of<'r>(rows: &'r [Response], s: &SumRow) -> impl Iterator<Item = &'r Response> {
        let (unit, tahun, periode) = (s.unit_id.clone(), s.tahun, s.periode.clone());
        (rows.iter())
            .filter(move |r| *r.unit_id == *unit && r.tahun == tahun && r.periode.code() == periode)
    }

    #[test]
    fn a_groups_sums_are_its_respondents_added_one_by_one() {
        let rows: Vec<Response> = (0..997).map(response).collect();
        let whole = partial_sums(&rows);
        let groups: Vec<&SumRow> = whole.iter().filter(|r| r.dimensi.is_some()).collect();
        assert!(groups.len() > 50);
        for g in groups {
            let d = DIMENSIONS
                .iter()
                .position(|d| Some(*d) == g.dimensi.as_deref());
            let mine: Vec<&Response> = rows_of(&rows, g)
                .filter(|r| dim_value(r, d.expect("a dimension")) == g.kelompok.as_deref())
                .collect();
            assert_eq!(g.n_responden, mine.len() as i64);
            for k in 0..9 {
                let sum: i64 = mine.iter().map(|r| i64::from(r.skor[k].unwrap_or(0))).sum();
                let n = mine.iter().filter(|r| r.skor[k].is_some()).count() as i64;
                assert_eq!((g.sum[k], g.n[k]), (sum, n), "{g:?} unsur {k}");
            }
        }
    }

    #[test]
    fn a_total_rows_cross_sums_are_its_respondents_added_one_by_one() {
        let rows: Vec<Response> = (0..997).map(response).collect();
        let whole = partial_sums(&rows);
        let totals: Vec<&SumRow> = whole.iter().filter(|r| r.dimensi.is_none()).collect();
        assert!(totals.len() > 5);
        for t in totals {
            let mut want = Cross::default();
            for r in rows_of(&rows, t) {
                want.add(&Cross::of(&r.skor), 1);
            }
            assert_eq!(
                t.silang.as_deref(),
                Some(&want),
                "{} {}",
                t.unit_id,
                t.periode
            );
        }
        assert!(whole
            .iter()
            .all(|r| r.dimensi.is_none() == r.silang.is_some()));
    }
}
