//! The cross sums of every wave from respondents (`silver/silang` added up with Polars), from
//! which `figures` takes each NRR's and IKM's margin of error (`domain::margin`).

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::config::Config;
use crate::domain::margin::Cross;
use crate::domain::Periode;
use crate::registry::Registry;

/// Per unit, year and period (and `TAHUN`: the year's waves together), the cross sums.
pub type Crosses = BTreeMap<(String, i32, Periode), Cross>;

/// The `silang` table added up per unit, year, period and unsur pair.
pub fn crosses(silang: &DataFrame) -> PolarsResult<Crosses> {
    let keys = ["unit_id", "tahun", "periode", "k", "l"].map(col);
    let df = silang
        .clone()
        .lazy()
        .group_by(keys)
        .agg([col("yy").sum(), col("ya").sum(), col("aa").sum()])
        .collect()?;
    let ids = df.column("unit_id")?.str()?.clone();
    let tahun = df.column("tahun")?.i32()?.clone();
    let periode = df.column("periode")?.str()?.clone();
    let k = df.column("k")?.i32()?.clone();
    let l = df.column("l")?.i32()?.clone();
    let [yy, ya, aa] = ["yy", "ya", "aa"].map(|c| df.column(c).and_then(|c| c.i64().cloned()));
    let (yy, ya, aa) = (yy?, ya?, aa?);
    let mut out = Crosses::new();
    for i in 0..df.height() {
        let (Some(id), Some(t), Some(p), Some(k), Some(l)) = (
            ids.get(i),
            tahun.get(i),
            periode.get(i).and_then(Periode::from_code),
            k.get(i),
            l.get(i),
        ) else {
            continue;
        };
        let (k, l) = (k as usize - 1, l as usize - 1);
        for p in [p, Periode::Tahun] {
            let c = out.entry((id.to_string(), t, p)).or_default();
            c.yy[k][l] += yy.get(i).unwrap_or(0);
            c.ya[k][l] += ya.get(i).unwrap_or(0);
            c.aa[k][l] += aa.get(i).unwrap_or(0);
        }
    }
    Ok(out)
}

/// A unit's population for the finite-population correction: `[populasi]` in the
/// configuration, else the registry's.
pub fn populasi<'a>(
    config: &'a Config,
    registry: &'a Registry,
) -> impl Fn(&str) -> Option<u64> + 'a {
    move |unit| {
        config
            .populasi
            .get(unit)
            .copied()
            .or_else(|| registry.get(unit).and_then(|u| u.populasi))
    }
}
