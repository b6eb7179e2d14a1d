//! Silver, rejects and files as Polars frames (the column contract is in schemas/outputs.toml).

use polars::prelude::*;

use super::{FileAccount, RejectLog, RejectRef, Response, SheetOutcome};
use crate::domain::UNSUR;
use crate::ingest::Encoding;
use crate::tables::build::{Frame, Rows};

/// One row per accepted response; the texts that repeat (unit, labels, profile answers, file)
/// also as dictionaries, for writing (`tables::encode`).
pub fn responses(rows: &[&Response]) -> PolarsResult<Frame> {
    Rows::new(rows)
        .few("unit_id", |r| Some(r.unit_id))
        .col("tahun", |r| r.tahun)
        .few("periode", |r| Some(r.periode.code()))
        .few("periode_basis", |r| Some(r.periode_basis.as_str()))
        .date("tanggal", |r| r.tanggal)
        .text("jam", |r, s| match &r.jam {
            Some(j) => {
                s.push_str(j);
                true
            }
            None => false,
        })
        .few("jenis_layanan", |r| r.jenis_layanan.as_deref())
        .few("jenis_kelamin", |r| r.jenis_kelamin.as_deref())
        .opt::<Int32Type>("umur", |r| r.umur)
        .few("umur_kelompok", |r| r.umur_kelompok.as_deref())
        .few("pendidikan", |r| r.pendidikan.as_deref())
        .few("pekerjaan", |r| r.pekerjaan.as_deref())
        .each_opt::<UInt8Type, _>(UNSUR.iter(), |u| u.key.to_string(), |r, k| r.skor[k])
        .few("source_file", |r| Some(r.source_file))
        .few("sheet", |r| Some(r.sheet))
        .col("source_row", |r| r.source_row)
        .text("kunci", |r, s| match &r.kunci {
            Some(k) => {
                super::with_kunci_hex(k, |h| s.push_str(h));
                true
            }
            None => false,
        })
        .framed()
}

/// The rows of each year (years ascending, rows in order): a part of silver holds one year.
pub fn by_year(rows: &[Response]) -> Vec<(i32, Vec<&Response>)> {
    let mut years: Vec<(i32, Vec<&Response>)> = Vec::new();
    let mut last = usize::MAX;
    for r in rows {
        if years.get(last).is_none_or(|(y, _)| *y != r.tahun) {
            last = match years.iter().position(|(y, _)| *y == r.tahun) {
                Some(i) => i,
                None => {
                    years.push((r.tahun, Vec::new()));
                    years.len() - 1
                }
            };
        }
        years[last].1.push(r);
    }
    years.sort_by_key(|(y, _)| *y);
    years
}

/// One row per problem in a rejected row, or per unusable file or sheet: rejects `range` of
/// `log`.
pub fn rejects(log: &RejectLog, range: std::ops::Range<usize>) -> PolarsResult<DataFrame> {
    let rows: Vec<RejectRef<'_>> = log.range(range).collect();
    Rows::new(&rows)
        .col("source_file", |r| r.source_file)
        .col("sheet", |r| r.sheet)
        .col("source_row", |r| r.source_row)
        .col("kolom", |r| r.kolom)
        .col("nilai", |r| r.nilai)
        .col("alasan", |r| r.alasan)
        .col("kode", |r| r.kode.as_str())
        .frame()
}

/// Every reject of `log` as frames of `n` rows (`rejects`), at least one (an empty frame
/// when there are none): the table written a piece at a time (`tables::write_table_pieces`),
/// never as one frame of every reject.
pub fn rejects_pieces(
    log: &RejectLog,
    n: usize,
) -> impl Iterator<Item = PolarsResult<DataFrame>> + '_ {
    let n = n.max(1);
    let starts = (0..log.len().max(1)).step_by(n);
    starts.map(move |start| rejects(log, start..(start + n).min(log.len())))
}

/// Per file and sheet: what was read and what became of it.
pub fn files(files: &[FileAccount]) -> PolarsResult<DataFrame> {
    let rows: Vec<(&FileAccount, &str, &SheetOutcome)> = files
        .iter()
        .flat_map(|f| f.sheets.iter().map(move |(s, o)| (f, s.as_str(), o)))
        .collect();
    Rows::new(&rows)
        .col("source_file", |(f, _, _)| f.file.as_str())
        .col("sheet", |(_, s, _)| *s)
        .col("jenis_lembar", |(_, _, o)| o.kind.as_str())
        .col("baris_dibaca", |(_, _, o)| o.rows_read as u32)
        .col("diterima", |(_, _, o)| o.accepted as u32)
        .col("ditolak", |(_, _, o)| o.rejected as u32)
        .col("dilewati", |(_, _, o)| o.skipped as u32)
        .col("duplikat", |(_, _, o)| o.duplicates as u32)
        .col("tercakup_dalam", |(_, _, o)| o.contained_in.as_deref())
        .col("pengkodean", |(_, _, o)| o.encoding.map(Encoding::name))
        .col("cara_baca", |(f, _, _)| f.cara_baca.map(|c| c.as_str()))
        .col("urutan_tanggal", |(_, _, o)| {
            o.date_order.map(|d| d.0.as_str())
        })
        .col("urutan_tanggal_basis", |(_, _, o)| {
            o.date_order.map(|d| d.1.as_str())
        })
        .col("urutan_tanggal_dari", |(_, _, o)| {
            o.date_order_from.as_deref()
        })
        .col("unit_dari", |(_, _, o)| o.unit_dari.map(|u| u.as_str()))
        .col("periode_dari", |(_, _, o)| o.periode_dari.as_deref())
        .col("tahun_dari", |(_, _, o)| o.tahun_dari.as_deref())
        .col("zona_waktu_asal", |(_, _, o)| o.zona_waktu_asal.as_deref())
        .col("unit_tebakan", |(_, _, o)| o.unit_tebakan.as_deref())
        .col("dilewati_tersembunyi", |(_, _, o)| {
            o.hidden_skipped.len() as u32
        })
        .col("baris_tersembunyi", |(_, _, o)| {
            (!o.hidden_skipped.is_empty()).then(|| rows_listed(&o.hidden_skipped))
        })
        .col("tersembunyi_dibaca", |(_, _, o)| o.hidden_read as u32)
        .col("tidak_diperiksa", |(_, _, o)| o.tidak_diperiksa.as_deref())
        .col("jawaban_dibaca_sebagai", |(_, _, o)| {
            match (o.option_letters, &o.singkatan, o.likert_lembar) {
                (true, _, _) => Some("huruf_a_d"),
                (false, Some(_), _) => Some("singkatan"),
                (false, None, true) => Some("likert_lembar"),
                (false, None, false) => None,
            }
        })
        .frame()
}

/// Row numbers as a list an operator reads: `4; 7; 9`, runs as `12-15`.
pub fn rows_listed(rows: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let mut j = i;
        while j + 1 < rows.len() && rows[j + 1] == rows[j] + 1 {
            j += 1;
        }
        parts.push(match j - i {
            0 => rows[i].to_string(),
            _ => format!("{}-{}", rows[i], rows[j]),
        });
        i = j + 1;
    }
    parts.join("; ")
}
