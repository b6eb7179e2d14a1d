//! `gold/tindak_lanjut`: the follow-up of the lowest unsur. Per unit, priority period and unsur
//! (`prioritas`: the unsur ranked 1–3, ties included): whether the unit made a plan (rencana
//! tindak lanjut, `normalize::realisasi::rtl`), the plan, and whether the unsur moved in the
//! next survey.
//!
//! - **Which priority periods**: those a plan answers (any unit's). For each such year and
//!   period, every unit with priorities then gets its rows: a row per plan, and a row
//!   `tanpa_rencana` for a priority unsur no plan names. A plan for an unsur that was not a
//!   priority, or for a period skm has no NRR of, is a row too (`prioritas` false or null).
//! - **The follow-up period**: the first period skm has for the unit (ordered by its first
//!   month, then its last) that starts no earlier and ends no earlier than the planned waktu
//!   and ends after the priority period; without a waktu, the first period that starts after
//!   the priority period ends. NRR are those `prioritas` ranks (the figure the unit counts
//!   with: respondents where it has raw data, else a recap's).
//! - **Status**: `naik`, `turun` or `tetap` comparing the two NRR at 3 decimals, as the
//!   reports print them (equal at 3 decimals is `tetap`); `belum_ada_data` when skm has no
//!   follow-up period (or no NRR in the priority period); `tanpa_rencana` for a priority with
//!   no plan (its follow-up NRR is still shown when there is one).

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use crate::domain::{round_half_up, Periode, UNSUR};
use crate::normalize::realisasi::rtl::{RtlRow, StatusPelaksanaan};
use crate::registry::Registry;
use crate::tables::build::Rows;

crate::labels! {
    /// What became of a priority unsur (`tindak_lanjut.status`).
    pub enum Status {
        /// The NRR rose in the follow-up period (at 3 decimals).
        Naik = "naik",
        /// It fell.
        Turun = "turun",
        /// Equal at 3 decimals.
        Tetap = "tetap",
        /// No follow-up period (or no NRR in the priority period) yet.
        BelumAdaData = "belum_ada_data",
        /// A priority unsur no plan names.
        TanpaRencana = "tanpa_rencana",
    }
}

/// One unsur's place in a period's ranking (a `prioritas` row).
#[derive(Debug, Clone, Copy)]
struct Ranked {
    nrr: f64,
    urutan: u32,
    peringkat: u32,
    seri: bool,
    prioritas: bool,
}

/// (unit, tahun, period) → the nine unsur's ranking.
type Ranking = BTreeMap<(String, i32, Periode), [Option<Ranked>; 9]>;

/// One row of `tindak_lanjut`.
struct Row<'p> {
    unit_id: String,
    unit_nama: Option<String>,
    tahun: i32,
    periode: Periode,
    unsur: usize,
    ranked: Option<Ranked>,
    plan: Option<&'p RtlRow>,
    follow: Option<(i32, Periode, f64)>,
    status: Status,
    catatan: Option<String>,
}

/// The `tindak_lanjut` table, from `prioritas` and the plans.
pub fn tindak_lanjut(
    prioritas: &DataFrame,
    plans: &[RtlRow],
    registry: &Registry,
) -> PolarsResult<DataFrame> {
    let ranking = ranking(prioritas)?;
    let rounds: BTreeSet<(i32, Periode)> = plans.iter().map(|p| (p.tahun, p.periode)).collect();
    let mut by_key: BTreeMap<(&str, i32, Periode, usize), Vec<&RtlRow>> = BTreeMap::new();
    for p in plans {
        by_key
            .entry((p.unit_id.as_str(), p.tahun, p.periode, p.unsur))
            .or_default()
            .push(p);
    }
    let mut rows: Vec<Row<'_>> = Vec::new();
    let mut used: BTreeSet<(&str, i32, Periode, usize)> = BTreeSet::new();
    // Every unit with priorities in a period a plan answers, its priorities in rank order.
    for ((unit, tahun, periode), nine) in &ranking {
        if !rounds.contains(&(*tahun, *periode)) {
            continue;
        }
        let mut flagged: Vec<(usize, Ranked)> = nine
            .iter()
            .enumerate()
            .filter_map(|(k, r)| r.filter(|r| r.prioritas).map(|r| (k, r)))
            .collect();
        flagged.sort_by_key(|(_, r)| r.urutan);
        for (k, r) in flagged {
            let key = (unit.as_str(), *tahun, *periode, k);
            used.insert(key);
            let row = |plan| track(&ranking, unit, *tahun, *periode, k, Some(r), plan);
            match by_key.get(&key) {
                Some(ps) => rows.extend(ps.iter().map(|p| row(Some(*p)))),
                None => rows.push(row(None)),
            }
        }
    }
    // Plans for an unsur that was not a priority, or for a period skm has no NRR of.
    for (key, ps) in &by_key {
        if used.contains(key) {
            continue;
        }
        let (unit, tahun, periode, k) = *key;
        let ranked = ranking
            .get(&(unit.to_string(), tahun, periode))
            .and_then(|nine| nine[k]);
        for p in ps {
            rows.push(track(&ranking, unit, tahun, periode, k, ranked, Some(*p)));
        }
    }
    rows.sort_by(|a, b| {
        (
            &a.unit_id,
            a.tahun,
            a.periode.order(),
            a.ranked.map(|r| r.urutan),
            a.unsur,
        )
            .cmp(&(
                &b.unit_id,
                b.tahun,
                b.periode.order(),
                b.ranked.map(|r| r.urutan),
                b.unsur,
            ))
    });
    for r in &mut rows {
        r.unit_nama = registry.get(&r.unit_id).map(|u| u.nama.clone());
    }
    frame(&rows)
}

/// A priority unsur (or a plan's unsur) followed to the next survey.
fn track<'p>(
    ranking: &Ranking,
    unit: &str,
    tahun: i32,
    periode: Periode,
    k: usize,
    ranked: Option<Ranked>,
    plan: Option<&'p RtlRow>,
) -> Row<'p> {
    let follow = follow_up(ranking, unit, tahun, periode, k, plan.and_then(|p| p.waktu));
    let bulat = |x: f64| round_half_up(x, 3).unwrap_or(x);
    let (status, catatan) = match (plan, ranked, follow) {
        (None, _, _) => (Status::TanpaRencana, None),
        (Some(_), None, _) => (
            Status::BelumAdaData,
            Some(format!(
                "skm tidak punya NRR unsur ini untuk unit ini pada {} {tahun}",
                periode.code()
            )),
        ),
        (Some(_), Some(_), None) => (
            Status::BelumAdaData,
            Some("belum ada survei sesudah waktu rencana".to_string()),
        ),
        (Some(_), Some(r), Some((_, _, after))) => {
            let s = match bulat(after).total_cmp(&bulat(r.nrr)) {
                std::cmp::Ordering::Greater => Status::Naik,
                std::cmp::Ordering::Less => Status::Turun,
                std::cmp::Ordering::Equal => Status::Tetap,
            };
            (s, None)
        }
    };
    let catatan = match (catatan, ranked) {
        (c, Some(r)) if !r.prioritas && plan.is_some() => Some(
            c.map(|c| format!("{c}; ")).unwrap_or_default()
                + "unsur ini bukan prioritas (3 terendah) pada periode itu",
        ),
        (c, _) => c,
    };
    Row {
        unit_id: unit.to_string(),
        unit_nama: None,
        tahun,
        periode,
        unsur: k,
        ranked,
        plan,
        follow,
        status,
        catatan,
    }
}

/// The first period skm has for the unit, after the priority period and at or after the
/// planned waktu, with the unsur's NRR in it.
fn follow_up(
    ranking: &Ranking,
    unit: &str,
    tahun: i32,
    periode: Periode,
    k: usize,
    waktu: Option<(i32, Periode)>,
) -> Option<(i32, Periode, f64)> {
    let at = |y: i32, m: u32| y * 12 + m as i32;
    let prio_end = at(tahun, periode.months().1);
    let fits = |y: i32, p: Periode| {
        let (start, end) = (at(y, p.months().0), at(y, p.months().1));
        match waktu {
            Some((wy, wp)) => {
                start >= at(wy, wp.months().0) && end >= at(wy, wp.months().1) && end > prio_end
            }
            None => start > prio_end,
        }
    };
    ranking
        .iter()
        .filter(|((u, y, p), _)| u == unit && fits(*y, *p))
        .filter_map(|((_, y, p), nine)| nine[k].map(|r| (*y, *p, r.nrr)))
        .min_by_key(|(y, p, _)| (at(*y, p.months().0), at(*y, p.months().1)))
}

/// The units' rankings (`prioritas`, tingkat unit).
fn ranking(prioritas: &DataFrame) -> PolarsResult<Ranking> {
    let tingkat = prioritas.column("tingkat")?.str()?.clone();
    let id = prioritas.column("unit_id")?.str()?.clone();
    let t = prioritas.column("tahun")?.i32()?.clone();
    let p = prioritas.column("periode")?.str()?.clone();
    let kode = prioritas.column("kode")?.str()?.clone();
    let nrr = prioritas.column("nrr")?.f64()?.clone();
    let urutan = prioritas.column("urutan")?.u32()?.clone();
    let peringkat = prioritas.column("peringkat")?.u32()?.clone();
    let seri = prioritas.column("seri")?.bool()?.clone();
    let flag = prioritas.column("prioritas")?.bool()?.clone();
    let mut out = Ranking::new();
    for i in 0..prioritas.height() {
        if tingkat.get(i) != Some("unit") {
            continue;
        }
        let (Some(u), Some(y), Some(per), Some(kd), Some(v)) = (
            id.get(i),
            t.get(i),
            p.get(i).and_then(Periode::from_code),
            kode.get(i),
            nrr.get(i),
        ) else {
            continue;
        };
        let Some(k) = UNSUR.iter().position(|x| x.kode == kd) else {
            continue;
        };
        out.entry((u.to_string(), y, per)).or_insert([None; 9])[k] = Some(Ranked {
            nrr: v,
            urutan: urutan.get(i).unwrap_or(9),
            peringkat: peringkat.get(i).unwrap_or(9),
            seri: seri.get(i).unwrap_or(false),
            prioritas: flag.get(i).unwrap_or(false),
        });
    }
    Ok(out)
}

fn frame(rows: &[Row<'_>]) -> PolarsResult<DataFrame> {
    let bulat = |x: Option<f64>| x.and_then(|x| round_half_up(x, 3));
    let nrr_p = |r: &Row<'_>| r.ranked.map(|x| x.nrr);
    let nrr_f = |r: &Row<'_>| r.follow.map(|f| f.2);
    Rows::new(rows)
        .col("unit_id", |r| r.unit_id.as_str())
        .col("unit_nama", |r| r.unit_nama.as_deref())
        .col("tahun", |r| r.tahun)
        .col("periode", |r| r.periode.code())
        .col("kode", |r| UNSUR[r.unsur].kode)
        .col("unsur", |r| UNSUR[r.unsur].key)
        .col("peringkat", |r| r.ranked.map(|x| x.peringkat))
        .col("seri", |r| r.ranked.map(|x| x.seri))
        .col("prioritas", |r| r.ranked.map(|x| x.prioritas))
        .col("ada_rencana", |r| r.plan.is_some())
        .col("program", |r| r.plan.map(|p| p.program.as_str()))
        .col("waktu", |r| r.plan.map(|p| p.waktu_teks.as_str()))
        .col("waktu_tahun", |r| r.plan.and_then(|p| p.waktu).map(|w| w.0))
        .col("waktu_periode", |r| {
            r.plan.and_then(|p| p.waktu).map(|w| w.1.code())
        })
        .col("penanggung_jawab", |r| {
            r.plan.and_then(|p| p.penanggung_jawab.as_deref())
        })
        .col("status_pelaksanaan", |r| {
            r.plan.and_then(|p| p.status).map(StatusPelaksanaan::as_str)
        })
        .col("nrr_prioritas", nrr_p)
        .col("nrr_prioritas_bulat", move |r| bulat(nrr_p(r)))
        .col("tahun_tindak_lanjut", |r| r.follow.map(|f| f.0))
        .col("periode_tindak_lanjut", |r| r.follow.map(|f| f.1.code()))
        .col("nrr_tindak_lanjut", nrr_f)
        .col("nrr_tindak_lanjut_bulat", move |r| bulat(nrr_f(r)))
        .col("perubahan", move |r| Some(nrr_f(r)? - nrr_p(r)?))
        .col("status", |r| r.status.as_str())
        .col("catatan", |r| r.catatan.as_deref())
        .col("source_file", |r| r.plan.map(|p| p.source_file.as_str()))
        .col("sheet", |r| r.plan.map(|p| p.sheet.as_str()))
        .col("source_row", |r| r.plan.map(|p| p.source_row))
        .frame()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranking(periods: &[(i32, Periode, f64)]) -> Ranking {
        periods
            .iter()
            .map(|(y, p, v)| {
                let r = Ranked {
                    nrr: *v,
                    urutan: 1,
                    peringkat: 1,
                    seri: false,
                    prioritas: true,
                };
                (("u".to_string(), *y, *p), [Some(r); 9])
            })
            .collect()
    }

    #[test]
    fn the_follow_up_is_the_first_period_covering_the_waktu() {
        use Periode::*;
        let r = ranking(&[
            (2024, TW4, 3.0),
            (2025, TW1, 3.1),
            (2025, TW2, 3.2),
            (2025, S1, 3.3),
            (2025, Tahun, 3.4),
        ]);
        let f = |w: Option<(i32, Periode)>| follow_up(&r, "u", 2024, TW4, 0, w).map(|x| x.1);
        // TW1 2025 itself, before S1 and the year that start with it.
        assert_eq!(f(Some((2025, TW1))), Some(TW1));
        // A plan for the first semester: the first period ending with it or later.
        assert_eq!(f(Some((2025, S1))), Some(S1));
        // A plan for the year: the yearly figure.
        assert_eq!(f(Some((2025, Tahun))), Some(Tahun));
        // No waktu: the first period after the priority period.
        assert_eq!(f(None), Some(TW1));
        // Nothing after the waktu yet.
        assert_eq!(f(Some((2025, TW3))), None);
        // Never the priority period itself, even for a waktu inside it.
        assert_eq!(f(Some((2024, TW4))), Some(TW1));
        let only_s1 = ranking(&[(2024, TW4, 3.0), (2025, TW1, 3.1), (2025, TW2, 3.2)]);
        let g = follow_up(&only_s1, "u", 2024, TW4, 0, Some((2025, S1)));
        assert_eq!(g.map(|x| x.1), Some(TW2));
    }
}
