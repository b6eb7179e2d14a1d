//! The inbox as units really fill it (issue 12): CSV written by Excel on Windows
//! (Windows-1252 with `;`, "Unicode Text" = UTF-16LE with a BOM and tabs) read with the same
//! figures as UTF-8 and with the encoding recorded per file in `files.parquet`; files that are
//! not cleanly text rejected with a reason; headers that lead with the unsur code and a short
//! name (`U3 Waktu`, `(U8) Sarpras`) mapped like the canonical `U3`, `U8`, and a code whose
//! words name another unsur (`U3 Biaya`) rejecting the sheet, naming both.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{read, read_silver, run_inbox, run_with};
use skm::config::Config;
use skm::gen::demo::waves;
use skm::gen::{
    exact_wave, wave_table, write_csv, write_xlsx, HeaderStyle, Table, Val, WaveLayout,
};

/// Seven kecamatan, one per wave in a test (each its own unit, so each unit's figures are
/// one wave's).
const KECAMATAN: [&str; 7] = [
    "Bekasi Utara",
    "Bekasi Timur",
    "Medansatria",
    "Mustikajaya",
    "Bekasi Barat",
    "Rawalumbu",
    "Jatiasih",
];

/// Wave `i` of the reference table (`waves()[i]`, its NRR) answered at `KECAMATAN[i]` in
/// TW4 2024, with a unit column, dates, a title row and the profile columns.
fn wave(i: usize, style: HeaderStyle) -> Table {
    let w = &waves().unwrap()[i];
    wave_table(
        &exact_wave(w.nrr_milli, 40 + i as u64),
        &WaveLayout {
            style,
            unit_column: Some(format!("Kec. {}", KECAMATAN[i])),
            periode_column: None,
            months: vec![(2024, 10), (2024, 11)],
            timestamps: false,
            title: vec![format!(
                "Survei Kepuasan Masyarakat – Kecamatan {}",
                KECAMATAN[i]
            )],
            profile: true,
            seed: 40 + i as u64,
        },
    )
}

fn unit_id(i: usize) -> String {
    format!(
        "kecamatan-{}",
        KECAMATAN[i].to_lowercase().replace(' ', "-")
    )
}

/// Every NRR of wave `i` is the published one, at its kecamatan.
fn assert_published_nrr(got: &BTreeMap<(String, String), f64>, i: usize) {
    let w = &waves().unwrap()[i];
    for (k, u) in skm::domain::UNSUR.iter().enumerate() {
        assert_eq!(
            got.get(&(unit_id(i), u.key.to_string())).copied(),
            Some(w.nrr_milli[k] as f64 / 1000.0),
            "{} {}",
            KECAMATAN[i],
            u.key
        );
    }
}

/// The table as CSV text (UTF-8, no BOM) with the given separator.
fn csv_text(t: &Table, sep: u8) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("t.csv");
    write_csv(&p, t, sep, false).unwrap();
    std::fs::read_to_string(p).unwrap()
}

fn utf16(text: &str, le: bool) -> Vec<u8> {
    let mut b: Vec<u8> = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        b.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    b
}

fn windows_1252(text: &str) -> Vec<u8> {
    let (b, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable, "every character has a Windows-1252 byte");
    assert!(std::str::from_utf8(&b).is_err(), "the bytes are not UTF-8");
    b.into_owned()
}

/// `files.parquet` as file → (jenis_lembar, pengkodean).
fn files(out: &Path) -> BTreeMap<String, (String, Option<String>)> {
    let f = read(&out.join("files.parquet"));
    let (name, kind, enc) = (
        f.str("source_file"),
        f.str("jenis_lembar"),
        f.str("pengkodean"),
    );
    (0..f.len())
        .map(|i| {
            (
                name[i].clone().unwrap(),
                (kind[i].clone().unwrap(), enc[i].clone()),
            )
        })
        .collect()
}

/// (file, kode, kolom, alasan) of every reject.
fn rejects(out: &Path) -> Vec<(String, String, String, String)> {
    let r = read(&out.join("rejects.parquet"));
    let (f, k, c, a) = (
        r.str("source_file"),
        r.str("kode"),
        r.str("kolom"),
        r.str("alasan"),
    );
    (0..r.len())
        .map(|i| {
            (
                f[i].clone().unwrap(),
                k[i].clone().unwrap(),
                c[i].clone().unwrap(),
                a[i].clone().unwrap(),
            )
        })
        .collect()
}

/// The gold tables that carry the figures, as text.
fn figures(out: &Path) -> Vec<Vec<Vec<String>>> {
    ["ikm_unit", "nrr_unsur", "profil", "sampel"]
        .iter()
        .map(|t| read(&out.join(format!("gold/{t}.parquet"))).rows_as_text())
        .collect()
}

/// NRR (rounded to 3 decimals) per unit and unsur, TW4 2024.
fn nrr(out: &Path) -> BTreeMap<(String, String), f64> {
    let n = read(&out.join("gold/nrr_unsur.parquet"));
    let (id, per, u, v) = (
        n.str("unit_id"),
        n.str("periode"),
        n.str("unsur"),
        n.f64("nrr_bulat"),
    );
    (0..n.len())
        .filter(|&i| per[i].as_deref() == Some("TW4"))
        .map(|i| {
            (
                (id[i].clone().unwrap(), u[i].clone().unwrap()),
                v[i].unwrap(),
            )
        })
        .collect()
}

#[test]
fn csv_from_excel_on_windows_reads_like_utf8_and_its_encoding_is_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, utf8_inbox) = (tmp.path().join("inbox"), tmp.path().join("utf8"));
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::create_dir_all(&utf8_inbox).unwrap();
    // Wave 0 with a service name only Windows-1252 (not ASCII) can hold, `;` separated.
    let mut t0 = wave(0, HeaderStyle::Names);
    let layanan = t0.header.iter().position(|h| h == "Jenis Layanan").unwrap();
    for (i, r) in t0.rows.iter_mut().enumerate() {
        r[layanan] = Val::text(if i % 2 == 0 {
            "Perekam KTP-el ©"
        } else {
            "Bekasi Utara – Pelayanan"
        });
    }
    let cases: Vec<(&str, String, Vec<u8>, Option<&str>)> = {
        // (Excel's "Unicode Text" saves as `.txt`: read as the `.csv` of it is.)
        let s2 = csv_text(&wave(2, HeaderStyle::Names), b'\t');
        let (s0, s3, s4, s5) = (
            csv_text(&t0, b';'),
            csv_text(&wave(3, HeaderStyle::Questions), b'\t'),
            csv_text(&wave(4, HeaderStyle::Codes), b'\t'),
            csv_text(&wave(5, HeaderStyle::Codes), b','),
        );
        vec![
            (
                "excel_1252.csv",
                s0.clone(),
                windows_1252(&s0),
                Some("windows-1252"),
            ),
            (
                "unicode_text.csv",
                s3.clone(),
                utf16(&s3, true),
                Some("utf-16le"),
            ),
            (
                "unicode_text_excel.txt",
                s2.clone(),
                utf16(&s2.replace('\n', "\r\n"), true),
                Some("utf-16le"),
            ),
            (
                "utf16be.csv",
                s4.clone(),
                utf16(&s4, false),
                Some("utf-16be"),
            ),
            (
                "csv_utf8.csv",
                s5.clone(),
                [b"\xEF\xBB\xBF".as_slice(), s5.as_bytes()].concat(),
                Some("utf-8-bom"),
            ),
        ]
    };
    for (name, text, bytes, _) in &cases {
        std::fs::write(inbox.join(name), bytes).unwrap();
        std::fs::write(utf8_inbox.join(name), text).unwrap();
    }
    // A plain UTF-8 CSV and a workbook beside them.
    for dir in [&inbox, &utf8_inbox] {
        write_csv(
            &dir.join("biasa.csv"),
            &wave(1, HeaderStyle::Codes),
            b';',
            false,
        )
        .unwrap();
        write_xlsx(
            &dir.join("buku.xlsx"),
            &[("Data", &wave(6, HeaderStyle::Names))],
        )
        .unwrap();
    }

    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    assert_eq!(s.rejected(), 0, "{:?}", rejects(&out));
    assert_eq!(s.accepted(), 7 * 1001);
    // The encodings, per file.
    let f = files(&out);
    for (name, _, _, enc) in &cases {
        assert_eq!(
            f[*name],
            ("kuesioner".into(), enc.map(String::from)),
            "{name}"
        );
    }
    assert_eq!(f["biasa.csv"].1.as_deref(), Some("utf-8"));
    assert_eq!(f["buku.xlsx"].1, None, "a workbook has no text encoding");
    // The figures are the wave's: every NRR as published, for every unit.
    let got = nrr(&out);
    for i in [0, 1, 2, 3, 4, 5, 6] {
        assert_published_nrr(&got, i);
    }
    // Texts decoded, not garbled: the service names as written.
    let silver = read_silver(&out, 2024);
    let mut services: Vec<String> = silver
        .str("jenis_layanan")
        .into_iter()
        .zip(silver.str("source_file"))
        .filter(|(_, f)| f.as_deref() == Some("excel_1252.csv"))
        .map(|(l, _)| l.unwrap())
        .collect();
    services.sort();
    services.dedup();
    assert_eq!(services, ["Bekasi Utara – Pelayanan", "Perekam KTP-el ©"]);
    // Every gold figure equals the run on the same files saved as UTF-8.
    let utf8_out = tmp.path().join("utf8_out");
    run_inbox(&utf8_inbox, &utf8_out);
    assert_eq!(figures(&out), figures(&utf8_out));
    // A rerun takes every file from the cache: the encodings survive it.
    let before = read(&out.join("files.parquet")).rows_as_text();
    let again = run_inbox(&inbox, &out);
    assert_eq!(again.ingest.reused, 7, "{:?}", again.ingest);
    assert_eq!(read(&out.join("files.parquet")).rows_as_text(), before);
}

#[test]
fn a_file_that_is_not_cleanly_text_is_rejected_with_what_was_found_and_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    std::fs::create_dir_all(&inbox).unwrap();
    let text = csv_text(&wave(0, HeaderStyle::Codes), b';');
    // Binary: bytes with NULs and control characters.
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(inbox.join("biner.csv"), &binary).unwrap();
    // UTF-16LE that lost its BOM.
    std::fs::write(inbox.join("tanpa_bom.csv"), &utf16(&text, true)[2..]).unwrap();
    // Windows-1252 with a byte it leaves undefined (0x81), on line 5.
    let mut undefined = windows_1252(&text);
    let line5 = undefined
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(3)
        .unwrap()
        .0;
    undefined[line5 + 1] = 0x81;
    std::fs::write(inbox.join("tak_terdefinisi.csv"), &undefined).unwrap();
    // A workbook saved under a .csv name.
    write_xlsx(
        &inbox.join("x.xlsx"),
        &[("Data", &wave(1, HeaderStyle::Codes))],
    )
    .unwrap();
    std::fs::rename(inbox.join("x.xlsx"), inbox.join("buku_kerja.csv")).unwrap();
    // UTF-8 damaged halfway (a byte cut out of a multi-byte character).
    let mut damaged = text.replace("Kec.", "Kec –").into_bytes();
    let dash = damaged
        .windows(3)
        .enumerate()
        .filter(|(_, w)| *w == "–".as_bytes())
        .nth(10)
        .unwrap()
        .0;
    damaged.remove(dash + 1);
    std::fs::write(inbox.join("rusak.csv"), &damaged).unwrap();

    run_inbox(&inbox, &out);
    let all = rejects(&out);
    let reason = |file: &str| {
        let r: Vec<_> = all.iter().filter(|r| r.0 == file).collect();
        assert_eq!(r.len(), 1, "{file}: {r:?}");
        assert_eq!(r[0].1, "berkas_tidak_terbaca", "{file}");
        r[0].3.clone()
    };
    let has = |file: &str, words: &[&str]| {
        let r = reason(file);
        for w in words {
            assert!(r.contains(w), "{file}: '{w}' not in: {r}");
        }
        // What to do is always said.
        assert!(
            r.contains("simpan ulang") || r.contains("ganti ekstensinya"),
            "{file}: {r}"
        );
    };
    has("biner.csv", &["NUL", "biner"]);
    has("tanpa_bom.csv", &["NUL", "UTF-16LE tanpa penanda (BOM)"]);
    has("tak_terdefinisi.csv", &["0x81", "baris 5", "Windows-1252"]);
    has("buku_kerja.csv", &[".xlsx"]);
    has("rusak.csv", &["UTF-8 yang rusak", "baris 12"]);
    let f = files(&out);
    for name in [
        "biner.csv",
        "tanpa_bom.csv",
        "tak_terdefinisi.csv",
        "buku_kerja.csv",
        "rusak.csv",
    ] {
        assert_eq!(f[name], ("tidak_terbaca".into(), None), "{name}");
    }
}

/// The canonical header of `wave(i, Codes)` with its U1–U9 replaced by `unsur`, and Umur
/// headed `Usia`.
fn with_headers(i: usize, unsur: [&str; 9]) -> Table {
    let mut t = wave(i, HeaderStyle::Codes);
    for h in t.header.iter_mut() {
        if let Some(k) = h.strip_prefix('U').and_then(|d| d.parse::<usize>().ok()) {
            *h = unsur[k - 1].to_string();
        } else if h == "Umur" {
            *h = "Usia".into();
        }
    }
    t
}

#[test]
fn headers_that_lead_with_the_code_and_a_short_name_map_like_the_code() {
    let tmp = tempfile::tempdir().unwrap();
    let (canon, inbox) = (tmp.path().join("canon"), tmp.path().join("inbox"));
    let variants = [
        [
            "U1 - Persyaratan",
            "U2 Prosedur/Sistem",
            "U3 Waktu",
            "[U4] Biaya/Tarif",
            "U5. Produk",
            "U6 Kompetensi",
            "U7: Perilaku petugas",
            "(U8) Sarpras",
            "u9 pengaduan",
        ],
        [
            "Unsur 1. Persyaratan pelayanan",
            "U2. Sistem, mekanisme dan prosedur",
            "(U3) WAKTU PENYELESAIAN",
            "U-4 Biaya",
            "U5 Produk/Spesifikasi",
            "U6 – Kompetensi pelaksana",
            "[U7] Perilaku",
            "U8 Sarana dan prasarana",
            "U9: Penanganan pengaduan",
        ],
        // Words that name no unsur: the code decides.
        [
            "U1 (skor)",
            "U2 (skor)",
            "U3 Lama proses",
            "U4 (skor)",
            "U5 (skor)",
            "U6 Petugas",
            "U7 (skor)",
            "U8 (skor)",
            "U9 (skor)",
        ],
    ];
    for (i, v) in variants.into_iter().enumerate() {
        let t = with_headers(i, v);
        let canonical = wave(i, HeaderStyle::Codes);
        if i == 1 {
            write_xlsx(&inbox.join(format!("{i}.xlsx")), &[("Data", &t)]).unwrap();
            write_xlsx(&canon.join(format!("{i}.xlsx")), &[("Data", &canonical)]).unwrap();
        } else {
            write_csv(&inbox.join(format!("{i}.csv")), &t, b',', false).unwrap();
            write_csv(&canon.join(format!("{i}.csv")), &canonical, b',', false).unwrap();
        }
    }
    let (a, b) = (tmp.path().join("canon_out"), tmp.path().join("out"));
    run_inbox(&canon, &a);
    let s = run_inbox(&inbox, &b);
    assert_eq!(s.rejected(), 0, "{:?}", rejects(&b));
    assert_eq!(s.accepted(), 3 * 1001);
    // Same NRR, IKM, sample and profile (the age read under `Usia`) as the canonical headers.
    assert_eq!(figures(&b), figures(&a));
    let got = nrr(&b);
    for i in 0..3 {
        assert_published_nrr(&got, i);
    }
}

#[test]
fn a_leading_code_follows_the_configured_order_and_words_naming_another_unsur_reject_the_sheet() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let mut v = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"];
    v[2] = "U3 Biaya";
    write_csv(
        &inbox.join("u3_biaya.csv"),
        &with_headers(0, v),
        b';',
        false,
    )
    .unwrap();
    let mut v = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"];
    v[7] = "(U8) Sarpras";
    v[8] = "(U9) Pengaduan";
    write_csv(
        &inbox.join("bekasi_order.csv"),
        &with_headers(1, v),
        b';',
        false,
    )
    .unwrap();

    // Default order (U8 = sarpras): "U3 Biaya" is rejected naming waktu and biaya.
    let out = tmp.path().join("out");
    let s = run_inbox(&inbox, &out);
    let all = rejects(&out);
    let bad: Vec<_> = all.iter().filter(|r| r.0 == "u3_biaya.csv").collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    let (_, kode, kolom, alasan) = bad[0];
    assert_eq!(
        (kode.as_str(), kolom.as_str()),
        ("kolom_ambigu", "U3 Biaya")
    );
    assert!(
        alasan.contains("U3") && alasan.contains("waktu") && alasan.contains("biaya"),
        "{alasan}"
    );
    assert_eq!(files(&out)["u3_biaya.csv"].0, "ditolak");
    assert!(all.iter().all(|r| r.0 != "bekasi_order.csv"), "{all:?}");
    assert_eq!(s.accepted(), 1001);

    // The regulation's order (U8 = pengaduan): "(U8) Sarpras" names another unsur.
    let out = tmp.path().join("out_regulation");
    run_with(
        &inbox,
        &out,
        Config::parse(
            "[kuesioner]\nunsur_order = [\"persyaratan\", \"prosedur\", \"waktu\", \"biaya\", \"produk\", \"kompetensi\", \"perilaku\", \"pengaduan\", \"sarpras\"]\n",
        )
        .unwrap(),
    );
    let all = rejects(&out);
    let bad: Vec<_> = all.iter().filter(|r| r.0 == "bekasi_order.csv").collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0].1, "kolom_ambigu");
    assert!(
        bad[0].3.contains("U8 berarti pengaduan") && bad[0].3.contains("sarpras"),
        "{}",
        bad[0].3
    );
}
