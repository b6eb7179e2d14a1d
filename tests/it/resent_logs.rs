//! A unit's growing log of paper questionnaires, typed into one Excel sheet with a date and no
//! time of day, sent again each month (issue 27): every response counts once. The rows of an
//! earlier send are found in a later one by their order (docs/DOMAIN.md §1.11, "A log sent
//! again"); corrections count as revisions, rows deleted from the later send are gone, rows
//! inserted count; unrelated logs that share a few identical rows, and identical rows in one
//! sheet, all count. Nightly runs as the sends arrive equal a full run, on 1, 2 and 4 workers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{full_snapshot, read};
use crate::resubmissions::{
    accounts, duplicates, figures, figures_of, first, form, medansatria_n, revised, run, set_age,
};
use skm::gen::demo::waves;
use skm::gen::{exact_wave, wave_table, write_xlsx, HeaderStyle, Table, WaveLayout};

/// The unit's log: 1,001 responses at Medansatria, October–November 2024, dates only.
fn log() -> Table {
    form(false)
}

/// Another 1,000 respondents of the same unit and months (another counter's log).
fn other_log() -> Table {
    let w = &waves().unwrap()[1];
    wave_table(
        &exact_wave(w.nrr_milli, 11),
        &WaveLayout {
            style: HeaderStyle::Codes,
            unit_column: Some("Kec. Medan Satria".into()),
            periode_column: None,
            months: vec![(2024, 10), (2024, 11)],
            timestamps: false,
            title: vec![],
            profile: true,
            seed: 11,
        },
    )
}

/// The rows of `t` in the given ranges, in that order.
fn pick(t: &Table, ranges: &[std::ops::Range<usize>]) -> Table {
    Table {
        title: t.title.clone(),
        header: t.header.clone(),
        rows: ranges
            .iter()
            .flat_map(|r| t.rows[r.clone()].iter().cloned())
            .collect(),
    }
}

/// A send: a workbook of one sheet `Log`, modified `age` seconds ago.
struct Send<'a> {
    name: &'a str,
    table: Table,
    age: u64,
}

fn put_xlsx(path: &Path, t: &Table, age: u64) {
    write_xlsx(path, &[("Log", t)]).unwrap();
    set_age(path, age);
}

/// The sends arrive one a night, each run incremental into one output; then the full run of
/// the last inbox on 1, 2 and 4 workers. All must agree; returns the output.
fn nights(tmp: &Path, sends: &[Send<'_>]) -> PathBuf {
    let inbox = tmp.join("inbox");
    let out = tmp.join("out");
    for s in sends {
        put_xlsx(&inbox.join(s.name), &s.table, s.age);
        run(&inbox, &out, false, 2);
    }
    for w in [1, 2, 4] {
        let full = tmp.join(format!("full-{w}"));
        run(&inbox, &full, true, w);
        assert_eq!(
            full_snapshot(&out),
            full_snapshot(&full),
            "nightly runs against a full run on {w} workers"
        );
    }
    out
}

/// The `duplikat` rows per (file, kind), whatever file counts.
fn kinds(out: &Path) -> BTreeMap<(String, String), usize> {
    let mut m = BTreeMap::new();
    for ((f, j, _), n) in duplicates(out) {
        *m.entry((f, j)).or_insert(0) += n;
    }
    m
}

fn key(f: &str, j: &str) -> (String, String) {
    (f.to_string(), j.to_string())
}

const DAY: u64 = 86_400;

#[test]
fn a_monthly_log_sent_three_times_each_longer_counts_once() {
    let tmp = tempfile::tempdir().unwrap();
    let all = log();
    let out = nights(
        tmp.path(),
        &[
            Send {
                name: "log-oktober.xlsx",
                table: first(&all, 300),
                age: 3 * DAY,
            },
            Send {
                name: "log-november.xlsx",
                table: first(&all, 650),
                age: 2 * DAY,
            },
            Send {
                name: "log-desember.xlsx",
                table: all.clone(),
                age: DAY,
            },
        ],
    );
    // Was 1,951 (each send counted again); now the log's 1,001, with the figures of the last
    // send alone.
    assert_eq!(all.rows.len(), 1001);
    assert_eq!(medansatria_n(&figures(&out)), Some(1001));
    assert_eq!(figures(&out), figures_of(&[("log.csv", &all)]));
    let d = duplicates(&out);
    assert_eq!(
        d,
        BTreeMap::from([
            (
                (
                    "log-november.xlsx".into(),
                    "dikirim_ulang".into(),
                    "log-desember.xlsx".into()
                ),
                650
            ),
            (
                (
                    "log-oktober.xlsx".into(),
                    "dikirim_ulang".into(),
                    "log-desember.xlsx".into()
                ),
                300
            ),
        ])
    );
    let a = accounts(&out);
    for f in ["log-oktober.xlsx", "log-november.xlsx"] {
        assert_eq!(a[f].5.as_deref(), Some("log-desember.xlsx"), "{f}");
    }
    assert_eq!(a["log-desember.xlsx"].5, None);
    // Each row of an earlier send names the row that counts, the same row of the log.
    let t = read(&out.join("duplikat.parquet"));
    let (src, row, counted) = (
        t.str("source_file"),
        t.i64("source_row"),
        t.i64("dihitung_row"),
    );
    for i in 0..t.len() {
        assert_eq!(row[i], counted[i], "{:?}", src[i]);
    }
}

#[test]
fn corrections_in_later_sends_count_as_revisions() {
    let tmp = tempfile::tempdir().unwrap();
    let all = log();
    // November's send corrects five rows (0, 37, …, 148) of the October rows; December's
    // keeps those and corrects three more (185, 222, 259).
    let (nov, _) = revised(&first(&all, 700), 5);
    let (dec, changed) = revised(&all, 8);
    let out = nights(
        tmp.path(),
        &[
            Send {
                name: "log-oktober.xlsx",
                table: first(&all, 400),
                age: 3 * DAY,
            },
            Send {
                name: "log-november.xlsx",
                table: nov,
                age: 2 * DAY,
            },
            Send {
                name: "log-desember.xlsx",
                table: dec.clone(),
                age: DAY,
            },
        ],
    );
    assert_eq!(figures(&out), figures_of(&[("log.csv", &dec)]));
    assert_eq!(
        kinds(&out),
        BTreeMap::from([
            (key("log-november.xlsx", "dikirim_ulang"), 697),
            (key("log-november.xlsx", "revisi"), 3),
            (
                key("log-oktober.xlsx", "dikirim_ulang"),
                400 - changed.len()
            ),
            (key("log-oktober.xlsx", "revisi"), changed.len()),
        ])
    );
    // A revision says what changed.
    let t = read(&out.join("duplikat.parquet"));
    let (j, p) = (t.str("jenis"), t.str("perubahan"));
    for i in (0..t.len()).filter(|&i| j[i].as_deref() == Some("revisi")) {
        let p = p[i].clone().unwrap();
        assert!(p.starts_with("persyaratan: "), "{p}");
    }
}

#[test]
fn rows_deleted_and_inserted_in_the_middle_of_a_later_send() {
    let tmp = tempfile::tempdir().unwrap();
    let all = log();
    // The later send: rows 200–214 deleted, ten rows typed in after row 499, then 300 more.
    let later = pick(&all, &[0..200, 215..500, 800..810, 500..800]);
    let out = nights(
        tmp.path(),
        &[
            Send {
                name: "log-tw4-a.xlsx",
                table: first(&all, 500),
                age: 2 * DAY,
            },
            Send {
                name: "log-tw4-b.xlsx",
                table: later.clone(),
                age: DAY,
            },
        ],
    );
    assert_eq!(medansatria_n(&figures(&out)), Some(795));
    assert_eq!(figures(&out), figures_of(&[("log.csv", &later)]));
    assert_eq!(
        kinds(&out),
        BTreeMap::from([
            (key("log-tw4-a.xlsx", "dihapus"), 15),
            (key("log-tw4-a.xlsx", "dikirim_ulang"), 485),
        ])
    );
    let a = accounts(&out);
    assert_eq!(a["log-tw4-a.xlsx"].5.as_deref(), Some("log-tw4-b.xlsx"));
}

#[test]
fn unrelated_logs_sharing_a_few_identical_rows_and_identical_rows_in_one_sheet_all_count() {
    let tmp = tempfile::tempdir().unwrap();
    let a = first(&log(), 400);
    // Another counter's log of the same unit and days, with five consecutive rows identical to
    // the first log's (same days, same answers) and one row typed twice.
    let mut b = first(&other_log(), 400);
    b.rows[100..105].clone_from_slice(&a.rows[100..105]);
    b.rows.insert(201, b.rows[200].clone());
    let out = nights(
        tmp.path(),
        &[
            Send {
                name: "loket-1.xlsx",
                table: a,
                age: 2 * DAY,
            },
            Send {
                name: "loket-2.xlsx",
                table: b,
                age: DAY,
            },
        ],
    );
    assert_eq!(medansatria_n(&figures(&out)), Some(801));
    assert_eq!(read(&out.join("duplikat.parquet")).len(), 0);
}

/// A small unit's log: six rows, then sent again with four more. Shorter than a block, it was
/// never matched (16 counted); the whole earlier send at the start of the later one is its
/// beginning: 10.
#[test]
fn a_small_log_sent_again_longer_counts_once() {
    let tmp = tempfile::tempdir().unwrap();
    let all = log();
    let out = nights(
        tmp.path(),
        &[
            Send {
                name: "log-minggu-1.xlsx",
                table: first(&all, 6),
                age: 2 * DAY,
            },
            Send {
                name: "log-minggu-2.xlsx",
                table: first(&all, 10),
                age: DAY,
            },
        ],
    );
    assert_eq!(medansatria_n(&figures(&out)), Some(10));
    assert_eq!(
        kinds(&out),
        BTreeMap::from([(key("log-minggu-1.xlsx", "dikirim_ulang"), 6)])
    );
}

/// Two counters' logs of one unit with a block of rows copied from one into the other (long
/// enough to be taken for a log sent again): the copied rows count once, and every other row
/// of both logs counts. The rows on either side of the block, on the same days, were paired
/// one by one as revisions (`revisi`) and dropped.
#[test]
fn two_logs_sharing_a_copied_block_keep_every_other_row() {
    let tmp = tempfile::tempdir().unwrap();
    let a = first(&log(), 400);
    let mut b = first(&other_log(), 400);
    b.rows[150..180].clone_from_slice(&a.rows[150..180]);
    let out = nights(
        tmp.path(),
        &[
            Send {
                name: "loket-1.xlsx",
                table: a,
                age: 2 * DAY,
            },
            Send {
                name: "loket-2.xlsx",
                table: b,
                age: DAY,
            },
        ],
    );
    assert_eq!(medansatria_n(&figures(&out)), Some(770));
    let k = kinds(&out);
    assert_eq!(k.values().sum::<usize>(), 30, "{k:?}");
    assert!(k.keys().all(|(_, j)| j == "dikirim_ulang"), "{k:?}");
}

#[test]
fn a_later_send_kept_as_another_sheet_of_the_same_workbook_counts_once() {
    let tmp = tempfile::tempdir().unwrap();
    let all = log();
    let inbox = tmp.path().join("inbox");
    let (okt, nov) = (first(&all, 300), first(&all, 650));
    write_xlsx(
        &inbox.join("log-skm.xlsx"),
        &[("Oktober", &okt), ("November", &nov)],
    )
    .unwrap();
    let out = tmp.path().join("out");
    run(&inbox, &out, true, 2);
    assert_eq!(figures(&out), figures_of(&[("log.csv", &nov)]));
    let t = read(&out.join("duplikat.parquet"));
    assert_eq!(t.len(), 300);
    assert!(t
        .str("sheet")
        .iter()
        .all(|s| s.as_deref() == Some("Oktober")));
    assert!(t
        .str("dihitung_sheet")
        .iter()
        .all(|s| s.as_deref() == Some("November")));
}

#[test]
fn validate_and_the_closing_summary_say_which_rows_are_a_log_sent_again() {
    let tmp = tempfile::tempdir().unwrap();
    let all = log();
    let inbox = tmp.path().join("inbox");
    put_xlsx(&inbox.join("log-oktober.xlsx"), &first(&all, 300), 2 * DAY);
    let next = tmp.path().join("log-november.xlsx");
    put_xlsx(&next, &first(&all, 650), DAY);
    let o = crate::common::skm(
        &[
            "validate",
            next.to_str().unwrap(),
            "--inbox",
            inbox.to_str().unwrap(),
        ],
        &[],
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(
        text.contains("300 of 650 rows sheet 'Log' without a time of day"),
        "{text}"
    );
    assert!(
        text.contains("log-oktober.xlsx sheet 'Log' sent again"),
        "{text}"
    );
    // The night's run says it in its closing summary and its --json.
    std::fs::rename(&next, inbox.join("log-november.xlsx")).unwrap();
    let out = tmp.path().join("out");
    let o = crate::common::skm(
        &[
            "run",
            "--inbox",
            inbox.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("not counted: 300 dikirim_ulang (rows of an earlier send"),
        "{text}"
    );
    let j = run(&inbox, &out, false, 2);
    assert_eq!(j["duplicates_by_kind"]["dikirim_ulang"].as_u64(), Some(300));
    assert_eq!(j["duplicates"].as_u64(), Some(300));
}

#[test]
fn sends_copied_in_at_the_same_moment_count_once_from_the_longest() {
    // Copied into the inbox together (one modification time): the longer send is the later.
    let tmp = tempfile::tempdir().unwrap();
    let all = log();
    let inbox = tmp.path().join("inbox");
    for (name, n) in [("a.xlsx", 650), ("b.xlsx", 1001), ("c.xlsx", 300)] {
        put_xlsx(&inbox.join(name), &first(&all, n), DAY);
    }
    let out = tmp.path().join("out");
    run(&inbox, &out, true, 2);
    assert_eq!(figures(&out), figures_of(&[("log.csv", &all)]));
    assert_eq!(
        kinds(&out),
        BTreeMap::from([
            (key("a.xlsx", "dikirim_ulang"), 650),
            (key("c.xlsx", "dikirim_ulang"), 300),
        ])
    );
}

/// The log sent first as a workbook (date cells) and again, longer, as a CSV whose dates carry a
/// midnight time (`2024-10-15 00:00:00`, as a date-only column saved as CSV writes it): still
/// one log without times, counted once. The midnight was read as a time of day, so the CSV's
/// rows had identities, the workbook's did not, and neither rule matched them: 1,651 counted.
#[test]
fn a_log_resent_as_csv_with_midnight_times_counts_once() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let all = log();
    put_xlsx(&inbox.join("log-oktober.xlsx"), &first(&all, 650), 2 * DAY);
    let mut later = all.clone();
    for row in &mut later.rows {
        for v in row.iter_mut() {
            if let skm::gen::Val::Date(y, m, d) = *v {
                *v = skm::gen::Val::text(format!("{y}-{m:02}-{d:02} 00:00:00"));
            }
        }
    }
    // A time typed on one row of the rows only the later send has: still a log of dates.
    if let skm::gen::Val::Text(t) = &mut later.rows[900][2] {
        *t = t.replace("00:00:00", "09:30:00");
    }
    let csv = inbox.join("log-november.csv");
    skm::gen::write_csv(&csv, &later, b',', false).unwrap();
    set_age(&csv, DAY);
    let out = tmp.path().join("out");
    run(&inbox, &out, true, 2);
    assert_eq!(medansatria_n(&figures(&out)), Some(1001));
    assert_eq!(figures(&out), figures_of(&[("log.csv", &all)]));
    let silver = crate::common::read_silver(&out, 2024);
    let timed = silver.str("jam").iter().filter(|j| j.is_some()).count();
    assert_eq!(timed, 1);
}

/// `t`'s rows sorted by the text of column `h` (stable), as a unit sorting its sheet by name.
fn sorted_by(t: &Table, h: &str) -> Table {
    let c = t.header.iter().position(|x| x == h).unwrap();
    let text = |v: &skm::gen::Val| match v {
        skm::gen::Val::Text(s) => s.clone(),
        other => format!("{other:?}"),
    };
    let mut t = t.clone();
    t.rows.sort_by_key(|r| text(&r[c]));
    t
}

/// The log sent again sorted by the respondents' names (Responden 1, Responden 10, …): the
/// alignment finds only the runs that kept their order (Responden 100–109 …), and 99 October
/// rows counted twice (1,100); the October send is contained in the later one as a multiset of
/// rows (docs/DOMAIN.md §1.11, "In another order"): 1,001, each October row naming its
/// respondent's row.
#[test]
fn a_later_send_sorted_by_name_counts_once() {
    let tmp = tempfile::tempdir().unwrap();
    let all = log();
    let later = sorted_by(&all, "Nama Responden");
    let out = nights(
        tmp.path(),
        &[
            Send {
                name: "log-oktober.xlsx",
                table: first(&all, 400),
                age: 2 * DAY,
            },
            Send {
                name: "log-november.xlsx",
                table: later.clone(),
                age: DAY,
            },
        ],
    );
    assert_eq!(medansatria_n(&figures(&out)), Some(1001));
    assert_eq!(figures(&out), figures_of(&[("log.csv", &later)]));
    assert_eq!(
        kinds(&out),
        BTreeMap::from([(key("log-oktober.xlsx", "dikirim_ulang"), 400)])
    );
    let a = accounts(&out);
    assert_eq!(
        a["log-oktober.xlsx"].5.as_deref(),
        Some("log-november.xlsx")
    );
    // Each October row names the later row of its respondent (the sheet's row 1 is the
    // header).
    let t = read(&out.join("duplikat.parquet"));
    let (row, counted) = (t.i64("source_row"), t.i64("dihitung_row"));
    let c = all
        .header
        .iter()
        .position(|h| h == "Nama Responden")
        .unwrap();
    let name =
        |t: &Table, sheet_row: Option<i64>| t.rows[sheet_row.unwrap() as usize - 2][c].clone();
    for i in 0..t.len() {
        assert_eq!(
            name(&all, row[i]),
            name(&later, counted[i]),
            "row {:?}",
            row[i]
        );
    }
}

/// The log sent again with a block of rows moved (rows 100–199 typed after row 399) and one
/// row in seven of the first 400 corrected (the first answer): the corrections are revisions,
/// every other October row the same row. It was 1,401 counted.
#[test]
fn a_later_send_with_a_moved_block_and_a_correction_every_seven_rows_counts_once() {
    let tmp = tempfile::tempdir().unwrap();
    let all = log();
    let u = all.header.iter().position(|h| h == "U1").unwrap();
    let mut fixed = all.clone();
    let mut changed = 0;
    for i in (3..400).step_by(7) {
        if let skm::gen::Val::Num(s) = fixed.rows[i][u] {
            fixed.rows[i][u] = skm::gen::Val::Num((s as i64 % 4 + 1) as f64);
            changed += 1;
        }
    }
    let later = pick(&fixed, &[0..100, 200..400, 100..200, 400..1001]);
    let inbox = tmp.path().join("inbox");
    put_xlsx(&inbox.join("log-oktober.xlsx"), &first(&all, 400), 2 * DAY);
    put_xlsx(&inbox.join("log-november.xlsx"), &later, DAY);
    let out = tmp.path().join("out");
    run(&inbox, &out, true, 2);
    assert_eq!(medansatria_n(&figures(&out)), Some(1001));
    assert_eq!(figures(&out), figures_of(&[("log.csv", &later)]));
    assert_eq!(
        kinds(&out),
        BTreeMap::from([
            (key("log-oktober.xlsx", "dikirim_ulang"), 400 - changed),
            (key("log-oktober.xlsx", "revisi"), changed),
        ])
    );
    let t = read(&out.join("duplikat.parquet"));
    let (j, p) = (t.str("jenis"), t.str("perubahan"));
    for i in (0..t.len()).filter(|&i| j[i].as_deref() == Some("revisi")) {
        let p = p[i].clone().unwrap();
        assert!(p.starts_with("persyaratan: "), "{p}");
    }
}

/// `t` as a unit whose respondents answer alike: every answer of a row 3, or every answer 4
/// (one row in `four`), and one profile for all.
fn narrow(t: &Table, four: usize, seed: usize) -> Table {
    let mut t = t.clone();
    let col = |h: &str| t.header.iter().position(|x| x == h).unwrap();
    let answers: Vec<usize> = (1..=9).map(|k| col(&format!("U{k}"))).collect();
    let profile = [
        (col("Jenis Kelamin"), skm::gen::Val::text("Perempuan")),
        (col("Umur"), skm::gen::Val::Num(40.0)),
        (col("Pendidikan"), skm::gen::Val::text("SMA")),
        (col("Pekerjaan"), skm::gen::Val::text("Swasta")),
    ];
    let layanan = col("Jenis Layanan");
    let mut x = (seed as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for r in t.rows.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let s = if x.is_multiple_of(four as u64) {
            4.0
        } else {
            3.0
        };
        for &c in &answers {
            r[c] = skm::gen::Val::Num(s);
        }
        for (c, v) in &profile {
            r[*c] = v.clone();
        }
        r[layanan] = skm::gen::Val::text("KTP");
    }
    t
}

/// Two counters' logs of one unit, the same days and sizes, whose respondents answer alike
/// (all 3s, or all 4s one time in two or in five; one profile): most rows of one equal a row
/// of the other on the same day (344 of 400, one in two), as chance gives such a unit, and
/// they are not taken for a log sent again: every row counts (without the chance model, 400:
/// the first log's rows dropped).
#[test]
fn two_counters_logs_of_a_unit_answering_alike_all_count() {
    for four in [2, 5] {
        let tmp = tempfile::tempdir().unwrap();
        let a = narrow(&first(&log(), 400), four, 1);
        let b = narrow(&first(&other_log(), 400), four, 2);
        let inbox = tmp.path().join("inbox");
        put_xlsx(&inbox.join("loket-1.xlsx"), &a, 2 * DAY);
        put_xlsx(&inbox.join("loket-2.xlsx"), &b, DAY);
        let out = tmp.path().join("out");
        run(&inbox, &out, true, 2);
        assert_eq!(
            medansatria_n(&figures(&out)),
            Some(800),
            "one in {four}: {:?}",
            kinds(&out)
        );
        assert_eq!(
            read(&out.join("duplikat.parquet")).len(),
            0,
            "one in {four}"
        );
    }
}

/// A small unit's log of 14 rows sent again with its row 6 corrected and six rows more: no block
/// of equal rows long enough on either side of the correction, so all 14 counted again (34);
/// contained in the later send, 13 are the same rows and row 6 a revision: 20.
#[test]
fn a_small_log_sent_again_with_a_correction_in_the_middle_counts_once() {
    let tmp = tempfile::tempdir().unwrap();
    let all = log();
    let mut later = first(&all, 20);
    let u = all.header.iter().position(|h| h == "U1").unwrap();
    if let skm::gen::Val::Num(s) = later.rows[6][u] {
        later.rows[6][u] = skm::gen::Val::Num((s as i64 % 4 + 1) as f64);
    }
    let inbox = tmp.path().join("inbox");
    put_xlsx(&inbox.join("log-minggu-2.xlsx"), &first(&all, 14), 2 * DAY);
    put_xlsx(&inbox.join("log-minggu-4.xlsx"), &later, DAY);
    let out = tmp.path().join("out");
    run(&inbox, &out, true, 2);
    assert_eq!(medansatria_n(&figures(&out)), Some(20));
    assert_eq!(
        kinds(&out),
        BTreeMap::from([
            (key("log-minggu-2.xlsx", "dikirim_ulang"), 13),
            (key("log-minggu-2.xlsx", "revisi"), 1),
        ])
    );
    let a = accounts(&out);
    assert_eq!(
        a["log-minggu-2.xlsx"].5.as_deref(),
        Some("log-minggu-4.xlsx")
    );
}

/// The answer patterns of a unit whose respondents answer 3 or 4 on most unsur and give no
/// profile: all 3s, all 4s and a few mixes, the first the most given.
const PATTERNS: [[u8; 9]; 6] = [
    [3, 3, 3, 3, 3, 3, 3, 3, 3],
    [4, 4, 4, 4, 4, 4, 4, 4, 4],
    [3, 3, 4, 3, 3, 3, 4, 3, 3],
    [3, 4, 3, 3, 4, 3, 3, 3, 4],
    [4, 3, 4, 4, 3, 4, 3, 4, 4],
    [2, 3, 3, 3, 3, 3, 3, 2, 3],
];

/// How a unit sorts its sheet before saving it.
#[derive(Clone, Copy)]
enum SortedBy {
    /// By the answer columns (U1, then U2 …), ascending.
    Answers,
    /// By the answer columns, descending.
    AnswersDescending,
    /// By the date, then the answer columns.
    DayThenAnswers,
}

/// A counter's log of `n` respondents of Medansatria without a profile, dates only over five
/// days of October 2024 (the 14th–18th), typed in by day and numbered as typed, the answers of
/// `PATTERNS` with weights 60, 30, 20, 15, 12, 10.
fn answers_log(seed: u64, n: usize) -> Table {
    let mut rng = skm::gen::Rng::new(seed);
    let weights = [60, 30, 20, 15, 12, 10];
    let mut rows: Vec<([Option<u8>; 9], u32)> = (0..n)
        .map(|_| {
            let mut x = rng.below(weights.iter().sum());
            let k = weights
                .iter()
                .position(|&w| {
                    let hit = x < w;
                    x = x.saturating_sub(w);
                    hit
                })
                .unwrap();
            (PATTERNS[k].map(Some), 14 + rng.below(5) as u32)
        })
        .collect();
    rows.sort_by_key(|r| r.1);
    let answers: Vec<[Option<u8>; 9]> = rows.iter().map(|r| r.0).collect();
    let mut t = wave_table(
        &answers,
        &WaveLayout {
            style: HeaderStyle::Codes,
            unit_column: Some("Kec. Medan Satria".into()),
            periode_column: None,
            months: vec![(2024, 10)],
            timestamps: false,
            title: vec![],
            profile: false,
            seed,
        },
    );
    let tanggal = t.header.iter().position(|x| x == "Tanggal").unwrap();
    for (r, (_, d)) in t.rows.iter_mut().zip(&rows) {
        r[tanggal] = skm::gen::Val::Date(2024, 10, *d);
    }
    t
}

/// `t` sorted as a unit sorts its sheet before saving it (stable: rows of equal keys as typed).
fn sorted_as(t: &Table, sort: SortedBy) -> Table {
    let col = |h: &str| t.header.iter().position(|x| x == h).unwrap();
    let tanggal = col("Tanggal");
    let units: Vec<usize> = (1..=9).map(|k| col(&format!("U{k}"))).collect();
    let answers = |r: &Vec<skm::gen::Val>| -> Vec<i64> {
        units
            .iter()
            .map(|&c| match r[c] {
                skm::gen::Val::Num(s) => s as i64,
                _ => 0,
            })
            .collect()
    };
    let day = |r: &Vec<skm::gen::Val>| match r[tanggal] {
        skm::gen::Val::Date(_, _, d) => d,
        _ => 0,
    };
    let mut t = t.clone();
    match sort {
        SortedBy::Answers => t.rows.sort_by_key(answers),
        SortedBy::AnswersDescending => t.rows.sort_by_key(|r| std::cmp::Reverse(answers(r))),
        SortedBy::DayThenAnswers => t.rows.sort_by_key(|r| (day(r), answers(r))),
    }
    t
}

/// Two counters' logs of one unit (150 respondents each, the same five days, answers of six
/// patterns, mostly all 3s), each sorted by its answers before it was saved (or by day, then
/// answers): runs of rows with the same answers on the same day stand in both, blocks of equal
/// rows by construction, not by chance. The alignment anchored on them and took the first
/// log's rows for the second's: 153, 160 and 174 counted of 300 (147, 140 and 126 rows
/// `dikirim_ulang`, `dihapus` or `revisi`). A block the sends' sort order explains is no
/// evidence (`domain::resend::SortedChance`): every row counts, 300.
#[test]
fn two_logs_of_a_unit_each_sorted_by_its_answers_all_count() {
    let mut counted = Vec::new();
    for (name, sort, csv) in [
        ("by answers", SortedBy::Answers, false),
        ("by answers, descending", SortedBy::AnswersDescending, false),
        ("by day, then answers (CSV)", SortedBy::DayThenAnswers, true),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let inbox = tmp.path().join("inbox");
        let (a, b) = (
            sorted_as(&answers_log(1, 150), sort),
            sorted_as(&answers_log(2, 150), sort),
        );
        match csv {
            false => {
                put_xlsx(&inbox.join("loket-1.xlsx"), &a, 2 * DAY);
                put_xlsx(&inbox.join("loket-2.xlsx"), &b, DAY);
            }
            true => {
                crate::resubmissions::put(&inbox.join("loket-1.csv"), &a, 2 * DAY);
                crate::resubmissions::put(&inbox.join("loket-2.csv"), &b, DAY);
            }
        }
        let out = tmp.path().join("out");
        run(&inbox, &out, true, 2);
        counted.push((
            name,
            medansatria_n(&figures(&out)),
            read(&out.join("duplikat.parquet")).len(),
            kinds(&out),
        ));
    }
    for (name, n, duplikat, kinds) in &counted {
        assert_eq!(
            (*n, *duplikat),
            (Some(300), 0),
            "{name}: {kinds:?}; {counted:?}"
        );
    }
}

/// The same unit's log sent again, sorted by its answers both times: the October send (its
/// first 150 rows, the 14th to the 16th and part of the 17th) sorted, then the whole log of
/// 250 rows sorted. The earlier rows stand among the later send's, not as a block of their own:
/// no block anchors them (`domain::resend::SortedChance`), and most rows of such a unit equal a row of
/// any log of its days (`resend_unordered::chance_matches`). But the later send holds the days
/// the earlier one had finished with the same rows, as many of each pattern, which two
/// counters' logs do not (`resend_unordered::days_held`): contained, counted once, 250.
#[test]
fn a_log_sorted_by_its_answers_each_time_it_is_sent_counts_once() {
    let all = answers_log(3, 250);
    let mut counted = Vec::new();
    for (name, sort) in [
        ("by answers", SortedBy::Answers),
        ("by day, then answers", SortedBy::DayThenAnswers),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let inbox = tmp.path().join("inbox");
        put_xlsx(
            &inbox.join("log-oktober.xlsx"),
            &sorted_as(&first(&all, 150), sort),
            2 * DAY,
        );
        put_xlsx(
            &inbox.join("log-november.xlsx"),
            &sorted_as(&all, sort),
            DAY,
        );
        let out = tmp.path().join("out");
        run(&inbox, &out, true, 2);
        counted.push((name, medansatria_n(&figures(&out)), kinds(&out)));
    }
    let want = BTreeMap::from([(key("log-oktober.xlsx", "dikirim_ulang"), 150)]);
    for (name, n, kinds) in &counted {
        assert_eq!((*n, kinds), (Some(250), &want), "{name}; {counted:?}");
    }
}
