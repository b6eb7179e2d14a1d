//! `skm gen`: deterministic for a seed, and every row it makes bad is rejected — no more, no less.

use crate::common;

use skm::gen::inbox::{write_inbox, GenSpec};
use skm::registry::Registry;

fn spec(seed: u64) -> GenSpec {
    GenSpec {
        responses: 6_000,
        units: 12,
        seed,
        tahun: 2024,
        xlsx_share: 0.25,
        bad_share: 0.05,
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
