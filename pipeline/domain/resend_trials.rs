//! Trials of the resend rules (`resend`, its `SortedChance`, `resend_unordered`, as
//! `silver::untimed` applies them) on logs a unit sorts by their answers before saving them:
//! two counters' independent logs must not be merged, a log sent again must be.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use super::resend::{align, block_length, LogRow, MIN_BLOCK};
use super::resend_unordered::{fill, Fields, Packed, Rows, FIELDS};
use crate::rng::Rng;

/// A row as a unit's sheet holds it: its nine answers and its day.
type Row = ([u16; 9], i32);

/// `m` distinct answer patterns of a unit whose respondents answer 3 or 4 (sometimes 2), no
/// profile: all 3s and all 4s first, the most given.
fn pool(rng: &mut Rng, m: usize) -> Vec<[u16; 9]> {
    let mut out: Vec<[u16; 9]> = vec![[3; 9], [4; 9]];
    while out.len() < m {
        let p: [u16; 9] = std::array::from_fn(|_| match rng.below(20) {
            0 => 2,
            1..=7 => 4,
            _ => 3,
        });
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out.truncate(m);
    out
}

/// A log of `n` rows over `days` days in the order typed (by day), the patterns of `pool`
/// given with weights 1, 1/2, 1/3, ….
fn log(rng: &mut Rng, n: usize, days: usize, pool: &[[u16; 9]]) -> Vec<Row> {
    let w: Vec<f64> = (0..pool.len()).map(|i| 1.0 / (i + 1) as f64).collect();
    let total: f64 = w.iter().sum();
    let mut rows: Vec<Row> = (0..n)
        .map(|_| {
            let mut x = rng.below(1 << 30) as f64 / (1u64 << 30) as f64 * total;
            let mut k = 0;
            while k + 1 < pool.len() && x >= w[k] {
                x -= w[k];
                k += 1;
            }
            (pool[k], 100 + rng.below(days) as i32)
        })
        .collect();
    rows.sort_by_key(|r| r.1);
    rows
}

/// How a unit sorts its sheet (stable: rows of equal keys stay as typed).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Sort {
    None,
    Answers,
    AnswersDescending,
    DayAnswers,
    DayAnswersDescending,
    /// By the first answer only.
    FirstAnswer,
}

const SORTS: [Sort; 5] = [
    Sort::Answers,
    Sort::AnswersDescending,
    Sort::DayAnswers,
    Sort::DayAnswersDescending,
    Sort::FirstAnswer,
];

impl Sort {
    fn name(self) -> &'static str {
        match self {
            Sort::None => "unsorted",
            Sort::Answers | Sort::AnswersDescending => "by answers",
            Sort::DayAnswers | Sort::DayAnswersDescending => "by day, answers",
            Sort::FirstAnswer => "by U1",
        }
    }

    fn apply(self, rows: &[Row]) -> Vec<Row> {
        let mut r = rows.to_vec();
        match self {
            Sort::None => {}
            Sort::Answers => r.sort_by_key(|x| x.0),
            Sort::AnswersDescending => r.sort_by_key(|x| std::cmp::Reverse(x.0)),
            Sort::DayAnswers => r.sort_by_key(|x| (x.1, x.0)),
            Sort::DayAnswersDescending => r.sort_by_key(|x| (x.1, std::cmp::Reverse(x.0))),
            Sort::FirstAnswer => r.sort_by_key(|x| x.0[0]),
        }
        r
    }
}

/// The rows as `silver::untimed` reads them (no profile, no age).
fn send(rows: &[Row]) -> (Vec<LogRow>, Vec<Packed>) {
    rows.iter()
        .map(|(a, d)| {
            let mut f: Fields = [0; FIELDS];
            f[..9].copy_from_slice(a);
            f[14] = u16::MAX;
            let mut h = std::hash::DefaultHasher::new();
            f.hash(&mut h);
            let row = LogRow {
                pattern: h.finish(),
                day: Some(*d),
            };
            (row, Packed::from(f))
        })
        .unzip()
}

/// The earlier send's rows not counted, as `silver::untimed::align_sends` decides.
fn dropped(old: &[Row], new: &[Row]) -> usize {
    let ((o, of), (n, nf)) = (send(old), send(new));
    let Some(l) = block_length(&o, &n, MIN_BLOCK) else {
        return 0;
    };
    let mut f = align(&o, &n, l);
    let rows = |log, fields| Rows { log, fields };
    fill(rows(&o, &of), rows(&n, &nf), &mut f);
    f.iter().filter(|f| f.is_some()).count()
}

/// Cases by kind: (cases, cases that went right, earlier rows, earlier rows not counted).
#[derive(Default)]
struct Tally(BTreeMap<String, (usize, usize, usize, usize)>);

impl Tally {
    fn add(&mut self, kind: String, right: bool, rows: usize, dropped: usize) {
        let e = self.0.entry(kind).or_default();
        *e = (e.0 + 1, e.1 + usize::from(right), e.2 + rows, e.3 + dropped);
    }

    fn total(&self) -> (usize, usize, usize, usize) {
        self.0.values().fold((0, 0, 0, 0), |t, v| {
            (t.0 + v.0, t.1 + v.1, t.2 + v.2, t.3 + v.3)
        })
    }

    fn print(&self, title: &str, right: &str) {
        println!("{title}");
        let all = ("all".to_string(), self.total());
        for (k, (n, good, rows, dropped)) in self.0.iter().chain([(&all.0, &all.1)]) {
            println!(
                "  {k:<34} {n:>5} cases, {good:>5} {right}, {dropped:>6} of {rows:>6} earlier rows not counted"
            );
        }
    }
}

/// Two independent logs of one unit, sorted alike, and a log sent again (the earlier send its
/// first 60%, as typed or sorted, the later sorted), for each size, number of days and of
/// patterns, `seeds` times: tallied by sort, and by days or patterns.
fn trial(sizes: &[usize], days: &[usize], patterns: &[usize], seeds: u64) -> (Tally, Tally) {
    let (mut independent, mut resent) = (Tally::default(), Tally::default());
    for &n in sizes {
        for &d in days {
            for &m in patterns {
                for seed in 0..seeds {
                    let mut rng = Rng::new(seed * 1000 + (n * 31 + d * 7 + m) as u64);
                    let p = pool(&mut rng, m);
                    for s in SORTS {
                        for grow in [0, n / 3] {
                            let a = s.apply(&log(&mut rng, n, d, &p));
                            let b = s.apply(&log(&mut rng, n + grow, d, &p));
                            let x = dropped(&a, &b);
                            for by in [format!("m={m:<2}"), format!("days={d:<2}")] {
                                independent.add(format!("{} {by}", s.name()), x == 0, n, x);
                            }
                        }
                        let all = log(&mut rng, n + n * 2 / 3, d, &p);
                        for earlier in [Sort::None, s] {
                            let x = dropped(&earlier.apply(&all[..n]), &s.apply(&all));
                            let kind = format!("{} -> {}", earlier.name(), s.name());
                            for by in [format!("m={m:<2}"), format!("days={d:<2}")] {
                                resent.add(format!("{kind} {by}"), x == n, n, x);
                            }
                        }
                    }
                    let all = log(&mut rng, n + n * 2 / 3, d, &p);
                    let x = dropped(&all[..n], &all);
                    for by in [format!("m={m:<2}"), format!("days={d:<2}")] {
                        resent.add(format!("unsorted -> unsorted {by}"), x == n, n, x);
                    }
                }
            }
        }
    }
    (independent, resent)
}

/// A few of the trial's cases: no independent pair merged, three patterns or twenty; every
/// log sent again found whole, as typed or sorted, where the earlier send finished days of 30
/// rows or more over six patterns or more (`resend_unordered::days_held`; over three
/// patterns a few whole days of 50 rows are not always enough: `sorted_logs_trial` says how
/// often).
#[test]
fn sorted_logs_of_a_unit_are_merged_only_when_sent_again() {
    let (independent, _) = trial(&[150], &[5, 10], &[3, 20], 1);
    let (cases, right, _, dropped) = independent.total();
    assert_eq!((right, dropped), (cases, 0), "{:?}", independent.0);
    let (_, resent) = trial(&[150], &[5, 10], &[6, 20], 1);
    for (kind, (cases, right, ..)) in &resent.0 {
        assert_eq!(right, cases, "{kind}: {:?}", resent.0);
    }
}

/// The whole trial, printed (the numbers in docs/DOMAIN.md §1.11).
#[test]
#[ignore = "about 8,000 cases, a few seconds: `cargo test --lib resend_trials -- --ignored --nocapture`"]
fn sorted_logs_trial() {
    let (independent, resent) = trial(&[100, 150, 250, 400], &[1, 2, 5, 10], &[3, 5, 10, 20], 3);
    independent.print(
        "Independent logs, each sorted (every case tallied twice: by m and by days)",
        "not merged",
    );
    resent.print(
        "Logs sent again, the earlier send the first 60% (every case tallied twice)",
        "wholly found",
    );
}
