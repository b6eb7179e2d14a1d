//! Speed and scale (issue 6), as far as tests go (speed itself is measured by `just bench`):
//! gold is added up from silver's per-part sums, and that gives exactly what a group-by over
//! every silver row gives; the sums read back with arrow-rs agree with silver row by row; and
//! the result does not depend on how many files are read at once.

use crate::common;

use std::path::Path;

use polars::prelude::*;
use skm::compute;
use skm::gen::inbox::{write_inbox, GenSpec};
use skm::registry::Registry;
use skm::silver::scan::{scan_silver, scan_sums};
use skm::silver::sums as partial;

fn inbox(dir: &Path) {
    write_inbox(
        dir,
        &GenSpec {
            responses: 30_000,
            units: 20,
            seed: 11,
            tahun: 2024,
            xlsx_share: 0.2,
            bad_share: 0.01,
            timestamps: false,
        },
        &Registry::embedded(),
    )
    .unwrap();
}

fn sorted(lf: LazyFrame, by: &[&str]) -> DataFrame {
    lf.sort(
        by.to_vec(),
        SortMultipleOptions::default().with_nulls_last(true),
    )
    .collect()
    .unwrap()
}

#[test]
fn gold_from_the_sums_equals_gold_from_every_silver_row() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("inbox");
    inbox(&dir);
    let out = tmp.path().join("out");
    let s = common::run_inbox(&dir, &out);
    assert!(s.accepted() > 29_000, "{}", s.accepted());

    let silver = scan_silver(&out.join("silver/responses")).unwrap();
    let sums = scan_sums(&out.join("silver/sums")).unwrap();
    let keys = ["unit_id", "tahun", "periode"];
    let from_rows = sorted(compute::period_sums(silver.clone()), &keys);
    let from_sums = sorted(partial::period_sums(sums.clone()), &keys);
    assert_eq!(
        from_rows.height(),
        20 * 5,
        "4 quarters and the year for 20 units"
    );
    assert!(
        from_rows.equals_missing(&from_sums),
        "{from_rows}\n{from_sums}"
    );

    // Every profile group: respondents and per-unsur sums equal a group-by over silver.
    let groups = partial::profile_sums(sums).collect().unwrap();
    for d in partial::DIMENSIONS {
        let direct = sorted(
            silver
                .clone()
                .filter(col(d).is_not_null())
                .group_by([col("unit_id"), col("tahun"), col(d).alias("kelompok")])
                .agg([
                    len().cast(DataType::Int64).alias("n_responden"),
                    col("waktu").cast(DataType::Int64).sum().alias("waktu__sum"),
                    col("pengaduan")
                        .count()
                        .cast(DataType::Int64)
                        .alias("pengaduan__n"),
                ]),
            &["unit_id", "tahun", "kelompok"],
        );
        let via = sorted(
            groups
                .clone()
                .lazy()
                .filter(
                    col("tingkat")
                        .eq(lit("unit"))
                        .and(col("dimensi").eq(lit(d))),
                )
                .select([
                    col("unit_id"),
                    col("tahun"),
                    col("kelompok"),
                    col("n_responden"),
                    col("waktu__sum"),
                    col("pengaduan__n"),
                ]),
            &["unit_id", "tahun", "kelompok"],
        );
        assert!(direct.height() > 20, "{d}: {}", direct.height());
        assert!(direct.equals_missing(&via), "{d}\n{direct}\n{via}");
    }

    // Read back with arrow-rs: the sums' totals add up to silver's rows, file by file.
    let rows = common::read_silver(&out, 2024);
    let sums = common::read(&out.join("silver/sums/tahun=2024/sums.parquet"));
    let mut from_sums: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    let (file, dims) = (sums.str("source_file"), sums.str("dimensi"));
    let (n, pn) = (sums.i64("n_responden"), sums.i64("persyaratan__n"));
    for i in 0..sums.len() {
        if dims[i].is_none() {
            let e = from_sums.entry(file[i].clone().unwrap()).or_default();
            e.0 += n[i].unwrap();
            e.1 += pn[i].unwrap();
        }
    }
    let mut from_rows: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    let (file, answer) = (rows.str("source_file"), rows.i64("persyaratan"));
    for i in 0..rows.len() {
        let e = from_rows.entry(file[i].clone().unwrap()).or_default();
        e.0 += 1;
        e.1 += i64::from(answer[i].is_some());
    }
    assert_eq!(from_sums.len(), 80, "every file of the 20 units");
    assert_eq!(from_sums, from_rows);
}

#[test]
fn one_worker_or_several_give_the_same_silver_and_gold() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("inbox");
    inbox(&dir);
    // With the same responses arriving more than once (issue 12).
    crate::resubmissions::overlapping_exports(&dir);
    // `per_pass`: the keyed rows the duplicates pass takes at once (empty: the default).
    let snapshot = |threads: &str, per_pass: &str| {
        let out = tmp.path().join(format!("out{threads}"));
        let o = crate::common::skm_command()
            .args(["run", "--full", "--json", "--inbox"])
            .arg(&dir)
            .arg("--out")
            .arg(&out)
            .env("POLARS_MAX_THREADS", threads)
            .env("SKM_KEYED_PER_PASS", per_pass)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        // The identities spilled for the passes (silver::keys) are gone once they are done.
        let silver: Vec<_> = std::fs::read_dir(out.join("silver"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert!(!silver.iter().any(|n| n.starts_with('.')), "{silver:?}");
        let mut tables = Vec::new();
        for sub in [
            "silver/responses/tahun=2024",
            "silver/sums/tahun=2024",
            "silver/silang/tahun=2024",
            "gold",
        ] {
            let mut ps: Vec<_> = std::fs::read_dir(out.join(sub))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            ps.sort();
            for p in ps {
                tables.push((
                    p.strip_prefix(&out).unwrap().display().to_string(),
                    common::read(&p).rows_as_text(),
                ));
            }
        }
        for t in ["rejects", "files", "duplikat"] {
            tables.push((
                t.into(),
                common::read(&out.join(format!("{t}.parquet"))).rows_as_text(),
            ));
        }
        tables
    };
    let one = snapshot("1", "");
    let two = snapshot("2", "");
    let four = snapshot("4", "");
    // The duplicates found a share of the moments at a time, in many passes.
    let passes = snapshot("2", "50");
    assert!(one.len() > 80, "{}", one.len());
    assert!(one == two, "1 vs 2 workers differ");
    assert!(one == four, "1 vs 4 workers differ");
    assert!(one == passes, "one pass vs passes of 50 keyed rows differ");
}
