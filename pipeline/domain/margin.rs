//! Margins of error: the standard error and 95% interval of every NRR and IKM computed from
//! respondents (docs/DOMAIN.md §1.12), and which differences are beyond noise.
//!
//! An NRR is a ratio of sums (R_k = Σ y_ik ÷ Σ a_ik, y the score, a = 1 where answered) and
//! the IKM is 25/9 × Σ R_k, so their variance is taken by linearization over the respondents
//! i = 1..n of a wave: with z_i = Σ_k w_k (y_ik − R_k a_ik) ÷ n_k (w_k = 25/9 for the IKM,
//! w = 1 on one unsur for its NRR), Var = n ÷ (n − 1) × Σ_i z_i². Expanded, Σ_i z_i² needs only
//! sums over respondents of products of two unsur's y and a ([`Cross`]), which add up across
//! files, so gold computes every interval from silver's sums without reading a response again.
//! With no blank answer this is 25 × s(mean answer) ÷ √n for the IKM and s(answers) ÷ √n for
//! an NRR (the tests check it).

use super::UNSUR;

/// The two-sided 95% quantile of the normal distribution.
pub const Z95: f64 = 1.959_963_984_540_054;

const K: usize = UNSUR.len();

/// Per ordered unsur pair (k, l), over a group of respondents: Σ y_k·y_l (`yy`), Σ y_k·a_l
/// (`ya`) and Σ a_k·a_l (`aa`), a blank answer being y = 0, a = 0. Σ a_k·y_l is `ya[l][k]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Cross {
    pub yy: [[i64; K]; K],
    pub ya: [[i64; K]; K],
    pub aa: [[i64; K]; K],
}

impl Cross {
    /// What one respondent adds (a test's and a re-read's way; silver sums faster).
    pub fn of(skor: &[Option<u8>; K]) -> Cross {
        let y = skor.map(|s| i64::from(s.unwrap_or(0)));
        let a = skor.map(|s| i64::from(s.is_some()));
        let mut c = Cross::default();
        for k in 0..K {
            for l in 0..K {
                c.yy[k][l] = y[k] * y[l];
                c.ya[k][l] = y[k] * a[l];
                c.aa[k][l] = a[k] * a[l];
            }
        }
        c
    }

    /// Adds `other` (`sign` 1) or takes it away (`sign` −1).
    pub fn add(&mut self, other: &Cross, sign: i64) {
        for k in 0..K {
            for l in 0..K {
                self.yy[k][l] += sign * other.yy[k][l];
                self.ya[k][l] += sign * other.ya[k][l];
                self.aa[k][l] += sign * other.aa[k][l];
            }
        }
    }

    /// Σ y_k (the diagonal of `ya`) and Σ a_k (the diagonal of `aa`).
    pub fn sums(&self) -> ([i64; K], [i64; K]) {
        (
            std::array::from_fn(|k| self.ya[k][k]),
            std::array::from_fn(|k| self.aa[k][k]),
        )
    }
}

/// n ÷ (n − 1) × Σ_i z_i², z_i = Σ_k w_k (y_ik − R_k a_ik) ÷ n_k, over `n` respondents whose
/// sums are `c`; `None` with fewer than two respondents or an unsur of non-zero weight that
/// nobody answered.
pub fn linearized(n: i64, c: &Cross, w: &[f64; K]) -> Option<f64> {
    if n < 2 {
        return None;
    }
    let (sum, cnt) = c.sums();
    let mut r = [0.0; K];
    let mut v = [0.0; K];
    for k in 0..K {
        if w[k] == 0.0 {
            continue;
        }
        if cnt[k] == 0 {
            return None;
        }
        r[k] = sum[k] as f64 / cnt[k] as f64;
        v[k] = w[k] / cnt[k] as f64;
    }
    let mut total = 0.0;
    for k in (0..K).filter(|&k| w[k] != 0.0) {
        for l in (0..K).filter(|&l| w[l] != 0.0) {
            let term = c.yy[k][l] as f64 - r[l] * c.ya[k][l] as f64 - r[k] * c.ya[l][k] as f64
                + r[k] * r[l] * c.aa[k][l] as f64;
            total += v[k] * v[l] * term;
        }
    }
    Some((n as f64 / (n - 1) as f64 * total).max(0.0))
}

/// The variance of a wave's IKM (25/9 × Σ NRR), before any population correction.
pub fn ikm_variance(n: i64, c: &Cross) -> Option<f64> {
    linearized(n, c, &[25.0 / K as f64; K])
}

/// The variance of unsur `k`'s NRR.
pub fn nrr_variance(n: i64, c: &Cross, k: usize) -> Option<f64> {
    let mut w = [0.0; K];
    w[k] = 1.0;
    linearized(n, c, &w)
}

/// The finite-population correction 1 − n ÷ N (0 when the sample is the whole population);
/// 1 without a population.
pub fn fpc(n: i64, populasi: Option<u64>) -> f64 {
    match populasi {
        Some(p) if p > 0 => (1.0 - n as f64 / p as f64).max(0.0),
        _ => 1.0,
    }
}

/// The variance of Σ c_j x_j for independent x_j of variances v_j; `None` if one is unknown.
pub fn combined(parts: &[(f64, Option<f64>)]) -> Option<f64> {
    parts
        .iter()
        .filter(|(c, _)| *c != 0.0)
        .map(|(c, v)| v.map(|v| c * c * v))
        .sum()
}

/// The variance of the plain mean of `n` independent figures whose variances add up to `total`.
pub fn mean_variance(total: f64, n: usize) -> f64 {
    total / (n as f64 * n as f64)
}

/// The variance of one figure's gap to the plain mean of `n` figures it is one of: x_u − mean
/// = (1 − 1/n) x_u − (1/n) Σ_{v≠u} x_v, so (1 − 1/n)² var_u + (total − var_u) / n².
pub fn gap_to_mean_variance(var_u: f64, total: f64, n: usize) -> f64 {
    let n = n as f64;
    (1.0 - 1.0 / n).powi(2) * var_u + (total - var_u) / (n * n)
}

/// Whether `diff` is beyond noise given its variance; `None` when the variance is unknown.
pub fn nyata(diff: Option<f64>, var: Option<f64>) -> Option<bool> {
    Some(beyond_noise(diff?, var?.sqrt()))
}

/// The standard error of a variance.
pub fn se(var: Option<f64>) -> Option<f64> {
    var.map(f64::sqrt)
}

/// The 95% interval around `x`.
pub fn interval(x: Option<f64>, se: Option<f64>) -> (Option<f64>, Option<f64>) {
    match (x, se) {
        (Some(x), Some(s)) => (Some(x - Z95 * s), Some(x + Z95 * s)),
        _ => (None, None),
    }
}

/// An interval kept within a scale (an IKM cannot pass 100, an NRR 4).
pub fn clamped(iv: (Option<f64>, Option<f64>), lo: f64, hi: f64) -> (Option<f64>, Option<f64>) {
    (iv.0.map(|x| x.clamp(lo, hi)), iv.1.map(|x| x.clamp(lo, hi)))
}

/// Figures closer than this are equal (the last bits of a sum depend on its order: shards and
/// threads add in different orders).
pub const EPS: f64 = 1e-9;

/// Whether a difference of standard error `se` is beyond noise at 95% (|d| > 1.96·se, by more
/// than `EPS`).
pub fn beyond_noise(diff: f64, se: f64) -> bool {
    diff.abs() > Z95 * se + EPS
}

/// For each of `values` (figure, standard error), its rank (1 = highest, figures within `EPS`
/// share the best)
/// and the range of ranks it could hold: from 1 + the number of others beyond noise above it
/// to the count less those beyond noise below it.
pub fn rank_ranges(values: &[(f64, f64)]) -> Vec<(u32, u32, u32)> {
    let n = values.len() as u32;
    values
        .iter()
        .map(|&(x, s)| {
            let above = values.iter().filter(|(y, _)| *y > x + EPS).count() as u32;
            let sure = |f: &dyn Fn(f64) -> bool| {
                values
                    .iter()
                    .filter(|&&(y, t)| f(y - x) && beyond_noise(y - x, (s * s + t * t).sqrt()))
                    .count() as u32
            };
            let over = sure(&|d| d > 0.0);
            let under = sure(&|d| d < 0.0);
            (1 + above, 1 + over, n - under)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Respondents with answers 1–4 from a small generator, `blank` per mille left blank.
    fn wave(n: usize, seed: u64, blank: u64) -> Vec<[Option<u8>; K]> {
        let mut s = seed;
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s >> 33
        };
        (0..n)
            .map(|_| {
                std::array::from_fn(|_| {
                    let v = next();
                    (v % 1000 >= blank).then_some(1 + (v / 1000 % 4) as u8)
                })
            })
            .collect()
    }

    fn cross(rows: &[[Option<u8>; K]]) -> Cross {
        let mut c = Cross::default();
        for r in rows {
            c.add(&Cross::of(r), 1);
        }
        c
    }

    fn sample_sd(xs: &[f64]) -> f64 {
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        let ss: f64 = xs.iter().map(|x| (x - m) * (x - m)).sum();
        (ss / (xs.len() - 1) as f64).sqrt()
    }

    #[test]
    fn without_blanks_the_closed_forms() {
        let rows = wave(137, 7, 0);
        let n = rows.len() as f64;
        let c = cross(&rows);
        let means: Vec<f64> = rows
            .iter()
            .map(|r| r.iter().map(|v| f64::from(v.unwrap())).sum::<f64>() / 9.0)
            .collect();
        let want = 25.0 * sample_sd(&means) / n.sqrt();
        let got = ikm_variance(137, &c).unwrap().sqrt();
        assert!((got - want).abs() < 1e-12, "{got} {want}");
        for k in 0..K {
            let xs: Vec<f64> = rows.iter().map(|r| f64::from(r[k].unwrap())).collect();
            let want = sample_sd(&xs) / n.sqrt();
            let got = nrr_variance(137, &c, k).unwrap().sqrt();
            assert!((got - want).abs() < 1e-12, "{k}: {got} {want}");
        }
    }

    #[test]
    fn with_blanks_the_linearization_computed_directly() {
        let rows = wave(211, 11, 80);
        let c = cross(&rows);
        let (sum, cnt) = c.sums();
        let r: Vec<f64> = (0..K).map(|k| sum[k] as f64 / cnt[k] as f64).collect();
        let z = |w: &dyn Fn(usize) -> f64| -> f64 {
            let zs = rows.iter().map(|row| {
                (0..K)
                    .map(|k| match row[k] {
                        Some(y) => w(k) * (f64::from(y) - r[k]) / cnt[k] as f64,
                        None => 0.0,
                    })
                    .sum::<f64>()
            });
            let n = rows.len() as f64;
            n / (n - 1.0) * zs.map(|z| z * z).sum::<f64>()
        };
        let want = z(&|_| 25.0 / 9.0);
        let got = ikm_variance(211, &c).unwrap();
        assert!((got - want).abs() < 1e-12 * want.max(1.0), "{got} {want}");
        let want = z(&|k| f64::from(k == 4));
        let got = nrr_variance(211, &c, 4).unwrap();
        assert!((got - want).abs() < 1e-12, "{got} {want}");
    }

    #[test]
    fn combined_fpc_and_ranks() {
        assert_eq!(combined(&[(0.5, Some(4.0)), (0.5, Some(4.0))]), Some(2.0));
        assert_eq!(combined(&[(0.5, Some(4.0)), (0.5, None)]), None);
        assert_eq!(fpc(50, Some(200)), 0.75);
        assert_eq!(fpc(300, Some(200)), 0.0);
        assert_eq!(fpc(50, None), 1.0);
        // 90 ± 0.1 is above everyone; 80, 79.9 and 79.8 (± 1) overlap.
        let r = rank_ranges(&[(80.0, 1.0), (90.0, 0.1), (79.9, 1.0), (79.8, 1.0)]);
        assert_eq!(r, vec![(2, 2, 4), (1, 1, 1), (3, 2, 4), (4, 2, 4)]);
        assert!(ikm_variance(1, &Cross::default()).is_none());
        // The gap of one of two figures to their mean is half their difference: (1 + 2) / 4.
        assert!((gap_to_mean_variance(1.0, 3.0, 2) - 0.75).abs() < 1e-15);
        assert_eq!(mean_variance(8.0, 4), 0.5);
        assert_eq!(nyata(Some(2.0), Some(1.0)), Some(true));
        assert_eq!(nyata(Some(1.9), Some(1.0)), Some(false));
        assert_eq!(nyata(Some(1.9), None), None);
    }
}
