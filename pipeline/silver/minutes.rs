//! A response to the minute in one file and to the second in another (docs/DOMAIN.md §1.11,
//! "The same response twice", step 5 of `duplicates`): a form's export re-saved by a
//! spreadsheet that shows its timestamps to the minute (`15/01/2024 10:23`) holds the rows of
//! the export it was made from (`15/01/2024 10:23:45`), their identities (`kunci`, of the time
//! of day as written) and moments different. Such rows are one response when they are of two
//! files, at one unit, date and `HH:MM`, and equal in every other field, and no file holds
//! both (a row's copies not counted by the other rules are its file's too: a file's own rows
//! are its own respondents).
//!
//! A pass holds every moment of a minute (`early::shard_of` shards by `HH:MM`). Where a pass
//! has rows of both precisions, the rows of the minutes holding both (`meeting`) are matched by
//! the other rules apart from the rest, and those still counted are kept for `pair`, which
//! reads their fields back (`duplicates` gives the reader: the identity of each row with its
//! time of day cut to `HH:MM`) and pairs them one to one. A pass of rows all to the second (or
//! all to the minute) does none of this: its cost is a bit or'ed per row.
//!
//! Memory: the rows kept for `pair` are those of the minutes where precisions meet, of every
//! pass (48 bytes each, in one vector, and a byte each while identities are read back): none
//! where no file to the minute meets one to the second, the overlap of the two exports where
//! one does (a 3M-row year to the minute beside its first 2M to the second: 507 MiB peak).

use anyhow::Result;

use super::keys::{minute_of, Keyed, Spot};

/// Moves out of `keyed` (into `meet`) the rows of the minutes where a row to the minute and a
/// row to the second both are (`minute_of`): whole moments, so that each side is matched by
/// the other rules as the whole pass would be.
pub(super) fn meeting(keyed: &mut Vec<Keyed>, meet: &mut Vec<Keyed>) {
    let mut minutes: Vec<u128> = (keyed.iter())
        .filter(|k| k.minute())
        .map(|k| minute_of(k.moment))
        .collect();
    minutes.sort_unstable();
    minutes.dedup();
    let mut met = vec![false; minutes.len()];
    for k in keyed.iter().filter(|k| k.second()) {
        if let Ok(i) = minutes.binary_search(&minute_of(k.moment)) {
            met[i] = true;
        }
    }
    let meets = |k: &Keyed| {
        (k.minute() || k.second())
            && (minutes.binary_search(&minute_of(k.moment))).is_ok_and(|i| met[i])
    };
    meet.extend(keyed.iter().filter(|k| meets(k)));
    keyed.retain(|k| !meets(k));
}

/// The rows still counted after steps 2–4 at the minutes where precisions meet (`meeting`),
/// and the copies not counted for them in other files (row counted, file of the copy): a row
/// and its copies are one response, held by each of their files.
#[derive(Debug, Default)]
pub(super) struct Met {
    pub rows: Vec<Keyed>,
    pub copies: Vec<(Spot, u32)>,
}

/// The identities at the minute of one file's rows at the places given (sorted), each given to
/// `found` as it is read (`duplicates` reads them back from silver).
pub(super) type Identities<'a> =
    dyn FnMut(usize, &[Spot], &mut dyn FnMut(Spot, u128)) -> Result<()> + 'a;

/// Pairs the rows to the minute with the rows to the second of another file, at one minute
/// and equal in every other field (their identities at the minute, from `identities`), one to
/// one: at each minute and identity, the rows to the minute in order of file preference
/// (`rank`, then order read), each with the first row to the second not yet paired (in the
/// same order) whose response no file holds with its own (`Met::copies`: two rows of one file
/// are two respondents). Of a pair, the row of the more preferred file counts. Returns (row not
/// counted, row counted). `met`: every pass's.
///
/// Memory: `met`'s rows, worked in place (sorted, kept, their `kunci` replaced by the identity
/// at the minute), and a byte a row; no copy of them, no map (a year's export to the minute
/// beside half of it to the second: millions of rows).
pub(super) fn pair(
    met: Met,
    rank: &[usize],
    identities: &mut Identities<'_>,
) -> Result<Vec<(Spot, Spot)>> {
    let rank_of = |k: &Keyed| rank[k.place.file as usize];
    let mut copies = met.copies;
    copies.sort_unstable();
    // The files holding a row's response: its own, and its copies'.
    let files = |k: &Keyed| {
        let place = k.place;
        let at = copies.partition_point(|c| c.0 < place);
        let more = copies[at..].iter().take_while(move |c| c.0 == place);
        std::iter::once(place.file).chain(more.map(|c| c.1))
    };
    let apart = |a: &Keyed, b: &Keyed| !files(a).any(|f| files(b).any(|g| g == f));
    let mut rows = met.rows;
    keep_meeting(&mut rows, rank);
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    at_the_minute(&mut rows, identities)?;
    rows.sort_unstable_by_key(|k| (minute_of(k.moment), k.kunci, rank_of(k), k.seq));
    let mut out = Vec::new();
    for group in
        rows.chunk_by(|a, b| (minute_of(a.moment), a.kunci) == (minute_of(b.moment), b.kunci))
    {
        let (minutes, seconds): (Vec<&Keyed>, Vec<&Keyed>) = group.iter().partition(|k| k.minute());
        let mut taken = vec![false; seconds.len()];
        for m in minutes {
            let free = (0..seconds.len()).find(|&j| !taken[j] && apart(m, seconds[j]));
            let Some(j) = free else { continue };
            taken[j] = true;
            let s = seconds[j];
            out.push(match rank_of(m) < rank_of(s) {
                true => (s.place, m.place),
                false => (m.place, s.place),
            });
        }
    }
    Ok(out)
}

/// Keeps, in place, the rows of the minutes where a row to the minute and a row to the second
/// of another file are left.
fn keep_meeting(rows: &mut Vec<Keyed>, rank: &[usize]) {
    rows.sort_unstable_by_key(|k| (minute_of(k.moment), rank[k.place.file as usize], k.seq));
    let (mut kept, mut at) = (0, 0);
    while at < rows.len() {
        let minute = minute_of(rows[at].moment);
        let len = rows[at..].partition_point(|k| minute_of(k.moment) == minute);
        let group = &rows[at..at + len];
        let mut files = group.iter().filter(|k| k.minute()).map(|k| k.place.file);
        let seconds = |f: u32| group.iter().any(|k| k.second() && k.place.file != f);
        if files.any(seconds) {
            rows.copy_within(at..at + len, kept);
            kept += len;
        }
        at += len;
    }
    rows.truncate(kept);
}

/// Sets each row's `kunci` to its identity at the minute and drops the rows none was found
/// for. A row to the minute has it already (its `kunci` is of its `HH:MM`); a row to the second
/// has it read back (`identities`, a file at a time, the rows sorted by place).
fn at_the_minute(rows: &mut Vec<Keyed>, identities: &mut Identities<'_>) -> Result<()> {
    rows.sort_unstable_by_key(|k| (!k.second(), k.place));
    let seconds = rows.partition_point(|k| k.second());
    let mut found = vec![true; rows.len()];
    found[..seconds].fill(false);
    let mut from = 0;
    while from < seconds {
        let file = rows[from].place.file;
        let len = rows[from..seconds].partition_point(|k| k.place.file == file);
        let run = &mut rows[from..from + len];
        let places: Vec<Spot> = run.iter().map(|k| k.place).collect();
        let seen = &mut found[from..from + len];
        identities(file as usize, &places, &mut |place, id| {
            if let Ok(i) = places.binary_search(&place) {
                run[i].kunci = id;
                seen[i] = true;
            }
        })?;
        from += len;
    }
    let mut seen = found.into_iter();
    rows.retain(|_| seen.next().unwrap_or(false));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::keys::moment_of;
    use super::*;

    /// A row of `file` (its `row`, read `seq`-th) at unit 7, day 19,000 and time `jam`, its
    /// identity `kunci`.
    fn row(file: u32, row: u32, jam: &str, kunci: u128) -> Keyed {
        Keyed {
            place: Spot {
                file,
                sheet: 0,
                row,
            },
            seq: row,
            kunci,
            moment: moment_of(7, Some(19_000), jam.as_bytes()),
        }
    }

    #[test]
    fn the_minutes_where_precisions_meet_are_moved_out_whole() {
        let mut keyed = vec![
            row(0, 1, "10:23:12", 1),
            row(0, 2, "10:23:48", 2),
            row(1, 1, "10:23", 3),
            // Alone in their minutes: a row to the second, a row to the minute.
            row(0, 3, "10:24:05", 4),
            row(1, 2, "10:25", 5),
            // At another day.
            Keyed {
                moment: moment_of(7, Some(19_001), b"10:23:12"),
                ..row(0, 4, "", 6)
            },
        ];
        let mut meet = Vec::new();
        meeting(&mut keyed, &mut meet);
        let rows = |k: &[Keyed]| k.iter().map(|k| k.kunci).collect::<Vec<_>>();
        assert_eq!(rows(&meet), [1, 2, 3]);
        assert_eq!(rows(&keyed), [4, 5, 6]);
    }

    /// Rows to the second of file 0 (10:23:12 and 10:23:48), to the minute of file 1 (twice
    /// 10:23): each identity at the minute given by `minute_id` (a row to the minute's is its
    /// `kunci`; only the rows to the second are read back).
    fn pairs(rank: &[usize], minute_id: &dyn Fn(Spot) -> u128) -> Vec<(Spot, Spot)> {
        let counted = Met {
            rows: vec![
                row(0, 1, "10:23:12", 1),
                row(0, 2, "10:23:48", 2),
                row(1, 1, "10:23", minute_id(at(1, 1))),
                row(1, 2, "10:23", minute_id(at(1, 2))),
            ],
            copies: Vec::new(),
        };
        let mut asked = Vec::new();
        let mut ids = |file: usize, places: &[Spot], found: &mut dyn FnMut(Spot, u128)| {
            asked.push(file);
            places.iter().for_each(|p| found(*p, minute_id(*p)));
            Ok(())
        };
        let out = pair(counted, rank, &mut ids).unwrap();
        assert_eq!(asked, [0]);
        out
    }

    fn at(file: u32, row: u32) -> Spot {
        Spot {
            file,
            sheet: 0,
            row,
        }
    }

    #[test]
    fn rows_to_the_minute_pair_one_to_one_and_the_preferred_file_counts() {
        let same = |_: Spot| 9;
        // File 1 preferred: file 0's two rows are its copies, the first of the first.
        let want = vec![(at(0, 1), at(1, 1)), (at(0, 2), at(1, 2))];
        assert_eq!(pairs(&[1, 0], &same), want);
        // File 0 preferred: file 1's rows are the copies.
        let want = vec![(at(1, 1), at(0, 1)), (at(1, 2), at(0, 2))];
        assert_eq!(pairs(&[0, 1], &same), want);
        // Other answers at 10:23:48: one pair.
        let other = |p: Spot| if p == at(0, 2) { 8 } else { 9 };
        assert_eq!(pairs(&[1, 0], &other), vec![(at(0, 1), at(1, 1))]);
    }

    #[test]
    fn rows_of_one_file_never_pair() {
        let counted = Met {
            rows: vec![row(3, 1, "10:23:12", 1), row(3, 2, "10:23", 2)],
            copies: Vec::new(),
        };
        let mut ids = |_: usize, _: &[Spot], _: &mut dyn FnMut(Spot, u128)| -> Result<()> {
            panic!("nothing to read back where no file meets another")
        };
        assert!(pair(counted, &[0, 0, 0, 0], &mut ids).unwrap().is_empty());
        // A row to the second of file 0 whose copy in file 3 was not counted, and a row to the
        // minute of file 3: file 3 holds both, two respondents.
        let counted = Met {
            rows: vec![row(0, 1, "10:23:12", 1), row(3, 2, "10:23", 9)],
            copies: vec![(at(0, 1), 3)],
        };
        let mut ids = |_: usize, p: &[Spot], found: &mut dyn FnMut(Spot, u128)| {
            p.iter().for_each(|p| found(*p, 9));
            Ok(())
        };
        assert!(pair(counted, &[0, 1, 2, 3], &mut ids).unwrap().is_empty());
        // Without that copy, one response.
        let counted = Met {
            rows: vec![row(0, 1, "10:23:12", 1), row(3, 2, "10:23", 9)],
            copies: vec![(at(0, 1), 2)],
        };
        let pairs = pair(counted, &[0, 1, 2, 3], &mut ids).unwrap();
        assert_eq!(pairs, vec![(at(3, 2), at(0, 1))]);
    }
}
