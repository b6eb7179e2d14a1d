//! The same data sent more than once (issue 12): identical files under other names, weekly
//! cumulative exports of one form, a revised export beside the original, a response submitted
//! twice, respondents who give the same answers on the same day. Every response counts once,
//! whatever the order, names or threads, and every copy not counted is accounted for in
//! `files.parquet` and `duplikat.parquet`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::common::{full_snapshot, read, skm};
use skm::gen::demo::waves;
use skm::gen::{exact_wave, wave_table, write_csv, HeaderStyle, Table, Val, WaveLayout};

/// A Google-Forms-style export of one wave at Medansatria (TW4 2024): a `Cap waktu` column
/// with timestamps to the second, unsur codes as headers, the profile columns.
pub(crate) fn form(timestamps: bool) -> Table {
    let w = &waves().unwrap()[1];
    wave_table(
        &exact_wave(w.nrr_milli, 7),
        &WaveLayout {
            style: HeaderStyle::Codes,
            unit_column: Some("Kec. Medan Satria".into()),
            periode_column: None,
            months: vec![(2024, 10), (2024, 11)],
            timestamps,
            title: vec![],
            profile: true,
            seed: 7,
        },
    )
}

/// The first `n` responses of a table, as an export made when only they had come in.
pub(crate) fn first(t: &Table, n: usize) -> Table {
    Table {
        title: t.title.clone(),
        header: t.header.clone(),
        rows: t.rows[..n].to_vec(),
    }
}

/// Writes `t` as a CSV modified `age` ago (so which file is the newest is set by the test).
pub(crate) fn put(path: &Path, t: &Table, age: u64) {
    write_csv(path, t, b',', false).unwrap();
    set_age(path, age);
}

pub(crate) fn set_age(path: &Path, age: u64) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(age))
        .unwrap();
}

/// `skm run --json` (incremental unless `full`), with `workers` threads.
pub(crate) fn run(inbox: &Path, out: &Path, full: bool, workers: usize) -> serde_json::Value {
    let more: &[&str] = if full {
        &["--json", "--full"]
    } else {
        &["--json"]
    };
    let w = workers.to_string();
    let o = crate::common::skm_run(inbox, out, more, &[("SKM_WORKERS", &w)]);
    assert!(
        o.status.code().is_some_and(|c| c == 0 || c == 3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Respondents, IKM and every NRR of every unit and period: what a copy must not change.
pub(crate) type Figures = BTreeMap<String, (Option<i64>, Option<f64>)>;

pub(crate) fn figures(out: &Path) -> Figures {
    let mut f = Figures::new();
    let ikm = read(&out.join("gold/ikm_unit.parquet"));
    let (u, p, n, v) = (
        ikm.str("unit_id"),
        ikm.str("periode"),
        ikm.i64("n_responden"),
        ikm.f64("ikm"),
    );
    for i in 0..ikm.len() {
        let key = format!("{}/{}", u[i].clone().unwrap(), p[i].clone().unwrap());
        f.insert(key, (n[i], v[i]));
    }
    let nrr = read(&out.join("gold/nrr_unsur.parquet"));
    let (u, p, k, v) = (
        nrr.str("unit_id"),
        nrr.str("periode"),
        nrr.str("unsur"),
        nrr.f64("nrr"),
    );
    for i in 0..nrr.len() {
        let key = format!(
            "{}/{}/{}",
            u[i].clone().unwrap(),
            p[i].clone().unwrap(),
            k[i].clone().unwrap()
        );
        f.insert(key, (None, v[i]));
    }
    f
}

/// Figures of a run over the given files alone.
pub(crate) fn figures_of(files: &[(&str, &Table)]) -> Figures {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    for (name, t) in files {
        put(&inbox.join(name), t, 3600);
    }
    let out = tmp.path().join("out");
    run(&inbox, &out, true, 2);
    figures(&out)
}

pub(crate) fn medansatria_n(f: &Figures) -> Option<i64> {
    f.get("kecamatan-medansatria/TW4").and_then(|v| v.0)
}

/// The `duplikat` table as (file, kind, counted file) → count.
pub(crate) fn duplicates(out: &Path) -> BTreeMap<(String, String, String), usize> {
    let t = read(&out.join("duplikat.parquet"));
    let (f, j, c) = (t.str("source_file"), t.str("jenis"), t.str("dihitung_file"));
    let mut m = BTreeMap::new();
    for i in 0..t.len() {
        *m.entry((
            f[i].clone().unwrap(),
            j[i].clone().unwrap(),
            c[i].clone().unwrap(),
        ))
        .or_insert(0) += 1;
    }
    m
}

/// `files.parquet` per file: (jenis_lembar, read, accepted, rejected, duplicates, contained in),
/// checking on the way that every data row went exactly one way.
/// A file's accounting: (jenis_lembar, read, accepted, rejected, duplicates, contained in).
pub(crate) type Account = (String, i64, i64, i64, i64, Option<String>);

pub(crate) fn accounts(out: &Path) -> BTreeMap<String, Account> {
    let t = read(&out.join("files.parquet"));
    let (f, k, r, a, x, d, c) = (
        t.str("source_file"),
        t.str("jenis_lembar"),
        t.i64("baris_dibaca"),
        t.i64("diterima"),
        t.i64("ditolak"),
        t.i64("duplikat"),
        t.str("tercakup_dalam"),
    );
    let mut m = BTreeMap::new();
    for i in 0..t.len() {
        let row = (
            k[i].clone().unwrap(),
            r[i].unwrap(),
            a[i].unwrap(),
            x[i].unwrap(),
            d[i].unwrap(),
            c[i].clone(),
        );
        assert_eq!(row.1, row.2 + row.3 + row.4, "{:?}: {row:?}", f[i]);
        m.insert(f[i].clone().unwrap(), row);
    }
    m
}

#[test]
fn the_same_file_under_two_names_and_folders_counts_once() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let t = form(true);
    put(&inbox.join("medansatria/jawaban.csv"), &t, 7200);
    std::fs::create_dir_all(inbox.join("unduhan")).unwrap();
    std::fs::copy(
        inbox.join("medansatria/jawaban.csv"),
        inbox.join("unduhan/jawaban (1).csv"),
    )
    .unwrap();
    set_age(&inbox.join("unduhan/jawaban (1).csv"), 60);
    let out = tmp.path().join("out");
    let json = run(&inbox, &out, false, 2);
    assert_eq!(json["files_identical"].as_u64(), Some(1));
    let alone = figures_of(&[("jawaban.csv", &t)]);
    assert_eq!(figures(&out), alone);
    assert_eq!(medansatria_n(&alone), Some(1001));
    // The newer copy counts; the older is listed as its identical copy, none of its rows counted.
    let acc = accounts(&out);
    let old = &acc["medansatria/jawaban.csv"];
    assert_eq!(old.0, "berkas_identik");
    assert_eq!((old.1, old.2, old.4), (1001, 0, 1001));
    assert_eq!(old.5.as_deref(), Some("unduhan/jawaban (1).csv"));
    assert_eq!(acc["unduhan/jawaban (1).csv"].2, 1001);
    // The copy was not read (its bytes are the counted file's): no way of reading is claimed.
    let ways = crate::common::ways_read(&out);
    assert_eq!(ways["medansatria/jawaban.csv"], "∅");
    assert_eq!(ways["unduhan/jawaban (1).csv"], "bertahap_csv");
    assert_eq!(
        duplicates(&out),
        BTreeMap::from([(
            (
                "medansatria/jawaban.csv".to_string(),
                "berkas_identik".to_string(),
                "unduhan/jawaban (1).csv".to_string()
            ),
            1
        )])
    );
    assert_eq!(json["duplicates"].as_u64(), Some(1001));
    // The workbook's Duplikat sheet and the HTML report's data-quality section say so too.
    use calamine::Reader as _;
    let mut wb = calamine::open_workbook_auto(out.join("report/skm_2024.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Duplikat").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][0], "medansatria/jawaban.csv");
    assert_eq!(rows[1][3], "berkas_identik");
    assert_eq!(rows[1][4], "unduhan/jawaban (1).csv");
    let html = std::fs::read_to_string(out.join("report/skm_2024.html")).unwrap();
    assert!(html.contains("<td>berkas_identik</td><td class=\"n\">1</td>"));
}

#[test]
fn weekly_cumulative_exports_count_every_response_once() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let all = first(&form(true), 1000);
    // Names in the opposite order of time: which copy counts must not follow the names.
    let (w1, w2, w3) = (first(&all, 300), first(&all, 650), all.clone());
    put(&inbox.join("z_minggu1.csv"), &w1, 3 * 86400);
    put(&inbox.join("m_minggu2.csv"), &w2, 2 * 86400);
    put(&inbox.join("a_minggu3.csv"), &w3, 86400);
    let out = tmp.path().join("out");
    let json = run(&inbox, &out, false, 4);
    let alone = figures_of(&[("minggu3.csv", &w3)]);
    assert_eq!(medansatria_n(&alone), Some(1000));
    assert_eq!(figures(&out), alone);
    let acc = accounts(&out);
    for (f, n) in [("z_minggu1.csv", 300), ("m_minggu2.csv", 650)] {
        assert_eq!(acc[f].2, 0, "{f}");
        assert_eq!(acc[f].4, n, "{f}");
        assert_eq!(
            acc[f].5.as_deref(),
            Some("a_minggu3.csv"),
            "{f} is contained"
        );
    }
    assert_eq!((acc["a_minggu3.csv"].2, acc["a_minggu3.csv"].4), (1000, 0));
    let d = duplicates(&out);
    let key = |f: &str| {
        (
            f.to_string(),
            "tumpang_tindih".to_string(),
            "a_minggu3.csv".to_string(),
        )
    };
    assert_eq!(d.get(&key("z_minggu1.csv")), Some(&300));
    assert_eq!(d.get(&key("m_minggu2.csv")), Some(&650));
    assert_eq!(d.len(), 2);
    assert_eq!(json["duplicates"].as_u64(), Some(950));
    assert_eq!(json["accepted"].as_u64(), Some(1000));
    // One worker or four: the same tables.
    let out1 = tmp.path().join("out1");
    run(&inbox, &out1, true, 1);
    assert_eq!(full_snapshot(&out1), full_snapshot(&out));
}

/// `t` with the first unsur answer of `n` rows (every 37th) changed to another score.
pub(crate) fn revised(t: &Table, n: usize) -> (Table, Vec<usize>) {
    let u = t.header.iter().position(|h| h == "U1").unwrap();
    let mut r = t.clone();
    let mut changed = Vec::new();
    for i in (0..t.rows.len()).step_by(37) {
        if changed.len() == n {
            break;
        }
        if let Val::Num(s) = r.rows[i][u] {
            r.rows[i][u] = Val::Num((s as i64 % 4 + 1) as f64);
            changed.push(i);
        }
    }
    assert_eq!(changed.len(), n);
    (r, changed)
}

#[test]
fn a_revised_export_replaces_the_responses_it_corrects() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let orig = first(&form(true), 1000);
    let (rev, changed) = revised(&orig, 20);
    put(&inbox.join("jawaban_revisi.csv"), &rev, 600);
    put(&inbox.join("jawaban.csv"), &orig, 86400);
    let out = tmp.path().join("out");
    run(&inbox, &out, false, 2);
    // The corrected answers count: the figures are the revised file's alone.
    assert_eq!(figures(&out), figures_of(&[("r.csv", &rev)]));
    assert_ne!(figures(&out), figures_of(&[("o.csv", &orig)]));
    let d = duplicates(&out);
    let rev_key = (
        "jawaban.csv".to_string(),
        "revisi".to_string(),
        "jawaban_revisi.csv".to_string(),
    );
    assert_eq!(d.get(&rev_key), Some(&20));
    let same_key = (
        "jawaban.csv".to_string(),
        "tumpang_tindih".to_string(),
        "jawaban_revisi.csv".to_string(),
    );
    assert_eq!(d.get(&same_key), Some(&980));
    // Each revision names its row, the row that counts, and what changed.
    let t = read(&out.join("duplikat.parquet"));
    let (j, row, counted, what) = (
        t.str("jenis"),
        t.i64("source_row"),
        t.i64("dihitung_row"),
        t.str("perubahan"),
    );
    let mut rows = Vec::new();
    for i in 0..t.len() {
        if j[i].as_deref() == Some("revisi") {
            assert_eq!(row[i], counted[i]);
            let w = what[i].clone().unwrap();
            assert!(w.starts_with("persyaratan: ") && !w.contains(';'), "{w}");
            rows.push(row[i].unwrap());
        }
    }
    // Data row i is CSV record i + 2 (the header is record 1).
    let want: Vec<i64> = changed.iter().map(|i| *i as i64 + 2).collect();
    rows.sort();
    assert_eq!(rows, want);
}

#[test]
fn a_double_submission_counts_once_and_a_date_alone_never_merges() {
    // Timestamps to the second: the same row twice is one response submitted twice.
    let t = form(true);
    let mut twice = t.clone();
    twice.rows.insert(6, t.rows[5].clone());
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    put(&inbox.join("jawaban.csv"), &twice, 600);
    let out = tmp.path().join("out");
    run(&inbox, &out, false, 2);
    assert_eq!(figures(&out), figures_of(&[("j.csv", &t)]));
    assert_eq!(
        duplicates(&out),
        BTreeMap::from([(
            (
                "jawaban.csv".to_string(),
                "ganda_dalam_berkas".to_string(),
                "jawaban.csv".to_string()
            ),
            1
        )])
    );
    // A date alone: two respondents may give the same answers on the same day: both count.
    let d = form(false);
    let mut same_day = d.clone();
    same_day.rows.insert(6, d.rows[5].clone());
    let inbox2 = tmp.path().join("inbox2");
    put(&inbox2.join("jawaban.csv"), &same_day, 600);
    let out2 = tmp.path().join("out2");
    run(&inbox2, &out2, false, 2);
    assert_eq!(medansatria_n(&figures(&out2)), Some(1002));
    assert_eq!(read(&out2.join("duplikat.parquet")).len(), 0);
}

#[test]
fn reruns_with_overlapping_exports_equal_a_full_run() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let all = first(&form(true), 1000);
    put(&inbox.join("minggu1.csv"), &first(&all, 400), 3 * 86400);
    put(&inbox.join("minggu2.csv"), &first(&all, 700), 2 * 86400);
    let out = tmp.path().join("out");
    let check = |step: &str, reads: u64| {
        let inc = run(&inbox, &out, false, 2);
        assert_eq!(inc["files_read"].as_u64(), Some(reads), "{step}");
        let full = tmp.path().join(format!("full-{step}"));
        run(&inbox, &full, true, 2);
        assert_eq!(full_snapshot(&out), full_snapshot(&full), "{step}");
    };
    check("first", 2);
    // Added: a third export overlapping both.
    put(&inbox.join("minggu3.csv"), &all, 86400);
    check("added", 1);
    // Changed: the second export revised.
    put(
        &inbox.join("minggu2.csv"),
        &revised(&first(&all, 700), 5).0,
        3600,
    );
    check("changed", 1);
    // Removed: the newest; the others count again.
    std::fs::remove_file(inbox.join("minggu3.csv")).unwrap();
    check("removed", 0);
    assert_eq!(medansatria_n(&figures(&out)), Some(700));
}

/// Every way one response arrives twice, in one inbox under `dir/kiriman-ulang`: three
/// cumulative exports (the middle one revised), a double submission, an identical copy.
pub(crate) fn overlapping_exports(dir: &Path) {
    let d = dir.join("kiriman-ulang");
    let all = first(&form(true), 900);
    put(&d.join("minggu1.csv"), &first(&all, 300), 3 * 86400);
    put(
        &d.join("minggu2.csv"),
        &revised(&first(&all, 600), 7).0,
        2 * 86400,
    );
    let mut last = all.clone();
    last.rows.insert(10, all.rows[9].clone());
    put(&d.join("minggu3.csv"), &last, 86400);
    put(&d.join("salinan/minggu3 (1).csv"), &last, 2 * 86400);
}

#[test]
fn the_sums_of_counted_rows_equal_a_group_by_over_silver_without_its_duplicates() {
    use polars::prelude::*;
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    overlapping_exports(&inbox);
    let out = tmp.path().join("out");
    let json = run(&inbox, &out, false, 2);
    // 900 responses, 7 of them revised in minggu2 (older than minggu3: the originals count).
    assert_eq!(medansatria_n(&figures(&out)), Some(900));
    assert_eq!(json["files_identical"].as_u64(), Some(1));
    let kinds: BTreeMap<String, usize> =
        duplicates(&out)
            .into_iter()
            .fold(BTreeMap::new(), |mut m, ((_, k, _), n)| {
                *m.entry(k).or_insert(0) += n;
                m
            });
    assert_eq!(kinds["ganda_dalam_berkas"], 1);
    assert_eq!(kinds["revisi"], 7);
    assert_eq!(kinds["berkas_identik"], 1);
    assert_eq!(kinds["tumpang_tindih"], 300 + 600 - 7);
    // Silver keeps every accepted row; without those duplikat lists, a group-by over it
    // gives what gold added up from the sums.
    let dup = read(&out.join("duplikat.parquet"));
    let gone: std::collections::HashSet<(String, i64)> = dup
        .str("source_file")
        .into_iter()
        .zip(dup.i64("source_row"))
        .filter_map(|(f, r)| Some((f?, r?)))
        .collect();
    let silver = skm::silver::scan::scan_silver(&out.join("silver/responses"))
        .unwrap()
        .collect()
        .unwrap();
    let files = silver.column("source_file").unwrap().str().unwrap().clone();
    let rows = silver.column("source_row").unwrap().u32().unwrap().clone();
    let keep: BooleanChunked = (0..silver.height())
        .map(|i| {
            let key = (
                files.get(i).unwrap().to_string(),
                rows.get(i).unwrap() as i64,
            );
            Some(!gone.contains(&key))
        })
        .collect();
    let counted = silver.filter(&keep).unwrap();
    assert_eq!(counted.height(), 900);
    let by = ["unit_id", "tahun", "periode"];
    let sort = |lf: LazyFrame| {
        lf.sort(by.to_vec(), SortMultipleOptions::default())
            .collect()
            .unwrap()
    };
    let from_rows = sort(skm::compute::period_sums(counted.lazy()));
    let sums = skm::silver::scan::scan_sums(&out.join("silver/sums")).unwrap();
    let from_sums = sort(skm::silver::sums::period_sums(sums));
    assert!(
        from_rows.equals_missing(&from_sums),
        "{from_rows}\n{from_sums}"
    );
}

#[test]
fn validate_says_which_responses_are_already_in_the_inbox() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let all = first(&form(true), 1000);
    put(&inbox.join("minggu1.csv"), &first(&all, 300), 86400);
    put(&inbox.join("minggu2.csv"), &first(&all, 650), 3600);
    let next = tmp.path().join("minggu3.csv");
    put(&next, &all, 60);
    let o = skm(
        &[
            "validate",
            next.to_str().unwrap(),
            "--inbox",
            inbox.to_str().unwrap(),
            "--max-rows",
            "3",
        ],
        &[],
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(
        text.contains("650 of 1000 responses already in the inbox"),
        "{text}"
    );
    assert!(
        text.contains("row 2: already in minggu1.csv row 2"),
        "{text}"
    );
    assert!(text.contains("… and 647 more"), "{text}");
    // The same bytes as a file of the inbox.
    let copy = tmp.path().join("salinan.csv");
    std::fs::copy(inbox.join("minggu1.csv"), &copy).unwrap();
    let o = skm(
        &[
            "validate",
            copy.to_str().unwrap(),
            "--inbox",
            inbox.to_str().unwrap(),
        ],
        &[],
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("the same file is already in the inbox as minggu1.csv"),
        "{text}"
    );
}
