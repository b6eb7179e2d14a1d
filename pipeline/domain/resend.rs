//! A date-only log sent again (docs/DOMAIN.md §1.11, "A log sent again"): which rows of an
//! earlier send are rows of a later one, found as `diff` finds them, by the order of the rows.
//!
//! Rows without a time of day have no identity of their own: two respondents may give the same
//! answers on the same day. But a run of consecutive rows that reappears, in the same order, in
//! a later file of the same unit is that file again. So two sends are aligned over their rows
//! (each a pattern of answers and profile values, and a day) and a row is taken for the same
//! response only where the alignment is anchored by a block of at least `L` consecutive equal
//! rows, `L` long enough that a chance block is not credible (`block_length`), and not
//! explained by the sends' own order (`SortedChance`: two logs each sorted by its answers
//! share blocks of equal rows by construction).
//!
//! Between two anchored blocks the later send is the unit's own correction of the earlier one,
//! as a diff reads it: equal rows are the same rows, a row replaced by one of the same day is a
//! revision, a row missing from the later send was deleted from it. Before the first block and
//! after the last, the earlier send's rows are matched only when equal or replaced in place next
//! to the block; the rest are not the later send's rows (a log trimmed of rows already sent, or
//! a different log) and count.
//!
//! No I/O, no clock: the same rows give the same answer.

use similar::{capture_diff_slices, Algorithm, DiffOp};

/// One row of a send: its answers and profile values (hashed) and its survey day (`None`
/// without a date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LogRow {
    pub pattern: u64,
    pub day: Option<i32>,
}

impl LogRow {
    fn key(&self) -> u64 {
        let d = self.day.map_or(u64::MAX, |d| d as u32 as u64);
        self.pattern ^ d.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17)
    }
}

/// What an earlier send's row is in a later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// The same row, at this index of the later send.
    Same(usize),
    /// Corrected: replaced in place by this row of the later send (the same day).
    Revised(usize),
    /// Deleted from the later send (between two anchored blocks; or, for a send contained in
    /// another order, on a day the later send covers: `resend_unordered::fill`).
    Deleted,
}

/// The least block length, whatever the data (`[kuesioner] blok_minimum`, default): longer
/// than the few identical rows two unrelated logs of one unit may share.
pub const MIN_BLOCK: usize = 8;

/// The expected number of chance blocks between two unrelated sends that is accepted
/// (`block_length`): one pair of unrelated logs in a thousand.
pub(super) const CHANCE: f64 = 1e-3;

/// The rows of a hunk compared row by row (longer hunks: their earlier rows are deleted in the
/// middle of a log, not matched at its edges).
const HUNK_MAX: usize = 4096;

/// At an edge (before the first block, after the last) the earlier send's rows are compared
/// with the later's as between blocks, but only what chance cannot explain is matched
/// (`EdgeRule::run`): a run of equal rows long enough that a chance run is expected under
/// `CHANCE` among the edge's same-day pairs of rows, and a replacement shorter than a block
/// (`l`) beside the block or such a run, row by row from its side. Two counters' logs sharing
/// a block of copied or alike rows, on the same days, had every other row paired one by one
/// (as revisions, or as chance equal rows) and dropped.
#[derive(Clone, Copy)]
struct EdgeRule {
    /// `q`, the chance two rows are alike (`alike_chance`).
    q: f64,
    l: usize,
}

impl EdgeRule {
    /// The least run of equal rows matched at an edge of `old` and `new` rows: `⌈ln(0.001/N) /
    /// ln q⌉` with `N` their same-day pairs, at least 2.
    fn run(&self, old: &[LogRow], new: &[LogRow]) -> usize {
        let n = same_day_pairs(old, new).max(1.0);
        (((CHANCE / n).ln() / self.q.ln()).ceil().max(0.0) as usize).max(2)
    }
}

/// How many consecutive equal rows anchor an alignment of `old` and `new`: at least `floor`, and
/// enough that a chance block between unrelated sends is expected less than once in a
/// thousand pairs. With `q` the chance that two rows of one send share their answers and
/// profile (estimated from the sends themselves, pairs of distinct rows, and pairs of rows near
/// each other: `alike_chance`) and `N` the pairs of
/// rows of the two sends on the same day, a chance block of `L` rows is expected `N·q^L` times:
/// `L = ⌈ln(0.001/N) / ln q⌉`. `None` when rows cannot be told apart at all (`q = 1`: every
/// row alike), so nothing is matched.
pub fn block_length(old: &[LogRow], new: &[LogRow], floor: usize) -> Option<usize> {
    let floor = floor.max(2);
    let same_day_pairs = same_day_pairs(old, new);
    if same_day_pairs == 0.0 {
        return Some(floor);
    }
    let q = alike_chance(old, new);
    if q <= 0.0 {
        return Some(floor);
    }
    if q >= 1.0 {
        return None;
    }
    let l = ((CHANCE / same_day_pairs).ln() / q.ln()).ceil();
    Some((l.max(0.0) as usize).max(floor))
}

/// The chance that two rows of one send share their answers and profile (`q`), from the pairs of
/// distinct rows of both sends, with `PRIOR_PAIRS` pairs of the pessimistic prior (a quarter
/// alike) added: a few rows (two sends of two rows, no pair alike) do not make `q` 0. Or, when
/// greater, the chance for two rows near each other (`near_alike_chance`): a sheet sorted by a
/// column of its content (one answer, the service) puts alike rows together, and a block is
/// made of rows that stand together.
fn alike_chance(old: &[LogRow], new: &[LogRow]) -> f64 {
    let (mut alike, mut pairs) = (0.0, 0.0);
    for rows in [old, new] {
        let (a, p) = coincidences(rows);
        alike += a;
        pairs += p;
    }
    if pairs > 0.0 && alike >= pairs {
        // Every row alike: rows cannot be told apart (`block_length`'s `None`).
        return 1.0;
    }
    let any_two = (alike + PRIOR * PRIOR_PAIRS) / (pairs + PRIOR_PAIRS);
    any_two.max(near_alike_chance(old, new))
}

/// How far apart two rows of a send are near each other (`near_alike_chance`): a block's
/// length at the least (`MIN_BLOCK`).
const NEAR_ROWS: usize = MIN_BLOCK;

/// The chance that two rows of one send at most `NEAR_ROWS` apart share their answers and
/// profile, with the prior as `alike_chance`. In the order respondents came, as any two rows
/// are; in sheets sorted by one answer (two counters' logs: 55 of 384 pairs of them were
/// merged in `resend_trials`, 1 with it), far more.
fn near_alike_chance(old: &[LogRow], new: &[LogRow]) -> f64 {
    let (mut alike, mut pairs) = (0.0, 0.0);
    for rows in [old, new] {
        for k in 1..=NEAR_ROWS.min(rows.len().saturating_sub(1)) {
            pairs += (rows.len() - k) as f64;
            alike += rows
                .iter()
                .zip(&rows[k..])
                .filter(|(a, b)| a.pattern == b.pattern)
                .count() as f64;
        }
    }
    (alike + PRIOR * PRIOR_PAIRS) / (pairs + PRIOR_PAIRS)
}

/// The pessimistic prior of `q` (a quarter of pairs alike) and its weight in pairs of rows
/// (`alike_chance`): nothing beside a big log's hundreds of thousands of pairs, most of a
/// small one's.
pub(super) const PRIOR: f64 = 0.25;
pub(super) const PRIOR_PAIRS: f64 = 20.0;

/// How many rows a whole earlier send must hold, equal to the later send's first rows, to be
/// taken for its beginning when it is shorter than a block (a small unit's log of six rows sent
/// again with four more): one place compared, not every pair of places, so a chance match
/// is `q^k`, accepted under `CHANCE`: `k = ⌈ln 0.001 / ln q⌉`, at least 2. `None` when rows
/// cannot be told apart (`q = 1`).
fn whole_send_length_of(q: f64) -> Option<usize> {
    if q >= 1.0 {
        return None;
    }
    if q <= 0.0 {
        return Some(2);
    }
    Some(((CHANCE.ln() / q.ln()).ceil().max(0.0) as usize).max(2))
}

/// Pairs of rows (one of each send) on the same day.
fn same_day_pairs(old: &[LogRow], new: &[LogRow]) -> f64 {
    let count = |rows: &[LogRow]| {
        let mut m = std::collections::HashMap::<Option<i32>, f64>::new();
        for r in rows {
            *m.entry(r.day).or_default() += 1.0;
        }
        m
    };
    let (a, b) = (count(old), count(new));
    a.iter()
        .map(|(d, n)| n * b.get(d).copied().unwrap_or(0.0))
        .sum()
}

/// Pairs of distinct rows of one send with the same answers and profile, and all its pairs.
fn coincidences(rows: &[LogRow]) -> (f64, f64) {
    let mut m = std::collections::HashMap::<u64, f64>::new();
    for r in rows {
        *m.entry(r.pattern).or_default() += 1.0;
    }
    let alike = m.values().map(|c| c * (c - 1.0)).sum();
    let n = rows.len() as f64;
    (alike, n * (n - 1.0))
}

/// `whole_send_length_of` two sends' `q`.
#[cfg(test)]
fn whole_send_length(old: &[LogRow], new: &[LogRow]) -> Option<usize> {
    whole_send_length_of(alike_chance(old, new))
}

/// A run of equal rows: `old[o..o+len] == new[n..n+len]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Block {
    o: usize,
    n: usize,
    len: usize,
}

/// What each row of `old` (an earlier send) is in `new` (a later one), anchored by blocks of at
/// least `l` equal rows (`None`: not matched, the row counts).
pub fn align(old: &[LogRow], new: &[LogRow], l: usize) -> Vec<Option<Fate>> {
    let mut fate = vec![None; old.len()];
    let q = alike_chance(old, new);
    let whole = whole_send_length_of(q);
    // Blocks the order of sends sorted by their content explains are not credited
    // (`SortedChance`).
    let sorted = &SortedChance::of(old, new, q);
    let blocks = anchors(old, new, (l.max(1), whole), sorted);
    let (Some(first), Some(last)) = (blocks.first(), blocks.last()) else {
        return fate;
    };
    for b in &blocks {
        for t in 0..b.len {
            fate[b.o + t] = Some(Fate::Same(b.n + t));
        }
    }
    // The edges: the rows just before the first block, just after the last (`EdgeRule`; none
    // when rows cannot be told apart).
    let rule = (q < 1.0).then(|| EdgeRule {
        q: q.max(f64::MIN_POSITIVE),
        l: l.max(1),
    });
    let head = (
        first.o.saturating_sub(HUNK_MAX)..first.o,
        first.n.saturating_sub(HUNK_MAX)..first.n,
    );
    if let Some(rule) = rule {
        hunk(old, new, head, (Edge::Before(rule), sorted), &mut fate);
    }
    for w in blocks.windows(2) {
        let (a, b) = (w[0], w[1]);
        hunk(
            old,
            new,
            (a.o + a.len..b.o, a.n + a.len..b.n),
            (Edge::No, sorted),
            &mut fate,
        );
    }
    let end = (last.o + last.len, last.n + last.len);
    let tail = (
        end.0..(end.0 + HUNK_MAX).min(old.len()),
        end.1..(end.1 + HUNK_MAX).min(new.len()),
    );
    if let Some(rule) = rule {
        hunk(old, new, tail, (Edge::After(rule), sorted), &mut fate);
    }
    fate
}

#[derive(Clone, Copy)]
enum Edge {
    No,
    Before(EdgeRule),
    After(EdgeRule),
}

type Ranges = (std::ops::Range<usize>, std::ops::Range<usize>);

/// The rows between two anchored blocks (or beside one, `edge`), compared row by row; at an
/// edge, a long equal run only if the sort order does not explain it (`sorted`).
fn hunk(
    old: &[LogRow],
    new: &[LogRow],
    (ro, rn): Ranges,
    (edge, sorted): (Edge, &SortedChance),
    fate: &mut [Option<Fate>],
) {
    if ro.is_empty() {
        return;
    }
    let gone = match edge {
        Edge::No => Some(Fate::Deleted),
        _ => None,
    };
    if rn.is_empty() || ro.len() > HUNK_MAX || rn.len() > HUNK_MAX {
        for f in &mut fate[ro] {
            *f = gone;
        }
        return;
    }
    let keys = |rows: &[LogRow]| rows.iter().map(LogRow::key).collect::<Vec<u64>>();
    let (ko, kn) = (keys(&old[ro.clone()]), keys(&new[rn.clone()]));
    let ops = capture_diff_slices(Algorithm::Myers, &ko, &kn);
    // At an edge: an equal run long enough that chance does not explain it.
    let run = match edge {
        Edge::Before(r) | Edge::After(r) => r.run(&old[ro.clone()], &new[rn.clone()]),
        Edge::No => 0,
    };
    let long_equal = |op: Option<&DiffOp>| match op {
        Some(&DiffOp::Equal { old_index, len, .. }) => {
            let at = ro.start + old_index;
            len >= run && sorted.credible(&old[at..at + len], ro.len())
        }
        _ => false,
    };
    // Which ops are matched, and whether a replacement pairs its rows from its end.
    let (accepted, from_end) = match edge {
        Edge::No => (vec![true; ops.len()], vec![false; ops.len()]),
        Edge::After(r) => edge_chain(&ops, r.l, &long_equal, false),
        Edge::Before(r) => edge_chain(&ops, r.l, &long_equal, true),
    };
    for (k, op) in ops.iter().enumerate() {
        match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for t in 0..len {
                    let (o, n) = (ro.start + old_index + t, rn.start + new_index + t);
                    fate[o] = (accepted[k] && old[o] == new[n])
                        .then_some(Fate::Same(n))
                        .or(gone);
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for f in &mut fate[ro.start + old_index..ro.start + old_index + old_len] {
                    *f = gone;
                }
            }
            DiffOp::Insert { .. } => {}
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                // Replaced in place: the row at the same offset, on the same day, is its
                // correction (at an edge, when `edge_chain` matched it), counted from the side
                // it is anchored on.
                let from_end = from_end[k];
                for t in 0..old_len {
                    let (o, n) = if from_end {
                        let o = ro.start + old_index + old_len - 1 - t;
                        (
                            o,
                            (t < new_len).then(|| rn.start + new_index + new_len - 1 - t),
                        )
                    } else {
                        (
                            ro.start + old_index + t,
                            (t < new_len).then(|| rn.start + new_index + t),
                        )
                    };
                    fate[o] = match n {
                        Some(n) if accepted[k] && old[o].day == new[n].day => {
                            Some(Fate::Revised(n))
                        }
                        _ => gone,
                    };
                }
            }
        }
    }
}

/// At an edge, which diff ops are matched (`EdgeRule`), walking away from the block (`reverse`:
/// the edge before the first block, walked from its end): an equal run that is long enough
/// (`long_equal`) or continues what is matched from the block; a replacement shorter than a
/// block (`l`) that continues it or stands beside a long equal run; inserted rows (late forms
/// typed in) and a short deletion do not break the chain. And per replacement, whether its rows
/// pair from its end (anchored after it, in the sheet's order).
fn edge_chain(
    ops: &[DiffOp],
    l: usize,
    long_equal: &dyn Fn(Option<&DiffOp>) -> bool,
    reverse: bool,
) -> (Vec<bool>, Vec<bool>) {
    let n = ops.len();
    let (mut accepted, mut from_end) = (vec![false; n], vec![false; n]);
    let order: Vec<usize> = match reverse {
        true => (0..n).rev().collect(),
        false => (0..n).collect(),
    };
    let mut chain = true;
    // The earlier send's rows the chain took since the block or the last long equal run: fewer
    // than a block's length, so that short replacements between chance equal rows of another
    // log do not carry it along the whole edge.
    let mut taken = 0usize;
    for (step, &k) in order.iter().enumerate() {
        // The op further from the block (a long equal run there anchors a replacement too).
        let further = order.get(step + 1).map(|&j| &ops[j]);
        match ops[k] {
            DiffOp::Equal { len, .. } => {
                let long = long_equal(Some(&ops[k]));
                accepted[k] = len > 0 && (long || (chain && taken + len < l));
                taken = if long { 0 } else { taken + len };
                chain = accepted[k];
            }
            DiffOp::Replace { old_len, .. } => {
                let by_chain = chain && taken + old_len < l;
                let by_run = old_len < l && long_equal(further);
                accepted[k] = by_chain || by_run;
                taken += old_len;
                // Paired from the block's side: forward after the last block, from the end
                // before the first; from the other side when only the run further on anchors it.
                from_end[k] = match by_chain {
                    true => reverse,
                    false => !reverse,
                };
                chain = accepted[k];
            }
            DiffOp::Insert { .. } => {}
            DiffOp::Delete { old_len, .. } => {
                taken += old_len;
                chain = chain && taken < l;
            }
        }
    }
    (accepted, from_end)
}

/// The blocks of at least `l` equal rows, in order in both sends (or the whole earlier send as
/// the later's beginning, at least `whole` rows): the common beginning and end,
/// then, in between, windows of `l` rows of `old` looked up among `new`'s, each found block
/// extended as far as it goes (greedy, in order: what comes after a block is looked for after
/// it). Each only if the sort order of both sends does not explain it (`SortedChance`, a
/// block in one of the earlier send's places).
fn anchors(
    old: &[LogRow],
    new: &[LogRow],
    (l, whole): (usize, Option<usize>),
    sorted: &SortedChance,
) -> Vec<Block> {
    let block = |rows: &[LogRow], l: usize| rows.len() >= l && sorted.credible(rows, old.len());
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    // The whole earlier send at the start of the later, shorter than a block
    // (`whole_send_length`).
    if prefix == old.len() && prefix < l && whole.is_some_and(|k| block(&old[..prefix], k)) {
        return vec![Block {
            o: 0,
            n: 0,
            len: prefix,
        }];
    }
    let rest = (old.len() - prefix).min(new.len() - prefix);
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(rest)
        .take_while(|(a, b)| a == b)
        .count();
    let (prefix_block, suffix_block) = (
        block(&old[..prefix], l),
        block(&old[old.len() - suffix..], l),
    );
    let mut out = Vec::new();
    if prefix_block {
        out.push(Block {
            o: 0,
            n: 0,
            len: prefix,
        });
    }
    let start = if prefix_block { prefix } else { 0 };
    let (old_end, new_end) = if suffix_block {
        (old.len() - suffix, new.len() - suffix)
    } else {
        (old.len(), new.len())
    };
    let (o_mid, n_start) = (start..old_end, start.min(new_end));
    out.extend(middle(old, new, o_mid, n_start..new_end, (l, sorted)));
    if suffix_block {
        out.push(Block {
            o: old_end,
            n: new_end,
            len: suffix,
        });
    }
    out
}

/// The blocks of at least `l` rows inside `old[ro]` and `new[rn]`. A block the sort order
/// explains (`sorted`: a run of a pattern in both sends sorted by their answers) is passed
/// over, its rows left to the hunks beside the blocks.
fn middle(
    old: &[LogRow],
    new: &[LogRow],
    ro: std::ops::Range<usize>,
    rn: std::ops::Range<usize>,
    (l, sorted): (usize, &SortedChance),
) -> Vec<Block> {
    let mut out = Vec::new();
    if ro.len() < l || rn.len() < l {
        return out;
    }
    let (ko, kn): (Vec<u64>, Vec<u64>) = (
        old[ro.clone()].iter().map(LogRow::key).collect(),
        new[rn.clone()].iter().map(LogRow::key).collect(),
    );
    let mut rn_roll = Rolling::over(&kn, l);
    let mut windows: Vec<(u64, u32)> = (0..=kn.len() - l)
        .filter_map(|j| Some((rn_roll.at(j)?, j as u32)))
        .collect();
    windows.sort_unstable();
    let mut cursor = 0usize;
    let mut i = 0usize;
    let mut roll = Rolling::over(&ko, l);
    while i + l <= ko.len() {
        let Some(h) = roll.at(i) else { break };
        let mut found = None;
        let from = windows.partition_point(|&(wh, j)| (wh, j as usize) < (h, cursor));
        for &(wh, j) in &windows[from..] {
            if wh != h {
                break;
            }
            let j = j as usize;
            if old[ro.start + i..ro.start + i + l] == new[rn.start + j..rn.start + j + l] {
                found = Some(j);
                break;
            }
        }
        match found {
            Some(j) => {
                let mut len = l;
                while i + len < ko.len()
                    && j + len < kn.len()
                    && old[ro.start + i + len] == new[rn.start + j + len]
                {
                    len += 1;
                }
                let at = ro.start + i;
                if sorted.credible(&old[at..at + len], old.len()) {
                    out.push(Block {
                        o: at,
                        n: rn.start + j,
                        len,
                    });
                    cursor = j + len;
                }
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

/// Polynomial hashes of every window of `l` keys, rolled along.
struct Rolling<'a> {
    keys: &'a [u64],
    l: usize,
    /// `BASE^(l-1)`.
    top: u64,
    /// The window hash at `pos`.
    pos: usize,
    hash: u64,
}

const BASE: u64 = 0x100_0000_01B3;

impl<'a> Rolling<'a> {
    fn over(keys: &'a [u64], l: usize) -> Self {
        let top = (1..l).fold(1u64, |p, _| p.wrapping_mul(BASE));
        let mut r = Rolling {
            keys,
            l,
            top,
            pos: 0,
            hash: 0,
        };
        r.reset(0);
        r
    }

    fn reset(&mut self, pos: usize) {
        self.pos = pos;
        self.hash = self
            .keys
            .iter()
            .skip(pos)
            .take(self.l)
            .fold(0u64, |h, k| h.wrapping_mul(BASE).wrapping_add(*k));
    }

    /// The hash of the window starting at `pos` (forward moves roll, others recompute).
    fn at(&mut self, pos: usize) -> Option<u64> {
        if pos + self.l > self.keys.len() {
            return None;
        }
        if pos == self.pos + 1 {
            let out = self.keys[self.pos].wrapping_mul(self.top);
            self.hash = self
                .hash
                .wrapping_sub(out)
                .wrapping_mul(BASE)
                .wrapping_add(self.keys[pos + self.l - 1]);
            self.pos = pos;
        } else if pos != self.pos {
            self.reset(pos);
        }
        Some(self.hash)
    }
}

// Sheets sorted by their answers (docs/DOMAIN.md §1.11, "Sheets sorted by their answers").
//
// `block_length`'s chance of a block, `q^L` over the same-day pairs of rows, holds for rows in
// an order independent of their content. A unit that sorts its sheet by the answers (or by
// day, then answers) before saving it puts a day's rows of one pattern together, in the same
// order of patterns in every sheet it sorts: two unrelated logs so sorted stand side by side
// pattern by pattern, and wherever both have at least `L` rows of a pattern on a day they
// share a block of `L` equal rows, by construction (two counters' logs of 150 rows, six
// patterns, five days, each sorted by its answers: 147 of their 300 rows were taken for the
// other log's, `tests/it/resent_logs.rs`). What such a block shows is only that the runs of
// its patterns are as long in both sends: a run inside the block (a day's rows of a pattern,
// whole in both) has as many rows in both, a run at its ends at least as many in the later
// send. So a block is credited only when that, too, is improbable between unrelated logs
// (`SortedChance`).

/// Whether a send's rows stand in the order of their content: the rows of one day and pattern
/// together, in a single run (a sheet sorted by its answers, or by day then answers), not
/// scattered as respondents came. With `n` rows, `D` distinct rows (day and pattern) and `R`
/// runs of equal rows, `n − D` rows repeat an earlier one and `n − R` of them stand right after
/// an equal row: in content order when at least half do (`2(n − R) ≥ n − D + 1`: a send
/// repeating a single row is not). In the order respondents came, a row's twin is its
/// neighbour about once in as many rows as the day has (unless a pattern fills most of the
/// day: its runs are long whatever the order, and count for little under either chance). A
/// send of distinct rows is not in content order: sorted or not, it shares no run of a pattern
/// with another log.
pub fn in_content_order(rows: &[LogRow]) -> bool {
    let mut distinct: foldhash::HashMap<LogRow, ()> = foldhash::HashMap::default();
    for r in rows {
        distinct.insert(*r, ());
    }
    let runs = rows.windows(2).filter(|w| w[0] != w[1]).count() + usize::from(!rows.is_empty());
    content_order(rows.len(), distinct.len(), runs)
}

/// `in_content_order` from the rows, distinct rows and runs of a send.
fn content_order(n: usize, distinct: usize, runs: usize) -> bool {
    let repeats = n - distinct;
    repeats > 0 && 2 * (n - runs) > repeats
}

/// The chance that a block of equal rows stands in two unrelated sends sorted by their
/// content, from how many rows of each day and pattern the sends hold. A run of a pattern on a
/// day that is its only run in both sends (with more than one row in either send, or in sends
/// both in content order, `in_content_order`) is taken as sorted: the later send's run holds all its rows of
/// that day and pattern, `B ~ Binomial(m_d, p)` of them (`m_d` the later send's rows that day,
/// `p` the pattern's chance), and such runs `a_1 … a_k` in a block stand by chance with
/// `P(B_1 ≥ a_1) · Π P(B_i = a_i) · P(B_k ≥ a_k)` (the inner runs whole in both sends, the
/// first and the last possibly longer in the later send). `p` is the pattern's share of the rows
/// of both sends, or of their rows that day (a group served together answering alike),
/// whichever makes the run likelier. Other runs (a pattern whose rows are scattered in either
/// send: the order respondents came, or a sheet sorted by one answer only) are as
/// `block_length` has them, `q` a row.
#[derive(Debug)]
pub struct SortedChance {
    /// Both sends in content order.
    sorted: bool,
    /// `q`, the chance two rows are alike (`resend`'s).
    q: f64,
    /// Both sends' rows per day and pattern (by `LogRow::key`), and the runs they stand in.
    by_row: foldhash::HashMap<u64, Runs>,
    /// Both sends' rows per day, and the later send's.
    days: foldhash::HashMap<Option<i32>, (usize, usize)>,
    /// Both sends' rows per pattern, and all their rows.
    patterns: foldhash::HashMap<u64, usize>,
    rows: usize,
}

/// The rows of a day and pattern in each send, and the runs they stand in (16 bytes: a send of
/// millions of rows has as many distinct ones at worst).
#[derive(Debug, Default, Clone, Copy)]
struct Runs {
    old_rows: u32,
    new_rows: u32,
    old_runs: u32,
    new_runs: u32,
}

impl SortedChance {
    /// The chance of blocks between `old` and `new`, two rows alike with chance `q`.
    pub fn of(old: &[LogRow], new: &[LogRow], q: f64) -> SortedChance {
        let mut by_row: foldhash::HashMap<u64, Runs> = foldhash::HashMap::default();
        // The day and pattern of each key, for the sums by day and by pattern.
        let mut rows_of: foldhash::HashMap<u64, LogRow> = foldhash::HashMap::default();
        let mut in_order = [false; 2];
        for (send, rows) in [old, new].into_iter().enumerate() {
            let (mut distinct, mut runs) = (0, 0);
            // A run's rows counted at once: one look-up a run.
            let mut start = 0;
            while start < rows.len() {
                let r = rows[start];
                let end = start + rows[start..].iter().take_while(|x| **x == r).count();
                let e = by_row.entry(r.key()).or_insert_with(|| {
                    rows_of.insert(r.key(), r);
                    Runs::default()
                });
                let (n, k) = match send {
                    0 => (&mut e.old_rows, &mut e.old_runs),
                    _ => (&mut e.new_rows, &mut e.new_runs),
                };
                distinct += usize::from(*n == 0);
                *n += (end - start) as u32;
                *k += 1;
                runs += 1;
                start = end;
            }
            in_order[send] = content_order(rows.len(), distinct, runs);
        }
        let mut days: foldhash::HashMap<Option<i32>, (usize, usize)> = foldhash::HashMap::default();
        let mut patterns: foldhash::HashMap<u64, usize> = foldhash::HashMap::default();
        for (k, r) in &by_row {
            let row = rows_of[k];
            let (all, new) = ((r.old_rows + r.new_rows) as usize, r.new_rows as usize);
            let d = days.entry(row.day).or_default();
            *d = (d.0 + all, d.1 + new);
            *patterns.entry(row.pattern).or_insert(0) += all;
        }
        SortedChance {
            sorted: in_order[0] && in_order[1],
            q,
            by_row,
            days,
            patterns,
            rows: old.len() + new.len(),
        }
    }

    /// Whether a block of `rows`, equal in both sends, is credible under the sort order too:
    /// its chance in `tries` places under `CHANCE` (sorted, a block of the earlier send has one
    /// place in the later: `tries` is the earlier send's rows, or an edge's). Walked run by run,
    /// stopping as soon as it is.
    pub fn credible(&self, rows: &[LogRow], tries: usize) -> bool {
        let enough = CHANCE.ln() - (tries.max(1) as f64).ln();
        let mut ln_chance = 0.0;
        let mut start = 0;
        while start < rows.len() {
            let end = start
                + rows[start..]
                    .iter()
                    .take_while(|r| **r == rows[start])
                    .count();
            let whole = start > 0 && end < rows.len();
            ln_chance += self.ln_run(rows[start], end - start, whole);
            if ln_chance <= enough {
                return true;
            }
            start = end;
        }
        false
    }

    /// `ln` of the chance of a run of `a` rows `k` in both sends: sorted, that the later send's
    /// run of `k` has `a` rows (`whole`), or at least `a`, the greater under either `p`; else
    /// `q^a`.
    fn ln_run(&self, k: LogRow, a: usize, whole: bool) -> f64 {
        let of_k = self.by_row.get(&k.key()).copied().unwrap_or_default();
        let rows = (of_k.old_rows + of_k.new_rows) as usize;
        let alone = of_k.old_runs == 1 && of_k.new_runs == 1 && (rows > 2 || self.sorted);
        if !alone {
            return a as f64 * self.q.ln();
        }
        let (day, m) = self.days.get(&k.day).copied().unwrap_or_default();
        let share = |c: usize, n: usize| match n {
            0 => 0.0,
            n => c as f64 / n as f64,
        };
        let overall = share(
            self.patterns.get(&k.pattern).copied().unwrap_or(0),
            self.rows,
        );
        let that_day = share(rows, day);
        [overall, that_day]
            .into_iter()
            .map(|p| match whole {
                true => ln_binomial(m, p, a),
                false => ln_binomial_at_least(m, p, a),
            })
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// `ln n!`: summed up to 256, Stirling's series beyond.
pub(super) fn ln_factorial(n: usize) -> f64 {
    if n <= 256 {
        return (2..=n).map(|k| (k as f64).ln()).sum();
    }
    let x = n as f64;
    x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln() + 1.0 / (12.0 * x)
        - 1.0 / (360.0 * x.powi(3))
}

/// `ln P(B = a)`, `B ~ Binomial(m, p)`.
fn ln_binomial(m: usize, p: f64, a: usize) -> f64 {
    if a > m {
        return f64::NEG_INFINITY;
    }
    let term = |k: usize, p: f64| match (k, p) {
        (0, _) => 0.0,
        (_, p) if p <= 0.0 => f64::NEG_INFINITY,
        (k, p) => k as f64 * p.ln(),
    };
    ln_factorial(m) - ln_factorial(a) - ln_factorial(m - a) + term(a, p) + term(m - a, 1.0 - p)
}

/// `ln P(B ≥ a)`, `B ~ Binomial(m, p)`: the terms summed away from the mean (from `a` up
/// beyond it; below it, `1 − P(B < a)`, from `a − 1` down), while they count.
fn ln_binomial_at_least(m: usize, p: f64, a: usize) -> f64 {
    if a == 0 || (p >= 1.0 && a <= m) {
        return 0.0;
    }
    if a > m || p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    // ln(P(B = k + 1) / P(B = k)).
    let up = |k: usize| ((m - k) as f64).ln() - ((k + 1) as f64).ln() + p.ln() - (1.0 - p).ln();
    let beyond = a as f64 > m as f64 * p;
    let start = if beyond { a } else { a - 1 };
    let first = ln_binomial(m, p, start);
    let mut sum = 1.0;
    let mut ln_term = 0.0;
    let mut k = start;
    loop {
        match beyond {
            true if k < m => {
                ln_term += up(k);
                k += 1;
            }
            false if k > 0 => {
                ln_term -= up(k - 1);
                k -= 1;
            }
            _ => break,
        }
        sum += ln_term.exp();
        if ln_term < -40.0 {
            break;
        }
    }
    match beyond {
        true => (first + sum.ln()).min(0.0),
        false => (1.0 - (first + sum.ln()).exp()).max(f64::MIN_POSITIVE).ln(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log of `n` rows of varied answers, about ten a day from day 100.
    fn log(seed: u64, n: usize) -> Vec<LogRow> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                LogRow {
                    pattern: x % 50,
                    day: Some(100 + (i / 10) as i32),
                }
            })
            .collect()
    }

    fn same(f: &[Option<Fate>]) -> usize {
        f.iter()
            .filter(|f| matches!(f, Some(Fate::Same(_))))
            .count()
    }

    #[test]
    fn a_grown_log_holds_every_row_of_the_earlier_send() {
        let new = log(1, 800);
        let old = new[..500].to_vec();
        let l = block_length(&old, &new, MIN_BLOCK).unwrap();
        let f = align(&old, &new, l);
        assert!(f.iter().enumerate().all(|(i, f)| *f == Some(Fate::Same(i))));
    }

    #[test]
    fn rows_corrected_in_place_are_revisions_and_the_rest_the_same() {
        let old = log(2, 500);
        let mut new = log(2, 700);
        for i in [0, 37, 250, 499] {
            new[i].pattern += 1000;
        }
        let f = align(&old, &new, block_length(&old, &new, MIN_BLOCK).unwrap());
        for i in [0, 37, 250, 499] {
            assert_eq!(f[i], Some(Fate::Revised(i)), "row {i}");
        }
        assert_eq!(same(&f), 496);
    }

    #[test]
    fn rows_deleted_and_inserted_in_the_middle_are_read_as_a_diff_reads_them() {
        let old = log(3, 600);
        // The later send: rows 200–209 deleted, 15 new rows inserted after row 400, 100 more.
        let mut new: Vec<LogRow> = old[..200].to_vec();
        new.extend_from_slice(&old[210..400]);
        new.extend(log(99, 15).into_iter().map(|mut r| {
            r.pattern += 5000;
            r
        }));
        new.extend_from_slice(&old[400..]);
        new.extend(log(4, 100));
        let f = align(&old, &new, block_length(&old, &new, MIN_BLOCK).unwrap());
        assert!(f[200..210].iter().all(|f| *f == Some(Fate::Deleted)));
        assert_eq!(same(&f), 590);
        assert_eq!(f[400], Some(Fate::Same(405)));
    }

    #[test]
    fn a_few_identical_rows_in_unrelated_logs_are_not_matched() {
        let old = log(5, 300);
        let mut new = log(6, 300);
        new[100..105].copy_from_slice(&old[100..105]);
        let f = align(&old, &new, block_length(&old, &new, MIN_BLOCK).unwrap());
        assert!(f.iter().all(Option::is_none));
    }

    /// A small log (fewer rows than a block) sent again with more rows after it: its rows are the
    /// later send's first rows. Rows of little variety need more of them; a small log that is
    /// not the later send's beginning is not matched.
    #[test]
    fn a_small_log_sent_again_longer_is_matched_at_its_start() {
        let new = log(31, 300);
        let old = new[..6].to_vec();
        let l = block_length(&old, &new, MIN_BLOCK).unwrap();
        assert!(l > 6);
        let f = align(&old, &new, l);
        assert!(
            f.iter().enumerate().all(|(i, f)| *f == Some(Fate::Same(i))),
            "{f:?}"
        );
        // Not at its start: nothing.
        let shifted = new[1..].to_vec();
        assert!(align(&old, &shifted, l).iter().all(Option::is_none));
        // Two rows alike on one in two pairs (q = 1/2): ten rows needed, six are not enough.
        let alike: Vec<LogRow> = new
            .iter()
            .map(|r| LogRow {
                pattern: r.pattern % 2,
                ..*r
            })
            .collect();
        let small = alike[..6].to_vec();
        assert_eq!(whole_send_length(&small, &alike), Some(10));
        let l = block_length(&small, &alike, MIN_BLOCK).unwrap();
        assert!(align(&small, &alike, l).iter().all(Option::is_none));
    }

    /// Corrections at the end of a log re-sent: the last three rows corrected in place, and a
    /// tail of 20 rows with a correction every 5 (no block of 8 in it): each corrected row is
    /// a revision, the others the same; and rows typed in after the last block with old rows
    /// after them.
    #[test]
    fn corrections_and_insertions_at_an_edge_are_matched() {
        let old = log(41, 300);
        let mut new = log(41, 400);
        for i in [297, 298, 299] {
            new[i].pattern += 1000;
        }
        let f = align(&old, &new, block_length(&old, &new, MIN_BLOCK).unwrap());
        for i in [297, 298, 299] {
            assert_eq!(f[i], Some(Fate::Revised(i)), "row {i}");
        }
        assert_eq!(same(&f), 297);
        let mut new = log(41, 400);
        for i in (280..300).step_by(5) {
            new[i].pattern += 1000;
        }
        let f = align(&old, &new, block_length(&old, &new, MIN_BLOCK).unwrap());
        for i in (280..300).step_by(5) {
            assert_eq!(f[i], Some(Fate::Revised(i)), "row {i}");
        }
        assert_eq!(same(&f), 296);
        // Two corrections among the last rows, the very last one unchanged: all matched.
        let mut new = log(41, 400);
        for i in [296, 298] {
            new[i].pattern += 1000;
        }
        let f = align(&old, &new, block_length(&old, &new, MIN_BLOCK).unwrap());
        assert_eq!(
            (f[296], f[298]),
            (Some(Fate::Revised(296)), Some(Fate::Revised(298)))
        );
        assert_eq!(
            (f[297], f[299]),
            (Some(Fate::Same(297)), Some(Fate::Same(299)))
        );
        // The same at the start of the earlier send.
        let mut new = log(41, 400);
        for i in [0, 2] {
            new[i].pattern += 1000;
        }
        let f = align(&old, &new, block_length(&old, &new, MIN_BLOCK).unwrap());
        assert_eq!(
            (f[0], f[1], f[2]),
            (
                Some(Fate::Revised(0)),
                Some(Fate::Same(1)),
                Some(Fate::Revised(2))
            )
        );
        // Three late forms typed in after row 296, the last three rows after them.
        let mut new: Vec<LogRow> = old[..297].to_vec();
        new.extend(log(99, 3).into_iter().map(|mut r| {
            r.pattern += 5000;
            r.day = Some(129);
            r
        }));
        new.extend_from_slice(&old[297..]);
        new.extend(log(42, 50));
        let f = align(&old, &new, block_length(&old, &new, MIN_BLOCK).unwrap());
        assert_eq!(same(&f), 300, "{:?}", &f[290..]);
    }

    /// Beside a shared block, two logs whose other rows alternate with a common row (the same
    /// answers and profile on the same day): the diff pairs them one by one between chance equal
    /// rows, and only fewer than a block's length of them may follow the block as a chain.
    #[test]
    fn a_chain_of_chance_matches_beside_a_block_is_cut_short() {
        let common = LogRow {
            pattern: 7,
            day: Some(500),
        };
        let own = |seed: u64| {
            (0..200).map(move |i| match i % 2 {
                0 => LogRow {
                    pattern: 1000 + seed * 1000 + i,
                    day: Some(500),
                },
                _ => common,
            })
        };
        let block = log(51, 30);
        let old: Vec<LogRow> = block.iter().copied().chain(own(1)).collect();
        let new: Vec<LogRow> = block.iter().copied().chain(own(2)).collect();
        let l = block_length(&old, &new, MIN_BLOCK).unwrap();
        let f = align(&old, &new, l);
        let beyond = f[30..].iter().filter(|f| f.is_some()).count();
        assert!(beyond < l, "{beyond} rows past the block matched, l = {l}");
    }

    /// Two counters' logs of one unit sharing a block of rows (copied from one into the other)
    /// on days both logs have: the rows around the block are other respondents, all counted,
    /// not paired one by one as corrections.
    #[test]
    fn unrelated_rows_beside_a_shared_block_are_not_revisions() {
        let old = log(21, 300);
        let mut new = log(22, 300);
        new[140..160].copy_from_slice(&old[140..160]);
        let f = align(&old, &new, block_length(&old, &new, MIN_BLOCK).unwrap());
        assert_eq!(same(&f), 20);
        assert!(
            f[..140].iter().chain(&f[160..]).all(Option::is_none),
            "{f:?}"
        );
    }

    #[test]
    fn a_log_trimmed_of_its_oldest_rows_leaves_them_counted() {
        let old = log(7, 400);
        let mut new = old[150..].to_vec();
        new.extend(log(8, 200));
        let f = align(&old, &new, block_length(&old, &new, MIN_BLOCK).unwrap());
        assert!(f[..150].iter().all(Option::is_none));
        assert_eq!(same(&f), 250);
    }

    #[test]
    fn alike_rows_need_longer_blocks_and_identical_ones_are_never_matched() {
        let varied = log(9, 1000);
        let alike: Vec<LogRow> = log(9, 1000)
            .into_iter()
            .map(|mut r| {
                r.pattern %= 2;
                r
            })
            .collect();
        let lv = block_length(&varied, &varied, MIN_BLOCK).unwrap();
        let la = block_length(&alike, &alike, MIN_BLOCK).unwrap();
        assert_eq!(lv, MIN_BLOCK);
        // q = 1/2, N = 100 days × 10 × 10 rows: ln(1e-3/1e4) / ln 0.5 = 23.3.
        assert_eq!(la, 24);
        let same: Vec<LogRow> = alike.iter().map(|r| LogRow { pattern: 7, ..*r }).collect();
        assert_eq!(block_length(&same, &same, MIN_BLOCK), None);
    }

    fn day_row(pattern: u64, day: i32) -> LogRow {
        LogRow {
            pattern,
            day: Some(day),
        }
    }

    #[test]
    fn binomial_chances() {
        // P(B = 2), B ~ Bin(4, 1/2) = 6/16; P(B ≥ 3) = 5/16.
        assert!((ln_binomial(4, 0.5, 2).exp() - 0.375).abs() < 1e-12);
        assert!((ln_binomial_at_least(4, 0.5, 3).exp() - 0.3125).abs() < 1e-12);
        assert_eq!(ln_binomial_at_least(4, 0.5, 0), 0.0);
        assert_eq!(ln_binomial(4, 0.5, 5), f64::NEG_INFINITY);
        // Big: P(B ≥ 60), B ~ Bin(150, 0.4) is about a half.
        let p = ln_binomial_at_least(150, 0.4, 60).exp();
        assert!((0.45..0.6).contains(&p), "{p}");
        // Far beyond and far below the mean; a pattern every row gives.
        let far = ln_binomial_at_least(150, 0.1, 60);
        assert!((-60.0..-30.0).contains(&far), "{far}");
        assert!(ln_binomial_at_least(150, 0.9, 60).exp() > 0.999_999);
        assert_eq!(ln_binomial_at_least(20, 1.0, 20), 0.0);
        // Summed up and down alike: P(B ≥ 3) + P(B ≤ 2) = 1 for Bin(10, 0.3).
        let (at_least, at_most) = (
            ln_binomial_at_least(10, 0.3, 3).exp(),
            (0..=2).map(|k| ln_binomial(10, 0.3, k).exp()).sum::<f64>(),
        );
        assert!((at_least + at_most - 1.0).abs() < 1e-12);
        assert!((ln_factorial(300) - 1_414.905_52).abs() < 1e-3);
    }

    #[test]
    fn a_sorted_send_is_in_content_order_and_one_as_typed_is_not() {
        // Ten days of ten rows, three patterns, as they came.
        let mut x = 7u64;
        let typed: Vec<LogRow> = (0..100)
            .map(|i| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                day_row([1, 1, 1, 2, 2, 3][(x >> 33) as usize % 6], i / 10)
            })
            .collect();
        let mut sorted = typed.clone();
        sorted.sort_by_key(|r| (r.pattern, r.day));
        assert!(!in_content_order(&typed));
        assert!(in_content_order(&sorted));
        // Every row distinct: sorted or not, not in content order.
        let distinct: Vec<LogRow> = (0..50).map(|i| day_row(i, 1)).collect();
        assert!(!in_content_order(&distinct));
    }
}
