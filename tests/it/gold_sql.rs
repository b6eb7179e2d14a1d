//! Gold as plain SQL (`schemas/gold/*.sql`, what Spark or Trino run over the shards' silver
//! sums: ARCHITECTURE.md, "Beyond one machine") equals skm's own gold. The SQL runs here on an
//! embedded engine, Polars SQL (no JVM, no network), over the sums, manifests and silver rows
//! runs wrote (one run, or shards of an inbox each run on its own) and the reference tables
//! `skm reference` wrote; both results are read back as Parquet with arrow-rs and compared row
//! by row: the same columns and keys, integers and text equal, floats within 1e-9. `just spark`
//! runs the same files on Apache Spark over sharded runs.

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

/// The SQL files in run order, each with the view it defines (`22_ikm_unit.sql` → ikm_unit).
/// With `kunci`, the files of `schemas/gold/kunci/` replace those of the same name (every
/// response counted once across shards, keyed responses included).
fn sql_files(kunci: bool) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/gold");
    let sql_in = |d: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect()
    };
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut dirs = vec![dir.clone()];
    if kunci {
        dirs.push(dir.join("kunci"));
    }
    for d in dirs {
        for p in sql_in(&d) {
            files.insert(p.file_name().unwrap().to_string_lossy().to_string(), p);
        }
    }
    files
        .values()
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

/// Every shard's table as one, each row with its shard's name in `shard` (the name of the
/// shard's inbox folder: one run over the shards side by side sees `shard/source_file`).
fn union(shards: &[(&str, &Path)], table: impl Fn(&Path) -> LazyFrame) -> LazyFrame {
    let parts: Vec<LazyFrame> = shards
        .iter()
        .map(|(name, out)| table(out).with_column(lit(*name).alias("shard")))
        .collect();
    concat(parts, UnionArgs::default()).unwrap()
}

/// Runs the gold SQL with Polars over the shards' outputs (`(name, output)`: one for a single
/// run) and the reference tables of `config` (written by `skm reference`); writes each gold
/// table the SQL makes to `sql_out/<table>.parquet`. `kunci`: with `schemas/gold/kunci/`.
fn run_gold_sql(shards: &[(&str, &Path)], config: Option<&Path>, sql_out: &Path, kunci: bool) {
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
        union(shards, |out| {
            skm::silver::scan::scan_sums(&out.join("silver/sums")).unwrap()
        }),
    );
    ctx.register(
        "silang",
        union(shards, |out| {
            skm::silver::scan::scan_silang(&out.join("silver/silang")).unwrap()
        }),
    );
    ctx.register(
        "manifest",
        union(shards, |out| scan(&out.join("manifest.parquet"))),
    );
    ctx.register(
        "responses",
        union(shards, |out| {
            skm::silver::scan::scan_silver(&out.join("silver/responses")).unwrap()
        }),
    );
    for t in ["units", "konfigurasi"] {
        ctx.register(t, scan(&reference.join(format!("{t}.parquet"))));
    }
    for (name, text) in sql_files(kunci) {
        // Each view computed once, as an engine caching it would (a view read by several later
        // ones would otherwise be planned again inside each).
        let df = ctx
            .execute(&text)
            .and_then(|lf| lf.collect())
            .unwrap_or_else(|e| panic!("schemas/gold: {name}: {e}"));
        ctx.register(&name, df.lazy());
    }
    std::fs::create_dir_all(sql_out).unwrap();
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
    compare_but(out, sql_out, tables, keep, &[])
}

/// `compare` without the columns `ignore` (`table.column`).
fn compare_but(
    out: &Path,
    sql_out: &Path,
    tables: &[&str],
    keep: impl Fn(&BTreeMap<String, Cell>) -> bool + Copy,
    ignore: &[&str],
) -> (BTreeMap<String, usize>, String) {
    let mut rows = BTreeMap::new();
    let mut diffs = String::new();
    for (t, keys) in TABLES.iter().filter(|(t, _)| tables.contains(t)) {
        let without = |mut k: Keyed| {
            for row in k.values_mut() {
                row.retain(|c, _| !ignore.contains(&format!("{t}.{c}").as_str()));
            }
            k
        };
        let skm = without(keyed(&out.join(format!("gold/{t}.parquet")), keys, keep));
        let sql = without(keyed(&sql_out.join(format!("{t}.parquet")), keys, |_| true));
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
                timestamps: false,
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
         [profil]\nminimum_responden = 150\n\
         [populasi]\n{} = 900\n{} = 40\n",
        ids[2], ids[4], ids[1], ids[81], ids[2], ids[80]
    );
    let config_path = tmp.path().join("skm.toml");
    std::fs::write(&config_path, &config_text).unwrap();
    let out = tmp.path().join("out");
    let s = common::run_with(&inbox, &out, Config::parse(&config_text).unwrap());
    assert!(s.accepted() > 29_000, "{}", s.accepted());

    let sql_out = tmp.path().join("sql");
    run_gold_sql(&[("out", &out)], Some(&config_path), &sql_out, false);
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
    // Margins of error compared above: there are some, and the population corrects them (the
    // 45 respondents of ids[80]'s S1 are more than its population of 40: no error left).
    let se = ikm.f64("ikm_se");
    assert!(se.iter().flatten().filter(|s| **s > 0.0).count() > 100);
    let s1 = (0..ikm.len())
        .find(|&i| id[i].as_deref() == Some(ids[80]) && per[i].as_deref() == Some("S1"))
        .unwrap();
    assert_eq!(se[s1], Some(0.0));
    // The comparisons compared above judge some changes real and some not, and some ranks
    // are ranges.
    for c in ["selisih_sebelum_nyata", "selisih_kota_nyata"] {
        let v = ikm.str(c);
        for b in ["true", "false"] {
            assert!(v.iter().any(|x| x.as_deref() == Some(b)), "{c}: no {b}");
        }
    }
    let (lo, hi) = (ikm.i64("peringkat_min"), ikm.i64("peringkat_maks"));
    assert!((0..ikm.len()).any(|i| lo[i] < hi[i]));
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
    // ikm_unit's comparisons (with 2023, the city mean, the other units' ranks) take in the
    // recaps' figures, which only skm reads: compared on the generated inbox above, not here.
    let with_recaps = [
        "ikm_unit.tahun_sebelum",
        "ikm_unit.periode_sebelum",
        "ikm_unit.selisih_sebelum",
        "ikm_unit.selisih_sebelum_nyata",
        "ikm_unit.selisih_kota",
        "ikm_unit.selisih_kota_nyata",
        "ikm_unit.peringkat",
        "ikm_unit.peringkat_min",
        "ikm_unit.peringkat_maks",
    ];
    // Both ways of choosing the sums that count (one run: nothing to take out either way; the
    // demo's Medansatria export has times of day, so its rows have a kunci).
    for kunci in [false, true] {
        let sql_out = tmp.path().join(format!("sql-{kunci}"));
        run_gold_sql(&[("out", &out)], None, &sql_out, kunci);
        let (rows, diffs) = compare_but(&out, &sql_out, &tables, responden, &with_recaps);
        assert!(
            diffs.is_empty(),
            "gold SQL (kunci: {kunci}) differs from skm's gold:\n{diffs}"
        );
        assert!(rows["ikm_unit"] >= 9, "{rows:?}");
    }
    let silver = common::read_silver(&out, 2024);
    assert!(
        silver.str("kunci").iter().any(|k| k.is_some()),
        "the demo has responses with a kunci"
    );
    let ikm = common::read(&out.join("gold/ikm_unit.parquet"));
    assert!(
        ikm.str("periode_dipakai")
            .iter()
            .any(|d| d.as_deref() == Some("S1+TW3+TW4")),
        "the demo's semester wave is in a yearly figure"
    );
}

/// Sets a file's modification time to `secs` seconds after a fixed day (so which copy is the
/// newest is set by the test, never by the order files were written).
fn set_mtime(path: &Path, secs: u64) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_780_000_000 + secs))
        .unwrap();
}

/// A generated inbox (2023 and 2024, `units` units) split into `n` shard inboxes
/// `inbox/shard-K/` by file (the i-th file into shard i % n), with the same bytes sent twice:
/// every 5th file also into the next shard (half of these copies newer than the first, half
/// older), one file into every shard, one copied within its shard under `salinan/` (newer:
/// that copy counts in the shard, and a newer one in another shard counts over both). Returns
/// the shard names.
fn sharded_inbox(tmp: &Path, inbox: &Path, n: usize, units: usize) -> Vec<String> {
    let gen = tmp.join("gen");
    let registry = Registry::embedded();
    for (tahun, seed) in [(2023, 11), (2024, 12)] {
        write_inbox(
            &gen.join(tahun.to_string()),
            &GenSpec {
                responses: 5_000,
                units,
                seed,
                tahun,
                xlsx_share: 0.0,
                bad_share: 0.01,
                timestamps: false,
            },
            &registry,
        )
        .unwrap();
    }
    let names: Vec<String> = (0..n).map(|k| format!("shard-{k}")).collect();
    let put = |src: &Path, shard: usize, rel: &Path, secs: u64| {
        let dest = inbox.join(&names[shard]).join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(src, &dest).unwrap();
        set_mtime(&dest, secs);
    };
    for (i, f) in common::files_under(&gen).iter().enumerate() {
        let rel = f.strip_prefix(&gen).unwrap();
        let secs = 100 * i as u64;
        put(f, i % n, rel, secs);
        if i % 5 == 2 {
            let later = if i % 10 == 2 { secs + 30 } else { secs - 30 };
            put(f, (i + 1) % n, rel, later);
        }
        if i == 3 {
            put(f, i % n, &Path::new("salinan").join(rel), secs + 10);
            put(f, (i + 1) % n, rel, secs + 20);
        }
        if i == 4 {
            for k in 1..n {
                put(f, (i + k) % n, rel, secs + k as u64);
            }
        }
    }
    names
}

/// Runs skm on each shard inbox and on the whole inbox (every shard side by side, as one
/// machine would); returns the shards' outputs, the whole run's output and the rows each
/// accepted (the shards', the whole's).
fn run_shards(
    tmp: &Path,
    inbox: &Path,
    names: &[String],
    config: &str,
) -> (Vec<PathBuf>, PathBuf, usize, usize) {
    let mut outs = Vec::new();
    let mut accepted = 0;
    for name in names {
        let out = tmp.join("out").join(name);
        let s = common::run_with(&inbox.join(name), &out, Config::parse(config).unwrap());
        accepted += s.accepted();
        outs.push(out);
    }
    let whole = tmp.join("out-whole");
    let s = common::run_with(inbox, &whole, Config::parse(config).unwrap());
    (outs, whole, accepted, s.accepted())
}

const SHARD_CONFIG: &str = "[tahun]\naturan = \"semester\"\n\
     [tahun.unit.kecamatan-medansatria]\naturan = \"mean\"\n\
     [tahun.unit.dinas-kesehatan]\naturan = \"pooled\"\n";

#[test]
fn gold_sql_over_shards_counts_a_file_sent_to_two_shards_once() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let names = sharded_inbox(tmp.path(), &inbox, 3, 60);
    let config_path = tmp.path().join("skm.toml");
    std::fs::write(&config_path, SHARD_CONFIG).unwrap();
    let (outs, whole, shards_accepted, whole_accepted) =
        run_shards(tmp.path(), &inbox, &names, SHARD_CONFIG);
    // The shards together accepted more rows than one run: the copies in two shards.
    assert!(
        shards_accepted > whole_accepted + 1_000,
        "{shards_accepted} vs {whole_accepted}"
    );
    let shards: Vec<(&str, &Path)> = names
        .iter()
        .map(String::as_str)
        .zip(outs.iter().map(PathBuf::as_path))
        .collect();
    // The sums and manifests alone (no response here has a time of day), and kunci/ (which
    // reads silver/responses too): both equal one run, every table, every row.
    for kunci in [false, true] {
        let sql_out = tmp.path().join(format!("sql-{kunci}"));
        run_gold_sql(&shards, Some(&config_path), &sql_out, kunci);
        let (rows, diffs) = compare(&whole, &sql_out, &all_tables(), |_| true);
        assert!(
            diffs.is_empty(),
            "gold SQL over {} shards (kunci: {kunci}) differs from one run:\n{diffs}",
            names.len()
        );
        for t in all_tables()
            .into_iter()
            .filter(|t| *t != "unit_tidak_lapor")
        {
            assert!(rows[t] > 0, "{t}: no rows ({rows:?})");
        }
    }
}

/// `t` with `f` applied to each timestamp (`15/10/2024 10:23:45`).
fn timestamps(t: &skm::gen::Table, f: impl Fn(&mut String)) -> skm::gen::Table {
    let mut t = t.clone();
    for row in &mut t.rows {
        for v in row.iter_mut() {
            if let skm::gen::Val::Text(s) = v {
                if s.len() == 19 && s.as_bytes()[13] == b':' && s.as_bytes()[16] == b':' {
                    f(s);
                }
            }
        }
    }
    t
}

fn rows_of(t: &skm::gen::Table, from: usize, to: usize) -> skm::gen::Table {
    skm::gen::Table {
        title: t.title.clone(),
        header: t.header.clone(),
        rows: t.rows[from..to].to_vec(),
    }
}

#[test]
fn gold_sql_with_kunci_over_shards_counts_overlapping_exports_once() {
    use crate::resubmissions::{first, form, put, revised};
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let names = sharded_inbox(tmp.path(), &inbox, 3, 30);
    // A form's weekly cumulative exports (timestamps to the second) landing in three shards:
    // 300, then 600 with one response submitted twice, then all 900; the last also sent again
    // into the first shard (older: the third shard's copy counts).
    let all = form(true);
    assert!(all.rows.len() >= 1_000, "{}", all.rows.len());
    let cumulative = first(&all, 900);
    let d = |k: usize| inbox.join(&names[k]).join("kiriman");
    put(
        &d(0).join("minggu1.csv"),
        &first(&cumulative, 300),
        3 * 86400,
    );
    let mut twice = first(&cumulative, 600);
    twice.rows.insert(6, cumulative.rows[5].clone());
    put(&d(1).join("minggu2.csv"), &twice, 2 * 86400);
    put(&d(2).join("minggu3.csv"), &cumulative, 86400);
    put(&d(0).join("minggu3 (1).csv"), &cumulative, 2 * 86400);
    // Times to the minute: two respondents with the same answers in one minute are two, in
    // every export that has them (the second shard's export, then a later one of its first 30).
    let mut minute = timestamps(&rows_of(&all, 900, 960), |s| s.truncate(16));
    minute.rows.insert(1, minute.rows[0].clone());
    put(&d(1).join("menit.csv"), &minute, 86400);
    put(&d(2).join("menit_awal.csv"), &first(&minute, 30), 2 * 86400);
    // A revision within one shard: its corrected export counts there as in one run. (The
    // form's times repeat every 840 rows: on the 29th, a day no other row has, these 40 share
    // their second with no other response, so the revision is theirs alone.)
    let asli = timestamps(&rows_of(&all, 960, 1000), |s| s.replace_range(0..2, "29"));
    put(&d(1).join("koreksi/asli.csv"), &asli, 3 * 86400);
    put(&d(1).join("koreksi/revisi.csv"), &revised(&asli, 2).0, 3600);

    let config_path = tmp.path().join("skm.toml");
    std::fs::write(&config_path, SHARD_CONFIG).unwrap();
    let (outs, whole, _, _) = run_shards(tmp.path(), &inbox, &names, SHARD_CONFIG);
    // The form's unit is not among the 30 generated ones: its figures are the form's alone.
    assert!(!common::files_under(&inbox)
        .iter()
        .any(|f| f.to_string_lossy().contains("medansatria")));
    let shards: Vec<(&str, &Path)> = names
        .iter()
        .map(String::as_str)
        .zip(outs.iter().map(PathBuf::as_path))
        .collect();
    // One run counts each response once: 900 + 61 (the minute's pair is two) + 40.
    let medansatria = |out: &Path| -> Option<i64> {
        let ikm = common::read(&out.join("gold/ikm_unit.parquet"));
        let (u, t, p, n) = (
            ikm.str("unit_id"),
            ikm.i64("tahun"),
            ikm.str("periode"),
            ikm.i64("n_responden"),
        );
        (0..ikm.len())
            .find(|&i| {
                u[i].as_deref() == Some("kecamatan-medansatria")
                    && t[i] == Some(2024)
                    && p[i].as_deref() == Some("TW4")
            })
            .and_then(|i| n[i])
    };
    let sql_out = tmp.path().join("sql-kunci");
    run_gold_sql(&shards, Some(&config_path), &sql_out, true);
    let (rows, diffs) = compare(&whole, &sql_out, &all_tables(), |_| true);
    assert!(
        diffs.is_empty(),
        "gold SQL with kunci over {} shards differs from one run:\n{diffs}",
        names.len()
    );
    for t in all_tables()
        .into_iter()
        .filter(|t| *t != "unit_tidak_lapor")
    {
        assert!(rows[t] > 0, "{t}: no rows ({rows:?})");
    }
    // One run counts each of the form's responses once: 900, the minute's 61 (its pair is two
    // respondents) and the 40 of the corrected export; the shards counted minggu1 and minggu2's
    // 600 in three shards, the last 300 in two, and menit_awal's 30 again.
    let shard_n: i64 = outs.iter().filter_map(|o| medansatria(o)).sum();
    assert_eq!(medansatria(&whole), Some(900 + 61 + 40));
    assert_eq!(shard_n, 1001 + 2 * 600 + 300 + 30);
    // Without kunci/ the copies of a keyed response in two shards count twice.
    let plain = tmp.path().join("sql-plain");
    run_gold_sql(&shards, Some(&config_path), &plain, false);
    let (_, plain_diffs) = compare(&whole, &plain, &["ikm_unit"], |_| true);
    assert!(
        !plain_diffs.is_empty(),
        "sums alone should count the copies across shards"
    );
}
