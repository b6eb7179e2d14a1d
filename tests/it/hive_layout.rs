//! Every output opens in the tools analysts use (issue 18): a partitioned table
//! (`silver/responses`, `silver/sums`) follows the Hive convention, its partition column in the
//! folder name only and never stored in a part (else pyarrow and pandas refuse the folder:
//! "Unable to merge: Field tahun has incompatible types"); every other table is a single file
//! whose columns, in order and type, are the data dictionary's. `just interop` opens the same
//! outputs with pandas, pyarrow, DuckDB, Polars and Spark.

use crate::common;

use std::path::Path;

use arrow::datatypes::DataType;
use skm::gen::inbox::{write_inbox, GenSpec};
use skm::registry::Registry;
use skm::tables::{ColumnDef, Dictionary};

/// The demo inbox (realization sheets included, so every gold table has rows) and a generated
/// year before it, so silver has two partitions.
fn inbox(dir: &Path) {
    let demo = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/inbox"));
    let mut stack = vec![demo.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let to = dir.join("demo").join(p.strip_prefix(demo).unwrap());
            if p.is_dir() {
                stack.push(p);
            } else {
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::copy(&p, &to).unwrap();
            }
        }
    }
    write_inbox(
        &dir.join("gen2023"),
        &GenSpec {
            responses: 2_000,
            units: 4,
            seed: 18,
            tahun: 2023,
            xlsx_share: 0.25,
            bad_share: 0.01,
            timestamps: false,
        },
        &Registry::embedded(),
    )
    .unwrap();
}

/// Rows accepted into silver (a recap sheet's accepted rows are recap rows, not responses).
fn responses(s: &skm::run::RunSummary, prefix: &str) -> usize {
    s.files
        .iter()
        .filter(|f| f.file.starts_with(prefix))
        .flat_map(|f| &f.sheets)
        .filter(|(_, o)| o.kind == skm::normalize::SheetKind::Kuesioner)
        .map(|(_, o)| o.accepted)
        .sum()
}

/// The `name=value` folders of a path below `root`.
fn partitions(root: &Path, file: &Path) -> Vec<(String, String)> {
    file.strip_prefix(root)
        .unwrap()
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .filter_map(|c| {
            let c = c.as_os_str().to_string_lossy();
            c.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect()
}

/// Whether an Arrow type read back is what the dictionary's type name says.
fn type_matches(def: &ColumnDef, t: &DataType) -> bool {
    match def.typ.as_str() {
        // Not string_view: pyarrow (and pandas' filters=) cannot compare or filter it.
        "str" => matches!(t, DataType::Utf8 | DataType::LargeUtf8),
        "bool" => *t == DataType::Boolean,
        "i32" => *t == DataType::Int32,
        "i64" => *t == DataType::Int64,
        "u8" => *t == DataType::UInt8,
        "u32" => *t == DataType::UInt32,
        "f64" => *t == DataType::Float64,
        "date" => *t == DataType::Date32,
        "decimal" => matches!(t, DataType::Decimal128(20, 2)),
        other => panic!("dictionary type {other}"),
    }
}

/// Names and types of a file's columns against the dictionary's, without the partition columns.
fn same_columns(table: &common::Table, want: &[&ColumnDef]) -> Result<(), String> {
    let got: Vec<(String, DataType)> = table
        .schema
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone()))
        .collect();
    let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    let want_names: Vec<&str> = want.iter().map(|c| c.name.as_str()).collect();
    if names != want_names {
        return Err(format!(
            "{}: columns {names:?}, the dictionary says {want_names:?}",
            table.path.display()
        ));
    }
    for ((n, t), def) in got.iter().zip(want) {
        if !type_matches(def, t) {
            return Err(format!(
                "{}: column {n} is {t:?}, the dictionary says {}",
                table.path.display(),
                def.typ
            ));
        }
    }
    Ok(())
}

#[test]
fn partitioned_files_hold_no_partition_column_and_gold_is_the_dictionary() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    inbox(&dir);
    let s = common::run_inbox(&dir, &out);
    let out = std::fs::canonicalize(&out).unwrap();
    let dict = Dictionary::embedded();
    let mut partitioned = 0;
    for t in &dict.tables {
        match t.path.split_once("/tahun=") {
            Some((folder, _)) => {
                let root = out.join(folder);
                let files = common::files_under(&root);
                let mut years = std::collections::BTreeSet::new();
                for f in &files {
                    assert_eq!(
                        f.extension().and_then(|e| e.to_str()),
                        Some("parquet"),
                        "{}",
                        f.display()
                    );
                    let parts = partitions(&root, f);
                    let keys: Vec<&str> = parts.iter().map(|(k, _)| k.as_str()).collect();
                    assert_eq!(keys, ["tahun"], "{}: one partition level", f.display());
                    let year: i32 = parts[0].1.parse().unwrap();
                    years.insert(year);
                    let table = common::read(f);
                    // The Hive convention: the partition column is in the path, not the file.
                    assert!(
                        !table.columns().iter().any(|c| c == "tahun"),
                        "{} stores its partition column tahun: pandas.read_parquet of the \
                         folder fails",
                        f.display()
                    );
                    let want: Vec<&ColumnDef> =
                        t.columns.iter().filter(|c| c.name != "tahun").collect();
                    same_columns(&table, &want).unwrap();
                    partitioned += 1;
                }
                assert_eq!(
                    years.into_iter().collect::<Vec<_>>(),
                    [2023, 2024],
                    "{}: a folder per year",
                    t.name
                );
                assert!(
                    t.columns.iter().any(|c| c.name == "tahun"),
                    "the dictionary keeps tahun as a column of {}",
                    t.name
                );
            }
            None => {
                let path = out.join(&t.path);
                assert!(path.is_file(), "{} is a single file", path.display());
                let want: Vec<&ColumnDef> = t.columns.iter().collect();
                same_columns(&common::read(&path), &want).unwrap();
            }
        }
    }
    assert!(partitioned > 4, "{partitioned} parts");
    // Gold is single files only: no folder a reader would take for a partitioned table.
    for e in std::fs::read_dir(out.join("gold")).unwrap() {
        let p = e.unwrap().path();
        assert!(p.is_file(), "{} is not a single file", p.display());
    }
    // Read back with tahun from the path, silver holds every accepted row of its year.
    let accepted_2024 = responses(&s, "demo/");
    let silver = common::read_silver(&out, 2024);
    assert_eq!(silver.len(), accepted_2024);
    assert!(silver.i64("tahun").iter().all(|y| *y == Some(2024)));
    assert_eq!(
        common::read_silver(&out, 2023).len(),
        responses(&s, "gen2023/")
    );
}

#[test]
fn skm_reads_tahun_back_from_the_folder_names() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    inbox(&dir);
    let s = common::run_inbox(&dir, &out);
    let dict = Dictionary::embedded();
    use polars::prelude::*;
    for (name, lf) in [
        (
            "responses",
            skm::silver::scan::scan_silver(&out.join("silver/responses")).unwrap(),
        ),
        (
            "sums",
            skm::silver::scan::scan_sums(&out.join("silver/sums")).unwrap(),
        ),
    ] {
        let df = lf.collect().unwrap();
        skm::tables::check(&df, dict.table(name)).unwrap();
        let years = df
            .column("tahun")
            .unwrap()
            .i32()
            .unwrap()
            .unique()
            .unwrap()
            .sort(false);
        assert_eq!(
            years.iter().collect::<Vec<_>>(),
            [Some(2023), Some(2024)],
            "{name}"
        );
        if name == "responses" {
            assert_eq!(df.height(), responses(&s, ""));
        }
    }
    // `skm sql` presents tahun as a column of both tables.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_skm"))
        .args([
            "sql",
            "SELECT tahun, count(*) AS n FROM responses GROUP BY tahun ORDER BY tahun",
            "--dir",
        ])
        .arg(&out)
        .arg("--out")
        .arg(tmp.path().join("n.csv"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(tmp.path().join("n.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "tahun,n");
    let total: usize = lines[1..]
        .iter()
        .map(|l| l.split_once(',').unwrap().1.parse::<usize>().unwrap())
        .sum();
    assert_eq!(total, responses(&s, ""));
    assert!(
        lines[1].starts_with("2023,") && lines[2].starts_with("2024,"),
        "{csv}"
    );
}
