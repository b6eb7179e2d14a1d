//! A sheet of a workbook that copies another sheet's responses (docs/DOMAIN.md §1.11, "A
//! sheet copying another"): a unit's Google Sheets or Excel workbook holds the form's responses
//! and, beside them, its own working sheet (`Olah Data`, `Tabulasi`) with every response again,
//! the words turned into numbers for its NRR, without the time of day. The rows of such a sheet
//! are not respondents: counted, each respondent counts twice.
//!
//! A sheet is a copy when its rows, in order, are the rows of a run of another sheet of the same
//! file and unit: the same nine answers, and the same day where the copy has one. Nine answers a
//! row over `min` rows (the least block of a log sent again, `[kuesioner] blok_minimum`) do not
//! repeat in order by chance.

/// A row as compared: its nine answers (`None` blank) and its day (days since 1970), if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub answers: [Option<i32>; 9],
    pub day: Option<i32>,
}

/// The most rows compared before giving up (a sheet of one answer pattern throughout makes
/// every place a candidate): the copy is then not found, and counted, as before.
const MOST_COMPARED: usize = 50_000_000;

/// Where `copy`'s rows stand in `source`: the first place `o` such that every row `j` of `copy`
/// has the answers of `source[o + j]`, and its day when it has one. `None` when `copy` has
/// fewer than `min` rows or no place holds.
pub fn copied_at(source: &[Row], copy: &[Row], min: usize) -> Option<usize> {
    if copy.len() < min.max(1) || copy.len() > source.len() {
        return None;
    }
    let same = |s: &Row, c: &Row| s.answers == c.answers && c.day.is_none_or(|d| s.day == Some(d));
    let mut compared = 0usize;
    for o in 0..=source.len() - copy.len() {
        if !same(&source[o], &copy[0]) {
            continue;
        }
        let run = source[o..]
            .iter()
            .zip(copy)
            .take_while(|(s, c)| same(s, c))
            .count();
        compared += run;
        if run == copy.len() {
            return Some(o);
        }
        if compared > MOST_COMPARED {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(a: i32, day: Option<i32>) -> Row {
        Row {
            answers: [
                Some(a),
                Some(4),
                Some(3),
                None,
                Some(a),
                Some(2),
                Some(1),
                Some(4),
                Some(a),
            ],
            day,
        }
    }

    #[test]
    fn a_copy_is_a_run_of_the_source_in_order() {
        let source: Vec<Row> = (0..20).map(|k| row(k, Some(k))).collect();
        // The whole, without days; a run with its days; too short; a changed row; a wrong day.
        let whole: Vec<Row> = source.iter().map(|r| Row { day: None, ..*r }).collect();
        assert_eq!(copied_at(&source, &whole, 8), Some(0));
        assert_eq!(copied_at(&source, &source[5..15], 8), Some(5));
        assert_eq!(copied_at(&source, &source[5..10], 8), None);
        let mut changed = source[2..12].to_vec();
        changed[4].answers[0] = Some(9);
        assert_eq!(copied_at(&source, &changed, 8), None);
        let mut moved = source[2..12].to_vec();
        moved[0].day = Some(99);
        assert_eq!(copied_at(&source, &moved, 8), None);
    }
}
