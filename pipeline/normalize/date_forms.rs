//! One form, one locale, across an inbox's files (`domain::date_order::settle`): a
//! questionnaire sheet whose dates all fit both orders takes the order another export of the
//! same form showed. What each file needs (`plan`): read again in the other order when it was
//! assumed the other way, and its sheets' basis and source recorded (`record`). Used by a run
//! (`silver::date_orders`, which reads again through the cache) and by `normalize_files`
//! (`skm validate`).

use crate::domain::date_order::{settle, FormSheet};
use crate::domain::DateOrder;

use super::header::Field;
use super::{FileAccount, UrutanBasis};

/// What one file needs once every file's dates are known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilePlan {
    /// Read it again with this order for the dates that fit both: every sheet of it assumed
    /// the other way settles to it.
    pub again: Option<DateOrder>,
    /// Per sheet (by name): the order another file showed and that file's index, to record
    /// once the file is read in that order (`record`).
    pub settled: Vec<(String, DateOrder, usize)>,
}

/// An assumed sheet: its name, the order it was read in, whether it has a form tool's stamp
/// beside its date column (`stempel`), and what it settles to.
type Assumed<'a> = (&'a str, DateOrder, bool, Option<(DateOrder, usize)>);

/// Per file of `accounts` (`None`: a file not read), what it needs; `units[i]`: the units file
/// `i`'s responses are filed under, sorted (one form's exports settle together only when they
/// share a unit, `settle`).
pub fn plan(accounts: &[Option<&FileAccount>], units: &[Vec<String>]) -> Vec<FilePlan> {
    let mut at = Vec::new();
    let mut sheets = Vec::new();
    for (i, a) in accounts.iter().enumerate() {
        for (name, o) in a.map_or(&[][..], |a| &a.sheets[..]) {
            let (Some((order, basis)), Some(form)) = (o.date_order, o.form.as_deref()) else {
                continue;
            };
            // (A sheet whose title's period decided is neither evidence nor settled.)
            use UrutanBasis::{Diasumsikan, Ditemukan, SelTanggalDibalik};
            if !matches!(basis, Ditemukan | Diasumsikan | SelTanggalDibalik) {
                continue;
            }
            let found = basis != Diasumsikan;
            let stamp = o.mapping.iter().any(|(_, f)| f == Field::Stempel.name());
            at.push((i, name.as_str(), order, found, stamp));
            sheets.push(FormSheet {
                form,
                units: units.get(i).map_or(&[][..], |u| &u[..]),
                order,
                found,
                file: i,
            });
        }
    }
    let mut assumed: Vec<Vec<Assumed<'_>>> = vec![Vec::new(); accounts.len()];
    for ((i, name, order, found, stamp), s) in at.into_iter().zip(settle(&sheets)) {
        if !found {
            assumed[i].push((name, order, stamp, s));
        }
    }
    assumed.iter().map(|a| file_plan(a)).collect()
}

/// One file's plan from its assumed sheets. Read again when every one of them settles to one
/// order and that changes a reading: one was read the other way, or one has a form tool's
/// stamp (read in an order shown, a stamp gives the date of a row that left the date
/// question blank: `RowReader::stamp_date`). Otherwise only the sheets already read in the
/// order they settle to are recorded (a sheet that settles to the other order while another of
/// the file does not settle keeps its assumption).
fn file_plan(assumed: &[Assumed<'_>]) -> FilePlan {
    let settled: Vec<(String, DateOrder, usize)> = (assumed.iter())
        .filter_map(|(name, _, _, s)| s.map(|(o, j)| (name.to_string(), o, j)))
        .collect();
    let first = settled.first().map(|s| s.1);
    let one_order = settled.iter().all(|s| Some(s.1) == first);
    let changes =
        (assumed.iter()).any(|(_, read, stamp, s)| s.is_some_and(|(o, _)| o != *read || *stamp));
    if settled.len() == assumed.len() && one_order && changes {
        return FilePlan {
            again: first,
            settled,
        };
    }
    let as_read = |(name, o, _): &(String, DateOrder, usize)| {
        (assumed.iter()).any(|(n, read, stamp, _)| n == name && read == o && !stamp)
    };
    FilePlan {
        again: None,
        settled: settled.into_iter().filter(|s| as_read(s)).collect(),
    }
}

/// The distinct units of `ids`, sorted (`plan`'s `units`).
pub fn units_of<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let units: std::collections::BTreeSet<&str> = ids.collect();
    units.into_iter().map(str::to_string).collect()
}

/// Records in `account` the sheets `plan` settled that were read in the order settled (a
/// file read again, `FilePlan::again`, has them all): basis `berkas_lain`, and the file that
/// showed the order (`names[j]`).
pub fn record(account: &mut FileAccount, plan: &FilePlan, names: &[&str]) {
    for (name, order, j) in &plan.settled {
        let Some((_, o)) = account.sheets.iter_mut().find(|(n, _)| n == name) else {
            continue;
        };
        if o.date_order.is_some_and(|(read, b)| {
            read == *order && !matches!(b, UrutanBasis::Ditemukan | UrutanBasis::SelTanggalDibalik)
        }) {
            o.date_order = Some((*order, UrutanBasis::BerkasLain));
            o.date_order_from = names.get(*j).map(|n| n.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{SheetKind, SheetOutcome};
    use super::*;
    use DateOrder::{BulanHari as Md, HariBulan as Dm};

    fn sheet(
        name: &str,
        form: &str,
        order: DateOrder,
        basis: UrutanBasis,
    ) -> (String, SheetOutcome) {
        let mut o = SheetOutcome::of(SheetKind::Kuesioner);
        o.date_order = Some((order, basis));
        o.form = Some(form.to_string());
        (name.to_string(), o)
    }

    fn file(sheets: Vec<(String, SheetOutcome)>) -> FileAccount {
        FileAccount {
            file: String::new(),
            sheets,
            cara_baca: None,
        }
    }

    #[test]
    fn a_file_is_read_again_only_when_every_assumed_sheet_settles_to_one_order() {
        use UrutanBasis::{Diasumsikan as A, Ditemukan as F};
        let files = [
            // 0: the month's export (found month first) of form a, day-first found of form b.
            file(vec![sheet("", "a", Md, F)]),
            file(vec![sheet("", "b", Dm, F)]),
            // 2: a week of form a, assumed day first: read again month first.
            file(vec![sheet("", "a", Dm, A)]),
            // 3: a workbook with a sheet of form a and one of form b, both assumed day
            // first: not read again (b settles day first, a month first); b is recorded.
            file(vec![sheet("a1", "a", Dm, A), sheet("b1", "b", Dm, A)]),
            // 4: a sheet of form a and one of no known form: not read again, nothing recorded.
            file(vec![sheet("a1", "a", Dm, A), sheet("z", "z", Dm, A)]),
        ];
        let accounts: Vec<Option<&FileAccount>> = files.iter().map(Some).collect();
        let plans = plan(&accounts, &vec![vec!["u".to_string()]; files.len()]);
        assert_eq!(plans[0], FilePlan::default());
        assert_eq!(plans[1], FilePlan::default());
        assert_eq!(
            plans[2],
            FilePlan {
                again: Some(Md),
                settled: vec![(String::new(), Md, 0)],
            }
        );
        assert_eq!(
            plans[3],
            FilePlan {
                again: None,
                settled: vec![("b1".to_string(), Dm, 1)],
            }
        );
        assert_eq!(plans[4], FilePlan::default());
        // A sheet with a form tool's stamp beside its date question, assumed in the order
        // its form shows: read again all the same (its stamps read as in an order found).
        let mut stamped = sheet("", "a", Md, A);
        stamped.1.mapping = vec![("Timestamp".into(), "stempel".into())];
        let unstamped = file(vec![sheet("", "a", Md, A)]);
        let stamped = file(vec![stamped]);
        let two = [Some(&files[0]), Some(&unstamped), Some(&stamped)];
        let plans2 = plan(&two, &vec![vec!["u".to_string()]; 3]);
        assert_eq!(plans2[1].again, None);
        assert_eq!(plans2[1].settled, vec![(String::new(), Md, 0)]);
        assert_eq!(plans2[2].again, Some(Md));
        // Files of no shared unit settle nothing.
        let apart = plan(
            &two,
            &[vec!["u".into()], vec!["v".into()], vec!["w".into()]],
        );
        assert_eq!(apart, vec![FilePlan::default(); 3]);
        // Recorded once read in the order settled: the file named.
        let mut again = file(vec![sheet("", "a", Md, A)]);
        record(&mut again, &plans[2], &["bulan.csv", "b.csv", "minggu.csv"]);
        assert_eq!(
            again.sheets[0].1.date_order,
            Some((Md, UrutanBasis::BerkasLain))
        );
        assert_eq!(
            again.sheets[0].1.date_order_from.as_deref(),
            Some("bulan.csv")
        );
        // Not read in it (still day first): not recorded.
        let mut as_was = file(vec![sheet("", "a", Dm, A)]);
        record(&mut as_was, &plans[2], &["bulan.csv"]);
        assert_eq!(as_was.sheets[0].1.date_order, Some((Dm, A)));
    }
}
