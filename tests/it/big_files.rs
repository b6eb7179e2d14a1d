//! Big files (issue 13): one CSV file read as a stream of chunks on every core gives exactly the
//! tables reading it whole on one thread gives, whatever the number of threads and the chunk
//! size (chunks cut where a quoted field holds a line break included), and a file beyond a
//! limit is refused while it is read, with its reason, leaving nothing behind.

use std::path::Path;

use crate::common::{full_snapshot, read, run_with, skm_run, Snapshot};
use skm::config::Config;
use skm::gen::demo::waves;
use skm::gen::{exact_wave, wave_table, write_csv, HeaderStyle, Table, Val, WaveLayout};

/// One export of six waves at Medansatria over two years (about 6,000 rows): timestamps, the
/// profile, a multi-line `Jenis Layanan` on every third row, bad answers, blank lines, a header
/// repeated at a page break, a response submitted twice, a closing average row.
fn big_export() -> Table {
    let w = &waves().unwrap()[1];
    let mut all = Table {
        title: vec!["REKAP JAWABAN SKM KEC. MEDAN SATRIA".into()],
        header: Vec::new(),
        rows: Vec::new(),
    };
    let months = [
        (2024, 7),
        (2024, 10),
        (2024, 12),
        (2025, 2),
        (2025, 5),
        (2025, 8),
    ];
    for (k, m) in months.iter().enumerate() {
        let t = wave_table(
            &exact_wave(w.nrr_milli, 11 + k as u64),
            &WaveLayout {
                style: HeaderStyle::Codes,
                unit_column: Some("Kec. Medan Satria".into()),
                periode_column: None,
                months: vec![*m],
                timestamps: true,
                title: vec![],
                profile: true,
                seed: 11 + k as u64,
            },
        );
        all.header = t.header.clone();
        all.rows.extend(t.rows);
    }
    let col = |name: &str| all.header.iter().position(|h| h == name).unwrap();
    let (layanan, u3) = (col("Jenis Layanan"), col("U3"));
    for (i, r) in all.rows.iter_mut().enumerate() {
        if i % 3 == 0 {
            r[layanan] = Val::text("Surat Keterangan\nTidak Mampu; \"SKTM\"");
        }
        if i % 997 == 5 {
            r[u3] = Val::text("5");
        }
        if i % 1500 == 7 {
            r[u3] = Val::text("tiga");
        }
    }
    let twice = all.rows[2500].clone();
    all.rows.insert(2501, twice);
    let blank = vec![Val::Empty; all.header.len()];
    all.rows.insert(1200, blank.clone());
    all.rows.insert(
        3000,
        all.header.iter().map(|h| Val::text(h.clone())).collect(),
    );
    let mut closing = blank;
    closing[0] = Val::text("Rata-rata");
    all.rows.push(closing);
    all
}

/// A table as CSV text, with CRLF line ends from the middle on (a file appended to on
/// Windows).
fn csv_text(t: &Table) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.csv");
    write_csv(&p, t, b';', false).unwrap();
    let text = std::fs::read(&p).unwrap();
    let half = text.len() / 2;
    let mut out = text[..half].to_vec();
    for &b in &text[half..] {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// `skm run --full` on `inbox` with `workers` threads and chunks of `chunk_kb` KiB (0: read
/// whole), into `out`.
fn run(inbox: &Path, out: &Path, workers: usize, chunk_kb: usize) -> Snapshot {
    let (w, kb) = (workers.to_string(), chunk_kb.to_string());
    run_env(inbox, out, &[("SKM_WORKERS", &w), ("SKM_CHUNK_KB", &kb)])
}

#[test]
fn one_csv_on_any_number_of_threads_and_chunks_gives_the_tables_of_reading_it_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let text = csv_text(&big_export());
    std::fs::write(inbox.join("medansatria_2024_2025.csv"), &text).unwrap();
    // Written an hour ago, as a night's inbox is (a file still being written is not reused).
    std::fs::File::options()
        .write(true)
        .open(inbox.join("medansatria_2024_2025.csv"))
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();
    let whole = run(&inbox, &tmp.path().join("whole"), 1, 0);
    let way = |out: &Path| crate::common::ways_read(out)["medansatria_2024_2025.csv"].clone();
    assert_eq!(way(&tmp.path().join("whole")), "utuh");
    // What reading it whole gives, as the other runs must give it too.
    let files = read(&tmp.path().join("whole/files.parquet"));
    let accepted = files.i64("diterima")[0].unwrap();
    let rejected = files.i64("ditolak")[0].unwrap();
    let skipped = files.i64("dilewati")[0].unwrap();
    let twice = files.i64("duplikat")[0].unwrap();
    assert_eq!(
        accepted + rejected + twice,
        6 * 1001 + 1,
        "every data row read"
    );
    assert_eq!(twice, 1, "the double submission");
    assert!(rejected >= 8, "the bad answers are rejected: {rejected}");
    assert_eq!(skipped, 3, "blank line, repeated header, closing row");
    let duplikat = read(&tmp.path().join("whole/duplikat.parquet"));
    assert_eq!(duplikat.len(), 1, "the double submission");
    let years: Vec<_> = std::fs::read_dir(tmp.path().join("whole/silver/responses"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(years.len(), 2, "{years:?}");
    let silver = crate::common::read_silver(&tmp.path().join("whole"), 2024);
    assert!(silver
        .str("jenis_layanan")
        .iter()
        .any(|v| v.as_deref() == Some("Surat Keterangan\nTidak Mampu; \"SKTM\"")));
    // The file is about 1 MiB: 1 KiB chunks cut it ~1,000 times, many inside a quoted field.
    assert!(text.len() > 700_000, "{}", text.len());
    for (workers, kb) in [
        (1, 1),
        (2, 1),
        (4, 1),
        (1, 7),
        (2, 7),
        (4, 7),
        (1, 64),
        (2, 64),
        (4, 64),
        (4, 2048),
    ] {
        let out = tmp.path().join(format!("w{workers}-{kb}k"));
        let streamed = run(&inbox, &out, workers, kb);
        assert_eq!(way(&out), "bertahap_csv", "{workers} threads, {kb} KiB");
        if kb == 1 {
            // ~1,000 chunks, a row group each: the year's part is written in several pieces.
            let pieces = std::fs::read_dir(out.join("silver/responses/tahun=2024"))
                .unwrap()
                .count();
            assert!(pieces > 1, "{workers} threads, {kb} KiB: {pieces} piece(s)");
            if workers == 2 {
                // An incremental run keeps the pieces in its cache; the next night reuses
                // them, in their order.
                let env = [("SKM_WORKERS", "2"), ("SKM_CHUNK_KB", "1")];
                let o = skm_run(&inbox, &out, &["--json"], &env);
                assert!(o.status.code().is_some_and(|c| c == 0 || c == 3));
                let o = skm_run(&inbox, &out, &["--json"], &env);
                assert!(o.status.code().is_some_and(|c| c == 0 || c == 3));
                let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
                assert_eq!(report["files_reused"].as_u64(), Some(1), "{report}");
                assert!(
                    full_snapshot(&out) == whole,
                    "reused pieces: the same tables"
                );
                assert_eq!(way(&out), "bertahap_csv", "reused: as it was read");
            }
        }
        assert_eq!(
            streamed.len(),
            whole.len(),
            "{workers} threads, {kb} KiB: the same tables"
        );
        for (a, b) in streamed.iter().zip(&whole) {
            assert_eq!(a.0, b.0, "{workers} threads, {kb} KiB");
            assert!(a.1 == b.1, "{workers} threads, {kb} KiB: {} differs", a.0);
        }
    }
}

/// The rejects of `file` in an output: (kode, alasan).
fn rejects_of(out: &Path, file: &str) -> Vec<(String, String)> {
    let r = read(&out.join("rejects.parquet"));
    let (f, k, a) = (r.str("source_file"), r.str("kode"), r.str("alasan"));
    (0..r.len())
        .filter(|&i| f[i].as_deref() == Some(file))
        .map(|i| (k[i].clone().unwrap(), a[i].clone().unwrap()))
        .collect()
}

#[test]
fn a_file_beyond_a_limit_is_refused_while_it_is_read_and_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let big = big_export();
    std::fs::write(inbox.join("banyak.csv"), csv_text(&big)).unwrap();
    let first = |n: usize| Table {
        title: big.title.clone(),
        header: big.header.clone(),
        rows: big.rows[..n].to_vec(),
    };
    // The other files are within the row limit. A row far down the file with more columns
    // than allowed:
    let mut wide = csv_text(&first(2500));
    wide.extend(format!("1{}\n", ";x".repeat(80)).as_bytes());
    wide.extend(csv_text(&Table {
        title: vec![],
        ..first(100)
    }));
    std::fs::write(inbox.join("lebar.csv"), &wide).unwrap();
    // A quote never closed: the rest of the file would be one field.
    let mut open_quote = csv_text(&first(800));
    open_quote.extend(b"\"Kec. Medan Satria;");
    // (Over 4 MiB, so that it is streamed: a smaller file is read whole, where the open
    // quote makes one oversized field, a rejected row.)
    open_quote.extend("1;2;3;4\n".repeat(600_000).as_bytes());
    std::fs::write(inbox.join("kutip.csv"), &open_quote).unwrap();
    // And one small file that is fine.
    std::fs::write(inbox.join("kecil.csv"), csv_text(&first(300))).unwrap();
    let out = tmp.path().join("out");
    let config = Config::parse("[batas]\nbaris = 5000\nkolom = 60\nkarakter_sel = 200\n").unwrap();
    run_with(&inbox, &out, config);
    let banyak = rejects_of(&out, "banyak.csv");
    assert_eq!(banyak.len(), 1, "{banyak:?}");
    assert_eq!(banyak[0].0, "berkas_terlalu_besar");
    assert!(
        banyak[0].1.contains("lebih dari 5000 baris"),
        "{}",
        banyak[0].1
    );
    let lebar = rejects_of(&out, "lebar.csv");
    assert_eq!(lebar.len(), 1, "{lebar:?}");
    assert!(
        lebar[0].1.contains("kolom, melebihi batas 60"),
        "{}",
        lebar[0].1
    );
    let kutip = rejects_of(&out, "kutip.csv");
    assert_eq!(kutip.len(), 1, "{kutip:?}");
    assert!(kutip[0].1.contains("tidak ditutup"), "{}", kutip[0].1);
    // Only the small file reached silver.
    let files = read(&out.join("files.parquet"));
    let (f, acc) = (files.str("source_file"), files.i64("diterima"));
    for i in 0..files.len() {
        let want = f[i].as_deref() == Some("kecil.csv");
        assert_eq!(acc[i].unwrap() > 0, want, "{:?}", f[i]);
    }
    let parts: usize = std::fs::read_dir(out.join("silver/responses"))
        .unwrap()
        .map(|y| std::fs::read_dir(y.unwrap().path()).unwrap().count())
        .sum();
    assert_eq!(parts, 1, "one part, the small file's");
}

/// `skm run --full` with the environment `env`, into `out` (exit 0 or 3).
fn run_env(inbox: &Path, out: &Path, env: &[(&str, &str)]) -> Snapshot {
    let o = skm_run(inbox, out, &["--full", "--json"], env);
    assert!(
        o.status.code().is_some_and(|c| c == 0 || c == 3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    full_snapshot(out)
}

/// Issue 29: a big workbook of one sheet (as a form tool or a survey application exports a
/// year) cut into pieces of XML (`cara_baca = bertahap_xml`), its rows normalized on the other threads, gives the
/// tables of reading it whole, at any number of rows a chunk (a blank row and a header repeated
/// at a page break inside the sheet); and a sheet over the row limit is refused as the reading
/// reaches the limit, not after the sheet is in memory.
#[test]
fn one_workbook_streamed_in_chunks_of_rows_gives_the_tables_of_reading_it_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let big = big_export();
    skm::gen::write_xlsx(
        &inbox.join("medansatria_2024_2025.xlsx"),
        &[("Jawaban", &big)],
    )
    .unwrap();
    let whole = run_env(&inbox, &tmp.path().join("whole"), &[("SKM_CHUNK_KB", "0")]);
    let files = read(&tmp.path().join("whole/files.parquet"));
    assert_eq!(files.str("sheet")[0].as_deref(), Some("Jawaban"));
    let accepted = files.i64("diterima")[0].unwrap();
    assert!(accepted > 5900, "{accepted}");
    // (16 KiB chunks make the ~300 KB workbook a big file: it is streamed.)
    for (workers, rows) in [(1, "1"), (2, "777"), (4, "5000"), (2, "100000")] {
        let w = workers.to_string();
        let env = [
            ("SKM_WORKERS", w.as_str()),
            ("SKM_CHUNK_KB", "16"),
            ("SKM_SHEET_CHUNK_ROWS", rows),
        ];
        let out = tmp.path().join(format!("w{workers}-{rows}"));
        let streamed = run_env(&inbox, &out, &env);
        let way = crate::common::ways_read(&out)["medansatria_2024_2025.xlsx"].clone();
        assert_eq!(way, "bertahap_xml", "{workers} threads, {rows} rows");
        assert_eq!(
            streamed.len(),
            whole.len(),
            "{workers} threads, {rows} rows"
        );
        for (a, b) in streamed.iter().zip(&whole) {
            assert_eq!(a.0, b.0, "{workers} threads, {rows} rows");
            assert!(
                a.1 == b.1,
                "{workers} threads, {rows} rows: {} differs",
                a.0
            );
        }
    }
    // Over the row limit: refused while read (the streamed reader names the first cell past
    // the limit; the whole read can only say the sheet's size once it holds all of it).
    let config = tmp.path().join("skm.toml");
    std::fs::write(&config, "[batas]\nbaris = 2000\n").unwrap();
    let out = tmp.path().join("limit");
    let o = skm_run(
        &inbox,
        &out,
        &["--full", "--config", config.to_str().unwrap()],
        &[("SKM_CHUNK_KB", "16")],
    );
    assert!(
        o.status.code().is_some(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let refused = rejects_of(&out, "medansatria_2024_2025.xlsx");
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0].0, "berkas_terlalu_besar");
    assert!(
        refused[0].1.contains("lebih dari 2000 baris") && refused[0].1.contains("sel baris 2001"),
        "{}",
        refused[0].1
    );
}

/// A form tool's export of a year, as `skm gen --layout workbook --timestamps` writes it the way
/// such tools do (one sheet, "Form Responses 1", strings inline, numbers as numbers, a
/// `Timestamp` column, written row by row): streamed, the same tables as read whole.
#[test]
fn a_form_tools_workbook_with_inline_strings_and_timestamps_streams_as_it_reads_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let args = [
        "--responses",
        "20000",
        "--units",
        "12",
        "--layout",
        "workbook",
        "--timestamps",
    ];
    crate::common::skm_gen(&inbox, &args);
    let whole = run_env(&inbox, &tmp.path().join("whole"), &[("SKM_CHUNK_KB", "0")]);
    let files = read(&tmp.path().join("whole/files.parquet"));
    assert_eq!(files.str("sheet")[0].as_deref(), Some("Form Responses 1"));
    assert!(files.i64("diterima")[0].unwrap() > 19_000);
    let env = [
        ("SKM_WORKERS", "2"),
        ("SKM_CHUNK_KB", "16"),
        ("SKM_SHEET_CHUNK_ROWS", "777"),
    ];
    let streamed = run_env(&inbox, &tmp.path().join("streamed"), &env);
    let ways = crate::common::ways_read(&tmp.path().join("streamed"));
    assert!(ways.values().all(|w| w == "bertahap_xml"), "{ways:?}");
    assert_eq!(streamed.len(), whole.len());
    for (a, b) in streamed.iter().zip(&whole) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs", a.0);
    }
}

/// A sheet read whole (`SKM_CHUNK_KB=0`: as a workbook of several sheets, XLS or ODS is) is
/// written in row groups of at most `tables::WHOLE_READ_ROW_GROUP` rows, and every column
/// chunk's statistics state its true null count (Polars' writer states a dictionary page's
/// nulls as the whole array's: one row group of ~260K rows said twice its blank answers).
#[test]
fn a_sheet_read_whole_is_written_in_row_groups_whose_statistics_count_their_nulls() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let args = [
        "--responses",
        "70000",
        "--units",
        "12",
        "--layout",
        "workbook",
    ];
    crate::common::skm_gen(&inbox, &args);
    let out = tmp.path().join("whole");
    run_env(&inbox, &out, &[("SKM_CHUNK_KB", "0")]);
    let parts: Vec<_> = crate::common::files_under(&out.join("silver/responses"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    let mut groups = 0;
    for p in &parts {
        let file = SerializedFileReader::new(std::fs::File::open(p).unwrap()).unwrap();
        let table = read(p);
        for g in file.metadata().row_groups() {
            groups += 1;
            assert!(g.num_rows() <= skm::tables::WHOLE_READ_ROW_GROUP as i64);
        }
        // The file's columns' null counts, summed over its row groups, against the rows.
        for (i, field) in table.schema.fields().iter().enumerate() {
            let stated: u64 = (file.metadata().row_groups().iter())
                .filter_map(|g| g.column(i).statistics()?.null_count_opt())
                .sum();
            let actual: usize = table.batches.iter().map(|b| b.column(i).null_count()).sum();
            assert_eq!(stated, actual as u64, "{}: {}", p.display(), field.name());
        }
    }
    assert!(groups >= 3, "70,000 rows in {groups} row groups");
}

/// A unit's export of answers off the scale (every answer 11–14 where the scale is 1–4; answers
/// 5–10 would make it a form on another scale, refused whole): every
/// row rejected, nine rejects a row, 90,000 in all — more than one piece of the rejects table
/// (written 64K rows at a time from the compact log, never as one frame) and read in chunks.
/// Every reject is in `rejects.parquet` in the file's order, the page counts them by code, and
/// a second run that takes the file from the cache (its rejects written to and read back from
/// the entry as they are parsed) publishes the same table.
#[test]
fn a_file_answered_on_the_wrong_scale_lists_every_reject_in_order_from_the_read_and_the_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let header = "No;Unit Layanan;Tanggal;Jenis Kelamin;Umur;Pendidikan;Pekerjaan;Jenis Layanan;U1;U2;U3;U4;U5;U6;U7;U8;U9\n";
    let mut wrong = String::from(header);
    let mut fine = String::from(header);
    for i in 0..10_000 {
        let answers: Vec<String> = (0..9).map(|u| ((i + u) % 4 + 11).to_string()).collect();
        let day = format!("{:02}/{:02}/2024", i % 28 + 1, i % 12 + 1);
        wrong.push_str(&format!(
            "{};Kecamatan Bekasi Timur;{day};Perempuan;30;SMA;Swasta;KTP;{}\n",
            i + 1,
            answers.join(";")
        ));
        if i < 200 {
            fine.push_str(&format!(
                "{};Kecamatan Bekasi Barat;{day};Laki-laki;41;S1;PNS;KTP;3;4;3;3;4;3;3;4;3\n",
                i + 1
            ));
        }
    }
    std::fs::write(inbox.join("skala_salah.csv"), &wrong).unwrap();
    std::fs::write(inbox.join("benar.csv"), &fine).unwrap();
    let out = tmp.path().join("out");
    let check = |how: &str| {
        let r = read(&out.join("rejects.parquet"));
        let (f, row, kolom) = (r.str("source_file"), r.i64("source_row"), r.str("kolom"));
        let (nilai, kode) = (r.str("nilai"), r.str("kode"));
        let ours: Vec<usize> = (0..r.len())
            .filter(|&i| f[i].as_deref() == Some("skala_salah.csv"))
            .collect();
        assert_eq!(ours.len(), 90_000, "{how}");
        for (k, &i) in ours.iter().enumerate() {
            let (line, u) = (k / 9, k % 9);
            assert_eq!(row[i], Some(line as i64 + 2), "{how}: reject {k}");
            assert_eq!(
                kolom[i].as_deref(),
                Some(format!("U{}", u + 1).as_str()),
                "{how}"
            );
            let want = ((line + u) % 4 + 11).to_string();
            assert_eq!(
                nilai[i].as_deref(),
                Some(want.as_str()),
                "{how}: reject {k}"
            );
            assert_eq!(kode[i].as_deref(), Some("jawaban_di_luar_skala"), "{how}");
        }
        let page = std::fs::read_to_string(out.join("report/skm_2024.html")).unwrap();
        let counted = page
            .split("jawaban_di_luar_skala")
            .nth(1)
            .unwrap_or_default();
        assert!(
            counted
                .trim_start()
                .starts_with("</td><td class=\"n\">90.000<"),
            "{how}: {}",
            &counted[..counted.len().min(80)]
        );
    };
    let streamed = [("SKM_CHUNK_KB", "64")];
    let first = crate::common::skm_run(&inbox, &out, &["--json"], &streamed);
    assert_eq!(
        first.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    check("read in chunks");
    // (Exit 0: a file taken from the cache raised its alarm on the night it was read.)
    let again = crate::common::skm_run(&inbox, &out, &["--json"], &[]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(json["files_reused"], 2, "{json}");
    check("taken from the cache");
}
