//! Silver and rejects as Polars frames (the column contract is in schemas/outputs.toml).

use chrono::NaiveDate;
use polars::prelude::*;

use super::{Reject, Response, SheetOutcome};
use crate::domain::UNSUR;

fn days(d: &NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
    (*d - epoch).num_days() as i32
}

/// The three provenance columns every row-level table carries: `source_file, sheet, source_row`.
pub fn source_columns<T>(
    rows: &[T],
    file: impl Fn(&T) -> &str,
    sheet: impl Fn(&T) -> &str,
    row: impl Fn(&T) -> u32,
) -> [Column; 3] {
    [
        Column::new(
            "source_file".into(),
            rows.iter().map(&file).collect::<Vec<_>>(),
        ),
        Column::new("sheet".into(), rows.iter().map(&sheet).collect::<Vec<_>>()),
        Column::new(
            "source_row".into(),
            rows.iter().map(&row).collect::<Vec<_>>(),
        ),
    ]
}

/// One row per accepted response.
pub fn responses(rows: &[Response]) -> PolarsResult<DataFrame> {
    let s = |name: &str, f: &dyn Fn(&Response) -> Option<&str>| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    let mut cols = vec![
        Column::new(
            "unit_id".into(),
            rows.iter().map(|r| &*r.unit_id).collect::<Vec<_>>(),
        ),
        Column::new(
            "tahun".into(),
            rows.iter().map(|r| r.tahun).collect::<Vec<_>>(),
        ),
        Column::new(
            "periode".into(),
            rows.iter().map(|r| r.periode.code()).collect::<Vec<_>>(),
        ),
        Column::new(
            "periode_basis".into(),
            rows.iter().map(|r| r.periode_basis).collect::<Vec<_>>(),
        ),
        Column::new(
            "tanggal".into(),
            rows.iter()
                .map(|r| r.tanggal.as_ref().map(days))
                .collect::<Vec<_>>(),
        )
        .cast(&DataType::Date)?,
        s("jenis_layanan", &|r| r.jenis_layanan.as_deref()),
        s("jenis_kelamin", &|r| r.jenis_kelamin.as_deref()),
        Column::new(
            "umur".into(),
            rows.iter().map(|r| r.umur).collect::<Vec<_>>(),
        ),
        s("umur_kelompok", &|r| r.umur_kelompok.as_deref()),
        s("pendidikan", &|r| r.pendidikan.as_deref()),
        s("pekerjaan", &|r| r.pekerjaan.as_deref()),
    ];
    for (i, u) in UNSUR.iter().enumerate() {
        cols.push(Column::new(
            u.key.into(),
            rows.iter().map(|r| r.skor[i]).collect::<Vec<Option<u8>>>(),
        ));
    }
    cols.push(Column::new(
        "source_file".into(),
        rows.iter().map(|r| &*r.source_file).collect::<Vec<_>>(),
    ));
    cols.push(Column::new(
        "sheet".into(),
        rows.iter().map(|r| &*r.sheet).collect::<Vec<_>>(),
    ));
    cols.push(Column::new(
        "source_row".into(),
        rows.iter().map(|r| r.source_row).collect::<Vec<_>>(),
    ));
    DataFrame::new(rows.len(), cols)
}

pub fn rejects(rows: &[Reject]) -> PolarsResult<DataFrame> {
    let cols = vec![
        Column::new(
            "source_file".into(),
            rows.iter()
                .map(|r| r.source_file.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "sheet".into(),
            rows.iter().map(|r| r.sheet.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "source_row".into(),
            rows.iter().map(|r| r.source_row).collect::<Vec<_>>(),
        ),
        Column::new(
            "kolom".into(),
            rows.iter().map(|r| r.kolom.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "nilai".into(),
            rows.iter().map(|r| r.nilai.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "alasan".into(),
            rows.iter().map(|r| r.alasan.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "kode".into(),
            rows.iter().map(|r| r.kode.as_str()).collect::<Vec<_>>(),
        ),
    ];
    DataFrame::new(rows.len(), cols)
}

/// Per file and sheet: what was read and what became of it.
pub fn files(rows: &[(String, String, SheetOutcome)]) -> PolarsResult<DataFrame> {
    let n = |f: &dyn Fn(&SheetOutcome) -> usize| {
        rows.iter().map(|(_, _, o)| f(o) as u32).collect::<Vec<_>>()
    };
    let cols = vec![
        Column::new(
            "source_file".into(),
            rows.iter().map(|(f, _, _)| f.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "sheet".into(),
            rows.iter().map(|(_, s, _)| s.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "jenis_lembar".into(),
            rows.iter().map(|(_, _, o)| o.kind).collect::<Vec<_>>(),
        ),
        Column::new("baris_dibaca".into(), n(&|o| o.rows_read)),
        Column::new("diterima".into(), n(&|o| o.accepted)),
        Column::new("ditolak".into(), n(&|o| o.rejected)),
        Column::new("dilewati".into(), n(&|o| o.skipped)),
        Column::new(
            "pengkodean".into(),
            rows.iter()
                .map(|(_, _, o)| o.encoding.map(crate::ingest::Encoding::name))
                .collect::<Vec<_>>(),
        ),
    ];
    DataFrame::new(rows.len(), cols)
}

/// The run's manifest: one row per input file (`run::ManifestRow`).
pub fn manifest(rows: &[crate::run::ManifestRow]) -> PolarsResult<DataFrame> {
    let cols = vec![
        Column::new(
            "source_file".into(),
            rows.iter().map(|r| r.file.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "ukuran_byte".into(),
            rows.iter().map(|r| r.size as i64).collect::<Vec<_>>(),
        ),
        Column::new(
            "diubah".into(),
            rows.iter()
                .map(|r| {
                    chrono::DateTime::from_timestamp_nanos(r.mtime_ns as i64)
                        .with_timezone(&chrono::Local)
                        .to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
                })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "blake3".into(),
            rows.iter().map(|r| r.blake3.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "hash_dari".into(),
            rows.iter().map(|r| r.hash_basis).collect::<Vec<_>>(),
        ),
        Column::new(
            "baris_dibaca".into(),
            rows.iter().map(|r| r.rows_read as u32).collect::<Vec<_>>(),
        ),
        Column::new(
            "diterima".into(),
            rows.iter().map(|r| r.accepted as u32).collect::<Vec<_>>(),
        ),
        Column::new(
            "ditolak".into(),
            rows.iter().map(|r| r.rejected as u32).collect::<Vec<_>>(),
        ),
        Column::new(
            "dibaca_pada".into(),
            rows.iter().map(|r| r.made_at.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "dipakai_ulang".into(),
            rows.iter().map(|r| r.reused).collect::<Vec<_>>(),
        ),
    ];
    DataFrame::new(rows.len(), cols)
}
