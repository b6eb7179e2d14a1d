//! Gold as plain SQL (`schemas/gold/*.sql`, what Spark or Trino run over the shards' silver
//! sums: ARCHITECTURE.md, "Beyond one machine") equals skm's own gold. The SQL runs here on an
//! embedded engine, Polars SQL (no JVM, no network), over the sums a run wrote and the
//! reference tables `skm reference` wrote; both results are read back as Parquet with arrow-rs
//! and compared row by row: the same columns and keys, integers and text equal, floats within
//! 1e-9. `just spark` runs the same files on Apache Spark over sharded runs.

use crate::common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use arrow::datatypes::DataType;
use polars::prelude::*;
use polars::sql::SQLContext;
use skm::config::Config;
use skm::gen::inbox::{write_inbox, GenSpec};
use skm::registry::Registry;

/// The gold tables the SQL computes, with the columns that identify a row.
const TABLES: [(&str, &[&str]); 9] = [
    ("ikm_unit", &["unit_id", "tahun", "periode", "sumber"]),
    (
        "nrr_unsur",
        &["unit_id", "tahun", "periode", "kode", "sumber"],
    ),
    ("ikm_tahun_aturan", &["unit_id", "tahun", "aturan"]),
    ("ikm_kota", &["tahun", "periode"]),
    ("unit_tidak_lapor", &["tahun", "periode", "unit_id"]),
    ("kecamatan", &["tahun", "unit_id"]),
    (
        "kecamatan_unsur",
        &["tahun", "periode", "kecamatan", "kode"],
    ),
    (
        "prioritas",
        &["tingkat", "unit_id", "tahun", "periode", "kode"],
    ),
    (
        "profil",
        &["tingkat", "unit_id", "tahun", "dimensi", "kelompok"],
    ),
];

/// The SQL files in run order, each with the view it defines (`13_ikm_unit.sql` → ikm_unit).
fn sql_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/gold");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy();
            let name = stem.split_once('_').map(|(_, n)| n).unwrap_or(&stem);
            (name.to_string(), std::fs::read_to_string(p).unwrap())
        })
        .collect()
}

fn scan(path: &Path) -> LazyFrame {
    let path = PlRefPath::new(path.to_string_lossy().to_string());
    LazyFrame::scan_parquet(path, ScanArgsParquet::default()).unwrap()
}

/// Runs the gold SQL with Polars over `out`'s silver sums and the reference tables of `config`
/// (written by `skm reference`); writes each gold table the SQL makes to `sql_out/<table>.parquet`.
fn run_gold_sql(out: &Path, config: Option<&Path>, sql_out: &Path) {
    let reference = sql_out.join("reference");
    let mut args = vec!["reference", "--out", reference.to_str().unwrap()];
    if let Some(c) = config {
        args.extend(["--config", c.to_str().unwrap()]);
    }
    let o = common::skm(&args, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut ctx = SQLContext::new();
    ctx.register(
        "sums",
        skm::silver::scan::scan_sums(&out.join("silver/sums")).unwrap(),
    );
    for t in ["units", "konfigurasi"] {
        ctx.register(t, scan(&reference.join(format!("{t}.parquet"))));
    }
    for (name, text) in sql_files() {
        // Each view computed once, as an engine caching it would (a view read by several later
        // ones would otherwise be planned again inside each).
        let df = ctx
            .execute(&text)
            .and_then(|lf| lf.collect())
            .unwrap_or_else(|e| panic!("schemas/gold: {name}: {e}"));
        ctx.register(&name, df.lazy());
    }
    for (t, _) in TABLES {
        let mut df = ctx
            .execute(&format!("SELECT * FROM {t}"))
            .and_then(|lf| lf.collect())
            .unwrap_or_else(|e| panic!("schemas/gold: {t}: {e}"));
        skm::tables::write_parquet(&mut df, &sql_out.join(format!("{t}.parquet"))).unwrap();
    }
}

/// A cell, compared as its kind: integers and text exactly, floats within 1e-9.
#[derive(Debug, Clone)]
enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
}

impl PartialEq for Cell {
    fn eq(&self, other: &Cell) -> bool {
        match (self, other) {
            (Cell::Null, Cell::Null) => true,
            (Cell::Int(a), Cell::Int(b)) => a == b,
            (Cell::Float(a), Cell::Float(b)) => (a - b).abs() <= 1e-9,
            (Cell::Text(a), Cell::Text(b)) => a == b,
            _ => false,
        }
    }
}

/// A table's rows by key (the key columns as text), each row its columns by name.
type Keyed = BTreeMap<String, BTreeMap<String, Cell>>;

fn cells(table: &common::Table, name: &str) -> Vec<Cell> {
    let dt = table
        .schema
        .field_with_name(name)
        .unwrap()
        .data_type()
        .clone();
    match dt {
        DataType::Float32 | DataType::Float64 => table
            .f64(name)
            .into_iter()
            .map(|v| v.map_or(Cell::Null, Cell::Float))
            .collect(),
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => table
            .i64(name)
            .into_iter()
            .map(|v| v.map_or(Cell::Null, Cell::Int))
            .collect(),
        _ => table
            .str(name)
            .into_iter()
            .map(|v| v.map_or(Cell::Null, Cell::Text))
            .collect(),
    }
}

/// The rows of a Parquet table keyed by `keys`, those `keep` accepts (skm's gold has recap rows
/// the SQL does not make: the demo inbox's test keeps `sumber = responden`).
fn keyed(path: &Path, keys: &[&str], keep: impl Fn(&BTreeMap<String, Cell>) -> bool) -> Keyed {
    let table = common::read(path);
    let cols: Vec<(String, Vec<Cell>)> = table
        .columns()
        .into_iter()
        .map(|c| {
            let v = cells(&table, &c);
            (c, v)
        })
        .collect();
    let mut out = Keyed::new();
    for i in 0..table.len() {
        let row: BTreeMap<String, Cell> = cols
            .iter()
            .map(|(c, v)| (c.clone(), v[i].clone()))
            .collect();
        if !keep(&row) {
            continue;
        }
        let key = keys
            .iter()
            .map(|k| format!("{k}={:?}", row[*k]))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            out.insert(key.clone(), row).is_none(),
            "{}: two rows with the key {key}",
            path.display()
        );
    }
    out
}

/// Compares every row of `tables` in skm's gold with the SQL's; returns the row counts and the
/// differences as text.
fn compare(
    out: &Path,
    sql_out: &Path,
    tables: &[&str],
    keep: impl Fn(&BTreeMap<String, Cell>) -> bool + Copy,
) -> (BTreeMap<String, usize>, String) {
    let mut rows = BTreeMap::new();
    let mut diffs = String::new();
    for (t, keys) in TABLES.iter().filter(|(t, _)| tables.contains(t)) {
        let skm = keyed(&out.join(format!("gold/{t}.parquet")), keys, keep);
        let sql = keyed(&sql_out.join(format!("{t}.parquet")), keys, |_| true);
        rows.insert(t.to_string(), skm.len());
        let mut n = 0;
        let mut note = |s: String| {
            n += 1;
            if n <= 5 {
                let _ = writeln!(diffs, "{t}: {s}");
            }
        };
        if let (Some(a), Some(b)) = (skm.values().next(), sql.values().next()) {
            let (ca, cb): (Vec<_>, Vec<_>) = (a.keys().collect(), b.keys().collect());
            if ca != cb {
                note(format!("columns differ: skm {ca:?}, sql {cb:?}"));
            }
        }
        for (k, a) in &skm {
            match sql.get(k) {
                None => note(format!("only in skm: {k}")),
                Some(b) => {
                    for (c, v) in a {
                        if b.get(c) != Some(v) {
                            note(format!("{k}: {c}: skm {v:?}, sql {:?}", b.get(c)));
                        }
                    }
                }
            }
        }
        for k in sql.keys().filter(|k| !skm.contains_key(*k)) {
            note(format!("only in sql: {k}"));
        }
        if n > 5 {
            let _ = writeln!(diffs, "{t}: … {} differences in all", n);
        }
    }
    (rows, diffs)
}

fn all_tables() -> Vec<&'static str> {
    TABLES.iter().map(|(t, _)| *t).collect()
}

/// A questionnaire CSV for one unit, written by hand: `rows` respondents of a period given by a
/// Periode and a Tahun column, the nine answers cycling through 1–4 by row and unsur, and the
/// unsur at `blank` (0-based) left blank on every row when given.
fn questionnaire(
    path: &Path,
    unit: &str,
    periode: &str,
    tahun: i32,
    rows: usize,
    blank: Option<usize>,
) {
    let mut s = String::from(
        "Unit Layanan;Periode;Tahun;Jenis Kelamin;Pendidikan;U1;U2;U3;U4;U5;U6;U7;U8;U9\n",
    );
    for r in 0..rows {
        let answers: Vec<String> = (0..9)
            .map(|k| match blank {
                Some(b) if b == k => String::new(),
                _ => (1 + (r * 7 + k * 3 + r / 5) % 4).to_string(),
            })
            .collect();
        let jk = ["Laki-laki", "Perempuan"][r % 2];
        let pend = ["SMA", "S1", "SMP"][r % 3];
        let _ = writeln!(
            s,
            "{unit};{periode};{tahun};{jk};{pend};{}",
            answers.join(";")
        );
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, s).unwrap();
}

#[test]
fn gold_sql_equals_skm_on_a_generated_two_year_inbox_with_every_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let registry = Registry::embedded();
    for (tahun, seed) in [(2023, 5), (2024, 6)] {
        write_inbox(
            &inbox.join(tahun.to_string()),
            &GenSpec {
                responses: 16_000,
                units: 60,
                seed,
                tahun,
                xlsx_share: 0.0,
                bad_share: 0.01,
            },
            &registry,
        )
        .unwrap();
    }
    let ids: Vec<&str> = registry
        .service_units()
        .map(|u| u.unit_id.as_str())
        .collect();
    // Incomplete years: a unit without its second half, one with a single quarter in a half,
    // one without its first quarter the year before, and a unit with no file at all in 2024.
    let drop = |unit: &str, file: &str| {
        let p = inbox.join(format!("{}/{unit}/{unit}_{file}.csv", &file[4..]));
        std::fs::remove_file(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    };
    drop(ids[1], "tw3_2024");
    drop(ids[1], "tw4_2024");
    drop(ids[2], "tw2_2024");
    drop(ids[3], "tw1_2023");
    drop(ids[4], "tw4_2024");
    for q in 1..=4 {
        drop(ids[5], &format!("tw{q}_2024"));
    }
    // A semester wave (S1) beside quarters, and a quarter where nobody answered U9: its IKM,
    // and the year's under the semester rule, are null (a blank answer is not a zero).
    let nama = |i: usize| registry.get(ids[i]).unwrap().nama.clone();
    questionnaire(&inbox.join("extra/s1.csv"), &nama(80), "S1", 2024, 45, None);
    questionnaire(
        &inbox.join("extra/tw3.csv"),
        &nama(80),
        "TW3",
        2024,
        25,
        Some(8),
    );
    questionnaire(
        &inbox.join("extra/tw4.csv"),
        &nama(80),
        "TW4",
        2024,
        35,
        None,
    );
    questionnaire(&inbox.join("extra/s2.csv"), &nama(81), "S2", 2024, 20, None);
    questionnaire(
        &inbox.join("extra/tw1.csv"),
        &nama(81),
        "TW1",
        2024,
        33,
        None,
    );

    let config_text = format!(
        "[tahun]\naturan = \"semester\"\n\
         [tahun.unit.{}]\naturan = \"mean\"\n\
         [tahun.unit.{}]\naturan = \"last\"\n\
         [tahun.unit.{}]\naturan = \"pooled\"\n\
         [tahun.unit.{}]\naturan = \"mean\"\n\
         [profil]\nminimum_responden = 150\n",
        ids[2], ids[4], ids[1], ids[81]
    );
    let config_path = tmp.path().join("skm.toml");
    std::fs::write(&config_path, &config_text).unwrap();
    let out = tmp.path().join("out");
    let s = common::run_with(&inbox, &out, Config::parse(&config_text).unwrap());
    assert!(s.accepted() > 29_000, "{}", s.accepted());

    let sql_out = tmp.path().join("sql");
    run_gold_sql(&out, Some(&config_path), &sql_out);
    let (rows, diffs) = compare(&out, &sql_out, &all_tables(), |_| true);
    assert!(
        diffs.is_empty(),
        "gold SQL differs from skm's gold:\n{diffs}"
    );

    // What the comparison covered: every table has rows, every rule is in use, and the cases
    // above are there (an incomplete year, a null yearly IKM, a semester wave used).
    for t in all_tables() {
        assert!(rows[t] > 0, "{t}: no rows ({rows:?})");
    }
    assert_eq!(rows["kecamatan"], 2 * 12, "{rows:?}");
    let ikm = common::read(&out.join("gold/ikm_unit.parquet"));
    let (id, per, rule, lengkap, dipakai, v) = (
        ikm.str("unit_id"),
        ikm.str("periode"),
        ikm.str("aturan_tahun"),
        ikm.str("tahun_lengkap"),
        ikm.str("periode_dipakai"),
        ikm.f64("ikm"),
    );
    let year = |u: &str| {
        (0..ikm.len())
            .filter(|&i| id[i].as_deref() == Some(u) && per[i].as_deref() == Some("TAHUN"))
            .collect::<Vec<_>>()
    };
    let used: Vec<&str> = rule.iter().flatten().map(String::as_str).collect();
    for r in ["semester", "mean", "last", "pooled"] {
        assert!(used.contains(&r), "no yearly figure by {r}");
    }
    let i80 = *year(ids[80]).last().unwrap();
    assert_eq!(dipakai[i80].as_deref(), Some("S1+TW3+TW4"));
    assert_eq!(v[i80], None, "U9 unanswered in TW3: no yearly IKM");
    assert!(year(ids[1])
        .iter()
        .any(|&i| lengkap[i].as_deref() == Some("false")));
}

#[test]
fn gold_sql_equals_skm_on_the_demo_inbox() {
    // The demo inbox (the seeds' units: semester waves, quarters, recaps). Recaps are read by
    // skm, not by the SQL, so the tables a recap's figure enters (the city figure, kecamatan,
    // priorities) are compared on the generated inbox above; here every table made from the
    // sums alone, skm's rows from respondents.
    let tmp = tempfile::tempdir().unwrap();
    let inbox = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/inbox");
    let out = tmp.path().join("out");
    common::run_inbox(&inbox, &out);
    let sql_out = tmp.path().join("sql");
    run_gold_sql(&out, None, &sql_out);
    let tables = [
        "ikm_unit",
        "nrr_unsur",
        "ikm_tahun_aturan",
        "kecamatan_unsur",
        "profil",
    ];
    let responden = |r: &BTreeMap<String, Cell>| {
        r.get("sumber")
            .is_none_or(|s| *s == Cell::Text("responden".into()))
    };
    let (rows, diffs) = compare(&out, &sql_out, &tables, responden);
    assert!(
        diffs.is_empty(),
        "gold SQL differs from skm's gold:\n{diffs}"
    );
    assert!(rows["ikm_unit"] >= 9, "{rows:?}");
    let ikm = common::read(&out.join("gold/ikm_unit.parquet"));
    assert!(
        ikm.str("periode_dipakai")
            .iter()
            .any(|d| d.as_deref() == Some("S1+TW3+TW4")),
        "the demo's semester wave is in a yearly figure"
    );
}
