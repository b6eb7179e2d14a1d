//! `skm gen`: deterministic for a seed, and every row it makes bad is rejected — no more, no less.

use crate::common;

use skm::gen::inbox::{write_inbox, write_inbox_as, GenSpec, Layout};
use skm::registry::Registry;

fn spec(seed: u64) -> GenSpec {
    GenSpec {
        responses: 6_000,
        units: 12,
        seed,
        tahun: 2024,
        xlsx_share: 0.25,
        bad_share: 0.05,
        timestamps: false,
    }
}

#[test]
fn generated_inboxes_are_reproducible_and_their_bad_rows_are_exactly_the_rejects() {
    let tmp = tempfile::tempdir().unwrap();
    let reg = Registry::embedded();
    let a = write_inbox(&tmp.path().join("a"), &spec(3), &reg).unwrap();
    let b = write_inbox(&tmp.path().join("b"), &spec(3), &reg).unwrap();
    let c = write_inbox(&tmp.path().join("c"), &spec(4), &reg).unwrap();
    assert_eq!(a.files.len(), 48);
    assert_eq!(a.rows, 6_000);
    assert!(
        a.files.iter().any(|f| f.extension().unwrap() == "xlsx")
            && a.files.iter().any(|f| f.extension().unwrap() == "csv")
    );
    for (fa, fb) in a.files.iter().zip(&b.files) {
        if fa.extension().unwrap() == "csv" {
            assert_eq!(
                std::fs::read(fa).unwrap(),
                std::fs::read(fb).unwrap(),
                "{}",
                fa.display()
            );
        }
    }
    let csv_a: Vec<u8> = a
        .files
        .iter()
        .filter(|f| f.extension().unwrap() == "csv")
        .flat_map(|f| std::fs::read(f).unwrap())
        .collect();
    let csv_c: Vec<u8> = c
        .files
        .iter()
        .filter(|f| f.extension().unwrap() == "csv")
        .flat_map(|f| std::fs::read(f).unwrap())
        .collect();
    assert_ne!(csv_a, csv_c, "another seed, other answers");

    let s = common::run_inbox(&tmp.path().join("a"), &tmp.path().join("out"));
    assert_eq!(s.rows_read() as u64, a.rows);
    assert!(a.bad_rows > 200, "{}", a.bad_rows);
    assert_eq!(s.rejected() as u64, a.bad_rows);
    assert_eq!(s.accepted() as u64, a.rows - a.bad_rows);
    let kota = common::read(&tmp.path().join("out/gold/ikm_kota.parquet"));
    let i = (0..kota.len())
        .find(|&i| kota.str("periode")[i].as_deref() == Some("TAHUN"))
        .unwrap();
    assert_eq!(kota.i64("n_unit")[i], Some(12));
    assert_eq!(
        kota.i64("n_unit_tidak_lapor")[i],
        Some(96 - 12),
        "the rest of the registry is listed as missing"
    );
}

/// The same responses laid out as a file per unit × quarter (a quarter of the files XLSX), as
/// 4 quarterly CSV files, as one yearly CSV file and as one workbook of one sheet: skm reads
/// the same rows from each, rejects
/// exactly the rows made bad, and gives the same gold tables.
#[test]
fn every_layout_of_the_same_responses_gives_the_same_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let reg = Registry::embedded();
    let spec = spec(5);
    let mut gold = Vec::new();
    for layout in Layout::ALL {
        let inbox = tmp.path().join(layout.as_str());
        let g = write_inbox_as(&inbox, &spec, *layout, &reg).unwrap();
        let n_files = match layout {
            Layout::UnitQuarter => 48,
            Layout::Quarter => 4,
            Layout::Year | Layout::Workbook => 1,
        };
        assert_eq!(g.files.len(), n_files, "{layout}");
        if *layout == Layout::UnitQuarter {
            assert!(g.files.iter().any(|f| f.extension().unwrap() == "xlsx"));
        } else if *layout == Layout::Workbook {
            assert_eq!(g.files[0].extension().unwrap(), "xlsx");
        } else {
            assert!(g.files.iter().all(|f| f.extension().unwrap() == "csv"));
        }
        assert_eq!(g.rows, 6_000);
        assert!(g.bad_rows > 200, "{}", g.bad_rows);
        let out = tmp.path().join(format!("out-{layout}"));
        let s = common::run_inbox(&inbox, &out);
        assert_eq!(s.rows_read() as u64, g.rows, "{layout}");
        assert_eq!(s.rejected() as u64, g.bad_rows, "{layout}");
        assert_eq!(s.accepted() as u64, g.rows - g.bad_rows, "{layout}");
        let snapshot = common::gold_snapshot(&out);
        // Every table but the rejects (which name the file and row each came from).
        let tables: Vec<_> = snapshot
            .into_iter()
            .filter(|(name, _)| name != "rejects.parquet")
            .collect();
        gold.push((layout, g.bad_rows, tables));
    }
    let (first, rest) = gold.split_first().unwrap();
    for other in rest {
        assert_eq!(other.1, first.1, "bad rows: {} vs {}", other.0, first.0);
        assert_eq!(other.2.len(), first.2.len());
        for (a, b) in first.2.iter().zip(&other.2) {
            assert_eq!(a, b, "{}: {} vs {}", a.0, other.0, first.0);
        }
    }
}

/// `skm gen --layout year` writes the library's yearly file; an unknown layout is a usage error.
#[test]
fn skm_gen_writes_the_layout_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cli");
    let args = [
        "--responses",
        "500",
        "--units",
        "4",
        "--seed",
        "2",
        "--layout",
        "year",
    ];
    common::skm_gen(&out, &args);
    let spec = GenSpec {
        responses: 500,
        units: 4,
        seed: 2,
        tahun: 2024,
        xlsx_share: 0.1,
        bad_share: 0.005,
        timestamps: false,
    };
    let lib = write_inbox_as(
        &tmp.path().join("lib"),
        &spec,
        Layout::Year,
        &Registry::embedded(),
    )
    .unwrap();
    let name = lib.files[0].file_name().unwrap();
    assert_eq!(
        std::fs::read(out.join(name)).unwrap(),
        std::fs::read(&lib.files[0]).unwrap()
    );
    let bad = common::skm(
        &[
            "gen",
            "--responses",
            "10",
            "--layout",
            "month",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("unit-quarter, quarter, year"), "{err}");
}
